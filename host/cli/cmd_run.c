/* weft run [JOB.h5]: the main job. Without a file it generates the bundled Kunshan scenario
 * (SYNTHETIC, models/kunshan.c) in memory; a job file may hold /grid, /logistics (with its matrix)
 * and /roads. It solves the day's dispatch (multi-period DC-OPF), then the delivery routes, prints
 * a summary table and writes RESULTS.h5, summary.json and SVG plots beside it. */
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "job_plots.h"
#include "job_results.h"
#include "run_job.h"

#define DEFAULT_ROUTE_TIME 30.0 /* seconds of routing search unless --time-limit or --iteration-limit */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void say(const run_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const run_job *j, const char *fmt, ...)
{
    if (j->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("weft run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void run_kunshan_options(const cli_args *a, weft_kunshan_options *o)
{
    weft_kunshan_defaults(o);
    o->n_bus = (int32_t)a->num[OPT_BUSES];
    o->n_customers = (int32_t)a->num[OPT_CUSTOMERS];
    o->n_road_nodes = (int32_t)a->num[OPT_ROAD_NODES];
    o->seed = (uint64_t)a->num[OPT_SEED];
}

static int load_generated(run_job *j)
{
    const cli_args *a = j->a;
    weft_kunshan_options o;
    run_kunshan_options(a, &o);
    say(j, "generating the Kunshan scenario (SYNTHETIC): %d buses, %d deliveries, about %d road nodes, seed %llu",
        o.n_bus, o.n_customers, o.n_road_nodes, (unsigned long long)o.seed);
    int st = weft_kunshan_build(j->ctx, &o, &j->k);
    if (st) return st;
    j->synthetic = 1, j->matrix_generated = 1;
    snprintf(j->name, sizeof j->name, "kunshan-synthetic");
    say(j, "travel-time matrix: %d x %d points on %d road nodes, %d edges in %.2f s",
        j->k.vrp->n_depots + j->k.vrp->n_customers, j->k.vrp->n_depots + j->k.vrp->n_customers,
        j->k.roads->n_nodes, j->k.roads->n_edges, j->k.matrix_seconds);
    return WEFT_OK;
}

/* What the file holds, and its labels (synthetic, the designed bottleneck). */
static int probe_file(run_job *j, const char *path, int has[3])
{
    weft_h5 h;
    int64_t v = 0;
    int st = weft_h5_open_read(j->ctx, path, &h);
    if (st) return st;
    const char *groups[3] = {"/grid", "/logistics", "/roads"};
    for (int i = 0; i < 3; i++) has[i] = weft_h5_exists(&h, groups[i]);
    j->synthetic = !weft_h5_read_attr_int(&h, "/", "synthetic", &v) && v;
    j->k.congested_branch = has[0] && !weft_h5_read_attr_int(&h, "/grid", "congested_branch", &v) ? (int32_t)v : -1;
    weft_h5_close(&h);
    if (!has[0] && !has[1])
        return weft_error(j->ctx, WEFT_ERR_BAD_INPUT, "%s: holds neither /grid nor /logistics: nothing to run", path);
    return WEFT_OK;
}

static int load_file(run_job *j, const char *path)
{
    int has[3], st = probe_file(j, path, has);
    if (!st && has[0]) st = weft_grid_read_h5(j->ctx, path, &j->k.grid);
    if (!st && has[1]) st = weft_read_fleet(j->ctx, path, &j->k.vrp);
    if (!st && has[2]) st = weft_roads_read_h5(j->ctx, path, &j->k.roads);
    if (st) return st;
    const char *name = j->k.grid && j->k.grid->name ? j->k.grid->name : j->k.vrp && j->k.vrp->name ? j->k.vrp->name : "";
    snprintf(j->name, sizeof j->name, "%s", *name ? name : path);
    say(j, "%s: %s%s%s%s", path, j->k.grid ? "grid, " : "", j->k.vrp ? "deliveries with their matrix, " : "",
        j->k.roads ? "roads, " : "", j->synthetic ? "SYNTHETIC" : "");
    return WEFT_OK;
}

static int solve_dispatch(run_job *j)
{
    weft_dcopf_options mo = {WEFT_DC_MATPOWER, 0};
    weft_lp_options o;
    const weft_grid *g = j->k.grid;
    int st = weft_dcopf_build(j->ctx, g, &mo, &j->model);
    if (st) return st;
    say(j, "dispatch: %d periods, %d buses, %d branches, %d gas units, %d solar roofs, %d storage units, %d tie-lines "
           "(LP %d x %d, %d nonzeros)", j->model->T, g->n_bus, g->n_branch, g->n_gen, g->n_renewable, g->n_storage,
        g->n_tie, j->model->lp->n_rows, j->model->lp->n_cols, j->model->lp->nnz);
    weft_lp_options_default(&o);
    o.tol = j->a->num[OPT_TOL];
    o.verbose = j->a->set[OPT_VERBOSE];
    double t0 = now_s();
    if ((st = weft_lp_solve(j->ctx, j->model->lp, &o, &j->lp))) return st;
    j->have_lp = 1;
    j->t_dispatch = now_s() - t0;
    say(j, "dispatch: %s in %lld iterations, %.2f s on %s", weft_lp_outcome_string(j->lp.outcome),
        (long long)j->lp.iterations, j->t_dispatch, j->lp.device);
    if (!j->lp.x) return WEFT_OK;
    st = weft_dcopf_extract(j->ctx, j->model, j->lp.x, j->lp.y, j->lp.z, j->lp.objective, &j->d);
    j->have_d = !st;
    return st;
}

static void on_progress(void *user, double t, double cost, int32_t vehicles, int32_t unserved)
{
    static double last = -1;
    const run_job *j = user;
    if (j->quiet || (t - last < 2 && last >= 0)) return;
    last = t;
    fprintf(stderr, "weft run:   %7.1f s  best cost %12.2f  vehicles %3d  unserved %d\n", t, cost, vehicles, unserved);
}

/* Deliveries that start after their window closes (none when the solution is feasible). The
 * schedule's arrival array is allocated too: weft_vrp_evaluate offsets it even when NULL. */
static int count_late(run_job *j)
{
    size_t nv = (size_t)j->sol->route_start[j->sol->n_routes];
    weft_vrp_schedule s = {0};
    s.start = weft_calloc(j->ctx, nv + 1, sizeof *s.start);
    s.arrival = weft_calloc(j->ctx, nv + 1, sizeof *s.arrival);
    int late = -1;
    if (s.start && s.arrival && weft_vrp_evaluate(j->ctx, j->k.vrp, j->sol, &s) == WEFT_OK) {
        late = 0;
        for (size_t i = 0; i < nv; i++) late += s.start[i] > j->k.vrp->tw_close[j->sol->visits[i]] + 1e-9;
    }
    weft_free(j->ctx, s.start);
    weft_free(j->ctx, s.arrival);
    return late;
}

static int solve_routes(run_job *j)
{
    const cli_args *a = j->a;
    weft_vrp_options o;
    weft_vrp_options_default(&o);
    o.seed = (uint64_t)a->num[OPT_SEED];
    o.time_limit = a->num[OPT_TIME_LIMIT];
    o.iteration_limit = (int64_t)a->num[OPT_ITER_LIMIT];
    if (o.time_limit <= 0 && o.iteration_limit <= 0) o.time_limit = DEFAULT_ROUTE_TIME;
    o.progress = on_progress, o.progress_user = j;
    const weft_vrp *v = j->k.vrp;
    say(j, "routing: %d deliveries, %d depots, %d vehicle types; time limit %g s, iterations %lld, seed %llu",
        v->n_customers, v->n_depots, v->n_types, o.time_limit, (long long)o.iteration_limit,
        (unsigned long long)o.seed);
    double t0 = now_s();
    int st = weft_vrp_solve(j->ctx, v, &o, &j->sol, &j->vres);
    j->t_route = now_s() - t0;
    if (st) return st;
    j->late = count_late(j);
    say(j, "routing: cost %.2f, %d routes, %d unserved, %s, %lld iterations in %.1f s", j->sol->cost,
        j->sol->n_routes, j->sol->n_unserved, j->sol->feasible ? "feasible" : "INCOMPLETE",
        (long long)j->vres.iterations, j->t_route);
    return WEFT_OK;
}

/* PATH's directory joined with NAME. */
static void beside(char *buf, size_t len, const char *path, const char *name)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", path);
    snprintf(buf, len, "%s/%s", dirname(copy), name);
}

static int write_summary(weft_context *ctx, json_t *summary, const char *path)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    if (json_dump_file(summary, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return weft_error(ctx, WEFT_ERR_IO, "%s: cannot write", path);
    }
    return WEFT_OK;
}

static int write_plots(run_job *j, const char *results)
{
    char path[1100], title[400];
    int st = WEFT_OK;
    const char *label = j->synthetic ? " (SYNTHETIC)" : "";
    if (j->have_d && j->d.T > WEFT_PLOT_MAX_PERIODS)
        say(j, "dispatch plots skipped: %d periods (they draw up to %d)", j->d.T, WEFT_PLOT_MAX_PERIODS);
    else if (j->have_d) {
        beside(path, sizeof path, results, "dispatch.svg");
        snprintf(title, sizeof title, "%s%s: dispatch by source and LMP", j->name, label);
        st = weft_plot_dispatch(j->ctx, j->k.grid, &j->d, title, path);
        if (j->k.grid->n_storage > WEFT_PLOT_MAX_STORAGE)
            say(j, "battery plot skipped: %d storage units (it draws up to %d)", j->k.grid->n_storage,
                WEFT_PLOT_MAX_STORAGE);
        else if (!st && j->k.grid->n_storage) {
            beside(path, sizeof path, results, "battery.svg");
            snprintf(title, sizeof title, "%s%s: battery state of charge", j->name, label);
            st = weft_plot_battery(j->ctx, j->k.grid, &j->d, title, path);
        }
    }
    if (!st && j->sol) {
        beside(path, sizeof path, results, "routes.svg");
        snprintf(title, sizeof title, "%s%s: %d delivery routes, %.0f km", j->name, label, j->sol->n_routes,
                 j->sol->distance);
        st = weft_plot_routes(j->ctx, j->k.roads, j->k.vrp, j->sol, title, path);
    }
    return st;
}

static int write_outputs(run_job *j, const char *results, json_t *summary)
{
    weft_job_results r = {j->name, j->synthetic, j->have_d ? j->model : NULL, &j->d, &j->lp,
                          j->sol ? j->k.vrp : NULL, j->sol};
    char path[1100];
    int st = weft_job_results_write(j->ctx, &r, results);
    beside(path, sizeof path, results, "summary.json");
    if (!st) st = write_summary(j->ctx, summary, path);
    if (!st) st = write_plots(j, results);
    if (!st) say(j, "wrote %s, %s and the plots beside them", results, path);
    return st;
}

/* The worse of the two outcomes decides the exit code. */
static int exit_code(const run_job *j)
{
    int rc = j->have_lp ? cli_exit_for_outcome(j->lp.outcome) : WEFT_EXIT_SOLVED;
    int rr = j->sol && !j->sol->feasible ? WEFT_EXIT_LIMIT : WEFT_EXIT_SOLVED;
    return rc > rr ? rc : rr;
}

static int finish(run_job *j, const char *results)
{
    json_t *summary = run_summary_json(j, results);
    if (!summary) return weft_error(j->ctx, WEFT_ERR_NOMEM, "run: out of memory for the summary");
    int st = write_outputs(j, results, summary);
    if (!st && j->a->set[OPT_JSON]) {
        json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    } else if (!st && !j->quiet) {
        run_print_table(summary, stdout);
    }
    json_decref(summary);
    return st;
}

static int generator_options_with_job(const cli_args *a)
{
    const cli_key gen[] = {OPT_BUSES, OPT_CUSTOMERS, OPT_ROAD_NODES};
    for (size_t i = 0; i < sizeof gen / sizeof *gen; i++)
        if (a->set[gen[i]]) {
            fprintf(stderr, "weft run: --%s applies to the generated scenario, not to a job file\n",
                    weft_cli_options[gen[i]].name);
            return 1;
        }
    return 0;
}

static int run_run(const cli_command *cmd, cli_args *a)
{
    if (a->npos && generator_options_with_job(a)) return WEFT_EXIT_USAGE;
    run_job j = {.a = a, .quiet = a->set[OPT_QUIET], .source = a->npos ? a->pos[0] : "(generated)"};
    j.k.congested_branch = -1;
    if (!(j.ctx = cli_context(a))) return WEFT_EXIT_INTERNAL;
    const char *results = a->set[OPT_OUTPUT] ? a->str[OPT_OUTPUT] : "results.h5";
    double t0 = now_s();
    int st = a->npos ? load_file(&j, a->pos[0]) : load_generated(&j);
    j.t_load = now_s() - t0;
    if (!st && j.k.grid) st = solve_dispatch(&j);
    if (!st && j.k.vrp) st = solve_routes(&j);
    if (!st) st = finish(&j, results);
    int rc = st ? cli_fail(j.ctx, st, "run") : exit_code(&j);
    weft_vrp_solution_destroy(j.ctx, &j.sol);
    if (j.have_d) weft_dcopf_result_free(j.ctx, &j.d);
    if (j.have_lp) weft_lp_result_free(j.ctx, &j.lp);
    weft_dcopf_destroy(j.ctx, &j.model);
    weft_kunshan_free(j.ctx, &j.k);
    weft_context_destroy(&j.ctx);
    return rc;
}

static const cli_key run_keys[] = {OPT_OUTPUT, OPT_DEVICE, OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_SEED, OPT_TOL,
                                   OPT_BUSES, OPT_CUSTOMERS, OPT_ROAD_NODES, OPT_THREADS, OPT_JSON, OPT_QUIET,
                                   OPT_VERBOSE, OPT_NO_CACHE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_run = {"run", "[JOB.h5]",
                                  "dispatch and delivery routes (default: the synthetic Kunshan scenario; routing "
                                  "30 s unless --time-limit; results.h5 unless -o)",
                                  run_keys, 0, 1, run_run};
