/* HDF5 helpers: round trip, one-line errors naming file and path, no file left behind unless committed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/context_internal.h"
#include "io/h5util.h"
#include "weft_test.h"

static void roundtrip(void **state)
{
    weft_context *ctx = weft_test_context();
    const char *path = "h5util_roundtrip.h5";
    weft_h5 h;
    double v[5] = {1.5, -2, INFINITY, 0, 3e300};
    int32_t iv[3] = {7, -1, 2147483647};
    double m[6] = {1, 2, 3, 4, 5, 6};
    char *s[2] = {"bus one", "bus 2"};
    assert_int_equal(weft_h5_create(ctx, path, &h), WEFT_OK);
    assert_int_equal(weft_h5_write_real(&h, "/grid/bus/v", v, 5, "MW"), WEFT_OK);
    assert_int_equal(weft_h5_write_int(&h, "/grid/bus/i", iv, 3, "1"), WEFT_OK);
    assert_int_equal(weft_h5_write_real2(&h, "/grid/load/p", m, 2, 3, "MW"), WEFT_OK);
    assert_int_equal(weft_h5_write_strings(&h, "/grid/bus/name", s, 2), WEFT_OK);
    assert_int_equal(access(path, F_OK), -1); /* not visible before commit */
    assert_int_equal(weft_h5_commit(&h), WEFT_OK);
    weft_h5_close(&h);

    assert_int_equal(weft_h5_open_read(ctx, path, &h), WEFT_OK);
    double *rv = NULL, *rm = NULL;
    int32_t *ri = NULL;
    char **rs = NULL;
    size_t n, r, c;
    assert_int_equal(weft_h5_read_real(&h, "/grid/bus/v", 5, &rv, &n), WEFT_OK);
    for (int i = 0; i < 5; i++) assert_true(rv[i] == v[i]);
    assert_int_equal(weft_h5_read_int(&h, "/grid/bus/i", -1, &ri, &n), WEFT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ri[2], 2147483647);
    assert_int_equal(weft_h5_read_real2(&h, "/grid/load/p", &rm, &r, &c), WEFT_OK);
    assert_int_equal(r, 2);
    assert_int_equal(c, 3);
    assert_true(rm[5] == 6);
    assert_int_equal(weft_h5_read_strings(&h, "/grid/bus/name", 2, &rs, &n), WEFT_OK);
    assert_string_equal(rs[0], "bus one");
    int64_t schema = 0;
    assert_int_equal(weft_h5_read_attr_int(&h, "/", "weft_schema", &schema), WEFT_OK);
    assert_int_equal(schema, WEFT_SCHEMA_VERSION);
    /* errors name the file and the path, and leave nothing allocated */
    double *none = NULL;
    assert_int_equal(weft_h5_read_real(&h, "/grid/bus/missing", -1, &none, &n), WEFT_ERR_BAD_INPUT);
    assert_null(none);
    assert_non_null(strstr(weft_context_last_error(ctx), "h5util_roundtrip.h5"));
    assert_non_null(strstr(weft_context_last_error(ctx), "/grid/bus/missing"));
    assert_int_equal(weft_h5_read_real(&h, "/grid/bus/v", 4, &none, &n), WEFT_ERR_BAD_INPUT);
    assert_int_equal(weft_h5_read_real(&h, "/grid/bus/name", -1, &none, &n), WEFT_ERR_BAD_INPUT);
    assert_null(none);
    assert_int_equal(weft_h5_check_finite(&h, "/grid/bus/v", rv, 5, 0), WEFT_ERR_BAD_INPUT);
    assert_non_null(strstr(weft_context_last_error(ctx), "v[2]"));
    weft_h5_close(&h);
    weft_free(ctx, rv);
    weft_free(ctx, ri);
    weft_free(ctx, rm);
    weft_h5_free_strings(ctx, &rs, 2);
    remove(path);
    weft_context_destroy(&ctx);
}

static void uncommitted_leaves_nothing(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_h5 h;
    double v = 1;
    assert_int_equal(weft_h5_create(ctx, "h5util_partial.h5", &h), WEFT_OK);
    assert_int_equal(weft_h5_write_real(&h, "/x", &v, 1, "1"), WEFT_OK);
    weft_h5_close(&h);
    assert_int_equal(access("h5util_partial.h5", F_OK), -1);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "h5util_partial.h5.tmp-%ld", (long)getpid());
    assert_int_equal(access(tmp, F_OK), -1);
    weft_context_destroy(&ctx);
}

static void bad_files(void **state)
{
    weft_context *ctx = weft_test_context();
    weft_h5 h;
    assert_int_equal(weft_h5_open_read(ctx, "no/such/file.h5", &h), WEFT_ERR_IO);
    assert_non_null(strstr(weft_context_last_error(ctx), "no/such/file.h5"));
    FILE *f = fopen("h5util_garbage.h5", "wb");
    fputs("this is not hdf5", f);
    fclose(f);
    assert_int_equal(weft_h5_open_read(ctx, "h5util_garbage.h5", &h), WEFT_ERR_PARSE);
    remove("h5util_garbage.h5");
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip),
        cmocka_unit_test(uncommitted_leaves_nothing),
        cmocka_unit_test(bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
