/* Travel-time matrices against plain references written here: an O(n^2) Dijkstra and a
 * Bellman-Ford sweep (the device kernels' method), on graphs with ties, zero-length and zero-time
 * edges, one-way streets and unreachable parts. The label is (time, metres) lexicographically, so
 * the matrices must agree exactly, not to a tolerance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/sssp.h"
#include "weft_test.h"

static int lex_less(double t1, double d1, double t2, double d2) { return t1 < t2 || (t1 == t2 && d1 < d2); }

/* Textbook Dijkstra: scan for the smallest unsettled label, settle it, relax its edges. */
static void ref_dijkstra(const weft_roads *r, int32_t s, double *t, double *d)
{
    int32_t n = r->n_nodes;
    char *done = calloc(n, 1);
    for (int32_t v = 0; v < n; v++) t[v] = d[v] = INFINITY;
    t[s] = d[s] = 0;
    for (;;) {
        int32_t u = -1;
        for (int32_t v = 0; v < n; v++)
            if (!done[v] && isfinite(t[v]) && (u < 0 || lex_less(t[v], d[v], t[u], d[u]))) u = v;
        if (u < 0) break;
        done[u] = 1;
        for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
            int32_t v = r->head[e];
            double tv = t[u] + r->time_s[e], dv = d[u] + r->length_m[e];
            if (!done[v] && lex_less(tv, dv, t[v], d[v])) {
                t[v] = tv;
                d[v] = dv;
            }
        }
    }
    free(done);
}

/* Bellman-Ford: relax every edge until nothing changes. */
static void ref_bellman_ford(const weft_roads *r, int32_t s, double *t, double *d)
{
    for (int32_t v = 0; v < r->n_nodes; v++) t[v] = d[v] = INFINITY;
    t[s] = d[s] = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int32_t u = r->n_nodes - 1; u >= 0; u--) { /* backwards: a different order from Dijkstra's */
            if (!isfinite(t[u])) continue;
            for (int32_t e = r->row_ptr[u]; e < r->row_ptr[u + 1]; e++) {
                int32_t v = r->head[e];
                double tv = t[u] + r->time_s[e], dv = d[u] + r->length_m[e];
                if (lex_less(tv, dv, t[v], d[v])) {
                    t[v] = tv;
                    d[v] = dv;
                    changed = 1;
                }
            }
        }
    }
}

/* The backends under test: cpu always, OpenCL when a device with fp64 exists (else SKIP printed). */
static int open_backends(weft_context *ctx, weft_backend *be[2])
{
    char spec[64];
    int n = 0;
    be[0] = be[1] = NULL;
    assert_int_equal(weft_backend_open(ctx, "cpu", &be[n++]), 0);
    if (weft_test_opencl_spec(spec, sizeof spec)) assert_int_equal(weft_backend_open(ctx, spec, &be[n++]), 0);
    return n;
}

/* Compares the matrices of one backend with both references; returns unreachable pairs. */
static int check_matrix(weft_backend *be, const weft_roads *r, const int32_t *pts, int32_t k)
{
    double *mt = malloc(sizeof(double) * k * k), *md = malloc(sizeof(double) * k * k);
    double *t = malloc(sizeof(double) * r->n_nodes), *d = malloc(sizeof(double) * r->n_nodes);
    double *t2 = malloc(sizeof(double) * r->n_nodes), *d2 = malloc(sizeof(double) * r->n_nodes);
    assert_int_equal(weft_sssp_matrix_on(be, r, pts, k, mt, md), 0);
    int unreachable = 0;
    for (int32_t i = 0; i < k; i++) {
        ref_dijkstra(r, pts[i], t, d);
        ref_bellman_ford(r, pts[i], t2, d2);
        for (int32_t j = 0; j < k; j++) {
            double a = mt[i * k + j], b = md[i * k + j];
            if (a != t[pts[j]] || b != d[pts[j]] || a != t2[pts[j]] || b != d2[pts[j]])
                fail_msg("%s, pair (%d,%d): weft %.17g s %.17g m, dijkstra %.17g s %.17g m, bellman-ford %.17g s %.17g m",
                         be->description, i, j, a, b, t[pts[j]], d[pts[j]], t2[pts[j]], d2[pts[j]]);
            unreachable += isinf(a);
        }
    }
    free(mt);
    free(md);
    free(t);
    free(d);
    free(t2);
    free(d2);
    return unreachable;
}

/* Random graph with integer weights (many exact ties), zero-length and zero-time edges, one-way
 * edges, and a tail of nodes only reachable one way plus an unreachable pocket. */
