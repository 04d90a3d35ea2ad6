// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpfattach: load and attach every program of a BPF object file with
 * libbpf, for vtrust's guest tests.
 *
 *   bpfattach OBJ [--hold]
 *
 * For each program, once loaded, prints one line:
 *
 *   prog=NAME type=T attach_type=A target=TARGET sha256=HEX
 *
 * where HEX is the SHA-256 of vtrust's image of the program (docs/FORMATS.md,
 * "eBPF digests"), computed here from what libbpf submitted: the program's
 * type, expected attach type and flags, its instructions as loaded
 * (bpf_program__insns() after the load: relocated, map fds in place) and the
 * attach target named by its section (lsm/X: bpf_lsm_X; fentry/X, fexit/X,
 * fmod_ret/X: X). Then it prints "attached" and, with --hold, waits until
 * it is killed; the programs stay attached while it runs.
 *
 * Exit status: 0 attached (or held, then killed); 1 open, load or attach
 * failed ("bpfattach: <step>: <errno text>"); 2 bad usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "../tools/bpfimage.h"

static const struct {
	const char *section;
	const char *prefix;
} targets[] = {
	{ "lsm/", "bpf_lsm_" },
	{ "lsm.s/", "bpf_lsm_" },
	{ "fentry/", "" },
	{ "fexit/", "" },
	{ "fmod_ret/", "" },
};

static void print_digest(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	char target[512] = "", hex[65];
	unsigned int i;
	uint8_t *img;
	size_t n, len;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		n = strlen(targets[i].section);
		if (!strncmp(sec, targets[i].section, n)) {
			snprintf(target, sizeof(target), "%s%s",
				 targets[i].prefix, sec + n);
			break;
		}
	}
	img = bpf_image(bpf_program__type(prog),
			bpf_program__expected_attach_type(prog),
			bpf_program__flags(prog), bpf_program__insns(prog),
			bpf_program__insn_cnt(prog), target, &len);
	if (!img) {
		fprintf(stderr, "bpfattach: out of memory\n");
		exit(1);
	}
	sha256_hex(img, len, hex);
	free(img);
	printf("prog=%s type=%u attach_type=%u target=%s sha256=%s\n",
	       bpf_program__name(prog), bpf_program__type(prog),
	       bpf_program__expected_attach_type(prog), target, hex);
}

static int failed(const char *step, int err)
{
	fprintf(stderr, "bpfattach: %s: %s\n", step, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	int hold = 0, err;

	if (argc == 3 && !strcmp(argv[2], "--hold"))
		hold = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: bpfattach OBJ [--hold]\n");
		return 2;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		return failed("open", errno);
	err = bpf_object__load(obj);
	if (err)
		return failed("load", -err);
	bpf_object__for_each_program(prog, obj) {
		print_digest(prog);
		if (!bpf_program__attach(prog))
			return failed("attach", errno);
	}
	printf("attached\n");
	fflush(stdout);
	while (hold)
		pause();
	bpf_object__close(obj);
	return 0;
}
