#!/usr/bin/env bash
# Cold build of the client library alone: `cargo build -p quickblox-dialog` into a throwaway target directory, timed
# by hyperfine, for each revision given (default: HEAD), run back to back so that the machine's load is alike.
# Also prints each revision's crate count (normal dependencies, and with build scripts' dependencies) and whether
# any C build (the `cc` crate) is in its tree.
# Usage: bench/cold-build.sh [REV ...], such as bench/cold-build.sh main HEAD; RUNS=3 by default.
# Needs hyperfine (Debian: apt-get install hyperfine) and the crates in cargo's cache (run a build once online).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
[ $# -gt 0 ] || set -- HEAD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

commands=()
for rev in "$@"; do
    dir=$scratch/src-$(git rev-parse --short "$rev")
    mkdir -p "$dir"
    git archive "$rev" | tar -x -C "$dir"
    normal=$(cd "$dir" && cargo tree -p quickblox-dialog -e normal --prefix none --locked | sed 's/ (\*)//' | sort -u | wc -l)
    all=$(cd "$dir" && cargo tree -p quickblox-dialog -e normal,build --prefix none --locked | sed 's/ (\*)//' | sort -u | wc -l)
    if (cd "$dir" && cargo tree -p quickblox-dialog -e normal,build -i cc --locked >/dev/null 2>&1); then c="yes"; else c="no"; fi
    echo "$rev: $normal crates (normal), $all with build dependencies; C build (cc): $c"
    commands+=(-n "$rev" "cd $dir && CARGO_TARGET_DIR=$scratch/target-$(basename "$dir") cargo build --locked -q -p quickblox-dialog")
    prepares+=("rm -rf $scratch/target-$(basename "$dir")")
done

args=()
for i in "${!prepares[@]}"; do
    args+=(--prepare "${prepares[$i]}")
done
# One --prepare per command, in the same order: each run starts from an empty target directory.
hyperfine --runs "$RUNS" "${args[@]}" "${commands[@]}"
