// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for scratch.c: a buffer given back is handed out again to
 * the same thread (and only to it), within the slots and bytes it keeps;
 * what a thread keeps is freed when it exits (the leak check of the
 * sanitizer build would report it otherwise).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scratch.h"

static void test_reuse(void)
{
	void *a = vt_scratch_alloc(100 << 10), *b;

	CHECK(a);
	memset(a, 1, 100 << 10);
	vt_scratch_free(a);
	/* a smaller request takes it: the smallest that is large enough */
	b = vt_scratch_alloc(64 << 10);
	CHECK(b == a);
	/* a larger one cannot */
	a = vt_scratch_alloc(200 << 10);
	CHECK(a && a != b);
	memset(a, 2, 200 << 10);
	vt_scratch_free(a);
	vt_scratch_free(b);
	CHECK(vt_scratch_alloc(150 << 10) == a);
	CHECK(vt_scratch_alloc(90 << 10) == b);
	vt_scratch_free(a);
	vt_scratch_free(b);
	vt_scratch_release();
	vt_scratch_free(NULL);
}

static void test_small_not_kept(void)
{
	void *a = vt_scratch_alloc(100), *b;

	CHECK(a);
	vt_scratch_free(a);
	b = vt_scratch_alloc(VT_SCRATCH_MIN);
	CHECK(b);
	/* a small request is malloc's: it never takes a kept buffer */
	vt_scratch_free(b);
	a = vt_scratch_alloc(100);
	CHECK(a != b);
	vt_scratch_free(a);
	vt_scratch_release();
}

static void test_limits(void)
{
	void *p[VT_SCRATCH_SLOTS + 2], *big;
	unsigned int i, again = 0;

	for (i = 0; i < VT_SCRATCH_SLOTS + 2; i++)
		p[i] = vt_scratch_alloc(64 << 10);
	for (i = 0; i < VT_SCRATCH_SLOTS + 2; i++)
		vt_scratch_free(p[i]);
	/* only as many as there are slots come back */
	for (i = 0; i < VT_SCRATCH_SLOTS + 2; i++) {
		void *q = vt_scratch_alloc(64 << 10);
		unsigned int k;

		for (k = 0; k < VT_SCRATCH_SLOTS + 2; k++)
			again += q == p[k];
		p[i] = q;
	}
	CHECK(again == VT_SCRATCH_SLOTS);
	for (i = 0; i < VT_SCRATCH_SLOTS + 2; i++)
		vt_scratch_free(p[i]);
	vt_scratch_release();
	/* one larger than the bytes kept is freed */
	big = vt_scratch_alloc(VT_SCRATCH_KEEP + 1);
	CHECK(big);
	vt_scratch_free(big);
	p[0] = vt_scratch_alloc(VT_SCRATCH_KEEP + 1);
	vt_scratch_free(p[0]);
	vt_scratch_release();
	CHECK(!vt_scratch_alloc(SIZE_MAX - 4));
}

static void *other(void *a)
{
	void *mine = vt_scratch_alloc(64 << 10);

	/* another thread's kept buffer is not this thread's */
	*(int *)a = mine != *(void **)((char *)a + sizeof(void *));
	vt_scratch_free(mine);	/* kept, freed at this thread's exit */
	return NULL;
}

static void test_threads(void)
{
	struct {
		int differ;
		void *kept;
	} t = { 0 };
	pthread_t th;

	t.kept = vt_scratch_alloc(64 << 10);
	vt_scratch_free(t.kept);
	CHECK(!pthread_create(&th, NULL, other, &t));
	CHECK(!pthread_join(th, NULL));
	CHECK(t.differ);
	vt_scratch_release();
}

int main(void)
{
	RUN(test_reuse);
	RUN(test_small_not_kept);
	RUN(test_limits);
	RUN(test_threads);
	DONE();
}
