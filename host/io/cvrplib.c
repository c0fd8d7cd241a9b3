/* CVRPLIB / VRPLIB reader: CVRP files (EUC_2D, or EXPLICIT weights as FULL_MATRIX, LOWER_ROW,
 * LOWER_DIAG_ROW, UPPER_ROW, UPPER_DIAG_ROW) and VRPTW files with TIME_WINDOW_SECTION and
 * SERVICE_TIME_SECTION (the Gehring-Homberger 1000-customer files). DISTANCE becomes each vehicle's
 * maximum route duration (time equals distance), SERVICE_TIME a service time for every customer.
 * Depots come first, then the other nodes in file order; a customer's id is its node number. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/textlines.h"
#include "weft/route.h"

#define MAX_DIM WEFT_VRP_MAX_LOCATIONS
#define MAX_FILE ((size_t)1 << 31)

enum { SEC_NONE, SEC_COORD, SEC_DEMAND, SEC_DEPOT, SEC_WEIGHT, SEC_TW, SEC_SERVICE, SEC_SKIP };
enum { FMT_FULL, FMT_LOWER_ROW, FMT_LOWER_DIAG_ROW, FMT_UPPER_ROW, FMT_UPPER_DIAG_ROW };

typedef struct vrplib {
    weft_textlines t;
    char name[128];
    int vrptw, explicit_w, format;
    long dim, vehicles;
    double capacity, max_distance, service_all;
    double *xy, *demand, *tw, *service, *weights;
    int *is_depot;
    long nweights, want_weights;
    int have_xy, have_demand, have_depot;
} vrplib;

#define PFAIL(p, ...) weft_error((p)->t.ctx, WEFT_ERR_PARSE, __VA_ARGS__)

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1])) s[--l] = 0;
    return s;
}

static int number_value(vrplib *p, const char *key, const char *val, double *out)
{
    char *end;
    *out = strtod(val, &end);
    if (end == val || *trim(end) || !isfinite(*out))
        return PFAIL(p, "%s:%ld: %s: '%s' is not a number", p->t.path, p->t.lineno, key, val);
    return WEFT_OK;
}

static int format_code(const char *s)
{
    const char *names[] = {"FULL_MATRIX", "LOWER_ROW", "LOWER_DIAG_ROW", "UPPER_ROW", "UPPER_DIAG_ROW"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

static int alloc_arrays(vrplib *p)
{
    weft_context *ctx = p->t.ctx;
    size_t n = (size_t)p->dim;
    p->xy = weft_calloc(ctx, 2 * n, sizeof *p->xy);
    p->demand = weft_calloc(ctx, n, sizeof *p->demand);
    p->tw = weft_calloc(ctx, 2 * n, sizeof *p->tw);
    p->service = weft_calloc(ctx, n, sizeof *p->service);
    p->is_depot = weft_calloc(ctx, n, sizeof *p->is_depot);
    if (!p->xy || !p->demand || !p->tw || !p->service || !p->is_depot)
        return weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory (DIMENSION %ld)", p->t.path, p->dim);
    for (size_t i = 0; i < n; i++) p->tw[2 * i + 1] = INFINITY;
    return WEFT_OK;
}

static int header_line(vrplib *p, char *line)
{
    char *colon = strchr(line, ':');
    if (!colon) return PFAIL(p, "%s:%ld: expected 'KEY : value' or a section, found '%.40s'", p->t.path, p->t.lineno, line);
    *colon = 0;
    char *key = trim(line), *val = trim(colon + 1);
    double x = 0;
    int st = WEFT_OK;
    if (!strcmp(key, "NAME")) snprintf(p->name, sizeof p->name, "%s", val);
    else if (!strcmp(key, "TYPE")) {
        if (!strcmp(val, "VRPTW") || !strcmp(val, "CVRPTW")) p->vrptw = 1;
        else if (strcmp(val, "CVRP"))
            st = weft_error(p->t.ctx, WEFT_ERR_UNSUPPORTED, "%s:%ld: TYPE %s is not supported (CVRP, VRPTW)",
                            p->t.path, p->t.lineno, val);
    } else if (!strcmp(key, "DIMENSION")) {
        if (!(st = number_value(p, key, val, &x))) {
            if (x < 2 || x > MAX_DIM || x != floor(x) || p->dim)
                return PFAIL(p, "%s:%ld: DIMENSION %s is not an integer in [2, %d] (or repeated)", p->t.path,
                             p->t.lineno, val, MAX_DIM);
            p->dim = (long)x;
            st = alloc_arrays(p);
        }
    } else if (!strcmp(key, "CAPACITY")) st = number_value(p, key, val, &p->capacity);
    else if (!strcmp(key, "DISTANCE")) st = number_value(p, key, val, &p->max_distance);
    else if (!strcmp(key, "SERVICE_TIME")) st = number_value(p, key, val, &p->service_all);
    else if (!strcmp(key, "VEHICLES")) {
        if (!(st = number_value(p, key, val, &x))) p->vehicles = (long)x;
    } else if (!strcmp(key, "EDGE_WEIGHT_TYPE")) {
        if (!strcmp(val, "EXPLICIT")) p->explicit_w = 1;
        else if (strcmp(val, "EUC_2D"))
            st = weft_error(p->t.ctx, WEFT_ERR_UNSUPPORTED, "%s:%ld: EDGE_WEIGHT_TYPE %s is not supported (EUC_2D, EXPLICIT)",
                            p->t.path, p->t.lineno, val);
    } else if (!strcmp(key, "EDGE_WEIGHT_FORMAT")) {
        if ((p->format = format_code(val)) < 0)
            st = weft_error(p->t.ctx, WEFT_ERR_UNSUPPORTED, "%s:%ld: EDGE_WEIGHT_FORMAT %s is not supported",
                            p->t.path, p->t.lineno, val);
    }
    return st;
}

static long weights_expected(const vrplib *p)
{
    long n = p->dim;
    switch (p->format) {
    case FMT_FULL: return n * n;
    case FMT_LOWER_DIAG_ROW: case FMT_UPPER_DIAG_ROW: return n * (n + 1) / 2;
    default: return n * (n - 1) / 2;
    }
}

static int start_section(vrplib *p, const char *key, int *sec)
{
    if (!strcmp(key, "EOF")) return *sec = SEC_SKIP, WEFT_OK;
    int needs_dim = strcmp(key, "EDGE_WEIGHT_SECTION") && strstr(key, "_SECTION");
    if ((needs_dim || !strcmp(key, "EDGE_WEIGHT_SECTION")) && !p->dim)
        return PFAIL(p, "%s:%ld: %s before DIMENSION", p->t.path, p->t.lineno, key);
    if (!strcmp(key, "NODE_COORD_SECTION")) *sec = SEC_COORD, p->have_xy = 1;
    else if (!strcmp(key, "DEMAND_SECTION")) *sec = SEC_DEMAND, p->have_demand = 1;
    else if (!strcmp(key, "DEPOT_SECTION")) *sec = SEC_DEPOT, p->have_depot = 1;
    else if (!strcmp(key, "TIME_WINDOW_SECTION")) *sec = SEC_TW;
    else if (!strcmp(key, "SERVICE_TIME_SECTION")) *sec = SEC_SERVICE;
    else if (!strcmp(key, "EDGE_WEIGHT_SECTION")) {
        if (p->weights) return PFAIL(p, "%s:%ld: a second EDGE_WEIGHT_SECTION", p->t.path, p->t.lineno);
        *sec = SEC_WEIGHT;
        p->want_weights = weights_expected(p);
        p->weights = weft_calloc(p->t.ctx, (size_t)p->want_weights, sizeof *p->weights);
        if (!p->weights) return weft_error(p->t.ctx, WEFT_ERR_NOMEM, "%s: out of memory for weights", p->t.path);
    } else *sec = SEC_SKIP; /* DISPLAY_DATA_SECTION and others we do not use */
    return WEFT_OK;
}

