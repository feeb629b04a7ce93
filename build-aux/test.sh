#!/bin/sh
# The whole test suite, from a fresh Debian 12 machine:
#
#   build-aux/test.sh              installs what is missing, builds, runs every test
#   build-aux/test.sh --sanitize   the same in a build with AddressSanitizer and UBSan
#
# Each test program runs in a private desktop session of its own (fresh XDG
# folders, a D-Bus session bus, an unlocked gnome-keyring, Xvfb, a fake
# browser): see tests/bh-test-session.sh. Then the whole suite runs again
# with the keyring a Flatpak has: no Secret Service on the bus, libsecret's
# file backend (`meson test --setup flatpak`). Compiler warnings are errors.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/build-aux/setup.sh" --tests

builddir=_build
setup_args="-Dwerror=true -Dprofile=development"
if [ "${1:-}" = "--sanitize" ]; then
  builddir=_build-sanitize
  setup_args="$setup_args -Db_sanitize=address,undefined -Db_lundef=false"
fi

if [ -d "$builddir" ]; then
  # shellcheck disable=SC2086
  meson setup --reconfigure $setup_args "$builddir"
else
  # shellcheck disable=SC2086
  meson setup $setup_args "$builddir"
fi
meson compile -C "$builddir"

# UBSan aborts on the first finding; leak checking is on (ASan default).
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"

# A test that fails runs once more on its own, and that second result
# counts: said in so many words, so that an intermittent failure is
# reported, never hidden. One that fails twice fails the run.
failed_names() {
  /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP"):
        print(t["name"])' "$1"
}

run_suite() {
  log=$1
  shift
  # shellcheck disable=SC2068
  if meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 3 $@; then
    return 0
  fi
  cp "$log" "$log.first"
  failed=$(failed_names "$log" | tr '\n' ' ')
  [ -n "$failed" ] || return 1
  echo "== FAILED: $failed— running each once more on its own"
  # shellcheck disable=SC2068,SC2086
  if meson test -C "$builddir" --print-errorlogs --num-processes 1 --timeout-multiplier 3 $@ $failed; then
    echo "== INTERMITTENT: $failed failed once and passed on a second run (logs above)"
    cp "$log.first" "$log"
    echo "$failed" >> "$builddir/meson-logs/intermittent.txt"
    return 0
  fi
  return 1
}

rc=0
rm -f "$builddir/meson-logs/intermittent.txt"
echo "== The test suite on the Secret Service (gnome-keyring)"
run_suite "$builddir/meson-logs/testlog.json" || rc=1
echo "== The test suite on libsecret's file backend, as inside Flatpak"
# LSan takes one suppressions file: the Flatpak run's adds one entry.
cat "$top/tests/lsan.supp" "$top/tests/lsan-flatpak.supp" > "$builddir/lsan-flatpak.supp"
saved_lsan=$LSAN_OPTIONS
export LSAN_OPTIONS="suppressions=$top/$builddir/lsan-flatpak.supp:print_suppressions=0"
run_suite "$builddir/meson-logs/testlog-flatpak.json" --setup flatpak || rc=1
export LSAN_OPTIONS="$saved_lsan"

# One closing line for both runs, counted from meson's JSON logs (a test
# that passed on its second run counts as passed, and is named above).
/usr/bin/python3 - "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-flatpak.json" "$builddir/meson-logs/intermittent.txt" <<'PY'
import json, os, sys
passed = failed = skipped = 0
retried = set()
if os.path.exists(sys.argv[3]):
    retried = set(open(sys.argv[3]).read().split())
for path in sys.argv[1:3]:
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            result = t.get("result")
            if result in ("OK", "EXPECTEDFAIL") or t.get("name") in retried:
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$rc"
