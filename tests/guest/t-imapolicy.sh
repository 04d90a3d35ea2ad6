#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ima-policy/runtime.policy in the guest's real IMA, loaded with
# scripts/ima-policy-load:
#   - broken copies (unknown func, duplicate keyword, ...) are refused with
#     exit 2 and the line, and nothing reaches IMA;
#   - a rule the kernel refuses is reported with its line and exit 1, and
#     IMA stays loadable;
#   - the policy loads (once: the policy file then goes away), and IMA
#     measures what it names, with the templates it chose: an executable on
#     tmpfs, a shared library, modules, firmware (direct and partial reads,
#     not the sysfs fallback), the builtin keys, and vtrust's entries
#     (CRITICAL_DATA); IMA's module and firmware entries have the same
#     template data as vtrust's; IMA's list replays against PCR 10.
# IMA takes one policy per boot: this test owns the boot's IMA policy.
# vm-run-args: --add scripts/ima-policy-load
. /vtrust/tests/guest/lib.sh

IMAFS=/sys/kernel/security/ima
IPL=/extra/ima-policy-load
POL=$VT/ima-policy/runtime.policy
FW=$VT/tests/modules/fw/vtfw.ko
# kmod's insmod: one finit_module(2) per load. busybox's retries a failed
# finit_module(2) with init_module(2), which runs a failing init twice.
KINSMOD=/usr/local/sbin/insmod

[ -f $IPL ] || fail "$IPL is missing (vm-run-args: --add scripts/ima-policy-load," \
	"a path relative to the repo top: run run-all from there)"
[ -e $IMAFS/policy ] || fail "$IMAFS/policy is missing: IMA already has a policy?"

# ima_lines NAME [TEMPLATE]: IMA's ascii entries for NAME.
ima_lines() {
	awk -v n="$1" -v t="${2:-}" '$5 == n && (t == "" || $3 == t)' \
		$IMAFS/ascii_runtime_measurements
}

# ima_field NAME TEMPLATE FIELD: one field of the single such entry.
ima_field() {
	local lines
	lines=$(ima_lines "$1" "$2")
	[ "$(echo "$lines" | grep -c .)" = 1 ] ||
		fail "not one IMA $2 entry named $1: '$lines'"
	echo "$lines" | awk -v f="$3" '{ print $f }'
}

sha256() {
	sha256sum "$1" | cut -d' ' -f1
}

policy_updates() {
	dmesg | grep -c 'ima: policy update' || true
}

# A copy of the policy with one sed edit, and the line it changed.
broken() {
	sed "$2" $POL > /tmp/$1.policy
	cmp -s $POL /tmp/$1.policy && fail "broken copy $1: the edit changed nothing"
	line=$(grep -n -- "$3" /tmp/$1.policy | head -n1 | cut -d: -f1)
	[ -n "$line" ] || fail "broken copy $1: no '$3' in it"
}

# 1. The checker.
ipl 0 "" --check $POL
for f in vtrust-default vtrust-enforce; do
	ipl 2 "is vtrust's, not an IMA hook" --check \
		$VT/ima-policy/$f.policy
done

# 2. Broken copies: exit 2, FILE:LINE: why, nothing written.
count0=$(cat $IMAFS/runtime_measurements_count)
broken badfunc 's/^measure func=BPRM_CHECK$/measure func=BPRM_CHEK/' BPRM_CHEK
ipl 2 "/tmp/badfunc.policy:$line: unknown func=BPRM_CHEK" /tmp/badfunc.policy
broken dupkey 's/^measure func=MMAP_CHECK mask=MAY_EXEC$/& mask=MAY_READ/' \
	mask=MAY_READ
ipl 2 "/tmp/dupkey.policy:$line: duplicate keyword mask" /tmp/dupkey.policy
broken badmagic 's/^dont_measure fsmagic=0x9fa0$/&g/' 0x9fa0g
ipl 2 "/tmp/badmagic.policy:$line: fsmagic=0x9fa0g: not a hex number" \
	/tmp/badmagic.policy
