/* What presolve.c records and postsolve.c undoes: one entry per reduction, in the order made. */
#ifndef WEFT_LP_PRESOLVE_INTERNAL_H
#define WEFT_LP_PRESOLVE_INTERNAL_H

#include "lp/presolve.h"

typedef enum ps_kind {
    PS_ROW_DROP,      /* row i removed with dual 0 (empty, free, or implied by its columns' bounds) */
    PS_ROW_SINGLETON, /* row i = a x_j in [lo, up] became bounds of x_j; flags: which it tightened;
                       * snapshot 0: column j's other rows, cj: its cost then */
    PS_COL_FIXED,     /* x_j = v, moved to the rows' bounds and the objective constant;
                       * snapshot 0: column j's rows then, cj: its cost then */
    PS_ROW_FORCING,   /* row i can only hold at one end (flags: PS_TIGHT_UP at its upper bound)
                       * with every column at a bound: the next k ops fix them, in the order of
                       * snapshot 0 (row i's columns) */
    PS_COL_SLACK,     /* x_j (cost 0, only in row i with coefficient a, bounds [xl, xu]) folded
                       * into the bounds [lo, up] that row i had before; snapshot 0: row i's other
                       * columns */
    PS_ELIMINATE      /* x_j = (v - sum of row i's other columns) / a through equality row i,
                       * substituted into column j's other rows and the objective (cost cj then):
                       * snapshot 0 is row i without j, snapshot 1 column j without row i. x_j's
                       * bounds are implied by the row, or (a doubleton, flags set) moved onto the
                       * row's other column k (coefficient a2, cost ck, snapshot 2: its other rows) */
} ps_kind;

enum { PS_TIGHT_LO = 1, PS_TIGHT_UP = 2 };

typedef struct ps_op {
    ps_kind kind;
    int flags;
    int32_t i, j, k;
    double a, a2, v, lo, up, xl, xu, cj, ck;
    int32_t snap[3], nsnap[3]; /* ranges of lp_presolve's sidx/sval */
} ps_op;

/* A pair of columns j, k (bounds [0, inf), no q) whose only rows are r1, r2, with nearly
 * opposite coefficient vectors: replaced by free columns u = M (x_j, x_k) (u1 in r1, u2 in r2, costs
 * c'M^-1) and two rows, multiples of M^-1 u >= 0, appended to the reduced problem
 * (presolve_pairs.c). The rows themselves are not kept: j and k carry u through cmap. */
typedef struct ps_pair {
    int32_t j, k;
    double m[4], inv[4]; /* row-major: m = [a_r1j a_r1k; a_r2j a_r2k] */
    double g[4];         /* the two rows on (u1, u2) that keep x_j >= 0 and x_k >= 0 */
} ps_pair;

struct lp_presolve {
    int32_t n, m;
    int32_t *cmap, *rmap;  /* original index -> reduced index, or -1 if removed */
    ps_op *ops;
    int32_t nops, cap;
    int32_t *sidx;         /* snapshots of rows (column, coefficient) and columns (row, coefficient) */
    double *sval;
    int32_t ns, scap;
    ps_pair *pairs;        /* made after every other reduction, undone before them */
    int32_t npairs;
    weft_lp_problem *red;
};

/* The working problem of presolve.c: A as entries (removed ones have value 0) listed by row and by
 * column, so substitutions can add fill; the bounds and costs as reduced so far; rcnt and ccnt
 * count the live entries of each alive row and column. */
typedef struct ps_list {
    int32_t *e;       /* in the work's block until fill outgrows it, then its own (owned) */
    int32_t len, cap, owned;
} ps_list;

typedef struct ps_work {
    const weft_lp_problem *p;
    lp_presolve *ps;
    int32_t *er, *ec;
    double *ev;
    int32_t ne, ecap;
    ps_list *row, *col;
    int32_t *block;   /* the lists' first storage, sized by A's rows and columns */
    double *lb, *ub, *rl, *ru;
    double *c;        /* objective, in p's sense, with eliminated columns' costs moved onto others */
    int32_t *rcnt, *ccnt;
    char *ralive, *calive;
    double offset;    /* objective constant gained, in p's sense */
    int infeasible, changed;
} ps_work;

/* presolve_matrix.c */
int ps_work_init(weft_context *ctx, const weft_lp_problem *p, lp_presolve *ps, ps_work *w);
void ps_work_free(weft_context *ctx, ps_work *w);
/* Live entry e of row i's list (its column alive, value non-zero); of column j's list likewise. */
int ps_row_live(const ps_work *w, int32_t e);
int ps_col_live(const ps_work *w, int32_t e);
/* Adds v to entry (i, j), creating it if absent; a sum that cancels to rounding removes it. */
int ps_entry_add(weft_context *ctx, ps_work *w, int32_t i, int32_t j, double v);
/* Appends row i's live entries but column skip (or column j's but row skip) to the snapshots;
 * *start, *count give the range. */
int ps_snap_row(weft_context *ctx, ps_work *w, int32_t i, int32_t skip, int32_t *start, int32_t *count);
int ps_snap_col(weft_context *ctx, ps_work *w, int32_t j, int32_t skip, int32_t *start, int32_t *count);
/* presolve_pairs.c: finds and replaces the pairs (the last reduction); their rows in the reduced
 * problem r from row `first` and entry `e` on; their x from the reduced solution xr; u from x. */
int ps_pairs_find(weft_context *ctx, ps_work *w);
void ps_pairs_rows(const lp_presolve *ps, weft_lp_problem *r, int32_t first, int32_t e);
void ps_pairs_undo(const lp_presolve *ps, const double *xr, double *x);
void ps_pairs_restrict(const lp_presolve *ps, const double *x, double *xr);
/* Takes row i and column j out: the other side's counts follow. */
void ps_row_remove(ps_work *w, int32_t i);
void ps_col_remove(ps_work *w, int32_t j);

#endif
