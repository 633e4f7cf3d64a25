#!/usr/bin/env bash
# Runs schemathesis (pinned, in a virtual environment under cargo's target directory) with every check against the
# mock server on loopback, and fails on any failure. Usage: conformance/run.sh [MOCK_BINARY]; the default is the debug
# build.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
target=$(bash scripts/target-dir.sh)
venv=$target/conformance/venv
mock=${1:-$target/debug/quickblox-dialog-mock}

if [[ ! -x $venv/bin/schemathesis ]] || [[ $($venv/bin/schemathesis --version) != *" $SCHEMATHESIS_VERSION" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# The default binary is rebuilt (a no-op when fresh), so that a stale build is never the one tested.
[[ $# -gt 0 ]] || cargo build --quiet --locked -p quickblox-dialog-mock

out=$target/conformance
mkdir -p "$out"
"$mock" --listen 127.0.0.1:0 --token schemathesis-token:1001 --api-key schemathesis-key >"$out/mock.out" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$out/mock.out" && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$out/mock.out"; exit 1; }
    sleep 0.1
done
base_url=$(sed -n 's/^listening on //p' "$out/mock.out")
[[ $base_url == http://127.0.0.1:* ]] || { echo "the mock did not say where it listens" >&2; exit 1; }

# A fixed seed keeps CI reproducible; --max-examples bounds the run (all five operations, the stateful phase
# following the spec's links from create to get, update and delete) to about a minute and a half.
"$venv/bin/schemathesis" --config-file conformance/schemathesis.toml run openapi/dialog.yaml \
    --url "$base_url" \
    --phases examples,coverage,fuzzing,stateful \
    --checks all \
    --max-examples 200 \
    --seed 4 \
    --no-color \
    --report junit --report-dir "$out/report" \
    | tee "$out/schemathesis.txt"
