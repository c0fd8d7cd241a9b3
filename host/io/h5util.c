#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "weft/weft.h"

#define FAIL(h, st, ...) weft_error((h)->ctx, (st), __VA_ARGS__)

static void quiet_hdf5(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

int weft_h5_open_read(weft_context *ctx, const char *path, weft_h5 *h)
{
    memset(h, 0, sizeof *h);
    h->ctx = ctx;
    h->file = H5I_INVALID_HID;
    snprintf(h->path, sizeof h->path, "%s", path);
    quiet_hdf5();
    if (access(path, R_OK) != 0) return FAIL(h, WEFT_ERR_IO, "%s: cannot open for reading", path);
    if (H5Fis_hdf5(path) <= 0) return FAIL(h, WEFT_ERR_PARSE, "%s: not an HDF5 file (or truncated)", path);
    h->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (h->file < 0) return FAIL(h, WEFT_ERR_PARSE, "%s: HDF5 file cannot be opened (corrupt or truncated)", path);
    return WEFT_OK;
}

int weft_h5_create(weft_context *ctx, const char *path, weft_h5 *h)
{
    memset(h, 0, sizeof *h);
    h->ctx = ctx;
    h->file = H5I_INVALID_HID;
    snprintf(h->path, sizeof h->path, "%s", path);
    snprintf(h->tmp_path, sizeof h->tmp_path, "%s.tmp-%ld", path, (long)getpid());
    quiet_hdf5();
    h->file = H5Fcreate(h->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (h->file < 0) return FAIL(h, WEFT_ERR_IO, "%s: cannot create (directory missing or not writable?)", path);
    h->created = 1;
    int st = weft_h5_attr_int(h, "/", "weft_schema", WEFT_SCHEMA_VERSION);
    if (!st) st = weft_h5_attr_string(h, "/", "weft_version", WEFT_VERSION_STRING);
    if (st) weft_h5_close(h);
    return st;
}

int weft_h5_commit(weft_h5 *h)
{
    if (h->file < 0 || !h->created) return FAIL(h, WEFT_ERR_INTERNAL, "%s: commit without an open file", h->path);
    herr_t e = H5Fclose(h->file);
    h->file = H5I_INVALID_HID;
    if (e < 0 || rename(h->tmp_path, h->path) != 0) {
        remove(h->tmp_path);
        h->created = 0;
        return FAIL(h, WEFT_ERR_IO, "%s: cannot finish writing", h->path);
    }
    h->created = 0;
    return WEFT_OK;
}

void weft_h5_close(weft_h5 *h)
{
    if (h->file >= 0) H5Fclose(h->file);
    h->file = H5I_INVALID_HID;
    if (h->created) remove(h->tmp_path);
    h->created = 0;
}

int weft_h5_exists(weft_h5 *h, const char *obj)
{
    if (!strcmp(obj, "/")) return 1;
    /* H5Lexists fails on a missing parent, so walk the path one link at a time */
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", obj);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (H5Lexists(h->file, buf, H5P_DEFAULT) <= 0) return 0;
            if (!c) return 1;
            *p = c;
        }
    }
}

int weft_h5_make_group(weft_h5 *h, const char *group)
{
    if (weft_h5_exists(h, group)) return WEFT_OK;
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(h->file, group, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    if (g < 0) return FAIL(h, WEFT_ERR_IO, "%s: cannot create group %s", h->path, group);
    H5Gclose(g);
    return WEFT_OK;
}

/* Makes the parent group of a dataset path. */
static int make_parent(weft_h5 *h, const char *dset)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dset);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf) return WEFT_OK;
    *slash = 0;
    return weft_h5_make_group(h, buf);
}

