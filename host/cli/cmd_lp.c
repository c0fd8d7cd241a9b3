/* weft lp FILE.mps: read, solve on the chosen device, summarise (human or JSON), optionally write
 * the solution to HDF5. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static void print_human(const weft_lp_problem *p, const weft_lp_result *r, double tol)
{
    fprintf(stderr, "%-12s %s\n", "status", weft_lp_outcome_string(r->outcome));
    fprintf(stderr, "%-12s %.12g\n", "objective", r->objective);
    fprintf(stderr, "%-12s %.12g\n", "dual obj", r->dual_objective);
    fprintf(stderr, "%-12s %lld (%lld of them polishing; %lld products with A or A')\n", "iterations",
            (long long)r->iterations, (long long)r->polish_iterations, (long long)r->spmv);
    fprintf(stderr, "%-12s primal %.2e (abs %.2e), dual %.2e (abs %.2e), gap %.2e (abs %.2e); asked %.1e\n",
            "relative", r->primal_res_rel, r->primal_res_abs, r->dual_res_rel, r->dual_res_abs, r->gap_rel,
            r->gap_abs, tol);
    fprintf(stderr, "%-12s %.3f s on %s\n", "time", r->time_s, r->device);
}

static void print_json(const weft_lp_problem *p, const weft_lp_result *r, double tol)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(weft_lp_outcome_string(r->outcome)));
    json_object_set_new(o, "name", json_string(p->name ? p->name : ""));
    if (r->outcome == WEFT_LP_OPTIMAL || r->outcome == WEFT_LP_TIME_LIMIT ||
        r->outcome == WEFT_LP_ITERATION_LIMIT) {
        json_object_set_new(o, "objective", json_real(r->objective));
        json_object_set_new(o, "dual_objective", json_real(r->dual_objective));
    } else {
        json_object_set_new(o, "objective", json_null());
    }
    json_object_set_new(o, "iterations", json_integer(r->iterations));
    json_object_set_new(o, "polish_iterations", json_integer(r->polish_iterations));
    json_object_set_new(o, "polished", json_boolean(r->polished));
    json_object_set_new(o, "matvecs", json_integer(r->spmv));
    json_object_set_new(o, "restarts", json_integer(r->restarts));
    json_t *t = json_object();
    json_object_set_new(t, "requested_rel", json_real(tol));
    json_object_set_new(t, "primal_residual_rel", json_real(r->primal_res_rel));
    json_object_set_new(t, "primal_residual_abs", json_real(r->primal_res_abs));
    json_object_set_new(t, "dual_residual_rel", json_real(r->dual_res_rel));
    json_object_set_new(t, "dual_residual_abs", json_real(r->dual_res_abs));
    json_object_set_new(t, "gap_rel", json_real(r->gap_rel));
    json_object_set_new(t, "gap_abs", json_real(r->gap_abs));
    json_object_set_new(o, "tolerance", t);
    json_object_set_new(o, "certificate", json_boolean(r->has_certificate));
    json_object_set_new(o, "time_s", json_real(r->time_s));
    json_object_set_new(o, "device", json_string(r->device));
    json_object_set_new(o, "rows", json_integer(p->n_rows));
    json_object_set_new(o, "cols", json_integer(p->n_cols));
    json_object_set_new(o, "nonzeros", json_integer(p->nnz));
    json_object_set_new(o, "solved_rows", json_integer(r->solved_rows));
    json_object_set_new(o, "solved_cols", json_integer(r->solved_cols));
    json_object_set_new(o, "solved_nonzeros", json_integer(r->solved_nnz));
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    fputc('\n', stdout);
    json_decref(o);
}

/* --write-presolved: what weft_lp_solve's presolve hands the solver, as MPS; the problem as read
 * when presolve removes nothing. */
static int write_presolved(weft_context *ctx, const weft_lp_problem *p, const char *path, int quiet)
{
    weft_lp_problem *red = NULL;
    int st = weft_lp_presolve(ctx, p, &red);
    const weft_lp_problem *w = red ? red : p;
    if (!st) st = weft_mps_write(ctx, w, path);
    if (!st && !quiet)
        fprintf(stderr, "presolved %d rows, %d columns, %d nonzeros to %d, %d, %d%s: %s\n", p->n_rows,
                p->n_cols, p->nnz, w->n_rows, w->n_cols, w->nnz, red ? "" : " (nothing removed)", path);
    weft_lp_problem_destroy(ctx, &red);
    return st < 0 ? cli_fail(ctx, st, "lp") : WEFT_EXIT_SOLVED;
}

static int run_lp(const cli_command *cmd, cli_args *a)
{
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_lp_problem *p = NULL;
    weft_lp_result r;
    int rc = WEFT_EXIT_SOLVED, solved = 0;
    int st = weft_mps_read(ctx, a->pos[0], &p);
    if (st < 0) {
        rc = cli_fail(ctx, st, "lp");
        goto cleanup;
    }
    if (a->set[OPT_WRITE_PRESOLVED]) {
        rc = write_presolved(ctx, p, a->str[OPT_WRITE_PRESOLVED], a->set[OPT_QUIET]);
        goto cleanup;
    }
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = a->num[OPT_TOL];
    o.time_limit = a->num[OPT_TIME_LIMIT];
    o.iteration_limit = (int64_t)a->num[OPT_ITER_LIMIT];
    o.verbose = !a->set[OPT_QUIET];
    o.presolve = !a->set[OPT_NO_PRESOLVE];
    o.polish = !a->set[OPT_NO_POLISH];
    st = weft_lp_solve(ctx, p, &o, &r);
    if (st < 0) {
        rc = cli_fail(ctx, st, "lp");
        goto cleanup;
    }
    solved = 1;
    if (a->set[OPT_JSON]) print_json(p, &r, o.tol);
    else if (!a->set[OPT_QUIET]) print_human(p, &r, o.tol);
    if (a->set[OPT_OUTPUT] && (st = weft_lp_result_write_h5(ctx, p, &r, a->str[OPT_OUTPUT])) < 0) {
        rc = cli_fail(ctx, st, "lp");
        goto cleanup;
    }
    rc = cli_exit_for_outcome(r.outcome);
cleanup:
    if (solved) weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key lp_keys[] = {OPT_DEVICE, OPT_TOL, OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_THREADS,
                                  OPT_JSON, OPT_QUIET, OPT_VERBOSE, OPT_OUTPUT, OPT_NO_CACHE, OPT_NO_PRESOLVE,
                                  OPT_NO_POLISH, OPT_WRITE_PRESOLVED, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_lp = {"lp", "FILE.mps", "solve an LP/QP from MPS", lp_keys, 1, 1, run_lp};
