#!/usr/bin/env bash
# The toolkit on generated Stripe-like documents of 1x, 4x and 16x: in-process figures from the `scale` bench, then
# the release command timed whole with hyperfine and its peak memory with /usr/bin/time. Nothing is fetched.
# Usage: crates/openapi-toolkit/benches/scale.sh   (needs hyperfine; figures go to docs/benchmarks.md by hand)
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
specs="$target/bench-specs"
cargo bench -q -p openapi-toolkit --bench scale
cargo bench -q -p openapi-toolkit --bench scale -- --write "$specs" >/dev/null
# The diff is timed in process by the bench above: at 16x it takes minutes, too long for five hyperfine runs.
cargo build -q --release -p openapi-toolkit
tool="$target/release/openapi-toolkit"
for scale in 1 4 16; do
  spec="$specs/api-${scale}x.json"
  echo "== ${scale}x: $(du -h "$spec" | cut -f1)"
  # Lint exits 1 on the generated document's findings; hyperfine is told that is expected.
  hyperfine -N -i --warmup 1 --runs 5 \
    "$tool lint $spec" \
    "$tool bundle $spec --out-dir $specs/out-${scale}x"
  for command in "lint $spec" "bundle $spec --out-dir $specs/out-${scale}x"; do
    /usr/bin/time -f "peak memory of ${command%% *}: %M KB" "$tool" $command >/dev/null 2>"$specs/time.txt" || true
    tail -n 1 "$specs/time.txt"
  done
done
