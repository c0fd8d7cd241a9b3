/* The OpenCL backend's blocked PDHG (backend.h, blk_*) on kernels/pdhg_batch.cl. The program is
 * built on the first blocked operation (through the binary cache), so single solves never pay for
 * it; its kernels and the partial-sum buffer of its reductions then live with the backend. */
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/opencl_internal.h"
#include "core/context_internal.h"

enum {
    B_PRIMAL, B_DUAL, B_ADJOINT, B_HALPERN, B_SPMV, B_SUB, B_COPY_COLS, B_DOT,
    B_STATS_ROWS, B_STATS_COLS, B_RAY_ROWS, B_RAY_COLS, B_COUNT
};
static const char *const batch_kernels[B_COUNT] = {
    "blk_primal", "blk_dual", "blk_adjoint", "blk_halpern", "blk_spmv", "blk_sub", "blk_copy_cols",
    "blk_dot", "blk_stats_rows", "blk_stats_cols", "blk_ray_rows", "blk_ray_cols",
};
static const char *const batch_sources[] = {"linalg", "pdhg", "pdhg_batch", NULL};

struct weft_cl_batch {
    weft_cl_handles h;
    cl_program prog;
    cl_kernel k[B_COUNT];
    cl_mem partial;
    size_t partial_count;
    double *host_partial;
};

typedef struct karg { size_t size; const void *ptr; } karg;
#define K_MEM(b) {sizeof(cl_mem), &(cl_mem){weft_cl_buf_mem(b)}}
#define K_INT(v) {sizeof(cl_int), &(cl_int){(cl_int)(v)}}
#define K_REAL(v) {sizeof(cl_double), &(cl_double){(v)}}
#define K_PART(c) {sizeof(cl_mem), &(c)->partial}
/* q is optional: the kernels get a flag and, when absent, some valid buffer in its place */
#define K_Q(B) K_MEM((B)->q ? (B)->q : (B)->c), K_INT((B)->q != NULL)
/* items: a work-item each (1-D); groups > 0: a reduction of that many groups per column (2-D) */
#define RUN(be, c, kn, items, groups, K, ...) \
    run((be), (c), (kn), (items), (groups), (K), sizeof((karg[]){__VA_ARGS__}) / sizeof(karg), (karg[]){__VA_ARGS__})

