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
/* First-improvement local search (relocate and or-opt, swap, 2-opt*, 2-opt) over neighbour lists,
 * from every customer or only from those in the slots the current step touched; returns the number
 * of improving moves made. Call it after a step is decided (its moves join that step's log). */
long rr_local_search(rr_state *s, long max_moves, int touched_only);
/* The fleet moves both local searches end with: drop or add optional customers, then give a route
 * to another vehicle type; 1 if one was made (buf_a, buf_b: scratch of nc). */
int rr_ls_fleet_moves(rr_state *s, int *buf_a, int *buf_b);

#endif
