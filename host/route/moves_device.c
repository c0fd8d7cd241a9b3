/* Insertions evaluated by a backend (backend.h, vrp_best_insertions): the candidates of
 * rr_candidates, less blinked ones, become one batch of positions with per-route data, and the
 * backend returns the cheapest. Same candidates, same order, same arithmetic as moves_cpu.c, so a
 * seed gives the same search on both paths. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "route/moves_device.h"

/* rr_recreate's batch: each customer of its list against each slot in one launch, the best
 * position per (customer, slot) kept; a later request uses a slot's entry while the slot is
 * unchanged (its stamp) and evaluates changed slots on the host. */
typedef struct rr_batch {
    int n;                     /* customers prepared; 0: none */
    int *idx;                  /* [nc]: index in the prepared list, -1 if absent */
    int *cust;                 /* [nc]: the prepared list */
    uint64_t *salt;            /* [nc] by index */
    double blink;
    int *incl;                 /* [nr]: 1 if the slot is in the batch */
    unsigned *stamp;           /* [nr]: its stamp then */
    int *first_pos;            /* [nr]: its first position's index in the batch */
    int *best_pos;             /* [n x nr]: best position 1..len+1, 0 if none */
    double *best_delta;        /* [n x nr] */
    double *e_dur, *e_early, *e_late, *e_dem; /* per entry (customer, slot) */
    int32_t *e_loc, *e_best, *move_start, *move_pos;
    double *e_delta;
    size_t cap_e, cap_m, cap_n;
} rr_batch;

/* Per-position and per-route arrays of one batch (struct of arrays), grown as needed. */
struct rr_device {
    weft_backend *be;
    weft_vrp_dev *dev;
    int cap_pos, n_pos, n_routes;
    double *pd[10];           /* pre dur, warp, early, late, dist, suf the same: [cap_pos] */
    int32_t *pre_last, *suf_first, *pos_route, *slot_of_pos; /* [cap_pos] */
    double *rd[5];            /* fixed, km, hour, maxdur, cost: [nr] */
    double *r_load, *r_cap;   /* [nr x D] */
    int32_t *route_index;     /* [nr]: index in this batch, -1 if absent */
    int32_t *slot_of_route;   /* [nr] */
    int *pos_p;               /* [cap_pos]: position 1..len+1 in its slot */
    uint64_t salt;
    double blink;
    rr_state *s;
    int nomem;
    int status; /* the first backend error */
    rr_batch batch;
};

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

static void collect(void *user, int r, int p)
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
    rr_candidates(s, c, near, collect, d);
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

/* Grows each of the count arrays in ptrs (element sizes sz) to hold n, when *cap is short. */
static int need(weft_context *ctx, void **const *ptrs, const size_t *sz, int count, size_t *cap, size_t n)
{
    if (n <= *cap) return WEFT_OK;
    size_t want = 2 * n + 16;
    for (int i = 0; i < count; i++) {
        void *q = weft_realloc(ctx, *ptrs[i], want * sz[i]);
        if (!q) return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for a move batch");
        *ptrs[i] = q;
    }
    *cap = want;
    return WEFT_OK;
}

static int batch_room(rr_device *d, size_t n, size_t entries, size_t moves)
{
    rr_batch *b = &d->batch;
    weft_context *ctx = d->s->ctx;
    size_t nr = (size_t)d->s->nr, D = (size_t)d->s->D;
    void **pn[] = {(void **)&b->best_pos, (void **)&b->best_delta};
    const size_t sn[] = {nr * sizeof(int), nr * sizeof(double)};
    void **pe[] = {(void **)&b->e_dur, (void **)&b->e_early, (void **)&b->e_late, (void **)&b->e_dem,
                   (void **)&b->e_loc, (void **)&b->e_best, (void **)&b->move_start, (void **)&b->e_delta};
    const size_t se[] = {8, 8, 8, 8 * D, 4, 4, 4, 8};
    void **pm[] = {(void **)&b->move_pos};
    const size_t sm[] = {4};
    int st = need(ctx, pn, sn, 2, &b->cap_n, n);
    if (!st) st = need(ctx, pe, se, 8, &b->cap_e, entries + 1);
    if (!st) st = need(ctx, pm, sm, 1, &b->cap_m, moves);
    return st;
}

/* The slots rr_candidates' full scan visits (one empty slot per type), their positions collected. */
static int batch_slots(rr_device *d)
{
    rr_state *s = d->s;
    rr_batch *b = &d->batch;
    for (int i = 0; i < d->n_routes; i++) d->route_index[d->slot_of_route[i]] = -1;
    d->n_pos = d->n_routes = 0, d->blink = 0;
    int last_empty_type = -1, n_incl = 0;
    for (int q = 0; q < s->nr; q++) {
        rr_route *rt = &s->routes[q];
        b->incl[q] = rt->len > 0 || rt->type != last_empty_type;
        if (rt->len == 0) last_empty_type = rt->type;
        if (!b->incl[q]) continue;
        b->stamp[q] = rt->stamp, b->first_pos[q] = d->n_pos, n_incl++;
        for (int p = 1; p <= rt->len + 1; p++) collect(d, q, p);
    }
    return n_incl;
}

/* One entry per (customer, included slot): the slot's positions less blinked ones, none if the
 * load does not fit. */
