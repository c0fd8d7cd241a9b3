/* The OpenCL backend against the CPU backend (the reference), op by op, on random inputs drawn
 * fresh for every test: infinite, one-sided and equal bounds, empty rows and rows longer than a
 * work-group, both SpMV paths (one row per work-item and teams of lanes per row). Also: device
 * specs that must be refused, the program binary cache (written, reused, rebuilt when corrupt),
 * and the device list. Without an OpenCL fp64 device the device tests print SKIP and skip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "failing_alloc.h"
#include "weft_test.h"
#include "backend/backend.h"
#include "backend/opencl_internal.h"

/* Element-wise ops evaluate the same expressions on both sides (fma contraction is off in the
 * kernels); OpenBLAS may still fuse in axpby, hence not exactly 0. Sums differ in order only. */
#define TOL_ELEM 1e-15
#define TOL_SUM 1e-12

static char cl_spec[32];
static int have_cl;
static uint64_t rng;

typedef struct pair {
    weft_context *ctx;
    weft_backend *cpu, *cl;
} pair;

static int setup(void **state)
{
    pair *p = calloc(1, sizeof *p);
    p->ctx = weft_test_context();
    assert_int_equal(weft_backend_cpu_open(p->ctx, &p->cpu), WEFT_OK);
    if (have_cl) assert_int_equal(weft_backend_opencl_open(p->ctx, cl_spec, &p->cl), WEFT_OK);
    /* fresh inputs every run; WEFT_TEST_SEED replays a failing one */
    rng = weft_test_seed();
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    pair *p = *state;
    weft_backend_close(&p->cl);
    weft_backend_close(&p->cpu);
    weft_context_destroy(&p->ctx);
    free(p);
    return 0;
}

static void need_cl(void)
{
    if (!have_cl) {
        printf("SKIP no OpenCL fp64 device\n");
        skip();
    }
}

static double *rand_vec(size_t n, double lo, double hi)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = weft_test_uniform(&rng, lo, hi);
    return v;
}

/* Bounds [lo, hi] in every shape the solver meets: both finite, equal, one-sided, free. */
static void rand_bounds(size_t n, double **lo, double **hi)
{
    *lo = rand_vec(n, -2, 0);
    *hi = rand_vec(n, 0, 2);
    for (size_t i = 0; i < n; i++) {
        switch (weft_test_rand(&rng) % 5) {
        case 0: (*hi)[i] = (*lo)[i]; break;
        case 1: (*lo)[i] = -INFINITY; break;
        case 2: (*hi)[i] = INFINITY; break;
        case 3: (*lo)[i] = -INFINITY; (*hi)[i] = INFINITY; break;
        default: break;
        }
    }
}

typedef struct csr {
    int32_t rows, cols, *rp, *ci;
    double *val;
} csr;

/* Row lengths: 10% empty, 5% longer than any work-group, the rest 1..2*avg. */
static csr rand_csr(int32_t rows, int32_t cols, int avg)
{
    csr A = {rows, cols, malloc(((size_t)rows + 1) * sizeof(int32_t)), NULL, NULL};
    A.rp[0] = 0;
    for (int32_t i = 0; i < rows; i++) {
        uint64_t r = weft_test_rand(&rng) % 100;
        int len = r < 10 ? 0 : r < 15 ? 300 + (int)(weft_test_rand(&rng) % 500)
                                      : 1 + (int)(weft_test_rand(&rng) % (uint64_t)(2 * avg));
        A.rp[i + 1] = A.rp[i] + len;
    }
    A.ci = malloc(((size_t)A.rp[rows] + 1) * sizeof(int32_t));
    for (int32_t k = 0; k < A.rp[rows]; k++) A.ci[k] = (int32_t)(weft_test_rand(&rng) % (uint64_t)cols);
    A.val = rand_vec((size_t)A.rp[rows], -1, 1);
    return A;
}

