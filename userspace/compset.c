// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Component sets; see compset.h.
 *
 * Entries live in arena chunks and are listed in order of insertion in
 * @items; @slots is an open-addressing table (linear probing, at most half
 * full) of indexes into @items, plus one, 0 being an empty slot, each with
 * its name's hash, so that a probe reads an entry only on a likely match.
 * Removing a name takes it out of the table with a backward shift, so
 * lookups never walk over deleted slots.
 */
#include <json-c/printbuf.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compset.h"
#include "scratch.h"

#define CHUNK_SIZE	(64 << 10)
#define MAX_CHUNK	(16 << 20)
#define HUGE_CHUNK	(2 << 20)

struct chunk {
	struct chunk *next;
	size_t used, size;
	size_t mapped;		/* mmap()ed (a huge chunk), else malloc()ed;
				   a word, so that data stays aligned */
	char data[];
};

/* An entry's index in @items plus one (0: empty), and its name's hash. */
struct slot {
	uint32_t idx, hash;
};

struct vt_compset {
	struct chunk *chunks;
	struct vt_comp **items;
	size_t nr, cap, live;
	struct slot *slots;
	size_t mask;		/* table size - 1 */
	size_t used;		/* filled slots */
	size_t settled;		/* items[0..settled) are in the table */
	size_t elided;		/* vt_compset_set_elided() */
};

static void *arena_alloc(struct vt_compset *s, size_t size)
{
	struct chunk *c = s->chunks;
	size_t want;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!c || c->size - c->used < size) {
		/* chunks grow with the set, so big sets take few of them */
		want = c ? 2 * c->size : CHUNK_SIZE;
		if (want > MAX_CHUNK)
			want = MAX_CHUNK;
		if (want < size)
			want = size;
		/*
		 * Small chunks are the thread's scratch (scratch.h: a
		 * verifier judges one bundle after another); huge ones mapped
		 * for transparent huge pages (fewer faults on big lists).
		 */
		if (want < HUGE_CHUNK) {
			p = vt_scratch_alloc(sizeof(*c) + want);
			if (!p)
				return NULL;
		} else {
			p = mmap(NULL, sizeof(*c) + want, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				return NULL;
			madvise(p, sizeof(*c) + want, MADV_HUGEPAGE);
		}
		c = p;
		c->mapped = want >= HUGE_CHUNK;
		c->size = want;
		c->used = 0;
		c->next = s->chunks;
		s->chunks = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

static char *arena_str(struct vt_compset *s, const char *p, size_t len)
{
	char *d = arena_alloc(s, len + 1);

	if (d) {
		memcpy(d, p, len);
		d[len] = '\0';
	}
	return d;
}

/*
 * Random once per process: the names come from lists a hostile guest
 * writes, and a hash it could compute offline would let it choose names
 * that all fall into one slot run and make every lookup a long walk.
 * (The hash below is no keyed PRF; the seed only keeps its values from
 * being known in advance.)
 */
static uint64_t seed;
static pthread_once_t seed_done = PTHREAD_ONCE_INIT;

static void make_seed(void)
{
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)(uintptr_t)&seed ^ (uint64_t)time(NULL);
}

/* One seed for the process: sets built in one thread are read in others. */
static void seed_once(void)
{
	pthread_once(&seed_done, make_seed);
}

/*
 * vt_name_hash(): a hash of @len bytes, eight at a time (a multiply per word, not per
 * byte), with a finalizer that mixes the high bits into the low ones the
 * table uses. Not a cryptographic hash: it only spreads names over slots.
 */
uint32_t vt_name_hash(uint64_t key, const char *p, size_t len)
{
	uint64_t h = key ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static uint32_t hash_of(const char *p, size_t len)
{
	return vt_name_hash(seed, p, len);
}

struct vt_compset *vt_compset_new(void)
{
	struct vt_compset *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	seed_once();
	s->mask = 63;
	s->slots = calloc(s->mask + 1, sizeof(*s->slots));
	if (!s->slots) {
		free(s);
		return NULL;
	}
	return s;
}

void vt_compset_free(struct vt_compset *s)
{
	struct chunk *c, *next;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++)
		free(s->items[i]->dtab);
	for (c = s->chunks; c; c = next) {
		next = c->next;
		if (c->mapped)
			munmap(c, sizeof(*c) + c->size);
		else
			vt_scratch_free(c);
	}
	free(s->items);
	free(s->slots);
	free(s);
}

static void settled_or_die(const struct vt_compset *s)
{
	/* a lookup in a set with appended entries would miss them */
	if (s->settled != s->nr)
		abort();
}

static size_t slot_of(const struct vt_compset *s, const char *name,
		      size_t len, uint32_t h)
{
	size_t i = h & s->mask;
	const struct vt_comp *c;

	for (; s->slots[i].idx; i = (i + 1) & s->mask) {
		if (s->slots[i].hash != h)
			continue;
		c = s->items[s->slots[i].idx - 1];
		if (c->len == len && !memcmp(c->name, name, len))
			break;
	}
	return i;
}

struct vt_comp *vt_compset_get(const struct vt_compset *s, const char *name,
			       size_t len)
{
	size_t i;

	settled_or_die(s);
	i = slot_of(s, name, len, hash_of(name, len));
	struct vt_comp *c = s->slots[i].idx ? s->items[s->slots[i].idx - 1] :
			    NULL;

	return c && !c->gone ? c : NULL;
}

struct vt_comp *vt_compset_get_as(const struct vt_compset *s,
				  const struct vt_comp *other)
{
	size_t i;

	settled_or_die(s);
	i = slot_of(s, other->name, other->len, other->hash);
	struct vt_comp *c = s->slots[i].idx ? s->items[s->slots[i].idx - 1] :
			    NULL;

	return c && !c->gone ? c : NULL;
}

static int grow_table(struct vt_compset *s)
{
	size_t size = 2 * (s->mask + 1), i, k;
	struct slot *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i <= s->mask; i++) {
		if (!s->slots[i].idx)
			continue;
		k = s->slots[i].hash & (size - 1);
		while (slots[k].idx)
			k = (k + 1) & (size - 1);
		slots[k] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->mask = size - 1;
	return 0;
}

/* A new entry at the end of @items, in no table yet. */
static struct vt_comp *new_comp(struct vt_compset *s, const char *name,
				size_t len, uint32_t h)
{
	struct vt_comp *c, **items;

	if (len > UINT32_MAX || s->nr >= UINT32_MAX - 1)
		return NULL;
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;

		items = realloc(s->items, cap * sizeof(*items));
		if (!items)
			return NULL;
		s->items = items;
		s->cap = cap;
	}
	/* the entry and its name in one piece */
	c = arena_alloc(s, sizeof(*c) + len + 1);
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	memcpy((char *)(c + 1), name, len);
	((char *)(c + 1))[len] = '\0';
	c->name = (const char *)(c + 1);
	c->d = &c->first;
	c->cap = 1;
	c->len = (uint32_t)len;
	c->hash = h;
	c->gone = true;
	s->items[s->nr++] = c;
	return c;
}

