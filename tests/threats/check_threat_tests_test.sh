#!/usr/bin/env bash
# scripts/check-threat-tests on small made-up trees: a good table passes; a
# row naming a test that is not in the file, a missing file, a row without a
# test, a gap and a short table each fail with their own line.
set -euo pipefail
checker=$1
tmp=$(mktemp -d /tmp/vthr.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs" "$tmp/tests/e2e"
cat > "$tmp/tests/e2e/a_e2e_test.cpp" <<'CPP'
TEST_F(ASuite, Threat1Good) {
}
TEST(BSuite, Threat2Good) {
}
CPP
fails=0
expect() {  # expect EXIT EXPECTED-OUTPUT-LINE ROWS...
  local want_rc=$1 want=$2
  shift 2
  { echo "| # | attack | answer | tests | end-to-end test |"; echo "|---|---|---|---|---|"; printf '%s\n' "$@"; } \
    > "$tmp/docs/threat-model.md"
  set +e
  out=$("$checker" --expect 2 "$tmp")
  rc=$?
  set -e
  if [[ $rc -ne $want_rc || $out != *"$want"* ]]; then
    echo "FAIL: want exit $want_rc and \"$want\", got exit $rc:"
    echo "$out"
    fails=$((fails + 1))
  fi
}
good1='| 1 | a | b | c | `tests/e2e/a_e2e_test.cpp: ASuite.Threat1Good` |'
good2='| 2 | a | b | c | `tests/e2e/a_e2e_test.cpp: BSuite.Threat2Good` |'
expect 0 "all 2 threats name an existing end-to-end test" "$good1" "$good2"
expect 1 "threat 2: tests/e2e/a_e2e_test.cpp has no test BSuite.Threat2Gone" "$good1" \
  '| 2 | a | b | c | `tests/e2e/a_e2e_test.cpp: BSuite.Threat2Gone` |'
expect 1 "threat 2: tests/e2e/none_test.cpp does not exist" "$good1" \
  '| 2 | a | b | c | `tests/e2e/none_test.cpp: BSuite.Threat2Good` |'
expect 1 "threat 2: no end-to-end test named" "$good1" '| 2 | a | b | c | unit tests only |'
expect 1 "threat 3: out of order (expected row 2)" "$good1" \
  '| 3 | a | b | c | `tests/e2e/a_e2e_test.cpp: BSuite.Threat2Good` |'
expect 1 "threat 2: missing: the table ends at row 1, 2 threats are listed" "$good1"
if [[ $fails -gt 0 ]]; then
  echo "$fails case(s) failed"
  exit 1
fi
echo "6 passed, 0 failed"
