/* Routing readers and fleet files: every benchmark instance imports with the sizes and conventions
 * its set uses, fleet files round-trip, and bad input gives one-line errors naming file and place. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/h5util.h"
#include "weft_test.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Imports every file of a dataset directory; returns how many. */
static int import_dir(weft_context *ctx, const char *dir, int solomon)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", weft_test_shared(dir));
    DIR *d = opendir(path);
    if (!d) {
        printf("SKIP %s: dataset directory missing\n", path);
        return -1;
    }
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!ends_with(e->d_name, ".vrp") && !ends_with(e->d_name, ".txt")) continue;
        char file[4400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        weft_vrp *v = NULL;
        int st = solomon ? weft_read_solomon(ctx, file, WEFT_SOLOMON_TRUNC1, &v) : weft_read_cvrplib(ctx, file, &v);
        if (st) print_error("%s: %s\n", file, weft_context_last_error(ctx));
        assert_int_equal(st, WEFT_OK);
        assert_true(v->n_customers > 0);
        assert_non_null(v->dist);
        weft_vrp_destroy(ctx, &v);
        assert_null(v);
        count++;
    }
    closedir(d);
    return count;
}

static void every_instance_imports(void **state)
{
    weft_context *ctx = weft_test_context();
    int x = import_dir(ctx, "cvrplib-x", 0), small = import_dir(ctx, "cvrplib-small", 0);
    int sol = import_dir(ctx, "solomon", 1), hom = import_dir(ctx, "homberger", 1);
    printf("imported: %d X, %d small CVRP, %d Solomon, %d Gehring-Homberger\n", x, small, sol, hom);
    assert_true(x >= 30 && small >= 9 && sol >= 50 && hom >= 7);
    weft_context_destroy(&ctx);
}

static void conventions_and_sizes(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared("cvrplib-x/X-n101-k25.vrp"), &v), WEFT_OK);
    assert_int_equal(v->n_customers, 100);
    assert_int_equal(v->convention, WEFT_VRP_DIST_ROUND);
    assert_double_close(v->capacity[0], 206, 0, 0);
    assert_int_equal(v->id[0], 2); /* node numbers as in the file: depot is node 1 */
    for (int i = 0; i < 101 * 101; i++) assert_true(v->dist[i] == floor(v->dist[i]));
    weft_vrp_destroy(ctx, &v);

    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/R101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    assert_int_equal(v->n_customers, 100);
    assert_int_equal(v->count[0], 25);
    assert_double_close(v->depot_close[0], 230, 0, 0);
    /* depot (35,35) to customer 1 (41,49): sqrt(232) = 15.231..., truncated to 15.2 */
    assert_double_close(v->dist[1], 15.2, 0, 1e-12);
    weft_vrp_destroy(ctx, &v);
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/R101.txt"), WEFT_SOLOMON_EXACT, &v), WEFT_OK);
    assert_double_close(v->dist[1], sqrt(232.0), 1e-15, 0);
    weft_vrp_destroy(ctx, &v);

    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("homberger/R1_10_1.vrp"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    assert_int_equal(v->n_customers, 1000);
    assert_int_equal(v->convention, WEFT_VRP_DIST_TRUNC1);
    assert_double_close(v->service[0], 10, 0, 0);
    assert_true(isfinite(v->tw_close[0]));
    weft_vrp_destroy(ctx, &v);

    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared("cvrplib-small/CMT6.vrp"), &v), WEFT_OK);
    assert_double_close(v->max_duration[0], 200, 0, 0);
    assert_double_close(v->service[3], 10, 0, 0);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* An explicit LOWER_ROW matrix is symmetric and keeps the file's values. */
static void explicit_matrix(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared("cvrplib-small/E-n13-k4.vrp"), &v), WEFT_OK);
    assert_int_equal(v->convention, WEFT_VRP_DIST_MATRIX);
    int k = 13;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) assert_true(v->dist[i * k + j] == v->dist[j * k + i]);
    assert_double_close(v->dist[1 * k + 0], 9, 0, 0); /* the first value of the section */
    assert_double_close(v->dist[2 * k + 0], 14, 0, 0);
    assert_double_close(v->dist[2 * k + 1], 21, 0, 0);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

/* Every EDGE_WEIGHT_FORMAT gives the same matrix (four points, nearest-integer distances). */
static void explicit_formats(void **state)
{
    const double want[4][4] = {{0, 5, 10, 7}, {5, 0, 5, 4}, {10, 5, 0, 5}, {7, 4, 5, 0}};
    const char *files[] = {"route/fmt_full.vrp", "route/fmt_lower_row.vrp", "route/fmt_lower_diag_row.vrp",
                           "route/fmt_upper_row.vrp", "route/fmt_upper_diag_row.vrp"};
    weft_context *ctx = weft_test_context();
    for (int f = 0; f < 5; f++) {
        weft_vrp *v = NULL;
        int st = weft_read_cvrplib(ctx, weft_test_data(files[f]), &v);
        if (st) print_error("%s\n", weft_context_last_error(ctx));
        assert_int_equal(st, WEFT_OK);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                if (v->dist[i * 4 + j] != want[i][j]) print_error("%s: [%d][%d] = %g\n", files[f], i, j, v->dist[i * 4 + j]);
                assert_true(v->dist[i * 4 + j] == want[i][j]);
            }
        weft_vrp_destroy(ctx, &v);
    }
    weft_context_destroy(&ctx);
}

