// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON reader of jsonread.h: one pass over the text, recursion bounded
 * by the nesting limit, an explicit stack of open containers that the
 * reader and the hooks' primitives share, and the canonical form written
 * into a fixed buffer that is hashed whenever it fills up.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algs.h"
#include "hash.h"
#include "jsonread.h"

#define CANON_SIZE	65536	/* canonical bytes hashed at a time */
#define DEFAULT_DEPTH	64
#define SHOW_MAX	64	/* input bytes shown in a reason */

/* what an open level of the stack is */
enum { LV_DOC, LV_OBJECT, LV_ARRAY };

/* where a level is: nothing read yet, a value due, after a value */
enum { ST_FIRST, ST_VALUE, ST_AFTER };

struct level {
	unsigned char kind;
	unsigned char state;
	bool emitted;		/* a member or element was written */
	bool skip;		/* this member is the root's skip_key */
	size_t koff;		/* the reader's own objects: the key being
				   read, in r->keys */
};

struct jbuf {
	char *p;
	size_t cap;
};

struct vt_jread {
	const unsigned char *t;
	size_t len, pos;
	const struct vt_jread_opts *o;

	struct level *lv;	/* lv[0] is the document, lv[depth] the top */
	unsigned int depth, max_depth;
	unsigned int floor;	/* depth of the value a hook reads */
	size_t nlv;		/* levels allocated */

	struct jbuf str;	/* decoded string values */
	struct jbuf key;	/* vt_jread_member()'s key */
	struct jbuf keys;	/* the reader's key stack, NUL-separated */
	size_t ktop;		/* bytes of it in use */
	size_t kpos;		/* offset of the last key read */
	size_t *hlen;		/* keys in each hook's path */

	const char *skip;
	size_t skip_len;

	bool failed;
	char *why;
	size_t whylen;

	bool hashing;		/* the digest is computed */
	bool emit;		/* hashing, and not in the skipped member */
	bool hash_err;
	struct vt_hash h;
	unsigned char *cbuf;
	size_t cpos;
};

/* C_STR: ends scan_plain()'s run (below 0x20, '"', '\\', from 0x80); C_WS:
 * JSON whitespace */
#define C_STR	1
#define C_WS	2

static const unsigned char cls[256] = {
	[0x00 ... 0x08] = C_STR,
	['\t'] = C_STR | C_WS,
	['\n'] = C_STR | C_WS,
	[0x0b ... 0x0c] = C_STR,
	['\r'] = C_STR | C_WS,
	[0x0e ... 0x1f] = C_STR,
	[' '] = C_WS,
	['"'] = C_STR,
	['\\'] = C_STR,
	[0x80 ... 0xff] = C_STR,
};

/* Reasons */

static void record(struct vt_jread *r, const char *fmt, va_list ap)
{
	if (r->failed)
		return;
	r->failed = true;
	if (!r->why || !r->whylen)
		return;
	vsnprintf(r->why, r->whylen, fmt, ap);
	if (!r->why[0])
		snprintf(r->why, r->whylen, "failed at byte %zu", r->pos);
}

