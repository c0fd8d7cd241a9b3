#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/grid_internal.h"

#define N(m) offsetof(weft_grid, m)
#define F(path, cnt, col, type, flags, def, units) {path, N(cnt), N(col), type, flags, def, units}

const grid_field weft_grid_fields[] = {
    F("bus/id", n_bus, bus_id, GF_INT, 0, 0, "1"),
    F("bus/type", n_bus, bus_type, GF_INT, 0, WEFT_BUS_PQ, "1"),
    F("bus/base_kv", n_bus, bus_base_kv, GF_REAL, GF_NONNEG, 0, "kV"),
    F("bus/gs", n_bus, bus_gs, GF_REAL, 0, 0, "MW"),
    F("bus/bs", n_bus, bus_bs, GF_REAL, 0, 0, "MVAr"),
    F("load/p", n_bus, load, GF_SERIES, 0, 0, "MW"),
    F("branch/from", n_branch, br_from, GF_INT, GF_BUSREF, 0, "1"),
    F("branch/to", n_branch, br_to, GF_INT, GF_BUSREF, 0, "1"),
    F("branch/status", n_branch, br_status, GF_INT, GF_FLAG, 1, "1"),
    F("branch/r", n_branch, br_r, GF_REAL, 0, 0, "p.u."),
    F("branch/x", n_branch, br_x, GF_REAL, 0, 0, "p.u."),
    F("branch/b", n_branch, br_b, GF_REAL, 0, 0, "p.u."),
    F("branch/rate_a", n_branch, br_rate_a, GF_REAL, GF_NONNEG | GF_INF, INFINITY, "MW"),
    F("branch/tap", n_branch, br_tap, GF_REAL, 0, 1, "1"),
    F("branch/shift", n_branch, br_shift, GF_REAL, 0, 0, "deg"),
    F("branch/angmin", n_branch, br_angmin, GF_REAL, GF_INF, -INFINITY, "deg"),
    F("branch/angmax", n_branch, br_angmax, GF_REAL, GF_INF, INFINITY, "deg"),
    F("generator/bus", n_gen, gen_bus, GF_INT, GF_BUSREF, 0, "1"),
    F("generator/status", n_gen, gen_status, GF_INT, GF_FLAG, 1, "1"),
    F("generator/pmin", n_gen, gen_pmin, GF_REAL, 0, 0, "MW"),
    F("generator/pmax", n_gen, gen_pmax, GF_REAL, 0, 0, "MW"),
    F("generator/ramp", n_gen, gen_ramp, GF_REAL, GF_NONNEG | GF_INF, INFINITY, "MW/h"),
    F("generator/cost_model", n_gen, gen_cost_model, GF_INT, 0, WEFT_COST_POLY, "1"),
    F("generator/c2", n_gen, gen_c2, GF_REAL, 0, 0, "currency/MW^2h"),
    F("generator/c1", n_gen, gen_c1, GF_REAL, 0, 0, "currency/MWh"),
    F("generator/c0", n_gen, gen_c0, GF_REAL, 0, 0, "currency/h"),
    F("generator/technology", n_gen, gen_tech, GF_STRING, 0, 0, NULL),
    F("generator_pwl/generator", n_pwl, pwl_gen, GF_INT, GF_GENREF, 0, "1"),
    F("generator_pwl/p", n_pwl, pwl_mw, GF_REAL, 0, 0, "MW"),
    F("generator_pwl/cost", n_pwl, pwl_cost, GF_REAL, 0, 0, "currency/h"),
    F("storage/bus", n_storage, sto_bus, GF_INT, GF_BUSREF, 0, "1"),
    F("storage/charge_max", n_storage, sto_charge_max, GF_REAL, GF_NONNEG, 0, "MW"),
    F("storage/discharge_max", n_storage, sto_discharge_max, GF_REAL, GF_NONNEG, 0, "MW"),
    F("storage/energy_max", n_storage, sto_energy_max, GF_REAL, GF_NONNEG, 0, "MWh"),
    F("storage/eta_charge", n_storage, sto_eta_charge, GF_REAL, GF_UNIT, 1, "1"),
    F("storage/eta_discharge", n_storage, sto_eta_discharge, GF_REAL, GF_UNIT, 1, "1"),
    F("storage/soc_initial", n_storage, sto_soc_initial, GF_REAL, GF_NONNEG, 0, "MWh"),
    F("storage/soc_final", n_storage, sto_soc_final, GF_REAL, GF_NONNEG, 0, "MWh"),
    F("renewable/bus", n_renewable, ren_bus, GF_INT, GF_BUSREF, 0, "1"),
    F("renewable/capacity", n_renewable, ren_capacity, GF_REAL, GF_NONNEG, 0, "MW"),
    F("renewable/technology", n_renewable, ren_tech, GF_STRING, 0, 0, NULL),
    F("renewable/availability", n_renewable, ren_availability, GF_SERIES, GF_UNIT, 0, "1"),
    F("tie_line/bus", n_tie, tie_bus, GF_INT, GF_BUSREF, 0, "1"),
    F("tie_line/import_max", n_tie, tie_import_max, GF_REAL, GF_NONNEG, 0, "MW"),
    F("tie_line/price", n_tie, tie_price, GF_SERIES, 0, 0, "currency/MWh"),
};
const size_t weft_grid_n_fields = sizeof weft_grid_fields / sizeof *weft_grid_fields;

