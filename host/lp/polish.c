/* Feasibility polishing (PDLP, Applegate et al.): once a check meets the duality gap but not a
 * residual, PDHG is run from the current x on the primal feasibility problem (the LP with c = 0)
 * and from the current y on the dual feasibility problem (every finite bound set to 0), each for
 * a budget of iterations. Feasibility problems converge much faster than the LP, and a start near
 * the optimum can keep their solutions near it, so the pair may meet all three criteria while the
 * main run is still pulling a residual down (netlib at 1e-4: 6 of 25 runs end this way, share1b in
 * 12800 iterations instead of 33440). Where the objective is sensitive to the move (the DC-OPFs
 * measured) the pair misses on the gap and the try is lost. The pair is kept only if it meets the
 * tolerance on the LP itself; otherwise the main run goes on untouched. LPs only: with q the dual
 * residual depends on x, and the two halves would not be independent. */
#include <math.h>

#include "core/context_internal.h"
#include "lp/pdhg_internal.h"

/* Each phase may take 1/8 of the main run's iterations so far, and a failed try waits until the
 * run has doubled: the tries cost at most half of the run in the worst case. A try needs both
 * residuals within NEAR times the tolerance: from farther, the nearest feasible point is far
 * from the optimum in objective (case2869, one period: primal objective 15% off after polishing
 * a relative residual of 2e-2). NEAR 3 against 1.5, 2, 5 and 10 on netlib (1e-4 and 1e-8) and
 * five DC-OPFs: bench/README.md, lp, "Feasibility polishing". */
enum { BUDGET_SHARE = 8, MIN_BUDGET = 200, NEAR = 3 };

struct lp_polish_state {
    pdhg sub;                         /* a feasibility run: its own iterates, P's A and vectors */
    weft_buf *zc;                     /* n zeros: the primal feasibility problem's objective */
    weft_buf *zlb, *zub, *zrl, *zru;  /* the bounds with finite values 0: the dual one's */
    weft_buf *xp, *axp;               /* the primal phase's result while the dual phase runs */
    int64_t next;                     /* the main run's iteration from which a try is due */
};

int lp_polish_due(const pdhg *P, const lp_scaled *S, const weft_lp_options *o, const lp_kkt *k)
{
    if (!o->polish || S->q || P->goal != LP_GOAL_OPTIMAL || P->polish_failed) return 0;
    if (P->polish && P->iter < P->polish->next) return 0;
    return k->gap_rel <= o->tol && (k->pres_rel > o->tol || k->dres_rel > o->tol) &&
           k->pres_rel <= NEAR * o->tol && k->dres_rel <= NEAR * o->tol;
}

static int zeroed_bounds(weft_backend *be, const double *v, size_t n, weft_buf **out)
{
    double *h = weft_calloc(be->ctx, n + 1, sizeof(double));
    if (!h) return weft_error(be->ctx, WEFT_ERR_NOMEM, "out of memory for feasibility polishing");
    for (size_t i = 0; i < n; i++) h[i] = isfinite(v[i]) ? 0.0 : v[i];
    int st = be->ops->buf_create(be, WEFT_REAL, n, h, out);
    weft_free(be->ctx, h);
    return st;
}

