/* First-improvement local search over granular neighbourhoods: for a customer u and each of its
 * nearest customers v, try relocating u (or the chain of 1-3 customers starting at u) next to v,
 * swapping u and v, and the two 2-opt* exchanges between their routes. Moves between two routes are
 * checked in O(1) from prefix/suffix summaries; moves inside one route rebuild the summary of the
 * changed stretch. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "route/ls_device.h"
#include "route/rr_ops.h"

#define GRANULAR RR_LS_GRANULAR

typedef struct ls_ctx {
    rr_state *s;
    int *buf_a, *buf_b; /* candidate sequences [nc] */
} ls_ctx;

/* Summary of positions i..j (1-based, inclusive, i <= j) of route r, joined one by one. */
static rr_seg range_seg(const rr_state *s, const rr_route *rt, int i, int j)
{
    rr_seg g = rr_seg_customer(s, rt->cust[i - 1]);
    for (int p = i + 1; p <= j; p++) g = rr_seg_join(g, rr_seg_customer(s, rt->cust[p - 1]), s->v->time, s->v->dist, s->k);
    return g;
}

static rr_seg join(const rr_state *s, rr_seg a, rr_seg b) { return rr_seg_join(a, b, s->v->time, s->v->dist, s->k); }

/* Cost of a route of type t with summary w and n customers; INFINITY if infeasible. */
static double seq_cost(const rr_state *s, int t, const rr_seg *w, int n)
{
    if (n == 0) return 0;
    if (!rr_seg_ok(w, s->v->max_duration[t])) return INFINITY;
    return rr_route_cost(s, t, w);
}

static int load_ok(const rr_state *s, int t, const double *load)
{
    const double *cap = s->v->capacity + (size_t)t * s->D;
    for (int d = 0; d < s->D; d++)
        if (load[d] > cap[d] + RR_EPS) return 0;
    return 1;
}

/* Load of positions i..j of route rt into out. */
static void range_load(const rr_state *s, const rr_route *rt, int i, int j, double *out)
{
    for (int d = 0; d < s->D; d++) out[d] = rt->pload[(size_t)j * s->D + d] - rt->pload[(size_t)(i - 1) * s->D + d];
}

/* Applies: route r gets the customer list seq[0..n). */
static void apply(rr_state *s, int r, const int *seq, int n) { rr_set_route(s, r, seq, n); }

/* Applies a two-route move whose new sequences are in buf_a (route ra) and buf_b (route rb). */
static int apply_pair(ls_ctx *L, int ra, int na, int rb, int nb)
{
    apply(L->s, ra, L->buf_a, na);
    apply(L->s, rb, L->buf_b, nb);
    return 1;
}

/* Writes positions i..j of route rt into out; returns the count. */
static int copy_range(const rr_route *rt, int i, int j, int *out)
{
    int n = j >= i ? j - i + 1 : 0;
    if (n) memcpy(out, rt->cust + i - 1, (size_t)n * sizeof *out);
    return n;
}

/* Moves the chain u..u+len-1 (positions pu..pu+len-1 of ru) to just after position pv of rv (pv may
 * be 0: the start). Inter-route only. */
static int try_chain_inter(ls_ctx *L, int ru, int pu, int len, int rv, int pv)
{
    rr_state *s = L->s;
    rr_route *a = &s->routes[ru], *b = &s->routes[rv];
    if (pu + len - 1 > a->len) return 0;
    double ld[64];
    range_load(s, a, pu, pu + len - 1, ld);
    for (int d = 0; d < s->D; d++) ld[d] += b->load[d];
    if (!load_ok(s, b->type, ld)) return 0;
    rr_seg chain = range_seg(s, a, pu, pu + len - 1);
    rr_seg na = join(s, a->pre[pu - 1], a->suf[pu + len]);
    rr_seg nb = join(s, join(s, b->pre[pv], chain), b->suf[pv + 1]);
    double delta = seq_cost(s, a->type, &na, a->len - len) + seq_cost(s, b->type, &nb, b->len + len) - a->cost - b->cost;
    if (!(delta < -rr_ls_min_gain(s))) return 0;
    int n = copy_range(a, 1, pu - 1, L->buf_a);
    n += copy_range(a, pu + len, a->len, L->buf_a + n);
    int m = copy_range(b, 1, pv, L->buf_b);
    m += copy_range(a, pu, pu + len - 1, L->buf_b + m);
    m += copy_range(b, pv + 1, b->len, L->buf_b + m);
    return apply_pair(L, ru, n, rv, m);
}

