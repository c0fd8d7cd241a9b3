/* Walking a solution from scratch: schedule, loads, costs and feasibility. Each route leaves its
 * depot at the latest time that keeps every later window: that gives the shortest duration. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "weft/route.h"

#define TOL 1e-7

void weft_vrp_solution_destroy(weft_context *ctx, weft_vrp_solution **p)
{
    if (!p || !*p) return;
    weft_free(ctx, (*p)->route_type), weft_free(ctx, (*p)->route_start);
    weft_free(ctx, (*p)->visits), weft_free(ctx, (*p)->unserved);
    weft_free(ctx, *p);
    *p = NULL;
}

typedef struct route_walk {
    double distance, duration, departure;
    int ok;
} route_walk;

static double tt(const weft_vrp *v, int a, int b) { return v->time[(size_t)a * (v->n_depots + v->n_customers) + b]; }
static double dd(const weft_vrp *v, int a, int b) { return v->dist[(size_t)a * (v->n_depots + v->n_customers) + b]; }

/* Total waiting on the route when leaving the depot at `open`. */
static double waiting_from(const weft_vrp *v, const int32_t *c, int n, int dep, double open)
{
    double now = open, wait = 0;
    int at = dep;
    for (int i = 0; i < n; i++) {
        double arr = now + tt(v, at, v->n_depots + c[i]);
        wait += fmax(0, v->tw_open[c[i]] - arr);
        now = fmax(arr, v->tw_open[c[i]]) + v->service[c[i]];
        at = v->n_depots + c[i];
    }
    return wait;
}

/* Schedules one route of type t over customers c[0..n); fills arrival/start when given. */
static route_walk walk(const weft_vrp *v, int t, const int32_t *c, int n, double *arrival, double *start)
{
    route_walk w = {0, 0, 0, 1};
    int dep = v->type_depot[t], nd = v->n_depots;
    double open = fmax(v->shift_start[t], v->depot_open[dep]), close = fmin(v->shift_end[t], v->depot_close[dep]);
    /* latest service starts, backwards from the return deadline */
    double latest = close;
    int next = dep;
    for (int i = n - 1; i >= 0; i--) {
        int loc = nd + c[i];
        latest = fmin(v->tw_close[c[i]], latest - tt(v, loc, next) - v->service[c[i]]);
        next = loc;
    }
    double depart = n ? latest - tt(v, dep, next) : open;
    if (isinf(depart)) depart = open + waiting_from(v, c, n, dep, open); /* no deadline anywhere */
    if (!(depart >= open - TOL)) w.ok = 0, depart = open;
    depart = fmin(depart, close);
    double now = depart;
    int at = dep;
    for (int i = 0; i < n; i++) {
        int loc = nd + c[i];
        double arr = now + tt(v, at, loc), s = fmax(arr, v->tw_open[c[i]]);
        if (!isfinite(arr)) w.ok = 0; /* unreachable */
        if (!(s <= v->tw_close[c[i]] + TOL)) w.ok = 0;
        if (arrival) arrival[i] = arr;
        if (start) start[i] = s;
        w.distance += dd(v, at, loc);
        now = s + v->service[c[i]];
        at = loc;
    }
    double back = now + tt(v, at, dep);
    if (!isfinite(back)) w.ok = 0;
    w.distance += dd(v, at, dep);
    if (!(back <= close + TOL)) w.ok = 0;
    w.duration = back - depart;
    if (!(w.duration <= v->max_duration[t] + TOL)) w.ok = 0;
    w.departure = depart;
    return w;
}

