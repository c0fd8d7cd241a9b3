/* weft: vehicle routing. An instance is plain data the caller (or a reader) fills in: depots,
 * customers with multi-dimensional demand, service time and a hard time window, fleet types with a
 * count, capacities, costs, a shift and a maximum duration, and the distance and time matrices over
 * locations numbered depots first, then customers.
 *
 * Units: distances in km, times in the instance's time unit (time_unit, "s" | "min" | "h"), money
 * in any currency. A route of type t costs fixed_cost[t] + cost_per_km[t] * km
 * + cost_per_hour[t] * hours, where its duration runs from leaving the depot to coming back,
 * waiting and service included, with the departure delayed as late as helps. An unserved customer
 * costs its penalty; a customer without a penalty must be served. */
#ifndef WEFT_ROUTE_H
#define WEFT_ROUTE_H

#include <stdint.h>
#include "weft/context.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How distances follow from coordinates: each benchmark set's best-known values assume one. */
typedef enum weft_vrp_distance {
    WEFT_VRP_DIST_EXACT = 0, /* Euclidean, unrounded */
    WEFT_VRP_DIST_ROUND,     /* nearest integer (TSPLIB nint: CVRPLIB X) */
    WEFT_VRP_DIST_TRUNC1,    /* truncated to one decimal (DIMACS Solomon / Gehring-Homberger) */
    WEFT_VRP_DIST_MATRIX     /* given as matrices, coordinates only for drawing */
} weft_vrp_distance;

typedef struct weft_vrp {
    char *name;
    int32_t n_depots, n_customers, n_types, dims;
    weft_vrp_distance convention;
    int lonlat;          /* coordinates are lon/lat degrees (haversine km), else planar km */
    double speed;        /* km per time unit, for times from coordinates */
    char time_unit[8];   /* "s", "min" or "h" */

    /* depots [n_depots] */
    double *depot_x, *depot_y, *depot_open, *depot_close;
    int32_t *depot_node; /* road-graph node, -1 if none */
    char **depot_name;   /* may be NULL */

    /* customers [n_customers] (demand is n_customers x dims, row-major) */
    double *x, *y, *demand, *service, *tw_open, *tw_close;
    double *penalty;     /* NULL: every customer must be served; +inf entries must be served */
    int32_t *node, *id;  /* id: the number in the source file, used in every output */
    char **cust_name;    /* may be NULL */

    /* fleet types [n_types] (capacity is n_types x dims) */
    int32_t *count, *type_depot;
    double *capacity, *fixed_cost, *cost_per_km, *cost_per_hour;
    double *shift_start, *shift_end, *max_duration; /* max_duration +inf: none */
    char **type_name;    /* may be NULL */

    /* (n_depots + n_customers)^2 row-major; built by weft_vrp_build_matrices unless given */
    double *dist, *time;
} weft_vrp;

/* Distances and times are dense (depots + customers)^2 matrices: 30000 locations is 14 GB. */
#define WEFT_VRP_MAX_LOCATIONS 30000

/* Allocates every array for the sizes (names, penalty and matrices left NULL), with neutral
 * defaults: windows [0, +inf), one vehicle per type, cost_per_km 1, speed 1, time unit "min". */
WEFT_API weft_status weft_vrp_create(weft_context *ctx, int32_t n_depots, int32_t n_customers,
                                     int32_t n_types, int32_t dims, weft_vrp **out);
WEFT_API void weft_vrp_destroy(weft_context *ctx, weft_vrp **p);
/* Fills dist and time from the coordinates with the instance's convention (not for MATRIX). */
WEFT_API weft_status weft_vrp_build_matrices(weft_context *ctx, weft_vrp *v);
/* Checks sizes, NaN, negative demand/capacity/service/costs, windows, depot indices, and that every
 * customer fits some vehicle and can be reached and served within some vehicle's shift. The message
 * names the field and the row (with `what`, the file name, in front). */
WEFT_API weft_status weft_vrp_validate(weft_context *ctx, const weft_vrp *v, const char *what);
WEFT_API const char *weft_vrp_distance_name(weft_vrp_distance d);
/* -1 if the name is unknown. */
WEFT_API int weft_vrp_distance_parse(const char *name);
/* Hours per time unit of the instance. */
WEFT_API double weft_vrp_hours_per_unit(const weft_vrp *v);

/* Readers and writers (host/io). Each reader returns a validated instance with its matrices. */
typedef enum weft_solomon_rounding {
    WEFT_SOLOMON_TRUNC1 = 0, /* default: the distance-min best-known values (bks_value) */
    WEFT_SOLOMON_EXACT       /* the hierarchical vehicles-then-distance values (hier_*) */
} weft_solomon_rounding;
WEFT_API weft_status weft_read_cvrplib(weft_context *ctx, const char *path, weft_vrp **out);
/* The same with the distance convention chosen: -1 = the set's own (CVRP: round, VRPTW: trunc1). */
WEFT_API weft_status weft_read_vrplib(weft_context *ctx, const char *path, int convention, weft_vrp **out);
/* Solomon / Gehring-Homberger text format, or a VRPLIB VRPTW .vrp file (recognised by content). */
WEFT_API weft_status weft_read_solomon(weft_context *ctx, const char *path, weft_solomon_rounding r,
                                       weft_vrp **out);
