/* Grid data: every PGLib case imports with the sizes BASELINE.md lists, the /grid HDF5 group round
 * trips, and bad inputs (missing dataset, NaN, bad bus reference, negative capacity, truncated or
 * malformed .m) are rejected with one-line errors naming the file and the dataset/row or line. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcopf.h"
#include "weft/grid.h"
#include "weft_test.h"

static const char *const cases[] = {"14_ieee", "30_ieee", "57_ieee", "118_ieee", "300_ieee",
                                    "1354_pegase", "2000_goc", "2869_pegase", "8387_pegase"};

static const char *case_path(const char *c)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "pglib-opf/pglib_opf_case%s.m", c);
    return weft_test_shared(buf);
}

/* Nodes and edges of a case from the TYP table of BASELINE.md. */
static int baseline_sizes(const char *c, int *nodes, int *edges)
{
    FILE *f = fopen(weft_test_shared("pglib-opf/BASELINE.md"), "r");
    char line[512], key[128];
    int found = 0;
    snprintf(key, sizeof key, "| pglib_opf_case%s |", c);
    while (f && !found && fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key))) found = sscanf(line + strlen(key), " %d | %d", nodes, edges) == 2;
    if (f) fclose(f);
    return found;
}

static void pglib_cases_import(void **state)
{
    weft_context *ctx = weft_test_context();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        weft_grid *g = NULL;
        int nodes = 0, edges = 0;
        int st = weft_matpower_read(ctx, case_path(cases[i]), &g);
        if (st) print_error("%s: %s\n", cases[i], weft_context_last_error(ctx));
        assert_int_equal(st, WEFT_OK);
        assert_true(baseline_sizes(cases[i], &nodes, &edges));
        assert_int_equal(g->n_bus, nodes);
        assert_int_equal(g->n_branch, edges);
        assert_true(g->n_gen > 0);
        assert_double_close(g->base_mva, 100, 0, 0);
        assert_int_equal(weft_grid_validate(ctx, g), WEFT_OK);
        weft_grid_destroy(ctx, &g);
        assert_null(g);
    }
    weft_context_destroy(&ctx);
}

/* Spot values of case14 against its text: bus 9 shunt, the 4-7 transformer, generator 2's cost. */
static void case14_fields(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_grid *g = NULL;
    assert_int_equal(weft_matpower_read(ctx, case_path("14_ieee"), &g), WEFT_OK);
    assert_string_equal(g->name, "pglib_opf_case14_ieee");
    assert_int_equal(g->bus_id[8], 9);
    assert_double_close(g->bus_bs[8], 19.0, 0, 0);
    assert_double_close(g->load[2], 94.2, 0, 0);
    assert_int_equal(g->bus_type[0], WEFT_BUS_REF);
    assert_int_equal(g->br_from[7], 3);
    assert_int_equal(g->br_to[7], 6);
    assert_double_close(g->br_tap[7], 0.978, 0, 0);
    assert_double_close(g->br_tap[0], 1, 0, 0); /* 0 in the file means nominal */
    assert_double_close(g->br_rate_a[0], 472, 0, 0);
    assert_double_close(g->br_angmin[0], -30, 0, 0);
    assert_double_close(g->gen_c1[1], 23.269494, 0, 0);
    assert_double_close(g->gen_pmax[0], 340, 0, 0);
    assert_string_equal(g->gen_tech[0], "NG");
    assert_string_equal(g->gen_tech[2], "SYNC");
    assert_true(isinf(g->gen_ramp[0]));
    weft_grid_destroy(ctx, &g);
    weft_context_destroy(&ctx);
}

