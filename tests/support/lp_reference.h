/* An independent reference for LP tests: GLPK's simplex on the same problem. */
#ifndef WEFT_TEST_LP_REFERENCE_H
#define WEFT_TEST_LP_REFERENCE_H
#include "weft/weft.h"

/* The verdict as a weft_lp_outcome (OPTIMAL, PRIMAL_INFEASIBLE or DUAL_INFEASIBLE; UNSOLVED if
 * GLPK gives none) and, when optimal, the objective with p's sense and offset. LPs only: a
 * problem with a quadratic term fails the test. */
weft_lp_outcome lp_reference_solve(const weft_lp_problem *p, double *objective);
#endif
