/* The local-search neighbourhood of the routing search (backend.h, vrp_ls_best): one work-group
 * per item (a customer u of one solution), its work-items striding over u's moves (neighbour j,
 * type t), then a tree arg-min in local memory that keeps the lowest move index among equal costs.
 * Every move is host/backend/cpu_vrp_ls.c's, operation for operation (that file is the reference
 * and says what each move is), with contraction into fma off, so both give the same bits. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#ifndef WG
#define WG 64
#endif
#define VRP_EPS 1e-7
/* backend.h's move numbering; the host passes its own values */
#ifndef LS_TYPES
#define LS_TYPES 9
#endif
#ifndef LS_SWAP
#define LS_SWAP 6
#endif
#ifndef LS_OPT_UV
#define LS_OPT_UV 7
#endif

static double dmax(double a, double b) { return a > b ? a : b; }
static double dmin(double a, double b) { return a < b ? a : b; }

typedef struct seg { double dur, warp, early, late, dist; int first, last; } seg;

/* The problem as packed by host/backend/opencl_vrp_ls.c (see there for the layout). */
typedef struct ls_in {
    int k, n_cust, n_pos, n_routes, dims, stride;
    double extra;
    __global const double *time, *dist;
    __global const double *pre, *suf, *p_load, *r_fixed, *r_km, *r_hour, *r_maxdur, *r_cost, *r_cap;
    __global const double *c_dur, *c_early, *c_late, *c_dem;
    __global const int *p_loc, *p_cust, *r_first, *r_len, *c_loc, *neigh, *c_route, *c_pos;
} ls_in;

static seg join(const ls_in *m, seg a, seg b)
{
    long e = (long)a.last * m->k + b.first;
    double t = m->time[e];
    double delta = a.dur - a.warp + t;
    double wait = dmax(b.early - delta - a.late, 0.0);
    double warp = dmax(a.early + delta - b.late, 0.0);
    seg c;
    c.dur = a.dur + b.dur + t + wait;
    c.warp = a.warp + b.warp + warp;
    c.early = dmax(b.early - delta, a.early) - wait;
    c.late = dmin(b.late - delta, a.late) + warp;
    c.dist = a.dist + b.dist + m->dist[e];
    if (!(t < INFINITY)) c.warp = INFINITY;
    c.first = a.first;
    c.last = b.last;
    return c;
}

static seg pre_at(const ls_in *m, int r, int i)
{
    int p = m->r_first[r] + i, n = m->n_pos;
    seg g = {m->pre[p], m->pre[n + p], m->pre[2 * n + p], m->pre[3 * n + p], m->pre[4 * n + p], m->p_loc[p], m->p_loc[p]};
    return g;
}

static seg suf_at(const ls_in *m, int r, int i)
{
    int p = m->r_first[r] + i, n = m->n_pos;
    seg g = {m->suf[p], m->suf[n + p], m->suf[2 * n + p], m->suf[3 * n + p], m->suf[4 * n + p], m->p_loc[p], m->p_loc[p]};
    return g;
}

static seg cust_seg(const ls_in *m, int c)
{
    seg g = {m->c_dur[c], 0.0, m->c_early[c], m->c_late[c], 0.0, m->c_loc[c], m->c_loc[c]};
    return g;
}

static seg range_seg(const ls_in *m, int r, int i, int j)
{
    int f = m->r_first[r];
    seg g = cust_seg(m, m->p_cust[f + i]);
    for (int p = i + 1; p <= j; p++) g = join(m, g, cust_seg(m, m->p_cust[f + p]));
    return g;
}

static seg reversed_seg(const ls_in *m, int r, int i, int j)
{
    int f = m->r_first[r];
    seg g = cust_seg(m, m->p_cust[f + j]);
    for (int p = j - 1; p >= i; p--) g = join(m, g, cust_seg(m, m->p_cust[f + p]));
    return g;
}

static double seq_cost(const ls_in *m, int r, seg w, int n)
{
    if (n == 0) return 0.0;
    if (!(w.warp <= VRP_EPS && w.dur <= m->r_maxdur[r] + VRP_EPS)) return INFINITY;
    return m->r_fixed[r] + m->r_km[r] * w.dist + m->r_hour[r] * w.dur + m->extra;
}

static double load_at(const ls_in *m, int r, int i, int d) { return m->p_load[(long)(m->r_first[r] + i) * m->dims + d]; }

