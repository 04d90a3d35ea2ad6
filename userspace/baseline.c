// SPDX-License-Identifier: GPL-2.0
/*
 * Baselines: the schema check, loading and atomic saving; see baseline.h
 * and BASELINE.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "hash.h"
#include "util.h"
#include "vtrust.h"

static const char *const stage_names[VT_STAGE_COUNT] = {
	[VT_STAGE_FIRMWARE] = "firmware",
	[VT_STAGE_KERNEL] = "kernel",
	[VT_STAGE_IMA] = "ima",
	[VT_STAGE_VTRUST] = "vtrust",
};

const char *vt_stage_name(enum vt_stage s)
{
	return s < VT_STAGE_COUNT ? stage_names[s] : "?";
}

int vt_stage_parse(const char *s, enum vt_stage *out)
{
	unsigned int i;

	for (i = 0; i < VT_STAGE_COUNT; i++) {
		if (!strcmp(s, stage_names[i])) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

int vt_stage_of_pcr(uint32_t pcr)
{
	if (pcr == 4 || pcr == 8 || pcr == 9)
		return VT_STAGE_KERNEL;
	if (pcr < 8)
		return VT_STAGE_FIRMWARE;
	return -1;
}

/* ---- small helpers ---- */

json_object *vt_json_hex(const uint8_t *p, size_t len)
{
	char buf[2 * VT_DIGEST_MAX + 1], *h = buf;
	json_object *o;

	if (len > VT_DIGEST_MAX) {
		h = malloc(2 * len + 1);
		if (!h)
			return NULL;
	}
	vt_hex(h, p, len);
	o = json_object_new_string_len(h, 2 * len);
	if (h != buf)
		free(h);
	return o;
}

const char *vt_json_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void vt_now_iso(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool is_iso_time(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	unsigned int i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return false;
	return true;
}

long long vt_age_of(const char *iso)
{
	struct tm tm;
	time_t t;

	if (!iso || !is_iso_time(iso))
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (!strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	return (long long)(time(NULL) - t);
}

/* Length of the UTF-8 sequence at p (at most len bytes), or 0 if invalid. */
static size_t utf8_len(const uint8_t *p, size_t len)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	c = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		return 0;
	return n;
}

void vt_safe_name(const uint8_t *p, size_t len, char *out)
{
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = p[i] >= 0x20 && p[i] != 0x7f ? utf8_len(p + i, len - i) : 0;
		if (n) {
			if (o + n > VT_NAME_MAX)
				break;
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		if (o + 4 > VT_NAME_MAX)
			break;
		snprintf(out + o, 5, "\\x%02x", p[i]);
		o += 4;
		i++;
	}
	out[o] = '\0';
}

/* ---- the schema check ---- */

struct vctx {
	char *why;
	size_t whylen;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct vctx *c, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->why, c->whylen, "%s%s%s", path, *path ? ": " : "", msg);
	return -1;
}

/* Every key of @o is one of @keys, and each of @keys is there. */
static int check_keys(struct vctx *c, const char *path, json_object *o,
		      const char *const *keys)
{
	unsigned int i, n = 0;

	if (!json_object_is_type(o, json_type_object))
		return bad(c, path, "not an object");
	json_object_object_foreach(o, key, val) {
		(void)val;
		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i])
			return bad(c, path, "unknown key \"%.64s\"", key);
		n++;
	}
	for (i = 0; keys[i]; i++)
		if (!json_object_object_get_ex(o, keys[i], NULL))
			return bad(c, path, "no \"%s\"", keys[i]);
	return 0;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Paths in messages; a long one is cut, which is fine for a message. */
static void sub(char *out, size_t size, const char *path, const char *key)
{
	if (snprintf(out, size, "%s%s%s", path, *path ? "." : "", key) < 0)
		out[0] = '\0';
}

static void idx(char *out, size_t size, const char *path, size_t i)
{
	if (snprintf(out, size, "%s[%zu]", path, i) < 0)
		out[0] = '\0';
}

static int check_str(struct vctx *c, const char *path, json_object *v,
		     size_t max, bool null_ok)
{
	size_t len;

	if (!v && null_ok)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(c, path, null_ok ? "not a string or null" :
			   "not a string");
	len = json_object_get_string_len(v);
	if (!len || len > max)
		return bad(c, path, "a string of %zu bytes, not 1-%zu", len,
			   max);
	if (memchr(json_object_get_string(v), '\0', len))
		return bad(c, path, "a string with a NUL");
	return 0;
}

