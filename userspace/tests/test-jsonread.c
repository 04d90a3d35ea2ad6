// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of jsonread.c against json-c as the independent reference:
 * what vt_jread() builds must serialize as json-c's own strict parse of the
 * same text does, and its digest must be OpenSSL's SHA256() of json-c's
 * serialization (without the root's skip_key). Refused documents are
 * checked for their reasons, hooks for what they see and return.
 *
 * VT_JREAD_SPEED=1 adds a speed report (it asserts nothing) on a document
 * shaped like a big baseline; build without sanitizers to read it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "check.h"
#include "jsonread.h"

#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The serialization of @o (NULL: JSON null), malloc'ed. */
static char *ser(json_object *o)
{
	return strdup(json_object_to_json_string_ext(o, FLAGS));
}

/*
 * json-c's strict parse of @text: 0 with the value in *out, or -1. The
 * text gets a NUL after it so that json-c finishes a top-level number;
 * whitespace may follow the value.
 */
static int jc_parse(const char *text, size_t len, json_object **out)
{
	struct json_tokener *tok = json_tokener_new_ex(1000);
	char *s = malloc(len + 1);
	size_t end;
	int ret = -1;

	*out = NULL;
	memcpy(s, text, len);
	s[len] = '\0';
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	*out = json_tokener_parse_ex(tok, s, (int)len + 1);
	if (json_tokener_get_error(tok) == json_tokener_success) {
		end = json_tokener_get_parse_end(tok);
		while (end < len && strchr(" \t\r\n", s[end]) && s[end])
			end++;
		ret = end == len ? 0 : -1;
	}
	if (ret) {
		json_object_put(*out);
		*out = NULL;
	}
	json_tokener_free(tok);
	free(s);
	return ret;
}

/* SHA-256 of json-c's serialization of @doc without the root's @skip. */
static void ref_digest(json_object *doc, const char *skip, uint8_t *d)
{
	const char *s;

	if (skip && json_object_is_type(doc, json_type_object))
		json_object_object_del(doc, skip);
	s = json_object_to_json_string_ext(doc, FLAGS);
	SHA256((const uint8_t *)s, strlen(s), d);
}

static int jread(const char *text, size_t len, const char *skip,
		 uint8_t *digest, json_object **out, char *why, size_t wl)
{
	struct vt_jread_opts o = { .skip_key = skip, .digest = digest };

	return vt_jread(text, len, &o, out, why, wl);
}

/*
 * @text must be accepted, as json-c accepts it, with json-c's tree and
 * digest. Returns whether it was.
 */
static bool same_as_jsonc(const char *text, size_t len, const char *skip)
{
	json_object *mine, *ref;
	uint8_t d[32], want[32];
	char why[256], *a, *b;
	bool ok;

	memset(d, 0, sizeof(d));
	if (jread(text, len, skip, d, &mine, why, sizeof(why))) {
		fprintf(stderr, "refused %.*s: %s\n", (int)(len < 200 ? len : 200),
			text, why);
		return false;
	}
	if (jc_parse(text, len, &ref)) {
		fprintf(stderr, "json-c refuses %.*s\n",
			(int)(len < 200 ? len : 200), text);
		json_object_put(mine);
		return false;
	}
	a = ser(mine);
	b = ser(ref);
	ref_digest(ref, skip, want);
	ok = !strcmp(a, b) && !memcmp(d, want, 32);
	if (!ok)
		fprintf(stderr, "differs: %.200s\n   mine %.200s\n json-c %.200s\n",
			text, a, b);
	free(a);
	free(b);
	json_object_put(mine);
	json_object_put(ref);
	return ok;
}

static const char *const valid[] = {
	"{}", "[]", "0", "-0", "1", "-1", "true", "false", "null", "\"\"",
	"9223372036854775807", "-9223372036854775808",
	"[9223372036854775807,-9223372036854775808,0,-0,10,-10,123456789]",
	" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ } ,"
	"[ ] , \"\" ] \t\r\n} \t\r\n",
	"{\"a\":{\"b\":{\"c\":[[[{}]]],\"d\":null},\"e\":[true,false]}}",
	"{\"\":1,\"a\":{},\"b\":[],\"c\":\"\"}",
	"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
	"\"\\u0001\\u0002\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d"
	"\\u000e\\u001f\\u0020\\u0022\\u005c\\u002f\\u007f\\u0080\\u00ff\"",
	"\"\\u00e9\\u00E9\\u07ff\\u0800\\uffff\\ud7ff\\ue000\\uFFFD\"",
	"[\"\\ud800\\udc00\",\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\","
	"\"\\udbff\\udfff\",\"x\\ud834\\udd1ey\"]",
	"\"caf\xc3\xa9 \xc2\x80 \xdf\xbf \xe0\xa0\x80 \xe2\x82\xac "
	"\xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf \xf0\x90\x80\x80 "
	"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"",
	"{\"k\\u00e9y\\n\":\"v\",\"\xf0\x9f\x98\x80\":\"/\\/\"}",
	"\"\x7f~ !#$%&'()*+,-./:;<=>?@[]^_`{|}\"",
	"{\"pcr\":10,\"components\":{\"/usr/bin/a\":[\"sha256:00\"]},"
	"\"violations\":[]}",
	"[[],[[]],{},{\"a\":[]},[{}]]",
};

static void test_valid(void)
{
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK(same_as_jsonc(valid[i], strlen(valid[i]), NULL));
}

/* Exact digests of known texts, independent of json-c. */
static void test_digest_literal(void)
{
	static const struct {
		const char *in, *canon, *skip;
	} t[] = {
		{ " { \"a\" : 1 , \"checksum\" : \"x\" , \"b\" : 2 } ",
		  "{\"a\":1,\"b\":2}", "checksum" },
		{ "{\"checksum\":\"x\",\"a\":[1, 2]}", "{\"a\":[1,2]}",
		  "checksum" },
		{ "{\"a\":1,\"checksum\":{\"q\":[1]}}", "{\"a\":1}",
		  "checksum" },
		{ "{\"checksum\":1}", "{}", "checksum" },
		{ "[ {\"checksum\" : 1} ]", "[{\"checksum\":1}]", "checksum" },
		{ "\"\\/\\u002F\\u0001\\u001F\\u007f\\u00e9\"",
		  "\"//\\u0001\\u001f\x7f\xc3\xa9\"", NULL },
		{ "-0", "0", NULL },
		{ "null", "null", NULL },
		{ "[ true , false , null , -12 ]", "[true,false,null,-12]",
		  NULL },
	};
	uint8_t d[32], want[32];
	json_object *o;
	char why[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SHA256((const uint8_t *)t[i].canon, strlen(t[i].canon), want);
		CHECK(!jread(t[i].in, strlen(t[i].in), t[i].skip, d, &o, why,
			     sizeof(why)));
		CHECK(!memcmp(d, want, 32));
		json_object_put(o);
	}
}

struct bad {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *why;	/* a substring of the reason */
};

static const struct bad bad[] = {
	{ "[1,]", 0, "not JSON: a value expected at byte 3" },
	{ "{\"a\":1,}", 0, "not JSON: a key expected at byte 7" },
	{ "{\"a\" 1}", 0, "not JSON: ':' expected at byte 5" },
	{ "{a:1}", 0, "not JSON: a key or '}' expected at byte 1" },
	{ "{'a':1}", 0, "not JSON: a key or '}' expected at byte 1" },
	{ "['a']", 0, "not JSON: a value expected at byte 1" },
	{ "[1 2]", 0, "not JSON: ',' or ']' expected at byte 3" },
	{ "{\"a\":1 \"b\":2}", 0, "not JSON: ',' or '}' expected at byte 7" },
	{ "[,1]", 0, "not JSON: a value expected at byte 1" },
	{ "[1,,2]", 0, "not JSON: a value expected at byte 3" },
	{ "\"a\x01\"", 0, "not JSON: a control character in a string at byte 2" },
	{ "\"a\tb\"", 0, "not JSON: a control character in a string at byte 2" },
	{ "\"\\u00e9\nx\"", 0, "not JSON: a control character in a string at byte 7" },
	{ "\"\\x\"", 0, "not JSON: an invalid escape at byte 2" },
	{ "\"\\U0041\"", 0, "not JSON: an invalid escape at byte 2" },
	{ "\"\\u00g1\"", 0, "not JSON: a \\u escape without 4 hex digits at byte 5" },
	{ "\"\\u12\"", 0, "not JSON: a \\u escape without 4 hex digits at byte 5" },
	{ "\"\\ud800\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"ab\\ud800x\"", 0, "a lone surrogate escape at byte 3" },
	{ "\"\\ud800\\n\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"\\ud800\\u0041\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"\\ud800\\ud800\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"\\udc00\\ud800\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"\\udfff\"", 0, "a lone surrogate escape at byte 1" },
	{ "\"\\u0000\"", 0, "a NUL character in a string at byte 1" },
	{ "{\"a\\u0000\":1}", 0, "a NUL character in a string at byte 3" },
	{ "\"\xc0\xaf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xc1\xbf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xe0\x80\xaf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xe0\x9f\xbf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xf0\x80\x80\xaf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xf0\x8f\xbf\xbf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xed\xa0\x80\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xed\xbf\xbf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"x\xed\xa0\xbd\xed\xb8\x80\"", 0, "not JSON: invalid UTF-8 at byte 2" },
	{ "\"\xf4\x90\x80\x80\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xf5\x80\x80\x80\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xf8\x88\x80\x80\x80\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xff\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\x80\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xbf\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xc3\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xe2\x82\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xf0\x9f\x98\"", 0, "not JSON: invalid UTF-8 at byte 1" },
	{ "\"\xc3\xa9\xa9\"", 0, "not JSON: invalid UTF-8 at byte 3" },
	{ "\xc3\xa9", 0, "not JSON: a value expected at byte 0" },
	{ "\xef\xbb\xbf{}", 0, "not JSON: a value expected at byte 0" },
	{ "1.5", 0, "a number that is not an integer at byte 1" },
	{ "[1.0]", 0, "a number that is not an integer at byte 2" },
	{ "1e5", 0, "a number that is not an integer at byte 1" },
	{ "-1E+2", 0, "a number that is not an integer at byte 2" },
	{ "0.5", 0, "a number that is not an integer at byte 1" },
	{ "01", 0, "not JSON: a number with a leading zero at byte 1" },
	{ "-00", 0, "not JSON: a number with a leading zero at byte 2" },
	{ "[-]", 0, "not JSON: a digit expected at byte 2" },
	{ "-a", 0, "not JSON: a digit expected at byte 1" },
	{ "+1", 0, "not JSON: a value expected at byte 0" },
	{ ".5", 0, "not JSON: a value expected at byte 0" },
	{ "9223372036854775808", 0, "an integer out of range at byte 0" },
	{ "[-9223372036854775809]", 0, "an integer out of range at byte 1" },
	{ "99999999999999999999999", 0, "an integer out of range at byte 0" },
	{ "{\"a\":1,\"a\":2}", 0, "key \"a\" twice at byte 7" },
	{ "{\"a\":1,\"\\u0061\":2}", 0, "key \"a\" twice at byte 7" },
	{ "{\"x\":{\"\xc3\xa9\\n\":1,\"\xc3\xa9\\n\":2}}", 0,
	  "key \"???\" twice at byte 15" },
	{ "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "bbbb\":1,\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaabbbb\":1}", 0,
	  "key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
	  " twice at byte 74" },
	{ "[1] x", 0, "not JSON: text after the document at byte 4" },
	{ "{}{}", 0, "not JSON: text after the document at byte 2" },
	{ "1 2", 0, "not JSON: text after the document at byte 2" },
	{ "true1", 0, "not JSON: text after the document at byte 4" },
	{ "[1]\f", 0, "not JSON: text after the document at byte 3" },
	{ "\v1", 0, "not JSON: a value expected at byte 0" },
	{ "", 0, "not JSON: the document is cut off at byte 0" },
	{ " \n\t\r ", 0, "not JSON: the document is cut off at byte 5" },
	{ "[1]\0", 4, "not JSON: text after the document at byte 3" },
	{ "\0", 1, "not JSON: a value expected at byte 0" },
	{ "[\"a\0\"]", 6, "not JSON: a control character in a string at byte 3" },
	{ "{\"a\0\":1}", 8, "not JSON: a control character in a string at byte 3" },
	{ "trux", 0, "not JSON: a misspelt true, false or null at byte 3" },
	{ "nul", 0, "not JSON: the document is cut off at byte 3" },
	{ "NaN", 0, "not JSON: a value expected at byte 0" },
	{ "Infinity", 0, "not JSON: a value expected at byte 0" },
	{ "[TRUE]", 0, "not JSON: a value expected at byte 1" },
	{ "{\"a\":1]", 0, "not JSON: ',' or '}' expected at byte 6" },
	{ "[1}", 0, "not JSON: ',' or ']' expected at byte 2" },
	{ "}", 0, "not JSON: a value expected at byte 0" },
	/* cut off in every kind of token */
	{ "{", 0, "not JSON: the document is cut off at byte 1" },
	{ "[", 0, "not JSON: the document is cut off at byte 1" },
	{ "{\"a", 0, "not JSON: the document is cut off at byte 3" },
	{ "{\"a\"", 0, "not JSON: the document is cut off at byte 4" },
	{ "{\"a\" ", 0, "not JSON: the document is cut off at byte 5" },
	{ "{\"a\":", 0, "not JSON: the document is cut off at byte 5" },
	{ "{\"a\":1", 0, "not JSON: the document is cut off at byte 6" },
	{ "{\"a\":1,", 0, "not JSON: the document is cut off at byte 7" },
	{ "{\"a\":1, ", 0, "not JSON: the document is cut off at byte 8" },
	{ "[1", 0, "not JSON: the document is cut off at byte 2" },
	{ "[1,", 0, "not JSON: the document is cut off at byte 3" },
	{ "[[]", 0, "not JSON: the document is cut off at byte 3" },
	{ "\"", 0, "not JSON: the document is cut off at byte 1" },
	{ "\"abc", 0, "not JSON: the document is cut off at byte 4" },
	{ "\"\\", 0, "not JSON: the document is cut off at byte 2" },
	{ "\"a\\n", 0, "not JSON: the document is cut off at byte 4" },
	{ "\"\\u", 0, "not JSON: the document is cut off at byte 3" },
	{ "\"\\u12", 0, "not JSON: the document is cut off at byte 5" },
	{ "\"\\ud83d", 0, "not JSON: the document is cut off at byte 7" },
	{ "\"\\ud83d\\", 0, "not JSON: the document is cut off at byte 8" },
	{ "\"\\ud83d\\u", 0, "not JSON: the document is cut off at byte 9" },
	{ "\"\\ud83d\\ude0", 0, "not JSON: the document is cut off at byte 12" },
	{ "\"\\ud83d\\ude00", 0, "not JSON: the document is cut off at byte 13" },
	{ "\"\xc3", 0, "not JSON: the document is cut off at byte 2" },
	{ "\"\xe2\x82", 0, "not JSON: the document is cut off at byte 3" },
	{ "\"\xf0\x9f\x98", 0, "not JSON: the document is cut off at byte 4" },
	{ "\"\\u00e9\xc3", 0, "not JSON: the document is cut off at byte 8" },
	{ "tru", 0, "not JSON: the document is cut off at byte 3" },
	{ "fals", 0, "not JSON: the document is cut off at byte 4" },
	{ "-", 0, "not JSON: the document is cut off at byte 1" },
	{ "[-", 0, "not JSON: the document is cut off at byte 2" },
	{ "[0", 0, "not JSON: the document is cut off at byte 2" },
	{ "[true", 0, "not JSON: the document is cut off at byte 5" },
};

static bool refused(const char *text, size_t len, unsigned int depth,
		    const char *want)
{
	struct vt_jread_opts o = { .max_depth = depth };
	json_object *out = (json_object *)&out;
	uint8_t d[32];
	char why[256];
	bool ok;

	o.digest = d;
	o.skip_key = "checksum";
	memset(why, 'x', sizeof(why));
	ok = vt_jread(text, len, &o, &out, why, sizeof(why)) == -1 && !out &&
	     why[0] && memchr(why, '\0', sizeof(why)) && strstr(why, want);
	if (!ok)
		fprintf(stderr, "%.60s: reason \"%.*s\", expected \"%s\"\n",
			text, (int)sizeof(why), why, want);
	return ok;
}

static void test_invalid(void)
{
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		CHECK(refused(bad[i].text, len, 0, bad[i].why));
	}
}

