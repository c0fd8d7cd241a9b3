#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context_internal.h"
#include "io/textlines.h"

int weft_textlines_open(weft_context *ctx, const char *path, size_t max_bytes, weft_textlines *t)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->path = path;
    FILE *f = fopen(path, "rb");
    if (!f) return weft_error(ctx, WEFT_ERR_IO, "%s: cannot open for reading", path);
    int st = WEFT_OK;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) st = weft_error(ctx, WEFT_ERR_IO, "%s: cannot read", path);
    else if ((size_t)size > max_bytes)
        st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: file too large (%ld bytes)", path, size);
    else if (!(t->buf = weft_malloc(ctx, (size_t)size + 1)))
        st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory", path);
    else if (fread(t->buf, 1, (size_t)size, f) != (size_t)size)
        st = weft_error(ctx, WEFT_ERR_IO, "%s: read error", path);
    fclose(f);
    if (st) {
        weft_textlines_close(t);
        return st;
    }
    t->buf[size] = 0;
    t->len = (size_t)size;
    return WEFT_OK;
}

char *weft_textlines_next(weft_textlines *t)
{
    if (!t->buf || t->pos >= t->len) return NULL;
    char *line = t->buf + t->pos;
    char *nl = memchr(line, '\n', t->len - t->pos);
    if (nl) {
        *nl = 0;
        t->pos = (size_t)(nl - t->buf) + 1;
    } else {
        t->pos = t->len;
    }
    size_t l = strlen(line);
    if (l && line[l - 1] == '\r') line[l - 1] = 0;
    t->lineno++;
    return line;
}

void weft_textlines_close(weft_textlines *t)
{
    if (t->buf) weft_free(t->ctx, t->buf);
    t->buf = NULL;
}

int weft_parse_numbers(const char *s, double *out, int max)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t') s++;
        if (!*s) return n;
        char *end;
        double v = strtod(s, &end);
        if (end == s || (*end && *end != ' ' && *end != '\t')) return -1;
        if (n < max) out[n] = v;
        n++;
        s = end;
    }
}
