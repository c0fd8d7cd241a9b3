/* The context's layout and the helpers every module uses on it. Private to the library. */
#ifndef WEFT_CONTEXT_INTERNAL_H
#define WEFT_CONTEXT_INTERNAL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include "weft/context.h"

struct weft_backend;

struct weft_context {
    weft_allocator alloc;
    weft_log_level log_level;
    weft_log_fn log_fn;
    void *log_user;
    char device[64];
    char *cache_dir; /* NULL: cache off */
    int threads;
    char last_error[512];
    char *last_error_detail;
};

void *weft_malloc(weft_context *ctx, size_t size);
void *weft_calloc(weft_context *ctx, size_t count, size_t size); /* overflow-checked, zeroed */
void *weft_realloc(weft_context *ctx, void *ptr, size_t size);
/* Overflow-checked count * size realloc; NULL on overflow or failure, ptr kept then. */
void *weft_realloc_array(weft_context *ctx, void *ptr, size_t count, size_t size);
void weft_free(weft_context *ctx, void *ptr);
char *weft_strdup(weft_context *ctx, const char *s);

/* Record an error message (printf-style) on the context, log it at error level, return status. */
int weft_error(weft_context *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a longer detail (copied) to the last error. */
void weft_error_detail(weft_context *ctx, const char *detail);
void weft_log(weft_context *ctx, weft_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void weft_vlog(weft_context *ctx, weft_log_level level, const char *fmt, va_list ap);

/* Largest magnitude a finite input value (MW, currency, seconds, km, ...) may have in the grid,
 * scenario and fleet readers. Beyond it a value is a unit error or a stand-in for infinity, and it
 * wrecks the solvers' scaling and sums: a 1e308 load ended in a numerical error, a 2^40 MW shunt in a
 * false "infeasible", a 1e308 fixed cost made a plan's cost inf. PGLib's largest value is a 1.6e5 MW
 * rating; 1e12 s is 30,000 years. */
#define WEFT_INPUT_MAX_ABS 1e12

static inline int weft_out_of_range(double x) { return isfinite(x) && fabs(x) > WEFT_INPUT_MAX_ABS; }

#endif
