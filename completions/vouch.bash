# bash completion for vouch(1) and `git vouch`.
#
# Install: copy to /usr/share/bash-completion/completions/vouch (and link it as
# git-vouch), or `source` it from ~/.bashrc. It completes commands, nested
# subcommands, each command's options, enumerated option values, files and
# directories where an option or argument names one, and git revisions
# (branches, tags, remote branches, HEAD; `A..B` too) from `git for-each-ref`
# in the repository given with -C/--repo or the current one.
#
# `git vouch` works through git's own completion, which calls _git_vouch with
# its `words`/`cword` variables in scope; `vouch` and `git-vouch` use _vouch.
#
# Keep in step with `vouch COMMAND --help` (src/cli/*.cpp); the test is
# tests/completion/completion_test.sh.

# Subcommands of a command path ("" is the top level); empty when none.
__vouch_subcommands() {
  case "$1" in
    "") echo "verify verify-tag verify-file verify-archive approve approvals policy key person endorse trust keyring log hook" ;;
    approvals) echo "sync" ;;
    policy) echo "init check explain" ;;
    key) echo "import list show remove revoke" ;;
    person) echo "add list show add-key remove" ;;
    trust) echo "root check path graph" ;;
    "trust root") echo "add remove list" ;;
    keyring) echo "export import" ;;
    hook) echo "install uninstall run" ;;
  esac
}

# Global options (allowed before or after the command).
__vouch_global_opts="-C --repo --db --format -q --quiet -v --verbose --color -h --help"

# Options of a command path, global options excluded.
__vouch_command_opts() {
  case "$1" in
    verify) echo "--keyring --trust-root --policy --all-commits --fail-fast -j --jobs --no-cache --at --allow-sha1-before" ;;
    verify-tag) echo "--keyring --trust-root --policy --at --allow-sha1-before" ;;
    verify-file) echo "-s --signature -n --namespace --keyring --at --allow-sha1-before" ;;
    verify-archive) echo "--tag --keyring --policy --at --trust-root --known --allow-sha1-before --max-bytes --max-members" ;;
    approve) echo "--key --comment --archive --tag --trust-root --withdraw" ;;
    approvals) echo "--keyring --archive" ;;
    "policy init") echo "--person --key --force" ;;
    "key import") echo "--comment" ;;
    "key revoke") echo "--reason --sign-with --comment" ;;
    "person add") echo "--name --email --key" ;;
    endorse) echo "--as --amount --full --partial --depth --scope --person --email --expires --comment" ;;
    "trust check") echo "--at --min-age --amount" ;;
    "trust path") echo "--at --min-age" ;;
    "trust graph") echo "-o --output --at --min-age" ;;  # --format is the global one, with dot|json|svg|png here
    "keyring export") echo "--sign" ;;
    "keyring import") echo "--require-signer" ;;
    log) echo "--verify --head" ;;
    "person remove") echo "--with-keys" ;;
    "hook install") echo "--pre-receive --update --pre-push --trust-root --share-approvals --force" ;;
    "hook uninstall") echo "--pre-receive --update --pre-push" ;;
    "policy explain") echo "--trust-root" ;;
  esac
}

# Succeeds when option $1 takes a value (so the next word is not a positional).
__vouch_opt_takes_value() {
  case "$1" in
    -C | --repo | --db | --format | --color | --keyring | --trust-root | --policy | -j | --jobs | --at | \
      -s | --signature | -n | --namespace | --tag | --key | --comment | --person | --reason | --sign-with | \
      --name | --email | --as | --amount | --depth | --scope | --expires | --min-age | -o | --output | \
      --sign | --require-signer | --share-approvals | --max-bytes | --max-members | --known | --archive | --allow-sha1-before | --head) return 0 ;;
  esac
  return 1
}

# Adds "filenames" to the completion options when running under readline.
__vouch_filenames() {
  compopt -o filenames 2>/dev/null
  return 0
}

