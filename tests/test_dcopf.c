/* DC-OPF on grids whose optimum is worked out by hand (in the comments), on the CPU backend and on
 * OpenCL when a device exists (else a printed SKIP); PGLib DC values reproduced under the PowerModels
 * convention to the digits BASELINE.md shows; the MPS export solves to the same optimum in Clp. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dcopf.h"
#include "weft/grid.h"
#include "weft_test.h"

static char device[32] = "cpu";

typedef struct solved {
    weft_context *ctx;
    weft_grid *g;
    weft_dcopf *m;
    weft_lp_result lp;
    weft_dcopf_result r;
} solved;

static weft_grid *new_grid(weft_context *ctx, weft_grid_sizes s)
{
    weft_grid *g = NULL;
    assert_int_equal(weft_grid_create(ctx, &s, &g), WEFT_OK);
    return g;
}

static void solve(solved *s, weft_dc_convention conv, double tol)
{
    weft_dcopf_options o = {conv, 0};
    weft_lp_options lo;
    assert_int_equal(weft_context_set_device(s->ctx, device), WEFT_OK);
    int st = weft_dcopf_build(s->ctx, s->g, &o, &s->m);
    if (st) fail_msg("build: %s", weft_context_last_error(s->ctx));
    weft_lp_options_default(&lo);
    lo.tol = tol;
    assert_int_equal(weft_lp_solve(s->ctx, s->m->lp, &lo, &s->lp), WEFT_OK);
    assert_int_equal(s->lp.outcome, WEFT_LP_OPTIMAL);
    assert_int_equal(weft_dcopf_extract(s->ctx, s->m, s->lp.x, s->lp.y, s->lp.z, s->lp.objective, &s->r), WEFT_OK);
}

static void release(solved *s)
{
    weft_dcopf_result_free(s->ctx, &s->r);
    weft_lp_result_free(s->ctx, &s->lp);
    weft_dcopf_destroy(s->ctx, &s->m);
    weft_grid_destroy(s->ctx, &s->g);
    weft_context_destroy(&s->ctx);
}

/* Three buses in a triangle, equal reactances. A (bus 1, 10/MWh) and B (bus 2, 30/MWh) serve 150 MW
 * at bus 3; line 1-3 is limited to 80 MW. Flow on 1-3 is 2/3 of bus 1's injection plus 1/3 of bus
 * 2's, so A = 90, B = 60, cost 900 + 1800 + 5 (A's constant) = 2705. LMPs: 10 and 30 at the
 * generator buses; at bus 3 one more MW needs A -1, B +2 to keep 1-3 at 80, so 50. Line 1-3's
 * shadow price mu: 10 = 50 - 2/3 mu gives 60. Flows 1-2: 10, 2-3: 70, 1-3: 80. */
static weft_grid *triangle(weft_context *ctx)
{
    weft_grid *g = new_grid(ctx, (weft_grid_sizes){1, 3, 3, 2, 0, 0, 0, 0});
    for (int i = 0; i < 3; i++) g->bus_id[i] = i + 1;
    g->bus_type[2] = WEFT_BUS_REF;
    int from[3] = {0, 1, 0}, to[3] = {1, 2, 2};
    for (int i = 0; i < 3; i++) g->br_from[i] = from[i], g->br_to[i] = to[i], g->br_x[i] = 0.1, g->br_r[i] = 0.02;
    g->br_rate_a[2] = 80;
    g->gen_bus[1] = 1;
    g->gen_pmax[0] = g->gen_pmax[1] = 300;
    g->gen_c1[0] = 10, g->gen_c1[1] = 30, g->gen_c0[0] = 5;
    g->load[2] = 150;
    return g;
}

