/* The backend interface: the only layer that knows whether work runs as OpenCL kernels or on the
 * CPU (OpenBLAS + OpenMP). Solvers call these operations and nothing else; every operation has the
 * same meaning on both backends, and tests compare them.
 *
 * Numbers are double (fp64): an OpenCL device without fp64 is refused at open time.
 * Indices are int32. Buffers are device memory; only the _read/_write calls touch host memory, and
 * reductions return a handful of scalars. Operations run in order (one in-order queue); results of
 * _read and reductions are complete when the call returns. */
#ifndef WEFT_BACKEND_H
#define WEFT_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "weft/context.h"

typedef struct weft_backend weft_backend;
typedef struct weft_buf weft_buf; /* defined by each backend */

typedef enum weft_elem { WEFT_REAL = 0, WEFT_INDEX = 1 } weft_elem; /* double, int32_t */

/* A CSR matrix on the device. */
typedef struct weft_dmat {
    int32_t rows, cols, nnz;
    weft_buf *row_ptr; /* INDEX, rows + 1 */
    weft_buf *col_idx; /* INDEX, nnz */
    weft_buf *val;     /* REAL, nnz */
} weft_dmat;

/* The state of one restarted-Halpern PDHG solve, as device buffers. The solver owns them; the
 * backend reads and writes them in the fused operations below. Names: h = the PDHG step's result
 * (x-hat), 0 = the Halpern anchor; ax = A x and aty = A' y are carried alongside x and y so that an
 * iteration needs one product with A and one with A'. */
typedef struct weft_pdhg_state {
    int32_t n, m;
    weft_dmat A, AT;       /* AT = A' in CSR (A in CSC) */
    weft_buf *c, *q;       /* n; q may be NULL (LP) */
    weft_buf *lb, *ub;     /* n; +-INFINITY allowed */
    weft_buf *rl, *ru;     /* m; +-INFINITY allowed */
    weft_buf *wr, *wc;     /* m, n: weights that unscale row (primal) and column (dual) residuals */
    weft_buf *x, *y, *ax, *aty;
    weft_buf *xh, *yh, *axh, *atyh;
    weft_buf *x0, *y0, *ax0, *aty0;
} weft_pdhg_state;

/* K problems that share A advanced together (host/lp/batch*.c): every vector of weft_pdhg_state
 * becomes a block of rows x K held row-major with leading dimension ld (element (i, k) at
 * i * ld + k), so a product reads each nonzero of A once and applies it to K contiguous values.
 * Only columns 0..K-1 are touched (K <= ld): the solver keeps active problems in the leading
 * columns, so a narrower batch costs less without moving whole blocks.
 * Per column k: tau[k], sigma[k] its step sizes and base[k] the iteration at which its Halpern
 * epoch began (the Halpern weight at iteration g is (g - base) / (g - base + 1), computed on the
 * device so nothing crosses to it per iteration); base[k] < 0: column k takes no Halpern update.
 * wr, wc are blocks too (1 / (tb d1), 1 / (tc d2) per problem) rather than shared 1 / d1, 1 / d2
 * with tb, tc applied on the host: they are read only by the stats of a check, so the memory they
 * cost is small, and every sum keeps the single solve's expression. */
typedef struct weft_pdhg_block {
    int32_t n, m, ld, K;
    weft_dmat A, AT;
    weft_buf *c, *q, *lb, *ub; /* n x ld; q NULL for LPs */
    weft_buf *rl, *ru;         /* m x ld */
    weft_buf *wr, *wc;         /* m x ld, n x ld */
    weft_buf *x, *y, *ax, *aty;
    weft_buf *xh, *yh, *axh, *atyh;
    weft_buf *x0, *y0, *ax0, *aty0;
    weft_buf *tau, *sigma, *base; /* ld each */
} weft_pdhg_block;

