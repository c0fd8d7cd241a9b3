/* The batched local search (backend.h vrp_ls_best, host/route/ls_*.c): the op's best move per
 * customer against a brute force that applies every move and rebuilds the changed routes from
 * scratch; cpu and OpenCL bit for bit; S solutions in one launch against S launches; the batched
 * driver never raising the cost and leaving feasible solutions (tests/support/route_checker), the
 * same on both backends; whole solves with it reproducible and equal on both backends. Random
 * instances drawn fresh each run; WEFT_TEST_SEED replays one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "failing_alloc.h"
#include "route/ls_device.h"
#include "route/rr_ops.h"
#include "route_checker.h"
#include "weft/route.h"
#include "weft_test.h"

static char cl_spec[32];
static int have_cl;
static uint64_t rng;

static double uni(double lo, double hi) { return weft_test_uniform(&rng, lo, hi); }

/* Two depots; types 0 and 1 at depot 0 with different shifts (2-opt* only within a type), type 2
 * at depot 1; two load dimensions; windows from wide to tight. */
static weft_vrp *random_instance(weft_context *ctx, int nc)
{
    weft_vrp *v = NULL;
    assert_int_equal(weft_vrp_create(ctx, 2, nc, 3, 2, &v), WEFT_OK);
    v->convention = WEFT_VRP_DIST_EXACT;
    snprintf(v->time_unit, sizeof v->time_unit, "min");
    for (int d = 0; d < 2; d++) {
        v->depot_x[d] = uni(0, 100), v->depot_y[d] = uni(0, 100);
        v->depot_open[d] = 0, v->depot_close[d] = 1000;
    }
    for (int c = 0; c < nc; c++) {
        v->x[c] = uni(0, 100), v->y[c] = uni(0, 100);
        v->demand[c * 2] = floor(uni(1, 10)), v->demand[c * 2 + 1] = floor(uni(0, 4));
        v->service[c] = floor(uni(0, 10));
        v->tw_open[c] = floor(uni(150, 500)); /* after the longest drive from a depot (141): all reachable */
        v->tw_close[c] = v->tw_open[c] + (uni(0, 1) < 0.3 ? 1000 : floor(uni(30, 300)));
    }
    for (int t = 0; t < 3; t++) {
        v->count[t] = nc / 4;
        v->type_depot[t] = t == 2;
        v->capacity[t * 2] = t ? 40 : 30, v->capacity[t * 2 + 1] = t ? 12 : 10;
        v->fixed_cost[t] = 10 * t, v->cost_per_km[t] = 1 + 0.25 * t, v->cost_per_hour[t] = t ? 6 : 0;
        v->shift_start[t] = 0, v->shift_end[t] = t == 1 ? 1500 : 1600;
        v->max_duration[t] = t == 0 ? 900 : INFINITY;
    }
    assert_int_equal(weft_vrp_build_matrices(ctx, v), WEFT_OK);
    return v;
}

/* A state with a greedy construction, then a ruin-and-recreate step so it is not a local optimum
 * of the construction alone; everyone served. */
static void make_state(weft_context *ctx, const weft_vrp *v, rr_state *s, uint64_t seed)
{
    assert_int_equal(rr_state_init(s, ctx, v, WEFT_VRP_OBJ_COST, seed), WEFT_OK);
    int *list = calloc((size_t)s->nc + 1, sizeof *list), *stamp = calloc((size_t)s->nr + 1, sizeof *stamp);
    double *key = calloc((size_t)s->nc + 1, sizeof *key);
    rr_begin_step(s);
    rr_recreate(s, list, key, 1);
    rr_begin_step(s);
    rr_ruin(s, stamp, 1);
    rr_recreate(s, list, key, 1);
    rr_recreate(s, list, key, 0); /* whoever the blinks left out */
    assert_int_equal(s->n_unserved, 0);
    rr_begin_step(s);
    free(list), free(stamp), free(key);
}

