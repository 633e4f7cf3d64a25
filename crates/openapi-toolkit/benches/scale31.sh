#!/usr/bin/env bash
# The toolkit against Redocly on an OpenAPI 3.1 document of several megabytes, in the same run: the generated
# Stripe-like documents of `scale` (OpenAPI 3.0) are converted to 3.1 by `openapi-toolkit convert`, then `lint` of
# each tool and `convert` back to 3.0 are timed whole with farm-bench (or hyperfine where farm-bench is missing).
# Redocly's CLI is installed from npm under the target dir. Nothing else is fetched.
# Usage: crates/openapi-toolkit/benches/scale31.sh [SCALE...]   (default 4 16; figures go to docs/benchmarks.md by hand)
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
specs="$target/bench-specs"
redocly_dir="$target/redocly"
if [ ! -x "$redocly_dir/node_modules/.bin/redocly" ]; then
  mkdir -p "$redocly_dir"
  (cd "$redocly_dir" && npm init -y >/dev/null && npm install --no-audit --no-fund @redocly/cli >/dev/null)
fi
redocly="$redocly_dir/node_modules/.bin/redocly"
# No telemetry and no update check: the run is offline and timed.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
cargo build -q --release -p openapi-toolkit
[ -f "$specs/api-16x.json" ] || cargo bench -q -p openapi-toolkit --bench scale -- --write "$specs" >/dev/null
tool="$target/release/openapi-toolkit"
echo "redocly $("$redocly" --version)"
for scale in "${@:-4 16}"; do
  for s in $scale; do
    base="$specs/api-${s}x.json"
    spec="$specs/api-${s}x-31.json"
    "$tool" convert "$base" --to 3.1 -o "$spec"
    echo "== ${s}x as OpenAPI 3.1: $(du -h "$spec" | cut -f1)"
    # Both lints exit 1 on the generated document's findings; the time is what is compared.
    if command -v farm-bench >/dev/null; then
      farm-bench -n 5 --timeout 900 --vs "sh -c '$redocly lint --format=summary $spec >/dev/null 2>&1 || true'" \
        -- sh -c "$tool lint $spec >/dev/null 2>&1 || true"
      farm-bench -n 5 --timeout 300 -- "$tool" convert "$spec" --to 3.0 -o "$specs/api-${s}x-back.json"
    else
      hyperfine -N -i --warmup 1 --runs 5 "$tool lint $spec" "$redocly lint --format=summary $spec" \
        "$tool convert $spec --to 3.0 -o $specs/api-${s}x-back.json"
    fi
  done
done
