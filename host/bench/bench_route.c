/* The routing items of weft bench: one batch of insertion moves on the backend (vrp_moves), one
 * launch of the batched local search's whole granular neighbourhood (vrp_ls), and a whole routing
 * search with a fixed seed and iteration limit (routing). */
#include <string.h>

#include "bench/bench_internal.h"
#include "core/context_internal.h"
#include "route/ls_device.h"
#include "route/moves_device_internal.h"

typedef struct moves_run {
    weft_backend *be;
    rr_device *dev;
    weft_vrp_moves m;
} moves_run;

/* The op copies the batch to the device and the answers back, as the search's launches do. */
static int run_moves(void *u)
{
    moves_run *r = u;
    rr_batch *b = &r->dev->batch;
    return r->be->ops->vrp_best_insertions(r->be, r->dev->dev, &r->m, b->e_best, b->e_delta);
}

/* Every delivery against every slot of the constructed plan (each used route, one empty vehicle
 * per type): the full insertion neighbourhood, as rr_recreate's batch builds it. */
int bench_vrp_moves(weft_backend *be, weft_bench_data *d, weft_bench_item *it)
{
    rr_state *s = &d->plan;
    int nc = s->nc;
    int *list = weft_malloc(be->ctx, ((size_t)nc + 1) * sizeof *list);
    uint64_t *salt = weft_calloc(be->ctx, (size_t)nc + 1, sizeof *salt);
    int st = list && salt ? rr_device_attach(s, be)
                          : weft_error(be->ctx, WEFT_ERR_NOMEM, "bench: out of memory for %d deliveries", nc);
    moves_run r = {be, s->device, {0}};
    for (int c = 0; list && c < nc; c++) list[c] = c;
    if (!st) st = rr_batch_moves(r.dev, list, nc, salt, 0, &r.m);
    bench_call call = {run_moves, NULL, &r};
    if (!st) st = bench_time(&call, &d->opt, 1, "vrp_moves", it);
    if (!st) {
        double moves = r.m.move_start[r.m.n_cust];
        bench_figure(it, "moves", moves);
        bench_figure(it, "moves_per_s", moves / it->median_s);
        bench_figure(it, "customers", nc);
        bench_figure(it, "positions", r.m.n_pos);
    }
    rr_device_detach(s);
    weft_free(be->ctx, list);
    weft_free(be->ctx, salt);
    return st;
}

typedef struct ls_run {
    rr_ls_dev *L;
    rr_state *s;
    int32_t *best;
    double *delta;
} ls_run;

/* Packing the plan's routes into the launch's arrays counts: the search pays it every round. */
static int run_ls(void *u)
{
    ls_run *r = u;
    return rr_ls_evaluate(r->L, &r->s, 1, 0, r->best, r->delta);
}

/* Every routed delivery's granular neighbourhood (relocate of 1 to 3, swap, 2-opt, 2-opt*) in the
 * constructed plan, one vrp_ls_best launch. */
int bench_vrp_ls(weft_backend *be, weft_bench_data *d, weft_bench_item *it)
{
    rr_state *s = &d->plan;
    size_t nc = (size_t)s->nc + 1;
    ls_run r = {NULL, s, weft_malloc(be->ctx, nc * sizeof(int32_t)), weft_malloc(be->ctx, nc * sizeof(double))};
    int st = r.best && r.delta ? rr_ls_open(be->ctx, s, be, &r.L)
                               : weft_error(be->ctx, WEFT_ERR_NOMEM, "bench: out of memory for %zu moves", nc);
    bench_call call = {run_ls, NULL, &r};
    if (!st) st = bench_time(&call, &d->opt, 1, "vrp_ls", it);
    if (!st) {
        rr_ls_stats t = rr_ls_get_stats(r.L);
        double moves = t.launches ? t.moves / (double)t.launches : 0;
        bench_figure(it, "moves", moves);
        bench_figure(it, "moves_per_s", moves / it->median_s);
        bench_figure(it, "customers", t.launches ? (double)t.items / (double)t.launches : 0);
        bench_figure(it, "launch_s", t.launches ? t.seconds / (double)t.launches : 0);
    }
    rr_ls_close(&r.L);
    weft_free(be->ctx, r.best);
    weft_free(be->ctx, r.delta);
    return st;
}

typedef struct routing_run {
    weft_context *ctx;
    const weft_vrp *v;
    weft_vrp_options o;
    double cost;
    int routes, feasible;
} routing_run;

static int run_routing(void *u)
{
    routing_run *r = u;
    weft_vrp_solution *sol = NULL;
    weft_vrp_result res;
    int st = weft_vrp_solve(r->ctx, r->v, &r->o, &sol, &res);
    if (st) return st;
    r->cost = sol->cost, r->routes = sol->n_routes, r->feasible = sol->feasible;
    weft_vrp_solution_destroy(r->ctx, &sol);
    return WEFT_OK;
}

int bench_routing(weft_context *ctx, const weft_bench_data *d, const char *spec, weft_bench_item *it)
{
    routing_run r = {.ctx = ctx, .v = d->k.vrp};
    weft_vrp_options_default(&r.o);
    r.o.iteration_limit = d->route_iterations;
    r.o.seed = d->opt.seed;
    r.o.device = spec;
    /* batched local search on every device (the host's default is first improvement): the same
     * search, so the same solution, wherever it runs */
    r.o.local_search = WEFT_VRP_LS_BATCHED;
    bench_call c = {run_routing, NULL, &r};
    int st = bench_time(&c, &d->opt, 0, "routing", it);
    if (st) return st;
    bench_figure(it, "iterations", (double)d->route_iterations);
    bench_figure(it, "customers", d->k.vrp->n_customers);
    bench_figure(it, "cost", r.cost);
    bench_figure(it, "routes", r.routes);
    bench_figure(it, "feasible", r.feasible);
    return WEFT_OK;
}