/* Sums returned by pdhg_stats, over the step's result (xh, yh) in scaled space. */
enum {
    WEFT_ST_PRES2 = 0, /* sum (wr_i (axh_i - proj_[rl,ru](axh_i)))^2 */
    WEFT_ST_DRES2,     /* sum (wc_j (g_j - lam_j))^2, g = c + q xh - atyh, lam = proj_Lambda_j(g) */
    WEFT_ST_CX,        /* c' xh */
    WEFT_ST_XQX,       /* 1/2 sum q_j xh_j^2 */
    WEFT_ST_DUAL_ROW,  /* sum_i (yh_i > 0 ? yh_i rl_i : yh_i ru_i); a term on an infinite bound is 0 */
    WEFT_ST_DUAL_COL,  /* sum_j (lam_j > 0 ? lam_j lb_j : lam_j ub_j); a term on an infinite bound is 0 */
    WEFT_ST_DX2,       /* ||xh - x||^2 */
    WEFT_ST_DY2,       /* ||yh - y||^2 */
    WEFT_ST_DYADX,     /* (yh - y)'(axh - ax) */
    WEFT_ST_COUNT
};
/* Lambda_j, the sign set of a reduced cost: [0,inf) if only lb finite, (-inf,0] if only ub finite,
 * R if both finite, {0} if neither. */

/* Sums returned by pdhg_ray_stats for a candidate ray (dx, adx = A dx) and (dy, atdy = A' dy).
 * R_i is the recession cone of [rl_i, ru_i]: {0} if both finite, [0,inf) if only rl finite,
 * (-inf,0] if only ru finite, R if neither; C_j likewise for [lb_j, ub_j].
 * S_i is the sign set of a row dual: dy_i > 0 is allowed iff rl_i is finite, dy_i < 0 iff ru_i is. */
enum {
    WEFT_RS_DX2 = 0,  /* ||dx||^2 */
    WEFT_RS_CDX,      /* c' dx */
    WEFT_RS_QDX2,     /* ||q . dx||^2 (0 if q is NULL) */
    WEFT_RS_PRAY2,    /* sum_i (wr_i (adx_i - proj_Ri(adx_i)))^2 */
    WEFT_RS_PBND2,    /* sum_j (dx_j - proj_Cj(dx_j))^2 */
    WEFT_RS_DY2,      /* ||dy||^2 */
    WEFT_RS_DRAY2,    /* sum_j (wc_j (g_j - proj_Lambda_j(g_j)))^2 with g = -atdy */
    WEFT_RS_DSGN2,    /* sum_i (dy_i - proj_Si(dy_i))^2 */
    WEFT_RS_DRAY_OBJ, /* sum_i (p_i > 0 ? p_i rl_i : p_i ru_i), p = proj_S(dy), 0 where p_i == 0
                         + sum_j (lam_j > 0 ? lam_j lb_j : lam_j ub_j), lam = proj_Lambda(g) */
    WEFT_RS_COUNT
};

/* A road graph on the device: CSR with travel time and length per edge. */
typedef struct weft_dgraph {
    int32_t n, m;
    weft_buf *row_ptr, *head;    /* INDEX: n + 1, m */
    weft_buf *time_s, *length_m; /* REAL: m, m; finite and >= 0 */
} weft_dgraph;

/* A batch of insertion moves of the routing search (host/route): customers x positions, where a
 * position is a place between a route's prefix and suffix, each summarised as in
 * host/route/segment.h (duration, time warp, earliest/latest start, distance, end location). A
 * move is checked in O(1): load fit, join prefix + customer + suffix, hard windows, duration.
 * Arrays are struct-of-arrays so a work-item per move reads consecutive entries. */
