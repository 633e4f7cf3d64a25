#!/usr/bin/env bash
# scripts/release-check.sh [--repo DIR] [--spec PATH] [--toolkit BIN] [--report FILE] TAG: whether TAG may be released.
#
# A release tag is vX.Y.Z. It passes when:
# - X.Y.Z is the spec's info.version at the tag;
# - X.Y.Z is above every release tag (vX.Y.Z) that the tagged commit contains;
# - the bump from the previous one of them is at least what the toolkit's diff between the two specs requires
#   (`openapi-toolkit diff`: major for a breaking change, minor for any other change but wording, patch for wording;
#   docs/contract-review.md), semver whatever openapi-toolkit.yaml says, since the tag is semver.
# With --report, it also writes the diff against the previous release as Markdown to FILE, for the changelog
# (publish/bundle.sh --report FILE); on a first release it writes no file.
# The specs and the configuration are read from the tags' commits with `git show`, never from the working copy.
# Breaking changes that openapi-toolkit.yaml does not accept are the pull request's check (contract-review.yml);
# here a breaking change only needs its major bump.
# The release workflow (.github/workflows/release.yml) runs it before it publishes anything; .ci/run runs
# scripts/release-check-test.sh, which tries it on a repository made for the purpose.
set -euo pipefail

fail() { printf 'error: release check: %s\n' "$*" >&2; exit 1; }
usage() { echo "usage: scripts/release-check.sh [--repo DIR] [--spec PATH] [--toolkit BIN] [--report FILE] TAG" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$PWD spec=openapi/dialog.yaml toolkit="" tag="" report=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --repo) repo=${2:?}; shift 2 ;;
        --spec) spec=${2:?}; shift 2 ;;
        --toolkit) toolkit=${2:?}; shift 2 ;;
        --report) report=${2:?}; shift 2 ;;
        -*) usage ;;
        *) [[ -z $tag ]] || usage; tag=$1; shift ;;
    esac
done
[[ -n $tag ]] || usage
if [[ -z $toolkit ]]; then
    # The toolkit of this checkout, built once; .ci/run and the release workflow have built it already.
    (cd "$here" && cargo build --quiet --locked -p openapi-toolkit)
    toolkit="$(cd "$here" && bash scripts/target-dir.sh)/debug/openapi-toolkit"
fi
[[ -x $toolkit ]] || fail "the toolkit $toolkit is not an executable"

semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$'
[[ $tag =~ $semver ]] || fail "the tag $tag is not vX.Y.Z (three numbers, no leading zeros, no suffix)"
version=${tag#v}
git -C "$repo" rev-parse --quiet --verify "refs/tags/$tag^{commit}" >/dev/null \
    || fail "there is no tag $tag in $repo"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/base" "$tmp/head"
name=$(basename "$spec")
git -C "$repo" show "$tag:$spec" >"$tmp/head/$name" 2>/dev/null || fail "$spec is not in the commit of $tag"
config=()
if git -C "$repo" show "$tag:openapi-toolkit.yaml" >"$tmp/openapi-toolkit.yaml" 2>/dev/null; then
    config=(--config "$tmp/openapi-toolkit.yaml")
fi

# The previous release: the highest vX.Y.Z below this one among the tags the tagged commit contains.
previous=""
while IFS= read -r other; do
    [[ $other =~ $semver && $other != "$tag" ]] || continue
    if [[ $(printf '%s\n%s\n' "${other#v}" "$version" | sort -V | tail -1) == "${other#v}" ]]; then
        fail "$tag is not above $other, a release its commit already contains"
    fi
    if [[ -z $previous || $(printf '%s\n%s\n' "${other#v}" "${previous#v}" | sort -V | tail -1) == "${other#v}" ]]; then
        previous=$other
    fi
done < <(git -C "$repo" tag --list 'v*' --merged "$tag")

# Without a previous release the spec is compared with itself, which gives its info.version and needs no bump.
if [[ -n $previous ]]; then
    git -C "$repo" show "$previous:$spec" >"$tmp/base/$name" 2>/dev/null || fail "$spec is not in the commit of $previous"
else
    cp "$tmp/head/$name" "$tmp/base/$name"
fi
# --allow-breaking: the exit status would mix accepted-or-not with the bump; the JSON report says the bump alone.
status=0
(cd "$tmp" && "$toolkit" diff "base/$name" --head "head/$name" --format json --allow-breaking --versioning semver \
    "${config[@]}") >"$tmp/diff.json" 2>"$tmp/diff.err" || status=$?
verdict=$(python3 - "$tmp/diff.json" <<'EOF'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
    v = report["version"]
except (OSError, ValueError, KeyError, TypeError):
    sys.exit(1)
print("|".join([v.get("head") or "", v.get("required") or "", "ok" if v.get("ok") else "short", str(len(report.get("changes", [])))]))
print(v.get("message") or "")
EOF
) || { cat "$tmp/diff.err" >&2; fail "openapi-toolkit diff gave no version verdict (exit $status; its errors above)"; }
IFS='|' read -r head required ok changes <<<"$(head -1 <<<"$verdict")"
message=$(tail -1 <<<"$verdict")

[[ $head == "$version" ]] || fail "the tag $tag is not info.version ($head) of $spec at that commit"
if [[ -z $previous ]]; then
    echo "$tag: info.version is $version; no earlier release tag, so no bump to check"
    exit 0
fi
[[ $ok == ok ]] || fail "$tag against $previous ($changes change(s)): $message"
if [[ -n $report ]]; then
    (cd "$tmp" && "$toolkit" diff "base/$name" --head "head/$name" --format markdown --allow-breaking --versioning semver \
        "${config[@]}") >"$report" || fail "openapi-toolkit diff could not write the Markdown report to $report"
fi
echo "$tag: info.version is $version; against $previous, $changes change(s) need a $required bump: $message"
