#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Review F10, "modules still in COMING state at start": a module whose init
# is still running when vtrust loads (/proc/modules says "Loading") gets a
# resident: entry, the same one a later vtrust records once it is live.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

SLOW=$VT/tests/modules/slow/vtslow.ko
[ -f $SLOW ] || fail "$SLOW missing"

echo "+ insmod $SLOW wait_ms=15000 &"
insmod $SLOW wait_ms=15000 &
pid=$!
i=0
until grep -q '^vtslow .* Loading ' /proc/modules; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "vtslow not in Loading state after 10 s"
	sleep 0.1
done
grep '^vtslow ' /proc/modules
vt_load
state=$(awk '$1 == "vtslow" { print $5 }' /proc/modules)
expect_eq "vtslow still in its init after insmod vtrust" Loading "$state"
expect_eq "resident:vtslow entries" 1 "$(entry_count_named resident:vtslow)"
d=$(entry_digest resident:vtslow)
[ -n "$d" ] || fail "no digest for resident:vtslow"
run wait $pid || fail "insmod vtslow failed"
grep -q '^vtslow .* Live ' /proc/modules || fail "vtslow is not live"
vt_replay
vt_unload
# Once live, a new vtrust records it as before (the path main already had):
# the descriptor taken during init must be the same.
vt_load
expect_eq "resident:vtslow digest, recorded while COMING = while LIVE" "$d" \
	"$(entry_digest resident:vtslow)"
vt_unload
echo "PASS"
