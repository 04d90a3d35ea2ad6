#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The quote/log race: 100 quotes while modules keep loading, each verified
# on the host.  `vtrust quote` quotes, reads the PCRs until they give the
# quote's pcrDigest, then reads the logs, which may by then hold entries
# the quote does not cover; verify-evidence must replay each list up to
# the quoted state and leave the later entries out, every time.
#
#   host    1500 copies of the test module (tests/modules/vtt_XXXX.ko
#           without debug information, renamed vtr_0000 ... vtr_1499, so
#           each has its own name and digest) for the guest (--add)
#   guest   IMA measures module loads, vtrust.ko is loaded; `vtrust ak
#           create`; a loader in the background loads those modules one
#           after the other and unloads them five at a time (IMA and
#           vtrust log each load and extend PCRs 10 and 11) while `vtrust
#           quote --nonce Ni` runs 100 times, the nonces drawn on the host
#           and passed through the --state directory
#   host    verify-evidence (the AK from `ak show`, no baseline) gives all
#           100 bundles "valid", exit 0, with every check passing up to
#           replay (ek-certificate and baseline skipped); tpm2_checkquote
#           accepts every quote with its nonce and PCR values.  The loads
#           really overlapped the quotes: both lists grew by at least 100
#           entries from the first bundle to the last, and at least 2
#           bundles' lists hold entries past the quoted PCR values (the
#           replay's "partial" PCRs, with the entries it left out; 9 to
#           46 of them in the runs so far, with 800 to 1050 loads in the
#           30-odd seconds of quotes)
#
# One boot under SeaBIOS (the firmware's log does not matter here); about
# 50 seconds in all.
#
#   tests/guest/t-attest-race.sh        (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

readonly QUOTES=100
readonly MODULES=1500 BATCH=5

