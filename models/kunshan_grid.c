/* The Kunshan grid (SYNTHETIC). Layout, by bus index:
 *   0 .. ns-1        110 kV substations on a ring (bus 0: the supply point with the tie-line)
 *   ns .. 2ns-1      their 10 kV busbars, each behind a 110/10 kV transformer
 *   2ns .. 2ns+np-1  the logistics-park solar feeder (warehouse roofs, light loads)
 *   the rest         factory feeders of 4 to 8 buses, dealt round the substations
 * Ratings are sized from what each branch could ever carry, so only the solar feeder's head cable,
 * rated at about half the park's noon surplus, binds. Money is CNY. */
#include <math.h>
#include <string.h>

#include "core/context_internal.h"
#include "graph/gen_internal.h"
#include "kunshan.h"

#define T 24
#define MAX_SUBSTATIONS 12

/* Hourly shape of a working day, fraction of the bus's peak. Electronics runs three shifts with a
 * daytime peak; auto parts two shifts (07-23); both dip for lunch at 12:00. Warehouses are light. */
static const double shape_electronics[T] = {0.62, 0.60, 0.58, 0.58, 0.60, 0.65, 0.75, 0.88, 0.97, 1.00, 1.00, 0.98,
                                            0.86, 0.97, 1.00, 0.99, 0.96, 0.90, 0.82, 0.78, 0.75, 0.72, 0.68, 0.65};
static const double shape_autoparts[T] = {0.30, 0.28, 0.27, 0.27, 0.28, 0.35, 0.55, 0.85, 0.98, 1.00, 1.00, 0.95,
                                          0.74, 0.96, 1.00, 0.98, 0.94, 0.85, 0.75, 0.72, 0.70, 0.66, 0.50, 0.38};
static const double shape_warehouse[T] = {0.40, 0.40, 0.40, 0.40, 0.45, 0.55, 0.75, 0.90, 1.00, 1.00, 1.00, 0.95,
                                          0.90, 1.00, 1.00, 1.00, 0.95, 0.85, 0.70, 0.60, 0.50, 0.45, 0.40, 0.40};

/* Jiangsu-style industrial time-of-use tariff, CNY/MWh: valley 00-08, peak 08-11 and 17-22, flat else. */
static double tou_price(int t)
{
    if (t < 8) return 310;
    if (t < 11 || (t >= 17 && t < 22)) return 1050;
    return 640;
}

/* Clear-sky rooftop output, fraction of capacity: zero before 05:30 and after 18:30, 0.85 at noon. */
static double solar_shape(int t)
{
    double s = sin(M_PI * (t - 5.5) / 13.0);
    return t > 5.5 && t < 18.5 ? 0.85 * pow(s, 1.3) : 0;
}

typedef struct grid_plan {
    weft_context *ctx;
    weft_grid *g;
    gen_rng rng;
    int32_t ns, np, nb, nbr, ngen, nren; /* substations, park buses, buses, branches, gas, solar */
    double peak_total;
    uint64_t seed;
} grid_plan;

/* Whether factory bus b has rooftop solar: a hash of the seed, so the count is known up front. */
static int has_roof(const grid_plan *p, int32_t b)
{
    gen_rng r = {p->seed ^ (0x5851F42D4C957F2DULL * (uint64_t)(b + 1))};
    return gen_uniform(&r, 0, 1) < 0.5;
}

static void set_tech(weft_context *ctx, char **slot, const char *tech, int *err)
{
    char *s = weft_strdup(ctx, tech);
    if (!s) *err = 1;
    else weft_free(ctx, *slot), *slot = s;
}

static int32_t add_branch(grid_plan *p, int32_t from, int32_t to, double x, double rate)
{
    weft_grid *g = p->g;
    int32_t k = p->nbr++;
    g->br_from[k] = from, g->br_to[k] = to;
    g->br_x[k] = x, g->br_r[k] = 0.25 * x;
    g->br_rate_a[k] = rate;
    return k;
}

/* A bus with a load shape; a factory roof gets solar with probability roof_p. */
static void add_load_bus(grid_plan *p, int32_t bus, const double *shape, double peak)
{
    weft_grid *g = p->g;
    for (int t = 0; t < T; t++)
        g->load[(size_t)t * g->n_bus + bus] = peak * shape[t] * gen_uniform(&p->rng, 0.97, 1.03);
    p->peak_total += peak;
}

