#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "dcopf.h"

#define DEG (M_PI / 180.0)

/* The constraint matrix is gathered as triplets (rows of the nodal balance collect entries from
 * every component) and compressed to CSR at the end. */
typedef struct build {
    weft_context *ctx;
    weft_dcopf *m;
    const weft_grid *g;
    int32_t n_rows, nnz, cap_rows, cap_nnz;
    int32_t *ti, *tj;
    double *tv, *rlo, *rup;
    double *obj, *q, *lo, *up, offset;
    double base, dt;
    int err;
} build;

static int grow(build *b, void **p, size_t cap, size_t size)
{
    void *n = weft_realloc_array(b->ctx, *p, cap, size);
    if (!n) return b->err = 1;
    *p = n;
    return 0;
}

static int32_t add_row(build *b, double lo, double up)
{
    if (b->err) return 0;
    if (b->n_rows == b->cap_rows) {
        size_t cap = (size_t)b->cap_rows * 2 + 1024;
        if (cap > INT32_MAX || grow(b, (void **)&b->rlo, cap, sizeof(double)) ||
            grow(b, (void **)&b->rup, cap, sizeof(double)))
            return b->err = 1, 0;
        b->cap_rows = (int32_t)cap;
    }
    b->rlo[b->n_rows] = lo;
    b->rup[b->n_rows] = up;
    return b->n_rows++;
}

static void add(build *b, int32_t row, int32_t col, double v)
{
    if (b->err) return;
    if (b->nnz == b->cap_nnz) {
        size_t cap = (size_t)b->cap_nnz * 2 + 4096;
        if (cap > INT32_MAX || grow(b, (void **)&b->ti, cap, sizeof(int32_t)) ||
            grow(b, (void **)&b->tj, cap, sizeof(int32_t)) || grow(b, (void **)&b->tv, cap, sizeof(double))) {
            b->err = 1;
            return;
        }
        b->cap_nnz = (int32_t)cap;
    }
    b->ti[b->nnz] = row;
    b->tj[b->nnz] = col;
    b->tv[b->nnz++] = v;
}

static int32_t col(int32_t block, int32_t t, int32_t members, int32_t i) { return block + t * members + i; }
static int32_t series(const weft_grid *g, int32_t t) { return t % g->n_periods; }

static int live(const weft_grid *g, int32_t bus) { return g->bus_type[bus] != WEFT_BUS_ISOLATED; }

static int gen_on(const weft_grid *g, int32_t i)
{
    return g->gen_status[i] && g->bus_type[g->gen_bus[i]] != WEFT_BUS_ISOLATED;
}

static int branch_on(const weft_grid *g, int32_t i)
{
    return g->br_status[i] && g->bus_type[g->br_from[i]] != WEFT_BUS_ISOLATED &&
           g->bus_type[g->br_to[i]] != WEFT_BUS_ISOLATED;
}

/* About the largest marginal cost of supply, currency/MWh: divides the objective. */
static double cost_scale(const weft_grid *g)
{
    double s = 0;
    for (int32_t i = 0; i < g->n_gen; i++)
        if (g->gen_status[i] && g->gen_cost_model[i] == WEFT_COST_POLY)
            s = fmax(s, fabs(g->gen_c1[i]) + 2 * g->gen_c2[i] * fmax(fabs(g->gen_pmax[i]), fabs(g->gen_pmin[i])));
    for (int32_t k = 1; k < g->n_pwl; k++)
        if (g->pwl_gen[k] == g->pwl_gen[k - 1])
            s = fmax(s, fabs((g->pwl_cost[k] - g->pwl_cost[k - 1]) / (g->pwl_mw[k] - g->pwl_mw[k - 1])));
    return s > 0 ? s : 1;
}

/* Susceptances under the chosen convention; an in-service branch without one is an error. */
static int susceptances(weft_context *ctx, weft_dcopf *m)
{
    const weft_grid *g = m->grid;
    for (int32_t i = 0; i < g->n_branch; i++) {
        double r = g->br_r[i], x = g->br_x[i];
        m->b[i] = 0;
        if (!branch_on(g, i)) continue;
        if (m->convention == WEFT_DC_POWERMODELS) m->b[i] = x / (r * r + x * x);
        else if (x != 0) m->b[i] = 1 / (x * g->br_tap[i]);
        else
            return weft_error(ctx, WEFT_ERR_BAD_INPUT,
                              "%s: /grid/branch/x[%d] = 0: MATPOWER's DC model needs a reactance",
                              g->name ? g->name : "grid", i);
    }
    return WEFT_OK;
}