/* Room in the table for @more names. */
static int reserve(struct vt_compset *s, size_t more)
{
	while (2 * (s->used + more) > s->mask + 1)
		if (grow_table(s))
			return -1;
	return 0;
}

struct vt_comp *vt_compset_add(struct vt_compset *s, const char *name,
			       size_t len)
{
	uint32_t h = hash_of(name, len);
	struct vt_comp *c;
	size_t i;

	settled_or_die(s);
	i = slot_of(s, name, len, h);
	if (s->slots[i].idx)
		return s->items[s->slots[i].idx - 1];
	if (reserve(s, 1))
		return NULL;
	c = new_comp(s, name, len, h);
	if (!c)
		return NULL;
	i = slot_of(s, name, len, h);
	s->slots[i].idx = (uint32_t)s->nr;
	s->slots[i].hash = h;
	s->used++;
	s->settled = s->nr;
	return c;
}

struct vt_comp *vt_compset_append(struct vt_compset *s, const char *name,
				  size_t len)
{
	return new_comp(s, name, len, hash_of(name, len));
}

/* A component with more digests than this gets a table of them. */
#define DTAB_MIN	16

/* (Re)build @c's digest table; -1: out of memory (then it has none). */
static int build_dtab(struct vt_comp *c)
{
	uint32_t size = 64, k, i;

	free(c->dtab);
	while (size < 4 * c->cap)
		size *= 2;
	c->dtab = calloc(size, sizeof(*c->dtab));
	if (!c->dtab)
		return -1;
	c->dmask = size - 1;
	for (k = 0; k < c->nr; k++) {
		i = c->d[k].hash & c->dmask;
		while (c->dtab[i])
			i = (i + 1) & c->dmask;
		c->dtab[i] = k + 1;
	}
	return 0;
}

/* A digest's hash: its last bytes are hex digits, as good as random. */
static uint32_t dhash(const char *digest, size_t len)
{
	return hash_of(len > 16 ? digest + len - 16 : digest,
		       len > 16 ? 16 : len);
}

