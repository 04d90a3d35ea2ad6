// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The baseline line parser (kernel/reflist.c): valid entries of every
 * algorithm, malformed lines each refused with its reason and *out left
 * alone, whole writes checked line by line, and iteration. Lines and texts
 * are passed in allocations of exactly their length (no NUL), so
 * AddressSanitizer sees any read past them.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "reflist.h"

#define SENTINEL 0x5a

#define H8 "0123abcd"
#define H32 H8 H8 H8 H8
#define H40 H32 H8
#define H63 H32 H8 H8 H8 "0123aBc"
#define H64 H32 H32
#define H96 H64 H32
#define H128 H64 H64

static int parse_line_n(const char *line, size_t len, struct vtrust_ref *out,
			const char **reason)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, line, len);
	ret = vtrust_reflist_parse_line(copy, len, out, reason);
	/* out->name points into the copy: check it before it goes */
	if (ret == 1 && out->name_len) {
		assert_true(out->name >= copy);
		assert_true(out->name + out->name_len <= copy + len);
		out->name = line + (out->name - copy);
	}
	free(copy);
	return ret;
}

static int parse_line(const char *line, struct vtrust_ref *out,
		      const char **reason)
{
	return parse_line_n(line, strlen(line), out, reason);
}

static int check_n(const char *text, size_t len, unsigned int *nr,
		   unsigned int *bad_line, const char **reason)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, text, len);
	ret = vtrust_reflist_check(copy, len, nr, bad_line, reason);
	free(copy);
	return ret;
}

static int check(const char *text, unsigned int *nr, unsigned int *bad_line,
		 const char **reason)
{
	return check_n(text, strlen(text), nr, bad_line, reason);
}

static const u8 h8[4] = { 0x01, 0x23, 0xab, 0xcd };

/* @d is @n bytes of the H* patterns above */
static void expect_digest(const struct vtrust_ref *r, size_t n)
{
	size_t i;

	assert_int_equal(r->digest_len, n);
	for (i = 0; i < n; i++)
		assert_int_equal(r->digest[i], h8[i % 4]);
	for (; i < VTRUST_REF_DIGEST_MAX; i++)
		assert_int_equal(r->digest[i], 0);
}

static void expect_name(const struct vtrust_ref *r, const char *name)
{
	if (!name) {
		assert_int_equal(r->name_len, 0);
		assert_null(r->name);
		return;
	}
	assert_int_equal(r->name_len, strlen(name));
	assert_memory_equal(r->name, name, r->name_len);
}

static void test_algos(void **state)
{
	static const struct {
		const char *line;
		u16 algo;
		size_t size;
		const char *name;
	} ok[] = {
		{ "sha1:" H40, VTRUST_REF_ALG_SHA1, 20, "sha1" },
		{ "sha256:" H64, VTRUST_REF_ALG_SHA256, 32, "sha256" },
		{ "sha384:" H96, VTRUST_REF_ALG_SHA384, 48, "sha384" },
		{ "sha512:" H128, VTRUST_REF_ALG_SHA512, 64, "sha512" },
		{ "sm3:" H64, VTRUST_REF_ALG_SM3, 32, "sm3" },
	};
	struct vtrust_ref r;
	const char *reason;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		memset(&r, SENTINEL, sizeof(r));
		assert_int_equal(parse_line(ok[i].line, &r, &reason), 1);
		assert_int_equal(r.algo, ok[i].algo);
		expect_digest(&r, ok[i].size);
		expect_name(&r, NULL);
		assert_string_equal(vtrust_reflist_algo_name(ok[i].algo),
				    ok[i].name);
	}
	assert_null(vtrust_reflist_algo_name(0));
	assert_null(vtrust_reflist_algo_name(0x0010));
	/* the TPM's ids */
	assert_int_equal(VTRUST_REF_ALG_SHA1, 0x0004);
	assert_int_equal(VTRUST_REF_ALG_SHA256, 0x000b);
	assert_int_equal(VTRUST_REF_ALG_SHA384, 0x000c);
	assert_int_equal(VTRUST_REF_ALG_SHA512, 0x000d);
	assert_int_equal(VTRUST_REF_ALG_SM3, 0x0012);
}

