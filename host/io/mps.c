/* MPS reader: the file, its lines and sections (see weft/lp.h for the scope; mps_fields.c cuts
 * lines into fields, mps_build.c makes the problem).
 *
 * Conventions chosen (CPLEX/HiGHS behaviour where the format leaves room):
 * - an RHS on the objective row is the objective constant with the opposite sign: offset = -value.
 * - a repeated (row, column) entry, row name, RHS, range or diagonal Q term is an error.
 * - UP (or UI) with a negative value on a column whose lower bound is still the default 0 makes the
 *   lower bound -inf, with a warning.
 * - only the first RHS, RANGES and BOUNDS set is used; lines of other sets are skipped with a warning. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/mps_internal.h"

int mps_fail(mps_reader *r, int status, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return weft_error(r->ctx, status, "%s:%lld: %s", r->path, (long long)r->line, msg);
}

weft_status mps_grow(mps_reader *r, void **p, size_t *cap, size_t need, size_t elt)
{
    if (need <= *cap) return WEFT_OK;
    if (need >= (size_t)INT32_MAX)
        return mps_fail(r, WEFT_ERR_OVERFLOW, "more than %d rows, columns or nonzeros", INT32_MAX - 1);
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = weft_realloc_array(r->ctx, *p, c, elt);
    if (!q) return mps_fail(r, WEFT_ERR_NOMEM, "out of memory (%zu items)", c);
    *p = q;
    *cap = c;
    return WEFT_OK;
}

/* MPS's infinity: a bound of this magnitude or more means no bound. */
#define MPS_INFINITY 1e30

/* field: the MPS field number, for the message. Bounds may be infinite; a value of MPS_INFINITY or
 * more anywhere else is refused: as a coefficient, right-hand side or range it overflowed the
 * solver's norms (a 1e308 range ended in a numerical error). */
static weft_status number(mps_parse *ps, const char *s, int field, int allow_inf, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end)
        return mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d '%.40s' is not a number", field, s);
    if (isnan(v)) return mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d '%.40s' is NaN", field, s);
    if (fabs(v) >= MPS_INFINITY) {
        if (allow_inf) v = v > 0 ? INFINITY : -INFINITY;
        else if (isinf(v)) return mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d '%.40s' is not finite", field, s);
        else
            return mps_fail(&ps->r, WEFT_ERR_PARSE,
                            "field %d '%.40s' is out of range (|value| >= 1e30 means infinity, allowed only in BOUNDS)",
                            field, s);
    }
    *out = v;
    return WEFT_OK;
}

/* ---- rows and columns ---- */

static int32_t find_row(mps_parse *ps, const char *name, int field)
{
    int32_t i = weft_name_map_find(&ps->r.row_map, ps->r.row_names, name);
    if (i < 0) mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d: unknown row '%.64s'", field, name);
    return i;
}

static int32_t find_col(mps_parse *ps, const char *name, int field)
{
    int32_t j = weft_name_map_find(&ps->r.col_map, ps->r.col_names, name);
    if (j < 0) mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d: unknown column '%.64s'", field, name);
    return j;
}

static weft_status add_row(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    if (ps->ntok != 2)
        return mps_fail(r, WEFT_ERR_PARSE, "a ROWS line has a type and a name, this one %d fields", ps->ntok);
    char type = ps->tok[0][1] ? '?' : (char)(ps->tok[0][0] & ~0x20);
    if (!strchr("NELG", type) || !ps->tok[0][0])
        return mps_fail(r, WEFT_ERR_PARSE, "field 1: unknown row type '%.8s' (N, E, L or G)", ps->tok[0]);
    if (weft_name_map_find(&r->row_map, r->row_names, ps->tok[1]) >= 0)
        return mps_fail(r, WEFT_ERR_PARSE, "field 2: duplicate row name '%.64s'", ps->tok[1]);
    weft_status st = mps_grow(r, (void **)&r->rows, &r->cap_rows, r->n_rows + 1, sizeof *r->rows);
    if (!st) st = mps_grow(r, (void **)&r->row_names, &r->cap_row_names, r->n_rows + 1, sizeof *r->row_names);
    if (st) return st;
    size_t i = r->n_rows;
    if (!(r->row_names[i] = weft_strdup(r->ctx, ps->tok[1])))
        return mps_fail(r, WEFT_ERR_NOMEM, "out of memory");
    r->n_rows++;
    r->rows[i] = (mps_row){.type = type, .kept = -1};
    if (type != 'N') r->rows[i].kept = r->n_kept++;
    else if (r->obj_row < 0) r->obj_row = (int32_t)i;
    else r->n_free_dropped++;
    return weft_name_map_insert(r->ctx, &r->row_map, r->row_names, (int32_t)i);
}

