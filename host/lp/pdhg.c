/* Restarted Halpern PDHG with reflection (cuPDLPx class) over the backend operations.
 * Per iteration: one fused primal step, one product with A fused with the dual step and the
 * Halpern update, one product with A' fused with the Halpern update. Every check_every iterations
 * the step is left un-updated so the KKT error, the fixed-point residual and the ray candidates
 * can be read as a few scalars; nothing else crosses to the host. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "core/context_internal.h"
#include "lp/pdhg_internal.h"

double lp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int upload(weft_backend *be, const double *host, size_t n, weft_buf **out)
{
    return be->ops->buf_create(be, WEFT_REAL, n, host, out);
}

int lp_pdhg_state_upload(weft_backend *be, const lp_scaled *S, weft_pdhg_state *s)
{
    size_t n = (size_t)S->n, m = (size_t)S->m;
    memset(s, 0, sizeof *s);
    s->n = S->n;
    s->m = S->m;
    int st = weft_dmat_upload(be, S->m, S->n, S->rp, S->ci, S->v, &s->A);
    if (!st) st = weft_dmat_upload(be, S->n, S->m, S->trp, S->tci, S->tv, &s->AT);
    if (!st) st = upload(be, S->c, n, &s->c);
    if (!st && S->q) st = upload(be, S->q, n, &s->q);
    if (!st) st = upload(be, S->lb, n, &s->lb);
    if (!st) st = upload(be, S->ub, n, &s->ub);
    if (!st) st = upload(be, S->rl, m, &s->rl);
    if (!st) st = upload(be, S->ru, m, &s->ru);
    if (!st) st = upload(be, S->wr, m, &s->wr);
    if (!st) st = upload(be, S->wc, n, &s->wc);
    weft_buf **nvec[] = {&s->x, &s->aty, &s->xh, &s->atyh, &s->x0, &s->aty0};
    weft_buf **mvec[] = {&s->y, &s->ax, &s->yh, &s->axh, &s->y0, &s->ax0};
    for (size_t i = 0; !st && i < sizeof nvec / sizeof *nvec; i++) st = upload(be, NULL, n, nvec[i]);
    for (size_t i = 0; !st && i < sizeof mvec / sizeof *mvec; i++) st = upload(be, NULL, m, mvec[i]);
    return st;
}

void lp_pdhg_state_release(weft_backend *be, weft_pdhg_state *s)
{
    weft_dmat_release(be, &s->A);
    weft_dmat_release(be, &s->AT);
    weft_buf **all[] = {&s->c, &s->q, &s->lb, &s->ub, &s->rl, &s->ru, &s->wr, &s->wc,
                        &s->x, &s->y, &s->ax, &s->aty, &s->xh, &s->yh, &s->axh, &s->atyh,
                        &s->x0, &s->y0, &s->ax0, &s->aty0};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) be->ops->buf_destroy(be, all[i]);
}

/* The iteration state and the solver's own scratch vectors. */
static int state_create(pdhg *P, const lp_scaled *S)
{
    size_t n = (size_t)S->n, m = (size_t)S->m;
    int st = lp_pdhg_state_upload(P->be, S, &P->s);
    weft_buf **nvec[] = {&P->dx, &P->atdy, &P->xr, &P->atyr};
    weft_buf **mvec[] = {&P->dy, &P->adx, &P->yr, &P->axr};
    for (size_t i = 0; !st && i < sizeof nvec / sizeof *nvec; i++) st = upload(P->be, NULL, n, nvec[i]);
    for (size_t i = 0; !st && i < sizeof mvec / sizeof *mvec; i++) st = upload(P->be, NULL, m, mvec[i]);
    return st;
}

static void state_destroy(pdhg *P)
{
    lp_polish_destroy(P);
    lp_pdhg_state_release(P->be, &P->s);
    weft_buf **all[] = {&P->dx, &P->adx, &P->dy, &P->atdy, &P->xr, &P->axr, &P->yr, &P->atyr};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) P->op->buf_destroy(P->be, all[i]);
}

