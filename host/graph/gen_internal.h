/* Shared state of the synthetic road network generator (generate.c builds the street mesh,
 * gen_motorways.c the motorways, ramps and islands). */
#ifndef WEFT_GEN_INTERNAL_H
#define WEFT_GEN_INTERNAL_H

#include <stdint.h>

#include "weft/roads.h"

typedef struct gen_rng {
    uint64_t s;
} gen_rng;

/* splitmix64: tiny, and the same sequence on every platform. */
static inline uint64_t gen_next(gen_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline double gen_uniform(gen_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * (double)(gen_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct gen_graph {
    weft_context *ctx;
    double *x, *y;
    int32_t n, cap_n;
    int32_t *tail, *head;
    double *len, *time;
    int32_t m, cap_m;
    double oneway_fraction;
    int failed; /* out of memory at some point: the build stops */
} gen_graph;

int32_t gen_add_node(gen_graph *g, double x, double y);
/* One directed edge timed at kmh; length is the straight line plus extra_m. */
void gen_add_edge(gen_graph *g, int32_t a, int32_t b, double kmh, double extra_m);
void gen_add_both(gen_graph *g, int32_t a, int32_t b, double kmh, double extra_m);

/* The street mesh: lattice of cols x rows at spacing sp, node id per cell or -1. */
typedef struct gen_mesh {
    int32_t cols, rows;
    double sp;
    int32_t *cell; /* rows * cols */
} gen_mesh;

/* The kept mesh node nearest to (x, y) within a few cells, or -1. */
int32_t gen_mesh_nearest(const gen_mesh *mesh, const gen_graph *g, double x, double y);
/* Motorways between the towns (sorted west to east) with ramps into the mesh. */
void gen_motorways(gen_graph *g, const gen_mesh *mesh, const weft_town *towns, int32_t n_towns, gen_rng *rng);
/* Small street grids placed east of the region, joined to nothing. */
void gen_islands(gen_graph *g, int32_t count, double x0, double sp, gen_rng *rng);

#endif
