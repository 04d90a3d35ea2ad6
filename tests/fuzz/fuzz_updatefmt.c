// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a signed update's framing and header line
 * (kernel/updatefmt.c). The input is split, its content's header parsed
 * (from a copy of exactly the content's size, so ASan sees a read past the
 * content), and the header parser also runs on the whole input. Checked:
 * the split accepts exactly the inputs that end in the magic after a be32
 * between 1 and what precedes it, and its parts tile the input; a refusal
 * is -EBADMSG and leaves the outputs alone; an accepted header's body
 * starts right after the first '\n', within VTRUST_UPDATE_LINE_MAX bytes,
 * and the line is "vtrust-update <target> <seq> <instance>" written back
 * from the parsed values (the seq in canonical decimal, the instance in
 * lowercase hex), ended by the '\n' or a NUL. Then an update built from
 * the input's bytes (a target, a seq, an instance, a body and a signature)
 * must come back out exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updatefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WORD VTRUST_UPDATE_HEADER_WORD " "
#define WORD_LEN (sizeof(WORD) - 1)

static void *dup_exact(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, src, len);
	return p;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The split of @data, checked against what the format says. */
static int check_split(const char *data, size_t size, size_t *content_len)
{
	const void *sig = data, *sig_before = data;
	size_t cl = 12345, sl = 54321;
	uint32_t want_sl = 0;
	int ok = 0, ret;

	if (size >= VTRUST_UPDATE_TAIL_LEN &&
	    !memcmp(data + size - VTRUST_UPDATE_MAGIC_LEN, VTRUST_UPDATE_MAGIC,
		    VTRUST_UPDATE_MAGIC_LEN)) {
		want_sl = be32((const uint8_t *)data + size -
			       VTRUST_UPDATE_TAIL_LEN);
		ok = want_sl >= 1 && want_sl <= size - VTRUST_UPDATE_TAIL_LEN;
	}
	ret = vtrust_update_split(data, size, &cl, &sig, &sl);
	if (ret) {
		if (ret != -EBADMSG || ok || cl != 12345 || sl != 54321 ||
		    sig != sig_before)
			abort();
		return ret;
	}
	if (!ok || sl != want_sl || cl + sl + VTRUST_UPDATE_TAIL_LEN != size ||
	    sig != data + cl)
		abort();
	*content_len = cl;
	return 0;
}

/* The header of @content (@len bytes), checked; 0 if accepted. */
static int check_header(const char *content, size_t len,
			struct vtrust_update_header *out)
{
	struct vtrust_update_header h, untouched;
	const char *nl, *p;
	char text[64];
	size_t i, n;
	int ret;

	memset(&h, 0xa5, sizeof(h));
	memset(&untouched, 0xa5, sizeof(untouched));
	ret = vtrust_update_header(content, len, &h);
	if (ret) {
		if (ret != -EBADMSG || memcmp(&h, &untouched, sizeof(h)))
			abort();
		return ret;
	}
	nl = memchr(content, '\n', len);
	if (!nl || h.body != (size_t)(nl - content) + 1 ||
	    h.body > VTRUST_UPDATE_LINE_MAX || h.body > len)
		abort();
	/* "vtrust-update <target> <seq> <instance>", then '\n' or NUL */
	if (memcmp(content, WORD, WORD_LEN) || h.target != content + WORD_LEN ||
	    h.target_len == 0)
		abort();
	for (i = 0; i < h.target_len; i++)
		if (h.target[i] == ' ' || h.target[i] == '\n' || !h.target[i])
			abort();
	p = h.target + h.target_len;
	n = snprintf(text, sizeof(text), " %llu ", (unsigned long long)h.seq);
	if (p + n > nl || memcmp(p, text, n))
		abort();
	p += n;
	for (i = 0; i < VTRUST_UPDATE_INSTANCE_SIZE; i++)
		snprintf(text + 2 * i, 3, "%02x", h.instance[i]);
	if (p + 2 * VTRUST_UPDATE_INSTANCE_SIZE > nl ||
	    memcmp(p, text, 2 * VTRUST_UPDATE_INSTANCE_SIZE))
		abort();
	p += 2 * VTRUST_UPDATE_INSTANCE_SIZE;
	if (p != nl && *p)
		abort();
	if (out)
		*out = h;
	return 0;
}

/*
 * An update made from @data: a target of its first byte's (1 to 16) bytes
 * that are neither space, '\n' nor NUL, a seq from 8 bytes, an instance
 * from 16, a signature of 1 to 256 bytes, and the rest as the body.
 */
static void check_roundtrip(const uint8_t *data, size_t size)
{
	size_t tlen, sig_len, body_len, len, n, content_len;
	struct vtrust_update_header h;
	u8 instance[VTRUST_UPDATE_INSTANCE_SIZE];
	char target[16], *buf, *update, *content;
	u64 seq = 0;
	size_t i;

	if (size < 2 + 8 + VTRUST_UPDATE_INSTANCE_SIZE + 16)
		return;
	tlen = 1 + data[0] % 16;
	sig_len = 1 + data[1];
	data += 2;
	size -= 2;
	for (i = 0; i < tlen; i++) {
		target[i] = data[i];
		if (!data[i] || data[i] == ' ' || data[i] == '\n')
			target[i] = 'x';
	}
	data += 16;
	size -= 16;
	for (i = 0; i < 8; i++)
		seq = seq << 8 | data[i];
	memcpy(instance, data + 8, sizeof(instance));
	data += 8 + sizeof(instance);
	size -= 8 + sizeof(instance);
	body_len = size;

	len = WORD_LEN + tlen + 1 + 20 + 1 + 2 * sizeof(instance) + 1 +
	      body_len + sig_len + VTRUST_UPDATE_TAIL_LEN;
	buf = malloc(len);
	if (!buf)
		abort();
	memcpy(buf, WORD, WORD_LEN);
	n = WORD_LEN;
	memcpy(buf + n, target, tlen);
	n += tlen;
	n += sprintf(buf + n, " %llu ", (unsigned long long)seq);
	for (i = 0; i < sizeof(instance); i++)
		n += sprintf(buf + n, "%02x", instance[i]);
	buf[n++] = '\n';
	if (body_len)
		memcpy(buf + n, data, body_len);
	n += body_len;
	memset(buf + n, 0x30, sig_len);
	n += sig_len;
	buf[n++] = sig_len >> 24;
	buf[n++] = sig_len >> 16;
	buf[n++] = sig_len >> 8;
	buf[n++] = sig_len;
	memcpy(buf + n, VTRUST_UPDATE_MAGIC, VTRUST_UPDATE_MAGIC_LEN);
	n += VTRUST_UPDATE_MAGIC_LEN;

	/* in copies of exactly the update's and the content's size */
	update = dup_exact(buf, n);
	free(buf);
	if (check_split(update, n, &content_len) ||
	    content_len != n - sig_len - VTRUST_UPDATE_TAIL_LEN)
		abort();
	content = dup_exact(update, content_len);
	if (check_header(content, content_len, &h))
		abort();
	if (h.target_len != tlen || memcmp(h.target, target, tlen) ||
	    h.seq != seq || memcmp(h.instance, instance, sizeof(instance)) ||
	    h.body != content_len - body_len ||
	    memcmp(content + h.body, data, body_len))
		abort();
	free(content);
	free(update);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t content_len;
	char *content;

	if (!check_split(in, size, &content_len)) {
		content = dup_exact(in, content_len);
		check_header(content, content_len, NULL);
		free(content);
	}
	check_header(in, size, NULL);
	check_roundtrip(data, size);
	return 0;
}
