/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files held in memory that stand in for a directory tree, so that the
 * replay (which reads a kernel's lists by path under a root) can read the
 * lists of an evidence bundle without writing them anywhere.
 *
 * A mount belongs to the calling thread: other threads see the real file
 * system. Every path that starts with the mount's root is answered from
 * the mount alone (a path it does not hold does not exist), never from the
 * file system. The data are the caller's and must outlive the mount.
 */
#ifndef VTRUST_MEMFS_H
#define VTRUST_MEMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vt_memfile {
	const char *path;	/* relative to the root, no leading '/' */
	const uint8_t *data;
	size_t len;
};

struct vt_memfs {
	const char *root;	/* the prefix the files are under */
	const struct vt_memfile *files;
	size_t nr;
};

/* Answer paths under fs->root from @fs in this thread; NULL: unmount. */
void vt_memfs_mount(const struct vt_memfs *fs);

/*
 * Whether @path is under this thread's mount. If it is, *file is the file
 * it names, or NULL; *dir says whether it names a directory that holds a
 * file of the mount (or the root itself).
 */
bool vt_memfs_lookup(const char *path, const struct vt_memfile **file,
		     bool *dir);

#endif /* VTRUST_MEMFS_H */
