// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the baseline loader (baseline.c) on the seed baselines of
 * tests/corpus-baseline/: a good one loads; cut at every offset, with a bit
 * flipped in every byte, nested too deep, it is refused with a reason and
 * never crashes (this binary is built with ASan and UBSan). And the writer:
 * whatever bytes names, reasons and user names hold, what vt_baseline_init
 * and vt_baseline_save write loads again (a property test on random
 * documents built as the collection builds them).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	CHECK(strstr(why, "nesting deeper than"));
	free(deep);
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		CHECK(parse(odd[i], strlen(odd[i]), why, sizeof(why)) == -1);
}

/* Silence stderr around calls that are expected to print errors. */
static void quiet(bool on)
{
	static int saved = -1;
	int fd;

	fflush(stderr);
	if (on) {
		saved = dup(2);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		close(fd);
	} else if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
		saved = -1;
	}
}

static void test_stage_of_pcr(void)
{
	static const int want[VT_PCR_COUNT + 2] = {
		VT_STAGE_FIRMWARE, VT_STAGE_FIRMWARE, VT_STAGE_FIRMWARE,
		VT_STAGE_FIRMWARE, VT_STAGE_KERNEL, VT_STAGE_FIRMWARE,
		VT_STAGE_FIRMWARE, VT_STAGE_FIRMWARE, VT_STAGE_KERNEL,
		VT_STAGE_KERNEL, VT_STAGE_KERNEL, VT_STAGE_KERNEL,
		VT_STAGE_KERNEL, VT_STAGE_KERNEL, VT_STAGE_KERNEL,
		VT_STAGE_KERNEL, VT_STAGE_KERNEL, VT_STAGE_KERNEL,
		VT_STAGE_KERNEL, VT_STAGE_KERNEL, VT_STAGE_KERNEL,
		VT_STAGE_KERNEL, VT_STAGE_KERNEL, VT_STAGE_KERNEL, -1, -1,
	};
	uint32_t pcr;

	for (pcr = 0; pcr < VT_PCR_COUNT + 2; pcr++)
		CHECK(vt_stage_of_pcr(pcr) == want[pcr]);
	CHECK(vt_stage_of_pcr(UINT32_MAX) == -1);
}

/* A version 1 file, sealed right, is refused with the way out. */
static void test_old_version(void)
{
	char why[512], sum[80], *text;
	json_object *doc;
	const char *out;
	size_t len;

	text = read_seed("full", &len);
	if (!text)
		return;
	doc = json_tokener_parse(text);
	free(text);
	json_object_object_add(doc, "version", json_object_new_int(1));
	CHECK(!vt_baseline_checksum(doc, sum, sizeof(sum)));
	json_object_object_add(doc, "checksum", json_object_new_string(sum));
	out = json_object_to_json_string(doc);
	CHECK(parse(out, strlen(out), why, sizeof(why)) == -1);
	CHECK(strstr(why, "version: 1, an older schema") &&
	      strstr(why, "'vtrust baseline init --force'"));
	json_object_object_add(doc, "version", json_object_new_int(3));
	CHECK(!vt_baseline_checksum(doc, sum, sizeof(sum)));
	json_object_object_add(doc, "checksum", json_object_new_string(sum));
	out = json_object_to_json_string(doc);
	CHECK(parse(out, strlen(out), why, sizeof(why)) == -1);
	CHECK(strstr(why, "a newer schema"));
	json_object_put(doc);
}

static char dir[] = "/tmp/vtrust-bload-XXXXXX";

/* Random bytes, often near the limits and with multi-byte characters. */
static size_t random_name(uint8_t *p, size_t max)
{
	static const size_t lens[] = { 0, 1, 7, 1365, 1366, 1367, 4094, 4095,
				       4096, 4097, 5000 };
	size_t len = rand() % 2 ? lens[rand() % 11] : (size_t)rand() % 64;
	size_t i = 0;

	if (len > max)
		len = max;
	while (i < len) {
		switch (rand() % 4) {
		case 0:
			if (i + 3 <= len) {
				memcpy(p + i, "\xe2\x82\xac", 3);
				i += 3;
				break;
			}
			/* fall through */
		case 1:
			p[i++] = 'a' + rand() % 26;
			break;
		default:
			p[i++] = rand() % 256;
			break;
		}
	}
	return len;
}

static json_object *name_json(size_t max)
{
	static uint8_t raw[6000];
	static char esc[VT_NAME_MAX + 1];
	size_t len = random_name(raw, max);

	vt_name_escape(raw, len, esc, VT_NAME_MAX, NULL);
	return json_object_new_string(esc);
}

