/* The neighbourhood evaluation of the batched local search: S working solutions packed as the
 * struct-of-arrays of backend.h's weft_vrp_ls (every slot's prefix/suffix summaries as
 * rr_route_update left them, so a launch sees exactly what the host would), one vrp_ls_best
 * launch, the answers spread back per (state, customer). */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "route/ls_device.h"

struct rr_ls_dev {
    weft_context *ctx;
    weft_backend *be;
    weft_vrp_dev *dev;
    int nc, nr, D, cap_s; /* room for cap_s states */
    double *pd[10];       /* pre dur, warp, early, late, dist, suf the same: [positions] */
    int32_t *p_loc, *p_cust;
    double *p_load;       /* [positions x D] */
    int32_t *r_first, *r_len;
    double *rd[5], *r_cap; /* fixed, km, hour, maxdur, cost: [routes]; [routes x D] */
    double *c_dur, *c_early, *c_late; /* customers, fixed for the instance */
    int32_t *c_loc;
    int32_t *c_route, *c_pos, *items, *i_best; /* [cap_s x nc] */
    double *i_delta;
    rr_ls_stats stats;
    int status; /* the first backend error */
};

static void free_packed(rr_ls_dev *L)
{
    weft_context *ctx = L->ctx;
    for (int i = 0; i < 10; i++) weft_free(ctx, L->pd[i]), L->pd[i] = NULL;
    for (int i = 0; i < 5; i++) weft_free(ctx, L->rd[i]), L->rd[i] = NULL;
    void **p[] = {(void **)&L->p_loc, (void **)&L->p_cust, (void **)&L->p_load, (void **)&L->r_first, (void **)&L->r_len,
                  (void **)&L->r_cap, (void **)&L->c_route, (void **)&L->c_pos, (void **)&L->items,
                  (void **)&L->i_best, (void **)&L->i_delta};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) weft_free(ctx, *p[i]), *p[i] = NULL;
    L->cap_s = 0;
}

/* Room for S states: a state has at most nc + 2 nr positions (each slot's two depot visits). */
static int reserve(rr_ls_dev *L, int S)
{
    if (S <= L->cap_s) return WEFT_OK;
    free_packed(L);
    weft_context *ctx = L->ctx;
    size_t np = (size_t)S * ((size_t)L->nc + 2 * (size_t)L->nr) + 1, nr = (size_t)S * L->nr + 1, D = (size_t)L->D;
    size_t ns = (size_t)S * L->nc + 1;
    int ok = 1;
    for (int i = 0; i < 10; i++) ok = ok && (L->pd[i] = weft_malloc(ctx, np * sizeof(double)));
    for (int i = 0; i < 5; i++) ok = ok && (L->rd[i] = weft_malloc(ctx, nr * sizeof(double)));
    ok = ok && (L->p_loc = weft_malloc(ctx, np * sizeof(int32_t))) && (L->p_cust = weft_malloc(ctx, np * sizeof(int32_t)));
    ok = ok && (L->p_load = weft_calloc(ctx, np * D + 1, sizeof(double))) && (L->r_cap = weft_malloc(ctx, (nr * D + 1) * sizeof(double)));
    ok = ok && (L->r_first = weft_malloc(ctx, nr * sizeof(int32_t))) && (L->r_len = weft_malloc(ctx, nr * sizeof(int32_t)));
    ok = ok && (L->c_route = weft_malloc(ctx, ns * sizeof(int32_t))) && (L->c_pos = weft_malloc(ctx, ns * sizeof(int32_t)));
    ok = ok && (L->items = weft_malloc(ctx, ns * sizeof(int32_t))) && (L->i_best = weft_malloc(ctx, ns * sizeof(int32_t)));
    ok = ok && (L->i_delta = weft_malloc(ctx, ns * sizeof(double)));
    if (!ok) {
        free_packed(L);
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory packing %d solutions for the local search", S);
    }
    L->cap_s = S;
    return WEFT_OK;
}

int rr_ls_open(weft_context *ctx, const rr_state *s, weft_backend *be, rr_ls_dev **out)
{
    *out = NULL;
    rr_ls_dev *L = weft_calloc(ctx, 1, sizeof *L);
    if (!L) return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for the local search");
    L->ctx = ctx, L->be = be, L->nc = s->nc, L->nr = s->nr, L->D = s->D;
    size_t nc = (size_t)s->nc + 1;
    L->c_dur = weft_malloc(ctx, nc * sizeof(double)), L->c_early = weft_malloc(ctx, nc * sizeof(double));
    L->c_late = weft_malloc(ctx, nc * sizeof(double)), L->c_loc = weft_malloc(ctx, nc * sizeof(int32_t));
    int st = L->c_dur && L->c_early && L->c_late && L->c_loc ? WEFT_OK : WEFT_ERR_NOMEM;
    if (st) st = weft_error(ctx, st, "routing: out of memory for the local search");
    for (int c = 0; !st && c < s->nc; c++) {
        rr_seg g = rr_seg_customer(s, c);
        L->c_dur[c] = g.dur, L->c_early[c] = g.early, L->c_late[c] = g.late, L->c_loc[c] = g.first;
    }
    if (!st) st = reserve(L, 1);
    if (!st) st = be->ops->vrp_open(be, s->k, s->v->time, s->v->dist, &L->dev);
    if (st) rr_ls_close(&L);
    *out = L;
    return st;
}

