// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module name parser (kernel/modinfo.c) on ELF images built here (elfgen.c),
 * corrupted ones, every truncation, random bit flips, and the real modules
 * under /lib/modules when there are any. Images are always passed in
 * allocations of exactly their length, so AddressSanitizer reports any read
 * past the end.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "unit.h"
#include "elfgen.h"
#include "modinfo.h"

#define NAME_SIZE 64

static const char text[] = "\x55\x48\x89\xe5\x5d\xc3";
static const char this_module[64] = "";
static const char modinfo_std[] = "license=GPL\0"
				  "description=test module\0"
				  "depends=\0"
				  "name=af_key\0"
				  "vermagic=6.1.0 SMP preempt mod_unload\0";

/* .text, .modinfo (@info, @info_size), .gnu.linkonce.this_module, .bss */
static void build(struct elfgen_image *img, const char *info, size_t info_size,
		  int shdrs_first)
{
	const struct elfgen_section secs[] = {
		{ ".text", 0, text, sizeof(text) - 1 },
		{ ".modinfo", 0, info, info_size },
		{ ".gnu.linkonce.this_module", 0, this_module,
		  sizeof(this_module) },
		{ ".bss", ELFGEN_SHT_NOBITS, NULL, 4096 },
	};

	assert_int_equal(elfgen_build(img, secs, ARRAY_SIZE(secs), shdrs_first),
			 0);
}

#define MODINFO_SECTION 2

static int parse(const struct elfgen_image *img, char *name, size_t size)
{
	return vtrust_modinfo_name(img->data, img->len, name, size);
}

/* Parse an image made of @info as .modinfo; expect @ret and @want. */
static void expect_info(const char *info, size_t info_size, int ret,
			const char *want)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	int first;

	for (first = 0; first < 2; first++) {
		build(&img, info, info_size, first);
		memset(name, 0x7e, sizeof(name));
		assert_int_equal(parse(&img, name, sizeof(name)), ret);
		if (!ret)
			assert_string_equal(name, want);
		else
			assert_int_equal((u8)name[0], 0x7e);
		elfgen_free(&img);
	}
}

static void test_valid(void **state)
{
	(void)state;
	expect_info(modinfo_std, sizeof(modinfo_std), 0, "af_key");
	expect_info("name=x", sizeof("name=x"), 0, "x");
	/* first and last entries, alignment padding, leading NULs */
	expect_info("name=first\0license=GPL",
		    sizeof("name=first\0license=GPL"), 0, "first");
	expect_info("a=b\0\0\0\0name=last", sizeof("a=b\0\0\0\0name=last"), 0,
		    "last");
	expect_info("\0\0\0name=pad\0\0\0", sizeof("\0\0\0name=pad\0\0\0"), 0,
		    "pad");
	/* the value is everything after the first '=' */
	expect_info("name=a=b c", sizeof("name=a=b c"), 0, "a=b c");
	/* the first name= wins */
	expect_info("name=one\0name=two", sizeof("name=one\0name=two"), 0,
		    "one");
}

static void test_no_name(void **state)
{
	static const char traps[] = "names=x\0nam=y\0xname=z\0 name=w\0NAME=v\0"
				    "name\0=name=u";

	(void)state;
	expect_info("license=GPL", sizeof("license=GPL"), -ENOENT, NULL);
	expect_info(traps, sizeof(traps), -ENOENT, NULL);
	expect_info("", 0, -ENOENT, NULL);
	expect_info("\0\0\0\0", 4, -ENOENT, NULL);
	/* an empty name is no name; a later one still counts */
	expect_info("name=", sizeof("name="), -ENOENT, NULL);
	expect_info("name=\0name=late", sizeof("name=\0name=late"), 0, "late");
}

