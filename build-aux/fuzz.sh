#!/bin/sh
# libFuzzer targets for what Birdhouse parses from X, the network and the
# caller (tests/fuzz/fuzz-*.c), built with clang and AddressSanitizer +
# UndefinedBehaviorSanitizer; a GLib critical or warning counts as a crash.
#
#   build-aux/fuzz.sh                 every target for 60 s each
#   build-aux/fuzz.sh -t 600 x-error  one target for 10 minutes
#   build-aux/fuzz.sh --ci            every target for 10 s (CI)
#
# Each target starts from its seed corpus in tests/fuzz/corpus/NAME and
# grows a working corpus in _build-fuzz/corpus/NAME. A crash leaves its
# input in _build-fuzz/ (crash-…) and makes this script fail; add such an
# input to the seed corpus once it is fixed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

seconds=60
targets=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) seconds=10 ;;
    -t) seconds=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets="$targets $1" ;;
  esac
  shift
done

"$top/build-aux/setup.sh" --fuzz

# The generated headers (config.h, the enum types) come from the meson
# build; the sources are compiled again here with coverage instrumentation.
if [ ! -f _build/build.ninja ]; then
  meson setup -Dprofile=development _build
fi
meson compile -C _build src/core/bh-core-enums.h src/core/bh-core-enums.c >/dev/null

out="$top/_build-fuzz"
mkdir -p "$out/obj"
pkgs="glib-2.0 gobject-2.0 gio-2.0 gio-unix-2.0 libsoup-3.0 gnutls libsecret-1 json-glib-1.0 yaml-0.1"
# shellcheck disable=SC2046
set -- $(pkg-config --cflags $pkgs)
cflags="$* -I$top/_build -I$top/_build/src/core -I$top/src/core -I$top/tests/fuzz -DG_LOG_DOMAIN=\"Birdhouse\" -D_GNU_SOURCE -g -O1"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
libs=$(pkg-config --libs $pkgs)

objs=""
for src in src/core/*.c _build/src/core/bh-core-enums.c; do
  obj="$out/obj/$(basename "$src" .c).o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$0" -nt "$obj" ]; then
    # shellcheck disable=SC2086
    clang $cflags $san -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
  objs="$objs $obj"
done

if [ -z "$targets" ]; then
  for f in tests/fuzz/fuzz-*.c; do
    name=$(basename "$f" .c)
    targets="$targets ${name#fuzz-}"
  done
fi

export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"

status=0
for t in $targets; do
  exe="$out/fuzz-$t"
  # shellcheck disable=SC2086
  clang $cflags $san -fsanitize=fuzzer "tests/fuzz/fuzz-$t.c" $objs $libs -o "$exe"
  mkdir -p "$out/corpus/$t"
  echo "== fuzz-$t for ${seconds} s"
  if ! (cd "$out" && "$exe" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
          -print_final_stats=1 "$out/corpus/$t" "$top/tests/fuzz/corpus/$t" 2>"$out/fuzz-$t.log"); then
    tail -n 60 "$out/fuzz-$t.log" >&2
    echo "fuzz-$t: FAILED (log: $out/fuzz-$t.log)" >&2
    status=1
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz-$t.log" | sed "s/^/fuzz-$t: /"
  fi
done
exit "$status"
