"""Validates JSON documents against a JSON Schema (draft 2020-12), for
tests/code_scanning.rs.

usage: python3 validate_json.py SCHEMA FILE...
Prints one line per error ("FILE: PATH: MESSAGE"); exit 0 when all are
valid, 1 when some are not, 3 when the jsonschema package is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("the jsonschema package is not installed (pip install jsonschema)\n")
    sys.exit(3)


def main():
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for name in files:
        with open(name, encoding="utf-8") as f:
            document = json.load(f)
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{name}: /{where}: {error.message}")
            bad += 1
    sys.exit(1 if bad else 0)


main()
