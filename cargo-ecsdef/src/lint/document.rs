//! What a file holds: the task definitions in it, in the API's names, each still located in
//! the file.
//!
//! - `RegisterTaskDefinition` input (`aws ecs register-task-definition --cli-input-json`),
//!   the whole document;
//! - `describe-task-definition` output: the document, with its `taskDefinition` wrapper (the
//!   lenient loader unwraps it and drops the members only the output has);
//! - CloudFormation templates: each `AWS::ECS::TaskDefinition` resource's `Properties`, named
//!   as CloudFormation names them (`ContainerDefinitions`, `FilesystemId`) and mapped to the
//!   API's names by the CloudFormation format's own table. CloudFormation converts scalars to
//!   the type a property takes (`Cpu: 256` is the string `"256"`, `ContainerPort: "80"` the
//!   number 80), and so does this mapping. An intrinsic function (`Ref`, `Fn::Sub`,
//!   `Fn::GetAtt`, ...) has no value before the stack is deployed: in a string it stands as a
//!   `${NAME}` placeholder (`!Ref DbHost` as `${DB_HOST}`), checked no more than any
//!   placeholder; elsewhere (a number, a list, an object) the member is left out. Each is
//!   said in a note.

use ecsdef_model::schema::{self, ShapeKind};
use serde_json::Number;

use super::located::{Member, Node, NodeValue};
use crate::formats::cloudformation_property_name;

/// The `Type` of a CloudFormation task definition.
const CFN_TYPE: &str = "AWS::ECS::TaskDefinition";

/// Where a definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `RegisterTaskDefinition` input.
    Register,
    /// `describe-task-definition` output.
    Describe,
    /// A CloudFormation template's resource.
    CloudFormation,
}

/// One task definition of a file.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The CloudFormation resource's logical id; `None` for a file that is one definition.
    pub resource: Option<String>,
    /// What the file is.
    pub kind: Kind,
    /// The document to load: a `RegisterTaskDefinition` input in the API's names (with the
    /// describe wrapper, for describe output).
    pub node: Node,
    /// Where the definition is in `node`: `taskDefinition` inside the describe wrapper.
    pub inner: &'static str,
    /// The path of `node` in the file, as the file writes it
    /// (`Resources.TaskDefinition.Properties`).
    pub prefix: String,
    /// What the mapping did that the user should know: intrinsic functions not checked.
    pub notes: Vec<String>,
}

impl Definition {
    /// The node at a JSON path of the loaded definition, and that path as the file writes it,
    /// from the file's root.
    pub fn locate(&self, path: &str) -> (super::located::Found<'_>, String) {
        let full = match (self.inner, path) {
            ("", _) => path.to_owned(),
            (inner, "") => inner.to_owned(),
            (inner, path) if path.starts_with('[') => format!("{inner}{path}"),
            (inner, path) => format!("{inner}.{path}"),
        };
        let (found, written) = self.node.find(&full);
        let written = match (self.prefix.as_str(), written.as_str()) {
            (prefix, "") => prefix.to_owned(),
            ("", written) => written.to_owned(),
            (prefix, written) => format!("{prefix}.{written}"),
        };
        (found, written)
    }
}

/// The task definitions of a document; `None` when it holds none (another kind of JSON or
/// YAML, a template without a task definition).
pub fn definitions(root: &Node) -> Option<Vec<Definition>> {
    let resources = root.get("Resources").filter(|r| r.members().is_some());
    if let Some(resources) = resources {
        let found: Vec<Definition> = resources
            .members()
            .unwrap_or_default()
            .iter()
            .filter(|m| m.value.get("Type").and_then(Node::as_str) == Some(CFN_TYPE))
            .map(cloudformation)
            .collect();
        return (!found.is_empty()).then_some(found);
    }
    root.members()?;
    let wrapped = root
        .get("taskDefinition")
        .is_some_and(|inner| inner.members().is_some());
    let is_definition = ["family", "containerDefinitions"]
        .iter()
        .any(|key| root.get(key).is_some());
    if !wrapped && !is_definition {
        return None;
    }
    let describe = wrapped || root.get("taskDefinitionArn").is_some();
    Some(vec![Definition {
        resource: None,
        kind: if describe {
            Kind::Describe
        } else {
            Kind::Register
        },
        node: root.clone(),
        inner: if wrapped { "taskDefinition" } else { "" },
        prefix: String::new(),
        notes: Vec::new(),
    }])
}

