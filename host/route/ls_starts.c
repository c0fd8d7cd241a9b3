/* Several climbers at once where the search has a use for them: its start. With the batched local
 * search, RR_LS_STARTS constructions (random insertion orders from seeds drawn from the state) are
 * improved together, one launch a round for all of them, and the best (fewest unserved must-serve
 * customers, then cost) becomes the start of the ruin-and-recreate search. */
#include <math.h>

#include "core/context_internal.h"
#include "route/ls_device.h"
#include "route/rr_ops.h"

static int missing(const rr_state *s)
{
    int m = 0;
    for (int i = 0; i < s->n_unserved; i++) m += s->must[s->unserved[i]];
    return m;
}

/* s takes the routes of b (a state of the same instance). */
static void take_routes(rr_state *s, const rr_state *b)
{
    for (int r = 0; r < s->nr; r++)
        while (s->routes[r].len && !s->nomem) rr_remove(s, s->routes[r].cust[s->routes[r].len - 1]);
    for (int r = 0; r < s->nr && !s->nomem; r++)
        for (int p = 0; p < b->routes[r].len && !s->nomem; p++) rr_insert(s, b->routes[r].cust[p], r, p + 1);
    rr_recompute_cost(s);
}

int rr_ls_starts(rr_state *s, weft_vrp_objective obj, int *list, double *key)
{
    rr_state more[RR_LS_STARTS - 1];
    rr_state *all[RR_LS_STARTS] = {s};
    int n = 1, st = WEFT_OK;
    rr_begin_step(s);
    rr_recreate(s, list, key, 0);
    for (; n < RR_LS_STARTS && !st; n++) {
        st = rr_state_init(&more[n - 1], s->ctx, s->v, obj, rr_rand(s));
        if (st) break;
        all[n] = &more[n - 1];
        all[n]->deadline = s->deadline;
        rr_begin_step(all[n]);
        rr_recreate(all[n], list, key, 0);
    }
    if (!st && rr_ls_run(s->ls, all, n, 1000000, 0) < 0) st = rr_ls_status(s);
    int best = 0;
    for (int i = 1; !st && i < n; i++) {
        int m = missing(all[i]), mb = missing(all[best]);
        if (m < mb || (m == mb && all[i]->cost < all[best]->cost)) best = i;
    }
    if (!st && best) take_routes(s, all[best]);
    for (int i = 1; i < n; i++) rr_state_free(all[i]);
    return st;
}
