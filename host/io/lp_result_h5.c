#include "io/h5util.h"
#include "weft/lp.h"

static int write_names(weft_h5 *h, const char *dset, char **names, int32_t n)
{
    return names ? weft_h5_write_strings(h, dset, names, (size_t)n) : 0;
}

weft_status weft_lp_result_write_h5(weft_context *ctx, const weft_lp_problem *p,
                                    const weft_lp_result *r, const char *path)
{
    weft_h5 h;
    int st = weft_h5_create(ctx, path, &h);
    if (st) return st;
    const char *g = "/results/lp";
    st = weft_h5_make_group(&h, g);
    if (!st) st = weft_h5_write_real(&h, "/results/lp/x", r->x, (size_t)r->n_cols, "1");
    if (!st) st = weft_h5_write_real(&h, "/results/lp/reduced_cost", r->z, (size_t)r->n_cols, "objective/1");
    if (!st) st = weft_h5_write_real(&h, "/results/lp/y", r->y, (size_t)r->n_rows, "objective/1");
    if (!st) st = weft_h5_write_real(&h, "/results/lp/row_activity", r->row_act, (size_t)r->n_rows, "1");
    if (!st) st = write_names(&h, "/results/lp/column_name", p->col_names, p->n_cols);
    if (!st) st = write_names(&h, "/results/lp/row_name", p->row_names, p->n_rows);
    if (!st) st = weft_h5_attr_string(&h, g, "status", weft_lp_outcome_string(r->outcome));
    if (!st) st = weft_h5_attr_real(&h, g, "objective", r->objective);
    if (!st) st = weft_h5_attr_real(&h, g, "dual_objective", r->dual_objective);
    if (!st) st = weft_h5_attr_int(&h, g, "iterations", r->iterations);
    if (!st) st = weft_h5_attr_real(&h, g, "primal_residual_rel", r->primal_res_rel);
    if (!st) st = weft_h5_attr_real(&h, g, "dual_residual_rel", r->dual_res_rel);
    if (!st) st = weft_h5_attr_real(&h, g, "gap_rel", r->gap_rel);
    if (!st) st = weft_h5_attr_string(&h, g, "device", r->device);
    if (!st) st = weft_h5_attr_int(&h, g, "certificate", r->has_certificate);
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    return st;
}
