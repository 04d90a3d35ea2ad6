#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of userspace/tests/capture.py: print the firmware event log,
# IMA's list, vtrust's lists (after loading vtrust and three test modules)
# and every PCR of every bank on the console, as hex between markers.
# Run it with scripts/vm-run [--firmware uefi] [--banks ...].

dump() {	# NAME FILE
	[ -r "$2" ] || return 0
	echo "CAPTURE-FILE-BEGIN $1 $(wc -c < "$2") $(sha256sum "$2" | cut -d' ' -f1)"
	od -An -v -tx1 "$2"
	echo "CAPTURE-FILE-END $1"
}

echo "CAPTURE-KERNEL $(uname -r)"
if [ "$1" = vtrust ] && [ -r /vtrust/kernel/vtrust.ko ]; then
	insmod /vtrust/kernel/vtrust.ko || echo "CAPTURE-NOTE insmod vtrust failed"
	for m in 0000 0001 0002; do
		f=/vtrust/tests/modules/gen/vtt_$m.ko
		[ -r $f ] && insmod $f
	done
fi
# the PCRs first: every list can only be ahead of them
echo "CAPTURE-PCRS-BEGIN"
for d in /sys/class/tpm/tpm0/pcr-*; do
	b=${d##*/pcr-}
	for n in $(seq 0 23); do
		echo "$b $n $(cat $d/$n)"
	done
done
echo "CAPTURE-PCRS-END"
dump eventlog /sys/kernel/security/tpm0/binary_bios_measurements
dump ima /sys/kernel/security/ima/binary_runtime_measurements
for f in /sys/kernel/security/vtrust/binary_runtime_measurements*; do
	[ -r "$f" ] && dump "vtrust/${f##*/}" "$f"
done
exit 0
