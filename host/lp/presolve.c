/* The reductions of presolve.h, on a working copy of the bounds with alive flags and counts; the
 * reduced problem is built once they stop finding anything. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/lp_internal.h"
#include "lp/presolve_internal.h"

/* Rounding slack for feasibility and bound comparisons, relative to the magnitude at hand. */
#define PS_TOL 1e-9
#define PS_MAX_PASSES 64

typedef struct ps_work {
    const weft_lp_problem *p;
    lp_presolve *ps;
    double *lb, *ub, *rl, *ru;
    double *c;       /* objective, in p's sense, with eliminated columns' costs moved onto others */
    int32_t *rcnt, *ccnt;
    char *ralive, *calive;
    double offset;   /* objective constant gained, in p's sense */
    int infeasible, changed;
} ps_work;

static int near(double a, double b)
{
    return fabs(a - b) <= PS_TOL * (1 + fabs(a) + fabs(b));
}

static int push(weft_context *ctx, ps_work *w, ps_op op)
{
    lp_presolve *ps = w->ps;
    if (ps->nops == ps->cap) {
        int32_t cap = ps->cap ? 2 * ps->cap : 256;
        ps_op *o = weft_realloc(ctx, ps->ops, sizeof *o * (size_t)cap);
        if (!o) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
        ps->ops = o;
        ps->cap = cap;
    }
    ps->ops[ps->nops++] = op;
    w->changed = 1;
    return WEFT_OK;
}

static double qval(const ps_work *w, int32_t j)
{
    return w->p->q ? w->p->sense * w->p->q[j] : 0;
}

static int fix_col(weft_context *ctx, ps_work *w, int32_t j, double v)
{
    const lp_presolve *ps = w->ps;
    for (int32_t k = ps->cp[j]; k < ps->cp[j + 1]; k++) {
        int32_t i = ps->cr[k];
        if (!w->ralive[i] || ps->cv[k] == 0) continue;
        w->rl[i] -= ps->cv[k] * v;
        w->ru[i] -= ps->cv[k] * v;
        w->rcnt[i]--;
    }
    double q = w->p->q ? w->p->q[j] : 0;
    w->offset += w->c[j] * v + 0.5 * q * v * v;
    w->calive[j] = 0;
    w->ccnt[j] = 0;
    return push(ctx, w, (ps_op){.kind = PS_COL_FIXED, .j = j, .v = v});
}

static int drop_row(weft_context *ctx, ps_work *w, int32_t i)
{
    const weft_lp_problem *p = w->p;
    for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++)
        if (w->calive[p->col_idx[k]] && p->val[k] != 0) w->ccnt[p->col_idx[k]]--;
    w->ralive[i] = 0;
    w->rcnt[i] = 0;
    return push(ctx, w, (ps_op){.kind = PS_ROW_DROP, .i = i});
}

/* a x_j in [rl, ru] as bounds on x_j; crossing bounds within rounding are made equal. */
static int singleton_row(weft_context *ctx, ps_work *w, int32_t i)
{
    const weft_lp_problem *p = w->p;
    int32_t k = p->row_ptr[i];
    while (!w->calive[p->col_idx[k]] || p->val[k] == 0) k++;
    int32_t j = p->col_idx[k];
    double a = p->val[k];
    double lo = a > 0 ? w->rl[i] / a : w->ru[i] / a, up = a > 0 ? w->ru[i] / a : w->rl[i] / a;
    ps_op op = {.kind = PS_ROW_SINGLETON, .i = i, .j = j, .a = a};
    if (lo > w->lb[j]) {
        w->lb[j] = lo;
        op.flags |= PS_TIGHT_LO;
    }
    if (up < w->ub[j]) {
        w->ub[j] = up;
        op.flags |= PS_TIGHT_UP;
    }
    if (w->lb[j] > w->ub[j]) {
        if (!near(w->lb[j], w->ub[j])) return w->infeasible = 1, WEFT_OK;
        if (op.flags & PS_TIGHT_LO) w->ub[j] = w->lb[j];
        else w->lb[j] = w->ub[j];
    }
    w->ralive[i] = 0;
    w->rcnt[i] = 0;
    w->ccnt[j]--;
    return push(ctx, w, op);
}

/* Bounds of row i's activity over its alive columns' bounds, column skip left out. */
static void activity(const ps_work *w, int32_t i, int32_t skip, double *amin, double *amax)
{
    const weft_lp_problem *p = w->p;
    double lo = 0, up = 0;
    for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
        int32_t j = p->col_idx[k];
        double a = p->val[k];
        if (!w->calive[j] || a == 0 || j == skip) continue;
        lo += a > 0 ? a * w->lb[j] : a * w->ub[j];
        up += a > 0 ? a * w->ub[j] : a * w->lb[j];
    }
    *amin = lo;
    *amax = up;
}

