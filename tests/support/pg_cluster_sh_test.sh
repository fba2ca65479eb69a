#!/usr/bin/env bash
# Checks pg_cluster.sh against a real PostgreSQL: the CTest fixture's cluster answers at
# its URL, survives `stop --keep` + `start` on the same URL with its data, and `run`
# gives a command a cluster, passes on its exit status and removes the cluster after.
#   pg_cluster_sh_test.sh PG_CLUSTER_SH FIXTURE_DIR PG_BINDIR
set -euo pipefail
script=$1 dir=$2 bindir=$3
export TANDEM_PG_BINDIR=$bindir
fail() { echo "FAIL: $*" >&2; exit 1; }
sql() { "$bindir/psql" --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$1" --command="$2"; }
ready() { local rc=0; "$bindir/pg_isready" --host=127.0.0.1 --port="$1" --timeout=5 --quiet || rc=$?; echo $rc; }

url=$("$script" url "$dir")
[[ $url =~ ^postgresql://tandem@127\.0\.0\.1:([0-9]+)/tandem$ ]] || fail "unexpected URL $url"
port=${BASH_REMATCH[1]}
[ "$(sql "$url" 'SELECT 1')" = 1 ] || fail "SELECT 1 through $url"
sql "$url" "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('跨部门协作')"
echo "ok - the fixture's cluster answers at $url"

"$script" stop "$dir" --keep
[ -d "$dir/data" ] || fail "stop --keep removed $dir"
[ "$(ready "$port")" = 2 ] || fail "the server still answers after stop --keep"
[ "$("$script" start "$dir")" = "$url" ] || fail "start after stop --keep changed the URL"
[ "$(sql "$url" 'SELECT v FROM kept')" = 跨部门协作 ] || fail "data lost across stop --keep / start"
echo "ok - stop --keep and start bring the same cluster back at the same URL"

# shellcheck disable=SC2016 # expanded by the inner bash, where run set them
out=$("$script" run bash -c 'echo "$TANDEM_PG_DIR $TANDEM_PG_URL"; "$TANDEM_PG_BINDIR/psql" --no-psqlrc -tAc "SELECT 2" "$TANDEM_PG_URL"')
read -r run_dir run_url <<<"$(head -n 1 <<<"$out")"
[ "$(tail -n 1 <<<"$out")" = 2 ] || fail "run: the command could not query its cluster: $out"
[ ! -e "$run_dir" ] || fail "run left $run_dir behind"
run_port=${run_url#*127.0.0.1:}; run_port=${run_port%%/*}
[ "$(ready "$run_port")" = 2 ] || fail "run left the server on port $run_port running"
rc=0; "$script" run sh -c 'exit 7' || rc=$?
[ "$rc" = 7 ] || fail "run did not pass on the command's exit status (got $rc)"
echo "ok - run gives a command its own cluster, passes on its status and cleans up"
