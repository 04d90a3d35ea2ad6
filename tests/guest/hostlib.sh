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
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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

# host_api METHOD PATH [BODY]: the operator API's answer, as JSON
# {"status": CODE, "body": ANSWER}, on stdout (with $port, $token).
host_api() {
	python3 - "$port" "$token" "$@" <<'EOF'
import json, sys, urllib.error, urllib.request
port, token, method, path = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
req = urllib.request.Request('http://127.0.0.1:%s%s' % (port, path),
                             data=body, method=method)
req.add_header('Authorization', 'Bearer ' + token)
try:
    with urllib.request.urlopen(req, timeout=30) as r:
        print(json.dumps({'status': r.status, 'body': json.loads(r.read())}))
except urllib.error.HTTPError as e:
    print(json.dumps({'status': e.code, 'body': json.loads(e.read())}))
EOF
}

# host_accept ID VERSION REASON: the operator accepts every difference of
# instance ID's latest attestation; the service must answer with baseline
# version VERSION. Prints what was accepted; fails otherwise.
host_accept() {
	host_api POST "/v1/instances/$1/accept" \
		"{\"all\": true, \"reason\": \"$3\"}" > "$work/accept.json"
	python3 - "$work/accept.json" "$2" <<'EOF' || { cat "$work/accept.json"; fail "accept"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200 and r["body"]["baseline_version"] == int(sys.argv[2]), r
acc = r["body"]["accepted"]
pcrs = sorted({d["pcr"] for d in acc if d.get("pcr") is not None})
print("ok: accepted %d differences (%d of PCRs %s) into baseline version %s"
      % (len(acc), sum(d.get("pcr") is not None for d in acc), pcrs,
         sys.argv[2]))
EOF
}

# host_debs DIR CN: what the real-guest tests install from (--add DIR):
# build/deb's vtrust and vtrust-dkms packages, vtrust's default policy,
# and a new machine owner key for DKMS to sign with (mok.key, mok.der, its
# subject CN).
host_debs() {
	local p f
	mkdir -p "$1"
	for p in vtrust vtrust-dkms; do
		f=$(ls "$top"/build/deb/${p}_*.deb 2>/dev/null | head -n1)
		[ -n "$f" ] || fail "no build/deb/${p}_*.deb: make deb first"
		cp "$f" "$1/"
	done
	cp "$top/ima-policy/vtrust-default.policy" "$1/"
	openssl req -new -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$2/" \
		-keyout "$1/mok.key" -outform DER -out "$1/mok.der" \
		2> "$work/openssl.log" || fail "openssl req: $(cat "$work/openssl.log")"
}

# host_instance ID: the instance's verdict, its newest attestation's
# verdict and its number of attestations on one line, then that
# attestation's differences, one per line (diff STAGE PCR KIND NAME), as
# the operator API shows them.
host_instance() {
	host_api GET "/v1/instances/$1" > "$work/instance.json"
	python3 - "$work/instance.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r['status'] == 200, r
b = r['body']
a = b['attestations'][0]
print(b['verdict'], a['verdict'], len(b['attestations']))
for d in a.get('differences') or []:
    print('diff', d.get('stage'), d.get('pcr'), d.get('kind'), d.get('name'))
EOF
}
