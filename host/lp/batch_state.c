/* The batch engine's state: device blocks and host scratch, problems loaded into slots, and the
 * narrowing of the block once nothing is pending.
 *
 * Finished columns are made free by compaction rather than by a gather into narrower blocks:
 * the last active columns move into the holes (one column copy per block and hole) and the
 * kernels run over the leading K columns of blocks that keep their leading dimension. A gather
 * would copy every active column of every block at each narrowing; the stride left behind costs
 * nothing a product notices (it reads K contiguous values per nonzero either way). */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "lp/batch_internal.h"

enum { HV_C, HV_Q, HV_LB, HV_UB, HV_RL, HV_RU, HV_WR, HV_WC, HV_COUNT };

static int dev_blocks(lp_batch *b, size_t n, size_t m, size_t ld)
{
    weft_pdhg_block *B = &b->B;
    weft_buf **nb[] = {&B->c, &B->lb, &B->ub, &B->wc, &B->x, &B->aty, &B->xh, &B->atyh, &B->x0,
                       &B->aty0, &b->dx, &b->atdy, &b->xr, &b->atyr};
    weft_buf **mb[] = {&B->rl, &B->ru, &B->wr, &B->y, &B->ax, &B->yh, &B->axh, &B->y0, &B->ax0,
                       &b->dy, &b->adx, &b->yr, &b->axr};
    const weft_backend_ops *op = b->op;
    int st = WEFT_OK;
    for (size_t i = 0; !st && i < sizeof nb / sizeof *nb; i++) st = op->buf_create(b->be, WEFT_REAL, n * ld, NULL, nb[i]);
    for (size_t i = 0; !st && i < sizeof mb / sizeof *mb; i++) st = op->buf_create(b->be, WEFT_REAL, m * ld, NULL, mb[i]);
    if (!st && b->src->shared->q) st = op->buf_create(b->be, WEFT_REAL, n * ld, NULL, &B->q);
    if (!st) st = op->buf_create(b->be, WEFT_REAL, ld, NULL, &B->tau);
    if (!st) st = op->buf_create(b->be, WEFT_REAL, ld, NULL, &B->sigma);
    if (!st) st = op->buf_create(b->be, WEFT_REAL, ld, NULL, &B->base);
    if (!st) st = op->buf_create(b->be, WEFT_INDEX, ld, NULL, &b->map);
    return st;
}

static int host_arrays(lp_batch *b, size_t n, size_t m, size_t ld)
{
    weft_context *ctx = b->ctx;
    size_t len[HV_COUNT] = {n, n, n, n, m, m, m, n};
    for (int i = 0; i < HV_COUNT; i++) b->hv[i] = weft_calloc(ctx, len[i] + 1, sizeof(double));
    b->xs = weft_calloc(ctx, n + 1, sizeof(double));
    b->ys = weft_calloc(ctx, m + 1, sizeof(double));
    b->tau = weft_calloc(ctx, ld, sizeof(double));
    b->sigma = weft_calloc(ctx, ld, sizeof(double));
    b->base = weft_calloc(ctx, ld, sizeof(double));
    b->hmap = weft_calloc(ctx, ld, sizeof(int32_t));
    b->st = weft_calloc(ctx, ld * WEFT_ST_COUNT, sizeof(double));
    b->rs = weft_calloc(ctx, ld * WEFT_RS_COUNT, sizeof(double));
    b->dots = weft_calloc(ctx, 4 * ld, sizeof(double));
    b->chk = weft_calloc(ctx, 4 * ld, 1);
    b->slot = weft_calloc(ctx, ld, sizeof *b->slot);
    b->warm_idx = weft_calloc(ctx, ld, sizeof(int32_t));
    b->warm_x = weft_calloc(ctx, ld, sizeof(double *));
    b->warm_y = weft_calloc(ctx, ld, sizeof(double *));
    int ok = b->xs && b->ys && b->tau && b->sigma && b->base && b->hmap && b->st && b->rs && b->dots &&
             b->chk && b->slot && b->warm_idx && b->warm_x && b->warm_y;
    for (int i = 0; i < HV_COUNT; i++) ok = ok && b->hv[i];
    if (!ok) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory for an LP batch of %zu", ld);
    b->live = b->chk + ld;
    b->rst = b->chk + 2 * ld;
    b->due = b->chk + 3 * ld;
    for (size_t k = 0; k < ld; k++) {
        b->slot[k].index = -1;
        b->warm_idx[k] = -1;
        b->slot[k].obj = weft_calloc(ctx, n + 1, sizeof(double));
        b->slot[k].q = b->src->shared->q ? weft_calloc(ctx, n + 1, sizeof(double)) : NULL;
        b->warm_x[k] = weft_calloc(ctx, n + 1, sizeof(double));
        b->warm_y[k] = weft_calloc(ctx, m + 1, sizeof(double));
        if (!b->slot[k].obj || (b->src->shared->q && !b->slot[k].q) || !b->warm_x[k] || !b->warm_y[k])
            return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory for an LP batch of %zu", ld);
    }
    return WEFT_OK;
}

