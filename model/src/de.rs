//! Deserializing the model from a `serde_json::Value`, for the generated `Deserialize` impls.
//!
//! serde's derived `Deserialize` instantiates serde_json's deserializer (map and sequence
//! visitors, field identifiers, enum access) for each of the model's 61 types: about a third of
//! the crate's generated machine code, paid by every user in build time. The generated impls
//! instead read a `serde_json::Value` (one instantiation, shared with everything else that
//! parses JSON) and convert it with the small functions here. The error messages are serde's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

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

fn invalid(value: &Value, expected: &str) -> Error {
    Error(format!(
        "invalid type: {}, expected {expected}",
        kind(value)
    ))
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "there are none".to_owned(),
        [one] => format!("`{one}`"),
        _ => {
            let mut out = String::from("one of ");
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "`{n}`");
            }
            out
        }
    }
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

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items.iter().map(T::from_json).collect(),
            _ => Err(invalid(value, "a sequence")),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| Ok((k.clone(), T::from_json(v)?)))
                .collect(),
            _ => Err(invalid(value, "a map")),
        }
    }
}

/// The members of a structure: an object whose keys are all among `fields`.
pub fn object<'a>(
    value: &'a Value,
    shape: &str,
    fields: &[&str],
) -> Result<&'a Map<String, Value>, Error> {
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

/// A required member.
pub fn required<T: FromJson>(map: &Map<String, Value>, field: &str) -> Result<T, Error> {
    match map.get(field) {
        Some(value) => T::from_json(value),
        None => Err(Error(format!("missing field `{field}`"))),
    }
}

/// An optional member: absent or `null` is `None`.
pub fn optional<T: FromJson>(map: &Map<String, Value>, field: &str) -> Result<Option<T>, Error> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::from_json(value).map(Some),
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

/// The `Deserialize` impls' common part: any self-describing format, through a JSON value.
pub fn deserialize<'de, T: FromJson, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_json(&value).map_err(<D::Error as serde::de::Error>::custom)
}
