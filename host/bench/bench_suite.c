/* weft bench: the suite's problems, generated once, and the run of every item on one device. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench_internal.h"
#include "core/context_internal.h"
#include "route/rr_ops.h"

/* The large DC-OPF: the Kunshan grid at BIG_BUSES buses over BIG_PERIODS hours (its day repeated),
 * about 1.2 million nonzeros, big enough that A and A' stream from memory on every device. */
#define BIG_BUSES 2000
#define BIG_PERIODS 96
#define MAX_SOURCES 64
#define ROUTE_ITERATIONS 2000
#define QUICK_DAY_PERIODS 6 /* the quick suite's dispatch: a quarter day, seconds under sanitizers */

void weft_bench_options_default(weft_bench_options *o)
{
    memset(o, 0, sizeof *o);
    o->repeat = 5;
    o->warmup = 1;
    o->min_rep_s = 0.05;
    o->seed = 1;
}

static int build_big(weft_context *ctx, weft_bench_data *d, const weft_kunshan_options *ko)
{
    weft_kunshan_options big = *ko;
    big.n_bus = d->opt.quick ? 100 : BIG_BUSES;
    weft_dcopf_options mo = {WEFT_DC_MATPOWER, d->opt.quick ? 24 : BIG_PERIODS};
    weft_lp_options lo;
    weft_lp_options_default(&lo);
    int st = weft_kunshan_grid(ctx, &big, &d->big_grid, NULL);
    if (!st) st = weft_dcopf_build(ctx, d->big_grid, &mo, &d->big);
    if (!st) st = weft_lp_problem_validate(ctx, d->big->lp);
    if (!st) st = lp_scaled_create(ctx, d->big->lp, &lo, &d->big_scaled);
    return st;
}

/* The scenario's matrix on the cpu backend: the suite's input must not depend on the device. */
static int build_kunshan(weft_context *ctx, weft_bench_data *d, const weft_kunshan_options *ko)
{
    char device[64];
    snprintf(device, sizeof device, "%s", weft_context_device(ctx));
    weft_context_set_device(ctx, "cpu");
    int st = weft_kunshan_build(ctx, ko, &d->k);
    weft_context_set_device(ctx, device);
    weft_dcopf_options mo = {WEFT_DC_MATPOWER, d->opt.quick ? QUICK_DAY_PERIODS : 0};
    if (!st) st = weft_dcopf_build(ctx, d->k.grid, &mo, &d->day);
    return st;
}

/* Targets: the road nodes of every depot and delivery; sources: the first MAX_SOURCES of them. */
static int points_of_interest(weft_context *ctx, weft_bench_data *d)
{
    const weft_vrp *v = d->k.vrp;
    int32_t k = v->n_depots + v->n_customers;
    d->targets = weft_malloc(ctx, ((size_t)k + 1) * sizeof *d->targets);
    if (!d->targets) return weft_error(ctx, WEFT_ERR_NOMEM, "bench: out of memory for %d points", k);
    memcpy(d->targets, v->depot_node, (size_t)v->n_depots * sizeof *d->targets);
    memcpy(d->targets + v->n_depots, v->node, (size_t)v->n_customers * sizeof *d->targets);
    d->n_targets = k;
    d->sources = d->targets;
    d->n_sources = k < MAX_SOURCES ? k : MAX_SOURCES;
    return WEFT_OK;
}

/* A greedy construction of the deliveries (the search's first step), on the host. */
static int build_plan(weft_context *ctx, weft_bench_data *d)
{
    const weft_vrp *v = d->k.vrp;
    int st = rr_state_init(&d->plan, ctx, v, WEFT_VRP_OBJ_COST, d->opt.seed);
    if (st) return st;
    d->have_plan = 1;
    int *list = weft_calloc(ctx, (size_t)v->n_customers + 1, sizeof *list);
    double *key = weft_calloc(ctx, (size_t)v->n_customers + 1, sizeof *key);
    if (list && key) {
        rr_begin_step(&d->plan);
        rr_recreate(&d->plan, list, key, 0);
    }
    if (!list || !key || d->plan.nomem) st = weft_error(ctx, WEFT_ERR_NOMEM, "bench: out of memory for a route plan");
    weft_free(ctx, list);
    weft_free(ctx, key);
    return st;
}

