/* MATPOWER case files (.m, format version 2): mpc.baseMVA, mpc.bus, mpc.gen, mpc.branch and
 * mpc.gencost. Matrices may span lines, rows end with ';' or a line break, '%' starts a comment,
 * other fields (cell arrays, strings, unknown matrices) are skipped. A generator row's trailing
 * comment (PGLib writes "% NG", "% COW") becomes its technology. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/grid_internal.h"

enum { MP_BUS, MP_GEN, MP_BRANCH, MP_GENCOST, MP_N };
static const char *const mp_names[MP_N] = {"bus", "gen", "branch", "gencost"};
static const int mp_min_cols[MP_N] = {13, 10, 11, 4};

typedef struct mp_matrix {
    double *v;
    int32_t rows, cols, cap;
    int32_t *line;  /* source line of each row */
    char (*tag)[24]; /* first word of each row's trailing comment */
    int first_line; /* line of "mpc.X = [" (0: absent) */
} mp_matrix;

typedef struct mp_parser {
    weft_context *ctx;
    const char *path;
    int line;
    mp_matrix m[MP_N];
    mp_matrix skip;      /* an unknown matrix being read */
    mp_matrix *cur;      /* matrix being read, or NULL */
    int32_t row_len;     /* values in the row being read */
    int in_cell;         /* inside { ... } */
    double base_mva;
    int have_base;
    char name[128];
} mp_parser;

#define PERR(p, st, ...) mp_fail((p), (st), __VA_ARGS__)

static int mp_fail(mp_parser *p, int st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int mp_fail(mp_parser *p, int st, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return weft_error(p->ctx, st, "%s:%d: %s", p->path, p->line, msg);
}

static void matrix_free(weft_context *ctx, mp_matrix *m)
{
    weft_free(ctx, m->v);
    weft_free(ctx, m->line);
    weft_free(ctx, m->tag);
    memset(m, 0, sizeof *m);
}

static int push_value(mp_parser *p, double x)
{
    mp_matrix *m = p->cur;
    if (m->rows > 0 && p->row_len >= m->cols)
        return PERR(p, WEFT_ERR_PARSE, "row %d of mpc.%s has more than %d columns", m->rows + 1,
                    m == &p->skip ? "(skipped)" : mp_names[m - p->m], m->cols);
    size_t need = (size_t)m->rows * (size_t)(m->rows ? m->cols : 0) + (size_t)p->row_len + 1;
    if (need > (size_t)m->cap) {
        size_t cap = need * 2 + 64;
        double *v = weft_realloc_array(p->ctx, m->v, cap, sizeof *v);
        if (!v) return PERR(p, WEFT_ERR_NOMEM, "out of memory");
        m->v = v;
        m->cap = (int32_t)(cap > INT32_MAX ? INT32_MAX : cap);
    }
    m->v[need - 1] = x;
    p->row_len++;
    return WEFT_OK;
}

static int end_row(mp_parser *p, const char *comment)
{
    mp_matrix *m = p->cur;
    if (p->row_len == 0) return WEFT_OK;
    if (m->rows == 0) m->cols = p->row_len;
    if (p->row_len != m->cols)
        return PERR(p, WEFT_ERR_PARSE, "row %d of mpc.%s has %d columns, expected %d", m->rows + 1,
                    m == &p->skip ? "(skipped)" : mp_names[m - p->m], p->row_len, m->cols);
    int32_t *ln = weft_realloc_array(p->ctx, m->line, (size_t)m->rows + 1, sizeof *ln);
    if (ln) m->line = ln;
    char(*tag)[24] = ln ? weft_realloc_array(p->ctx, m->tag, (size_t)m->rows + 1, sizeof *tag) : NULL;
    if (!tag) return PERR(p, WEFT_ERR_NOMEM, "out of memory");
    m->tag = tag;
    m->line[m->rows] = p->line;
    tag[m->rows][0] = 0;
    if (comment) sscanf(comment, "%23s", tag[m->rows]);
    m->rows++;
    p->row_len = 0;
    return WEFT_OK;
}

/* Values of a matrix on one line; ']' closes it. */
static int matrix_line(mp_parser *p, char *s, const char *comment)
{
    while (*s) {
        if (isspace((unsigned char)*s) || *s == ',') {
            s++;
        } else if (*s == ';') {
            int st = end_row(p, comment);
            if (st) return st;
            s++;
        } else if (*s == ']') {
            int st = end_row(p, comment);
            if (p->cur == &p->skip) matrix_free(p->ctx, &p->skip);
            p->cur = NULL;
            return st;
        } else if (!strncmp(s, "...", 3)) {
            return WEFT_OK; /* continuation: the row goes on */
        } else {
            char *end;
            double x = strtod(s, &end);
            if (end == s) return PERR(p, WEFT_ERR_PARSE, "unexpected '%.12s' in a matrix", s);
            if (isnan(x)) return PERR(p, WEFT_ERR_BAD_INPUT, "NaN in mpc.%s", p->cur == &p->skip ? "?" : mp_names[p->cur - p->m]);
            int st = push_value(p, x);
            if (st) return st;
            s = end;
        }
    }
    return end_row(p, comment);
}

/* "mpc.NAME = VALUE": a matrix starts, a scalar is read, anything else is skipped. */
static int assignment(mp_parser *p, char *s, const char *comment)
{
    char field[64];
    int len = 0;
    s += 4;
    while ((isalnum((unsigned char)s[len]) || s[len] == '_') && len < 63) len++;
    memcpy(field, s, (size_t)len);
    field[len] = 0;
    s += len;
    while (isspace((unsigned char)*s)) s++;
    if (*s != '=') return WEFT_OK; /* mpc.x(3) = ..., not part of the case data we read */
    s++;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '[') {
        p->cur = &p->skip;
        for (int k = 0; k < MP_N; k++)
            if (!strcmp(field, mp_names[k])) {
                if (p->m[k].first_line) return PERR(p, WEFT_ERR_PARSE, "mpc.%s assigned twice", field);
                p->cur = &p->m[k];
            }
        p->cur->first_line = p->line;
        p->row_len = 0;
        return matrix_line(p, s + 1, comment);
    }
    if (*s == '{') {
        p->in_cell = !strchr(s, '}');
        return WEFT_OK;
    }
    if (!strcmp(field, "baseMVA")) {
        char *end;
        p->base_mva = strtod(s, &end);
        if (end == s || !(p->base_mva > 0) || !isfinite(p->base_mva))
            return PERR(p, WEFT_ERR_BAD_INPUT, "mpc.baseMVA must be a positive number");
        p->have_base = 1;
    }
    return WEFT_OK;
}

