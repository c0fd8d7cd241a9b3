/* /logistics in a fleet file (datasets/SCHEMA.md): depots, customers, fleet types, and optionally
 * the k x k matrices /logistics/matrix/{time_s,distance_m} over depots then customers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "weft/route.h"

#define G "/logistics"

/* Seconds per time unit. */
static double unit_seconds(const char *u)
{
    return !strcmp(u, "s") ? 1 : !strcmp(u, "h") ? 3600 : 60;
}

static int write_depots(weft_h5 *h, const weft_vrp *v, const char *xy_units)
{
    size_t n = v->n_depots;
    int st = weft_h5_write_int(h, G "/depots/node", v->depot_node, n, "1");
    if (!st) st = weft_h5_write_real(h, G "/depots/x", v->depot_x, n, xy_units);
    if (!st) st = weft_h5_write_real(h, G "/depots/y", v->depot_y, n, xy_units);
    if (!st) st = weft_h5_write_real(h, G "/depots/tw_open", v->depot_open, n, v->time_unit);
    if (!st) st = weft_h5_write_real(h, G "/depots/tw_close", v->depot_close, n, v->time_unit);
    if (!st && v->depot_name) st = weft_h5_write_strings(h, G "/depots/name", v->depot_name, n);
    return st;
}

static int write_customers(weft_h5 *h, const weft_vrp *v, const char *xy_units)
{
    size_t n = v->n_customers;
    int st = weft_h5_write_int(h, G "/customers/node", v->node, n, "1");
    if (!st) st = weft_h5_write_int(h, G "/customers/id", v->id, n, "1");
    if (!st) st = weft_h5_write_real(h, G "/customers/x", v->x, n, xy_units);
    if (!st) st = weft_h5_write_real(h, G "/customers/y", v->y, n, xy_units);
    if (!st) st = weft_h5_write_real2(h, G "/customers/demand", v->demand, n, v->dims, "1");
    if (!st) st = weft_h5_write_real(h, G "/customers/service", v->service, n, v->time_unit);
    if (!st) st = weft_h5_write_real(h, G "/customers/tw_open", v->tw_open, n, v->time_unit);
    if (!st) st = weft_h5_write_real(h, G "/customers/tw_close", v->tw_close, n, v->time_unit);
    if (!st && v->penalty) st = weft_h5_write_real(h, G "/customers/penalty", v->penalty, n, "currency");
    if (!st && v->cust_name) st = weft_h5_write_strings(h, G "/customers/name", v->cust_name, n);
    return st;
}

static int write_fleet_types(weft_h5 *h, const weft_vrp *v)
{
    size_t n = v->n_types;
    int st = weft_h5_write_int(h, G "/fleet/count", v->count, n, "1");
    if (!st) st = weft_h5_write_int(h, G "/fleet/depot", v->type_depot, n, "1");
    if (!st) st = weft_h5_write_real2(h, G "/fleet/capacity", v->capacity, n, v->dims, "1");
    if (!st) st = weft_h5_write_real(h, G "/fleet/fixed_cost", v->fixed_cost, n, "currency");
    if (!st) st = weft_h5_write_real(h, G "/fleet/cost_per_km", v->cost_per_km, n, "currency/km");
    if (!st) st = weft_h5_write_real(h, G "/fleet/cost_per_hour", v->cost_per_hour, n, "currency/h");
    if (!st) st = weft_h5_write_real(h, G "/fleet/shift_start", v->shift_start, n, v->time_unit);
    if (!st) st = weft_h5_write_real(h, G "/fleet/shift_end", v->shift_end, n, v->time_unit);
    if (!st) st = weft_h5_write_real(h, G "/fleet/max_duration", v->max_duration, n, v->time_unit);
    if (!st && v->type_name) st = weft_h5_write_strings(h, G "/fleet/name", v->type_name, n);
    return st;
}

