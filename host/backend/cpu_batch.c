/* The CPU backend's blocked PDHG (backend.h, blk_*): K problems sharing A, blocks row-major with
 * leading dimension ld. A product reads each nonzero once and applies it to the K contiguous values
 * of its column's row of the block (a loop the compiler vectorizes), so it costs about one sparse
 * pass plus K multiply-adds per nonzero instead of K sparse passes. Every element keeps the
 * expression of cpu.c's single-problem step, summed in the same order. Rows go to OpenMP threads
 * when nnz * K (or rows * K) is past the single solve's thresholds and, for the two product steps
 * that carry an iteration, when timing says threads pay (par_pick). */
#include <string.h>

#include <omp.h>

#include "backend/cpu_internal.h"
#include "core/context_internal.h"

/* Columns per pass of a product: the accumulators live on the stack. */
enum { CHUNK = 64 };

static inline double hweight(double g, double base)
{
    if (g < 0 || base < 0) return -1;
    double d = g - base;
    return d / (d + 1);
}

/* acc[0..L) = row i of A times L columns of X starting at x, summed in CSR order. Called with a
 * constant L, the sums live in registers: accumulating through memory would chain every nonzero
 * to the previous one's store (about 4x slower per nonzero, measured). */
enum { LANES = 8 };

static inline __attribute__((always_inline)) void row_lanes(const weft_dmat *A, int32_t i,
                                                            const double *restrict x, size_t ld, int L,
                                                            double *restrict acc)
{
    const int32_t *rp = IB(A->row_ptr), *ci = IB(A->col_idx);
    const double *v = RB(A->val);
    double s[LANES] = {0};
    for (int32_t p = rp[i]; p < rp[i + 1]; p++) {
        const double a = v[p], *xr = x + (size_t)ci[p] * ld;
        for (int l = 0; l < L; l++) s[l] += a * xr[l];
    }
    for (int l = 0; l < L; l++) acc[l] = s[l];
}

/* acc[0..kn) = row i of A times columns k0..k0+kn of X: groups of 8, then 4, 2, 1. */
static inline __attribute__((always_inline)) void row_block(const weft_dmat *A, int32_t i, const double *x,
                                                            int32_t ld, int32_t k0, int32_t kn, double *acc)
{
    int32_t kk = 0;
    x += k0;
    for (; kk + LANES <= kn; kk += LANES) row_lanes(A, i, x + kk, (size_t)ld, LANES, acc + kk);
    if (kn - kk >= 4) {
        row_lanes(A, i, x + kk, (size_t)ld, 4, acc + kk);
        kk += 4;
    }
    if (kn - kk >= 2) {
        row_lanes(A, i, x + kk, (size_t)ld, 2, acc + kk);
        kk += 2;
    }
    if (kn - kk >= 1) row_lanes(A, i, x + kk, (size_t)ld, 1, acc + kk);
}

/* The Halpern weight of each column this iteration: w[k] (< 0: no update) and w[K + k], the
 * same with 0 for no update. A column without update computes 0 (...) + 1 z with its own value
 * z as the anchor: z exactly, and no branch in the loop (GCC will not vectorize a loop whose
 * floating-point result is selected after the fact). */
static void weights(const weft_pdhg_block *b, double g, double *w)
{
    const double *base = RB(b->base);
    for (int32_t k = 0; k < b->K; k++) {
        w[k] = hweight(g, base[k]);
        w[b->K + k] = w[k] < 0 ? 0 : w[k];
    }
}

/* z <- halpern(h, z, z0) for the columns with w >= 0, z unchanged for the others. */
static inline void halpern_cols(int32_t kn, const double *h, double *z, const double *z0, const double *w,
                                const double *wu, double gamma)
{
#pragma omp simd
    for (int32_t k = 0; k < kn; k++) {
        double zk = z[k], z0k = z0[k];
        double anchor = w[k] < 0 ? zk : z0k;
        z[k] = halpern(h[k], zk, anchor, wu[k], gamma);
    }
}

static int par_nnz(const weft_dmat *A, int32_t K) { return (double)A->nnz * K > PAR_MIN_NNZ; }
static int par_vec(size_t rows, int32_t K) { return (double)rows * K > PAR_MIN_VEC; }

/* Threads or not for the next call of a step (primal, dual, adjoint). A fork-join pays on an
 * idle machine and costs milliseconds per barrier when other processes hold the cores: 50 batched 24-period
 * DC-OPFs of case118 (K = 8) took 17 s of CPU on one thread and 208 s wall on two on a 2-core
 * machine at load 7. So both ways are timed (4 calls each), the faster is kept, and the other is
 * tried again every PROBE calls because the load changes. */
