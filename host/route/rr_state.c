/* The working solution: slots, summaries, costs, edits and their undo. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/context_internal.h"
#include "route/rr_state.h"

#define NEIGHBOURS 60

double rr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

uint64_t rr_rand(rr_state *s)
{
    /* xorshift64*: fast, and identical on every platform for a given seed */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ULL;
}

double rr_uniform(rr_state *s) { return (double)(rr_rand(s) >> 11) * (1.0 / 9007199254740992.0); }

rr_seg rr_seg_customer(const rr_state *s, int c)
{
    const weft_vrp *v = s->v;
    rr_seg g = {v->service[c], 0, v->tw_open[c], v->tw_close[c], 0, v->n_depots + c, v->n_depots + c};
    return g;
}

rr_seg rr_seg_depot(const rr_state *s, int r)
{
    const weft_vrp *v = s->v;
    int t = s->routes[r].type, d = s->routes[r].depot;
    double open = fmax(v->shift_start[t], v->depot_open[d]), close = fmin(v->shift_end[t], v->depot_close[d]);
    rr_seg g = {0, 0, open, close, 0, d, d};
    return g;
}

double rr_route_cost(const rr_state *s, int t, const rr_seg *w)
{
    const weft_vrp *v = s->v;
    return v->fixed_cost[t] + v->cost_per_km[t] * w->dist + v->cost_per_hour[t] * s->hours_per_unit * w->dur +
           s->route_extra;
}

int rr_fits_load(const rr_state *s, int r, int c)
{
    const rr_route *rt = &s->routes[r];
    const double *dem = s->v->demand + (size_t)c * s->D, *cap = s->v->capacity + (size_t)rt->type * s->D;
    for (int d = 0; d < s->D; d++)
        if (rt->load[d] + dem[d] > cap[d] + RR_EPS) return 0;
    return 1;
}

void rr_route_update(rr_state *s, int r)
{
    rr_route *rt = &s->routes[r];
    const weft_vrp *v = s->v;
    int n = rt->len;
    rt->stamp++;
    rr_seg dep = rr_seg_depot(s, r);
    rt->pre[0] = dep;
    for (int i = 1; i <= n; i++) rt->pre[i] = rr_seg_join(rt->pre[i - 1], rr_seg_customer(s, rt->cust[i - 1]), v->time, v->dist, s->k);
    rt->pre[n + 1] = rr_seg_join(rt->pre[n], dep, v->time, v->dist, s->k);
    rt->suf[n + 1] = dep;
    for (int i = n; i >= 1; i--) rt->suf[i] = rr_seg_join(rr_seg_customer(s, rt->cust[i - 1]), rt->suf[i + 1], v->time, v->dist, s->k);
    rt->suf[0] = rt->pre[n + 1];
    int D = s->D;
    for (int d = 0; d < D; d++) rt->pload[d] = 0;
    for (int i = 1; i <= n; i++)
        for (int d = 0; d < D; d++)
            rt->pload[(size_t)i * D + d] = rt->pload[(size_t)(i - 1) * D + d] + v->demand[(size_t)rt->cust[i - 1] * D + d];
    for (int d = 0; d < D; d++) rt->load[d] = rt->pload[(size_t)n * D + d];
    double old = rt->cost;
    rt->cost = n ? rr_route_cost(s, rt->type, &rt->pre[n + 1]) : 0;
    s->cost += rt->cost - old;
    for (int i = 0; i < n; i++) s->route_of[rt->cust[i]] = r, s->pos_of[rt->cust[i]] = i + 1;
    int t = rt->type;
    if (n == 0 && s->empty_of_type[t] < 0) s->empty_of_type[t] = r;
    if (n > 0 && s->empty_of_type[t] == r) { /* find another empty slot of the type */
        s->empty_of_type[t] = -1;
        for (int q = s->type_first[t]; q < s->type_first[t + 1]; q++)
            if (!s->routes[q].len) {
                s->empty_of_type[t] = q;
                break;
            }
    }
}

