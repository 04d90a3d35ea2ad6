/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small ELF64 x86-64 relocatable images for the modinfo suite, in memory
 * allocated with kunit_kzalloc() to exactly the image's length. The layout
 * is that of tests/fuzz/elfgen.c (the userspace generator of the fuzz
 * seeds); the header layouts and constants come from
 * <linux/elf.h>, not from the parser under test.
 */
#ifndef _VTRUST_ELFGEN_KUNIT_H
#define _VTRUST_ELFGEN_KUNIT_H

#include <kunit/test.h>
#include <linux/elf.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#define ELFGEN_EHDR_SIZE sizeof(Elf64_Ehdr)
#define ELFGEN_SHDR_SIZE sizeof(Elf64_Shdr)

/* Offset of a field in the ELF header (ELFGEN_E) or a section header */
#define ELFGEN_E(field) offsetof(Elf64_Ehdr, field)
#define ELFGEN_SH(field) offsetof(Elf64_Shdr, field)

struct elfgen_section {
	const char *name;
	u32 type; /* 0 means SHT_PROGBITS */
	const void *data;
	size_t size;
};

struct elfgen_image {
	u8 *data; /* kunit_kzalloc()ed, exactly len bytes */
	size_t len;
	size_t shoff;
	unsigned int shnum; /* null section + user sections + .shstrtab */
	unsigned int shstrndx; /* always the last section */
	size_t strtab_off; /* file offset of the .shstrtab bytes */
	size_t strtab_size;
};

/* The section header of section @i (0 is the null section). */
static inline u8 *elfgen_shdr(const struct elfgen_image *img, unsigned int i)
{
	return img->data + img->shoff + (size_t)i * ELFGEN_SHDR_SIZE;
}

/*
 * Lay out: ELF header, [section headers if @shdrs_first], the data of each
 * section in order (none for NOBITS), .shstrtab, [section headers]. There
 * is no padding, so the last byte of the image belongs to a section or to
 * the section header table. Section i of @secs becomes section i + 1. An
 * allocation failure fails @test.
 */
static inline void elfgen_build(struct kunit *test, struct elfgen_image *img,
				const struct elfgen_section *secs,
				unsigned int n, bool shdrs_first)
{
	static const char shstrtab_name[] = ".shstrtab";
	size_t shdrs_size = (size_t)(n + 2) * ELFGEN_SHDR_SIZE;
	size_t data_size = 0, str_size = 1, off, name_off, nlen;
	unsigned int i;
	u32 type;
	u8 *sh, *e;

	for (i = 0; i < n; i++) {
		if (secs[i].type != SHT_NOBITS)
			data_size += secs[i].size;
		str_size += strlen(secs[i].name) + 1;
	}
	str_size += sizeof(shstrtab_name);

	memset(img, 0, sizeof(*img));
	img->len = ELFGEN_EHDR_SIZE + shdrs_size + data_size + str_size;
	img->data = kunit_kzalloc(test, img->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, img->data);
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
	memcpy(e, ELFMAG, SELFMAG);
	e[EI_CLASS] = ELFCLASS64;
	e[EI_DATA] = ELFDATA2LSB;
	e[EI_VERSION] = EV_CURRENT;
	put_unaligned_le16(ET_REL, e + ELFGEN_E(e_type));
	put_unaligned_le16(EM_X86_64, e + ELFGEN_E(e_machine));
	put_unaligned_le32(EV_CURRENT, e + ELFGEN_E(e_version));
	put_unaligned_le64(img->shoff, e + ELFGEN_E(e_shoff));
	put_unaligned_le16(ELFGEN_EHDR_SIZE, e + ELFGEN_E(e_ehsize));
	put_unaligned_le16(ELFGEN_SHDR_SIZE, e + ELFGEN_E(e_shentsize));
	put_unaligned_le16(img->shnum, e + ELFGEN_E(e_shnum));
	put_unaligned_le16(img->shstrndx, e + ELFGEN_E(e_shstrndx));

	/* Section data, then the names. */
	img->strtab_off = off + data_size;
	img->strtab_size = str_size;
	name_off = 1;
	for (i = 0; i < n; i++) {
		nlen = strlen(secs[i].name) + 1;
		type = secs[i].type ? secs[i].type : SHT_PROGBITS;
		sh = elfgen_shdr(img, i + 1);
		put_unaligned_le32(name_off, sh + ELFGEN_SH(sh_name));
		put_unaligned_le32(type, sh + ELFGEN_SH(sh_type));
		put_unaligned_le64(SHF_ALLOC, sh + ELFGEN_SH(sh_flags));
		put_unaligned_le64(off, sh + ELFGEN_SH(sh_offset));
		put_unaligned_le64(secs[i].size, sh + ELFGEN_SH(sh_size));
		memcpy(img->data + img->strtab_off + name_off, secs[i].name,
		       nlen);
		name_off += nlen;
		if (type != SHT_NOBITS) {
			if (secs[i].size)
				memcpy(img->data + off, secs[i].data,
				       secs[i].size);
			off += secs[i].size;
		}
	}
	sh = elfgen_shdr(img, n + 1);
	put_unaligned_le32(name_off, sh + ELFGEN_SH(sh_name));
	put_unaligned_le32(SHT_STRTAB, sh + ELFGEN_SH(sh_type));
	put_unaligned_le64(img->strtab_off, sh + ELFGEN_SH(sh_offset));
	put_unaligned_le64(str_size, sh + ELFGEN_SH(sh_size));
	memcpy(img->data + img->strtab_off + name_off, shstrtab_name,
	       sizeof(shstrtab_name));
}

static inline void elfgen_free(struct kunit *test, struct elfgen_image *img)
{
	kunit_kfree(test, img->data);
	img->data = NULL;
}

#endif /* _VTRUST_ELFGEN_KUNIT_H */
