#!/usr/bin/env python3
"""Check ecsdef's exported files with AWS's own validators, offline.

    validate.py [--exported DIR]... [--corpus DIR [--expected-failures FILE]] [--strict-model]

`--exported DIR` holds what `cargo ecsdef export` wrote, by file name:

  F.json                        botocore's ParamValidator against the ECS model's
                                RegisterTaskDefinitionRequest, plus the model's enums and
                                min/max constraints (which ParamValidator leaves to the service)
  F.execution-role-policy.json  IAM policy grammar (keys, Effect, Action/Resource forms, ARNs,
                                Sids, size) and cfn-lint's IAM rules on it as an AWS::IAM::RolePolicy
  F.cfn.json                    cfn-lint, every rule; a match of any level fails (see README.md)
  F.tf.json                     Terraform JSON syntax, the AWS provider's argument schema
                                (aws-models/terraform-aws-provider.schema.json), template
                                escapes, `container_definitions` against botocore's
                                ContainerDefinitions shape, the policy as above

and every form of a family must say the same thing (containers, policy).

`--corpus DIR` takes real-world task definitions (`*.json`): each is read the way
`from_json_lenient` reads it (unwrap `{"taskDefinition": ...}`, drop nulls and output-only
members) and validated like an `F.json`. A file listed in `--expected-failures` (lines
`FILE<TAB>message fragment`) passes only if it fails with that message: it shows the validator
catches the real-world mistake.

Before any file, the repository's pinned `aws-models/ecs-register-task-definition.json` is
compared with the installed botocore's model: a difference is an error when the versions are
the same (someone edited the pinned file), else a warning to refresh it (an error with
`--strict-model`).

Prints one line per check, then `N passed, M failed`; exits 1 if any check failed.
"""

import argparse
import copy
import json
import pathlib
import re
import sys

import botocore
import regex  # the model's patterns use \p{L}: Java syntax, which `re` lacks
import botocore.session
import botocore.validate

ROOT = pathlib.Path(__file__).resolve().parents[2]
PINNED_ECS_MODEL = ROOT / "aws-models" / "ecs-register-task-definition.json"
TERRAFORM_SCHEMA = ROOT / "aws-models" / "terraform-aws-provider.schema.json"

OUTPUT_ONLY_MEMBERS = [
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
]


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.warnings = 0

    def check(self, name, problems, warnings=()):
        for w in warnings:
            print(f"WARN {name}: {w}")
            self.warnings += 1
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for p in problems:
                for i, line in enumerate(str(p).splitlines()):
                    print(("  - " if i == 0 else "    ") + line)
        else:
            self.passed += 1
            print(f"ok   {name}")


# --------------------------------------------------------------------------------------------
# JSON


def load_json(path):
    """Parsed JSON, refusing duplicate keys (AWS and Terraform would keep only one)."""

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate key(s) {', '.join(dupes)}")
        return dict(pairs)

    return json.loads(pathlib.Path(path).read_text(), object_pairs_hook=no_duplicates)


# --------------------------------------------------------------------------------------------
# botocore


class Ecs:
    def __init__(self):
        session = botocore.session.get_session()
        self.model = session.get_service_model("ecs")
        self.raw = session.get_component("data_loader").load_service_model("ecs", "service-2")
        self.input = self.model.operation_model("RegisterTaskDefinition").input_shape
        self.containers = self.input.members["containerDefinitions"]
        self.validator = botocore.validate.ParamValidator()

    def validate(self, params, shape):
        problems = []
        report = self.validator.validate(params, shape)
        if report.has_errors():
            problems.append("botocore: " + report.generate_report())
        problems.extend(constraint_problems(params, shape, shape.name))
        return problems


