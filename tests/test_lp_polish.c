/* Feasibility polishing (host/lp/polish.c): on netlib LPs where the polished pair ends the run at
 * 1e-4, the returned point is checked here against the original problem (row and bound
 * violations in the solver's relative l2 measure, the objective against the published optimum),
 * and the run without polishing reaches the same optimum; polishing is off for QPs and when asked.
 * cpu backend, and OpenCL when a device exists (else a printed SKIP). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp_build.h"
#include "weft_test.h"

static char device[32] = "cpu";

static void solve(weft_context *ctx, const weft_lp_problem *p, int polish, double tol, weft_lp_result *r)
{
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = tol;
    o.iteration_limit = 400000;
    o.polish = polish;
    lp_solve_on(ctx, device, p, &o, r);
}

/* ||(violation of rows and column bounds by x)||_2 / (1 + ||finite row bounds||_2), computed here
 * from the problem rather than taken from the solver's figures. */
static double primal_residual_rel(const weft_lp_problem *p, const double *x)
{
    double viol2 = 0, b2 = 0;
    for (int32_t i = 0; i < p->n_rows; i++) {
        double act = 0;
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) act += p->val[k] * x[p->col_idx[k]];
        double v = fmax(fmax(p->row_lo[i] - act, act - p->row_up[i]), 0);
        viol2 += v * v;
        if (isfinite(p->row_lo[i])) b2 += p->row_lo[i] * p->row_lo[i];
        if (isfinite(p->row_up[i]) && p->row_up[i] != p->row_lo[i]) b2 += p->row_up[i] * p->row_up[i];
    }
    for (int32_t j = 0; j < p->n_cols; j++) {
        double v = fmax(fmax(p->col_lo[j] - x[j], x[j] - p->col_up[j]), 0);
        viol2 += v * v;
    }
    return sqrt(viol2) / (1 + sqrt(b2));
}

static double netlib_optimum(const char *name)
{
    FILE *f = fopen(weft_test_shared("netlib/netlib_optimal_values.csv"), "r");
    assert_non_null(f);
    char line[512];
    double opt = NAN;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(name);
        if (!strncmp(line, name, n) && line[n] == ',') {
            char *tok = line;
            for (int k = 0; k < 4 && tok; k++) tok = strchr(tok + 1, ',');
            assert_non_null(tok);
            opt = strtod(tok + 1, NULL);
        }
    }
    fclose(f);
    assert_true(isfinite(opt));
    return opt;
}

/* Polishing ends these runs at 1e-4 (the iteration logs say "kept"); the point it returns holds
 * on the original problem, and its objective is the optimum's to the tolerance's order. */
static void netlib_polished(void **state)
{
    static const char *const names[] = {"stocfor1", "degen2", "scfxm1", "share1b"};
    weft_context *ctx = weft_test_context();
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "netlib/%s.mps", names[k]);
        weft_lp_problem *p = NULL;
        assert_int_equal(weft_mps_read(ctx, weft_test_shared(rel), &p), WEFT_OK);
        weft_lp_result on, off;
        solve(ctx, p, 1, 1e-4, &on);
        solve(ctx, p, 0, 1e-4, &off);
        double opt = netlib_optimum(names[k]), pres = primal_residual_rel(p, on.x);
        printf("%-9s polished after %lld iterations (%lld polishing) against %lld without; objective "
               "%.9g (netlib %.9g), primal residual %.2e\n", names[k], (long long)on.iterations,
               (long long)on.polish_iterations, (long long)off.iterations, on.objective, opt, pres);
        assert_int_equal(on.outcome, WEFT_LP_OPTIMAL);
        assert_int_equal(off.outcome, WEFT_LP_OPTIMAL);
        assert_true(on.polished);
        assert_false(off.polished);
        assert_true(on.polish_iterations > 0 && on.polish_iterations < on.iterations);
        assert_int_equal(off.polish_iterations, 0);
        assert_true(on.primal_res_rel <= 1e-4 && on.dual_res_rel <= 1e-4 && on.gap_rel <= 1e-4);
        assert_true(pres <= 1.01e-4);
        assert_double_close(on.objective, opt, 1e-3, 1e-3);
        assert_double_close(on.objective, off.objective, 1e-3, 1e-3);
        weft_lp_result_free(ctx, &on);
        weft_lp_result_free(ctx, &off);
        weft_lp_problem_destroy(ctx, &p);
    }
    weft_context_destroy(&ctx);
}

/* stocfor1 made a QP (q_j = 1e-6: a tiny proximal term) is not polished, though the LP is
 * (netlib_polished): with q the dual residual depends on x and the two halves are not
 * independent. */
static void not_for_qps(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = NULL;
    assert_int_equal(weft_mps_read(ctx, weft_test_shared("netlib/stocfor1.mps"), &p), WEFT_OK);
    p->q = weft_calloc(ctx, (size_t)p->n_cols, sizeof(double)); /* the problem frees it */
    assert_non_null(p->q);
    for (int32_t j = 0; j < p->n_cols; j++) p->q[j] = 1e-6;
    weft_lp_result r;
    solve(ctx, p, 1, 1e-4, &r);
    assert_int_equal(r.outcome, WEFT_LP_OPTIMAL);
    assert_int_equal(r.polish_iterations, 0);
    assert_false(r.polished);
    weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* An iteration limit covers the polishing iterations: limits that fall inside or just after a
 * polished run's last try stop there, never past the limit. */
static void limit_covers_polishing(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = NULL;
    assert_int_equal(weft_mps_read(ctx, weft_test_shared("netlib/share1b.mps"), &p), WEFT_OK);
    weft_lp_options o;
    weft_lp_options_default(&o);
    weft_lp_result full, r;
    lp_solve_on(ctx, device, p, &o, &full);
    assert_true(full.polished && full.polish_iterations > 1);
    int64_t limits[] = {full.iterations - full.polish_iterations / 2, full.iterations - 1, full.iterations};
    for (int k = 0; k < 3; k++) {
        o.iteration_limit = limits[k];
        lp_solve_on(ctx, device, p, &o, &r);
        printf("limit %lld: %s after %lld iterations (%lld polishing)\n", (long long)limits[k],
               weft_lp_outcome_string(r.outcome), (long long)r.iterations, (long long)r.polish_iterations);
        assert_true(r.iterations <= limits[k]);
        assert_true(r.outcome == WEFT_LP_OPTIMAL || r.outcome == WEFT_LP_ITERATION_LIMIT);
        weft_lp_result_free(ctx, &r);
    }
    weft_lp_result_free(ctx, &full);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(netlib_polished), cmocka_unit_test(not_for_qps),
                                       cmocka_unit_test(limit_covers_polishing)};
    int fails = cmocka_run_group_tests_name("lp polish cpu", tests, NULL, NULL);
    if (weft_test_opencl_spec(device, sizeof device))
        fails += cmocka_run_group_tests_name("lp polish opencl", tests, NULL, NULL);
    return fails;
}
