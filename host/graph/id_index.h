/* Source ids (OSM node ids, points-file ids) to positions: a sorted table and a binary search. */
#ifndef WEFT_ID_INDEX_H
#define WEFT_ID_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct weft_id_pos {
    int64_t id;
    int64_t pos;
} weft_id_pos;

void weft_id_sort(weft_id_pos *t, size_t n);
/* Index into the sorted table of the entry with this id, or -1. */
int64_t weft_id_find(const weft_id_pos *t, size_t n, int64_t id);

#endif