#define COUNT(g, f) (*(const int32_t *)((const char *)(g) + (f)->count))
#define COLUMN(g, f) ((void **)((char *)(g) + (f)->offset))

static size_t elem_size(grid_ftype t)
{
    return t == GF_INT ? sizeof(int32_t) : t == GF_STRING ? sizeof(char *) : sizeof(double);
}

static size_t field_len(const weft_grid *g, const grid_field *f)
{
    size_t n = (size_t)COUNT(g, f);
    return f->type == GF_SERIES ? n * (size_t)g->n_periods : n;
}

static int fill_default(weft_context *ctx, weft_grid *g, const grid_field *f, void *col)
{
    size_t n = field_len(g, f);
    for (size_t i = 0; i < n; i++) {
        if (f->type == GF_INT) ((int32_t *)col)[i] = (int32_t)f->def;
        else if (f->type == GF_STRING) {
            if (!(((char **)col)[i] = weft_strdup(ctx, ""))) return WEFT_ERR_NOMEM;
        } else ((double *)col)[i] = f->def;
    }
    return WEFT_OK;
}

weft_status weft_grid_create(weft_context *ctx, const weft_grid_sizes *s, weft_grid **out)
{
    if (!ctx || !s || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    if (s->n_periods < 1 || s->n_bus < 0 || s->n_branch < 0 || s->n_gen < 0 || s->n_pwl < 0 ||
        s->n_storage < 0 || s->n_renewable < 0 || s->n_tie < 0)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "grid: negative size or fewer than one period");
    weft_grid *g = weft_calloc(ctx, 1, sizeof *g);
    if (!g) return weft_error(ctx, WEFT_ERR_NOMEM, "grid: out of memory");
    g->base_mva = 100;
    g->voll = 10000;
    g->period_h = 1;
    g->n_periods = s->n_periods;
    g->n_bus = s->n_bus;
    g->n_branch = s->n_branch;
    g->n_gen = s->n_gen;
    g->n_pwl = s->n_pwl;
    g->n_storage = s->n_storage;
    g->n_renewable = s->n_renewable;
    g->n_tie = s->n_tie;
    for (size_t k = 0; k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        size_t n = field_len(g, f);
        void *col = weft_calloc(ctx, n ? n : 1, elem_size(f->type));
        *COLUMN(g, f) = col;
        if (!col || fill_default(ctx, g, f, col)) {
            weft_grid_destroy(ctx, &g);
            return weft_error(ctx, WEFT_ERR_NOMEM, "grid: out of memory for %s (%zu entries)", f->path, n);
        }
    }
    *out = g;
    return WEFT_OK;
}

void weft_grid_destroy(weft_context *ctx, weft_grid **pg)
{
    if (!pg || !*pg) return;
    weft_grid *g = *pg;
    for (size_t k = 0; k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        void *col = *COLUMN(g, f);
        if (f->type == GF_STRING && col)
            for (int32_t i = 0; i < COUNT(g, f); i++) weft_free(ctx, ((char **)col)[i]);
        weft_free(ctx, col);
    }
    weft_free(ctx, g->name);
    weft_free(ctx, g);
    *pg = NULL;
}

#define BAD(...) weft_error(ctx, WEFT_ERR_BAD_INPUT, __VA_ARGS__)

