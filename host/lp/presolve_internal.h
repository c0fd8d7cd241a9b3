/* What presolve.c records and postsolve.c undoes: one entry per reduction, in the order made. */
#ifndef WEFT_LP_PRESOLVE_INTERNAL_H
#define WEFT_LP_PRESOLVE_INTERNAL_H

#include "lp/presolve.h"

typedef enum ps_kind {
    PS_ROW_DROP,      /* row i removed with dual 0 (empty, free, or implied by its columns' bounds) */
    PS_ROW_SINGLETON, /* row i = a x_j in [lo, up] became bounds of x_j; flags: which it tightened */
    PS_COL_FIXED,     /* x_j = v, moved to the rows' bounds and the objective constant */
    PS_COL_SLACK,     /* x_j (cost 0, only in row i with coefficient a, bounds [xl, xu]) folded
                       * into the bounds [lo, up] that row i had before */
    PS_COL_SUBST      /* x_j, only in row i (an equality a'x = v) and with bounds the row implies,
                       * eliminated with the row: its cost moved onto the row's other columns;
                       * the row's dual is then lo */
} ps_kind;

enum { PS_TIGHT_LO = 1, PS_TIGHT_UP = 2 };

typedef struct ps_op {
    ps_kind kind;
    int flags;
    int32_t i, j;
    double a, v, lo, up, xl, xu;
} ps_op;

struct lp_presolve {
    int32_t n, m;
    int32_t *cmap, *rmap;  /* original index -> reduced index, or -1 if removed */
    ps_op *ops;
    int32_t nops, cap;
    int32_t *cp, *cr;      /* A by columns: rows cr[cp[j] .. cp[j+1]) */
    double *cv;
    weft_lp_problem *red;
};

#endif
