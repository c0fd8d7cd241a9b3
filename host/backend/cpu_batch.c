/* The CPU backend's blocked PDHG (backend.h, blk_*): K problems sharing A, blocks row-major with
 * leading dimension ld. A product reads each nonzero once and applies it to the K contiguous values
 * of its column's row of the block (a loop the compiler vectorizes), so it costs about one sparse
 * pass plus K multiply-adds per nonzero instead of K sparse passes. Every element keeps the
 * expression of cpu.c's single-problem step, summed in the same order. Rows go to OpenMP threads
 * when nnz * K (or rows * K) is past the single solve's thresholds. */
#include <string.h>

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

/* acc[0..kn) = row i of A times columns k0..k0+kn of X. */
static inline void row_block(const weft_dmat *A, int32_t i, const double *x, int32_t ld, int32_t k0,
                             int32_t kn, double *acc)
{
    const int32_t *rp = IB(A->row_ptr), *ci = IB(A->col_idx);
    const double *v = RB(A->val);
    for (int32_t kk = 0; kk < kn; kk++) acc[kk] = 0;
    for (int32_t p = rp[i]; p < rp[i + 1]; p++) {
        const double a = v[p], *xr = x + (size_t)ci[p] * (size_t)ld + k0;
        for (int32_t kk = 0; kk < kn; kk++) acc[kk] += a * xr[kk];
    }
}

static int par_nnz(const weft_dmat *A, int32_t K) { return (double)A->nnz * K > PAR_MIN_NNZ; }
static int par_vec(size_t rows, int32_t K) { return (double)rows * K > PAR_MIN_VEC; }

int weft_cpu_blk_primal(weft_backend *be, weft_pdhg_block *b)
{
    const double *x = RB(b->x), *aty = RB(b->aty), *c = RB(b->c), *lb = RB(b->lb), *ub = RB(b->ub);
    const double *q = b->q ? RB(b->q) : NULL, *tau = RB(b->tau);
    double *xh = RB(b->xh);
    const int32_t ld = b->ld, K = b->K;
#pragma omp parallel for schedule(static) if (par_vec((size_t)b->n, K))
    for (int32_t j = 0; j < b->n; j++)
        for (int32_t k = 0; k < K; k++) {
            size_t e = (size_t)j * ld + k;
            double v = x[e] - tau[k] * (c[e] - aty[e]);
            if (q) v /= 1 + tau[k] * q[e];
            xh[e] = clampd(v, lb[e], ub[e]);
        }
    return WEFT_OK;
}

/* The dual step of one row's columns k0..k0+kn given A xh there (acc). */
static inline void dual_cols(weft_pdhg_block *b, size_t row, int32_t k0, int32_t kn, const double *acc,
                             double g, double gamma)
{
    const double *rl = RB(b->rl), *ru = RB(b->ru), *y0 = RB(b->y0), *ax0 = RB(b->ax0);
    const double *sigma = RB(b->sigma), *base = RB(b->base);
    double *y = RB(b->y), *ax = RB(b->ax), *yh = RB(b->yh), *axh = RB(b->axh);
    for (int32_t kk = 0; kk < kn; kk++) {
        int32_t k = k0 + kk;
        size_t e = row + (size_t)k;
        double a = acc[kk], s = sigma[k];
        double v = 2 * a - ax[e];
        double t = y[e] / s - v;
        /* sigma (t - proj(t)), as in cpu.c: its sign is exact on rows with an infinite bound */
        double h = s * (t - clampd(t, -ru[e], -rl[e]));
        axh[e] = a;
        yh[e] = h;
        double w = hweight(g, base[k]);
        if (w >= 0) {
            y[e] = halpern(h, y[e], y0[e], w, gamma);
            ax[e] = halpern(a, ax[e], ax0[e], w, gamma);
        }
    }
}

