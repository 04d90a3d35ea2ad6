// SPDX-License-Identifier: GPL-2.0
/*
 * eBPF: bpf_check() runs after the instructions are copied from user space
 * and before the verifier rewrites them, the JIT, or an ID or fd exist; a
 * refusal there frees the program on the loader's normal error path.
 */
#include <linux/module.h>
#include <linux/bpf.h>

#include "vtrust.h"
#include "compat.h"

/* eBPF: the instructions as submitted, before the verifier rewrites them. */
static int measure_bpf(const struct bpf_prog *prog)
{
	struct vtrust_event ev = {
		.func = VTRUST_BPF_CHECK,
		.buf = prog->insnsi,
		.len = prog->len * sizeof(struct bpf_insn),
	};
	char name[48 + BPF_OBJ_NAME_LEN];

	snprintf(name, sizeof(name), "bpf:%u:%s", prog->type,
		 prog->aux->name[0] ? prog->aux->name : "-");
	ev.name = vtrust_sanitize(name);
	return vtrust_measure(&ev);
}

/* The wrapper hooks.c redirects bpf_check() to. */
int vtrust_bpf_check(VTRUST_BPF_CHECK_PARAMS)
{
	int ret;

	vtrust_hook_enter();
	ret = measure_bpf(*prog);
	if (!ret)
		ret = vtrust_call(vtrust_orig_bpf_check)(VTRUST_BPF_CHECK_ARGS);
	vtrust_hook_leave();
	return ret;
}
