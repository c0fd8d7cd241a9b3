/* Blocked PDHG kernels: K problems sharing A in the columns of row-major blocks with leading
 * dimension ld (element (i, k) at i * ld + k); host/backend/backend.h (blk_*) gives the meaning of
 * each. Element-wise kernels and products run a work-item per (row, column) with the column
 * fastest, so the K work-items of a row read the same nonzeros (broadcast) and K contiguous values
 * of the block (coalesced). Each column's step sizes come from tau[k], sigma[k], and its Halpern
 * weight from base[k] and the iteration g, so nothing is uploaded per iteration.
 *
 * Reductions run on a 2-D range: dimension 0 strides over rows in work-groups of WG, dimension 1
 * is the column (work-groups one column wide); value v of column k from group grp goes to
 * partial[(k * nslots + first + v) * get_num_groups(0) + grp] for the host to add.
 *
 * Built after linalg.cl and pdhg.cl (it uses wg_sums_store, clampd, halpern and the per-element
 * sums of the checks);
 * checked alone with `-include kernels/linalg.cl -include kernels/pdhg.cl`. */

REAL blk_weight(REAL g, REAL base)
{
    if (g < 0 || base < 0) return -1;
    const REAL d = g - base;
    return d / (d + 1);
}

/* Row `row` of A times column k of X, summed in CSR order (as the cpu backend does). */
REAL blk_row_dot(int row, global const int *row_ptr, global const int *col_idx, global const REAL *val,
                 global const REAL *x, int ld, int k)
{
    REAL s = 0;
    const int end = row_ptr[row + 1];
    for (int p = row_ptr[row]; p < end; p++) s += val[p] * x[col_idx[p] * ld + k];
    return s;
}

kernel void blk_primal(int n, int ld, int K, global const REAL *tau, global const REAL *x,
                       global const REAL *aty, global const REAL *c, global const REAL *q, int has_q,
                       global const REAL *lb, global const REAL *ub, global REAL *xh)
{
    const int t = (int)get_global_id(0);
    if (t >= n * K) return;
    const int k = t % K, e = (t / K) * ld + k;
    REAL v = x[e] - tau[k] * (c[e] - aty[e]);
    if (has_q) v /= 1 + tau[k] * q[e];
    xh[e] = clampd(v, lb[e], ub[e]);
}

kernel void blk_dual(int m, int ld, int K, global const int *row_ptr, global const int *col_idx,
                     global const REAL *val, global const REAL *xh, global const REAL *sigma,
                     global const REAL *base, REAL g, REAL gamma, global const REAL *rl,
                     global const REAL *ru, global REAL *y, global REAL *ax, global const REAL *y0,
                     global const REAL *ax0, global REAL *yh, global REAL *axh)
{
    const int t = (int)get_global_id(0);
    if (t >= m * K) return;
    const int k = t % K, i = t / K, e = i * ld + k;
    const REAL a = blk_row_dot(i, row_ptr, col_idx, val, xh, ld, k);
    const REAL s = sigma[k];
    const REAL v = 2 * a - ax[e];
    const REAL tt = y[e] / s - v;
    /* sigma (t - proj(t)): exactly 0 where the projection is inactive (see pdhg.cl) */
    const REAL h = s * (tt - clampd(tt, -ru[e], -rl[e]));
    axh[e] = a;
    yh[e] = h;
    const REAL w = blk_weight(g, base[k]);
    if (w >= 0) {
        y[e] = halpern(h, y[e], y0[e], w, gamma);
        ax[e] = halpern(a, ax[e], ax0[e], w, gamma);
    }
}

kernel void blk_adjoint(int n, int ld, int K, global const int *row_ptr, global const int *col_idx,
                        global const REAL *val, global const REAL *yh, global const REAL *base, REAL g,
                        REAL gamma, global const REAL *xh, global REAL *x, global const REAL *x0,
                        global REAL *aty, global const REAL *aty0, global REAL *atyh)
{
    const int t = (int)get_global_id(0);
    if (t >= n * K) return;
    const int k = t % K, j = t / K, e = j * ld + k;
    const REAL a = blk_row_dot(j, row_ptr, col_idx, val, yh, ld, k);
    atyh[e] = a;
    const REAL w = blk_weight(g, base[k]);
    if (w >= 0) {
        x[e] = halpern(xh[e], x[e], x0[e], w, gamma);
        aty[e] = halpern(a, aty[e], aty0[e], w, gamma);
    }
}

kernel void blk_halpern(int rows, int ld, int K, global const REAL *base, REAL g, REAL gamma,
                        global const REAL *h1, global REAL *z1, global const REAL *z01,
                        global const REAL *h2, global REAL *z2, global const REAL *z02)
{
    const int t = (int)get_global_id(0);
    if (t >= rows * K) return;
    const int k = t % K, e = (t / K) * ld + k;
    const REAL w = blk_weight(g, base[k]);
    if (w < 0) return;
    z1[e] = halpern(h1[e], z1[e], z01[e], w, gamma);
    z2[e] = halpern(h2[e], z2[e], z02[e], w, gamma);
}

