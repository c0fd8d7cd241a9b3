/* GLPK's primal simplex as the reference: a vertex method with feasibility tolerances (1e-7),
 * independent of weft's code. Not its rational simplex (glp_exact): the tests' LPs hold
 * equalities through a point in floating point, and exact arithmetic finds many of them
 * infeasible by 1e-10. */
#include "lp_reference.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>

#include "weft_test.h"

static int bound_type(double lo, double up)
{
    if (isinf(lo) && isinf(up)) return GLP_FR;
    if (isinf(up)) return GLP_LO;
    if (isinf(lo)) return GLP_UP;
    return lo == up ? GLP_FX : GLP_DB;
}

static void load(glp_prob *G, const weft_lp_problem *p)
{
    glp_set_obj_dir(G, p->sense < 0 ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(G, 0, p->offset);
    if (p->n_rows) glp_add_rows(G, p->n_rows);
    if (p->n_cols) glp_add_cols(G, p->n_cols);
    for (int32_t i = 0; i < p->n_rows; i++)
        glp_set_row_bnds(G, i + 1, bound_type(p->row_lo[i], p->row_up[i]), p->row_lo[i], p->row_up[i]);
    for (int32_t j = 0; j < p->n_cols; j++) {
        glp_set_col_bnds(G, j + 1, bound_type(p->col_lo[j], p->col_up[j]), p->col_lo[j], p->col_up[j]);
        glp_set_obj_coef(G, j + 1, p->obj[j]);
    }
    int *ia = calloc((size_t)p->nnz + 1, sizeof *ia), *ja = calloc((size_t)p->nnz + 1, sizeof *ja);
    double *ar = calloc((size_t)p->nnz + 1, sizeof *ar);
    assert_true(ia && ja && ar);
    for (int32_t i = 0; i < p->n_rows; i++)
        for (int32_t k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++) {
            ia[k + 1] = i + 1;
            ja[k + 1] = p->col_idx[k] + 1;
            ar[k + 1] = p->val[k];
        }
    glp_load_matrix(G, p->nnz, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
}

weft_lp_outcome lp_reference_solve(const weft_lp_problem *p, double *objective)
{
    assert_null(p->q);
    glp_term_out(GLP_OFF);
    glp_prob *G = glp_create_prob();
    load(G, p);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF; /* with it, GLPK reports infeasible and unbounded alike */
    int ok = glp_simplex(G, &parm) == 0;
    int status = glp_get_status(G);
    weft_lp_outcome out = !ok                   ? WEFT_LP_UNSOLVED
                          : status == GLP_OPT    ? WEFT_LP_OPTIMAL
                          : status == GLP_NOFEAS ? WEFT_LP_PRIMAL_INFEASIBLE
                          : status == GLP_UNBND  ? WEFT_LP_DUAL_INFEASIBLE
                                                 : WEFT_LP_UNSOLVED;
    *objective = out == WEFT_LP_OPTIMAL ? glp_get_obj_val(G) : NAN;
    glp_delete_prob(G);
    return out;
}
