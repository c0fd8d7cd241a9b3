/* /results/dispatch: the solution of a DC-OPF as tables per component, time series
 * [periods x members], and the thermal limits at their bound as a table of their own. */
#include <math.h>

#include "core/context_internal.h"
#include "dcopf.h"
#include "io/h5util.h"

#define R "/results/dispatch"

static int write_series(weft_h5 *h, const weft_dcopf *m, const weft_dcopf_result *r)
{
    const weft_grid *g = m->grid;
    const struct {
        const char *path;
        const double *v;
        int32_t n;
        const char *units;
    } s[] = {
        {R "/generator/p", r->pg, g->n_gen, "MW"},
        {R "/branch/flow", r->flow, g->n_branch, "MW"},
        {R "/branch/shadow_price", r->mu_flow, g->n_branch, "currency/MWh"},
        {R "/bus/theta", r->theta, g->n_bus, "deg"},
        {R "/bus/lmp", r->lmp, g->n_bus, "currency/MWh"},
        {R "/bus/shed", r->shed, g->n_bus, "MW"},
        {R "/storage/soc", r->soc, g->n_storage, "MWh"},
        {R "/storage/charge", r->charge, g->n_storage, "MW"},
        {R "/storage/discharge", r->discharge, g->n_storage, "MW"},
        {R "/renewable/p", r->renewable, g->n_renewable, "MW"},
        {R "/renewable/curtailment", r->curtailment, g->n_renewable, "MW"},
        {R "/tie_line/p", r->tie, g->n_tie, "MW"},
    };
    int st = WEFT_OK;
    for (size_t k = 0; !st && k < sizeof s / sizeof *s; k++)
        if (s[k].n > 0) st = weft_h5_write_real2(h, s[k].path, s[k].v, (size_t)r->T, (size_t)s[k].n, s[k].units);
    return st;
}

static int write_binding(weft_h5 *h, const weft_dcopf *m, const weft_dcopf_result *r)
{
    size_t n = (size_t)r->n_binding;
    double *flow = weft_calloc(h->ctx, n + 1, sizeof(double)), *mu = weft_calloc(h->ctx, n + 1, sizeof(double));
    int st = flow && mu ? WEFT_OK : weft_error(h->ctx, WEFT_ERR_NOMEM, "out of memory");
    for (size_t k = 0; !st && k < n; k++) {
        size_t at = (size_t)r->binding_period[k] * (size_t)m->grid->n_branch + (size_t)r->binding_branch[k];
        flow[k] = r->flow[at];
        mu[k] = r->mu_flow[at];
    }
    if (!st) st = weft_h5_write_int(h, R "/binding/period", r->binding_period, n, "1");
    if (!st) st = weft_h5_write_int(h, R "/binding/branch", r->binding_branch, n, "1");
    if (!st) st = weft_h5_write_real(h, R "/binding/flow", flow, n, "MW");
    if (!st) st = weft_h5_write_real(h, R "/binding/shadow_price", mu, n, "currency/MWh");
    weft_free(h->ctx, flow);
    weft_free(h->ctx, mu);
    return st;
}

weft_status weft_dcopf_result_write_h5(weft_context *ctx, const weft_dcopf *m, const weft_dcopf_result *r,
                                       const weft_lp_result *lp, const char *path)
{
    weft_h5 h;
    int st = weft_h5_create(ctx, path, &h);
    if (st) return st;
    st = weft_h5_make_group(&h, R);
    if (!st) st = weft_h5_attr_string(&h, R, "status", weft_lp_outcome_string(lp->outcome));
    if (!st) st = weft_h5_attr_real(&h, R, "objective", r->objective);
    if (!st) st = weft_h5_attr_string(&h, R, "objective_units", "currency");
    if (!st) st = weft_h5_attr_int(&h, R, "periods", r->T);
    if (!st) st = weft_h5_attr_real(&h, R, "period_hours", m->grid->period_h);
    if (!st) st = weft_h5_attr_string(&h, R, "convention", m->convention == WEFT_DC_POWERMODELS ? "powermodels" : "matpower");
    if (!st) st = weft_h5_attr_string(&h, R, "device", lp->device);
    if (!st) st = weft_h5_attr_real(&h, R, "time_s", lp->time_s);
    if (!st) st = weft_h5_attr_int(&h, R, "iterations", lp->iterations);
    if (!st) st = write_series(&h, m, r);
    if (!st) st = write_binding(&h, m, r);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    return st;
}
