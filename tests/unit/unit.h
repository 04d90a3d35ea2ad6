/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the unit test programs: cmocka, and the result line that
 * run-tests.sh sums into "N passed, N failed".
 */
#ifndef _VTRUST_UNIT_H
#define _VTRUST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Tests that skip() go through this so the result line can count them. */
extern unsigned int unit_skipped;

#define UNIT_SKIP(...)                                   \
	do {                                             \
		unit_skipped++;                          \
		print_message("skipping: " __VA_ARGS__); \
		skip();                                  \
	} while (0)

/* Run @tests, print "vtrust-unit-result: total failed skipped". */
#define UNIT_RUN(tests)                                                      \
	({                                                                   \
		int __failed = cmocka_run_group_tests(tests, NULL, NULL);    \
		printf("vtrust-unit-result: %zu %d %u\n", ARRAY_SIZE(tests), \
		       __failed, unit_skipped);                              \
		fflush(stdout);                                              \
		__failed ? 1 : 0;                                            \
	})

/* Hex string (spaces allowed) to bytes; returns the number of bytes. */
size_t unit_unhex(const char *hex, uint8_t *out, size_t size);

#endif /* _VTRUST_UNIT_H */
