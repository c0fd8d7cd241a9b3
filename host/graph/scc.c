/* Strongly connected components by Tarjan's algorithm with an explicit stack: road graphs have
 * paths of millions of nodes, far beyond what recursion on the C stack survives. */
#include <string.h>

#include "core/context_internal.h"
#include "weft/roads.h"

typedef struct tarjan {
    int32_t *index, *low, *stack, *call, *edge;
    uint8_t *on_stack;
    int32_t next_index, sp, n_comp;
} tarjan;

/* Pops the component rooted at v off the Tarjan stack. */
static void pop_component(tarjan *t, int32_t v, int32_t *comp)
{
    int32_t w;
    do {
        w = t->stack[--t->sp];
        t->on_stack[w] = 0;
        comp[w] = t->n_comp;
    } while (w != v);
    t->n_comp++;
}

static void visit(tarjan *t, const weft_roads *r, int32_t root, int32_t *comp)
{
    int32_t depth = 0;
    t->call[depth] = root;
    t->edge[root] = r->row_ptr[root];
    t->index[root] = t->low[root] = t->next_index++;
    t->stack[t->sp++] = root;
    t->on_stack[root] = 1;
    while (depth >= 0) {
        int32_t v = t->call[depth];
        if (t->edge[v] < r->row_ptr[v + 1]) {
            int32_t w = r->head[t->edge[v]++];
            if (t->index[w] < 0) {
                t->index[w] = t->low[w] = t->next_index++;
                t->edge[w] = r->row_ptr[w];
                t->stack[t->sp++] = w;
                t->on_stack[w] = 1;
                t->call[++depth] = w;
            } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
                t->low[v] = t->index[w];
            }
            continue;
        }
        if (t->low[v] == t->index[v]) pop_component(t, v, comp);
        if (--depth >= 0) {
            int32_t p = t->call[depth];
            if (t->low[v] < t->low[p]) t->low[p] = t->low[v];
        }
    }
}

weft_status weft_roads_scc(weft_context *ctx, const weft_roads *r, int32_t *comp, int32_t *n_comp)
{
    size_t n = (size_t)r->n_nodes + 1;
    tarjan t = {0};
    int st = WEFT_OK;
    t.index = weft_malloc(ctx, n * sizeof(int32_t));
    t.low = weft_malloc(ctx, n * sizeof(int32_t));
    t.stack = weft_malloc(ctx, n * sizeof(int32_t));
    t.call = weft_malloc(ctx, n * sizeof(int32_t));
    t.edge = weft_malloc(ctx, n * sizeof(int32_t));
    t.on_stack = weft_calloc(ctx, n, 1);
    if (!t.index || !t.low || !t.stack || !t.call || !t.edge || !t.on_stack) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory for components of %d nodes", r->n_nodes);
        goto cleanup;
    }
    memset(t.index, 0xff, n * sizeof(int32_t));
    for (int32_t v = 0; v < r->n_nodes; v++)
        if (t.index[v] < 0) visit(&t, r, v, comp);
    *n_comp = t.n_comp;
cleanup:
    weft_free(ctx, t.index);
    weft_free(ctx, t.low);
    weft_free(ctx, t.stack);
    weft_free(ctx, t.call);
    weft_free(ctx, t.edge);
    weft_free(ctx, t.on_stack);
    return st;
}

weft_status weft_roads_keep_largest_scc(weft_context *ctx, weft_roads **rp, int32_t *dropped_nodes,
                                        int32_t *dropped_edges)
{
    weft_roads *r = *rp, *s = NULL;
    int32_t n_comp = 0, best = 0;
    int32_t *comp = weft_malloc(ctx, ((size_t)r->n_nodes + 1) * sizeof *comp);
    int32_t *size = NULL;
    uint8_t *keep = NULL;
    int st = comp ? weft_roads_scc(ctx, r, comp, &n_comp) : weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory");
    if (st) goto cleanup;
    size = weft_calloc(ctx, (size_t)n_comp + 1, sizeof *size);
    keep = weft_calloc(ctx, (size_t)r->n_nodes + 1, 1);
    if (!size || !keep) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "roads: out of memory");
        goto cleanup;
    }
    for (int32_t v = 0; v < r->n_nodes; v++) size[comp[v]]++;
    for (int32_t c = 1; c < n_comp; c++)
        if (size[c] > size[best]) best = c;
    for (int32_t v = 0; v < r->n_nodes; v++) keep[v] = comp[v] == best;
    st = weft_roads_subgraph(ctx, r, keep, &s);
    if (st) goto cleanup;
    if (dropped_nodes) *dropped_nodes = r->n_nodes - s->n_nodes;
    if (dropped_edges) *dropped_edges = r->n_edges - s->n_edges;
    weft_roads_destroy(rp);
    *rp = s;
cleanup:
    weft_free(ctx, comp);
    weft_free(ctx, size);
    weft_free(ctx, keep);
    return st;
}
