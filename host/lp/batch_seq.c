/* weft_lp_solve_batch one problem at a time: the reference the blocked engine is measured against
 * (bench/batch) and the path for batch_size 1. Each problem is a full weft_lp_solve, warm-started
 * from the previous problem's solution when asked. */
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

int lp_batch_problem_create(weft_context *ctx, const weft_lp_problem *shared, weft_lp_problem **out)
{
    return weft_lp_problem_create_like(ctx, shared, out);
}

int lp_batch_sequential(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    weft_lp_problem *p = NULL;
    weft_lp_result prev = {0}, r = {0};
    int have_prev = 0;
    int st = lp_batch_problem_create(ctx, src->shared, &p);
    for (int32_t i = 0; !st && i < src->count; i++) {
        st = src->fill(src->user, i, p);
        if (st) break;
        weft_lp_options lo = o->lp;
        lo.x0 = o->warm_start && have_prev ? prev.x : NULL;
        lo.y0 = o->warm_start && have_prev ? prev.y : NULL;
        lo.primal_weight = o->warm_start && have_prev ? prev.primal_weight : 0;
        st = weft_lp_solve(ctx, p, &lo, &r);
        if (st) break;
        if (o->on_done) st = o->on_done(o->user, i, &r);
        weft_lp_result_free(ctx, &prev);
        prev = r;
        memset(&r, 0, sizeof r);
        have_prev = prev.outcome == WEFT_LP_OPTIMAL;
    }
    weft_lp_result_free(ctx, &prev);
    weft_lp_problem_destroy(ctx, &p);
    return st;
}

static int check_source(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    if (!src || !src->shared || !src->fill || src->count < 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch: no source, shared problem or fill function");
    if (o->engine < WEFT_LP_BATCH_AUTO || o->engine > WEFT_LP_BATCH_PARALLEL)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch engine %d unknown", (int)o->engine);
    if (o->batch_size < 1) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP batch size %d < 1", o->batch_size);
    return WEFT_OK;
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
    if (o.batch_size == 1) return lp_batch_sequential(ctx, src, &o);
    int engine = o.engine;
    if (engine == WEFT_LP_BATCH_AUTO && (st = lp_batch_on_cpu(ctx, &engine))) return st;
    return engine == WEFT_LP_BATCH_PARALLEL ? lp_batch_parallel(ctx, src, &o) : lp_batch_blocked(ctx, src, &o);
}
