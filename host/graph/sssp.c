/* The travel-time matrix between points of a road graph, on whichever backend the context names. */
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

weft_status weft_sssp_matrix(weft_context *ctx, const weft_roads *r, const int32_t *points, int32_t k,
                             double *time_out, double *dist_out)
{
    weft_backend *be = NULL;
    int st = weft_backend_open(ctx, weft_context_device(ctx), &be);
    if (st) return st;
    st = weft_sssp_matrix_on(be, r, points, k, time_out, dist_out);
    weft_backend_close(&be);
    return st;
}
