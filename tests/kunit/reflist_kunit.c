// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The baseline line parser (kernel/reflist.c): entries of every algorithm
 * and with names, their digests decoded and zero past the digest size;
 * the algorithm names and TPM ids; the name length limit; blank and
 * comment lines skipped with *out and *reason left alone; malformed lines
 * each refused with its reason and *out left alone; whole writes checked
 * line by line, with the number of the first bad line; iteration with
 * vtrust_reflist_next(); a 20000-line write; and every truncation and
 * single-byte change of a line giving only a documented result. Lines and
 * texts are passed in allocations of exactly their length (no NUL), so
 * KASAN sees any read past them.
 */
#include <linux/tpm.h>

#include "vtrust_kunit.h"
#include "reflist.h"

#define SENTINEL 0x5a

#define H8 "0123abcd"
#define H32 H8 H8 H8 H8
#define H40 H32 H8
#define H63 H32 H8 H8 H8 "0123aBc"
#define H64 H32 H32
#define H96 H64 H32
#define H128 H64 H64

/* Parse @line, which the caller allocated to exactly @len bytes. */
static int parse_exact(struct kunit *test, const char *line, size_t len,
		       struct vtrust_ref *out, const char **reason)
{
	int ret = vtrust_reflist_parse_line(line, len, out, reason);

	/* a name points into the line */
	if (ret == 1 && out->name_len) {
		KUNIT_ASSERT_TRUE(test, out->name >= line);
		KUNIT_ASSERT_TRUE(test, out->name + out->name_len <= line + len);
	}
	return ret;
}

/* Parse a copy of @line; out->name points into it until the test ends. */
static int parse(struct kunit *test, const char *line, size_t len,
		 struct vtrust_ref *out, const char **reason)
{
	return parse_exact(test, vt_dup_exact(test, line, len), len, out,
			   reason);
}

/*
 * Parse a copy of @line into a vtrust_ref of SENTINEL bytes, which must
 * stay as it was (blank and malformed lines); the result.
 */
static int parse_untouched(struct kunit *test, const char *line, size_t len,
			   const char **reason)
{
	struct vtrust_ref r, keep;
	int ret;

	memset(&r, SENTINEL, sizeof(r));
	memset(&keep, SENTINEL, sizeof(keep));
	ret = parse(test, line, len, &r, reason);
	VT_EXPECT_MEMEQ(test, &r, &keep, sizeof(r));
	return ret;
}

/* Check a copy of @text, @len bytes. */
static int check_n(struct kunit *test, const char *text, size_t len,
		   unsigned int *nr, unsigned int *bad_line, const char **reason)
{
	return vtrust_reflist_check(vt_dup_exact(test, text, len), len, nr,
				    bad_line, reason);
}

static int check(struct kunit *test, const char *text, unsigned int *nr,
		 unsigned int *bad_line, const char **reason)
{
	return check_n(test, text, strlen(text), nr, bad_line, reason);
}

/*
 * A line for a description: quoted, long hex runs shortened, other bytes
 * than printable ASCII escaped
 */
static void line_desc(const char *s, size_t len, char *desc)
{
	const size_t max = KUNIT_PARAM_DESC_SIZE;
	size_t i = 0, n, run;

	n = scnprintf(desc, max, "\"");
	while (i < len && n < max - 16) {
		for (run = 0; i + run < len && isxdigit(s[i + run]); run++)
			;
		if (run >= 16) {
			n += scnprintf(desc + n, max - n, "<%zu hex>", run);
			i += run;
			continue;
		}
		n += scnprintf(desc + n, max - n,
			       vt_desc_char(s[i]) ? "%c" : "\\x%02x", (u8)s[i]);
		i++;
	}
	scnprintf(desc + n, max - n, "%s\"", i < len ? "..." : "");
}

static const u8 h8[4] = { 0x01, 0x23, 0xab, 0xcd };

/* @n bytes of the H* patterns above, then zeros */
static void expect_digest(struct kunit *test, const struct vtrust_ref *r,
			  size_t n)
{
	size_t i;

	KUNIT_EXPECT_EQ(test, r->digest_len, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, r->digest[i], h8[i % 4], "byte %zu",
				    i);
	for (; i < VTRUST_REF_DIGEST_MAX; i++)
		KUNIT_EXPECT_EQ_MSG(test, r->digest[i], 0, "byte %zu", i);
}

