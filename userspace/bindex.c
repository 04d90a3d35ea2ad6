// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The baseline index; see bindex.h, and BASELINE.md ("The index") for the
 * format, which is little-endian throughout.
 *
 * The loader checks the header and that every table lies in the file; an
 * entry's name and digests are bounds-checked where a lookup reads them,
 * and a probe stops after a table's size, so a file that passes the sum
 * but lies (written by root, who can rewrite the JSON as well) can make a
 * lookup wrong, never read outside the mapping.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bindex.h"
#include "compset.h"
#include "util.h"

#define MAGIC		"VTBIDX1\n"
#define VERSION		1
#define HEAD_SIZE	192
#define STAGE_AT(i)	(96 + 48 * (i))
#define ENTRY_WORDS	5	/* hash, name offset, name length, digests
				   offset, number of digests */
/* every offset in a stage's pool is 32 bits */
#define MAX_POOL	((uint64_t)UINT32_MAX)
#define MIN_SLOTS	8

static const enum vt_stage stages[VT_BINDEX_STAGES] = {
	VT_STAGE_IMA, VT_STAGE_VTRUST,
};

struct bstage {
	struct vt_bindex_range range;
	const uint32_t *slots;		/* nslots, a power of two */
	const uint32_t *entries;	/* nentries * ENTRY_WORDS */
	const char *pool;
	uint64_t pool_size;
	uint32_t nslots, nentries;
};

struct vt_bindex {
	const uint8_t *map;
	size_t size;
	bool mapped;		/* by vt_bindex_open(): unmapped on close */
	uint64_t key;
	struct bstage st[VT_BINDEX_STAGES];
};

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

#define MIX	0x9fb21c651e98df25ull
#define LANES	8

/*
 * The index's sum: eight lanes of multiply-and-shift over the 8-byte words
 * of @p, seeded with @key. It finds a truncated or damaged file; it is no
 * MAC (see bindex.h).
 */
static uint64_t sum_of(uint64_t key, const uint8_t *p, size_t len)
{
	uint64_t h[LANES], w = 0;
	uint8_t tail[8 * LANES] = { 0 };
	unsigned int i;

	for (i = 0; i < LANES; i++)
		h[i] = key ^ i;
	/* independent lanes: the multiplies overlap */
	for (; len >= sizeof(tail); p += sizeof(tail), len -= sizeof(tail))
		for (i = 0; i < LANES; i++) {
			h[i] = (h[i] ^ get64(p + 8 * i)) * MIX;
			h[i] ^= h[i] >> 29;
		}
	memcpy(tail, p, len);
	for (i = 0; i < LANES; i++) {
		h[i] = (h[i] ^ get64(tail + 8 * i) ^ len) * MIX;
		h[i] ^= h[i] >> 29;
		w = (w ^ h[i]) * MIX;
	}
	w ^= w >> 32;
	return w * MIX;
}

/* The sum of a whole file of @len bytes: all but the sum's own field. */
static uint64_t file_sum(const uint8_t *p, size_t len, uint64_t key)
{
	uint8_t head[32];

	memcpy(head, p, 32);
	memset(head + 24, 0, 8);
	return sum_of(sum_of(key, p + 32, len - 32), head, 32);
}

/* The JSON file's identity, as the header keeps it. */
static void identity(const struct stat *st, uint64_t out[7])
{
	out[0] = (uint64_t)st->st_size;
	out[1] = (uint64_t)st->st_dev;
	out[2] = (uint64_t)st->st_ino;
	out[3] = (uint64_t)st->st_mtim.tv_sec;
	out[4] = (uint64_t)st->st_mtim.tv_nsec;
	out[5] = (uint64_t)st->st_ctim.tv_sec;
	out[6] = (uint64_t)st->st_ctim.tv_nsec;
}

