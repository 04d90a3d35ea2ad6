#!/bin/bash
# The quote/log race: 100 quotes taken while modules keep loading, each
# verified on the host. `vtrust quote` re-reads the PCRs until they hash to
# the quote's digest and reads the logs after the quote, so a list may run
# past the quoted state; verify-evidence must then use the prefix the PCRs
# vouch for. Every one of the 100 bundles must be valid (exit 0, replay
# passing), and the loads must really have overlapped the quotes: vtrust's
# list grew between at least half of the consecutive quotes. How many
# bundles caught a list ahead of the PCRs (read after the quote) is
# printed; it is a matter of timing (one in a hundred or so here).
#
# Guest: an IMA policy measuring module loads, vtrust.ko, an AK; a loader
# in the background inserts tests/modules/gen/vtt_*.ko one after another
# (each a new entry in IMA's list and vtrust's), paced so that it lasts
# as long as the quotes; the foreground takes 100 quotes with the host's
# nonces. The bundles go to the --state directory; the host verifies.
#
#   tests/guest/t-attest-race.sh        (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

QUOTES=100

guest() {
	local vt=/vtrust/userspace/vtrust out=/var/lib/vtrust/.t-race i
	local mods=/vtrust/tests/modules/gen
	echo 1 > /proc/sys/kernel/printk
	echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy ||
		{ echo "T-RACE: cannot load the IMA policy"; return 1; }
	/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko ||
		{ echo "T-RACE: cannot load vtrust.ko"; return 1; }
	$vt ak create --json > $out/ak.json || { echo "T-RACE: ak create"; return 1; }
	(
		for m in $mods/vtt_*.ko; do
			[ -e /tmp/stop ] && break
			/usr/local/sbin/insmod $m || echo "T-RACE: insmod $m failed"
			usleep 40000 2> /dev/null || sleep 0.04
		done
		echo "loader: done" > /tmp/loader.done
	) &
	i=1
	while [ $i -le $QUOTES ]; do
		$vt quote --nonce "$(sed -n ${i}p $out/nonces)" --out $out/$i.json \
			> /dev/null 2> $out/$i.err || echo "T-RACE: quote $i failed"
		i=$((i + 1))
	done
	touch /tmp/stop
	wait
	cat /sys/kernel/security/vtrust/runtime_measurements_count > $out/count
	[ -e /tmp/loader.done ] && cp /tmp/loader.done $out/
	echo done > $out/done
	sync
}

if [ "${1:-}" = guest ]; then
	guest
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-attest-race
[ -e "$top/kernel/vtrust.ko" ] && [ -e "$top/tests/modules/gen/vtt_0299.ko" ] ||
	fail "kernel/vtrust.ko or tests/modules/gen/*.ko is not built (make)"
command -v python3 > /dev/null || skip "no python3"

res=$work/state/.t-race
mkdir -p "$res"
for i in $(seq $QUOTES); do
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
	echo
done > "$res/nonces"

start=$SECONDS
rc=0
"$top/scripts/vm-run" --timeout 420 --state "$work/state" \
	-- "$0" guest > "$work/console" 2>&1 || rc=$?
say "guest: vm-run exit $rc, $((SECONDS - start))s"
grep 'T-RACE' "$work/console"
if [ $rc != 0 ] || [ ! -e "$res/done" ]; then
	tail -n 40 "$work/console"
	fail "the guest did not finish (vm-run exit $rc)"
fi
grep -q 'T-RACE' "$work/console" && fail "the guest reported errors"
python3 -c 'import base64, json, sys
open(sys.argv[2], "wb").write(base64.b64decode(
    json.load(open(sys.argv[1]))["tpm2b_public"]))' \
	"$res/ak.json" "$work/ak.tpm2b" || fail "no AK"

# Verify each bundle; the verdicts go to a summary that python3 checks.
start=$SECONDS
for i in $(seq $QUOTES); do
	[ -s "$res/$i.json" ] || fail "quote $i: no bundle ($(cat "$res/$i.err"))"
	rc=0
	"$VTRUST" verify-evidence "$res/$i.json" --ak "$work/ak.tpm2b" \
		--nonce "$(sed -n ${i}p "$res/nonces")" --json > "$work/v$i.json" || rc=$?
	echo "$i $rc" >> "$work/exits"
done
say "$QUOTES verifications: $((SECONDS - start))s"
python3 - "$work" "$QUOTES" <<'EOF' || fail "the race"
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
exits = dict(line.split() for line in open(os.path.join(work, 'exits')))
bad, ahead, sizes = [], 0, []
for i in range(1, n + 1):
    v = json.load(open(os.path.join(work, 'v%d.json' % i)))
    checks = {c['name']: c['result'] for c in v['checks']}
    if exits[str(i)] != '0' or v['result'] != 'valid' or \
       checks['replay'] != 'pass':
        bad.append((i, exits[str(i)], v['result'],
                    [c for c in v['checks'] if c['result'] == 'fail']))
        continue
    lists = {l['source']: l for l in v['replay']['lists']}
    sizes.append((lists['ima']['entries'], lists['vtrust']['entries']))
    # entries the logs had after the quoted state
    if any(l['verified_through'] + 1 < l['entries']
           for l in lists.values() if 'entries' in l):
        ahead += 1
grew = sum(b[1] > a[1] for a, b in zip(sizes, sizes[1:]))
for b in bad:
    print('bundle %d: exit %s, %s: %s' % b)
if sizes:
    print('%d of %d verifications valid; vtrust entries %d -> %d, more than '
          'the bundle before in %d; IMA entries %d -> %d; %d bundles with '
          'entries after the quoted state'
          % (n - len(bad), n, sizes[0][1], sizes[-1][1], grew, sizes[0][0],
             sizes[-1][0], ahead))
assert not bad, 'not every verification succeeded'
# the loads overlapped the quotes: between most two quotes, modules loaded
assert grew >= n // 2, 'modules loaded between only %d quotes' % grew
EOF
echo "ok: $QUOTES of $QUOTES verifications succeeded while modules loaded"
echo PASS
