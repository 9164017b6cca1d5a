#!/usr/bin/env bash
# `cmake --install` into a DESTDIR: the man page is there as vouch.1 and as
# git-vouch.1 (what `git vouch --help` asks man for), next to bin/vouch and
# the bin/git-vouch link, and man finds both by name.
#   man_page_install_test.sh BUILD_DIR MANDIR BINDIR
set -euo pipefail
build=$1 mandir=$2 bindir=$3
dest=$(mktemp -d /tmp/vi.XXXXXX)
trap 'rm -rf "$dest"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR=$dest cmake --install "$build" --prefix /usr/local >/dev/null
man1=$dest/usr/local/$mandir/man1
src=$(dirname "$0")/../../docs/vouch.1
for page in vouch.1 git-vouch.1; do
  [[ -f $man1/$page ]] || fail "$man1/$page was not installed"
  cmp -s "$man1/$page" "$src" || fail "$man1/$page differs from docs/vouch.1"
done
[[ -x $dest/usr/local/$bindir/vouch ]] || fail "bin/vouch was not installed"
[[ $(readlink "$dest/usr/local/$bindir/git-vouch") == vouch ]] || fail "bin/git-vouch is not a link to vouch"

if command -v man >/dev/null; then
  for name in vouch git-vouch; do
    got=$(MANPATH=$dest/usr/local/$mandir man -w "$name") || fail "man -w $name found nothing"
    [[ $got == "$man1/$name.1" ]] || fail "man -w $name: expected $man1/$name.1, got $got"
  done
  echo "ok: man -w finds vouch.1 and git-vouch.1"
else
  echo "ok: man1/vouch.1 and man1/git-vouch.1 installed (no man command to ask)"
fi
