/*
 * The message catalogue: every text a user reads from the server, in Chinese and English.
 * Each feature owns a catalogue (a const array ending with a NULL key) listed in
 * app/msg_catalogues.c; keys are "<feature>.<what>" so they never collide. "{n}" in a text is replaced by the
 * message's integer argument.
 */
#ifndef TONGXIN_CORE_MSG_H
#define TONGXIN_CORE_MSG_H
#include <jansson.h>
#include "lib/mem.h"

enum lang { LANG_ZH = 0, LANG_EN = 1 };

struct msg {
	const char *key;
	const char *zh;
	const char *en;
};

/* Appends the text of `key` in `lang` with {n} replaced by arg; an unknown key appends itself. */
void msg_render(struct buf *out, const char *key, enum lang lang, long long arg);
/* Appends the text of `key` in `lang` with every {name} placeholder replaced by the value of
 * params[name] (strings as they are, integers and reals as numbers; params is borrowed and may
 * be NULL). A placeholder without a usable value is kept as written, so a missing parameter
 * shows instead of vanishing. An unknown key appends itself. */
void msg_render_params(struct buf *out, const char *key, enum lang lang, const json_t *params);
/* The raw text (NULL if unknown). */
const char *msg_text(const char *key, enum lang lang);
/* The label of `code` in one feature's table of code labels (a NULL-key-terminated array of
 * struct msg: key = the stable code), in the language; NULL when the code is not there. */
const char *msg_label(const struct msg *table, const char *code, enum lang lang);
/* Picks the language from an Accept-Language header: English if the first preferred tag is
 * en*, else Chinese (the default, also for NULL). */
enum lang msg_lang_from_header(const char *accept_language);

/* Every catalogue msg_text() searches, NULL-terminated: app/msg_catalogues.c in the server;
 * a program that links msg.c alone (a fuzz harness) defines its own. */
extern const struct msg *const msg_catalogues[];
/* Per-feature catalogues (each defined in its feature's folder). */
extern const struct msg core_messages[];
extern const struct msg accounts_messages[];
extern const struct msg registry_messages[];
extern const struct msg audit_messages[];
extern const struct msg io_messages[];
extern const struct msg liaison_messages[];
extern const struct msg meetings_messages[];
extern const struct msg announce_messages[];
extern const struct msg boards_messages[];
extern const struct msg resources_messages[];
extern const struct msg matching_messages[];
extern const struct msg notify_messages[];
extern const struct msg files_messages[];

#endif
