//! `terraform`: Terraform JSON (`.tf.json`) holding the task definition and the execution
//! role's inline policy.
//!
//! Terraform's `aws_ecs_task_definition` takes `container_definitions` as a JSON string in the
//! ECS API's own spelling, and the task-level members as snake_case arguments and blocks
//! (`volumes` becomes repeated `volume` blocks, `tags` a map), named as in the AWS provider's
//! schema (`aws-models/terraform-aws-provider.schema.json`, see [`RENAMES`]). Every string is a
//! Terraform template, so a literal `${` or `%{` is written `$${` / `%%{`.

use serde_json::Value;

use ecsdef_model::json::{minify, task_definition_to_value, to_canonical_json_value};
use ecsdef_model::schema;

use super::document::{Ordered, convert, policy_document, policy_name, role_name};
use super::{FormatError, OutputFormat, Task};

/// `F.tf.json`: an `aws_ecs_task_definition` named after the family and, when the task has an
/// execution role that needs any permission, an `aws_iam_role_policy` `<family>_execution`
/// on that role.
#[derive(Debug)]
pub(super) struct Terraform;

impl OutputFormat for Terraform {
    fn name(&self) -> &'static str {
        "terraform"
    }

    fn help(&self) -> &'static str {
        "`F.tf.json`: Terraform JSON"
    }

    fn suffixes(&self) -> &'static [&'static str] {
        &[".tf.json"]
    }

    fn render(&self, task: &Task<'_>) -> Result<Vec<(&'static str, String)>, FormatError> {
        Ok(vec![(".tf.json", document(task)?)])
    }
}

/// Members (at any depth) `aws_ecs_task_definition` has no argument or block for
/// (`inference_accelerator` is not in version 6 of the AWS provider).
const UNSUPPORTED: &[&str] = &[
    "trustedExecutionConfiguration",
    "s3filesVolumeConfiguration",
    "inferenceAccelerators",
];

/// `(ECS shape, ECS member, Terraform argument)` where the provider's name is not the member's
/// snake_case (checked against the pinned provider schema by a test).
const RENAMES: &[(&str, &str, &str)] = &[("Volume", "configuredAtLaunch", "configure_at_launch")];

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
    if UNSUPPORTED.contains(&member) {
        return None;
    }
    let renamed = RENAMES.iter().find(|(s, m, _)| *s == shape && *m == member);
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
fn resource_name(family: &str) -> String {
    if family.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{family}")
    } else {
        family.to_owned()
    }
}

fn document(task: &Task<'_>) -> Result<String, FormatError> {
    let (definition, policy) = (task.definition, task.policy);
    let value = task_definition_to_value(definition);
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
            "containerDefinitions" => Ordered::string(minify(&to_canonical_json_value(
                &definition.container_definitions,
            ))),
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
    let resource_name = resource_name(&definition.family);
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
    let document = escape_templates(Ordered::object([("resource", Ordered::Object(resources))]));
    Ok(to_canonical_json_value(&role_arns_from_short_names(
        document,
    )))
}

/// The roles given by their short name (`ecsTaskExecutionRole`) as the ARN of the role of
/// that name in the account and partition Terraform deploys to, read from the
/// `aws_caller_identity` and `aws_partition` data sources the document then declares: ECS's
/// API takes a short name, but the AWS provider refuses anything but an ARN for
/// `execution_role_arn` and `task_role_arn` (their `ValidateFunc` is `verify.ValidARN`).
/// Runs after the template escaping, so the interpolation stays one.
fn role_arns_from_short_names(document: Ordered) -> Ordered {
    let Ordered::Object(mut top) = document else {
        return document;
    };
    let mut short = false;
    for (_, resources) in &mut top {
        let Ordered::Object(kinds) = resources else {
            continue;
        };
        for (kind, named) in kinds {
            let Ordered::Object(named) = named else {
                continue;
            };
            if kind != "aws_ecs_task_definition" {
                continue;
            }
            for (_, arguments) in named {
                let Ordered::Object(arguments) = arguments else {
                    continue;
                };
                for (name, value) in arguments {
                    if matches!(name.as_str(), "execution_role_arn" | "task_role_arn")
                        && let Ordered::Leaf(Value::String(role)) = value
                        && ecsdef_model::arn::is_role_short_name(role)
                    {
                        *value = Ordered::string(format!(
                            "arn:${{data.aws_partition.current.partition}}:iam::${{data.aws_caller_identity.current.account_id}}:role/{role}"
                        ));
                        short = true;
                    }
                }
            }
        }
    }
    if short {
        let current = || Ordered::Object(vec![("current".to_owned(), Ordered::Object(Vec::new()))]);
        top.insert(
            0,
            (
                "data".to_owned(),
                Ordered::object([
                    ("aws_caller_identity", current()),
                    ("aws_partition", current()),
                ]),
            ),
        );
    }
    Ordered::Object(top)
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
    use crate::formats::cloudformation::CloudFormation;
    use crate::formats::tests::{parse, render_one, sample};
    use ecsdef_model::schema::ShapeKind;

    #[test]
    fn terraform_encodes_containers_and_uses_blocks() {
        let definition = sample();
        let text = render_one(&Terraform, &definition, true).expect("expressible");
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
            "../../../aws-models/terraform-aws-provider.schema.json"
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
        let text = render_one(&Terraform, &definition, false).expect("expressible");
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
        let tf = render_one(&Terraform, &definition, false).expect_err("unsupported");
        assert_eq!(tf.path, "inferenceAccelerators");
        // CloudFormation still has them.
        render_one(&CloudFormation, &definition, false).expect("expressible");
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
        let text = render_one(&Terraform, &definition, true).expect("expressible");
        let task = &parse(&text)["resource"]["aws_ecs_task_definition"]["web"];
        let containers = task["container_definitions"].as_str().expect("a string");
        assert!(
            containers.contains(r#""echo $${HOME} %%{x} $$${y}""#),
            "{containers}"
        );
        // Nothing else changes: the JSON and CloudFormation forms keep the value as is.
        let cfn = render_one(&CloudFormation, &definition, false).expect("expressible");
        assert!(cfn.contains(r#""echo ${HOME} %{x} $${y}""#));
        assert_eq!(escape_template("a ${B} c"), "a $${B} c");
    }

    #[test]
    fn names() {
        assert_eq!(resource_name("1web"), "_1web");
        assert_eq!(resource_name("web"), "web");
        assert_eq!(snake_case("sizeInGiB"), "size_in_gib");
        assert_eq!(
            snake_case("fsxWindowsFileServerVolumeConfiguration"),
            "fsx_windows_file_server_volume_configuration"
        );
    }

    /// A role given by its short name becomes the ARN of that role in the account and
    /// partition Terraform deploys to; an ARN stays as written.
    #[test]
    fn terraform_builds_the_arn_of_a_short_role_name() {
        let mut definition = sample();
        definition.task_role_arn = Some("ecsTaskRole".to_owned());
        let text = render_one(&Terraform, &definition, true).expect("expressible");
        let document = parse(&text);
        let task = &document["resource"]["aws_ecs_task_definition"]["web"];
        assert_eq!(
            task["task_role_arn"],
            "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/ecsTaskRole"
        );
        assert_eq!(
            task["execution_role_arn"],
            "arn:aws:iam::123456789012:role/svc/web-execution"
        );
        assert!(document["data"]["aws_caller_identity"]["current"].is_object());
        assert!(document["data"]["aws_partition"]["current"].is_object());
        // Without a short name, no data source.
        let document = parse(&render_one(&Terraform, &sample(), true).expect("expressible"));
        assert!(document.get("data").is_none());
    }
}