static int check_int(struct vctx *c, const char *path, json_object *v,
		     int64_t min, int64_t max, int64_t *out)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return bad(c, path, "not an integer");
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < min || n > max)
		return bad(c, path, "not %lld-%lld", (long long)min,
			   (long long)max);
	if (out)
		*out = n;
	return 0;
}

static bool is_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int check_hex(struct vctx *c, const char *path, json_object *v,
		     size_t bytes)
{
	if (!json_object_is_type(v, json_type_string))
		return bad(c, path, "not a string");
	if ((size_t)json_object_get_string_len(v) != 2 * bytes ||
	    !is_hex(json_object_get_string(v), 2 * bytes))
		return bad(c, path, "not %zu lowercase hex digits", 2 * bytes);
	return 0;
}

/* A bank by vtrust's own name ("sha256", "sm3_256"), exactly. */
static const struct vt_alg *bank_named(const char *s)
{
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (!strcmp(s, vt_algs[i].name))
			return &vt_algs[i];
	return NULL;
}

/* "<algo>:<hex>", the file digest of a list entry. */
static int check_digest_str(struct vctx *c, const char *path, json_object *v)
{
	const char *s, *colon;
	size_t alen, hlen, i;

	if (!json_object_is_type(v, json_type_string))
		return bad(c, path, "not a string");
	s = json_object_get_string(v);
	colon = strchr(s, ':');
	if (!colon)
		return bad(c, path, "not \"<algo>:<hex>\"");
	alen = colon - s;
	hlen = strlen(colon + 1);
	if (!alen || alen > 32)
		return bad(c, path, "algorithm of %zu characters", alen);
	for (i = 0; i < alen; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return bad(c, path, "algorithm with '%c'", s[i]);
	if (hlen % 2 || hlen > 2 * VT_DIGEST_MAX || !is_hex(colon + 1, hlen))
		return bad(c, path, "digest is not 0-%u lowercase hex bytes",
			   VT_DIGEST_MAX);
	return 0;
}

/* {"sha256": "<hex>", ...}: at least one known bank. */
static int check_digests(struct vctx *c, const char *path, json_object *v)
{
	const struct vt_alg *alg;
	char p[512];
	int n = 0;

	if (!json_object_is_type(v, json_type_object))
		return bad(c, path, "not an object");
	json_object_object_foreach(v, key, val) {
		sub(p, sizeof(p), path, key);
		alg = bank_named(key);
		if (!alg)
			return bad(c, path, "unknown bank \"%.32s\"", key);
		if (check_hex(c, p, val, alg->size))
			return -1;
		n++;
	}
	if (!n)
		return bad(c, path, "no digests");
	return 0;
}

static int check_pcrs(struct vctx *c, json_object *v)
{
	const struct vt_alg *alg;
	json_object *e;
	char p[128];
	size_t i;

	if (!json_object_is_type(v, json_type_object))
		return bad(c, "pcrs", "not an object");
	json_object_object_foreach(v, key, val) {
		alg = bank_named(key);
		if (!alg)
			return bad(c, "pcrs", "unknown bank \"%.32s\"", key);
		if (!json_object_is_type(val, json_type_array) ||
		    json_object_array_length(val) != VT_PCR_COUNT)
			return bad(c, "pcrs", "%s is not an array of %u values",
				   key, VT_PCR_COUNT);
		for (i = 0; i < VT_PCR_COUNT; i++) {
			e = json_object_array_get_idx(val, i);
			snprintf(p, sizeof(p), "pcrs.%s[%zu]", key, i);
			if (e && check_hex(c, p, e, alg->size))
				return -1;
		}
	}
	return 0;
}

/* The fields of an event (of a stage or an exception). */
static int check_event_fields(struct vctx *c, const char *path, json_object *v,
			      enum vt_stage stage)
{
	char p[512];
	int64_t pcr;

	sub(p, sizeof(p), path, "pcr");
	if (check_int(c, p, get(v, "pcr"), 0, VT_PCR_COUNT - 1, &pcr))
		return -1;
	if (vt_stage_of_pcr(pcr) != (int)stage)
		return bad(c, p, "PCR %lld is not of stage %s", (long long)pcr,
			   vt_stage_name(stage));
	sub(p, sizeof(p), path, "type");
	if (check_str(c, p, get(v, "type"), 64, false))
		return -1;
	sub(p, sizeof(p), path, "name");
	if (check_str(c, p, get(v, "name"), VT_NAME_MAX, false))
		return -1;
	sub(p, sizeof(p), path, "digests");
	return check_digests(c, p, get(v, "digests"));
}

static int check_event(struct vctx *c, const char *path, json_object *v,
		       enum vt_stage stage)
{
	static const char *const keys[] = {
		"pcr", "type", "name", "digests", NULL
	};

	if (check_keys(c, path, v, keys))
		return -1;
	return check_event_fields(c, path, v, stage);
}

static int check_events(struct vctx *c, const char *path, json_object *v,
			enum vt_stage stage)
{
	char p[128];
	size_t i, n;

	if (!json_object_is_type(v, json_type_array))
		return bad(c, path, "not an array");
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		idx(p, sizeof(p), path, i);
		if (check_event(c, p, json_object_array_get_idx(v, i), stage))
			return -1;
	}
	return 0;
}