/* A start for the power iteration with a component along every singular vector: values in
 * [-1, 1) from a hash of the index. A constant start is orthogonal to the top
 * singular vector of an equilibrated block such as [s, -s] (a row x_j - x_k after Ruiz), and the
 * iteration then converges to a smaller singular value: a random LP of two blocks got a step 1.2x
 * too large and PDHG cycled without end. Returns ||start||^2. */
static double power_start(double *h, size_t n)
{
    double s = 0;
    for (size_t j = 0; j < n; j++) {
        h[j] = (double)(lp_mix64(j) >> 11) * 0x1.0p-52 - 1.0;
        s += h[j] * h[j];
    }
    return s;
}

/* Largest singular value of A by power iteration on A'A (the step size is 0.998 / ||A||_2).
 * Power iteration creeps up on sigma_max from below, and a step size set from an estimate even 1%
 * low makes the reflected operator expansive, so it stops on the eigen-residual
 * ||A'Av - lambda v|| <= 1e-4 lambda, not on a small change between iterations. v, w: n, av: m;
 * h: n host doubles of scratch. */
static int spectral_norm(weft_backend *be, const weft_dmat *A, const weft_dmat *AT, weft_buf *v,
                         weft_buf *av, weft_buf *w, double *h, double *out, int *converged, int64_t *spmv)
{
    const weft_backend_ops *op = be->ops;
    size_t n = (size_t)A->cols, m = (size_t)A->rows;
    double lambda = 0, ww = power_start(h, n);
    int st = op->buf_write(be, w, 0, n, h);
    *converged = 0;
    for (int it = 0; !st && it < 2000 && ww > 0; it++) {
        st = op->copy(be, n, w, v);
        if (!st) st = op->axpby(be, n, 0.0, w, 1.0 / sqrt(ww), v);
        if (!st) st = op->spmv(be, A, v, av);
        if (!st) st = op->spmv(be, AT, av, w);
        if (!st) st = op->dot(be, m, av, av, &lambda); /* v'A'Av */
        if (!st) st = op->dot(be, n, w, w, &ww);
        *spmv += 2;
        if (sqrt(fmax(ww - lambda * lambda, 0)) <= 1e-4 * lambda) {
            *converged = 1;
            break;
        }
    }
    *out = sqrt(lambda);
    return st;
}

int lp_step_size(weft_backend *be, const weft_dmat *A, const weft_dmat *AT, double *eta, double *norm,
                 int64_t *spmv)
{
    weft_buf *v = NULL, *av = NULL, *w = NULL;
    int ok = 0;
    *norm = 0;
    double *h = weft_calloc(be->ctx, (size_t)A->cols + 1, sizeof(double));
    int st = h ? WEFT_OK : weft_error(be->ctx, WEFT_ERR_NOMEM, "out of memory estimating ||A||");
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)A->cols, NULL, &v);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)A->rows, NULL, &av);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)A->cols, NULL, &w);
    if (!st) st = spectral_norm(be, A, AT, v, av, w, h, norm, &ok, spmv);
    weft_free(be->ctx, h);
    be->ops->buf_destroy(be, &v);
    be->ops->buf_destroy(be, &av);
    be->ops->buf_destroy(be, &w);
    /* an unconverged estimate gets a wider margin */
    *eta = *norm > 0 ? (ok ? 0.998 : 0.95) / *norm : 1.0;
    return st;
}

int lp_step_size_host(weft_context *ctx, lp_scaled *M)
{
    weft_backend *be = NULL;
    weft_dmat A = {0}, AT = {0};
    int64_t spmv = 0;
    int st = weft_backend_open(ctx, weft_context_device(ctx), &be);
    if (!st) st = weft_dmat_upload(be, M->m, M->n, M->rp, M->ci, M->v, &A);
    if (!st) st = weft_dmat_upload(be, M->n, M->m, M->trp, M->tci, M->tv, &AT);
    if (!st) st = lp_step_size(be, &A, &AT, &M->eta, &M->norm, &spmv);
    if (be) {
        weft_dmat_release(be, &A);
        weft_dmat_release(be, &AT);
    }
    weft_backend_close(&be);
    return st;
}

