#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# No TPM: vtrust loads in log-only mode, measures, and says so.
# vm-run-args: --no-tpm
. /vtrust/tests/guest/lib.sh

[ ! -e /sys/class/tpm/tpm0 ] || fail "a TPM is present"
vt_load
dmesg | grep -q 'vtrust: no TPM: log-only mode' || fail "no log-only line in dmesg"
expect_eq tpm absent "$(vt_status tpm)"
expect_eq mode log-only "$(vt_status mode)"
expect_eq banks "" "$(vt_status banks)"
buf=$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }')
text=$(echo $buf | xxd -r -p)
expect_eq "start entry" \
	"vtrust-start version=2 pcr=11 aggregate=none prior= instance=$(vt_status instance) policy_digest=sha256:$(sha256sum < $VTFS/policy | cut -d' ' -f1) lockdown=$(vt_status lockdown)" \
	"${text%% param.*}"
n=$(vt_count)
for i in 70 71 72; do
	run insmod $MODS/vtt_00$i.ko
	expect_eq "digest vtt_00$i" "$(sha256sum $MODS/vtt_00$i.ko | cut -d' ' -f1)" \
		"$(entry_digest $MODS/vtt_00$i.ko)"
done
expect_eq entries $((n + 3)) "$(vt_count)"
# The SHA-1 template digests are still right: evmctl recomputes them.
evmctl ima_measurement -v $VTFS/binary_runtime_measurements > /tmp/evm.out 2>&1 || true
if grep -q 'Failed to verify template data digest' /tmp/evm.out; then
	cat /tmp/evm.out
	fail "evmctl: template digests do not verify"
fi
grep -q "vtt_0072" /tmp/evm.out || { cat /tmp/evm.out; fail "evmctl did not read the list"; }
vt_unload
echo "PASS"
