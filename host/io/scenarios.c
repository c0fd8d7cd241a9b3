/* Scenarios: creation, validation against their grid, the per-period values they imply, and one
 * scenario baked into a grid of its own. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/grid_internal.h"
#include "io/scenarios_internal.h"

#define AT2(s, t) ((size_t)(s) * (size_t)sc->periods + (size_t)(t))
#define AT3(s, t, i, n) (AT2(s, t) * (size_t)(n) + (size_t)(i))

static size_t row_of(const weft_grid *g, int32_t t) { return (size_t)(t % g->n_periods); }

double weft_scenario_load(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t i)
{
    if (sc && sc->load_p) return sc->load_p[AT3(s, t, i, g->n_bus)];
    double base = g->load[row_of(g, t) * (size_t)g->n_bus + (size_t)i];
    return sc && sc->load_scale ? base * sc->load_scale[AT2(s, t)] : base;
}

double weft_scenario_available(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t i)
{
    double cap = g->ren_capacity[i];
    if (sc && sc->renewable_p) return sc->renewable_p[AT3(s, t, i, g->n_renewable)];
    double a = g->ren_availability[row_of(g, t) * (size_t)g->n_renewable + (size_t)i];
    if (sc && sc->renewable_scale) a = fmin(1, a * sc->renewable_scale[AT2(s, t)]);
    return cap * a;
}

double weft_scenario_price(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t k)
{
    if (sc && sc->tie_price) return sc->tie_price[AT3(s, t, k, g->n_tie)];
    return g->tie_price[row_of(g, t) * (size_t)g->n_tie + (size_t)k];
}

weft_status weft_scenarios_create(weft_context *ctx, int32_t count, int32_t periods, const weft_grid *g,
                                  weft_scenarios **out)
{
    if (!ctx || !g || !out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    if (count < 1 || count > WEFT_SCENARIOS_MAX || periods < 1)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "scenarios: %d scenarios of %d periods", count, periods);
    weft_scenarios *s = weft_calloc(ctx, 1, sizeof *s);
    if (!s) return weft_error(ctx, WEFT_ERR_NOMEM, "scenarios: out of memory");
    *s = (weft_scenarios){.count = count, .periods = periods, .n_bus = g->n_bus,
                          .n_renewable = g->n_renewable, .n_tie = g->n_tie};
    *out = s;
    return WEFT_OK;
}

void weft_scenarios_destroy(weft_context *ctx, weft_scenarios **ps)
{
    if (!ps || !*ps) return;
    weft_scenarios *s = *ps;
    weft_free(ctx, s->load_scale);
    weft_free(ctx, s->load_p);
    weft_free(ctx, s->renewable_scale);
    weft_free(ctx, s->renewable_p);
    weft_free(ctx, s->tie_price);
    if (s->name)
        for (int32_t i = 0; i < s->count; i++) weft_free(ctx, s->name[i]);
    weft_free(ctx, s->name);
    weft_free(ctx, s);
    *ps = NULL;
}

#define BAD(...) weft_error(ctx, WEFT_ERR_BAD_INPUT, __VA_ARGS__)

/* One profile: finite and within WEFT_INPUT_MAX_ABS, >= 0 unless negatives are allowed, <= the
 * member's cap when one is given. */
static int check_profile(weft_context *ctx, const char *w, const char *name, const double *v, const weft_scenarios *sc,
                         int32_t members, int nonneg, const double *cap)
{
    if (!v) return WEFT_OK;
    size_t m = members > 0 ? (size_t)members : 1, n = (size_t)sc->count * (size_t)sc->periods * m;
    for (size_t k = 0; k < n; k++) {
        char at[64];
        size_t st = k / m;
        if (members > 0) snprintf(at, sizeof at, "%zu,%zu,%zu", st / (size_t)sc->periods, st % (size_t)sc->periods, k % m);
        else snprintf(at, sizeof at, "%zu,%zu", st / (size_t)sc->periods, st % (size_t)sc->periods);
        if (!isfinite(v[k])) return BAD("%s: /scenarios/%s[%s] = %g (must be finite)", w, name, at, v[k]);
        if (weft_out_of_range(v[k]))
            return BAD("%s: /scenarios/%s[%s] = %g is out of range (|value| > %g)", w, name, at, v[k],
                       WEFT_INPUT_MAX_ABS);
        if (nonneg && v[k] < 0) return BAD("%s: /scenarios/%s[%s] = %g is negative", w, name, at, v[k]);
        if (cap && v[k] > cap[k % m] * (1 + 1e-9) + 1e-9)
            return BAD("%s: /scenarios/%s[%s] = %g exceeds the unit's capacity %g MW", w, name, at, v[k], cap[k % m]);
    }
    return WEFT_OK;
}

