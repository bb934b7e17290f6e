//! The task definition in the other deployable formats: a CloudFormation template and
//! Terraform JSON, each with the execution role's inline policy next to the task definition.
//!
//! Both are derived from the canonical `RegisterTaskDefinition` JSON by walking AWS's model
//! ([`crate::schema`]) member by member, so they keep AWS's member order and are as
//! byte-stable as [`crate::to_canonical_json`].
//!
//! - CloudFormation names each member in PascalCase (`containerDefinitions` becomes
//!   `ContainerDefinitions`, `valueFrom` becomes `ValueFrom`) except where its resource schema
//!   (`aws-models/cloudformation-aws-ecs-taskdefinition.schema.json`) spells a member
//!   differently: see [`CLOUDFORMATION_RENAMES`]. Map keys (Docker labels, log options) are
//!   user data and stay as written.
//! - Terraform's `aws_ecs_task_definition` takes `container_definitions` as a JSON string in
//!   the ECS API's own spelling, and the task-level members as snake_case arguments and blocks
//!   (`volumes` becomes repeated `volume` blocks, `tags` a map), named as in the AWS provider's
//!   schema (`aws-models/terraform-aws-provider.schema.json`, see `TERRAFORM_RENAMES`). Every
//!   string is a Terraform template, so a literal `${` or `%{` is written `$${` / `%%{`.
//!
//! A member a format cannot express is an error naming it, never silently dropped.

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::Value;

use crate::TaskDefinition;
use crate::policy::PolicyDocument;
use crate::schema::{self, ShapeKind};

/// The `AWSTemplateFormatVersion` of every template.
pub const CLOUDFORMATION_VERSION: &str = "2010-09-09";

/// `(ECS shape, ECS member, CloudFormation property)` where CloudFormation's name is not the
/// ECS name with its first letter capitalized (checked against the pinned resource schema by
/// a test).
pub const CLOUDFORMATION_RENAMES: &[(&str, &str, &str)] = &[
    ("Volume", "efsVolumeConfiguration", "EFSVolumeConfiguration"),
    (
        "Volume",
        "fsxWindowsFileServerVolumeConfiguration",
        "FSxWindowsFileServerVolumeConfiguration",
    ),
    (
        "Volume",
        "s3filesVolumeConfiguration",
        "S3FilesVolumeConfiguration",
    ),
    ("EFSVolumeConfiguration", "fileSystemId", "FilesystemId"),
    ("EFSAuthorizationConfig", "iam", "IAM"),
    (
        "ProxyConfiguration",
        "properties",
        "ProxyConfigurationProperties",
    ),
];

/// Task-level members `AWS::ECS::TaskDefinition` has no property for.
const CLOUDFORMATION_UNSUPPORTED: &[&str] = &["trustedExecutionConfiguration"];

/// Members (at any depth) `aws_ecs_task_definition` has no argument or block for
/// (`inference_accelerator` was removed in version 6 of the AWS provider).
const TERRAFORM_UNSUPPORTED: &[&str] = &[
    "trustedExecutionConfiguration",
    "s3filesVolumeConfiguration",
    "inferenceAccelerators",
];

/// `(ECS shape, ECS member, Terraform argument)` where the provider's name is not the member's
/// snake_case (checked against the pinned provider schema by a test).
const TERRAFORM_RENAMES: &[(&str, &str, &str)] =
    &[("Volume", "configuredAtLaunch", "configure_at_launch")];

/// Why a task definition cannot be written in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// `CloudFormation` or `Terraform`.
    pub format: &'static str,
    /// The JSON path of the member it cannot express.
    pub path: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot express `{}`: export this task as `json` only",
            self.format, self.path
        )
    }
}

impl std::error::Error for FormatError {}

/// JSON with object members in the order they were inserted (serde_json's `Value` sorts them
/// unless its `preserve_order` feature is on, which would change other crates' output).
#[derive(Debug, Clone, PartialEq)]
enum Ordered {
    Leaf(Value),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    fn string(s: impl Into<String>) -> Self {
        Ordered::Leaf(Value::String(s.into()))
    }

