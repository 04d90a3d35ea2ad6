// SPDX-License-Identifier: GPL-2.0-only
/*
 * eBPF programs.
 *
 * bpf_check() is the verifier. vtrust copies the instructions as submitted
 * before calling it (the verifier rewrites them in place) and logs or
 * appraises the program only if the verifier accepted it: a rejected program
 * leaves no entry. A refusal after a successful bpf_check() takes the same
 * error path in bpf_prog_load() as a failure of the JIT or of the ID
 * allocation, which frees the program, its maps and its trampoline.
 *
 * Image (docs/FORMATS.md, "eBPF digests"): what the digest covers, so that
 * the same instructions attached elsewhere give another digest:
 *
 *   le32 version (1), prog_type, expected_attach_type, prog_flags,
 *        insn_cnt, target_len
 *   insn_cnt * 8 bytes of instructions, in the kernel's byte order
 *   target_len bytes of the attach target's name, no NUL
 *
 * Programs that could undo vtrust are refused whatever the policy: fmod_ret
 * programs on a function vtrust hooks (they skip vtrust's wrapper), and BPF
 * LSM (or fmod_ret) programs on the bpf_lsm_kernel_* load hooks (on 6.1 a
 * positive return value makes a load succeed that no hook refused).
 */
#include <linux/module.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/mm.h>
#include <linux/idr.h>

#include "vtrust.h"
#include "compat.h"

#define VTRUST_BPF_IMAGE_VERSION 1
/* "bpf:" + tag + ":" + the target's BTF name (at most KSYM_NAME_LEN) */
#define VTRUST_BPF_TARGET_MAX (4 + 2 * BPF_TAG_SIZE + 1 + KSYM_NAME_LEN)

struct vtrust_bpf_header {
	__le32 version;
	__le32 prog_type;
	__le32 attach_type;
	__le32 prog_flags;
	__le32 insn_cnt;
	__le32 target_len;
};

/* LSM hooks whose return value decides a load vtrust measures. */
static const char *const load_lsm_hooks[] = {
	"bpf_lsm_kernel_read_file",
	"bpf_lsm_kernel_post_read_file",
	"bpf_lsm_kernel_load_data",
	"bpf_lsm_kernel_post_load_data",
};

static bool is_load_lsm_hook(const char *name)
{
	int i = match_string(load_lsm_hooks, ARRAY_SIZE(load_lsm_hooks), name);

	return i >= 0;
}

/*
 * Why @prog could undo vtrust, or NULL. Valid after bpf_check() only.
 * An fmod_ret program on a function vtrust hooks skips vtrust's wrapper
 * (and, returning a positive value, makes the load succeed unmeasured),
 * whether it came before vtrust or after. A BPF LSM program's return value
 * (or an fmod_ret program's on its bpf_lsm_* function) only matters once
 * vtrust's wrapper has let the load go ahead, but its load is refused all
 * the same: it has no use on these hooks but to override the kernel.
 */
static const char *undoes_vtrust(const struct bpf_prog *prog, bool resident)
{
	const char *target = prog->aux->attach_func_name;
	bool fmod_ret = prog->type == BPF_PROG_TYPE_TRACING &&
			prog->expected_attach_type == BPF_MODIFY_RETURN;

	if (!target || prog->aux->dst_prog)
		return NULL;
	if (fmod_ret && vtrust_hooks_cover(target))
		return "an fmod_ret program on a function vtrust hooks";
	if (resident || !is_load_lsm_hook(target))
		return NULL;
	if (prog->type == BPF_PROG_TYPE_LSM)
		return "a BPF LSM program on a load hook vtrust measures";
	if (fmod_ret)
		return "an fmod_ret program on a load hook vtrust measures";
	return NULL;
}

static u8 *image_alloc(const struct bpf_prog *prog, u32 prog_flags,
		       const struct bpf_insn *insns, size_t *len)
{
	struct vtrust_bpf_header hdr = {
		.version = cpu_to_le32(VTRUST_BPF_IMAGE_VERSION),
		.prog_type = cpu_to_le32(prog->type),
		.attach_type = cpu_to_le32(prog->expected_attach_type),
		.prog_flags = cpu_to_le32(prog_flags),
		.insn_cnt = cpu_to_le32(prog->len),
	};
	size_t insn_len = (size_t)prog->len * sizeof(struct bpf_insn);
	u8 *buf;

	buf = kvmalloc(sizeof(hdr) + insn_len + VTRUST_BPF_TARGET_MAX,
		       GFP_KERNEL);
	if (!buf)
		return NULL;
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), insns, insn_len);
	*len = sizeof(hdr) + insn_len;
	return buf;
}

/* Append the attach target's name and return the image's whole length. */
static size_t image_target(u8 *buf, size_t len, const struct bpf_prog *prog,
			   const u8 *dst_tag)
{
	struct vtrust_bpf_header *hdr = (struct vtrust_bpf_header *)buf;
	const char *name = prog->aux->attach_func_name ?: "";
	char *p = (char *)buf + len;
	size_t n = 0;

	if (dst_tag)
		n = scnprintf(p, VTRUST_BPF_TARGET_MAX,
			      "bpf:%*phN:", BPF_TAG_SIZE, dst_tag);
	n += scnprintf(p + n, VTRUST_BPF_TARGET_MAX - n, "%s", name);
	hdr->target_len = cpu_to_le32(n);
	return len + n;
}