static void expect_name(struct kunit *test, const struct vtrust_ref *r,
			const char *name)
{
	if (!name) {
		KUNIT_EXPECT_EQ(test, r->name_len, 0);
		KUNIT_EXPECT_NULL(test, r->name);
		return;
	}
	KUNIT_ASSERT_EQ(test, r->name_len, strlen(name));
	KUNIT_ASSERT_NOT_NULL(test, r->name);
	VT_EXPECT_MEMEQ_MSG(test, r->name, name, r->name_len,
			    "name \"%.*s\", want \"%s\"", r->name_len, r->name,
			    name);
}

struct valid_case {
	const char *line;
	size_t len;
	u16 algo;
	size_t size;
	const char *name;
};

/* Table entries from string literals, which may hold a NUL */
#define VALID(s, algo, size, name) { s, sizeof(s) - 1, algo, size, name }
/* A SHA-256 entry: the digest, then @s */
#define SHA256_OK(s, name) \
	VALID("sha256:" H64 s, VTRUST_REF_ALG_SHA256, 32, name)

static const struct valid_case valid_cases[] = {
	/* every algorithm */
	VALID("sha1:" H40, VTRUST_REF_ALG_SHA1, 20, NULL),
	VALID("sha256:" H64, VTRUST_REF_ALG_SHA256, 32, NULL),
	VALID("sha384:" H96, VTRUST_REF_ALG_SHA384, 48, NULL),
	VALID("sha512:" H128, VTRUST_REF_ALG_SHA512, 64, NULL),
	VALID("sm3:" H64, VTRUST_REF_ALG_SM3, 32, NULL),
	/* names and blanks */
	SHA256_OK(" /lib/modules/x.ko", "/lib/modules/x.ko"),
	SHA256_OK("   \t  x", "x"),
	SHA256_OK("\tx", "x"),
	VALID("  \tsha256:" H64, VTRUST_REF_ALG_SHA256, 32, NULL),
	SHA256_OK("   ", NULL),
	SHA256_OK(" \t ", NULL),
	SHA256_OK(" my module.ko", "my module.ko"),
	SHA256_OK(" my module.ko  \t", "my module.ko"),
	SHA256_OK(" # not a comment", "# not a comment"),
	SHA256_OK(" caf\xc3\xa9.ko", "caf\xc3\xa9.ko"),
	SHA256_OK(" init_module:af_key", "init_module:af_key"),
	SHA256_OK(" sha256:" H64, "sha256:" H64),
	/* hex of either case */
	VALID("sha1:0123ABCD0123abcd0123AbCd0123aBcD0123abcd",
	      VTRUST_REF_ALG_SHA1, 20, NULL),
};

static void valid_case_desc(const struct valid_case *c, char *desc)
{
	line_desc(c->line, c->len, desc);
}

KUNIT_ARRAY_PARAM(valid, valid_cases, valid_case_desc);

static void reflist_test_valid(struct kunit *test)
{
	const struct valid_case *c = test->param_value;
	const char *reason = NULL;
	struct vtrust_ref r;

	memset(&r, SENTINEL, sizeof(r));
	KUNIT_ASSERT_EQ_MSG(test, parse(test, c->line, c->len, &r, &reason), 1,
			    "reason: %s", reason ? reason : "(none)");
	KUNIT_EXPECT_EQ(test, r.algo, c->algo);
	expect_digest(test, &r, c->size);
	expect_name(test, &r, c->name);

	/* reason is optional */
	memset(&r, SENTINEL, sizeof(r));
	KUNIT_EXPECT_EQ(test, parse(test, c->line, c->len, &r, NULL), 1);
	KUNIT_EXPECT_EQ(test, r.algo, c->algo);
}

