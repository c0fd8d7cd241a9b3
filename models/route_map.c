/* The route map on the road network (job_plots.h). Each leg of a route is drawn along its
 * time-shortest road path, found by a Dijkstra search that keeps predecessors (the matrix code
 * keeps only the totals) and stops at the leg's target. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/svg.h"
#include "job_plots.h"

#define W 1200.0
#define MARGIN 30.0

typedef struct heap_item {
    double key;
    int32_t node;
} heap_item;

typedef struct path_search {
    const weft_roads *r;
    double *best;      /* [n] +inf when untouched */
    int32_t *pred;     /* [n] */
    int32_t *touched, n_touched;
    heap_item *heap;   /* up to n_edges + 1 entries (lazy deletion) */
    int32_t n_heap;
} path_search;

static void heap_push(path_search *s, double key, int32_t node)
{
    int32_t i = s->n_heap++;
    while (i > 0 && s->heap[(i - 1) / 2].key > key) s->heap[i] = s->heap[(i - 1) / 2], i = (i - 1) / 2;
    s->heap[i] = (heap_item){key, node};
}

static heap_item heap_pop(path_search *s)
{
    heap_item top = s->heap[0], last = s->heap[--s->n_heap];
    int32_t i = 0;
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= s->n_heap) break;
        if (c + 1 < s->n_heap && s->heap[c + 1].key < s->heap[c].key) c++;
        if (s->heap[c].key >= last.key) break;
        s->heap[i] = s->heap[c], i = c;
    }
    if (s->n_heap) s->heap[i] = last;
    return top;
}

static void relax(path_search *s, int32_t u, int32_t v, double key)
{
    if (key >= s->best[v]) return;
    if (isinf(s->best[v])) s->touched[s->n_touched++] = v;
    s->best[v] = key, s->pred[v] = u;
    heap_push(s, key, v);
}

/* Searches from a to b; afterwards pred[] leads back from b to a. Returns 0 if b is unreachable. */
static int search(path_search *s, int32_t a, int32_t b)
{
    for (int32_t i = 0; i < s->n_touched; i++) s->best[s->touched[i]] = INFINITY;
    s->n_touched = 0, s->n_heap = 0;
    relax(s, -1, a, 0);
    const weft_roads *r = s->r;
    while (s->n_heap) {
        heap_item it = heap_pop(s);
        if (it.key > s->best[it.node]) continue;
        if (it.node == b) return 1;
        for (int32_t e = r->row_ptr[it.node]; e < r->row_ptr[it.node + 1]; e++)
            relax(s, it.node, r->head[e], it.key + r->time_s[e]);
    }
    return 0;
}

typedef struct map_frame {
    double x0, y1, scale, h;
} map_frame;

static double mx(const map_frame *f, double x) { return MARGIN + (x - f->x0) * f->scale; }
static double my(const map_frame *f, double y) { return MARGIN + 24 + (f->y1 - y) * f->scale; }

static map_frame frame_of(const weft_roads *r)
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int32_t i = 0; i < r->n_nodes; i++) {
        lo[0] = fmin(lo[0], r->x[i]), hi[0] = fmax(hi[0], r->x[i]);
        lo[1] = fmin(lo[1], r->y[i]), hi[1] = fmax(hi[1], r->y[i]);
    }
    double span = fmax(hi[0] - lo[0], 1);
    map_frame f = {lo[0], hi[1], (W - 2 * MARGIN) / span, 0};
    f.h = (hi[1] - lo[1]) * f.scale + 2 * MARGIN + 24;
    return f;
}

static int has_edge(const weft_roads *r, int32_t from, int32_t to)
{
    for (int32_t e = r->row_ptr[from]; e < r->row_ptr[from + 1]; e++)
        if (r->head[e] == to) return 1;
    return 0;
}

/* Roads in three classes by speed (local, arterial, motorway); a two-way street drawn once, a
 * one-way street too. */
static void draw_roads(FILE *out, const weft_roads *r, const map_frame *f)
{
    static const char *const style[3] = {"stroke=\"#e4e4e4\" stroke-width=\"0.6\"", "stroke=\"#c8c8c8\" stroke-width=\"1\"",
                                         "stroke=\"#e0a060\" stroke-width=\"2\""};
    static const double min_kmh[3] = {0, 48, 90}, max_kmh[3] = {48, 90, 1e9};
    for (int c = 0; c < 3; c++) {
        fprintf(out, "<path fill=\"none\" %s d=\"", style[c]);
        for (int32_t u = 0; u < r->n_nodes; u++)
            for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
                int32_t v = r->head[e];
                double kmh = r->time_s[e] > 0 ? 3.6 * r->length_m[e] / r->time_s[e] : 0;
                if ((v < u && has_edge(r, v, u)) || kmh < min_kmh[c] || kmh >= max_kmh[c]) continue;
                fprintf(out, "M%.0f %.0fL%.0f %.0f", mx(f, r->x[u]), my(f, r->y[u]), mx(f, r->x[v]), my(f, r->y[v]));
            }
        fputs("\"/>\n", out);
    }
}

