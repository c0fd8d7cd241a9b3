/* HDF5 helpers shared by every reader and writer: tables as one 1-D dataset per column, a `units`
 * attribute on every dataset, time series as 2-D [periods x members] chunked and gzip'd, strings as
 * variable-length UTF-8. HDF5's own error printing is off; every failure becomes a weft_status whose
 * message names the file and the object path. Files are written to a temporary name and renamed on
 * weft_h5_commit, so an interrupted write never leaves a file that looks complete. */
#ifndef WEFT_H5UTIL_H
#define WEFT_H5UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "weft/context.h"

#define WEFT_SCHEMA_VERSION 1

typedef struct weft_h5 {
    weft_context *ctx;
    hid_t file;
    char path[1024];     /* the name the user gave */
    char tmp_path[1100]; /* where a created file is written until commit */
    int created;
} weft_h5;

int weft_h5_open_read(weft_context *ctx, const char *path, weft_h5 *h);
/* Creates PATH.tmp-PID, with root attributes weft_schema and weft_version. */
int weft_h5_create(weft_context *ctx, const char *path, weft_h5 *h);
/* Flush, close and rename the temporary file onto PATH. */
int weft_h5_commit(weft_h5 *h);
/* Close; a created file that was not committed is removed. Safe to call twice. */
void weft_h5_close(weft_h5 *h);

int weft_h5_exists(weft_h5 *h, const char *obj);
/* Creates the group and any missing parents. */
int weft_h5_make_group(weft_h5 *h, const char *group);

int weft_h5_write_real(weft_h5 *h, const char *dset, const double *v, size_t n, const char *units);
int weft_h5_write_int(weft_h5 *h, const char *dset, const int32_t *v, size_t n, const char *units);
int weft_h5_write_int64(weft_h5 *h, const char *dset, const int64_t *v, size_t n, const char *units);
int weft_h5_write_real2(weft_h5 *h, const char *dset, const double *v, size_t rows, size_t cols,
                        const char *units);
/* [d0 x d1 x d2], chunked by whole rows like the 2-D series. */
int weft_h5_write_real3(weft_h5 *h, const char *dset, const double *v, const size_t dims[3], const char *units);
int weft_h5_write_strings(weft_h5 *h, const char *dset, char *const *s, size_t n);
int weft_h5_attr_int(weft_h5 *h, const char *obj, const char *name, int64_t v);
int weft_h5_attr_real(weft_h5 *h, const char *obj, const char *name, double v);
int weft_h5_attr_string(weft_h5 *h, const char *obj, const char *name, const char *v);

/* Readers allocate through the context; *n (and *rows, *cols) receive the sizes. A missing dataset,
 * a wrong rank or a non-numeric type is a WEFT_ERR_BAD_INPUT naming file and path. want_n >= 0
 * requires that length. */
int weft_h5_read_real(weft_h5 *h, const char *dset, long want_n, double **out, size_t *n);
int weft_h5_read_int(weft_h5 *h, const char *dset, long want_n, int32_t **out, size_t *n);
int weft_h5_read_int64(weft_h5 *h, const char *dset, long want_n, int64_t **out, size_t *n);
int weft_h5_read_real2(weft_h5 *h, const char *dset, double **out, size_t *rows, size_t *cols);
int weft_h5_read_real3(weft_h5 *h, const char *dset, double **out, size_t dims[3]);
int weft_h5_read_strings(weft_h5 *h, const char *dset, long want_n, char ***out, size_t *n);
void weft_h5_free_strings(weft_context *ctx, char ***s, size_t n);
int weft_h5_read_attr_int(weft_h5 *h, const char *obj, const char *name, int64_t *v);
int weft_h5_read_attr_real(weft_h5 *h, const char *obj, const char *name, double *v);
/* A string attribute (fixed or variable length) copied into buf, truncated to len - 1 bytes. */
int weft_h5_read_attr_string(weft_h5 *h, const char *obj, const char *name, char *buf, size_t len);
/* Checks every value is finite (or allows +-inf when allow_inf); names the row at fault. */
int weft_h5_check_finite(weft_h5 *h, const char *dset, const double *v, size_t n, int allow_inf);

#endif
