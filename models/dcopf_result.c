/* From an LP solution of the DC-OPF back to MW, MWh, degrees and currency/MWh. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "dcopf.h"

/* A flow within this fraction of its rating counts as binding. */
#define BINDING_REL 1e-4

void weft_dcopf_result_free(weft_context *ctx, weft_dcopf_result *r)
{
    if (!r) return;
    double **arrays[] = {&r->pg, &r->flow, &r->mu_flow, &r->theta, &r->lmp, &r->shed, &r->soc, &r->charge,
                         &r->discharge, &r->renewable, &r->curtailment, &r->tie};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) weft_free(ctx, *arrays[i]);
    weft_free(ctx, r->binding_period);
    weft_free(ctx, r->binding_branch);
    memset(r, 0, sizeof *r);
}

/* out[t][i] = scale * x[block + t*n + i] for every period. */
static int block(weft_context *ctx, double **out, const double *x, int32_t blk, int32_t T, int32_t n, double scale)
{
    *out = weft_calloc(ctx, (size_t)T * (size_t)n + 1, sizeof(double));
    if (!*out) return WEFT_ERR_NOMEM;
    for (size_t k = 0; k < (size_t)T * (size_t)n; k++) (*out)[k] = scale * x[(size_t)blk + k];
    return WEFT_OK;
}

static int binding(weft_context *ctx, const weft_dcopf *m, weft_dcopf_result *r)
{
    const weft_grid *g = m->grid;
    size_t n = (size_t)m->T * (size_t)g->n_branch, k, c = 0;
    int32_t *is = weft_calloc(ctx, n + 1, sizeof(int32_t));
    if (!is) return WEFT_ERR_NOMEM;
    for (k = 0; k < n; k++) {
        double rate = g->br_rate_a[k % (size_t)g->n_branch];
        is[k] = isfinite(rate) && rate > 0 && fabs(r->flow[k]) >= rate * (1 - BINDING_REL) && g->br_status[k % g->n_branch];
        c += (size_t)is[k];
    }
    r->binding_period = weft_calloc(ctx, c + 1, sizeof(int32_t));
    r->binding_branch = weft_calloc(ctx, c + 1, sizeof(int32_t));
    if (!r->binding_period || !r->binding_branch) {
        weft_free(ctx, is);
        return WEFT_ERR_NOMEM;
    }
    for (k = 0, c = 0; k < n; k++) {
        if (!is[k]) continue;
        r->binding_period[c] = (int32_t)(k / (size_t)g->n_branch);
        r->binding_branch[c++] = (int32_t)(k % (size_t)g->n_branch);
    }
    r->n_binding = (int32_t)c;
    weft_free(ctx, is);
    return WEFT_OK;
}

static void prices(const weft_dcopf *m, const double *y, const double *z, weft_dcopf_result *r)
{
    const weft_grid *g = m->grid;
    /* LP duals are per p.u. of objective per p.u. of power and per period */
    double k = m->cost_scale / (g->base_mva * g->period_h);
    r->lmp_min = INFINITY;
    r->lmp_max = -INFINITY;
    for (size_t i = 0; i < (size_t)m->T * (size_t)g->n_bus; i++) {
        int32_t row = m->row_bal[i];
        r->lmp[i] = row < 0 ? NAN : y[row] * k;
        if (row < 0) continue;
        r->lmp_min = fmin(r->lmp_min, r->lmp[i]);
        r->lmp_max = fmax(r->lmp_max, r->lmp[i]);
    }
    for (size_t i = 0; i < (size_t)m->T * (size_t)g->n_branch; i++)
        r->mu_flow[i] = -z[(size_t)m->c_flow + i] * k;
}

weft_status weft_dcopf_extract(weft_context *ctx, const weft_dcopf *m, const double *x, const double *y,
                               const double *z, double lp_objective, weft_dcopf_result *r)
{
    const weft_grid *g = m->grid;
    double base = g->base_mva;
    int32_t T = m->T;
    memset(r, 0, sizeof *r);
    r->T = T;
    r->objective = lp_objective * m->cost_scale;
    int st = block(ctx, &r->pg, x, m->c_pg, T, g->n_gen, base);
    if (!st) st = block(ctx, &r->flow, x, m->c_flow, T, g->n_branch, base);
    /* scale 0: zero-filled arrays of the right shape, filled from the duals by prices() */
    if (!st) st = block(ctx, &r->mu_flow, x, m->c_flow, T, g->n_branch, 0);
    if (!st) st = block(ctx, &r->theta, x, m->c_theta, T, g->n_bus, 180 / M_PI);
    if (!st) st = block(ctx, &r->lmp, x, m->c_theta, T, g->n_bus, 0);
    if (!st) st = block(ctx, &r->shed, x, m->c_shed, T, g->n_bus, base);
    if (!st) st = block(ctx, &r->soc, x, m->c_soc, T, g->n_storage, base);
    if (!st) st = block(ctx, &r->charge, x, m->c_charge, T, g->n_storage, base);
    if (!st) st = block(ctx, &r->discharge, x, m->c_discharge, T, g->n_storage, base);
    if (!st) st = block(ctx, &r->renewable, x, m->c_ren, T, g->n_renewable, base);
    if (!st) st = block(ctx, &r->curtailment, x, m->c_ren, T, g->n_renewable, -base); /* completed below */
    if (!st) st = block(ctx, &r->tie, x, m->c_tie, T, g->n_tie, base);
    if (!st) st = binding(ctx, m, r);
    if (st) {
        weft_dcopf_result_free(ctx, r);
        return weft_error(ctx, WEFT_ERR_NOMEM, "dcopf: out of memory for the results");
    }
    for (int32_t t = 0; t < T; t++)
        for (int32_t i = 0; i < g->n_renewable; i++) {
            size_t k = (size_t)t * g->n_renewable + i;
            double avail = g->ren_capacity[i] * g->ren_availability[(size_t)(t % g->n_periods) * g->n_renewable + i];
            r->curtailment[k] = fmax(0, avail + r->curtailment[k]); /* held -output */
        }
    prices(m, y, z, r);
    return WEFT_OK;
}
