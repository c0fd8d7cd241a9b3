/* Scenarios on a built DC-OPF. A scenario changes only vectors of the LP (the balance rows' right-hand
 * sides and the shedding columns for load, renewable column bounds for availability, tie-line column
 * costs for prices), never A: every scenario of a grid shares one matrix, which is what
 * weft_lp_solve_batch needs. */
#ifndef WEFT_DCOPF_SCENARIO_H
#define WEFT_DCOPF_SCENARIO_H

#include "dcopf.h"
#include "weft/scenarios.h"

/* Writes the objective, bounds, q and offset of scenario s into p, a problem shaped like m->lp whose
 * A is already set. m must have been built on the scenarios' grid with sc->periods periods. */
weft_status weft_dcopf_scenario_fill(const weft_dcopf *m, const weft_scenarios *sc, int32_t s, weft_lp_problem *p);

/* What a batch keeps of one solved scenario: everything its results file row needs. */
typedef struct weft_dcopf_scenario_result {
    int32_t scenario;
    int32_t outcome;        /* weft_lp_outcome */
    int64_t iterations;
    double objective;       /* currency over the horizon; NaN without a primal point */
    double time_s;
    double relative_kkt;    /* largest of the relative primal, dual residuals and gap */
    double unserved_mwh, curtailment_mwh, import_mwh;
    double *lmp;            /* [T x n_bus] currency/MWh, NaN at isolated buses */
} weft_dcopf_scenario_result;

/* From an LP solution of scenario s of m to its batch figures; r->lmp is allocated through ctx
 * (T x n_bus values) and freed with weft_free. */
weft_status weft_dcopf_scenario_result_make(weft_context *ctx, const weft_dcopf *m, const weft_scenarios *sc, int32_t s,
                                            const weft_lp_result *lp, weft_dcopf_scenario_result *r);

#endif
