/* Postsolve: the reductions of presolve.c undone in reverse order, then the original problem's
 * reduced costs, row activities and KKT figures at the recovered point. Rows and columns not yet
 * restored hold 0; a step reads the rows and columns it touched as they were when it was made
 * (snapshots), whose values are restored by then. Signs: the solver's convention (y >= 0 on a
 * binding lower row bound when minimizing); "min-form" values are multiplied by the sense. */
#include <math.h>
#include <string.h>

#include "lp/lp_internal.h"
#include "lp/presolve_internal.h"

static double clamp(double v, double lo, double up)
{
    return v < lo ? lo : v > up ? up : v;
}

/* sum of coefficient x value over snapshot s of op (a row's columns with x, a column's rows with y) */
static double snap_dot(const lp_presolve *ps, const ps_op *op, int s, const double *v)
{
    double d = 0;
    for (int32_t u = 0; u < op->nsnap[s]; u++) d += ps->sval[op->snap[s] + u] * v[ps->sidx[op->snap[s] + u]];
    return d;
}

/* A bound of x_j that came from singleton row i takes over the reduced cost that holds x_j there. */
static void undo_singleton(const lp_presolve *ps, const weft_lp_problem *p, const ps_op *op, const double *x,
                           double *y)
{
    double z = op->cj + (p->q ? p->q[op->j] * x[op->j] : 0) - snap_dot(ps, op, 0, y), zs = p->sense * z;
    if (((op->flags & PS_TIGHT_LO) && zs > 0) || ((op->flags & PS_TIGHT_UP) && zs < 0)) y[op->i] = z / op->a;
}

/* The slack takes the value that puts row i back within [lo, up], at the end its dual asks for. */
static void undo_slack(const lp_presolve *ps, const weft_lp_problem *p, const ps_op *op, double *x, const double *y)
{
    double r = snap_dot(ps, op, 0, x), a = op->a, ys = p->sense * y[op->i];
    double hi = a > 0 ? op->xu : op->xl, lo = a > 0 ? op->xl : op->xu; /* x giving max, min of a x */
    double pref = ys > 0 ? hi : ys < 0 ? lo : clamp(0, op->xl, op->xu);
    if (!isfinite(pref)) pref = clamp(0, op->xl, op->xu);
    double v = clamp(a * pref, op->lo - r, op->up - r);
    x[op->j] = clamp(v / a, op->xl, op->xu);
}

/* x_j from its equality row. Its reduced cost is 0 (the row's dual absorbs it) unless, for a
 * doubleton, the partner k sits at a bound that was x_j's: then k's reduced cost is 0 and x_j
 * carries the multiplier of that bound. */
static void undo_eliminate(const lp_presolve *ps, const weft_lp_problem *p, const ps_op *op, double *x, double *y)
{
    x[op->j] = (op->v - snap_dot(ps, op, 0, x)) / op->a;
    double zj = op->cj - snap_dot(ps, op, 1, y);
    y[op->i] = zj / op->a;
    if (!op->flags) return;
    double zk = op->ck + (p->q ? p->q[op->k] * x[op->k] : 0) - snap_dot(ps, op, 2, y);
    double zs = p->sense * (zk - op->a2 / op->a * zj); /* k's reduced cost after the substitution */
    if (((op->flags & PS_TIGHT_LO) && zs > 0) || ((op->flags & PS_TIGHT_UP) && zs < 0)) y[op->i] = zk / op->a2;
}

/* The forcing row's dual: the smallest (at its upper end; largest at its lower) that leaves each
 * fixed column's reduced cost the sign of the bound it sits at. */
