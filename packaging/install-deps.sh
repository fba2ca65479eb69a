#!/usr/bin/env bash
# Installs every Debian 12 package Tandem needs to build, test and run.
# Idempotent: quiet and quick when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3
  libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev openssl zlib1g-dev
  libboost-dev libboost-system-dev nlohmann-json3-dev catch2
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools linguist-qt6 libgl-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtqml-workerscript qml6-module-qtquick-templates
  qml6-module-qttest qml6-module-qtquick-dialogs qml6-module-qt-labs-platform
  qml6-module-qtquick-shapes qml6-module-qtqml-models
  libqt6svg6  # the icons are SVG: without the plugin they do not show
  fonts-noto-cjk xvfb xauth poppler-utils poppler-data
  # The real-window test (tests/e2e/app_window_test.py): Xvfb, a D-Bus session with the
  # accessibility bus, pyatspi for the system python3, xdotool for mouse and keys.
  xdotool at-spi2-core python3-pyatspi dbus dbus-x11
  # PostgreSQL backend and its throw-away test clusters (tests/support/pg_cluster.*);
  # useradd (passwd) and setpriv (util-linux) run them unprivileged under root.
  postgresql-15 postgresql-client-15 libpq-dev passwd util-linux
  # .deb packages and their test (packaging/CMakeLists.txt, tests/packaging/):
  # dpkg-shlibdeps (and file, which CPack runs before it), a Debian 12 root to install
  # into and boot (nspawn), the unit checks, the icon's PNGs.
  dpkg-dev file fakeroot mmdebstrap systemd systemd-container desktop-file-utils librsvg2-bin
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
# Tests start throw-away clusters of their own; the system-wide "main" cluster that
# postgresql-common would create (and start on port 5432) would only cost memory.
if [ ! -e /etc/postgresql-common/createcluster.d/tandem-no-main-cluster.conf ] &&
  ! dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null | grep -q "install ok installed"; then
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/tandem-no-main-cluster.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
