#!/usr/bin/env bash
# Installs oasdiff 1.39.0, the version this corpus was recorded with, into cargo's target directory, nothing
# global, and prints the binary's path; a second run returns at once. The agreement corpus (../oasdiff/install.sh)
# pins 1.37.0 in its own directory, so the two pins never reinstall each other.
# $OASDIFF, if set to an oasdiff 1.39.0 binary, is used as it is (no Go needed).
# Usage: conformance/history/install-oasdiff.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

OASDIFF_VERSION=1.39.0
if [[ -n ${OASDIFF:-} ]]; then
    "$OASDIFF" --version | grep -qx "oasdiff version $OASDIFF_VERSION" ||
        { echo "\$OASDIFF=$OASDIFF is not oasdiff $OASDIFF_VERSION" >&2; exit 1; }
    echo "$OASDIFF"
    exit 0
fi
target=$(bash scripts/target-dir.sh)
cache=$target/oasdiff-$OASDIFF_VERSION
bin=$cache/bin/oasdiff

command -v go >/dev/null || { echo "go is not installed: oasdiff is built from the Go module proxy" >&2; exit 1; }
# `go install` stamps no version into `oasdiff --version`; the module version in the build information is the pin.
installed() { [[ -x $bin ]] && go version -m "$bin" 2>/dev/null | grep -Eq "^\smod\sgithub.com/oasdiff/oasdiff\sv$OASDIFF_VERSION\s"; }
if installed; then
    echo "$bin"
    exit 0
fi
mkdir -p "$cache"
# Module cache, build cache and binary all under target/, so a clone never writes to ~/go.
GOBIN=$cache/bin GOMODCACHE=$cache/mod GOCACHE=$cache/build GOPATH=$cache/gopath GOFLAGS=-modcacherw \
    go install "github.com/oasdiff/oasdiff@v$OASDIFF_VERSION" >&2
installed || { echo "$bin is not oasdiff $OASDIFF_VERSION after go install" >&2; exit 1; }
echo "$bin"
