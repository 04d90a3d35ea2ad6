#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ima-policy/vtrust-*.policy through scripts/ima-policy-load --target vtrust:
#   - the checker refuses IMA-only rules and broken copies (exit 2, the
#     line), and the active policy stays as it was;
#   - vtrust-default.policy is the built-in policy rule for rule; loading
#     it logs a vtrust-policy entry with the file's digest; eBPF programs
#     (tests/tools/bpfload) are measured with the digest bpfload prints;
#   - the example baseline loads; vtrust-enforce.policy then lets modules
#     and firmware in the baseline load (finit_module(2), init_module(2),
#     direct firmware reads) and refuses the others (and a blob pushed
#     through the sysfs fallback loader) with EACCES and a denied: entry,
#     while eBPF is still measured, not refused;
#   - after sealing, the loader reports the kernel's refusal (exit 1).
# Skips (77) if vtrust.ko has no policy file.
# vm-run-args: --add scripts/ima-policy-load
. /vtrust/tests/guest/lib.sh

IPL=/extra/ima-policy-load
PDIR=$VT/ima-policy
FW=$VT/tests/modules/fw/vtfw.ko
BPFLOAD=$VT/tests/tools/bpfload
# kmod's insmod: one finit_module(2) per load. busybox's retries a refused
# finit_module(2) with init_module(2), which would log a second denial.
KINSMOD=/usr/local/sbin/insmod

[ -f $IPL ] || fail "$IPL is missing (vm-run-args: --add scripts/ima-policy-load," \
	"a path relative to the repo top: run run-all from there)"

# The rules of a policy file, as vtrust prints them (the files are written
# in normal form).
rules_of() {
	sed -e 's/^[ \t]*//' -e 's/[ \t]*$//' -e '/^#/d' -e '/^$/d' "$1"
}

sha256() {
	sha256sum "$1" | cut -d' ' -f1
}

# policy_entry FILE: the vtrust-policy entry for FILE's text is there.
policy_entry() {
	awk -v d="$(sha256 "$1")" '$5 == "vtrust-policy" && $4 == "sha256:" d' \
		$VTFS/ascii_runtime_measurements | grep -q . ||
		fail "no vtrust-policy entry with the digest of $1"
	echo "ok: vtrust-policy entry with the digest of $1"
}

# refused WHAT CMD...: CMD fails and vtrust logged denied:WHAT.
refused() {
	local what=$1
	shift
	echo "+ $* (expected to be refused)"
	! "$@" || fail "$* was not refused"
	[ "$(entry_count_named "denied:$what")" -ge 1 ] || fail "no denied:$what entry"
	echo "ok: refused, denied:$what logged"
}

vt_load
[ -e $VTFS/policy ] || skip "$VTFS/policy does not exist: this vtrust.ko has no policy interface"

# 1. The checker: IMA's policy and broken copies are refused for vtrust.
ipl 0 "" --check --target vtrust $PDIR/vtrust-default.policy
ipl 0 "" --check --target vtrust $PDIR/vtrust-enforce.policy
ipl 2 "is an IMA hook that vtrust does not have" --target vtrust $PDIR/runtime.policy
cat $VTFS/policy > /tmp/policy.before
sed 's/^\(appraise func=MODULE_CHECK\) appraise_type=baseline$/\1/' \
	$PDIR/vtrust-enforce.policy > /tmp/noappraisetype.policy
line=$(grep -n '^appraise func=MODULE_CHECK$' /tmp/noappraisetype.policy | cut -d: -f1)
ipl 2 "/tmp/noappraisetype.policy:$line: appraise needs appraise_type=baseline" \
	--target vtrust /tmp/noappraisetype.policy
sed 's/^measure func=KEY_CHECK$/measure func=KEY_CHECK fsmagic=0xef53/' \
	$PDIR/vtrust-default.policy > /tmp/keyfile.policy
line=$(grep -n 'fsmagic=0xef53' /tmp/keyfile.policy | cut -d: -f1)
ipl 2 "/tmp/keyfile.policy:$line: fsmagic= needs a file, and func=KEY_CHECK loads none" \
	--target vtrust /tmp/keyfile.policy
sed 's/^measure func=BPF_CHECK$/measure func=BPF_CHECK pcr=10/' \
	$PDIR/vtrust-default.policy > /tmp/pcr10.policy
line=$(grep -n 'pcr=10' /tmp/pcr10.policy | cut -d: -f1)
ipl 2 "/tmp/pcr10.policy:$line: pcr=10: vtrust refuses PCRs 0-7 (firmware), 10 (IMA) and 16-23 (resettable or not extendable at locality 0)" \
	--target vtrust /tmp/pcr10.policy
cmp -s /tmp/policy.before $VTFS/policy || fail "the active policy changed"
expect_eq "vtrust-policy entries" 0 "$(entry_count_named vtrust-policy)"

