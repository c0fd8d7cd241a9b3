/* weft run: the state of one job from loading to results (cmd_run.c drives it, run_summary.c
 * reports it). */
#ifndef WEFT_RUN_JOB_H
#define WEFT_RUN_JOB_H

#include <jansson.h>

#include "cli.h"
#include "dcopf.h"
#include "kunshan.h"

typedef struct run_job {
    weft_context *ctx;
    const cli_args *a;
    int quiet;
    const char *source;     /* the job file, or "(generated)" */
    char name[256];
    int synthetic;
    weft_kunshan k;         /* grid, roads, vrp: each may be NULL when the job file lacks it */
    double t_load, t_dispatch, t_route;
    int matrix_generated;   /* the matrix was computed in this run (else read from the job) */
    /* dispatch */
    weft_dcopf *model;
    weft_lp_result lp;
    int have_lp;
    weft_dcopf_result d;
    int have_d;
    /* routing */
    weft_vrp_solution *sol;
    weft_vrp_result vres;
    int late;               /* deliveries whose service starts after their window closes */
} run_job;

/* The generated scenario's options from --buses, --customers, --road-nodes, --seed (also used by
 * weft import kunshan-job). */
void run_kunshan_options(const cli_args *a, weft_kunshan_options *o);
/* The summary as JSON (what summary.json holds and --json prints). */
json_t *run_summary_json(const run_job *j, const char *results_path);
/* The short table a planner reads first, from the summary. */
void run_print_table(const json_t *summary, FILE *f);

#endif