/* Splits off a '%' comment that is not inside a quoted string. */
static char *split_comment(char *s)
{
    int quote = 0;
    for (; *s; s++) {
        if (*s == '\'') quote = !quote;
        if (*s == '%' && !quote) {
            *s = 0;
            return s + 1;
        }
    }
    return NULL;
}

static int parse_line(mp_parser *p, char *s)
{
    char *comment = split_comment(s);
    if (p->cur) return matrix_line(p, s, comment);
    while (isspace((unsigned char)*s)) s++;
    if (p->in_cell) {
        p->in_cell = !strchr(s, '}');
        return WEFT_OK;
    }
    if (!strncmp(s, "function", 8)) {
        char *eq = strchr(s, '=');
        sscanf(eq ? eq + 1 : s + 8, " %127[A-Za-z0-9_]", p->name);
        return WEFT_OK;
    }
    if (!strncmp(s, "mpc.", 4)) return assignment(p, s, comment);
    return WEFT_OK;
}

static int parse_file(mp_parser *p)
{
    FILE *f = fopen(p->path, "r");
    if (!f) return weft_error(p->ctx, WEFT_ERR_IO, "%s: cannot open for reading", p->path);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int st = WEFT_OK;
    int last_cut = 0; /* the last line has no newline: a cut file, whatever the parser makes of it */
    while (!st && (len = getline(&buf, &cap, f)) >= 0) {
        p->line++;
        last_cut = len > 0 && buf[len - 1] != '\n';
        if ((size_t)len != strlen(buf)) st = PERR(p, WEFT_ERR_PARSE, "NUL byte: not a text file");
        else st = parse_line(p, buf);
    }
    free(buf); /* getline's buffer comes from libc */
    fclose(f);
    if ((!st || (st == WEFT_ERR_PARSE && last_cut)) && p->cur)
        st = weft_error(p->ctx, WEFT_ERR_PARSE, "%s:%d: matrix opened here is not closed by ']' (truncated file?)",
                        p->path, p->cur->first_line);
    return st;
}

static int check_parsed(mp_parser *p)
{
    if (!p->have_base) return weft_error(p->ctx, WEFT_ERR_PARSE, "%s: missing mpc.baseMVA", p->path);
    for (int k = 0; k < MP_N; k++) {
        mp_matrix *m = &p->m[k];
        if (!m->first_line) return weft_error(p->ctx, WEFT_ERR_PARSE, "%s: missing mpc.%s", p->path, mp_names[k]);
        if (m->rows > 0 && m->cols < mp_min_cols[k])
            return weft_error(p->ctx, WEFT_ERR_PARSE, "%s:%d: mpc.%s has %d columns, at least %d needed", p->path,
                              m->line[0], mp_names[k], m->cols, mp_min_cols[k]);
    }
    if (p->m[MP_BUS].rows == 0) return weft_error(p->ctx, WEFT_ERR_PARSE, "%s: mpc.bus is empty", p->path);
    if (p->m[MP_GENCOST].rows < p->m[MP_GEN].rows)
        return weft_error(p->ctx, WEFT_ERR_PARSE, "%s:%d: mpc.gencost has %d rows for %d generators", p->path,
                          p->m[MP_GENCOST].first_line, p->m[MP_GENCOST].rows, p->m[MP_GEN].rows);
    return WEFT_OK;
}

