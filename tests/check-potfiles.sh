#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
potfiles=po/POTFILES.in
status=0

for f in $(grep -v '^#' "$potfiles" | grep -v '^$'); do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in names $f, which does not exist"
    status=1
  fi
done

for f in $(find src data -type f \( -name '*.c' -o -name '*.ui' -o -name '*.in' \) | sort); do
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(|translatable="yes"|<(name|summary|p|li)>|^(Name|GenericName|Comment|Keywords)=' "$f"; then
    if ! grep -qxF "$f" "$potfiles"; then
      echo "$f has translatable strings but is not in po/POTFILES.in"
      status=1
    fi
  fi
done

if [ "$status" -eq 0 ]; then
  echo "ok: po/POTFILES.in lists every file with translatable strings"
fi
exit "$status"
