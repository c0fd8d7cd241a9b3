/* Batches as single solves: one after another on the caller's thread (batch_size 1, or one
 * thread), or the PARALLEL engine, W at once, one per OpenMP thread, each on its own context (the
 * library's contexts are not shared between threads) and single-threaded inside. Each solver walks
 * its own contiguous share of the problems (the visiting order of batch_order.c puts similar ones
 * next to each other) and warm-starts each problem from the one it solved before; a solver whose
 * share is done takes the upper half of the largest share left, so the tail is shared while a
 * walk is broken only a few times. The scaling of A and the step size (||A~||_2 by power
 * iteration, about a tenth of a 24-period DC-OPF's products at 1e-4) are computed once for the
 * batch and shared by every solve.
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
    const lp_scaled *M; /* the matrix part and step size every solve shares */
    int32_t *lo, *hi;   /* per solver: the next problem of its share and the share's end */
    int w;
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
    st = lp_solve_with(c, p, &lo, B->M, r);
    if (st) return st;
#pragma omp critical(weft_lp_batch_par)
    st = B->status ? B->status : B->o->on_done ? B->o->on_done(B->o->user, i, r) : WEFT_OK;
    return st;
}

/* The next problem for solver id (-1: none left, or the batch failed): from its own share, else
 * from the upper half of the largest share left. */
static int32_t take(par_batch *B, int id)
{
    int32_t i = -1;
#pragma omp critical(weft_lp_batch_par)
    if (!B->status) {
        if (B->lo[id] >= B->hi[id]) {
            int v = 0;
            for (int k = 1; k < B->w; k++)
                if (B->hi[k] - B->lo[k] > B->hi[v] - B->lo[v]) v = k;
            int32_t mid = B->lo[v] + (B->hi[v] - B->lo[v]) / 2;
            B->lo[id] = mid;
            B->hi[id] = B->hi[v];
            B->hi[v] = mid;
        }
        if (B->lo[id] < B->hi[id]) i = B->lo[id]++;
    }
    return i;
}

/* Solves problems for solver id on context c until none is left or one fails. */
static void solve_runs(par_batch *B, weft_context *c, int id)
{
    weft_lp_problem *p = NULL;
    weft_lp_result prev = {0}, r = {0};
    int st = weft_lp_problem_create_like(c, B->src->shared, &p);
    for (int32_t i; !st && (i = take(B, id)) >= 0;) {
        st = solve_one(B, c, p, i, &prev, &r);
        weft_lp_result_free(c, &prev);
        prev = r;
        memset(&r, 0, sizeof r);
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
    solve_runs(B, c, omp_get_thread_num());
    weft_context_destroy(&c);
}

/* The scaled A and the step size of the source's matrix. */
static int shared_matrix(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_options *o,
                         lp_scaled **M)
{
    weft_lp_problem *p = NULL;
    int st = lp_batch_matrix(ctx, src, o, &p, M);
    if (!st) st = lp_step_size_host(ctx, *M);
    weft_lp_problem_destroy(ctx, &p);
    if (st) lp_scaled_destroy(ctx, M);
    return st;
}

/* Every problem on w solvers (0: the caller's thread and context), sharing the scaled matrix
 * when `share`. */
static int run_batch(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o,
                     int w, int share)
{
    if (src->count < 1) return WEFT_OK;
    lp_scaled *M = NULL;
    int n = w > 0 ? w : 1;
    par_batch B = {ctx, src, o, NULL, weft_calloc(ctx, (size_t)n, sizeof(int32_t)),
                   weft_calloc(ctx, (size_t)n, sizeof(int32_t)), n, WEFT_OK};
    int st = B.lo && B.hi ? WEFT_OK : weft_error(ctx, WEFT_ERR_NOMEM, "LP batch: out of memory");
    if (!st && share) st = shared_matrix(ctx, src, &o->lp, &M);
    B.M = M;
    for (int k = 0; !st && k < n; k++) {
        B.lo[k] = (int32_t)((int64_t)src->count * k / n);
        B.hi[k] = (int32_t)((int64_t)src->count * (k + 1) / n);
    }
    if (!st && w == 0) {
        solve_runs(&B, ctx, 0);
    } else if (!st) {
#pragma omp parallel num_threads(w)
        worker(&B);
    }
    lp_scaled_destroy(ctx, &M);
    weft_free(ctx, B.lo);
    weft_free(ctx, B.hi);
    return st ? st : B.status;
}

/* One by one means independent solves, as weft_lp_solve in a loop: nothing shared but the warm
 * start (when asked), so it stays the baseline batches are measured against. */
int lp_batch_sequential(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    return run_batch(ctx, src, o, 0, 0);
}

int lp_batch_parallel(weft_context *ctx, const weft_lp_batch_source *src, const weft_lp_batch_options *o)
{
    int threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    int w = o->batch_size < threads ? o->batch_size : threads;
    if (w > src->count) w = src->count;
    return run_batch(ctx, src, o, w > 1 ? w : 0, 1);
}
