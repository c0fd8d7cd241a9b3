/* Diagonal preconditioning: geometric-mean passes, Ruiz equilibration, then Pock-Chambolle
 * (alpha = 1), then the scalar objective and bound scaling of HPR-LP / cuPDLPx. Done once on the
 * host; O(nnz) per pass. The geometric passes are what let pilot4 reach 1e-8 and lotfi's objective
 * come within 1e-7 of the reference (bench/README.md). Few of them (default 2): further passes
 * keep narrowing the spread of |a_ij| a little while the column factors drift apart (on DC-OPF
 * the generator and flow columns away from the angle columns, 70x to 2800x over 12 passes), and
 * PDHG pays for the drift: 5x the iterations on case1354 at 12 passes. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/lp_internal.h"

static void scale_rows_cols(lp_scaled *S, const double *r, const double *c)
{
    for (int32_t i = 0; i < S->m; i++) {
        for (int32_t k = S->rp[i]; k < S->rp[i + 1]; k++) S->v[k] *= r[i] * c[S->ci[k]];
        S->d1[i] *= r[i];
    }
    for (int32_t j = 0; j < S->n; j++) S->d2[j] *= c[j];
}

/* Row and column factors 1/sqrt(norm) where norm is the inf-norm (p = 0) or the l1-norm (p = 1). */
static void factors(const lp_scaled *S, int l1, double *r, double *c)
{
    memset(r, 0, sizeof(double) * (size_t)S->m);
    memset(c, 0, sizeof(double) * (size_t)S->n);
    for (int32_t i = 0; i < S->m; i++)
        for (int32_t k = S->rp[i]; k < S->rp[i + 1]; k++) {
            double a = fabs(S->v[k]);
            int32_t j = S->ci[k];
            if (l1) {
                r[i] += a;
                c[j] += a;
            } else {
                r[i] = fmax(r[i], a);
                c[j] = fmax(c[j], a);
            }
        }
    for (int32_t i = 0; i < S->m; i++) r[i] = r[i] > 0 ? 1 / sqrt(r[i]) : 1;
    for (int32_t j = 0; j < S->n; j++) c[j] = c[j] > 0 ? 1 / sqrt(c[j]) : 1;
}

/* One geometric-mean pass (Gurobi's ScaleFlag, cuPDLPx's first stage): rows by
 * 1 / sqrt(min |a| max |a|), then the columns of the row-scaled matrix the same way. cmax is
 * scratch of n doubles. */
static void geometric_pass(lp_scaled *S, double *r, double *c, double *cmax)
{
    for (int32_t i = 0; i < S->m; i++) {
        double mn = INFINITY, mx = 0;
        for (int32_t k = S->rp[i]; k < S->rp[i + 1]; k++) {
            double a = fabs(S->v[k]);
            mn = a > 0 ? fmin(mn, a) : mn;
            mx = fmax(mx, a);
        }
        r[i] = mx > 0 ? 1 / sqrt(mn * mx) : 1;
    }
    for (int32_t j = 0; j < S->n; j++) c[j] = 1;
    scale_rows_cols(S, r, c);
    for (int32_t j = 0; j < S->n; j++) {
        c[j] = INFINITY;
        cmax[j] = 0;
    }
    for (int32_t k = 0; k < S->nnz; k++) {
        double a = fabs(S->v[k]);
        int32_t j = S->ci[k];
        c[j] = a > 0 ? fmin(c[j], a) : c[j];
        cmax[j] = fmax(cmax[j], a);
    }
    for (int32_t j = 0; j < S->n; j++) c[j] = cmax[j] > 0 ? 1 / sqrt(c[j] * cmax[j]) : 1;
    for (int32_t i = 0; i < S->m; i++) r[i] = 1;
    scale_rows_cols(S, r, c);
}

static double finite_bound_norm(const double *lo, const double *up, int32_t m)
{
    double s = 0;
    for (int32_t i = 0; i < m; i++) {
        if (isfinite(lo[i])) s += lo[i] * lo[i];
        if (isfinite(up[i]) && up[i] != lo[i]) s += up[i] * up[i];
    }
    return sqrt(s);
}

static double norm2(const double *v, int32_t n)
{
    double s = 0;
    for (int32_t i = 0; i < n; i++) s += v[i] * v[i];
    return sqrt(s);
}

void lp_problem_norms(const weft_lp_problem *p, double *norm_b, double *norm_c)
{
    *norm_b = finite_bound_norm(p->row_lo, p->row_up, p->n_rows);
    *norm_c = norm2(p->obj, p->n_cols);
}

