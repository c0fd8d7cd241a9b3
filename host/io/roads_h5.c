/* /roads in HDF5: node columns and the CSR arrays as they are in memory, so a graph loads with no
 * rebuilding (datasets/SCHEMA.md). */
#include <string.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "weft/roads.h"

weft_status weft_roads_write_h5(weft_context *ctx, const weft_roads *r, const char *path)
{
    weft_h5 h;
    int st = weft_roads_validate(ctx, r, path);
    if (st) return st;
    st = weft_h5_create(ctx, path, &h);
    if (st) return st;
    const char *cu = r->coords == WEFT_COORDS_LONLAT ? "degree" : "m";
    size_t n = (size_t)r->n_nodes, m = (size_t)r->n_edges;
    st = weft_h5_make_group(&h, "/roads");
    if (!st) st = weft_h5_attr_int(&h, "/roads", "lonlat", r->coords == WEFT_COORDS_LONLAT);
    if (!st) st = weft_h5_attr_int(&h, "/roads", "n_nodes", r->n_nodes);
    if (!st) st = weft_h5_attr_int(&h, "/roads", "n_edges", r->n_edges);
    if (!st) st = weft_h5_write_real(&h, "/roads/nodes/x", r->x, n, cu);
    if (!st) st = weft_h5_write_real(&h, "/roads/nodes/y", r->y, n, cu);
    if (!st) st = weft_h5_write_int64(&h, "/roads/nodes/id", r->orig_id, n, "1");
    if (!st) st = weft_h5_write_int(&h, "/roads/edges/row_ptr", r->row_ptr, n + 1, "1");
    if (!st) st = weft_h5_write_int(&h, "/roads/edges/head", r->head, m, "1");
    if (!st) st = weft_h5_write_real(&h, "/roads/edges/length_m", r->length_m, m, "m");
    if (!st) st = weft_h5_write_real(&h, "/roads/edges/time_s", r->time_s, m, "s");
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    return st;
}

/* Reads the columns into r; sizes are checked against each other as they come. */
static int read_columns(weft_h5 *h, weft_roads *r)
{
    size_t n = 0, m = 0;
    int64_t lonlat = 0;
    int st = weft_h5_read_attr_int(h, "/roads", "lonlat", &lonlat);
    if (!st && lonlat != 0 && lonlat != 1)
        st = weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: /roads attribute lonlat is %lld, must be 0 or 1", h->path,
                        (long long)lonlat);
    r->coords = lonlat ? WEFT_COORDS_LONLAT : WEFT_COORDS_PLANAR;
    if (!st) st = weft_h5_read_real(h, "/roads/nodes/x", -1, &r->x, &n);
    if (!st) st = weft_h5_read_real(h, "/roads/nodes/y", (long)n, &r->y, NULL);
    if (!st) st = weft_h5_read_int64(h, "/roads/nodes/id", (long)n, &r->orig_id, NULL);
    if (!st) st = weft_h5_read_int(h, "/roads/edges/row_ptr", (long)n + 1, &r->row_ptr, NULL);
    if (!st) st = weft_h5_read_int(h, "/roads/edges/head", -1, &r->head, &m);
    if (!st) st = weft_h5_read_real(h, "/roads/edges/length_m", (long)m, &r->length_m, NULL);
    if (!st) st = weft_h5_read_real(h, "/roads/edges/time_s", (long)m, &r->time_s, NULL);
    if (!st && (n >= INT32_MAX || m >= INT32_MAX))
        st = weft_error(h->ctx, WEFT_ERR_OVERFLOW, "%s: /roads too large (%zu nodes, %zu edges)", h->path, n, m);
    r->n_nodes = (int32_t)n;
    r->n_edges = (int32_t)m;
    return st;
}

weft_status weft_roads_read_h5(weft_context *ctx, const char *path, weft_roads **out)
{
    weft_h5 h;
    *out = NULL;
    int st = weft_h5_open_read(ctx, path, &h);
    if (st) return st;
    weft_roads *r = weft_calloc(ctx, 1, sizeof *r);
    if (!r) {
        weft_h5_close(&h);
        return weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", path);
    }
    r->ctx = ctx;
    if (!weft_h5_exists(&h, "/roads")) st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: no /roads group", path);
    if (!st) st = read_columns(&h, r);
    if (!st) st = weft_roads_validate(ctx, r, path);
    weft_h5_close(&h);
    if (st) weft_roads_destroy(&r);
    *out = r;
    return st;
}
