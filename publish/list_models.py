"""A compact listing of each generated model (type names, fields, enum values), one language at a time.

publish/check.sh compares each listing with publish/snapshots/<language>.txt, so that a pull request that
changes the spec also shows what changes for the teams that generate Java, Kotlin, Swift, Go, TypeScript and
Python clients from it.

usage: list_models.py LANGUAGE GENERATED_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def regex_listing(files: list[Path], rules: list[tuple[str, str]], skip_types: set[str]) -> list[str]:
    """Lines of each file that match one of the rules, rewritten by it; members of skipped types are left out."""
    out: list[str] = []
    for path in sorted(files, key=lambda p: p.name):
        out.append(f"{path.stem}:")
        skipping_indent: int | None = None
        for line in path.read_text().expandtabs(4).splitlines():
            indent = len(line) - len(line.lstrip())
            if skipping_indent is not None:
                if line.strip() and indent <= skipping_indent:
                    skipping_indent = None
                else:
                    continue
            for pattern, template in rules:
                match = re.match(pattern, line)
                if match:
                    if match.groupdict().get("type_name") in skip_types:
                        skipping_indent = indent
                        break
                    text = match.expand(template).rstrip(" ,;{(")
                    out.append("  " + " " * (indent // 2) + text.strip())
                    break
    return out


def java(root: Path) -> list[str]:
    files = list(root.glob("src/main/java/**/model/*.java"))
    files = [f for f in files if f.stem != "AbstractOpenApiSchema"]
    rules = [
        (r"^\s*public (?:static )?(?:final )?(?P<kind>class|enum|interface) (?P<type_name>\w+)", r"\g<kind> \g<type_name>"),
        (r"^\s*private (?!static)(?P<type>[\w<>, .?]+) (?P<name>\w+)(?: = .*)?;", r"\g<name>: \g<type>"),
        (r"^\s*(?P<name>[A-Z]\w*)\((?P<value>[^()]+)\)[,;]?$", r"\g<name> = \g<value>"),
    ]
    return regex_listing(files, rules, {"Adapter", "CustomTypeAdapterFactory"})


def kotlin(root: Path) -> list[str]:
    files = list(root.glob("src/main/kotlin/**/models/*.kt"))
    rules = [
        (r"^\s*(?P<kind>data class|enum class|sealed class|sealed interface|interface|class) (?P<type_name>\w+)", r"\g<kind> \g<type_name>"),
        (r"^\s*@Json\(name = \"(?P<wire>[^\"]*)\"\)\s*(?P<name>\w+)\((?P<value>[^)]*)\)", r"\g<name> = \g<value>"),
        (r"^\s*(?:override )?va[lr] (?P<name>`?\w+`?): (?P<type>[^=]+?)(?: = .*)?,?$", r"\g<name>: \g<type>"),
        (r"^\s+(?P<name>_?\w+)\((?P<value>[^)]*)\)[,;]?$", r"\g<name> = \g<value>"),
    ]
    return regex_listing(files, rules, {"CodingKeys"})


def swift(root: Path) -> list[str]:
    files = list(root.glob("Sources/*/Models/*.swift"))
    rules = [
        (r"^\s*public (?:indirect )?(?P<kind>struct|enum|class) (?P<type_name>\w+)", r"\g<kind> \g<type_name>"),
        (r"^\s*public (?:private\(set\) )?va[rl] (?P<name>\w+): (?P<type>[^={]+)", r"\g<name>: \g<type>"),
        (r"^\s*case (?P<name>\w+\(?[^=]*?\)?)(?: = (?P<value>.+))?$", r"case \g<name> \g<value>"),
    ]
    return regex_listing(files, rules, {"CodingKeys"})


def go(root: Path) -> list[str]:
    """The types, struct fields and enum constants that oapi-codegen wrote into dialog.gen.go."""
    files = list(root.glob("*.gen.go"))
    rules = [
        (r"^type (?P<type_name>\w+) (?P<kind>struct|=?\s*[\w\[\].]+)", r"type \g<type_name> \g<kind>"),
        (r"^ {4}(?P<name>[A-Z]\w*) +(?P<type>[^`]+?) +`json:\"(?P<wire>[^\"]*)\"`", r"\g<name>: \g<type> (\g<wire>)"),
        (r"^ {4}(?P<name>[A-Z]\w*)\s+(?P<type>[A-Z]\w*) = (?P<value>.+)$", r"const \g<name> \g<type> = \g<value>"),
    ]
    return regex_listing(files, rules, set())


def typescript(root: Path) -> list[str]:
    """The `components.schemas` block of openapi-typescript's output, without its doc comments."""
    text = (root / "dialog.d.ts").read_text()
    start = text.index("    schemas: {")
    end = text.index("\n    };", start)
    lines = []
    for line in text[start:end].splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith(("/**", "*", "*/")) or not stripped:
            continue
        lines.append(line[8:])
    return lines


def python(root: Path) -> list[str]:
    """The attrs classes and enums of the generated package, with their fields' annotations."""
    sys.path.insert(0, str(root))
    import enum
    import importlib

    import attrs

    models = importlib.import_module("dialog_client.models")
    out: list[str] = []
    for name in sorted(models.__all__):
        cls = getattr(models, name)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            out.append(f"{name}({', '.join(b.__name__ for b in cls.__bases__)}):")
            out.extend(f"  {member.name} = {member.value!r}" for member in cls)
        elif attrs.has(cls):
            out.append(f"{name}:")
            for field in attrs.fields(cls):
                annotation = cls.__annotations__.get(field.name, field.type)
                shown = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None) or str(annotation)
                shown = re.sub(r"\b(?:[a-z_]+\.)+(?=[A-Za-z_]+\b)", "", str(shown))
                shown = shown.replace("<class '", "").replace("'>", "")
                out.append(f"  {field.name}: {shown}")
        else:
            out.append(f"{name}: {cls!r}")
    return out


LANGUAGES = {"go": go, "java": java, "kotlin": kotlin, "swift": swift, "typescript": typescript, "python": python}


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in LANGUAGES:
        print(__doc__.strip().splitlines()[-1], f"(LANGUAGE: {', '.join(LANGUAGES)})", file=sys.stderr)
        return 2
    language, root = sys.argv[1], Path(sys.argv[2])
    if not root.is_dir():
        print(f"error: list_models.py: {root} is not a folder of generated {language} code", file=sys.stderr)
        return 1
    lines = LANGUAGES[language](root)
    if not any(line.strip() for line in lines):
        print(f"error: list_models.py: found no {language} models under {root}", file=sys.stderr)
        return 1
    print(f"# {language} models generated from dist/dialog.json; written by publish/check.sh --update, do not edit.")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
