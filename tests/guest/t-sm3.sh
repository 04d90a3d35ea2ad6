#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hash=sm3 (vTCM guests): content digests are SM3, computed by vtrust's own
# SM3 (Debian's kernel has none), checked against OpenSSL's.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

openssl dgst -sm3 /dev/null > /dev/null 2>&1 || skip "openssl has no sm3"
sm3() { openssl dgst -sm3 -r "$1" | cut -d' ' -f1; }
vt_load hash=sm3
expect_eq hash sm3 "$(vt_status hash)"
for i in 0150 0151; do
	f=$MODS/vtt_$i.ko
	run insmod $f
	line=$(awk -v n=$f '$5 == n { print $4 }' $VTFS/ascii_runtime_measurements)
	expect_eq "d-ng of $f" "sm3:$(sm3 $f)" "$line"
done
run $VT/tests/tools/initmod $MODS/vtt_0152.ko
expect_eq "d-ng of init_module:vtt_0152" "sm3:$(sm3 $MODS/vtt_0152.ko)" \
	"$(awk '$5 == "init_module:vtt_0152" { print $4 }' $VTFS/ascii_runtime_measurements)"
# A 3 MB firmware file crosses the kernel's 1 MiB hashing steps.
mkdir -p /lib/firmware
fw=$(readlink -f /lib/firmware)/vtrust-big.bin
head -c 3000000 /dev/urandom > $fw
run insmod $VT/tests/modules/fw/vtfw.ko name=vtrust-big.bin mode=direct
expect_eq "d-ng of $fw" "sm3:$(sm3 $fw)" \
	"$(awk -v n=$fw '$5 == n { print $4 }' $VTFS/ascii_runtime_measurements)"
vt_replay
evm_check
echo "PASS"