weft_status weft_bench_data_create(weft_context *ctx, const weft_bench_options *o, weft_bench_data **out)
{
    *out = NULL;
    weft_bench_data *d = weft_calloc(ctx, 1, sizeof *d);
    if (!d) return weft_error(ctx, WEFT_ERR_NOMEM, "bench: out of memory");
    d->opt = *o;
    d->route_iterations = o->quick ? 50 : ROUTE_ITERATIONS;
    weft_kunshan_options ko;
    weft_kunshan_defaults(&ko);
    ko.seed = o->seed;
    if (o->quick) ko.n_bus = 24, ko.n_customers = 40, ko.n_road_nodes = 2000;
    int st = build_big(ctx, d, &ko);
    if (!st) st = build_kunshan(ctx, d, &ko);
    if (!st) st = points_of_interest(ctx, d);
    if (!st) st = build_plan(ctx, d);
    if (st) weft_bench_data_destroy(ctx, &d);
    *out = d;
    return st;
}

void weft_bench_data_destroy(weft_context *ctx, weft_bench_data **p)
{
    if (!p || !*p) return;
    weft_bench_data *d = *p;
    if (d->have_plan) rr_state_free(&d->plan);
    weft_free(ctx, d->targets);
    weft_dcopf_destroy(ctx, &d->day);
    weft_kunshan_free(ctx, &d->k);
    lp_scaled_destroy(ctx, &d->big_scaled);
    weft_dcopf_destroy(ctx, &d->big);
    weft_grid_destroy(ctx, &d->big_grid);
    weft_free(ctx, d);
    *p = NULL;
}

/* Counts the items a step measured (none if it failed) and logs them. */
static int done(weft_context *ctx, weft_bench_device *out, int st, int count)
{
    if (st) return st;
    for (int i = 0; i < count; i++) {
        const weft_bench_item *it = &out->items[out->n_items++];
        if (isnan(it->gbs))
            weft_log(ctx, WEFT_LOG_INFO, "bench %s: %-15s %10.4g s", out->info.spec, it->name, it->median_s);
        else
            weft_log(ctx, WEFT_LOG_INFO, "bench %s: %-15s %10.4g s  %7.2f GB/s", out->info.spec, it->name,
                     it->median_s, it->gbs);
    }
    return WEFT_OK;
}

/* The kernels on one open backend. */
static int kernels(weft_context *ctx, weft_bench_data *d, weft_backend *be, weft_bench_device *out)
{
    weft_bench_item *it = out->items;
    int st = done(ctx, out, bench_copy(be, d, &out->info, &it[0]), 1);
    if (!st) out->copy_gbs = it[0].gbs;
    if (!st) st = done(ctx, out, bench_spmv_pdhg(be, d, out->copy_gbs, &it[1], &it[2]), 2);
    if (!st) st = done(ctx, out, bench_sssp(be, d, &it[3]), 1);
    if (!st) st = done(ctx, out, bench_vrp_moves(be, d, &it[4]), 1);
    if (!st) st = done(ctx, out, bench_vrp_ls(be, d, &it[5]), 1);
    return st;
}

weft_status weft_bench_run_device(weft_context *ctx, weft_bench_data *d, const char *spec,
                                  const weft_device_info *info, const weft_bench_options *o,
                                  weft_bench_device *out)
{
    memset(out, 0, sizeof *out);
    out->info = *info;
    out->copy_gbs = NAN;
    d->opt = *o;
    weft_backend *be = NULL;
    int st = weft_backend_open(ctx, spec, &be);
    if (!st) snprintf(out->description, sizeof out->description, "%s", be->description);
    if (!st) st = kernels(ctx, d, be, out);
    weft_backend_close(&be); /* the whole solves open their own */
    char device[64];
    snprintf(device, sizeof device, "%s", weft_context_device(ctx));
    if (!st) st = weft_context_set_device(ctx, spec);
    if (!st) st = done(ctx, out, bench_dispatch(ctx, d, &out->items[out->n_items]), 1);
    weft_context_set_device(ctx, device);
    if (!st) st = done(ctx, out, bench_routing(ctx, d, spec, &out->items[out->n_items]), 1);
    out->status = st;
    if (st) snprintf(out->error, sizeof out->error, "%s", weft_context_last_error(ctx));
    return st;
}
