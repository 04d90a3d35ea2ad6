#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vtrust as a user gets it: the Debian packages (make deb) installed with
# apt in the real Debian 12 guest (scripts/vm-run --image debian, one
# machine over six boots: --disk, --tpm-state), vtrustd on the host
# (SQLite, 127.0.0.1 only) reached through a guest forward only:
#
#   1  install: a machine owner key of the fleet's (made here) for DKMS,
#      /etc/vtrust/policy, then apt install ./vtrust_*.deb
#      ./vtrust-dkms_*.deb: DKMS builds vtrust.ko for the running kernel
#      and signs it with that key, the initramfs gets it (the hook, the
#      init-top script, the policy); /etc/ima/ima-policy and the agent's
#      /etc/default/vtrust-agent written, the agent enabled
#   2  booted: vtrust was loaded by the initramfs before any other module
#      (no `resident:` entry but the hash module it asked for), its start
#      entry's prior= all zero, the package's version, /etc/vtrust/policy
#      active; systemd loaded /etc/ima/ima-policy; the agent attested once
#      the boot finished: the service has the instance, trusted. Then
#      the upgrade: apt install of Debian's 6.12 kernel (offline, from the
#      image's cache); DKMS builds and signs vtrust for it, its initramfs
#      has it
#   3  upgraded: 6.12 boots, vtrust loaded first again; untrusted at the
#      service, a difference naming the kernel (PCR 9, /vmlinuz); the
#      operator accepts (baseline version 2)
#   4  accepted: trusted
#   5  sb-unknown-key: Secure Boot (--secure-boot: shim, grub and the
#      kernel signed, lockdown): the key is not enrolled, the kernel
#      refuses vtrust
#   6  sb-enrolled: Secure Boot with the key in shim's MokList (--mok):
#      vtrust loads from the initramfs; a copy without its signature is
#      refused, the signed copy passes the check (EEXIST)
#
# About 13 minutes under TCG (most of it DKMS and the initramfs, twice).
# VM_KEEP=1 keeps the work directory (the disk, the TPM, the database).
# vm-run-args: --host
set -u

