/* weft_lp_solve: validate, scale, open the device, run PDHG, unscale and recover duals. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/lp_internal.h"
#include "lp/presolve.h"

void weft_lp_options_default(weft_lp_options *o)
{
    memset(o, 0, sizeof *o);
    o->tol = 1e-4;
    o->infeas_tol = 1e-8;
    /* 40, not 64: restarts are decided at checks only, and the finer grid took 12% fewer
     * iterations on netlib at 1e-8 (shifted geometric mean), 7% fewer at 1e-4 and 7% fewer on five
     * DC-OPFs at 1e-6 (total), for no time per iteration difference measurable at 32
     * (bench/README.md, "restart grid") */
    o->check_every = 40;
    /* 2 geometric passes, not 12: more passes drift the column scales (DC-OPF's angle columns
     * against the generator and flow columns) and took 1.9x-5x the iterations on DC-OPF; with 2,
     * netlib's totals fell too (bench/README.md, "DC-OPF iterations") */
    o->geometric_passes = 2;
    o->ruiz_iterations = 10;
    o->pock_chambolle = 1;
    o->reflection = 1.0;
    o->presolve = 1;
    o->polish = 1;
}

void weft_lp_result_free(weft_context *ctx, weft_lp_result *r)
{
    if (!r) return;
    weft_free(ctx, r->x);
    weft_free(ctx, r->y);
    weft_free(ctx, r->z);
    weft_free(ctx, r->row_act);
    r->x = r->y = r->z = r->row_act = NULL;
}

int lp_check_options(weft_context *ctx, const weft_lp_options *o)
{
    if (!(o->tol > 0 && o->tol < 1)) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP tolerance %g not in (0, 1)", o->tol);
    if (!(o->infeas_tol > 0)) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP infeasibility tolerance %g not > 0", o->infeas_tol);
    if (o->check_every < 1) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP check interval %d < 1", o->check_every);
    if (!(o->reflection > 0 && o->reflection <= 1))
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP reflection %g not in (0, 1]", o->reflection);
    if (o->ruiz_iterations < 0 || o->geometric_passes < 0 || isnan(o->time_limit))
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP options out of range");
    return WEFT_OK;
}

/* Scaled warm start (sense folded in): x~ = tb x / d2, y~ = tc sense y / d1. */
static int warm_start(weft_context *ctx, const weft_lp_problem *p, const lp_scaled *S,
                      const weft_lp_options *o, double **xw, double **yw)
{
    *xw = *yw = NULL;
    if (o->x0) {
        if (!(*xw = weft_calloc(ctx, (size_t)S->n + 1, sizeof(double)))) return WEFT_ERR_NOMEM;
        for (int32_t j = 0; j < S->n; j++) (*xw)[j] = S->sc.tb * o->x0[j] / S->d2[j];
    }
    if (o->y0) {
        if (!(*yw = weft_calloc(ctx, (size_t)S->m + 1, sizeof(double)))) return WEFT_ERR_NOMEM;
        for (int32_t i = 0; i < S->m; i++) (*yw)[i] = S->sc.tc * p->sense * o->y0[i] / S->d1[i];
    }
    return WEFT_OK;
}

void lp_activity_and_z(const weft_lp_problem *p, weft_lp_result *r)
{
    int ray = r->has_certificate;
    for (int32_t j = 0; j < p->n_cols; j++) r->z[j] = ray ? 0 : p->obj[j] + (p->q ? p->q[j] * r->x[j] : 0);
    for (int32_t i = 0; i < p->n_rows; i++) {
        double act = 0;
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            act += p->val[k] * r->x[p->col_idx[k]];
            r->z[p->col_idx[k]] -= p->val[k] * r->y[i];
        }
        r->row_act[i] = act;
    }
}

/* x = d2 x~ / tb, y = sense d1 y~ / tc; reduced costs and row activities from the original data. */
void lp_recover(const weft_lp_problem *p, const lp_scaled *S, const lp_scalars *sc, const double *xs,
                const double *ys, weft_lp_result *r)
{
    for (int32_t j = 0; j < S->n; j++) r->x[j] = S->d2[j] * xs[j] / sc->tb;
    for (int32_t i = 0; i < S->m; i++) r->y[i] = p->sense * S->d1[i] * ys[i] / sc->tc;
    lp_activity_and_z(p, r);
    /* the solver minimizes sense * objective; report in the problem's own sense */
    r->objective *= p->sense;
    r->dual_objective *= p->sense;
}

int lp_result_alloc(weft_context *ctx, const weft_lp_problem *p, weft_lp_result *r)
{
    memset(r, 0, sizeof *r);
    r->n_cols = r->solved_cols = p->n_cols;
    r->n_rows = r->solved_rows = p->n_rows;
    r->solved_nnz = p->nnz;
    r->x = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(double));
    r->z = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(double));
    r->y = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof(double));
    r->row_act = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof(double));
    if (!r->x || !r->z || !r->y || !r->row_act) {
        weft_lp_result_free(ctx, r);
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory for an LP result");
    }
    return WEFT_OK;
}

