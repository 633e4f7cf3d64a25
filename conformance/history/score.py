#!/usr/bin/env python3
"""Scores our diff against oasdiff 1.39's recorded verdicts on real consecutive commits of public specs.

Usage: conformance/history/score.py [options]   (run from anywhere; needs only Python 3 and our diff)

Every spec's versions are unpacked from its `<spec>.tar.xz` into a temporary directory, and our diff runs once per
pair, in that directory (so no `openapi-toolkit.yaml` of this repository applies), as COMMAND with {base} and {rev}
replaced by absolute paths. The command is, first found:
  --command 'CMD'                such as '<target>/debug/openapi-toolkit diff {base} --head {rev} --format json
                                 --allow-breaking --versioning none'
  $HISTORY_SCORE_COMMAND         the same, from the environment
  $HISTORY_SCORE_BIN=PATH        a prebuilt openapi-toolkit binary, run with the arguments above
  default                        <target>/debug/openapi-toolkit (built beforehand) with the arguments above
The real specs version by date or by build (`2024.0`), so `--versioning none` keeps the version check out of it.

What is measured (see README.md):
  - breaking or not, on the pairs where oasdiff is conclusive: breaking when it reports an ERR, not breaking when
    it reports neither ERR nor WARN; a pair whose worst finding is a WARN is left out unless `--warn` says otherwise;
  - recall: of oasdiff's ERR findings, as distinct (pair, rule id, operation), the share we report under the same
    rule id at the same operation (at any level; the level is what breaking-or-not measures);
  - precision: of our ERR changes, as distinct (pair, rule id, operation) with a change at a shared component
    counted once for every operation it lists, the share that oasdiff reports under that id at that operation;
  - crashes (a panic, a signal, no answer within --timeout) and refusals (no JSON report).
An operation is `METHOD /path` with path parameters' names ignored (`/a/{id}` is `/a/{}`), or `document` for
what is outside every operation.
Exits 0 unless a floor (--min-agreement, --min-recall, --min-precision; fractions or percentages) is given and
missed, or a pair crashed or was refused while a floor is given.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARGS = "diff {base} --head {rev} --format json --allow-breaking --versioning none"
METHODS = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}


def operation_key(text):
    """`METHOD /path` with parameter names blanked, or `document` for anything that names no operation."""
    method, _, path = (text or "").partition(" ")
    if method.upper() not in METHODS or not path.startswith("/"):
        return "document"
    return f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"


def parse_ours(stdout):
    """Our JSON report (crates/openapi-toolkit/src/diff/model.rs, `Report`) as a list of changes, each a dict with
    rule, level (ERR, WARN or INFO), the operations it affects (keys as `operation_key` makes them) and message.

    A change inside an operation names it in `operation`; a change at a shared component has `operation` `schema
    NAME` and lists every operation it reaches in `operations`; a change to the document has `document`.
    Raises ValueError when the text is not such a report.
    """
    report = json.loads(stdout)
    if not isinstance(report, dict) or not isinstance(report.get("changes"), list):
        raise ValueError("no `changes` list in the JSON report")
    out = []
    for change in report["changes"]:
        level, rule = change.get("level"), change.get("rule")
        if level not in ("ERR", "WARN", "INFO") or not isinstance(rule, str):
            raise ValueError(f"a change without a known level and a rule id: {change}")
        listed = change.get("operations") or [change.get("operation", "")]
        out.append({"rule": rule, "level": level, "ops": sorted({operation_key(o) for o in listed}),
                    "where": f"{change.get('operation', '')}: {change.get('location', '')}",
                    "message": change.get("message", "")})
    return out


def load(manifest_path, group, only):
    """[(spec, entry, pair, verdict)] in manifest order, for the specs of this OpenAPI group."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out = []
    for spec, entry in manifest.items():
        if entry["openapi"] != group or (only and not re.search(only, spec)):
            continue
        for pair in entry["pairs"]:
            path = HERE / "verdicts" / spec / f"{pair['commit'][:12]}.json"
            if not path.is_file():
                sys.exit(f"score.py: {path} is missing: run conformance/history/record.sh {spec}")
            out.append((spec, entry, pair, json.loads(path.read_text(encoding="utf-8"))))
    if not out:
        sys.exit(f"score.py: no pairs of OpenAPI {group}" + (f" in specs matching {only!r}" if only else ""))
    return out


