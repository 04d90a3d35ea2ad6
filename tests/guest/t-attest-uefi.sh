#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Remote attestation, the honest path, in a UEFI guest whose swtpm has an
# EK certificate from swtpm's local CA (scripts/vm-run --firmware uefi
# --ek-cert DIR --tpm-state DIR --state DIR). Two boots of the same
# initrd (so PCRs 0-9 are the same), the verifier on the host:
#
#   boot 1 (guest)  vtrust ek show --json, ak create, ak show --json,
#                   quote --nonce N1
#   host            the EK certificate chains to DIR/ca.pem (openssl
#                   verify) and holds the EK; the AK's Name is recomputed;
#                   vtrust credential make and tpm2_makecredential -T none
#                   each make a credential for the EK and the AK's Name;
#                   verify-evidence --init on bundle 1 records the baseline
#                   (exit 4), every check passing, ek-certificate too
#   boot 2 (guest)  vtrust credential activate of both credentials, quote
#                   --nonce N2
#   host            both secrets came back; verify-evidence on bundle 2
#                   says trusted (exit 0) with every check passing;
#                   tpm2_checkquote accepts the same quote, signature, AK
#                   and PCR values; bundle 2 with N1 fails the nonce check
#                   only
#
# Each boot loads an IMA policy measuring module loads and vtrust.ko, so
# the bundles hold the UEFI, IMA and vtrust logs. The nonces and the
# credentials reach the guest through the --state directory (virtio-9p,
# not measured): the initrd is byte-identical in both boots. A host-side
# test: run-all runs it on the host (header below).
#
#   tests/guest/t-attest-uefi.sh        (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

guest() {
	local step vt=/vtrust/userspace/vtrust out=/var/lib/vtrust/.t-attest
	step=$(cat $out/step)
	echo 1 > /proc/sys/kernel/printk
	echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy ||
		{ echo "T-ATTEST: cannot load the IMA policy"; return 1; }
	/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko ||
		{ echo "T-ATTEST: cannot load vtrust.ko"; return 1; }
	# do NAME CMD...: run CMD, its output in $step.NAME (stderr in
	# $step.NAME.err), its status in $step.NAME.rc
	do_() {
		local name=$1
		shift
		echo "+ $*"
		"$@" > $out/$step.$name 2> $out/$step.$name.err
		echo $? > $out/$step.$name.rc
		cat $out/$step.$name.err
	}
	case $step in
	1)
		do_ ek $vt ek show --json
		do_ akcreate $vt ak create
		do_ ak $vt ak show --json
		do_ quote $vt quote --nonce "$(cat $out/nonce1)" --out $out/1.bundle.json ;;
	2)
		do_ secret-vt $vt credential activate $out/cred.vt
		do_ secret-tss $vt credential activate $out/cred.tss
		do_ quote $vt quote --nonce "$(cat $out/nonce2)" --out $out/2.bundle.json ;;
	esac
	echo "$step" > $out/$step.done
	sync
}

if [ "${1:-}" = guest ]; then
	guest
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-attest-uefi
[ -e "$top/kernel/vtrust.ko" ] || fail "kernel/vtrust.ko is not built (make)"
for t in tpm2_makecredential tpm2_checkquote openssl python3 swtpm_localca; do
	command -v $t > /dev/null || skip "no $t"
done

# A snapshot of what vm-run puts into the guest, and of vm-run itself:
# both boots get the same bytes (see t-baseline.sh).
mkdir "$work/repo" "$work/state" "$work/tpm" "$work/ekca"
host_snapshot kernel/vtrust.ko userspace/vtrust
res=$work/state/.t-attest
mkdir "$res"

# boot STEP: one boot that runs step STEP.
boot() {
	local step=$1 start rc
	echo "$step" > "$res/step"
	start=$SECONDS
	"$work/repo/scripts/vm-run" --firmware uefi --timeout 300 \
		--state "$work/state" --tpm-state "$work/tpm" --ek-cert "$work/ekca" \
		-- "$work/repo/tests/guest/t-attest-uefi.sh" guest > "$work/$step.console" 2>&1
	rc=$?
	say "boot $step: vm-run exit $rc, $((SECONDS - start))s"
	if [ $rc != 0 ] || [ ! -e "$res/$step.done" ]; then
		tail -n 40 "$work/$step.console"
		fail "boot $step: vm-run exited with $rc"
	fi
}

