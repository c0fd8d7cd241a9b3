/* MPS reader, second half: from rows, columns and column-wise entries to a CSR problem. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/mps_internal.h"

static void row_bounds(const mps_row *row, double *lo, double *up)
{
    double r = fabs(row->range);
    switch (row->type) {
    case 'E':
        *lo = *up = row->rhs;
        if (row->range_set && row->range > 0) *up = row->rhs + r;
        if (row->range_set && row->range < 0) *lo = row->rhs - r;
        break;
    case 'L':
        *lo = row->range_set ? row->rhs - r : -INFINITY;
        *up = row->rhs;
        break;
    default: /* 'G' */
        *lo = row->rhs;
        *up = row->range_set ? row->rhs + r : INFINITY;
        break;
    }
}

/* Entries come column by column (mostly); a counting sort by column then a scatter by row gives
 * rows with ascending columns, where a repeated (row, column) pair sits next to its twin. */
static weft_status fill_csr(mps_reader *r, weft_lp_problem *p)
{
    weft_context *ctx = r->ctx;
    size_t nnz = r->n_ent;
    weft_status st = WEFT_OK;
    size_t *by_col = weft_calloc(ctx, nnz + 1, sizeof *by_col);
    size_t *col_start = weft_calloc(ctx, r->n_cols + 1, sizeof *col_start);
    size_t *src = weft_calloc(ctx, nnz + 1, sizeof *src);
    int32_t *fill = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof *fill);
    if (!by_col || !col_start || !src || !fill) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory building the matrix (%zu nonzeros)",
                        r->path, nnz);
        goto cleanup;
    }
    for (size_t k = 0; k < nnz; k++) col_start[r->ent[k].col + 1]++;
    for (size_t j = 0; j < r->n_cols; j++) col_start[j + 1] += col_start[j];
    for (size_t k = 0; k < nnz; k++) by_col[col_start[r->ent[k].col]++] = k;

    for (size_t k = 0; k < nnz; k++) p->row_ptr[r->ent[k].row + 1]++;
    for (int32_t i = 0; i < p->n_rows; i++) p->row_ptr[i + 1] += p->row_ptr[i];
    for (size_t t = 0; t < nnz; t++) {
        const mps_entry *e = &r->ent[by_col[t]];
        int32_t pos = p->row_ptr[e->row] + fill[e->row]++;
        p->col_idx[pos] = e->col;
        p->val[pos] = e->val;
        src[pos] = by_col[t];
    }
    for (int32_t i = 0; i < p->n_rows; i++) {
        for (int32_t k = p->row_ptr[i] + 1; k < p->row_ptr[i + 1]; k++) {
            if (p->col_idx[k] != p->col_idx[k - 1]) continue;
            const mps_entry *a = &r->ent[src[k - 1]], *b = &r->ent[src[k]];
            if (a->line > b->line) {
                const mps_entry *t = a;
                a = b;
                b = t;
            }
            r->line = b->line;
            st = mps_fail(r, WEFT_ERR_PARSE,
                          "duplicate entry for column '%s' in row '%s' (first given on line %lld)",
                          r->col_names[b->col], p->row_names[i], (long long)a->line);
            goto cleanup;
        }
    }
cleanup:
    weft_free(ctx, by_col);
    weft_free(ctx, col_start);
    weft_free(ctx, src);
    weft_free(ctx, fill);
    return st;
}

static weft_status fill_rows(mps_reader *r, weft_lp_problem *p)
{
    p->row_names = weft_calloc(r->ctx, (size_t)p->n_rows + 1, sizeof *p->row_names);
    if (!p->row_names) return weft_error(r->ctx, WEFT_ERR_NOMEM, "%s: out of memory for row names", r->path);
    for (size_t i = 0; i < r->n_rows; i++) {
        int32_t k = r->rows[i].kept;
        if (k < 0) continue;
        row_bounds(&r->rows[i], &p->row_lo[k], &p->row_up[k]);
        p->row_names[k] = r->row_names[i]; /* moved: the reader's copy is cleared */
        r->row_names[i] = NULL;
    }
    return WEFT_OK;
}

static weft_status fill_cols(mps_reader *r, weft_lp_problem *p)
{
    if (r->has_q) {
        p->q = weft_calloc(r->ctx, r->n_cols + 1, sizeof *p->q);
        if (!p->q) return weft_error(r->ctx, WEFT_ERR_NOMEM, "%s: out of memory for q", r->path);
    }
    for (size_t j = 0; j < r->n_cols; j++) {
        p->obj[j] = r->cols[j].obj;
        p->col_lo[j] = r->cols[j].lo;
        p->col_up[j] = r->cols[j].up;
        if (p->q) p->q[j] = r->cols[j].q;
    }
    p->col_names = r->col_names; /* moved, with the reader's name table */
    r->col_names = NULL;
    weft_name_map_free(r->ctx, &r->col_map);
    return WEFT_OK;
}

weft_status mps_build(mps_reader *r, weft_lp_problem **out)
{
    weft_lp_problem *p = NULL;
    *out = NULL;
    weft_status st = weft_lp_problem_create(r->ctx, (int32_t)r->n_cols, r->n_kept, (int32_t)r->n_ent, &p);
    if (st) return st;
    p->sense = r->sense;
    p->offset = r->offset;
    p->name = r->name; /* moved */
    r->name = NULL;
    if ((st = fill_rows(r, p)) || (st = fill_csr(r, p)) || (st = fill_cols(r, p))) goto cleanup;
    st = weft_lp_problem_validate(r->ctx, p);
    if (st) {
        char msg[sizeof r->ctx->last_error];
        snprintf(msg, sizeof msg, "%s", weft_context_last_error(r->ctx));
        st = weft_error(r->ctx, st, "%s: %s", r->path, msg);
        goto cleanup;
    }
    *out = p;
    p = NULL;
cleanup:
    weft_lp_problem_destroy(r->ctx, &p);
    return st;
}