fn cloudformation(resource: &Member) -> Definition {
    let prefix = format!("Resources.{}.Properties", resource.written);
    let mut notes = Vec::new();
    let node = match resource.value.get("Properties") {
        Some(properties) => convert(properties, schema::ROOT, &prefix, &mut notes)
            .unwrap_or_else(|| empty(properties.pos)),
        None => empty(resource.value.pos),
    };
    Definition {
        resource: Some(resource.written.clone()),
        kind: Kind::CloudFormation,
        node,
        inner: "",
        prefix,
        notes,
    }
}

fn empty(pos: crate::analysis::Pos) -> Node {
    Node {
        pos,
        value: NodeValue::Object(Vec::new()),
    }
}

/// The intrinsic function a node is (`Ref`, `Fn::Sub`, ...), with its argument.
fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    match node.members()? {
        [only] if only.key == "Ref" || only.key == "Condition" || only.key.starts_with("Fn::") => {
            Some((&only.key, &only.value))
        }
        _ => None,
    }
}

/// A `${NAME}` placeholder's name for an intrinsic function: what it refers to where it
/// names something (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`), else the function.
fn placeholder_name(function: &str, argument: &Node) -> String {
    let named = match (function, &argument.value) {
        ("Ref" | "Fn::GetAtt" | "Fn::ImportValue", NodeValue::String { text, .. }) => {
            Some(text.clone())
        }
        ("Fn::GetAtt", NodeValue::Array(items)) => Some(
            items
                .iter()
                .filter_map(Node::as_str)
                .collect::<Vec<_>>()
                .join("_"),
        ),
        _ => None,
    };
    let source = named.unwrap_or_else(|| function.trim_start_matches("Fn::").to_owned());
    screaming_snake(&source)
}

/// `DbHost` as `DB_HOST`, `AWS::Region` as `AWS_REGION`: a valid placeholder name.
fn screaming_snake(text: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let trimmed = out.trim_end_matches('_');
    match trimmed.chars().next() {
        None => "CFN".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{trimmed}"),
        Some(_) => trimmed.to_owned(),
    }
}

