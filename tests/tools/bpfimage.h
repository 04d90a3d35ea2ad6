/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtrust's image of an eBPF program, the bytes its digest covers
 * (docs/FORMATS.md, "eBPF digests"), built in user space from what a loader
 * submits: six le32 fields (version 1, program type, expected attach type,
 * prog_flags, instruction count, target length), the instructions, then
 * the attach target's name without a NUL.
 */
#ifndef VTRUST_TESTS_BPFIMAGE_H
#define VTRUST_TESTS_BPFIMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "sha256.h"

#define BPF_IMAGE_VERSION 1
#define BPF_IMAGE_HEADER 24

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint8_t *bpf_image(uint32_t type, uint32_t attach_type, uint32_t flags,
			  const void *insns, uint32_t n, const char *target,
			  size_t *len)
{
	size_t insn_len = (size_t)n * sizeof(struct bpf_insn);
	size_t target_len = strlen(target);
	uint8_t *img;

	*len = BPF_IMAGE_HEADER + insn_len + target_len;
	img = malloc(*len);
	if (!img)
		return NULL;
	put_le32(img, BPF_IMAGE_VERSION);
	put_le32(img + 4, type);
	put_le32(img + 8, attach_type);
	put_le32(img + 12, flags);
	put_le32(img + 16, n);
	put_le32(img + 20, target_len);
	memcpy(img + BPF_IMAGE_HEADER, insns, insn_len);
	memcpy(img + BPF_IMAGE_HEADER + insn_len, target, target_len);
	return img;
}

/* @hex: 65 bytes. */
static void sha256_hex(const void *data, size_t len, char *hex)
{
	struct sha256 sha;
	uint8_t digest[32];
	int i;

	sha256_init(&sha);
	sha256_update(&sha, data, len);
	sha256_final(&sha, digest);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
}

#endif /* VTRUST_TESTS_BPFIMAGE_H */
