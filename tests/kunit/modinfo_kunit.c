// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module name parser (kernel/modinfo.c) on ELF images built here
 * (elfgen_kunit.h): the name= entry found, or its absence or an
 * unterminated last string reported, for many .modinfo contents; no or a
 * misnamed .modinfo section; only the first .modinfo read; the name buffer
 * left untouched when the name does not fit; images shorter than an ELF
 * header; a changed field of the ELF header or of a section header
 * (e_shoff, sh_offset, sh_size, sh_name, sh_type, ...) refused, or the
 * .modinfo then not found, but out-of-image NOBITS sections accepted;
 * e_shnum larger than the image or too small; names
 * compared within the section name string table; every truncation
 * refused; and random bit flips giving only a documented result. The
 * .modinfo, header-field, truncation and bit-flip cases run with the
 * section headers both after the section data and before it. Images are
 * passed in allocations of exactly their length, so KASAN reports any
 * read past them.
 */
#include "vtrust_kunit.h"
#include "elfgen_kunit.h"
#include "modinfo.h"

#define NAME_SIZE 64
#define UNTOUCHED 0x7e

static const char text[] = "\x55\x48\x89\xe5\x5d\xc3";
static const char this_module[64] = "";
static const char modinfo_std[] = "license=GPL\0"
				  "description=test module\0"
				  "depends=\0"
				  "name=af_key\0"
				  "vermagic=6.1.0 SMP preempt mod_unload\0";

/* The sections of build(), by number */
enum {
	SEC_TEXT = 1,
	SEC_MODINFO,
	SEC_THIS_MODULE,
	SEC_BSS,
	SEC_SHSTRTAB,
};

static const char *const sec_names[] = {
	[SEC_TEXT] = ".text",
	[SEC_MODINFO] = ".modinfo",
	[SEC_THIS_MODULE] = ".gnu.linkonce.this_module",
	[SEC_BSS] = ".bss",
	[SEC_SHSTRTAB] = ".shstrtab",
};

/* .text, .modinfo (@info, @info_size), .gnu.linkonce.this_module, .bss */
static void build(struct kunit *test, struct elfgen_image *img,
		  const char *info, size_t info_size, bool shdrs_first)
{
	const struct elfgen_section secs[] = {
		{ ".text", 0, text, sizeof(text) - 1 },
		{ ".modinfo", 0, info, info_size },
		{ ".gnu.linkonce.this_module", 0, this_module,
		  sizeof(this_module) },
		{ ".bss", SHT_NOBITS, NULL, 4096 },
	};

	elfgen_build(test, img, secs, ARRAY_SIZE(secs), shdrs_first);
	KUNIT_ASSERT_EQ(test, img->shstrndx, SEC_SHSTRTAB);
}

static int parse(const struct elfgen_image *img, char *name, size_t size)
{
	return vtrust_modinfo_name(img->data, img->len, name, size);
}

/*
 * Build the image of modinfo_std with the section headers last, then
 * first; check that it parses; hand it to @check (which may change it).
 */
static void each_layout(struct kunit *test,
			void (*check)(struct kunit *test,
				      struct elfgen_image *img, bool first,
				      void *arg),
			void *arg)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	int first;

	for (first = 0; first < 2; first++) {
		build(test, &img, modinfo_std, sizeof(modinfo_std), first);
		KUNIT_ASSERT_EQ(test, parse(&img, name, sizeof(name)), 0);
		check(test, &img, first, arg);
		elfgen_free(test, &img);
	}
}

/* A name buffer of @size bytes and one more, all UNTOUCHED */
static char *name_buf(struct kunit *test, size_t size)
{
	char *name = kunit_kmalloc(test, size + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, name);
	memset(name, UNTOUCHED, size + 1);
	return name;
}

/* Bytes to a description: quoted, NULs as \0, other bytes escaped */
static void bytes_desc(const char *s, size_t len, char *desc)
{
	size_t i, n = 0;

	n += scnprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"");
	for (i = 0; i < len && n < KUNIT_PARAM_DESC_SIZE - 24; i++) {
		if (!s[i])
			n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
				       "\\0");
		else
			n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
				       vt_desc_char(s[i]) ? "%c" : "\\x%02x",
				       (u8)s[i]);
	}
	scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "%s\" (%zu bytes)",
		  i < len ? "..." : "", len);
}

