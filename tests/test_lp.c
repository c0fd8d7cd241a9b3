/* The LP/QP solver on small problems with optima worked out by hand, on the cpu backend and on
 * OpenCL when a device exists (else a printed SKIP). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lp_build.h"
#include "lp_reference.h"
#include "weft_test.h"

static const double inf = INFINITY;
static char device[32] = "cpu";

static weft_lp_outcome solve(weft_lp_problem *p, double tol, weft_lp_result *r, weft_context *ctx)
{
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = tol;
    o.iteration_limit = 200000;
    assert_int_equal(weft_context_set_device(ctx, device), WEFT_OK);
    int st = weft_lp_solve(ctx, p, &o, r);
    if (st) print_error("solve failed: %s\n", weft_context_last_error(ctx));
    assert_int_equal(st, WEFT_OK);
    return r->outcome;
}

/* min -x1 - x2, x1 + 2 x2 <= 4, 3 x1 + x2 <= 6, x >= 0: x = (1.6, 1.2), obj -2.8, y = (-0.4, -0.2) */
static void small_lp(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {-1, -1}, A[] = {1, 2, 3, 1}, rl[] = {-inf, -inf}, ru[] = {4, 6};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 2, c, NULL, A, rl, ru, lb, ub);
    weft_lp_result r;
    assert_int_equal(solve(p, 1e-9, &r, ctx), WEFT_LP_OPTIMAL);
    assert_double_close(r.objective, -2.8, 1e-7, 1e-9);
    assert_double_close(r.x[0], 1.6, 1e-6, 1e-8);
    assert_double_close(r.x[1], 1.2, 1e-6, 1e-8);
    assert_double_close(r.y[0], -0.4, 1e-6, 1e-8);
    assert_double_close(r.y[1], -0.2, 1e-6, 1e-8);
    assert_double_close(r.z[0], 0, 0, 1e-7);
    assert_double_close(r.row_act[0], 4, 1e-7, 1e-8);
    assert_true(r.iterations > 0 && r.spmv >= 2 * r.iterations);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* maximize x1 + 2 x2 + 3 with x1 + x2 = 4 (equality), 1 <= x1 - x2 <= 2 (range), x2 free, x1 <= 10:
 * x1 - x2 = 1 binds, x = (2.5, 1.5), obj = 2.5 + 3 + 3 = 8.5 */
