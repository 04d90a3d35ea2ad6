#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Firmware signature appraisal: "appraise func=FIRMWARE_CHECK
# appraise_type=sig" (kernel/fwsig.c), signatures made by "vtrust sign".
#   - Without the rule, unsigned firmware loads and is measured as before.
#   - Under it, a blob signed with a key enrolled in .vtrust loads (direct
#     and partial reads; RSA, and ECDSA P-256 where the kernel has ECDSA:
#     6.12, not 6.1); its entry is ima-modsig and carries the .p7s,
#     which names the key (openssl reads the id) and verifies over the
#     blob (openssl cms -verify, from the list's own bytes).
#   - An unsigned blob, a blob changed after signing, one signed by a key
#     not enrolled, and a signature cut short are refused with EACCES and
#     a denied:<reason>:<path> entry; nothing is loaded.
#   - The sysfs fallback loader is refused under the rule (no file, no
#     signature) where the kernel has it.
#   - An SM2/SM3 signature (openssl cms -verify checks it) is refused by
#     Debian's 6.1 kernel, whose crypto API has no SM3, and by 6.12, which
#     has no SM2, as unsupported-algorithm: never passed silently. A kernel
#     with both must load it.
#   - "vtrust verify-file" agrees with the kernel on every case.
#   - Sealed: a policy without the rule and a new key are refused.
#   - The list replays against the TPM (vtrust replay, evmctl).
#   - fw_secondary_keyring=1 is in the start entry, and a key in neither
#     keyring is still refused.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

sha() { sha256sum "$1" | cut -d' ' -f1; }

# refused MODE NAME REASON PATH: the load fails with EACCES, nothing else
# is measured under PATH, and denied:REASON:PATH holds the blob's digest.
refused() {
	local before
	before=$(entry_count_named "$4")
	fw $1 $2 && fail "$2 ($1) loaded; expected a refusal: $3"
	grep -q 'error -13' /tmp/fw.err || dmesg | grep -q "vtfw: $1 $2: error -13" ||
		fail "$2: not EACCES: $(cat /tmp/fw.err)"
	expect_eq "$2: entries under its own name" "$before" "$(entry_count_named "$4")"
	expect_eq "$2: denied:$3 entry" "$(sha $4)" "$(entry_digest "denied:$3:$4")"
}

# offline PATH REASON: vtrust verify-file refuses PATH for REASON too.
offline() {
	$VTRUST verify-file --cert c1.pem $1 > /tmp/vf.out && fail "verify-file took $1"
	grep -q "refused: $2" /tmp/vf.out || fail "verify-file: $(cat /tmp/vf.out)"
}

# field NAME K: field K ($K in awk) of the entry named NAME.
field() {
	awk -v n="$1" -v k="$2" '$5 == n { print $k }' $VTFS/ascii_runtime_measurements
}

cd /tmp
mk_keys 1 2
skid1=$(openssl x509 -in c1.pem -noout -ext subjectKeyIdentifier | tail -n1 | tr -d ' :' | tr A-F a-f)

mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)	# the events name the real path

vt_load
run keyctl padd asymmetric "" "$(vt_status keyring)" < c1.der

# Without the rule: an unsigned blob loads, measured as before.
head -c 70000 /dev/urandom > $fwdir/vt-plain.bin
fw direct vt-plain.bin || fail "unsigned firmware refused without the rule"
expect_eq "no rule: digest" "$(sha $fwdir/vt-plain.bin)" "$(entry_digest $fwdir/vt-plain.bin)"
expect_eq "no rule: template" ima-ng "$(field $fwdir/vt-plain.bin 3)"

printf 'measure\nappraise func=FIRMWARE_CHECK appraise_type=sig\n' > $VTFS/policy
grep -qx 'appraise func=FIRMWARE_CHECK appraise_type=sig' $VTFS/policy ||
	fail "the policy does not read back: $(cat $VTFS/policy)"