/* .modinfo contents, the result, and the name on success */
struct info_case {
	const char *info;
	size_t size;
	int ret;
	const char *want;
};

/*
 * STRS(): the section ends with the NUL after the last string. RAW(): it
 * is exactly the bytes written (an empty section, or an unterminated last
 * string).
 */
#define STRS(s, ret, want) { s, sizeof(s), ret, want }
#define RAW(s, ret, want) { s, sizeof(s) - 1, ret, want }

static const struct info_case info_cases[] = {
	/* valid */
	STRS(modinfo_std, 0, "af_key"),
	STRS("name=x", 0, "x"),
	/* first and last entries, alignment padding, leading NULs */
	STRS("name=first\0license=GPL", 0, "first"),
	STRS("a=b\0\0\0\0name=last", 0, "last"),
	STRS("\0\0\0name=pad\0\0\0", 0, "pad"),
	/* the value is everything after the first '=' */
	STRS("name=a=b c", 0, "a=b c"),
	/* the first name= wins */
	STRS("name=one\0name=two", 0, "one"),
	/* no name */
	STRS("license=GPL", -ENOENT, NULL),
	STRS("names=x\0nam=y\0xname=z\0 name=w\0NAME=v\0name\0=name=u",
	     -ENOENT, NULL),
	RAW("", -ENOENT, NULL),
	RAW("\0\0\0\0", -ENOENT, NULL),
	/* an empty name is no name; a later one still counts */
	STRS("name=", -ENOENT, NULL),
	STRS("name=\0name=late", 0, "late"),
	/* the last string has no NUL inside the section */
	RAW("license=GPL\0name=x", -ENOEXEC, NULL),
	RAW("lic", -ENOEXEC, NULL),
	/* ... which does not matter when the name comes first */
	RAW("name=x\0lic", 0, "x"),
};

static void info_case_desc(const struct info_case *c, char *desc)
{
	bytes_desc(c->info, c->size, desc);
}

KUNIT_ARRAY_PARAM(info, info_cases, info_case_desc);

/* Parse an image with the case's .modinfo; expect its result. */
static void modinfo_test_info(struct kunit *test)
{
	const struct info_case *c = test->param_value;
	struct elfgen_image img;
	char *name = kunit_kmalloc(test, NAME_SIZE, GFP_KERNEL);
	int first;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, name);
	for (first = 0; first < 2; first++) {
		build(test, &img, c->info, c->size, first);
		memset(name, UNTOUCHED, NAME_SIZE);
		KUNIT_EXPECT_EQ_MSG(test, parse(&img, name, NAME_SIZE), c->ret,
				    "section headers %s",
				    first ? "first" : "last");
		if (!c->ret)
			KUNIT_EXPECT_STREQ(test, name, c->want);
		else
			KUNIT_EXPECT_EQ(test, (u8)name[0], UNTOUCHED);
		elfgen_free(test, &img);
	}
}

/* An image of the @n sections @secs has no name. */
static void expect_no_name(struct kunit *test,
			   const struct elfgen_section *secs, unsigned int n)
{
	struct elfgen_image img;
	char name[NAME_SIZE];

	elfgen_build(test, &img, secs, n, false);
	KUNIT_EXPECT_EQ_MSG(test, parse(&img, name, sizeof(name)), -ENOENT,
			    "%u sections", n);
	elfgen_free(test, &img);
}

/* Section names close to ".modinfo", and no sections at all */
static void modinfo_test_no_modinfo(struct kunit *test)
{
	const struct elfgen_section secs[] = {
		{ ".text", 0, text, sizeof(text) - 1 },
		{ ".modinfo.x", 0, "name=a", sizeof("name=a") },
		{ ".modinf", 0, "name=b", sizeof("name=b") },
		{ "modinfo", 0, "name=c", sizeof("name=c") },
		{ ".rodata.modinfo", 0, "name=d", sizeof("name=d") },
	};

	expect_no_name(test, secs, ARRAY_SIZE(secs));
	expect_no_name(test, secs, 0);
}

/* Two .modinfo sections: only the first is read. */
static void modinfo_test_first_modinfo(struct kunit *test)
{
	const struct elfgen_section secs[] = {
		{ ".modinfo", 0, "license=GPL", sizeof("license=GPL") },
		{ ".modinfo", 0, "name=b", sizeof("name=b") },
	};

	expect_no_name(test, secs, ARRAY_SIZE(secs));
}

