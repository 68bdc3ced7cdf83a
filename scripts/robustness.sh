#!/usr/bin/env bash
# yarn test:robustness [--duration SECONDS] — the robustness and security suite.
#
# 1. Security and bad input (jest, SQLite and PostgreSQL): hostile bodies on
#    every JSON route (4xx with a message, never a 5xx, database unchanged, no
#    secret in any answer or log), every management route refusing users
#    without permission, receivers kept apart, secrets kept out of responses,
#    logs and audit events, internal URLs refused (also through DNS), and the
#    receiver's refusals (INACTIVE provider, bad signature, issuer, audience).
# 2. Faults and load (plugins/ssf-backend/robustness): receiver down, slow,
#    flapping and refusing; receiver silent past inactivity_timeout; a
#    provider's metadata and keys unreachable; database connections dropped;
#    a transmitter killed with SIGKILL; two replicas on one PostgreSQL. Prints
#    a table of SETs emitted, delivered, dead-lettered, lost (must be 0) and
#    duplicated (must be 0), and the notifications sent (each fault must send
#    the kinds it should and no others), then mixed load for --duration
#    seconds (default 60) with zero errors and zero notifications, whose
#    metric totals must equal the load's own counts.
#    One scenario: `yarn workspace @shared-signals/plugin-ssf-backend
#    robustness --only NAME` (see robustness/index.ts for names and options).
#
# SSF_ROBUSTNESS_SKIP_JEST=1 skips part 1 (the full test command ran it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"
use_test_postgres
export BACKSTAGE_TEST_DISABLE_DOCKER=1 CI=true

duration=60
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    *) echo "Unknown option $1 (use --duration SECONDS)" >&2; exit 2 ;;
  esac
done

status=0
if [ -z "${SSF_ROBUSTNESS_SKIP_JEST:-}" ]; then
  printf '\n━━ Security and bad input\n'
  yarn backstage-cli repo test \
    plugins/ssf-backend/src/robustness.test.ts \
    plugins/ssf-backend/src/security.test.ts \
    plugins/ssf-backend/src/http/outboundUrlPolicy.test.ts \
    plugins/ssf-backend/src/receiver/ingestion/ingestion.test.ts || status=$?
fi

printf '\n━━ Faults and load (%s s)\n' "$duration"
yarn workspace @shared-signals/plugin-ssf-backend robustness --duration "$duration" || status=$?
exit "$status"
