/* weft: linear and diagonal-quadratic programs and their solver.
 *
 *   minimize    sense * (c'x + 1/2 sum_j q_j x_j^2) + offset
 *   subject to  row_lo <= A x <= row_up,   col_lo <= x <= col_up
 *
 * Infinite bounds are +-INFINITY. A is stored in CSR (row_ptr has m+1 entries). q may be NULL (an
 * LP); for sense = -1 (maximize) q must be <= 0, for sense = +1 q >= 0. */
#ifndef WEFT_LP_H
#define WEFT_LP_H

#include <stdint.h>
#include "weft/context.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct weft_lp_problem {
    char *name;
    int32_t n_cols, n_rows;
    int32_t nnz;
    int sense;       /* +1 minimize, -1 maximize */
    double offset;   /* objective constant, in the problem's own sense */
    double *obj;     /* n_cols */
    double *q;       /* n_cols or NULL */
    double *col_lo, *col_up; /* n_cols */
    double *row_lo, *row_up; /* n_rows */
    int32_t *row_ptr;        /* n_rows + 1 */
    int32_t *col_idx;        /* nnz */
    double *val;             /* nnz */
    char **col_names;        /* n_cols or NULL */
    char **row_names;        /* n_rows or NULL */
} weft_lp_problem;

/* Allocates every array for the given sizes (q and names left NULL), zeroed, bounds [0, +inf) for
 * columns and (-inf, +inf) for rows. */
WEFT_API weft_status weft_lp_problem_create(weft_context *ctx, int32_t n_cols, int32_t n_rows,
                                            int32_t nnz, weft_lp_problem **out);
WEFT_API void weft_lp_problem_destroy(weft_context *ctx, weft_lp_problem **p);
/* A problem shaped like `shape`: its sizes, sense and A copied; vectors allocated as by
 * weft_lp_problem_create (q allocated, zero, iff shape->q is); no names. */
WEFT_API weft_status weft_lp_problem_create_like(weft_context *ctx, const weft_lp_problem *shape,
                                                 weft_lp_problem **out);
/* Checks sizes, index ranges, NaN, ordered bounds, the sign of q. The message names the field. */
WEFT_API weft_status weft_lp_problem_validate(weft_context *ctx, const weft_lp_problem *p);

typedef enum weft_lp_outcome {
    WEFT_LP_UNSOLVED = 0,
    WEFT_LP_OPTIMAL,
    WEFT_LP_PRIMAL_INFEASIBLE,
    WEFT_LP_DUAL_INFEASIBLE, /* unbounded, if primal feasible */
    WEFT_LP_TIME_LIMIT,
    WEFT_LP_ITERATION_LIMIT,
    WEFT_LP_INTERRUPTED,
    WEFT_LP_NUMERICAL_ERROR
} weft_lp_outcome;

WEFT_API const char *weft_lp_outcome_string(weft_lp_outcome o);

typedef struct weft_lp_options {
    double tol;              /* relative KKT tolerance (primal, dual, gap); default 1e-4 */
    double time_limit;       /* seconds, <= 0 means none */
    int64_t iteration_limit; /* <= 0 means none */
    double infeas_tol;       /* certificate tolerance; default 1e-8 */
    int check_every;         /* iterations between termination checks (and restart decisions); default 40 */
    int geometric_passes;    /* geometric-mean scaling passes before Ruiz; default 2 */
    int ruiz_iterations;     /* default 10 */
    int pock_chambolle;      /* default 1 */
    double reflection;       /* gamma in (0.5 .. 1]; default 1 (full reflection) */
    int verbose;             /* iteration table at info level */
    const double *x0, *y0;   /* warm start (unscaled); may be NULL */
    double primal_weight;    /* initial primal weight, e.g. a neighbouring solve's; <= 0: 1 */
    int presolve;            /* reduce the problem first (weft_lp_solve only); default 1 */
    int polish;              /* feasibility polishing of LPs (not QPs) once the gap is met; default 1 */
} weft_lp_options;

WEFT_API void weft_lp_options_default(weft_lp_options *o);

typedef struct weft_lp_result {
    weft_lp_outcome outcome;
    double objective;     /* primal objective incl. offset, in the problem's sense */
    double dual_objective;
    int64_t iterations;
    int64_t polish_iterations; /* of iterations: those of feasibility polishing */
    int polished;              /* x and y are a polished pair (they met tol; the main run had not) */
    int64_t spmv;         /* products with A or A' */
    int restarts;
    double primal_weight; /* at the end: with x and y, a warm start for a neighbouring problem */
    double primal_res_abs, primal_res_rel; /* ||Ax - proj(Ax)||_2 and over (1 + ||b||_2) */
    double dual_res_abs, dual_res_rel;     /* ||c + qx - A'y - z||_2 and over (1 + ||c||_2) */
    double gap_abs, gap_rel;
    double time_s;
    char device[128];
    int32_t n_cols, n_rows;
    int32_t solved_cols, solved_rows, solved_nnz; /* the sizes the iterations ran on, after presolve */
    double *x;        /* n_cols */
    double *y;        /* n_rows: row duals, >= 0 on a binding lower row bound (minimize) */
    double *z;        /* n_cols: reduced costs c + qx - A'y */
    double *row_act;  /* n_rows: A x */
    /* certificate (set when infeasible): a Farkas ray in y, or a primal ray in x */
    int has_certificate;
} weft_lp_result;

