/* Private pieces of the OpenCL backend shared by opencl*.c and devices.c: device discovery and
 * selection, error names, the tuning table and the program builder with its binary cache. */
#ifndef WEFT_OPENCL_INTERNAL_H
#define WEFT_OPENCL_INTERNAL_H

#include <stdint.h>

#include <CL/cl.h>

#include "weft/context.h"
#include "weft/devices.h"

/* One OpenCL device and where it sits in the platform/device enumeration. */
typedef struct weft_cl_device {
    cl_platform_id platform;
    cl_device_id device;
    int p, d;
} weft_cl_device;

/* Per-device launch parameters (opencl_tuning.c). */
typedef struct weft_cl_tuning {
    int wg;             /* work-group size of every kernel, a power of two */
    int vector_min_avg; /* CSR rows averaging at least this many entries get vw > 1 lanes per row */
    int max_vw;         /* most lanes per row (a power of two <= wg) */
    int groups_per_cu;  /* reduction kernels launch up to compute_units * this many groups */
} weft_cl_tuning;

/* The readable name of an OpenCL error code ("CL_OUT_OF_RESOURCES"), never NULL. */
const char *weft_cl_error_name(cl_int err);
/* Records "OpenCL <what> failed: CL_NAME (code)" on the context; returns WEFT_ERR_OPENCL_BASE + err. */
int weft_cl_fail(weft_context *ctx, cl_int err, const char *what);

/* The platforms present; 0 of them (no ICD, no platform) is not an error, and a failing query is
 * logged as a warning and treated as 0. *out is weft_free'd. Errors: out of memory only. */
int weft_cl_platforms(weft_context *ctx, cl_platform_id **out, cl_uint *count);
/* The devices of one platform (any type); 0 of them, or a failing query (logged), is not an
 * error. *out is weft_free'd. Errors: out of memory only. */
int weft_cl_devices(weft_context *ctx, cl_platform_id platform, cl_device_id **out, cl_uint *count);
/* Fills info for one device (backend "opencl", spec "cl:P:D"). */
void weft_cl_device_info(const weft_cl_device *dev, weft_device_info *info);
/* Resolves "cl", "cl:gpu", "cl:cpu" or "cl:P:D" to an fp64 device. WEFT_ERR_INVALID_ARG for a spec
 * that is not one of these forms, WEFT_ERR_DEVICE when no device matches; the reason on ctx. */
int weft_cl_select(weft_context *ctx, const char *spec, weft_cl_device *out, weft_device_info *info);

/* Launch parameters for a device, from the vendor -> device table, clamped to the device's limits. */
void weft_cl_tuning_for(const weft_device_info *info, size_t max_wg, weft_cl_tuning *out);

/* Builds the program made of the named kernels/ sources (in order) with options, loading it from
 * the binary cache in weft_context_cache_dir() when an intact entry exists and storing it there
 * after a build. Build failures carry the build log as the error detail. *cache_hit says which. */
int weft_cl_program_build(weft_context *ctx, cl_context clctx, const weft_cl_device *dev,
                          const weft_device_info *info, const char *const *source_names,
                          const char *options, cl_program *out, int *cache_hit);

/* Counters of one open OpenCL backend, for tests and benchmarks. */
typedef struct weft_cl_stats {
    int builds;     /* programs compiled from source */
    int cache_hits; /* programs loaded from the binary cache */
    long launches;  /* kernels enqueued */
} weft_cl_stats;

struct weft_backend;
/* WEFT_ERR_INVALID_ARG unless be is an OpenCL backend. */
int weft_backend_opencl_stats(const struct weft_backend *be, weft_cl_stats *out);
/* Forces vw lanes per CSR row (a power of two <= the work-group; 0 = the tuning table's choice),
 * so that tests reach both SpMV paths on any device. */
int weft_backend_opencl_force_lanes(struct weft_backend *be, int vw);