/* Nesting: up to max_depth containers, 64 by default. */
static void test_depth(void)
{
	char text[2 * 200 + 1];

	memset(text, '[', 200);
	memset(text + 200, ']', 200);
	text[400] = '\0';
	CHECK(same_as_jsonc(text + 200 - 64, 128, NULL));
	CHECK(refused(text + 200 - 65, 130, 0,
		      "nesting deeper than 64 at byte 64"));
	CHECK(refused(text + 200 - 4, 8, 3, "nesting deeper than 3 at byte 3"));
	CHECK(refused(text + 200 - 4, 8, 1, "nesting deeper than 1 at byte 1"));
	CHECK(refused(text, 400, 199, "nesting deeper than 199 at byte 199"));
	/* objects count as arrays do */
	CHECK(refused("{\"a\":[{\"b\":1}]}", 15, 2,
		      "nesting deeper than 2 at byte 6"));
	CHECK(same_as_jsonc("{\"a\":[{\"b\":1}]}", 15, NULL));
}

/* Every proper prefix of a document is cut off, or a document json-c reads
 * the same. */
static void test_prefixes(void)
{
	size_t i, n;
	json_object *o;
	char why[256];
	const char *t;
	bool bad_prefix = false;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		t = valid[i];
		for (n = 0; n < strlen(t); n++) {
			if (!vt_jread(t, n, NULL, &o, why, sizeof(why))) {
				json_object_put(o);
				if (!same_as_jsonc(t, n, NULL))
					bad_prefix = true;
			} else if (!strstr(why, "the document is cut off")) {
				fprintf(stderr, "%.*s: %s\n", (int)n, t, why);
				bad_prefix = true;
			}
		}
	}
	CHECK(!bad_prefix);
}

