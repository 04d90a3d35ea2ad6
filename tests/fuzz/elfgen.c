// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Builds small ELF64 x86-64 relocatable images (see elfgen.h).
 */
#include <stdlib.h>
#include <string.h>

#include "elfgen.h"

void elfgen_put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void elfgen_put32(uint8_t *p, uint32_t v)
{
	elfgen_put16(p, v);
	elfgen_put16(p + 2, v >> 16);
}

void elfgen_put64(uint8_t *p, uint64_t v)
{
	elfgen_put32(p, v);
	elfgen_put32(p + 4, v >> 32);
}

uint64_t elfgen_get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint8_t *elfgen_shdr(const struct elfgen_image *img, unsigned int i)
{
	return img->data + img->shoff + (size_t)i * ELFGEN_SHDR_SIZE;
}

int elfgen_build(struct elfgen_image *img, const struct elfgen_section *secs,
		 unsigned int n, int shdrs_first)
{
	static const char shstrtab_name[] = ".shstrtab";
	size_t shdrs_size = (size_t)(n + 2) * ELFGEN_SHDR_SIZE;
	size_t data_size = 0, str_size = 1, off, name_off;
	unsigned int i;
	uint8_t *sh, *e;

	for (i = 0; i < n; i++) {
		if (secs[i].type != ELFGEN_SHT_NOBITS)
			data_size += secs[i].size;
		str_size += strlen(secs[i].name) + 1;
	}
	str_size += sizeof(shstrtab_name);

	memset(img, 0, sizeof(*img));
	img->len = ELFGEN_EHDR_SIZE + shdrs_size + data_size + str_size;
	img->data = calloc(1, img->len);
	if (!img->data)
		return -1;
	img->shnum = n + 2;
	img->shstrndx = n + 1;

	off = ELFGEN_EHDR_SIZE;
	if (shdrs_first) {
		img->shoff = off;
		off += shdrs_size;
	} else {
		img->shoff = ELFGEN_EHDR_SIZE + data_size + str_size;
	}

	e = img->data;
	memcpy(e,
	       "\x7f"
	       "ELF",
	       4);
	e[4] = 2; /* ELFCLASS64 */
	e[5] = 1; /* ELFDATA2LSB */
	e[6] = 1; /* EV_CURRENT */
	elfgen_put16(e + ELFGEN_E_TYPE, 1); /* ET_REL */
	elfgen_put16(e + ELFGEN_E_MACHINE, 62); /* EM_X86_64 */
	elfgen_put32(e + ELFGEN_E_VERSION, 1);
	elfgen_put64(e + ELFGEN_E_SHOFF, img->shoff);
	elfgen_put16(e + ELFGEN_E_EHSIZE, ELFGEN_EHDR_SIZE);
	elfgen_put16(e + ELFGEN_E_SHENTSIZE, ELFGEN_SHDR_SIZE);
	elfgen_put16(e + ELFGEN_E_SHNUM, img->shnum);
	elfgen_put16(e + ELFGEN_E_SHSTRNDX, img->shstrndx);

	/* Section data, then the names. */
	img->strtab_off = off + data_size;
	img->strtab_size = str_size;
	name_off = 1;
	for (i = 0; i < n; i++) {
		size_t nlen = strlen(secs[i].name) + 1;
		uint32_t type = secs[i].type ? secs[i].type :
					       ELFGEN_SHT_PROGBITS;

		sh = elfgen_shdr(img, i + 1);
		elfgen_put32(sh + ELFGEN_SH_NAME, name_off);
		elfgen_put32(sh + ELFGEN_SH_TYPE, type);
		elfgen_put64(sh + ELFGEN_SH_FLAGS, 2); /* SHF_ALLOC */
		elfgen_put64(sh + ELFGEN_SH_OFFSET, off);
		elfgen_put64(sh + ELFGEN_SH_SIZE, secs[i].size);
		memcpy(img->data + img->strtab_off + name_off, secs[i].name,
		       nlen);
		name_off += nlen;
		if (type != ELFGEN_SHT_NOBITS) {
			if (secs[i].size)
				memcpy(img->data + off, secs[i].data,
				       secs[i].size);
			off += secs[i].size;
		}
	}
	sh = elfgen_shdr(img, n + 1);
	elfgen_put32(sh + ELFGEN_SH_NAME, name_off);
	elfgen_put32(sh + ELFGEN_SH_TYPE, ELFGEN_SHT_STRTAB);
	elfgen_put64(sh + ELFGEN_SH_OFFSET, img->strtab_off);
	elfgen_put64(sh + ELFGEN_SH_SIZE, str_size);
	memcpy(img->data + img->strtab_off + name_off, shstrtab_name,
	       sizeof(shstrtab_name));
	return 0;
}

void elfgen_free(struct elfgen_image *img)
{
	free(img->data);
	img->data = NULL;
}
