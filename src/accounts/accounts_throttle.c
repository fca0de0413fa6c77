/*
 * Login throttling, per account and per address, kept in the database (login_failure) so a
 * second server instance sees the same counts.
 *
 * Account: N failures within the window lock the account for the lockout time, counted from
 * the last of them. Attempts refused while locked are not recorded, so the lock ends on time
 * instead of being extended by whoever keeps knocking. Address: a sliding window — once M
 * failures are inside it, the address waits until the oldest of those M leaves it.
 *
 * Both checks run before any password hashing, so a throttled attacker costs us two indexed
 * queries, and they do not depend on whether the user exists (unknown names are counted too).
 */
#include <stdlib.h>
#include "accounts/accounts_internal.h"

struct login_limits {
	int64_t max_failures, max_address_failures, window, lockout;
};

static int64_t env_positive(const char *name, int64_t fallback)
{
	const char *v = getenv(name);
	long long n = v ? atoll(v) : 0;
	return n > 0 ? n : fallback;
}

static struct login_limits limits(void)
{
	struct login_limits l;
	l.max_failures = env_positive("TONGXIN_LOGIN_MAX_FAILURES", 5);
	l.max_address_failures = env_positive("TONGXIN_LOGIN_MAX_ADDRESS_FAILURES", 20);
	l.window = env_positive("TONGXIN_LOGIN_WINDOW", 15 * 60);
	l.lockout = env_positive("TONGXIN_LOGIN_LOCKOUT", 15 * 60);
	return l;
}

static const char sql_recent_by_username[] =
	"SELECT at FROM login_failure WHERE username = $1 AND at > $2 ORDER BY at DESC "
	"LIMIT CAST($3 AS BIGINT)";
static const char sql_recent_by_addr[] =
	"SELECT at FROM login_failure WHERE remote_addr = $1 AND at > $2 ORDER BY at DESC "
	"LIMIT CAST($3 AS BIGINT)";

/* The newest and the n-th newest failure times after `since`; returns how many were found
 * (at most n), or -1 on a database error. */
static int recent_failures(struct ctx *c, const char *sql, const char *key, int64_t since,
			   int64_t n, int64_t *newest, int64_t *nth)
{
	struct db_stmt *st = db_query(c->db, sql, "sll", key, since, n);
	int count = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_col_int(st, 0);
		if (count++ == 0)
			*newest = at;
		*nth = at;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : count;
}

static int throttled(struct ctx *c, const char *key, int64_t seconds)
{
	if (seconds < 1)
		seconds = 1;
	error_set(&c->err, E_THROTTLED, key);
	c->err.retry_after = (int)seconds;
	c->err.arg = (seconds + 59) / 60; /* whole minutes, rounded up, for the message */
	return -1;
}

int throttle_check(struct ctx *c, const char *username)
{
	struct login_limits l = limits();
	int64_t newest = 0, nth = 0;
	int n = recent_failures(c, sql_recent_by_username, username,
				c->now - l.window - l.lockout, l.max_failures, &newest, &nth);
	if (n < 0)
		return ctx_db_error(c);
	if (n >= l.max_failures && newest - nth < l.window && c->now < newest + l.lockout)
		return throttled(c, "accounts.account_locked", newest + l.lockout - c->now);
	n = recent_failures(c, sql_recent_by_addr, c->remote_addr ? c->remote_addr : "",
			    c->now - l.window, l.max_address_failures, &newest, &nth);
	if (n < 0)
		return ctx_db_error(c);
	if (n >= l.max_address_failures)
		return throttled(c, "accounts.address_throttled", nth + l.window - c->now);
	return 0;
}

void throttle_record_failure(struct ctx *c, const char *username)
{
	struct login_limits l = limits();
	db_run(c->db, "INSERT INTO login_failure (username, remote_addr, at) VALUES ($1, $2, $3)",
	       "ssl", username ? username : "", c->remote_addr ? c->remote_addr : "", c->now);
	/* Rows older than both horizons can no longer lock anything. */
	db_run(c->db, "DELETE FROM login_failure WHERE at <= $1", "l",
	       c->now - l.window - l.lockout);
}

void throttle_clear(struct ctx *c, const char *username)
{
	db_run(c->db, "DELETE FROM login_failure WHERE username = $1", "s", username);
}
