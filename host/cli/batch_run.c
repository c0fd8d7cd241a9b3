/* One process's share of weft batch: resume from the journal, solve the rest through the LP batch
 * API (one matrix, per-scenario vectors written by the fill callback), journal each scenario as it
 * finishes, write the results file once at the end. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <xxhash.h>

#include "batch/journal.h"
#include "batch_cli.h"
#include "core/context_internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int batch_hash_file(weft_context *ctx, const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot open for reading", path);
    XXH64_state_t *s = XXH64_createState();
    char buf[1 << 16];
    size_t n;
    XXH64_reset(s, 0);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) XXH64_update(s, buf, n);
    int bad = ferror(f);
    fclose(f);
    *out = XXH64_digest(s);
    XXH64_freeState(s);
    return bad ? weft_error(ctx, WEFT_ERR_IO, "%s: read error", path) : WEFT_OK;
}

/* The journal's key: the input's bytes and every option that changes a scenario's result. The
 * device and the batch size are left out: they move results only within the tolerance. */
static uint64_t journal_key(const batch_job *j)
{
    const cli_args *a = j->args;
    struct {
        uint64_t input;
        double tol, time_limit, iteration_limit;
        int32_t lo, hi, T, n_bus;
        char model[16];
    } k;
    memset(&k, 0, sizeof k);
    k.input = j->input_hash;
    k.tol = a->num[OPT_TOL];
    k.time_limit = a->num[OPT_TIME_LIMIT];
    k.iteration_limit = a->num[OPT_ITER_LIMIT];
    k.lo = j->lo;
    k.hi = j->hi;
    k.T = j->model->T;
    k.n_bus = j->grid->n_bus;
    snprintf(k.model, sizeof k.model, "%s", a->str[OPT_MODEL]);
    return XXH64(&k, sizeof k, 0x7765667462617463ULL);
}

static int on_record(void *user, const void *data, size_t len)
{
    batch_job *j = user;
    weft_dcopf_scenario_result row;
    int st = weft_batch_record_decode(j->ctx, &j->res, data, len, &row);
    if (st) return st;
    int32_t s = row.scenario;
    if (s < j->lo || s >= j->hi || j->done[s - j->lo]) {
        weft_free(j->ctx, row.lmp); /* not ours or already read: keep the first */
        return WEFT_OK;
    }
    j->done[s - j->lo] = 1;
    j->resumed++;
    return weft_batch_results_add(j->ctx, &j->res, &row);
}

static void progress(batch_job *j, int final)
{
    if (j->args->set[OPT_QUIET]) return;
    double t = now(), el = t - j->t0;
    int tty = isatty(2);
    int64_t total = j->hi - j->lo, done = j->resumed + j->solved;
    if (!final && t - j->last_report < (tty ? 0.5 : 5)) return;
    if (final && done == j->last_done && !tty) return; /* the last line already said it */
    j->last_report = t;
    j->last_done = done;
    double rate = el > 0 ? (double)j->solved / el : 0;
    char eta[32] = "-";
    if (rate > 0) snprintf(eta, sizeof eta, "%.0f s", (double)(total - done) / rate);
    fprintf(stderr, "%s%sbatch: %lld/%lld scenarios (%lld resumed), %.2f scenarios/s, ETA %s%s", tty ? "\r" : "",
            j->tag, (long long)done, (long long)total, (long long)j->resumed, rate, eta, tty && !final ? "   " : "\n");
    fflush(stderr);
}

static int fill(void *user, int32_t index, weft_lp_problem *p)
{
    batch_job *j = user;
    return weft_dcopf_scenario_fill(j->model, j->sc, j->todo[index], p);
}