static void test_valid(void **state)
{
	static const struct {
		const char *line;
		const char *name;
	} ok[] = {
		{ "sha256:" H64 " /lib/modules/x.ko", "/lib/modules/x.ko" },
		{ "sha256:" H64 "   \t  x", "x" },
		{ "sha256:" H64 "\tx", "x" },
		{ "  \tsha256:" H64, NULL },
		{ "sha256:" H64 "   ", NULL },
		{ "sha256:" H64 " \t ", NULL },
		{ "sha256:" H64 " my module.ko", "my module.ko" },
		{ "sha256:" H64 " my module.ko  \t", "my module.ko" },
		{ "sha256:" H64 " # not a comment", "# not a comment" },
		{ "sha256:" H64 " caf\xc3\xa9.ko", "caf\xc3\xa9.ko" },
		{ "sha256:" H64 " init_module:af_key", "init_module:af_key" },
		{ "sha256:" H64 " sha256:" H64, "sha256:" H64 },
	};
	struct vtrust_ref r;
	const char *reason;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		memset(&r, SENTINEL, sizeof(r));
		assert_int_equal(parse_line(ok[i].line, &r, &reason), 1);
		assert_int_equal(r.algo, VTRUST_REF_ALG_SHA256);
		expect_digest(&r, 32);
		expect_name(&r, ok[i].name);
	}

	/* hex of either case */
	assert_int_equal(parse_line("sha1:0123ABCD0123abcd0123AbCd0123aBcD"
				    "0123abcd",
				    &r, &reason),
			 1);
	expect_digest(&r, 20);
	/* reason is optional */
	assert_int_equal(parse_line("sm3:" H64, &r, NULL), 1);
}

static void test_name_length(void **state)
{
	char line[7 + 64 + 1 + VTRUST_REF_NAME_MAX + 2];
	struct vtrust_ref r;
	const char *reason;
	size_t len;

	(void)state;
	memcpy(line, "sha256:" H64 " ", 72);
	memset(line + 72, 'n', VTRUST_REF_NAME_MAX + 1);
	len = 72 + VTRUST_REF_NAME_MAX;
	assert_int_equal(parse_line_n(line, len, &r, &reason), 1);
	assert_int_equal(r.name_len, VTRUST_REF_NAME_MAX);
	/* trailing blanks do not count */
	line[len] = ' ';
	assert_int_equal(parse_line_n(line, len + 1, &r, &reason), 1);
	assert_int_equal(r.name_len, VTRUST_REF_NAME_MAX);
	line[len] = 'n';
	memset(&r, SENTINEL, sizeof(r));
	assert_int_equal(parse_line_n(line, len + 1, &r, &reason), -EINVAL);
	assert_string_equal(reason, "name too long");
}

static void test_blank(void **state)
{
	static const char *const lines[] = {
		"",
		" ",
		"\t",
		" \t  ",
		"#",
		"# comment",
		"   # indented",
		"\t#\t",
		"#sha256:zz",
		"# \x01\x7f\r control is fine here",
	};
	struct vtrust_ref r, keep;
	const char *reason = NULL;
	size_t i;

	(void)state;
	memset(&keep, SENTINEL, sizeof(keep));
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		r = keep;
		assert_int_equal(parse_line(lines[i], &r, &reason), 0);
		assert_memory_equal(&r, &keep, sizeof(r));
		assert_null(reason);
	}
}

/* Malformed lines and the reason each is refused */
static const struct {
	const char *line;
	const char *reason;
} bad[] = {
	{ "sha256", "no ':'" },
	{ "sha256 :" H64, "no ':'" },
	{ "sha256\t:" H64, "no ':'" },
	{ "sha256;" H64, "no ':'" },
	{ "sha256-" H64, "no ':'" },
	{ H64, "no ':'" },
	{ "x", "no ':'" },
	{ ":" H64, "unknown algorithm" },
	{ ":", "unknown algorithm" },
	{ "SHA256:" H64, "unknown algorithm" },
	{ "Sha256:" H64, "unknown algorithm" },
	{ "sha-256:" H64, "unknown algorithm" },
	{ "sha224:" H32 H8 H8 H8, "unknown algorithm" },
	{ "md5:" H32, "unknown algorithm" },
	{ "sha3-256:" H64, "unknown algorithm" },
	{ "sm2:" H64, "unknown algorithm" },
	{ "sha:" H40, "unknown algorithm" },
	{ "sha2560:" H64, "unknown algorithm" },
	{ "sha1:", "digest length" },
	{ "sha1:" H32 "0123abc", "digest length" },
	{ "sha1:" H40 "0", "digest length" },
	{ "sha1:" H64, "digest length" },
	{ "sha256:" H40, "digest length" },
	{ "sha256:" H63, "digest length" },
	{ "sha256:" H64 "0", "digest length" },
	{ "sha256:" H128, "digest length" },
	{ "sha256:" H32 " " H32, "digest length" },
	{ "sha256: " H64, "digest length" },
	{ "sha256:" H63 " name", "digest length" },
	{ "sha384:" H64, "digest length" },
	{ "sha384:" H64 H8 H8 H8 "0123abc", "digest length" },
	{ "sha512:" H64 H32 H8 H8 H8 "0123abc", "digest length" },
	{ "sha512:" H96, "digest length" },
	{ "sm3:" H40, "digest length" },
	{ "sm3:" H63, "digest length" },
	{ "sm3:" H64 "00", "digest length" },
	{ "sha256:" H63 "g", "not a hex digit" },
	{ "sha256:0x" H32 H8 H8 H8 "0123ab", "not a hex digit" },
	{ "sha256::" H64, "not a hex digit" },
	{ "sha256:" H32 "-" H32, "not a hex digit" },
	{ "sha256:+" H63, "not a hex digit" },
	{ "sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"
	  "gggg",
	  "not a hex digit" },
	{ "sha256:" H32 "O" H8 H8 H8 "0123aBc", "not a hex digit" },
	{ "sha256:\xc3\xa9" H63, "not a hex digit" },
	{ "sha256:" H64 "g", "no space after the digest" },
	{ "sha256:" H64 ":", "no space after the digest" },
	{ "sha256:" H64 ",name", "no space after the digest" },
	{ "sha256:" H64 "\xff", "no space after the digest" },
	{ "sha256:" H64 "#comment", "no space after the digest" },
	{ "sha256:" H64 "\r", "control character" },
	{ "sha256:" H64 " name\r", "control character" },
	{ "sha256:" H64 " name\x01", "control character" },
	{ "sha256:" H64 " na\x7fme", "control character" },
	{ "sha256:" H64 "\x0b name", "control character" },
	{ "sha256:" H64 " \x1b[31mred", "control character" },
	{ "\x01sha256:" H64, "control character" },
	{ "sha256:" H32 "\n" H32, "control character" },
	{ "sha256:" H64 " a\tb", "tab in the name" },
	{ "sha256:" H64 " a \t b", "tab in the name" },
};

