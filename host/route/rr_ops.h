/* The search operators on the working solution. */
#ifndef WEFT_ROUTE_RR_OPS_H
#define WEFT_ROUTE_RR_OPS_H

#include "route/rr_state.h"

/* Removes strings near a random customer; stamp[nr] marks ruined slots with stamp_value. */
void rr_ruin(rr_state *s, int *stamp, int stamp_value);
/* Reinserts every unserved customer where it fits cheapest (list, key: scratch of nc entries). */
void rr_recreate(rr_state *s, int *list, double *key, int use_blink);
/* Empties one used route (shorter ones likelier): the move that can save a vehicle. */
void rr_ruin_route(rr_state *s);
/* Empties every route and rebuilds with a random order and many blinks. */
void rr_restart(rr_state *s, int *list, double *key);
/* First-improvement local search (relocate, swap, 2-opt*, 2-opt) over neighbour lists; returns the
 * number of improving moves made. Leaves the undo log untouched only if called after a step. */
long rr_local_search(rr_state *s, long max_moves);

#endif
