#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# IMA mirroring: with "measure func=CRITICAL_DATA label=vtrust" in IMA's
# policy, vtrust's events also appear in IMA's list.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

echo 'measure func=CRITICAL_DATA label=vtrust template=ima-buf' > /sys/kernel/security/ima/policy
vt_load
run insmod $MODS/vtt_0130.ko
IMA=/sys/kernel/security/ima/ascii_runtime_measurements
for name in vtrust-start $MODS/vtt_0130.ko; do
	grep -q " $name " $IMA || { cat $IMA; fail "$name is not in IMA's list"; }
	echo "ok: $name in IMA's list"
done
# The buffer IMA recorded is vtrust's template data: its hex holds the
# module's digest.
line=$(grep " $MODS/vtt_0130.ko " $IMA)
case "$line" in
*"$(sha256sum $MODS/vtt_0130.ko | cut -d' ' -f1)"*) echo "ok: IMA's buffer holds the module digest" ;;
*) fail "IMA's entry does not hold the module digest: $line" ;;
esac
$VTRUST replay --source ima > /tmp/r.out 2>&1 || { cat /tmp/r.out; fail "IMA's list does not replay"; }
vt_replay
echo "PASS"