static int write_nd(weft_h5 *h, const char *dset, hid_t type, const void *v, int rank,
                    const hsize_t *dims, const char *units)
{
    int st = make_parent(h, dset);
    if (st) return st;
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t total = 1;
    for (int i = 0; i < rank; i++) total *= dims[i];
    if (total >= 4096) {
        /* whole rows per chunk, about 64 Ki values */
        hsize_t chunk[3] = {dims[0], 1, 1}, row = 1;
        for (int i = 1; i < rank && i < 3; i++) row *= (chunk[i] = dims[i] ? dims[i] : 1);
        if (chunk[0] > 65536 / row) chunk[0] = 65536 / row;
        if (chunk[0] == 0) chunk[0] = 1;
        H5Pset_chunk(dcpl, rank, chunk);
        H5Pset_deflate(dcpl, 4);
    }
    hid_t d = H5Dcreate2(h->file, dset, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t e = d < 0 ? -1 : H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    if (e < 0) return FAIL(h, WEFT_ERR_IO, "%s: cannot write dataset %s", h->path, dset);
    return units ? weft_h5_attr_string(h, dset, "units", units) : WEFT_OK;
}

int weft_h5_write_real(weft_h5 *h, const char *dset, const double *v, size_t n, const char *units)
{
    hsize_t d = n;
    return write_nd(h, dset, H5T_NATIVE_DOUBLE, v, 1, &d, units);
}

int weft_h5_write_int(weft_h5 *h, const char *dset, const int32_t *v, size_t n, const char *units)
{
    hsize_t d = n;
    return write_nd(h, dset, H5T_NATIVE_INT32, v, 1, &d, units);
}

int weft_h5_write_int64(weft_h5 *h, const char *dset, const int64_t *v, size_t n, const char *units)
{
    hsize_t d = n;
    return write_nd(h, dset, H5T_NATIVE_INT64, v, 1, &d, units);
}

int weft_h5_write_real2(weft_h5 *h, const char *dset, const double *v, size_t rows, size_t cols,
                        const char *units)
{
    hsize_t d[2] = {rows, cols};
    return write_nd(h, dset, H5T_NATIVE_DOUBLE, v, 2, d, units);
}

int weft_h5_write_real3(weft_h5 *h, const char *dset, const double *v, const size_t dims[3], const char *units)
{
    hsize_t d[3] = {dims[0], dims[1], dims[2]};
    return write_nd(h, dset, H5T_NATIVE_DOUBLE, v, 3, d, units);
}

static hid_t string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

int weft_h5_write_strings(weft_h5 *h, const char *dset, char *const *s, size_t n)
{
    hid_t t = string_type();
    hsize_t d = n;
    int st = write_nd(h, dset, t, s, 1, &d, NULL);
    H5Tclose(t);
    return st;
}

static int write_attr(weft_h5 *h, const char *obj, const char *name, hid_t type, const void *v)
{
    hid_t o = H5Oopen(h->file, obj, H5P_DEFAULT);
    if (o < 0) return FAIL(h, WEFT_ERR_IO, "%s: no object %s for attribute %s", h->path, obj, name);
    if (H5Aexists(o, name) > 0) H5Adelete(o, name);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, type, v);
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    H5Oclose(o);
    return e < 0 ? FAIL(h, WEFT_ERR_IO, "%s: cannot write attribute %s of %s", h->path, name, obj) : WEFT_OK;
}

int weft_h5_attr_int(weft_h5 *h, const char *obj, const char *name, int64_t v)
{
    return write_attr(h, obj, name, H5T_NATIVE_INT64, &v);
}

int weft_h5_attr_real(weft_h5 *h, const char *obj, const char *name, double v)
{
    return write_attr(h, obj, name, H5T_NATIVE_DOUBLE, &v);
}

int weft_h5_attr_string(weft_h5 *h, const char *obj, const char *name, const char *v)
{
    hid_t t = string_type();
    int st = write_attr(h, obj, name, t, &v);
    H5Tclose(t);
    return st;
}

/* Opens a dataset and checks rank and type class; returns its dims. */
static int open_dset(weft_h5 *h, const char *dset, int rank, H5T_class_t cls, hid_t *out, hsize_t *dims)
{
    if (!weft_h5_exists(h, dset)) return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: missing dataset %s", h->path, dset);
    hid_t d = H5Dopen2(h->file, dset, H5P_DEFAULT);
    if (d < 0) return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: %s is not a dataset", h->path, dset);
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    H5T_class_t c = H5Tget_class(t);
    int r = H5Sget_simple_extent_ndims(s);
    if (r == rank) H5Sget_simple_extent_dims(s, dims, NULL);
    H5Tclose(t);
    H5Sclose(s);
    int ok_class = c == cls || (cls == H5T_FLOAT && c == H5T_INTEGER);
    if (r != rank || !ok_class) {
        H5Dclose(d);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: dataset %s should be a %d-D %s array (found %d-D %s)",
                    h->path, dset, rank, cls == H5T_FLOAT ? "numeric" : cls == H5T_INTEGER ? "integer" : "string",
                    r, c == H5T_FLOAT ? "float" : c == H5T_INTEGER ? "integer" : c == H5T_STRING ? "string" : "other");
    }
    *out = d;
    return WEFT_OK;
}

/* HDF5 clips an out-of-range integer to the memory type's limit by default (an int64 count of 2^40
 * read as int32 becomes 2^31 - 1); abort the read instead, so it is reported as bad input. */
static H5T_conv_ret_t refuse_overflow(H5T_conv_except_t e, hid_t src, hid_t dst, void *s, void *d, void *user)
{
    (void)src, (void)dst, (void)s, (void)d, (void)user;
    return e == H5T_CONV_EXCEPT_RANGE_HI || e == H5T_CONV_EXCEPT_RANGE_LOW ? H5T_CONV_ABORT : H5T_CONV_UNHANDLED;
}

