/* Road graphs: validation, CSR building, components, /roads files, DIMACS and OSM import, the
 * synthetic generator and points of interest. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "io/h5util.h"
#include "weft_test.h"

static weft_roads *triangle(weft_context *ctx)
{
    /* 0 -> 1 -> 2 -> 0, and 2 -> 3 (one way: 3 is a sink) */
    int32_t t[] = {0, 1, 2, 2}, h[] = {1, 2, 0, 3};
    double len[] = {10, 20, 30, 5}, tm[] = {1, 2, 3, 0.5};
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_from_edges(ctx, 4, 4, t, h, len, tm, NULL, NULL, NULL, WEFT_COORDS_PLANAR, &r), 0);
    return r;
}

static void expect_error(weft_context *ctx, int st, const char *needle)
{
    assert_true(st < 0);
    const char *msg = weft_context_last_error(ctx);
    if (!strstr(msg, needle)) fail_msg("error '%s' does not mention '%s'", msg, needle);
}

static void test_validate_rejects_bad_graphs(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = triangle(ctx);
    assert_int_equal(weft_roads_validate(ctx, r, "t.h5"), 0);
    r->length_m[1] = NAN;
    expect_error(ctx, weft_roads_validate(ctx, r, "t.h5"), "length_m");
    r->length_m[1] = 20;
    r->time_s[2] = -1;
    expect_error(ctx, weft_roads_validate(ctx, r, "t.h5"), "time_s");
    r->time_s[2] = 3;
    r->head[3] = 4;
    expect_error(ctx, weft_roads_validate(ctx, r, "t.h5"), "head 4");
    r->head[3] = 3;
    r->row_ptr[2] = 0;
    expect_error(ctx, weft_roads_validate(ctx, r, "t.h5"), "row_ptr decreases");
    r->row_ptr[2] = 2;
    r->coords = WEFT_COORDS_LONLAT;
    r->x[0] = 200;
    expect_error(ctx, weft_roads_validate(ctx, r, "t.h5"), "out of range");
    weft_roads_destroy(&r);
    assert_null(r);
    weft_roads_destroy(&r); /* NULL is accepted */
    weft_context_destroy(&ctx);
}

static void test_from_edges_builds_csr(void **state)
{
    weft_context *ctx = weft_test_context();
    int32_t t[] = {2, 0, 2, 1}, h[] = {0, 1, 1, 2};
    double len[] = {1, 2, 3, 4}, tm[] = {5, 6, 7, 8};
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_from_edges(ctx, 3, 4, t, h, len, tm, NULL, NULL, NULL, WEFT_COORDS_PLANAR, &r), 0);
    int32_t rp[] = {0, 1, 2, 4}, hd[] = {1, 2, 0, 1};
    double ln[] = {2, 4, 1, 3};
    for (int i = 0; i < 4; i++) assert_int_equal(r->row_ptr[i], rp[i]);
    for (int e = 0; e < 4; e++) {
        assert_int_equal(r->head[e], hd[e]);
        assert_true(r->length_m[e] == ln[e]);
    }
    weft_roads_destroy(&r);
    int32_t bad_t[] = {0}, bad_h[] = {3};
    expect_error(ctx, weft_roads_from_edges(ctx, 3, 1, bad_t, bad_h, len, tm, NULL, NULL, NULL, 0, &r), "endpoint");
    assert_null(r);
    weft_context_destroy(&ctx);
}

