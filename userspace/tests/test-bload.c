// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the baseline loader (baseline.c) on the seed baselines of
 * tests/corpus-baseline/: a good one loads; cut at every offset, with a bit
 * flipped in every byte, nested too deep, it is refused with a reason and
 * never crashes (this binary is built with ASan and UBSan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "check.h"

static char *read_seed(const char *name, size_t *len)
{
	char path[256];
	char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "tests/corpus-baseline/%s", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Parse an exact-size copy of @len bytes: 0 accepted, -1 refused. */
static int parse(const char *text, size_t len, char *why, size_t whylen)
{
	char *copy = malloc(len ? len : 1);
	json_object *doc = NULL;
	int ret;

	memcpy(copy, text, len);
	why[0] = '\0';
	ret = vt_baseline_parse(copy, len, &doc, why, whylen);
	if (!ret && !doc)
		ret = -2;
	if (ret && (doc || !why[0]))
		ret = -2;
	json_object_put(doc);
	free(copy);
	return ret;
}

static void test_seeds(void)
{
	char why[512], *text;
	size_t len;

	text = read_seed("full", &len);
	CHECK(text);
	if (!text)
		return;
	CHECK(!parse(text, len, why, sizeof(why)));
	free(text);
	text = read_seed("empty-stages", &len);
	CHECK(text && !parse(text, len, why, sizeof(why)));
	free(text);
	text = read_seed("unsealed", &len);
	CHECK(text && parse(text, len, why, sizeof(why)) == -1);
	CHECK(!strcmp(why, "no \"checksum\""));
	free(text);
}

static void test_truncated_every_offset(void)
{
	char why[512], *text;
	size_t len, cut;

	text = read_seed("full", &len);
	if (!text)
		return;
	for (cut = 0; cut < len; cut++)
		CHECK(parse(text, cut, why, sizeof(why)) == -1);
	free(text);
}

static void test_bit_flips(void)
{
	char why[512], *text;
	size_t len, at;
	unsigned int refused = 0, bit;
	int ret;

	text = read_seed("full", &len);
	if (!text)
		return;
	for (at = 0; at < len; at++) {
		bit = at % 8;
		text[at] ^= 1 << bit;
		ret = parse(text, len, why, sizeof(why));
		CHECK(ret == 0 || ret == -1);
		refused += ret == -1;
		text[at] ^= 1 << bit;
	}
	/* only flips inside whitespace may leave the same document */
	CHECK(refused > len * 9 / 10);
	free(text);
}

static void test_deep_and_odd(void)
{
	static const char *const odd[] = {
		"", "{", "}", "null", "[]", "\"x\"", "1e999", "{\"format\":1}",
		"{\"a\":\"\\ud800\"}", "{\"a\":\"\xff\"}",
	};
	char why[512], *deep;
	size_t i, n = 100000;

	deep = malloc(2 * n);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	CHECK(parse(deep, 2 * n, why, sizeof(why)) == -1);
	CHECK(!strncmp(why, "not JSON", 8));
	free(deep);
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		CHECK(parse(odd[i], strlen(odd[i]), why, sizeof(why)) == -1);
}

int main(void)
{
	RUN(test_seeds);
	RUN(test_truncated_every_offset);
	RUN(test_bit_flips);
	RUN(test_deep_and_odd);
	DONE();
}
