#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# UEFI measured boot under OVMF: `vtrust replay` of the firmware's event log
# matches PCRs 0-9 in every bank and agrees with tpm2_eventlog's own replay
# and with the TPM; with an IMA policy measuring module loads and vtrust
# loaded, IMA's and vtrust's lists match PCRs 10 and 11; and 100 of 100
# replays succeed while a loop keeps loading modules.
# vm-run-args: --firmware uefi --banks sha1,sha256,sha384,sha512 --timeout 600
. /vtrust/tests/guest/lib.sh

EVLOG=/sys/kernel/security/tpm0/binary_bios_measurements
[ -r $EVLOG ] || fail "no firmware event log $EVLOG"
$VTRUST replay --help > /dev/null 2>&1 || skip "vtrust replay is not there yet"
banks=$(tpm_banks | xargs)
expect_eq banks "sha1 sha256 sha384 sha512" "$banks"

# The TPM's PCRs 0-9, lowercase: "<bank> <pcr> <hex>".
for b in $banks; do
	for n in 0 1 2 3 4 5 6 7 8 9; do
		echo "$b $n $(pcr_value $b $n | tr A-F a-f)"
	done
done > /tmp/tpm.pcrs

# 1. tpm2_eventlog's independent replay (the "pcrs:" block at the end). It
# leaves out PCRs without events, which must then be zero in the TPM.
run tpm2_eventlog $EVLOG > /tmp/tpm2_eventlog.out ||
	fail "tpm2_eventlog cannot parse the event log"
nev=$(grep -c '^- EventNum:' /tmp/tpm2_eventlog.out || true)
[ "$nev" -ge 20 ] || fail "only $nev events in the event log (OVMF logs ~25)"
echo "ok: $nev events in the event log"
awk '/^pcrs:/ { p = 1; next }
     p && /^  [a-z0-9_]+:$/ { b = $1; sub(":", "", b); next }
     p && /^    [0-9]+ *:/ { v = $NF; sub("^0x", "", v); print b, $1 + 0, tolower(v) }' \
	/tmp/tpm2_eventlog.out | awk '$2 <= 9' > /tmp/tpm2_eventlog.pcrs
[ -s /tmp/tpm2_eventlog.pcrs ] || fail "no computed PCRs in tpm2_eventlog's output"
compared=0
while read -r b n v; do
	c=$(awk -v b=$b -v n=$n '$1 == b && $2 == n { print $3 }' /tmp/tpm2_eventlog.pcrs)
	if [ -z "$c" ]; then
		[ -z "$(echo $v | tr -d 0)" ] ||
			fail "$b PCR $n: no events in tpm2_eventlog's replay, but the TPM has $v"
		continue
	fi
	[ "$c" = "$v" ] || fail "$b PCR $n: tpm2_eventlog computes $c, the TPM has $v"
	compared=$((compared + 1))
done < /tmp/tpm.pcrs
[ $compared -ge 32 ] || fail "tpm2_eventlog's replay covers only $compared PCRs"
echo "ok: tpm2_eventlog's replay = the TPM's PCRs 0-9 ($compared values; the rest are zero)"

# 2. vtrust's replay: exit 0, every bank's PCRs 0-9 compared and matched,
# and its computed values are the TPM's (and so tpm2_eventlog's).
run $VTRUST replay -v --source uefi > /tmp/replay.out 2>&1 ||
	{ cat /tmp/replay.out; fail "vtrust replay --source uefi"; }
cat /tmp/replay.out
for b in $banks; do
	for n in 0 1 2 3 4 5 6 7 8 9; do
		grep -qE "^$b +PCR +$n: match" /tmp/replay.out ||
			fail "vtrust replay: no match line for $b PCR $n"
	done
done
run $VTRUST replay --source uefi --json > /tmp/replay.json ||
	fail "vtrust replay --source uefi --json"
# One "key":value per line: the bank and pcr come before computed.
awk -F'"' '/"bank":/ { b = $4 } /"pcr":/ { n = $3; gsub(/[^0-9]/, "", n) }
	   /"computed":"/ { print b, n, tolower($4) }' /tmp/replay.json |
	awk '$2 <= 9' | sort > /tmp/vtrust.pcrs
