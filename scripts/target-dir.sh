#!/usr/bin/env bash
# Prints cargo's target directory for this workspace, so that scripts honour CARGO_TARGET_DIR and
# `build.target-dir` instead of assuming `target/`. Source it or run it; either way it prints the path.
cargo metadata --format-version 1 --no-deps --locked \
    | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
