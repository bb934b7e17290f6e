//! What a declaration states beyond the task-definition JSON: the task's region and versions,
//! each container's KMS key and the fields of its Rust struct, and what `allow` lists silence.
//!
//! `RegisterTaskDefinition` takes none of it, but the rules read it and the placeholders in it
//! are substituted with the JSON's. It sits between the model and the rules: the derives, the
//! CLI and the runtime build it, the rules and the policy read it.

use crate::tree::Value;
use serde::ser::{SerializeStruct as _, Serializer};

use crate::de::{Error, FromJson};
use crate::json::{JsonWriter, WriteJson};

/// What the checks know beyond the task-definition JSON: values a declaration states but
/// `RegisterTaskDefinition` does not take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The task's region (`region`): same-region rules and names in the policy.
    pub region: Option<String>,
    /// The Fargate platform version the task runs on (`platform_version`), e.g. `1.4.0` or
    /// `LATEST`.
    pub platform_version: Option<String>,
    /// The minimum ECS container agent version of the EC2 instances (`agent_version`).
    pub agent_version: Option<String>,
    /// Rules silenced for the whole task (`#[ecs(allow(...))]` on the task).
    pub allow: Vec<String>,
    /// Per container, by index in `containerDefinitions`. Missing entries mean "nothing
    /// declared beyond the JSON".
    pub containers: Vec<ContainerContext>,
}

/// What a container's declaration states beyond its JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerContext {
    /// The customer-managed KMS key that encrypts this container's credentials and secrets
    /// (`kms_key`).
    pub kms_key: Option<String>,
    /// Rules silenced for this container.
    pub allow: Vec<String>,
    /// The fields of the container's Rust struct, for the environment rules. Empty for a
    /// definition built in code or read from JSON.
    pub fields: Vec<FieldInfo>,
}

/// One field of a `#[derive(Container)]` struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The Rust field name.
    pub name: String,
    /// The environment variable (or secret) name it maps to.
    pub variable: String,
    /// The field's type, as far as the environment rules care.
    pub ty: FieldType,
    /// Whether the type is `Option<...>`.
    pub optional: bool,
    /// What the field declares.
    pub value: FieldValue,
    /// Rules silenced for this field.
    pub allow: Vec<String>,
}

/// The primitive types an `env` literal is checked against; anything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum FieldType {
    Bool,
    Char,
    String,
    I8,
    I16,
    I32,
    I64,
    I128,
    Isize,
    U8,
    U16,
    U32,
    U64,
    U128,
    Usize,
    F32,
    F64,
    /// Any other type: the literal is not checked.
    Other,
}

/// What a field declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// `#[ecs(env = ...)]`, the literal as the environment will hold it.
    Env(String),
    /// `#[ecs(secret = "...")]`.
    Secret(String),
    /// `#[ecs(skip)]`: the service has its own default.
    Skip,
    /// Nothing declared.
    None,
}

// The serde impls are written out rather than derived, so that the model does not wait for
// `serde_derive` to build (every user's clean build has the model on its critical path). The
// derive passes a declaration's context to its impl as JSON in this shape: a struct as an
// object of its fields (`null` for `None`), `FieldType` as its variant's name and
// `FieldValue` as `{"Env": "..."}`, `{"Secret": "..."}`, `"Skip"` or `"None"`.

/// The fields of a struct in this module's JSON: an object, unknown keys ignored.
fn members<'a>(value: &'a Value, name: &str) -> Result<&'a crate::tree::Map, Error> {
    value
        .as_object()
        .ok_or_else(|| crate::de::invalid(value, &format!("struct {name}")))
}

impl serde::Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Context", 5)?;
        state.serialize_field("region", &self.region)?;
        state.serialize_field("platform_version", &self.platform_version)?;
        state.serialize_field("agent_version", &self.agent_version)?;
        state.serialize_field("allow", &self.allow)?;
        state.serialize_field("containers", &self.containers)?;
        state.end()
    }
}

impl FromJson for Context {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let map = members(value, "Context")?;
        Ok(Self {
            region: crate::de::optional(map, "region")?,
            platform_version: crate::de::optional(map, "platform_version")?,
            agent_version: crate::de::optional(map, "agent_version")?,
            allow: crate::de::required(map, "allow")?,
            containers: crate::de::required(map, "containers")?,
        })
    }
}

impl serde::Serialize for ContainerContext {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("ContainerContext", 3)?;
        state.serialize_field("kms_key", &self.kms_key)?;
        state.serialize_field("allow", &self.allow)?;
        state.serialize_field("fields", &self.fields)?;
        state.end()
    }
}