enum { PROBE = 256 };

static int par_pick(const weft_cpu_par *p)
{
    if (p->n[0] < 4) return 0;
    if (p->n[1] < 4) return 1;
    int best = p->t[1] < p->t[0];
    return p->calls % PROBE == 0 ? !best : best;
}

static void par_record(weft_cpu_par *p, int mode, double dt)
{
    p->t[mode] = p->n[mode] ? 0.8 * p->t[mode] + 0.2 * dt : dt;
    p->n[mode]++;
    p->calls++;
}

/* Threads for this call of step `op` (0 dual, 1 adjoint, 2 primal) when its size passes the
 * threshold (`big`); par_done records how long it took. */
static int par_decide(weft_backend *be, int op, int big)
{
    return big && omp_get_max_threads() > 1 && par_pick(weft_cpu_par_state(be, op));
}

static void par_done(weft_backend *be, int op, int big, int par, double t0)
{
    if (big) par_record(weft_cpu_par_state(be, op), par, omp_get_wtime() - t0);
}

/* One row of the primal step; q NULL for an LP (a separate loop: no branch inside). */
static inline void primal_row(size_t row, int32_t K, const double *x, const double *aty, const double *c,
                              const double *q, const double *lb, const double *ub, const double *tau, double *xh)
{
    x += row, aty += row, c += row, lb += row, ub += row, xh += row;
    if (q) {
        q += row;
#pragma omp simd
        for (int32_t k = 0; k < K; k++) {
            double v = (x[k] - tau[k] * (c[k] - aty[k])) / (1 + tau[k] * q[k]);
            xh[k] = clampd(v, lb[k], ub[k]);
        }
        return;
    }
#pragma omp simd
    for (int32_t k = 0; k < K; k++) xh[k] = clampd(x[k] - tau[k] * (c[k] - aty[k]), lb[k], ub[k]);
}

int weft_cpu_blk_primal(weft_backend *be, weft_pdhg_block *b)
{
    const double *q = b->q ? RB(b->q) : NULL;
    const int32_t ld = b->ld, K = b->K;
    int big = par_vec((size_t)b->n, K), par = par_decide(be, 2, big);
    double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static) if (par)
    for (int32_t j = 0; j < b->n; j++)
        primal_row((size_t)j * ld, K, RB(b->x), RB(b->aty), RB(b->c), q, RB(b->lb), RB(b->ub), RB(b->tau), RB(b->xh));
    par_done(be, 2, big, par, t0);
    return WEFT_OK;
}

/* The dual step of one row's columns k0..k0+kn given A xh there (acc); wk: weights(). */
static inline void dual_cols(weft_pdhg_block *b, size_t row, int32_t k0, int32_t kn, const double *acc,
                             const double *wk, double gamma)
{
    row += (size_t)k0;
    const double *rl = RB(b->rl) + row, *ru = RB(b->ru) + row, *sigma = RB(b->sigma) + k0;
    double *y = RB(b->y) + row, *ax = RB(b->ax) + row, *yh = RB(b->yh) + row, *axh = RB(b->axh) + row;
#pragma omp simd
    for (int32_t k = 0; k < kn; k++) {
        double a = acc[k], s = sigma[k];
        double t = y[k] / s - (2 * a - ax[k]);
        /* sigma (t - proj(t)), as in cpu.c: its sign is exact on rows with an infinite bound */
        yh[k] = s * (t - clampd(t, -ru[k], -rl[k]));
        axh[k] = a;
    }
    halpern_cols(kn, yh, y, RB(b->y0) + row, wk + k0, wk + b->K + k0, gamma);
    halpern_cols(kn, axh, ax, RB(b->ax0) + row, wk + k0, wk + b->K + k0, gamma);
}

/* atyh = A' yh for one row of A' (a column of A), and the Halpern update of x and aty there. */
static inline void adjoint_cols(weft_pdhg_block *b, size_t row, int32_t k0, int32_t kn, const double *acc,
                                const double *wk, double gamma)
{
    row += (size_t)k0;
    double *atyh = RB(b->atyh) + row;
    memcpy(atyh, acc, sizeof(double) * (size_t)kn);
    halpern_cols(kn, RB(b->xh) + row, RB(b->x) + row, RB(b->x0) + row, wk + k0, wk + b->K + k0, gamma);
    halpern_cols(kn, atyh, RB(b->aty) + row, RB(b->aty0) + row, wk + k0, wk + b->K + k0, gamma);
}

