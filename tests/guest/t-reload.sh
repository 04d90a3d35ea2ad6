#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# 50 rmmod/insmod cycles of vtrust with a module load in each: the start
# entry records the PCR values before each load, and the replay from them
# matches every bank every time; from the second cycle on, it says that the
# history before vtrust started is unverifiable (no list explains prior=).
# vm-run-args: --timeout 900
. /vtrust/tests/guest/lib.sh

# 50 cycles, 2 s each under TCG: each starts from the PCR value the one
# before left, which is what is checked.
CYCLES=${CYCLES:-50}
for c in $(seq 1 $CYCLES); do
	prior=$(pcr_value sha256 11 | tr A-F a-f)
	insmod $VT/kernel/vtrust.ko || fail "cycle $c: insmod vtrust"
	buf=$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }')
	case "$buf" in
	*"$(hexstr "sha256:$prior")"*) ;;
	*) fail "cycle $c: start entry does not hold sha256 PCR 11 = $prior" ;;
	esac
	m=vtt_02$(printf %02d $((c % 100)))
	insmod $MODS/$m.ko || fail "cycle $c: insmod $m"
	if [ $c = 1 ]; then
		$VTRUST replay > /tmp/replay.out 2>&1 || { cat /tmp/replay.out; fail "cycle $c: replay"; }
	else
		vt_replay_reloaded
	fi
	rmmod $m || fail "cycle $c: rmmod $m"
	rmmod vtrust || fail "cycle $c: rmmod vtrust"
	[ $((c % 10)) -ne 0 ] || echo "ok: $c cycles"
done
echo "PASS"
