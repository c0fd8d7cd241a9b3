/* Kunshan logistics (SYNTHETIC): the roads module's Kunshan region, two depots, small-batch
 * deliveries with time windows spread over the towns (and some pallets for the car plants), a fleet of vans and trucks at each depot,
 * and the travel matrices between them. Times in minutes from midnight, demand in kg and m3,
 * money in CNY, coordinates in km east/north of the region's south-west corner. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/context_internal.h"
#include "graph/gen_internal.h"
#include "kunshan.h"

#define DAY_OPEN 360.0   /* 06:00 */
#define DAY_CLOSE 1320.0 /* 22:00 */

typedef struct place {
    double x, y, radius, share; /* metres; share of the deliveries */
    const char *name, *short_name;
} place;

/* Where deliveries go (centres as in weft_roads_gen_kunshan's towns) and where the depots are. */
static const place towns[] = {
    {63700, 10000, 5000, 0.35, "Shanghai edge", NULL},
    {11400, 11100, 6000, 0.25, "Suzhou", NULL},
    {45600, 20000, 4500, 0.30, "Kunshan", NULL},
    {57000, 13300, 2200, 0.10, "Huaqiao", NULL},
};
static const place depots[] = {
    {47500, 18500, 0, 0, "Fashion park (Kunshan)", "fashion park"},
    {55000, 15500, 0, 0, "Logistics centre (Huaqiao)", "logistics centre"},
};

typedef struct vehicle_kind {
    const char *name;
    double kg, m3, fixed, per_km, per_hour;
    int32_t per_customers; /* one vehicle per this many deliveries, plus two */
} vehicle_kind;

static const vehicle_kind kinds[] = {
    {"van", 1200, 10, 250, 1.8, 45, 8},
    {"truck", 5000, 30, 600, 4.2, 70, 30},
};

#define N_DEPOTS ((int32_t)(sizeof depots / sizeof *depots))
#define N_KINDS ((int32_t)(sizeof kinds / sizeof *kinds))

static char *name_of(weft_context *ctx, const char *fmt, const char *a, const char *b)
{
    char buf[96];
    snprintf(buf, sizeof buf, fmt, a, b);
    return weft_strdup(ctx, buf);
}

static const place *pick_town(gen_rng *rng)
{
    double u = gen_uniform(rng, 0, 1), acc = 0;
    for (size_t i = 0; i < sizeof towns / sizeof *towns; i++)
        if (u < (acc += towns[i].share)) return &towns[i];
    return &towns[0];
}

/* Morning, afternoon, all day, or a two-hour slot. */
static void window(gen_rng *rng, double *open, double *close)
{
    double u = gen_uniform(rng, 0, 1);
    if (u < 0.3) *open = 480, *close = 720;
    else if (u < 0.6) *open = 780, *close = 1080;
    else if (u < 0.8) *open = 480, *close = 1080;
    else *open = 60 * floor(gen_uniform(rng, 8, 16)), *close = *open + 120;
}

static int customers(weft_context *ctx, const weft_roads *r, weft_vrp *v, gen_rng *rng)
{
    v->cust_name = weft_calloc(ctx, (size_t)v->n_customers, sizeof *v->cust_name);
    if (!v->cust_name) return WEFT_ERR_NOMEM;
    for (int32_t c = 0; c < v->n_customers; c++) {
        const place *t = pick_town(rng);
        double a = gen_uniform(rng, 0, 2 * M_PI), d = t->radius * sqrt(gen_uniform(rng, 0, 1));
        int32_t node = weft_roads_nearest(r, t->x + d * cos(a), t->y + d * sin(a), NULL);
        /* about a tenth are pallets of parts for the car plants at Anting: too heavy for a van */
        int bulk = t == &towns[0] && gen_uniform(rng, 0, 1) < 0.25;
        double kg = bulk ? gen_uniform(rng, 1300, 3000) : gen_uniform(rng, 10, 250);
        v->node[c] = node;
        v->x[c] = r->x[node] / 1000, v->y[c] = r->y[node] / 1000;
        v->demand[(size_t)c * 2] = round(kg);
        v->demand[(size_t)c * 2 + 1] = round(100 * kg * gen_uniform(rng, 0.004, 0.01)) / 100;
        v->service[c] = bulk ? 30 : round(5 + kg / 25);
        window(rng, &v->tw_open[c], &v->tw_close[c]);
        char id[16];
        snprintf(id, sizeof id, "D%03d", c + 1);
        if (!(v->cust_name[c] = name_of(ctx, "%s %s", id, t->name))) return WEFT_ERR_NOMEM;
    }
    return WEFT_OK;
}