static int run(weft_backend *be, struct weft_cl_batch *c, int kn, size_t items, size_t groups, int32_t K,
               size_t nargs, const karg *args)
{
    for (size_t i = 0; i < nargs; i++) {
        cl_int err = clSetKernelArg(c->k[kn], (cl_uint)i, args[i].size, args[i].ptr);
        if (err != CL_SUCCESS) return weft_cl_fail(be->ctx, err, batch_kernels[kn]);
    }
    size_t wg = (size_t)c->h.wg;
    size_t global[2] = {groups ? groups * wg : (items + wg - 1) / wg * wg, (size_t)K}, local[2] = {wg, 1};
    cl_int err = clEnqueueNDRangeKernel(c->h.queue, c->k[kn], groups ? 2 : 1, NULL, global, local, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(be->ctx, err, batch_kernels[kn]);
    (*c->h.launches)++;
    return WEFT_OK;
}

static int build(weft_backend *be, struct weft_cl_batch *c)
{
    char options[96];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DREAL=double -DWG=%d", c->h.wg);
    int hit = 0;
    int st = weft_cl_program_build(be->ctx, c->h.clctx, c->h.dev, c->h.info, batch_sources, options, &c->prog, &hit);
    for (int i = 0; !st && i < B_COUNT; i++) {
        cl_int err;
        c->k[i] = clCreateKernel(c->prog, batch_kernels[i], &err);
        if (err != CL_SUCCESS) st = weft_cl_fail(be->ctx, err, batch_kernels[i]);
    }
    return st;
}

void weft_cl_batch_free(weft_context *ctx, struct weft_cl_batch **pc)
{
    struct weft_cl_batch *c = *pc;
    if (!c) return;
    for (int i = 0; i < B_COUNT; i++)
        if (c->k[i]) clReleaseKernel(c->k[i]);
    if (c->prog) clReleaseProgram(c->prog);
    if (c->partial) clReleaseMemObject(c->partial);
    weft_free(ctx, c->host_partial);
    weft_free(ctx, c);
    *pc = NULL;
}

/* The backend's batch kernels, built on first use. */
static int kernels(weft_backend *be, struct weft_cl_batch **out)
{
    struct weft_cl_batch **slot = weft_cl_backend_batch(be);
    if (!*slot) {
        struct weft_cl_batch *c = weft_calloc(be->ctx, 1, sizeof *c);
        if (!c) return weft_error(be->ctx, WEFT_ERR_NOMEM, "opencl: out of memory for the batch kernels");
        weft_cl_backend_handles(be, &c->h);
        int st = build(be, c);
        if (st) {
            weft_cl_batch_free(be->ctx, &c);
            return st;
        }
        *slot = c;
    }
    *out = *slot;
    return WEFT_OK;
}

/* Groups per column of a reduction over rows: the device filled across all K columns. */
static size_t reduce_groups(const struct weft_cl_batch *c, size_t rows, int32_t K)
{
    size_t cap = (size_t)(c->h.info->compute_units > 0 ? c->h.info->compute_units : 1) * 16 / (size_t)K;
    size_t g = (rows + (size_t)c->h.wg - 1) / (size_t)c->h.wg;
    if (g > cap) g = cap;
    return g < 1 ? 1 : g;
}

static int partial_reserve(weft_backend *be, struct weft_cl_batch *c, size_t count)
{
    if (count <= c->partial_count) return WEFT_OK;
    double *h = weft_realloc_array(be->ctx, c->host_partial, count, sizeof *h);
    if (!h) return weft_error(be->ctx, WEFT_ERR_NOMEM, "opencl: out of memory for %zu partial sums", count);
    c->host_partial = h;
    if (c->partial) clReleaseMemObject(c->partial);
    c->partial_count = 0;
    cl_int err;
    c->partial = clCreateBuffer(c->h.clctx, CL_MEM_READ_WRITE, count * sizeof(double), NULL, &err);
    if (err != CL_SUCCESS) {
        c->partial = NULL;
        return weft_cl_fail(be->ctx, err, "clCreateBuffer (batch partial sums)");
    }
    c->partial_count = count;
    return WEFT_OK;
}

/* Adds the groups of each (column, slot) in order; slot s of column k goes to
 * out[k * nout + map[s]] (slots naming the same entry are added). */
static int partial_sums(weft_backend *be, struct weft_cl_batch *c, int32_t K, int nslots, size_t groups,
                        const int *map, int nout, double *out)
{
    size_t count = (size_t)K * (size_t)nslots * groups;
    cl_int err = clEnqueueReadBuffer(c->h.queue, c->partial, CL_TRUE, 0, count * sizeof(double), c->host_partial, 0,
                                     NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(be->ctx, err, "reading batch partial sums");
    memset(out, 0, sizeof(double) * (size_t)K * (size_t)nout);
    for (int32_t k = 0; k < K; k++)
        for (int s = 0; s < nslots; s++) {
            const double *p = c->host_partial + ((size_t)k * nslots + s) * groups;
            double sum = 0;
            for (size_t g = 0; g < groups; g++) sum += p[g];
            out[(size_t)k * nout + (map ? map[s] : s)] += sum;
        }
    return WEFT_OK;
}

int weft_cl_blk_primal(weft_backend *be, weft_pdhg_block *B)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->n || !B->K) return st;
    return RUN(be, c, B_PRIMAL, (size_t)B->n * B->K, 0, 1, K_INT(B->n), K_INT(B->ld), K_INT(B->K), K_MEM(B->tau),
               K_MEM(B->x), K_MEM(B->aty), K_MEM(B->c), K_Q(B), K_MEM(B->lb), K_MEM(B->ub), K_MEM(B->xh));
}

int weft_cl_blk_dual(weft_backend *be, weft_pdhg_block *B, double g, double gamma)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->m || !B->K) return st;
    return RUN(be, c, B_DUAL, (size_t)B->m * B->K, 0, 1, K_INT(B->m), K_INT(B->ld), K_INT(B->K),
               K_MEM(B->A.row_ptr), K_MEM(B->A.col_idx), K_MEM(B->A.val), K_MEM(B->xh), K_MEM(B->sigma),
               K_MEM(B->base), K_REAL(g), K_REAL(gamma), K_MEM(B->rl), K_MEM(B->ru), K_MEM(B->y), K_MEM(B->ax),
               K_MEM(B->y0), K_MEM(B->ax0), K_MEM(B->yh), K_MEM(B->axh));
}