def constraint_problems(value, shape, path):
    """The model's enum and max constraints, which ParamValidator does not check (the service
    does). Runs after ParamValidator, so types that are wrong are reported there."""
    out = []
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                out += constraint_problems(value[name], member, f"{path}.{name}")
    elif t == "list" and isinstance(value, list):
        if "max" in shape.metadata and len(value) > shape.metadata["max"]:
            out.append(f"{path}: {len(value)} items, the model allows at most {shape.metadata['max']}")
        for i, item in enumerate(value):
            out += constraint_problems(item, shape.member, f"{path}[{i}]")
    elif t == "map" and isinstance(value, dict):
        for k, v in value.items():
            out += constraint_problems(k, shape.key, f"{path} key {k!r}")
            out += constraint_problems(v, shape.value, f"{path}[{k!r}]")
    elif t == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of {shape.name}'s values {shape.enum}")
        if "max" in shape.metadata and len(value) > shape.metadata["max"]:
            out.append(f"{path}: longer than {shape.metadata['max']} characters")
        pattern = shape.metadata.get("pattern")
        if pattern and not regex.fullmatch(pattern, value):
            out.append(f"{path}: {value!r} does not match the model's pattern {pattern!r}")
    elif t in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool):
        if "max" in shape.metadata and value > shape.metadata["max"]:
            out.append(f"{path}: {value} is above the model's maximum {shape.metadata['max']}")
    return out


def check_pinned_model(ecs, strict):
    """The repository's pinned model against the installed botocore's."""
    pinned = load_json(PINNED_ECS_MODEL)
    pinned_version = re.search(r"botocore (\S+?),", pinned["source"]).group(1)
    raw = ecs.raw
    # The shapes reachable from the request in the installed model.
    reachable, stack = set(), [pinned["operation"]["input"]["shape"]]
    while stack:
        name = stack.pop()
        if name in reachable:
            continue
        reachable.add(name)
        shape = raw["shapes"][name]
        for ref in list(shape.get("members", {}).values()) + [
            shape.get(k) for k in ("member", "key", "value")
        ]:
            if ref:
                stack.append(ref["shape"])
    differences = []
    for name in sorted(reachable - set(pinned["shapes"])):
        differences.append(f"shape {name} is in botocore's model, not in the pinned one")
    for name in sorted(set(pinned["shapes"]) - reachable):
        differences.append(f"shape {name} is in the pinned model, not reachable in botocore's")
    for name in sorted(reachable & set(pinned["shapes"])):
        a, b = pinned["shapes"][name], raw["shapes"][name]
        if a == b:
            continue
        keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        detail = keys
        if "members" in keys:
            am, bm = a.get("members", {}), b.get("members", {})
            added = sorted(set(bm) - set(am))
            removed = sorted(set(am) - set(bm))
            changed = sorted(m for m in set(am) & set(bm) if am[m] != bm[m])
            detail = [k for k in keys if k != "members"] + [
                f"members added {added}" if added else "",
                f"members removed {removed}" if removed else "",
                f"members changed {changed}" if changed else "",
            ]
        differences.append(f"shape {name} differs: {', '.join(d for d in detail if d)}")
    op = raw["operations"]["RegisterTaskDefinition"]
    for key in ("name", "http", "input", "output", "errors"):
        if pinned["operation"].get(key) != op.get(key):
            differences.append(f"operation {key} differs")
    name = (
        f"aws-models/ecs-register-task-definition.json (botocore {pinned_version}) "
        f"= installed botocore {botocore.__version__}"
    )
    if not differences:
        return name, [], []
    if botocore.__version__ == pinned_version or strict:
        return name, differences, []
    hint = (
        f"botocore {botocore.__version__} differs from the pinned model (botocore "
        f"{pinned_version}): refresh aws-models/ and regenerate what is derived from it"
    )
    return name, [], [hint] + differences


# --------------------------------------------------------------------------------------------
# IAM

PARTITIONS = {
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
}
STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                  "Resource", "NotResource", "Condition"}
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")
REGION = re.compile(r"^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+|\*)?$")
ACCOUNT = re.compile(r"^(\d{12}|\*)?$")
# Actions that IAM authorizes only on `*` (no resource-level permissions).
STAR_ONLY_ACTIONS = {"ecr:GetAuthorizationToken"}
# An inline role policy: the role's inline policies together, without whitespace.
INLINE_POLICY_LIMIT = 10240


