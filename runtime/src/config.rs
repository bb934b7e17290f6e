//! Reading a container's configuration struct from the environment ECS gives it: the same
//! variable names the declaration puts into the task definition, so the two cannot drift.

use std::collections::BTreeMap;

use serde_core::de::value::{Error, MapDeserializer};
use serde_core::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use serde_core::forward_to_deserialize_any;

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
    // By field name, the order a JSON object gives serde: of two wrong values, the first by
    // name is the one reported.
    let mut values = BTreeMap::new();
    for field in fields.iter().cloned() {
        let Some(text) = lookup(&field.variable) else {
            continue;
        };
        let value = match field.ty {
            FieldType::Bool => text.parse().map(Input::Bool).map_err(|_| "a boolean"),
            FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64 | FieldType::Isize => {
                text.parse().map(Input::Signed).map_err(|_| "an integer")
            }
            FieldType::U8 | FieldType::U16 | FieldType::U32 | FieldType::U64 | FieldType::Usize => {
                text.parse()
                    .map(Input::Unsigned)
                    .map_err(|_| "a non-negative integer")
            }
            FieldType::F32 | FieldType::F64 => text
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .map(Input::Float)
                .ok_or("a number"),
            // 128-bit integers, chars, strings and other types go as text: serde parses them.
            _ => Ok(Input::Text(text.clone())),
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
        values.insert(field.name, value);
    }
    deserialize_fields::<T>(values).map_err(|e| {
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

/// `T` from its fields' values, as a map of field names to values.
fn deserialize_fields<T: DeserializeOwned>(
    values: impl IntoIterator<Item = (String, Input)>,
) -> Result<T, Error> {
    T::deserialize(MapDeserializer::new(values.into_iter()))
}

/// A variable's value as `config_from` hands it to serde: parsed as the field's type says, or
/// the text. It reads as the same value in JSON would (`serde_json::Value`, the reference its
/// tests hold it to): a value that is there is `Some`, a newtype struct is its inside, text
/// names an enum's unit variant.
#[cfg_attr(test, derive(Debug, Clone, PartialEq))]
enum Input {
    Bool(bool),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Text(String),
}

impl Input {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Input::Bool(b) => Unexpected::Bool(*b),
            Input::Signed(n) => Unexpected::Signed(*n),
            Input::Unsigned(n) => Unexpected::Unsigned(*n),
            Input::Float(n) => Unexpected::Float(*n),
            Input::Text(s) => Unexpected::Str(s),
        }
    }
}

impl IntoDeserializer<'_, Error> for Input {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Input {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Input::Bool(b) => visitor.visit_bool(b),
            Input::Signed(n) => visitor.visit_i64(n),
            Input::Unsigned(n) => visitor.visit_u64(n),
            Input::Float(n) => visitor.visit_f64(n),
            Input::Text(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Input::Text(s) => s
                .into_deserializer()
                .deserialize_enum(name, variants, visitor),
            other => Err(de::Error::invalid_type(
                other.unexpected(),
                &"string or map",
            )),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Number, Value, json};

    use super::{Input, deserialize_fields};

    #[derive(Debug, PartialEq, Deserialize)]
    struct One<T> {
        v: T,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Port(u16);

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Mode {
        Fast,
        Slow,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shapes {
        Unit,
        Newtype(u8),
        Tuple(u8, u8),
        Struct { a: u8 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Unit;

    #[derive(Debug, PartialEq, Deserialize)]
    struct WithDefault {
        #[serde(default)]
        a: u16,
        b: Option<String>,
        c: String,
    }

    fn json(input: &Input) -> Value {
        match input {
            Input::Bool(b) => Value::Bool(*b),
            Input::Signed(n) => (*n).into(),
            Input::Unsigned(n) => (*n).into(),
            Input::Float(n) => Value::Number(Number::from_f64(*n).expect("finite")),
            Input::Text(s) => s.clone().into(),
        }
    }

    /// `T` read from `fields` by `config_from`'s deserializer, or its error's text.
    fn ours<T: DeserializeOwned>(fields: &[(&str, Input)]) -> Result<T, String> {
        let values = fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone()));
        deserialize_fields(values).map_err(|e| e.to_string())
    }

    /// The same from the same values in JSON, through `serde_json::Value`.
    fn reference<T: DeserializeOwned>(fields: &[(&str, Input)]) -> Result<T, String> {
        let object = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json(v)))
            .collect();
        serde_json::from_value(Value::Object(object)).map_err(|e| e.to_string())
    }

    fn inputs() -> Vec<Input> {
        let mut inputs = vec![
            Input::Bool(true),
            Input::Bool(false),
            Input::Signed(-5),
            Input::Signed(300),
            Input::Signed(i64::MIN),
            Input::Unsigned(7),
            Input::Unsigned(70_000),
            Input::Unsigned(u64::MAX),
            Input::Float(1.5),
            // Not a large float: serde_json writes one in exponent form in an error, where
            // serde writes every digit; `config_from` gives a float only to a float field.
            Input::Float(-2.0),
        ];
        let texts = "|x|fast|Fast|slow|Unit|Newtype|Tuple|Struct|7|-5|1.5|true|é|ab|127.0.0.1:8080|null|[1]";
        inputs.extend(texts.split('|').map(|text| Input::Text(text.to_owned())));
        inputs
    }

    fn same_as_json<T: DeserializeOwned + PartialEq + Debug>() {
        for input in inputs() {
            let fields = [("v", input.clone())];
            assert_eq!(
                ours::<One<T>>(&fields),
                reference::<One<T>>(&fields),
                "{input:?} as {}",
                std::any::type_name::<T>()
            );
        }
    }

    #[test]
    fn every_value_reads_as_the_same_json_would() {
        same_as_json::<bool>();
        same_as_json::<i8>();
        same_as_json::<i16>();
        same_as_json::<i32>();
        same_as_json::<i64>();
        same_as_json::<i128>();
        same_as_json::<isize>();
        same_as_json::<u8>();
        same_as_json::<u16>();
        same_as_json::<u32>();
        same_as_json::<u64>();
        same_as_json::<u128>();
        same_as_json::<usize>();
        same_as_json::<f32>();
        same_as_json::<f64>();
        same_as_json::<char>();
        same_as_json::<String>();
        same_as_json::<Box<str>>();
        same_as_json::<std::path::PathBuf>();
        same_as_json::<std::net::SocketAddr>();
        same_as_json::<Option<u16>>();
        same_as_json::<Option<bool>>();
        same_as_json::<Option<String>>();
        same_as_json::<Option<Option<i8>>>();
        same_as_json::<Port>();
        same_as_json::<Option<Port>>();
        same_as_json::<Mode>();
        same_as_json::<Option<Mode>>();
        same_as_json::<Shapes>();
        same_as_json::<Unit>();
        same_as_json::<()>();
        same_as_json::<Vec<String>>();
        same_as_json::<(u8, u8)>();
        same_as_json::<std::collections::BTreeMap<String, String>>();
        same_as_json::<std::time::Duration>();
        same_as_json::<serde::de::IgnoredAny>();
    }

    #[test]
    fn missing_and_defaulted_fields_read_as_the_same_json_would() {
        let text = |s: &str| Input::Text(s.to_owned());
        for fields in [
            vec![],
            vec![("c", text("x"))],
            vec![("a", Input::Unsigned(3)), ("c", text("x"))],
            vec![("b", text("y")), ("c", text("x"))],
            vec![("a", Input::Unsigned(3)), ("b", text("y"))],
            vec![("c", text("x")), ("other", Input::Bool(true))],
        ] {
            assert_eq!(
                ours::<WithDefault>(&fields),
                reference::<WithDefault>(&fields),
                "{fields:?}"
            );
        }
        // And the whole is held to the JSON it stands for.
        assert_eq!(
            ours::<WithDefault>(&[("c", text("x"))]),
            Ok(serde_json::from_value(json!({"c": "x"})).expect("valid"))
        );
    }
}
