#!/usr/bin/env bash
# Installs oasdiff (pinned) with Go into a cache under cargo's target directory, nothing global, and prints the
# binary's path. A second run finds the binary at the pinned version and returns at once.
# Usage: conformance/oasdiff31/install.sh (the 3.1 suite pins its own version, apart from conformance/oasdiff/)
set -euo pipefail
cd "$(dirname "$0")/../.."

OASDIFF_VERSION=1.39.0
target=$(bash scripts/target-dir.sh)
cache=$target/oasdiff-$OASDIFF_VERSION
bin=$cache/bin/oasdiff

command -v go >/dev/null || { echo "go is not installed: oasdiff is built from the Go module proxy" >&2; exit 1; }
# `go install` stamps no version into `oasdiff --version` (it says `main`), so the module version recorded in the
# binary's build information is what tells the pin; anything else (an older pin, a broken binary) reinstalls.
installed() { [[ -x $bin ]] && go version -m "$bin" 2>/dev/null | grep -Eq "^\smod\sgithub.com/oasdiff/oasdiff\sv$OASDIFF_VERSION\s"; }
if installed; then
    echo "$bin"
    exit 0
fi
mkdir -p "$cache"
# The module cache, the build cache and the binary all live under target/, so `cargo clean` removes them and a
# clone never writes to ~/go. GOFLAGS=-modcacherw keeps the module cache deletable by `rm -r`.
GOBIN=$cache/bin GOMODCACHE=$cache/mod GOCACHE=$cache/build GOPATH=$cache/gopath GOFLAGS=-modcacherw \
    go install "github.com/oasdiff/oasdiff@v$OASDIFF_VERSION" >&2
installed || { echo "$bin is not oasdiff $OASDIFF_VERSION after go install" >&2; exit 1; }
echo "$bin"