/* What opencl_sssp.c needs of an open OpenCL backend (its ops live beside the others). */
typedef struct weft_cl_handles {
    cl_context clctx;
    cl_command_queue queue;
    const weft_cl_device *dev;
    const weft_device_info *info;
    int wg;
    long *launches; /* the backend's launch counter */
} weft_cl_handles;
struct weft_buf;
void weft_cl_backend_handles(struct weft_backend *be, weft_cl_handles *out);
cl_mem weft_cl_buf_mem(const struct weft_buf *b);

struct weft_dgraph;
/* The backend's sssp operation (backend.h), built on kernels/sssp.cl. */
int weft_cl_sssp(struct weft_backend *be, const struct weft_dgraph *g, const int32_t *sources, int32_t ns,
                 const int32_t *targets, int32_t nt, double *time_out, double *dist_out);

struct weft_vrp_dev;
struct weft_vrp_moves;
/* The backend's routing-move operations (backend.h), built on kernels/vrp_moves.cl. */
int weft_cl_vrp_open(struct weft_backend *be, int32_t k, const double *time, const double *dist,
                     struct weft_vrp_dev **out);
int weft_cl_vrp_best_insertions(struct weft_backend *be, struct weft_vrp_dev *d, const struct weft_vrp_moves *m,
                                int32_t *best, double *delta);
void weft_cl_vrp_close(struct weft_backend *be, struct weft_vrp_dev **d);
struct weft_vrp_ls;
/* The local-search neighbourhood (backend.h, vrp_ls_best), built on kernels/vrp_ls.cl. */
int weft_cl_vrp_ls_best(struct weft_backend *be, struct weft_vrp_dev *d, const struct weft_vrp_ls *ls, int32_t *best,
                        double *delta);

struct weft_cl_batch;
struct weft_pdhg_block;
struct weft_dmat;
/* The backend's slot for the blocked-PDHG kernels (opencl_batch.c builds them on first use). */
struct weft_cl_batch **weft_cl_backend_batch(struct weft_backend *be);
void weft_cl_batch_free(weft_context *ctx, struct weft_cl_batch **c);
/* The backend's blocked PDHG operations (backend.h, blk_*), built on kernels/pdhg_batch.cl. */
int weft_cl_blk_primal(struct weft_backend *be, struct weft_pdhg_block *b);
int weft_cl_blk_dual(struct weft_backend *be, struct weft_pdhg_block *b, double g, double gamma);
int weft_cl_blk_adjoint(struct weft_backend *be, struct weft_pdhg_block *b, double g, double gamma);
int weft_cl_blk_halpern(struct weft_backend *be, struct weft_pdhg_block *b, double g, double gamma);
int weft_cl_blk_stats(struct weft_backend *be, struct weft_pdhg_block *b, double *out);
int weft_cl_blk_ray_stats(struct weft_backend *be, struct weft_pdhg_block *b, const struct weft_buf *dx,
                          const struct weft_buf *adx, const struct weft_buf *dy, const struct weft_buf *atdy,
                          double *out);
int weft_cl_blk_spmv(struct weft_backend *be, const struct weft_dmat *A, int32_t ld, int32_t K,
                     const struct weft_buf *x, struct weft_buf *y);
int weft_cl_blk_sub(struct weft_backend *be, size_t rows, int32_t ld, int32_t K, const struct weft_buf *a,
                    const struct weft_buf *b, struct weft_buf *out);
int weft_cl_blk_dot(struct weft_backend *be, size_t rows, int32_t ld, int32_t K, const struct weft_buf *x,
                    const struct weft_buf *y, double *out);
int weft_cl_blk_copy_cols(struct weft_backend *be, size_t rows, int32_t ld, int32_t K, const struct weft_buf *map,
                          const struct weft_buf *src, struct weft_buf *dst);
int weft_cl_blk_col_read(struct weft_backend *be, const struct weft_buf *b, size_t rows, int32_t ld, int32_t k,
                         double *host);
int weft_cl_blk_col_write(struct weft_backend *be, struct weft_buf *b, size_t rows, int32_t ld, int32_t k,
                          const double *host);

#endif
