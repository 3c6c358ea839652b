#!/usr/bin/env bash
# Builds the TA-Lib peers of `npm run bench` in .stratos/bench/talib (gitignored), idempotently:
#   out/talib.node       the `talib` npm package's Node binding
#   out/lib/libta-lib.a  the static TA-Lib C library it wraps, with out/include/ta_*.h
#   out/talib-harness    scripts/bench/talib-harness.c linked against that library (-O2)
# The package ships macOS objects and archives; on Linux they are deleted and rebuilt with the package's
# own makefiles (serially: the sub-makes share one object folder), then node-gyp builds the binding.
set -euo pipefail

VERSION=2.0.5
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIR="$ROOT/.stratos/bench/talib"
PKG="$DIR/package"
OUT="$DIR/out"
STAMP="$DIR/.built-$VERSION"
LOG="$DIR/build.log"

fail() {
  echo "setup-talib: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "missing tool '$1' ($2)"
}

need node "Node.js 20+"
need npm "comes with Node.js"
need tar "apt-get install tar"
need make "apt-get install make"
need gcc "apt-get install gcc"
need g++ "apt-get install g++"
need ar "apt-get install binutils"
need python3 "node-gyp needs it: apt-get install python3"

# node-gyp compiles against the headers of the running Node; a distribution Node keeps them in /usr/include/node.
NODEDIR="${NODEDIR:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")}"
[[ -f "$NODEDIR/include/node/node_api.h" ]] ||
  fail "no Node headers in $NODEDIR/include/node (set NODEDIR, or apt-get install libnode-dev)"
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[[ -f "$NODE_GYP" ]] || fail "missing tool 'node-gyp' (expected inside npm at $NODE_GYP)"

started=$SECONDS
mkdir -p "$DIR"

if [[ -f "$STAMP" && -f "$OUT/talib.node" && -f "$OUT/lib/libta-lib.a" ]]; then
  echo "talib $VERSION already built in ${DIR#"$ROOT"/}"
else
  rm -rf "$PKG" "$OUT" "$STAMP"
  : >"$LOG"
  echo "fetching talib@$VERSION"
  (cd "$DIR" && npm pack "talib@$VERSION" --silent >>"$LOG" 2>&1) || fail "npm pack talib@$VERSION failed (see $LOG)"
  tar -xzf "$DIR/talib-$VERSION.tgz" -C "$DIR"
  rm -f "$DIR/talib-$VERSION.tgz"

  echo "building the TA-Lib C library (make, serial)"
  rm -f "$PKG"/src/lib/temp/csr/*.o "$PKG"/src/lib/lib/*.a
  rm -rf "$PKG/build"
  make -j1 -C "$PKG/src/lib/make/csr/linux/g++" >>"$LOG" 2>&1 || fail "make of the TA-Lib C library failed (see $LOG)"

  echo "building the Node binding (node-gyp, nodedir $NODEDIR)"
  # `nan` is the binding's only dependency; the package's own install script would rebuild with make again.
  (cd "$PKG" && npm install --ignore-scripts --no-save --no-package-lock --omit=dev --engine-strict=false \
    --no-audit --no-fund >>"$LOG" 2>&1) || fail "npm install of the binding's dependencies failed (see $LOG)"
  (cd "$PKG" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR" >>"$LOG" 2>&1) ||
    fail "node-gyp rebuild failed (see $LOG)"

  mkdir -p "$OUT/lib" "$OUT/include"
  cp "$PKG/build/Release/talib.node" "$OUT/talib.node"
  # libta_libc_csr.a holds every object of the other three archives: one library is enough to link.
  cp "$PKG/src/lib/lib/libta_libc_csr.a" "$OUT/lib/libta-lib.a"
  cp "$PKG"/src/lib/include/ta_*.h "$OUT/include/"
  touch "$STAMP"
fi

HARNESS_SRC="$HERE/talib-harness.c"
if [[ ! -x "$OUT/talib-harness" || "$HARNESS_SRC" -nt "$OUT/talib-harness" || "$OUT/lib/libta-lib.a" -nt "$OUT/talib-harness" ]]; then
  echo "compiling the C harness (gcc -O2)"
  gcc -O2 -std=c11 -Wall -Wextra -I"$OUT/include" "$HARNESS_SRC" "$OUT/lib/libta-lib.a" -lm \
    -o "$OUT/talib-harness" || fail "compiling $HARNESS_SRC failed"
fi

echo "talib peers ready in ${DIR#"$ROOT"/} ($((SECONDS - started)) s)"
