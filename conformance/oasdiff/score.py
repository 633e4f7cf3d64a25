#!/usr/bin/env python3
"""Scores our breaking-change diff against oasdiff's recorded verdicts on every case of the corpus.

Usage: conformance/oasdiff/score.py [options]   (run from anywhere; needs only Python 3 and our diff)

Our diff runs once per case as COMMAND with {base} and {rev} replaced by absolute paths. The command is, first found:
  --command 'CMD'              such as 'target/release/xtask diff {base} --head {rev} --format json --allow-breaking'
  $OASDIFF_SCORE_COMMAND       the same, from the environment
  $OASDIFF_SCORE_XTASK=PATH    a prebuilt xtask binary, run as `PATH diff {base} --head {rev} --format json
                               --allow-breaking` (no cargo start-up per case)
  default                      `cargo xtask diff {base} --head {rev} --format json --allow-breaking`
It runs in the repository root. Its JSON is read by `parse_ours`, the one function to change when the report's
shape changes.

What is measured (see README.md):
  - breaking or not, on the cases where oasdiff is conclusive: breaking when it reports an ERR, not breaking when
    it reports neither ERR nor WARN; a case whose worst finding is a WARN is left out (`--warn breaking` or
    `--warn non-breaking` counts it instead);
  - rule ids, per case: recall is the share of oasdiff's (case, id) pairs that we report under the same id in that
    case, precision the share of ours that oasdiff reports; `--levels` picks which of oasdiff's levels count
    (default all three, as our diff also reports additions);
  - crashes (a panic or a signal) and refusals (no JSON report), each with its case.
Exits 0 unless thresholds are given and missed: --min-agreement 0.95 --min-rule-recall 0.85 (fractions or
percentages), or on a usage error.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LEVELS = ("ERR", "WARN", "INFO")


def parse_ours(stdout):
    """Our diff's JSON report as a list of (rule id, level), level one of ERR, WARN, INFO.

    Today (xtask/src/diff/mod.rs, `Report` and `Change`, serialized by report.rs with serde) the report is
    `{"changes": [{"level": "breaking" | "non-breaking", "rule": ..., "operation": ..., ...}], ...}`.
    Breaking is ERR and non-breaking INFO; the three levels of issue 10 (`ERR`, `WARN`, `INFO`, any case) are
    read as they are, so the restructured report needs no change here if it keeps `changes`, `rule` and `level`.
    Raises ValueError when the text is not such a report.
    """
    report = json.loads(stdout)
    if not isinstance(report, dict) or not isinstance(report.get("changes"), list):
        raise ValueError("no `changes` list in the JSON report")
    names = {"breaking": "ERR", "non-breaking": "INFO", "err": "ERR", "error": "ERR", "warn": "WARN",
             "warning": "WARN", "info": "INFO"}
    out = []
    for change in report["changes"]:
        level = names.get(str(change.get("level", "")).lower())
        rule = change.get("rule") or change.get("id")
        if level is None or not isinstance(rule, str):
            raise ValueError(f"a change without a known level and a rule id: {change}")
        out.append((rule, level))
    return out


def family(rule):
    """A rule id's family, for grouping the to-do list; the first pattern that matches wins."""
    for name, pattern in FAMILIES:
        if re.search(pattern, rule):
            return name
    return "other"


FAMILIES = [
    ("deprecation and sunset", r"deprecat|sunset|reactivated|removed-(with|without|before)"),
    ("stability level", r"stability"),
    ("version", r"version"),
    ("security", r"security"),
    ("headers", r"header"),
    ("allOf/oneOf/anyOf, discriminator", r"all-of|one-of|any-of|discriminator"),
    ("readOnly/writeOnly", r"read-only|write-only"),
    ("enum, x-extensible-enum", r"enum"),
    ("default values", r"default-value|with-default"),
    ("nullable", r"nullable"),
    ("types and formats", r"type|format"),
    ("length, range, items, pattern", r"max|min|pattern|unique|multiple-of|exclusive"),
    ("request and response bodies, media types", r"media-?type|request-body|response-body"),
    ("required and optional", r"required|optional"),
    ("status codes", r"status"),
    ("endpoints and paths", r"endpoint|api-path|api-removed|path-param|existing-path"),
    ("properties and parameters added or removed", r"propert|parameter"),
    ("operationId, tags, servers", r"operation-id|tag|server|schema-removed"),
]


