/* weft matrix ROADS.h5 --points POINTS [-o MATRIX.h5]: travel-time and distance matrices. */
#include <math.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "core/context_internal.h"
#include "graph/sssp.h"
#include "io/h5util.h"

#define MAX_LISTED 1000 /* unreachable pairs listed one by one; the count is always exact */

typedef struct matrix_run {
    weft_roads *roads;
    int32_t *nodes, k;
    double *time, *dist, snap_m, seconds, cpu_seconds;
    char device[128];
    int64_t unreachable;
} matrix_run;

static double clock_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int write_matrix(weft_context *ctx, const matrix_run *m, const char *path)
{
    weft_h5 h;
    size_t k = (size_t)m->k;
    int64_t *ids = weft_malloc(ctx, (k + 1) * sizeof *ids);
    if (!ids) return weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < k; i++) ids[i] = m->roads->orig_id[m->nodes[i]];
    int st = weft_h5_create(ctx, path, &h);
    if (!st) st = weft_h5_write_real2(&h, "/matrix/time_s", m->time, k, k, "s");
    if (!st) st = weft_h5_write_real2(&h, "/matrix/distance_m", m->dist, k, k, "m");
    if (!st) st = weft_h5_write_int(&h, "/matrix/node", m->nodes, k, "1");
    if (!st) st = weft_h5_write_int64(&h, "/matrix/id", ids, k, "1");
    if (!st) st = weft_h5_attr_int(&h, "/matrix", "unreachable_pairs", m->unreachable);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    weft_free(ctx, ids);
    return st;
}

/* Counts unreachable pairs and logs the first few; JSON gets up to MAX_LISTED of them. */
static json_t *unreachable_pairs(matrix_run *m, int want_json)
{
    json_t *list = want_json ? json_array() : NULL;
    int64_t listed = 0;
    for (int32_t i = 0; i < m->k; i++) {
        for (int32_t j = 0; j < m->k; j++) {
            if (isfinite(m->time[(size_t)i * m->k + j])) continue;
            if (m->unreachable < 20)
                fprintf(stderr, "weft matrix: point %d (node id %lld) cannot reach point %d (node id %lld)\n", i,
                        (long long)m->roads->orig_id[m->nodes[i]], j, (long long)m->roads->orig_id[m->nodes[j]]);
            if (list && listed++ < MAX_LISTED) json_array_append_new(list, json_pack("[i,i]", i, j));
            m->unreachable++;
        }
    }
    if (m->unreachable > 20) fprintf(stderr, "weft matrix: ... %lld unreachable pairs in all\n", (long long)m->unreachable);
    return list;
}

static void report(const matrix_run *m, json_t *list, const cli_args *a)
{
    double per = m->k ? m->seconds / m->k * 1e3 : 0;
    fprintf(stderr, "weft matrix: %d x %d on %d nodes, %d edges in %.3f s (%.2f ms per source) on %s; %lld unreachable pairs\n",
            m->k, m->k, m->roads->n_nodes, m->roads->n_edges, m->seconds, per, m->device, (long long)m->unreachable);
    if (m->snap_m > 0) fprintf(stderr, "weft matrix: points snapped to nodes up to %.1f m away\n", m->snap_m);
    if (!a->set[OPT_JSON]) return;
    json_t *j = json_pack("{s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:s, s:I, s:O, s:f, s:s?}", "status", "ok", "points",
                          (json_int_t)m->k, "nodes", (json_int_t)m->roads->n_nodes, "edges",
                          (json_int_t)m->roads->n_edges, "time_s", m->seconds, "cpu_s", m->cpu_seconds,
                          "ms_per_source", per, "device", m->device,
                          "unreachable_pairs", (json_int_t)m->unreachable, "unreachable", list, "max_snap_m",
                          m->snap_m, "output", a->set[OPT_OUTPUT] ? a->str[OPT_OUTPUT] : NULL);
    json_dumpf(j, stdout, JSON_COMPACT);
    putchar('\n');
    json_decref(j);
}

static int compute(weft_context *ctx, matrix_run *m, const cli_args *a)
{
    int st;
    size_t kk = (size_t)m->k * (size_t)m->k;
    m->time = weft_malloc(ctx, (kk + 1) * sizeof *m->time);
    m->dist = weft_malloc(ctx, (kk + 1) * sizeof *m->dist);
    /* CPU time too: on a shared machine the wall clock alone says little */
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (!m->time || !m->dist) st = weft_error(ctx, WEFT_ERR_NOMEM, "matrix: out of memory for %d x %d", m->k, m->k);
    else st = weft_sssp_matrix_desc(ctx, m->roads, m->nodes, m->k, m->time, m->dist, m->device, sizeof m->device);
    m->seconds = clock_s(CLOCK_MONOTONIC) - t0;
    m->cpu_seconds = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return st;
}

static int run_matrix(const cli_command *cmd, cli_args *a)
{
    if (!a->set[OPT_POINTS]) {
        fprintf(stderr, "weft matrix: --points POINTS is required (node ids, 'x y' lines, or a fleet .h5)\n");
        return WEFT_EXIT_USAGE;
    }
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    matrix_run m = {0};
    json_t *list = NULL;
    int rc = WEFT_EXIT_SOLVED;
    int st = weft_roads_read_h5(ctx, a->pos[0], &m.roads);
    if (!st) st = weft_roads_read_points(ctx, m.roads, a->str[OPT_POINTS], &m.nodes, &m.k, &m.snap_m);
    if (!st) st = compute(ctx, &m, a);
    if (!st) list = unreachable_pairs(&m, a->set[OPT_JSON]);
    if (!st && a->set[OPT_OUTPUT]) st = write_matrix(ctx, &m, a->str[OPT_OUTPUT]);
    if (st) rc = cli_fail(ctx, st, "matrix");
    else report(&m, list, a);
    json_decref(list);
    weft_roads_free_points(ctx, &m.nodes);
    weft_free(ctx, m.time);
    weft_free(ctx, m.dist);
    weft_roads_destroy(&m.roads);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key matrix_keys[] = {OPT_POINTS, OPT_DEVICE, OPT_OUTPUT, OPT_THREADS, OPT_JSON, OPT_QUIET,
                                      OPT_VERBOSE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_matrix = {"matrix", "ROADS.h5 --points P", "travel-time and distance matrices",
                                     matrix_keys, 1, 1, run_matrix};