WEFT_API void weft_lp_result_free(weft_context *ctx, weft_lp_result *r);

/* Solve on the context's device. Returns a status (ok, or an error if the solve could not run);
 * the outcome (optimal, infeasible, limit...) is in result->outcome. */
WEFT_API weft_status weft_lp_solve(weft_context *ctx, const weft_lp_problem *p,
                                   const weft_lp_options *opt, weft_lp_result *result);

/* weft_lp_solve's presolve on its own (HiGHS's writePresolvedModel, for looking at what the solver
 * is handed): *out gets the reduced problem, owned by the caller, with the names of the rows and
 * columns left and the objective constant gained. *out is NULL when presolve removes nothing or
 * finds p infeasible (weft_lp_solve then solves p as given). */
WEFT_API weft_status weft_lp_presolve(weft_context *ctx, const weft_lp_problem *p, weft_lp_problem **out);

/* Batches: many problems that share the constraint matrix A (its sizes, sparsity and values) and
 * the sense, each with its own objective (obj, q, offset) and bounds (col_lo/up, row_lo/up): a year
 * of daily dispatches, hundreds of load and solar draws.
 *
 * The source hands problems over one at a time so a batch of thousands never holds them all: fill
 * is called with a problem shaped like `shared` (same sizes; q allocated iff shared->q is, A already
 * copied) and writes the vectors and offset of problem `index`; a non-zero return is a status that
 * stops the batch. With warm starts a batch fills every problem once before solving, to choose the
 * order it visits them in, so fill must write the same problem each time it is asked. */
typedef struct weft_lp_batch_source {
    int32_t count;
    const weft_lp_problem *shared; /* A, sense, sizes, names; its vectors are not used */
    int (*fill)(void *user, int32_t index, weft_lp_problem *p);
    void *user;
} weft_lp_batch_source;

typedef struct weft_lp_batch_options {
    weft_lp_options lp;  /* per problem: tolerance, limits, scaling; lp.x0 and lp.y0 are ignored */
    int32_t batch_size;  /* problems advanced together (vectors become n x K blocks); 1: one by one */
    int warm_start;      /* start a problem from the solution of the nearest finished one; the
                          * batch visits problems along a nearest-neighbour tour of their data
                          * (up to 8192 problems; beyond, in index order), and with batch_size > 1
                          * the tour's first problem is solved first on its own so that the
                          * first batch_size problems start warm too (BLOCKED engine) */
    /* AUTO picks BLOCKED on an OpenCL device and PARALLEL on the CPU backend, where the block
     * products amortize little on sparse models while K columns push the state out of cache
     * (bench/README.md, batch). PARALLEL: up to batch_size single solves at once, one per thread,
     * each walking its share of the tour, warm-started from its previous problem, with the scaled
     * A and the step size computed once. batch_size 1: independent solves one after another. */
    enum { WEFT_LP_BATCH_AUTO = 0, WEFT_LP_BATCH_BLOCKED, WEFT_LP_BATCH_PARALLEL } engine;
    /* fill and on_done are never called by two threads at once. */
    /* Called as each problem finishes, in completion order, with its result (owned by the batch,
     * valid during the call only; x, y, z, row_act unscaled as from weft_lp_solve). A non-zero
     * return is a status that stops the batch. With batch_size > 1, time_s counts from when the
     * problem entered the block, and spmv counts its share of the block products (the estimate of
     * ||A||_2, made once for the whole batch, is not in it). */
    int (*on_done)(void *user, int32_t index, const weft_lp_result *r);
    void *user;
} weft_lp_batch_options;

/* Defaults: weft_lp_options_default, batch_size 32, warm_start 1, no callback. */
WEFT_API void weft_lp_batch_options_default(weft_lp_batch_options *o);

/* Solves every problem of the source on the context's device. Returns a status (an error stops the
 * batch; problems already reported stay reported); each outcome goes to on_done. */
WEFT_API weft_status weft_lp_solve_batch(weft_context *ctx, const weft_lp_batch_source *src,
                                         const weft_lp_batch_options *opt);

/* MPS reader: fixed and free format (detected), OBJSENSE, RANGES, all BOUNDS types, QUADOBJ/QMATRIX
 * diagonals. Errors name the file and line. Integer markers are read and relaxed: returns
 * WEFT_WARN_INTEGER_RELAXED then. */
WEFT_API weft_status weft_mps_read(weft_context *ctx, const char *path, weft_lp_problem **out);
/* Free-format MPS writer: RANGES for two-sided rows, QUADOBJ for q, the offset as minus the RHS of
 * the objective row. Names default to C<j> and R<i>. Written to a temporary file, then renamed. */
WEFT_API weft_status weft_mps_write(weft_context *ctx, const weft_lp_problem *p, const char *path);

/* Writes x, y, reduced costs and row activities (with names when the problem has them) and the
 * solve's figures to an HDF5 file under /results/lp; written to a temporary file and renamed. */
WEFT_API weft_status weft_lp_result_write_h5(weft_context *ctx, const weft_lp_problem *p,
                                             const weft_lp_result *r, const char *path);

#ifdef __cplusplus
}
#endif
#endif
