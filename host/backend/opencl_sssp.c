/* The OpenCL backend's shortest paths: kernels/sssp.cl, a batch of sources per launch. The program
 * is built on first use only (through the binary cache), so devices without 64-bit atomics still
 * serve every other operation; for those the sssp op says why it cannot run. */
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/opencl_internal.h"
#include "core/context_internal.h"

enum { S_INIT, S_FRONT, S_TIME, S_DIST, S_GATHER, S_COUNT };
static const char *const sssp_kernels[S_COUNT] = {"sssp_init", "sssp_front_sources", "sssp_time_sweep",
                                                  "sssp_dist_sweep", "sssp_gather"};
static const char *const sssp_sources[] = {"sssp", NULL};

/* Device memory per source in a batch: T and D labels (8 bytes each) and two frontier flags. */
#define BYTES_PER_NODE 18
#define MAX_BATCH 256

typedef struct sssp_run {
    weft_cl_handles h;
    weft_context *ctx;
    cl_program prog;
    cl_kernel k[S_COUNT];
    cl_mem T, D, front, next, src, tgt, changed, out_t, out_d;
    int n, nb, nt;
} sssp_run;

typedef struct karg { size_t size; const void *ptr; } karg;
#define K_MEM(m) {sizeof(cl_mem), &(m)}
#define K_INT(v) {sizeof(cl_int), &(cl_int){(cl_int)(v)}}
#define RUN(r, k, items, ...) \
    run_kernel((r), (k), (items), sizeof((karg[]){__VA_ARGS__}) / sizeof(karg), (karg[]){__VA_ARGS__})

