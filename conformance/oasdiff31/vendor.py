#!/usr/bin/env python3
"""Copies oasdiff's OpenAPI 3.1 checker fixture pairs (pairs.tsv) out of a git directory of oasdiff into cases/.

Usage: conformance/oasdiff31/vendor.py GIT_DIR COMMIT
GIT_DIR is a clone (or bare git directory) of https://github.com/oasdiff/oasdiff; the files are read with
`git show COMMIT:data/checker/NAME.yaml`, unchanged, so that the cases stay the fixtures oasdiff's own tests load.
Each line of pairs.tsv becomes cases/NNN-NAME/{base.yaml,revision.yaml}, numbered in file order.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def name_of(base, revision):
    """A case name from its two file stems: `x` for x_base to x_revision, `x-reversed` the other way."""
    strip = lambda s: s.removesuffix("_base").removesuffix("_revision")
    b, r = strip(base), strip(revision)
    if b == r:
        label = b if base.endswith("_base") else b + "-reversed"
    elif base.endswith("_revision") and revision.endswith("_revision"):
        label = f"{b}-to-{r}"
    else:
        label = r if base.endswith("_base") and revision.endswith("_revision") else f"{b}-to-{r}"
    return label.replace("_", "-")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    git_dir, commit = sys.argv[1:]
    lines = [line.split("\t") for line in (HERE / "pairs.tsv").read_text().splitlines() if line and not line.startswith("#")]
    cases = HERE / "cases"
    cases.mkdir(exist_ok=True)
    seen = set()
    for number, (base, revision, _tests) in enumerate(lines, start=1):
        name = f"{number:03d}-{name_of(base, revision)}"
        if name in seen:
            sys.exit(f"vendor.py: two pairs are named {name}")
        seen.add(name)
        out = cases / name
        out.mkdir(exist_ok=True)
        for stem, target in ((base, "base.yaml"), (revision, "revision.yaml")):
            text = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:data/checker/{stem}.yaml"],
                                  check=True, capture_output=True).stdout
            (out / target).write_bytes(text)
    print(f"wrote {len(lines)} cases to {cases}")


if __name__ == "__main__":
    main()
