/* Internals of the LP/QP solver: the scaled problem the iterations run on, and the pieces of the
 * restarted Halpern PDHG (one file per phase: scaling, the iteration driver, termination checks,
 * restarts and the primal weight, solution recovery). */
#ifndef WEFT_LP_INTERNAL_H
#define WEFT_LP_INTERNAL_H

#include "backend/backend.h"
#include "weft/lp.h"

/* splitmix64's output function: a well-spread hash of z, the same on every platform (sketch
 * buckets in batch_order.c, the power iteration's start in pdhg.c). */
static inline uint64_t lp_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The per-problem scalars of the scaling (see lp_scaled). */
typedef struct lp_scalars {
    double tb, tc;
    double norm_b, norm_c; /* unscaled ||finite row bounds||_2, ||c||_2 for relative criteria */
    double offset;         /* minimization-sense objective constant */
} lp_scalars;

/* A minimization with scaled data: A~ = D1 A D2, c~ = tc D2 c, q~ = (tc/tb) D2^2 q,
 * row bounds tb D1 [rl, ru], column bounds tb D2^-1 [lb, ub]. x = D2 x~ / tb, y = D1 y~ / tc.
 * Scaled objective values are tb * tc times the unscaled ones. */
typedef struct lp_scaled {
    int32_t n, m, nnz;
    int32_t *rp, *ci;
    double *v;            /* scaled A in CSR */
    int32_t *trp, *tci;
    double *tv;           /* scaled A' in CSR */
    double *c, *q;        /* q NULL for an LP */
    double *lb, *ub, *rl, *ru;
    double *d1, *d2;
    lp_scalars sc;
    double *wr, *wc;      /* 1 / (tb d1), 1 / (tc d2): unscale row and column residuals */
    double eta, norm;     /* step size and ||A~||_2 when known (a batch's), else 0 */
    const struct lp_scaled *matrix_of; /* rp..tv, d1, d2 belong to this one (not freed here) */
} lp_scaled;

/* From a validated problem, with sense folded in (maximize -> minimize -c). */
int lp_scaled_create(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *o,
                     lp_scaled **out);
void lp_scaled_destroy(weft_context *ctx, lp_scaled **s);
/* The same with the matrix part (and eta, norm) of M, which must outlive *out. */
int lp_scaled_create_shared(weft_context *ctx, const weft_lp_problem *p, const lp_scaled *M,
                            lp_scaled **out);
/* Only the matrix part (rp..tv, d1, d2): what problems sharing A have in common. */
int lp_scaled_matrix(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *o,
                     lp_scaled **out);
/* The transpose of the m x n CSR (rp, ci, v) into (tp, ti, tv); next: n ints of scratch. */
void lp_csr_transpose(int32_t m, int32_t n, const int32_t *rp, const int32_t *ci, const double *v,
                      int32_t *tp, int32_t *ti, double *tv, int32_t *next);
/* ||finite row bounds||_2 (an equality's once) and ||c||_2: the scales of the relative criteria. */
void lp_problem_norms(const weft_lp_problem *p, double *norm_b, double *norm_c);
/* The per-problem part, with the d1, d2 of M: c, q (NULL for an LP), lb, ub (n) and rl, ru (m)
 * scaled, and the scalars. */
void lp_scale_vectors(const lp_scaled *M, const weft_lp_problem *p, double *c, double *q,
                      double *lb, double *ub, double *rl, double *ru, lp_scalars *sc);

/* Relative KKT figures of one check, unscaled. */
typedef struct lp_kkt {
    double pobj, dobj;
    double pres, dres, gap;          /* absolute */
    double pres_rel, dres_rel, gap_rel;
} lp_kkt;

void lp_kkt_from_stats(const lp_scalars *S, const double st[WEFT_ST_COUNT], lp_kkt *k);
/* The figures of a check and what they say: NUMERICAL_ERROR (a sum not finite), OPTIMAL (all
 * three relative errors within tol) or UNSOLVED. */
weft_lp_outcome lp_kkt_outcome(const lp_scalars *S, const double st[WEFT_ST_COUNT], double tol, lp_kkt *k);
/* 1 if the ray sums certify primal infeasibility (Farkas ray in dy), 2 dual infeasibility (primal
 * ray in dx), 0 neither. xn, yn: ||xh||, ||yh||, against which a ray at rounding level is none
 * (-1, -1 when not known: 1e-12 (1 + norm) is then 0, and only a zero ray is none). */
int lp_ray_verdict(const lp_scalars *S, const double rs[WEFT_RS_COUNT], double xn, double yn, double eps);
/* Whether a difference of iterates of size d is rounding against iterates of size norm. */
int lp_at_rounding(double d, double norm);