/* The index in @c->d of @digest (@len bytes), or -1. */
static int64_t find(const struct vt_comp *c, const char *digest, size_t len)
{
	uint32_t i, k;

	if (c->dtab) {
		for (i = dhash(digest, len) & c->dmask; c->dtab[i];
		     i = (i + 1) & c->dmask) {
			k = c->dtab[i] - 1;
			if (!strncmp(c->d[k].s, digest, len) && !c->d[k].s[len])
				return k;
		}
		return -1;
	}
	for (k = 0; k < c->nr; k++)
		if (!strncmp(c->d[k].s, digest, len) && !c->d[k].s[len])
			return k;
	return -1;
}

const struct vt_comp_digest *vt_comp_find(const struct vt_comp *c,
					  const char *digest)
{
	int64_t k = c ? find(c, digest, strlen(digest)) : -1;

	return k < 0 ? NULL : &c->d[k];
}

int vt_comp_add(struct vt_compset *s, struct vt_comp *c, const char *digest,
		size_t len, int64_t index)
{
	struct vt_comp_digest *d;
	uint32_t i;

	if (find(c, digest, len) >= 0)
		return 0;
	if (c->nr == c->cap) {
		uint32_t cap = 2 * c->cap;

		/* the old array stays in the arena: sets rarely grow this way */
		d = arena_alloc(s, cap * sizeof(*d));
		if (!d)
			return -1;
		if (c->nr)
			memcpy(d, c->d, c->nr * sizeof(*d));
		c->d = d;
		c->cap = cap;
		/* at most a quarter full: rebuilt for the new size */
		free(c->dtab);
		c->dtab = NULL;
	}
	c->d[c->nr].s = arena_str(s, digest, len);
	if (!c->d[c->nr].s)
		return -1;
	c->d[c->nr].index = index;
	c->d[c->nr].hash = dhash(digest, len);
	if (c->dtab) {
		for (i = c->d[c->nr].hash & c->dmask; c->dtab[i];
		     i = (i + 1) & c->dmask)
			;
		c->dtab[i] = c->nr + 1;
	}
	if (!c->nr++) {
		c->gone = false;
		s->live++;
	}
	if (!c->dtab && c->nr > DTAB_MIN && build_dtab(c))
		return -1;
	return 1;
}

/* Take @c's name out of the table (backward-shift deletion). */
static void unlink_name(struct vt_compset *s, struct vt_comp *c)
{
	size_t i = slot_of(s, c->name, c->len, c->hash), j, home;

	if (!s->slots[i].idx)
		return;
	s->slots[i].idx = 0;
	s->used--;
	for (j = (i + 1) & s->mask; s->slots[j].idx; j = (j + 1) & s->mask) {
		home = s->slots[j].hash & s->mask;
		/* move the entry back unless its home is in (i, j] */
		if (i < j ? home <= i || home > j : home <= i && home > j) {
			s->slots[i] = s->slots[j];
			s->slots[j].idx = 0;
			i = j;
		}
	}
}

/* @c keeps the digests @keep says; the table goes with a removal. */
static void keep_digests(struct vt_compset *s, struct vt_comp *c,
			 bool (*keep)(const struct vt_comp_digest *,
				      const void *),
			 const void *arg)
{
	uint32_t k, n = 0;

	for (k = 0; k < c->nr; k++)
		if (keep(&c->d[k], arg))
			c->d[n++] = c->d[k];
	if (n == c->nr)
		return;
	c->nr = n;
	if (!n) {
		c->gone = true;
		s->live--;
		unlink_name(s, c);
	}
	/* the indexes moved: a new table (or none: lookups scan) */
	if (c->dtab && (!n || build_dtab(c))) {
		free(c->dtab);
		c->dtab = NULL;
	}
}

static bool not_this(const struct vt_comp_digest *d, const void *arg)
{
	return d != arg;
}

bool vt_comp_remove(struct vt_compset *s, struct vt_comp *c,
		    const char *digest)
{
	const struct vt_comp_digest *d = vt_comp_find(c, digest);

	if (!d)
		return false;
	keep_digests(s, c, not_this, d);
	return true;
}

static bool not_after(const struct vt_comp_digest *d, const void *arg)
{
	return d->index <= *(const int64_t *)arg;
}

void vt_compset_through(struct vt_compset *s, int64_t through)
{
	size_t i;

	settled_or_die(s);
	for (i = 0; i < s->nr; i++)
		if (!s->items[i]->gone)
			keep_digests(s, s->items[i], not_after, &through);
}