# expect_rc STEP NAME: the guest command NAME of boot STEP exited 0.
expect_ok() {
	if [ "$(cat "$res/$1.$2.rc")" != 0 ]; then
		cat "$res/$1.$2" "$res/$1.$2.err"
		fail "boot $1: $2 failed"
	fi
	echo "ok: boot $1: $2"
}

# json FILE KEY...: a string member of a JSON file (python3's parser).
json() {
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[k]
print(v if isinstance(v, str) else json.dumps(v), end="")' "$@"
}

# verify NAME BUNDLE NONCE [ARGS...]: vtrust verify-evidence --json, the
# verdict in $work/NAME.json and the exit status in vrc.
verify() {
	local name=$1 bundle=$2 nonce=$3
	shift 3
	vrc=0
	"$VTRUST" verify-evidence "$bundle" --nonce "$nonce" --ak "$work/ak.tpm2b" \
		--ek-ca "$work/ekca" --json "$@" > "$work/$name.json" || vrc=$?
}

# checks NAME: "check result" lines of a verdict.
checks() {
	python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    print(c["name"], c["result"])' "$work/$1.json"
}

n1=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
n2=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$n1" > "$res/nonce1"
echo "$n2" > "$res/nonce2"

# 1. The guest's EK, AK and first quote.
boot 1
for c in ek akcreate ak quote; do expect_ok 1 $c; done
json "$res/1.ek" public > "$work/ek.pem"
json "$res/1.ek" certificate > "$work/ek-cert.pem"
json "$res/1.ek" tpm2b_public | base64 -d > "$work/ek.pub"
openssl verify -CAfile "$work/ekca/ca.pem" -untrusted "$work/ekca/issuer.pem" \
	"$work/ek-cert.pem" || fail "the EK certificate does not chain to the swtpm CA"
echo "ok: openssl: the EK certificate chains to the swtpm CA"
[ "$(openssl x509 -in "$work/ek-cert.pem" -noout -pubkey)" = "$(cat "$work/ek.pem")" ] ||
	fail "the EK certificate's key is not the EK ek show printed"
