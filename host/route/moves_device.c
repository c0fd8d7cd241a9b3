/* Insertions evaluated by a backend (backend.h, vrp_best_insertions): the candidates of
 * rr_candidates, less blinked ones, become one batch of positions with per-route data, and the
 * backend returns the cheapest. Same candidates, same order, same arithmetic as moves_cpu.c, so a
 * seed gives the same search on both paths. rr_recreate's whole list goes in one batch
 * (moves_batch.c). */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "route/moves_device_internal.h"

static int grow(rr_device *d, weft_context *ctx)
{
    int cap = d->cap_pos ? 2 * d->cap_pos : 256;
    for (int i = 0; i < 10; i++) {
        double *p = weft_realloc(ctx, d->pd[i], (size_t)cap * sizeof(double));
        if (!p) return WEFT_ERR_NOMEM;
        d->pd[i] = p;
    }
    int32_t **ints[] = {&d->pre_last, &d->suf_first, &d->pos_route, &d->slot_of_pos};
    for (int i = 0; i < 4; i++) {
        int32_t *p = weft_realloc(ctx, *ints[i], (size_t)cap * sizeof(int32_t));
        if (!p) return WEFT_ERR_NOMEM;
        *ints[i] = p;
    }
    int *pp = weft_realloc(ctx, d->pos_p, (size_t)cap * sizeof(int));
    if (!pp) return WEFT_ERR_NOMEM;
    d->pos_p = pp;
    d->cap_pos = cap;
    return WEFT_OK;
}

/* Adds slot r's route data to the batch the first time one of its positions appears. */
static int route_entry(rr_device *d, int r)
{
    if (d->route_index[r] >= 0) return d->route_index[r];
    rr_state *s = d->s;
    const weft_vrp *v = s->v;
    const rr_route *rt = &s->routes[r];
    int i = d->n_routes++, t = rt->type, D = s->D;
    d->route_index[r] = i;
    d->slot_of_route[i] = r;
    d->rd[0][i] = v->fixed_cost[t];
    d->rd[1][i] = v->cost_per_km[t];
    d->rd[2][i] = v->cost_per_hour[t] * s->hours_per_unit; /* rr_route_cost's product, same bits */
    d->rd[3][i] = v->max_duration[t];
    d->rd[4][i] = rt->cost;
    memcpy(d->r_load + (size_t)i * D, rt->load, (size_t)D * sizeof(double));
    memcpy(d->r_cap + (size_t)i * D, v->capacity + (size_t)t * D, (size_t)D * sizeof(double));
    return i;
}

void rr_device_collect(void *user, int r, int p)
{
    rr_device *d = user;
    if (d->nomem || (d->blink > 0 && rr_blinked(d->salt, r, p, d->blink))) return;
    if (d->n_pos == d->cap_pos && grow(d, d->s->ctx)) {
        d->nomem = 1;
        return;
    }
    const rr_route *rt = &d->s->routes[r];
    const rr_seg *a = &rt->pre[p - 1], *b = &rt->suf[p];
    int i = d->n_pos++;
    double vals[10] = {a->dur, a->warp, a->early, a->late, a->dist, b->dur, b->warp, b->early, b->late, b->dist};
    for (int j = 0; j < 10; j++) d->pd[j][i] = vals[j];
    d->pre_last[i] = a->last, d->suf_first[i] = b->first;
    d->pos_route[i] = route_entry(d, r);
    d->slot_of_pos[i] = r, d->pos_p[i] = p;
}

/* One batch: customer c against the collected candidates. 1 found, 0 none, < 0 an error. */
static int run_batch(rr_device *d, int c, int near, int *route, int *pos, double *delta)
{
    rr_state *s = d->s;
    const weft_vrp *v = s->v;
    for (int i = 0; i < d->n_routes; i++) d->route_index[d->slot_of_route[i]] = -1;
    d->n_pos = d->n_routes = 0;
    rr_candidates(s, c, near, rr_device_collect, d);
    if (d->nomem) d->status = weft_error(s->ctx, WEFT_ERR_NOMEM, "routing: out of memory for a move batch");
    if (d->nomem) return -1;
    if (d->n_pos == 0) return 0;
    int32_t loc = v->n_depots + c;
    double early = v->tw_open[c], late = v->tw_close[c], dur = v->service[c];
    weft_vrp_moves m = {d->n_pos, 1, d->n_routes, s->D,
                        d->pd[0], d->pd[1], d->pd[2], d->pd[3], d->pd[4],
                        d->pd[5], d->pd[6], d->pd[7], d->pd[8], d->pd[9],
                        d->pre_last, d->suf_first, d->pos_route,
                        d->rd[0], d->rd[1], d->rd[2], d->rd[3], d->rd[4], d->r_load, d->r_cap, s->route_extra,
                        &dur, &early, &late, v->demand + (size_t)c * s->D, &loc, NULL, NULL};
    int32_t best;
    double bd;
    d->status = d->be->ops->vrp_best_insertions(d->be, d->dev, &m, &best, &bd);
    if (d->status) return -1;
    if (best < 0) return 0;
    *route = d->slot_of_pos[best], *pos = d->pos_p[best], *delta = bd;
    return 1;
}