    fn object<const N: usize>(members: [(&str, Ordered); N]) -> Self {
        Ordered::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}

impl serde::Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Leaf(value) => value.serialize(serializer),
            Ordered::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Walks `value` (of AWS shape `shape`) in AWS's member order, renaming each member with
/// `rename`, which returns `None` for a member the format cannot express.
fn convert(
    value: &Value,
    shape: &str,
    path: &str,
    rename: &dyn Fn(&str, &str) -> Option<String>,
    format: &'static str,
) -> Result<Ordered, FormatError> {
    let kind = schema::shape(shape).map(|s| s.kind);
    match (value, kind) {
        (Value::Object(map), Some(ShapeKind::Structure(members))) => {
            let mut out = Vec::new();
            for member in members {
                let Some(inner) = map.get(member.name) else {
                    continue;
                };
                let inner_path = if path.is_empty() {
                    member.name.to_owned()
                } else {
                    format!("{path}.{}", member.name)
                };
                let Some(name) = rename(shape, member.name) else {
                    return Err(FormatError {
                        format,
                        path: inner_path,
                    });
                };
                out.push((
                    name,
                    convert(inner, member.shape, &inner_path, rename, format)?,
                ));
            }
            Ok(Ordered::Object(out))
        }
        (Value::Array(items), Some(ShapeKind::List { member, .. })) => items
            .iter()
            .enumerate()
            .map(|(i, item)| convert(item, member, &format!("{path}[{i}]"), rename, format))
            .collect::<Result<_, _>>()
            .map(Ordered::Array),
        // Map keys are the user's (label names, log options) and stay as written; the model's
        // maps are sorted, so the order is stable.
        (Value::Object(map), Some(ShapeKind::Map { .. })) => Ok(Ordered::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), Ordered::Leaf(v.clone())))
                .collect(),
        )),
        _ => Ok(Ordered::Leaf(value.clone())),
    }
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// CloudFormation's property name for an ECS member of `shape`.
fn cloudformation_name(shape: &str, member: &str) -> Option<String> {
    if shape == schema::ROOT && CLOUDFORMATION_UNSUPPORTED.contains(&member) {
        return None;
    }
    let renamed = CLOUDFORMATION_RENAMES
        .iter()
        .find(|(s, m, _)| *s == shape && *m == member);
    Some(renamed.map_or_else(|| capitalize(member), |(_, _, cfn)| (*cfn).to_owned()))
}

fn task_value(definition: &TaskDefinition) -> Value {
    crate::json::task_definition_to_value(definition)
}

fn policy_document(policy: &PolicyDocument) -> Ordered {
    let statements = policy
        .statements()
        .iter()
        .map(|s| {
            Ordered::object([
                ("Sid", Ordered::string(s.sid())),
                ("Effect", Ordered::string(s.effect())),
                (
                    "Action",
                    Ordered::Array(s.actions().iter().map(|a| Ordered::string(*a)).collect()),
                ),
                (
                    "Resource",
                    Ordered::Array(s.resources().iter().map(Ordered::string).collect()),
                ),
            ])
        })
        .collect();
    Ordered::object([
        ("Version", Ordered::string(policy.version())),
        ("Statement", Ordered::Array(statements)),
    ])
}

/// The role name of a role ARN (`arn:aws:iam::123456789012:role/path/name` gives `name`); a
/// bare name is returned as is.
pub fn role_name(role: &str) -> &str {
    role.rsplit_once('/').map_or(role, |(_, name)| name)
}

/// The name of the inline policy ecsdef attaches to a family's execution role.
pub fn policy_name(family: &str) -> String {
    format!("{family}-ecsdef-execution")
}

