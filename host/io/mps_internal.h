/* The MPS reader's state, shared by the section parser (mps.c), the line splitter (mps_fields.c) and
 * the problem builder (mps_build.c).
 * Private to host/io. */
#ifndef WEFT_MPS_INTERNAL_H
#define WEFT_MPS_INTERNAL_H

#include <stdint.h>
#include "core/context_internal.h"
#include "io/name_map.h"
#include "weft/lp.h"

typedef struct mps_row {
    double rhs, range;
    int32_t kept; /* index among constraint rows, -1 for N rows (objective or dropped free rows) */
    char type;    /* 'N', 'E', 'L', 'G' */
    uint8_t rhs_set, range_set;
} mps_row;

typedef struct mps_col {
    double obj, lo, up, q;
    uint8_t is_int, lo_set, obj_set, q_set;
} mps_col;

typedef struct mps_entry {
    int32_t row, col; /* row: constraint-row index (kept) */
    int64_t line;
    double val;
} mps_entry;

typedef struct mps_reader {
    weft_context *ctx;
    const char *path;
    int64_t line;
    char *name;
    int sense;
    double offset;
    int offset_set, has_q;

    mps_row *rows;
    char **row_names;
    size_t n_rows, cap_rows, cap_row_names;
    weft_name_map row_map;
    int32_t obj_row; /* index in rows of the objective, -1 if none yet */
    int32_t n_kept, n_free_dropped;

    mps_col *cols;
    char **col_names;
    size_t n_cols, cap_cols, cap_col_names;
    weft_name_map col_map;

    mps_entry *ent;
    size_t n_ent, cap_ent;
} mps_reader;

enum { MAX_TOK = 8 };

typedef enum mps_section {
    SEC_NONE, SEC_OBJSENSE, SEC_ROWS, SEC_COLUMNS, SEC_RHS, SEC_RANGES, SEC_BOUNDS, SEC_QUAD, SEC_END
} mps_section;

typedef struct mps_parse {
    mps_reader r;
    mps_section sec;
    int in_int_block;
    int32_t last_col;
    char *sets[3]; /* first RHS, RANGES, BOUNDS set names */
    int skipped_sets, seen_header;
    int64_t n_neg_up, neg_up_line;
    char *tok[MAX_TOK];
    int ntok;
    char fixed_line[64]; /* a copy of a fixed-format line, cut into fields */
} mps_parse;

/* Error at the current line: "path:line: message". Returns status. */
int mps_fail(mps_reader *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Grows *p (of *cap elements of size elt) to hold at least need elements. */
weft_status mps_grow(mps_reader *r, void **p, size_t *cap, size_t need, size_t elt);
/* Cut a line into ps->tok: a header line at blanks; a data line as fixed or free MPS (mps_fields.c). */
void mps_split_free(mps_parse *ps, char *s);
void mps_split_data(mps_parse *ps, char *s, size_t len);
/* Turns the parsed state into a problem; nothing is left allocated in *out on error. */
weft_status mps_build(mps_reader *r, weft_lp_problem **out);

#endif
