/* CPU evaluation of insertions, each position checked in O(1) with the prefix and suffix summaries.
 * Large instances look first only next to the customer's nearest neighbours (and in one empty slot
 * per type), and scan every route only when that finds nothing. Empty slots of one type are
 * interchangeable, so only the first is tried. The candidate order here is also the device path's
 * (moves_device.c): among equal costs the first candidate wins on both. */
#include <math.h>

#include "route/rr_state.h"

#define GRANULAR_FROM 300 /* customers */
#define GRANULAR_K 40
/* The distance bound prunes a move only when it is clearly no better, so that rounding in the
 * full evaluation can never make a pruned move the strict best (the device path does not prune). */
#define PRUNE_MARGIN 1e-6

int rr_use_near(const rr_state *s) { return s->nc >= GRANULAR_FROM; }

void rr_scan_slots(rr_state *s, int c, rr_slot_fn *slot, void *user)
{
    int last_empty_type = -1;
    for (int r = 0; r < s->nr; r++) {
        rr_route *rt = &s->routes[r];
        if (rt->len == 0) {
            if (rt->type == last_empty_type) continue;
            last_empty_type = rt->type;
        }
        if (!rr_fits_load(s, r, c)) continue;
        slot(user, r);
    }
}

typedef struct all_positions {
    rr_state *s;
    rr_visit_fn *visit;
    void *user;
} all_positions;

static void every_position(void *user, int r)
{
    all_positions *a = user;
    for (int p = 1; p <= a->s->routes[r].len + 1; p++) a->visit(a->user, r, p);
}

static void scan_all(rr_state *s, int c, rr_visit_fn *visit, void *user)
{
    all_positions a = {s, visit, user};
    rr_scan_slots(s, c, every_position, &a);
}

static void scan_near(rr_state *s, int c, rr_visit_fn *visit, void *user)
{
    int k = s->n_neigh < GRANULAR_K ? s->n_neigh : GRANULAR_K;
    for (int i = 0; i < k; i++) {
        int j = s->neighbours[(size_t)c * s->n_neigh + i], r = s->route_of[j];
        if (r < 0 || !rr_fits_load(s, r, c)) continue;
        visit(user, r, s->pos_of[j]);
        visit(user, r, s->pos_of[j] + 1);
    }
    for (int t = 0; t < s->v->n_types; t++) {
        int r = s->empty_of_type[t];
        if (r >= 0 && rr_fits_load(s, r, c)) visit(user, r, 1);
    }
}

void rr_candidates(rr_state *s, int c, int near, rr_visit_fn *visit, void *user)
{
    if (near) scan_near(s, c, visit, user);
    else scan_all(s, c, visit, user);
}

typedef struct ins_try {
    rr_state *s;
    int c;
    rr_seg cs;
    double blink;
    uint64_t salt;
    double delta;
    int route, pos;
} ins_try;

/* Tries the customer at position p of slot r. */
static void try_position(void *user, int r, int p)
{
    ins_try *b = user;
    rr_state *s = b->s;
    const weft_vrp *v = s->v;
    rr_route *rt = &s->routes[r];
    int t = rt->type, k = s->k, loc = v->n_depots + b->c;
    int a = rt->pre[p - 1].last, nx = rt->suf[p].first;
    double fixed = rt->len ? 0 : v->fixed_cost[t] + s->route_extra;
    /* without a time cost, the distance change bounds the cost change from below */
    if (v->cost_per_hour[t] == 0) {
        double dd = v->dist[(long)a * k + loc] + v->dist[(long)loc * k + nx] - v->dist[(long)a * k + nx];
        if (fixed + v->cost_per_km[t] * dd >= b->delta + PRUNE_MARGIN) return;
    }
    if (b->blink > 0 && rr_blinked(b->salt, r, p, b->blink)) return;
    double d = rr_insertion_delta(s, b->c, &b->cs, r, p);
    if (d < b->delta) b->delta = d, b->route = r, b->pos = p;
}

double rr_insertion_delta(const rr_state *s, int c, const rr_seg *cs, int r, int p)
{
    const weft_vrp *v = s->v;
    const rr_route *rt = &s->routes[r];
    (void)c;
    rr_seg w = rr_seg_join(rr_seg_join(rt->pre[p - 1], *cs, v->time, v->dist, s->k), rt->suf[p], v->time, v->dist, s->k);
    if (!rr_seg_ok(&w, v->max_duration[rt->type])) return INFINITY;
    return rr_route_cost(s, rt->type, &w) - rt->cost;
}

static int cpu_best_insertion(rr_state *s, int c, double blink, uint64_t salt, int *route, int *pos, double *delta)
{
    ins_try b = {s, c, rr_seg_customer(s, c), blink, salt, INFINITY, -1, 0};
    if (rr_use_near(s)) rr_candidates(s, c, 1, try_position, &b);
    if (b.route < 0) rr_candidates(s, c, 0, try_position, &b);
    if (b.route < 0) return -1;
    *route = b.route, *pos = b.pos, *delta = b.delta;
    return 0;
}

const rr_eval_ops rr_eval_cpu = {"cpu", cpu_best_insertion, NULL};
