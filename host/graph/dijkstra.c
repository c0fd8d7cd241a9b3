/* Binary-heap Dijkstra with decrease-key, one search per source, sources spread over OpenMP
 * threads. Each thread owns a workspace sized to the graph, allocated before the parallel region
 * (the context allocator need not be thread-safe). */
#include <math.h>
#include <string.h>

#include <omp.h>

#include "core/context_internal.h"
#include "graph/dijkstra.h"

typedef struct workspace {
    double *t, *d;       /* labels */
    int32_t *heap, *pos; /* pos[v]: place in heap, -1 never queued, -2 settled */
    int32_t *target_of;  /* per node: 1 + first target index, 0 if not a target (shared, read-only) */
    int32_t size;
} workspace;

static inline int less(const workspace *w, int32_t a, int32_t b)
{
    if (w->t[a] != w->t[b]) return w->t[a] < w->t[b];
    if (w->d[a] != w->d[b]) return w->d[a] < w->d[b];
    return a < b;
}

static void sift_up(workspace *w, int32_t i)
{
    int32_t v = w->heap[i];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (!less(w, v, w->heap[p])) break;
        w->heap[i] = w->heap[p];
        w->pos[w->heap[i]] = i;
        i = p;
    }
    w->heap[i] = v;
    w->pos[v] = i;
}

static void sift_down(workspace *w, int32_t i)
{
    int32_t v = w->heap[i];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= w->size) break;
        if (c + 1 < w->size && less(w, w->heap[c + 1], w->heap[c])) c++;
        if (!less(w, w->heap[c], v)) break;
        w->heap[i] = w->heap[c];
        w->pos[w->heap[i]] = i;
        i = c;
    }
    w->heap[i] = v;
    w->pos[v] = i;
}

static int32_t pop_min(workspace *w)
{
    int32_t v = w->heap[0];
    w->pos[v] = -2;
    if (--w->size > 0) {
        w->heap[0] = w->heap[w->size];
        sift_down(w, 0);
    }
    return v;
}

static void relax(workspace *w, const weft_csr_graph *g, int32_t u)
{
    for (int32_t e = g->row_ptr[u]; e < g->row_ptr[u + 1]; e++) {
        int32_t v = g->head[e];
        if (w->pos[v] == -2) continue;
        double tv = w->t[u] + g->time_s[e], dv = w->d[u] + g->length_m[e];
        if (tv > w->t[v] || (tv == w->t[v] && dv >= w->d[v])) continue;
        w->t[v] = tv;
        w->d[v] = dv;
        if (w->pos[v] < 0) {
            w->heap[w->size] = v;
            sift_up(w, w->size++);
        } else {
            sift_up(w, w->pos[v]);
        }
    }
}

/* One search; returns when the heap empties or all n_distinct targets are settled. */
static void search(workspace *w, const weft_csr_graph *g, int32_t s, int32_t n_distinct)
{
    for (int32_t v = 0; v < g->n; v++) {
        w->t[v] = w->d[v] = INFINITY;
        w->pos[v] = -1;
    }
    w->size = 0;
    w->t[s] = w->d[s] = 0;
    w->heap[w->size] = s;
    sift_up(w, w->size++);
    int32_t found = 0;
    while (w->size > 0) {
        int32_t u = pop_min(w);
        if (w->target_of[u] && ++found == n_distinct) break;
        relax(w, g, u);
    }
}

static void workspace_free(weft_context *ctx, workspace *w)
{
    weft_free(ctx, w->t);
    weft_free(ctx, w->d);
    weft_free(ctx, w->heap);
    weft_free(ctx, w->pos);
}

static int workspace_alloc(weft_context *ctx, workspace *w, int32_t n, int32_t *target_of)
{
    size_t m = (size_t)n + 1;
    memset(w, 0, sizeof *w);
    w->t = weft_malloc(ctx, m * sizeof *w->t);
    w->d = weft_malloc(ctx, m * sizeof *w->d);
    w->heap = weft_malloc(ctx, m * sizeof *w->heap);
    w->pos = weft_malloc(ctx, m * sizeof *w->pos);
    w->target_of = target_of;
    if (w->t && w->d && w->heap && w->pos) return WEFT_OK;
    workspace_free(ctx, w);
    return weft_error(ctx, WEFT_ERR_NOMEM, "shortest paths: out of memory for a %d-node workspace", n);
}

int weft_dijkstra_many(weft_context *ctx, const weft_csr_graph *g, const int32_t *sources, int32_t ns,
                       const int32_t *targets, int32_t nt, double *time_out, double *dist_out, int threads)
{
    for (int32_t i = 0; i < ns; i++)
        if (sources[i] < 0 || sources[i] >= g->n)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "shortest paths: source %d is node %d, outside 0..%d", i,
                              sources[i], g->n - 1);
    for (int32_t j = 0; j < nt; j++)
        if (targets[j] < 0 || targets[j] >= g->n)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "shortest paths: target %d is node %d, outside 0..%d", j,
                              targets[j], g->n - 1);
    int nth = threads > 0 ? threads : omp_get_max_threads();
    if (nth > ns) nth = ns > 0 ? ns : 1;
    int st = WEFT_OK, made = 0, n_distinct = 0;
    int32_t *target_of = weft_calloc(ctx, (size_t)g->n + 1, sizeof *target_of);
    workspace *ws = weft_calloc(ctx, (size_t)nth, sizeof *ws);
    if (!target_of || !ws) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "shortest paths: out of memory");
        goto cleanup;
    }
    for (int32_t j = 0; j < nt; j++)
        if (!target_of[targets[j]]) target_of[targets[j]] = ++n_distinct;
    for (; made < nth && !st; made++) st = workspace_alloc(ctx, &ws[made], g->n, target_of);
    if (st) {
        made--;
        goto cleanup;
    }
#pragma omp parallel for num_threads(nth) schedule(dynamic, 1)
    for (int32_t i = 0; i < ns; i++) {
        workspace *w = &ws[omp_get_thread_num()];
        search(w, g, sources[i], n_distinct);
        for (int32_t j = 0; j < nt; j++) {
            /* a target not settled (search stopped or unreachable) has its final label only if settled */
            int settled = w->pos[targets[j]] == -2;
            time_out[(size_t)i * nt + j] = settled ? w->t[targets[j]] : INFINITY;
            if (dist_out) dist_out[(size_t)i * nt + j] = settled ? w->d[targets[j]] : INFINITY;
        }
    }
cleanup:
    for (int i = 0; ws && i < made; i++) workspace_free(ctx, &ws[i]);
    weft_free(ctx, ws);
    weft_free(ctx, target_of);
    return st;
}
