#!/bin/sh
# Runs a program inside the private session of tests/bh-test-session.sh and
# saves a screenshot of the display every five seconds while it runs.
set -u
"$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null' INT TERM EXIT
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  if command -v import >/dev/null 2>&1; then
    import -window root "$BH_RUN_SCREENSHOT" 2>/dev/null || true
  fi
done
wait "$pid"
