/* The CPU backend: buffers in host memory, OpenBLAS for level-1 vector work, OpenMP loops for the
 * sparse products and the fused PDHG operations (BLAS has no sparse or fused equivalents). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>
#include <omp.h>

#include "backend/backend.h"
#include "backend/cpu_internal.h"
#include "backend/cpu_vrp.h"
#include "core/context_internal.h"
#include "graph/dijkstra.h"

typedef struct cpu_backend {
    weft_backend base;
    int threads;
    weft_cpu_par par[3]; /* blocked dual, adjoint, primal steps: threads or not (cpu_batch.c) */
} cpu_backend;

static void cpu_destroy(weft_backend *be) { weft_free(be->ctx, be); }

static int cpu_buf_create(weft_backend *be, weft_elem e, size_t count, const void *host, weft_buf **out)
{
    size_t es = e == WEFT_REAL ? sizeof(double) : sizeof(int32_t);
    weft_buf *b = weft_calloc(be->ctx, 1, sizeof *b);
    if (b) b->d.p = weft_calloc(be->ctx, count ? count : 1, es);
    if (!b || !b->d.p) {
        if (b) weft_free(be->ctx, b);
        *out = NULL;
        return weft_error(be->ctx, WEFT_ERR_NOMEM, "cpu backend: out of memory for a buffer of %zu elements", count);
    }
    b->count = count;
    b->elem = e;
    if (host) memcpy(b->d.p, host, count * es);
    *out = b;
    return WEFT_OK;
}

static void cpu_buf_destroy(weft_backend *be, weft_buf **b)
{
    if (!b || !*b) return;
    weft_free(be->ctx, (*b)->d.p);
    weft_free(be->ctx, *b);
    *b = NULL;
}

static size_t esize(const weft_buf *b) { return b->elem == WEFT_REAL ? sizeof(double) : sizeof(int32_t); }

static int cpu_buf_read(weft_backend *be, const weft_buf *b, size_t off, size_t n, void *host)
{
    if (off + n > b->count) return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "buffer read out of range");
    memcpy(host, (const char *)b->d.p + off * esize(b), n * esize(b));
    return WEFT_OK;
}

static int cpu_buf_write(weft_backend *be, weft_buf *b, size_t off, size_t n, const void *host)
{
    if (off + n > b->count) return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "buffer write out of range");
    memcpy((char *)b->d.p + off * esize(b), host, n * esize(b));
    return WEFT_OK;
}

static int cpu_copy(weft_backend *be, size_t n, const weft_buf *src, weft_buf *dst)
{
    cblas_dcopy((blasint)n, RB(src), 1, RB(dst), 1);
    return WEFT_OK;
}

static int cpu_fill(weft_backend *be, size_t n, double v, weft_buf *x)
{
    double *p = RB(x);
    for (size_t i = 0; i < n; i++) p[i] = v;
    return WEFT_OK;
}

static int cpu_axpby(weft_backend *be, size_t n, double a, const weft_buf *x, double b, weft_buf *y)
{
    cblas_daxpby((blasint)n, a, RB(x), 1, b, RB(y), 1);
    return WEFT_OK;
}

static int cpu_dot(weft_backend *be, size_t n, const weft_buf *x, const weft_buf *y, double *out)
{
    *out = cblas_ddot((blasint)n, RB(x), 1, RB(y), 1);
    return WEFT_OK;
}

static inline double row_dot(const weft_dmat *A, int32_t i, const double *x)
{
    const int32_t *rp = IB(A->row_ptr), *ci = IB(A->col_idx);
    const double *v = RB(A->val);
    double s = 0;
    for (int32_t k = rp[i]; k < rp[i + 1]; k++) s += v[k] * x[ci[k]];
    return s;
}

static int cpu_spmv(weft_backend *be, const weft_dmat *A, const weft_buf *x, weft_buf *y)
{
    const double *xp = RB(x);
    double *yp = RB(y);
#pragma omp parallel for schedule(static) if (A->nnz > PAR_MIN_NNZ)
    for (int32_t i = 0; i < A->rows; i++) yp[i] = row_dot(A, i, xp);
    return WEFT_OK;
}

static int cpu_pdhg_primal(weft_backend *be, weft_pdhg_state *s, double tau)
{
    const double *x = RB(s->x), *aty = RB(s->aty), *c = RB(s->c), *lb = RB(s->lb), *ub = RB(s->ub);
    const double *q = s->q ? RB(s->q) : NULL;
    double *xh = RB(s->xh);
#pragma omp parallel for schedule(static) if (s->n > PAR_MIN_VEC)
    for (int32_t j = 0; j < s->n; j++) {
        double v = x[j] - tau * (c[j] - aty[j]);
        if (q) v /= 1 + tau * q[j];
        xh[j] = clampd(v, lb[j], ub[j]);
    }
    return WEFT_OK;
}

