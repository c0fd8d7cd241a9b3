/* Nearly opposite column pairs. Two columns x_j, x_k >= 0 that appear only in rows r1 and r2,
 * with coefficient vectors a and b at nearly 180 degrees, can move the rows' activities by small
 * amounts only through huge values: a flow around a cycle whose gain is almost 1. greenbea has
 * three (MRG.N4Uk / MN4.RGUk: (-1, 1.4146) and (0.7069, -1), gain 1 - 1.9e-5); its optimum carries
 * 2.3e8 and 3.3e8 on one of them (Clp's solution) while every other value is below 2e6, and PDHG,
 * whose iterates move by steps of the solution's scale, stalls 1.3e-3 above that optimum at the
 * value MINOS 5.3 reported. With u = M (x_j, x_k) the two columns are free and carry only the
 * rows' net share (-4090 and -566 there), and x >= 0 becomes two rows, M^-1 u >= 0 scaled (see replace). */
#include <math.h>
#include <stdlib.h>

#include "core/context_internal.h"
#include "lp/presolve_internal.h"

/* |sin| of the angle between a and b below which a pair is replaced; above it the columns are
 * no worse scaled than any other two, and the replacement would only add rows */
#define PAIR_SIN 1e-3

typedef struct cand {
    int32_t r1, r2, j;
    double v1, v2;
} cand;

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->r1 != b->r1) return a->r1 < b->r1 ? -1 : 1;
    if (a->r2 != b->r2) return a->r2 < b->r2 ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* Column j as a candidate: bounds [0, inf), no q, exactly two live entries (rows in order). */
static int candidate(const ps_work *w, int32_t j, cand *c)
{
    if (!w->calive[j] || w->ccnt[j] != 2 || w->lb[j] != 0 || !isinf(w->ub[j])) return 0;
    if (w->p->q && w->p->q[j] != 0) return 0;
    int32_t e[2], n = 0;
    for (int32_t t = 0; t < w->col[j].len && n < 2; t++)
        if (ps_col_live(w, w->col[j].e[t])) e[n++] = w->col[j].e[t];
    if (n < 2) return 0;
    int swap = w->er[e[0]] > w->er[e[1]];
    *c = (cand){w->er[e[swap]], w->er[e[!swap]], j, w->ev[e[swap]], w->ev[e[!swap]]};
    return 1;
}

/* Sets column j's entry in row i to v (0 removes it). */
static void set_entry(ps_work *w, int32_t j, int32_t i, double v)
{
    for (int32_t t = 0; t < w->col[j].len; t++) {
        int32_t e = w->col[j].e[t];
        if (!ps_col_live(w, e) || w->er[e] != i) continue;
        w->ev[e] = v;
        if (v == 0) {
            w->ccnt[j]--;
            w->rcnt[i]--;
        }
        return;
    }
}

/* The rows keeping x >= 0 are x_j (det / |b|) >= 0 and x_k (det / |a|) >= 0: the signed distances of
 * u from the lines of b and of a, unit normals of the cone's edges. Rows M^-1 u >= 0 themselves
 * have entries of 1 / det (5e4 on greenbea), and a violation of 1e-9 in them, moved back through
 * M, would be a residual of 1e-9 |M| in rows r1, r2: 5e4 times larger than the distance the
 * normals measure, which is what undo leaves in those rows. */
static void replace(ps_work *w, const cand *a, const cand *b, ps_pair *pr)
{
    double det = a->v1 * b->v2 - b->v1 * a->v2, s = det > 0 ? 1 : -1;
    double na = hypot(a->v1, a->v2), nb = hypot(b->v1, b->v2);
    *pr = (ps_pair){.j = a->j, .k = b->j,
                    .m = {a->v1, b->v1, a->v2, b->v2},
                    .inv = {b->v2 / det, -b->v1 / det, -a->v2 / det, a->v1 / det},
                    .g = {s * b->v2 / nb, -s * b->v1 / nb, -s * a->v2 / na, s * a->v1 / na}};
    double cj = w->c[a->j], ck = w->c[b->j];
    w->c[a->j] = cj * pr->inv[0] + ck * pr->inv[2];
    w->c[b->j] = cj * pr->inv[1] + ck * pr->inv[3];
    set_entry(w, a->j, a->r1, 1);
    set_entry(w, a->j, a->r2, 0);
    set_entry(w, b->j, b->r1, 0);
    set_entry(w, b->j, b->r2, 1);
    w->lb[a->j] = w->lb[b->j] = -INFINITY;
    w->ub[a->j] = w->ub[b->j] = INFINITY;
}

