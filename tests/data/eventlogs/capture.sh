#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Capture the reference event logs of this folder (see README.md).
#
# On the host (from the repo's top, after `make`):
#   tests/data/eventlogs/capture.sh [NAME...]    NAME: ovmf seabios ovmf-ima
# boots one guest per NAME through scripts/vm-run --state and replaces
# tests/data/eventlogs/NAME/ with what the guest wrote.
#
# In the guest (VM_RUN=1): capture.sh guest NAME writes NAME/ into
# /var/lib/vtrust (the --state directory).
set -eu

banks() {
	for d in /sys/class/tpm/tpm0/pcr-*; do echo "${d##*/pcr-}"; done
}

# pcrs FIRST LAST: "<bank> <pcr> <hex>" lines, lowercase, every bank.
pcrs() {
	for b in $(banks); do
		for i in $(seq "$1" "$2"); do
			echo "$b $i $(tr 'A-F' 'a-f' < /sys/class/tpm/tpm0/pcr-$b/$i)"
		done
	done
}

guest() {
	name=$1
	out=/var/lib/vtrust/$name
	rm -rf "$out"
	mkdir -p "$out"
	last=9
	if [ "$name" = ovmf-ima ]; then
		last=11
		# One write: this kernel has no CONFIG_IMA_WRITE_POLICY.
		policy='measure func=KEY_CHECK template=ima-buf
measure func=MODULE_CHECK template=ima-ng
measure func=FILE_CHECK mask=MAY_READ fsmagic=0x01021994 uid=0'
		printf '%s\n' "$policy" > "$out/ima-policy"
		printf '%s\n' "$policy" > /sys/kernel/security/ima/policy
		/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko
		for i in 0000 0001 0002 0003 0004; do
			/usr/local/sbin/insmod /vtrust/tests/modules/gen/vtt_$i.ko
		done
		echo "vtrust capture file one" > /tmp/file-one
		echo "vtrust capture file two" > /tmp/file-two
		cat /tmp/file-one /tmp/file-two > /dev/null
		mkdir "$out/ima" "$out/vtrust"
		for f in /sys/kernel/security/ima/*runtime_measurements*; do
			cat "$f" > "$out/ima/${f##*/}"
		done
		for f in /sys/kernel/security/vtrust/*runtime_measurements* \
			 /sys/kernel/security/vtrust/status; do
			cat "$f" > "$out/vtrust/${f##*/}"
		done
	fi
	# The PCRs right after the lists, from the same boot.
	pcrs 0 $last > "$out/pcrs"
	cat /sys/kernel/security/tpm0/binary_bios_measurements > "$out/binary_bios_measurements"
	tpm2_eventlog "$out/binary_bios_measurements" > "$out/tpm2_eventlog.txt"
	uname -r > "$out/kernel"
	sync
	ls -lR "$out"
}

host() {
	top=$(cd "$(dirname "$0")/../../.." && pwd)
	here=$top/tests/data/eventlogs
	state=$(mktemp -d)
	trap 'rm -rf "$state"' EXIT
	[ $# -gt 0 ] || set -- ovmf seabios ovmf-ima
	for name in "$@"; do
		case $name in
		ovmf|ovmf-ima) fw=uefi ;;
		seabios) fw=bios ;;
		*) echo "capture: unknown NAME '$name'" >&2; exit 2 ;;
		esac
		"$top/scripts/vm-run" --firmware $fw --state "$state" \
			--banks sha1,sha256,sha384,sha512 -- "$0" guest "$name"
		rm -rf "${here:?}/$name"
		cp -r "$state/$name" "$here/$name"
		chown -R "$(stat -c %u:%g "$here")" "$here/$name"
		chmod -R u+rwX,go+rX "$here/$name"
	done
}

if [ "${1:-}" = guest ]; then
	shift
	guest "$@"
else
	host "$@"
fi