static weft_status column(mps_parse *ps, const char *name, int32_t *out)
{
    mps_reader *r = &ps->r;
    if (ps->last_col >= 0 && strcmp(r->col_names[ps->last_col], name) == 0) {
        *out = ps->last_col;
        return WEFT_OK;
    }
    int32_t j = weft_name_map_find(&r->col_map, r->col_names, name);
    if (j < 0) {
        weft_status st = mps_grow(r, (void **)&r->cols, &r->cap_cols, r->n_cols + 1, sizeof *r->cols);
        if (!st) st = mps_grow(r, (void **)&r->col_names, &r->cap_col_names, r->n_cols + 1, sizeof *r->col_names);
        if (st) return st;
        j = (int32_t)r->n_cols;
        if (!(r->col_names[j] = weft_strdup(r->ctx, name))) return mps_fail(r, WEFT_ERR_NOMEM, "out of memory");
        r->n_cols++;
        r->cols[j] = (mps_col){.lo = 0, .up = INFINITY};
        if ((st = weft_name_map_insert(r->ctx, &r->col_map, r->col_names, j))) return st;
    }
    *out = ps->last_col = j;
    return WEFT_OK;
}

static weft_status marker(mps_parse *ps)
{
    const char *m = ps->tok[ps->ntok - 1];
    if (strcmp(m, "'INTORG'") == 0) ps->in_int_block = 1;
    else if (strcmp(m, "'INTEND'") == 0) ps->in_int_block = 0;
    else return mps_fail(&ps->r, WEFT_ERR_PARSE, "unknown marker '%.40s' ('INTORG' or 'INTEND')", m);
    return WEFT_OK;
}

static weft_status column_entry(mps_parse *ps, int32_t j, const char *row, const char *val, int field)
{
    mps_reader *r = &ps->r;
    double v = 0;
    int32_t i = find_row(ps, row, field);
    if (i < 0) return WEFT_ERR_PARSE;
    weft_status st = number(ps, val, field + 1, 0, &v);
    if (st) return st;
    if (i == r->obj_row) {
        if (r->cols[j].obj_set)
            return mps_fail(r, WEFT_ERR_PARSE, "duplicate objective entry for column '%.64s'", r->col_names[j]);
        r->cols[j].obj = v;
        r->cols[j].obj_set = 1;
        return WEFT_OK;
    }
    if (r->rows[i].kept < 0) return WEFT_OK; /* a free N row: dropped */
    if ((st = mps_grow(r, (void **)&r->ent, &r->cap_ent, r->n_ent + 1, sizeof *r->ent))) return st;
    r->ent[r->n_ent++] = (mps_entry){.row = r->rows[i].kept, .col = j, .line = r->line, .val = v};
    return WEFT_OK;
}

static weft_status columns_line(mps_parse *ps)
{
    if (ps->ntok >= 3 && strcmp(ps->tok[1], "'MARKER'") == 0) return marker(ps);
    if (ps->ntok != 3 && ps->ntok != 5)
        return mps_fail(&ps->r, WEFT_ERR_PARSE,
                        "a COLUMNS line has column, row, value [, row, value], this one %d fields", ps->ntok);
    int32_t j = -1;
    weft_status st = column(ps, ps->tok[0], &j);
    if (st) return st;
    if (ps->in_int_block) ps->r.cols[j].is_int = 1;
    st = column_entry(ps, j, ps->tok[1], ps->tok[2], 3);
    if (!st && ps->ntok == 5) st = column_entry(ps, j, ps->tok[3], ps->tok[4], 5);
    return st;
}