int weft_cl_blk_adjoint(weft_backend *be, weft_pdhg_block *B, double g, double gamma)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->n || !B->K) return st;
    return RUN(be, c, B_ADJOINT, (size_t)B->n * B->K, 0, 1, K_INT(B->n), K_INT(B->ld), K_INT(B->K),
               K_MEM(B->AT.row_ptr), K_MEM(B->AT.col_idx), K_MEM(B->AT.val), K_MEM(B->yh), K_MEM(B->base),
               K_REAL(g), K_REAL(gamma), K_MEM(B->xh), K_MEM(B->x), K_MEM(B->x0), K_MEM(B->aty), K_MEM(B->aty0),
               K_MEM(B->atyh));
}

int weft_cl_blk_halpern(weft_backend *be, weft_pdhg_block *B, double g, double gamma)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->K) return st;
    if (B->m)
        st = RUN(be, c, B_HALPERN, (size_t)B->m * B->K, 0, 1, K_INT(B->m), K_INT(B->ld), K_INT(B->K),
                 K_MEM(B->base), K_REAL(g), K_REAL(gamma), K_MEM(B->yh), K_MEM(B->y), K_MEM(B->y0), K_MEM(B->axh),
                 K_MEM(B->ax), K_MEM(B->ax0));
    if (!st && B->n)
        st = RUN(be, c, B_HALPERN, (size_t)B->n * B->K, 0, 1, K_INT(B->n), K_INT(B->ld), K_INT(B->K),
                 K_MEM(B->base), K_REAL(g), K_REAL(gamma), K_MEM(B->xh), K_MEM(B->x), K_MEM(B->x0), K_MEM(B->atyh),
                 K_MEM(B->aty), K_MEM(B->aty0));
    return st;
}

/* Where the partial-sum slots of the row and column kernels go (the kernels' order). */
static const int stats_map[] = {WEFT_ST_PRES2, WEFT_ST_DUAL_ROW, WEFT_ST_DY2, WEFT_ST_DYADX,   /* rows */
                                WEFT_ST_DRES2, WEFT_ST_CX, WEFT_ST_XQX, WEFT_ST_DUAL_COL, WEFT_ST_DX2};
static const int ray_map[] = {WEFT_RS_PRAY2, WEFT_RS_DY2, WEFT_RS_DSGN2, WEFT_RS_DRAY_OBJ,    /* rows */
                              WEFT_RS_DX2, WEFT_RS_CDX, WEFT_RS_QDX2, WEFT_RS_PBND2, WEFT_RS_DRAY2,
                              WEFT_RS_DRAY_OBJ};
enum { STATS_SLOTS = 9, RAY_SLOTS = 10, ROW_SLOTS = 4 };

int weft_cl_blk_stats(weft_backend *be, weft_pdhg_block *B, double *out)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->K) return st;
    size_t g = reduce_groups(c, (size_t)(B->m > B->n ? B->m : B->n), B->K);
    st = partial_reserve(be, c, (size_t)B->K * STATS_SLOTS * g);
    if (!st)
        st = RUN(be, c, B_STATS_ROWS, 0, g, B->K, K_INT(B->m), K_INT(B->ld), K_MEM(B->axh), K_MEM(B->ax),
                 K_MEM(B->rl), K_MEM(B->ru), K_MEM(B->wr), K_MEM(B->yh), K_MEM(B->y), K_PART(c),
                 K_INT(STATS_SLOTS), K_INT(0));
    if (!st)
        st = RUN(be, c, B_STATS_COLS, 0, g, B->K, K_INT(B->n), K_INT(B->ld), K_MEM(B->xh), K_MEM(B->x),
                 K_MEM(B->c), K_Q(B), K_MEM(B->atyh), K_MEM(B->lb), K_MEM(B->ub), K_MEM(B->wc), K_PART(c),
                 K_INT(STATS_SLOTS), K_INT(ROW_SLOTS));
    return st ? st : partial_sums(be, c, B->K, STATS_SLOTS, g, stats_map, WEFT_ST_COUNT, out);
}

