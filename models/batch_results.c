/* Batch rows in memory: collecting, ordering, the summary over scenarios, journal records. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batch_results.h"
#include "core/context_internal.h"

const double weft_batch_percentiles[WEFT_BATCH_NPCT] = {0, 5, 25, 50, 75, 95, 100};

void weft_batch_results_init(weft_batch_results *r, int32_t total, int32_t T, int32_t n_bus)
{
    memset(r, 0, sizeof *r);
    r->total = total;
    r->T = T;
    r->n_bus = n_bus;
}

void weft_batch_results_free(weft_context *ctx, weft_batch_results *r)
{
    if (!r) return;
    for (int32_t i = 0; i < r->n; i++) weft_free(ctx, r->rows[i].lmp);
    weft_free(ctx, r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}

weft_status weft_batch_results_add(weft_context *ctx, weft_batch_results *r, weft_dcopf_scenario_result *row)
{
    if (r->n == r->cap) {
        int32_t cap = r->cap * 2 + 16;
        void *p = weft_realloc_array(ctx, r->rows, (size_t)cap, sizeof *r->rows);
        if (!p) return weft_error(ctx, WEFT_ERR_NOMEM, "batch: out of memory for %d results", cap);
        r->rows = p;
        r->cap = cap;
    }
    r->rows[r->n++] = *row;
    row->lmp = NULL;
    return WEFT_OK;
}

static int by_scenario(const void *a, const void *b)
{
    int32_t x = ((const weft_dcopf_scenario_result *)a)->scenario, y = ((const weft_dcopf_scenario_result *)b)->scenario;
    return (x > y) - (x < y);
}

weft_status weft_batch_results_sort(weft_context *ctx, weft_batch_results *r, const char *where)
{
    qsort(r->rows, (size_t)r->n, sizeof *r->rows, by_scenario);
    for (int32_t i = 1; i < r->n; i++)
        if (r->rows[i].scenario == r->rows[i - 1].scenario)
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: scenario %d appears twice", where, r->rows[i].scenario);
    return WEFT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentiles with linear interpolation between order statistics (numpy's default); NaN if n = 0. */
static void percentiles(double *v, size_t n, double out[WEFT_BATCH_NPCT], double *mean)
{
    double sum = 0;
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) sum += v[i];
    *mean = n ? sum / (double)n : NAN;
    for (int k = 0; k < WEFT_BATCH_NPCT; k++) {
        if (!n) {
            out[k] = NAN;
            continue;
        }
        double pos = weft_batch_percentiles[k] / 100 * (double)(n - 1);
        size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
        out[k] = v[lo] + (pos - (double)lo) * (v[hi] - v[lo]);
    }
}

static void totals(const weft_batch_results *r, weft_batch_summary *s)
{
    s->scenarios = r->n;
    for (int32_t i = 0; i < r->n; i++) {
        const weft_dcopf_scenario_result *x = &r->rows[i];
        if (x->outcome == WEFT_LP_OPTIMAL) s->optimal++;
        else s->not_optimal++;
        s->iterations += x->iterations;
        s->solve_time_s += x->time_s;
        if (!isfinite(x->objective)) continue;
        s->unserved_mwh += x->unserved_mwh;
        s->curtailment_mwh += x->curtailment_mwh;
        s->import_mwh += x->import_mwh;
        s->with_shedding += x->unserved_mwh > 1e-6;
    }
}

weft_status weft_batch_summarize(weft_context *ctx, const weft_batch_results *r, weft_batch_summary *s)
{
    size_t per = (size_t)r->T * (size_t)r->n_bus, nc = 0, nl = 0;
    memset(s, 0, sizeof *s);
    double *cost = weft_calloc(ctx, (size_t)r->n + 1, sizeof(double));
    double *lmp = weft_calloc(ctx, (size_t)r->n * per + 1, sizeof(double));
    if (!cost || !lmp) {
        weft_free(ctx, cost);
        weft_free(ctx, lmp);
        return weft_error(ctx, WEFT_ERR_NOMEM, "batch: out of memory for the summary");
    }
    totals(r, s);
    for (int32_t i = 0; i < r->n; i++) {
        const weft_dcopf_scenario_result *x = &r->rows[i];
        if (!isfinite(x->objective)) continue;
        cost[nc++] = x->objective;
        for (size_t k = 0; k < per; k++)
            if (isfinite(x->lmp[k])) lmp[nl++] = x->lmp[k];
    }
    percentiles(cost, nc, s->cost, &s->cost_mean);
    percentiles(lmp, nl, s->lmp, &s->lmp_mean);
    weft_free(ctx, cost);
    weft_free(ctx, lmp);
    return WEFT_OK;
}

/* Record layout: the fixed fields of the row in order, then T x n_bus LMPs. */
#define FIXED (2 * sizeof(int32_t) + sizeof(int64_t) + 6 * sizeof(double))

size_t weft_batch_record_size(const weft_batch_results *r)
{
    return FIXED + (size_t)r->T * (size_t)r->n_bus * sizeof(double);
}

static unsigned char *put(unsigned char *p, const void *v, size_t n)
{
    memcpy(p, v, n);
    return p + n;
}

static const unsigned char *get(const unsigned char *p, void *v, size_t n)
{
    memcpy(v, p, n);
    return p + n;
}

void weft_batch_record_encode(const weft_batch_results *r, const weft_dcopf_scenario_result *x, unsigned char *buf)
{
    unsigned char *p = buf;
    double d[6] = {x->objective, x->time_s, x->relative_kkt, x->unserved_mwh, x->curtailment_mwh, x->import_mwh};
    p = put(p, &x->scenario, sizeof x->scenario);
    p = put(p, &x->outcome, sizeof x->outcome);
    p = put(p, &x->iterations, sizeof x->iterations);
    p = put(p, d, sizeof d);
    put(p, x->lmp, (size_t)r->T * (size_t)r->n_bus * sizeof(double));
}

weft_status weft_batch_record_decode(weft_context *ctx, const weft_batch_results *r, const void *buf, size_t len,
                                     weft_dcopf_scenario_result *x)
{
    size_t n = (size_t)r->T * (size_t)r->n_bus;
    const unsigned char *p = buf;
    double d[6];
    memset(x, 0, sizeof *x);
    if (len != weft_batch_record_size(r))
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "batch journal: record of %zu bytes, expected %zu", len,
                          weft_batch_record_size(r));
    if (!(x->lmp = weft_calloc(ctx, n + 1, sizeof(double)))) return weft_error(ctx, WEFT_ERR_NOMEM, "batch: out of memory");
    p = get(p, &x->scenario, sizeof x->scenario);
    p = get(p, &x->outcome, sizeof x->outcome);
    p = get(p, &x->iterations, sizeof x->iterations);
    p = get(p, d, sizeof d);
    get(p, x->lmp, n * sizeof(double));
    x->objective = d[0];
    x->time_s = d[1];
    x->relative_kkt = d[2];
    x->unserved_mwh = d[3];
    x->curtailment_mwh = d[4];
    x->import_mwh = d[5];
    return WEFT_OK;
}
