#!/usr/bin/env python3
"""Takes consecutive versions of one spec file out of a git repository's history into the corpus.

Usage: collect.py NAME --git-dir DIR --path FILE --url URL --licence ID [--count N] [--before COMMIT] [--group 3.0|3.1]
                  [--oasdiff-flags 'FLAGS']

A pair is one commit that changed FILE: its first parent's version (base) against its own (revision).
Merge commits are skipped, and so is a commit whose two versions are not both in the repository (a partial clone
may lack the largest blobs). The newest N pairs (at or before COMMIT) are taken.
Writes `NAME.tar.xz` here (every distinct version once, oldest first, so that xz compresses neighbours against
each other) and the entry NAME of `manifest.json` (source, licence, and each pair's commits and blob ids).
Run `record.sh NAME` afterwards for oasdiff's verdicts.
"""

import argparse
import io
import json
import lzma
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def git(git_dir, *args, binary=False):
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode()


def blob_id(git_dir, commit, path):
    """The blob of FILE at COMMIT if it is present in the repository, else None."""
    try:
        blob = git(git_dir, "rev-parse", f"{commit}:{path}").strip()
        git(git_dir, "cat-file", "-e", blob)
        return blob
    except RuntimeError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("name")
    ap.add_argument("--git-dir", required=True)
    ap.add_argument("--path", required=True)
    ap.add_argument("--url", required=True, help="the repository's public URL")
    ap.add_argument("--licence", required=True, help="SPDX id of the repository's licence")
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--before", default="HEAD", help="take pairs from this commit back (default HEAD)")
    ap.add_argument("--group", default="3.0", choices=("3.0", "3.1"))
    ap.add_argument("--oasdiff-flags", default="",
                    help="flags record.sh adds for this spec, such as --include-path-params when oasdiff refuses "
                         "two paths that differ only in their parameters' names")
    args = ap.parse_args()

    commits = git(args.git_dir, "log", "--no-merges", "--format=%H %cs %s", args.before, "--", args.path).splitlines()
    pairs = []
    for line in commits:
        commit, date, subject = line.split(" ", 2)
        parents = git(args.git_dir, "rev-list", "--parents", "-n1", commit).split()[1:]
        if len(parents) != 1:
            continue
        head, base = blob_id(args.git_dir, commit, args.path), blob_id(args.git_dir, parents[0], args.path)
        if head is None or base is None or head == base:
            continue
        pairs.append({"commit": commit, "parent": parents[0], "date": date, "subject": subject,
                      "base": base[:12], "revision": head[:12], "_blobs": (base, head)})
        if len(pairs) == args.count:
            break
    if not pairs:
        sys.exit(f"collect.py: no pair of {args.path} with both versions present in {args.git_dir}")
    pairs.reverse()

    suffix = Path(args.path).suffix
    buffer = io.BytesIO()
    seen = set()
    # The tar holds NAME/<blob>.<ext>; mtime 0 and fixed owners keep it a function of the versions alone.
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for pair in pairs:
            for blob in pair.pop("_blobs"):
                if blob[:12] in seen:
                    continue
                seen.add(blob[:12])
                data = git(args.git_dir, "cat-file", "blob", blob, binary=True)
                info = tarfile.TarInfo(f"{args.name}/{blob[:12]}{suffix}")
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                tar.addfile(info, io.BytesIO(data))
    packed = lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME)
    (HERE / f"{args.name}.tar.xz").write_bytes(packed)

    manifest_path = HERE / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest[args.name] = {
        "url": args.url,
        "path": args.path,
        "licence": args.licence,
        "openapi": args.group,
        "suffix": suffix,
        "oasdiff_flags": args.oasdiff_flags,
        "pairs": pairs,
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"{args.name}: {len(pairs)} pairs, {len(seen)} versions, {len(buffer.getvalue()) >> 20} MB in tar, "
          f"{len(packed) >> 10} KB compressed")


if __name__ == "__main__":
    main()
