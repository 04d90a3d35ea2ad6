/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal test harness: RUN(test) runs a test function, CHECK() records
 * a failure in the current test, DONE() prints "N passed, N failed".
 */
#ifndef VTRUST_CHECK_H
#define VTRUST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed, check_cur;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			if (check_cur++ < 5)				\
				fprintf(stderr, "%s:%d: CHECK(%s) failed\n", \
					__FILE__, __LINE__, #cond);	\
		}							\
	} while (0)

#define RUN(test)							\
	do {								\
		check_cur = 0;						\
		test();							\
		if (check_cur) {					\
			check_failed++;					\
			printf("FAIL %s\n", #test);			\
		} else {						\
			check_passed++;					\
			printf("ok   %s\n", #test);			\
		}							\
		fflush(stdout);						\
	} while (0)

#define DONE()								\
	do {								\
		printf("%d passed, %d failed\n", check_passed,		\
		       check_failed);					\
		return check_failed ? 1 : 0;				\
	} while (0)

#endif /* VTRUST_CHECK_H */