static int row_pass(weft_context *ctx, ps_work *w)
{
    int st = WEFT_OK;
    for (int32_t i = 0; i < w->p->n_rows && !st && !w->infeasible; i++) {
        if (!w->ralive[i]) continue;
        if (w->rcnt[i] == 0) {
            if (w->rl[i] > 0 && !near(w->rl[i], 0)) w->infeasible = 1;
            else if (w->ru[i] < 0 && !near(w->ru[i], 0)) w->infeasible = 1;
            else st = drop_row(ctx, w, i);
        } else if (w->rcnt[i] == 1) {
            st = singleton_row(ctx, w, i);
        } else {
            double amin, amax;
            activity(w, i, -1, &amin, &amax);
            if ((w->rl[i] == -INFINITY || amin >= w->rl[i]) && (w->ru[i] == INFINITY || amax <= w->ru[i]))
                st = drop_row(ctx, w, i);
        }
    }
    return st;
}

/* 1 if no alive row of column j limits a move of x_j in direction dir (+1 up, -1 down). */
static int rows_allow(const ps_work *w, int32_t j, int dir)
{
    const lp_presolve *ps = w->ps;
    for (int32_t k = ps->cp[j]; k < ps->cp[j + 1]; k++) {
        int32_t i = ps->cr[k];
        if (!w->ralive[i] || ps->cv[k] == 0) continue;
        if (ps->cv[k] * dir > 0 ? w->ru[i] != INFINITY : w->rl[i] != -INFINITY) return 0;
    }
    return 1;
}

/* The value an empty column takes, 1 if it has one (0: unbounded towards its cheaper side). */
static int empty_col_value(const ps_work *w, int32_t j, double *v)
{
    double c = w->p->sense * w->c[j], q = qval(w, j);
    double lb = w->lb[j], ub = w->ub[j];
    if (q > 0) *v = fmin(fmax(-c / q, lb), ub);
    else if (c > 0) *v = lb;
    else if (c < 0) *v = ub;
    else *v = fmin(fmax(0, lb), ub);
    return isfinite(*v);
}

static int slack_col(weft_context *ctx, ps_work *w, int32_t j)
{
    const lp_presolve *ps = w->ps;
    int32_t k = ps->cp[j];
    while (!w->ralive[ps->cr[k]] || ps->cv[k] == 0) k++;
    int32_t i = ps->cr[k];
    double a = ps->cv[k];
    double amin = a > 0 ? a * w->lb[j] : a * w->ub[j], amax = a > 0 ? a * w->ub[j] : a * w->lb[j];
    ps_op op = {.kind = PS_COL_SLACK, .i = i, .j = j, .a = a, .lo = w->rl[i], .up = w->ru[i],
                .xl = w->lb[j], .xu = w->ub[j]};
    w->rl[i] -= amax;
    w->ru[i] -= amin;
    w->rcnt[i]--;
    w->calive[j] = 0;
    w->ccnt[j] = 0;
    return push(ctx, w, op);
}

/* x_j in [lo, up] with a tolerance for the rounding of implied bounds. */
static int within(double v, double lo, double up)
{
    return (lo == -INFINITY || v >= lo - PS_TOL * (1 + fabs(lo))) &&
           (up == INFINITY || v <= up + PS_TOL * (1 + fabs(up)));
}

/* Eliminates column singleton j with its equality row when the row implies j's bounds. */
static int subst_col(weft_context *ctx, ps_work *w, int32_t j)
{
    const lp_presolve *ps = w->ps;
    const weft_lp_problem *p = w->p;
    int32_t k = ps->cp[j];
    while (!w->ralive[ps->cr[k]] || ps->cv[k] == 0) k++;
    int32_t i = ps->cr[k];
    double a = ps->cv[k], b = w->rl[i], rmin, rmax;
    if (w->rl[i] != w->ru[i]) return WEFT_OK;
    activity(w, i, j, &rmin, &rmax);
    double lo = a > 0 ? (b - rmax) / a : (b - rmin) / a, up = a > 0 ? (b - rmin) / a : (b - rmax) / a;
    if (!within(lo, w->lb[j], w->ub[j]) || !within(up, w->lb[j], w->ub[j])) return WEFT_OK;
    double y = w->c[j] / a;
    for (int32_t e = p->row_ptr[i]; e < p->row_ptr[i + 1]; e++) {
        int32_t t = p->col_idx[e];
        if (!w->calive[t] || p->val[e] == 0 || t == j) continue;
        w->c[t] -= p->val[e] * y;
        w->ccnt[t]--;
    }
    w->offset += y * b;
    w->ralive[i] = w->calive[j] = 0;
    w->rcnt[i] = w->ccnt[j] = 0;
    return push(ctx, w, (ps_op){.kind = PS_COL_SUBST, .i = i, .j = j, .a = a, .v = b, .lo = y});
}

