/* The batched local search (ls_device.c): a backend's vrp_ls_best evaluates the whole granular
 * neighbourhood of one or more solutions in one launch, and the best improving moves on disjoint
 * routes are applied together, until none improves. It is what the search runs when moves go to an
 * OpenCL device; the host's first-improvement search (localsearch.c) stays the default otherwise. */
#ifndef WEFT_ROUTE_LS_DEVICE_H
#define WEFT_ROUTE_LS_DEVICE_H

#include <math.h>

#include "backend/backend.h"
#include "route/rr_state.h"

/* shared with localsearch.c: the same neighbourhood and the same bar for an improvement */
#define RR_LS_GRANULAR 20 /* neighbours per customer */
#define RR_LS_IMPROVE 1e-7

/* The smallest gain a move must make: RR_LS_IMPROVE plus 1e-12 of the plan's cost, above the
 * rounding of its cost sums. With the absolute bar alone, plan costs near 1e10 (cost_per_km 1e7 on
 * Solomon C101) turned rounding noise into gains and the search cycled for good. */
static inline double rr_ls_min_gain(const rr_state *s) { return RR_LS_IMPROVE + 1e-12 * fabs(s->cost); }

typedef struct rr_ls_dev rr_ls_dev;

/* Counters of the launches made through one rr_ls_dev. */
typedef struct rr_ls_stats {
    long launches, items;
    double moves;   /* moves evaluated: items x neighbours x types */
    double seconds; /* in vrp_ls_best, packing excluded */
} rr_ls_stats;

/* Opens the neighbourhood evaluation of s's instance on be (which must outlive it). */
int rr_ls_open(weft_context *ctx, const rr_state *s, weft_backend *be, rr_ls_dev **out);
void rr_ls_close(rr_ls_dev **L);
rr_ls_stats rr_ls_get_stats(const rr_ls_dev *L);

/* One launch over the states (solutions of one instance): all their customers, or those in the
 * slots each state's current step touched. Per customer u of state i, at [i * nc + u], its best
 * move and cost change (-1 and +INFINITY if none or unserved). best/delta: [S x nc]. */
int rr_ls_evaluate(rr_ls_dev *L, rr_state *const *states, int S, int touched_only, int32_t *best, double *delta);

/* Applies move mv (backend.h's numbering) of customer u in s, as evaluated on s's present routes;
 * buf_a, buf_b: scratch of nc. Returns the slots it changed in *ra, *rb (*rb = -1 if one). */
void rr_ls_apply(rr_state *s, int u, int mv, int *buf_a, int *buf_b, int *ra, int *rb);

/* The batched search on S states at once (one launch per round for all of them); returns the
 * improving moves made, or -1 with s->nomem set on each state when the backend failed. */
long rr_ls_run(rr_ls_dev *L, rr_state *const *states, int S, long max_moves, int touched_only);

/* Makes s's rr_local_search the batched one on be; rr_ls_detach goes back. */
int rr_ls_attach(rr_state *s, weft_backend *be);
void rr_ls_detach(rr_state *s);
/* The backend error that stopped the batched search (s->nomem is set then), else 0. */
int rr_ls_status(const rr_state *s);

#endif
