// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust baseline generate: a reference of a kernel's modules.
 *
 * vtrust.ko hashes "the exact bytes the kernel read", so a reference must
 * hash each module as the loader hands it to the kernel. How kmod does it
 * (libkmod, kmod_module_insert_module()):
 *
 *  - Debian 12's kmod 30 (30+20221128): an uncompressed module goes to
 *    finit_module(fd, args, flags) with flags only for --force (no
 *    MODULE_INIT_COMPRESSED_FILE): the kernel reads the file itself, and
 *    vtrust's entry is the file's path with the digest of its bytes. A
 *    compressed module (.ko.xz, .ko.zst, .ko.gz) is decompressed by libkmod
 *    and its image handed to init_module(2): vtrust's entry is
 *    "init_module:<name>" with the digest of the decompressed image. (With
 *    --force, libkmod strips the version sections of an in-memory copy and
 *    uses init_module(2): that image cannot be predicted.)
 *  - kmod 31 and later pass a compressed module whose compression the
 *    kernel supports (/sys/module/compression) to finit_module() with
 *    MODULE_INIT_COMPRESSED_FILE: the kernel then reads, and vtrust hashes,
 *    the compressed file.
 *  - Debian 12's kernel modules are uncompressed .ko files
 *    (CONFIG_MODULE_COMPRESS_NONE), so there every module is hashed as the
 *    file it is.
 *
 * So: an uncompressed module is hashed as its file; a compressed one as its
 * decompressed image (kmod 30's init_module path), by the xz, zstd or gzip
 * program. The module list is modules.dep, each module resolved through
 * libkmod as modprobe resolves it (kmod_module_new_from_name(),
 * kmod_module_get_path()); built-in modules have no file and are left out.
 *
 * Output, one line per module, in the kernel's baseline format
 * (kernel/reflist.h), sorted by path:
 *
 *	<algo>:<hex digest> <path>
 *
 * with the path as the kernel's d_path() shows it (symbolic links such as
 * Debian's /lib -> usr/lib resolved), which is the name of vtrust's entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkmod.h>

#include "hash.h"
#include "kmodref.h"
#include "util.h"
#include "vtrust.h"

#define CHUNK (256 * 1024)
#define NAME_MAX_REF 255	/* the kernel's VTRUST_REF_NAME_MAX */

extern char **environ;

struct ref {
	char *path;		/* the name written */
	char line[2 * VT_DIGEST_MAX + 16];	/* "<algo>:<hex>" */
};

struct gen {
	const struct vt_kmodref_opts *o;
	const struct vt_alg *alg;
	const char *algo_name;	/* as vtrust.ko writes it: "sm3", ... */
	struct vt_hash h;
	struct kmod_ctx *ctx;
	char dir[PATH_MAX];
	struct ref *refs;
	size_t nr, cap;
	unsigned long compressed, skipped;
};

enum comp { COMP_NONE, COMP_XZ, COMP_ZSTD, COMP_GZIP };

static const char *const decompressors[] = {
	[COMP_XZ] = "xz", [COMP_ZSTD] = "zstd", [COMP_GZIP] = "gzip",
};

static enum comp compression(const uint8_t *p, size_t n)
{
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return COMP_XZ;
	if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return COMP_ZSTD;
	if (n >= 2 && !memcmp(p, "\x1f\x8b", 2))
		return COMP_GZIP;
	return COMP_NONE;
}

static int read_some(int fd, uint8_t *buf, size_t size, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < size) {
		n = read(fd, buf + *got, size - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		*got += n;
	}
	return 0;
}

/* Hash what @fd holds from here to its end; @first has been read already. */
static int hash_fd(struct gen *g, int fd, const uint8_t *first, size_t n,
		   uint8_t *out)
{
	uint8_t *buf;
	size_t got;
	int ret;

	if (vt_hash_start(&g->h) || vt_hash_update(&g->h, first, n))
		return -EIO;
	buf = malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	do {
		ret = read_some(fd, buf, CHUNK, &got);
		if (!ret && got && vt_hash_update(&g->h, buf, got))
			ret = -EIO;
	} while (!ret && got == CHUNK);
	free(buf);
	if (!ret && vt_hash_final(&g->h, out))
		ret = -EIO;
	return ret;
}

/* The decompressed image, hashed from the decompressor's output. */
static int hash_decompressed(struct gen *g, const char *path, enum comp c,
			     uint8_t *out)
{
	char *argv[] = { (char *)decompressors[c], "-dc", "--", (char *)path,
			 NULL };
	posix_spawn_file_actions_t fa;
	int fds[2], status, ret;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	ret = -posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ret) {
		close(fds[0]);
		return ret;
	}
	ret = hash_fd(g, fds[0], NULL, 0, out);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
		ret = -EILSEQ;
	return ret;
}

