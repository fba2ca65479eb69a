#!/bin/bash
# tandem-server with `--data DIR` replaced by `--db $TANDEM_DB_URL`: lets a harness that
# starts the server on a data directory (the conformance smoke) run it on PostgreSQL.
# Needs TANDEM_SERVER_BIN and TANDEM_DB_URL in the environment.
set -euo pipefail
: "${TANDEM_SERVER_BIN:?}" "${TANDEM_DB_URL:?}"
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--data" ] && [ $# -ge 2 ]; then
    args+=(--db "$TANDEM_DB_URL")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
exec "$TANDEM_SERVER_BIN" "${args[@]}"
