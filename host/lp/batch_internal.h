/* The blocked batch engine: K problems that share A advance together through restarted Halpern
 * PDHG, each with its own step sizes, primal weight, Halpern epoch, restarts and termination, in
 * the columns of n x K and m x K blocks (backend.h, weft_pdhg_block).
 *
 * Problems live in slots (block columns). Every check (each check_every iterations, the same
 * global iteration for all because a problem only enters at a check) a finished problem's result
 * is recovered and handed to on_done, and its slot takes the next pending problem, warm-started
 * from the nearest finished solution (with warm starts, problem 0 is solved alone first, so the
 * first wave has one). With nothing pending, the last active columns move into the holes and the
 * block narrows (K shrinks, ld stays), so finished problems stop costing work. */
#ifndef WEFT_LP_BATCH_INTERNAL_H
#define WEFT_LP_BATCH_INTERNAL_H

#include "lp/lp_internal.h"

typedef struct lp_slot {
    int32_t index;      /* problem index; -1: idle */
    lp_scalars sc;
    lp_pid pid;
    lp_kkt kkt;
    double r0, rprev;   /* fixed-point residual at the epoch start and at the previous check */
    int64_t iter, epoch_start, spmv;
    int restarts;
    double t0;
    double *obj, *q;    /* the unscaled objective, for the recovery of duals */
} lp_slot;

typedef struct lp_batch {
    weft_context *ctx;
    weft_backend *be;
    const weft_backend_ops *op;
    const weft_lp_batch_source *src;
    const weft_lp_batch_options *o;
    lp_scaled *M;             /* the scaled A, A', d1, d2 shared by every problem */
    weft_pdhg_block B;
    weft_buf *dx, *adx, *dy, *atdy; /* scratch blocks: rays, displacements, initial products */
    weft_buf *xr, *axr, *yr, *atyr; /* the step at each problem's first check: its drift origin */
    weft_buf *map;            /* INDEX ld: column map of blk_copy_cols */
    double *tau, *sigma, *base; /* host copies of B's per-column arrays */
    int32_t *hmap;
    lp_slot *slot;            /* ld */
    weft_lp_problem *fill;    /* the problem the source fills */
    double *hv[8];            /* host scratch: c q lb ub (n), rl ru (m), wr (m), wc (n) */
    double *xs, *ys;          /* host scratch: a column of x (n) and of y (m) */
    double *st, *rs, *dots;   /* per-column sums: ld x WEFT_ST_COUNT, ld x WEFT_RS_COUNT, 4 ld */
    /* ld each: checked this iteration, checked and going on, restarting, due (at its limit off
     * the check grid; in a check: wants the drift candidate) */
    unsigned char *chk, *live, *rst, *due;
    weft_lp_result res;       /* handed to on_done */
    /* solutions of finished problems (unscaled), the warm starts of those to come */
    int32_t *warm_idx;        /* ld; -1: empty */
    double **warm_x, **warm_y;
    int warm_next;
    int32_t next;             /* the next problem to load */
    int64_t g;                /* global iteration */
    double eta, gamma;
} lp_batch;

/* batch_state.c: allocation, loading problems into slots, compaction. */
int lp_batch_alloc(lp_batch *b, int32_t ld);
void lp_batch_free(lp_batch *b);
/* Fills idle slots with pending problems (their initial points included) when `load`, then moves
 * the last active columns into the remaining holes and narrows K to the active count. */
int lp_batch_refill(lp_batch *b, int load);

/* batch_check.c: the check of the columns whose flag in `checked` is set (all active ones at a
 * regular check). Finishes problems (on_done), restarts others, applies the Halpern update to the
 * rest when `regular`. */
int lp_batch_check(lp_batch *b, const unsigned char *checked, int regular);
/* Copies the scaled warm start of problem idx (from the nearest finished one) into x, y, or
 * zeros. */
void lp_batch_warm(const lp_batch *b, int32_t idx, const lp_scalars *sc, double *x, double *y);
/* Keeps the (unscaled) solution of problem idx for the warm starts of those to come. */
void lp_batch_warm_keep(lp_batch *b, int32_t idx, const weft_lp_result *r);

/* batch_order.c: the visiting order of a warm-started batch (order[k] = the source's index of
 * the k-th problem to solve), a nearest-neighbour tour of the problems' data; fills each problem
 * once. */
int lp_batch_order_create(weft_context *ctx, const weft_lp_batch_source *src, int32_t **order);

int lp_batch_blocked(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o);

#endif
