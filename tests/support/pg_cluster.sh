#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for CTest fixtures and scripts (the conformance
# smoke, manual runs): the recipe of PgCluster (tests/support/pg_cluster.h) in shell.
# initdb + pg_ctl in DIR, listening on 127.0.0.1 with a free port and on a Unix socket
# in DIR; superuser role `tandem`, trust authentication, UTF-8, pg_test.conf's settings.
# As root, PostgreSQL runs as the system user tandem-test (created if missing).
#
#   pg_cluster.sh start DIR        a new cluster in DIR (created; must be empty), or the
#                                  stopped one already there, on its port; prints its URL
#   pg_cluster.sh url DIR          prints the URL of the cluster in DIR
#   pg_cluster.sh stop DIR [--keep]  stops it (pg_ctl -m fast) and removes DIR, or keeps
#                                  it with --keep so that `start DIR` brings it back
#   pg_cluster.sh run CMD [ARG]...  a cluster in a temporary folder for the length of CMD,
#                                  which sees its URL in TANDEM_PG_URL (its folder in
#                                  TANDEM_PG_DIR); exits with CMD's status
#
# Environment: TANDEM_PG_BINDIR (default /usr/lib/postgresql/15/bin),
# TANDEM_PG_DATABASE (default tandem). Exit status 0 done, 1 failed, 2 usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bindir=${TANDEM_PG_BINDIR:-/usr/lib/postgresql/15/bin}
database=${TANDEM_PG_DATABASE:-tandem}
cluster_user=tandem-test
role=tandem

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }
usage() { sed -n '8,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ -x "$bindir/initdb" ] || die "no PostgreSQL at $bindir (packaging/install-deps.sh installs postgresql-15; or set TANDEM_PG_BINDIR)"

as_cluster_user=()
if [ "$(id -u)" -eq 0 ]; then
  # Parallel fixtures may race to create the user; useradd then says "exists" (9) or
  # "/etc/passwd is locked" (10), and the loop looks again.
  for _ in $(seq 20); do
    getent passwd "$cluster_user" >/dev/null && break
    rc=0
    /usr/sbin/useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$cluster_user" 2>/dev/null || rc=$?
    case $rc in 0 | 9) ;; 10) sleep 0.1 ;; *) die "cannot create the system user $cluster_user (useradd $rc)" ;; esac
  done
  uid=$(id -u "$cluster_user") || die "no user $cluster_user"
  gid=$(id -g "$cluster_user")
  as_cluster_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --)
fi

# Runs a server-side binary as the cluster user, from DIR (postgres cannot start in a
# working directory it cannot read, such as root's home).
pg_as_owner() { (cd "$dir" && "${as_cluster_user[@]}" "$@"); }

port_of() { sed -n 's/^port = \([0-9]*\)$/\1/p' "$1/data/postgresql.conf" | tail -n 1; }
url_of() { echo "postgresql://$role@127.0.0.1:$(port_of "$1")/$database"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {
  local port
  port=$(port_of "$dir")
  if ! pg_as_owner "$bindir/pg_ctl" start --pgdata="$dir/data" --log="$dir/postgres.log" --wait --timeout=60 --silent; then
    echo "pg_cluster.sh: pg_ctl start failed; server log:" >&2
    cat "$dir/postgres.log" >&2 || true
    return 1
  fi
  "$bindir/pg_isready" --host=127.0.0.1 --port="$port" --timeout=30 --quiet ||
    { echo "pg_cluster.sh: no connections on 127.0.0.1:$port" >&2; return 1; }
}

cmd_start() {
  dir=$1
  if [ -f "$dir/data/PG_VERSION" ]; then
    start_server || exit 1
    url_of "$dir"
    return
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  chmod 0700 "$dir"
  [ ${#as_cluster_user[@]} -eq 0 ] || chown "$uid:$gid" "$dir"
  pg_as_owner test -w "$dir" || die "$dir is not reachable by $cluster_user (put it under /tmp)"
  local out
  if ! out=$(pg_as_owner "$bindir/initdb" --pgdata="$dir/data" --username="$role" --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync --no-instructions 2>&1); then
    echo "$out" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  {
    printf '\n# tandem test cluster (tests/support/pg_test.conf)\n'
    cat "$here/pg_test.conf"
    printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" "${dir//\'/\'\'}"
  } >>"$dir/data/postgresql.conf"
  # A port taken between free_port and the server's bind is retried with another.
  local attempt
  for attempt in 1 2 3; do
    echo "port = $(free_port)" >>"$dir/data/postgresql.conf"
    if start_server 2>"$dir/start.err"; then break; fi
    if [ "$attempt" -eq 3 ] || ! grep -q "could not bind" "$dir/postgres.log"; then
      cat "$dir/start.err" >&2
      cmd_stop "$dir" >/dev/null 2>&1 || rm -rf "$dir"
      exit 1
    fi
  done
  rm -f "$dir/start.err"
  "$bindir/createdb" --host=127.0.0.1 --port="$(port_of "$dir")" --username="$role" "$database" ||
    { cmd_stop "$dir"; die "createdb failed"; }
  url_of "$dir"
}

cmd_stop() {
  dir=$1
  local keep=${2:-}
  [ -f "$dir/data/PG_VERSION" ] || { [ "$keep" = --keep ] || rm -rf "$dir"; return 0; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_as_owner "$bindir/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --timeout=60 --silent ||
      pg_as_owner "$bindir/pg_ctl" stop --pgdata="$dir/data" --mode=immediate --wait --silent ||
      die "cannot stop the cluster in $dir"
  fi
  [ "$keep" = --keep ] || rm -rf "$dir"
}

cmd_run() {
  local rc=0
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tandem-pg-XXXXXX")
  trap 'cmd_stop "$tmp" >/dev/null 2>&1 || true' EXIT
  TANDEM_PG_URL=$(cmd_start "$tmp") || exit 1
  TANDEM_PG_DIR=$tmp
  export TANDEM_PG_URL TANDEM_PG_DIR
  "$@" || rc=$?
  exit "$rc"
}

case ${1:-} in
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  url) [ $# -eq 2 ] || usage; [ -f "$2/data/PG_VERSION" ] || die "no cluster in $2"; url_of "$2" ;;
  stop) if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi; cmd_stop "$2" "${3:-}" ;;
  run) [ $# -ge 2 ] || usage; shift; cmd_run "$@" ;;
  *) usage ;;
esac
