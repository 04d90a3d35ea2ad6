// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module name from an in-memory ELF64 module image (pure: see pure.h).
 *
 * The image comes from user space, so it is read as untrusted bytes: every
 * field is loaded byte by byte (no alignment is assumed) and every offset and
 * size is compared with what remains of the image before anything at that
 * offset is read. The checks follow the ELF-64 object file format: an ELF
 * header at offset 0, a table of e_shnum section headers of e_shentsize bytes
 * at e_shoff, and section names in the string table section e_shstrndx.
 */
#include "modinfo.h"

/* ELF header (Elf64_Ehdr) */
#define MI_EHDR_SIZE 64
#define MI_EI_CLASS 4
#define MI_EI_DATA 5
#define MI_EI_VERSION 6
#define MI_E_TYPE 16
#define MI_E_MACHINE 18
#define MI_E_SHOFF 40
#define MI_E_SHENTSIZE 58
#define MI_E_SHNUM 60
#define MI_E_SHSTRNDX 62

#define MI_ELFCLASS64 2
#define MI_ELFDATA2LSB 1
#define MI_EV_CURRENT 1
#define MI_ET_REL 1
#define MI_EM_X86_64 62

/* Section header (Elf64_Shdr) */
#define MI_SHDR_SIZE 64
#define MI_SH_NAME 0
#define MI_SH_TYPE 4
#define MI_SH_OFFSET 24
#define MI_SH_SIZE 32

#define MI_SHT_NOBITS 8

#define MI_MODINFO ".modinfo"
#define MI_NAME_KEY "name="

struct mi_section {
	u32 name; /* offset in the section name string table */
	u32 type;
	u64 offset;
	u64 size;
};

static u16 mi_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 mi_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 mi_le64(const u8 *p)
{
	return (u64)mi_le32(p) | (u64)mi_le32(p + 4) << 32;
}

/*
 * Load section header @i, whose table the caller has checked to lie inside
 * the image, and check that the section's bytes lie inside the image too.
 */
static int mi_section(const u8 *img, size_t len, u64 shoff, unsigned int i,
		      struct mi_section *s)
{
	const u8 *sh = img + shoff + (u64)i * MI_SHDR_SIZE;

	s->name = mi_le32(sh + MI_SH_NAME);
	s->type = mi_le32(sh + MI_SH_TYPE);
	s->offset = mi_le64(sh + MI_SH_OFFSET);
	s->size = mi_le64(sh + MI_SH_SIZE);

	/* A NOBITS section has no bytes in the image. */
	if (s->type == MI_SHT_NOBITS)
		return 0;
	if (s->offset > len || s->size > len - s->offset)
		return -ENOEXEC;
	return 0;
}

/*
 * Walk the NUL-terminated key=value strings of .modinfo at [@p, @end); runs of
 * NULs (padding between entries) are skipped.
 */
static int mi_find_name(const u8 *p, const u8 *end, char *name, size_t size)
{
	const size_t klen = sizeof(MI_NAME_KEY) - 1;
	const u8 *s;
	size_t vlen;

	while (p < end) {
		if (!*p) {
			p++;
			continue;
		}
		for (s = p; s < end && *s; s++)
			;
		if (s == end)
			return -ENOEXEC; /* last string lacks its NUL */
		if ((size_t)(s - p) > klen && !memcmp(p, MI_NAME_KEY, klen)) {
			vlen = s - p - klen;
			if (vlen >= size)
				return -ENAMETOOLONG;
			memcpy(name, p + klen, vlen);
			name[vlen] = '\0';
			return 0;
		}
		p = s + 1;
	}
	return -ENOENT;
}

int vtrust_modinfo_name(const void *image, size_t len, char *name, size_t size)
{
	const u8 *img = image;
	struct mi_section strtab, sec;
	unsigned int shnum, shstrndx, i, info = 0;
	u64 shoff;
	int ret;

	if (!img || len < MI_EHDR_SIZE)
		return -ENOEXEC;
	if (img[0] != 0x7f || img[1] != 'E' || img[2] != 'L' || img[3] != 'F' ||
	    img[MI_EI_CLASS] != MI_ELFCLASS64 ||
	    img[MI_EI_DATA] != MI_ELFDATA2LSB ||
	    img[MI_EI_VERSION] != MI_EV_CURRENT ||
	    mi_le16(img + MI_E_TYPE) != MI_ET_REL ||
	    mi_le16(img + MI_E_MACHINE) != MI_EM_X86_64 ||
	    mi_le16(img + MI_E_SHENTSIZE) != MI_SHDR_SIZE)
		return -ENOEXEC;

	shoff = mi_le64(img + MI_E_SHOFF);
	shnum = mi_le16(img + MI_E_SHNUM);
	shstrndx = mi_le16(img + MI_E_SHSTRNDX);

	/* The section header table; shnum * 64 cannot overflow. */
	if (shoff > len || (u64)shnum * MI_SHDR_SIZE > len - shoff)
		return -ENOEXEC;
	/*
	 * This also rejects shnum == 0 and the SHN_XINDEX escape for large
	 * section counts, which modules never use.
	 */
	if (shstrndx == 0 || shstrndx >= shnum)
		return -ENOEXEC;

	/* The section names: a string table that ends in a NUL. */
	ret = mi_section(img, len, shoff, shstrndx, &strtab);
	if (ret)
		return ret;
	if (strtab.type == MI_SHT_NOBITS || !strtab.size ||
	    img[strtab.offset + strtab.size - 1])
		return -ENOEXEC;

	/* Check every section (not 0, the null one); keep the first .modinfo */
	for (i = 1; i < shnum; i++) {
		ret = mi_section(img, len, shoff, i, &sec);
		if (ret)
			return ret;
		if (sec.name >= strtab.size)
			return -ENOEXEC;
		if (!info && strtab.size - sec.name >= sizeof(MI_MODINFO) &&
		    !memcmp(img + strtab.offset + sec.name, MI_MODINFO,
			    sizeof(MI_MODINFO)))
			info = i;
	}
	if (!info)
		return -ENOENT;

	mi_section(img, len, shoff, info, &sec); /* checked above */
	if (sec.type == MI_SHT_NOBITS)
		return -ENOEXEC;
	return mi_find_name(img + sec.offset, img + sec.offset + sec.size, name,
			    size);
}
