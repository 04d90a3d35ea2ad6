// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the firmware event log parser: the input is a log.
 * Every event that parses is decoded, described and its device path
 * printed; every byte that an event or its decoding points at is read, so
 * that ASan checks the bounds. Parsing twice must give the same events.
 * What the parser promises is checked too: events keep to the PFP's rules
 * (PCR below 24, zero EV_NO_ACTION digests), a name is never empty and is
 * valid UTF-8 with no control character, and a log that ends cleanly ends
 * at its last byte, padding counted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uefilog.h"

static uint64_t touch(const uint8_t *p, uint64_t len)
{
	return len ? p[0] + p[len - 1] : 0;
}

/* The length of the UTF-8 sequence that lead byte @c starts, 0 if none. */
static int seq_len(uint8_t c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	return c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
}

/*
 * Valid UTF-8 (no overlong forms, surrogates or values above U+10FFFF),
 * without C0 or C1 controls.
 */
static bool clean_utf8(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t c;
	int n, k;

	for (; *p; p += n) {
		n = seq_len(*p);
		if (!n)
			return false;
		c = n == 1 ? *p : *p & (0x7f >> n);
		for (k = 1; k < n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (p[k] & 0x3f);
		}
		if (c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
			return false;
	}
	return true;
}

/* What every event that parses must be. */
static void check_event(const struct uefilog_event *e,
			const struct uefilog_info *in, const char *name,
			size_t size)
{
	unsigned int i, k;

	if (e->pcr >= UEFILOG_PCRS || !name[0] || strlen(name) >= size ||
	    !clean_utf8(name))
		abort();
	if (e->type == EV_NO_ACTION)
		for (i = 0; i < e->nr_digests; i++)
			for (k = 0; k < e->digests[i].size; k++)
				if (e->digests[i].bytes[k])
					abort();
	if (uefilog_separator_error(e, in) && e->type != EV_SEPARATOR)
		abort();
}

static uint64_t walk(const uint8_t *data, size_t size)
{
	struct uefilog_error err;
	struct uefilog_info in;
	struct uefilog_event e;
	struct uefilog l;
	const uint8_t *alt;
	size_t alt_len;
	char text[256];
	uint64_t sum = 0;
	unsigned int i;
	int ret;

	if (uefilog_open(&l, data, size, &err)) {
		if (!err.msg[0] || err.offset > size)
			abort();
		return 1;
	}
	while ((ret = uefilog_next(&l, &e, &err)) == 1) {
		if (e.offset + e.size > size)
			abort();
		sum += e.offset + e.pcr + e.type;
		for (i = 0; i < e.nr_digests; i++)
			sum += touch(e.digests[i].bytes, e.digests[i].size);
		sum += touch(e.data, e.data_len);
		uefilog_decode(&l, &e, &in);
		uefilog_describe(&e, &in, text, 8 + e.index % 64);
		check_event(&e, &in, text, 8 + e.index % 64);
		sum += strlen(text);
		uefilog_digest_covers_data(&e, &in, &alt, &alt_len);
		if (alt)
			sum += touch(alt, alt_len);
		switch (in.kind) {
		case UEFILOG_K_VARIABLE:
			sum += touch(in.u.var.name, 2 * in.u.var.name_len);
			sum += touch(in.u.var.data, in.u.var.data_len);
			break;
		case UEFILOG_K_IMAGE:
			sum += uefilog_devpath_text(in.u.image.devpath,
						    in.u.image.devpath_len,
						    text, 17);
			break;
		case UEFILOG_K_HANDOFF:
			sum += touch(in.u.handoff.tables,
				     24 * in.u.handoff.count);
			break;
		case UEFILOG_K_GPT:
			sum += touch(in.u.gpt.entries,
				     in.u.gpt.entry_size * in.u.gpt.count);
			break;
		case UEFILOG_K_STRING:
			sum += uefilog_text(in.u.str.text, in.u.str.len,
					    in.u.str.utf16, text, sizeof(text));
			break;
		default:
			break;
		}
	}
	if (ret < 0 && (!err.msg[0] || err.offset > size))
		abort();
	if (!ret && (l.pos != size || l.pad_len > size ||
		     (l.pad_len && l.pad_byte && l.pad_byte != 0xff)))
		abort();
	if (l.locality > 4 || l.locality == 1 || l.locality == 2)
		abort();
	return sum + (ret < 0) + l.pad_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: a read past the input is caught */
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (walk(copy, size) != walk(copy, size))
		abort();
	free(copy);
	return 0;
}