/* Each customer at most once, indices in range, fleet counts kept. */
static int check_structure(weft_context *ctx, const weft_vrp *v, const weft_vrp_solution *sol, int *ok)
{
    int nc = v->n_customers;
    int *seen = weft_calloc(ctx, (size_t)nc + 1, sizeof *seen), *used = weft_calloc(ctx, (size_t)v->n_types + 1, sizeof *used);
    if (!seen || !used) {
        weft_free(ctx, seen), weft_free(ctx, used);
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory evaluating a solution");
    }
    int st = WEFT_OK;
    for (int r = 0; r < sol->n_routes && !st; r++) {
        int t = sol->route_type[r];
        if (t < 0 || t >= v->n_types) st = weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing: route %d has type %d", r, t);
        else used[t]++;
        for (int i = sol->route_start[r]; !st && i < sol->route_start[r + 1]; i++) {
            int c = sol->visits[i];
            if (c < 0 || c >= nc) st = weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing: visit of customer %d", c);
            else seen[c]++;
        }
    }
    for (int i = 0; i < sol->n_unserved && !st; i++) {
        int c = sol->unserved[i];
        if (c < 0 || c >= nc) st = weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing: unserved customer %d", c);
        else seen[c]++;
    }
    for (int c = 0; c < nc && !st; c++)
        if (seen[c] != 1) *ok = 0;
    for (int t = 0; t < v->n_types && !st; t++)
        if (used[t] > v->count[t]) *ok = 0;
    weft_free(ctx, seen), weft_free(ctx, used);
    return st;
}

static int load_fits(const weft_vrp *v, int t, const int32_t *c, int n, double *load)
{
    int D = v->dims, ok = 1;
    for (int d = 0; d < D; d++) {
        double total = 0;
        for (int i = 0; i < n; i++) total += v->demand[(size_t)c[i] * D + d];
        if (total > v->capacity[(size_t)t * D + d] + TOL) ok = 0;
        /* on board when leaving visit i: what is still to be delivered */
        for (int i = 0; load && i < n; i++) {
            total -= v->demand[(size_t)c[i] * D + d];
            load[(size_t)i * D + d] = total;
        }
    }
    return ok;
}

weft_status weft_vrp_evaluate(weft_context *ctx, const weft_vrp *v, weft_vrp_solution *sol, weft_vrp_schedule *sc)
{
    int ok = 1;
    int st = check_structure(ctx, v, sol, &ok);
    if (st) return st;
    double hpu = weft_vrp_hours_per_unit(v);
    sol->fixed_cost = sol->distance_cost = sol->time_cost = sol->penalty_cost = sol->distance = 0;
    for (int r = 0; r < sol->n_routes; r++) {
        int t = sol->route_type[r], b = sol->route_start[r], n = sol->route_start[r + 1] - b;
        route_walk w = walk(v, t, sol->visits + b, n, sc && sc->arrival ? sc->arrival + b : NULL,
                            sc && sc->start ? sc->start + b : NULL);
        if (!load_fits(v, t, sol->visits + b, n, sc && sc->load ? sc->load + (size_t)b * v->dims : NULL)) ok = 0;
        ok &= w.ok;
        double fixed = n ? v->fixed_cost[t] : 0, dc = n ? v->cost_per_km[t] * w.distance : 0;
        double tc = n ? v->cost_per_hour[t] * hpu * w.duration : 0;
        sol->fixed_cost += fixed, sol->distance_cost += dc, sol->time_cost += tc, sol->distance += w.distance;
        if (sc && sc->route_distance) sc->route_distance[r] = w.distance;
        if (sc && sc->route_duration) sc->route_duration[r] = w.duration;
        if (sc && sc->route_departure) sc->route_departure[r] = w.departure;
        if (sc && sc->route_cost) sc->route_cost[r] = fixed + dc + tc;
    }
    for (int i = 0; i < sol->n_unserved; i++) {
        int c = sol->unserved[i];
        if (!v->penalty || !isfinite(v->penalty[c])) ok = 0;
        else sol->penalty_cost += v->penalty[c];
    }
    sol->cost = sol->fixed_cost + sol->distance_cost + sol->time_cost + sol->penalty_cost;
    sol->feasible = ok;
    return WEFT_OK;
}