/// A CloudFormation template (JSON): the `AWS::ECS::TaskDefinition` as `TaskDefinition`, and,
/// when `policy` is given and the task has an execution role, an `AWS::IAM::RolePolicy`
/// `ExecutionRolePolicy` attaching it to that role. Canonical JSON, trailing newline.
pub fn cloudformation_template(
    definition: &TaskDefinition,
    policy: Option<&PolicyDocument>,
) -> Result<String, FormatError> {
    let properties = convert(
        &task_value(definition),
        schema::ROOT,
        "",
        &cloudformation_name,
        "CloudFormation",
    )?;
    let mut resources = vec![(
        "TaskDefinition".to_owned(),
        Ordered::object([
            ("Type", Ordered::string("AWS::ECS::TaskDefinition")),
            ("Properties", properties),
        ]),
    )];
    if let (Some(policy), Some(role)) = (policy, &definition.execution_role_arn) {
        resources.push((
            "ExecutionRolePolicy".to_owned(),
            Ordered::object([
                ("Type", Ordered::string("AWS::IAM::RolePolicy")),
                (
                    "Properties",
                    Ordered::object([
                        (
                            "PolicyName",
                            Ordered::string(policy_name(&definition.family)),
                        ),
                        ("PolicyDocument", policy_document(policy)),
                        ("RoleName", Ordered::string(role_name(role))),
                    ]),
                ),
            ]),
        ));
    }
    let template = Ordered::object([
        (
            "AWSTemplateFormatVersion",
            Ordered::string(CLOUDFORMATION_VERSION),
        ),
        (
            "Description",
            Ordered::string(format!(
                "ECS task definition {} (written by cargo ecsdef)",
                definition.family
            )),
        ),
        ("Resources", Ordered::Object(resources)),
    ]);
    Ok(crate::json::to_canonical_json_value(&template))
}