/// A CloudFormation value of the API's shape `shape` in the API's names; `None` when it is
/// left out (an intrinsic function where a string cannot stand). `written` is its path in the
/// file, for the notes.
fn convert(node: &Node, shape: &str, written: &str, notes: &mut Vec<String>) -> Option<Node> {
    let kind = schema::shape(shape).map(|s| s.kind);
    if let Some((function, argument)) = intrinsic(node) {
        let name = placeholder_name(function, argument);
        return if matches!(kind, Some(ShapeKind::String { .. } | ShapeKind::Enum(_))) {
            notes.push(format!(
                "`{written}` is a CloudFormation intrinsic function (`{function}`), with no \
                 value before the stack is deployed: checked as the placeholder `${{{name}}}`"
            ));
            Some(Node::string(node.pos, format!("${{{name}}}")))
        } else {
            notes.push(format!(
                "`{written}` is a CloudFormation intrinsic function (`{function}`), with no \
                 value before the stack is deployed: not checked"
            ));
            None
        };
    }
    let value = match (kind, &node.value) {
        (Some(ShapeKind::Structure(members)), NodeValue::Object(properties)) => {
            NodeValue::Object(
                properties
                    .iter()
                    .filter_map(|property| {
                        let member = members.iter().find(|m| {
                            cloudformation_property_name(shape, m.name).as_deref()
                                == Some(property.key.as_str())
                        });
                        let path = format!("{written}.{}", property.written);
                        match member {
                            Some(member) => Some(Member {
                                key: member.name.to_owned(),
                                written: property.written.clone(),
                                value: convert(&property.value, member.shape, &path, notes)?,
                            }),
                            // Unknown to the API: the loader names it, with the closest member.
                            None => Some(property.clone()),
                        }
                    })
                    .collect(),
            )
        }
        (Some(ShapeKind::List { member, .. }), NodeValue::Array(items)) => NodeValue::Array(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| convert(item, member, &format!("{written}[{i}]"), notes))
                .collect(),
        ),
        (Some(ShapeKind::Map { value }), NodeValue::Object(entries)) => NodeValue::Object(
            entries
                .iter()
                .filter_map(|entry| {
                    let path = format!("{written}.{}", entry.written);
                    Some(Member {
                        value: convert(&entry.value, value, &path, notes)?,
                        ..entry.clone()
                    })
                })
                .collect(),
        ),
        (Some(ShapeKind::Integer { .. }), NodeValue::String { text, .. }) => {
            match text.trim().parse::<i64>() {
                Ok(n) => NodeValue::Number(Number::from(n)),
                Err(_) => node.value.clone(),
            }
        }
        (Some(ShapeKind::Boolean), NodeValue::String { text, .. }) => match text.as_str() {
            "true" | "True" | "TRUE" => NodeValue::Bool(true),
            "false" | "False" | "FALSE" => NodeValue::Bool(false),
            _ => node.value.clone(),
        },
        (Some(ShapeKind::String { .. } | ShapeKind::Enum(_)), NodeValue::Number(n)) => {
            NodeValue::String {
                text: n.to_string(),
                column: None,
            }
        }
        (Some(ShapeKind::String { .. } | ShapeKind::Enum(_)), NodeValue::Bool(b)) => {
            NodeValue::String {
                text: b.to_string(),
                column: None,
            }
        }
        (_, value) => value.clone(),
    };
    Some(Node {
        pos: node.pos,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::super::located::{parse_json, parse_yaml};
    use super::*;

    #[test]
    fn placeholder_names() {
        assert_eq!(screaming_snake("DbHost"), "DB_HOST");
        assert_eq!(screaming_snake("AWS::Region"), "AWS_REGION");
        assert_eq!(screaming_snake("Role.Arn"), "ROLE_ARN");
        assert_eq!(screaming_snake("9lives"), "_9LIVES");
        assert_eq!(screaming_snake("::"), "CFN");
    }

    #[test]
    fn kinds_are_recognised() {
        let register =
            parse_json(r#"{"family": "web", "containerDefinitions": []}"#).expect("json");
        let found = definitions(&register).expect("a definition");
        assert_eq!(found[0].kind, Kind::Register);
        let describe =
            parse_json(r#"{"taskDefinition": {"family": "web"}, "tags": []}"#).expect("json");
        let found = definitions(&describe).expect("a definition");
        assert_eq!(
            (found[0].kind, found[0].inner),
            (Kind::Describe, "taskDefinition")
        );
        assert_eq!(found[0].locate("family").1, "taskDefinition.family");
        for other in [
            r#"{"name": "x"}"#,
            "[1]",
            r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#,
        ] {
            assert!(
                definitions(&parse_json(other).expect("json")).is_none(),
                "{other}"
            );
        }
    }

    #[test]
    fn cloudformation_is_mapped_to_the_api() {
        let template = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      Cpu: 256\n      ExecutionRoleArn: !GetAtt ExecRole.Arn\n      Memory: !If [Big, 1024, 512]\n      Volumes:\n        - Name: data\n          EFSVolumeConfiguration:\n            FilesystemId: fs-1\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub '${Repo}:latest'\n          Cpu: !Ref ContainerCpu\n          PortMappings:\n            - ContainerPort: '80'\n          Environment:\n            - Name: DB\n              Value: !Ref DbHost\n";
        let found = definitions(&parse_yaml(template).expect("yaml")).expect("a definition");
        assert_eq!(found.len(), 1);
        let definition = &found[0];
        assert_eq!(definition.resource.as_deref(), Some("Task"));
        assert_eq!(
            definition.node.to_value(),
            serde_json::json!({
                "family": "web",
                "cpu": "256",
                "memory": "${IF}",
                "executionRoleArn": "${EXEC_ROLE_ARN}",
                "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}],
                "containerDefinitions": [{
                    "name": "app",
                    "image": "${SUB}",
                    "portMappings": [{"containerPort": 80}],
                    "environment": [{"name": "DB", "value": "${DB_HOST}"}],
                }],
            })
        );
        let (found_port, written) =
            definition.locate("containerDefinitions[0].portMappings[0].containerPort");
        assert!(found_port.exact);
        assert_eq!(
            written,
            "Resources.Task.Properties.ContainerDefinitions[0].PortMappings[0].ContainerPort"
        );
        assert_eq!(found_port.node.pos.line, 18);
        assert_eq!(definition.notes.len(), 5, "{:#?}", definition.notes);
        assert!(definition.notes[1].contains("`Resources.Task.Properties.Memory`"));
        assert!(definition.notes[1].ends_with("checked as the placeholder `${IF}`"));
        assert!(
            definition.notes[3].contains("`Resources.Task.Properties.ContainerDefinitions[0].Cpu`")
        );
        assert!(definition.notes[3].ends_with("not checked"));
    }
}
