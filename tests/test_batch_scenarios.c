/* Scenarios on one DC-OPF matrix: the fill callback writes exactly the LP a grid with the scenario
 * baked in builds (A identical, vectors equal), a batch through weft_lp_solve_batch equals the
 * scenarios solved one by one as `weft dispatch` would, the generator is deterministic, and the
 * /scenarios reader round-trips. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft_test.h"
#include "core/context_internal.h"
#include "dcopf_scenario.h"
#include "kunshan.h"

typedef struct fixture {
    weft_context *ctx;
    weft_grid *g;
    weft_scenarios *sc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    weft_kunshan_options o;
    weft_kunshan_defaults(&o);
    o.n_bus = 24;
    f->ctx = weft_test_context();
    weft_context_set_device(f->ctx, "cpu");
    assert_int_equal(weft_kunshan_grid(f->ctx, &o, &f->g, NULL), WEFT_OK);
    weft_scenario_gen_options go = {6, 11, 150};
    assert_int_equal(weft_scenarios_generate(f->ctx, f->g, &go, &f->sc), WEFT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    weft_scenarios_destroy(f->ctx, &f->sc);
    weft_grid_destroy(f->ctx, &f->g);
    weft_context_destroy(&f->ctx);
    free(f);
    return 0;
}

static void assert_vectors_equal(const double *a, const double *b, int32_t n, const char *what)
{
    for (int32_t i = 0; i < n; i++) {
        if (isinf(a[i]) || isinf(b[i])) {
            if (a[i] != b[i]) fail_msg("%s[%d]: %g vs %g", what, i, a[i], b[i]);
            continue;
        }
        if (fabs(a[i] - b[i]) > 1e-12 * fmax(1, fabs(a[i]))) fail_msg("%s[%d]: %.17g vs %.17g", what, i, a[i], b[i]);
    }
}

/* fill(s) on the base model == weft_dcopf_build of the grid with scenario s baked in. */
static void check_fill_matches_bake(fixture *f, const weft_scenarios *sc)
{
    weft_dcopf *base = NULL;
    weft_dcopf_options mo = {WEFT_DC_MATPOWER, sc->periods};
    assert_int_equal(weft_dcopf_build(f->ctx, f->g, &mo, &base), WEFT_OK);
    weft_lp_problem *p = NULL;
    const weft_lp_problem *b = base->lp;
    assert_int_equal(weft_lp_problem_create(f->ctx, b->n_cols, b->n_rows, b->nnz, &p), WEFT_OK);
    p->q = weft_calloc(f->ctx, (size_t)b->n_cols, sizeof(double));
    for (int32_t s = 0; s < sc->count; s++) {
        weft_grid *gs = NULL;
        weft_dcopf *ms = NULL;
        assert_int_equal(weft_scenarios_bake(f->ctx, sc, s, f->g, &gs), WEFT_OK);
        assert_int_equal(weft_dcopf_build(f->ctx, gs, &mo, &ms), WEFT_OK);
        assert_int_equal(weft_dcopf_scenario_fill(base, sc, s, p), WEFT_OK);
        const weft_lp_problem *r = ms->lp;
        assert_int_equal(r->n_cols, b->n_cols);
        assert_int_equal(r->n_rows, b->n_rows);
        assert_int_equal(r->nnz, b->nnz);
        assert_memory_equal(r->row_ptr, b->row_ptr, sizeof(int32_t) * ((size_t)b->n_rows + 1));
        assert_memory_equal(r->col_idx, b->col_idx, sizeof(int32_t) * (size_t)b->nnz);
        assert_memory_equal(r->val, b->val, sizeof(double) * (size_t)b->nnz);
        assert_vectors_equal(p->obj, r->obj, r->n_cols, "obj");
        assert_vectors_equal(p->q, r->q, r->n_cols, "q");
        assert_vectors_equal(p->col_lo, r->col_lo, r->n_cols, "col_lo");
        assert_vectors_equal(p->col_up, r->col_up, r->n_cols, "col_up");
        assert_vectors_equal(p->row_lo, r->row_lo, r->n_rows, "row_lo");
        assert_vectors_equal(p->row_up, r->row_up, r->n_rows, "row_up");
        assert_double_close(p->offset, r->offset, 1e-14, 1e-14);
        weft_dcopf_destroy(f->ctx, &ms);
        weft_grid_destroy(f->ctx, &gs);
    }
    weft_lp_problem_destroy(f->ctx, &p);
    weft_dcopf_destroy(f->ctx, &base);
}

static void test_fill_generated(void **state)
{
    fixture *f = *state;
    /* the generator's profiles must move every kind of vector, or the check proves little */
    assert_non_null(f->sc->load_scale);
    assert_non_null(f->sc->renewable_p);
    assert_non_null(f->sc->tie_price);
    check_fill_matches_bake(f, f->sc);
}