static void check_triangle(solved *s)
{
    assert_double_close(s->r.objective, 2705, 1e-6, 0);
    assert_double_close(s->r.pg[0], 90, 1e-5, 1e-4);
    assert_double_close(s->r.pg[1], 60, 1e-5, 1e-4);
    assert_double_close(s->r.lmp[0], 10, 1e-5, 1e-4);
    assert_double_close(s->r.lmp[1], 30, 1e-5, 1e-4);
    assert_double_close(s->r.lmp[2], 50, 1e-5, 1e-4);
    assert_double_close(s->r.flow[0], 10, 1e-5, 1e-4);
    assert_double_close(s->r.flow[1], 70, 1e-5, 1e-4);
    assert_double_close(s->r.flow[2], 80, 1e-5, 1e-4);
    assert_double_close(s->r.mu_flow[2], 60, 1e-5, 1e-4);
    assert_double_close(s->r.mu_flow[0], 0, 0, 1e-4);
    assert_int_equal(s->r.n_binding, 1);
    assert_int_equal(s->r.binding_branch[0], 2);
    assert_double_close(s->r.theta[2], 0, 0, 0);
    assert_double_close(s->r.shed[2], 0, 0, 1e-5);
}

static void congested_triangle(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = triangle(s.ctx);
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    check_triangle(&s);
    /* angle: 80 MW = 0.8 p.u. on b = 10 p.u. is 0.08 rad */
    assert_double_close(s.r.theta[0], 0.08 * 180 / M_PI, 1e-5, 1e-6);
    release(&s);
    /* PowerModels' b = x/(r^2+x^2) changes angles, not this dispatch (equal lines) */
    s = (solved){.ctx = weft_test_context()};
    s.g = triangle(s.ctx);
    solve(&s, WEFT_DC_POWERMODELS, 1e-9);
    check_triangle(&s);
    assert_double_close(s.r.theta[0], 0.8 * (0.02 * 0.02 + 0.01) / 0.1 * 180 / M_PI, 1e-5, 1e-6);
    release(&s);
}

/* One line 1-2 with x = 0.1, tap 0.95 and a phase shift of -10 degrees, 50 MW carried.
 * MATPOWER: 0.5 = (theta1 - theta2 + 10 deg) / (0.1 x 0.95), so theta2 = 10 deg - 0.0475 rad.
 * PowerModels ignores tap and shift: 0.5 = 10 (theta1 - theta2), theta2 = -0.05 rad. */
static weft_grid *shifter(weft_context *ctx)
{
    weft_grid *g = new_grid(ctx, (weft_grid_sizes){1, 2, 1, 1, 0, 0, 0, 0});
    g->bus_type[0] = WEFT_BUS_REF;
    g->br_to[0] = 1, g->br_x[0] = 0.1, g->br_shift[0] = -10, g->br_tap[0] = 0.95;
    g->gen_pmax[0] = 100, g->gen_c1[0] = 20;
    g->load[1] = 50;
    return g;
}

static void phase_shift_and_tap(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = shifter(s.ctx);
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.flow[0], 50, 1e-6, 1e-5);
    assert_double_close(s.r.theta[1], 10 - 0.0475 * 180 / M_PI, 1e-5, 1e-5);
    release(&s);
    s = (solved){.ctx = weft_test_context()};
    s.g = shifter(s.ctx);
    solve(&s, WEFT_DC_POWERMODELS, 1e-9);
    assert_double_close(s.r.flow[0], 50, 1e-6, 1e-5);
    assert_double_close(s.r.theta[1], -0.05 * 180 / M_PI, 1e-5, 1e-5);
    release(&s);
}

/* Quadratic and piecewise-linear costs on one bus, 150 MW of load. Gen Q: 0.01 p^2 + 10 p;
 * gen P: points (0,0) (50,500) (100,1500), i.e. 10/MWh then 20/MWh; gen L: 15/MWh.
 * Merit order: P's first 50 MW at 10 and Q up to marginal 15 (p = 250 -> capped at 60 MW here,
 * marginal 11.2), then L at 15: Q = 60, P = 50, L = 40. Cost: 36 + 600 + 500 + 600 = 1736; LMP 15. */
