/* DIMACS shortest-path files (9th challenge): GRAPH.gr ("p sp N M", "a U V W", 1-based) and the
 * optional COORDS.co ("p aux sp co N", "v ID X Y"). An arc weight is read as a length in metres and
 * timed at a uniform 50 km/h, so time-shortest paths are the file's weight-shortest paths.
 * Coordinates are integers in millionths of a degree (lon, lat) as in the challenge's USA graphs;
 * if any falls outside the lon/lat range they are kept as planar metres instead. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "weft/roads.h"

#define DIMACS_SPEED_MS (50.0 / 3.6)

typedef struct dimacs_reader {
    weft_context *ctx;
    const char *path;
    FILE *f;
    char *line;
    size_t cap;
    long lineno;
} dimacs_reader;

/* Next non-comment, non-blank line, or NULL at the end. */
static const char *next_line(dimacs_reader *d)
{
    while (getline(&d->line, &d->cap, d->f) >= 0) {
        d->lineno++;
        char *s = d->line;
        while (*s == ' ' || *s == '\t') s++;
        if (*s == 'c' || *s == '\n' || *s == '\r' || !*s) continue;
        return s;
    }
    return NULL;
}

/* Parses exactly `want` integers after the leading tag; 0 on success. */
static int parse_ints(const char *s, int skip_words, long long *v, int want)
{
    for (int i = 0; i < skip_words; i++) {
        while (*s && *s != ' ' && *s != '\t') s++;
        while (*s == ' ' || *s == '\t') s++;
    }
    for (int i = 0; i < want; i++) {
        char *end;
        errno = 0;
        v[i] = strtoll(s, &end, 10);
        if (end == s || errno) return -1;
        s = end;
    }
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    return *s ? -1 : 0;
}

static int bad(dimacs_reader *d, const char *what)
{
    return weft_error(d->ctx, WEFT_ERR_PARSE, "%s: line %ld: %s", d->path, d->lineno, what);
}

/* The "p" line: the first data line of each file. */
static int read_problem(dimacs_reader *d, const char *expect, int words, long long *n, long long *m)
{
    const char *s = next_line(d);
    long long v[2] = {0, 0};
    if (!s) return weft_error(d->ctx, WEFT_ERR_PARSE, "%s: empty file (no '%s' line)", d->path, expect);
    if (strncmp(s, expect, strlen(expect)) || parse_ints(s, words, v, m ? 2 : 1))
        return bad(d, m ? "expected 'p sp NODES ARCS'" : "expected 'p aux sp co NODES'");
    if (v[0] <= 0 || v[0] >= INT32_MAX || (m && (v[1] < 0 || v[1] >= INT32_MAX)))
        return bad(d, "node or arc count out of range");
    *n = v[0];
    if (m) *m = v[1];
    return WEFT_OK;
}

static int read_arcs(dimacs_reader *d, long long n, long long m, int32_t *tail, int32_t *head, double *len,
                     double *time)
{
    long long a = 0;
    const char *s;
    while ((s = next_line(d))) {
        long long v[3];
        if (*s != 'a' || parse_ints(s, 1, v, 3)) return bad(d, "expected 'a TAIL HEAD WEIGHT' (integers)");
        if (v[0] < 1 || v[0] > n || v[1] < 1 || v[1] > n) return bad(d, "arc endpoint outside 1..NODES");
        if (v[2] < 0) return bad(d, "negative arc weight");
        if (a == m) return bad(d, "more arcs than the 'p' line declares");
        tail[a] = (int32_t)(v[0] - 1);
        head[a] = (int32_t)(v[1] - 1);
        len[a] = (double)v[2];
        time[a] = len[a] / DIMACS_SPEED_MS;
        a++;
    }
    if (ferror(d->f)) return weft_error(d->ctx, WEFT_ERR_IO, "%s: read error", d->path);
    if (a != m)
        return weft_error(d->ctx, WEFT_ERR_PARSE, "%s: %lld arcs found, the 'p' line declares %lld (truncated?)",
                          d->path, a, m);
    return WEFT_OK;
}

