#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "lib/mem.h"

static void out_of_memory(void)
{
	fputs("tongxin: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

#define HUGE_PAGE ((size_t)2 << 20)

void *mem_large(size_t n)
{
	/* below 256 KB a huge page would waste more than it saves. From there on one huge page
	 * beats 64+ small ones: measured here, a huge page's first touch took 0.12-0.2 ms, 80 small
	 * pages 1.1-7.8 ms (the output of a 2,000 x 2,000 solve, 320 KB, faulted 78 pages in on
	 * each of a process's first two solves) */
	if (n < HUGE_PAGE / 8)
		return malloc(n ? n : 1);
	if (n > SIZE_MAX - HUGE_PAGE)
		return NULL;
	size_t size = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	void *p = aligned_alloc(HUGE_PAGE, size);
	if (p)
		(void)madvise(p, size, MADV_HUGEPAGE); /* advice only: 4 KB pages if refused */
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* ---------------------------------------------------------------- arena */

/* Chunks form a list; a request typically fits in the first 8 KiB chunk. Large allocations get
 * a chunk of their own so a 1 MiB body does not waste the rest of a normal chunk. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

enum { ARENA_CHUNK = 8192 };

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
		struct chunk *fresh = xmalloc(sizeof(struct chunk) + size);
		fresh->used = 0;
		fresh->size = size;
		if (c && n > ARENA_CHUNK / 2) {
			/* keep the current chunk first: it still has room for small things */
			fresh->next = c->next;
			c->next = fresh;
		} else {
			fresh->next = c;
			a->head = fresh;
		}
		c = fresh;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

/* ---------------------------------------------------------------- buf */

static void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

size_t buf_read_at(const struct buf *b, size_t *pos, char *out, size_t max)
{
	size_t n = *pos < b->len ? b->len - *pos : 0;
	if (n > max)
		n = max;
	if (n)
		memcpy(out, b->data + *pos, n);
	*pos += n;
	return n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *buf_steal(struct buf *b, size_t *len)
{
	if (!b->data)
		buf_reserve(b, 0), b->data[0] = 0;
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