static csr transpose(const csr *A)
{
    int32_t nnz = A->rp[A->rows];
    csr T = {A->cols, A->rows, calloc((size_t)A->cols + 1, sizeof(int32_t)),
             malloc(((size_t)nnz + 1) * sizeof(int32_t)), malloc(((size_t)nnz + 1) * sizeof(double))};
    for (int32_t k = 0; k < nnz; k++) T.rp[A->ci[k] + 1]++;
    for (int32_t j = 0; j < A->cols; j++) T.rp[j + 1] += T.rp[j];
    int32_t *next = malloc(((size_t)A->cols + 1) * sizeof *next);
    memcpy(next, T.rp, ((size_t)A->cols + 1) * sizeof *next);
    for (int32_t i = 0; i < A->rows; i++)
        for (int32_t k = A->rp[i]; k < A->rp[i + 1]; k++) {
            int32_t at = next[A->ci[k]]++;
            T.ci[at] = i;
            T.val[at] = A->val[k];
        }
    free(next);
    return T;
}

static void csr_free(csr *A)
{
    free(A->rp);
    free(A->ci);
    free(A->val);
}

static weft_buf *up(weft_backend *be, const double *h, size_t n)
{
    weft_buf *b = NULL;
    assert_int_equal(be->ops->buf_create(be, WEFT_REAL, n, h, &b), WEFT_OK);
    return b;
}

static double *down(weft_backend *be, const weft_buf *b, size_t n)
{
    double *h = malloc((n ? n : 1) * sizeof *h);
    assert_int_equal(be->ops->buf_read(be, b, 0, n, h), WEFT_OK);
    return h;
}

/* Compares buffer b of both backends; tolerance relative to the largest entry. */
static void check_bufs(const pair *p, const weft_buf *bcpu, const weft_buf *bcl, size_t n, double tol,
                       const char *what)
{
    double *a = down(p->cpu, bcpu, n), *b = down(p->cl, bcl, n);
    double scale = 1;
    for (size_t i = 0; i < n; i++)
        if (isfinite(a[i]) && fabs(a[i]) > scale) scale = fabs(a[i]);
    for (size_t i = 0; i < n; i++) {
        if (!(fabs(a[i] - b[i]) <= tol * scale) && !(a[i] == b[i]))
            printf("%s[%zu]: cpu %.17g opencl %.17g\n", what, i, a[i], b[i]);
        assert_double_close(b[i], a[i], tol, tol * scale);
    }
    free(a);
    free(b);
}

static void check_sums(const double *cpu, const double *cl, int n)
{
    for (int k = 0; k < n; k++) {
        printf("  sum %d: cpu %.17g opencl %.17g\n", k, cpu[k], cl[k]);
        assert_double_close(cl[k], cpu[k], TOL_SUM, TOL_SUM * 10);
    }
}

/* A random PDHG state held on the host and mirrored on both backends. */
enum { V_C, V_Q, V_LB, V_UB, V_RL, V_RU, V_WR, V_WC, V_X, V_Y, V_AX, V_ATY, V_XH, V_YH, V_AXH,
       V_ATYH, V_X0, V_Y0, V_AX0, V_ATY0, V_COUNT };
static const int vec_is_row[V_COUNT] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0};

typedef struct host_lp {
    int32_t n, m;
    csr A, AT;
    double *v[V_COUNT];
} host_lp;

static host_lp rand_lp(int32_t m, int32_t n, int avg)
{
    host_lp h = {n, m, rand_csr(m, n, avg), {0}, {0}};
    h.AT = transpose(&h.A);
    for (int k = 0; k < V_COUNT; k++) h.v[k] = rand_vec(vec_is_row[k] ? (size_t)m : (size_t)n, -3, 3);
    free(h.v[V_LB]);
    free(h.v[V_UB]);
    free(h.v[V_RL]);
    free(h.v[V_RU]);
    rand_bounds((size_t)n, &h.v[V_LB], &h.v[V_UB]);
    rand_bounds((size_t)m, &h.v[V_RL], &h.v[V_RU]);
    for (int32_t j = 0; j < n; j++) h.v[V_Q][j] = fabs(h.v[V_Q][j]) * (j % 3 != 0); /* q >= 0, some 0 */
    for (int32_t i = 0; i < m; i++) h.v[V_WR][i] = fabs(h.v[V_WR][i]) + 0.1;
    for (int32_t j = 0; j < n; j++) h.v[V_WC][j] = fabs(h.v[V_WC][j]) + 0.1;
    return h;
}

static void lp_free(host_lp *h)
{
    csr_free(&h->A);
    csr_free(&h->AT);
    for (int k = 0; k < V_COUNT; k++) free(h->v[k]);
}

