// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of names.c: the storage escape against the rules of names.h
 * (expected texts written from those rules), its round trip on random
 * bytes, names cut at the limit (the SHA-256 in the mark computed here with
 * OpenSSL's SHA256()), and the display filter.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "check.h"
#include "names.h"

static char out[VT_NAME_MAX + 1];

static const char *esc(const char *in, size_t len)
{
	vt_name_escape((const uint8_t *)in, len, out, VT_NAME_MAX, NULL);
	return out;
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

static void test_escape_rules(void)
{
	CHECK(!strcmp(ESC(""), "(empty)"));
	CHECK(!strcmp(ESC("(empty)"), "\\x28empty)"));
	CHECK(!strcmp(ESC("a(b"), "a(b"));
	CHECK(!strcmp(ESC("a\\b"), "a\\\\b"));
	CHECK(!strcmp(ESC("\\x0a"), "\\\\x0a"));
	CHECK(!strcmp(ESC("\n"), "\\x0a"));
	CHECK(!strcmp(ESC("a\0b"), "a\\x00b"));
	CHECK(!strcmp(ESC("\x7f"), "\\x7f"));
	CHECK(!strcmp(ESC("caf\xe9"), "caf\\xe9"));
	CHECK(!strcmp(ESC("caf\xc3\xa9"), "caf\xc3\xa9"));
	CHECK(!strcmp(ESC("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"));
	/* C1 NEL, RLO, LRI, LRM, BOM: each byte escaped */
	CHECK(!strcmp(ESC("\xc2\x85"), "\\xc2\\x85"));
	CHECK(!strcmp(ESC("x\xe2\x80\xaey"), "x\\xe2\\x80\\xaey"));
	CHECK(!strcmp(ESC("\xe2\x81\xa6"), "\\xe2\\x81\\xa6"));
	CHECK(!strcmp(ESC("\xe2\x80\x8e"), "\\xe2\\x80\\x8e"));
	CHECK(!strcmp(ESC("\xef\xbb\xbf"), "\\xef\\xbb\\xbf"));
	/* a surrogate, an overlong '/', a cut sequence: bytes */
	CHECK(!strcmp(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80"));
	CHECK(!strcmp(ESC("\xc0\xaf"), "\\xc0\\xaf"));
	CHECK(!strcmp(ESC("\xe2\x82"), "\\xe2\\x82"));
}

static bool round_trip(const uint8_t *p, size_t len)
{
	uint8_t back[VT_NAME_MAX + 1];
	size_t n, blen;
	bool cut;

	n = vt_name_escape(p, len, out, VT_NAME_MAX, &cut);
	if (cut || n != strlen(out) || !vt_name_valid(out, n, VT_NAME_MAX))
		return false;
	return vt_name_unescape(out, n, back, &blen) == 0 && blen == len &&
	       !memcmp(back, p, len);
}

/* Random names, biased towards the bytes the escape treats specially. */
static void test_round_trip_random(void)
{
	static const uint8_t special[] = {
		'\\', '(', 'x', '0', 0, '\n', 0x7f, 0x80, 0x85, 0xc2, 0xc3,
		0xe2, 0x80, 0xae, 0xa6, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0xed,
		0xff, '.',
	};
	uint8_t name[640];
	unsigned int i, k, len, bad = 0;

	srand(8);
	for (i = 0; i < 20000; i++) {
		len = rand() % 600 * (rand() % 4 == 0) + rand() % 40;
		for (k = 0; k < len; k++)
			name[k] = rand() % 2 ? special[rand() % sizeof(special)] :
				  rand() % 256;
		bad += !round_trip(name, len);
	}
	CHECK(!bad);
	CHECK(round_trip((const uint8_t *)"", 0));
	CHECK(round_trip((const uint8_t *)"(empty)", 7));
	/* a real name that looks like a cut mark is no cut name */
	CHECK(round_trip((const uint8_t *)"a\\...sha256:0123456789abcdef", 28));
}

static void sha256_16(const uint8_t *p, size_t len, char *hex)
{
	static const char hx[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_LENGTH];
	unsigned int i;

	SHA256(p, len, d);
	for (i = 0; i < 8; i++) {
		hex[2 * i] = hx[d[i] >> 4];
		hex[2 * i + 1] = hx[d[i] & 15];
	}
	hex[16] = '\0';
}

/* A long name: cut at a character or escape, marked, unique, its start
 * given back by unescape. */
static void check_cut(const uint8_t *p, size_t len)
{
	uint8_t back[VT_NAME_MAX + 1];
	char want[64], hex[17];
	size_t n, blen;
	bool cut;

	n = vt_name_escape(p, len, out, VT_NAME_MAX, &cut);
	sha256_16(p, len, hex);
	snprintf(want, sizeof(want), "\\...sha256:%s", hex);
	CHECK(cut && n <= VT_NAME_MAX && n == strlen(out));
	CHECK(n >= VT_NAME_CUT_LEN &&
	      !strcmp(out + n - VT_NAME_CUT_LEN, want));
	CHECK(n > VT_NAME_MAX - VT_NAME_CUT_LEN - 12);
	CHECK(vt_name_valid(out, n, VT_NAME_MAX));
	CHECK(vt_name_unescape(out, n, back, &blen) == 1);
	CHECK(blen <= len && !memcmp(back, p, blen));
}

static void test_cut(void)
{
	static uint8_t name[3 * VT_NAME_MAX];
	char first[VT_NAME_MAX + 1];
	unsigned int k, i;

	memset(name, 'a', sizeof(name));
	check_cut(name, VT_NAME_MAX + 1);
	/* exactly the limit is kept whole */
	CHECK(round_trip(name, VT_NAME_MAX));
	/* a 3-byte character, and an escape, across the limit at every shift */
	for (k = 0; k < 4; k++) {
		memset(name, 'a', k);
		for (i = k; i + 3 <= 5000; i += 3)
			memcpy(name + i, "\xe2\x82\xac", 3);
		check_cut(name, i);
		memset(name, 'a', k);
		memset(name + k, 1, 2000);
		check_cut(name, k + 2000);
	}
	/* two names with the same first 5000 bytes */
	memset(name, 'b', 6000);
	vt_name_escape(name, 6000, first, VT_NAME_MAX, NULL);
	name[5999] = 'c';
	esc((const char *)name, 6000);
	CHECK(strcmp(first, out));
	/* a smaller limit (host and user names) */
	CHECK(vt_name_escape(name, 300, out, 256, NULL) <= 256);
	CHECK(vt_name_valid(out, strlen(out), 256));
}

static void test_unescape_refuses(void)
{
	static const char *const bad[] = {
		"", "(x", "a\\", "a\\x0", "a\\xZZ", "a\\xAB", "a\\q",
		"a\\...sha256:0123", "a\\...sha256:0123456789abcdefX",
	};
	uint8_t back[64];
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(vt_name_unescape(bad[i], strlen(bad[i]), back, &n) == -1);
}

static void test_valid(void)
{
	CHECK(vt_name_valid("a b/c\\d", 7, 64));
	CHECK(!vt_name_valid("", 0, 64));
	CHECK(!vt_name_valid("abc", 3, 2));
	CHECK(!vt_name_valid("a\tb", 3, 64));
	CHECK(!vt_name_valid("a\xe2\x80\xae", 4, 64));
	CHECK(!vt_name_valid("\xc2\x9b", 2, 64));
	CHECK(!vt_name_valid("\xff", 1, 64));
}

static void test_display(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	vt_name_print(f, "a\x1b]0;x\x07\x1b[2Jb\xe2\x80\xae" "c\\d\ne\xc3\xa9\xff");
	fclose(f);
	CHECK(!strcmp(buf, "a\\x1b]0;x\\x07\\x1b[2Jb\\xe2\\x80\\xae"
			   "c\\d\\x0ae\xc3\xa9\\xff"));
	free(buf);
}

int main(void)
{
	RUN(test_escape_rules);
	RUN(test_round_trip_random);
	RUN(test_cut);
	RUN(test_unescape_refuses);
	RUN(test_valid);
	RUN(test_display);
	DONE();
}
