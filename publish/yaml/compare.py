"""Compares what YAML readers made of a published YAML file with its JSON twin, value by value.

Usage: compare.py FILE.json FILE.yaml [--loaded READER OUT.json]...

FILE.yaml is loaded here with PyYAML's yaml.safe_load (YAML 1.1, as most Python tools read it); each
--loaded file is another reader's result written as JSON (SnakeYAML, gopkg.in/yaml.v3). Every result must
equal FILE.json read as JSON: the same types (a timestamp, a boolean or a number where the JSON has a string
is a difference), the same keys, the same strings. The first difference is printed with its JSON pointer.
"""

import json
import sys

import yaml


def kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def escape(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def first_difference(expected, actual, pointer=""):
    """The pointer and a description of the first place where `actual` is not `expected`, or None."""
    if kind(expected) != kind(actual):
        return pointer, f"{kind(expected)} {expected!r} was read as {kind(actual)} {actual!r}"
    if isinstance(expected, dict):
        for key in expected:
            if key not in actual:
                return f"{pointer}/{escape(key)}", f"the key {key!r} is missing (keys read: {sorted(map(str, actual))})"
        for key in actual:
            if key not in expected:
                return f"{pointer}/{escape(key)}", f"{key!r} ({kind(key)}) is a key the JSON does not have"
        for key in expected:
            found = first_difference(expected[key], actual[key], f"{pointer}/{escape(key)}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return pointer, f"{len(expected)} items were read as {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{pointer}/{i}")
            if found:
                return found
        return None
    if kind(expected) == "number":
        # An integer and a float of the same value are the same JSON number.
        same = expected == actual or float(expected) == float(actual)
    else:
        same = expected == actual
    return None if same else (pointer, f"{expected!r} was read as {actual!r}")


def main(argv):
    if len(argv) < 2 or (len(argv) - 2) % 3:
        print(__doc__, file=sys.stderr)
        return 2
    json_path, yaml_path, rest = argv[0], argv[1], argv[2:]
    with open(json_path, encoding="utf-8") as f:
        expected = json.load(f)
    with open(yaml_path, encoding="utf-8") as f:
        try:
            loaded = yaml.safe_load(f)
        except yaml.YAMLError as err:
            loaded = {"$unreadable": str(err)}
        results = [(f"PyYAML {yaml.__version__} (yaml.safe_load)", loaded)]
    for i in range(0, len(rest), 3):
        if rest[i] != "--loaded":
            print(__doc__, file=sys.stderr)
            return 2
        with open(rest[i + 2], encoding="utf-8") as f:
            results.append((rest[i + 1], json.load(f)))
    failed = False
    for reader, actual in results:
        if isinstance(actual, dict) and list(actual) == ["$unreadable"]:
            print(f"{yaml_path}: {reader} cannot read it: {actual['$unreadable']}")
            failed = True
            continue
        found = first_difference(expected, actual)
        if found:
            pointer, what = found
            print(f"{yaml_path}: {reader} reads it differently from {json_path} at {pointer or '/'}: {what}")
            failed = True
        else:
            print(f"{yaml_path}: {reader} reads the same document as {json_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
