#include "audit/audit.h"
int audit_append(struct ctx *c, const char *action, const char *object_type, int64_t object_id,
		 json_t *before, json_t *after)
{
	(void)c, (void)action, (void)object_type, (void)object_id, (void)before, (void)after;
	return 0;
}

/* Placeholder until the audit branch lands (it has the real diff): records both whole. */
void audit_diff(json_t *old_obj, json_t *new_obj, json_t **before, json_t **after)
{
	*before = old_obj ? json_deep_copy(old_obj) : NULL;
	*after = new_obj ? json_deep_copy(new_obj) : NULL;
}
