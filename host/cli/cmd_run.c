/* weft run [JOB]: the main job. Until the full Kunshan scenario lands it solves the bundled
 * Kunshan noon dispatch LP (datasets/kunshan_noon.mps) and prints what a planner reads first:
 * cost and the price at each balance row. */
#include <string.h>

#include "cli.h"

#ifndef WEFT_DATADIR
#define WEFT_DATADIR "datasets"
#endif

static int run_run(const cli_command *cmd, cli_args *a)
{
    const char *job = a->npos ? a->pos[0] : WEFT_DATADIR "/kunshan_noon.mps";
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_lp_problem *p = NULL;
    weft_lp_result r;
    int rc, solved = 0;
    int st = weft_mps_read(ctx, job, &p);
    if (st < 0) {
        rc = cli_fail(ctx, st, "run");
        goto cleanup;
    }
    weft_lp_options o;
    weft_lp_options_default(&o);
    o.tol = a->set[OPT_TOL] ? a->num[OPT_TOL] : 1e-8;
    o.time_limit = a->num[OPT_TIME_LIMIT];
    if ((st = weft_lp_solve(ctx, p, &o, &r)) < 0) {
        rc = cli_fail(ctx, st, "run");
        goto cleanup;
    }
    solved = 1;
    printf("job        %s (%s)\n", p->name ? p->name : job, job);
    printf("status     %s in %lld iterations, %.3f s on %s\n", weft_lp_outcome_string(r.outcome),
           (long long)r.iterations, r.time_s, r.device);
    printf("cost       %.2f\n", r.objective);
    for (int32_t i = 0; i < p->n_rows; i++)
        printf("price      %-10s %10.2f per unit\n", p->row_names ? p->row_names[i] : "", r.y[i]);
    for (int32_t j = 0; j < p->n_cols; j++)
        printf("level      %-10s %10.2f\n", p->col_names ? p->col_names[j] : "", r.x[j]);
    if (a->set[OPT_OUTPUT] && (st = weft_lp_result_write_h5(ctx, p, &r, a->str[OPT_OUTPUT])) < 0) {
        rc = cli_fail(ctx, st, "run");
        goto cleanup;
    }
    rc = cli_exit_for_outcome(r.outcome);
cleanup:
    if (solved) weft_lp_result_free(ctx, &r);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key run_keys[] = {OPT_DEVICE, OPT_TOL, OPT_TIME_LIMIT, OPT_THREADS, OPT_QUIET,
                                   OPT_VERBOSE, OPT_OUTPUT, OPT_NO_CACHE, OPT_PRINT_OPTIONS, OPT_HELP,
                                   OPT_COUNT};
const cli_command weft_cmd_run = {"run", "[JOB]", "the main job (default: the bundled Kunshan scenario)",
                                  run_keys, 0, 1, run_run};
