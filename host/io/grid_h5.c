/* The /grid group of a weft HDF5 file (datasets/SCHEMA.md): one dataset per column of the field
 * table in grid.c, time series [periods x members]. bus, generator and load are required; branch,
 * generator_pwl, storage, renewable and tie_line groups may be absent (no members). */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/grid_internal.h"
#include "io/h5util.h"

#define COUNT(g, f) (*(int32_t *)((char *)(g) + (f)->count))
#define COLUMN(g, f) ((void **)((char *)(g) + (f)->offset))

static void dset_path(const grid_field *f, char *buf, size_t len) { snprintf(buf, len, "/grid/%s", f->path); }

static void group_path(const grid_field *f, char *buf, size_t len)
{
    snprintf(buf, len, "/grid/%s", f->path);
    char *slash = strrchr(buf, '/');
    *slash = 0;
}

static int write_field(weft_h5 *h, const weft_grid *g, const grid_field *f)
{
    char path[256];
    size_t n = (size_t)COUNT((weft_grid *)g, f);
    void *col = *COLUMN((weft_grid *)g, f);
    dset_path(f, path, sizeof path);
    switch (f->type) {
    case GF_INT: return weft_h5_write_int(h, path, col, n, f->units);
    case GF_REAL: return weft_h5_write_real(h, path, col, n, f->units);
    case GF_STRING: return weft_h5_write_strings(h, path, col, n);
    default: return weft_h5_write_real2(h, path, col, (size_t)g->n_periods, n, f->units);
    }
}

static int is_required(const grid_field *f)
{
    return !strncmp(f->path, "bus/", 4) || !strncmp(f->path, "load/", 5) || !strncmp(f->path, "generator/", 10);
}

weft_status weft_grid_write_h5(weft_context *ctx, const weft_grid *g, const char *path)
{
    weft_h5 h;
    int st = weft_grid_validate_in(ctx, g, path);
    if (st) return st;
    st = weft_h5_create(ctx, path, &h);
    if (st) return st;
    st = weft_h5_make_group(&h, "/grid");
    if (!st) st = weft_h5_attr_real(&h, "/grid", "base_mva", g->base_mva);
    if (!st) st = weft_h5_attr_real(&h, "/grid", "voll", g->voll);
    if (!st) st = weft_h5_attr_real(&h, "/grid", "period_hours", g->period_h);
    if (!st) st = weft_h5_attr_string(&h, "/grid", "name", g->name ? g->name : "");
    for (size_t k = 0; !st && k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        if (COUNT((weft_grid *)g, f) > 0 || is_required(f)) st = write_field(&h, g, f);
    }
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    return st;
}

/* A table's group is in the file: all its columns are read, so an empty first column cannot hide
 * columns of another length. */
static int group_present(weft_h5 *h, const grid_field *f)
{
    char group[256];
    group_path(f, group, sizeof group);
    return weft_h5_exists(h, group);
}

/* Member counts and the number of periods, from the first column of each table present. */
static int read_sizes(weft_h5 *h, weft_grid_sizes *s)
{
    weft_grid probe;
    memset(&probe, 0, sizeof probe);
    int known[sizeof(weft_grid)] = {0};
    int st = WEFT_OK;
    for (size_t k = 0; !st && k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        char path[256];
        dset_path(f, path, sizeof path);
        if (!is_required(f) && !group_present(h, f)) continue;
        double *v = NULL;
        size_t n = 0, rows = 0;
        if (f->type == GF_SERIES) {
            if (!(st = weft_h5_read_real2(h, path, &v, &rows, &n))) probe.n_periods = (int32_t)rows;
        } else if (!known[f->count]) {
            if (f->type == GF_STRING) {
                char **sv = NULL;
                if (!(st = weft_h5_read_strings(h, path, -1, &sv, &n))) weft_h5_free_strings(h->ctx, &sv, n);
            } else {
                st = weft_h5_read_real(h, path, -1, &v, &n);
            }
            if (!st) {
                COUNT(&probe, f) = (int32_t)n;
                known[f->count] = 1;
            }
        }
        weft_free(h->ctx, v);
    }
    *s = (weft_grid_sizes){probe.n_periods, probe.n_bus, probe.n_branch, probe.n_gen, probe.n_pwl,
                           probe.n_storage, probe.n_renewable, probe.n_tie};
    return st;
}

static int read_field(weft_h5 *h, weft_grid *g, const grid_field *f)
{
    char path[256];
    long n = COUNT(g, f);
    void **col = COLUMN(g, f);
    void *v = NULL;
    size_t got = 0, rows = 0, cols = 0;
    int st;
    dset_path(f, path, sizeof path);
    switch (f->type) {
    case GF_INT: st = weft_h5_read_int(h, path, n, (int32_t **)&v, &got); break;
    case GF_REAL: st = weft_h5_read_real(h, path, n, (double **)&v, &got); break;
    case GF_STRING:
        st = weft_h5_read_strings(h, path, n, (char ***)&v, &got);
        if (!st) {
            for (long i = 0; i < n; i++) weft_free(h->ctx, ((char **)*col)[i]);
        }
        break;
    default:
        st = weft_h5_read_real2(h, path, (double **)&v, &rows, &cols);
        if (!st && (rows != (size_t)g->n_periods || cols != (size_t)n)) {
            weft_free(h->ctx, v);
            return weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: %s is %zu x %zu, expected %d periods x %ld members",
                              h->path, path, rows, cols, g->n_periods, n);
        }
    }
    if (st) return st;
    weft_free(h->ctx, *col);
    *col = v;
    return WEFT_OK;
}

static int read_attrs(weft_h5 *h, weft_grid *g)
{
    int64_t schema = 0;
    int st = weft_h5_read_attr_int(h, "/", "weft_schema", &schema);
    if (st) return st;
    if (schema < 1 || schema > WEFT_SCHEMA_VERSION)
        return weft_error(h->ctx, WEFT_ERR_UNSUPPORTED, "%s: weft_schema %lld is not supported (this build reads %d)",
                          h->path, (long long)schema, WEFT_SCHEMA_VERSION);
    st = weft_h5_read_attr_real(h, "/grid", "base_mva", &g->base_mva);
    if (!st) st = weft_h5_read_attr_real(h, "/grid", "voll", &g->voll);
    if (!st) st = weft_h5_read_attr_real(h, "/grid", "period_hours", &g->period_h);
    return st;
}

weft_status weft_grid_read_h5(weft_context *ctx, const char *path, weft_grid **out)
{
    weft_h5 h;
    weft_grid *g = NULL;
    weft_grid_sizes s;
    if (!out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    int st = weft_h5_open_read(ctx, path, &h);
    if (!st && !weft_h5_exists(&h, "/grid"))
        st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: no /grid group (not a grid file)", path);
    if (!st) st = read_sizes(&h, &s);
    if (!st && s.n_periods < 1) st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: /grid/load/p has no periods", path);
    if (!st) st = weft_grid_create(ctx, &s, &g);
    if (!st) st = read_attrs(&h, g);
    for (size_t k = 0; !st && k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        if (COUNT(g, f) > 0 || is_required(f) || group_present(&h, f)) st = read_field(&h, g, f);
    }
    if (!st && !(g->name = weft_strdup(ctx, path))) st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", path);
    if (!st) st = weft_grid_validate_in(ctx, g, path);
    weft_h5_close(&h);
    if (st) weft_grid_destroy(ctx, &g);
    *out = g;
    return st;
}