static void test_skip_key(void)
{
	static const char *const docs[] = {
		"{\"checksum\":\"sha256:00\",\"a\":1,\"b\":[2]}",
		"{\"a\":1,\"checksum\":\"x\",\"b\":2}",
		"{\"a\":1,\"b\":2,\"checksum\":\"x\"}",
		"{ \"checksum\" : { \"a\" : [ 1, \"\\u0001\" ] } }",
		"{\"a\":1,\"b\":2}",
		"{}",
		"{\"a\":{\"checksum\":1},\"checksum\":2,"
		"\"c\":[{\"checksum\":3}]}",
		"{\"a\":{\"checksum\":1}}",
		"[{\"checksum\":1}]",
		"{\"checks\\u0075m\":1,\"x\":2}",
		"{\"checksumx\":1,\"checksu\":2,\"checksum\":3}",
		"\"checksum\"",
		"null",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		CHECK(same_as_jsonc(docs[i], strlen(docs[i]), "checksum"));
	/* the skipped member stays in the tree */
	{
		json_object *o, *v;
		uint8_t d[32];
		char why[64];

		CHECK(!jread(docs[1], strlen(docs[1]), "checksum", d, &o, why,
			     sizeof(why)));
		CHECK(json_object_object_get_ex(o, "checksum", &v) &&
		      !strcmp(json_object_get_string(v), "x"));
		json_object_put(o);
	}
	/* a twice-named skip key is refused like any other */
	CHECK(refused("{\"checksum\":1,\"checksum\":2}", 27, 0,
		      "key \"checksum\" twice at byte 14"));
	/* the empty key */
	CHECK(same_as_jsonc("{\"\":1,\"a\":2}", 12, ""));
	CHECK(same_as_jsonc("{\"a\":1,\"\":2}", 12, ""));
}

/* Random documents */

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)rand() % n;
}

