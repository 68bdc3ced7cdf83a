#!/usr/bin/env bash
# Installs what is needed and starts the dev portal (frontend on :3000, backend
# on :7007) on the embedded default database, in-memory SQLite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_deps
cd "$SSF_ROOT"
exec yarn start "$@"