def arn_problems(arn):
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return [f"{arn!r} is neither `*` nor an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)"]
    _, partition, service, region, account, resource = parts
    out = []
    if partition not in PARTITIONS:
        out.append(f"{arn!r}: unknown partition {partition!r}")
    if not re.fullmatch(r"[a-z0-9-]+", service):
        out.append(f"{arn!r}: bad service {service!r}")
    if not REGION.match(region):
        out.append(f"{arn!r}: bad region {region!r}")
    if not ACCOUNT.match(account):
        out.append(f"{arn!r}: bad account {account!r}")
    if not resource:
        out.append(f"{arn!r}: empty resource")
    return out


def as_list(value):
    return value if isinstance(value, list) else [value]


def policy_problems(policy):
    """An identity-based policy document (an execution role's inline policy)."""
    if not isinstance(policy, dict):
        return ["the policy is not a JSON object"]
    out = []
    for key in sorted(set(policy) - {"Version", "Id", "Statement"}):
        out.append(f"unknown top-level key {key!r}")
    if policy.get("Version") != "2012-10-17":
        out.append(f"Version is {policy.get('Version')!r}, not \"2012-10-17\" (policy variables "
                   "and some condition operators need it)")
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        return out + ["Statement must be a non-empty list of statements"]
    sids = []
    for i, st in enumerate(statements):
        where = f"Statement[{i}]"
        if not isinstance(st, dict):
            out.append(f"{where} is not an object")
            continue
        for key in sorted(set(st) - STATEMENT_KEYS):
            out.append(f"{where}: unknown key {key!r}")
        for key in ("Principal", "NotPrincipal"):
            if key in st:
                out.append(f"{where}: {key} has no place in an identity-based (role) policy")
        if "Sid" in st:
            sid = st["Sid"]
            if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9]*", sid):
                out.append(f"{where}: Sid {sid!r} may hold only ASCII letters and digits")
            sids.append(sid)
        if st.get("Effect") not in ("Allow", "Deny"):
            out.append(f"{where}: Effect is {st.get('Effect')!r}, not Allow or Deny")
        actions, resources = [], []
        for pos, neg, kept in (("Action", "NotAction", actions),
                               ("Resource", "NotResource", resources)):
            present = [k for k in (pos, neg) if k in st]
            if len(present) != 1:
                out.append(f"{where}: needs exactly one of {pos} and {neg}")
                continue
            values = st[present[0]]
            if not isinstance(values, (str, list)) or not values or not all(
                    isinstance(v, str) for v in as_list(values)):
                out.append(f"{where}: {present[0]} must be a string or a non-empty list of strings")
                continue
            values = as_list(values)
            if len(set(values)) != len(values):
                out.append(f"{where}: {present[0]} lists a value twice")
            kept.extend(values)
        for action in actions:
            if action != "*" and not ACTION.match(action):
                out.append(f"{where}: action {action!r} is not SERVICE:ACTION")
        services = {a.split(":")[0] for a in actions if ":" in a}
        for resource in resources:
            if resource == "*":
                if st.get("Effect") == "Allow" and not set(actions) <= STAR_ONLY_ACTIONS:
                    out.append(f"{where}: Resource \"*\" for {sorted(set(actions) - STAR_ONLY_ACTIONS)}"
                               ", which take resource-level permissions (least privilege)")
                continue
            problems = arn_problems(resource)
            out += [f"{where}: {p}" for p in problems]
            if not problems and "*" not in actions:
                service = resource.split(":")[2]
                if service not in services:
                    out.append(f"{where}: {resource!r} is a {service} resource, but no action "
                               f"of the statement is ({sorted(services)})")
    dupes = sorted({s for s in sids if sids.count(s) > 1})
    if dupes:
        out.append(f"Sid(s) {dupes} used twice")
    size = len(re.sub(r"\s", "", json.dumps(policy)))
    if size > INLINE_POLICY_LIMIT:
        out.append(f"{size} characters without whitespace; IAM allows {INLINE_POLICY_LIMIT} for "
                   "a role's inline policies")
    return out


