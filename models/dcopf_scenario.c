/* Scenario vectors on a built DC-OPF (see dcopf_scenario.h), written with the same formulas as
 * dcopf.c's columns and rows; tests/test_batch_scenarios.c checks them against a full build of the
 * baked grid, so the two cannot drift apart unnoticed. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "dcopf_scenario.h"
#include "io/scenarios_internal.h"

static void copy_base(const weft_lp_problem *b, weft_lp_problem *p)
{
    size_t n = (size_t)b->n_cols, m = (size_t)b->n_rows;
    memcpy(p->obj, b->obj, n * sizeof(double));
    memcpy(p->col_lo, b->col_lo, n * sizeof(double));
    memcpy(p->col_up, b->col_up, n * sizeof(double));
    memcpy(p->row_lo, b->row_lo, m * sizeof(double));
    memcpy(p->row_up, b->row_up, m * sizeof(double));
    if (p->q && b->q) memcpy(p->q, b->q, n * sizeof(double));
    p->offset = b->offset;
}

/* Balance right-hand side and shedding column of each live bus (dcopf.c other_columns, balance_rows). */
static void loads(const weft_dcopf *m, const weft_scenarios *sc, int32_t s, int32_t t, weft_lp_problem *p)
{
    const weft_grid *g = m->grid;
    double base = g->base_mva, k = g->period_h / m->cost_scale * base;
    for (int32_t i = 0; i < g->n_bus; i++) {
        int32_t row = m->row_bal[(size_t)t * g->n_bus + i], j = m->c_shed + t * g->n_bus + i;
        if (row < 0) continue;
        double load = weft_scenario_load(sc, g, s, t, i);
        int can_shed = g->voll > 0 && load > 0;
        p->row_lo[row] = p->row_up[row] = (load + g->bus_gs[i]) / base;
        p->col_up[j] = can_shed ? load / base : 0;
        p->obj[j] = can_shed ? g->voll * k : 0;
    }
}

static void renewables_and_ties(const weft_dcopf *m, const weft_scenarios *sc, int32_t s, int32_t t,
                                weft_lp_problem *p)
{
    const weft_grid *g = m->grid;
    double base = g->base_mva, k = g->period_h / m->cost_scale * base;
    for (int32_t i = 0; i < g->n_renewable; i++) {
        int live = g->bus_type[g->ren_bus[i]] != WEFT_BUS_ISOLATED;
        p->col_up[m->c_ren + t * g->n_renewable + i] = weft_scenario_available(sc, g, s, t, i) * live / base;
    }
    for (int32_t i = 0; i < g->n_tie; i++) p->obj[m->c_tie + t * g->n_tie + i] = weft_scenario_price(sc, g, s, t, i) * k;
}

weft_status weft_dcopf_scenario_fill(const weft_dcopf *m, const weft_scenarios *sc, int32_t s, weft_lp_problem *p)
{
    if (!m || !sc || !p || s < 0 || s >= sc->count || m->T != sc->periods || p->n_cols != m->lp->n_cols ||
        p->n_rows != m->lp->n_rows)
        return WEFT_ERR_INVALID_ARG;
    copy_base(m->lp, p);
    for (int32_t t = 0; t < m->T; t++) {
        loads(m, sc, s, t, p);
        renewables_and_ties(m, sc, s, t, p);
    }
    return WEFT_OK;
}

static double kkt(const weft_lp_result *lp)
{
    return fmax(lp->primal_res_rel, fmax(lp->dual_res_rel, lp->gap_rel));
}

/* Energy totals over the horizon from the extracted dispatch. */
static void energies(const weft_dcopf *m, const weft_scenarios *sc, int32_t s, const weft_dcopf_result *d,
                     weft_dcopf_scenario_result *r)
{
    const weft_grid *g = m->grid;
    double h = g->period_h;
    for (int32_t t = 0; t < m->T; t++) {
        for (int32_t i = 0; i < g->n_bus; i++) r->unserved_mwh += d->shed[(size_t)t * g->n_bus + i] * h;
        for (int32_t i = 0; i < g->n_tie; i++) r->import_mwh += d->tie[(size_t)t * g->n_tie + i] * h;
        for (int32_t i = 0; i < g->n_renewable; i++) {
            double avail = weft_scenario_available(sc, g, s, t, i);
            r->curtailment_mwh += fmax(0, avail - d->renewable[(size_t)t * g->n_renewable + i]) * h;
        }
    }
}

weft_status weft_dcopf_scenario_result_make(weft_context *ctx, const weft_dcopf *m, const weft_scenarios *sc, int32_t s,
                                            const weft_lp_result *lp, weft_dcopf_scenario_result *r)
{
    const weft_grid *g = m->grid;
    size_t n = (size_t)m->T * (size_t)g->n_bus;
    memset(r, 0, sizeof *r);
    r->scenario = s;
    r->outcome = lp->outcome;
    r->iterations = lp->iterations;
    r->time_s = lp->time_s;
    r->relative_kkt = kkt(lp);
    r->objective = NAN;
    if (!(r->lmp = weft_calloc(ctx, n + 1, sizeof(double))))
        return weft_error(ctx, WEFT_ERR_NOMEM, "batch: out of memory for scenario %d", s);
    int has_x = lp->x && (lp->outcome == WEFT_LP_OPTIMAL || lp->outcome == WEFT_LP_TIME_LIMIT ||
                          lp->outcome == WEFT_LP_ITERATION_LIMIT);
    if (!has_x) {
        for (size_t k = 0; k < n; k++) r->lmp[k] = NAN;
        r->unserved_mwh = r->curtailment_mwh = r->import_mwh = NAN;
        return WEFT_OK;
    }
    weft_dcopf_result d;
    int st = weft_dcopf_extract(ctx, m, lp->x, lp->y, lp->z, lp->objective, &d);
    if (st) {
        weft_free(ctx, r->lmp);
        r->lmp = NULL;
        return st;
    }
    r->objective = d.objective;
    memcpy(r->lmp, d.lmp, n * sizeof(double));
    energies(m, sc, s, &d, r);
    weft_dcopf_result_free(ctx, &d);
    return WEFT_OK;
}
