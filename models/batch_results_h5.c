/* /batch of a results file (datasets/SCHEMA.md): one row per scenario, a summary over them. */
#include <math.h>
#include <string.h>

#include "batch_results.h"
#include "core/context_internal.h"
#include "io/h5util.h"

#define B "/batch"

typedef struct columns {
    int32_t *scenario, *outcome;
    int64_t *iterations;
    double *objective, *time_s, *kkt, *unserved, *curtail, *import, *lmp;
    const char **status;
} columns;

static void columns_free(weft_context *ctx, columns *c)
{
    void *p[] = {c->scenario, c->outcome, c->iterations, c->objective, c->time_s, c->kkt,
                 c->unserved, c->curtail, c->import, c->lmp, (void *)c->status};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) weft_free(ctx, p[i]);
    memset(c, 0, sizeof *c);
}

static int columns_alloc(weft_context *ctx, columns *c, size_t n, size_t per)
{
    memset(c, 0, sizeof *c);
    c->scenario = weft_calloc(ctx, n + 1, sizeof(int32_t));
    c->outcome = weft_calloc(ctx, n + 1, sizeof(int32_t));
    c->iterations = weft_calloc(ctx, n + 1, sizeof(int64_t));
    double **d[] = {&c->objective, &c->time_s, &c->kkt, &c->unserved, &c->curtail, &c->import};
    int ok = c->scenario && c->outcome && c->iterations;
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) ok &= (*d[i] = weft_calloc(ctx, n + 1, sizeof(double))) != NULL;
    ok &= (c->lmp = weft_calloc(ctx, n * per + 1, sizeof(double))) != NULL;
    ok &= (c->status = weft_calloc(ctx, n + 1, sizeof(char *))) != NULL;
    if (ok) return WEFT_OK;
    columns_free(ctx, c);
    return weft_error(ctx, WEFT_ERR_NOMEM, "batch: out of memory for %zu results", n);
}

static void to_columns(const weft_batch_results *r, columns *c)
{
    size_t per = (size_t)r->T * (size_t)r->n_bus;
    for (int32_t i = 0; i < r->n; i++) {
        const weft_dcopf_scenario_result *x = &r->rows[i];
        c->scenario[i] = x->scenario;
        c->outcome[i] = x->outcome;
        c->status[i] = weft_lp_outcome_string((weft_lp_outcome)x->outcome);
        c->iterations[i] = x->iterations;
        c->objective[i] = x->objective;
        c->time_s[i] = x->time_s;
        c->kkt[i] = x->relative_kkt;
        c->unserved[i] = x->unserved_mwh;
        c->curtail[i] = x->curtailment_mwh;
        c->import[i] = x->import_mwh;
        memcpy(c->lmp + (size_t)i * per, x->lmp, per * sizeof(double));
    }
}

static int write_columns(weft_h5 *h, const weft_batch_results *r, const columns *c)
{
    size_t n = (size_t)r->n, d[3] = {n, (size_t)r->T, (size_t)r->n_bus};
    int st = weft_h5_write_int(h, B "/scenario", c->scenario, n, "1");
    if (!st) st = weft_h5_write_int(h, B "/outcome", c->outcome, n, "1");
    if (!st) st = weft_h5_write_strings(h, B "/status", (char *const *)c->status, n);
    if (!st) st = weft_h5_write_real(h, B "/objective", c->objective, n, "currency");
    if (!st) st = weft_h5_write_int64(h, B "/iterations", c->iterations, n, "1");
    if (!st) st = weft_h5_write_real(h, B "/time_s", c->time_s, n, "s");
    if (!st) st = weft_h5_write_real(h, B "/relative_kkt", c->kkt, n, "1");
    if (!st) st = weft_h5_write_real(h, B "/unserved_mwh", c->unserved, n, "MWh");
    if (!st) st = weft_h5_write_real(h, B "/curtailment_mwh", c->curtail, n, "MWh");
    if (!st) st = weft_h5_write_real(h, B "/import_mwh", c->import, n, "MWh");
    if (!st) st = weft_h5_write_real3(h, B "/lmp", c->lmp, d, "currency/MWh");
    return st;
}

