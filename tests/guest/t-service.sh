#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The trusted service end to end: vtrustd on the host (SQLite, listening on
# 127.0.0.1 only), a UEFI guest running `vtrust agent --once` that reaches
# it through qemu's user network (scripts/vm-run --forward PORT: the host's
# 127.0.0.1:PORT at 10.0.2.100:PORT, nothing else). Four boots, with a kept
# TPM and a kept /var/lib/vtrust (the agent's enrolment):
#
#   1  plain              enrols; the first boot becomes the baseline: trusted
#   2  plain              trusted
#   3  --append foo=bar   untrusted, naming PCR 9's command-line event
#      (operator)         POST /v1/instances/ID/accept {"all": true, ...}
#   4  --append foo=bar   trusted
#
# The verdicts are read back through the operator API, and each boot's
# agent output is checked too. A host-side test (header below).
# T_SERVICE_DB=URL puts vtrustd on that database instead of a new SQLite
# file (t-service-pg.sh: a throw-away PostgreSQL).
#
#   tests/guest/t-service.sh        (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

guest() {
	local vt=/vtrust/userspace/vtrust out=/var/lib/vtrust/.t-service
	echo 1 > /proc/sys/kernel/printk
	echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy ||
		{ echo "T-SERVICE: cannot load the IMA policy"; return 1; }
	/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko ||
		{ echo "T-SERVICE: cannot load vtrust.ko"; return 1; }
	$vt agent --server "$(cat $out/server)" --id svc-guest --once \
		--state /var/lib/vtrust/agent > $out/agent.out 2>&1
	echo $? > $out/agent.rc
	cat $out/agent.out
	sync
}

if [ "${1:-}" = guest ]; then
	guest
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-service
VTRUSTD=$top/userspace/vtrustd
[ -x "$VTRUSTD" ] || fail "$VTRUSTD is not built (make)"
[ -e "$top/kernel/vtrust.ko" ] || fail "kernel/vtrust.ko is not built (make)"
command -v python3 > /dev/null || skip "no python3"

# A snapshot of what vm-run puts into the guest: every boot gets the same
# bytes (see t-baseline.sh).
mkdir "$work/repo" "$work/state" "$work/tpm"
host_snapshot kernel/vtrust.ko userspace/vtrust
res=$work/state/.t-service
mkdir "$res"

db=${T_SERVICE_DB:-sqlite:$work/vtrustd.db}
say "vtrustd on ${db%%:*}"
host_vtrustd "$db"
token=$(host_token) && [ -n "$token" ] || fail "no operator token"
echo "http://10.0.2.100:$port" > "$res/server"

# boot STEP [vm-run options...]: one boot; the agent's exit status in rc.
boot() {
	local step=$1 start vrc
	shift
	rm -f "$res/agent.rc"
	start=$SECONDS
	"$work/repo/scripts/vm-run" --firmware uefi --timeout 300 \
		--state "$work/state" --tpm-state "$work/tpm" --forward "$port" "$@" \
		-- "$work/repo/tests/guest/t-service.sh" guest > "$work/$step.console" 2>&1
	vrc=$?
	say "boot $step ($*): vm-run exit $vrc, $((SECONDS - start))s"
	if [ $vrc != 0 ] || [ ! -e "$res/agent.rc" ]; then
		tail -n 40 "$work/$step.console"
		fail "boot $step: vm-run exited with $vrc"
	fi
	rc=$(cat "$res/agent.rc")
	cp "$res/agent.out" "$work/$step.agent"
	sed 's/^/    agent: /' "$work/$step.agent"
}

boot 1
[ "$rc" = 0 ] && grep -q 'enrolled as svc-guest' "$work/1.agent" &&
	grep -q 'verdict: trusted' "$work/1.agent" ||
	fail "boot 1: the agent did not enrol and get trusted (exit $rc)"
[ "$(host_instance svc-guest | head -n1)" = "trusted trusted 1" ] || { host_instance svc-guest; fail "boot 1: not trusted at the service"; }
echo "ok: boot 1 enrolled, its boot is the baseline: trusted"

boot 2
[ "$rc" = 0 ] && ! grep -q enrolled "$work/2.agent" ||
	fail "boot 2: the agent enrolled again or was not trusted (exit $rc)"
[ "$(host_instance svc-guest | head -n1)" = "trusted trusted 2" ] || { host_instance svc-guest; fail "boot 2: not trusted at the service"; }
echo "ok: boot 2 trusted"

boot 3 --append foo=bar
[ "$rc" = 1 ] && grep -q 'verdict: untrusted' "$work/3.agent" ||
	fail "boot 3: the agent did not say untrusted (exit $rc)"
host_instance svc-guest > "$work/3.latest"
cat "$work/3.latest"
[ "$(head -n1 "$work/3.latest")" = "untrusted untrusted 3" ] ||
	fail "boot 3: not untrusted at the service"
grep -Eq '^diff [a-z]+ 9 ' "$work/3.latest" ||
	fail "boot 3: no difference of PCR 9 (the command line) named"
echo "ok: boot 3 untrusted, naming PCR 9's event"

host_accept svc-guest 2 "t-service: kernel command line foo=bar"

boot 4 --append foo=bar
[ "$rc" = 0 ] && grep -q 'verdict: trusted' "$work/4.agent" ||
	fail "boot 4: the agent was not trusted (exit $rc)"
[ "$(host_instance svc-guest | head -n1)" = "trusted trusted 4" ] || { host_instance svc-guest; fail "boot 4: not trusted at the service"; }
echo "ok: boot 4 trusted after the accept"
grep -q 'vtrustd: listening on 127.0.0.1:' "$work/vtrustd.log" ||
	fail "vtrustd did not listen on loopback"
echo PASS
