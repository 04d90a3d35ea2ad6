#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# eBPF programs that could undo vtrust (review F3):
# a. a BPF LSM program on kernel_post_read_file that returns the size (a
#    positive value the kernel takes as success), loaded before vtrust,
#    cannot make a module load escape vtrust's measurement and appraisal;
# b. an fmod_ret program on security_kernel_load_data returning -EPERM,
#    loaded before vtrust, skips vtrust's wrapper on a kexec_load(2) but
#    cannot leak its in-flight count: rmmod vtrust still returns;
# c. once vtrust runs, loading either program is refused (EACCES, a
#    denied: entry, a dmesg line), whatever the policy.
# Both programs are listed when vtrust starts, the fmod_ret one as
# resident-bpf-unsafe.
# vm-run-args: --add tests/bpf --add /usr/sbin/kexec --add /boot/vmlinuz-6.1.0-56-amd64
. /vtrust/tests/guest/lib.sh

B=/extra/bpf
sha() { sha256sum "$1" | cut -d' ' -f1; }

# attach OBJ: load and attach OBJ's programs, held by a background bpfattach.
attach() {
	$B/bpfattach $B/$1.bpf.o --hold > /tmp/$1.out 2> /tmp/$1.err &
	for i in $(seq 50); do
		grep -q '^attached' /tmp/$1.out && return 0
		kill -0 $! 2> /dev/null || break
		sleep 0.2
	done
	cat /tmp/$1.out /tmp/$1.err
	return 1
}

grep -qw bpf /sys/kernel/security/lsm || skip "the BPF LSM is not active"
lsm=vt_lsm
if ! attach vt_lsm; then
	# 6.8 and later restrict BPF LSM return values to errors and 0.
	grep -q 'bpfattach: load: Invalid argument' /tmp/vt_lsm.err || fail "bpfattach vt_lsm"
	echo "this kernel's verifier refuses the positive LSM return value: no part a"
	lsm=
fi
attach vt_fmodret || fail "bpfattach vt_fmodret"

vt_load
# The fmod_ret program can skip vtrust's wrapper: listed as unsafe.
for p in ${lsm:+resident-bpf:29:vt_lsm_postread} resident-bpf-unsafe:26:vt_fmodret; do
	expect_eq "$p entries" 1 \
		"$(awk -v p="$p:" 'index($5, p) == 1' $VTFS/ascii_runtime_measurements | wc -l)"
done
dmesg | grep -q "eBPF program resident-bpf-unsafe:26:vt_fmodret:.* on security_kernel_load_data, loaded before vtrust, can skip" ||
	fail "no dmesg warning for the resident fmod_ret program"

# a. An unapproved module is measured and refused despite the LSM program.
if [ -n "$lsm" ]; then
	ok=$MODS/vtt_0120.ko
	bad=$MODS/vtt_0121.ko
	printf 'sha256:%s\n' "$(sha $ok)" > $VTFS/baseline
	printf 'measure\nappraise func=MODULE_CHECK appraise_type=baseline\n' > $VTFS/policy
	run /usr/local/sbin/insmod $ok
	expect_eq "$ok digest" "$(sha $ok)" "$(entry_digest $ok)"
	# kmod's insmod: finit_module(2) only (busybox's would retry with
	# init_module(2), which the fmod_ret program fails with EPERM).
	if /usr/local/sbin/insmod $bad 2> /tmp/err; then fail "insmod $bad succeeded under the LSM program"; fi
	grep -q '^vtt_0121 ' /proc/modules && fail "vtt_0121 is loaded"
	grep -q 'Permission denied' /tmp/err || { cat /tmp/err; fail "insmod $bad: not EACCES"; }
	expect_eq "denied:$bad digest" "$(sha $bad)" "$(entry_digest denied:$bad)"
	echo measure > $VTFS/policy
fi

# c. Loading either program now is refused, whatever the policy.
for p in ${lsm:+vt_lsm:29:vt_lsm_postread:bpf_lsm_kernel_post_read_file} \
	 vt_fmodret:26:vt_fmodret:security_kernel_load_data; do
	obj=${p%%:*}; rest=${p#*:}; type=${rest%%:*}; rest=${rest#*:}
	prog=${rest%%:*}; target=${rest#*:}
	if $B/bpfattach $B/$obj.bpf.o > /tmp/out 2> /tmp/err; then
		fail "$obj loaded while vtrust runs"
	fi
	cat /tmp/out /tmp/err
	grep -q 'load: Permission denied' /tmp/err || fail "$obj: not refused with EACCES"
	want=$(sed -n "s/^prog=$prog .* sha256=//p" /tmp/out)
	[ -n "$want" ] || want=$(sed -n "s/^prog=$prog .* sha256=//p" /tmp/$obj.out)
	expect_eq "denied:bpf:$type:$prog digest" "$want" "$(entry_digest denied:bpf:$type:$prog)"
	dmesg | grep -q "refused eBPF program bpf:$type:$prog on $target" ||
		fail "no dmesg line for the refused $obj"
done

# b. kexec_load(2) under the fmod_ret program fails with its -EPERM and
# skips vtrust's wrapper; rmmod must not wait for it forever.
if /extra/kexec -c -l /extra/vmlinuz-6.1.0-56-amd64 2> /tmp/err; then
	fail "kexec_load succeeded under the fmod_ret program"
fi
cat /tmp/err
# (Informational: 0 when the trampoline skipped vtrust's wrapper.)
echo "kexec_load:unverifiable entries: $(entry_count_named kexec_load:unverifiable)"
vt_replay
run timeout 30 rmmod vtrust || fail "rmmod vtrust did not return within 30 s"
grep -q '^vtrust ' /proc/modules && fail "vtrust is still loaded"
echo "PASS"