static int col_pass(weft_context *ctx, ps_work *w)
{
    int st = WEFT_OK;
    for (int32_t j = 0; j < w->p->n_cols && !st; j++) {
        if (!w->calive[j]) continue;
        double c = w->p->sense * w->c[j], v;
        int linear = qval(w, j) == 0;
        if (w->lb[j] == w->ub[j]) st = fix_col(ctx, w, j, w->lb[j]);
        else if (w->ccnt[j] == 0) {
            if (empty_col_value(w, j, &v)) st = fix_col(ctx, w, j, v);
        } else if (linear && c >= 0 && isfinite(w->lb[j]) && rows_allow(w, j, -1))
            st = fix_col(ctx, w, j, w->lb[j]);
        else if (linear && c <= 0 && isfinite(w->ub[j]) && rows_allow(w, j, +1))
            st = fix_col(ctx, w, j, w->ub[j]);
        else if (linear && c == 0 && w->ccnt[j] == 1)
            st = slack_col(ctx, w, j);
        else if (linear && w->ccnt[j] == 1)
            st = subst_col(ctx, w, j);
    }
    return st;
}

/* A by columns, for the column-wise reductions and postsolve's reduced costs. */
static int transpose(weft_context *ctx, const weft_lp_problem *p, lp_presolve *ps)
{
    ps->cp = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(int32_t));
    ps->cr = weft_calloc(ctx, (size_t)p->nnz + 1, sizeof(int32_t));
    ps->cv = weft_calloc(ctx, (size_t)p->nnz + 1, sizeof(double));
    if (!ps->cp || !ps->cr || !ps->cv) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    int32_t *next = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(int32_t));
    if (!next) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    lp_csr_transpose(p->n_rows, p->n_cols, p->row_ptr, p->col_idx, p->val, ps->cp, ps->cr, ps->cv, next);
    weft_free(ctx, next);
    return WEFT_OK;
}

static void work_free(weft_context *ctx, ps_work *w)
{
    weft_free(ctx, w->lb);
    weft_free(ctx, w->ub);
    weft_free(ctx, w->rl);
    weft_free(ctx, w->ru);
    weft_free(ctx, w->c);
    weft_free(ctx, w->rcnt);
    weft_free(ctx, w->ccnt);
    weft_free(ctx, w->ralive);
    weft_free(ctx, w->calive);
}

static int work_init(weft_context *ctx, const weft_lp_problem *p, lp_presolve *ps, ps_work *w)
{
    size_t n = (size_t)p->n_cols + 1, m = (size_t)p->n_rows + 1;
    memset(w, 0, sizeof *w);
    w->p = p;
    w->ps = ps;
    w->lb = weft_calloc(ctx, n, sizeof(double));
    w->ub = weft_calloc(ctx, n, sizeof(double));
    w->rl = weft_calloc(ctx, m, sizeof(double));
    w->ru = weft_calloc(ctx, m, sizeof(double));
    w->c = weft_calloc(ctx, n, sizeof(double));
    w->rcnt = weft_calloc(ctx, m, sizeof(int32_t));
    w->ccnt = weft_calloc(ctx, n, sizeof(int32_t));
    w->ralive = weft_calloc(ctx, m, 1);
    w->calive = weft_calloc(ctx, n, 1);
    if (!w->lb || !w->ub || !w->rl || !w->ru || !w->c || !w->rcnt || !w->ccnt || !w->ralive || !w->calive)
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    memcpy(w->lb, p->col_lo, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->ub, p->col_up, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->c, p->obj, sizeof(double) * (size_t)p->n_cols);
    memcpy(w->rl, p->row_lo, sizeof(double) * (size_t)p->n_rows);
    memcpy(w->ru, p->row_up, sizeof(double) * (size_t)p->n_rows);
    memset(w->ralive, 1, (size_t)p->n_rows);
    memset(w->calive, 1, (size_t)p->n_cols);
    /* explicit zeros count as absent: they would make singletons look like doubletons */
    for (int32_t i = 0; i < p->n_rows; i++)
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++)
            if (p->val[k] != 0) {
                w->rcnt[i]++;
                w->ccnt[p->col_idx[k]]++;
            }
    return WEFT_OK;
}