static void state_upload(weft_backend *be, const host_lp *h, int with_q, weft_pdhg_state *s)
{
    memset(s, 0, sizeof *s);
    s->n = h->n;
    s->m = h->m;
    assert_int_equal(weft_dmat_upload(be, h->m, h->n, h->A.rp, h->A.ci, h->A.val, &s->A), WEFT_OK);
    assert_int_equal(weft_dmat_upload(be, h->n, h->m, h->AT.rp, h->AT.ci, h->AT.val, &s->AT), WEFT_OK);
    weft_buf **slot[V_COUNT] = {&s->c, &s->q, &s->lb, &s->ub, &s->rl, &s->ru, &s->wr, &s->wc,
                                &s->x, &s->y, &s->ax, &s->aty, &s->xh, &s->yh, &s->axh, &s->atyh,
                                &s->x0, &s->y0, &s->ax0, &s->aty0};
    for (int k = 0; k < V_COUNT; k++)
        if (k != V_Q || with_q) *slot[k] = up(be, h->v[k], vec_is_row[k] ? (size_t)h->m : (size_t)h->n);
}

static void state_release(weft_backend *be, weft_pdhg_state *s)
{
    weft_dmat_release(be, &s->A);
    weft_dmat_release(be, &s->AT);
    weft_buf **all[V_COUNT] = {&s->c, &s->q, &s->lb, &s->ub, &s->rl, &s->ru, &s->wr, &s->wc,
                               &s->x, &s->y, &s->ax, &s->aty, &s->xh, &s->yh, &s->axh, &s->atyh,
                               &s->x0, &s->y0, &s->ax0, &s->aty0};
    for (int k = 0; k < V_COUNT; k++) be->ops->buf_destroy(be, all[k]);
}

/* Both backends loaded with the same random problem. */
typedef struct twin {
    host_lp h;
    weft_pdhg_state cpu, cl;
} twin;

static twin twin_make(const pair *p, int32_t m, int32_t n, int avg, int with_q)
{
    twin t;
    t.h = rand_lp(m, n, avg);
    state_upload(p->cpu, &t.h, with_q, &t.cpu);
    state_upload(p->cl, &t.h, with_q, &t.cl);
    return t;
}

static void twin_free(const pair *p, twin *t)
{
    state_release(p->cpu, &t->cpu);
    state_release(p->cl, &t->cl);
    lp_free(&t->h);
}

#define CHECK(p, t, field, len, tol) check_bufs((p), (t).cpu.field, (t).cl.field, (size_t)(len), (tol), #field)

static void test_vector_ops(void **state)
{
    need_cl();
    pair *p = *state;
    const size_t sizes[] = {1, 255, 257, 5000};
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        size_t n = sizes[si];
        double *x = rand_vec(n, -5, 5), *y = rand_vec(n, -5, 5);
        weft_buf *xc = up(p->cpu, x, n), *yc = up(p->cpu, y, n), *xo = up(p->cl, x, n), *yo = up(p->cl, y, n);
        double a = weft_test_uniform(&rng, -2, 2), b = weft_test_uniform(&rng, -2, 2);
        assert_int_equal(p->cpu->ops->axpby(p->cpu, n, a, xc, b, yc), WEFT_OK);
        assert_int_equal(p->cl->ops->axpby(p->cl, n, a, xo, b, yo), WEFT_OK);
        check_bufs(p, yc, yo, n, TOL_ELEM, "axpby");
        double dc, dl;
        assert_int_equal(p->cpu->ops->dot(p->cpu, n, xc, yc, &dc), WEFT_OK);
        assert_int_equal(p->cl->ops->dot(p->cl, n, xo, yo, &dl), WEFT_OK);
        check_sums(&dc, &dl, 1);
        assert_int_equal(p->cpu->ops->copy(p->cpu, n, xc, yc), WEFT_OK);
        assert_int_equal(p->cl->ops->copy(p->cl, n, xo, yo), WEFT_OK);
        check_bufs(p, yc, yo, n, 0, "copy");
        double v = weft_test_uniform(&rng, -9, 9);
        assert_int_equal(p->cpu->ops->fill(p->cpu, n - 1, v, xc), WEFT_OK); /* the last entry stays */
        assert_int_equal(p->cl->ops->fill(p->cl, n - 1, v, xo), WEFT_OK);
        check_bufs(p, xc, xo, n, 0, "fill");
        p->cpu->ops->buf_destroy(p->cpu, &xc);
        p->cpu->ops->buf_destroy(p->cpu, &yc);
        p->cl->ops->buf_destroy(p->cl, &xo);
        p->cl->ops->buf_destroy(p->cl, &yo);
        free(x);
        free(y);
    }
}

