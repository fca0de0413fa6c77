/*
 * Fuzzes the JSON field readers of src/core/validate.c over arbitrary JSON text, parsed as
 * the HTTP layer does (json_loadb with JSON_REJECT_DUPLICATES). When the text is an object,
 * every reader runs on a few field names, in the order handlers use: v_no_unknown_fields
 * first (so an input with many unknown keys fills c->err before the readers add theirs),
 * then the readers, then v_no_unknown_fields again. No database: the ctx has only an arena.
 * Promises checked: a reader returns 0 or -1, -1 always leaves a field error; accepted
 * strings are trimmed clean text within the length limit; accepted numbers are in range;
 * accepted dates are real dates; choices come from the list; string lists hold no
 * duplicates.
 */
#include "fuzz.h"
#include "core/validate.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const char *const allowed[] = {"name", "count", "flag", "kind", "date", "tags", NULL};
static const char *const kinds[] = {"social", "foundation", "社会团体", NULL};

static void check_text(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	FUZZ_CHECK(n > 0 && v_is_clean_text(s) && v_char_count(s) <= max_chars);
	FUZZ_CHECK(!strchr(" \t\r\n", s[0]) && !strchr(" \t\r\n", s[n - 1]));
}

/* Runs one reader and checks that a failure left a field error behind. */
#define READ(call)                                                        \
	do {                                                              \
		int before = c.err.nfields;                               \
		int rc_ = (call);                                         \
		FUZZ_CHECK(rc_ == 0 || rc_ == -1);                        \
		FUZZ_CHECK(rc_ == 0 ? c.err.nfields == before : c.err.nfields == before + 1); \
		failed |= rc_ != 0;                                       \
	} while (0)

static void run_readers(json_t *obj)
{
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.arena = arena_new();
	int failed = 0;
	const char *name = "unset", *kind = "unset", *date = "unset", **tags = NULL;
	int64_t count = 7;
	int present = -1, flag = 2, ntags = -1;

	v_no_unknown_fields(&c, obj, allowed);
	int unknown = c.err.nfields;
	READ(v_string(&c, obj, "name", V_OPTIONAL, 10, &name));
	READ(v_int(&c, obj, "count", V_REQUIRED, -5, 1000, &count, &present));
	READ(v_bool(&c, obj, "flag", V_OPTIONAL, &flag));
	READ(v_choice(&c, obj, "kind", V_OPTIONAL, kinds, &kind));
	READ(v_date(&c, obj, "date", V_OPTIONAL, &date));
	READ(v_string_list(&c, obj, "tags", V_OPTIONAL, 5, 8, &tags, &ntags));
	READ(v_string(&c, obj, "", V_OPTIONAL, 3, &name));
	int before_again = c.err.nfields;
	v_no_unknown_fields(&c, obj, allowed);
	FUZZ_CHECK(c.err.nfields == before_again + unknown);
	FUZZ_CHECK((error_check(&c.err) != 0) == (failed || unknown > 0));
	if (!failed) {
		if (name && strcmp(name, "unset") != 0)
			check_text(name, 10);
		FUZZ_CHECK(count >= -5 && count <= 1000);
		FUZZ_CHECK(present == 1);
		FUZZ_CHECK(flag == 0 || flag == 1 || flag == 2);
		if (kind && strcmp(kind, "unset") != 0) {
			int found = 0;
			for (const char *const *k = kinds; *k; k++)
				found |= *k == kind;
			FUZZ_CHECK(found);
		}
		if (date && strcmp(date, "unset") != 0)
			FUZZ_CHECK(v_is_date(date));
		if (tags) {
			FUZZ_CHECK(ntags >= 0 && ntags <= 5 && tags[ntags] == NULL);
			for (int i = 0; i < ntags; i++) {
				check_text(tags[i], 8);
				for (int j = 0; j < i; j++)
					FUZZ_CHECK(strcmp(tags[i], tags[j]) != 0);
			}
		}
	}
	arena_free(c.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return 0;
	if (json_is_object(root))
		run_readers(root);
	json_decref(root);
	return 0;
}
