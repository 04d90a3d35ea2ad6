// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of bindex.c: an index written from random component sets
 * (many digests under a name, names that share prefixes and lengths) must
 * answer every lookup as the sets do, one at a time and in batches, in
 * order and out of it; vt_bindex_fill() must copy a name's digests as the
 * set has them; the index is bound to the JSON file it was made for.
 */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bindex.h"
#include "check.h"
#include "compset.h"
#include "stagedoc.h"

static char dir[] = "/tmp/vtrust-bindex-XXXXXX";
static char path[64];

static struct vt_compset *set_of(json_object *doc, const char *stage)
{
	return vt_compset_of(json_object_object_get(json_object_object_get(
		json_object_object_get(doc, "stages"), stage), "components"));
}

static void name_of(unsigned int k, char *out, size_t size)
{
	/* lengths repeat, prefixes are shared: only the bytes tell apart */
	snprintf(out, size, "/usr/lib/x86_64-linux-gnu/lib%07u.so.%u", k,
		 k % 3);
}

static void digest_of(unsigned int k, unsigned int j, char *out, size_t size)
{
	snprintf(out, size, "sha256:%064x", k * 7919u + j);
}

static struct vt_compset *random_set(unsigned int n, unsigned int seed)
{
	struct vt_compset *s = vt_compset_new();
	char name[128], d[96];
	struct vt_comp *c;
	unsigned int k, j, nd;

	srand(seed);
	for (k = 0; k < n; k++) {
		name_of(k, name, sizeof(name));
		c = vt_compset_add(s, name, strlen(name));
		nd = rand() % 40 ? 1 : 1 + rand() % 20;
		for (j = 0; j < nd; j++) {
			digest_of(k, j, d, sizeof(d));
			vt_comp_add(s, c, d, strlen(d), -1);
		}
	}
	return s;
}

static struct vt_bindex *open_index(void)
{
	struct vt_bindex *x = NULL;
	char why[256];

	CHECK(vt_bindex_open(path, &x, why, sizeof(why)) == 0);
	return x;
}

static void writes_what_the_sets_hold(void)
{
	struct vt_bindex_range r[VT_BINDEX_STAGES] = { { 10, 20 }, { 30, 40 } };
	json_object *doc = stage_doc(random_set(5000, 1), random_set(300, 2));
	struct vt_compset *ima = set_of(doc, "ima");
	struct vt_bindex_query q[32];
	bool want[32];
	const struct vt_comp *c;
	struct vt_bindex *x;
	char name[128], d[96];
	size_t i = 0, next = 0, n = 0, k;
	int64_t pos;

	CHECK(vt_bindex_write(path, doc, r) == 0);
	x = open_index();
	if (!x)
		goto out;
	CHECK(vt_bindex_size(x, VT_STAGE_IMA) == 5000);
	CHECK(vt_bindex_size(x, VT_STAGE_VTRUST) == 300);
	CHECK(vt_bindex_range(x, VT_STAGE_VTRUST).start == 30);
	CHECK(vt_bindex_range(x, VT_STAGE_IMA).end == 20);
	/* every name with every digest, each at its own position */
	while ((c = vt_compset_next(ima, &i))) {
		for (k = 0; k < c->nr; k++) {
			pos = vt_bindex_match(x, VT_STAGE_IMA, c->name, c->len,
					      c->d[k].s, strlen(c->d[k].s),
					      &next);
			CHECK(pos == (int64_t)(i - 1));
		}
		/* another digest, a name cut short, the other stage */
		CHECK(vt_bindex_match(x, VT_STAGE_IMA, c->name, c->len,
				      "sha256:00", 9, NULL) < 0);
		CHECK(vt_bindex_match(x, VT_STAGE_IMA, c->name, c->len - 1,
				      NULL, 0, NULL) < 0);
		CHECK(vt_bindex_match(x, VT_STAGE_VTRUST, c->name, c->len,
				      NULL, 0, NULL) == (i - 1 < 300 ?
							 (int64_t)(i - 1) : -1));
	}
	/* batches in a shuffled order, with unknown names among them */
	srand(3);
	for (k = 0; k < 20000; k++) {
		unsigned int v = rand() % 6000, j = rand() % 2;

		name_of(v, name, sizeof(name));
		digest_of(v, j, d, sizeof(d));
		c = vt_compset_get(ima, name, strlen(name));
		q[n].name = strdup(name);
		q[n].len = strlen(name);
		q[n].digest = strdup(d);
		q[n].dlen = strlen(d);
		want[n] = c && vt_comp_find(c, d);	/* the sets' answer */
		if (++n < 32 && k != 19999)
			continue;
		vt_bindex_match_many(x, VT_STAGE_IMA, q, n, &next);
		for (i = 0; i < n; i++) {
			CHECK((q[i].pos >= 0) == want[i]);
			free((char *)q[i].name);
			free((char *)q[i].digest);
		}
		n = 0;
	}
	vt_bindex_close(x);
out:
	json_object_put(doc);
}

