// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes the seed corpus of fuzz_modinfo (small ELF images built with
 * elfgen.c) into the directory given as argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfgen.h"

static const char text[] = "\x55\x48\x89\xe5\x5d\xc3";
static const char info_std[] = "license=GPL\0depends=\0name=af_key\0"
			       "vermagic=6.1.0 SMP mod_unload\0";
static const char info_pad[] = "\0\0license=GPL\0\0\0\0name=x\0\0";
static const char info_none[] = "license=GPL\0author=nobody\0";
static const char info_unterm[] = "license=GPL\0name=unterminated";
static const char info_long[] = "name=a_module_name_that_is_much_longer_than_"
				"sixty_four_bytes_to_hit_enametoolong\0";

static int write_seed(const char *dir, const char *file, const char *info,
		      size_t info_size, const char *modinfo, uint32_t type,
		      int shdrs_first)
{
	const struct elfgen_section secs[] = {
		{ ".text", 0, text, sizeof(text) - 1 },
		{ modinfo, type, info, info_size },
		{ ".bss", ELFGEN_SHT_NOBITS, NULL, 64 },
	};
	struct elfgen_image img;
	char path[4096];
	FILE *f;
	int ok;

	if (elfgen_build(&img, secs, 3, shdrs_first))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		elfgen_free(&img);
		return -1;
	}
	ok = fwrite(img.data, 1, img.len, f) == img.len;
	ok = !fclose(f) && ok;
	elfgen_free(&img);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	int err = 0;

	err |= write_seed(dir, "valid.elf", info_std, sizeof(info_std),
			  ".modinfo", 0, 0);
	err |= write_seed(dir, "valid-shdrs-first.elf", info_std,
			  sizeof(info_std), ".modinfo", 0, 1);
	err |= write_seed(dir, "padded.elf", info_pad, sizeof(info_pad),
			  ".modinfo", 0, 0);
	err |= write_seed(dir, "no-name.elf", info_none, sizeof(info_none),
			  ".modinfo", 0, 0);
	err |= write_seed(dir, "no-modinfo.elf", info_std, sizeof(info_std),
			  ".rodata", 0, 1);
	err |= write_seed(dir, "long-name.elf", info_long, sizeof(info_long),
			  ".modinfo", 0, 0);
	err |= write_seed(dir, "unterminated.elf", info_unterm,
			  sizeof(info_unterm) - 1, ".modinfo", 0, 1);
	err |= write_seed(dir, "nobits.elf", info_std, sizeof(info_std),
			  ".modinfo", ELFGEN_SHT_NOBITS, 0);
	return err ? 1 : 0;
}