static struct vt_compset *stage_set(json_object *doc, enum vt_stage stage)
{
	return vt_compset_of(json_object_object_get(json_object_object_get(
		json_object_object_get(doc, "stages"), vt_stage_name(stage)),
		"components"));
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* ---- writing ---- */

struct wstage {
	const struct vt_compset *set;
	size_t n, nslots, pool;
	size_t table_at, pool_at;
};

/* Sizes of @w's tables; -1 if they do not fit the format. */
static int measure(struct wstage *w)
{
	const struct vt_comp *c;
	size_t i = 0;
	uint32_t k;

	w->nslots = MIN_SLOTS;
	w->n = w->pool = 0;
	while (w->set && (c = vt_compset_next(w->set, &i))) {
		w->n++;
		w->pool += (size_t)c->len + 1;
		for (k = 0; k < c->nr; k++)
			w->pool += strlen(c->d[k].s) + 1;
	}
	while (w->nslots < 2 * w->n)
		w->nslots *= 2;
	return w->pool > MAX_POOL || w->nslots > UINT32_MAX ? -1 : 0;
}

static void fill_stage(uint8_t *buf, const struct wstage *w, uint64_t key)
{
	uint8_t *slots = buf + w->table_at;
	uint8_t *ent = slots + 4 * w->nslots, *e;
	char *pool = (char *)buf + w->pool_at;
	const struct vt_comp *c;
	size_t i = 0, at = 0, len;
	uint32_t n = 0, k, h, s;

	while (w->set && (c = vt_compset_next(w->set, &i))) {
		h = vt_name_hash(key, c->name, c->len);
		e = ent + 4 * ENTRY_WORDS * n;
		put32(e, h);
		put32(e + 4, (uint32_t)at);
		put32(e + 8, c->len);
		memcpy(pool + at, c->name, c->len + 1);
		at += c->len + 1;
		put32(e + 12, (uint32_t)at);
		put32(e + 16, c->nr);
		for (k = 0; k < c->nr; k++) {
			len = strlen(c->d[k].s) + 1;
			memcpy(pool + at, c->d[k].s, len);
			at += len;
		}
		for (s = h & (w->nslots - 1); get32(slots + 4 * s);
		     s = (s + 1) & (w->nslots - 1))
			;
		put32(slots + 4 * s, ++n);
	}
}

int vt_bindex_write(const char *path, json_object *doc,
		    const struct vt_bindex_range ranges[VT_BINDEX_STAGES])
{
	char ipath[PATH_MAX], tmp[PATH_MAX + 16];
	struct wstage w[VT_BINDEX_STAGES];
	uint64_t id[7], key;
	size_t size = HEAD_SIZE;
	struct stat st;
	unsigned int i;
	uint8_t *buf, *h;
	int ret;

	if (snprintf(ipath, sizeof(ipath), "%s.idx", path) >= (int)sizeof(ipath))
		return -ENAMETOOLONG;
	if (stat(path, &st))
		return -errno;
	for (i = 0; i < VT_BINDEX_STAGES; i++) {
		w[i].set = stage_set(doc, stages[i]);
		if (measure(&w[i]))
			return -EFBIG;
		w[i].table_at = size;
		size += align8(4 * w[i].nslots + 4 * ENTRY_WORDS * w[i].n);
		w[i].pool_at = size;
		size += align8(w[i].pool);
	}
	if (getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&key;
	buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, MAGIC, 8);
	put32(buf + 8, VERSION);
	put32(buf + 12, HEAD_SIZE);
	put64(buf + 16, size);
	put64(buf + 32, key);
	identity(&st, id);
	for (i = 0; i < 7; i++)
		put64(buf + 40 + 8 * i, id[i]);
	for (i = 0; i < VT_BINDEX_STAGES; i++) {
		h = buf + STAGE_AT(i);
		put64(h, ranges[i].start);
		put64(h + 8, ranges[i].end);
		put64(h + 16, w[i].table_at);
		put64(h + 24, w[i].pool_at);
		put64(h + 32, w[i].pool);
		put32(h + 40, (uint32_t)w[i].nslots);
		put32(h + 44, (uint32_t)w[i].n);
		fill_stage(buf, &w[i], key);
	}
	vt_bindex_seal(buf, size);
	/* a cache: synced, but a crash may lose it (it is then not used) */
	ret = vt_write_temp(ipath, tmp, sizeof(tmp), buf, size, 0600);
	free(buf);
	if (!ret && rename(tmp, ipath)) {
		ret = -errno;
		unlink(tmp);
	}
	return ret;
}

/* ---- reading ---- */

void vt_bindex_close(struct vt_bindex *x)
{
	if (!x)
		return;
	if (x->mapped)
		munmap((void *)x->map, x->size);
	free(x);
}

/* Is [@at, @at + @len) inside a file of @size bytes? */
static bool inside(uint64_t at, uint64_t len, uint64_t size)
{
	return at <= size && len <= size - at;
}

static int check_stage(struct vt_bindex *x, unsigned int i, uint64_t json,
		       char *why, size_t whylen)
{
	const uint8_t *h = x->map + STAGE_AT(i);
	struct bstage *s = &x->st[i];
	uint64_t table = get64(h + 16), pool = get64(h + 24);

	s->range.start = get64(h);
	s->range.end = get64(h + 8);
	s->pool_size = get64(h + 32);
	s->nslots = get32(h + 40);
	s->nentries = get32(h + 44);
	if ((s->range.start || s->range.end) &&
	    (s->range.start >= s->range.end || s->range.end > json ||
	     s->range.end - s->range.start < 2)) {
		snprintf(why, whylen, "%s: components at bytes %llu-%llu of a JSON file of %llu",
			 vt_stage_name(stages[i]),
			 (unsigned long long)s->range.start,
			 (unsigned long long)s->range.end,
			 (unsigned long long)json);
		return -1;
	}
	if (s->nslots < MIN_SLOTS || (s->nslots & (s->nslots - 1)) ||
	    s->nentries >= s->nslots ||
	    !inside(table, 4ull * s->nslots +
		    4ull * ENTRY_WORDS * s->nentries, x->size) ||
	    (table & 3) || !inside(pool, s->pool_size, x->size) ||
	    s->pool_size > MAX_POOL) {
		snprintf(why, whylen, "%s: a table outside the file",
			 vt_stage_name(stages[i]));
		return -1;
	}
	s->slots = (const uint32_t *)(x->map + table);
	s->entries = s->slots + s->nslots;
	s->pool = (const char *)x->map + pool;
	return 0;
}

int vt_bindex_use(const uint8_t *buf, size_t size, const struct stat *json,
		  struct vt_bindex **out, char *why, size_t whylen)
{
	struct vt_bindex *x;
	uint64_t id[7];
	unsigned int i;