/* A row "node v1 v2 ..." with exactly want values after the node number. */
static int node_row(vrplib *p, const char *line, const char *sec, int want, double *vals, long *node)
{
    double buf[8];
    int n = weft_parse_numbers(line, buf, 8);
    if (n != want + 1)
        return PFAIL(p, "%s:%ld: %s: expected a node number and %d value%s", p->t.path, p->t.lineno, sec,
                     want, want > 1 ? "s" : "");
    if (buf[0] < 1 || buf[0] > p->dim || buf[0] != floor(buf[0]))
        return PFAIL(p, "%s:%ld: %s: node %g is not in 1..%ld", p->t.path, p->t.lineno, sec, buf[0], p->dim);
    for (int i = 0; i < want; i++) {
        if (!isfinite(buf[i + 1])) return PFAIL(p, "%s:%ld: %s: value is not finite", p->t.path, p->t.lineno, sec);
        vals[i] = buf[i + 1];
    }
    *node = (long)buf[0] - 1;
    return WEFT_OK;
}

static int weight_line(vrplib *p, const char *line)
{
    double buf[64];
    const char *s = line;
    int n = weft_parse_numbers(s, buf, 64);
    if (n < 0) return PFAIL(p, "%s:%ld: EDGE_WEIGHT_SECTION: not a number", p->t.path, p->t.lineno);
    if (n > 64) { /* long rows: parse token by token */
        char *end;
        for (;;) {
            double v = strtod(s, &end);
            if (end == s) break;
            if (p->nweights >= p->want_weights)
                return PFAIL(p, "%s:%ld: EDGE_WEIGHT_SECTION: more than %ld weights", p->t.path, p->t.lineno, p->want_weights);
            p->weights[p->nweights++] = v;
            s = end;
        }
        return WEFT_OK;
    }
    for (int i = 0; i < n; i++) {
        if (p->nweights >= p->want_weights)
            return PFAIL(p, "%s:%ld: EDGE_WEIGHT_SECTION: more than %ld weights", p->t.path, p->t.lineno, p->want_weights);
        p->weights[p->nweights++] = buf[i];
    }
    return WEFT_OK;
}

