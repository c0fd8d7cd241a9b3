/* The timer of weft bench: warm-up, repetitions, median, and the achieved bandwidth. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "bench/bench_internal.h"

#define MAX_INNER 100000
#define MAX_REPS 1000

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* inner calls then one sync; *secs receives the time per call. */
static int repetition(const bench_call *c, int inner, double *secs)
{
    double t0 = bench_now();
    int st = WEFT_OK;
    for (int i = 0; !st && i < inner; i++) st = c->run(c->user);
    if (!st && c->sync) st = c->sync(c->user);
    *secs = (bench_now() - t0) / inner;
    return st;
}

int bench_time(const bench_call *c, const weft_bench_options *o, int batched, const char *name,
               weft_bench_item *it)
{
    double t[MAX_REPS], one = 0;
    int reps = o->repeat < MAX_REPS ? o->repeat : MAX_REPS, st = WEFT_OK;
    it->name = name;
    it->bytes = 0;
    it->gbs = it->ratio_to_copy = NAN;
    for (int i = 0; !st && i < o->warmup; i++) st = repetition(c, 1, &one);
    /* the warm-up's own time sizes the batch (a first call of a device can be slow: program
     * builds, first touch; a second, timed call does not carry that) */
    if (!st && batched) st = repetition(c, 1, &one);
    int inner = 1;
    if (batched && one > 0 && one < o->min_rep_s) {
        double want = ceil(o->min_rep_s / one);
        inner = want > MAX_INNER ? MAX_INNER : (int)want;
    }
    for (int r = 0; !st && r < reps; r++) st = repetition(c, inner, &t[r]);
    if (st) return st;
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    it->reps = reps;
    it->inner = inner;
    it->min_s = t[0];
    it->max_s = t[reps - 1];
    it->median_s = reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
    return WEFT_OK;
}

void bench_set_bytes(weft_bench_item *it, double bytes, double copy_gbs)
{
    it->bytes = bytes;
    it->gbs = it->median_s > 0 ? bytes / it->median_s / 1e9 : NAN;
    it->ratio_to_copy = copy_gbs > 0 ? it->gbs / copy_gbs : NAN;
}

void bench_figure(weft_bench_item *it, const char *key, double value)
{
    if (it->n_fig < WEFT_BENCH_MAX_FIGURES) it->fig[it->n_fig++] = (weft_bench_figure){key, value};
}
