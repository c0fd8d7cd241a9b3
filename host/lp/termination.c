/* Termination: the relative KKT error of cuPDLPx/PDLP (l2 norms, unscaled) and infeasibility
 * certificates read off a candidate ray. */
#include <math.h>

#include "lp/lp_internal.h"

void lp_kkt_from_stats(const lp_scalars *S, const double st[WEFT_ST_COUNT], lp_kkt *k)
{
    double unscale = 1 / (S->tb * S->tc);
    k->pobj = (st[WEFT_ST_CX] + st[WEFT_ST_XQX]) * unscale + S->offset;
    k->dobj = (st[WEFT_ST_DUAL_ROW] + st[WEFT_ST_DUAL_COL] - st[WEFT_ST_XQX]) * unscale + S->offset;
    k->pres = sqrt(st[WEFT_ST_PRES2]);
    k->dres = sqrt(st[WEFT_ST_DRES2]);
    k->gap = fabs(k->pobj - k->dobj);
    k->pres_rel = k->pres / (1 + S->norm_b);
    k->dres_rel = k->dres / (1 + S->norm_c);
    k->gap_rel = k->gap / (1 + fabs(k->pobj) + fabs(k->dobj));
}

weft_lp_outcome lp_kkt_outcome(const lp_scalars *S, const double st[WEFT_ST_COUNT], double tol, lp_kkt *k)
{
    lp_kkt_from_stats(S, st, k);
    for (int i = 0; i < WEFT_ST_COUNT; i++)
        if (!isfinite(st[i])) return WEFT_LP_NUMERICAL_ERROR;
    if (k->pres_rel <= tol && k->dres_rel <= tol && k->gap_rel <= tol) return WEFT_LP_OPTIMAL;
    return WEFT_LP_UNSOLVED;
}

int lp_at_rounding(double d, double norm)
{
    return d <= 1e-12 * (1 + norm);
}

int lp_ray_verdict(const lp_scalars *S, const double rs[WEFT_RS_COUNT], double xn, double yn, double eps)
{
    double tt = S->tb * S->tc;
    /* Farkas ray: dual ray objective positive, A'dy nearly in the reduced-cost cone, signs valid.
     * The test is scale-free, so a dy of rounding noise passes it as often as not (a feasible,
     * unbounded random LP was called infeasible from a drift of 4e-15) */
    double dobj = rs[WEFT_RS_DRAY_OBJ], ny = sqrt(rs[WEFT_RS_DY2]);
    if (dobj > 0 && !lp_at_rounding(ny, yn) && sqrt(rs[WEFT_RS_DRAY2]) * tt <= eps * dobj &&
        sqrt(rs[WEFT_RS_DSGN2]) <= eps * ny)
        return 1;
    /* primal ray: improving, A dx in the recession cone of the rows, dx in that of the bounds */
    double cdx = rs[WEFT_RS_CDX];
    double nx = sqrt(rs[WEFT_RS_DX2]);
    if (cdx < 0 && !lp_at_rounding(nx, xn) && sqrt(rs[WEFT_RS_PRAY2]) * tt <= eps * -cdx &&
        sqrt(rs[WEFT_RS_PBND2]) <= eps * nx && sqrt(rs[WEFT_RS_QDX2]) <= eps * nx)
        return 2;
    return 0;
}