def run_ours(template, workdir, spec, entry, pair, timeout):
    """(status, changes or message, seconds): status is ok, crash or refused."""
    base = workdir / spec / (pair["base"] + entry["suffix"])
    rev = workdir / spec / (pair["revision"] + entry["suffix"])
    argv = [a.replace("{base}", str(base)).replace("{rev}", str(rev)) for a in shlex.split(template)]
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crash", f"no answer within {timeout} s", timeout
    except OSError as err:
        sys.exit(f"score.py: cannot run {argv[0]}: {err}")
    took = time.monotonic() - start
    # Rust panics exit with 101; a negative code is a signal. Either is a crash whatever was printed.
    if proc.returncode == 101 or proc.returncode < 0:
        return "crash", f"exit {proc.returncode}: {last_line(proc.stderr)}", took
    try:
        return "ok", parse_ours(proc.stdout), took
    except ValueError as err:
        return "refused", f"exit {proc.returncode}: {last_line(proc.stderr) or err}", took


def last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def pct(n, d):
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/0 (-)"


def threshold(text):
    value = float(text)
    return value / 100 if value > 1 else value


def default_binary():
    target = subprocess.run(["bash", str(ROOT / "scripts" / "target-dir.sh")], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    return Path(target) / "debug" / "openapi-toolkit"


def main():
    ap = argparse.ArgumentParser(description="score our diff against oasdiff 1.39 on real spec histories")
    ap.add_argument("--command", help="our diff, with {base} and {rev}; see the module docstring")
    ap.add_argument("--group", default="3.0", choices=("3.0", "3.1"),
                    help="which specs: OpenAPI 3.0 (default, gated in CI) or the 3.1 sub-corpus")
    ap.add_argument("--only", help="score only specs whose name matches this regular expression")
    ap.add_argument("--warn", choices=("exclude", "breaking", "non-breaking"), default="exclude",
                    help="how a pair whose worst oasdiff finding is a WARN counts (default: left out)")
    ap.add_argument("--jobs", type=int, default=2, help="pairs run at once (default 2)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per pair before it counts as a crash")
    ap.add_argument("--min-agreement", type=threshold, help="fail below this breaking-or-not agreement")
    ap.add_argument("--min-recall", type=threshold, help="fail below this recall at operation and rule")
    ap.add_argument("--min-precision", type=threshold, help="fail below this precision at operation and rule")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every disagreement")
    ap.add_argument("--json", type=Path, help="also write the per-pair results here")
    args = ap.parse_args()

    if args.command:
        template = args.command
    elif os.environ.get("HISTORY_SCORE_COMMAND"):
        template = os.environ["HISTORY_SCORE_COMMAND"]
    else:
        binary = Path(os.environ.get("HISTORY_SCORE_BIN") or default_binary())
        if not binary.is_file():
            sys.exit(f"score.py: {binary} does not exist: run `cargo build -p openapi-toolkit` or give --command")
        template = f"{shlex.quote(str(binary))} {ARGS}"
    if "{base}" not in template or "{rev}" not in template:
        ap.error("the command must contain {base} and {rev}")

    items = load(HERE / "manifest.json", args.group, args.only)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="history-") as tmp:
        workdir = Path(tmp)
        for spec in dict.fromkeys(spec for spec, *_ in items):
            with tarfile.open(HERE / f"{spec}.tar.xz") as tar:
                try:
                    tar.extractall(workdir, filter="data")
                except TypeError:  # Python before 3.11.4 has no extraction filters; the tars are our own
                    tar.extractall(workdir)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda it: run_ours(template, workdir, *it[:3], args.timeout), items))
    elapsed = time.monotonic() - started

    per_spec = defaultdict(Counter)
    failures, verdict_disagreements, per_pair = [], [], []
    missed_rules, extra_rules = Counter(), Counter()
    missed_all, extra_all, lower_all, warn_only = [], [], [], []
    for (spec, _, pair, recorded), (status, payload, took) in zip(items, results):
        name = f"{spec}@{pair['commit'][:12]}"
        findings = recorded["findings"]
        entry = {"pair": name, "spec": spec, "commit": pair["commit"], "subject": pair["subject"], "status": status,
                 "seconds": round(took, 2)}
        if status != "ok":
            failures.append((name, status, payload))
            per_pair.append(dict(entry, error=payload))
            continue
        ours = payload
        levels = {f["level"] for f in findings}
        theirs_breaking = True if "ERR" in levels else (
            {"breaking": True, "non-breaking": False, "exclude": None}[args.warn] if "WARN" in levels else False)
        ours_breaking = any(c["level"] == "ERR" for c in ours)
        # Distinct (rule, operation) on each side; a finding's text or change's message is kept for the listing.
        their_err = {}
        their_any = set()
        for f in findings:
            key = (f["id"], operation_key(f["operation"]))
            their_any.add(key)
            if f["level"] == "ERR":
                their_err.setdefault(key, f["text"])
        our_any = set()
        our_err = {}
        for c in ours:
            for op in c["ops"]:
                our_any.add((c["rule"], op))
                if c["level"] == "ERR":
                    our_err.setdefault((c["rule"], op), f"{c['where']}: {c['message']}")
        missed = sorted(k for k in their_err if k not in our_any)
        extra = sorted(k for k in our_err if k not in their_any)
        # Found under the same rule and operation, but one side grades it lower (oasdiff WARN where we say ERR,
        # or our INFO where oasdiff says ERR): a level to decide, listed apart.
        lower_ours = sorted(k for k in their_err if k in our_any and k not in our_err)
        lower_theirs = sorted(k for k in our_err if k in their_any and k not in their_err)
        c = per_spec[spec]
        c["pairs"] += 1
        c["their_err"] += len(their_err)
        c["found"] += len(their_err) - len(missed)
        c["our_err"] += len(our_err)
        c["confirmed"] += len(our_err) - len(extra)
        # Every level, for information: INFO changes at a shared component show a missing operation as well.
        c["their_any"] += len(their_any)
        c["found_any"] += len(their_any & our_any)
        c["our_any"] += len(our_any)
        c["found_err"] += len(their_err) - len(missed) - len(lower_ours)
        c["confirmed_err"] += len(our_err) - len(extra) - len(lower_theirs)
        if theirs_breaking is None:
            c["excluded"] += 1
        else:
            c["conclusive"] += 1
            if theirs_breaking == ours_breaking:
                c["agree"] += 1
            else:
                c["missed_pairs" if theirs_breaking else "alarm_pairs"] += 1
                verdict_disagreements.append((name, "missed breaking" if theirs_breaking else "false alarm"))
        for rule, op in missed:
            missed_rules[rule] += 1
            missed_all.append((name, rule, op, their_err[(rule, op)]))
        for rule, op in extra:
            extra_rules[rule] += 1
            extra_all.append((name, rule, op, our_err[(rule, op)]))
        for rule, op in lower_ours:
            lower_all.append((name, rule, op, "ours below ERR: " + their_err[(rule, op)]))
        for rule, op in lower_theirs:
            lower_all.append((name, rule, op, "oasdiff below ERR: " + our_err[(rule, op)]))
        if theirs_breaking is None:
            warn_only.append((name, ours_breaking, sorted({(f["id"], operation_key(f["operation"]))
                                                           for f in findings if f["level"] == "WARN"})))
        entry.update(breaking_oasdiff=theirs_breaking, breaking_ours=ours_breaking,
                     missed=[list(k) + [their_err[k]] for k in missed],
                     extra=[list(k) + [our_err[k]] for k in extra],
                     level_differs=[list(k) for k in lower_ours + lower_theirs],
                     oasdiff_err=len(their_err), ours_err=len(our_err))
        per_pair.append(entry)

    total = Counter()
    for c in per_spec.values():
        total.update(c)
    print(f"our diff: {template}")
    print(f"pairs: {len(items)} of OpenAPI {args.group} ({total['conclusive']} conclusive for oasdiff, "
          f"{total['excluded']} WARN-only left out, {len(failures)} crashed or refused), {elapsed:.0f} s")
    print(f"breaking or not: {pct(total['agree'], total['conclusive'])} agree; {total['missed_pairs']} breaking "
          f"pairs missed, {total['alarm_pairs']} false alarms")
    print(f"recall (oasdiff's ERR found at the same operation and rule): {pct(total['found'], total['their_err'])}"
          f"; at ERR: {pct(total['found_err'], total['their_err'])}")
    print(f"precision (our ERR that oasdiff reports at the same operation and rule): "
          f"{pct(total['confirmed'], total['our_err'])}; at ERR: {pct(total['confirmed_err'], total['our_err'])}")
    print(f"every level (not gated): recall {pct(total['found_any'], total['their_any'])}, precision "
          f"{pct(total['found_any'], total['our_any'])}")
    for spec, c in per_spec.items():
        print(f"  {spec}: {c['pairs']} pairs, agreement {pct(c['agree'], c['conclusive'])}, recall "
              f"{pct(c['found'], c['their_err'])}, precision {pct(c['confirmed'], c['our_err'])}")
    for name, status, message in failures:
        print(f"  {status}: {name}: {message}")
    if missed_rules:
        print("\noasdiff ERR rules we miss at an operation (count), most first:")
        for rule, n in missed_rules.most_common():
            print(f"  {rule:<60} {n:>5}")
    if extra_rules:
        print("\nour ERR rules oasdiff does not report at that operation (count), most first:")
        for rule, n in extra_rules.most_common():
            print(f"  {rule:<60} {n:>5}")

    if args.verbose:
        if verdict_disagreements:
            print("\nbreaking-or-not disagreements:")
            for name, what in verdict_disagreements:
                print(f"  {name}: {what}")
        # Grouped by pair and rule, operations listed, so that one finding over 96 operations is one block.
        if warn_only:
            print("\npairs whose worst oasdiff finding is a WARN (left out of breaking or not), with our verdict:")
            for name, ours_breaking, warns in warn_only:
                print(f"  {name}: ours {'breaking' if ours_breaking else 'not breaking'}; oasdiff WARN: "
                      + ", ".join(f"{rule} at {op}" for rule, op in warns))
        for title, rows in (("missed (oasdiff ERR, not ours)", missed_all), ("extra (our ERR, not oasdiff's)", extra_all),
                            ("same rule and operation, different level", lower_all)):
            if not rows:
                continue
            print(f"\n{title}: {len(rows)}")
            grouped = defaultdict(list)
            for name, rule, op, text in rows:
                grouped[(name, rule)].append((op, text))
            for (name, rule), ops in grouped.items():
                print(f"  {name} {rule} ({len(ops)} operation(s)): e.g. {ops[0][1][:300]}")
                for op, _ in ops:
                    print(f"    {op}")

    if args.json:
        args.json.write_text(json.dumps(per_pair, indent=1) + "\n", encoding="utf-8")

    failed = []
    for label, floor, n, d in (("agreement", args.min_agreement, total["agree"], total["conclusive"]),
                               ("recall", args.min_recall, total["found"], total["their_err"]),
                               ("precision", args.min_precision, total["confirmed"], total["our_err"])):
        value = n / d if d else 1.0
        if floor is not None and value < floor:
            failed.append(f"{label} {value:.3f} is below {floor}")
    floors = (args.min_agreement, args.min_recall, args.min_precision)
    if any(f is not None for f in floors) and failures:
        failed.append(f"{len(failures)} pair(s) crashed or were refused")
    if failed:
        print("\nscore.py: " + "; ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