static int32_t add_solar(grid_plan *p, int32_t bus, double capacity)
{
    weft_grid *g = p->g;
    int32_t k = p->nren++;
    double derate = gen_uniform(&p->rng, 0.9, 1.0); /* roof orientation */
    g->ren_bus[k] = bus, g->ren_capacity[k] = capacity;
    for (int t = 0; t < T; t++) g->ren_availability[(size_t)t * g->n_renewable + k] = derate * solar_shape(t);
    return k;
}

static double feeder_rate(const grid_plan *p, int32_t first, int32_t last)
{
    double sum = 0;
    for (int32_t b = first; b <= last; b++) sum += p->g->load[(size_t)9 * p->g->n_bus + b] * 1.2;
    for (int32_t k = 0; k < p->nren; k++)
        if (p->g->ren_bus[k] >= first && p->g->ren_bus[k] <= last) sum += p->g->ren_capacity[k];
    return 1.5 * sum + 2;
}

/* Noon surplus of the park, MW: what the head cable would carry with no limit. */
static double park_surplus(const grid_plan *p, int32_t first, int32_t last)
{
    const weft_grid *g = p->g;
    double s = 0;
    for (int32_t k = 0; k < p->nren; k++)
        if (g->ren_bus[k] >= first && g->ren_bus[k] <= last)
            s += g->ren_capacity[k] * g->ren_availability[(size_t)12 * g->n_renewable + k];
    for (int32_t b = first; b <= last; b++) s -= g->load[(size_t)12 * g->n_bus + b];
    return s;
}

/* The logistics-park feeder from busbar 1: its head cable is the designed bottleneck. */
static int32_t build_park(grid_plan *p)
{
    int32_t first = 2 * p->ns, last = first + p->np - 1;
    for (int32_t b = first; b <= last; b++) {
        add_load_bus(p, b, shape_warehouse, gen_uniform(&p->rng, 0.3, 0.8));
        add_solar(p, b, gen_uniform(&p->rng, 4, 6));
    }
    for (int32_t b = first + 1; b <= last; b++)
        add_branch(p, b - 1, b, gen_uniform(&p->rng, 0.05, 0.2), feeder_rate(p, b, last));
    return add_branch(p, p->ns + 1, first, 0.08, floor(0.55 * park_surplus(p, first, last)));
}

static void build_factories(grid_plan *p, int32_t *feeder_start, int32_t *n_feeders)
{
    int32_t b = 2 * p->ns + p->np, f = 0;
    while (b < p->nb) {
        int32_t len = 4 + (int32_t)(gen_next(&p->rng) % 5);
        if (b + len > p->nb || p->nb - (b + len) < 4) len = p->nb - b;
        feeder_start[f++] = b;
        for (int32_t i = 0; i < len; i++, b++) {
            int electronics = gen_uniform(&p->rng, 0, 1) < 0.6;
            add_load_bus(p, b, electronics ? shape_electronics : shape_autoparts, gen_uniform(&p->rng, 0.5, 2.5));
            if (has_roof(p, b)) add_solar(p, b, gen_uniform(&p->rng, 0.3, 1.5));
        }
    }
    feeder_start[f] = p->nb;
    *n_feeders = f;
}

/* Cables along each feeder, the busbar-to-feeder cable, and the transformers sized to their feeders. */
static void wire_factories(grid_plan *p, const int32_t *feeder_start, int32_t n_feeders)
{
    double sub_load[MAX_SUBSTATIONS] = {0};
    for (int32_t f = 0; f < n_feeders; f++) {
        int32_t first = feeder_start[f], last = feeder_start[f + 1] - 1, s = f % p->ns;
        for (int32_t b = first + 1; b <= last; b++)
            add_branch(p, b - 1, b, gen_uniform(&p->rng, 0.05, 0.2), feeder_rate(p, b, last));
        double head = feeder_rate(p, first, last);
        add_branch(p, p->ns + s, first, gen_uniform(&p->rng, 0.05, 0.15), head);
        sub_load[s] += head;
    }
    for (int32_t s = 0; s < p->ns; s++)
        add_branch(p, s, p->ns + s, 0.167, sub_load[s] + 20);
}

static void wire_ring(grid_plan *p)
{
    double rate = 0.8 * p->peak_total;
    for (int32_t s = 0; s < p->ns; s++) add_branch(p, s, (s + 1) % p->ns, gen_uniform(&p->rng, 0.02, 0.05), rate);
    for (int32_t s = 0; s + 2 < p->ns; s += 3) add_branch(p, s, s + 2, gen_uniform(&p->rng, 0.03, 0.06), rate);
}

