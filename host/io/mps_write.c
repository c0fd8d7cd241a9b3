/* Free-format MPS writer: ROWS, COLUMNS (from a transpose of the CSR), RHS (the objective constant
 * as minus the RHS of the objective row, the convention of CPLEX, Clp and HiGHS), RANGES for
 * two-sided rows, BOUNDS, QUADOBJ for the diagonal q (the objective reads 1/2 x'Qx). Written to a
 * temporary file and renamed when complete. Fields are separated by tabs: short lines separated by
 * single spaces can look like fixed-format MPS to readers that guess the format. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "weft/lp.h"

typedef struct mps_out {
    FILE *f;
    const weft_lp_problem *p;
    char buf[2][32];
} mps_out;

static const char *cname(mps_out *o, int32_t j)
{
    if (o->p->col_names && o->p->col_names[j]) return o->p->col_names[j];
    snprintf(o->buf[0], sizeof o->buf[0], "C%d", j);
    return o->buf[0];
}

static const char *rname(mps_out *o, int32_t i)
{
    if (o->p->row_names && o->p->row_names[i]) return o->p->row_names[i];
    snprintf(o->buf[1], sizeof o->buf[1], "R%d", i);
    return o->buf[1];
}

static char row_type(double lo, double up)
{
    if (lo == up) return 'E';
    if (isinf(lo) && isinf(up)) return 'N';
    return isinf(up) ? 'G' : 'L';
}

static void write_rows(mps_out *o)
{
    const weft_lp_problem *p = o->p;
    fprintf(o->f, "ROWS\n N  OBJ\n");
    for (int32_t i = 0; i < p->n_rows; i++) fprintf(o->f, " %c\t%s\n", row_type(p->row_lo[i], p->row_up[i]), rname(o, i));
}

/* Column-major entries through a transpose of the row-major matrix. */
static int write_columns(weft_context *ctx, mps_out *o)
{
    const weft_lp_problem *p = o->p;
    int32_t *cp = weft_calloc(ctx, (size_t)p->n_cols + 1, sizeof *cp);
    int32_t *ri = weft_calloc(ctx, (size_t)p->nnz + 1, sizeof *ri);
    double *v = weft_calloc(ctx, (size_t)p->nnz + 1, sizeof *v);
    int st = WEFT_OK;
    if (!cp || !ri || !v) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "MPS writer: out of memory");
        goto cleanup;
    }
    for (int32_t k = 0; k < p->nnz; k++) cp[p->col_idx[k] + 1]++;
    for (int32_t j = 0; j < p->n_cols; j++) cp[j + 1] += cp[j];
    for (int32_t i = 0; i < p->n_rows; i++)
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            int32_t at = cp[p->col_idx[k]]++;
            ri[at] = i;
            v[at] = p->val[k];
        }
    for (int32_t j = p->n_cols; j > 0; j--) cp[j] = cp[j - 1];
    cp[0] = 0;
    fprintf(o->f, "COLUMNS\n");
    for (int32_t j = 0; j < p->n_cols; j++) {
        /* a column with no entry still has to be declared */
        if (p->obj[j] != 0 || cp[j] == cp[j + 1]) fprintf(o->f, " %s\tOBJ\t%.17g\n", cname(o, j), p->obj[j]);
        for (int32_t k = cp[j]; k < cp[j + 1]; k++) fprintf(o->f, " %s\t%s\t%.17g\n", cname(o, j), rname(o, ri[k]), v[k]);
    }
cleanup:
    weft_free(ctx, cp);
    weft_free(ctx, ri);
    weft_free(ctx, v);
    return st;
}

static void write_rhs_ranges(mps_out *o)
{
    const weft_lp_problem *p = o->p;
    fprintf(o->f, "RHS\n");
    if (p->offset != 0) fprintf(o->f, " RHS\tOBJ\t%.17g\n", -p->offset);
    for (int32_t i = 0; i < p->n_rows; i++) {
        double lo = p->row_lo[i], up = p->row_up[i];
        double rhs = row_type(lo, up) == 'G' ? lo : isinf(up) ? 0 : up;
        if (rhs != 0) fprintf(o->f, " RHS\t%s\t%.17g\n", rname(o, i), rhs);
    }
    int any = 0;
    for (int32_t i = 0; i < p->n_rows; i++) {
        double lo = p->row_lo[i], up = p->row_up[i];
        if (lo == up || isinf(lo) || isinf(up)) continue;
        if (!any++) fprintf(o->f, "RANGES\n");
        fprintf(o->f, " RNG\t%s\t%.17g\n", rname(o, i), up - lo); /* L row: [rhs - |R|, rhs] */
    }
}

static void write_bounds(mps_out *o)
{
    const weft_lp_problem *p = o->p;
    fprintf(o->f, "BOUNDS\n");
    for (int32_t j = 0; j < p->n_cols; j++) {
        double lo = p->col_lo[j], up = p->col_up[j];
        const char *n = cname(o, j);
        if (lo == up) fprintf(o->f, " FX\tBND\t%s\t%.17g\n", n, lo);
        else if (isinf(lo) && isinf(up)) fprintf(o->f, " FR\tBND\t%s\n", n);
        else {
            if (isinf(lo)) fprintf(o->f, " MI\tBND\t%s\n", n);
            else if (lo != 0) fprintf(o->f, " LO\tBND\t%s\t%.17g\n", n, lo);
            if (!isinf(up)) fprintf(o->f, " UP\tBND\t%s\t%.17g\n", n, up);
        }
    }
}

static void write_quadobj(mps_out *o)
{
    const weft_lp_problem *p = o->p;
    int any = 0;
    for (int32_t j = 0; p->q && j < p->n_cols; j++) {
        if (p->q[j] == 0) continue;
        if (!any++) fprintf(o->f, "QUADOBJ\n");
        const char *n = cname(o, j);
        fprintf(o->f, " %s\t%s\t%.17g\n", n, n, p->q[j]);
    }
}

weft_status weft_mps_write(weft_context *ctx, const weft_lp_problem *p, const char *path)
{
    char tmp[1100];
    int st = weft_lp_problem_validate(ctx, p);
    if (st) return st;
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    mps_out o = {.f = fopen(tmp, "w"), .p = p};
    if (!o.f) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot create (directory missing or not writable?)", path);
    fprintf(o.f, "NAME %s\n", p->name && *p->name && !strpbrk(p->name, " \t") ? p->name : "weft");
    if (p->sense == -1) fprintf(o.f, "OBJSENSE\n    MAX\n");
    write_rows(&o);
    st = write_columns(ctx, &o);
    if (!st) {
        write_rhs_ranges(&o);
        write_bounds(&o);
        write_quadobj(&o);
        fprintf(o.f, "ENDATA\n");
    }
    int bad = ferror(o.f);
    if (fclose(o.f) != 0) bad = 1;
    if (!st && (bad || rename(tmp, path) != 0)) st = weft_error(ctx, WEFT_ERR_IO, "%s: cannot finish writing", path);
    if (st) remove(tmp);
    return st;
}