static int fail_at(struct vt_jread *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail_at(struct vt_jread *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(r, fmt, ap);
	va_end(ap);
	return -1;
}

int vt_jread_fail(struct vt_jread *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(r, fmt, ap);
	va_end(ap);
	return -1;
}

static int syntax(struct vt_jread *r, const char *what, size_t at)
{
	return fail_at(r, "not JSON: %s at byte %zu", what, at);
}

static int cut(struct vt_jread *r)
{
	return syntax(r, "the document is cut off", r->len);
}

static int oom(struct vt_jread *r)
{
	return fail_at(r, "out of memory at byte %zu", r->pos);
}

/* At most SHOW_MAX bytes of @s, with '?' for bytes outside 0x20-0x7e. */
static const char *show(char *out, const char *s, size_t n)
{
	size_t i;

	if (n > SHOW_MAX)
		n = SHOW_MAX;
	for (i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] <= 0x7e ? s[i] : '?';
	out[n] = '\0';
	return out;
}

/* The canonical form */

static void canon_flush(struct vt_jread *r)
{
	if (r->cpos && vt_hash_update(&r->h, r->cbuf, r->cpos))
		r->hash_err = true;
	r->cpos = 0;
}

static void canon_write_slow(struct vt_jread *r, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t room = CANON_SIZE - r->cpos;

	memcpy(r->cbuf + r->cpos, s, room);
	r->cpos = CANON_SIZE;
	s += room;
	n -= room;
	canon_flush(r);
	if (n >= CANON_SIZE) {
		if (vt_hash_update(&r->h, s, n))
			r->hash_err = true;
		return;
	}
	memcpy(r->cbuf, s, n);
	r->cpos = n;
}

static inline void canon_write(struct vt_jread *r, const void *p, size_t n)
{
	if (!r->emit)
		return;
	if (n <= CANON_SIZE - r->cpos) {
		memcpy(r->cbuf + r->cpos, p, n);
		r->cpos += n;
	} else {
		canon_write_slow(r, p, n);
	}
}

static inline void canon_byte(struct vt_jread *r, unsigned char c)
{
	if (!r->emit)
		return;
	if (r->cpos == CANON_SIZE)
		canon_flush(r);
	r->cbuf[r->cpos++] = c;
}

/* One decoded byte below 0x80 as json-c's escaper writes it. */
static void canon_escape_byte(struct vt_jread *r, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0' };

	switch (c) {
	case '"':
		canon_write(r, "\\\"", 2);
		break;
	case '\\':
		canon_write(r, "\\\\", 2);
		break;
	case '\b':
		canon_write(r, "\\b", 2);
		break;
	case '\f':
		canon_write(r, "\\f", 2);
		break;
	case '\n':
		canon_write(r, "\\n", 2);
		break;
	case '\r':
		canon_write(r, "\\r", 2);
		break;
	case '\t':
		canon_write(r, "\\t", 2);
		break;
	default:
		if (c < 0x20) {
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			canon_write(r, u, 6);
		} else {
			canon_byte(r, c);
		}
	}
}

/* A decoded string (no NUL in it), quoted, as json-c writes it. */
static void canon_string(struct vt_jread *r, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j;

	canon_byte(r, '"');
	while (i < n) {
		for (j = i; j < n && p[j] >= 0x20 && p[j] != '"' &&
			    p[j] != '\\'; j++)
			;
		canon_write(r, p + i, j - i);
		if (j < n)
			canon_escape_byte(r, p[j++]);
		i = j;
	}
	canon_byte(r, '"');
}

/* Buffers */

static int buf_reserve(struct vt_jread *r, struct jbuf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p)
		return oom(r);
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Tokens */

static inline void skip_ws(struct vt_jread *r)
{
	const unsigned char *t = r->t;
	size_t i = r->pos, n = r->len;

	while (i < n && (cls[t[i]] & C_WS))
		i++;
	r->pos = i;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * The end of the run of bytes from @i on that a string holds as they are:
 * 0x20-0x7f except '"' and '\\'. Eight bytes at a time: a byte below 0x20,
 * a '"', a '\\' or a byte from 0x80 sets the high bit of its byte in m (and
 * maybe of bytes above it, after a borrow: the lowest one set is exact).
 */
static inline size_t scan_plain(const unsigned char *t, size_t i, size_t n)
{
	uint64_t x, q, b, m;

	while (n - i >= 8) {
		memcpy(&x, t + i, 8);
		q = x ^ (ONES * '"');
		b = x ^ (ONES * '\\');
		m = (((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) |
		     ((b - ONES) & ~b) | x) & HIGHS;
		if (m) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < n && !(cls[t[i]] & C_STR))
		i++;
	return i;
}

/* The UTF-8 sequence whose first byte (from 0x80) is at *ip (RFC 3629). */
static int utf8_seq(struct vt_jread *r, size_t *ip)
{
	const unsigned char *t = r->t;
	size_t i = *ip, n, k;
	unsigned char c = t[i], lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		if (c == 0xe0)
			lo = 0xa0;	/* no overlongs */
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		if (c == 0xf0)
			lo = 0x90;	/* no overlongs */
		else if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else {
		return syntax(r, "invalid UTF-8", i);
	}
	for (k = 1; k <= n; k++) {
		if (i + k >= r->len)
			return cut(r);
		if (t[i + k] < lo || t[i + k] > hi)
			return syntax(r, "invalid UTF-8", i);
		lo = 0x80;
		hi = 0xbf;
	}
	*ip = i + n + 1;
	return 0;
}

static int read_hex4(struct vt_jread *r, size_t i, unsigned int *v)
{
	unsigned int k, x = 0;
	unsigned char c;

	for (k = 0; k < 4; k++) {
		if (i + k >= r->len)
			return cut(r);
		c = r->t[i + k];
		if (c >= '0' && c <= '9')
			x = x << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			x = x << 4 | ((c | 0x20) - 'a' + 10);
		else
			return syntax(r, "a \\u escape without 4 hex digits",
				      i + k);
	}
	*v = x;
	return 0;
}

/*
 * The escape whose '\\' is at *ip: its bytes in @u (*un of them), its
 * canonical form to the digest if @emit, *ip past it.
 */
static int read_escape(struct vt_jread *r, size_t *ip, unsigned char *u,
		       size_t *un, bool emit)
{
	const unsigned char *t = r->t;
	size_t i = *ip;
	unsigned int cp, lo;

	if (i + 1 >= r->len)
		return cut(r);
	switch (t[i + 1]) {
	case '"':
	case '\\':
	case '/':
		u[0] = t[i + 1];
		break;
	case 'b':
		u[0] = '\b';
		break;
	case 'f':
		u[0] = '\f';
		break;
	case 'n':
		u[0] = '\n';
		break;
	case 'r':
		u[0] = '\r';
		break;
	case 't':
		u[0] = '\t';
		break;
	case 'u':
		if (read_hex4(r, i + 2, &cp))
			return -1;
		*ip = i + 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			/* a high surrogate: a low one must follow */
			if (i + 6 >= r->len || (t[i + 6] == '\\' &&
						i + 7 >= r->len))
				return cut(r);
			if (t[i + 6] != '\\' || t[i + 7] != 'u')
				goto lone;
			if (read_hex4(r, i + 8, &lo))
				return -1;
			if (lo < 0xdc00 || lo > 0xdfff)
				goto lone;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*ip = i + 12;
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			goto lone;
		} else if (!cp) {
			return fail_at(r,
				       "a NUL character in a string at byte %zu",
				       i);
		}
		if (cp < 0x80) {
			u[0] = cp;
			*un = 1;
			if (emit)
				canon_escape_byte(r, u[0]);
			return 0;
		}
		if (cp < 0x800) {
			u[0] = 0xc0 | cp >> 6;
			*un = 2;
		} else if (cp < 0x10000) {
			u[0] = 0xe0 | cp >> 12;
			u[1] = 0x80 | (cp >> 6 & 0x3f);
			*un = 3;
		} else {
			u[0] = 0xf0 | cp >> 18;
			u[1] = 0x80 | (cp >> 12 & 0x3f);
			u[2] = 0x80 | (cp >> 6 & 0x3f);
			*un = 4;
		}
		u[*un - 1] = 0x80 | (cp & 0x3f);
		if (emit)
			canon_write(r, u, *un);
		return 0;
	default:
		return syntax(r, "an invalid escape", i + 1);
	}
	*un = 1;
	*ip = i + 2;
	if (emit)
		canon_escape_byte(r, u[0]);
	return 0;
lone:
	return fail_at(r, "a lone surrogate escape at byte %zu", i);
}

/*
 * The string whose '"' is at r->pos, decoded in *s and *n: in @b from @off
 * on and NUL-terminated if @copy or if it has escapes, else in the text.
 * Its canonical form goes to the digest if @canon.
 */
static int read_string(struct vt_jread *r, struct jbuf *b, size_t off,
		       bool copy, bool canon, const char **s, size_t *n)
{
	const unsigned char *t = r->t;
	size_t start = r->pos + 1, i = start, end = r->len, j, o, un = 0;
	bool emit = canon && r->emit;
	unsigned char c, u[4];

	for (;;) {
		i = scan_plain(t, i, end);
		if (i >= end)
			return cut(r);
		c = t[i];
		if (c == '"')
			break;
		if (c >= 0x80) {
			if (utf8_seq(r, &i))
				return -1;
			continue;
		}
		if (c == '\\')
			goto escapes;
		return syntax(r, "a control character in a string", i);
	}
	/* no escapes: the string is the text between the quotes */
	if (emit)
		canon_write(r, t + start - 1, i - start + 2);
	*n = i - start;
	r->pos = i + 1;
	if (!copy) {
		*s = (const char *)t + start;
		return 0;
	}
	if (buf_reserve(r, b, off + *n + 1))
		return -1;
	memcpy(b->p + off, t + start, *n);
	b->p[off + *n] = '\0';
	*s = b->p + off;
	return 0;

escapes:
	if (buf_reserve(r, b, off + (i - start) + 5))
		return -1;
	memcpy(b->p + off, t + start, i - start);
	o = off + (i - start);
	if (emit)
		canon_write(r, t + start - 1, i - start + 1);
	for (;;) {
		/* here i is at a '\\' or at a run to copy */
		if (t[i] == '\\') {
			if (read_escape(r, &i, u, &un, emit))
				return -1;
			memcpy(b->p + o, u, un);
			o += un;
		} else {
			j = i;
			for (;;) {
				i = scan_plain(t, i, end);
				if (i >= end || t[i] < 0x80)
					break;
				if (utf8_seq(r, &i))
					return -1;
			}
			if (buf_reserve(r, b, o + (i - j) + 5))
				return -1;
			memcpy(b->p + o, t + j, i - j);
			o += i - j;
			if (emit)
				canon_write(r, t + j, i - j);
		}
		if (i >= end)
			return cut(r);
		c = t[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return syntax(r, "a control character in a string", i);
		/* room for an escape's bytes and the NUL */
		if (buf_reserve(r, b, o + 5))
			return -1;
	}
	if (emit)
		canon_byte(r, '"');
	b->p[o] = '\0';
	*s = b->p + off;
	*n = o - off;
	r->pos = i + 1;
	return 0;
}

/* An integer at r->pos: '-'?, then 0 or a digit 1-9 and digits. */
static int read_int(struct vt_jread *r, int64_t *v)
{
	const unsigned char *t = r->t;
	size_t start = r->pos, i = start, n = r->len;
	uint64_t u = 0, max = INT64_MAX;
	bool neg = false;
	unsigned int d;

	if (t[i] == '-') {
		neg = true;
		max = (uint64_t)INT64_MAX + 1;
		i++;
	}
	if (i >= n)
		return cut(r);
	if (t[i] == '0') {
		i++;
		if (i < n && t[i] >= '0' && t[i] <= '9')
			return syntax(r, "a number with a leading zero", i);
	} else if (t[i] >= '1' && t[i] <= '9') {
		for (; i < n && t[i] >= '0' && t[i] <= '9'; i++) {
			d = t[i] - '0';
			if (u > (max - d) / 10)
				return fail_at(r,
					"an integer out of range at byte %zu",
					start);
			u = u * 10 + d;
		}
	} else {
		return syntax(r, "a digit expected", i);
	}
	if (i < n && (t[i] == '.' || t[i] == 'e' || t[i] == 'E'))
		return fail_at(r, "a number that is not an integer at byte %zu",
			       i);
	if (neg)
		*v = u ? (int64_t)(0 - u) : 0;
	else
		*v = (int64_t)u;
	/* json-c writes "%" PRId64: the text as it is, but "-0" is "0" */
	if (neg && !u)
		canon_byte(r, '0');
	else
		canon_write(r, t + start, i - start);
	r->pos = i;
	return 0;
}

static int read_word(struct vt_jread *r, const char *w, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (r->pos + k >= r->len)
			return cut(r);
		if (r->t[r->pos + k] != (unsigned char)w[k])
			return syntax(r, "a misspelt true, false or null",
				      r->pos + k);
	}
	canon_write(r, w, n);
	r->pos += n;
	return 0;
}

/* Containers: the stack that the reader and the primitives share */

static int push(struct vt_jread *r, unsigned char kind)
{
	struct level *lv;
	size_t n;

	if (r->depth >= r->max_depth)
		return fail_at(r, "nesting deeper than %u at byte %zu",
			       r->max_depth, r->pos);
	if (r->depth + 1 >= r->nlv) {
		n = r->nlv > r->max_depth / 2 ? (size_t)r->max_depth + 1 :
						 r->nlv * 2;
		lv = realloc(r->lv, n * sizeof(*lv));
		if (!lv)
			return oom(r);
		r->lv = lv;
		r->nlv = n;
	}
	lv = &r->lv[++r->depth];
	lv->kind = kind;
	lv->state = ST_FIRST;
	lv->emitted = false;
	lv->skip = false;
	canon_byte(r, kind == LV_OBJECT ? '{' : '[');
	r->pos++;
	return 0;
}

static inline void value_done(struct vt_jread *r)
{
	r->lv[r->depth].state = ST_AFTER;
}

static void pop(struct vt_jread *r, unsigned char c)
{
	canon_byte(r, c);
	r->pos++;
	r->depth--;
	value_done(r);
}

/*
 * The next member of the object on top: 1 with its key decoded in @b at
 * @off (NUL-terminated) and its ':' read, or 0 after the '}'.
 */
static int member_next(struct vt_jread *r, struct jbuf *b, size_t off,
		       const char **key, size_t *klen)
{
	struct level *lv = &r->lv[r->depth];
	bool root = r->depth == 1 && r->skip;
	unsigned char c;

	if (lv->skip) {
		lv->skip = false;
		r->emit = r->hashing;
	}
	skip_ws(r);
	if (r->pos >= r->len)
		return cut(r);
	c = r->t[r->pos];
	if (c == '}') {
		pop(r, '}');
		return 0;
	}
	if (lv->state == ST_AFTER) {
		if (c != ',')
			return syntax(r, "',' or '}' expected", r->pos);
		r->pos++;
		skip_ws(r);
		if (r->pos >= r->len)
			return cut(r);
		if (r->t[r->pos] != '"')
			return syntax(r, "a key expected", r->pos);
	} else if (c != '"') {
		return syntax(r, "a key or '}' expected", r->pos);
	}
	r->kpos = r->pos;
	/* the root's keys go to the digest once it is known if they count */
	if (!root && lv->emitted)
		canon_byte(r, ',');
	if (read_string(r, b, off, true, !root, key, klen))
		return -1;
	if (root && *klen == r->skip_len && !memcmp(*key, r->skip, *klen)) {
		lv->skip = true;
		r->emit = false;
	} else if (root) {
		if (lv->emitted)
			canon_byte(r, ',');
		canon_string(r, *key, *klen);
	}
	if (!lv->skip)
		lv->emitted = true;
	skip_ws(r);
	if (r->pos >= r->len)
		return cut(r);
	if (r->t[r->pos] != ':')
		return syntax(r, "':' expected", r->pos);
	r->pos++;
	canon_byte(r, ':');
	lv->state = ST_VALUE;
	return 1;
}

/* The next element of the array on top: 1, or 0 after the ']'. */
static int element_next(struct vt_jread *r)
{
	struct level *lv = &r->lv[r->depth];
	unsigned char c;

	skip_ws(r);
	if (r->pos >= r->len)
		return cut(r);
	c = r->t[r->pos];
	if (c == ']') {
		pop(r, ']');
		return 0;
	}
	if (lv->state == ST_AFTER) {
		if (c != ',')
			return syntax(r, "',' or ']' expected", r->pos);
		r->pos++;
	}
	if (lv->emitted)
		canon_byte(r, ',');
	lv->emitted = true;
	lv->state = ST_VALUE;
	return 1;
}

/* The reader's own values */

static int parse_value(struct vt_jread *r, bool live, json_object **out);

/*
 * Which hook reads the value of the member being read in the object on
 * top (whose keys down from the root are on the key stack): *hook, or
 * *live if a hook may match deeper down.
 */
static void match(struct vt_jread *r, const struct vt_jread_hook **hook,
		  bool *live)
{
	const struct vt_jread_hook *h;
	size_t d = r->depth, i, l;
	const char *p;

	for (i = 0; i < r->o->nr_hooks; i++) {
		h = &r->o->hooks[i];
		if (r->hlen[i] < d)
			continue;
		for (l = 0; l < d; l++) {
			p = h->path[l];
			if (strcmp(p, "*") &&
			    strcmp(p, r->keys.p + r->lv[l + 1].koff))
				break;
		}
		if (l < d)
			continue;
		if (r->hlen[i] > d)
			*live = true;
		else if (!*hook)
			*hook = h;
	}
}

static int call_hook(struct vt_jread *r, const struct vt_jread_hook *h,
		     json_object **out)
{
	unsigned int d = r->depth, saved = r->floor, l;
	const char **keys = NULL;
	int ret;

	if (d) {
		keys = malloc(d * sizeof(*keys));
		if (!keys)
			return oom(r);
		for (l = 0; l < d; l++)
			keys[l] = r->keys.p + r->lv[l + 1].koff;
	}
	*out = NULL;
	r->floor = d;
	ret = h->parse(r, r->o->ctx, keys, d, out);
	r->floor = saved;
	free(keys);
	if (!ret && !r->failed &&
	    (r->depth != d || r->lv[d].state != ST_AFTER))
		fail_at(r, "a hook did not read exactly one value at byte %zu",
			r->pos);
	if (ret || r->failed) {
		fail_at(r, "a hook failed at byte %zu", r->pos);
		json_object_put(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int parse_object(struct vt_jread *r, bool live, json_object **out)
{
	const struct vt_jread_hook *hook;
	json_object *obj, *val;
	const char *key;
	size_t off = r->ktop, klen, kpos;
	char shown[SHOW_MAX + 1];
	bool child;
	int ret, n;

	obj = json_object_new_object();
	if (!obj)
		return oom(r);
	if (push(r, LV_OBJECT))
		goto fail;
	while ((ret = member_next(r, &r->keys, off, &key, &klen)) > 0) {
		kpos = r->kpos;
		r->lv[r->depth].koff = off;
		r->ktop = off + klen + 1;
		hook = NULL;
		child = false;
		if (live)
			match(r, &hook, &child);
		if (hook)
			ret = call_hook(r, hook, &val);
		else
			ret = parse_value(r, child, &val);
		r->ktop = off;
		if (ret)
			goto fail;
		/* the stack may have moved */
		key = r->keys.p + off;
		/*
		 * One hash lookup for both: json-c replaces the value of a key
		 * that is there already, and the count stays as it was.
		 */
		n = json_object_object_length(obj);
		if (json_object_object_add(obj, key, val)) {
			json_object_put(val);
			oom(r);
			goto fail;
		}
		if (json_object_object_length(obj) == n) {
			fail_at(r, "key \"%s\" twice at byte %zu",
				show(shown, key, klen), kpos);
			goto fail;
		}
	}
	if (ret < 0)
		goto fail;
	*out = obj;
	return 0;
fail:
	json_object_put(obj);
	return -1;
}

static int parse_array(struct vt_jread *r, json_object **out)
{
	json_object *arr, *val;
	int ret;

	/*
	 * json-c's default is 32 slots; most arrays of a baseline hold one
	 * or two values, and json-c doubles the slots as an array grows.
	 */
	arr = json_object_new_array_ext(1);
	if (!arr)
		return oom(r);
	if (push(r, LV_ARRAY))
		goto fail;
	while ((ret = element_next(r)) > 0) {
		if (parse_value(r, false, &val))
			goto fail;
		if (json_object_array_add(arr, val)) {
			json_object_put(val);
			oom(r);
			goto fail;
		}
	}
	if (ret < 0)
		goto fail;
	*out = arr;
	return 0;
fail:
	json_object_put(arr);
	return -1;
}

/*
 * The value at r->pos (after whitespace) in *out. @live: a hook may match
 * in it.
 */
static int parse_value(struct vt_jread *r, bool live, json_object **out)
{
	int64_t v = 0;
	size_t n, at;
	const char *s;

	*out = NULL;
	skip_ws(r);
	if (r->pos >= r->len)
		return cut(r);
	switch (r->t[r->pos]) {
	case '{':
		return parse_object(r, live, out);
	case '[':
		return parse_array(r, out);
	case '"':
		at = r->pos;
		if (read_string(r, &r->str, 0, false, true, &s, &n))
			return -1;
		if (n > INT_MAX)
			return fail_at(r,
				"a string longer than %d bytes at byte %zu",
				INT_MAX, at);
		*out = json_object_new_string_len(s, (int)n);
		break;
	case '-':
	case '0' ... '9':
		if (read_int(r, &v))
			return -1;
		*out = json_object_new_int64(v);
		break;
	case 't':
		if (read_word(r, "true", 4))
			return -1;
		*out = json_object_new_boolean(1);
		break;
	case 'f':
		if (read_word(r, "false", 5))
			return -1;
		*out = json_object_new_boolean(0);
		break;
	case 'n':
		if (read_word(r, "null", 4))
			return -1;
		value_done(r);
		return 0;
	default:
		return syntax(r, "a value expected", r->pos);
	}
	if (!*out)
		return oom(r);
	value_done(r);
	return 0;
}

/* Primitives */

static int out_of_turn(struct vt_jread *r, const char *fn)
{
	return fail_at(r, "%s called out of turn at byte %zu", fn, r->pos);
}

/*
 * Whitespace, then the first byte of a value of the kind @c starts
 * (@what), or a reason: which other kind of value is there, or why it is
 * none.
 */
static int expect(struct vt_jread *r, unsigned char c, const char *what)
{
	const char *found;
	bool word = false;
	size_t p;

	skip_ws(r);
	p = r->pos;
	if (p >= r->len)
		return cut(r);
	if (r->t[p] == c)
		return 0;
	switch (r->t[p]) {
	case '{':
		found = "an object";
		break;
	case '[':
		found = "an array";
		break;
	case '"':
		found = "a string";
		break;
	case '-':
		if (p + 1 >= r->len)
			return cut(r);
		if (r->t[p + 1] < '0' || r->t[p + 1] > '9')
			return syntax(r, "a digit expected", p + 1);
		found = "a number";
		break;
	case '0' ... '9':
		found = "a number";
		break;
	case 't':
		found = "true";
		word = true;
		break;
	case 'f':
		found = "false";
		word = true;
		break;
	case 'n':
		found = "null";
		word = true;
		break;
	default:
		return syntax(r, "a value expected", p);
	}
	/* a word must be whole to be a value */
	if (word && read_word(r, found, strlen(found)))
		return -1;
	r->pos = p;
	return fail_at(r, "%s where %s is expected at byte %zu", found, what,
		       p);
}

static bool value_due(const struct vt_jread *r)
{
	return r->lv[r->depth].state == ST_VALUE;
}

int vt_jread_object(struct vt_jread *r)
{
	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_object()");
	if (expect(r, '{', "an object"))
		return -1;
	return push(r, LV_OBJECT);
}

int vt_jread_member(struct vt_jread *r, const char **key, size_t *len)
{
	const struct level *lv = &r->lv[r->depth];

	if (r->failed)
		return -1;
	if (r->depth <= r->floor || lv->kind != LV_OBJECT ||
	    lv->state == ST_VALUE)
		return out_of_turn(r, "vt_jread_member()");
	return member_next(r, &r->key, 0, key, len);
}

int vt_jread_array(struct vt_jread *r)
{
	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_array()");
	if (expect(r, '[', "an array"))
		return -1;
	return push(r, LV_ARRAY);
}

int vt_jread_element(struct vt_jread *r)
{
	const struct level *lv = &r->lv[r->depth];

	if (r->failed)
		return -1;
	if (r->depth <= r->floor || lv->kind != LV_ARRAY ||
	    lv->state == ST_VALUE)
		return out_of_turn(r, "vt_jread_element()");
	return element_next(r);
}

int vt_jread_string(struct vt_jread *r, const char **s, size_t *len)
{
	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_string()");
	if (expect(r, '"', "a string") ||
	    read_string(r, &r->str, 0, true, true, s, len))
		return -1;
	value_done(r);
	return 0;
}

int vt_jread_string_ref(struct vt_jread *r, const char **s, size_t *len)
{
	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_string_ref()");
	if (expect(r, '"', "a string") ||
	    read_string(r, &r->str, 0, false, true, s, len))
		return -1;
	value_done(r);
	return 0;
}

int vt_jread_string_raw(struct vt_jread *r, const char **s, size_t *len)
{
	const char *q;

	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_string_raw()");
	if (expect(r, '"', "a string"))
		return -1;
	/* the canonical copy needs the checked path */
	if (r->emit)
		return read_string(r, &r->str, 0, false, true, s, len) ? -1 :
		       (value_done(r), 0);
	q = memchr(r->t + r->pos + 1, '"', r->len - r->pos - 1);
	if (!q)
		return cut(r);
	*s = (const char *)r->t + r->pos + 1;
	*len = q - *s;
	r->pos = q - (const char *)r->t + 1;
	value_done(r);
	return 0;
}

int vt_jread_null(struct vt_jread *r)
{
	if (r->failed)
		return -1;
	if (!value_due(r))
		return out_of_turn(r, "vt_jread_null()");
	skip_ws(r);
	if (r->pos >= r->len)
		return cut(r);
	if (r->t[r->pos] != 'n')
		return 0;
	if (read_word(r, "null", 4))
		return -1;
	value_done(r);
	return 1;
}

size_t vt_jread_offset(const struct vt_jread *r)
{
	return r->pos;
}

/* The reader */

static int start(struct vt_jread *r)
{
	const struct vt_jread_opts *o = r->o;
	size_t i;

	r->nlv = (r->max_depth < DEFAULT_DEPTH ? r->max_depth :
		  DEFAULT_DEPTH) + 1;
	r->lv = calloc(r->nlv, sizeof(*r->lv));
	if (!r->lv)
		return oom(r);
	r->lv[0].kind = LV_DOC;
	r->lv[0].state = ST_VALUE;
	if (o->nr_hooks) {
		r->hlen = calloc(o->nr_hooks, sizeof(*r->hlen));
		if (!r->hlen)
			return oom(r);
		for (i = 0; i < o->nr_hooks; i++)
			while (o->hooks[i].path[r->hlen[i]])
				r->hlen[i]++;
	}
	if (o->digest) {
		r->cbuf = malloc(CANON_SIZE);
		if (!r->cbuf)
			return oom(r);
		if (vt_hash_init(&r->h, &vt_algs[VT_ALG_SHA256]))
			return fail_at(r, "cannot compute SHA-256");
		r->hashing = true;
		if (vt_hash_start(&r->h))
			return fail_at(r, "cannot compute SHA-256");
		r->emit = true;
	}
	return 0;
}

int vt_jread(const char *text, size_t len, const struct vt_jread_opts *o,
	     json_object **out, char *why, size_t whylen)
{
	static const struct vt_jread_opts none;
	struct vt_jread r = {
		.t = (const unsigned char *)text,
		.len = len,
		.o = o ? o : &none,
		.why = why,
		.whylen = whylen,
	};
	const struct vt_jread_hook *hook = NULL;
	json_object *val = NULL;
	uint8_t d[32];
	size_t i;
	int ret = -1;

	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	r.max_depth = r.o->max_depth ? r.o->max_depth : DEFAULT_DEPTH;
	r.skip = r.o->skip_key;
	r.skip_len = r.skip ? strlen(r.skip) : 0;
	if (start(&r))
		goto out;
	for (i = 0; i < r.o->nr_hooks && !hook; i++)
		if (!r.hlen[i])
			hook = &r.o->hooks[i];
	if (hook ? call_hook(&r, hook, &val) :
		   parse_value(&r, r.o->nr_hooks > 0, &val))
		goto out;
	skip_ws(&r);
	if (r.pos < len) {
		syntax(&r, "text after the document", r.pos);
		goto out;
	}
	if (r.hashing) {
		canon_flush(&r);
		if (r.hash_err || vt_hash_final(&r.h, d)) {
			fail_at(&r, "cannot compute SHA-256");
			goto out;
		}
		memcpy(r.o->digest, d, sizeof(d));
	}
	*out = val;
	val = NULL;
	ret = 0;
out:
	json_object_put(val);
	if (r.hashing)
		vt_hash_free(&r.h);
	free(r.cbuf);
	free(r.hlen);
	free(r.lv);
	free(r.str.p);
	free(r.key.p);
	free(r.keys.p);
	return ret;
}
