/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds small ELF64 x86-64 relocatable images, laid out by hand from the
 * ELF-64 object file format, for the modinfo fuzzer's seeds (make seeds;
 * the KUnit suite has its own, tests/kunit/elfgen_kunit.h).
 */
#ifndef _VTRUST_ELFGEN_H
#define _VTRUST_ELFGEN_H

#include <stddef.h>
#include <stdint.h>

#define ELFGEN_EHDR_SIZE 64
#define ELFGEN_SHDR_SIZE 64

/* ELF header field offsets */
#define ELFGEN_E_TYPE 16
#define ELFGEN_E_MACHINE 18
#define ELFGEN_E_VERSION 20
#define ELFGEN_E_SHOFF 40
#define ELFGEN_E_EHSIZE 52
#define ELFGEN_E_SHENTSIZE 58
#define ELFGEN_E_SHNUM 60
#define ELFGEN_E_SHSTRNDX 62

/* Section header field offsets */
#define ELFGEN_SH_NAME 0
#define ELFGEN_SH_TYPE 4
#define ELFGEN_SH_FLAGS 8
#define ELFGEN_SH_OFFSET 24
#define ELFGEN_SH_SIZE 32

#define ELFGEN_SHT_PROGBITS 1
#define ELFGEN_SHT_STRTAB 3
#define ELFGEN_SHT_NOBITS 8

struct elfgen_section {
	const char *name;
	uint32_t type; /* 0 means SHT_PROGBITS */
	const void *data;
	size_t size;
};

struct elfgen_image {
	uint8_t *data; /* malloc()ed, exactly len bytes */
	size_t len;
	size_t shoff;
	unsigned int shnum; /* null section + user sections + .shstrtab */
	unsigned int shstrndx; /* always the last section */
	size_t strtab_off; /* file offset of the .shstrtab bytes */
	size_t strtab_size;
};

/*
 * Lay out: ELF header, [section headers if @shdrs_first], the data of each
 * section in order (none for NOBITS), .shstrtab, [section headers]. There is
 * no padding, so the last byte of the image belongs to a section or to the
 * section header table. Section i of @secs becomes section i + 1.
 * Returns 0, or -1 if out of memory.
 */
int elfgen_build(struct elfgen_image *img, const struct elfgen_section *secs,
		 unsigned int n, int shdrs_first);
void elfgen_free(struct elfgen_image *img);

/* The section header of section @i (0 is the null section). */
uint8_t *elfgen_shdr(const struct elfgen_image *img, unsigned int i);

void elfgen_put16(uint8_t *p, uint16_t v);
void elfgen_put32(uint8_t *p, uint32_t v);
void elfgen_put64(uint8_t *p, uint64_t v);
uint64_t elfgen_get64(const uint8_t *p);

#endif /* _VTRUST_ELFGEN_H */
