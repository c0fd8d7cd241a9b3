/* The OpenCL backend's routing moves: kernels/vrp_moves.cl, one launch per batch. The program and
 * the travel matrices are set up once per solve (vrp_open); each batch packs its struct-of-arrays
 * into one array of doubles and one of ints (a launch costs two writes, not one per array: the
 * solver sends small batches often), and reads back one move and one cost per customer. */
#include <string.h>
#include <stdio.h>

#include "backend/backend.h"
#include "backend/cpu_vrp.h"
#include "backend/opencl_internal.h"
#include "backend/opencl_vrp.h"
#include "core/context_internal.h"

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
    if (d->ls_kern) clReleaseKernel(d->ls_kern);
    if (d->ls_prog) clReleaseProgram(d->ls_prog);
    weft_free(be->ctx, d->hd), weft_free(be->ctx, d->hi), weft_free(be->ctx, d->hout);
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

int weft_cl_vrp_ensure(weft_vrp_dev *d, int b, size_t bytes)
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

int weft_cl_vrp_stage(weft_vrp_dev *d, void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap && *p) return WEFT_OK;
    size_t want = n + n / 2 + 16;
    void *q = weft_realloc(d->ctx, *p, want * sz);
    if (!q) return weft_error(d->ctx, WEFT_ERR_NOMEM, "routing moves: out of memory staging %zu values", n);
    *p = q, *cap = want;
    return WEFT_OK;
}

void weft_cl_vrp_append(void *dst, size_t *w, const void *src, size_t n, size_t sz)
{
    if (n) memcpy((char *)dst + *w * sz, src, n * sz);
    *w += n;
}

/* Packs the batch as kernels/vrp_moves.cl lays it out and writes it to the device. */
static int upload_batch(weft_vrp_dev *d, const weft_vrp_moves *m)
{
    size_t np = (size_t)m->n_pos, nr = (size_t)m->n_routes, nc = (size_t)m->n_cust, D = (size_t)m->dims;
    size_t nm = m->move_start ? (size_t)m->move_start[nc] : 0;
    size_t ndbl = 10 * np + 5 * nr + 2 * nr * D + 3 * nc + nc * D, nint = 3 * np + nc + (nc + 1) + nm;
    int st = weft_cl_vrp_stage(d, (void **)&d->hd, &d->cap_hd, ndbl, sizeof(double));
    if (!st) st = weft_cl_vrp_stage(d, (void **)&d->hi, &d->cap_hi, nint, sizeof(int32_t));
    if (st) return st;
    const double *dparts[] = {m->pre_dur, m->pre_warp, m->pre_early, m->pre_late, m->pre_dist, m->suf_dur, m->suf_warp,
                              m->suf_early, m->suf_late, m->suf_dist, m->r_fixed, m->r_km, m->r_hour, m->r_maxdur,
                              m->r_cost, m->r_load, m->r_cap, m->c_dur, m->c_early, m->c_late, m->c_dem};
    const size_t dlen[] = {np, np, np, np, np, np, np, np, np, np, nr, nr, nr, nr, nr, nr * D, nr * D, nc, nc, nc, nc * D};
    size_t w = 0;
    for (size_t i = 0; i < sizeof dlen / sizeof *dlen; i++) weft_cl_vrp_append(d->hd, &w, dparts[i], dlen[i], sizeof(double));
    const int32_t *iparts[] = {m->pre_last, m->suf_first, m->pos_route, m->c_loc};
    const size_t ilen[] = {np, np, np, nc};
    size_t wi = 0;
    for (size_t i = 0; i < 4; i++) weft_cl_vrp_append(d->hi, &wi, iparts[i], ilen[i], sizeof(int32_t));
    if (m->move_start) {
        weft_cl_vrp_append(d->hi, &wi, m->move_start, nc + 1, sizeof(int32_t));
        weft_cl_vrp_append(d->hi, &wi, m->move_pos, nm, sizeof(int32_t));
    } else memset(d->hi + wi, 0, (nc + 1) * sizeof(int32_t)), wi += nc + 1;
    return weft_cl_vrp_send(d, w, wi, 2 * nc);
}

