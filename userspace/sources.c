// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel's binary measurement lists are; see sources.h.
 */
#include <limits.h>
#include <string.h>

#include "sources.h"
#include "util.h"

#define LIST_NAME "binary_runtime_measurements"

static const char *const source_names[VT_SOURCE_COUNT] = {
	[VT_SOURCE_VTRUST] = "vtrust",
	[VT_SOURCE_IMA] = "ima",
	[VT_SOURCE_UEFI] = "uefi",
};

int vt_source_parse(const char *s, enum vt_source *out)
{
	unsigned int i;

	for (i = 0; i < VT_SOURCE_COUNT; i++) {
		if (!strcmp(s, source_names[i])) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

int vt_sources_parse(const char *s, unsigned int *out)
{
	enum vt_source src;
	char tok[16];
	const char *comma;
	size_t n;

	*out = 0;
	for (;;) {
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		if (!n || n >= sizeof(tok))
			return -1;
		memcpy(tok, s, n);
		tok[n] = '\0';
		if (!strcmp(tok, "all"))
			*out |= VT_SOURCES_ALL;
		else if (!vt_source_parse(tok, &src))
			*out |= 1U << src;
		else
			return -1;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

const char *vt_source_name(enum vt_source src)
{
	return src < VT_SOURCE_COUNT ? source_names[src] : "?";
}

int vt_source_uefi_log(const char *root, char *path, size_t size)
{
	return vt_path(path, size, root, VT_UEFI_LOG);
}

bool vt_source_present(enum vt_source src, const char *root)
{
	char path[PATH_MAX];

	if (src == VT_SOURCE_UEFI) {
		if (vt_source_uefi_log(root, path, sizeof(path)))
			return false;
	} else if (vt_path(path, sizeof(path), root, VT_SECURITYFS "/%s",
			   vt_source_name(src))) {
		return false;
	}
	return vt_exists(path);
}

int vt_source_list(enum vt_source src, const char *root,
		   const struct vt_alg *bank, char *path, size_t size,
		   const struct vt_alg **digest_alg)
{
	const char *dir = vt_source_name(src);
	/* vtrust names SM3 "sm3_256", the kernel's IMA "sm3" */
	const char *first, *second;

	*digest_alg = &vt_algs[VT_ALG_SHA1];
	if (bank) {
		first = src == VT_SOURCE_IMA ? bank->kname : bank->name;
		second = src == VT_SOURCE_IMA ? bank->name : bank->kname;
		if (vt_path(path, size, root, VT_SECURITYFS "/%s/" LIST_NAME "_%s",
			    dir, first))
			return -1;
		*digest_alg = bank;
		if (vt_exists(path))
			return 0;
		if (vt_path(path, size, root, VT_SECURITYFS "/%s/" LIST_NAME "_%s",
			    dir, second))
			return -1;
		if (vt_exists(path))
			return 0;
		if (src == VT_SOURCE_VTRUST) {
			/* let the open fail on vtrust's own name */
			return vt_path(path, size, root,
				       VT_SECURITYFS "/%s/" LIST_NAME "_%s",
				       dir, first);
		}
		*digest_alg = &vt_algs[VT_ALG_SHA1];
	}
	return vt_path(path, size, root, VT_SECURITYFS "/%s/" LIST_NAME, dir);
}