def load_cases(cases_dir, only):
    cases = []
    for d in sorted(p for p in cases_dir.iterdir() if p.is_dir()):
        if only and not re.search(only, d.name):
            continue
        rec = d / "oasdiff.json"
        if not rec.is_file():
            sys.exit(f"score.py: {rec} is missing: run conformance/oasdiff/record.sh")
        with open(rec, encoding="utf-8") as f:
            recorded = json.load(f)
        cases.append((d, recorded))
    if not cases:
        sys.exit(f"score.py: no cases in {cases_dir}" + (f" matching {only!r}" if only else ""))
    return cases


def run_ours(template, case_dir, timeout):
    """(status, changes or message): status is ok, crash or refused."""
    argv = [a.replace("{base}", str(case_dir / "base.yaml")).replace("{rev}", str(case_dir / "revision.yaml"))
            for a in shlex.split(template)]
    # A case recorded with extra oasdiff flags (its `flags` file: the deprecation policy's days) is run with the same
    # flags, which our diff takes under the same names.
    flags = case_dir / "flags"
    if flags.is_file():
        argv += shlex.split(flags.read_text(encoding="utf-8"))
    try:
        proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crash", f"no answer within {timeout} s"
    except OSError as err:
        sys.exit(f"score.py: cannot run {argv[0]}: {err}")
    # Rust panics exit with 101; a negative code is a signal. Either is a crash whatever was printed.
    if proc.returncode == 101 or proc.returncode < 0:
        return "crash", f"exit {proc.returncode}: {last_line(proc.stderr)}"
    try:
        return "ok", parse_ours(proc.stdout)
    except ValueError as err:
        # A nonzero exit with a report is fine (today: the version check); without one it is a refusal.
        return "refused", f"exit {proc.returncode}: {last_line(proc.stderr) or err}"


def last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


GROUPS = [(1, "families of issue 10 (001-400)"), (401, "schema-edit matrix (401-900)"), (901, "dialog.yaml edits (901-)")]


def group_of(name):
    """The corpus group of a case, from its number (gen.py numbers each group from its own start)."""
    number = int(name.split("-", 1)[0]) if name[:3].isdigit() else 0
    return [label for first, label in GROUPS if number >= first][-1] if number else "other"


def verdict_oasdiff(findings, warn):
    levels = {f["level"] for f in findings}
    if "ERR" in levels:
        return True
    if "WARN" in levels:
        return {"breaking": True, "non-breaking": False, "exclude": None}[warn]
    return False


def pct(n, d):
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/0 (-)"


def threshold(text):
    value = float(text)
    return value / 100 if value > 1 else value


