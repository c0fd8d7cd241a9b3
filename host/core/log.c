#include <stdio.h>
#include <string.h>

#include "context_internal.h"

static const char *level_name[] = {"", "error", "warning", "info", "detail", "verbose"};

void weft_vlog(weft_context *ctx, weft_log_level level, const char *fmt, va_list ap)
{
    if (!ctx || level > ctx->log_level || level <= WEFT_LOG_OFF) return;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (ctx->log_fn) {
        ctx->log_fn(ctx->log_user, level, msg);
        return;
    }
    if (level <= WEFT_LOG_WARNING) fprintf(stderr, "weft: %s: %s\n", level_name[level], msg);
    else fprintf(stderr, "%s\n", msg);
}

void weft_log(weft_context *ctx, weft_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    weft_vlog(ctx, level, fmt, ap);
    va_end(ap);
}

int weft_error(weft_context *ctx, int status, const char *fmt, ...)
{
    if (!ctx) return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->last_error, sizeof ctx->last_error, fmt, ap);
    va_end(ap);
    /* one line, always: input names can carry newlines */
    for (char *p = ctx->last_error; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    weft_free(ctx, ctx->last_error_detail);
    ctx->last_error_detail = NULL;
    weft_log(ctx, WEFT_LOG_DETAIL, "error: %s", ctx->last_error);
    return status;
}

void weft_error_detail(weft_context *ctx, const char *detail)
{
    weft_free(ctx, ctx->last_error_detail);
    ctx->last_error_detail = detail ? weft_strdup(ctx, detail) : NULL;
}