static void fill_copies_the_digests(void)
{
	struct vt_bindex_range r[VT_BINDEX_STAGES] = { { 0, 0 }, { 0, 0 } };
	json_object *doc = stage_doc(random_set(2000, 4), vt_compset_new());
	json_object *base = stage_doc(vt_compset_new(), vt_compset_new());
	json_object *cur = stage_doc(vt_compset_new(), vt_compset_new());
	struct vt_compset *cset = set_of(cur, "ima"), *bset = set_of(base, "ima");
	struct vt_compset *full = set_of(doc, "ima");
	const struct vt_comp *c, *b, *f;
	char name[128], why[128];
	struct vt_bindex *x;
	unsigned int k;
	size_t i = 0;
	uint32_t j;

	for (k = 0; k < 2000; k += 7) {
		name_of(k, name, sizeof(name));
		vt_comp_add(cset, vt_compset_add(cset, name, strlen(name)),
			    "sha1:00", 7, 0);
	}
	vt_comp_add(cset, vt_compset_add(cset, "/new", 4), "sha1:00", 7, 0);
	CHECK(vt_bindex_write(path, doc, r) == 0);
	x = open_index();
	if (!x)
		goto out;
	CHECK(vt_bindex_fill(x, base, cur, why, sizeof(why)) == 0);
	CHECK(vt_compset_count(bset) == 286);
	CHECK(!vt_compset_get(bset, "/new", 4));
	while ((c = vt_compset_next(cset, &i))) {
		b = vt_compset_get(bset, c->name, c->len);
		f = vt_compset_get(full, c->name, c->len);
		CHECK(!b == !f);
		for (j = 0; b && f && j < f->nr; j++)
			CHECK(j < b->nr && !strcmp(b->d[j].s, f->d[j].s));
		CHECK(!b || b->nr == f->nr);
	}
	vt_bindex_close(x);
out:
	json_object_put(doc);
	json_object_put(base);
	json_object_put(cur);
}

static void bound_to_its_json(void)
{
	struct vt_bindex_range r[VT_BINDEX_STAGES] = { { 0, 0 }, { 0, 0 } };
	json_object *doc = stage_doc(random_set(10, 5), vt_compset_new());
	struct vt_bindex *x = NULL;
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char why[128];
	FILE *f;

	CHECK(vt_bindex_write(path, doc, r) == 0);
	x = open_index();
	vt_bindex_close(x);
	/* new times, then new content: neither is the file it was made for */
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
	CHECK(vt_bindex_open(path, &x, why, sizeof(why)) == 1 && !x);
	CHECK(vt_bindex_write(path, doc, r) == 0);
	f = fopen(path, "a");
	fputs(" ", f);
	fclose(f);
	CHECK(vt_bindex_open(path, &x, why, sizeof(why)) == 1 && !x);
	/* none at all */
	CHECK(unlink(strcat(strcpy(why, path), ".idx")) == 0);
	CHECK(vt_bindex_open(path, &x, why, sizeof(why)) == 1 && !x);
	json_object_put(doc);
}

int main(void)
{
	FILE *f;

	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	f = fopen(path, "w");
	if (!f)
		return 2;
	/* its content does not matter here, only its size and identity */
	fprintf(f, "%100s\n", "{}");
	fclose(f);
	RUN(writes_what_the_sets_hold);
	RUN(fill_copies_the_digests);
	RUN(bound_to_its_json);
	unlink(path);
	strcat(path, ".idx");
	unlink(path);
	rmdir(dir);
	DONE();
}
