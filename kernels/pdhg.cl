/* Fused kernels of one restarted-Halpern PDHG iteration (host/backend/backend.h gives the exact
 * meaning of each). One kernel per step so that an iteration reads each vector about once:
 * the dual and adjoint steps carry their SpMV, the Halpern update rides along when w >= 0, and the
 * checks are multi-value work-group reductions writing per-group partial sums (value k of a
 * kernel goes to partial[(first + k) * get_num_groups(0) + group]) that the host adds, so that the
 * row and column kernels of one check fill one buffer and the host reads it once.
 *
 * Built after linalg.cl in the same program (it uses its defaults, wg_sums_store and csr_row_dot);
 * checked alone with `-include kernels/linalg.cl` (.ci/check-kernels). */
/* REAL, WG, fp64 and FP_CONTRACT OFF come from linalg.cl. */

/* The same expressions, in the same order, as host/backend/cpu.c: results then agree bit for bit
 * wherever no sum is reordered. */
REAL clampd(REAL v, REAL lo, REAL hi) { return v < lo ? lo : (v > hi ? hi : v); }

REAL halpern(REAL h, REAL z, REAL z0, REAL w, REAL g)
{
    return w * (g * (2 * h - z) + (1 - g) * z) + (1 - w) * z0;
}

/* Projection of a reduced cost onto its sign set Lambda_j. */
REAL proj_lambda(REAL g, REAL lb, REAL ub)
{
    const int lf = isfinite(lb), uf = isfinite(ub);
    if (lf && uf) return g;
    if (lf) return g > 0 ? g : 0;
    if (uf) return g < 0 ? g : 0;
    return 0;
}

/* v lo for v > 0, v up for v < 0; an infinite bound contributes nothing (as in cpu.c). */
REAL bound_term(REAL v, REAL lo, REAL up)
{
    if (v > 0 && isfinite(lo)) return v * lo;
    if (v < 0 && isfinite(up)) return v * up;
    return 0;
}

/* Projection onto the recession cone of [lo, up]. */
REAL proj_recession(REAL v, REAL lo, REAL up)
{
    const int lf = isfinite(lo), uf = isfinite(up);
    if (lf && uf) return 0;
    if (lf) return v > 0 ? v : 0;
    if (uf) return v < 0 ? v : 0;
    return v;
}

/* Projection of a row dual onto its sign set: positive needs rl finite, negative ru finite. */
REAL proj_sign(REAL v, REAL rl, REAL ru)
{
    if (v > 0) return isfinite(rl) ? v : 0;
    if (v < 0) return isfinite(ru) ? v : 0;
    return 0;
}

/* xh = proj_[lb,ub]((x - tau (c - aty)) / (1 + tau q)); q is read only if has_q. */
kernel void pdhg_primal(int n, REAL tau, global const REAL *x, global const REAL *aty,
                        global const REAL *c, global const REAL *q, int has_q,
                        global const REAL *lb, global const REAL *ub, global REAL *xh)
{
    const int j = (int)get_global_id(0);
    if (j >= n) return;
    REAL v = x[j] - tau * (c[j] - aty[j]);
    if (has_q) v /= 1 + tau * q[j];
    xh[j] = clampd(v, lb[j], ub[j]);
}

/* axh = A xh; yh = y - sigma v - sigma proj_[-ru,-rl](y / sigma - v) with v = 2 axh - ax;
 * if w >= 0, y and ax take their Halpern update in place. */
kernel void pdhg_dual(int m, global const int *row_ptr, global const int *col_idx,
                      global const REAL *val, int vw, global const REAL *xh, REAL sigma, REAL w,
                      REAL gamma, global const REAL *rl, global const REAL *ru,
                      global REAL *y, global REAL *ax, global const REAL *y0,
                      global const REAL *ax0, global REAL *yh, global REAL *axh)
{
    local REAL scratch[WG];
    const csr_row_result r = csr_row_dot(m, row_ptr, col_idx, val, xh, vw, scratch);
    if (!r.lead || r.row >= m) return;
    const int i = r.row;
    const REAL a = r.sum;
    const REAL v = 2 * a - ax[i];
    const REAL t = y[i] / sigma - v;
    /* sigma (t - proj(t)), not y - sigma v - sigma proj(t): equal in exact arithmetic, but this
     * form is exactly 0 where the projection is inactive, so no rounding residue meets an
     * infinite bound in the dual objective */
    const REAL h = sigma * (t - clampd(t, -ru[i], -rl[i]));
    axh[i] = a;
    yh[i] = h;
    if (w >= 0) {
        y[i] = halpern(h, y[i], y0[i], w, gamma);
        ax[i] = halpern(a, ax[i], ax0[i], w, gamma);
    }
}

/* atyh = A' yh (AT in CSR); if w >= 0, x and aty take their Halpern update in place. */
kernel void pdhg_adjoint(int n, global const int *row_ptr, global const int *col_idx,
                         global const REAL *val, int vw, global const REAL *yh, REAL w, REAL gamma,
                         global const REAL *xh, global REAL *x, global const REAL *x0,
                         global REAL *aty, global const REAL *aty0, global REAL *atyh)
{
    local REAL scratch[WG];
    const csr_row_result r = csr_row_dot(n, row_ptr, col_idx, val, yh, vw, scratch);
    if (!r.lead || r.row >= n) return;
    const int j = r.row;
    atyh[j] = r.sum;
    if (w >= 0) {
        x[j] = halpern(xh[j], x[j], x0[j], w, gamma);
        aty[j] = halpern(r.sum, aty[j], aty0[j], w, gamma);
    }
}

/* z1 <- halpern(h1, z1, z01) and z2 <- halpern(h2, z2, z02): (y, ax) over rows, (x, aty) over
 * columns. */