# 2. vtrust-default.policy: the built-in policy, written out.
expect_eq "built-in policy" "$(rules_of $PDIR/vtrust-default.policy)" "$(cat $VTFS/policy)"
ipl 0 "" --target vtrust $PDIR/vtrust-default.policy
expect_eq "active policy" "$(rules_of $PDIR/vtrust-default.policy)" "$(cat $VTFS/policy)"
policy_entry $PDIR/vtrust-default.policy
out=$($BPFLOAD --name t_imapolicy) || fail "bpfload"
echo "$out"
expect_eq "digest of bpf:1:t_imapolicy" "${out##*sha256=}" "$(entry_digest bpf:1:t_imapolicy)"

# 3. The example baseline, then the test's own digests; vtrust-enforce.policy.
n0=$(vt_status baseline)
run sh -c "cat $PDIR/vtrust-enforce.baseline.example > $VTFS/baseline"
expect_eq "baseline entries" $((n0 + $(grep -c '^[a-z0-9]*:' $PDIR/vtrust-enforce.baseline.example))) \
	"$(vt_status baseline)"
mkdir -p /lib/firmware
for f in good bad; do
	dd if=/dev/urandom of=/lib/firmware/t-imapolicy-$f.bin bs=512 count=1 2> /dev/null
done
for f in $MODS/vtt_0011.ko $FW /lib/firmware/t-imapolicy-good.bin; do
	echo "sha256:$(sha256 $f) $f"
done > /tmp/t.baseline
run sh -c "cat /tmp/t.baseline > $VTFS/baseline"
ipl 0 "" --target vtrust $PDIR/vtrust-enforce.policy
expect_eq "active policy" "$(rules_of $PDIR/vtrust-enforce.policy)" "$(cat $VTFS/policy)"
policy_entry $PDIR/vtrust-enforce.policy

# 4. Enforcement.
run $KINSMOD $MODS/vtt_0011.ko
expect_eq "digest of vtt_0011" "$(sha256 $MODS/vtt_0011.ko)" "$(entry_digest $MODS/vtt_0011.ko)"
run rmmod vtt_0011
run $VT/tests/tools/initmod $MODS/vtt_0011.ko
expect_eq "digest of init_module:vtt_0011" "$(sha256 $MODS/vtt_0011.ko)" \
	"$(entry_digest init_module:vtt_0011)"
run rmmod vtt_0011
refused $MODS/vtt_0012.ko $KINSMOD $MODS/vtt_0012.ko
refused init_module:vtt_0013 $VT/tests/tools/initmod $MODS/vtt_0013.ko
lsmod | grep -q '^vtt_001[23] ' && fail "a refused module is loaded"
run $KINSMOD $FW mode=direct name=t-imapolicy-good.bin
run rmmod vtfw
refused "$(readlink -f /lib/firmware/t-imapolicy-bad.bin)" \
	$KINSMOD $FW mode=direct name=t-imapolicy-bad.bin
# A blob pushed through the sysfs fallback loader: refused when it is
# written ("0" to loading fails with EACCES), and vtfw gets no firmware.
dd if=/dev/urandom of=/tmp/t-imapolicy-blob.bin bs=512 count=1 2> /dev/null
( rc=0; $KINSMOD $FW mode=sysfs name=t-imapolicy-sysfs.bin timeout=60 || rc=$?; echo $rc > /tmp/fwrc ) &
d=/sys/class/firmware/t-imapolicy-sysfs.bin
for _ in $(seq 100); do [ -e $d/loading ] && break; sleep 0.1; done
echo 1 > $d/loading
cat /tmp/t-imapolicy-blob.bin > $d/data
! sh -c "echo 0 > $d/loading" || fail "the refused blob's end of load did not fail"
wait
[ "$(cat /tmp/fwrc)" = 1 ] || fail "vtfw: exit $(cat /tmp/fwrc) after a refused sysfs blob, expected 1"
expect_eq "denied:firmware:blob digest" "$(sha256 /tmp/t-imapolicy-blob.bin)" \
	"$(entry_digest denied:firmware:blob)"
out=$($BPFLOAD --name t_enforced --insns 64) || fail "bpfload under vtrust-enforce.policy"
echo "$out"
expect_eq "digest of bpf:1:t_enforced" "${out##*sha256=}" "$(entry_digest bpf:1:t_enforced)"
vt_replay

# 5. Sealed: the loader reports the kernel's refusal.
run sh -c "echo seal > $VTFS/seal"
ipl 1 "the kernel refused the policy: Operation not permitted" \
	--target vtrust $PDIR/vtrust-default.policy
expect_eq "active policy after a refused write" \
	"$(rules_of $PDIR/vtrust-enforce.policy)" "$(cat $VTFS/policy)"
echo "PASS"