struct text {
	char *p;
	size_t len, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

static void ws(struct text *t)
{
	static const char w[] = " \t\r\n";

	while (rnd(4) == 0)
		put(t, &w[rnd(4)], 1);
}

/*
 * json-c 0.16's tokener decodes an escaped surrogate pair whose high half
 * has (hi & 0x3e) == 0x36 (\ud836, \ud837, \ud876, ..., \udbf7) as U+FFFD
 * (found by experiment: all 1024 low halves, 32 of the 1024 high ones).
 * It is no reference for those: test_json_c_pairs checks them on their
 * own.
 */
#define JSONC_PAIR_BUG(hi) (((hi) & 0x3e) == 0x36)

/* A code point, written raw (UTF-8) or escaped in one of the ways JSON
 * has. */
static void put_char(struct text *t, unsigned int cp)
{
	static const char *const hexes[] = { "%04x", "%04X" };
	char b[16];
	unsigned int hi, lo;

	if (cp < 0x20 || cp == '"' || cp == '\\' || rnd(6) == 0) {
		const char *e = NULL;

		switch (cp) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '/': e = rnd(2) ? "\\/" : NULL; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		}
		if (e && rnd(2)) {
			puts_(t, e);
			return;
		}
		hi = 0xd800 + ((cp - 0x10000) >> 10);
		lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
		if (cp >= 0x10000 && JSONC_PAIR_BUG(hi))
			goto raw;
		if (cp >= 0x10000) {
			snprintf(b, sizeof(b), "\\u%04x\\u%04X", hi, lo);
		} else {
			snprintf(b, 3, "\\u");
			snprintf(b + 2, sizeof(b) - 2, hexes[rnd(2)], cp);
		}
		puts_(t, b);
		return;
	}
raw:
	if (cp < 0x80) {
		b[0] = cp;
		put(t, b, 1);
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		put(t, b, 2);
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | (cp >> 6 & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		put(t, b, 3);
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | (cp >> 12 & 0x3f);
		b[2] = 0x80 | (cp >> 6 & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		put(t, b, 4);
	}
}

static unsigned int rand_cp(void)
{
	unsigned int cp;

	switch (rnd(8)) {
	case 0:
		return 1 + rnd(0x7f);
	case 1:
		return 0x80 + rnd(0x780);
	case 2:
		do
			cp = 0x800 + rnd(0xf800);
		while (cp >= 0xd800 && cp <= 0xdfff);
		return cp;
	case 3:
		return 0x10000 + rnd(0x100000);
	case 4:
		return "\"\\/\b\f\n\r\t\x7f"[rnd(9)];
	default:
		return 0x20 + rnd(0x5f);
	}
}

static void put_string(struct text *t, unsigned int id)
{
	unsigned int n = rnd(10) == 0 ? rnd(3000) : rnd(20);
	char b[16];

	put(t, "\"", 1);
	if (id) {
		/* keys: unique */
		snprintf(b, sizeof(b), "%u", id);
		puts_(t, b);
	}
	while (n--)
		put_char(t, rand_cp());
	put(t, "\"", 1);
}

static void put_value(struct text *t, unsigned int depth)
{
	static const char *const ints[] = {
		"0", "-0", "9223372036854775807", "-9223372036854775808", "1",
		"-1", "42", "1000000",
	};
	unsigned int n, i, kind = depth >= 6 ? 3 + rnd(4) : rnd(7);
	char b[32];

	ws(t);
	switch (kind) {
	case 0:
	case 1:
		n = rnd(8);
		put(t, "{", 1);
		ws(t);
		for (i = 0; i < n; i++) {
			if (i)
				put(t, ",", 1), ws(t);
			if (rnd(6) == 0)
				puts_(t, "\"checksum\"");
			else
				put_string(t, i + 1);
			ws(t);
			put(t, ":", 1);
			put_value(t, depth + 1);
			if (rnd(6) == 0 && i + 1 == n)
				break;
		}
		put(t, "}", 1);
		break;
	case 2:
		n = rnd(8);
		put(t, "[", 1);
		ws(t);
		for (i = 0; i < n; i++) {
			if (i)
				put(t, ",", 1);
			put_value(t, depth + 1);
		}
		put(t, "]", 1);
		break;
	case 3:
		put_string(t, 0);
		break;
	case 4:
		if (rnd(2)) {
			snprintf(b, sizeof(b), "%" PRId64,
				 (int64_t)((uint64_t)rand() << 33 ^
					   (uint64_t)rand() << 10 ^ rand()) >>
				 rnd(64));
			puts_(t, b);
		} else {
			puts_(t, ints[rnd(8)]);
		}
		break;
	case 5:
		puts_(t, rnd(2) ? "true" : "false");
		break;
	default:
		puts_(t, "null");
	}
	ws(t);
}

static void test_random(void)
{
	struct text t = { 0 };
	unsigned int i, bad_docs = 0;
	char *p;

	srand(11);
	for (i = 0; i < 3000; i++) {
		t.len = 0;
		put_value(&t, 0);
		/* the same "checksum" key twice is a case the table has */
		p = strstr(t.p, "\"checksum\"");
		if (p && strstr(p + 1, "\"checksum\""))
			continue;
		bad_docs += !same_as_jsonc(t.p, t.len, "checksum");
		bad_docs += !same_as_jsonc(t.p, t.len, NULL);
	}
	CHECK(!bad_docs);
	free(t.p);
}

/* The surrogate pairs that json-c decodes as U+FFFD, checked byte for
 * byte: every high half with every fourth low half. */
static void test_json_c_pairs(void)
{
	unsigned int hi, lo, cp, bad_pairs = 0;
	uint8_t d[32], want[32];
	unsigned char w[8];
	json_object *o;
	char text[16], why[128];

	for (hi = 0xd800; hi < 0xdc00; hi++) {
		for (lo = 0xdc00; lo < 0xe000; lo += 4) {
			cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
			snprintf(text, sizeof(text), "\"\\u%04x\\u%04X\"", hi,
				 lo);
			w[0] = '"';
			w[1] = 0xf0 | cp >> 18;
			w[2] = 0x80 | (cp >> 12 & 0x3f);
			w[3] = 0x80 | (cp >> 6 & 0x3f);
			w[4] = 0x80 | (cp & 0x3f);
			w[5] = '"';
			SHA256(w, 6, want);
			if (jread(text, 14, NULL, d, &o, why, sizeof(why))) {
				bad_pairs++;
				continue;
			}
			if (json_object_get_string_len(o) != 4 ||
			    memcmp(json_object_get_string(o), w + 1, 4) ||
			    memcmp(d, want, 32))
				bad_pairs++;
			json_object_put(o);
		}
	}
	CHECK(!bad_pairs);
}

/* Strings and documents larger than the canonical buffer. */
static void test_big(void)
{
	struct text t = { 0 };
	unsigned int i, k;
	char b[32];

	put(&t, "[", 1);
	for (i = 0; i < 4; i++) {
		put(&t, i ? ",\"" : "\"", i ? 2 : 1);
		for (k = 0; k < 70000 * (i + 1); k++)
			put(&t, i % 2 ? "\\n" : "ab", 2);
		put(&t, "\"", 1);
	}
	for (i = 0; i < 20000; i++) {
		snprintf(b, sizeof(b), ",\"x%u\\u00e9\",%u", i, i);
		puts_(&t, b);
	}
	put(&t, "]", 1);
	CHECK(same_as_jsonc(t.p, t.len, NULL));
	free(t.p);
}

/* Hooks */

struct hook_ctx {
	char seen[8][64];
	unsigned int calls;
	bool fail;
	json_object *keep;	/* a hook's result on failure */
};

static const char *const comp_path[] = { "stages", "*", "components", NULL };

/* An object of arrays of strings: to [["name", "digest", ...], ...]. */
static int components(struct vt_jread *r, void *ctx,
		      const char *const *keys, size_t depth,
		      json_object **out)
{
	struct hook_ctx *c = ctx;
	json_object *all, *one, *str;
	const char *s;
	size_t len;
	int ret;

	if (c->calls < 8)
		snprintf(c->seen[c->calls], sizeof(c->seen[0]), "%zu:%s/%s/%s",
			 depth, keys[0], keys[1], keys[2]);
	c->calls++;
	if (c->fail)
		return vt_jread_fail(r, "components of %s: refused", keys[1]);
	all = json_object_new_array();
	*out = all;
	if (vt_jread_object(r))
		return -1;
	while ((ret = vt_jread_member(r, &s, &len)) > 0) {
		one = json_object_new_array();
		json_object_array_add(all, one);
		json_object_array_add(one, json_object_new_string_len(s, len));
		if (vt_jread_array(r))
			return -1;
		while ((ret = vt_jread_element(r)) > 0) {
			if (vt_jread_string(r, &s, &len))
				return -1;
			str = json_object_new_string_len(s, len);
			json_object_array_add(one, str);
		}
		if (ret < 0)
			return -1;
	}
	return ret;
}

static const char hook_doc[] =
	"{ \"stages\": {\n"
	"  \"firmware\": [ { \"components\": {} } ],\n"
	"  \"ima\": { \"pcr\": 10, \"components\": {\n"
	"    \"/usr/bin/a\\u00e9\": [ \"sha256:00\", \"sha1:\\/11\" ],\n"
	"    \"/b\": [ ] ,\n"
	"    \"\": [\"\\ud83d\\ude00\\t\"] } },\n"
	"  \"vtrust\": { \"components\" : { } },\n"
	"  \"x\": { \"y\": { \"components\": { \"n\": 1 } } },\n"
	"  \"kernel\": null },\n"
	"  \"components\": { \"z\": [1] },\n"
	"  \"checksum\": \"sha256:ff\" }\n";

static void test_hook(void)
{
	static const struct vt_jread_hook hooks[] = {
		{ comp_path, components },
	};
	struct hook_ctx c = { .calls = 0 };
	struct vt_jread_opts o = {
		.hooks = hooks, .nr_hooks = 1, .ctx = &c,
		.skip_key = "checksum",
	};
	json_object *doc, *plain, *v;
	uint8_t d[32], d0[32];
	char why[128];

	o.digest = d;
	CHECK(!vt_jread(hook_doc, sizeof(hook_doc) - 1, &o, &doc, why,
			sizeof(why)));
	CHECK(c.calls == 2);
	CHECK(!strcmp(c.seen[0], "3:stages/ima/components"));
	CHECK(!strcmp(c.seen[1], "3:stages/vtrust/components"));
	CHECK(json_object_object_get_ex(doc, "stages", &v) &&
	      json_object_object_get_ex(v, "ima", &v) &&
	      json_object_object_get_ex(v, "components", &v) &&
	      !strcmp(json_object_to_json_string_ext(v, FLAGS),
		      "[[\"/usr/bin/a\xc3\xa9\",\"sha256:00\",\"sha1:/11\"],"
		      "[\"/b\"],[\"\",\"\xf0\x9f\x98\x80\\t\"]]"));
	CHECK(json_object_object_get_ex(doc, "stages", &v) &&
	      json_object_object_get_ex(v, "vtrust", &v) &&
	      json_object_object_get_ex(v, "components", &v) &&
	      !strcmp(json_object_to_json_string_ext(v, FLAGS), "[]"));
	/* not hooked: inside an array, at other paths */
	CHECK(json_object_object_get_ex(doc, "stages", &v) &&
	      json_object_object_get_ex(v, "firmware", &v) &&
	      !strcmp(json_object_to_json_string_ext(v, FLAGS),
		      "[{\"components\":{}}]"));
	CHECK(json_object_object_get_ex(doc, "components", &v) &&
	      !strcmp(json_object_to_json_string_ext(v, FLAGS),
		      "{\"z\":[1]}"));
	json_object_put(doc);

	/* the digest does not depend on hooks */
	CHECK(!jread(hook_doc, sizeof(hook_doc) - 1, "checksum", d0, &plain,
		     why, sizeof(why)));
	CHECK(!memcmp(d, d0, 32));
	json_object_put(plain);
	CHECK(same_as_jsonc(hook_doc, sizeof(hook_doc) - 1, "checksum"));

	/* a hook's own reason, verbatim, and nothing leaks */
	c.calls = 0;
	c.fail = true;
	doc = (json_object *)&doc;
	CHECK(vt_jread(hook_doc, sizeof(hook_doc) - 1, &o, &doc, why,
		       sizeof(why)) == -1);
	CHECK(!doc && !strcmp(why, "components of ima: refused"));
	CHECK(c.calls == 1);
}

/* Primitives' failures inside a hook: the value is not what it expects. */
static void test_hook_bad_input(void)
{
	static const struct vt_jread_hook hooks[] = {
		{ comp_path, components },
	};
	static const struct bad t[] = {
		{ "{\"stages\":{\"a\":{\"components\":[]}}}", 0,
		  "an array where an object is expected at byte 29" },
		{ "{\"stages\":{\"a\":{\"components\": null}}}", 0,
		  "null where an object is expected at byte 30" },
		{ "{\"stages\":{\"a\":{\"components\": nul}}}", 0,
		  "not JSON: a misspelt true, false or null at byte 33" },
		{ "{\"stages\":{\"a\":{\"components\": -x}}}", 0,
		  "not JSON: a digit expected at byte 31" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":\"x\"}}}}", 0,
		  "a string where an array is expected at byte 34" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[1]}}}}", 0,
		  "a number where a string is expected at byte 35" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[\"a\",]}}}}", 0,
		  "not JSON: a value expected at byte 39" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[\"a\"}}}}", 0,
		  "not JSON: ',' or ']' expected at byte 38" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[\"\\u0000\"]}}}}", 0,
		  "a NUL character in a string at byte 36" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[]", 0,
		  "not JSON: the document is cut off at byte 36" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[] \"m\":[]}}}}", 0,
		  "not JSON: ',' or '}' expected at byte 37" },
		{ "{\"stages\":{\"a\":{\"components\":{\"n\":[],\"n\":[]}}}}", 0,
		  "" /* the hook does not check: accepted, see below */ },
	};
	struct hook_ctx c = { .calls = 0 };
	struct vt_jread_opts o = {
		.hooks = hooks, .nr_hooks = 1, .ctx = &c,
	};
	json_object *doc;
	char why[128];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why[0] = '\0';
		ret = vt_jread(t[i].text, strlen(t[i].text), &o, &doc, why,
			       sizeof(why));
		if (!t[i].why[0]) {
			CHECK(!ret);
			json_object_put(doc);
			continue;
		}
		CHECK(ret == -1 && !doc && strstr(why, t[i].why));
		if (!strstr(why, t[i].why))
			fprintf(stderr, "%s: %s\n", t[i].text, why);
	}
}

