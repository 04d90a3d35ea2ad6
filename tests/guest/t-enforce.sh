#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Enforcement: with "appraise ... appraise_type=baseline", a module whose
# digest is not in the baseline is refused with EACCES through both load
# syscalls, the attempt is logged as denied:<name>, and a baseline module
# loads. kexec_load(2) is refused outright under an appraise rule.
# vm-run-args: --add /usr/sbin/kexec --add /boot/vmlinuz-6.1.0-56-amd64
. /vtrust/tests/guest/lib.sh

vt_load
ok=$MODS/vtt_0120.ko
bad=$MODS/vtt_0121.ko
printf 'sha256:%s %s\n' "$(sha256sum $ok | cut -d' ' -f1)" $ok > $VTFS/baseline
printf 'measure\nappraise func=MODULE_CHECK appraise_type=baseline\nappraise func=KEXEC_LOAD appraise_type=baseline\nappraise func=BPF_CHECK appraise_type=baseline\n' > $VTFS/policy

run insmod $ok
grep -q '^vtt_0120 ' /proc/modules || fail "baseline module not loaded"

if $VT/tests/tools/initmod $bad 2> /tmp/err; then fail "init_module of $bad succeeded"; fi
grep -q 'Permission denied' /tmp/err || { cat /tmp/err; fail "init_module: not EACCES"; }
if insmod $bad 2> /tmp/err; then fail "insmod $bad succeeded"; fi
grep -q '^vtt_0121 ' /proc/modules && fail "vtt_0121 is loaded"
echo "ok: $bad refused: $(cat /tmp/err)"
expect_eq "denied finit_module event" 1 "$(entry_count_named denied:$bad)"
expect_eq "denied init_module event" 1 "$(entry_count_named denied:init_module:vtt_0121)"
expect_eq "denied digest" "$(sha256sum $bad | cut -d' ' -f1)" "$(entry_digest denied:$bad)"
[ "$(entry_count_named $bad)" = 0 ] || fail "$bad logged as loaded"
# initmod, then busybox insmod: finit_module(2), then its init_module(2)
# fallback; the repeat is counted but not logged again.
expect_eq "denied count" 3 "$(vt_status denied)"

# kexec_load(2): nothing to check against the baseline, so refused.
if /extra/kexec -c -l /extra/vmlinuz-6.1.0-56-amd64 2> /tmp/err; then
	fail "kexec_load succeeded under an appraise rule"
fi
expect_eq "denied kexec_load event" 1 "$(entry_count_named denied:kexec_load:unverifiable)"

# eBPF: refused in bpf_check, after the verifier accepted it, and freed
# cleanly; the same program loads once its digest is in the baseline.
if $VT/tests/tools/bpfload --name refused > /tmp/out 2> /tmp/err; then fail "bpf load succeeded"; fi
grep -q 'Permission denied' /tmp/err || { cat /tmp/err; fail "bpf: not EACCES"; }
expect_eq "denied bpf event" 1 "$(entry_count_named denied:bpf:1:refused)"
printf 'sha256:%s\n' "$(entry_digest denied:bpf:1:refused)" > $VTFS/baseline
run $VT/tests/tools/bpfload --name refused

# Adding the digest to the baseline lets the module in.
printf 'sha256:%s\n' "$(sha256sum $bad | cut -d' ' -f1)" > $VTFS/baseline
run insmod $bad
grep -q '^vtt_0121 ' /proc/modules || fail "vtt_0121 not loaded after adding it to the baseline"
vt_replay
evm_check
echo "PASS"