/* A 255-byte name needs 256 bytes; "af_key" needs 7. */
static void modinfo_test_name_size(struct kunit *test)
{
	const size_t info_size = 12 + 5 + 255 + 1;
	struct elfgen_image img;
	char *info, *name;
	size_t size;

	info = kunit_kzalloc(test, info_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, info);
	memcpy(info, "license=GPL\0name=", 12 + 5);
	memset(info + 12 + 5, 'm', 255);
	build(test, &img, info, info_size, false);

	for (size = 0; size <= 255; size++) {
		name = name_buf(test, size);
		KUNIT_ASSERT_EQ_MSG(test,
				    vtrust_modinfo_name(img.data, img.len, name,
							size),
				    -ENAMETOOLONG, "size %zu", size);
		KUNIT_ASSERT_EQ(test, (u8)name[0], UNTOUCHED);
		KUNIT_ASSERT_EQ(test, (u8)name[size], UNTOUCHED);
		kunit_kfree(test, name);
	}
	name = name_buf(test, 256);
	KUNIT_EXPECT_EQ(test, parse(&img, name, 256), 0);
	KUNIT_EXPECT_STREQ(test, name, info + 12 + 5);
	KUNIT_EXPECT_EQ(test, strlen(name), 255);
	KUNIT_EXPECT_EQ(test, (u8)name[256], UNTOUCHED);
	KUNIT_EXPECT_EQ(test, vtrust_modinfo_name(img.data, img.len, NULL, 0),
			-ENAMETOOLONG);
	elfgen_free(test, &img);

	build(test, &img, modinfo_std, sizeof(modinfo_std), false);
	name = name_buf(test, 7);
	KUNIT_EXPECT_EQ(test, parse(&img, name, 6), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, (u8)name[0], UNTOUCHED);
	KUNIT_EXPECT_EQ(test, parse(&img, name, 7), 0);
	KUNIT_EXPECT_STREQ(test, name, "af_key");
	KUNIT_EXPECT_EQ(test, (u8)name[7], UNTOUCHED);
	elfgen_free(test, &img);
}

/* No image, and every length shorter than an ELF header */
static void modinfo_test_short_images(struct kunit *test)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	size_t len;
	u8 *p;

	KUNIT_EXPECT_EQ(test, vtrust_modinfo_name(NULL, 0, name, sizeof(name)),
			-ENOEXEC);
	build(test, &img, modinfo_std, sizeof(modinfo_std), false);
	for (len = 0; len < ELFGEN_EHDR_SIZE; len++) {
		p = vt_dup_exact(test, img.data, len);
		KUNIT_EXPECT_EQ_MSG(test,
				    vtrust_modinfo_name(p, len, name,
							sizeof(name)),
				    -ENOEXEC, "length %zu", len);
		kunit_kfree(test, p);
	}
	elfgen_free(test, &img);
}

/*
 * One field of a valid image changed: in the ELF header (sec 0; the null
 * section is never changed) or in the header of section @sec, to @add
 * plus nothing (ABS), the image's length (LEN) or the size of its string
 * table (STRTAB_SIZE), modulo 2^64.
 */
enum patch_base {
	ABS,
	LEN,
	STRTAB_SIZE,
};

struct patch_case {
	unsigned int sec;
	const char *field;
	unsigned int off, width;
	enum patch_base base;
	u64 add;
	const char *add_text; /* ABS: @add as written */
	int ret;
};

