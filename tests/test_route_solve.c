/* The routing solver: known optima of small CVRPLIB instances, exhaustive optima of random tiny
 * instances with windows, a mixed fleet, two depots, optional customers and time costs; seeds that
 * reproduce; a time limit honoured; a partial answer when the fleet is too small. The independent
 * checker (support/route_checker.c) verifies every solution. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "route_checker.h"
#include "weft_test.h"

static weft_vrp_solution *solve(weft_context *ctx, const weft_vrp *v, int64_t iters, double tl, uint64_t seed,
                                weft_vrp_objective obj)
{
    weft_vrp_options o;
    weft_vrp_options_default(&o);
    o.iteration_limit = iters, o.time_limit = tl, o.seed = seed, o.objective = obj;
    weft_vrp_solution *sol = NULL;
    weft_vrp_result res;
    int st = weft_vrp_solve(ctx, v, &o, &sol, &res);
    if (st) print_error("solve: %s\n", weft_context_last_error(ctx));
    assert_int_equal(st, WEFT_OK);
    return sol;
}

static void known_optimum(const char *file, double optimum, int64_t iters, uint64_t seed)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared(file), &v), WEFT_OK);
    weft_vrp_solution *sol = solve(ctx, v, iters, 0, seed, WEFT_VRP_OBJ_COST);
    route_checker_assert(v, sol);
    assert_true(sol->feasible);
    assert_double_close(sol->cost, optimum, 0, 1e-9);
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* E-n13-k4 reaches 247 within 5000 iterations for about 85% of seeds; with the same seed as the
 * others it needs more iterations, so it gets 20000 rather than a seed picked to pass. */
static void e_n13_k4(void **state) { known_optimum("cvrplib-small/E-n13-k4.vrp", 247, 20000, 7); }
static void p_n16_k8(void **state) { known_optimum("cvrplib-small/P-n16-k8.vrp", 450, 5000, 7); }
static void a_n32_k5(void **state) { known_optimum("cvrplib-small/A-n32-k5.vrp", 784, 30000, 7); }

/* ---- exhaustive optimum of tiny instances ---- */

#define TINY 7

/* Cost of serving subset S with one vehicle of type t: the best order, by the checker. */
static double best_single_route(const weft_vrp *v, int t, unsigned S)
{
    int32_t c[TINY], n = 0;
    for (int i = 0; i < v->n_customers; i++)
        if (S >> i & 1) c[n++] = i;
    /* every order, lexicographically */
    double best = INFINITY;
    for (;;) {
        int ok;
        double cost = route_checker_route(v, t, c, n, &ok);
        if (ok) best = fmin(best, cost);
        int i = n - 2;
        while (i >= 0 && c[i] > c[i + 1]) i--;
        if (i < 0) break;
        int j = n - 1;
        while (c[j] < c[i]) j--;
        int32_t tmp = c[i];
        c[i] = c[j], c[j] = tmp;
        for (int a = i + 1, b = n - 1; a < b; a++, b--) tmp = c[a], c[a] = c[b], c[b] = tmp;
    }
    return best;
}

/* min over partitions of served customers into routes, counts per type respected (2 types, <= 3 each). */
static double brute_force(const weft_vrp *v)
{
    int n = v->n_customers;
    unsigned full = (1u << n) - 1;
    double single[2][1 << TINY];
    for (int t = 0; t < 2; t++)
        for (unsigned S = 1; S <= full; S++) single[t][S] = best_single_route(v, t, S);
    /* dp[S][a][b]: serve exactly S with a routes of type 0 and b of type 1 */
    static double dp[1 << TINY][4][4];
    for (unsigned S = 0; S <= full; S++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) dp[S][a][b] = INFINITY;
    dp[0][0][0] = 0;
    for (unsigned S = 1; S <= full; S++) {
        unsigned low = S & -S;
        for (unsigned T = S; T; T = (T - 1) & S) { /* T: the route holding S's lowest customer */
            if (!(T & low)) continue;
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++) {
                    if (a && isfinite(single[0][T])) dp[S][a][b] = fmin(dp[S][a][b], dp[S ^ T][a - 1][b] + single[0][T]);
                    if (b && isfinite(single[1][T])) dp[S][a][b] = fmin(dp[S][a][b], dp[S ^ T][a][b - 1] + single[1][T]);
                }
        }
    }
    double best = INFINITY;
    for (unsigned S = 0; S <= full; S++) {
        double pen = 0;
        for (int i = 0; i < n; i++)
            if (!(S >> i & 1)) pen += v->penalty && isfinite(v->penalty[i]) ? v->penalty[i] : INFINITY;
        for (int a = 0; a <= v->count[0]; a++)
            for (int b = 0; b <= v->count[1]; b++) best = fmin(best, dp[S][a][b] + pen);
    }
    return best;
}

