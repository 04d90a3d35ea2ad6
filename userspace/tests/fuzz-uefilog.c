// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the firmware event log parser: the input is a log.
 * Every event that parses is decoded, described and its device path
 * printed; every byte that an event or its decoding points at is read, so
 * that ASan checks the bounds. Parsing twice must give the same events.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uefilog.h"

static uint64_t touch(const uint8_t *p, uint64_t len)
{
	return len ? p[0] + p[len - 1] : 0;
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
		uefilog_describe(&e, &in, text, sizeof(text));
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
	return sum + (ret < 0);
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
