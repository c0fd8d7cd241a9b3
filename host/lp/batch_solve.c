/* weft_lp_solve_batch: its options, the source's checks, the visiting order of warm-started
 * batches (batch_order.c), and the choice of engine (one by one, PARALLEL single solves in
 * batch_par.c, BLOCKED in batch.c). */
#include <string.h>

#include "core/context_internal.h"
#include "lp/batch_internal.h"

void weft_lp_batch_options_default(weft_lp_batch_options *o)
{
    memset(o, 0, sizeof *o);
    weft_lp_options_default(&o->lp);
    o->batch_size = 32;
    o->warm_start = 1;
}

static int check_source(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    if (!src || !src->shared || !src->fill || src->count < 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch: no source, shared problem or fill function");
    if (o->engine < WEFT_LP_BATCH_AUTO || o->engine > WEFT_LP_BATCH_PARALLEL)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch engine %d unknown", (int)o->engine);
    if (o->batch_size < 1) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch size %d < 1", o->batch_size);
    return lp_check_options(ctx, &o->lp);
}

int lp_batch_matrix(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_options *o,
                    weft_lp_problem **fill, lp_scaled **M)
{
    *M = NULL;
    /* the fill target starts with A and valid default vectors: validating it checks A */
    int st = weft_lp_problem_create_like(ctx, src->shared, fill);
    if (!st) st = weft_lp_problem_validate(ctx, *fill);
    if (!st) st = lp_scaled_matrix(ctx, *fill, o, M);
    return st;
}

/* The source seen through a visiting order: the engines solve problem k of the tour, and fill and
 * on_done get the source's own index. */
typedef struct ordered {
    const weft_lp_batch_source *src;
    int (*on_done)(void *user, int32_t index, const weft_lp_result *r);
    void *user;
    const int32_t *order;
} ordered;

static int ordered_fill(void *user, int32_t k, weft_lp_problem *p)
{
    const ordered *t = user;
    return t->src->fill(t->src->user, t->order[k], p);
}

static int ordered_done(void *user, int32_t k, const weft_lp_result *r)
{
    const ordered *t = user;
    return t->on_done ? t->on_done(t->user, t->order[k], r) : WEFT_OK;
}

static int run_engine(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    if (o->batch_size == 1) return lp_batch_sequential(ctx, src, o);
    int engine = o->engine, st;
    if (engine == WEFT_LP_BATCH_AUTO && (st = lp_batch_on_cpu(ctx, &engine))) return st;
    return engine == WEFT_LP_BATCH_PARALLEL ? lp_batch_parallel(ctx, src, o) : lp_batch_blocked(ctx, src, o);
}

weft_status weft_lp_solve_batch(weft_context *ctx, const weft_lp_batch_source *src,
                                const weft_lp_batch_options *opt)
{
    if (!ctx) return WEFT_ERR_INVALID_ARG;
    weft_lp_batch_options o;
    if (opt) o = *opt;
    else weft_lp_batch_options_default(&o);
    int st = check_source(ctx, src, &o);
    if (st) return st;
    if (!o.warm_start) return run_engine(ctx, src, &o);
    int32_t *order = NULL;
    if ((st = lp_batch_order_create(ctx, src, &order))) return st;
    ordered t = {src, o.on_done, o.user, order};
    weft_lp_batch_source tsrc = {src->count, src->shared, ordered_fill, &t};
    o.on_done = ordered_done;
    o.user = &t;
    st = run_engine(ctx, &tsrc, &o);
    weft_free(ctx, order);
    return st;
}