/* One leg as polyline points, from a to b along the road. */
static void draw_leg(FILE *out, path_search *s, const map_frame *f, int32_t a, int32_t b)
{
    const weft_roads *r = s->r;
    if (!search(s, a, b)) {
        fprintf(out, " %.1f,%.1f", mx(f, r->x[b]), my(f, r->y[b]));
        return;
    }
    /* walk back from b, then print in travel order from the far end of the touched list */
    int32_t n = 0;
    for (int32_t v = b; v >= 0; v = s->pred[v]) s->heap[n++].node = v; /* heap is free after the search */
    for (int32_t i = n - 1; i >= 0; i--)
        fprintf(out, " %.1f,%.1f", mx(f, r->x[s->heap[i].node]), my(f, r->y[s->heap[i].node]));
}

static int32_t node_of(const weft_vrp *v, int loc)
{
    return loc < v->n_depots ? v->depot_node[loc] : v->node[loc - v->n_depots];
}

static void draw_routes(FILE *out, path_search *s, const map_frame *f, const weft_vrp *v, const weft_vrp_solution *sol)
{
    for (int k = 0; k < sol->n_routes; k++) {
        int dep = v->type_depot[sol->route_type[k]], prev = dep;
        double hue = fmod(k * 137.508, 360.0);
        fprintf(out, "<polyline fill=\"none\" stroke=\"hsl(%.0f,75%%,42%%)\" stroke-width=\"2\" stroke-opacity=\"0.85\" points=\"", hue);
        fprintf(out, "%.1f,%.1f", mx(f, s->r->x[node_of(v, dep)]), my(f, s->r->y[node_of(v, dep)]));
        for (int i = sol->route_start[k]; i <= sol->route_start[k + 1]; i++) {
            int loc = i < sol->route_start[k + 1] ? v->n_depots + sol->visits[i] : dep;
            draw_leg(out, s, f, node_of(v, prev), node_of(v, loc));
            prev = loc;
        }
        fprintf(out, "\"><title>route %d (%s)</title></polyline>\n", k + 1,
                v->type_name ? v->type_name[sol->route_type[k]] : "vehicle");
    }
}

static void draw_stops(FILE *out, const map_frame *f, const weft_roads *r, const weft_vrp *v)
{
    for (int c = 0; c < v->n_customers; c++)
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#222\"><title>delivery %d</title></circle>\n",
                mx(f, r->x[v->node[c]]), my(f, r->y[v->node[c]]), v->id[c]);
    for (int d = 0; d < v->n_depots; d++)
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"black\"><title>depot %d</title></rect>\n",
                mx(f, r->x[v->depot_node[d]]) - 6, my(f, r->y[v->depot_node[d]]) - 6, d);
}

static int has_nodes(const weft_roads *r, const weft_vrp *v)
{
    if (!r) return 0;
    for (int i = 0; i < v->n_depots + v->n_customers; i++) {
        int32_t n = node_of(v, i);
        if (n < 0 || n >= r->n_nodes) return 0;
    }
    return 1;
}

weft_status weft_plot_routes(weft_context *ctx, const weft_roads *r, const weft_vrp *v, const weft_vrp_solution *sol,
                             const char *title, const char *path)
{
    if (!has_nodes(r, v)) return weft_write_route_svg(ctx, v, sol, path);
    path_search s = {.r = r};
    s.best = weft_malloc(ctx, (size_t)r->n_nodes * sizeof *s.best);
    s.pred = weft_malloc(ctx, (size_t)r->n_nodes * sizeof *s.pred);
    s.touched = weft_malloc(ctx, (size_t)r->n_nodes * sizeof *s.touched);
    s.heap = weft_malloc(ctx, ((size_t)r->n_edges + r->n_nodes + 1) * sizeof *s.heap);
    weft_svg svg = {0};
    int st = WEFT_OK;
    if (!s.best || !s.pred || !s.touched || !s.heap) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory for the route map", path);
        goto cleanup;
    }
    for (int32_t i = 0; i < r->n_nodes; i++) s.best[i] = INFINITY;
    map_frame f = frame_of(r);
    if ((st = weft_svg_begin(ctx, &svg, path, W, ceil(f.h)))) goto cleanup;
    weft_svg_text(&svg, MARGIN, 22, 15, "start", title);
    draw_roads(svg.f, r, &f);
    draw_routes(svg.f, &s, &f, v, sol);
    draw_stops(svg.f, &f, r, v);
    st = weft_svg_end(ctx, &svg);
cleanup:
    weft_svg_abort(&svg);
    weft_free(ctx, s.best), weft_free(ctx, s.pred), weft_free(ctx, s.touched), weft_free(ctx, s.heap);
    return st;
}
