/* Vector and sparse-matrix kernels shared by the solvers (fill, copy, axpby, dot, CSR SpMV), and the
 * helpers pdhg.cl builds on: the work-group sum and the CSR row dot product.
 *
 * Compiled at run time with -D options; the defaults below let the file compile alone:
 *   REAL  the real type (double; the host refuses devices without cl_khr_fp64)
 *   WG    the work-group size every kernel is launched with (a power of two)
 * Contraction into fma is off so that element-wise results match the CPU backend bit for bit. */
#ifndef REAL
#define REAL double
#endif
#ifndef WG
#define WG 256
#endif

#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

/* Sums v over the work-group; every work-item must call it. Work-item 0 writes the sum to *out.
 * The trailing barrier lets the caller reuse scratch for the next value straight away. */
void wg_sum_store(local REAL *scratch, REAL v, global REAL *out)
{
    const int l = (int)get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int off = WG / 2; off > 0; off >>= 1) {
        if (l < off) scratch[l] += scratch[l + off];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) *out = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* Sums each of the k values in acc over the work-group; value v of group g goes to
 * partial[(first + v) * get_num_groups(0) + g], for the host to add up. */
void wg_sums_store(local REAL *scratch, const REAL *acc, int k, global REAL *partial, int first)
{
    const int ng = (int)get_num_groups(0), grp = (int)get_group_id(0);
    for (int v = 0; v < k; v++) wg_sum_store(scratch, acc[v], partial + (first + v) * ng + grp);
}

/* CSR row dot products with vw work-items per row (vw a power of two <= WG; vw == 1 is the
 * one-row-per-thread kernel, larger vw reads a long row's entries coalesced). Each work-item
 * learns its row; the lane 0 of each row gets the full sum, other lanes a partial one. Every
 * work-item of the group must call it (it has barriers), rows past the end included. */
typedef struct csr_row_result {
    int row;   /* may be >= rows: the caller must not write then */
    int lead;  /* 1 for the lane that holds the full sum */
    REAL sum;
} csr_row_result;

csr_row_result csr_row_dot(int rows, global const int *row_ptr, global const int *col_idx,
                           global const REAL *val, global const REAL *x, int vw,
                           local REAL *scratch)
{
    const int l = (int)get_local_id(0);
    const int lane = l & (vw - 1);
    csr_row_result r;
    r.row = (int)get_group_id(0) * (WG / vw) + l / vw;
    r.lead = lane == 0;
    REAL s = 0;
    if (r.row < rows) {
        const int end = row_ptr[r.row + 1];
        for (int k = row_ptr[r.row] + lane; k < end; k += vw) s += val[k] * x[col_idx[k]];
    }
    if (vw > 1) {
        scratch[l] = s;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int off = vw / 2; off > 0; off >>= 1) {
            if (lane < off) scratch[l] += scratch[l + off];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        s = scratch[l];
    }
    r.sum = s;
    return r;
}

kernel void vec_fill(int n, REAL v, global REAL *x)
{
    const int i = (int)get_global_id(0);
    if (i < n) x[i] = v;
}

kernel void vec_copy(int n, global const REAL *src, global REAL *dst)
{
    const int i = (int)get_global_id(0);
    if (i < n) dst[i] = src[i];
}

/* y = a x + b y */
kernel void vec_axpby(int n, REAL a, global const REAL *x, REAL b, global REAL *y)
{
    const int i = (int)get_global_id(0);
    if (i < n) y[i] = a * x[i] + b * y[i];
}

/* Per-group partial sums of x'y (grid-stride loop); the host adds the get_num_groups partials. */
kernel void vec_dot(int n, global const REAL *x, global const REAL *y, global REAL *partial)
{
    local REAL scratch[WG];
    REAL s = 0;
    for (int i = (int)get_global_id(0); i < n; i += (int)get_global_size(0)) s += x[i] * y[i];
    wg_sum_store(scratch, s, partial + get_group_id(0));
}

/* y = A x, A in CSR, vw work-items per row (launched with ceil(rows * vw / WG) groups). */
kernel void csr_spmv(int rows, global const int *row_ptr, global const int *col_idx,
                     global const REAL *val, global const REAL *x, global REAL *y, int vw)
{
    local REAL scratch[WG];
    const csr_row_result r = csr_row_dot(rows, row_ptr, col_idx, val, x, vw, scratch);
    if (r.lead && r.row < rows) y[r.row] = r.sum;
}
