#include <stdlib.h>

#include "failing_alloc.h"

void *failing_malloc(void *user, size_t n)
{
    failing_alloc *f = user;
    return f->countdown-- == 0 ? NULL : malloc(n);
}

void *failing_realloc(void *user, void *ptr, size_t n)
{
    failing_alloc *f = user;
    return f->countdown-- == 0 ? NULL : realloc(ptr, n);
}

void failing_free(void *user, void *ptr) { free(ptr); }
