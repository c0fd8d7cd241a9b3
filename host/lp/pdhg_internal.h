/* The restarted Halpern PDHG driver's state (pdhg.c), shared with feasibility polishing
 * (polish.c), which runs the same iterations on a feasibility problem beside the main run and
 * over the same A and A'. */
#ifndef WEFT_LP_PDHG_INTERNAL_H
#define WEFT_LP_PDHG_INTERNAL_H

#include "lp/lp_internal.h"

/* What a check asks of the step: the full relative KKT error within tol, or only the primal
 * (dual) residual, for a run on the primal (dual) feasibility problem. */
typedef enum lp_goal { LP_GOAL_OPTIMAL = 0, LP_GOAL_PRIMAL, LP_GOAL_DUAL } lp_goal;

typedef struct lp_polish_state lp_polish_state;

typedef struct pdhg {
    weft_backend *be;
    const weft_backend_ops *op;
    weft_pdhg_state s;
    weft_buf *dx, *adx, *dy, *atdy; /* scratch for rays and displacements */
    weft_buf *xr, *axr, *yr, *atyr;  /* the step at the first check: the origin of the long drift */
    double eta, gamma;
    lp_pid pid;
    int64_t iter, spmv;
    int restarts;
    lp_goal goal;
    lp_polish_state *polish;   /* NULL until the first polishing */
    int64_t polish_iter; /* iterations of polishing runs, not counted in iter */
    int polished;        /* the step holds a kept polished pair */
    int polish_failed;   /* its buffers could not be had: no more tries */
} pdhg;

typedef struct check_state {
    double r0, rprev;   /* fixed-point residual at the epoch start and at the previous check */
    int64_t epoch_start;
    lp_kkt kkt;
    double t0, next_log;
} check_state;

/* Iterate until the goal is met at a check, a limit is reached or an error (*stat) occurs. */
weft_lp_outcome lp_pdhg_iterate(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                                check_state *c, int *stat);
/* dst := src (n entries), zeros when src is NULL, nothing when src is dst (OpenCL refuses
 * overlapping copies). */
int lp_pdhg_assign(pdhg *P, size_t n, weft_buf *src, weft_buf *dst);
/* Start from the given point (x with ax = A x, y with aty = A'y; NULL: zeros), also the anchor. */
int lp_pdhg_start_at(pdhg *P, weft_buf *x, weft_buf *ax, weft_buf *y, weft_buf *aty);

/* polish.c. Due: an LP whose last check met the gap but not both residuals, and far enough past
 * the last try. lp_polish tries it; OPTIMAL means P's step now holds the polished pair and c->kkt
 * its figures; UNSOLVED leaves the main run as it was. */
int lp_polish_due(const pdhg *P, const lp_scaled *S, const weft_lp_options *o, const lp_kkt *k);
weft_lp_outcome lp_polish(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                          check_state *c, int *stat);
void lp_polish_destroy(pdhg *P);

#endif