#define EI(i, v) { 0, "e_ident[" #i "]", i, 1, ABS, v, #v, -ENOEXEC }
#define EH(f, base, add)						\
	{ 0, #f, offsetof(Elf64_Ehdr, f), sizeof_field(Elf64_Ehdr, f),	\
	  base, add, #add, -ENOEXEC }
#define SH(s, f, base, add, r)						\
	{ s, #f, offsetof(Elf64_Shdr, f), sizeof_field(Elf64_Shdr, f),	\
	  base, add, #add, r }

static const struct patch_case patch_cases[] = {
	/* the ELF header */
	EI(EI_MAG0, 0x20),
	EI(EI_MAG1, 0x20),
	EI(EI_MAG2, 0x20),
	EI(EI_MAG3, 0x20),
	EI(EI_CLASS, ELFCLASS32),
	EI(EI_CLASS, ELFCLASSNONE),
	EI(EI_DATA, ELFDATA2MSB),
	EI(EI_VERSION, EV_NONE),
	EH(e_type, ABS, ET_EXEC),
	EH(e_type, ABS, ET_DYN),
	EH(e_machine, ABS, EM_AARCH64),
	EH(e_shentsize, ABS, 40),
	EH(e_shentsize, ABS, 128),
	EH(e_shentsize, ABS, 0),
	EH(e_shnum, ABS, 0),
	EH(e_shnum, ABS, 0xffff),
	EH(e_shstrndx, ABS, 0),
	EH(e_shstrndx, ABS, 6),
	EH(e_shstrndx, ABS, 0xffff),
	EH(e_shstrndx, ABS, 0xff00),
	/* the section header table out of the image */
	EH(e_shoff, LEN, 0),
	EH(e_shoff, ABS, U64_MAX),
	EH(e_shoff, LEN, -ELFGEN_SHDR_SIZE),
	EH(e_shoff, ABS, BIT_ULL(63)),
	EH(e_shoff, ABS, 0x100000),
	/* .modinfo out of bounds, or sh_offset + sh_size overflows */
	SH(SEC_MODINFO, sh_offset, LEN, 1, -ENOEXEC),
	SH(SEC_MODINFO, sh_offset, ABS, U64_MAX, -ENOEXEC),
	SH(SEC_MODINFO, sh_offset, ABS, U64_MAX - 15, -ENOEXEC),
	SH(SEC_MODINFO, sh_size, LEN, 1, -ENOEXEC),
	SH(SEC_MODINFO, sh_size, ABS, U64_MAX, -ENOEXEC),
	SH(SEC_MODINFO, sh_size, ABS, U64_MAX - 15, -ENOEXEC),
	SH(SEC_MODINFO, sh_size, ABS, BIT_ULL(32), -ENOEXEC),
	SH(SEC_MODINFO, sh_type, ABS, SHT_NOBITS, -ENOEXEC),
	/* any other section out of bounds makes the image malformed */
	SH(SEC_TEXT, sh_offset, ABS, U64_MAX, -ENOEXEC),
	SH(SEC_THIS_MODULE, sh_size, ABS, U64_MAX - 15, -ENOEXEC),
	/* ... but NOBITS sections have no bytes to check */
	SH(SEC_BSS, sh_size, ABS, U64_MAX, 0),
	SH(SEC_BSS, sh_offset, ABS, U64_MAX, 0),
	/* section names */
	SH(SEC_MODINFO, sh_name, STRTAB_SIZE, 0, -ENOEXEC),
	SH(SEC_TEXT, sh_name, LEN, 1, -ENOEXEC),
	SH(SEC_MODINFO, sh_name, STRTAB_SIZE, -1, -ENOENT),
	/* the string table itself */
	SH(SEC_SHSTRTAB, sh_offset, LEN, 1, -ENOEXEC),
	SH(SEC_SHSTRTAB, sh_offset, ABS, U64_MAX - 15, -ENOEXEC),
	SH(SEC_SHSTRTAB, sh_size, ABS, U64_MAX, -ENOEXEC),
	SH(SEC_SHSTRTAB, sh_size, ABS, 0, -ENOEXEC),
	SH(SEC_SHSTRTAB, sh_type, ABS, SHT_NOBITS, -ENOEXEC),
};

static void patch_case_desc(const struct patch_case *c, char *desc)
{
	const char *base = c->base == LEN ? "len" : "strtab size";
	s64 add = c->add;
	char val[32];

	if (c->base == ABS)
		strscpy(val, c->add_text, sizeof(val));
	else if (add)
		snprintf(val, sizeof(val), "%s %c %lld", base,
			 add < 0 ? '-' : '+', add < 0 ? -add : add);
	else
		strscpy(val, base, sizeof(val));
	scnprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s%s = %s: %d",
		  c->sec ? sec_names[c->sec] : "", c->sec ? " " : "",
		  c->field, val, c->ret);
}

KUNIT_ARRAY_PARAM(patch, patch_cases, patch_case_desc);

static void apply_patch(const struct patch_case *c, struct elfgen_image *img)
{
	u8 *p = (c->sec ? elfgen_shdr(img, c->sec) : img->data) + c->off;
	u64 v = c->add;

	if (c->base == LEN)
		v += img->len;
	else if (c->base == STRTAB_SIZE)
		v += img->strtab_size;
	switch (c->width) {
	case 1:
		*p = v;
		break;
	case 2:
		put_unaligned_le16(v, p);
		break;
	case 4:
		put_unaligned_le32(v, p);
		break;
	default:
		put_unaligned_le64(v, p);
		break;
	}
}

static void patch_one(struct kunit *test, struct elfgen_image *img,
		      bool first, void *unused)
{
	const struct patch_case *c = test->param_value;
	char name[NAME_SIZE];

	apply_patch(c, img);
	KUNIT_EXPECT_EQ_MSG(test, parse(img, name, sizeof(name)), c->ret,
			    "section headers %s", first ? "first" : "last");
}

/* Change one field of a valid image; expect the case's result. */
static void modinfo_test_patch(struct kunit *test)
{
	each_layout(test, patch_one, NULL);
}

static void bad_shnum(struct kunit *test, struct elfgen_image *img,
		      bool first, void *unused)
{
	char name[NAME_SIZE];

	/* one section header more than the image holds */
	put_unaligned_le16(img->shnum + 1, img->data + ELFGEN_E(e_shnum));
	KUNIT_EXPECT_EQ(test, parse(img, name, sizeof(name)), -ENOEXEC);
	put_unaligned_le16((img->len - img->shoff) / ELFGEN_SHDR_SIZE + 1,
			   img->data + ELFGEN_E(e_shnum));
	KUNIT_EXPECT_EQ(test, parse(img, name, sizeof(name)), -ENOEXEC);
	/* fewer sections: .text taken for the string table */
	put_unaligned_le16(2, img->data + ELFGEN_E(e_shnum));
	put_unaligned_le16(1, img->data + ELFGEN_E(e_shstrndx));
	KUNIT_EXPECT_EQ(test, parse(img, name, sizeof(name)), -ENOEXEC);
}

static void modinfo_test_bad_shnum(struct kunit *test)
{
	each_layout(test, bad_shnum, NULL);
}

/* The string table must end in NUL; names are compared within it. */
static void modinfo_test_strtab_end(struct kunit *test)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	unsigned int i;
	size_t len;
	u8 *sh, *p;

	build(test, &img, modinfo_std, sizeof(modinfo_std), false);
	img.data[img.strtab_off + img.strtab_size - 1] = 'x';
	KUNIT_EXPECT_EQ(test, parse(&img, name, sizeof(name)), -ENOEXEC);
	elfgen_free(test, &img);

	/*
	 * With the section headers first, the string table ends the image.
	 * Cut both right after ".text" NUL and name .modinfo ".text": the
	 * comparison with ".modinfo" must stay inside the 7 bytes left.
	 */
	build(test, &img, modinfo_std, sizeof(modinfo_std), true);
	KUNIT_ASSERT_EQ(test, img.strtab_off + img.strtab_size, img.len);
	for (i = 1; i < img.shnum; i++)
		put_unaligned_le32(i == SEC_MODINFO ? 1 : 0,
				   elfgen_shdr(&img, i) + ELFGEN_SH(sh_name));
	sh = elfgen_shdr(&img, img.shstrndx);
	put_unaligned_le64(7, sh + ELFGEN_SH(sh_size));
	VT_ASSERT_MEMEQ(test, img.data + img.strtab_off, "\0.text\0", 7);
	len = img.strtab_off + 7;
	p = vt_dup_exact(test, img.data, len);
	KUNIT_EXPECT_EQ(test, vtrust_modinfo_name(p, len, name, sizeof(name)),
			-ENOENT);
	kunit_kfree(test, p);
	elfgen_free(test, &img);
}