guest() {
	local vt=/vtrust/userspace/vtrust out=/var/lib/vtrust/.t-attest-race
	local i=0 nonce t0 t1
	echo 1 > /proc/sys/kernel/printk
	echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy ||
		{ echo "T-ATTEST-RACE: cannot load the IMA policy"; return 1; }
	/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko ||
		{ echo "T-ATTEST-RACE: cannot load vtrust.ko"; return 1; }
	$vt ak create > /dev/null 2> $out/akcreate.err ||
		{ cat $out/akcreate.err; return 1; }
	$vt ak show --json > $out/ak.json || return 1
	mkdir -p /tmp/b
	# The loader: busybox's insmod (no exec of a dynamically linked
	# program: the most loads per second under TCG), each module new, and
	# rmmod every $BATCH loads, until the quotes are done or the modules
	# are used up.
	(
		n=0 names=
		for f in /extra/mods/*.ko; do
			[ -e /tmp/stop ] && break
			m=${f##*/}
			m=${m%.ko}
			insmod $f || { echo "loader: insmod $m failed"; break; }
			n=$((n + 1))
			names="$names $m"
			[ $((n % BATCH)) = 0 ] || continue
			rmmod $names || { echo "loader: rmmod$names failed"; break; }
			names=
			echo $n > /tmp/loads
		done
		echo $n > /tmp/loads
		[ -z "$names" ] || rmmod $names || echo "loader: rmmod$names failed"
	) > /tmp/loader.err 2>&1 &
	t0=$(cut -d' ' -f1 /proc/uptime)
	while read -r nonce; do
		i=$((i + 1))
		$vt quote --nonce "$nonce" --out /tmp/b/$i.json \
			< /dev/null > /dev/null 2>> /tmp/quote.err
		echo "$i $?" >> /tmp/quote.rc
	done < $out/nonces
	t1=$(cut -d' ' -f1 /proc/uptime)
	touch /tmp/stop
	wait
	echo "$t0 $t1 $(cat /tmp/loads)" > $out/times
	mkdir -p $out/bundles
	cp /tmp/b/*.json $out/bundles/
	cp /tmp/quote.rc /tmp/quote.err /tmp/loader.err $out/
	echo finished > $out/done
	sync
}

if [ "${1:-}" = guest ]; then
	guest
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-attest-race

# The guest's kernel (run-all --kernel K sets VM_RUN_KERNEL), and the
# build of the test module for it ('make kernels' for the others).
rel=$("$top/scripts/default-kver" "${VM_RUN_KERNEL:-default}") || fail "no such kernel"
grep -qE '^CONFIG_9P_FS=[ym]' "/boot/config-$rel" 2>/dev/null ||
	skip "kernel $rel has no 9p file system (scripts/vm-run --state)"
ko_root=$top
[ "$rel" = "$("$top/scripts/default-kver")" ] || ko_root=$top/build/kernels/$rel
[ -x "$VTRUST" ] && [ -e "$ko_root/kernel/vtrust.ko" ] &&
	[ -e "$ko_root/tests/modules/vtt_XXXX.ko" ] ||
	fail "userspace/vtrust, ${ko_root#"$top"/}/kernel/vtrust.ko or" \
	     "${ko_root#"$top"/}/tests/modules/vtt_XXXX.ko is not built (make; make kernels)"
for cmd in tpm2_checkquote python3 perl strip; do
	command -v $cmd > /dev/null || skip "no $cmd on the host"
done

res=$work/state/.t-attest-race
h=$work/host
mkdir -p "$res" "$h/v" "$h/q"

for _ in $(seq $QUOTES); do
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
	echo
done > "$res/nonces"
[ "$(sort -u "$res/nonces" | wc -l)" = $QUOTES ] || fail "the nonces are not $QUOTES distinct ones"

# The modules: copies of the test module without its debug information
# (5 KB each), named vtr_0000 to vtr_NNNN the way tests/modules/Makefile
# names its copies (the placeholder name replaced in the .ko), each with
# its own name and so its own digest.
mkdir "$work/mods"
strip --strip-debug -o "$work/vtt_XXXX.ko" "$ko_root/tests/modules/vtt_XXXX.ko" ||
	fail "strip"
perl -0777 -e '
	my ($in, $dir, $n) = @ARGV;
	open(my $f, "<:raw", $in) or die "$in: $!";
	my $ko = <$f>;
	for my $i (0 .. $n - 1) {
		my $name = sprintf("vtr_%04d", $i);
		(my $copy = $ko) =~ s/vtt_XXXX/$name/g;
		open(my $o, ">:raw", "$dir/$name.ko") or die "$dir: $!";
		print $o $copy;
		close($o);
	}' "$work/vtt_XXXX.ko" "$work/mods" $MODULES || fail "cannot make the modules"

start=$SECONDS
"$top/scripts/vm-run" --timeout 500 --state "$work/state" --add "$work/mods" \
	-- "$top/tests/guest/t-attest-race.sh" guest > "$work/console" 2>&1
rc=$?
say "vm-run exit $rc, $((SECONDS - start))s"
if [ $rc != 0 ] || [ ! -e "$res/done" ]; then
	tail -n 30 "$work/console"
	fail "the guest failed (vm-run exit $rc)"
fi
read -r t0 t1 loads < "$res/times"
say "guest: $QUOTES quotes in $(awk "BEGIN { print $t1 - $t0 }")s while $loads modules loaded"
[ "$loads" -lt $MODULES ] ||
	say "note: the loader used up all $MODULES modules before the last quote"
[ ! -s "$res/loader.err" ] || { cat "$res/loader.err"; fail "the loader failed"; }
bad=$(awk '$2 != 0' "$res/quote.rc")
[ -z "$bad" ] && [ "$(wc -l < "$res/quote.rc")" = $QUOTES ] ||
	{ cat "$res/quote.rc" "$res/quote.err"; fail "vtrust quote failed: $bad"; }
echo "ok: vtrust quote: $QUOTES of $QUOTES exit 0"

python3 - "$res/ak.json" "$h/ak.tss" "$h/ak.pem" <<'EOF' || fail "no AK from ak show"
import base64, json, sys
ak = json.load(open(sys.argv[1]))
open(sys.argv[2], 'wb').write(base64.b64decode(ak['tpm2b_public']))
open(sys.argv[3], 'w').write(ak['public'])
EOF

# Every bundle through verify-evidence with its own nonce.
i=0
while read -r nonce; do
	i=$((i + 1))
	"$VTRUST" verify-evidence "$res/bundles/$i.json" --nonce "$nonce" \
		--ak "$h/ak.tss" --json > "$h/v/$i.json" 2> "$h/v/$i.err"
	echo $? > "$h/v/$i.rc"
done < "$res/nonces"

# The verdicts, and how the lists grew under the quotes.
python3 - "$h/v" "$QUOTES" <<'EOF' || fail "not every verdict is valid (above)"
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
bad, rows = [], []
for i in range(1, n + 1):
    v = json.load(open(os.path.join(d, '%d.json' % i)))
    rc = int(open(os.path.join(d, '%d.rc' % i)).read())
    st = {c['name']: c for c in v['checks']}
    wrong = [c for name, c in st.items() if c['result'] !=
             ('skipped' if name in ('ek-certificate', 'baseline') else 'pass')]
    if rc or v['exit'] or v['result'] != 'valid' or wrong or len(st) != 17:
        bad.append('bundle %d: exit %d, %s: %s' % (i, rc, v['result'], '; '.join(
            '%s %s (%s)' % (c['name'], c['result'], c['message']) for c in wrong)))
        continue
    lists = {l['source']: l.get('entries') for l in v['replay']['lists']}
    partial = [p for p in v['replay']['pcrs'] if p['status'] == 'partial']
    rows.append((i, lists['ima'], lists['vtrust'],
                 sorted({p['pcr'] for p in partial}),
                 max([p['left_out'] for p in partial] or [0])))
for b in bad:
    print(b)
if bad:
    sys.exit(1)
print('ok: verify-evidence: %d of %d bundles valid, exit 0, replay passing'
      % (len(rows), n))
first, last = rows[0], rows[-1]
grew = sum(1 for a, b in zip(rows, rows[1:]) if b[2] > a[2])
past = [r for r in rows if r[3]]
print('lists: IMA %d -> %d entries, vtrust %d -> %d; vtrust\'s grew between '
      '%d of %d pairs of consecutive bundles' % (first[1], last[1], first[2],
                                                 last[2], grew, n - 1))
print('bundles whose lists go past the quoted PCRs: %d (%s%s)' % (
    len(past), ', '.join('#%d PCR %s, %d left out' % (
        r[0], '+'.join(map(str, r[3])), r[4]) for r in past[:8]),
    ', ...' if len(past) > 8 else ''))
ok = True
if last[1] - first[1] < 100 or last[2] - first[2] < 100:
    print('FAIL: the lists grew by fewer than 100 entries during the quotes')
    ok = False
if len(past) < 2:
    print('FAIL: fewer than 2 bundles have entries past their quote: '
          'the loads hardly raced the quotes')
    ok = False
sys.exit(0 if ok else 1)
EOF

# tpm2_checkquote on every quote: the AK from ak show, the bundle's nonce
# and its PCR values for the selection the quote signed.
python3 - "$res/bundles" "$h/q" "$QUOTES" "$top/userspace/tests" <<'EOF' ||
import base64, json, os, struct, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from tpm2files import TPM_ALG, checkquote_pcrs
alg = {v: k for k, v in TPM_ALG.items()}
for i in range(1, n + 1):
    b = json.load(open(os.path.join(src, '%d.json' % i)))
    att = base64.b64decode(b['quote']['attest'])
    pos = 6
    for _ in range(2):
        pos += 2 + struct.unpack_from('>H', att, pos)[0]
    pos += 17 + 8
    count, = struct.unpack_from('>I', att, pos)
    pos += 4
    banks = []
    for _ in range(count):
        h, sz = struct.unpack_from('>HB', att, pos)
        pos += 3 + sz
        banks.append(alg[h])
    for name, data in (('attest', att),
                       ('sig', base64.b64decode(b['quote']['signature'])),
                       ('pcrs', checkquote_pcrs(b['pcrs'], banks))):
        open(os.path.join(dst, '%d.%s' % (i, name)), 'wb').write(data)
EOF
	fail "cannot make tpm2_checkquote's files"
i=0
while read -r nonce; do
	i=$((i + 1))
	tpm2_checkquote -u "$h/ak.pem" -m "$h/q/$i.attest" -s "$h/q/$i.sig" \
		-f "$h/q/$i.pcrs" -g sha256 -q "$nonce" > "$h/q/$i.out" 2>&1 ||
		{ cat "$h/q/$i.out"; fail "tpm2_checkquote refuses bundle $i"; }
done < "$res/nonces"
echo "ok: tpm2_checkquote accepts all $QUOTES quotes with their nonces and PCR values"
echo "PASS"
