#include <string.h>
#include <xxhash.h>

#include "io/name_map.h"

static uint64_t name_hash(const char *s) { return XXH3_64bits(s, strlen(s)); }

void weft_name_map_free(weft_context *ctx, weft_name_map *m)
{
    weft_free(ctx, m->slots);
    memset(m, 0, sizeof *m);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const weft_name_map *m, char *const *names, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1;
    uint64_t tag = h >> 32;
    for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
        uint64_t v = m->slots[s];
        if (v == 0) return s;
        if ((v >> 32) == tag && strcmp(names[(v & 0xffffffffu) - 1], key) == 0) return s;
    }
}

int32_t weft_name_map_find(const weft_name_map *m, char *const *names, const char *key)
{
    if (m->cap == 0) return -1;
    uint64_t v = m->slots[probe(m, names, key, name_hash(key))];
    return v ? (int32_t)((v & 0xffffffffu) - 1) : -1;
}

static weft_status grow(weft_context *ctx, weft_name_map *m, char *const *names)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *slots = weft_calloc(ctx, cap, sizeof *slots);
    if (!slots) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory growing a name table to %zu", cap);
    weft_name_map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t s = 0; s < old.cap; s++) {
        uint64_t v = old.slots[s];
        if (!v) continue;
        const char *key = names[(v & 0xffffffffu) - 1];
        m->slots[probe(m, names, key, name_hash(key))] = v;
    }
    weft_free(ctx, old.slots);
    return WEFT_OK;
}

weft_status weft_name_map_insert(weft_context *ctx, weft_name_map *m, char *const *names,
                                 int32_t index)
{
    if (index < 0 || index >= INT32_MAX)
        return weft_error(ctx, WEFT_ERR_OVERFLOW, "name table index %d out of range", index);
    /* keep the load factor at most 1/2 so probes stay short */
    if (2 * (m->count + 1) > m->cap) {
        weft_status st = grow(ctx, m, names);
        if (st) return st;
    }
    uint64_t h = name_hash(names[index]);
    m->slots[probe(m, names, names[index], h)] = ((h >> 32) << 32) | (uint64_t)(index + 1);
    m->count++;
    return WEFT_OK;
}