void rr_ls_close(rr_ls_dev **pL)
{
    rr_ls_dev *L = *pL;
    if (!L) return;
    if (L->dev) L->be->ops->vrp_close(L->be, &L->dev);
    free_packed(L);
    weft_free(L->ctx, L->c_dur), weft_free(L->ctx, L->c_early), weft_free(L->ctx, L->c_late), weft_free(L->ctx, L->c_loc);
    weft_free(L->ctx, L);
    *pL = NULL;
}

rr_ls_stats rr_ls_get_stats(const rr_ls_dev *L) { return L->stats; }

/* Slot r of a state as route ri, its positions from *np on. */
static void pack_route(rr_ls_dev *L, const rr_state *s, int r, int ri, int *np)
{
    const rr_route *rt = &s->routes[r];
    const weft_vrp *v = s->v;
    int t = rt->type, n = rt->len, D = s->D, f = *np;
    L->r_first[ri] = f, L->r_len[ri] = n;
    double rv[5] = {v->fixed_cost[t], v->cost_per_km[t], v->cost_per_hour[t] * s->hours_per_unit, v->max_duration[t], rt->cost};
    for (int i = 0; i < 5; i++) L->rd[i][ri] = rv[i];
    memcpy(L->r_cap + (size_t)ri * D, v->capacity + (size_t)t * D, (size_t)D * sizeof(double));
    for (int i = 0; i <= n + 1; i++) {
        const rr_seg *a = &rt->pre[i], *b = &rt->suf[i];
        double vals[10] = {a->dur, a->warp, a->early, a->late, a->dist, b->dur, b->warp, b->early, b->late, b->dist};
        for (int j = 0; j < 10; j++) L->pd[j][f + i] = vals[j];
        L->p_loc[f + i] = a->last;
        L->p_cust[f + i] = i >= 1 && i <= n ? rt->cust[i - 1] : -1;
        int row = i <= n ? i : n; /* the end depot carries the whole route's load */
        memcpy(L->p_load + (size_t)(f + i) * D, rt->pload + (size_t)row * D, (size_t)D * sizeof(double));
    }
    *np = f + n + 2;
}

/* State si's slots, customers and items; returns the items added. */
static int pack_state(rr_ls_dev *L, const rr_state *s, int si, int touched_only, int *np, int n_items)
{
    int nc = s->nc, R0 = si * s->nr;
    for (int r = 0; r < s->nr; r++) pack_route(L, s, r, R0 + r, np);
    for (int u = 0; u < nc; u++) {
        int r = s->route_of[u];
        L->c_route[(size_t)si * nc + u] = r < 0 ? -1 : R0 + r;
        L->c_pos[(size_t)si * nc + u] = r < 0 ? 0 : s->pos_of[u];
    }
    int w = n_items;
    if (!touched_only) {
        for (int u = 0; u < nc; u++)
            if (s->route_of[u] >= 0) L->items[w++] = si * nc + u;
        return w - n_items;
    }
    for (int i = 0; i < s->n_saved; i++) {
        const rr_route *rt = &s->routes[s->saved_slot[i]];
        for (int p = 0; p < rt->len; p++) L->items[w++] = si * nc + rt->cust[p];
    }
    return w - n_items;
}

int rr_ls_evaluate(rr_ls_dev *L, rr_state *const *states, int S, int touched_only, int32_t *best, double *delta)
{
    int st = reserve(L, S);
    if (st) return st;
    const rr_state *s0 = states[0];
    int np = 0, n_items = 0, nc = L->nc;
    for (int i = 0; i < S; i++) n_items += pack_state(L, states[i], i, touched_only, &np, n_items);
    int g = s0->n_neigh < RR_LS_GRANULAR ? s0->n_neigh : RR_LS_GRANULAR;
    weft_vrp_ls m = {S, nc, S * L->nr, np, L->D,
                     L->pd[0], L->pd[1], L->pd[2], L->pd[3], L->pd[4], L->pd[5], L->pd[6], L->pd[7], L->pd[8], L->pd[9],
                     L->p_loc, L->p_cust, L->p_load, L->r_first, L->r_len,
                     L->rd[0], L->rd[1], L->rd[2], L->rd[3], L->rd[4], L->r_cap, s0->route_extra,
                     L->c_dur, L->c_early, L->c_late, s0->v->demand, L->c_loc, s0->neighbours, s0->n_neigh, g,
                     L->c_route, L->c_pos, n_items, L->items};
    double t0 = rr_now();
    st = n_items ? L->be->ops->vrp_ls_best(L->be, L->dev, &m, L->i_best, L->i_delta) : WEFT_OK;
    if (st) return L->status = st;
    L->stats.seconds += rr_now() - t0;
    L->stats.launches += n_items > 0, L->stats.items += n_items;
    L->stats.moves += (double)n_items * g * WEFT_LS_TYPES;
    for (size_t i = 0; i < (size_t)S * nc; i++) best[i] = -1, delta[i] = INFINITY;
    for (int i = 0; i < n_items; i++) best[L->items[i]] = L->i_best[i], delta[L->items[i]] = L->i_delta[i];
    return WEFT_OK;
}

int rr_ls_attach(rr_state *s, weft_backend *be) { return rr_ls_open(s->ctx, s, be, &s->ls); }

void rr_ls_detach(rr_state *s) { rr_ls_close(&s->ls); }

int rr_ls_status(const rr_state *s) { return s->ls ? s->ls->status : WEFT_OK; }
