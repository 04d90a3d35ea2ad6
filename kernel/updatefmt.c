// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parsers of a signed update's framing and header line (the format is
 * in updatefmt.h and seal.c). The bytes come from root and are not yet
 * authenticated when they are parsed: every length is checked before it is
 * used and nothing is read outside [data, data + len).
 */
#include "updatefmt.h"

int vtrust_update_split(const char *data, size_t len, size_t *content_len,
			const void **sig, size_t *sig_len)
{
	const unsigned char *be;
	size_t n;

	if (len < VTRUST_UPDATE_TAIL_LEN ||
	    memcmp(data + len - VTRUST_UPDATE_MAGIC_LEN, VTRUST_UPDATE_MAGIC,
		   VTRUST_UPDATE_MAGIC_LEN))
		return -EBADMSG;
	be = (const unsigned char *)data + len - VTRUST_UPDATE_TAIL_LEN;
	n = (u32)be[0] << 24 | (u32)be[1] << 16 | (u32)be[2] << 8 | be[3];
	if (n == 0 || n > len - VTRUST_UPDATE_TAIL_LEN)
		return -EBADMSG;
	*sig_len = n;
	*content_len = len - VTRUST_UPDATE_TAIL_LEN - n;
	*sig = data + *content_len;
	return 0;
}

/* A decimal u64 of @len digits, no sign, no leading zero. */
static int parse_seq(const char *s, size_t len, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (s[0] == '0' && len > 1)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EBADMSG;
		if (v > (~(u64)0 - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* VTRUST_UPDATE_INSTANCE_SIZE bytes from 32 lowercase hex digits. */
static int parse_instance(const char *s, size_t len, u8 *out)
{
	size_t i;

	if (len != 2 * VTRUST_UPDATE_INSTANCE_SIZE)
		return -EBADMSG;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || (s[i] > '9' && s[i] < 'a') || s[i] > 'f')
			return -EBADMSG;
	for (i = 0; i < VTRUST_UPDATE_INSTANCE_SIZE; i++)
		out[i] = vtrust_hexval(s[2 * i]) << 4 |
			 vtrust_hexval(s[2 * i + 1]);
	return 0;
}

int vtrust_update_header(const char *content, size_t len,
			 struct vtrust_update_header *hdr)
{
	static const char word[] = VTRUST_UPDATE_HEADER_WORD;
	const char *nl, *nul, *tok[4];
	size_t tok_len[4], end, start, i, n = 0;
	u8 instance[VTRUST_UPDATE_INSTANCE_SIZE];
	u64 seq;

	nl = memchr(content, '\n',
		    len < VTRUST_UPDATE_LINE_MAX ? len :
						   VTRUST_UPDATE_LINE_MAX);
	if (!nl)
		return -EBADMSG;
	/* The line's text ends at a NUL, as the C string it once was. */
	end = nl - content;
	nul = memchr(content, '\0', end);
	if (nul)
		end = nul - content;
	/* Exactly four tokens, each non-empty, between single spaces. */
	for (i = 0, start = 0; i <= end; i++) {
		if (i < end && content[i] != ' ')
			continue;
		if (i == start || n == 4)
			return -EBADMSG;
		tok[n] = content + start;
		tok_len[n++] = i - start;
		start = i + 1;
	}
	if (n != 4)
		return -EBADMSG;
	if (tok_len[0] != sizeof(word) - 1 ||
	    memcmp(tok[0], word, sizeof(word) - 1))
		return -EBADMSG;
	if (parse_seq(tok[2], tok_len[2], &seq) ||
	    parse_instance(tok[3], tok_len[3], instance))
		return -EBADMSG;
	hdr->target = tok[1];
	hdr->target_len = tok_len[1];
	hdr->seq = seq;
	memcpy(hdr->instance, instance, sizeof(instance));
	hdr->body = nl + 1 - content;
	return 0;
}