static weft_roads *tie_graph(weft_context *ctx, uint64_t seed, int32_t n)
{
    int32_t cap = 8 * n, m = 0, *t = malloc(cap * sizeof *t), *h = malloc(cap * sizeof *h);
    double *len = malloc(cap * sizeof *len), *tm = malloc(cap * sizeof *tm);
    uint64_t s = seed;
    int32_t core = n - 10;
    for (int32_t e = 0; e < 3 * core; e++) {
        int32_t a = weft_test_rand(&s) % core, b = weft_test_rand(&s) % core;
        double l = (double)(weft_test_rand(&s) % 4), w = (double)(weft_test_rand(&s) % 3); /* 0..3 m, 0..2 s */
        t[m] = a, h[m] = b, len[m] = l * 0.1, tm[m] = w * 0.1, m++;   /* 0.1 steps: sums round in fp */
        if (weft_test_rand(&s) % 4) t[m] = b, h[m] = a, len[m] = l * 0.1, tm[m] = w * 0.1, m++;
    }
    for (int32_t v = core; v < core + 5; v++) t[m] = v - 1, h[m] = v, len[m] = 1, tm[m] = 0, m++; /* one way out */
    for (int32_t v = core + 5; v < n - 1; v++) t[m] = v, h[m] = v + 1, len[m] = 0, tm[m] = 1, m++; /* pocket */
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_from_edges(ctx, n, m, t, h, len, tm, NULL, NULL, NULL, 0, &r), 0);
    free(t);
    free(h);
    free(len);
    free(tm);
    return r;
}

static void test_ties_zero_edges_unreachable(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_backend *be[2];
    int nb = open_backends(ctx, be);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        weft_roads *r = tie_graph(ctx, seed * 7919, 60);
        int32_t pts[12];
        uint64_t s = seed;
        for (int i = 0; i < 10; i++) pts[i] = weft_test_rand(&s) % 50;
        pts[10] = 54; /* end of the one-way tail: reaches nothing */
        pts[11] = 56; /* in the pocket */
        for (int b = 0; b < nb; b++) {
            int unreachable = check_matrix(be[b], r, pts, 12);
            assert_true(unreachable >= 2 * 11 - 1); /* 54 reaches none of the others, none reach 56 */
        }
        weft_roads_destroy(&r);
    }
    for (int b = 0; b < nb; b++) weft_backend_close(&be[b]);
    weft_context_destroy(&ctx);
}

static void test_generated_graph(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    o.n_nodes = 2500;
    o.seed = 11;
    o.oneway_fraction = 0.3;
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &r), 0);
    int32_t pts[25];
    uint64_t s = 99;
    for (int i = 0; i < 24; i++) pts[i] = weft_test_rand(&s) % r->n_nodes;
    pts[24] = r->n_nodes - 1; /* on an island */
    weft_backend *be[2];
    int nb = open_backends(ctx, be);
    for (int b = 0; b < nb; b++) {
        int unreachable = check_matrix(be[b], r, pts, 25);
        assert_true(unreachable >= 2 * 24);
        weft_backend_close(&be[b]);
    }
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

/* One thread or two: the same numbers, bit for bit. */
static void test_threads_agree(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    o.n_nodes = 20000;
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &r), 0);
    int32_t k = 40, pts[40];
    for (int i = 0; i < k; i++) pts[i] = (int32_t)((int64_t)i * r->n_nodes / k);
    double *a = malloc(sizeof(double) * k * k), *b = malloc(sizeof(double) * k * k);
    double *da = malloc(sizeof(double) * k * k), *db = malloc(sizeof(double) * k * k);
    weft_context_set_threads(ctx, 1);
    assert_int_equal(weft_sssp_matrix(ctx, r, pts, k, a, da), 0);
    weft_context_set_threads(ctx, 2);
    assert_int_equal(weft_sssp_matrix(ctx, r, pts, k, b, db), 0);
    assert_memory_equal(a, b, sizeof(double) * k * k);
    assert_memory_equal(da, db, sizeof(double) * k * k);
    for (int i = 0; i < k; i++) assert_true(a[i * k + i] == 0);
    free(a);
    free(b);
    free(da);
    free(db);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

/* Renumbering nodes along the Hilbert curve moves them in memory, not on the map: the matrices
 * between the same places are the same. */
static void test_spatial_order_keeps_matrices(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    o.n_nodes = 5000;
    weft_roads *r = NULL;
    assert_int_equal(weft_roads_generate(ctx, &o, &r), 0);
    int32_t k = 30, pts[30], moved = 0;
    for (int i = 0; i < k; i++) pts[i] = (int32_t)((int64_t)i * 7919 % r->n_nodes);
    double a[900], b[900], da[900], db[900];
    assert_int_equal(weft_sssp_matrix(ctx, r, pts, k, a, da), 0);
    int64_t ids[30];
    for (int i = 0; i < k; i++) ids[i] = r->orig_id[pts[i]];
    assert_int_equal(weft_roads_sort_spatial(ctx, &r), 0);
    assert_int_equal(weft_roads_validate(ctx, r, "sorted"), 0);
    for (int i = 0; i < k; i++) {
        int32_t v = 0;
        while (r->orig_id[v] != ids[i]) v++;
        moved += v != pts[i];
        pts[i] = v;
    }
    assert_true(moved > k / 2);
    assert_int_equal(weft_sssp_matrix(ctx, r, pts, k, b, db), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_equal(da, db, sizeof da);
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

static void test_bad_points(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_roads *r = tie_graph(ctx, 3, 30);
    int32_t pts[2] = {0, 30};
    double t[4], d[4];
    assert_int_equal(weft_sssp_matrix(ctx, r, pts, 2, t, d), WEFT_ERR_INVALID_ARG);
    assert_non_null(strstr(weft_context_last_error(ctx), "node 30"));
    weft_roads_destroy(&r);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_zero_edges_unreachable),
        cmocka_unit_test(test_generated_graph),
        cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_spatial_order_keeps_matrices),
        cmocka_unit_test(test_bad_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
