// LD_PRELOAD shim for scripts/bench-edge-allocations: counts heap allocations made by
// the process (malloc, calloc, realloc, the aligned variants) and prints the total to
// stderr at exit. Forwards to glibc's own entry points, so behaviour is unchanged.
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations;

void *malloc(size_t size) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_realloc(p, size); }
void *memalign(size_t a, size_t size) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_memalign(a, size); }
void *aligned_alloc(size_t a, size_t size) { return memalign(a, size); }
int posix_memalign(void **out, size_t a, size_t size) {
    void *p = memalign(a, size);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int n = snprintf(line, sizeof line, "total allocations: %lu\n", atomic_load(&allocations));
    if (n > 0) { ssize_t ignored = write(2, line, (size_t)n); (void)ignored; }
}
