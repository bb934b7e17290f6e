//! Deserializing the model from a JSON tree ([`crate::tree::Value`]), for the generated
//! `Deserialize` impls.
//!
//! serde's derived `Deserialize` instantiates serde_json's deserializer (map and sequence
//! visitors, field identifiers, enum access) for each of the model's 61 types: about a third of
//! the crate's generated machine code, paid by every user in build time. The generated impls
//! instead read a tree (one instantiation of the deserializer, in the caller's crate) and
//! convert it with the small functions here. The error messages are serde's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::tree::{Map, Value};

/// A conversion error, with serde's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => format!("integer `{i}`"),
            (None, Some(u)) => format!("integer `{u}`"),
            _ => format!("floating point `{n}`"),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

pub(crate) fn invalid(value: &Value, expected: &str) -> Error {
    Error(format!(
        "invalid type: {}, expected {expected}",
        kind(value)
    ))
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "there are none".to_owned(),
        [one] => format!("`{one}`"),
        _ => format!("one of {}", backticked(names)),
    }
}

/// `` `a`, `b`, `c` ``: names in backticks, comma-separated (one loop where each message
/// would otherwise map, collect and join names of its own).
pub(crate) fn backticked(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "`{n}`");
    }
    out
}

/// A type the generated impls can read from a JSON value.
pub trait FromJson: Sized {
    /// Reads `value`.
    fn from_json(value: &Value) -> Result<Self, Error>;
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, Error> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| invalid(value, "a string"))
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value.as_i64() {
            Some(n) => i32::try_from(n)
                .map_err(|_| Error(format!("invalid value: integer `{n}`, expected i32"))),
            None => Err(invalid(value, "i32")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, Error> {
        value.as_bool().ok_or_else(|| invalid(value, "a boolean"))
    }
}

// The two impls below are instantiated for every list and map type of the model: plain loops,
// since collecting an iterator of `Result`s instantiates a dozen adapters (and, into a
// `BTreeMap`, a sort) for each, and a `match` rather than `?`, which instantiates `Try` for
// each.

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let Value::Array(items) = value else {
            return Err(invalid(value, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match T::from_json(item) {
                Ok(item) => out.push(item),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(invalid(value, "a map"));
        };
        let mut out = BTreeMap::new();
        for (key, value) in map {
            match T::from_json(value) {
                Ok(value) => {
                    out.insert(key.clone(), value);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

/// The members of a structure: an object whose keys are all among `fields`.
pub fn object<'a>(value: &'a Value, shape: &str, fields: &[&str]) -> Result<&'a Map, Error> {
    let Value::Object(map) = value else {
        return Err(invalid(value, &format!("struct {shape}")));
    };
    if let Some(key) = map.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(Error(format!(
            "unknown field `{key}`, expected {}",
            one_of(fields)
        )));
    }
    Ok(map)
}

/// A required member's value, or serde's error when it is absent.
pub fn required_member<'a>(map: &'a Map, field: &str) -> Result<&'a Value, Error> {
    match map.get(field) {
        Some(value) => Ok(value),
        None => Err(Error(format!("missing field `{field}`"))),
    }
}

/// An optional member's value: `None` when it is absent or `null`.
pub fn member<'a>(map: &'a Map, field: &str) -> Option<&'a Value> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(value) => Some(value),
    }
}

