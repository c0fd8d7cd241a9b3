/* The travel-time matrix between points of a road graph, on whichever backend the context names. */
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "graph/sssp.h"

int weft_sssp_matrix_on(weft_backend *be, const weft_roads *r, const int32_t *points, int32_t k,
                        double *time_out, double *dist_out)
{
    weft_context *ctx = be->ctx;
    if (k < 0) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "shortest paths: negative point count %d", k);
    for (int32_t i = 0; i < k; i++)
        if (points[i] < 0 || points[i] >= r->n_nodes)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "shortest paths: point %d is node %d, outside 0..%d", i,
                              points[i], r->n_nodes - 1);
    double *dist = dist_out;
    weft_dgraph g;
    if (!dist) dist = weft_malloc(ctx, ((size_t)k * (size_t)k + 1) * sizeof *dist);
    if (!dist) return weft_error(ctx, WEFT_ERR_NOMEM, "shortest paths: out of memory for %d x %d", k, k);
    int st = weft_dgraph_upload(be, r->n_nodes, r->row_ptr, r->head, r->time_s, r->length_m, &g);
    if (!st) {
        st = be->ops->sssp(be, &g, points, k, points, k, time_out, dist);
        weft_dgraph_release(be, &g);
    }
    if (dist != dist_out) weft_free(ctx, dist);
    return st;
}

static int run_on(weft_context *ctx, const char *spec, const weft_roads *r, const int32_t *points, int32_t k,
                  double *time_out, double *dist_out, char *desc, size_t desc_len)
{
    weft_backend *be = NULL;
    int st = weft_backend_open(ctx, spec, &be);
    if (st) return st;
    if (desc) snprintf(desc, desc_len, "%s", be->description);
    st = weft_sssp_matrix_on(be, r, points, k, time_out, dist_out);
    weft_backend_close(&be);
    return st;
}

int weft_sssp_matrix_desc(weft_context *ctx, const weft_roads *r, const int32_t *points, int32_t k,
                          double *time_out, double *dist_out, char *desc, size_t desc_len)
{
    const char *spec = weft_context_device(ctx);
    int st = run_on(ctx, spec, r, points, k, time_out, dist_out, desc, desc_len);
    int device_trouble = st == WEFT_ERR_DEVICE || st <= WEFT_ERR_OPENCL_BASE;
    if (!device_trouble || strcmp(spec, "auto")) return st;
    weft_log(ctx, WEFT_LOG_WARNING, "shortest paths on the OpenCL device failed (%s); continuing on cpu",
             weft_context_last_error(ctx));
    return run_on(ctx, "cpu", r, points, k, time_out, dist_out, desc, desc_len);
}

weft_status weft_sssp_matrix(weft_context *ctx, const weft_roads *r, const int32_t *points, int32_t k,
                             double *time_out, double *dist_out)
{
    return weft_sssp_matrix_desc(ctx, r, points, k, time_out, dist_out, NULL, 0);
}