# Signed by the enrolled key: loads, and the entry carries the signature.
for m in direct partial; do
	f=$fwdir/vt-signed-$m.bin
	head -c $((100000 + ${#m})) /dev/urandom > $f
	run $VTRUST sign --key k1.pem --cert c1.pem $f || fail "vtrust sign"
	openssl cms -verify -binary -inform DER -in $f.p7s -content $f -noverify \
		-certfile c1.pem -nointern > /dev/null 2>&1 || fail "openssl does not verify $f.p7s"
	run $VTRUST verify-file --cert c1.pem $f || fail "verify-file refused $f"
	fw $m vt-signed-$m.bin || fail "signed firmware refused ($m)"
	expect_eq "signed ($m): template" ima-modsig "$(field $f 3)"
	expect_eq "signed ($m): digest" "$(sha $f)" "$(entry_digest $f)"
	expect_eq "signed ($m): d-modsig" "sha256:$(sha $f)" "$(field $f 6)"
	field $f 7 | xxd -r -p > /tmp/entry.p7s
	cmp /tmp/entry.p7s $f.p7s || fail "the entry's modsig is not $f.p7s"
	# the key, from the list's bytes alone: openssl finds the signer only
	# among -certfile's certificates (-nointern)
	openssl cms -verify -binary -inform DER -in /tmp/entry.p7s -content $f \
		-noverify -certfile c1.pem -nointern > /dev/null 2>&1 ||
		fail "the entry's signature does not verify over $f with key 1"
	openssl cms -verify -binary -inform DER -in /tmp/entry.p7s -content $f \
		-noverify -certfile c2.pem -nointern > /dev/null 2>&1 &&
		fail "the entry's signature verifies with key 2"
	$VTRUST verify-file --json --cert c1.pem --sig /tmp/entry.p7s $f > /tmp/vf.json ||
		fail "verify-file refused the entry's signature"
	grep -q "\"key_id\": \"skid:$skid1\"" /tmp/vf.json ||
		fail "the entry does not name key 1 (skid $skid1): $(cat /tmp/vf.json)"
	echo "ok: signed ($m): the entry names skid:$skid1"
	$VTRUST log --json | grep -F "\"name\":\"$f\"" > /tmp/log.json
	grep -qF "\"signers\":[\"skid:$skid1\"]" /tmp/log.json ||
		fail "vtrust log --json does not name the signer: $(cat /tmp/log.json)"
done

# Refusals, each with its reason; vtrust verify-file says the same.
f=$fwdir/vt-unsigned.bin
head -c 5000 /dev/urandom > $f
refused direct vt-unsigned.bin no-signature $f
offline $f no-signature

f=$fwdir/vt-changed.bin
head -c 5000 /dev/urandom > $f
run $VTRUST sign --key k1.pem --cert c1.pem $f
printf x >> $f
refused direct vt-changed.bin bad-signature $f
offline $f bad-signature

f=$fwdir/vt-otherkey.bin
head -c 5000 /dev/urandom > $f
run $VTRUST sign --key k2.pem --cert c2.pem $f
refused direct vt-otherkey.bin unknown-key $f
refused partial vt-otherkey.bin unknown-key $f
offline $f unknown-key

f=$fwdir/vt-cut.bin
head -c 5000 /dev/urandom > $f
run $VTRUST sign --key k1.pem --cert c1.pem $f
head -c $(($(wc -c < $f.p7s) - 20)) $f.p7s > /tmp/cut && mv /tmp/cut $f.p7s
refused direct vt-cut.bin bad-signature $f
offline $f bad-signature

# SM2 with SM3: OpenSSL verifies it; this kernel cannot, and says so.
f=$fwdir/vt-sm2.bin
head -c 5000 /dev/urandom > $f
openssl genpkey -algorithm SM2 -out sm2.pem 2>/dev/null || fail "openssl: no SM2"
openssl req -config ossl.cnf -x509 -key sm2.pem -sm3 -days 2 -out sm2.crt ||
	fail "openssl req (SM2)"
openssl x509 -in sm2.crt -outform DER -out sm2.der
run $VTRUST sign --key sm2.pem --cert sm2.crt $f || fail "vtrust sign (SM2)"
openssl cms -verify -binary -inform DER -in $f.p7s -content $f -noverify \
	-certfile sm2.crt -nointern > /dev/null 2>&1 || fail "openssl does not verify the SM2 signature"
run $VTRUST verify-file --cert sm2.crt $f || fail "verify-file refused the SM2 signature"
if keyctl padd asymmetric "" "$(vt_status keyring)" < sm2.der; then
	if grep -qw sm3 /proc/crypto; then
		fw direct vt-sm2.bin || fail "an SM2/SM3 signature refused where the kernel has SM3"
	else
		echo "note: this kernel has no sm3 in its crypto API"
		refused direct vt-sm2.bin unsupported-algorithm $f
		dmesg | grep -q "refused $f: this kernel's crypto API lacks" ||
			fail "no dmesg line saying why"
	fi
else
	# 6.12: SM2 left the kernel's crypto API (no sm2 in /proc/crypto); the
	# signature's algorithm is refused before any key is looked up
	echo "note: this kernel cannot parse an SM2 certificate: the key is not enrolled"
	if grep -qw sm2 /proc/crypto; then
		refused direct vt-sm2.bin unknown-key $f
	else
		refused direct vt-sm2.bin unsupported-algorithm $f
	fi
fi

# ECDSA P-256 with SHA-256: a key and signature kind the kernel's crypto
# API has (ecdsa_generic, loaded on demand).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null ||
	fail "openssl: no P-256"
openssl req -config ossl.cnf -x509 -key ec.pem -days 2 -out ec.crt || fail "openssl req (EC)"
openssl x509 -in ec.crt -outform DER -out ec.der
f=$fwdir/vt-ec.bin
head -c 6000 /dev/urandom > $f
run $VTRUST sign --key ec.pem --cert ec.crt $f
if keyctl padd asymmetric "" "$(vt_status keyring)" < ec.der; then
	fw direct vt-ec.bin || fail "a P-256 signature by an enrolled key refused"
	expect_eq "ec: template" ima-modsig "$(field $f 3)"
	expect_eq "ec: digest" "$(sha $f)" "$(entry_digest $f)"
else
	# Debian's 6.1 is built without CONFIG_CRYPTO_ECDSA: the kernel cannot
	# check the certificate's self-signature, and the key is not enrolled
	grep -qw ecdsa-nist-p256 /proc/crypto &&
		fail "the kernel has ECDSA P-256 but refused the key"
	echo "note: this kernel has no ECDSA: the P-256 key is not enrolled"
	refused direct vt-ec.bin unknown-key $f
fi

# The sysfs fallback loader: no file, no signature.
if [ -d /sys/class/firmware ]; then
	head -c 3000 /dev/urandom > /tmp/vt-sysfs.bin
	fw_sysfs vt-sysfs.bin /tmp/vt-sysfs.bin && fail "the sysfs fallback loaded under the rule"
	expect_eq "sysfs fallback: denied:no-file" "$(sha /tmp/vt-sysfs.bin)" \
		"$(entry_digest denied:no-file:firmware:blob)"
else
	echo "skip: sysfs fallback: not in this kernel"
fi

vt_replay
evm_check
vt_unload

# fw_secondary_keyring=1: in the start entry; a signature by a key in
# neither keyring is still refused.
vt_load fw_secondary_keyring=1
expect_eq "sysfs fw_secondary_keyring" Y \
	"$(cat /sys/module/vtrust/parameters/fw_secondary_keyring)"
start=$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }' | xxd -r -p)
case " $start " in
*" param.fw_secondary_keyring=1 "*) echo "ok: the start entry records fw_secondary_keyring=1" ;;
*) fail "no param.fw_secondary_keyring=1 in the start entry: $start" ;;
esac
printf 'measure\nappraise func=FIRMWARE_CHECK appraise_type=sig\n' > $VTFS/policy
head -c 5000 /dev/urandom > $fwdir/vt-second.bin
run $VTRUST sign --key k2.pem --cert c2.pem $fwdir/vt-second.bin
refused direct vt-second.bin unknown-key $fwdir/vt-second.bin
vt_unload

# Sealed: the rule and the keyring stay.
vt_load
case " $(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }' | xxd -r -p) " in
*" param.fw_secondary_keyring=0 "*) ;;
*) fail "no param.fw_secondary_keyring=0 in the start entry" ;;
esac
run keyctl padd asymmetric "" "$(vt_status keyring)" < c1.der
printf 'measure\nappraise func=FIRMWARE_CHECK appraise_type=sig\n' > $VTFS/policy
echo seal > $VTFS/seal || fail "seal"
printf 'measure\n' > $VTFS/policy 2>/dev/null && fail "a sealed policy was rewritten"
grep -qx 'appraise func=FIRMWARE_CHECK appraise_type=sig' $VTFS/policy || fail "the rule is gone"
keyctl padd asymmetric "" "$(vt_status keyring)" < c2.der 2>/dev/null &&
	fail "a key was linked into a sealed .vtrust"
refused direct vt-otherkey.bin unknown-key $fwdir/vt-otherkey.bin
fw direct vt-signed-direct.bin || fail "signed firmware refused after the seal"
echo "PASS"
