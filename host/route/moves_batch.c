/* rr_recreate's customers against every slot of the full scan in one device launch: the best
 * position per (customer, slot) is kept, and each later request takes a slot's entry while the
 * slot is unchanged (its stamp) and scans changed slots on the host, in the full scan's order and
 * with its ties, so the answers are the per-request scan's. Only without near candidates (small
 * instances): those depend on where neighbours sit, which every insertion moves. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "route/moves_device_internal.h"

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
        for (int p = 1; p <= rt->len + 1; p++) rr_device_collect(d, q, p);
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

int rr_batch_moves(rr_device *d, const int *list, int n, const uint64_t *salt, double blink, weft_vrp_moves *m)
{
    rr_state *s = d->s;
    rr_batch *b = &d->batch;
    size_t positions = (size_t)s->nc + (size_t)s->nr; /* at most, over the slots a scan visits */
    b->blink = blink;
    int st = batch_room(d, (size_t)n, (size_t)n * (size_t)s->nr, (size_t)n * positions);
    int n_incl = st ? 0 : batch_slots(d);
    if (!st && d->nomem) st = weft_error(s->ctx, WEFT_ERR_NOMEM, "routing: out of memory for a move batch");
    if (st) return st;
    batch_entries(d, list, n, salt);
    *m = (weft_vrp_moves){d->n_pos, n * n_incl, d->n_routes, s->D,
                          d->pd[0], d->pd[1], d->pd[2], d->pd[3], d->pd[4],
                          d->pd[5], d->pd[6], d->pd[7], d->pd[8], d->pd[9],
                          d->pre_last, d->suf_first, d->pos_route,
                          d->rd[0], d->rd[1], d->rd[2], d->rd[3], d->rd[4], d->r_load, d->r_cap, s->route_extra,
                          b->e_dur, b->e_early, b->e_late, b->e_dem, b->e_loc, b->move_start, b->move_pos};
    return WEFT_OK;
}

/* Evaluates the batch m of n customers and keeps the best position per (customer, slot). */
static int batch_run(rr_device *d, int n, const weft_vrp_moves *m)
{
    rr_state *s = d->s;
    rr_batch *b = &d->batch;
    int st = d->be->ops->vrp_best_insertions(d->be, d->dev, m, b->e_best, b->e_delta);
    for (int i = 0, e = 0; !st && i < n; i++)
        for (int q = 0; q < s->nr; q++) {
            if (!b->incl[q]) continue;
            int best = b->e_best[e];
            b->best_pos[(size_t)i * s->nr + q] = best < 0 ? 0 : b->move_pos[b->move_start[e] + best] - b->first_pos[q] + 1;
            b->best_delta[(size_t)i * s->nr + q] = b->e_delta[e++];
        }
    return st;
}

void rr_batch_prepare(rr_state *s, const int *list, int n, const uint64_t *salt, double blink)
{
    rr_device *d = s->device;
    rr_batch *b = &d->batch;
    d->s = s;
    for (int i = 0; i < b->n; i++) b->idx[b->cust[i]] = -1;
    b->n = 0;
    if (n == 0 || rr_use_near(s) || d->status) return;
    weft_vrp_moves m;
    int st = rr_batch_moves(d, list, n, salt, blink, &m);
    if (!st) st = batch_run(d, n, &m);
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
int rr_batch_best(rr_device *d, int c, int i, int *route, int *pos, double *delta)
{
    prepared_scan ps = {d, c, i, -1, 0, rr_seg_customer(d->s, c), INFINITY};
    rr_scan_slots(d->s, c, prepared_slot, &ps);
    if (ps.route < 0) return -1;
    *route = ps.route, *pos = ps.pos, *delta = ps.delta;
    return 0;
}