/// `camelCase` to `snake_case`, with Terraform's spelling of `GiB`.
fn snake_case(name: &str) -> String {
    let name = name.replace("GiB", "Gib");
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Terraform's argument or block name for an ECS member below the task level.
fn terraform_name(shape: &str, member: &str) -> Option<String> {
    if TERRAFORM_UNSUPPORTED.contains(&member) {
        return None;
    }
    let renamed = TERRAFORM_RENAMES
        .iter()
        .find(|(s, m, _)| *s == shape && *m == member);
    Some(renamed.map_or_else(|| snake_case(member), |(_, _, tf)| (*tf).to_owned()))
}

/// Terraform's argument or block name for a task-level member: repeated blocks are named in
/// the singular.
fn terraform_task_argument(member: &str) -> Option<String> {
    match member {
        "volumes" => Some("volume".to_owned()),
        name => terraform_name(schema::ROOT, name),
    }
}

/// Terraform reads every string of a `.tf.json` file as a template, where `${` starts an
/// interpolation and `%{` a directive: a literal one is written `$${` / `%%{`.
fn escape_template(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

fn escape_templates_in_value(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(escape_template(&s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(escape_templates_in_value).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (escape_template(&k), escape_templates_in_value(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Every string (and object key) of a Terraform document with its template sequences escaped,
/// so that Terraform hands AWS the values as written.
fn escape_templates(document: Ordered) -> Ordered {
    match document {
        Ordered::Leaf(value) => Ordered::Leaf(escape_templates_in_value(value)),
        Ordered::Array(items) => Ordered::Array(items.into_iter().map(escape_templates).collect()),
        Ordered::Object(members) => Ordered::Object(
            members
                .into_iter()
                .map(|(k, v)| (escape_template(&k), escape_templates(v)))
                .collect(),
        ),
    }
}

/// A Terraform resource name for a family: families may start with a digit, names may not.
pub fn terraform_resource_name(family: &str) -> String {
    if family.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{family}")
    } else {
        family.to_owned()
    }
}

/// Terraform JSON (`.tf.json`): an `aws_ecs_task_definition` named after the family and, when
/// `policy` is given and the task has an execution role, an `aws_iam_role_policy`
/// `<family>_execution` on that role. Canonical JSON, trailing newline.
pub fn terraform_json(
    definition: &TaskDefinition,
    policy: Option<&PolicyDocument>,
) -> Result<String, FormatError> {
    let value = task_value(definition);
    let Value::Object(task) = &value else {
        return Ok(String::new());
    };
    let members = schema::shape(schema::ROOT)
        .map(schema::Shape::members)
        .unwrap_or_default();
    let mut arguments: Vec<(String, Ordered)> = Vec::new();
    for member in members {
        let Some(inner) = task.get(member.name) else {
            continue;
        };
        let path = member.name;
        let convert_nested =
            |shape: &str| convert(inner, shape, path, &terraform_name, "Terraform");
        let Some(name) = terraform_task_argument(member.name) else {
            return Err(FormatError {
                format: "Terraform",
                path: member.name.to_owned(),
            });
        };
        let converted = match member.name {
            // Terraform takes the containers as the ECS API spells them, JSON-encoded.
            "containerDefinitions" => Ordered::string(crate::json::minify(
                &crate::json::to_canonical_json_value(&definition.container_definitions),
            )),
            "volumes" => convert_volumes(inner)?,
            "tags" => name_value_map(inner, "key", "value"),
            "proxyConfiguration" => {
                let mut proxy = convert_nested(member.shape)?;
                if let (Ordered::Object(members), Some(properties)) =
                    (&mut proxy, inner.get("properties"))
                {
                    for (key, value) in members.iter_mut() {
                        if key == "properties" {
                            *value = name_value_map(properties, "name", "value");
                        }
                    }
                }
                proxy
            }
            _ => convert_nested(member.shape)?,
        };
        arguments.push((name, converted));
    }
    let resource_name = terraform_resource_name(&definition.family);
    let mut resources = vec![(
        "aws_ecs_task_definition".to_owned(),
        Ordered::Object(vec![(resource_name.clone(), Ordered::Object(arguments))]),
    )];
    if let (Some(policy), Some(role)) = (policy, &definition.execution_role_arn) {
        resources.push((
            "aws_iam_role_policy".to_owned(),
            Ordered::Object(vec![(
                format!("{resource_name}_execution"),
                Ordered::object([
                    ("name", Ordered::string(policy_name(&definition.family))),
                    ("role", Ordered::string(role_name(role))),
                    (
                        "policy",
                        Ordered::string(
                            serde_json::to_string(&policy_document(policy)).unwrap_or_default(),
                        ),
                    ),
                ]),
            )]),
        ));
    }
    let document = Ordered::object([("resource", Ordered::Object(resources))]);
    Ok(crate::json::to_canonical_json_value(&escape_templates(
        document,
    )))
}

/// `volumes` as `volume` blocks: `host.sourcePath` is Terraform's `host_path`.
fn convert_volumes(volumes: &Value) -> Result<Ordered, FormatError> {
    let converted = convert(
        volumes,
        "VolumeList",
        "volumes",
        &terraform_name,
        "Terraform",
    )?;
    let Ordered::Array(items) = converted else {
        return Ok(converted);
    };
    let items = items
        .into_iter()
        .map(|item| match item {
            Ordered::Object(members) => Ordered::Object(
                members
                    .into_iter()
                    .map(|(key, value)| match (key.as_str(), value) {
                        ("host", Ordered::Object(host)) => {
                            let path = host
                                .into_iter()
                                .find(|(k, _)| k == "source_path")
                                .map_or(Ordered::Leaf(Value::Null), |(_, v)| v);
                            ("host_path".to_owned(), path)
                        }
                        (_, value) => (key, value),
                    })
                    .collect(),
            ),
            other => other,
        })
        .collect();
    Ok(Ordered::Array(items))
}

/// A list of `{key, value}` objects as a map, the way Terraform takes tags.
fn name_value_map(list: &Value, key: &str, value: &str) -> Ordered {
    Ordered::Object(
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let k = entry.get(key)?.as_str()?;
                let v = entry
                    .get(value)
                    .cloned()
                    .unwrap_or(Value::String(String::new()));
                Some((k.to_owned(), Ordered::Leaf(v)))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Context;

    fn task(json: &str) -> TaskDefinition {
        crate::from_json_strict(json).expect("valid test task")
    }

    fn sample() -> TaskDefinition {
        task(
            r#"{
              "family": "web",
              "executionRoleArn": "arn:aws:iam::123456789012:role/svc/web-execution",
              "networkMode": "awsvpc",
              "containerDefinitions": [{
                "name": "app",
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
                "dockerLabels": {"com.example.team": "web"},
                "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}}
              }],
              "volumes": [
                {"name": "data", "host": {"sourcePath": "/srv/data"}},
                {"name": "shared", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "authorizationConfig": {"iam": "ENABLED"}}}
              ],
              "requiresCompatibilities": ["FARGATE"],
              "cpu": "256",
              "memory": "512",
              "tags": [{"key": "team", "value": "web"}],
              "ephemeralStorage": {"sizeInGiB": 30}
            }"#,
        )
    }

    fn policy(definition: &TaskDefinition) -> PolicyDocument {
        crate::policy::execution_role_policy(definition, &Context::default())
            .expect("policy")
            .expect("an execution role")
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn cloudformation_uses_the_resource_schemas_names() {
        let definition = sample();
        let text =
            cloudformation_template(&definition, Some(&policy(&definition))).expect("expressible");
        assert!(text.ends_with("}\n"));
        let template = parse(&text);
        let properties = &template["Resources"]["TaskDefinition"]["Properties"];
        assert_eq!(
            template["Resources"]["TaskDefinition"]["Type"],
            "AWS::ECS::TaskDefinition"
        );
        let app = &properties["ContainerDefinitions"][0];
        assert_eq!(
            app["Secrets"][0]["ValueFrom"],
            "arn:aws:ssm:us-east-1:123456789012:parameter/db"
        );
        assert_eq!(app["PortMappings"][0]["ContainerPort"], 80);
        assert_eq!(app["Ulimits"][0]["SoftLimit"], 1024);
        // Map keys are the user's and keep their spelling.
        assert_eq!(app["DockerLabels"]["com.example.team"], "web");
        assert_eq!(
            app["LogConfiguration"]["Options"]["awslogs-group"],
            "/ecs/web"
        );
        assert_eq!(properties["Volumes"][0]["Host"]["SourcePath"], "/srv/data");
        assert_eq!(
            properties["Volumes"][1]["EFSVolumeConfiguration"]["AuthorizationConfig"]["IAM"],
            "ENABLED"
        );
        assert_eq!(properties["EphemeralStorage"]["SizeInGiB"], 30);
        assert_eq!(properties["Tags"][0]["Key"], "team");
        let role_policy = &template["Resources"]["ExecutionRolePolicy"];
        assert_eq!(role_policy["Type"], "AWS::IAM::RolePolicy");
        assert_eq!(role_policy["Properties"]["RoleName"], "web-execution");
        assert_eq!(
            role_policy["Properties"]["PolicyName"],
            "web-ecsdef-execution"
        );
        assert_eq!(
            role_policy["Properties"]["PolicyDocument"]["Version"],
            "2012-10-17"
        );
        // AWS's member order, not alphabetical.
        let family = text.find("\"Family\"").expect("family");
        let containers = text.find("\"ContainerDefinitions\"").expect("containers");
        assert!(family < containers);
    }

    #[test]
    fn cloudformation_without_a_policy_has_only_the_task_definition() {
        let text = cloudformation_template(&sample(), None).expect("expressible");
        let template = parse(&text);
        assert!(template["Resources"].get("ExecutionRolePolicy").is_none());
    }

    /// Every ECS member ecsdef can write has a CloudFormation property of the name
    /// `cloudformation_name` gives it, in the pinned resource schema.
    #[test]
    fn every_member_name_exists_in_the_cloudformation_schema() {
        let cfn: Value = parse(include_str!(
            "../../aws-models/cloudformation-aws-ecs-taskdefinition.schema.json"
        ));
        let definitions = &cfn["definitions"];
        let cfn_definition = |properties: &Value, name: &str| -> Option<String> {
            let property = properties.get(name)?;
            let reference = property
                .get("$ref")
                .or_else(|| property.get("items").and_then(|i| i.get("$ref")))?;
            reference.as_str()?.rsplit('/').next().map(str::to_owned)
        };
        let mut pending = vec![(schema::ROOT.to_owned(), cfn["properties"].clone())];
        let mut seen = Vec::new();
        while let Some((shape, properties)) = pending.pop() {
            if seen.contains(&shape) {
                continue;
            }
            seen.push(shape.clone());
            let Some(shape_info) = schema::shape(&shape) else {
                continue;
            };
            for member in shape_info.members() {
                let Some(name) = cloudformation_name(&shape, member.name) else {
                    continue;
                };
                assert!(
                    properties.get(&name).is_some(),
                    "{shape}.{} -> {name} is not a CloudFormation property",
                    member.name
                );
                let mut inner = member.shape;
                if let Some(ShapeKind::List { member, .. }) = schema::shape(inner).map(|s| s.kind) {
                    inner = member;
                }
                if let Some(reference) = cfn_definition(&properties, &name) {
                    pending.push((
                        inner.to_owned(),
                        definitions[&reference]["properties"].clone(),
                    ));
                }
            }
        }
        assert!(seen.len() > 20, "walked {} shapes", seen.len());
    }

    #[test]
    fn terraform_encodes_containers_and_uses_blocks() {
        let definition = sample();
        let text = terraform_json(&definition, Some(&policy(&definition))).expect("expressible");
        let document = parse(&text);
        let task = &document["resource"]["aws_ecs_task_definition"]["web"];
        assert_eq!(task["family"], "web");
        let containers: Value = parse(
            task["container_definitions"]
                .as_str()
                .expect("a JSON string"),
        );
        assert_eq!(
            containers[0]["secrets"][0]["valueFrom"],
            "arn:aws:ssm:us-east-1:123456789012:parameter/db"
        );
        assert_eq!(task["requires_compatibilities"][0], "FARGATE");
        assert_eq!(task["network_mode"], "awsvpc");
        assert_eq!(task["volume"][0]["host_path"], "/srv/data");
        assert_eq!(
            task["volume"][1]["efs_volume_configuration"]["file_system_id"],
            "fs-12345678"
        );
        assert_eq!(
            task["volume"][1]["efs_volume_configuration"]["authorization_config"]["iam"],
            "ENABLED"
        );
        assert_eq!(task["ephemeral_storage"]["size_in_gib"], 30);
        assert_eq!(task["tags"]["team"], "web");
        let role_policy = &document["resource"]["aws_iam_role_policy"]["web_execution"];
        assert_eq!(role_policy["role"], "web-execution");
        let policy: Value = parse(role_policy["policy"].as_str().expect("a JSON string"));
        assert_eq!(policy["Version"], "2012-10-17");
    }

    /// Every ECS member ecsdef writes to Terraform has an argument or block of that name in
    /// the pinned AWS provider schema (`aws-models/terraform-aws-provider.schema.json`).
    #[test]
    fn every_member_name_exists_in_the_terraform_schema() {
        let tf: Value = parse(include_str!(
            "../../aws-models/terraform-aws-provider.schema.json"
        ));
        let resource = &tf["resources"]["aws_ecs_task_definition"];
        // (ECS shape, Terraform block schema, whether it is the task itself)
        let mut pending = vec![(schema::ROOT.to_owned(), resource.clone(), true)];
        let mut checked = 0;
        while let Some((shape, block, top)) = pending.pop() {
            let Some(shape_info) = schema::shape(&shape) else {
                continue;
            };
            for member in shape_info.members() {
                let name = if top {
                    terraform_task_argument(member.name)
                } else {
                    terraform_name(&shape, member.name)
                };
                let Some(mut name) = name else {
                    continue;
                };
                // `volume { host { source_path } }` is written `host_path` (see convert_volumes).
                if shape == "Volume" && member.name == "host" {
                    name = "host_path".to_owned();
                }
                checked += 1;
                let mut inner = member.shape;
                if let Some(ShapeKind::List { member, .. }) = schema::shape(inner).map(|s| s.kind) {
                    inner = member;
                }
                let nested = &block["blocks"][&name];
                if nested.is_object() {
                    pending.push((inner.to_owned(), nested.clone(), false));
                } else {
                    assert!(
                        block["attributes"][&name].is_object(),
                        "{shape}.{} -> {name} is neither an argument nor a block of the provider",
                        member.name
                    );
                }
            }
        }
        assert!(checked > 30, "checked {checked} members");
    }

    #[test]
    fn terraform_names_the_provider_spells_differently() {
        let mut definition = sample();
        if let Some(volume) = definition.volumes.as_mut().and_then(|v| v.first_mut()) {
            volume.configured_at_launch = Some(true);
        }
        let text = terraform_json(&definition, None).expect("expressible");
        let task = &parse(&text)["resource"]["aws_ecs_task_definition"]["web"];
        assert_eq!(task["volume"][0]["configure_at_launch"], true);
        assert!(task["volume"][0].get("configured_at_launch").is_none());
    }

    #[test]
    fn terraform_has_no_inference_accelerators() {
        let mut definition = sample();
        definition.inference_accelerators = serde_json::from_value(
            serde_json::json!([{"deviceName": "device1", "deviceType": "eia2.medium"}]),
        )
        .expect("accelerators");
        let tf = terraform_json(&definition, None).expect_err("unsupported");
        assert_eq!(tf.path, "inferenceAccelerators");
        // CloudFormation still has them.
        cloudformation_template(&definition, None).expect("expressible");
    }

    /// Terraform reads every JSON string as a template: a literal `${` or `%{` (a shell
    /// variable in a health check, `$${` in the Rust source) must reach AWS as written.
    #[test]
    fn terraform_escapes_template_sequences() {
        let mut definition = sample();
        definition.container_definitions[0].command = Some(vec![
            "sh".into(),
            "-c".into(),
            "echo ${HOME} %{x} $${y}".into(),
        ]);
        let text = terraform_json(&definition, Some(&policy(&definition))).expect("expressible");
        let task = &parse(&text)["resource"]["aws_ecs_task_definition"]["web"];
        let containers = task["container_definitions"].as_str().expect("a string");
        assert!(
            containers.contains(r#""echo $${HOME} %%{x} $$${y}""#),
            "{containers}"
        );
        // Nothing else changes: the JSON and CloudFormation forms keep the value as is.
        let cfn = cloudformation_template(&definition, None).expect("expressible");
        assert!(cfn.contains(r#""echo ${HOME} %{x} $${y}""#));
        assert_eq!(escape_template("a ${B} c"), "a $${B} c");
    }

    #[test]
    fn a_member_a_format_cannot_express_is_an_error() {
        let mut definition = sample();
        definition.trusted_execution_configuration =
            serde_json::from_value(serde_json::json!({"isolationMode": "ISOLATED_SANDBOX"})).ok();
        assert!(definition.trusted_execution_configuration.is_some());
        let cfn = cloudformation_template(&definition, None).expect_err("unsupported");
        assert_eq!(cfn.path, "trustedExecutionConfiguration");
        let tf = terraform_json(&definition, None).expect_err("unsupported");
        assert_eq!(
            tf.to_string(),
            "Terraform cannot express `trustedExecutionConfiguration`: export this task as `json` only"
        );
    }

    #[test]
    fn names() {
        assert_eq!(role_name("arn:aws:iam::123456789012:role/a/b/name"), "name");
        assert_eq!(role_name("plain"), "plain");
        assert_eq!(terraform_resource_name("1web"), "_1web");
        assert_eq!(snake_case("sizeInGiB"), "size_in_gib");
        assert_eq!(
            snake_case("fsxWindowsFileServerVolumeConfiguration"),
            "fsx_windows_file_server_volume_configuration"
        );
    }
}
