// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust baseline generate: a reference of a kernel's modules.
 *
 * vtrust.ko hashes "the exact bytes the kernel read", so a reference must
 * hash each module as the loader hands it to the kernel. How kmod does it
 * (libkmod, kmod_module_insert_module()):
 *
 *  - An uncompressed module goes to finit_module(fd, args, flags): the
 *    kernel reads the file itself, and vtrust's entry is the file's path
 *    with the digest of its bytes. Every kmod does this.
 *  - kmod 30 and older (Debian 12's is 30+20221128) decompress a compressed
 *    module (.ko.xz, .ko.zst, .ko.gz) themselves and hand the image to
 *    init_module(2): vtrust's entry is "init_module:<name>" with the digest
 *    of the decompressed image.
 *  - kmod 31 and later hand a compressed module to finit_module() with
 *    MODULE_INIT_COMPRESSED_FILE when the running kernel decompresses that
 *    compression itself (CONFIG_MODULE_DECOMPRESS; /sys/module/compression
 *    names the one compression it decompresses): the kernel reads, and
 *    vtrust hashes, the compressed file. Any other compressed module is
 *    decompressed by kmod as before.
 *  - With --force, libkmod strips the version sections of an in-memory copy
 *    and uses init_module(2): that image cannot be predicted.
 *
 * So an uncompressed module is hashed as its file. A compressed one is
 * hashed as its file or as its image (decompressed by the xz, zstd or gzip
 * program), as --compressed-digest says: raw, decompressed, or auto (the
 * default), which decides as this machine's kmod would load kernel VER's
 * modules: kmod's major version from `kmod --version` (libkmod has no
 * version call, and its soname has not changed since kmod 1, so the tool
 * built from the same sources is asked), and for kmod 31 and later what
 * kernel VER decompresses: /sys/module/compression when VER is the running
 * kernel, otherwise VER's configuration (<modules dir>/VER/config, then
 * /boot/config-VER). Both are looked up only when a compressed module is
 * met.
 *
 * The module list is modules.dep, each module resolved through libkmod as
 * modprobe resolves it (kmod_module_new_from_name(), kmod_module_get_path());
 * built-in modules have no file and are left out.
 *
 * Output, one line per module, in the kernel's baseline format
 * (kernel/reflist.h), sorted by path:
 *
 *	<algo>:<hex digest> <path>
 *
 * with the path as the kernel's d_path() shows it (symbolic links such as
 * Debian's /lib -> usr/lib resolved), which is the name of vtrust's entry.
 * An "init_module:<name>" entry matches its module's path in verify.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkmod.h>

#include "hash.h"
#include "kmodref.h"
#include "util.h"
#include "vtrust.h"

#define CHUNK (256 * 1024)
#define NAME_MAX_REF 255	/* the kernel's VTRUST_REF_NAME_MAX */
#define CONFIG_MAX (16 << 20)	/* a kernel's .config is about 300 KB */
#define KMOD_COMPRESSED_FILE 31	/* the first kmod to hand compressed files */

extern char **environ;

enum comp { COMP_NONE, COMP_XZ, COMP_ZSTD, COMP_GZIP, COMP_NR };

/* Each compression: its magic, program, kernel config symbol, file ending. */
static const struct {
	const char *magic;
	size_t magic_len;
	const char *name;	/* the program; /sys/module/compression's word */
	const char *config;	/* CONFIG_MODULE_COMPRESS_<config>=y */
	const char *ext;	/* .ko.<ext> */
} comps[COMP_NR] = {
	[COMP_XZ] = { "\xfd" "7zXZ\0", 6, "xz", "XZ", "xz" },
	[COMP_ZSTD] = { "\x28\xb5\x2f\xfd", 4, "zstd", "ZSTD", "zst" },
	[COMP_GZIP] = { "\x1f\x8b", 2, "gzip", "GZIP", "gz" },
};

/* --compressed-digest */
enum mode { MODE_AUTO, MODE_RAW, MODE_DECOMPRESSED, MODE_NR };

