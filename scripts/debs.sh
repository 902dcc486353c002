#!/usr/bin/env bash
# Install the Debian packages given as arguments that are not installed yet
# (sourced by start.sh and test.sh). Where they cannot be installed (no apt,
# no root and no sudo), say so and go on: the app then says in its pages
# which exports need them.
install_debs() {
  local missing="" pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Cannot install$missing (not root, no sudo); image and deck exports will say so in the app." >&2
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Cannot install$missing (no apt-get); image and deck exports will say so in the app." >&2
    return 0
  fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}