static void quadratic_and_pwl(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = new_grid(s.ctx, (weft_grid_sizes){1, 1, 0, 3, 3, 0, 0, 0});
    s.g->bus_type[0] = WEFT_BUS_REF;
    s.g->gen_pmax[0] = 60, s.g->gen_c2[0] = 0.01, s.g->gen_c1[0] = 10;
    s.g->gen_pmax[1] = 100, s.g->gen_cost_model[1] = WEFT_COST_PWL;
    double mw[3] = {0, 50, 100}, cost[3] = {0, 500, 1500};
    for (int k = 0; k < 3; k++) s.g->pwl_gen[k] = 1, s.g->pwl_mw[k] = mw[k], s.g->pwl_cost[k] = cost[k];
    s.g->gen_pmax[2] = 200, s.g->gen_c1[2] = 15;
    s.g->load[0] = 150;
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.objective, 1736, 1e-6, 0);
    assert_double_close(s.r.pg[0], 60, 1e-5, 1e-4);
    assert_double_close(s.r.pg[1], 50, 1e-5, 1e-4);
    assert_double_close(s.r.pg[2], 40, 1e-5, 1e-4);
    assert_double_close(s.r.lmp[0], 15, 1e-5, 1e-4);
    release(&s);
}

/* Two hours on one bus, 100 MW each. A tie-line sells at 10 in hour 0 and 50 in hour 1; a local
 * unit costs 40. A battery (50 MW, 100 MWh, charge efficiency 0.9, empty at both ends) charges
 * 50 MW in hour 0 (45 MWh stored) and gives back 45 MW in hour 1: worth it, since 1 MWh bought at
 * 10 saves 0.9 x 40 = 36. Cost: 150 x 10 + 55 x 40 = 3700; LMPs 10 then 40. */
static void storage_shifts_energy(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = new_grid(s.ctx, (weft_grid_sizes){2, 1, 0, 1, 0, 1, 0, 1});
    weft_grid *g = s.g;
    g->bus_type[0] = WEFT_BUS_REF;
    g->gen_pmax[0] = 200, g->gen_c1[0] = 40;
    g->load[0] = g->load[1] = 100;
    g->tie_import_max[0] = 200, g->tie_price[0] = 10, g->tie_price[1] = 50;
    g->sto_charge_max[0] = g->sto_discharge_max[0] = 50, g->sto_energy_max[0] = 100;
    g->sto_eta_charge[0] = 0.9;
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.objective, 3700, 1e-6, 0);
    assert_double_close(s.r.charge[0], 50, 1e-5, 1e-4);
    assert_double_close(s.r.soc[0], 45, 1e-5, 1e-4);
    assert_double_close(s.r.discharge[1], 45, 1e-5, 1e-4);
    assert_double_close(s.r.soc[1], 0, 0, 1e-4);
    assert_double_close(s.r.tie[0], 150, 1e-5, 1e-4);
    assert_double_close(s.r.tie[1], 0, 0, 1e-4);
    assert_double_close(s.r.pg[1], 55, 1e-5, 1e-4);
    assert_double_close(s.r.lmp[0], 10, 1e-5, 1e-4);
    assert_double_close(s.r.lmp[1], 40, 1e-5, 1e-4);
    release(&s);
}

/* Hour 0: 150 MW of load, a 100 MW unit at 20, 20 MW of wind (40 MW x 0.5): 30 MW shed at a VOLL
 * of 1000, cost 2000 + 30000 = 32000, LMP 1000. Hour 1: 10 MW of load, 20 MW of wind: 10 MW
 * curtailed, nothing else runs, LMP 0. A ramp limit of 120 MW/h does not bind. */
static void shedding_and_curtailment(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = new_grid(s.ctx, (weft_grid_sizes){2, 1, 0, 1, 0, 0, 1, 0});
    weft_grid *g = s.g;
    g->voll = 1000;
    g->bus_type[0] = WEFT_BUS_REF;
    g->gen_pmax[0] = 100, g->gen_c1[0] = 20, g->gen_ramp[0] = 120;
    g->ren_capacity[0] = 40, g->ren_availability[0] = g->ren_availability[1] = 0.5;
    g->load[0] = 150, g->load[1] = 10;
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.objective, 32000, 1e-6, 0);
    assert_double_close(s.r.shed[0], 30, 1e-5, 1e-4);
    assert_double_close(s.r.shed[1], 0, 0, 1e-4);
    assert_double_close(s.r.lmp[0], 1000, 1e-5, 1e-3);
    assert_double_close(s.r.lmp[1], 0, 0, 1e-4);
    assert_double_close(s.r.renewable[0], 20, 1e-5, 1e-4);
    assert_double_close(s.r.curtailment[1], 10, 1e-5, 1e-4);
    assert_double_close(s.r.pg[1], 0, 0, 1e-4);
    release(&s);
}

