/* weft batch's files: the journal (records read back, a torn tail cut, another key not resumed) and
 * malformed scenario files refused by the CLI with exit 2, one line naming the file and dataset,
 * and no output or journal left behind. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "weft_test.h"
#include "batch/journal.h"
#include "core/context_internal.h"
#include "io/h5copy.h"
#include "io/h5util.h"
#include "kunshan.h"

static char dir[] = "/tmp/weft_test_batch_XXXXXX";

static int collect(void *user, const void *data, size_t len)
{
    int *seen = user;
    int v;
    assert_int_equal(len, sizeof v);
    memcpy(&v, data, sizeof v);
    seen[seen[0] + 1] = v;
    seen[0]++;
    return 0;
}

static void test_journal(void **state)
{
    weft_context *ctx = weft_test_context();
    char path[128];
    snprintf(path, sizeof path, "%s/j.journal", dir);
    weft_journal *j = NULL;
    weft_journal_info info;
    int seen[16] = {0};
    assert_int_equal(weft_journal_open(ctx, path, 7, collect, seen, &info, &j), WEFT_OK);
    assert_int_equal(info.records, 0);
    weft_journal *other = NULL;
    assert_int_equal(weft_journal_open(ctx, path, 7, NULL, NULL, &info, &other), WEFT_ERR_IO); /* locked */
    assert_null(other);
    for (int v = 10; v < 13; v++) assert_int_equal(weft_journal_append(j, &v, sizeof v), WEFT_OK);
    weft_journal_close(&j);
    /* a kill in the middle of the fourth record: half of it on disk */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    int fd = open(path, O_WRONLY | O_APPEND);
    unsigned char half[9] = {0x52, 0x45, 0x43, 0x31, 4, 0, 0, 0, 99};
    assert_int_equal(write(fd, half, sizeof half), (ssize_t)sizeof half);
    close(fd);
    assert_int_equal(weft_journal_open(ctx, path, 7, collect, seen, &info, &j), WEFT_OK);
    assert_int_equal(info.records, 3);
    assert_int_equal(info.torn_bytes, 9);
    assert_int_equal(info.restarted, 0);
    assert_int_equal(seen[0], 3);
    assert_int_equal(seen[1], 10);
    assert_int_equal(seen[3], 12);
    int v = 13;
    assert_int_equal(weft_journal_append(j, &v, sizeof v), WEFT_OK);
    weft_journal_close(&j);
    /* a flipped byte in a record: it and what follows are not trusted */
    fd = open(path, O_RDWR);
    unsigned char b;
    assert_int_equal(pread(fd, &b, 1, 24 + 8), 1);
    b ^= 0xff;
    assert_int_equal(pwrite(fd, &b, 1, 24 + 8), 1);
    close(fd);
    memset(seen, 0, sizeof seen);
    assert_int_equal(weft_journal_open(ctx, path, 7, collect, seen, &info, &j), WEFT_OK);
    assert_int_equal(info.records, 0);
    weft_journal_close(&j);
    /* the sealed stream so far, read back under another key: not resumed */
    assert_int_equal(weft_journal_open(ctx, path, 7, NULL, NULL, &info, &j), WEFT_OK);
    assert_int_equal(weft_journal_append(j, &v, sizeof v), WEFT_OK);
    weft_journal_close(&j);
    memset(seen, 0, sizeof seen);
    assert_int_equal(weft_journal_open(ctx, path, 8, collect, seen, &info, &j), WEFT_OK);
    assert_int_equal(info.restarted, 1);
    assert_int_equal(seen[0], 0);
    weft_journal_close(&j);
    remove(path);
    weft_context_destroy(&ctx);
}

/* A valid scenario file's pieces, each case spoiling one. */
typedef struct bad_case {
    const char *name, *expect;
} bad_case;