void rr_recompute_cost(rr_state *s)
{
    s->cost = 0;
    for (int r = 0; r < s->nr; r++) s->cost += s->routes[r].cost;
    for (int i = 0; i < s->n_unserved; i++) s->cost += s->penalty[s->unserved[i]];
}

void rr_begin_step(rr_state *s)
{
    for (int i = 0; i < s->n_saved; i++) s->saved_mark[s->saved_slot[i]] = 0;
    s->n_saved = 0;
    s->saved_pool_used = 0;
    s->saved_cost = s->cost;
    s->saved_n_unserved = s->n_unserved;
    memcpy(s->saved_unserved, s->unserved, (size_t)s->n_unserved * sizeof *s->unserved);
}

void rr_touch(rr_state *s, int r)
{
    if (s->saved_mark[r]) return;
    rr_route *rt = &s->routes[r];
    s->saved_mark[r] = 1;
    s->saved_slot[s->n_saved++] = r;
    s->saved_len[r] = rt->len;
    s->saved_off[r] = s->saved_pool_used;
    memcpy(s->saved_pool + s->saved_pool_used, rt->cust, (size_t)rt->len * sizeof *rt->cust);
    s->saved_pool_used += rt->len;
}

void rr_undo_step(rr_state *s)
{
    for (int i = 0; i < s->n_saved; i++) {
        int r = s->saved_slot[i];
        rr_route *rt = &s->routes[r];
        rt->len = s->saved_len[r];
        memcpy(rt->cust, s->saved_pool + s->saved_off[r], (size_t)rt->len * sizeof *rt->cust);
        rr_route_update(s, r);
        s->saved_mark[r] = 0;
    }
    s->n_saved = 0;
    s->n_unserved = s->saved_n_unserved;
    memcpy(s->unserved, s->saved_unserved, (size_t)s->n_unserved * sizeof *s->unserved);
    for (int i = 0; i < s->n_unserved; i++) s->route_of[s->unserved[i]] = -1;
    s->cost = s->saved_cost;
}

void rr_remove(rr_state *s, int c)
{
    int r = s->route_of[c], p = s->pos_of[c];
    rr_route *rt = &s->routes[r];
    rr_touch(s, r);
    memmove(rt->cust + p - 1, rt->cust + p, (size_t)(rt->len - p) * sizeof *rt->cust);
    rt->len--;
    rr_route_update(s, r);
    s->route_of[c] = -1;
    s->unserved[s->n_unserved++] = c;
    s->cost += s->penalty[c];
}

int rr_reserve(rr_state *s, int r, int len)
{
    rr_route *rt = &s->routes[r];
    if (len <= rt->cap) return 0;
    int cap = rt->cap * 2 > len ? rt->cap * 2 : len + 8;
    if (cap > s->nc) cap = s->nc > len ? s->nc : len;
    int *cust = weft_realloc_array(s->ctx, rt->cust, (size_t)cap, sizeof *cust);
    if (cust) rt->cust = cust;
    rr_seg *pre = weft_realloc_array(s->ctx, rt->pre, (size_t)cap + 2, sizeof *pre);
    if (pre) rt->pre = pre;
    rr_seg *suf = weft_realloc_array(s->ctx, rt->suf, (size_t)cap + 2, sizeof *suf);
    if (suf) rt->suf = suf;
    double *pl = weft_realloc_array(s->ctx, rt->pload, ((size_t)cap + 2) * s->D, sizeof *pl);
    if (pl) rt->pload = pl;
    if (!cust || !pre || !suf || !pl) return s->nomem = 1, WEFT_ERR_NOMEM;
    rt->cap = cap;
    return 0;
}

void rr_set_route(rr_state *s, int r, const int *cust, int len)
{
    rr_touch(s, r);
    if (rr_reserve(s, r, len)) return;
    memmove(s->routes[r].cust, cust, (size_t)len * sizeof *cust);
    s->routes[r].len = len;
    rr_route_update(s, r);
}