static weft_vrp *random_tiny(weft_context *ctx, uint64_t *rng, int with_penalty)
{
    weft_vrp *v = NULL;
    assert_int_equal(weft_vrp_create(ctx, 2, TINY, 2, 2, &v), WEFT_OK);
    v->convention = WEFT_VRP_DIST_EXACT;
    snprintf(v->time_unit, sizeof v->time_unit, "min");
    for (int d = 0; d < 2; d++) {
        v->depot_x[d] = weft_test_uniform(rng, 0, 50), v->depot_y[d] = weft_test_uniform(rng, 0, 50);
        v->depot_open[d] = 0, v->depot_close[d] = 400;
    }
    for (int c = 0; c < TINY; c++) {
        v->x[c] = weft_test_uniform(rng, 0, 50), v->y[c] = weft_test_uniform(rng, 0, 50);
        v->demand[c * 2] = floor(weft_test_uniform(rng, 1, 10));
        v->demand[c * 2 + 1] = floor(weft_test_uniform(rng, 0, 4));
        v->service[c] = floor(weft_test_uniform(rng, 0, 10));
        v->tw_open[c] = floor(weft_test_uniform(rng, 0, 200));
        v->tw_close[c] = v->tw_open[c] + floor(weft_test_uniform(rng, 20, 150));
    }
    for (int t = 0; t < 2; t++) {
        v->count[t] = t ? 1 : 2;
        v->type_depot[t] = t;
        v->capacity[t * 2] = t ? 30 : 15, v->capacity[t * 2 + 1] = t ? 8 : 5;
        v->fixed_cost[t] = t ? 20 : 5;
        v->cost_per_km[t] = t ? 1.5 : 1;
        v->cost_per_hour[t] = t ? 6 : 12; /* per hour; times in minutes */
        v->shift_start[t] = t ? 0 : 30, v->shift_end[t] = t ? 350 : 400;
        v->max_duration[t] = t ? INFINITY : 250;
    }
    if (with_penalty) {
        v->penalty = calloc(TINY, sizeof(double)); /* freed through the context allocator (libc) */
        for (int c = 0; c < TINY; c++) v->penalty[c] = c % 3 == 0 ? INFINITY : weft_test_uniform(rng, 10, 80);
    }
    return v;
}

