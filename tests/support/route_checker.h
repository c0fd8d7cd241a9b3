/* An independent checker for routing solutions: it rebuilds every route from the instance's raw
 * data (distances from the coordinates with the set's convention, unless the instance gives a
 * matrix), schedules it with forward time slack (Savelsbergh) rather than the solver's
 * concatenation summaries, checks capacity, windows, shift, duration, fleet counts and that every
 * must-serve customer is served exactly once, and recomputes the cost. */
#ifndef WEFT_ROUTE_CHECKER_H
#define WEFT_ROUTE_CHECKER_H

#include "weft/route.h"

typedef struct route_check {
    int ok;             /* all constraints met */
    double cost;        /* recomputed, penalties of unserved optional customers included */
    double distance;
    int vehicles;
    char why[256];      /* the first violation */
} route_check;

/* One route of type t over customers c[0..n): its cost, and *ok = 0 if it breaks a constraint. */
double route_checker_route(const weft_vrp *v, int t, const int32_t *c, int n, int *ok);
route_check route_checker_run(const weft_vrp *v, const weft_vrp_solution *sol);
/* cmocka assertion: feasible, and the solution's own cost equal to the recomputed one. */
void route_checker_assert(const weft_vrp *v, const weft_vrp_solution *sol);

#endif
