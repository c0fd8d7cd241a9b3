/* MPS reader: the netlib sets against their published sizes, hand-written files for each feature,
 * and malformed files, each of which must fail with the file name and line in the message. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support/weft_test.h"

/* ---- helpers ---- */

static weft_lp_problem *read_ok(weft_context *ctx, const char *path, weft_status want)
{
    weft_lp_problem *p = NULL;
    weft_status st = weft_mps_read(ctx, path, &p);
    if (st != want) print_error("%s: status %d, expected %d: %s\n", path, st, want, weft_context_last_error(ctx));
    assert_int_equal(st, want);
    assert_non_null(p);
    return p;
}

static int find_col(const weft_lp_problem *p, const char *name)
{
    for (int j = 0; j < p->n_cols; j++)
        if (strcmp(p->col_names[j], name) == 0) return j;
    fail_msg("no column '%s'", name);
    return -1;
}

static int find_row(const weft_lp_problem *p, const char *name)
{
    for (int i = 0; i < p->n_rows; i++)
        if (strcmp(p->row_names[i], name) == 0) return i;
    fail_msg("no row '%s'", name);
    return -1;
}

/* A(i, j) from the CSR arrays, 0 if absent. */
static double coef(const weft_lp_problem *p, int i, int j)
{
    for (int k = p->row_ptr[i]; k < p->row_ptr[i + 1]; k++)
        if (p->col_idx[k] == j) return p->val[k];
    return 0;
}

static int objective_nonzeros(const weft_lp_problem *p)
{
    int n = 0;
    for (int j = 0; j < p->n_cols; j++) n += p->obj[j] != 0;
    return n;
}

/* Rows of the ROWS section, counted without the reader: lines between ROWS and COLUMNS. */
static int rows_section_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int in = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "ROWS", 4)) in = 1;
        else if (!strncmp(line, "COLUMNS", 7)) break;
        else if (in && line[0] == ' ') n++;
    }
    fclose(f);
    return n;
}

/* Column index of a header name in a CSV header line. */
static int csv_column(char *header, const char *name)
{
    int k = 0;
    for (char *t = strtok(header, ",\r\n"); t; t = strtok(NULL, ",\r\n"), k++)
        if (!strcmp(t, name)) return k;
    fail_msg("CSV header has no column '%s'", name);
    return -1;
}

/* Field k of a CSV line (fields before any quoted one), copied to out. */
static void csv_field(const char *line, int k, char *out, size_t len)
{
    const char *s = line;
    for (int i = 0; i < k; i++) {
        s = strchr(s, ',');
        assert_non_null(s);
        s++;
    }
    size_t n = strcspn(s, ",\r\n");
    assert_true(n < len);
    memcpy(out, s, n);
    out[n] = '\0';
}

typedef struct expect_sizes {
    char name[64];
    int rows, cols, nnz; /* rows include the objective row, nnz the objective entries */
} expect_sizes;

