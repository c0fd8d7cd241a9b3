/* Multi-period DC optimal power flow in B-theta form, built as a weft_lp_problem.
 *
 * Per period t and in per unit of base_mva: generator output pg (limits, ramp rows between periods,
 * quadratic cost exact through q, piecewise-linear cost through an epigraph column per generator),
 * bus angles theta (reference buses fixed at 0), branch flows f with f = b (theta_f - theta_t - shift)
 * bounded by +-rate_a, angle-difference rows, storage charge/discharge/state of charge, renewable
 * output up to its availability (the rest is curtailment), tie-line imports at a price, and load
 * shedding at the value of lost load. The nodal balance rows carry the LMPs.
 *
 * The objective is divided by cost_scale (about the largest marginal generation cost per p.u.) so a
 * first-order solver sees costs of order one; results are converted back to MW, MWh and currency. */
#ifndef WEFT_DCOPF_H
#define WEFT_DCOPF_H

#include "weft/grid.h"
#include "weft/lp.h"

typedef enum {
    WEFT_DC_MATPOWER = 0,   /* rundcopf: b = 1/(x tap), phase shifts as injections */
    WEFT_DC_POWERMODELS = 1 /* DCPPowerModel: b = x/(r^2+x^2), taps and shifts ignored */
} weft_dc_convention;

typedef struct weft_dcopf_options {
    weft_dc_convention convention;
    int32_t periods; /* 0: the grid's; more than the grid has: its series repeat */
} weft_dcopf_options;

typedef struct weft_dcopf {
    const weft_grid *grid; /* borrowed */
    weft_dc_convention convention;
    int32_t T;
    double cost_scale; /* currency per unit of LP objective */
    weft_lp_problem *lp;
    /* column blocks, column = block + t * members + member */
    int32_t c_pg, c_theta, c_flow, c_shed, c_charge, c_discharge, c_soc, c_ren, c_tie, c_cost;
    int32_t n_cost;     /* generators with a piecewise-linear cost (one epigraph column each) */
    int32_t *cost_slot; /* [n_gen]: index among them, or -1 */
    int32_t *row_bal;   /* [T x n_bus]: nodal balance row, -1 for an isolated bus */
    double *b;          /* [n_branch]: series susceptance used, p.u. (0 when out of service) */
} weft_dcopf;

typedef struct weft_dcopf_result {
    int32_t T;
    double objective;  /* currency over the horizon (currency/h times hours) */
    double *pg;        /* [T x n_gen] MW */
    double *flow;      /* [T x n_branch] MW, from -> to */
    double *mu_flow;   /* [T x n_branch] currency/MWh: shadow price of the thermal limit,
                          > 0 when binding from -> to, < 0 when binding to -> from */
    double *theta;     /* [T x n_bus] degrees */
    double *lmp;       /* [T x n_bus] currency/MWh (MATPOWER's lam_P); NaN at isolated buses */
    double *shed;      /* [T x n_bus] MW */
    double *soc;       /* [T x n_storage] MWh at the end of the period */
    double *charge, *discharge; /* [T x n_storage] MW */
    double *renewable, *curtailment; /* [T x n_renewable] MW */
    double *tie;       /* [T x n_tie] MW */
    int32_t n_binding; /* (period, branch) pairs at their thermal limit */
    int32_t *binding_period, *binding_branch;
    double lmp_min, lmp_max;
} weft_dcopf_result;

weft_status weft_dcopf_build(weft_context *ctx, const weft_grid *g, const weft_dcopf_options *opt,
                             weft_dcopf **out);
void weft_dcopf_destroy(weft_context *ctx, weft_dcopf **m);
/* Turns a solution of m->lp (x, y, z) into grid quantities. */
weft_status weft_dcopf_extract(weft_context *ctx, const weft_dcopf *m, const double *x, const double *y,
                               const double *z, double lp_objective, weft_dcopf_result *r);
void weft_dcopf_result_free(weft_context *ctx, weft_dcopf_result *r);
/* /results/dispatch in a new HDF5 file (written to a temporary name, renamed when complete). */
weft_status weft_dcopf_result_write_h5(weft_context *ctx, const weft_dcopf *m, const weft_dcopf_result *r,
                                       const weft_lp_result *lp, const char *path);

#endif