/* ---- RHS, RANGES ---- */

/* 1 if this line belongs to the first set seen for section slot k (0 RHS, 1 RANGES, 2 BOUNDS). */
static int first_set(mps_parse *ps, int k, const char *set, weft_status *st)
{
    *st = WEFT_OK;
    if (!ps->sets[k]) {
        ps->sets[k] = weft_strdup(ps->r.ctx, set);
        if (!ps->sets[k]) *st = mps_fail(&ps->r, WEFT_ERR_NOMEM, "out of memory");
        return 1;
    }
    if (strcmp(ps->sets[k], set) == 0) return 1;
    if (!ps->skipped_sets++)
        weft_log(ps->r.ctx, WEFT_LOG_WARNING, "%s:%lld: only the first set '%s' is used; set '%s' skipped",
                 ps->r.path, (long long)ps->r.line, ps->sets[k], set);
    return 0;
}

static weft_status rhs_value(mps_parse *ps, int ranges, const char *row, const char *val, int field)
{
    mps_reader *r = &ps->r;
    double v = 0;
    int32_t i = find_row(ps, row, field);
    if (i < 0) return WEFT_ERR_PARSE;
    weft_status st = number(ps, val, field + 1, 0, &v);
    if (st) return st;
    mps_row *w = &r->rows[i];
    if (!ranges && i == r->obj_row) {
        if (r->offset_set) return mps_fail(r, WEFT_ERR_PARSE, "duplicate RHS on the objective row '%.64s'", row);
        r->offset = -v; /* objective row reads c'x - rhs: the constant is -rhs */
        r->offset_set = 1;
        return WEFT_OK;
    }
    if (w->kept < 0) {
        weft_log(r->ctx, WEFT_LOG_WARNING, "%s:%lld: %s on the N row '%s' ignored", r->path,
                 (long long)r->line, ranges ? "range" : "RHS", row);
        return WEFT_OK;
    }
    uint8_t *set = ranges ? &w->range_set : &w->rhs_set;
    if (*set)
        return mps_fail(r, WEFT_ERR_PARSE, "duplicate %s for row '%.64s'", ranges ? "range" : "RHS", row);
    *set = 1;
    if (ranges) w->range = v;
    else w->rhs = v;
    return WEFT_OK;
}

static weft_status rhs_line(mps_parse *ps, int ranges)
{
    int n = ps->ntok;
    if (n < 2 || n > 5)
        return mps_fail(&ps->r, WEFT_ERR_PARSE, "an %s line has [set,] row, value [, row, value], this one %d fields",
                        ranges ? "RANGES" : "RHS", n);
    int named = n % 2; /* 3 or 5 fields: a set name first */
    weft_status st;
    if (!first_set(ps, ranges, named ? ps->tok[0] : "", &st)) return st;
    if (st) return st;
    st = rhs_value(ps, ranges, ps->tok[named], ps->tok[named + 1], 3);
    if (!st && n - named == 4) st = rhs_value(ps, ranges, ps->tok[named + 2], ps->tok[named + 3], 5);
    return st;
}

/* ---- BOUNDS ---- */

static weft_status apply_bound(mps_parse *ps, mps_col *c, const char *type, double v)
{
    if (!strcmp(type, "UP") || !strcmp(type, "UI")) {
        c->up = v;
        if (v < 0 && c->lo == 0 && !c->lo_set) {
            c->lo = -INFINITY;
            if (!ps->n_neg_up++) ps->neg_up_line = ps->r.line;
        }
    } else if (!strcmp(type, "LO") || !strcmp(type, "LI")) {
        c->lo = v;
        c->lo_set = 1;
    } else if (!strcmp(type, "FX")) {
        c->lo = c->up = v;
        c->lo_set = 1;
    } else if (!strcmp(type, "FR")) {
        c->lo = -INFINITY;
        c->up = INFINITY;
        c->lo_set = 1;
    } else if (!strcmp(type, "MI")) {
        c->lo = -INFINITY;
        c->lo_set = 1;
    } else if (!strcmp(type, "PL")) {
        c->up = INFINITY;
    } else { /* BV */
        c->lo = 0;
        c->up = 1;
        c->lo_set = 1;
    }
    if (!strcmp(type, "LI") || !strcmp(type, "UI") || !strcmp(type, "BV")) c->is_int = 1;
    return WEFT_OK;
}