/* Lanes per CSR row the tests force: 0 = the tuning table's choice, then both kernel paths. */
static const int lanes[] = {0, 1, 4, 32};

static void test_spmv(void **state)
{
    need_cl();
    pair *p = *state;
    for (int avg = 3; avg <= 40; avg += 37) {
        twin t = twin_make(p, 700, 900, avg, 0);
        for (size_t l = 0; l < sizeof lanes / sizeof *lanes; l++) {
            assert_int_equal(weft_backend_opencl_force_lanes(p->cl, lanes[l]), WEFT_OK);
            assert_int_equal(p->cpu->ops->spmv(p->cpu, &t.cpu.A, t.cpu.xh, t.cpu.axh), WEFT_OK);
            assert_int_equal(p->cl->ops->spmv(p->cl, &t.cl.A, t.cl.xh, t.cl.axh), WEFT_OK);
            CHECK(p, t, axh, t.h.m, TOL_SUM);
            assert_int_equal(p->cpu->ops->spmv(p->cpu, &t.cpu.AT, t.cpu.yh, t.cpu.atyh), WEFT_OK);
            assert_int_equal(p->cl->ops->spmv(p->cl, &t.cl.AT, t.cl.yh, t.cl.atyh), WEFT_OK);
            CHECK(p, t, atyh, t.h.n, TOL_SUM);
        }
        twin_free(p, &t);
    }
    assert_int_equal(weft_backend_opencl_force_lanes(p->cl, 3), WEFT_ERR_INVALID_ARG);
    assert_int_equal(weft_backend_opencl_force_lanes(p->cl, 0), WEFT_OK);
}

static void test_pdhg_primal(void **state)
{
    need_cl();
    pair *p = *state;
    for (int with_q = 0; with_q < 2; with_q++) {
        twin t = twin_make(p, 300, 1000, 5, with_q);
        double tau = weft_test_uniform(&rng, 0.1, 2);
        assert_int_equal(p->cpu->ops->pdhg_primal(p->cpu, &t.cpu, tau), WEFT_OK);
        assert_int_equal(p->cl->ops->pdhg_primal(p->cl, &t.cl, tau), WEFT_OK);
        CHECK(p, t, xh, t.h.n, TOL_ELEM);
        twin_free(p, &t);
    }
}

/* yh may be positive only where rl is finite and negative only where ru is: exactly, with no
 * rounding residue, or the dual objective meets an infinite bound. */
static void check_dual_signs(weft_backend *be, const twin *t)
{
    double *yh = down(be, t->cl.yh, (size_t)t->h.m);
    for (int32_t i = 0; i < t->h.m; i++) {
        if (yh[i] > 0) assert_true(isfinite(t->h.v[V_RL][i]));
        if (yh[i] < 0) assert_true(isfinite(t->h.v[V_RU][i]));
    }
    free(yh);
}

/* pdhg_dual, then pdhg_adjoint (which reads the yh just formed), with and without Halpern. */
static void test_pdhg_dual_adjoint(void **state)
{
    need_cl();
    pair *p = *state;
    for (size_t l = 0; l < sizeof lanes / sizeof *lanes; l++) {
        assert_int_equal(weft_backend_opencl_force_lanes(p->cl, lanes[l]), WEFT_OK);
        for (int halp = 0; halp < 2; halp++) {
            twin t = twin_make(p, 600, 800, 12, 1);
            double sigma = weft_test_uniform(&rng, 0.1, 2), gamma = weft_test_uniform(&rng, 0.5, 1);
            double w = halp ? weft_test_uniform(&rng, 0, 1) : -1;
            assert_int_equal(p->cpu->ops->pdhg_dual(p->cpu, &t.cpu, sigma, w, gamma), WEFT_OK);
            assert_int_equal(p->cl->ops->pdhg_dual(p->cl, &t.cl, sigma, w, gamma), WEFT_OK);
            CHECK(p, t, axh, t.h.m, TOL_SUM);
            CHECK(p, t, yh, t.h.m, TOL_SUM);
            check_dual_signs(p->cl, &t);
            CHECK(p, t, y, t.h.m, TOL_SUM);
            CHECK(p, t, ax, t.h.m, TOL_SUM);
            assert_int_equal(p->cpu->ops->pdhg_adjoint(p->cpu, &t.cpu, w, gamma), WEFT_OK);
            assert_int_equal(p->cl->ops->pdhg_adjoint(p->cl, &t.cl, w, gamma), WEFT_OK);
            CHECK(p, t, atyh, t.h.n, TOL_SUM);
            CHECK(p, t, x, t.h.n, TOL_SUM);
            CHECK(p, t, aty, t.h.n, TOL_SUM);
            twin_free(p, &t);
        }
    }
    assert_int_equal(weft_backend_opencl_force_lanes(p->cl, 0), WEFT_OK);
}

