/* Validation of a routing instance: every message names the field and the row at fault. */
#include <math.h>
#include <stdio.h>

#include "core/context_internal.h"
#include "weft/route.h"

#define BAD(...) weft_error(ctx, WEFT_ERR_BAD_INPUT, __VA_ARGS__)

/* lo <= v[i] (NaN fails), and finite unless allow_inf. */
static int check_column(weft_context *ctx, const char *what, const char *field, const double *v,
                        size_t n, double lo, int allow_inf)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i])) return BAD("%s: %s[%zu] is NaN", what, field, i);
        if (!allow_inf && isinf(v[i])) return BAD("%s: %s[%zu] is infinite", what, field, i);
        if (v[i] < lo) return BAD("%s: %s[%zu] = %g is below %g", what, field, i, v[i], lo);
        if (weft_out_of_range(v[i]))
            return BAD("%s: %s[%zu] = %g is out of range (|value| > %g)", what, field, i, v[i], WEFT_INPUT_MAX_ABS);
    }
    return WEFT_OK;
}

static int check_windows(weft_context *ctx, const char *what, const char *lo_name, const double *lo,
                         const char *hi_name, const double *hi, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lo[i] > hi[i])
            return BAD("%s: %s[%zu] = %g is after %s[%zu] = %g", what, lo_name, i, lo[i], hi_name, i, hi[i]);
    return WEFT_OK;
}

static int check_columns(weft_context *ctx, const weft_vrp *v, const char *what)
{
    size_t nd = v->n_depots, nc = v->n_customers, nt = v->n_types, D = v->dims;
    int st = 0;
    if (!st) st = check_column(ctx, what, "depots/x", v->depot_x, nd, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "depots/y", v->depot_y, nd, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "depots/tw_open", v->depot_open, nd, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "depots/tw_close", v->depot_close, nd, -INFINITY, 1);
    if (!st) st = check_windows(ctx, what, "depots/tw_open", v->depot_open, "depots/tw_close", v->depot_close, nd);
    if (!st) st = check_column(ctx, what, "customers/x", v->x, nc, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "customers/y", v->y, nc, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "customers/demand", v->demand, nc * D, 0, 0);
    if (!st) st = check_column(ctx, what, "customers/service", v->service, nc, 0, 0);
    if (!st) st = check_column(ctx, what, "customers/tw_open", v->tw_open, nc, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "customers/tw_close", v->tw_close, nc, -INFINITY, 1);
    if (!st) st = check_windows(ctx, what, "customers/tw_open", v->tw_open, "customers/tw_close", v->tw_close, nc);
    if (!st && v->penalty) st = check_column(ctx, what, "customers/penalty", v->penalty, nc, 0, 1);
    if (!st) st = check_column(ctx, what, "fleet/capacity", v->capacity, nt * D, 0, 1);
    if (!st) st = check_column(ctx, what, "fleet/fixed_cost", v->fixed_cost, nt, 0, 0);
    if (!st) st = check_column(ctx, what, "fleet/cost_per_km", v->cost_per_km, nt, 0, 0);
    if (!st) st = check_column(ctx, what, "fleet/cost_per_hour", v->cost_per_hour, nt, 0, 0);
    if (!st) st = check_column(ctx, what, "fleet/shift_start", v->shift_start, nt, -INFINITY, 0);
    if (!st) st = check_column(ctx, what, "fleet/shift_end", v->shift_end, nt, -INFINITY, 1);
    if (!st) st = check_windows(ctx, what, "fleet/shift_start", v->shift_start, "fleet/shift_end", v->shift_end, nt);
    if (!st) st = check_column(ctx, what, "fleet/max_duration", v->max_duration, nt, 0, 1);
    return st;
}