static const char *const mode_names[MODE_NR] = {
	[MODE_AUTO] = "auto",
	[MODE_RAW] = "raw",
	[MODE_DECOMPRESSED] = "decompressed",
};

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
	unsigned long decompressed, raw, skipped;
	enum mode mode;
	/* auto, once the first compressed module is met: */
	bool decided;
	unsigned int kmod_major;	/* this machine's kmod */
	enum comp kernel_comp;		/* what kernel VER decompresses */
	char undecided[2 * PATH_MAX];	/* why it cannot tell, if it cannot */
};

static enum comp compression(const uint8_t *p, size_t n)
{
	enum comp c;

	for (c = COMP_XZ; c < COMP_NR; c++)
		if (n >= comps[c].magic_len &&
		    !memcmp(p, comps[c].magic, comps[c].magic_len))
			return c;
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

/* Run @argv (found in $PATH) with its standard output on a pipe, *@fd. */
static int spawn_reader(char *const argv[], pid_t *pid, int *fd)
{
	posix_spawn_file_actions_t fa;
	int fds[2], ret;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	ret = -posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ret) {
		close(fds[0]);
		return ret;
	}
	*fd = fds[0];
	return 0;
}

/* Wait for @pid: 0 if it exited with status 0, else -EILSEQ or -errno. */
static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EILSEQ;
}

/* The decompressed image, hashed from the decompressor's output. */
static int hash_decompressed(struct gen *g, const char *path, enum comp c,
			     uint8_t *out)
{
	char *argv[] = { (char *)comps[c].name, "-dc", "--", (char *)path,
			 NULL };
	pid_t pid;
	int fd, ret, status;

	ret = spawn_reader(argv, &pid, &fd);
	if (ret)
		return ret;
	ret = hash_fd(g, fd, NULL, 0, out);
	close(fd);
	status = reap(pid);
	return ret ? ret : status;
}

/*
 * The major version of this machine's kmod, from the first line of
 * `kmod --version`: "kmod version 30" (or "kmod version 34.2").
 */
static int kmod_major(unsigned int *major)
{
	static const char prefix[] = "kmod version ";
	char *argv[] = { "kmod", "--version", NULL };
	unsigned long v;
	char buf[128];
	pid_t pid;
	size_t n;
	int fd, ret, status;

	ret = spawn_reader(argv, &pid, &fd);
	if (ret)
		return ret;
	ret = read_some(fd, (uint8_t *)buf, sizeof(buf) - 1, &n);
	close(fd);
	status = reap(pid);
	if (ret)
		return ret;
	if (status)
		return -EPROTO;
	buf[n] = '\0';
	if (strncmp(buf, prefix, sizeof(prefix) - 1) ||
	    !isdigit((unsigned char)buf[sizeof(prefix) - 1]))
		return -EPROTO;
	v = strtoul(buf + sizeof(prefix) - 1, NULL, 10);
	if (!v || v > 9999)
		return -EPROTO;
	*major = v;
	return 0;
}

/* Whether @line is one whole line of @t. */
static bool has_line(const char *t, size_t len, const char *line)
{
	const char *p = t, *end = t + len;
	size_t n = strlen(line);

	while (p < end && (p = memmem(p, end - p, line, n))) {
		if ((p == t || p[-1] == '\n') && (p + n == end || p[n] == '\n'))
			return true;
		p++;
	}
	return false;
}

/* What a kernel's configuration @t says it decompresses itself. */
static enum comp config_decompression(const char *t, size_t len)
{
	char want[64];
	enum comp c;

	if (!has_line(t, len, "CONFIG_MODULE_DECOMPRESS=y"))
		return COMP_NONE;
	for (c = COMP_XZ; c < COMP_NR; c++) {
		snprintf(want, sizeof(want), "CONFIG_MODULE_COMPRESS_%s=y",
			 comps[c].config);
		if (has_line(t, len, want))
			return c;
	}
	return COMP_NONE;
}