	*out = NULL;
	if (size < HEAD_SIZE || memcmp(buf, MAGIC, 8) ||
	    get32(buf + 8) != VERSION || get32(buf + 12) != HEAD_SIZE) {
		snprintf(why, whylen, "not a vtrust baseline index of version %d",
			 VERSION);
		return -1;
	}
	if (get64(buf + 16) != size ||
	    get64(buf + 24) != file_sum(buf, size, get64(buf + 32))) {
		snprintf(why, whylen, "damaged (its size or sum is wrong)");
		return -1;
	}
	/* made from the JSON file as it is now? */
	identity(json, id);
	for (i = 0; i < 7; i++)
		if (get64(buf + 40 + 8 * i) != id[i])
			return 1;
	x = calloc(1, sizeof(*x));
	if (!x) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	x->map = buf;
	x->size = size;
	x->key = get64(buf + 32);
	for (i = 0; i < VT_BINDEX_STAGES; i++)
		if (check_stage(x, i, id[0], why, whylen)) {
			free(x);
			return -1;
		}
	*out = x;
	return 0;
}

void vt_bindex_seal(uint8_t *buf, size_t size)
{
	if (size >= HEAD_SIZE)
		put64(buf + 24, file_sum(buf, size, get64(buf + 32)));
}

int vt_bindex_open(const char *path, struct vt_bindex **out, char *why,
		   size_t whylen)
{
	char ipath[PATH_MAX];
	struct stat st, js;
	void *map;
	int fd, ret;

	*out = NULL;
	if (snprintf(ipath, sizeof(ipath), "%s.idx", path) >= (int)sizeof(ipath))
		return 1;
	fd = open(ipath, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || stat(path, &js)) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_size < HEAD_SIZE || (uint64_t)st.st_size > SIZE_MAX) {
		snprintf(why, whylen, "%lld bytes: no index",
			 (long long)st.st_size);
		close(fd);
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
		   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	ret = vt_bindex_use(map, (size_t)st.st_size, &js, out, why, whylen);
	if (ret)
		munmap(map, (size_t)st.st_size);
	else
		(*out)->mapped = true;
	return ret;
}

static const struct bstage *stage_of(const struct vt_bindex *x,
				     enum vt_stage stage)
{
	unsigned int i;