/* The matrices in the file's own units: metres and seconds. */
static int write_matrices(weft_h5 *h, const weft_vrp *v)
{
    size_t k = (size_t)v->n_depots + v->n_customers;
    double *m = weft_calloc(h->ctx, k * k, sizeof *m);
    if (!m) return weft_error(h->ctx, WEFT_ERR_NOMEM, "%s: out of memory", h->path);
    double s = unit_seconds(v->time_unit);
    for (size_t i = 0; i < k * k; i++) m[i] = v->time[i] * s;
    int st = weft_h5_write_real2(h, G "/matrix/time_s", m, k, k, "s");
    for (size_t i = 0; i < k * k; i++) m[i] = v->dist[i] * 1000;
    if (!st) st = weft_h5_write_real2(h, G "/matrix/distance_m", m, k, k, "m");
    weft_free(h->ctx, m);
    return st;
}

weft_status weft_write_fleet(weft_context *ctx, const weft_vrp *v, const char *path)
{
    weft_h5 h;
    int st = weft_h5_create(ctx, path, &h);
    if (st) return st;
    const char *xy = v->lonlat ? "deg" : "km";
    st = weft_h5_make_group(&h, G);
    if (!st) st = weft_h5_attr_string(&h, G, "distance_convention", weft_vrp_distance_name(v->convention));
    if (!st) st = weft_h5_attr_string(&h, G, "coords", v->lonlat ? "lonlat" : "planar");
    if (!st) st = weft_h5_attr_string(&h, G, "time_unit", v->time_unit);
    if (!st) st = weft_h5_attr_real(&h, G, "speed", v->speed);
    if (!st) st = weft_h5_attr_string(&h, G, "name", v->name ? v->name : "");
    if (!st) st = write_depots(&h, v, xy);
    if (!st) st = write_customers(&h, v, xy);
    if (!st) st = write_fleet_types(&h, v);
    if (!st && v->convention == WEFT_VRP_DIST_MATRIX) st = write_matrices(&h, v);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    return st;
}

/* ---- reading ---- */

typedef struct fleet_reader {
    weft_h5 h;
    weft_vrp *v;
} fleet_reader;

/* Reads a 1-D column of exactly n values into dst; optional columns keep dst when absent. */
static int col_real(fleet_reader *r, const char *dset, size_t n, double *dst, int optional, int allow_inf)
{
    if (optional && !weft_h5_exists(&r->h, dset)) return WEFT_OK;
    double *buf = NULL;
    int st = weft_h5_read_real(&r->h, dset, (long)n, &buf, NULL);
    if (!st) st = weft_h5_check_finite(&r->h, dset, buf, n, allow_inf);
    if (!st) memcpy(dst, buf, n * sizeof *dst);
    weft_free(r->h.ctx, buf);
    return st;
}

static int col_int(fleet_reader *r, const char *dset, size_t n, int32_t *dst, int optional)
{
    if (optional && !weft_h5_exists(&r->h, dset)) return WEFT_OK;
    int32_t *buf = NULL;
    int st = weft_h5_read_int(&r->h, dset, (long)n, &buf, NULL);
    if (!st) memcpy(dst, buf, n * sizeof *dst);
    weft_free(r->h.ctx, buf);
    return st;
}

static int col_strings(fleet_reader *r, const char *dset, size_t n, char ***dst)
{
    if (!weft_h5_exists(&r->h, dset)) return WEFT_OK;
    size_t got;
    return weft_h5_read_strings(&r->h, dset, (long)n, dst, &got);
}

/* A 2-D [rows x dims] table; dims must match the instance's. */
static int table2(fleet_reader *r, const char *dset, size_t rows, double *dst)
{
    double *buf = NULL;
    size_t nr, nc;
    int st = weft_h5_read_real2(&r->h, dset, &buf, &nr, &nc);
    if (!st && (nr != rows || nc != (size_t)r->v->dims))
        st = weft_error(r->h.ctx, WEFT_ERR_BAD_INPUT, "%s: %s is %zu x %zu, expected %zu x %d", r->h.path, dset,
                        nr, nc, rows, r->v->dims);
    if (!st) st = weft_h5_check_finite(&r->h, dset, buf, nr * nc, 1);
    if (!st) memcpy(dst, buf, nr * nc * sizeof *dst);
    weft_free(r->h.ctx, buf);
    return st;
}

