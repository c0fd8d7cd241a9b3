/* CPU reference for the routing-move batch: host/route/segment.h's join, which kernels/vrp_moves.cl
 * repeats operation for operation, so that every backend gives the same bits. */
#include <math.h>
#include <string.h>

#include "backend/cpu_vrp.h"
#include "backend/cpu_vrp_dev.h"
#include "core/context_internal.h"
#include "route/segment.h"

int weft_cpu_vrp_open(weft_backend *be, int32_t k, const double *time, const double *dist, weft_vrp_dev **out)
{
    weft_context *ctx = be->ctx;
    size_t kk = (size_t)k * (size_t)k;
    weft_vrp_dev *d = weft_calloc(ctx, 1, sizeof *d);
    if (d) d->time = weft_malloc(ctx, (kk ? kk : 1) * sizeof(double)), d->dist = weft_malloc(ctx, (kk ? kk : 1) * sizeof(double));
    if (!d || !d->time || !d->dist) {
        weft_cpu_vrp_close(be, &d);
        return weft_error(ctx, WEFT_ERR_NOMEM, "routing moves: out of memory for %d x %d matrices", k, k);
    }
    d->k = k;
    memcpy(d->time, time, kk * sizeof(double));
    memcpy(d->dist, dist, kk * sizeof(double));
    *out = d;
    return WEFT_OK;
}

void weft_cpu_vrp_close(weft_backend *be, weft_vrp_dev **d)
{
    if (!d || !*d) return;
    weft_free(be->ctx, (*d)->time);
    weft_free(be->ctx, (*d)->dist);
    weft_free(be->ctx, *d);
    *d = NULL;
}

int weft_vrp_moves_check(weft_context *ctx, int32_t k, const weft_vrp_moves *m)
{
    for (int32_t p = 0; p < m->n_pos; p++)
        if (m->pre_last[p] < 0 || m->pre_last[p] >= k || m->suf_first[p] < 0 || m->suf_first[p] >= k ||
            m->pos_route[p] < 0 || m->pos_route[p] >= m->n_routes)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing moves: position %d has a location or route out of range", p);
    for (int32_t c = 0; c < m->n_cust; c++)
        if (m->c_loc[c] < 0 || m->c_loc[c] >= k)
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing moves: customer %d has location %d outside 0..%d", c, m->c_loc[c], k - 1);
    if (!m->move_start) return WEFT_OK;
    for (int32_t c = 0; c < m->n_cust; c++) {
        if (m->move_start[c + 1] < m->move_start[c])
            return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing moves: move_start decreases at customer %d", c);
        for (int32_t i = m->move_start[c]; i < m->move_start[c + 1]; i++)
            if (m->move_pos[i] >= m->n_pos)
                return weft_error(ctx, WEFT_ERR_INVALID_ARG, "routing moves: move %d names position %d of %d", i, m->move_pos[i], m->n_pos);
    }
    return WEFT_OK;
}

/* The cost change of customer c at position p, or +INFINITY when the move is infeasible; the
 * join is the routing search's own (segment.h), so this reference is its arithmetic exactly. */
static double move_delta(const weft_vrp_dev *d, const weft_vrp_moves *m, int32_t c, int32_t p)
{
    int32_t r = m->pos_route[p], D = m->dims;
    for (int32_t j = 0; j < D; j++)
        if (m->r_load[(size_t)r * D + j] + m->c_dem[(size_t)c * D + j] > m->r_cap[(size_t)r * D + j] + RR_EPS)
            return INFINITY;
    rr_seg pre = {m->pre_dur[p], m->pre_warp[p], m->pre_early[p], m->pre_late[p], m->pre_dist[p], 0, m->pre_last[p]};
    rr_seg suf = {m->suf_dur[p], m->suf_warp[p], m->suf_early[p], m->suf_late[p], m->suf_dist[p], m->suf_first[p], 0};
    rr_seg cs = {m->c_dur[c], 0, m->c_early[c], m->c_late[c], 0, m->c_loc[c], m->c_loc[c]};
    rr_seg w = rr_seg_join(rr_seg_join(pre, cs, d->time, d->dist, d->k), suf, d->time, d->dist, d->k);
    if (!rr_seg_ok(&w, m->r_maxdur[r])) return INFINITY;
    return m->r_fixed[r] + m->r_km[r] * w.dist + m->r_hour[r] * w.dur + m->extra - m->r_cost[r];
}

int weft_cpu_vrp_best_insertions(weft_backend *be, weft_vrp_dev *d, const weft_vrp_moves *m, int32_t *best,
                                 double *delta)
{
    int st = weft_vrp_moves_check(be->ctx, d->k, m);
    if (st) return st;
    for (int32_t c = 0; c < m->n_cust; c++) {
        int32_t lo = m->move_start ? m->move_start[c] : 0, hi = m->move_start ? m->move_start[c + 1] : m->n_pos;
        int32_t b = -1;
        double bd = INFINITY;
        for (int32_t i = lo; i < hi; i++) {
            int32_t p = m->move_start ? m->move_pos[i] : i;
            if (p < 0) continue;
            double x = move_delta(d, m, c, p);
            if (x < bd) bd = x, b = i - lo;
        }
        best[c] = b, delta[c] = bd;
    }
    return WEFT_OK;
}
