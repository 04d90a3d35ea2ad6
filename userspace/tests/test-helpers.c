// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the helpers: algorithms, digests, hex, the start entry, PCR
 * sources, list locations and the streaming list reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "algs.h"
#include "check.h"
#include "hash.h"
#include "hex.h"
#include "listfile.h"
#include "pcrs.h"
#include "sources.h"
#include "start.h"
#include "util.h"
#include "vtrust.h"

static char tmpdir[] = "/tmp/vtrust-test-XXXXXX";

static int saved_stderr = -1;

/* Silence stderr around calls that are expected to print errors. */
static void quiet(bool on)
{
	int fd;

	fflush(stderr);
	if (on) {
		saved_stderr = dup(2);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		close(fd);
	} else if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

static bool hex_is(const uint8_t *v, size_t n, const char *hex)
{
	char h[2 * VT_DIGEST_MAX + 1];

	vt_hex(h, v, n);
	return !strcmp(h, hex);
}

static void test_alg_names(void)
{
	CHECK(vt_alg_find("sha1", 4) == &vt_algs[VT_ALG_SHA1]);
	CHECK(vt_alg_find("SHA256", 6) == &vt_algs[VT_ALG_SHA256]);
	CHECK(vt_alg_find("sha384", 6)->size == 48);
	CHECK(vt_alg_find("sha512", 6)->size == 64);
	CHECK(vt_alg_find("sm3", 3) == &vt_algs[VT_ALG_SM3_256]);
	CHECK(vt_alg_find("sm3_256", 7) == &vt_algs[VT_ALG_SM3_256]);
	CHECK(vt_alg_find("sm3-256", 7) == &vt_algs[VT_ALG_SM3_256]);
	CHECK(!vt_alg_find("md5", 3));
	CHECK(!vt_alg_find("sha", 3));
	CHECK(!vt_alg_find("sha2567", 7));
	CHECK(vt_alg_find("sha2567", 6) == &vt_algs[VT_ALG_SHA256]);
}

/* FIPS 180 and GB/T 32905 "abc" vectors; extends computed with hashlib. */
static void test_digests(void)
{
	static const char *const abc[VT_ALG_COUNT] = {
		"a9993e364706816aba3e25717850c26c9cd0d89d",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
	};
	uint8_t out[VT_DIGEST_MAX], pcr[VT_DIGEST_MAX];
	struct vt_hash h;
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		CHECK(!vt_hash_init(&h, &vt_algs[i]));
		/* twice: the reused context must give the same result */
		for (k = 0; k < 2; k++) {
			CHECK(!vt_hash_digest(&h, "abc", 3, out));
			CHECK(hex_is(out, vt_algs[i].size, abc[i]));
		}
		vt_hash_free(&h);
	}
	CHECK(!vt_hash_init(&h, &vt_algs[VT_ALG_SHA256]));
	memset(pcr, 0, sizeof(pcr));
	CHECK(!vt_hash_digest(&h, "abc", 3, out));
	CHECK(!vt_hash_extend(&h, pcr, out));
	CHECK(hex_is(pcr, 32, "589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d"));
	vt_hash_free(&h);
	CHECK(!vt_hash_init(&h, &vt_algs[VT_ALG_SM3_256]));
	memset(pcr, 0, sizeof(pcr));
	CHECK(!vt_hash_digest(&h, "abc", 3, out));
	CHECK(!vt_hash_extend(&h, pcr, out));
	CHECK(hex_is(pcr, 32, "ee1ade12bac480c9bc7aff12f344bf9cdd92324fc83f7d79386f3c5426185506"));
	vt_hash_free(&h);
}

static void test_hex(void)
{
	uint8_t b[4];
	char h[9];

	CHECK(!vt_unhex(b, 4, "DEADbeef", 8));
	vt_hex(h, b, 4);
	CHECK(!strcmp(h, "deadbeef"));
	CHECK(vt_unhex(b, 4, "deadbee", 7));
	CHECK(vt_unhex(b, 4, "deadbeefaa", 10));
	CHECK(vt_unhex(b, 4, "deadbeeg", 8));
	CHECK(vt_all_bytes((const uint8_t *)"\0\0\0", 3, 0));
	CHECK(!vt_all_bytes((const uint8_t *)"\0\1\0", 3, 0));
	CHECK(vt_all_bytes(b, 0, 7));
}

