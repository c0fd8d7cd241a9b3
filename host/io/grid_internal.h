/* The grid's columns described once, so creation, validation and the HDF5 reader and writer walk
 * one table instead of repeating every field. Private to the library. */
#ifndef WEFT_GRID_INTERNAL_H
#define WEFT_GRID_INTERNAL_H

#include <stddef.h>
#include "weft/grid.h"

typedef enum { GF_INT, GF_REAL, GF_STRING, GF_SERIES } grid_ftype;

enum {
    GF_BUSREF = 1,  /* an index into the bus table */
    GF_GENREF = 2,  /* an index into the generator table */
    GF_NONNEG = 4,  /* a capacity: must be >= 0 */
    GF_INF = 8,     /* +-INFINITY allowed (no limit) */
    GF_UNIT = 16,   /* a fraction in [0, 1] */
    GF_FLAG = 32    /* 0 or 1 */
};

typedef struct grid_field {
    const char *path;   /* below /grid: "generator/pmax" */
    size_t count;       /* offsetof the member count (n_gen) */
    size_t offset;      /* offsetof the column pointer */
    grid_ftype type;
    int flags;
    double def;         /* default value at creation */
    const char *units;
} grid_field;

extern const grid_field weft_grid_fields[];
extern const size_t weft_grid_n_fields;

/* Validation with the origin (a file name, or "grid") at the head of every message. */
int weft_grid_validate_in(weft_context *ctx, const weft_grid *g, const char *where);

#endif
