#!/usr/bin/env python3
"""Turns oasdiff 1.39's `changelog` and `breaking` JSON for one pair into a committed verdict (used by record.sh).

Usage: normalize.py CHANGELOG_JSON BREAKING_JSON OASDIFF_VERSION EXTRA_FLAGS

As ../oasdiff/normalize.py (id, level, operation, section, text; source lines and fingerprints dropped; `breaking`
must be exactly the ERR and WARN part of `changelog`), and it also keeps `disclaimers`, new in 1.39: oasdiff says
`all-of-not-flattened` when it compared `allOf` branches one at a time and so lowered an ERR to a WARN.
"""

import json
import sys

LEVELS = {3: "ERR", 2: "WARN", 1: "INFO"}


def findings(path):
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    if raw is None:  # oasdiff prints `null` when there is nothing to say
        raw = []
    if not isinstance(raw, list):
        sys.exit(f"normalize.py: {path}: expected a JSON list of findings, got {type(raw).__name__}")
    out = []
    for x in raw:
        level = LEVELS.get(x.get("level"))
        if level is None:
            sys.exit(f"normalize.py: {path}: unknown level {x.get('level')!r} in {x}")
        method = x.get("operation", "")
        finding = {
            "id": x["id"],
            "level": level,
            "operation": f"{method} {x['path']}" if method else x.get("path", ""),
            "section": x.get("section", ""),
            "text": x.get("text", ""),
        }
        if x.get("disclaimers"):
            finding["disclaimers"] = sorted(x["disclaimers"])
        out.append(finding)
    return sorted(out, key=lambda f: (f["id"], f["operation"], f["text"]))


def main():
    changelog_path, breaking_path, version, flags = sys.argv[1:5]
    changelog = findings(changelog_path)
    breaking = findings(breaking_path)
    expected = [f for f in changelog if f["level"] in ("ERR", "WARN")]
    if breaking != expected:
        sys.exit("normalize.py: `oasdiff breaking` and the ERR/WARN findings of `oasdiff changelog` differ:\n"
                 f"  breaking: {json.dumps(breaking)}\n  changelog: {json.dumps(expected)}")
    doc = {
        "oasdiff": version,
        "flags": flags,
        "breaking": any(f["level"] == "ERR" for f in changelog),
        "findings": changelog,
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
