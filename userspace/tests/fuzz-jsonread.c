// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for jsonread.c, differential against json-c's strict
 * parser (JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8). The input is a
 * JSON text:
 *
 * - what vt_jread() accepts, json-c accepts, and both trees serialize the
 *   same; the digest is SHA-256 of json-c's serialization without the
 *   root's "checksum";
 * - what vt_jread() refuses and json-c accepts is one of the rules where
 *   vt_jread() is stricter (numbers, \u0000, surrogates, UTF-8, control
 *   characters, duplicate keys, depth) or holds what json-c reads as a
 *   double (also NaN and Infinity, which json-c takes when strict, and
 *   which a later duplicate key can drop from json-c's tree: then the
 *   refusal is at the literal); every refusal has a reason;
 * - read again with hooks on "h" and "*"."h" that take an array of strings
 *   (or, when the input's first byte is odd, an object of arrays of
 *   strings) with the primitives: what that run accepts, the plain run
 *   accepts with the same tree and digest.
 *
 * json-c 0.16 decodes an escaped surrogate pair whose high half has
 * (hi & 0x3e) == 0x36 as U+FFFD (tests/test-jsonread.c checks those pairs
 * byte for byte); with one in the input, the tree is compared with json-c's
 * serialization of vt_jread's own tree only.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/sha.h>

#include "jsonread.h"

#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reasons for refusing what json-c takes: the stricter rules. */
static const char *const stricter[] = {
	"a number that is not an integer", "an integer out of range",
	"a number with a leading zero", "a NUL character in a string",
	"a control character in a string", "a lone surrogate escape",
	"invalid UTF-8", "twice at byte", "nesting deeper than",
};

static bool is_stricter(const char *why)
{
	size_t i;

	for (i = 0; i < sizeof(stricter) / sizeof(stricter[0]); i++)
		if (strstr(why, stricter[i]))
			return true;
	return false;
}

/* A double in json-c's tree: a number vt_jread() refuses, or NaN or
 * Infinity, which json-c takes even when strict. */
