// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of compare.c on hand-written documents: the kinds of
 * difference (violation, missing, rollback), difference and set IDs (the
 * SHA-256 computed here with OpenSSL's SHA256()), the reference, and the
 * cost of a large component set (hash sets, not a scan per entry).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "check.h"
#include "compare.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"
#define HA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HC "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* A document: {"stages": STAGES, "retired": RETIRED}. */
static json_object *doc(const char *stages, const char *retired)
{
	char text[4096];

	snprintf(text, sizeof(text), "{\"stages\": %s, \"retired\": %s}",
		 stages, retired ? retired : "[]");
	return json_tokener_parse(text);
}

static struct vt_diffs ds;
static json_object *last[2];	/* the differences point into them */

static void forget(void)
{
	vt_diffs_free(&ds);
	json_object_put(last[0]);
	json_object_put(last[1]);
	last[0] = last[1] = NULL;
}

static int compare(json_object *base, json_object *cur, json_object *ref)
{
	char why[256];

	forget();
	last[0] = base;
	last[1] = cur;
	if (vt_baseline_sets(base, why, sizeof(why)) ||
	    vt_baseline_sets(cur, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	return vt_compare(base, cur, ref, &ds);
}

static void hex16(const uint8_t *d, char *out)
{
	static const char hx[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < 8; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[16] = '\0';
}

/* BASELINE.md: SHA-256 of "stage|kind|pcr|type|name|digests". */
static void want_id(const char *text, char *out)
{
	uint8_t d[SHA256_DIGEST_LENGTH];

	SHA256((const uint8_t *)text, strlen(text), d);
	hex16(d, out);
}

#define EMPTY_FW "\"firmware\": [], \"kernel\": []"

static void test_violations(void)
{
	char id[17];

	CHECK(!compare(doc("{" EMPTY_FW ", \"vtrust\": null, \"ima\": {\"pcr\": 10, \"components\": {}, \"violations\": [\"/a\"]}}", NULL),
		       doc("{" EMPTY_FW ", \"vtrust\": null, \"ima\": {\"pcr\": 10, \"components\": {}, \"violations\": [\"/a\", \"/b\"]}}", NULL),
		       NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "violation") &&
	      !strcmp(ds.d[0].name, "/b") && ds.d[0].stage == VT_STAGE_IMA);
	want_id("ima|violation|-1||/b|", id);
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].id, id));
	CHECK(vt_diffs_open(&ds) == 1);
}

static void test_missing_stage(void)
{
	char id[17];

	CHECK(!compare(doc("{" EMPTY_FW ", \"ima\": null, \"vtrust\": {\"pcr\": 11, \"components\": {\"x\": [\"" D1 "\"]}}}", NULL),
		       doc("{" EMPTY_FW ", \"ima\": null, \"vtrust\": null}", NULL),
		       NULL));
	want_id("vtrust|missing|-1||vtrust|", id);
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "missing") &&
	      ds.d[0].stage == VT_STAGE_VTRUST && !strcmp(ds.d[0].id, id));
	CHECK(ds.count[VT_STAGE_VTRUST].missing &&
	      !ds.count[VT_STAGE_VTRUST].absent &&
	      ds.count[VT_STAGE_IMA].absent);
	/* a stage this boot has and the baseline lacks: every component new */
	CHECK(!compare(doc("{" EMPTY_FW ", \"ima\": null, \"vtrust\": null}", NULL),
		       doc("{" EMPTY_FW ", \"ima\": null, \"vtrust\": {\"pcr\": 11, \"components\": {\"x\": [\"" D1 "\"], \"y\": [\"" D2 "\"]}}}", NULL),
		       NULL));
	CHECK(ds.nr == 2 && !strcmp(ds.d[0].kind, "new") &&
	      !strcmp(ds.d[1].kind, "new"));
}

#define VT_STAGE(comps) "{" EMPTY_FW ", \"ima\": null, \"vtrust\": {\"pcr\": 11, \"components\": " comps "}}"

