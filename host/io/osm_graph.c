#include <string.h>

#include "core/context_internal.h"
#include "graph/id_index.h"
#include "io/osm_graph.h"

typedef struct edge_list {
    int32_t *tail, *head;
    double *len, *time;
    size_t n;
} edge_list;

static void add_edge(edge_list *e, int32_t a, int32_t b, double len, double speed)
{
    e->tail[e->n] = a;
    e->head[e->n] = b;
    e->len[e->n] = len;
    e->time[e->n] = len / speed;
    e->n++;
}

/* Numbers the nodes that ways use (gidx[sorted index] = graph node, or -1). */
static int32_t number_used_nodes(const osm_graph_input *in, const weft_id_pos *t, int32_t *gidx, size_t *missing)
{
    int32_t n = 0;
    for (size_t r = 0; r < (size_t)in->way_start[in->n_ways]; r++) {
        int64_t p = weft_id_find(t, in->n_nodes, in->refs[r]);
        if (p < 0) (*missing)++;
        else if (gidx[p] < 0) gidx[p] = 0; /* mark; numbered below in id order */
    }
    for (size_t i = 0; i < in->n_nodes; i++)
        if (gidx[i] == 0) gidx[i] = ++n;
    for (size_t i = 0; i < in->n_nodes; i++) gidx[i] = gidx[i] > 0 ? gidx[i] - 1 : -1;
    return n;
}

static void way_edges(const osm_graph_input *in, const weft_id_pos *t, const int32_t *gidx, edge_list *e)
{
    for (size_t w = 0; w < in->n_ways; w++) {
        for (int64_t r = in->way_start[w]; r + 1 < in->way_start[w + 1]; r++) {
            int64_t pa = weft_id_find(t, in->n_nodes, in->refs[r]);
            int64_t pb = weft_id_find(t, in->n_nodes, in->refs[r + 1]);
            if (pa < 0 || pb < 0 || pa == pb) continue;
            size_t ia = (size_t)t[pa].pos, ib = (size_t)t[pb].pos;
            double len = weft_haversine_m(in->lon[ia], in->lat[ia], in->lon[ib], in->lat[ib]);
            if (in->way_dir[w] >= 0) add_edge(e, gidx[pa], gidx[pb], len, in->way_speed[w]);
            if (in->way_dir[w] <= 0) add_edge(e, gidx[pb], gidx[pa], len, in->way_speed[w]);
        }
    }
}

int osm_build_graph(weft_context *ctx, const char *path, const osm_graph_input *in, weft_osm_stats *stats,
                    weft_roads **out)
{
    size_t nr = (size_t)in->way_start[in->n_ways], missing = 0, cap = 2 * nr + 1;
    int st = WEFT_OK;
    edge_list e = {0};
    double *x = NULL, *y = NULL;
    int64_t *ids = NULL;
    int32_t dn = 0, de = 0;
    weft_id_pos *t = weft_malloc(ctx, (in->n_nodes + 1) * sizeof *t);
    int32_t *gidx = weft_malloc(ctx, (in->n_nodes + 1) * sizeof *gidx);
    e.tail = weft_malloc(ctx, cap * sizeof *e.tail);
    e.head = weft_malloc(ctx, cap * sizeof *e.head);
    e.len = weft_malloc(ctx, cap * sizeof *e.len);
    e.time = weft_malloc(ctx, cap * sizeof *e.time);
    if (!t || !gidx || !e.tail || !e.head || !e.len || !e.time || cap >= INT32_MAX) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory building the graph (%zu way nodes)", path, nr);
        goto cleanup;
    }
    for (size_t i = 0; i < in->n_nodes; i++) {
        t[i] = (weft_id_pos){in->node_id[i], (int64_t)i};
        gidx[i] = -1;
    }
    weft_id_sort(t, in->n_nodes);
    int32_t n = number_used_nodes(in, t, gidx, &missing);
    x = weft_malloc(ctx, ((size_t)n + 1) * sizeof *x);
    y = weft_malloc(ctx, ((size_t)n + 1) * sizeof *y);
    ids = weft_malloc(ctx, ((size_t)n + 1) * sizeof *ids);
    if (!x || !y || !ids) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory building the graph", path);
        goto cleanup;
    }
    for (size_t i = 0; i < in->n_nodes; i++) {
        if (gidx[i] < 0) continue;
        x[gidx[i]] = in->lon[t[i].pos];
        y[gidx[i]] = in->lat[t[i].pos];
        ids[gidx[i]] = t[i].id;
    }
    way_edges(in, t, gidx, &e);
    st = weft_roads_from_edges(ctx, n, (int32_t)e.n, e.tail, e.head, e.len, e.time, x, y, ids,
                               WEFT_COORDS_LONLAT, out);
    if (!st) st = weft_roads_keep_largest_scc(ctx, out, &dn, &de);
    if (!st) st = weft_roads_sort_spatial(ctx, out); /* OSM ids follow editing history, not geography */
    if (st) {
        weft_roads_destroy(out);
        goto cleanup;
    }
    weft_log(ctx, WEFT_LOG_INFO,
             "%s: %zu car ways; kept %d nodes and %d edges (largest strongly connected component); dropped %d nodes "
             "and %d edges outside it; %zu way references to nodes missing from the file",
             path, in->n_ways, (*out)->n_nodes, (*out)->n_edges, dn, de, missing);
    if (stats) *stats = (weft_osm_stats){(int64_t)in->n_ways, dn, de, (int64_t)missing};
cleanup:
    weft_free(ctx, t);
    weft_free(ctx, gidx);
    weft_free(ctx, e.tail);
    weft_free(ctx, e.head);
    weft_free(ctx, e.len);
    weft_free(ctx, e.time);
    weft_free(ctx, x);
    weft_free(ctx, y);
    weft_free(ctx, ids);
    return st;
}

#ifndef WEFT_HAVE_READOSM
/* Built without libreadosm (CMake leaves osm.c out): say so rather than fail to link. */
weft_status weft_roads_import_osm(weft_context *ctx, const char *path, weft_osm_stats *stats, weft_roads **out)
{
    *out = NULL;
    return weft_error(ctx, WEFT_ERR_UNSUPPORTED, "%s: this build has no OSM reader (libreadosm was not found)", path);
}
#endif