/* Copies of the PDHG step into both the anchor and the current point: a restart. */
static int restart_to_step(pdhg *P)
{
    weft_pdhg_state *s = &P->s;
    size_t n = (size_t)s->n, m = (size_t)s->m;
    const weft_backend_ops *op = P->op;
    int st = op->copy(P->be, n, s->xh, s->x0);
    if (!st) st = op->copy(P->be, n, s->atyh, s->aty0);
    if (!st) st = op->copy(P->be, m, s->yh, s->y0);
    if (!st) st = op->copy(P->be, m, s->axh, s->ax0);
    if (!st) st = op->copy(P->be, n, s->xh, s->x);
    if (!st) st = op->copy(P->be, n, s->atyh, s->aty);
    if (!st) st = op->copy(P->be, m, s->yh, s->y);
    if (!st) st = op->copy(P->be, m, s->axh, s->ax);
    return st;
}

/* d = a - b for the four ray/displacement scratch vectors. */
static int differences(pdhg *P, weft_buf *xa, weft_buf *xb, weft_buf *axa, weft_buf *axb,
                       weft_buf *ya, weft_buf *yb, weft_buf *atya, weft_buf *atyb)
{
    size_t n = (size_t)P->s.n, m = (size_t)P->s.m;
    const weft_backend_ops *op = P->op;
    int st = op->copy(P->be, n, xa, P->dx);
    if (!st) st = op->axpby(P->be, n, -1.0, xb, 1.0, P->dx);
    if (!st) st = op->copy(P->be, m, axa, P->adx);
    if (!st) st = op->axpby(P->be, m, -1.0, axb, 1.0, P->adx);
    if (!st) st = op->copy(P->be, m, ya, P->dy);
    if (!st) st = op->axpby(P->be, m, -1.0, yb, 1.0, P->dy);
    if (!st) st = op->copy(P->be, n, atya, P->atdy);
    if (!st) st = op->axpby(P->be, n, -1.0, atyb, 1.0, P->atdy);
    return st;
}

int lp_pdhg_assign(pdhg *P, size_t n, weft_buf *src, weft_buf *dst)
{
    if (src == dst) return WEFT_OK;
    return src ? P->op->copy(P->be, n, src, dst) : P->op->fill(P->be, n, 0.0, dst);
}

int lp_pdhg_start_at(pdhg *P, weft_buf *x, weft_buf *ax, weft_buf *y, weft_buf *aty)
{
    weft_pdhg_state *s = &P->s;
    size_t n = (size_t)s->n, m = (size_t)s->m;
    const weft_backend_ops *op = P->op;
    int st = lp_pdhg_assign(P, n, x, s->x);
    if (!st) st = lp_pdhg_assign(P, m, ax, s->ax);
    if (!st) st = lp_pdhg_assign(P, m, y, s->y);
    if (!st) st = lp_pdhg_assign(P, n, aty, s->aty);
    if (!st) st = op->copy(P->be, n, s->x, s->x0);
    if (!st) st = op->copy(P->be, n, s->aty, s->aty0);
    if (!st) st = op->copy(P->be, m, s->y, s->y0);
    if (!st) st = op->copy(P->be, m, s->ax, s->ax0);
    return st;
}

static int initial_point(pdhg *P, const lp_scaled *S, const double *xw, const double *yw)
{
    weft_pdhg_state *s = &P->s;
    size_t n = (size_t)S->n, m = (size_t)S->m;
    int st = WEFT_OK;
    if (xw) st = P->op->buf_write(P->be, s->x, 0, n, xw);
    if (!st && yw) st = P->op->buf_write(P->be, s->y, 0, m, yw);
    /* x := proj_[lb,ub](x): a primal step with tau = 0 */
    if (!st) st = P->op->fill(P->be, n, 0.0, s->aty);
    if (!st) st = P->op->pdhg_primal(P->be, s, 0.0);
    if (!st) st = P->op->copy(P->be, n, s->xh, s->x);
    if (!st) st = P->op->spmv(P->be, &s->A, s->x, s->ax);
    if (!st) st = P->op->spmv(P->be, &s->AT, s->y, s->aty);
    P->spmv += 2;
    if (!st) st = lp_pdhg_start_at(P, s->x, s->ax, s->y, s->aty);
    return st;
}

