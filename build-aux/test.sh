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

rc=0
echo "== The test suite on the Secret Service (gnome-keyring)"
meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 3 || rc=1
echo "== The test suite on libsecret's file backend, as inside Flatpak"
# LSan takes one suppressions file: the Flatpak run's adds one entry.
cat "$top/tests/lsan.supp" "$top/tests/lsan-flatpak.supp" > "$builddir/lsan-flatpak.supp"
LSAN_OPTIONS="suppressions=$top/$builddir/lsan-flatpak.supp:print_suppressions=0" \
  meson test -C "$builddir" --setup flatpak --print-errorlogs --num-processes 2 --timeout-multiplier 3 || rc=1

# One closing line for both runs, counted from meson's JSON logs.
/usr/bin/python3 - "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-flatpak.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$rc"
