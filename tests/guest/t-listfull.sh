#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A bounded list (review F13): with list_max_kib=64, loads fill the list,
# then one "list-full" entry is logged and extended, later loads go ahead
# unlogged (counted), the replay still matches, state changes that cannot
# be logged are refused, and under enforcement further loads are refused.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

vt_load list_max_kib=64
expect_eq list_full no "$(vt_status list_full)"
mod() { printf '%s/vtt_%04d.ko' $MODS $1; }
i=0
while [ "$(vt_status list_full)" = no ] && [ $i -lt 290 ]; do
	insmod $(mod $i) || fail "insmod $(mod $i) before the list is full"
	i=$((i + 1))
done
expect_eq list_full yes "$(vt_status list_full)"
echo "list full after $i loads, $(vt_count) entries"
expect_eq "list-full entries" 1 "$(entry_count_named list-full)"
expect_eq "last entry" list-full "$(tail -n1 $VTFS/ascii_runtime_measurements | awk '{ print $5 }')"
count=$(vt_count)
run insmod $(mod $i)
grep -q "^$(printf vtt_%04d $i) " /proc/modules || fail "module $i is not live"
expect_eq "entries after a load into a full list" "$count" "$(vt_count)"
[ "$(vt_status unlogged)" -ge 1 ] || fail "unlogged not counted"
vt_replay
# A state change that cannot be logged is refused and changes nothing.
policy=$(cat $VTFS/policy)
if printf 'measure func=MODULE_CHECK\n' > $VTFS/policy 2>/dev/null; then
	fail "a policy write was accepted with a full list"
fi
expect_eq "policy after the refused write" "$policy" "$(cat $VTFS/policy)"
if printf 'sha256:%064d\n' 0 > $VTFS/baseline 2>/dev/null; then
	fail "a baseline write was accepted with a full list"
fi
expect_eq "baseline after the refused write" "entries: 0" "$(cat $VTFS/baseline)"
vt_unload

# Under enforcement, a full list refuses even a load in the baseline.
vt_load list_max_kib=64
for m in $MODS/vtt_0299.ko $VT/tests/modules/fw/vtfw.ko; do
	printf 'sha256:%s\n' "$(sha256sum $m | cut -d' ' -f1)"
done > $VTFS/baseline
printf 'measure func=MODULE_CHECK\nappraise func=MODULE_CHECK appraise_type=baseline\nmeasure func=FIRMWARE_CHECK\n' > $VTFS/policy
# fill the list with firmware loads (not appraised)
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)
i=0
while [ "$(vt_status list_full)" = no ] && [ $i -lt 400 ]; do
	head -c 64 /dev/urandom > $fwdir/vt-fill-$i.bin
	insmod $VT/tests/modules/fw/vtfw.ko name=vt-fill-$i.bin mode=direct || fail "firmware load $i"
	rmmod vtfw
	i=$((i + 1))
done
expect_eq list_full yes "$(vt_status list_full)"
if insmod $MODS/vtt_0299.ko 2>/dev/null; then fail "an appraised load went ahead with a full list"; fi
grep -q "^vtt_0299 " /proc/modules && fail "vtt_0299 is live"
dmesg | grep -q "refused .*vtt_0299.ko: the list is full" || fail "no dmesg line for the refusal"
vt_replay_reloaded
echo "PASS"
