/* The routing instance: allocation, matrices from coordinates, validation. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "weft/route.h"

#define ALLOC(field, count)                                                        \
    do {                                                                           \
        size_t count_ = (size_t)(count);                                           \
        if (!((field) = weft_calloc(ctx, count_ ? count_ : 1, sizeof *(field))))   \
            goto nomem;                                                            \
    } while (0)

weft_status weft_vrp_create(weft_context *ctx, int32_t nd, int32_t nc, int32_t nt, int32_t dims,
                            weft_vrp **out)
{
    *out = NULL;
    if (nd < 1 || nc < 0 || nt < 1 || dims < 1 || dims > 64 || nc > 10000000 || nd > 100000 || nt > 100000)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG,
                          "routing instance: bad sizes (%d depots, %d customers, %d types, %d dims)", nd,
                          nc, nt, dims);
    weft_vrp *v = weft_calloc(ctx, 1, sizeof *v);
    if (!v) goto nomem;
    v->n_depots = nd, v->n_customers = nc, v->n_types = nt, v->dims = dims;
    v->speed = 1;
    snprintf(v->time_unit, sizeof v->time_unit, "min");
    ALLOC(v->depot_x, nd); ALLOC(v->depot_y, nd); ALLOC(v->depot_open, nd); ALLOC(v->depot_close, nd);
    ALLOC(v->depot_node, nd);
    ALLOC(v->x, nc); ALLOC(v->y, nc); ALLOC(v->demand, (size_t)nc * dims); ALLOC(v->service, nc);
    ALLOC(v->tw_open, nc); ALLOC(v->tw_close, nc); ALLOC(v->node, nc); ALLOC(v->id, nc);
    ALLOC(v->count, nt); ALLOC(v->type_depot, nt); ALLOC(v->capacity, (size_t)nt * dims);
    ALLOC(v->fixed_cost, nt); ALLOC(v->cost_per_km, nt); ALLOC(v->cost_per_hour, nt);
    ALLOC(v->shift_start, nt); ALLOC(v->shift_end, nt); ALLOC(v->max_duration, nt);
    for (int32_t i = 0; i < nd; i++) v->depot_close[i] = INFINITY, v->depot_node[i] = -1;
    for (int32_t i = 0; i < nc; i++) v->tw_close[i] = INFINITY, v->node[i] = -1, v->id[i] = i + 1;
    for (int32_t t = 0; t < nt; t++) {
        v->count[t] = 1, v->cost_per_km[t] = 1;
        v->shift_end[t] = INFINITY, v->max_duration[t] = INFINITY;
    }
    *out = v;
    return WEFT_OK;
nomem:
    weft_vrp_destroy(ctx, &v);
    return weft_error(ctx, WEFT_ERR_NOMEM, "routing instance: out of memory (%d customers)", nc);
}

static void free_names(weft_context *ctx, char **names, int32_t n)
{
    if (!names) return;
    for (int32_t i = 0; i < n; i++) weft_free(ctx, names[i]);
    weft_free(ctx, names);
}

void weft_vrp_destroy(weft_context *ctx, weft_vrp **p)
{
    if (!p || !*p) return;
    weft_vrp *v = *p;
    void *arrays[] = {v->name, v->depot_x, v->depot_y, v->depot_open, v->depot_close, v->depot_node,
                      v->x, v->y, v->demand, v->service, v->tw_open, v->tw_close, v->penalty, v->node,
                      v->id, v->count, v->type_depot, v->capacity, v->fixed_cost, v->cost_per_km,
                      v->cost_per_hour, v->shift_start, v->shift_end, v->max_duration, v->dist, v->time};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) weft_free(ctx, arrays[i]);
    free_names(ctx, v->depot_name, v->n_depots);
    free_names(ctx, v->cust_name, v->n_customers);
    free_names(ctx, v->type_name, v->n_types);
    weft_free(ctx, v);
    *p = NULL;
}

const char *weft_vrp_distance_name(weft_vrp_distance d)
{
    switch (d) {
    case WEFT_VRP_DIST_ROUND: return "round";
    case WEFT_VRP_DIST_TRUNC1: return "trunc1";
    case WEFT_VRP_DIST_MATRIX: return "matrix";
    default: return "exact";
    }
}

int weft_vrp_distance_parse(const char *name)
{
    for (int d = WEFT_VRP_DIST_EXACT; d <= WEFT_VRP_DIST_MATRIX; d++)
        if (!strcmp(name, weft_vrp_distance_name((weft_vrp_distance)d))) return d;
    return -1;
}

double weft_vrp_hours_per_unit(const weft_vrp *v)
{
    if (!strcmp(v->time_unit, "s")) return 1.0 / 3600;
    if (!strcmp(v->time_unit, "h")) return 1;
    return 1.0 / 60;
}

static double haversine_km(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371.0088, rad = M_PI / 180;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(fmin(1, sqrt(a)));
}

static double apply_convention(weft_vrp_distance c, double d)
{
    if (c == WEFT_VRP_DIST_ROUND) return floor(d + 0.5);
    /* the DIMACS convention: truncate (not round) after one decimal; the small nudge keeps
     * values such as 12.3 that land just under their decimal in binary from losing 0.1 */
    if (c == WEFT_VRP_DIST_TRUNC1) return floor(d * 10 + 1e-9) / 10;
    return d;
}

weft_status weft_vrp_build_matrices(weft_context *ctx, weft_vrp *v)
{
    if (v->convention == WEFT_VRP_DIST_MATRIX)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing instance: matrices must be given (convention matrix)");
    if (!(v->speed > 0) || !isfinite(v->speed))
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "routing instance: speed %g must be positive", v->speed);
    size_t k = (size_t)v->n_depots + v->n_customers;
    if (k > WEFT_VRP_MAX_LOCATIONS)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: %zu locations: dense matrices are limited to %d",
                          v->name ? v->name : "routing instance", k, WEFT_VRP_MAX_LOCATIONS);
    weft_free(ctx, v->dist), weft_free(ctx, v->time);
    v->dist = weft_calloc(ctx, k * k, sizeof *v->dist);
    v->time = weft_calloc(ctx, k * k, sizeof *v->time);
    if (!v->dist || !v->time)
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing instance: out of memory for a %zu x %zu matrix", k, k);
    for (size_t i = 0; i < k; i++) {
        double xi = i < (size_t)v->n_depots ? v->depot_x[i] : v->x[i - v->n_depots];
        double yi = i < (size_t)v->n_depots ? v->depot_y[i] : v->y[i - v->n_depots];
        for (size_t j = 0; j < k; j++) {
            double xj = j < (size_t)v->n_depots ? v->depot_x[j] : v->x[j - v->n_depots];
            double yj = j < (size_t)v->n_depots ? v->depot_y[j] : v->y[j - v->n_depots];
            double d = v->lonlat ? haversine_km(xi, yi, xj, yj) : hypot(xi - xj, yi - yj);
            d = apply_convention(v->convention, d);
            v->dist[i * k + j] = d;
            v->time[i * k + j] = d / v->speed;
        }
    }
    return WEFT_OK;
}
