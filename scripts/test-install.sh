#!/usr/bin/env bash
# yarn test:install — proves the plugins install into someone else's portal.
#
# Builds and packs every published package (checking what each tarball
# holds), creates a fresh Backstage app with @backstage/create-app in a
# temporary folder, adds the tarballs and exactly the lines of code and config
# the root README's "Install into your portal" shows, installs, starts the
# app, and checks: SSF metadata answers, a receiver creates a stream with an
# external access token, the catalog lists that stream as a Resource, the
# scaffolder lists the SSF actions, and the Shared
# Signals page renders in Chromium. Ends with "test:install: N passed, M failed".
#
# SSF_INSTALL_KEEP=1 keeps the temporary app (its path is printed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"

CREATE_APP_VERSION=0.9.2 # the create-app of Backstage 1.55, as backstage.json
PACKAGES=(ssf-common ssf-node ssf-backend ssf scaffolder-backend-module-ssf catalog-backend-module-ssf permission-backend-module-ssf-policy)
BACKEND_PORT=7401
APP_PORT=3401
READY_TIMEOUT="${SSF_INSTALL_READY_TIMEOUT:-300}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ssf-install.XXXXXX")"
PACKS="$WORK/packs"
APP="$WORK/portal"
LOG="$WORK/portal.log"
SHOT="$SSF_ROOT/.tools/install-ssf-page.png"
mkdir -p "$PACKS" "$SSF_ROOT/.tools"
pid=""

finish() {
  local status=$?
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  if [ "$status" != 0 ] && [ -f "$LOG" ]; then
    echo "── portal log (tail) ──" >&2
    tail -40 "$LOG" >&2
  fi
  if [ -n "${SSF_INSTALL_KEEP:-}" ]; then
    echo "› Kept $WORK"
  else
    rm -rf "$WORK"
  fi
  [ "$status" = 0 ] || echo "test:install: failed (exit $status)"
  exit "$status"
}
trap finish EXIT

step() { printf '› %s\n' "$*"; }

step "Building and packing ${#PACKAGES[@]} packages"
for p in "${PACKAGES[@]}"; do
  (cd "plugins/$p" && yarn build >/dev/null && yarn pack --out "$PACKS/$p.tgz" >/dev/null)
  tar -xzf "$PACKS/$p.tgz" -C "$PACKS" package/package.json
  mv "$PACKS/package/package.json" "$PACKS/$p.json"
done
node scripts/test-install/checkPacks.js "$PACKS"

step "Creating a fresh app with @backstage/create-app@$CREATE_APP_VERSION"
(cd "$WORK" && BACKSTAGE_APP_NAME=portal npx -y "@backstage/create-app@$CREATE_APP_VERSION" \
  --skip-install --path portal >"$WORK/create-app.log" 2>&1) || { tail -20 "$WORK/create-app.log"; exit 1; }
# create-app would download a starter lockfile (it cannot here); ours is the
# same Backstage release, and resolving from it keeps the install offline-safe.
cp yarn.lock "$APP/yarn.lock"

step "Adding the plugins as the README says"
node scripts/test-install/addPlugins.js "$APP" "$PACKS" "$SSF_ROOT"

step "Installing the app's dependencies"
(
  cd "$APP"
  yarn_in_app() { node .yarn/releases/yarn-*.cjs "$@"; }
  # Yarn's resolution step can crash under Node 24 here ("The onCancel handler
  # was attached after the promise settled"); the machine's own Node resolves.
  if ! yarn_in_app install --mode=update-lockfile >"$WORK/resolve.log" 2>&1; then
    if [ -x /usr/bin/node ] && [ "$(/usr/bin/node -p process.version)" != "$(node -p process.version)" ]; then
      /usr/bin/node .yarn/releases/yarn-*.cjs install --mode=update-lockfile >"$WORK/resolve.log" 2>&1 ||
        { tail -20 "$WORK/resolve.log"; exit 1; }
    else
      tail -20 "$WORK/resolve.log"
      exit 1
    fi
  fi
  yarn_in_app install >"$WORK/install.log" 2>&1 || { tail -30 "$WORK/install.log"; exit 1; }
)

step "Starting the app (backend :$BACKEND_PORT, frontend :$APP_PORT)"
export SSF_RECEIVER_TOKEN="install-test-$(node -p 'require("crypto").randomBytes(16).toString("hex")')"
(
  cd "$APP" &&
    APP_CONFIG_app_baseUrl="http://localhost:$APP_PORT" \
    APP_CONFIG_backend_baseUrl="http://localhost:$BACKEND_PORT" \
    APP_CONFIG_backend_listen_port="$BACKEND_PORT" \
    APP_CONFIG_backend_cors_origin="http://localhost:$APP_PORT" \
    BROWSER=none exec setsid node .yarn/releases/yarn-*.cjs start
) >"$LOG" 2>&1 &
pid=$!
started=$SECONDS
until curl -sf "http://localhost:$BACKEND_PORT/api/ssf/.well-known/ssf-configuration" >/dev/null &&
  curl -sf "http://localhost:$APP_PORT" >/dev/null; do
  if (( SECONDS - started > READY_TIMEOUT )); then
    echo "The app did not answer within $READY_TIMEOUT s" >&2
    exit 1
  fi
  kill -0 "$pid" 2>/dev/null || { echo "The app exited" >&2; exit 1; }
  sleep 2
done
step "App ready after $(( SECONDS - started )) s"

[ -x /usr/bin/chromium ] || { echo "Chromium is missing: run .ci/run or apt-get install chromium" >&2; exit 1; }
node scripts/test-install/checks.js "http://localhost:$BACKEND_PORT" "http://localhost:$APP_PORT" \
  "$SSF_RECEIVER_TOKEN" "$SHOT"
