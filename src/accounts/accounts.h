/* Accounts, roles, sessions, API tokens. */
#ifndef TONGXIN_ACCOUNTS_ACCOUNTS_H
#define TONGXIN_ACCOUNTS_ACCOUNTS_H
#include "core/ctx.h"

/* Loads the principal of an active user by user name (roles, jurisdiction, organizations).
 * Returns 0, or -1 with E_NOT_FOUND. */
int accounts_principal_by_username(struct ctx *c, const char *username, struct principal *out);

#endif