static int add_ref(struct gen *g, const char *path, const uint8_t *digest)
{
	struct ref *r;
	size_t cap, n;

	if (g->nr == g->cap) {
		cap = g->cap ? 2 * g->cap : 1024;
		r = realloc(g->refs, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		g->refs = r;
		g->cap = cap;
	}
	r = &g->refs[g->nr];
	r->path = strdup(path);
	if (!r->path)
		return -ENOMEM;
	n = snprintf(r->line, sizeof(r->line), "%s:", g->algo_name);
	vt_hex(r->line + n, digest, g->alg->size);
	g->nr++;
	return 0;
}

/* One module: its path as kmod resolves it, hashed as the kernel sees it. */
static int one_module(struct gen *g, const char *rel)
{
	struct kmod_module *m = NULL, *byname = NULL;
	char full[PATH_MAX], real[PATH_MAX];
	uint8_t first[16], digest[VT_DIGEST_MAX];
	const char *path;
	enum comp c;
	size_t n;
	int fd, ret;

	if (rel[0] == '/')
		snprintf(full, sizeof(full), "%s", rel);
	else if (snprintf(full, sizeof(full), "%s/%s", g->dir, rel) >=
		 (int)sizeof(full))
		return -ENAMETOOLONG;
	ret = kmod_module_new_from_path(g->ctx, full, &m);
	if (ret < 0)
		return ret;
	/* the file modprobe would load under this name */
	path = NULL;
	if (kmod_module_new_from_name(g->ctx, kmod_module_get_name(m),
				      &byname) >= 0)
		path = kmod_module_get_path(byname);
	if (path && path != full)
		snprintf(full, sizeof(full), "%s", path);
	kmod_module_unref(byname);
	kmod_module_unref(m);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_some(fd, first, sizeof(first), &n);
	c = ret ? COMP_NONE : compression(first, n);
	if (!ret && c == COMP_NONE)
		ret = hash_fd(g, fd, first, n, digest);
	close(fd);
	if (!ret && c != COMP_NONE) {
		ret = hash_decompressed(g, full, c, digest);
		if (ret == -ENOENT) {
			vt_err(full, "compressed, and there is no %s to decompress it: left out",
			       decompressors[c]);
			g->skipped++;
			return 0;
		}
		g->compressed++;
	}
	if (ret)
		return ret;
	/* d_path() resolves links: /lib/modules is /usr/lib/modules on Debian */
	if (realpath(full, real))
		snprintf(full, sizeof(full), "%s", real);
	return add_ref(g, full, digest);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ref *)a)->path,
		      ((const struct ref *)b)->path);
}

static int write_refs(struct gen *g, FILE *f)
{
	size_t i;

	fprintf(f, "# vtrust baseline generate --kernel-release %s --hash %s: %zu modules\n",
		g->o->kernel_release, g->algo_name, g->nr);
	for (i = 0; i < g->nr; i++) {
		if (strlen(g->refs[i].path) > NAME_MAX_REF ||
		    strpbrk(g->refs[i].path, "\n\r\t")) {
			/* the kernel's format has no room for it: digest only */
			fprintf(f, "%s\n", g->refs[i].line);
			continue;
		}
		fprintf(f, "%s %s\n", g->refs[i].line, g->refs[i].path);
	}
	return fflush(f) || ferror(f) ? -EIO : 0;
}