impl FromJson for ContainerContext {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let map = members(value, "ContainerContext")?;
        Ok(Self {
            kms_key: crate::de::optional(map, "kms_key")?,
            allow: crate::de::required(map, "allow")?,
            fields: crate::de::required(map, "fields")?,
        })
    }
}

impl serde::Serialize for FieldInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("FieldInfo", 6)?;
        state.serialize_field("name", &self.name)?;
        state.serialize_field("variable", &self.variable)?;
        state.serialize_field("ty", &self.ty)?;
        state.serialize_field("optional", &self.optional)?;
        state.serialize_field("value", &self.value)?;
        state.serialize_field("allow", &self.allow)?;
        state.end()
    }
}

impl FromJson for FieldInfo {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let map = members(value, "FieldInfo")?;
        Ok(Self {
            name: crate::de::required(map, "name")?,
            variable: crate::de::required(map, "variable")?,
            ty: crate::de::required(map, "ty")?,
            optional: crate::de::required(map, "optional")?,
            value: crate::de::required(map, "value")?,
            allow: crate::de::required(map, "allow")?,
        })
    }
}

impl FieldType {
    /// Every type, in declaration order (the serialized variant index).
    const ALL: [Self; 18] = [
        Self::Bool,
        Self::Char,
        Self::String,
        Self::I8,
        Self::I16,
        Self::I32,
        Self::I64,
        Self::I128,
        Self::Isize,
        Self::U8,
        Self::U16,
        Self::U32,
        Self::U64,
        Self::U128,
        Self::Usize,
        Self::F32,
        Self::F64,
        Self::Other,
    ];

    /// The variant's name, as serde's derive names it.
    const fn name(self) -> &'static str {
        match self {
            Self::Bool => "Bool",
            Self::Char => "Char",
            Self::String => "String",
            Self::I8 => "I8",
            Self::I16 => "I16",
            Self::I32 => "I32",
            Self::I64 => "I64",
            Self::I128 => "I128",
            Self::Isize => "Isize",
            Self::U8 => "U8",
            Self::U16 => "U16",
            Self::U32 => "U32",
            Self::U64 => "U64",
            Self::U128 => "U128",
            Self::Usize => "Usize",
            Self::F32 => "F32",
            Self::F64 => "F64",
            Self::Other => "Other",
        }
    }
}

impl serde::Serialize for FieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("FieldType", *self as u32, self.name())
    }
}

impl FromJson for FieldType {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let names = Self::ALL.map(Self::name);
        crate::de::variant(value, &names).map(|i| Self::ALL[i])
    }
}

impl serde::Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Env(v) => serializer.serialize_newtype_variant("FieldValue", 0, "Env", v),
            Self::Secret(v) => serializer.serialize_newtype_variant("FieldValue", 1, "Secret", v),
            Self::Skip => serializer.serialize_unit_variant("FieldValue", 2, "Skip"),
            Self::None => serializer.serialize_unit_variant("FieldValue", 3, "None"),
        }
    }
}

impl FromJson for FieldValue {
    fn from_json(value: &Value) -> Result<Self, Error> {
        if let Some(map) = value.as_object()
            && map.len() == 1
        {
            if let Some(v) = map.get("Env") {
                return String::from_json(v).map(Self::Env);
            }
            if let Some(v) = map.get("Secret") {
                return String::from_json(v).map(Self::Secret);
            }
        }
        match crate::de::variant(value, &["Skip", "None"]) {
            Ok(0) => Ok(Self::Skip),
            Ok(_) => Ok(Self::None),
            Err(_) => Err(crate::de::invalid(value, "enum FieldValue")),
        }
    }
}

// The derive writes a declaration's context with the model's own writer (compact, the
// `Serialize` impls' bytes with each `None` member left out, which the readers take as
// `None`): plain functions of this crate rather than serde_json's generic serializer, which a
// user's debug build runs unoptimised in the proc macro.

/// Writes `value` as member `key`, or nothing when it is `None`.
fn write_optional(w: &mut JsonWriter, key: &str, value: Option<&String>) {
    if let Some(value) = value {
        w.key(key);
        value.write_json(w);
    }
}

impl WriteJson for Context {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        write_optional(w, "region", self.region.as_ref());
        write_optional(w, "platform_version", self.platform_version.as_ref());
        write_optional(w, "agent_version", self.agent_version.as_ref());
        w.key("allow");
        self.allow.write_json(w);
        w.key("containers");
        self.containers.write_json(w);
        w.end_object();
    }
}

impl WriteJson for ContainerContext {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        write_optional(w, "kms_key", self.kms_key.as_ref());
        w.key("allow");
        self.allow.write_json(w);
        w.key("fields");
        self.fields.write_json(w);
        w.end_object();
    }
}

