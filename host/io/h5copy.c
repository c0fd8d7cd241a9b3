/* Copying groups between HDF5 files with H5Ocopy (see h5copy.h for why). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "io/h5copy.h"

void weft_h5_part_path(char *buf, size_t len, const char *path, const char *tag)
{
    snprintf(buf, len, "%s.part-%ld-%s", path, (long)getpid(), tag);
}

/* The parent of "/a/b/c" is "/a/b"; "" for a top-level object. */
static void parent_of(const char *obj, char *buf, size_t len)
{
    snprintf(buf, len, "%s", obj);
    char *slash = strrchr(buf, '/');
    if (slash) *slash = 0;
}

int weft_h5_copy_from(weft_h5 *dst, const char *src_path, const char *obj)
{
    weft_h5 src;
    char parent[512];
    int st = weft_h5_open_read(dst->ctx, src_path, &src);
    if (st) return st;
    if (!weft_h5_exists(&src, obj)) {
        st = weft_error(dst->ctx, WEFT_ERR_BAD_INPUT, "%s: %s is missing", src_path, obj);
        goto cleanup;
    }
    parent_of(obj, parent, sizeof parent);
    if (*parent && (st = weft_h5_make_group(dst, parent))) goto cleanup;
    if (H5Ocopy(src.file, obj, dst->file, obj, H5P_DEFAULT, H5P_DEFAULT) < 0)
        st = weft_error(dst->ctx, WEFT_ERR_IO, "%s: cannot copy %s from %s", dst->path, obj, src_path);
cleanup:
    weft_h5_close(&src);
    return st;
}
