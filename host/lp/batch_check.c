/* A check of the batch engine: the single solve's check (pdhg.c) column by column. One stats
 * reduction gives every column's KKT figures and restart residual, one pair of ray reductions
 * its infeasibility candidates; per-column decisions are the host's (a few scalars per column),
 * and their effects (restarts, Halpern updates, drift origins) are masked block operations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/batch_internal.h"

void lp_batch_warm(const lp_batch *b, int32_t idx, const lp_scalars *sc, double *x, double *y)
{
    const lp_scaled *M = b->M;
    int32_t ld = b->B.ld, best = -1;
    /* nearest index first, then the most recently finished */
    for (int32_t t = 1; b->o->warm_start && t <= ld; t++) {
        int32_t e = ((b->warm_next - t) % ld + ld) % ld;
        if (b->warm_idx[e] < 0) continue;
        if (best < 0 || labs((long)b->warm_idx[e] - idx) < labs((long)b->warm_idx[best] - idx)) best = e;
    }
    if (best < 0) {
        memset(x, 0, sizeof(double) * (size_t)M->n);
        memset(y, 0, sizeof(double) * (size_t)M->m);
        return;
    }
    /* the scaling of solve.c's warm start: x~ = tb x / d2, y~ = tc sense y / d1 */
    for (int32_t j = 0; j < M->n; j++) x[j] = sc->tb * b->warm_x[best][j] / M->d2[j];
    for (int32_t i = 0; i < M->m; i++) y[i] = sc->tc * b->fill->sense * b->warm_y[best][i] / M->d1[i];
}

void lp_batch_warm_keep(lp_batch *b, int32_t idx, const weft_lp_result *r)
{
    int32_t e = b->warm_next;
    b->warm_idx[e] = idx;
    memcpy(b->warm_x[e], r->x, sizeof(double) * (size_t)b->M->n);
    memcpy(b->warm_y[e], r->y, sizeof(double) * (size_t)b->M->m);
    b->warm_next = (e + 1) % b->B.ld;
}

/* Recovers column k's result from (xsrc, ysrc), hands it to on_done and frees the slot. */
static int finish(lp_batch *b, int32_t k, weft_lp_outcome out, const weft_buf *xsrc, const weft_buf *ysrc)
{
    lp_slot *s = &b->slot[k];
    weft_lp_result *r = &b->res;
    int st = b->op->blk_col_read(b->be, xsrc, (size_t)b->B.n, b->B.ld, k, b->xs);
    if (!st) st = b->op->blk_col_read(b->be, ysrc, (size_t)b->B.m, b->B.ld, k, b->ys);
    if (st) return st;
    r->outcome = out;
    r->has_certificate = out == WEFT_LP_PRIMAL_INFEASIBLE || out == WEFT_LP_DUAL_INFEASIBLE;
    r->objective = s->kkt.pobj;
    r->dual_objective = s->kkt.dobj;
    r->primal_res_abs = s->kkt.pres;
    r->primal_res_rel = s->kkt.pres_rel;
    r->dual_res_abs = s->kkt.dres;
    r->dual_res_rel = s->kkt.dres_rel;
    r->gap_abs = s->kkt.gap;
    r->gap_rel = s->kkt.gap_rel;
    r->iterations = s->iter;
    r->spmv = s->spmv;
    r->restarts = s->restarts;
    r->time_s = lp_now() - s->t0;
    snprintf(r->device, sizeof r->device, "%s", b->be->description);
    weft_lp_problem view = *b->fill; /* A, sense and sizes; the slot's own objective */
    view.obj = s->obj;
    view.q = s->q;
    lp_recover(&view, b->M, &s->sc, b->xs, b->ys, r);
    int32_t idx = s->index;
    s->index = -1;
    b->base[k] = -1;
    b->live[k] = b->rst[k] = 0;
    if (out == WEFT_LP_OPTIMAL) lp_batch_warm_keep(b, idx, r);
    if (b->o->lp.verbose)
        weft_log(b->ctx, WEFT_LOG_INFO, "batch problem %d: %s, objective %.10g, %lld iterations, %d restarts",
                 idx, weft_lp_outcome_string(out), r->objective, (long long)s->iter, s->restarts);
    return b->o->on_done ? b->o->on_done(b->o->user, idx, r) : WEFT_OK;
}

/* out = a - b for the four ray/displacement scratch blocks. */
static int differences(lp_batch *b, weft_buf *xa, weft_buf *xb, weft_buf *axa, weft_buf *axb,
                       weft_buf *ya, weft_buf *yb, weft_buf *atya, weft_buf *atyb)
{
    const weft_pdhg_block *B = &b->B;
    size_t n = (size_t)B->n, m = (size_t)B->m;
    int st = b->op->blk_sub(b->be, n, B->ld, B->K, xa, xb, b->dx);
    if (!st) st = b->op->blk_sub(b->be, m, B->ld, B->K, axa, axb, b->adx);
    if (!st) st = b->op->blk_sub(b->be, m, B->ld, B->K, ya, yb, b->dy);
    if (!st) st = b->op->blk_sub(b->be, n, B->ld, B->K, atya, atyb, b->atdy);
    return st;
}

