/* The SVG writer (svg.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "io/svg.h"

int weft_svg_begin(weft_context *ctx, weft_svg *s, const char *path, double w, double h)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(s->tmp, sizeof s->tmp, "%s.tmp-%ld", path, (long)getpid());
    s->w = w, s->h = h;
    if (!(s->f = fopen(s->tmp, "w"))) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot create", path);
    fprintf(s->f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            w, h, w, h);
    return WEFT_OK;
}

int weft_svg_end(weft_context *ctx, weft_svg *s)
{
    fputs("</svg>\n", s->f);
    int bad = ferror(s->f);
    bad |= fclose(s->f) != 0;
    s->f = NULL;
    if (bad || rename(s->tmp, s->path) != 0) {
        remove(s->tmp);
        return weft_error(ctx, WEFT_ERR_IO, "%s: cannot finish writing", s->path);
    }
    return WEFT_OK;
}

void weft_svg_abort(weft_svg *s)
{
    if (!s->f) return;
    fclose(s->f);
    s->f = NULL;
    remove(s->tmp);
}

double weft_svg_nice(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v))), m = v / p;
    static const double steps[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    size_t i = 0;
    while (steps[i] < m - 1e-12) i++;
    return steps[i] * p;
}

double weft_svg_px(const weft_svg_axes *a, double x)
{
    return a->left + (x - a->x0) / (a->x1 - a->x0) * a->width;
}

double weft_svg_py(const weft_svg_axes *a, double y)
{
    return a->top + a->height - (y - a->y0) / (a->y1 - a->y0) * a->height;
}

static void escaped(FILE *f, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*t, f);
        }
    }
}

void weft_svg_text(weft_svg *s, double x, double y, double size, const char *anchor, const char *text)
{
    fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"%s\">", x, y, size, anchor);
    escaped(s->f, text);
    fputs("</text>\n", s->f);
}

static void tick_label(char *buf, size_t len, double v)
{
    if (fabs(v) >= 1000 || v == floor(v)) snprintf(buf, len, "%.0f", v);
    else snprintf(buf, len, "%.3g", v);
}

void weft_svg_axes_draw(weft_svg *s, const weft_svg_axes *a, int x_ticks, int y_ticks, const char *x_label,
                        const char *y_label, int right)
{
    char buf[64];
    double bottom = a->top + a->height, xa = right ? a->left + a->width : a->left;
    fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>\n",
            a->left, a->top, a->width, a->height);
    for (int i = 0; !right && i <= x_ticks; i++) {
        double v = a->x0 + (a->x1 - a->x0) * i / x_ticks, px = weft_svg_px(a, v);
        fprintf(s->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", px, bottom, px,
                bottom + 4);
        tick_label(buf, sizeof buf, v);
        weft_svg_text(s, px, bottom + 16, 11, "middle", buf);
    }
    for (int i = 0; i <= y_ticks; i++) {
        double v = a->y0 + (a->y1 - a->y0) * i / y_ticks, py = weft_svg_py(a, v);
        fprintf(s->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n", xa, py,
                xa + (right ? 4 : -4), py);
        if (!right)
            fprintf(s->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", a->left, py,
                    a->left + a->width, py);
        tick_label(buf, sizeof buf, v);
        weft_svg_text(s, xa + (right ? 7 : -7), py + 4, 11, right ? "start" : "end", buf);
    }
    if (x_label && !right) weft_svg_text(s, a->left + a->width / 2, bottom + 34, 12, "middle", x_label);
    if (y_label) {
        double x = right ? a->left + a->width + 52 : a->left - 48, y = a->top + a->height / 2;
        fprintf(s->f, "<g transform=\"rotate(-90 %.1f %.1f)\">", x, y);
        weft_svg_text(s, x, y, 12, "middle", y_label);
        fputs("</g>\n", s->f);
    }
}

void weft_svg_polyline(weft_svg *s, const weft_svg_axes *a, const double *x, const double *y, int n,
                       const char *stroke, double width)
{
    fprintf(s->f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"", stroke, width);
    for (int i = 0; i < n; i++) fprintf(s->f, "%s%.1f,%.1f", i ? " " : "", weft_svg_px(a, x[i]), weft_svg_py(a, y[i]));
    fputs("\"/>\n", s->f);
}

void weft_svg_band(weft_svg *s, const weft_svg_axes *a, const double *x, const double *lo, const double *hi, int n,
                   const char *fill)
{
    fprintf(s->f, "<polygon fill=\"%s\" stroke=\"none\" points=\"", fill);
    for (int i = 0; i < n; i++) fprintf(s->f, "%.1f,%.1f ", weft_svg_px(a, x[i]), weft_svg_py(a, hi[i]));
    for (int i = n - 1; i >= 0; i--) fprintf(s->f, "%.1f,%.1f ", weft_svg_px(a, x[i]), weft_svg_py(a, lo[i]));
    fputs("\"/>\n", s->f);
}

void weft_svg_legend(weft_svg *s, double x, double y, const char *const *labels, const char *const *colors, int n)
{
    for (int i = 0; i < n; i++) {
        fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, y + 18 * i,
                colors[i]);
        weft_svg_text(s, x + 18, y + 18 * i + 10, 12, "start", labels[i]);
    }
}