static weft_status bounds_line(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    static const char *with_value[] = {"UP", "LO", "FX", "LI", "UI"};
    static const char *without[] = {"FR", "MI", "PL", "BV"};
    if (ps->ntok < 2 || ps->ntok > 4)
        return mps_fail(r, WEFT_ERR_PARSE, "a BOUNDS line has type, [set,] column [, value], this one %d fields",
                        ps->ntok);
    char type[3] = {0};
    if (strlen(ps->tok[0]) == 2) {
        type[0] = (char)(ps->tok[0][0] & ~0x20);
        type[1] = (char)(ps->tok[0][1] & ~0x20);
    }
    if (!strcmp(type, "SC"))
        return mps_fail(r, WEFT_ERR_UNSUPPORTED, "field 1: bound type SC (semi-continuous) is not supported");
    int needs = -1;
    for (int k = 0; k < 5; k++) if (!strcmp(type, with_value[k])) needs = 1;
    for (int k = 0; k < 4; k++) if (!strcmp(type, without[k])) needs = 0;
    if (needs < 0) return mps_fail(r, WEFT_ERR_PARSE, "field 1: unknown bound type '%.8s'", ps->tok[0]);
    /* which fields are there: type set col val | type col val | type set col | type col */
    int named = needs ? ps->ntok == 4
                      : ps->ntok == 4 || (ps->ntok == 3 && weft_name_map_find(&r->col_map, r->col_names,
                                                                              ps->tok[2]) >= 0);
    if (needs && ps->ntok < 3)
        return mps_fail(r, WEFT_ERR_PARSE, "bound type %s needs a value", type);
    weft_status st;
    if (!first_set(ps, 2, named ? ps->tok[1] : "", &st)) return st;
    if (st) return st;
    int32_t j = find_col(ps, ps->tok[named + 1], 3);
    if (j < 0) return WEFT_ERR_PARSE;
    double v = 0;
    if (needs && (st = number(ps, ps->tok[named + 2], 4, 1, &v))) return st;
    return apply_bound(ps, &r->cols[j], type, v);
}

/* ---- quadratic objective ---- */

static weft_status quad_line(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    if (ps->ntok != 3)
        return mps_fail(r, WEFT_ERR_PARSE, "a quadratic line has column, column, value, this one %d fields",
                        ps->ntok);
    int32_t a = find_col(ps, ps->tok[0], 2);
    if (a < 0) return WEFT_ERR_PARSE;
    int32_t b = find_col(ps, ps->tok[1], 3);
    if (b < 0) return WEFT_ERR_PARSE;
    double v = 0;
    weft_status st = number(ps, ps->tok[2], 4, 0, &v);
    if (st) return st;
    if (a != b) {
        if (v == 0) return WEFT_OK;
        return mps_fail(r, WEFT_ERR_UNSUPPORTED,
                        "off-diagonal quadratic term between %.64s and %.64s is not supported "
                        "(weft solves diagonal QPs only)", r->col_names[a], r->col_names[b]);
    }
    if (r->cols[a].q_set)
        return mps_fail(r, WEFT_ERR_PARSE, "duplicate quadratic term for column '%.64s'", r->col_names[a]);
    r->cols[a].q = v; /* Q_jj: the coefficient of x_j^2 / 2 */
    r->cols[a].q_set = 1;
    r->has_q = 1;
    return WEFT_OK;
}

/* ---- sections ---- */

static weft_status set_sense(mps_parse *ps, const char *s, int field)
{
    if (!strcasecmp(s, "MAX") || !strcasecmp(s, "MAXIMIZE")) ps->r.sense = -1;
    else if (!strcasecmp(s, "MIN") || !strcasecmp(s, "MINIMIZE")) ps->r.sense = 1;
    else return mps_fail(&ps->r, WEFT_ERR_PARSE, "field %d: unknown objective sense '%.20s'", field, s);
    return WEFT_OK;
}