static void test_malformed(void **state)
{
	struct vtrust_ref r, keep;
	const char *reason;
	size_t i;

	(void)state;
	assert_true(ARRAY_SIZE(bad) >= 50);
	memset(&keep, SENTINEL, sizeof(keep));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = keep;
		reason = NULL;
		if (parse_line(bad[i].line, &r, &reason) != -EINVAL ||
		    !reason || !strstr(reason, bad[i].reason))
			print_error("'%s': %s, want %s\n", bad[i].line,
				    reason ? reason : "(null)", bad[i].reason);
		assert_int_equal(parse_line(bad[i].line, &r, &reason), -EINVAL);
		assert_non_null(strstr(reason, bad[i].reason));
		assert_memory_equal(&r, &keep, sizeof(r));
		/* without a reason pointer */
		assert_int_equal(parse_line(bad[i].line, &r, NULL), -EINVAL);
		assert_memory_equal(&r, &keep, sizeof(r));
	}
	print_message("%zu malformed lines\n", ARRAY_SIZE(bad));

	/* a NUL, which C strings cannot hold */
	assert_int_equal(parse_line_n("sha256:" H64 " a\0b", 74, &r, &reason),
			 -EINVAL);
	assert_string_equal(reason, "control character");
}

static void test_check(void **state)
{
	static const char text[] = "# vtrust baseline\n"
				   "\n"
				   "sha256:" H64 " /lib/modules/a.ko\n"
				   "  sm3:" H64 "\n"
				   "\t# indented comment\n"
				   "sha1:" H40 " b\n"
				   "sha512:" H128;
	unsigned int nr, line;
	const char *reason;
	char buf[2048];
	size_t i;

	(void)state;
	nr = 99;
	assert_int_equal(check(text, &nr, &line, &reason), 0);
	assert_int_equal(nr, 4);
	assert_int_equal(check("", &nr, &line, &reason), 0);
	assert_int_equal(nr, 0);
	assert_int_equal(check("\n\n# x\n", &nr, &line, &reason), 0);
	assert_int_equal(nr, 0);
	assert_int_equal(check(text, NULL, NULL, NULL), 0);

	/* the first bad line is reported, counting every line */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "%s\n%s\nsha256:" H64 "\nbogus\n",
			 text, bad[i].line);
		line = 0;
		reason = NULL;
		nr = 99;
		assert_int_equal(check(buf, &nr, &line, &reason), -EINVAL);
		/* "sha256:<32>\n<32>" is two lines: the first is bad */
		assert_int_equal(line, 8);
		assert_non_null(reason);
		assert_int_equal(nr, 99);
		assert_int_equal(check(buf, NULL, NULL, NULL), -EINVAL);
	}
	assert_int_equal(check("sha256:" H64 "\nsha256:" H63 "\n", &nr, &line,
			       &reason),
			 -EINVAL);
	assert_int_equal(line, 2);
	assert_string_equal(reason, "digest length does not match algorithm");
	/* the last line needs no newline, but a truncated one is bad */
	assert_int_equal(check("sha256:" H64 "\nsha256:" H32, &nr, &line,
			       &reason),
			 -EINVAL);
	assert_int_equal(line, 2);
	/* CRLF */
	assert_int_equal(check("sha256:" H64 "\r\n", &nr, &line, &reason),
			 -EINVAL);
	assert_int_equal(line, 1);
	assert_string_equal(reason, "control character");
	/* NUL between lines */
	assert_int_equal(check_n("sm3:" H64 "\n\0\n", 71, &nr, &line, &reason),
			 -EINVAL);
	assert_int_equal(line, 2);
}

