#!/usr/bin/env bash
# The .deb packages, built and installed for real (CTest `deb_packages`, label packaging).
#   deb_package_test.sh BUILD_DIR CPACK VERSION HAS_APP
# 1. cpack builds tandem-server and tandem from BUILD_DIR (targets already built).
# 2. dpkg-deb: control fields, the exact file list with owners and modes, stripped
#    binaries, maintainer scripts and conffiles; desktop-file-validate; icon sizes;
#    systemd-analyze verify and security on the unit as packaged.
# 3. A fresh Debian 12 root (mmdebstrap: variant apt plus systemd, cached as a tarball
#    like the team kit's fresh-debian.sh; unshare + chroot): `apt-get install
#    ./tandem-server_*.deb` pulls its dependencies; the user, data directory, conffile
#    and unit are checked; tandem-server --help and a real start as the user tandem run.
# 4. The same root booted with systemd-nspawn (private network): systemd starts the
#    enabled unit with all its hardening, it serves /metrics on the conffile's
#    127.0.0.1:8080 as the user tandem with no capabilities, seccomp and
#    no_new_privs, and `systemctl stop` ends it with status 0.
# 5. Back in the chroot: remove, purge and reinstall keep the user and the data.
# Needs root for steps 3-5 (CI runs as root) and a private mount namespace (not in a
# bare chroot); otherwise it stops after step 2 with status 77 (skipped). Everything
# it makes is removed on exit; the PID namespace (and the container) take any process
# started inside the root with them.
set -euo pipefail

build=$1 cpack=$2 version=$3 has_app=$4
arch=$(dpkg --print-architecture)
cache=${FRESH_DEBIAN_CACHE:-/tmp/fresh-debian}