static int device_best_insertion(rr_state *s, int c, double blink, uint64_t salt, int *route, int *pos, double *delta)
{
    rr_device *d = s->device;
    rr_batch *b = &d->batch;
    d->s = s;
    int i = b->n ? b->idx[c] : -1;
    if (i >= 0 && b->salt[i] == salt && b->blink == blink) return rr_batch_best(d, c, i, route, pos, delta);
    d->blink = blink, d->salt = salt;
    int found = rr_use_near(s) ? run_batch(d, c, 1, route, pos, delta) : 0;
    if (found == 0) found = run_batch(d, c, 0, route, pos, delta);
    if (found < 0) s->nomem = 1; /* stops the search; rr_device_status says why */
    return found == 1 ? 0 : -1;
}

const rr_eval_ops rr_eval_device = {"device", device_best_insertion, rr_batch_prepare};

int rr_device_attach(rr_state *s, weft_backend *be)
{
    weft_context *ctx = s->ctx;
    rr_device *d = weft_calloc(ctx, 1, sizeof *d);
    if (!d) return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for the device evaluation");
    s->device = d;
    d->be = be, d->s = s;
    size_t nr = (size_t)s->nr + 1, D = (size_t)s->D;
    for (int i = 0; i < 5; i++) d->rd[i] = weft_calloc(ctx, nr, sizeof(double));
    d->r_load = weft_calloc(ctx, nr * D + 1, sizeof(double));
    d->r_cap = weft_calloc(ctx, nr * D + 1, sizeof(double));
    d->route_index = weft_malloc(ctx, nr * sizeof(int32_t));
    d->slot_of_route = weft_calloc(ctx, nr, sizeof(int32_t));
    rr_batch *b = &d->batch;
    size_t nc = (size_t)s->nc + 1;
    b->idx = weft_malloc(ctx, nc * sizeof(int)), b->cust = weft_calloc(ctx, nc, sizeof(int));
    b->salt = weft_calloc(ctx, nc, sizeof(uint64_t));
    b->incl = weft_calloc(ctx, nr, sizeof(int)), b->stamp = weft_calloc(ctx, nr, sizeof(unsigned));
    b->first_pos = weft_calloc(ctx, nr, sizeof(int));
    int ok = d->r_load && d->r_cap && d->route_index && d->slot_of_route && !grow(d, ctx) && b->idx && b->cust &&
             b->salt && b->incl && b->stamp && b->first_pos;
    for (int i = 0; i < 5; i++) ok = ok && d->rd[i];
    if (!ok) return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for the device evaluation");
    for (size_t r = 0; r < nr; r++) d->route_index[r] = -1;
    for (size_t c = 0; c < nc; c++) b->idx[c] = -1;
    int st = be->ops->vrp_open(be, s->k, s->v->time, s->v->dist, &d->dev);
    if (!st) s->ops = &rr_eval_device;
    return st;
}

void rr_device_detach(rr_state *s)
{
    rr_device *d = s->device;
    if (!d) return;
    weft_context *ctx = s->ctx;
    if (d->dev) d->be->ops->vrp_close(d->be, &d->dev);
    for (int i = 0; i < 10; i++) weft_free(ctx, d->pd[i]);
    for (int i = 0; i < 5; i++) weft_free(ctx, d->rd[i]);
    void *rest[] = {d->pre_last, d->suf_first, d->pos_route, d->slot_of_pos, d->pos_p, d->r_load, d->r_cap,
                    d->route_index, d->slot_of_route, d->batch.idx, d->batch.cust, d->batch.salt, d->batch.incl,
                    d->batch.stamp, d->batch.first_pos, d->batch.best_pos, d->batch.best_delta, d->batch.e_dur,
                    d->batch.e_early, d->batch.e_late, d->batch.e_dem, d->batch.e_loc, d->batch.e_best,
                    d->batch.move_start, d->batch.move_pos, d->batch.e_delta};
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) weft_free(ctx, rest[i]);
    weft_free(ctx, d);
    s->device = NULL;
    s->ops = &rr_eval_cpu;
}

int rr_device_status(const rr_state *s) { return s->device ? s->device->status : WEFT_OK; }
