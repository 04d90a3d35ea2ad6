#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The debug kernel's runs (issue 12): scripts/debug-kernel's build (KASAN,
# lockdep, kmemleak, DEBUG_OBJECTS, KFENCE, DEBUG_LIST), booted by
# scripts/vm-run --kernel debug with vtrust.ko and the test modules that
# `make kernels` builds for it:
#   1. tests/guest/stress.sh: VT_STRESS_CYCLES (default 50) load/unload
#      cycles of vtrust under concurrent module loads, firmware requests,
#      eBPF loads, list readers, policy and baseline writers; forced
#      unloads while files are open and while sealed; the replay after
#      every cycle; kmemleak's scan at the end;
#   2. t-tpmfault (the TPM that fails on command);
#   3. the smoke tests (t-basic t-seal t-enforce t-paths).
# Any BUG, WARNING (lockdep's included), KASAN, KFENCE or Oops fails a run,
# except the VFS's warning when an open finds a list file of a vtrust that
# is going (fs/open.c do_dentry_open: securityfs gives a module's files no
# active references; the open fails with ENODEV), which stress.sh counts.
# Without the debug kernel (not built on this machine: `make debug-kernel`,
# about 35 minutes), this test says so and is skipped.
# `make stress` runs this with VT_STRESS_CYCLES=10000 and VT_DEBUG_ONLY_STRESS=1.
# vm-run-args: --host
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

if ! why=$(scripts/debug-kernel --check); then
	echo "SKIP: $why"
	exit 77
fi
rel=$(scripts/debug-kernel --release)
if ! why=$(scripts/build-kernels --check "$rel"); then
	echo "FAIL: $why"
	exit 1
fi
cycles=${VT_STRESS_CYCLES:-50}
logs=$top/build/guest-logs
mkdir -p "$logs"
rc=0

# Under TCG with KASAN and lockdep a cycle takes about 8 s (50: 7 minutes).
echo "== stress.sh: $cycles cycles on $rel"
start=$(date +%s)
scripts/vm-run --kernel debug --smp 2 --mem 2048 \
	--timeout $((900 + cycles * 60)) \
	--allow-problem 'WARNING: .* at fs/open.c:[0-9]+ do_dentry_open' \
	-- tests/guest/stress.sh "$cycles" --debug > "$logs/t-debug-stress.log" 2>&1 || rc=1
grep -E '^(stress|loader|firmware|bpf|reader|policy writer|baseline writer|ok: kmemleak|FAIL)|^vm-run: (allowed|kernel problem)' \
	"$logs/t-debug-stress.log"
echo "stress.sh: $([ $rc = 0 ] && echo PASS || echo FAIL) in $(( $(date +%s) - start )) s (log: build/guest-logs/t-debug-stress.log)"
if [ $rc = 0 ]; then
	{
		date -u +%FT%TZ
		grep '^stress: ' "$logs/t-debug-stress.log"
	} | paste -sd' ' >> "$top/build/stress-results.txt"
fi

if [ "${VT_DEBUG_ONLY_STRESS:-0}" != 1 ]; then
	tests/guest/run-all --kernel debug t-tpmfault t-basic t-seal t-enforce t-paths || rc=1
fi
[ $rc = 0 ] && echo PASS
exit $rc