static bool has_double(json_object *o)
{
	size_t i;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return true;
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++)
			if (has_double(json_object_array_get_idx(o, i)))
				return true;
		return false;
	case json_type_object: {
		json_object_object_foreach(o, k, v) {
			(void)k;
			if (has_double(v))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

/* The refusal is at a NaN or Infinity literal (json-c reads it as a double
 * even when strict, and a later duplicate key can drop it from json-c's
 * tree, so has_double() alone does not see it). */
static bool at_double_literal(const uint8_t *p, size_t n, const char *why)
{
	static const char *const lit[] = { "nan", "infinity" };
	const char *at = strstr(why, " at byte ");
	size_t i, k, len;

	if (!at || sscanf(at, " at byte %zu", &k) != 1 || k >= n)
		return false;
	if (p[k] == '-' && k + 1 < n)
		k++;	/* "-Infinity": refused at the '-' */
	else if (k && p[k - 1] == '-')
		;	/* refused at the digit expected after '-' */
	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		len = strlen(lit[i]);
		if (n - k >= 1 && !strncasecmp((const char *)p + k, lit[i],
					       n - k < len ? n - k : len))
			return true;
	}
	return false;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* An escape \uXXXX of a high surrogate that json-c decodes wrong. */
static bool jsonc_pair_bug(const uint8_t *p, size_t n)
{
	size_t i, k;
	int v, d;

	for (i = 0; i + 5 < n; i++) {
		if (p[i] != '\\')
			continue;
		if (p[i + 1] == 'u') {
			for (v = 0, k = 2; k < 6; k++) {
				d = hexval(p[i + k]);
				if (d < 0)
					break;
				v = v << 4 | d;
			}
			if (k == 6 && v >= 0xd800 && v <= 0xdbff &&
			    (v & 0x3e) == 0x36)
				return true;
		}
		i++;	/* the escaped character */
	}
	return false;
}

/* json-c's strict parse: whether it takes the input, the value in *out. */
static bool jc_parse(const uint8_t *data, size_t size, json_object **out)
{
	struct json_tokener *tok = json_tokener_new_ex(1000);
	char *s = malloc(size + 1);
	bool ok = false;
	size_t end;

	if (!tok || !s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';	/* so that json-c ends a number at the end */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	*out = json_tokener_parse_ex(tok, s, (int)size + 1);
	if (json_tokener_get_error(tok) == json_tokener_success) {
		end = json_tokener_get_parse_end(tok);
		while (end < size && (s[end] == ' ' || s[end] == '\t' ||
				      s[end] == '\r' || s[end] == '\n'))
			end++;
		ok = end == size;
	}
	if (!ok) {
		json_object_put(*out);
		*out = NULL;
	}
	json_tokener_free(tok);
	free(s);
	return ok;
}

/* SHA-256 of json-c's serialization of @o without the root's "checksum". */
static void digest_of(json_object *o, uint8_t *d)
{
	json_object *copy = NULL;
	const char *s;

	if (json_object_is_type(o, json_type_object)) {
		copy = json_object_new_object();
		json_object_object_foreach(o, k, v)
			if (strcmp(k, "checksum"))
				json_object_object_add(copy, k,
						       json_object_get(v));
		o = copy;
	}
	s = json_object_to_json_string_ext(o, FLAGS);
	SHA256((const uint8_t *)s, strlen(s), d);
	json_object_put(copy);
}

static bool same_tree(json_object *a, json_object *b)
{
	char *sa = strdup(json_object_to_json_string_ext(a, FLAGS));
	bool same;

	same = !strcmp(sa, json_object_to_json_string_ext(b, FLAGS));
	free(sa);
	return same;
}

/* Hooks */

static int string_array(struct vt_jread *r, json_object **out)
{
	const char *s;
	size_t len;
	int ret;

	*out = json_object_new_array();
	if (vt_jread_array(r))
		return -1;
	while ((ret = vt_jread_element(r)) > 0) {
		if (vt_jread_string(r, &s, &len))
			return -1;
		if (len != strlen(s))
			abort();
		if (!strcmp(s, "fail"))
			return vt_jread_fail(r, "h: \"fail\" at byte %zu",
					     vt_jread_offset(r));
		json_object_array_add(*out, json_object_new_string_len(s,
								       len));
	}
	return ret;
}

static int hook_h(struct vt_jread *r, void *ctx, const char *const *keys,
		  size_t depth, json_object **out)
{
	const bool *objects = ctx;
	json_object *a;
	const char *k;
	size_t len;
	int ret;

	if (!depth || depth > 2 || strcmp(keys[depth - 1], "h"))
		abort();
	if (!*objects)
		return string_array(r, out);
	*out = json_object_new_object();
	if (vt_jread_object(r))
		return -1;
	while ((ret = vt_jread_member(r, &k, &len)) > 0) {
		if (len != strlen(k))
			abort();
		/* the primitives leave duplicate keys to the hook */
		if (json_object_object_get_ex(*out, k, NULL))
			return vt_jread_fail(r, "h: key twice");
		json_object_object_add(*out, k, NULL);
		if (string_array(r, &a)) {
			json_object_put(a);
			return -1;
		}
		json_object_object_add(*out, k, a);
	}
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const p1[] = { "h", NULL };
	static const char *const p2[] = { "*", "h", NULL };
	static const struct vt_jread_hook hooks[] = {
		{ p1, hook_h }, { p2, hook_h },
	};
	bool objects = size && data[0] % 2;
	struct vt_jread_opts o = { .skip_key = "checksum" };
	json_object *mine = (json_object *)&mine, *ref, *hooked;
	uint8_t d[32], want[32], dh[32];
	char why[256], hwhy[256];
	bool jc_ok;
	int ret;

	o.digest = d;
	memset(why, 'x', sizeof(why));
	ret = vt_jread((const char *)data, size, &o, &mine, why, sizeof(why));
	if (ret && (mine || !why[0] || !memchr(why, '\0', sizeof(why))))
		abort();
	jc_ok = jc_parse(data, size, &ref);
	if (!ret) {
		if (!jc_ok)
			abort();
		if (!jsonc_pair_bug(data, size)) {
			if (!same_tree(mine, ref))
				abort();
			digest_of(ref, want);
			if (memcmp(d, want, 32))
				abort();
		}
		/* the digest is json-c's serialization of the tree read */
		digest_of(mine, want);
		if (memcmp(d, want, 32))
			abort();
	} else if (jc_ok && !is_stricter(why) && !has_double(ref) &&
		   !at_double_literal(data, size, why)) {
		abort();
	}
	json_object_put(ref);

	/* again with the hooks */
	o.hooks = hooks;
	o.nr_hooks = 2;
	o.ctx = &objects;
	o.digest = dh;
	hooked = (json_object *)&hooked;
	hwhy[0] = '\0';
	if (!vt_jread((const char *)data, size, &o, &hooked, hwhy,
		      sizeof(hwhy))) {
		if (ret || !same_tree(hooked, mine) || memcmp(d, dh, 32))
			abort();
	} else if (hooked || !hwhy[0] ||
		   (!ret && !strstr(hwhy, " is expected at byte ") &&
		    strncmp(hwhy, "h: ", 3))) {
		abort();
	}
	json_object_put(hooked);
	json_object_put(mine);
	return 0;
}