/* The other forms of the profiles: load_p per bus and renewable_scale, with shedding forced. */
static void test_fill_other_profiles(void **state)
{
    fixture *f = *state;
    weft_scenarios *sc = NULL;
    int32_t S = 3, T = 5, nb = f->g->n_bus;
    uint64_t rng = 42;
    assert_int_equal(weft_scenarios_create(f->ctx, S, T, f->g, &sc), WEFT_OK);
    sc->load_p = weft_calloc(f->ctx, (size_t)S * T * nb, sizeof(double));
    sc->renewable_scale = weft_calloc(f->ctx, (size_t)S * T, sizeof(double));
    for (int32_t k = 0; k < S * T * nb; k++)
        sc->load_p[k] = (k % 7 == 0) ? 0 : weft_test_uniform(&rng, 0, 30); /* zeros: no shedding column */
    for (int32_t k = 0; k < S * T; k++) sc->renewable_scale[k] = weft_test_uniform(&rng, 0, 2.5);
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "test"), WEFT_OK);
    check_fill_matches_bake(f, sc);
    weft_scenarios_destroy(f->ctx, &sc);
}

typedef struct batch_user {
    fixture *f;
    weft_dcopf *m;
    double *objective, *lmp;
    int32_t *outcome;
} batch_user;

static int fill_cb(void *user, int32_t index, weft_lp_problem *p)
{
    batch_user *u = user;
    return weft_dcopf_scenario_fill(u->m, u->f->sc, index, p);
}

static int done_cb(void *user, int32_t index, const weft_lp_result *r)
{
    batch_user *u = user;
    weft_dcopf_scenario_result x;
    int st = weft_dcopf_scenario_result_make(u->f->ctx, u->m, u->f->sc, index, r, &x);
    if (st) return st;
    size_t per = (size_t)u->m->T * (size_t)u->f->g->n_bus;
    u->objective[index] = x.objective;
    u->outcome[index] = x.outcome;
    memcpy(u->lmp + per * (size_t)index, x.lmp, per * sizeof(double));
    weft_free(u->f->ctx, x.lmp);
    return WEFT_OK;
}

/* The batch path against weft dispatch's path (build + solve of the baked grid), scenario by scenario. */
static void test_batch_equals_one_by_one(void **state)
{
    fixture *f = *state;
    int32_t S = f->sc->count, nb = f->g->n_bus;
    weft_dcopf_options mo = {WEFT_DC_MATPOWER, f->sc->periods};
    batch_user u = {f, NULL, NULL, NULL, NULL};
    assert_int_equal(weft_dcopf_build(f->ctx, f->g, &mo, &u.m), WEFT_OK);
    size_t per = (size_t)u.m->T * (size_t)nb;
    u.objective = calloc((size_t)S, sizeof(double));
    u.outcome = calloc((size_t)S, sizeof(int32_t));
    u.lmp = calloc((size_t)S * per, sizeof(double));
    weft_lp_batch_options o;
    weft_lp_batch_options_default(&o);
    o.lp.tol = 1e-7;
    o.batch_size = 4;
    o.on_done = done_cb;
    o.user = &u;
    weft_lp_batch_source src = {S, u.m->lp, fill_cb, &u};
    assert_int_equal(weft_lp_solve_batch(f->ctx, &src, &o), WEFT_OK);
    double lmp_scale = 0;
    for (size_t k = 0; k < (size_t)S * per; k++) lmp_scale = fmax(lmp_scale, fabs(u.lmp[k]));
    for (int32_t s = 0; s < S; s++) {
        weft_grid *gs = NULL;
        weft_dcopf *ms = NULL;
        weft_lp_result r;
        weft_dcopf_result d;
        assert_int_equal(u.outcome[s], WEFT_LP_OPTIMAL);
        assert_int_equal(weft_scenarios_bake(f->ctx, f->sc, s, f->g, &gs), WEFT_OK);
        assert_int_equal(weft_dcopf_build(f->ctx, gs, &mo, &ms), WEFT_OK);
        assert_int_equal(weft_lp_solve(f->ctx, ms->lp, &o.lp, &r), WEFT_OK);
        assert_int_equal(r.outcome, WEFT_LP_OPTIMAL);
        assert_int_equal(weft_dcopf_extract(f->ctx, ms, r.x, r.y, r.z, r.objective, &d), WEFT_OK);
        /* both are within 1e-7 relative KKT of the optimum: costs agree to a few times that */
        assert_double_close(u.objective[s], d.objective, 1e-5, 1e-6);
        for (size_t k = 0; k < per; k++)
            if (!isnan(d.lmp[k])) assert_double_close(u.lmp[(size_t)s * per + k], d.lmp[k], 0, 1e-3 * lmp_scale);
        weft_dcopf_result_free(f->ctx, &d);
        weft_lp_result_free(f->ctx, &r);
        weft_dcopf_destroy(f->ctx, &ms);
        weft_grid_destroy(f->ctx, &gs);
    }
    /* the draws differ: a batch of identical problems would prove nothing */
    assert_true(fabs(u.objective[0] - u.objective[1]) > 1e-3 * fabs(u.objective[0]));
    free(u.objective);
    free(u.outcome);
    free(u.lmp);
    weft_dcopf_destroy(f->ctx, &u.m);
}