static int data_line(vrplib *p, int sec, const char *line)
{
    double v[2] = {0, 0};
    long node = 0;
    int st = WEFT_OK;
    switch (sec) {
    case SEC_COORD:
        if (!(st = node_row(p, line, "NODE_COORD_SECTION", 2, v, &node)))
            p->xy[2 * node] = v[0], p->xy[2 * node + 1] = v[1];
        break;
    case SEC_DEMAND:
        if (!(st = node_row(p, line, "DEMAND_SECTION", 1, v, &node))) p->demand[node] = v[0];
        break;
    case SEC_TW:
        if (!(st = node_row(p, line, "TIME_WINDOW_SECTION", 2, v, &node)))
            p->tw[2 * node] = v[0], p->tw[2 * node + 1] = v[1];
        break;
    case SEC_SERVICE:
        if (!(st = node_row(p, line, "SERVICE_TIME_SECTION", 1, v, &node))) p->service[node] = v[0];
        break;
    case SEC_DEPOT: {
        double d;
        if (weft_parse_numbers(line, &d, 1) != 1)
            return PFAIL(p, "%s:%ld: DEPOT_SECTION: expected one node number", p->t.path, p->t.lineno);
        if (d == -1) return WEFT_OK;
        if (d < 1 || d > p->dim || d != floor(d))
            return PFAIL(p, "%s:%ld: DEPOT_SECTION: node %g is not in 1..%ld", p->t.path, p->t.lineno, d, p->dim);
        p->is_depot[(long)d - 1] = 1;
        break;
    }
    case SEC_WEIGHT: st = weight_line(p, line); break;
    default: break;
    }
    return st;
}

