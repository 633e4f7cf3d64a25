#!/usr/bin/env bash
# Scores the toolkit's diff on the OpenAPI 3.1 cases here with conformance/oasdiff/score.py (same measures, same
# report), running the debug binary under cargo's target directory; extra arguments go to score.py, such as
# --min-agreement 0.90 --min-rule-recall 0.80 (CI's floors) or -v.
# Usage: conformance/oasdiff31/score.sh [score.py options]   (build first: cargo build -p openapi-toolkit)
set -euo pipefail
cd "$(dirname "$0")/../.."
toolkit="$(bash scripts/target-dir.sh)/debug/openapi-toolkit"
[[ -x $toolkit ]] || { echo "score.sh: $toolkit is missing: run cargo build -p openapi-toolkit" >&2; exit 1; }
exec python3 conformance/oasdiff/score.py --cases conformance/oasdiff31/cases \
    --command "$toolkit diff {base} --head {rev} --format json --allow-breaking" "$@"