int weft_cpu_blk_dual(weft_backend *be, weft_pdhg_block *b, double g, double gamma)
{
    const double *xh = RB(b->xh);
    const int32_t ld = b->ld, K = b->K;
#pragma omp parallel for schedule(static) if (par_nnz(&b->A, K))
    for (int32_t i = 0; i < b->m; i++) {
        double acc[CHUNK];
        for (int32_t k0 = 0; k0 < K; k0 += CHUNK) {
            int32_t kn = K - k0 < CHUNK ? K - k0 : CHUNK;
            row_block(&b->A, i, xh, ld, k0, kn, acc);
            dual_cols(b, (size_t)i * ld, k0, kn, acc, g, gamma);
        }
    }
    return WEFT_OK;
}

int weft_cpu_blk_adjoint(weft_backend *be, weft_pdhg_block *b, double g, double gamma)
{
    const double *yh = RB(b->yh), *xh = RB(b->xh), *x0 = RB(b->x0), *aty0 = RB(b->aty0), *base = RB(b->base);
    double *x = RB(b->x), *aty = RB(b->aty), *atyh = RB(b->atyh);
    const int32_t ld = b->ld, K = b->K;
#pragma omp parallel for schedule(static) if (par_nnz(&b->AT, K))
    for (int32_t j = 0; j < b->n; j++) {
        double acc[CHUNK];
        for (int32_t k0 = 0; k0 < K; k0 += CHUNK) {
            int32_t kn = K - k0 < CHUNK ? K - k0 : CHUNK;
            row_block(&b->AT, j, yh, ld, k0, kn, acc);
            for (int32_t kk = 0; kk < kn; kk++) {
                size_t e = (size_t)j * ld + (size_t)(k0 + kk);
                atyh[e] = acc[kk];
                double w = hweight(g, base[k0 + kk]);
                if (w >= 0) {
                    x[e] = halpern(xh[e], x[e], x0[e], w, gamma);
                    aty[e] = halpern(acc[kk], aty[e], aty0[e], w, gamma);
                }
            }
        }
    }
    return WEFT_OK;
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

/* Per-column sums: rows of the block are added in order, as the serial single-problem loops do. */
static void stats_rows(const weft_pdhg_block *b, double *out)
{
    const double *axh = RB(b->axh), *ax = RB(b->ax), *rl = RB(b->rl), *ru = RB(b->ru), *wr = RB(b->wr);
    const double *yh = RB(b->yh), *y = RB(b->y);
    for (int32_t i = 0; i < b->m; i++)
        for (int32_t k = 0; k < b->K; k++) {
            size_t e = (size_t)i * b->ld + k;
            double *o = out + (size_t)k * WEFT_ST_COUNT;
            double r = wr[e] * (axh[e] - clampd(axh[e], rl[e], ru[e]));
            o[WEFT_ST_PRES2] += r * r;
            o[WEFT_ST_DUAL_ROW] += bound_term(yh[e], rl[e], ru[e]);
            double d = yh[e] - y[e];
            o[WEFT_ST_DY2] += d * d;
            o[WEFT_ST_DYADX] += d * (axh[e] - ax[e]);
        }
}

static void stats_cols(const weft_pdhg_block *b, double *out)
{
    const double *xh = RB(b->xh), *x = RB(b->x), *c = RB(b->c), *atyh = RB(b->atyh), *lb = RB(b->lb);
    const double *ub = RB(b->ub), *wc = RB(b->wc), *q = b->q ? RB(b->q) : NULL;
    for (int32_t j = 0; j < b->n; j++)
        for (int32_t k = 0; k < b->K; k++) {
            size_t e = (size_t)j * b->ld + k;
            double *o = out + (size_t)k * WEFT_ST_COUNT;
            double qx = q ? q[e] * xh[e] : 0;
            double gr = c[e] + qx - atyh[e];
            double lam = proj_lambda(gr, lb[e], ub[e]);
            double r = wc[e] * (gr - lam);
            o[WEFT_ST_DRES2] += r * r;
            o[WEFT_ST_CX] += c[e] * xh[e];
            o[WEFT_ST_XQX] += 0.5 * qx * xh[e];
            o[WEFT_ST_DUAL_COL] += bound_term(lam, lb[e], ub[e]);
            double d = xh[e] - x[e];
            o[WEFT_ST_DX2] += d * d;
        }
}

/* Checks run every check_every iterations and cost about one pass over the block: serial, so the
 * sums are those of the serial single solve and no thread barrier is paid. */
int weft_cpu_blk_stats(weft_backend *be, weft_pdhg_block *b, double *out)
{
    memset(out, 0, sizeof(double) * WEFT_ST_COUNT * (size_t)b->K);
    stats_rows(b, out);
    stats_cols(b, out);
    return WEFT_OK;
}

static void ray_rows(const weft_pdhg_block *b, const double *adx, const double *dy, double *out)
{
    const double *rl = RB(b->rl), *ru = RB(b->ru), *wr = RB(b->wr);
    for (int32_t i = 0; i < b->m; i++)
        for (int32_t k = 0; k < b->K; k++) {
            size_t e = (size_t)i * b->ld + k;
            double *o = out + (size_t)k * WEFT_RS_COUNT;
            double r = wr[e] * (adx[e] - proj_recession(adx[e], rl[e], ru[e]));
            o[WEFT_RS_PRAY2] += r * r;
            o[WEFT_RS_DY2] += dy[e] * dy[e];
            double p = proj_sign(dy[e], rl[e], ru[e]);
            o[WEFT_RS_DSGN2] += (dy[e] - p) * (dy[e] - p);
            o[WEFT_RS_DRAY_OBJ] += bound_term(p, rl[e], ru[e]);
        }
}

static void ray_cols(const weft_pdhg_block *b, const double *dx, const double *atdy, double *out)
{
    const double *lb = RB(b->lb), *ub = RB(b->ub), *wc = RB(b->wc), *c = RB(b->c);
    const double *q = b->q ? RB(b->q) : NULL;
    for (int32_t j = 0; j < b->n; j++)
        for (int32_t k = 0; k < b->K; k++) {
            size_t e = (size_t)j * b->ld + k;
            double *o = out + (size_t)k * WEFT_RS_COUNT;
            o[WEFT_RS_DX2] += dx[e] * dx[e];
            o[WEFT_RS_CDX] += c[e] * dx[e];
            if (q) o[WEFT_RS_QDX2] += (q[e] * dx[e]) * (q[e] * dx[e]);
            double bd = dx[e] - proj_recession(dx[e], lb[e], ub[e]);
            o[WEFT_RS_PBND2] += bd * bd;
            double g = -atdy[e];
            double lam = proj_lambda(g, lb[e], ub[e]);
            double r = wc[e] * (g - lam);
            o[WEFT_RS_DRAY2] += r * r;
            o[WEFT_RS_DRAY_OBJ] += bound_term(lam, lb[e], ub[e]);
        }
}

int weft_cpu_blk_ray_stats(weft_backend *be, weft_pdhg_block *b, const weft_buf *dx, const weft_buf *adx,
                           const weft_buf *dy, const weft_buf *atdy, double *out)
{
    memset(out, 0, sizeof(double) * WEFT_RS_COUNT * (size_t)b->K);
    ray_rows(b, RB(adx), RB(dy), out);
    ray_cols(b, RB(dx), RB(atdy), out);
    return WEFT_OK;
}

int weft_cpu_blk_spmv(weft_backend *be, const weft_dmat *A, int32_t ld, int32_t K, const weft_buf *x, weft_buf *y)
{
    const double *xp = RB(x);
    double *yp = RB(y);
#pragma omp parallel for schedule(static) if (par_nnz(A, K))
    for (int32_t i = 0; i < A->rows; i++) {
        double acc[CHUNK];
        for (int32_t k0 = 0; k0 < K; k0 += CHUNK) {
            int32_t kn = K - k0 < CHUNK ? K - k0 : CHUNK;
            row_block(A, i, xp, ld, k0, kn, acc);
            memcpy(yp + (size_t)i * ld + k0, acc, sizeof(double) * (size_t)kn);
        }
    }
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
