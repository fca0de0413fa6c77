/*
 * Shared inside src/registry only: the column table, the loaded row, and helpers that the
 * list, grade, person and demo files reuse. Nothing outside the folder includes this.
 */
#ifndef TONGXIN_REGISTRY_ORG_INTERNAL_H
#define TONGXIN_REGISTRY_ORG_INTERNAL_H
#include <stddef.h>
#include "registry/org.h"

enum col_kind { COL_TEXT, COL_NUMBER, COL_FLAG };
struct org_column {
	const char *name;     /* JSON and SQL name */
	size_t offset;        /* in struct org_input */
	enum col_kind kind;
	long long max_chars;  /* free text: length limit (0 = validated by its own reader);
			       * numbers: the largest value */
	int private_field;    /* hidden without ACT_ORG_READ_PRIVATE */
};
enum { ORG_NCOLUMNS = 21 };
extern const struct org_column org_columns[ORG_NCOLUMNS];

/* An organization as stored. Strings are arena copies. */
struct org_row {
	struct org_input in; /* in.version is the stored version */
	int64_t id, created_at, updated_at;
	int archived;
	const char *current_grade, *street_name, *community_name;
};

enum { ORG_JSON_PUBLIC, ORG_JSON_FULL };

/* Loads one organization with its fields and tags; E_NOT_FOUND when there is none. No
 * policy check: callers check with the street it returns. */
int org_load(struct ctx *c, int64_t id, struct org_row *row);
/* JSON of a loaded row for a reader with or without private access. */
json_t *org_row_json(struct ctx *c, struct org_row *row, int private_access);
json_t *org_input_json(struct ctx *c, struct org_input *in, int mode);
/* Writes the search tokens of `in` for organization id (caller's transaction). */
int org_index_text_in_tx(struct ctx *c, int64_t id, const struct org_input *in, int archived,
			 const char *grade);
/* 1 for a word of n bytes that belongs to the facet namespace ("xq...") and so is never
 * indexed or searched as text. */
int org_is_reserved_token(const char *token, size_t n);
/* Appends the facet token for a filter value ("xq" + facet + value's letters and digits). */
void org_facet_token(struct buf *out, const char *facet, const char *value);
/* Fills E_DUPLICATE with a field error on credit_code; returns -1. */
int org_duplicate_error(struct ctx *c);

#endif
