#!/usr/bin/env bash
# Runs oasdiff 1.39.0 (install-oasdiff.sh) on every pair of the corpus and writes verdicts/<spec>/<commit>.json:
# its findings (id, level, operation, section, text), sorted, so that scoring needs neither Go nor oasdiff.
# A spec's `oasdiff_flags` in manifest.json are added for its pairs, and written into each verdict.
# Usage: conformance/history/record.sh [--check] [SPEC...]   (names in manifest.json; default: every spec)
# With --check it writes nothing and fails if a committed verdict differs from what oasdiff says now.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oasdiff=$("$here/install-oasdiff.sh")
version=$(sed -n 's/^OASDIFF_VERSION=//p' "$here/install-oasdiff.sh")

# The flags of the agreement corpus (../oasdiff/record.sh, which explains each): deprecation periods stated at
# oasdiff's defaults, no external references fetched, and an empty configuration file so that nothing in the
# working directory is read as one.
common=(--format json --allow-external-refs=false --deprecation-days-beta 0 --deprecation-days-stable 0)

check=false
if [[ ${1:-} == --check ]]; then check=true; shift; fi
if [[ $# -gt 0 ]]; then specs=("$@"); else
    mapfile -t specs < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))), end="")' "$here/manifest.json")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '{}' >"$work/config.json"
common+=(--config "$work/config.json")
count=0
stale=()
for spec in "${specs[@]}"; do
    tar -xJf "$here/$spec.tar.xz" -C "$work"
    # The spec's own flags (manifest.json's `oasdiff_flags`), after the common ones.
    read -ra extra < <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["oasdiff_flags"])' \
        "$here/manifest.json" "$spec")
    # One line per pair: commit, base file, revision file (the files as the tar names them).
    mapfile -t pairs < <(python3 - "$here/manifest.json" "$spec" <<'PY'
import json, sys
entry = json.load(open(sys.argv[1]))[sys.argv[2]]
for p in entry["pairs"]:
    print(p["commit"][:12], p["base"] + entry["suffix"], p["revision"] + entry["suffix"])
PY
)
    mkdir -p "$here/verdicts/$spec"
    for line in "${pairs[@]}"; do
        read -r commit base revision <<<"$line"
        # Run inside the spec's folder, so that the findings name the two files and nothing longer.
        for command in changelog breaking; do
            if ! (cd "$work/$spec" && "$oasdiff" "$command" "$base" "$revision" "${common[@]}" "${extra[@]}") \
                >"$work/$command.json" 2>"$work/$command.err"; then
                echo "record.sh: oasdiff $command failed on $spec $commit:" >&2
                cat "$work/$command.err" >&2
                exit 1
            fi
        done
        python3 "$here/normalize.py" "$work/changelog.json" "$work/breaking.json" "$version" "${extra[*]:-}" \
            >"$work/verdict.json" || { echo "record.sh: in $spec $commit" >&2; exit 1; }
        out=$here/verdicts/$spec/$commit.json
        if $check; then
            cmp -s "$work/verdict.json" "$out" || stale+=("$spec/$commit")
        else
            mv "$work/verdict.json" "$out"
        fi
        count=$((count + 1))
    done
    rm -rf "${work:?}/$spec"
done
if $check; then
    if [[ ${#stale[@]} -gt 0 ]]; then
        echo "record.sh --check: ${#stale[@]} stale verdict(s) (first: ${stale[0]}): run conformance/history/record.sh" >&2
        exit 1
    fi
    echo "checked $count pair(s) against oasdiff $version"
else
    echo "recorded $count pair(s) with oasdiff $version"
fi