static void reflist_test_algo_names(struct kunit *test)
{
	static const struct {
		u16 algo;
		const char *name;
	} algos[] = {
		{ VTRUST_REF_ALG_SHA1, "sha1" },
		{ VTRUST_REF_ALG_SHA256, "sha256" },
		{ VTRUST_REF_ALG_SHA384, "sha384" },
		{ VTRUST_REF_ALG_SHA512, "sha512" },
		{ VTRUST_REF_ALG_SM3, "sm3" },
	};
	const char *name;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algos); i++) {
		name = vtrust_reflist_algo_name(algos[i].algo);
		KUNIT_ASSERT_NOT_NULL(test, name);
		KUNIT_EXPECT_STREQ(test, name, algos[i].name);
	}
	KUNIT_EXPECT_NULL(test, vtrust_reflist_algo_name(0));
	KUNIT_EXPECT_NULL(test, vtrust_reflist_algo_name(0x0010));

	/* the TPM's ids */
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA1, 0x0004);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA256, 0x000b);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA384, 0x000c);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA512, 0x000d);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SM3, 0x0012);
	/* ... as in linux/tpm.h */
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA1, TPM_ALG_SHA1);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA256, TPM_ALG_SHA256);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA384, TPM_ALG_SHA384);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SHA512, TPM_ALG_SHA512);
	KUNIT_EXPECT_EQ(test, VTRUST_REF_ALG_SM3, TPM_ALG_SM3_256);
}

static void reflist_test_name_length(struct kunit *test)
{
	char line[7 + 64 + 1 + VTRUST_REF_NAME_MAX + 2];
	const char *reason = NULL;
	struct vtrust_ref r;
	size_t len;

	memcpy(line, "sha256:" H64 " ", 72);
	memset(line + 72, 'n', VTRUST_REF_NAME_MAX + 1);
	len = 72 + VTRUST_REF_NAME_MAX;
	KUNIT_EXPECT_EQ(test, parse(test, line, len, &r, &reason), 1);
	KUNIT_EXPECT_EQ(test, r.name_len, VTRUST_REF_NAME_MAX);
	/* trailing blanks do not count */
	line[len] = ' ';
	KUNIT_EXPECT_EQ(test, parse(test, line, len + 1, &r, &reason), 1);
	KUNIT_EXPECT_EQ(test, r.name_len, VTRUST_REF_NAME_MAX);
	line[len] = 'n';
	KUNIT_EXPECT_EQ(test, parse_untouched(test, line, len + 1, &reason),
			-EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_STREQ(test, reason, "name too long");
}

/*
 * A line that stores nothing: blank or a comment (no reason), or malformed
 * (and part of the reason it is refused for)
 */
struct line_case {
	const char *line;
	size_t len;
	const char *reason;
};

#define BLANK(s) { s, sizeof(s) - 1, NULL }

static const struct line_case blank_cases[] = {
	BLANK(""),
	BLANK(" "),
	BLANK("\t"),
	BLANK(" \t  "),
	BLANK("#"),
	BLANK("# comment"),
	BLANK("   # indented"),
	BLANK("\t#\t"),
	BLANK("#sha256:zz"),
	BLANK("# \x01\x7f\r control is fine here"),
};

static void line_case_desc(const struct line_case *c, char *desc)
{
	line_desc(c->line, c->len, desc);
}

KUNIT_ARRAY_PARAM(blank, blank_cases, line_case_desc);

/*
 * The line of the case: @ret, nothing stored, and the reason expected (or
 * none); the same without a reason pointer.
 */
static void expect_nothing_stored(struct kunit *test, int ret)
{
	const struct line_case *c = test->param_value;
	const char *reason = NULL;

	KUNIT_EXPECT_EQ(test, parse_untouched(test, c->line, c->len, &reason),
			ret);
	KUNIT_EXPECT_EQ(test, parse_untouched(test, c->line, c->len, NULL),
			ret);
	if (!c->reason) {
		KUNIT_EXPECT_NULL(test, reason);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, c->reason),
				  "reason \"%s\", want \"%s\"", reason,
				  c->reason);
}

/* Blank and comment lines: 0 */
static void reflist_test_blank(struct kunit *test)
{
	expect_nothing_stored(test, 0);
}

/* Malformed lines and (part of) the reason each is refused for */
#define BAD(s, why) { s, sizeof(s) - 1, why }

