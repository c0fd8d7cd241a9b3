/* The working solution of the routing search: one slot per vehicle, each a sequence of customers
 * with prefix and suffix summaries (segment.h) so that insertions are checked in O(1), and an undo
 * log so that a rejected ruin-and-recreate step costs only the routes it touched. */
#ifndef WEFT_ROUTE_RR_STATE_H
#define WEFT_ROUTE_RR_STATE_H

#include <stdint.h>

#include "route/segment.h"
#include "weft/route.h"

typedef struct rr_route {
    int type, depot;    /* vehicle type, depot index (location) */
    int len, cap;       /* cap: room for cap customers in the arrays below */
    int *cust;          /* [cap] */
    rr_seg *pre, *suf;  /* [cap + 2]: pre[i] covers positions 0..i, suf[i] covers i..len+1 */
    double *pload;      /* [(cap + 2) x dims]: load of positions 1..i */
    double *load;       /* [dims]: the whole route's */
    double cost;        /* 0 when empty */
    unsigned stamp;     /* bumped by every rr_route_update: cached evaluations check it */
} rr_route;

typedef struct rr_state rr_state;

/* How insertions are evaluated: the CPU version scans routes and positions; a device version can
 * evaluate a whole neighbourhood at once behind the same table. */
typedef struct rr_eval_ops {
    const char *name;
    /* Best feasible insertion of customer c over all routes (positions skipped with probability
     * blink, chosen by rr_blinked with salt); returns 0 and sets *route, *pos, *delta, or -1 if
     * none fits. */
    int (*best_insertion)(rr_state *s, int c, double blink, uint64_t salt, int *route, int *pos, double *delta);
    /* Optional: told before rr_recreate asks for list[0..n-1] in turn (salt[i] with list[i]), so
     * that a batch can evaluate them all at once; told n = 0 after. */
    void (*prepare)(rr_state *s, const int *list, int n, const uint64_t *salt, double blink);
} rr_eval_ops;

extern const rr_eval_ops rr_eval_cpu;
extern const rr_eval_ops rr_eval_device; /* the same moves, evaluated by a backend (moves_device.c) */

/* Whether a blink skips position p of slot r in the call with this salt: a hash rather than a
 * draw per position, so the skipped set does not depend on the order moves are evaluated in. */
static inline int rr_blinked(uint64_t salt, int r, int p, double blink)
{
    uint64_t z = salt + (uint64_t)r * 0x9E3779B97F4A7C15ULL + (uint64_t)p * 0xD1B54A32D192ED03ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53 < blink;
}

struct rr_device;

/* The insertion candidates of customer c, in the order both evaluations use: near = next to its
 * nearest neighbours and in one empty slot per type, else every position of every slot its load
 * fits (one empty slot per type). Positions may repeat. */
typedef void rr_visit_fn(void *user, int r, int p);
void rr_candidates(rr_state *s, int c, int near, rr_visit_fn *visit, void *user);
int rr_use_near(const rr_state *s); /* whether the near candidates are tried first */
/* The slots of the full scan, in order: those c's load fits, one empty slot per type. */
typedef void rr_slot_fn(void *user, int r);
void rr_scan_slots(rr_state *s, int c, rr_slot_fn *slot, void *user);
/* The cost change of inserting c (summary cs) at position p of slot r; +INFINITY if infeasible. */
double rr_insertion_delta(const rr_state *s, int c, const rr_seg *cs, int r, int p);

struct rr_state {
    weft_context *ctx;
    const weft_vrp *v;
    int k, nc, D, nr;   /* locations, customers, dims, vehicle slots */
    rr_route *routes;   /* [nr] */
    int *route_of, *pos_of;  /* [nc]: slot (-1 unserved) and position 1..len */
    int *unserved, n_unserved; /* list of unserved customers */
    int *must;          /* [nc] 1 if the customer must be served */
    double *penalty;    /* [nc] cost of leaving it unserved (big for must-serve) */
    double route_extra; /* added per used route: the vehicles-first objective */
    double hours_per_unit;
    double cost;        /* routes + penalties + route_extra per used route */
    int *type_first;    /* [n_types + 1]: slots of type t are type_first[t] .. type_first[t+1]-1 */
    int *empty_of_type; /* [n_types]: an empty slot of the type, -1 if none */
    int *neighbours, n_neigh; /* [nc x n_neigh] nearest customers, by distance */
    uint64_t rng;
    uint64_t *salts;    /* [nc] rr_recreate's blink salts */
    const rr_eval_ops *ops;
    struct rr_device *device; /* rr_eval_device's data, NULL on the CPU path */
    struct rr_ls_dev *ls;     /* the batched local search's (ls_device.h), NULL: first improvement */
    /* undo log */
    int *saved_slot, n_saved; /* slots saved this step */
    int *saved_mark;          /* [nr] 1 when saved */
    int *saved_len, *saved_off, *saved_pool; /* [nr], [nr], [nc]: saved sequences back to back */
    int saved_pool_used;
    int nomem;          /* an allocation failed while growing a route */
    double deadline;    /* monotonic seconds; construction and local search stop there */
    double saved_cost;
    int *saved_unserved, saved_n_unserved;
};

int rr_state_init(rr_state *s, weft_context *ctx, const weft_vrp *v, weft_vrp_objective obj, uint64_t seed);
void rr_state_free(rr_state *s);

uint64_t rr_rand(rr_state *s);
double rr_uniform(rr_state *s); /* [0, 1) */

/* Recomputes a slot's summaries, load and cost after its sequence changed. */
void rr_route_update(rr_state *s, int r);
/* Cost of a route given its whole-route summary (non-empty). */
double rr_route_cost(const rr_state *s, int type, const rr_seg *whole);
/* Single-visit summaries. */
rr_seg rr_seg_customer(const rr_state *s, int c);
rr_seg rr_seg_depot(const rr_state *s, int r);
int rr_fits_load(const rr_state *s, int r, int c);
/* Makes room for len customers in slot r; 0 or WEFT_ERR_NOMEM. */
int rr_reserve(rr_state *s, int r, int len);

/* Editing; call rr_touch(s, r) before changing slot r so the step can be undone. */
void rr_touch(rr_state *s, int r);
void rr_begin_step(rr_state *s);
void rr_undo_step(rr_state *s);
void rr_remove(rr_state *s, int c);          /* from its route into the unserved list */
void rr_insert(rr_state *s, int c, int r, int pos); /* from unserved into slot r before pos */
/* Replaces slot r's sequence (touching it first). */
void rr_set_route(rr_state *s, int r, const int *cust, int len);
void rr_recompute_cost(rr_state *s);
double rr_now(void); /* monotonic seconds */

#endif
