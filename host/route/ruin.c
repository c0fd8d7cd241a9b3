/* Ruin and recreate in the SISR manner (Christiaens & Vanden Berghe 2020): remove strings of
 * consecutive customers from routes near a random seed customer, then reinsert every unserved
 * customer at its cheapest feasible place in a random-ish order, skipping each place with a small
 * probability ("blinks") so that the same greedy choices are not always repeated. */
#include <math.h>
#include <string.h>

#include "route/rr_ops.h"

#define MAX_STRING 10    /* L_max */
#define AVG_REMOVED 10.0 /* c-bar */
#define BLINK 0.01

/* Removes positions [from, to] (1-based, inclusive) except the kept run [keep_from, keep_to]. */
static void remove_span(rr_state *s, int r, int from, int to, int keep_from, int keep_to)
{
    rr_route *rt = &s->routes[r];
    rr_touch(s, r);
    int w = 0;
    for (int p = 1; p <= rt->len; p++) {
        int c = rt->cust[p - 1];
        if (p < from || p > to || (p >= keep_from && p <= keep_to)) {
            rt->cust[w++] = c;
        } else {
            s->route_of[c] = -1;
            s->unserved[s->n_unserved++] = c;
            s->cost += s->penalty[c];
        }
    }
    rt->len = w;
    rr_route_update(s, r);
}

static int rand_int(rr_state *s, int n) { return (int)(rr_uniform(s) * n); }

static void ruin_route(rr_state *s, int r, int c, int l)
{
    int len = s->routes[r].len, p = s->pos_of[c];
    if (l >= len || rr_uniform(s) < 0.5) { /* a plain string containing c */
        if (l > len) l = len;
        int lo = p - l + 1 > 1 ? p - l + 1 : 1, hi = p < len - l + 1 ? p : len - l + 1;
        int start = lo + rand_int(s, hi - lo + 1);
        remove_span(s, r, start, start + l - 1, 0, -1);
        return;
    }
    /* a split string: l removed around a kept run of m */
    int m = 1;
    while (l + m < len && rr_uniform(s) < 0.5) m++;
    int span = l + m;
    int lo = p - span + 1 > 1 ? p - span + 1 : 1, hi = p < len - span + 1 ? p : len - span + 1;
    int start = lo + rand_int(s, hi - lo + 1);
    int keep = start + rand_int(s, l + 1);
    remove_span(s, r, start, start + span - 1, keep, keep + m - 1);
}

void rr_ruin(rr_state *s, int *stamp, int stamp_value)
{
    int used = 0, routed = 0;
    for (int r = 0; r < s->nr; r++) used += s->routes[r].len > 0, routed += s->routes[r].len;
    if (!used) return;
    double avg = (double)routed / used;
    double ls_max = fmin(MAX_STRING, avg);
    double ks_max = 4 * AVG_REMOVED / (1 + ls_max) - 1;
    int ks = (int)(rr_uniform(s) * ks_max) + 1, ruined = 0;
    int seed = rand_int(s, s->nc);
    for (int tries = 0; s->route_of[seed] < 0 && tries < 8; tries++) seed = rand_int(s, s->nc);
    for (int i = -1; i < s->n_neigh && ruined < ks; i++) {
        int c = i < 0 ? seed : s->neighbours[(size_t)seed * s->n_neigh + i];
        int r = s->route_of[c];
        if (r < 0 || stamp[r] == stamp_value) continue;
        stamp[r] = stamp_value;
        int lmax = (int)fmin(s->routes[r].len, ls_max);
        int l = rand_int(s, lmax > 0 ? lmax : 1) + 1;
        ruin_route(s, r, c, l);
        ruined++;
    }
}