static void undo_forcing(const lp_presolve *ps, const weft_lp_problem *p, int32_t t, const double *x, double *y)
{
    const ps_op *op = &ps->ops[t];
    int up = op->flags & PS_TIGHT_UP;
    double ys = 0;
    for (int32_t u = 0; u < op->k; u++) {
        const ps_op *f = &ps->ops[t + 1 + u];
        double a = ps->sval[op->snap[0] + u];
        double zs = p->sense * (f->cj + (p->q ? p->q[f->j] * x[f->j] : 0) - snap_dot(ps, f, 0, y));
        ys = up ? fmin(ys, zs / a) : fmax(ys, zs / a);
    }
    y[op->i] = p->sense * ys;
}

static double bound_term(double v, double lo, double up)
{
    if (v > 0 && isfinite(lo)) return v * lo;
    if (v < 0 && isfinite(up)) return v * up;
    return 0;
}

/* z, row activities, objective and KKT figures of p at (x, y), as the solver's checks define them. */
static void original_kkt(const weft_lp_problem *p, weft_lp_result *r)
{
    double s = p->sense, pres2 = 0, dres2 = 0, cx = 0, xqx = 0, drow = 0, dcol = 0, nb, nc;
    lp_activity_and_z(p, r);
    for (int32_t i = 0; i < p->n_rows; i++) {
        double act = r->row_act[i], d = act - clamp(act, p->row_lo[i], p->row_up[i]);
        pres2 += d * d;
        drow += bound_term(s * r->y[i], p->row_lo[i], p->row_up[i]);
    }
    for (int32_t j = 0; j < p->n_cols; j++) {
        double zs = s * r->z[j], lb = p->col_lo[j], ub = p->col_up[j];
        double lam = isfinite(lb) && isfinite(ub) ? zs : isfinite(lb) ? fmax(zs, 0) : isfinite(ub) ? fmin(zs, 0) : 0;
        dres2 += (zs - lam) * (zs - lam);
        dcol += bound_term(lam, lb, ub);
        cx += s * p->obj[j] * r->x[j];
        xqx += p->q ? 0.5 * s * p->q[j] * r->x[j] * r->x[j] : 0;
    }
    lp_problem_norms(p, &nb, &nc);
    double pobj = cx + xqx + s * p->offset, dobj = drow + dcol - xqx + s * p->offset;
    r->objective = s * pobj;
    r->dual_objective = s * dobj;
    r->primal_res_abs = sqrt(pres2);
    r->primal_res_rel = r->primal_res_abs / (1 + nb);
    r->dual_res_abs = sqrt(dres2);
    r->dual_res_rel = r->dual_res_abs / (1 + nc);
    r->gap_abs = fabs(pobj - dobj);
    r->gap_rel = r->gap_abs / (1 + fabs(pobj) + fabs(dobj));
}

void lp_postsolve(const lp_presolve *ps, const weft_lp_problem *p, const double *xr, const double *yr,
                  weft_lp_result *r)
{
    memset(r->x, 0, sizeof(double) * (size_t)p->n_cols);
    memset(r->y, 0, sizeof(double) * (size_t)p->n_rows);
    for (int32_t j = 0; j < p->n_cols; j++)
        if (ps->cmap[j] >= 0) r->x[j] = xr[ps->cmap[j]];
    for (int32_t i = 0; i < p->n_rows; i++)
        if (ps->rmap[i] >= 0) r->y[i] = yr[ps->rmap[i]];
    ps_pairs_undo(ps, xr, r->x);
    for (int32_t t = ps->nops - 1; t >= 0; t--) {
        const ps_op *op = &ps->ops[t];
        if (op->kind == PS_COL_FIXED) r->x[op->j] = op->v;
        else if (op->kind == PS_ROW_SINGLETON) undo_singleton(ps, p, op, r->x, r->y);
        else if (op->kind == PS_COL_SLACK) undo_slack(ps, p, op, r->x, r->y);
        else if (op->kind == PS_ELIMINATE) undo_eliminate(ps, p, op, r->x, r->y);
        else if (op->kind == PS_ROW_FORCING) undo_forcing(ps, p, t, r->x, r->y);
    }
    original_kkt(p, r);
}