static int over_cap(const ls_in *m, int r, int d, double load) { return load > m->r_cap[(long)r * m->dims + d] + VRP_EPS; }

static double pair_delta(const ls_in *m, int ra, double ca, int rb, double cb) { return ca + cb - m->r_cost[ra] - m->r_cost[rb]; }

static double chain_inter(const ls_in *m, int ra, int pu, int len, int rb, int pv)
{
    int pe = pu + len - 1;
    if (pe > m->r_len[ra]) return INFINITY;
    for (int d = 0; d < m->dims; d++)
        if (over_cap(m, rb, d, load_at(m, ra, pe, d) - load_at(m, ra, pu - 1, d) + load_at(m, rb, m->r_len[rb], d)))
            return INFINITY;
    seg na = join(m, pre_at(m, ra, pu - 1), suf_at(m, ra, pe + 1));
    seg nb = join(m, join(m, pre_at(m, rb, pv), range_seg(m, ra, pu, pe)), suf_at(m, rb, pv + 1));
    return pair_delta(m, ra, seq_cost(m, ra, na, m->r_len[ra] - len), rb, seq_cost(m, rb, nb, m->r_len[rb] + len));
}

static double swap_inter(const ls_in *m, int ra, int pu, int rb, int pv)
{
    int u = m->p_cust[m->r_first[ra] + pu], v = m->p_cust[m->r_first[rb] + pv];
    for (int d = 0; d < m->dims; d++) {
        double du = m->c_dem[(long)u * m->dims + d], dv = m->c_dem[(long)v * m->dims + d];
        if (over_cap(m, ra, d, load_at(m, ra, m->r_len[ra], d) - du + dv) ||
            over_cap(m, rb, d, load_at(m, rb, m->r_len[rb], d) - dv + du))
            return INFINITY;
    }
    seg na = join(m, join(m, pre_at(m, ra, pu - 1), cust_seg(m, v)), suf_at(m, ra, pu + 1));
    seg nb = join(m, join(m, pre_at(m, rb, pv - 1), cust_seg(m, u)), suf_at(m, rb, pv + 1));
    return pair_delta(m, ra, seq_cost(m, ra, na, m->r_len[ra]), rb, seq_cost(m, rb, nb, m->r_len[rb]));
}

static double opt_star(const ls_in *m, int ra, int pa, int rb, int pb)
{
    int la = m->r_len[ra], lb = m->r_len[rb];
    seg ea = suf_at(m, ra, la + 1), eb = suf_at(m, rb, lb + 1);
    if (ea.first != eb.first || ea.early != eb.early || ea.late != eb.late) return INFINITY;
    for (int d = 0; d < m->dims; d++) {
        double a1 = load_at(m, ra, pa, d), b1 = load_at(m, rb, pb, d);
        if (over_cap(m, ra, d, a1 + load_at(m, rb, lb, d) - b1) || over_cap(m, rb, d, b1 + load_at(m, ra, la, d) - a1))
            return INFINITY;
    }
    seg na = join(m, pre_at(m, ra, pa), suf_at(m, rb, pb + 1));
    seg nb = join(m, pre_at(m, rb, pb), suf_at(m, ra, pa + 1));
    return pair_delta(m, ra, seq_cost(m, ra, na, pa + lb - pb), rb, seq_cost(m, rb, nb, pb + la - pa));
}

static double chain_intra(const ls_in *m, int r, int pu, int len, int pv)
{
    int pe = pu + len - 1;
    if (pe > m->r_len[r] || (pv >= pu - 1 && pv <= pe)) return INFINITY;
    seg chain = range_seg(m, r, pu, pe), w;
    if (pv < pu) w = join(m, join(m, join(m, pre_at(m, r, pv), chain), range_seg(m, r, pv + 1, pu - 1)), suf_at(m, r, pe + 1));
    else w = join(m, join(m, join(m, pre_at(m, r, pu - 1), range_seg(m, r, pe + 1, pv)), chain), suf_at(m, r, pv + 1));
    return seq_cost(m, r, w, m->r_len[r]) - m->r_cost[r];
}

static double reverse_intra(const ls_in *m, int r, int i, int j)
{
    seg w = join(m, join(m, pre_at(m, r, i - 1), reversed_seg(m, r, i, j)), suf_at(m, r, j + 1));
    return seq_cost(m, r, w, m->r_len[r]) - m->r_cost[r];
}

