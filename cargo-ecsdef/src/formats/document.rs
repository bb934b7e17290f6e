//! What the formats that restate a task definition in other names share: a JSON document
//! that keeps its members in the order they were put in, the walk of AWS's model that
//! renames the members of a definition, and the execution role's inline policy.
//!
//! The walk follows AWS's model ([`ecsdef_model::schema`]) member by member, so a converted
//! definition keeps AWS's member order and is as byte-stable as the canonical JSON.

use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::Value;

use ecsdef_model::policy::PolicyDocument;
use ecsdef_model::schema::{self, ShapeKind};

use super::FormatError;

/// JSON with object members in the order they were inserted (serde_json's `Value` sorts them
/// unless its `preserve_order` feature is on, which would change other crates' output).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ordered {
    Leaf(Value),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    pub(super) fn string(s: impl Into<String>) -> Self {
        Ordered::Leaf(Value::String(s.into()))
    }

    pub(super) fn object<const N: usize>(members: [(&str, Ordered); N]) -> Self {
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

/// Walks `value` (of AWS shape `shape`, at JSON path `path`) in AWS's member order, renaming
/// each member with `rename`, which returns `None` for a member the format (named `format`)
/// cannot express.
pub(super) fn convert(
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

/// An IAM policy document, as IAM spells its members.
pub(super) fn policy_document(policy: &PolicyDocument) -> Ordered {
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
pub(super) fn role_name(role: &str) -> &str {
    role.rsplit_once('/').map_or(role, |(_, name)| name)
}

/// The name of the inline policy ecsdef attaches to a family's execution role.
pub(super) fn policy_name(family: &str) -> String {
    format!("{family}-ecsdef-execution")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(role_name("arn:aws:iam::123456789012:role/a/b/name"), "name");
        assert_eq!(role_name("plain"), "plain");
        assert_eq!(policy_name("web"), "web-ecsdef-execution");
    }
}