/* The dual (op 0) or adjoint (op 1) step: each row of A (or A') times the block X, then that
 * row's columns. The per-column weights are computed once, not per row; the branch on op (not a
 * function pointer) keeps both column steps inlined, which matters when K is small. */
enum { MAX_STACK_K = 256 };

static int product_step(weft_backend *be, weft_pdhg_block *b, int op, const weft_dmat *A, const double *x,
                        double g, double gamma)
{
    const int32_t ld = b->ld, K = b->K;
    double wstack[2 * MAX_STACK_K];
    double *wk = K <= MAX_STACK_K ? wstack : weft_calloc(be->ctx, 2 * (size_t)K, sizeof(double));
    if (!wk) return weft_error(be->ctx, WEFT_ERR_NOMEM, "cpu backend: out of memory for %d column weights", K);
    weights(b, g, wk);
    int big = par_nnz(A, K), par = par_decide(be, op, big);
    double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static) if (par)
    for (int32_t i = 0; i < A->rows; i++) {
        double acc[CHUNK];
        for (int32_t k0 = 0; k0 < K; k0 += CHUNK) {
            int32_t kn = K - k0 < CHUNK ? K - k0 : CHUNK;
            row_block(A, i, x, ld, k0, kn, acc);
            if (op == 0) dual_cols(b, (size_t)i * ld, k0, kn, acc, wk, gamma);
            else adjoint_cols(b, (size_t)i * ld, k0, kn, acc, wk, gamma);
        }
    }
    par_done(be, op, big, par, t0);
    if (wk != wstack) weft_free(be->ctx, wk);
    return WEFT_OK;
}

int weft_cpu_blk_dual(weft_backend *be, weft_pdhg_block *b, double g, double gamma)
{
    return product_step(be, b, 0, &b->A, RB(b->xh), g, gamma);
}

int weft_cpu_blk_adjoint(weft_backend *be, weft_pdhg_block *b, double g, double gamma)
{
    return product_step(be, b, 1, &b->AT, RB(b->yh), g, gamma);
}

/* z1 <- halpern(h1, z1, z01), z2 <- halpern(h2, z2, z02) over a rows x ld block. */
static void halpern_pair(size_t rows, int32_t ld, int32_t K, const double *base, double g, double gamma,
                         const weft_buf *h1, weft_buf *z1, const weft_buf *z01, const weft_buf *h2,
                         weft_buf *z2, const weft_buf *z02)
{
    for (size_t i = 0; i < rows; i++)
        for (int32_t k = 0; k < K; k++) {
            double w = hweight(g, base[k]);
            if (w < 0) continue;
            size_t e = i * (size_t)ld + (size_t)k;
            RB(z1)[e] = halpern(RB(h1)[e], RB(z1)[e], RB(z01)[e], w, gamma);
            RB(z2)[e] = halpern(RB(h2)[e], RB(z2)[e], RB(z02)[e], w, gamma);
        }
}

int weft_cpu_blk_halpern(weft_backend *be, weft_pdhg_block *b, double g, double gamma)
{
    const double *base = RB(b->base);
    halpern_pair((size_t)b->m, b->ld, b->K, base, g, gamma, b->yh, b->y, b->y0, b->axh, b->ax, b->ax0);
    halpern_pair((size_t)b->n, b->ld, b->K, base, g, gamma, b->xh, b->x, b->x0, b->atyh, b->aty, b->aty0);
    return WEFT_OK;
}

/* Per-column sums: rows of the block are added in order, as the serial single-problem loops do.
 * Checks run every check_every iterations and cost about one pass over the block: serial, so the
 * sums are those of the serial single solve and no thread barrier is paid. */
int weft_cpu_blk_stats(weft_backend *be, weft_pdhg_block *b, double *out)
{
    const double *axh = RB(b->axh), *ax = RB(b->ax), *rl = RB(b->rl), *ru = RB(b->ru), *wr = RB(b->wr);
    const double *yh = RB(b->yh), *y = RB(b->y), *xh = RB(b->xh), *x = RB(b->x), *c = RB(b->c);
    const double *atyh = RB(b->atyh), *lb = RB(b->lb), *ub = RB(b->ub), *wc = RB(b->wc);
    const double *q = b->q ? RB(b->q) : NULL;
    memset(out, 0, sizeof(double) * WEFT_ST_COUNT * (size_t)b->K);
    for (size_t i = 0; i < (size_t)b->m; i++)
        for (size_t k = 0, e = i * b->ld; k < (size_t)b->K; k++, e++)
            st_row_add(axh[e], ax[e], rl[e], ru[e], wr[e], yh[e], y[e], out + k * WEFT_ST_COUNT);
    for (size_t j = 0; j < (size_t)b->n; j++)
        for (size_t k = 0, e = j * b->ld; k < (size_t)b->K; k++, e++)
            st_col_add(xh[e], x[e], c[e], q ? q + e : NULL, atyh[e], lb[e], ub[e], wc[e],
                       out + k * WEFT_ST_COUNT);
    return WEFT_OK;
}

