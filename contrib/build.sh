#!/bin/sh
# build.sh: configure (once) and build wachter out of tree, in $BUILDDIR
# (default _build). Extra arguments go to configure the first time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILDDIR:-$top/_build}
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1)
mkdir -p "$build"
cd "$build"
[ -f Makefile ] || "$top/configure" -q --enable-werror "$@"
make -s -j"$(nproc)" >/dev/null
