/*
 * experts.h — experts of the talent pool suggested for an expertise or training need (专家建议).
 *
 * Candidates come from indexes only: experts sharing a field of work with the need
 * (talent_field by field) and experts whose search tokens hold one of the need's words
 * (talent_fts / talent.search_tokens, restricted by the facet token of kind "expert"), at most
 * EXPERTS_CANDIDATES of each. Each candidate is scored from explainable parts:
 *
 *   fields     shared / all fields of the two (Jaccard)
 *   text       the expert's skills, title and bio against the need's title and description:
 *              cosine of their sets of words (Han bigrams and Latin words)
 *   hours      the expert's hours per month against what the need still lacks (hours), or
 *              whether the expert gives any time (a need counted in people)
 *   proximity  same street 1, same district 0.5, unknown 0.2
 *   record     服务记录: the mean rating the expert received from need sides (talent_record),
 *              smoothed towards 3 of 5 as if two such ratings were there, mapped 1..5 -> 0..1
 *              (no rating yet: 0.5), like the trust part of resource suggestions
 *
 *   total = sum of weight × value, weights 0.30 / 0.25 / 0.20 / 0.15 / 0.10
 *
 * An expert affiliated with the need's own organization is never suggested (self-docking).
 */
#ifndef TONGXIN_MATCHING_EXPERTS_H
#define TONGXIN_MATCHING_EXPERTS_H
#include <jansson.h>
#include <stddef.h>
#include "core/ctx.h"

enum { EXPERTS_CANDIDATES = 200 };

/* The best k experts (1..50) for need `id`: {item, applicable, suggestions: [{id, name, title,
 * affiliation, fields, skills, hours_per_month, pro_bono, street_code, live_docking_id,
 * record: {fulfilled, failed, rating_count, rating_mean}, score: {total, parts: [{part, name, value, weight, contribution, reason}], explanation}}],
 * candidates, millis}, reasons in c->lang. `applicable` is false (and the list empty) for a
 * need that is not of category expertise or training. ACT_MATCHING_SUGGEST on the need's
 * organization; 404 when the need is hidden. New reference, or NULL with c->err. */
json_t *experts_suggest_json(struct ctx *c, int64_t id, size_t k);

#endif
