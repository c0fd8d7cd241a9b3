/* CPU reference for the local-search neighbourhood (backend.h, vrp_ls_best): every move of every
 * item from the prefix/suffix summaries with host/route/segment.h's join, which kernels/vrp_ls.cl
 * repeats operation for operation, so both backends give the same bits. The cost change of a move
 * is (new cost of u's route + new cost of v's route - u's route's cost) - v's route's cost, the
 * order host/route/localsearch.c sums them in. */
#include <math.h>

#include "backend/cpu_vrp.h"
#include "backend/cpu_vrp_dev.h"
#include "core/context_internal.h"
#include "route/segment.h"

typedef struct ls_view {
    const weft_vrp_ls *m;
    const double *time, *dist;
    int32_t k;
} ls_view;

static rr_seg join(const ls_view *V, rr_seg a, rr_seg b) { return rr_seg_join(a, b, V->time, V->dist, V->k); }

/* Summary of route r's positions 0..i (pre) or i..len+1 (suf). */
static rr_seg pre_at(const weft_vrp_ls *m, int32_t r, int32_t i)
{
    int32_t p = m->r_first[r] + i;
    rr_seg g = {m->pre_dur[p], m->pre_warp[p], m->pre_early[p], m->pre_late[p], m->pre_dist[p], m->p_loc[p], m->p_loc[p]};
    return g;
}

static rr_seg suf_at(const weft_vrp_ls *m, int32_t r, int32_t i)
{
    int32_t p = m->r_first[r] + i;
    rr_seg g = {m->suf_dur[p], m->suf_warp[p], m->suf_early[p], m->suf_late[p], m->suf_dist[p], m->p_loc[p], m->p_loc[p]};
    return g;
}

static rr_seg cust_seg(const weft_vrp_ls *m, int32_t c)
{
    rr_seg g = {m->c_dur[c], 0, m->c_early[c], m->c_late[c], 0, m->c_loc[c], m->c_loc[c]};
    return g;
}

/* Positions i..j (1 <= i <= j <= len) of route r, joined one by one. */
static rr_seg range_seg(const ls_view *V, int32_t r, int32_t i, int32_t j)
{
    const weft_vrp_ls *m = V->m;
    int32_t f = m->r_first[r];
    rr_seg g = cust_seg(m, m->p_cust[f + i]);
    for (int32_t p = i + 1; p <= j; p++) g = join(V, g, cust_seg(m, m->p_cust[f + p]));
    return g;
}

/* The same stretch in reverse order (j down to i). */
static rr_seg reversed_seg(const ls_view *V, int32_t r, int32_t i, int32_t j)
{
    const weft_vrp_ls *m = V->m;
    int32_t f = m->r_first[r];
    rr_seg g = cust_seg(m, m->p_cust[f + j]);
    for (int32_t p = j - 1; p >= i; p--) g = join(V, g, cust_seg(m, m->p_cust[f + p]));
    return g;
}

/* Route r's cost with summary w over n customers; INFINITY if infeasible. */
static double seq_cost(const weft_vrp_ls *m, int32_t r, const rr_seg *w, int32_t n)
{
    if (n == 0) return 0;
    if (!rr_seg_ok(w, m->r_maxdur[r])) return INFINITY;
    return m->r_fixed[r] + m->r_km[r] * w->dist + m->r_hour[r] * w->dur + m->extra;
}

static double load_at(const weft_vrp_ls *m, int32_t r, int32_t i, int32_t d)
{
    return m->p_load[(size_t)(m->r_first[r] + i) * m->dims + d];
}

static int over_cap(const weft_vrp_ls *m, int32_t r, int32_t d, double load)
{
    return load > m->r_cap[(size_t)r * m->dims + d] + RR_EPS;
}

static double pair_delta(const weft_vrp_ls *m, int32_t ra, double ca, int32_t rb, double cb)
{
    return ca + cb - m->r_cost[ra] - m->r_cost[rb];
}

/* The chain at positions pu..pu+len-1 of ra moved after position pv (0..len) of rb. */
static double chain_inter(const ls_view *V, int32_t ra, int32_t pu, int32_t len, int32_t rb, int32_t pv)
{
    const weft_vrp_ls *m = V->m;
    int32_t pe = pu + len - 1;
    if (pe > m->r_len[ra]) return INFINITY;
    for (int32_t d = 0; d < m->dims; d++)
        if (over_cap(m, rb, d, load_at(m, ra, pe, d) - load_at(m, ra, pu - 1, d) + load_at(m, rb, m->r_len[rb], d)))
            return INFINITY;
    rr_seg na = join(V, pre_at(m, ra, pu - 1), suf_at(m, ra, pe + 1));
    rr_seg nb = join(V, join(V, pre_at(m, rb, pv), range_seg(V, ra, pu, pe)), suf_at(m, rb, pv + 1));
    return pair_delta(m, ra, seq_cost(m, ra, &na, m->r_len[ra] - len), rb, seq_cost(m, rb, &nb, m->r_len[rb] + len));
}

