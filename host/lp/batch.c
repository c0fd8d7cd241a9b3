/* The blocked batch engine's driver (see batch_internal.h): the shared scaling and step size,
 * the iteration over the block, checks, and the slots' turnover. Per iteration three block
 * operations run whatever K is; the host only counts. */
#include <string.h>

#include "core/context_internal.h"
#include "lp/batch_internal.h"

/* One iteration of every active column. A column that reaches the iteration limit off the
 * check_every grid (a limit that is not a multiple of it) skips its Halpern update like a check
 * does, and is checked alone: problems enter only at regular checks, so all columns share that
 * grid and the other columns go on undisturbed. Returns whether any column is due such a check. */
static int step(lp_batch *b, int regular, int *st)
{
    weft_pdhg_block *B = &b->B;
    int64_t limit = b->o->lp.iteration_limit;
    int any_due = 0;
    for (int32_t k = 0; k < B->K; k++) {
        lp_slot *s = &b->slot[k];
        b->due[k] = 0;
        if (s->index < 0) continue;
        s->iter++;
        s->spmv += 2;
        b->due[k] = !regular && limit > 0 && s->iter == limit;
        any_due |= b->due[k];
    }
    *st = WEFT_OK;
    if (any_due) {
        double *hb = b->dots;
        for (int32_t k = 0; k < B->K; k++) hb[k] = b->due[k] ? -1 : b->base[k];
        *st = b->op->buf_write(b->be, B->base, 0, (size_t)B->K, hb);
    }
    double g = regular ? -1 : (double)b->g;
    if (!*st) *st = b->op->blk_primal(b->be, B);
    if (!*st) *st = b->op->blk_dual(b->be, B, g, b->gamma);
    if (!*st) *st = b->op->blk_adjoint(b->be, B, g, b->gamma);
    return any_due;
}

static int run(lp_batch *b)
{
    weft_pdhg_block *B = &b->B;
    int ce = b->o->lp.check_every;
    int st = lp_batch_refill(b, 1);
    /* K may be 0 with problems pending after an off-grid finish: they enter at the next check */
    while (!st && (B->K > 0 || b->next < b->src->count)) {
        b->g++;
        int regular = b->g % ce == 0;
        int irregular = step(b, regular, &st);
        if (st || !(regular || irregular)) continue;
        if (regular) memset(b->chk, 1, (size_t)B->K);
        else memcpy(b->chk, b->due, (size_t)B->K);
        st = lp_batch_check(b, b->chk, regular);
        if (!st) st = lp_batch_refill(b, regular);
    }
    return st;
}

/* With warm starts on, problem 0 is solved first on its own, through weft_lp_solve (one problem
 * runs faster in the single-problem kernels than as a block one column wide), so that the first
 * wave enters warm from it: on 50 neighbouring 24-period DC-OPFs of case118 a first wave of 8
 * cold problems was 30% of all iterations (bench/lp_batch). */
static int seed_solve(lp_batch *b, weft_lp_result *r)
{
    weft_lp_options lo = b->o->lp;
    lo.x0 = lo.y0 = NULL;
    int st = b->src->fill(b->src->user, 0, b->fill);
    if (!st) st = weft_lp_solve(b->ctx, b->fill, &lo, r);
    if (!st) b->next = 1;
    return st;
}

/* The seed's result: a warm start for the others, then on_done. */
static int seed_report(lp_batch *b, const weft_lp_result *r)
{
    if (r->outcome == WEFT_LP_OPTIMAL) lp_batch_warm_keep(b, 0, r);
    return b->o->on_done ? b->o->on_done(b->o->user, 0, r) : WEFT_OK;
}

int lp_batch_blocked(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    lp_batch b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.src = src;
    b.o = o;
    b.gamma = o->lp.reflection;
    int seeded = o->warm_start && src->count > 1;
    int32_t rest = src->count - seeded;
    int32_t ld = o->batch_size < rest ? o->batch_size : rest;
    if (src->count < 1) return WEFT_OK;
    weft_lp_result seed = {0};
    int st = lp_batch_matrix(ctx, src, &o->lp, &b.fill, &b.M);
    if (!st && seeded) st = seed_solve(&b, &seed);
    if (!st) st = weft_backend_open(ctx, weft_context_device(ctx), &b.be);
    if (st) goto cleanup;
    b.op = b.be->ops;
    if (!b.op->blk_primal) {
        st = weft_error(ctx, WEFT_ERR_UNSUPPORTED, "LP batch: the %s backend has no blocked PDHG", b.op->name);
        goto cleanup;
    }
    st = lp_batch_alloc(&b, ld);
    double norm = 0;
    int64_t spmv = 0;
    if (!st) st = lp_step_size(b.be, &b.B.A, &b.B.AT, &b.eta, &norm, &spmv);
    if (!st && seeded) st = seed_report(&b, &seed);
    if (!st) st = run(&b);
cleanup:
    weft_lp_result_free(ctx, &seed);
    lp_batch_free(&b);
    weft_backend_close(&b.be);
    lp_scaled_destroy(ctx, &b.M);
    weft_lp_problem_destroy(ctx, &b.fill);
    return st;
}
