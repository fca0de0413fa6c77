/*
 * Markdown to HTML for minutes, posts and announcements (cmark, CommonMark).
 *
 * Raw HTML in the source is never passed through: cmark's safe mode (its default since 0.29)
 * replaces HTML blocks and inline HTML with a comment, and drops javascript:, vbscript:, file:
 * and most data: links. Invalid UTF-8 is replaced. The result can go into a page as is.
 */
#ifndef TONGXIN_LIB_MARKDOWN_H
#define TONGXIN_LIB_MARKDOWN_H
#include <stddef.h>

/* Renders `len` bytes of Markdown. Single line breaks become <br /> (people writing minutes in
 * Chinese expect a new line where they typed one). Returns a malloc'd NUL-terminated string
 * the caller frees, or NULL when out of memory. */
char *markdown_to_html(const char *md, size_t len);

#endif