/* Sizes from the lengths of depots/x, customers/x, fleet/count and the width of customers/demand. */
static int read_sizes(weft_h5 *h, size_t *nd, size_t *nc, size_t *nt, size_t *dims)
{
    double *a = NULL;
    int32_t *b = NULL;
    size_t rows;
    int st = weft_h5_read_real(h, G "/depots/x", -1, &a, nd);
    weft_free(h->ctx, a), a = NULL;
    if (!st) st = weft_h5_read_real(h, G "/customers/x", -1, &a, nc);
    weft_free(h->ctx, a), a = NULL;
    if (!st) st = weft_h5_read_int(h, G "/fleet/count", -1, &b, nt);
    weft_free(h->ctx, b);
    if (!st) st = weft_h5_read_real2(h, G "/customers/demand", &a, &rows, dims);
    weft_free(h->ctx, a);
    if (!st && *nd + *nc > WEFT_VRP_MAX_LOCATIONS)
        st = weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: %zu depots and customers: dense matrices are limited to %d",
                        h->path, *nd + *nc, WEFT_VRP_MAX_LOCATIONS);
    if (!st && (*nd < 1 || *nt < 1 || *dims < 1 || *dims > 64))
        st = weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: %s needs at least one depot, one fleet type and 1..64 demand dimensions",
                        h->path, G);
    return st;
}

static int read_attrs(fleet_reader *r)
{
    weft_vrp *v = r->v;
    char buf[64];
    int st = weft_h5_read_attr_string(&r->h, G, "distance_convention", buf, sizeof buf);
    int c = st ? -1 : weft_vrp_distance_parse(buf);
    if (!st && c < 0)
        return weft_error(r->h.ctx, WEFT_ERR_BAD_INPUT, "%s: %s attribute distance_convention '%s' is not round | trunc1 | exact | matrix",
                          r->h.path, G, buf);
    if (st) return st;
    v->convention = (weft_vrp_distance)c;
    if ((st = weft_h5_read_attr_string(&r->h, G, "coords", buf, sizeof buf))) return st;
    if (strcmp(buf, "planar") && strcmp(buf, "lonlat"))
        return weft_error(r->h.ctx, WEFT_ERR_BAD_INPUT, "%s: %s attribute coords '%s' is not planar | lonlat", r->h.path, G, buf);
    v->lonlat = !strcmp(buf, "lonlat");
    if (!weft_h5_read_attr_string(&r->h, G, "time_unit", buf, sizeof buf)) {
        if (strcmp(buf, "s") && strcmp(buf, "min") && strcmp(buf, "h"))
            return weft_error(r->h.ctx, WEFT_ERR_BAD_INPUT, "%s: %s attribute time_unit '%s' is not s | min | h", r->h.path, G, buf);
        memcpy(v->time_unit, buf, strlen(buf) + 1); /* at most "min" */
    }
    double speed;
    if (weft_h5_exists(&r->h, G) && !weft_h5_read_attr_real(&r->h, G, "speed", &speed)) v->speed = speed;
    if (!weft_h5_read_attr_string(&r->h, G, "name", buf, sizeof buf) && *buf) v->name = weft_strdup(r->h.ctx, buf);
    return WEFT_OK;
}

static int read_depots(fleet_reader *r)
{
    weft_vrp *v = r->v;
    size_t n = v->n_depots;
    int st = col_real(r, G "/depots/x", n, v->depot_x, 0, 0);
    if (!st) st = col_real(r, G "/depots/y", n, v->depot_y, 0, 0);
    if (!st) st = col_real(r, G "/depots/tw_open", n, v->depot_open, 1, 0);
    if (!st) st = col_real(r, G "/depots/tw_close", n, v->depot_close, 1, 1);
    if (!st) st = col_int(r, G "/depots/node", n, v->depot_node, 1);
    if (!st) st = col_strings(r, G "/depots/name", n, &v->depot_name);
    return st;
}