static void h5_roundtrip(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_grid *g = NULL, *h = NULL;
    weft_grid_sizes s = {2, 2, 1, 2, 2, 1, 1, 1};
    assert_int_equal(weft_grid_create(ctx, &s, &g), WEFT_OK);
    g->bus_id[0] = 10, g->bus_id[1] = 20;
    g->bus_type[0] = WEFT_BUS_REF;
    g->br_to[0] = 1, g->br_x[0] = 0.1, g->br_rate_a[0] = 50;
    g->gen_pmax[0] = 100, g->gen_c1[0] = 12.5, g->gen_c2[0] = 0.01;
    g->gen_bus[1] = 1, g->gen_pmax[1] = 80, g->gen_cost_model[1] = WEFT_COST_PWL;
    g->pwl_gen[0] = g->pwl_gen[1] = 1, g->pwl_mw[1] = 80, g->pwl_cost[1] = 1600;
    g->sto_bus[0] = 1, g->sto_charge_max[0] = 5, g->sto_discharge_max[0] = 6, g->sto_energy_max[0] = 20;
    g->sto_eta_charge[0] = 0.9, g->sto_soc_initial[0] = 10, g->sto_soc_final[0] = 10;
    g->ren_capacity[0] = 30, g->ren_availability[0] = 0.25, g->ren_availability[1] = 0.75;
    g->load[1] = 40, g->load[3] = 60;
    g->tie_import_max[0] = 25, g->tie_price[0] = 30, g->tie_price[1] = 90;
    assert_int_equal(weft_grid_write_h5(ctx, g, "grid_roundtrip.h5"), WEFT_OK);
    assert_int_equal(weft_grid_read_h5(ctx, "grid_roundtrip.h5", &h), WEFT_OK);
    assert_int_equal(h->n_periods, 2);
    assert_int_equal(h->n_pwl, 2);
    assert_int_equal(h->bus_id[1], 20);
    assert_true(isinf(h->br_angmax[0]) && h->br_angmax[0] > 0);
    assert_double_close(h->br_rate_a[0], 50, 0, 0);
    assert_double_close(h->gen_c2[0], 0.01, 0, 0);
    assert_int_equal(h->gen_cost_model[1], WEFT_COST_PWL);
    assert_double_close(h->pwl_cost[1], 1600, 0, 0);
    assert_double_close(h->sto_eta_charge[0], 0.9, 0, 0);
    assert_double_close(h->ren_availability[1], 0.75, 0, 0);
    assert_double_close(h->load[3], 60, 0, 0);
    assert_double_close(h->tie_price[1], 90, 0, 0);
    assert_double_close(h->voll, g->voll, 0, 0);
    weft_grid_destroy(ctx, &h);
    weft_grid_destroy(ctx, &g);
    unlink("grid_roundtrip.h5");
    weft_context_destroy(&ctx);
}

/* Overwrites one value of a dataset in place, as a corrupt or hand-edited file would have it. */
static void poke(const char *path, const char *dset, hsize_t at, double v)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, dset, H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    hsize_t one = 1, dims[2] = {1, 1}, coord[2] = {at, 0};
    hid_t m = H5Screate_simple(1, &one, NULL);
    if (H5Sget_simple_extent_dims(s, dims, NULL) == 2) coord[0] = at / dims[1], coord[1] = at % dims[1];
    H5Sselect_elements(s, H5S_SELECT_SET, 1, coord);
    assert_true(H5Dwrite(d, H5T_NATIVE_DOUBLE, m, s, H5P_DEFAULT, &v) >= 0);
    H5Sclose(m);
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(f);
}

static void expect_h5_error(weft_context *ctx, const char *path, const char *w1, const char *w2)
{
    weft_grid *g = NULL;
    assert_int_equal(weft_grid_read_h5(ctx, path, &g), WEFT_ERR_BAD_INPUT);
    assert_null(g);
    const char *msg = weft_context_last_error(ctx);
    if (!strstr(msg, w1) || !strstr(msg, w2) || !strstr(msg, path) || strchr(msg, '\n'))
        fail_msg("error '%s' should name %s, %s and %s on one line", msg, path, w1, w2);
}