/* Keeps the step of the first check as the origin of the long drift. */
static int keep_drift_origin(pdhg *P)
{
    weft_pdhg_state *s = &P->s;
    const weft_backend_ops *op = P->op;
    int st = op->copy(P->be, (size_t)s->n, s->xh, P->xr);
    if (!st) st = op->copy(P->be, (size_t)s->m, s->axh, P->axr);
    if (!st) st = op->copy(P->be, (size_t)s->m, s->yh, P->yr);
    if (!st) st = op->copy(P->be, (size_t)s->n, s->atyh, P->atyr);
    return st;
}

/* The verdict on the candidate in dx, dy. One that passes on A dx and A'dy taken as differences of
 * the iterates' products is judged again on products of dx and dy themselves and against the
 * iterates' sizes: near convergence a displacement is at rounding level, atyh - aty then carries
 * errors of 1e-16 |aty| that no longer match dy, and a feasible random LP was declared infeasible
 * from a displacement of 3e-14. The products and norms are taken only when the cheap test passes. */
static int ray_verdict(pdhg *P, const lp_scaled *S, const weft_lp_options *o, int *stat)
{
    weft_pdhg_state *s = &P->s;
    double rs[WEFT_RS_COUNT], xn2 = 0, yn2 = 0;
    *stat = P->op->pdhg_ray_stats(P->be, s, P->dx, P->adx, P->dy, P->atdy, rs);
    if (*stat || !lp_ray_verdict(&S->sc, rs, -1, -1, o->infeas_tol)) return 0;
    *stat = P->op->spmv(P->be, &s->A, P->dx, P->adx);
    if (!*stat) *stat = P->op->spmv(P->be, &s->AT, P->dy, P->atdy);
    P->spmv += 2;
    if (!*stat) *stat = P->op->pdhg_ray_stats(P->be, s, P->dx, P->adx, P->dy, P->atdy, rs);
    if (!*stat) *stat = P->op->dot(P->be, (size_t)s->n, s->xh, s->xh, &xn2);
    if (!*stat) *stat = P->op->dot(P->be, (size_t)s->m, s->yh, s->yh, &yn2);
    return *stat ? 0 : lp_ray_verdict(&S->sc, rs, sqrt(xn2), sqrt(yn2), o->infeas_tol);
}

/* Infeasibility certificates from two candidates: the PDHG displacement (it converges to the
 * infimal displacement vector) and the drift of the steps since the first check (iterates that run
 * off to infinity do so along a certificate, and restarts do not stop the drift). 1: a Farkas ray,
 * primal infeasible; 2: a primal ray, dual infeasible; 0: neither. The ray is left in dx, dy. */
static int rays(pdhg *P, const lp_scaled *S, const weft_lp_options *o, int *stat)
{
    weft_pdhg_state *s = &P->s;
    *stat = differences(P, s->xh, s->x, s->axh, s->ax, s->yh, s->y, s->atyh, s->aty);
    int v = *stat ? 0 : ray_verdict(P, S, o, stat);
    if (v || *stat) return v;
    if (P->iter <= o->check_every) {
        *stat = keep_drift_origin(P);
        return 0;
    }
    *stat = differences(P, s->xh, P->xr, s->axh, P->axr, s->yh, P->yr, s->atyh, P->atyr);
    return *stat ? 0 : ray_verdict(P, S, o, stat);
}

static void log_header(weft_context *ctx)
{
    weft_log(ctx, WEFT_LOG_INFO, "%9s %8s %14s %14s %9s %9s %9s %8s %4s", "iter", "time", "primal obj",
             "dual obj", "pres", "dres", "gap", "weight", "rst");
}

static void log_row(weft_context *ctx, pdhg *P, const check_state *c)
{
    weft_log(ctx, WEFT_LOG_INFO, "%9lld %7.2fs %14.7e %14.7e %9.2e %9.2e %9.2e %8.2e %4d",
             (long long)P->iter, lp_now() - c->t0, c->kkt.pobj, c->kkt.dobj, c->kkt.pres_rel,
             c->kkt.dres_rel, c->kkt.gap_rel, exp(P->pid.log_w), P->restarts);
}

