#!/usr/bin/env python3
"""Extract the argument schema of `aws_ecs_task_definition` and `aws_iam_role_policy` from
the prebuilt CDK for Terraform AWS provider package and write it as
`aws-models/terraform-aws-provider.schema.json`.

The package (`cdktf-cdktf-provider-aws` on PyPI, `@cdktf/provider-aws` on npm) is generated
from the AWS provider's own schema (`terraform providers schema -json`), and its jsii assembly
keeps, for every argument and block, the provider's snake_case name (in the documentation link
of each property), whether it is required, and its type. No terraform binary and no network
access to the Terraform registry are needed.

Run it by hand when moving to a newer provider (it downloads a ~60 MB wheel with pip):

    python3 tests/aws-validators/extract_terraform_schema.py [--wheel FILE] [--version V]

The output is checked in; `validate.py` reads only that file.
"""

import argparse
import io
import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

DEFAULT_VERSION = "21.22.1"
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "aws-models" / "terraform-aws-provider.schema.json"

# Terraform resource type -> jsii config struct.
RESOURCES = {
    "aws_ecs_task_definition": "@cdktf/provider-aws.ecsTaskDefinition.EcsTaskDefinitionConfig",
    "aws_iam_role_policy": "@cdktf/provider-aws.iamRolePolicy.IamRolePolicyConfig",
}

LINK = re.compile(r"#([a-z0-9_]+) [A-Za-z0-9]+#")
BLOCK = re.compile(r"^([a-z0-9_]+) block\.")


def tf_name(prop):
    docs = prop.get("docs", {})
    text = " ".join(str(docs.get(k, "")) for k in ("summary", "remarks"))
    m = BLOCK.match(docs.get("summary", ""))
    if m:
        return m.group(1)
    m = LINK.search(text)
    if m:
        return m.group(1)
    raise SystemExit(f"no Terraform name for jsii property {prop['name']!r}")


def describe(types, typ):
    """(kind, detail): kind is 'attribute' (detail: type string) or 'block' (detail: fqn)."""
    if "union" in typ:
        options = [t for t in typ["union"]["types"] if t.get("fqn") != "cdktf.IResolvable"]
        if len(options) == 1:
            return describe(types, options[0])
        raise SystemExit(f"unexpected union {typ}")
    if "primitive" in typ:
        return "attribute", typ["primitive"]
    if "collection" in typ:
        col = typ["collection"]
        kind, detail = describe(types, col["elementtype"])
        if kind == "block":
            return "block", detail
        return "attribute", f"{col['kind']}({detail})"
    if "fqn" in typ:
        return "block", typ["fqn"]
    raise SystemExit(f"unexpected type {typ}")


def struct(types, fqn):
    out = {"attributes": {}, "blocks": {}}
    for prop in types[fqn].get("properties", []):
        name = tf_name(prop)
        kind, detail = describe(types, prop["type"])
        required = not prop.get("optional", False)
        if kind == "attribute":
            out["attributes"][name] = {"type": detail, "required": required}
        else:
            nested = struct(types, detail)
            nested["required"] = required
            out["blocks"][name] = nested
    out["attributes"] = dict(sorted(out["attributes"].items()))
    out["blocks"] = dict(sorted(out["blocks"].items()))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", help="a downloaded cdktf-cdktf-provider-aws wheel")
    parser.add_argument("--version", default=DEFAULT_VERSION)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp,
                 f"cdktf-cdktf-provider-aws=={args.version}"],
                check=True,
            )
            wheel = next(pathlib.Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".jsii.tgz"))
            data = zf.read(name)
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            assembly = json.load(tf.extractfile("package/.jsii"))
            index = tf.extractfile("package/lib/provider/index.js").read().decode()
    provider = re.search(r"providerVersion: '([^']+)'", index).group(1)
    types = assembly["types"]
    schema = {
        "source": f"cdktf-cdktf-provider-aws {assembly['version']} (PyPI), generated from "
        f"hashicorp/aws {provider}; written by tests/aws-validators/extract_terraform_schema.py",
        "provider_version": provider,
        "resources": {res: struct(types, fqn) for res, fqn in RESOURCES.items()},
    }
    OUT.write_text(json.dumps(schema, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} (hashicorp/aws {provider})")


if __name__ == "__main__":
    main()
