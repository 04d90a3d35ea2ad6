#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Remote attestation on a vTCM: an SM2 EK, an SM2 AK, an SM3 PCR bank. The
# TPM is tests/faketpm/faketpm (SM2, SM3, SM4 and no RSA, banks sha256 and
# sm3, its cryptography OpenSSL's, not vtrust's), reached by vtrust through
# tpm2-tss and the kernel's resource manager (/dev/tpmrm0). It proves:
#  - `vtrust ek show --alg sm2` gives an SM2 EK, the same one each time,
#    whose Name is SM3 over its public area (recomputed here);
#  - `vtrust ak create --alg sm2` makes a persistent SM2 AK under that EK
#    that `vtrust ak show` finds again, Name recomputed here too;
#  - a credential made for the EK and the AK's Name (makecred-tool:
#    vtrust's software MakeCredential) is activated and gives back its
#    secret; one made for another Name, or with a byte changed, is refused;
#  - `vtrust credential make` (from the EK's TPM2B_PUBLIC and from its PEM)
#    makes credentials that faketpm activates too;
#  - `vtrust quote` gives a bundle on which `vtrust verify-evidence` passes
#    every quote check (the SM2 signature over the raw SM3 digest among
#    them) and replays vtrust's list to PCR 11 in the sm3 and sha256 banks;
#    its verdict is untrusted for one reason only, named: IMA started
#    before faketpm existed and ran without a TPM. quote-check
#    (vt_quote_verify() alone) accepts it, with the AK's qualified name
#    recomputed here from the EK's and the AK's Names; a wrong nonce fails
#    only the nonce check, a changed SM3 PCR value the pcr-digest check;
#    the bundle's sm3 and sha256 values are the PCRs that sysfs reads from
#    faketpm.
# vm-run-args: --no-tpm --add tests/faketpm/faketpm --add userspace/tests/quote-check --add userspace/tests/makecred-tool
. /vtrust/tests/guest/lib.sh

FAKETPM=/extra/faketpm
QC=/extra/quote-check
MKCRED=/extra/makecred-tool
for f in $FAKETPM $QC $MKCRED; do
	[ -x $f ] || fail "$f missing (make -C tests/faketpm; make -C userspace tests/quote-check tests/makecred-tool)"
done
openssl dgst -sm3 /dev/null > /dev/null 2>&1 || skip "openssl has no sm3"
export TPM2TOOLS_TCTI=device:/dev/tpmrm0
SYS=/sys/class/tpm/tpm0
T=/tmp/att
mkdir -p $T

cleanup() {
	[ -f /tmp/ft.pid ] && kill "$(cat /tmp/ft.pid)" 2>/dev/null
	return 0
}
trap cleanup EXIT

# hex: stdin in lowercase hex, one line.
hex() {
	od -An -v -tx1 | tr -d ' \n'
	echo
}

# sm3hex HEX: SM3 of the bytes HEX gives, in hex.
sm3hex() {
	echo "$1" | xxd -r -p | openssl dgst -sm3 -r | cut -d' ' -f1
}

# jget FILE [SECTION] KEY: the string value of KEY in vtrust's pretty JSON,
# inside the object SECTION (a top-level key) if given.
jget() {
	local f=$1 sec key
	if [ $# -eq 3 ]; then sec=$2; key=$3; else sec=; key=$2; fi
	awk -v sec="$sec" -v key="$key" '
		sec != "" && $0 ~ "^  \"" sec "\":\\{" { in_sec = 1; next }
		sec != "" && in_sec && /^  [}]/ { in_sec = 0 }
		(sec == "" || in_sec) && $0 ~ "^ *\"" key "\":\"" {
			sub("^ *\"" key "\":\"", ""); sub("\",?$", ""); print; exit
		}' "$f"
}

# b64file OUT FILE [SECTION] KEY: a base64 string of the JSON into OUT.
b64file() {
	local out=$1
	shift
	jget "$@" | base64 -d > "$out" || fail "base64 of $* does not decode"
	[ -s "$out" ] || fail "no $* in $1"
}

# flip FILE OFFSET OUT: FILE with the byte at OFFSET (from 0) changed.
flip() {
	local b
	b=$(tail -c +$(($2 + 1)) "$1" | head -c 1 | hex)
	{
		head -c $2 "$1"
		printf "\\$(printf '%03o' $((0x$b ^ 0x01)))"
		tail -c +$(($2 + 2)) "$1"
	} > "$3"
	cmp -s "$1" "$3" && fail "flip: $3 is $1"
	expect_eq "length of $3" "$(wc -c < "$1")" "$(wc -c < "$3")"
}

