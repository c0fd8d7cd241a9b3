/* weft: a power grid for dispatch studies.
 *
 * Tables are column arrays (one array per field, like the /grid group of the HDF5 schema in
 * datasets/SCHEMA.md). Cross-references are 0-based indices into the bus table. Powers are MW,
 * energies MWh, angles degrees, impedances per unit on base_mva, prices currency/MWh, generator
 * costs currency/h as a function of MW. Time series are [n_periods x members], row-major.
 * An infinite limit (+-INFINITY) means "no limit". */
#ifndef WEFT_GRID_H
#define WEFT_GRID_H

#include <stdint.h>
#include "weft/context.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { WEFT_BUS_PQ = 1, WEFT_BUS_PV = 2, WEFT_BUS_REF = 3, WEFT_BUS_ISOLATED = 4 };
enum { WEFT_COST_PWL = 1, WEFT_COST_POLY = 2 }; /* MATPOWER's gencost model numbers */

typedef struct weft_grid {
    char *name;
    double base_mva;   /* MVA */
    double voll;       /* value of lost load, currency/MWh; 0 disables load shedding */
    double period_h;   /* hours per period */
    int32_t n_periods; /* rows of every time series */

    int32_t n_bus;
    int32_t *bus_id;      /* external number (MATPOWER bus_i) */
    int32_t *bus_type;    /* WEFT_BUS_* */
    double *bus_base_kv;  /* kV */
    double *bus_gs;       /* MW consumed by the shunt at 1 p.u. voltage */
    double *bus_bs;       /* MVAr injected by the shunt at 1 p.u. voltage (unused in DC) */

    int32_t n_branch;
    int32_t *br_from, *br_to, *br_status;
    double *br_r, *br_x, *br_b; /* p.u. */
    double *br_rate_a;          /* MW, INFINITY = unlimited */
    double *br_tap;             /* off-nominal ratio, 1 for a line */
    double *br_shift;           /* phase shift, degrees */
    double *br_angmin, *br_angmax; /* degrees, +-INFINITY = none */

    int32_t n_gen;
    int32_t *gen_bus, *gen_status;
    double *gen_pmin, *gen_pmax; /* MW */
    double *gen_ramp;            /* MW per hour, INFINITY = unlimited */
    int32_t *gen_cost_model;     /* WEFT_COST_POLY: c2 p^2 + c1 p + c0; WEFT_COST_PWL: points */
    double *gen_c2, *gen_c1, *gen_c0;
    char **gen_tech;             /* technology or fuel, "" if unknown */
    /* piecewise-linear cost points, generator by generator, MW ascending */
    int32_t n_pwl;
    int32_t *pwl_gen;
    double *pwl_mw, *pwl_cost; /* MW, currency/h */

    int32_t n_storage;
    int32_t *sto_bus;
    double *sto_charge_max, *sto_discharge_max; /* MW */
    double *sto_energy_max;                     /* MWh */
    double *sto_eta_charge, *sto_eta_discharge; /* in (0, 1] */
    double *sto_soc_initial, *sto_soc_final;    /* MWh; the final one is a lower bound */

    int32_t n_renewable;
    int32_t *ren_bus;
    double *ren_capacity;     /* MW */
    char **ren_tech;
    double *ren_availability; /* [n_periods x n_renewable], fraction of capacity in [0, 1] */

    double *load;             /* [n_periods x n_bus], MW */

    int32_t n_tie;
    int32_t *tie_bus;
    double *tie_import_max;   /* MW */
    double *tie_price;        /* [n_periods x n_tie], currency/MWh */
} weft_grid;

typedef struct weft_grid_sizes {
    int32_t n_periods, n_bus, n_branch, n_gen, n_pwl, n_storage, n_renewable, n_tie;
} weft_grid_sizes;

/* Allocates every table for the given sizes. Defaults: base_mva 100, voll 10000, period_h 1,
 * statuses 1, taps 1, eta 1, rate/ramp/angle limits unlimited, technologies "", the rest 0. */
WEFT_API weft_status weft_grid_create(weft_context *ctx, const weft_grid_sizes *sizes, weft_grid **out);
WEFT_API void weft_grid_destroy(weft_context *ctx, weft_grid **g);
/* Bus references exist, limits ordered, no NaN, no negative capacity. The message names the
 * dataset (as in the HDF5 schema) and the row: "grid: /grid/generator/pmax[3] ...". */
WEFT_API weft_status weft_grid_validate(weft_context *ctx, const weft_grid *g);

/* HDF5 /grid group (datasets/SCHEMA.md). The reader validates. */
WEFT_API weft_status weft_grid_read_h5(weft_context *ctx, const char *path, weft_grid **out);
WEFT_API weft_status weft_grid_write_h5(weft_context *ctx, const weft_grid *g, const char *path);

/* MATPOWER case file (.m). Errors name the file and line. */
WEFT_API weft_status weft_matpower_read(weft_context *ctx, const char *path, weft_grid **out);

#ifdef __cplusplus
}
#endif
#endif