/* The goal of a feasibility run (polish.c) met at a check: its one residual within tol. */
static weft_lp_outcome feasibility_met(const pdhg *P, const lp_kkt *k, double tol)
{
    double r = P->goal == LP_GOAL_PRIMAL ? k->pres_rel : k->dres_rel;
    return r <= tol ? WEFT_LP_OPTIMAL : WEFT_LP_UNSOLVED;
}

/* One check: KKT at the step, rays, restart decision. Returns an outcome, or UNSOLVED to go on.
 * A feasibility run (P->goal) looks for no certificate: its problem is the LP's with c or the
 * finite bounds set to 0, and what it says about infeasibility the main run finds too. */
static weft_lp_outcome check(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                             check_state *c, int *do_restart, int *stat)
{
    double st[WEFT_ST_COUNT];
    weft_pdhg_state *s = &P->s;
    *do_restart = 0;
    if ((*stat = P->op->pdhg_stats(P->be, s, st))) return WEFT_LP_UNSOLVED;
    weft_lp_outcome out = lp_kkt_outcome(&S->sc, st, o->tol, &c->kkt);
    if (out == WEFT_LP_UNSOLVED && P->goal != LP_GOAL_OPTIMAL) out = feasibility_met(P, &c->kkt, o->tol);
    if (out != WEFT_LP_UNSOLVED) return out;
    if (P->goal == LP_GOAL_OPTIMAL) {
        int v = rays(P, S, o, stat);
        if (*stat) return WEFT_LP_UNSOLVED;
        if (v == 1) return WEFT_LP_PRIMAL_INFEASIBLE;
        if (v == 2) return WEFT_LP_DUAL_INFEASIBLE;
    }

    double r = lp_fixed_point_residual(P->pid.log_w, P->eta, st);
    *do_restart = lp_restart_due(&c->r0, &c->rprev, r, P->iter - c->epoch_start, P->iter);
    return WEFT_LP_UNSOLVED;
}

/* At a restart: update the primal weight from the epoch's displacements, move the anchor. */
static int restart(pdhg *P, check_state *c, double r_now)
{
    weft_pdhg_state *s = &P->s;
    double dx2, dy2, xn2, yn2;
    int st = differences(P, s->xh, s->x0, s->axh, s->ax0, s->yh, s->y0, s->atyh, s->aty0);
    if (!st) st = P->op->dot(P->be, (size_t)s->n, P->dx, P->dx, &dx2);
    if (!st) st = P->op->dot(P->be, (size_t)s->m, P->dy, P->dy, &dy2);
    if (!st) st = P->op->dot(P->be, (size_t)s->n, s->xh, s->xh, &xn2);
    if (!st) st = P->op->dot(P->be, (size_t)s->m, s->yh, s->yh, &yn2);
    if (st) return st;
    lp_epoch e = {sqrt(dx2), sqrt(dy2), sqrt(xn2), sqrt(yn2), c->kkt.pres_rel, c->kkt.dres_rel};
    lp_pid_update(&P->pid, &e);
    P->restarts++;
    c->epoch_start = P->iter;
    /* the new anchor is the step whose residual was just measured: the epoch's reference */
    c->r0 = r_now;
    c->rprev = r_now;
    return restart_to_step(P);
}