# name_of TPM2B_PUBLIC-FILE: nameAlg SM3 || SM3(TPMT_PUBLIC), in hex.
name_of() {
	echo "0012$(tail -c +3 "$1" | openssl dgst -sm3 -r | cut -d' ' -f1)"
}

# quote_check NONCE: quote-check on the bundle's quote with NONCE; its
# output in $T/qc.out (and on stdout), its exit status in rc.
quote_check() {
	echo "+ $QC --attest $T/attest --sig $T/sig --ak $T/ev-ak.pub --nonce $1 --pcrs $spec --values $T/values --qualified-signer $ak_qn"
	rc=0
	$QC --attest $T/attest --sig $T/sig --ak $T/ev-ak.pub --nonce $1 \
		--pcrs "$spec" --values $T/values --qualified-signer $ak_qn \
		> $T/qc.out || rc=$?
	cat $T/qc.out
}

# --- the TPM ------------------------------------------------------------
run modprobe tpm_vtpm_proxy
echo "+ $FAKETPM --banks sha256,sm3 --pidfile /tmp/ft.pid --log /tmp/ft.log --verbose"
dev=$($FAKETPM --banks sha256,sm3 --pidfile /tmp/ft.pid --log /tmp/ft.log --verbose) ||
	fail "faketpm did not start"
expect_eq "faketpm device" /dev/tpm0 "$dev"
expect_eq "banks in sysfs" "sha256 sm3" "$(echo $(tpm_banks))"
# vtrust measures itself into PCR 11 of both banks: the quote covers that
vt_load
expect_eq banks "sha256 sm3" "$(vt_status banks)"

# --- the EK ------------------------------------------------------------------
run $VTRUST ek show --alg sm2 --json > $T/ek.json || fail "vtrust ek show --alg sm2"
cat $T/ek.json
expect_eq "EK algorithm" sm2 "$(jget $T/ek.json algorithm)"
grep -q '"certificate":null' $T/ek.json || fail "an EK certificate where faketpm has none"
b64file $T/ek.pub $T/ek.json tpm2b_public
ek_name=$(jget $T/ek.json name)
expect_eq "EK Name = SM3 over its public area" "$(name_of $T/ek.pub)" "$ek_name"
jget $T/ek.json public | sed 's/\\n/\n/g' > $T/ek.pem
openssl pkey -pubin -in $T/ek.pem -noout -text | tee $T/ek.txt | grep -q 'SM2' ||
	fail "the EK's PEM is not an SM2 key"
run $VTRUST ek show --alg sm2 --json > $T/ek2.json || fail "second ek show"
expect_eq "the same EK from the same template" "$ek_name" "$(jget $T/ek2.json name)"

# --- the AK ------------------------------------------------------------------
run $VTRUST ak create --alg sm2 --json > $T/ak.json || fail "vtrust ak create --alg sm2"
cat $T/ak.json
expect_eq "AK algorithm" sm2 "$(jget $T/ak.json algorithm)"
expect_eq "AK handle" 0x81010002 "$(jget $T/ak.json handle)"
b64file $T/ak.pub $T/ak.json tpm2b_public
ak_name=$(jget $T/ak.json name)
expect_eq "AK Name = SM3 over its public area" "$(name_of $T/ak.pub)" "$ak_name"
run $VTRUST ak show --json > $T/ak2.json || fail "vtrust ak show"
expect_eq "ak show: the AK ak create made" "$ak_name" "$(jget $T/ak2.json name)"
expect_eq "ak show: algorithm" sm2 "$(jget $T/ak2.json algorithm)"
expect_eq "ak show: public area" "$(jget $T/ak.json tpm2b_public)" \
	"$(jget $T/ak2.json tpm2b_public)"
# QN(EK) = SM3 || SM3(TPM_RH_ENDORSEMENT || Name(EK)); QN(AK) from QN(EK)
ek_qn=0012$(sm3hex "4000000b$ek_name")
ak_qn=0012$(sm3hex "$ek_qn$ak_name")

# --- the credential ------------------------------------------------------------
# Two makers of the same file format: vtrust's own `credential make` and
# makecred-tool (the library under it, built on the host); both must be
# activated by faketpm.
head -c 32 /dev/urandom > $T/secret
secret=$(hex < $T/secret)
run $MKCRED --ek $T/ek.pub --name "$ak_name" --secret $T/secret --out $T/cred ||
	fail "makecred-tool"
