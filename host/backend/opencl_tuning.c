/* Device quirks and tuned launch sizes as data: a table keyed vendor -> device, the most specific
 * matching row wins, and a default row covers every device not listed. Add a row here rather than
 * an `if` in the backend. Matching is by case-sensitive substring of CL_DEVICE_VENDOR and
 * CL_DEVICE_NAME; a NULL key matches anything. */
#include <string.h>

#include "backend/opencl_internal.h"

typedef struct tuning_row {
    const char *vendor; /* NULL: any */
    const char *device; /* NULL: any device of the vendor */
    const char *type;   /* NULL: any; else "gpu", "cpu", ... */
    weft_cl_tuning t;
} tuning_row;

/* Fields: wg, vector_min_avg, max_vw, groups_per_cu. */
static const tuning_row tuning_table[] = {
    /* NVIDIA: 32-wide warps, so a warp per long row reads it in one coalesced sweep. */
    {"NVIDIA", NULL, NULL, {256, 6, 32, 16}},
    /* AMD GCN/CDNA wavefronts are 64 wide; RDNA runs 32 but 64 lanes per long row do no harm. */
    {"Advanced Micro Devices", NULL, "gpu", {256, 8, 64, 16}},
    {"AMD", NULL, "gpu", {256, 8, 64, 16}},
    /* Intel GPUs: SIMD8-32 sub-groups. */
    {"Intel", NULL, "gpu", {256, 8, 16, 8}},
    /* CPU devices (PoCL, Intel CPU runtime): a work-item is a loop iteration, so several lanes
     * per row only add barriers; vectors pay off only for very long rows. */
    {NULL, NULL, "cpu", {64, 64, 8, 4}},
    /* Anything else (a GPU or accelerator we have not tuned for). */
    {NULL, NULL, NULL, {256, 8, 32, 8}},
};

static int key_matches(const char *key, const char *value) { return !key || strstr(value, key); }

/* 3 = vendor and device named, 2 = vendor, 1 = type only, 0 = default row. */
static int specificity(const tuning_row *r)
{
    return r->device ? 3 : r->vendor ? 2 : r->type ? 1 : 0;
}

static int floor_pow2(size_t v)
{
    int p = 1;
    while ((size_t)p * 2 <= v && p < (1 << 20)) p *= 2;
    return p;
}

void weft_cl_tuning_for(const weft_device_info *info, size_t max_wg, weft_cl_tuning *out)
{
    const tuning_row *best = NULL;
    for (size_t i = 0; i < sizeof tuning_table / sizeof *tuning_table; i++) {
        const tuning_row *r = &tuning_table[i];
        if (!key_matches(r->vendor, info->vendor) || !key_matches(r->device, info->name) ||
            (r->type && strcmp(r->type, info->type)))
            continue;
        if (!best || specificity(r) > specificity(best)) best = r;
    }
    *out = best->t; /* the last row matches everything */
    int cap = floor_pow2(max_wg ? max_wg : 1);
    if (out->wg > cap) out->wg = cap;
    if (out->max_vw > out->wg) out->max_vw = out->wg;
}