static void test_runtime_rollback(void)
{
	const char *retired = "[{\"stage\": \"vtrust\", \"name\": \"x\", \"digest\": \"" D1 "\"}]";
	char id[17];

	CHECK(!compare(doc(VT_STAGE("{\"x\": [\"" D2 "\"]}"), retired),
		       doc(VT_STAGE("{\"x\": [\"" D1 "\"]}"), NULL), NULL));
	want_id("vtrust|rollback|-1||x|" D1, id);
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "rollback") &&
	      !strcmp(ds.d[0].id, id));
	/* retired under any name of the stage */
	CHECK(!compare(doc(VT_STAGE("{\"x\": [\"" D2 "\"]}"), retired),
		       doc(VT_STAGE("{\"y\": [\"" D1 "\"]}"), NULL), NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "rollback"));
	CHECK(!compare(doc(VT_STAGE("{\"x\": [\"" D2 "\"]}"), retired),
		       doc(VT_STAGE("{\"x\": [\"" D3 "\", \"" D2 "\"]}"), NULL),
		       NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "changed"));
	/* the same digest trusted under another name is no difference */
	CHECK(!compare(doc(VT_STAGE("{\"x\": [\"" D2 "\"], \"z\": [\"" D1 "\"]}"), retired),
		       doc(VT_STAGE("{\"z\": [\"" D1 "\"]}"), NULL), NULL));
	CHECK(ds.nr == 0);
}

#define EV(pcr, hex) "{\"pcr\": " #pcr ", \"type\": \"EV_IPL\", \"name\": \"n\", \"digests\": {\"sha256\": \"" hex "\"}}"
#define KSTAGE(evs) "{\"firmware\": [], \"kernel\": [" evs "], \"ima\": null, \"vtrust\": null}"