static int polish_create(pdhg *P, const lp_scaled *S)
{
    lp_polish_state *pl = weft_calloc(P->be->ctx, 1, sizeof *pl);
    if (!pl) return weft_error(P->be->ctx, WEFT_ERR_NOMEM, "out of memory for feasibility polishing");
    P->polish = pl;
    pdhg *Q = &pl->sub;
    Q->be = P->be;
    Q->op = P->op;
    Q->s = P->s; /* A, A', c, bounds and weights are P's; the iterates below are its own */
    weft_pdhg_state *s = &Q->s;
    size_t n = (size_t)S->n, m = (size_t)S->m;
    weft_buf **nvec[] = {&s->x, &s->aty, &s->xh, &s->atyh, &s->x0, &s->aty0, &Q->dx, &Q->atdy, &pl->zc, &pl->xp};
    weft_buf **mvec[] = {&s->y, &s->ax, &s->yh, &s->axh, &s->y0, &s->ax0, &Q->dy, &Q->adx, &pl->axp};
    int st = WEFT_OK;
    for (size_t i = 0; i < sizeof nvec / sizeof *nvec; i++) *nvec[i] = NULL;
    for (size_t i = 0; i < sizeof mvec / sizeof *mvec; i++) *mvec[i] = NULL;
    for (size_t i = 0; !st && i < sizeof nvec / sizeof *nvec; i++)
        st = P->op->buf_create(P->be, WEFT_REAL, n, NULL, nvec[i]);
    for (size_t i = 0; !st && i < sizeof mvec / sizeof *mvec; i++)
        st = P->op->buf_create(P->be, WEFT_REAL, m, NULL, mvec[i]);
    if (!st) st = zeroed_bounds(P->be, S->lb, n, &pl->zlb);
    if (!st) st = zeroed_bounds(P->be, S->ub, n, &pl->zub);
    if (!st) st = zeroed_bounds(P->be, S->rl, m, &pl->zrl);
    if (!st) st = zeroed_bounds(P->be, S->ru, m, &pl->zru);
    return st;
}

void lp_polish_destroy(pdhg *P)
{
    lp_polish_state *pl = P->polish;
    if (!pl) return;
    pdhg *Q = &pl->sub;
    weft_pdhg_state *s = &Q->s;
    weft_buf **own[] = {&s->x, &s->aty, &s->xh, &s->atyh, &s->x0, &s->aty0, &s->y, &s->ax, &s->yh,
                        &s->axh, &s->y0, &s->ax0, &Q->dx, &Q->atdy, &Q->dy, &Q->adx, &pl->zc,
                        &pl->zlb, &pl->zub, &pl->zrl, &pl->zru, &pl->xp, &pl->axp};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) P->op->buf_destroy(P->be, own[i]);
    weft_free(P->be->ctx, pl);
    P->polish = NULL;
}

/* One feasibility run from P's step (its x for the primal goal, its y for the dual one). */
static weft_lp_outcome run_phase(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                                 lp_goal goal, int64_t budget, double time_left, int *stat)
{
    lp_polish_state *pl = P->polish;
    pdhg *Q = &pl->sub;
    int primal = goal == LP_GOAL_PRIMAL;
    Q->s.c = primal ? pl->zc : P->s.c;
    Q->s.lb = primal ? P->s.lb : pl->zlb;
    Q->s.ub = primal ? P->s.ub : pl->zub;
    Q->s.rl = primal ? P->s.rl : pl->zrl;
    Q->s.ru = primal ? P->s.ru : pl->zru;
    Q->goal = goal;
    Q->eta = P->eta;
    Q->gamma = P->gamma;
    Q->iter = Q->spmv = 0;
    Q->restarts = 0;
    lp_pid_init(&Q->pid, exp(P->pid.log_w));
    *stat = primal ? lp_pdhg_start_at(Q, P->s.xh, P->s.axh, NULL, NULL)
                   : lp_pdhg_start_at(Q, NULL, NULL, P->s.yh, P->s.atyh);
    if (*stat) return WEFT_LP_UNSOLVED;
    weft_lp_options so = *o;
    /* the caller's iteration limit covers the polishing too */
    int64_t left = o->iteration_limit - P->iter - P->polish_iter;
    so.iteration_limit = o->iteration_limit > 0 && left < budget ? left : budget;
    if (so.iteration_limit <= 0) return WEFT_LP_ITERATION_LIMIT;
    so.time_limit = time_left;
    so.verbose = 0;
    check_state c = {.r0 = -1, .rprev = INFINITY, .t0 = lp_now()};
    weft_lp_outcome out = lp_pdhg_iterate(ctx, Q, S, &so, &c, stat);
    P->polish_iter += Q->iter;
    P->spmv += Q->spmv;
    return out;
}