run $VTRUST credential make --ek $T/ek.pub --ak-name "$ak_name" --secret $T/secret \
	--out $T/cred-vt || fail "vtrust credential make"
got=$($VTRUST credential activate $T/cred-vt) || fail "activate (credential make's)"
expect_eq "activated secret (credential make's)" "$secret" "$got"
run $VTRUST credential make --ek $T/ek.pem --ak-name "$ak_name" --secret-out $T/secret2 \
	--out $T/cred-pem || fail "vtrust credential make --ek PEM"
got=$($VTRUST credential activate $T/cred-pem) || fail "activate (made from the EK's PEM)"
expect_eq "activated secret (made from the EK's PEM)" "$(hex < $T/secret2)" "$got"
got=$($VTRUST credential activate $T/cred) || fail "vtrust credential activate"
expect_eq "activated secret" "$secret" "$got"
run $VTRUST credential activate $T/cred --out $T/got || fail "activate --out"
expect_eq "activated secret (--out)" "$secret" "$(hex < $T/got)"

other=0012$(head -c 32 /dev/urandom | hex)
run $MKCRED --ek $T/ek.pub --name "$other" --secret $T/secret --out $T/cred-other ||
	fail "makecred-tool (another name)"
rc=0
$VTRUST credential activate $T/cred-other > $T/out 2>&1 || rc=$?
cat $T/out
expect_eq "a credential for another AK Name: refused (exit 2)" 2 $rc
grep -q 'integrity check failed' $T/out || fail "not refused for its integrity"
grep -q "$secret" $T/out && fail "the secret came out"

# The same credential with a byte of its encrypted part changed: after
# the file's magic and version (8 bytes), the TPM2B_ID_OBJECT's size (2)
# and its integrity HMAC (a TPM2B of SM3: 2 + 32).
flip $T/cred 44 $T/cred-flip
rc=0
$VTRUST credential activate $T/cred-flip > $T/out 2>&1 || rc=$?
cat $T/out
expect_eq "a credential with a byte changed: refused (exit 2)" 2 $rc
grep -q "$secret" $T/out && fail "the secret came out"

# --- the quote ---------------------------------------------------------------
nonce=$(head -c 20 /dev/urandom | hex)
run $VTRUST quote --nonce $nonce --out $T/ev.json || fail "vtrust quote"
expect_eq "bundle nonce" "$nonce" "$(jget $T/ev.json nonce)"
expect_eq "bundle AK" "$ak_name" "$(jget $T/ev.json ak name)"
b64file $T/attest $T/ev.json quote attest
b64file $T/sig $T/ev.json quote signature
b64file $T/ev-ak.pub $T/ev.json ak tpm2b_public
# "<bank> <pcr> <hex>" for each value of the bundle's pcrs object
awk '/^  "pcrs":\{/ { p = 1; next }
     p && /^  [}]/ { exit }
     p && /^    "[^"]*":\{/ { split($0, a, "\""); bank = a[2]; next }
     p && /^      "/ { split($0, a, "\""); print bank, a[2], a[4] }' \
	$T/ev.json > $T/values
cat $T/values
for b in sha256 sm3_256; do
	n=$(awk -v b=$b '$1 == b' $T/values | wc -l)
	expect_eq "PCRs of $b in the bundle" 16 $n
