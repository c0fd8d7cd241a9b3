#include <string.h>

#include "backend/backend.h"
#include "core/context_internal.h"

int weft_backend_open(weft_context *ctx, const char *spec, weft_backend **out)
{
    *out = NULL;
    if (!spec || !*spec) spec = "auto";
    if (!strcmp(spec, "cpu")) return weft_backend_cpu_open(ctx, out);
    if (!strcmp(spec, "auto")) {
        /* auto: a GPU with fp64 if there is one; PoCL-style CPU devices lose to the native path */
        if (weft_backend_opencl_open(ctx, "cl:gpu", out) == WEFT_OK) return WEFT_OK;
        weft_log(ctx, WEFT_LOG_DETAIL, "no OpenCL GPU with fp64 (%s); using the cpu backend",
                 weft_context_last_error(ctx));
        return weft_backend_cpu_open(ctx, out);
    }
    if (!strncmp(spec, "cl:", 3) || !strcmp(spec, "cl")) return weft_backend_opencl_open(ctx, spec, out);
    return weft_error(ctx, WEFT_ERR_INVALID_ARG,
                      "device '%s' not understood: use auto, cpu, cl:gpu, cl:cpu or cl:P:D", spec);
}

void weft_backend_close(weft_backend **be)
{
    if (!be || !*be) return;
    (*be)->ops->destroy(*be);
    *be = NULL;
}

int weft_dmat_upload(weft_backend *be, int32_t rows, int32_t cols, const int32_t *row_ptr,
                     const int32_t *col_idx, const double *val, weft_dmat *out)
{
    memset(out, 0, sizeof *out);
    out->rows = rows;
    out->cols = cols;
    out->nnz = row_ptr[rows];
    int st = be->ops->buf_create(be, WEFT_INDEX, (size_t)rows + 1, row_ptr, &out->row_ptr);
    if (!st) st = be->ops->buf_create(be, WEFT_INDEX, (size_t)out->nnz, col_idx, &out->col_idx);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)out->nnz, val, &out->val);
    if (st) weft_dmat_release(be, out);
    return st;
}

void weft_dmat_release(weft_backend *be, weft_dmat *A)
{
    be->ops->buf_destroy(be, &A->row_ptr);
    be->ops->buf_destroy(be, &A->col_idx);
    be->ops->buf_destroy(be, &A->val);
}

int weft_dgraph_upload(weft_backend *be, int32_t n, const int32_t *row_ptr, const int32_t *head,
                       const double *time_s, const double *length_m, weft_dgraph *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->m = row_ptr[n];
    int st = be->ops->buf_create(be, WEFT_INDEX, (size_t)n + 1, row_ptr, &out->row_ptr);
    if (!st) st = be->ops->buf_create(be, WEFT_INDEX, (size_t)out->m, head, &out->head);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)out->m, time_s, &out->time_s);
    if (!st) st = be->ops->buf_create(be, WEFT_REAL, (size_t)out->m, length_m, &out->length_m);
    if (st) weft_dgraph_release(be, out);
    return st;
}

void weft_dgraph_release(weft_backend *be, weft_dgraph *g)
{
    be->ops->buf_destroy(be, &g->row_ptr);
    be->ops->buf_destroy(be, &g->head);
    be->ops->buf_destroy(be, &g->time_s);
    be->ops->buf_destroy(be, &g->length_m);
}