/* The reduced problem's solve, mapped back; what the iterations did is the reduced solve's. */
static int solve_reduced(weft_context *ctx, const weft_lp_problem *p, const lp_presolve *ps,
                         const weft_lp_options *o, weft_lp_result *r)
{
    const weft_lp_problem *red = lp_presolve_reduced(ps);
    weft_lp_options ro = *o;
    weft_lp_result rr;
    memset(&rr, 0, sizeof rr);
    double *xw = weft_calloc(ctx, (size_t)red->n_cols + 1, sizeof(double));
    double *yw = weft_calloc(ctx, (size_t)red->n_rows + 1, sizeof(double));
    int st = xw && yw ? WEFT_OK : weft_error(ctx, WEFT_ERR_NOMEM, "out of memory for an LP solve");
    if (!st) {
        lp_presolve_restrict(ps, o->x0, o->y0, xw, yw);
        ro.x0 = o->x0 ? xw : NULL;
        ro.y0 = o->y0 ? yw : NULL;
    }
    /* all removed: presolve alone solved it */
    if (!st && red->n_cols == 0) {
        st = lp_result_alloc(ctx, red, &rr);
        if (!st) rr.outcome = WEFT_LP_OPTIMAL;
    } else if (!st) {
        double norms[2];
        lp_problem_norms(p, &norms[0], &norms[1]);
        st = lp_solve_normed(ctx, red, &ro, NULL, norms, &rr);
    }
    if (!st) st = lp_result_alloc(ctx, p, r);
    if (!st) {
        lp_postsolve(ps, p, rr.x, rr.y, r);
        r->outcome = rr.outcome;
        r->iterations = rr.iterations;
        r->polish_iterations = rr.polish_iterations;
        r->polished = rr.polished;
        r->spmv = rr.spmv;
        r->restarts = rr.restarts;
        r->primal_weight = rr.primal_weight;
        r->solved_cols = red->n_cols;
        r->solved_rows = red->n_rows;
        r->solved_nnz = red->nnz;
        memcpy(r->device, rr.device, sizeof r->device);
    }
    weft_lp_result_free(ctx, &rr);
    weft_free(ctx, xw);
    weft_free(ctx, yw);
    return st;
}

weft_status weft_lp_solve(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                          weft_lp_result *r)
{
    if (!ctx || !p || !r) return WEFT_ERR_INVALID_ARG;
    weft_lp_options o;
    if (opt) o = *opt;
    else weft_lp_options_default(&o);
    if (!o.presolve) return lp_solve_with(ctx, p, &o, NULL, r);
    double t0 = lp_now();
    lp_presolve *ps = NULL;
    int st = lp_check_options(ctx, &o);
    if (!st) st = weft_lp_problem_validate(ctx, p);
    if (!st) st = lp_presolve_create(ctx, p, &ps);
    if (st || !ps) return st ? st : lp_solve_with(ctx, p, &o, NULL, r);
    if (o.verbose) {
        const weft_lp_problem *red = lp_presolve_reduced(ps);
        weft_log(ctx, WEFT_LOG_INFO, "presolve: %d rows, %d columns, %d nonzeros left of %d, %d, %d",
                 red->n_rows, red->n_cols, red->nnz, p->n_rows, p->n_cols, p->nnz);
    }
    st = solve_reduced(ctx, p, ps, &o, r);
    lp_presolve_destroy(ctx, &ps);
    /* a verdict of infeasibility is proven on p itself, so that its certificate is p's */
    if (!st && (r->outcome == WEFT_LP_PRIMAL_INFEASIBLE || r->outcome == WEFT_LP_DUAL_INFEASIBLE)) {
        double spent = lp_now() - t0;
        int64_t used = r->iterations;
        weft_lp_result_free(ctx, r);
        if (o.time_limit > 0) o.time_limit = fmax(o.time_limit - spent, 1e-3);
        if (o.iteration_limit > 0) o.iteration_limit = used < o.iteration_limit ? o.iteration_limit - used : 1;
        st = lp_solve_with(ctx, p, &o, NULL, r);
        if (!st) r->time_s += spent;
        return st;
    }
    if (!st) r->time_s = lp_now() - t0;
    return st;
}

int lp_solve_with(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                  const lp_scaled *M, weft_lp_result *r)
{
    return lp_solve_normed(ctx, p, opt, M, NULL, r);
}

int lp_solve_normed(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                    const lp_scaled *M, const double *norms, weft_lp_result *r)
{
    if (!ctx || !p || !r) return WEFT_ERR_INVALID_ARG;
    weft_lp_options o;
    if (opt) o = *opt;
    else weft_lp_options_default(&o);
    double t0 = lp_now();
    int st = lp_check_options(ctx, &o);
    if (!st) st = weft_lp_problem_validate(ctx, p);
    if (!st) st = lp_result_alloc(ctx, p, r);
    if (st) return st;

    lp_scaled *S = NULL;
    weft_backend *be = NULL;
    double *xs = NULL, *ys = NULL, *xw = NULL, *yw = NULL;
    st = M ? lp_scaled_create_shared(ctx, p, M, &S) : lp_scaled_create(ctx, p, &o, &S);
    if (!st && norms) {
        S->sc.norm_b = norms[0];
        S->sc.norm_c = norms[1];
    }
    if (!st) st = warm_start(ctx, p, S, &o, &xw, &yw);
    if (!st) st = weft_backend_open(ctx, weft_context_device(ctx), &be);
    if (st) goto cleanup;
    snprintf(r->device, sizeof r->device, "%s", be->description);
    xs = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof(double));
    ys = weft_calloc(ctx, (size_t)p->n_rows + 1, sizeof(double));
    if (!xs || !ys) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "out of memory for an LP solve");
        goto cleanup;
    }
    st = lp_pdhg_run(ctx, be, S, &o, xw, yw, r, xs, ys);
    if (!st) lp_recover(p, S, &S->sc, xs, ys, r);
cleanup:
    r->time_s = lp_now() - t0;
    weft_backend_close(&be);
    lp_scaled_destroy(ctx, &S);
    weft_free(ctx, xs);
    weft_free(ctx, ys);
    weft_free(ctx, xw);
    weft_free(ctx, yw);
    if (st) weft_lp_result_free(ctx, r);
    return st;
}