/* Whether any wanted live column's ray sums in b->rs pass, judged against the iterates' sizes
 * xn2, yn2 (squared). Without them (NULL: lp_ray_verdict's unknown, -1) it only reports; with
 * them it finishes the columns that pass. */
static int judge(lp_batch *b, const unsigned char *want, const double *xn2, const double *yn2, int *any)
{
    int st = WEFT_OK;
    *any = 0;
    for (int32_t k = 0; !st && k < b->B.K; k++) {
        if (!b->live[k] || !want[k]) continue;
        double xn = xn2 ? sqrt(xn2[k]) : -1, yn = yn2 ? sqrt(yn2[k]) : -1;
        int v = lp_ray_verdict(&b->slot[k].sc, b->rs + (size_t)k * WEFT_RS_COUNT, xn, yn, b->o->lp.infeas_tol);
        *any |= v != 0;
        if (v && xn2) st = finish(b, k, v == 1 ? WEFT_LP_PRIMAL_INFEASIBLE : WEFT_LP_DUAL_INFEASIBLE, b->dx, b->dy);
    }
    return st;
}

/* Ray verdicts of the live columns for the candidate in the scratch blocks; finishes those with
 * a certificate. `want` selects the columns the candidate is for. As pdhg.c's ray_verdict, a
 * candidate that passes on differenced products is judged again on products taken from it and
 * against the iterates' sizes (b->dots is free here). */
static int verdicts(lp_batch *b, const unsigned char *want)
{
    const weft_pdhg_block *B = &b->B;
    double *xn2 = b->dots, *yn2 = b->dots + B->ld;
    int any = 0;
    int st = b->op->blk_ray_stats(b->be, &b->B, b->dx, b->adx, b->dy, b->atdy, b->rs);
    if (!st) st = judge(b, want, NULL, NULL, &any);
    if (st || !any) return st;
    st = b->op->blk_spmv(b->be, &B->A, B->ld, B->K, b->dx, b->adx);
    if (!st) st = b->op->blk_spmv(b->be, &B->AT, B->ld, B->K, b->dy, b->atdy);
    if (!st) st = b->op->blk_ray_stats(b->be, &b->B, b->dx, b->adx, b->dy, b->atdy, b->rs);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->n, B->ld, B->K, B->xh, B->xh, xn2);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->m, B->ld, B->K, B->yh, B->yh, yn2);
    for (int32_t k = 0; k < B->K; k++) b->slot[k].spmv += b->live[k] && want[k] ? 2 : 0;
    return st ? st : judge(b, want, xn2, yn2, &any);
}

/* pdhg.c's rays(): the PDHG displacement, then the drift since the first check (whose step is
 * kept as the drift origin of columns at their first check). */
static int rays(lp_batch *b)
{
    weft_pdhg_block *B = &b->B;
    int ce = b->o->lp.check_every, any_first = 0, any_drift = 0;
    int st = differences(b, B->xh, B->x, B->axh, B->ax, B->yh, B->y, B->atyh, B->aty);
    if (!st) st = verdicts(b, b->live);
    for (int32_t k = 0; k < B->K; k++) {
        int first = b->live[k] && b->slot[k].iter <= ce;
        b->due[k] = b->live[k] && !first; /* due: wants the drift candidate */
        b->hmap[k] = first ? k : -1;
        any_first |= first;
        any_drift |= b->due[k];
    }
    if (!st && any_drift) st = differences(b, B->xh, b->xr, B->axh, b->axr, B->yh, b->yr, B->atyh, b->atyr);
    if (!st && any_drift) st = verdicts(b, b->due);
    if (st || !any_first) return st;
    size_t n = (size_t)B->n, m = (size_t)B->m;
    st = b->op->buf_write(b->be, b->map, 0, (size_t)B->K, b->hmap);
    if (!st) st = b->op->blk_copy_cols(b->be, n, B->ld, B->K, b->map, B->xh, b->xr);
    if (!st) st = b->op->blk_copy_cols(b->be, m, B->ld, B->K, b->map, B->axh, b->axr);
    if (!st) st = b->op->blk_copy_cols(b->be, m, B->ld, B->K, b->map, B->yh, b->yr);
    if (!st) st = b->op->blk_copy_cols(b->be, n, B->ld, B->K, b->map, B->atyh, b->atyr);
    return st;
}