/* /logistics of a fleet file (datasets/SCHEMA.md). */
WEFT_API weft_status weft_read_fleet(weft_context *ctx, const char *path, weft_vrp **out);
WEFT_API weft_status weft_write_fleet(weft_context *ctx, const weft_vrp *v, const char *path);

/* A solution: routes as customer indices (0-based, into the instance's customers). */
typedef struct weft_vrp_solution {
    int32_t n_routes;
    int32_t *route_type;  /* [n_routes] */
    int32_t *route_start; /* [n_routes + 1] offsets into visits */
    int32_t *visits;      /* [n_customers at most] */
    int32_t n_unserved;
    int32_t *unserved;    /* [n_unserved] */
    double cost;          /* fixed + distance + time + penalty */
    double fixed_cost, distance_cost, time_cost, penalty_cost;
    double distance;      /* km, all routes */
    int feasible;         /* every must-serve customer served, every constraint met */
} weft_vrp_solution;

WEFT_API void weft_vrp_solution_destroy(weft_context *ctx, weft_vrp_solution **p);

typedef enum weft_vrp_objective {
    WEFT_VRP_OBJ_COST = 0,
    WEFT_VRP_OBJ_VEHICLES_THEN_COST
} weft_vrp_objective;

typedef enum weft_vrp_outcome {
    WEFT_VRP_UNSOLVED = 0,
    WEFT_VRP_ITERATION_LIMIT, /* ran the iterations asked for */
    WEFT_VRP_TIME_LIMIT,
    WEFT_VRP_INTERRUPTED
} weft_vrp_outcome;

/* How the local search after a new best solution runs. */
typedef enum weft_vrp_local_search {
    WEFT_VRP_LS_AUTO = 0, /* batched where moves go to an OpenCL device, else first improvement */
    WEFT_VRP_LS_FIRST,    /* first improvement, one move at a time, on the host */
    WEFT_VRP_LS_BATCHED   /* each customer's whole granular neighbourhood evaluated in one launch on
                             the backend (the cpu one if device names none), the best improving moves
                             on disjoint routes applied together */
} weft_vrp_local_search;

typedef void (*weft_vrp_progress_fn)(void *user, double seconds, double cost, int32_t vehicles,
                                     int32_t unserved);

typedef struct weft_vrp_options {
    double time_limit;        /* seconds, 0 = none */
    int64_t iteration_limit;  /* ruin-and-recreate iterations, 0 = none (then time_limit needed) */
    uint64_t seed;
    weft_vrp_objective objective;
    weft_vrp_progress_fn progress; /* called on each new best; may be NULL */
    void *progress_user;
    /* Where insertion moves are evaluated: NULL or "cpu" on the host; a backend spec ("cl:cpu",
     * "cl:gpu", "auto", ...) through that backend's vrp_best_insertions. The same seed,
     * iteration limit and local search give the same solution either way (AUTO is batched on an
     * OpenCL device and first improvement on the host: BATCHED on the host matches the device). */
    const char *device;
    weft_vrp_local_search local_search;
} weft_vrp_options;

/* Defaults: no limits (set one), seed 1, cost objective. */
WEFT_API void weft_vrp_options_default(weft_vrp_options *o);

typedef struct weft_vrp_result {
    weft_vrp_outcome outcome;
    int64_t iterations;
    double seconds;
    const char *backend; /* "cpu" or "opencl": where moves were evaluated */
} weft_vrp_result;

/* Solves; *out receives the best solution found (a partial one with unserved customers when no
 * complete one was found). With an iteration limit and no time limit, a seed gives one answer. */
WEFT_API weft_status weft_vrp_solve(weft_context *ctx, const weft_vrp *v, const weft_vrp_options *o,
                                    weft_vrp_solution **out, weft_vrp_result *res);

/* Walks a solution: per-visit arrival and service start, load after each visit, the route's
 * duration and cost. Arrays are sized like sol->visits / sol->n_routes and may be NULL. Also
 * recomputes sol's cost fields and feasibility. */
typedef struct weft_vrp_schedule {
    double *arrival, *start;  /* [visits] */
    double *load;             /* [visits x dims]: load still on board when leaving the visit */
    double *route_distance, *route_duration, *route_cost, *route_departure; /* [n_routes] */
} weft_vrp_schedule;
WEFT_API weft_status weft_vrp_evaluate(weft_context *ctx, const weft_vrp *v, weft_vrp_solution *sol,
                                       weft_vrp_schedule *sched);

/* Results file (/results/route) and the SVG map. */
WEFT_API weft_status weft_write_route_results(weft_context *ctx, const weft_vrp *v,
                                              weft_vrp_solution *sol, const char *path);
WEFT_API weft_status weft_write_route_svg(weft_context *ctx, const weft_vrp *v,
                                          const weft_vrp_solution *sol, const char *path);

#ifdef __cplusplus
}
#endif
#endif