static int cpu_pdhg_dual(weft_backend *be, weft_pdhg_state *s, double sigma, double w, double gamma)
{
    const double *xh = RB(s->xh), *rl = RB(s->rl), *ru = RB(s->ru), *y0 = RB(s->y0), *ax0 = RB(s->ax0);
    double *y = RB(s->y), *ax = RB(s->ax), *yh = RB(s->yh), *axh = RB(s->axh);
#pragma omp parallel for schedule(static) if (s->A.nnz > PAR_MIN_NNZ)
    for (int32_t i = 0; i < s->m; i++) {
        double a = row_dot(&s->A, i, xh);
        double v = 2 * a - ax[i];
        double t = y[i] / sigma - v;
        /* sigma (t - proj(t)) rather than y - sigma v - sigma proj(t): the same number, but its sign
         * is exact, so a row with an infinite bound never gets a dual of the wrong sign */
        double h = sigma * (t - clampd(t, -ru[i], -rl[i]));
        axh[i] = a;
        yh[i] = h;
        if (w >= 0) {
            y[i] = halpern(h, y[i], y0[i], w, gamma);
            ax[i] = halpern(a, ax[i], ax0[i], w, gamma);
        }
    }
    return WEFT_OK;
}

static int cpu_pdhg_adjoint(weft_backend *be, weft_pdhg_state *s, double w, double gamma)
{
    const double *yh = RB(s->yh), *xh = RB(s->xh), *x0 = RB(s->x0), *aty0 = RB(s->aty0);
    double *x = RB(s->x), *aty = RB(s->aty), *atyh = RB(s->atyh);
#pragma omp parallel for schedule(static) if (s->AT.nnz > PAR_MIN_NNZ)
    for (int32_t j = 0; j < s->n; j++) {
        double a = row_dot(&s->AT, j, yh);
        atyh[j] = a;
        if (w >= 0) {
            x[j] = halpern(xh[j], x[j], x0[j], w, gamma);
            aty[j] = halpern(a, aty[j], aty0[j], w, gamma);
        }
    }
    return WEFT_OK;
}

static int cpu_pdhg_halpern(weft_backend *be, weft_pdhg_state *s, double w, double gamma)
{
    double *y = RB(s->y), *ax = RB(s->ax), *x = RB(s->x), *aty = RB(s->aty);
    const double *yh = RB(s->yh), *axh = RB(s->axh), *y0 = RB(s->y0), *ax0 = RB(s->ax0);
    const double *xh = RB(s->xh), *atyh = RB(s->atyh), *x0 = RB(s->x0), *aty0 = RB(s->aty0);
    for (int32_t i = 0; i < s->m; i++) {
        y[i] = halpern(yh[i], y[i], y0[i], w, gamma);
        ax[i] = halpern(axh[i], ax[i], ax0[i], w, gamma);
    }
    for (int32_t j = 0; j < s->n; j++) {
        x[j] = halpern(xh[j], x[j], x0[j], w, gamma);
        aty[j] = halpern(atyh[j], aty[j], aty0[j], w, gamma);
    }
    return WEFT_OK;
}

static int cpu_pdhg_stats(weft_backend *be, weft_pdhg_state *s, double out[WEFT_ST_COUNT])
{
    const double *axh = RB(s->axh), *ax = RB(s->ax), *rl = RB(s->rl), *ru = RB(s->ru), *wr = RB(s->wr);
    const double *yh = RB(s->yh), *y = RB(s->y);
    double acc[WEFT_ST_COUNT] = {0};
#pragma omp parallel for reduction(+ : acc[:WEFT_ST_COUNT]) if (s->m > PAR_MIN_VEC)
    for (int32_t i = 0; i < s->m; i++) st_row_add(axh[i], ax[i], rl[i], ru[i], wr[i], yh[i], y[i], acc);
    const double *xh = RB(s->xh), *x = RB(s->x), *c = RB(s->c), *atyh = RB(s->atyh), *lb = RB(s->lb);
    const double *ub = RB(s->ub), *wc = RB(s->wc), *q = s->q ? RB(s->q) : NULL;
#pragma omp parallel for reduction(+ : acc[:WEFT_ST_COUNT]) if (s->n > PAR_MIN_VEC)
    for (int32_t j = 0; j < s->n; j++)
        st_col_add(xh[j], x[j], c[j], q ? q + j : NULL, atyh[j], lb[j], ub[j], wc[j], acc);
    memcpy(out, acc, sizeof acc);
    return WEFT_OK;
}