static void test_unterminated(void **state)
{
	(void)state;
	/* .modinfo whose last string has no NUL inside the section */
	expect_info("license=GPL\0name=x", sizeof("license=GPL\0name=x") - 1,
		    -ENOEXEC, NULL);
	expect_info("lic", 3, -ENOEXEC, NULL);
	/* ... unless the name comes first */
	expect_info("name=x\0lic", sizeof("name=x\0lic") - 1, 0, "x");
}

static void test_no_modinfo(void **state)
{
	const struct elfgen_section secs[] = {
		{ ".text", 0, text, sizeof(text) - 1 },
		{ ".modinfo.x", 0, "name=a", sizeof("name=a") },
		{ ".modinf", 0, "name=b", sizeof("name=b") },
		{ "modinfo", 0, "name=c", sizeof("name=c") },
		{ ".rodata.modinfo", 0, "name=d", sizeof("name=d") },
	};
	struct elfgen_image img;
	char name[NAME_SIZE];

	(void)state;
	assert_int_equal(elfgen_build(&img, secs, ARRAY_SIZE(secs), 0), 0);
	assert_int_equal(parse(&img, name, sizeof(name)), -ENOENT);
	elfgen_free(&img);

	assert_int_equal(elfgen_build(&img, secs, 0, 0), 0);
	assert_int_equal(parse(&img, name, sizeof(name)), -ENOENT);
	elfgen_free(&img);
}

/* Two .modinfo sections: only the first is read. */
static void test_first_modinfo(void **state)
{
	const struct elfgen_section secs[] = {
		{ ".modinfo", 0, "license=GPL", sizeof("license=GPL") },
		{ ".modinfo", 0, "name=b", sizeof("name=b") },
	};
	struct elfgen_image img;
	char name[NAME_SIZE];

	(void)state;
	assert_int_equal(elfgen_build(&img, secs, ARRAY_SIZE(secs), 0), 0);
	assert_int_equal(parse(&img, name, sizeof(name)), -ENOENT);
	elfgen_free(&img);
}

static void test_name_size(void **state)
{
	char info[300], want[256], name[300];
	struct elfgen_image img;
	size_t size;

	(void)state;
	memset(want, 'm', 255);
	want[255] = '\0';
	snprintf(info, sizeof(info), "license=GPL%cname=%s", 0, want);
	build(&img, info, 12 + 5 + 255 + 1, 0);

	for (size = 0; size <= 256; size++) {
		memset(name, 0x7e, sizeof(name));
		assert_int_equal(vtrust_modinfo_name(img.data, img.len, name,
						     size),
				 -ENAMETOOLONG);
		assert_int_equal((u8)name[0], 0x7e);
		if (size == 255)
			break;
	}
	memset(name, 0x7e, sizeof(name));
	assert_int_equal(parse(&img, name, 256), 0);
	assert_string_equal(name, want);
	assert_int_equal((u8)name[256], 0x7e);
	assert_int_equal(vtrust_modinfo_name(img.data, img.len, NULL, 0),
			 -ENAMETOOLONG);
	elfgen_free(&img);

	/* "af_key" needs 7 bytes */
	build(&img, modinfo_std, sizeof(modinfo_std), 0);
	assert_int_equal(parse(&img, name, 6), -ENAMETOOLONG);
	memset(name, 0x7e, sizeof(name));
	assert_int_equal(parse(&img, name, 7), 0);
	assert_string_equal(name, "af_key");
	assert_int_equal((u8)name[7], 0x7e);
	elfgen_free(&img);
}

static void test_short_images(void **state)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	size_t len;
	u8 *p;

	(void)state;
	assert_int_equal(vtrust_modinfo_name(NULL, 0, name, sizeof(name)),
			 -ENOEXEC);
	build(&img, modinfo_std, sizeof(modinfo_std), 0);
	for (len = 0; len < ELFGEN_EHDR_SIZE; len++) {
		p = malloc(len ? len : 1);
		assert_non_null(p);
		memcpy(p, img.data, len);
		assert_int_equal(vtrust_modinfo_name(p, len, name,
						     sizeof(name)),
				 -ENOEXEC);
		free(p);
	}
	elfgen_free(&img);
}

