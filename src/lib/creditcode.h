/*
 * creditcode.h — Unified Social Credit Code (统一社会信用代码, GB 32100-2015).
 *
 * Layout of the 18 characters (1-based positions):
 *   1     registration authority (5 = 民政, 9 = 工商, ...)
 *   2     organization type under that authority ("51" = 社会团体)
 *   3-8   GB/T 2260 area code, 6 digits
 *   9-17  organization code (GB 11714), itself ending in its own check character
 *   18    check character over positions 1-17
 *
 * Pure functions, no allocation, safe from any thread.
 */
#ifndef TONGXIN_LIB_CREDITCODE_H
#define TONGXIN_LIB_CREDITCODE_H

/*
 * Result of creditcode_validate(), in the order the checks run: the first
 * failing check wins.
 *
 * CREDITCODE_BAD_ORG_CHECK is deliberately the LAST check and is the only
 * non-fatal status: it is returned only when length, alphabet, area and the
 * final check character are all correct, so the code is well-formed and
 * self-consistent and only the embedded GB 11714 organization code check
 * digit disagrees. Callers should show it as a warning and still accept the
 * code (see creditcode_is_acceptable()). Both DOMAIN.md examples pass it.
 *
 * CREDITCODE_BAD_CHECK is what the early pilot-region codes such as
 * 91350100M0001TGQXM get (their org-code part is fine, the final check is
 * not). DOMAIN.md says: warn and require an authorized override with a
 * recorded reason; the validator cannot know about overrides, so it simply
 * reports BAD_CHECK and the registry decides.
 */
enum creditcode_status {
	CREDITCODE_OK,
	CREDITCODE_BAD_LENGTH,    /* not exactly 18 bytes (or NULL) */
	CREDITCODE_BAD_CHAR,      /* a char outside 0-9 A-Z minus I O Z S V (lower case included) */
	CREDITCODE_BAD_AREA,      /* positions 3-8 are not 6 digits */
	CREDITCODE_BAD_CHECK,     /* position 18 is not the computed check character */
	CREDITCODE_BAD_ORG_CHECK  /* warning only: positions 9-17 fail the GB 11714 check */
};

/*
 * Validates an 18-character code. Needs: a NUL-terminated string, already
 * upper-cased and trimmed by the caller (lower case gives BAD_CHAR, so a
 * typo is never silently accepted). NULL gives BAD_LENGTH.
 * Returns the first failing status (see enum), CREDITCODE_OK when all pass.
 */
enum creditcode_status creditcode_validate(const char *code);

/*
 * 1 when a status lets the code be stored without an override: OK, or the
 * BAD_ORG_CHECK warning. 0 for every other status.
 */
int creditcode_is_acceptable(enum creditcode_status status);

/*
 * Computes the check character (position 18) for the first 17 characters
 * of `first17` (at least 17 readable bytes; more are ignored).
 * Returns the character, or 0 if any of the 17 is outside the alphabet.
 */
char creditcode_check_char(const char *first17);

/*
 * Computes the GB 11714 check character for the 8-character organization
 * code body `org8` (digits and A-Z; at least 8 readable bytes).
 * Returns '0'-'9' or 'X', or 0 when a character is not a digit or A-Z.
 */
char creditcode_org_check_char(const char *org8);

/*
 * Builds a valid code into out[19] (NUL-terminated) from the 2-character
 * authority+type prefix (e.g. "51"), a 6-digit area code and the 8-character
 * organization code body; the org-code check character and then the final
 * check character are computed. Every input must be exactly that long and
 * use the credit-code alphabet (so I O Z S V are refused even in org8).
 * Returns 0 on success, -1 on bad input (out is then set to "").
 * Used by the demo-data generator and by tests.
 */
int creditcode_make(const char *authority_type, const char *area6, const char *org8, char out[19]);

/*
 * The organization type name for the first two characters of `code`
 * (e.g. "51..." -> "社会团体"); `code` needs at least 2 readable bytes or a
 * shorter NUL-terminated string. Returns a static UTF-8 string (never
 * freed), or NULL when the prefix is unknown.
 */
const char *creditcode_kind_name(const char *code);

#endif
