/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event names as every entry writes them (pure: kernel and unit tests).
 */
#ifndef _VTRUST_NAME_H
#define _VTRUST_NAME_H

#include "pure.h"

/* The length of @c in an event name: 4 for an escape, else 1. */
static inline unsigned int vtrust_escaped_len(unsigned char c)
{
	return (c < 0x20 || c == 0x7f || c == '\\') ? 4 : 1;
}

size_t vtrust_escape_name(char *dst, size_t size, const char *src);

#endif /* _VTRUST_NAME_H */
