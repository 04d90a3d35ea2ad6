// SPDX-License-Identifier: GPL-2.0
/*
 * Where the kernel's binary measurement lists are; see sources.h.
 */
#include <string.h>

#include "sources.h"
#include "util.h"

#define LIST_NAME "binary_runtime_measurements"

int vt_source_parse(const char *s, enum vt_source *out)
{
	if (!strcmp(s, "vtrust"))
		*out = VT_SOURCE_VTRUST;
	else if (!strcmp(s, "ima"))
		*out = VT_SOURCE_IMA;
	else
		return -1;
	return 0;
}

const char *vt_source_name(enum vt_source src)
{
	return src == VT_SOURCE_IMA ? "ima" : "vtrust";
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