/* vt_jread_string_raw(): the bytes in place, up to the first quote. */
static const char *const raw_path[] = { "raw", "*", NULL };

static int raw_strings(struct vt_jread *r, void *ctx,
		       const char *const *keys, size_t depth,
		       json_object **out)
{
	const char **where = ctx;
	const char *s;
	size_t len;

	(void)depth;
	if (vt_jread_string_raw(r, &s, &len))
		return -1;
	if (!strcmp(keys[1], "a"))
		*where = s;
	*out = json_object_new_string_len(s, len);
	return 0;
}

#define RAW(t) t, strlen(t)

static void test_string_raw(void)
{
	static const struct vt_jread_hook hooks[] = {
		{ raw_path, raw_strings },
	};
	static const char doc_text[] =
		"{\"raw\": {\"a\": \"QUJD\", \"b\" : \"\"}, \"n\": 1}";
	const char *where = NULL;
	struct vt_jread_opts o = { .hooks = hooks, .nr_hooks = 1,
				   .ctx = &where };
	json_object *doc;
	char why[128];

	CHECK(!vt_jread(doc_text, sizeof(doc_text) - 1, &o, &doc, why,
			sizeof(why)));
	CHECK(where == doc_text + 15);
	CHECK(!strcmp(json_object_to_json_string_ext(doc, FLAGS),
		      "{\"raw\":{\"a\":\"QUJD\",\"b\":\"\"},\"n\":1}"));
	json_object_put(doc);
	/* cut off before the closing quote */
	CHECK(vt_jread(RAW("{\"raw\": {\"a\": \"QUJD"), &o, &doc, why,
		       sizeof(why)) == -1 && !doc &&
	      strstr(why, "cut off"));
	/* an escaped quote ends it: what follows is not JSON (a caller that
	 * checks its bytes has refused the backslash already) */
	CHECK(vt_jread(RAW("{\"raw\": {\"a\": \"x\\\"y\"}}"), &o, &doc, why,
		       sizeof(why)) == -1 && !doc);
	/* not a string */
	CHECK(vt_jread(RAW("{\"raw\": {\"a\": 1}}"), &o, &doc, why,
		       sizeof(why)) == -1 && strstr(why, "a string"));
}

