// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrustd's HTTP side: libmicrohttpd with a pool of threads, each with its
 * own database connection (opened when first needed, again after the
 * server went away); requests read whole up to VT_HTTP_BODY_MAX; the route
 * table of api.c; operator routes behind a bearer token. See http.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/evp.h>

#include "http.h"
#include "store.h"

#define CONN_TIMEOUT	10	/* seconds: a slow client is dropped */
#define CONN_LIMIT	512

static _Thread_local struct vt_db *tdb;

void vt_sha256_hex(const void *s, size_t len, char out[65])
{
	static const char hx[] = "0123456789abcdef";
	uint8_t md[32];
	unsigned int i;

	EVP_Digest(s, len, md, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 15];
	}
	out[64] = '\0';
}

void vt_resp_error(struct vt_resp *resp, unsigned int status,
		   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_put(resp->json);
	resp->status = status;
	resp->json = json_object_new_object();
	json_object_object_add(resp->json, "error",
			       json_object_new_string(msg));
}

json_object *vt_req_json(struct vt_req *req, struct vt_resp *resp,
			 const char *const *known)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	json_object *o;
	unsigned int i;

	if (!tok) {
		vt_resp_error(resp, 500, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = req->len ? json_tokener_parse_ex(tok, req->body, req->len) : NULL;
	if (!o || json_tokener_get_parse_end(tok) != req->len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		vt_resp_error(resp, 400, "the body is not one JSON value: %s",
			      o ? "bytes after it" :
			      e == json_tokener_continue || !req->len ?
			      "it is cut off" : json_tokener_error_desc(e));
		json_object_put(o);
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		vt_resp_error(resp, 400, "the body is not a JSON object");
		json_object_put(o);
		return NULL;
	}
	json_object_object_foreach(o, key, val) {
		(void)val;
		for (i = 0; known[i]; i++)
			if (!strcmp(key, known[i]))
				break;
		if (!known[i]) {
			vt_resp_error(resp, 400, "unknown field \"%.64s\"", key);
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* @path against @pattern; the "{}" segment goes to @arg. */
static bool match(const char *pattern, const char *path, char *arg,
		  size_t arglen)
{
	const char *p = pattern, *s = path;
	size_t n;

	while (*p) {
		if (p[0] == '{' && p[1] == '}') {
			n = strcspn(s, "/");
			if (!n || n >= arglen)
				return false;
			memcpy(arg, s, n);
			arg[n] = '\0';
			s += n;
			p += 2;
			continue;
		}
		if (*p++ != *s++)
			return false;
	}
	return !*s;
}

/* The body limit of the route @method and @url name. */
static size_t body_max(const char *method, const char *url)
{
	char arg[72];
	unsigned int i;

	for (i = 0; i < vt_nr_routes; i++)
		if (!strcmp(vt_routes[i].method, method) &&
		    match(vt_routes[i].pattern, url, arg, sizeof(arg)))
			return vt_routes[i].max_body ? vt_routes[i].max_body :
			       VT_HTTP_BODY_MAX;
	return VT_HTTP_BODY_MAX;
}

static struct vt_db *thread_db(struct vt_srv *srv)
{
	char why[256];

	if (!tdb && vt_db_open(srv->db_url, &tdb, why, sizeof(why)))
		tdb = NULL;
	return tdb;
}

/* A token's hash among the database's: 0, or the answer's status. */
static unsigned int operator(struct vt_db *db, struct vt_req *req)
{
	static const char bearer[] = "Bearer ";
	char hash[65];
	const char *t;
	int ret;

	if (strncmp(req->auth, bearer, sizeof(bearer) - 1))
		return 401;
	t = req->auth + sizeof(bearer) - 1;
	vt_sha256_hex(t, strlen(t), hash);
	ret = vt_store_token_check(db, hash);
	return !ret ? 0 : ret == VT_STORE_UNKNOWN ? 401 : 503;
}

static void dispatch(struct vt_srv *srv, struct vt_req *req,
		     struct vt_resp *resp)
{
	const struct vt_route *r, *path_only = NULL;
	struct vt_db *db;
	unsigned int i, st;

	for (i = 0; i < vt_nr_routes; i++) {
		r = &vt_routes[i];
		if (!match(r->pattern, req->path, req->arg, sizeof(req->arg)))
			continue;
		if (strcmp(r->method, req->method)) {
			path_only = r;
			continue;
		}
		if (req->too_big) {
			vt_resp_error(resp, 413, "the body is larger than %zu "
				      "bytes", req->max);
			return;
		}
		db = thread_db(srv);
		if (!db) {
			vt_resp_error(resp, 503, "the database is not there");
			return;
		}
		if (r->auth == VT_AUTH_OPERATOR && (st = operator(db, req))) {
			vt_resp_error(resp, st, st == 401 ? "an operator "
				      "token is needed (Authorization: Bearer "
				      "TOKEN)" : "the database is not there");
			return;
		}
		r->fn(srv, db, req, resp);
		return;
	}
	if (path_only)
		vt_resp_error(resp, 405, "%s is not allowed here",
			      req->method);
	else
		vt_resp_error(resp, 404, "no such resource");
}

/* A database error while answering: 503 if it is away (the thread's
 * connection is made again for its next request), else 500. */
static void after(struct vt_resp *resp)
{
	if (resp->status == 503 && tdb) {
		vt_db_close(tdb);
		tdb = NULL;
	}
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *data,
			      size_t *size, void **ctx)
{
	struct vt_srv *srv = cls;
	struct vt_req *req = *ctx;
	struct vt_resp resp = { 0 };
	struct MHD_Response *r;
	const char *text, *auth;
	enum MHD_Result ret;
	char *nb;

	(void)version;
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		req->max = body_max(method, url);
		*ctx = req;
		return MHD_YES;
	}
	if (*size) {
		if (!req->too_big && req->len + *size <= req->max) {
			nb = realloc(req->body, req->len + *size + 1);
			if (!nb)
				return MHD_NO;
			req->body = nb;
			memcpy(req->body + req->len, data, *size);
			req->len += *size;
			req->body[req->len] = '\0';
		} else {
			req->too_big = true;
		}
		*size = 0;
		return MHD_YES;
	}
	req->method = method;
	req->path = url;
	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_AUTHORIZATION);
	snprintf(req->auth, sizeof(req->auth), "%s", auth ? auth : "");
	auth = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "nonce");
	snprintf(req->nonce, sizeof(req->nonce), "%s", auth ? auth : "");
	auth = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "verdict");
	/* a value too long to be one stays too long to be one */
	snprintf(req->verdict, sizeof(req->verdict), "%s", auth ? auth : "");
	dispatch(srv, req, &resp);
	after(&resp);
	if (resp.body && !resp.json) {
		r = MHD_create_response_from_buffer(resp.len, (void *)resp.body,
						    MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					resp.type);
		/* the page's own files only, no inline script */
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'self'; "
					"frame-ancestors 'none'");
		MHD_add_response_header(r, "X-Content-Type-Options",
					"nosniff");
		ret = MHD_queue_response(c, resp.status, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (!resp.json)
		vt_resp_error(&resp, 500, "no answer");
	text = json_object_to_json_string_ext(resp.json,
					      JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_MUST_COPY);
	if (!r) {
		json_object_put(resp.json);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	if (resp.status == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer");
	ret = MHD_queue_response(c, resp.status ? resp.status : 200, r);
	MHD_destroy_response(r);
	json_object_put(resp.json);
	return ret;
}

static void done(void *cls, struct MHD_Connection *c, void **ctx,
		 enum MHD_RequestTerminationCode why)
{
	struct vt_req *req = *ctx;

	(void)cls, (void)c, (void)why;
	if (req) {
		free(req->body);
		free(req);
		*ctx = NULL;
	}
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into @ss. */
static int parse_addr(const char *s, struct sockaddr_storage *ss,
		      char *why, size_t whylen)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (!colon || colon == s)
		goto bad;
	port = strtoul(colon + 1, &end, 10);
	if (*end || !colon[1] || port > 65535)
		goto bad;
	n = colon - s;
	if (s[0] == '[' && n >= 2 && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return 0;
	}
bad:
	snprintf(why, whylen, "--listen %s: not ADDR:PORT or [ADDR6]:PORT "
		 "(numeric)", s);
	return -1;
}

int vt_http_start(struct vt_srv *srv, const char *addr, unsigned int threads,
		  char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_USE_ERROR_LOG;
	struct MHD_OptionItem opts[8];
	unsigned int n = 0;

	if (parse_addr(addr, &ss, why, whylen))
		return -1;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &ss };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE,
					     threads, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
					     CONN_TIMEOUT, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
					     CONN_LIMIT, NULL };
	if (srv->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(why, whylen, "this libmicrohttpd has no TLS");
			return -1;
		}
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){
			MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert };
		opts[n++] = (struct MHD_OptionItem){
			MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key };
	}
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL, answer, srv,
				    MHD_OPTION_NOTIFY_COMPLETED, done, srv,
				    MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!srv->mhd) {
		snprintf(why, whylen, "cannot listen on %s%s", addr,
			 srv->tls_cert ? " (or the TLS certificate and key "
			 "do not go together)" : "");
		return -1;
	}
	return 0;
}

void vt_http_stop(struct vt_srv *srv)
{
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd);
	srv->mhd = NULL;
}
