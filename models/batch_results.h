/* The results of a scenario batch: one row per solved scenario (models/dcopf_scenario.h), the
 * summary over them, the /batch group of a results file, and the journal record of a row. Rank parts,
 * shard outputs and the final file all use this one layout, so merging is concatenation plus a new
 * summary. */
#ifndef WEFT_BATCH_RESULTS_H
#define WEFT_BATCH_RESULTS_H

#include <stdint.h>

#include "dcopf_scenario.h"

typedef struct weft_batch_results {
    int32_t total;    /* scenarios in the input file */
    int32_t T, n_bus; /* shape of each row's LMPs */
    int32_t n, cap;
    weft_dcopf_scenario_result *rows; /* owns each row's lmp */
    /* provenance, echoed into /batch */
    char input[1024];
    char input_hash[17]; /* xxh64 of the input file, hex */
    char device[128];
    double tolerance;
} weft_batch_results;

#define WEFT_BATCH_NPCT 7
extern const double weft_batch_percentiles[WEFT_BATCH_NPCT]; /* 0 5 25 50 75 95 100 */

typedef struct weft_batch_summary {
    int32_t scenarios, optimal, not_optimal, with_shedding;
    int64_t iterations;
    double cost[WEFT_BATCH_NPCT], cost_mean;  /* over scenarios with a solution */
    double lmp[WEFT_BATCH_NPCT], lmp_mean;    /* over every scenario, period and live bus */
    double unserved_mwh, curtailment_mwh, import_mwh, solve_time_s;
} weft_batch_summary;

void weft_batch_results_init(weft_batch_results *r, int32_t total, int32_t T, int32_t n_bus);
void weft_batch_results_free(weft_context *ctx, weft_batch_results *r);
/* Appends a row, taking ownership of row->lmp. */
weft_status weft_batch_results_add(weft_context *ctx, weft_batch_results *r, weft_dcopf_scenario_result *row);
/* Sorts rows by scenario; a scenario present twice is an error naming `where`. */
weft_status weft_batch_results_sort(weft_context *ctx, weft_batch_results *r, const char *where);
weft_status weft_batch_summarize(weft_context *ctx, const weft_batch_results *r, weft_batch_summary *s);

/* /batch in a new file (temporary name, renamed when complete). */
weft_status weft_batch_results_write_h5(weft_context *ctx, const weft_batch_results *r, const char *path);
/* Appends the rows of a file written by weft_batch_results_write_h5; the first file read sets the
 * shape and provenance, later ones must agree (same input, periods, buses). */
weft_status weft_batch_results_read_h5(weft_context *ctx, const char *path, weft_batch_results *r);

/* Journal records: a row as bytes (host byte order, the journal never leaves the machine). */
size_t weft_batch_record_size(const weft_batch_results *r);
void weft_batch_record_encode(const weft_batch_results *r, const weft_dcopf_scenario_result *row, unsigned char *buf);
/* Decodes into a row with a freshly allocated lmp; a record of the wrong size is WEFT_ERR_BAD_INPUT. */
weft_status weft_batch_record_decode(weft_context *ctx, const weft_batch_results *r, const void *buf, size_t len,
                                     weft_dcopf_scenario_result *row);

#endif