static void test_ordered_rollback(void)
{
	const char *retired = "[{\"stage\": \"kernel\", \"pcr\": 14, \"type\": \"EV_IPL\", \"name\": \"n\", \"digests\": {\"sha256\": \"" HA "\"}}]";
	char id[17];

	CHECK(!compare(doc(KSTAGE(EV(14, HB)), retired),
		       doc(KSTAGE(EV(14, HA)), NULL), NULL));
	want_id("kernel|rollback|14|EV_IPL|n|sha256=" HA ";", id);
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "rollback") &&
	      ds.d[0].pcr == 14 && !strcmp(ds.d[0].id, id));
	CHECK(!compare(doc(KSTAGE(EV(14, HB)), retired),
		       doc(KSTAGE(EV(14, HC)), NULL), NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "changed"));
	/* another PCR's retired event is not this one's */
	CHECK(!compare(doc(KSTAGE(EV(13, HB)), retired),
		       doc(KSTAGE(EV(13, HA)), NULL), NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "changed"));
	/* position and count: an accepted event once is not twice */
	CHECK(!compare(doc(KSTAGE(EV(4, HA) "," EV(4, HB)), NULL),
		       doc(KSTAGE(EV(4, HA) "," EV(4, HB) "," EV(4, HB)), NULL),
		       NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "added"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_set_id(void)
{
	uint8_t d[SHA256_DIGEST_LENGTH];
	char got[17], want[17], text[17 * 8];
	char *ids[8];
	size_t i;

	CHECK(!compare(doc(VT_STAGE("{}"), NULL), doc(VT_STAGE("{}"), NULL),
		       NULL));
	CHECK(!vt_diffs_set_id(&ds, got));
	/* SHA-256 of nothing */
	CHECK(!strcmp(got, "e3b0c44298fc1c14"));
	CHECK(!compare(doc(VT_STAGE("{}"), NULL),
		       doc(VT_STAGE("{\"c\": [\"" D1 "\"], \"a\": [\"" D2 "\"], \"b\": [\"" D3 "\"]}"), NULL),
		       NULL));
	CHECK(ds.nr == 3);
	if (ds.nr != 3)
		return;
	for (i = 0; i < 3; i++)
		ids[i] = ds.d[i].id;
	qsort(ids, 3, sizeof(ids[0]), cmp_str);
	text[0] = '\0';
	for (i = 0; i < 3; i++) {
		strcat(text, ids[i]);
		strcat(text, "\n");
	}
	SHA256((const uint8_t *)text, strlen(text), d);
	hex16(d, want);
	CHECK(!vt_diffs_set_id(&ds, got) && !strcmp(got, want));
	/* a referenced difference is not in the set */
	ds.d[0].referenced = true;
	CHECK(!vt_diffs_set_id(&ds, got) && strcmp(got, want));
}

static void test_reference(void)
{
	char path[] = "/tmp/vtrust-ref-XXXXXX";
	json_object *ref = NULL;
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fprintf(f, "sha256:%s /lib/modules/6.1.0/kernel/sound/snd-hda.ko.xz\n"
		"sha256:%s\n", &D1[7], &D2[7]);
	fclose(f);
	CHECK(!vt_reference_load(path, &ref));
	unlink(path);
	CHECK(!compare(doc(VT_STAGE("{}"), NULL),
		       doc(VT_STAGE("{\"init_module:snd_hda\": [\"" D1 "\"], \"init_module:snd_hdb\": [\"" D1 "\"], \"/usr/lib/modules/6.1.0/kernel/sound/snd-hda.ko.xz\": [\"" D1 "\"], \"/other\": [\"" D2 "\"], \"/third\": [\"" D3 "\"]}"), NULL),
		       ref));
	CHECK(ds.nr == 5);
	CHECK(ds.nr == 5 && ds.d[0].referenced && !ds.d[1].referenced &&
	      ds.d[2].referenced && ds.d[3].referenced && !ds.d[4].referenced);
	CHECK(vt_diffs_open(&ds) == 2 && ds.count[VT_STAGE_VTRUST].accepted == 3);
	json_object_put(ref);
}

/* What @fn prints on stdout. */
static char *stdout_of(void (*fn)(const struct vt_diffs *))
{
	char path[] = "/tmp/vtrust-out-XXXXXX", *buf = calloc(1, 4096);
	int fd = mkstemp(path), saved = dup(1);

	fflush(stdout);
	dup2(fd, 1);
	fn(&ds);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (buf && pread(fd, buf, 4095, 0) < 0)
		buf[0] = '\0';
	close(fd);
	unlink(path);
	return buf;
}

static void test_print_stages(void)
{
	json_object *ref = json_tokener_parse(
		"{\"names\": {\"\": {\"" D1 "\": null}}, \"modules\": {}}");
	char *out;

	CHECK(!compare(doc("{\"firmware\": [], \"kernel\": [" EV(4, HA) "], \"ima\": {\"pcr\": 10, \"components\": {}, \"violations\": []}, \"vtrust\": null}", NULL),
		       doc("{\"firmware\": [], \"kernel\": [" EV(4, HA) "], \"ima\": null, \"vtrust\": {\"pcr\": 11, \"components\": {\"a\": [\"" D1 "\"], \"b\": [\"" D1 "\"], \"c\": [\"" D2 "\"]}}}", NULL),
		       ref));
	out = stdout_of(vt_diffs_print_stages);
	CHECK(out && !strcmp(out,
		"firmware 0 events, as in the baseline\n"
		"kernel   1 event, as in the baseline\n"
		"ima      absent this boot, 1 difference: the baseline has it\n"
		"vtrust   3 components, 1 difference, 2 accepted differences (in the reference)\n"));
	free(out);
	json_object_put(ref);
}

/* 200k digests under one name: a scan per entry would take minutes. */
static void test_linear_cost(void)
{
	json_object *base = doc(VT_STAGE("{}"), NULL);
	json_object *cur = doc(VT_STAGE("{}"), NULL), *a, *b;
	char dig[80];
	clock_t t;
	unsigned int i, n = 200000;

	a = json_object_new_array();
	b = json_object_new_array();
	for (i = 0; i < n; i++) {
		snprintf(dig, sizeof(dig), "sha256:%064x", i);
		json_object_array_add(a, json_object_new_string(dig));
		json_object_array_add(b, json_object_new_string(dig));
	}
	json_object_array_add(b, json_object_new_string(D1));
	json_object_object_add(json_object_object_get(json_object_object_get(
		json_object_object_get(base, "stages"), "vtrust"), "components"),
		"/etc/app.conf", a);
	json_object_object_add(json_object_object_get(json_object_object_get(
		json_object_object_get(cur, "stages"), "vtrust"), "components"),
		"/etc/app.conf", b);
	t = clock();
	CHECK(!compare(base, cur, NULL));
	CHECK(ds.nr == 1 && !strcmp(ds.d[0].kind, "changed"));
	CHECK(clock() - t < 20 * CLOCKS_PER_SEC);
}

int main(void)
{
	RUN(test_violations);
	RUN(test_missing_stage);
	RUN(test_runtime_rollback);
	RUN(test_ordered_rollback);
	RUN(test_set_id);
	RUN(test_reference);
	RUN(test_print_stages);
	RUN(test_linear_cost);
	forget();
	DONE();
}