static json_object *random_event(int pcr)
{
	json_object *e = json_object_new_object(), *d = json_object_new_object();
	char hex[65];
	int i;

	for (i = 0; i < 64; i++)
		hex[i] = "0123456789abcdef"[rand() % 16];
	hex[64] = '\0';
	json_object_object_add(d, "sha256", json_object_new_string(hex));
	json_object_object_add(e, "pcr", json_object_new_int(pcr));
	json_object_object_add(e, "type", json_object_new_string("EV_IPL"));
	json_object_object_add(e, "name", name_json(6000));
	json_object_object_add(e, "digests", d);
	return e;
}

static bool seen_in(json_object *arr, const char *s)
{
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(arr, i)), s))
			return true;
	return false;
}

static json_object *random_runtime(int pcr, bool ima)
{
	json_object *st = json_object_new_object(), *c = json_object_new_object();
	json_object *v = json_object_new_array(), *n, *arr;
	int i;

	for (i = 0; i < 5; i++) {
		n = name_json(6000);
		arr = json_object_new_array();
		json_object_array_add(arr, json_object_new_string("sha256:00"));
		json_object_object_add(c, json_object_get_string(n), arr);
		/* violations are unique names, as components are */
		if (ima && i < 3 && !seen_in(v, json_object_get_string(n)))
			json_object_array_add(v, json_object_get(n));
		json_object_put(n);
	}
	json_object_object_add(st, "pcr", json_object_new_int(pcr));
	json_object_object_add(st, "components", c);
	if (ima)
		json_object_object_add(st, "violations", v);
	else
		json_object_put(v);
	return st;
}

/* This boot as the collection builds it (collect.h), with random names. */
static json_object *random_boot(void)
{
	json_object *doc = json_object_new_object(), *st, *fw, *k, *pcrs;
	int i;

	fw = json_object_new_array();
	k = json_object_new_array();
	for (i = 0; i < 6; i++) {
		json_object_array_add(fw, random_event(i % 2 ? 7 : 0));
		json_object_array_add(k, random_event(i % 2 ? 4 : 14));
	}
	st = json_object_new_object();
	json_object_object_add(st, "firmware", fw);
	json_object_object_add(st, "kernel", k);
	json_object_object_add(st, "ima", random_runtime(10, true));
	json_object_object_add(st, "vtrust", rand() % 2 ?
			       random_runtime(11, false) : NULL);
	pcrs = json_object_new_object();
	json_object_object_add(pcrs, "sha1", json_object_new_array());
	for (i = 0; i < VT_PCR_COUNT; i++)
		json_object_array_add(json_object_object_get(pcrs, "sha1"), NULL);
	json_object_object_add(doc, "format",
			       json_object_new_string(VT_BASELINE_FORMAT));
	json_object_object_add(doc, "version",
			       json_object_new_int(VT_BASELINE_VERSION));
	json_object_object_add(doc, "pcrs", pcrs);
	json_object_object_add(doc, "stages", st);
	return doc;
}

static void test_writer_round_trip(void)
{
	char path[64], reason[VT_REASON_MAX + 1], user[300];
	json_object *cur, *back;
	unsigned int i, bad = 0;
	size_t len;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	srand(6);
	for (i = 0; i < 60; i++) {
		len = random_name((uint8_t *)reason, VT_REASON_MAX);
		reason[len] = '\0';	/* a C string: the rest of it */
		len = random_name((uint8_t *)user, sizeof(user) - 1);
		user[len] = '\0';
		setenv("SUDO_USER", user, 1);
		cur = random_boot();
		bad += vt_baseline_init(path, cur, reason, true, true) != 0;
		json_object_put(cur);
		back = NULL;
		bad += vt_baseline_load(path, &back) != 0;
		/* init --force carries the history on */
		bad += json_object_array_length(json_object_object_get(
			back, "history")) != i + 1;
		json_object_put(back);
	}
	unsetenv("SUDO_USER");
	CHECK(!bad);
}

/* What the loader would refuse is not written. */
static void test_save_refuses(void)
{
	json_object *cur = random_boot(), *ev;
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "%s/refused.json", dir);
	ev = json_object_array_get_idx(json_object_object_get(
		json_object_object_get(cur, "stages"), "kernel"), 0);
	json_object_object_add(ev, "name", json_object_new_string(""));
	quiet(true);
	ret = vt_baseline_init(path, cur, NULL, false, true);
	quiet(false);
	CHECK(ret == 2 && access(path, F_OK));
	json_object_object_add(ev, "name", json_object_new_string("a\x1b" "b"));
	quiet(true);
	ret = vt_baseline_init(path, cur, NULL, false, true);
	quiet(false);
	CHECK(ret == 2 && access(path, F_OK));
	json_object_put(cur);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	RUN(test_stage_of_pcr);
	RUN(test_old_version);
	RUN(test_writer_round_trip);
	RUN(test_save_refuses);
	cleanup();
	RUN(test_seeds);
	RUN(test_truncated_every_offset);
	RUN(test_bit_flips);
	RUN(test_deep_and_odd);
	DONE();
}