/* Change the valid image with @patch and expect -ENOEXEC. */
static void expect_bad(void (*patch)(struct elfgen_image *img, long arg),
		       long arg, int ret)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	int first;

	for (first = 0; first < 2; first++) {
		build(&img, modinfo_std, sizeof(modinfo_std), first);
		assert_int_equal(parse(&img, name, sizeof(name)), 0);
		patch(&img, arg);
		assert_int_equal(parse(&img, name, sizeof(name)), ret);
		elfgen_free(&img);
	}
}

static void set_byte(struct elfgen_image *img, long arg)
{
	/* arg: offset << 8 | value */
	img->data[arg >> 8] = arg & 0xff;
}

static void set_e16(struct elfgen_image *img, long arg)
{
	/* arg: offset << 16 | value */
	elfgen_put16(img->data + (arg >> 16), arg & 0xffff);
}

static void test_bad_header(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		expect_bad(set_byte, (long)i << 8 | 0x20, -ENOEXEC);
	expect_bad(set_byte, 4 << 8 | 1, -ENOEXEC); /* ELFCLASS32 */
	expect_bad(set_byte, 4 << 8 | 0, -ENOEXEC);
	expect_bad(set_byte, 5 << 8 | 2, -ENOEXEC); /* big-endian */
	expect_bad(set_byte, 6 << 8 | 0, -ENOEXEC); /* EV_NONE */
	expect_bad(set_e16, (long)ELFGEN_E_TYPE << 16 | 2, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_TYPE << 16 | 3, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_MACHINE << 16 | 183, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHENTSIZE << 16 | 40, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHENTSIZE << 16 | 128, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHENTSIZE << 16 | 0, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHNUM << 16 | 0, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHNUM << 16 | 0xffff, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHSTRNDX << 16 | 0, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHSTRNDX << 16 | 6, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHSTRNDX << 16 | 0xffff, -ENOEXEC);
	expect_bad(set_e16, (long)ELFGEN_E_SHSTRNDX << 16 | 0xff00, -ENOEXEC);
}

static void test_bad_shnum(void **state)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	int first;

	(void)state;
	for (first = 0; first < 2; first++) {
		/* one section header more than the image holds */
		build(&img, modinfo_std, sizeof(modinfo_std), first);
		elfgen_put16(img.data + ELFGEN_E_SHNUM, img.shnum + 1);
		assert_int_equal(parse(&img, name, sizeof(name)), -ENOEXEC);
		elfgen_put16(img.data + ELFGEN_E_SHNUM,
			     (img.len - img.shoff) / ELFGEN_SHDR_SIZE + 1);
		assert_int_equal(parse(&img, name, sizeof(name)), -ENOEXEC);
		/* fewer sections: .text taken for the string table */
		elfgen_put16(img.data + ELFGEN_E_SHNUM, 2);
		elfgen_put16(img.data + ELFGEN_E_SHSTRNDX, 1);
		assert_int_equal(parse(&img, name, sizeof(name)), -ENOEXEC);
		elfgen_free(&img);
	}
}

static void set_shoff(struct elfgen_image *img, long arg)
{
	u64 v = arg == -1 ? img->len :
		arg == -2 ? UINT64_MAX :
		arg == -3 ? img->len - ELFGEN_SHDR_SIZE :
		arg == -4 ? (u64)1 << 63 :
			    (u64)arg;

	elfgen_put64(img->data + ELFGEN_E_SHOFF, v);
}

static void test_bad_shoff(void **state)
{
	(void)state;
	expect_bad(set_shoff, -1, -ENOEXEC);
	expect_bad(set_shoff, -2, -ENOEXEC);
	expect_bad(set_shoff, -3, -ENOEXEC);
	expect_bad(set_shoff, -4, -ENOEXEC);
	expect_bad(set_shoff, 0x100000, -ENOEXEC);
}

