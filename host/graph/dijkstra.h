/* Many-source Dijkstra on a CSR graph, the CPU half of every shortest-path operation (the CPU
 * backend's sssp op calls it too). Labels are (time, distance) pairs compared lexicographically:
 * the time-shortest path, and among equal times the shortest in metres. That label is the unique
 * fixpoint of the Bellman equations, so a device Bellman-Ford reaches exactly the same numbers. */
#ifndef WEFT_DIJKSTRA_H
#define WEFT_DIJKSTRA_H

#include <stdint.h>

#include "weft/context.h"

typedef struct weft_csr_graph {
    int32_t n;
    const int32_t *row_ptr, *head;
    const double *length_m, *time_s;
} weft_csr_graph;

/* For each source s (ns of them) and target t (nt), time_out[s*nt+t] and dist_out[s*nt+t]
 * (dist_out may be NULL); +INFINITY where unreachable. threads <= 0: the OpenMP default.
 * Each search stops once all targets are settled. */
int weft_dijkstra_many(weft_context *ctx, const weft_csr_graph *g, const int32_t *sources, int32_t ns,
                       const int32_t *targets, int32_t nt, double *time_out, double *dist_out, int threads);

#endif
