#!/usr/bin/env bash
# publish/yaml/check.sh OUT_DIR (NAME.json NAME.yaml)...: checks that every YAML reader other teams use reads each
# published YAML file as the same document as its JSON twin.
#
# The readers: PyYAML's yaml.safe_load (YAML 1.1), SnakeYAML (YAML 1.1, Java tools) and gopkg.in/yaml.v3 (YAML
# 1.2, Go tools). A plain `created_at: 2020-01-20T21:32:34Z` is a timestamp to the first two and a string to the
# third; the bundle quotes every such string, and this check holds it to that.
# Run from publish/check.sh, which has installed PyYAML into .venv and set the caches (Maven's m2, Go's module
# and build caches under publish/.cache/); each reader writes what it read as JSON into OUT_DIR for compare.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fail() { printf 'error: publish/yaml/check.sh: %s\n' "$*" >&2; exit 1; }
[[ $# -ge 3 && $(( ($# - 1) % 2 )) == 0 ]] || { echo "usage: publish/yaml/check.sh OUT_DIR (NAME.json NAME.yaml)..." >&2; exit 2; }
out=$1
shift
mkdir -p "$out"
: "${CACHE:?publish/yaml/check.sh runs from publish/check.sh, which sets CACHE}"

(cd "$here/go" && go build -o "$out/yamlload" .) || fail "building the yaml.v3 reader (publish/yaml/go) failed (above)"
snake_args=()
pairs=()
i=0
while [[ $# -gt 0 ]]; do
  json=$1 yaml=$2
  shift 2
  [[ -s $json && -s $yaml ]] || fail "$json or $yaml is missing or empty"
  "$out/yamlload" "$yaml" >"$out/$i.yamlv3.json" || fail "gopkg.in/yaml.v3 could not read $yaml (above)"
  snake_args+=("$yaml" "$out/$i.snakeyaml.json")
  pairs+=("$json" "$yaml")
  i=$((i + 1))
done
mvn --batch-mode --quiet "-Dmaven.repo.local=$CACHE/m2" -f "$here/java/pom.xml" compile exec:java \
  "-Dexec.args=${snake_args[*]}" || fail "SnakeYAML could not read a file (above)"
snake=$(sed -n 's#.*<artifactId>snakeyaml</artifactId><version>\([^<]*\)<.*#\1#p' "$here/java/pom.xml")
status=0
for ((j = 0; j < i; j++)); do
  python "$here/compare.py" "${pairs[2 * j]}" "${pairs[2 * j + 1]}" \
    --loaded "SnakeYAML $snake" "$out/$j.snakeyaml.json" --loaded "gopkg.in/yaml.v3" "$out/$j.yamlv3.json" || status=1
done
[[ $status == 0 ]] || fail "a YAML reader reads a published YAML file as another document than its JSON (above)"
