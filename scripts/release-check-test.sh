#!/usr/bin/env bash
# scripts/release-check-test.sh [TOOLKIT]: tries scripts/release-check.sh on a git repository made for the purpose
# (in a temporary folder, removed after), one tag a case: a first release, a minor bump a new field needs, a
# breaking change with only a minor bump, the same with its major bump, a tag that is not info.version, a tag below
# the previous release and a tag that is not vX.Y.Z; and the Markdown report of --report. Each must pass or fail as it says, with its reason. Run by .ci/run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
toolkit=${1:-"$(cd "$here" && bash scripts/target-dir.sh)/debug/openapi-toolkit"}
[[ -x $toolkit ]] || { echo "error: release-check-test: build the toolkit first (cargo build -p openapi-toolkit)" >&2; exit 1; }
repo=$(mktemp -d)
trap 'rm -rf "$repo"' EXIT

# A small spec: VERSION, and the extra lines of each case (a response property, or the whole path gone).
spec() {
    local version=$1 colour=${2:-} path=${3:-yes}
    mkdir -p "$repo/openapi"
    {
        printf 'openapi: 3.0.3\ninfo:\n  title: Things\n  version: "%s"\n' "$version"
        if [[ $path == yes ]]; then
            printf 'paths:\n  /things:\n    get:\n      operationId: list_things\n      responses:\n'
            printf "        '200':\n          description: The things.\n          content:\n            application/json:\n"
            printf '              schema:\n                type: object\n                properties:\n'
            printf '                  name:\n                    type: string\n'
            if [[ -n $colour ]]; then printf '                  colour:\n                    type: string\n'; fi
        else
            printf 'paths: {}\n'
        fi
    } >"$repo/openapi/dialog.yaml"
    git -C "$repo" add -A
    git -C "$repo" commit --quiet -m "version $version"
}

failures=0
# expect pass|fail TAG [TEXT]: runs the check on TAG; a failure must say TEXT.
expect() {
    local want=$1 tag=$2 text=${3:-} out status=0
    out=$(bash "$here/scripts/release-check.sh" --repo "$repo" --toolkit "$toolkit" "$tag" 2>&1) || status=$?
    if [[ $want == pass && $status == 0 ]] || [[ $want == fail && $status == 1 && $out == *"$text"* ]]; then
        echo "ok: $tag (expected to $want): $out"
    else
        echo "FAILED: $tag should ${want}${text:+ saying \"$text\"}, but exited $status: $out" >&2
        failures=$((failures + 1))
    fi
}

git -C "$repo" init --quiet
git -C "$repo" config user.email release-check@example.invalid
git -C "$repo" config user.name "release check test"

spec 1.0.0
git -C "$repo" tag v1.0.0
expect pass v1.0.0

spec 1.1.0 colour
git -C "$repo" tag v1.1.0
expect pass v1.1.0
# The changelog's report names the change.
bash "$here/scripts/release-check.sh" --repo "$repo" --toolkit "$toolkit" --report "$repo.report.md" v1.1.0 >/dev/null
if grep -q colour "$repo.report.md"; then
    echo "ok: v1.1.0 --report writes the diff, which names the new property"
else
    echo "FAILED: v1.1.0 --report wrote no report naming the new property colour" >&2
    failures=$((failures + 1))
fi
rm -f "$repo.report.md"

# The path removed breaks every client: 1.2.0 is too small, and the tag is deleted as a maintainer would.
spec 1.2.0 colour no
git -C "$repo" tag v1.2.0
expect fail v1.2.0 "need a major bump"
git -C "$repo" tag -d v1.2.0 >/dev/null
git -C "$repo" tag v2.0.0
expect fail v2.0.0 "is not info.version (1.2.0)"
git -C "$repo" tag -d v2.0.0 >/dev/null

spec 2.0.0 colour no
git -C "$repo" tag v2.0.0
expect pass v2.0.0

spec 1.5.0 colour no
git -C "$repo" tag v1.5.0
expect fail v1.5.0 "is not above v2.0.0"
git -C "$repo" tag v2.1
expect fail v2.1 "is not vX.Y.Z"

if [[ $failures != 0 ]]; then
    echo "error: release-check-test: $failures case(s) went wrong (above)" >&2
    exit 1
fi
echo "release-check-test: every case passed or failed as it should"
