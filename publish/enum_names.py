"""Every integer enum of the published spec names each of its values, as generators need.

Generators that read `x-enum-varnames` (openapi-generator, oapi-codegen, openapi-python-client) name an integer
enum's values from it, and fall back to `_1`, `NUMBER_1` or `N1` otherwise; a list shorter than the enum leaves the
last values unnamed, and openapi-python-client ignores a list of another length. A `null` among an integer enum's
values (OpenAPI 3.0.3's nullable enum) is no member but the value's absence: it needs `nullable: true`, takes no name
(generators leave it out of the enum before they name the rest), and needs `x-go-type`, since oapi-codegen refuses a
null value of an integer enum (`enum value <nil> of ...`) unless it is told the Go type.

    python3 enum_names.py dist/dialog.json   # exits 1, naming each schema by its JSON pointer, on a problem
    python3 enum_names.py --self-test        # the check finds each kind of problem in a document made to have it
"""

import json
import sys


def walk(value, pointer=""):
    """Yields (pointer, object) for every JSON object in the document, so that inline schemas are found too."""
    if isinstance(value, dict):
        yield pointer, value
        for key, item in value.items():
            yield from walk(item, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{pointer}/{index}")


def in_a_value(pointer):
    """Whether the object is inside an example, a default or an enum value rather than a schema (a property may
    still be called `example`)."""
    segments = pointer.split("/")
    return any(
        segment in ("example", "examples", "default", "enum", "x-codeSamples") and segments[index - 1] != "properties"
        for index, segment in enumerate(segments)
        if index > 0
    )


def problems(document):
    """Each problem as `pointer: what is wrong`."""
    found = []
    for pointer, schema in walk(document):
        values = schema.get("enum")
        if not isinstance(values, list) or in_a_value(pointer):
            continue
        if schema.get("type") != "integer":
            # String enums need no names, but names that are there must still match the values one to one.
            for key in ("x-enum-varnames", "x-enum-descriptions"):
                names = schema.get(key)
                if names is not None and (not isinstance(names, list) or len(names) != len(values)):
                    found.append(f"{pointer}: {key} has {len(names) if isinstance(names, list) else 'no list of'} entries for {len(values)} values")
            continue
        if None in values and "x-go-type" not in schema:
            found.append(
                f"{pointer}: null is one of the integer enum's values, which oapi-codegen refuses without an "
                "`x-go-type` (such as int32) on the schema"
            )
        if None in values and schema.get("nullable") is not True:
            found.append(f"{pointer}: null is one of the integer enum's values, but the schema does not say `nullable: true`")
        # Null is named by no generator: the names are the numbers'.
        values = [value for value in values if value is not None]
        names = schema.get("x-enum-varnames")
        if not isinstance(names, list):
            found.append(f"{pointer}: the integer enum {values} has no x-enum-varnames, so generators name its values `_1` or `NUMBER_1`")
        elif len(names) != len(values):
            found.append(f"{pointer}: x-enum-varnames has {len(names)} names for the {len(values)} values {values}")
        elif len(set(names)) != len(names) or not all(isinstance(name, str) and name for name in names):
            found.append(f"{pointer}: x-enum-varnames {names} must be distinct non-empty strings")
        descriptions = schema.get("x-enum-descriptions")
        if descriptions is not None and (not isinstance(descriptions, list) or len(descriptions) != len(values)):
            count = len(descriptions) if isinstance(descriptions, list) else "no list of"
            found.append(f"{pointer}: x-enum-descriptions has {count} entries for the {len(values)} values {values}")
    return found


def self_test():
    good = {"type": "integer", "enum": [0, 1], "x-enum-varnames": ["Off", "On"]}
    nullable = {**good, "enum": [0, 1, None], "nullable": True, "x-go-type": "int32"}
    cases = {
        "named": (good, None),
        "a name short": ({**good, "x-enum-varnames": ["Off"]}, "has 1 names for the 2 values"),
        "no names": ({"type": "integer", "enum": [1, 2]}, "has no x-enum-varnames"),
        "nullable, null named, Go type given": (nullable, None),
        "nullable without a Go type": ({k: v for k, v in nullable.items() if k != "x-go-type"}, "null is one of"),
        "null named too": ({**nullable, "x-enum-varnames": ["Off", "On", "Unset"]}, "has 3 names for the 2 values"),
        "null listed, not nullable": ({**nullable, "nullable": False}, "does not say `nullable: true`"),
        "descriptions short": ({**good, "x-enum-descriptions": ["off"]}, "x-enum-descriptions has 1 entries"),
        "names repeated": ({**good, "x-enum-varnames": ["On", "On"]}, "must be distinct"),
        "string names short": ({"type": "string", "enum": ["a", "b"], "x-enum-varnames": ["A"]}, "has 1 entries for 2"),
        "string unnamed": ({"type": "string", "enum": ["a", "b"]}, None),
        "an example, not a schema": ({"type": "object", "example": {"type": "integer", "enum": [1]}}, None),
    }
    failed = []
    for name, (schema, expected) in cases.items():
        # Inline, deep in a document, as `is_join_required` is.
        document = {"components": {"schemas": {"Dialog": {"properties": {"field": schema}}}}}
        found = problems(document)
        ok = not found if expected is None else len(found) == 1 and expected in found[0] and "/properties/field" in found[0]
        if not ok:
            failed.append(f"{name}: expected {expected or 'no problem'}, found {found}")
    if failed:
        print("\n".join(failed), file=sys.stderr)
        return 1
    print(f"enum_names.py: all {len(cases)} self-test cases found as expected")
    return 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) != 1:
        print("usage: enum_names.py SPEC.json | --self-test", file=sys.stderr)
        return 2
    path = argv[0]
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, ValueError) as error:
        print(f"error: enum_names.py: reading {path}: {error}", file=sys.stderr)
        return 2
    found = problems(document)
    for problem in found:
        print(f"error: {path}#{problem}", file=sys.stderr)
    if found:
        return 1
    count = sum(
        1
        for pointer, schema in walk(document)
        if schema.get("type") == "integer" and isinstance(schema.get("enum"), list) and not in_a_value(pointer)
    )
    print(f"{path}: every one of the {count} integer enums names each of its values")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
