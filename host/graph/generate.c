/* Synthetic regional road networks: a jittered street lattice, every cell a junction in the towns;
 * in the countryside only every RURAL_EVERY-th row and column is a road (country roads with sparse
 * junctions), which keeps the region connected. Arterials every few streets, some one-way local
 * streets, motorways between towns with ramps, and a few small islands joined to nothing.
 * Deterministic for a given seed. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "graph/gen_internal.h"

#define MAX_AUTO_TOWNS 8
#define RURAL_EVERY 5    /* lattice lines that stay roads outside the towns */
#define ARTERIAL_EVERY 10 /* a multiple of RURAL_EVERY: arterials continue as country roads */
#define FRINGE 0.35      /* below this town proximity, only the country roads have junctions */
#define MAX_STREET_GAP 3 /* town-fringe streets bridge at most this many lattice cells */

void weft_roads_gen_defaults(weft_roads_gen_options *o)
{
    memset(o, 0, sizeof *o);
    o->n_nodes = 10000;
    o->seed = 1;
    o->spacing_m = 120;
    o->rural_keep = 0.3;
    o->oneway_fraction = 0.15;
    o->islands = 3;
}

int32_t gen_add_node(gen_graph *g, double x, double y)
{
    if (g->failed) return -1;
    if (g->n == g->cap_n) {
        int32_t nc = g->cap_n ? g->cap_n * 2 : 1024;
        double *nx = weft_realloc_array(g->ctx, g->x, (size_t)nc, sizeof *nx);
        if (nx) g->x = nx;
        double *ny = nx ? weft_realloc_array(g->ctx, g->y, (size_t)nc, sizeof *ny) : NULL;
        if (ny) g->y = ny;
        if (!nx || !ny || nc < 0) {
            g->failed = 1;
            return -1;
        }
        g->cap_n = nc;
    }
    g->x[g->n] = x;
    g->y[g->n] = y;
    return g->n++;
}

static int grow_edges(gen_graph *g)
{
    int32_t nc = g->cap_m ? g->cap_m * 2 : 4096;
    if (nc < 0) return -1;
    void **arr[] = {(void **)&g->tail, (void **)&g->head, (void **)&g->len, (void **)&g->time};
    size_t es[] = {sizeof(int32_t), sizeof(int32_t), sizeof(double), sizeof(double)};
    for (int i = 0; i < 4; i++) {
        void *p = weft_realloc_array(g->ctx, *arr[i], (size_t)nc, es[i]);
        if (!p) return -1;
        *arr[i] = p;
    }
    g->cap_m = nc;
    return 0;
}

void gen_add_edge(gen_graph *g, int32_t a, int32_t b, double kmh, double extra_m)
{
    if (g->failed || a < 0 || b < 0) return;
    if (g->m == g->cap_m && grow_edges(g)) {
        g->failed = 1;
        return;
    }
    double len = hypot(g->x[b] - g->x[a], g->y[b] - g->y[a]) + extra_m;
    g->tail[g->m] = a;
    g->head[g->m] = b;
    g->len[g->m] = len;
    g->time[g->m] = len / (kmh / 3.6);
    g->m++;
}

void gen_add_both(gen_graph *g, int32_t a, int32_t b, double kmh, double extra_m)
{
    gen_add_edge(g, a, b, kmh, extra_m);
    gen_add_edge(g, b, a, kmh, extra_m);
}

/* Town proximity at (x, y): 1 inside a town, fading outside it. */
static double proximity(const weft_town *t, int32_t nt, double x, double y)
{
    double p = 0;
    for (int32_t i = 0; i < nt; i++) {
        double d = hypot(x - t[i].x, y - t[i].y) - t[i].radius_m;
        double q = d <= 0 ? 1.0 : exp(-d / (0.5 * t[i].radius_m));
        if (q > p) p = q;
    }
    return p;
}

/* Probability that a lattice cell is a junction: on a country road at least rural_keep, elsewhere
 * only near a town. */
static double keep_probability(double rural_keep, double q, int on_rural_line)
{
    if (on_rural_line) return q > rural_keep ? q : rural_keep;
    return q >= FRINGE ? q : 0;
}

/* Mean keep probability over the region, sampled on a fixed grid; 9 of 25 cells lie on a country
 * road (one row or column in RURAL_EVERY). */
static double mean_density(const weft_roads_gen_options *o, const weft_town *t, int32_t nt, double w, double h)
{
    const double on = 1 - (1 - 1.0 / RURAL_EVERY) * (1 - 1.0 / RURAL_EVERY);
    double s = 0;
    for (int j = 0; j < 100; j++) {
        for (int i = 0; i < 100; i++) {
            double q = proximity(t, nt, (i + 0.5) * w / 100, (j + 0.5) * h / 100);
            s += on * keep_probability(o->rural_keep, q, 1) + (1 - on) * keep_probability(o->rural_keep, q, 0);
        }
    }
    return s / 1e4;
}

typedef struct gen_plan {
    weft_roads_gen_options o;
    weft_town towns[MAX_AUTO_TOWNS];
    const weft_town *t;
    int32_t nt;
    double w, h, sp;
} gen_plan;

