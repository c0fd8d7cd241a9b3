/* The plots of a job's results, as SVG (host/io/svg.c): the dispatch stack with the price line,
 * the battery state of charge, and the delivery routes drawn along the road network. */
#ifndef WEFT_JOB_PLOTS_H
#define WEFT_JOB_PLOTS_H

#include "dcopf.h"
#include "weft/roads.h"
#include "weft/route.h"

#define WEFT_PLOT_MAX_PERIODS 744 /* a month of hours: longer horizons are unreadable as steps */
#define WEFT_PLOT_MAX_STORAGE 8

/* Supply by source stacked per hour (solar, battery, imports, gas, shed; charging below zero), the
 * load, and on a second scale the load-weighted, lowest and highest LMP. */
weft_status weft_plot_dispatch(weft_context *ctx, const weft_grid *g, const weft_dcopf_result *d,
                               const char *title, const char *path);
/* State of charge of each storage unit over the day, with the tie-line price for context. */
weft_status weft_plot_battery(weft_context *ctx, const weft_grid *g, const weft_dcopf_result *d,
                              const char *title, const char *path);
/* Roads in grey by speed class, each route along its time-shortest road path, depots and stops.
 * Without roads (or without road nodes) the routing module's straight-line map is written. */
weft_status weft_plot_routes(weft_context *ctx, const weft_roads *r, const weft_vrp *v,
                             const weft_vrp_solution *sol, const char *title, const char *path);

#endif
