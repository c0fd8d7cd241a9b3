/* The OpenCL backend's local-search neighbourhood: kernels/vrp_ls.cl, one launch per call over
 * every item of every solution. The program is built the first time it is asked for (a solve that
 * never runs the batched local search does not pay for it); the batch is packed into one array of
 * doubles and one of ints, as the kernel reads them, in the scratch shared with opencl_vrp.c. */
#include <stdio.h>

#include "backend/backend.h"
#include "backend/cpu_vrp.h"
#include "backend/opencl_vrp.h"
#include "core/context_internal.h"

static const char *const ls_sources[] = {"vrp_ls", NULL};

static int build(weft_vrp_dev *d)
{
    if (d->ls_kern) return WEFT_OK;
    char options[128];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DWG=%d -DLS_TYPES=%d -DLS_SWAP=%d -DLS_OPT_UV=%d", d->h.wg,
             WEFT_LS_TYPES, WEFT_LS_SWAP, WEFT_LS_OPT_UV);
    int hit = 0, st = weft_cl_program_build(d->ctx, d->h.clctx, d->h.dev, d->h.info, ls_sources, options, &d->ls_prog, &hit);
    if (st) return st;
    cl_int err;
    d->ls_kern = clCreateKernel(d->ls_prog, "vrp_ls_best", &err);
    if (err != CL_SUCCESS) d->ls_kern = NULL;
    return err == CL_SUCCESS ? WEFT_OK : weft_cl_fail(d->ctx, err, "vrp_ls_best");
}

/* Packs as the kernel's comment lays it out and writes it to the device. */
static int upload(weft_vrp_dev *d, const weft_vrp_ls *m)
{
    size_t np = (size_t)m->n_pos, nr = (size_t)m->n_routes, nc = (size_t)m->n_cust, D = (size_t)m->dims;
    size_t ns = (size_t)m->n_sol * nc, ng = nc * (size_t)m->neigh_stride, ni = (size_t)m->n_items;
    size_t ndbl = 10 * np + np * D + 5 * nr + nr * D + 3 * nc + nc * D, nint = 2 * np + 2 * nr + nc + ng + 2 * ns + ni;
    int st = weft_cl_vrp_stage(d, (void **)&d->hd, &d->cap_hd, ndbl, sizeof(double));
    if (!st) st = weft_cl_vrp_stage(d, (void **)&d->hi, &d->cap_hi, nint, sizeof(int32_t));
    if (st) return st;
    const double *dparts[] = {m->pre_dur, m->pre_warp, m->pre_early, m->pre_late, m->pre_dist, m->suf_dur,
                              m->suf_warp, m->suf_early, m->suf_late, m->suf_dist, m->p_load, m->r_fixed,
                              m->r_km, m->r_hour, m->r_maxdur, m->r_cost, m->r_cap, m->c_dur, m->c_early,
                              m->c_late, m->c_dem};
    const size_t dlen[] = {np, np, np, np, np, np, np, np, np, np, np * D, nr, nr, nr, nr, nr, nr * D, nc, nc, nc, nc * D};
    size_t w = 0, wi = 0;
    for (size_t i = 0; i < sizeof dlen / sizeof *dlen; i++) weft_cl_vrp_append(d->hd, &w, dparts[i], dlen[i], sizeof(double));
    const int32_t *iparts[] = {m->p_loc, m->p_cust, m->r_first, m->r_len, m->c_loc, m->neigh, m->c_route, m->c_pos, m->items};
    const size_t ilen[] = {np, np, nr, nr, nc, ng, ns, ns, ni};
    for (size_t i = 0; i < sizeof ilen / sizeof *ilen; i++) weft_cl_vrp_append(d->hi, &wi, iparts[i], ilen[i], sizeof(int32_t));
    return weft_cl_vrp_send(d, w, wi, 2 * ni);
}

int weft_cl_vrp_ls_best(weft_backend *be, weft_vrp_dev *d, const weft_vrp_ls *m, int32_t *best, double *delta)
{
    int st = weft_vrp_ls_check(be->ctx, d->k, m);
    if (st || m->n_items == 0) return st;
    cl_int ints[] = {d->k, m->n_pos, m->n_routes, m->dims, m->n_cust, m->n_sol, m->neigh_stride, m->n_granular * WEFT_LS_TYPES};
    st = build(d);
    if (!st) st = upload(d, m);
    if (!st) st = weft_cl_vrp_launch(d, d->ls_kern, "vrp_ls_best", ints, 8, m->extra, (size_t)m->n_items);
    if (!st) st = weft_cl_vrp_fetch(d, (size_t)m->n_items, best, delta);
    return st;
}
