#!/bin/sh
# Installs the Debian 12 packages Birdhouse needs to build (and, with
# --tests, to run its test suite), only those that are missing.
#
#   build-aux/setup.sh [--tests|--fuzz]
#
# As root it runs apt-get non-interactively; otherwise it prints the exact
# command to run and fails.
set -eu

build_pkgs="meson ninja-build pkg-config gcc libc6-dev gettext \
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev \
  libsoup-3.0-dev libgnutls28-dev libsecret-1-dev libjson-glib-dev libyaml-dev \
  desktop-file-utils appstream glib-networking locales \
  dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth"
test_pkgs="python3 python3-oauthlib python3-dotenv python3-gi gir1.2-atspi-2.0 at-spi2-core \
  imagemagick"

# libFuzzer comes with clang's runtime (build-aux/fuzz.sh).
fuzz_pkgs="clang libclang-rt-14-dev"

pkgs=$build_pkgs
if [ "${1:-}" = "--tests" ]; then
  pkgs="$pkgs $test_pkgs $fuzz_pkgs"
elif [ "${1:-}" = "--fuzz" ]; then
  pkgs="$pkgs $fuzz_pkgs"
fi

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $p"
  fi
done

# The window is tested in each language of po/LINGUAS: their locales
# (xx_XX.UTF-8) must exist, or gettext would quietly show English.
make_locales() {
  [ "${1:-}" = "--tests" ] || return 0
  top=$(cd "$(dirname "$0")/.." && pwd)
  for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
    upper=$(echo "$lang" | tr '[:lower:]' '[:upper:]')
    if ! locale -a 2>/dev/null | grep -qix "${lang}_${upper}.utf-\?8"; then
      if [ "$(id -u)" -ne 0 ]; then
        echo "The tests need the locale ${lang}_${upper}.UTF-8; generate it with:" >&2
        echo "  sudo localedef -i ${lang}_${upper} -f UTF-8 ${lang}_${upper}.UTF-8" >&2
        exit 1
      fi
      echo "Generating the locale ${lang}_${upper}.UTF-8"
      localedef -i "${lang}_${upper}" -f UTF-8 "${lang}_${upper}.UTF-8"
    fi
  done
}

if [ -z "$missing" ]; then
  make_locales "$@"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Birdhouse needs these Debian packages:$missing" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi

echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
make_locales "$@"