int vt_compset_settle(struct vt_compset *s, const char **dup)
{
	struct vt_comp *c, *e;
	size_t i, k, ahead;
	uint32_t j;

	if (reserve(s, s->nr - s->settled))
		return -1;
	for (i = s->settled; i < s->nr; i++) {
		/* the slot of an entry a few ahead is on its way meanwhile */
		ahead = i + 8;
		if (ahead < s->nr)
			__builtin_prefetch(&s->slots[s->items[ahead]->hash &
						     s->mask]);
		c = s->items[i];
		k = slot_of(s, c->name, c->len, c->hash);
		if (!s->slots[k].idx) {
			s->slots[k].idx = (uint32_t)(i + 1);
			s->slots[k].hash = c->hash;
			s->used++;
			continue;
		}
		e = s->items[s->slots[k].idx - 1];
		if (dup) {
			*dup = c->name;
			s->settled = i;
			return 1;
		}
		/* the name again: its digests join the first entry's */
		for (j = 0; j < c->nr; j++)
			if (vt_comp_add(s, e, c->d[j].s, strlen(c->d[j].s),
					c->d[j].index) < 0)
				return -1;
		if (c->nr) {
			c->nr = 0;
			s->live--;
		}
		c->gone = true;
		free(c->dtab);
		c->dtab = NULL;
	}
	s->settled = s->nr;
	return 0;
}

struct vt_comp *vt_compset_next(const struct vt_compset *s, size_t *i)
{
	settled_or_die(s);
	while (*i < s->nr)
		if (!s->items[(*i)++]->gone)
			return s->items[*i - 1];
	return NULL;
}

struct vt_compset *vt_compset_copy(const struct vt_compset *s)
{
	struct vt_compset *n = vt_compset_new();
	const struct vt_comp *c;
	struct vt_comp *d;
	size_t i = 0;
	uint32_t k;

	while (n && (c = vt_compset_next(s, &i))) {
		d = vt_compset_add(n, c->name, c->len);
		for (k = 0; d && k < c->nr; k++)
			if (vt_comp_add(n, d, c->d[k].s, strlen(c->d[k].s),
					c->d[k].index) < 0)
				d = NULL;
		if (!d) {
			vt_compset_free(n);
			n = NULL;
		}
	}
	return n;
}

size_t vt_compset_count(const struct vt_compset *s)
{
	return s->live;
}

size_t vt_compset_size(const struct vt_compset *s)
{
	return s->nr;
}

static int by_key(const void *a, const void *b, void *arg)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const int64_t *keys = arg;

	if (keys[x] != keys[y])
		return keys[x] < keys[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

int vt_compset_sort(struct vt_compset *s, const int64_t *keys)
{
	size_t *order = malloc(s->nr * sizeof(*order) + 1);
	uint32_t *at = malloc(s->nr * sizeof(*at) + 1);
	struct vt_comp **items = malloc(s->nr * sizeof(*items) + 1);
	size_t i;

	settled_or_die(s);
	if (!s->nr) {
		free(order);
		free(at);
		free(items);
		return 0;
	}
	if (!order || !at || !items) {
		free(order);
		free(at);
		free(items);
		return -1;
	}
	for (i = 0; i < s->nr; i++)
		order[i] = i;
	qsort_r(order, s->nr, sizeof(*order), by_key, (void *)keys);
	for (i = 0; i < s->nr; i++) {
		items[i] = s->items[order[i]];
		at[order[i]] = (uint32_t)i;
	}
	for (i = 0; i <= s->mask; i++)
		if (s->slots[i].idx)
			s->slots[i].idx = at[s->slots[i].idx - 1] + 1;
	memcpy(s->items, items, s->nr * sizeof(*items));
	free(order);
	free(at);
	free(items);
	return 0;
}

void vt_compset_set_elided(struct vt_compset *s, size_t n)
{
	s->elided = n;
}

size_t vt_compset_elided(const struct vt_compset *s)
{
	return s->elided;
}

/* ---- as JSON ---- */

/* @p as a JSON string, escaped as json-c escapes strings. */
static int put_string(struct printbuf *pb, const char *p, int flags)
{
	static const char hexd[] = "0123456789abcdef";
	const char *run = p;
	char esc[8];
	int n;

	if (printbuf_memappend(pb, "\"", 1) < 0)
		return -1;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		n = 0;
		switch (ch) {
		case '"': case '\\':
			esc[0] = '\\';
			esc[1] = (char)ch;
			n = 2;
			break;
		case '/':
			if (flags & JSON_C_TO_STRING_NOSLASHESCAPE)
				continue;
			memcpy(esc, "\\/", 2);
			n = 2;
			break;
		case '\b': memcpy(esc, "\\b", 2); n = 2; break;
		case '\f': memcpy(esc, "\\f", 2); n = 2; break;
		case '\n': memcpy(esc, "\\n", 2); n = 2; break;
		case '\r': memcpy(esc, "\\r", 2); n = 2; break;
		case '\t': memcpy(esc, "\\t", 2); n = 2; break;
		default:
			if (ch >= 0x20)
				continue;
			memcpy(esc, "\\u00", 4);
			esc[4] = hexd[ch >> 4];
			esc[5] = hexd[ch & 15];
			n = 6;
		}
		if ((p > run && printbuf_memappend(pb, run, (int)(p - run)) < 0) ||
		    printbuf_memappend(pb, esc, n) < 0)
			return -1;
		run = p + 1;
	}
	if (p > run && printbuf_memappend(pb, run, (int)(p - run)) < 0)
		return -1;
	return printbuf_memappend(pb, "\"", 1) < 0 ? -1 : 0;
}