void rr_insert(rr_state *s, int c, int r, int pos)
{
    rr_route *rt = &s->routes[r];
    rr_touch(s, r);
    if (rr_reserve(s, r, rt->len + 1)) return;
    for (int i = 0; i < s->n_unserved; i++)
        if (s->unserved[i] == c) {
            s->unserved[i] = s->unserved[--s->n_unserved];
            break;
        }
    s->cost -= s->penalty[c];
    memmove(rt->cust + pos, rt->cust + pos - 1, (size_t)(rt->len - pos + 1) * sizeof *rt->cust);
    rt->cust[pos - 1] = c;
    rt->len++;
    rr_route_update(s, r);
}

/* An upper bound on what serving everyone alone could cost: the scale of the big penalties. */
static double cost_scale(const weft_vrp *v, double hpu)
{
    double total = 1, max_fixed = 0, max_km = 0, max_h = 0;
    for (int t = 0; t < v->n_types; t++) {
        max_fixed = fmax(max_fixed, v->fixed_cost[t]);
        max_km = fmax(max_km, v->cost_per_km[t]);
        max_h = fmax(max_h, v->cost_per_hour[t]);
    }
    int k = v->n_depots + v->n_customers;
    for (int c = 0; c < v->n_customers; c++) {
        double d = 0, tm = 0;
        for (int j = 0; j < v->n_depots; j++) {
            double a = v->dist[(size_t)j * k + v->n_depots + c], b = v->time[(size_t)j * k + v->n_depots + c];
            if (isfinite(a)) d = fmax(d, a);
            if (isfinite(b)) tm = fmax(tm, b);
        }
        total += max_fixed + 2 * d * max_km + max_h * hpu * (2 * tm + v->service[c]);
    }
    return total;
}

typedef struct keyed { double key; int j; } keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : x->j - y->j;
}

static int build_neighbours(rr_state *s)
{
    int nc = s->nc, m = nc - 1 < NEIGHBOURS ? nc - 1 : NEIGHBOURS, nd = s->v->n_depots;
    s->n_neigh = m > 0 ? m : 0;
    s->neighbours = weft_calloc(s->ctx, (size_t)nc * s->n_neigh + 1, sizeof *s->neighbours);
    keyed *row = weft_calloc(s->ctx, (size_t)nc + 1, sizeof *row);
    if (!s->neighbours || !row) {
        weft_free(s->ctx, row);
        return WEFT_ERR_NOMEM;
    }
    for (int c = 0; c < nc; c++) {
        int n = 0;
        for (int j = 0; j < nc; j++) {
            if (j == c) continue;
            double a = s->v->dist[(size_t)(nd + c) * s->k + nd + j], b = s->v->dist[(size_t)(nd + j) * s->k + nd + c];
            row[n].key = isfinite(a + b) ? a + b : INFINITY;
            row[n++].j = j;
        }
        qsort(row, (size_t)n, sizeof *row, by_key);
        for (int i = 0; i < s->n_neigh; i++) s->neighbours[(size_t)c * s->n_neigh + i] = row[i].j;
    }
    weft_free(s->ctx, row);
    return WEFT_OK;
}

static int alloc_slots(rr_state *s)
{
    const weft_vrp *v = s->v;
    s->nr = 0;
    for (int t = 0; t < v->n_types; t++) s->nr += v->count[t] < s->nc ? v->count[t] : s->nc;
    s->routes = weft_calloc(s->ctx, (size_t)s->nr + 1, sizeof *s->routes);
    s->type_first = weft_calloc(s->ctx, (size_t)v->n_types + 1, sizeof *s->type_first);
    s->empty_of_type = weft_calloc(s->ctx, (size_t)v->n_types, sizeof *s->empty_of_type);
    if (!s->routes || !s->type_first || !s->empty_of_type) return WEFT_ERR_NOMEM;
    int r = 0;
    for (int t = 0; t < v->n_types; t++) {
        s->type_first[t] = r;
        s->empty_of_type[t] = -1;
        int cnt = v->count[t] < s->nc ? v->count[t] : s->nc;
        for (int i = 0; i < cnt; i++, r++) {
            rr_route *rt = &s->routes[r];
            rt->type = t, rt->depot = v->type_depot[t];
            rt->load = weft_calloc(s->ctx, (size_t)s->D, sizeof *rt->load);
            if (!rt->load || rr_reserve(s, r, 4)) return WEFT_ERR_NOMEM;
        }
    }
    s->type_first[v->n_types] = r;
    return WEFT_OK;
}

