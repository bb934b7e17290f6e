//! `cloudformation`: a CloudFormation template (JSON) holding the task definition and the
//! execution role's inline policy.
//!
//! CloudFormation names each member in PascalCase (`containerDefinitions` becomes
//! `ContainerDefinitions`, `valueFrom` becomes `ValueFrom`) except where its resource schema
//! (`aws-models/cloudformation-aws-ecs-taskdefinition.schema.json`) spells a member
//! differently: see [`RENAMES`]. Map keys (Docker labels, log options) are user data and stay
//! as written.

use ecsdef_model::json::{task_definition_to_value, to_canonical_json_value};
use ecsdef_model::schema;

use super::document::{Ordered, convert, policy_document, policy_name, role_name};
use super::{FormatError, OutputFormat, Task};

/// `F.cfn.json`: the `AWS::ECS::TaskDefinition` as `TaskDefinition`, and, when the task has
/// an execution role that needs any permission, an `AWS::IAM::RolePolicy`
/// `ExecutionRolePolicy` attaching the policy to that role.
#[derive(Debug)]
pub(super) struct CloudFormation;

impl OutputFormat for CloudFormation {
    fn name(&self) -> &'static str {
        "cloudformation"
    }

    fn help(&self) -> &'static str {
        "`F.cfn.json`: a CloudFormation template"
    }

    fn suffixes(&self) -> &'static [&'static str] {
        &[".cfn.json"]
    }

    fn render(&self, task: &Task<'_>) -> Result<Vec<(&'static str, String)>, FormatError> {
        Ok(vec![(".cfn.json", template(task)?)])
    }
}

/// The `AWSTemplateFormatVersion` of every template.
const VERSION: &str = "2010-09-09";

/// `(ECS shape, ECS member, CloudFormation property)` where CloudFormation's name is not the
/// ECS name with its first letter capitalized (checked against the pinned resource schema by
/// a test).
const RENAMES: &[(&str, &str, &str)] = &[
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
const UNSUPPORTED: &[&str] = &["trustedExecutionConfiguration"];

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// CloudFormation's property name for an ECS member of `shape`.
pub(crate) fn property_name(shape: &str, member: &str) -> Option<String> {
    if shape == schema::ROOT && UNSUPPORTED.contains(&member) {
        return None;
    }
    let renamed = RENAMES.iter().find(|(s, m, _)| *s == shape && *m == member);
    Some(renamed.map_or_else(|| capitalize(member), |(_, _, cfn)| (*cfn).to_owned()))
}

/// The roles given by their short name (`ecsTaskExecutionRole`) as the ARN of the role of
/// that name in the stack's account and partition: ECS's API takes a short name, but
/// CloudFormation's `AWS::ECS::TaskDefinition` requires an ARN of `ExecutionRoleArn` (cfn-lint
/// refuses a name, its pull request 866).
fn role_arns_from_short_names(properties: &mut Ordered) {
    let Ordered::Object(members) = properties else {
        return;
    };
    for (name, value) in members {
        if matches!(name.as_str(), "ExecutionRoleArn" | "TaskRoleArn")
            && let Ordered::Leaf(serde_json::Value::String(role)) = value
            && ecsdef_model::arn::is_role_short_name(role)
        {
            let arn = format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role}");
            *value = Ordered::object([("Fn::Sub", Ordered::string(arn))]);
        }
    }
}

fn template(task: &Task<'_>) -> Result<String, FormatError> {
    let definition = task.definition;
    let mut properties = convert(
        &task_definition_to_value(definition),
        schema::ROOT,
        "",
        &property_name,
        "CloudFormation",
    )?;
    role_arns_from_short_names(&mut properties);
    let mut resources = vec![(
        "TaskDefinition".to_owned(),
        Ordered::object([
            ("Type", Ordered::string("AWS::ECS::TaskDefinition")),
            ("Properties", properties),
        ]),
    )];
    if let (Some(policy), Some(role)) = (task.policy, &definition.execution_role_arn) {
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
        ("AWSTemplateFormatVersion", Ordered::string(VERSION)),
        (
            "Description",
            Ordered::string(format!(
                "ECS task definition {} (written by cargo ecsdef)",
                definition.family
            )),
        ),
        ("Resources", Ordered::Object(resources)),
    ]);
    Ok(to_canonical_json_value(&template))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tests::{parse, render_one, sample};
    use ecsdef_model::schema::ShapeKind;
    use serde_json::Value;

    #[test]
    fn cloudformation_uses_the_resource_schemas_names() {
        let text = render_one(&CloudFormation, &sample(), true).expect("expressible");
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

    /// A role given by its short name becomes its ARN in the stack's account; an ARN stays.
    #[test]
    fn cloudformation_builds_the_arn_of_a_short_role_name() {
        let mut definition = sample();
        definition.task_role_arn = Some("ecsTaskRole".to_owned());
        let text = render_one(&CloudFormation, &definition, true).expect("expressible");
        let template = parse(&text);
        let properties = &template["Resources"]["TaskDefinition"]["Properties"];
        assert_eq!(
            properties["TaskRoleArn"]["Fn::Sub"],
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ecsTaskRole"
        );
        assert_eq!(
            properties["ExecutionRoleArn"],
            "arn:aws:iam::123456789012:role/svc/web-execution"
        );
        definition.execution_role_arn = Some("ecsTaskExecutionRole".to_owned());
        let template = parse(&render_one(&CloudFormation, &definition, true).expect("expressible"));
        assert_eq!(
            template["Resources"]["TaskDefinition"]["Properties"]["ExecutionRoleArn"]["Fn::Sub"],
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ecsTaskExecutionRole"
        );
        assert_eq!(
            template["Resources"]["ExecutionRolePolicy"]["Properties"]["RoleName"],
            "ecsTaskExecutionRole"
        );
    }

    #[test]
    fn cloudformation_without_a_policy_has_only_the_task_definition() {
        let text = render_one(&CloudFormation, &sample(), false).expect("expressible");
        let template = parse(&text);
        assert!(template["Resources"].get("ExecutionRolePolicy").is_none());
    }

    /// Every ECS member ecsdef can write has a CloudFormation property of the name
    /// `property_name` gives it, in the pinned resource schema.
    #[test]
    fn every_member_name_exists_in_the_cloudformation_schema() {
        let cfn: Value = parse(include_str!(
            "../../../aws-models/cloudformation-aws-ecs-taskdefinition.schema.json"
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
                let Some(name) = property_name(&shape, member.name) else {
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
}