/* Swap of u (ru, pu) and v (rv, pv) in different routes. */
static int try_swap(ls_ctx *L, int ru, int pu, int rv, int pv)
{
    rr_state *s = L->s;
    rr_route *a = &s->routes[ru], *b = &s->routes[rv];
    int u = a->cust[pu - 1], v = b->cust[pv - 1];
    double la[64], lb[64];
    const double *du = s->v->demand + (size_t)u * s->D, *dv = s->v->demand + (size_t)v * s->D;
    for (int d = 0; d < s->D; d++) la[d] = a->load[d] - du[d] + dv[d], lb[d] = b->load[d] - dv[d] + du[d];
    if (!load_ok(s, a->type, la) || !load_ok(s, b->type, lb)) return 0;
    rr_seg na = join(s, join(s, a->pre[pu - 1], rr_seg_customer(s, v)), a->suf[pu + 1]);
    rr_seg nb = join(s, join(s, b->pre[pv - 1], rr_seg_customer(s, u)), b->suf[pv + 1]);
    double delta = seq_cost(s, a->type, &na, a->len) + seq_cost(s, b->type, &nb, b->len) - a->cost - b->cost;
    if (!(delta < -rr_ls_min_gain(s))) return 0;
    memcpy(L->buf_a, a->cust, (size_t)a->len * sizeof(int));
    memcpy(L->buf_b, b->cust, (size_t)b->len * sizeof(int));
    L->buf_a[pu - 1] = v, L->buf_b[pv - 1] = u;
    return apply_pair(L, ru, a->len, rv, b->len);
}

/* 2-opt*: route a keeps 1..pa and takes b's pb+1..end; b keeps 1..pb and takes a's pa+1..end.
 * Only between slots that share a depot and a time window at the end. */
static int try_two_opt_star(ls_ctx *L, int ru, int pa, int rv, int pb)
{
    rr_state *s = L->s;
    rr_route *a = &s->routes[ru], *b = &s->routes[rv];
    rr_seg ea = a->suf[a->len + 1], eb = b->suf[b->len + 1];
    if (ea.first != eb.first || ea.early != eb.early || ea.late != eb.late) return 0;
    double la[64], lb[64];
    for (int d = 0; d < s->D; d++) {
        double a1 = a->pload[(size_t)pa * s->D + d], b1 = b->pload[(size_t)pb * s->D + d];
        la[d] = a1 + b->load[d] - b1;
        lb[d] = b1 + a->load[d] - a1;
    }
    if (!load_ok(s, a->type, la) || !load_ok(s, b->type, lb)) return 0;
    rr_seg na = join(s, a->pre[pa], b->suf[pb + 1]);
    rr_seg nb = join(s, b->pre[pb], a->suf[pa + 1]);
    int n1 = pa + b->len - pb, n2 = pb + a->len - pa;
    double delta = seq_cost(s, a->type, &na, n1) + seq_cost(s, b->type, &nb, n2) - a->cost - b->cost;
    if (!(delta < -rr_ls_min_gain(s))) return 0;
    int n = copy_range(a, 1, pa, L->buf_a);
    n += copy_range(b, pb + 1, b->len, L->buf_a + n);
    int m = copy_range(b, 1, pb, L->buf_b);
    m += copy_range(a, pa + 1, a->len, L->buf_b + m);
    return apply_pair(L, ru, n, rv, m);
}

/* Inside one route: move the chain at positions pu..pu+len-1 to just after position pv (pv outside
 * pu-1..pu+len-1). */
