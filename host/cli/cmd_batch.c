/* weft batch SCENARIOS.h5: every scenario of a grid file solved as a DC-OPF, results per scenario
 * and a summary over them in -o OUT.h5 (/batch). A journal beside OUT lets a killed run resume.
 * Under mpirun or srun the ranks take contiguous blocks of scenarios and rank 0 merges their parts;
 * --shard I/N takes block I of N for job arrays, and `weft batch merge` joins shard outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch_cli.h"
#include "core/context_internal.h"
#include "weft/devices.h"

static int parse_shard(const cli_args *a, int *i, int *n)
{
    *i = 0;
    *n = 1;
    if (!a->set[OPT_SHARD]) return 0;
    char tail;
    if (sscanf(a->str[OPT_SHARD], "%d/%d%c", i, n, &tail) != 2 || *n < 1 || *n > 1000000 || *i < 0 || *i >= *n) {
        fprintf(stderr, "weft batch: --shard: '%s' is not I/N with 0 <= I < N\n", a->str[OPT_SHARD]);
        return -1;
    }
    return 0;
}

/* Ranks on a node each take their own GPU (by local rank) when the user asked for one or left the
 * choice to weft; with no fp64 GPU they use the CPU backend. */
static void rank_device(weft_context *ctx, const cli_args *a, const batch_comm *c)
{
    const char *want = a->set[OPT_DEVICE] ? a->str[OPT_DEVICE] : getenv("WEFT_DEVICE");
    if (c->size <= 1 || (want && *want && strcmp(want, "auto") && strcmp(want, "cl:gpu"))) return;
    weft_device_info *list = NULL;
    int n = 0, gpus = 0;
    const char *pick = "cpu";
    if (weft_devices_list(ctx, &list, &n) == WEFT_OK) {
        for (int k = 0; k < n; k++) gpus += !strcmp(list[k].type, "gpu") && list[k].fp64;
        for (int k = 0, seen = 0; gpus && k < n; k++)
            if (!strcmp(list[k].type, "gpu") && list[k].fp64 && seen++ == c->local_rank % gpus) pick = list[k].spec;
    }
    weft_context_set_device(ctx, pick);
    weft_devices_free(ctx, &list);
}

/* Ranks on one node share its cores, unless the user or the launcher said how many to use. */
static void rank_threads(weft_context *ctx, const cli_args *a, const batch_comm *c)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (a->set[OPT_THREADS] || getenv("OMP_NUM_THREADS") || c->local_size <= 1 || cores < 1) return;
    weft_context_set_threads(ctx, cores / c->local_size > 1 ? (int)(cores / c->local_size) : 1);
}

static void default_output(const cli_args *a, int shard, int shards, char *buf, size_t len)
{
    if (a->set[OPT_OUTPUT]) snprintf(buf, len, "%s", a->str[OPT_OUTPUT]);
    else if (shards > 1) snprintf(buf, len, "batch-shard-%d-of-%d.h5", shard, shards);
    else snprintf(buf, len, "batch.h5");
}

#define PART_NAME 1100

static void part_name(const char *out, int rank, int ranks, char *buf, size_t len)
{
    snprintf(buf, len, "%s.part-%d-of-%d", out, rank, ranks);
}

/* After every rank wrote its part: rank 0 merges them into out; all remove journal and part once
 * out is complete. Returns the worst exit code over ranks. */
static int gather(batch_job *j, const batch_comm *c, const char *out, int rc, int *ok)
{
    int failed = batch_comm_max(c, !j->written);
    int merged = 0;
    if (!failed && c->rank == 0) {
        char **parts = weft_calloc(j->ctx, (size_t)c->size, sizeof *parts);
        char *names = weft_calloc(j->ctx, (size_t)c->size, PART_NAME);
        for (int r = 0; parts && names && r < c->size; r++) {
            parts[r] = names + (size_t)r * PART_NAME;
            part_name(out, r, c->size, parts[r], PART_NAME);
        }
        int mrc = parts && names ? batch_merge_files(j->ctx, j->args, parts, c->size, out, 0) : WEFT_EXIT_INTERNAL;
        weft_free(j->ctx, parts);
        weft_free(j->ctx, names);
        merged = mrc == WEFT_EXIT_USAGE || mrc == WEFT_EXIT_INTERNAL;
    }
    merged = batch_comm_max(c, merged);
    if (!failed && !merged) batch_job_finish(j, 1);
    rc = batch_comm_max(c, rc);
    *ok = !failed && !merged;
    return *ok || rc > WEFT_EXIT_LIMIT ? rc : WEFT_EXIT_INTERNAL;
}

