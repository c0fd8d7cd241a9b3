#include <stdlib.h>

#include "graph/id_index.h"

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const weft_id_pos *)a)->id, y = ((const weft_id_pos *)b)->id;
    return (x > y) - (x < y);
}

void weft_id_sort(weft_id_pos *t, size_t n) { qsort(t, n, sizeof *t, cmp_id); }

int64_t weft_id_find(const weft_id_pos *t, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && t[lo].id == id ? (int64_t)lo : -1;
}