static void tiny_exhaustive(void **state)
{
    weft_context *ctx = weft_test_context();
    uint64_t rng = 20261129;
    int solved = 0;
    for (int trial = 0; trial < 12; trial++) {
        weft_vrp *v = random_tiny(ctx, &rng, trial % 2);
        assert_int_equal(weft_vrp_build_matrices(ctx, v), WEFT_OK);
        if (weft_vrp_validate(ctx, v, "tiny") != WEFT_OK) { /* a customer no vehicle can serve */
            weft_vrp_destroy(ctx, &v);
            continue;
        }
        double opt = brute_force(v);
        weft_vrp_solution *sol = solve(ctx, v, getenv("TINY_IT") ? atoi(getenv("TINY_IT")) : 3000, 0, getenv("TINY_SEED") ? atoi(getenv("TINY_SEED")) : 3, WEFT_VRP_OBJ_COST);
        if (isfinite(opt)) {
            route_checker_assert(v, sol);
            if (fabs(sol->cost - opt) > 1e-6) {
                print_error("trial %d: solver %.6f, optimum %.6f\n", trial, sol->cost, opt);
                for (int r = 0; r < sol->n_routes; r++) {
                    unsigned S = 0;
                    for (int i = sol->route_start[r]; i < sol->route_start[r + 1]; i++) S |= 1u << sol->visits[i], print_error(" %d", sol->visits[i]);
                    int ok;
                    double c = route_checker_route(v, sol->route_type[r], sol->visits + sol->route_start[r], sol->route_start[r + 1] - sol->route_start[r], &ok);
                    print_error(" type %d cost %.4f best order %.4f\n", sol->route_type[r], c, best_single_route(v, sol->route_type[r], S));
                }
                for (int i = 0; i < sol->n_unserved; i++) print_error("unserved %d pen %g\n", sol->unserved[i], v->penalty[sol->unserved[i]]);
            }
            assert_double_close(sol->cost, opt, 1e-9, 1e-6);
            solved++;
        } else {
            assert_false(sol->feasible); /* the fleet cannot serve everyone: unserved listed */
            assert_true(sol->n_unserved > 0);
        }
        weft_vrp_solution_destroy(ctx, &sol);
        weft_vrp_destroy(ctx, &v);
    }
    printf("tiny instances solved to their exhaustive optimum: %d\n", solved);
    assert_true(solved >= 6);
    weft_context_destroy(&ctx);
}

