/* Solomon / Gehring-Homberger text format: a name line, VEHICLE (NUMBER CAPACITY), CUSTOMER with
 * rows "no x y demand ready due service", customer 0 the depot. Times equal distances. A VRPLIB
 * VRPTW file (NAME : ..., NODE_COORD_SECTION) is handed to the VRPLIB reader. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/textlines.h"
#include "weft/route.h"

#define MAX_ROWS WEFT_VRP_MAX_LOCATIONS

typedef struct solomon_rows {
    double *r; /* 7 per row */
    long n, cap;
} solomon_rows;

static int is_vrplib(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[512];
    int found = 0;
    for (int i = 0; i < 40 && fgets(line, sizeof line, f); i++)
        if (strstr(line, "NODE_COORD_SECTION") || (strncmp(line, "TYPE", 4) == 0 && strchr(line, ':')))
            found = 1;
    fclose(f);
    return found;
}

static int push_row(weft_textlines *t, solomon_rows *rows, const double *v)
{
    if (rows->n == rows->cap) {
        long cap = rows->cap ? 2 * rows->cap : 256;
        double *r = weft_realloc_array(t->ctx, rows->r, (size_t)cap * 7, sizeof *r);
        if (!r) return weft_error(t->ctx, WEFT_ERR_NOMEM, "%s: out of memory", t->path);
        rows->r = r, rows->cap = cap;
    }
    memcpy(rows->r + rows->n * 7, v, 7 * sizeof *v);
    rows->n++;
    return WEFT_OK;
}

/* Reads the header (name, vehicle number and capacity) and the customer rows. */
static int parse(weft_textlines *t, char *name, size_t name_len, double *vehicles, double *capacity,
                 solomon_rows *rows)
{
    char *line;
    int state = 0; /* 0 name, 1 header, 2 vehicle row next, 3 vehicles read, 4 customer rows */
    while ((line = weft_textlines_next(t))) {
        char *s = line;
        while (isspace((unsigned char)*s)) s++;
        if (!*s) continue;
        if (state == 0) {
            snprintf(name, name_len, "%s", s);
            state = 1;
            continue;
        }
        double v[8];
        int n = weft_parse_numbers(s, v, 8);
        if (n < 0) { /* a header line: VEHICLE, NUMBER CAPACITY, CUSTOMER, CUST NO. ... */
            if (!strncmp(s, "NUMBER", 6)) state = 2;
            else if (!strncmp(s, "CUST", 4) && strstr(s, "NO") && state == 3) state = 4;
            continue;
        }
        if (state == 2) {
            if (n != 2) return weft_error(t->ctx, WEFT_ERR_PARSE, "%s:%ld: expected NUMBER CAPACITY", t->path, t->lineno);
            *vehicles = v[0], *capacity = v[1];
            state = 3;
        } else if (state == 4) {
            if (n != 7)
                return weft_error(t->ctx, WEFT_ERR_PARSE,
                                  "%s:%ld: expected 7 numbers (no x y demand ready due service), found %d",
                                  t->path, t->lineno, n);
            if (rows->n >= MAX_ROWS) return weft_error(t->ctx, WEFT_ERR_BAD_INPUT, "%s: too many customers", t->path);
            int st = push_row(t, rows, v);
            if (st) return st;
        } else {
            return weft_error(t->ctx, WEFT_ERR_PARSE, "%s:%ld: numbers before the %s header", t->path, t->lineno,
                              state < 3 ? "VEHICLE NUMBER CAPACITY" : "CUSTOMER");
        }
    }
    if (state < 3) return weft_error(t->ctx, WEFT_ERR_PARSE, "%s: VEHICLE section missing or incomplete", t->path);
    if (rows->n < 2) return weft_error(t->ctx, WEFT_ERR_PARSE, "%s: no customer rows after CUSTOMER", t->path);
    return WEFT_OK;
}

static int build(weft_textlines *t, const char *name, double vehicles, double capacity,
                 const solomon_rows *rows, weft_solomon_rounding r, weft_vrp **out)
{
    weft_context *ctx = t->ctx;
    if (!(capacity > 0) || !(vehicles >= 1) || vehicles != floor(vehicles) || vehicles > 1e7)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: VEHICLE NUMBER %g / CAPACITY %g invalid", t->path,
                          vehicles, capacity);
    weft_vrp *v = NULL;
    int st = weft_vrp_create(ctx, 1, (int32_t)(rows->n - 1), 1, 1, &v);
    if (st) return st;
    v->name = weft_strdup(ctx, name);
    v->convention = r == WEFT_SOLOMON_EXACT ? WEFT_VRP_DIST_EXACT : WEFT_VRP_DIST_TRUNC1;
    const double *d = rows->r;
    v->depot_x[0] = d[1], v->depot_y[0] = d[2], v->depot_open[0] = d[4], v->depot_close[0] = d[5];
    for (long i = 1; i < rows->n; i++) {
        const double *w = d + 7 * i;
        long c = i - 1;
        v->id[c] = (int32_t)w[0];
        v->x[c] = w[1], v->y[c] = w[2], v->demand[c] = w[3];
        v->tw_open[c] = w[4], v->tw_close[c] = w[5], v->service[c] = w[6];
    }
    v->count[0] = (int32_t)vehicles;
    v->capacity[0] = capacity;
    st = v->name ? weft_vrp_build_matrices(ctx, v) : weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", t->path);
    if (!st) st = weft_vrp_validate(ctx, v, t->path);
    if (st) weft_vrp_destroy(ctx, &v);
    *out = v;
    return st;
}

weft_status weft_read_solomon(weft_context *ctx, const char *path, weft_solomon_rounding r, weft_vrp **out)
{
    *out = NULL;
    if (is_vrplib(path))
        return weft_read_vrplib(ctx, path, r == WEFT_SOLOMON_EXACT ? WEFT_VRP_DIST_EXACT : WEFT_VRP_DIST_TRUNC1, out);
    weft_textlines t;
    int st = weft_textlines_open(ctx, path, (size_t)1 << 30, &t);
    if (st) return st;
    char name[128] = "";
    double vehicles = 0, capacity = 0;
    solomon_rows rows = {0};
    st = parse(&t, name, sizeof name, &vehicles, &capacity, &rows);
    if (!st) st = build(&t, name, vehicles, capacity, &rows, r, out);
    weft_free(ctx, rows.r);
    weft_textlines_close(&t);
    return st;
}