/* rows_col: the column holding constraint rows (then +1 is added) or all rows (add_obj 0). */
static int read_sizes(const char *csv, const char *rows_col, int add_obj, expect_sizes *out, int max)
{
    FILE *f = fopen(csv, "r");
    if (!f) fail_msg("cannot open %s", csv);
    char line[2048], header[2048];
    assert_non_null(fgets(line, sizeof line, f));
    int c[4];
    const char *names[4] = {"name", rows_col, "cols", "nonzeros"};
    for (int k = 0; k < 4; k++) {
        strcpy(header, line);
        c[k] = csv_column(header, names[k]);
    }
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        char v[64];
        csv_field(line, c[0], out[n].name, sizeof out[n].name);
        csv_field(line, c[1], v, sizeof v);
        out[n].rows = atoi(v) + add_obj;
        csv_field(line, c[2], v, sizeof v);
        out[n].cols = atoi(v);
        csv_field(line, c[3], v, sizeof v);
        out[n].nnz = atoi(v);
        n++;
    }
    fclose(f);
    return n;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void check_set(const char *dir, const char *csv, const char *rows_col, int add_obj, int min_files)
{
    weft_context *ctx = weft_test_context();
    expect_sizes e[64];
    char path[4096], rel[sizeof e[0].name + 64];
    snprintf(rel, sizeof rel, "%s/%s", dir, csv);
    int n = read_sizes(weft_test_shared(rel), rows_col, add_obj, e, 64);
    assert_true(n >= min_files);
    for (int k = 0; k < n; k++) {
        snprintf(rel, sizeof rel, "%.40s/%.63s.mps", dir, e[k].name);
        snprintf(path, sizeof path, "%s", weft_test_shared(rel));
        double t0 = seconds_now();
        weft_lp_problem *p = read_ok(ctx, path, WEFT_OK);
        double dt = seconds_now() - t0;
        int rows = p->n_rows + 1;
        /* the reader's count must match the file's own ROWS section (one N row in all of these) */
        assert_int_equal(rows, rows_section_lines(path));
        if (rows != e[k].rows && !strcmp(e[k].name, "boeing1") && rows == e[k].rows + 1)
            printf("NOTE boeing1: the netlib readme lists %d rows, the file's ROWS section has %d\n",
                   e[k].rows, rows);
        else
            assert_int_equal(rows, e[k].rows);
        assert_int_equal(p->n_cols, e[k].cols);
        assert_int_equal(p->nnz + objective_nonzeros(p), e[k].nnz);
        if (dt > 0.01) printf("%s: read in %.3f s\n", e[k].name, dt);
        if (e[k].nnz > 30000) assert_true(dt < 0.5); /* d2q06c, greenbea: ~0.01 s in a Release build */
        weft_lp_problem_destroy(ctx, &p);
        assert_null(p);
    }
    weft_context_destroy(&ctx);
}

/* ---- the netlib sets ---- */

static void test_netlib_sizes(void **state)
{
    (void)state;
    check_set("netlib", "netlib_optimal_values.csv", "rows", 0, 28);
}

static void test_netlib_infeasible_sizes(void **state)
{
    (void)state;
    check_set("netlib-infeasible", "expected.csv", "constraint_rows", 1, 15);
}

/* e226 has an RHS of -7.113 on its objective row: the constant is its negative (CPLEX, HiGHS and
 * clp read it so; clp's optimum -11.63892907 = c'x* + 7.113 with c'x* = -18.75192907). */