static int check_fleet_indices(weft_context *ctx, const weft_vrp *v, const char *what)
{
    for (int32_t t = 0; t < v->n_types; t++) {
        if (v->count[t] < 0) return BAD("%s: fleet/count[%d] = %d is negative", what, t, v->count[t]);
        if (v->type_depot[t] < 0 || v->type_depot[t] >= v->n_depots)
            return BAD("%s: fleet/depot[%d] = %d is not a depot index (0..%d)", what, t, v->type_depot[t],
                       v->n_depots - 1);
    }
    return WEFT_OK;
}

static int check_matrices(weft_context *ctx, const weft_vrp *v, const char *what)
{
    if (!v->dist || !v->time) return BAD("%s: distance and time matrices missing", what);
    size_t k = (size_t)v->n_depots + v->n_customers;
    for (size_t i = 0; i < k * k; i++) {
        if (isnan(v->dist[i]) || v->dist[i] < 0)
            return BAD("%s: distance[%zu][%zu] = %g is negative or NaN", what, i / k, i % k, v->dist[i]);
        if (isnan(v->time[i]) || v->time[i] < 0)
            return BAD("%s: time[%zu][%zu] = %g is negative or NaN", what, i / k, i % k, v->time[i]);
        if (weft_out_of_range(v->dist[i]) || weft_out_of_range(v->time[i]))
            return BAD("%s: distance or time[%zu][%zu] = %g, %g is out of range (|value| > %g)", what, i / k, i % k,
                       v->dist[i], v->time[i], WEFT_INPUT_MAX_ABS);
    }
    return WEFT_OK;
}

/* Can vehicle type t serve customer c alone (out and back) within capacity, window and shift? */
static int type_serves(const weft_vrp *v, int32_t t, int32_t c)
{
    size_t k = (size_t)v->n_depots + v->n_customers, D = v->dims;
    for (size_t d = 0; d < D; d++)
        if (v->demand[c * D + d] > v->capacity[t * D + d]) return 0;
    size_t dep = v->type_depot[t], loc = v->n_depots + (size_t)c;
    double open = fmax(v->shift_start[t], v->depot_open[dep]);
    double close = fmin(v->shift_end[t], v->depot_close[dep]);
    double t_out = v->time[dep * k + loc], t_back = v->time[loc * k + dep];
    if (!isfinite(t_out) || !isfinite(t_back)) return 0;
    double start = fmax(open + t_out, v->tw_open[c]);
    if (start > v->tw_close[c] + 1e-9) return 0;
    double back = start + v->service[c] + t_back;
    if (back > close + 1e-9) return 0;
    return t_out + v->service[c] + t_back <= v->max_duration[t] + 1e-9;
}

static int check_servable(weft_context *ctx, const weft_vrp *v, const char *what)
{
    for (int32_t c = 0; c < v->n_customers; c++) {
        int fits = 0, any_cap = 0;
        for (int32_t t = 0; t < v->n_types && !fits; t++) {
            if (v->count[t] == 0) continue;
            int cap = 1;
            for (int32_t d = 0; d < v->dims; d++)
                if (v->demand[(size_t)c * v->dims + d] > v->capacity[(size_t)t * v->dims + d]) cap = 0;
            any_cap |= cap;
            fits = type_serves(v, t, c);
        }
        int optional = v->penalty && isfinite(v->penalty[c]);
        if (!fits && !optional) {
            if (!any_cap)
                return BAD("%s: customers/demand[%d] (id %d) exceeds the capacity of every vehicle", what, c,
                           v->id[c]);
            return BAD("%s: customer %d (id %d) cannot be reached and served within its window by any vehicle",
                       what, c, v->id[c]);
        }
    }
    return WEFT_OK;
}

weft_status weft_vrp_validate(weft_context *ctx, const weft_vrp *v, const char *what)
{
    if (!what) what = v->name ? v->name : "routing instance";
    int st = check_columns(ctx, v, what);
    if (!st) st = check_fleet_indices(ctx, v, what);
    if (!st && (!(v->speed > 0) || !isfinite(v->speed))) st = BAD("%s: speed %g must be positive", what, v->speed);
    if (!st) st = check_matrices(ctx, v, what);
    if (!st) st = check_servable(ctx, v, what);
    return st;
}
