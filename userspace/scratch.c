// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-thread reuse of large buffers; see scratch.h. Each buffer carries
 * its size in a header in front of it. A buffer given back is kept if the
 * thread has a free slot and stays within VT_SCRATCH_KEEP; a request takes
 * the smallest kept buffer that is large enough.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "scratch.h"

struct head {
	size_t size;		/* bytes after the header */
	size_t pad;		/* keeps the data 16-byte aligned */
};

struct kept {
	struct head *slot[VT_SCRATCH_SLOTS];
	size_t bytes;
	int registered;		/* the exit destructor knows this thread */
};

static _Thread_local struct kept kept;
static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int key_ok;

static void drop(struct kept *k)
{
	unsigned int i;

	for (i = 0; i < VT_SCRATCH_SLOTS; i++) {
		free(k->slot[i]);
		k->slot[i] = NULL;
	}
	k->bytes = 0;
}

static void at_exit(void *p)
{
	drop(p);
}

static void make_key(void)
{
	key_ok = !pthread_key_create(&key, at_exit);
}

void *vt_scratch_alloc(size_t size)
{
	struct head *h, *best = NULL;
	unsigned int i, at = 0;

	if (size >= VT_SCRATCH_MIN) {
		for (i = 0; i < VT_SCRATCH_SLOTS; i++) {
			h = kept.slot[i];
			if (h && h->size >= size && (!best || h->size < best->size)) {
				best = h;
				at = i;
			}
		}
		if (best) {
			kept.slot[at] = NULL;
			kept.bytes -= best->size;
			return best + 1;
		}
	}
	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	h->size = size;
	return h + 1;
}

void vt_scratch_free(void *p)
{
	struct head *h;
	unsigned int i;

	if (!p)
		return;
	h = (struct head *)p - 1;
	if (h->size < VT_SCRATCH_MIN || h->size > VT_SCRATCH_KEEP - kept.bytes)
		goto out;
	if (!kept.registered) {
		pthread_once(&once, make_key);
		if (!key_ok || pthread_setspecific(key, &kept))
			goto out;
		kept.registered = 1;
	}
	for (i = 0; i < VT_SCRATCH_SLOTS; i++) {
		if (!kept.slot[i]) {
			kept.slot[i] = h;
			kept.bytes += h->size;
			return;
		}
	}
out:
	free(h);
}

void vt_scratch_release(void)
{
	drop(&kept);
}