broken baduid 's/^measure func=BPRM_CHECK$/& uid=root/' uid=root
ipl 2 "/tmp/baduid.policy:$line: uid=root: not a decimal id" /tmp/baduid.policy
broken vtfunc 's/^measure func=POLICY_CHECK/measure func=BPF_CHECK/' BPF_CHECK
ipl 2 "/tmp/vtfunc.policy:$line: func=BPF_CHECK is vtrust's" /tmp/vtfunc.policy
broken template 's/^\(measure func=MODULE_CHECK\) \(template=ima-ng\)$/\2 \1/' \
	'^template=ima-ng measure'
ipl 2 "/tmp/template.policy:$line: template= needs the measure action before it" \
	/tmp/template.policy
[ -e $IMAFS/policy ] || fail "$IMAFS/policy went away: something was loaded"
expect_eq "IMA policy updates after refused copies" 0 "$(policy_updates)"

# 3. A rule the checker accepts and this kernel refuses (Debian has no
# CONFIG_IMA_APPRAISE_MODSIG): reported with its line; IMA discards the
# attempt and still takes a policy.
cp $POL /tmp/modsig.policy
echo 'appraise func=MODULE_CHECK appraise_type=imasig|modsig' >> /tmp/modsig.policy
line=$(wc -l < /tmp/modsig.policy)
ipl 1 "/tmp/modsig.policy:$line: the kernel refused this rule: Invalid argument" \
	/tmp/modsig.policy
dmesg | grep -q 'ima: policy update failed' || fail "IMA did not report the failed update"
[ -e $IMAFS/policy ] || fail "$IMAFS/policy went away after a refused policy"
expect_eq "IMA entries after refused policies" "$count0" \
	"$(cat $IMAFS/runtime_measurements_count)"

# 4. The policy itself, once.
ipl 0 "" $POL
dmesg | grep -q 'ima: policy update completed' || fail "IMA did not report the update"
[ ! -e $IMAFS/policy ] || fail "$IMAFS/policy is still there after a load"
ipl 1 "a policy was loaded already this boot" $POL

# 5. Keys of the builtin keyring, queued since boot, are measured now.
nkeys=$(ima_lines .builtin_trusted_keys ima-buf | wc -l)
[ "$nkeys" -ge 1 ] || fail "no IMA entry for .builtin_trusted_keys"
echo "ok: $nkeys key(s) of .builtin_trusted_keys measured (ima-buf)"

# 6. vtrust: its entries are mirrored into IMA's list.
vt_load
expect_eq "IMA's vtrust-start entries (ima-buf)" 1 \
	"$(ima_lines vtrust-start ima-buf | wc -l)"
expect_eq "IMA's entry for vtrust.ko (ima-ng)" "sha256:$(sha256 $VT/kernel/vtrust.ko)" \
	"$(ima_field $VT/kernel/vtrust.ko ima-ng 4)"

# 7. An executable on tmpfs, and the shared libraries of a dynamic one.
exe=/dev/shm/t-imapolicy-exe
cp $VT/tests/tools/asuser $exe
run $exe > /dev/null 2>&1 || true
expect_eq "IMA digest of $exe (ima-sig)" "sha256:$(sha256 $exe)" \
	"$(ima_field $exe ima-sig 4)"
run kmod --version > /dev/null
libc=$(awk '$3 == "ima-sig" && $5 ~ /\/libc\.so/ { print $5 }' \
	$IMAFS/ascii_runtime_measurements | head -n1)
[ -n "$libc" ] || fail "no IMA entry for libc after running kmod"
expect_eq "IMA digest of $libc" "sha256:$(sha256 $libc)" \
	"$(ima_field $libc ima-sig 4)"

