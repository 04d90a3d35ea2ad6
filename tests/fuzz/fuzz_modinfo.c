// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: vtrust_modinfo_name() on arbitrary images. libFuzzer
 * hands over a heap copy of exactly @size bytes, so AddressSanitizer sees
 * any read past the image. The results must also be consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modinfo.h"

#define NAME_SIZE 64
#define SMALL_SIZE 8

static int known(int ret)
{
	return ret == 0 || ret == -ENOEXEC || ret == -ENOENT ||
	       ret == -ENAMETOOLONG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[NAME_SIZE + 1], small[SMALL_SIZE + 1];
	size_t len = 0;
	int ret, ret2;

	name[NAME_SIZE] = 0x7e;
	small[SMALL_SIZE] = 0x7e;
	ret = vtrust_modinfo_name(data, size, name, NAME_SIZE);
	if (!known(ret) || name[NAME_SIZE] != 0x7e)
		abort();
	if (ret == 0) {
		len = strnlen(name, NAME_SIZE);
		if (len == 0 || len == NAME_SIZE)
			abort();
	}

	/* The same image with a smaller buffer: same answer, or too long. */
	ret2 = vtrust_modinfo_name(data, size, small, SMALL_SIZE);
	if (small[SMALL_SIZE] != 0x7e)
		abort();
	if (ret == 0) {
		if (len < SMALL_SIZE ? ret2 != 0 || strcmp(small, name) :
				       ret2 != -ENAMETOOLONG)
			abort();
	} else if (ret != ret2) {
		abort();
	}
	return 0;
}
