#!/bin/sh
# Runs one program in a private desktop session of its own, so that tests
# never touch the user's keyring, settings or browser, and can run in
# parallel:
#
#  - an X display: Xvfb when there is none (unless BH_TEST_NO_DISPLAY=1);
#  - fresh HOME and XDG folders in a temporary directory ($BH_TEST_TMPDIR);
#  - a D-Bus session bus of its own (dbus-run-session);
#  - an unlocked gnome-keyring with a non-empty password, so that storing
#    never raises a prompt (unless BH_TEST_NO_KEYRING=1: no Secret Service);
#  - tests/fake-browser.py registered as the default http/https handler
#    (unless BH_TEST_NO_FAKE_BROWSER=1).
#
# BH_TEST_FLATPAK=1 gives the keyring a Flatpak sees instead: no Secret
# Service on the bus (nothing can activate one), and libsecret's file
# backend selected through its test variables, the code path the Secret
# portal feeds inside the sandbox. With BH_TEST_NO_KEYRING=1 as well, the
# file backend gets no password (as with no Secret portal): libsecret can
# neither store nor read.
#
# Every process started here ends with the program, also when it fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${DISPLAY:-}" ] && [ -z "${BH_TEST_NO_DISPLAY:-}" ] && [ -z "${BH_TEST_SESSION_STAGE:-}" ]; then
  export BH_TEST_SESSION_STAGE=display
  exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi

if [ "${BH_TEST_SESSION_STAGE:-}" != "bus" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/birdhouse-test.XXXXXX")
  export BH_TEST_TMPDIR="$tmp"
  export HOME="$tmp/home"
  export XDG_DATA_HOME="$tmp/data"
  export XDG_CONFIG_HOME="$tmp/config"
  export XDG_CACHE_HOME="$tmp/cache"
  export XDG_STATE_HOME="$tmp/state"
  export XDG_RUNTIME_DIR="$tmp/runtime"
  mkdir -p "$HOME" "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"

  if [ -z "${BH_TEST_NO_FAKE_BROWSER:-}" ]; then
  cat > "$XDG_DATA_HOME/applications/birdhouse-fake-browser.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Fake Browser
Exec=/usr/bin/python3 $here/fake-browser.py %u
MimeType=x-scheme-handler/http;x-scheme-handler/https;
NoDisplay=true
DESKTOP
  printf '[Default Applications]\nx-scheme-handler/http=birdhouse-fake-browser.desktop\nx-scheme-handler/https=birdhouse-fake-browser.desktop\n' \
    > "$XDG_CONFIG_HOME/mimeapps.list"
  fi

  export BH_TEST_SESSION_STAGE=bus
  if [ -n "${BH_TEST_FLATPAK:-}" ]; then
    export SECRET_BACKEND=file
    export SECRET_FILE_TEST_PATH="$XDG_DATA_HOME/keyrings/birdhouse-test.keyring"
    if [ -z "${BH_TEST_NO_KEYRING:-}" ]; then
      export SECRET_FILE_TEST_PASSWORD=birdhouse-test-password
    else
      unset SECRET_FILE_TEST_PASSWORD
    fi
  fi

  # With BH_TEST_NO_KEYRING or BH_TEST_FLATPAK the bus must not start
  # gnome-keyring on demand either: give it every session service of the
  # system but the Secret Service, the keyring's own and the portals (a
  # portal would offer a Secret portal the sandbox may not have).
  bus_config=""
  if [ -n "${BH_TEST_NO_KEYRING:-}" ] || [ -n "${BH_TEST_FLATPAK:-}" ]; then
    mkdir -p "$tmp/dbus-services"
    for f in /usr/share/dbus-1/services/*.service; do
      [ -e "$f" ] || continue
      if ! grep -qE '^Name=(org\.freedesktop\.secrets|org\.gnome\.keyring.*|org\.freedesktop\.impl\.portal\..*|org\.freedesktop\.portal\..*)$' "$f"; then
        ln -s "$f" "$tmp/dbus-services/"
      fi
    done
    cat > "$tmp/dbus-session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <servicedir>$tmp/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
    bus_config="--config-file=$tmp/dbus-session.conf"
  fi

  rc=0
  # Daemons started on the bus (AT-SPI, the keyring) inherit stdout; keep
  # it for the test's own TAP output on fd 3.
  # shellcheck disable=SC2086
  dbus-run-session $bus_config -- "$0" "$@" 3>&1 1>&2 || rc=$?
  if [ "$rc" -eq 0 ] || [ -z "${BH_TEST_KEEP_TMPDIR:-}" ]; then
    rm -rf "$tmp"
  else
    echo "# test session kept in $tmp" >&2
  fi
  exit "$rc"
fi

keyring_pid=""
cleanup() {
  if [ -n "$keyring_pid" ]; then
    kill "$keyring_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

if [ -z "${BH_TEST_NO_KEYRING:-}" ] && [ -z "${BH_TEST_FLATPAK:-}" ]; then
  # The daemon must not inherit the tests' G_DEBUG=fatal-warnings: it logs
  # warnings of its own (replacing an item) and would abort on them.
  eval "$(printf 'birdhouse-test-password' | env -u G_DEBUG -u G_ENABLE_DIAGNOSTIC -u MALLOC_CHECK_ -u LD_PRELOAD gnome-keyring-daemon --daemonize --unlock --components=secrets)"
  keyring_pid="${GNOME_KEYRING_PID:-}"
  export GNOME_KEYRING_CONTROL
fi

rc=0
"$@" 1>&3 3>&- || rc=$?
exit "$rc"