int rr_state_init(rr_state *s, weft_context *ctx, const weft_vrp *v, weft_vrp_objective obj, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx, s->v = v, s->ops = &rr_eval_cpu;
    s->nc = v->n_customers, s->D = v->dims, s->k = v->n_depots + v->n_customers;
    s->deadline = INFINITY;
    s->rng = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    if (!s->rng) s->rng = 1;
    s->hours_per_unit = weft_vrp_hours_per_unit(v);
    size_t nc1 = (size_t)s->nc + 1;
    int st = alloc_slots(s);
    s->route_of = weft_calloc(ctx, nc1, sizeof(int)), s->pos_of = weft_calloc(ctx, nc1, sizeof(int));
    s->unserved = weft_calloc(ctx, nc1, sizeof(int)), s->saved_unserved = weft_calloc(ctx, nc1, sizeof(int));
    s->must = weft_calloc(ctx, nc1, sizeof(int)), s->penalty = weft_calloc(ctx, nc1, sizeof(double));
    s->saved_slot = weft_calloc(ctx, (size_t)s->nr + 1, sizeof(int));
    s->saved_mark = weft_calloc(ctx, (size_t)s->nr + 1, sizeof(int));
    s->saved_len = weft_calloc(ctx, (size_t)s->nr + 1, sizeof(int));
    s->saved_off = weft_calloc(ctx, (size_t)s->nr + 1, sizeof(int));
    s->saved_pool = weft_calloc(ctx, nc1, sizeof(int));
    s->salts = weft_calloc(ctx, nc1, sizeof(uint64_t));
    if (st || !s->route_of || !s->pos_of || !s->unserved || !s->saved_unserved || !s->must || !s->penalty ||
        !s->saved_slot || !s->saved_mark || !s->saved_len || !s->saved_off || !s->saved_pool || !s->salts || build_neighbours(s)) {
        rr_state_free(s);
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for %d customers", s->nc);
    }
    double scale = cost_scale(v, s->hours_per_unit);
    s->route_extra = obj == WEFT_VRP_OBJ_VEHICLES_THEN_COST ? scale : 0;
    double big = 10 * scale * (obj == WEFT_VRP_OBJ_VEHICLES_THEN_COST ? s->nc + 2.0 : 1.0);
    for (int c = 0; c < s->nc; c++) {
        s->must[c] = !v->penalty || !isfinite(v->penalty[c]);
        s->penalty[c] = s->must[c] ? big : v->penalty[c];
        s->route_of[c] = -1;
        s->unserved[s->n_unserved++] = c;
    }
    for (int r = 0; r < s->nr; r++) rr_route_update(s, r);
    rr_recompute_cost(s);
    return WEFT_OK;
}

void rr_state_free(rr_state *s)
{
    weft_context *ctx = s->ctx;
    for (int r = 0; s->routes && r < s->nr; r++) {
        weft_free(ctx, s->routes[r].cust), weft_free(ctx, s->routes[r].pre);
        weft_free(ctx, s->routes[r].suf), weft_free(ctx, s->routes[r].load);
        weft_free(ctx, s->routes[r].pload);
    }
    void *p[] = {s->routes, s->type_first, s->empty_of_type, s->route_of, s->pos_of, s->unserved, s->saved_unserved, s->must, s->penalty,
                 s->neighbours, s->saved_slot, s->saved_mark, s->saved_len, s->saved_off, s->saved_pool, s->salts};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) weft_free(ctx, p[i]);
    memset(s, 0, sizeof *s);
}
