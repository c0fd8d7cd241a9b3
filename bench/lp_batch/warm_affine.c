/* Warm starts for a day of a batch, measured in iterations: cold, from the day before (what
 * weft batch does), from the day before's x only or y only, and from the affine combination of the
 * K days before that best reproduces this day's data (least squares on costs, row and column
 * bounds, each group scaled to unit norm, weights summing to 1). The LP's solution is piecewise
 * linear in its data, so where the K days share a piece the combination of their solutions is this
 * day's solution; where they do not, it is only a guess. Not built by CMake (a measurement):
 *
 *   cc -O2 -Ihost/include bench/lp_batch/warm_affine.c -Lbuild -lweft -lm -Wl,-rpath,$PWD/build \
 *      -o build/warm_affine
 *   weft batch SCEN.h5 --write-mps-dir DIR          # the days' LPs, DIR/scenario_NNNNNN.mps
 *   build/warm_affine DIR K DAYS                    # K <= 8, DAYS <= 400
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft/weft.h"

#define MAX_DAYS 400
#define MAX_K 8

typedef struct day {
    weft_lp_problem *p;
    double *x, *y, w;
    long cold;
} day;

/* The data vector of p, each group (c, row lo/up, column lo/up) scaled by 1 / its norm in ref;
 * entries infinite in either are 0. */
static void data_vector(const weft_lp_problem *p, const weft_lp_problem *ref, double *v)
{
    const double *g[5] = {p->obj, p->row_lo, p->row_up, p->col_lo, p->col_up};
    const double *gr[5] = {ref->obj, ref->row_lo, ref->row_up, ref->col_lo, ref->col_up};
    int len[5] = {p->n_cols, p->n_rows, p->n_rows, p->n_cols, p->n_cols}, k = 0;
    for (int j = 0; j < 5; j++) {
        double s = 0;
        for (int i = 0; i < len[j]; i++)
            if (isfinite(gr[j][i])) s += gr[j][i] * gr[j][i];
        s = s > 0 ? 1 / sqrt(s) : 0;
        for (int i = 0; i < len[j]; i++)
            v[k++] = isfinite(g[j][i]) && isfinite(gr[j][i]) ? g[j][i] * s : 0;
    }
}

static long solve(weft_context *ctx, day *d, const double *x0, const double *y0, double w, int keep)
{
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.x0 = x0;
    o.y0 = y0;
    o.primal_weight = w;
    weft_lp_result r;
    if (weft_lp_solve(ctx, d->p, &o, &r)) {
        fprintf(stderr, "warm_affine: %s\n", weft_context_last_error(ctx));
        exit(1);
    }
    if (keep) {
        d->x = malloc(sizeof(double) * (size_t)d->p->n_cols);
        d->y = malloc(sizeof(double) * (size_t)d->p->n_rows);
        memcpy(d->x, r.x, sizeof(double) * (size_t)d->p->n_cols);
        memcpy(d->y, r.y, sizeof(double) * (size_t)d->p->n_rows);
        d->w = r.primal_weight;
    }
    long it = r.iterations;
    weft_lp_result_free(ctx, &r);
    return it;
}

/* Solves the (q x q) system G b = h in place (Gaussian elimination; G is a ridged Gram matrix). */
static void gauss(double *G, double *h, double *b, int q)
{
    for (int c = 0; c < q; c++)
        for (int r = c + 1; r < q; r++) {
            double f = G[r * q + c] / G[c * q + c];
            for (int j = c; j < q; j++) G[r * q + j] -= f * G[c * q + j];
            h[r] -= f * h[c];
        }
    for (int c = q - 1; c >= 0; c--) {
        double s = h[c];
        for (int j = c + 1; j < q; j++) s -= G[c * q + j] * b[j];
        b[c] = s / G[c * q + c];
    }
}

/* Weights a[0..K-1] (summing to 1) of days t-K .. t-1 fitting day t's data: with e_i = v_i - v_last
 * and r = v_t - v_last, b minimises ||E b - r|| and the last day gets 1 - sum b. */
