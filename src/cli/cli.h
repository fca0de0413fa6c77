/*
 * Subcommands. Each lives in src/cli/cli_<name>.c as `int cli_<name>(int argc, char **argv)`
 * (argv[0] is the subcommand's name) and returns the process exit code: 0 success, 1 failure,
 * 2 bad usage. Common settings are read by cli_parse_common().
 */
#ifndef TONGXIN_CLI_CLI_H
#define TONGXIN_CLI_CLI_H
#include "core/ctx.h"

struct cli_opts {
	const char *database; /* --database / TONGXIN_DATABASE */
	const char *data_dir; /* --data-dir / TONGXIN_DATA_DIR (default "data") */
	const char *files_dir; /* --files-dir / TONGXIN_FILES_DIR (default <data-dir>/files) */
	const char *listen;   /* --listen / TONGXIN_LISTEN (default 127.0.0.1:8080) */
	const char *as_user;  /* --as USER: act as that account instead of the system operator */
	const char *public_url; /* --public-url / TONGXIN_PUBLIC_URL: links in e-mails and robot
	                           posts (the administrator's setting wins) */
	int help;
};

/* Reads the environment, then removes the common flags it recognises from argv (compacting
 * it) and updates *argc; a flag wins over its environment variable, and either means the same
 * for every subcommand. Unknown flags are left for the command. Sets the attachment store's
 * directory (files_configure): --files-dir, else <data-dir>/files, and the public base URL of
 * links (notify_configure_public_url), so that `serve` and `tasks run` send the same links. Returns 0, or 2 on a flag missing its value or a public URL that is not http(s). */
int cli_parse_common(struct cli_opts *o, int *argc, char **argv);
/* The database URL: --database, else <data-dir>/tongxin.db (creating the directory). */
const char *cli_database_url(struct cli_opts *o);
/* Opens the database and applies migrations; prints the error and returns NULL on failure. */
struct db *cli_open_db(struct cli_opts *o);
/* Builds a context for a command: the system principal, or --as USER's (loaded through the
 * accounts module). The arena is the caller's to free with cli_ctx_free(). Returns 0 or -1. */
int cli_ctx_init(struct ctx *c, struct principal *who, struct cli_opts *o, struct db *db);
/* The body of most subcommands: opens the database of o, makes the command's context (as
 * --as-user or the system), runs fn(c, arg), frees the context and closes the database.
 * Returns fn's exit status, or 1 when the database or the user could not be had. */
int cli_with_ctx(struct cli_opts *o, int (*fn)(struct ctx *c, void *arg), void *arg);
void cli_ctx_free(struct ctx *c);
/* Prints an error (with its field errors) on stderr in the operator's language (LANG=en* ->
 * English, else Chinese). */
void cli_print_error(const struct error *e);
/* The operator's language from LANG/LC_ALL. */
enum lang cli_lang(void);

int cli_serve(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_openapi(int argc, char **argv);
int cli_tasks(int argc, char **argv);
int cli_matching(int argc, char **argv);
int cli_notify(int argc, char **argv);

#endif
