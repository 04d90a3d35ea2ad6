// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust agent: the guest's side of the trusted service (vtrustd, docs/
 * SERVICE.md). It enrols once (the EK and the AK, proved by activating the
 * service's credential; the AK is made if there is none), then at start
 * and every interval takes a challenge, quotes with its nonce, sends the
 * evidence and prints the verdict. HTTP through libcurl; a server that is
 * away is retried with a growing pause.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "attest.h"
#include "evidence.h"
#include "hex.h"
#include "util.h"
#include "vtrust.h"

#define STATE_DIR	"/var/lib/vtrust/agent"
#define BACKOFF_MAX	60	/* seconds between tries, at most */
#define ONCE_TRIES	3	/* --once: tries before giving up (1 + 2 s) */

static const char usage[] =
"Usage: vtrust agent --server URL [--id ID] [--once] [--interval S]\n"
"                    [--ca FILE] [--alg rsa|ecc|sm2] [--state DIR]\n"
"\n"
"Attest this machine to the trusted service at URL (vtrustd). The first\n"
"time, enrol: send the EK (and its certificate) and the AK (made at\n"
"0x81010002 if there is none), activate the credential the service\n"
"answers with, and send its secret back; the enrolment is remembered in\n"
"DIR/enrolled. Then, at start and every S seconds (default 300): take a\n"
"challenge, quote with its nonce, send the evidence, print the verdict.\n"
"When the service is away, try again after 1, 2, 4 ... 60 seconds.\n"
"\n"
"Options:\n"
"  --server URL     the service, e.g. http://10.0.2.100:8420\n"
"  --id ID          this instance's name at the service (default: the host\n"
"                   name; A-Z a-z 0-9 . _ -)\n"
"  --once           attest once and exit with the verdict's status\n"
"  --interval S     seconds between attestations (default 300, at most\n"
"                   604800); the service counts the instance unmeasured\n"
"                   after two of them without one\n"
"  --ca FILE        the CA certificate(s) of an https:// service\n"
"  --alg ALG        the EK's algorithm (default rsa)\n"
"  --state DIR      where the enrolment is kept (default " STATE_DIR ")\n"
"  --sysfs-root DIR read the logs under DIR (tests)\n"
"\n"
"Exit status (--once): 0 trusted, 1 untrusted or invalid, 2 bad usage or\n"
"enrolment refused, 3 system error or the service stayed away.\n";

struct agent {
	const char *server, *ca, *alg, *state, *root;
	char id[65];
	unsigned long interval;
	bool once;
	CURL *curl;
};

struct buf {
	char *p;
	size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	char *np = realloc(b->p, b->len + size * n + 1);

	if (!np)
		return 0;
	b->p = np;
	memcpy(b->p + b->len, data, size * n);
	b->len += size * n;
	b->p[b->len] = '\0';
	return size * n;
}

/*
 * One request: the answer's status and JSON in *@out (NULL if it is not
 * JSON). Returns 0, or -1 when the service could not be reached.
 */
static int call(struct agent *ag, const char *method, const char *path,
		const char *body, long *status, json_object **out)
{
	struct curl_slist *hdr = NULL;
	struct buf b = { NULL, 0 };
	char url[1024];
	CURLcode rc;

	*out = NULL;
	snprintf(url, sizeof(url), "%s%s", ag->server, path);
	curl_easy_reset(ag->curl);
	curl_easy_setopt(ag->curl, CURLOPT_URL, url);
	curl_easy_setopt(ag->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(ag->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(ag->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(ag->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(ag->curl, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(ag->curl, CURLOPT_NOSIGNAL, 1L);
	if (ag->ca)
		curl_easy_setopt(ag->curl, CURLOPT_CAINFO, ag->ca);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(ag->curl, CURLOPT_HTTPHEADER, hdr);
	if (body) {
		curl_easy_setopt(ag->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(ag->curl, CURLOPT_POSTFIELDSIZE,
				 (long)strlen(body));
	} else if (!strcmp(method, "POST")) {
		curl_easy_setopt(ag->curl, CURLOPT_POSTFIELDS, "");
	}
	rc = curl_easy_perform(ag->curl);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		vt_err("agent", "%s: %s", url, curl_easy_strerror(rc));
		free(b.p);
		return -1;
	}
	curl_easy_getinfo(ag->curl, CURLINFO_RESPONSE_CODE, status);
	*out = b.p ? json_tokener_parse(b.p) : NULL;
	free(b.p);
	return 0;
}

/* call() again after 1, 2, 4 ... s while the service is away or busy. */
static int call_retry(struct agent *ag, const char *method, const char *path,
		      const char *body, long *status, json_object **out)
{
	unsigned int pause = 1, tries = 0;

	for (;;) {
		if (!call(ag, method, path, body, status, out)) {
			if (*status != 503)
				return 0;
			json_object_put(*out);
			*out = NULL;
		}
		if (ag->once && ++tries >= ONCE_TRIES)
			return -1;
		fprintf(stderr, "vtrust agent: the service is away; again in "
			"%u s\n", pause);
		sleep(pause);
		pause = pause * 2 > BACKOFF_MAX ? BACKOFF_MAX : pause * 2;
	}
}

static const char *error_of(json_object *o)
{
	json_object *v;

	return o && json_object_object_get_ex(o, "error", &v) ?
	       json_object_get_string(v) : "no JSON answer";
}

static const char *str_of(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
	       json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* The enrolment this agent remembers: its id at this server. */
static bool enrolled(struct agent *ag)
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	bool same;

	if (vt_path(path, sizeof(path), ag->state, "enrolled") ||
	    vt_read_file(path, 4096, &buf, &len))
		return false;
	same = buf && len == strlen(ag->server) + strlen(ag->id) + 2 &&
	       !memcmp(buf, ag->server, strlen(ag->server)) &&
	       buf[strlen(ag->server)] == ' ' &&
	       !memcmp(buf + strlen(ag->server) + 1, ag->id, strlen(ag->id));
	free(buf);
	return same;
}

static int remember(struct agent *ag)
{
	char path[4096], tmp[4200], text[1200];
	int ret;

	if (mkdir(ag->state, 0700) && errno != EEXIST) {
		vt_err(ag->state, "%s", strerror(errno));
		return VT_EXIT_SYSTEM;
	}
	snprintf(text, sizeof(text), "%s %s\n", ag->server, ag->id);
	if (vt_path(path, sizeof(path), ag->state, "enrolled"))
		return VT_EXIT_USAGE;
	ret = vt_write_temp(path, tmp, sizeof(tmp), text, strlen(text), 0600);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return VT_EXIT_SYSTEM;
	}
	return 0;
}

/* The credential's secret: written to a private file, activated. */
static int activate(struct agent *ag, const char *cred_b64, char *hex)
{
	size_t n = strlen(cred_b64), len = 64;
	char path[4096], tmp[4200];
	uint8_t *cred, secret[64];
	long got;
	int ret;

	cred = malloc(n / 4 * 3 + 3);
	if (!cred)
		return VT_EXIT_SYSTEM;
	got = vt_base64_decode(cred_b64, n, cred);
	if (got < 0 || vt_path(path, sizeof(path), ag->state, "credential")) {
		free(cred);
		vt_err("agent", "the service's credential is not base64");
		return VT_EXIT_USAGE;
	}
	ret = vt_write_temp(path, tmp, sizeof(tmp), cred, got, 0600);
	free(cred);
	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return VT_EXIT_SYSTEM;
	}
	ret = vt_attest_activate(tmp, secret, &len);
	unlink(tmp);
	if (!ret)
		vt_hex(hex, secret, len);
	return ret;
}

static int enrol(struct agent *ag)
{
	json_object *ek = NULL, *ak = NULL, *req, *sub, *ans = NULL;
	char path[128], hex[129];
	long status;
	int ret;

	ret = vt_attest_ek(ag->alg, &ek);
	if (ret)
		return ret;
	vt_quiet_push();
	ret = vt_attest_ak(ag->alg, false, &ak);
	vt_quiet_pop();
	if (ret) {
		printf("agent: making the AK\n");
		ret = vt_attest_ak(ag->alg, true, &ak);
	}
	if (ret) {
		json_object_put(ek);
		return ret;
	}
	req = json_object_new_object();
	json_object_object_add(req, "id", json_object_new_string(ag->id));
	sub = json_object_new_object();
	json_object_object_add(sub, "tpm2b_public", json_object_get(
		json_object_object_get(ek, "tpm2b_public")));
	json_object_object_add(sub, "certificate", json_object_get(
		json_object_object_get(ek, "certificate")));
	json_object_object_add(req, "ek", sub);
	sub = json_object_new_object();
	json_object_object_add(sub, "tpm2b_public", json_object_get(
		json_object_object_get(ak, "tpm2b_public")));
	json_object_object_add(req, "ak", sub);
	json_object_put(ek);
	json_object_put(ak);
	ret = call_retry(ag, "POST", "/v1/enrol",
			 json_object_to_json_string(req), &status, &ans);
	json_object_put(req);
	if (ret)
		return VT_EXIT_SYSTEM;
	if (status == 409 && strstr(error_of(ans), "enrolled already")) {
		/* the same keys: enrolled before, the state was lost */
		json_object_put(ans);
		printf("agent: %s was enrolled with these keys already\n",
		       ag->id);
		return remember(ag);
	}
	if (status != 201 || !str_of(ans, "credential") ||
	    !str_of(ans, "nonce")) {
		vt_err("agent", "enrolment refused (%ld): %s", status,
		       error_of(ans));
		json_object_put(ans);
		return VT_EXIT_USAGE;
	}
	ret = activate(ag, str_of(ans, "credential"), hex);
	if (ret) {
		json_object_put(ans);
		return ret;
	}
	req = json_object_new_object();
	json_object_object_add(req, "nonce", json_object_new_string(
				       str_of(ans, "nonce")));
	json_object_object_add(req, "secret", json_object_new_string(hex));
	json_object_object_add(req, "interval", json_object_new_int64(
				       (int64_t)ag->interval));
	json_object_put(ans);
	snprintf(path, sizeof(path), "/v1/enrol/activate");
	ret = call_retry(ag, "POST", path, json_object_to_json_string(req),
			 &status, &ans);
	json_object_put(req);
	if (ret)
		return VT_EXIT_SYSTEM;
	if (status != 200) {
		vt_err("agent", "activation refused (%ld): %s", status,
		       error_of(ans));
		json_object_put(ans);
		return VT_EXIT_USAGE;
	}
	json_object_put(ans);
	printf("agent: enrolled as %s\n", ag->id);
	return remember(ag);
}

/* One attestation: the verdict's exit status (0 trusted, 1 not). */
static int attest(struct agent *ag)
{
	json_object *ans = NULL, *bundle = NULL, *d;
	uint8_t nonce[32];
	char path[256];
	const char *n, *verdict;
	long status;
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "/v1/instances/%s/challenge", ag->id);
	if (call_retry(ag, "POST", path, NULL, &status, &ans))
		return VT_EXIT_SYSTEM;
	n = str_of(ans, "nonce");
	if (status != 201 || !n || strlen(n) != 64 ||
	    vt_unhex(nonce, sizeof(nonce), n, 64)) {
		vt_err("agent", "no challenge (%ld): %s", status,
		       error_of(ans));
		json_object_put(ans);
		return VT_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/v1/instances/%s/evidence?nonce=%s",
		 ag->id, n);
	json_object_put(ans);
	ret = vt_attest_quote(nonce, sizeof(nonce), ag->root, &bundle);
	if (ret)
		return ret;
	ret = call_retry(ag, "POST", path, json_object_to_json_string_ext(
				 bundle, JSON_C_TO_STRING_PLAIN |
				 JSON_C_TO_STRING_NOSLASHESCAPE), &status,
			 &ans);
	json_object_put(bundle);
	if (ret)
		return VT_EXIT_SYSTEM;
	verdict = str_of(ans, "verdict");
	if (status != 200 || !verdict) {
		vt_err("agent", "evidence refused (%ld): %s", status,
		       error_of(ans));
		json_object_put(ans);
		return VT_EXIT_SYSTEM;
	}
	printf("verdict: %s\n", verdict);
	d = json_object_object_get(ans, "differences");
	for (i = 0; d && i < json_object_array_length(d); i++) {
		json_object *x = json_object_array_get_idx(d, i);

		printf("  %s %s %s\n", str_of(x, "stage") ? str_of(x, "stage") :
		       "?", str_of(x, "kind") ? str_of(x, "kind") : "?",
		       str_of(x, "name") ? str_of(x, "name") : "");
	}
	fflush(stdout);
	ret = strcmp(verdict, "trusted") ? VT_EXIT_MISMATCH : VT_EXIT_OK;
	json_object_put(ans);
	return ret;
}

int cmd_agent(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "id", required_argument, NULL, 'i' },
		{ "once", no_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'n' },
		{ "ca", required_argument, NULL, 'c' },
		{ "alg", required_argument, NULL, 'a' },
		{ "state", required_argument, NULL, 'd' },
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent ag = { .state = STATE_DIR, .interval = 300 };
	char *end;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': ag.server = optarg; break;
		case 'i': snprintf(ag.id, sizeof(ag.id), "%s", optarg); break;
		case 'o': ag.once = true; break;
		case 'c': ag.ca = optarg; break;
		case 'a': ag.alg = optarg; break;
		case 'd': ag.state = optarg; break;
		case 'r': ag.root = optarg; break;
		case 'n':
			ag.interval = strtoul(optarg, &end, 10);
			if (*end || !ag.interval || ag.interval > 7 * 86400)
				return vt_usage_err("agent", "--interval %s: "
						    "not 1 to 604800 seconds",
						    optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return VT_EXIT_OK;
		default:
			return vt_usage_err("agent", "see --help");
		}
	}
	if (optind < argc)
		return vt_usage_err("agent", "unexpected '%s'", argv[optind]);
	if (!ag.server || (strncmp(ag.server, "http://", 7) &&
			   strncmp(ag.server, "https://", 8)))
		return vt_usage_err("agent", "--server http(s)://HOST:PORT is "
				    "needed");
	if (!ag.id[0] && gethostname(ag.id, sizeof(ag.id) - 1))
		return vt_usage_err("agent", "no host name: give --id");
	if (!vt_instance_id_ok(ag.id))
		return vt_usage_err("agent", "--id %s: 1 to 64 of A-Z a-z 0-9 "
				    ". _ -", ag.id);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) ||
	    !(ag.curl = curl_easy_init())) {
		vt_err("agent", "libcurl cannot start");
		return VT_EXIT_SYSTEM;
	}
	if (mkdir(ag.state, 0700) && errno != EEXIST) {
		vt_err(ag.state, "%s", strerror(errno));
		ret = VT_EXIT_SYSTEM;
	} else if (ag.once) {
		ret = enrolled(&ag) ? 0 : enrol(&ag);
		if (!ret)
			ret = attest(&ag);
	} else {
		/* until stopped: a failed step is tried again next time */
		for (;;) {
			ret = enrolled(&ag) ? 0 : enrol(&ag);
			if (!ret)
				attest(&ag);
			sleep(ag.interval);
		}
	}
	curl_easy_cleanup(ag.curl);
	curl_global_cleanup();
	return ret;
}
