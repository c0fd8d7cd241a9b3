/* weft dispatch GRID.h5: multi-period DC-OPF (models/dcopf.c) solved on the chosen device, results to
 * /results/dispatch in -o RESULTS.h5, a summary on stderr or as JSON. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "dcopf.h"
#include "weft/grid.h"

static json_t *summary(const weft_dcopf *m, const weft_dcopf_result *d, const weft_lp_result *r,
                       double tol)
{
    const weft_grid *g = m->grid;
    json_t *o = json_object();
    int has_x = r->outcome == WEFT_LP_OPTIMAL || r->outcome == WEFT_LP_TIME_LIMIT ||
                r->outcome == WEFT_LP_ITERATION_LIMIT;
    json_object_set_new(o, "status", json_string(weft_lp_outcome_string(r->outcome)));
    json_object_set_new(o, "name", json_string(g->name ? g->name : ""));
    json_object_set_new(o, "objective", has_x ? json_real(d->objective) : json_null());
    json_object_set_new(o, "objective_units", json_string("currency"));
    json_object_set_new(o, "objective_scale", json_real(m->cost_scale)); /* currency per unit of the LP (MPS) objective */
    json_object_set_new(o, "model", json_string(m->convention == WEFT_DC_POWERMODELS ? "powermodels" : "matpower"));
    json_object_set_new(o, "time_s", json_real(r->time_s));
    json_object_set_new(o, "device", json_string(r->device));
    json_object_set_new(o, "iterations", json_integer(r->iterations));
    json_object_set_new(o, "tolerance", json_real(tol));
    json_object_set_new(o, "periods", json_integer(m->T));
    json_object_set_new(o, "buses", json_integer(g->n_bus));
    json_object_set_new(o, "branches", json_integer(g->n_branch));
    json_object_set_new(o, "generators", json_integer(g->n_gen));
    json_object_set_new(o, "storage_units", json_integer(g->n_storage));
    json_object_set_new(o, "renewable_units", json_integer(g->n_renewable));
    json_object_set_new(o, "tie_lines", json_integer(g->n_tie));
    json_object_set_new(o, "rows", json_integer(m->lp->n_rows));
    json_object_set_new(o, "cols", json_integer(m->lp->n_cols));
    json_object_set_new(o, "nonzeros", json_integer(m->lp->nnz));
    json_object_set_new(o, "lmp_min", has_x && g->n_bus ? json_real(d->lmp_min) : json_null());
    json_object_set_new(o, "lmp_max", has_x && g->n_bus ? json_real(d->lmp_max) : json_null());
    json_object_set_new(o, "binding_lines", json_integer(has_x ? d->n_binding : 0));
    double shed = 0;
    for (size_t k = 0; has_x && k < (size_t)m->T * (size_t)g->n_bus; k++) shed += d->shed[k] * g->period_h;
    json_object_set_new(o, "shed_mwh", json_real(shed));
    return o;
}

static void print_human(json_t *o)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
        fprintf(stderr, "%-16s %s\n", key, s ? s : "?");
        free(s);
    }
}

static int parse_model(const cli_args *a, weft_dcopf_options *d)
{
    const char *s = a->str[OPT_MODEL];
    if (!strcmp(s, "matpower")) d->convention = WEFT_DC_MATPOWER;
    else if (!strcmp(s, "powermodels")) d->convention = WEFT_DC_POWERMODELS;
    else {
        fprintf(stderr, "weft dispatch: --model: '%s' is not matpower or powermodels\n", s);
        return -1;
    }
    d->periods = a->set[OPT_PERIODS] ? (int32_t)a->num[OPT_PERIODS] : 0;
    return 0;
}

/* Solve, summarise, write: the part after the model exists. */
static int solve_and_report(weft_context *ctx, const cli_args *a, weft_dcopf *m)
{
    weft_lp_options o;
    weft_lp_result r;
    weft_dcopf_result d;
    weft_lp_options_default(&o);
    o.tol = a->num[OPT_TOL];
    o.time_limit = a->num[OPT_TIME_LIMIT];
    o.iteration_limit = (int64_t)a->num[OPT_ITER_LIMIT];
    o.verbose = a->set[OPT_VERBOSE];
    int st = weft_lp_solve(ctx, m->lp, &o, &r);
    if (st < 0) return cli_fail(ctx, st, "dispatch");
    int rc = cli_exit_for_outcome(r.outcome);
    st = weft_dcopf_extract(ctx, m, r.x, r.y, r.z, r.objective, &d);
    if (st < 0) {
        weft_lp_result_free(ctx, &r);
        return cli_fail(ctx, st, "dispatch");
    }
    json_t *js = summary(m, &d, &r, o.tol);
    if (a->set[OPT_JSON]) {
        json_dumpf(js, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (!a->set[OPT_QUIET]) {
        print_human(js);
    }
    json_decref(js);
    if (a->set[OPT_OUTPUT] && (st = weft_dcopf_result_write_h5(ctx, m, &d, &r, a->str[OPT_OUTPUT])) < 0)
        rc = cli_fail(ctx, st, "dispatch");
    weft_dcopf_result_free(ctx, &d);
    weft_lp_result_free(ctx, &r);
    return rc;
}

static int run_dispatch(const cli_command *cmd, cli_args *a)
{
    weft_dcopf_options mo = {0};
    if (parse_model(a, &mo)) return WEFT_EXIT_USAGE;
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_grid *g = NULL;
    weft_dcopf *m = NULL;
    int rc, st = weft_grid_read_h5(ctx, a->pos[0], &g);
    if (!st) st = weft_dcopf_build(ctx, g, &mo, &m);
    if (!st && a->set[OPT_WRITE_MPS]) st = weft_mps_write(ctx, m->lp, a->str[OPT_WRITE_MPS]);
    rc = st < 0 ? cli_fail(ctx, st, "dispatch") : solve_and_report(ctx, a, m);
    weft_dcopf_destroy(ctx, &m);
    weft_grid_destroy(ctx, &g);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key dispatch_keys[] = {OPT_PERIODS, OPT_MODEL, OPT_DEVICE, OPT_TOL, OPT_TIME_LIMIT,
                                        OPT_ITER_LIMIT, OPT_THREADS, OPT_JSON, OPT_QUIET, OPT_VERBOSE,
                                        OPT_OUTPUT, OPT_WRITE_MPS, OPT_NO_CACHE, OPT_PRINT_OPTIONS,
                                        OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_dispatch = {"dispatch", "GRID.h5", "multi-period DC-OPF with storage, renewables, LMPs",
                                       dispatch_keys, 1, 1, run_dispatch};
