/* iCalendar text output (see ics.h). */
#include <string.h>
#include <time.h>
#include "meetings/ics.h"

void ics_line(struct buf *out, const char *name, const char *value)
{
	struct buf line = {0};
	buf_puts(&line, name);
	buf_putc(&line, ':');
	buf_puts(&line, value ? value : "");
	/* RFC 5545 3.1: lines SHOULD NOT exceed 75 octets; continuation lines start with one space
	 * (which counts toward their 75). Never cut inside a UTF-8 sequence. */
	size_t pos = 0, width = 75;
	while (line.len - pos > width) {
		size_t cut = pos + width;
		while (cut > pos && ((unsigned char)line.data[cut] & 0xC0) == 0x80)
			cut--;
		buf_append(out, line.data + pos, cut - pos);
		buf_puts(out, "\r\n ");
		pos = cut;
		width = 74;
	}
	buf_append(out, line.data + pos, line.len - pos);
	buf_puts(out, "\r\n");
	buf_free(&line);
}

void ics_text(struct buf *out, const char *name, const char *s)
{
	struct buf v = {0};
	buf_puts(&v, "");
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_putc(&v, '\\'), buf_putc(&v, *p);
		else if (*p == '\n')
			buf_puts(&v, "\\n");
		else if (*p != '\r')
			buf_putc(&v, *p);
	}
	ics_line(out, name, v.data);
	buf_free(&v);
}

void ics_utc(struct buf *out, const char *name, int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;
	gmtime_r(&t, &tm);
	char v[20];
	strftime(v, sizeof v, "%Y%m%dT%H%M%SZ", &tm);
	ics_line(out, name, v);
}
