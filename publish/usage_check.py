"""Checks that every code block of a usage page appears verbatim in the smoke program that CI runs.

docs/usage-<language>.md shows what a team writes; its code is copied from publish/<language>/..., which
publish/check.sh compiles and runs against the mock server. A block is found when its lines appear, in order and
one after another, in one of the given files, with the same indentation relative to the block's first line
(trailing spaces aside). Blocks fenced as `sh` or `text` are not checked.

usage: usage_check.py PAGE SOURCE [SOURCE...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

UNCHECKED = {"", "sh", "console", "text"}


def blocks(page: str) -> list[tuple[int, str, list[str]]]:
    """The fenced code blocks of a Markdown page, each with the line its fence starts on and its info string."""
    found, current, start, info = [], None, 0, ""
    for number, line in enumerate(page.splitlines(), 1):
        fence = re.match(r"^```(\w*)\s*$", line)
        if current is None and fence:
            current, start, info = [], number, fence.group(1)
        elif current is not None and line.strip() == "```":
            found.append((start, info, current))
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        raise ValueError(f"the code block that starts on line {start} is not closed")
    return found


def occurs(block: list[str], source: list[str]) -> bool:
    """Whether the block's lines are consecutive lines of the source, each shifted by the same indentation."""
    first = block[0]
    base = len(first) - len(first.lstrip())
    for i in range(len(source) - len(block) + 1):
        line = source[i]
        if line.strip() != first.strip():
            continue
        shift = (len(line) - len(line.lstrip())) - base
        if shift < 0:
            continue
        if all(
            (not b.strip() and not s.strip()) or (s[:shift].strip() == "" and s[shift:].rstrip() == b.rstrip())
            for b, s in zip(block, source[i : i + len(block)])
        ):
            return True
    return False


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    page_path, sources = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    try:
        page = page_path.read_text()
        texts = {path: path.read_text().splitlines() for path in sources}
        found = blocks(page)
    except (OSError, ValueError) as err:
        print(f"error: usage_check.py: {page_path}: {err}", file=sys.stderr)
        return 1
    checked = [(line, info, block) for line, info, block in found if info not in UNCHECKED and block]
    if not checked:
        print(f"error: usage_check.py: {page_path} has no code block to check", file=sys.stderr)
        return 1
    stale = [(line, info) for line, info, block in checked if not any(occurs(block, text) for text in texts.values())]
    for line, info in stale:
        names = ", ".join(str(p) for p in sources)
        print(f"error: {page_path}:{line}: this {info} block is not in {names}; copy it from there again", file=sys.stderr)
    if stale:
        return 1
    print(f"{page_path}: all {len(checked)} code blocks appear in the smoke program")
    return 0


if __name__ == "__main__":
    sys.exit(main())
