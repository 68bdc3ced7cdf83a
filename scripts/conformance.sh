#!/usr/bin/env bash
# Starts the dev backend (in-memory SQLite) on a spare port and runs the
# black-box SSF conformance suite against it over HTTP. Extra arguments go to
# the suite. To test another implementation, run the suite directly:
#   yarn test:conformance --base-url https://other.example.com/ssf --token-a … --token-b …
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"

port="${SSF_CONFORMANCE_PORT:-7117}"
log="$SSF_ROOT/.tools/conformance-backend.log"
mkdir -p "$SSF_ROOT/.tools"

# In its own process group, so that stopping it stops yarn, the CLI and the
# backend process together.
# The receiver checks also drive the backend as a client of a strict SSF 1.0
# transmitter the suite runs on this port; the backend gets OAuth client
# credentials for it (a fresh secret each run).
strict_port="${SSF_CONFORMANCE_TRANSMITTER_PORT:-7118}"
strict_secret="conformance-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
strict_credentials="[{\"issuer\":\"http://127.0.0.1:$strict_port/ssf\",\"tokenUrl\":\"http://127.0.0.1:$strict_port/oauth2/token\",\"clientId\":\"portal-receiver\",\"clientSecret\":\"$strict_secret\"}]"

(cd packages/backend &&
  APP_CONFIG_backend_listen_port="$port" \
  APP_CONFIG_backend_baseUrl="http://localhost:$port" \
  APP_CONFIG_ssf_receiver_credentials="$strict_credentials" \
  exec setsid yarn start) >"$log" 2>&1 &
backend=$!
stop() {
  kill -- "-$backend" 2>/dev/null || kill "$backend" 2>/dev/null || true
  wait "$backend" 2>/dev/null || true
}
trap stop EXIT

for _ in $(seq 1 120); do
  if curl -fs "http://localhost:$port/api/ssf/.well-known/ssf-configuration" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$backend" 2>/dev/null; then
    echo "The backend exited; its log:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  sleep 1
done

yarn test:conformance --base-url "http://localhost:$port/api/ssf" \
  --strict-transmitter-port "$strict_port" \
  --strict-transmitter-secret "$strict_secret" "$@"