static int check_runtime(struct vctx *c, const char *path, json_object *v)
{
	static const char *const keys[] = { "pcr", "components", NULL };
	json_object *comps;
	char p[VT_NAME_MAX + 128];
	size_t i, n;

	if (!v)
		return 0;
	if (check_keys(c, path, v, keys))
		return -1;
	sub(p, sizeof(p), path, "pcr");
	if (check_int(c, p, get(v, "pcr"), 0, VT_PCR_COUNT - 1, NULL))
		return -1;
	comps = get(v, "components");
	sub(p, sizeof(p), path, "components");
	if (!json_object_is_type(comps, json_type_object))
		return bad(c, p, "not an object");
	json_object_object_foreach(comps, key, val) {
		snprintf(p, sizeof(p), "%s.components[\"%.64s\"]", path, key);
		if (!*key || strlen(key) > VT_NAME_MAX)
			return bad(c, p, "name of %zu bytes, not 1-%u",
				   strlen(key), VT_NAME_MAX);
		if (!json_object_is_type(val, json_type_array) ||
		    !(n = json_object_array_length(val)))
			return bad(c, p, "not an array of digests");
		for (i = 0; i < n; i++)
			if (check_digest_str(c, p,
					     json_object_array_get_idx(val, i)))
				return -1;
	}
	return 0;
}

static int check_stages(struct vctx *c, json_object *v)
{
	static const char *const keys[] = {
		"firmware", "kernel", "ima", "vtrust", NULL
	};

	if (check_keys(c, "stages", v, keys) ||
	    check_events(c, "stages.firmware", get(v, "firmware"),
			 VT_STAGE_FIRMWARE) ||
	    check_events(c, "stages.kernel", get(v, "kernel"),
			 VT_STAGE_KERNEL) ||
	    check_runtime(c, "stages.ima", get(v, "ima")) ||
	    check_runtime(c, "stages.vtrust", get(v, "vtrust")))
		return -1;
	return 0;
}

static int check_id(struct vctx *c, const char *path, json_object *v)
{
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) != 16 ||
	    !is_hex(json_object_get_string(v), 16))
		return bad(c, path, "not an event ID (16 lowercase hex digits)");
	return 0;
}

static int check_exception(struct vctx *c, const char *path, json_object *v)
{
	static const char *const ordered_keys[] = {
		"id", "stage", "kind", "pcr", "type", "name", "digests", NULL
	};
	static const char *const runtime_keys[] = {
		"id", "stage", "kind", "name", "digest", NULL
	};
	enum vt_stage stage;
	const char *s, *kind;
	char p[512];

	if (!json_object_is_type(v, json_type_object))
		return bad(c, path, "not an object");
	s = vt_json_str(v, "stage");
	if (!s || vt_stage_parse(s, &stage))
		return bad(c, path, "no known \"stage\"");
	if (check_keys(c, path, v, vt_stage_ordered(stage) ? ordered_keys :
		       runtime_keys))
		return -1;
	sub(p, sizeof(p), path, "id");
	if (check_id(c, p, get(v, "id")))
		return -1;
	kind = vt_json_str(v, "kind");
	if (!kind || (vt_stage_ordered(stage) ?
		      strcmp(kind, "changed") && strcmp(kind, "added") &&
		      strcmp(kind, "removed") :
		      strcmp(kind, "changed") && strcmp(kind, "new")))
		return bad(c, path, "\"kind\" is not one of stage %s's",
			   vt_stage_name(stage));
	if (!vt_stage_ordered(stage)) {
		sub(p, sizeof(p), path, "name");
		if (check_str(c, p, get(v, "name"), VT_NAME_MAX, false))
			return -1;
		sub(p, sizeof(p), path, "digest");
		return check_digest_str(c, p, get(v, "digest"));
	}
	return check_event_fields(c, path, v, stage);
}

