/* weft route FLEET.h5: vehicle routing on a fleet file; progress on stderr, a JSON summary with the
 * routes (customer ids as numbered in the source file), results and an SVG map on request. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_TIME_LIMIT 10.0

typedef struct progress {
    int quiet;
    double last_print;
} progress;

static void on_progress(void *user, double t, double cost, int32_t vehicles, int32_t unserved)
{
    progress *p = user;
    if (p->quiet || (t - p->last_print < 0.5 && t > 0.05)) return;
    p->last_print = t;
    fprintf(stderr, "  %8.2f s  best cost %14.4f  vehicles %4d%s", t, cost, vehicles, unserved ? "" : "\n");
    if (unserved) fprintf(stderr, "  unserved %d\n", unserved);
}

static json_t *routes_json(const weft_vrp *v, const weft_vrp_solution *sol)
{
    json_t *routes = json_array();
    for (int r = 0; r < sol->n_routes; r++) {
        json_t *route = json_array();
        for (int i = sol->route_start[r]; i < sol->route_start[r + 1]; i++)
            json_array_append_new(route, json_integer(v->id[sol->visits[i]]));
        json_array_append_new(routes, route);
    }
    return routes;
}

static void print_json(const weft_vrp *v, const weft_vrp_solution *sol, const weft_vrp_result *res,
                       const cli_args *a, const char *device)
{
    json_t *o = json_object(), *un = json_array();
    for (int i = 0; i < sol->n_unserved; i++) json_array_append_new(un, json_integer(v->id[sol->unserved[i]]));
    const char *status = !sol->feasible ? "partial" : res->outcome == WEFT_VRP_TIME_LIMIT ? "time_limit" : "iteration_limit";
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "feasible", json_boolean(sol->feasible));
    json_object_set_new(o, "cost", json_real(sol->cost));
    json_object_set_new(o, "distance", json_real(sol->distance));
    json_object_set_new(o, "cost_breakdown", json_pack("{s:f,s:f,s:f,s:f}", "fixed", sol->fixed_cost, "distance",
                                                       sol->distance_cost, "time", sol->time_cost, "penalty", sol->penalty_cost));
    json_object_set_new(o, "vehicles", json_integer(sol->n_routes));
    json_object_set_new(o, "time_s", json_real(res->seconds));
    json_object_set_new(o, "iterations", json_integer(res->iterations));
    json_object_set_new(o, "device", json_string(device));
    json_object_set_new(o, "objective", json_string(a->str[OPT_OBJECTIVE]));
    json_object_set_new(o, "seed", json_integer((json_int_t)a->num[OPT_SEED]));
    json_object_set_new(o, "instance", json_string(v->name ? v->name : ""));
    json_object_set_new(o, "customers", json_integer(v->n_customers));
    json_object_set_new(o, "distance_convention", json_string(weft_vrp_distance_name(v->convention)));
    json_object_set_new(o, "unserved", un);
    json_object_set_new(o, "routes", routes_json(v, sol));
    json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(o);
}

static int parse_objective(const cli_args *a, weft_vrp_objective *obj)
{
    const char *s = a->str[OPT_OBJECTIVE];
    if (!strcmp(s, "cost")) *obj = WEFT_VRP_OBJ_COST;
    else if (!strcmp(s, "vehicles-then-cost")) *obj = WEFT_VRP_OBJ_VEHICLES_THEN_COST;
    else {
        fprintf(stderr, "weft route: --objective '%s' is not cost | vehicles-then-cost\n", s);
        return -1;
    }
    return 0;
}

static int parse_local_search(const cli_args *a, weft_vrp_local_search *ls)
{
    static const char *const names[] = {"auto", "first", "batched"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(a->str[OPT_LOCAL_SEARCH], names[i])) return *ls = (weft_vrp_local_search)i, 0;
    fprintf(stderr, "weft route: --local-search '%s' is not auto | first | batched\n", a->str[OPT_LOCAL_SEARCH]);
    return -1;
}

/* Where insertion moves are evaluated: the host unless --device names a backend. */
static const char *pick_device(const cli_args *a)
{
    return a->set[OPT_DEVICE] ? a->str[OPT_DEVICE] : "cpu";
}

static int write_outputs(weft_context *ctx, const cli_args *a, const weft_vrp *v, weft_vrp_solution *sol)
{
    int st = WEFT_OK;
    if (a->set[OPT_OUTPUT]) st = weft_write_route_results(ctx, v, sol, a->str[OPT_OUTPUT]);
    if (!st && a->set[OPT_SVG]) st = weft_write_route_svg(ctx, v, sol, a->str[OPT_SVG]);
    return st;
}

static int run_route(const cli_command *cmd, cli_args *a)
{
    weft_vrp_options o;
    weft_vrp_options_default(&o);
    if (parse_objective(a, &o.objective) || parse_local_search(a, &o.local_search)) return WEFT_EXIT_USAGE;
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    progress p = {a->set[OPT_QUIET], -1};
    o.seed = (uint64_t)a->num[OPT_SEED];
    o.time_limit = a->num[OPT_TIME_LIMIT];
    o.iteration_limit = (int64_t)a->num[OPT_ITER_LIMIT];
    if (o.time_limit <= 0 && o.iteration_limit <= 0) o.time_limit = DEFAULT_TIME_LIMIT;
    o.progress = on_progress, o.progress_user = &p;
    o.device = pick_device(a);
    weft_vrp *v = NULL;
    weft_vrp_solution *sol = NULL;
    weft_vrp_result res;
    int rc = WEFT_EXIT_SOLVED, st = weft_read_fleet(ctx, a->pos[0], &v);
    if (!st && !p.quiet)
        fprintf(stderr, "weft route: %s: %d customers, %d depots, %d vehicle types; time limit %g s, iterations %lld, seed %llu\n",
                v->name, v->n_customers, v->n_depots, v->n_types, o.time_limit, (long long)o.iteration_limit,
                (unsigned long long)o.seed);
    if (!st) st = weft_vrp_solve(ctx, v, &o, &sol, &res);
    if (!st) st = write_outputs(ctx, a, v, sol);
    if (st) rc = cli_fail(ctx, st, "route");
    else {
        if (!p.quiet)
            fprintf(stderr, "weft route: cost %.4f, %d vehicles, %d unserved, %s, %lld iterations in %.2f s\n", sol->cost,
                    sol->n_routes, sol->n_unserved, sol->feasible ? "feasible" : "INCOMPLETE", (long long)res.iterations,
                    res.seconds);
        if (a->set[OPT_JSON]) print_json(v, sol, &res, a, res.backend);
        rc = sol->feasible ? WEFT_EXIT_SOLVED : WEFT_EXIT_LIMIT;
    }
    weft_vrp_solution_destroy(ctx, &sol);
    weft_vrp_destroy(ctx, &v);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key route_keys[] = {OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_SEED, OPT_OBJECTIVE, OPT_DEVICE, OPT_OUTPUT,
                                     OPT_LOCAL_SEARCH, OPT_SVG, OPT_JSON, OPT_QUIET, OPT_VERBOSE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_route = {"route", "FLEET.h5", "vehicle routing (time limit 10 s unless set)", route_keys, 1, 1,
                                    run_route};
