#!/usr/bin/env bash
# Runs the Dockerfile's steps without Docker, for machines (like this
# project's CI) that have no container engine.
#
#   deploy/docker/build-steps.sh OUT_DIR
#
# Each stage gets a directory OUT_DIR/<stage> that stands for its file-system
# root. WORKDIR, ENV, and COPY (from the build context, or --from another
# stage) are carried out there; RUN runs with bash in the stage's WORKDIR, but
# only in the stages named in BUILD_STEPS_RUN (default: build), because the
# others' RUN steps are system set-up (users, ownership) that needs root and
# the base image. ARG, USER, VOLUME, EXPOSE, ENTRYPOINT and CMD are reported
# and not emulated. Anything else (a RUN in exec form, a variable outside
# FROM, an ADD) is an error, so the Dockerfile cannot drift into something
# this script silently skips.
#
# After it, OUT_DIR/runtime/opt/clair holds what the runtime image holds, and
# OUT_DIR/<stage>.env the stage's ENV lines (NAME=value, one a line).
# BUILD_STEPS_DOCKERFILE names another Dockerfile (the context stays the
# repository).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
context="$(cd "$(dirname "$0")/../.." && pwd)"
dockerfile="${BUILD_STEPS_DOCKERFILE:-$context/Dockerfile}"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
run_stages=" ${BUILD_STEPS_RUN:-build} "
# npm in RUN steps: use the local cache first; Docker's cache mount plays that part in a real build.
export npm_config_prefer_offline="${npm_config_prefer_offline:-true}"

fail() {
  echo "build-steps: $dockerfile:$lineno: $*" >&2
  exit 1
}

# `cp` with Docker's COPY rules: a directory's contents go into the
# destination; a file goes to the destination path, or into it when it ends
# with a slash or several sources are given.
copy() {
  local dest="$1"; shift
  local many=0
  [ $# -gt 1 ] && many=1
  for src in "$@"; do
    [ -e "$src" ] || fail "COPY: $src does not exist"
    if [ -d "$src" ]; then
      mkdir -p "$dest"
      cp -a "$src/." "$dest/"
    elif [ "$many" = 1 ] || [[ "$dest" == */ ]]; then
      mkdir -p "$dest"
      cp -a "$src" "$dest/"
    else
      mkdir -p "$(dirname "$dest")"
      cp -a "$src" "$dest"
    fi
  done
}

# Joins continuation lines, drops comments and blank lines; prints "lineno<TAB>instruction".
instructions() {
  awk '
    /^[[:space:]]*#/ && acc == "" { next }
    /^[[:space:]]*$/ && acc == "" { next }
    {
      if (acc == "") start = NR
      line = $0
      if (sub(/\\[[:space:]]*$/, "", line)) { acc = acc line " "; next }
      print start "\t" acc line
      acc = ""
    }
  ' "$dockerfile"
}

declare -A args=()
stage=""
root=""
cwd=""
env_file=""
while IFS=$'\t' read -r lineno text; do
  read -r keyword rest <<<"$text"
  keyword="${keyword^^}"
  case "$keyword" in
    ARG)
      name="${rest%%=*}"
      if [[ "$rest" == *=* ]]; then args[$name]="${rest#*=}"; else args[$name]=""; fi
      ;;
    FROM)
      [[ "$rest" =~ ^([^[:space:]]+)[[:space:]]+[Aa][Ss][[:space:]]+([A-Za-z0-9_.-]+)$ ]] || fail "FROM needs 'AS <name>': $rest"
      image="${BASH_REMATCH[1]}"
      stage="${BASH_REMATCH[2]}"
      for name in "${!args[@]}"; do image="${image//\$\{$name\}/${args[$name]}}"; done
      root="$out/$stage"
      rm -rf "$root"
      mkdir -p "$root"
      cwd="$root"
      env_file="$out/$stage.env"
      : >"$env_file"
      echo "== stage $stage (FROM $image)"
      ;;
    WORKDIR)
      [ -n "$stage" ] || fail "WORKDIR before FROM"
      [[ "$rest" == /* ]] || fail "WORKDIR must be absolute: $rest"
      [[ "$rest" != *'$'* ]] || fail "variables are only supported in FROM"
      cwd="$root$rest"
      mkdir -p "$cwd"
      ;;
    ENV)
      [ -n "$stage" ] || fail "ENV before FROM"
      [[ "$rest" =~ ^([A-Za-z_][A-Za-z0-9_]*)=([^[:space:]]*)$ ]] || fail "ENV must be one NAME=value: $rest"
      echo "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}" >>"$env_file"
      ;;
    COPY)
      [ -n "$stage" ] || fail "COPY before FROM"
      [[ "$rest" != *'$'* ]] || fail "variables are only supported in FROM"
      read -r -a words <<<"$rest"
      from=""
      while [[ "${words[0]}" == --* ]]; do
        case "${words[0]}" in
          --from=*) from="${words[0]#--from=}" ;;
          --chown=* | --chmod=* | --link) ;;
          *) fail "COPY: unsupported flag ${words[0]}" ;;
        esac
        words=("${words[@]:1}")
      done
      [ "${#words[@]}" -ge 2 ] || fail "COPY needs a source and a destination"
      dest="${words[-1]}"
      unset 'words[-1]'
      if [[ "$dest" == /* ]]; then dest="$root$dest"; else dest="$cwd/${dest#./}"; fi
      sources=()
      for src in "${words[@]}"; do
        if [ -n "$from" ]; then
          [ -d "$out/$from" ] || fail "COPY --from=$from: no such stage"
          [[ "$src" == /* ]] || fail "COPY --from needs an absolute source: $src"
          sources+=("$out/$from$src")
        else
          [[ "$src" != /* && "$src" != *..* ]] || fail "COPY source outside the context: $src"
          sources+=("$context/${src%/}")
        fi
      done
      echo "-- COPY ${from:+--from=$from }${words[*]} -> ${dest#"$out"}"
      copy "$dest" "${sources[@]}"
      ;;
    RUN)
      [ -n "$stage" ] || fail "RUN before FROM"
      command="$rest"
      while [[ "$command" == --* ]]; do command="${command#* }"; done # --mount, --network: not emulated
      [[ "$command" != \[* ]] || fail "RUN in exec form is not supported"
      if [[ "$run_stages" == *" $stage "* ]]; then
        echo "-- RUN $command"
        (
          cd "$cwd"
          set -a
          # shellcheck disable=SC1090
          . "$env_file"
          set +a
          bash -euo pipefail -c "$command"
        ) || fail "RUN failed: $command"
      else
        echo "-- RUN (not emulated in stage $stage) $command"
      fi
      ;;
    USER | VOLUME | EXPOSE | ENTRYPOINT | CMD | LABEL | STOPSIGNAL | HEALTHCHECK)
      echo "-- $keyword $rest (not emulated)"
      ;;
    *)
      fail "unsupported instruction $keyword"
      ;;
  esac
done < <(instructions)

[ -n "$stage" ] || { lineno=0; fail "no stage"; }
echo "== done: $out"