# guest STEP SERVER: what each boot does and checks inside the guest; each
# failure is printed as "T-DEBIAN-STORY: ..." and the status is then 1.
guest() {
	local step=$1 server=$2 bad=0 kver st=/sys/kernel/security/vtrust
	no() { echo "T-DEBIAN-STORY: $*"; bad=1; }
	say() { echo "T-DEBIAN-STORY: $*"; }
	kver=$(uname -r)
	case $step in
	install)
		# vtrust's policy for the initramfs to load after vtrust: the
		# default one behind a rule of our own (which matches nothing
		# here) that shows it was loaded
		mkdir -p /etc/vtrust
		{
			echo 'dont_measure func=FIRMWARE_CHECK uid=4242'
			grep -v '^#' /extra/debs/vtrust-default.policy
		} > /etc/vtrust/policy
		# the machine owner key DKMS signs modules with (Debian's dkms
		# makes one unless it finds one): the fleet's, made on the host
		install -d /var/lib/dkms
		install -m 600 /extra/debs/mok.key /var/lib/dkms/mok.key
		install -m 644 /extra/debs/mok.der /var/lib/dkms/mok.pub
		apt-get install -y --no-install-recommends \
			/extra/debs/vtrust_*.deb /extra/debs/vtrust-dkms_*.deb ||
			{ no "apt-get install failed"; return 1; }
		installed "$kver"
		# IMA's policy for systemd to load at boot
		mkdir -p /etc/ima
		grep -v '^#' /usr/share/vtrust/ima-policy/runtime.policy \
			> /etc/ima/ima-policy
		printf 'VTRUST_SERVER=%s\nVTRUST_AGENT_ARGS="--interval 300"\n' \
			"$server" > /etc/default/vtrust-agent
		systemctl enable vtrust-agent.service 2>&1 ||
			no "systemctl enable vtrust-agent"
		# No login prompts: the gettys are Type=idle units, started
		# after the boot's other jobs whenever they happen to finish,
		# so agetty would be in one boot's first attestation and not in
		# the next one's (IMA measures every exec)
		systemctl mask getty.target 2>&1 || no "systemctl mask getty.target"
		;;
	booted)
		# the verdict first in every boot: what this script runs is then
		# after the agent's quote every time (IMA measures every exec)
		verdict trusted
		loaded
		# the upgrade: Debian's 6.12 kernel, from the image's cache (no
		# archive); its postinst runs DKMS (autoinstall) before the
		# initramfs is made, and points /vmlinuz at it
		systemctl stop vtrust-agent
		local new t0=$SECONDS
		apt-get install -y --no-install-recommends \
			/var/cache/vtrust-test/kernel-6.12/*.deb > /tmp/apt.log 2>&1 ||
			{ tail -n 30 /tmp/apt.log; no "the kernel upgrade failed"; }
		new=$(basename "$(readlink -f /vmlinuz)")
		new=${new#vmlinuz-}
		say "upgraded to $new in $((SECONDS - t0)) s"
		case $new in
		6.12*) installed "$new" ;;
		*) no "/vmlinuz is $new, not 6.12" ;;
		esac
		;;
	upgraded)
		case $kver in
		6.12*) ;;
		*) no "booted $kver, not the upgrade" ;;
		esac
		verdict untrusted
		loaded
		;;
	accepted)
		verdict trusted
		loaded
		;;
	sb-unknown-key)
		# Secure Boot, the module's key not enrolled: refused
		lockdown
		if grep -q '^vtrust ' /proc/modules; then
			no "vtrust loaded under lockdown with its key not enrolled"
		fi
		# 6.1 refuses through lockdown (EPERM); 6.12 enforces module
		# signatures under Secure Boot itself (EKEYREJECTED)
		dmesg | grep -q -E 'Lockdown: modprobe: unsigned module loading is restricted|Loading of module with unavailable key is rejected' ||
			no "no refusal of vtrust in the kernel log: $(dmesg | grep -i -E 'lockdown|module' | head -n5)"
		;;
	sb-enrolled)
		# Secure Boot, the key enrolled (MokList): vtrust loads from
		# the initramfs; a copy without its signature does not
		lockdown
		loaded
		grep -q "asymmetri $MOK_CN: " /proc/keys ||
			no "the kernel's keys have no '$MOK_CN'"
		local ko f=/tmp/vtrust.ko size siglen
		ko=$(modinfo -n vtrust)
		case $ko in
		*.xz) xz -dc "$ko" > $f ;;
		*) cp "$ko" $f ;;
		esac
		# the appended signature: module_signature (12 bytes, sig_len
		# big-endian in its last 4), then "~Module signature appended~\n"
		size=$(stat -c %s $f)
		[ "$(tail -c 28 $f | head -c 27)" = '~Module signature appended~' ] ||
			no "$ko has no appended signature"
		siglen=$(tail -c 32 $f | head -c 4 | od -An -tu1 |
			awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
		head -c $((size - 40 - siglen)) $f > /tmp/unsigned.ko
		[ -z "$(modinfo -F signer /tmp/unsigned.ko)" ] ||
			no "the stripped copy still has a signer"
		if insmod /tmp/unsigned.ko 2> /tmp/insmod.err; then
			no "an unsigned vtrust.ko was loaded under lockdown"
		fi
		say "unsigned copy: $(cat /tmp/insmod.err)"
		grep -q -E 'Operation not permitted|Key was rejected by service' /tmp/insmod.err ||
			no "insmod of the unsigned copy: $(cat /tmp/insmod.err)"
		dmesg | grep -q -E 'Lockdown: insmod: unsigned module loading is restricted|Loading of unsigned module is rejected' ||
			no "no refusal of the unsigned copy in the kernel log"
		# the signed one passes the check, then meets itself loaded
		insmod $f 2> /tmp/insmod.err
		say "signed copy: $(cat /tmp/insmod.err)"
		grep -q 'File exists' /tmp/insmod.err ||
			no "insmod of the signed copy: $(cat /tmp/insmod.err)"
		;;
	esac
	return $bad
}

# installed KVER: DKMS built vtrust for KVER, signed it with the machine
# owner key, and the initramfs for KVER has it
installed() {
	local v
	dkms status vtrust | grep -q "$1.*: installed" ||
		no "dkms status for $1: $(dkms status vtrust)"
	v=$(modinfo -k "$1" -F version vtrust 2>&1) ||
		no "modinfo -k $1 vtrust: $v"
	[ "$(modinfo -k "$1" -F signer vtrust)" = "$MOK_CN" ] ||
		no "vtrust for $1 is signed by '$(modinfo -k "$1" -F signer vtrust)', not '$MOK_CN'"
	lsinitramfs "/boot/initrd.img-$1" > /tmp/initrd.list
	grep -q '/vtrust\.ko' /tmp/initrd.list ||
		no "the initramfs of $1 has no vtrust.ko"
	grep -q 'scripts/init-top/00vtrust$' /tmp/initrd.list ||
		no "the initramfs of $1 has no init-top/00vtrust"
	grep -q 'etc/modprobe.d/vtrust.conf$' /tmp/initrd.list ||
		no "the initramfs of $1 has no /etc/modprobe.d/vtrust.conf"
	grep -q 'etc/vtrust/policy$' /tmp/initrd.list ||
		no "the initramfs of $1 has no /etc/vtrust/policy"
	say "installed for $1: vtrust $v, dkms: $(dkms status vtrust -k "$1")"
}

# loaded: vtrust was loaded by the initramfs first, with the package's
# version and /etc/vtrust/policy; systemd loaded IMA's policy
loaded() {
	grep -q '^vtrust ' /proc/modules || {
		no "vtrust is not loaded"
		dmesg | grep -i -E 'vtrust|tpm' | head -20
		return
	}
	grep -q "^version: $(dpkg-query -W -f='${Version}' vtrust | sed 's/-[^-]*$//')$" $st/status ||
		no "status: $(grep version $st/status)"
	# resident: modules loaded before vtrust started; only the hash
	# modules vtrust itself asks for (request_module) may be
	local res
	grep -o ' resident[-a-z]*:[^ ]*' $st/ascii_runtime_measurements \
		> /tmp/resident || true
	say "resident before vtrust: $(tr '\n' ' ' < /tmp/resident)"
	res=$(grep -v -E ' resident:(sha1|sha256|sha512|sha3|sm3)_generic$' /tmp/resident | wc -l)
	[ "$res" = 0 ] || no "$res modules were resident before vtrust"
	# the start entry (the list's first): its buf is hex in the ascii
	# list; prior= is vtrust's PCR in each bank before vtrust's first
	# extend, all zero when nothing extended it before
	local hex start prior
	hex=$(head -n1 $st/ascii_runtime_measurements | awk '{ print $6 }')
	start=$(printf '%b' "$(printf '%s' "$hex" | sed 's/../\\x&/g')")
	say "start entry: $start"
	case $start in
	vtrust-start\ *) ;;
	*) no "the list's first entry is not the start entry" ;;
	esac
	prior=$(printf '%s\n' $start | sed -n 's/^prior=//p')
	[ -n "$prior" ] || no "the start entry has no prior="
	printf '%s\n' "$prior" | tr ',' '\n' | sed 's/^[a-z0-9_]*://' |
		grep -qv '^0*$' && no "prior= is not zero: $prior"
	# /etc/vtrust/policy, loaded by the initramfs after vtrust
	grep -q 'uid=4242' $st/policy ||
		no "vtrust's policy is not /etc/vtrust/policy: $(head -n3 $st/policy)"
	journalctl -b -o cat | grep -q 'Successfully loaded the IMA custom policy /etc/ima/ima-policy' ||
		no "systemd did not load /etc/ima/ima-policy: $(journalctl -b -o cat | grep -i ima | head -n3)"
	say "booted $kver: vtrust $(grep ^version $st/status), $(grep -c . $st/ascii_runtime_measurements) entries"
}

# lockdown: booted with Secure Boot, the kernel locked down
lockdown() {
	local sb
	sb=$(od -An -tu1 -j4 -N1 \
		/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c)
	[ "${sb// /}" = 1 ] || no "Secure Boot is off (SecureBoot=$sb)"
	grep -q '\[integrity\]' /sys/kernel/security/lockdown ||
		no "lockdown: $(cat /sys/kernel/security/lockdown)"
	say "Secure Boot on, lockdown: $(cat /sys/kernel/security/lockdown)"
}

# verdict V: the agent's attestation at boot got V
verdict() {
	local i
	for i in $(seq 120); do
		journalctl -b -u vtrust-agent -o cat | grep -q 'verdict:' && break
		sleep 2
	done
	journalctl -b -u vtrust-agent -o cat | sed 's/^/    agent: /'
	journalctl -b -u vtrust-agent -o cat | grep -q "verdict: $1\$" ||
		no "the agent's attestation at boot was not $1"
}

# The machine owner key's subject (the host makes the key).
MOK_CN="vtrust story MOK"

if [ "${1:-}" = guest ]; then
	shift
	guest "$@"
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-debian-story
case ${VM_RUN_KERNEL:-default} in
default) ;;
*) skip "the Debian image boots its own kernel (VM_RUN_KERNEL=$VM_RUN_KERNEL)" ;;
esac
VTRUSTD=$top/userspace/vtrustd
[ -x "$VTRUSTD" ] || fail "$VTRUSTD is not built (make)"
host_debs "$work/debs" "$MOK_CN"
image=$("$top/scripts/debian-image") || fail "scripts/debian-image could not build the image"

host_vtrustd "sqlite:$work/vtrustd.db"
token=$(host_token) && [ -n "$token" ] || fail "no operator token"
server=http://10.0.2.100:$port

# boot STEP [vm-run options...]: one boot of the kept machine.
boot() {
	local step=$1 start vrc
	shift
	start=$SECONDS
	"$top/scripts/vm-run" --image debian --disk "$work/disk.qcow2" \
		--tpm-state "$work/tpm" --forward "$port" --smp 2 --timeout 1500 \
		"$@" -- "$top/tests/guest/t-debian-story.sh" guest "$step" "$server" \
		> "$work/$step.console" 2>&1
	vrc=$?
	say "boot $step: vm-run exit $vrc, $((SECONDS - start))s"
	grep -E '^T-DEBIAN-STORY:|^    agent:' "$work/$step.console" | sed 's/^/    /'
	if [ "$vrc" != 0 ]; then
		tail -n 40 "$work/$step.console"
		fail "boot $step: vm-run exited with $vrc"
	fi
}

boot install --add "$work/debs"
echo "ok: boot 1: the packages installed, DKMS built vtrust, the initramfs has it"
boot booted
got=$(host_instance vtrust-guest) || fail "the service does not have the instance"
[ "$got" = "trusted trusted 1" ] || fail "the service says '$got', not 'trusted trusted 1'"
echo "ok: boot 2: vtrust loaded first by the initramfs with its policy, IMA's policy loaded by systemd, the agent attested at boot: trusted"
echo "ok: boot 2: linux-image-6.12 installed, DKMS built vtrust for it, its initramfs has it"

boot upgraded
host_instance vtrust-guest > "$work/upgraded.instance" || fail "the service does not have the instance"
sed 's/^/    /' "$work/upgraded.instance" | head -n 20
[ "$(head -n1 "$work/upgraded.instance")" = "untrusted untrusted 2" ] ||
	fail "the service says '$(head -n1 "$work/upgraded.instance")', not 'untrusted untrusted 2'"
# the kernel named: grub's event for the kernel it loaded (PCR 9)
grep -Eq '^diff [a-z]+ 9 [a-z]+ .*vmlinuz' "$work/upgraded.instance" ||
	fail "boot 3: no difference names the kernel (/vmlinuz, PCR 9)"
echo "ok: boot 3: the 6.12 kernel booted, vtrust loaded first, untrusted naming the kernel"

host_accept vtrust-guest 2 "t-debian-story: linux-image-6.12"

boot accepted
got=$(host_instance vtrust-guest | head -n1) || fail "the service does not have the instance"
[ "$got" = "trusted trusted 3" ] || fail "the service says '$got', not 'trusted trusted 3'"
echo "ok: boot 4: trusted after the accept"

boot sb-unknown-key --secure-boot
echo "ok: boot 5: Secure Boot (shim, grub, kernel signed), lockdown; vtrust's key not enrolled: refused"
boot sb-enrolled --secure-boot --mok "$work/debs/mok.der"
echo "ok: boot 6: Secure Boot with the key in MokList: vtrust loaded, a copy without its signature refused"
echo PASS
