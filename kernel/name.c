// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event names, as IMA writes them and safe in the ascii list: a space
 * becomes '_' (IMA's n-ng field), and each control character (0x00-0x1f,
 * 0x7f) and backslash becomes \xHH (two lowercase hex digits), so that a
 * backslash in a name always starts an escape. Other bytes (UTF-8
 * included) stay.
 */
#include "name.h"

static const char name_hex[] = "0123456789abcdef";

/*
 * Write @src escaped into @dst, @size bytes with the NUL (@size > 0). The
 * result is cut before the first character whose escape does not fit.
 * @dst may be @src: the escape is done in place. Returns its length.
 */
size_t vtrust_escape_name(char *dst, size_t size, const char *src)
{
	size_t in, out = 0, len;
	unsigned char c;

	for (in = 0; src[in]; in++) {
		if (out + vtrust_escaped_len(src[in]) >= size)
			break;
		out += vtrust_escaped_len(src[in]);
	}
	len = out;
	/* Backwards: each byte only grows, so no unread byte is overwritten. */
	dst[len] = '\0';
	while (in--) {
		c = src[in];
		if (vtrust_escaped_len(c) == 1) {
			dst[--out] = c == ' ' ? '_' : c;
			continue;
		}
		out -= 4;
		dst[out] = '\\';
		dst[out + 1] = 'x';
		dst[out + 2] = name_hex[c >> 4];
		dst[out + 3] = name_hex[c & 0xf];
	}
	return len;
}