	for (i = 0; i < VT_BINDEX_STAGES; i++)
		if (stages[i] == stage)
			return &x->st[i];
	return NULL;
}

struct vt_bindex_range vt_bindex_range(const struct vt_bindex *x,
				       enum vt_stage stage)
{
	const struct bstage *s = stage_of(x, stage);
	struct vt_bindex_range none = { 0, 0 };

	return s ? s->range : none;
}

size_t vt_bindex_size(const struct vt_bindex *x, enum vt_stage stage)
{
	const struct bstage *s = stage_of(x, stage);

	return s ? s->nentries : 0;
}

/* The string at @off of @s's pool, its length in *len; NULL: outside. */
static const char *pool_str(const struct bstage *s, uint64_t off, size_t *len)
{
	const char *p, *nul;

	if (off >= s->pool_size)
		return NULL;
	p = s->pool + off;
	nul = memchr(p, '\0', s->pool_size - off);
	if (!nul)
		return NULL;
	*len = nul - p;
	return p;
}

/* Is @e the entry of @name? */
static bool named(const struct bstage *s, const uint32_t *e, const char *name,
		  size_t len)
{
	return le32toh(e[2]) == len &&
	       inside(le32toh(e[1]), (uint64_t)len + 1, s->pool_size) &&
	       !memcmp(s->pool + le32toh(e[1]), name, len);
}

/* The entry of @name, whose hash is @h, or NULL. */
static const uint32_t *entry_hashed(const struct bstage *s, const char *name,
				    size_t len, uint32_t h)
{
	uint32_t mask = s->nslots - 1, i = h & mask, n, v;
	const uint32_t *e;

	for (n = 0; n < s->nslots; n++, i = (i + 1) & mask) {
		v = le32toh(s->slots[i]);
		if (!v || v > s->nentries)
			return NULL;
		e = s->entries + (size_t)ENTRY_WORDS * (v - 1);
		if (le32toh(e[0]) == h && named(s, e, name, len))
			return e;
	}
	return NULL;
}

static const uint32_t *entry_of(const struct vt_bindex *x,
				const struct bstage *s, const char *name,
				size_t len)
{
	return entry_hashed(s, name, len, vt_name_hash(x->key, name, len));
}

/* @e's position if it has @digest (NULL: any), else -1. */
static int64_t with_digest(const struct bstage *s, const uint32_t *e,
			   const char *digest, size_t dlen)
{
	uint64_t off = le32toh(e[3]);
	uint32_t k, nd = le32toh(e[4]);
	const char *d;
	size_t l = 0;

	for (k = 0; digest && k < nd; k++, off += l + 1) {
		/* the digest and its NUL, without a scan for the NUL first */
		d = s->pool + off;
		if (inside(off, (uint64_t)dlen + 1, s->pool_size) &&
		    !memcmp(d, digest, dlen) && !d[dlen])
			break;
		if (!pool_str(s, off, &l))
			return -1;
	}
	return digest && k == nd ? -1 : (e - s->entries) / ENTRY_WORDS;
}

int64_t vt_bindex_match(const struct vt_bindex *x, enum vt_stage stage,
			const char *name, size_t len, const char *digest,
			size_t dlen, size_t *next)
{
	const struct bstage *s = stage_of(x, stage);
	const uint32_t *e = NULL;

	if (!s)
		return -1;
	/* a list in the baseline's order finds its entries one after another */
	if (next && *next < s->nentries &&
	    named(s, s->entries + (size_t)ENTRY_WORDS * *next, name, len))
		e = s->entries + (size_t)ENTRY_WORDS * *next;
	else
		e = entry_of(x, s, name, len);
	if (!e)
		return -1;
	if (next)
		*next = (e - s->entries) / ENTRY_WORDS + 1;
	return with_digest(s, e, digest, dlen);
}

void vt_bindex_match_many(const struct vt_bindex *x, enum vt_stage stage,
			  struct vt_bindex_query *q, size_t n, size_t *next)
{
	const struct bstage *s = stage_of(x, stage);
	uint32_t mask, v;
	const uint32_t *e;
	size_t i;