static void bad_h5_rejected(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_grid *g = NULL;
    const char *p = "grid_bad.h5";
    assert_int_equal(weft_matpower_read(ctx, case_path("14_ieee"), &g), WEFT_OK);
    struct {
        const char *dset;
        hsize_t at;
        double v;
        const char *w1, *w2;
    } cases[] = {
        {"/grid/generator/pmax", 1, NAN, "/grid/generator/pmax[1]", "NaN"},
        {"/grid/generator/bus", 0, 99, "/grid/generator/bus[0]", "refers to no bus"},
        {"/grid/branch/rate_a", 2, -5, "/grid/branch/rate_a[2]", "negative"},
        {"/grid/generator/pmin", 0, 400, "/grid/generator/pmin[0]", "exceeds pmax"},
        {"/grid/load/p", 3, INFINITY, "/grid/load/p[0,3]", "infinite"},
        /* finite but absurd: a 1e300 MW load ended in a numerical error, 2^40 MW of shunt in "infeasible" */
        {"/grid/load/p", 3, 1e300, "/grid/load/p[0,3]", "out of range"},
        {"/grid/bus/gs", 2, 1099511627776.0, "/grid/bus/gs[2]", "out of range"},
        {"/grid/branch/rate_a", 1, 1e20, "/grid/branch/rate_a[1]", "write inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(weft_grid_write_h5(ctx, g, p), WEFT_OK);
        poke(p, cases[i].dset, cases[i].at, cases[i].v);
        expect_h5_error(ctx, p, cases[i].w1, cases[i].w2);
    }
    /* a missing column */
    assert_int_equal(weft_grid_write_h5(ctx, g, p), WEFT_OK);
    hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(H5Ldelete(f, "/grid/branch/x", H5P_DEFAULT) >= 0);
    H5Fclose(f);
    expect_h5_error(ctx, p, "/grid/branch/x", "missing");
    /* an empty first column does not hide the table's other columns (it read as zero branches) */
    assert_int_equal(weft_grid_write_h5(ctx, g, p), WEFT_OK);
    f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(H5Ldelete(f, "/grid/branch/from", H5P_DEFAULT) >= 0);
    hsize_t zero = 0;
    hid_t sp = H5Screate_simple(1, &zero, NULL);
    hid_t d = H5Dcreate2(f, "/grid/branch/from", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(d >= 0);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    expect_h5_error(ctx, p, "/grid/branch/to", "expected 0");
    /* writing refuses an invalid grid and leaves no file */
    unlink(p);
    g->gen_pmax[0] = NAN;
    assert_int_equal(weft_grid_write_h5(ctx, g, p), WEFT_ERR_BAD_INPUT);
    assert_int_equal(access(p, F_OK), -1);
    weft_grid_destroy(ctx, &g);
    weft_context_destroy(&ctx);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define HEAD "function mpc = tiny\nmpc.version = '2';\nmpc.baseMVA = 100;\n"
#define BUS  "mpc.bus = [\n 1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n 2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n"
#define GEN  "mpc.gen = [\n 1 0 0 0 0 1 100 1 100 0;\n];\n"
#define BR   "mpc.branch = [\n 1 2 0 0.1 0 0 0 0 0 0 1 -360 360;\n];\n"
#define COST "mpc.gencost = [\n 2 0 0 3 0 10 0;\n];\n"

static void expect_m_error(weft_context *ctx, const char *text, int status, const char *w1, const char *w2)
{
    const char *p = "grid_bad.m";
    weft_grid *g = NULL;
    write_text(p, text);
    int st = weft_matpower_read(ctx, p, &g);
    const char *msg = weft_context_last_error(ctx);
    if (st != status || !strstr(msg, w1) || !strstr(msg, w2) || strchr(msg, '\n'))
        fail_msg("status %d (want %d), error '%s' should name %s and %s", st, status, msg, w1, w2);
    assert_null(g);
    unlink(p);
}

static void matpower_syntax(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_grid *g = NULL;
    /* commas, a row split over two lines by '...', a comment inside the matrix, a cell array */
    write_text("grid_ok.m", HEAD "mpc.bus_name = {\n 'a';\n 'b';\n};\n"
                            "mpc.bus = [\n 1, 3, 0, 0, 0, 0, 1, 1, 0, 230, 1, 1.1, 0.9; % first\n"
                            "% a whole-line comment\n 2 1 50 0 0 0 1 ...\n 1 0 230 1 1.1 0.9\n]; \n" GEN BR
                            "mpc.gencost = [\n 1 0 0 3 0 0 50 500 100 1500;\n];\n");
    assert_int_equal(weft_matpower_read(ctx, "grid_ok.m", &g), WEFT_OK);
    assert_int_equal(g->n_bus, 2);
    assert_double_close(g->load[1], 50, 0, 0);
    assert_true(isinf(g->br_rate_a[0]) && isinf(g->br_angmax[0]));
    assert_int_equal(g->gen_cost_model[0], WEFT_COST_PWL);
    assert_int_equal(g->n_pwl, 3);
    assert_double_close(g->pwl_cost[2], 1500, 0, 0);
    weft_grid_destroy(ctx, &g);
    unlink("grid_ok.m");
    weft_context_destroy(&ctx);
}

static void matpower_errors(void **state)
{
    weft_context *ctx = weft_test_context();
    /* truncated in the middle of the branch matrix: names the line where it opened */
    expect_m_error(ctx, HEAD BUS GEN "mpc.branch = [\n 1 2 0 0.1 0 0 0 0 0 0 1 -360 360;\n", WEFT_ERR_PARSE,
                   "grid_bad.m:11", "truncated");
    expect_m_error(ctx, HEAD BUS "mpc.gen = [\n 7 0 0 0 0 1 100 1 100 0;\n];\n" BR COST, WEFT_ERR_BAD_INPUT,
                   "grid_bad.m:9", "bus 7");
    expect_m_error(ctx, HEAD BUS GEN BR "mpc.gencost = [\n 2 0 0 4 1 0 10 0;\n];\n", WEFT_ERR_UNSUPPORTED,
                   "grid_bad.m:15", "degree 3");
    expect_m_error(ctx, HEAD BUS GEN BR "mpc.gencost = [\n 3 0 0 3 0 10 0;\n];\n", WEFT_ERR_BAD_INPUT,
                   "grid_bad.m:15", "model 3");
    expect_m_error(ctx, HEAD "mpc.bus = [\n 1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n 2 1 NaN 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n"
                   GEN BR COST, WEFT_ERR_BAD_INPUT, "grid_bad.m:6", "NaN");
    expect_m_error(ctx, HEAD "mpc.bus = [\n 1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n 2 1 50 0 0 0 1 1 0 230 1;\n];\n"
                   GEN BR COST, WEFT_ERR_PARSE, "grid_bad.m:6", "11 columns, expected 13");
    expect_m_error(ctx, HEAD BUS "mpc.gen = [\n 1 0 0 0 0 1 100 1 -100 0;\n];\n" BR COST, WEFT_ERR_BAD_INPUT,
                   "/grid/generator/pmin[0]", "exceeds pmax");
    expect_m_error(ctx, HEAD BUS GEN COST, WEFT_ERR_PARSE, "grid_bad.m", "missing mpc.branch");
    expect_m_error(ctx, HEAD BUS GEN BR "mpc.gencost = [\n 2 0 0 3 0 10 0 zz;\n];\n", WEFT_ERR_PARSE,
                   "grid_bad.m:15", "unexpected 'zz");
    weft_grid *g = NULL;
    assert_int_equal(weft_matpower_read(ctx, "no_such_case.m", &g), WEFT_ERR_IO);
    assert_non_null(strstr(weft_context_last_error(ctx), "no_such_case.m"));
    weft_context_destroy(&ctx);
}

/* The first 6 % of a real case: cut inside a matrix, so the reader must say truncated. */
static void pglib_truncated(void **state)
{
    FILE *in = fopen(case_path("118_ieee"), "r");
    assert_non_null(in);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, in);
    fclose(in);
    FILE *out = fopen("grid_cut.m", "w");
    fwrite(buf, 1, n * 6 / 100, out); /* 6 %: inside mpc.bus */
    fclose(out);
    free(buf);
    weft_context *ctx = weft_test_context();
    weft_grid *g = NULL;
    int st = weft_matpower_read(ctx, "grid_cut.m", &g);
    assert_true(st == WEFT_ERR_PARSE);
    assert_non_null(strstr(weft_context_last_error(ctx), "grid_cut.m"));
    assert_non_null(strstr(weft_context_last_error(ctx), "truncated"));
    unlink("grid_cut.m");
    weft_context_destroy(&ctx);
}

/* Allocation failure (reading, writing, building the DC-OPF, exporting it): the k-th allocation
 * through the context fails, for every k until a run needs
 * no more. Each call must return WEFT_ERR_NOMEM (or succeed), leave *out NULL and leak nothing
 * (the sanitizer build checks the last part). */
typedef struct fail_alloc {
    long calls, fail_at;
} fail_alloc;

static void *fa_malloc(void *u, size_t n)
{
    fail_alloc *f = u;
    return ++f->calls == f->fail_at ? NULL : malloc(n);
}

static void *fa_realloc(void *u, void *p, size_t n)
{
    fail_alloc *f = u;
    return ++f->calls == f->fail_at ? NULL : realloc(p, n);
}

static void fa_free(void *u, void *p) { free(p); }

static void allocation_failures(void **state)
{
    write_text("grid_alloc.m", HEAD BUS GEN BR COST);
    for (long k = 2;; k++) { /* allocation 1 is the context itself */
        fail_alloc f = {0, k};
        weft_allocator a = {fa_malloc, fa_realloc, fa_free, &f};
        weft_context *ctx = NULL;
        assert_int_equal(weft_context_create(&ctx, &a), WEFT_OK);
        weft_context_set_log_level(ctx, WEFT_LOG_OFF);
        weft_grid *g = NULL, *h = NULL;
        weft_dcopf_options o = {WEFT_DC_MATPOWER, 3};
        weft_dcopf *m = NULL;
        int st = weft_matpower_read(ctx, "grid_alloc.m", &g);
        if (!st) st = weft_grid_write_h5(ctx, g, "grid_alloc.h5");
        if (!st && (st = weft_grid_read_h5(ctx, "grid_alloc.h5", &h))) assert_null(h);
        if (!st && (st = weft_dcopf_build(ctx, h, &o, &m))) assert_null(m);
        if (!st) st = weft_mps_write(ctx, m->lp, "grid_alloc.mps");
        if (st && st != WEFT_ERR_NOMEM)
            fail_msg("allocation %ld failing gave %d: %s", k, st, weft_context_last_error(ctx));
        weft_dcopf_destroy(ctx, &m);
        weft_grid_destroy(ctx, &g);
        weft_grid_destroy(ctx, &h);
        weft_context_destroy(&ctx);
        if (f.calls < k) break; /* this run met no failure: every allocation point was tried */
    }
    unlink("grid_alloc.m");
    unlink("grid_alloc.h5");
    unlink("grid_alloc.mps");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pglib_cases_import), cmocka_unit_test(case14_fields),   cmocka_unit_test(h5_roundtrip),
        cmocka_unit_test(bad_h5_rejected),    cmocka_unit_test(matpower_syntax), cmocka_unit_test(matpower_errors),
        cmocka_unit_test(pglib_truncated),    cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests_name("grid", tests, NULL, NULL);
}
