/* What moves_device.c and moves_batch.c share: the device path's working arrays. */
#ifndef WEFT_ROUTE_MOVES_DEVICE_INTERNAL_H
#define WEFT_ROUTE_MOVES_DEVICE_INTERNAL_H

#include "route/moves_device.h"

/* rr_recreate's batch: each customer of its list against each slot in one launch, the best
 * position per (customer, slot) kept; a later request uses a slot's entry while the slot is
 * unchanged (its stamp) and evaluates changed slots on the host. */
typedef struct rr_batch {
    int n;                     /* customers prepared; 0: none */
    int *idx;                  /* [nc]: index in the prepared list, -1 if absent */
    int *cust;                 /* [nc]: the prepared list */
    uint64_t *salt;            /* [nc] by index */
    double blink;
    int *incl;                 /* [nr]: 1 if the slot is in the batch */
    unsigned *stamp;           /* [nr]: its stamp then */
    int *first_pos;            /* [nr]: its first position's index in the batch */
    int *best_pos;             /* [n x nr]: best position 1..len+1, 0 if none */
    double *best_delta;        /* [n x nr] */
    double *e_dur, *e_early, *e_late, *e_dem; /* per entry (customer, slot) */
    int32_t *e_loc, *e_best, *move_start, *move_pos;
    double *e_delta;
    size_t cap_e, cap_m, cap_n;
} rr_batch;

/* Per-position and per-route arrays of one batch (struct of arrays), grown as needed. */
struct rr_device {
    weft_backend *be;
    weft_vrp_dev *dev;
    int cap_pos, n_pos, n_routes;
    double *pd[10];           /* pre dur, warp, early, late, dist, suf the same: [cap_pos] */
    int32_t *pre_last, *suf_first, *pos_route, *slot_of_pos; /* [cap_pos] */
    double *rd[5];            /* fixed, km, hour, maxdur, cost: [nr] */
    double *r_load, *r_cap;   /* [nr x D] */
    int32_t *route_index;     /* [nr]: index in this batch, -1 if absent */
    int32_t *slot_of_route;   /* [nr] */
    int *pos_p;               /* [cap_pos]: position 1..len+1 in its slot */
    uint64_t salt;
    double blink;
    rr_state *s;
    int nomem;
    int status; /* the first backend error */
    rr_batch batch;
};

/* Adds slot r's position p to the batch being collected (an rr_visit_fn; d as user). */
void rr_device_collect(void *user, int r, int p);
/* Collects list[0..n-1] (salts salt, blink as rr_recreate's) against every slot of the full scan
 * into d's batch and describes it as m, one entry per (customer, slot), ready for the backend's
 * vrp_best_insertions into d->batch.e_best and e_delta (moves_batch.c; weft bench times it). */
int rr_batch_moves(rr_device *d, const int *list, int n, const uint64_t *salt, double blink, weft_vrp_moves *m);
/* rr_eval_ops.prepare of the device path (moves_batch.c). */
void rr_batch_prepare(rr_state *s, const int *list, int n, const uint64_t *salt, double blink);
/* The prepared answer for customer c, entry i of the prepared list; 0 or -1 as best_insertion. */
int rr_batch_best(rr_device *d, int c, int i, int *route, int *pos, double *delta);

#endif
