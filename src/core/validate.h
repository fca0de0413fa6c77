/*
 * Input validation: every field a client sends passes one of these readers. Each reader
 * returns 0 when the field is valid or absent-and-optional (leaving *out untouched when absent),
 * and -1 after adding a field error to c->err; callers read every field, then call
 * error_check(&c->err) once, so all bad fields are reported together (kcgi's habit).
 *
 * Strings are trimmed of surrounding white space, copied into the request arena, and refused
 * when they carry control characters other than TAB/LF/CR (jansson already refuses invalid
 * UTF-8 and NUL). Length limits count characters, not bytes.
 */
#ifndef TONGXIN_CORE_VALIDATE_H
#define TONGXIN_CORE_VALIDATE_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

enum { V_OPTIONAL = 0, V_REQUIRED = 1 };

/* A string of 1..max_chars characters (after trimming; an empty string counts as absent, and
 * *out is set to NULL when the field is present but empty or JSON null). */
int v_string(struct ctx *c, json_t *obj, const char *field, int required, size_t max_chars,
	     const char **out);
/* An integer in [min, max]; *present (may be NULL) is set to 1 when the field was given. */
int v_int(struct ctx *c, json_t *obj, const char *field, int required, int64_t min, int64_t max,
	  int64_t *out, int *present);
int v_bool(struct ctx *c, json_t *obj, const char *field, int required, int *out);
/* One of `choices` (NULL-terminated). */
int v_choice(struct ctx *c, json_t *obj, const char *field, int required,
	     const char *const *choices, const char **out);
/* A calendar date YYYY-MM-DD. */
int v_date(struct ctx *c, json_t *obj, const char *field, int required, const char **out);
/* An array of at most max_items strings of at most max_chars each; *out is a NULL-terminated
 * arena array (empty array -> {NULL}); *count gets the number. */
int v_string_list(struct ctx *c, json_t *obj, const char *field, int required, size_t max_items,
		  size_t max_chars, const char ***out, int *count);
/* Adds field.unknown for every key of obj not in `allowed` (NULL-terminated). */
void v_no_unknown_fields(struct ctx *c, json_t *obj, const char *const *allowed);

/* Checks a loose e-mail shape (one @, dot in the domain, no spaces, <= 254). */
int v_is_email(const char *s);
/* Checks a phone: mainland mobile (1[3-9] + 9 digits) or landline (digits, optional area code
 * with '-', optional extension), 5..20 chars. */
int v_is_phone(const char *s);
/* Checks a date string YYYY-MM-DD for a real calendar date. */
int v_is_date(const char *s);
/* Counts UTF-8 characters. */
size_t v_char_count(const char *s);
/* 1 if s has no control characters other than TAB, LF, CR. */
int v_is_clean_text(const char *s);

#endif
