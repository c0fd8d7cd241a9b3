/* weft batch's summary (JSON and log lines) and `weft batch merge`. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "batch_cli.h"

static json_t *number(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *pct_object(const double *v, double mean)
{
    static const char *const names[WEFT_BATCH_NPCT] = {"min", "p5", "p25", "p50", "p75", "p95", "max"};
    json_t *o = json_object();
    for (int k = 0; k < WEFT_BATCH_NPCT; k++) json_object_set_new(o, names[k], number(v[k]));
    json_object_set_new(o, "mean", number(mean));
    return o;
}

void *batch_summary_json(const weft_batch_results *r, const weft_batch_summary *s)
{
    json_t *o = json_object();
    int rc = batch_exit_code(r);
    const char *status = r->n < r->total ? "incomplete" : rc == 0 ? "optimal" : rc == 1 ? "not_all_optimal"
                                                          : rc == 3 ? "some_infeasible" : "some_failed";
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "scenarios", json_integer(r->total));
    json_object_set_new(o, "results", json_integer(r->n));
    json_object_set_new(o, "optimal", json_integer(s->optimal));
    json_object_set_new(o, "not_optimal", json_integer(s->not_optimal));
    json_object_set_new(o, "objective", number(s->cost_mean)); /* mean cost over scenarios */
    json_object_set_new(o, "objective_units", json_string("currency (mean over scenarios)"));
    json_object_set_new(o, "cost", pct_object(s->cost, s->cost_mean));
    json_object_set_new(o, "lmp", pct_object(s->lmp, s->lmp_mean));
    json_object_set_new(o, "unserved_mwh", number(s->unserved_mwh));
    json_object_set_new(o, "scenarios_with_shedding", json_integer(s->with_shedding));
    json_object_set_new(o, "curtailment_mwh", number(s->curtailment_mwh));
    json_object_set_new(o, "import_mwh", number(s->import_mwh));
    json_object_set_new(o, "iterations", json_integer(s->iterations));
    json_object_set_new(o, "solve_time_s", json_real(s->solve_time_s));
    json_object_set_new(o, "device", json_string(r->device));
    json_object_set_new(o, "periods", json_integer(r->T));
    json_object_set_new(o, "buses", json_integer(r->n_bus));
    json_object_set_new(o, "input", json_string(r->input));
    json_object_set_new(o, "input_hash", json_string(r->input_hash));
    return o;
}

void batch_summary_print(const weft_batch_results *r, const weft_batch_summary *s)
{
    fprintf(stderr, "scenarios        %d of %d (%d optimal, %d not)\n", r->n, r->total, s->optimal, s->not_optimal);
    fprintf(stderr, "cost             min %.6g  p5 %.6g  p50 %.6g  p95 %.6g  max %.6g  mean %.6g\n", s->cost[0],
            s->cost[1], s->cost[3], s->cost[5], s->cost[6], s->cost_mean);
    fprintf(stderr, "lmp              min %.6g  p5 %.6g  p50 %.6g  p95 %.6g  max %.6g\n", s->lmp[0], s->lmp[1],
            s->lmp[3], s->lmp[5], s->lmp[6]);
    fprintf(stderr, "unserved         %.6g MWh in %d scenarios\n", s->unserved_mwh, s->with_shedding);
    fprintf(stderr, "curtailment      %.6g MWh, imports %.6g MWh\n", s->curtailment_mwh, s->import_mwh);
    fprintf(stderr, "iterations       %lld (solve time %.3f s, device %s)\n", (long long)s->iterations, s->solve_time_s,
            r->device);
}

static void report(const cli_args *a, const weft_batch_results *r, const weft_batch_summary *s, const char *out)
{
    if (a->set[OPT_JSON]) {
        json_t *o = batch_summary_json(r, s);
        json_object_set_new(o, "output", json_string(out));
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        json_decref(o);
    } else if (!a->set[OPT_QUIET]) {
        batch_summary_print(r, s);
    }
}

int batch_merge_files(weft_context *ctx, const cli_args *a, char **parts, int n, const char *out, int print)
{
    weft_batch_results r;
    weft_batch_summary s;
    memset(&r, 0, sizeof r);
    int st = WEFT_OK;
    for (int i = 0; !st && i < n; i++) st = weft_batch_results_read_h5(ctx, parts[i], &r);
    if (!st) st = weft_batch_results_sort(ctx, &r, out);
    if (!st) st = weft_batch_results_write_h5(ctx, &r, out);
    if (!st) st = weft_batch_summarize(ctx, &r, &s);
    if (st) {
        weft_batch_results_free(ctx, &r);
        return cli_fail(ctx, st, "batch merge");
    }
    int rc = batch_exit_code(&r);
    if (r.n < r.total) {
        fprintf(stderr, "weft batch merge: %s holds %d of %d scenarios (a shard is missing)\n", out, r.n, r.total);
        if (rc < WEFT_EXIT_LIMIT) rc = WEFT_EXIT_LIMIT;
    }
    if (print) report(a, &r, &s, out);
    weft_batch_results_free(ctx, &r);
    return rc;
}

/* The final figures of a run whose results are in `out`. */
int batch_report_file(weft_context *ctx, const cli_args *a, const char *out, int64_t resumed, int64_t solved,
                      int ranks, double wall_s)
{
    weft_batch_results r;
    weft_batch_summary s;
    memset(&r, 0, sizeof r);
    int st = weft_batch_results_read_h5(ctx, out, &r);
    if (!st) st = weft_batch_summarize(ctx, &r, &s);
    if (st) {
        weft_batch_results_free(ctx, &r);
        return cli_fail(ctx, st, "batch");
    }
    if (a->set[OPT_JSON]) {
        json_t *o = batch_summary_json(&r, &s);
        json_object_set_new(o, "output", json_string(out));
        json_object_set_new(o, "resumed", json_integer(resumed));
        json_object_set_new(o, "solved", json_integer(solved));
        json_object_set_new(o, "ranks", json_integer(ranks));
        json_object_set_new(o, "time_s", json_real(wall_s));
        json_object_set_new(o, "scenarios_per_s", json_real(wall_s > 0 ? (double)solved / wall_s : 0));
        json_object_set_new(o, "shard", json_string(a->set[OPT_SHARD] ? a->str[OPT_SHARD] : "0/1"));
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        json_decref(o);
    } else if (!a->set[OPT_QUIET]) {
        batch_summary_print(&r, &s);
        fprintf(stderr, "run              %lld solved, %lld resumed, %d rank(s), %.2f s -> %s\n", (long long)solved,
                (long long)resumed, ranks, wall_s, out);
    }
    int rc = batch_exit_code(&r);
    weft_batch_results_free(ctx, &r);
    return rc;
}
