/* The sssp item of weft bench: shortest paths from many points of interest of the Kunshan road
 * graph to all of them, on the backend's sssp op (the graph uploaded once, untimed). No byte
 * model: a label-correcting search reads edges a data-dependent number of times. */
#include "bench/bench_internal.h"
#include "core/context_internal.h"

typedef struct sssp_run {
    weft_backend *be;
    const weft_dgraph *g;
    const weft_bench_data *d;
    double *time, *dist;
} sssp_run;

static int run_sssp(void *u)
{
    sssp_run *r = u;
    const weft_bench_data *d = r->d;
    return r->be->ops->sssp(r->be, r->g, d->sources, d->n_sources, d->targets, d->n_targets, r->time, r->dist);
}

int bench_sssp(weft_backend *be, const weft_bench_data *d, weft_bench_item *it)
{
    const weft_roads *roads = d->k.roads;
    size_t cells = (size_t)d->n_sources * (size_t)d->n_targets + 1;
    weft_dgraph g;
    sssp_run r = {be, &g, d, weft_malloc(be->ctx, cells * sizeof(double)), weft_malloc(be->ctx, cells * sizeof(double))};
    int st = r.time && r.dist ? weft_dgraph_upload(be, roads->n_nodes, roads->row_ptr, roads->head, roads->time_s,
                                                   roads->length_m, &g)
                              : weft_error(be->ctx, WEFT_ERR_NOMEM, "bench: out of memory for %zu distances", cells);
    bench_call c = {run_sssp, NULL, &r};
    if (!st) {
        st = bench_time(&c, &d->opt, 0, "sssp", it);
        weft_dgraph_release(be, &g);
    }
    if (!st) {
        bench_figure(it, "sources", d->n_sources);
        bench_figure(it, "targets", d->n_targets);
        bench_figure(it, "nodes", roads->n_nodes);
        bench_figure(it, "edges", roads->n_edges);
        bench_figure(it, "sources_per_s", d->n_sources / it->median_s);
    }
    weft_free(be->ctx, r.time);
    weft_free(be->ctx, r.dist);
    return st;
}
