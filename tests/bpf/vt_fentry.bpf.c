// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A harmless fentry program: vtrust measures it, and its digest covers the
 * attach type and target (security_kernel_module_request).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 vt_fentry_calls;

SEC("fentry/security_kernel_module_request")
int BPF_PROG(vt_fentry, char *kmod_name)
{
	__sync_fetch_and_add(&vt_fentry_calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
