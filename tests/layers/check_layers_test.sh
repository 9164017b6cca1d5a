#!/usr/bin/env bash
# scripts/check-layers must pass on the tree and must catch a violation: an
# include that goes up the stack and a module missing from the table.
set -euo pipefail
src_root="$1"
out=$("$src_root/scripts/check-layers" "$src_root")
[[ "$out" == "check-layers: "*" modules, no violations" ]] || { echo "unexpected: $out"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs" "$tmp/src/git" "$tmp/src/verify" "$tmp/src/zzz"
cp "$src_root/docs/ARCHITECTURE.md" "$tmp/docs/"
printf '#include "verify/explain.h"\n' >"$tmp/src/git/notes.h"
printf '#include "git/notes.h"\n' >"$tmp/src/verify/explain.h"
touch "$tmp/src/zzz/a.h"
set +e
out=$("$src_root/scripts/check-layers" "$tmp" 2>&1)
rc=$?
set -e
expected="src/git/notes.h:1: git must not include verify/explain.h (docs/ARCHITECTURE.md, Layers)
src/zzz: module missing from the layer table in docs/ARCHITECTURE.md
check-layers: 2 violation(s)"
[[ $rc == 1 ]] || { echo "exit $rc, expected 1"; exit 1; }
[[ "$out" == "$expected" ]] || { printf 'got:\n%s\nexpected:\n%s\n' "$out" "$expected"; exit 1; }
echo "check-layers: ok"