static void same_seed_same_answer(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/RC101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    weft_vrp_solution *a = solve(ctx, v, 3000, 0, 11, WEFT_VRP_OBJ_COST);
    weft_vrp_solution *b = solve(ctx, v, 3000, 0, 11, WEFT_VRP_OBJ_COST);
    route_checker_assert(v, a);
    assert_int_equal(a->n_routes, b->n_routes);
    assert_true(a->cost == b->cost);
    assert_memory_equal(a->visits, b->visits, sizeof(int32_t) * v->n_customers);
    weft_vrp_solution_destroy(ctx, &a);
    weft_vrp_solution_destroy(ctx, &b);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* Costs in other units: every cost scaled by 1e7 gives the same routes at 1e7 times the cost. With an
 * absolute improvement bar, rounding noise in plan costs near 1e10 looked like gains and the first
 * local search cycled until the time limit (here 60 s) cut it short. */
static void costs_scaled(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/C101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    weft_vrp_solution *a = solve(ctx, v, 30, 0, 1, WEFT_VRP_OBJ_COST);
    for (int32_t t = 0; t < v->n_types; t++) v->cost_per_km[t] *= 1e7;
    weft_vrp_options o;
    weft_vrp_options_default(&o);
    o.iteration_limit = 30, o.time_limit = 60, o.seed = 1;
    weft_vrp_solution *b = NULL;
    weft_vrp_result res;
    assert_int_equal(weft_vrp_solve(ctx, v, &o, &b, &res), WEFT_OK);
    route_checker_assert(v, b);
    assert_int_equal(res.outcome, WEFT_VRP_ITERATION_LIMIT);
    assert_double_close(b->cost, 1e7 * a->cost, 1e-12, 0);
    assert_int_equal(a->n_routes, b->n_routes);
    assert_memory_equal(a->visits, b->visits, sizeof(int32_t) * v->n_customers);
    weft_vrp_solution_destroy(ctx, &a);
    weft_vrp_solution_destroy(ctx, &b);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

static void time_limit_honoured(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("homberger/R1_10_1.vrp"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    weft_vrp_solution *sol = solve(ctx, v, 0, 2.0, 1, WEFT_VRP_OBJ_COST);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double el = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("R1_10_1: 2 s limit, returned after %.2f s, cost %.1f, %d routes\n", el, sol->cost, sol->n_routes);
    assert_true(el < 3.0);
    route_checker_assert(v, sol);
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* Two vehicles for R101 (it needs about 19): a partial solution with the rest listed unserved. */
static void partial_when_fleet_too_small(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/R101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    v->count[0] = 2;
    weft_vrp_solution *sol = solve(ctx, v, 500, 0, 1, WEFT_VRP_OBJ_COST);
    assert_false(sol->feasible);
    assert_true(sol->n_routes == 2);
    assert_true(sol->n_unserved > 50 && sol->n_unserved < 100);
    route_check r = route_checker_run(v, sol);
    assert_false(r.ok);
    assert_non_null(strstr(r.why, "unserved"));
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* vehicles-then-cost never uses more vehicles than cost-only, on an instance where they differ. */
static void vehicles_first(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/R201.txt"), WEFT_SOLOMON_EXACT, &v), WEFT_OK);
    weft_vrp_solution *a = solve(ctx, v, 4000, 0, 5, WEFT_VRP_OBJ_COST);
    weft_vrp_solution *b = solve(ctx, v, 4000, 0, 5, WEFT_VRP_OBJ_VEHICLES_THEN_COST);
    route_checker_assert(v, a);
    route_checker_assert(v, b);
    printf("R201: cost objective %d vehicles %.2f; vehicles-then-cost %d vehicles %.2f\n", a->n_routes, a->cost,
           b->n_routes, b->cost);
    assert_true(b->n_routes < a->n_routes);
    weft_vrp_solution_destroy(ctx, &a);
    weft_vrp_solution_destroy(ctx, &b);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* A matrix with unreachable pairs (one-way streets): no route may use them. */
static void unreachable_pairs_avoided(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    int n = 6, k = n + 1;
    assert_int_equal(weft_vrp_create(ctx, 1, n, 1, 1, &v), WEFT_OK);
    v->convention = WEFT_VRP_DIST_MATRIX;
    v->count[0] = 2, v->capacity[0] = 100;
    v->dist = calloc((size_t)k * k, sizeof(double)), v->time = calloc((size_t)k * k, sizeof(double));
    uint64_t rng = 99;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            double d = i == j ? 0 : weft_test_uniform(&rng, 1, 10);
            /* from customer i to customer j with j == i + 1 is the cheap way, and it is closed */
            if (i >= 1 && j == i + 1) d = INFINITY;
            v->dist[i * k + j] = d < INFINITY ? d : 1.0, v->time[i * k + j] = d;
        }
    for (int c = 0; c < n; c++) v->demand[c] = 1;
    assert_int_equal(weft_vrp_validate(ctx, v, "unreachable"), WEFT_OK);
    weft_vrp_solution *sol = solve(ctx, v, 2000, 0, 1, WEFT_VRP_OBJ_COST);
    route_checker_assert(v, sol);
    for (int r = 0; r < sol->n_routes; r++)
        for (int i = sol->route_start[r]; i + 1 < sol->route_start[r + 1]; i++)
            assert_true(sol->visits[i + 1] != sol->visits[i] + 1);
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* No customers: an empty, feasible answer, not an error. */
static void no_customers(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_vrp_create(ctx, 1, 0, 1, 1, &v), WEFT_OK);
    assert_int_equal(weft_vrp_build_matrices(ctx, v), WEFT_OK);
    assert_int_equal(weft_vrp_validate(ctx, v, "empty"), WEFT_OK);
    weft_vrp_solution *sol = solve(ctx, v, 10, 0, 1, WEFT_VRP_OBJ_COST);
    assert_int_equal(sol->n_routes, 0);
    assert_true(sol->feasible);
    assert_double_close(sol->cost, 0, 0, 0);
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e_n13_k4),
        cmocka_unit_test(p_n16_k8),
        cmocka_unit_test(a_n32_k5),
        cmocka_unit_test(tiny_exhaustive),
        cmocka_unit_test(same_seed_same_answer),
        cmocka_unit_test(costs_scaled),
        cmocka_unit_test(time_limit_honoured),
        cmocka_unit_test(partial_when_fleet_too_small),
        cmocka_unit_test(vehicles_first),
        cmocka_unit_test(unreachable_pairs_avoided),
        cmocka_unit_test(no_customers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
