// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An fmod_ret program on security_kernel_load_data that fails every call
 * with -EPERM. The BPF trampoline then skips the function it shares with
 * vtrust's ftrace redirection, vtrust's wrapper included (review F3).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

SEC("fmod_ret/security_kernel_load_data")
int BPF_PROG(vt_fmodret, int id, _Bool contents, int ret)
{
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