void lp_csr_transpose(int32_t m, int32_t n, const int32_t *rp, const int32_t *ci, const double *v,
                      int32_t *tp, int32_t *ti, double *tv, int32_t *next)
{
    memset(tp, 0, sizeof(int32_t) * ((size_t)n + 1));
    for (int32_t k = 0; k < rp[m]; k++) tp[ci[k] + 1]++;
    for (int32_t j = 0; j < n; j++) tp[j + 1] += tp[j];
    memcpy(next, tp, sizeof(int32_t) * (size_t)n);
    for (int32_t i = 0; i < m; i++)
        for (int32_t k = rp[i]; k < rp[i + 1]; k++) {
            int32_t pos = next[ci[k]]++;
            ti[pos] = i;
            tv[pos] = v[k];
        }
}

static void transpose(lp_scaled *S, int32_t *next)
{
    lp_csr_transpose(S->m, S->n, S->rp, S->ci, S->v, S->trp, S->tci, S->tv, next);
}

/* The matrix part: A and A' scaled, d1, d2. */
static int alloc_matrix(weft_context *ctx, const weft_lp_problem *p, lp_scaled *S)
{
    size_t n = (size_t)p->n_cols, m = (size_t)p->n_rows, z = (size_t)p->nnz;
    S->n = p->n_cols;
    S->m = p->n_rows;
    S->nnz = p->nnz;
    S->rp = weft_calloc(ctx, m + 1, sizeof(int32_t));
    S->ci = weft_calloc(ctx, z, sizeof(int32_t));
    S->v = weft_calloc(ctx, z, sizeof(double));
    S->trp = weft_calloc(ctx, n + 1, sizeof(int32_t));
    S->tci = weft_calloc(ctx, z, sizeof(int32_t));
    S->tv = weft_calloc(ctx, z, sizeof(double));
    S->d1 = weft_calloc(ctx, m, sizeof(double));
    S->d2 = weft_calloc(ctx, n, sizeof(double));
    if (!S->rp || !S->ci || !S->v || !S->trp || !S->tci || !S->tv || !S->d1 || !S->d2)
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory scaling an LP of %d x %d", S->m, S->n);
    return WEFT_OK;
}

/* The per-problem part: scaled c, q, bounds and the residual weights. */
static int alloc_vectors(weft_context *ctx, const weft_lp_problem *p, lp_scaled *S)
{
    size_t n = (size_t)p->n_cols, m = (size_t)p->n_rows;
    S->c = weft_calloc(ctx, n, sizeof(double));
    S->q = p->q ? weft_calloc(ctx, n, sizeof(double)) : NULL;
    S->lb = weft_calloc(ctx, n, sizeof(double));
    S->ub = weft_calloc(ctx, n, sizeof(double));
    S->rl = weft_calloc(ctx, m, sizeof(double));
    S->ru = weft_calloc(ctx, m, sizeof(double));
    S->wr = weft_calloc(ctx, m, sizeof(double));
    S->wc = weft_calloc(ctx, n, sizeof(double));
    if (!S->c || (p->q && !S->q) || !S->lb || !S->ub || !S->rl || !S->ru || !S->wr || !S->wc)
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory scaling an LP of %d x %d", S->m, S->n);
    return WEFT_OK;
}

/* Geometric passes, Ruiz, Pock-Chambolle on S->v, accumulating d1, d2. r, c, cmax: scratch. */
static void equilibrate(lp_scaled *S, const weft_lp_options *o, double *r, double *c, double *cmax)
{
    for (int it = 0; it < o->geometric_passes; it++) geometric_pass(S, r, c, cmax);
    for (int it = 0; it < o->ruiz_iterations; it++) {
        factors(S, 0, r, c);
        scale_rows_cols(S, r, c);
    }
    if (o->pock_chambolle) {
        factors(S, 1, r, c);
        scale_rows_cols(S, r, c);
    }
}

/* D1, D2 and the scaled A, A' depend on A and the options only, so a batch sharing A computes
 * them once (lp_scaled_matrix) and each problem only its vectors (lp_scale_vectors). */
int lp_scaled_matrix(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *o,
                     lp_scaled **out)
{
    *out = NULL;
    lp_scaled *S = weft_calloc(ctx, 1, sizeof *S);
    if (!S) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory scaling an LP");
    double *r = NULL, *c = NULL, *cmax = NULL;
    int st = alloc_matrix(ctx, p, S);
    if (st) goto cleanup;
    memcpy(S->rp, p->row_ptr, sizeof(int32_t) * ((size_t)S->m + 1));
    memcpy(S->ci, p->col_idx, sizeof(int32_t) * (size_t)S->nnz);
    memcpy(S->v, p->val, sizeof(double) * (size_t)S->nnz);
    for (int32_t j = 0; j < S->n; j++) S->d2[j] = 1;
    for (int32_t i = 0; i < S->m; i++) S->d1[i] = 1;
    r = weft_calloc(ctx, (size_t)S->m + 1, sizeof(double));
    c = weft_calloc(ctx, (size_t)S->n + 1, sizeof(double));
    cmax = weft_calloc(ctx, (size_t)S->n + 1, sizeof(double));
    if (!r || !c || !cmax) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "out of memory scaling an LP");
        goto cleanup;
    }
    equilibrate(S, o, r, c, cmax);
    transpose(S, (int32_t *)c); /* c has n + 1 doubles: room for n column cursors */
