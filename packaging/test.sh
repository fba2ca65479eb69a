#!/usr/bin/env bash
# Installs what is missing, builds Tandem and runs every test (not the benchmarks).
#   TANDEM_WERROR=ON     treat warnings as errors (CI)
#   TANDEM_SANITIZE=ON   also build the core and server tests with ASan+UBSan and run them
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash packaging/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_WERROR="${TANDEM_WERROR:-OFF}" >/dev/null
cmake --build build -j"$jobs"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build -LE bench --output-on-failure -j"$jobs"

if [ "${TANDEM_SANITIZE:-OFF}" = ON ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTANDEM_SANITIZE=ON \
    -DTANDEM_WERROR="${TANDEM_WERROR:-OFF}" >/dev/null
  cmake --build build-asan -j"$jobs" --target tandem_sanitized_tests
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan -L sanitize --output-on-failure -j"$jobs"
fi
