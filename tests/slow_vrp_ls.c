/* The local-search op (backend.h vrp_ls_best) on full-size instances: a constructed solution of
 * X-n1001-k43 and of R1_10_1, every customer's granular neighbourhood in one launch, cpu and
 * OpenCL bit for bit; prints moves per launch and moves per second on each backend (the figures
 * the batched search's design rests on). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "route/ls_device.h"
#include "route/rr_ops.h"
#include "weft/route.h"
#include "weft_test.h"

#define REPEATS 20

static char cl_spec[32];
static int have_cl;

/* REPEATS launches over the S copies of one solution; best/delta [S x nc] malloc'ed. */
static void rate(weft_context *ctx, weft_backend *be, const char *name, rr_state *const *ss, int S, int32_t **best,
                 double **delta)
{
    rr_ls_dev *L = NULL;
    assert_int_equal(rr_ls_open(ctx, ss[0], be, &L), WEFT_OK);
    size_t n = (size_t)S * ss[0]->nc;
    *best = malloc(n * sizeof **best), *delta = malloc(n * sizeof **delta);
    assert_int_equal(rr_ls_evaluate(L, ss, S, 0, *best, *delta), WEFT_OK); /* warm: program build, buffers */
    rr_ls_stats warm = rr_ls_get_stats(L);
    for (int i = 0; i < REPEATS; i++) assert_int_equal(rr_ls_evaluate(L, ss, S, 0, *best, *delta), WEFT_OK);
    rr_ls_stats st = rr_ls_get_stats(L);
    double moves = st.moves - warm.moves, secs = st.seconds - warm.seconds;
    printf("  %-8s S=%d: %.0f moves per launch, %.4f s per launch, %.3g moves/s\n", name, S, moves / REPEATS,
           secs / REPEATS, moves / secs);
    rr_ls_close(&L);
}

static void run(const char *file, int cvrplib)
{
    weft_context *ctx = weft_test_context();
    weft_vrp *v = NULL;
    int st = cvrplib ? weft_read_cvrplib(ctx, weft_test_shared(file), &v)
                     : weft_read_solomon(ctx, weft_test_shared(file), WEFT_SOLOMON_TRUNC1, &v);
    assert_int_equal(st, WEFT_OK);
    enum { S = 4 };
    rr_state s[S];
    rr_state *ss[S];
    int *list = calloc((size_t)v->n_customers + 1, sizeof *list);
    double *key = calloc((size_t)v->n_customers + 1, sizeof *key);
    for (int i = 0; i < S; i++) {
        assert_int_equal(rr_state_init(&s[i], ctx, v, WEFT_VRP_OBJ_COST, 1 + i), WEFT_OK);
        rr_begin_step(&s[i]);
        rr_recreate(&s[i], list, key, 1);
        ss[i] = &s[i];
    }
    printf("%s: %d customers\n", file, v->n_customers);
    weft_backend *cpu = NULL, *cl = NULL;
    assert_int_equal(weft_backend_cpu_open(ctx, &cpu), WEFT_OK);
    for (int n = 1; n <= S; n *= S) {
        int32_t *b0, *b1;
        double *d0, *d1;
        rate(ctx, cpu, "cpu", ss, n, &b0, &d0);
        if (have_cl) {
            assert_int_equal(weft_backend_opencl_open(ctx, cl_spec, &cl), WEFT_OK);
            rate(ctx, cl, cl_spec, ss, n, &b1, &d1);
            assert_memory_equal(b0, b1, (size_t)n * v->n_customers * sizeof *b0);
            assert_memory_equal(d0, d1, (size_t)n * v->n_customers * sizeof *d0);
            free(b1), free(d1);
            weft_backend_close(&cl);
        } else {
            printf("SKIP OpenCL half: no OpenCL fp64 device\n");
        }
        free(b0), free(d0);
    }
    weft_backend_close(&cpu);
    for (int i = 0; i < S; i++) rr_state_free(&s[i]);
    free(list), free(key);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
}

static void x_n1001(void **state)
{
    (void)state;
    run("cvrplib-x/X-n1001-k43.vrp", 1);
}

static void r1_10_1(void **state)
{
    (void)state;
    run("homberger/R1_10_1.vrp", 0);
}

int main(void)
{
    have_cl = weft_test_opencl_spec(cl_spec, sizeof cl_spec);
    const struct CMUnitTest tests[] = {cmocka_unit_test(x_n1001), cmocka_unit_test(r1_10_1)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
