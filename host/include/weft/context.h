/* weft: the context. One per thread of use; it carries the allocator, logging, device choice,
 * thread count and the detail of the last error. No global state exists outside it. */
#ifndef WEFT_CONTEXT_H
#define WEFT_CONTEXT_H

#include <stddef.h>
#include "weft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct weft_context weft_context;

typedef enum weft_log_level {
    WEFT_LOG_OFF = 0,
    WEFT_LOG_ERROR = 1,
    WEFT_LOG_WARNING = 2,
    WEFT_LOG_INFO = 3,
    WEFT_LOG_DETAIL = 4,
    WEFT_LOG_VERBOSE = 5
} weft_log_level;

typedef void (*weft_log_fn)(void *user, weft_log_level level, const char *message);

/* Allocator hooks; all three or none. Used for every allocation weft makes on the host. */
typedef struct weft_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
    void *user;
} weft_allocator;

/* allocator may be NULL (libc). */
WEFT_API weft_status weft_context_create(weft_context **out, const weft_allocator *allocator);
/* Accepts NULL and *ctx == NULL; sets *ctx to NULL. */
WEFT_API void weft_context_destroy(weft_context **ctx);

WEFT_API void weft_context_set_log_level(weft_context *ctx, weft_log_level level);
WEFT_API weft_log_level weft_context_log_level(const weft_context *ctx);
/* fn == NULL restores the default: messages to stderr. */
WEFT_API void weft_context_set_log_callback(weft_context *ctx, weft_log_fn fn, void *user);

/* Device choice: "auto", "cpu", "cl:gpu", "cl:cpu", "cl:P:D". Default from WEFT_DEVICE, else "auto". */
WEFT_API weft_status weft_context_set_device(weft_context *ctx, const char *device);
WEFT_API const char *weft_context_device(const weft_context *ctx);
/* 0 means: the OpenMP default. */
WEFT_API void weft_context_set_threads(weft_context *ctx, int threads);
/* Directory for cached OpenCL program binaries; NULL disables the cache.
 * Default: $WEFT_CACHE_DIR, else $XDG_CACHE_HOME/weft, else ~/.cache/weft; WEFT_CACHE_DIR=off disables. */
WEFT_API weft_status weft_context_set_cache_dir(weft_context *ctx, const char *dir);
WEFT_API const char *weft_context_cache_dir(const weft_context *ctx);

/* The message of the last error raised through this context ("" if none): one line, naming the
 * file and field or line where input was at fault. */
WEFT_API const char *weft_context_last_error(const weft_context *ctx);
/* Extra detail of the last error (an OpenCL build log, say), "" if none. */
WEFT_API const char *weft_context_last_error_detail(const weft_context *ctx);

#ifdef __cplusplus
}
#endif
#endif