/* Hooks that break the rules of the primitives. */
static int hook_nothing(struct vt_jread *r, void *ctx,
			const char *const *keys, size_t depth,
			json_object **out)
{
	(void)r, (void)ctx, (void)keys, (void)depth;
	*out = json_object_new_int(1);	/* freed by the reader */
	return 0;
}

static int hook_too_much(struct vt_jread *r, void *ctx,
			 const char *const *keys, size_t depth,
			 json_object **out)
{
	const char *k;
	size_t n;

	(void)ctx, (void)keys, (void)depth, (void)out;
	if (vt_jread_array(r) || vt_jread_element(r) != 0)
		return -1;
	/* the member after this one belongs to the reader */
	return vt_jread_member(r, &k, &n) < 0 ? -1 : 0;
}

static int hook_half(struct vt_jread *r, void *ctx, const char *const *keys,
		     size_t depth, json_object **out)
{
	(void)ctx, (void)keys, (void)depth, (void)out;
	return vt_jread_array(r);	/* left open */
}

static int hook_silent(struct vt_jread *r, void *ctx,
		       const char *const *keys, size_t depth,
		       json_object **out)
{
	(void)r, (void)ctx, (void)keys, (void)depth;
	*out = json_object_new_object();
	return -1;			/* no reason recorded */
}