static double swap_inter(const ls_view *V, int32_t ra, int32_t pu, int32_t rb, int32_t pv)
{
    const weft_vrp_ls *m = V->m;
    int32_t u = m->p_cust[m->r_first[ra] + pu], v = m->p_cust[m->r_first[rb] + pv];
    for (int32_t d = 0; d < m->dims; d++) {
        double du = m->c_dem[(size_t)u * m->dims + d], dv = m->c_dem[(size_t)v * m->dims + d];
        if (over_cap(m, ra, d, load_at(m, ra, m->r_len[ra], d) - du + dv) ||
            over_cap(m, rb, d, load_at(m, rb, m->r_len[rb], d) - dv + du))
            return INFINITY;
    }
    rr_seg na = join(V, join(V, pre_at(m, ra, pu - 1), cust_seg(m, v)), suf_at(m, ra, pu + 1));
    rr_seg nb = join(V, join(V, pre_at(m, rb, pv - 1), cust_seg(m, u)), suf_at(m, rb, pv + 1));
    return pair_delta(m, ra, seq_cost(m, ra, &na, m->r_len[ra]), rb, seq_cost(m, rb, &nb, m->r_len[rb]));
}

/* 2-opt*: ra keeps 0..pa and takes rb's pb+1..; rb keeps 0..pb and takes ra's pa+1... Only
 * between routes that end at the same depot with the same window. */
static double opt_star(const ls_view *V, int32_t ra, int32_t pa, int32_t rb, int32_t pb)
{
    const weft_vrp_ls *m = V->m;
    int32_t la = m->r_len[ra], lb = m->r_len[rb];
    rr_seg ea = suf_at(m, ra, la + 1), eb = suf_at(m, rb, lb + 1);
    if (ea.first != eb.first || ea.early != eb.early || ea.late != eb.late) return INFINITY;
    for (int32_t d = 0; d < m->dims; d++) {
        double a1 = load_at(m, ra, pa, d), b1 = load_at(m, rb, pb, d);
        if (over_cap(m, ra, d, a1 + load_at(m, rb, lb, d) - b1) || over_cap(m, rb, d, b1 + load_at(m, ra, la, d) - a1))
            return INFINITY;
    }
    rr_seg na = join(V, pre_at(m, ra, pa), suf_at(m, rb, pb + 1));
    rr_seg nb = join(V, pre_at(m, rb, pb), suf_at(m, ra, pa + 1));
    return pair_delta(m, ra, seq_cost(m, ra, &na, pa + lb - pb), rb, seq_cost(m, rb, &nb, pb + la - pa));
}

/* Inside route r: the chain at pu..pu+len-1 moved after position pv (outside pu-1..pu+len-1). */
static double chain_intra(const ls_view *V, int32_t r, int32_t pu, int32_t len, int32_t pv)
{
    const weft_vrp_ls *m = V->m;
    int32_t pe = pu + len - 1;
    if (pe > m->r_len[r] || (pv >= pu - 1 && pv <= pe)) return INFINITY;
    rr_seg chain = range_seg(V, r, pu, pe), w;
    if (pv < pu) w = join(V, join(V, join(V, pre_at(m, r, pv), chain), range_seg(V, r, pv + 1, pu - 1)), suf_at(m, r, pe + 1));
    else w = join(V, join(V, join(V, pre_at(m, r, pu - 1), range_seg(V, r, pe + 1, pv)), chain), suf_at(m, r, pv + 1));
    return seq_cost(m, r, &w, m->r_len[r]) - m->r_cost[r];
}

/* Inside route r: positions i..j reversed (2-opt). */
static double reverse_intra(const ls_view *V, int32_t r, int32_t i, int32_t j)
{
    const weft_vrp_ls *m = V->m;
    rr_seg w = join(V, join(V, pre_at(m, r, i - 1), reversed_seg(V, r, i, j)), suf_at(m, r, j + 1));
    return seq_cost(m, r, &w, m->r_len[r]) - m->r_cost[r];
}