/// Reads a required member into `slot`, for the generated impls of types with a `Default`.
pub fn read_required<T: FromJson>(map: &Map, field: &str, slot: &mut T) -> Result<(), Error> {
    match T::from_json(required_member(map, field)?) {
        Ok(value) => *slot = value,
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Reads an optional member into `slot`, which keeps its value when the member is absent or
/// `null` (see [`member`]), for the generated impls of types with a `Default`.
pub fn read_optional<T: FromJson>(
    map: &Map,
    field: &str,
    slot: &mut Option<T>,
) -> Result<(), Error> {
    if let Some(value) = member(map, field) {
        match T::from_json(value) {
            Ok(value) => *slot = Some(value),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A required member.
pub fn required<T: FromJson>(map: &Map, field: &str) -> Result<T, Error> {
    match required_member(map, field) {
        Ok(value) => T::from_json(value),
        Err(e) => Err(e),
    }
}

/// An optional member: absent or `null` is `None` (see [`member`]).
pub fn optional<T: FromJson>(map: &Map, field: &str) -> Result<Option<T>, Error> {
    match member(map, field) {
        None => Ok(None),
        Some(value) => match T::from_json(value) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e),
        },
    }
}

/// An enum value: the index of the string among `variants` (the wire values, in AWS's order,
/// which is also the order of the enum's `ALL`).
pub fn variant(value: &Value, variants: &[&str]) -> Result<usize, Error> {
    match value.as_str() {
        Some(s) => variants.iter().position(|v| *v == s).ok_or_else(|| {
            Error(format!(
                "unknown variant `{s}`, expected {}",
                one_of(variants)
            ))
        }),
        None => Err(invalid(value, "a string")),
    }
}

/// An enum's `FromStr`: the index of `s` among `variants` (the wire values, in the order of the
/// enum's `ALL`), or the error that lists them all.
pub fn variant_from_str(
    enum_name: &'static str,
    s: &str,
    variants: &[&'static str],
) -> Result<usize, crate::UnknownEnumValue> {
    match variants.iter().position(|v| *v == s) {
        Some(i) => Ok(i),
        None => Err(crate::UnknownEnumValue {
            enum_name,
            value: s.to_owned(),
            expected: variants.to_vec(),
        }),
    }
}

/// The `Deserialize` impls' common part: any self-describing format, through a JSON value.
pub fn deserialize<'de, T: FromJson, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_json(&value).map_err(<D::Error as serde::de::Error>::custom)
}

/// The JSON type a member of the model takes, for [`wrong_type`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg(feature = "files")]
pub(crate) enum Expected {
    String,
    Integer,
    Boolean,
}

/// Python's name of a JSON value's type, as the AWS CLI's "Invalid type for parameter"
/// error names it.
#[cfg(feature = "files")]
fn python_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "<class 'NoneType'>",
        serde_json::Value::Bool(_) => "<class 'bool'>",
        serde_json::Value::Number(n) if n.is_f64() => "<class 'float'>",
        serde_json::Value::Number(_) => "<class 'int'>",
        serde_json::Value::String(_) => "<class 'str'>",
        serde_json::Value::Array(_) => "<class 'list'>",
        serde_json::Value::Object(_) => "<class 'dict'>",
    }
}

/// The message and the fix for a scalar member of the wrong JSON type: what AWS answers
/// (the AWS CLI checks types before it sends anything: "Invalid type for parameter PATH,
/// value: 80, type: <class 'str'>, valid types: <class 'int'>"; the ECS API, reached by
/// other clients, answers "STRING_VALUE cannot be converted to Integer"), and how to write
/// the value instead. `None` when the value is not a scalar written as the wrong one (an
/// object where a string goes): the loader's plain "expected ..., found ..." says it.
#[cfg(feature = "files")]
pub(crate) fn wrong_type(
    value: &serde_json::Value,
    expected: Expected,
    path: &str,
) -> Option<(String, String)> {
    // The value of a name and value pair (an environment variable's) may be a secret: it is
    // described, never repeated.
    let hidden = path.rsplit('.').next() == Some("value");
    let described = |kind: &str| ("...".to_owned(), kind.to_owned());
    let (shown, found) = match value {
        serde_json::Value::String(_) if hidden => described("a string"),
        serde_json::Value::Number(_) if hidden => described("a number"),
        serde_json::Value::Bool(_) if hidden => described("a boolean"),
        serde_json::Value::String(s) => (s.clone(), format!("the string {s:?}")),
        serde_json::Value::Number(n) => (n.to_string(), format!("the number {n}")),
        serde_json::Value::Bool(b) => (b.to_string(), format!("the boolean {b}")),
        _ => return None,
    };
    let (wanted, python, api) = match expected {
        Expected::String => ("a string", "<class 'str'>", None),
        Expected::Integer => (
            "an integer",
            "<class 'int'>",
            value
                .is_string()
                .then_some("STRING_VALUE cannot be converted to Integer"),
        ),
        Expected::Boolean => ("a boolean", "<class 'bool'>", None),
    };
    let mut message = format!(
        "expected {wanted}, found {found}: AWS refuses it (the AWS CLI: \"Invalid type for \
         parameter {path}, value: {shown}, type: {}, valid types: {python}\"",
        python_type(value)
    );
    if let Some(api) = api {
        let _ = write!(message, "; the ECS API: \"{api}\"");
    }
    message.push(')');
    let fix = match (expected, value) {
        (Expected::Integer, serde_json::Value::String(s)) if s.trim().parse::<i64>().is_ok() => {
            format!("write `{}` without quotes", s.trim())
        }
        (Expected::Boolean, serde_json::Value::String(s))
            if matches!(s.trim(), "true" | "false") =>
        {
            format!("write `{}` without quotes", s.trim())
        }
        (Expected::String, serde_json::Value::Number(_) | serde_json::Value::Bool(_))
            if !hidden =>
        {
            format!("write `\"{shown}\"` in quotes")
        }
        (Expected::Integer, _) => "write a whole number without quotes".to_owned(),
        (Expected::Boolean, _) => "write `true` or `false` without quotes".to_owned(),
        (Expected::String, _) => "write the value in quotes".to_owned(),
    };
    Some((message, fix))
}

/// The message and the fix for an object where a list goes or the other way round: what the
/// AWS CLI answers ("Invalid type for parameter tags, value: ..., type: <class 'dict'>, valid
/// types: <class 'list'>, <class 'tuple'>"), and, for `tags` written as a map (as
/// CloudFormation's and Terraform's tags are), the list ECS takes.
#[cfg(feature = "files")]
pub(crate) fn wrong_shape(value: &serde_json::Value, list: bool, path: &str) -> (String, String) {
    let (wanted, valid) = if list {
        ("an array", "<class 'list'>, <class 'tuple'>")
    } else {
        ("an object", "<class 'dict'>")
    };
    let found = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    };
    let message = format!(
        "expected {wanted}, found {found}: AWS refuses it (the AWS CLI: \"Invalid type for \
         parameter {path}, value: ..., type: {}, valid types: {valid}\")",
        python_type(value)
    );
    let is_tags = path.rsplit('.').next() == Some("tags");
    let fix = match value {
        serde_json::Value::Object(map) if list && is_tags => {
            let pairs: Vec<String> = map
                .iter()
                .take(2)
                .map(|(k, v)| {
                    let v = v
                        .as_str()
                        .map_or_else(|| v.to_string(), |s| format!("{s:?}"));
                    format!("{{\"key\": {k:?}, \"value\": {v}}}")
                })
                .collect();
            let more = if map.len() > 2 { ", ..." } else { "" };
            format!(
                "tags are a list of `key`/`value` objects: write `[{}{more}]`",
                pairs.join(", ")
            )
        }
        _ if list => "write a JSON array `[...]`".to_owned(),
        _ => "write a JSON object `{...}`".to_owned(),
    };
    (message, fix)
}