/* arg: section << 24 | field << 16 | which value */
static void set_shfield(struct elfgen_image *img, long arg)
{
	unsigned int sec = arg >> 24, field = (arg >> 16) & 0xff;
	u8 *sh = elfgen_shdr(img, sec ? sec : img->shstrndx);
	u64 v;

	switch (arg & 0xffff) {
	case 0:
		v = img->len + 1;
		break;
	case 1:
		v = UINT64_MAX;
		break;
	case 2:
		v = UINT64_MAX - 15;
		break;
	case 3:
		v = img->len;
		break;
	case 4:
		v = img->strtab_size;
		break;
	case 5:
		v = 0;
		break;
	case 6:
		v = (u64)1 << 32;
		break;
	case 7:
		v = img->strtab_size - 1;
		break;
	default:
		v = ELFGEN_SHT_NOBITS;
		break;
	}
	if (field == ELFGEN_SH_NAME || field == ELFGEN_SH_TYPE)
		elfgen_put32(sh + field, v);
	else
		elfgen_put64(sh + field, v);
}

#define SH(sec, field, which) ((long)(sec) << 24 | (field) << 16 | (which))

static void test_bad_sections(void **state)
{
	const int off = ELFGEN_SH_OFFSET, size = ELFGEN_SH_SIZE;
	const int m = MODINFO_SECTION, s = 0; /* s: the string table */

	(void)state;
	/* .modinfo out of bounds, or sh_offset + sh_size overflows */
	expect_bad(set_shfield, SH(m, off, 0), -ENOEXEC);
	expect_bad(set_shfield, SH(m, off, 1), -ENOEXEC);
	expect_bad(set_shfield, SH(m, off, 2), -ENOEXEC);
	expect_bad(set_shfield, SH(m, size, 0), -ENOEXEC);
	expect_bad(set_shfield, SH(m, size, 1), -ENOEXEC);
	expect_bad(set_shfield, SH(m, size, 2), -ENOEXEC);
	expect_bad(set_shfield, SH(m, size, 6), -ENOEXEC);
	expect_bad(set_shfield, SH(m, 0xff & ELFGEN_SH_TYPE, 8), -ENOEXEC);
	/* any other section out of bounds makes the image malformed */
	expect_bad(set_shfield, SH(1, off, 1), -ENOEXEC);
	expect_bad(set_shfield, SH(3, size, 2), -ENOEXEC);
	/* ... but NOBITS sections have no bytes to check */
	expect_bad(set_shfield, SH(4, size, 1), 0);
	expect_bad(set_shfield, SH(4, off, 1), 0);
	/* section names */
	expect_bad(set_shfield, SH(m, ELFGEN_SH_NAME, 4), -ENOEXEC);
	expect_bad(set_shfield, SH(1, ELFGEN_SH_NAME, 0), -ENOEXEC);
	expect_bad(set_shfield, SH(m, ELFGEN_SH_NAME, 7), -ENOENT);
	/* the string table itself */
	expect_bad(set_shfield, SH(s, off, 0), -ENOEXEC);
	expect_bad(set_shfield, SH(s, off, 2), -ENOEXEC);
	expect_bad(set_shfield, SH(s, size, 1), -ENOEXEC);
	expect_bad(set_shfield, SH(s, size, 5), -ENOEXEC);
	expect_bad(set_shfield, SH(s, ELFGEN_SH_TYPE, 8), -ENOEXEC);
}

