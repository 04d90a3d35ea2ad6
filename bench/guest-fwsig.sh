#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/run fwsig: the time of one request_firmware() (vtfw.ko
# mode=direct) of files of 4 KiB, 1 MiB and 16 MiB on tmpfs, signed by
# "vtrust sign" (RSA-2048, SHA-256), without vtrust, with vtrust measuring
# firmware ("measure func=FIRMWARE_CHECK"), and with vtrust measuring and
# checking signatures (plus "appraise func=FIRMWARE_CHECK appraise_type=sig").
set -e
ROUNDS=${ROUNDS:-7}
FW=/vtrust/tests/modules/fw/vtfw.ko
VTFS=/sys/kernel/security/vtrust
export FWBENCH_MODE=direct
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)
cd /tmp
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench -keyout k.pem \
	-out c.pem 2>/dev/null
openssl x509 -in c.pem -outform DER -out c.der
head -c 4096 /dev/urandom > $fwdir/vts-0.bin
for m in 1 16; do
	head -c $((m * 1048576)) /dev/urandom > $fwdir/vts-$m.bin
done
set -- vts-0.bin vts-1.bin vts-16.bin
for f; do /vtrust/userspace/vtrust sign --key k.pem --cert c.pem $fwdir/$f > /dev/null; done
/vtrust/tests/tools/fwbench none $ROUNDS $FW "$@"
insmod /vtrust/kernel/vtrust.ko
keyctl padd asymmetric "" "$(awk '$1 == "keyring:" { print $2 }' $VTFS/status)" < c.der > /dev/null
printf 'measure func=FIRMWARE_CHECK\n' > $VTFS/policy
/vtrust/tests/tools/fwbench measure $ROUNDS $FW "$@"
printf 'measure func=FIRMWARE_CHECK\nappraise func=FIRMWARE_CHECK appraise_type=sig\n' > $VTFS/policy
/vtrust/tests/tools/fwbench sig $ROUNDS $FW "$@"
echo "denied: $(awk '$1 == "denied:" { print $2 }' $VTFS/status)"
grep -c ' ima-modsig ' $VTFS/ascii_runtime_measurements
rmmod vtrust
