/* /results/route: the routes with their schedule, loads, costs, and the unserved customers. Customers
 * appear by their id (the number in the source file) and by their index in /logistics/customers. */
#include <math.h>
#include <stdio.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "weft/route.h"

#define R "/results/route"

typedef struct sched_buf {
    weft_vrp_schedule s;
    int32_t *ids, *unserved_ids;
} sched_buf;

static void sched_free(weft_context *ctx, sched_buf *b)
{
    void *p[] = {b->s.arrival, b->s.start, b->s.load, b->s.route_distance, b->s.route_duration, b->s.route_cost,
                 b->s.route_departure, b->ids, b->unserved_ids};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) weft_free(ctx, p[i]);
}

static int sched_alloc(weft_context *ctx, const weft_vrp *v, const weft_vrp_solution *sol, sched_buf *b)
{
    size_t nv = (size_t)sol->route_start[sol->n_routes] + 1, nr = (size_t)sol->n_routes + 1;
    b->s.arrival = weft_calloc(ctx, nv, sizeof(double));
    b->s.start = weft_calloc(ctx, nv, sizeof(double));
    b->s.load = weft_calloc(ctx, nv * v->dims, sizeof(double));
    b->s.route_distance = weft_calloc(ctx, nr, sizeof(double));
    b->s.route_duration = weft_calloc(ctx, nr, sizeof(double));
    b->s.route_cost = weft_calloc(ctx, nr, sizeof(double));
    b->s.route_departure = weft_calloc(ctx, nr, sizeof(double));
    b->ids = weft_calloc(ctx, nv, sizeof(int32_t));
    b->unserved_ids = weft_calloc(ctx, (size_t)sol->n_unserved + 1, sizeof(int32_t));
    if (!b->s.arrival || !b->s.start || !b->s.load || !b->s.route_distance || !b->s.route_duration ||
        !b->s.route_cost || !b->s.route_departure || !b->ids || !b->unserved_ids)
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing results: out of memory");
    for (size_t i = 0; i + 1 < nv; i++) b->ids[i] = v->id[sol->visits[i]];
    for (int i = 0; i < sol->n_unserved; i++) b->unserved_ids[i] = v->id[sol->unserved[i]];
    return WEFT_OK;
}

static int write_tables(weft_h5 *h, const weft_vrp *v, const weft_vrp_solution *sol, const sched_buf *b)
{
    size_t nv = (size_t)sol->route_start[sol->n_routes], nr = sol->n_routes;
    const char *tu = v->time_unit;
    int st = weft_h5_write_int(h, R "/route_type", sol->route_type, nr, "1");
    if (!st) st = weft_h5_write_int(h, R "/route_start", sol->route_start, nr + 1, "1");
    if (!st) st = weft_h5_write_real(h, R "/route_distance", b->s.route_distance, nr, "km");
    if (!st) st = weft_h5_write_real(h, R "/route_duration", b->s.route_duration, nr, tu);
    if (!st) st = weft_h5_write_real(h, R "/route_departure", b->s.route_departure, nr, tu);
    if (!st) st = weft_h5_write_real(h, R "/route_cost", b->s.route_cost, nr, "currency");
    if (!st) st = weft_h5_write_int(h, R "/visit_customer", sol->visits, nv, "1");
    if (!st) st = weft_h5_write_int(h, R "/visit_id", b->ids, nv, "1");
    if (!st) st = weft_h5_write_real(h, R "/arrival", b->s.arrival, nv, tu);
    if (!st) st = weft_h5_write_real(h, R "/service_start", b->s.start, nv, tu);
    if (!st) st = weft_h5_write_real2(h, R "/load", b->s.load, nv, v->dims, "1");
    if (!st) st = weft_h5_write_int(h, R "/unserved_customer", sol->unserved, sol->n_unserved, "1");
    if (!st) st = weft_h5_write_int(h, R "/unserved_id", b->unserved_ids, sol->n_unserved, "1");
    return st;
}

static int write_summary(weft_h5 *h, const weft_vrp_solution *sol)
{
    const char *names[] = {"cost", "fixed_cost", "distance_cost", "time_cost", "penalty_cost", "distance"};
    double vals[] = {sol->cost, sol->fixed_cost, sol->distance_cost, sol->time_cost, sol->penalty_cost, sol->distance};
    int st = WEFT_OK;
    for (size_t i = 0; !st && i < sizeof vals / sizeof *vals; i++) st = weft_h5_attr_real(h, R, names[i], vals[i]);
    if (!st) st = weft_h5_attr_int(h, R, "vehicles", sol->n_routes);
    if (!st) st = weft_h5_attr_int(h, R, "feasible", sol->feasible);
    return st;
}

weft_status weft_write_route_results(weft_context *ctx, const weft_vrp *v, weft_vrp_solution *sol, const char *path)
{
    sched_buf b = {0};
    weft_h5 h;
    int st = sched_alloc(ctx, v, sol, &b);
    if (!st) st = weft_vrp_evaluate(ctx, v, sol, &b.s);
    if (!st) st = weft_h5_create(ctx, path, &h);
    if (st) {
        sched_free(ctx, &b);
        return st;
    }
    st = weft_h5_make_group(&h, R);
    if (!st) st = write_tables(&h, v, sol, &b);
    if (!st) st = write_summary(&h, sol);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    sched_free(ctx, &b);
    return st;
}
