#include <string.h>

#include "core/context_internal.h"
#include "lp_build.h"
#include "weft_test.h"

weft_lp_problem *lp_build(weft_context *ctx, int n, int m, const double *c, const double *q,
                          const double *A, const double *rl, const double *ru, const double *lb,
                          const double *ub)
{
    int nnz = 0;
    for (int k = 0; k < n * m; k++) nnz += A[k] != 0;
    weft_lp_problem *p = NULL;
    if (weft_lp_problem_create(ctx, n, m, nnz, &p) != WEFT_OK) return NULL;
    memcpy(p->obj, c, sizeof(double) * n);
    if (q) {
        p->q = weft_calloc(ctx, (size_t)n, sizeof(double)); /* the problem frees it */
        memcpy(p->q, q, sizeof(double) * n);
    }
    memcpy(p->col_lo, lb, sizeof(double) * n);
    memcpy(p->col_up, ub, sizeof(double) * n);
    memcpy(p->row_lo, rl, sizeof(double) * m);
    memcpy(p->row_up, ru, sizeof(double) * m);
    int k = 0;
    for (int i = 0; i < m; i++) {
        p->row_ptr[i] = k;
        for (int j = 0; j < n; j++)
            if (A[i * n + j] != 0) {
                p->col_idx[k] = j;
                p->val[k++] = A[i * n + j];
            }
    }
    p->row_ptr[m] = k;
    return p;
}

void lp_solve_on(weft_context *ctx, const char *device, const weft_lp_problem *p, const weft_lp_options *o,
                 weft_lp_result *r)
{
    assert_int_equal(weft_context_set_device(ctx, device), WEFT_OK);
    int st = weft_lp_solve(ctx, p, o, r);
    if (st) print_error("solve failed: %s\n", weft_context_last_error(ctx));
    assert_int_equal(st, WEFT_OK);
}