# COMPREPLY = words of $1 (space separated) starting with $2.
__vouch_words() {
  local IFS=$' \t\n'
  mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

__vouch_files() {
  __vouch_filenames
  mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

__vouch_dirs() {
  __vouch_filenames
  mapfile -t COMPREPLY < <(compgen -d -- "$1")
}

# Prints the repository's refs, one per line: $1 = all | tags | remotes.
__vouch_list_refs() {
  local -a git=(git)
  if [[ -n $__vouch_repo ]]; then
    local dir=$__vouch_repo
    # shellcheck disable=SC2088  # a literal "~/" typed on the command line
    [[ $dir == "~/"* ]] && dir=$HOME/${dir#"~/"}
    git+=(-C "$dir")
  fi
  case "$1" in
    tags) "${git[@]}" for-each-ref --format='%(refname:short)' refs/tags 2>/dev/null ;;
    remotes) "${git[@]}" remote 2>/dev/null ;;
    *)
      "${git[@]}" rev-parse --git-dir >/dev/null 2>&1 || return 0
      echo HEAD
      "${git[@]}" for-each-ref --format='%(refname:short)' refs/heads refs/tags refs/remotes 2>/dev/null
      ;;
  esac
}

# COMPREPLY = refs of kind $1 matching $2; "A..B" completes B after the "..".
__vouch_refs() {
  local kind=$1 cur=$2 prefix=""
  if [[ $kind == all && $cur == *..* ]]; then
    prefix=${cur%%..*}..
    cur=${cur#*..}
    [[ $cur == .* ]] && { prefix+=.; cur=${cur#.}; }  # A...B
  fi
  local IFS=$'\n'
  mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$(__vouch_list_refs "$kind")" -- "$cur")
}

# Completes the value of option $2 in command path $1; fails when $2 takes none.
__vouch_complete_value() {
  local path=$1 opt=$2 cur=$3
  case "$opt" in
    --format)
      if [[ $path == "trust graph" ]]; then __vouch_words "dot json svg png" "$cur"
      else __vouch_words "text json github" "$cur"; fi ;;
    --color) __vouch_words "auto always never" "$cur" ;;
    --reason) __vouch_words "compromised superseded retired unspecified" "$cur" ;;
    -C | --repo | --keyring | --known) __vouch_dirs "$cur" ;;
    --db | --policy | -o | --output | -s | --signature | --archive | --head) __vouch_files "$cur" ;;
    # Signing keys and keys by file: a key file is the usual answer.
    --key | --as | --sign | --sign-with | --require-signer) __vouch_files "$cur" ;;
    --trust-root) __vouch_refs all "$cur" ;;
    --tag) __vouch_refs tags "$cur" ;;
    --namespace | -n) __vouch_words "file git" "$cur" ;;
    --allow-sha1-before) __vouch_words "never" "$cur" ;;  # or a date: nothing to offer for those
    *) __vouch_opt_takes_value "$opt" || return 1
       COMPREPLY=() ;;  # free text: nothing to offer
  esac
  return 0
}

# Completes positional argument number $2 (0-based) of command path $1.
__vouch_complete_positional() {
  local path=$1 n=$2 cur=$3
  case "$path" in
    verify) __vouch_refs all "$cur" ;;
    verify-tag) __vouch_refs tags "$cur" ;;
    approve | approvals | "policy explain") ((n == 0)) && __vouch_refs all "$cur" ;;
    "approvals sync") ((n == 0)) && __vouch_refs remotes "$cur" ;;
    verify-file | verify-archive | "policy check") ((n == 0)) && __vouch_files "$cur" ;;
    "key import") __vouch_files "$cur" ;;
    "key show" | "key remove" | "key revoke" | endorse | "trust root add" | "trust root remove" | \
      "trust check" | "trust path") ((n == 0)) && __vouch_files "$cur" ;;
    "person add-key") ((n == 1)) && __vouch_files "$cur" ;;
    "keyring export" | "keyring import") ((n == 0)) && __vouch_dirs "$cur" ;;
    "hook run") ((n == 0)) && __vouch_words "pre-receive update pre-push" "$cur" ;;
  esac
  return 0
}