/* The string table must end in NUL; names are compared within it. */
static void test_strtab_end(void **state)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	unsigned int i;
	size_t len;
	u8 *sh, *p;

	(void)state;
	build(&img, modinfo_std, sizeof(modinfo_std), 0);
	img.data[img.strtab_off + img.strtab_size - 1] = 'x';
	assert_int_equal(parse(&img, name, sizeof(name)), -ENOEXEC);
	elfgen_free(&img);

	/*
	 * With the section headers first, the string table ends the image.
	 * Cut both right after ".text" NUL and name .modinfo ".text": the
	 * comparison with ".modinfo" must stay inside the 7 bytes left.
	 */
	build(&img, modinfo_std, sizeof(modinfo_std), 1);
	assert_int_equal(img.strtab_off + img.strtab_size, img.len);
	for (i = 1; i < img.shnum; i++)
		elfgen_put32(elfgen_shdr(&img, i) + ELFGEN_SH_NAME,
			     i == MODINFO_SECTION ? 1 : 0);
	sh = elfgen_shdr(&img, img.shstrndx);
	elfgen_put64(sh + ELFGEN_SH_SIZE, 7);
	assert_memory_equal(img.data + img.strtab_off, "\0.text\0", 7);
	len = img.strtab_off + 7;
	p = malloc(len);
	assert_non_null(p);
	memcpy(p, img.data, len);
	assert_int_equal(vtrust_modinfo_name(p, len, name, sizeof(name)),
			 -ENOENT);
	free(p);
	elfgen_free(&img);
}

/*
 * Every prefix of a valid image that cuts into its ELF content (the header,
 * the section header table, the bytes of any section) is malformed, and none
 * is read past its end. Bytes after the ELF content, such as the signature
 * appended to a signed module, may go without changing the name.
 */
static void truncate_all(const struct elfgen_image *img, size_t step)
{
	const u8 *e = img->data;
	unsigned int shnum = e[ELFGEN_E_SHNUM] | e[ELFGEN_E_SHNUM + 1] << 8;
	size_t end = img->shoff + (size_t)shnum * ELFGEN_SHDR_SIZE;
	char name[NAME_SIZE], want[NAME_SIZE];
	unsigned int i;
	size_t len;
	u8 *p;

	for (i = 1; i < shnum; i++) {
		const u8 *sh = elfgen_shdr(img, i);
		u64 off = elfgen_get64(sh + ELFGEN_SH_OFFSET);
		u64 size = elfgen_get64(sh + ELFGEN_SH_SIZE);

		if ((sh[ELFGEN_SH_TYPE] | sh[ELFGEN_SH_TYPE + 1] << 8) ==
		    ELFGEN_SHT_NOBITS)
			continue;
		assert_true(off + size <= img->len);
		if (off + size > end)
			end = off + size;
	}
	assert_int_equal(vtrust_modinfo_name(img->data, img->len, want,
					     sizeof(want)),
			 0);

	for (len = 0; len < img->len; len += len < end ? step : 1) {
		p = malloc(len ? len : 1);
		assert_non_null(p);
		memcpy(p, img->data, len);
		if (len < end) {
			assert_int_equal(vtrust_modinfo_name(p, len, name,
							     sizeof(name)),
					 -ENOEXEC);
		} else {
			assert_int_equal(vtrust_modinfo_name(p, len, name,
							     sizeof(name)),
					 0);
			assert_string_equal(name, want);
		}
		free(p);
	}
}

static void test_truncation(void **state)
{
	struct elfgen_image img;
	char name[NAME_SIZE];
	int first;

	(void)state;
	for (first = 0; first < 2; first++) {
		build(&img, modinfo_std, sizeof(modinfo_std), first);
		assert_int_equal(parse(&img, name, sizeof(name)), 0);
		truncate_all(&img, 1);
		elfgen_free(&img);
	}
}

static u32 rng_state = 0x2545f491;

static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Check the result of parsing a damaged image. */
static void check_any(const u8 *p, size_t len)
{
	char name[NAME_SIZE + 1];
	int ret;

	name[NAME_SIZE] = 0x7e;
	ret = vtrust_modinfo_name(p, len, name, NAME_SIZE);
	if (ret == 0)
		assert_true(strlen(name) > 0 && strlen(name) < NAME_SIZE);
	else
		assert_true(ret == -ENOEXEC || ret == -ENOENT ||
			    ret == -ENAMETOOLONG);
	assert_int_equal((u8)name[NAME_SIZE], 0x7e);
}

