/* The routing-move batch (backend.h, vrp_best_insertions): the OpenCL op against the CPU op on
 * random batches with windows (loose, tight, unreachable legs), capacities, repeated positions
 * (ties) and skipped entries; then whole solves with a seed and an iteration limit on the host
 * path and on the device path, which must give the same solution. Fresh random inputs every run;
 * WEFT_TEST_SEED replays one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>

#include "backend/backend.h"
#include "weft/route.h"
#include "weft_test.h"

static char cl_spec[32];
static int have_cl;
static uint64_t rng;

static void need_cl(void)
{
    if (!have_cl) {
        printf("SKIP no OpenCL fp64 device\n");
        skip();
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Both backends, opened once for the group (be[1] NULL without an OpenCL device). */
typedef struct pair {
    weft_context *ctx;
    weft_backend *be[2];
} pair;

static int setup(void **state)
{
    pair *p = calloc(1, sizeof *p);
    p->ctx = weft_test_context();
    if (weft_backend_cpu_open(p->ctx, &p->be[0])) return -1;
    if (have_cl && weft_backend_opencl_open(p->ctx, cl_spec, &p->be[1])) return -1;
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    pair *p = *state;
    weft_backend_close(&p->be[1]);
    weft_backend_close(&p->be[0]);
    weft_context_destroy(&p->ctx);
    free(p);
    return 0;
}

static double uni(double lo, double hi) { return weft_test_uniform(&rng, lo, hi); }
static int below(int n) { return (int)(weft_test_rand(&rng) % (uint64_t)n); }

/* One random batch and its travel matrices; every array malloc'ed, freed by batch_free. */
typedef struct batch {
    int32_t k;
    double *time, *dist;
    weft_vrp_moves m;
    void *mem[40];
    int n_mem;
} batch;

static void *take(batch *b, size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    b->mem[b->n_mem++] = p;
    return p;
}
#define DBL(b, n) ((double *)take((b), (n), sizeof(double)))
#define INT(b, n) ((int32_t *)take((b), (n), sizeof(int32_t)))

static void batch_free(batch *b)
{
    for (int i = 0; i < b->n_mem; i++) free(b->mem[i]);
}

/* Prefix and suffix summaries shaped like real ones: the prefix ends late enough for the windows
 * to bind now and then; some prefixes already carry time warp. */
static void random_positions(batch *b, int32_t np, int32_t nr)
{
    weft_vrp_moves *m = &b->m;
    double *f[10];
    for (int i = 0; i < 10; i++) f[i] = DBL(b, np);
    int32_t *pl = INT(b, np), *sf = INT(b, np), *pr = INT(b, np);
    for (int32_t p = 0; p < np; p++) {
        f[0][p] = uni(0, 300), f[1][p] = uni(0, 1) < 0.1 ? uni(0, 5) : 0, f[2][p] = uni(0, 100);
        f[3][p] = f[2][p] + uni(0, 200), f[4][p] = uni(0, 400);
        f[5][p] = uni(0, 300), f[6][p] = uni(0, 1) < 0.05 ? uni(0, 5) : 0, f[7][p] = uni(100, 500);
        f[8][p] = f[7][p] + uni(0, 300), f[9][p] = uni(0, 400);
        pl[p] = below(b->k), sf[p] = below(b->k), pr[p] = below(nr);
    }
    m->pre_dur = f[0], m->pre_warp = f[1], m->pre_early = f[2], m->pre_late = f[3], m->pre_dist = f[4];
    m->suf_dur = f[5], m->suf_warp = f[6], m->suf_early = f[7], m->suf_late = f[8], m->suf_dist = f[9];
    m->pre_last = pl, m->suf_first = sf, m->pos_route = pr;
}