static double move_delta(const ls_in *m, int s, int ru, int pu, int u, int mv)
{
    int t = mv % LS_TYPES, v = m->neigh[(long)u * m->stride + mv / LS_TYPES];
    long iv = (long)s * m->n_cust + v;
    int rv = m->c_route[iv], pv = m->c_pos[iv];
    if (rv < 0) return INFINITY;
    int len = 1 + t / 2, after = t % 2 == 0;
    if (ru != rv) {
        if (t < LS_SWAP) return chain_inter(m, ru, pu, len, rv, after ? pv : pv - 1);
        if (t == LS_SWAP) return swap_inter(m, ru, pu, rv, pv);
        if (t == LS_OPT_UV) return opt_star(m, ru, pu, rv, pv - 1);
        return opt_star(m, ru, pu - 1, rv, pv);
    }
    if (t < LS_SWAP) return chain_intra(m, ru, pu, len, after ? pv : pv - 1);
    if (t == LS_OPT_UV) return pu < pv ? reverse_intra(m, ru, pu + 1, pv) : reverse_intra(m, ru, pv + 1, pu);
    return INFINITY;
}

/* dv: pre dur, warp, early, late, dist [5 n_pos] | suf the same [5 n_pos] | p_load [n_pos dims] |
 *     route fixed, km, hour, maxdur, cost [5 n_routes] | capacity [n_routes dims] |
 *     customer dur, early, late [3 n_cust] | demand [n_cust dims]
 * iv: p_loc, p_cust [2 n_pos] | r_first, r_len [2 n_routes] | c_loc [n_cust] |
 *     neigh [n_cust stride] | c_route, c_pos [2 n_sol n_cust] | items [n_items]
 * out[2 i] is item i's best cost change, out[2 i + 1] its move (-1: none), as doubles. */
__kernel void vrp_ls_best(const int k, const int n_pos, const int n_routes, const int dims, const int n_cust,
                          const int n_sol, const int stride, const int n_moves, const double extra,
                          __global const double *time, __global const double *dist, __global const double *dv,
                          __global const int *iv, __global double *out)
{
    ls_in m;
    m.k = k, m.n_cust = n_cust, m.n_pos = n_pos, m.n_routes = n_routes, m.dims = dims, m.stride = stride;
    m.extra = extra, m.time = time, m.dist = dist;
    m.pre = dv, m.suf = dv + 5 * (long)n_pos, m.p_load = dv + 10 * (long)n_pos;
    __global const double *route = m.p_load + (long)n_pos * dims;
    m.r_fixed = route, m.r_km = route + n_routes, m.r_hour = route + 2 * n_routes;
    m.r_maxdur = route + 3 * n_routes, m.r_cost = route + 4 * n_routes, m.r_cap = route + 5 * n_routes;
    __global const double *cust = m.r_cap + (long)n_routes * dims;
    m.c_dur = cust, m.c_early = cust + n_cust, m.c_late = cust + 2 * n_cust, m.c_dem = cust + 3 * n_cust;
    m.p_loc = iv, m.p_cust = iv + n_pos, m.r_first = iv + 2 * (long)n_pos, m.r_len = m.r_first + n_routes;
    m.c_loc = m.r_len + n_routes, m.neigh = m.c_loc + n_cust;
    m.c_route = m.neigh + (long)n_cust * stride, m.c_pos = m.c_route + (long)n_sol * n_cust;
    __global const int *items = m.c_pos + (long)n_sol * n_cust;
    __local double ld[WG];
    __local int li[WG];
    int i = get_group_id(0), lid = get_local_id(0);
    int it = items[i], s = it / n_cust, u = it % n_cust, ru = m.c_route[it], pu = m.c_pos[it];
    double bd = INFINITY;
    int bi = -1;
    for (int mv = lid; ru >= 0 && mv < n_moves; mv += WG) {
        double x = move_delta(&m, s, ru, pu, u, mv);
        if (x < bd) bd = x, bi = mv; /* mv rises per item: the first of equals stays */
    }
    ld[lid] = bd;
    li[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (lid < h) {
            double od = ld[lid + h];
            int oi = li[lid + h];
            if (oi >= 0 && (li[lid] < 0 || od < ld[lid] || (od == ld[lid] && oi < li[lid]))) ld[lid] = od, li[lid] = oi;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out[2 * i] = ld[0];
        out[2 * i + 1] = (double)li[0];
    }
}
