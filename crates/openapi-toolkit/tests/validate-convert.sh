#!/usr/bin/env bash
# Converts the contract and the toolkit's fixtures both ways with `openapi-toolkit convert` and checks every output
# with openapi-spec-validator (PyPI), installed in a venv under the target dir.
# Usage: crates/openapi-toolkit/tests/validate-convert.sh   (from the repository root)
set -euo pipefail
target="${CARGO_TARGET_DIR:-target}"
venv="$target/venv-openapi-spec-validator"
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'openapi-spec-validator==0.9.0'
fi
cargo build --quiet -p openapi-toolkit
toolkit="$target/debug/openapi-toolkit"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
fixtures=crates/openapi-toolkit/tests/fixtures
checked=0
# The contract and the clean fixture go up and back down; the FastAPI document goes down once trimmed of what 3.0
# cannot say (the Rust test `a_fastapi_document_converts_both_ways` checks that refusal).
for source in openapi/dialog.yaml "$fixtures/lint/clean.yaml" "$fixtures/lint/clean-3.1.yaml"; do
  stem="$(basename "${source%.*}")"
  case "$(grep -m1 -o 'openapi: 3\.[01]' "$source")" in
    *3.0) "$toolkit" convert "$source" --to 3.1 -o "$out/$stem-up.yaml"
          "$toolkit" convert "$out/$stem-up.yaml" --to 3.0 -o "$out/$stem-back.json" ;;
    *3.1) sed '/^webhooks:/,/^components:/{/^components:/!d}; /^  summary:/d; /identifier:/d' "$source" > "$out/$stem-plain.yaml"
          "$toolkit" convert "$out/$stem-plain.yaml" --to 3.0 -o "$out/$stem-down.yaml"
          "$toolkit" convert "$out/$stem-down.yaml" --to 3.1 -o "$out/$stem-back.json" ;;
  esac
done
for file in "$out"/*; do
  "$venv/bin/openapi-spec-validator" "$file"
  checked=$((checked + 1))
done
echo "openapi-spec-validator passed $checked converted documents"