	for (i = 0; i < n; i++) {
		q[i].pos = -1;
		q[i].entry = NULL;
	}
	if (!s)
		return;
	/*
	 * In the baseline's order, each name is the entry after the last one
	 * found, which is at hand: that is tried until it fails, and the
	 * rest goes to the table.
	 */
	for (i = 0; i < n && *next < s->nentries; i++) {
		e = s->entries + (size_t)ENTRY_WORDS * *next;
		if (!named(s, e, q[i].name, q[i].len))
			break;
		q[i].entry = e;
		*next += 1;
	}
	/*
	 * Each step's loads are independent across the queries: started
	 * together, their cache misses overlap instead of following each
	 * other. The last step is the lookup itself, in cached memory.
	 */
	mask = s->nslots - 1;
	for (i = 0; i < n; i++) {
		if (q[i].entry)
			continue;
		q[i].hash = vt_name_hash(x->key, q[i].name, q[i].len);
		__builtin_prefetch(&s->slots[q[i].hash & mask]);
	}
	for (i = 0; i < n; i++) {
		if (q[i].entry)
			continue;
		v = le32toh(s->slots[q[i].hash & mask]);
		if (v && v <= s->nentries)
			__builtin_prefetch(s->entries +
					   (size_t)ENTRY_WORDS * (v - 1));
	}
	for (i = 0; i < n; i++) {
		if (q[i].entry)
			continue;
		v = le32toh(s->slots[q[i].hash & mask]);
		if (!v || v > s->nentries)
			continue;
		e = s->entries + (size_t)ENTRY_WORDS * (v - 1);
		if (le32toh(e[1]) < s->pool_size)
			__builtin_prefetch(s->pool + le32toh(e[1]));
		if (le32toh(e[3]) < s->pool_size)
			__builtin_prefetch(s->pool + le32toh(e[3]));
	}
	for (i = 0; i < n; i++) {
		if (!q[i].entry)
			q[i].entry = entry_hashed(s, q[i].name, q[i].len,
						  q[i].hash);
		if (q[i].entry)
			q[i].pos = with_digest(s, q[i].entry, q[i].digest,
					       q[i].dlen);
	}
	/* the next batch goes on after the last name found */
	for (i = n; i-- > 0;)
		if (q[i].entry) {
			*next = (q[i].entry - s->entries) / ENTRY_WORDS + 1;
			break;
		}
}

/* A digest as the baseline writes them: printable ASCII, no space. */
static bool printable(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] <= ' ' || p[i] > '~')
			return false;
	return len > 0;
}

int vt_bindex_fill(const struct vt_bindex *x, json_object *base,
		   json_object *cur, char *why, size_t whylen)
{
	const struct bstage *s;
	struct vt_compset *bset, *cset;
	const struct vt_comp *c;
	struct vt_comp *b;
	const uint32_t *e;
	unsigned int i;
	uint32_t k, nd;
	uint64_t off;
	const char *d;
	size_t l, at;

	for (i = 0; i < VT_BINDEX_STAGES; i++) {
		s = &x->st[i];
		bset = stage_set(base, stages[i]);
		cset = stage_set(cur, stages[i]);
		at = 0;
		while (bset && cset && (c = vt_compset_next(cset, &at))) {
			e = entry_of(x, s, c->name, c->len);
			if (!e)
				continue;
			b = vt_compset_add(bset, c->name, c->len);
			if (!b)
				goto oom;
			nd = le32toh(e[4]);
			off = le32toh(e[3]);
			for (k = 0; k < nd; k++, off += l + 1) {
				d = pool_str(s, off, &l);
				if (!d || !printable(d, l)) {
					snprintf(why, whylen, "%s: a digest outside the index, or not text",
						 vt_stage_name(stages[i]));
					return -1;
				}
				if (vt_comp_add(bset, b, d, l, -1) < 0)
					goto oom;
			}
		}
	}
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
	return -1;
}