static weft_status header(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    const char *k = ps->tok[0];
    static const struct { const char *name; mps_section sec; } plain[] = {
        {"ROWS", SEC_ROWS}, {"COLUMNS", SEC_COLUMNS}, {"RHS", SEC_RHS}, {"RANGES", SEC_RANGES},
        {"BOUNDS", SEC_BOUNDS}, {"QUADOBJ", SEC_QUAD}, {"QMATRIX", SEC_QUAD}, {"ENDATA", SEC_END}};
    if (ps->sec == SEC_OBJSENSE && ps->ntok == 1 && strcmp(k, "ROWS")) { /* sense written in column 1 */
        ps->sec = SEC_NONE;
        return set_sense(ps, k, 1);
    }
    if (!strcmp(k, "NAME")) {
        if (r->name) return mps_fail(r, WEFT_ERR_PARSE, "a second NAME line");
        if (!(r->name = weft_strdup(r->ctx, ps->ntok > 1 ? ps->tok[1] : "")))
            return mps_fail(r, WEFT_ERR_NOMEM, "out of memory");
        ps->sec = SEC_NONE;
        return WEFT_OK;
    }
    if (!strcmp(k, "OBJSENSE")) {
        ps->sec = ps->ntok > 1 ? SEC_NONE : SEC_OBJSENSE;
        return ps->ntok > 1 ? set_sense(ps, ps->tok[1], 2) : WEFT_OK;
    }
    if (!strcmp(k, "QSECTION") || !strcmp(k, "QCMATRIX")) {
        int obj = !strcmp(k, "QSECTION") &&
                  (ps->ntok == 1 || (r->obj_row >= 0 && !strcmp(ps->tok[1], r->row_names[r->obj_row])));
        if (!obj)
            return mps_fail(r, WEFT_ERR_UNSUPPORTED, "quadratic constraints (%s %.64s) are not supported", k,
                            ps->ntok > 1 ? ps->tok[1] : "");
        ps->sec = SEC_QUAD;
        return WEFT_OK;
    }
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        if (strcmp(k, plain[i].name)) continue;
        ps->sec = plain[i].sec;
        return WEFT_OK;
    }
    return mps_fail(r, WEFT_ERR_PARSE, "unknown section '%.40s'", k);
}

static weft_status data_line(mps_parse *ps)
{
    switch (ps->sec) {
    case SEC_OBJSENSE:
        ps->sec = SEC_NONE;
        return set_sense(ps, ps->tok[0], 1);
    case SEC_ROWS: return add_row(ps);
    case SEC_COLUMNS: return columns_line(ps);
    case SEC_RHS: return rhs_line(ps, 0);
    case SEC_RANGES: return rhs_line(ps, 1);
    case SEC_BOUNDS: return bounds_line(ps);
    case SEC_QUAD: return quad_line(ps);
    default: return mps_fail(&ps->r, WEFT_ERR_PARSE, "data line '%.40s' outside any section", ps->tok[0]);
    }
}

static weft_status check_text(mps_parse *ps, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 32 && c != '\t' && c != '\r' && c != '\f' && c != '\v')
            return mps_fail(&ps->r, WEFT_ERR_PARSE, "binary data (byte 0x%02x at column %zu): not an MPS text file",
                            c, i + 1);
    }
    return WEFT_OK;
}

static weft_status parse_line(mps_parse *ps, char *s, size_t len)
{
    weft_status st = check_text(ps, s, len);
    if (st) return st;
    while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t')) s[--len] = '\0';
    if (len == 0 || s[0] == '*') return WEFT_OK;
    int is_header = s[0] != ' ' && s[0] != '\t';
    if (is_header) mps_split_free(ps, s);
    else mps_split_data(ps, s, len);
    if (ps->ntok == 0) return WEFT_OK;
    if (ps->ntok > MAX_TOK) return mps_fail(&ps->r, WEFT_ERR_PARSE, "more than %d fields", MAX_TOK);
    if (is_header) ps->seen_header = 1;
    return is_header ? header(ps) : data_line(ps);
}

