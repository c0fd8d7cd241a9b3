/* Batched against one-by-one LP solving on neighbouring variants of one problem: the equality rows
 * (a DC-OPF's nodal balances, i.e. its loads) scaled by 1 + amp sin(0.21 i + 0.7 r), so variant i
 * and i + 1 differ like consecutive days. Prints one line per batch size: total iterations, wall
 * time, outcomes. Not built by CMake (a measurement, not a test):
 *
 *   cc -O2 -Ihost/include bench/lp_batch/bench_lp_batch.c -Lbuild -lweft -lm -Wl,-rpath,$PWD/build \
 *      -o build/bench_lp_batch
 *   build/bench_lp_batch MODEL.mps COUNT TOL DEVICE K1 K2 ...   (K = 1: sequential; 1c: cold)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weft/weft.h"

typedef struct run_stats {
    long long iters;
    int optimal, count;
    double obj_sum;
} run_stats;

static const weft_lp_problem *base;
static double amp = 0.05;

static int fill(void *user, int32_t i, weft_lp_problem *p)
{
    (void)user;
    memcpy(p->obj, base->obj, sizeof(double) * (size_t)base->n_cols);
    if (p->q) memcpy(p->q, base->q, sizeof(double) * (size_t)base->n_cols);
    memcpy(p->col_lo, base->col_lo, sizeof(double) * (size_t)base->n_cols);
    memcpy(p->col_up, base->col_up, sizeof(double) * (size_t)base->n_cols);
    p->offset = base->offset;
    for (int32_t r = 0; r < base->n_rows; r++) {
        double s = base->row_lo[r] == base->row_up[r] ? 1 + amp * sin(0.21 * i + 0.7 * r) : 1;
        p->row_lo[r] = base->row_lo[r] * s;
        p->row_up[r] = base->row_up[r] * s;
    }
    return 0;
}

static int done(void *user, int32_t index, const weft_lp_result *r)
{
    (void)index;
    run_stats *s = user;
    s->iters += r->iterations;
    s->optimal += r->outcome == WEFT_LP_OPTIMAL;
    s->obj_sum += r->objective;
    s->count++;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s MODEL.mps COUNT TOL DEVICE K...\n", argv[0]);
        return 2;
    }
    weft_context *ctx = NULL;
    weft_lp_problem *p = NULL;
    if (weft_context_create(&ctx, NULL) || weft_context_set_device(ctx, argv[4]) ||
        weft_mps_read(ctx, argv[1], &p) < 0) {
        fprintf(stderr, "%s\n", ctx ? weft_context_last_error(ctx) : "no context");
        return 2;
    }
    base = p;
    weft_lp_batch_source src = {atoi(argv[2]), p, fill, NULL};
    for (int a = 5; a < argc; a++) {
        weft_lp_batch_options o;
        weft_lp_batch_options_default(&o);
        o.lp.tol = atof(argv[3]);
        o.batch_size = atoi(argv[a]);
        o.warm_start = strchr(argv[a], 'c') == NULL;
        run_stats s = {0};
        o.on_done = done;
        o.user = &s;
        double t0 = now();
        int st = weft_lp_solve_batch(ctx, &src, &o);
        double t = now() - t0;
        printf("%s count %d tol %s device %s batch %3d %s: status %d, %d/%d optimal, %lld iterations, "
               "%.2f s, mean objective %.10g\n", argv[1], src.count, argv[3], argv[4], o.batch_size,
               o.warm_start ? "warm" : "cold", st, s.optimal, s.count, s.iters, t, s.obj_sum / s.count);
        fflush(stdout);
    }
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
    return 0;
}