static void test_path(void)
{
	char p[32];

	CHECK(!vt_path(p, sizeof(p), "/", "sys/x") && !strcmp(p, "/sys/x"));
	CHECK(!vt_path(p, sizeof(p), "/tmp/r/", "/sys/%d", 5) &&
	      !strcmp(p, "/tmp/r/sys/5"));
	CHECK(!vt_path(p, sizeof(p), "", "sys") && !strcmp(p, "/sys"));
	CHECK(vt_path(p, 8, "/tmp/root", "sys"));
	CHECK(vt_path(p, 12, "/tmp", "sys/kernel"));
}

static int start_ok(const char *s, struct vt_start *st)
{
	char why[160];

	return vt_start_parse((const uint8_t *)s, strlen(s), st, why,
			      sizeof(why));
}

static int start_err(const char *s, const char *want)
{
	struct vt_start st;
	char why[160];

	if (!vt_start_parse((const uint8_t *)s, strlen(s), &st, why,
			    sizeof(why)))
		return 0;
	return strstr(why, want) != NULL;
}

static void test_start_entry(void)
{
	struct vt_start st;
	char line[512];

	snprintf(line, sizeof(line),
		 "vtrust-start version=1 pcr=11 aggregate=sha256:%064x prior=sha1:%040x,sha256:%s",
		 7, 0, "AB00000000000000000000000000000000000000000000000000000000000001");
	CHECK(!start_ok(line, &st));
	CHECK(st.version == 1 && st.pcr == 11);
	CHECK(st.aggregate_alg == &vt_algs[VT_ALG_SHA256] &&
	      st.aggregate[31] == 7);
	CHECK(st.have_prior[VT_ALG_SHA1] && st.have_prior[VT_ALG_SHA256] &&
	      !st.have_prior[VT_ALG_SHA384]);
	CHECK(st.prior[VT_ALG_SHA256][0] == 0xab &&
	      st.prior[VT_ALG_SHA256][31] == 1);
	CHECK(!start_ok("vtrust-start version=1 pcr=10 aggregate=none prior=", &st));
	CHECK(!st.aggregate_alg && !st.have_prior[VT_ALG_SHA1]);
	/* unknown keys and algorithms are ignored; sm3 by either name */
	snprintf(line, sizeof(line),
		 "vtrust-start version=1 pcr=3 future=x prior=sha3_256:00,sm3:%064x",
		 1);
	CHECK(!start_ok(line, &st) && st.have_prior[VT_ALG_SM3_256]);
	CHECK(start_err("vtrust-start pcr=11", "no version="));
	/* version 2 adds keys; the parser keeps only the ones above */
	CHECK(!start_ok("vtrust-start version=2 pcr=12 aggregate=none prior= instance=00ff policy_digest=sha256:00 param.pcr=12 param.hash=sha256",
			&st) && st.version == 2 && st.pcr == 12);
	CHECK(start_err("vtrust-start version=3 pcr=11", "unsupported"));
	CHECK(start_err("vtrust-start version=1", "no pcr="));
	CHECK(start_err("vtrust-start version=1 pcr=24", "bad pcr="));
	CHECK(start_err("vtrust-start version=1 pcr=-1", "bad pcr="));
	CHECK(start_err("vtrust-start version=1 pcr=11 prior=sha1:00", "bad prior="));
	CHECK(start_err("vtrust-start version=1 pcr=11 prior=sha1", "bad prior="));
	CHECK(start_err("vtrust-start version=1 pcr=11 aggregate=sha1:zz", "bad aggregate="));
	CHECK(start_err("vtrust-begin version=1 pcr=11", "does not begin"));
	CHECK(start_err("", "empty"));
	CHECK(start_err("vtrust-start  version=1 pcr=11", "empty token"));
	CHECK(start_err("vtrust-start version=1 pcr=11 junk", "without '='"));
	snprintf(line, sizeof(line),
		 "vtrust-start version=1 pcr=11 prior=sha1:%040x,sha1:%040x",
		 0, 0);
	CHECK(start_err(line, "twice"));
}

