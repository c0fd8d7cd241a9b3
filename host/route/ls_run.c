/* The batched local search: each round evaluates every customer's granular neighbourhood of every
 * state in one launch (rr_ls_evaluate), then applies, per state, the improving moves in order of
 * their gain as long as each touches only routes no earlier move of the round changed (a move's
 * cost change depends on its own routes only, so it still holds), and repeats until no move
 * improves; the host's fleet moves close it as in localsearch.c. */
#include <stdlib.h>

#include "core/context_internal.h"
#include "route/ls_device.h"
#include "route/rr_ops.h"

typedef struct ls_cand { double delta; int u; } ls_cand;

/* By gain, then customer: the order is fixed whatever qsort does with equals. */
static int by_gain(const void *a, const void *b)
{
    const ls_cand *x = a, *y = b;
    if (x->delta != y->delta) return x->delta < y->delta ? -1 : 1;
    return x->u - y->u;
}

typedef struct ls_scratch {
    int32_t *best;
    double *delta;
    ls_cand *cand;
    int *buf_a, *buf_b, *mark;
} ls_scratch;

/* The round's moves on one state; returns how many were applied (at most budget). */
static long apply_round(rr_state *s, const int32_t *best, const double *delta, ls_scratch *w, long budget)
{
    int n = 0;
    for (int u = 0; u < s->nc; u++)
        if (best[u] >= 0 && delta[u] < -rr_ls_min_gain(s)) w->cand[n].delta = delta[u], w->cand[n++].u = u;
    if (!n) return 0;
    qsort(w->cand, (size_t)n, sizeof *w->cand, by_gain);
    for (int r = 0; r < s->nr; r++) w->mark[r] = 0;
    long applied = 0;
    for (int i = 0; i < n && applied < budget && !s->nomem; i++) {
        int u = w->cand[i].u, mv = best[u], ra, rb;
        int v = s->neighbours[(size_t)u * s->n_neigh + mv / WEFT_LS_TYPES];
        if (w->mark[s->route_of[u]] || w->mark[s->route_of[v]]) continue;
        rr_ls_apply(s, u, mv, w->buf_a, w->buf_b, &ra, &rb);
        w->mark[ra] = 1;
        if (rb >= 0) w->mark[rb] = 1;
        applied++;
    }
    return applied;
}

static void scratch_free(weft_context *ctx, ls_scratch *w)
{
    weft_free(ctx, w->best), weft_free(ctx, w->delta), weft_free(ctx, w->cand);
    weft_free(ctx, w->buf_a), weft_free(ctx, w->buf_b), weft_free(ctx, w->mark);
}

static int scratch_alloc(weft_context *ctx, const rr_state *s, int S, ls_scratch *w)
{
    size_t n = (size_t)S * s->nc + 1, nc = (size_t)s->nc + 1;
    w->best = weft_malloc(ctx, n * sizeof *w->best), w->delta = weft_malloc(ctx, n * sizeof *w->delta);
    w->cand = weft_malloc(ctx, nc * sizeof *w->cand);
    w->buf_a = weft_malloc(ctx, nc * sizeof(int)), w->buf_b = weft_malloc(ctx, nc * sizeof(int));
    w->mark = weft_calloc(ctx, (size_t)s->nr + 1, sizeof(int));
    if (w->best && w->delta && w->cand && w->buf_a && w->buf_b && w->mark) return WEFT_OK;
    scratch_free(ctx, w);
    return weft_error(ctx, WEFT_ERR_NOMEM, "routing: out of memory for the local search");
}

/* The fleet moves of every state; how many states made one. */
static long fleet_round(rr_state *const *states, int S, ls_scratch *w)
{
    long made = 0;
    for (int i = 0; i < S; i++) made += rr_ls_fleet_moves(states[i], w->buf_a, w->buf_b);
    return made;
}

long rr_ls_run(rr_ls_dev *L, rr_state *const *states, int S, long max_moves, int touched_only)
{
    rr_state *s0 = states[0];
    if (S < 1 || s0->nc < 2 || s0->D > 64) return 0;
    ls_scratch w = {0};
    if (scratch_alloc(s0->ctx, s0, S, &w)) {
        for (int i = 0; i < S; i++) states[i]->nomem = 1;
        return -1;
    }
    long moves = 0;
    while (moves < max_moves && rr_now() <= s0->deadline) {
        if (rr_ls_evaluate(L, states, S, touched_only, w.best, w.delta)) {
            for (int i = 0; i < S; i++) states[i]->nomem = 1; /* rr_ls_status says why */
            moves = -1;
            break;
        }
        long applied = 0;
        for (int i = 0; i < S; i++)
            applied += apply_round(states[i], w.best + (size_t)i * s0->nc, w.delta + (size_t)i * s0->nc, &w, max_moves - moves - applied);
        if (!applied) applied = fleet_round(states, S, &w);
        if (!applied) break;
        moves += applied;
    }
    scratch_free(s0->ctx, &w);
    return moves;
}
