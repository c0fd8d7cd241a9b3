/* The Kunshan scenario as a whole: options, building every part, and the job file. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "core/context_internal.h"
#include "io/h5copy.h"
#include "kunshan.h"

void weft_kunshan_defaults(weft_kunshan_options *o)
{
    o->n_bus = 300;
    o->n_customers = 300;
    o->n_road_nodes = 30000;
    o->seed = 1;
}

weft_status weft_kunshan_check(weft_context *ctx, const weft_kunshan_options *o)
{
    if (o->n_bus < 24 || o->n_bus > 100000)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "kunshan scenario: buses %d outside 24..100000", o->n_bus);
    if (o->n_customers < 1 || o->n_customers > 20000)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "kunshan scenario: customers %d outside 1..20000", o->n_customers);
    if (o->n_road_nodes < 2000 || o->n_road_nodes > 50000000)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "kunshan scenario: road nodes %d outside 2000..50000000",
                          o->n_road_nodes);
    return WEFT_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

weft_status weft_kunshan_build(weft_context *ctx, const weft_kunshan_options *o, weft_kunshan *k)
{
    *k = (weft_kunshan){.congested_branch = -1};
    int st = weft_kunshan_grid(ctx, o, &k->grid, &k->congested_branch);
    if (!st) st = weft_kunshan_logistics(ctx, o, &k->roads, &k->vrp);
    double t0 = now_s();
    if (!st) st = weft_kunshan_matrix(ctx, k->roads, k->vrp);
    k->matrix_seconds = now_s() - t0;
    if (!st) st = weft_vrp_validate(ctx, k->vrp, "kunshan scenario");
    if (st) weft_kunshan_free(ctx, k);
    return st;
}

void weft_kunshan_free(weft_context *ctx, weft_kunshan *k)
{
    weft_grid_destroy(ctx, &k->grid);
    weft_roads_destroy(&k->roads);
    weft_vrp_destroy(ctx, &k->vrp);
}

/* Each part through its own module's writer, then copied in. */
static int write_part(weft_context *ctx, const weft_kunshan *k, weft_h5 *job, int which)
{
    static const char *const group[] = {"/grid", "/roads", "/logistics"};
    char part[1200];
    weft_h5_part_path(part, sizeof part, job->path, group[which] + 1);
    int st = which == 0 ? weft_grid_write_h5(ctx, k->grid, part)
           : which == 1 ? weft_roads_write_h5(ctx, k->roads, part)
                        : weft_write_fleet(ctx, k->vrp, part);
    if (!st) st = weft_h5_copy_from(job, part, group[which]);
    remove(part);
    if (!st) st = weft_h5_attr_int(job, group[which], "synthetic", 1);
    if (!st) st = weft_h5_attr_string(job, group[which], "description", WEFT_KUNSHAN_LABEL);
    return st;
}

weft_status weft_kunshan_write_job(weft_context *ctx, const weft_kunshan *k, const char *path)
{
    weft_h5 job;
    int st = weft_h5_create(ctx, path, &job);
    if (st) return st;
    for (int which = 0; !st && which < 3; which++) st = write_part(ctx, k, &job, which);
    if (!st) st = weft_h5_attr_int(&job, "/", "synthetic", 1);
    if (!st) st = weft_h5_attr_string(&job, "/", "description", WEFT_KUNSHAN_LABEL);
    if (!st) st = weft_h5_attr_string(&job, "/", "job", "kunshan");
    if (!st) st = weft_h5_attr_string(&job, "/logistics", "demand_dimensions", "kg, m3");
    if (!st) st = weft_h5_attr_string(&job, "/logistics", "currency", "CNY");
    if (!st) st = weft_h5_attr_string(&job, "/grid", "currency", "CNY");
    if (!st) st = weft_h5_attr_int(&job, "/grid", "congested_branch", k->congested_branch);
    if (!st) st = weft_h5_commit(&job);
    weft_h5_close(&job);
    return st;
}