int lp_batch_alloc(lp_batch *b, int32_t ld)
{
    const lp_scaled *M = b->M;
    size_t n = (size_t)M->n, m = (size_t)M->m;
    weft_pdhg_block *B = &b->B;
    B->n = M->n;
    B->m = M->m;
    B->ld = ld;
    B->K = ld;
    int st = host_arrays(b, n, m, (size_t)ld);
    if (!st) st = lp_result_alloc(b->ctx, b->src->shared, &b->res);
    if (!st) st = weft_dmat_upload(b->be, M->m, M->n, M->rp, M->ci, M->v, &B->A);
    if (!st) st = weft_dmat_upload(b->be, M->n, M->m, M->trp, M->tci, M->tv, &B->AT);
    if (!st) st = dev_blocks(b, n, m, (size_t)ld);
    return st;
}

void lp_batch_free(lp_batch *b)
{
    weft_context *ctx = b->ctx;
    weft_pdhg_block *B = &b->B;
    if (b->be) {
        weft_buf **all[] = {&B->c, &B->q, &B->lb, &B->ub, &B->rl, &B->ru, &B->wr, &B->wc, &B->x, &B->y,
                            &B->ax, &B->aty, &B->xh, &B->yh, &B->axh, &B->atyh, &B->x0, &B->y0, &B->ax0,
                            &B->aty0, &B->tau, &B->sigma, &B->base, &b->dx, &b->adx, &b->dy, &b->atdy,
                            &b->xr, &b->axr, &b->yr, &b->atyr, &b->map};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) b->op->buf_destroy(b->be, all[i]);
        weft_dmat_release(b->be, &B->A);
        weft_dmat_release(b->be, &B->AT);
    }
    for (int32_t k = 0; b->slot && k < B->ld; k++) {
        weft_free(ctx, b->slot[k].obj);
        weft_free(ctx, b->slot[k].q);
    }
    for (int32_t k = 0; b->warm_x && k < B->ld; k++) weft_free(ctx, b->warm_x[k]);
    for (int32_t k = 0; b->warm_y && k < B->ld; k++) weft_free(ctx, b->warm_y[k]);
    void *host[] = {b->xs, b->ys, b->tau, b->sigma, b->base, b->hmap, b->st, b->rs, b->dots, b->chk,
                    b->slot, b->warm_idx, b->warm_x, b->warm_y};
    for (size_t i = 0; i < sizeof host / sizeof *host; i++) weft_free(ctx, host[i]);
    for (int i = 0; i < HV_COUNT; i++) weft_free(ctx, b->hv[i]);
    weft_lp_result_free(ctx, &b->res);
}