/* Whether move mv of u is one the op evaluates (the others are void, +INFINITY there). */
static int move_exists(const rr_state *s, int u, int mv)
{
    int t = mv % WEFT_LS_TYPES, v = s->neighbours[(size_t)u * s->n_neigh + mv / WEFT_LS_TYPES];
    int ru = s->route_of[u], pu = s->pos_of[u], rv = s->route_of[v], pv = s->pos_of[v];
    if (ru < 0 || rv < 0) return 0;
    int len = 1 + t / 2, at = t % 2 == 0 ? pv : pv - 1;
    if (t < WEFT_LS_SWAP && pu + len - 1 > s->routes[ru].len) return 0;
    if (ru == rv) return t < WEFT_LS_SWAP ? !(at >= pu - 1 && at <= pu + len - 1) : t == WEFT_LS_OPT_UV;
    if (t < WEFT_LS_OPT_UV) return 1;
    const rr_seg *ea = &s->routes[ru].suf[s->routes[ru].len + 1], *eb = &s->routes[rv].suf[s->routes[rv].len + 1];
    return ea->first == eb->first && ea->early == eb->early && ea->late == eb->late;
}

/* A route rebuilt from scratch: feasible (windows, duration, load) or not. */
static int route_feasible(const rr_state *s, int r)
{
    const rr_route *rt = &s->routes[r];
    if (!rt->len) return 1;
    for (int d = 0; d < s->D; d++)
        if (rt->load[d] > s->v->capacity[(size_t)rt->type * s->D + d] + RR_EPS) return 0;
    return rr_seg_ok(&rt->pre[rt->len + 1], s->v->max_duration[rt->type]);
}

/* Brute force: apply the move, rebuild the routes (rr_route_update from the customer lists), read
 * the cost change, undo. +INFINITY when a changed route is infeasible. */
static double brute_delta(rr_state *s, int u, int mv, int *A, int *B)
{
    if (!move_exists(s, u, mv)) return INFINITY;
    double before = s->cost;
    int ra, rb;
    rr_begin_step(s);
    rr_ls_apply(s, u, mv, A, B, &ra, &rb);
    int ok = route_feasible(s, ra) && (rb < 0 || route_feasible(s, rb));
    double d = s->cost - before;
    rr_undo_step(s);
    rr_begin_step(s);
    return ok ? d : INFINITY;
}

static void check_against_brute(rr_state *s, const int32_t *best, const double *delta)
{
    int *A = calloc((size_t)s->nc + 1, sizeof *A), *B = calloc((size_t)s->nc + 1, sizeof *B);
    int g = s->n_neigh < RR_LS_GRANULAR ? s->n_neigh : RR_LS_GRANULAR, found = 0, improving = 0;
    for (int u = 0; u < s->nc; u++) {
        double bmin = INFINITY;
        for (int mv = 0; mv < g * WEFT_LS_TYPES; mv++) bmin = fmin(bmin, brute_delta(s, u, mv, A, B));
        if (s->route_of[u] < 0 || isinf(bmin)) {
            assert_int_equal(best[u], -1);
            assert_true(isinf(delta[u]));
            continue;
        }
        assert_true(best[u] >= 0);
        found++, improving += delta[u] < -RR_LS_IMPROVE;
        assert_double_close(delta[u], bmin, 1e-9, 1e-7);
        assert_double_close(brute_delta(s, u, best[u], A, B), delta[u], 1e-9, 1e-7);
    }
    printf("  %d customers: %d with a feasible move, %d improving\n", s->nc, found, improving);
    assert_true(found > s->nc / 4); /* the check has something to check */
    free(A), free(B);
}

static weft_backend *open_backend(weft_context *ctx, int cl)
{
    weft_backend *be = NULL;
    int st = cl ? weft_backend_opencl_open(ctx, cl_spec, &be) : weft_backend_cpu_open(ctx, &be);
    assert_int_equal(st, WEFT_OK);
    return be;
}

/* One launch over S states on a backend; best/delta [S x nc] malloc'ed. */
static void evaluate(weft_context *ctx, weft_backend *be, rr_state *const *ss, int S, int32_t **best, double **delta)
{
    rr_ls_dev *L = NULL;
    assert_int_equal(rr_ls_open(ctx, ss[0], be, &L), WEFT_OK);
    size_t n = (size_t)S * ss[0]->nc;
    *best = malloc(n * sizeof **best), *delta = malloc(n * sizeof **delta);
    int st = rr_ls_evaluate(L, ss, S, 0, *best, *delta);
    if (st) print_error("%s\n", weft_context_last_error(ctx));
    assert_int_equal(st, WEFT_OK);
    rr_ls_close(&L);
}

