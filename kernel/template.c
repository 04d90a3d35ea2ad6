// SPDX-License-Identifier: GPL-2.0-only
/*
 * IMA template data and binary list entries (pure: see pure.h).
 *
 * Every encoder returns the number of bytes the encoding takes and writes
 * them only if @out is not NULL and @size is large enough, so a caller can
 * size a buffer with a first call. Integers are little-endian.
 */
#include "template.h"

const struct vtrust_template_desc vtrust_template_ng = { "ima-ng", 2 };
const struct vtrust_template_desc vtrust_template_buf = { "ima-buf", 3 };
const struct vtrust_template_desc vtrust_template_modsig = { "ima-modsig", 5 };

static void put_le32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/* d-ng field data: "<algo>:" NUL digest */
size_t vtrust_encode_dng(u8 *out, size_t size, const char *algo,
			 const u8 *digest, size_t digest_len)
{
	size_t alen = strlen(algo);
	size_t len = alen + 2 + digest_len;

	if (!out || size < len)
		return len;
	memcpy(out, algo, alen);
	out[alen] = ':';
	out[alen + 1] = '\0';
	memcpy(out + alen + 2, digest, digest_len);
	return len;
}

/* Template data: for each field, u32 length then the bytes. */
size_t vtrust_encode_template(u8 *out, size_t size,
			      const struct vtrust_template_desc *desc,
			      const struct vtrust_field *fields)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < desc->nr_fields; i++)
		len += 4 + fields[i].len;
	if (!out || size < len)
		return len;
	for (i = 0; i < desc->nr_fields; i++) {
		put_le32(out, fields[i].len);
		memcpy(out + 4, fields[i].data, fields[i].len);
		out += 4 + fields[i].len;
	}
	return len;
}

/*
 * One entry of a binary list: pcr, template digest, template name length
 * and name (no NUL), template data length and data.
 */
size_t vtrust_encode_binary_entry(u8 *out, size_t size, u32 pcr,
				  const u8 *template_digest, size_t digest_len,
				  const struct vtrust_template_desc *desc,
				  const u8 *data, u32 data_len)
{
	u32 nlen = strlen(desc->name);
	size_t len = 4 + digest_len + 4 + nlen + 4 + data_len;

	if (!out || size < len)
		return len;
	put_le32(out, pcr);
	out += 4;
	memcpy(out, template_digest, digest_len);
	out += digest_len;
	put_le32(out, nlen);
	memcpy(out + 4, desc->name, nlen);
	out += 4 + nlen;
	put_le32(out, data_len);
	memcpy(out + 4, data, data_len);
	return len;
}