static void maximize_ranges_free(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {1, 2}, A[] = {1, 1, 1, -1}, rl[] = {4, 1}, ru[] = {4, 2};
    double lb[] = {-inf, -inf}, ub[] = {10, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 2, c, NULL, A, rl, ru, lb, ub);
    p->sense = -1;
    p->offset = 3;
    weft_lp_result r;
    assert_int_equal(solve(p, 1e-9, &r, ctx), WEFT_LP_OPTIMAL);
    assert_double_close(r.objective, 8.5, 1e-7, 1e-9);
    assert_double_close(r.x[0], 2.5, 1e-6, 1e-8);
    assert_double_close(r.x[1], 1.5, 1e-6, 1e-8);
    /* c - A'y = 0 with y = (1.5, -0.5) in the problem's own (max) sense */
    assert_double_close(r.y[0], 1.5, 1e-6, 1e-8);
    assert_double_close(r.y[1], -0.5, 1e-6, 1e-8);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* x1 + x2 >= 3 and x1 + x2 <= 1 with x >= 0: infeasible, Farkas ray in y */
static void infeasible(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {1, 1}, A[] = {1, 1, 1, 1}, rl[] = {3, -inf}, ru[] = {inf, 1};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 2, c, NULL, A, rl, ru, lb, ub);
    weft_lp_result r;
    assert_int_equal(solve(p, 1e-6, &r, ctx), WEFT_LP_PRIMAL_INFEASIBLE);
    assert_true(r.has_certificate);
    /* Farkas: y1 >= 0 on the >= row, y2 <= 0 on the <= row, A'y = y1 + y2 <= 0 (x >= 0 makes the
     * reduced cost -A'y >= 0 allowed) and the ray's objective 3 y1 + 1 y2 > 0 */
    assert_true(r.y[0] > 0 && r.y[1] < 0);
    assert_true(r.y[0] + r.y[1] <= 1e-6 * fabs(r.y[0]));
    assert_true(3 * r.y[0] + r.y[1] > 0);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* min -x1 with x1 - x2 <= 1, x >= 0: unbounded along (1, 1) */
static void unbounded(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {-1, 0}, A[] = {1, -1}, rl[] = {-inf}, ru[] = {1};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 1, c, NULL, A, rl, ru, lb, ub);
    weft_lp_result r;
    assert_int_equal(solve(p, 1e-6, &r, ctx), WEFT_LP_DUAL_INFEASIBLE);
    assert_true(r.has_certificate);
    /* a primal ray: improving (-x1 < 0), within the bounds' recession cone (x >= 0) and the row's
     * (x1 - x2 <= 0); (1, 1) is one, (1, 1 + t) for t > 0 are others */
    assert_true(r.x[0] > 0);
    assert_true(r.x[1] >= 0);
    assert_true(r.x[0] - r.x[1] <= 1e-6 * r.x[0]);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* min 1/2 (x1^2 + 4 x2^2) - x1 - x2 s.t. x1 + x2 <= 1, x >= 0:
 * KKT: x1 - 1 + y = 0, 4 x2 - 1 + y = 0, x1 + x2 = 1 -> x1 = 0.8, x2 = 0.2, y = 0.2 (as -y here),
 * obj = 0.32 + 0.08 - 1 = -0.6 */
static void diagonal_qp(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {-1, -1}, q[] = {1, 4}, A[] = {1, 1}, rl[] = {-inf}, ru[] = {1};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 1, c, q, A, rl, ru, lb, ub);
    weft_lp_result r;
    assert_int_equal(solve(p, 1e-9, &r, ctx), WEFT_LP_OPTIMAL);
    assert_double_close(r.objective, -0.6, 1e-7, 1e-9);
    assert_double_close(r.x[0], 0.8, 1e-6, 1e-8);
    assert_double_close(r.x[1], 0.2, 1e-6, 1e-8);
    assert_double_close(r.y[0], -0.2, 1e-6, 1e-8);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* A warm start at the optimum finishes at the first check. */
static void warm_start(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {-1, -1}, A[] = {1, 2, 3, 1}, rl[] = {-inf, -inf}, ru[] = {4, 6};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 2, c, NULL, A, rl, ru, lb, ub);
    weft_lp_result cold, warm;
    assert_int_equal(solve(p, 1e-8, &cold, ctx), WEFT_LP_OPTIMAL);
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = 1e-8;
    o.x0 = cold.x;
    o.y0 = cold.y;
    assert_int_equal(weft_lp_solve(ctx, p, &o, &warm), WEFT_OK);
    assert_int_equal(warm.outcome, WEFT_LP_OPTIMAL);
    assert_true(warm.iterations < cold.iterations);
    assert_double_close(warm.objective, -2.8, 1e-7, 1e-9);
    weft_lp_result_free(ctx, &cold);
    weft_lp_result_free(ctx, &warm);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static void limits_and_bad_input(void **state)
{
    weft_context *ctx = weft_test_context();
    double c[] = {-1, -1}, A[] = {1, 2, 3, 1}, rl[] = {-inf, -inf}, ru[] = {4, 6};
    double lb[] = {0, 0}, ub[] = {inf, inf};
    weft_lp_problem *p = lp_build(ctx, 2, 2, c, NULL, A, rl, ru, lb, ub);
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = 1e-12;
    o.iteration_limit = 10;
    weft_lp_result r;
    assert_int_equal(weft_lp_solve(ctx, p, &o, &r), WEFT_OK);
    assert_int_equal(r.outcome, WEFT_LP_ITERATION_LIMIT);
    assert_int_equal(r.iterations, 10);
    weft_lp_result_free(ctx, &r);
    p->col_lo[1] = NAN;
    assert_int_equal(weft_lp_solve(ctx, p, &o, &r), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(ctx), "column 1"));
    p->col_lo[1] = 5;
    p->col_up[1] = 4;
    assert_int_equal(weft_lp_solve(ctx, p, &o, &r), WEFT_ERR_BAD_INPUT);
    o.tol = 0;
    assert_int_equal(weft_lp_solve(ctx, p, &o, &r), WEFT_ERR_INVALID_ARG);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* Degenerate 10 x 12 LPs from test_lp_presolve's generator, solved without presolve: each once went
 * wrong. The verdict and optimum are GLPK's simplex's. unbounded_noise_drift: feasible and
 * unbounded, called infeasible from a drift of 4e-15 (rounding) that passed the scale-free Farkas
 * test. rounding_farkas: optimal, called infeasible from a displacement of 3e-14 whose differenced
 * A'dy lay in the cone. weight_runaway: the primal weight steered by a rounding-level dx went to
 * 1e26 and the run to the iteration limit. pinned_corner (3 x 2, what presolve leaves of
 * another): x pinned at a corner of its box, dx exactly 0; holding the weight there instead of
 * falling back left its dual crawling for 400k iterations. */
static void degenerate_lps(void **state)
{
    static const char *const files[] = {"lp/unbounded_noise_drift.mps", "lp/rounding_farkas.mps",
                                        "lp/weight_runaway.mps", "lp/pinned_corner.mps"};
    weft_context *ctx = weft_test_context();
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        weft_lp_problem *p = NULL;
        assert_int_equal(weft_mps_read(ctx, weft_test_data(files[k]), &p), WEFT_OK);
        double ref_obj;
        weft_lp_outcome ref = lp_reference_solve(p, &ref_obj);
        weft_lp_options o;
        weft_lp_options_default(&o);
        o.tol = 1e-9;
        o.iteration_limit = 400000;
        o.presolve = 0;
        weft_lp_result r;
        assert_int_equal(weft_context_set_device(ctx, device), WEFT_OK);
        assert_int_equal(weft_lp_solve(ctx, p, &o, &r), WEFT_OK);
        printf("%-28s %-10s %7lld iterations\n", files[k], weft_lp_outcome_string(r.outcome), (long long)r.iterations);
        assert_int_equal(r.outcome, ref);
        if (ref == WEFT_LP_OPTIMAL) assert_double_close(r.objective, ref_obj, 1e-7, 1e-7);
        weft_lp_result_free(ctx, &r);
        weft_lp_problem_destroy(ctx, &p);
    }
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_lp),      cmocka_unit_test(maximize_ranges_free),
        cmocka_unit_test(infeasible),    cmocka_unit_test(unbounded),
        cmocka_unit_test(diagonal_qp),   cmocka_unit_test(warm_start),
        cmocka_unit_test(limits_and_bad_input), cmocka_unit_test(degenerate_lps),
    };
    int fails = cmocka_run_group_tests_name("lp cpu", tests, NULL, NULL);
    if (weft_test_opencl_spec(device, sizeof device))
        fails += cmocka_run_group_tests_name("lp opencl", tests, NULL, NULL);
    return fails;
}
