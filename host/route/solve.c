/* The routing metaheuristic: a greedy construction, then ruin-and-recreate steps accepted by
 * simulated annealing, the temperature falling geometrically with the fraction of the budget (the
 * iteration limit if one is set, so a seed reproduces the run; else the time limit). The best
 * solution is kept lexicographically: fewer unserved must-serve customers first, then cost. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "core/context_internal.h"
#include "backend/backend.h"
#include "route/ls_device.h"
#include "route/moves_device.h"
#include "route/rr_ops.h"

typedef struct rr_best {
    int *cust, *off, *unserved; /* off[nr + 1] */
    int n_unserved, missing;    /* missing: unserved must-serve customers */
    double cost;
} rr_best;

static double now_s(void) { return rr_now(); }

static int missing_required(const rr_state *s)
{
    int m = 0;
    for (int i = 0; i < s->n_unserved; i++) m += s->must[s->unserved[i]];
    return m;
}

static void snapshot(const rr_state *s, rr_best *b)
{
    int w = 0;
    for (int r = 0; r < s->nr; r++) {
        b->off[r] = w;
        memcpy(b->cust + w, s->routes[r].cust, (size_t)s->routes[r].len * sizeof *b->cust);
        w += s->routes[r].len;
    }
    b->off[s->nr] = w;
    b->n_unserved = s->n_unserved;
    memcpy(b->unserved, s->unserved, (size_t)s->n_unserved * sizeof *b->unserved);
    b->missing = missing_required(s);
    b->cost = s->cost;
}

static int better(const rr_state *s, const rr_best *b)
{
    int m = missing_required(s);
    return m < b->missing || (m == b->missing && s->cost < b->cost - 1e-9);
}

/* Objective value as reported: route_extra (the vehicles-first weight) taken out. */
static double reported_cost(const rr_state *s, const rr_best *b)
{
    int used = 0;
    for (int r = 0; r < s->nr; r++) used += b->off[r + 1] > b->off[r];
    return b->cost - used * s->route_extra;
}

static int export_best(const rr_state *s, const rr_best *b, weft_vrp_solution **out)
{
    weft_context *ctx = s->ctx;
    weft_vrp_solution *sol = weft_calloc(ctx, 1, sizeof *sol);
    int used = 0;
    for (int r = 0; r < s->nr; r++) used += b->off[r + 1] > b->off[r];
    if (sol) {
        sol->route_type = weft_calloc(ctx, (size_t)used + 1, sizeof(int32_t));
        sol->route_start = weft_calloc(ctx, (size_t)used + 2, sizeof(int32_t));
        sol->visits = weft_calloc(ctx, (size_t)s->nc + 1, sizeof(int32_t));
        sol->unserved = weft_calloc(ctx, (size_t)b->n_unserved + 1, sizeof(int32_t));
    }
    if (!sol || !sol->route_type || !sol->route_start || !sol->visits || !sol->unserved) {
        weft_vrp_solution_destroy(ctx, &sol);
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for the solution");
    }
    int w = 0, q = 0;
    for (int r = 0; r < s->nr; r++) {
        if (b->off[r + 1] == b->off[r]) continue;
        sol->route_type[q] = s->routes[r].type;
        sol->route_start[q++] = w;
        for (int i = b->off[r]; i < b->off[r + 1]; i++) sol->visits[w++] = b->cust[i];
    }
    sol->route_start[q] = w;
    sol->n_routes = q;
    sol->n_unserved = b->n_unserved;
    memcpy(sol->unserved, b->unserved, (size_t)b->n_unserved * sizeof(int32_t));
    *out = sol;
    return WEFT_OK;
}