static weft_status parse_buffer(mps_parse *ps, char *buf, size_t size)
{
    size_t pos = 0;
    while (pos < size && ps->sec != SEC_END) {
        char *s = buf + pos;
        char *nl = memchr(s, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - s) : size - pos;
        s[len] = '\0'; /* the buffer has one spare byte past the end */
        pos += len + 1;
        ps->r.line++;
        weft_status st = parse_line(ps, s, len);
        if (st) return st;
    }
    if (ps->r.line == 0) {
        ps->r.line = 1;
        return mps_fail(&ps->r, WEFT_ERR_PARSE, "empty file");
    }
    if (!ps->seen_header) return mps_fail(&ps->r, WEFT_ERR_PARSE, "no MPS section: blank lines and comments only");
    if (ps->sec != SEC_END)
        return mps_fail(&ps->r, WEFT_ERR_PARSE, "no ENDATA line: the file is truncated or not MPS");
    return WEFT_OK;
}

static weft_status read_file(weft_context *ctx, const char *path, char **out, size_t *size)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    weft_status st = WEFT_OK;
    size_t cap = 1 << 16, n = 0;
    char *buf = weft_malloc(ctx, cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *b = cap < SIZE_MAX / 2 ? weft_realloc(ctx, buf, cap * 2) : NULL;
        if (!b) weft_free(ctx, buf);
        buf = b;
        cap *= 2;
    }
    if (!buf) st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory reading the file", path);
    else if (ferror(f)) st = weft_error(ctx, WEFT_ERR_IO, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    if (st) {
        weft_free(ctx, buf);
        return st;
    }
    buf[n] = '\0';
    *out = buf;
    *size = n;
    return WEFT_OK;
}

static void reader_free(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    weft_context *ctx = r->ctx;
    for (size_t i = 0; i < r->n_rows; i++) weft_free(ctx, r->row_names[i]);
    if (r->col_names)
        for (size_t j = 0; j < r->n_cols; j++) weft_free(ctx, r->col_names[j]);
    weft_free(ctx, r->row_names);
    weft_free(ctx, r->col_names);
    weft_free(ctx, r->rows);
    weft_free(ctx, r->cols);
    weft_free(ctx, r->ent);
    weft_free(ctx, r->name);
    weft_name_map_free(ctx, &r->row_map);
    weft_name_map_free(ctx, &r->col_map);
    for (int k = 0; k < 3; k++) weft_free(ctx, ps->sets[k]);
}

static weft_status report(mps_parse *ps)
{
    mps_reader *r = &ps->r;
    if (ps->n_neg_up)
        weft_log(r->ctx, WEFT_LOG_WARNING,
                 "%s:%lld: %lld column(s) with a negative upper bound and the default lower bound 0: "
                 "lower bound set to -inf (as CPLEX and HiGHS do)",
                 r->path, (long long)ps->neg_up_line, (long long)ps->n_neg_up);
    if (r->n_free_dropped)
        weft_log(r->ctx, WEFT_LOG_INFO, "%s: %d free N row(s) besides the objective dropped", r->path,
                 r->n_free_dropped);
    size_t n_int = 0;
    for (size_t j = 0; j < r->n_cols; j++) n_int += r->cols[j].is_int;
    if (!n_int) return WEFT_OK;
    weft_log(r->ctx, WEFT_LOG_WARNING, "%s: %zu integer column(s) relaxed to continuous", r->path, n_int);
    return WEFT_WARN_INTEGER_RELAXED;
}

weft_status weft_mps_read(weft_context *ctx, const char *path, weft_lp_problem **out)
{
    if (!ctx || !path || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    char *buf = NULL;
    size_t size = 0;
    mps_parse ps = {.r = {.ctx = ctx, .path = path, .sense = 1, .obj_row = -1}, .last_col = -1};
    weft_status st = read_file(ctx, path, &buf, &size);
    if (st) return st;
    st = parse_buffer(&ps, buf, size);
    weft_free(ctx, buf);
    if (!st) st = mps_build(&ps.r, out);
    if (!st) st = report(&ps);
    reader_free(&ps);
    return st;
}
