/* Spatial node order: nodes sorted along a Hilbert curve over their bounding box, so that nodes near
 * each other on the map sit near each other in memory. A shortest-path search touches a band of
 * nodes around its wavefront; in this order that band spans far fewer cache lines than in source-id
 * order (OSM ids follow editing history, not geography). */
#include <math.h>
#include <stdlib.h>

#include "core/context_internal.h"
#include "weft/roads.h"

typedef struct key_node {
    uint64_t key;
    int32_t node;
} key_node;

/* Position of cell (x, y) along the Hilbert curve filling a 2^16 x 2^16 grid. */
static uint64_t hilbert(uint32_t x, uint32_t y)
{
    uint64_t d = 0;
    for (uint32_t s = 1u << 15; s > 0; s >>= 1) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) { /* rotate the quadrant */
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

static int cmp_key(const void *a, const void *b)
{
    const key_node *p = a, *q = b;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    return (p->node > q->node) - (p->node < q->node);
}

static void bounds(const weft_roads *r, double *x0, double *y0, double *scale)
{
    double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
    for (int32_t v = 0; v < r->n_nodes; v++) {
        xl = fmin(xl, r->x[v]);
        xh = fmax(xh, r->x[v]);
        yl = fmin(yl, r->y[v]);
        yh = fmax(yh, r->y[v]);
    }
    double span = fmax(xh - xl, yh - yl);
    *x0 = xl;
    *y0 = yl;
    *scale = span > 0 ? 65535.0 / span : 0;
}

/* Copies r's nodes and edges into s in the order given by `order` (new index -> old). */
static void permute(const weft_roads *r, const key_node *order, const int32_t *new_of, weft_roads *s)
{
    int32_t m = 0;
    for (int32_t i = 0; i < r->n_nodes; i++) {
        int32_t u = order[i].node;
        s->x[i] = r->x[u];
        s->y[i] = r->y[u];
        s->orig_id[i] = r->orig_id[u];
        for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++, m++) {
            s->head[m] = new_of[r->head[e]];
            s->length_m[m] = r->length_m[e];
            s->time_s[m] = r->time_s[e];
        }
        s->row_ptr[i + 1] = m;
    }
}

weft_status weft_roads_sort_spatial(weft_context *ctx, weft_roads **rp)
{
    weft_roads *r = *rp, *s = NULL;
    key_node *order = weft_malloc(ctx, ((size_t)r->n_nodes + 1) * sizeof *order);
    int32_t *new_of = weft_malloc(ctx, ((size_t)r->n_nodes + 1) * sizeof *new_of);
    int st = order && new_of ? weft_roads_create(ctx, r->n_nodes, r->n_edges, r->coords, &s)
                             : weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory reordering nodes");
    if (st) goto cleanup;
    double x0, y0, scale;
    bounds(r, &x0, &y0, &scale);
    for (int32_t v = 0; v < r->n_nodes; v++)
        order[v] = (key_node){hilbert((uint32_t)lround((r->x[v] - x0) * scale), (uint32_t)lround((r->y[v] - y0) * scale)),
                              v};
    qsort(order, (size_t)r->n_nodes, sizeof *order, cmp_key);
    for (int32_t i = 0; i < r->n_nodes; i++) new_of[order[i].node] = i;
    permute(r, order, new_of, s);
    weft_roads_destroy(rp);
    *rp = s;
cleanup:
    weft_free(ctx, order);
    weft_free(ctx, new_of);
    return st;
}