/* The figures of (xp, yd) on the LP; OPTIMAL moves them into P's step. */
static weft_lp_outcome judge(pdhg *P, const lp_scaled *S, const weft_lp_options *o, weft_buf *xp,
                             weft_buf *axp, weft_buf *yd, weft_buf *atyd, lp_kkt *k, int *stat)
{
    weft_pdhg_state e = P->s;
    double st[WEFT_ST_COUNT];
    e.xh = xp;
    e.axh = axp;
    e.yh = yd;
    e.atyh = atyd;
    if ((*stat = P->op->pdhg_stats(P->be, &e, st))) return WEFT_LP_UNSOLVED;
    if (lp_kkt_outcome(&S->sc, st, o->tol, k) != WEFT_LP_OPTIMAL) return WEFT_LP_UNSOLVED;
    size_t n = (size_t)P->s.n, m = (size_t)P->s.m;
    *stat = lp_pdhg_assign(P, n, xp, P->s.xh);
    if (!*stat) *stat = lp_pdhg_assign(P, m, axp, P->s.axh);
    if (!*stat) *stat = lp_pdhg_assign(P, m, yd, P->s.yh);
    if (!*stat) *stat = lp_pdhg_assign(P, n, atyd, P->s.atyh);
    return *stat ? WEFT_LP_UNSOLVED : WEFT_LP_OPTIMAL;
}

weft_lp_outcome lp_polish(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                          check_state *c, int *stat)
{
    /* polishing is an extra: without memory for it (a device near full) the main run goes on */
    if (!P->polish && polish_create(P, S)) {
        lp_polish_destroy(P);
        P->polish_failed = 1;
        weft_log(ctx, WEFT_LOG_WARNING, "feasibility polishing off: %s", weft_context_last_error(ctx));
        return WEFT_LP_UNSOLVED;
    }
    lp_polish_state *pl = P->polish;
    pl->next = 2 * P->iter;
    double time_left = 0;
    if (o->time_limit > 0 && (time_left = o->time_limit - (lp_now() - c->t0)) <= 0) return WEFT_LP_UNSOLVED;
    int64_t budget = P->iter / BUDGET_SHARE > MIN_BUDGET ? P->iter / BUDGET_SHARE : MIN_BUDGET;
    int64_t it0 = P->polish_iter;
    weft_buf *xp = P->s.xh, *axp = P->s.axh, *yd = P->s.yh, *atyd = P->s.atyh;
    weft_lp_outcome out = WEFT_LP_OPTIMAL;
    const char *failed = NULL;
    if (c->kkt.pres_rel > o->tol) {
        out = run_phase(ctx, P, S, o, LP_GOAL_PRIMAL, budget, time_left, stat);
        if (!*stat && out == WEFT_LP_OPTIMAL) *stat = P->op->copy(P->be, (size_t)S->n, pl->sub.s.xh, pl->xp);
        if (!*stat && out == WEFT_LP_OPTIMAL) *stat = P->op->copy(P->be, (size_t)S->m, pl->sub.s.axh, pl->axp);
        xp = pl->xp;
        axp = pl->axp;
        if (out != WEFT_LP_OPTIMAL) failed = "primal";
    }
    if (!*stat && !failed && c->kkt.dres_rel > o->tol) {
        out = run_phase(ctx, P, S, o, LP_GOAL_DUAL, budget, time_left, stat);
        yd = pl->sub.s.yh;
        atyd = pl->sub.s.atyh;
        if (out != WEFT_LP_OPTIMAL) failed = "dual";
    }
    if (*stat) return WEFT_LP_UNSOLVED;
    lp_kkt k = c->kkt;
    if (!failed) out = judge(P, S, o, xp, axp, yd, atyd, &k, stat);
    if (o->verbose)
        weft_log(ctx, WEFT_LOG_INFO, "polish at %lld: %lld iterations, %s; pres %.2e dres %.2e gap %.2e",
                 (long long)P->iter, (long long)(P->polish_iter - it0),
                 failed ? (*failed == 'p' ? "primal phase short of tol" : "dual phase short of tol")
                        : out == WEFT_LP_OPTIMAL ? "kept" : "pair short of tol",
                 k.pres_rel, k.dres_rel, k.gap_rel);
    if (*stat || failed || out != WEFT_LP_OPTIMAL) return WEFT_LP_UNSOLVED;
    c->kkt = k;
    P->polished = 1;
    return WEFT_LP_OPTIMAL;
}
