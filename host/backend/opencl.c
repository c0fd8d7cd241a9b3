/* The OpenCL backend: buffers are cl_mem on one device, operations are kernels from kernels/
 * (linalg.cl, pdhg.cl) launched on one in-order queue. Only reductions and _read calls wait for the
 * device; everything else is queued. */
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/opencl_internal.h"
#include "core/context_internal.h"

struct weft_buf {
    cl_mem mem;
    size_t count;
    weft_elem elem;
};

/* The kernels every backend op uses, in the order of kernel_names. */
enum {
    K_FILL, K_COPY, K_AXPBY, K_DOT, K_SPMV,
    K_PRIMAL, K_DUAL, K_ADJOINT, K_HALPERN, K_STATS_ROWS, K_STATS_COLS, K_RAY_ROWS, K_RAY_COLS,
    K_COUNT
};
static const char *const kernel_names[K_COUNT] = {
    "vec_fill", "vec_copy", "vec_axpby", "vec_dot", "csr_spmv",
    "pdhg_primal", "pdhg_dual", "pdhg_adjoint", "pdhg_halpern",
    "pdhg_stats_rows", "pdhg_stats_cols", "pdhg_ray_rows", "pdhg_ray_cols",
};
/* The one program of this backend: pdhg.cl builds on linalg.cl's helpers. */
static const char *const program_sources[] = {"linalg", "pdhg", NULL};

typedef struct ocl_backend {
    weft_backend base;
    weft_cl_device dev;
    weft_device_info info;
    weft_cl_tuning tune;
    cl_context clctx;
    cl_command_queue queue;
    cl_program prog;
    cl_kernel k[K_COUNT];
    cl_mem partial;      /* per-group partial sums of the reductions */
    size_t partial_count;
    double *host_partial;
    weft_cl_stats stats;
    int force_vw;        /* 0: lanes per CSR row from the tuning table */
    struct weft_cl_batch *batch; /* blocked-PDHG kernels, built on first use */
} ocl_backend;

#define CLB(be) ((ocl_backend *)(be))

/* One kernel argument. The A_* macros build them in place; compound literals live to the end of
 * the enclosing block, i.e. past the launch. */
typedef struct ocl_arg { size_t size; const void *ptr; } ocl_arg;
#define A_MEM(b) {sizeof(cl_mem), &(b)->mem}
#define A_INT(v) {sizeof(cl_int), &(cl_int){(cl_int)(v)}}
#define A_REAL(v) {sizeof(cl_double), &(cl_double){(v)}}
#define LAUNCH(be, k, groups, ...) \
    launch((be), (k), (groups), sizeof((ocl_arg[]){__VA_ARGS__}) / sizeof(ocl_arg), (ocl_arg[]){__VA_ARGS__})

