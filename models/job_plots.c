/* Dispatch stack and battery plots (job_plots.h). Periods are drawn as steps: period t covers
 * hours [t, t+1) times period_h. */
#include <math.h>
#include <stdio.h>

#include "core/context_internal.h"
#include "io/svg.h"
#include "job_plots.h"

#define W 960.0
#define H 480.0
#define MAX_T WEFT_PLOT_MAX_PERIODS

enum { L_SOLAR, L_BATTERY, L_IMPORT, L_GAS, L_SHED, N_LAYERS };
static const char *const layer_name[N_LAYERS] = {"solar", "battery discharge", "tie-line import", "gas units", "load shed"};
static const char *const layer_color[N_LAYERS] = {"#f2c12e", "#5fa35f", "#6c8ebf", "#d9825b", "#d62728"};

typedef struct series {
    int T;
    double *x;                 /* 2T step abscissae */
    double *layer[N_LAYERS];   /* 2T each, per-period totals repeated on both ends of the step */
    double *charge, *load;     /* 2T: charging (drawn negative), load incl. shunts */
    double *lmp_avg, *lmp_min, *lmp_max;
} series;

static void series_free(weft_context *ctx, series *s)
{
    double *all[] = {s->x, s->charge, s->load, s->lmp_avg, s->lmp_min, s->lmp_max};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) weft_free(ctx, all[i]);
    for (int l = 0; l < N_LAYERS; l++) weft_free(ctx, s->layer[l]);
}

static int series_alloc(weft_context *ctx, series *s, int T)
{
    size_t n = 2 * (size_t)T;
    double **all[] = {&s->x, &s->charge, &s->load, &s->lmp_avg, &s->lmp_min, &s->lmp_max, &s->layer[0],
                      &s->layer[1], &s->layer[2], &s->layer[3], &s->layer[4]};
    s->T = T;
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!(*all[i] = weft_calloc(ctx, n, sizeof(double)))) return weft_error(ctx, WEFT_ERR_NOMEM, "plot: out of memory");
    return WEFT_OK;
}

static double sum_row(const double *m, int t, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += m[(size_t)t * n + i];
    return s;
}

/* One period's values, set on both ends of its step. */
static void fill_period(series *s, const weft_grid *g, const weft_dcopf_result *d, int t)
{
    int gt = t % g->n_periods;
    double v[N_LAYERS] = {sum_row(d->renewable, t, g->n_renewable), sum_row(d->discharge, t, g->n_storage),
                          sum_row(d->tie, t, g->n_tie), sum_row(d->pg, t, g->n_gen), sum_row(d->shed, t, g->n_bus)};
    double load = 0, wsum = 0, lo = INFINITY, hi = -INFINITY;
    for (int b = 0; b < g->n_bus; b++) {
        double lb = g->load[(size_t)gt * g->n_bus + b] + g->bus_gs[b], p = d->lmp[(size_t)t * g->n_bus + b];
        load += lb;
        if (isnan(p)) continue;
        wsum += fabs(lb) * p;
        lo = fmin(lo, p), hi = fmax(hi, p);
    }
    for (int e = 0; e < 2; e++) {
        size_t i = 2 * (size_t)t + e;
        s->x[i] = (t + e) * g->period_h;
        for (int l = 0; l < N_LAYERS; l++) s->layer[l][i] = v[l];
        s->charge[i] = -sum_row(d->charge, t, g->n_storage);
        s->load[i] = load;
        s->lmp_min[i] = lo, s->lmp_max[i] = hi;
        s->lmp_avg[i] = load > 0 ? wsum / load : 0.5 * (lo + hi);
    }
}

static double max_of(const double *v, size_t n, double start)
{
    for (size_t i = 0; i < n; i++) start = fmax(start, v[i]);
    return start;
}

