/* The road graph: allocation, validation, building CSR from an edge list, subgraphs, snapping. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "weft/roads.h"

weft_status weft_roads_create(weft_context *ctx, int32_t n_nodes, int32_t n_edges, weft_coords coords,
                              weft_roads **out)
{
    *out = NULL;
    if (n_nodes < 0 || n_edges < 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "roads: negative size (%d nodes, %d edges)", n_nodes, n_edges);
    weft_roads *r = weft_calloc(ctx, 1, sizeof *r);
    if (!r) return weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory");
    size_t n = (size_t)n_nodes, m = (size_t)n_edges;
    r->ctx = ctx;
    r->n_nodes = n_nodes;
    r->n_edges = n_edges;
    r->coords = coords;
    r->x = weft_calloc(ctx, n + 1, sizeof *r->x);
    r->y = weft_calloc(ctx, n + 1, sizeof *r->y);
    r->orig_id = weft_calloc(ctx, n + 1, sizeof *r->orig_id);
    r->row_ptr = weft_calloc(ctx, n + 1, sizeof *r->row_ptr);
    r->head = weft_calloc(ctx, m + 1, sizeof *r->head);
    r->length_m = weft_calloc(ctx, m + 1, sizeof *r->length_m);
    r->time_s = weft_calloc(ctx, m + 1, sizeof *r->time_s);
    if (!r->x || !r->y || !r->orig_id || !r->row_ptr || !r->head || !r->length_m || !r->time_s) {
        weft_roads_destroy(&r);
        return weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory for %d nodes and %d edges", n_nodes, n_edges);
    }
    for (size_t i = 0; i < n; i++) r->orig_id[i] = (int64_t)i;
    *out = r;
    return WEFT_OK;
}

void weft_roads_destroy(weft_roads **p)
{
    if (!p || !*p) return;
    weft_roads *r = *p;
    weft_context *ctx = r->ctx;
    weft_free(ctx, r->x);
    weft_free(ctx, r->y);
    weft_free(ctx, r->orig_id);
    weft_free(ctx, r->row_ptr);
    weft_free(ctx, r->head);
    weft_free(ctx, r->length_m);
    weft_free(ctx, r->time_s);
    weft_free(ctx, r);
    *p = NULL;
}

static int check_nodes(weft_context *ctx, const weft_roads *r, const char *what)
{
    for (int32_t v = 0; v < r->n_nodes; v++) {
        if (!isfinite(r->x[v]) || !isfinite(r->y[v]))
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: node %d (id %lld) has a non-finite coordinate", what,
                              v, (long long)r->orig_id[v]);
        if (r->coords == WEFT_COORDS_LONLAT && (fabs(r->x[v]) > 180 || fabs(r->y[v]) > 90))
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: node %d (id %lld) lon/lat (%g, %g) out of range",
                              what, v, (long long)r->orig_id[v], r->x[v], r->y[v]);
    }
    return WEFT_OK;
}

static int check_edges(weft_context *ctx, const weft_roads *r, const char *what)
{
    for (int32_t u = 0; u < r->n_nodes; u++) {
        for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
            if (r->head[e] < 0 || r->head[e] >= r->n_nodes)
                return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: edge %d (from node %d) has head %d outside 0..%d",
                                  what, e, u, r->head[e], r->n_nodes - 1);
            if (!(r->length_m[e] >= 0) || !isfinite(r->length_m[e]))
                return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: edge %d (from node %d) has length_m %g (must be finite, >= 0)",
                                  what, e, u, r->length_m[e]);
            if (!(r->time_s[e] >= 0) || !isfinite(r->time_s[e]))
                return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: edge %d (from node %d) has time_s %g (must be finite, >= 0)",
                                  what, e, u, r->time_s[e]);
        }
    }
    return WEFT_OK;
}

weft_status weft_roads_validate(weft_context *ctx, const weft_roads *r, const char *what)
{
    if (!what) what = "roads";
    if (r->n_nodes < 0 || r->n_edges < 0)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: negative node or edge count", what);
    if (r->coords != WEFT_COORDS_PLANAR && r->coords != WEFT_COORDS_LONLAT)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: unknown coordinate kind %d", what, (int)r->coords);
    if (r->row_ptr[0] != 0)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: row_ptr[0] is %d, must be 0", what, r->row_ptr[0]);
    for (int32_t u = 0; u < r->n_nodes; u++)
        if (r->row_ptr[u + 1] < r->row_ptr[u])
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: row_ptr decreases at node %d (%d then %d)", what, u,
                              r->row_ptr[u], r->row_ptr[u + 1]);
    if (r->row_ptr[r->n_nodes] != r->n_edges)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: row_ptr ends at %d but there are %d edges", what,
                          r->row_ptr[r->n_nodes], r->n_edges);
    int st = check_nodes(ctx, r, what);
    return st ? st : check_edges(ctx, r, what);
}

weft_status weft_roads_from_edges(weft_context *ctx, int32_t n_nodes, int32_t n_edges, const int32_t *tail,
                                  const int32_t *head, const double *length_m, const double *time_s,
                                  const double *x, const double *y, const int64_t *orig_id, weft_coords coords,
                                  weft_roads **out)
{
    *out = NULL;
    for (int32_t e = 0; e < n_edges; e++)
        if (tail[e] < 0 || tail[e] >= n_nodes || head[e] < 0 || head[e] >= n_nodes)
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "roads: edge %d (%d -> %d) has an endpoint outside 0..%d", e,
                              tail[e], head[e], n_nodes - 1);
    weft_roads *r = NULL;
    int st = weft_roads_create(ctx, n_nodes, n_edges, coords, &r);
    if (st) return st;
    /* counting sort by tail, stable so each node keeps its edges in the given order */
    for (int32_t e = 0; e < n_edges; e++) r->row_ptr[tail[e] + 1]++;
    for (int32_t u = 0; u < n_nodes; u++) r->row_ptr[u + 1] += r->row_ptr[u];
    int32_t *fill = weft_calloc(ctx, (size_t)n_nodes + 1, sizeof *fill);
    if (!fill) {
        weft_roads_destroy(&r);
        return weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory");
    }
    memcpy(fill, r->row_ptr, (size_t)n_nodes * sizeof *fill);
    for (int32_t e = 0; e < n_edges; e++) {
        int32_t p = fill[tail[e]]++;
        r->head[p] = head[e];
        r->length_m[p] = length_m[e];
        r->time_s[p] = time_s[e];
    }
    weft_free(ctx, fill);
    for (int32_t v = 0; v < n_nodes; v++) {
        if (x) r->x[v] = x[v];
        if (y) r->y[v] = y[v];
        if (orig_id) r->orig_id[v] = orig_id[v];
    }
    st = weft_roads_validate(ctx, r, "roads");
    if (st) weft_roads_destroy(&r);
    *out = r;
    return st;
}

