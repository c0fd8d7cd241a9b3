/* The working matrix of presolve: entries listed by row and by column, fill appended, removals
 * marked by a zero value or a dead row or column; and the snapshots postsolve reads. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/presolve_internal.h"

/* A sum below this fraction of its terms is rounding of a cancellation: the entry goes. */
#define PS_CANCEL 1e-12

static int nomem(weft_context *ctx)
{
    return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
}

static int list_push(weft_context *ctx, ps_list *l, int32_t e)
{
    if (l->len == l->cap) {
        int32_t cap = l->cap ? 2 * l->cap : 4;
        int32_t *x = weft_realloc_array(ctx, l->owned ? l->e : NULL, (size_t)cap, sizeof(int32_t));
        if (!x) return nomem(ctx);
        if (!l->owned) memcpy(x, l->e, sizeof(int32_t) * (size_t)l->len);
        l->e = x;
        l->cap = cap;
        l->owned = 1;
    }
    l->e[l->len++] = e;
    return WEFT_OK;
}

static int entry_new(weft_context *ctx, ps_work *w, int32_t i, int32_t j, double v)
{
    if (w->ne == w->ecap) {
        int32_t cap = w->ecap ? 2 * w->ecap : 64;
        int32_t *er = weft_realloc_array(ctx, w->er, (size_t)cap, sizeof(int32_t));
        if (er) w->er = er;
        int32_t *ec = er ? weft_realloc_array(ctx, w->ec, (size_t)cap, sizeof(int32_t)) : NULL;
        if (ec) w->ec = ec;
        double *ev = ec ? weft_realloc_array(ctx, w->ev, (size_t)cap, sizeof(double)) : NULL;
        if (!ev) return nomem(ctx);
        w->ev = ev;
        w->ecap = cap;
    }
    int32_t e = w->ne++;
    w->er[e] = i;
    w->ec[e] = j;
    w->ev[e] = v;
    int st = list_push(ctx, &w->row[i], e);
    if (!st) st = list_push(ctx, &w->col[j], e);
    return st;
}

int ps_row_live(const ps_work *w, int32_t e)
{
    return w->ev[e] != 0 && w->calive[w->ec[e]];
}

int ps_col_live(const ps_work *w, int32_t e)
{
    return w->ev[e] != 0 && w->ralive[w->er[e]];
}

int ps_entry_add(weft_context *ctx, ps_work *w, int32_t i, int32_t j, double v)
{
    const ps_list *r = &w->row[i];
    for (int32_t t = 0; t < r->len; t++) {
        int32_t e = r->e[t];
        if (w->ec[e] != j || !ps_row_live(w, e)) continue;
        double s = w->ev[e] + v;
        if (fabs(s) <= PS_CANCEL * (fabs(w->ev[e]) + fabs(v))) {
            w->ev[e] = 0;
            w->rcnt[i]--;
            w->ccnt[j]--;
        } else {
            w->ev[e] = s;
        }
        return WEFT_OK;
    }
    w->rcnt[i]++;
    w->ccnt[j]++;
    return entry_new(ctx, w, i, j, v);
}

static int snap_push(weft_context *ctx, lp_presolve *ps, int32_t idx, double v)
{
    if (ps->ns == ps->scap) {
        int32_t cap = ps->scap ? 2 * ps->scap : 256;
        int32_t *si = weft_realloc_array(ctx, ps->sidx, (size_t)cap, sizeof(int32_t));
        if (si) ps->sidx = si;
        double *sv = si ? weft_realloc_array(ctx, ps->sval, (size_t)cap, sizeof(double)) : NULL;
        if (!sv) return nomem(ctx);
        ps->sval = sv;
        ps->scap = cap;
    }
    ps->sidx[ps->ns] = idx;
    ps->sval[ps->ns++] = v;
    return WEFT_OK;
}

/* Appends the live entries of list l (row i's if by_row, else column i's) but the one at index
 * skip on the other side: (column, coefficient) or (row, coefficient). */
static int snap_list(weft_context *ctx, ps_work *w, const ps_list *l, int by_row, int32_t skip, int32_t *start,
                     int32_t *count)
{
    *start = w->ps->ns;
    int st = WEFT_OK;
    for (int32_t t = 0; t < l->len && !st; t++) {
        int32_t e = l->e[t], other = by_row ? w->ec[e] : w->er[e];
        if ((by_row ? ps_row_live(w, e) : ps_col_live(w, e)) && other != skip)
            st = snap_push(ctx, w->ps, other, w->ev[e]);
    }
    *count = w->ps->ns - *start;
    return st;
}

int ps_snap_row(weft_context *ctx, ps_work *w, int32_t i, int32_t skip, int32_t *start, int32_t *count)
{
    return snap_list(ctx, w, &w->row[i], 1, skip, start, count);
}

int ps_snap_col(weft_context *ctx, ps_work *w, int32_t j, int32_t skip, int32_t *start, int32_t *count)
{
    return snap_list(ctx, w, &w->col[j], 0, skip, start, count);
}