static int parse(vrplib *p)
{
    int sec = SEC_NONE, st = WEFT_OK;
    char *line;
    while (!st && (line = weft_textlines_next(&p->t))) {
        char *s = trim(line);
        if (!*s) continue;
        if (isalpha((unsigned char)*s)) {
            char key[64];
            size_t k = 0;
            while (k < sizeof key - 1 && (isalnum((unsigned char)s[k]) || s[k] == '_')) key[k] = s[k], k++;
            key[k] = 0;
            char *rest = trim(s + k);
            if (strstr(key, "_SECTION") || !strcmp(key, "EOF")) {
                st = start_section(p, key, &sec);
                if (!st && *rest && sec != SEC_SKIP) st = data_line(p, sec, rest);
            } else {
                sec = SEC_NONE;
                st = header_line(p, s);
            }
        } else if (sec == SEC_NONE) {
            st = PFAIL(p, "%s:%ld: data outside any section", p->t.path, p->t.lineno);
        } else if (sec != SEC_SKIP) {
            st = data_line(p, sec, s);
        }
    }
    return st;
}

static int vrplib_fleet(weft_context *ctx, weft_vrp *v, double capacity, long vehicles, double max_distance);
static int vrplib_explicit(weft_context *ctx, weft_vrp *v, const void *parsed, const long *loc);

static void free_vrplib(vrplib *p)
{
    weft_context *ctx = p->t.ctx;
    weft_free(ctx, p->xy), weft_free(ctx, p->demand), weft_free(ctx, p->tw);
    weft_free(ctx, p->service), weft_free(ctx, p->is_depot), weft_free(ctx, p->weights);
    weft_textlines_close(&p->t);
}

/* Weight between file nodes i and j from the triangular or full storage. */
static double explicit_weight(const vrplib *p, long i, long j)
{
    long n = p->dim;
    if (p->format == FMT_FULL) return p->weights[i * n + j];
    if (i == j && (p->format == FMT_LOWER_ROW || p->format == FMT_UPPER_ROW)) return 0;
    long a = i > j ? i : j, b = i > j ? j : i; /* a >= b */
    switch (p->format) {
    case FMT_LOWER_ROW: return p->weights[a * (a - 1) / 2 + b];
    case FMT_LOWER_DIAG_ROW: return p->weights[a * (a + 1) / 2 + b];
    case FMT_UPPER_ROW: return p->weights[b * (2 * n - b - 1) / 2 + (a - b - 1)];
    default: return p->weights[b * (2 * n - b + 1) / 2 + (a - b)];
    }
}

static int check_complete(vrplib *p)
{
    if (!p->dim) return PFAIL(p, "%s: DIMENSION missing", p->t.path);
    if (!(p->capacity > 0)) return PFAIL(p, "%s: CAPACITY missing or not positive", p->t.path);
    if (!p->have_demand) return PFAIL(p, "%s: DEMAND_SECTION missing", p->t.path);
    if (p->explicit_w && !p->weights)
        return PFAIL(p, "%s: EDGE_WEIGHT_SECTION missing (EDGE_WEIGHT_TYPE is EXPLICIT)", p->t.path);
    if (p->explicit_w && p->nweights != p->want_weights)
        return PFAIL(p, "%s: EDGE_WEIGHT_SECTION has %ld weights, expected %ld", p->t.path, p->nweights,
                     p->want_weights);
    if (!p->explicit_w && !p->have_xy) return PFAIL(p, "%s: NODE_COORD_SECTION missing", p->t.path);
    if (!p->have_depot) p->is_depot[0] = 1; /* files without DEPOT_SECTION: node 1 is the depot */
    long nd = 0;
    for (long i = 0; i < p->dim; i++) nd += p->is_depot[i];
    if (nd == p->dim) return PFAIL(p, "%s: every node is a depot", p->t.path);
    return WEFT_OK;
}