static void test_pcr_text(void)
{
	static struct vt_pcr_table t;
	char why[160];
	const char *pcrread =
		"  sha1:\n"
		"    0 : 0x3A3F780F11A4B49969FCAA80CD6E3957C33B2275\n"
		"    11: 0x0000000000000000000000000000000000000001\n"
		"  sha256:\n"
		"    11: 0xAB00000000000000000000000000000000000000000000000000000000000002\n";
	const char *lines =
		"# bank pcr value\n"
		"sm3_256 23 0000000000000000000000000000000000000000000000000000000000000003\n"
		"\n"
		"sha384 4 0x" "000000000000000000000000000000000000000000000000"
		"000000000000000000000000000000000000000000000004  # c\n";

	CHECK(!vt_pcrs_parse_text(pcrread, strlen(pcrread), &t, why,
				  sizeof(why)));
	CHECK(t.have[VT_ALG_SHA1][0] && t.have[VT_ALG_SHA1][11] &&
	      !t.have[VT_ALG_SHA1][1]);
	CHECK(t.value[VT_ALG_SHA1][0][0] == 0x3a &&
	      t.value[VT_ALG_SHA1][11][19] == 1);
	CHECK(t.have[VT_ALG_SHA256][11] &&
	      t.value[VT_ALG_SHA256][11][0] == 0xab);
	CHECK(!vt_pcrs_parse_text(lines, strlen(lines), &t, why, sizeof(why)));
	CHECK(t.have[VT_ALG_SM3_256][23] &&
	      t.value[VT_ALG_SM3_256][23][31] == 3);
	CHECK(t.have[VT_ALG_SHA384][4] && t.value[VT_ALG_SHA384][4][47] == 4);
	CHECK(vt_pcrs_parse_text("11: 0x00\n", 9, &t, why, sizeof(why)) &&
	      strstr(why, "line 1") && strstr(why, "before any bank"));
	CHECK(vt_pcrs_parse_text("sha1:\n 24: 00\n", 14, &t, why,
				 sizeof(why)) && strstr(why, "line 2"));
	CHECK(vt_pcrs_parse_text("sha1:\n 1: 0x0011\n", 17, &t, why,
				 sizeof(why)) && strstr(why, "hex digits"));
	CHECK(vt_pcrs_parse_text("md5:\n", 5, &t, why, sizeof(why)) &&
	      strstr(why, "unknown bank"));
	CHECK(vt_pcrs_parse_text("a b c d e\n", 10, &t, why, sizeof(why)));
}

static void write_file(const char *path, const void *data, size_t len)
{
	char dir[PATH_MAX], cmd[PATH_MAX + 16];
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	if (system(cmd))
		abort();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

static void test_pcrs_sysfs(void)
{
	char root[256], path[PATH_MAX];
	struct vt_pcrs *p = NULL;
	uint8_t v[VT_DIGEST_MAX];
	const char *sha256 =
		"00000000000000000000000000000000000000000000000000000000000000AB\n";
	const char *sm3 =
		"ff00000000000000000000000000000000000000000000000000000000000000\n";

	snprintf(root, sizeof(root), "%s/sysfs", tmpdir);
	snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-sha256/11",
		 root);
	write_file(path, sha256, strlen(sha256));
	snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-sha256/12",
		 root);
	write_file(path, "xyz\n", 4);
	snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-sm3/0", root);
	write_file(path, sm3, strlen(sm3));

	CHECK(!vt_pcrs_open_sysfs(root, &p));
	if (!p)
		return;
	CHECK(vt_pcrs_has_bank(p, &vt_algs[VT_ALG_SHA256]));
	CHECK(vt_pcrs_has_bank(p, &vt_algs[VT_ALG_SM3_256]));
	CHECK(!vt_pcrs_has_bank(p, &vt_algs[VT_ALG_SHA1]));
	CHECK(!vt_pcrs_read(p, &vt_algs[VT_ALG_SHA256], 11, v) && v[31] == 0xab);
	CHECK(vt_pcrs_read(p, &vt_algs[VT_ALG_SHA256], 12, v) == -EBADMSG);
	CHECK(vt_pcrs_read(p, &vt_algs[VT_ALG_SHA256], 13, v) == -ENOENT);
	CHECK(vt_pcrs_read(p, &vt_algs[VT_ALG_SHA1], 0, v) == -ENOENT);
	CHECK(!vt_pcrs_read(p, &vt_algs[VT_ALG_SM3_256], 0, v) && v[0] == 0xff);
	vt_pcrs_close(p);

	/* no TPM */
	snprintf(root, sizeof(root), "%s/empty", tmpdir);
	mkdir(root, 0755);
	p = NULL;
	quiet(true);
	CHECK(vt_pcrs_open_sysfs(root, &p) == VT_EXIT_SYSTEM && !p);
	quiet(false);
}

