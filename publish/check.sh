#!/usr/bin/env bash
# publish/check.sh [--update]: checks the published contract with the tools other language teams use.
#
# Installs the pinned tools into this folder (node_modules/ from package-lock.json, .venv/ from
# requirements.txt; Debian's chromium when it is missing), bundles the spec into dist/ as it is published
# (publish/bundle.sh: the spec, its reference page and the generator settings), checks that every integer enum
# names each of its values (enum_names.py), lints it with Redocly,
# Spectral and openapi-spec-validator, checks that PyYAML, SnakeYAML and yaml.v3 read dist/dialog.yaml as
# dist/dialog.json, generates TypeScript, Python, Java, Kotlin, Go and Swift clients from dist/ exactly as a team
# downloads it (the spec and dist/generators/, nothing private), compiles
# every one that can be built here and runs its smoke program against the mock server on 127.0.0.1, checks that
# each docs/usage-<language>.md quotes its smoke program verbatim, compares each language's model listing with
# snapshots/, compares what each client sent for the list filters and the delete ids (publish/wire/capture.py
# records it) with snapshots/wire-<language>.txt, checks that every name the reference page's samples use is in that language's generated client,
# and opens the reference page in headless Chromium.
# Everything the tools download is cached under .cache/ (npm, pip, Maven, Go), so a second run is fast.
# With --update it rewrites snapshots/ instead of comparing; review the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"
PUBLISH=$PWD
ROOT=$(cd .. && pwd)
DIST=$ROOT/dist
OUT=$PUBLISH/out
UPDATE=0
case "${1:-}" in
  "") ;;
  --update) UPDATE=1 ;;
  *) echo "usage: publish/check.sh [--update]" >&2; exit 2 ;;
esac