static void test_generator_deterministic(void **state)
{
    fixture *f = *state;
    weft_scenarios *a = NULL, *b = NULL, *c = NULL;
    weft_scenario_gen_options o = {6, 11, 150}, longer = {9, 11, 150}, other = {6, 12, 150};
    assert_int_equal(weft_scenarios_generate(f->ctx, f->g, &o, &a), WEFT_OK);
    assert_int_equal(weft_scenarios_generate(f->ctx, f->g, &longer, &b), WEFT_OK);
    assert_int_equal(weft_scenarios_generate(f->ctx, f->g, &other, &c), WEFT_OK);
    size_t n = (size_t)6 * 24;
    assert_memory_equal(a->load_scale, f->sc->load_scale, n * sizeof(double));
    assert_memory_equal(a->load_scale, b->load_scale, n * sizeof(double)); /* day s does not depend on --days */
    assert_true(memcmp(a->load_scale, c->load_scale, n * sizeof(double)) != 0);
    assert_int_equal(weft_scenarios_validate(f->ctx, b, f->g, "gen"), WEFT_OK);
    weft_scenarios_destroy(f->ctx, &a);
    weft_scenarios_destroy(f->ctx, &b);
    weft_scenarios_destroy(f->ctx, &c);
}

static void test_h5_round_trip(void **state)
{
    fixture *f = *state;
    char grid[] = "/tmp/weft_test_scen_grid_XXXXXX", path[64];
    int fd = mkstemp(grid);
    assert_true(fd >= 0);
    snprintf(path, sizeof path, "%s.scen.h5", grid);
    assert_int_equal(weft_grid_write_h5(f->ctx, f->g, grid), WEFT_OK);
    assert_int_equal(weft_scenarios_write_h5(f->ctx, f->sc, grid, 1, path), WEFT_OK);
    weft_grid *g2 = NULL;
    weft_scenarios *s2 = NULL;
    assert_int_equal(weft_grid_read_h5(f->ctx, path, &g2), WEFT_OK);
    assert_int_equal(weft_scenarios_read_h5(f->ctx, path, g2, &s2), WEFT_OK);
    assert_int_equal(s2->count, f->sc->count);
    assert_int_equal(s2->periods, 24);
    assert_null(s2->load_p);
    size_t n = (size_t)s2->count * 24;
    assert_memory_equal(s2->load_scale, f->sc->load_scale, n * sizeof(double));
    assert_memory_equal(s2->renewable_p, f->sc->renewable_p, n * (size_t)f->g->n_renewable * sizeof(double));
    assert_memory_equal(s2->tie_price, f->sc->tie_price, n * (size_t)f->g->n_tie * sizeof(double));
    assert_string_equal(s2->name[3], f->sc->name[3]);
    /* the grid's own reader ignores /scenarios: weft dispatch reads the same file */
    assert_int_equal(g2->n_bus, f->g->n_bus);
    weft_scenarios_destroy(f->ctx, &s2);
    weft_grid_destroy(f->ctx, &g2);
    remove(path);
    remove(grid);
}

static void test_validate_messages(void **state)
{
    fixture *f = *state;
    weft_scenarios *sc = NULL;
    int32_t nb = f->g->n_bus;
    assert_int_equal(weft_scenarios_create(f->ctx, 4, 6, f->g, &sc), WEFT_OK);
    sc->load_p = weft_calloc(f->ctx, (size_t)4 * 6 * nb, sizeof(double));
    sc->load_p[((size_t)3 * 6 + 5) * nb + 0] = NAN;
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "F"), WEFT_ERR_BAD_INPUT);
    assert_string_equal(weft_context_last_error(f->ctx), "F: /scenarios/load_p[3,5,0] = nan (must be finite)");
    sc->load_p[((size_t)3 * 6 + 5) * nb + 0] = 0;
    sc->load_p[((size_t)1 * 6 + 2) * nb + 4] = -1;
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "F"), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(f->ctx), "/scenarios/load_p[1,2,4] = -1 is negative"));
    sc->load_p[((size_t)1 * 6 + 2) * nb + 4] = 1e300; /* a 1e308 tie price ended in a numerical error */
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "F"), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(f->ctx), "/scenarios/load_p[1,2,4] = 1e+300 is out of range"));
    sc->load_p[((size_t)1 * 6 + 2) * nb + 4] = 1;
    sc->load_scale = weft_calloc(f->ctx, 24, sizeof(double));
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "F"), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(f->ctx), "both load_scale and load_p"));
    weft_free(f->ctx, sc->load_scale);
    sc->load_scale = NULL;
    sc->renewable_p = weft_calloc(f->ctx, (size_t)4 * 6 * f->g->n_renewable, sizeof(double));
    sc->renewable_p[2] = f->g->ren_capacity[2] * 2 + 1;
    assert_int_equal(weft_scenarios_validate(f->ctx, sc, f->g, "F"), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(f->ctx), "/scenarios/renewable_p[0,0,2]"));
    weft_scenarios_destroy(f->ctx, &sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_generated),
        cmocka_unit_test(test_fill_other_profiles),
        cmocka_unit_test(test_batch_equals_one_by_one),
        cmocka_unit_test(test_generator_deterministic),
        cmocka_unit_test(test_h5_round_trip),
        cmocka_unit_test(test_validate_messages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
