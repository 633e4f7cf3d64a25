#!/usr/bin/env bash
# Runs oasdiff (pinned by install.sh here, 1.39.0) on every case of the 3.1 suite and writes cases/<case>/oasdiff.json
# with conformance/oasdiff/normalize.py, the same shape as the 3.0 corpus, so that conformance/oasdiff/score.py scores it.
# Usage: conformance/oasdiff31/record.sh [--check] [CASE...]   (case directory names; default: every case)
# With --check it writes nothing and fails if a committed oasdiff.json differs from what oasdiff says now.
# $OASDIFF names a prebuilt oasdiff 1.39.0 binary instead of install.sh's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oasdiff=${OASDIFF:-$("$here/install.sh")}
version=$(sed -n 's/^OASDIFF_VERSION=//p' "$here/install.sh")
# A binary from `go install` says `main` to --version, so its module version is read from its build information;
# one built with a version stamp says it to --version.
if ! go version -m "$oasdiff" 2>/dev/null | grep -Eq "^\smod\sgithub.com/oasdiff/oasdiff\sv$version\s"; then
    "$oasdiff" --version | grep -q " v\?$version\$" || { echo "record.sh: $oasdiff is not oasdiff $version" >&2; exit 1; }
fi

# The flags of the 3.0 corpus (see conformance/oasdiff/README.md): no external refs, deprecation periods written out,
# and an explicit empty config so that oasdiff does not read a case's oasdiff.json as its configuration.
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
    for command in changelog breaking; do
        if ! (cd "$case" && "$oasdiff" "$command" base.yaml revision.yaml "${common[@]}") \
            >"$work/$command.json" 2>"$work/$command.err"; then
            echo "record.sh: oasdiff $command failed on $case:" >&2
            cat "$work/$command.err" >&2
            exit 1
        fi
    done
    python3 "$here/../oasdiff/normalize.py" "$work/changelog.json" "$work/breaking.json" "$version" "" \
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
        echo "record.sh --check: ${#stale[@]} stale oasdiff.json (first: ${stale[0]}): run conformance/oasdiff31/record.sh" >&2
        exit 1
    fi
    echo "checked $count case(s) against oasdiff $version"
else
    echo "recorded $count case(s) with oasdiff $version"
fi
