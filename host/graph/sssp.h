/* Travel-time matrices on a given backend (weft_sssp_matrix opens the context's device). */
#ifndef WEFT_SSSP_H
#define WEFT_SSSP_H

#include "backend/backend.h"
#include "weft/roads.h"

/* k x k matrices between the points on backend be; dist_out may be NULL. */
int weft_sssp_matrix_on(weft_backend *be, const weft_roads *r, const int32_t *points, int32_t k,
                        double *time_out, double *dist_out);

/* weft_sssp_matrix, also naming the backend that did the work in desc (may be NULL). With the
 * device "auto", an OpenCL failure (device lost, kernels refused) is logged and the CPU backend
 * takes over; a forced device fails instead. */
int weft_sssp_matrix_desc(weft_context *ctx, const weft_roads *r, const int32_t *points, int32_t k,
                          double *time_out, double *dist_out, char *desc, size_t desc_len);

#endif