weft_status weft_roads_subgraph(weft_context *ctx, const weft_roads *r, const uint8_t *keep, weft_roads **out)
{
    *out = NULL;
    int32_t *map = weft_malloc(ctx, ((size_t)r->n_nodes + 1) * sizeof *map);
    if (!map) return weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory");
    int32_t n = 0, m = 0;
    for (int32_t v = 0; v < r->n_nodes; v++) map[v] = keep[v] ? n++ : -1;
    for (int32_t u = 0; u < r->n_nodes; u++)
        for (int32_t e = r->row_ptr[u]; keep[u] && e < r->row_ptr[u + 1]; e++) m += keep[r->head[e]] != 0;
    weft_roads *s = NULL;
    int st = weft_roads_create(ctx, n, m, r->coords, &s);
    if (st) goto cleanup;
    m = 0;
    for (int32_t u = 0; u < r->n_nodes; u++) {
        if (!keep[u]) continue;
        int32_t nu = map[u];
        s->x[nu] = r->x[u];
        s->y[nu] = r->y[u];
        s->orig_id[nu] = r->orig_id[u];
        for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
            if (!keep[r->head[e]]) continue;
            s->head[m] = map[r->head[e]];
            s->length_m[m] = r->length_m[e];
            s->time_s[m] = r->time_s[e];
            m++;
        }
        s->row_ptr[nu + 1] = m;
    }
    *out = s;
cleanup:
    weft_free(ctx, map);
    return st;
}

double weft_haversine_m(double lon1, double lat1, double lon2, double lat2)
{
    const double R = 6371008.8, rad = M_PI / 180;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * R * asin(fmin(1.0, sqrt(a)));
}

int32_t weft_roads_nearest(const weft_roads *r, double x, double y, double *dist_m)
{
    int32_t best = -1;
    double bd = INFINITY;
    for (int32_t v = 0; v < r->n_nodes; v++) {
        double d = r->coords == WEFT_COORDS_LONLAT ? weft_haversine_m(x, y, r->x[v], r->y[v])
                                                   : hypot(x - r->x[v], y - r->y[v]);
        if (d < bd) {
            bd = d;
            best = v;
        }
    }
    if (dist_m) *dist_m = bd;
    return best;
}
