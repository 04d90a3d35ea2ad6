/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module name from an in-memory ELF64 module image (pure: see pure.h).
 */
#ifndef _VTRUST_MODINFO_H
#define _VTRUST_MODINFO_H

#include "pure.h"

/*
 * Find "name=<modname>" in the .modinfo section of the x86-64 little-endian
 * ELF64 relocatable image [@image, @image + @len), as passed to init_module(2),
 * and copy the name with its NUL into @name, which holds @size bytes.
 *
 * Every offset and size is checked against @len before use; nothing outside
 * the image is read, nor written outside [@name, @name + @size).
 *
 * Returns 0, -ENOEXEC for a malformed or truncated image, -ENOENT when there
 * is no .modinfo section or no non-empty name= entry in it, -ENAMETOOLONG if
 * the name and its NUL do not fit in @size bytes (@name is then untouched).
 * The name may hold any byte but NUL.
 */
int vtrust_modinfo_name(const void *image, size_t len, char *name, size_t size);

#endif /* _VTRUST_MODINFO_H */
