/* The memory-bound items of weft bench (copy, spmv, pdhg_iteration) and the whole dispatch solve.
 *
 * Byte models (bytes one call must move at least, each array read or written once; index 4 bytes,
 * real 8; the gathered x of a product counted once per nonzero, i.e. no cache reuse assumed):
 *   copy:  16 n (read x, write y)
 *   spmv:  nnz (8 + 4) + (rows + 1) 4 + nnz 8 (gathered x) + rows 8 (y)
 *   pdhg_iteration: the spmv model for A and for A' (AT in CSR), plus the vectors the fused ops
 *          stream: primal reads x, aty, c, lb, ub (and q) and writes xh; dual reads ax, y, rl, ru,
 *          y0, ax0 and writes axh, yh, y, ax; adjoint reads xh, x, x0, aty, aty0 and writes atyh,
 *          x, aty (kernels/pdhg.cl). */
#include <math.h>
#include <string.h>

#include "bench/bench_internal.h"
#include "core/context_internal.h"

#define COPY_ELEMS (1u << 25)       /* 256 MiB per buffer: past any cache */
#define COPY_ELEMS_QUICK (1u << 21)

const char *weft_bench_byte_model(const char *item)
{
    static const char *const models[][2] = {
        {"copy", "16 n: read x, write y"},
        {"spmv", "nnz*(8+4) + (rows+1)*4 + nnz*8 (x gathered once per nonzero) + rows*8 (y)"},
        {"pdhg_iteration", "spmv model for A and A' + primal 8*(6|7)*n + dual 8*10*m + adjoint 8*8*n "
                           "(vectors streamed by the fused ops)"},
    };
    for (size_t i = 0; i < sizeof models / sizeof *models; i++)
        if (!strcmp(item, models[i][0])) return models[i][1];
    return NULL;
}

typedef struct vec_op {
    weft_backend *be;
    size_t n;
    weft_buf *x, *y;
    const weft_dmat *A;
    weft_pdhg_state *s;
    double tau, sigma;
} vec_op;

/* A one-element read: returns once the queue has finished everything before it. */
static int sync_read(weft_backend *be, const weft_buf *b)
{
    double v;
    return be->ops->buf_read(be, b, 0, 1, &v);
}

static int run_copy(void *u)
{
    vec_op *v = u;
    return v->be->ops->copy(v->be, v->n, v->x, v->y);
}

static int sync_y(void *u)
{
    vec_op *v = u;
    return sync_read(v->be, v->y);
}

int bench_copy(weft_backend *be, const weft_bench_data *d, const weft_device_info *info, weft_bench_item *it)
{
    size_t n = d->opt.quick ? COPY_ELEMS_QUICK : COPY_ELEMS;
    /* two buffers in at most an eighth of the device's memory */
    while (info->global_mem && n > 1024 && 16.0 * n > info->global_mem / 8.0) n /= 2;
    vec_op v = {.be = be, .n = n};
    int st = be->ops->buf_create(be, WEFT_REAL, n, NULL, &v.x);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, n, NULL, &v.y);
    if (!st) st = be->ops->fill(be, n, 1.5, v.x);
    bench_call c = {run_copy, sync_y, &v};
    if (!st) st = bench_time(&c, &d->opt, 1, "copy", it);
    if (!st) {
        bench_set_bytes(it, 16.0 * (double)n, 0);
        it->ratio_to_copy = 1;
        bench_figure(it, "elements", (double)n);
    }
    be->ops->buf_destroy(be, &v.x);
    be->ops->buf_destroy(be, &v.y);
    return st;
}

static double spmv_bytes(double rows, double nnz) { return nnz * 12 + (rows + 1) * 4 + nnz * 8 + rows * 8; }

static double pdhg_bytes(const lp_scaled *S)
{
    double n = S->n, m = S->m;
    double primal = (S->q ? 7 : 6) * n * 8, dual = 10 * m * 8, adjoint = 8 * n * 8;
    return spmv_bytes(m, S->nnz) + spmv_bytes(n, S->nnz) + primal + dual + adjoint;
}

/* An upper bound on ||A||_2, sqrt(||A||_1 ||A||_inf): the steps 0.9 / bound keep PDHG stable. */
static double norm_bound(const lp_scaled *S)
{
    double r = 0, c = 0;
    for (int32_t i = 0; i < S->m; i++) {
        double s = 0;
        for (int32_t k = S->rp[i]; k < S->rp[i + 1]; k++) s += fabs(S->v[k]);
        r = fmax(r, s);
    }
    for (int32_t j = 0; j < S->n; j++) {
        double s = 0;
        for (int32_t k = S->trp[j]; k < S->trp[j + 1]; k++) s += fabs(S->tv[k]);
        c = fmax(c, s);
    }
    return r * c > 0 ? sqrt(r * c) : 1;
}