static void test_pdhg_halpern(void **state)
{
    need_cl();
    pair *p = *state;
    twin t = twin_make(p, 500, 700, 4, 0);
    double w = weft_test_uniform(&rng, 0, 1), gamma = weft_test_uniform(&rng, 0.5, 1);
    assert_int_equal(p->cpu->ops->pdhg_halpern(p->cpu, &t.cpu, w, gamma), WEFT_OK);
    assert_int_equal(p->cl->ops->pdhg_halpern(p->cl, &t.cl, w, gamma), WEFT_OK);
    CHECK(p, t, y, t.h.m, TOL_ELEM);
    CHECK(p, t, ax, t.h.m, TOL_ELEM);
    CHECK(p, t, x, t.h.n, TOL_ELEM);
    CHECK(p, t, aty, t.h.n, TOL_ELEM);
    twin_free(p, &t);
}

/* yh as the solver makes it: positive only where rl is finite, negative only where ru is
 * (otherwise the dual objective is infinite on both sides and nothing is compared). */
static void sign_consistent_yh(const pair *p, twin *t)
{
    double *yh = t->h.v[V_YH];
    for (int32_t i = 0; i < t->h.m; i++) {
        if (yh[i] > 0 && !isfinite(t->h.v[V_RL][i])) yh[i] = 0;
        if (yh[i] < 0 && !isfinite(t->h.v[V_RU][i])) yh[i] = -yh[i] * isfinite(t->h.v[V_RL][i]);
    }
    assert_int_equal(p->cpu->ops->buf_write(p->cpu, t->cpu.yh, 0, (size_t)t->h.m, yh), WEFT_OK);
    assert_int_equal(p->cl->ops->buf_write(p->cl, t->cl.yh, 0, (size_t)t->h.m, yh), WEFT_OK);
}

static void test_pdhg_stats(void **state)
{
    need_cl();
    pair *p = *state;
    const int32_t dims[][2] = {{700, 900}, {3000, 40}, {1, 1}};
    for (int with_q = 0; with_q < 2; with_q++)
        for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
            twin t = twin_make(p, dims[d][0], dims[d][1], 6, with_q);
            sign_consistent_yh(p, &t);
            double a[WEFT_ST_COUNT], b[WEFT_ST_COUNT];
            assert_int_equal(p->cpu->ops->pdhg_stats(p->cpu, &t.cpu, a), WEFT_OK);
            assert_int_equal(p->cl->ops->pdhg_stats(p->cl, &t.cl, b), WEFT_OK);
            check_sums(a, b, WEFT_ST_COUNT);
            twin_free(p, &t);
        }
}

static void test_pdhg_ray_stats(void **state)
{
    need_cl();
    pair *p = *state;
    for (int with_q = 0; with_q < 2; with_q++) {
        /* the ray candidate: (x, ax) and (y, aty) of a fresh random state */
        twin t = twin_make(p, 800, 600, 6, with_q);
        double a[WEFT_RS_COUNT], b[WEFT_RS_COUNT];
        assert_int_equal(p->cpu->ops->pdhg_ray_stats(p->cpu, &t.cpu, t.cpu.x, t.cpu.ax, t.cpu.y, t.cpu.aty, a), WEFT_OK);
        assert_int_equal(p->cl->ops->pdhg_ray_stats(p->cl, &t.cl, t.cl.x, t.cl.ax, t.cl.y, t.cl.aty, b), WEFT_OK);
        check_sums(a, b, WEFT_RS_COUNT);
        if (!with_q) assert_true(b[WEFT_RS_QDX2] == 0);
        twin_free(p, &t);
    }
}

