"""Validates SARIF logs against the SARIF 2.1.0 JSON schema (draft-04) committed beside it.

    validate.py LOG...

Fails, naming the log and the place, on the first error of each log; prints one line per log.
"""

import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).with_name("sarif-schema-2.1.0.json")


def main(paths: list[str]) -> int:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema)
    failed = 0
    for path in paths:
        log = json.loads(pathlib.Path(path).read_text())
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        results = sum(len(run.get("results", [])) for run in log.get("runs", []))
        if errors:
            failed += 1
            for error in errors[:10]:
                where = "/".join(str(p) for p in error.path)
                print(f"{path}: at /{where}: {error.message}", file=sys.stderr)
        elif results == 0:
            failed += 1
            print(f"{path}: no results: the check validates nothing", file=sys.stderr)
        else:
            print(f"{path}: valid SARIF 2.1.0, {results} results")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
