// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SM3 fed in pieces equals SM3 in one call, and both equal
 * OpenSSL's SM3. The input's first byte gives a number of cut points; each
 * takes the next two bytes (a piece length, taken modulo what is left); the
 * rest of the input is the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "sm3.h"

#define MAX_CUTS 16

static EVP_MD *sm3;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 one[VTRUST_SM3_DIGEST_SIZE], inc[VTRUST_SM3_DIGEST_SIZE];
	u8 ref[VTRUST_SM3_DIGEST_SIZE];
	size_t cuts[MAX_CUTS], ncuts = 0, i, off, left;
	struct vtrust_sm3_ctx ctx;
	const u8 *msg;
	unsigned int rlen;

	if (!sm3) {
		/* fetched once: an implicit fetch on every call is slow */
		sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
		if (!sm3)
			abort();
	}

	if (size) {
		ncuts = data[0] % (MAX_CUTS + 1);
		data++;
		size--;
	}
	for (i = 0; i < ncuts; i++) {
		if (size < 2) {
			ncuts = i;
			break;
		}
		cuts[i] = data[0] | data[1] << 8;
		data += 2;
		size -= 2;
	}
	msg = data;

	vtrust_sm3_digest(msg, size, one);

	vtrust_sm3_init(&ctx);
	off = 0;
	for (i = 0; i < ncuts; i++) {
		left = size - off;
		cuts[i] = left ? cuts[i] % (left + 1) : 0;
		vtrust_sm3_update(&ctx, msg + off, cuts[i]);
		off += cuts[i];
	}
	vtrust_sm3_update(&ctx, msg + off, size - off);
	vtrust_sm3_final(&ctx, inc);

	if (memcmp(one, inc, sizeof(one)))
		abort();
	if (EVP_Digest(msg, size, ref, &rlen, sm3, NULL) != 1 ||
	    rlen != sizeof(ref) || memcmp(one, ref, sizeof(ref)))
		abort();
	return 0;
}
