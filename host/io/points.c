/* Points of interest for travel-time matrices: node ids, coordinates to snap, or a fleet file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "graph/id_index.h"
#include "io/h5util.h"
#include "weft/roads.h"

static int push(weft_context *ctx, int32_t **v, int32_t *k, int32_t *cap, int32_t node)
{
    if (*k == *cap) {
        int32_t nc = *cap ? *cap * 2 : 64;
        int32_t *p = weft_realloc_array(ctx, *v, (size_t)nc, sizeof *p);
        if (!p) return weft_error(ctx, WEFT_ERR_NOMEM, "points: out of memory");
        *v = p;
        *cap = nc;
    }
    (*v)[(*k)++] = node;
    return WEFT_OK;
}

/* One text line: "ID" or "X Y". Returns the node or a negative status. */
static int parse_point(weft_context *ctx, const weft_roads *r, const weft_id_pos *t, const char *path, long ln,
                       const char *s, double *snap)
{
    char *e1, *e2;
    errno = 0;
    double a = strtod(s, &e1);
    double b = e1 != s ? strtod(e1, &e2) : 0;
    int two = e1 != s && e2 != e1;
    const char *rest = two ? e2 : e1;
    while (*rest == ' ' || *rest == '\t' || *rest == '\r' || *rest == '\n' || *rest == ',') rest++;
    if (e1 == s || *rest || errno || !isfinite(a) || (two && !isfinite(b)))
        return weft_error(ctx, WEFT_ERR_PARSE, "%s: line %ld: expected a node id or two coordinates", path, ln);
    if (two) {
        double d = 0;
        int32_t v = weft_roads_nearest(r, a, b, &d);
        if (v < 0) return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: line %ld: the graph has no nodes", path, ln);
        if (d > *snap) *snap = d;
        return v;
    }
    if (a != floor(a) || fabs(a) > 9e18)
        return weft_error(ctx, WEFT_ERR_PARSE, "%s: line %ld: node id '%g' is not an integer", path, ln, a);
    int64_t p = weft_id_find(t, (size_t)r->n_nodes, (int64_t)a);
    int32_t v = p < 0 ? -1 : (int32_t)t[p].pos;
    if (v < 0) return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: line %ld: no node with id %lld", path, ln, (long long)a);
    return v;
}

static int read_text(weft_context *ctx, const weft_roads *r, const char *path, int32_t **nodes, int32_t *k,
                     double *snap)
{
    FILE *f = fopen(path, "r");
    if (!f) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot open for reading", path);
    weft_id_pos *t = weft_malloc(ctx, ((size_t)r->n_nodes + 1) * sizeof *t);
    int st = t ? WEFT_OK : weft_error(ctx, WEFT_ERR_NOMEM, "points: out of memory");
    for (int32_t v = 0; t && v < r->n_nodes; v++) t[v] = (weft_id_pos){r->orig_id[v], v};
    if (t) weft_id_sort(t, (size_t)r->n_nodes);
    char *line = NULL;
    size_t cap = 0;
    int32_t kcap = 0;
    long ln = 0;
    while (!st && getline(&line, &cap, f) >= 0) {
        ln++;
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        if (*s == '#' || *s == '\n' || *s == '\r' || !*s) continue;
        int v = parse_point(ctx, r, t, path, ln, s, snap);
        st = v < 0 ? v : push(ctx, nodes, k, &kcap, v);
    }
    if (!st && *k == 0) st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: no points", path);
    free(line); /* getline's buffer comes from libc */
    fclose(f);
    weft_free(ctx, t);
    return st;
}

/* Appends one fleet table's node column. */
static int read_fleet_nodes(weft_h5 *h, const weft_roads *r, const char *dset, int32_t **nodes, int32_t *k,
                            int32_t *kcap)
{
    int32_t *v = NULL;
    size_t n = 0;
    int st = weft_h5_read_int(h, dset, -1, &v, &n);
    for (size_t i = 0; !st && i < n; i++) {
        if (v[i] < 0 || v[i] >= r->n_nodes)
            st = weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: %s[%zu] is %d: not a node of the road graph (0..%d)",
                            h->path, dset, i, v[i], r->n_nodes - 1);
        else st = push(h->ctx, nodes, k, kcap, v[i]);
    }
    weft_free(h->ctx, v);
    return st;
}

static int read_fleet(weft_context *ctx, const weft_roads *r, const char *path, int32_t **nodes, int32_t *k)
{
    weft_h5 h;
    int32_t kcap = 0;
    int st = weft_h5_open_read(ctx, path, &h);
    if (!st) st = read_fleet_nodes(&h, r, "/logistics/depots/node", nodes, k, &kcap);
    if (!st) st = read_fleet_nodes(&h, r, "/logistics/customers/node", nodes, k, &kcap);
    weft_h5_close(&h);
    return st;
}

static int is_hdf5(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char sig[8] = {0};
    size_t got = f ? fread(sig, 1, 8, f) : 0;
    if (f) fclose(f);
    return got == 8 && !memcmp(sig, "\x89HDF\r\n\x1a\n", 8);
}

weft_status weft_roads_read_points(weft_context *ctx, const weft_roads *r, const char *path, int32_t **nodes,
                                   int32_t *k, double *max_snap_m)
{
    double snap = 0;
    *nodes = NULL;
    *k = 0;
    int st = is_hdf5(path) ? read_fleet(ctx, r, path, nodes, k) : read_text(ctx, r, path, nodes, k, &snap);
    if (st) weft_roads_free_points(ctx, nodes);
    if (st) *k = 0;
    if (max_snap_m) *max_snap_m = snap;
    return st;
}

void weft_roads_free_points(weft_context *ctx, int32_t **nodes)
{
    if (!nodes || !*nodes) return;
    weft_free(ctx, *nodes);
    *nodes = NULL;
}