/* The per-column rules of the field table: finite values, references, signs. */
static int check_field(weft_context *ctx, const weft_grid *g, const grid_field *f, const char *w)
{
    size_t n = field_len(g, f);
    const void *col = *COLUMN((weft_grid *)g, f);
    if (f->type == GF_STRING) return WEFT_OK;
    if (f->type == GF_INT) {
        const int32_t *v = col;
        int32_t lim = f->flags & GF_BUSREF ? g->n_bus : f->flags & GF_GENREF ? g->n_gen : 0;
        for (size_t i = 0; i < n; i++) {
            if ((f->flags & (GF_BUSREF | GF_GENREF)) && (v[i] < 0 || v[i] >= lim))
                return BAD("%s: /grid/%s[%zu] = %d refers to no %s (there are %d)", w, f->path, i, v[i],
                           f->flags & GF_BUSREF ? "bus" : "generator", lim);
            if ((f->flags & GF_FLAG) && v[i] != 0 && v[i] != 1)
                return BAD("%s: /grid/%s[%zu] = %d should be 0 or 1", w, f->path, i, v[i]);
        }
        return WEFT_OK;
    }
    const double *v = col;
    size_t m = (size_t)COUNT(g, f);
    for (size_t i = 0; i < n; i++) {
        char row[48]; /* a series names [period,member] */
        if (f->type == GF_SERIES) snprintf(row, sizeof row, "%zu,%zu", i / m, i % m);
        else snprintf(row, sizeof row, "%zu", i);
        if (isnan(v[i])) return BAD("%s: /grid/%s[%s] is NaN", w, f->path, row);
        if (isinf(v[i]) && !(f->flags & GF_INF)) return BAD("%s: /grid/%s[%s] is infinite", w, f->path, row);
        if (weft_out_of_range(v[i]))
            return BAD("%s: /grid/%s[%s] = %g is out of range (|value| > %g%s)", w, f->path, row, v[i],
                       WEFT_INPUT_MAX_ABS, f->flags & GF_INF ? "; write inf for no limit" : "");
        if ((f->flags & GF_NONNEG) && v[i] < 0)
            return BAD("%s: /grid/%s[%s] = %g is negative (a capacity must be >= 0)", w, f->path, row, v[i]);
        if ((f->flags & GF_UNIT) && (v[i] < 0 || v[i] > 1))
            return BAD("%s: /grid/%s[%s] = %g is outside [0, 1]", w, f->path, row, v[i]);
    }
    return WEFT_OK;
}

static int check_buses(weft_context *ctx, const weft_grid *g, const char *w)
{
    for (int32_t i = 0; i < g->n_bus; i++)
        if (g->bus_type[i] < WEFT_BUS_PQ || g->bus_type[i] > WEFT_BUS_ISOLATED)
            return BAD("%s: /grid/bus/type[%d] = %d is not 1 (PQ), 2 (PV), 3 (reference) or 4 (isolated)",
                       w, i, g->bus_type[i]);
    return WEFT_OK;
}

static int check_branches(weft_context *ctx, const weft_grid *g, const char *w)
{
    for (int32_t i = 0; i < g->n_branch; i++) {
        if (g->br_angmin[i] > g->br_angmax[i])
            return BAD("%s: /grid/branch/angmin[%d] = %g exceeds angmax = %g", w, i, g->br_angmin[i],
                       g->br_angmax[i]);
        if (g->br_from[i] == g->br_to[i])
            return BAD("%s: /grid/branch/to[%d] = %d: a branch must join two different buses", w, i, g->br_to[i]);
        if (!(g->br_tap[i] > 0)) return BAD("%s: /grid/branch/tap[%d] = %g must be > 0", w, i, g->br_tap[i]);
        if (g->br_status[i] && g->br_r[i] == 0 && g->br_x[i] == 0)
            return BAD("%s: /grid/branch/x[%d]: in-service branch with zero impedance", w, i);
    }
    return WEFT_OK;
}

/* Points of one generator's piecewise-linear cost: MW ascending, slopes non-decreasing (convex). */
static int check_pwl(weft_context *ctx, const weft_grid *g, const char *w, int32_t gen, int32_t k0, int32_t k1)
{
    if (k1 - k0 < 2) return BAD("%s: /grid/generator_pwl: generator %d needs at least 2 points, has %d", w, gen,
                                k1 - k0);
    double slope = -INFINITY;
    for (int32_t k = k0 + 1; k < k1; k++) {
        double dp = g->pwl_mw[k] - g->pwl_mw[k - 1];
        if (!(dp > 0)) return BAD("%s: /grid/generator_pwl/p[%d] = %g does not increase", w, k, g->pwl_mw[k]);
        double s = (g->pwl_cost[k] - g->pwl_cost[k - 1]) / dp;
        if (s < slope - 1e-9 * fmax(1, fabs(slope)))
            return BAD("%s: /grid/generator_pwl/cost[%d]: cost of generator %d is not convex", w, k, gen);
        slope = s;
    }
    return WEFT_OK;
}