weft_lp_outcome lp_pdhg_iterate(weft_context *ctx, pdhg *P, const lp_scaled *S, const weft_lp_options *o,
                                check_state *c, int *stat)
{
    weft_pdhg_state *s = &P->s;
    const weft_backend_ops *op = P->op;
    for (;;) {
        P->iter++;
        double k = (double)(P->iter - 1 - c->epoch_start);
        double wh = (k + 1) / (k + 2);
        double w = exp(P->pid.log_w), tau = P->eta / w, sigma = P->eta * w;
        /* polishing iterations count against the limit: it caps the work, not the main run */
        int64_t done = P->iter + P->polish_iter;
        int is_check = P->iter % o->check_every == 0 || done == o->iteration_limit;
        if ((*stat = op->pdhg_primal(P->be, s, tau))) return WEFT_LP_UNSOLVED;
        if ((*stat = op->pdhg_dual(P->be, s, sigma, is_check ? -1 : wh, P->gamma))) return WEFT_LP_UNSOLVED;
        if ((*stat = op->pdhg_adjoint(P->be, s, is_check ? -1 : wh, P->gamma))) return WEFT_LP_UNSOLVED;
        P->spmv += 2;
        if (!is_check) continue;

        int do_restart = 0;
        weft_lp_outcome out = check(ctx, P, S, o, c, &do_restart, stat);
        if (!*stat && out == WEFT_LP_UNSOLVED && lp_polish_due(P, S, o, &c->kkt))
            out = lp_polish(ctx, P, S, o, c, stat);
        if (*stat) return WEFT_LP_UNSOLVED;
        double now = lp_now();
        if (o->verbose && (now >= c->next_log || out != WEFT_LP_UNSOLVED)) {
            log_row(ctx, P, c);
            c->next_log = now + 1.0;
        }
        if (out != WEFT_LP_UNSOLVED) return out;
        if (o->time_limit > 0 && now - c->t0 >= o->time_limit) return WEFT_LP_TIME_LIMIT;
        if (o->iteration_limit > 0 && P->iter + P->polish_iter >= o->iteration_limit)
            return WEFT_LP_ITERATION_LIMIT;
        *stat = do_restart ? restart(P, c, c->rprev) : op->pdhg_halpern(P->be, s, wh, P->gamma);
        if (*stat) return WEFT_LP_UNSOLVED;
    }
}

int lp_pdhg_run(weft_context *ctx, weft_backend *be, const lp_scaled *S, const weft_lp_options *o,
                const double *xw, const double *yw, weft_lp_result *r, double *xs, double *ys)
{
    pdhg P;
    memset(&P, 0, sizeof P);
    P.be = be;
    P.op = be->ops;
    P.gamma = o->reflection;
    check_state c = {.r0 = -1, .rprev = INFINITY, .t0 = lp_now()};
    int st = state_create(&P, S);
    double norm = S->norm;
    P.eta = S->eta;
    if (!st && !(S->eta > 0)) st = lp_step_size(be, &P.s.A, &P.s.AT, &P.eta, &norm, &P.spmv);
    if (!st) st = initial_point(&P, S, xw, yw);
    if (st) goto cleanup;
    lp_pid_init(&P.pid, o->primal_weight > 0 ? o->primal_weight : 1.0);
    if (o->verbose) {
        weft_log(ctx, WEFT_LOG_INFO, "restarted Halpern PDHG on %s: %d rows, %d columns, %d nonzeros, "
                 "||A||_2 = %.4g, tol %.1e", be->description, S->m, S->n, S->nnz, norm, o->tol);
        log_header(ctx);
    }
    r->outcome = lp_pdhg_iterate(ctx, &P, S, o, &c, &st);
    if (st) goto cleanup;
    r->objective = c.kkt.pobj;
    r->dual_objective = c.kkt.dobj;
    r->primal_res_abs = c.kkt.pres;
    r->primal_res_rel = c.kkt.pres_rel;
    r->dual_res_abs = c.kkt.dres;
    r->dual_res_rel = c.kkt.dres_rel;
    r->gap_abs = c.kkt.gap;
    r->gap_rel = c.kkt.gap_rel;
    /* an infeasibility verdict returns its ray; otherwise the last step */
    weft_buf *xout = P.s.xh, *yout = P.s.yh;
    if (r->outcome == WEFT_LP_PRIMAL_INFEASIBLE || r->outcome == WEFT_LP_DUAL_INFEASIBLE) {
        xout = P.dx;
        yout = P.dy;
        r->has_certificate = 1;
    }
    st = P.op->buf_read(be, xout, 0, (size_t)S->n, xs);
    if (!st) st = P.op->buf_read(be, yout, 0, (size_t)S->m, ys);
cleanup:
    r->iterations = P.iter + P.polish_iter;
    r->polish_iterations = P.polish_iter;
    r->polished = P.polished;
    r->spmv = P.spmv;
    r->restarts = P.restarts;
    r->primal_weight = exp(P.pid.log_w);
    state_destroy(&P);
    return st;
}