/* A town on the unit square, kept apart from the towns before it (a few tries, then anywhere). */
static void place_town(weft_town *t, int32_t i, gen_rng *rng)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        t[i] = (weft_town){gen_uniform(rng, 0.15, 0.85), gen_uniform(rng, 0.15, 0.85), gen_uniform(rng, 0.08, 0.13), NULL};
        int clear = 1;
        for (int32_t j = 0; j < i && clear; j++)
            clear = hypot(t[i].x - t[j].x, t[i].y - t[j].y) > 2.5 * fmax(t[i].radius_m, t[j].radius_m);
        if (clear) return;
    }
}

/* Region size, towns and lattice spacing so the expected node count meets the target. */
static void plan_region(gen_plan *p, gen_rng *rng)
{
    const weft_roads_gen_options *o = &p->o;
    p->t = o->towns;
    p->nt = o->n_towns;
    if (p->nt == 0) {
        /* towns placed on a unit square, scaled once the region's side is known */
        p->nt = 3 + (int32_t)(o->n_nodes / 200000);
        if (p->nt > MAX_AUTO_TOWNS) p->nt = MAX_AUTO_TOWNS;
        for (int32_t i = 0; i < p->nt; i++) place_town(p->towns, i, rng);
        double f = mean_density(o, p->towns, p->nt, 1, 1);
        double side = o->spacing_m * sqrt(o->n_nodes / f);
        for (int32_t i = 0; i < p->nt; i++) {
            p->towns[i].x *= side;
            p->towns[i].y *= side;
            p->towns[i].radius_m *= side;
        }
        p->t = p->towns;
        p->w = p->h = side;
        p->sp = o->spacing_m;
        return;
    }
    p->w = o->width_m;
    p->h = o->height_m;
    for (int32_t i = 0; i < p->nt && (p->w <= 0 || p->h <= 0); i++) {
        p->w = fmax(p->w, p->t[i].x + 1.5 * p->t[i].radius_m);
        p->h = fmax(p->h, p->t[i].y + 1.5 * p->t[i].radius_m);
    }
    /* given a region, the spacing follows from the node count */
    double f = mean_density(o, p->t, p->nt, p->w, p->h);
    p->sp = sqrt(p->w * p->h * f / o->n_nodes);
}

/* Kept lattice nodes, jittered; the cell table maps lattice cells to node ids. */
static void build_mesh(gen_graph *g, gen_mesh *mesh, const gen_plan *p, gen_rng *rng)
{
    for (int32_t j = 0; j < mesh->rows; j++) {
        for (int32_t i = 0; i < mesh->cols; i++) {
            double x = i * mesh->sp, y = j * mesh->sp;
            double keep = gen_uniform(rng, 0, 1), jx = gen_uniform(rng, -0.3, 0.3), jy = gen_uniform(rng, -0.3, 0.3);
            int on_line = i % RURAL_EVERY == 0 || j % RURAL_EVERY == 0;
            double pk = keep_probability(p->o.rural_keep, proximity(p->t, p->nt, x, y), on_line);
            int32_t v = keep < pk ? gen_add_node(g, x + jx * mesh->sp, y + jy * mesh->sp) : -1;
            mesh->cell[(size_t)j * mesh->cols + i] = v;
        }
    }
}

/* One lattice line (a row when horizontal): consecutive kept nodes joined as one street; across
 * long gaps (the countryside) only if the line is a country road. */
static void build_line(gen_graph *g, const gen_mesh *mesh, int32_t line, int horizontal, gen_rng *rng)
{
    int arterial = line % ARTERIAL_EVERY == 0, country = line % RURAL_EVERY == 0;
    double kmh = arterial ? gen_uniform(rng, 50, 70) : gen_uniform(rng, 30, 40);
    int oneway = !arterial && gen_uniform(rng, 0, 1) < g->oneway_fraction;
    int32_t len = horizontal ? mesh->cols : mesh->rows, prev = -1, gap = 0;
    for (int32_t k = 0; k < len; k++) {
        size_t c = horizontal ? (size_t)line * mesh->cols + k : (size_t)k * mesh->cols + line;
        int32_t v = mesh->cell[c];
        gap++;
        if (v < 0) continue;
        if (gap > MAX_STREET_GAP && !country) prev = -1;
        /* long rural links are country roads: faster than town streets */
        double s = gap >= 3 && !arterial ? fmax(kmh, 60) : kmh;
        int one = oneway && gap == 1; /* country roads run both ways */
        if (prev >= 0 && one) gen_add_edge(g, line % 2 ? v : prev, line % 2 ? prev : v, s, 0);
        else if (prev >= 0) gen_add_both(g, prev, v, s, 0);
        prev = v;
        gap = 0;
    }
}

