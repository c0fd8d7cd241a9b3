/* The results file of a job: /results/dispatch (models/dcopf_h5.c) and /results/route
 * (host/io/route_results.c) in one HDF5 file, each written by its own module and assembled here.
 * Either part may be absent (a job with only a grid, or only deliveries). */
#ifndef WEFT_JOB_RESULTS_H
#define WEFT_JOB_RESULTS_H

#include "dcopf.h"
#include "weft/route.h"

typedef struct weft_job_results {
    const char *job;        /* the job's name or file, an attribute on /results */
    int synthetic;          /* 1: the job is synthetic data; says so on / and /results */
    const weft_dcopf *model; /* NULL: no dispatch */
    const weft_dcopf_result *dispatch;
    const weft_lp_result *lp;
    const weft_vrp *vrp;    /* NULL: no routing */
    weft_vrp_solution *routes;
} weft_job_results;

/* Written to a temporary name and renamed when complete. */
weft_status weft_job_results_write(weft_context *ctx, const weft_job_results *r, const char *path);

#endif