static int on_done(void *user, int32_t index, const weft_lp_result *r)
{
    batch_job *j = user;
    weft_dcopf_scenario_result row;
    int st = weft_dcopf_scenario_result_make(j->ctx, j->model, j->sc, j->todo[index], r, &row);
    if (st) return st;
    weft_batch_record_encode(&j->res, &row, j->record);
    st = weft_journal_append(j->journal_fd, j->record, weft_batch_record_size(&j->res));
    if (!st) st = weft_batch_results_add(j->ctx, &j->res, &row);
    weft_free(j->ctx, row.lmp);
    if (st) return st;
    if (!j->res.device[0]) snprintf(j->res.device, sizeof j->res.device, "%s", r->device);
    j->solved++;
    progress(j, 0);
    return WEFT_OK;
}

/* Reads the input and its scenarios, builds the model once, and narrows [lo, hi) to this process. */
static int load(batch_job *j)
{
    weft_dcopf_options mo = {0};
    mo.convention = strcmp(j->args->str[OPT_MODEL], "powermodels") ? WEFT_DC_MATPOWER : WEFT_DC_POWERMODELS;
    int st = batch_hash_file(j->ctx, j->input, &j->input_hash);
    if (!st) st = weft_grid_read_h5(j->ctx, j->input, &j->grid);
    if (!st) st = weft_scenarios_read_h5(j->ctx, j->input, j->grid, &j->sc);
    if (st) return st;
    mo.periods = j->sc->periods;
    st = weft_dcopf_build(j->ctx, j->grid, &mo, &j->model);
    if (st) return st;
    /* this process's share: the rank's block of the shard's block */
    batch_block(j->sc->count, j->shard, j->shards, &j->lo, &j->hi);
    batch_block(j->hi - j->lo, j->rank, j->ranks, &j->lo, &j->hi);
    return WEFT_OK;
}

static int open_journal(batch_job *j)
{
    weft_journal_info info;
    int32_t n = j->hi - j->lo;
    j->done = weft_calloc(j->ctx, (size_t)n + 1, 1);
    j->todo = weft_calloc(j->ctx, (size_t)n + 1, sizeof(int32_t));
    j->record = weft_calloc(j->ctx, weft_batch_record_size(&j->res), 1);
    if (!j->done || !j->todo || !j->record) return weft_error(j->ctx, WEFT_ERR_NOMEM, "batch: out of memory");
    int st = weft_journal_open(j->ctx, j->journal, journal_key(j), on_record, j, &info, &j->journal_fd);
    if (st) return st;
    if (info.restarted)
        weft_log(j->ctx, WEFT_LOG_WARNING, "%s%s: written by another input or other options: not resumed, starting afresh",
                 j->tag, j->journal);
    if (info.records > 0)
        weft_log(j->ctx, WEFT_LOG_INFO, "%sresuming %lld finished scenarios from %s%s", j->tag, (long long)j->resumed,
                 j->journal, info.torn_bytes ? " (a torn last record was dropped)" : "");
    for (int32_t s = j->lo; s < j->hi; s++)
        if (!j->done[s - j->lo]) j->todo[j->n_todo++] = s;
    return WEFT_OK;
}

static int solve(batch_job *j)
{
    weft_lp_batch_options o;
    weft_lp_batch_options_default(&o);
    o.lp.tol = j->args->num[OPT_TOL];
    o.lp.time_limit = j->args->num[OPT_TIME_LIMIT];
    o.lp.iteration_limit = (int64_t)j->args->num[OPT_ITER_LIMIT];
    o.batch_size = (int32_t)j->args->num[OPT_BATCH_SIZE];
    o.warm_start = !j->args->set[OPT_NO_WARM_START];
    const char *eng = j->args->str[OPT_BATCH_ENGINE];
    o.engine = !strcmp(eng, "blocked") ? WEFT_LP_BATCH_BLOCKED
               : !strcmp(eng, "parallel") ? WEFT_LP_BATCH_PARALLEL : WEFT_LP_BATCH_AUTO;
    o.on_done = on_done;
    o.user = j;
    weft_lp_batch_source src = {j->n_todo, j->model->lp, fill, j};
    j->t0 = now();
    int st = j->n_todo ? weft_lp_solve_batch(j->ctx, &src, &o) : WEFT_OK;
    if (j->n_todo || j->resumed) progress(j, 1);
    return st;
}

