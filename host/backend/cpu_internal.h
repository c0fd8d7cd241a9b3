/* Private pieces of the CPU backend shared by cpu.c (single-vector operations) and cpu_batch.c
 * (the blocked PDHG): the buffer layout, the parallel thresholds and the scalar helpers of the
 * PDHG steps, so both compute every element with the same expression. */
#ifndef WEFT_BACKEND_CPU_INTERNAL_H
#define WEFT_BACKEND_CPU_INTERNAL_H

#include <math.h>

#include "backend/backend.h"

struct weft_buf {
    size_t count;
    weft_elem elem;
    union { double *r; int32_t *i; void *p; } d;
};

/* Below these sizes a loop runs on one thread: a fork-join costs microseconds on an idle machine
 * and milliseconds when another process holds a core (the barrier waits for a descheduled thread),
 * while a serial pass over 256k nonzeros takes about 0.3 ms. */
enum { PAR_MIN_NNZ = 1 << 18, PAR_MIN_VEC = 1 << 17 };

#define RB(b) ((b)->d.r)
#define IB(b) ((b)->d.i)

static inline double clampd(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }
static inline double halpern(double h, double z, double z0, double w, double g)
{
    return w * (g * (2 * h - z) + (1 - g) * z) + (1 - w) * z0;
}

/* Projection of a reduced cost onto its sign set Lambda_j (see backend.h). */
static inline double proj_lambda(double g, double lb, double ub)
{
    int lf = isfinite(lb), uf = isfinite(ub);
    if (lf && uf) return g;
    if (lf) return g > 0 ? g : 0;
    if (uf) return g < 0 ? g : 0;
    return 0;
}

/* v lo for v > 0, v up for v < 0; an infinite bound contributes nothing (the sign sets keep v
 * zero there, so only rounding could put a value on that side). */
static inline double bound_term(double v, double lo, double up)
{
    if (v > 0 && isfinite(lo)) return v * lo;
    if (v < 0 && isfinite(up)) return v * up;
    return 0;
}

/* Projection onto the recession cone of [lo, up]. */
static inline double proj_recession(double v, double lo, double up)
{
    int lf = isfinite(lo), uf = isfinite(up);
    if (lf && uf) return 0;
    if (lf) return v > 0 ? v : 0;
    if (uf) return v < 0 ? v : 0;
    return v;
}

/* Projection of a row dual onto its sign set S_i: positive needs rl finite, negative ru finite. */
static inline double proj_sign(double v, double rl, double ru)
{
    if (v > 0) return isfinite(rl) ? v : 0;
    if (v < 0) return isfinite(ru) ? v : 0;
    return 0;
}

/* One element's terms of the check sums, added to acc[WEFT_ST_*] (rows, then columns), and of
 * the ray sums, added to acc[WEFT_RS_*]: shared by cpu.c's single-problem sums and cpu_batch.c's
 * per-column ones, so both add the same expressions in the same order. */
static inline void st_row_add(double axh, double ax, double rl, double ru, double wr, double yh, double y,
                              double *acc)
{
    double r = wr * (axh - clampd(axh, rl, ru));
    acc[WEFT_ST_PRES2] += r * r;
    acc[WEFT_ST_DUAL_ROW] += bound_term(yh, rl, ru);
    double d = yh - y;
    acc[WEFT_ST_DY2] += d * d;
    acc[WEFT_ST_DYADX] += d * (axh - ax);
}

static inline void st_col_add(double xh, double x, double c, const double *q, double atyh, double lb, double ub,
                              double wc, double *acc)
{
    double qx = q ? *q * xh : 0;
    double g = c + qx - atyh;
    double lam = proj_lambda(g, lb, ub);
    double r = wc * (g - lam);
    acc[WEFT_ST_DRES2] += r * r;
    acc[WEFT_ST_CX] += c * xh;
    acc[WEFT_ST_XQX] += 0.5 * qx * xh;
    acc[WEFT_ST_DUAL_COL] += bound_term(lam, lb, ub);
    double d = xh - x;
    acc[WEFT_ST_DX2] += d * d;
}

static inline void rs_row_add(double adx, double dy, double rl, double ru, double wr, double *acc)
{
    double r = wr * (adx - proj_recession(adx, rl, ru));
    acc[WEFT_RS_PRAY2] += r * r;
    acc[WEFT_RS_DY2] += dy * dy;
    double p = proj_sign(dy, rl, ru);
    acc[WEFT_RS_DSGN2] += (dy - p) * (dy - p);
    acc[WEFT_RS_DRAY_OBJ] += bound_term(p, rl, ru);
}

static inline void rs_col_add(double dx, double atdy, double c, const double *q, double lb, double ub, double wc,
                              double *acc)
{
    acc[WEFT_RS_DX2] += dx * dx;
    acc[WEFT_RS_CDX] += c * dx;
    if (q) acc[WEFT_RS_QDX2] += (*q * dx) * (*q * dx);
    double b = dx - proj_recession(dx, lb, ub);
    acc[WEFT_RS_PBND2] += b * b;
    double g = -atdy;
    double lam = proj_lambda(g, lb, ub);
    double r = wc * (g - lam);
    acc[WEFT_RS_DRAY2] += r * r;
    acc[WEFT_RS_DRAY_OBJ] += bound_term(lam, lb, ub);
}

/* Whether a blocked PDHG step runs on all threads is decided by timing it both ways (see
 * cpu_batch.c): per step, moving averages of a call's wall time serial [0] and parallel [1]. */
typedef struct weft_cpu_par {
    double t[2];
    int n[2];
    long calls;
} weft_cpu_par;

/* The backend's timing state of blocked step `op` (0: dual, 1: adjoint, 2: primal). */
weft_cpu_par *weft_cpu_par_state(weft_backend *be, int op);

/* The blocked PDHG operations (backend.h, blk_*), in cpu_batch.c. */
int weft_cpu_blk_primal(weft_backend *be, weft_pdhg_block *b);
int weft_cpu_blk_dual(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
int weft_cpu_blk_adjoint(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
int weft_cpu_blk_halpern(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
int weft_cpu_blk_stats(weft_backend *be, weft_pdhg_block *b, double *out);
int weft_cpu_blk_ray_stats(weft_backend *be, weft_pdhg_block *b, const weft_buf *dx, const weft_buf *adx,
                           const weft_buf *dy, const weft_buf *atdy, double *out);
int weft_cpu_blk_spmv(weft_backend *be, const weft_dmat *A, int32_t ld, int32_t K, const weft_buf *x, weft_buf *y);
int weft_cpu_blk_sub(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *a, const weft_buf *b,
                     weft_buf *out);
int weft_cpu_blk_dot(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *x, const weft_buf *y,
                     double *out);
int weft_cpu_blk_copy_cols(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *map,
                           const weft_buf *src, weft_buf *dst);
int weft_cpu_blk_col_read(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k, double *host);
int weft_cpu_blk_col_write(weft_backend *be, weft_buf *b, size_t rows, int32_t ld, int32_t k, const double *host);

#endif
