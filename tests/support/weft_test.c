#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "weft_test.h"

void weft_test_assert_close(double a, double b, double rel_tol, double abs_tol, const char *ea,
                            const char *eb, const char *file, int line)
{
    double scale = fmax(fabs(a), fabs(b));
    if (isfinite(a) && isfinite(b) && fabs(a - b) <= abs_tol + rel_tol * scale) return;
    if (isinf(a) && isinf(b) && (a > 0) == (b > 0)) return;
    print_error("%s = %.12g and %s = %.12g differ by %.3g (rel %.3g; allowed rel %.1g abs %.1g)\n",
                   ea, a, eb, b, fabs(a - b), scale > 0 ? fabs(a - b) / scale : 0.0, rel_tol, abs_tol);
    _fail(file, line);
}

static char path_buf[4096];

const char *weft_test_shared(const char *rel)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", WEFT_SHARED_DATASETS, rel);
    return path_buf;
}

const char *weft_test_data(const char *rel)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", WEFT_TEST_DATA, rel);
    return path_buf;
}

weft_context *weft_test_context(void)
{
    weft_context *ctx = NULL;
    if (weft_context_create(&ctx, NULL) != WEFT_OK) return NULL;
    weft_context_set_log_level(ctx, getenv("WEFT_TEST_VERBOSE") ? WEFT_LOG_INFO : WEFT_LOG_WARNING);
    return ctx;
}

int weft_test_opencl_spec(char *spec, size_t len)
{
    static const char *try[] = {"cl:cpu", "cl:0:0"};
    weft_context *ctx = weft_test_context();
    int ok = 0;
    for (size_t i = 0; i < sizeof try / sizeof *try && !ok; i++) {
        weft_device_info info;
        if (weft_device_probe(ctx, try[i], &info) == WEFT_OK) {
            snprintf(spec, len, "%s", try[i]);
            ok = 1;
        }
    }
    if (!ok) printf("SKIP opencl: no OpenCL device with fp64 (%s)\n", weft_context_last_error(ctx));
    weft_context_destroy(&ctx);
    return ok;
}

uint64_t weft_test_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

double weft_test_uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(weft_test_rand(s) >> 11) / 9007199254740992.0;
}

int weft_test_system(const char *cmd)
{
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

uint64_t weft_test_seed(void)
{
    const char *env = getenv("WEFT_TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) * 2654435761u + (uint64_t)getpid();
    if (!seed) seed = 1;
    printf("seed %llu (set WEFT_TEST_SEED to replay)\n", (unsigned long long)seed);
    return seed;
}
