/* Build small LPs for tests from dense row-major data. */
#ifndef WEFT_TEST_LP_BUILD_H
#define WEFT_TEST_LP_BUILD_H
#include "weft/weft.h"

/* A is m x n dense (zeros skipped). lo/up may use INFINITY. q may be NULL. */
weft_lp_problem *lp_build(weft_context *ctx, int n, int m, const double *c, const double *q,
                          const double *A, const double *rl, const double *ru, const double *lb,
                          const double *ub);
/* weft_lp_solve on device with options o; an error status fails the test with the library's
 * message. */
void lp_solve_on(weft_context *ctx, const char *device, const weft_lp_problem *p, const weft_lp_options *o,
                 weft_lp_result *r);
#endif
