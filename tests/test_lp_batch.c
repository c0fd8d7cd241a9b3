/* weft_lp_solve_batch's blocked engine: a batch equals the same problems solved one by one with
 * weft_lp_solve (same outcome, objective within what the tolerance allows), on the cpu backend and
 * on OpenCL when a device exists (else a printed SKIP), and the two backends agree. Variants of
 * small netlib LPs (and a diagonal QP) share A and differ in costs, row bounds and column bounds;
 * slots refill, one problem is infeasible, limits hold per problem, warm starts pay, and a failing
 * callback, source or allocation stops the batch with its status. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "failing_alloc.h"
#include "lp/batch_internal.h"
#include "lp_reference.h"
#include "weft_test.h"

static char device[32] = "cpu";

/* A family of variants of one problem: variant i scales the costs and finite row bounds by
 * smooth factors of i (neighbours are close), optionally adds a diagonal q, and one variant may be
 * made infeasible (every column fixed at 0, one row forced to 1) or fail to fill. */
typedef struct family {
    weft_lp_problem *base;
    double amp;
    int qp;
    int32_t infeasible, fail_at;
} family;

static double wave(int32_t i, int32_t j, double phase) { return sin(0.37 * i + 0.91 * j + phase); }

static int fill(void *user, int32_t i, weft_lp_problem *p)
{
    const family *f = user;
    const weft_lp_problem *b = f->base;
    if (i == f->fail_at) return WEFT_ERR_IO;
    p->offset = b->offset;
    for (int32_t j = 0; j < b->n_cols; j++) {
        p->obj[j] = b->obj[j] * (1 + f->amp * wave(i, j, 0));
        p->col_lo[j] = b->col_lo[j];
        p->col_up[j] = b->col_up[j];
        if (p->q) p->q[j] = f->qp ? 0.05 + 0.1 * fabs(b->obj[j]) : 0;
    }
    for (int32_t r = 0; r < b->n_rows; r++) {
        double s = 1 + f->amp * wave(i, r, 1.3);
        p->row_lo[r] = b->row_lo[r] * s;
        p->row_up[r] = b->row_up[r] * s;
    }
    if (i == f->infeasible) {
        for (int32_t j = 0; j < b->n_cols; j++) p->col_lo[j] = p->col_up[j] = 0;
        int32_t r = 0;
        while (b->row_ptr[r + 1] == b->row_ptr[r]) r++;
        p->row_lo[r] = p->row_up[r] = 1;
    }
    return WEFT_OK;
}

static weft_lp_problem *read_base(weft_context *ctx, const char *name, int qp)
{
    char rel[64];
    snprintf(rel, sizeof rel, "netlib/%s.mps", name);
    weft_lp_problem *p = NULL;
    /* a name with a directory is one of the tests' own files */
    const char *path = strchr(name, '/') ? weft_test_data(name) : weft_test_shared(rel);
    assert_int_equal(weft_mps_read(ctx, path, &p), WEFT_OK);
    if (qp && !p->q) p->q = weft_calloc(ctx, (size_t)p->n_cols, sizeof(double)); /* the problem frees it */
    return p;
}

/* What on_done saw, by problem index. */
typedef struct seen {
    int32_t count;
    int calls, stop_after;
    weft_lp_outcome out[64];
    double obj[64];
    int64_t iters[64];
    int reported[64];
} seen;

static int on_done(void *user, int32_t index, const weft_lp_result *r)
{
    seen *s = user;
    assert_true(index >= 0 && index < s->count && index < 64);
    assert_false(s->reported[index]);
    s->reported[index] = 1;
    s->out[index] = r->outcome;
    s->obj[index] = r->objective;
    s->iters[index] = r->iterations;
    assert_non_null(r->x);
    assert_true(r->spmv >= 2 * r->iterations);
    return ++s->calls == s->stop_after ? WEFT_ERR_INTERNAL : WEFT_OK;
}

/* The engine every test runs: main() runs the tests once with each. */
static int engine = WEFT_LP_BATCH_BLOCKED;

static void batch_options(weft_lp_batch_options *o, int32_t k, double tol, seen *s)
{
    weft_lp_batch_options_default(o);
    o->engine = engine;
    o->batch_size = k;
    o->lp.tol = tol;
    o->lp.iteration_limit = 100000;
    o->on_done = on_done;
    o->user = s;
}

static int run_batch(weft_context *ctx, family *f, int32_t count, const weft_lp_batch_options *o, seen *s)
{
    memset(s->reported, 0, sizeof s->reported);
    s->count = count;
    s->calls = 0;
    weft_lp_batch_source src = {count, f->base, fill, f};
    assert_int_equal(weft_context_set_device(ctx, device), WEFT_OK);
    return weft_lp_solve_batch(ctx, &src, o);
}