static void draw_stack(weft_svg *svg, const series *s, const weft_svg_axes *a)
{
    size_t n = 2 * (size_t)s->T;
    double base[3 * 2 * MAX_T];
    double *lo = base, *hi = base + n, *zero = base + 2 * n;
    for (size_t i = 0; i < n; i++) lo[i] = 0, zero[i] = 0;
    for (int l = 0; l < N_LAYERS; l++) {
        for (size_t i = 0; i < n; i++) hi[i] = lo[i] + s->layer[l][i];
        weft_svg_band(svg, a, s->x, lo, hi, (int)n, layer_color[l]);
        for (size_t i = 0; i < n; i++) lo[i] = hi[i];
    }
    weft_svg_band(svg, a, s->x, s->charge, zero, (int)n, "#a6d8a6");
    weft_svg_polyline(svg, a, s->x, s->load, (int)n, "black", 2);
}

static int dispatch_svg(weft_context *ctx, const series *s, const char *title, const char *path, double hours)
{
    size_t n = 2 * (size_t)s->T;
    double top = 0, bottom = 0, stack[2 * MAX_T] = {0};
    for (int l = 0; l < N_LAYERS; l++)
        for (size_t i = 0; i < n; i++) stack[i] += s->layer[l][i];
    top = weft_svg_nice(max_of(stack, n, max_of(s->load, n, 1)) * 1.02);
    for (size_t i = 0; i < n; i++) bottom = fmin(bottom, s->charge[i]);
    bottom = bottom < 0 ? -top / 5 * ceil(-bottom / (top / 5)) : 0; /* whole ticks below zero */
    double pmax = weft_svg_nice(max_of(s->lmp_max, n, 1) * 1.02), pmin = 0;
    for (size_t i = 0; i < n; i++) pmin = fmin(pmin, s->lmp_min[i]);
    pmin = pmin < -1 ? -weft_svg_nice(-pmin) : 0; /* prices within tolerance of zero are zero */
    weft_svg_axes a = {0, hours, bottom, top, 80, 40, W - 330, H - 100};
    weft_svg_axes p = {0, hours, pmin, pmax, 80, 40, W - 330, H - 100};
    weft_svg svg;
    int st = weft_svg_begin(ctx, &svg, path, W, H);
    if (st) return st;
    weft_svg_text(&svg, W / 2 - 125, 24, 15, "middle", title);
    draw_stack(&svg, s, &a);
    weft_svg_axes_draw(&svg, &a, s->T <= 24 ? s->T / 2 : 12, (int)lround((top - bottom) / (top / 5)), "hour of the day", "MW", 0);
    weft_svg_polyline(&svg, &p, s->x, s->lmp_avg, (int)n, "#7b2d8e", 2.5);
    weft_svg_polyline(&svg, &p, s->x, s->lmp_max, (int)n, "#c9a3d6", 1);
    weft_svg_polyline(&svg, &p, s->x, s->lmp_min, (int)n, "#c9a3d6", 1);
    weft_svg_axes_draw(&svg, &p, 0, 5, NULL, "LMP, CNY/MWh", 1);
    const char *names[N_LAYERS + 4], *colors[N_LAYERS + 4];
    for (int l = 0; l < N_LAYERS; l++) names[l] = layer_name[l], colors[l] = layer_color[l];
    names[N_LAYERS] = "battery charging", colors[N_LAYERS] = "#a6d8a6";
    names[N_LAYERS + 1] = "load", colors[N_LAYERS + 1] = "black";
    names[N_LAYERS + 2] = "LMP, load-weighted", colors[N_LAYERS + 2] = "#7b2d8e";
    names[N_LAYERS + 3] = "LMP, lowest and highest", colors[N_LAYERS + 3] = "#c9a3d6";
    weft_svg_legend(&svg, W - 170, 50, names, colors, N_LAYERS + 4);
    return weft_svg_end(ctx, &svg);
}

