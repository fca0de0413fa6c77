#include <cmark.h>
#include "lib/markdown.h"

char *markdown_to_html(const char *md, size_t len)
{
	/* no CMARK_OPT_UNSAFE: raw HTML and dangerous links are removed */
	return cmark_markdown_to_html(md ? md : "", md ? len : 0,
				      CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8);
}
