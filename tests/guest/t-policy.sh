#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The policy and baseline files: malformed writes are refused whole and
# change nothing, reads give the normal form, writers are serialized, and
# only root may read or write.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

vt_load
default=$(cat $VTFS/policy)
for f in MODULE_CHECK FIRMWARE_CHECK KEXEC_KERNEL_CHECK KEXEC_INITRAMFS_CHECK \
	POLICY_CHECK KEY_CHECK BPF_CHECK KEXEC_LOAD; do
	echo "$default" | grep -q "func=$f" || fail "default policy does not measure $f"
done

n=0
while IFS= read -r rule; do
	case "$rule" in '#'*|'') continue ;; esac
	n=$((n + 1))
	if printf '%s\n' "$rule" > $VTFS/policy 2>/dev/null; then
		fail "policy rule accepted: $rule"
	fi
done < $VT/tests/data/bad-policy-rules.txt
[ $n -ge 100 ] || fail "only $n malformed rules"
echo "ok: $n malformed rules refused"
expect_eq "policy after refused writes" "$default" "$(cat $VTFS/policy)"

# One bad line refuses the whole write; dmesg names the line and the token.
dmesg -c > /dev/null
if printf 'measure func=MODULE_CHECK\n\n# c\nmeasure func=BOGUS_CHECK\n' > $VTFS/policy 2>/dev/null; then
	fail "a write with one bad line was accepted"
fi
dmesg | grep "line 4" | grep -q "func=BOGUS_CHECK" || { dmesg | tail -3; fail "dmesg does not name line 4 and its token"; }
expect_eq "policy after a half-bad write" "$default" "$(cat $VTFS/policy)"

# A valid write replaces the policy; its normal form reads back and
# re-parses to itself.
printf '# modules by root, firmware anywhere\nmeasure   func=MODULE_CHECK uid=0\nmeasure func=FIRMWARE_CHECK pcr=12\n' > $VTFS/policy
normal=$(cat $VTFS/policy)
expect_eq "rules read back" 2 "$(echo "$normal" | wc -l)"
echo "$normal" > $VTFS/policy
expect_eq "normal form round trip" "$normal" "$(cat $VTFS/policy)"

# The policy decides: with only MODULE_CHECK for uid 0, a load by uid 0 is
# measured and eBPF is not.
n0=$(vt_count)
run insmod $MODS/vtt_0110.ko
expect_eq "entries after a measured load" $((n0 + 1)) "$(vt_count)"
run $VT/tests/tools/bpfload --name notmeasured > /dev/null
expect_eq "entries after an unmeasured bpf load" $((n0 + 1)) "$(vt_count)"

# No partial writes: a second write on the same open file is refused.
if { printf 'measure func=MODULE_CHECK\n'; printf 'measure func=KEY_CHECK\n'; } > $VTFS/policy 2>/dev/null; then
	fail "a second write on one open file was accepted"
fi
expect_eq "policy after a partial write" "measure func=MODULE_CHECK" "$(cat $VTFS/policy)"
# A size cap.
head -c 70000 /dev/zero | tr '\0' '#' > /tmp/big
if dd if=/tmp/big of=$VTFS/policy bs=70000 count=1 2>/dev/null; then
	fail "a 70000-byte policy write was accepted"
fi
expect_eq "policy after an oversized write" "measure func=MODULE_CHECK" "$(cat $VTFS/policy)"

# Two concurrent writers: the result is one policy or the other, whole.
A='measure func=MODULE_CHECK
measure func=FIRMWARE_CHECK'
B='measure func=BPF_CHECK
measure func=KEY_CHECK
measure func=KEXEC_LOAD'
writer() {
	for i in $(seq 50); do printf '%s\n' "$1" > $VTFS/policy || echo "writer: write failed"; done
}
writer "$A" > /tmp/wa.out 2>&1 &
pa=$!
writer "$B" > /tmp/wb.out 2>&1 &
pb=$!
for i in $(seq 50); do
	p=$(cat $VTFS/policy)
	[ "$p" = "$A" ] || [ "$p" = "$B" ] || fail "a reader saw a mixed policy: $p"
done
wait $pa $pb
[ ! -s /tmp/wa.out ] && [ ! -s /tmp/wb.out ] || fail "concurrent writes failed: $(cat /tmp/w?.out)"
p=$(cat $VTFS/policy)
[ "$p" = "$A" ] || [ "$p" = "$B" ] || fail "policy after concurrent writers: $p"
echo "ok: concurrent writers left one whole policy"

# Malformed baseline lines: each refused, the baseline stays empty.
n=0
while IFS= read -r line; do
	case "$line" in '#'*|'') continue ;; esac
	n=$((n + 1))
	if printf '%s\n' "$line" > $VTFS/baseline 2>/dev/null; then
		fail "baseline line accepted: $line"
	fi
done < $VT/tests/data/bad-baseline-lines.txt
[ $n -ge 45 ] || fail "only $n malformed baseline lines"
echo "ok: $n malformed baseline lines refused"
expect_eq "baseline after refused writes" "entries: 0" "$(cat $VTFS/baseline)"
good="sha256:$(sha256sum $MODS/vtt_0111.ko | cut -d' ' -f1) vtt_0111"
if printf '%s\nsha256:xyz\n' "$good" > $VTFS/baseline 2>/dev/null; then
	fail "a baseline write with one bad line was accepted"
fi
expect_eq "baseline after a half-bad write" "entries: 0" "$(cat $VTFS/baseline)"
printf '%s\n' "$good" > $VTFS/baseline
expect_eq "baseline after a good write" "entries: 1" "$(cat $VTFS/baseline)"

# Root only.
for f in policy baseline status seal update; do
	if $VT/tests/tools/asuser 65534 sh -c "echo measure > $VTFS/$f" 2>/dev/null; then
		fail "uid 65534 wrote $f"
	fi
done
for f in policy baseline status; do
	if $VT/tests/tools/asuser 65534 cat $VTFS/$f > /dev/null 2>&1; then
		fail "uid 65534 read $f"
	fi
done
echo "ok: uid 65534 can neither read nor write the control files"
vt_replay
echo "PASS"