static void test_netlib_objective_constant(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = read_ok(ctx, weft_test_shared("netlib/e226.mps"), WEFT_OK);
    assert_double_close(p->offset, 7.113, 1e-15, 0);
    assert_string_equal(p->name, "E226");
    weft_lp_problem_destroy(ctx, &p);
    p = read_ok(ctx, weft_test_shared("netlib/afiro.mps"), WEFT_OK);
    assert_true(p->offset == 0);
    assert_string_equal(p->name, "AFIRO");
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* afiro spot checks against its text: row R09 has X01 -1, X02 1, X03 1; X01's objective is 0, X02's -0.4. */
static void test_netlib_afiro_values(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = read_ok(ctx, weft_test_shared("netlib/afiro.mps"), WEFT_OK);
    int r09 = find_row(p, "R09");
    assert_double_close(coef(p, r09, find_col(p, "X01")), -1, 0, 0);
    assert_double_close(coef(p, r09, find_col(p, "X02")), 1, 0, 0);
    assert_double_close(coef(p, r09, find_col(p, "X03")), 1, 0, 0);
    assert_double_close(p->obj[find_col(p, "X02")], -0.4, 0, 0);
    assert_double_close(p->row_lo[r09], 0, 0, 0);
    assert_double_close(p->row_up[r09], 0, 0, 0);
    int x04 = find_col(p, "X04");
    assert_true(p->col_lo[x04] == 0 && isinf(p->col_up[x04]));
    for (int i = 0; i < p->n_rows; i++)
        for (int k = p->row_ptr[i] + 1; k < p->row_ptr[i + 1]; k++) assert_true(p->col_idx[k - 1] < p->col_idx[k]);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* ---- hand-written files ---- */

static void test_free_format(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/free.mps"), WEFT_OK);
    assert_string_equal(p->name, "free_example");
    assert_int_equal(p->sense, -1);
    assert_int_equal(p->n_cols, 2);
    assert_int_equal(p->n_rows, 3); /* the free row spare_free_row is dropped with its entry */
    assert_int_equal(p->nnz, 4);
    int x = find_col(p, "x_long_name"), y = find_col(p, "y");
    assert_double_close(p->obj[x], 3, 0, 0); /* kept as written: the solver applies sense */
    assert_double_close(p->obj[y], 2, 0, 0);
    assert_double_close(p->offset, -10, 0, 0);
    int cap = find_row(p, "capacity_limit"), dem = find_row(p, "demand_row"), bal = find_row(p, "balance");
    assert_true(isinf(p->row_lo[cap]) && p->row_lo[cap] < 0);
    assert_double_close(p->row_up[cap], 4, 0, 0);
    assert_double_close(p->row_lo[dem], 1, 0, 0);
    assert_true(isinf(p->row_up[dem]));
    assert_double_close(p->row_lo[bal], 2, 0, 0);
    assert_double_close(p->row_up[bal], 2, 0, 0);
    assert_double_close(coef(p, cap, x), 1, 0, 0);
    assert_double_close(coef(p, cap, y), 1, 0, 0);
    assert_double_close(coef(p, dem, x), 1, 0, 0);
    assert_double_close(coef(p, bal, y), 1, 0, 0);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static void test_objsense_forms(void **state)
{
    (void)state;
    static const struct { const char *file; int sense; } cases[] = {
        {"mps/objsense_inline.mps", -1}, {"mps/objsense_col1.mps", -1}, {"mps/objsense_min.mps", 1}};
    weft_context *ctx = weft_test_context();
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        weft_lp_problem *p = read_ok(ctx, weft_test_data(cases[k].file), WEFT_OK);
        if (p->sense != cases[k].sense) fail_msg("%s: sense %d", cases[k].file, p->sense);
        assert_double_close(p->obj[0], 1, 0, 0);
        weft_lp_problem_destroy(ctx, &p);
    }
    weft_context_destroy(&ctx);
}

static void test_fixed_names_with_blanks(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/fixed_spaces.mps"), WEFT_OK);
    assert_string_equal(p->name, "SPACES");
    assert_int_equal(p->n_cols, 2);
    assert_int_equal(p->n_rows, 2);
    int x = find_col(p, "X ONE"), y = find_col(p, "Y TWO");
    int l1 = find_row(p, "LIM 1"), l2 = find_row(p, "LIM 2");
    assert_double_close(coef(p, l1, x), 2, 0, 0);
    assert_double_close(coef(p, l2, x), 1, 0, 0);
    assert_double_close(coef(p, l2, y), 3, 0, 0);
    assert_double_close(coef(p, l1, y), 0, 0, 0);
    assert_double_close(p->obj[y], -1, 0, 0);
    assert_double_close(p->row_up[l1], 8, 0, 0);
    assert_double_close(p->row_lo[l2], 1, 0, 0);
    assert_double_close(p->col_up[x], 5, 0, 0);
    assert_double_close(p->offset, 2.5, 0, 0);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static void test_ranges(void **state)
{
    (void)state;
    static const struct { const char *row; double lo, up; } want[] = {
        {"e_pos", 4, 6}, {"e_neg", 1, 4}, {"e_zero", 3, 3}, {"l_pos", 6, 10},
        {"l_neg", 6, 10}, {"g_pos", 1, 6}, {"g_neg", 1, 6}};
    weft_context *ctx = weft_test_context();
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/ranges.mps"), WEFT_OK);
    assert_int_equal(p->n_rows, 7);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        int i = find_row(p, want[k].row);
        if (p->row_lo[i] != want[k].lo || p->row_up[i] != want[k].up)
            fail_msg("row %s: [%g, %g], expected [%g, %g]", want[k].row, p->row_lo[i], p->row_up[i],
                     want[k].lo, want[k].up);
    }
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static void test_bounds(void **state)
{
    (void)state;
    const double inf = INFINITY;
    const struct { const char *col; double lo, up; } want[] = {
        {"up", 0, 4}, {"lo", -2, inf}, {"fx", 3, 3}, {"fr", -inf, inf}, {"mi", -inf, inf},
        {"pl", 0, inf}, {"bv", 0, 1}, {"li", 2, inf}, {"ui", 0, 9},
        {"negup", -inf, -5}, /* UP < 0 with the default lower bound: lb = -inf, as CPLEX/HiGHS */
        {"neglo", -10, -5},  /* an explicit lower bound stays */
        {"upinf", 0, inf}, {"loinf", -inf, inf}};
    weft_context *ctx = weft_test_context();
    /* BV, LI and UI make integer columns: relaxed, with the warning status */
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/bounds.mps"), WEFT_WARN_INTEGER_RELAXED);
    assert_int_equal(p->n_cols, (int)(sizeof want / sizeof *want));
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        int j = find_col(p, want[k].col);
        if (p->col_lo[j] != want[k].lo || p->col_up[j] != want[k].up)
            fail_msg("column %s: [%g, %g], expected [%g, %g]", want[k].col, p->col_lo[j], p->col_up[j],
                     want[k].lo, want[k].up);
    }
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static int warnings_seen;
static char last_warning[512];

static void count_warnings(void *user, weft_log_level level, const char *msg)
{
    (void)user;
    if (level != WEFT_LOG_WARNING) return;
    warnings_seen++;
    snprintf(last_warning, sizeof last_warning, "%s", msg);
}

static void test_integer_markers(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    warnings_seen = 0;
    weft_context_set_log_callback(ctx, count_warnings, NULL);
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/integer.mps"), WEFT_WARN_INTEGER_RELAXED);
    assert_int_equal(warnings_seen, 1);
    assert_non_null(strstr(last_warning, "integer.mps"));
    assert_non_null(strstr(last_warning, "2 integer column(s) relaxed"));
    assert_int_equal(p->n_cols, 4);
    int y = find_col(p, "y"), z = find_col(p, "z"), w = find_col(p, "w");
    assert_double_close(p->col_up[y], 5, 0, 0);
    assert_true(isinf(p->col_up[z]) && p->col_lo[z] == 0);
    assert_double_close(p->obj[w], 4, 0, 0);
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

static void test_quadobj_and_qmatrix(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    const char *files[2] = {"mps/quadobj.mps", "mps/qmatrix.mps"};
    const double want_q[2][3] = {{2, 4.5, 0}, {2, 0, 6}};
    for (int f = 0; f < 2; f++) {
        weft_lp_problem *p = read_ok(ctx, weft_test_data(files[f]), WEFT_OK);
        assert_non_null(p->q);
        const char *names[3] = {"x", "y", "z"};
        for (int k = 0; k < 3; k++) assert_double_close(p->q[find_col(p, names[k])], want_q[f][k], 0, 0);
        assert_double_close(p->obj[find_col(p, "x")], -1, 0, 0);
        weft_lp_problem_destroy(ctx, &p);
    }
    weft_lp_problem *p = read_ok(ctx, weft_test_data("mps/free.mps"), WEFT_OK);
    assert_null(p->q); /* an LP has no q */
    weft_lp_problem_destroy(ctx, &p);
    weft_context_destroy(&ctx);
}

/* ---- errors ---- */

static void expect_error(const char *rel, weft_status want, const char *where, const char *what)
{
    weft_context *ctx = weft_test_context();
    weft_context_set_log_level(ctx, WEFT_LOG_OFF);
    weft_lp_problem *p = (weft_lp_problem *)&p; /* must be reset to NULL */
    weft_status st = weft_mps_read(ctx, weft_test_data(rel), &p);
    const char *msg = weft_context_last_error(ctx);
    if (st != want || !strstr(msg, where) || !strstr(msg, what))
        fail_msg("%s: status %d (want %d), message \"%s\" (want \"%s\" and \"%s\")", rel, st, want, msg,
                 where, what);
    assert_null(p);
    assert_null(strchr(msg, '\n'));
    weft_context_destroy(&ctx);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct { const char *file, *where, *what; } cases[] = {
        {"mps/bad/truncated.mps", "truncated.mps:7:", "this one 4 fields"},
        {"mps/bad/no_endata.mps", "no_endata.mps:9:", "no ENDATA"},
        {"mps/bad/bad_number.mps", "bad_number.mps:7:", "field 6 'abc' is not a number"},
        {"mps/bad/unknown_row.mps", "unknown_row.mps:7:", "unknown row 'c9'"},
        {"mps/bad/unknown_column.mps", "unknown_column.mps:8:", "unknown column 'nosuch'"},
        {"mps/bad/unknown_section.mps", "unknown_section.mps:7:", "unknown section 'SOMETHING'"},
        {"mps/bad/nan.mps", "nan.mps:6:", "field 6 'nan' is NaN"},
        {"mps/bad/inf_coef.mps", "inf_coef.mps:7:", "field 4 '1e999' is not finite"},
        {"mps/bad/huge_range.mps", "huge_range.mps:11:", "field 4 '1e308' is out of range (|value| >= 1e30"},
        {"mps/bad/objsense.mps", "objsense.mps:3:", "unknown objective sense 'UPWARDS'"},
        {"mps/bad/empty.mps", "empty.mps:1:", "empty file"},
        {"mps/bad/blank.mps", "blank.mps:3:", "no MPS section"},
        {"mps/bad/binary.mps", "binary.mps:3:", "binary data"},
        {"mps/bad/duplicate_row.mps", "duplicate_row.mps:6:", "duplicate row name 'c1'"},
        {"mps/bad/duplicate_entry.mps", "duplicate_entry.mps:10:",
         "duplicate entry for column 'x' in row 'c1' (first given on line 7)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        expect_error(cases[k].file, WEFT_ERR_PARSE, cases[k].where, cases[k].what);
}

static void test_unsupported(void **state)
{
    (void)state;
    expect_error("mps/offdiag.mps", WEFT_ERR_UNSUPPORTED, "offdiag.mps:10:",
                 "off-diagonal quadratic term between y and x is not supported");
    expect_error("mps/sc_bound.mps", WEFT_ERR_UNSUPPORTED, "sc_bound.mps:7:", "SC (semi-continuous) is not supported");
}

static void test_invalid_problem(void **state)
{
    (void)state;
    /* LO 5 then UP 2: well formed, but lb > ub; the validator's message gets the file name */
    expect_error("mps/bad/crossed_bounds.mps", WEFT_ERR_BAD_INPUT, "crossed_bounds.mps: ",
                 "lower bound 5 > upper bound 2");
}

static void test_unopenable(void **state)
{
    (void)state;
    expect_error("mps/no_such_file.mps", WEFT_ERR_IO, "no_such_file.mps", "cannot open");
}

/* ---- robustness ---- */

typedef struct counting_alloc {
    long budget; /* allocations left before failing; < 0: never fail */
    long live;
} counting_alloc;

static void *ca_malloc(void *u, size_t n)
{
    counting_alloc *a = u;
    if (a->budget == 0) return NULL;
    if (a->budget > 0) a->budget--;
    void *p = malloc(n);
    if (p) a->live++;
    return p;
}

static void *ca_realloc(void *u, void *p, size_t n)
{
    counting_alloc *a = u;
    if (!p) return ca_malloc(u, n);
    if (a->budget == 0) return NULL;
    if (a->budget > 0) a->budget--;
    return realloc(p, n);
}

static void ca_free(void *u, void *p)
{
    counting_alloc *a = u;
    if (p) a->live--;
    free(p);
}

/* Every allocation of a read fails once in turn: the read reports NOMEM and leaves nothing behind. */
static void alloc_failures(const char *path, weft_status success)
{
    counting_alloc a = {-1, 0};
    weft_allocator al = {ca_malloc, ca_realloc, ca_free, &a};
    int done = 0;
    for (long k = 0; k < 100000 && !done; k++) {
        weft_context *ctx = NULL;
        a.budget = -1;
        assert_int_equal(weft_context_create(&ctx, &al), WEFT_OK);
        weft_context_set_log_level(ctx, WEFT_LOG_OFF);
        long base = a.live;
        weft_lp_problem *p = NULL;
        a.budget = k;
        weft_status st = weft_mps_read(ctx, path, &p);
        a.budget = -1;
        if (st == success) {
            assert_non_null(p);
            weft_lp_problem_destroy(ctx, &p);
            done = 1;
            printf("%s: succeeded after failing each of its first %ld allocations\n", path, k);
        } else {
            if (st != WEFT_ERR_NOMEM) fail_msg("allocation %ld failed: status %d: %s", k, st, weft_context_last_error(ctx));
            assert_null(p);
        }
        assert_int_equal(a.live, base);
        weft_context_destroy(&ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(done);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    alloc_failures(weft_test_shared("netlib/afiro.mps"), WEFT_OK);
    alloc_failures(weft_test_data("mps/quadobj.mps"), WEFT_OK);
    alloc_failures(weft_test_data("mps/bounds.mps"), WEFT_WARN_INTEGER_RELAXED);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static weft_status read_bytes(weft_context *ctx, const char *tmp, const char *b, size_t n)
{
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
    weft_lp_problem *p = NULL;
    weft_status st = weft_mps_read(ctx, tmp, &p);
    if (st < 0) {
        assert_null(p);
        const char *msg = weft_context_last_error(ctx);
        if (strncmp(msg, tmp, strlen(tmp)) != 0) fail_msg("message does not start with the file: %s", msg);
    }
    weft_lp_problem_destroy(ctx, &p);
    return st;
}

/* afiro cut at every byte before its ENDATA: always a parse error naming file and line; and
 * afiro with random bytes overwritten: an answer, never a crash (run this under ASan). */
static void test_truncated_and_corrupted(void **state)
{
    (void)state;
    weft_context *ctx = weft_test_context();
    weft_context_set_log_level(ctx, WEFT_LOG_OFF);
    size_t n;
    char *b = slurp(weft_test_shared("netlib/afiro.mps"), &n);
    char tmp[] = "/tmp/weft_test_mps_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    const char *end = strstr(b, "ENDATA");
    assert_non_null(end);
    for (size_t cut = 0; cut < (size_t)(end - b) + 6; cut++) {
        weft_status st = read_bytes(ctx, tmp, b, cut);
        if (st != WEFT_ERR_PARSE) fail_msg("afiro cut at byte %zu: status %d", cut, st);
        if (cut > 0 && !strstr(weft_context_last_error(ctx), ":"))
            fail_msg("no line number: %s", weft_context_last_error(ctx));
    }
    uint64_t seed = 12345;
    int ok = 0, errors = 0;
    for (int trial = 0; trial < 2000; trial++) {
        char *c = malloc(n);
        assert_non_null(c);
        memcpy(c, b, n);
        int flips = 1 + (int)(weft_test_rand(&seed) % 4);
        for (int f = 0; f < flips; f++) c[weft_test_rand(&seed) % n] = (char)(weft_test_rand(&seed) & 0xff);
        weft_status st = read_bytes(ctx, tmp, c, n);
        if (st >= 0) ok++;
        else errors++;
        if (st < 0 && st != WEFT_ERR_PARSE && st != WEFT_ERR_BAD_INPUT && st != WEFT_ERR_UNSUPPORTED)
            fail_msg("corrupted afiro (trial %d, seed 12345): status %d: %s", trial, st, weft_context_last_error(ctx));
        free(c);
    }
    printf("corrupted afiro: %d read, %d rejected\n", ok, errors);
    assert_true(errors > 0);
    remove(tmp);
    free(b);
    weft_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netlib_sizes),
        cmocka_unit_test(test_netlib_infeasible_sizes),
        cmocka_unit_test(test_netlib_objective_constant),
        cmocka_unit_test(test_netlib_afiro_values),
        cmocka_unit_test(test_free_format),
        cmocka_unit_test(test_objsense_forms),
        cmocka_unit_test(test_fixed_names_with_blanks),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_integer_markers),
        cmocka_unit_test(test_quadobj_and_qmatrix),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_invalid_problem),
        cmocka_unit_test(test_unopenable),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_truncated_and_corrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