/* Pairs within one group of candidates on the same two rows, each column in one pair at most. */
static int pair_group(weft_context *ctx, ps_work *w, cand *g, int32_t len)
{
    lp_presolve *ps = w->ps;
    for (int32_t t = 0; t < len; t++)
        for (int32_t u = t + 1; g[t].j >= 0 && u < len; u++) {
            if (g[u].j < 0) continue;
            double dot = g[t].v1 * g[u].v1 + g[t].v2 * g[u].v2;
            double na = hypot(g[t].v1, g[t].v2), nb = hypot(g[u].v1, g[u].v2);
            double det = fabs(g[t].v1 * g[u].v2 - g[u].v1 * g[t].v2);
            if (!(dot < 0 && det <= PAIR_SIN * na * nb && det > 1e-12 * na * nb)) continue;
            ps_pair *np = weft_realloc_array(ctx, ps->pairs, (size_t)ps->npairs + 1, sizeof *np);
            if (!np) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
            ps->pairs = np;
            replace(w, &g[t], &g[u], &ps->pairs[ps->npairs++]);
            g[t].j = g[u].j = -1;
        }
    return WEFT_OK;
}

int ps_pairs_find(weft_context *ctx, ps_work *w)
{
    int32_t n = w->p->n_cols, nc = 0;
    cand *c = weft_calloc(ctx, (size_t)n + 1, sizeof *c);
    if (!c) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory in LP presolve");
    for (int32_t j = 0; j < n; j++) nc += candidate(w, j, &c[nc]);
    qsort(c, (size_t)nc, sizeof *c, cand_cmp);
    int st = WEFT_OK;
    for (int32_t t = 0, end; !st && t < nc; t = end) {
        for (end = t + 1; end < nc && c[end].r1 == c[t].r1 && c[end].r2 == c[t].r2;) end++;
        if (end - t >= 2) st = pair_group(ctx, w, c + t, end - t);
    }
    weft_free(ctx, c);
    return st;
}

void ps_pairs_rows(const lp_presolve *ps, weft_lp_problem *r, int32_t first, int32_t e)
{
    for (int32_t t = 0; t < ps->npairs; t++) {
        const ps_pair *pr = &ps->pairs[t];
        for (int h = 0; h < 2; h++) {
            int32_t i = first + 2 * t + h;
            r->row_lo[i] = 0;
            r->row_up[i] = INFINITY;
            r->col_idx[e] = ps->cmap[pr->j];
            r->val[e++] = pr->g[2 * h];
            r->col_idx[e] = ps->cmap[pr->k];
            r->val[e++] = pr->g[2 * h + 1];
            r->row_ptr[i + 1] = e;
        }
    }
}

/* x >= 0 nearest to M^-1 u in the rows: M^-1 u itself when it is >= 0 (the rows hold to the
 * solver's tolerance only). Otherwise one of x_j, x_k is 0 and the other the least-squares fit of
 * u on its column: with a and b nearly opposite a slightly negative x_j is almost a larger x_k,
 * and clamping x_j to 0 instead would leave |x_j| |a| in the rows. */
static void nearest(const ps_pair *pr, double u1, double u2, double *xj, double *xk)
{
    *xj = pr->inv[0] * u1 + pr->inv[1] * u2;
    *xk = pr->inv[2] * u1 + pr->inv[3] * u2;
    if (*xj >= 0 && *xk >= 0) return;
    double a1 = pr->m[0], a2 = pr->m[2], b1 = pr->m[1], b2 = pr->m[3];
    double tj = fmax(0, (a1 * u1 + a2 * u2) / (a1 * a1 + a2 * a2));
    double tk = fmax(0, (b1 * u1 + b2 * u2) / (b1 * b1 + b2 * b2));
    double rj = hypot(u1 - tj * a1, u2 - tj * a2), rk = hypot(u1 - tk * b1, u2 - tk * b2);
    *xj = rj <= rk ? tj : 0;
    *xk = rj <= rk ? 0 : tk;
}

void ps_pairs_undo(const lp_presolve *ps, const double *xr, double *x)
{
    for (int32_t t = ps->npairs - 1; t >= 0; t--) {
        const ps_pair *pr = &ps->pairs[t];
        nearest(pr, xr[ps->cmap[pr->j]], xr[ps->cmap[pr->k]], &x[pr->j], &x[pr->k]);
    }
}

void ps_pairs_restrict(const lp_presolve *ps, const double *x, double *xr)
{
    for (int32_t t = 0; t < ps->npairs; t++) {
        const ps_pair *pr = &ps->pairs[t];
        xr[ps->cmap[pr->j]] = pr->m[0] * x[pr->j] + pr->m[1] * x[pr->k];
        xr[ps->cmap[pr->k]] = pr->m[2] * x[pr->j] + pr->m[3] * x[pr->k];
    }
}