/* Writes tau, sigma, base (host copies) to the device. */
static int sync_params(lp_batch *b)
{
    size_t ld = (size_t)b->B.ld;
    int st = b->op->buf_write(b->be, b->B.tau, 0, ld, b->tau);
    if (!st) st = b->op->buf_write(b->be, b->B.sigma, 0, ld, b->sigma);
    if (!st) st = b->op->buf_write(b->be, b->B.base, 0, ld, b->base);
    return st;
}

/* The problem's scaled vectors into column k, its unscaled objective into the slot. */
static int write_data(lp_batch *b, int32_t k, const weft_lp_problem *p, lp_slot *s)
{
    const lp_scaled *M = b->M;
    double **h = b->hv;
    double *q = p->q ? h[HV_Q] : NULL;
    lp_scale_vectors(M, p, h[HV_C], q, h[HV_LB], h[HV_UB], h[HV_RL], h[HV_RU], &s->sc);
    for (int32_t i = 0; i < M->m; i++) h[HV_WR][i] = 1 / (s->sc.tb * M->d1[i]);
    for (int32_t j = 0; j < M->n; j++) h[HV_WC][j] = 1 / (s->sc.tc * M->d2[j]);
    weft_pdhg_block *B = &b->B;
    weft_buf *dst[HV_COUNT] = {B->c, B->q, B->lb, B->ub, B->rl, B->ru, B->wr, B->wc};
    size_t rows[HV_COUNT] = {(size_t)M->n, (size_t)M->n, (size_t)M->n, (size_t)M->n,
                             (size_t)M->m, (size_t)M->m, (size_t)M->m, (size_t)M->n};
    int st = WEFT_OK;
    for (int i = 0; !st && i < HV_COUNT; i++)
        if (dst[i]) st = b->op->blk_col_write(b->be, dst[i], rows[i], B->ld, k, h[i]);
    memcpy(s->obj, p->obj, sizeof(double) * (size_t)M->n);
    if (p->q) memcpy(s->q, p->q, sizeof(double) * (size_t)M->n);
    return st;
}

/* The next pending problem into slot k: data, the (warm) starting point projected on the bounds,
 * fresh step sizes, weight and counters. Its products A x, A'y follow in initial_products. */
static int load(lp_batch *b, int32_t k)
{
    lp_slot *s = &b->slot[k];
    int32_t idx = b->next++;
    int st = b->src->fill(b->src->user, idx, b->fill);
    if (st) return st;
    if ((st = weft_lp_problem_validate(b->ctx, b->fill))) return st;
    if ((st = write_data(b, k, b->fill, s))) return st;
    lp_batch_warm(b, idx, &s->sc, b->xs, b->ys);
    /* x := proj_[lb,ub](x), the single solve's primal step with tau = 0 */
    for (int32_t j = 0; j < b->M->n; j++) {
        double v = b->xs[j], lo = b->hv[HV_LB][j], up = b->hv[HV_UB][j];
        b->xs[j] = v < lo ? lo : (v > up ? up : v);
    }
    st = b->op->blk_col_write(b->be, b->B.x, (size_t)b->M->n, b->B.ld, k, b->xs);
    if (!st) st = b->op->blk_col_write(b->be, b->B.y, (size_t)b->M->m, b->B.ld, k, b->ys);
    s->index = idx;
    lp_pid_init(&s->pid, 1.0);
    s->r0 = -1;
    s->rprev = INFINITY;
    s->iter = s->epoch_start = 0;
    s->spmv = 2;
    s->restarts = 0;
    s->t0 = lp_now();
    b->tau[k] = b->eta;
    b->sigma[k] = b->eta;
    b->base[k] = (double)b->g;
    return st;
}