static int try_relocate_intra(ls_ctx *L, int r, int pu, int len, int pv)
{
    rr_state *s = L->s;
    rr_route *a = &s->routes[r];
    int pe = pu + len - 1;
    if (pe > a->len || (pv >= pu - 1 && pv <= pe)) return 0;
    rr_seg chain = range_seg(s, a, pu, pe), w;
    if (pv < pu) w = join(s, join(s, join(s, a->pre[pv], chain), range_seg(s, a, pv + 1, pu - 1)), a->suf[pe + 1]);
    else w = join(s, join(s, join(s, a->pre[pu - 1], range_seg(s, a, pe + 1, pv)), chain), a->suf[pv + 1]);
    double delta = seq_cost(s, a->type, &w, a->len) - a->cost;
    if (!(delta < -rr_ls_min_gain(s))) return 0;
    int n = 0;
    if (pv < pu) {
        n += copy_range(a, 1, pv, L->buf_a + n);
        n += copy_range(a, pu, pe, L->buf_a + n);
        n += copy_range(a, pv + 1, pu - 1, L->buf_a + n);
        n += copy_range(a, pe + 1, a->len, L->buf_a + n);
    } else {
        n += copy_range(a, 1, pu - 1, L->buf_a + n);
        n += copy_range(a, pe + 1, pv, L->buf_a + n);
        n += copy_range(a, pu, pe, L->buf_a + n);
        n += copy_range(a, pv + 1, a->len, L->buf_a + n);
    }
    apply(s, r, L->buf_a, n);
    return 1;
}

/* Inside one route: reverse positions i..j (2-opt). */
static int try_two_opt_intra(ls_ctx *L, int r, int i, int j)
{
    rr_state *s = L->s;
    rr_route *a = &s->routes[r];
    rr_seg w = a->pre[i - 1];
    for (int p = j; p >= i; p--) w = join(s, w, rr_seg_customer(s, a->cust[p - 1]));
    w = join(s, w, a->suf[j + 1]);
    double delta = seq_cost(s, a->type, &w, a->len) - a->cost;
    if (!(delta < -rr_ls_min_gain(s))) return 0;
    memcpy(L->buf_a, a->cust, (size_t)a->len * sizeof(int));
    for (int p = i, q = j; p < q; p++, q--) {
        int t = L->buf_a[p - 1];
        L->buf_a[p - 1] = L->buf_a[q - 1], L->buf_a[q - 1] = t;
    }
    apply(s, r, L->buf_a, a->len);
    return 1;
}

/* Every move of u against neighbour v; 1 if one was applied. */
static int moves_pair(ls_ctx *L, int u, int v)
{
    rr_state *s = L->s;
    int ru = s->route_of[u], rv = s->route_of[v];
    if (ru < 0 || rv < 0) return 0;
    int pu = s->pos_of[u], pv = s->pos_of[v];
    if (ru != rv) {
        for (int len = 1; len <= 3; len++) {
            if (try_chain_inter(L, ru, pu, len, rv, pv)) return 1;     /* u.. after v */
            if (try_chain_inter(L, ru, pu, len, rv, pv - 1)) return 1; /* u.. before v */
        }
        if (try_swap(L, ru, pu, rv, pv)) return 1;
        if (try_two_opt_star(L, ru, pu, rv, pv - 1)) return 1; /* u -> v */
        if (try_two_opt_star(L, ru, pu - 1, rv, pv)) return 1; /* v -> u */
        return 0;
    }
    for (int len = 1; len <= 3; len++) {
        if (try_relocate_intra(L, ru, pu, len, pv)) return 1;     /* u.. after v */
        if (try_relocate_intra(L, ru, pu, len, pv - 1)) return 1; /* u.. before v */
    }
    if (pu < pv && try_two_opt_intra(L, ru, pu + 1, pv)) return 1; /* u -> v */
    if (pv < pu && try_two_opt_intra(L, ru, pv + 1, pu)) return 1;
    return 0;
}

/* Summary of route rt's customers driven by slot r's vehicle (its depot and shift). */
static rr_seg seq_on_slot(const rr_state *s, int r, const rr_route *rt)
{
    rr_seg dep = rr_seg_depot(s, r), w = dep;
    for (int i = 0; i < rt->len; i++) w = join(s, w, rr_seg_customer(s, rt->cust[i]));
    return join(s, w, dep);
}

/* Mixed fleets: give route a's customers to slot b's vehicle and b's to a's (b may be empty). Only
 * the first empty slot of each type is tried, as empty slots of one type are alike. */