static int fleet(weft_context *ctx, const weft_roads *r, weft_vrp *v)
{
    v->depot_name = weft_calloc(ctx, N_DEPOTS, sizeof *v->depot_name);
    v->type_name = weft_calloc(ctx, (size_t)v->n_types, sizeof *v->type_name);
    if (!v->depot_name || !v->type_name) return WEFT_ERR_NOMEM;
    for (int32_t d = 0; d < N_DEPOTS; d++) {
        int32_t node = weft_roads_nearest(r, depots[d].x, depots[d].y, NULL);
        v->depot_node[d] = node;
        v->depot_x[d] = r->x[node] / 1000, v->depot_y[d] = r->y[node] / 1000;
        v->depot_open[d] = DAY_OPEN, v->depot_close[d] = DAY_CLOSE;
        if (!(v->depot_name[d] = weft_strdup(ctx, depots[d].name))) return WEFT_ERR_NOMEM;
        for (int32_t k = 0; k < N_KINDS; k++) {
            int32_t t = d * N_KINDS + k;
            const vehicle_kind *vk = &kinds[k];
            v->type_depot[t] = d;
            v->count[t] = v->n_customers / vk->per_customers + 2;
            v->capacity[(size_t)t * 2] = vk->kg, v->capacity[(size_t)t * 2 + 1] = vk->m3;
            v->fixed_cost[t] = vk->fixed, v->cost_per_km[t] = vk->per_km, v->cost_per_hour[t] = vk->per_hour;
            v->shift_start[t] = DAY_OPEN, v->shift_end[t] = DAY_CLOSE, v->max_duration[t] = 600;
            if (!(v->type_name[t] = name_of(ctx, "%s %s", depots[d].short_name, vk->name))) return WEFT_ERR_NOMEM;
        }
    }
    return WEFT_OK;
}

static int make_roads(weft_context *ctx, const weft_kunshan_options *o, weft_roads **roads)
{
    weft_roads_gen_options g;
    weft_roads_gen_defaults(&g);
    weft_roads_gen_kunshan(&g);
    g.n_nodes = o->n_road_nodes;
    g.seed = o->seed;
    int st = weft_roads_generate(ctx, &g, roads);
    /* the generator adds small islands on purpose: deliveries must be reachable from the depots */
    if (!st) st = weft_roads_keep_largest_scc(ctx, roads, NULL, NULL);
    return st;
}

weft_status weft_kunshan_logistics(weft_context *ctx, const weft_kunshan_options *o, weft_roads **roads,
                                   weft_vrp **out)
{
    *roads = NULL, *out = NULL;
    weft_vrp *v = NULL;
    gen_rng rng = {o->seed * 0x9E3779B97F4A7C15ULL + 7};
    int st = weft_kunshan_check(ctx, o);
    if (!st) st = make_roads(ctx, o, roads);
    if (!st) st = weft_vrp_create(ctx, N_DEPOTS, o->n_customers, N_DEPOTS * N_KINDS, 2, &v);
    if (st) goto cleanup;
    v->name = weft_strdup(ctx, "kunshan-synthetic");
    v->convention = WEFT_VRP_DIST_MATRIX;
    v->speed = 0.8; /* km/min: only for readers that want times from coordinates */
    if (!v->name || fleet(ctx, *roads, v) || customers(ctx, *roads, v, &rng))
        st = weft_error(ctx, WEFT_ERR_NOMEM, "kunshan logistics: out of memory");
cleanup:
    if (st) weft_vrp_destroy(ctx, &v), weft_roads_destroy(roads);
    *out = v;
    return st;
}

weft_status weft_kunshan_matrix(weft_context *ctx, const weft_roads *r, weft_vrp *v)
{
    int32_t k = v->n_depots + v->n_customers;
    size_t kk = (size_t)k * (size_t)k;
    int32_t *pts = weft_malloc(ctx, (size_t)k * sizeof *pts);
    double *time = weft_malloc(ctx, kk * sizeof *time), *dist = weft_malloc(ctx, kk * sizeof *dist);
    int st = WEFT_OK;
    if (!pts || !time || !dist) {
        st = weft_error(ctx, WEFT_ERR_NOMEM, "kunshan matrix: out of memory for %d x %d", k, k);
        goto cleanup;
    }
    memcpy(pts, v->depot_node, (size_t)v->n_depots * sizeof *pts);
    memcpy(pts + v->n_depots, v->node, (size_t)v->n_customers * sizeof *pts);
    if ((st = weft_sssp_matrix(ctx, r, pts, k, time, dist))) goto cleanup;
    for (size_t i = 0; i < kk; i++) {
        if (!isfinite(time[i])) {
            st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "kunshan matrix: point %zu cannot reach point %zu", i / k, i % k);
            goto cleanup;
        }
        time[i] /= 60, dist[i] /= 1000; /* minutes, km */
    }
    weft_free(ctx, v->time), weft_free(ctx, v->dist);
    v->time = time, v->dist = dist;
    time = dist = NULL;
cleanup:
    weft_free(ctx, pts), weft_free(ctx, time), weft_free(ctx, dist);
    return st;
}