static int run_spmv(void *u)
{
    vec_op *v = u;
    return v->be->ops->spmv(v->be, v->A, v->x, v->y);
}

/* One iteration as the solver runs it between checks: Halpern weight 1/2, full reflection. */
static int run_pdhg(void *u)
{
    vec_op *v = u;
    const weft_backend_ops *op = v->be->ops;
    int st = op->pdhg_primal(v->be, v->s, v->tau);
    if (!st) st = op->pdhg_dual(v->be, v->s, v->sigma, 0.5, 1.0);
    if (!st) st = op->pdhg_adjoint(v->be, v->s, 0.5, 1.0);
    return st;
}

static int sync_x(void *u)
{
    vec_op *v = u;
    return sync_read(v->be, v->s->x);
}

/* x in [-1, 1) from the suite's seed (xorshift), so every device multiplies the same vector. */
static int random_x(weft_backend *be, const weft_bench_data *d, size_t n, weft_buf **out)
{
    double *h = weft_malloc(be->ctx, (n + 1) * sizeof *h);
    if (!h) return weft_error(be->ctx, WEFT_ERR_NOMEM, "bench: out of memory for a vector of %zu", n);
    uint64_t z = d->opt.seed * 0x9E3779B97F4A7C15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        z ^= z << 13, z ^= z >> 7, z ^= z << 17;
        h[i] = (double)(z >> 11) * 0x1.0p-52 - 1.0;
    }
    int st = be->ops->buf_create(be, WEFT_REAL, n, h, out);
    weft_free(be->ctx, h);
    return st;
}

static void lp_figures(weft_bench_item *it, const lp_scaled *S)
{
    bench_figure(it, "rows", S->m);
    bench_figure(it, "cols", S->n);
    bench_figure(it, "nnz", S->nnz);
}

int bench_spmv_pdhg(weft_backend *be, const weft_bench_data *d, double copy_gbs, weft_bench_item *spmv,
                    weft_bench_item *pdhg)
{
    const lp_scaled *S = d->big_scaled;
    weft_pdhg_state s;
    vec_op v = {.be = be, .s = &s};
    int st = lp_pdhg_state_upload(be, S, &s);
    if (!st) st = random_x(be, d, (size_t)S->n, &v.x);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)S->m, NULL, &v.y);
    v.A = &s.A;
    bench_call c1 = {run_spmv, sync_y, &v};
    if (!st) st = bench_time(&c1, &d->opt, 1, "spmv", spmv);
    if (!st) {
        bench_set_bytes(spmv, spmv_bytes(S->m, S->nnz), copy_gbs);
        lp_figures(spmv, S);
    }
    v.tau = v.sigma = 0.9 / norm_bound(S);
    bench_call c2 = {run_pdhg, sync_x, &v};
    if (!st) st = bench_time(&c2, &d->opt, 1, "pdhg_iteration", pdhg);
    if (!st) {
        bench_set_bytes(pdhg, pdhg_bytes(S), copy_gbs);
        lp_figures(pdhg, S);
    }
    be->ops->buf_destroy(be, &v.x);
    be->ops->buf_destroy(be, &v.y);
    lp_pdhg_state_release(be, &s);
    return st;
}

typedef struct dispatch_run {
    weft_context *ctx;
    const weft_lp_problem *lp;
    int64_t iterations;
    int optimal;
    double objective;
} dispatch_run;

static int run_dispatch(void *u)
{
    dispatch_run *r = u;
    weft_lp_options o;
    weft_lp_result res;
    weft_lp_options_default(&o);
    o.tol = 1e-4;
    int st = weft_lp_solve(r->ctx, r->lp, &o, &res);
    if (st) return st;
    r->iterations = res.iterations;
    r->optimal = res.outcome == WEFT_LP_OPTIMAL;
    r->objective = res.objective;
    weft_lp_result_free(r->ctx, &res);
    return WEFT_OK;
}

int bench_dispatch(weft_context *ctx, const weft_bench_data *d, weft_bench_item *it)
{
    dispatch_run r = {ctx, d->day->lp, 0, 0, 0};
    bench_call c = {run_dispatch, NULL, &r};
    int st = bench_time(&c, &d->opt, 0, "dispatch", it);
    if (st) return st;
    bench_figure(it, "iterations", (double)r.iterations);
    bench_figure(it, "optimal", r.optimal);
    bench_figure(it, "lp_objective", r.objective);
    bench_figure(it, "periods", d->day->T);
    bench_figure(it, "nnz", d->day->lp->nnz);
    return WEFT_OK;
}
