/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IMA template data encoding (pure: see pure.h). The byte layout is
 * described in docs/FORMATS.md.
 */
#ifndef _VTRUST_TEMPLATE_H
#define _VTRUST_TEMPLATE_H

#include "pure.h"

#define VTRUST_TEMPLATE_FIELDS_MAX 5
#define VTRUST_ALGO_NAME_MAX 16

struct vtrust_field {
	const void *data;
	u32 len;
};

struct vtrust_template_desc {
	const char *name; /* "ima-ng", "ima-buf", "ima-modsig" */
	unsigned int nr_fields; /* d-ng, n-ng[, buf | , sig, d-modsig, modsig] */
};

extern const struct vtrust_template_desc vtrust_template_ng;
extern const struct vtrust_template_desc vtrust_template_buf;
extern const struct vtrust_template_desc vtrust_template_modsig;

size_t vtrust_encode_dng(u8 *out, size_t size, const char *algo,
			 const u8 *digest, size_t digest_len);
size_t vtrust_encode_template(u8 *out, size_t size,
			      const struct vtrust_template_desc *desc,
			      const struct vtrust_field *fields);
size_t vtrust_encode_binary_entry(u8 *out, size_t size, u32 pcr,
				  const u8 *template_digest, size_t digest_len,
				  const struct vtrust_template_desc *desc,
				  const u8 *data, u32 data_len);
#endif /* _VTRUST_TEMPLATE_H */