static int32_t layout(weft_dcopf *m)
{
    const weft_grid *g = m->grid;
    int32_t T = m->T, c = 0;
    m->c_pg = c, c += T * g->n_gen;
    m->c_theta = c, c += T * g->n_bus;
    m->c_flow = c, c += T * g->n_branch;
    m->c_shed = c, c += T * g->n_bus;
    m->c_charge = c, c += T * g->n_storage;
    m->c_discharge = c, c += T * g->n_storage;
    m->c_soc = c, c += T * g->n_storage;
    m->c_ren = c, c += T * g->n_renewable;
    m->c_tie = c, c += T * g->n_tie;
    m->c_cost = c, c += T * m->n_cost;
    return c;
}

static void set_col(build *b, int32_t j, double lo, double up, double obj)
{
    b->lo[j] = lo;
    b->up[j] = up;
    b->obj[j] = obj;
}

/* Generators: bounds, linear and quadratic cost (constant cost into the offset), epigraph columns. */
static void gen_columns(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    double k = b->dt / m->cost_scale;
    for (int32_t i = 0; i < g->n_gen; i++) {
        int32_t j = col(m->c_pg, t, g->n_gen, i);
        int poly = g->gen_cost_model[i] == WEFT_COST_POLY;
        if (!gen_on(g, i)) {
            set_col(b, j, 0, 0, 0);
            if (!poly) set_col(b, col(m->c_cost, t, m->n_cost, m->cost_slot[i]), 0, 0, 0);
            continue;
        }
        set_col(b, j, g->gen_pmin[i] / b->base, g->gen_pmax[i] / b->base, poly ? g->gen_c1[i] * b->base * k : 0);
        if (poly) {
            b->q[j] = 2 * g->gen_c2[i] * b->base * b->base * k;
            b->offset += g->gen_c0[i] * k;
        } else {
            set_col(b, col(m->c_cost, t, m->n_cost, m->cost_slot[i]), -INFINITY, INFINITY, b->dt);
        }
    }
}

static void other_columns(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    int32_t s = series(g, t);
    double k = b->dt / m->cost_scale * b->base; /* currency/MWh -> objective per p.u. */
    for (int32_t i = 0; i < g->n_bus; i++) {
        set_col(b, col(m->c_theta, t, g->n_bus, i), -INFINITY, INFINITY, 0);
        double load = g->load[(size_t)s * g->n_bus + i];
        int can_shed = g->voll > 0 && load > 0 && g->bus_type[i] != WEFT_BUS_ISOLATED;
        set_col(b, col(m->c_shed, t, g->n_bus, i), 0, can_shed ? load / b->base : 0, can_shed ? g->voll * k : 0);
    }
    for (int32_t i = 0; i < g->n_branch; i++) {
        double rate = branch_on(g, i) ? g->br_rate_a[i] / b->base : 0;
        set_col(b, col(m->c_flow, t, g->n_branch, i), -rate, rate, 0);
    }
    for (int32_t i = 0; i < g->n_storage; i++) {
        double on = live(g, g->sto_bus[i]) / b->base; /* units on an isolated bus stay idle */
        set_col(b, col(m->c_charge, t, g->n_storage, i), 0, g->sto_charge_max[i] * on, 0);
        set_col(b, col(m->c_discharge, t, g->n_storage, i), 0, g->sto_discharge_max[i] * on, 0);
        double lo = t == m->T - 1 ? g->sto_soc_final[i] / b->base : 0;
        set_col(b, col(m->c_soc, t, g->n_storage, i), lo, g->sto_energy_max[i] / b->base, 0);
    }
    for (int32_t i = 0; i < g->n_renewable; i++) {
        double avail = g->ren_capacity[i] * g->ren_availability[(size_t)s * g->n_renewable + i];
        set_col(b, col(m->c_ren, t, g->n_renewable, i), 0, avail * live(g, g->ren_bus[i]) / b->base, 0);
    }
    for (int32_t i = 0; i < g->n_tie; i++)
        set_col(b, col(m->c_tie, t, g->n_tie, i), 0, g->tie_import_max[i] * live(g, g->tie_bus[i]) / b->base,
                g->tie_price[(size_t)s * g->n_tie + i] * k);
}

