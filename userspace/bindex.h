/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The baseline index, "<baseline>.idx" (BASELINE.md, "The index"): the
 * runtime stages' components of a baseline file as hash tables that are
 * used where they lie in the file, so that verify looks this boot's
 * entries up in the baseline without parsing the baseline's components.
 *
 * It is a cache of the JSON file, never a source of its own: every writer
 * of the baseline writes it after the JSON, it names the JSON file it was
 * made from (device, inode, size, modification and change times) and is
 * used only while that file is unchanged; otherwise, and whenever it is
 * missing or fails a check, the JSON is read in full as before. What the
 * index says is what the JSON said when both were written.
 */
#ifndef VTRUST_BINDEX_H
#define VTRUST_BINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "baseline.h"

/* Where a runtime stage's "components" value lies in the JSON text. */
struct vt_bindex_range {
	size_t start, end;	/* its '{', and just after its '}'; 0, 0: none */
};

#define VT_BINDEX_STAGES	2	/* ima, vtrust */

/*
 * Write the index of @doc (just saved to @path as @text, @len bytes, its
 * components at @ranges) to "<path>.idx", atomically. 0, or -errno (the
 * caller says so; the JSON stands, and the stale index, if any, is one
 * that the loader will not use).
 */
int vt_bindex_write(const char *path, json_object *doc,
		    const struct vt_bindex_range ranges[VT_BINDEX_STAGES]);

struct vt_bindex;

/*
 * Open the index of the baseline at @path. 0 with *out; 1 when there is
 * none or it is not for this file (the JSON changed after it: the caller
 * reads the JSON in full); -1 when it is broken, with the reason in @why.
 */
int vt_bindex_open(const char *path, struct vt_bindex **out, char *why,
		   size_t whylen);
void vt_bindex_close(struct vt_bindex *x);

/*
 * The same on @size bytes of an index at @buf (which the index uses as it
 * is and which must outlive it: vt_bindex_close() leaves it), for the JSON
 * file @json: what vt_bindex_open() does once the file is mapped.
 */
int vt_bindex_use(const uint8_t *buf, size_t size, const struct stat *json,
		  struct vt_bindex **out, char *why, size_t whylen);

/* Set the sum of the index at @buf (for tests: a fuzzer's changes pass). */
void vt_bindex_seal(uint8_t *buf, size_t size);

/* @stage's components in the JSON (ranges of zero: the stage has none). */
struct vt_bindex_range vt_bindex_range(const struct vt_bindex *x,
				       enum vt_stage stage);

/*
 * The position of @name (@len bytes) in @stage's table if the baseline
 * has it with @digest (@dlen bytes; NULL: with any digest), else -1.
 * Positions are below vt_bindex_size(), in the order of the baseline's
 * components. @next (may be NULL) is the position to try first, before
 * the hash table, and is set to the one after the name's: a list read in
 * the baseline's order is looked up without a probe.
 */
int64_t vt_bindex_match(const struct vt_bindex *x, enum vt_stage stage,
			const char *name, size_t len, const char *digest,
			size_t dlen, size_t *next);
/* A lookup of vt_bindex_match_many(). */
struct vt_bindex_query {
	const char *name, *digest;	/* as vt_bindex_match() takes them */
	size_t len, dlen;
	int64_t pos;			/* what vt_bindex_match() returns */
	/* the function's own */
	const uint32_t *entry;
	uint32_t hash;
};

/*
 * vt_bindex_match() for @n names at once, in order: faster than one by one
 * where the tables are larger than the caches. *@next as for
 * vt_bindex_match() (not NULL).
 */
void vt_bindex_match_many(const struct vt_bindex *x, enum vt_stage stage,
			  struct vt_bindex_query *q, size_t n, size_t *next);

size_t vt_bindex_size(const struct vt_bindex *x, enum vt_stage stage);

/*
 * Put into the runtime stages of @base (a document loaded without its
 * components, whose sets are empty) every name of @cur's sets that the
 * index has, with all its digests: what vt_compare() looks up. 0, or -1
 * (out of memory; a broken entry), with the reason in @why.
 */
int vt_bindex_fill(const struct vt_bindex *x, json_object *base,
		   json_object *cur, char *why, size_t whylen);

#endif /* VTRUST_BINDEX_H */
