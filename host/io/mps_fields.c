/* MPS reader: cutting a data line into fields, as fixed-column or as free (blank-separated) MPS.
 *
 * A line is read as fixed format (fields at columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61) only when
 * it fits that grid and a name field holds an inner blank, and the fixed reading fits the section at
 * least as well as the free one (the right field count, then names that exist). On a line without
 * blank-bearing names both readings give the same fields. */
#include <string.h>
#include <strings.h>

#include "io/mps_internal.h"

static const int fixed_start[6] = {1, 4, 14, 24, 39, 49}; /* 0-based; ends below */
static const int fixed_end[6] = {3, 12, 22, 36, 47, 61};

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Fixed reading applies when every character outside the six fields is blank, and a name field
 * (2, 3 or 5) holds a blank between two non-blanks. */
static int wants_fixed(const char *s, size_t len)
{
    if (len > (size_t)fixed_end[5] || memchr(s, '\t', len)) return 0;
    size_t from = 0;
    for (int f = 0; f < 6; f++) {
        for (size_t i = from; i < (size_t)fixed_start[f] && i < len; i++)
            if (s[i] != ' ') return 0;
        from = (size_t)fixed_end[f];
    }
    int inner_blank = 0;
    for (int f = 1; f < 5; f += f == 1 ? 1 : 2) { /* fields 2, 3, 5 */
        size_t a = (size_t)fixed_start[f], b = (size_t)fixed_end[f] < len ? (size_t)fixed_end[f] : len;
        while (a < b && s[a] == ' ') a++;
        while (b > a && s[b - 1] == ' ') b--;
        if (a < b && memchr(s + a, ' ', b - a)) inner_blank = 1;
    }
    return inner_blank;
}

static void split_fixed(mps_parse *ps, char *s, size_t len)
{
    ps->ntok = 0;
    for (int f = 0; f < 6 && (size_t)fixed_start[f] < len; f++) {
        size_t a = (size_t)fixed_start[f], b = (size_t)fixed_end[f] < len ? (size_t)fixed_end[f] : len;
        while (a < b && s[a] == ' ') a++;
        while (b > a && s[b - 1] == ' ') b--;
        if (a == b) continue;
        s[b] = '\0'; /* s[b] is a blank inside the field or a separator, or the line's end */
        ps->tok[ps->ntok++] = s + a;
    }
}

/* Splits at blanks; ntok becomes MAX_TOK + 1 when there are too many fields. */
void mps_split_free(mps_parse *ps, char *s)
{
    ps->ntok = 0;
    for (;;) {
        while (is_blank(*s)) s++;
        if (!*s) return;
        if (ps->ntok == MAX_TOK) {
            ps->ntok = MAX_TOK + 1;
            return;
        }
        ps->tok[ps->ntok++] = s;
        while (*s && !is_blank(*s)) s++;
        if (*s) *s++ = '\0';
    }
}

/* Whether the fields found could form a data line of the current section: a blank-bearing name
 * can make either reading of a line look plausible, so the fixed reading must also fit. */
static int fields_fit(const mps_parse *ps)
{
    int n = ps->ntok;
    switch (ps->sec) {
    case SEC_ROWS: return n == 2;
    case SEC_COLUMNS: return n == 3 || n == 5;
    case SEC_RHS:
    case SEC_RANGES: return n >= 2 && n <= 5;
    case SEC_BOUNDS:
        return n >= 3 ? n <= 4
                      : n == 2 && (!strcasecmp(ps->tok[0], "FR") || !strcasecmp(ps->tok[0], "MI") ||
                                   !strcasecmp(ps->tok[0], "PL") || !strcasecmp(ps->tok[0], "BV"));
    case SEC_QUAD: return n == 3;
    default: return 1;
    }
}

static int known(const weft_name_map *m, char **names, const char *key)
{
    return weft_name_map_find(m, names, key) >= 0;
}

/* Whether the names a data line refers to (rows, or columns after COLUMNS) exist. */
static int names_resolve(const mps_parse *ps)
{
    const mps_reader *r = &ps->r;
    char *const *t = ps->tok;
    int n = ps->ntok, named = n % 2;
    switch (ps->sec) {
    case SEC_COLUMNS:
        return known(&r->row_map, r->row_names, t[1]) && (n < 5 || known(&r->row_map, r->row_names, t[3]));
    case SEC_RHS:
    case SEC_RANGES:
        return known(&r->row_map, r->row_names, t[named]) &&
               (n - named < 4 || known(&r->row_map, r->row_names, t[named + 2]));
    case SEC_BOUNDS: /* type [set] column [value]: the column is the 2nd or the 3rd field */
        return known(&r->col_map, r->col_names, t[1]) || (n > 2 && known(&r->col_map, r->col_names, t[2]));
    case SEC_QUAD:
        return known(&r->col_map, r->col_names, t[0]) && known(&r->col_map, r->col_names, t[1]);
    default: return 1;
    }
}

static int reading_score(const mps_parse *ps) { return fields_fit(ps) ? 1 + names_resolve(ps) : 0; }

/* Cuts a data line into fields: fixed reading where it fits at least as well as the free one. */
void mps_split_data(mps_parse *ps, char *s, size_t len)
{
    if (!wants_fixed(s, len)) {
        mps_split_free(ps, s);
        return;
    }
    memcpy(ps->fixed_line, s, len + 1);
    split_fixed(ps, ps->fixed_line, len);
    int fixed_score = reading_score(ps), fixed_n = ps->ntok;
    char *fixed_tok[MAX_TOK];
    memcpy(fixed_tok, ps->tok, sizeof fixed_tok);
    mps_split_free(ps, s);
    if (fixed_score > 0 && fixed_score >= reading_score(ps)) {
        memcpy(ps->tok, fixed_tok, sizeof fixed_tok);
        ps->ntok = fixed_n;
    }
}

