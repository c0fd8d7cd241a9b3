/* Shared test helpers: cmocka plus a double comparison that prints both values, dataset paths,
 * and the rule that a test needing OpenCL skips with a printed reason, never silently. */
#ifndef WEFT_TEST_H
#define WEFT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "weft/weft.h"

/* |a - b| <= abs_tol + rel_tol * max(|a|, |b|), else fail printing both. */
#define assert_double_close(a, b, rel_tol, abs_tol) \
    weft_test_assert_close((a), (b), (rel_tol), (abs_tol), #a, #b, __FILE__, __LINE__)
void weft_test_assert_close(double a, double b, double rel_tol, double abs_tol, const char *ea,
                            const char *eb, const char *file, int line);

/* Path under ../shared/datasets (static buffer, valid until the next call). */
const char *weft_test_shared(const char *rel);
/* Path under tests/data. */
const char *weft_test_data(const char *rel);
/* A fresh context at warning level with the program cache in the build tree. */
weft_context *weft_test_context(void);
/* 1 if an OpenCL fp64 device can be opened ("cl:cpu" first, then "cl:0:0"); the spec is written
 * to spec. 0 with the reason printed otherwise. */
int weft_test_opencl_spec(char *spec, size_t len);
/* Deterministic xorshift RNG for random test inputs (seeded per test, printed on failure). */
uint64_t weft_test_rand(uint64_t *state);
double weft_test_uniform(uint64_t *state, double lo, double hi);
/* A fresh nonzero seed per run (time and pid), or $WEFT_TEST_SEED to replay one; printed. */
uint64_t weft_test_seed(void);
/* Run a shell command, return its exit status (or -1). Output to the given file if not NULL. */
int weft_test_system(const char *cmd);

#endif
