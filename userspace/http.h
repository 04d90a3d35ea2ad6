/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtrustd's HTTP side on libmicrohttpd: a request is read whole (up to a
 * limit), matched against a route table, and answered with JSON. Errors
 * are {"error": "..."} with a 4xx or 5xx status.
 */
#ifndef VTRUST_HTTP_H
#define VTRUST_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "db.h"

#define VT_HTTP_BODY_MAX	(64u << 10)	/* bigger bodies: 413 */

struct vt_srv {
	const char *db_url;
	char *tls_cert, *tls_key;	/* PEM text; NULL: plain HTTP */
	EVP_PKEY *ear_key;		/* signs the results (ear.h) */
	char kid[65];
	int64_t (*now)(void);		/* seconds since the epoch */
	struct MHD_Daemon *mhd;
};

struct vt_req {
	const char *method, *path;
	char *body;			/* NUL-terminated */
	size_t len, max;		/* max: the route's limit */
	bool too_big;
	char nonce[72];			/* the query's nonce= */
	char verdict[24];		/* the query's verdict= ("" if none) */
	char auth[256];			/* the Authorization header */
	char arg[72];			/* the route's {} part */
};

struct vt_resp {
	unsigned int status;
	json_object *json;
	/* or a static body (the status page's files) */
	const void *body;
	size_t len;
	const char *type;
};

/* Who may call a route. */
enum vt_auth {
	VT_AUTH_AGENT,			/* anyone: enrolment, challenges,
					   evidence (checked by signature) */
	VT_AUTH_OPERATOR,		/* a bearer token (vtrustd token create) */
};

struct vt_route {
	const char *method;
	const char *pattern;		/* "{}": one path segment, in arg */
	enum vt_auth auth;
	size_t max_body;		/* 0: VT_HTTP_BODY_MAX */
	void (*fn)(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		   struct vt_resp *resp);
};

/* api.c's routes */
extern const struct vt_route vt_routes[];
extern const unsigned int vt_nr_routes;

/* Start serving on @addr (IPv4 or IPv6 with port) with @threads. */
int vt_http_start(struct vt_srv *srv, const char *addr, unsigned int threads,
		  char *why, size_t whylen);
void vt_http_stop(struct vt_srv *srv);

/* An error answer: @status and {"error": printf(@fmt)}. */
void vt_resp_error(struct vt_resp *resp, unsigned int status,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The request's body as a JSON object whose keys are all in @known (a
 * NULL-terminated list): the object, or NULL after a 400 answer.
 */
json_object *vt_req_json(struct vt_req *req, struct vt_resp *resp,
			 const char *const *known);

/* The SHA-256 of @s in hex (tokens, secrets). */
void vt_sha256_hex(const void *s, size_t len, char out[65]);

#endif /* VTRUST_HTTP_H */
