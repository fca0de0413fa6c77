#include "audit/audit.h"
int audit_append(struct ctx *c, const char *action, const char *object_type, int64_t object_id,
		 json_t *before, json_t *after)
{
	(void)c, (void)action, (void)object_type, (void)object_id, (void)before, (void)after;
	return 0;
}