#define AT(m, i, j) ((m)->v[(size_t)(i) * (size_t)(m)->cols + (size_t)(j)])

typedef struct bus_key { int32_t id, index; } bus_key;

static int cmp_key(const void *a, const void *b)
{
    const bus_key *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Looks a MATPOWER bus number up; -1 if absent. */
static int32_t bus_index(const bus_key *keys, int32_t n, double id)
{
    if (id != floor(id) || fabs(id) > INT32_MAX) return -1;
    bus_key k = {(int32_t)id, 0};
    const bus_key *hit = bsearch(&k, keys, (size_t)n, sizeof k, cmp_key);
    return hit ? hit->index : -1;
}

static int convert_buses(mp_parser *p, weft_grid *g, bus_key *keys)
{
    const mp_matrix *m = &p->m[MP_BUS];
    for (int32_t i = 0; i < m->rows; i++) {
        double id = AT(m, i, 0), type = AT(m, i, 1);
        if (id != floor(id) || fabs(id) > INT32_MAX)
            return weft_error(p->ctx, WEFT_ERR_BAD_INPUT, "%s:%d: bus number %g is not an integer", p->path, m->line[i], id);
        if (type != 1 && type != 2 && type != 3 && type != 4)
            return weft_error(p->ctx, WEFT_ERR_BAD_INPUT, "%s:%d: bus type %g is not 1, 2, 3 or 4", p->path,
                              m->line[i], type);
        g->bus_id[i] = (int32_t)id;
        g->bus_type[i] = (int32_t)type;
        g->load[i] = AT(m, i, 2);
        g->bus_gs[i] = AT(m, i, 4);
        g->bus_bs[i] = AT(m, i, 5);
        g->bus_base_kv[i] = AT(m, i, 9);
        keys[i] = (bus_key){(int32_t)id, i};
    }
    qsort(keys, (size_t)m->rows, sizeof *keys, cmp_key);
    for (int32_t i = 1; i < m->rows; i++)
        if (keys[i].id == keys[i - 1].id)
            return weft_error(p->ctx, WEFT_ERR_BAD_INPUT, "%s:%d: bus number %d appears twice", p->path,
                              m->line[keys[i].index], keys[i].id);
    return WEFT_OK;
}

static int find_bus(mp_parser *p, const bus_key *keys, const mp_matrix *m, int32_t row, int col, int32_t *out)
{
    *out = bus_index(keys, p->m[MP_BUS].rows, AT(m, row, col));
    if (*out < 0)
        return weft_error(p->ctx, WEFT_ERR_BAD_INPUT, "%s:%d: mpc.%s row %d refers to bus %g, which does not exist",
                          p->path, m->line[row], mp_names[m - p->m], row + 1, AT(m, row, col));
    return WEFT_OK;
}

static int convert_branches(mp_parser *p, weft_grid *g, const bus_key *keys)
{
    const mp_matrix *m = &p->m[MP_BRANCH];
    for (int32_t i = 0; i < m->rows; i++) {
        int st = find_bus(p, keys, m, i, 0, &g->br_from[i]);
        if (!st) st = find_bus(p, keys, m, i, 1, &g->br_to[i]);
        if (st) return st;
        g->br_r[i] = AT(m, i, 2);
        g->br_x[i] = AT(m, i, 3);
        g->br_b[i] = AT(m, i, 4);
        /* MATPOWER writes "no limit" as 0 (rate, angle limits) and "nominal" as 0 (tap) */
        g->br_rate_a[i] = AT(m, i, 5) == 0 ? INFINITY : AT(m, i, 5);
        g->br_tap[i] = AT(m, i, 8) == 0 ? 1 : AT(m, i, 8);
        g->br_shift[i] = AT(m, i, 9);
        g->br_status[i] = AT(m, i, 10) > 0;
        if (m->cols >= 13) {
            double lo = AT(m, i, 11), hi = AT(m, i, 12);
            g->br_angmin[i] = lo == 0 || lo <= -360 ? -INFINITY : lo;
            g->br_angmax[i] = hi == 0 || hi >= 360 ? INFINITY : hi;
        }
    }
    return WEFT_OK;
}

static int convert_cost(mp_parser *p, weft_grid *g, int32_t i, int32_t *k)
{
    const mp_matrix *m = &p->m[MP_GENCOST];
    double model = AT(m, i, 0), n = AT(m, i, 3);
    int ln = m->line[i];
    if (n != floor(n) || n < 0 || 4 + (model == 1 ? 2 : 1) * n > m->cols)
        return weft_error(p->ctx, WEFT_ERR_PARSE, "%s:%d: gencost NCOST = %g does not fit the %d columns", p->path, ln,
                          n, m->cols);
    if (model == 1) {
        g->gen_cost_model[i] = WEFT_COST_PWL;
        for (int32_t j = 0; j < (int32_t)n; j++, (*k)++) {
            g->pwl_gen[*k] = i;
            g->pwl_mw[*k] = AT(m, i, 4 + 2 * j);
            g->pwl_cost[*k] = AT(m, i, 5 + 2 * j);
        }
        return WEFT_OK;
    }
    if (model != 2)
        return weft_error(p->ctx, WEFT_ERR_BAD_INPUT, "%s:%d: gencost model %g is not 1 (piecewise linear) or 2 (polynomial)",
                          p->path, ln, model);
    int32_t deg = (int32_t)n - 1;
    for (int32_t j = 0; j < (int32_t)n; j++) {
        double c = AT(m, i, 4 + j);
        int32_t power = deg - j;
        if (power > 2 && c != 0)
            return weft_error(p->ctx, WEFT_ERR_UNSUPPORTED,
                              "%s:%d: gencost polynomial of degree %d: weft handles degree <= 2 (quadratic)", p->path,
                              ln, power);
        if (power == 2) g->gen_c2[i] = c;
        if (power == 1) g->gen_c1[i] = c;
        if (power == 0) g->gen_c0[i] = c;
    }
    return WEFT_OK;
}

static int convert_gens(mp_parser *p, weft_grid *g, const bus_key *keys)
{
    const mp_matrix *m = &p->m[MP_GEN];
    int32_t k = 0;
    for (int32_t i = 0; i < m->rows; i++) {
        int st = find_bus(p, keys, m, i, 0, &g->gen_bus[i]);
        if (!st) st = convert_cost(p, g, i, &k);
        if (st) return st;
        g->gen_status[i] = AT(m, i, 7) > 0;
        g->gen_pmax[i] = AT(m, i, 8);
        g->gen_pmin[i] = AT(m, i, 9);
        /* RAMP_30 (MW in 30 minutes) when present; 0 means unlimited */
        if (m->cols >= 19 && AT(m, i, 18) > 0) g->gen_ramp[i] = 2 * AT(m, i, 18);
        if (m->tag[i][0]) {
            weft_free(p->ctx, g->gen_tech[i]);
            if (!(g->gen_tech[i] = weft_strdup(p->ctx, m->tag[i]))) return weft_error(p->ctx, WEFT_ERR_NOMEM, "out of memory");
        }
    }
    return WEFT_OK;
}

static int32_t count_pwl(const mp_parser *p)
{
    const mp_matrix *m = &p->m[MP_GENCOST];
    int32_t n = 0;
    for (int32_t i = 0; i < p->m[MP_GEN].rows; i++)
        if (AT(m, i, 0) == 1 && AT(m, i, 3) > 0 && AT(m, i, 3) < 1e6) n += (int32_t)AT(m, i, 3);
    return n;
}

static int build_grid(mp_parser *p, weft_grid **out)
{
    weft_grid_sizes s = {1, p->m[MP_BUS].rows, p->m[MP_BRANCH].rows, p->m[MP_GEN].rows, count_pwl(p), 0, 0, 0};
    weft_grid *g = NULL;
    bus_key *keys = weft_calloc(p->ctx, (size_t)s.n_bus, sizeof *keys);
    int st = keys ? weft_grid_create(p->ctx, &s, &g) : weft_error(p->ctx, WEFT_ERR_NOMEM, "%s: out of memory", p->path);
    if (!st) {
        g->base_mva = p->base_mva;
        const char *base = strrchr(p->path, '/');
        g->name = weft_strdup(p->ctx, p->name[0] ? p->name : base ? base + 1 : p->path);
        if (!g->name) st = weft_error(p->ctx, WEFT_ERR_NOMEM, "out of memory");
    }
    if (!st) st = convert_buses(p, g, keys);
    if (!st) st = convert_branches(p, g, keys);
    if (!st) st = convert_gens(p, g, keys);
    if (!st) st = weft_grid_validate_in(p->ctx, g, p->path);
    weft_free(p->ctx, keys);
    if (st) weft_grid_destroy(p->ctx, &g);
    *out = g;
    return st;
}

weft_status weft_matpower_read(weft_context *ctx, const char *path, weft_grid **out)
{
    if (!ctx || !path || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    mp_parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.path = path;
    int st = parse_file(&p);
    if (!st) st = check_parsed(&p);
    if (!st) st = build_grid(&p, out);
    for (int k = 0; k < MP_N; k++) matrix_free(ctx, &p.m[k]);
    matrix_free(ctx, &p.skip);
    return st;
}