/* Primal weights of the restarting columns from their epoch's displacements, new step sizes. */
static int update_weights(lp_batch *b)
{
    weft_pdhg_block *B = &b->B;
    double *dx2 = b->dots, *dy2 = b->dots + B->ld, *xn2 = b->dots + 2 * B->ld, *yn2 = b->dots + 3 * B->ld;
    int st = b->op->blk_sub(b->be, (size_t)B->n, B->ld, B->K, B->xh, B->x0, b->dx);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->n, B->ld, B->K, b->dx, b->dx, dx2);
    if (!st) st = b->op->blk_sub(b->be, (size_t)B->m, B->ld, B->K, B->yh, B->y0, b->dy);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->m, B->ld, B->K, b->dy, b->dy, dy2);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->n, B->ld, B->K, B->xh, B->xh, xn2);
    if (!st) st = b->op->blk_dot(b->be, (size_t)B->m, B->ld, B->K, B->yh, B->yh, yn2);
    for (int32_t k = 0; !st && k < B->K; k++) {
        if (!b->rst[k]) continue;
        lp_slot *s = &b->slot[k];
        lp_epoch e = {sqrt(dx2[k]), sqrt(dy2[k]), sqrt(xn2[k]), sqrt(yn2[k]), s->kkt.pres_rel, s->kkt.dres_rel};
        lp_pid_update(&s->pid, &e);
        s->restarts++;
        s->epoch_start = s->iter;
        s->r0 = s->rprev; /* the new anchor is the step whose residual was just measured */
        double w = exp(s->pid.log_w);
        b->tau[k] = b->eta / w;
        b->sigma[k] = b->eta * w;
        b->base[k] = (double)b->g;
    }
    return st;
}

/* Going-on columns take the Halpern update of this iteration, restarting ones move their anchor
 * and current point to the step. B->base is left masked: refill writes the true one back. */
static int advance(lp_batch *b, int any_rst)
{
    weft_pdhg_block *B = &b->B;
    size_t n = (size_t)B->n, m = (size_t)B->m;
    double *hb = b->dots; /* free again: the weights are done */
    for (int32_t k = 0; k < B->K; k++) hb[k] = b->live[k] && !b->rst[k] ? b->base[k] : -1;
    int st = b->op->buf_write(b->be, B->base, 0, (size_t)B->K, hb);
    if (!st) st = b->op->blk_halpern(b->be, B, (double)b->g, b->gamma);
    if (st || !any_rst) return st;
    for (int32_t k = 0; k < B->K; k++) b->hmap[k] = b->rst[k] ? k : -1;
    st = b->op->buf_write(b->be, b->map, 0, (size_t)B->K, b->hmap);
    weft_buf *pairs[][2] = {{B->xh, B->x0}, {B->xh, B->x}, {B->atyh, B->aty0}, {B->atyh, B->aty},
                            {B->yh, B->y0}, {B->yh, B->y}, {B->axh, B->ax0}, {B->axh, B->ax}};
    for (int i = 0; !st && i < 8; i++)
        st = b->op->blk_copy_cols(b->be, i < 4 ? n : m, B->ld, B->K, b->map, pairs[i][0], pairs[i][1]);
    return st;
}

/* Optimal, numerical trouble, then rays, then the restart test and the limits, as in pdhg.c. */
int lp_batch_check(lp_batch *b, const unsigned char *checked, int regular)
{
    weft_pdhg_block *B = &b->B;
    const weft_lp_options *o = &b->o->lp;
    int st = b->op->blk_stats(b->be, B, b->st), any = 0, any_rst = 0;
    for (int32_t k = 0; !st && k < B->K; k++) {
        b->live[k] = checked[k] && b->slot[k].index >= 0;
        b->rst[k] = 0;
        if (!b->live[k]) continue;
        lp_slot *s = &b->slot[k];
        weft_lp_outcome out = lp_kkt_outcome(&s->sc, b->st + (size_t)k * WEFT_ST_COUNT, o->tol, &s->kkt);
        if (out != WEFT_LP_UNSOLVED) st = finish(b, k, out, B->xh, B->yh);
        any |= b->live[k];
    }
    if (!st && any) st = rays(b);
    double now = lp_now();
    for (int32_t k = 0; !st && k < B->K; k++) {
        if (!b->live[k]) continue;
        lp_slot *s = &b->slot[k];
        double r = lp_fixed_point_residual(s->pid.log_w, b->eta, b->st + (size_t)k * WEFT_ST_COUNT);
        b->rst[k] = lp_restart_due(&s->r0, &s->rprev, r, s->iter - s->epoch_start, s->iter);
        if (o->time_limit > 0 && now - s->t0 >= o->time_limit)
            st = finish(b, k, WEFT_LP_TIME_LIMIT, B->xh, B->yh);
        else if (o->iteration_limit > 0 && s->iter >= o->iteration_limit)
            st = finish(b, k, WEFT_LP_ITERATION_LIMIT, B->xh, B->yh);
        any_rst |= b->rst[k];
    }
    if (!st && any_rst) st = update_weights(b);
    if (!st && regular) st = advance(b, any_rst);
    return st;
}