void weft_vrp_options_default(weft_vrp_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

typedef struct rr_run {
    rr_state s;
    rr_best best;
    int *stamp, *list;
    double *key;
} rr_run;

static int run_alloc(weft_context *ctx, rr_run *run)
{
    size_t nc1 = (size_t)run->s.nc + 1, nr1 = (size_t)run->s.nr + 2;
    run->best.cust = weft_calloc(ctx, nc1, sizeof(int));
    run->best.off = weft_calloc(ctx, nr1, sizeof(int));
    run->best.unserved = weft_calloc(ctx, nc1, sizeof(int));
    run->stamp = weft_calloc(ctx, nr1, sizeof(int));
    run->list = weft_calloc(ctx, nc1, sizeof(int));
    run->key = weft_calloc(ctx, nc1, sizeof(double));
    if (!run->best.cust || !run->best.off || !run->best.unserved || !run->stamp || !run->list || !run->key)
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory");
    return WEFT_OK;
}

static void run_free(weft_context *ctx, rr_run *run)
{
    weft_free(ctx, run->best.cust), weft_free(ctx, run->best.off), weft_free(ctx, run->best.unserved);
    weft_free(ctx, run->stamp), weft_free(ctx, run->list), weft_free(ctx, run->key);
    rr_state_free(&run->s);
}

/* Temperatures scale with the average cost of an arc in the first solution: from 2 arcs down to
 * 1% of one (SISR uses 100 -> 1 on CVRPLIB X; starting hotter helped the wide-window Solomon
 * sets C2/RC2 and did not hurt X in short trials). */
static void temperatures(const rr_state *s, double *t0, double *tf)
{
    double routes = 0;
    int used = 0;
    for (int r = 0; r < s->nr; r++) routes += s->routes[r].cost, used += s->routes[r].len > 0;
    routes -= used * s->route_extra;
    double arc = routes / (s->nc + used > 0 ? s->nc + used : 1);
    if (!(arc > 0)) arc = 1;
    *t0 = 2 * arc;
    *tf = 0.01 * arc;
}

static void report(const weft_vrp_options *o, const rr_state *s, const rr_best *b, double t)
{
    if (!o->progress) return;
    int used = 0;
    for (int r = 0; r < s->nr; r++) used += b->off[r + 1] > b->off[r];
    o->progress(o->progress_user, t, reported_cost(s, b), used, b->n_unserved);
}

static void search(rr_run *run, const weft_vrp_options *o, double t_start, weft_vrp_result *res)
{
    rr_state *s = &run->s;
    double t0, tf;
    temperatures(s, &t0, &tf);
    int64_t it = 0, last_best = 0;
    /* small instances restart from a random construction when stuck: under hard windows and a
     * mixed fleet their good solutions can be cut off from each other */
    int64_t stuck = s->nc <= 30 ? 1000 + 20 * (int64_t)s->nc : INT64_MAX;
    double limit = o->time_limit > 0 ? o->time_limit : INFINITY;
    for (;; it++) {
        double el = now_s() - t_start;
        if (s->nomem) break;
        if (o->iteration_limit > 0 && it >= o->iteration_limit) {
            res->outcome = WEFT_VRP_ITERATION_LIMIT;
            break;
        }
        if (el >= limit) {
            res->outcome = WEFT_VRP_TIME_LIMIT;
            break;
        }
        double frac = o->iteration_limit > 0 ? (double)it / o->iteration_limit : el / limit;
        double temp = t0 * pow(tf / t0, frac);
        double before = s->cost;
        rr_begin_step(s);
        if (it - last_best > stuck) {
            rr_restart(s, run->list, run->key);
            last_best = it;
            before = INFINITY;
        } else {
            /* vehicles first: now and then try to do without one whole route */
            if (s->route_extra > 0 && rr_uniform(s) < 0.2) rr_ruin_route(s);
            else rr_ruin(s, run->stamp, (int)(it + 1));
            rr_recreate(s, run->list, run->key, 1);
        }
        if (s->cost < before - temp * log(rr_uniform(s) + 1e-300)) {
            if (better(s, &run->best)) {
                rr_local_search(s, 100000, 1);
                snapshot(s, &run->best);
                last_best = it;
                report(o, s, &run->best, now_s() - t_start);
            }
        } else {
            rr_undo_step(s);
        }
    }
    res->iterations = it;
}

/* Moves go to the backend named by device unless that is the CPU one (then the host path runs);
 * the batched local search runs on that backend, or on the cpu one when asked for on the host. */
static int attach_device(rr_state *s, const weft_vrp_options *o, weft_backend **be, weft_vrp_result *res)
{
    int host = !o->device || !strcmp(o->device, "cpu"), batched = o->local_search == WEFT_VRP_LS_BATCHED;
    if (host && !batched) return WEFT_OK;
    int st = weft_backend_open(s->ctx, host ? "cpu" : o->device, be);
    if (st) return st;
    int cl = strcmp((*be)->ops->name, "cpu") != 0;
    if (cl) st = rr_device_attach(s, *be);
    if (!st && cl) res->backend = (*be)->ops->name;
    if (!st && (batched || (cl && o->local_search == WEFT_VRP_LS_AUTO))) st = rr_ls_attach(s, *be);
    return st;
}

/* What the batched local search did, for -v. */
static void log_ls(weft_context *ctx, const rr_state *s)
{
    if (!s->ls) return;
    rr_ls_stats t = rr_ls_get_stats(s->ls);
    weft_log(ctx, WEFT_LOG_DETAIL, "routing: batched local search: %ld launches, %.0f moves (%.0f per launch) in %.3f s: %.3g moves/s",
             t.launches, t.moves, t.launches ? t.moves / t.launches : 0.0, t.seconds, t.seconds > 0 ? t.moves / t.seconds : 0.0);
}

weft_status weft_vrp_solve(weft_context *ctx, const weft_vrp *v, const weft_vrp_options *o,
                           weft_vrp_solution **out, weft_vrp_result *res)
{
    *out = NULL;
    memset(res, 0, sizeof *res);
    res->backend = "cpu";
    if (o->time_limit <= 0 && o->iteration_limit <= 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing: set a time limit or an iteration limit");
    double t_start = now_s();
    rr_run run;
    memset(&run, 0, sizeof run);
    weft_backend *be = NULL;
    int st = rr_state_init(&run.s, ctx, v, o->objective, o->seed);
    if (!st) st = run_alloc(ctx, &run);
    if (!st) st = attach_device(&run.s, o, &be, res);
    if (!st && o->time_limit > 0) run.s.deadline = t_start + o->time_limit;
    if (!st) {
        rr_begin_step(&run.s);
        rr_recreate(&run.s, run.list, run.key, 0);
        rr_local_search(&run.s, 1000000, 0);
        snapshot(&run.s, &run.best);
        report(o, &run.s, &run.best, now_s() - t_start);
        if (run.s.nc > 0 && !run.s.nomem) search(&run, o, t_start, res);
        else res->outcome = WEFT_VRP_ITERATION_LIMIT;
        if (run.s.nomem) st = rr_device_status(&run.s);
        if (run.s.nomem && !st) st = rr_ls_status(&run.s);
        if (run.s.nomem && !st) st = weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory growing a route");
        if (!st) st = export_best(&run.s, &run.best, out);
    }
    if (!st) st = weft_vrp_evaluate(ctx, v, *out, NULL);
    if (st) weft_vrp_solution_destroy(ctx, out);
    res->seconds = now_s() - t_start;
    log_ls(ctx, &run.s);
    rr_device_detach(&run.s);
    rr_ls_detach(&run.s);
    run_free(ctx, &run);
    weft_backend_close(&be);
    return st;
}