/* The PID-controlled primal weight of cuPDLPx (log-space, discounted integral). */
typedef struct lp_pid {
    double log_w, integral, last_err, best_w, best_balance;
    int has_last;
} lp_pid;

void lp_pid_init(lp_pid *p, double w0);
/* One epoch as the weight sees it at a restart: the displacements ||xh - x0||, ||yh - y0||, the
 * sizes ||xh||, ||yh|| they are judged against, and the relative residuals for the safeguard. */
typedef struct lp_epoch {
    double dx, dy, xn, yn, pres_rel, dres_rel;
} lp_epoch;

void lp_pid_update(lp_pid *p, const lp_epoch *e);

/* The fixed-point residual sqrt(w/eta |dx|^2 + 1/(eta w) |dy|^2 + 2 dy'A dx) from a check's sums. */
double lp_fixed_point_residual(double log_w, double eta, const double st[WEFT_ST_COUNT]);
/* 1 if a restart is due at residual r after epoch_len iterations of iter; r0 (< 0 before the first
 * check: then set) and rprev (set to r) are the epoch's and the previous check's residuals. */
int lp_restart_due(double *r0, double *rprev, double r, int64_t epoch_len, int64_t iter);

/* Run restarted Halpern PDHG on the backend. Fills the outcome, counters, figures, and (scaled)
 * the final x~, y~ into xs, ys (host arrays of n and m). */
int lp_pdhg_run(weft_context *ctx, weft_backend *be, const lp_scaled *S, const weft_lp_options *o,
                const double *xw, const double *yw, weft_lp_result *r, double *xs, double *ys);
/* xw, yw: a warm start in scaled space (may be NULL). */

double lp_now(void);
int lp_check_options(weft_context *ctx, const weft_lp_options *o);
/* weft_lp_solve, with the matrix part (scaling, step size) of M when M is not NULL. */
int lp_solve_with(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                  const lp_scaled *M, weft_lp_result *r);
/* The same with the relative criteria scaled by norms[0] (for ||b||) and norms[1] (||c||) when
 * norms is not NULL: a presolved problem is judged by its original's scales. */
int lp_solve_normed(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                    const lp_scaled *M, const double *norms, weft_lp_result *r);
/* Zeroed result with x, y, z, row_act allocated for p's sizes. */
int lp_result_alloc(weft_context *ctx, const weft_lp_problem *p, weft_lp_result *r);
/* From r->x and r->y: the row activities A x and the reduced costs c + q x - A'y (only -A'y for a
 * certificate, r->has_certificate), on p's original data. */
void lp_activity_and_z(const weft_lp_problem *p, weft_lp_result *r);
/* Unscaled x, y (sense restored), reduced costs and row activities from the original data of p
 * into r, from the scaled xs, ys; S gives d1, d2 and sc the problem's scalars. */
void lp_recover(const weft_lp_problem *p, const lp_scaled *S, const lp_scalars *sc, const double *xs,
                const double *ys, weft_lp_result *r);
/* Step size 0.998 / ||A||_2 of the scaled A (power iteration on A'A, its own scratch);
 * *spmv counts the products. lp_step_size_host does it on a backend of ctx for M's A~ and
 * keeps the figures in M->eta, M->norm. */
int lp_step_size_host(weft_context *ctx, lp_scaled *M);
int lp_step_size(weft_backend *be, const weft_dmat *A, const weft_dmat *AT, double *eta, double *norm,
                 int64_t *spmv);

/* The PDHG iteration state for S on be: A, A' and the problem vectors uploaded, the iterates
 * allocated and zeroed. On failure call the release anyway;
 * release accepts a partly built state. Used by the solver and by weft bench. */
int lp_pdhg_state_upload(weft_backend *be, const lp_scaled *S, weft_pdhg_state *s);
void lp_pdhg_state_release(weft_backend *be, weft_pdhg_state *s);

/* Batches as single solves (batch_par.c): one by one on the caller's thread (independent solves),
 * or on several threads sharing the scaled A and step size; and the engine AUTO means on the
 * context's device (PARALLEL when it opens as the CPU backend, else BLOCKED). */
int lp_batch_sequential(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o);
int lp_batch_parallel(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o);
int lp_batch_on_cpu(weft_context *ctx, int *engine);
/* batch_solve.c: the fill target of a batch (A copied from the source's shared problem and
 * checked) and the scaled matrix part every problem of the batch shares. On failure the caller
 * still destroys both. */
int lp_batch_matrix(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_options *o,
                    weft_lp_problem **fill, lp_scaled **M);

#endif
