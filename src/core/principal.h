/*
 * Who is asking. Every request and every CLI command acts as one principal; the domain
 * functions and the policy (core/policy.h) decide with it alone.
 */
#ifndef TONGXIN_CORE_PRINCIPAL_H
#define TONGXIN_CORE_PRINCIPAL_H
#include <stdint.h>

/* The roles of DESIGN.md. Stored by name in the database (user_role.role). */
enum role {
	ROLE_ADMIN,       /* system administrator: accounts, configuration, backups */
	ROLE_STAFF,       /* department staff: everything in their jurisdiction */
	ROLE_LIAISON,     /* liaison officer */
	ROLE_ORG_ADMIN,   /* administrator of one or more organizations */
	ROLE_ORG_MEMBER,  /* member of one or more organizations */
	ROLE_EXPERT,      /* member of the expert pool */
	ROLE_MEDIATOR,    /* mediator of inter-organization disputes */
	ROLE_GOV_OFFICER, /* officer of a government department */
	ROLE_RESIDENT,    /* resident / volunteer */
	ROLE_SUPERVISOR,  /* reads everything, writes nothing */
	ROLE__MAX
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL ((1u << ROLE__MAX) - 1)

enum { PRINCIPAL_MAX_ORGS = 32 };

/* user_id values that are not users */
#define PRINCIPAL_ANONYMOUS 0
#define PRINCIPAL_SYSTEM (-1) /* the machine's operator running the CLI */

struct principal {
	int64_t user_id;
	char username[64];
	char display_name[260];  /* 64 characters of up to 4 bytes */
	unsigned roles;          /* ROLE_BIT()s */
	char jurisdiction[13];   /* "" = the whole district; else a 12-digit street code */
	int64_t org_ids[PRINCIPAL_MAX_ORGS]; /* organizations the user administers */
	int norgs;
	int64_t member_org_ids[PRINCIPAL_MAX_ORGS]; /* organizations the user belongs to */
	int nmember_orgs;
	int64_t session_id;      /* 0 unless signed in with a cookie */
	int64_t token_id;        /* 0 unless signed in with an API token */
	char csrf_token[64];     /* expected X-CSRF-Token for cookie-authenticated writes */
	int must_change_password; /* after an administrator's reset: only /me and the change */
};

/* "admin", "staff", "liaison", "org_admin", "org_member", "expert", "mediator",
 * "gov_officer", "resident", "supervisor". */
const char *role_name(enum role r);
/* The role with that name, or -1. */
int role_from_name(const char *name);
/* Chinese and English labels for the UI and messages. */
const char *role_label(enum role r, int english);

/* The CLI operator: all roles' rights, whole district. */
void principal_system(struct principal *p);
int principal_has(const struct principal *p, enum role r);
int principal_administers(const struct principal *p, int64_t org_id);
int principal_member_of(const struct principal *p, int64_t org_id);

#endif