static int write_summary(weft_h5 *h, const weft_batch_summary *s)
{
    const char *S = B "/summary";
    int st = weft_h5_make_group(h, S);
    if (!st) st = weft_h5_write_real(h, B "/summary/percentile", weft_batch_percentiles, WEFT_BATCH_NPCT, "%");
    if (!st) st = weft_h5_write_real(h, B "/summary/cost", s->cost, WEFT_BATCH_NPCT, "currency");
    if (!st) st = weft_h5_write_real(h, B "/summary/lmp", s->lmp, WEFT_BATCH_NPCT, "currency/MWh");
    const struct { const char *name; double v; } a[] = {
        {"cost_mean", s->cost_mean}, {"lmp_mean", s->lmp_mean}, {"unserved_mwh", s->unserved_mwh},
        {"curtailment_mwh", s->curtailment_mwh}, {"import_mwh", s->import_mwh}, {"solve_time_s", s->solve_time_s}};
    for (size_t i = 0; !st && i < sizeof a / sizeof *a; i++) st = weft_h5_attr_real(h, S, a[i].name, a[i].v);
    if (!st) st = weft_h5_attr_int(h, S, "scenarios", s->scenarios);
    if (!st) st = weft_h5_attr_int(h, S, "optimal", s->optimal);
    if (!st) st = weft_h5_attr_int(h, S, "not_optimal", s->not_optimal);
    if (!st) st = weft_h5_attr_int(h, S, "scenarios_with_shedding", s->with_shedding);
    if (!st) st = weft_h5_attr_int(h, S, "iterations", s->iterations);
    return st;
}

static int complete(const weft_batch_results *r)
{
    if (r->n != r->total) return 0;
    for (int32_t i = 0; i < r->n; i++)
        if (r->rows[i].scenario != i) return 0;
    return 1;
}

static int write_attrs(weft_h5 *h, const weft_batch_results *r)
{
    int st = weft_h5_make_group(h, B);
    if (!st) st = weft_h5_attr_int(h, B, "scenarios_total", r->total);
    if (!st) st = weft_h5_attr_int(h, B, "count", r->n);
    if (!st) st = weft_h5_attr_int(h, B, "complete", complete(r));
    if (!st) st = weft_h5_attr_int(h, B, "periods", r->T);
    if (!st) st = weft_h5_attr_int(h, B, "buses", r->n_bus);
    if (!st) st = weft_h5_attr_string(h, B, "input", r->input);
    if (!st) st = weft_h5_attr_string(h, B, "input_hash", r->input_hash);
    if (!st) st = weft_h5_attr_string(h, B, "device", r->device);
    if (!st) st = weft_h5_attr_real(h, B, "tolerance", r->tolerance);
    return st;
}

weft_status weft_batch_results_write_h5(weft_context *ctx, const weft_batch_results *r, const char *path)
{
    weft_h5 h;
    columns c;
    weft_batch_summary s;
    int st = weft_batch_summarize(ctx, r, &s);
    if (!st) st = columns_alloc(ctx, &c, (size_t)r->n, (size_t)r->T * (size_t)r->n_bus);
    if (st) return st;
    to_columns(r, &c);
    st = weft_h5_create(ctx, path, &h);
    if (!st) st = write_attrs(&h, r);
    if (!st) st = write_columns(&h, r, &c);
    if (!st) st = write_summary(&h, &s);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    columns_free(ctx, &c);
    return st;
}

