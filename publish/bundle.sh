#!/usr/bin/env bash
# publish/bundle.sh [--report FILE]: dist/ as it is published, what publish/check.sh checks and a release attaches.
#
# dialog.json, dialog.yaml and CHANGELOG.md (cargo xtask bundle; --report adds a breaking-change report in Markdown
# to the changelog), dialog.html (cargo xtask docs), and generators/: the settings a generator needs beyond the spec
# (oapi-codegen's configuration, openapi-generator's Kotlin configuration and the Kotlin types it maps to), copied
# from publish/generators/ and publish/kotlin/, so that a team generates with exactly what CI generated with.
set -euo pipefail
cd "$(dirname "$0")/.."
report=()
case "${1:-}" in
  "") ;;
  --report)
    [[ -n ${2:-} ]] || { echo "usage: publish/bundle.sh [--report FILE]" >&2; exit 2; }
    report=(--report "$2")
    ;;
  *) echo "usage: publish/bundle.sh [--report FILE]" >&2; exit 2 ;;
esac
cargo xtask bundle "${report[@]}"
cargo xtask docs
rm -rf dist/generators
mkdir -p dist/generators
cp publish/generators/oapi-codegen.yaml publish/generators/openapi-generator-kotlin.yaml dist/generators/
cp publish/kotlin/src/main/kotlin/dialog/adapters/OpenTypes.kt dist/generators/OpenTypes.kt
echo "dist/generators: oapi-codegen.yaml, openapi-generator-kotlin.yaml, OpenTypes.kt"
