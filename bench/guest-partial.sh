#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/run partial: the time of one partial firmware request
# (request_partial_firmware_into_buf() of 64 bytes, through vtfw.ko) for
# files of 4 KiB and 1, 4, 16 and 64 MiB on tmpfs, without and with vtrust.
# vtrust hashes the whole file on each partial request; the 4 KiB file
# gives the cost that does not depend on the size (loading vtfw.ko itself).
set -e
ROUNDS=${ROUNDS:-5}
FW=/vtrust/tests/modules/fw/vtfw.ko
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)
head -c 4096 /dev/urandom > $fwdir/vtb-0.bin
for m in 1 4 16 64; do
	head -c $((m * 1048576)) /dev/urandom > $fwdir/vtb-$m.bin
done
set -- vtb-0.bin vtb-1.bin vtb-4.bin vtb-16.bin vtb-64.bin
/vtrust/tests/tools/fwbench none $ROUNDS $FW "$@"
insmod /vtrust/kernel/vtrust.ko
/vtrust/tests/tools/fwbench vtrust $ROUNDS $FW "$@"
grep -c vtb- /sys/kernel/security/vtrust/ascii_runtime_measurements
rmmod vtrust