static void op_matches_brute_force(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_backend *be = open_backend(ctx, 0);
    for (int trial = 0; trial < 4; trial++) {
        weft_vrp *v = random_instance(ctx, 30 + 10 * trial);
        rr_state s;
        make_state(ctx, v, &s, rng + trial);
        rr_state *ss[1] = {&s};
        int32_t *best;
        double *delta;
        evaluate(ctx, be, ss, 1, &best, &delta);
        check_against_brute(&s, best, delta);
        free(best), free(delta);
        rr_state_free(&s);
        weft_vrp_destroy(ctx, &v);
    }
    weft_backend_close(&be);
    weft_context_destroy(&ctx);
}

/* cpu and OpenCL on the same S states, and S states in one launch against one launch each. */
static void backends_and_batches_agree(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_vrp *v = random_instance(ctx, 80);
    rr_state st[4];
    rr_state *ss[4];
    for (int i = 0; i < 4; i++) make_state(ctx, v, &st[i], rng + 17 * i), ss[i] = &st[i];
    size_t nc = (size_t)v->n_customers;
    for (int cl = 0; cl < 2; cl++) {
        if (cl && !have_cl) {
            printf("SKIP cl: no OpenCL fp64 device\n");
            break;
        }
        weft_backend *be = open_backend(ctx, cl);
        for (int S = 2; S <= 4; S++) {
            int32_t *bm, *b1;
            double *dm, *d1;
            evaluate(ctx, be, ss, S, &bm, &dm);
            for (int i = 0; i < S; i++) {
                evaluate(ctx, be, ss + i, 1, &b1, &d1);
                assert_memory_equal(bm + i * nc, b1, nc * sizeof *b1);
                assert_memory_equal(dm + i * nc, d1, nc * sizeof *d1);
                free(b1), free(d1);
            }
            if (cl) { /* against the cpu reference */
                weft_backend *cpu = open_backend(ctx, 0);
                evaluate(ctx, cpu, ss, S, &b1, &d1);
                assert_memory_equal(bm, b1, S * nc * sizeof *b1);
                assert_memory_equal(dm, d1, S * nc * sizeof *d1);
                free(b1), free(d1);
                weft_backend_close(&cpu);
            }
            free(bm), free(dm);
        }
        weft_backend_close(&be);
    }
    for (int i = 0; i < 4; i++) rr_state_free(&st[i]);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* The state's routes as a solution for the checker. */
static weft_vrp_solution *as_solution(weft_context *ctx, const rr_state *s)
{
    weft_vrp_solution *sol = calloc(1, sizeof *sol);
    sol->route_type = calloc((size_t)s->nr + 1, sizeof(int32_t));
    sol->route_start = calloc((size_t)s->nr + 2, sizeof(int32_t));
    sol->visits = calloc((size_t)s->nc + 1, sizeof(int32_t));
    sol->unserved = calloc((size_t)s->nc + 1, sizeof(int32_t));
    int w = 0;
    for (int r = 0; r < s->nr; r++) {
        if (!s->routes[r].len) continue;
        sol->route_type[sol->n_routes] = s->routes[r].type;
        sol->route_start[sol->n_routes++] = w;
        for (int i = 0; i < s->routes[r].len; i++) sol->visits[w++] = s->routes[r].cust[i];
    }
    sol->route_start[sol->n_routes] = w;
    for (int i = 0; i < s->n_unserved; i++) sol->unserved[sol->n_unserved++] = s->unserved[i];
    assert_int_equal(weft_vrp_evaluate(ctx, s->v, sol, NULL), WEFT_OK);
    assert_double_close(sol->cost, s->cost, 1e-9, 1e-6);
    return sol;
}

static void assert_same_routes(const rr_state *a, const rr_state *b)
{
    for (int r = 0; r < a->nr; r++) {
        assert_int_equal(a->routes[r].len, b->routes[r].len);
        assert_memory_equal(a->routes[r].cust, b->routes[r].cust, (size_t)a->routes[r].len * sizeof(int));
    }
    assert_true(a->cost == b->cost);
}

/* The driver on three states at once: never worse, feasible, a local optimum of the op, the same as
 * one state at a time, and the same on both backends. */
static void driver_improves_and_agrees(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_vrp *v = random_instance(ctx, 120);
    enum { S = 3 };
    rr_state st[3][S]; /* [cpu together, cpu one by one, cl together][state] */
    int runs = have_cl ? 3 : 2;
    for (int k = 0; k < runs; k++)
        for (int i = 0; i < S; i++) make_state(ctx, v, &st[k][i], rng + 31 * i);
    double before[S];
    for (int i = 0; i < S; i++) before[i] = st[0][i].cost;
    for (int k = 0; k < runs; k++) {
        weft_backend *be = open_backend(ctx, k == 2);
        rr_ls_dev *L = NULL;
        assert_int_equal(rr_ls_open(ctx, &st[k][0], be, &L), WEFT_OK);
        rr_state *ss[S] = {&st[k][0], &st[k][1], &st[k][2]};
        if (k == 1)
            for (int i = 0; i < S; i++) assert_true(rr_ls_run(L, ss + i, 1, 1000000, 0) >= 0);
        else assert_true(rr_ls_run(L, ss, S, 1000000, 0) > 0);
        rr_ls_stats stats = rr_ls_get_stats(L);
        printf("  %s: %ld launches, %.0f moves evaluated\n", k == 2 ? cl_spec : "cpu", stats.launches, stats.moves);
        rr_ls_close(&L);
        weft_backend_close(&be);
    }
    if (!have_cl) printf("SKIP cl half: no OpenCL fp64 device\n");
    for (int i = 0; i < S; i++) {
        rr_state *s = &st[0][i];
        printf("  state %d: cost %.4f -> %.4f\n", i, before[i], s->cost);
        assert_true(s->cost <= before[i]);
        weft_vrp_solution *sol = as_solution(ctx, s);
        route_checker_assert(v, sol);
        weft_vrp_solution_destroy(ctx, &sol);
        /* no improving move left */
        int32_t *best;
        double *delta;
        weft_backend *cpu = open_backend(ctx, 0);
        evaluate(ctx, cpu, &s, 1, &best, &delta);
        for (int u = 0; u < s->nc; u++) assert_false(delta[u] < -RR_LS_IMPROVE);
        free(best), free(delta);
        weft_backend_close(&cpu);
        for (int k = 1; k < runs; k++) assert_same_routes(s, &st[k][i]);
    }
    for (int k = 0; k < runs; k++)
        for (int i = 0; i < S; i++) rr_state_free(&st[k][i]);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

static weft_vrp_solution *solve(weft_context *ctx, const weft_vrp *v, const char *device, weft_vrp_local_search ls,
                                uint64_t seed, const char *want_backend)
{
    weft_vrp_options o;
    weft_vrp_options_default(&o);
    o.iteration_limit = 300, o.seed = seed, o.device = device, o.local_search = ls;
    weft_vrp_result res;
    weft_vrp_solution *sol = NULL;
    int st = weft_vrp_solve(ctx, v, &o, &sol, &res);
    if (st) print_error("solve on %s: %s\n", device, weft_context_last_error(ctx));
    assert_int_equal(st, WEFT_OK);
    assert_string_equal(res.backend, want_backend);
    route_checker_assert(v, sol);
    return sol;
}

static void assert_same_solution(const weft_vrp_solution *a, const weft_vrp_solution *b)
{
    assert_true(a->cost == b->cost);
    assert_int_equal(a->n_routes, b->n_routes);
    assert_memory_equal(a->route_start, b->route_start, ((size_t)a->n_routes + 1) * sizeof(int32_t));
    assert_memory_equal(a->visits, b->visits, (size_t)a->route_start[a->n_routes] * sizeof(int32_t));
}

/* Seed + backend + iteration limit: one answer, and the batched search gives the same on both. */
static void solves_reproducible(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/RC101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    uint64_t seed = 1 + rng % 1000;
    weft_vrp_solution *a = solve(ctx, v, "cpu", WEFT_VRP_LS_BATCHED, seed, "cpu");
    weft_vrp_solution *b = solve(ctx, v, "cpu", WEFT_VRP_LS_BATCHED, seed, "cpu");
    weft_vrp_solution *f = solve(ctx, v, "cpu", WEFT_VRP_LS_AUTO, seed, "cpu");
    printf("  RC101 seed %llu, 300 iterations: batched %.4f, first improvement %.4f\n", (unsigned long long)seed, a->cost, f->cost);
    assert_same_solution(a, b);
    if (have_cl) {
        weft_vrp_solution *c = solve(ctx, v, cl_spec, WEFT_VRP_LS_AUTO, seed, "opencl");
        assert_same_solution(a, c);
        weft_vrp_solution_destroy(ctx, &c);
    } else {
        printf("SKIP cl half: no OpenCL fp64 device\n");
    }
    weft_vrp_solution_destroy(ctx, &a), weft_vrp_solution_destroy(ctx, &b), weft_vrp_solution_destroy(ctx, &f);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* A bad index is refused with a message, not read out of bounds. */
static void bad_item_refused(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_vrp *v = random_instance(ctx, 20);
    rr_state s;
    make_state(ctx, v, &s, rng);
    weft_backend *be = open_backend(ctx, 0);
    rr_ls_dev *L = NULL;
    assert_int_equal(rr_ls_open(ctx, &s, be, &L), WEFT_OK);
    int u = 0;
    while (s.route_of[u] < 0) u++;
    s.pos_of[u] = s.routes[s.route_of[u]].len + 1;
    int32_t best[20];
    double delta[20];
    rr_state *ss[1] = {&s};
    assert_int_equal(rr_ls_evaluate(L, ss, 1, 0, best, delta), WEFT_ERR_INVALID_ARG);
    assert_non_null(strstr(weft_context_last_error(ctx), "c_route/c_pos"));
    rr_ls_close(&L);
    weft_backend_close(&be);
    rr_state_free(&s);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* Every allocation of opening and running the batched search made to fail once: out of memory
 * reported (by the status or the states' nomem), nothing leaked (under ASan), no crash. */
static void allocation_failures(void **state)
{
    (void)state;
    failing_alloc f = {-1};
    weft_allocator a = FAILING_ALLOCATOR(&f);
    weft_context *ctx = NULL;
    assert_int_equal(weft_context_create(&ctx, &a), WEFT_OK);
    weft_context_set_log_level(ctx, WEFT_LOG_OFF);
    weft_vrp *v = random_instance(ctx, 40);
    long failures = 0, k = 0;
    for (;; k++) {
        f.countdown = -1;
        rr_state st[2];
        rr_state *ss[2] = {&st[0], &st[1]};
        for (int i = 0; i < 2; i++) make_state(ctx, v, &st[i], rng + i);
        weft_backend *be = NULL;
        rr_ls_dev *L = NULL;
        f.countdown = k;
        int s = weft_backend_cpu_open(ctx, &be);
        if (!s) s = rr_ls_open(ctx, ss[0], be, &L);
        if (s) assert_null(L);
        long moves = s ? 0 : rr_ls_run(L, ss, 2, 1000000, 0);
        int reached = f.countdown >= 0;
        if (s || moves < 0 || st[0].nomem || st[1].nomem) {
            assert_true(s == WEFT_OK || s == WEFT_ERR_NOMEM);
            failures++;
        }
        rr_ls_close(&L);
        weft_backend_close(&be);
        for (int i = 0; i < 2; i++) rr_state_free(&st[i]);
        if (reached) break;
    }
    printf("  %ld injected allocation failures, %ld reported\n", k, failures);
    assert_int_equal(failures, k); /* every one */
    assert_true(k > 10);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

int main(void)
{
    rng = weft_test_seed();
    have_cl = weft_test_opencl_spec(cl_spec, sizeof cl_spec);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(op_matches_brute_force), cmocka_unit_test(backends_and_batches_agree),
        cmocka_unit_test(driver_improves_and_agrees), cmocka_unit_test(solves_reproducible),
        cmocka_unit_test(bad_item_refused), cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
