/* Assembling the results file (job_results.h) from the parts each module writes. */
#include <stdio.h>

#include "core/context_internal.h"
#include "io/h5copy.h"
#include "job_results.h"
#include "kunshan.h"

static int add_part(weft_context *ctx, const weft_job_results *r, weft_h5 *out, int route)
{
    char part[1200];
    weft_h5_part_path(part, sizeof part, out->path, route ? "route" : "dispatch");
    int st = route ? weft_write_route_results(ctx, r->vrp, r->routes, part)
                   : weft_dcopf_result_write_h5(ctx, r->model, r->dispatch, r->lp, part);
    if (!st) st = weft_h5_copy_from(out, part, route ? "/results/route" : "/results/dispatch");
    remove(part);
    return st;
}

weft_status weft_job_results_write(weft_context *ctx, const weft_job_results *r, const char *path)
{
    weft_h5 out;
    int st = weft_h5_create(ctx, path, &out);
    if (st) return st;
    st = weft_h5_make_group(&out, "/results");
    if (!st) st = weft_h5_attr_string(&out, "/results", "job", r->job ? r->job : "");
    if (!st && r->model) st = add_part(ctx, r, &out, 0);
    if (!st && r->vrp) st = add_part(ctx, r, &out, 1);
    for (int i = 0; !st && r->synthetic && i < 2; i++) {
        const char *obj = i ? "/results" : "/";
        st = weft_h5_attr_int(&out, obj, "synthetic", 1);
        if (!st) st = weft_h5_attr_string(&out, obj, "description", WEFT_KUNSHAN_LABEL);
    }
    if (!st) st = weft_h5_commit(&out);
    weft_h5_close(&out);
    return st;
}
