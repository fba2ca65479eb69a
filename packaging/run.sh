#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts tandem-server with its
# embedded SQLite store and the demo organisation, then opens the app (`tandem`,
# DESIGN §5c) signed in as TANDEM_DEMO_USER. Closing the app stops the server.
# Without a display (no DISPLAY or WAYLAND_DISPLAY) it says so and walks through the
# demo plan with tandem-cli instead; the server then keeps running until Ctrl-C.
#   TANDEM_DEMO_USER  the demo account to sign in as (default sales.li; password tandem-demo)
#   TANDEM_LISTEN     where the server listens (default 127.0.0.1:8080)
#   TANDEM_DATA       the server's data directory (default ~/.local/share/tandem-demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

user=${TANDEM_DEMO_USER:-sales.li}
display=""
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then display=yes; fi
targets=(tandem-server tandem-cli)
[ -n "$display" ] && targets+=(tandem)
cmake --build build -j"$(nproc)" --target "${targets[@]}"

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

if [ -n "$display" ]; then
  # §5c: --server and --user sign in at start with the password in TANDEM_PASSWORD.
  echo "Opening the app as $user (every demo account's password is tandem-demo)."
  echo "Closing its window stops the server."
  status=0
  TANDEM_PASSWORD=tandem-demo build/client/app/exe/tandem --replica "$replica" --server "$url" --user "$user" ||
    status=$?
  exit "$status"
fi

echo "No display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no app window:"
echo "here is the demo through tandem-cli instead."
cli() { TANDEM_PASSWORD=tandem-demo build/client/cli/tandem-cli --replica "$replica" "$@"; }
echo
echo "== tandem-cli login $url $user"
cli login "$url" "$user"
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