START=$SECONDS
TMP=$(mktemp -d)
# Nothing is left running or lying around: background jobs of this script are ended by their ids.
cleanup() {
  local pids
  pids=$(jobs -p)
  for pid in $pids; do
    # A background subshell's own children (a go build) go first, by their parent's id.
    pkill -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

step() { printf '\n== publish: %s (at %ss)\n' "$*" $((SECONDS - START)); }
# The seconds each language's stage took, printed at the end (docs/publishing.md has the figures).
timings=()
timed() { timings+=("$(printf '%-11s %4ss' "$1" $((SECONDS - $2)))"); }
fail() { printf 'error: publish/check.sh: %s\n' "$*" >&2; exit 1; }

# Compares a listing with its snapshot, or rewrites the snapshot with --update; WHAT names the listing in messages.
snapshot() {
  local name=$1 listing=$2 what=${3:-the $1 models} committed=$PUBLISH/snapshots/$1.txt
  if [[ $UPDATE == 1 ]]; then
    cp "$listing" "$committed"
    echo "updated publish/snapshots/$name.txt"
  elif ! diff -u "$committed" "$listing"; then
    fail "$what changed (diff above, from publish/snapshots/$name.txt to this run's): if that is meant, run publish/check.sh --update and commit the snapshot"
  else
    echo "$what match publish/snapshots/$name.txt"
  fi
}

# Each smoke program, given a second URL, lists dialogs with the same filters and deletes the same two ids at
# publish/wire/capture.py, which keeps every request-target as it arrived. One server per language, so that each
# language's lines are its own; wire_url is the URL of the one started last.
wire_start() {
  local language=$1
  python3 "$PUBLISH/wire/capture.py" "$OUT/wire-$language.txt" >"$TMP/wire-$language.out" 2>&1 &
  wire_pid=$!
  for _ in $(seq 100); do grep -q '^listening on ' "$TMP/wire-$language.out" 2>/dev/null && break; sleep 0.1; done
  wire_url=$(sed -n 's/^listening on //p' "$TMP/wire-$language.out" | head -1)
  [[ -n $wire_url ]] || { cat "$TMP/wire-$language.out"; fail "publish/wire/capture.py did not start for $language"; }
}

# Stops the capture server of wire_start and compares what the client sent with snapshots/wire-LANGUAGE.txt.
wire_check() {
  local language=$1
  kill "$wire_pid"
  wait "$wire_pid" 2>/dev/null || true
  [[ -s $OUT/wire-$language.txt ]] || fail "the $language smoke program sent nothing to publish/wire/capture.py"
  snapshot "wire-$language" "$OUT/wire-$language.txt" "the requests the $language client sent"
}

# A usage page's code must be the smoke program's own, so that it cannot rot.
usage_page() {
  local language=$1
  shift
  python "$PUBLISH/usage_check.py" "$ROOT/docs/usage-$language.md" "$@" \
    || fail "docs/usage-$language.md no longer matches the $language smoke program (above)"
}

# The reference page's samples use names of each language's generated client (`cargo xtask docs
# --print-sample-names`); each must be in the client generated here, so that the page cannot drift from the generators.
sample_names() {
  local language=$1 name names
  shift
  names=$(cd "$ROOT" && cargo --quiet xtask docs --print-sample-names "$language") \
    || fail "cargo xtask docs --print-sample-names $language failed (above)"
  [[ -n $names ]] || fail "the reference page's $language samples name nothing of the client; that cannot be right"
  local missing=()
  while IFS= read -r name; do
    grep -rqwF -- "$name" "$@" || missing+=("$name")
  done <<<"$names"
  if [[ ${#missing[@]} != 0 ]]; then
    fail "the reference page's $language samples use names the generated client lacks: ${missing[*]} (docs.rs in crates/openapi-toolkit names them)"
  fi
  echo "the reference page's $language samples use $(wc -l <<<"$names") name(s) of the client, all in the generated one"
}

step "tools"
# Every download stays in the workspace: a second run is fast, and nothing is written to the home folder.
CACHE=$PUBLISH/.cache
export npm_config_cache=$CACHE/npm PIP_CACHE_DIR=$CACHE/pip GOMODCACHE=$CACHE/go/mod GOCACHE=$CACHE/go/build
# -modcacherw leaves the module cache deletable; GOTOOLCHAIN=local fails rather than fetch another Go.
export GOFLAGS=-modcacherw GOTOOLCHAIN=local
mvn=(mvn --batch-mode --quiet "-Dmaven.repo.local=$CACHE/m2")
for tool in java mvn go node npm python3 cargo; do
  command -v "$tool" >/dev/null || fail "$tool is not installed; the machine image should have it"
done
# Building oapi-codegen (pinned in go/go.mod) takes minutes on a fresh machine and uses little of what the other
# stages use, so it runs beside them; the Go stage waits for it.
(cd go && go mod download && go build -o "$TMP/oapi-codegen" github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen) \
  >"$TMP/oapi-codegen.log" 2>&1 &
oapi_codegen_build=$!
if ! command -v chromium >/dev/null; then
  [[ $(id -u) == 0 ]] || fail "chromium is missing and installing it needs root: apt-get install chromium"
  echo "installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# --ignore-scripts: no tool here needs an install script, and one of them would only send telemetry.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
# openapi-python-client formats its output with the ruff it depends on, found on PATH.
export PATH=$PUBLISH/.venv/bin:$PUBLISH/node_modules/.bin:$PATH
echo "java $(java -version 2>&1 | head -1), $(mvn --version 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'), $(go version), node $(node --version), $(chromium --version)"

step "bundle (publish/bundle.sh: cargo xtask bundle, cargo xtask docs, the generator settings)"
report=()
if [[ -n ${BREAKING_CHANGE_REPORT:-} ]]; then report=(--report "$BREAKING_CHANGE_REPORT"); fi
bash bundle.sh "${report[@]}"
rm -rf "$OUT"
mkdir -p "$OUT"
# What is published is what Kotlin compiles below: the adapters in dist/ are the ones in publish/kotlin/.
cmp "$DIST/generators/OpenTypes.kt" kotlin/src/main/kotlin/dialog/adapters/OpenTypes.kt \
  || fail "dist/generators/OpenTypes.kt is not publish/kotlin's OpenTypes.kt"
python3 enum_names.py --self-test || fail "publish/enum_names.py no longer finds what it should (above)"
python3 enum_names.py "$DIST/dialog.json" || fail "an integer enum of dist/dialog.json lacks a name for a value, or lists null (above)"
sample_names rust "$ROOT/crates/quickblox-dialog/src/generated.rs"

step "mock server (cargo build -p quickblox-dialog-mock)"
# Every smoke program runs against the contract server; .ci/run has built it already, so this is quick there.
(cd "$ROOT" && cargo build --quiet --locked -p quickblox-dialog-mock)
mock=$(cd "$ROOT" && bash scripts/target-dir.sh)/debug/quickblox-dialog-mock
"$mock" --listen 127.0.0.1:0 --token smoke-session-token:555 --api-key smoke-api-key >"$TMP/mock.out" 2>&1 &
for _ in $(seq 100); do grep -q '^listening on ' "$TMP/mock.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$TMP/mock.out" | head -1)
[[ -n $url ]] || { cat "$TMP/mock.out"; fail "the mock server did not start"; }
echo "the mock server listens on $url"

step "lint: openapi-spec-validator $(pip show openapi-spec-validator 2>/dev/null | sed -n 's/^Version: //p')"
openapi-spec-validator "$DIST/dialog.yaml" "$DIST/dialog.json"

step "lint: Redocly CLI $(redocly --version 2>/dev/null)"
for doc in dialog.yaml dialog.json; do
  # Redocly exits 0 on warnings; the totals of its JSON report decide, and the readable report is shown on failure.
  redocly lint --config redocly.yaml --format=json "$DIST/$doc" >"$TMP/redocly.json" 2>/dev/null || true
  totals=$(node -e 'const r = require(process.argv[1]); console.log(`${r.totals.errors} ${r.totals.warnings}`)' "$TMP/redocly.json") \
    || fail "redocly lint gave no JSON report for dist/$doc"
  read -r errors warnings <<<"$totals"
  if [[ $errors != 0 || $warnings != 0 ]]; then
    redocly lint --config redocly.yaml "$DIST/$doc" || true
    fail "redocly lint: $errors errors and $warnings warnings in dist/$doc; fix the spec, or turn the rule off in publish/redocly.yaml with the reason"
  fi
  echo "dist/$doc: no errors, no warnings"
done

step "lint: Spectral $(spectral --version) (spectral:oas)"
spectral lint --ruleset .spectral.yaml --fail-severity=warn "$DIST/dialog.yaml" "$DIST/dialog.json" \
  || fail "spectral lint found problems (above); fix the spec, or turn the rule off in publish/.spectral.yaml with the reason"

started=$SECONDS
step "YAML readers: PyYAML, SnakeYAML, gopkg.in/yaml.v3 (publish/yaml/check.sh)"
# The real spec has only a few strings a YAML 1.1 reader takes for something else; the toolkit's fixture has
# every class of them, bundled by the same writer.
(cd "$ROOT" && cargo run --quiet --locked -p openapi-toolkit -- bundle crates/openapi-toolkit/tests/fixtures/yaml/tricky.json \
  --out-dir "$OUT/yaml/tricky") >/dev/null
CACHE=$CACHE bash yaml/check.sh "$OUT/yaml" "$DIST/dialog.json" "$DIST/dialog.yaml" \
  "$OUT/yaml/tricky/tricky.json" "$OUT/yaml/tricky/tricky.yaml"
timed YAML $started

started=$SECONDS
step "TypeScript: openapi-typescript $(openapi-typescript --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1), tsc $(tsc --version | grep -o '[0-9][0-9.]*')"
openapi-typescript "$DIST/dialog.yaml" --output "$OUT/typescript/dialog.d.ts" >/dev/null
tsc -p typescript/tsconfig.json || fail "tsc --strict rejected publish/typescript/usage.ts against the generated types (above)"
echo "tsc --strict: publish/typescript/usage.ts type-checks"
python3 list_models.py typescript "$OUT/typescript" >"$OUT/typescript.models.txt"
snapshot typescript "$OUT/typescript.models.txt"
sample_names typescript "$OUT/typescript"
tsc -p typescript/tsconfig.smoke.json || fail "tsc --strict rejected publish/typescript/smoke.mts (above)"
wire_start typescript
node "$OUT/typescript-smoke/typescript/smoke.mjs" "$url" "$wire_url" || fail "the TypeScript smoke test against the mock server failed (above)"
wire_check typescript
usage_page typescript typescript/smoke.mts
timed TypeScript $started

started=$SECONDS
step "Python: openapi-python-client $(openapi-python-client --version | grep -o '[0-9][0-9.]*')"
openapi-python-client generate --path "$DIST/dialog.json" --meta none --output-path "$OUT/python/dialog_client" >"$TMP/python.log" 2>&1 \
  || { cat "$TMP/python.log"; fail "openapi-python-client failed (above)"; }
if grep -qi "warning" "$TMP/python.log"; then
  cat "$TMP/python.log"
  fail "openapi-python-client warned about the spec (above)"
fi
python list_models.py python "$OUT/python" >"$OUT/python.models.txt"
snapshot python "$OUT/python.models.txt"
sample_names python "$OUT/python"
python python/smoke_test.py --client-dir "$OUT/python" --spec "$DIST/dialog.json" \
  || fail "the Python smoke test failed (above)"
wire_start python
python python/smoke_test.py --client-dir "$OUT/python" --spec "$DIST/dialog.json" --base-url "$url" --wire-url "$wire_url" \
  || fail "the Python smoke test against the mock server failed (above)"
wire_check python
usage_page python python/smoke_test.py
timed Python $started
version=$(python -c 'import importlib.metadata as m; print(m.version("openapi-generator-cli"))')
started=$SECONDS
step "Java, Kotlin, Swift: openapi-generator-cli $version (generate)"
allowed=$PUBLISH/openapi-generator/allowed-warnings.txt
grep -v '^\s*\(#\|$\)' "$allowed" | sort -u >"$TMP/allowed"
: >"$TMP/seen"
# Kotlin's generator cannot make four of the spec's types (docs/usage-kotlin.md); the published settings put the
# hand-written ones of dist/generators/OpenTypes.kt in their place.
kotlin_options=(--config "$DIST/generators/openapi-generator-kotlin.yaml")
for pair in java:java kotlin:kotlin swift6:swift; do
  generator=${pair%%:*} language=${pair##*:}
  log=$TMP/$generator.log
  options=()
  if [[ $generator == kotlin ]]; then options=("${kotlin_options[@]}"); fi
  openapi-generator-cli generate --input-spec "$DIST/dialog.json" --generator-name "$generator" \
    --output "$OUT/$language" "${options[@]}" >"$log" 2>&1 || { cat "$log"; fail "openapi-generator-cli -g $generator failed (above)"; }
  # A warning is `[main] WARN  <logger> - <message>`; the message is what the allow-list names.
  grep -E '^\[[^]]*\] WARN ' "$log" | sed -E "s/^[^-]* - /$generator: /" | sort -u >"$TMP/$generator.warnings" || true
  cat "$TMP/$generator.warnings" >>"$TMP/seen"
  unlisted=$(comm -23 "$TMP/$generator.warnings" "$TMP/allowed")
  if [[ -n $unlisted ]]; then
    printf '%s\n' "$unlisted" >&2
    fail "openapi-generator-cli -g $generator warned about the spec (above); fix the spec, or list the warning with its reason in publish/openapi-generator/allowed-warnings.txt"
  fi
  echo "$generator: $(wc -l <"$TMP/$generator.warnings") warnings, all listed"
  python list_models.py "$language" "$OUT/$language" >"$OUT/$language.models.txt"
  snapshot "$language" "$OUT/$language.models.txt"
  if [[ $language != swift ]]; then sample_names "$language" "$OUT/$language"; fi
done
stale=$(comm -13 <(sort -u "$TMP/seen") "$TMP/allowed")
if [[ -n $stale ]]; then
  printf '%s\n' "$stale" >&2
  fail "these entries of publish/openapi-generator/allowed-warnings.txt were printed by no generator (above); remove them"
fi
timed generate $started

started=$SECONDS
step "Java: Maven (publish/java/pom.xml), the smoke program against the mock server"
# exec:java runs the program inside Maven, whose exit status is the program's.
wire_start java
"${mvn[@]}" -f java/pom.xml compile exec:java "-Dexec.args=$url $wire_url" || fail "the Java client did not compile, or its smoke test failed (above)"
wire_check java
usage_page java java/src/main/java/smoke/SmokeTest.java
timed Java $started

started=$SECONDS
step "Kotlin: Maven with kotlin-maven-plugin (publish/kotlin/pom.xml), the smoke program against the mock server"
wire_start kotlin
"${mvn[@]}" -f kotlin/pom.xml compile exec:java "-Dexec.args=$url $wire_url" || fail "the Kotlin client did not compile, or its smoke test failed (above)"
wire_check kotlin
usage_page kotlin kotlin/src/main/kotlin/smoke/SmokeTest.kt kotlin/src/main/kotlin/dialog/adapters/OpenTypes.kt
timed Kotlin $started

started=$SECONDS
step "Go: oapi-codegen $(sed -n 's#^\s*github.com/oapi-codegen/oapi-codegen/v2 \(v[0-9.]*\).*#\1#p' go/go.mod) with dist/generators/oapi-codegen.yaml, go vet, go build, the smoke program against the mock server"
wait "$oapi_codegen_build" || { cat "$TMP/oapi-codegen.log"; fail "building oapi-codegen from publish/go/go.mod failed (above)"; }
(
  # As docs/usage-go.md says: the published settings, run where the package goes, on the published spec; no overlay.
  mkdir -p go/dialog "$TMP/go-yaml"
  cd go/dialog
  "$TMP/oapi-codegen" -config "$DIST/generators/oapi-codegen.yaml" "$DIST/dialog.json" || fail "oapi-codegen failed on dist/dialog.json (above)"
  # dialog.yaml is the same document, so it must make the same client.
  (cd "$TMP/go-yaml" && "$TMP/oapi-codegen" -config "$DIST/generators/oapi-codegen.yaml" "$DIST/dialog.yaml") \
    || fail "oapi-codegen failed on dist/dialog.yaml (above)"
  cmp dialog.gen.go "$TMP/go-yaml/dialog.gen.go" || fail "oapi-codegen made different clients from dist/dialog.json and dist/dialog.yaml"
  cd ..
  go vet ./... || fail "go vet found problems in the generated client or the smoke program (above)"
  go build -o "$OUT/go/smoke" ./smoke || fail "go build failed (above)"
)
wire_start go
"$OUT/go/smoke" "$url" "$wire_url" || fail "the Go smoke test against the mock server failed (above)"
wire_check go
python list_models.py go go/dialog >"$OUT/go.models.txt"
snapshot go "$OUT/go.models.txt"
sample_names go go/dialog
usage_page go go/smoke/main.go
timed Go $started

step "reference page in headless Chromium"
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --hide-scrollbars)
page="file://$DIST/dialog.html"
timeout 60 "${chrome[@]}" --user-data-dir="$TMP/chrome-dom" --dump-dom "$page" >"$OUT/dialog.dom.html" 2>"$TMP/chrome.log" \
  || { cat "$TMP/chrome.log"; fail "chromium could not open dist/dialog.html"; }
for needle in '<span class="method">POST</span><code>/chat/Dialog.json</code>' 'operationId <code>create_dialog</code>' \
  'id="schema-ErrorMessages"' 'id="schema-FieldErrors"' '"Unauthorized"' '"base": [' \
  'id="auth-SessionToken"' 'id="auth-ApiKey"' 'id="sample-create_dialog-curl"' 'id="sample-create_dialog-go"' \
  'curl -X POST https://api.quickblox.com/chat/Dialog.json'; do
  grep -qF -- "$needle" "$OUT/dialog.dom.html" || fail "the page as Chromium rendered it lacks $needle (DOM in publish/out/dialog.dom.html)"
done
echo "Chromium shows the operation, both error shapes, both schemes and the request samples"
timeout 60 "${chrome[@]}" --user-data-dir="$TMP/chrome-shot" --window-size=1280,2400 --screenshot="$DIST/dialog.png" "$page" \
  >/dev/null 2>"$TMP/chrome.log" || { cat "$TMP/chrome.log"; fail "chromium could not take the screenshot"; }
[[ -s $DIST/dialog.png ]] || fail "chromium wrote no screenshot to dist/dialog.png"
echo "screenshot: dist/dialog.png"

step "done"
printf '%s\n' "${timings[@]}"
echo "publish stage took $((SECONDS - START))s"
