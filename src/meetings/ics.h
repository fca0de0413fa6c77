/*
 * iCalendar (RFC 5545) text output: content lines folded at 75 octets without splitting a
 * UTF-8 character, CRLF line ends, TEXT values escaped.
 */
#ifndef TONGXIN_MEETINGS_ICS_H
#define TONGXIN_MEETINGS_ICS_H
#include <stdint.h>
#include "lib/mem.h"

/* Appends one content line "name:value" (value already escaped where needed), folded so no
 * physical line exceeds 75 octets, followed by CRLF. */
void ics_line(struct buf *out, const char *name, const char *value);

/* Appends "name:" + s escaped as a TEXT value (backslash, semicolon, comma, newline). */
void ics_text(struct buf *out, const char *name, const char *s);

/* Appends "name:YYYYMMDDTHHMMSSZ" for UTC seconds. */
void ics_utc(struct buf *out, const char *name, int64_t utc);

#endif