done
spec=$(awk '$1 != bank { printf "%s%s:%s", (NR > 1 ? "+" : ""), $1, $2; bank = $1; next }
	    { printf ",%s", $2 }' $T/values)
echo "quoted: $spec"
# The bundle's values are the PCRs as sysfs reads them from faketpm.
while read -r bank pcr value; do
	sysbank=$bank
	[ $bank = sm3_256 ] && sysbank=sm3
	expect_eq "$bank PCR $pcr = sysfs" "$(tr 'A-F' 'a-f' < $SYS/pcr-$sysbank/$pcr)" "$value"
done < $T/values
[ "$(awk '$1 == "sm3_256" && $2 == 11 { print $3 }' $T/values)" != "$(printf '%064d' 0)" ] ||
	fail "SM3 PCR 11 is zero: vtrust's measurements are not in the quote"

# The verifier: vtrust verify-evidence with the AK enrolled here (its
# TPM2B_PUBLIC from `ak create`, not the bundle's), every check by name.
# Its SM2 signature check is over the raw SM3 digest; quote-check, the
# quote checks alone on the bundle's parts, agrees.
# verify BUNDLE NONCE: its output in $T/ve.out (and on stdout), its exit
# status in rc.
verify() {
	rc=0
	$VTRUST verify-evidence $1 --nonce $2 --ak $T/ak.pub > $T/ve.out 2>&1 || rc=$?
	cat $T/ve.out
}
verify $T/ev.json $nonce
# The one thing this guest cannot give: IMA started before faketpm existed
# (vtpm_proxy is a module), so it ran in TPM bypass, and vtrust never
# trusts a list that no PCR covers. Every other check passes; the problem
# list names exactly that.
expect_eq "verify-evidence exit" 1 $rc
expect_eq "verdict" "result: untrusted" "$(grep '^result:' $T/ve.out)"
expect_eq "checks failed" "replay" \
	"$(grep -E '^[a-z-]+ +fail' $T/ve.out | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "replay problems" \
	"  ima PCR 10: unverifiable: IMA started without a TPM (a zero boot_aggregate, and PCR 10 is zero): its list is not covered by any PCR" \
	"$(sed -n '/^problems:/,/^result:/p' $T/ve.out | sed '1d;$d')"
for c in ak-public signature-scheme signature magic type nonce qualified-signer \
	 pcr-selection pcr-digest clock-safe; do
	grep -Eq "^$c +pass" $T/ve.out || fail "verify-evidence: no passing $c check"
done
# vtrust's list replays in both banks to the values sysfs reads: the
# verdict's per-PCR rows ("bank pcr status computed").
$VTRUST verify-evidence $T/ev.json --nonce $nonce --ak $T/ak.pub --json > $T/ve.json || :
awk '/^    "pcrs":\[/ { p = 1; next }
     p && /^    \]/ { exit }
     p { split($0, a, "\""); v[a[2]] = a[4] }
     p && /"pcr":/ { split($0, a, /[:,]/); v["pcr"] = a[2] + 0 }
     p && /^      [}]/ { print v["bank"], v["pcr"], v["status"], v["computed"] }' \
	$T/ve.json > $T/rows
cat $T/rows
for b in sha256 sm3_256; do
	sysbank=$b
	[ $b = sm3_256 ] && sysbank=sm3
	expect_eq "replay of $b PCR 11" \
		"$b 11 match $(tr 'A-F' 'a-f' < $SYS/pcr-$sysbank/11)" \
		"$(awk -v b=$b '$1 == b && $2 == 11' $T/rows)"
done
quote_check $nonce
expect_eq "quote-check exit" 0 $rc
grep -q '^result: pass' $T/qc.out || fail "quote-check: not accepted"

wrong=$(head -c 20 /dev/urandom | hex)
verify $T/ev.json $wrong
expect_eq "verify-evidence exit with a wrong nonce" 1 $rc
expect_eq "checks failed with a wrong nonce" "nonce" \
	"$(grep -E '^[a-z-]+ +fail' $T/ve.out | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"

# The SM3 PCR 11 value in the bundle changed: the signed digest no longer
# matches the values.
sed "s/\"11\":\"$(awk '$1 == "sm3_256" && $2 == 11 { print $3 }' $T/values)\"/\"11\":\"$(printf '%064d' 0)\"/" \
	$T/ev.json > $T/ev-pcr.json
cmp -s $T/ev.json $T/ev-pcr.json && fail "the PCR 11 edit changed nothing"
verify $T/ev-pcr.json $nonce
expect_eq "verify-evidence exit with SM3 PCR 11 changed" 1 $rc
grep -Eq '^pcr-digest +fail' $T/ve.out || fail "a changed SM3 PCR does not fail pcr-digest"

# --- what faketpm answered ------------------------------------------------------
# Errors expected: TPM_RC_INITIALIZE (the kernel's SelfTest before
# Startup), TPM_RC_INTEGRITY (0x1df: the two refused credentials) and
# TPM_RC_REFERENCE_H0 (0x910: the resource manager's ContextSave of a
# session that its command ended).
sed 's/^\[[^]]*\] //' /tmp/ft.log | grep -v ' rc 0x000 ' | sort | uniq -c |
	sed 's/^/faketpm: /'
grep ' rc 0x' /tmp/ft.log | grep -v -e ' rc 0x000 ' -e ' rc 0x100 ' -e ' rc 0x1df ' \
	-e 'ContextSave .* rc 0x910 ' && fail "faketpm answered an unexpected error"
expect_eq "refused ActivateCredentials" 2 \
	"$(grep -c 'ActivateCredential .* rc 0x1df ' /tmp/ft.log)"
grep -q 'ContextLoad .* rc 0x000' /tmp/ft.log || fail "the resource manager never loaded a context"
kill -0 "$(cat /tmp/ft.pid)" || fail "faketpm died"
vt_unload
echo "PASS"