/* Orders for reinsertion (weights as in SISR): random 4, largest demand 4, far from depot 2, close 1. */
static void sort_unserved(rr_state *s, int *list, int n, double *key)
{
    double u = rr_uniform(s) * 11;
    const weft_vrp *v = s->v;
    for (int i = 0; i < n; i++) {
        int c = list[i];
        if (u < 4) key[i] = rr_uniform(s);
        else if (u < 8) key[i] = -v->demand[(size_t)c * s->D] - 1e-9 * rr_uniform(s);
        else {
            double d = v->dist[(size_t)(v->n_depots + c) * s->k + v->type_depot[0]];
            key[i] = (u < 10 ? -d : d) + 1e-9 * rr_uniform(s);
        }
    }
    for (int i = 1; i < n; i++) { /* insertion sort: lists are short */
        int c = list[i];
        double kk = key[i];
        int j = i - 1;
        while (j >= 0 && key[j] > kk) key[j + 1] = key[j], list[j + 1] = list[j], j--;
        key[j + 1] = kk, list[j + 1] = c;
    }
}

void rr_recreate(rr_state *s, int *list, double *key, int use_blink)
{
    int n = s->n_unserved;
    memcpy(list, s->unserved, (size_t)n * sizeof *list);
    if (n > 64) { /* a full construction: random order, no sort cost */
        for (int i = n - 1; i > 0; i--) {
            int j = rand_int(s, i + 1), t = list[i];
            list[i] = list[j], list[j] = t;
        }
    } else {
        sort_unserved(s, list, n, key);
    }
    /* mostly SISR's 1% blinks; now and then many, so that non-greedy placements get tried */
    double blink = use_blink ? (rr_uniform(s) < 0.9 ? BLINK : 0.3) : 0;
    for (int i = 0; i < n; i++) s->salts[i] = blink > 0 ? rr_rand(s) : 0;
    if (s->ops->prepare) s->ops->prepare(s, list, n, s->salts, blink);
    for (int i = 0; i < n; i++) {
        int r, p;
        double d;
        if ((i & 15) == 15 && rr_now() > s->deadline) break; /* out of time: the rest stay unserved */
        /* an optional customer may enter above its penalty: others may join it cheaply later */
        double limit = s->must[list[i]] ? INFINITY : s->penalty[list[i]] * (use_blink ? 1 + rr_uniform(s) : 1);
        if (s->ops->best_insertion(s, list[i], blink, s->salts[i], &r, &p, &d) == 0 && d < limit)
            rr_insert(s, list[i], r, p);
    }
    if (s->ops->prepare) s->ops->prepare(s, NULL, 0, NULL, 0);
}

void rr_restart(rr_state *s, int *list, double *key)
{
    for (int r = 0; r < s->nr; r++)
        if (s->routes[r].len) remove_span(s, r, 1, s->routes[r].len, 0, -1);
    int n = s->n_unserved;
    memcpy(list, s->unserved, (size_t)n * sizeof *list);
    for (int i = n - 1; i > 0; i--) {
        int j = rand_int(s, i + 1), t = list[i];
        list[i] = list[j], list[j] = t;
    }
    for (int i = 0; i < n; i++) {
        int r, p;
        double d;
        if ((i & 15) == 15 && rr_now() > s->deadline) break;
        if (s->ops->best_insertion(s, list[i], 0.5, rr_rand(s), &r, &p, &d) == 0 && (s->must[list[i]] || d < s->penalty[list[i]]))
            rr_insert(s, list[i], r, p);
    }
    (void)key;
}

void rr_ruin_route(rr_state *s)
{
    /* a random used route, the shorter the likelier: two draws, keep the shorter */
    int pick[2] = {-1, -1};
    for (int k = 0; k < 2; k++)
        for (int tries = 0; tries < 32 && pick[k] < 0; tries++) {
            int r = rand_int(s, s->nr);
            if (s->routes[r].len) pick[k] = r;
        }
    int r = pick[0];
    if (r < 0 || (pick[1] >= 0 && s->routes[pick[1]].len < s->routes[r].len)) r = pick[1];
    if (r >= 0) remove_span(s, r, 1, s->routes[r].len, 0, -1);
}
