#!/usr/bin/env bash
# Writes rules.tsv, oasdiff's own list of its changelog and breaking-change rules (`oasdiff checks changelog`), one
# line each: id, level (ERR, WARN, INFO), direction, area, kind, effect, actions, guards, generated, locations,
# description (lists within a cell separated by spaces). The list comes from the pinned binary, so it is the exact
# id set the diff is scored against.
# Usage: conformance/oasdiff/rules.sh [--check]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oasdiff=$("$here/install.sh")
out=$here/rules.tsv
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$oasdiff" checks changelog --format json --lang en | python3 -c '
import json, sys
levels = {"error": "ERR", "warning": "WARN", "info": "INFO"}
cols = ["id", "level", "direction", "area", "kind", "effect", "actions", "guards", "generated", "locations", "description"]
print("\t".join(cols))
for rule in sorted(json.load(sys.stdin), key=lambda r: r["id"]):
    row = dict(rule, level=levels[rule["level"]])
    cell = lambda v: " ".join(v) if isinstance(v, list) else ("yes" if v is True else str(v or ""))
    print("\t".join(cell(row.get(c)).replace("\t", " ") for c in cols))
' >"$tmp"
if [[ ${1:-} == --check ]]; then
    cmp -s "$tmp" "$out" || { echo "rules.tsv is stale: run conformance/oasdiff/rules.sh and commit it" >&2; exit 1; }
else
    mv "$tmp" "$out"
    echo "wrote $(($(wc -l <"$out") - 1)) rules to $out"
fi