static void random_routes(batch *b, int32_t nr, int32_t dims)
{
    weft_vrp_moves *m = &b->m;
    double *fx = DBL(b, nr), *km = DBL(b, nr), *hr = DBL(b, nr), *md = DBL(b, nr), *co = DBL(b, nr);
    double *ld = DBL(b, (size_t)nr * dims), *cp = DBL(b, (size_t)nr * dims);
    for (int32_t r = 0; r < nr; r++) {
        int empty = uni(0, 1) < 0.2;
        fx[r] = below(3) * 50.0, km[r] = uni(0.5, 2), hr[r] = below(2) ? uni(0, 1) : 0;
        md[r] = uni(0, 1) < 0.2 ? INFINITY : uni(500, 1500);
        co[r] = empty ? 0 : uni(100, 2000);
        for (int32_t j = 0; j < dims; j++) cp[(size_t)r * dims + j] = 100, ld[(size_t)r * dims + j] = empty ? 0 : uni(20, 100);
    }
    m->r_fixed = fx, m->r_km = km, m->r_hour = hr, m->r_maxdur = md, m->r_cost = co, m->r_load = ld, m->r_cap = cp;
    m->extra = below(2) ? 0 : 1000;
}

static void random_customers(batch *b, int32_t nc, int32_t dims)
{
    weft_vrp_moves *m = &b->m;
    double *du = DBL(b, nc), *ea = DBL(b, nc), *la = DBL(b, nc), *de = DBL(b, (size_t)nc * dims);
    int32_t *lo = INT(b, nc);
    for (int32_t c = 0; c < nc; c++) {
        du[c] = uni(0, 20), ea[c] = uni(0, 600), la[c] = ea[c] + (below(4) ? uni(0, 100) : 1e4);
        lo[c] = below(b->k);
        for (int32_t j = 0; j < dims; j++) de[(size_t)c * dims + j] = uni(0, 30);
    }
    m->c_dur = du, m->c_early = ea, m->c_late = la, m->c_dem = de, m->c_loc = lo;
}

/* Move lists: random positions with repeats (equal costs: the first must win) and skipped ones. */
static void random_lists(batch *b, int32_t nc, int32_t np, int32_t per)
{
    int32_t *st = INT(b, (size_t)nc + 1), *mv = INT(b, (size_t)nc * per * 2);
    st[0] = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t n = below(per + 1), w = st[c];
        for (int32_t i = 0; i < n; i++) {
            int32_t p = below(np);
            mv[w++] = uni(0, 1) < 0.05 ? -1 : p;
            if (uni(0, 1) < 0.2) mv[w++] = p;
        }
        st[c + 1] = w;
    }
    b->m.move_start = st, b->m.move_pos = mv;
}

static void random_batch(batch *b, int32_t k, int32_t nc, int32_t np, int32_t nr, int32_t dims, int lists)
{
    memset(b, 0, sizeof *b);
    b->k = k;
    b->time = DBL(b, (size_t)k * k), b->dist = DBL(b, (size_t)k * k);
    for (size_t i = 0; i < (size_t)k * k; i++) {
        b->time[i] = uni(0, 1) < 0.01 ? INFINITY : uni(1, 100); /* a few unreachable legs */
        b->dist[i] = isfinite(b->time[i]) ? b->time[i] * uni(1, 1.5) : INFINITY;
    }
    b->m.n_pos = np, b->m.n_cust = nc, b->m.n_routes = nr, b->m.dims = dims;
    random_positions(b, np, nr);
    random_routes(b, nr, dims);
    random_customers(b, nc, dims);
    if (lists) random_lists(b, nc, np, 2 * np / 3 + 1);
}

/* Runs the batch on one backend. */
static void run_op(weft_backend *be, const batch *b, int32_t *best, double *delta)
{
    weft_vrp_dev *d = NULL;
    assert_int_equal(be->ops->vrp_open(be, b->k, b->time, b->dist, &d), WEFT_OK);
    int st = be->ops->vrp_best_insertions(be, d, &b->m, best, delta);
    if (st) print_error("%s: %s\n", be->ops->name, weft_context_last_error(be->ctx));
    assert_int_equal(st, WEFT_OK);
    be->ops->vrp_close(be, &d);
    assert_null(d);
}