weft_status weft_scenarios_validate(weft_context *ctx, const weft_scenarios *sc, const weft_grid *g, const char *w)
{
    if (!ctx || !sc || !g) return WEFT_ERR_INVALID_ARG;
    if (sc->count < 1 || sc->count > WEFT_SCENARIOS_MAX)
        return BAD("%s: /scenarios count = %d is not in [1, %d]", w, sc->count, WEFT_SCENARIOS_MAX);
    if (sc->periods < 1 || sc->periods > 100000)
        return BAD("%s: /scenarios periods = %d is not in [1, 100000]", w, sc->periods);
    if (sc->n_bus != g->n_bus || sc->n_renewable != g->n_renewable || sc->n_tie != g->n_tie)
        return BAD("%s: /scenarios are shaped for %d buses, %d renewables, %d tie-lines; /grid has %d, %d, %d", w,
                   sc->n_bus, sc->n_renewable, sc->n_tie, g->n_bus, g->n_renewable, g->n_tie);
    if (sc->load_scale && sc->load_p) return BAD("%s: /scenarios has both load_scale and load_p (give one)", w);
    if (sc->renewable_scale && sc->renewable_p)
        return BAD("%s: /scenarios has both renewable_scale and renewable_p (give one)", w);
    int st = check_profile(ctx, w, "load_scale", sc->load_scale, sc, 0, 1, NULL);
    if (!st) st = check_profile(ctx, w, "load_p", sc->load_p, sc, g->n_bus, 1, NULL);
    if (!st) st = check_profile(ctx, w, "renewable_scale", sc->renewable_scale, sc, 0, 1, NULL);
    if (!st) st = check_profile(ctx, w, "renewable_p", sc->renewable_p, sc, g->n_renewable, 1, g->ren_capacity);
    if (!st) st = check_profile(ctx, w, "tie_price", sc->tie_price, sc, g->n_tie, 0, NULL);
    return st;
}

#define COLUMN(g, f) ((void **)((char *)(g) + (f)->offset))
#define COUNT(g, f) (*(const int32_t *)((const char *)(g) + (f)->count))

/* Copies every column of src into dst (same member counts) except the series, baked separately. */
static int copy_tables(weft_context *ctx, const weft_grid *src, weft_grid *dst)
{
    for (size_t k = 0; k < weft_grid_n_fields; k++) {
        const grid_field *f = &weft_grid_fields[k];
        size_t n = (size_t)COUNT(src, f);
        void *from = *COLUMN(src, f), *to = *COLUMN(dst, f);
        if (f->type == GF_SERIES) continue;
        if (f->type != GF_STRING) {
            memcpy(to, from, n * (f->type == GF_INT ? sizeof(int32_t) : sizeof(double)));
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            weft_free(ctx, ((char **)to)[i]);
            if (!(((char **)to)[i] = weft_strdup(ctx, ((char **)from)[i]))) return WEFT_ERR_NOMEM;
        }
    }
    return WEFT_OK;
}

static void bake_series(const weft_scenarios *sc, int32_t s, const weft_grid *g, weft_grid *o)
{
    for (int32_t t = 0; t < o->n_periods; t++) {
        for (int32_t i = 0; i < g->n_bus; i++) o->load[(size_t)t * g->n_bus + i] = weft_scenario_load(sc, g, s, t, i);
        for (int32_t i = 0; i < g->n_renewable; i++) {
            double cap = g->ren_capacity[i], a = weft_scenario_available(sc, g, s, t, i);
            o->ren_availability[(size_t)t * g->n_renewable + i] = cap > 0 ? fmin(1, a / cap) : 0;
        }
        for (int32_t k = 0; k < g->n_tie; k++) o->tie_price[(size_t)t * g->n_tie + k] = weft_scenario_price(sc, g, s, t, k);
    }
}

weft_status weft_scenarios_bake(weft_context *ctx, const weft_scenarios *sc, int32_t s, const weft_grid *g,
                                weft_grid **out)
{
    if (!ctx || !sc || !g || !out || s < 0 || s >= sc->count) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    weft_grid_sizes z = {sc->periods, g->n_bus, g->n_branch, g->n_gen, g->n_pwl, g->n_storage, g->n_renewable, g->n_tie};
    weft_grid *o = NULL;
    int st = weft_grid_create(ctx, &z, &o);
    if (st) return st;
    o->base_mva = g->base_mva;
    o->voll = g->voll;
    o->period_h = g->period_h;
    char name[512];
    snprintf(name, sizeof name, "%s#%d", g->name ? g->name : "grid", s);
    if (copy_tables(ctx, g, o) || !(o->name = weft_strdup(ctx, name))) {
        weft_grid_destroy(ctx, &o);
        return weft_error(ctx, WEFT_ERR_NOMEM, "scenarios: out of memory baking scenario %d", s);
    }
    bake_series(sc, s, g, o);
    *out = o;
    return WEFT_OK;
}
