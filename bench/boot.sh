#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Time from power-on to the first verdict on the real Debian guest, with
# and without vtrust.ko (bench/run boot).
#
# One machine is installed the way tests/guest/t-debian-story.sh installs it
# (its boot 1: the packages with apt, DKMS, the initramfs, the agent
# enabled) and its disk copied: on the copy (with a TPM of its own), a
# boot removes the module (dkms remove, update-initramfs), so the copy
# boots with the same agent, the same IMA policy, and no vtrust.ko; its
# agent attests under another id. Then, after one boot of
# each to warm up (the first one enrols), boots alternate between the two,
# N of each (BOOT_RUNS, default 3). Each boot's time is from vm-run's start
# (swtpm, qemu: the firmware's power-on) until vtrustd, on the host, has
# recorded that boot's attestation (polled every 0.2 s through the operator
# API). Under TCG every figure is emulated time; the ratio is the result.
#
#   bench/boot.sh            (needs make deb; bench/run boot calls it)
#
# vm-run-args: --host
set -u

if [ "${1:-}" = guest ]; then
	# a timed boot: wait for the agent's verdict, then show what ran
	for _ in $(seq 600); do
		journalctl -b -u vtrust-agent -o cat | grep -q '^verdict:' && break
		sleep 0.5
	done
	journalctl -b -u vtrust-agent -o cat | grep '^verdict:' | sed 's/^/BOOT: /'
	if grep -q '^vtrust ' /proc/modules; then
		echo "BOOT: vtrust loaded"
	else
		echo "BOOT: vtrust not loaded"
	fi
	systemd-analyze 2>/dev/null | head -n1 | sed 's/^/BOOT: /'
	exit 0
elif [ "${1:-}" = remove ]; then
	# the copy: no vtrust.ko, and an instance of its own at the service
	# (its own id; its TPM, and with it its EK, is another)
	systemctl stop vtrust-agent
	dkms remove vtrust/"$(dpkg-query -W -f='${Version}' vtrust-dkms | sed 's/-[^-]*$//')" --all &&
		update-initramfs -u -k all && ! modinfo vtrust > /dev/null 2>&1 &&
		sed -i 's/^VTRUST_AGENT_ARGS="/VTRUST_AGENT_ARGS="--id vtrust-guest-without /' \
			/etc/default/vtrust-agent
	exit
fi

. "$(dirname "$0")/../tests/guest/hostlib.sh" bench-boot
runs=${BOOT_RUNS:-3}
story=$top/tests/guest/t-debian-story.sh
host_debs "$work/debs" "vtrust story MOK"

host_vtrustd "sqlite:$work/vtrustd.db"
token=$(host_token) && [ -n "$token" ] || fail "no operator token"
server=http://10.0.2.100:$port

# count MACHINE: the number of attestations vtrustd has of its instance.
count() {
	local id=vtrust-guest
	[ "$1" = with ] || id=vtrust-guest-without
	host_api GET /v1/instances/$id |
		python3 -c 'import json, sys
r = json.load(sys.stdin)
print(len(r["body"]["attestations"]) if r["status"] == 200 else 0)'
}

# run MACHINE NAME [vm-run args...]: one boot of MACHINE (with, without).
run() {
	local m=$1 name=$2
	shift 2
	"$top/scripts/vm-run" --image debian --disk "$work/$m.qcow2" \
		--tpm-state "$work/$m.tpm" --forward "$port" --smp 2 \
		--timeout 1500 "$@" > "$work/$name.console" 2>&1 ||
		{ tail -n 30 "$work/$name.console"; fail "boot $name failed"; }
}

# timed MACHINE NAME: one boot; its seconds to the attestation appended
# to $work/times as "MACHINE SECONDS".
timed() {
	local before t0 t pid
	before=$(count "$1")
	t0=$(date +%s%N)
	run "$1" "$2" -- "$0" guest &
	pid=$!
	t=''
	while kill -0 $pid 2>/dev/null; do
		if [ -z "$t" ] && [ "$(count "$1")" -gt "$before" ]; then
			t=$((($(date +%s%N) - t0) / 100000000))
		fi
		sleep 0.2
	done
	wait $pid || exit 1
	[ -n "$t" ] || fail "boot $2: no attestation reached vtrustd"
	grep '^BOOT:' "$work/$2.console" | sed "s/^BOOT:/    $2:/"
	echo "$1 $((t / 10)).$((t % 10))" >> "$work/times"
}

say "installing (one boot, about 5 minutes under TCG)"
run with install --add "$work/debs" -- "$story" guest install "$server"
cp "$work/with.qcow2" "$work/without.qcow2"
# The first boot of each enrols. The machine with vtrust first: the copy's
# agent, on the boot that removes the module, still has the same id (the
# host name) and is refused (another EK), then gets its own id.
say "warm-up boots"
timed with warm-with
run without remove -- "$0" remove
timed without warm-without
: > "$work/times"
for i in $(seq "$runs"); do
	timed with "with-$i"
	timed without "without-$i"
done
awk '
{ v[$1] = v[$1] " " $2; n[$1]++; s[$1] += $2 }
END {
	printf "%-8s %6s  %s\n", "vtrust", "mean s", "each boot (s)"
	printf "%-8s %6.1f %s\n", "with", s["with"] / n["with"], v["with"]
	printf "%-8s %6.1f %s\n", "without", s["without"] / n["without"], v["without"]
	printf "ratio with / without: %.2f\n", (s["with"] / n["with"]) / (s["without"] / n["without"])
}' "$work/times"
