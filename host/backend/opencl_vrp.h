/* The OpenCL backend's routing data (opencl_vrp.c, opencl_vrp_ls.c): the program of each kernel
 * family, the travel matrices, and scratch buffers the two share (one in-order queue, each
 * launch's results read before the next is packed). */
#ifndef WEFT_BACKEND_OPENCL_VRP_H
#define WEFT_BACKEND_OPENCL_VRP_H

#include "backend/opencl_internal.h"

/* Device scratch: packed doubles, packed ints, results. */
enum { B_DBL, B_INT, B_OUT, B_COUNT };

struct weft_vrp_dev {
    weft_cl_handles h;
    weft_context *ctx;
    int32_t k;
    cl_program prog, ls_prog; /* ls_prog: kernels/vrp_ls.cl, built on first use */
    cl_kernel kern, ls_kern;
    cl_mem time, dist;
    cl_mem buf[B_COUNT];
    size_t cap[B_COUNT]; /* bytes */
    double *hd, *hout;   /* host staging, grown like the device buffers */
    int32_t *hi;
    size_t cap_hd, cap_hi, cap_hout; /* elements */
};

/* Makes scratch buffer b hold at least bytes; it only grows. */
int weft_cl_vrp_ensure(weft_vrp_dev *d, int b, size_t bytes);
/* Makes the host array *p hold n elements of size sz. */
int weft_cl_vrp_stage(weft_vrp_dev *d, void **p, size_t *cap, size_t n, size_t sz);
/* Appends n elements of size sz to a staging array at *w. */
void weft_cl_vrp_append(void *dst, size_t *w, const void *src, size_t n, size_t sz);
/* Writes hd[0..nd) and hi[0..ni) to the device and makes room for nout result doubles. */
int weft_cl_vrp_send(weft_vrp_dev *d, size_t nd, size_t ni, size_t nout);
/* Launches kern(ints..., extra, time, dist, doubles, ints, out) with groups work-groups. */
int weft_cl_vrp_launch(weft_vrp_dev *d, cl_kernel kern, const char *name, const cl_int *ints, size_t n_ints,
                       double extra, size_t groups);
/* Reads n (cost change, index) pairs back. */
int weft_cl_vrp_fetch(weft_vrp_dev *d, size_t n, int32_t *best, double *delta);

#endif