static void flip_bits(const struct elfgen_image *img, unsigned int rounds,
		      size_t region)
{
	unsigned int r, k, nflips;
	u8 *p;

	p = malloc(img->len);
	assert_non_null(p);
	for (r = 0; r < rounds; r++) {
		memcpy(p, img->data, img->len);
		nflips = 1 + rng() % 8;
		for (k = 0; k < nflips; k++) {
			size_t at = rng() % region;

			/* half of the flips land in the headers */
			if (k & 1) {
				at = rng() % ELFGEN_EHDR_SIZE;
				if (rng() & 1)
					at = img->shoff +
					     rng() % (img->len - img->shoff);
			}
			p[at % img->len] ^= 1 << (rng() % 8);
		}
		check_any(p, img->len);
	}
	free(p);
}

static void test_bit_flips(void **state)
{
	struct elfgen_image img;

	(void)state;
	build(&img, modinfo_std, sizeof(modinfo_std), 0);
	flip_bits(&img, 50000, img.len);
	elfgen_free(&img);
	build(&img, modinfo_std, sizeof(modinfo_std), 1);
	flip_bits(&img, 50000, img.len);
	elfgen_free(&img);
}

/* Real modules: every uncompressed .ko under /lib/modules */
static char **ko_paths;
static size_t ko_count, ko_cap;

static int collect_ko(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 4 || strcmp(path + n - 3, ".ko"))
		return 0;
	if (ko_count == ko_cap) {
		ko_cap = ko_cap ? 2 * ko_cap : 256;
		ko_paths = realloc(ko_paths, ko_cap * sizeof(*ko_paths));
		assert_non_null(ko_paths);
	}
	ko_paths[ko_count] = strdup(path);
	assert_non_null(ko_paths[ko_count]);
	ko_count++;
	return 0;
}

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	u8 *p;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	p = malloc(n);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return p;
}

static void test_real_modules(void **state)
{
	const char *root = getenv("VTRUST_MODULES_DIR");
	char name[NAME_SIZE], want[NAME_SIZE], *c;
	struct elfgen_image img;
	size_t i, len;
	u8 *p;

	(void)state;
	if (!root)
		root = "/lib/modules";
	nftw(root, collect_ko, 16, FTW_PHYS);
	if (!ko_count)
		UNIT_SKIP("no .ko files under %s\n", root);

	for (i = 0; i < ko_count; i++) {
		const char *base = strrchr(ko_paths[i], '/') + 1;

		/* KBUILD_MODNAME: the file name, '-' made '_', no ".ko" */
		snprintf(want, sizeof(want), "%.*s", (int)(strlen(base) - 3),
			 base);
		for (c = want; *c; c++)
			if (*c == '-')
				*c = '_';

		p = read_file(ko_paths[i], &len);
		memset(name, 0, sizeof(name));
		if (vtrust_modinfo_name(p, len, name, sizeof(name)))
			fail_msg("%s: %d", ko_paths[i],
				 vtrust_modinfo_name(p, len, name,
						     sizeof(name)));
		assert_string_equal(name, want);

		/* the first few: truncations and bit flips too */
		if (i < 3) {
			img.data = p;
			img.len = len;
			img.shoff = elfgen_get64(p + ELFGEN_E_SHOFF);
			truncate_all(&img, 1 + len / 2000);
			flip_bits(&img, 2000, len);
		}
		free(p);
	}
	print_message("parsed %zu modules under %s\n", ko_count, root);
	for (i = 0; i < ko_count; i++)
		free(ko_paths[i]);
	free(ko_paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_no_name),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_no_modinfo),
		cmocka_unit_test(test_first_modinfo),
		cmocka_unit_test(test_name_size),
		cmocka_unit_test(test_short_images),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_shnum),
		cmocka_unit_test(test_bad_shoff),
		cmocka_unit_test(test_bad_sections),
		cmocka_unit_test(test_strtab_end),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_real_modules),
	};

	return UNIT_RUN(tests);
}
