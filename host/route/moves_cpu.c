/* CPU evaluation of insertions: every slot, every position, each checked in O(1) with the prefix and
 * suffix summaries. Empty slots of one type are interchangeable, so only the first is tried. */
#include <math.h>

#include "route/rr_state.h"

static int cpu_best_insertion(rr_state *s, int c, double blink, int *route, int *pos, double *delta)
{
    const weft_vrp *v = s->v;
    const double *dist = v->dist, *time = v->time;
    int k = s->k, loc = v->n_depots + c, last_empty_type = -1, found = -1;
    double best = INFINITY;
    rr_seg cs = rr_seg_customer(s, c);
    for (int r = 0; r < s->nr; r++) {
        rr_route *rt = &s->routes[r];
        if (rt->len == 0) {
            if (rt->type == last_empty_type) continue;
            last_empty_type = rt->type;
        }
        if (!rr_fits_load(s, r, c)) continue;
        int t = rt->type;
        double cpk = v->cost_per_km[t], maxd = v->max_duration[t];
        /* without a time cost, the distance change bounds the cost change from below */
        int prune = v->cost_per_hour[t] == 0;
        double fixed = rt->len ? 0 : v->fixed_cost[t] + s->route_extra;
        for (int p = 1; p <= rt->len + 1; p++) {
            int a = rt->pre[p - 1].last, b = rt->suf[p].first;
            double dd = dist[(long)a * k + loc] + dist[(long)loc * k + b] - dist[(long)a * k + b];
            if (prune && fixed + cpk * dd >= best) continue;
            if (blink > 0 && rr_uniform(s) < blink) continue;
            rr_seg w = rr_seg_join(rr_seg_join(rt->pre[p - 1], cs, time, dist, k), rt->suf[p], time, dist, k);
            if (!rr_seg_ok(&w, maxd)) continue;
            double d = rr_route_cost(s, t, &w) - rt->cost;
            if (d < best) best = d, found = r, *pos = p;
        }
    }
    if (found < 0) return -1;
    *route = found;
    *delta = best;
    return 0;
}

const rr_eval_ops rr_eval_cpu = {"cpu", cpu_best_insertion};