/* Angles fixed at 0 on reference and isolated buses (on the first bus if no reference exists). */
static void fix_angles(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    int32_t first = b->m->c_theta + t * g->n_bus;
    int have_ref = 0;
    for (int32_t i = 0; i < g->n_bus; i++) {
        if (g->bus_type[i] != WEFT_BUS_REF && g->bus_type[i] != WEFT_BUS_ISOLATED) continue;
        have_ref |= g->bus_type[i] == WEFT_BUS_REF;
        b->lo[first + i] = b->up[first + i] = 0;
    }
    if (!have_ref && g->n_bus > 0) b->lo[first] = b->up[first] = 0;
}

/* Nodal balance: generation + imports + discharge + renewables + shedding - charge
 * - flows out + flows in = load + shunt. Its dual is the LMP. */
static void balance_rows(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    int32_t s = series(g, t), *bal = m->row_bal + (size_t)t * g->n_bus;
    for (int32_t i = 0; i < g->n_bus; i++) {
        bal[i] = -1;
        if (g->bus_type[i] == WEFT_BUS_ISOLATED) continue;
        double d = (g->load[(size_t)s * g->n_bus + i] + g->bus_gs[i]) / b->base;
        bal[i] = add_row(b, d, d);
        add(b, bal[i], col(m->c_shed, t, g->n_bus, i), 1);
    }
    for (int32_t i = 0; i < g->n_gen; i++)
        if (gen_on(g, i)) add(b, bal[g->gen_bus[i]], col(m->c_pg, t, g->n_gen, i), 1);
    for (int32_t i = 0; i < g->n_branch; i++) {
        if (!branch_on(g, i)) continue;
        add(b, bal[g->br_from[i]], col(m->c_flow, t, g->n_branch, i), -1);
        add(b, bal[g->br_to[i]], col(m->c_flow, t, g->n_branch, i), 1);
    }
    for (int32_t i = 0; i < g->n_storage; i++) {
        if (bal[g->sto_bus[i]] < 0) continue;
        add(b, bal[g->sto_bus[i]], col(m->c_discharge, t, g->n_storage, i), 1);
        add(b, bal[g->sto_bus[i]], col(m->c_charge, t, g->n_storage, i), -1);
    }
    for (int32_t i = 0; i < g->n_renewable; i++)
        if (bal[g->ren_bus[i]] >= 0) add(b, bal[g->ren_bus[i]], col(m->c_ren, t, g->n_renewable, i), 1);
    for (int32_t i = 0; i < g->n_tie; i++)
        if (bal[g->tie_bus[i]] >= 0) add(b, bal[g->tie_bus[i]], col(m->c_tie, t, g->n_tie, i), 1);
}

/* f - b (theta_f - theta_t) = -b shift, and angmin <= theta_f - theta_t <= angmax. */
static void branch_rows(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    for (int32_t i = 0; i < g->n_branch; i++) {
        if (!branch_on(g, i)) continue;
        double bb = m->b[i];
        double shift = m->convention == WEFT_DC_MATPOWER ? g->br_shift[i] * DEG : 0;
        int32_t tf = col(m->c_theta, t, g->n_bus, g->br_from[i]), tt = col(m->c_theta, t, g->n_bus, g->br_to[i]);
        int32_t r = add_row(b, -bb * shift, -bb * shift);
        add(b, r, col(m->c_flow, t, g->n_branch, i), 1);
        add(b, r, tf, -bb);
        add(b, r, tt, bb);
        if (isinf(g->br_angmin[i]) && isinf(g->br_angmax[i])) continue;
        r = add_row(b, g->br_angmin[i] * DEG, g->br_angmax[i] * DEG);
        add(b, r, tf, 1);
        add(b, r, tt, -1);
    }
}

