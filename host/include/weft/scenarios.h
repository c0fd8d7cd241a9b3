/* weft: scenarios of a grid — per-scenario load, renewable availability and tie-line prices over T
 * periods (the /scenarios group of datasets/SCHEMA.md). Each profile is optional; absent ones leave
 * the grid's own series. Arrays are row-major: [S x T] or [S x T x members]. */
#ifndef WEFT_SCENARIOS_H
#define WEFT_SCENARIOS_H

#include <stdint.h>
#include "weft/context.h"
#include "weft/grid.h"

#ifdef __cplusplus
extern "C" {
#endif

/* More scenarios than this is taken as a corrupt or mistyped file rather than a study. */
#define WEFT_SCENARIOS_MAX 10000000

typedef struct weft_scenarios {
    int32_t count;            /* S >= 1 */
    int32_t periods;          /* T >= 1; period t uses the grid's series row t mod n_periods */
    int32_t n_bus, n_renewable, n_tie; /* the grid's member counts the arrays are shaped by */
    double *load_scale;       /* [S x T] factor on the grid's load of each bus, or NULL */
    double *load_p;           /* [S x T x n_bus] MW, or NULL (at most one of the two) */
    double *renewable_scale;  /* [S x T] factor on the grid's availability (capped at capacity), or NULL */
    double *renewable_p;      /* [S x T x n_renewable] MW available, or NULL (at most one of the two) */
    double *tie_price;        /* [S x T x n_tie] currency/MWh, or NULL */
    char **name;              /* [S] or NULL */
} weft_scenarios;

/* Zeroed scenarios of the given shape with no profile; profiles are allocated by the caller
 * through the context (weft_calloc) or by the reader. */
WEFT_API weft_status weft_scenarios_create(weft_context *ctx, int32_t count, int32_t periods, const weft_grid *g,
                                           weft_scenarios **out);
WEFT_API void weft_scenarios_destroy(weft_context *ctx, weft_scenarios **s);
/* Sizes agree with the grid, values finite, no negative load, scale or availability, availability
 * within capacity. Messages name `where` and the dataset with its index: "F: /scenarios/load_p[3,5,0] = nan". */
WEFT_API weft_status weft_scenarios_validate(weft_context *ctx, const weft_scenarios *s, const weft_grid *g,
                                             const char *where);
/* /scenarios of a file whose /grid is g (the reader validates against it). */
WEFT_API weft_status weft_scenarios_read_h5(weft_context *ctx, const char *path, const weft_grid *g,
                                            weft_scenarios **out);
/* Writes the grid file `grid_path`'s /grid (and its attributes) plus these scenarios to `path`
 * (temporary file, renamed when complete). synthetic != 0 labels the file as generated data. */
WEFT_API weft_status weft_scenarios_write_h5(weft_context *ctx, const weft_scenarios *s, const char *grid_path,
                                             int synthetic, const char *path);

/* Scenario s as a grid of its own (T periods, the profiles baked into load, availability and
 * price): what `weft dispatch` would solve for that scenario. */
WEFT_API weft_status weft_scenarios_bake(weft_context *ctx, const weft_scenarios *sc, int32_t s,
                                         const weft_grid *g, weft_grid **out);

/* Synthetic daily draws (24 periods each): seasonal and weekday load level with noise, solar
 * availability by season and cloudiness, tie-line prices following the load. Deterministic per
 * seed. Profiles the grid cannot use (no renewables, no tie-lines) are left out. */
typedef struct weft_scenario_gen_options {
    int32_t days;     /* scenarios */
    uint64_t seed;
    int32_t first_day; /* day of the year of scenario 0 (0 = 1 January) */
} weft_scenario_gen_options;

WEFT_API weft_status weft_scenarios_generate(weft_context *ctx, const weft_grid *g,
                                             const weft_scenario_gen_options *o, weft_scenarios **out);

#ifdef __cplusplus
}
#endif
#endif