static void batch_entries(rr_device *d, const int *list, int n, const uint64_t *salt)
{
    rr_state *s = d->s;
    rr_batch *b = &d->batch;
    const weft_vrp *v = s->v;
    int e = 0, w = 0, D = s->D;
    for (int i = 0; i < n; i++)
        for (int q = 0; q < s->nr; q++) {
            if (!b->incl[q]) continue;
            int c = list[i];
            b->e_dur[e] = v->service[c], b->e_early[e] = v->tw_open[c], b->e_late[e] = v->tw_close[c];
            memcpy(b->e_dem + (size_t)e * D, v->demand + (size_t)c * D, (size_t)D * sizeof(double));
            b->e_loc[e] = v->n_depots + c;
            b->move_start[e++] = w;
            if (!rr_fits_load(s, q, c)) continue;
            for (int p = 1; p <= s->routes[q].len + 1; p++)
                if (!(b->blink > 0 && rr_blinked(salt[i], q, p, b->blink))) b->move_pos[w++] = b->first_pos[q] + p - 1;
        }
    b->move_start[e] = w;
}

/* Evaluates the batch and keeps the best position per (customer, slot). */
static int batch_run(rr_device *d, int n, int n_incl)
{
    rr_state *s = d->s;
    rr_batch *b = &d->batch;
    int E = n * n_incl;
    weft_vrp_moves m = {d->n_pos, E, d->n_routes, s->D,
                        d->pd[0], d->pd[1], d->pd[2], d->pd[3], d->pd[4],
                        d->pd[5], d->pd[6], d->pd[7], d->pd[8], d->pd[9],
                        d->pre_last, d->suf_first, d->pos_route,
                        d->rd[0], d->rd[1], d->rd[2], d->rd[3], d->rd[4], d->r_load, d->r_cap, s->route_extra,
                        b->e_dur, b->e_early, b->e_late, b->e_dem, b->e_loc, b->move_start, b->move_pos};
    int st = d->be->ops->vrp_best_insertions(d->be, d->dev, &m, b->e_best, b->e_delta);
    for (int i = 0, e = 0; !st && i < n; i++)
        for (int q = 0; q < s->nr; q++) {
            if (!b->incl[q]) continue;
            int best = b->e_best[e];
            b->best_pos[(size_t)i * s->nr + q] = best < 0 ? 0 : b->move_pos[b->move_start[e] + best] - b->first_pos[q] + 1;
            b->best_delta[(size_t)i * s->nr + q] = b->e_delta[e++];
        }
    return st;
}

static void device_prepare(rr_state *s, const int *list, int n, const uint64_t *salt, double blink)
{
    rr_device *d = s->device;
    rr_batch *b = &d->batch;
    d->s = s;
    for (int i = 0; i < b->n; i++) b->idx[b->cust[i]] = -1;
    b->n = 0;
    if (n == 0 || rr_use_near(s) || d->status) return;
    size_t positions = (size_t)s->nc + (size_t)s->nr; /* at most, over the slots a scan visits */
    b->blink = blink;
    int st = batch_room(d, (size_t)n, (size_t)n * (size_t)s->nr, (size_t)n * positions);
    int n_incl = st ? 0 : batch_slots(d);
    if (!st && d->nomem) st = weft_error(s->ctx, WEFT_ERR_NOMEM, "routing: out of memory for a move batch");
    if (!st) batch_entries(d, list, n, salt);
    if (!st) st = batch_run(d, n, n_incl);
    if (st) {
        d->status = st, s->nomem = 1; /* stops the search; rr_device_status says why */
        return;
    }
    for (int i = 0; i < n; i++) b->idx[list[i]] = i, b->cust[i] = list[i], b->salt[i] = salt[i];
    b->n = n;
}

typedef struct prepared_scan {
    rr_device *d;
    int c, i, route, pos;
    rr_seg cs;
    double delta;
} prepared_scan;

/* One slot of the full scan: its batch entry while unchanged, else its positions on the host. */
static void prepared_slot(void *user, int q)
{
    prepared_scan *ps = user;
    rr_state *s = ps->d->s;
    rr_batch *b = &ps->d->batch;
    rr_route *rt = &s->routes[q];
    if (b->incl[q] && b->stamp[q] == rt->stamp) {
        int p = b->best_pos[(size_t)ps->i * s->nr + q];
        double x = b->best_delta[(size_t)ps->i * s->nr + q];
        if (p && x < ps->delta) ps->delta = x, ps->route = q, ps->pos = p;
        return;
    }
    for (int p = 1; p <= rt->len + 1; p++) {
        if (b->blink > 0 && rr_blinked(b->salt[ps->i], q, p, b->blink)) continue;
        double x = rr_insertion_delta(s, ps->c, &ps->cs, q, p);
        if (x < ps->delta) ps->delta = x, ps->route = q, ps->pos = p;
    }
}

/* The best insertion from the prepared batch, in the order and with the ties of the full scan. */
static int prepared_best(rr_device *d, int c, int i, int *route, int *pos, double *delta)
{
    prepared_scan ps = {d, c, i, -1, 0, rr_seg_customer(d->s, c), INFINITY};
    rr_scan_slots(d->s, c, prepared_slot, &ps);
    if (ps.route < 0) return -1;
    *route = ps.route, *pos = ps.pos, *delta = ps.delta;
    return 0;
}

static int device_best_insertion(rr_state *s, int c, double blink, uint64_t salt, int *route, int *pos, double *delta)
{
    rr_device *d = s->device;
    rr_batch *b = &d->batch;
    d->s = s;
    int i = b->n ? b->idx[c] : -1;
    if (i >= 0 && b->salt[i] == salt && b->blink == blink) return prepared_best(d, c, i, route, pos, delta);
    d->blink = blink, d->salt = salt;
    int found = rr_use_near(s) ? run_batch(d, c, 1, route, pos, delta) : 0;
    if (found == 0) found = run_batch(d, c, 0, route, pos, delta);
    if (found < 0) s->nomem = 1; /* stops the search; rr_device_status says why */
    return found == 1 ? 0 : -1;
}

const rr_eval_ops rr_eval_device = {"device", device_best_insertion, device_prepare};

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
