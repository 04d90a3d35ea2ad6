// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A BPF LSM program on kernel_post_read_file that turns a module read into
 * a success the kernel's own hook never decided: it returns the size, a
 * positive value, which kernel_read_file() takes as the byte count. Before
 * vtrust measured ahead of the kernel's hook, vtrust saw a non-zero return
 * and measured nothing (review F3).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define READING_MODULE 2 /* enum kernel_read_file_id */

struct file;

SEC("lsm/kernel_post_read_file")
int BPF_PROG(vt_lsm_postread, struct file *file, char *buf, long long size,
	     int id, int ret)
{
	if (ret)
		return ret;
	return id == READING_MODULE ? (int)size : 0;
}

char LICENSE[] SEC("license") = "GPL";
