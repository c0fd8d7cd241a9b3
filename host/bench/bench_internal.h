/* What the files of the bench suite share: the generated problems, and the timer every item uses. */
#ifndef WEFT_BENCH_INTERNAL_H
#define WEFT_BENCH_INTERNAL_H

#include "backend/backend.h"
#include "bench/bench_suite.h"
#include "dcopf.h"
#include "kunshan.h"
#include "lp/lp_internal.h"
#include "route/rr_state.h"

struct weft_bench_data {
    weft_bench_options opt;
    /* the large DC-OPF of the spmv and pdhg_iteration items */
    weft_grid *big_grid;
    weft_dcopf *big;
    lp_scaled *big_scaled;
    /* the Kunshan scenario of the sssp, vrp_moves, dispatch and routing items */
    weft_kunshan k;
    weft_dcopf *day;
    int32_t *sources, *targets; /* road nodes of points of interest */
    int32_t n_sources, n_targets;
    int64_t route_iterations;
    rr_state plan;              /* a constructed route plan (host) */
    int have_plan;
};

/* One call of an item, and (for a device that runs calls asynchronously) a wait for it. */
typedef struct bench_call {
    int (*run)(void *user);
    int (*sync)(void *user); /* NULL: run returns when its work is done */
    void *user;
} bench_call;

/* Warm-up calls, then o->repeat timed repetitions into it (name, reps, inner, median, min, max).
 * batched: a repetition makes `inner` calls and one sync, inner chosen from the warm-up so that a
 * repetition lasts about o->min_rep_s (short kernels: launch overheads and the clock's grain
 * average out); else one call per repetition. */
int bench_time(const bench_call *c, const weft_bench_options *o, int batched, const char *name,
               weft_bench_item *it);
/* Sets bytes per call, the achieved GB/s and its ratio to copy_gbs. */
void bench_set_bytes(weft_bench_item *it, double bytes, double copy_gbs);
void bench_figure(weft_bench_item *it, const char *key, double value);
double bench_now(void);

/* The items, each on an open backend; each fills *it and returns a status. */
int bench_copy(weft_backend *be, const weft_bench_data *d, const weft_device_info *info, weft_bench_item *it);
int bench_spmv_pdhg(weft_backend *be, const weft_bench_data *d, double copy_gbs, weft_bench_item *spmv,
                    weft_bench_item *pdhg);
int bench_sssp(weft_backend *be, const weft_bench_data *d, weft_bench_item *it);
int bench_vrp_moves(weft_backend *be, weft_bench_data *d, weft_bench_item *it);
int bench_vrp_ls(weft_backend *be, weft_bench_data *d, weft_bench_item *it);
/* Whole solves on the context's device. */
int bench_dispatch(weft_context *ctx, const weft_bench_data *d, weft_bench_item *it);
int bench_routing(weft_context *ctx, const weft_bench_data *d, const char *spec, weft_bench_item *it);

#endif