/* Ramp limit binding: 2 hours, load 50 then 150, cheap unit (10/MWh, ramp 60 MW/h) and an
 * expensive one (30/MWh). Cheap: 50 then 110; expensive: 0 then 40. Cost 500 + 1100 + 1200. */
static void ramp_limits(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = new_grid(s.ctx, (weft_grid_sizes){2, 1, 0, 2, 0, 0, 0, 0});
    weft_grid *g = s.g;
    g->bus_type[0] = WEFT_BUS_REF;
    g->gen_pmax[0] = 200, g->gen_c1[0] = 10, g->gen_ramp[0] = 60;
    g->gen_pmax[1] = 200, g->gen_c1[1] = 30;
    g->load[0] = 50, g->load[1] = 150;
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.objective, 2800, 1e-6, 0);
    assert_double_close(s.r.pg[2], 110, 1e-5, 1e-4);
    assert_double_close(s.r.pg[3], 40, 1e-5, 1e-4);
    release(&s);
}

/* An isolated bus (type 4) and everything on it are left out, as MATPOWER's ext2int does: its load
 * is not served, its generator, battery and solar stay at 0, its LMP is NaN. An out-of-service
 * generator stays at 0 too. The live bus: 30 MW at 20/MWh = 600. */
static void isolated_bus_left_out(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = new_grid(s.ctx, (weft_grid_sizes){1, 2, 0, 3, 0, 1, 1, 0});
    weft_grid *g = s.g;
    g->bus_type[0] = WEFT_BUS_REF, g->bus_type[1] = WEFT_BUS_ISOLATED;
    g->gen_pmax[0] = 100, g->gen_c1[0] = 20;
    g->gen_bus[1] = 1, g->gen_pmax[1] = 100, g->gen_c1[1] = 1;
    g->gen_status[2] = 0, g->gen_pmax[2] = 100, g->gen_c1[2] = 1;
    g->sto_bus[0] = 1, g->sto_charge_max[0] = g->sto_discharge_max[0] = 10, g->sto_energy_max[0] = 10;
    g->ren_bus[0] = 1, g->ren_capacity[0] = 50, g->ren_availability[0] = 1;
    g->load[0] = 30, g->load[1] = 40;
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_double_close(s.r.objective, 600, 1e-6, 0);
    assert_double_close(s.r.pg[0], 30, 1e-5, 1e-4);
    assert_double_close(s.r.pg[1], 0, 0, 0);
    assert_double_close(s.r.pg[2], 0, 0, 0);
    assert_double_close(s.r.charge[0], 0, 0, 0);
    assert_double_close(s.r.renewable[0], 0, 0, 0);
    assert_double_close(s.r.lmp[0], 20, 1e-5, 1e-4);
    assert_true(isnan(s.r.lmp[1]));
    release(&s);
}

/* The DC column of BASELINE.md's TYP table, as printed ("2.0515e+03"). */
static int baseline_dc(const char *name, char *out, size_t len)
{
    FILE *f = fopen(weft_test_shared("pglib-opf/BASELINE.md"), "r");
    char line[512], key[128];
    int found = 0;
    snprintf(key, sizeof key, "| %s |", name);
    while (f && !found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key))) continue;
        int nodes, edges;
        char dc[32];
        found = sscanf(line + strlen(key), " %d | %d | %31s", &nodes, &edges, dc) == 3;
        if (found) snprintf(out, len, "%s", dc);
    }
    if (f) fclose(f);
    return found;
}

static void pglib_powermodels_baseline(void **state)
{
    const char *cases[] = {"14_ieee", "30_ieee", "57_ieee", "118_ieee", "300_ieee"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[64], path[128], want[32], got[32];
        snprintf(name, sizeof name, "pglib_opf_case%s", cases[i]);
        snprintf(path, sizeof path, "pglib-opf/%s.m", name);
        solved s = {.ctx = weft_test_context()};
        assert_int_equal(weft_matpower_read(s.ctx, weft_test_shared(path), &s.g), WEFT_OK);
        solve(&s, WEFT_DC_POWERMODELS, 1e-7);
        assert_true(baseline_dc(name, want, sizeof want));
        snprintf(got, sizeof got, "%.4e", s.r.objective);
        printf("%-24s weft %.8g -> %s, BASELINE.md %s (%s)\n", name, s.r.objective, got, want, device);
        assert_string_equal(got, want);
        release(&s);
    }
}