/// The message and the fix for an empty string where an enum's value goes, as console exports
/// and CLI skeletons write unset members (`"ipcMode": ""`): ECS refuses it ("ClientException:
/// is not a valid value for ipcMode. The value must be one of [host,task,none]"), and an
/// absent member is what takes ECS's default.
#[cfg(feature = "files")]
pub(crate) fn empty_enum(shape: &str, path: &str, values: &[&str]) -> (String, String) {
    let member = path.rsplit(['.', ']']).next().unwrap_or(path);
    (
        format!(
            "an empty string is not a valid {shape}: ECS refuses it (\"ClientException:  is not \
             a valid value for {member}. The value must be one of [{}]\")",
            values.join(",")
        ),
        format!(
            "remove `{member}`: an absent member takes ECS's default (or write one of {})",
            backticked(values)
        ),
    )
}

/// The value at a JSON path of a loader's error (`containerDefinitions[0].memory`); a key may
/// hold dots, so the longest key that fits is taken.
#[cfg(feature = "files")]
fn value_at<'a>(root: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut value = root;
    let mut rest = path;
    loop {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if rest.is_empty() {
            return Some(value);
        }
        if let Some(after) = rest.strip_prefix('[') {
            let (index, tail) = after.split_once(']')?;
            value = value.as_array()?.get(index.parse::<usize>().ok()?)?;
            rest = tail;
        } else {
            let (key, child) = value
                .as_object()?
                .iter()
                .filter(|(k, _)| {
                    rest.strip_prefix(k.as_str())
                        .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
                })
                .max_by_key(|(k, _)| k.len())?;
            value = child;
            rest = &rest[key.len()..];
        }
    }
}