static int check_history(struct vctx *c, const char *path, json_object *v)
{
	static const char *const keys[] = {
		"time", "action", "uid", "user", "sudo_user", "reason",
		"events", NULL
	};
	json_object *events;
	const char *s;
	char p[128];
	size_t i, n;

	if (check_keys(c, path, v, keys))
		return -1;
	s = vt_json_str(v, "time");
	if (!s || !is_iso_time(s))
		return bad(c, path, "\"time\" is not a UTC time");
	s = vt_json_str(v, "action");
	if (!s || (strcmp(s, "init") && strcmp(s, "accept")))
		return bad(c, path, "\"action\" is not init or accept");
	sub(p, sizeof(p), path, "uid");
	if (check_int(c, p, get(v, "uid"), 0, UINT32_MAX, NULL))
		return -1;
	sub(p, sizeof(p), path, "user");
	if (check_str(c, p, get(v, "user"), 256, true))
		return -1;
	sub(p, sizeof(p), path, "sudo_user");
	if (check_str(c, p, get(v, "sudo_user"), 256, true))
		return -1;
	sub(p, sizeof(p), path, "reason");
	if (check_str(c, p, get(v, "reason"), 4096, true))
		return -1;
	events = get(v, "events");
	sub(p, sizeof(p), path, "events");
	if (!json_object_is_type(events, json_type_array))
		return bad(c, p, "not an array");
	n = json_object_array_length(events);
	for (i = 0; i < n; i++) {
		idx(p, sizeof(p), path, i);
		if (check_id(c, p, json_object_array_get_idx(events, i)))
			return -1;
	}
	return 0;
}

static int check_array(struct vctx *c, const char *path, json_object *v,
		       int (*fn)(struct vctx *, const char *, json_object *))
{
	char p[64];
	size_t i, n;

	if (!json_object_is_type(v, json_type_array))
		return bad(c, path, "not an array");
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		idx(p, sizeof(p), path, i);
		if (fn(c, p, json_object_array_get_idx(v, i)))
			return -1;
	}
	return 0;
}

static int check_doc(struct vctx *c, json_object *doc)
{
	static const char *const keys[] = {
		"format", "version", "created", "updated", "host",
		"kernel_release", "pcrs", "stages", "exceptions", "history",
		"checksum", NULL
	};
	const char *s;

	if (check_keys(c, "", doc, keys))
		return -1;
	s = vt_json_str(doc, "format");
	if (!s || strcmp(s, VT_BASELINE_FORMAT))
		return bad(c, "format", "not \"%s\"", VT_BASELINE_FORMAT);
	if (check_int(c, "version", get(doc, "version"), VT_BASELINE_VERSION,
		      VT_BASELINE_VERSION, NULL))
		return -1;
	s = vt_json_str(doc, "created");
	if (!s || !is_iso_time(s))
		return bad(c, "created", "not a UTC time");
	s = vt_json_str(doc, "updated");
	if (!s || !is_iso_time(s))
		return bad(c, "updated", "not a UTC time");
	if (check_str(c, "host", get(doc, "host"), 256, true) ||
	    check_str(c, "kernel_release", get(doc, "kernel_release"), 256,
		      true) ||
	    check_pcrs(c, get(doc, "pcrs")) ||
	    check_stages(c, get(doc, "stages")) ||
	    check_array(c, "exceptions", get(doc, "exceptions"),
			check_exception) ||
	    check_array(c, "history", get(doc, "history"), check_history))
		return -1;
	s = vt_json_str(doc, "checksum");
	if (!s || strncmp(s, "sha256:", 7) || strlen(s) != 7 + 64 ||
	    !is_hex(s + 7, 64))
		return bad(c, "checksum", "not \"sha256:<64 hex digits>\"");
	return 0;
}

int vt_baseline_checksum(json_object *doc, char *out, size_t size)
{
	json_object *sum = NULL;
	struct vt_hash h;
	uint8_t d[32];
	const char *text;
	int ret = -1;

	if (size < 7 + 65)
		return -1;
	/* the document without its checksum, as compact JSON */
	if (json_object_object_get_ex(doc, "checksum", &sum)) {
		json_object_get(sum);
		json_object_object_del(doc, "checksum");
	}
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text && !vt_hash_init(&h, &vt_algs[VT_ALG_SHA256])) {
		if (!vt_hash_digest(&h, text, strlen(text), d)) {
			memcpy(out, "sha256:", 7);
			vt_hex(out + 7, d, 32);
			ret = 0;
		}
		vt_hash_free(&h);
	}
	if (sum)
		json_object_object_add(doc, "checksum", sum);
	return ret;
}

