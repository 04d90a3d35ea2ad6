#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# 4 loaders x 25 modules while a reader loops over every list: every load
# is measured once and the replay matches.
# vm-run-args: --smp 2
. /vtrust/tests/guest/lib.sh

vt_load
n0=$(vt_count)
loader() {
	for i in $(seq $1 $(($1 + 24))); do
		insmod $MODS/vtt_$(printf %04d $i).ko || echo "loader: vtt_$i failed"
	done
}
reader() {
	while [ ! -e /tmp/done ]; do
		for f in $VTFS/*_runtime_measurements*; do
			cat $f > /dev/null || echo "reader: $f failed"
		done
	done
}
reader > /tmp/reader.out 2>&1 &
rpid=$!
loader 100 > /tmp/l1.out 2>&1 &
p1=$!
loader 125 > /tmp/l2.out 2>&1 &
p2=$!
loader 150 > /tmp/l3.out 2>&1 &
p3=$!
loader 175 > /tmp/l4.out 2>&1 &
p4=$!
wait $p1 $p2 $p3 $p4
touch /tmp/done
wait $rpid
cat /tmp/l?.out /tmp/reader.out
[ ! -s /tmp/reader.out ] || fail "reader errors"
! grep -q failed /tmp/l?.out || fail "loader errors"

expect_eq "entries" $((n0 + 100)) "$(vt_count)"
for i in $(seq 100 199); do
	f=$MODS/vtt_$(printf %04d $i).ko
	[ "$(entry_count_named $f)" = 1 ] || fail "$f measured $(entry_count_named $f) times"
done
echo "ok: each of the 100 modules measured once"
vt_replay
evm_check
echo "PASS"
