/* The OpenCL backend's routing moves: kernels/vrp_moves.cl, one launch per batch. The program and
 * the travel matrices are set up once per solve (vrp_open); each batch writes its struct-of-arrays
 * into scratch buffers that only grow, and reads back one move and one cost per customer. */
#include <stdio.h>

#include "backend/backend.h"
#include "backend/cpu_vrp.h"
#include "backend/opencl_internal.h"
#include "core/context_internal.h"

/* Scratch buffers, in kernel-argument order after the matrices. */
enum { B_PRE, B_SUF, B_PRE_LAST, B_SUF_FIRST, B_POS_ROUTE, B_FIXED, B_KM, B_HOUR, B_MAXDUR, B_COST, B_LOAD,
       B_CAP, B_CUST, B_DEM, B_LOC, B_START, B_MOVE, B_BEST, B_DELTA, B_COUNT };

struct weft_vrp_dev {
    weft_cl_handles h;
    weft_context *ctx;
    int32_t k;
    cl_program prog;
    cl_kernel kern;
    cl_mem time, dist;
    cl_mem buf[B_COUNT];
    size_t cap[B_COUNT]; /* bytes */
};

static const char *const vrp_sources[] = {"vrp_moves", NULL};

void weft_cl_vrp_close(weft_backend *be, weft_vrp_dev **pd)
{
    if (!pd || !*pd) return;
    weft_vrp_dev *d = *pd;
    for (int i = 0; i < B_COUNT; i++)
        if (d->buf[i]) clReleaseMemObject(d->buf[i]);
    if (d->time) clReleaseMemObject(d->time);
    if (d->dist) clReleaseMemObject(d->dist);
    if (d->kern) clReleaseKernel(d->kern);
    if (d->prog) clReleaseProgram(d->prog);
    weft_free(be->ctx, d);
    *pd = NULL;
}

static cl_mem upload(weft_vrp_dev *d, size_t bytes, const void *host, int *st)
{
    if (*st) return NULL;
    cl_int err;
    cl_mem m = clCreateBuffer(d->h.clctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes ? bytes : 8, (void *)host, &err);
    if (err != CL_SUCCESS) *st = weft_cl_fail(d->ctx, err, "clCreateBuffer (routing matrices)");
    return err == CL_SUCCESS ? m : NULL;
}

int weft_cl_vrp_open(weft_backend *be, int32_t k, const double *time, const double *dist, weft_vrp_dev **out)
{
    weft_vrp_dev *d = weft_calloc(be->ctx, 1, sizeof *d);
    if (!d) return weft_error(be->ctx, WEFT_ERR_NOMEM, "routing moves: out of memory");
    d->ctx = be->ctx, d->k = k;
    weft_cl_backend_handles(be, &d->h);
    char options[64];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DWG=%d", d->h.wg);
    int hit = 0, st = weft_cl_program_build(d->ctx, d->h.clctx, d->h.dev, d->h.info, vrp_sources, options, &d->prog, &hit);
    if (!st) {
        cl_int err;
        d->kern = clCreateKernel(d->prog, "vrp_best_insertions", &err);
        if (err != CL_SUCCESS) st = weft_cl_fail(d->ctx, err, "vrp_best_insertions");
    }
    size_t bytes = (size_t)k * (size_t)k * sizeof(double);
    d->time = upload(d, bytes, time, &st);
    d->dist = upload(d, bytes, dist, &st);
    if (st) weft_cl_vrp_close(be, &d);
    *out = d;
    return st;
}

/* Makes scratch buffer b hold at least bytes; it only grows. */
static int ensure(weft_vrp_dev *d, int b, size_t bytes)
{
    if (d->buf[b] && bytes <= d->cap[b]) return WEFT_OK;
    if (d->buf[b]) clReleaseMemObject(d->buf[b]);
    size_t want = bytes < 64 ? 64 : bytes + bytes / 2;
    cl_int err;
    d->buf[b] = clCreateBuffer(d->h.clctx, CL_MEM_READ_WRITE, want, NULL, &err);
    d->cap[b] = err == CL_SUCCESS ? want : 0;
    if (err != CL_SUCCESS) d->buf[b] = NULL;
    return err == CL_SUCCESS ? WEFT_OK : weft_cl_fail(d->ctx, err, "clCreateBuffer (routing moves)");
}

/* Writes count elements of size sz from each of the parts (back to back) into scratch buffer b. */
static int put(weft_vrp_dev *d, int b, size_t count, size_t sz, int parts, const void *const *host)
{
    int st = ensure(d, b, count * sz * (size_t)parts);
    for (int i = 0; !st && i < parts && count; i++) {
        cl_int err = clEnqueueWriteBuffer(d->h.queue, d->buf[b], CL_FALSE, (size_t)i * count * sz, count * sz,
                                          host[i], 0, NULL, NULL);
        if (err != CL_SUCCESS) st = weft_cl_fail(d->ctx, err, "clEnqueueWriteBuffer (routing moves)");
    }
    return st;
}

