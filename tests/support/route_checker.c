#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_checker.h"
#include "weft_test.h"

#define TOL 1e-6

static double coord_dist(const weft_vrp *v, int a, int b)
{
    double ax = a < v->n_depots ? v->depot_x[a] : v->x[a - v->n_depots];
    double ay = a < v->n_depots ? v->depot_y[a] : v->y[a - v->n_depots];
    double bx = b < v->n_depots ? v->depot_x[b] : v->x[b - v->n_depots];
    double by = b < v->n_depots ? v->depot_y[b] : v->y[b - v->n_depots];
    double d;
    if (v->lonlat) {
        double p = M_PI / 180, h = pow(sin((by - ay) * p / 2), 2) + cos(ay * p) * cos(by * p) * pow(sin((bx - ax) * p / 2), 2);
        d = 2 * 6371.0088 * asin(fmin(1, sqrt(h)));
    } else {
        d = sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
    }
    switch (v->convention) {
    case WEFT_VRP_DIST_ROUND: return (double)(long long)(d + 0.5);
    case WEFT_VRP_DIST_TRUNC1: return (double)(long long)(d * 10 + 1e-9) / 10;
    default: return d;
    }
}

static double dist(const weft_vrp *v, int a, int b)
{
    int k = v->n_depots + v->n_customers;
    return v->convention == WEFT_VRP_DIST_MATRIX ? v->dist[(size_t)a * k + b] : coord_dist(v, a, b);
}

static double travel(const weft_vrp *v, int a, int b)
{
    int k = v->n_depots + v->n_customers;
    return v->convention == WEFT_VRP_DIST_MATRIX ? v->time[(size_t)a * k + b] : coord_dist(v, a, b) / v->speed;
}

static double hours_per_unit(const weft_vrp *v)
{
    return !strcmp(v->time_unit, "s") ? 1 / 3600.0 : !strcmp(v->time_unit, "h") ? 1 : 1 / 60.0;
}

#define VIOLATE(...) do { if (rc->ok) snprintf(rc->why, sizeof rc->why, __VA_ARGS__); rc->ok = 0; } while (0)

/* One route: returns its cost; violations recorded in rc. */
static double check_route(const weft_vrp *v, int r, int t, const int32_t *c, int n, route_check *rc)
{
    int dep = v->type_depot[t], nd = v->n_depots;
    for (int d = 0; d < v->dims; d++) {
        double load = 0;
        for (int i = 0; i < n; i++) load += v->demand[(size_t)c[i] * v->dims + d];
        if (load > v->capacity[(size_t)t * v->dims + d] + TOL) VIOLATE("route %d: load %g > capacity %g (dim %d)", r, load, v->capacity[(size_t)t * v->dims + d], d);
    }
    double open = v->shift_start[t] > v->depot_open[dep] ? v->shift_start[t] : v->depot_open[dep];
    double close = v->shift_end[t] < v->depot_close[dep] ? v->shift_end[t] : v->depot_close[dep];
    /* forward pass leaving at open; slack = how far the departure can slip without lateness */
    double now = open, waited = 0, slack = INFINITY, km = 0;
    int at = dep;
    for (int i = 0; i <= n; i++) {
        int loc = i < n ? nd + c[i] : dep;
        double arr = now + travel(v, at, loc);
        if (!isfinite(arr)) VIOLATE("route %d: visit %d cannot be reached", r, i);
        km += dist(v, at, loc);
        double lo = i < n ? v->tw_open[c[i]] : -INFINITY, hi = i < n ? v->tw_close[c[i]] : close;
        double start = arr > lo ? arr : lo;
        if (start > hi + TOL) VIOLATE("route %d: visit %d starts at %g after its window closes at %g", r, i, start, hi);
        waited += start - arr;
        double s = waited + (hi - start);
        if (s < slack) slack = s;
        now = start + (i < n ? v->service[c[i]] : 0);
        at = loc;
    }
    double delay = slack < waited ? slack : waited;
    if (delay < 0) delay = 0;
    double duration = (now - open) - delay;
    if (duration > v->max_duration[t] + TOL) VIOLATE("route %d: duration %g > max %g", r, duration, v->max_duration[t]);
    rc->distance += km;
    return v->fixed_cost[t] + v->cost_per_km[t] * km + v->cost_per_hour[t] * hours_per_unit(v) * duration;
}

double route_checker_route(const weft_vrp *v, int t, const int32_t *c, int n, int *ok)
{
    route_check r = {1, 0, 0, 0, ""};
    double cost = check_route(v, 0, t, c, n, &r);
    *ok = r.ok;
    return cost;
}

route_check route_checker_run(const weft_vrp *v, const weft_vrp_solution *sol)
{
    route_check r = {1, 0, 0, 0, ""}, *rc = &r;
    int *seen = calloc((size_t)v->n_customers + 1, sizeof *seen), *used = calloc((size_t)v->n_types + 1, sizeof *used);
    for (int q = 0; q < sol->n_routes; q++) {
        int t = sol->route_type[q], b = sol->route_start[q], n = sol->route_start[q + 1] - b;
        if (t < 0 || t >= v->n_types) { VIOLATE("route %d: type %d", q, t); continue; }
        if (n <= 0) { VIOLATE("route %d is empty", q); continue; }
        for (int i = 0; i < n; i++) {
            int c = sol->visits[b + i];
            if (c < 0 || c >= v->n_customers) { VIOLATE("route %d: customer index %d", q, c); n = 0; break; }
            seen[c]++;
        }
        if (!n) continue;
        used[t]++;
        r.vehicles++;
        r.cost += check_route(v, q, t, sol->visits + b, n, rc);
    }
    for (int i = 0; i < sol->n_unserved; i++) {
        int c = sol->unserved[i];
        if (c < 0 || c >= v->n_customers) { VIOLATE("unserved index %d", c); continue; }
        seen[c]++;
        if (!v->penalty || !isfinite(v->penalty[c])) VIOLATE("must-serve customer %d (id %d) unserved", c, v->id[c]);
        else r.cost += v->penalty[c];
    }
    for (int c = 0; c < v->n_customers; c++)
        if (seen[c] != 1) VIOLATE("customer %d (id %d) appears %d times", c, v->id[c], seen[c]);
    for (int t = 0; t < v->n_types; t++)
        if (used[t] > v->count[t]) VIOLATE("type %d: %d vehicles used, %d available", t, used[t], v->count[t]);
    free(seen), free(used);
    return r;
}

void route_checker_assert(const weft_vrp *v, const weft_vrp_solution *sol)
{
    route_check r = route_checker_run(v, sol);
    if (!r.ok) print_error("route checker: %s\n", r.why);
    assert_true(r.ok);
    assert_double_close(sol->cost, r.cost, 1e-9, 1e-6);
}