static int indent(struct printbuf *pb, int level, int flags)
{
	static const char spaces[] = "                                ";
	int n = (flags & JSON_C_TO_STRING_PRETTY_TAB) ? level : 2 * level;
	const char *fill = (flags & JSON_C_TO_STRING_PRETTY_TAB) ?
			   "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t" : spaces;

	while (n > 0) {
		int k = n < 16 ? n : 16;

		if (printbuf_memappend(pb, fill, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

/*
 * json-c's layout: compact with JSON_C_TO_STRING_PLAIN (this is what the
 * baseline's checksum covers, so it must be json-c's byte for byte); with
 * PRETTY a member per line, its digests on that line.
 */
static int serialize(json_object *o, struct printbuf *pb, int level,
		     int flags)
{
	const struct vt_compset *s = json_object_get_userdata(o);
	bool pretty = flags & JSON_C_TO_STRING_PRETTY;
	bool spaced = flags & JSON_C_TO_STRING_SPACED;
	const struct vt_comp *c;
	size_t i = 0, n = 0;
	uint32_t k;

	if (printbuf_memappend(pb, "{", 1) < 0)
		return -1;
	while ((c = vt_compset_next(s, &i))) {
		if ((n++ && printbuf_memappend(pb, ",", 1) < 0) ||
		    (pretty && (printbuf_memappend(pb, "\n", 1) < 0 ||
				indent(pb, level + 1, flags))) ||
		    put_string(pb, c->name, flags) ||
		    printbuf_memappend(pb, spaced ? ": [" : ":[",
				       spaced ? 3 : 2) < 0)
			return -1;
		for (k = 0; k < c->nr; k++)
			if ((k && printbuf_memappend(pb, ",", 1) < 0) ||
			    (spaced && printbuf_memappend(pb, " ", 1) < 0) ||
			    put_string(pb, c->d[k].s, flags))
				return -1;
		if (printbuf_memappend(pb, spaced ? " ]" : "]",
				       spaced ? 2 : 1) < 0)
			return -1;
	}
	if (n && pretty &&
	    (printbuf_memappend(pb, "\n", 1) < 0 || indent(pb, level, flags)))
		return -1;
	if (spaced && !pretty && printbuf_memappend(pb, " ", 1) < 0)
		return -1;
	return printbuf_memappend(pb, "}", 1) < 0 ? -1 : 0;
}

static void release(json_object *o, void *userdata)
{
	(void)o;
	vt_compset_free(userdata);
}

json_object *vt_compset_json(struct vt_compset *s)
{
	/* a string, so that json-c's object calls fail on it loudly */
	json_object *o = json_object_new_string("vt_compset");

	if (!o) {
		vt_compset_free(s);
		return NULL;
	}
	json_object_set_serializer(o, serialize, s, release);
	return o;
}

struct vt_compset *vt_compset_of(json_object *o)
{
	return o && json_object_is_type(o, json_type_string) &&
	       json_object_get_userdata(o) &&
	       !strcmp(json_object_get_string(o), "vt_compset") ?
	       json_object_get_userdata(o) : NULL;
}

json_object *vt_comp_digests_json(const struct vt_comp *c)
{
	json_object *arr = json_object_new_array_ext(c->nr);
	uint32_t k;

	for (k = 0; arr && k < c->nr; k++)
		if (json_object_array_add(arr,
					  json_object_new_string(c->d[k].s))) {
			json_object_put(arr);
			arr = NULL;
		}
	return arr;
}