int weft_cpu_blk_ray_stats(weft_backend *be, weft_pdhg_block *b, const weft_buf *dxb, const weft_buf *adxb,
                           const weft_buf *dyb, const weft_buf *atdyb, double *out)
{
    const double *dx = RB(dxb), *adx = RB(adxb), *dy = RB(dyb), *atdy = RB(atdyb);
    const double *rl = RB(b->rl), *ru = RB(b->ru), *wr = RB(b->wr), *lb = RB(b->lb), *ub = RB(b->ub);
    const double *wc = RB(b->wc), *c = RB(b->c), *q = b->q ? RB(b->q) : NULL;
    memset(out, 0, sizeof(double) * WEFT_RS_COUNT * (size_t)b->K);
    for (size_t i = 0; i < (size_t)b->m; i++)
        for (size_t k = 0, e = i * b->ld; k < (size_t)b->K; k++, e++)
            rs_row_add(adx[e], dy[e], rl[e], ru[e], wr[e], out + k * WEFT_RS_COUNT);
    for (size_t j = 0; j < (size_t)b->n; j++)
        for (size_t k = 0, e = j * b->ld; k < (size_t)b->K; k++, e++)
            rs_col_add(dx[e], atdy[e], c[e], q ? q + e : NULL, lb[e], ub[e], wc[e], out + k * WEFT_RS_COUNT);
    return WEFT_OK;
}

int weft_cpu_blk_spmv(weft_backend *be, const weft_dmat *A, int32_t ld, int32_t K, const weft_buf *x, weft_buf *y)
{
    const double *xp = RB(x);
    double *yp = RB(y);
#pragma omp parallel for schedule(static) if (par_nnz(A, K))
    for (int32_t i = 0; i < A->rows; i++) row_block(A, i, xp, ld, 0, K, yp + (size_t)i * ld);
    return WEFT_OK;
}

int weft_cpu_blk_sub(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *a, const weft_buf *b,
                     weft_buf *out)
{
    const double *ap = RB(a), *bp = RB(b);
    double *op = RB(out);
    for (size_t i = 0; i < rows; i++)
        for (int32_t k = 0; k < K; k++) op[i * ld + k] = ap[i * ld + k] - bp[i * ld + k];
    return WEFT_OK;
}

int weft_cpu_blk_dot(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *x, const weft_buf *y,
                     double *out)
{
    const double *xp = RB(x), *yp = RB(y);
    for (int32_t k = 0; k < K; k++) out[k] = 0;
    for (size_t i = 0; i < rows; i++)
        for (int32_t k = 0; k < K; k++) out[k] += xp[i * ld + k] * yp[i * ld + k];
    return WEFT_OK;
}

int weft_cpu_blk_copy_cols(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *map,
                           const weft_buf *src, weft_buf *dst)
{
    const int32_t *mp = IB(map);
    const double *s = RB(src);
    double *d = RB(dst);
    for (size_t i = 0; i < rows; i++)
        for (int32_t k = 0; k < K; k++)
            if (mp[k] >= 0) d[i * ld + k] = s[i * ld + mp[k]];
    return WEFT_OK;
}

static int col_range(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k)
{
    if (k < 0 || k >= ld || (rows && (rows - 1) * (size_t)ld + (size_t)k >= b->count))
        return weft_error(be->ctx, WEFT_ERR_INVALID_ARG, "cpu backend: column %d of a %zu x %d block out of range",
                          k, rows, ld);
    return WEFT_OK;
}

int weft_cpu_blk_col_read(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k, double *host)
{
    int st = col_range(be, b, rows, ld, k);
    for (size_t i = 0; !st && i < rows; i++) host[i] = RB(b)[i * ld + k];
    return st;
}

int weft_cpu_blk_col_write(weft_backend *be, weft_buf *b, size_t rows, int32_t ld, int32_t k, const double *host)
{
    int st = col_range(be, b, rows, ld, k);
    for (size_t i = 0; !st && i < rows; i++) RB(b)[i * ld + k] = host[i];
    return st;
}