kernel void pdhg_halpern(int n, REAL w, REAL gamma, global const REAL *h1, global REAL *z1,
                         global const REAL *z01, global const REAL *h2, global REAL *z2,
                         global const REAL *z02)
{
    const int i = (int)get_global_id(0);
    if (i >= n) return;
    z1[i] = halpern(h1[i], z1[i], z01[i], w, gamma);
    z2[i] = halpern(h2[i], z2[i], z02[i], w, gamma);
}

/* One element's terms of the check and ray sums, shared with pdhg_batch.cl so the blocked
 * solver sums the same expressions. acc is added to in the order of each kernel's partials. */
void stats_row_add(REAL axh, REAL ax, REAL rl, REAL ru, REAL wr, REAL yh, REAL y, REAL *acc)
{
    const REAL r = wr * (axh - clampd(axh, rl, ru));
    acc[0] += r * r;
    acc[1] += bound_term(yh, rl, ru);
    const REAL d = yh - y;
    acc[2] += d * d;
    acc[3] += d * (axh - ax);
}

void stats_col_add(REAL xh, REAL x, REAL c, REAL q, int has_q, REAL atyh, REAL lb, REAL ub, REAL wc,
                   REAL *acc)
{
    const REAL qx = has_q ? q * xh : 0;
    const REAL g = c + qx - atyh;
    const REAL lam = proj_lambda(g, lb, ub);
    const REAL r = wc * (g - lam);
    acc[0] += r * r;
    acc[1] += c * xh;
    acc[2] += 0.5 * qx * xh;
    acc[3] += bound_term(lam, lb, ub);
    const REAL d = xh - x;
    acc[4] += d * d;
}

void ray_row_add(REAL adx, REAL dy, REAL rl, REAL ru, REAL wr, REAL *acc)
{
    const REAL r = wr * (adx - proj_recession(adx, rl, ru));
    acc[0] += r * r;
    acc[1] += dy * dy;
    const REAL p = proj_sign(dy, rl, ru);
    acc[2] += (dy - p) * (dy - p);
    acc[3] += bound_term(p, rl, ru);
}

void ray_col_add(REAL dx, REAL atdy, REAL c, REAL q, int has_q, REAL lb, REAL ub, REAL wc, REAL *acc)
{
    acc[0] += dx * dx;
    acc[1] += c * dx;
    if (has_q) acc[2] += (q * dx) * (q * dx);
    const REAL b = dx - proj_recession(dx, lb, ub);
    acc[3] += b * b;
    const REAL g = -atdy;
    const REAL lam = proj_lambda(g, lb, ub);
    const REAL r = wc * (g - lam);
    acc[4] += r * r;
    acc[5] += bound_term(lam, lb, ub);
}

/* Row sums of pdhg_stats: PRES2, DUAL_ROW, DY2, DYADX (in that order in partial). */
kernel void pdhg_stats_rows(int m, global const REAL *axh, global const REAL *ax,
                            global const REAL *rl, global const REAL *ru, global const REAL *wr,
                            global const REAL *yh, global const REAL *y, global REAL *partial, int first)
{
    local REAL scratch[WG];
    REAL acc[4] = {0, 0, 0, 0};
    for (int i = (int)get_global_id(0); i < m; i += (int)get_global_size(0))
        stats_row_add(axh[i], ax[i], rl[i], ru[i], wr[i], yh[i], y[i], acc);
    wg_sums_store(scratch, acc, 4, partial, first);
}

/* Column sums of pdhg_stats: DRES2, CX, XQX, DUAL_COL, DX2. */
kernel void pdhg_stats_cols(int n, global const REAL *xh, global const REAL *x,
                            global const REAL *c, global const REAL *q, int has_q,
                            global const REAL *atyh, global const REAL *lb, global const REAL *ub,
                            global const REAL *wc, global REAL *partial, int first)
{
    local REAL scratch[WG];
    REAL acc[5] = {0, 0, 0, 0, 0};
    for (int j = (int)get_global_id(0); j < n; j += (int)get_global_size(0))
        stats_col_add(xh[j], x[j], c[j], has_q ? q[j] : 0, has_q, atyh[j], lb[j], ub[j], wc[j], acc);
    wg_sums_store(scratch, acc, 5, partial, first);
}

/* Row sums of pdhg_ray_stats: PRAY2, DY2, DSGN2, the row part of DRAY_OBJ. */
kernel void pdhg_ray_rows(int m, global const REAL *adx, global const REAL *dy,
                          global const REAL *rl, global const REAL *ru, global const REAL *wr,
                          global REAL *partial, int first)
{
    local REAL scratch[WG];
    REAL acc[4] = {0, 0, 0, 0};
    for (int i = (int)get_global_id(0); i < m; i += (int)get_global_size(0))
        ray_row_add(adx[i], dy[i], rl[i], ru[i], wr[i], acc);
    wg_sums_store(scratch, acc, 4, partial, first);
}

/* Column sums of pdhg_ray_stats: DX2, CDX, QDX2, PBND2, DRAY2, the column part of DRAY_OBJ. */
kernel void pdhg_ray_cols(int n, global const REAL *dx, global const REAL *atdy,
                          global const REAL *c, global const REAL *q, int has_q,
                          global const REAL *lb, global const REAL *ub, global const REAL *wc,
                          global REAL *partial, int first)
{
    local REAL scratch[WG];
    REAL acc[6] = {0, 0, 0, 0, 0, 0};
    for (int j = (int)get_global_id(0); j < n; j += (int)get_global_size(0))
        ray_col_add(dx[j], atdy[j], c[j], has_q ? q[j] : 0, has_q, lb[j], ub[j], wc[j], acc);
    wg_sums_store(scratch, acc, 6, partial, first);
}