/*
 * The running kernel's /sys/module/compression: 0 with *@c, or -ENOENT if
 * this is not the kernel asked about or its sysfs is not there.
 */
static int running_decompression(struct gen *g, enum comp *c)
{
	struct utsname u;
	char buf[16];
	size_t n;
	int ret;

	if (uname(&u) || strcmp(u.release, g->o->kernel_release) ||
	    !vt_exists("/sys/module"))
		return -ENOENT;
	*c = COMP_NONE;
	ret = vt_read_small("/sys/module/compression", buf, sizeof(buf), &n);
	if (ret == -ENOENT)
		return 0;	/* no CONFIG_MODULE_DECOMPRESS */
	if (ret)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	for (*c = COMP_XZ; *c < COMP_NR; (*c)++)
		if (!strcmp(buf, comps[*c].name))
			return 0;
	*c = COMP_NONE;		/* one kmod does not know either */
	return 0;
}

/* What kernel VER decompresses itself: 0 with *@c, or -errno. */
static int kernel_decompression(struct gen *g, enum comp *c)
{
	char path[2][PATH_MAX + 16];
	uint8_t *t;
	size_t len;
	int i, ret;

	ret = running_decompression(g, c);
	if (ret != -ENOENT)
		return ret;
	snprintf(path[0], sizeof(path[0]), "%s/config", g->dir);
	snprintf(path[1], sizeof(path[1]), "/boot/config-%s",
		 g->o->kernel_release);
	for (i = 0; i < 2; i++) {
		ret = vt_read_file(path[i], CONFIG_MAX, &t, &len);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		*c = t ? config_decompression((const char *)t, len) : COMP_NONE;
		free(t);
		return 0;
	}
	return -ENOENT;
}

static void say_decision(struct gen *g)
{
	const char *k = g->o->kernel_release;

	if (g->kmod_major < KMOD_COMPRESSED_FILE)
		fprintf(stderr, "vtrust: generate: kmod %u decompresses compressed modules itself: hashing their images\n",
			g->kmod_major);
	else if (g->kernel_comp == COMP_NONE)
		fprintf(stderr, "vtrust: generate: kernel %s decompresses no modules itself, so kmod %u does: hashing their images\n",
			k, g->kmod_major);
	else
		fprintf(stderr, "vtrust: generate: kmod %u hands .ko.%s files to kernel %s, which decompresses them: hashing those files as they are, other compressed modules' images\n",
			g->kmod_major, comps[g->kernel_comp].ext, k);
}

/* auto: learn how this machine's kmod loads kernel VER's modules, once. */
static int decide(struct gen *g)
{
	int ret;

	if (g->decided)
		return 0;
	if (g->undecided[0])
		return -ENOPKG;
	ret = kmod_major(&g->kmod_major);
	if (ret) {
		snprintf(g->undecided, sizeof(g->undecided),
			 "cannot tell which kmod loads modules here ('kmod --version': %s)",
			 ret == -EPROTO ? "no \"kmod version N\"" :
			 strerror(-ret));
		return -ENOPKG;
	}
	if (g->kmod_major >= KMOD_COMPRESSED_FILE) {
		ret = kernel_decompression(g, &g->kernel_comp);
		if (ret) {
			snprintf(g->undecided, sizeof(g->undecided),
				 "cannot tell whether kernel %s decompresses modules itself (%s: %s/config, /boot/config-%s)",
				 g->o->kernel_release,
				 ret == -ENOENT ? "no configuration" :
				 strerror(-ret), g->dir, g->o->kernel_release);
			return -ENOPKG;
		}
	}
	g->decided = true;
	say_decision(g);
	return 0;
}

