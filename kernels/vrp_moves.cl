/* Insertion moves of the routing search, a batch per launch: one work-group per customer, its
 * work-items striding over the customer's moves (consecutive items read consecutive positions of
 * the struct-of-arrays), then a tree arg-min in local memory that keeps the lowest move index
 * among equal costs. The arithmetic is host/backend/cpu_vrp.c's, operation for operation, and
 * contraction into fma is off, so both give the same bits. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#ifndef WG
#define WG 64
#endif
#define VRP_EPS 1e-7

/* not fmax/fmin: their signed-zero and NaN choices may differ from the host's comparisons */
static double dmax(double a, double b) { return a > b ? a : b; }
static double dmin(double a, double b) { return a < b ? a : b; }

typedef struct seg5 { double dur, warp, early, late, dist; } seg5;

static seg5 join(seg5 a, seg5 b, double t, double dd)
{
    double delta = a.dur - a.warp + t;
    double wait = dmax(b.early - delta - a.late, 0.0);
    double warp = dmax(a.early + delta - b.late, 0.0);
    seg5 c;
    c.dur = a.dur + b.dur + t + wait;
    c.warp = a.warp + b.warp + warp;
    c.early = dmax(b.early - delta, a.early) - wait;
    c.late = dmin(b.late - delta, a.late) + warp;
    c.dist = a.dist + b.dist + dd;
    if (!(t < INFINITY)) c.warp = INFINITY;
    return c;
}

/* Route data: fixed, km, hour, maxdur, cost; loads and capacities [routes x dims]. */
#define ROUTE_ARGS __global const double *r_fixed, __global const double *r_km, __global const double *r_hour, \
    __global const double *r_maxdur, __global const double *r_cost, __global const double *r_load, \
    __global const double *r_cap

__kernel void vrp_best_insertions(const int k, const int n_pos, const int dims, const double extra,
                                  __global const double *time, __global const double *dist,
                                  __global const double *pre, /* 5 x n_pos: dur, warp, early, late, dist */
                                  __global const double *suf, /* 5 x n_pos */
                                  __global const int *pre_last, __global const int *suf_first,
                                  __global const int *pos_route, ROUTE_ARGS,
                                  __global const double *cust, /* 3 x n_cust: dur, early, late */
                                  __global const double *c_dem, __global const int *c_loc, const int n_cust,
                                  const int dense, __global const int *move_start, __global const int *move_pos,
                                  __global int *best, __global double *best_delta)
{
    __local double ld[WG];
    __local int li[WG];
    int c = get_group_id(0), lid = get_local_id(0);
    int lo = dense ? 0 : move_start[c], hi = dense ? n_pos : move_start[c + 1];
    int loc = c_loc[c];
    seg5 cs = {cust[c], 0.0, cust[n_cust + c], cust[2 * n_cust + c], 0.0};
    double bd = INFINITY;
    int bi = -1;
    for (int i = lo + lid; i < hi; i += WG) {
        int p = dense ? i : move_pos[i];
        if (p < 0) continue;
        int r = pos_route[p], fits = 1;
        for (int j = 0; j < dims; j++)
            if (r_load[r * dims + j] + c_dem[c * dims + j] > r_cap[r * dims + j] + VRP_EPS) fits = 0;
        if (!fits) continue;
        seg5 a = {pre[p], pre[n_pos + p], pre[2 * n_pos + p], pre[3 * n_pos + p], pre[4 * n_pos + p]};
        seg5 b = {suf[p], suf[n_pos + p], suf[2 * n_pos + p], suf[3 * n_pos + p], suf[4 * n_pos + p]};
        long in = (long)pre_last[p] * k + loc, out = (long)loc * k + suf_first[p];
        seg5 w = join(join(a, cs, time[in], dist[in]), b, time[out], dist[out]);
        if (!(w.warp <= VRP_EPS && w.dur <= r_maxdur[r] + VRP_EPS)) continue;
        double x = r_fixed[r] + r_km[r] * w.dist + r_hour[r] * w.dur + extra - r_cost[r];
        if (x < bd) bd = x, bi = i - lo; /* i rises per item: the first of equals stays */
    }
    ld[lid] = bd;
    li[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            double od = ld[lid + s];
            int oi = li[lid + s];
            if (oi >= 0 && (li[lid] < 0 || od < ld[lid] || (od == ld[lid] && oi < li[lid]))) ld[lid] = od, li[lid] = oi;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        best[c] = li[0];
        best_delta[c] = ld[0];
    }
}
