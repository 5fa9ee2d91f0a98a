#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds and runs small C and C++ hosts
# against the installed package: once through find_package(ivrmedia), once through pkg-config.
set -euo pipefail
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
cxx=${CXX:-c++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build_dir" --prefix "$tmp/prefix" >/dev/null
echo "installed into a temporary prefix:"
(cd "$tmp/prefix" && find . -name 'libivrmedia*' -o -name '*.pc' -o -name 'ivrmediaConfig.cmake' | sort)

echo "== CMake consumer"
cmake -S "$here/consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/cmake" >/dev/null
"$tmp/cmake/consumer_c"
"$tmp/cmake/consumer_cxx"
"$tmp/cmake/consumer_cxx_static"

echo "== pkg-config consumer"
pc=$(find "$tmp/prefix" -name ivrmedia.pc | head -n 1)
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir ivrmedia)
[ "$(pkg-config --modversion ivrmedia)" = "$(grep -E '^Version:' "$pc" | awk '{print $2}')" ]
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic "$here/consumer.c" -o "$tmp/pc_c" \
  $(pkg-config --cflags --libs ivrmedia) -Wl,-rpath,"$libdir"
# shellcheck disable=SC2046
"$cxx" -std=c++20 -Wall -Wextra -Werror "$here/consumer.cpp" -o "$tmp/pc_cxx" \
  $(pkg-config --cflags --libs ivrmedia) -Wl,-rpath,"$libdir"
"$tmp/pc_c"
"$tmp/pc_cxx"
# The SONAME comes from the major version.
readelf -d "$libdir/libivrmedia.so" | grep -q "SONAME.*libivrmedia.so.[0-9]"
echo "install test passed"
