#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fewer banks: the lists and the extends follow the TPM's allocation.
# vm-run-args: --banks sha1,sha256
# vm-run-args: --banks sha256
. /vtrust/tests/guest/lib.sh

banks=$(tpm_banks | tr '\n' ' ' | sed 's/ $//')
vt_load
expect_eq banks "$banks" "$(vt_status banks)"
for b in sha1 sha256 sha384 sha512; do
	if echo " $banks " | grep -q " $b "; then
		[ -e $VTFS/binary_runtime_measurements_$b ] || fail "no $b list"
	else
		[ ! -e $VTFS/binary_runtime_measurements_$b ] || fail "$b list without a $b bank"
	fi
done
# The default list always carries SHA-1 template digests.
[ -e $VTFS/binary_runtime_measurements ] || fail "no default list"
for i in $(seq 60 64); do
	run insmod $MODS/vtt_00$i.ko
done
vt_replay
evm_check
echo "PASS"
