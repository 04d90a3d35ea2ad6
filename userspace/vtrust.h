/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTRUST_H
#define VTRUST_H

#include "../kernel/version.h"

/* Exit codes of every command. */
#define VT_EXIT_OK		0	/* ok, match */
#define VT_EXIT_MISMATCH	1	/* mismatch */
#define VT_EXIT_USAGE		2	/* bad usage or bad input */
#define VT_EXIT_SYSTEM		3	/* system error */
#define VT_EXIT_RECORDED	4	/* verify --init: baseline recorded, boot not verified */

#define VT_EXIT_CODES \
	"Exit status: 0 ok or match, 1 mismatch, 2 bad usage or input, 3 system error.\n"

int cmd_log(int argc, char *argv[]);
int cmd_replay(int argc, char *argv[]);
int cmd_verify(int argc, char *argv[]);
int cmd_baseline(int argc, char *argv[]);
int cmd_status(int argc, char *argv[]);

#endif /* VTRUST_H */
