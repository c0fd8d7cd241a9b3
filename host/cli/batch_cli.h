/* weft batch: the pieces of the command (cmd_batch.c runs them). */
#ifndef WEFT_BATCH_CLI_H
#define WEFT_BATCH_CLI_H

#include <stdint.h>

#include "batch_comm.h"
#include "batch_results.h"
#include "cli.h"
#include "dcopf_scenario.h"

/* One process's share of a batch: scenarios [lo, hi) of the input, results to `out` (the final
 * file, a shard's file or a rank's part), journal beside it. */
typedef struct batch_job {
    weft_context *ctx;
    const cli_args *args;
    const char *input;
    char out[1100], journal[1200]; /* room for OUT + ".part-R-of-N" + ".journal" */
    char tag[48];          /* "" or "[rank 1/4] " in log lines */
    uint64_t input_hash;
    weft_grid *grid;
    weft_scenarios *sc;
    weft_dcopf *model;
    int shard, shards;      /* --shard I/N (0/1 without it) */
    int rank, ranks;        /* this process among the launched ones */
    int32_t lo, hi;         /* scenarios of this process: the rank's block of the shard's block */
    int written;            /* `out` is complete */
    weft_batch_results res;
    int64_t resumed, solved;
    double wall_s;
    /* while running */
    int32_t *todo, n_todo;   /* scenarios still to solve */
    unsigned char *done;     /* [hi - lo] */
    struct weft_journal *journal_fd;
    unsigned char *record;
    double t0, last_report;
    int64_t last_done;       /* scenarios done at the last progress line */
} batch_job;

/* Reads the input, builds the model, resumes the journal, solves the rest, writes `out`; returns
 * an exit code (the worst outcome when every scenario ran). The journal stays until the caller
 * knows the final file is complete (batch_job_finish). */
int batch_job_run(batch_job *j);
/* Writes each scenario of this process's share as DIR/scenario_NNNNNN.mps (the LP weft solves,
 * objective in LP units: times the printed objective_scale gives currency); an exit code. */
int batch_job_write_mps(batch_job *j, const char *dir);
/* Removes the journal (and, when the output was a part, the part). */
void batch_job_finish(batch_job *j, int remove_output);
void batch_job_free(batch_job *j);

/* Narrows [*lo, *lo + n) to its block `part` of `parts` (set *lo = 0 for the whole input first). */
void batch_block(int32_t n, int part, int parts, int32_t *lo, int32_t *hi);
/* xxh64 of a file's bytes; 0 with an error on the context when it cannot be read. */
int batch_hash_file(weft_context *ctx, const char *path, uint64_t *out);

/* Exit code of a set of results: the worst over scenarios. */
int batch_exit_code(const weft_batch_results *r);
/* The summary as JSON (owned by the caller) and as log lines. */
void *batch_summary_json(const weft_batch_results *r, const weft_batch_summary *s);
void batch_summary_print(const weft_batch_results *r, const weft_batch_summary *s);

/* Reads `out` back and prints its summary with the run's figures (JSON with --json); exit code. */
int batch_report_file(weft_context *ctx, const cli_args *a, const char *out, int64_t resumed, int64_t solved,
                      int ranks, double wall_s);
/* weft batch merge -o OUT PART...: rows of every part into OUT, summary recomputed. Exit code. */
int batch_merge_files(weft_context *ctx, const cli_args *a, char **parts, int n, const char *out, int report);

#endif
