/* An SVG map of the routes: each route a coloured polyline from its depot and back, customers as dots
 * (unserved ones as red crosses), depots as squares. Written to a temporary file and renamed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "weft/route.h"

#define SIZE 800.0
#define MARGIN 20.0

typedef struct frame {
    double x0, y0, scale;
} frame;

static void point(const weft_vrp *v, int loc, double *x, double *y)
{
    if (loc < v->n_depots) *x = v->depot_x[loc], *y = v->depot_y[loc];
    else *x = v->x[loc - v->n_depots], *y = v->y[loc - v->n_depots];
}

static frame fit(const weft_vrp *v)
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int i = 0; i < v->n_depots + v->n_customers; i++) {
        double x, y;
        point(v, i, &x, &y);
        lo[0] = fmin(lo[0], x), lo[1] = fmin(lo[1], y), hi[0] = fmax(hi[0], x), hi[1] = fmax(hi[1], y);
    }
    double span = fmax(hi[0] - lo[0], hi[1] - lo[1]);
    frame f = {lo[0], hi[1], span > 0 ? (SIZE - 2 * MARGIN) / span : 1};
    return f;
}

/* SVG y grows downwards; map y so that north is up. */
static void to_svg(const frame *f, const weft_vrp *v, int loc, double *sx, double *sy)
{
    double x, y;
    point(v, loc, &x, &y);
    *sx = MARGIN + (x - f->x0) * f->scale;
    *sy = MARGIN + (f->y0 - y) * f->scale;
}

static void write_routes(FILE *out, const weft_vrp *v, const weft_vrp_solution *sol, const frame *f)
{
    for (int r = 0; r < sol->n_routes; r++) {
        int dep = v->type_depot[sol->route_type[r]];
        double hue = fmod(r * 137.508, 360.0), x, y;
        fprintf(out, "<polyline fill=\"none\" stroke=\"hsl(%.0f,70%%,45%%)\" stroke-width=\"1.5\" points=\"", hue);
        to_svg(f, v, dep, &x, &y);
        fprintf(out, "%.1f,%.1f", x, y);
        for (int i = sol->route_start[r]; i < sol->route_start[r + 1]; i++) {
            to_svg(f, v, v->n_depots + sol->visits[i], &x, &y);
            fprintf(out, " %.1f,%.1f", x, y);
        }
        to_svg(f, v, dep, &x, &y);
        fprintf(out, " %.1f,%.1f\"><title>route %d</title></polyline>\n", x, y, r + 1);
    }
}

static void write_points(FILE *out, const weft_vrp *v, const weft_vrp_solution *sol, const frame *f)
{
    double x, y;
    for (int c = 0; c < v->n_customers; c++) {
        to_svg(f, v, v->n_depots + c, &x, &y);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#333\"><title>customer %d</title></circle>\n", x, y,
                v->id[c]);
    }
    for (int i = 0; i < sol->n_unserved; i++) {
        to_svg(f, v, v->n_depots + sol->unserved[i], &x, &y);
        fprintf(out, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"red\" stroke-width=\"2\"><title>unserved %d</title></path>\n",
                x - 4, y - 4, v->id[sol->unserved[i]]);
    }
    for (int d = 0; d < v->n_depots; d++) {
        to_svg(f, v, d, &x, &y);
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"black\"><title>depot %d</title></rect>\n",
                x - 5, y - 5, d);
    }
}

weft_status weft_write_route_svg(weft_context *ctx, const weft_vrp *v, const weft_vrp_solution *sol, const char *path)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *out = fopen(tmp, "w");
    if (!out) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot create", path);
    frame f = fit(v);
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
                 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            SIZE, SIZE, SIZE, SIZE);
    fprintf(out, "<text x=\"%.0f\" y=\"14\" font-family=\"sans-serif\" font-size=\"12\">%d routes, cost %.2f, %d unserved</text>\n",
            MARGIN, sol->n_routes, sol->cost, sol->n_unserved);
    write_routes(out, v, sol, &f);
    write_points(out, v, sol, &f);
    fprintf(out, "</svg>\n");
    int bad = ferror(out);
    if (fclose(out) != 0 || bad || rename(tmp, path) != 0) {
        remove(tmp);
        return weft_error(ctx, WEFT_ERR_IO, "%s: cannot finish writing", path);
    }
    return WEFT_OK;
}