static int write_case(weft_context *ctx, const char *grid, const char *path, int which, const weft_grid *g)
{
    int32_t S = 3, T = 4, nb = g->n_bus;
    weft_h5 h;
    double *load = calloc((size_t)S * T * nb, sizeof(double)), scale[3 * 5];
    for (int k = 0; k < S * T * nb; k++) load[k] = 1 + k % 5;
    for (int k = 0; k < 15; k++) scale[k] = 1;
    if (which == 0) load[((size_t)1 * T + 2) * nb + 3] = NAN;
    if (which == 3) scale[1] = -0.5;
    int st = weft_h5_create(ctx, path, &h);
    if (!st) st = weft_h5_copy_from(&h, grid, "/grid");
    if (!st && which != 2) st = weft_h5_make_group(&h, "/scenarios");
    if (!st && which != 2 && which != 5) st = weft_h5_attr_int(&h, "/scenarios", "count", S);
    if (!st && which != 2) st = weft_h5_attr_int(&h, "/scenarios", "periods", T);
    size_t d[3] = {(size_t)S, (size_t)T, (size_t)nb};
    if (!st && (which == 0 || which == 5)) st = weft_h5_write_real3(&h, "/scenarios/load_p", load, d, "MW");
    if (!st && which == 1) st = weft_h5_write_real2(&h, "/scenarios/load_scale", scale, 3, 5, "1");
    if (!st && which == 3) st = weft_h5_write_real2(&h, "/scenarios/renewable_scale", scale, 3, 4, "1");
    size_t dt[3] = {(size_t)S, (size_t)T, 2};
    if (!st && which == 4) st = weft_h5_write_real3(&h, "/scenarios/tie_price", load, dt, "currency/MWh");
    if (!st) st = weft_h5_commit(&h);
    weft_h5_close(&h);
    free(load);
    return st;
}

static void test_malformed_files(void **state)
{
    static const bad_case cases[] = {
        {"nan.h5", "nan.h5: /scenarios/load_p[1,2,3] = nan"},
        {"size.h5", "size.h5: /scenarios/load_scale is 3 x 5, expected 3 x 4"},
        {"nogroup.h5", "nogroup.h5: no /scenarios group"},
        {"negative.h5", "negative.h5: /scenarios/renewable_scale[0,1] = -0.5 is negative"},
        {"ties.h5", "ties.h5: /scenarios/tie_price is 3 x 4 x 2, expected 3 x 4 x 1"},
        {"nocount.h5", "nocount.h5: missing attribute count on /scenarios"},
        {"text.h5", "text.h5: not an HDF5 file"},
    };
    weft_context *ctx = weft_test_context();
    weft_kunshan_options o;
    weft_kunshan_defaults(&o);
    o.n_bus = 24;
    weft_grid *g = NULL;
    char grid[128], path[160], cmd[1024], err[200], out[200];
    snprintf(grid, sizeof grid, "%s/grid.h5", dir);
    assert_int_equal(weft_kunshan_grid(ctx, &o, &g, NULL), WEFT_OK);
    assert_int_equal(weft_grid_write_h5(ctx, g, grid), WEFT_OK);
    for (int k = 0; k < (int)(sizeof cases / sizeof *cases); k++) {
        snprintf(path, sizeof path, "%s/%s", dir, cases[k].name);
        if (k == 6) {
            FILE *f = fopen(path, "w");
            fputs("scenarios,load\n1,2\n", f);
            fclose(f);
        } else {
            assert_int_equal(write_case(ctx, grid, path, k, g), WEFT_OK);
        }
        snprintf(err, sizeof err, "%s/err.txt", dir);
        snprintf(out, sizeof out, "%s/out.h5", dir);
        snprintf(cmd, sizeof cmd, "%s batch %s -o %s --device cpu 2> %s", WEFT_CLI, path, out, err);
        int rc = weft_test_system(cmd);
        FILE *f = fopen(err, "r");
        char line[1024] = "", extra[8];
        assert_non_null(fgets(line, sizeof line, f));
        int more = fgets(extra, sizeof extra, f) != NULL;
        fclose(f);
        printf("%s -> %d: %s", cases[k].name, rc, line);
        assert_int_equal(rc, 2);
        assert_non_null(strstr(line, cases[k].expect));
        assert_false(more); /* one line */
        assert_int_not_equal(access(out, F_OK), 0);
        snprintf(out, sizeof out, "%s/out.h5.journal", dir);
        assert_int_not_equal(access(out, F_OK), 0);
        remove(path);
    }
    remove(err);
    remove(grid);
    weft_grid_destroy(ctx, &g);
    weft_context_destroy(&ctx);
}

static int setup(void **state)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_malformed_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