/* What every test holds: a context, a family of variants, what on_done saw, the options. */
typedef struct fixture {
    weft_context *ctx;
    family f;
    seen s;
    weft_lp_batch_options o;
} fixture;

static void fixture_open(fixture *x, const char *name, int qp, double amp, int32_t k, double tol)
{
    memset(x, 0, sizeof *x);
    x->ctx = weft_test_context();
    if (engine == WEFT_LP_BATCH_PARALLEL) weft_context_set_threads(x->ctx, 2); /* two workers even on one core */
    x->f = (family){read_base(x->ctx, name, qp), amp, qp, -1, -1};
    batch_options(&x->o, k, tol, &x->s);
}

static int fixture_run(fixture *x, int32_t count) { return run_batch(x->ctx, &x->f, count, &x->o, &x->s); }

static void fixture_close(fixture *x)
{
    weft_lp_problem_destroy(x->ctx, &x->f.base);
    weft_context_destroy(&x->ctx);
}

/* Each variant alone through weft_lp_solve: same outcome, objective as close as tol allows. */
static void check_against_single(weft_context *ctx, family *f, const seen *s, const weft_lp_options *lo,
                                 int all_cold)
{
    weft_lp_problem *p = NULL;
    assert_int_equal(weft_lp_problem_create(ctx, f->base->n_cols, f->base->n_rows, f->base->nnz, &p), WEFT_OK);
    memcpy(p->row_ptr, f->base->row_ptr, sizeof(int32_t) * ((size_t)p->n_rows + 1));
    memcpy(p->col_idx, f->base->col_idx, sizeof(int32_t) * (size_t)p->nnz);
    memcpy(p->val, f->base->val, sizeof(double) * (size_t)p->nnz);
    p->sense = f->base->sense;
    if (f->base->q) p->q = weft_calloc(ctx, (size_t)p->n_cols, sizeof(double));
    int64_t batch_it = 0, single_it = 0;
    weft_lp_options so = *lo;
    so.presolve = 0; /* the batch engines solve the problems as given */
    for (int32_t i = 0; i < s->count; i++) {
        assert_true(s->reported[i]);
        assert_int_equal(fill(f, i, p), WEFT_OK);
        weft_lp_result r;
        assert_int_equal(weft_lp_solve(ctx, p, &so, &r), WEFT_OK);
        if (r.outcome != s->out[i])
            fail_msg("variant %d: batch %s, single %s", i, weft_lp_outcome_string(s->out[i]),
                     weft_lp_outcome_string(r.outcome));
        if (r.outcome == WEFT_LP_OPTIMAL) /* both within tol of the optimum: 10 tol apart at most */
            assert_double_close(s->obj[i], r.objective, 10 * lo->tol, 10 * lo->tol);
        if (r.outcome == WEFT_LP_ITERATION_LIMIT) assert_int_equal(s->iters[i], r.iterations);
        batch_it += s->iters[i];
        single_it += r.iterations;
        weft_lp_result_free(ctx, &r);
    }
    printf("%d variants: %lld iterations in the batch, %lld one by one (cold)\n", s->count,
           (long long)batch_it, (long long)single_it);
    /* started cold (no warm starts), a problem in a batch runs the single solve's algorithm: only
     * the order of a few sums differs, which may move a restart, not the iteration count as a
     * whole */
    if (all_cold) assert_double_close((double)batch_it, (double)single_it, 0.1, 0);
    weft_lp_problem_destroy(ctx, &p);
}

static void matches_single(const char *name, int qp, int32_t count, int32_t k, double tol, int warm)
{
    fixture x;
    fixture_open(&x, name, qp, 0.05, k, tol);
    x.o.warm_start = warm;
    int st = fixture_run(&x, count);
    if (st) fail_msg("batch: %s", weft_context_last_error(x.ctx));
    assert_int_equal(x.s.calls, count);
    check_against_single(x.ctx, &x.f, &x.s, &x.o.lp, !warm);
    fixture_close(&x);
}

static void lp_afiro(void **state) { matches_single("afiro", 0, 10, 4, 1e-7, 1); }
static void lp_sc50a(void **state) { matches_single("sc50a", 0, 6, 6, 1e-6, 0); }
static void qp_adlittle(void **state) { matches_single("adlittle", 1, 5, 3, 1e-6, 1); }
/* batch_size past the count, and 2 slots for 7 problems (every slot refilled several times) */
static void wide_batch(void **state) { matches_single("blend", 0, 3, 8, 1e-6, 0); }
static void refill(void **state) { matches_single("sc50a", 0, 7, 2, 1e-6, 1); }
static void refill_cold(void **state) { matches_single("afiro", 0, 7, 2, 1e-6, 0); }