/*
 * Every prefix of a valid image that cuts into its ELF content (the
 * header, the section header table, the bytes of any section) is
 * malformed, and none is read past its end. Bytes after the ELF content
 * may go without changing the name (elfgen images have none).
 */
static void truncate_all(struct kunit *test, struct elfgen_image *img,
			 bool first, void *unused)
{
	unsigned int shnum = get_unaligned_le16(img->data + ELFGEN_E(e_shnum));
	size_t end = img->shoff + (size_t)shnum * ELFGEN_SHDR_SIZE;
	char name[NAME_SIZE], want[NAME_SIZE];
	const u8 *sh;
	unsigned int i;
	u64 off, size;
	size_t len;
	int ret;
	u8 *p;

	for (i = 1; i < shnum; i++) {
		sh = elfgen_shdr(img, i);
		off = get_unaligned_le64(sh + ELFGEN_SH(sh_offset));
		size = get_unaligned_le64(sh + ELFGEN_SH(sh_size));
		if (get_unaligned_le32(sh + ELFGEN_SH(sh_type)) == SHT_NOBITS)
			continue;
		KUNIT_ASSERT_LE(test, off + size, img->len);
		if (off + size > end)
			end = off + size;
	}
	KUNIT_ASSERT_EQ(test, vtrust_modinfo_name(img->data, img->len, want,
						  sizeof(want)),
			0);

	for (len = 0; len < img->len; len++) {
		p = vt_dup_exact(test, img->data, len);
		ret = vtrust_modinfo_name(p, len, name, sizeof(name));
		if (len < end) {
			KUNIT_ASSERT_EQ_MSG(test, ret, -ENOEXEC, "length %zu",
					    len);
		} else {
			KUNIT_ASSERT_EQ_MSG(test, ret, 0, "length %zu", len);
			KUNIT_ASSERT_STREQ(test, name, want);
		}
		kunit_kfree(test, p);
	}
}