static void test_bad_specs(void **state)
{
    pair *p = *state;
    const char *bad[] = {"cl:", "cl:x", "cl:0", "cl:0:", "cl:0:0:0", "cl:-1:0", "cl:+0:0", "cl:gpux", "cl0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        weft_backend *be = NULL;
        int st = weft_backend_opencl_open(p->ctx, bad[i], &be);
        printf("  '%s' -> %s\n", bad[i], weft_context_last_error(p->ctx));
        assert_int_equal(st, WEFT_ERR_INVALID_ARG);
        assert_null(be);
        assert_non_null(strstr(weft_context_last_error(p->ctx), "not understood"));
        assert_non_null(strstr(weft_context_last_error(p->ctx), bad[i]));
    }
    weft_backend *be = NULL;
    assert_int_equal(weft_backend_open(p->ctx, "gpu", &be), WEFT_ERR_INVALID_ARG);
    assert_int_equal(weft_backend_opencl_open(p->ctx, "cl:99:0", &be), WEFT_ERR_DEVICE);
    assert_null(be);
    printf("  'cl:99:0' -> %s\n", weft_context_last_error(p->ctx));
    assert_true(strstr(weft_context_last_error(p->ctx), "no such") ||
                strstr(weft_context_last_error(p->ctx), "no OpenCL platform"));
}

typedef struct log_capture { int ignored_cache; } log_capture;

static void capture(void *user, weft_log_level level, const char *msg)
{
    log_capture *c = user;
    if (strstr(msg, "ignoring cache file")) c->ignored_cache++;
}

/* Opens and closes the backend once; returns its counters. */
static weft_cl_stats open_once(weft_context *ctx)
{
    weft_backend *be = NULL;
    weft_cl_stats s = {0, 0, 0};
    assert_int_equal(weft_backend_opencl_open(ctx, cl_spec, &be), WEFT_OK);
    assert_int_equal(weft_backend_opencl_stats(be, &s), WEFT_OK);
    weft_backend_close(&be);
    return s;
}

/* The one cache file in dir (there is one program), into path. */
static void cache_file(const char *dir, char *path, size_t len)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "ls %.4096s/weft-cl-*.bin", dir);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    assert_non_null(fgets(path, (int)len, f));
    path[strcspn(path, "\n")] = '\0';
    pclose(f);
}

static void damage(const char *path, int truncate)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    assert_true(size > 64);
    if (truncate) assert_int_equal(ftruncate(fileno(f), size / 2), 0);
    else {
        fseek(f, size / 2, SEEK_SET);
        int c = fgetc(f);
        fseek(f, size / 2, SEEK_SET);
        fputc(c ^ 0x5a, f);
    }
    fclose(f);
}

static void test_program_cache(void **state)
{
    need_cl();
    char dir[] = "/tmp/weft-cache-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[600], path[700];
    snprintf(sub, sizeof sub, "%s/nested/dir", dir); /* the cache creates missing directories */
    weft_context *ctx = weft_test_context();
    log_capture cap = {0};
    weft_context_set_log_callback(ctx, capture, &cap);
    assert_int_equal(weft_context_set_cache_dir(ctx, sub), WEFT_OK);

    weft_cl_stats s = open_once(ctx);
    assert_int_equal(s.builds, 1);
    assert_int_equal(s.cache_hits, 0);
    s = open_once(ctx);
    assert_int_equal(s.builds, 0);
    assert_int_equal(s.cache_hits, 1);
    for (int truncate = 0; truncate < 2; truncate++) {
        cache_file(sub, path, sizeof path);
        damage(path, truncate);
        s = open_once(ctx);
        assert_int_equal(s.builds, 1); /* rebuilt from source, and the file rewritten */
        assert_int_equal(cap.ignored_cache, truncate + 1);
        s = open_once(ctx);
        assert_int_equal(s.cache_hits, 1);
    }
    /* cache off: always a build, nothing written */
    assert_int_equal(weft_context_set_cache_dir(ctx, NULL), WEFT_OK);
    s = open_once(ctx);
    assert_int_equal(s.builds, 1);
    weft_context_destroy(&ctx);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(weft_test_system(cmd), 0);
}

