#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context_internal.h"

static void *libc_malloc(void *u, size_t n) { (void)u; return malloc(n); }
static void *libc_realloc(void *u, void *p, size_t n) { (void)u; return realloc(p, n); }
static void libc_free(void *u, void *p) { (void)u; free(p); }

static char *default_cache_dir(weft_context *ctx)
{
    const char *env = getenv("WEFT_CACHE_DIR");
    char buf[4096];
    if (env && *env) {
        if (strcmp(env, "off") == 0 || strcmp(env, "0") == 0) return NULL;
        return weft_strdup(ctx, env);
    }
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg) snprintf(buf, sizeof buf, "%s/weft", xdg);
    else if (home && *home) snprintf(buf, sizeof buf, "%s/.cache/weft", home);
    else return NULL;
    return weft_strdup(ctx, buf);
}

weft_status weft_context_create(weft_context **out, const weft_allocator *allocator)
{
    if (!out) return WEFT_ERR_INVALID_ARG;
    *out = NULL;
    weft_allocator a = {libc_malloc, libc_realloc, libc_free, NULL};
    if (allocator) {
        if (!allocator->malloc_fn || !allocator->realloc_fn || !allocator->free_fn)
            return WEFT_ERR_INVALID_ARG;
        a = *allocator;
    }
    weft_context *ctx = a.malloc_fn(a.user, sizeof *ctx);
    if (!ctx) return WEFT_ERR_NOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = a;
    ctx->log_level = WEFT_LOG_WARNING;
    const char *dev = getenv("WEFT_DEVICE");
    snprintf(ctx->device, sizeof ctx->device, "%s", dev && *dev ? dev : "auto");
    ctx->cache_dir = default_cache_dir(ctx);
    *out = ctx;
    return WEFT_OK;
}

void weft_context_destroy(weft_context **pctx)
{
    if (!pctx || !*pctx) return;
    weft_context *ctx = *pctx;
    weft_free(ctx, ctx->cache_dir);
    weft_free(ctx, ctx->last_error_detail);
    weft_allocator a = ctx->alloc;
    a.free_fn(a.user, ctx);
    *pctx = NULL;
}

void weft_context_set_log_level(weft_context *ctx, weft_log_level level) { ctx->log_level = level; }
weft_log_level weft_context_log_level(const weft_context *ctx) { return ctx->log_level; }

void weft_context_set_log_callback(weft_context *ctx, weft_log_fn fn, void *user)
{
    ctx->log_fn = fn;
    ctx->log_user = user;
}

weft_status weft_context_set_device(weft_context *ctx, const char *device)
{
    if (!ctx || !device || strlen(device) >= sizeof ctx->device)
        return WEFT_ERR_INVALID_ARG;
    snprintf(ctx->device, sizeof ctx->device, "%s", device);
    return WEFT_OK;
}

const char *weft_context_device(const weft_context *ctx) { return ctx->device; }
void weft_context_set_threads(weft_context *ctx, int threads) { ctx->threads = threads > 0 ? threads : 0; }

weft_status weft_context_set_cache_dir(weft_context *ctx, const char *dir)
{
    char *copy = NULL;
    if (dir && !(copy = weft_strdup(ctx, dir))) return WEFT_ERR_NOMEM;
    weft_free(ctx, ctx->cache_dir);
    ctx->cache_dir = copy;
    return WEFT_OK;
}

const char *weft_context_cache_dir(const weft_context *ctx) { return ctx->cache_dir; }
const char *weft_context_last_error(const weft_context *ctx) { return ctx->last_error; }

const char *weft_context_last_error_detail(const weft_context *ctx)
{
    return ctx->last_error_detail ? ctx->last_error_detail : "";
}

void *weft_malloc(weft_context *ctx, size_t size)
{
    return ctx->alloc.malloc_fn(ctx->alloc.user, size ? size : 1);
}

void *weft_calloc(weft_context *ctx, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    void *p = weft_malloc(ctx, count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

void *weft_realloc(weft_context *ctx, void *ptr, size_t size)
{
    return ctx->alloc.realloc_fn(ctx->alloc.user, ptr, size ? size : 1);
}

void *weft_realloc_array(weft_context *ctx, void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    return weft_realloc(ctx, ptr, count * size);
}

void weft_free(weft_context *ctx, void *ptr)
{
    if (ptr) ctx->alloc.free_fn(ctx->alloc.user, ptr);
}

char *weft_strdup(weft_context *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = weft_malloc(ctx, n);
    if (p) memcpy(p, s, n);
    return p;
}