#define PUT(b, n, type, ...) \
    put(d, (b), (size_t)(n), sizeof(type), (int)(sizeof((const void *[]){__VA_ARGS__}) / sizeof(void *)), \
        (const void *[]){__VA_ARGS__})

static int upload_batch(weft_vrp_dev *d, const weft_vrp_moves *m)
{
    size_t np = (size_t)m->n_pos, nr = (size_t)m->n_routes, nc = (size_t)m->n_cust, D = (size_t)m->dims;
    int st = PUT(B_PRE, np, double, m->pre_dur, m->pre_warp, m->pre_early, m->pre_late, m->pre_dist);
    if (!st) st = PUT(B_SUF, np, double, m->suf_dur, m->suf_warp, m->suf_early, m->suf_late, m->suf_dist);
    if (!st) st = PUT(B_PRE_LAST, np, int32_t, m->pre_last);
    if (!st) st = PUT(B_SUF_FIRST, np, int32_t, m->suf_first);
    if (!st) st = PUT(B_POS_ROUTE, np, int32_t, m->pos_route);
    const double *per_route[] = {m->r_fixed, m->r_km, m->r_hour, m->r_maxdur, m->r_cost};
    for (int i = 0; !st && i < 5; i++) st = PUT(B_FIXED + i, nr, double, per_route[i]);
    if (!st) st = PUT(B_LOAD, nr * D, double, m->r_load);
    if (!st) st = PUT(B_CAP, nr * D, double, m->r_cap);
    if (!st) st = PUT(B_CUST, nc, double, m->c_dur, m->c_early, m->c_late);
    if (!st) st = PUT(B_DEM, nc * D, double, m->c_dem);
    if (!st) st = PUT(B_LOC, nc, int32_t, m->c_loc);
    if (!st && m->move_start) st = PUT(B_START, nc + 1, int32_t, m->move_start);
    if (!st && m->move_start) st = PUT(B_MOVE, (size_t)m->move_start[nc], int32_t, m->move_pos);
    /* dense batches leave the move lists unread, but every kernel argument must be a buffer */
    if (!st) st = ensure(d, B_START, 8);
    if (!st) st = ensure(d, B_MOVE, 8);
    if (!st) st = ensure(d, B_BEST, nc * sizeof(int32_t));
    if (!st) st = ensure(d, B_DELTA, nc * sizeof(double));
    return st;
}

static int launch(weft_vrp_dev *d, const weft_vrp_moves *m)
{
    cl_int dense = m->move_start == NULL, k = d->k, np = m->n_pos, dims = m->dims, nc = m->n_cust;
    cl_double extra = m->extra;
    cl_uint a = 0;
    cl_int err = CL_SUCCESS;
#define ARG(size, ptr) \
    if (err == CL_SUCCESS) err = clSetKernelArg(d->kern, a++, (size), (ptr))
    ARG(sizeof k, &k);
    ARG(sizeof np, &np);
    ARG(sizeof dims, &dims);
    ARG(sizeof extra, &extra);
    ARG(sizeof(cl_mem), &d->time);
    ARG(sizeof(cl_mem), &d->dist);
    for (int b = B_PRE; b <= B_CUST; b++) ARG(sizeof(cl_mem), &d->buf[b]);
    ARG(sizeof(cl_mem), &d->buf[B_DEM]);
    ARG(sizeof(cl_mem), &d->buf[B_LOC]);
    ARG(sizeof nc, &nc);
    ARG(sizeof dense, &dense);
    for (int b = B_START; b <= B_DELTA; b++) ARG(sizeof(cl_mem), &d->buf[b]);
#undef ARG
    if (err != CL_SUCCESS) return weft_cl_fail(d->ctx, err, "clSetKernelArg (vrp_best_insertions)");
    size_t local = (size_t)d->h.wg, global = local * (size_t)m->n_cust;
    err = clEnqueueNDRangeKernel(d->h.queue, d->kern, 1, NULL, &global, &local, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(d->ctx, err, "vrp_best_insertions");
    (*d->h.launches)++;
    return WEFT_OK;
}

int weft_cl_vrp_best_insertions(weft_backend *be, weft_vrp_dev *d, const weft_vrp_moves *m, int32_t *best,
                                double *delta)
{
    int st = weft_vrp_moves_check(be->ctx, d->k, m);
    if (st || m->n_cust == 0) return st;
    st = upload_batch(d, m);
    if (!st) st = launch(d, m);
    cl_int err = CL_SUCCESS;
    size_t nc = (size_t)m->n_cust;
    if (!st) err = clEnqueueReadBuffer(d->h.queue, d->buf[B_BEST], CL_FALSE, 0, nc * sizeof(int32_t), best, 0, NULL, NULL);
    if (!st && err == CL_SUCCESS)
        err = clEnqueueReadBuffer(d->h.queue, d->buf[B_DELTA], CL_TRUE, 0, nc * sizeof(double), delta, 0, NULL, NULL);
    if (!st && err != CL_SUCCESS) st = weft_cl_fail(d->ctx, err, "reading routing-move results");
    return st;
}
