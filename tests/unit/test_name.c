// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event name escaping (kernel/name.c): spaces to '_', control characters
 * and backslashes to \xHH, other bytes kept; cut before an escape that
 * does not fit; the same result in place as into a separate buffer; and
 * no write past @size (buffers are allocated to exactly @size, so
 * AddressSanitizer sees any overrun).
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "name.h"

/* Escape @src into a buffer of exactly @size bytes, then in place. */
static void check(const char *src, size_t size, const char *want)
{
	char *dst = malloc(size), *inplace = malloc(size);
	size_t len;

	assert_non_null(dst);
	assert_non_null(inplace);
	len = vtrust_escape_name(dst, size, src);
	assert_string_equal(dst, want);
	assert_int_equal(len, strlen(want));

	/* In place: the source in the same buffer (it must fit). */
	if (strlen(src) < size) {
		strcpy(inplace, src);
		len = vtrust_escape_name(inplace, size, inplace);
		assert_string_equal(inplace, want);
		assert_int_equal(len, strlen(want));
	}
	free(dst);
	free(inplace);
}

static void test_plain(void **state)
{
	(void)state;
	check("/lib/modules/x.ko", 64, "/lib/modules/x.ko");
	check("", 1, "");
	check("init_module:vtt_0001", 64, "init_module:vtt_0001");
	/* UTF-8 and other high bytes stay */
	check("/tmp/\xc3\xa9t\xc3\xa9.ko", 64, "/tmp/\xc3\xa9t\xc3\xa9.ko");
}

static void test_space(void **state)
{
	(void)state;
	check("/tmp/a b.ko", 64, "/tmp/a_b.ko");
	check("  ", 3, "__");
	check("x (deleted)", 64, "x_(deleted)");
}

static void test_escapes(void **state)
{
	(void)state;
	check("/tmp/x\n11 00 ima-ng sha256:00 /lib/good.ko", 128,
	      "/tmp/x\\x0a11_00_ima-ng_sha256:00_/lib/good.ko");
	check("a\\b", 64, "a\\x5cb");
	check("\\x41", 64, "\\x5cx41");
	check("\t\r\x1b\x7f\x01", 64, "\\x09\\x0d\\x1b\\x7f\\x01");
	check("\n", 5, "\\x0a");
}

static void test_cut(void **state)
{
	(void)state;
	/* Room for 3 bytes and the NUL. */
	check("abcdef", 4, "abc");
	check("a\nb", 4, "a");
	check("a\nb", 5, "a");
	check("a\nb", 6, "a\\x0a");
	check("a\nb", 7, "a\\x0ab");
	check("\n\n", 8, "\\x0a");
	check("\n", 4, "");
	check("abc", 1, "");
}

/* Every single byte, alone and between others, against a reference. */
static void test_all_bytes(void **state)
{
	char src[4], want[16];
	unsigned int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		snprintf(src, sizeof(src), "a%cb", c);
		if (c < 0x20 || c == 0x7f || c == '\\')
			snprintf(want, sizeof(want), "a\\x%02xb", c);
		else
			snprintf(want, sizeof(want), "a%cb", c == ' ' ? '_' : c);
		check(src, 16, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_all_bytes),
	};

	return UNIT_RUN(tests);
}
