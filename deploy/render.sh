#!/usr/bin/env bash
# Fills in a deploy/ template (deploy/nginx/clair.conf, deploy/haproxy/haproxy.cfg)
# from the environment and prints the result.
#
#   CLAIR_INDEXER_ADDRS="10.0.1.10:6060 10.0.1.11:6060" ... deploy/render.sh deploy/nginx/clair.conf > clair.conf
#
# Placeholders are ${CLAIR_NAME}, written with braces; nothing else is
# touched, so nginx's own $variables stay as they are. A placeholder whose
# name ends in _ADDRS or _PORTS is a list (space-separated): its line is
# written once per item. Lists on one line are taken in step, item by item,
# and must be equally long; ${CLAIR_REPLICA} on such a line is the item's
# number, from 1. A placeholder that is unset, or a list that is empty, is an
# error naming it and the line, and nothing is printed.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 TEMPLATE" >&2
  exit 2
fi
template="$1"
[ -r "$template" ] || { echo "render: cannot read $template" >&2; exit 1; }

fail() {
  echo "render: $template:$lineno: $*" >&2
  exit 1
}

is_list() { [[ "$1" == *_ADDRS || "$1" == *_PORTS ]]; }

output=""
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  # The distinct placeholder names on this line.
  names=()
  rest="$line"
  while [[ "$rest" =~ \$\{(CLAIR_[A-Z0-9_]+)\} ]]; do
    name="${BASH_REMATCH[1]}"
    rest="${rest#*"${BASH_REMATCH[0]}"}"
    [[ " ${names[*]-} " == *" $name "* ]] || names+=("$name")
  done
  if [ "${#names[@]}" -eq 0 ]; then
    output+="$line"$'\n'
    continue
  fi

  count=1
  lists=()
  for name in "${names[@]}"; do
    [ "$name" = CLAIR_REPLICA ] && continue
    [ -n "${!name+set}" ] || fail "$name is not set"
    if is_list "$name"; then
      read -r -a items <<<"${!name}"
      [ "${#items[@]}" -gt 0 ] || fail "$name is empty"
      if [ "${#lists[@]}" -gt 0 ] && [ "${#items[@]}" -ne "$count" ]; then
        fail "$name has ${#items[@]} items, ${lists[0]} has $count"
      fi
      count="${#items[@]}"
      lists+=("$name")
    fi
  done
  if [[ " ${names[*]} " == *" CLAIR_REPLICA "* ]] && [ "${#lists[@]}" -eq 0 ]; then
    fail "CLAIR_REPLICA is only meaningful on a line with a list placeholder"
  fi

  for ((i = 0; i < count; i++)); do
    out="$line"
    for name in "${names[@]}"; do
      if [ "$name" = CLAIR_REPLICA ]; then
        value="$((i + 1))"
      elif is_list "$name"; then
        read -r -a items <<<"${!name}"
        value="${items[$i]}"
      else
        value="${!name}"
      fi
      out="${out//"\${$name}"/"$value"}"
    done
    output+="$out"$'\n'
  done
done <"$template"

printf '%s' "$output"
