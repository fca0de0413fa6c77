#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/mem.h"
#include "lib/netaddr.h"
#include "notify/notify_robot_url.h"

/* The official host of each kind (DOMAIN.md, "Group-robot webhooks") and the message that
 * names it when a URL points elsewhere. */
static const struct {
	const char *kind, *host, *key;
} official[] = {
    {"wecom", "qyapi.weixin.qq.com", "notify.robot_url_wecom"},
    {"dingtalk", "oapi.dingtalk.com", "notify.robot_url_dingtalk"},
    {"feishu", "open.feishu.cn", "notify.robot_url_feishu"},
};

/* A URL as libcurl itself will read it: parsing with libcurl's own parser leaves no room for
 * two parsers that disagree about the host (the classic way around an allow-list). */
struct url_parts {
	char scheme[16];
	char host[256]; /* an IPv6 literal without its brackets */
	long port;      /* the scheme's default when the URL names none */
	int explicit_port, userinfo;
};

static int url_parse(const char *url, struct url_parts *out)
{
	memset(out, 0, sizeof *out);
	CURLU *h = curl_url();
	if (!h)
		abort(); /* as every allocation failure: see docs/architecture.md, Memory */
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *password = NULL;
	int rc = -1;
	if (url && curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    strlen(scheme) < sizeof out->scheme && strlen(host) < sizeof out->host) {
		snprintf(out->scheme, sizeof out->scheme, "%s", scheme);
		size_t n = strlen(host);
		if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
			snprintf(out->host, sizeof out->host, "%.*s", (int)n - 2, host + 1);
		else
			snprintf(out->host, sizeof out->host, "%s", host);
		out->port = strtol(port, NULL, 10);
		char *given = NULL;
		out->explicit_port = curl_url_get(h, CURLUPART_PORT, &given, 0) == CURLUE_OK;
		curl_free(given);
		out->userinfo = curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK ||
		                curl_url_get(h, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(password);
	curl_url_cleanup(h);
	return rc;
}

/* ---------------------------------------------------------------- the test-only setting */

enum { TEST_HOSTS_MAX = 16 };
/* Set once by notify_robot_url_allow_test_hosts before any thread starts; read-only after. */
static struct test_host {
	int family;
	unsigned char addr[16];
	long port;
} test_hosts[TEST_HOSTS_MAX];
static int test_host_count;

/* Reads a numeric loopback address (brackets around IPv6 allowed) into t; 0 or -1. */
static int loopback_address(const char *text, size_t len, struct test_host *t)
{
	char a[64];
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		text++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof a)
		return -1;
	memcpy(a, text, len);
	a[len] = 0;
	static const unsigned char v6_loopback[16] = {[15] = 1};
	if (inet_pton(AF_INET, a, t->addr) == 1 && t->addr[0] == 127) {
		t->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, a, t->addr) == 1 && memcmp(t->addr, v6_loopback, 16) == 0) {
		t->family = AF_INET6;
		return 0;
	}
	return -1;
}

/* "HOST:PORT" with a loopback HOST; port must lie in [min, max]. 0 or -1. */
static int loopback_endpoint(const char *s, size_t len, long min, long max, struct test_host *t)
{
	const char *colon = NULL;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':' && (s[0] != '[' || (i > 0 && s[i - 1] == ']')))
			colon = s + i;
	if (!colon || colon + 1 == s + len || colon + 1 + 5 < s + len)
		return -1;
	long port = 0;
	for (const char *p = colon + 1; p < s + len; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		port = port * 10 + (*p - '0');
	}
	t->port = port;
	return port >= min && port <= max ? loopback_address(s, (size_t)(colon - s), t) : -1;
}

