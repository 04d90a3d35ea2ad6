/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A runtime stage's components: name -> the digests trusted under it
 * (BASELINE.md, "Runtime stages"). The collector builds one per list, the
 * baseline loader one per stage it reads, and compare and accept work on
 * them; they are the only part of a baseline that grows with the lists, so
 * they are a hash table of names in arena memory, not json-c objects.
 *
 * Names and digests are NUL-terminated strings as the baseline stores them
 * (names escaped with names.h, digests "<algo>:<hex>"). Entries keep their
 * order of insertion, which is the order of the file or of the list; a name
 * whose last digest is removed is gone from lookups and from iteration.
 * Pointers to entries, names and digests stay valid until the set is freed.
 */
#ifndef VTRUST_COMPSET_H
#define VTRUST_COMPSET_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vt_comp_digest {
	const char *s;		/* "<algo>:<hex>" */
	int64_t index;		/* first list entry that showed it; -1: none */
	uint32_t hash;
};

struct vt_comp {
	const char *name;
	uint32_t len;		/* of name */
	uint32_t hash;
	uint32_t nr, cap;	/* digests */
	struct vt_comp_digest *d;
	struct vt_comp_digest first;	/* d's array while it has one */
	/* with many digests: an open-addressing table of them (malloc'd) */
	uint32_t *dtab;		/* indexes into d, plus one */
	uint32_t dmask;
	bool gone;		/* its last digest was removed */
};

struct vt_compset;

struct vt_compset *vt_compset_new(void);
void vt_compset_free(struct vt_compset *s);

/* The entry named @name (@len bytes) if it has digests, or NULL. */
struct vt_comp *vt_compset_get(const struct vt_compset *s, const char *name,
			       size_t len);
/* The entry named as @other, an entry of another set, or NULL. */
struct vt_comp *vt_compset_get_as(const struct vt_compset *s,
				  const struct vt_comp *other);
/* The entry named @name, created without digests if there is none; NULL:
 * out of memory. A new entry counts as gone until it has a digest. */
struct vt_comp *vt_compset_add(struct vt_compset *s, const char *name,
			       size_t len);
/*
 * Append an entry named @name without looking the name up (fast: no hash
 * table access); NULL: out of memory. Until vt_compset_settle(), only
 * vt_comp_add() may be used on the set's new entries, and no lookup on the
 * set (they abort).
 */
struct vt_comp *vt_compset_append(struct vt_compset *s, const char *name,
				  size_t len);
/*
 * Put the appended entries into the table. With @dup NULL, an entry whose
 * name came before joins the first one: its digests are added there (as
 * vt_comp_add() does) and it is gone. With @dup, such a name is not merged
 * but reported: 1 with *dup the name. 0, or -1: out of memory.
 */
int vt_compset_settle(struct vt_compset *s, const char **dup);
/* Add @digest (@len bytes) seen first at list entry @index: 1 added, 0 it
 * was there (its index is kept), -1 out of memory. */
int vt_comp_add(struct vt_compset *s, struct vt_comp *c, const char *digest,
		size_t len, int64_t index);
/* The digest @digest of @c, or NULL. */
const struct vt_comp_digest *vt_comp_find(const struct vt_comp *c,
					  const char *digest);
/* Remove @digest from @c: true if it was there. */
bool vt_comp_remove(struct vt_compset *s, struct vt_comp *c,
		    const char *digest);
/* Keep only the digests whose index is at most @through. */
void vt_compset_through(struct vt_compset *s, int64_t through);

/*
 * Put the entries in the order of @keys (one per position: the entries
 * vt_compset_next() walks, gone ones too, are positions 0 to
 * vt_compset_size() - 1), equal keys in their order. 0, or -1: out of
 * memory (the set is as it was).
 */
int vt_compset_sort(struct vt_compset *s, const int64_t *keys);
size_t vt_compset_size(const struct vt_compset *s);

/*
 * Names that a filtered collection found in the baseline with a digest it
 * has, and so left out of @s (collect.h): counted with @s's own names
 * where a stage's components are counted.
 */
void vt_compset_set_elided(struct vt_compset *s, size_t n);
size_t vt_compset_elided(const struct vt_compset *s);

/*
 * The hash of names that sets use, seeded with @key (a set's is random
 * per process; the baseline index keeps its own). Not cryptographic: it
 * spreads names over slots.
 */
uint32_t vt_name_hash(uint64_t key, const char *p, size_t len);

/* A copy of @s (its entries that are not gone); NULL: out of memory. */
struct vt_compset *vt_compset_copy(const struct vt_compset *s);

/* The entries that are not gone, in order: for (i = 0; (c =
 * vt_compset_next(s, &i)); ) */
struct vt_comp *vt_compset_next(const struct vt_compset *s, size_t *i);
size_t vt_compset_count(const struct vt_compset *s);

/*
 * The set as a json-c value (it takes @s over and frees it with the
 * value): serialized as the JSON object of BASELINE.md, one member per
 * entry, {"<name>": ["<digest>", ...], ...}. It is no json-c object: get
 * the set back with vt_compset_of(). NULL: out of memory (@s freed).
 */
json_object *vt_compset_json(struct vt_compset *s);
/* The set behind @o, or NULL if @o is not a vt_compset_json() value. */
struct vt_compset *vt_compset_of(json_object *o);
/* A new json-c array of @c's digests. */
json_object *vt_comp_digests_json(const struct vt_comp *c);

#endif