static void infeasible_among_feasible(void **state)
{
    fixture x;
    fixture_open(&x, "afiro", 0, 0.05, 3, 1e-6);
    x.f.infeasible = 2;
    assert_int_equal(fixture_run(&x, 6), WEFT_OK);
    assert_int_equal(x.s.out[2], WEFT_LP_PRIMAL_INFEASIBLE);
    for (int i = 0; i < 6; i++)
        if (i != 2) assert_int_equal(x.s.out[i], WEFT_LP_OPTIMAL);
    check_against_single(x.ctx, &x.f, &x.s, &x.o.lp, 0);
    fixture_close(&x);
}

/* test_lp's degenerate LPs (three copies each, two slots): the verdicts and optima of GLPK's
 * simplex, through the batch's own ray and weight code. */
static void degenerate(void **state)
{
    static const char *const files[] = {"lp/unbounded_noise_drift.mps", "lp/rounding_farkas.mps",
                                        "lp/weight_runaway.mps"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        fixture x;
        fixture_open(&x, files[k], 0, 0, 2, 1e-9);
        x.o.lp.iteration_limit = 400000;
        double ref_obj;
        weft_lp_outcome ref = lp_reference_solve(x.f.base, &ref_obj);
        assert_int_equal(fixture_run(&x, 3), WEFT_OK);
        for (int i = 0; i < 3; i++) {
            assert_int_equal(x.s.out[i], ref);
            if (ref == WEFT_LP_OPTIMAL) assert_double_close(x.s.obj[i], ref_obj, 1e-7, 1e-7);
        }
        fixture_close(&x);
    }
}

/* A limit off the check grid (100 is not a multiple of 64) stops each problem where it would
 * stop alone. */
static void iteration_limit(void **state)
{
    fixture x;
    fixture_open(&x, "afiro", 0, 0.05, 3, 1e-9);
    x.o.lp.iteration_limit = 100;
    assert_int_equal(fixture_run(&x, 5), WEFT_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(x.s.out[i], WEFT_LP_ITERATION_LIMIT);
        assert_int_equal(x.s.iters[i], 100);
    }
    check_against_single(x.ctx, &x.f, &x.s, &x.o.lp, 0);
    fixture_close(&x);
}

static int64_t total_iterations(const seen *s)
{
    int64_t t = 0;
    for (int32_t i = 0; i < s->count; i++) t += s->iters[i];
    return t;
}

/* Neighbouring variants: starting each from the nearest finished solution costs fewer
 * iterations in all than starting each cold. */
static void warm_start_pays(void **state)
{
    fixture x;
    fixture_open(&x, "sc50a", 0, 0.01, 2, 1e-6);
    x.o.warm_start = 0;
    assert_int_equal(fixture_run(&x, 12), WEFT_OK);
    int64_t cold = total_iterations(&x.s);
    x.o.warm_start = 1;
    assert_int_equal(fixture_run(&x, 12), WEFT_OK);
    int64_t warm = total_iterations(&x.s);
    printf("sc50a x 12, 2 slots: %lld iterations cold, %lld warm\n", (long long)cold, (long long)warm);
    assert_true(warm < cold);
    fixture_close(&x);
}

static void callback_and_source_errors(void **state)
{
    fixture x;
    fixture_open(&x, "afiro", 0, 0.05, 3, 1e-6);
    x.s.stop_after = 2;
    assert_int_equal(fixture_run(&x, 8), WEFT_ERR_INTERNAL);
    assert_int_equal(x.s.calls, 2); /* nothing reported after the refusal */
    x.s.stop_after = 0;
    x.f.fail_at = 4;
    assert_int_equal(fixture_run(&x, 8), WEFT_ERR_IO);
    assert_true(x.s.calls < 8);
    fixture_close(&x);
}

/* Every allocation of a batch failing in turn: an error status, nothing leaked (ASan), and at
 * the end a run that succeeds. */
static void allocation_failures(void **state)
{
    fixture x;
    fixture_open(&x, "afiro", 0, 0.05, 2, 1e-4);
    int ok = 0;
    for (long k = 0; !ok && k < 2000; k++) {
        failing_alloc fa = {k};
        weft_allocator a = FAILING_ALLOCATOR(&fa);
        weft_context *ctx = NULL;
        if (weft_context_create(&ctx, &a) != WEFT_OK) continue;
        int st = run_batch(ctx, &x.f, 3, &x.o, &x.s);
        if (st == WEFT_OK) ok = 1;
        else assert_true(st < 0);
        weft_context_destroy(&ctx);
    }
    assert_true(ok);
    fixture_close(&x);
}

