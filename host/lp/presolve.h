/* Presolve of weft_lp_solve: reductions that shrink an LP/QP without changing its optimal value,
 * recorded so that a solution of the reduced problem maps back to one of the original (x, row
 * duals, reduced costs). HiGHS presolves before its PDLP too; without it weft's PDHG spent its
 * iterations on rows and columns that a pass over the data settles (bench/README.md, lp).
 *
 * The reductions, repeated until none applies: empty and free rows; rows whose activity bounds
 * already satisfy them; singleton rows, turned into column bounds; fixed and empty columns;
 * dominated columns (every row lets them move towards their cheaper bound); and zero-cost column
 * singletons (explicit slacks), folded into their row's bounds. Last, pairs of columns on the same
 * two rows with nearly opposite coefficients are replaced by their net effect on the rows, with
 * two rows that keep the columns non-negative (presolve_pairs.c). */
#ifndef WEFT_LP_PRESOLVE_H
#define WEFT_LP_PRESOLVE_H

#include "weft/lp.h"

typedef struct lp_presolve lp_presolve;

/* Reduces p (validated). *out is NULL when nothing could be removed, or when the reductions find p
 * infeasible: the solver then runs on p itself, so that its verdict comes with p's certificate. */
int lp_presolve_create(weft_context *ctx, const weft_lp_problem *p, lp_presolve **out);
void lp_presolve_destroy(weft_context *ctx, lp_presolve **ps);

/* The reduced problem (owned by ps). */
const weft_lp_problem *lp_presolve_reduced(const lp_presolve *ps);

/* A warm start of p restricted to the reduced problem (x or y may be NULL: then left alone). */
void lp_presolve_restrict(const lp_presolve *ps, const double *x, const double *y, double *xr, double *yr);

/* Undoes the reductions: r (allocated for p) gets x, y, z and row activities of p from the reduced
 * solution (xr, yr), and the objective and KKT figures of p at that point. */
void lp_postsolve(const lp_presolve *ps, const weft_lp_problem *p, const double *xr, const double *yr,
                  weft_lp_result *r);

#endif
