/*
 * Where a group robot may post (issue 12 §4: robot URLs must not reach inside). A WeCom,
 * DingTalk or Feishu robot posts only to its platform's official host over https
 * (../shared/DOMAIN.md): checked when a robot is saved (422 on the url field) and again before
 * every post, so a robot saved before the rule, or edited in the database, is refused too.
 * Before a post the host is resolved once, every address it resolves to must be public
 * (lib/netaddr.h), and libcurl is handed those addresses (CURLOPT_RESOLVE) so it does not look
 * the name up again between the check and the connection; redirects are not followed.
 *
 * Tests post to a local receiver through TONGXIN_TEST_ALLOW_ROBOT_HOSTS, which only
 * `tongxin serve` on a loopback address with a system-chosen port (--listen 127.0.0.1:0, how
 * the test harness starts servers and what no deployment behind a proxy can use) honors.
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_ROBOT_URL_H
#define TONGXIN_NOTIFY_NOTIFY_ROBOT_URL_H
#include <curl/curl.h>
#include <stdio.h>

/* NULL when url is an acceptable address for a robot of kind ("wecom", "dingtalk",
 * "feishu"); else the message key that says why (for the url field). Thread-safe. */
const char *notify_robot_url_problem(const char *kind, const char *url);

/*
 * Reads the test-only setting: spec is a comma-separated list of loopback IP:PORT entries
 * ("127.0.0.1:40123,[::1]:40124") to which robots of any kind may post over http or https;
 * listen is the serve address. NULL or "" spec: nothing to do, 0. Otherwise the setting is
 * honored only when listen is a loopback address with port 0, and every entry is a loopback
 * address with an explicit port; then a loud warning goes to log and 0 is returned. Any other
 * case: a message to log and -1 (serve refuses to start). Call once, before threads start.
 */
int notify_robot_url_allow_test_hosts(const char *spec, const char *listen, FILE *log);

/*
 * Prepares curl to post to url (already accepted by notify_robot_url_problem): resolves the
 * host once, refuses it unless every address is public (test hosts excepted), pins the
 * addresses with CURLOPT_RESOLVE, allows only https (http too for a test host) and turns
 * redirects off. *resolve receives the list the caller frees after curl_easy_perform
 * (curl_slist_free_all). 0, or -1 with a one-line reason in err (size errsize).
 */
int notify_robot_url_pin(CURL *curl, const char *url, struct curl_slist **resolve, char *err,
                         size_t errsize);

#endif
