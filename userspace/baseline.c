// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baselines: the schema check, loading and atomic saving; see baseline.h
 * and BASELINE.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "bindex.h"
#include "compset.h"
#include "jsonread.h"
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
	if (pcr >= VT_PCR_COUNT)
		return -1;
	if (pcr == 4 || pcr >= 8)
		return VT_STAGE_KERNEL;
	return VT_STAGE_FIRMWARE;
}

/* ---- small helpers ---- */

json_object *vt_json_text(const char *text)
{
	size_t len = strlen(text);
	json_object *o;
	char *out;

	if (vt_name_valid(text, len, len + 1))
		return json_object_new_string(text);
	out = malloc(4 * len + VT_NAME_CUT_LEN + 2);
	if (!out)
		return NULL;
	vt_name_escape((const uint8_t *)text, len, out,
		       4 * len + VT_NAME_CUT_LEN + 1 < VT_NAME_MIN_MAX ?
		       VT_NAME_MIN_MAX : 4 * len + VT_NAME_CUT_LEN + 1, NULL);
	o = json_object_new_string(out);
	free(out);
	return o;
}

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

void vt_safe_name(const uint8_t *p, size_t len, char *out)
{
	vt_name_escape(p, len, out, VT_NAME_MAX, NULL);
}

/* ---- the schema check ---- */