static void test_pcrs_file(void)
{
	char path[PATH_MAX];
	struct vt_pcrs *p = NULL;
	uint8_t v[VT_DIGEST_MAX];
	const char *text = "sha1 10 0x00000000000000000000000000000000000000ff\n";

	snprintf(path, sizeof(path), "%s/pcrs.txt", tmpdir);
	write_file(path, text, strlen(text));
	CHECK(!vt_pcrs_open_file(path, &p));
	if (!p)
		return;
	CHECK(vt_pcrs_has_bank(p, &vt_algs[VT_ALG_SHA1]));
	CHECK(!vt_pcrs_has_bank(p, &vt_algs[VT_ALG_SHA256]));
	CHECK(!vt_pcrs_read(p, &vt_algs[VT_ALG_SHA1], 10, v) && v[19] == 0xff);
	CHECK(vt_pcrs_read(p, &vt_algs[VT_ALG_SHA1], 11, v) == -ENOENT);
	vt_pcrs_close(p);
	write_file(path, "garbage\n", 8);
	p = NULL;
	quiet(true);
	CHECK(vt_pcrs_open_file(path, &p) == VT_EXIT_USAGE && !p);
	snprintf(path, sizeof(path), "%s/nonexistent", tmpdir);
	CHECK(vt_pcrs_open_file(path, &p) == VT_EXIT_SYSTEM);
	quiet(false);
}

static void test_list_names(void)
{
	CHECK(vt_list_digest_alg("/sys/kernel/security/vtrust/binary_runtime_measurements") ==
	      &vt_algs[VT_ALG_SHA1]);
	CHECK(vt_list_digest_alg("binary_runtime_measurements_sha256") ==
	      &vt_algs[VT_ALG_SHA256]);
	CHECK(vt_list_digest_alg("/x/list_sha384") == &vt_algs[VT_ALG_SHA384]);
	CHECK(vt_list_digest_alg("a_sm3_256") == &vt_algs[VT_ALG_SM3_256]);
	CHECK(vt_list_digest_alg("a_sm3") == &vt_algs[VT_ALG_SM3_256]);
	CHECK(vt_list_digest_alg("/a_sha512/list") == &vt_algs[VT_ALG_SHA1]);
	CHECK(vt_list_digest_alg("foo_bar") == &vt_algs[VT_ALG_SHA1]);
	CHECK(vt_list_digest_alg("-") == &vt_algs[VT_ALG_SHA1]);
}

static void test_source_paths(void)
{
	char root[256], path[PATH_MAX], want[PATH_MAX];
	const struct vt_alg *a;

	snprintf(root, sizeof(root), "%s/src", tmpdir);
	CHECK(!vt_source_list(VT_SOURCE_VTRUST, root, &vt_algs[VT_ALG_SM3_256],
			      path, sizeof(path), &a));
	snprintf(want, sizeof(want),
		 "%s/sys/kernel/security/vtrust/binary_runtime_measurements_sm3_256",
		 root);
	CHECK(!strcmp(path, want) && a == &vt_algs[VT_ALG_SM3_256]);
	CHECK(!vt_source_list(VT_SOURCE_VTRUST, root, NULL, path, sizeof(path),
			      &a));
	CHECK(a == &vt_algs[VT_ALG_SHA1] && strstr(path, "measurements") &&
	      !strstr(path, "measurements_"));
	/* IMA without per-bank files: the default file, SHA-1 digests */
	CHECK(!vt_source_list(VT_SOURCE_IMA, root, &vt_algs[VT_ALG_SHA256],
			      path, sizeof(path), &a));
	snprintf(want, sizeof(want),
		 "%s/sys/kernel/security/ima/binary_runtime_measurements", root);
	CHECK(!strcmp(path, want) && a == &vt_algs[VT_ALG_SHA1]);
	/* with them (kernel names: sm3) */
	snprintf(want, sizeof(want),
		 "%s/sys/kernel/security/ima/binary_runtime_measurements_sm3",
		 root);
	write_file(want, "", 0);
	CHECK(!vt_source_list(VT_SOURCE_IMA, root, &vt_algs[VT_ALG_SM3_256],
			      path, sizeof(path), &a));
	CHECK(!strcmp(path, want) && a == &vt_algs[VT_ALG_SM3_256]);
	CHECK(vt_source_list(VT_SOURCE_IMA, "/very/long/root/that/does/not/fit",
			     NULL, path, 20, &a));
}

