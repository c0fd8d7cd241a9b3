/* The travel-time matrix between points of a road graph. */
#include "core/context_internal.h"
#include "graph/dijkstra.h"
#include "weft/roads.h"

weft_status weft_sssp_matrix(weft_context *ctx, const weft_roads *r, const int32_t *points, int32_t k,
                             double *time_out, double *dist_out)
{
    if (k < 0) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "shortest paths: negative point count %d", k);
    weft_csr_graph g = {r->n_nodes, r->row_ptr, r->head, r->length_m, r->time_s};
    return weft_dijkstra_many(ctx, &g, points, k, points, k, time_out, dist_out, ctx->threads);
}