/* The alive rows and columns with the working bounds, explicit zeros left out. */
static int build_reduced(weft_context *ctx, const ps_work *w, lp_presolve *ps)
{
    const weft_lp_problem *p = w->p;
    int32_t n = 0, m = 0, nnz = 0;
    for (int32_t j = 0; j < p->n_cols; j++) ps->cmap[j] = w->calive[j] ? n++ : -1;
    for (int32_t i = 0; i < p->n_rows; i++) {
        ps->rmap[i] = w->ralive[i] ? m++ : -1;
        for (int32_t k = p->row_ptr[i]; w->ralive[i] && k < p->row_ptr[i + 1]; k++)
            nnz += w->calive[p->col_idx[k]] && p->val[k] != 0;
    }
    /* columns left without rows are unbounded ones: the solver's certificate says so, not this */
    if ((n == 0) != (m == 0)) return WEFT_OK;
    weft_lp_problem *r = NULL;
    int st = weft_lp_problem_create(ctx, n, m, nnz, &r);
    if (!st && p->q && !(r->q = weft_calloc(ctx, (size_t)n + 1, sizeof(double))))
        st = weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    if (st) {
        weft_lp_problem_destroy(ctx, &r);
        return st;
    }
    r->sense = p->sense;
    r->offset = p->offset + w->offset;
    for (int32_t j = 0; j < p->n_cols; j++) {
        int32_t t = ps->cmap[j];
        if (t < 0) continue;
        r->obj[t] = w->c[j];
        if (p->q) r->q[t] = p->q[j];
        r->col_lo[t] = w->lb[j];
        r->col_up[t] = w->ub[j];
    }
    for (int32_t i = 0, e = 0; i < p->n_rows; i++) {
        int32_t t = ps->rmap[i];
        if (t < 0) continue;
        r->row_lo[t] = w->rl[i];
        r->row_up[t] = w->ru[i];
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            if (ps->cmap[p->col_idx[k]] < 0 || p->val[k] == 0) continue;
            r->col_idx[e] = ps->cmap[p->col_idx[k]];
            r->val[e++] = p->val[k];
        }
        r->row_ptr[t + 1] = e;
    }
    ps->red = r;
    return WEFT_OK;
}

static int reduce(weft_context *ctx, ps_work *w)
{
    int st = WEFT_OK;
    w->changed = 1;
    for (int pass = 0; pass < PS_MAX_PASSES && w->changed && !st && !w->infeasible; pass++) {
        w->changed = 0;
        st = row_pass(ctx, w);
        if (!st && !w->infeasible) st = col_pass(ctx, w);
    }
    return st;
}

int lp_presolve_create(weft_context *ctx, const weft_lp_problem *p, lp_presolve **out)
{
    *out = NULL;
    lp_presolve *ps = weft_calloc(ctx, 1, sizeof *ps);
    if (!ps) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    ps->n = p->n_cols;
    ps->m = p->n_rows;
    ps_work w = {0};
    int st = transpose(ctx, p, ps);
    if (!st) st = work_init(ctx, p, ps, &w);
    if (!st) st = reduce(ctx, &w);
    if (!st && !w.infeasible && ps->nops > 0) {
        ps->cmap = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(int32_t));
        ps->rmap = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof(int32_t));
        st = ps->cmap && ps->rmap ? build_reduced(ctx, &w, ps)
                                  : weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    }
    work_free(ctx, &w);
    if (!st && ps->red) *out = ps;
    else lp_presolve_destroy(ctx, &ps);
    return st;
}

void lp_presolve_destroy(weft_context *ctx, lp_presolve **pp)
{
    if (!pp || !*pp) return;
    lp_presolve *ps = *pp;
    weft_free(ctx, ps->cmap);
    weft_free(ctx, ps->rmap);
    weft_free(ctx, ps->ops);
    weft_free(ctx, ps->cp);
    weft_free(ctx, ps->cr);
    weft_free(ctx, ps->cv);
    weft_lp_problem_destroy(ctx, &ps->red);
    weft_free(ctx, ps);
    *pp = NULL;
}

const weft_lp_problem *lp_presolve_reduced(const lp_presolve *ps)
{
    return ps->red;
}

void lp_presolve_restrict(const lp_presolve *ps, const double *x, const double *y, double *xr, double *yr)
{
    for (int32_t j = 0; x && j < ps->n; j++)
        if (ps->cmap[j] >= 0) xr[ps->cmap[j]] = x[j];
    for (int32_t i = 0; y && i < ps->m; i++)
        if (ps->rmap[i] >= 0) yr[ps->rmap[i]] = y[i];
}