typedef struct weft_vrp_moves {
    int32_t n_pos, n_cust, n_routes, dims;
    const double *pre_dur, *pre_warp, *pre_early, *pre_late, *pre_dist; /* [n_pos] */
    const double *suf_dur, *suf_warp, *suf_early, *suf_late, *suf_dist; /* [n_pos] */
    const int32_t *pre_last, *suf_first, *pos_route;                    /* [n_pos] */
    /* per route: fixed cost, cost per distance unit, cost per duration unit, max duration, the
     * route's present cost (0 if empty); load and capacity [n_routes x dims] */
    const double *r_fixed, *r_km, *r_hour, *r_maxdur, *r_cost, *r_load, *r_cap;
    double extra; /* added to every route's cost (vehicles-first weight) */
    /* per customer: its single-visit summary, location and demand [n_cust x dims] */
    const double *c_dur, *c_early, *c_late, *c_dem;
    const int32_t *c_loc;
    /* customer i tries positions move_pos[move_start[i] .. move_start[i + 1] - 1] in that order
     * (an entry < 0 is skipped); move_start NULL: every customer tries every position 0..n_pos-1 */
    const int32_t *move_start, *move_pos;
} weft_vrp_moves;

/* A granular local-search neighbourhood of S routing solutions of one instance (host/route), to be
 * evaluated in one launch. Each solution is a set of routes; route r's positions 0..len+1 (0 and
 * len+1 its depot visits) are entries r_first[r] .. r_first[r] + len + 1 of the position arrays,
 * each with the summary of the route's prefix up to it and of its suffix from it (as in
 * host/route/segment.h), its location, customer (-1 at a depot) and the load of positions 1..i.
 * An item is one customer u of one solution; its moves are, for each of its first n_granular
 * neighbours v (j = 0, 1, ...) and each type t below, move j * WEFT_LS_TYPES + t, each checked in
 * O(1) from the summaries (O(route length) for the moves inside one route). */
enum {
    WEFT_LS_AFTER1 = 0, /* move u (and the next 0, 1, 2 customers: AFTER2, AFTER3) after v */
    WEFT_LS_BEFORE1,    /* ... before v */
    WEFT_LS_AFTER2,
    WEFT_LS_BEFORE2,
    WEFT_LS_AFTER3,
    WEFT_LS_BEFORE3,
    WEFT_LS_SWAP,       /* exchange u and v (different routes) */
    WEFT_LS_OPT_UV,     /* different routes: u's route keeps its start up to u and takes v's route
                           from v on (2-opt*); one route: reverse the stretch after u up to v or
                           after v up to u (2-opt) */
    WEFT_LS_OPT_VU,     /* 2-opt*: u's route keeps its start before u and takes v's route after v */
    WEFT_LS_TYPES
};

typedef struct weft_vrp_ls {
    int32_t n_sol, n_cust, n_routes, n_pos, dims;
    /* positions [n_pos]; p_load [n_pos x dims] */
    const double *pre_dur, *pre_warp, *pre_early, *pre_late, *pre_dist;
    const double *suf_dur, *suf_warp, *suf_early, *suf_late, *suf_dist;
    const int32_t *p_loc, *p_cust;
    const double *p_load;
    /* routes [n_routes] (all solutions back to back): first position, customers, fixed cost, cost
     * per distance unit, per duration unit, max duration, present cost (0 if empty); capacity
     * [n_routes x dims] */
    const int32_t *r_first, *r_len;
    const double *r_fixed, *r_km, *r_hour, *r_maxdur, *r_cost, *r_cap;
    double extra; /* added to every non-empty route's cost (vehicles-first weight) */
    /* customers [n_cust]: single-visit summary and location; demand [n_cust x dims]; neighbours
     * [n_cust x neigh_stride], the first n_granular of each row used */
    const double *c_dur, *c_early, *c_late, *c_dem;
    const int32_t *c_loc, *neigh;
    int32_t neigh_stride, n_granular;
    /* [n_sol x n_cust]: customer u of solution s is at position c_pos of route c_route (a global
     * route index; -1: unserved) */
    const int32_t *c_route, *c_pos;
    /* the items evaluated: s * n_cust + u */
    int32_t n_items;
    const int32_t *items;
} weft_vrp_ls;

typedef struct weft_vrp_dev weft_vrp_dev; /* a backend's travel matrices and scratch for moves */

