#!/usr/bin/env bash
# Installs what is needed and runs the whole test suite: type-check, API
# reports, lint, formatting, every package's tests, the conformance suite, the
# browser tests, the install test in a fresh app, and the fault and load suite. Database tests run on SQLite and, when
# one answers on 127.0.0.1:5432 (or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
# names one), on PostgreSQL 15 too. SSF_REQUIRE_POSTGRES=1 makes PostgreSQL mandatory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"

use_test_postgres
# Real databases only; never try to start containers.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
# Jest runs once, not in watch mode.
export CI=true

step() { printf '\n━━ %s\n' "$*"; }

step "Type-check (tsc)"
yarn tsc

step "API reports (report.api.md of each published package is current)"
yarn build:api-reports --ci

step "Lint (eslint)"
yarn backstage-cli repo lint

step "Formatting (prettier)"
yarn prettier --check --loglevel warn .

step "Tests (jest)"
results="$SSF_ROOT/.tools/jest-results.json"
rm -f "$results"
status=0
yarn backstage-cli repo test --json --outputFile="$results" "$@" || status=$?
node "$SSF_ROOT/scripts/summarise-tests.js" "$results" || status=$?

step "Conformance (black-box, against the dev backend)"
"$SSF_ROOT/scripts/conformance.sh" || status=$?

step "End-to-end (browser, against the dev portal)"
"$SSF_ROOT/scripts/e2e.sh" || status=$?

step "Install into a fresh portal (packed plugins, create-app)"
"$SSF_ROOT/scripts/test-install.sh" || status=$?

step "Robustness: faults and load (the security tests ran with jest above)"
SSF_ROBUSTNESS_SKIP_JEST=1 "$SSF_ROOT/scripts/robustness.sh" || status=$?

exit "$status"