int notify_robot_url_allow_test_hosts(const char *spec, const char *listen, FILE *log)
{
	if (!spec || !*spec)
		return 0;
	struct test_host where;
	if (!listen || loopback_endpoint(listen, strlen(listen), 0, 0, &where) != 0) {
		fprintf(
		    log,
		    "tongxin: TONGXIN_TEST_ALLOW_ROBOT_HOSTS 仅供测试，只在 --listen 127.0.0.1:0"
		    " 时有效；拒绝启动\ntongxin: TONGXIN_TEST_ALLOW_ROBOT_HOSTS is for tests only "
		    "and honored only with --listen 127.0.0.1:0 (loopback, port 0): refusing to "
		    "start. Unset it.\n");
		return -1;
	}
	int n = 0;
	for (const char *p = spec; *p;) {
		size_t len = strcspn(p, ",");
		if (n == TEST_HOSTS_MAX ||
		    loopback_endpoint(p, len, 1, 65535, &test_hosts[n]) != 0) {
			fprintf(
			    log,
			    "tongxin: TONGXIN_TEST_ALLOW_ROBOT_HOSTS 须为至多 %d 个回环地址:端口，"
			    "如 127.0.0.1:40123 / must be at most %d loopback IP:PORT entries: "
			    "%.*s\n",
			    TEST_HOSTS_MAX, TEST_HOSTS_MAX, (int)len, p);
			return -1;
		}
		n++;
		p += len + (p[len] == ',');
	}
	test_host_count = n;
	fprintf(log,
	        "tongxin: ************************************************************\n"
	        "tongxin: 警告 WARNING: TONGXIN_TEST_ALLOW_ROBOT_HOSTS=%s\n"
	        "tongxin: 群机器人可以向这些本机地址发送（仅供测试，切勿用于生产环境）\n"
	        "tongxin: robots may post to these local addresses: FOR TESTS ONLY, NEVER IN "
	        "PRODUCTION\n"
	        "tongxin: ************************************************************\n",
	        spec);
	return 0;
}

static int is_test_host(const struct url_parts *u)
{
	struct test_host t;
	if (test_host_count == 0 || loopback_address(u->host, strlen(u->host), &t) != 0)
		return 0;
	for (int i = 0; i < test_host_count; i++)
		if (test_hosts[i].family == t.family && test_hosts[i].port == u->port &&
		    memcmp(test_hosts[i].addr, t.addr, t.family == AF_INET ? 4 : 16) == 0)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- the rule */

const char *notify_robot_url_problem(const char *kind, const char *url)
{
	const char *key = "notify.bad_url";
	const char *host = NULL;
	for (size_t i = 0; i < sizeof official / sizeof official[0]; i++)
		if (kind && strcmp(kind, official[i].kind) == 0) {
			key = official[i].key;
			host = official[i].host;
		}
	struct url_parts u;
	if (url_parse(url, &u) != 0 || u.userinfo)
		return key;
	if (is_test_host(&u))
		return strcasecmp(u.scheme, "http") == 0 || strcasecmp(u.scheme, "https") == 0
		           ? NULL
		           : key;
	/* the official host exactly (no trailing dot, no other port) and https */
	if (!host || strcasecmp(u.scheme, "https") != 0 || strcasecmp(u.host, host) != 0 ||
	    u.port != 443)
		return key;
	return NULL;
}

int notify_robot_url_pin(CURL *curl, const char *url, struct curl_slist **resolve, char *err,
                         size_t errsize)
{
	*resolve = NULL;
	struct url_parts u;
	if (url_parse(url, &u) != 0) {
		snprintf(err, errsize, "robot URL refused: cannot be parsed");
		return -1;
	}
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect would skip the check */
	if (is_test_host(&u)) { /* a loopback literal: nothing to resolve */
		curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
		return 0;
	}
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found;
	int g = getaddrinfo(u.host, NULL, &hints, &found);
	if (g != 0) {
		snprintf(err, errsize, "cannot resolve %s: %s", u.host, gai_strerror(g));
		return -1;
	}
	/* every address must be public: libcurl may try any of them */
	struct buf line = {0};
	buf_printf(&line, "%s:%ld:", u.host, u.port);
	int n = 0, refused = 0;
	for (struct addrinfo *a = found; a && !refused; a = a->ai_next) {
		char text[INET6_ADDRSTRLEN];
		const void *bytes =
		    a->ai_family == AF_INET6
		        ? (const void *)&((struct sockaddr_in6 *)(void *)a->ai_addr)->sin6_addr
		        : (const void *)&((struct sockaddr_in *)(void *)a->ai_addr)->sin_addr;
		if (!inet_ntop(a->ai_family, bytes, text, sizeof text))
			continue;
		if (!netaddr_is_public(a->ai_addr)) {
			snprintf(err, errsize,
			         "robot URL refused: %s resolves to %s, not a public address",
			         u.host, text);
			refused = 1;
		} else {
			buf_printf(&line, a->ai_family == AF_INET6 ? "%s[%s]" : "%s%s",
			           n ? "," : "", text);
			n++;
		}
	}
	freeaddrinfo(found);
	if (!refused && n == 0)
		snprintf(err, errsize, "cannot resolve %s: no address", u.host);
	if (!refused && n > 0) {
		*resolve = curl_slist_append(NULL, line.data);
		curl_easy_setopt(curl, CURLOPT_RESOLVE, *resolve);
	}
	buf_free(&line);
	return refused || n == 0 ? -1 : 0;
}