static void buses(grid_plan *p)
{
    weft_grid *g = p->g;
    for (int32_t b = 0; b < g->n_bus; b++) {
        g->bus_id[b] = b + 1;
        g->bus_type[b] = b == 0 ? WEFT_BUS_REF : WEFT_BUS_PQ;
        g->bus_base_kv[b] = b < p->ns ? 110 : 10;
    }
}

/* Gas units at the last substations, 75% of the peak between them; the tie-line 55%; the battery 5%
 * for two hours at the second busbar. */
static void supply(grid_plan *p, int *err)
{
    weft_grid *g = p->g;
    for (int32_t k = 0; k < p->ngen; k++) {
        double pmax = floor(0.75 * p->peak_total / p->ngen);
        g->gen_bus[k] = p->ns - 1 - k;
        g->bus_type[g->gen_bus[k]] = WEFT_BUS_PV;
        g->gen_pmax[k] = pmax, g->gen_pmin[k] = 0, g->gen_ramp[k] = 0.5 * pmax;
        g->gen_cost_model[k] = WEFT_COST_POLY;
        g->gen_c1[k] = gen_uniform(&p->rng, 520, 680), g->gen_c2[k] = gen_uniform(&p->rng, 0.08, 0.2);
        set_tech(p->ctx, &g->gen_tech[k], "NG", err);
    }
    g->tie_bus[0] = 0;
    g->tie_import_max[0] = floor(0.55 * p->peak_total);
    for (int t = 0; t < T; t++) g->tie_price[t] = tou_price(t);
    double pw = floor(0.05 * p->peak_total);
    g->sto_bus[0] = p->ns + 2;
    g->sto_charge_max[0] = g->sto_discharge_max[0] = pw;
    g->sto_energy_max[0] = 2 * pw;
    g->sto_eta_charge[0] = g->sto_eta_discharge[0] = 0.95;
    g->sto_soc_initial[0] = g->sto_soc_final[0] = pw;
}

static int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Sizes first (solar roofs are a hash of the seed, so they can be counted before drawing). */
static void plan_sizes(grid_plan *p, const weft_kunshan_options *o, weft_grid_sizes *sz)
{
    p->nb = o->n_bus;
    p->ns = clamp32(o->n_bus / 25, 4, MAX_SUBSTATIONS);
    p->np = clamp32(o->n_bus / 20, 3, 40);
    p->ngen = clamp32(p->ns / 2, 2, 6);
    p->seed = o->seed;
    p->rng.s = o->seed;
    int32_t chords = 0, roofs = p->np;
    for (int32_t s = 0; s + 2 < p->ns; s += 3) chords++;
    for (int32_t b = 2 * p->ns + p->np; b < p->nb; b++) roofs += has_roof(p, b);
    *sz = (weft_grid_sizes){.n_periods = T, .n_bus = p->nb, .n_branch = p->nb + chords, .n_gen = p->ngen,
                            .n_storage = 1, .n_renewable = roofs, .n_tie = 1};
}

weft_status weft_kunshan_grid(weft_context *ctx, const weft_kunshan_options *o, weft_grid **out, int32_t *congested)
{
    grid_plan p = {.ctx = ctx};
    weft_grid_sizes sz;
    int32_t *feeder_start = NULL, n_feeders = 0, head;
    int err = 0;
    *out = NULL;
    int st = weft_kunshan_check(ctx, o);
    if (st) return st;
    plan_sizes(&p, o, &sz);
    if ((st = weft_grid_create(ctx, &sz, &p.g))) return st;
    feeder_start = weft_calloc(ctx, (size_t)p.nb + 1, sizeof *feeder_start);
    p.g->name = weft_strdup(ctx, "kunshan-synthetic");
    if (!feeder_start || !p.g->name) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "kunshan grid: out of memory");
        goto cleanup;
    }
    buses(&p);
    head = build_park(&p);
    build_factories(&p, feeder_start, &n_feeders);
    wire_factories(&p, feeder_start, n_feeders);
    wire_ring(&p);
    supply(&p, &err);
    if (err) st = weft_error(ctx, WEFT_ERR_NOMEM, "kunshan grid: out of memory");
    else if (p.nbr != sz.n_branch || p.nren != sz.n_renewable)
        st = weft_error(ctx, WEFT_ERR_INTERNAL, "kunshan grid: planned %d branches and %d roofs, built %d and %d",
                        sz.n_branch, sz.n_renewable, p.nbr, p.nren);
    if (!st) st = weft_grid_validate(ctx, p.g);
    if (!st && congested) *congested = head;
cleanup:
    weft_free(ctx, feeder_start);
    if (st) weft_grid_destroy(ctx, &p.g);
    *out = p.g;
    return st;
}
