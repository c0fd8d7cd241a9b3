/* weft_lp_solve: validate, scale, open the device, run PDHG, unscale and recover duals. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/lp_internal.h"

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

/* x = d2 x~ / tb, y = sense d1 y~ / tc; reduced costs and row activities from the original data. */
void lp_recover(const weft_lp_problem *p, const lp_scaled *S, const lp_scalars *sc, const double *xs,
                const double *ys, weft_lp_result *r)
{
    int ray = r->has_certificate;
    for (int32_t j = 0; j < S->n; j++) r->x[j] = S->d2[j] * xs[j] / sc->tb;
    for (int32_t i = 0; i < S->m; i++) r->y[i] = p->sense * S->d1[i] * ys[i] / sc->tc;
    for (int32_t j = 0; j < S->n; j++) r->z[j] = ray ? 0 : p->obj[j] + (p->q ? p->q[j] * r->x[j] : 0);
    for (int32_t i = 0; i < S->m; i++) {
        double act = 0;
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            act += p->val[k] * r->x[p->col_idx[k]];
            r->z[p->col_idx[k]] -= p->val[k] * r->y[i];
        }
        r->row_act[i] = act;
    }
    /* the solver minimizes sense * objective; report in the problem's own sense */
    r->objective *= p->sense;
    r->dual_objective *= p->sense;
}

int lp_result_alloc(weft_context *ctx, const weft_lp_problem *p, weft_lp_result *r)
{
    memset(r, 0, sizeof *r);
    r->n_cols = p->n_cols;
    r->n_rows = p->n_rows;
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

weft_status weft_lp_solve(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                          weft_lp_result *r)
{
    return lp_solve_with(ctx, p, opt, NULL, r);
}

int lp_solve_with(weft_context *ctx, const weft_lp_problem *p, const weft_lp_options *opt,
                  const lp_scaled *M, weft_lp_result *r)
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