/* A kernel that does not compile: the status carries the CL code, the detail the build log. */
static void test_build_failure_log(void **state)
{
    need_cl();
    pair *p = *state;
    weft_cl_device dev;
    weft_device_info info;
    assert_int_equal(weft_cl_select(p->ctx, cl_spec, &dev, &info), WEFT_OK);
    cl_int err;
    cl_context c = clCreateContext(NULL, 1, &dev.device, NULL, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    const char *linalg[] = {"linalg", NULL}, *missing[] = {"linalg", "no_such_file", NULL};
    cl_program prog = NULL;
    int hit = 1;
    int st = weft_cl_program_build(p->ctx, c, &dev, &info, linalg, "-DREAL=no_such_type", &prog, &hit);
    printf("  %s\n", weft_context_last_error(p->ctx));
    assert_int_equal(st, WEFT_ERR_OPENCL_BASE + CL_BUILD_PROGRAM_FAILURE);
    assert_null(prog);
    assert_int_equal(hit, 0);
    assert_non_null(strstr(weft_context_last_error(p->ctx), "CL_BUILD_PROGRAM_FAILURE"));
    assert_non_null(strstr(weft_context_last_error_detail(p->ctx), "no_such_type"));
    assert_int_equal(weft_cl_program_build(p->ctx, c, &dev, &info, missing, "", &prog, &hit), WEFT_ERR_INTERNAL);
    assert_non_null(strstr(weft_context_last_error(p->ctx), "no_such_file.cl"));
    clReleaseContext(c);
}

/* Allocation failure injection: the k-th allocation after the context exists fails, for every k
 * until an open needs no more; each open either succeeds or says out of memory, and leaves nothing
 * behind (the sanitizer build checks the last part). */
static void test_alloc_failures(void **state)
{
    need_cl();
    int failures = 0;
    for (long k = 0;; k++) {
        failing_alloc f = {-1};
        weft_allocator a = FAILING_ALLOCATOR(&f);
        weft_context *ctx = NULL;
        assert_int_equal(weft_context_create(&ctx, &a), WEFT_OK);
        weft_context_set_log_level(ctx, WEFT_LOG_OFF);
        f.countdown = k;
        weft_backend *be = NULL;
        int st = weft_backend_opencl_open(ctx, cl_spec, &be);
        if (st) assert_null(be);
        weft_buf *b = NULL;
        if (!st) st = be->ops->buf_create(be, WEFT_REAL, 10, NULL, &b);
        double d = 1;
        if (!st) st = be->ops->dot(be, 10, b, b, &d);
        int reached = f.countdown >= 0; /* the failure point lay beyond everything done */
        if (st) {
            assert_int_equal(st, WEFT_ERR_NOMEM);
            failures++;
        } else {
            assert_true(d == 0);
        }
        if (be) be->ops->buf_destroy(be, &b);
        weft_backend_close(&be);
        weft_context_destroy(&ctx);
        if (reached) break;
    }
    printf("  %d injected allocation failures reported as out of memory\n", failures);
    assert_true(failures >= 3);
}

static void test_devices_list(void **state)
{
    pair *p = *state;
    weft_device_info *list = NULL;
    int n = 0;
    assert_int_equal(weft_devices_list(p->ctx, &list, &n), WEFT_OK);
    assert_true(n >= 1);
    assert_string_equal(list[n - 1].spec, "cpu");
    assert_true(strstr(list[n - 1].extra, "OpenBLAS") != NULL);
    int cl_devices = 0;
    for (int i = 0; i < n - 1; i++) {
        assert_string_equal(list[i].backend, "opencl");
        cl_devices += list[i].fp64;
    }
    if (have_cl) {
        assert_true(cl_devices >= 1);
        weft_device_info info;
        assert_int_equal(weft_device_probe(p->ctx, cl_spec, &info), WEFT_OK);
        assert_true(info.fp64);
        assert_non_null(strstr(p->cl->description, info.name));
    }
    weft_devices_free(p->ctx, &list);
    assert_null(list);
}

int main(void)
{
    have_cl = weft_test_opencl_spec(cl_spec, sizeof cl_spec);
    if (have_cl) printf("opencl device: %s\n", cl_spec);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_ops),
        cmocka_unit_test(test_spmv),
        cmocka_unit_test(test_pdhg_primal),
        cmocka_unit_test(test_pdhg_dual_adjoint),
        cmocka_unit_test(test_pdhg_halpern),
        cmocka_unit_test(test_pdhg_stats),
        cmocka_unit_test(test_pdhg_ray_stats),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_program_cache),
        cmocka_unit_test(test_build_failure_log),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_devices_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