/* Move mv of an item (solution s, customer u at pu of ru); +INFINITY when infeasible or void. */
static double move_delta(const ls_view *V, int32_t s, int32_t ru, int32_t pu, int32_t u, int32_t mv)
{
    const weft_vrp_ls *m = V->m;
    int32_t t = mv % WEFT_LS_TYPES, v = m->neigh[(size_t)u * m->neigh_stride + mv / WEFT_LS_TYPES];
    size_t iv = (size_t)s * m->n_cust + v;
    int32_t rv = m->c_route[iv], pv = m->c_pos[iv];
    if (rv < 0) return INFINITY;
    int32_t len = 1 + t / 2, after = t % 2 == 0;
    if (ru != rv) {
        if (t < WEFT_LS_SWAP) return chain_inter(V, ru, pu, len, rv, after ? pv : pv - 1);
        if (t == WEFT_LS_SWAP) return swap_inter(V, ru, pu, rv, pv);
        if (t == WEFT_LS_OPT_UV) return opt_star(V, ru, pu, rv, pv - 1);
        return opt_star(V, ru, pu - 1, rv, pv);
    }
    if (t < WEFT_LS_SWAP) return chain_intra(V, ru, pu, len, after ? pv : pv - 1);
    if (t == WEFT_LS_OPT_UV) return pu < pv ? reverse_intra(V, ru, pu + 1, pv) : reverse_intra(V, ru, pv + 1, pu);
    return INFINITY;
}

int weft_vrp_ls_check(weft_context *ctx, int32_t k, const weft_vrp_ls *m)
{
    if (m->n_granular < 0 || m->n_granular > m->neigh_stride || m->dims < 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: n_granular %d outside 0..neigh_stride %d", m->n_granular, m->neigh_stride);
    for (int32_t r = 0; r < m->n_routes; r++)
        if (m->r_first[r] < 0 || m->r_len[r] < 0 || (int64_t)m->r_first[r] + m->r_len[r] + 2 > m->n_pos)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: route %d's positions leave 0..%d", r, m->n_pos - 1);
    for (int32_t p = 0; p < m->n_pos; p++)
        if (m->p_loc[p] < 0 || m->p_loc[p] >= k || m->p_cust[p] < -1 || m->p_cust[p] >= m->n_cust)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: position %d has a location or customer out of range", p);
    for (int32_t c = 0; c < m->n_cust; c++) {
        if (m->c_loc[c] < 0 || m->c_loc[c] >= k)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: customer %d has location %d outside 0..%d", c, m->c_loc[c], k - 1);
        for (int32_t j = 0; j < m->n_granular; j++)
            if (m->neigh[(size_t)c * m->neigh_stride + j] < 0 || m->neigh[(size_t)c * m->neigh_stride + j] >= m->n_cust)
                return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: neighbour %d of customer %d out of range", j, c);
    }
    for (int64_t i = 0; i < (int64_t)m->n_sol * m->n_cust; i++) {
        int32_t r = m->c_route[i];
        if (r >= m->n_routes || (r >= 0 && (m->c_pos[i] < 1 || m->c_pos[i] > m->r_len[r])))
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: c_route/c_pos of entry %lld out of range", (long long)i);
    }
    for (int32_t i = 0; i < m->n_items; i++)
        if (m->items[i] < 0 || (int64_t)m->items[i] >= (int64_t)m->n_sol * m->n_cust)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "local search: item %d names entry %d of %d", i, m->items[i], m->n_sol * m->n_cust);
    return WEFT_OK;
}

int weft_cpu_vrp_ls_best(weft_backend *be, weft_vrp_dev *d, const weft_vrp_ls *m, int32_t *best, double *delta)
{
    int st = weft_vrp_ls_check(be->ctx, d->k, m);
    if (st) return st;
    ls_view V = {m, d->time, d->dist, d->k};
    int32_t n_moves = m->n_granular * WEFT_LS_TYPES;
    /* items are independent: threads change nothing in the answer */
#pragma omp parallel for schedule(dynamic, 16) if (m->n_items >= 64)
    for (int32_t i = 0; i < m->n_items; i++) {
        int32_t it = m->items[i], s = it / m->n_cust, u = it % m->n_cust, ru = m->c_route[it], b = -1;
        double bd = INFINITY;
        for (int32_t mv = 0; ru >= 0 && mv < n_moves; mv++) {
            double x = move_delta(&V, s, ru, m->c_pos[it], u, mv);
            if (x < bd) bd = x, b = mv;
        }
        best[i] = b, delta[i] = bd;
    }
    return WEFT_OK;
}
