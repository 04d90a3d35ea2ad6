// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names: the reversible storage escape and the display filter; see names.h.
 */
#include <string.h>

#include "hash.h"
#include "hex.h"
#include "names.h"

#define CUT_MARK "\\...sha256:"

/* Length of the UTF-8 sequence at @p (at most @len bytes) and its code
 * point in *cp, or 0 if it is not valid UTF-8 (overlong, surrogate, cut). */
static size_t utf8_seq(const uint8_t *p, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	c = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return n;
}

/* Characters that change how the text around them reads. */
static bool unsafe(uint32_t c)
{
	static const struct { uint32_t lo, hi; } ranges[] = {
		{ 0x00, 0x1f },		/* C0 controls */
		{ 0x7f, 0x9f },		/* DEL and C1 controls */
		{ 0x61c, 0x61c },	/* Arabic letter mark */
		{ 0x200b, 0x200f },	/* zero width, LRM, RLM */
		{ 0x2028, 0x202e },	/* line/paragraph separators, embeddings */
		{ 0x2060, 0x206f },	/* invisible operators, isolates */
		{ 0xfeff, 0xfeff },	/* zero width no-break space */
		{ 0xfff9, 0xfffb },	/* interlinear annotations */
	};
	unsigned int i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (c >= ranges[i].lo && c <= ranges[i].hi)
			return true;
	return false;
}

/*
 * The text of the character or byte at @p into @piece: the character
 * itself, or "\xNN" per byte. *adv is the number of input bytes. With
 * @escape, '\' is doubled and @first '(' written "\x28".
 */
static size_t unit(const uint8_t *p, size_t len, bool escape, bool first,
		   char *piece, size_t *adv)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t c = 0;
	size_t n = utf8_seq(p, len, &c), i;

	*adv = n ? n : 1;
	if (escape && (p[0] == '\\' || (first && p[0] == '('))) {
		if (p[0] == '\\') {
			memcpy(piece, "\\\\", 2);
			return 2;
		}
		n = 0;
	}
	if (n && !unsafe(c)) {
		memcpy(piece, p, n);
		return n;
	}
	for (i = 0; i < *adv; i++) {
		piece[4 * i] = '\\';
		piece[4 * i + 1] = 'x';
		piece[4 * i + 2] = hx[p[i] >> 4];
		piece[4 * i + 3] = hx[p[i] & 15];
	}
	return 4 * *adv;
}

/* Replace what follows @keep bytes of @out by the cut mark of @p. */
static size_t cut_name(const uint8_t *p, size_t len, char *out, size_t keep)
{
	struct vt_hash h;
	uint8_t sum[32];

	memcpy(out + keep, CUT_MARK, sizeof(CUT_MARK) - 1);
	keep += sizeof(CUT_MARK) - 1;
	if (vt_hash_init(&h, &vt_algs[VT_ALG_SHA256]) ||
	    vt_hash_digest(&h, p, len, sum))
		memset(sum, 0xff, sizeof(sum));	/* cannot happen: OpenSSL works */
	vt_hash_free(&h);
	vt_hex(out + keep, sum, 8);
	keep += 16;
	out[keep] = '\0';
	return keep;
}

/* The length of @p's run of printable ASCII other than backslash. */
static size_t plain_run(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\\')
			break;
	return i;
}

size_t vt_name_escape(const uint8_t *p, size_t len, char *out, size_t max,
		      bool *cut)
{
	size_t i = 0, o = 0, safe = 0, n, adv;
	char piece[16];

	if (cut)
		*cut = false;
	if (!len) {
		memcpy(out, VT_NAME_EMPTY, sizeof(VT_NAME_EMPTY));
		return sizeof(VT_NAME_EMPTY) - 1;
	}
	/* most names need no escape: as they are */
	if (len <= max && p[0] != '(' && plain_run(p, len) == len) {
		memcpy(out, p, len);
		out[len] = '\0';
		return len;
	}
	while (i < len) {
		n = unit(p + i, len - i, true, i == 0, piece, &adv);
		if (o + n > max) {
			if (cut)
				*cut = true;
			return cut_name(p, len, out, safe);
		}
		memcpy(out + o, piece, n);
		o += n;
		i += adv;
		if (o <= max - VT_NAME_CUT_LEN)
			safe = o;
	}
	out[o] = '\0';
	return o;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "\...sha256:<16 hex>" and the end, at @s. */
static bool is_cut_mark(const char *s, size_t len)
{
	size_t i, m = sizeof(CUT_MARK) - 1;

	if (len != VT_NAME_CUT_LEN || memcmp(s, CUT_MARK, m))
		return false;
	for (i = m; i < len; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

int vt_name_unescape(const char *s, size_t len, uint8_t *out, size_t *outlen)
{
	size_t i = 0, o = 0;
	int hi, lo;

	*outlen = 0;
	if (len == sizeof(VT_NAME_EMPTY) - 1 && !memcmp(s, VT_NAME_EMPTY, len))
		return 0;
	if (!len || s[0] == '(')
		return -1;
	while (i < len) {
		if (s[i] != '\\') {
			out[o++] = s[i++];
			continue;
		}
		if (i + 1 < len && s[i + 1] == '\\') {
			out[o++] = '\\';
			i += 2;
		} else if (i + 3 < len && s[i + 1] == 'x' &&
			   (hi = hexval(s[i + 2])) >= 0 &&
			   (lo = hexval(s[i + 3])) >= 0) {
			out[o++] = hi << 4 | lo;
			i += 4;
		} else if (is_cut_mark(s + i, len - i)) {
			*outlen = o;
			return 1;
		} else {
			return -1;
		}
	}
	*outlen = o;
	return 0;
}

bool vt_name_valid(const char *s, size_t len, size_t max)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n;
	uint32_t c;

	if (!len || len > max)
		return false;
	while (i < len) {
		i += plain_run(p + i, len - i);
		if (i == len)
			break;
		if (p[i] == '\\') {
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i, &c);
		if (!n || unsafe(c))
			return false;
		i += n;
	}
	return true;
}

void vt_name_print(FILE *f, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len = strlen(s), i = 0, n, adv;
	char piece[16];

	while (i < len) {
		n = unit(p + i, len - i, false, false, piece, &adv);
		fwrite(piece, 1, n, f);
		i += adv;
	}
}