static int run_one(const cli_args *a, const batch_comm *c, int shard, int shards)
{
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    rank_device(ctx, a, c);
    rank_threads(ctx, a, c);
    char out[1024];
    batch_job j;
    memset(&j, 0, sizeof j);
    default_output(a, shard, shards, out, sizeof out);
    j.ctx = ctx;
    j.args = a;
    j.input = a->pos[0];
    j.shard = shard;
    j.shards = shards;
    j.rank = c->rank;
    j.ranks = c->size;
    if (c->size > 1) {
        part_name(out, c->rank, c->size, j.out, sizeof j.out);
        snprintf(j.tag, sizeof j.tag, "[rank %d/%d] ", c->rank, c->size);
    } else {
        snprintf(j.out, sizeof j.out, "%s", out);
    }
    snprintf(j.journal, sizeof j.journal, "%s.journal", j.out);
    if (a->set[OPT_MPS_DIR]) {
        int rc = batch_job_write_mps(&j, a->str[OPT_MPS_DIR]);
        batch_job_free(&j);
        weft_context_destroy(&ctx);
        return rc;
    }
    int rc = batch_job_run(&j), ok = j.written;
    if (c->size > 1) rc = gather(&j, c, out, rc, &ok);
    else if (ok) batch_job_finish(&j, 0);
    int64_t resumed = batch_comm_sum(c, j.resumed), solved = batch_comm_sum(c, j.solved);
    if (c->rank == 0 && ok) {
        int r2 = batch_report_file(ctx, a, out, resumed, solved, c->size, j.wall_s);
        if (r2 > rc) rc = r2;
    }
    batch_job_free(&j);
    weft_context_destroy(&ctx);
    return rc;
}

static int run_merge(const cli_args *a)
{
    if (!a->set[OPT_OUTPUT] || a->npos < 2) {
        fprintf(stderr, "weft batch merge: usage: weft batch merge -o ALL.h5 PART.h5...\n");
        return WEFT_EXIT_USAGE;
    }
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    int rc = batch_merge_files(ctx, a, a->pos + 1, a->npos - 1, a->str[OPT_OUTPUT], 1);
    weft_context_destroy(&ctx);
    return rc;
}

static int run_batch(const cli_command *cmd, cli_args *a)
{
    if (!strcmp(a->pos[0], "merge")) return run_merge(a);
    int shard, shards;
    if (a->npos != 1) {
        fprintf(stderr, "weft batch: expected one SCENARIOS.h5 (or: weft batch merge -o ALL.h5 PART...)\n");
        return WEFT_EXIT_USAGE;
    }
    if (strcmp(a->str[OPT_MODEL], "matpower") && strcmp(a->str[OPT_MODEL], "powermodels")) {
        fprintf(stderr, "weft batch: --model: '%s' is not matpower or powermodels\n", a->str[OPT_MODEL]);
        return WEFT_EXIT_USAGE;
    }
    const char *eng = a->str[OPT_BATCH_ENGINE];
    if (strcmp(eng, "auto") && strcmp(eng, "blocked") && strcmp(eng, "parallel")) {
        fprintf(stderr, "weft batch: --batch-engine: '%s' is not auto, blocked or parallel\n", eng);
        return WEFT_EXIT_USAGE;
    }
    if (parse_shard(a, &shard, &shards)) return WEFT_EXIT_USAGE;
    batch_comm c;
    char err[256];
    if (batch_comm_init(&c, err, sizeof err)) {
        fprintf(stderr, "weft batch: %s\n", err);
        batch_comm_finalize(&c);
        return WEFT_EXIT_USAGE;
    }
    int rc = run_one(a, &c, shard, shards);
    batch_comm_finalize(&c);
    return rc;
}

static const cli_key batch_keys[] = {OPT_OUTPUT, OPT_BATCH_SIZE, OPT_BATCH_ENGINE, OPT_NO_WARM_START, OPT_MPS_DIR, OPT_SHARD, OPT_MODEL, OPT_DEVICE, OPT_TOL,
                                     OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_THREADS, OPT_JSON, OPT_QUIET,
                                     OPT_VERBOSE, OPT_NO_CACHE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_batch = {
    "batch", "SCEN.h5 | merge PARTS",
    "every scenario of a grid file as a DC-OPF; resumes a killed run; ranks under mpirun/srun; "
    "'merge -o ALL.h5 PART...' joins --shard outputs",
    batch_keys, 1, 1000000, run_batch};