int weft_cl_vrp_send(weft_vrp_dev *d, size_t nd, size_t ni, size_t nout)
{
    int st = weft_cl_vrp_ensure(d, B_DBL, nd * sizeof(double));
    if (!st) st = weft_cl_vrp_ensure(d, B_INT, ni * sizeof(int32_t));
    if (!st) st = weft_cl_vrp_ensure(d, B_OUT, nout * sizeof(double));
    cl_int err = CL_SUCCESS;
    if (!st && nd) err = clEnqueueWriteBuffer(d->h.queue, d->buf[B_DBL], CL_FALSE, 0, nd * sizeof(double), d->hd, 0, NULL, NULL);
    if (!st && err == CL_SUCCESS && ni)
        err = clEnqueueWriteBuffer(d->h.queue, d->buf[B_INT], CL_FALSE, 0, ni * sizeof(int32_t), d->hi, 0, NULL, NULL);
    if (!st && err != CL_SUCCESS) st = weft_cl_fail(d->ctx, err, "clEnqueueWriteBuffer (routing moves)");
    return st;
}

int weft_cl_vrp_launch(weft_vrp_dev *d, cl_kernel kern, const char *name, const cl_int *ints, size_t n_ints,
                       double extra, size_t groups)
{
    cl_double x = extra;
    cl_uint a = 0;
    cl_int err = CL_SUCCESS;
    for (size_t i = 0; i < n_ints && err == CL_SUCCESS; i++) err = clSetKernelArg(kern, a++, sizeof(cl_int), &ints[i]);
    cl_mem mems[] = {d->time, d->dist, d->buf[B_DBL], d->buf[B_INT], d->buf[B_OUT]};
    if (err == CL_SUCCESS) err = clSetKernelArg(kern, a++, sizeof x, &x);
    for (size_t i = 0; i < sizeof mems / sizeof *mems && err == CL_SUCCESS; i++)
        err = clSetKernelArg(kern, a++, sizeof(cl_mem), &mems[i]);
    if (err != CL_SUCCESS) return weft_cl_fail(d->ctx, err, name);
    size_t local = (size_t)d->h.wg, global = local * groups;
    err = clEnqueueNDRangeKernel(d->h.queue, kern, 1, NULL, &global, &local, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(d->ctx, err, name);
    (*d->h.launches)++;
    return WEFT_OK;
}

int weft_cl_vrp_fetch(weft_vrp_dev *d, size_t n, int32_t *best, double *delta)
{
    int st = weft_cl_vrp_stage(d, (void **)&d->hout, &d->cap_hout, 2 * n, sizeof(double));
    if (!st) {
        cl_int err = clEnqueueReadBuffer(d->h.queue, d->buf[B_OUT], CL_TRUE, 0, 2 * n * sizeof(double), d->hout, 0, NULL, NULL);
        if (err != CL_SUCCESS) st = weft_cl_fail(d->ctx, err, "reading routing-move results");
    }
    for (size_t c = 0; !st && c < n; c++) delta[c] = d->hout[2 * c], best[c] = (int32_t)d->hout[2 * c + 1];
    return st;
}

int weft_cl_vrp_best_insertions(weft_backend *be, weft_vrp_dev *d, const weft_vrp_moves *m, int32_t *best,
                                double *delta)
{
    int st = weft_vrp_moves_check(be->ctx, d->k, m);
    if (st || m->n_cust == 0) return st;
    cl_int ints[] = {d->k, m->n_pos, m->n_routes, m->dims, m->n_cust, m->move_start == NULL};
    st = upload_batch(d, m);
    if (!st) st = weft_cl_vrp_launch(d, d->kern, "vrp_best_insertions", ints, 6, m->extra, (size_t)m->n_cust);
    if (!st) st = weft_cl_vrp_fetch(d, (size_t)m->n_cust, best, delta);
    return st;
}
