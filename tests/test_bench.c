/* The bench suite (host/bench): the quick suite on the cpu backend reports every item in order
 * with positive times, the byte models as documented, and the same work on a rerun; every
 * allocation of a device run fails once, each reported in the device's status and message, with
 * the suite's data still good for a clean rerun. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_suite.h"
#include "failing_alloc.h"
#include "weft_test.h"

static const char *const items[] = {"copy", "spmv", "pdhg_iteration", "sssp", "vrp_moves", "vrp_ls",
                                    "dispatch", "routing"};
#define N_ITEMS (int)(sizeof items / sizeof *items)

typedef struct fixture {
    failing_alloc fail;
    weft_context *ctx;
    weft_bench_options opt;
    weft_bench_data *data;
    weft_device_info cpu;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->fail.countdown = -1;
    weft_allocator a = FAILING_ALLOCATOR(&f->fail);
    if (weft_context_create(&f->ctx, &a)) return -1;
    weft_context_set_log_level(f->ctx, WEFT_LOG_OFF);
    weft_bench_options_default(&f->opt);
    f->opt.quick = 1, f->opt.repeat = 1, f->opt.warmup = 0, f->opt.min_rep_s = 0;
    if (weft_bench_data_create(f->ctx, &f->opt, &f->data) || weft_device_probe(f->ctx, "cpu", &f->cpu)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    weft_bench_data_destroy(f->ctx, &f->data);
    assert_null(f->data);
    weft_context_destroy(&f->ctx);
    free(f);
    return 0;
}

static double figure(const weft_bench_item *it, const char *key)
{
    for (int i = 0; i < it->n_fig; i++)
        if (!strcmp(it->fig[i].key, key)) return it->fig[i].value;
    fail_msg("item %s has no figure %s", it->name, key);
    return NAN;
}

static void check_run(const weft_bench_device *d)
{
    assert_int_equal(d->status, 0);
    assert_int_equal(d->n_items, N_ITEMS);
    for (int i = 0; i < N_ITEMS; i++) {
        const weft_bench_item *it = &d->items[i];
        assert_string_equal(it->name, items[i]);
        assert_int_equal(it->reps, 1);
        assert_true(it->median_s > 0 && isfinite(it->median_s));
        assert_true(it->min_s <= it->median_s && it->median_s <= it->max_s);
    }
    assert_true(d->copy_gbs > 0);
    /* the byte models of bench_lp.c, from the sizes the items report */
    const weft_bench_item *spmv = &d->items[1], *pdhg = &d->items[2];
    double rows = figure(spmv, "rows"), cols = figure(spmv, "cols"), nnz = figure(spmv, "nnz");
    assert_double_close(spmv->bytes, nnz * 20 + (rows + 1) * 4 + rows * 8, 0, 0);
    double mats = nnz * 40 + (rows + 1) * 4 + (cols + 1) * 4 + rows * 8 + cols * 8;
    double q_free = mats + 8 * (6 * cols + 10 * rows + 8 * cols), with_q = q_free + 8 * cols;
    assert_true(pdhg->bytes == q_free || pdhg->bytes == with_q);
    assert_double_close(spmv->gbs, spmv->bytes / spmv->median_s / 1e9, 1e-12, 0);
    assert_double_close(spmv->ratio_to_copy, spmv->gbs / d->copy_gbs, 1e-12, 0);
    for (int i = 3; i < N_ITEMS; i++) assert_true(isnan(d->items[i].gbs) && d->items[i].bytes == 0);
    assert_true(figure(&d->items[6], "optimal") == 1);
    assert_true(figure(&d->items[7], "feasible") == 1);
}

static void cpu_suite(void **state)
{
    fixture *f = *state;
    weft_bench_device a, b;
    char device[64];
    snprintf(device, sizeof device, "%s", weft_context_device(f->ctx));
    assert_int_equal(weft_bench_run_device(f->ctx, f->data, "cpu", &f->cpu, &f->opt, &a), WEFT_OK);
    check_run(&a);
    assert_string_equal(a.info.spec, "cpu");
    assert_true(strlen(a.description) > 0);
    /* a rerun times the same work: same sizes, same search, same answers */
    assert_int_equal(weft_bench_run_device(f->ctx, f->data, "cpu", &f->cpu, &f->opt, &b), WEFT_OK);
    check_run(&b);
    for (int i = 0; i < N_ITEMS; i++) {
        assert_int_equal(a.items[i].n_fig, b.items[i].n_fig);
        for (int k = 0; k < a.items[i].n_fig; k++)
            if (!strstr(a.items[i].fig[k].key, "_s")) /* rates and times vary, the rest may not */
                assert_double_close(a.items[i].fig[k].value, b.items[i].fig[k].value, 0, 0);
    }
    assert_string_equal(weft_context_device(f->ctx), device); /* restored after the whole solves */
}

static void allocation_failures(void **state)
{
    fixture *f = *state;
    weft_bench_device d;
    const long big = 1L << 40;
    f->fail.countdown = big;
    assert_int_equal(weft_bench_run_device(f->ctx, f->data, "cpu", &f->cpu, &f->opt, &d), WEFT_OK);
    long total = big - f->fail.countdown;
    assert_true(total > 0);
    for (long k = 0; k < total; k++) {
        f->fail.countdown = k;
        int st = weft_bench_run_device(f->ctx, f->data, "cpu", &f->cpu, &f->opt, &d);
        f->fail.countdown = -1;
        if (st == WEFT_OK) print_error("allocation %ld of %ld failed unnoticed\n", k, total);
        assert_int_not_equal(st, WEFT_OK);
        assert_int_equal(d.status, st);
        assert_true(strlen(d.error) > 0);
        assert_true(d.n_items < N_ITEMS);
    }
    printf("bench: each of the %ld allocations of a cpu run failed once, each reported\n", total);
    assert_int_equal(weft_bench_run_device(f->ctx, f->data, "cpu", &f->cpu, &f->opt, &d), WEFT_OK);
    check_run(&d);
}

/* Generating the suite's problems: every allocation fails once, and each failure is reported
 * with a message and leaves nothing behind. */
static void data_allocation_failures(void **state)
{
    fixture *f = *state;
    weft_bench_data *d = NULL;
    const long big = 1L << 40;
    f->fail.countdown = big;
    assert_int_equal(weft_bench_data_create(f->ctx, &f->opt, &d), WEFT_OK);
    long total = big - f->fail.countdown;
    f->fail.countdown = -1;
    weft_bench_data_destroy(f->ctx, &d);
    for (long k = 0; k < total; k++) {
        f->fail.countdown = k;
        int st = weft_bench_data_create(f->ctx, &f->opt, &d);
        f->fail.countdown = -1;
        if (st == WEFT_OK) fail_msg("allocation %ld of %ld failed without an error", k, total);
        assert_null(d);
        assert_true(strlen(weft_context_last_error(f->ctx)) > 0);
    }
    printf("bench: each of the %ld allocations of the quick suite's data failed once, each reported\n", total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(cpu_suite), cmocka_unit_test(allocation_failures),
                                       cmocka_unit_test(data_allocation_failures)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
