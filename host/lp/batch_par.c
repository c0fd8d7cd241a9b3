/* Batches as single solves: one after another on the caller's thread (batch_size 1, or one
 * thread), or the PARALLEL engine, W at once, one per OpenMP thread, each on its own context (the
 * library's contexts are not shared between threads) and single-threaded inside. Solvers take
 * runs of consecutive problems from a shared cursor and warm-start each problem from the one they
 * solved before it, so neighbouring scenarios still hand their solutions on.
 * Why not the blocked engine on a CPU: a DC-OPF has about 1.5 nonzeros per row, so a block
 * product saves little of an iteration's traffic (about 26 vectors per row), while K columns
 * take the working set out of cache; per problem-iteration a block cost 1.2-4x a single solve
 * (bench/README.md, batch). */
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "core/context_internal.h"
#include "lp/lp_internal.h"

typedef struct par_batch {
    weft_context *ctx; /* the caller's: errors end up here */
    const weft_lp_batch_source *src;
    const weft_lp_batch_options *o;
    int32_t next, run; /* the cursor and the length of a run */
    int status;        /* the first error */
} par_batch;

int lp_batch_on_cpu(weft_context *ctx, int *engine)
{
    weft_backend *be = NULL;
    int st = weft_backend_open(ctx, weft_context_device(ctx), &be);
    if (st) return st;
    *engine = strcmp(be->ops->name, "cpu") ? WEFT_LP_BATCH_BLOCKED : WEFT_LP_BATCH_PARALLEL;
    weft_backend_close(&be);
    return WEFT_OK;
}

/* A worker's context: the caller's allocator, logging and device, one thread, no error yet. */
static int worker_context(weft_context *parent, weft_context **out)
{
    int st = weft_context_create(out, &parent->alloc);
    if (st) return weft_error(parent, st, "LP batch: cannot create a worker context");
    weft_context *c = *out;
    c->log_level = parent->log_level;
    c->log_fn = parent->log_fn;
    c->log_user = parent->log_user;
    snprintf(c->device, sizeof c->device, "%s", parent->device);
    weft_free(c, c->cache_dir);
    c->cache_dir = parent->cache_dir ? weft_strdup(c, parent->cache_dir) : NULL;
    c->threads = 1;
    if (parent->cache_dir && !c->cache_dir) {
        weft_context_destroy(out);
        return weft_error(parent, WEFT_ERR_NOMEM, "LP batch: out of memory for a worker context");
    }
    return WEFT_OK;
}

/* Records a worker's error on the caller's context (first one wins). */
static void fail(par_batch *B, weft_context *c, int st)
{
#pragma omp critical(weft_lp_batch_par)
    if (!B->status) {
        B->status = st;
        /* a callback's error is on the caller's context already; a solve's is on the worker's */
        if (c != B->ctx && c->last_error[0]) weft_error(B->ctx, st, "%s", c->last_error);
    }
}

/* Solves problem i into r, warm from prev when it holds a solution. */
static int solve_one(par_batch *B, weft_context *c, weft_lp_problem *p, int32_t i, const weft_lp_result *prev,
                     weft_lp_result *r)
{
    int st;
#pragma omp critical(weft_lp_batch_par)
    st = B->status ? B->status : B->src->fill(B->src->user, i, p);
    if (st) return st;
    weft_lp_options lo = B->o->lp;
    int warm = B->o->warm_start && prev->x && prev->outcome == WEFT_LP_OPTIMAL;
    lo.x0 = warm ? prev->x : NULL;
    lo.y0 = warm ? prev->y : NULL;
    lo.primal_weight = warm ? prev->primal_weight : 0;
    st = weft_lp_solve(c, p, &lo, r);
    if (st) return st;
#pragma omp critical(weft_lp_batch_par)
    st = B->status ? B->status : B->o->on_done ? B->o->on_done(B->o->user, i, r) : WEFT_OK;
    return st;
}

/* Takes runs from the cursor and solves them on context c until none is left or one fails. */
static void solve_runs(par_batch *B, weft_context *c)
{
    weft_lp_problem *p = NULL;
    weft_lp_result prev = {0}, r = {0};
    int st = weft_lp_problem_create_like(c, B->src->shared, &p);
    for (int32_t lo = 0; !st;) {
#pragma omp critical(weft_lp_batch_par)
        {
            lo = B->status ? B->src->count : B->next;
            B->next = lo < B->src->count ? lo + B->run : lo;
        }
        if (lo >= B->src->count) break;
        int32_t hi = lo + B->run < B->src->count ? lo + B->run : B->src->count;
        for (int32_t i = lo; !st && i < hi; i++) {
            st = solve_one(B, c, p, i, &prev, &r);
            weft_lp_result_free(c, &prev);
            prev = r;
            memset(&r, 0, sizeof r);
        }
    }
    if (st) fail(B, c, st);
    weft_lp_result_free(c, &prev);
    weft_lp_problem_destroy(c, &p);
}

static void worker(par_batch *B)
{
    weft_context *c = NULL;
    int st = worker_context(B->ctx, &c);
    if (st) {
#pragma omp critical(weft_lp_batch_par)
        if (!B->status) B->status = st;
        return;
    }
    solve_runs(B, c);
    weft_context_destroy(&c);
}

/* One run of every problem on the caller's thread and context. */
int lp_batch_sequential(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    par_batch B = {ctx, src, o, 0, src->count > 0 ? src->count : 1, WEFT_OK};
    solve_runs(&B, ctx);
    return B.status;
}

int lp_batch_parallel(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    int threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    int w = o->batch_size < threads ? o->batch_size : threads;
    if (w > src->count) w = src->count;
    if (w <= 1) return lp_batch_sequential(ctx, src, o);
    /* runs long enough for warm starts to pay, short enough to share the tail between workers */
    int32_t run = src->count / (4 * w);
    par_batch B = {ctx, src, o, 0, run < 1 ? 1 : run > 16 ? 16 : run, WEFT_OK};
#pragma omp parallel num_threads(w)
    worker(&B);
    return B.status;
}
