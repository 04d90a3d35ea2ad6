// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the reader of reference files (verify --reference,
 * compare.c's vt_reference_load()): the input is such a file, handed over
 * as a memfd. It must be refused, or read into names with digests; those
 * are written out again as "<algo>:<hex> <name>" lines, which must read
 * back to the same names and digests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compare.h"
#include "util.h"

static int load(const void *data, size_t size, json_object **out)
{
	char path[64];
	int fd = memfd_create("reference", MFD_CLOEXEC), ret;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ret = vt_reference_load(path, out);
	close(fd);
	return ret;
}

/* The reference @ref as the lines of a file, in a buffer to free. */
static char *write_ref(json_object *ref, size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		abort();
	/* {"names": {name: {digest: ...}}, "modules": derived from names} */
	json_object_object_foreach(json_object_object_get(ref, "names"), name,
				   set) {
		json_object_object_foreach(set, digest, unused) {
			(void)unused;
			fprintf(f, "%s%s%s\n", digest, *name ? " " : "", name);
		}
	}
	fclose(f);
	*len = size;
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *ref = NULL, *again = NULL;
	char *text;
	size_t len;

	vt_quiet_push();
	if (load(data, size, &ref)) {
		vt_quiet_pop();
		return 0;
	}
	text = write_ref(ref, &len);
	if (load(text, len, &again))
		abort();
	if (!json_object_equal(ref, again))
		abort();
	free(text);
	json_object_put(ref);
	json_object_put(again);
	vt_quiet_pop();
	return 0;
}
