// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpfload: load a minimal eBPF program with bpf(2) BPF_PROG_LOAD, for the
 * guest tests of vtrust's BPF_CHECK measurement.
 *
 *   bpfload [--name NAME] [--type TYPE] [--insns N] [--imm K]
 *           [--attach-type A] [--flags F] [--bad]
 *           [--license LIC] [--dump FILE] [--hold SEC] [--log]
 *
 * The program is "r0 = K; r0 += 0 (N - 2 times); exit": N instructions
 * (default 2, at most 1000000), K default 0. --bad makes the first
 * instruction "r0 += 0", which reads r0 before it is set: the verifier
 * rejects the program. TYPE is one of socket_filter (default), kprobe,
 * sched_cls, sched_act, tracepoint, xdp, cgroup_skb. A is the
 * expected_attach_type and F the prog_flags submitted (numbers, default 0).
 * NAME (at most 15 characters: letters, digits, '_' and '.') is the
 * program's name; none by default. LIC defaults to "GPL".
 *
 * On success prints one line:
 *
 *   fd=FD id=ID type=TYPE name=NAME insns=N tag=TAG resident=RES sha256=HEX
 *
 * (sha256= last, as the tests parse it) where TAG is the kernel's program
 * tag, HEX the SHA-256 of the program's
 * vtrust image as submitted (docs/FORMATS.md, "eBPF digests": a header of
 * six le32 fields, version 1, type, attach type, flags, N and target length
 * 0, then the N * 8 bytes of instructions), which --dump also writes to
 * FILE, and RES the SHA-256 of the image vtrust builds for a resident
 * program: flags 0 and the instructions the kernel holds, as
 * BPF_OBJ_GET_INFO_BY_FD returns them. Both are computed here from what
 * this program submits or reads back, not read from vtrust. --hold keeps
 * the program loaded (its fd open) for SEC seconds before exiting. --log
 * passes a verifier log buffer and prints the log if the load fails.
 *
 * Exit status: 0 loaded; 1 the load failed ("bpfload: <errno text>"); 2 bad
 * usage.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpfimage.h"

#define MAX_INSNS 1000000
#define LOG_SIZE (1 << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	enum bpf_prog_type type;
} prog_types[] = {
	{ "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER },
	{ "kprobe", BPF_PROG_TYPE_KPROBE },
	{ "sched_cls", BPF_PROG_TYPE_SCHED_CLS },
	{ "sched_act", BPF_PROG_TYPE_SCHED_ACT },
	{ "tracepoint", BPF_PROG_TYPE_TRACEPOINT },
	{ "xdp", BPF_PROG_TYPE_XDP },
	{ "cgroup_skb", BPF_PROG_TYPE_CGROUP_SKB },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfload [--name NAME] [--type TYPE] [--insns N] [--imm K]\n"
		"               [--attach-type A] [--flags F] [--bad]\n"
		"               [--license LIC] [--dump FILE] [--hold SEC] [--log]\n"
		"TYPE: socket_filter (default), kprobe, sched_cls, sched_act,\n"
		"      tracepoint, xdp, cgroup_skb\n");
}

static int bad_usage(const char *why, const char *arg)
{
	fprintf(stderr, "bpfload: %s: %s\n", why, arg);
	usage(stderr);
	return 2;
}

/* parse_uint ARG MAX: ARG as a decimal number in [0, MAX], or -1. */
static long parse_uint(const char *arg, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > max)
		return -1;
	return v;
}

