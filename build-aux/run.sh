#!/bin/sh
# Installs what is missing, builds Birdhouse and starts it:
#
#   build-aux/run.sh [birdhouse arguments]
#
# On a desktop it runs in your session (your keyring). On a machine with no
# display it starts a virtual one (Xvfb) with a private session bus and an
# unlocked throw-away keyring, and saves a screenshot of the window into
# _build/run-screenshot.png every few seconds.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/build-aux/setup.sh"

if [ ! -d _build ]; then
  meson setup -Dprofile=development _build
fi
meson compile -C _build

export GSETTINGS_SCHEMA_DIR="$top/_build/data"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$top/_build/src/birdhouse" "$@"
fi

echo "No display found: starting Birdhouse in a virtual display (Xvfb)."
echo "A screenshot is saved to _build/run-screenshot.png; press Ctrl+C to stop."
export BH_RUN_SCREENSHOT="$top/_build/run-screenshot.png"
# There is no browser here: Birdhouse shows the authorize link to copy.
export BH_TEST_NO_FAKE_BROWSER=1
exec "$top/tests/bh-test-session.sh" "$top/build-aux/run-headless.sh" "$top/_build/src/birdhouse" "$@"
