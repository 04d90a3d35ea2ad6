#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# eBPF digests (review F10, F13): vtrust's image of a program covers its
# type, expected attach type, prog_flags and attach target as well as its
# instructions, and bpfload/bpfattach compute the same digest in user space
# from what they submit; a program the verifier rejects leaves no entry,
# under an appraise rule either (the verifier runs before vtrust decides);
# a program refused after verification is freed; a program loaded before
# vtrust is logged as resident-bpf.
# vm-run-args: --add tests/bpf
. /vtrust/tests/guest/lib.sh

BPFLOAD=$VT/tests/tools/bpfload
BPFATTACH=/extra/bpf/bpfattach
field() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# A program loaded before vtrust, held open while vtrust starts.
$BPFLOAD --name vt_res --insns 5 --hold 600 > /tmp/res.out &
respid=$!
for i in $(seq 50); do [ -s /tmp/res.out ] && break; sleep 0.2; done
res=$(cat /tmp/res.out)
echo "$res"
[ -n "$res" ] || fail "bpfload --hold printed nothing"
vt_load
kill $respid
resname=$(awk '$5 ~ /^resident-bpf:1:vt_res:/ { print $5 }' $VTFS/ascii_runtime_measurements)
expect_eq "resident-bpf entry" "resident-bpf:1:vt_res:$(field tag "$res")" "$resname"
expect_eq "resident-bpf digest" "$(field resident "$res")" "$(entry_digest $resname)"

# The image as submitted: bpfload's digest, and sha256sum of its dump.
out=$($BPFLOAD --name vt_dig --dump /tmp/vt_dig.img) || fail "bpfload vt_dig"
echo "$out"
expect_eq "bpf:1:vt_dig digest (bpfload)" "$(field sha256 "$out")" "$(entry_digest bpf:1:vt_dig)"
expect_eq "bpf:1:vt_dig digest (sha256sum of the image)" \
	"$(sha256sum /tmp/vt_dig.img | cut -d' ' -f1)" "$(entry_digest bpf:1:vt_dig)"

# Same instructions, another attach type or other flags: another digest.
# cgroup_skb: expected_attach_type 0 (ingress), 1 (egress); flags 1 is
# BPF_F_STRICT_ALIGNMENT.
for v in "vt_in --type cgroup_skb --imm 1 --attach-type 0" \
	 "vt_out --type cgroup_skb --imm 1 --attach-type 1" \
	 "vt_f0 --flags 0" "vt_f1 --flags 1"; do
	# shellcheck disable=SC2086
	out=$($BPFLOAD --name $v) || fail "bpfload --name $v"
	echo "$out"
	name=bpf:$( [ "${v#*cgroup_skb}" != "$v" ] && echo 8 || echo 1 ):${v%% *}
	expect_eq "$name digest" "$(field sha256 "$out")" "$(entry_digest $name)"
done
[ "$(entry_digest bpf:8:vt_in)" != "$(entry_digest bpf:8:vt_out)" ] ||
	fail "the attach type is not in the digest"
[ "$(entry_digest bpf:1:vt_f0)" != "$(entry_digest bpf:1:vt_f1)" ] ||
	fail "prog_flags are not in the digest"

# A tracing program through libbpf: the target is in the digest too.
out=$($BPFATTACH /extra/bpf/vt_fentry.bpf.o) || fail "bpfattach vt_fentry"
echo "$out"
expect_eq "bpf:26:vt_fentry digest (bpfattach)" \
	"$(field sha256 "$(echo "$out" | grep '^prog=vt_fentry ')")" \
	"$(entry_digest bpf:26:vt_fentry)"

# A program the verifier rejects (it reads r0 before setting it: the
# verifier's log says "R0 !read_ok"): no entry, the list does not grow.
n=$(vt_count)
if $BPFLOAD --name vt_bad --bad --log 2> /tmp/err; then fail "the verifier accepted vt_bad"; fi
cat /tmp/err
grep -q '!read_ok' /tmp/err || fail "vt_bad: not refused by the verifier"
expect_eq "entries after a rejected program" "$n" "$(vt_count)"
expect_eq "bpf:1:vt_bad entries" 0 "$(entry_count_named bpf:1:vt_bad)"

# Under an appraise rule: the verifier first (no denied: entry for a
# program it rejects), then vtrust's EACCES for one outside the baseline.
printf 'measure\nappraise func=BPF_CHECK appraise_type=baseline\n' > $VTFS/policy
n=$(vt_count)
if $BPFLOAD --name vt_bad --bad --log 2> /tmp/err; then fail "the verifier accepted vt_bad"; fi
grep -q '!read_ok' /tmp/err || fail "vt_bad under appraise: not refused by the verifier"
expect_eq "denied:bpf:1:vt_bad entries" 0 "$(entry_count_named denied:bpf:1:vt_bad)"
expect_eq "entries after a rejected program under appraise" "$n" "$(vt_count)"
if $BPFLOAD --name vt_appr --insns 7 --dump /tmp/vt_appr.img 2> /tmp/err; then
	fail "a program outside the baseline loaded"
fi
grep -q 'Permission denied' /tmp/err || { cat /tmp/err; fail "vt_appr: not EACCES"; }
want=$(sha256sum /tmp/vt_appr.img | cut -d' ' -f1)
expect_eq "denied:bpf:1:vt_appr digest" "$want" "$(entry_digest denied:bpf:1:vt_appr)"

# A refusal after a successful bpf_check() takes the loader's normal error
# path, which frees the program: 200 refused loads leave no program memory
# behind (bpf_prog_alloc's vmalloc areas, /proc/vmallocinfo).
progs() { grep -c bpf_prog_alloc /proc/vmallocinfo || true; }
before=$(progs)
for i in $(seq 200); do
	if $BPFLOAD --name vt_appr --insns 4096 2> /dev/null; then fail "vt_appr 4096 loaded"; fi
done
sleep 1
after=$(progs)
echo "bpf_prog_alloc areas: $before before, $after after 200 refused loads"
[ $((after - before)) -lt 20 ] || fail "refused programs are not freed"
echo "sha256:$want" > $VTFS/baseline
out=$($BPFLOAD --name vt_appr --insns 7) || fail "vt_appr refused with its digest in the baseline"
expect_eq "bpf:1:vt_appr digest" "$want" "$(entry_digest bpf:1:vt_appr)"

vt_replay
echo "PASS"
