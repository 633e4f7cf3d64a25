#!/usr/bin/env bash
# Load comparison: the mock server against Prism serving the same spec, both on loopback, driven by oha.
# Prints requests per second and p50/p99 latency of each, side by side, for two loads:
#   - saturation: as fast as C connections go for SATURATE seconds;
#   - steady: a fixed 1,000 requests per second for STEADY seconds (the issue's target: p99 under 5 ms, no error).
# Usage: bench/load.sh; override with SATURATE=10 STEADY=60 CONNECTIONS=50. Needs the Rust toolchain, Node 20 with npm,
# Python 3. The figures are in docs/benchmarks.md; bench/soak.sh is the long run that watches memory.
set -euo pipefail
cd "$(dirname "$0")/.."

PRISM_VERSION=5.16.0
OHA_VERSION=1.16.0
SATURATE=${SATURATE:-10}
STEADY=${STEADY:-60}
CONNECTIONS=${CONNECTIONS:-50}
# Cargo knows where the build goes (CARGO_TARGET_DIR, a config file): ask it rather than assume target/.
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
out=$target/bench
mkdir -p "$out"

# Tools, pinned, installed under the target directory so that nothing outside the build changes.
if [[ ! -x $out/oha/bin/oha ]]; then
    cargo install --quiet --locked --version "$OHA_VERSION" --root "$out/oha" oha
fi
if [[ ! -x $out/prism/node_modules/.bin/prism ]]; then
    npm install --silent --no-audit --no-fund --prefix "$out/prism" "@stoplight/prism-cli@$PRISM_VERSION"
fi
cargo build --quiet --release --locked -p quickblox-dialog-mock

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$target/release/quickblox-dialog-mock" --listen 127.0.0.1:0 --token bench-token:1001 >"$out/mock.out" 2>&1 &
pids+=($!)
# Prism logs every request; its log goes to a file, as anyone running it under load would do.
prism_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$out/prism/node_modules/.bin/prism" mock --host 127.0.0.1 --port "$prism_port" openapi/dialog.yaml >"$out/prism.log" 2>&1 &
pids+=($!)

for _ in $(seq 300); do
    grep -q '^listening on ' "$out/mock.out" && grep -q 'Prism is listening' "$out/prism.log" && break
    sleep 0.1
done
mock_url="$(sed -n 's/^listening on //p' "$out/mock.out")/chat/Dialog.json"
prism_url="http://127.0.0.1:$prism_port/chat/Dialog.json"
[[ $mock_url == http://127.0.0.1:* ]] || { echo "the mock did not start: $(cat "$out/mock.out")" >&2; exit 1; }
grep -q 'Prism is listening' "$out/prism.log" || { echo "Prism did not start: $(tail "$out/prism.log")" >&2; exit 1; }

# The vendor's group recipe: a new dialog every time (a repeated private dialog would only be a look-up).
body='{"type":2,"name":"New Year party","occupants_ids":"96831397,96831328,96830631,96754523","photo":"68123"}'
load() { # NAME URL ARGS...: one oha run, its JSON report saved as NAME.json
    local name=$1 url=$2
    shift 2
    "$out/oha/bin/oha" --no-tui --output-format json "$@" -m POST -H 'QB-Token: bench-token' \
        -H 'Content-Type: application/json' -d "$body" "$url" >"$out/$name.json"
}

echo "warming up" >&2
load warmup-mock "$mock_url" -z 2s -c 4
load warmup-prism "$prism_url" -z 2s -c 4
echo "saturation: ${SATURATE}s at $CONNECTIONS connections each" >&2
load saturate-mock "$mock_url" -z "${SATURATE}s" -c "$CONNECTIONS"
load saturate-prism "$prism_url" -z "${SATURATE}s" -c "$CONNECTIONS"
echo "steady: ${STEADY}s at 1000 requests per second each" >&2
load steady-mock "$mock_url" -z "${STEADY}s" -c "$CONNECTIONS" -q 1000
load steady-prism "$prism_url" -z "${STEADY}s" -c "$CONNECTIONS" -q 1000

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def row(name):
    with open(f"{out}/{name}.json") as f:
        r = json.load(f)
    codes = r.get("statusCodeDistribution", {})
    ok = codes.get("201", 0)
    # oha cancels the requests still in flight when -z runs out and lists them as "aborted due to deadline":
    # that is the load generator stopping, not the server failing, so it is not counted as an error.
    errors = {k: v for k, v in r.get("errorDistribution", {}).items() if k != "aborted due to deadline"}
    bad = sum(codes.values()) - ok + sum(errors.values())
    p = r["latencyPercentiles"]
    return f'{r["summary"]["requestsPerSec"]:>10.0f} {p["p50"]*1000:>9.2f} {p["p99"]*1000:>9.2f} {ok:>9} {bad:>7}'
print(f'{"load":<12} {"server":<6} {"req/s":>10} {"p50 ms":>9} {"p99 ms":>9} {"201s":>9} {"errors":>7}')
for load in ("saturate", "steady"):
    for server in ("mock", "prism"):
        print(f"{load:<12} {server:<6} {row(f'{load}-{server}')}")
PY