# --------------------------------------------------------------------------------------------
# cfn-lint


def cfn_lint(template_text):
    """Every cfn-lint match (errors, warnings and informational), as strings."""
    import cfnlint.api

    matches = cfnlint.api.lint(
        template_text,
        config=cfnlint.api.ManualArgs(include_checks=["I"], regions=["us-east-1"]),
    )
    return [f"cfn-lint {m.rule.id} line {m.linenumber} col {m.columnnumber}: {m.message}"
            for m in matches]


def policy_template(policy):
    return json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"ExecutionRolePolicy": {
            "Type": "AWS::IAM::RolePolicy",
            "Properties": {"PolicyName": "check", "RoleName": "check",
                           "PolicyDocument": policy},
        }},
    }, indent=2)


# --------------------------------------------------------------------------------------------
# Terraform

TF_TOP_LEVEL = {"resource", "data", "variable", "output", "locals", "module", "provider",
                "terraform", "moved", "import", "check", "removed", "ephemeral"}
TF_META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner",
                     "connection", "//"}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


DATA_REFERENCE = re.compile(r"\$\{(data\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+)\.[A-Za-z0-9_]+\}")


def template_problems(text, where, declared=frozenset()):
    """Terraform reads every JSON string as a template: `${` and `%{` start an interpolation or
    a directive unless written `$${` / `%%{`. The one interpolation ecsdef writes on purpose
    reads an attribute of a data source the document declares (`declared`, `data.TYPE.NAME`):
    the account and partition of a role given by its short name."""
    out, i = [], 0
    while i < len(text) - 1:
        two = text[i:i + 2]
        if two in ("$$", "%%") and text[i + 2:i + 3] == "{":
            i += 3
            continue
        reference = DATA_REFERENCE.match(text, i)
        if reference and reference.group(1) in declared:
            i = reference.end()
            continue
        if two in ("${", "%{"):
            out.append(f"{where}: unescaped {two!r} at offset {i} (Terraform would read "
                       f"{text[i:i + 24]!r}... as a template; write {two[0] * 2 + '{'!r})")
        i += 1
    return out


