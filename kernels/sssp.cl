/* Many-source shortest paths on a CSR road graph: frontier Bellman-Ford, NB sources per launch.
 *
 * Labels are (time, metres) compared lexicographically, computed in two passes that each reach a
 * unique fixpoint whatever order the relaxations race in, so the result equals the CPU Dijkstra's
 * bit for bit:
 *   1. time:  T[v] = min over edges u->v of T[u] + time[e]            (atomic min on the bits)
 *   2. metres: D[v] = min over edges u->v with T[u] + time[e] == T[v] of D[u] + length[e]
 * Non-negative doubles order like their bit patterns as unsigned 64-bit integers, which is what
 * lets atom_min (cl_khr_int64_extended_atomics) do a floating-point minimum.
 *
 * Arrays indexed [b * n + v] hold source b's label of node v; frontier flags mark the nodes whose
 * label dropped in the last sweep, and only those relax their edges in the next one. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable

#ifndef WG
#define WG 256
#endif

#define INF_BITS 0x7FF0000000000000UL

/* One work-item per (source, node): labels to +inf, the sources to 0 and onto the frontier. */
__kernel void sssp_init(const int n, const int nb, __global const int *sources, __global ulong *T,
                        __global ulong *D, __global uchar *front)
{
    size_t g = get_global_id(0);
    if (g >= (size_t)n * nb) return;
    int b = (int)(g / n), v = (int)(g % n);
    int src = v == sources[b];
    T[g] = src ? 0UL : INF_BITS;
    D[g] = src ? 0UL : INF_BITS;
    front[g] = (uchar)src;
}

/* Puts only the sources on the frontier (start of the metres pass). */
__kernel void sssp_front_sources(const int n, const int nb, __global const int *sources, __global uchar *front)
{
    size_t g = get_global_id(0);
    if (g >= (size_t)n * nb) return;
    front[g] = (uchar)((int)(g % n) == sources[g / n]);
}

/* Takes this work-item's node off the frontier; 0 if it was not on it. */
static int claim(size_t g, int n, int nb, __global uchar *front)
{
    if (g >= (size_t)n * nb || !front[g]) return 0;
    front[g] = 0;
    return 1;
}

/* Pass 1: each frontier node relaxes its out-edges on time. */
__kernel void sssp_time_sweep(const int n, const int nb, __global const int *row_ptr, __global const int *head,
                              __global const double *time_s, __global ulong *T, __global uchar *front,
                              __global uchar *next, __global int *changed)
{
    size_t g = get_global_id(0);
    if (!claim(g, n, nb, front)) return;
    size_t base = g - g % n;
    int u = (int)(g % n);
    double tu = as_double(T[g]);
    for (int e = row_ptr[u]; e < row_ptr[u + 1]; e++) {
        ulong tv = as_ulong(tu + time_s[e]);
        size_t h = base + head[e];
        if (tv < atom_min(&T[h], tv)) {
            next[h] = 1;
            *changed = 1;
        }
    }
}

/* Pass 2: with T final, frontier nodes relax the edges that are tight on time. */
__kernel void sssp_dist_sweep(const int n, const int nb, __global const int *row_ptr, __global const int *head,
                              __global const double *time_s, __global const double *length_m,
                              __global const ulong *T, __global ulong *D, __global uchar *front,
                              __global uchar *next, __global int *changed)
{
    size_t g = get_global_id(0);
    if (!claim(g, n, nb, front)) return;
    size_t base = g - g % n;
    int u = (int)(g % n);
    double tu = as_double(T[g]), du = as_double(D[g]);
    for (int e = row_ptr[u]; e < row_ptr[u + 1]; e++) {
        size_t h = base + head[e];
        if (tu + time_s[e] != as_double(T[h])) continue;
        ulong dv = as_ulong(du + length_m[e]);
        if (dv < atom_min(&D[h], dv)) {
            next[h] = 1;
            *changed = 1;
        }
    }
}

/* out[b * k + j] = label of target j from source b; +inf stays +inf. */
__kernel void sssp_gather(const int n, const int nb, const int k, __global const int *targets,
                          __global const ulong *T, __global const ulong *D, __global double *time_out,
                          __global double *dist_out)
{
    size_t g = get_global_id(0);
    if (g >= (size_t)k * nb) return;
    int b = (int)(g / k), j = (int)(g % k);
    time_out[g] = as_double(T[(size_t)b * n + targets[j]]);
    dist_out[g] = as_double(D[(size_t)b * n + targets[j]]);
}