/* The MPS export read back by weft's own reader gives the same optimum. */
static void mps_export_roundtrip(void **state)
{
    solved s = {.ctx = weft_test_context()};
    s.g = triangle(s.ctx);
    solve(&s, WEFT_DC_MATPOWER, 1e-9);
    assert_int_equal(weft_mps_write(s.ctx, s.m->lp, "dcopf_triangle.mps"), WEFT_OK);
    weft_lp_problem *p = NULL;
    weft_lp_result r;
    weft_lp_options o;
    assert_int_equal(weft_mps_read(s.ctx, "dcopf_triangle.mps", &p), WEFT_OK);
    assert_int_equal(p->n_rows, s.m->lp->n_rows);
    assert_int_equal(p->n_cols, s.m->lp->n_cols);
    weft_lp_options_default(&o);
    o.tol = 1e-9;
    assert_int_equal(weft_lp_solve(s.ctx, p, &o, &r), WEFT_OK);
    assert_double_close(r.objective * s.m->cost_scale, 2705, 1e-6, 0);
    weft_lp_result_free(s.ctx, &r);
    weft_lp_problem_destroy(s.ctx, &p);
    unlink("dcopf_triangle.mps");
    release(&s);
}

/* The same grid solved on the CPU backend and on OpenCL gives the same dispatch and prices, compared
 * number by number (not only against the same reference): PGLib case57, one period. */
static void backends_agree(void **state)
{
    char cl[32];
    if (!weft_test_opencl_spec(cl, sizeof cl)) {
        printf("SKIP backends_agree: no OpenCL device\n");
        return;
    }
    solved s[2];
    const char *dev[2] = {"cpu", cl};
    for (int b = 0; b < 2; b++) {
        s[b] = (solved){.ctx = weft_test_context()};
        assert_int_equal(weft_matpower_read(s[b].ctx, weft_test_shared("pglib-opf/pglib_opf_case57_ieee.m"), &s[b].g), WEFT_OK);
        snprintf(device, sizeof device, "%s", dev[b]);
        solve(&s[b], WEFT_DC_MATPOWER, 1e-8);
    }
    snprintf(device, sizeof device, "cpu");
    const weft_dcopf_result *a = &s[0].r, *c = &s[1].r;
    assert_double_close(a->objective, c->objective, 1e-7, 0);
    int32_t nb = s[0].g->n_bus, ng = s[0].g->n_gen;
    double pmax = 0;
    for (int32_t j = 0; j < ng; j++) pmax = fmax(pmax, fabs(a->pg[j]));
    for (int32_t j = 0; j < ng; j++) assert_double_close(a->pg[j], c->pg[j], 0, 1e-4 * pmax);
    for (int32_t i = 0; i < nb; i++) assert_double_close(a->lmp[i], c->lmp[i], 1e-4, 1e-3);
    printf("backends_agree: case57 cpu %.10g, %s %.10g\n", a->objective, cl, c->objective);
    release(&s[0]);
    release(&s[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(congested_triangle),       cmocka_unit_test(phase_shift_and_tap),
        cmocka_unit_test(quadratic_and_pwl),        cmocka_unit_test(storage_shifts_energy),
        cmocka_unit_test(shedding_and_curtailment), cmocka_unit_test(ramp_limits),
        cmocka_unit_test(isolated_bus_left_out),    cmocka_unit_test(pglib_powermodels_baseline),
        cmocka_unit_test(mps_export_roundtrip),
    };
    int fails = cmocka_run_group_tests_name("dcopf cpu", tests, NULL, NULL);
    if (weft_test_opencl_spec(device, sizeof device))
        fails += cmocka_run_group_tests_name("dcopf opencl", tests, NULL, NULL);
    const struct CMUnitTest agree[] = {cmocka_unit_test(backends_agree)};
    fails += cmocka_run_group_tests_name("dcopf backends", agree, NULL, NULL);
    return fails;
}