cleanup:
    weft_free(ctx, r);
    weft_free(ctx, c);
    weft_free(ctx, cmax);
    if (st) lp_scaled_destroy(ctx, &S);
    *out = S;
    return st;
}

void lp_scale_vectors(const lp_scaled *M, const weft_lp_problem *p, double *c, double *q,
                      double *lb, double *ub, double *rl, double *ru, lp_scalars *sc)
{
    double sense = p->sense;
    for (int32_t j = 0; j < M->n; j++) {
        c[j] = sense * p->obj[j];
        if (q) q[j] = sense * p->q[j];
    }
    sc->offset = sense * p->offset;
    lp_problem_norms(p, &sc->norm_b, &sc->norm_c);
    for (int32_t i = 0; i < M->m; i++) {
        rl[i] = p->row_lo[i] * M->d1[i];
        ru[i] = p->row_up[i] * M->d1[i];
    }
    for (int32_t j = 0; j < M->n; j++) {
        c[j] *= M->d2[j];
        if (q) q[j] *= M->d2[j] * M->d2[j];
    }
    sc->tb = 1 / (1 + finite_bound_norm(rl, ru, M->m));
    sc->tc = 1 / (1 + norm2(c, M->n));
    for (int32_t i = 0; i < M->m; i++) {
        rl[i] *= sc->tb;
        ru[i] *= sc->tb;
    }
    for (int32_t j = 0; j < M->n; j++) {
        c[j] *= sc->tc;
        if (q) q[j] *= sc->tc / sc->tb;
        lb[j] = p->col_lo[j] * sc->tb / M->d2[j];
        ub[j] = p->col_up[j] * sc->tb / M->d2[j];
    }
}

/* The per-problem vectors of S, whose matrix part is in place. */
static int add_vectors(weft_context *ctx, const weft_lp_problem *p, lp_scaled *S, lp_scaled **out)
{
    int st = alloc_vectors(ctx, p, S);
    if (st) {
        lp_scaled_destroy(ctx, &S);
        *out = NULL;
        return st;
    }
    lp_scale_vectors(S, p, S->c, S->q, S->lb, S->ub, S->rl, S->ru, &S->sc);
    for (int32_t i = 0; i < S->m; i++) S->wr[i] = 1 / (S->sc.tb * S->d1[i]);
    for (int32_t j = 0; j < S->n; j++) S->wc[j] = 1 / (S->sc.tc * S->d2[j]);
    *out = S;
    return WEFT_OK;
}

int lp_scaled_create(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *o,
                     lp_scaled **out)
{
    lp_scaled *S = NULL;
    int st = lp_scaled_matrix(ctx, p, o, &S);
    if (st) {
        *out = NULL;
        return st;
    }
    return add_vectors(ctx, p, S, out);
}

int lp_scaled_create_shared(weft_context *ctx, const weft_lp_problem *p, const lp_scaled *M,
                            lp_scaled **out)
{
    *out = NULL;
    lp_scaled *S = weft_calloc(ctx, 1, sizeof *S);
    if (!S) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory scaling an LP");
    S->n = M->n;
    S->m = M->m;
    S->nnz = M->nnz;
    S->rp = M->rp, S->ci = M->ci, S->v = M->v;
    S->trp = M->trp, S->tci = M->tci, S->tv = M->tv;
    S->d1 = M->d1, S->d2 = M->d2;
    S->eta = M->eta, S->norm = M->norm;
    S->matrix_of = M;
    return add_vectors(ctx, p, S, out);
}

void lp_scaled_destroy(weft_context *ctx, lp_scaled **ps)
{
    if (!ps || !*ps) return;
    lp_scaled *S = *ps;
    void *vectors[] = {S->c, S->q, S->lb, S->ub, S->rl, S->ru, S->wr, S->wc};
    void *matrix[] = {S->rp, S->ci, S->v, S->trp, S->tci, S->tv, S->d1, S->d2};
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++) weft_free(ctx, vectors[i]);
    for (size_t i = 0; !S->matrix_of && i < sizeof matrix / sizeof *matrix; i++) weft_free(ctx, matrix[i]);
    weft_free(ctx, S);
    *ps = NULL;
}