/* Block `part` of `parts` of [lo, lo + n): contiguous, so warm starts follow neighbouring scenarios. */
void batch_block(int32_t n, int part, int parts, int32_t *lo, int32_t *hi)
{
    int32_t base = *lo;
    *lo = base + (int32_t)((int64_t)n * part / parts);
    *hi = base + (int32_t)((int64_t)n * (part + 1) / parts);
}

int batch_exit_code(const weft_batch_results *r)
{
    int rc = WEFT_EXIT_SOLVED;
    for (int32_t i = 0; i < r->n; i++) {
        int e = cli_exit_for_outcome((weft_lp_outcome)r->rows[i].outcome);
        if (e > rc) rc = e;
    }
    return rc;
}

int batch_job_run(batch_job *j)
{
    double t0 = now();
    int st = load(j);
    if (st) return cli_fail(j->ctx, st, "batch");
    weft_batch_results_init(&j->res, j->sc->count, j->model->T, j->grid->n_bus);
    snprintf(j->res.input, sizeof j->res.input, "%s", j->input);
    snprintf(j->res.input_hash, sizeof j->res.input_hash, "%016llx", (unsigned long long)j->input_hash);
    j->res.tolerance = j->args->num[OPT_TOL];
    st = open_journal(j);
    if (!st) st = solve(j);
    if (!j->res.device[0]) /* nothing solved in this run */
        snprintf(j->res.device, sizeof j->res.device, "%s (every scenario resumed)", weft_context_device(j->ctx));
    weft_journal_close(&j->journal_fd);
    if (!st) st = weft_batch_results_sort(j->ctx, &j->res, j->journal);
    if (!st) st = weft_batch_results_write_h5(j->ctx, &j->res, j->out);
    j->wall_s = now() - t0;
    j->written = !st;
    return st ? cli_fail(j->ctx, st, "batch") : batch_exit_code(&j->res);
}

int batch_job_write_mps(batch_job *j, const char *dir)
{
    int st = load(j);
    if (st) return cli_fail(j->ctx, st, "batch");
    weft_lp_problem *p = NULL;
    st = weft_lp_problem_create_like(j->ctx, j->model->lp, &p);
    char path[1200];
    for (int32_t s = j->lo; !st && s < j->hi; s++) {
        st = weft_dcopf_scenario_fill(j->model, j->sc, s, p);
        snprintf(path, sizeof path, "%s/scenario_%06d.mps", dir, s);
        if (!st) st = weft_mps_write(j->ctx, p, path);
    }
    weft_lp_problem_destroy(j->ctx, &p);
    if (st) return cli_fail(j->ctx, st, "batch --write-mps-dir");
    if (j->args->set[OPT_JSON]) {
        json_t *o = json_pack("{s:i, s:s, s:f}", "written", (int)(j->hi - j->lo), "directory", dir,
                              "objective_scale", j->model->cost_scale);
        if (o) json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (o) printf("\n");
        json_decref(o);
    }
    else if (!j->args->set[OPT_QUIET])
        fprintf(stderr, "weft batch: %d scenarios written to %s (LP objective x %.6g = currency)\n", j->hi - j->lo,
                dir, j->model->cost_scale);
    return WEFT_EXIT_SOLVED;
}

void batch_job_finish(batch_job *j, int remove_output)
{
    remove(j->journal);
    if (remove_output) remove(j->out);
}

void batch_job_free(batch_job *j)
{
    weft_journal_close(&j->journal_fd);
    weft_batch_results_free(j->ctx, &j->res);
    weft_dcopf_destroy(j->ctx, &j->model);
    weft_scenarios_destroy(j->ctx, &j->sc);
    weft_grid_destroy(j->ctx, &j->grid);
    weft_free(j->ctx, j->todo);
    weft_free(j->ctx, j->done);
    weft_free(j->ctx, j->record);
}