static int cpu_pdhg_ray_stats(weft_backend *be, weft_pdhg_state *s, const weft_buf *dxb,
                              const weft_buf *adxb, const weft_buf *dyb, const weft_buf *atdyb,
                              double out[WEFT_RS_COUNT])
{
    const double *dx = RB(dxb), *adx = RB(adxb), *dy = RB(dyb), *atdy = RB(atdyb);
    const double *rl = RB(s->rl), *ru = RB(s->ru), *wr = RB(s->wr), *lb = RB(s->lb), *ub = RB(s->ub);
    const double *wc = RB(s->wc), *c = RB(s->c), *q = s->q ? RB(s->q) : NULL;
    double acc[WEFT_RS_COUNT] = {0};
    for (int32_t i = 0; i < s->m; i++) rs_row_add(adx[i], dy[i], rl[i], ru[i], wr[i], acc);
    for (int32_t j = 0; j < s->n; j++) rs_col_add(dx[j], atdy[j], c[j], q ? q + j : NULL, lb[j], ub[j], wc[j], acc);
    memcpy(out, acc, sizeof acc);
    return WEFT_OK;
}

/* Shortest paths: the many-source Dijkstra on the buffers in place. */
static int cpu_sssp(weft_backend *be, const weft_dgraph *g, const int32_t *sources, int32_t ns,
                    const int32_t *targets, int32_t nt, double *time_out, double *dist_out)
{
    weft_csr_graph h = {g->n, IB(g->row_ptr), IB(g->head), RB(g->length_m), RB(g->time_s)};
    return weft_dijkstra_many(be->ctx, &h, sources, ns, targets, nt, time_out, dist_out,
                              ((cpu_backend *)be)->threads);
}

weft_cpu_par *weft_cpu_par_state(weft_backend *be, int op) { return &((cpu_backend *)be)->par[op]; }

static const weft_backend_ops cpu_ops = {
    .name = "cpu",
    .destroy = cpu_destroy,
    .buf_create = cpu_buf_create,
    .buf_destroy = cpu_buf_destroy,
    .buf_read = cpu_buf_read,
    .buf_write = cpu_buf_write,
    .copy = cpu_copy,
    .fill = cpu_fill,
    .axpby = cpu_axpby,
    .dot = cpu_dot,
    .spmv = cpu_spmv,
    .pdhg_primal = cpu_pdhg_primal,
    .pdhg_dual = cpu_pdhg_dual,
    .pdhg_adjoint = cpu_pdhg_adjoint,
    .pdhg_halpern = cpu_pdhg_halpern,
    .pdhg_stats = cpu_pdhg_stats,
    .pdhg_ray_stats = cpu_pdhg_ray_stats,
    .blk_primal = weft_cpu_blk_primal,
    .blk_dual = weft_cpu_blk_dual,
    .blk_adjoint = weft_cpu_blk_adjoint,
    .blk_halpern = weft_cpu_blk_halpern,
    .blk_stats = weft_cpu_blk_stats,
    .blk_ray_stats = weft_cpu_blk_ray_stats,
    .blk_spmv = weft_cpu_blk_spmv,
    .blk_sub = weft_cpu_blk_sub,
    .blk_dot = weft_cpu_blk_dot,
    .blk_copy_cols = weft_cpu_blk_copy_cols,
    .blk_col_read = weft_cpu_blk_col_read,
    .blk_col_write = weft_cpu_blk_col_write,
    .sssp = cpu_sssp,
    .vrp_open = weft_cpu_vrp_open,
    .vrp_best_insertions = weft_cpu_vrp_best_insertions,
    .vrp_close = weft_cpu_vrp_close,
    .vrp_ls_best = weft_cpu_vrp_ls_best,
};

int weft_backend_cpu_open(weft_context *ctx, weft_backend **out)
{
    cpu_backend *be = weft_calloc(ctx, 1, sizeof *be);
    if (!be) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory opening the cpu backend");
    be->base.ops = &cpu_ops;
    be->base.ctx = ctx;
    be->threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    omp_set_num_threads(be->threads);
    snprintf(be->base.description, sizeof be->base.description, "cpu (OpenMP %d threads, %s)",
             be->threads, openblas_get_corename());
    *out = &be->base;
    return WEFT_OK;
}
