//! Reading a container's configuration struct from the environment ECS gives it: the same
//! variable names the declaration puts into the task definition, so the two cannot drift.

use serde_core::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::model::rules::{FieldType, FieldValue};
use crate::traits::Container;

/// Why the configuration could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The environment variable, when one is at fault.
    pub variable: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.variable {
            Some(v) => write!(f, "environment variable `{v}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads `T` from the process environment. Each field is read from the variable its
/// declaration names (`env` and `secret` fields alike: ECS sets both as environment
/// variables), parsed as the field's type, and the whole deserialized with serde.
///
/// A variable that is not set leaves the field to serde: `None` for an `Option`, the default
/// for a `#[serde(default)]` field, an error otherwise.
///
/// ```
/// use ecsdef::Container;
///
/// #[derive(Container, serde::Deserialize)]
/// #[ecs(image = "ghcr.io/acme/web:1.4.2")]
/// struct Web {
///     #[ecs(env = 8080)]
///     port: u16,
///     feature_flags: Option<String>,
/// }
///
/// let web: Web = ecsdef::config_from(|name| (name == "PORT").then(|| "9090".to_owned())).unwrap();
/// assert_eq!(web.port, 9090);
/// assert_eq!(web.feature_flags, None);
/// ```
pub fn config_from_env<T: Container + DeserializeOwned>() -> Result<T, ConfigError> {
    config_from(|name| std::env::var(name).ok())
}

/// Reads `T` from the variables `lookup` returns (see [`config_from_env`]).
pub fn config_from<T: Container + DeserializeOwned>(
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<T, ConfigError> {
    let fields = T::container_context().fields;
    let mut object = Map::new();
    for field in fields.iter().cloned() {
        let Some(text) = lookup(&field.variable) else {
            continue;
        };
        let value = match field.ty {
            FieldType::Bool => text.parse().map(Value::Bool).map_err(|_| "a boolean"),
            FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64 | FieldType::Isize => {
                text.parse::<i64>()
                    .map(|n| Value::Number(n.into()))
                    .map_err(|_| "an integer")
            }
            FieldType::U8 | FieldType::U16 | FieldType::U32 | FieldType::U64 | FieldType::Usize => {
                text.parse::<u64>()
                    .map(|n| Value::Number(n.into()))
                    .map_err(|_| "a non-negative integer")
            }
            FieldType::F32 | FieldType::F64 => text
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or("a number"),
            // 128-bit integers, chars, strings and other types go as text: serde parses them.
            _ => Ok(Value::String(text.clone())),
        };
        let value = value.map_err(|expected| ConfigError {
            variable: Some(field.variable.clone()),
            // A secret's value is never repeated, not even in an error.
            message: if matches!(field.value, FieldValue::Secret(_)) {
                format!(
                    "the secret's value is not {expected} (field `{}`)",
                    field.name
                )
            } else {
                format!("`{text}` is not {expected} (field `{}`)", field.name)
            },
        })?;
        object.insert(field.name, value);
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| {
        let message = e.to_string();
        // serde names a field it did not get by its Rust name; the user sets a variable.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .and_then(|name| fields.iter().find(|f| f.name == name));
        match missing {
            Some(field) => ConfigError {
                variable: Some(field.variable.clone()),
                message: format!("not set (field `{}` requires it)", field.name),
            },
            None => ConfigError {
                variable: None,
                message,
            },
        }
    })
}
