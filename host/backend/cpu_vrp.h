/* The CPU backend's routing-move operations (backend.h, vrp_*), kept beside cpu.c. */
#ifndef WEFT_BACKEND_CPU_VRP_H
#define WEFT_BACKEND_CPU_VRP_H

#include "backend/backend.h"

int weft_cpu_vrp_open(weft_backend *be, int32_t k, const double *time, const double *dist, weft_vrp_dev **out);
int weft_cpu_vrp_best_insertions(weft_backend *be, weft_vrp_dev *d, const weft_vrp_moves *m, int32_t *best,
                                 double *delta);
void weft_cpu_vrp_close(weft_backend *be, weft_vrp_dev **d);
/* Local search (cpu_vrp_ls.c), the reference the OpenCL kernel repeats. */
int weft_cpu_vrp_ls_best(weft_backend *be, weft_vrp_dev *d, const weft_vrp_ls *ls, int32_t *best, double *delta);
/* Checks a local-search batch's indices against k locations; WEFT_ERR_INVALID_ARG naming the field. */
int weft_vrp_ls_check(weft_context *ctx, int32_t k, const weft_vrp_ls *ls);

/* Checks a batch's indices against k locations; WEFT_ERR_INVALID_ARG naming the bad field. */
int weft_vrp_moves_check(weft_context *ctx, int32_t k, const weft_vrp_moves *m);

#endif