static int name_ok(const char *name)
{
	const char *p;

	if (strlen(name) >= BPF_OBJ_NAME_LEN)
		return 0;
	for (p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '.')
			return 0;
	return 1;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static struct bpf_insn *make_prog(long n, int32_t imm, int bad)
{
	struct bpf_insn *insns;
	long i;

	insns = calloc(n, sizeof(*insns));
	if (!insns)
		return NULL;
	/* r0 = imm */
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[0].dst_reg = BPF_REG_0;
	insns[0].imm = imm;
	if (bad) /* r0 += imm: r0 is read before it is set */
		insns[0].code = BPF_ALU64 | BPF_ADD | BPF_K;
	/* r0 += 0 */
	for (i = 1; i < n - 1; i++) {
		insns[i].code = BPF_ALU64 | BPF_ADD | BPF_K;
		insns[i].dst_reg = BPF_REG_0;
	}
	insns[n - 1].code = BPF_JMP | BPF_EXIT;
	return insns;
}

static int dump(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "bpfload: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The image of the program @fd as the kernel holds it (vtrust's resident). */
static int held_image_hex(int fd, uint32_t type, uint32_t attach_type,
			  char *hex)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	struct bpf_insn *xlated;
	uint8_t *img;
	uint32_t n;
	size_t len;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
		return -1;
	n = info.xlated_prog_len / sizeof(*xlated);
	xlated = calloc(n ? n : 1, sizeof(*xlated));
	if (!xlated)
		return -1;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = n * sizeof(*xlated);
	info.xlated_prog_insns = (uintptr_t)xlated;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr)) {
		free(xlated);
		return -1;
	}
	img = bpf_image(type, attach_type, 0, xlated, n, "", &len);
	free(xlated);
	if (!img)
		return -1;
	sha256_hex(img, len, hex);
	free(img);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = "", *type = "socket_filter", *license = "GPL";
	const char *dump_path = NULL;
	long ninsns = 2, hold = 0, imm = 0, attach_type = 0, flags = 0;
	int want_log = 0, bad = 0, fd, i;
	size_t t, len;
	struct bpf_prog_info info;
	union bpf_attr attr;
	struct bpf_insn *insns;
	char hex[65], held[65];
	uint8_t *img;
	char *log = NULL;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(opt, "--log")) {
			want_log = 1;
			continue;
		}
		if (!strcmp(opt, "--bad")) {
			bad = 1;
			continue;
		}
		if (i + 1 >= argc)
			return bad_usage("unknown option or no argument", opt);
		if (!strcmp(opt, "--name"))
			name = argv[++i];
		else if (!strcmp(opt, "--type"))
			type = argv[++i];
		else if (!strcmp(opt, "--license"))
			license = argv[++i];
		else if (!strcmp(opt, "--dump"))
			dump_path = argv[++i];
		else if (!strcmp(opt, "--insns"))
			ninsns = parse_uint(argv[++i], MAX_INSNS);
		else if (!strcmp(opt, "--hold"))
			hold = parse_uint(argv[++i], 86400);
		else if (!strcmp(opt, "--imm"))
			imm = parse_uint(argv[++i], INT32_MAX);
		else if (!strcmp(opt, "--attach-type"))
			attach_type = parse_uint(argv[++i], 1000);
		else if (!strcmp(opt, "--flags"))
			flags = parse_uint(argv[++i], INT32_MAX);
		else
			return bad_usage("unknown option", opt);
		if (ninsns < 2 || hold < 0 || imm < 0 || attach_type < 0 ||
		    flags < 0)
			return bad_usage(opt, "number out of range");
	}
	if (!name_ok(name))
		return bad_usage("--name: at most 15 of [A-Za-z0-9_.]", name);
	for (t = 0; t < ARRAY_SIZE(prog_types); t++)
		if (!strcmp(type, prog_types[t].name))
			break;
	if (t == ARRAY_SIZE(prog_types))
		return bad_usage("--type: unknown program type", type);

	insns = make_prog(ninsns, (int32_t)imm, bad);
	if (want_log)
		log = calloc(1, LOG_SIZE);
	img = insns ? bpf_image(prog_types[t].type, attach_type, flags, insns,
				ninsns, "", &len) :
		      NULL;
	if (!img || (want_log && !log)) {
		fprintf(stderr, "bpfload: out of memory\n");
		return 1;
	}
	if (dump_path && dump(dump_path, img, len))
		return 1;
	sha256_hex(img, len, hex);

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog_types[t].type;
	attr.expected_attach_type = attach_type;
	attr.prog_flags = flags;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = ninsns;
	attr.license = (uintptr_t)license;
	strncpy(attr.prog_name, name, sizeof(attr.prog_name) - 1);
	if (log) {
		attr.log_buf = (uintptr_t)log;
		attr.log_size = LOG_SIZE;
		attr.log_level = 1;
	}
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		fprintf(stderr, "bpfload: %s\n", strerror(errno));
		if (log && *log)
			fprintf(stderr, "%s", log);
		return 1;
	}

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) ||
	    held_image_hex(fd, prog_types[t].type, attach_type, held)) {
		fprintf(stderr, "bpfload: BPF_OBJ_GET_INFO_BY_FD: %s\n",
			strerror(errno));
		return 1;
	}
	printf("fd=%d id=%u type=%s name=%s insns=%ld tag=", fd, info.id, type,
	       name, ninsns);
	for (i = 0; i < BPF_TAG_SIZE; i++)
		printf("%02x", info.tag[i]);
	printf(" resident=%s sha256=%s\n", held, hex);
	fflush(stdout);
	if (hold)
		sleep(hold);
	close(fd);
	free(insns);
	free(img);
	free(log);
	return 0;
}
