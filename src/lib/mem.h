/*
 * Memory with a named owner.
 *
 * struct arena: a per-request (or per-command) bump allocator. Everything allocated from it is
 * freed at once by arena_free(); nothing allocated from it is freed on its own. The HTTP layer
 * creates one arena per request and frees it when libmicrohttpd reports the request completed.
 *
 * struct buf: a growable byte buffer owned by whoever declared it; buf_free() releases it, or
 * buf_steal() hands the malloc'd bytes to a new owner (e.g. an MHD response with MUST_FREE).
 *
 * Allocation failure aborts: a server that cannot get a few kilobytes cannot answer anyone, and
 * checking every small allocation hides the real error paths.
 */
#ifndef TONGXIN_LIB_MEM_H
#define TONGXIN_LIB_MEM_H
#include <stdarg.h>
#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/*
 * A large working array (megabytes: the matching engine's graphs and indexes), on transparent
 * huge pages where the kernel offers them (madvise: the system default on Debian). Why: on a
 * virtual machine every first touch of a 4 KB page traps into the hypervisor — measured here
 * at ~14 µs a page, 14 ms for 4 MB, against ~0.3 ms on 2 MB pages — so a solver that builds a
 * fresh graph spent a fifth of its time faulting pages in. Contents are uninitialized. Returns
 * NULL when memory runs out (large arrays are an error the caller reports, not an abort);
 * release with free().
 */
void *mem_large(size_t n);
char *xstrdup(const char *s);

struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zero-filled, aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);

struct buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
void buf_reset(struct buf *b);
/* Copies up to `max` bytes of b from *pos into out and advances *pos: how a streamed export
 * hands its pending bytes to the HTTP layer piece by piece. Returns the bytes copied (0 once
 * *pos reaches b->len). */
size_t buf_read_at(const struct buf *b, size_t *pos, char *out, size_t max);
void buf_free(struct buf *b);
/* Returns the malloc'd bytes (never NULL) and leaves the buffer empty; the caller frees them. */
char *buf_steal(struct buf *b, size_t *len);

#endif
