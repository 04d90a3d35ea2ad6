/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A strict, fast JSON reader (RFC 8259 with integers only) that builds
 * json-c objects, lets hooks parse chosen subtrees themselves, and computes
 * the SHA-256 of the document's canonical form in the same pass.
 *
 * The canonical form of a document is what json-c writes for it with
 * json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE), without the root object's member named
 * skip_key: no whitespace, members in file order, integers as "%" PRId64,
 * strings with '"' and '\\' escaped, \b \f \n \r \t for those bytes, \u00xx
 * (lowercase) for the other bytes below 0x20, every other byte as itself.
 *
 * What the reader refuses besides what is not JSON (the reasons say "not
 * JSON: <what> at byte <offset>" for those): numbers with a fraction or an
 * exponent, integers outside int64, \u0000, lone or mis-ordered surrogate
 * escapes, a key twice in one object, nesting deeper than max_depth. The
 * reasons for these say "<what> at byte <offset>".
 */
#ifndef VTRUST_JSONREAD_H
#define VTRUST_JSONREAD_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

struct vt_jread;	/* the reader's state, opaque to callers */

/*
 * A hook: where the keys of the objects from the root down to a value equal
 * @path (a NULL-terminated array of keys; "*" matches any one key), the
 * reader does not parse the value itself but calls @parse, which must
 * consume exactly that one value with the vt_jread_* primitives below and
 * set *out to the json object to store under the key (NULL stores JSON
 * null). @keys are the actual keys of the path (depth of them). @parse
 * returns 0, or -1 after vt_jread_fail() (or after a primitive failed,
 * which already recorded why).
 *
 * Only values reached through objects alone match (no array on the way);
 * an empty path matches the root value. The first hook in the array whose
 * path matches is called. On -1 the reader frees what the hook stored in
 * *out. The primitives do not check an object's keys for duplicates: a
 * hook that reads an object checks them itself.
 */
struct vt_jread_hook {
	const char *const *path;
	int (*parse)(struct vt_jread *r, void *ctx, const char *const *keys,
		     size_t depth, json_object **out);
};

struct vt_jread_opts {
	const struct vt_jread_hook *hooks;
	size_t nr_hooks;
	void *ctx;		/* passed to every hook */
	const char *skip_key;	/* a key of the root object left out of the
				   canonical digest (NULL: none) */
	uint8_t *digest;	/* NULL, or 32 bytes: SHA-256 of the canonical form */
	unsigned int max_depth;	/* nesting limit; 0 means 64 */
};

/*
 * Parse @text (@len bytes, not necessarily NUL-terminated) as one JSON value
 * with only JSON whitespace (space, tab, CR, LF) before and after it. 0 with
 * the value in *out (NULL for a top-level null), or -1 with *out NULL and a
 * reason in @why (never empty, always NUL-terminated, truncated to @whylen).
 * @o may be NULL (no hooks, no digest).
 */
int vt_jread(const char *text, size_t len, const struct vt_jread_opts *o,
	     json_object **out, char *why, size_t whylen);

/*
 * Primitives for hooks. Each returns -1 after recording why on bad input.
 * The first reason recorded is kept: after a failure every primitive
 * returns -1 at once and vt_jread_fail() changes nothing.
 */
int vt_jread_object(struct vt_jread *r);	/* '{': 0 */
/* 1: a member follows: its key decoded in *key and *len (valid until the
 * next vt_jread_member() call), its ':' consumed; 0: the closing '}'
 * consumed */
int vt_jread_member(struct vt_jread *r, const char **key, size_t *len);
int vt_jread_array(struct vt_jread *r);		/* '[': 0 */
/* 1: an element follows (its ',' if any consumed); 0: the closing ']' consumed */
int vt_jread_element(struct vt_jread *r);
/* a string value, decoded, in *s and *len, NUL-terminated, valid until the
 * next vt_jread_string() call */
int vt_jread_string(struct vt_jread *r, const char **s, size_t *len);
/* the same, but a string without escapes is not copied: *s points into
 * the text parsed (and is not NUL-terminated); one with escapes is decoded
 * as vt_jread_string() does */
int vt_jread_string_ref(struct vt_jread *r, const char **s, size_t *len);
/*
 * The bytes between a string's quotes, the closing one being the first '"'
 * after the opening one, in place and not looked at: only for a caller
 * that refuses every byte outside an alphabet without '"', '\\', control
 * characters and bytes from 0x80 (base64, hex), so that what it accepts
 * is a JSON string without escapes. For the text of a base64 log, this
 * saves a scan as long as the decoding.
 */
int vt_jread_string_raw(struct vt_jread *r, const char **s, size_t *len);
/* 1: a null was consumed; 0: the value is not null (nothing consumed) */
int vt_jread_null(struct vt_jread *r);
/* record "<text>" (printf format) as the reason; returns -1. The reader
 * does not prefix or suffix it. */
int vt_jread_fail(struct vt_jread *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t vt_jread_offset(const struct vt_jread *r);	/* bytes consumed */

#endif /* VTRUST_JSONREAD_H */