def all_strings(value, where):
    if isinstance(value, str):
        yield value, where
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from all_strings(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k, f"{where} key {k!r}"
            yield from all_strings(v, f"{where}.{k}")


def tf_type_ok(value, typ):
    if typ == "string":
        return isinstance(value, str)
    if typ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == "boolean":
        return isinstance(value, bool)
    m = re.fullmatch(r"(array|map)\((\w+)\)", typ)
    if m and m.group(1) == "array":
        return isinstance(value, list) and all(tf_type_ok(v, m.group(2)) for v in value)
    if m and m.group(1) == "map":
        return isinstance(value, dict) and all(tf_type_ok(v, m.group(2)) for v in value.values())
    return False


def tf_body_problems(body, schema, where, top=False):
    out = []
    if not isinstance(body, dict):
        return [f"{where}: a block body must be a JSON object"]
    for name, value in body.items():
        if top and name in TF_META_ARGUMENTS:
            continue
        if name in schema["attributes"]:
            typ = schema["attributes"][name]["type"]
            if not tf_type_ok(value, typ):
                out.append(f"{where}.{name}: {json.dumps(value)[:60]} is not a {typ}")
        elif name in schema["blocks"]:
            for i, item in enumerate(as_list(value)):
                out += tf_body_problems(item, schema["blocks"][name], f"{where}.{name}[{i}]")
        else:
            known = sorted(set(schema["attributes"]) | set(schema["blocks"]))
            out.append(f"{where}: unsupported argument {name!r} (the provider has {known})")
    for name, attr in schema["attributes"].items():
        if attr["required"] and name not in body:
            out.append(f"{where}: missing required argument {name!r}")
    for name, block in schema["blocks"].items():
        if block["required"] and name not in body:
            out.append(f"{where}: missing required block {name!r}")
    return out


def terraform_problems(doc, tf_schema, ecs):
    out = []
    if not isinstance(doc, dict):
        return ["a .tf.json file must be a JSON object"], {}
    for key in sorted(set(doc) - TF_TOP_LEVEL):
        out.append(f"unknown top-level block type {key!r}")
    declared = {f"data.{dtype}.{dname}"
                for dtype, named in (doc.get("data") or {}).items() if isinstance(named, dict)
                for dname in named}
    for string, where in all_strings(doc, "$"):
        out += template_problems(string, where, declared)
    resources = doc.get("resource", {})
    found = {}
    if not isinstance(resources, dict):
        return out + ["`resource` must be an object of resource types"], found
    for rtype, named in resources.items():
        if not isinstance(named, dict):
            out.append(f"resource.{rtype} must be an object of resource names")
            continue
        schema = tf_schema["resources"].get(rtype)
        if schema is None:
            out.append(f"resource type {rtype!r} is not one ecsdef writes (no schema to check)")
            continue
        for rname, bodies in named.items():
            where = f"resource.{rtype}.{rname}"
            if not IDENTIFIER.match(rname):
                out.append(f"{where}: {rname!r} is not a valid Terraform name")
            for body in as_list(bodies):
                out += tf_body_problems(body, schema, where, top=True)
                found.setdefault(rtype, []).append((where, body))
    for where, body in found.get("aws_ecs_task_definition", []):
        try:
            containers = json.loads(body.get("container_definitions", ""))
        except ValueError as e:
            out.append(f"{where}.container_definitions is not JSON: {e}")
            continue
        out += [f"{where}.container_definitions: {p}"
                for p in ecs.validate(containers, ecs.containers)]
    for where, body in found.get("aws_iam_role_policy", []):
        try:
            policy = json.loads(body.get("policy", ""))
        except ValueError as e:
            out.append(f"{where}.policy is not JSON: {e}")
            continue
        out += [f"{where}.policy: {p}" for p in policy_problems(policy)]
    return out, found


# --------------------------------------------------------------------------------------------
# Files


def family_files(directory):
    """{family: {kind: path}} for the files of an export directory."""
    families = {}
    kinds = [(".execution-role-policy.json", "policy"), (".cfn.json", "cfn"),
             (".tf.json", "tf"), (".json", "json")]
    for path in sorted(pathlib.Path(directory).iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        for suffix, kind in kinds:
            if path.name.endswith(suffix):
                families.setdefault(path.name[: -len(suffix)], {})[kind] = path
                break
    return families


def problems_for(kind, doc, text, ecs, tf_schema):
    """(problems, what was checked) for one exported file of `kind`."""
    if kind == "json":
        return ecs.validate(doc, ecs.input), "botocore RegisterTaskDefinition input"
    if kind == "policy":
        return (policy_problems(doc) + cfn_lint(policy_template(doc)),
                "IAM policy grammar and cfn-lint's IAM rules")
    if kind == "cfn":
        return cfn_lint(text), "cfn-lint"
    problems, _ = terraform_problems(doc, tf_schema, ecs)
    return problems, f"Terraform JSON, hashicorp/aws {tf_schema['provider_version']} schema"


def check_export(directory, ecs, tf_schema, results):
    families = family_files(directory)
    if not families:
        results.check(f"{directory}: exported files", [f"no exported files in {directory}"])
    for family, files in families.items():
        loaded = {}
        for kind, path in files.items():
            name = f"{path} ({kind})"
            try:
                loaded[kind] = load_json(path)
            except ValueError as e:
                results.check(name, [f"not valid JSON: {e}"])
                continue
            problems, what = problems_for(kind, loaded[kind], path.read_text(), ecs, tf_schema)
            results.check(f"{path}: {what}", problems)
        if "json" in loaded and len(loaded) > 1:
            results.check(f"{directory}/{family}.*: every form says the same",
                          consistency_problems(family, loaded))


def consistency_problems(family, loaded):
    task = loaded["json"]
    policy = loaded.get("policy")
    out = []
    cfn = loaded.get("cfn")
    if isinstance(cfn, dict):
        resources = cfn.get("Resources", {})
        props = resources.get("TaskDefinition", {}).get("Properties", {})
        if props.get("Family") != task.get("family"):
            out.append(f"cfn Family {props.get('Family')!r} != json family {task.get('family')!r}")
        if len(props.get("ContainerDefinitions", [])) != len(task.get("containerDefinitions", [])):
            out.append("cfn and json have different numbers of containers")
        cfn_policy = resources.get("ExecutionRolePolicy", {}).get("Properties", {}).get("PolicyDocument")
        if cfn_policy != policy:
            out.append("the cfn template's PolicyDocument is not F.execution-role-policy.json")
    tf = loaded.get("tf")
    if isinstance(tf, dict):
        resources = tf.get("resource", {})
        tasks = list(resources.get("aws_ecs_task_definition", {}).values())
        if len(tasks) != 1:
            out.append(f"{len(tasks)} aws_ecs_task_definition resources, expected 1")
        else:
            body = tasks[0]
            if body.get("family") != task.get("family"):
                out.append("tf family differs from json family")
            try:
                if json.loads(body.get("container_definitions", "null")) != task.get("containerDefinitions"):
                    out.append("tf container_definitions decode to something else than json's containerDefinitions")
            except ValueError:
                pass  # reported by the Terraform check
        policies = list(resources.get("aws_iam_role_policy", {}).values())
        try:
            tf_policy = json.loads(policies[0]["policy"]) if policies else None
        except (ValueError, KeyError, TypeError):
            tf_policy = "unreadable"
        if tf_policy != policy:
            out.append("the Terraform policy is not F.execution-role-policy.json")
    return out


def lenient(doc):
    """What from_json_lenient does before validating: unwrap, drop output-only and nulls."""
    if (isinstance(doc, dict) and isinstance(doc.get("taskDefinition"), dict)
            and set(doc) <= {"taskDefinition", "tags"}):
        inner = dict(doc["taskDefinition"])
        if doc.get("tags") and "tags" not in inner:
            inner["tags"] = doc["tags"]
        doc = inner
    if isinstance(doc, dict):
        doc = {k: v for k, v in doc.items() if k not in OUTPUT_ONLY_MEMBERS}

    def drop_nulls(v):
        if isinstance(v, dict):
            return {k: drop_nulls(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [drop_nulls(x) for x in v if x is not None]
        return v

    return drop_nulls(doc)


def check_corpus(directory, expected, ecs, results):
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        try:
            doc = lenient(load_json(path))
            problems = ecs.validate(doc, ecs.input)
        except ValueError as e:
            problems = [f"not valid JSON: {e}"]
        fragment = expected.pop(path.name, None)
        if fragment is None:
            results.check(f"{path}: botocore RegisterTaskDefinition input (lenient)", problems)
        else:
            text = "\n".join(problems)
            verdict = [] if fragment in text else [
                f"expected a failure mentioning {fragment!r}, got: {text or 'no problem'}"]
            results.check(f"{path}: rejected as expected ({fragment})", verdict)
    for name in sorted(expected):
        results.check(f"{directory}/{name}: listed in expected failures",
                      ["no such corpus file"])


def _set(path):
    """A mutation that sets `path` (keys and list indexes) to a value."""
    def mutate(value):
        def apply(doc):
            target = doc
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            return doc
        return apply
    return mutate


def _tf_task(doc):
    return next(iter(doc["resource"]["aws_ecs_task_definition"].values()))


def _tf_containers(edit):
    def apply(doc):
        task = _tf_task(doc)
        containers = json.loads(task["container_definitions"])
        edit(containers)
        task["container_definitions"] = json.dumps(containers)
        return doc
    return apply


def _rename(path, old, new):
    def apply(doc):
        target = doc
        for key in path:
            target = target[key]
        target[new] = target.pop(old)
        return doc
    return apply


# (what, kind, mutation, fragment the problems must contain): mistakes the validators exist to
# catch, applied to a real export so that a validator that silently accepts everything fails.
MUTATIONS = [
    ("unknown container member", "json",
     _set(["containerDefinitions", 0, "healthcheck"])({"command": ["CMD", "true"]}),
     "Unknown parameter in containerDefinitions[0]"),
    ("networkMode outside the enum", "json", _set(["networkMode"])("vpc"), "NetworkMode's values"),
    ("tags as an object", "json", _set(["tags"])({"team": "x"}), "Invalid type for parameter tags"),
    ("misspelled CloudFormation property", "cfn",
     _rename(["Resources", "TaskDefinition", "Properties"], "Family", "FamilyName"), "E3002"),
    ("policy Effect in lower case", "cfn",
     _set(["Resources", "ExecutionRolePolicy", "Properties", "PolicyDocument", "Statement", 0,
           "Effect"])("allow"), "'allow' is not one of"),
    ("Terraform argument the provider does not have", "tf",
     lambda d: (_tf_task(d).update(inference_accelerator=[{"device_name": "a",
                                                            "device_type": "eia2.medium"}]), d)[1],
     "unsupported argument 'inference_accelerator'"),
    ("Terraform template sequence", "tf",
     _tf_containers(lambda c: c[0].update(command=["sh", "-c", "echo ${HOME}"])),
     "unescaped '${'"),
    ("container_definitions member in the wrong case", "tf",
     _tf_containers(lambda c: c[0].update(Image=c[0].pop("image"))),
     "Unknown parameter in [0]: \"Image\""),
    ("policy Resource * for a resource-level action", "policy",
     _set(["Statement", 0, "Resource"])(["*"]), "least privilege"),
    ("policy Resource that is not an ARN", "policy",
     _set(["Statement", 0, "Resource"])(["secret:web/db"]), "neither `*` nor an ARN"),
    ("policy Action without a service", "policy",
     _set(["Statement", 0, "Action"])(["GetSecretValue"]), "is not SERVICE:ACTION"),
]


def self_test(directory, ecs, tf_schema, results):
    families = family_files(directory)
    complete = [f for f in families.values() if {"json", "policy", "cfn", "tf"} <= set(f)]
    if not complete:
        results.check(f"self-test in {directory}", ["no family with all four files"])
        return
    files = complete[0]
    for what, kind, mutate, fragment in MUTATIONS:
        doc = mutate(copy.deepcopy(load_json(files[kind])))
        problems, _ = problems_for(kind, doc, json.dumps(doc, indent=2), ecs, tf_schema)
        text = "\n".join(problems)
        verdict = [] if fragment in text else [
            f"the mutation was not reported with {fragment!r}; problems: {text or 'none'}"]
        results.check(f"self-test: {what} in {files[kind].name} is caught", verdict)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exported", action="append", default=[], metavar="DIR")
    parser.add_argument("--corpus", action="append", default=[], metavar="DIR")
    parser.add_argument("--expected-failures", metavar="FILE")
    parser.add_argument("--strict-model", action="store_true",
                        help="a newer botocore whose model differs from the pinned one fails")
    parser.add_argument("--self-test", action="append", default=[], metavar="DIR",
                        help="break the files of DIR in known ways and check each is caught")
    args = parser.parse_args()
    if not args.exported and not args.corpus:
        parser.error("give at least one --exported or --corpus directory")

    import cfnlint.version

    print(f"botocore {botocore.__version__}, cfn-lint {cfnlint.version.__version__}")
    results = Results()
    ecs = Ecs()
    results.check(*check_pinned_model(ecs, args.strict_model))
    tf_schema = load_json(TERRAFORM_SCHEMA)
    for directory in args.exported:
        check_export(directory, ecs, tf_schema, results)
    expected = {}
    if args.expected_failures:
        for line in pathlib.Path(args.expected_failures).read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, fragment = line.split("\t", 1)
                expected[name.strip()] = fragment.strip()
    for directory in args.corpus:
        check_corpus(directory, expected, ecs, results)
    for directory in args.self_test:
        self_test(directory, ecs, tf_schema, results)
    summary = f"{results.passed} passed, {results.failed} failed"
    if results.warnings:
        print(f"({results.warnings} warning(s) above)")
    print(summary)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