echo "ok: the EK certificate holds the EK"
json "$res/1.ak" tpm2b_public | base64 -d > "$work/ak.tpm2b"
ak_name=$(json "$res/1.ak" name)
# Name = nameAlg || H(TPMT_PUBLIC), the TPMT_PUBLIC after the TPM2B's size
name=$(python3 -c 'import hashlib, sys
b = open(sys.argv[1], "rb").read()[2:]
alg = int.from_bytes(b[2:4], "big")
h = {0x0b: "sha256", 0x0c: "sha384", 0x0d: "sha512"}[alg]
print(b[2:4].hex() + hashlib.new(h, b).hexdigest())' "$work/ak.tpm2b")
[ "$name" = "$ak_name" ] || fail "the AK's Name is $ak_name, its public area's is $name"
echo "ok: the AK's Name is its public area's ($ak_name)"

# The credentials: vtrust's, from the EK's PEM, and tpm2-tools', from its
# TPM2B_PUBLIC.
"$VTRUST" credential make --ek "$work/ek.pem" --ak-name "$ak_name" \
	--out "$res/cred.vt" --secret-out "$work/secret.vt" ||
	fail "vtrust credential make"
head -c 32 /dev/urandom > "$work/secret.tss"
tpm2_makecredential -T none -e "$work/ek.pub" -s "$work/secret.tss" -n "$ak_name" \
	-o "$res/cred.tss" > /dev/null || fail "tpm2_makecredential -T none"

# The first boot's evidence becomes the baseline.
verify init "$res/1.bundle.json" "$n1" --baseline "$work/baseline.json" --init
[ $vrc = 4 ] || { cat "$work/init.json"; fail "verify-evidence --init: exit $vrc, expected 4"; }
[ "$(json "$work/init.json" result)" = recorded ] ||
	fail "verify-evidence --init: not recorded"
checks init | grep -v -e ' pass$' -e '^baseline ' && fail "verify-evidence --init: a check did not pass"
echo "ok: verify-evidence --init: bundle 1 recorded as the baseline, every check passing"

# 2. The credentials activated, the second quote trusted.
boot 2
for c in secret-vt secret-tss quote; do expect_ok 2 $c; done
[ "$(tr -d '\n' < "$res/2.secret-vt")" = "$(od -An -tx1 "$work/secret.vt" | tr -d ' \n')" ] ||
	fail "the secret of vtrust credential make did not come back"
[ "$(tr -d '\n' < "$res/2.secret-tss")" = "$(od -An -tx1 "$work/secret.tss" | tr -d ' \n')" ] ||
	fail "the secret of tpm2_makecredential did not come back"
echo "ok: both credentials activated, both secrets came back"
verify trusted "$res/2.bundle.json" "$n2" --baseline "$work/baseline.json"
checks trusted
[ $vrc = 0 ] && [ "$(json "$work/trusted.json" result)" = trusted ] ||
	{ cat "$work/trusted.json"; fail "verify-evidence: bundle 2 is not trusted (exit $vrc)"; }
checks trusted | grep -v ' pass$' && fail "verify-evidence: a check did not pass"
for c in ek-certificate replay baseline; do
	checks trusted | grep -qx "$c pass" || fail "verify-evidence: no passing $c check"
done
echo "ok: verify-evidence: bundle 2 trusted, every check passing"
# what it replayed: the firmware log and both lists, vtrust.ko's load in
# IMA's
python3 - "$work/trusted.json" <<'EOF' || fail "verify-evidence did not replay every log"
import json, sys
rep = json.load(open(sys.argv[1]))['replay']
assert rep['result'] == 'match' and not rep.get('absent'), rep.get('absent')
n = {l['source']: l.get('entries', l.get('events')) for l in rep['lists']}
assert n.get('uefi', 0) > 0 and n.get('ima', 0) >= 2 and n.get('vtrust', 0) >= 1, n
assert any(p['source'] == 'uefi' and p['status'] == 'match'
           for p in rep['pcrs']), 'no PCR of the firmware log'
print('ok: replayed the firmware log (%d events), IMA (%d entries), vtrust (%d)'
      % (n['uefi'], n['ima'], n['vtrust']))
EOF

# tpm2_checkquote, on the same quote, signature, AK and PCR values.
python3 - "$res/2.bundle.json" "$work" "$top/userspace/tests" <<'EOF' || fail "cannot unpack bundle 2"
import base64, json, os, sys
sys.path.insert(0, sys.argv[3])
from tpm2files import checkquote_pcrs
b = json.load(open(sys.argv[1]))
w = sys.argv[2]
open(os.path.join(w, 'attest'), 'wb').write(base64.b64decode(b['quote']['attest']))
open(os.path.join(w, 'sig'), 'wb').write(base64.b64decode(b['quote']['signature']))
open(os.path.join(w, 'ak.pem'), 'w').write(b['ak']['public'])
banks = sorted(b['pcrs'])
open(os.path.join(w, 'pcrs'), 'wb').write(checkquote_pcrs(b['pcrs'], banks))
EOF
tpm2_checkquote -u "$work/ak.pem" -m "$work/attest" -s "$work/sig" \
	-f "$work/pcrs" -g sha256 -q "$n2" > /dev/null ||
	fail "tpm2_checkquote refuses bundle 2"
echo "ok: tpm2_checkquote accepts bundle 2's quote"
cmp -s "$work/ak.pem" <(json "$res/1.ak" public) ||
	fail "bundle 2's AK is not the one ak show printed"

# The first nonce with the second bundle: the nonce check, and only it.
verify reused "$res/2.bundle.json" "$n1" --baseline "$work/baseline.json"
[ $vrc = 1 ] || fail "verify-evidence with a reused nonce: exit $vrc"
failed=$(checks reused | awk '$2 == "fail" { print $1 }' | tr '\n' ' ')
[ "$failed" = "nonce " ] || fail "a reused nonce fails: $failed"
echo "ok: verify-evidence: bundle 2 with the first nonce fails the nonce check only"
echo PASS
