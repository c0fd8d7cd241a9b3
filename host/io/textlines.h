/* Line-by-line reading of a whole text file, with the line number kept for error messages. */
#ifndef WEFT_TEXTLINES_H
#define WEFT_TEXTLINES_H

#include <stddef.h>
#include "weft/context.h"

typedef struct weft_textlines {
    weft_context *ctx;
    const char *path;
    char *buf;     /* the whole file, lines cut in place */
    size_t len, pos;
    long lineno;   /* number of the line last returned (1-based) */
} weft_textlines;

/* Reads the file; a missing file is WEFT_ERR_IO naming it. Files over max_bytes are refused. */
int weft_textlines_open(weft_context *ctx, const char *path, size_t max_bytes, weft_textlines *t);
/* The next line without its newline (and a trailing CR), or NULL at the end. */
char *weft_textlines_next(weft_textlines *t);
void weft_textlines_close(weft_textlines *t);
/* Parses up to max numbers from s (whitespace separated); returns how many, -1 if a token is not a
 * number. */
int weft_parse_numbers(const char *s, double *out, int max);

#endif