/* Ramp limits between consecutive periods. */
static void ramp_rows(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    if (t == 0) return;
    for (int32_t i = 0; i < g->n_gen; i++) {
        if (!gen_on(g, i) || isinf(g->gen_ramp[i])) continue;
        double lim = g->gen_ramp[i] * b->dt / b->base;
        int32_t r = add_row(b, -lim, lim);
        add(b, r, col(b->m->c_pg, t, g->n_gen, i), 1);
        add(b, r, col(b->m->c_pg, t - 1, g->n_gen, i), -1);
    }
}

/* soc_t = soc_{t-1} + eta_c dt charge - dt / eta_d discharge (soc_{-1} = initial). */
static void storage_rows(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    for (int32_t i = 0; i < g->n_storage; i++) {
        double rhs = t == 0 ? g->sto_soc_initial[i] / b->base : 0;
        int32_t r = add_row(b, rhs, rhs);
        add(b, r, col(m->c_soc, t, g->n_storage, i), 1);
        if (t > 0) add(b, r, col(m->c_soc, t - 1, g->n_storage, i), -1);
        add(b, r, col(m->c_charge, t, g->n_storage, i), -g->sto_eta_charge[i] * b->dt);
        add(b, r, col(m->c_discharge, t, g->n_storage, i), b->dt / g->sto_eta_discharge[i]);
    }
}

/* Epigraph of each piecewise-linear cost: w >= (c_k + s_k (P - p_k)) / cost_scale per segment. */
static void pwl_rows(build *b, int32_t t)
{
    const weft_grid *g = b->g;
    weft_dcopf *m = b->m;
    for (int32_t k = 1; k < g->n_pwl; k++) {
        int32_t i = g->pwl_gen[k];
        if (g->pwl_gen[k - 1] != i || !gen_on(g, i)) continue;
        double s = (g->pwl_cost[k] - g->pwl_cost[k - 1]) / (g->pwl_mw[k] - g->pwl_mw[k - 1]);
        int32_t r = add_row(b, (g->pwl_cost[k] - s * g->pwl_mw[k]) / m->cost_scale, INFINITY);
        add(b, r, col(m->c_cost, t, m->n_cost, m->cost_slot[i]), 1);
        add(b, r, col(m->c_pg, t, g->n_gen, i), -s * b->base / m->cost_scale);
    }
}

/* Triplets to the CSR of the problem (counting sort by row, order within a row kept). */
static int assemble(build *b, int32_t n_cols)
{
    weft_lp_problem *lp = NULL;
    int st = weft_lp_problem_create(b->ctx, n_cols, b->n_rows, b->nnz, &lp);
    if (st) return st;
    for (int32_t k = 0; k < b->nnz; k++) lp->row_ptr[b->ti[k] + 1]++;
    for (int32_t i = 0; i < b->n_rows; i++) lp->row_ptr[i + 1] += lp->row_ptr[i];
    int32_t *next = weft_calloc(b->ctx, (size_t)b->n_rows + 1, sizeof *next);
    if (!next) {
        weft_lp_problem_destroy(b->ctx, &lp);
        return weft_error(b->ctx, WEFT_ERR_NOMEM, "dcopf: out of memory");
    }
    memcpy(next, lp->row_ptr, sizeof *next * ((size_t)b->n_rows + 1));
    for (int32_t k = 0; k < b->nnz; k++) {
        int32_t p = next[b->ti[k]]++;
        lp->col_idx[p] = b->tj[k];
        lp->val[p] = b->tv[k];
    }
    weft_free(b->ctx, next);
    memcpy(lp->row_lo, b->rlo, sizeof(double) * (size_t)b->n_rows);
    memcpy(lp->row_up, b->rup, sizeof(double) * (size_t)b->n_rows);
    memcpy(lp->obj, b->obj, sizeof(double) * (size_t)n_cols);
    memcpy(lp->col_lo, b->lo, sizeof(double) * (size_t)n_cols);
    memcpy(lp->col_up, b->up, sizeof(double) * (size_t)n_cols);
    lp->q = b->q;
    b->q = NULL;
    lp->offset = b->offset;
    lp->name = weft_strdup(b->ctx, b->g->name ? b->g->name : "dcopf");
    b->m->lp = lp; /* the model frees it, named or not */
    return lp->name ? WEFT_OK : weft_error(b->ctx, WEFT_ERR_NOMEM, "dcopf: out of memory naming the LP");
}

