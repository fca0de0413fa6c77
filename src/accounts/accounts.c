#include "accounts/accounts.h"

int accounts_principal_by_username(struct ctx *c, const char *username, struct principal *out)
{
	(void)username;
	(void)out;
	return error_set(&c->err, E_NOT_FOUND, NULL);
}