static int launch(ocl_backend *be, int k, size_t groups, size_t nargs, const ocl_arg *args)
{
    for (size_t i = 0; i < nargs; i++) {
        cl_int err = clSetKernelArg(be->k[k], (cl_uint)i, args[i].size, args[i].ptr);
        if (err != CL_SUCCESS) return weft_cl_fail(be->base.ctx, err, kernel_names[k]);
    }
    size_t local = (size_t)be->tune.wg, global = groups * local;
    cl_int err = clEnqueueNDRangeKernel(be->queue, be->k[k], 1, NULL, &global, &local, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(be->base.ctx, err, kernel_names[k]);
    be->stats.launches++;
    return WEFT_OK;
}

static size_t groups_for(const ocl_backend *be, size_t n) { return (n + (size_t)be->tune.wg - 1) / (size_t)be->tune.wg; }

/* Groups of a reduction over n: enough to fill the device, few enough that the host sum is cheap. */
static size_t reduce_groups(const ocl_backend *be, size_t n)
{
    size_t cap = (size_t)(be->info.compute_units > 0 ? be->info.compute_units : 1) * (size_t)be->tune.groups_per_cu;
    size_t g = groups_for(be, n);
    return g < 1 ? 1 : (g > cap ? cap : g);
}

/* Lanes per CSR row: one row per work-item for short rows, a power-of-two team for long ones. */
static int csr_lanes(const ocl_backend *be, const weft_dmat *A)
{
    if (be->force_vw) return be->force_vw;
    double avg = A->rows ? (double)A->nnz / A->rows : 0;
    if (avg < be->tune.vector_min_avg) return 1;
    int vw = 2;
    while (vw < avg && vw < be->tune.max_vw) vw *= 2;
    return vw;
}

static size_t csr_groups(const ocl_backend *be, int32_t rows, int vw)
{
    return groups_for(be, (size_t)rows * (size_t)vw);
}

static int check_len(weft_backend *be, size_t n)
{
    if (n > INT32_MAX) return weft_error(be->ctx, WEFT_ERR_OVERFLOW, "opencl: vector length %zu exceeds int32", n);
    return WEFT_OK;
}

/* Room for count partial sums, on the device and on the host. */
static int partial_reserve(ocl_backend *be, size_t count)
{
    if (count <= be->partial_count) return WEFT_OK;
    weft_context *ctx = be->base.ctx;
    double *h = weft_realloc_array(ctx, be->host_partial, count, sizeof *h);
    if (!h) return weft_error(ctx, WEFT_ERR_NOMEM, "opencl: out of memory for %zu partial sums", count);
    be->host_partial = h;
    if (be->partial) clReleaseMemObject(be->partial);
    be->partial_count = 0;
    cl_int err;
    be->partial = clCreateBuffer(be->clctx, CL_MEM_READ_WRITE, count * sizeof(double), NULL, &err);
    if (err != CL_SUCCESS) {
        be->partial = NULL;
        return weft_cl_fail(ctx, err, "clCreateBuffer (partial sums)");
    }
    be->partial_count = count;
    return WEFT_OK;
}

/* Reads nvals x groups partial sums and adds each value's groups in order. */
static int partial_sum(ocl_backend *be, size_t nvals, size_t groups, double *out)
{
    cl_int err = clEnqueueReadBuffer(be->queue, be->partial, CL_TRUE, 0, nvals * groups * sizeof(double),
                                     be->host_partial, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(be->base.ctx, err, "reading partial sums");
    for (size_t v = 0; v < nvals; v++) {
        double s = 0;
        for (size_t g = 0; g < groups; g++) s += be->host_partial[v * groups + g];
        out[v] = s;
    }
    return WEFT_OK;
}

static void ocl_destroy(weft_backend *base)
{
    ocl_backend *be = CLB(base);
    if (be->queue) clFinish(be->queue);
    weft_cl_batch_free(base->ctx, &be->batch);
    for (int i = 0; i < K_COUNT; i++)
        if (be->k[i]) clReleaseKernel(be->k[i]);
    if (be->prog) clReleaseProgram(be->prog);
    if (be->partial) clReleaseMemObject(be->partial);
    if (be->queue) clReleaseCommandQueue(be->queue);
    if (be->clctx) clReleaseContext(be->clctx);
    weft_free(base->ctx, be->host_partial);
    weft_free(base->ctx, be);
}

static size_t esize(weft_elem e) { return e == WEFT_REAL ? sizeof(double) : sizeof(int32_t); }

static int ocl_buf_create(weft_backend *base, weft_elem e, size_t count, const void *host, weft_buf **out)
{
    ocl_backend *be = CLB(base);
    *out = NULL;
    if (count > INT32_MAX)
        return weft_error(base->ctx, WEFT_ERR_OVERFLOW, "opencl: buffer of %zu elements exceeds int32", count);
    weft_buf *b = weft_calloc(base->ctx, 1, sizeof *b);
    if (!b) return weft_error(base->ctx, WEFT_ERR_NOMEM, "opencl: out of memory for a buffer handle");
    size_t bytes = (count ? count : 1) * esize(e); /* OpenCL refuses empty buffers */
    cl_int err;
    b->mem = clCreateBuffer(be->clctx, CL_MEM_READ_WRITE | (host && count ? CL_MEM_COPY_HOST_PTR : 0),
                            bytes, host && count ? (void *)host : NULL, &err);
    if (err == CL_SUCCESS && !(host && count)) {
        /* zeroed like the cpu backend's calloc, so both start from the same contents */
        const cl_int zero = 0;
        err = clEnqueueFillBuffer(be->queue, b->mem, &zero, sizeof zero, 0, bytes, 0, NULL, NULL);
    }
    if (err != CL_SUCCESS) {
        if (b->mem) clReleaseMemObject(b->mem);
        weft_free(base->ctx, b);
        return weft_cl_fail(base->ctx, err, "clCreateBuffer");
    }
    b->count = count;
    b->elem = e;
    *out = b;
    return WEFT_OK;
}

static void ocl_buf_destroy(weft_backend *base, weft_buf **b)
{
    if (!b || !*b) return;
    clReleaseMemObject((*b)->mem);
    weft_free(base->ctx, *b);
    *b = NULL;
}

/* Blocking both ways: a read's data is there on return, and a write's host memory may be reused. */
static int transfer(weft_backend *base, const weft_buf *b, size_t off, size_t n, void *host, int write)
{
    if (off + n > b->count || off + n < off)
        return weft_error(base->ctx, WEFT_ERR_INVALID_ARG, "opencl: buffer %s of [%zu, %zu) out of range "
                          "(%zu elements)", write ? "write" : "read", off, off + n, b->count);
    if (!n) return WEFT_OK;
    size_t es = esize(b->elem);
    cl_command_queue q = CLB(base)->queue;
    cl_int err = write ? clEnqueueWriteBuffer(q, b->mem, CL_TRUE, off * es, n * es, host, 0, NULL, NULL)
                       : clEnqueueReadBuffer(q, b->mem, CL_TRUE, off * es, n * es, host, 0, NULL, NULL);
    return err == CL_SUCCESS ? WEFT_OK : weft_cl_fail(base->ctx, err, write ? "clEnqueueWriteBuffer" : "clEnqueueReadBuffer");
}

static int ocl_buf_read(weft_backend *base, const weft_buf *b, size_t off, size_t n, void *host)
{
    return transfer(base, b, off, n, host, 0);
}

static int ocl_buf_write(weft_backend *base, weft_buf *b, size_t off, size_t n, const void *host)
{
    return transfer(base, b, off, n, (void *)host, 1);
}

static int ocl_copy(weft_backend *base, size_t n, const weft_buf *src, weft_buf *dst)
{
    int st = check_len(base, n);
    if (st || !n) return st;
    return LAUNCH(CLB(base), K_COPY, groups_for(CLB(base), n), A_INT(n), A_MEM(src), A_MEM(dst));
}

static int ocl_fill(weft_backend *base, size_t n, double v, weft_buf *x)
{
    int st = check_len(base, n);
    if (st || !n) return st;
    return LAUNCH(CLB(base), K_FILL, groups_for(CLB(base), n), A_INT(n), A_REAL(v), A_MEM(x));
}

static int ocl_axpby(weft_backend *base, size_t n, double a, const weft_buf *x, double b, weft_buf *y)
{
    int st = check_len(base, n);
    if (st || !n) return st;
    return LAUNCH(CLB(base), K_AXPBY, groups_for(CLB(base), n), A_INT(n), A_REAL(a), A_MEM(x), A_REAL(b), A_MEM(y));
}

static int ocl_dot(weft_backend *base, size_t n, const weft_buf *x, const weft_buf *y, double *out)
{
    ocl_backend *be = CLB(base);
    size_t g = reduce_groups(be, n);
    int st = check_len(base, n);
    if (!st) st = partial_reserve(be, g);
    if (!st) st = LAUNCH(be, K_DOT, g, A_INT(n), A_MEM(x), A_MEM(y), {sizeof(cl_mem), &be->partial});
    if (!st) st = partial_sum(be, 1, g, out);
    return st;
}

static int ocl_spmv(weft_backend *base, const weft_dmat *A, const weft_buf *x, weft_buf *y)
{
    ocl_backend *be = CLB(base);
    if (!A->rows) return WEFT_OK;
    int vw = csr_lanes(be, A);
    return LAUNCH(be, K_SPMV, csr_groups(be, A->rows, vw), A_INT(A->rows), A_MEM(A->row_ptr),
                  A_MEM(A->col_idx), A_MEM(A->val), A_MEM(x), A_MEM(y), A_INT(vw));
}

/* q is optional: kernels get a flag and, when absent, some valid buffer in its place. */
#define Q_ARGS(s) A_MEM((s)->q ? (s)->q : (s)->c), A_INT((s)->q != NULL)

static int ocl_pdhg_primal(weft_backend *base, weft_pdhg_state *s, double tau)
{
    if (!s->n) return WEFT_OK;
    return LAUNCH(CLB(base), K_PRIMAL, groups_for(CLB(base), (size_t)s->n), A_INT(s->n), A_REAL(tau),
                  A_MEM(s->x), A_MEM(s->aty), A_MEM(s->c), Q_ARGS(s), A_MEM(s->lb), A_MEM(s->ub), A_MEM(s->xh));
}

static int ocl_pdhg_dual(weft_backend *base, weft_pdhg_state *s, double sigma, double w, double gamma)
{
    ocl_backend *be = CLB(base);
    if (!s->m) return WEFT_OK;
    int vw = csr_lanes(be, &s->A);
    return LAUNCH(be, K_DUAL, csr_groups(be, s->m, vw), A_INT(s->m), A_MEM(s->A.row_ptr),
                  A_MEM(s->A.col_idx), A_MEM(s->A.val), A_INT(vw), A_MEM(s->xh), A_REAL(sigma),
                  A_REAL(w), A_REAL(gamma), A_MEM(s->rl), A_MEM(s->ru), A_MEM(s->y), A_MEM(s->ax),
                  A_MEM(s->y0), A_MEM(s->ax0), A_MEM(s->yh), A_MEM(s->axh));
}

static int ocl_pdhg_adjoint(weft_backend *base, weft_pdhg_state *s, double w, double gamma)
{
    ocl_backend *be = CLB(base);
    if (!s->n) return WEFT_OK;
    int vw = csr_lanes(be, &s->AT);
    return LAUNCH(be, K_ADJOINT, csr_groups(be, s->n, vw), A_INT(s->n), A_MEM(s->AT.row_ptr),
                  A_MEM(s->AT.col_idx), A_MEM(s->AT.val), A_INT(vw), A_MEM(s->yh), A_REAL(w),
                  A_REAL(gamma), A_MEM(s->xh), A_MEM(s->x), A_MEM(s->x0), A_MEM(s->aty),
                  A_MEM(s->aty0), A_MEM(s->atyh));
}

static int ocl_pdhg_halpern(weft_backend *base, weft_pdhg_state *s, double w, double gamma)
{
    ocl_backend *be = CLB(base);
    int st = WEFT_OK;
    if (s->m)
        st = LAUNCH(be, K_HALPERN, groups_for(be, (size_t)s->m), A_INT(s->m), A_REAL(w), A_REAL(gamma),
                    A_MEM(s->yh), A_MEM(s->y), A_MEM(s->y0), A_MEM(s->axh), A_MEM(s->ax), A_MEM(s->ax0));
    if (!st && s->n)
        st = LAUNCH(be, K_HALPERN, groups_for(be, (size_t)s->n), A_INT(s->n), A_REAL(w), A_REAL(gamma),
                    A_MEM(s->xh), A_MEM(s->x), A_MEM(s->x0), A_MEM(s->atyh), A_MEM(s->aty), A_MEM(s->aty0));
    return st;
}

#define PARTIAL(be, first) {sizeof(cl_mem), &(be)->partial}, A_INT(first)

/* Where each partial-sum slot of a check's row and column kernels goes in the caller's out[]
 * (the kernels' order; slots naming the same entry are added). */
static const int stats_map[] = {WEFT_ST_PRES2, WEFT_ST_DUAL_ROW, WEFT_ST_DY2, WEFT_ST_DYADX,   /* rows */
                                WEFT_ST_DRES2, WEFT_ST_CX, WEFT_ST_XQX, WEFT_ST_DUAL_COL, WEFT_ST_DX2};
static const int ray_map[] = {WEFT_RS_PRAY2, WEFT_RS_DY2, WEFT_RS_DSGN2, WEFT_RS_DRAY_OBJ,    /* rows */
                              WEFT_RS_DX2, WEFT_RS_CDX, WEFT_RS_QDX2, WEFT_RS_PBND2, WEFT_RS_DRAY2,
                              WEFT_RS_DRAY_OBJ};
enum { MAX_SLOTS = 10, ROW_SLOTS = 4 };

static size_t check_groups(const ocl_backend *be, const weft_pdhg_state *s)
{
    return reduce_groups(be, (size_t)(s->m > s->n ? s->m : s->n));
}

static int scatter_sums(ocl_backend *be, size_t groups, const int *map, int nslots, double *out, int nout)
{
    double v[MAX_SLOTS];
    int st = partial_sum(be, (size_t)nslots, groups, v);
    if (st) return st;
    for (int k = 0; k < nout; k++) out[k] = 0;
    for (int k = 0; k < nslots; k++) out[map[k]] += v[k];
    return WEFT_OK;
}

static int ocl_pdhg_stats(weft_backend *base, weft_pdhg_state *s, double out[WEFT_ST_COUNT])
{
    ocl_backend *be = CLB(base);
    size_t g = check_groups(be, s);
    int st = partial_reserve(be, MAX_SLOTS * g);
    if (!st)
        st = LAUNCH(be, K_STATS_ROWS, g, A_INT(s->m), A_MEM(s->axh), A_MEM(s->ax), A_MEM(s->rl),
                    A_MEM(s->ru), A_MEM(s->wr), A_MEM(s->yh), A_MEM(s->y), PARTIAL(be, 0));
    if (!st)
        st = LAUNCH(be, K_STATS_COLS, g, A_INT(s->n), A_MEM(s->xh), A_MEM(s->x), A_MEM(s->c), Q_ARGS(s),
                    A_MEM(s->atyh), A_MEM(s->lb), A_MEM(s->ub), A_MEM(s->wc), PARTIAL(be, ROW_SLOTS));
    return st ? st : scatter_sums(be, g, stats_map, WEFT_ST_COUNT, out, WEFT_ST_COUNT);
}

static int ocl_pdhg_ray_stats(weft_backend *base, weft_pdhg_state *s, const weft_buf *dx,
                              const weft_buf *adx, const weft_buf *dy, const weft_buf *atdy,
                              double out[WEFT_RS_COUNT])
{
    ocl_backend *be = CLB(base);
    size_t g = check_groups(be, s);
    int st = partial_reserve(be, MAX_SLOTS * g);
    if (!st)
        st = LAUNCH(be, K_RAY_ROWS, g, A_INT(s->m), A_MEM(adx), A_MEM(dy), A_MEM(s->rl), A_MEM(s->ru),
                    A_MEM(s->wr), PARTIAL(be, 0));
    if (!st)
        st = LAUNCH(be, K_RAY_COLS, g, A_INT(s->n), A_MEM(dx), A_MEM(atdy), A_MEM(s->c), Q_ARGS(s),
                    A_MEM(s->lb), A_MEM(s->ub), A_MEM(s->wc), PARTIAL(be, ROW_SLOTS));
    return st ? st : scatter_sums(be, g, ray_map, MAX_SLOTS, out, WEFT_RS_COUNT);
}

static const weft_backend_ops ocl_ops = {
    .name = "opencl",
    .destroy = ocl_destroy,
    .buf_create = ocl_buf_create,
    .buf_destroy = ocl_buf_destroy,
    .buf_read = ocl_buf_read,
    .buf_write = ocl_buf_write,
    .copy = ocl_copy,
    .fill = ocl_fill,
    .axpby = ocl_axpby,
    .dot = ocl_dot,
    .spmv = ocl_spmv,
    .pdhg_primal = ocl_pdhg_primal,
    .pdhg_dual = ocl_pdhg_dual,
    .pdhg_adjoint = ocl_pdhg_adjoint,
    .pdhg_halpern = ocl_pdhg_halpern,
    .pdhg_stats = ocl_pdhg_stats,
    .pdhg_ray_stats = ocl_pdhg_ray_stats,
    .blk_primal = weft_cl_blk_primal,
    .blk_dual = weft_cl_blk_dual,
    .blk_adjoint = weft_cl_blk_adjoint,
    .blk_halpern = weft_cl_blk_halpern,
    .blk_stats = weft_cl_blk_stats,
    .blk_ray_stats = weft_cl_blk_ray_stats,
    .blk_spmv = weft_cl_blk_spmv,
    .blk_sub = weft_cl_blk_sub,
    .blk_dot = weft_cl_blk_dot,
    .blk_copy_cols = weft_cl_blk_copy_cols,
    .blk_col_read = weft_cl_blk_col_read,
    .blk_col_write = weft_cl_blk_col_write,
    .sssp = weft_cl_sssp,
    .vrp_open = weft_cl_vrp_open,
    .vrp_best_insertions = weft_cl_vrp_best_insertions,
    .vrp_close = weft_cl_vrp_close,
    .vrp_ls_best = weft_cl_vrp_ls_best,
};

void weft_cl_backend_handles(weft_backend *base, weft_cl_handles *out)
{
    ocl_backend *be = CLB(base);
    *out = (weft_cl_handles){be->clctx, be->queue, &be->dev, &be->info, be->tune.wg, &be->stats.launches};
}

cl_mem weft_cl_buf_mem(const weft_buf *b) { return b->mem; }

struct weft_cl_batch **weft_cl_backend_batch(weft_backend *base) { return &CLB(base)->batch; }

/* Context, queue, program and kernels for the chosen device. */
static int ocl_setup(ocl_backend *be)
{
    weft_context *ctx = be->base.ctx;
    cl_int err;
    size_t max_wg = 0;
    clGetDeviceInfo(be->dev.device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_wg, &max_wg, NULL);
    weft_cl_tuning_for(&be->info, max_wg, &be->tune);
    be->clctx = clCreateContext(NULL, 1, &be->dev.device, NULL, NULL, &err);
    if (err != CL_SUCCESS) return weft_cl_fail(ctx, err, "clCreateContext");
    be->queue = clCreateCommandQueue(be->clctx, be->dev.device, 0, &err);
    if (err != CL_SUCCESS) return weft_cl_fail(ctx, err, "clCreateCommandQueue");
    char options[128];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DREAL=double -DWG=%d", be->tune.wg);
    int hit = 0;
    int st = weft_cl_program_build(ctx, be->clctx, &be->dev, &be->info, program_sources, options,
                                   &be->prog, &hit);
    if (st) return st;
    be->stats.cache_hits += hit;
    be->stats.builds += !hit;
    for (int i = 0; i < K_COUNT; i++) {
        be->k[i] = clCreateKernel(be->prog, kernel_names[i], &err);
        if (err != CL_SUCCESS) return weft_cl_fail(ctx, err, kernel_names[i]);
        size_t kwg = 0;
        clGetKernelWorkGroupInfo(be->k[i], be->dev.device, CL_KERNEL_WORK_GROUP_SIZE, sizeof kwg, &kwg, NULL);
        if (kwg && kwg < (size_t)be->tune.wg)
            return weft_error(ctx, WEFT_ERR_DEVICE, "opencl: kernel %s allows work-groups of %zu on %s, "
                              "fewer than the %d its tuning row asks for", kernel_names[i], kwg,
                              be->info.name, be->tune.wg);
    }
    return WEFT_OK;
}

int weft_backend_opencl_open(weft_context *ctx, const char *spec, weft_backend **out)
{
    *out = NULL;
    ocl_backend *be = weft_calloc(ctx, 1, sizeof *be);
    if (!be) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory opening the opencl backend");
    be->base.ops = &ocl_ops;
    be->base.ctx = ctx;
    int st = weft_cl_select(ctx, spec && *spec ? spec : "cl", &be->dev, &be->info);
    if (!st) st = ocl_setup(be);
    if (st) {
        ocl_destroy(&be->base);
        return st;
    }
    snprintf(be->base.description, sizeof be->base.description, "opencl: %.80s (%.36s)", be->info.name,
             be->info.platform_name);
    weft_log(ctx, WEFT_LOG_DETAIL, "%s: work-group %d, driver %s", be->base.description, be->tune.wg,
             be->info.driver);
    *out = &be->base;
    return WEFT_OK;
}

int weft_backend_opencl_stats(const weft_backend *be, weft_cl_stats *out)
{
    if (!be || be->ops != &ocl_ops) return WEFT_ERR_INVALID_ARG;
    *out = ((const ocl_backend *)be)->stats;
    return WEFT_OK;
}

int weft_backend_opencl_force_lanes(weft_backend *be, int vw)
{
    if (!be || be->ops != &ocl_ops || vw < 0 || (vw & (vw - 1)) || vw > CLB(be)->tune.wg)
        return WEFT_ERR_INVALID_ARG;
    CLB(be)->force_vw = vw;
    return WEFT_OK;
}
