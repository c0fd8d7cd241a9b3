#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "weft/lp.h"

weft_status weft_lp_problem_create(weft_context *ctx, int32_t n_cols, int32_t n_rows, int32_t nnz,
                                   weft_lp_problem **out)
{
    if (!ctx || !out || n_cols < 0 || n_rows < 0 || nnz < 0) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    weft_lp_problem *p = weft_calloc(ctx, 1, sizeof *p);
    if (!p) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory creating an LP");
    p->n_cols = n_cols;
    p->n_rows = n_rows;
    p->nnz = nnz;
    p->sense = 1;
    p->obj = weft_calloc(ctx, (size_t)n_cols, sizeof(double));
    p->col_lo = weft_calloc(ctx, (size_t)n_cols, sizeof(double));
    p->col_up = weft_calloc(ctx, (size_t)n_cols, sizeof(double));
    p->row_lo = weft_calloc(ctx, (size_t)n_rows, sizeof(double));
    p->row_up = weft_calloc(ctx, (size_t)n_rows, sizeof(double));
    p->row_ptr = weft_calloc(ctx, (size_t)n_rows + 1, sizeof(int32_t));
    p->col_idx = weft_calloc(ctx, (size_t)nnz, sizeof(int32_t));
    p->val = weft_calloc(ctx, (size_t)nnz, sizeof(double));
    if (!p->obj || !p->col_lo || !p->col_up || !p->row_lo || !p->row_up || !p->row_ptr ||
        !p->col_idx || !p->val) {
        weft_lp_problem_destroy(ctx, &p);
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory creating an LP of %d x %d, %d nonzeros",
                          n_rows, n_cols, nnz);
    }
    for (int32_t j = 0; j < n_cols; j++) p->col_up[j] = INFINITY;
    for (int32_t i = 0; i < n_rows; i++) {
        p->row_lo[i] = -INFINITY;
        p->row_up[i] = INFINITY;
    }
    *out = p;
    return WEFT_OK;
}

weft_status weft_lp_problem_create_like(weft_context *ctx, const weft_lp_problem *shape, weft_lp_problem **out)
{
    if (!shape || !out) return WEFT_ERR_INVALID_ARG;
    weft_lp_problem *p = NULL;
    int st = weft_lp_problem_create(ctx, shape->n_cols, shape->n_rows, shape->nnz, &p);
    if (st) return st;
    p->sense = shape->sense;
    memcpy(p->row_ptr, shape->row_ptr, sizeof(int32_t) * ((size_t)shape->n_rows + 1));
    memcpy(p->col_idx, shape->col_idx, sizeof(int32_t) * (size_t)shape->nnz);
    memcpy(p->val, shape->val, sizeof(double) * (size_t)shape->nnz);
    if (shape->q && !(p->q = weft_calloc(ctx, (size_t)shape->n_cols + 1, sizeof(double)))) {
        weft_lp_problem_destroy(ctx, &p);
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory copying an LP of %d x %d", shape->n_rows, shape->n_cols);
    }
    *out = p;
    return WEFT_OK;
}

static void free_names(weft_context *ctx, char **names, int32_t n)
{
    if (!names) return;
    for (int32_t i = 0; i < n; i++) weft_free(ctx, names[i]);
    weft_free(ctx, names);
}

void weft_lp_problem_destroy(weft_context *ctx, weft_lp_problem **pp)
{
    if (!pp || !*pp) return;
    weft_lp_problem *p = *pp;
    weft_free(ctx, p->name);
    weft_free(ctx, p->obj);
    weft_free(ctx, p->q);
    weft_free(ctx, p->col_lo);
    weft_free(ctx, p->col_up);
    weft_free(ctx, p->row_lo);
    weft_free(ctx, p->row_up);
    weft_free(ctx, p->row_ptr);
    weft_free(ctx, p->col_idx);
    weft_free(ctx, p->val);
    free_names(ctx, p->col_names, p->n_cols);
    free_names(ctx, p->row_names, p->n_rows);
    weft_free(ctx, p);
    *pp = NULL;
}

static int check_bounds(weft_context *ctx, const char *what, const double *lo, const double *up,
                        int32_t n, char **names)
{
    for (int32_t i = 0; i < n; i++) {
        const char *nm = names && names[i] ? names[i] : "";
        if (isnan(lo[i]) || isnan(up[i]))
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP %s %d %s: bound is NaN", what, i, nm);
        if (lo[i] > up[i])
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP %s %d %s: lower bound %g > upper bound %g",
                              what, i, nm, lo[i], up[i]);
        if (lo[i] == INFINITY || up[i] == -INFINITY)
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP %s %d %s: empty bound range [%g, %g]",
                              what, i, nm, lo[i], up[i]);
    }
    return WEFT_OK;
}

weft_status weft_lp_problem_validate(weft_context *ctx, const weft_lp_problem *p)
{
    if (!p) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "LP: no problem given");
    if (p->n_cols < 0 || p->n_rows < 0 || p->nnz < 0)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: negative size");
    if (p->sense != 1 && p->sense != -1)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: sense must be +1 or -1, not %d", p->sense);
    if (!isfinite(p->offset)) return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: objective offset not finite");
    if (p->row_ptr[0] != 0 || p->row_ptr[p->n_rows] != p->nnz)
        return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: row_ptr does not span 0..nnz");
    for (int32_t i = 0; i < p->n_rows; i++) {
        if (p->row_ptr[i + 1] < p->row_ptr[i])
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: row_ptr decreases at row %d", i);
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            if (p->col_idx[k] < 0 || p->col_idx[k] >= p->n_cols)
                return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: row %d has column index %d out of range",
                                  i, p->col_idx[k]);
            if (!isfinite(p->val[k]))
                return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: row %d column %d: coefficient not finite",
                                  i, p->col_idx[k]);
        }
    }
    for (int32_t j = 0; j < p->n_cols; j++) {
        if (!isfinite(p->obj[j]))
            return weft_error(ctx, WEFT_ERR_BAD_INPUT, "LP: objective of column %d not finite", j);
        if (p->q && (!isfinite(p->q[j]) || p->q[j] * p->sense < 0))
            return weft_error(ctx, WEFT_ERR_BAD_INPUT,
                              "LP: quadratic term of column %d is %g: the objective must be convex",
                              j, p->q[j]);
    }
    int st = check_bounds(ctx, "column", p->col_lo, p->col_up, p->n_cols, p->col_names);
    if (st) return st;
    return check_bounds(ctx, "row", p->row_lo, p->row_up, p->n_rows, p->row_names);
}

const char *weft_lp_outcome_string(weft_lp_outcome o)
{
    switch (o) {
    case WEFT_LP_OPTIMAL: return "optimal";
    case WEFT_LP_PRIMAL_INFEASIBLE: return "infeasible";
    case WEFT_LP_DUAL_INFEASIBLE: return "unbounded";
    case WEFT_LP_TIME_LIMIT: return "time_limit";
    case WEFT_LP_ITERATION_LIMIT: return "iteration_limit";
    case WEFT_LP_INTERRUPTED: return "interrupted";
    case WEFT_LP_NUMERICAL_ERROR: return "numerical_error";
    default: return "unsolved";
    }
}
