// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the baseline index reader (bindex.c): the input is
 * an index file. The harness gives it the identity of a made-up JSON file
 * and seals it (a right sum), so that what the fuzzer changes reaches the
 * checks behind the sum: an index that root crafted. Whatever it holds,
 * opening it either fails with a reason or gives an index whose lookups
 * (one by one, in batches, and vt_bindex_fill) stay inside the input and
 * give positions below the stage's size. The names looked up are the
 * input's own NUL-terminated strings, which a real index's pool holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bindex.h"
#include "compset.h"
#include "stagedoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD	192
#define MAXQ	32

static void put64(uint8_t *p, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void lookups(struct vt_bindex *x, const char **names, size_t n)
{
	static const enum vt_stage st[2] = { VT_STAGE_IMA, VT_STAGE_VTRUST };
	struct vt_bindex_query q[MAXQ];
	json_object *base, *cur;
	struct vt_compset *ima = vt_compset_new(), *vt = vt_compset_new();
	char why[128];
	size_t i, k, next;
	int64_t pos;

	for (k = 0; k < 2; k++) {
		next = 0;
		for (i = 0; i < n; i++) {
			pos = vt_bindex_match(x, st[k], names[i],
					      strlen(names[i]),
					      i + 1 < n ? names[i + 1] : NULL,
					      i + 1 < n ? strlen(names[i + 1]) :
					      0, &next);
			if (pos >= (int64_t)vt_bindex_size(x, st[k]))
				abort();
			q[i].name = names[i];
			q[i].len = strlen(names[i]);
			q[i].digest = names[(i + 1) % n];
			q[i].dlen = strlen(q[i].digest);
		}
		next = 0;
		vt_bindex_match_many(x, st[k], q, n, &next);
		for (i = 0; i < n; i++)
			if (q[i].pos >= (int64_t)vt_bindex_size(x, st[k]))
				abort();
	}
	for (i = 0; i < n; i++) {
		vt_comp_add(ima, vt_compset_add(ima, names[i], strlen(names[i])),
			    "sha1:00", 7, 0);
		vt_comp_add(vt, vt_compset_add(vt, names[i], strlen(names[i])),
			    "sha1:00", 7, 0);
	}
	cur = stage_doc(ima, vt);
	base = stage_doc(vt_compset_new(), vt_compset_new());
	vt_bindex_fill(x, base, cur, why, sizeof(why));
	json_object_put(base);
	json_object_put(cur);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	const char *names[MAXQ];
	struct vt_bindex *x = NULL;
	struct stat st;
	char why[256];
	size_t n = 0, i, len;
	int ret;

	memcpy(buf, data, size);
	memset(&st, 0, sizeof(st));
	st.st_size = 1 << 20;
	st.st_ino = 42;
	if (size >= HEAD) {
		/* the made-up JSON file's identity, and a right sum */
		put64(buf + 40, (uint64_t)st.st_size);
		memset(buf + 48, 0, 48);
		put64(buf + 56, 42);
		vt_bindex_seal(buf, size);
	}
	why[0] = '\0';
	ret = vt_bindex_use(buf, size, &st, &x, why, sizeof(why));
	if (ret < 0 && (!why[0] || x))
		abort();
	if (ret || !x)
		goto out;
	/* the input's strings, as names to look up */
	for (i = HEAD; i < size && n < MAXQ; i += len + 1) {
		const uint8_t *nul = memchr(buf + i, '\0', size - i);

		if (!nul)
			break;
		len = nul - (buf + i);
		if (len && len < 512)
			names[n++] = (const char *)buf + i;
	}
	if (n)
		lookups(x, names, n);
	vt_bindex_close(x);
out:
	free(buf);
	return 0;
}
