/* An allocator for failure injection: the allocation that finds countdown at 0 fails (counting
 * mallocs and reallocs); a negative countdown never fails. Pass it to weft_context_create as
 * weft_allocator a = FAILING_ALLOCATOR(&f). */
#ifndef WEFT_FAILING_ALLOC_H
#define WEFT_FAILING_ALLOC_H

#include <stddef.h>

typedef struct failing_alloc {
    long countdown;
} failing_alloc;

void *failing_malloc(void *user, size_t n);
void *failing_realloc(void *user, void *ptr, size_t n);
void failing_free(void *user, void *ptr);

#define FAILING_ALLOCATOR(f) ((weft_allocator){failing_malloc, failing_realloc, failing_free, (f)})

#endif
