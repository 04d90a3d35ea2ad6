/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hex and byte helpers (pure: no I/O).
 */
#ifndef VTRUST_HEX_H
#define VTRUST_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lowercase hex of @len bytes into @out (2 * len + 1 bytes). */
void vt_hex(char *out, const uint8_t *in, size_t len);

/*
 * Decode exactly @outlen bytes of hex (either case) from the @len characters
 * at @s. Returns 0, or -1 if they are not 2 * outlen hex digits.
 */
int vt_unhex(uint8_t *out, size_t outlen, const char *s, size_t len);

bool vt_all_bytes(const uint8_t *p, size_t len, uint8_t byte);

#endif /* VTRUST_HEX_H */