expect_eq "vtrust's computed PCRs 0-9, every bank" \
	"$(sort /tmp/tpm.pcrs)" "$(cat /tmp/vtrust.pcrs)"
run $VTRUST log --source uefi > /tmp/log.out ||
	fail "vtrust log --source uefi"
expect_eq "events in vtrust log --source uefi" "$nev" \
	"$(grep -c '^#[0-9]' /tmp/log.out || true)"

# 3. IMA measuring module loads, and vtrust: both lists match their PCRs.
run sh -c "echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy" ||
	fail "cannot load the IMA policy"
vt_load
for i in 0000 0001 0002 0003 0004 0005 0006 0007 0008 0009; do
	run /usr/local/sbin/insmod $MODS/vtt_$i.ko
done
ima_mods=$(grep -c ' /vtrust/.*\.ko' /sys/kernel/security/ima/ascii_runtime_measurements || true)
expect_eq "module entries in IMA's list" 11 "$ima_mods"
run $VTRUST replay -v > /tmp/replay.out 2>&1 ||
	{ cat /tmp/replay.out; fail "vtrust replay (uefi, ima, vtrust)"; }
cat /tmp/replay.out
for b in $banks; do
	for n in 10 11; do
		grep -qE "^$b +PCR +$n: match" /tmp/replay.out ||
			fail "vtrust replay: no match line for $b PCR $n"
	done
done
# Independent: evmctl replays IMA's list into the sha1 and sha256 banks.
args=
for b in sha1 sha256; do
	for n in $(seq 0 23); do
		printf 'PCR-%02d: %s\n' $n "$(pcr_value $b $n)"
	done > /tmp/evm.$b
	args="$args --pcrs $b,/tmp/evm.$b"
done
# shellcheck disable=SC2086
evmctl ima_measurement -v $args /sys/kernel/security/ima/binary_runtime_measurements \
	> /tmp/evmctl.out 2>&1 || { cat /tmp/evmctl.out; fail "evmctl on IMA's list"; }
grep -q 'Matched per TPM bank calculated digest' /tmp/evmctl.out ||
	{ cat /tmp/evmctl.out; fail "evmctl: IMA's list does not match PCR 10"; }
echo "ok: evmctl matched IMA's list with PCR 10"
evm_check

# 4. 100 replays while a loop keeps loading new modules: vtt_0100 .. then
# fresh copies of vtt_0100 under new paths (new events for vtrust and IMA).
rm -f /tmp/stop
(
	i=100
	while [ ! -e /tmp/stop ]; do
		if [ $i -le 299 ]; then
			/usr/local/sbin/insmod $MODS/vtt_0$i.ko 2>/dev/null || true
		else
			cp $MODS/vtt_0100.ko /tmp/m$i.ko
			rmmod vtt_0100 2>/dev/null || true
			/usr/local/sbin/insmod /tmp/m$i.ko 2>/dev/null || true
			rm -f /tmp/m$i.ko
		fi
		i=$((i + 1))
	done
	echo $i > /tmp/loads
) &
loader=$!
before=$(vt_count)
ok=0
for k in $(seq 1 100); do
	if $VTRUST replay > /tmp/replay.$k 2>&1; then
		ok=$((ok + 1))
		rm -f /tmp/replay.$k
	else
		echo "replay $k failed:"
		cat /tmp/replay.$k
	fi
done
touch /tmp/stop
wait $loader
after=$(vt_count)
echo "vtrust entries during the replays: $before -> $after (loads: $(($(cat /tmp/loads) - 100)))"
[ $((after - before)) -ge 20 ] ||
	fail "the loader added only $((after - before)) entries during the replays"
expect_eq "replays that succeeded while modules loaded" 100 "$ok"
# Quiet again: everything matches in full.
vt_replay > /tmp/replay.out
expect_eq "IMA violations" 0 "$(cat /sys/kernel/security/ima/violations)"
echo "PASS"