static void modinfo_test_truncation(struct kunit *test)
{
	each_layout(test, truncate_all, NULL);
}

/* A damaged image: a name that fits, or one of the documented errors. */
static void check_any(struct kunit *test, const u8 *p, size_t len, char *name)
{
	size_t n;
	int ret;

	ret = vtrust_modinfo_name(p, len, name, NAME_SIZE);
	if (ret == 0) {
		n = strnlen(name, NAME_SIZE);
		KUNIT_ASSERT_GT(test, n, 0);
		KUNIT_ASSERT_LT(test, n, NAME_SIZE);
	} else {
		KUNIT_ASSERT_TRUE_MSG(test,
				      ret == -ENOEXEC || ret == -ENOENT ||
				      ret == -ENAMETOOLONG,
				      "returned %d", ret);
	}
	KUNIT_ASSERT_EQ(test, (u8)name[NAME_SIZE], UNTOUCHED);
}

/*
 * 50000 rounds of random flips, from xorshift32 so the same on every run;
 * @state carries the generator from one layout to the next.
 */
static void flip_bits(struct kunit *test, struct elfgen_image *img,
		      bool first, void *state)
{
	const unsigned int rounds = 50000;
	char *name = name_buf(test, NAME_SIZE);
	unsigned int r, k, nflips;
	u32 *x = state;
	size_t at;
	u8 *p;

	p = kunit_kmalloc(test, img->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	for (r = 0; r < rounds; r++) {
		memcpy(p, img->data, img->len);
		nflips = 1 + vt_xorshift32(x) % 8;
		for (k = 0; k < nflips; k++) {
			at = vt_xorshift32(x) % img->len;
			/* half of the flips land in the headers */
			if (k & 1) {
				at = vt_xorshift32(x) % ELFGEN_EHDR_SIZE;
				if (vt_xorshift32(x) & 1)
					at = img->shoff +
					     vt_xorshift32(x) %
					     (img->len - img->shoff);
			}
			p[at % img->len] ^= 1 << (vt_xorshift32(x) % 8);
		}
		check_any(test, p, img->len, name);
	}
	kunit_kfree(test, p);
	kunit_kfree(test, name);
}

static void modinfo_test_bit_flips(struct kunit *test)
{
	u32 state = 0x2545f491;

	each_layout(test, flip_bits, &state);
}

static struct kunit_case modinfo_test_cases[] = {
	KUNIT_CASE_PARAM(modinfo_test_info, info_gen_params),
	KUNIT_CASE(modinfo_test_no_modinfo),
	KUNIT_CASE(modinfo_test_first_modinfo),
	KUNIT_CASE(modinfo_test_name_size),
	KUNIT_CASE(modinfo_test_short_images),
	KUNIT_CASE_PARAM(modinfo_test_patch, patch_gen_params),
	KUNIT_CASE(modinfo_test_bad_shnum),
	KUNIT_CASE(modinfo_test_strtab_end),
	KUNIT_CASE(modinfo_test_truncation),
	KUNIT_CASE(modinfo_test_bit_flips),
	{}
};

static struct kunit_suite modinfo_test_suite = {
	.name = "vtrust_modinfo",
	.test_cases = modinfo_test_cases,
};

kunit_test_suite(modinfo_test_suite);