/* Reads all of d into buf; a value that does not fit the memory type fails the read. */
static herr_t read_all(hid_t d, hid_t mem, void *buf)
{
    hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
    if (xfer < 0) return -1;
    herr_t e = H5Pset_type_conv_cb(xfer, refuse_overflow, NULL);
    if (e >= 0) e = H5Dread(d, mem, H5S_ALL, H5S_ALL, xfer, buf);
    H5Pclose(xfer);
    return e;
}

static int read_nd(weft_h5 *h, const char *dset, int rank, H5T_class_t cls, hid_t mem, size_t esz,
                   long want_n, void **out, hsize_t *dims)
{
    hid_t d;
    *out = NULL;
    int st = open_dset(h, dset, rank, cls, &d, dims);
    if (st) return st;
    size_t total = 1;
    for (int i = 0; i < rank; i++) {
        /* each factor and the running product stay <= 2^31, so the product cannot overflow */
        if (dims[i] > (hsize_t)1 << 31 || (total *= dims[i]) > (size_t)1 << 31) {
            H5Dclose(d);
            return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: dataset %s is too large (%llu along dimension %d)", h->path,
                        dset, (unsigned long long)dims[i], i);
        }
    }
    if (want_n >= 0 && (long)dims[0] != want_n) {
        H5Dclose(d);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: dataset %s has %llu entries, expected %ld", h->path, dset,
                    (unsigned long long)dims[0], want_n);
    }
    void *buf = weft_calloc(h->ctx, total ? total : 1, esz);
    if (!buf) {
        H5Dclose(d);
        return FAIL(h, WEFT_ERR_NOMEM, "%s: out of memory reading %s", h->path, dset);
    }
    herr_t e = total ? read_all(d, mem, buf) : 0;
    H5Dclose(d);
    if (e < 0) {
        weft_free(h->ctx, buf);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: cannot read dataset %s (a value out of range for %s, or corrupt)",
                    h->path, dset, cls == H5T_INTEGER ? (esz == 4 ? "int32" : "int64") : "float64");
    }
    *out = buf;
    return WEFT_OK;
}

int weft_h5_read_real(weft_h5 *h, const char *dset, long want_n, double **out, size_t *n)
{
    hsize_t dims[1];
    int st = read_nd(h, dset, 1, H5T_FLOAT, H5T_NATIVE_DOUBLE, sizeof(double), want_n, (void **)out, dims);
    if (!st && n) *n = dims[0];
    return st;
}

int weft_h5_read_int(weft_h5 *h, const char *dset, long want_n, int32_t **out, size_t *n)
{
    hsize_t dims[1];
    int st = read_nd(h, dset, 1, H5T_INTEGER, H5T_NATIVE_INT32, sizeof(int32_t), want_n, (void **)out, dims);
    if (!st && n) *n = dims[0];
    return st;
}

int weft_h5_read_int64(weft_h5 *h, const char *dset, long want_n, int64_t **out, size_t *n)
{
    hsize_t dims[1];
    int st = read_nd(h, dset, 1, H5T_INTEGER, H5T_NATIVE_INT64, sizeof(int64_t), want_n, (void **)out, dims);
    if (!st && n) *n = dims[0];
    return st;
}

int weft_h5_read_real2(weft_h5 *h, const char *dset, double **out, size_t *rows, size_t *cols)
{
    hsize_t dims[2];
    int st = read_nd(h, dset, 2, H5T_FLOAT, H5T_NATIVE_DOUBLE, sizeof(double), -1, (void **)out, dims);
    if (!st) {
        *rows = dims[0];
        *cols = dims[1];
    }
    return st;
}

int weft_h5_read_real3(weft_h5 *h, const char *dset, double **out, size_t dims[3])
{
    hsize_t d[3];
    int st = read_nd(h, dset, 3, H5T_FLOAT, H5T_NATIVE_DOUBLE, sizeof(double), -1, (void **)out, d);
    for (int i = 0; !st && i < 3; i++) dims[i] = d[i];
    return st;
}

