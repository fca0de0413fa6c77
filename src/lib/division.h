/*
 * division.h — administrative division codes (GB/T 2260 and the 12-digit
 * statistical code 统计用区划代码), used for jurisdiction:
 * district -> street (township level) -> community (village level).
 *
 * 12-digit layout: 6-digit county/district + 3-digit township + 3-digit village.
 *   township 001-099 街道, 100-199 镇, 200-399 乡, 400-599 开发区/农场等
 *   village  001-199 居委会/社区, 200-399 村委会
 * Pure functions, no allocation, safe from any thread.
 */
#ifndef TONGXIN_LIB_DIVISION_H
#define TONGXIN_LIB_DIVISION_H

enum division_level { DIVISION_INVALID, DIVISION_DISTRICT, DIVISION_STREET, DIVISION_COMMUNITY };

/*
 * Classifies a NUL-terminated code (NULL allowed -> INVALID):
 *   DISTRICT  = 6 digits, or those 6 digits + "000000"
 *   STREET    = township part 001-599 and village part 000
 *   COMMUNITY = village part 001-399 under a township 001-599
 * The province part (first 2 digits) must not be "00". Anything else,
 * including surrounding spaces, is INVALID.
 */
enum division_level division_level_of(const char *code);

/*
 * Township kind for a street-level (or community-level) code, from the
 * township part: "街道" (001-099), "镇" (100-199), "乡" (200-399),
 * "开发区等" (400-599). Returns a static UTF-8 string (never freed), or
 * NULL for districts and invalid codes.
 */
const char *division_township_kind(const char *code);

/*
 * Writes the 12-digit form of any valid code into out[13] (a 6-digit
 * district gets "000000" appended). Returns 0, or -1 for an invalid code
 * (out is then "").
 */
int division_normalize(const char *code, char out[13]);

/*
 * 1 if `code` lies inside `scope`, else 0. `scope` may be a district (6 or
 * 12 digits), a street or a community; a code is inside itself (a 6-digit
 * district contains its own 12-digit form). Invalid codes are inside nothing.
 */
int division_contains(const char *scope, const char *code);

/*
 * Writes the parent code into out[13]: community -> its street,
 * street -> its district as 12 digits. Returns 0, or -1 for a district or
 * an invalid code (out is then "").
 */
int division_parent(const char *code, char out[13]);

#endif