/* Builds the weft instance; order: depots, then customers, each in file order. */
static int build(vrplib *p, int convention, weft_vrp **out)
{
    weft_context *ctx = p->t.ctx;
    long nd = 0, n = p->dim;
    for (long i = 0; i < n; i++) nd += p->is_depot[i];
    long nc = n - nd;
    weft_vrp *v = NULL;
    long *loc = weft_calloc(ctx, (size_t)n, sizeof *loc); /* file node -> location */
    int st = loc ? weft_vrp_create(ctx, (int32_t)nd, (int32_t)nc, (int32_t)nd, 1, &v)
                 : weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", p->t.path);
    if (st) goto cleanup;
    v->name = weft_strdup(ctx, *p->name ? p->name : p->t.path);
    v->convention = p->explicit_w ? WEFT_VRP_DIST_MATRIX : (weft_vrp_distance)convention;
    long d = 0, c = 0;
    for (long i = 0; i < n; i++) {
        double x = p->xy[2 * i], y = p->xy[2 * i + 1], open = p->tw[2 * i], close = p->tw[2 * i + 1];
        if (p->is_depot[i]) {
            v->depot_x[d] = x, v->depot_y[d] = y, v->depot_open[d] = open, v->depot_close[d] = close;
            loc[i] = d++;
        } else {
            v->x[c] = x, v->y[c] = y, v->tw_open[c] = open, v->tw_close[c] = close;
            v->demand[c] = p->demand[i];
            v->service[c] = p->service[i] ? p->service[i] : p->service_all;
            v->id[c] = (int32_t)(i + 1);
            loc[i] = nd + c++;
        }
    }
    st = vrplib_fleet(ctx, v, p->capacity, p->vehicles > 0 ? p->vehicles : nc, p->max_distance);
    if (!st && p->explicit_w) st = vrplib_explicit(ctx, v, p, loc);
    else if (!st) st = weft_vrp_build_matrices(ctx, v);
    if (!st) st = weft_vrp_validate(ctx, v, p->t.path);
cleanup:
    weft_free(ctx, loc);
    if (st) weft_vrp_destroy(ctx, &v);
    *out = v;
    return st;
}

static int vrplib_fleet(weft_context *ctx, weft_vrp *v, double capacity, long vehicles, double max_distance)
{
    /* one vehicle type per depot; the fleet (or the file's VEHICLES) is split evenly */
    for (int32_t t = 0; t < v->n_types; t++) {
        v->type_depot[t] = t;
        v->capacity[t] = capacity;
        v->count[t] = (int32_t)((vehicles + t) / v->n_types);
        v->cost_per_km[t] = 1;
        v->max_duration[t] = max_distance > 0 ? max_distance : INFINITY;
    }
    return WEFT_OK;
}

static int vrplib_explicit(weft_context *ctx, weft_vrp *v, const void *parsed, const long *loc)
{
    const vrplib *p = parsed;
    size_t k = (size_t)p->dim;
    v->dist = weft_calloc(ctx, k * k, sizeof *v->dist);
    v->time = weft_calloc(ctx, k * k, sizeof *v->time);
    if (!v->dist || !v->time) return weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory for the matrix", p->t.path);
    for (long i = 0; i < p->dim; i++)
        for (long j = 0; j < p->dim; j++) {
            double w = explicit_weight(p, i, j);
            v->dist[loc[i] * k + loc[j]] = w;
            v->time[loc[i] * k + loc[j]] = w;
        }
    return WEFT_OK;
}

weft_status weft_read_vrplib(weft_context *ctx, const char *path, int convention, weft_vrp **out)
{
    vrplib p;
    memset(&p, 0, sizeof p);
    *out = NULL;
    int st = weft_textlines_open(ctx, path, MAX_FILE, &p.t);
    if (st) return st;
    st = parse(&p);
    if (!st) st = check_complete(&p);
    if (!st) {
        if (convention < 0) convention = p.vrptw ? WEFT_VRP_DIST_TRUNC1 : WEFT_VRP_DIST_ROUND;
        st = build(&p, convention, out);
    }
    free_vrplib(&p);
    return st;
}

weft_status weft_read_cvrplib(weft_context *ctx, const char *path, weft_vrp **out)
{
    return weft_read_vrplib(ctx, path, -1, out);
}