static int check_options(weft_context *ctx, const weft_roads_gen_options *o)
{
    if (o->n_nodes < 100 || o->n_nodes > 50000000)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "road generator: n_nodes %d outside 100..50000000", o->n_nodes);
    if (!(o->spacing_m > 1) || !(o->rural_keep > 0 && o->rural_keep <= 1) ||
        !(o->oneway_fraction >= 0 && o->oneway_fraction <= 1) || o->islands < 0 || o->n_towns < 0 ||
        (o->n_towns > 0 && !o->towns))
        return weft_error(ctx, WEFT_ERR_INVALID_ARG,
                          "road generator: spacing_m > 1, rural_keep in (0,1], oneway_fraction in [0,1], "
                          "islands >= 0 and towns given when n_towns > 0");
    for (int32_t i = 0; i < o->n_towns; i++)
        if (!isfinite(o->towns[i].x) || !isfinite(o->towns[i].y) || !(o->towns[i].radius_m > 0))
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "road generator: town %d (%s) needs finite x, y and radius > 0",
                              i, o->towns[i].name ? o->towns[i].name : "unnamed");
    return WEFT_OK;
}

/* Fringe junctions that found no street are not junctions: remove nodes without any edge. */
static int drop_isolated(weft_context *ctx, weft_roads **r)
{
    uint8_t *keep = weft_calloc(ctx, (size_t)(*r)->n_nodes + 1, 1);
    if (!keep) return weft_error(ctx, WEFT_ERR_NOMEM, "road generator: out of memory");
    for (int32_t u = 0; u < (*r)->n_nodes; u++) {
        if ((*r)->row_ptr[u + 1] > (*r)->row_ptr[u]) keep[u] = 1;
        for (int32_t e = (*r)->row_ptr[u]; e < (*r)->row_ptr[u + 1]; e++) keep[(*r)->head[e]] = 1;
    }
    weft_roads *s = NULL;
    int st = weft_roads_subgraph(ctx, *r, keep, &s);
    weft_free(ctx, keep);
    if (st) return st;
    for (int32_t v = 0; v < s->n_nodes; v++) s->orig_id[v] = v; /* generated ids number the result */
    weft_roads_destroy(r);
    *r = s;
    return WEFT_OK;
}

static void gen_graph_free(gen_graph *g)
{
    weft_free(g->ctx, g->x);
    weft_free(g->ctx, g->y);
    weft_free(g->ctx, g->tail);
    weft_free(g->ctx, g->head);
    weft_free(g->ctx, g->len);
    weft_free(g->ctx, g->time);
}

weft_status weft_roads_generate(weft_context *ctx, const weft_roads_gen_options *o, weft_roads **out)
{
    *out = NULL;
    int st = check_options(ctx, o);
    if (st) return st;
    gen_rng rng = {o->seed};
    gen_plan p = {.o = *o};
    plan_region(&p, &rng);
    gen_mesh mesh = {(int32_t)ceil(p.w / p.sp) + 1, (int32_t)ceil(p.h / p.sp) + 1, p.sp, NULL};
    gen_graph g = {.ctx = ctx, .oneway_fraction = o->oneway_fraction};
    mesh.cell = weft_malloc(ctx, (size_t)mesh.cols * (size_t)mesh.rows * sizeof *mesh.cell);
    if (!mesh.cell) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "road generator: out of memory for a %d x %d lattice", mesh.cols,
                        mesh.rows);
        goto cleanup;
    }
    build_mesh(&g, &mesh, &p, &rng);
    for (int32_t j = 0; j < mesh.rows; j++) build_line(&g, &mesh, j, 1, &rng);
    for (int32_t i = 0; i < mesh.cols; i++) build_line(&g, &mesh, i, 0, &rng);
    gen_motorways(&g, &mesh, p.t, p.nt, &rng);
    gen_islands(&g, o->islands, p.w, p.sp, &rng);
    if (g.failed) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "road generator: out of memory at %d nodes, %d edges", g.n, g.m);
        goto cleanup;
    }
    st = weft_roads_from_edges(ctx, g.n, g.m, g.tail, g.head, g.len, g.time, g.x, g.y, NULL, WEFT_COORDS_PLANAR, out);
    if (!st) st = drop_isolated(ctx, out);
    if (!st)
        weft_log(ctx, WEFT_LOG_DETAIL, "road generator: %d nodes, %d edges, %d towns, %.1f x %.1f km, spacing %.0f m",
                 g.n, g.m, p.nt, p.w / 1000, p.h / 1000, p.sp);
cleanup:
    weft_free(ctx, mesh.cell);
    gen_graph_free(&g);
    return st;
}

/* Approximate positions (1 degree of longitude is about 95.1 km at 31.3 N, of latitude 111 km). */
static const weft_town kunshan_towns[] = {
    {11400, 11100, 7000, "Suzhou"},
    {45600, 20000, 5000, "Kunshan"},
    {57000, 13300, 2500, "Huaqiao"},
    {63700, 10000, 6000, "Shanghai (Anting)"},
};

void weft_roads_gen_kunshan(weft_roads_gen_options *o)
{
    o->towns = kunshan_towns;
    o->n_towns = (int32_t)(sizeof kunshan_towns / sizeof *kunshan_towns);
    o->width_m = 72000;
    o->height_m = 30000;
    o->rural_keep = 0.15;
}