/* @name ("bpf:<type>:<name>") for the program in @prog. */
static void prog_name(char *name, size_t size, const char *prefix,
		      const struct bpf_prog *prog)
{
	snprintf(name, size, "%sbpf:%u:%s", prefix, prog->type,
		 prog->aux->name[0] ? prog->aux->name : "-");
	vtrust_sanitize_size(name, size);
}

/* Refuse a program that could undo vtrust, whatever the policy. */
static int refuse(const struct bpf_prog *prog, const u8 *image, size_t len,
		  const char *why)
{
	char name[48 + BPF_OBJ_NAME_LEN];
	u8 digest[VTRUST_MAX_DIGEST_SIZE];

	atomic_long_inc(&vtrust.denied);
	prog_name(name, sizeof(name), "denied:", prog);
	pr_warn_ratelimited("refused eBPF program %s on %s: %s\n",
			    name + strlen("denied:"),
			    prog->aux->attach_func_name, why);
	if (!vtrust_hash(vtrust.content_alg, image, len, digest))
		vtrust_log_digest(name, digest, vtrust.pcr, 0);
	return -EACCES;
}

/* After a successful bpf_check(): refuse, appraise or measure @prog. */
static int measure_bpf(const struct bpf_prog *prog, u8 *image, size_t len,
		       const u8 *dst_tag)
{
	struct vtrust_event ev = { .func = VTRUST_BPF_CHECK, .buf = image };
	char name[48 + BPF_OBJ_NAME_LEN];
	const char *why;

	ev.len = image_target(image, len, prog, dst_tag);
	why = undoes_vtrust(prog, false);
	if (why)
		return refuse(prog, image, ev.len, why);
	prog_name(name, sizeof(name), "", prog);
	ev.name = name;
	return vtrust_measure(&ev);
}

/* The wrapper hooks.c redirects bpf_check() to. */
int vtrust_bpf_check(VTRUST_BPF_CHECK_PARAMS)
{
	u8 dst_tag[BPF_TAG_SIZE], *image;
	bool has_dst;
	size_t len;
	int ret;

	vtrust_hook_enter();
	/* Fail closed: a program vtrust cannot copy is not loaded. */
	image = image_alloc(*prog, attr->prog_flags, (*prog)->insnsi, &len);
	if (!image) {
		ret = -ENOMEM;
		goto out;
	}
	has_dst = (*prog)->aux->dst_prog;
	if (has_dst)
		memcpy(dst_tag, (*prog)->aux->dst_prog->tag, BPF_TAG_SIZE);
	ret = vtrust_call(vtrust_orig_bpf_check)(VTRUST_BPF_CHECK_ARGS);
	/* bpf_check() may have replaced *prog (it reallocates to patch). */
	if (!ret)
		ret = measure_bpf(*prog, image, len, has_dst ? dst_tag : NULL);
	kvfree(image);
out:
	vtrust_hook_leave();
	return ret;
}

/*
 * A program loaded before vtrust started: "resident-bpf:<type>:<name>:<tag>",
 * or "resident-bpf-unsafe:..." for one that can skip vtrust's wrappers
 * (vtrust cannot detach it: a verifier must treat the list as incomplete).
 * The image is built as above from what the kernel holds now: the
 * instructions after the verifier's rewrites (which embed kernel addresses
 * of maps, so the digest differs between boots), prog_flags 0 (the kernel
 * does not keep the flags it was given) and the attach target if the
 * program still has one. The tag, the kernel's own hash of the submitted
 * instructions with map references cleared (bpftool's "tag"), identifies
 * the program across boots.
 */
static int log_resident(const struct bpf_prog *prog)
{
	char name[64 + BPF_OBJ_NAME_LEN + 2 * BPF_TAG_SIZE];
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	const char *why;
	size_t len;
	u8 *image;
	int ret;

	image = image_alloc(prog, 0, prog->insnsi, &len);
	if (!image)
		return -ENOMEM;
	len = image_target(image, len, prog, NULL);
	ret = vtrust_hash(vtrust.content_alg, image, len, digest);
	kvfree(image);
	if (ret)
		return ret;
	why = undoes_vtrust(prog, true);
	snprintf(name, sizeof(name), "resident-bpf%s:%u:%s:%*phN",
		 why ? "-unsafe" : "", prog->type,
		 prog->aux->name[0] ? prog->aux->name : "-", BPF_TAG_SIZE,
		 prog->tag);
	vtrust_sanitize(name);
	if (why)
		pr_warn("eBPF program %s on %s, loaded before vtrust, can skip vtrust's measurement: %s\n",
			name, prog->aux->attach_func_name, why);
	return vtrust_log_digest(name, digest, vtrust.pcr, 0);
}

/*
 * Log every eBPF program the kernel holds. Called once the hooks are in,
 * so a program loaded meanwhile is logged by bpf_check() too, never by
 * neither. Each program is taken with a reference under the IDR's lock
 * (a spinlock: nothing there sleeps) and logged after it is dropped.
 */
int vtrust_bpf_residents(void)
{
	spinlock_t *lock = vtrust_sym_prog_idr_lock();
	struct idr *idr = vtrust_sym_prog_idr();
	struct bpf_prog *prog;
	int id = 0, ret = 0;

	while (!ret) {
		spin_lock_bh(lock);
		prog = idr_get_next(idr, &id);
		if (prog)
			prog = bpf_prog_inc_not_zero(prog);
		spin_unlock_bh(lock);
		if (!prog)
			break;
		if (!IS_ERR(prog)) {
			ret = log_resident(prog);
			bpf_prog_put(prog);
		}
		id++;
	}
	return ret;
}
