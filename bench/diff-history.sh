#!/usr/bin/env bash
# The diff on the real-history corpus (conformance/history): our diff (release build) against oasdiff 1.39.0 on
# every OpenAPI 3.0 pair, in the same hyperfine run, then each tool's peak memory over the pairs (/usr/bin/time -v).
# Each timed command is one shell loop over all the pairs, so process start-up counts as it does in a pull request.
# Our diff writes its JSON report (`diff --format json`), oasdiff its changelog (`changelog --format json`): both
# report every change at every level. Usage: bench/diff-history.sh; RUNS=3 WARMUP=0 (the defaults) set hyperfine's
# counts: one run of oasdiff over the corpus takes minutes.
# Needs the Rust toolchain, Go (or OASDIFF=<an oasdiff 1.39.0 binary>), Python 3 and hyperfine (installed from
# Debian's packages when missing and running as root; otherwise it says so and times nothing).
# The figures are in docs/benchmarks.md ("The diff on real spec histories").
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
WARMUP=${WARMUP:-0}
if ! command -v hyperfine >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y -qq hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
    else
        echo "bench/diff-history.sh: hyperfine is not installed (Debian: apt-get install hyperfine); nothing timed" >&2
        exit 1
    fi
fi
[[ -x /usr/bin/time ]] || { echo "bench/diff-history.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2; exit 1; }

target=$(bash scripts/target-dir.sh)
out=$target/diff-history
rm -rf "$out"
mkdir -p "$out"
oasdiff=$(conformance/history/install-oasdiff.sh)
cargo build --quiet --release --locked -p openapi-toolkit
ours=$target/release/openapi-toolkit

# Unpack every 3.0 spec and list the pairs, one `base revision [oasdiff flags]` line each.
python3 - "$out" <<'PY'
import json, sys, tarfile
from pathlib import Path
out = Path(sys.argv[1])
manifest = json.loads(Path("conformance/history/manifest.json").read_text())
with open(out / "pairs.txt", "w") as pairs:
    for spec, entry in manifest.items():
        if entry["openapi"] != "3.0":
            continue
        with tarfile.open(f"conformance/history/{spec}.tar.xz") as tar:
            tar.extractall(out)
        for p in entry["pairs"]:
            base, rev = (out / spec / (p[k] + entry["suffix"]) for k in ("base", "revision"))
            pairs.write(f"{base} {rev} {entry['oasdiff_flags']}\n")
PY
echo '{}' >"$out/config.json"
count=$(wc -l <"$out/pairs.txt")

# One script per tool, each running every pair; a nonzero exit stops the run, so nothing fails unseen.
cat >"$out/ours.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
while read -r base rev _; do
    "$ours" diff "\$base" --head "\$rev" --format json --allow-breaking --versioning none >/dev/null
done <"$out/pairs.txt"
SH
cat >"$out/oasdiff.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
while read -r base rev flags; do
    # \$flags is a spec's own oasdiff flags (unquoted on purpose: none, or --include-path-params).
    "$oasdiff" changelog "\$base" "\$rev" --format json --allow-external-refs=false --config "$out/config.json" \$flags >/dev/null
done <"$out/pairs.txt"
SH
chmod +x "$out/ours.sh" "$out/oasdiff.sh"

echo "== $count pairs of OpenAPI 3.0 from conformance/history, each tool over all of them, $RUNS runs"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-markdown "$out/hyperfine.md" \
    -n "openapi-toolkit diff (release)" "$out/ours.sh" \
    -n "oasdiff 1.39.0 changelog" "$out/oasdiff.sh"

echo "== peak memory: the largest single process over all $count pairs (/usr/bin/time -v on the whole loop)"
# GNU time reads the loop's rusage, whose maximum resident size is that of its largest child: one pair's peak.
for tool in ours oasdiff; do
    /usr/bin/time -v "$out/$tool.sh" 2>"$out/$tool.time"
    echo "$tool: $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$tool.time") KB peak," \
        "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$tool.time") wall"
done