# The completion proper, over the array __vouch_cwords with the cursor at
# index __vouch_ccword; the command's arguments start at index $1.
__vouch_complete() {
  local start=$1 i w path="" npos=0 subs
  local cur=${__vouch_cwords[__vouch_ccword]}
  __vouch_repo=""
  COMPREPLY=()

  # Walk the words before the cursor: options (and their values), the
  # command path, and how many positional arguments the command has so far.
  for ((i = start; i < __vouch_ccword; i++)); do
    w=${__vouch_cwords[i]}
    case "$w" in
      --*=*) [[ ${w%%=*} == --repo ]] && __vouch_repo=${w#*=} ;;
      -*)
        if __vouch_opt_takes_value "$w" && ((i + 1 < __vouch_ccword)); then
          ((i++))
          # "--opt=value" split by COMP_WORDBREAKS into "--opt" "=" "value"
          [[ ${__vouch_cwords[i]} == = ]] && ((i + 1 < __vouch_ccword)) && ((i++))
          [[ $w == -C || $w == --repo ]] && __vouch_repo=${__vouch_cwords[i]}
        fi
        ;;
      *)
        subs=$(__vouch_subcommands "$path")
        if ((npos == 0)) && [[ -n $subs && " $subs " == *" $w "* ]]; then
          path=${path:+$path }$w
        else
          ((npos++))
        fi
        ;;
    esac
  done

  # --opt=value in one word (bash-completion keeps it together). Readline
  # still replaces only the text after "=" (it is in COMP_WORDBREAKS), so the
  # replies are bare values.
  if [[ $cur == --*=* ]]; then
    __vouch_complete_value "$path" "${cur%%=*}" "${cur#*=}" || COMPREPLY=()
    return 0
  fi

  # The value of the option before the cursor ("--opt value", or "--opt=value"
  # split by COMP_WORDBREAKS into "--opt" "=" "value").
  if ((__vouch_ccword > start)); then
    local prev=${__vouch_cwords[__vouch_ccword - 1]}
    if [[ $prev == = ]] && ((__vouch_ccword - 1 > start)); then
      prev=${__vouch_cwords[__vouch_ccword - 2]}
    elif [[ $cur == = && $prev == -* ]]; then
      cur=""
    fi
    if [[ $prev == -* ]] && __vouch_complete_value "$path" "$prev" "$cur"; then
      return 0
    fi
  fi

  if [[ $cur == -* ]]; then
    __vouch_words "$(__vouch_command_opts "$path") $__vouch_global_opts" "$cur"
    return 0
  fi

  subs=$(__vouch_subcommands "$path")
  if ((npos == 0)) && [[ -n $subs ]]; then
    if [[ $path == approvals ]]; then  # `approvals REV` or `approvals sync`
      __vouch_refs all "$cur"
      local -a refs=("${COMPREPLY[@]}")
      __vouch_words "$subs" "$cur"
      COMPREPLY+=("${refs[@]}")
    else
      __vouch_words "$subs" "$cur"
    fi
    return 0
  fi
  __vouch_complete_positional "$path" "$npos" "$cur"
}

# `vouch ...` and `git-vouch ...`.
_vouch() {
  local -a __vouch_cwords
  local __vouch_ccword __vouch_repo
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    local cur words cword prev
    _get_comp_words_by_ref -n =: cur words cword prev
    __vouch_cwords=("${words[@]}")
    __vouch_ccword=$cword
  else
    __vouch_cwords=("${COMP_WORDS[@]}")
    __vouch_ccword=$COMP_CWORD
  fi
  __vouch_complete 1
}

# `git vouch ...`: git's completion (git-completion.bash) calls _git_vouch
# with `words` and `cword` set; the arguments start after the word "vouch".
_git_vouch() {
  local -a __vouch_cwords
  local __vouch_ccword __vouch_repo i start=1
  if [[ ${words+set} == set && -n ${cword-} ]]; then
    __vouch_cwords=("${words[@]}")
    __vouch_ccword=$cword
  else
    __vouch_cwords=("${COMP_WORDS[@]}")
    __vouch_ccword=$COMP_CWORD
  fi
  for ((i = 1; i < __vouch_ccword; i++)); do
    if [[ ${__vouch_cwords[i]} == vouch ]]; then
      start=$((i + 1))
      break
    fi
  done
  __vouch_complete "$start"
}

complete -F _vouch vouch git-vouch