static const struct line_case bad_cases[] = {
	BAD("sha256", "no ':'"),
	BAD("sha256 :" H64, "no ':'"),
	BAD("sha256\t:" H64, "no ':'"),
	BAD("sha256;" H64, "no ':'"),
	BAD("sha256-" H64, "no ':'"),
	BAD(H64, "no ':'"),
	BAD("x", "no ':'"),
	BAD(":" H64, "unknown algorithm"),
	BAD(":", "unknown algorithm"),
	BAD("SHA256:" H64, "unknown algorithm"),
	BAD("Sha256:" H64, "unknown algorithm"),
	BAD("sha-256:" H64, "unknown algorithm"),
	BAD("sha224:" H32 H8 H8 H8, "unknown algorithm"),
	BAD("md5:" H32, "unknown algorithm"),
	BAD("sha3-256:" H64, "unknown algorithm"),
	BAD("sm2:" H64, "unknown algorithm"),
	BAD("sha:" H40, "unknown algorithm"),
	BAD("sha2560:" H64, "unknown algorithm"),
	BAD("sha1:", "digest length"),
	BAD("sha1:" H32 "0123abc", "digest length"),
	BAD("sha1:" H40 "0", "digest length"),
	BAD("sha1:" H64, "digest length"),
	BAD("sha256:" H40, "digest length"),
	BAD("sha256:" H63, "digest length"),
	BAD("sha256:" H64 "0", "digest length"),
	BAD("sha256:" H128, "digest length"),
	BAD("sha256:" H32 " " H32, "digest length"),
	BAD("sha256: " H64, "digest length"),
	BAD("sha256:" H63 " name", "digest length"),
	BAD("sha384:" H64, "digest length"),
	BAD("sha384:" H64 H8 H8 H8 "0123abc", "digest length"),
	BAD("sha512:" H64 H32 H8 H8 H8 "0123abc", "digest length"),
	BAD("sha512:" H96, "digest length"),
	BAD("sm3:" H40, "digest length"),
	BAD("sm3:" H63, "digest length"),
	BAD("sm3:" H64 "00", "digest length"),
	BAD("sha256:" H63 "g", "not a hex digit"),
	BAD("sha256:0x" H32 H8 H8 H8 "0123ab", "not a hex digit"),
	BAD("sha256::" H64, "not a hex digit"),
	BAD("sha256:" H32 "-" H32, "not a hex digit"),
	BAD("sha256:+" H63, "not a hex digit"),
	BAD("sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
	    "not a hex digit"),
	BAD("sha256:" H32 "O" H8 H8 H8 "0123aBc", "not a hex digit"),
	BAD("sha256:\xc3\xa9" H63, "not a hex digit"),
	BAD("sha256:" H64 "g", "no space after the digest"),
	BAD("sha256:" H64 ":", "no space after the digest"),
	BAD("sha256:" H64 ",name", "no space after the digest"),
	BAD("sha256:" H64 "\xff", "no space after the digest"),
	BAD("sha256:" H64 "#comment", "no space after the digest"),
	BAD("sha256:" H64 "\r", "control character"),
	BAD("sha256:" H64 " name\r", "control character"),
	BAD("sha256:" H64 " name\x01", "control character"),
	BAD("sha256:" H64 " na\x7fme", "control character"),
	BAD("sha256:" H64 "\x0b name", "control character"),
	BAD("sha256:" H64 " \x1b[31mred", "control character"),
	BAD("\x01sha256:" H64, "control character"),
	BAD("sha256:" H32 "\n" H32, "control character"),
	/* a NUL, at the end of the line and inside it */
	BAD("sha256:" H64 " a\0", "control character"),
	BAD("sha256:" H64 " a\0b", "control character"),
	BAD("sha256:" H64 " a\tb", "tab in the name"),
	BAD("sha256:" H64 " a \t b", "tab in the name"),
};

static_assert(ARRAY_SIZE(bad_cases) >= 50);

KUNIT_ARRAY_PARAM(bad, bad_cases, line_case_desc);

/* Malformed lines: -EINVAL */
static void reflist_test_malformed(struct kunit *test)
{
	expect_nothing_stored(test, -EINVAL);
}

static const char check_text[] = "# vtrust baseline\n"
				 "\n"
				 "sha256:" H64 " /lib/modules/a.ko\n"
				 "  sm3:" H64 "\n"
				 "\t# indented comment\n"
				 "sha1:" H40 " b\n"
				 "sha512:" H128;

