/* weft bench: a fixed suite of kernels and whole solves, timed on one device at a time, with the
 * device's measured copy bandwidth as the yardstick for the memory-bound kernels. Everything the
 * suite runs on is generated in-process (the synthetic Kunshan scenario, its grid made larger for
 * the SpMV and PDHG kernels), so two machines running the same weft time the same work.
 *
 * Items (name: what one call is):
 *   copy            y = x on a large vector (the backend's copy op): bytes 16 per element
 *   spmv            y = A x on the large DC-OPF's scaled constraint matrix
 *   pdhg_iteration  the three fused PDHG ops (primal, dual + A x, adjoint + A'y) with the Halpern update
 *   sssp            many-source shortest paths on the Kunshan road graph to every point of interest
 *   vrp_moves       every delivery's best insertion into a constructed Kunshan route plan (one batch)
 *   vrp_ls          the batched local search's whole granular neighbourhood of that plan (one launch)
 *   dispatch        the Kunshan 24-period DC-OPF solved to 1e-4 (weft_lp_solve, device opened inside)
 *   routing         Kunshan deliveries, fixed seed and iteration limit, batched local search
 *                   (weft_vrp_solve: the same search, so the same answer, on every device) */
#ifndef WEFT_BENCH_SUITE_H
#define WEFT_BENCH_SUITE_H

#include <stdint.h>

#include "weft/devices.h"

#define WEFT_BENCH_MAX_ITEMS 12
#define WEFT_BENCH_MAX_FIGURES 8

/* A figure an item reports beside its time: a size, a rate, an outcome. */
typedef struct weft_bench_figure {
    const char *key; /* static string */
    double value;
} weft_bench_figure;

typedef struct weft_bench_item {
    const char *name;     /* static string, one of the list above */
    int reps;             /* timed repetitions */
    int inner;            /* calls per repetition (short kernels repeat until a repetition is long
                             enough to time); the times below are per call */
    double median_s, min_s, max_s;
    double bytes;         /* bytes one call moves by the item's byte model (bench_lp.c); 0: none */
    double gbs;           /* bytes / median_s / 1e9; NAN without a byte model */
    double ratio_to_copy; /* gbs over the device's copy bandwidth; NAN without a byte model */
    int n_fig;
    weft_bench_figure fig[WEFT_BENCH_MAX_FIGURES];
} weft_bench_item;

typedef struct weft_bench_device {
    weft_device_info info;
    char description[128]; /* the backend's own line, e.g. "cpu (OpenMP 2 threads, Haswell)" */
    double copy_gbs;
    int n_items;
    weft_bench_item items[WEFT_BENCH_MAX_ITEMS];
    int status;            /* 0, or the error that stopped this device's suite */
    char error[512];       /* its message */
} weft_bench_device;

typedef struct weft_bench_options {
    int repeat;       /* timed repetitions per item, >= 1 */
    int warmup;       /* untimed calls first, >= 0 */
    int quick;        /* small sizes: a smoke test that takes seconds */
    double min_rep_s; /* a short kernel repeats within one repetition until it lasts this long */
    uint64_t seed;
} weft_bench_options;

/* The byte model of an item (one line, as the JSON output states it), or NULL if it has none. */
const char *weft_bench_byte_model(const char *item);

/* repeat 5, warmup 1, full sizes, min_rep_s 0.05, seed 1. */
void weft_bench_options_default(weft_bench_options *o);

typedef struct weft_bench_data weft_bench_data;

/* Generates the suite's problems on the host (the Kunshan scenario, the large DC-OPF scaled as the
 * solver scales it, a constructed route plan). The matrix of the scenario is computed on the cpu
 * backend whatever the context's device. */
weft_status weft_bench_data_create(weft_context *ctx, const weft_bench_options *o, weft_bench_data **out);
void weft_bench_data_destroy(weft_context *ctx, weft_bench_data **d);

/* Runs the suite on the device spec ("cpu", "cl:P:D", ...; resolved beforehand with
 * weft_device_probe into info). Whatever stops the suite is kept in out->status and out->error,
 * with the items measured before it; the return value is that status. The context's device is
 * set to spec for the whole solves and restored after. */
weft_status weft_bench_run_device(weft_context *ctx, weft_bench_data *d, const char *spec,
                                  const weft_device_info *info, const weft_bench_options *o,
                                  weft_bench_device *out);

#endif