# crosscheck NAME: IMA's ima-ng entry for NAME has vtrust's template data
# (same SHA-1 template digest), and IMA's mirror of vtrust's entry (ima-buf)
# has the digest of that template data.
crosscheck() {
	local vt
	vt=$(awk -v n="$1" '$5 == n { print $2, $3, $4 }' $VTFS/ascii_runtime_measurements)
	expect_eq "vtrust and IMA (ima-ng) entries for $1" "$vt" \
		"$(ima_lines "$1" ima-ng | awk '{ print $2, $3, $4 }')"
	vt=$(awk -v n="$1" '$5 == n { print "sha256:" $2 }' \
		$VTFS/ascii_runtime_measurements_sha256)
	expect_eq "IMA's mirror of vtrust's entry for $1" "$vt" \
		"$(ima_field "$1" ima-buf 4)"
}

# 8. A module.
mod=$MODS/vtt_0007.ko
run $KINSMOD $mod
expect_eq "IMA digest of $mod (ima-ng)" "sha256:$(sha256 $mod)" \
	"$(ima_field $mod ima-ng 4)"
crosscheck $mod

# 9. Firmware, through vtfw.ko: IMA measures direct and partial reads (the
# whole file), not what user space writes to the sysfs fallback loader.
[ -f $FW ] || fail "$FW is not built (make -C tests/modules/fw)"
mkdir -p /lib/firmware
for f in direct partial; do
	dd if=/dev/urandom of=/lib/firmware/t-imapolicy-$f.bin bs=1000 count=1 2> /dev/null
	run $KINSMOD $FW mode=$f name=t-imapolicy-$f.bin
	run rmmod vtfw
	path=$(readlink -f /lib/firmware/t-imapolicy-$f.bin)
	expect_eq "IMA digest of $path ($f)" \
		"sha256:$(sha256 $path)" "$(ima_field $path ima-ng 4)"
	crosscheck $path
done
dd if=/dev/urandom of=/tmp/t-imapolicy-sysfs.bin bs=1000 count=1 2> /dev/null
( rc=0; $KINSMOD $FW mode=sysfs name=t-imapolicy-sysfs.bin timeout=60 || rc=$?; echo $rc > /tmp/fwrc ) &
d=/sys/class/firmware/t-imapolicy-sysfs.bin
for _ in $(seq 100); do [ -e $d/loading ] && break; sleep 0.1; done
echo 1 > $d/loading
cat /tmp/t-imapolicy-sysfs.bin > $d/data
echo 0 > $d/loading
wait
expect_eq "vtfw sysfs load" 0 "$(cat /tmp/fwrc)"
run rmmod vtfw
sum=$(sha256 /tmp/t-imapolicy-sysfs.bin)
expect_eq "IMA entries with the sysfs blob's digest" 0 \
	"$(grep -c "sha256:$sum" $IMAFS/ascii_runtime_measurements || true)"
expect_eq "vtrust's firmware:blob digest" "$sum" "$(entry_digest firmware:blob)"

# 10. IMA's list against PCR 10 (evmctl), and vtrust's against its PCR.
args=""
for b in sha1 sha256; do
	[ -d /sys/class/tpm/tpm0/pcr-$b ] || continue
	for n in $(seq 0 23); do
		printf 'PCR-%02d: %s\n' $n "$(pcr_value $b $n)"
	done > /tmp/pcrs.$b
	args="$args --pcrs $b,/tmp/pcrs.$b"
done
echo "+ evmctl ima_measurement$args $IMAFS/binary_runtime_measurements"
evmctl ima_measurement -v $args $IMAFS/binary_runtime_measurements \
	> /tmp/evmctl.out 2>&1 || { tail -n 20 /tmp/evmctl.out; fail "evmctl ima_measurement"; }
grep -q 'Matched per TPM bank calculated digest' /tmp/evmctl.out ||
	{ tail -n 20 /tmp/evmctl.out; fail "evmctl: IMA's list does not match PCR 10"; }
echo "ok: IMA's list ($(cat $IMAFS/runtime_measurements_count) entries) matches PCR 10"
vt_replay
echo "PASS"