static int fill(build *b, int32_t n_cols)
{
    b->obj = weft_calloc(b->ctx, (size_t)n_cols + 1, sizeof(double));
    b->q = weft_calloc(b->ctx, (size_t)n_cols + 1, sizeof(double));
    b->lo = weft_calloc(b->ctx, (size_t)n_cols + 1, sizeof(double));
    b->up = weft_calloc(b->ctx, (size_t)n_cols + 1, sizeof(double));
    if (!b->obj || !b->q || !b->lo || !b->up) return weft_error(b->ctx, WEFT_ERR_NOMEM, "dcopf: out of memory");
    for (int32_t t = 0; t < b->m->T; t++) {
        gen_columns(b, t);
        other_columns(b, t);
        fix_angles(b, t);
        balance_rows(b, t);
        branch_rows(b, t);
        ramp_rows(b, t);
        storage_rows(b, t);
        pwl_rows(b, t);
    }
    if (b->err) return weft_error(b->ctx, WEFT_ERR_NOMEM, "dcopf: out of memory building the LP");
    return assemble(b, n_cols);
}

static void build_free(build *b)
{
    weft_free(b->ctx, b->ti);
    weft_free(b->ctx, b->tj);
    weft_free(b->ctx, b->tv);
    weft_free(b->ctx, b->rlo);
    weft_free(b->ctx, b->rup);
    weft_free(b->ctx, b->obj);
    weft_free(b->ctx, b->q);
    weft_free(b->ctx, b->lo);
    weft_free(b->ctx, b->up);
}

static int model_alloc(weft_context *ctx, weft_dcopf *m)
{
    const weft_grid *g = m->grid;
    m->cost_slot = weft_calloc(ctx, (size_t)g->n_gen + 1, sizeof(int32_t));
    m->row_bal = weft_calloc(ctx, (size_t)m->T * (size_t)g->n_bus + 1, sizeof(int32_t));
    m->b = weft_calloc(ctx, (size_t)g->n_branch + 1, sizeof(double));
    if (!m->cost_slot || !m->row_bal || !m->b) return weft_error(ctx, WEFT_ERR_NOMEM, "dcopf: out of memory");
    for (int32_t i = 0; i < g->n_gen; i++)
        m->cost_slot[i] = g->gen_cost_model[i] == WEFT_COST_PWL ? m->n_cost++ : -1;
    return WEFT_OK;
}

weft_status weft_dcopf_build(weft_context *ctx, const weft_grid *g, const weft_dcopf_options *opt, weft_dcopf **out)
{
    if (!ctx || !g || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    int st = weft_grid_validate(ctx, g);
    if (st) return st;
    int32_t T = opt && opt->periods > 0 ? opt->periods : g->n_periods;
    double size = (double)T * (g->n_gen * 3.0 + g->n_bus * 3.0 + g->n_branch * 5.0 + g->n_storage * 6.0 + g->n_pwl * 2.0);
    if (size > INT32_MAX / 2)
        return weft_error(ctx, WEFT_ERR_OVERFLOW, "dcopf: %d periods of this grid exceed the LP's index range", T);
    weft_dcopf *m = weft_calloc(ctx, 1, sizeof *m);
    if (!m) return weft_error(ctx, WEFT_ERR_NOMEM, "dcopf: out of memory");
    m->grid = g;
    m->convention = opt ? opt->convention : WEFT_DC_MATPOWER;
    m->T = T;
    m->cost_scale = cost_scale(g);
    build b = {.ctx = ctx, .m = m, .g = g, .base = g->base_mva, .dt = g->period_h};
    st = model_alloc(ctx, m);
    if (!st) st = susceptances(ctx, m);
    if (!st) st = fill(&b, layout(m));
    build_free(&b);
    if (st) weft_dcopf_destroy(ctx, &m);
    *out = m;
    return st;
}

void weft_dcopf_destroy(weft_context *ctx, weft_dcopf **pm)
{
    if (!pm || !*pm) return;
    weft_dcopf *m = *pm;
    weft_lp_problem_destroy(ctx, &m->lp);
    weft_free(ctx, m->cost_slot);
    weft_free(ctx, m->row_bal);
    weft_free(ctx, m->b);
    weft_free(ctx, m);
    *pm = NULL;
}