static void test_op_matches_cpu(void **state)
{
    need_cl();
    pair *pr = *state;
    weft_backend *cpu = pr->be[0], *cl = pr->be[1];
    long moves = 0, found = 0, none = 0, exact = 0;
    for (int trial = 0; trial < 12; trial++) {
        batch b;
        int32_t nc = 1 + below(300), np = 1 + below(trial < 4 ? 40 : 600), nr = 1 + below(30);
        random_batch(&b, 5 + below(200), nc, np, nr, 1 + below(3), trial % 2);
        int32_t *bc = malloc(nc * sizeof *bc), *bg = malloc(nc * sizeof *bg);
        double *dc = malloc(nc * sizeof *dc), *dg = malloc(nc * sizeof *dg);
        run_op(cpu, &b, bc, dc);
        run_op(cl, &b, bg, dg);
        for (int32_t c = 0; c < nc; c++) {
            if (bc[c] != bg[c]) print_error("trial %d customer %d: cpu move %d, opencl %d\n", trial, c, bc[c], bg[c]);
            assert_int_equal(bc[c], bg[c]);
            if (bc[c] < 0) assert_true(isinf(dc[c]) && isinf(dg[c]));
            else assert_double_close(dg[c], dc[c], 0, 1e-9);
            found += bc[c] >= 0, none += bc[c] < 0, exact += bc[c] >= 0 && dc[c] == dg[c];
        }
        moves += b.m.move_start ? b.m.move_start[nc] : (long)nc * np;
        free(bc), free(bg), free(dc), free(dg);
        batch_free(&b);
    }
    printf("%ld moves: %ld customers with a best move (%ld deltas bit-identical), %ld with none\n", moves, found,
           exact, none);
    assert_true(found > 0 && none > 0); /* both outcomes were exercised */
}

/* Ties: every entry the same position, so the first non-skipped entry must be chosen. */
static void test_ties_lowest_index(void **state)
{
    need_cl();
    weft_backend **be = ((pair *)*state)->be;
    batch b;
    random_batch(&b, 10, 1, 1, 1, 1, 0);
    /* the batch's arrays are its own (const only to the op): make the one position feasible */
#define W(x) ((double *)(uintptr_t)(x))
    W(b.m.pre_warp)[0] = W(b.m.suf_warp)[0] = W(b.m.pre_early)[0] = W(b.m.r_load)[0] = 0;
    W(b.m.c_late)[0] = W(b.m.suf_late)[0] = W(b.m.pre_late)[0] = W(b.m.r_maxdur)[0] = INFINITY;
#undef W
    for (size_t i = 0; i < 100; i++) b.time[i] = b.dist[i] = 1;
    int32_t start[2] = {0, 500}, *mv = malloc(500 * sizeof *mv);
    for (int i = 0; i < 500; i++) mv[i] = i < 137 ? -1 : 0;
    b.m.move_start = start, b.m.move_pos = mv;
    for (int i = 0; i < 2; i++) {
        int32_t best;
        double d;
        run_op(be[i], &b, &best, &d);
        assert_int_equal(best, 137);
        assert_true(isfinite(d));
    }
    free(mv);
    batch_free(&b);
}

/* Dense batches (every customer x every position), timed on both backends. */
static void test_dense_throughput(void **state)
{
    need_cl();
    weft_backend **be = ((pair *)*state)->be;
    batch b;
    int32_t nc = 200, np = 1100;
    random_batch(&b, 1100, nc, np, 100, 1, 0);
    int32_t best[2][200];
    double delta[2][200];
    for (int i = 0; i < 2; i++) {
        weft_vrp_dev *d = NULL;
        assert_int_equal(be[i]->ops->vrp_open(be[i], b.k, b.time, b.dist, &d), WEFT_OK);
        assert_int_equal(be[i]->ops->vrp_best_insertions(be[i], d, &b.m, best[i], delta[i]), WEFT_OK); /* warm */
        int reps = 5;
        double t0 = now_s();
        for (int r = 0; r < reps; r++)
            assert_int_equal(be[i]->ops->vrp_best_insertions(be[i], d, &b.m, best[i], delta[i]), WEFT_OK);
        double s = (now_s() - t0) / reps;
        printf("%s: %d x %d moves per batch, %.2f ms per batch, %.3g moves/s\n", be[i]->ops->name, nc, np,
               1e3 * s, (double)nc * np / s);
        be[i]->ops->vrp_close(be[i], &d);
    }
    for (int32_t c = 0; c < nc; c++) {
        assert_int_equal(best[0][c], best[1][c]);
        if (best[0][c] >= 0) assert_double_close(delta[1][c], delta[0][c], 0, 1e-9);
    }
    batch_free(&b);
}