struct vctx {
	char *why;
	size_t whylen;
	/* where the runtime stages' components lie (NULL: not wanted) */
	struct vt_bindex_range *ranges;
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

static bool in_list(const char *const *keys, const char *key)
{
	for (; keys && *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

/* Every key of @o is one of @keys or @opt, and each of @keys is there. */
static int check_keys(struct vctx *c, const char *path, json_object *o,
		      const char *const *keys, const char *const *opt)
{
	unsigned int i;

	if (!json_object_is_type(o, json_type_object))
		return bad(c, path, "not an object");
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (!in_list(keys, key) && !in_list(opt, key))
			return bad(c, path, "unknown key \"%.64s\"", key);
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

/* A string as the name escape writes it (names.h), 1 to @max bytes. */
static int check_name(struct vctx *c, const char *path, json_object *v,
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
	if (!vt_name_valid(json_object_get_string(v), len, max))
		return bad(c, path, "a string with a control, C1 or bidi character (not escaped)");
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
	static const bool hex[256] = {
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
		['f'] = 1,
	};
	size_t i;

	for (i = 0; i < len; i++)
		if (!hex[(uint8_t)s[i]])
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

/*
 * What is wrong with "<algo>:<hex>" (@len bytes), the file digest of a
 * list entry: NULL if nothing, else the reason (in @buf or static).
 */
static const char *digest_problem(const char *s, size_t len, char *buf,
				  size_t size)
{
	const char *colon = memchr(s, ':', len);
	size_t alen, hlen, i;

	/* (a NUL byte is neither in the algorithm nor in the hex) */
	if (!colon)
		return "not \"<algo>:<hex>\"";
	alen = colon - s;
	hlen = len - alen - 1;
	if (!alen || alen > 32) {
		snprintf(buf, size, "algorithm of %zu characters", alen);
		return buf;
	}
	for (i = 0; i < alen; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-')) {
			snprintf(buf, size, "algorithm with '%c'", s[i]);
			return buf;
		}
	if (hlen % 2 || hlen > 2 * VT_DIGEST_MAX || !is_hex(colon + 1, hlen)) {
		snprintf(buf, size, "digest is not 0-%u lowercase hex bytes",
			 VT_DIGEST_MAX);
		return buf;
	}
	return NULL;
}

static int check_digest_text(struct vctx *c, const char *path, const char *s,
			     size_t len)
{
	char buf[64];
	const char *why = digest_problem(s, len, buf, sizeof(buf));

	return why ? bad(c, path, "%s", why) : 0;
}

static int check_digest_str(struct vctx *c, const char *path, json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return bad(c, path, "not a string");
	return check_digest_text(c, path, json_object_get_string(v),
				 json_object_get_string_len(v));
}

/* A non-empty array of "<algo>:<hex>". */
static int check_digest_arr(struct vctx *c, const char *path, json_object *v)
{
	size_t i, n;

	if (!json_object_is_type(v, json_type_array) ||
	    !(n = json_object_array_length(v)))
		return bad(c, path, "not an array of digests");
	for (i = 0; i < n; i++)
		if (check_digest_str(c, path, json_object_array_get_idx(v, i)))
			return -1;
	return 0;
}

/*
 * The members of a runtime stage's "components", as the loader reads them
 * into a set: a name (escaped, 1 to VT_NAME_MAX bytes) once, then each of
 * its digests once.
 */
static int comp_name(struct vctx *c, const char *path, struct vt_compset *set,
		     const char *name, size_t len, struct vt_comp **out)
{
	if (!vt_name_valid(name, len, VT_NAME_MAX))
		return bad(c, path, "[\"%.64s\"]: a name of %zu bytes, not 1-%u, or with a control, C1 or bidi character",
			   name, len, VT_NAME_MAX);
	/* a name twice is found when the set is settled (comps_settle) */
	*out = vt_compset_append(set, name, len);
	return *out ? 0 : bad(c, path, "out of memory");
}

static int comps_settle(struct vctx *c, const char *path,
			struct vt_compset *set)
{
	const char *dup;
	int ret = vt_compset_settle(set, &dup);

	if (ret > 0)
		return bad(c, path, "[\"%.64s\"]: a name twice", dup);
	return ret ? bad(c, path, "out of memory") : 0;
}

static int comp_digest(struct vctx *c, const char *path,
		       struct vt_compset *set, struct vt_comp *comp,
		       const char *digest, size_t len)
{
	const char *why;
	char buf[64];
	int ret;

	why = digest_problem(digest, len, buf, sizeof(buf));
	if (!why) {
		ret = vt_comp_add(set, comp, digest, len, -1);
		if (ret > 0)
			return 0;
		why = ret ? "out of memory" : "a digest twice";
	}
	return bad(c, path, "[\"%.64s\"]: %s", comp->name, why);
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

/* "pcr" of @v: an integer of a PCR of @stage. */
static int check_stage_pcr(struct vctx *c, const char *path, json_object *v,
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
	return 0;
}

/* pcr, type and name of an event (of a stage, retired or a record) */
static int check_what(struct vctx *c, const char *path, json_object *v,
		      enum vt_stage stage)
{
	char p[512];

	if (check_stage_pcr(c, path, v, stage))
		return -1;
	sub(p, sizeof(p), path, "type");
	if (check_name(c, p, get(v, "type"), 64, false))
		return -1;
	sub(p, sizeof(p), path, "name");
	return check_name(c, p, get(v, "name"), VT_NAME_MAX, false);
}

static int check_event(struct vctx *c, const char *path, json_object *v,
		       enum vt_stage stage)
{
	static const char *const keys[] = {
		"pcr", "type", "name", "digests", NULL
	};
	char p[512];

	if (check_keys(c, path, v, keys, NULL) ||
	    check_what(c, path, v, stage))
		return -1;
	sub(p, sizeof(p), path, "digests");
	return check_digests(c, p, get(v, "digests"));
}

static int check_array(struct vctx *c, const char *path, json_object *v,
		       int (*fn)(struct vctx *, const char *, json_object *))
{
	char p[128];
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

static int check_fw_event(struct vctx *c, const char *path, json_object *v)
{
	return check_event(c, path, v, VT_STAGE_FIRMWARE);
}

static int check_kernel_event(struct vctx *c, const char *path,
			      json_object *v)
{
	return check_event(c, path, v, VT_STAGE_KERNEL);
}

static int check_events(struct vctx *c, const char *path, json_object *v,
			enum vt_stage stage)
{
	return check_array(c, path, v, stage == VT_STAGE_FIRMWARE ?
			   check_fw_event : check_kernel_event);
}

/* An array of unique names. */
static int check_violations(struct vctx *c, const char *path, json_object *v)
{
	json_object *seen;
	char p[128];
	size_t i, n;
	int ret = 0;

	if (!json_object_is_type(v, json_type_array))
		return bad(c, path, "not an array");
	seen = json_object_new_object();
	if (!seen)
		return bad(c, path, "out of memory");
	n = json_object_array_length(v);
	for (i = 0; !ret && i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		idx(p, sizeof(p), path, i);
		ret = check_name(c, p, e, VT_NAME_MAX, false);
		if (!ret && json_object_object_get_ex(seen,
						      json_object_get_string(e),
						      NULL))
			ret = bad(c, p, "a name twice");
		if (!ret && json_object_object_add(seen,
						   json_object_get_string(e),
						   NULL))
			ret = bad(c, path, "out of memory");
	}
	json_object_put(seen);
	return ret;
}

static int check_runtime(struct vctx *c, const char *path, json_object *v,
			 enum vt_stage stage)
{
	static const char *const vt_keys[] = { "pcr", "components", NULL };
	static const char *const ima_keys[] = {
		"pcr", "components", "violations", NULL
	};
	char p[VT_NAME_MAX + 128];

	if (!v)
		return 0;
	if (check_keys(c, path, v, stage == VT_STAGE_IMA ? ima_keys : vt_keys,
		       NULL))
		return -1;
	sub(p, sizeof(p), path, "pcr");
	if (check_int(c, p, get(v, "pcr"), 0, VT_PCR_COUNT - 1, NULL))
		return -1;
	if (stage == VT_STAGE_IMA) {
		sub(p, sizeof(p), path, "violations");
		if (check_violations(c, p, get(v, "violations")))
			return -1;
	}
	/* the loader read and checked them into a set (comp_name, comp_digest) */
	sub(p, sizeof(p), path, "components");
	if (!vt_compset_of(get(v, "components")))
		return bad(c, p, "not an object");
	return 0;
}

static int check_stages(struct vctx *c, json_object *v)
{
	static const char *const keys[] = {
		"firmware", "kernel", "ima", "vtrust", NULL
	};

	if (check_keys(c, "stages", v, keys, NULL) ||
	    check_events(c, "stages.firmware", get(v, "firmware"),
			 VT_STAGE_FIRMWARE) ||
	    check_events(c, "stages.kernel", get(v, "kernel"),
			 VT_STAGE_KERNEL) ||
	    check_runtime(c, "stages.ima", get(v, "ima"), VT_STAGE_IMA) ||
	    check_runtime(c, "stages.vtrust", get(v, "vtrust"),
			  VT_STAGE_VTRUST))
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

/* "stage" of @v, which must be a known one. */
static int check_stage_key(struct vctx *c, const char *path, json_object *v,
			   enum vt_stage *stage)
{
	const char *s;

	if (!json_object_is_type(v, json_type_object))
		return bad(c, path, "not an object");
	s = vt_json_str(v, "stage");
	if (!s || vt_stage_parse(s, stage))
		return bad(c, path, "no known \"stage\"");
	return 0;
}

/* A value that is not a baseline's any more (BASELINE.md, "retired"). */
static int check_retired(struct vctx *c, const char *path, json_object *v)
{
	static const char *const ordered_keys[] = {
		"stage", "pcr", "type", "name", "digests", NULL
	};
	static const char *const runtime_keys[] = {
		"stage", "name", "digest", NULL
	};
	enum vt_stage stage;
	char p[512];

	if (check_stage_key(c, path, v, &stage))
		return -1;
	if (vt_stage_ordered(stage)) {
		sub(p, sizeof(p), path, "digests");
		return check_keys(c, path, v, ordered_keys, NULL) ||
		       check_what(c, path, v, stage) ||
		       check_digests(c, p, get(v, "digests"));
	}
	if (check_keys(c, path, v, runtime_keys, NULL))
		return -1;
	sub(p, sizeof(p), path, "name");
	if (check_name(c, p, get(v, "name"), VT_NAME_MAX, false))
		return -1;
	sub(p, sizeof(p), path, "digest");
	return check_digest_str(c, p, get(v, "digest"));
}

/* The kinds of difference of each stage (compare.h). */
static bool kind_ok(enum vt_stage stage, const char *kind)
{
	static const char *const ordered[] = {
		"changed", "added", "removed", "rollback", NULL
	};
	static const char *const runtime[] = {
		"changed", "new", "rollback", "missing", NULL
	};

	if (!kind)
		return false;
	if (stage == VT_STAGE_IMA && !strcmp(kind, "violation"))
		return true;
	return in_list(vt_stage_ordered(stage) ? ordered : runtime, kind);
}

/* "old" and "new" of a record: digests of an event, or of a component. */
static int check_values(struct vctx *c, const char *path, json_object *v,
			enum vt_stage stage)
{
	json_object *old = get(v, "old"), *cur = get(v, "new");
	char p[512];

	sub(p, sizeof(p), path, "old");
	if (old && (vt_stage_ordered(stage) ? check_digests(c, p, old) :
		    check_digest_arr(c, p, old)))
		return -1;
	sub(p, sizeof(p), path, "new");
	if (cur && (vt_stage_ordered(stage) ? check_digests(c, p, cur) :
		    check_digest_str(c, p, cur)))
		return -1;
	return 0;
}

/* An accepted difference (exceptions, and history's "differences"). */
static int check_record(struct vctx *c, const char *path, json_object *v)
{
	static const char *const keys[] = {
		"id", "stage", "kind", "pcr", "type", "name", "old", "new", NULL
	};
	enum vt_stage stage;
	char p[512];

	if (check_stage_key(c, path, v, &stage) ||
	    check_keys(c, path, v, keys, NULL))
		return -1;
	sub(p, sizeof(p), path, "id");
	if (check_id(c, p, get(v, "id")))
		return -1;
	if (!kind_ok(stage, vt_json_str(v, "kind")))
		return bad(c, path, "\"kind\" is not one of stage %s's",
			   vt_stage_name(stage));
	if (vt_stage_ordered(stage)) {
		if (check_what(c, path, v, stage))
			return -1;
	} else {
		if (get(v, "pcr") || get(v, "type"))
			return bad(c, path, "\"pcr\" and \"type\" are null for stage %s",
				   vt_stage_name(stage));
		sub(p, sizeof(p), path, "name");
		if (check_name(c, p, get(v, "name"), VT_NAME_MAX, false))
			return -1;
	}
	return check_values(c, path, v, stage);
}

/* What an accept or revoke replaced: a PCR's events (the old and the new
 * ones), or a whole runtime stage. */
static int check_replaced(struct vctx *c, const char *path, json_object *v)
{
	static const char *const ordered_keys[] = {
		"stage", "pcr", "old", "new", NULL
	};
	static const char *const runtime_keys[] = { "stage", "value", NULL };
	enum vt_stage stage;
	char p[128], q[128];

	if (check_stage_key(c, path, v, &stage))
		return -1;
	if (!vt_stage_ordered(stage)) {
		sub(p, sizeof(p), path, "value");
		return check_keys(c, path, v, runtime_keys, NULL) ||
		       check_runtime(c, p, get(v, "value"), stage);
	}
	sub(p, sizeof(p), path, "old");
	sub(q, sizeof(q), path, "new");
	return check_keys(c, path, v, ordered_keys, NULL) ||
	       check_stage_pcr(c, path, v, stage) ||
	       check_events(c, p, get(v, "old"), stage) ||
	       check_events(c, q, get(v, "new"), stage);
}

static int check_history(struct vctx *c, const char *path, json_object *v)
{
	static const char *const keys[] = {
		"time", "action", "uid", "user", "sudo_user", "reason",
		"events", NULL
	};
	static const char *const opt[] = {
		"differences", "replaced", "previous", "digest", NULL
	};
	static const char *const actions[] = {
		"init", "init --force", "accept", "revoke", NULL
	};
	json_object *o;
	const char *s;
	char p[128];

	if (check_keys(c, path, v, keys, opt))
		return -1;
	s = vt_json_str(v, "time");
	if (!s || !is_iso_time(s))
		return bad(c, path, "\"time\" is not a UTC time");
	s = vt_json_str(v, "action");
	if (!s || !in_list(actions, s))
		return bad(c, path, "\"action\" is not init, init --force, accept or revoke");
	sub(p, sizeof(p), path, "uid");
	if (check_int(c, p, get(v, "uid"), 0, UINT32_MAX, NULL))
		return -1;
	sub(p, sizeof(p), path, "user");
	if (check_name(c, p, get(v, "user"), VT_USER_MAX, true))
		return -1;
	sub(p, sizeof(p), path, "sudo_user");
	if (check_name(c, p, get(v, "sudo_user"), VT_USER_MAX, true))
		return -1;
	sub(p, sizeof(p), path, "reason");
	if (check_name(c, p, get(v, "reason"), VT_REASON_MAX, true))
		return -1;
	sub(p, sizeof(p), path, "events");
	if (check_array(c, p, get(v, "events"), check_id))
		return -1;
	sub(p, sizeof(p), path, "differences");
	o = get(v, "differences");
	if (o && check_array(c, p, o, check_record))
		return -1;
	sub(p, sizeof(p), path, "replaced");
	o = get(v, "replaced");
	if (o && check_array(c, p, o, check_replaced))
		return -1;
	sub(p, sizeof(p), path, "digest");
	o = get(v, "digest");
	if (o && check_digest_str(c, p, o))
		return -1;
	s = vt_json_str(v, "previous");
	if (json_object_object_get_ex(v, "previous", &o) && o &&
	    (!s || strncmp(s, "sha256:", 7) || strlen(s) != 7 + 64 ||
	     !is_hex(s + 7, 64)))
		return bad(c, path, "\"previous\" is not a checksum or null");
	return 0;
}

static int check_version(struct vctx *c, json_object *v)
{
	int64_t n;

	if (check_int(c, "version", v, 1, INT32_MAX, &n))
		return -1;
	if (n < VT_BASELINE_VERSION)
		return bad(c, "version", "%lld, an older schema that this vtrust does not read: record a new baseline with 'vtrust baseline init --force' (the old file is kept as <path>.old)",
			   (long long)n);
	if (n > VT_BASELINE_VERSION)
		return bad(c, "version", "%lld, a newer schema than this vtrust's (%d)",
			   (long long)n, VT_BASELINE_VERSION);
	return 0;
}

static int check_doc(struct vctx *c, json_object *doc)
{
	static const char *const keys[] = {
		"format", "version", "created", "updated", "host",
		"kernel_release", "pcrs", "stages", "retired", "exceptions",
		"history", "checksum", NULL
	};
	const char *s;

	/* the version first: an old file is named as one, whatever it holds */
	if (!json_object_is_type(doc, json_type_object))
		return bad(c, "", "not an object");
	s = vt_json_str(doc, "format");
	if (!s || strcmp(s, VT_BASELINE_FORMAT))
		return bad(c, "format", "not \"%s\"", VT_BASELINE_FORMAT);
	if (check_version(c, get(doc, "version")) ||
	    check_keys(c, "", doc, keys, NULL))
		return -1;
	s = vt_json_str(doc, "created");
	if (!s || !is_iso_time(s))
		return bad(c, "created", "not a UTC time");
	s = vt_json_str(doc, "updated");
	if (!s || !is_iso_time(s))
		return bad(c, "updated", "not a UTC time");
	if (check_name(c, "host", get(doc, "host"), VT_USER_MAX, true) ||
	    check_name(c, "kernel_release", get(doc, "kernel_release"),
		       VT_USER_MAX, true) ||
	    check_pcrs(c, get(doc, "pcrs")) ||
	    check_stages(c, get(doc, "stages")) ||
	    check_array(c, "retired", get(doc, "retired"), check_retired) ||
	    check_array(c, "exceptions", get(doc, "exceptions"),
			check_record) ||
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

/*
 * A runtime stage's "components" as a json-c object (in the history's
 * replaced values, which the loader's hook does not reach, and in
 * documents built by tests) into a set, checked as the hook checks.
 */
static int take_stage(struct vctx *c, const char *p, json_object *st)
{
	json_object *comps = get(st, "components"), *dv;
	struct vt_compset *set;
	struct vt_comp *comp = NULL;
	size_t k, n;

	if (!json_object_is_type(st, json_type_object) ||
	    !json_object_is_type(comps, json_type_object))
		return 0;
	set = vt_compset_new();
	if (!set)
		return bad(c, p, "out of memory");
	json_object_object_foreach(comps, name, arr) {
		if (comp_name(c, p, set, name, strlen(name), &comp))
			goto fail;
		n = json_object_is_type(arr, json_type_array) ?
		    json_object_array_length(arr) : 0;
		if (!n) {
			bad(c, p, "[\"%.64s\"]: not an array of digests", name);
			goto fail;
		}
		for (k = 0; k < n; k++) {
			dv = json_object_array_get_idx(arr, k);
			if (!json_object_is_type(dv, json_type_string)) {
				bad(c, p, "[\"%.64s\"]: not a string", name);
				goto fail;
			}
			if (comp_digest(c, p, set, comp,
					json_object_get_string(dv),
					json_object_get_string_len(dv)))
				goto fail;
		}
	}
	if (comps_settle(c, p, set))
		goto fail;
	comps = vt_compset_json(set);
	if (!comps || json_object_object_add(st, "components", comps))
		return bad(c, p, "out of memory");
	return 0;
fail:
	vt_compset_free(set);
	return -1;
}

static int take_components(struct vctx *c, json_object *doc)
{
	json_object *hist = get(doc, "history"), *rep, *r;
	size_t i, k, n;
	char p[128];

	/* the loader's hook made these sets already: take_stage skips them */
	if (take_stage(c, "stages.ima.components",
		       get(get(doc, "stages"), "ima")) ||
	    take_stage(c, "stages.vtrust.components",
		       get(get(doc, "stages"), "vtrust")))
		return -1;
	n = json_object_is_type(hist, json_type_array) ?
	    json_object_array_length(hist) : 0;
	for (i = 0; i < n; i++) {
		rep = get(json_object_array_get_idx(hist, i), "replaced");
		if (!json_object_is_type(rep, json_type_array))
			continue;
		for (k = 0; k < json_object_array_length(rep); k++) {
			r = json_object_array_get_idx(rep, k);
			snprintf(p, sizeof(p),
				 "history[%zu].replaced[%zu].value.components",
				 i, k);
			if (!get(r, "pcr") && take_stage(c, p, get(r, "value")))
				return -1;
		}
	}
	return 0;
}

/*
 * The loader's hook for "stages.<stage>.components": the members go into
 * a component set as they are read, checked one by one.
 */
static int comps_hook(struct vt_jread *r, void *ctx, const char *const *keys,
		      size_t depth, json_object **out)
{
	struct vctx *c = ctx;
	struct vt_compset *set = vt_compset_new();
	struct vt_comp *comp = NULL;
	const char *key, *s;
	size_t klen, len, start;
	char p[96];
	int m, e;

	snprintf(p, sizeof(p), "stages.%.32s.components", keys[1]);
	if (!set)
		return vt_jread_fail(r, "%s: out of memory", p);
	if (vt_jread_object(r))
		goto fail;
	start = vt_jread_offset(r) - 1;
	while ((m = vt_jread_member(r, &key, &klen)) == 1) {
		if (comp_name(c, p, set, key, klen, &comp) ||
		    vt_jread_array(r))
			goto fail_why;
		while ((e = vt_jread_element(r)) == 1)
			if (vt_jread_string(r, &s, &len) ||
			    comp_digest(c, p, set, comp, s, len))
				goto fail_why;
		if (e < 0)
			goto fail;
		if (!comp->nr) {
			bad(c, p, "[\"%.64s\"]: not an array of digests",
			    comp->name);
			goto fail_why;
		}
	}
	if (m < 0)
		goto fail;
	if (comps_settle(c, p, set))
		goto fail_why;
	if (c->ranges && depth == 3 &&
	    (!strcmp(keys[1], "ima") || !strcmp(keys[1], "vtrust"))) {
		c->ranges[strcmp(keys[1], "ima") ? 1 : 0].start = start;
		c->ranges[strcmp(keys[1], "ima") ? 1 : 0].end =
			vt_jread_offset(r);
	}
	*out = vt_compset_json(set);
	return *out ? 0 : vt_jread_fail(r, "%s: out of memory", p);
fail_why:
	/* a primitive's reason stays if it failed first */
	vt_jread_fail(r, "%s", c->why);
fail:
	vt_compset_free(set);
	return -1;
}

int vt_baseline_sets(json_object *doc, char *why, size_t whylen)
{
	struct vctx c = { why, whylen, NULL };

	return take_components(&c, doc);
}

/*
 * vt_baseline_parse(), also saying where the runtime stages' components
 * lie (@ranges, may be NULL), and without the checksum when @check_sum is
 * false:
 * for the head of a file whose index vouches that vtrust wrote it.
 */
static int parse(const char *text, size_t len, json_object **out,
		 char *why, size_t whylen,
		 struct vt_bindex_range ranges[VT_BINDEX_STAGES], bool check_sum)
{
	static const char *const comps_path[] = {
		"stages", "*", "components", NULL
	};
	static const struct vt_jread_hook hooks[] = {
		{ comps_path, comps_hook },
	};
	struct vctx c = { why, whylen, NULL };
	char hook_why[512];
	/* the hook's reasons go to the reader, which writes them to @why */
	struct vctx hc = { hook_why, sizeof(hook_why), ranges };
	struct vt_jread_opts opts = {
		.hooks = hooks, .nr_hooks = 1, .ctx = &hc,
		.skip_key = "checksum", .max_depth = 32,
	};
	uint8_t digest[32];
	json_object *doc;
	char sum[7 + 65];
	const char *want;

	*out = NULL;
	if (len > VT_BASELINE_MAX)
		return bad(&c, "", "larger than %u MiB", VT_BASELINE_MAX >> 20);
	/* one pass: the checksum's digest comes with the parse */
	opts.digest = digest;
	if (vt_jread(text, len, &opts, &doc, why, whylen))
		return -1;
	if (take_components(&c, doc) || check_doc(&c, doc))
		goto fail;
	if (!check_sum)
		goto done;
	want = vt_json_str(doc, "checksum");
	memcpy(sum, "sha256:", 7);
	vt_hex(sum + 7, digest, 32);
	if (strcmp(sum, want)) {
		bad(&c, "checksum", "does not match the content: the file was changed outside vtrust");
		goto fail;
	}
done:
	*out = doc;
	return 0;
fail:
	json_object_put(doc);
	return -1;
}

int vt_baseline_parse(const char *text, size_t len, json_object **out,
		      char *why, size_t whylen)
{
	return parse(text, len, out, why, whylen, NULL, true);
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

/*
 * Read the baseline at @path without its runtime stages' components, which
 * the index @x has: the bytes around them, with "{}" in their place, parsed
 * as a baseline (the checksum needs the whole file: the index vouches for
 * it). 0, or -1: the caller reads the file in full.
 */
static int load_head(const char *path, const struct vt_bindex *x,
		     json_object **out)
{
	struct vt_bindex_range r[VT_BINDEX_STAGES], t;
	size_t nr = 0, at = 0, len = 0, i;
	char why[512], edge[2], *text = NULL;
	struct stat st;
	int fd, ret = -1;

	for (i = 0; i < VT_BINDEX_STAGES; i++) {
		t = vt_bindex_range(x, i ? VT_STAGE_VTRUST : VT_STAGE_IMA);
		if (t.end)
			r[nr++] = t;
	}
	if (nr == 2 && r[1].start < r[0].start) {
		t = r[0];
		r[0] = r[1];
		r[1] = t;
	}
	if (nr == 2 && r[0].end > r[1].start)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size > VT_BASELINE_MAX)
		goto out;
	text = malloc((size_t)st.st_size + 4 * nr + 1);
	if (!text)
		goto out;
	for (i = 0; i <= nr; i++) {
		size_t end = i < nr ? r[i].start : (size_t)st.st_size;

		if (end < at || vt_pread_all(fd, text + len, end - at, at))
			goto out;
		len += end - at;
		if (i == nr)
			break;
		/* the stage's components are an object there */
		if (vt_pread_all(fd, edge, 1, r[i].start) ||
		    vt_pread_all(fd, edge + 1, 1, r[i].end - 1) ||
		    edge[0] != '{' || edge[1] != '}')
			goto out;
		memcpy(text + len, "{}", 2);
		len += 2;
		at = r[i].end;
	}
	ret = parse(text, len, out, why, sizeof(why), NULL, false) ? -1 : 0;
out:
	free(text);
	close(fd);
	return ret;
}

int vt_baseline_load_indexed(const char *path, json_object **out,
			     struct vt_bindex **idx)
{
	struct vt_bindex *x;
	char why[256];
	int ret;

	*idx = NULL;
	ret = vt_bindex_open(path, &x, why, sizeof(why));
	if (ret < 0)
		fprintf(stderr, "vtrust: %s.idx: not used: %s\n", path, why);
	if (!ret && !load_head(path, x, out)) {
		*idx = x;
		return 0;
	}
	if (!ret)
		vt_bindex_close(x);
	return vt_baseline_load(path, out);
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

/* Write @len bytes of @text to @path atomically; see vt_baseline_save. */
static int write_atomic(const char *path, const char *text, size_t len)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
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
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		vt_err(tmp, "%s", strerror(errno));
		return VT_EXIT_SYSTEM;
	}
	ret = fchmod(fd, 0600) ? -errno : 0;
	if (!ret)
		ret = write_all(fd, text, len);
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

/* vt_baseline_text(), saying where the components lie (may be NULL). */
static char *text_of(json_object *doc, size_t *len, char *why, size_t whylen,
		     struct vt_bindex_range ranges[VT_BINDEX_STAGES])
{
	json_object *again = NULL;
	const char *text;
	char sum[80];
	char *copy;

	if (vt_baseline_checksum(doc, sum, sizeof(sum))) {
		snprintf(why, whylen, "cannot compute the checksum");
		return NULL;
	}
	json_object_object_add(doc, "checksum", json_object_new_string(sum));
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	*len = text ? strlen(text) : 0;
	copy = text ? malloc(*len + 2) : NULL;
	if (!copy) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	memcpy(copy, text, *len);
	copy[(*len)++] = '\n';
	copy[*len] = '\0';
	/* what the loader would refuse is never handed out */
	if (parse(copy, *len, &again, why, whylen, ranges, true)) {
		free(copy);
		return NULL;
	}
	json_object_put(again);
	return copy;
}

char *vt_baseline_text(json_object *doc, size_t *len, char *why,
		       size_t whylen)
{
	return text_of(doc, len, why, whylen, NULL);
}

int vt_baseline_save(const char *path, json_object *doc)
{
	char why[512];
	char *text;
	size_t len;
	int ret;

	struct vt_bindex_range ranges[VT_BINDEX_STAGES] = { 0 };

	text = text_of(doc, &len, why, sizeof(why), ranges);
	if (!text) {
		vt_err(path, "refusing to write a baseline that vtrust could not read back: %s",
		       why);
		return strstr(why, "out of memory") ? VT_EXIT_SYSTEM :
		       VT_EXIT_USAGE;
	}
	ret = write_atomic(path, text, len);
	free(text);
	if (ret)
		return ret;
	/* the index is a cache: without it, verify reads the whole file */
	ret = vt_bindex_write(path, doc, ranges);
	if (ret)
		fprintf(stderr, "vtrust: %s.idx: cannot write the baseline index: %s (verify reads the baseline in full)\n",
			path, strerror(-ret));
	return 0;
}


/* @s through the name escape, at most @max bytes; NULL for none or "". */
static json_object *escaped(const char *s, size_t max)
{
	json_object *o;
	char *buf;

	if (!s || !s[0])
		return NULL;
	buf = malloc(max + 1);
	if (!buf)
		return NULL;
	vt_name_escape((const uint8_t *)s, strlen(s), buf, max, NULL);
	o = json_object_new_string(buf);
	free(buf);
	return o;
}

json_object *vt_baseline_history(const char *action, const char *reason,
				 json_object *ids)
{
	json_object *h = json_object_new_object();
	const struct passwd *pw;
	char now[32];
	uid_t uid = getuid();

	if (!h || (!ids && !(ids = json_object_new_array()))) {
		json_object_put(h);
		return NULL;
	}
	vt_now_iso(now, sizeof(now));
	pw = getpwuid(uid);
	if (json_object_object_add(h, "time", json_object_new_string(now)) ||
	    json_object_object_add(h, "action",
				   json_object_new_string(action)) ||
	    json_object_object_add(h, "uid", json_object_new_int64(uid)) ||
	    json_object_object_add(h, "user", escaped(pw ? pw->pw_name : NULL,
							VT_USER_MAX)) ||
	    json_object_object_add(h, "sudo_user", escaped(getenv("SUDO_USER"),
							     VT_USER_MAX)) ||
	    json_object_object_add(h, "reason", escaped(reason,
							  VT_REASON_MAX)) ||
	    json_object_object_add(h, "events", ids)) {
		json_object_put(h);
		return NULL;
	}
	return h;
}

/* ---- init ---- */

/*
 * Make the collected @cur a baseline document: the host and kernel
 * release through the name escape, no retired values, no exceptions, an
 * empty history (for the caller to fill).
 */
/* @host and @release NULL: this machine's (a boot verified here). */
static int adopt(json_object *cur, const char *host_in, const char *release)
{
	json_object *ima = get(get(cur, "stages"), "ima");
	struct utsname un;
	char host[256], now[32];

	vt_now_iso(now, sizeof(now));
	if (host_in)
		snprintf(host, sizeof(host), "%s", host_in);
	else if (gethostname(host, sizeof(host)))
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if (host_in)
		release = release ? release : "";
	else
		release = uname(&un) ? NULL : un.release;
	/* a collector that reports no violations (one older than schema 2) */
	if (ima && !get(ima, "violations") &&
	    json_object_object_add(ima, "violations", json_object_new_array()))
		return -1;
	json_object_object_del(cur, "checksum");
	return json_object_object_add(cur, "created",
				      json_object_new_string(now)) ||
	       json_object_object_add(cur, "updated",
				      json_object_new_string(now)) ||
	       json_object_object_add(cur, "host", escaped(host, VT_USER_MAX)) ||
	       json_object_object_add(cur, "kernel_release",
				      escaped(release, VT_USER_MAX)) ||
	       json_object_object_add(cur, "retired", json_object_new_array()) ||
	       json_object_object_add(cur, "exceptions",
				      json_object_new_array()) ||
	       json_object_object_add(cur, "history", json_object_new_array()) ?
	       -1 : 0;
}

/*
 * The baseline at @path is being replaced: keep its bytes as <path>.old,
 * put their SHA-256 in *prev and, if it loads, its history in *hist.
 */
static int keep_old(const char *path, char *prev, json_object **hist)
{
	char old[PATH_MAX + 8], why[512];
	json_object *doc = NULL;
	uint8_t *buf, sum[32];
	struct vt_hash h;
	size_t len;
	int ret;

	*hist = NULL;
	ret = vt_read_file(path, VT_BASELINE_MAX, &buf, &len);
	if (ret) {
		vt_err(path, "cannot keep the old baseline: %s", strerror(-ret));
		return VT_EXIT_SYSTEM;
	}
	ret = vt_hash_init(&h, &vt_algs[VT_ALG_SHA256]);
	if (!ret && vt_hash_digest(&h, buf ? buf : (uint8_t *)"", len, sum))
		ret = VT_EXIT_SYSTEM;
	vt_hash_free(&h);
	snprintf(old, sizeof(old), "%s.old", path);
	if (!ret)
		ret = write_atomic(old, buf ? (const char *)buf : "", len);
	if (!ret && !vt_baseline_parse(buf ? (const char *)buf : "", len, &doc,
				       why, sizeof(why)))
		*hist = json_object_get(get(doc, "history"));
	json_object_put(doc);
	free(buf);
	memcpy(prev, "sha256:", 7);
	vt_hex(prev + 7, sum, 32);
	return ret;
}

int vt_baseline_init(const char *path, json_object *cur, const char *reason,
		     bool force, bool quiet)
{
	json_object *hist = NULL, *entry;
	char prev[7 + 65];
	bool exists = vt_exists(path);
	int ret;

	if (exists && !force) {
		vt_err(path, "a baseline exists (--force replaces it, and keeps it as %s.old)",
		       path);
		return VT_EXIT_USAGE;
	}
	if (exists) {
		ret = keep_old(path, prev, &hist);
		if (ret)
			return ret;
	}
	entry = vt_baseline_history(exists ? "init --force" : "init", reason,
				    NULL);
	if (!entry || adopt(cur, NULL, NULL) ||
	    (exists && json_object_object_add(entry, "previous",
					      json_object_new_string(prev)))) {
		json_object_put(entry);
		json_object_put(hist);
		vt_err("baseline", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	if (hist)
		json_object_object_add(cur, "history", hist);
	json_object_array_add(get(cur, "history"), entry);
	ret = vt_baseline_save(path, cur);
	if (!ret && !quiet && exists)
		printf("baseline %s replaced (the old one is kept as %s.old)\n",
		       path, path);
	else if (!ret && !quiet)
		printf("baseline %s created\n", path);
	return ret;
}

int vt_baseline_first(json_object *cur, const char *reason, const char *host,
		      const char *release)
{
	json_object *entry = vt_baseline_history("init", reason, NULL);

	if (!entry || adopt(cur, host, release)) {
		json_object_put(entry);
		return -1;
	}
	json_object_array_add(get(cur, "history"), entry);
	return 0;
}
