// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-memory files for the replay of an evidence bundle (memfs.h).
 */
#include <string.h>

#include "memfs.h"

static _Thread_local const struct vt_memfs *mounted;

void vt_memfs_mount(const struct vt_memfs *fs)
{
	mounted = fs;
}

/* The part of @path below the root, or NULL if @path is not under it. */
static const char *below(const struct vt_memfs *fs, const char *path)
{
	size_t n = strlen(fs->root);

	while (n && fs->root[n - 1] == '/')
		n--;
	if (strncmp(path, fs->root, n) || (path[n] && path[n] != '/'))
		return NULL;
	path += n;
	while (*path == '/')
		path++;
	return path;
}

bool vt_memfs_lookup(const char *path, const struct vt_memfile **file,
		     bool *dir)
{
	const struct vt_memfs *fs = mounted;
	const char *rel;
	size_t i, n;

	*file = NULL;
	*dir = false;
	if (!fs)
		return false;
	rel = below(fs, path);
	if (!rel)
		return false;
	n = strlen(rel);
	if (!n) {
		*dir = true;
		return true;
	}
	for (i = 0; i < fs->nr; i++) {
		if (!strcmp(fs->files[i].path, rel)) {
			*file = &fs->files[i];
			return true;
		}
		if (!strncmp(fs->files[i].path, rel, n) &&
		    fs->files[i].path[n] == '/')
			*dir = true;
	}
	return true;
}