static void reflist_test_check(struct kunit *test)
{
	const char *reason = NULL;
	unsigned int nr, line;

	nr = 99;
	KUNIT_EXPECT_EQ(test, check(test, check_text, &nr, &line, &reason), 0);
	KUNIT_EXPECT_EQ(test, nr, 4);
	KUNIT_EXPECT_EQ(test, check(test, "", &nr, &line, &reason), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	KUNIT_EXPECT_EQ(test, check(test, "\n\n# x\n", &nr, &line, &reason), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	KUNIT_EXPECT_EQ(test, check(test, check_text, NULL, NULL, NULL), 0);

	KUNIT_EXPECT_EQ(test, check(test, "sha256:" H64 "\nsha256:" H63 "\n",
				    &nr, &line, &reason),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, line, 2);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_STREQ(test, reason,
			   "digest length does not match algorithm");
	/* the last line needs no newline, but a truncated one is bad */
	KUNIT_EXPECT_EQ(test, check(test, "sha256:" H64 "\nsha256:" H32, &nr,
				    &line, &reason),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, line, 2);
	/* CRLF */
	reason = NULL;
	KUNIT_EXPECT_EQ(test, check(test, "sha256:" H64 "\r\n", &nr, &line,
				    &reason),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, line, 1);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_STREQ(test, reason, "control character");
	/* NUL between lines */
	KUNIT_EXPECT_EQ(test, check_n(test, "sm3:" H64 "\n\0\n", 71, &nr,
				      &line, &reason),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, line, 2);
}

static size_t put(char *buf, size_t n, const char *s, size_t len)
{
	memcpy(buf + n, s, len);
	return n + len;
}

/* The first bad line of a write is reported, counting every line. */
static void reflist_test_check_bad_line(struct kunit *test)
{
	static const char after[] = "\nsha256:" H64 "\nbogus\n";
	const struct line_case *c = test->param_value;
	size_t size = sizeof(check_text) + c->len + sizeof(after) - 1;
	const char *reason = NULL;
	unsigned int nr, line;
	size_t len;
	char *buf;

	buf = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	len = put(buf, 0, check_text, sizeof(check_text) - 1);
	len = put(buf, len, "\n", 1);
	len = put(buf, len, c->line, c->len);
	len = put(buf, len, after, sizeof(after) - 1);
	KUNIT_ASSERT_EQ(test, len, size);

	line = 0;
	nr = 99;
	KUNIT_EXPECT_EQ(test, vtrust_reflist_check(buf, len, &nr, &line,
						   &reason),
			-EINVAL);
	/* "sha256:<32>\n<32>" is two lines: the first is bad */
	KUNIT_EXPECT_EQ(test, line, 8);
	KUNIT_EXPECT_NOT_NULL(test, reason);
	KUNIT_EXPECT_EQ(test, nr, 99);
	KUNIT_EXPECT_EQ(test, vtrust_reflist_check(buf, len, NULL, NULL, NULL),
			-EINVAL);
}

static void reflist_test_next(struct kunit *test)
{
	static const char text[] = "# header\n"
				   "sha256:" H64 " first.ko\n"
				   "\n"
				   "sm3:" H64 "\n"
				   "sha1:" H40 "   last one ";
	const size_t len = sizeof(text) - 1;
	char *copy = vt_dup_exact(test, text, len);
	unsigned int line = 0;
	const char *reason;
	struct vtrust_ref r;
	size_t pos = 0;

	KUNIT_EXPECT_EQ(test, vtrust_reflist_next(copy, len, &pos, &line, &r,
						  &reason),
			1);
	KUNIT_EXPECT_EQ(test, line, 2);
	KUNIT_EXPECT_EQ(test, r.algo, VTRUST_REF_ALG_SHA256);
	expect_name(test, &r, "first.ko");
	KUNIT_EXPECT_PTR_EQ(test, r.name,
			    (const char *)copy +
			    (strstr(text, "first.ko") - text));
	KUNIT_EXPECT_EQ(test, vtrust_reflist_next(copy, len, &pos, &line, &r,
						  &reason),
			1);
	KUNIT_EXPECT_EQ(test, line, 4);
	KUNIT_EXPECT_EQ(test, r.algo, VTRUST_REF_ALG_SM3);
	expect_name(test, &r, NULL);
	KUNIT_EXPECT_EQ(test, vtrust_reflist_next(copy, len, &pos, NULL, &r,
						  &reason),
			1);
	KUNIT_EXPECT_EQ(test, r.algo, VTRUST_REF_ALG_SHA1);
	expect_name(test, &r, "last one");
	KUNIT_EXPECT_EQ(test, pos, len);
	KUNIT_EXPECT_EQ(test, vtrust_reflist_next(copy, len, &pos, &line, &r,
						  &reason),
			0);
	KUNIT_EXPECT_EQ(test, vtrust_reflist_next(copy, len, &pos, &line, &r,
						  &reason),
			0);
	KUNIT_EXPECT_EQ(test, line, 4);
}

/* A large write: every entry counted; one bad byte anywhere is found. */
static void reflist_test_large(struct kunit *test)
{
	const size_t line_len = 7 + 64 + 1 + 8 + 1, n = 20000;
	char one[7 + 64 + 1 + 8 + 1 + 1];
	const char *reason = NULL;
	unsigned int nr, line;
	char *text, c;
	size_t i;

	text = kunit_kmalloc(test, line_len * n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, snprintf(one, sizeof(one),
					       "sha256:" H64 " %08zu\n", i),
				line_len);
		memcpy(text + i * line_len, one, line_len);
	}
	KUNIT_EXPECT_EQ(test, vtrust_reflist_check(text, line_len * n, &nr,
						   &line, &reason),
			0);
	KUNIT_EXPECT_EQ(test, nr, n);
	for (i = 1; i < n; i += 4999) {
		c = text[i * line_len + 20];
		text[i * line_len + 20] = 'q';
		reason = NULL;
		KUNIT_EXPECT_EQ(test, vtrust_reflist_check(text, line_len * n,
							   &nr, &line, &reason),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, line, i + 1);
		KUNIT_ASSERT_NOT_NULL(test, reason);
		KUNIT_EXPECT_STREQ(test, reason,
				   "not a hex digit in the digest");
		text[i * line_len + 20] = c;
	}
	KUNIT_EXPECT_EQ(test, vtrust_reflist_check(text, line_len * n, &nr,
						   &line, &reason),
			0);
}

/* Every truncation and every single-byte change of a line: no crash. */
static void reflist_test_mutations(struct kunit *test)
{
	static const char base[] = "sha512:" H128 " /lib/firmware/x.bin";
	const size_t len = sizeof(base) - 1;
	char *line = kunit_kmalloc(test, len, GFP_KERNEL);
	unsigned int accepted = 0;
	const char *reason;
	struct vtrust_ref r;
	size_t i;
	int c, ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	for (i = 0; i <= len; i++) {
		ret = parse(test, base, i, &r, &reason);
		KUNIT_ASSERT_TRUE_MSG(test, ret == 1 || ret == 0 ||
				      ret == -EINVAL,
				      "length %zu: %d", i, ret);
	}
	for (i = 0; i < len; i++) {
		for (c = 0; c < 256; c++) {
			memcpy(line, base, len);
			line[i] = c;
			ret = parse_exact(test, line, len, &r, &reason);
			KUNIT_ASSERT_TRUE_MSG(test, ret == 1 || ret == 0 ||
					      ret == -EINVAL,
					      "byte %zu = %#x: %d", i, c, ret);
			if (ret == 1) {
				KUNIT_ASSERT_EQ(test, r.algo,
						VTRUST_REF_ALG_SHA512);
				KUNIT_ASSERT_EQ(test, r.digest_len, 64);
				KUNIT_ASSERT_LE(test, r.name_len,
						VTRUST_REF_NAME_MAX);
				accepted++;
			}
		}
	}
	kunit_info(test, "%u of %zu mutations accepted\n", accepted, len * 256);
}

static struct kunit_case reflist_test_cases[] = {
	KUNIT_CASE_PARAM(reflist_test_valid, valid_gen_params),
	KUNIT_CASE(reflist_test_algo_names),
	KUNIT_CASE(reflist_test_name_length),
	KUNIT_CASE_PARAM(reflist_test_blank, blank_gen_params),
	KUNIT_CASE_PARAM(reflist_test_malformed, bad_gen_params),
	KUNIT_CASE(reflist_test_check),
	KUNIT_CASE_PARAM(reflist_test_check_bad_line, bad_gen_params),
	KUNIT_CASE(reflist_test_next),
	KUNIT_CASE(reflist_test_large),
	KUNIT_CASE(reflist_test_mutations),
	{}
};

static struct kunit_suite reflist_test_suite = {
	.name = "vtrust_reflist",
	.test_cases = reflist_test_cases,
};

kunit_test_suite(reflist_test_suite);
