#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A slow TPM holds no lock that readers need (review F13): while one load
# waits in a PCR extend (faketpm holds it behind --extend-gate), the
# lists, the count, the status, the policy and the baseline can be read.
# vm-run-args: --no-tpm --add tests/faketpm/faketpm
. /vtrust/tests/guest/lib.sh

FAKETPM=/extra/faketpm
gate=/tmp/gate
run modprobe tpm_vtpm_proxy
dev=$($FAKETPM --banks sha256 --pidfile /tmp/ft.pid --extend-gate $gate) ||
	fail "faketpm did not start"
vt_load
count=$(vt_count)
touch $gate
insmod $MODS/vtt_0060.ko &
loader=$!
i=0
while [ ! -e $gate.waiting ] && [ $i -lt 500 ]; do sleep 0.1; i=$((i + 1)); done
[ -e $gate.waiting ] || fail "no extend reached the TPM"
# Readers go through while the extend is held. (The kernel gives up on
# a PCR_Extend after 750 ms, TPM2's medium duration: the loader must still
# be inside it when the reads are done.)
for f in ascii_runtime_measurements binary_runtime_measurements \
	runtime_measurements_count status policy baseline; do
	cat $VTFS/$f > /dev/null || fail "reading $f failed"
done
kill -0 $loader 2>/dev/null || fail "the load finished before the reads: nothing was shown"
echo "ok: every file read while a load waits in its extend"
rm -f $gate
wait $loader || fail "the held load failed"
grep -q '^vtt_0060 ' /proc/modules || fail "vtt_0060 is not live"
expect_eq "entries" $((count + 1)) "$(vt_count)"
echo PASS
