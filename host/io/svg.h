/* A small SVG writer for weft's plots: a file written to a temporary name and renamed when
 * complete, chart axes that map data to pixels, polylines, filled bands, text (XML-escaped) and a
 * legend. Output is plain SVG 1.1 that browsers and rsvg render. */
#ifndef WEFT_SVG_H
#define WEFT_SVG_H

#include <stdio.h>

#include "weft/context.h"

typedef struct weft_svg {
    FILE *f;
    char path[1024], tmp[1100];
    double w, h;
} weft_svg;

/* Data box [x0, x1] x [y0, y1] drawn in the pixel box left, top, width, height. */
typedef struct weft_svg_axes {
    double x0, x1, y0, y1;
    double left, top, width, height;
} weft_svg_axes;

int weft_svg_begin(weft_context *ctx, weft_svg *s, const char *path, double w, double h);
/* Closes and renames; on any write error the temporary file is removed and an error returned. */
int weft_svg_end(weft_context *ctx, weft_svg *s);
/* Closes and removes the temporary file (after an error elsewhere). */
void weft_svg_abort(weft_svg *s);

/* The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above v > 0 (an axis end whose
 * fifths read well). */
double weft_svg_nice(double v);
double weft_svg_px(const weft_svg_axes *a, double x);
double weft_svg_py(const weft_svg_axes *a, double y);
/* Frame, ticks and labels; the y axis on the right when right != 0 (a second scale). */
void weft_svg_axes_draw(weft_svg *s, const weft_svg_axes *a, int x_ticks, int y_ticks, const char *x_label,
                        const char *y_label, int right);
void weft_svg_polyline(weft_svg *s, const weft_svg_axes *a, const double *x, const double *y, int n,
                       const char *stroke, double width);
/* The area between two series lo[i] <= hi[i] over x (a stacked layer). */
void weft_svg_band(weft_svg *s, const weft_svg_axes *a, const double *x, const double *lo, const double *hi, int n,
                   const char *fill);
/* Text at pixel (x, y); anchor "start", "middle" or "end"; the text is escaped. */
void weft_svg_text(weft_svg *s, double x, double y, double size, const char *anchor, const char *text);
/* A column of coloured boxes with labels, starting at pixel (x, y). */
void weft_svg_legend(weft_svg *s, double x, double y, const char *const *labels, const char *const *colors, int n);

#endif
