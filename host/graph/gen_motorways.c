/* Motorways, ramps and disconnected islands for the synthetic road network generator. */
#include <math.h>
#include <stdlib.h>

#include "core/context_internal.h"
#include "graph/gen_internal.h"

#define MOTORWAY_STEP_M 500.0
#define RAMP_EVERY_M 3000.0
#define RAMP_KMH 50.0

int32_t gen_mesh_nearest(const gen_mesh *mesh, const gen_graph *g, double x, double y)
{
    int32_t ci = (int32_t)lround(x / mesh->sp), cj = (int32_t)lround(y / mesh->sp);
    int32_t best = -1;
    double bd = INFINITY;
    for (int32_t r = 0; r <= 8 && best < 0; r++) {
        for (int32_t j = cj - r; j <= cj + r; j++) {
            for (int32_t i = ci - r; i <= ci + r; i++) {
                if (i < 0 || j < 0 || i >= mesh->cols || j >= mesh->rows) continue;
                int32_t v = mesh->cell[(size_t)j * mesh->cols + i];
                if (v < 0) continue;
                double d = hypot(g->x[v] - x, g->y[v] - y);
                if (d < bd) {
                    bd = d;
                    best = v;
                }
            }
        }
    }
    return best;
}

static void ramp(gen_graph *g, const gen_mesh *mesh, int32_t mv)
{
    int32_t v = gen_mesh_nearest(mesh, g, g->x[mv], g->y[mv]);
    if (v >= 0) gen_add_both(g, mv, v, RAMP_KMH, 30.0);
}

/* One motorway from town a to town b: nodes every ~500 m, both carriageways, ramps every ~3 km. */
static void motorway(gen_graph *g, const gen_mesh *mesh, const weft_town *a, const weft_town *b, gen_rng *rng)
{
    double len = hypot(b->x - a->x, b->y - a->y);
    int32_t steps = (int32_t)ceil(len / MOTORWAY_STEP_M);
    if (steps < 1) return;
    double kmh = gen_uniform(rng, 100, 120);
    int32_t ramp_every = (int32_t)fmax(1, round(RAMP_EVERY_M / (len / steps)));
    /* a gentle bend so motorways are not ruler-straight */
    double bend = gen_uniform(rng, -0.08, 0.08) * len;
    double nx = -(b->y - a->y) / len, ny = (b->x - a->x) / len;
    int32_t prev = -1;
    for (int32_t s = 0; s <= steps; s++) {
        double f = (double)s / steps, off = bend * 4 * f * (1 - f);
        int32_t v = gen_add_node(g, a->x + f * (b->x - a->x) + off * nx, a->y + f * (b->y - a->y) + off * ny);
        if (v < 0) return;
        if (prev >= 0) gen_add_both(g, prev, v, kmh, 0);
        if (s % ramp_every == 0 || s == steps) ramp(g, mesh, v);
        prev = v;
    }
}

static int cmp_town_x(const void *a, const void *b)
{
    double x = ((const weft_town *)a)->x, y = ((const weft_town *)b)->x;
    return (x > y) - (x < y);
}

void gen_motorways(gen_graph *g, const gen_mesh *mesh, const weft_town *towns, int32_t n_towns, gen_rng *rng)
{
    if (n_towns < 2) return;
    weft_town *t = weft_malloc(g->ctx, (size_t)n_towns * sizeof *t);
    if (!t) {
        g->failed = 1;
        return;
    }
    for (int32_t i = 0; i < n_towns; i++) t[i] = towns[i];
    qsort(t, (size_t)n_towns, sizeof *t, cmp_town_x);
    for (int32_t i = 0; i + 1 < n_towns; i++) motorway(g, mesh, &t[i], &t[i + 1], rng);
    /* a ring road closes the chain once there are enough towns to make one worth having */
    if (n_towns >= 4) motorway(g, mesh, &t[n_towns - 1], &t[0], rng);
    weft_free(g->ctx, t);
}

void gen_islands(gen_graph *g, int32_t count, double x0, double sp, gen_rng *rng)
{
    for (int32_t k = 0; k < count; k++) {
        int32_t w = 3 + (int32_t)(gen_next(rng) % 5), h = 3 + (int32_t)(gen_next(rng) % 5);
        double ox = x0 + 2000.0 * (k + 1), oy = 1000.0 * k;
        int32_t first = g->n;
        for (int32_t j = 0; j < h; j++)
            for (int32_t i = 0; i < w; i++) gen_add_node(g, ox + i * sp, oy + j * sp);
        if (g->failed) return;
        for (int32_t j = 0; j < h; j++) {
            for (int32_t i = 0; i < w; i++) {
                int32_t v = first + j * w + i;
                if (i + 1 < w) gen_add_both(g, v, v + 1, 30, 0);
                if (j + 1 < h) gen_add_both(g, v, v + w, 30, 0);
            }
        }
    }
}
