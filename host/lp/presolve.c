/* The reductions of presolve.h on the working problem of presolve_matrix.c, repeated until a
 * pass finds nothing; then the reduced problem is built from what is left. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/presolve_internal.h"

/* Rounding slack for feasibility and bound comparisons, relative to the magnitude at hand. */
#define PS_TOL 1e-9
#define PS_MAX_PASSES 64
/* A pivot below this fraction of its row's largest coefficient is not used for a substitution. */
#define PS_PIVOT 1e-2
/* Most entries a substitution may add (beyond a doubleton's, which add none net) */
#define PS_MAX_FILL 8

static int near(double a, double b)
{
    return fabs(a - b) <= PS_TOL * (1 + fabs(a) + fabs(b));
}

static int push(weft_context *ctx, ps_work *w, ps_op op)
{
    lp_presolve *ps = w->ps;
    if (ps->nops == ps->cap) {
        int32_t cap = ps->cap ? 2 * ps->cap : 256;
        ps_op *o = weft_realloc_array(ctx, ps->ops, (size_t)cap, sizeof *o);
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

/* The first live entry of row i (column j for col_first). */
static int32_t row_first(const ps_work *w, int32_t i)
{
    for (int32_t t = 0; t < w->row[i].len; t++)
        if (ps_row_live(w, w->row[i].e[t])) return w->row[i].e[t];
    return -1;
}

static int32_t col_first(const ps_work *w, int32_t j)
{
    for (int32_t t = 0; t < w->col[j].len; t++)
        if (ps_col_live(w, w->col[j].e[t])) return w->col[j].e[t];
    return -1;
}

static int fix_col(weft_context *ctx, ps_work *w, int32_t j, double v)
{
    ps_op op = {.kind = PS_COL_FIXED, .j = j, .v = v, .cj = w->c[j]};
    int st = ps_snap_col(ctx, w, j, -1, &op.snap[0], &op.nsnap[0]);
    for (int32_t t = 0; t < w->col[j].len; t++) {
        int32_t e = w->col[j].e[t];
        if (!ps_col_live(w, e)) continue;
        w->rl[w->er[e]] -= w->ev[e] * v;
        w->ru[w->er[e]] -= w->ev[e] * v;
    }
    double q = w->p->q ? w->p->q[j] : 0;
    w->offset += w->c[j] * v + 0.5 * q * v * v;
    ps_col_remove(w, j);
    return st ? st : push(ctx, w, op);
}

/* Row i at its upper end (up) or lower end with each column at the bound that puts it there. */
static int forcing_row(weft_context *ctx, ps_work *w, int32_t i, int up)
{
    ps_op op = {.kind = PS_ROW_FORCING, .i = i, .flags = up ? PS_TIGHT_UP : PS_TIGHT_LO};
    int st = ps_snap_row(ctx, w, i, -1, &op.snap[0], &op.nsnap[0]);
    op.k = op.nsnap[0];
    ps_row_remove(w, i);
    if (!st) st = push(ctx, w, op);
    for (int32_t u = 0; u < op.nsnap[0] && !st; u++) {
        int32_t j = w->ps->sidx[op.snap[0] + u];
        int at_lb = (w->ps->sval[op.snap[0] + u] > 0) == up; /* min of a x at lb for a > 0 */
        st = fix_col(ctx, w, j, at_lb ? w->lb[j] : w->ub[j]);
    }
    return st;
}

static int drop_row(weft_context *ctx, ps_work *w, int32_t i)
{
    ps_row_remove(w, i);
    return push(ctx, w, (ps_op){.kind = PS_ROW_DROP, .i = i});
}

/* Tightens x_j's bounds to [lo, up]; flags say which moved. Crossing bounds within rounding are
 * made equal, beyond it the problem is infeasible. */
static int tighten(ps_work *w, int32_t j, double lo, double up)
{
    int flags = 0;
    if (lo > w->lb[j]) {
        w->lb[j] = lo;
        flags |= PS_TIGHT_LO;
    }
    if (up < w->ub[j]) {
        w->ub[j] = up;
        flags |= PS_TIGHT_UP;
    }
    if (w->lb[j] > w->ub[j]) {
        if (!near(w->lb[j], w->ub[j])) w->infeasible = 1;
        else if (flags & PS_TIGHT_LO) w->ub[j] = w->lb[j];
        else w->lb[j] = w->ub[j];
    }
    return flags;
}

/* a x_j in [rl, ru] as bounds on x_j. */
static int singleton_row(weft_context *ctx, ps_work *w, int32_t i)
{
    int32_t e = row_first(w, i), j = w->ec[e];
    double a = w->ev[e];
    double lo = a > 0 ? w->rl[i] / a : w->ru[i] / a, up = a > 0 ? w->ru[i] / a : w->rl[i] / a;
    ps_op op = {.kind = PS_ROW_SINGLETON, .i = i, .j = j, .a = a, .cj = w->c[j]};
    op.flags = tighten(w, j, lo, up);
    if (w->infeasible) return WEFT_OK;
    int st = ps_snap_col(ctx, w, j, i, &op.snap[0], &op.nsnap[0]);
    ps_row_remove(w, i);
    return st ? st : push(ctx, w, op);
}

/* Bounds of row i's activity over its live columns' bounds, column skip left out. */
static void activity(const ps_work *w, int32_t i, int32_t skip, double *amin, double *amax)
{
    double lo = 0, up = 0;
    for (int32_t t = 0; t < w->row[i].len; t++) {
        int32_t e = w->row[i].e[t], j = w->ec[e];
        if (!ps_row_live(w, e) || j == skip) continue;
        double a = w->ev[e];
        lo += a > 0 ? a * w->lb[j] : a * w->ub[j];
        up += a > 0 ? a * w->ub[j] : a * w->lb[j];
    }
    *amin = lo;
    *amax = up;
}

/* x_k = (b - a_ij x_j) / a_ik through equality row i, substituted into x_k's other rows and the
 * objective; with partner j >= 0 (a doubleton) x_k's bounds become bounds of x_j. */
static int eliminate(weft_context *ctx, ps_work *w, int32_t i, int32_t k, int32_t j)
{
    double b = w->rl[i], a = 0;
    for (int32_t t = 0; t < w->row[i].len; t++)
        if (ps_row_live(w, w->row[i].e[t]) && w->ec[w->row[i].e[t]] == k) a = w->ev[w->row[i].e[t]];
    ps_op op = {.kind = PS_ELIMINATE, .i = i, .j = k, .k = j, .a = a, .v = b, .cj = w->c[k]};
    int st = ps_snap_row(ctx, w, i, k, &op.snap[0], &op.nsnap[0]);
    if (!st) st = ps_snap_col(ctx, w, k, i, &op.snap[1], &op.nsnap[1]);
    if (!st && j >= 0) st = ps_snap_col(ctx, w, j, i, &op.snap[2], &op.nsnap[2]);
    if (st) return st;
    if (j >= 0) {
        op.a2 = w->ps->sval[op.snap[0]]; /* row i without k: only j */
        op.ck = w->c[j];
        double s = -a / op.a2, base = b / op.a2; /* x_j = base + s x_k */
        double lo = s > 0 ? base + s * w->lb[k] : base + s * w->ub[k];
        double up = s > 0 ? base + s * w->ub[k] : base + s * w->lb[k];
        op.flags = tighten(w, j, lo, up);
        if (w->infeasible) return WEFT_OK;
    }
    /* row r gets -(a_rk / a) times row i, the objective -(c_k / a) times it */
    for (int32_t u = 0; u < op.nsnap[1] && !st; u++) {
        int32_t r = w->ps->sidx[op.snap[1] + u];
        double f = w->ps->sval[op.snap[1] + u] / a;
        w->rl[r] -= f * b;
        w->ru[r] -= f * b;
        for (int32_t v = 0; v < op.nsnap[0] && !st; v++)
            st = ps_entry_add(ctx, w, r, w->ps->sidx[op.snap[0] + v], -f * w->ps->sval[op.snap[0] + v]);
    }
    double f0 = w->c[k] / a;
    for (int32_t v = 0; v < op.nsnap[0]; v++) w->c[w->ps->sidx[op.snap[0] + v]] -= f0 * w->ps->sval[op.snap[0] + v];
    w->offset += f0 * b;
    ps_col_remove(w, k);
    ps_row_remove(w, i);
    return st ? st : push(ctx, w, op);
}

/* Row i's largest |coefficient|. */
static double row_max(const ps_work *w, int32_t i)
{
    double mx = 0;
    for (int32_t t = 0; t < w->row[i].len; t++)
        if (ps_row_live(w, w->row[i].e[t])) mx = fmax(mx, fabs(w->ev[w->row[i].e[t]]));
    return mx;
}

/* An equality of two columns: the one with fewer entries goes, unless its pivot is small. */
static int doubleton(weft_context *ctx, ps_work *w, int32_t i)
{
    int32_t e1 = row_first(w, i), e2 = -1;
    for (int32_t t = 0; t < w->row[i].len; t++)
        if (ps_row_live(w, w->row[i].e[t]) && w->row[i].e[t] != e1) e2 = w->row[i].e[t];
    int32_t c1 = w->ec[e1], c2 = w->ec[e2];
    if (c1 == c2) return WEFT_OK;
    int32_t k = w->ccnt[c1] <= w->ccnt[c2] ? c1 : c2;
    double ak = fabs(w->ev[k == c1 ? e1 : e2]), aj = fabs(w->ev[k == c1 ? e2 : e1]);
    if (ak < PS_PIVOT * aj || qval(w, k) != 0) k = k == c1 ? c2 : c1;
    if (qval(w, k) != 0 || fabs(w->ev[k == c1 ? e1 : e2]) < PS_PIVOT * row_max(w, i)) return WEFT_OK;
    return eliminate(ctx, w, i, k, k == c1 ? c2 : c1);
}

static int row_pass(weft_context *ctx, ps_work *w)
{
    int st = WEFT_OK;
    for (int32_t i = 0; i < w->p->n_rows && !st && !w->infeasible; i++) {
        if (!w->ralive[i]) continue;
        double amin, amax;
        if (w->rcnt[i] == 0) {
            if ((w->rl[i] > 0 && !near(w->rl[i], 0)) || (w->ru[i] < 0 && !near(w->ru[i], 0))) w->infeasible = 1;
            else st = drop_row(ctx, w, i);
            continue;
        }
        if (w->rcnt[i] == 1) {
            st = singleton_row(ctx, w, i);
            continue;
        }
        activity(w, i, -1, &amin, &amax);
        if ((isfinite(w->ru[i]) && amin > w->ru[i] && !near(amin, w->ru[i])) ||
            (isfinite(w->rl[i]) && amax < w->rl[i] && !near(amax, w->rl[i])))
            w->infeasible = 1;
        else if ((w->rl[i] == -INFINITY || amin >= w->rl[i]) && (w->ru[i] == INFINITY || amax <= w->ru[i]))
            st = drop_row(ctx, w, i);
        else if (isfinite(amin) && isfinite(w->ru[i]) && near(amin, w->ru[i]))
            st = forcing_row(ctx, w, i, 1);
        else if (isfinite(amax) && isfinite(w->rl[i]) && near(amax, w->rl[i]))
            st = forcing_row(ctx, w, i, 0);
        else if (w->rcnt[i] == 2 && w->rl[i] == w->ru[i])
            st = doubleton(ctx, w, i);
    }
    return st;
}

/* 1 if no live row of column j limits a move of x_j in direction dir (+1 up, -1 down). */
static int rows_allow(const ps_work *w, int32_t j, int dir)
{
    for (int32_t t = 0; t < w->col[j].len; t++) {
        int32_t e = w->col[j].e[t], i = w->er[e];
        if (!ps_col_live(w, e)) continue;
        if (w->ev[e] * dir > 0 ? w->ru[i] != INFINITY : w->rl[i] != -INFINITY) return 0;
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
    int32_t e = col_first(w, j), i = w->er[e];
    double a = w->ev[e];
    double amin = a > 0 ? a * w->lb[j] : a * w->ub[j], amax = a > 0 ? a * w->ub[j] : a * w->lb[j];
    ps_op op = {.kind = PS_COL_SLACK, .i = i, .j = j, .a = a, .lo = w->rl[i], .up = w->ru[i],
                .xl = w->lb[j], .xu = w->ub[j]};
    int st = ps_snap_row(ctx, w, i, j, &op.snap[0], &op.nsnap[0]);
    w->rl[i] -= amax;
    w->ru[i] -= amin;
    ps_col_remove(w, j);
    return st ? st : push(ctx, w, op);
}

/* x_j in [lo, up] with a tolerance for the rounding of implied bounds. */
static int within(double v, double lo, double up)
{
    return (lo == -INFINITY || v >= lo - PS_TOL * (1 + fabs(lo))) &&
           (up == INFINITY || v <= up + PS_TOL * (1 + fabs(up)));
}

/* Column j eliminated through an equality row of it that implies its bounds, if the fill is small
 * and the pivot is not. */
static int implied_free(weft_context *ctx, ps_work *w, int32_t j)
{
    for (int32_t t = 0; t < w->col[j].len; t++) {
        int32_t e = w->col[j].e[t], i = w->er[e];
        if (!ps_col_live(w, e) || w->rl[i] != w->ru[i]) continue;
        if ((int64_t)(w->rcnt[i] - 1) * (w->ccnt[j] - 1) > PS_MAX_FILL) continue;
        double a = w->ev[e], b = w->rl[i], rmin, rmax;
        if (fabs(a) < PS_PIVOT * row_max(w, i)) continue;
        activity(w, i, j, &rmin, &rmax);
        double lo = a > 0 ? (b - rmax) / a : (b - rmin) / a, up = a > 0 ? (b - rmin) / a : (b - rmax) / a;
        if (within(lo, w->lb[j], w->ub[j]) && within(up, w->lb[j], w->ub[j])) return eliminate(ctx, w, i, j, -1);
    }
    return WEFT_OK;
}

static int col_pass(weft_context *ctx, ps_work *w)
{
    int st = WEFT_OK;
    for (int32_t j = 0; j < w->p->n_cols && !st && !w->infeasible; j++) {
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
        else if (linear)
            st = implied_free(ctx, w, j);
    }
    return st;
}

/* The alive rows and columns with the working bounds and costs. */
static int build_reduced(weft_context *ctx, const ps_work *w, lp_presolve *ps)
{
    const weft_lp_problem *p = w->p;
    int32_t n = 0, m = 0, nnz = 4 * ps->npairs;
    for (int32_t j = 0; j < p->n_cols; j++) ps->cmap[j] = w->calive[j] ? n++ : -1;
    for (int32_t i = 0; i < p->n_rows; i++) {
        ps->rmap[i] = w->ralive[i] ? m++ : -1;
        nnz += w->ralive[i] ? w->rcnt[i] : 0;
    }
    int32_t kept_rows = m;
    m += 2 * ps->npairs;
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
    int32_t e = 0;
    for (int32_t i = 0; i < p->n_rows; i++) {
        int32_t t = ps->rmap[i];
        if (t < 0) continue;
        r->row_lo[t] = w->rl[i];
        r->row_up[t] = w->ru[i];
        for (int32_t u = 0; u < w->row[i].len; u++) {
            int32_t x = w->row[i].e[u];
            if (!ps_row_live(w, x)) continue;
            r->col_idx[e] = ps->cmap[w->ec[x]];
            r->val[e++] = w->ev[x];
        }
        r->row_ptr[t + 1] = e;
    }
    ps_pairs_rows(ps, r, kept_rows, e);
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
    int st = ps_work_init(ctx, p, ps, &w);
    if (!st) st = reduce(ctx, &w);
    if (!st && !w.infeasible) st = ps_pairs_find(ctx, &w);
    if (!st && !w.infeasible && (ps->nops > 0 || ps->npairs > 0)) {
        ps->cmap = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(int32_t));
        ps->rmap = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof(int32_t));
        st = ps->cmap && ps->rmap ? build_reduced(ctx, &w, ps)
                                  : weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    }
    ps_work_free(ctx, &w);
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
    weft_free(ctx, ps->sidx);
    weft_free(ctx, ps->sval);
    weft_free(ctx, ps->pairs);
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
    if (x) ps_pairs_restrict(ps, x, xr);
}

/* Names of what is left, from p's through map (-1: removed). */
static int copy_names(weft_context *ctx, char **from, const int32_t *map, int32_t n, int32_t kept,
                      char ***to)
{
    if (!from) return WEFT_OK;
    *to = weft_calloc(ctx, (size_t)kept + 1, sizeof(char *));
    if (!*to) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    for (int32_t j = 0; j < n; j++)
        if (map[j] >= 0 && from[j] && !((*to)[map[j]] = weft_strdup(ctx, from[j])))
            return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    return WEFT_OK;
}

/* A pair's columns carry new quantities and its rows are new: weft_pair<t>_u1, _u2 and _a, _b. */
static int pair_names(weft_context *ctx, const lp_presolve *ps, weft_lp_problem *r)
{
    for (int32_t t = 0; t < ps->npairs; t++) {
        int32_t idx[4] = {ps->cmap[ps->pairs[t].j], ps->cmap[ps->pairs[t].k], r->n_rows - 2 * (ps->npairs - t),
                          r->n_rows - 2 * (ps->npairs - t) + 1};
        static const char *const tag[4] = {"u1", "u2", "a", "b"};
        for (int h = 0; h < 4; h++) {
            char **names = h < 2 ? r->col_names : r->row_names, name[48];
            if (!names) continue;
            snprintf(name, sizeof name, "weft_pair%d_%s", (int)t, tag[h]);
            weft_free(ctx, names[idx[h]]);
            if (!(names[idx[h]] = weft_strdup(ctx, name)))
                return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
        }
    }
    return WEFT_OK;
}

weft_status weft_lp_presolve(weft_context *ctx, const weft_lp_problem *p, weft_lp_problem **out)
{
    if (!ctx || !p || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    lp_presolve *ps = NULL;
    int st = weft_lp_problem_validate(ctx, p);
    if (!st) st = lp_presolve_create(ctx, p, &ps);
    if (st || !ps) return st;
    weft_lp_problem *r = ps->red;
    ps->red = NULL;
    st = copy_names(ctx, p->col_names, ps->cmap, p->n_cols, r->n_cols, &r->col_names);
    if (!st) st = copy_names(ctx, p->row_names, ps->rmap, p->n_rows, r->n_rows, &r->row_names);
    if (!st) st = pair_names(ctx, ps, r);
    if (!st && p->name && !(r->name = weft_strdup(ctx, p->name)))
        st = weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    lp_presolve_destroy(ctx, &ps);
    if (st) weft_lp_problem_destroy(ctx, &r);
    *out = r;
    return st;
}
