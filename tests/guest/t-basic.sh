#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vtrust with a 4-bank TPM: start entry, resident modules, 20 module loads
# through finit_module(2), repeats, and the replay against every bank.
# vm-run-args: --banks sha1,sha256,sha384,sha512
. /vtrust/tests/guest/lib.sh

for b in $(tpm_banks); do
	expect_eq "PCR 11 $b before vtrust, less its zeros" "" "$(pcr_value $b 11 | tr -d 0)"
done

vt_load
# Modules resident when vtrust started (its own init may load sha512).
residents=$(awk '$5 == "Live" && $1 != "vtrust" { print "resident:" $1 }' /proc/modules | sort)
nres=$(echo "$residents" | grep -c . || true)
expect_eq mode measure "$(vt_status mode)"
expect_eq banks "sha1 sha256 sha384 sha512" "$(vt_status banks)"
expect_eq pcr 11 "$(vt_status pcr)"

first=$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $3, $5 }')
expect_eq "first entry" "ima-buf vtrust-start" "$first"
got=$(awk '$5 ~ /^resident:/ { print $5 }' $VTFS/ascii_runtime_measurements | sort)
expect_eq "resident entries" "$residents" "$got"

for i in $(seq 0 19); do
	run insmod $MODS/vtt_$(printf %04d $i).ko
done
expect_eq "entries after 20 loads" $((1 + nres + 20)) "$(vt_count)"
for i in $(seq 0 19); do
	f=$MODS/vtt_$(printf %04d $i).ko
	expect_eq "digest of $f" "$(sha256sum $f | cut -d' ' -f1)" \
		"$(entry_digest $f)"
done

# Every view lists the same entries.
for b in $(tpm_banks); do
	expect_eq "$b ascii view lines" "$(vt_count)" \
		"$(wc -l < $VTFS/ascii_runtime_measurements_$b)"
done

vt_replay
evm_check

# A repeat (same name, same digest) is neither logged nor extended.
before=$(pcr_value sha256 11)
run rmmod vtt_0003
run insmod $MODS/vtt_0003.ko
expect_eq "entries after a reload" $((1 + nres + 20)) "$(vt_count)"
expect_eq "repeats" 1 "$(vt_status repeats)"
expect_eq "PCR 11 after a repeat" "$before" "$(pcr_value sha256 11)"

# The same bytes under another path are a new event.
cp $MODS/vtt_0003.ko /tmp/vtt_0003.ko
run rmmod vtt_0003
run insmod /tmp/vtt_0003.ko
expect_eq "entries after a new path" $((1 + nres + 21)) "$(vt_count)"
vt_replay
evm_check
expect_eq extend_errors 0 "$(vt_status extend_errors)"
expect_eq measure_errors 0 "$(vt_status measure_errors)"

vt_unload
[ ! -e $VTFS ] || fail "$VTFS still exists after rmmod"
echo "PASS"