void ps_row_remove(ps_work *w, int32_t i)
{
    for (int32_t t = 0; t < w->row[i].len; t++) {
        int32_t e = w->row[i].e[t];
        if (ps_row_live(w, e)) w->ccnt[w->ec[e]]--;
    }
    w->ralive[i] = 0;
    w->rcnt[i] = 0;
}

void ps_col_remove(ps_work *w, int32_t j)
{
    for (int32_t t = 0; t < w->col[j].len; t++) {
        int32_t e = w->col[j].e[t];
        if (ps_col_live(w, e)) w->rcnt[w->er[e]]--;
    }
    w->calive[j] = 0;
    w->ccnt[j] = 0;
}

void ps_work_free(weft_context *ctx, ps_work *w)
{
    for (int32_t i = 0; w->row && i < w->p->n_rows; i++)
        if (w->row[i].owned) weft_free(ctx, w->row[i].e);
    for (int32_t j = 0; w->col && j < w->p->n_cols; j++)
        if (w->col[j].owned) weft_free(ctx, w->col[j].e);
    void *arrays[] = {w->block, w->er, w->ec, w->ev, w->row, w->col, w->lb, w->ub, w->rl, w->ru, w->c,
                      w->rcnt, w->ccnt, w->ralive, w->calive};
    for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++) weft_free(ctx, arrays[k]);
    memset(w, 0, sizeof *w);
}

static int copy_vectors(weft_context *ctx, const weft_lp_problem *p, ps_work *w)
{
    size_t n = (size_t)p->n_cols + 1, m = (size_t)p->n_rows + 1;
    w->lb = weft_calloc(ctx, n, sizeof(double));
    w->ub = weft_calloc(ctx, n, sizeof(double));
    w->c = weft_calloc(ctx, n, sizeof(double));
    w->rl = weft_calloc(ctx, m, sizeof(double));
    w->ru = weft_calloc(ctx, m, sizeof(double));
    w->rcnt = weft_calloc(ctx, m, sizeof(int32_t));
    w->ccnt = weft_calloc(ctx, n, sizeof(int32_t));
    w->ralive = weft_calloc(ctx, m, 1);
    w->calive = weft_calloc(ctx, n, 1);
    w->row = weft_calloc(ctx, m, sizeof(ps_list));
    w->col = weft_calloc(ctx, n, sizeof(ps_list));
    if (!w->lb || !w->ub || !w->c || !w->rl || !w->ru || !w->rcnt || !w->ccnt || !w->ralive ||
        !w->calive || !w->row || !w->col)
        return nomem(ctx);
    memcpy(w->lb, p->col_lo, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->ub, p->col_up, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->c, p->obj, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->rl, p->row_lo, sizeof(double) * (size_t)p->n_rows);
    memcpy(w->ru, p->row_up, sizeof(double) * (size_t)p->n_rows);
    memset(w->ralive, 1, (size_t)p->n_rows);
    memset(w->calive, 1, (size_t)p->n_cols);
    return WEFT_OK;
}

/* Entries and lists of A's non-zeros in a few blocks (explicit zeros are left out: they would
 * make singletons look like doubletons). */
static int load_matrix(weft_context *ctx, const weft_lp_problem *p, ps_work *w)
{
    int32_t nz = 0;
    for (int32_t k = 0; k < p->nnz; k++) nz += p->val[k] != 0;
    w->ecap = nz + 1;
    w->er = weft_calloc(ctx, (size_t)w->ecap, sizeof(int32_t));
    w->ec = weft_calloc(ctx, (size_t)w->ecap, sizeof(int32_t));
    w->ev = weft_calloc(ctx, (size_t)w->ecap, sizeof(double));
    w->block = weft_calloc(ctx, 2 * (size_t)nz + 1, sizeof(int32_t));
    if (!w->er || !w->ec || !w->ev || !w->block) return nomem(ctx);
    for (int32_t k = 0; k < p->nnz; k++)
        if (p->val[k] != 0) w->ccnt[p->col_idx[k]]++;
    int32_t *next = w->block;
    for (int32_t i = 0; i < p->n_rows; i++) {
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) w->rcnt[i] += p->val[k] != 0;
        w->row[i] = (ps_list){.e = next, .cap = w->rcnt[i]};
        next += w->rcnt[i];
    }
    for (int32_t j = 0; j < p->n_cols; j++) {
        w->col[j] = (ps_list){.e = next, .cap = w->ccnt[j]};
        next += w->ccnt[j];
    }
    for (int32_t i = 0; i < p->n_rows; i++)
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            if (p->val[k] == 0) continue;
            int32_t e = w->ne++;
            w->er[e] = i;
            w->ec[e] = p->col_idx[k];
            w->ev[e] = p->val[k];
            w->row[i].e[w->row[i].len++] = e;
            w->col[p->col_idx[k]].e[w->col[p->col_idx[k]].len++] = e;
        }
    return WEFT_OK;
}

int ps_work_init(weft_context *ctx, const weft_lp_problem *p, lp_presolve *ps, ps_work *w)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->ps = ps;
    int st = copy_vectors(ctx, p, w);
    return st ? st : load_matrix(ctx, p, w);
}