static int hook_twice(struct vt_jread *r, void *ctx, const char *const *keys,
		      size_t depth, json_object **out)
{
	const char *s;
	size_t n;

	(void)ctx, (void)keys, (void)depth, (void)out;
	if (vt_jread_string(r, &s, &n))
		return -1;
	return vt_jread_string(r, &s, &n);
}

static void test_hook_misuse(void)
{
	static const char *const path[] = { "h", NULL };
	static const struct {
		int (*parse)(struct vt_jread *r, void *ctx,
			     const char *const *keys, size_t depth,
			     json_object **out);
		const char *why;
	} t[] = {
		{ hook_nothing, "a hook did not read exactly one value at byte 5" },
		{ hook_too_much, "vt_jread_member() called out of turn at byte 7" },
		{ hook_half, "a hook did not read exactly one value at byte 6" },
		{ hook_silent, "a hook failed at byte 5" },
		{ hook_twice, "vt_jread_string() called out of turn at byte 8" },
	};
	static const char doc[] = "{\"h\":[],\"i\":\"x\"}";
	struct vt_jread_hook hook = { path, NULL };
	struct vt_jread_opts o = { .hooks = &hook, .nr_hooks = 1 };
	json_object *out;
	char why[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hook.parse = t[i].parse;
		why[0] = '\0';
		CHECK(vt_jread(i == 4 ? "{\"h\":\"a\"}" : doc,
			       i == 4 ? 9 : sizeof(doc) - 1, &o, &out, why,
			       sizeof(why)) == -1 && !out);
		CHECK(!strcmp(why, t[i].why));
		if (strcmp(why, t[i].why))
			fprintf(stderr, "%zu: %s\n", i, why);
	}
}

/* A hook on the root (empty path) sees the skip key handled for it. */
static int hook_root(struct vt_jread *r, void *ctx, const char *const *keys,
		     size_t depth, json_object **out)
{
	const char *k, *s;
	size_t n;
	int ret;

	(void)ctx, (void)keys;
	if (depth)
		return vt_jread_fail(r, "depth %zu", depth);
	*out = json_object_new_object();
	if (vt_jread_object(r))
		return -1;
	while ((ret = vt_jread_member(r, &k, &n)) > 0) {
		char key[64];

		snprintf(key, sizeof(key), "%s", k);
		if (vt_jread_string(r, &s, &n))
			return -1;
		json_object_object_add(*out, key, json_object_new_string(s));
	}
	return ret;
}

static void test_hook_root(void)
{
	static const char *const path[] = { NULL };
	static const struct vt_jread_hook hook = { path, hook_root };
	static const char *const docs[] = {
		"{\"a\":\"1\",\"checksum\":\"x\",\"b\":\"\\u0002\"}",
		"{\"checksum\":\"x\",\"b\":\"2\"}",
		"{\"a\":\"1\",\"checksum\":\"x\"}",
		"{\"checksum\":\"x\"}",
		" { } ",
	};
	struct vt_jread_opts o = {
		.hooks = &hook, .nr_hooks = 1, .skip_key = "checksum",
	};
	uint8_t d[32], want[32];
	json_object *out, *ref;
	char why[128], *a;
	size_t i;

	o.digest = d;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		CHECK(!vt_jread(docs[i], strlen(docs[i]), &o, &out, why,
				sizeof(why)));
		CHECK(!jc_parse(docs[i], strlen(docs[i]), &ref));
		a = ser(out);
		CHECK(!strcmp(a, json_object_to_json_string_ext(ref, FLAGS)));
		ref_digest(ref, "checksum", want);
		CHECK(!memcmp(d, want, 32));
		free(a);
		json_object_put(out);
		json_object_put(ref);
	}
}

/* Two hooks: the first that matches is called; "*" is any one key. */
static int hook_tag(struct vt_jread *r, void *ctx, const char *const *keys,
		    size_t depth, json_object **out)
{
	const char *s;
	size_t n;

	(void)ctx;
	if (vt_jread_string(r, &s, &n))
		return -1;
	*out = json_object_new_string(depth == 2 ? keys[1] : "?");
	return 0;
}

static void test_hook_order(void)
{
	static const char *const p1[] = { "a", "c", NULL };
	static const char *const p2[] = { "*", "*", NULL };
	static const struct vt_jread_hook hooks[] = {
		{ p2, hook_tag }, { p1, hook_nothing }, { p2, hook_tag },
	};
	static const char doc[] =
		"{\"x\":{\"y\":\"1\"},\"a\":{\"c\":\"3\"},\"q\":[{\"r\":{}}]}";
	struct vt_jread_opts o = { .hooks = hooks, .nr_hooks = 2 };
	json_object *out;
	char why[128];

	CHECK(!vt_jread(doc, sizeof(doc) - 1, &o, &out, why, sizeof(why)));
	CHECK(!strcmp(json_object_to_json_string_ext(out, FLAGS),
		      "{\"x\":{\"y\":\"y\"},\"a\":{\"c\":\"c\"},"
		      "\"q\":[{\"r\":{}}]}"));
	json_object_put(out);
	/* the other order: "a", "c" goes to hook_nothing */
	o.hooks = hooks + 1;
	CHECK(vt_jread(doc, sizeof(doc) - 1, &o, &out, why, sizeof(why)) &&
	      !strcmp(why, "a hook did not read exactly one value at byte 24"));
}

/* Reasons: the first one recorded is kept, an empty one is replaced. */
static int hook_first_reason(struct vt_jread *r, void *ctx,
			     const char *const *keys, size_t depth,
			     json_object **out)
{
	const char *s;
	size_t n;

	(void)ctx, (void)keys, (void)depth, (void)out;
	if (vt_jread_offset(r) != 5)
		return vt_jread_fail(r, "offset %zu", vt_jread_offset(r));
	if (!vt_jread_array(r))
		return vt_jread_fail(r, "an array?");
	/* after a failure: -1 from every primitive, the reason stays */
	if (vt_jread_string(r, &s, &n) != -1 || vt_jread_object(r) != -1 ||
	    vt_jread_element(r) != -1 || vt_jread_member(r, &s, &n) != -1)
		return 0;
	return vt_jread_fail(r, "a later reason");
}