impl WriteJson for FieldInfo {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        w.key("name");
        w.string(&self.name);
        w.key("variable");
        w.string(&self.variable);
        w.key("ty");
        w.string(self.ty.name());
        w.key("optional");
        w.boolean(self.optional);
        w.key("value");
        self.value.write_json(w);
        w.key("allow");
        self.allow.write_json(w);
        w.end_object();
    }
}

impl WriteJson for FieldValue {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Self::Env(v) | Self::Secret(v) => {
                w.begin_object();
                w.key(if matches!(self, Self::Env(_)) {
                    "Env"
                } else {
                    "Secret"
                });
                w.string(v);
                w.end_object();
            }
            Self::Skip => w.string("Skip"),
            Self::None => w.string("None"),
        }
    }
}

macro_rules! deserialize_through_json {
    ($($ty:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::de::deserialize(deserializer)
            }
        }
    )*};
}

deserialize_through_json!(Context, ContainerContext, FieldInfo, FieldType, FieldValue);

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: FieldType, value: FieldValue) -> FieldInfo {
        FieldInfo {
            name: name.to_owned(),
            variable: name.to_uppercase(),
            ty,
            optional: ty == FieldType::Other,
            value,
            allow: vec!["env-not-read".to_owned()],
        }
    }

    #[test]
    fn context_json_has_serde_derives_shape_and_reads_back() {
        let context = Context {
            region: Some("eu-west-1".to_owned()),
            platform_version: None,
            agent_version: Some("1.80.0".to_owned()),
            allow: vec![],
            containers: vec![ContainerContext {
                kms_key: None,
                allow: vec![],
                fields: vec![
                    field("port", FieldType::U16, FieldValue::Env("8080".to_owned())),
                    field(
                        "key",
                        FieldType::String,
                        FieldValue::Secret("/k".to_owned()),
                    ),
                    field("log", FieldType::Other, FieldValue::Skip),
                    field("f64", FieldType::F64, FieldValue::None),
                ],
            }],
        };
        let json = serde_json::to_string(&context).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"region":"eu-west-1","platform_version":null,"agent_version":"1.80.0","allow":[],"containers":[{"kms_key":null,"allow":[],"fields":["#,
                r#"{"name":"port","variable":"PORT","ty":"U16","optional":false,"value":{"Env":"8080"},"allow":["env-not-read"]},"#,
                r#"{"name":"key","variable":"KEY","ty":"String","optional":false,"value":{"Secret":"/k"},"allow":["env-not-read"]},"#,
                r#"{"name":"log","variable":"LOG","ty":"Other","optional":true,"value":"Skip","allow":["env-not-read"]},"#,
                r#"{"name":"f64","variable":"F64","ty":"F64","optional":false,"value":"None","allow":["env-not-read"]}]}]}"#
            )
        );
        assert_eq!(serde_json::from_str::<Context>(&json).unwrap(), context);
        // The derive's form: the same bytes without the `None` members, read back the same.
        let compact = crate::json::to_compact_json(&context);
        assert_eq!(
            compact,
            json.replace(r#""platform_version":null,"#, "")
                .replace(r#""kms_key":null,"#, "")
        );
        assert_eq!(serde_json::from_str::<Context>(&compact).unwrap(), context);
        let full = Context {
            platform_version: Some("1.4.0".to_owned()),
            allow: vec!["a".to_owned()],
            containers: vec![ContainerContext {
                kms_key: Some("alias/k\"\n".to_owned()),
                ..ContainerContext::default()
            }],
            ..context.clone()
        };
        let compact = crate::json::to_compact_json(&full);
        assert_eq!(compact, serde_json::to_string(&full).unwrap());
        assert_eq!(serde_json::from_str::<Context>(&compact).unwrap(), full);
        let empty = Context::default();
        assert_eq!(
            crate::json::to_compact_json(&empty),
            r#"{"allow":[],"containers":[]}"#
        );
        assert_eq!(
            serde_json::from_str::<Context>(&crate::json::to_compact_json(&empty)).unwrap(),
            empty
        );
        for ty in FieldType::ALL {
            let json = serde_json::to_string(&ty).unwrap();
            assert_eq!(serde_json::from_str::<FieldType>(&json).unwrap(), ty);
        }
    }

    #[test]
    fn context_json_errors_say_what_is_wrong() {
        let err = serde_json::from_str::<ContainerContext>(r#"{"allow":[]}"#).unwrap_err();
        assert_eq!(err.to_string(), "missing field `fields`");
        let err = serde_json::from_str::<FieldValue>(r#"{"Env":1}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `1`, expected a string"
        );
        let err = serde_json::from_str::<FieldValue>(r#""Other""#).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid type: string "Other", expected enum FieldValue"#
        );
    }
}