/* Shape and provenance: set by the first file, checked against by the others. */
static int read_attrs(weft_h5 *h, weft_batch_results *r, int64_t *count)
{
    int64_t total = 0, T = 0, nb = 0;
    char hash[sizeof r->input_hash] = "";
    if (!weft_h5_exists(h, B))
        return weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: no /batch group (not a weft batch output)", h->path);
    int st = weft_h5_read_attr_int(h, B, "scenarios_total", &total);
    if (!st) st = weft_h5_read_attr_int(h, B, "count", count);
    if (!st) st = weft_h5_read_attr_int(h, B, "periods", &T);
    if (!st) st = weft_h5_read_attr_int(h, B, "buses", &nb);
    if (!st) st = weft_h5_read_attr_string(h, B, "input_hash", hash, sizeof hash);
    if (st) return st;
    if (total < 1 || total > WEFT_SCENARIOS_MAX || T < 1 || nb < 0 || *count < 0 || *count > total)
        return weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: /batch attributes out of range", h->path);
    if (r->T == 0) {
        weft_batch_results_init(r, (int32_t)total, (int32_t)T, (int32_t)nb);
        snprintf(r->input_hash, sizeof r->input_hash, "%s", hash);
        weft_h5_read_attr_string(h, B, "input", r->input, sizeof r->input);
        weft_h5_read_attr_string(h, B, "device", r->device, sizeof r->device);
        weft_h5_read_attr_real(h, B, "tolerance", &r->tolerance);
        return WEFT_OK;
    }
    if (strcmp(hash, r->input_hash) || total != r->total || T != r->T || nb != r->n_bus)
        return weft_error(h->ctx, WEFT_ERR_BAD_INPUT,
                          "%s: /batch is from another input (hash %s, %lld scenarios; the first file has %s, %d)",
                          h->path, hash, (long long)total, r->input_hash, r->total);
    return WEFT_OK;
}

static int read_columns(weft_h5 *h, size_t n, size_t per, columns *c)
{
    size_t d[3];
    int st = weft_h5_read_int(h, B "/scenario", (long)n, &c->scenario, NULL);
    if (!st) st = weft_h5_read_int(h, B "/outcome", (long)n, &c->outcome, NULL);
    if (!st) st = weft_h5_read_int64(h, B "/iterations", (long)n, &c->iterations, NULL);
    if (!st) st = weft_h5_read_real(h, B "/objective", (long)n, &c->objective, NULL);
    if (!st) st = weft_h5_read_real(h, B "/time_s", (long)n, &c->time_s, NULL);
    if (!st) st = weft_h5_read_real(h, B "/relative_kkt", (long)n, &c->kkt, NULL);
    if (!st) st = weft_h5_read_real(h, B "/unserved_mwh", (long)n, &c->unserved, NULL);
    if (!st) st = weft_h5_read_real(h, B "/curtailment_mwh", (long)n, &c->curtail, NULL);
    if (!st) st = weft_h5_read_real(h, B "/import_mwh", (long)n, &c->import, NULL);
    if (!st) st = weft_h5_read_real3(h, B "/lmp", &c->lmp, d);
    if (!st && (d[0] != n || d[1] * d[2] != per))
        st = weft_error(h->ctx, WEFT_ERR_BAD_INPUT, "%s: /batch/lmp is %zu x %zu x %zu, expected %zu rows of %zu", h->path,
                        d[0], d[1], d[2], n, per);
    return st;
}

static int add_rows(weft_context *ctx, const char *path, weft_batch_results *r, const columns *c, size_t n)
{
    size_t per = (size_t)r->T * (size_t)r->n_bus;
    for (size_t i = 0; i < n; i++) {
        if (c->scenario[i] < 0 || c->scenario[i] >= r->total)
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: /batch/scenario[%zu] = %d is not in [0, %d)", path, i,
                              c->scenario[i], r->total);
        weft_dcopf_scenario_result x = {c->scenario[i], c->outcome[i], c->iterations[i], c->objective[i], c->time_s[i],
                                        c->kkt[i], c->unserved[i], c->curtail[i], c->import[i], NULL};
        if (!(x.lmp = weft_calloc(ctx, per + 1, sizeof(double)))) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory");
        memcpy(x.lmp, c->lmp + i * per, per * sizeof(double));
        int st = weft_batch_results_add(ctx, r, &x);
        weft_free(ctx, x.lmp);
        if (st) return st;
    }
    return WEFT_OK;
}

weft_status weft_batch_results_read_h5(weft_context *ctx, const char *path, weft_batch_results *r)
{
    weft_h5 h;
    columns c;
    int64_t count = 0;
    memset(&c, 0, sizeof c);
    int st = weft_h5_open_read(ctx, path, &h);
    if (!st) st = read_attrs(&h, r, &count);
    if (!st) st = read_columns(&h, (size_t)count, (size_t)r->T * (size_t)r->n_bus, &c);
    if (!st) st = add_rows(ctx, path, r, &c, (size_t)count);
    weft_h5_close(&h);
    columns_free(ctx, &c);
    return st;
}
