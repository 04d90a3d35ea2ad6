// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event name escaping (kernel/name.c): spaces to '_', control characters
 * and backslashes to \xHH, other bytes kept; cut before an escape that
 * does not fit; the same result in place as into a separate buffer; and
 * no write past @size (buffers are allocated to exactly @size, so KASAN
 * sees any overrun).
 */
#include "vtrust_kunit.h"
#include "name.h"

struct name_case {
	const char *src;
	size_t size;
	const char *want;
};

static const struct name_case name_cases[] = {
	/* plain: kept */
	{ "/lib/modules/x.ko", 64, "/lib/modules/x.ko" },
	{ "", 1, "" },
	{ "init_module:vtt_0001", 64, "init_module:vtt_0001" },
	/* UTF-8 and other high bytes stay */
	{ "/tmp/\xc3\xa9t\xc3\xa9.ko", 64, "/tmp/\xc3\xa9t\xc3\xa9.ko" },
	/* spaces */
	{ "/tmp/a b.ko", 64, "/tmp/a_b.ko" },
	{ "  ", 3, "__" },
	{ "x (deleted)", 64, "x_(deleted)" },
	/* escapes: a newline cannot forge a second line */
	{ "/tmp/x\n11 00 ima-ng sha256:00 /lib/good.ko", 128,
	  "/tmp/x\\x0a11_00_ima-ng_sha256:00_/lib/good.ko" },
	{ "a\\b", 64, "a\\x5cb" },
	{ "\\x41", 64, "\\x5cx41" },
	{ "\t\r\x1b\x7f\x01", 64, "\\x09\\x0d\\x1b\\x7f\\x01" },
	{ "\n", 5, "\\x0a" },
	/* cut: room for size - 1 bytes and the NUL, never half an escape */
	{ "abcdef", 4, "abc" },
	{ "a\nb", 4, "a" },
	{ "a\nb", 5, "a" },
	{ "a\nb", 6, "a\\x0a" },
	{ "a\nb", 7, "a\\x0ab" },
	{ "\n\n", 8, "\\x0a" },
	{ "\n", 4, "" },
	{ "abc", 1, "" },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	size_t i, n = 0;

	for (i = 0; c->src[i] && n < KUNIT_PARAM_DESC_SIZE - 16; i++)
		n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
			       isprint(c->src[i]) ? "%c" : "\\x%02x",
			       (u8)c->src[i]);
	scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, " size %zu", c->size);
}

KUNIT_ARRAY_PARAM(name, name_cases, name_case_desc);

/* Escape @src into a buffer of exactly @size bytes, then in place. */
static void check(struct kunit *test, const char *src, size_t size,
		  const char *want)
{
	char *dst = kunit_kmalloc(test, size, GFP_KERNEL);
	char *inplace = kunit_kmalloc(test, size, GFP_KERNEL);
	size_t len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, inplace);
	len = vtrust_escape_name(dst, size, src);
	KUNIT_EXPECT_STREQ(test, dst, want);
	KUNIT_EXPECT_EQ(test, len, strlen(want));

	/* In place: the source in the same buffer (it must fit). */
	if (strlen(src) < size) {
		strcpy(inplace, src);
		len = vtrust_escape_name(inplace, size, inplace);
		KUNIT_EXPECT_STREQ(test, inplace, want);
		KUNIT_EXPECT_EQ(test, len, strlen(want));
	}
}

static void name_test_case(struct kunit *test)
{
	const struct name_case *c = test->param_value;

	check(test, c->src, c->size, c->want);
}

/* Every single byte, alone and between others, against a reference. */
static void name_test_all_bytes(struct kunit *test)
{
	char src[4], want[16];
	unsigned int c;

	for (c = 1; c < 256; c++) {
		snprintf(src, sizeof(src), "a%cb", c);
		if (c < 0x20 || c == 0x7f || c == '\\')
			snprintf(want, sizeof(want), "a\\x%02xb", c);
		else
			snprintf(want, sizeof(want), "a%cb", c == ' ' ? '_' : c);
		check(test, src, 16, want);
	}
}

static struct kunit_case name_test_cases[] = {
	KUNIT_CASE_PARAM(name_test_case, name_gen_params),
	KUNIT_CASE(name_test_all_bytes),
	{}
};

static struct kunit_suite name_test_suite = {
	.name = "vtrust_name",
	.test_cases = name_test_cases,
};

kunit_test_suite(name_test_suite);
