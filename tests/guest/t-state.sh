#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# State changes (review F7): every policy and baseline write is logged, in
# order, before it takes effect, and never dropped as a repeat; a change
# that cannot be logged is refused; a write racing the seal either lands
# before the "vtrust-sealed" entry or is refused; the baseline takes only
# digests of vtrust's hash= algorithm, and with hash=sha1 no appraise rule
# is taken.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
# names: every entry's name, in list order.
names() { awk '{ print $5 }' $VTFS/ascii_runtime_measurements; }
# digests NAME: the d-ng digests of entries named NAME, in list order.
digests() {
	awk -v n="$1" '$5 == n { sub(/^[^:]*:/, "", $4); print $4 }' \
		$VTFS/ascii_runtime_measurements
}

# 0. With hash=sha1, appraise rules are refused (SHA-1 collisions).
vt_load hash=sha1
if printf 'appraise func=MODULE_CHECK appraise_type=baseline\n' > $VTFS/policy 2>/dev/null; then
	fail "an appraise rule was accepted with hash=sha1"
fi
dmesg | grep -q "appraise rules need hash= other than sha1" || fail "no dmesg line for the sha1 refusal"
expect_eq "vtrust-policy entries after the refusal" 0 "$(entry_count_named vtrust-policy)"
vt_unload

vt_load
# 1. Policy W, S, W: three entries; the last is W, which is active.
W='measure func=MODULE_CHECK
measure func=FIRMWARE_CHECK
'
S='measure func=MODULE_CHECK
'
printf '%s' "$W" > $VTFS/policy
printf '%s' "$S" > $VTFS/policy
printf '%s' "$W" > $VTFS/policy
expect_eq "vtrust-policy entries" "$(sha "$W") $(sha "$S") $(sha "$W")" \
	"$(digests vtrust-policy | tr '\n' ' ' | sed 's/ $//')"
expect_eq "active policy" "$(printf '%s' "$W")" "$(cat $VTFS/policy)"

# 2. Baseline writes are logged with the digest of what was written, the
# same write twice gives two entries, and "clear" is logged too.
B1=$(printf 'sha256:%s one\n' "$(sha256sum $MODS/vtt_0100.ko | cut -d' ' -f1)")
printf '%s\n' "$B1" > $VTFS/baseline
printf '%s\n' "$B1" > $VTFS/baseline
printf 'clear\n' > $VTFS/baseline
expect_eq "vtrust-baseline entries" \
	"$(sha "$B1
") $(sha "$B1
") $(sha 'clear
')" "$(digests vtrust-baseline | tr '\n' ' ' | sed 's/ $//')"
expect_eq "baseline after clear" "entries: 0" "$(cat $VTFS/baseline)"
# A baseline line of another algorithm could never match: refused.
if printf 'sha1:%040d\n' 0 > $VTFS/baseline 2>/dev/null; then
	fail "a sha1 line was accepted with hash=sha256"
fi
expect_eq "baseline after a sha1 line" "entries: 0" "$(cat $VTFS/baseline)"
vt_replay_here

# 3. A write racing the seal: a 4 MiB baseline write in the background,
# the seal in the foreground. Either the write was refused and changed
# nothing, or its entry comes before vtrust-sealed.
i=0
while [ $i -lt 60000 ]; do
	printf 'sha256:%064x\n' $i
	i=$((i + 1))
done > /tmp/big
wc -c < /tmp/big
before=$(names | grep -c '^vtrust-baseline$')
( dd if=/tmp/big of=$VTFS/baseline bs=4M 2>/dev/null && echo ok > /tmp/bg || echo refused > /tmp/bg ) &
bg=$!
sleep 0.2
run sh -c "echo seal > $VTFS/seal"
wait $bg || true
echo "background write: $(cat /tmp/bg)"
order=$(names | grep -nE '^(vtrust-baseline|vtrust-sealed)$' | tail -n2 | cut -d: -f2 | tr '\n' ' ')
case $(cat /tmp/bg) in
ok)
	expect_eq "baseline entries" "entries: 60000" "$(cat $VTFS/baseline)"
	expect_eq "entry order" "vtrust-baseline vtrust-sealed " "$order" ;;
refused)
	expect_eq "baseline entries" "entries: 0" "$(cat $VTFS/baseline)"
	expect_eq "vtrust-baseline entries after the refusal" "$before" \
		"$(names | grep -c '^vtrust-baseline$')" ;;
*) fail "background write: no result" ;;
esac
expect_eq sealed yes "$(vt_status sealed)"
vt_replay_here
echo "PASS"