kernel void blk_spmv(int rows, int ld, int K, global const int *row_ptr, global const int *col_idx,
                     global const REAL *val, global const REAL *x, global REAL *y)
{
    const int t = (int)get_global_id(0);
    if (t >= rows * K) return;
    const int k = t % K, i = t / K;
    y[i * ld + k] = blk_row_dot(i, row_ptr, col_idx, val, x, ld, k);
}

kernel void blk_sub(int rows, int ld, int K, global const REAL *a, global const REAL *b, global REAL *out)
{
    const int t = (int)get_global_id(0);
    if (t >= rows * K) return;
    const int e = (t / K) * ld + t % K;
    out[e] = a[e] - b[e];
}

/* dst(:, k) = src(:, map[k]) where map[k] >= 0 */
kernel void blk_copy_cols(int rows, int ld, int K, global const int *map, global const REAL *src,
                          global REAL *dst)
{
    const int t = (int)get_global_id(0);
    if (t >= rows * K) return;
    const int k = t % K, i = t / K, from = map[k];
    if (from >= 0) dst[i * ld + k] = src[i * ld + from];
}

/* The partial sums of column k start here. */
global REAL *blk_partial(global REAL *partial, int nslots)
{
    return partial + (int)get_global_id(1) * nslots * (int)get_num_groups(0);
}

kernel void blk_dot(int rows, int ld, global const REAL *x, global const REAL *y, global REAL *partial)
{
    local REAL scratch[WG];
    const int k = (int)get_global_id(1);
    REAL s = 0;
    for (int i = (int)get_global_id(0); i < rows; i += (int)get_global_size(0)) s += x[i * ld + k] * y[i * ld + k];
    const REAL acc[] = {s};
    wg_sums_store(scratch, acc, 1, blk_partial(partial, 1), 0);
}

/* Row sums of the stats: PRES2, DUAL_ROW, DY2, DYADX (as pdhg_stats_rows). */
kernel void blk_stats_rows(int m, int ld, global const REAL *axh, global const REAL *ax,
                           global const REAL *rl, global const REAL *ru, global const REAL *wr,
                           global const REAL *yh, global const REAL *y, global REAL *partial,
                           int nslots, int first)
{
    local REAL scratch[WG];
    const int k = (int)get_global_id(1);
    REAL acc[4] = {0, 0, 0, 0};
    for (int i = (int)get_global_id(0); i < m; i += (int)get_global_size(0)) {
        const int e = i * ld + k;
        stats_row_add(axh[e], ax[e], rl[e], ru[e], wr[e], yh[e], y[e], acc);
    }
    wg_sums_store(scratch, acc, 4, blk_partial(partial, nslots), first);
}

/* Column sums of the stats: DRES2, CX, XQX, DUAL_COL, DX2. */
kernel void blk_stats_cols(int n, int ld, global const REAL *xh, global const REAL *x,
                           global const REAL *c, global const REAL *q, int has_q,
                           global const REAL *atyh, global const REAL *lb, global const REAL *ub,
                           global const REAL *wc, global REAL *partial, int nslots, int first)
{
    local REAL scratch[WG];
    const int k = (int)get_global_id(1);
    REAL acc[5] = {0, 0, 0, 0, 0};
    for (int j = (int)get_global_id(0); j < n; j += (int)get_global_size(0)) {
        const int e = j * ld + k;
        stats_col_add(xh[e], x[e], c[e], has_q ? q[e] : 0, has_q, atyh[e], lb[e], ub[e], wc[e], acc);
    }
    wg_sums_store(scratch, acc, 5, blk_partial(partial, nslots), first);
}

/* Row sums of the ray stats: PRAY2, DY2, DSGN2, the row part of DRAY_OBJ. */
kernel void blk_ray_rows(int m, int ld, global const REAL *adx, global const REAL *dy,
                         global const REAL *rl, global const REAL *ru, global const REAL *wr,
                         global REAL *partial, int nslots, int first)
{
    local REAL scratch[WG];
    const int k = (int)get_global_id(1);
    REAL acc[4] = {0, 0, 0, 0};
    for (int i = (int)get_global_id(0); i < m; i += (int)get_global_size(0)) {
        const int e = i * ld + k;
        ray_row_add(adx[e], dy[e], rl[e], ru[e], wr[e], acc);
    }
    wg_sums_store(scratch, acc, 4, blk_partial(partial, nslots), first);
}

/* Column sums of the ray stats: DX2, CDX, QDX2, PBND2, DRAY2, the column part of DRAY_OBJ. */
kernel void blk_ray_cols(int n, int ld, global const REAL *dx, global const REAL *atdy,
                         global const REAL *c, global const REAL *q, int has_q,
                         global const REAL *lb, global const REAL *ub, global const REAL *wc,
                         global REAL *partial, int nslots, int first)
{
    local REAL scratch[WG];
    const int k = (int)get_global_id(1);
    REAL acc[6] = {0, 0, 0, 0, 0, 0};
    for (int j = (int)get_global_id(0); j < n; j += (int)get_global_size(0)) {
        const int e = j * ld + k;
        ray_col_add(dx[e], atdy[e], c[e], has_q ? q[e] : 0, has_q, lb[e], ub[e], wc[e], acc);
    }
    wg_sums_store(scratch, acc, 6, blk_partial(partial, nslots), first);
}