static int type_swaps(ls_ctx *L)
{
    rr_state *s = L->s;
    for (int a = 0; a < s->nr; a++) {
        rr_route *ra = &s->routes[a];
        if (!ra->len) continue;
        int last_empty_type = -1;
        for (int b = 0; b < s->nr; b++) {
            rr_route *rb = &s->routes[b];
            if (rb->type == ra->type || (!rb->len && rb->type == last_empty_type)) continue;
            if (!rb->len) last_empty_type = rb->type;
            int ok = 1;
            for (int d = 0; d < s->D; d++) {
                const double *ca = s->v->capacity + (size_t)ra->type * s->D, *cb = s->v->capacity + (size_t)rb->type * s->D;
                if (ra->load[d] > cb[d] + RR_EPS || rb->load[d] > ca[d] + RR_EPS) ok = 0;
            }
            if (!ok) continue;
            rr_seg wa = seq_on_slot(s, b, ra), wb = seq_on_slot(s, a, rb);
            double delta = seq_cost(s, rb->type, &wa, ra->len) + seq_cost(s, ra->type, &wb, rb->len) - ra->cost - rb->cost;
            if (!(delta < -rr_ls_min_gain(s))) continue;
            int na = ra->len, nb = rb->len;
            memcpy(L->buf_a, ra->cust, (size_t)na * sizeof(int));
            memcpy(L->buf_b, rb->cust, (size_t)nb * sizeof(int));
            return apply_pair(L, b, na, a, nb);
        }
    }
    return 0;
}

/* Optional customers: drop one whose visit costs more than its penalty; add an unserved one whose
 * cheapest insertion costs less. */
static int optional_moves(rr_state *s)
{
    int moved = 0;
    for (int u = 0; u < s->nc; u++) {
        int r = s->route_of[u];
        if (s->must[u] || r < 0) continue;
        rr_route *a = &s->routes[r];
        int p = s->pos_of[u];
        rr_seg w = join(s, a->pre[p - 1], a->suf[p + 1]);
        double saving = a->cost - seq_cost(s, a->type, &w, a->len - 1);
        if (saving > s->penalty[u] + rr_ls_min_gain(s)) rr_remove(s, u), moved++;
    }
    for (int i = 0; i < s->n_unserved; i++) {
        int c = s->unserved[i], r, p;
        double d;
        if (s->ops->best_insertion(s, c, 0, 0, &r, &p, &d) == 0 && d < s->penalty[c] - rr_ls_min_gain(s)) {
            rr_insert(s, c, r, p);
            moved++, i--;
        }
    }
    return moved;
}

/* The customers to start from: all, or those in the slots the current step touched. */
static int start_list(const rr_state *s, int touched_only, int *list)
{
    int n = 0;
    if (!touched_only) {
        for (int c = 0; c < s->nc; c++) list[n++] = c;
        return n;
    }
    for (int i = 0; i < s->n_saved; i++) {
        const rr_route *rt = &s->routes[s->saved_slot[i]];
        for (int p = 0; p < rt->len; p++) list[n++] = rt->cust[p];
    }
    return n;
}

int rr_ls_fleet_moves(rr_state *s, int *buf_a, int *buf_b)
{
    ls_ctx L = {s, buf_a, buf_b};
    if (s->v->penalty && optional_moves(s)) return 1;
    return s->v->n_types > 1 && type_swaps(&L);
}

long rr_local_search(rr_state *s, long max_moves, int touched_only)
{
    if (s->ls) return rr_ls_run(s->ls, &s, 1, max_moves, touched_only);
    if (s->nc < 2 || s->D > 64) return 0;
    ls_ctx L = {s, NULL, NULL};
    int *scratch = weft_calloc(s->ctx, (size_t)s->nc * 3 + 3, sizeof(int));
    if (!scratch) return 0;
    L.buf_a = scratch, L.buf_b = scratch + s->nc + 1;
    int *list = scratch + 2 * (s->nc + 1);
    int n = start_list(s, touched_only, list);
    int g = s->n_neigh < GRANULAR ? s->n_neigh : GRANULAR;
    long moves = 0;
    int improved = 1, late = 0;
    while (improved && !late && moves < max_moves) {
        improved = 0;
        int start = n ? (int)(rr_uniform(s) * n) : 0;
        for (int i = 0; i < n && moves < max_moves; i++) {
            if ((i & 63) == 63 && rr_now() > s->deadline) {
                late = 1;
                break;
            }
            int u = list[(start + i) % n];
            for (int j = 0; j < g; j++) {
                if (moves_pair(&L, u, s->neighbours[(size_t)u * s->n_neigh + j])) {
                    moves++, improved = 1;
                    break;
                }
            }
        }
        if (late) break;
        if (!improved && rr_ls_fleet_moves(s, L.buf_a, L.buf_b)) improved = 1, moves++;
    }
    weft_free(s->ctx, scratch);
    return moves;
}