int weft_cl_blk_ray_stats(weft_backend *be, weft_pdhg_block *B, const weft_buf *dx, const weft_buf *adx,
                          const weft_buf *dy, const weft_buf *atdy, double *out)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !B->K) return st;
    size_t g = reduce_groups(c, (size_t)(B->m > B->n ? B->m : B->n), B->K);
    st = partial_reserve(be, c, (size_t)B->K * RAY_SLOTS * g);
    if (!st)
        st = RUN(be, c, B_RAY_ROWS, 0, g, B->K, K_INT(B->m), K_INT(B->ld), K_MEM(adx), K_MEM(dy), K_MEM(B->rl),
                 K_MEM(B->ru), K_MEM(B->wr), K_PART(c), K_INT(RAY_SLOTS), K_INT(0));
    if (!st)
        st = RUN(be, c, B_RAY_COLS, 0, g, B->K, K_INT(B->n), K_INT(B->ld), K_MEM(dx), K_MEM(atdy), K_MEM(B->c),
                 K_Q(B), K_MEM(B->lb), K_MEM(B->ub), K_MEM(B->wc), K_PART(c), K_INT(RAY_SLOTS), K_INT(ROW_SLOTS));
    return st ? st : partial_sums(be, c, B->K, RAY_SLOTS, g, ray_map, WEFT_RS_COUNT, out);
}

int weft_cl_blk_spmv(weft_backend *be, const weft_dmat *A, int32_t ld, int32_t K, const weft_buf *x, weft_buf *y)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !A->rows || !K) return st;
    return RUN(be, c, B_SPMV, (size_t)A->rows * K, 0, 1, K_INT(A->rows), K_INT(ld), K_INT(K), K_MEM(A->row_ptr),
               K_MEM(A->col_idx), K_MEM(A->val), K_MEM(x), K_MEM(y));
}

int weft_cl_blk_sub(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *a, const weft_buf *b,
                    weft_buf *out)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !rows || !K) return st;
    return RUN(be, c, B_SUB, rows * (size_t)K, 0, 1, K_INT(rows), K_INT(ld), K_INT(K), K_MEM(a), K_MEM(b), K_MEM(out));
}

int weft_cl_blk_dot(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *x, const weft_buf *y,
                    double *out)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !K) return st;
    size_t g = reduce_groups(c, rows, K);
    st = partial_reserve(be, c, (size_t)K * g);
    if (!st) st = RUN(be, c, B_DOT, 0, g, K, K_INT(rows), K_INT(ld), K_MEM(x), K_MEM(y), K_PART(c));
    return st ? st : partial_sums(be, c, K, 1, g, NULL, 1, out);
}

int weft_cl_blk_copy_cols(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *map,
                          const weft_buf *src, weft_buf *dst)
{
    struct weft_cl_batch *c;
    int st = kernels(be, &c);
    if (st || !rows || !K) return st;
    return RUN(be, c, B_COPY_COLS, rows * (size_t)K, 0, 1, K_INT(rows), K_INT(ld), K_INT(K), K_MEM(map), K_MEM(src),
               K_MEM(dst));
}

/* Column k of a rows x ld block: a strided rectangle of one double per row. */
static int col_transfer(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k, double *host,
                        int write)
{
    if (!rows) return WEFT_OK;
    if (k < 0 || k >= ld) return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "opencl: column %d of a block of %d", k, ld);
    weft_cl_handles h;
    weft_cl_backend_handles(be, &h);
    size_t origin[3] = {(size_t)k * sizeof(double), 0, 0}, zero[3] = {0, 0, 0};
    size_t region[3] = {sizeof(double), rows, 1}, pitch = (size_t)ld * sizeof(double);
    cl_mem m = weft_cl_buf_mem(b);
    cl_int err = write ? clEnqueueWriteBufferRect(h.queue, m, CL_TRUE, origin, zero, region, pitch, 0,
                                                  sizeof(double), 0, host, 0, NULL, NULL)
                       : clEnqueueReadBufferRect(h.queue, m, CL_TRUE, origin, zero, region, pitch, 0,
                                                 sizeof(double), 0, host, 0, NULL, NULL);
    return err == CL_SUCCESS ? WEFT_OK : weft_cl_fail(be->ctx, err, write ? "writing a block column" : "reading a block column");
}

int weft_cl_blk_col_read(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k, double *host)
{
    return col_transfer(be, b, rows, ld, k, host, 0);
}

int weft_cl_blk_col_write(weft_backend *be, weft_buf *b, size_t rows, int32_t ld, int32_t k, const double *host)
{
    return col_transfer(be, b, rows, ld, k, (double *)host, 1);
}
