#!/usr/bin/env bash
# End-to-end browser tests of the Shared Signals admin page.
#
# Starts the dev portal on in-memory SQLite (backend on :7007 without file
# watching, so edits elsewhere in the tree cannot restart it mid-run; frontend
# dev server on :3000), waits until both answer, runs
# packages/app/e2e-tests/*.e2e.ts with Node (playwright-core driving Debian's
# Chromium, installed with apt-get when missing; no browser is ever
# downloaded), stops the portal, and ends with "e2e: N passed, M failed".
#
# Screenshots: .tools/e2e-screenshots/; portal logs: .tools/e2e-{backend,frontend}.log.
# SSF_E2E_USE_RUNNING=1 runs the tests against a portal that is already up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"

CHROMIUM=/usr/bin/chromium
READY_TIMEOUT="${SSF_E2E_READY_TIMEOUT:-180}"
APP_URL=http://localhost:3000
CONFIG_URL=http://localhost:7007/api/ssf/.well-known/ssf-configuration
TOOLS="$SSF_ROOT/.tools"
BACKEND_LOG="$TOOLS/e2e-backend.log"
FRONTEND_LOG="$TOOLS/e2e-frontend.log"
RESULTS="$TOOLS/e2e-results"
mkdir -p "$TOOLS"
rm -rf "$RESULTS"
rm -rf "$TOOLS/e2e-screenshots"

summary_note=""
pids=()

stop_portal() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    local alive=0
    for pid in "${pids[@]}"; do
      kill -0 -- "-$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  pids=()
}

finish() {
  local status=$?
  stop_portal
  local passed=0 failed=0
  if [ -d "$RESULTS" ]; then
    read -r passed failed < <(node -e '
      const fs = require("fs"), path = require("path");
      let p = 0, f = 0;
      for (const name of fs.readdirSync(process.argv[1])) {
        const r = JSON.parse(fs.readFileSync(path.join(process.argv[1], name), "utf8"));
        p += r.passed; f += r.failed;
      }
      console.log(p, f);' "$RESULTS") || true
  fi
  # A run that ended without results (portal did not start, crash) counts
  # as one failure.
  if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then
    failed=1
  fi
  echo
  echo "e2e: $passed passed, $failed failed${summary_note:+ ($summary_note)}"
  if [ "$failed" != 0 ] && [ "$status" = 0 ]; then
    status=1
  fi
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

answers() { curl -sf -o /dev/null --max-time 5 "$1"; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -x "$CHROMIUM" ]; then
  echo "› Installing Chromium (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
"$CHROMIUM" --version 2>/dev/null

if [ -z "${SSF_E2E_USE_RUNNING:-}" ]; then
  # Another run may hold the ports for a while: wait, bounded, for them.
  for _ in $(seq 1 "$READY_TIMEOUT"); do
    port_busy 3000 || port_busy 7007 || break
    sleep 1
  done
  if port_busy 3000 || port_busy 7007; then
    summary_note="ports 3000/7007 stayed busy for ${READY_TIMEOUT} s"
    echo "Something else listens on port 3000 or 7007; stop it first." >&2
    exit 1
  fi

  echo "› Starting the dev portal (logs: .tools/e2e-backend.log, .tools/e2e-frontend.log)"
  # Each process leads its own process group so that stopping it stops its
  # children too (the frontend runs yarn → backstage-cli → rspack).
  (cd packages/backend &&
    NODE_ENV=development exec setsid node --enable-source-maps \
      --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts) \
    >"$BACKEND_LOG" 2>&1 &
  pids+=("$!")
  (cd packages/app && exec setsid yarn start) >"$FRONTEND_LOG" 2>&1 &
  pids+=("$!")

  started=$SECONDS
  ready=""
  while [ $((SECONDS - started)) -lt "$READY_TIMEOUT" ]; do
    if answers "$APP_URL" && answers "$CONFIG_URL"; then
      ready=1
      break
    fi
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || break 2
    done
    sleep 1
  done
  if [ -z "$ready" ]; then
    summary_note="the portal did not start"
    echo "The dev portal did not answer within ${READY_TIMEOUT} s (or exited)." >&2
    echo "── backend log (tail) ──" >&2
    tail -n 40 "$BACKEND_LOG" >&2 || true
    echo "── frontend log (tail) ──" >&2
    tail -n 20 "$FRONTEND_LOG" >&2 || true
    exit 1
  fi
  echo "› Portal ready after $((SECONDS - started)) s"
elif ! answers "$APP_URL" || ! answers "$CONFIG_URL"; then
  summary_note="no running portal"
  echo "SSF_E2E_USE_RUNNING is set but no portal answers on :3000 and :7007" >&2
  exit 1
fi

status=0
for test_file in packages/app/e2e-tests/*.e2e.ts; do
  echo "› $test_file"
  timeout 600 node --require @backstage/cli/config/nodeTransform.cjs \
    "$test_file" || status=$?
done
exit "$status"
