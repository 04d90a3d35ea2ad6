#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# t-service.sh's story (four UEFI boots running the agent: enrolment and
# baseline, trusted, untrusted naming PCR 9, accept, trusted) with vtrustd
# on PostgreSQL: a throw-away server (userspace/tests/pgcluster.py:
# Debian's postgresql, initdb in a temporary directory, a Unix socket
# only), removed after. A host-side test; skipped (77) without PostgreSQL.
#
#   tests/guest/t-service-pg.sh     (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
here=$(dirname "$0")
exec python3 "$here/../../userspace/tests/pgcluster.py" \
	env T_SERVICE_DB=@URL@ "$here/t-service.sh"