static void affine_weights(day *days, int t, int K, double *a)
{
    const weft_lp_problem *p = days[t].p;
    size_t nv = (size_t)p->n_cols * 3 + (size_t)p->n_rows * 2;
    double *v = malloc(sizeof(double) * nv * (size_t)(K + 1)), G[MAX_K * MAX_K], h[MAX_K];
    for (int i = 0; i < K; i++) data_vector(days[t - K + i].p, p, v + (size_t)i * nv);
    data_vector(p, p, v + (size_t)K * nv);
    const double *last = v + (size_t)(K - 1) * nv, *target = v + (size_t)K * nv;
    int q = K - 1;
    for (int i = 0; i < q; i++) {
        const double *ei = v + (size_t)i * nv;
        h[i] = 0;
        for (size_t l = 0; l < nv; l++) h[i] += (ei[l] - last[l]) * (target[l] - last[l]);
        for (int j = 0; j < q; j++) {
            const double *ej = v + (size_t)j * nv;
            double s = 0;
            for (size_t l = 0; l < nv; l++) s += (ei[l] - last[l]) * (ej[l] - last[l]);
            G[i * q + j] = s * (i == j ? 1 + 1e-6 : 1);
        }
    }
    gauss(G, h, a, q);
    double sum = 0;
    for (int i = 0; i < q; i++) sum += a[i];
    a[q] = 1 - sum;
    free(v);
}

static long affine_warm(weft_context *ctx, day *days, int t, int K)
{
    double a[MAX_K];
    affine_weights(days, t, K, a);
    int n = days[t].p->n_cols, m = days[t].p->n_rows;
    double *x = calloc((size_t)n, sizeof(double)), *y = calloc((size_t)m, sizeof(double));
    for (int i = 0; i < K; i++) {
        const day *s = &days[t - K + i];
        for (int j = 0; j < n; j++) x[j] += a[i] * s->x[j];
        for (int j = 0; j < m; j++) y[j] += a[i] * s->y[j];
    }
    long it = solve(ctx, &days[t], x, y, days[t - 1].w, 0);
    free(x);
    free(y);
    return it;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: warm_affine DIR K DAYS\n");
        return 2;
    }
    int K = atoi(argv[2]), nd = atoi(argv[3]);
    if (K < 2 || K > MAX_K || nd <= K || nd > MAX_DAYS) {
        fprintf(stderr, "warm_affine: need 2 <= K <= %d and K < DAYS <= %d\n", MAX_K, MAX_DAYS);
        return 2;
    }
    static day days[MAX_DAYS];
    weft_context *ctx;
    if (weft_context_create(&ctx, NULL) || weft_context_set_device(ctx, "cpu")) return 1;
    for (int d = 0; d < nd; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/scenario_%06d.mps", argv[1], d);
        if (weft_mps_read(ctx, path, &days[d].p) < 0) {
            fprintf(stderr, "warm_affine: %s\n", weft_context_last_error(ctx));
            return 1;
        }
        days[d].cold = solve(ctx, &days[d], NULL, NULL, 0, 1);
    }
    long tot[5] = {0};
    for (int t = K; t < nd; t++) {
        const day *prev = &days[t - 1];
        long it[5] = {days[t].cold, solve(ctx, &days[t], prev->x, prev->y, prev->w, 0),
                      solve(ctx, &days[t], prev->x, NULL, prev->w, 0),
                      solve(ctx, &days[t], NULL, prev->y, prev->w, 0), affine_warm(ctx, days, t, K)};
        printf("day %3d  cold %6ld  previous %6ld  previous x %6ld  previous y %6ld  affine %d %6ld\n", t,
               it[0], it[1], it[2], it[3], K, it[4]);
        for (int i = 0; i < 5; i++) tot[i] += it[i];
    }
    printf("total    cold %6ld  previous %6ld  previous x %6ld  previous y %6ld  affine %d %6ld\n", tot[0],
           tot[1], tot[2], tot[3], K, tot[4]);
    for (int d = 0; d < nd; d++) {
        weft_lp_problem_destroy(ctx, &days[d].p);
        free(days[d].x);
        free(days[d].y);
    }
    weft_context_destroy(&ctx);
    return 0;
}