static void test_scc_and_largest(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = triangle(ctx);
    int32_t comp[4], nc = 0;
    assert_int_equal(weft_roads_scc(ctx, r, comp, &nc), 0);
    assert_int_equal(nc, 2);
    assert_int_equal(comp[0], comp[1]);
    assert_int_equal(comp[1], comp[2]);
    assert_int_not_equal(comp[2], comp[3]);
    int32_t dn = 0, de = 0;
    assert_int_equal(weft_roads_keep_largest_scc(ctx, &r, &dn, &de), 0);
    assert_int_equal(r->n_nodes, 3);
    assert_int_equal(r->n_edges, 3);
    assert_int_equal(dn, 1);
    assert_int_equal(de, 1);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

/* A directed cycle of a million nodes: a recursive Tarjan would overflow the stack here. */
static void test_scc_deep_cycle(void **state)
{
    weft_context *ctx = weft_test_context();
    const int32_t n = 1000000;
    int32_t *t = malloc(n * sizeof *t), *h = malloc(n * sizeof *h), *comp = malloc(n * sizeof *comp);
    double *w = malloc(n * sizeof *w);
    for (int32_t i = 0; i < n; i++) {
        t[i] = i;
        h[i] = (i + 1) % n;
        w[i] = 1;
    }
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_from_edges(ctx, n, n, t, h, w, w, NULL, NULL, NULL, 0, &r), 0);
    int32_t nc = 0;
    assert_int_equal(weft_roads_scc(ctx, r, comp, &nc), 0);
    assert_int_equal(nc, 1);
    h[n - 1] = n - 2; /* break the cycle: now every node is its own component but the last two */
    weft_roads_destroy(&r);
    assert_int_equal(weft_roads_from_edges(ctx, n, n, t, h, w, w, NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(weft_roads_scc(ctx, r, comp, &nc), 0);
    assert_int_equal(nc, n - 1);
    weft_roads_destroy(&r);
    free(t);
    free(h);
    free(w);
    free(comp);
    weft_context_destroy(&ctx);
}

static void test_h5_roundtrip(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = triangle(ctx), *s = NULL;
    r->orig_id[3] = 9000000000LL;
    r->x[1] = 12.5;
    char path[] = "/tmp/weft_roads_rt_XXXXXX.h5";
    close(mkstemps(path, 3));
    assert_int_equal(weft_roads_write_h5(ctx, r, path), 0);
    assert_int_equal(weft_roads_read_h5(ctx, path, &s), 0);
    assert_int_equal(s->n_nodes, 4);
    assert_int_equal(s->n_edges, 4);
    assert_true(s->orig_id[3] == 9000000000LL);
    assert_true(s->x[1] == 12.5);
    assert_memory_equal(s->row_ptr, r->row_ptr, 5 * sizeof(int32_t));
    assert_memory_equal(s->time_s, r->time_s, 4 * sizeof(double));
    weft_roads_destroy(&s);
    weft_roads_destroy(&r);
    unlink(path);
    weft_context_destroy(&ctx);
}

/* Writes a /roads file by hand with one column spoiled, and checks the reader names it. */
static void bad_h5_case(weft_context *ctx, int spoil, const char *needle)
{
    char path[] = "/tmp/weft_roads_bad_XXXXXX.h5";
    close(mkstemps(path, 3));
    weft_h5 h;
    double x[2] = {0, 1}, y[2] = {0, 0}, len[2] = {1, 1}, tm[2] = {1, 1};
    int64_t id[2] = {1, 2};
    int32_t rp[3] = {0, 1, 2}, hd[2] = {1, 0};
    if (spoil == 1) len[1] = -3;
    if (spoil == 2) hd[0] = 7;
    if (spoil == 3) tm[0] = NAN;
    assert_int_equal(weft_h5_create(ctx, path, &h), 0);
    weft_h5_make_group(&h, "/roads");
    weft_h5_attr_int(&h, "/roads", "lonlat", 0);
    weft_h5_write_real(&h, "/roads/nodes/x", x, 2, "m");
    weft_h5_write_real(&h, "/roads/nodes/y", y, spoil == 4 ? 1 : 2, "m");
    weft_h5_write_int64(&h, "/roads/nodes/id", id, 2, "1");
    weft_h5_write_int(&h, "/roads/edges/row_ptr", rp, 3, "1");
    weft_h5_write_int(&h, "/roads/edges/head", hd, 2, "1");
    if (spoil != 5) weft_h5_write_real(&h, "/roads/edges/length_m", len, 2, "m");
    weft_h5_write_real(&h, "/roads/edges/time_s", tm, 2, "s");
    assert_int_equal(weft_h5_commit(&h), 0);
    weft_h5_close(&h);
    weft_roads *r = NULL;
    int st = weft_roads_read_h5(ctx, path, &r);
    if (spoil == 0) assert_int_equal(st, 0);
    else expect_error(ctx, st, needle);
    if (spoil) assert_non_null(strstr(weft_context_last_error(ctx), path));
    weft_roads_destroy(&r);
    unlink(path);
}

static void test_h5_rejects_bad_files(void **state)
{
    weft_context *ctx = weft_test_context();
    bad_h5_case(ctx, 0, "");
    bad_h5_case(ctx, 1, "length_m -3");
    bad_h5_case(ctx, 2, "head 7");
    bad_h5_case(ctx, 3, "time_s nan");
    bad_h5_case(ctx, 4, "/roads/nodes/y");
    bad_h5_case(ctx, 5, "missing dataset /roads/edges/length_m");
    /* a truncated file */
    char path[] = "/tmp/weft_roads_trunc_XXXXXX.h5";
    close(mkstemps(path, 3));
    weft_roads *r = triangle(ctx);
    assert_int_equal(weft_roads_write_h5(ctx, r, path), 0);
    weft_roads_destroy(&r);
    assert_int_equal(truncate(path, 600), 0);
    expect_error(ctx, weft_roads_read_h5(ctx, path, &r), path);
    assert_null(r);
    unlink(path);
    weft_context_destroy(&ctx);
}

static void test_dimacs(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = NULL;
    char gr[1024], co[1024];
    snprintf(gr, sizeof gr, "%s", weft_test_data("roads/small.gr"));
    snprintf(co, sizeof co, "%s", weft_test_data("roads/small.co"));
    assert_int_equal(weft_roads_import_dimacs(ctx, gr, co, &r), 0);
    assert_int_equal(r->n_nodes, 5);
    assert_int_equal(r->n_edges, 6);
    assert_int_equal(r->coords, WEFT_COORDS_LONLAT);
    assert_double_close(r->x[0], 7.42, 0, 1e-12);
    assert_double_close(r->y[4], 43.734, 0, 1e-12);
    assert_true(r->orig_id[0] == 1 && r->orig_id[4] == 5);
    /* node 1's arcs, in file order: 1->2 (100), 1->3 (400) */
    assert_int_equal(r->row_ptr[1] - r->row_ptr[0], 2);
    assert_int_equal(r->head[0], 1);
    assert_true(r->length_m[0] == 100);
    assert_double_close(r->time_s[0], 100 / (50 / 3.6), 1e-15, 0);
    assert_int_equal(r->row_ptr[5] - r->row_ptr[4], 0);
    weft_roads_destroy(&r);
    static const struct { const char *gr, *co, *needle; } bad[] = {
        {"roads/bad_no_problem.gr", NULL, "line 2: expected 'p sp"},
        {"roads/bad_arc_range.gr", NULL, "line 2: arc endpoint outside"},
        {"roads/bad_negative.gr", NULL, "line 2: negative arc weight"},
        {"roads/bad_truncated.gr", NULL, "2 arcs found, the 'p' line declares 3"},
        {"roads/bad_text.gr", NULL, "line 2: expected 'a TAIL HEAD WEIGHT'"},
        {"roads/bad_extra_arc.gr", NULL, "line 3: more arcs than"},
        {"roads/small.gr", "roads/bad_count.co", "4 coordinates declared"},
        {"roads/small.gr", "roads/bad_duplicate.co", "line 3: second coordinate line"},
        {"roads/missing.gr", NULL, "cannot open"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(gr, sizeof gr, "%s", weft_test_data(bad[i].gr));
        if (bad[i].co) snprintf(co, sizeof co, "%s", weft_test_data(bad[i].co));
        expect_error(ctx, weft_roads_import_dimacs(ctx, gr, bad[i].co ? co : NULL, &r), bad[i].needle);
        assert_non_null(strstr(weft_context_last_error(ctx), bad[i].co ? bad[i].co : bad[i].gr));
        assert_null(r);
    }
    weft_context_destroy(&ctx);
}

static int count_oneway(const weft_roads *r)
{
    int n = 0;
    for (int32_t u = 0; u < r->n_nodes; u++) {
        for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
            int32_t v = r->head[e], back = 0;
            for (int32_t f = r->row_ptr[v]; f < r->row_ptr[v + 1] && !back; f++) back = r->head[f] == u;
            n += !back;
        }
    }
    return n;
}

static void test_osm_monaco(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = NULL;
    weft_osm_stats stats;
    int st = weft_roads_import_osm(ctx, weft_test_shared("roads/monaco.osm.pbf"), &stats, &r);
    if (st == WEFT_ERR_UNSUPPORTED) {
        printf("SKIP osm: %s\n", weft_context_last_error(ctx));
        weft_context_destroy(&ctx);
        return;
    }
    assert_int_equal(st, 0);
    /* Monaco's drivable network: some ten thousand way nodes, about two edges per node */
    assert_in_range(r->n_nodes, 5000, 30000);
    assert_in_range(r->n_edges, r->n_nodes, 3 * r->n_nodes);
    assert_int_equal(r->coords, WEFT_COORDS_LONLAT);
    /* some pieces (parking aisles, one-way stubs at the extract's edge) fall outside the largest SCC */
    assert_true(stats.car_ways > 500 && stats.dropped_nodes > 0 && stats.dropped_nodes < r->n_nodes / 4);
    for (int32_t v = 0; v < r->n_nodes; v++) {
        assert_true(r->x[v] > 7.3 && r->x[v] < 7.5);
        assert_true(r->y[v] > 43.6 && r->y[v] < 43.8);
    }
    int32_t *comp = malloc(r->n_nodes * sizeof *comp), nc = 0;
    assert_int_equal(weft_roads_scc(ctx, r, comp, &nc), 0);
    assert_int_equal(nc, 1);
    free(comp);
    int ow = count_oneway(r);
    assert_true(ow > 100 && ow < r->n_edges / 2); /* Monaco has many one-way streets, not only those */
    double speed_min = INFINITY, speed_max = 0;
    for (int32_t e = 0; e < r->n_edges; e++) {
        if (r->length_m[e] <= 0) continue;
        speed_min = fmin(speed_min, r->length_m[e] / r->time_s[e] * 3.6);
        speed_max = fmax(speed_max, r->length_m[e] / r->time_s[e] * 3.6);
    }
    assert_true(speed_min >= 5 && speed_max <= 130);
    weft_roads_destroy(&r);
    expect_error(ctx, weft_roads_import_osm(ctx, weft_test_data("roads/small.gr"), NULL, &r), "small.gr");
    weft_context_destroy(&ctx);
}

static void test_generator(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    o.n_nodes = 20000;
    o.seed = 7;
    weft_roads *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &a), 0);
    assert_int_equal(weft_roads_generate(ctx, &o, &b), 0);
    o.seed = 8;
    assert_int_equal(weft_roads_generate(ctx, &o, &c), 0);
    assert_in_range(a->n_nodes, 18000, 22000);
    assert_int_equal(a->n_nodes, b->n_nodes);
    assert_int_equal(a->n_edges, b->n_edges);
    assert_memory_equal(a->head, b->head, a->n_edges * sizeof(int32_t));
    assert_memory_equal(a->time_s, b->time_s, a->n_edges * sizeof(double));
    assert_memory_equal(a->x, b->x, a->n_nodes * sizeof(double));
    assert_true(a->n_edges != c->n_edges || memcmp(a->x, c->x, a->n_nodes * sizeof(double)));
    /* speeds: local 30-40, arterial 50-70, country 60, ramps 50, motorways 100-120 km/h */
    int motorway = 0, local = 0, arterial = 0;
    for (int32_t e = 0; e < a->n_edges; e++) {
        double kmh = a->length_m[e] / a->time_s[e] * 3.6;
        assert_true(kmh >= 30 - 1e-9 && kmh <= 120 + 1e-9);
        motorway += kmh >= 100;
        local += kmh <= 40;
        arterial += kmh > 40 && kmh < 100;
    }
    assert_true(motorway > 20 && local > a->n_edges / 2 && arterial > 100);
    assert_true(count_oneway(a) > 100);
    int32_t *comp = malloc(a->n_nodes * sizeof *comp), nc = 0;
    assert_int_equal(weft_roads_scc(ctx, a, comp, &nc), 0);
    assert_true(nc >= 1 + o.islands); /* the islands at least */
    free(comp);
    weft_roads_destroy(&a);
    weft_roads_destroy(&b);
    weft_roads_destroy(&c);
    o.n_nodes = 5;
    expect_error(ctx, weft_roads_generate(ctx, &o, &a), "n_nodes");
    weft_context_destroy(&ctx);
}