/* A bad position index is refused with a message, on both backends. */
static void test_bad_index(void **state)
{
    weft_backend **be = ((pair *)*state)->be;
    weft_context *ctx = ((pair *)*state)->ctx;
    batch b;
    random_batch(&b, 10, 3, 5, 2, 1, 1);
    ((int32_t *)(uintptr_t)b.m.pre_last)[2] = 10; /* out of 0..9 */
    for (int i = 0; i < 2 && be[i]; i++) {
        weft_vrp_dev *d = NULL;
        int32_t best[3];
        double delta[3];
        assert_int_equal(be[i]->ops->vrp_open(be[i], b.k, b.time, b.dist, &d), WEFT_OK);
        assert_int_equal(be[i]->ops->vrp_best_insertions(be[i], d, &b.m, best, delta), WEFT_ERR_INVALID_ARG);
        assert_non_null(strstr(weft_context_last_error(ctx), "position 2"));
        be[i]->ops->vrp_close(be[i], &d);
    }
    batch_free(&b);
}

/* The same seed and iteration limit on the host path and the device path (insertions; the
 * first-improvement local search on both): the same solution. */
static void same_solve(const char *file, int64_t iters, uint64_t seed)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared(file), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    weft_vrp_solution *sol[2] = {NULL, NULL};
    const char *dev[2] = {"cpu", cl_spec};
    double secs[2];
    for (int i = 0; i < 2; i++) {
        weft_vrp_options o;
        weft_vrp_options_default(&o);
        o.iteration_limit = iters, o.seed = seed, o.device = dev[i];
        o.local_search = WEFT_VRP_LS_FIRST; /* the insertion path alone; test_vrp_ls.c has the batched search */
        weft_vrp_result res;
        int st = weft_vrp_solve(ctx, v, &o, &sol[i], &res);
        if (st) print_error("solve on %s: %s\n", dev[i], weft_context_last_error(ctx));
        assert_int_equal(st, WEFT_OK);
        assert_string_equal(res.backend, i ? "opencl" : "cpu");
        secs[i] = res.seconds;
    }
    printf("%s: %lld iterations, cost %.4f on cpu (%.2f s), %.4f on %s (%.2f s)\n", file, (long long)iters,
           sol[0]->cost, secs[0], sol[1]->cost, cl_spec, secs[1]);
    assert_true(sol[0]->cost == sol[1]->cost);
    assert_int_equal(sol[0]->n_routes, sol[1]->n_routes);
    assert_int_equal(sol[0]->n_unserved, sol[1]->n_unserved);
    assert_memory_equal(sol[0]->visits, sol[1]->visits, (size_t)sol[0]->route_start[sol[0]->n_routes] * sizeof(int32_t));
    for (int i = 0; i < 2; i++) weft_vrp_solution_destroy(ctx, &sol[i]);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

static void test_solve_r101(void **state)
{
    (void)state;
    need_cl();
    same_solve("solomon/R101.txt", 400, 1 + rng % 1000);
}

static void test_solve_rc201(void **state)
{
    (void)state;
    need_cl();
    same_solve("solomon/RC201.txt", 400, 1 + rng % 997);
}

/* 1000 customers: the near-neighbour candidates first, as on the host. */
static void test_solve_large(void **state)
{
    (void)state;
    need_cl();
    same_solve("homberger/R1_10_1.vrp", 100, 1 + rng % 991);
}

int main(void)
{
    rng = weft_test_seed();
    have_cl = weft_test_opencl_spec(cl_spec, sizeof cl_spec);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_matches_cpu), cmocka_unit_test(test_ties_lowest_index),
        cmocka_unit_test(test_dense_throughput), cmocka_unit_test(test_bad_index),
        cmocka_unit_test(test_solve_r101), cmocka_unit_test(test_solve_rc201),
        cmocka_unit_test(test_solve_large),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