static void test_next(void **state)
{
	static const char text[] = "# header\n"
				   "sha256:" H64 " first.ko\n"
				   "\n"
				   "sm3:" H64 "\n"
				   "sha1:" H40 "   last one ";
	struct vtrust_ref r;
	unsigned int line = 0;
	const char *reason;
	size_t pos = 0;

	(void)state;
	assert_int_equal(vtrust_reflist_next(text, sizeof(text) - 1, &pos,
					     &line, &r, &reason),
			 1);
	assert_int_equal(line, 2);
	assert_int_equal(r.algo, VTRUST_REF_ALG_SHA256);
	expect_name(&r, "first.ko");
	assert_ptr_equal(r.name, strstr(text, "first.ko"));
	assert_int_equal(vtrust_reflist_next(text, sizeof(text) - 1, &pos,
					     &line, &r, &reason),
			 1);
	assert_int_equal(line, 4);
	assert_int_equal(r.algo, VTRUST_REF_ALG_SM3);
	expect_name(&r, NULL);
	assert_int_equal(vtrust_reflist_next(text, sizeof(text) - 1, &pos, NULL,
					     &r, &reason),
			 1);
	assert_int_equal(r.algo, VTRUST_REF_ALG_SHA1);
	expect_name(&r, "last one");
	assert_int_equal(pos, sizeof(text) - 1);
	assert_int_equal(vtrust_reflist_next(text, sizeof(text) - 1, &pos,
					     &line, &r, &reason),
			 0);
	assert_int_equal(vtrust_reflist_next(text, sizeof(text) - 1, &pos,
					     &line, &r, &reason),
			 0);
	assert_int_equal(line, 4);
}

/* A large write: every entry counted; one bad byte anywhere is found. */
static void test_large(void **state)
{
	const size_t line_len = 7 + 64 + 1 + 8 + 1, n = 20000;
	unsigned int nr, line;
	const char *reason;
	char *text, c;
	size_t i;

	(void)state;
	text = malloc(line_len * n + 1);
	assert_non_null(text);
	for (i = 0; i < n; i++)
		snprintf(text + i * line_len, line_len + 1,
			 "sha256:" H64 " %08zu\n", i);
	assert_int_equal(check_n(text, line_len * n, &nr, &line, &reason), 0);
	assert_int_equal(nr, n);
	for (i = 1; i < n; i += 4999) {
		c = text[i * line_len + 20];
		text[i * line_len + 20] = 'q';
		assert_int_equal(check_n(text, line_len * n, &nr, &line,
					 &reason),
				 -EINVAL);
		assert_int_equal(line, i + 1);
		assert_string_equal(reason, "not a hex digit in the digest");
		text[i * line_len + 20] = c;
	}
	assert_int_equal(check_n(text, line_len * n, &nr, &line, &reason), 0);
	free(text);
}

/* Every truncation and every single-byte change of a line: no crash. */
static void test_mutations(void **state)
{
	static const char base[] = "sha512:" H128 " /lib/firmware/x.bin";
	char line[sizeof(base)];
	struct vtrust_ref r;
	const char *reason;
	size_t i, len = sizeof(base) - 1;
	unsigned int ok = 0;
	int c, ret;

	(void)state;
	for (i = 0; i <= len; i++) {
		ret = parse_line_n(base, i, &r, &reason);
		assert_true(ret == 1 || ret == 0 || ret == -EINVAL);
	}
	for (i = 0; i < len; i++) {
		for (c = 0; c < 256; c++) {
			memcpy(line, base, len);
			line[i] = c;
			ret = parse_line_n(line, len, &r, &reason);
			assert_true(ret == 1 || ret == 0 || ret == -EINVAL);
			if (ret == 1) {
				assert_int_equal(r.algo, VTRUST_REF_ALG_SHA512);
				assert_int_equal(r.digest_len, 64);
				assert_true(r.name_len <= VTRUST_REF_NAME_MAX);
				ok++;
			}
		}
	}
	print_message("%u of %zu mutations accepted\n", ok, len * 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algos),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_mutations),
	};

	return UNIT_RUN(tests);
}