/* A list of @n ima-ng entries and one with a big buf, built by hand. */
static size_t build_list(uint8_t *buf, unsigned int n, size_t bigbuf)
{
	size_t len = 0, dlen;
	unsigned int i;
	char name[32];

#define PUT32(v) do { uint32_t x_ = (v); buf[len] = x_; buf[len + 1] = x_ >> 8; \
		buf[len + 2] = x_ >> 16; buf[len + 3] = x_ >> 24; len += 4; } while (0)
	for (i = 0; i <= n; i++) {
		snprintf(name, sizeof(name), "/m/%u.ko", i);
		PUT32(10);
		memset(buf + len, i, 20);
		len += 20;
		PUT32(i == n ? 7 : 6);
		memcpy(buf + len, i == n ? "ima-buf" : "ima-ng", i == n ? 7 : 6);
		len += i == n ? 7 : 6;
		dlen = 4 + 8 + 20 + 4 + strlen(name) + 1 +
		       (i == n ? 4 + bigbuf : 0);
		PUT32(dlen);
		/* d-ng: "sha1:" NUL and a (fake, 22-byte) digest */
		PUT32(8 + 20);
		memcpy(buf + len, "sha1:", 6);
		memset(buf + len + 6, 0x5a, 22);
		len += 28;
		PUT32(strlen(name) + 1);
		memcpy(buf + len, name, strlen(name) + 1);
		len += strlen(name) + 1;
		if (i == n) {
			PUT32(bigbuf);
			memset(buf + len, 'B', bigbuf);
			len += bigbuf;
		}
	}
#undef PUT32
	return len;
}

struct count {
	unsigned long long n;
	uint64_t last_offset;
};

static int count_entry(const struct imalog_entry *e, void *ctx)
{
	struct count *c = ctx;

	c->n++;
	c->last_offset = e->offset;
	return 0;
}

static void test_list_reader(void)
{
	size_t big = 600 * 1024, len;
	uint8_t *buf = malloc(8 << 20);
	static struct imalog_entry e;
	struct imalog_error err;
	struct count want = { 0 };
	char path[PATH_MAX];
	struct vt_list l;
	unsigned long long n = 0;
	int pfd[2], ret, status;
	size_t k, off;
	pid_t pid;

	CHECK(buf);
	if (!buf)
		return;
	len = build_list(buf, 20000, big);
	CHECK(imalog_parse_buffer(buf, len, 20, count_entry, &want, &err) ==
	      20001);

	/* from a file, in chunks smaller than the list and than one entry */
	snprintf(path, sizeof(path), "%s/list", tmpdir);
	write_file(path, buf, len);
	CHECK(!vt_list_open(&l, path, 20));
	while ((ret = vt_list_next(&l, &e)) == 1) {
		if (n == want.n - 1)
			CHECK(e.buf && e.buf->len == big &&
			      e.offset == want.last_offset);
		n++;
	}
	CHECK(ret == 0 && n == want.n);
	vt_list_close(&l);

	/* from a pipe that hands out a few bytes at a time */
	CHECK(!pipe(pfd));
	pid = fork();
	if (!pid) {
		close(pfd[0]);
		for (off = 0; off < 200000 && off < len; off += k) {
			k = 1 + off % 13;
			if (write(pfd[1], buf + off, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	close(pfd[1]);
	memset(&l, 0, sizeof(l));
	CHECK(!vt_list_open(&l, "/dev/null", 20));
	close(l.fd);
	l.fd = pfd[0];
	n = 0;
	quiet(true);
	while ((ret = vt_list_next(&l, &e)) == 1)
		n++;
	/* the pipe ends inside an entry: an input error */
	CHECK(ret == -VT_EXIT_USAGE && n > 1000);
	vt_list_close(&l);
	waitpid(pid, &status, 0);

	/* truncated file, bad digest size, missing file */
	write_file(path, buf, len - 1);
	CHECK(!vt_list_open(&l, path, 20));
	n = 0;
	while ((ret = vt_list_next(&l, &e)) == 1)
		n++;
	CHECK(ret == -VT_EXIT_USAGE && n == want.n - 1);
	vt_list_close(&l);
	CHECK(vt_list_open(&l, path, 0) == VT_EXIT_USAGE);
	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	CHECK(vt_list_open(&l, path, 20) == VT_EXIT_SYSTEM);
	quiet(false);
	free(buf);
}

int main(void)
{
	char cmd[64];
	int ret;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	/* expected error messages go to stderr: keep the output readable */
	RUN(test_alg_names);
	RUN(test_digests);
	RUN(test_hex);
	RUN(test_path);
	RUN(test_start_entry);
	RUN(test_pcr_text);
	RUN(test_pcrs_sysfs);
	RUN(test_pcrs_file);
	RUN(test_list_names);
	RUN(test_source_paths);
	RUN(test_list_reader);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ret = system(cmd);
	(void)ret;
	DONE();
}