/* Towns given: dense clusters where they are, motorways between them. */
static void test_generator_towns(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_town towns[] = {{5000, 5000, 2500, "west"}, {30000, 8000, 3000, "east"}, {18000, 20000, 2000, "north"}};
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    o.n_nodes = 30000;
    o.towns = towns;
    o.n_towns = 3;
    o.rural_keep = 0.1;
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &r), 0);
    assert_in_range(r->n_nodes, 27000, 33000);
    int in_towns = 0;
    for (int32_t v = 0; v < r->n_nodes; v++)
        for (int t = 0; t < 3; t++) in_towns += hypot(r->x[v] - towns[t].x, r->y[v] - towns[t].y) < towns[t].radius_m;
    double town_area = M_PI * (2500.0 * 2500 + 3000.0 * 3000 + 2000.0 * 2000), area = 36000.0 * 24500;
    /* density in the towns well above the average */
    assert_true(in_towns / town_area > 3 * r->n_nodes / area);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

static void test_generator_kunshan(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    weft_roads_gen_kunshan(&o);
    o.n_nodes = 20000;
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &r), 0);
    assert_in_range(r->n_nodes, 18000, 22000);
    /* nodes within 2 km of Kunshan's centre against a 2 km disc of countryside between the towns */
    int town = 0, rural = 0;
    for (int32_t v = 0; v < r->n_nodes; v++) {
        town += hypot(r->x[v] - o.towns[1].x, r->y[v] - o.towns[1].y) < 2000;
        rural += hypot(r->x[v] - 30000, r->y[v] - 27000) < 2000;
    }
    assert_true(town > 4 * rural && rural > 0);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