/* Write to a temporary file next to @path, then rename it over @path. */
static int write_output(struct gen *g, const char *path)
{
	char tmp[PATH_MAX + 16];
	FILE *f;
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	ret = fchmod(fd, 0644) ? -errno : write_refs(g, f);
	if (!ret && fsync(fd))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* Every module of modules.dep: "<path>: <dependencies>" lines. */
static int each_module(struct gen *g)
{
	char dep[PATH_MAX + 16], *line = NULL, *colon;
	unsigned long count = 0;
	size_t size = 0;
	ssize_t n;
	FILE *f;
	int ret = 0;

	snprintf(dep, sizeof(dep), "%s/modules.dep", g->dir);
	f = fopen(dep, "re");
	if (!f) {
		ret = -errno;
		vt_err(dep, "%s (run depmod %s?)", strerror(-ret),
		       g->o->kernel_release);
		return VT_EXIT_SYSTEM;
	}
	while ((n = getline(&line, &size, f)) > 0) {
		colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		*colon = '\0';
		ret = one_module(g, line);
		if (ret) {
			vt_err(line, "%s", strerror(-ret));
			ret = VT_EXIT_SYSTEM;
			break;
		}
		if (++count % 500 == 0)
			fprintf(stderr, "vtrust: generate: %lu modules\n", count);
	}
	if (!ret && ferror(f)) {
		vt_err(dep, "cannot read it");
		ret = VT_EXIT_SYSTEM;
	}
	free(line);
	fclose(f);
	return ret;
}

int vt_kmodref_generate(const struct vt_kmodref_opts *o)
{
	struct gen g = { .o = o };
	const char *hash = o->hash ? o->hash : "sha256";
	const char *base = o->modules_dir ? o->modules_dir : "/lib/modules";
	struct stat st;
	size_t i;
	int ret;

	if (!o->kernel_release || !o->kernel_release[0])
		return vt_usage_err("baseline", "generate needs --kernel-release VER");
	if (strchr(o->kernel_release, '/'))
		return vt_usage_err("baseline", "'%s' is not a kernel release",
				    o->kernel_release);
	g.alg = vt_alg_find(hash, strlen(hash));
	if (!g.alg)
		return vt_usage_err("baseline", "unknown --hash '%s': sha256, sm3, sha1, sha384 or sha512",
				    hash);
	g.algo_name = g.alg->kname;
	if (snprintf(g.dir, sizeof(g.dir), "%s/%s", base,
		     o->kernel_release) >= (int)sizeof(g.dir))
		return vt_usage_err("baseline", "--modules-dir is too long");
	if (stat(g.dir, &st) || !S_ISDIR(st.st_mode)) {
		vt_err(g.dir, "no modules of kernel %s here",
		       o->kernel_release);
		return VT_EXIT_USAGE;
	}
	ret = vt_hash_init(&g.h, g.alg);
	if (ret)
		return ret;
	g.ctx = kmod_new(g.dir, NULL);
	if (!g.ctx) {
		vt_err(g.dir, "libkmod cannot use this directory");
		vt_hash_free(&g.h);
		return VT_EXIT_SYSTEM;
	}
	kmod_load_resources(g.ctx);
	ret = each_module(&g);
	if (!ret) {
		qsort(g.refs, g.nr, sizeof(*g.refs), by_path);
		ret = o->output ? write_output(&g, o->output) :
		      write_refs(&g, stdout);
		if (ret) {
			vt_err(o->output ? o->output : "stdout",
			       "cannot write the reference: %s", strerror(-ret));
			ret = VT_EXIT_SYSTEM;
		}
	}
	if (!ret)
		fprintf(stderr, "vtrust: generate: %zu modules of %s (%lu decompressed, %lu left out)%s%s\n",
			g.nr, o->kernel_release, g.compressed, g.skipped,
			o->output ? " into " : "", o->output ? o->output : "");
	for (i = 0; i < g.nr; i++)
		free(g.refs[i].path);
	free(g.refs);
	kmod_unref(g.ctx);
	vt_hash_free(&g.h);
	return ret;
}
