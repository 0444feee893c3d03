#!/usr/bin/env bash
# Checks that dependencies point one way (see ARCHITECTURE.md): no core module uses a front end
# (`ui`, `cli`, `room`), and no front end uses another front end. Exits 1 naming each offending
# line.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {
    # $1: description, $2: files/folders, $3: forbidden pattern
    local hits
    hits=$(grep -rnE "$3" $2 --include='*.rs' 2>/dev/null || true)
    if [ -n "$hits" ]; then
        echo "layering: $1:" >&2
        echo "$hits" >&2
        status=1
    fi
}
core="src/model src/engine src/scoring src/journal src/host src/report src/explore src/msel \
src/describe.rs src/projection.rs src/files.rs src/files src/text.rs src/i18n.rs src/library.rs \
src/play.rs src/whatif.rs src/whatif src/compare.rs src/compare"
check "a core module uses a front end" "$core" '(crate|paraat)::(ui|cli|room)\b'
check "the desktop app uses the command line" "src/ui" '(crate|paraat)::cli\b'
[ -d src/room ] && check "the room uses the desktop app or the command line" "src/room" '(crate|paraat)::(ui|cli)\b'
if [ "$status" = 0 ]; then
    echo "layering: ok (core → host → front ends)"
fi
exit "$status"