static void fleet_roundtrip(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL, *w = NULL;
    assert_int_equal(weft_read_solomon(ctx, weft_test_shared("solomon/RC101.txt"), WEFT_SOLOMON_TRUNC1, &v), WEFT_OK);
    const char *path = "route_io_fleet.h5";
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    assert_int_equal(weft_read_fleet(ctx, path, &w), WEFT_OK);
    assert_int_equal(w->n_customers, v->n_customers);
    assert_int_equal(w->convention, v->convention);
    int k = v->n_depots + v->n_customers;
    for (int i = 0; i < k * k; i++) assert_true(w->dist[i] == v->dist[i] && w->time[i] == v->time[i]);
    for (int c = 0; c < v->n_customers; c++) {
        assert_true(w->tw_open[c] == v->tw_open[c] && w->tw_close[c] == v->tw_close[c]);
        assert_int_equal(w->id[c], v->id[c]);
    }
    weft_vrp_destroy(ctx, &w);
    /* a matrix-given instance keeps its matrices through the file (metres and seconds there) */
    weft_vrp_destroy(ctx, &v);
    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared("cvrplib-small/E-n13-k4.vrp"), &v), WEFT_OK);
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    assert_int_equal(weft_read_fleet(ctx, path, &w), WEFT_OK);
    for (int i = 0; i < 13 * 13; i++) assert_double_close(w->dist[i], v->dist[i], 1e-12, 1e-12);
    weft_vrp_destroy(ctx, &w);
    weft_vrp_destroy(ctx, &v);
    remove(path);
    weft_context_destroy(&ctx);
}

static void expect_error(weft_context *ctx, int st, const char *needle1, const char *needle2)
{
    const char *msg = weft_context_last_error(ctx);
    if (st == WEFT_OK || !strstr(msg, needle1) || (needle2 && !strstr(msg, needle2)))
        print_error("status %d, message '%s' (wanted '%s' and '%s')\n", st, msg, needle1, needle2 ? needle2 : "");
    assert_true(st < 0);
    assert_non_null(strstr(msg, needle1));
    if (needle2) assert_non_null(strstr(msg, needle2));
    assert_null(strchr(msg, '\n'));
}

static void bad_text_files(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/missing.vrp"), &v), "missing.vrp", "cannot open");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_negdemand.vrp"), &v), "bad_negdemand.vrp", "demand[1]");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_toobig.vrp"), &v), "bad_toobig.vrp", "capacity");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_truncated.vrp"), &v), "bad_truncated.vrp", "DEMAND_SECTION");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_nan.vrp"), &v), "bad_nan.vrp:9", "NODE_COORD_SECTION");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_token.vrp"), &v), "bad_token.vrp:9", NULL);
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_huge.vrp"), &v), "bad_huge.vrp:3", "DIMENSION");
    /* weights read as NULL when the section keyword was garbled (found by fuzzing) */
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_noweights.vrp"), &v), "bad_noweights.vrp", "EDGE_WEIGHT_SECTION missing");
    expect_error(ctx, weft_read_cvrplib(ctx, weft_test_data("route/bad_twoweights.vrp"), &v), "bad_twoweights.vrp:9", "a second EDGE_WEIGHT_SECTION");
    expect_error(ctx, weft_read_solomon(ctx, weft_test_data("route/bad_tw.txt"), WEFT_SOLOMON_TRUNC1, &v), "bad_tw.txt", "tw_open[0]");
    expect_error(ctx, weft_read_solomon(ctx, weft_test_data("route/bad_short.txt"), WEFT_SOLOMON_TRUNC1, &v), "bad_short.txt:11", "7 numbers");
    assert_null(v);
    weft_context_destroy(&ctx);
}

/* Fleet files with a broken field: a negative capacity, NaN, a missing dataset. */
static void bad_fleet_files(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL, *w = NULL;
    assert_int_equal(weft_read_cvrplib(ctx, weft_test_shared("cvrplib-small/P-n16-k8.vrp"), &v), WEFT_OK);
    const char *path = "route_io_bad.h5";
    v->capacity[0] = -5;
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "fleet/capacity[0]");
    v->capacity[0] = 35;
    v->tw_open[2] = NAN;
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "tw_open[2] is NaN");
    v->tw_open[2] = 50, v->tw_close[2] = 10;
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "customers/tw_open[2]");
    v->tw_open[2] = 0, v->tw_close[2] = INFINITY;
    v->fixed_cost[0] = 1e308; /* made the plan's cost inf */
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "fleet/fixed_cost[0] = 1e+308 is out of range");
    v->fixed_cost[0] = 0;
    /* an int64 count beyond int32: HDF5 would clip it to 2^31 - 1 vehicles */
    assert_int_equal(weft_write_fleet(ctx, v, path), WEFT_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(H5Ldelete(f, "/logistics/fleet/count", H5P_DEFAULT) >= 0);
    int64_t big = (int64_t)1 << 40;
    hsize_t one = 1;
    hid_t sp = H5Screate_simple(1, &one, NULL);
    hid_t d = H5Dcreate2(f, "/logistics/fleet/count", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &big) >= 0);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "/logistics/fleet/count (a value out of range for int32");
    weft_h5 h;
    assert_int_equal(weft_h5_create(ctx, path, &h), WEFT_OK);
    assert_int_equal(weft_h5_write_real(&h, "/logistics/depots/x", v->depot_x, 1, "km"), WEFT_OK);
    assert_int_equal(weft_h5_commit(&h), WEFT_OK);
    weft_h5_close(&h);
    expect_error(ctx, weft_read_fleet(ctx, path, &w), path, "/logistics/customers/x");
    assert_null(w);
    weft_vrp_destroy(ctx, &v);
    remove(path);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_instance_imports), cmocka_unit_test(conventions_and_sizes),
        cmocka_unit_test(explicit_matrix),        cmocka_unit_test(explicit_formats),
        cmocka_unit_test(fleet_roundtrip),
        cmocka_unit_test(bad_text_files),         cmocka_unit_test(bad_fleet_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