int weft_h5_read_strings(weft_h5 *h, const char *dset, long want_n, char ***out, size_t *n)
{
    hsize_t dims[1];
    hid_t d;
    *out = NULL;
    int st = open_dset(h, dset, 1, H5T_STRING, &d, dims);
    if (st) return st;
    if (want_n >= 0 && (long)dims[0] != want_n) {
        H5Dclose(d);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: dataset %s has %llu entries, expected %ld", h->path, dset,
                    (unsigned long long)dims[0], want_n);
    }
    hid_t t = string_type();
    char **raw = weft_calloc(h->ctx, dims[0] + 1, sizeof *raw);
    char **res = weft_calloc(h->ctx, dims[0] + 1, sizeof *res);
    herr_t e = raw && res ? H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) : -1;
    if (!raw || !res) st = FAIL(h, WEFT_ERR_NOMEM, "%s: out of memory reading %s", h->path, dset);
    else st = e < 0 ? FAIL(h, WEFT_ERR_BAD_INPUT, "%s: cannot read strings %s", h->path, dset) : WEFT_OK;
    for (hsize_t i = 0; !st && i < dims[0]; i++)
        if (!(res[i] = weft_strdup(h->ctx, raw[i] ? raw[i] : "")))
            st = FAIL(h, WEFT_ERR_NOMEM, "%s: out of memory reading %s", h->path, dset);
    if (e >= 0) {
        hid_t s = H5Dget_space(d);
        H5Dvlen_reclaim(t, s, H5P_DEFAULT, raw);
        H5Sclose(s);
    }
    weft_free(h->ctx, raw);
    H5Tclose(t);
    H5Dclose(d);
    if (st) weft_h5_free_strings(h->ctx, &res, dims[0]);
    *out = res;
    if (n) *n = dims[0];
    return st;
}

void weft_h5_free_strings(weft_context *ctx, char ***s, size_t n)
{
    if (!s || !*s) return;
    for (size_t i = 0; i < n; i++) weft_free(ctx, (*s)[i]);
    weft_free(ctx, *s);
    *s = NULL;
}

static int read_attr(weft_h5 *h, const char *obj, const char *name, hid_t mem, void *v)
{
    if (!weft_h5_exists(h, obj)) return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: missing object %s", h->path, obj);
    hid_t o = H5Oopen(h->file, obj, H5P_DEFAULT);
    if (o < 0 || H5Aexists(o, name) <= 0) {
        if (o >= 0) H5Oclose(o);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: missing attribute %s on %s", h->path, name, obj);
    }
    hid_t a = H5Aopen(o, name, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Aread(a, mem, v);
    if (a >= 0) H5Aclose(a);
    H5Oclose(o);
    return e < 0 ? FAIL(h, WEFT_ERR_BAD_INPUT, "%s: attribute %s on %s has the wrong type", h->path, name, obj)
                 : WEFT_OK;
}

int weft_h5_read_attr_int(weft_h5 *h, const char *obj, const char *name, int64_t *v)
{
    return read_attr(h, obj, name, H5T_NATIVE_INT64, v);
}

int weft_h5_read_attr_real(weft_h5 *h, const char *obj, const char *name, double *v)
{
    return read_attr(h, obj, name, H5T_NATIVE_DOUBLE, v);
}

int weft_h5_read_attr_string(weft_h5 *h, const char *obj, const char *name, char *buf, size_t len)
{
    if (!weft_h5_exists(h, obj)) return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: missing object %s", h->path, obj);
    hid_t o = H5Oopen(h->file, obj, H5P_DEFAULT);
    if (o < 0 || H5Aexists(o, name) <= 0) {
        if (o >= 0) H5Oclose(o);
        return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: missing attribute %s on %s", h->path, name, obj);
    }
    hid_t a = H5Aopen(o, name, H5P_DEFAULT), ft = a < 0 ? -1 : H5Aget_type(a);
    herr_t e = -1;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
        if (H5Tis_variable_str(ft) > 0) {
            char *s = NULL;
            hid_t t = string_type();
            e = H5Aread(a, t, &s);
            if (e >= 0) snprintf(buf, len, "%s", s ? s : "");
            if (e >= 0 && s) H5free_memory(s);
            H5Tclose(t);
        } else {
            size_t sz = H5Tget_size(ft);
            char *tmp = weft_calloc(h->ctx, sz + 1, 1);
            hid_t t = H5Tcopy(H5T_C_S1);
            H5Tset_size(t, sz + 1);
            e = tmp ? H5Aread(a, t, tmp) : -1;
            if (e >= 0) snprintf(buf, len, "%s", tmp);
            weft_free(h->ctx, tmp);
            H5Tclose(t);
        }
    }
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    H5Oclose(o);
    return e < 0 ? FAIL(h, WEFT_ERR_BAD_INPUT, "%s: attribute %s on %s is not a string", h->path, name, obj)
                 : WEFT_OK;
}

int weft_h5_check_finite(weft_h5 *h, const char *dset, const double *v, size_t n, int allow_inf)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i])) return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: %s[%zu] is NaN", h->path, dset, i);
        if (!allow_inf && isinf(v[i]))
            return FAIL(h, WEFT_ERR_BAD_INPUT, "%s: %s[%zu] is infinite", h->path, dset, i);
    }
    return WEFT_OK;
}