/* The same batch on the cpu backend and on OpenCL: same outcomes, objectives within the tolerance,
 * and (products summed in the same order) iteration counts within a few checks. */
static void backends_agree(void **state)
{
    fixture x;
    fixture_open(&x, "adlittle", 1, 0.05, 3, 1e-6);
    x.f.infeasible = 3;
    seen cl;
    assert_int_equal(fixture_run(&x, 7), WEFT_OK);
    cl = x.s;
    char spec[32];
    memcpy(spec, device, sizeof spec);
    snprintf(device, sizeof device, "cpu");
    assert_int_equal(fixture_run(&x, 7), WEFT_OK);
    memcpy(device, spec, sizeof spec);
    assert_int_equal(x.s.out[3], WEFT_LP_PRIMAL_INFEASIBLE);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(cl.out[i], x.s.out[i]);
        if (x.s.out[i] == WEFT_LP_OPTIMAL) assert_double_close(cl.obj[i], x.s.obj[i], 10 * x.o.lp.tol, 10 * x.o.lp.tol);
    }
    assert_double_close((double)total_iterations(&cl), (double)total_iterations(&x.s), 0.1, 0);
    fixture_close(&x);
}

/* Problem i scales the row bounds of sc50a by 1 + 0.01 t_i, t a shuffle of 0..10: the data lie on
 * a line (and so do their sketches, which are linear), and the visiting order walks it from one
 * end to the other. A fill error on the way stops it with its status. */
static const int32_t shuffle[11] = {4, 9, 0, 6, 1, 10, 3, 8, 5, 2, 7};

static int fill_line(void *user, int32_t i, weft_lp_problem *p)
{
    const family *f = user;
    if (i == f->fail_at) return WEFT_ERR_IO;
    memcpy(p->obj, f->base->obj, sizeof(double) * (size_t)p->n_cols);
    memcpy(p->col_lo, f->base->col_lo, sizeof(double) * (size_t)p->n_cols);
    memcpy(p->col_up, f->base->col_up, sizeof(double) * (size_t)p->n_cols);
    for (int32_t r = 0; r < p->n_rows; r++) {
        p->row_lo[r] = f->base->row_lo[r] * (1 + 0.01 * shuffle[i]);
        p->row_up[r] = f->base->row_up[r] * (1 + 0.01 * shuffle[i]);
    }
    return WEFT_OK;
}

static void visiting_order(void **state)
{
    fixture x;
    fixture_open(&x, "sc50a", 0, 0, 2, 1e-6);
    weft_lp_batch_source src = {11, x.f.base, fill_line, &x.f};
    int32_t *order = NULL;
    assert_int_equal(lp_batch_order_create(x.ctx, &src, &order), WEFT_OK);
    int step = shuffle[order[1]] > shuffle[order[0]] ? 1 : -1;
    for (int32_t k = 1; k < 11; k++) assert_int_equal(shuffle[order[k]], shuffle[order[k - 1]] + step);
    weft_free(x.ctx, order);
    x.f.fail_at = 5;
    assert_int_equal(lp_batch_order_create(x.ctx, &src, &order), WEFT_ERR_IO);
    assert_null(order);
    fixture_close(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lp_afiro),           cmocka_unit_test(lp_sc50a),
        cmocka_unit_test(qp_adlittle),        cmocka_unit_test(wide_batch),
        cmocka_unit_test(refill),             cmocka_unit_test(refill_cold),
        cmocka_unit_test(infeasible_among_feasible), cmocka_unit_test(degenerate),
        cmocka_unit_test(iteration_limit),    cmocka_unit_test(warm_start_pays),
        cmocka_unit_test(callback_and_source_errors),
    };
    const struct CMUnitTest cpu_only[] = {cmocka_unit_test(allocation_failures), cmocka_unit_test(visiting_order)};
    int fails = cmocka_run_group_tests_name("lp batch cpu", tests, NULL, NULL);
    fails += cmocka_run_group_tests_name("lp batch cpu allocation", cpu_only, NULL, NULL);
    /* the same tests on the PARALLEL engine (single solves on two threads): the cpu default */
    engine = WEFT_LP_BATCH_PARALLEL;
    fails += cmocka_run_group_tests_name("lp batch cpu parallel", tests, NULL, NULL);
    engine = WEFT_LP_BATCH_BLOCKED;
    const struct CMUnitTest cross[] = {cmocka_unit_test(backends_agree)};
    if (weft_test_opencl_spec(device, sizeof device)) {
        fails += cmocka_run_group_tests_name("lp batch opencl", tests, NULL, NULL);
        fails += cmocka_run_group_tests_name("lp batch opencl against cpu", cross, NULL, NULL);
    }
    return fails;
}