static int run_kernel(sssp_run *r, int k, size_t items, size_t nargs, const karg *args)
{
    for (size_t i = 0; i < nargs; i++) {
        cl_int err = clSetKernelArg(r->k[k], (cl_uint)i, args[i].size, args[i].ptr);
        if (err != CL_SUCCESS) return weft_cl_fail(r->ctx, err, sssp_kernels[k]);
    }
    size_t local = (size_t)r->h.wg, global = (items + local - 1) / local * local;
    cl_int err = clEnqueueNDRangeKernel(r->h.queue, r->k[k], 1, NULL, &global, &local, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(r->ctx, err, sssp_kernels[k]);
    (*r->h.launches)++;
    return WEFT_OK;
}

static int has_int64_atomics(const weft_cl_device *dev)
{
    char ext[8192] = "";
    clGetDeviceInfo(dev->device, CL_DEVICE_EXTENSIONS, sizeof ext - 1, ext, NULL);
    return strstr(ext, "cl_khr_int64_extended_atomics") != NULL;
}

static int build(sssp_run *r)
{
    if (!has_int64_atomics(r->h.dev))
        return weft_error(r->ctx, WEFT_ERR_DEVICE, "opencl: %s lacks cl_khr_int64_extended_atomics, which the "
                          "shortest-path kernels need; use --device cpu", r->h.info->name);
    char options[64];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DWG=%d", r->h.wg);
    int hit = 0;
    int st = weft_cl_program_build(r->ctx, r->h.clctx, r->h.dev, r->h.info, sssp_sources, options, &r->prog, &hit);
    for (int i = 0; !st && i < S_COUNT; i++) {
        cl_int err;
        r->k[i] = clCreateKernel(r->prog, sssp_kernels[i], &err);
        if (err != CL_SUCCESS) st = weft_cl_fail(r->ctx, err, sssp_kernels[i]);
    }
    return st;
}

static cl_mem alloc(sssp_run *r, size_t bytes, const void *host, int *st)
{
    if (*st) return NULL;
    cl_int err;
    cl_mem m = clCreateBuffer(r->h.clctx, CL_MEM_READ_WRITE | (host ? CL_MEM_COPY_HOST_PTR : 0), bytes ? bytes : 1,
                              (void *)host, &err);
    if (err != CL_SUCCESS) *st = weft_cl_fail(r->ctx, err, "clCreateBuffer (shortest paths)");
    return err == CL_SUCCESS ? m : NULL;
}

/* Sources per batch: as many as fit a quarter of the device memory, at most MAX_BATCH. */
static int batch_size(const sssp_run *r, int32_t ns)
{
    uint64_t mem = r->h.info->global_mem ? r->h.info->global_mem / 4 : (uint64_t)1 << 28;
    uint64_t per = (uint64_t)BYTES_PER_NODE * (uint64_t)(r->n > 0 ? r->n : 1);
    uint64_t nb = mem / per;
    if (nb > MAX_BATCH) nb = MAX_BATCH;
    if (nb > (uint64_t)ns) nb = (uint64_t)ns;
    return nb < 1 ? 1 : (int)nb;
}

/* Sweeps one pass until no label drops. front holds the starting frontier; next is all zero. */
static int sweep_until_stable(sssp_run *r, const weft_dgraph *g, int pass, int nb)
{
    cl_mem f = r->front, nx = r->next;
    const cl_int zero = 0;
    for (;;) {
        cl_int changed = 0;
        cl_int err = clEnqueueWriteBuffer(r->h.queue, r->changed, CL_FALSE, 0, sizeof zero, &zero, 0, NULL, NULL);
        if (err != CL_SUCCESS) return weft_cl_fail(r->ctx, err, "clEnqueueWriteBuffer (shortest paths)");
        cl_mem rp = weft_cl_buf_mem(g->row_ptr), hd = weft_cl_buf_mem(g->head), tm = weft_cl_buf_mem(g->time_s);
        cl_mem ln = weft_cl_buf_mem(g->length_m);
        int st = pass == 0
                     ? RUN(r, S_TIME, (size_t)r->n * nb, K_INT(r->n), K_INT(nb), K_MEM(rp), K_MEM(hd), K_MEM(tm),
                           K_MEM(r->T), K_MEM(f), K_MEM(nx), K_MEM(r->changed))
                     : RUN(r, S_DIST, (size_t)r->n * nb, K_INT(r->n), K_INT(nb), K_MEM(rp), K_MEM(hd), K_MEM(tm),
                           K_MEM(ln), K_MEM(r->T), K_MEM(r->D), K_MEM(f), K_MEM(nx), K_MEM(r->changed));
        if (st) return st;
        err = clEnqueueReadBuffer(r->h.queue, r->changed, CL_TRUE, 0, sizeof changed, &changed, 0, NULL, NULL);
        if (err != CL_SUCCESS) return weft_cl_fail(r->ctx, err, "clEnqueueReadBuffer (shortest paths)");
        /* every flag of f was cleared by its own work-item: f is the next sweep's empty "next" */
        cl_mem t = f;
        f = nx;
        nx = t;
        if (!changed) break;
    }
    /* leave front/next named as the kernels will next use them */
    r->front = f;
    r->next = nx;
    return WEFT_OK;
}

static int one_batch(sssp_run *r, const weft_dgraph *g, const int32_t *sources, int nb, double *time_out,
                     double *dist_out)
{
    const cl_uchar zero = 0;
    size_t items = (size_t)r->n * nb;
    cl_int err = clEnqueueWriteBuffer(r->h.queue, r->src, CL_FALSE, 0, (size_t)nb * sizeof(cl_int), sources, 0,
                                      NULL, NULL);
    if (err == CL_SUCCESS) err = clEnqueueFillBuffer(r->h.queue, r->next, &zero, 1, 0, items, 0, NULL, NULL);
    if (err != CL_SUCCESS) return weft_cl_fail(r->ctx, err, "preparing a shortest-path batch");
    int st = RUN(r, S_INIT, items, K_INT(r->n), K_INT(nb), K_MEM(r->src), K_MEM(r->T), K_MEM(r->D), K_MEM(r->front));
    if (!st) st = sweep_until_stable(r, g, 0, nb);
    if (!st) st = RUN(r, S_FRONT, items, K_INT(r->n), K_INT(nb), K_MEM(r->src), K_MEM(r->front));
    if (!st) st = sweep_until_stable(r, g, 1, nb);
    if (!st)
        st = RUN(r, S_GATHER, (size_t)r->nt * nb, K_INT(r->n), K_INT(nb), K_INT(r->nt), K_MEM(r->tgt), K_MEM(r->T),
                 K_MEM(r->D), K_MEM(r->out_t), K_MEM(r->out_d));
    size_t bytes = (size_t)r->nt * nb * sizeof(double);
    if (!st) err = clEnqueueReadBuffer(r->h.queue, r->out_t, CL_TRUE, 0, bytes, time_out, 0, NULL, NULL);
    if (!st && err == CL_SUCCESS) err = clEnqueueReadBuffer(r->h.queue, r->out_d, CL_TRUE, 0, bytes, dist_out, 0, NULL, NULL);
    if (!st && err != CL_SUCCESS) st = weft_cl_fail(r->ctx, err, "reading shortest-path results");
    return st;
}

static void release(sssp_run *r)
{
    cl_mem *mems[] = {&r->T, &r->D, &r->front, &r->next, &r->src, &r->tgt, &r->changed, &r->out_t, &r->out_d};
    for (size_t i = 0; i < sizeof mems / sizeof *mems; i++)
        if (*mems[i]) clReleaseMemObject(*mems[i]);
    for (int i = 0; i < S_COUNT; i++)
        if (r->k[i]) clReleaseKernel(r->k[i]);
    if (r->prog) clReleaseProgram(r->prog);
}

int weft_cl_sssp(weft_backend *be, const weft_dgraph *g, const int32_t *sources, int32_t ns, const int32_t *targets,
                 int32_t nt, double *time_out, double *dist_out)
{
    sssp_run r = {.ctx = be->ctx, .n = g->n, .nt = nt};
    weft_cl_backend_handles(be, &r.h);
    for (int32_t i = 0; i < ns; i++)
        if (sources[i] < 0 || sources[i] >= g->n)
            return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "shortest paths: source %d is node %d, outside 0..%d", i,
                              sources[i], g->n - 1);
    for (int32_t j = 0; j < nt; j++)
        if (targets[j] < 0 || targets[j] >= g->n)
            return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "shortest paths: target %d is node %d, outside 0..%d", j,
                              targets[j], g->n - 1);
    if (ns == 0 || nt == 0) return WEFT_OK;
    int st = build(&r);
    r.nb = batch_size(&r, ns);
    size_t items = (size_t)r.n * r.nb;
    r.T = alloc(&r, items * 8, NULL, &st);
    r.D = alloc(&r, items * 8, NULL, &st);
    r.front = alloc(&r, items, NULL, &st);
    r.next = alloc(&r, items, NULL, &st);
    r.src = alloc(&r, (size_t)r.nb * sizeof(cl_int), NULL, &st);
    r.tgt = alloc(&r, (size_t)nt * sizeof(cl_int), targets, &st);
    r.changed = alloc(&r, sizeof(cl_int), NULL, &st);
    r.out_t = alloc(&r, (size_t)nt * r.nb * sizeof(double), NULL, &st);
    r.out_d = alloc(&r, (size_t)nt * r.nb * sizeof(double), NULL, &st);
    for (int32_t s0 = 0; !st && s0 < ns; s0 += r.nb) {
        int nb = ns - s0 < r.nb ? ns - s0 : r.nb;
        st = one_batch(&r, g, sources + s0, nb, time_out + (size_t)s0 * nt, dist_out + (size_t)s0 * nt);
    }
    release(&r);
    return st;
}
