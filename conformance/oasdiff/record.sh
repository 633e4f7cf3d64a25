#!/usr/bin/env bash
# Runs oasdiff (pinned, installed by install.sh) on every case and writes cases/<case>/oasdiff.json: its findings
# (id, level, operation, path, text), sorted, with the flags used, so that scoring needs no Go.
# Usage: conformance/oasdiff/record.sh [--check] [CASE...]   (case directory names; default: every case)
# With --check it writes nothing and fails if a committed oasdiff.json differs from what oasdiff says now.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oasdiff=$("$here/install.sh")
version=$(sed -n 's/^OASDIFF_VERSION=//p' "$here/install.sh")

# Deprecation periods are 0 days, oasdiff's defaults, stated so that a change of defaults cannot move the verdicts;
# a case's `flags` file adds to them (a later flag wins). External $refs are off: the cases have none, and oasdiff
# would otherwise fetch them.
# oasdiff also reads a config file named oasdiff.* or .oasdiff.* from the working directory (it would take each
# case's oasdiff.json for one); an explicit empty one keeps every setting on this command line.
common=(--format json --allow-external-refs=false --deprecation-days-beta 0 --deprecation-days-stable 0)

check=false
if [[ ${1:-} == --check ]]; then check=true; shift; fi
cd "$here/cases"
if [[ $# -gt 0 ]]; then cases=("$@"); else cases=(*/); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '{}' >"$work/config.json"
common+=(--config "$work/config.json")
count=0
stale=()
for dir in "${cases[@]}"; do
    case=${dir%/}
    [[ -f $case/base.yaml && -f $case/revision.yaml ]] || { echo "record.sh: $case has no base.yaml and revision.yaml" >&2; exit 1; }
    extra=()
    [[ -f $case/flags ]] && read -ra extra <"$case/flags"
    # Run from inside the case directory, so that the findings name base.yaml and revision.yaml, nothing longer.
    for command in changelog breaking; do
        if ! (cd "$case" && "$oasdiff" "$command" base.yaml revision.yaml "${common[@]}" "${extra[@]}") \
            >"$work/$command.json" 2>"$work/$command.err"; then
            echo "record.sh: oasdiff $command failed on $case:" >&2
            cat "$work/$command.err" >&2
            exit 1
        fi
    done
    python3 "$here/normalize.py" "$work/changelog.json" "$work/breaking.json" "$version" "${extra[*]:-}" \
        >"$work/oasdiff.json" || { echo "record.sh: in $case" >&2; exit 1; }
    if $check; then
        cmp -s "$work/oasdiff.json" "$case/oasdiff.json" || stale+=("$case")
    else
        mv "$work/oasdiff.json" "$case/oasdiff.json"
    fi
    count=$((count + 1))
done
if $check; then
    if [[ ${#stale[@]} -gt 0 ]]; then
        echo "record.sh --check: ${#stale[@]} stale oasdiff.json (first: ${stale[0]}): run conformance/oasdiff/record.sh" >&2
        exit 1
    fi
    echo "checked $count case(s) against oasdiff $version"
else
    echo "recorded $count case(s) with oasdiff $version"
fi