/* Whether a module compressed with @c is hashed as the file it is. */
static int hashed_as_file(struct gen *g, enum comp c, bool *raw)
{
	int ret;

	if (g->mode != MODE_AUTO) {
		*raw = g->mode == MODE_RAW;
		return 0;
	}
	ret = decide(g);
	if (!ret)
		*raw = g->kmod_major >= KMOD_COMPRESSED_FILE &&
		       g->kernel_comp == c;
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

/* @rel of modules.dep as the file modprobe would load under its name. */
static int module_path(struct gen *g, const char *rel, char *full,
		       size_t size)
{
	struct kmod_module *m = NULL, *byname = NULL;
	const char *path = NULL;
	int ret;

	if (rel[0] == '/')
		ret = snprintf(full, size, "%s", rel);
	else
		ret = snprintf(full, size, "%s/%s", g->dir, rel);
	if (ret >= (int)size)
		return -ENAMETOOLONG;
	ret = kmod_module_new_from_path(g->ctx, full, &m);
	if (ret < 0)
		return ret;
	if (kmod_module_new_from_name(g->ctx, kmod_module_get_name(m),
				      &byname) >= 0)
		path = kmod_module_get_path(byname);
	if (path && snprintf(full, size, "%s", path) >= (int)size)
		ret = -ENAMETOOLONG;
	kmod_module_unref(byname);
	kmod_module_unref(m);
	return ret < 0 ? ret : 0;
}

/*
 * Hash the module file @path as the kernel will see it: 0, 1 if it is left
 * out (no program to decompress it), or -errno.
 */
static int module_digest(struct gen *g, const char *path, uint8_t *digest)
{
	uint8_t first[16];
	bool raw = true;
	enum comp c;
	size_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_some(fd, first, sizeof(first), &n);
	c = ret ? COMP_NONE : compression(first, n);
	if (!ret && c != COMP_NONE)
		ret = hashed_as_file(g, c, &raw);
	if (!ret && raw)
		ret = hash_fd(g, fd, first, n, digest);
	close(fd);
	if (!ret && !raw) {
		ret = hash_decompressed(g, path, c, digest);
		if (ret == -ENOENT) {
			vt_err(path, "compressed, and there is no %s to decompress it: left out",
			       comps[c].name);
			return 1;
		}
	}
	if (!ret && c != COMP_NONE)
		raw ? g->raw++ : g->decompressed++;
	return ret;
}

/* One module of modules.dep, resolved and hashed. */
static int one_module(struct gen *g, const char *rel)
{
	char full[PATH_MAX], real[PATH_MAX];
	uint8_t digest[VT_DIGEST_MAX];
	int ret;

	ret = module_path(g, rel, full, sizeof(full));
	if (!ret)
		ret = module_digest(g, full, digest);
	if (ret > 0)
		g->skipped++;
	if (ret)
		return ret < 0 ? ret : 0;
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

	fprintf(f, "# vtrust baseline generate --kernel-release %s --hash %s --compressed-digest %s",
		g->o->kernel_release, g->algo_name, mode_names[g->mode]);
	if (g->decided)
		fprintf(f, " (kmod %u)", g->kmod_major);
	fprintf(f, ": %zu modules, %lu compressed ones hashed as files, %lu as images\n",
		g->nr, g->raw, g->decompressed);
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
		if (ret == -ENOPKG) {
			vt_err(line, "compressed, and %s: say how with --compressed-digest raw or decompressed",
			       g->undecided);
			ret = VT_EXIT_USAGE;
			break;
		}
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

static int parse_mode(const char *s, enum mode *m)
{
	for (*m = MODE_AUTO; *m < MODE_NR; (*m)++)
		if (!strcmp(s, mode_names[*m]))
			return 0;
	return vt_usage_err("baseline", "unknown --compressed-digest '%s': raw, decompressed or auto",
			    s);
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
	if (o->compressed_digest && parse_mode(o->compressed_digest, &g.mode))
		return VT_EXIT_USAGE;
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
			g.nr, o->kernel_release, g.decompressed, g.skipped,
			o->output ? " into " : "", o->output ? o->output : "");
	for (i = 0; i < g.nr; i++)
		free(g.refs[i].path);
	free(g.refs);
	kmod_unref(g.ctx);
	vt_hash_free(&g.h);
	return ret;
}