static void test_points(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = triangle(ctx);
    r->orig_id[0] = 100;
    r->orig_id[1] = 7;
    r->x[2] = 1000;
    r->y[2] = 1000;
    char path[] = "/tmp/weft_points_XXXXXX";
    int fd = mkstemp(path);
    dprintf(fd, "# ids and coordinates\n7\n100\n\n999 1001\n");
    close(fd);
    int32_t *nodes = NULL, k = 0;
    double snap = 0;
    assert_int_equal(weft_roads_read_points(ctx, r, path, &nodes, &k, &snap), 0);
    assert_int_equal(k, 3);
    assert_int_equal(nodes[0], 1);
    assert_int_equal(nodes[1], 0);
    assert_int_equal(nodes[2], 2);
    assert_double_close(snap, sqrt(2), 1e-12, 0);
    weft_roads_free_points(ctx, &nodes);
    fd = open(path, O_WRONLY | O_TRUNC);
    dprintf(fd, "7\n12345\n");
    close(fd);
    expect_error(ctx, weft_roads_read_points(ctx, r, path, &nodes, &k, NULL), "line 2: no node with id 12345");
    fd = open(path, O_WRONLY | O_TRUNC);
    dprintf(fd, "7 x\n");
    close(fd);
    expect_error(ctx, weft_roads_read_points(ctx, r, path, &nodes, &k, NULL), "line 1: expected");
    assert_null(nodes);
    unlink(path);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

/* A fleet file's depots then customers, by their node column. */
static void test_points_fleet(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = triangle(ctx);
    char path[] = "/tmp/weft_fleet_XXXXXX.h5";
    close(mkstemps(path, 3));
    for (int bad = 0; bad < 2; bad++) {
        weft_h5 h;
        int32_t depots[1] = {2}, customers[3] = {0, 3, bad ? 4 : 1};
        assert_int_equal(weft_h5_create(ctx, path, &h), 0);
        assert_int_equal(weft_h5_write_int(&h, "/logistics/depots/node", depots, 1, "1"), 0);
        assert_int_equal(weft_h5_write_int(&h, "/logistics/customers/node", customers, 3, "1"), 0);
        assert_int_equal(weft_h5_commit(&h), 0);
        weft_h5_close(&h);
        int32_t *nodes = NULL, k = 0;
        int st = weft_roads_read_points(ctx, r, path, &nodes, &k, NULL);
        if (bad) {
            expect_error(ctx, st, "/logistics/customers/node[2] is 4");
            continue;
        }
        assert_int_equal(st, 0);
        assert_int_equal(k, 4);
        int32_t want[4] = {2, 0, 3, 1};
        assert_memory_equal(nodes, want, sizeof want);
        weft_roads_free_points(ctx, &nodes);
    }
    unlink(path);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_rejects_bad_graphs),
        cmocka_unit_test(test_from_edges_builds_csr),
        cmocka_unit_test(test_scc_and_largest),
        cmocka_unit_test(test_scc_deep_cycle),
        cmocka_unit_test(test_h5_roundtrip),
        cmocka_unit_test(test_h5_rejects_bad_files),
        cmocka_unit_test(test_dimacs),
        cmocka_unit_test(test_osm_monaco),
        cmocka_unit_test(test_generator),
        cmocka_unit_test(test_generator_towns),
        cmocka_unit_test(test_generator_kunshan),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_points_fleet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