static int read_customers(fleet_reader *r)
{
    weft_vrp *v = r->v;
    size_t n = v->n_customers;
    int st = col_real(r, G "/customers/x", n, v->x, 0, 0);
    if (!st) st = col_real(r, G "/customers/y", n, v->y, 0, 0);
    if (!st) st = table2(r, G "/customers/demand", n, v->demand);
    if (!st) st = col_real(r, G "/customers/service", n, v->service, 1, 0);
    if (!st) st = col_real(r, G "/customers/tw_open", n, v->tw_open, 1, 0);
    if (!st) st = col_real(r, G "/customers/tw_close", n, v->tw_close, 1, 1);
    if (!st) st = col_int(r, G "/customers/node", n, v->node, 1);
    if (!st) st = col_int(r, G "/customers/id", n, v->id, 1);
    if (!st) st = col_strings(r, G "/customers/name", n, &v->cust_name);
    if (!st && weft_h5_exists(&r->h, G "/customers/penalty")) {
        if (!(v->penalty = weft_calloc(r->h.ctx, n ? n : 1, sizeof *v->penalty)))
            return weft_error(r->h.ctx, WEFT_ERR_NOMEM, "%s: out of memory", r->h.path);
        st = col_real(r, G "/customers/penalty", n, v->penalty, 0, 1);
    }
    return st;
}

static int read_fleet_types(fleet_reader *r)
{
    weft_vrp *v = r->v;
    size_t n = v->n_types;
    int st = col_int(r, G "/fleet/count", n, v->count, 0);
    if (!st) st = col_int(r, G "/fleet/depot", n, v->type_depot, 1);
    if (!st) st = table2(r, G "/fleet/capacity", n, v->capacity);
    if (!st) st = col_real(r, G "/fleet/fixed_cost", n, v->fixed_cost, 1, 0);
    if (!st) st = col_real(r, G "/fleet/cost_per_km", n, v->cost_per_km, 1, 0);
    if (!st) st = col_real(r, G "/fleet/cost_per_hour", n, v->cost_per_hour, 1, 0);
    if (!st) st = col_real(r, G "/fleet/shift_start", n, v->shift_start, 1, 0);
    if (!st) st = col_real(r, G "/fleet/shift_end", n, v->shift_end, 1, 1);
    if (!st) st = col_real(r, G "/fleet/max_duration", n, v->max_duration, 1, 1);
    if (!st) st = col_strings(r, G "/fleet/name", n, &v->type_name);
    return st;
}

/* Matrices in metres and seconds, converted to km and the instance's time unit. */
static int read_matrices(fleet_reader *r)
{
    weft_vrp *v = r->v;
    size_t k = (size_t)v->n_depots + v->n_customers, nr, nc;
    const char *names[2] = {G "/matrix/distance_m", G "/matrix/time_s"};
    double scale[2] = {1.0 / 1000, 1.0 / unit_seconds(v->time_unit)};
    double **dst[2] = {&v->dist, &v->time};
    for (int m = 0; m < 2; m++) {
        int st = weft_h5_read_real2(&r->h, names[m], dst[m], &nr, &nc);
        if (!st && (nr != k || nc != k))
            st = weft_error(r->h.ctx, WEFT_ERR_BAD_INPUT, "%s: %s is %zu x %zu, expected %zu x %zu (depots then customers)",
                            r->h.path, names[m], nr, nc, k, k);
        if (!st) st = weft_h5_check_finite(&r->h, names[m], *dst[m], k * k, 1);
        if (st) return st;
        for (size_t i = 0; i < k * k; i++) (*dst[m])[i] *= scale[m];
    }
    return WEFT_OK;
}

weft_status weft_read_fleet(weft_context *ctx, const char *path, weft_vrp **out)
{
    fleet_reader r = {0};
    size_t nd, nc, nt, dims;
    *out = NULL;
    int st = weft_h5_open_read(ctx, path, &r.h);
    if (!st && !weft_h5_exists(&r.h, G)) st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: no %s group", path, G);
    if (!st) st = read_sizes(&r.h, &nd, &nc, &nt, &dims);
    if (!st) st = weft_vrp_create(ctx, (int32_t)nd, (int32_t)nc, (int32_t)nt, (int32_t)dims, &r.v);
    if (!st) st = read_attrs(&r);
    if (!st) st = read_depots(&r);
    if (!st) st = read_customers(&r);
    if (!st) st = read_fleet_types(&r);
    if (!st) st = r.v->convention == WEFT_VRP_DIST_MATRIX ? read_matrices(&r) : weft_vrp_build_matrices(ctx, r.v);
    if (!st && !r.v->name) r.v->name = weft_strdup(ctx, path);
    if (!st) st = weft_vrp_validate(ctx, r.v, path);
    weft_h5_close(&r.h);
    if (st) weft_vrp_destroy(ctx, &r.v);
    *out = r.v;
    return st;
}
