#!/usr/bin/env bash
# Soak: one release mock process under wrk, first at a fixed pace (1,000 requests per second for 10 minutes), then as
# fast as the connections go, with its resident memory sampled from /proc every few seconds. The store is bounded
# (--max-dialogs), so memory must level off instead of growing with every created dialog.
# Prints throughput, p50/p99 and the memory samples; everything stays on 127.0.0.1 and stops by itself.
# Usage: bench/soak.sh; override with STEADY=600 RATE=1000 SATURATE=60 CONNECTIONS=32 THREADS=2 SAMPLE=5 MAX_DIALOGS=N.
# Needs the Rust toolchain, wrk (Debian: apt-get install wrk) and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."

STEADY=${STEADY:-600}
RATE=${RATE:-1000}
SATURATE=${SATURATE:-60}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
SAMPLE=${SAMPLE:-5}
MAX_DIALOGS=${MAX_DIALOGS:-}

command -v wrk >/dev/null || { echo "bench/soak.sh needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
# Cargo knows where the build goes (CARGO_TARGET_DIR, a config file): ask it rather than assume target/.
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
out=$target/bench/soak
mkdir -p "$out"
cargo build --quiet --release --locked -p quickblox-dialog-mock

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$target/release/quickblox-dialog-mock" --listen 127.0.0.1:0 --token bench-token:1001 \
    ${MAX_DIALOGS:+--max-dialogs "$MAX_DIALOGS"} >"$out/mock.out" 2>&1 &
mock=$!
pids+=("$mock")
for _ in $(seq 100); do
    grep -q '^listening on ' "$out/mock.out" && break
    sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$out/mock.out")/chat/Dialog.json"
[[ $url == http://127.0.0.1:* ]] || { echo "the mock did not start: $(cat "$out/mock.out")" >&2; exit 1; }

# The sampler writes "seconds phase rss_kb" lines; the phase comes from a file the loads below rewrite.
echo idle >"$out/phase"
(
    start=$SECONDS
    while kill -0 "$mock" 2>/dev/null; do
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$mock/status" 2>/dev/null || true)
        [[ -n $rss ]] && echo "$((SECONDS - start)) $(cat "$out/phase") $rss"
        sleep "$SAMPLE"
    done
) >"$out/rss.txt" &
pids+=($!)

load() { # PHASE SECONDS DELAY_MS: one wrk run, its output saved as PHASE.txt
    echo "$1" >"$out/phase"
    # wrk stops itself after -d; the timeout is only a guard against a hung run.
    timeout $(($2 + 60)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 5s -s bench/soak.lua "$url" -- "$3" \
        >"$out/$1.txt"
}

sleep "$SAMPLE"
# Each connection waits CONNECTIONS/RATE seconds after an answer, less 1.5 ms for the answer itself and wrk's timer,
# which wakes late (here a 30 ms pause for 32 connections came to 1,037 requests per second, 31 ms to 966); the report
# gives the rate measured.
echo "steady: ${STEADY}s at $RATE requests per second, $CONNECTIONS connections" >&2
load steady "$STEADY" "$(python3 -c "print(max(0, $CONNECTIONS * 1000 / $RATE - 1.5))")"
echo "saturation: ${SATURATE}s, $CONNECTIONS connections" >&2
load saturate "$SATURATE" 0
echo idle >"$out/phase"
sleep "$SAMPLE"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print(f'{"load":<10} {"req/s":>8} {"p50 ms":>7} {"p99 ms":>7} {"requests":>9} {"non-2xx":>7} {"errors":>6}')
for phase in ("steady", "saturate"):
    with open(f"{out}/{phase}.txt") as f:
        line = next(l for l in f if l.startswith("SUMMARY "))
    r = json.loads(line[len("SUMMARY "):])
    rate = r["requests"] / (r["duration_us"] / 1e6)
    print(f'{phase:<10} {rate:>8.0f} {r["p50_us"]/1000:>7.2f} {r["p99_us"]/1000:>7.2f} {r["requests"]:>9} {r["non_2xx"]:>7} {r["socket_errors"]:>6}')
samples = []
with open(f"{out}/rss.txt") as f:
    for line in f:
        seconds, phase, kb = line.split()
        samples.append((int(seconds), phase, int(kb)))
print()
print("resident memory (MB), one sample every few seconds:")
for phase in ("idle", "steady", "saturate"):
    mb = [kb / 1024 for _, p, kb in samples if p == phase]
    if mb:
        print(f"  {phase:<9} first {mb[0]:6.1f}  last {mb[-1]:6.1f}  max {max(mb):6.1f}  ({len(mb)} samples)")
steady = [kb / 1024 for _, p, kb in samples if p == "steady"]
if len(steady) >= 6:
    third = len(steady) // 3
    print(f"  steady, last third: {min(steady[-third:]):.1f} to {max(steady[-third:]):.1f} MB")
print(f"samples: {out}/rss.txt")
PY