static int check_generators(weft_context *ctx, const weft_grid *g, const char *w)
{
    int32_t k = 0;
    for (int32_t i = 0; i < g->n_gen; i++) {
        if (g->gen_pmin[i] > g->gen_pmax[i])
            return BAD("%s: /grid/generator/pmin[%d] = %g exceeds pmax = %g", w, i, g->gen_pmin[i], g->gen_pmax[i]);
        int m = g->gen_cost_model[i];
        if (m != WEFT_COST_POLY && m != WEFT_COST_PWL)
            return BAD("%s: /grid/generator/cost_model[%d] = %d is not 1 (piecewise linear) or 2 (polynomial)",
                       w, i, m);
        if (g->gen_c2[i] < 0)
            return BAD("%s: /grid/generator/c2[%d] = %g: a concave cost cannot be minimised as a convex QP", w, i,
                       g->gen_c2[i]);
        int32_t k0 = k;
        while (k < g->n_pwl && g->pwl_gen[k] == i) k++;
        if (k < g->n_pwl && g->pwl_gen[k] < i)
            return BAD("%s: /grid/generator_pwl/generator[%d] = %d: rows must be sorted by generator", w, k,
                       g->pwl_gen[k]);
        if (m == WEFT_COST_PWL) {
            int st = check_pwl(ctx, g, w, i, k0, k);
            if (st) return st;
        } else if (k > k0) {
            return BAD("%s: /grid/generator_pwl/generator[%d] = %d has a polynomial cost (cost_model 2)", w, k0, i);
        }
    }
    if (k < g->n_pwl)
        return BAD("%s: /grid/generator_pwl/generator[%d]: rows must be sorted by generator", w, k);
    return WEFT_OK;
}

static int check_storage(weft_context *ctx, const weft_grid *g, const char *w)
{
    for (int32_t i = 0; i < g->n_storage; i++) {
        if (g->sto_eta_charge[i] <= 0 || g->sto_eta_discharge[i] <= 0)
            return BAD("%s: /grid/storage/eta_charge[%d]: efficiencies must be in (0, 1]", w, i);
        if (g->sto_soc_initial[i] > g->sto_energy_max[i])
            return BAD("%s: /grid/storage/soc_initial[%d] = %g exceeds energy_max = %g", w, i,
                       g->sto_soc_initial[i], g->sto_energy_max[i]);
        if (g->sto_soc_final[i] > g->sto_energy_max[i])
            return BAD("%s: /grid/storage/soc_final[%d] = %g exceeds energy_max = %g", w, i, g->sto_soc_final[i],
                       g->sto_energy_max[i]);
    }
    return WEFT_OK;
}

int weft_grid_validate_in(weft_context *ctx, const weft_grid *g, const char *w)
{
    if (!g) return weft_error(ctx, WEFT_ERR_INVALID_ARG, "%s: no grid given", w);
    if (!(g->base_mva > 0) || !isfinite(g->base_mva))
        return BAD("%s: /grid base_mva = %g must be a positive number", w, g->base_mva);
    if (!(g->voll >= 0) || !isfinite(g->voll)) return BAD("%s: /grid voll = %g must be >= 0", w, g->voll);
    if (!(g->period_h > 0) || !isfinite(g->period_h))
        return BAD("%s: /grid period_hours = %g must be > 0", w, g->period_h);
    if (g->n_periods < 1) return BAD("%s: /grid: at least one period is needed", w);
    for (size_t k = 0; k < weft_grid_n_fields; k++) {
        int st = check_field(ctx, g, &weft_grid_fields[k], w);
        if (st) return st;
    }
    int st = check_buses(ctx, g, w);
    if (!st) st = check_branches(ctx, g, w);
    if (!st) st = check_generators(ctx, g, w);
    if (!st) st = check_storage(ctx, g, w);
    return st;
}

weft_status weft_grid_validate(weft_context *ctx, const weft_grid *g)
{
    return weft_grid_validate_in(ctx, g, g && g->name ? g->name : "grid");
}