static int read_coords(dimacs_reader *d, long long n, double *x, double *y, weft_coords *kind)
{
    long long nc = 0, seen = 0;
    int st = read_problem(d, "p aux sp co", 4, &nc, NULL);
    if (st) return st;
    if (nc != n)
        return weft_error(d->ctx, WEFT_ERR_PARSE, "%s: %lld coordinates declared, the graph has %lld nodes", d->path,
                          nc, n);
    uint8_t *got = weft_calloc(d->ctx, (size_t)n, 1);
    if (!got) return weft_error(d->ctx, WEFT_ERR_NOMEM, "%s: out of memory", d->path);
    int lonlat = 1;
    const char *s;
    while (!st && (s = next_line(d))) {
        long long v[3];
        if (*s != 'v' || parse_ints(s, 1, v, 3)) st = bad(d, "expected 'v ID X Y' (integers)");
        else if (v[0] < 1 || v[0] > n) st = bad(d, "coordinate for a node outside 1..NODES");
        else if (got[v[0] - 1]) st = bad(d, "second coordinate line for the same node");
        if (st) break;
        got[v[0] - 1] = 1;
        x[v[0] - 1] = (double)v[1];
        y[v[0] - 1] = (double)v[2];
        lonlat &= llabs(v[1]) <= 180000000LL && llabs(v[2]) <= 90000000LL;
        seen++;
    }
    if (!st && seen != n)
        st = weft_error(d->ctx, WEFT_ERR_PARSE, "%s: %lld of %lld node coordinates present", d->path, seen, n);
    weft_free(d->ctx, got);
    *kind = lonlat ? WEFT_COORDS_LONLAT : WEFT_COORDS_PLANAR;
    for (long long i = 0; !st && lonlat && i < n; i++) {
        x[i] *= 1e-6;
        y[i] *= 1e-6;
    }
    return st;
}

static int open_reader(weft_context *ctx, const char *path, dimacs_reader *d)
{
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->path = path;
    d->f = fopen(path, "r");
    return d->f ? WEFT_OK : weft_error(ctx, WEFT_ERR_IO, "%s: cannot open for reading", path);
}

static void close_reader(dimacs_reader *d)
{
    if (d->f) fclose(d->f);
    free(d->line); /* getline's buffer comes from libc */
    d->f = NULL;
    d->line = NULL;
}

weft_status weft_roads_import_dimacs(weft_context *ctx, const char *gr_path, const char *co_path,
                                     weft_roads **out)
{
    dimacs_reader d;
    long long n = 0, m = 0;
    int32_t *tail = NULL, *head = NULL;
    double *len = NULL, *time = NULL, *x = NULL, *y = NULL;
    weft_coords kind = WEFT_COORDS_PLANAR;
    *out = NULL;
    int st = open_reader(ctx, gr_path, &d);
    if (!st) st = read_problem(&d, "p sp", 2, &n, &m);
    if (st) goto cleanup;
    tail = weft_malloc(ctx, ((size_t)m + 1) * sizeof *tail);
    head = weft_malloc(ctx, ((size_t)m + 1) * sizeof *head);
    len = weft_malloc(ctx, ((size_t)m + 1) * sizeof *len);
    time = weft_malloc(ctx, ((size_t)m + 1) * sizeof *time);
    x = weft_calloc(ctx, (size_t)n, sizeof *x);
    y = weft_calloc(ctx, (size_t)n, sizeof *y);
    if (!tail || !head || !len || !time || !x || !y) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory for %lld nodes, %lld arcs", gr_path, n, m);
        goto cleanup;
    }
    st = read_arcs(&d, n, m, tail, head, len, time);
    close_reader(&d);
    if (!st && co_path) st = open_reader(ctx, co_path, &d);
    if (!st && co_path) st = read_coords(&d, n, x, y, &kind);
    if (!st) st = weft_roads_from_edges(ctx, (int32_t)n, (int32_t)m, tail, head, len, time, x, y, NULL, kind, out);
    for (int32_t v = 0; !st && v < (*out)->n_nodes; v++) (*out)->orig_id[v] = v + 1;
    if (!st)
        weft_log(ctx, WEFT_LOG_INFO, "%s: %lld nodes, %lld arcs%s", gr_path, n, m,
                 co_path ? (kind == WEFT_COORDS_LONLAT ? ", lon/lat coordinates" : ", planar coordinates") : "");
cleanup:
    close_reader(&d);
    weft_free(ctx, tail);
    weft_free(ctx, head);
    weft_free(ctx, len);
    weft_free(ctx, time);
    weft_free(ctx, x);
    weft_free(ctx, y);
    return st;
}
