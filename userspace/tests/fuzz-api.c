// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for vtrustd's request handling (http.c and api.c,
 * included whole for their static dispatch): the input's first byte picks
 * a method and path from a table (and whether a bearer token is sent),
 * the next bytes up to a NUL are the path's {} part, the query's nonce and
 * its verdict,
 * the rest is the body. Each request goes through the route table to its
 * handler on a migrated in-memory SQLite database, as vtrustd's threads
 * do, and must get an answer: a status from 200 to 599 and a JSON object
 * (for errors, one with "error"). Nothing is sent over a network.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../http.c"
#include "../api.c"
#include "ear.h"

static int64_t fixed_now(void)
{
	return 1800000000;
}

static const struct {
	const char *method, *path;	/* "{}": the input's argument */
} reqs[] = {
	{ "POST", "/v1/enrol" },
	{ "POST", "/v1/enrol/activate" },
	{ "POST", "/v1/instances/{}/challenge" },
	{ "POST", "/v1/instances/{}/evidence" },
	{ "POST", "/v1/instances/{}/accept" },
	{ "POST", "/v1/instances/{}/revoke" },
	{ "GET", "/v1/instances" },
	{ "GET", "/v1/instances/{}" },
	{ "GET", "/v1/instances/{}/baselines" },
	{ "DELETE", "/v1/instances/{}" },
	{ "GET", "/v1/jwks" },
	{ "GET", "{}" },
};

#define NR_REQS (sizeof(reqs) / sizeof(reqs[0]))

static struct vt_srv srv = { .db_url = "sqlite::memory:", .now = fixed_now };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vt_db *db;
	char why[256];
	char hash[65];

	(void)argc, (void)argv;
	db = thread_db(&srv);
	if (!db || vt_store_migrate(db, NULL, why, sizeof(why)))
		abort();
	/* an operator token "t" and an enrolled instance "i" */
	vt_sha256_hex("t", 1, hash);
	if (vt_store_token_add(db, hash, 0))
		abort();
	srv.ear_key = vt_ear_key(db, 0, srv.kid, why, sizeof(why));
	if (!srv.ear_key)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vt_req req = { 0 };
	struct vt_resp resp = { 0 };
	const uint8_t *nul;
	char path[160], arg[80];
	size_t alen, k;
	const char *p;
	char *o;

	if (!size)
		return 0;
	k = data[0] % NR_REQS;
	if (data[0] & 0x80)
		snprintf(req.auth, sizeof(req.auth), "Bearer t");
	data++;
	size--;
	nul = memchr(data, 0, size);
	alen = nul ? (size_t)(nul - data) : 0;
	if (alen >= sizeof(arg))
		alen = sizeof(arg) - 1;
	memcpy(arg, data, alen);
	arg[alen] = '\0';
	if (nul) {
		size -= nul + 1 - data;
		data = nul + 1;
	}
	/* the path with the argument in place of {} */
	for (p = reqs[k].path, o = path; *p && o < path + sizeof(path) - 1; p++) {
		if (p[0] == '{' && p[1] == '}') {
			o += snprintf(o, path + sizeof(path) - o, "%s", arg);
			if (o >= path + sizeof(path))
				o = path + sizeof(path) - 1;
			p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	req.method = reqs[k].method;
	req.path = path;
	req.max = body_max(req.method, req.path);
	snprintf(req.nonce, sizeof(req.nonce), "%s", arg);
	snprintf(req.verdict, sizeof(req.verdict), "%s", arg);
	req.body = malloc(size + 1);
	if (!req.body)
		return 0;
	memcpy(req.body, data, size);
	req.body[size] = '\0';
	req.len = size;
	req.too_big = size > req.max;
	dispatch(&srv, &req, &resp);
	if ((!resp.json && !resp.body) || resp.status < 200 || resp.status > 599 ||
	    (resp.status >= 400 &&
	     (!resp.json || !json_object_object_get_ex(resp.json, "error", NULL))))
		abort();
	json_object_put(resp.json);
	free(req.body);
	return 0;
}
