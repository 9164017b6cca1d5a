#!/usr/bin/env bash
# Tests completions/vouch.bash in a non-interactive bash: sets COMP_WORDS and
# COMP_CWORD as bash would for a command line, calls the completion function
# and compares COMPREPLY (sorted) with the expected words.
#
# usage: completion_test.sh path/to/completions/vouch.bash
# Needs git (a throwaway repository with branches, tags and a remote is made
# in a temporary directory). Exit 0 when every case passes.
set -u

completion=${1:?usage: completion_test.sh path/to/vouch.bash}
completion=$(cd "$(dirname "$completion")" && pwd)/$(basename "$completion")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vouch-completion.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT

# A repository with branches main and feature, tags v1.0 and v1.1, a remote.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
repo=$tmp/repo
{
  git init -q -b main "$repo" &&
    git -C "$repo" commit -q --allow-empty -m one &&
    git -C "$repo" branch feature &&
    git -C "$repo" tag v1.0 &&
    git -C "$repo" tag v1.1 &&
    git -C "$repo" remote add upstream https://example.org/x.git
} || { echo "cannot create the test repository"; exit 3; }
mkdir -p "$repo/keys.d" && touch "$repo/alice.pub" "$repo/a.sig"

# shellcheck source=/dev/null
source "$completion" || { echo "cannot source $completion"; exit 3; }

failures=0
cases=0

# check FUNCTION "EXPECTED WORDS" WORD...   (the last WORD is the one under the cursor)
check() {
  local fn=$1 expected=$2
  shift 2
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn"
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
  # shellcheck disable=SC2086  # split the expected words
  expected=$(printf '%s\n' $expected | sort | tr '\n' ' ' | sed 's/ $//')
  cases=$((cases + 1))
  if [[ $got != "$expected" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $fn [$*]"
    echo "  expected: $expected"
    echo "  got:      $got"
  fi
}

# check_has FUNCTION WORD-THAT-MUST-BE-THERE WORD-THAT-MUST-NOT ... -- WORDS...
check_has() {
  local fn=$1 must=$2 mustnot=$3
  shift 3
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  "$fn"
  cases=$((cases + 1))
  local all=" ${COMPREPLY[*]} "
  if [[ $all != *" $must "* || $all == *" $mustnot "* ]]; then
    failures=$((failures + 1))
    echo "FAIL: $fn [$*]: want $must, not $mustnot; got:$all"
  fi
}

cd "$repo" || exit 3

# Commands and nested subcommands.
check _vouch "verify verify-tag verify-file verify-archive" vouch ver
check _vouch "import list show remove revoke" vouch key ""
check _vouch "add remove list" vouch trust root ""
check _vouch "root check path graph" vouch trust ""
check _vouch "init check explain" vouch policy ""
check _vouch "install run uninstall" vouch hook ""
check _vouch "add add-key" vouch person add
check _vouch "remove" vouch person rem
check _vouch "--with-keys" vouch person remove bob --w
# Global options with values before the command do not count as the command.
check _vouch "list" vouch --db x.db key l
check _vouch "list" vouch -C "$repo" --format json key l

# Options per command.
check _vouch "--all-commits --allow-sha1-before" vouch verify --al
check _vouch "--allow-sha1-before" vouch verify-file x --allow
check _vouch "--allow-sha1-before" vouch verify-tag --allow
check_has _vouch --trust-root --signature vouch verify --
check_has _vouch --signature --trust-root vouch verify-file x --
check _vouch "--pre-receive --pre-push" vouch hook install --pre
check _vouch "--full" vouch endorse alice --fu
check_has _vouch --require-signer --sign vouch keyring import --

# Enumerated values.
check _vouch "text json github" vouch --format ""
check _vouch "json" vouch verify --format=j
check _vouch "json" vouch verify --format = j   # split at "=" by COMP_WORDBREAKS
check _vouch "text json github" vouch --format =
check _vouch "dot json svg png" vouch trust graph --format ""
check _vouch "auto always never" vouch --color ""
check _vouch "compromised" vouch key revoke k.pub --reason comp
check _vouch "pre-receive pre-push" vouch hook run pre
check _vouch "never" vouch verify --allow-sha1-before n
check _vouch "" vouch verify --allow-sha1-before 2017   # a date: no words to offer
check _vouch "feature" vouch verify --allow-sha1-before never fe   # the value is not a positional

# Files and directories.
check _vouch "keys.d" vouch verify --keyring k
check _vouch "a.sig alice.pub" vouch verify-file x --signature a
check _vouch "alice.pub" vouch --db al
check _vouch "keys.d" vouch keyring export k
check _vouch "alice.pub" vouch key import al

# Revisions from git for-each-ref, ranges, tags, remotes.
check _vouch "feature" vouch verify fe
check _vouch "main..feature" vouch verify main..fe
check _vouch "v1.0 v1.1" vouch verify-tag v
check _vouch "v1.0 v1.1" vouch verify-archive x.tar.gz --tag v
check _vouch "sync" vouch approvals s
check _vouch "upstream" vouch approvals sync u
cd "$tmp" || exit 3
check _vouch "feature" vouch -C "$repo" verify fe
check _vouch "" vouch verify fe  # not a repository: nothing
cd "$repo" || exit 3

# git vouch: git's completion calls _git_vouch with words/cword in scope.
# shellcheck disable=SC2034  # words and cword are read by _git_vouch
git_vouch() {
  local -a words=("${COMP_WORDS[@]}")
  local cword=$COMP_CWORD
  _git_vouch
}
check git_vouch "import list show remove revoke" git vouch key ""
check git_vouch "feature" git -c x=y vouch verify fe
check_has git_vouch --trust-root --all-commits git vouch verify-tag --
# Without git's variables it falls back to COMP_WORDS.
check _git_vouch "add remove list" git vouch trust root ""

echo "$((cases - failures))/$cases completion cases passed"
((failures == 0))