typedef struct weft_backend_ops {
    const char *name; /* "cpu" or "opencl" */
    void (*destroy)(weft_backend *be);

    int (*buf_create)(weft_backend *be, weft_elem e, size_t count, const void *host, weft_buf **out);
    void (*buf_destroy)(weft_backend *be, weft_buf **b);
    int (*buf_read)(weft_backend *be, const weft_buf *b, size_t offset, size_t count, void *host);
    int (*buf_write)(weft_backend *be, weft_buf *b, size_t offset, size_t count, const void *host);

    /* REAL vectors of length n */
    int (*copy)(weft_backend *be, size_t n, const weft_buf *src, weft_buf *dst);
    int (*fill)(weft_backend *be, size_t n, double v, weft_buf *x);
    int (*axpby)(weft_backend *be, size_t n, double a, const weft_buf *x, double b, weft_buf *y); /* y = a x + b y */
    int (*dot)(weft_backend *be, size_t n, const weft_buf *x, const weft_buf *y, double *out);
    int (*spmv)(weft_backend *be, const weft_dmat *A, const weft_buf *x, weft_buf *y); /* y = A x */

    /* xh = proj_[lb,ub]((x - tau (c - aty)) / (1 + tau q)) */
    int (*pdhg_primal)(weft_backend *be, weft_pdhg_state *s, double tau);
    /* axh = A xh;  v = 2 axh - ax;
     * yh = y - sigma v - sigma proj_[-ru,-rl](y / sigma - v), computed as sigma (t - proj(t)) with
     *      t = y / sigma - v so that yh is exactly 0 where the projection is inactive
     * If w >= 0 also (in place, after yh is formed): y <- halpern(yh, y, y0), ax <- halpern(axh, ax, ax0);
     * halpern(h, z, z0) = w (gamma (2h - z) + (1 - gamma) z) + (1 - w) z0. w < 0: no update. */
    int (*pdhg_dual)(weft_backend *be, weft_pdhg_state *s, double sigma, double w, double gamma);
    /* atyh = A' yh; if w >= 0 also x <- halpern(xh, x, x0), aty <- halpern(atyh, aty, aty0). */
    int (*pdhg_adjoint)(weft_backend *be, weft_pdhg_state *s, double w, double gamma);
    /* The four Halpern updates above, on their own (used after a check). */
    int (*pdhg_halpern)(weft_backend *be, weft_pdhg_state *s, double w, double gamma);
    /* The WEFT_ST_* sums. */
    int (*pdhg_stats)(weft_backend *be, weft_pdhg_state *s, double out[WEFT_ST_COUNT]);
    /* The WEFT_RS_* sums for the ray candidate (dx, adx, dy, atdy). */
    int (*pdhg_ray_stats)(weft_backend *be, weft_pdhg_state *s, const weft_buf *dx,
                          const weft_buf *adx, const weft_buf *dy, const weft_buf *atdy,
                          double out[WEFT_RS_COUNT]);

    /* Blocked PDHG (weft_pdhg_block): the operations above, column by column, with column k's
     * tau[k], sigma[k] and Halpern weight from base[k] and g. g < 0: no column is updated (a check).
     * Stats write K x WEFT_ST_COUNT (ray stats K x WEFT_RS_COUNT) host doubles, column-major by
     * problem (out[k * WEFT_ST_COUNT + s]). */
    int (*blk_primal)(weft_backend *be, weft_pdhg_block *b);
    int (*blk_dual)(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
    int (*blk_adjoint)(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
    int (*blk_halpern)(weft_backend *be, weft_pdhg_block *b, double g, double gamma);
    int (*blk_stats)(weft_backend *be, weft_pdhg_block *b, double *out);
    int (*blk_ray_stats)(weft_backend *be, weft_pdhg_block *b, const weft_buf *dx, const weft_buf *adx,
                         const weft_buf *dy, const weft_buf *atdy, double *out);
    /* Blocks of rows x ld, columns 0..K-1: Y = A X; out = a - b; out[k] = x(:,k)'y(:,k);
     * dst(:,k) = src(:,map[k]) for each k with map[k] >= 0 (map: INDEX buffer of >= K; src may be
     * dst when no column is both read and written). */
    int (*blk_spmv)(weft_backend *be, const weft_dmat *A, int32_t ld, int32_t K, const weft_buf *x, weft_buf *y);
    int (*blk_sub)(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *a, const weft_buf *b,
                   weft_buf *out);
    int (*blk_dot)(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *x, const weft_buf *y,
                   double *out);
    int (*blk_copy_cols)(weft_backend *be, size_t rows, int32_t ld, int32_t K, const weft_buf *map,
                         const weft_buf *src, weft_buf *dst);
    /* Column k of a rows x ld block to or from a host array of rows doubles. */
    int (*blk_col_read)(weft_backend *be, const weft_buf *b, size_t rows, int32_t ld, int32_t k, double *host);
    int (*blk_col_write)(weft_backend *be, weft_buf *b, size_t rows, int32_t ld, int32_t k, const double *host);

    /* Shortest paths from ns sources to nt targets (node indices, host arrays) on a device graph.
     * time_out, dist_out: host ns x nt, row = source. The label is (time, metres) compared
     * lexicographically, so both backends give the same numbers bit for bit; +INFINITY where a
     * target is unreachable. */
    int (*sssp)(weft_backend *be, const weft_dgraph *g, const int32_t *sources, int32_t ns,
                const int32_t *targets, int32_t nt, double *time_out, double *dist_out);

    /* Routing moves. vrp_open keeps the k x k travel time and distance matrices (row = from);
     * vrp_best_insertions writes, per customer, the index in its move list of its cheapest
     * feasible move (the lowest index among equal costs; -1 if none) and that move's cost change
     * (+INFINITY if none). Both backends give the same numbers bit for bit. */
    int (*vrp_open)(weft_backend *be, int32_t k, const double *time, const double *dist, weft_vrp_dev **out);
    int (*vrp_best_insertions)(weft_backend *be, weft_vrp_dev *d, const weft_vrp_moves *m, int32_t *best,
                               double *delta);
    /* Local search on d (opened by vrp_open): per item, the lowest-numbered of its feasible moves
     * with the least cost change (-1 and +INFINITY if none). Both backends give the same bits. */
    int (*vrp_ls_best)(weft_backend *be, weft_vrp_dev *d, const weft_vrp_ls *ls, int32_t *best, double *delta);
    void (*vrp_close)(weft_backend *be, weft_vrp_dev **d);
} weft_backend_ops;

struct weft_backend {
    const weft_backend_ops *ops;
    weft_context *ctx;
    char description[128]; /* e.g. "cpu (OpenBLAS 0.3.21, 2 threads)" or "opencl: NVIDIA H200" */
};

/* Open the backend named by spec ("auto", "cpu", "cl:gpu", "cl:cpu", "cl:P:D"). A forced OpenCL
 * spec fails with WEFT_ERR_DEVICE when it cannot be met; "auto" falls back to cpu and says so. */
int weft_backend_open(weft_context *ctx, const char *spec, weft_backend **out);
void weft_backend_close(weft_backend **be);

int weft_backend_cpu_open(weft_context *ctx, weft_backend **out);
/* Returns WEFT_ERR_DEVICE (with the reason on the context) when no matching fp64 device exists. */
int weft_backend_opencl_open(weft_context *ctx, const char *spec, weft_backend **out);

/* Upload a host CSR matrix. On failure nothing is left allocated. */
int weft_dmat_upload(weft_backend *be, int32_t rows, int32_t cols, const int32_t *row_ptr,
                     const int32_t *col_idx, const double *val, weft_dmat *out);
void weft_dmat_release(weft_backend *be, weft_dmat *A);

/* Upload a host road graph (CSR). On failure nothing is left allocated. */
int weft_dgraph_upload(weft_backend *be, int32_t n, const int32_t *row_ptr, const int32_t *head,
                       const double *time_s, const double *length_m, weft_dgraph *out);
void weft_dgraph_release(weft_backend *be, weft_dgraph *g);

#endif