work=$(mktemp -d "${TMPDIR:-/tmp}/tandem-deb-test.XXXXXX")
root=
cleanup() {
  [ -z "$root" ] || rm -rf --one-file-system "$root"
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
fail() { echo "FAIL: $*" >&2; echo "$passed passed, 1 failed"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok - $*"; }

# --- 1. build ---------------------------------------------------------------------------
"$cpack" --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
server_deb=$work/tandem-server_${version}_${arch}.deb
app_deb=$work/tandem_${version}_${arch}.deb
if [ ! -f "$server_deb" ] || [ ! -f "$app_deb" ]; then
  ls "$work" >&2
  fail "cpack made no $server_deb and $app_deb"
fi
ok "cpack builds tandem-server_${version} and tandem_${version}"

# --- 2. contents ------------------------------------------------------------------------
field() { dpkg-deb --field "$1" "$2"; }
expect_field() {  # deb field expected-value
  local got
  got=$(field "$1" "$2")
  [ "$got" = "$3" ] || fail "$(basename "$1"): $2 is '$got', expected '$3'"
}
expect_depends() {  # deb package...
  local deb=$1 dep
  shift
  for dep in "$@"; do
    field "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$dep" ||
      fail "$(basename "$deb"): Depends lacks $dep: $(field "$deb" Depends)"
  done
}
for deb in "$server_deb" "$app_deb"; do
  expect_field "$deb" Version "$version"
  expect_field "$deb" Architecture "$arch"
  expect_field "$deb" Priority optional
  [[ $(field "$deb" Maintainer) =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || fail "$(basename "$deb"): bad Maintainer"
  [ "$(field "$deb" Description | wc -l)" -ge 3 ] || fail "$(basename "$deb"): no long description"
  if field "$deb" Description | awk 'length > 80 { exit 1 }'; then :; else fail "$(basename "$deb"): description lines over 80 columns"; fi
done
expect_field "$server_deb" Package tandem-server
expect_field "$server_deb" Section net
expect_depends "$server_deb" adduser libc6 libsqlite3-0 libssl3 libstdc++6
expect_field "$server_deb" Recommends sqlite3
expect_field "$app_deb" Package tandem
expect_field "$app_deb" Section utils
expect_depends "$app_deb" libc6 libcurl4 libsqlite3-0
if [ "$has_app" = 1 ]; then
  expect_depends "$app_deb" qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts \
    qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtquick-shapes \
    qml6-module-qtqml-workerscript libqt6svg6 fonts-noto-cjk
fi
ok "control fields: names, version, sections, maintainer, description, dependencies"

# Every file (not directory) with its mode and owner: exactly these, nothing else.
files_of() { dpkg-deb --contents "$1" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $1, $2, $6 }' | sort; }
expected_server=$(sort <<'LIST'
-rw-r--r-- root/root /etc/tandem/tandem-server.conf
-rw-r--r-- root/root /lib/systemd/system/tandem-server.service
-rw-r--r-- root/root /usr/share/doc/tandem-server/operations.md
-rw-r--r-- root/root /usr/share/doc/tandem-server/server.md
-rw-r--r-- root/root /usr/share/doc/tandem-server/examples/tandem-alerts.yml
-rwxr-xr-x root/root /usr/bin/tandem-server
LIST
)
diff <(echo "$expected_server") <(files_of "$server_deb") >&2 || fail "tandem-server's files differ from the list above (< expected, > packaged)"
expected_app=$(
  {
    echo "-rwxr-xr-x root/root /usr/bin/tandem-cli"
    [ "$has_app" = 1 ] && echo "-rwxr-xr-x root/root /usr/bin/tandem"
    echo "-rw-r--r-- root/root /usr/share/applications/tandem.desktop"
    echo "-rw-r--r-- root/root /usr/share/icons/hicolor/scalable/apps/tandem.svg"
    for size in 16 24 32 48 64 128 256; do echo "-rw-r--r-- root/root /usr/share/icons/hicolor/${size}x${size}/apps/tandem.png"; done
  } | sort
)
diff <(echo "$expected_app") <(files_of "$app_deb") >&2 || fail "tandem's files differ from the list above (< expected, > packaged)"
ok "file lists, owners and modes of both packages"

mkdir "$work/server" "$work/server-control" "$work/app"
dpkg-deb --extract "$server_deb" "$work/server"
dpkg-deb --control "$server_deb" "$work/server-control"
dpkg-deb --extract "$app_deb" "$work/app"
for bin in "$work/server/usr/bin/tandem-server" "$work"/app/usr/bin/*; do
  if readelf --sections "$bin" | grep -q '\.debug_info'; then fail "$(basename "$bin") is not stripped"; fi
done
ok "binaries are stripped"

ctl=$work/server-control
for script in postinst prerm postrm; do
  [ "$(stat -c %a "$ctl/$script")" = 755 ] || fail "$script is not 0755"
  sh -n "$ctl/$script" || fail "$script: syntax error"
done
[ "$(cat "$ctl/conffiles")" = /etc/tandem/tandem-server.conf ] || fail "conffiles: $(cat "$ctl/conffiles")"
# (What the user and directory look like once made is checked in the fresh root below.)
grep -q 'adduser --system --group' "$ctl/postinst" || fail "postinst does not create the system user tandem"
grep -q 'install -d -o tandem -g tandem -m 0750 /var/lib/tandem' "$ctl/postinst" || fail "postinst does not create /var/lib/tandem"
grep -q 'deb-systemd-helper enable' "$ctl/postinst" || fail "postinst does not enable the unit"
if grep -Eq 'deluser|userdel|delgroup|groupdel|rm .*/var/lib/tandem' "$ctl/postrm" "$ctl/prerm"; then
  fail "prerm or postrm removes the user or the data"
fi
ok "maintainer scripts and conffiles"

desktop-file-validate "$work/app/usr/share/applications/tandem.desktop" || fail "tandem.desktop is not valid"
grep -qx 'Name\[zh_CN\]=Tandem 跨部门协作' "$work/app/usr/share/applications/tandem.desktop" || fail "tandem.desktop has no zh_CN name"
for size in 16 24 32 48 64 128 256; do
  png=$work/app/usr/share/icons/hicolor/${size}x${size}/apps/tandem.png
  # PNG: the IHDR's width and height are the big-endian words at bytes 16 and 20.
  dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
  [ "$dims" = "${size}x${size}" ] || fail "the ${size} px icon is $dims"
done
ok "desktop file valid, icons at their sizes"

unit=$work/server/lib/systemd/system/tandem-server.service
# shellcheck disable=SC2016 # $TANDEM_SERVER_ARGS is systemd's to expand
for line in 'User=tandem' 'Group=tandem' 'EnvironmentFile=/etc/tandem/tandem-server.conf' \
  'ExecStart=/usr/bin/tandem-server $TANDEM_SERVER_ARGS' 'KillSignal=SIGTERM' 'StateDirectory=tandem' \
  'StateDirectoryMode=0750' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
  'PrivateDevices=yes' 'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
  'SystemCallFilter=@system-service' 'WantedBy=multi-user.target'; do
  grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done
grep -qx 'TANDEM_SERVER_ARGS="--data /var/lib/tandem --listen 127.0.0.1:8080"' \
  "$work/server/etc/tandem/tandem-server.conf" || fail "the conffile's default command line changed"
# verify needs the units the service depends on (sysinit.target …): the host's, beside
# the packaged one. It exits 0 on some errors, so any output is a failure too.
cp -an /lib/systemd/system/. "$work/server/lib/systemd/system/"
if ! out=$(systemd-analyze verify --root="$work/server" tandem-server.service 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi
# Exposure on systemd's 0-10 scale (1.1 now); 1.5 fails it if hardening is dropped.
systemd-analyze security --offline=yes --threshold=15 "$unit" >"$work/security.txt" 2>&1 ||
  { cat "$work/security.txt" >&2; fail "systemd-analyze security: exposure above 1.5"; }
ok "unit: systemd-analyze verify is clean, security exposure $(sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p' "$work/security.txt")"

if [ "$(id -u)" -ne 0 ]; then
  echo "$passed passed, 0 failed"
  echo "SKIP: installing into a fresh Debian 12 root needs root" >&2
  exit 77
fi
# Steps 3-5 run the root in a private mount and PID namespace. Inside a bare chroot
# (the team kit's fresh-debian.sh, whose / is not a mount point) unshare cannot make
# the mounts private: say so and stop after the checks above, as without root.
if ! probe=$(unshare --mount --pid --fork --kill-child true 2>&1); then
  echo "$passed passed, 0 failed"
  echo "SKIP: no private mount namespace here (unshare: $probe): not installed into a fresh root" >&2
  exit 77
fi

# --- 3. a fresh Debian 12 root ----------------------------------------------------------
mkdir -p "$cache"
# systemd is in the image only for step 4: the chroot steps never see it running.
tar=$cache/bookworm-systemd.tar
# Roots left by a run that was killed (its pid is gone): nothing is mounted on them
# outside their run's own mount namespace, so they are plain folders.
for stale in "$cache"/deb-test-root.*; do
  [ -d "$stale" ] || continue
  kill -0 "${stale##*.}" 2>/dev/null || rm -rf --one-file-system "$stale"
done
(
  flock 9
  if [ ! -s "$tar" ]; then
    # This machine's apt sources, wherever they are: a stock Debian 12 has
    # sources.list.d/debian.sources, older set-ups sources.list, a root made by
    # mmdebstrap (a fresh CI machine) sources.list.d/0000debian.sources.
    sources=()
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
      [ -s "$f" ] && sources+=("$f")
    done
    [ ${#sources[@]} -gt 0 ] || { echo "no apt sources on this machine" >&2; exit 1; }
    # mmdebstrap picks the output format from the name: keep it ending in .tar.
    mmdebstrap --quiet --variant=apt --include=systemd,systemd-sysv bookworm \
      "$cache/bookworm-systemd.partial.tar" "${sources[@]}" >&2 || exit 1
    mv "$cache/bookworm-systemd.partial.tar" "$tar"
  fi
) 9>"$cache/bookworm-systemd.lock" || fail "mmdebstrap could not make a Debian 12 root"
root=$cache/deb-test-root.$$
mkdir "$root"
tar -xf "$tar" -C "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
install -d -m 0755 "$root/srv/debs"
install -m 0644 "$server_deb" "$root/srv/debs/"
ok "a fresh Debian 12 root ($(du -sh "$root" | cut -f1))"

# The checks that run inside the root, by phase: install (step 3), remove (step 5).
cat >"$root/srv/check.sh" <<'CHECK'
set -euo pipefail
phase=$1
export DEBIAN_FRONTEND=noninteractive
passed=0
fail() { echo "FAIL (in the root): $*" >&2; echo "$passed passed, 1 failed"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok - $*"; }

check_account() {
  local name uid gid home shell
  IFS=: read -r name _ uid gid _ home shell < <(getent passwd tandem) || fail "no user tandem"
  [ "$uid" -ge 100 ] && [ "$uid" -lt 1000 ] || fail "tandem is not a system user (uid $uid)"
  [ "$shell" = /usr/sbin/nologin ] || fail "tandem's shell is $shell"
  [ "$home" = /var/lib/tandem ] || fail "tandem's home is $home"
  [ "$(getent group tandem | cut -d: -f3)" = "$gid" ] || fail "tandem's primary group is not tandem"
  [ "$(getent group tandem | cut -d: -f3)" -lt 1000 ] || fail "the group tandem is not a system group"
}

if [ "$phase" = install ]; then
apt-get update -qq >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get update"; }
getent passwd tandem >/dev/null && fail "the fresh root already has a user tandem"
apt-get install -y -qq --no-install-recommends /srv/debs/tandem-server_*.deb >/tmp/apt.log 2>&1 ||
  { cat /tmp/apt.log; fail "apt-get install ./tandem-server_*.deb"; }
ok "apt-get install ./tandem-server_*.deb with its dependencies"

check_account
[ "$(stat -c '%U:%G %a' /var/lib/tandem)" = "tandem:tandem 750" ] ||
  fail "/var/lib/tandem is $(stat -c '%U:%G %a' /var/lib/tandem)"
[ -f /etc/tandem/tandem-server.conf ] || fail "no /etc/tandem/tandem-server.conf"
dpkg-query -W -f='${Conffiles}\n' tandem-server | grep -q '^ /etc/tandem/tandem-server.conf ' ||
  fail "/etc/tandem/tandem-server.conf is not a conffile"
[ -f /lib/systemd/system/tandem-server.service ] || fail "no unit"
# No systemd runs here, yet postinst enabled the unit the Debian way (deb-systemd-helper).
[ "$(readlink /etc/systemd/system/multi-user.target.wants/tandem-server.service)" = /lib/systemd/system/tandem-server.service ] ||
  fail "the unit is not enabled"
ok "system user and group tandem (nologin), /var/lib/tandem tandem:tandem 0750, conffile, unit enabled"

tandem-server --help >/tmp/help.txt || fail "tandem-server --help exits non-zero"
grep -q '^usage:' /tmp/help.txt || fail "tandem-server --help prints no usage"
ok "tandem-server --help"

# A real start as the service user: the installed binary and its libraries work, and it
# can write its data directory. setpriv execs the server itself, so its exit status is
# the server's (runuser would answer SIGTERM with its own).
mkfifo /tmp/server.out
setpriv --reuid=tandem --regid=tandem --init-groups -- \
  tandem-server --data /var/lib/tandem --listen 127.0.0.1:0 >/tmp/server.out 2>/tmp/server.err &
server=$!
exec 3</tmp/server.out
read -r -t 60 first <&3 || { cat /tmp/server.err; fail "no first line from tandem-server within 60 s"; }
[[ $first =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]] || fail "first line: $first"
port=${BASH_REMATCH[1]}
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&4
grep -q '^tandem_http_connections ' <&4 || fail "GET /metrics did not answer with the metrics"
exec 4<&-
kill -TERM "$server"
status=0
wait "$server" || status=$?
[ "$status" = 0 ] || { cat /tmp/server.err; fail "tandem-server exited $status after SIGTERM"; }
[ "$(stat -c %U /var/lib/tandem/tandem.db)" = tandem ] || fail "tandem.db is not the user tandem's"
ok "tandem-server runs as tandem: $first, /metrics answers, SIGTERM exits 0"
fi

if [ "$phase" = remove ]; then
apt-get remove -y -qq tandem-server >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get remove"; }
[ ! -e /usr/bin/tandem-server ] || fail "remove left /usr/bin/tandem-server"
check_account
[ -f /var/lib/tandem/tandem.db ] || fail "remove deleted the database"
[ -f /etc/tandem/tandem-server.conf ] || fail "remove deleted the conffile"
ok "apt-get remove keeps the user, the group, the data and the conffile"

apt-get purge -y -qq tandem-server >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get purge"; }
check_account
[ "$(stat -c '%U:%G %a' /var/lib/tandem)" = "tandem:tandem 750" ] || fail "purge changed /var/lib/tandem"
[ -f /var/lib/tandem/tandem.db ] || fail "purge deleted the database"
[ ! -e /etc/tandem/tandem-server.conf ] || fail "purge kept the conffile"
[ ! -e /etc/systemd/system/multi-user.target.wants/tandem-server.service ] || fail "purge left the unit enabled"
ok "apt-get purge keeps the user, the group and the data"

apt-get install -y -qq --no-install-recommends /srv/debs/tandem-server_*.deb >/tmp/apt.log 2>&1 ||
  { cat /tmp/apt.log; fail "installing again over the kept user and data"; }
check_account
[ "$(stat -c '%U:%G %a' /var/lib/tandem)" = "tandem:tandem 750" ] || fail "reinstall changed /var/lib/tandem"
[ -f /var/lib/tandem/tandem.db ] || fail "reinstall lost the database"
ok "installing again reuses the user and the data"
fi
echo "$passed passed, 0 failed"
CHECK

# Step 4's check, run by systemd inside the booted root once the unit has started.
cat >"$root/srv/boot-check.sh" <<'CHECK'
set -uo pipefail
fail() { echo "FAIL (under systemd): $*"; systemctl status tandem-server --no-pager; journalctl -u tandem-server --no-pager -o cat; systemctl poweroff; exit 1; }
# Wait for the first stdout line in the journal (the unit is Type=exec: started is not yet listening).
exec 5< <(exec journalctl --follow --lines=all --output=cat --unit=tandem-server)
journal=$!
# Give up at once if the process exits (systemd's own lines about the unit are in the
# same journal), or after 60 s overall.
first=
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ] && read -r -t "$((deadline - SECONDS))" line <&5; do
  case $line in
    "listening on "*) first=$line; break ;;
    *"Main process exited"* | *"Failed with result"*) break ;;
  esac
done
kill "$journal" 2>/dev/null
[ "$first" = "listening on http://127.0.0.1:8080" ] || fail "no 'listening on http://127.0.0.1:8080' from the service"
[ "$(systemctl is-active tandem-server)" = active ] || fail "the unit is not active"
pid=$(systemctl show --property=MainPID --value tandem-server)
status=/proc/$pid/status
uid=$(id -u tandem)
grep -Eq "^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid$" "$status" || fail "not running as tandem: $(grep ^Uid "$status")"
grep -q '^NoNewPrivs:[[:space:]]*1$' "$status" || fail "no_new_privs is not set"
grep -q '^Seccomp:[[:space:]]*2$' "$status" || fail "no seccomp filter"
grep -q '^CapEff:[[:space:]]*0000000000000000$' "$status" || fail "effective capabilities: $(grep ^CapEff "$status")"
grep -q '^CapBnd:[[:space:]]*0000000000000000$' "$status" || fail "bounding set: $(grep ^CapBnd "$status")"
exec 4<>/dev/tcp/127.0.0.1/8080 || fail "cannot connect to 127.0.0.1:8080"
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&4
grep -q '^tandem_server_cursor ' <&4 || fail "GET /metrics did not answer with the metrics"
exec 4<&-
systemctl stop tandem-server
[ "$(systemctl show --property=ExecMainStatus --value tandem-server)" = 0 ] || fail "exit status after stop: $(systemctl show --property=ExecMainStatus --value tandem-server)"
[ "$(systemctl show --property=Result --value tandem-server)" = success ] || fail "result after stop is not success"
echo "BOOT CHECK PASSED: $first as uid $uid, no capabilities, seccomp, no_new_privs; /metrics answered; stop exited 0"
systemctl poweroff
CHECK
cat >"$root/etc/systemd/system/tandem-boot-check.service" <<'UNIT'
[Unit]
Description=deb_package_test: tandem-server under systemd
After=tandem-server.service
[Service]
Type=oneshot
ExecStart=/bin/bash /srv/boot-check.sh
StandardOutput=file:/srv/boot-check.log
StandardError=inherit
UNIT

in_root() {  # phase
  # A private mount and PID namespace: the mounts vanish with it, and so does any process
  # still running inside the root when it ends (or when this test is killed).
  # shellcheck disable=SC2016 # expanded by the inner bash
  unshare --mount --pid --fork --kill-child bash -c '
    set -e
    r=$1
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount -t tmpfs tmpfs "$r/tmp"
    chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 bash /srv/check.sh "$2"
  ' _ "$root" "$1" | tee "$work/root.log"
  local status=${PIPESTATUS[0]} inner
  inner=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$work/root.log" | tail -n 1)
  passed=$((passed + ${inner:-0}))
  [ "$status" = 0 ] || { echo "$passed passed, 1 failed"; exit 1; }
}

in_root install

# A container needs the host's /sys (cgroups): there is none when this test itself runs
# in a bare chroot, such as the team kit's fresh-debian.sh makes.
if command -v systemd-nspawn >/dev/null && [ -d /sys/fs/cgroup ]; then
  ln -s /etc/systemd/system/tandem-boot-check.service "$root/etc/systemd/system/multi-user.target.wants/"
  timeout 120 systemd-nspawn --quiet --boot --register=no --keep-unit --private-network \
    --machine="tandem-deb-test-$$" --directory="$root" >"$work/boot.log" 2>&1 || true
  rm "$root/etc/systemd/system/multi-user.target.wants/tandem-boot-check.service"
  if ! grep -q '^BOOT CHECK PASSED' "$root/srv/boot-check.log" 2>/dev/null; then
    cat "$root/srv/boot-check.log" >&2 2>/dev/null
    tail -n 20 "$work/boot.log" >&2
    fail "tandem-server under systemd in the booted root"
  fi
  ok "under systemd: $(sed -n 's/^BOOT CHECK PASSED: //p' "$root/srv/boot-check.log")"
else
  echo "note: no systemd-nspawn or no /sys/fs/cgroup here: the unit was not run under systemd" >&2
fi

in_root remove
echo "$passed passed, 0 failed"

