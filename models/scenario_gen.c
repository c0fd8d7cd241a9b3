/* Synthetic daily scenarios for a grid (SYNTHETIC: made-up draws, not measurements). Each scenario
 * is one day of 24 hourly periods, drawn from its own stream (seed, day) so scenario s does not
 * depend on how many days were asked for:
 *  - load: the grid's own daily shape when it has one (else a generic one) times a seasonal level
 *    (summer and winter peaks), a weekday level and day and hour noise;
 *  - solar: availability times a seasonal factor and the day's cloudiness (clear, broken, overcast);
 *  - tie-line price: the grid's price times the load factor to the power 1.5 (scarcity follows load). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/context_internal.h"
#include "graph/gen_internal.h"
#include "weft/scenarios.h"

#define HOURS 24

/* A weekday's hourly load relative to its peak, for grids given as a single period. */
static const double day_shape[HOURS] = {0.70, 0.66, 0.64, 0.62, 0.63, 0.67, 0.75, 0.84, 0.91, 0.95, 0.97, 0.98,
                                        0.97, 0.96, 0.96, 0.97, 0.99, 1.00, 0.99, 0.96, 0.91, 0.85, 0.78, 0.73};

static double normal(gen_rng *r)
{
    double u = gen_uniform(r, 1e-12, 1), v = gen_uniform(r, 0, 1);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Summer (air conditioning) and a smaller winter peak around an annual mean of 1. */
static double season_level(int day)
{
    return 1 + 0.07 * cos(2 * M_PI * (day - 200) / 365.0) + 0.04 * cos(4 * M_PI * (day - 20) / 365.0);
}

static double weekday_level(int day)
{
    int wd = day % 7; /* 5, 6: the weekend */
    return wd == 5 ? 0.86 : wd == 6 ? 0.80 : 1.0;
}

/* Fraction of clear-sky output the day's clouds let through. */
static double cloudiness(gen_rng *r)
{
    double u = gen_uniform(r, 0, 1);
    if (u < 0.5) return gen_uniform(r, 0.85, 1.0);
    if (u < 0.8) return gen_uniform(r, 0.45, 0.85);
    return gen_uniform(r, 0.1, 0.45);
}

static double sun(int h) { return fmax(0, sin(M_PI * (h - 6) / 12.0)); }

typedef struct day_draw {
    double load[HOURS]; /* factor on the grid's load of the hour */
    double solar[HOURS]; /* factor on clear-sky availability */
} day_draw;

static void draw_day(const weft_grid *g, uint64_t seed, int day, day_draw *d)
{
    gen_rng r = {seed * 0x9E3779B97F4A7C15ULL ^ (0xD1B54A32D192ED03ULL * (uint64_t)(day + 1))};
    double level = season_level(day) * weekday_level(day) * (1 + 0.03 * normal(&r));
    double solar = (0.8 + 0.2 * cos(2 * M_PI * (day - 172) / 365.0)) * cloudiness(&r);
    for (int h = 0; h < HOURS; h++) {
        double shape = g->n_periods == 1 ? day_shape[h] : 1;
        d->load[h] = fmax(0, shape * level * (1 + 0.015 * normal(&r)));
        d->solar[h] = fmax(0, solar * (1 + 0.08 * normal(&r)));
    }
}

static int is_solar(const weft_grid *g, int32_t i)
{
    const char *t = g->ren_tech[i];
    return !*t || strstr(t, "solar") || strstr(t, "pv") || strstr(t, "PV");
}

/* A one-period grid has no daily shape of its own: solar units get the sun's. */
static double renewable_mw(const weft_grid *g, int32_t i, int h, double factor)
{
    double a = g->ren_availability[(size_t)(h % g->n_periods) * g->n_renewable + i];
    if (g->n_periods == 1 && is_solar(g, i)) a = sun(h);
    return g->ren_capacity[i] * fmin(1, a * factor);
}

static void fill_day(const weft_grid *g, weft_scenarios *s, int32_t k, const day_draw *d)
{
    for (int h = 0; h < HOURS; h++) {
        size_t st = (size_t)k * HOURS + (size_t)h;
        s->load_scale[st] = d->load[h];
        for (int32_t i = 0; i < g->n_renewable; i++)
            s->renewable_p[st * g->n_renewable + i] = renewable_mw(g, i, h, d->solar[h]);
        for (int32_t i = 0; i < g->n_tie; i++)
            s->tie_price[st * g->n_tie + i] =
                g->tie_price[(size_t)(h % g->n_periods) * g->n_tie + i] * pow(d->load[h], 1.5);
    }
}

static double *profile(weft_context *ctx, int32_t days, int32_t members)
{
    return weft_calloc(ctx, (size_t)days * HOURS * (size_t)(members > 0 ? members : 1), sizeof(double));
}

weft_status weft_scenarios_generate(weft_context *ctx, const weft_grid *g, const weft_scenario_gen_options *o,
                                    weft_scenarios **out)
{
    if (!ctx || !g || !o || !out) return WEFT_ERR_INVALID_ARG;
    weft_scenarios *s = NULL;
    int st = weft_scenarios_create(ctx, o->days, HOURS, g, &s);
    if (st) return st;
    s->load_scale = profile(ctx, o->days, 0);
    if (g->n_renewable > 0) s->renewable_p = profile(ctx, o->days, g->n_renewable);
    if (g->n_tie > 0) s->tie_price = profile(ctx, o->days, g->n_tie);
    s->name = weft_calloc(ctx, (size_t)o->days, sizeof(char *));
    if (!s->load_scale || (g->n_renewable && !s->renewable_p) || (g->n_tie && !s->tie_price) || !s->name) {
        weft_scenarios_destroy(ctx, &s);
        return weft_error(ctx, WEFT_ERR_NOMEM, "scenarios: out of memory for %d days", o->days);
    }
    static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int32_t k = 0; k < o->days && !st; k++) {
        day_draw d;
        int day = (o->first_day + k) % 365;
        draw_day(g, o->seed, o->first_day + k, &d);
        fill_day(g, s, k, &d);
        char name[48];
        snprintf(name, sizeof name, "day %03d %s (synthetic)", day + 1, wd[(o->first_day + k) % 7]);
        if (!(s->name[k] = weft_strdup(ctx, name))) st = weft_error(ctx, WEFT_ERR_NOMEM, "scenarios: out of memory");
    }
    if (st) weft_scenarios_destroy(ctx, &s);
    *out = s;
    return st;
}
