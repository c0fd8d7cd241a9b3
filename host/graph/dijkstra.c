/* Dijkstra with a lazy 4-ary heap, one search per source, sources spread over OpenMP threads. Each
 * thread owns a workspace sized to the graph, allocated before the parallel region (the context
 * allocator need not be thread-safe). */
#include <math.h>
#include <string.h>

#include <omp.h>

#include "core/context_internal.h"
#include "graph/dijkstra.h"

/* Heap entries carry their key, so comparisons stay inside the heap array (no pointer chasing).
 * The heap is lazy: a better label pushes a new entry and the stale one is skipped when popped. */
typedef struct entry {
    double t, d;
    int32_t v;
} entry;

/* What every relaxation reads, packed in 16 bytes: most relaxations fail on time alone, so lengths
 * (and the distance labels) stay in arrays of their own and are read only when time does not
 * decide. */
typedef struct edge {
    double t;
    int32_t head, pad;
} edge;

typedef struct workspace {
    double *T, *D; /* labels: time, and distance along the time-shortest path */
    entry *heap;
    int64_t size, cap;
    const uint8_t *target_of; /* per node: 1 if a target (shared, read-only) */
    int32_t *touched;         /* nodes whose label was set, to reset only those */
    int32_t n_touched;
} workspace;

#define ARITY 4

static inline int less(const entry *a, const entry *b)
{
    return a->t < b->t || (a->t == b->t && (a->d < b->d || (a->d == b->d && a->v < b->v)));
}

static int push(workspace *w, entry x)
{
    if (w->size == w->cap) return -1; /* cannot happen: at most one entry per edge plus the source */
    int64_t i = w->size++;
    while (i > 0) {
        int64_t p = (i - 1) / ARITY;
        if (!less(&x, &w->heap[p])) break;
        w->heap[i] = w->heap[p];
        i = p;
    }
    w->heap[i] = x;
    return 0;
}

static entry pop(workspace *w)
{
    entry top = w->heap[0], x = w->heap[--w->size];
    int64_t i = 0;
    for (;;) {
        int64_t c = ARITY * i + 1, best = -1;
        for (int64_t k = c; k < c + ARITY && k < w->size; k++)
            if (best < 0 || less(&w->heap[k], &w->heap[best])) best = k;
        if (best < 0 || !less(&w->heap[best], &x)) break;
        w->heap[i] = w->heap[best];
        i = best;
    }
    if (w->size > 0) w->heap[i] = x;
    return top;
}

/* Settled nodes need no test: their label is never beaten (labels only grow along a path). */
static void relax(workspace *w, const int32_t *row_ptr, const edge *ed, const double *len, int32_t u)
{
    double tu = w->T[u], du = w->D[u];
    for (int32_t e = row_ptr[u]; e < row_ptr[u + 1]; e++) {
        int32_t v = ed[e].head;
        double tv = tu + ed[e].t;
        if (tv > w->T[v]) continue;
        double dv = du + len[e];
        if (tv == w->T[v] && dv >= w->D[v]) continue;
        if (w->T[v] == INFINITY) w->touched[w->n_touched++] = v;
        w->T[v] = tv;
        w->D[v] = dv;
        push(w, (entry){tv, dv, v});
    }
}

/* One search; returns when the heap empties or all n_distinct targets are settled. Labels of nodes
 * touched by the previous search are reset first. A popped entry whose key is the node's label
 * settles it: pushes happen only on strict improvement, so exactly one entry matches the final
 * label, and every other entry for the node is stale. */
static void search(workspace *w, const int32_t *row_ptr, const edge *ed, const double *len, int32_t s,
                   int32_t n_distinct)
{
    for (int32_t i = 0; i < w->n_touched; i++) w->T[w->touched[i]] = w->D[w->touched[i]] = INFINITY;
    w->n_touched = 0;
    w->size = 0;
    w->T[s] = w->D[s] = 0;
    w->touched[w->n_touched++] = s;
    push(w, (entry){0, 0, s});
    int32_t found = 0;
    while (w->size > 0) {
        entry x = pop(w);
        if (x.t != w->T[x.v] || x.d != w->D[x.v]) continue; /* stale */
        if (w->target_of[x.v] && ++found == n_distinct) break;
        /* the next node's edges are a likely cache miss: start loading them during this relaxation */
        if (w->size > 0) __builtin_prefetch(&ed[row_ptr[w->heap[0].v]]);
        relax(w, row_ptr, ed, len, x.v);
    }
}

static void workspace_free(weft_context *ctx, workspace *w)
{
    weft_free(ctx, w->T);
    weft_free(ctx, w->D);
    weft_free(ctx, w->heap);
    weft_free(ctx, w->touched);
}

static int workspace_alloc(weft_context *ctx, workspace *w, const weft_csr_graph *g, const uint8_t *target_of)
{
    size_t n = (size_t)g->n + 1;
    memset(w, 0, sizeof *w);
    w->cap = (int64_t)g->row_ptr[g->n] + 1;
    w->T = weft_malloc(ctx, n * sizeof *w->T);
    w->D = weft_malloc(ctx, n * sizeof *w->D);
    w->heap = weft_malloc(ctx, (size_t)w->cap * sizeof *w->heap);
    w->touched = weft_malloc(ctx, n * sizeof *w->touched);
    w->target_of = target_of;
    if (w->T && w->D && w->heap && w->touched) {
        for (size_t v = 0; v < n; v++) w->T[v] = w->D[v] = INFINITY;
        return WEFT_OK;
    }
    workspace_free(ctx, w);
    return weft_error(ctx, WEFT_ERR_NOMEM, "shortest paths: out of memory for a %d-node workspace", g->n);
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
    uint8_t *target_of = weft_calloc(ctx, (size_t)g->n + 1, 1);
    workspace *ws = weft_calloc(ctx, (size_t)nth, sizeof *ws);
    edge *ed = weft_malloc(ctx, ((size_t)g->row_ptr[g->n] + 1) * sizeof *ed);
    if (!target_of || !ws || !ed) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "shortest paths: out of memory");
        goto cleanup;
    }
    for (int32_t j = 0; j < nt; j++)
        if (!target_of[targets[j]]) target_of[targets[j]] = 1, n_distinct++;
    for (int32_t e = 0; e < g->row_ptr[g->n]; e++) ed[e] = (edge){g->time_s[e], g->head[e], 0};
    for (; made < nth && !st; made++) st = workspace_alloc(ctx, &ws[made], g, target_of);
    if (st) {
        made--;
        goto cleanup;
    }
#pragma omp parallel for num_threads(nth) schedule(dynamic, 1)
    for (int32_t i = 0; i < ns; i++) {
        workspace *w = &ws[omp_get_thread_num()];
        search(w, g->row_ptr, ed, g->length_m, sources[i], n_distinct);
        for (int32_t j = 0; j < nt; j++) {
            /* the search stops only with every target settled, or with the heap empty, when every
             * finite label is final */
            time_out[(size_t)i * nt + j] = w->T[targets[j]];
            if (dist_out) dist_out[(size_t)i * nt + j] = w->D[targets[j]];
        }
    }
cleanup:
    for (int i = 0; ws && i < made; i++) workspace_free(ctx, &ws[i]);
    weft_free(ctx, ws);
    weft_free(ctx, ed);
    weft_free(ctx, target_of);
    return st;
}
