# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the host side of host tests (tests/guest/t-*.sh with
# "vm-run-args: --host", run by run-all on the host; they call
# scripts/vm-run themselves). Source it with the test's name:
#
#   . "$(dirname "$0")/hostlib.sh" t-name
#
# It sets top (the repo), VTRUST (its vtrust command) and work (a new
# directory, removed at exit unless VM_KEEP=1), exports VM_CACHE_DIR, and
# defines say, fail and skip. Exit codes: 0 pass, 1 fail, 77 skip.

HOST_TEST=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
VTRUST=$top/userspace/vtrust
say() { echo "$HOST_TEST: $*"; }
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ -x "$VTRUST" ] || fail "$VTRUST is not built (make)"
work=$(mktemp -d "${TMPDIR:-/tmp}/$HOST_TEST.XXXXXX") || fail "mktemp"
host_cleanup() {
	if [ "${VM_KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap host_cleanup EXIT
export VM_CACHE_DIR=${VM_CACHE_DIR:-$top/build/vm}

# host_snapshot FILE...: copy what vm-run puts into the guest (FILE... and
# the harness: vm-run, scripts/vm, tests/guest) to $work/repo, so that
# every boot of a test gets the same bytes, and with them the same PCR 9
# under UEFI, even if the tree is rebuilt meanwhile.
host_snapshot() {
	mkdir -p "$work/repo"
	(
		cd "$top" &&
		{
			printf '%s\n' "$@"
			find scripts/vm-run scripts/default-kver scripts/vm \
				tests/guest ! -type d 2>/dev/null
		} | sed 's@^\./@@' | sort -u | cpio -pdm --quiet "$work/repo"
	) || fail "cannot copy the repo's outputs"
}

# host_vtrustd DB: start vtrustd on DB, listening on a free port of
# 127.0.0.1 only (its log in $work/vtrustd.log), and wait until it
# answers; sets port and vtrustd_pid, and stops it at exit (with
# host_cleanup). host_token: a new operator token on stdout.
host_vtrustd() {
	host_vtrustd_db=$1
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$top/userspace/vtrustd" --db "$host_vtrustd_db" \
		--listen "127.0.0.1:$port" 2> "$work/vtrustd.log" &
	vtrustd_pid=$!
	trap 'kill "$vtrustd_pid" 2>/dev/null; wait "$vtrustd_pid" 2>/dev/null; host_cleanup' EXIT
	for _ in $(seq 50); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	fail "vtrustd did not start: $(tail -n 3 "$work/vtrustd.log")"
}
host_token() {
	"$top/userspace/vtrustd" --db "$host_vtrustd_db" token create ||
		fail "vtrustd token create"
}