weft_status weft_plot_dispatch(weft_context *ctx, const weft_grid *g, const weft_dcopf_result *d, const char *title,
                               const char *path)
{
    if (d->T < 1 || d->T > MAX_T)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "%s: cannot plot %d periods (1..%d)", path, d->T, MAX_T);
    series s = {0};
    int st = series_alloc(ctx, &s, d->T);
    for (int t = 0; !st && t < d->T; t++) fill_period(&s, g, d, t);
    if (!st) st = dispatch_svg(ctx, &s, title, path, d->T * g->period_h);
    series_free(ctx, &s);
    return st;
}

/* The state of charge starts at soc_initial at hour 0 and is d->soc at the end of each period. */
static void soc_line(const weft_grid *g, const weft_dcopf_result *d, int k, double *x, double *y)
{
    x[0] = 0, y[0] = g->sto_soc_initial[k];
    for (int t = 0; t < d->T; t++) x[t + 1] = (t + 1) * g->period_h, y[t + 1] = d->soc[(size_t)t * g->n_storage + k];
}

weft_status weft_plot_battery(weft_context *ctx, const weft_grid *g, const weft_dcopf_result *d, const char *title,
                              const char *path)
{
    if (d->T < 1 || d->T > MAX_T || g->n_storage > WEFT_PLOT_MAX_STORAGE)
        return weft_error(ctx, WEFT_ERR_INVALID_ARG, "%s: plots up to %d storage units and %d periods", path,
                          WEFT_PLOT_MAX_STORAGE, MAX_T);
    static const char *const colors[WEFT_PLOT_MAX_STORAGE] = {"#2a7ab9", "#d9825b", "#5fa35f", "#7b2d8e", "#888", "#c0392b", "#16a085", "#8e6c3a"};
    double emax = 1, pmax = 1, hours = d->T * g->period_h;
    double x[MAX_T + 1], y[MAX_T + 1], px[2 * MAX_T], price[2 * MAX_T];
    for (int k = 0; k < g->n_storage; k++) emax = fmax(emax, g->sto_energy_max[k]);
    for (int t = 0; t < d->T; t++)
        for (int e = 0; e < 2; e++) {
            double p = g->n_tie ? g->tie_price[(size_t)(t % g->n_periods) * g->n_tie] : 0;
            px[2 * t + e] = (t + e) * g->period_h, price[2 * t + e] = p, pmax = fmax(pmax, p);
        }
    weft_svg_axes a = {0, hours, 0, weft_svg_nice(emax), 80, 40, W - 330, H - 100};
    weft_svg_axes p = {0, hours, 0, weft_svg_nice(pmax * 1.02), 80, 40, W - 330, H - 100};
    weft_svg svg;
    int st = weft_svg_begin(ctx, &svg, path, W, H);
    if (st) return st;
    weft_svg_text(&svg, W / 2 - 125, 24, 15, "middle", title);
    if (g->n_tie) weft_svg_polyline(&svg, &p, px, price, 2 * d->T, "#bbb", 1.5);
    const char *names[10], *cols[10];
    int nl = 0;
    for (int k = 0; k < g->n_storage; k++) {
        char label[64];
        soc_line(g, d, k, x, y);
        weft_svg_polyline(&svg, &a, x, y, d->T + 1, colors[k], 2.5);
        snprintf(label, sizeof label, "unit %d at bus %d (%.0f MWh)", k, g->bus_id[g->sto_bus[k]], g->sto_energy_max[k]);
        weft_svg_text(&svg, W - 150, 50 + 18 * k + 10, 12, "start", label);
        names[nl] = "", cols[nl++] = colors[k];
    }
    weft_svg_legend(&svg, W - 170, 50, names, cols, nl);
    names[0] = "tie-line import price", cols[0] = "#bbb";
    weft_svg_legend(&svg, W - 170, 50 + 18 * nl, names, cols, g->n_tie ? 1 : 0);
    weft_svg_axes_draw(&svg, &a, d->T <= 24 ? d->T / 2 : 12, 5, "hour of the day", "state of charge, MWh", 0);
    if (g->n_tie) weft_svg_axes_draw(&svg, &p, 0, 5, NULL, "import price, CNY/MWh", 1);
    return weft_svg_end(ctx, &svg);
}
