/* Insertion moves of the routing search, a batch per launch: one work-group per customer, its
 * work-items striding over the customer's moves (consecutive items read consecutive positions of
 * the struct-of-arrays), then a tree arg-min in local memory that keeps the lowest move index
 * among equal costs. The arithmetic is host/route/segment.h's join (which cpu_vrp.c calls),
 * operation for operation, and contraction into fma is off, so both give the same bits. */
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

/* A batch arrives as two packed arrays (one write each), laid out as host/backend/opencl_vrp.c
 * packs them; n = n_pos, r = n_routes, c = n_cust, D = dims:
 *   dv: pre dur, warp, early, late, dist [5 n] | suf the same [5 n] | route fixed, km, hour, maxdur,
 *       cost [5 r] | route load [r D] | capacity [r D] | customer dur, early, late [3 c] | demand [c D]
 *   iv: pre_last [n] | suf_first [n] | pos_route [n] | c_loc [c] | move_start [c + 1] | move_pos
 * out[2 i] is customer i's best cost change, out[2 i + 1] its move index (-1: none), as doubles. */
__kernel void vrp_best_insertions(const int k, const int n_pos, const int n_routes, const int dims, const int n_cust,
                                  const int dense, const double extra, __global const double *time,
                                  __global const double *dist, __global const double *dv, __global const int *iv,
                                  __global double *out)
{
    __global const double *pre = dv, *suf = dv + 5 * (long)n_pos, *route = suf + 5 * (long)n_pos;
    __global const double *r_fixed = route, *r_km = route + n_routes, *r_hour = route + 2 * n_routes;
    __global const double *r_maxdur = route + 3 * n_routes, *r_cost = route + 4 * n_routes;
    __global const double *r_load = route + 5 * n_routes, *r_cap = r_load + (long)n_routes * dims;
    __global const double *cust = r_cap + (long)n_routes * dims, *c_dem = cust + 3 * (long)n_cust;
    __global const int *pre_last = iv, *suf_first = iv + n_pos, *pos_route = iv + 2 * (long)n_pos;
    __global const int *c_loc = iv + 3 * (long)n_pos, *move_start = c_loc + n_cust, *move_pos = move_start + n_cust + 1;
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
        out[2 * c] = ld[0];
        out[2 * c + 1] = (double)li[0];
    }
}