/// Rewrites the loaders' type errors about scalars (`expected an integer, found a string`)
/// and empty enum values to say what AWS answers to them and how to fix the file (see
/// [`wrong_type`] and [`empty_enum`]). The `extra` JSON of the derives keeps the plain words.
#[cfg(feature = "files")]
pub(crate) fn say_what_aws_answers(
    root: &serde_json::Value,
    errors: &mut [crate::json::LoadError],
) {
    for error in errors {
        let expected = match error.message.split(", found ").next() {
            Some("expected a string") => Expected::String,
            Some("expected an integer") => Expected::Integer,
            Some("expected a boolean") => Expected::Boolean,
            Some(wanted @ ("expected an array" | "expected an object")) => {
                if let Some(value) = value_at(root, &error.path) {
                    let (message, fix) =
                        wrong_shape(value, wanted == "expected an array", &error.path);
                    error.message = message;
                    error.help = Some(fix);
                }
                continue;
            }
            _ => {
                let empty_enum_value = error.message.starts_with("`` is not a valid ");
                if let (true, Some(shape)) = (
                    empty_enum_value,
                    error.message.strip_prefix("`` is not a valid "),
                ) && let Some(crate::schema::ShapeKind::Enum(values)) =
                    crate::schema::shape(shape).map(|s| s.kind)
                {
                    let (message, fix) = empty_enum(shape, &error.path, values);
                    error.message = message;
                    error.help = Some(fix);
                }
                continue;
            }
        };
        if let Some(value) = value_at(root, &error.path)
            && let Some((message, fix)) = wrong_type(value, expected, &error.path)
        {
            error.message = message;
            error.help = Some(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn wrong_types_say_what_aws_answers_and_the_fix() {
        let path = "containerDefinitions[0].portMappings[0].containerPort";
        let (message, fix) =
            wrong_type(&Value::from("80"), Expected::Integer, path).expect("a scalar");
        assert_eq!(
            message,
            "expected an integer, found the string \"80\": AWS refuses it (the AWS CLI: \
             \"Invalid type for parameter containerDefinitions[0].portMappings[0].containerPort, \
             value: 80, type: <class 'str'>, valid types: <class 'int'>\"; the ECS API: \
             \"STRING_VALUE cannot be converted to Integer\")"
        );
        assert_eq!(fix, "write `80` without quotes");
        let (message, fix) =
            wrong_type(&Value::from(256), Expected::String, "cpu").expect("a scalar");
        assert!(message.contains("value: 256, type: <class 'int'>, valid types: <class 'str'>"));
        assert_eq!(fix, "write `\"256\"` in quotes");
        let (_, fix) =
            wrong_type(&Value::from("true"), Expected::Boolean, "essential").expect("a scalar");
        assert_eq!(fix, "write `true` without quotes");
        let (_, fix) =
            wrong_type(&Value::from("eighty"), Expected::Integer, "memory").expect("a scalar");
        assert_eq!(fix, "write a whole number without quotes");
        assert_eq!(
            wrong_type(&serde_json::json!({}), Expected::String, "x"),
            None
        );
        // An environment variable's value may be a secret: described, never repeated.
        let path = "containerDefinitions[0].environment[1].value";
        let (message, fix) =
            wrong_type(&Value::from(12_345_678), Expected::String, path).expect("a scalar");
        assert_eq!(
            message,
            "expected a string, found a number: AWS refuses it (the AWS CLI: \"Invalid type for \
             parameter containerDefinitions[0].environment[1].value, value: ..., \
             type: <class 'int'>, valid types: <class 'str'>\")"
        );
        assert_eq!(fix, "write the value in quotes");
    }

    #[test]
    fn tags_as_a_map_are_told_the_list_ecs_takes() {
        let (message, fix) = wrong_shape(
            &serde_json::json!({"Project": "Radar", "Team": "core", "Env": "prod"}),
            true,
            "tags",
        );
        assert_eq!(
            message,
            "expected an array, found an object: AWS refuses it (the AWS CLI: \"Invalid type for \
             parameter tags, value: ..., type: <class 'dict'>, valid types: <class 'list'>, \
             <class 'tuple'>\")"
        );
        assert_eq!(
            fix,
            "tags are a list of `key`/`value` objects: write `[{\"key\": \"Env\", \"value\": \
             \"prod\"}, {\"key\": \"Project\", \"value\": \"Radar\"}, ...]`"
        );
        let (_, fix) = wrong_shape(&Value::from("x"), false, "logConfiguration");
        assert_eq!(fix, "write a JSON object `{...}`");
    }

    #[test]
    fn empty_enums_say_what_ecs_answers_and_the_fix() {
        let (message, fix) = empty_enum("IpcMode", "ipcMode", &["host", "task", "none"]);
        assert_eq!(
            message,
            "an empty string is not a valid IpcMode: ECS refuses it (\"ClientException:  is \
             not a valid value for ipcMode. The value must be one of [host,task,none]\")"
        );
        assert_eq!(
            fix,
            "remove `ipcMode`: an absent member takes ECS's default (or write one of `host`, \
             `task`, `none`)"
        );
    }

    /// The lenient loader reads what AWS reads: nulls, describe-only members and the wrapper
    /// are normalised; what AWS refuses is reported, every problem of the file at once.
    #[test]
    fn the_lenient_loader_reports_every_refusal_at_once() {
        let errors = crate::json::from_json_lenient(
            r#"{"taskDefinition": {"family": "web", "revision": 3, "cpu": 256, "ipcMode": "",
                "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "memory": null,
                "essential": "true", "portMappings": [{"containerPort": "80"}]}]}}"#,
        )
        .expect_err("AWS refuses it");
        let got: Vec<(&str, Option<&str>)> = errors
            .0
            .iter()
            .map(|e| (e.path.as_str(), e.help.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "containerDefinitions[0].essential",
                    Some("write `true` without quotes")
                ),
                (
                    "containerDefinitions[0].portMappings[0].containerPort",
                    Some("write `80` without quotes")
                ),
                ("cpu", Some("write `\"256\"` in quotes")),
                (
                    "ipcMode",
                    Some(
                        "remove `ipcMode`: an absent member takes ECS's default (or write one \
                         of `host`, `task`, `none`)"
                    )
                ),
            ]
        );
    }
}