static int hook_empty_reason(struct vt_jread *r, void *ctx,
			     const char *const *keys, size_t depth,
			     json_object **out)
{
	(void)ctx, (void)keys, (void)depth, (void)out;
	return vt_jread_fail(r, "%s", "");
}

static void test_reasons(void)
{
	static const char *const path[] = { "h", NULL };
	struct vt_jread_hook hook = { path, hook_first_reason };
	struct vt_jread_opts o = { .hooks = &hook, .nr_hooks = 1 };
	json_object *out;
	char why[128];

	CHECK(vt_jread("{\"h\": \"x\"}", 10, &o, &out, why, sizeof(why)) &&
	      !strcmp(why, "a string where an array is expected at byte 6"));
	hook.parse = hook_empty_reason;
	CHECK(vt_jread("{\"h\":1}", 7, &o, &out, why, sizeof(why)) &&
	      !strcmp(why, "failed at byte 5"));
	/* cut to the buffer, or no buffer at all */
	CHECK(vt_jread("[1,]", 4, NULL, &out, why, 14) && !out &&
	      !strcmp(why, "not JSON: a v"));
	CHECK(vt_jread("[1,]", 4, NULL, &out, NULL, 0) && !out);
	CHECK(vt_jread("[1,]", 4, NULL, &out, why, 0) && !out);
	CHECK(!vt_jread("[1]", 3, NULL, &out, NULL, 0) && out);
	json_object_put(out);
	/* hooks with shorter paths than the depth reached, and no hook met */
	{
		static const char *const p1[] = { "a", NULL };
		static const char *const p2[] = { "x", "y", "z", NULL };
		static const struct vt_jread_hook hooks[] = {
			{ p1, hook_nothing }, { p2, hook_nothing },
		};
		static const char doc[] =
			"{\"x\":{\"y\":{\"w\":1},\"v\":[{\"a\":2}]},\"b\":3}";

		o.hooks = hooks;
		o.nr_hooks = 2;
		CHECK(!vt_jread(doc, sizeof(doc) - 1, &o, &out, why,
				sizeof(why)));
		CHECK(same_as_jsonc(doc, sizeof(doc) - 1, NULL));
		json_object_put(out);
	}
}

/* Speed (reported only, never asserted) */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int skip_components(struct vt_jread *r, void *ctx,
			   const char *const *keys, size_t depth,
			   json_object **out)
{
	const char *s;
	size_t n;
	int ret;

	(void)ctx, (void)keys, (void)depth, (void)out;
	if (vt_jread_object(r))
		return -1;
	while ((ret = vt_jread_member(r, &s, &n)) > 0) {
		if (vt_jread_array(r))
			return -1;
		while ((ret = vt_jread_element(r)) > 0)
			if (vt_jread_string(r, &s, &n))
				return -1;
		if (ret < 0)
			return -1;
	}
	return ret;
}

static void speed(void)
{
	static const char *const path[] = { "components", NULL };
	static const struct vt_jread_hook hook = { path, skip_components };
	json_object *doc, *comps, *a, *out;
	struct vt_jread_opts o = { .skip_key = "checksum" };
	char name[64], dig[80], why[256];
	double best[4] = { 1e9, 1e9, 1e9, 1e9 }, t;
	unsigned int i, k;
	const char *text;
	uint8_t d[32];
	size_t len;

	doc = json_object_new_object();
	json_object_object_add(doc, "format",
			       json_object_new_string("vtrust-baseline"));
	comps = json_object_new_object();
	json_object_object_add(doc, "components", comps);
	srand(1);
	for (i = 0; i < 110000; i++) {
		snprintf(name, sizeof(name),
			 "/usr/lib/x86_64-linux-gnu/lib%07u.so.1", i);
		strcpy(dig, "sha256:");
		for (k = 0; k < 64; k++)
			dig[7 + k] = "0123456789abcdef"[rand() % 16];
		dig[71] = '\0';
		a = json_object_new_array();
		json_object_array_add(a, json_object_new_string(dig));
		json_object_object_add(comps, name, a);
	}
	json_object_object_add(doc, "checksum",
			       json_object_new_string("sha256:00"));
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	for (k = 0; k < 5; k++) {
		o.digest = d;
		o.hooks = NULL;
		o.nr_hooks = 0;
		t = now();
		if (vt_jread(text, len, &o, &out, why, sizeof(why)))
			printf("speed: refused: %s\n", why);
		t = now() - t;
		best[0] = t < best[0] ? t : best[0];
		json_object_put(out);

		o.digest = NULL;
		t = now();
		vt_jread(text, len, &o, &out, why, sizeof(why));
		t = now() - t;
		best[1] = t < best[1] ? t : best[1];
		json_object_put(out);

		o.digest = d;
		o.hooks = &hook;
		o.nr_hooks = 1;
		t = now();
		vt_jread(text, len, &o, &out, why, sizeof(why));
		t = now() - t;
		best[2] = t < best[2] ? t : best[2];
		json_object_put(out);

		t = now();
		out = json_tokener_parse(text);
		t = now() - t;
		best[3] = t < best[3] ? t : best[3];
		json_object_put(out);
	}
	printf("speed: %zu bytes, 110000 components, best of 5:\n", len);
	printf("speed: vt_jread, digest:                  %7.1f ms %7.1f MB/s\n",
	       best[0] * 1e3, len / best[0] / 1e6);
	printf("speed: vt_jread, no digest:               %7.1f ms %7.1f MB/s\n",
	       best[1] * 1e3, len / best[1] / 1e6);
	printf("speed: vt_jread, digest, components hook: %7.1f ms %7.1f MB/s\n",
	       best[2] * 1e3, len / best[2] / 1e6);
	printf("speed: json_tokener_parse:                %7.1f ms %7.1f MB/s\n",
	       best[3] * 1e3, len / best[3] / 1e6);
	json_object_put(doc);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_digest_literal);
	RUN(test_invalid);
	RUN(test_depth);
	RUN(test_prefixes);
	RUN(test_skip_key);
	RUN(test_random);
	RUN(test_json_c_pairs);
	RUN(test_big);
	RUN(test_hook);
	RUN(test_hook_bad_input);
	RUN(test_string_raw);
	RUN(test_hook_misuse);
	RUN(test_hook_root);
	RUN(test_hook_order);
	RUN(test_reasons);
	if (getenv("VT_JREAD_SPEED"))
		speed();
	DONE();
}