def main():
    ap = argparse.ArgumentParser(description="score our diff against oasdiff's recorded verdicts")
    ap.add_argument("--command", help="our diff, with {base} and {rev}; see the module docstring")
    ap.add_argument("--cases", type=Path, default=HERE / "cases", help="the corpus (default: cases/ here)")
    ap.add_argument("--only", help="score only cases whose directory name matches this regular expression")
    ap.add_argument("--warn", choices=("exclude", "breaking", "non-breaking"), default="exclude",
                    help="how a case whose worst oasdiff finding is a WARN counts (default: left out)")
    ap.add_argument("--levels", default="ERR,WARN,INFO",
                    help="which oasdiff levels count for rule recall and precision (default ERR,WARN,INFO)")
    ap.add_argument("--jobs", type=int, default=2, help="cases run at once (default 2)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per case before it counts as a crash")
    ap.add_argument("--min-agreement", type=threshold, help="fail below this breaking-or-not agreement")
    ap.add_argument("--min-rule-recall", type=threshold, help="fail below this rule-id recall")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every disagreeing case")
    ap.add_argument("--json", type=Path, help="also write the per-case results here")
    ap.add_argument("--todo", type=Path, help="also write the never-reported rule ids here, as a Markdown list")
    args = ap.parse_args()
    levels = {level.strip().upper() for level in args.levels.split(",")}
    if not levels or not levels <= set(LEVELS):
        ap.error(f"--levels takes a comma-separated subset of {','.join(LEVELS)}")

    if args.command:
        template = args.command
    elif os.environ.get("OASDIFF_SCORE_COMMAND"):
        template = os.environ["OASDIFF_SCORE_COMMAND"]
    elif os.environ.get("OASDIFF_SCORE_XTASK"):
        template = shlex.quote(os.environ["OASDIFF_SCORE_XTASK"]) + " diff {base} --head {rev} --format json --allow-breaking"
    else:
        template = "cargo xtask diff {base} --head {rev} --format json --allow-breaking"
    if "{base}" not in template or "{rev}" not in template:
        ap.error("the command must contain {base} and {rev}")

    cases = load_cases(args.cases.resolve(), args.only)
    known_rules = set()
    rules_tsv = HERE / "rules.tsv"
    if rules_tsv.is_file():
        known_rules = {line.split("\t", 1)[0] for line in rules_tsv.read_text(encoding="utf-8").splitlines()[1:]}

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda c: run_ours(template, c[0], args.timeout), cases))

    agree = disagree_missed = disagree_alarm = excluded = 0
    hits = total_theirs = ours_matched = total_ours = 0
    failures = []
    per_rule = defaultdict(Counter)  # oasdiff id -> cases, hit, missed
    false_alarm = Counter()  # our id -> cases where oasdiff does not name it
    by_group = defaultdict(Counter)  # group -> conclusive, agree
    strict_hits = strict_total = 0  # recall over oasdiff's ERR and WARN findings only
    flagged = []
    bad_cases = []
    per_case = []
    for (case_dir, recorded), (status, payload) in zip(cases, results):
        name = case_dir.name
        findings = recorded["findings"]
        theirs = {f["id"] for f in findings if f["level"] in levels}
        entry = {"case": name, "status": status, "oasdiff": sorted(theirs)}
        if status != "ok":
            failures.append((name, status, payload))
            per_case.append(dict(entry, error=payload))
            continue
        ours_levels = payload
        ours = {rule for rule, _ in ours_levels}
        our_breaking = any(level == "ERR" for _, level in ours_levels)
        their_breaking = verdict_oasdiff(findings, args.warn)
        entry.update(ours=sorted(ours), breaking_ours=our_breaking, breaking_oasdiff=their_breaking)
        per_case.append(entry)
        if recorded.get("flags"):
            flagged.append(name)
        strict = {f["id"] for f in findings if f["level"] in ("ERR", "WARN")}
        strict_hits += len(strict & ours)
        strict_total += len(strict)
        if their_breaking is not None:
            by_group[group_of(name)]["conclusive"] += 1
            by_group[group_of(name)]["agree"] += int(their_breaking == our_breaking)
        if their_breaking is None:
            excluded += 1
        elif their_breaking == our_breaking:
            agree += 1
        elif their_breaking:
            disagree_missed += 1
            bad_cases.append((name, "missed breaking", theirs, ours))
        else:
            disagree_alarm += 1
            bad_cases.append((name, "false alarm", theirs, ours))
        for rule in theirs:
            per_rule[rule]["cases"] += 1
            per_rule[rule]["hit" if rule in ours else "missed"] += 1
        hits += len(theirs & ours)
        total_theirs += len(theirs)
        all_theirs = {f["id"] for f in findings}
        for rule in ours:
            total_ours += 1
            if rule in all_theirs:
                ours_matched += 1
            else:
                false_alarm[rule] += 1

    conclusive = agree + disagree_missed + disagree_alarm
    print(f"our diff: {template}")
    print(f"cases: {len(cases)} ({conclusive} conclusive for oasdiff, {excluded} WARN-only left out, "
          f"{len(failures)} crashed or refused)")
    print(f"breaking or not: {pct(agree, conclusive)} agree; {disagree_missed} breaking changes missed, "
          f"{disagree_alarm} false alarms")
    print(f"rule ids ({','.join(l for l in LEVELS if l in levels)}): recall {pct(hits, total_theirs)}, "
          f"precision {pct(ours_matched, total_ours)}")
    if levels != {"ERR", "WARN"}:
        print(f"rule ids (ERR,WARN only): recall {pct(strict_hits, strict_total)}")
    for _, label in GROUPS:
        c = by_group.get(label)
        if c:
            print(f"  breaking or not, {label}: {pct(c['agree'], c['conclusive'])}")
    if flagged:
        print(f"  {len(flagged)} case(s) recorded with extra oasdiff flags (their `flags` file): {', '.join(flagged)}")
    crashes = [f for f in failures if f[1] == "crash"]
    refusals = [f for f in failures if f[1] == "refused"]
    print(f"crashes: {len(crashes)}, refusals: {len(refusals)}")
    for name, status, message in failures:
        print(f"  {status}: {name}: {message}")

    print("\nper oasdiff rule (cases it appears in, reported under the same id, missed), most missed first:")
    print(f"  {'rule':<66} {'cases':>5} {'hit':>4} {'miss':>4}")
    for rule, c in sorted(per_rule.items(), key=lambda kv: (-kv[1]["missed"], -kv[1]["cases"], kv[0])):
        print(f"  {rule:<66} {c['cases']:>5} {c['hit']:>4} {c['missed']:>4}")
    print("\nour rule ids that oasdiff does not report in the same case (cases), most first:")
    for rule, n in sorted(false_alarm.items(), key=lambda kv: (-kv[1], kv[0])):
        note = "" if rule in known_rules or not known_rules else "  (not an oasdiff id)"
        print(f"  {rule:<66} {n:>5}{note}")

    never = [(rule, c["cases"]) for rule, c in per_rule.items() if c["hit"] == 0]
    grouped = defaultdict(list)
    for rule, n in never:
        grouped[family(rule)].append((rule, n))
    print(f"\noasdiff rule ids we never report ({len(never)}), by family, most cases first:")
    for fam, rules in sorted(grouped.items(), key=lambda kv: (-sum(n for _, n in kv[1]), kv[0])):
        print(f"  {fam} ({len(rules)} ids, {sum(n for _, n in rules)} cases):")
        for rule, n in sorted(rules, key=lambda rn: (-rn[1], rn[0])):
            print(f"    {rule} ({n})")

    if args.todo:
        lines = []
        for fam, rules in sorted(grouped.items(), key=lambda kv: (-sum(n for _, n in kv[1]), kv[0])):
            lines.append(f"- **{fam}** ({len(rules)} ids, {sum(n for _, n in rules)} cases): " + ", ".join(
                f"`{rule}` ({n})" for rule, n in sorted(rules, key=lambda rn: (-rn[1], rn[0]))))
        args.todo.write_text("\n".join(lines) + "\n", encoding="utf-8")

    if args.verbose and bad_cases:
        print("\nbreaking-or-not disagreements:")
        for name, what, theirs, ours in bad_cases:
            print(f"  {name}: {what}\n    oasdiff: {', '.join(sorted(theirs)) or '-'}\n    ours:    "
                  f"{', '.join(sorted(ours)) or '-'}")

    if args.json:
        args.json.write_text(json.dumps(per_case, indent=1) + "\n", encoding="utf-8")

    failed = []
    agreement = agree / conclusive if conclusive else 0.0
    recall = hits / total_theirs if total_theirs else 0.0
    if args.min_agreement is not None and agreement < args.min_agreement:
        failed.append(f"agreement {agreement:.3f} is below {args.min_agreement}")
    if args.min_rule_recall is not None and recall < args.min_rule_recall:
        failed.append(f"rule recall {recall:.3f} is below {args.min_rule_recall}")
    if (args.min_agreement is not None or args.min_rule_recall is not None) and failures:
        failed.append(f"{len(failures)} case(s) crashed or were refused")
    if failed:
        print("\nscore.py: " + "; ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
