/* A string -> index map by open addressing (linear probing). The map stores indices only; the
 * strings live in an array the caller owns and passes to every call, so a name is stored once. */
#ifndef WEFT_NAME_MAP_H
#define WEFT_NAME_MAP_H

#include <stdint.h>
#include "core/context_internal.h"

typedef struct weft_name_map {
    uint64_t *slots; /* (hash high 32 bits << 32) | (index + 1); 0 = empty */
    size_t cap;      /* a power of two, or 0 */
    size_t count;
} weft_name_map;

void weft_name_map_free(weft_context *ctx, weft_name_map *m);
/* Index of key in names, or -1. */
int32_t weft_name_map_find(const weft_name_map *m, char *const *names, const char *key);
/* Adds names[index] (which must not be present yet). Grows the table as needed. */
weft_status weft_name_map_insert(weft_context *ctx, weft_name_map *m, char *const *names,
                                 int32_t index);

#endif