int vt_baseline_parse(const char *text, size_t len, json_object **out,
		      char *why, size_t whylen)
{
	struct vctx c = { why, whylen };
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	json_object *doc;
	char sum[80];
	const char *want;

	*out = NULL;
	if (len > VT_BASELINE_MAX || len > INT32_MAX)
		return bad(&c, "", "larger than %u MiB", VT_BASELINE_MAX >> 20);
	if (memchr(text, '\0', len))
		return bad(&c, "", "not JSON: a NUL byte");
	tok = json_tokener_new_ex(64);
	if (!tok)
		return bad(&c, "", "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!doc || jerr != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		/* whitespace after the document is fine */
		size_t end = json_tokener_get_parse_end(tok);

		while (doc && jerr == json_tokener_success && end < len &&
		       (text[end] == ' ' || text[end] == '\n' ||
			text[end] == '\t' || text[end] == '\r'))
			end++;
		if (!doc || jerr != json_tokener_success || end != len) {
			snprintf(why, whylen, "not JSON: %s at byte %zu",
				 jerr != json_tokener_success ?
				 json_tokener_error_desc(jerr) :
				 doc ? "text after the document" :
				 "the document is cut off",
				 json_tokener_get_parse_end(tok));
			json_object_put(doc);
			json_tokener_free(tok);
			return -1;
		}
	}
	json_tokener_free(tok);
	if (check_doc(&c, doc))
		goto fail;
	want = vt_json_str(doc, "checksum");
	if (vt_baseline_checksum(doc, sum, sizeof(sum))) {
		bad(&c, "", "cannot compute the checksum");
		goto fail;
	}
	if (strcmp(sum, want)) {
		bad(&c, "checksum", "does not match the content: the file was changed outside vtrust");
		goto fail;
	}
	*out = doc;
	return 0;
fail:
	json_object_put(doc);
	return -1;
}

int vt_baseline_load(const char *path, json_object **out)
{
	char why[512];
	uint8_t *buf;
	size_t len;
	int ret;

	ret = vt_read_file(path, VT_BASELINE_MAX, &buf, &len);
	if (ret == -ENOENT) {
		vt_err(path, "no baseline (create one with 'vtrust baseline init' or 'vtrust verify --init')");
		return VT_EXIT_USAGE;
	}
	if (ret) {
		vt_err(path, "%s", ret == -EFBIG ? "larger than any baseline" :
		       strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	ret = vt_baseline_parse(buf ? (const char *)buf : "", len, out, why,
				sizeof(why));
	free(buf);
	if (ret) {
		vt_err(path, "broken baseline: %s", why);
		return VT_EXIT_USAGE;
	}
	return 0;
}

/* ---- atomic save ---- */

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* mkdir -p: the baseline's own directory 0700, its parents 0755. */
static int make_dir(const char *dir, mode_t mode)
{
	char copy[PATH_MAX], parent[PATH_MAX];
	struct stat st;
	int ret;

	if (!stat(dir, &st))
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (errno != ENOENT)
		return -errno;
	snprintf(copy, sizeof(copy), "%s", dir);
	snprintf(parent, sizeof(parent), "%s", dirname(copy));
	if (strcmp(parent, dir) && strcmp(parent, "/") && strcmp(parent, ".")) {
		ret = make_dir(parent, 0755);
		if (ret)
			return ret;
	}
	if (mkdir(dir, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

int vt_baseline_save(const char *path, json_object *doc)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16], sum[80];
	const char *text;
	int fd, dfd, ret;

	if (strlen(path) >= sizeof(dir)) {
		vt_err(path, "path too long");
		return VT_EXIT_SYSTEM;
	}
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	ret = make_dir(dir, 0700);
	if (ret) {
		vt_err(dir, "cannot create the directory: %s", strerror(-ret));
		return VT_EXIT_SYSTEM;
	}
	if (vt_baseline_checksum(doc, sum, sizeof(sum))) {
		vt_err(path, "cannot compute the checksum");
		return VT_EXIT_SYSTEM;
	}
	json_object_object_add(doc, "checksum", json_object_new_string(sum));
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		vt_err(path, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		vt_err(tmp, "%s", strerror(errno));
		return VT_EXIT_SYSTEM;
	}
	ret = fchmod(fd, 0600) ? -errno : 0;
	if (!ret)
		ret = write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		vt_err(path, "cannot write the baseline: %s", strerror(-ret));
		unlink(tmp);
		return VT_EXIT_SYSTEM;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* some file systems (9p) cannot sync a directory: the rename stands */
	if (dfd < 0 || (fsync(dfd) && errno != EINVAL && errno != ENOTSUP &&
			errno != EROFS)) {
		vt_err(dir, "cannot sync the directory: %s", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return VT_EXIT_SYSTEM;
	}
	close(dfd);
	return 0;
}