/* For the loaded columns (map[k] = k): ax = ax0 = A x, aty = aty0 = A'y, x0 = x, y0 = y. */
static int initial_products(lp_batch *b)
{
    weft_pdhg_block *B = &b->B;
    const weft_backend_ops *op = b->op;
    size_t n = (size_t)B->n, m = (size_t)B->m;
    int st = op->buf_write(b->be, b->map, 0, (size_t)B->K, b->hmap);
    if (!st) st = op->blk_spmv(b->be, &B->A, B->ld, B->K, B->x, b->adx);
    if (!st) st = op->blk_spmv(b->be, &B->AT, B->ld, B->K, B->y, b->atdy);
    if (!st) st = op->blk_copy_cols(b->be, m, B->ld, B->K, b->map, b->adx, B->ax);
    if (!st) st = op->blk_copy_cols(b->be, m, B->ld, B->K, b->map, b->adx, B->ax0);
    if (!st) st = op->blk_copy_cols(b->be, n, B->ld, B->K, b->map, b->atdy, B->aty);
    if (!st) st = op->blk_copy_cols(b->be, n, B->ld, B->K, b->map, b->atdy, B->aty0);
    if (!st) st = op->blk_copy_cols(b->be, n, B->ld, B->K, b->map, B->x, B->x0);
    if (!st) st = op->blk_copy_cols(b->be, m, B->ld, B->K, b->map, B->y, B->y0);
    return st;
}

static void swap_slots(lp_batch *b, int32_t i, int32_t j)
{
    lp_slot t = b->slot[i];
    b->slot[i] = b->slot[j];
    b->slot[j] = t;
    double a = b->tau[i], s = b->sigma[i], g = b->base[i];
    b->tau[i] = b->tau[j];
    b->sigma[i] = b->sigma[j];
    b->base[i] = b->base[j];
    b->tau[j] = a;
    b->sigma[j] = s;
    b->base[j] = g;
}

/* Moves the last active columns into the holes (sources and targets never overlap, so the copies
 * run in place) and narrows K to the active count. xh, yh, axh, atyh are not moved: the next
 * iteration recomputes them before any use. */
static int compact(lp_batch *b)
{
    weft_pdhg_block *B = &b->B;
    int32_t K = B->K, lo = 0, hi = K - 1, moved = 0;
    for (int32_t k = 0; k < K; k++) b->hmap[k] = -1;
    for (;;) {
        while (lo < K && b->slot[lo].index >= 0) lo++;
        while (hi >= 0 && b->slot[hi].index < 0) hi--;
        if (lo >= hi) break;
        b->hmap[lo] = hi;
        swap_slots(b, lo, hi);
        moved = 1;
    }
    int32_t active = 0;
    while (active < K && b->slot[active].index >= 0) active++;
    int st = WEFT_OK;
    if (moved) {
        size_t n = (size_t)B->n, m = (size_t)B->m;
        weft_buf *nb[] = {B->c, B->q, B->lb, B->ub, B->wc, B->x, B->aty, B->x0, B->aty0, b->xr, b->atyr};
        weft_buf *mb[] = {B->rl, B->ru, B->wr, B->y, B->ax, B->y0, B->ax0, b->yr, b->axr};
        st = b->op->buf_write(b->be, b->map, 0, (size_t)K, b->hmap);
        for (size_t i = 0; !st && i < sizeof nb / sizeof *nb; i++)
            if (nb[i]) st = b->op->blk_copy_cols(b->be, n, B->ld, K, b->map, nb[i], nb[i]);
        for (size_t i = 0; !st && i < sizeof mb / sizeof *mb; i++)
            st = b->op->blk_copy_cols(b->be, m, B->ld, K, b->map, mb[i], mb[i]);
    }
    B->K = active;
    return st;
}

int lp_batch_refill(lp_batch *b, int load_new)
{
    weft_pdhg_block *B = &b->B;
    if (load_new && b->next < b->src->count) B->K = B->ld; /* compaction left the idle slots last */
    int loaded = 0, st = WEFT_OK;
    for (int32_t k = 0; k < B->K; k++) {
        b->hmap[k] = -1;
        if (!st && load_new && b->slot[k].index < 0 && b->next < b->src->count) {
            st = load(b, k);
            b->hmap[k] = k;
            loaded = 1;
        }
    }
    if (!st && loaded) st = initial_products(b);
    if (!st) st = compact(b);
    if (!st) st = sync_params(b);
    return st;
}
