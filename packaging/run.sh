#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts tandem-server with its
# embedded SQLite store and the demo organisation, and shows the demo plan through a
# tandem-cli replica signed in as the field salesperson sales.li. The server keeps
# running until Ctrl-C.
#   TANDEM_LISTEN   where the server listens (default 127.0.0.1:8080)
#   TANDEM_DATA     the server's data directory (default ~/.local/share/tandem-demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target tandem-server tandem-cli

listen=${TANDEM_LISTEN:-127.0.0.1:8080}
data=${TANDEM_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/tandem-demo}
mkdir -p "$data"
replica=$(mktemp -d)
log="$data/server.log"

fifo=$(mktemp -u)
mkfifo "$fifo"
build/sync-server/tandem-server --data "$data/server" --listen "$listen" --demo >"$fifo" 2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$replica" "$fifo"' EXIT INT TERM
read -r first <"$fifo" || { echo "tandem-server did not start; see $log" >&2; exit 1; }
cat "$fifo" >/dev/null &
url=${first#listening on }
echo "tandem-server $first (data in $data/server, log in $log)"

cli() { TANDEM_PASSWORD=tandem-demo build/client/cli/tandem-cli --replica "$replica" "$@"; }
echo
echo "== tandem-cli login $url sales.li"
cli login "$url" sales.li
echo; echo "== tandem-cli sync"; cli sync
echo; echo "== tandem-cli plans"; cli plans
echo; echo "== tandem-cli status"; cli status
echo; echo "== tandem-cli warnings --all   (the template's rules, computed on this replica)"; cli warnings --all
plan=$(cli --json plans | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
last_week=$(date -d "7 days ago" +%F)
echo; echo "== tandem-cli report $plan --week $last_week   (last week's 项目周报, compiled from its entries)"
cli report "$plan" --week "$last_week"
echo
echo "The server keeps running at $url with the demo organisation (password tandem-demo)."
echo "Try: build/client/cli/tandem-cli --replica $replica show $plan"
echo "     build/client/cli/tandem-cli --replica $replica export $plan --format pdf -o plan.pdf"
echo "     build/client/cli/tandem-cli --replica $replica rollup"
echo "Press Ctrl-C to stop it."
wait $server
