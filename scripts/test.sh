#!/usr/bin/env bash
# Installs what is needed and runs the whole test suite: type-check, API
# reports, lint, formatting, every package's tests, the conformance suite, the
# browser tests and the install test in a fresh app. Database tests run on SQLite and, when
# one answers on 127.0.0.1:5432 (or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
# names one), on PostgreSQL 15 too. SSF_REQUIRE_POSTGRES=1 makes PostgreSQL mandatory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"

if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:5432"
  elif [ -n "${SSF_REQUIRE_POSTGRES:-}" ]; then
    echo "SSF_REQUIRE_POSTGRES is set but no PostgreSQL answers on 127.0.0.1:5432" >&2
    exit 1
  else
    echo "› No PostgreSQL on 127.0.0.1:5432: database tests run on SQLite only." >&2
  fi
fi
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

exit "$status"
