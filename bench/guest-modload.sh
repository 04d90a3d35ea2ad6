#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/run modload: the added cost of a module load with
# vtrust, with IMA (measure func=MODULE_CHECK) and with neither, on 40
# distinct modules of the same size per setup, first loads and reloads.
# IMA's policy can be written once per boot, so IMA runs last.
set -e
MODS=/vtrust/tests/modules/gen
N=${N:-80}
ROUNDS=${ROUNDS:-4}
mods() {
	for i in $(seq $1 $(($1 + N - 1))); do echo $MODS/vtt_$(printf %04d $i).ko; done
}
unload() {
	for f in "$@"; do n=${f##*/}; rmmod ${n%.ko}; done
}
# Warm the page cache so every setup reads from memory.
cat $MODS/*.ko > /dev/null

set -- $(mods 0)
/vtrust/tests/tools/modbench none $ROUNDS "$@"
unload "$@"

insmod /vtrust/kernel/vtrust.ko
set -- $(mods 100)
/vtrust/tests/tools/modbench vtrust $ROUNDS "$@"
unload "$@"
rmmod vtrust

echo "measure func=MODULE_CHECK" > /sys/kernel/security/ima/policy
set -- $(mods 200)
/vtrust/tests/tools/modbench ima $ROUNDS "$@"
unload "$@"
grep -c vtt_ /sys/kernel/security/ima/ascii_runtime_measurements
