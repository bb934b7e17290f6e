//! Environment rules: every variable the service needs is set, set to a value of its type,
//! once, and never to a secret in plain text.

use super::{ContainerContext, Diagnostic, FieldType, FieldValue, Location, container_path};
use crate::placeholder::contains_placeholder;
use crate::rule::{Level, Rule, Scope, aws_docs};
use crate::{ContainerDefinition, TaskDefinition};

/// A field the service needs that the task would not set.
pub const MISSING_ENV_VALUE: Rule = Rule {
    name: "missing-env-value",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a field that is not an `Option` needs `env`, `secret` or `skip`: the service would start without a variable it requires",
    help: "give it `#[ecs(env = ...)]` or `#[ecs(secret = \"...\")]`, make it an `Option`, or mark it `#[ecs(skip)]` if the service has a default",
    link: aws_docs::SECRETS_ENV,
    order: 204,
};

/// An `env` literal that is not a value of its field's type.
pub const ENV_VALUE_TYPE: Rule = Rule {
    name: "env-value-type",
    level: Level::Error,
    scope: Scope::Container,
    summary: "an `env` literal must parse as the field's primitive type",
    help: "give a literal that parses as the field's type",
    link: aws_docs::SECRETS_ENV,
    order: 205,
};

/// A secret in plain text in the environment.
pub const PLAINTEXT_SECRET_IN_ENV: Rule = Rule {
    name: "plaintext-secret-in-env",
    level: Level::Error,
    scope: Scope::Container,
    summary: "an environment value that is an AWS access key id or a private key, or a literal in a variable named like a secret (`*PASSWORD`, `*SECRET`, `*TOKEN`, `*API_KEY`, ...): use `secret`",
    help: "store it in Secrets Manager or SSM and use `secret = \"...\"`",
    link: aws_docs::SECRETS_ENV,
    order: 206,
};

/// A variable set twice in one container.
pub const DUPLICATE_ENV_NAME: Rule = Rule {
    name: "duplicate-env-name",
    level: Level::Error,
    scope: Scope::Container,
    summary: "two environment variables or secrets of one container have the same name",
    help: "each variable is set once: rename one of the fields (`rename = \"...\"`) or remove one",
    link: aws_docs::SECRETS_ENV,
    order: 207,
};

/// The rules of this module, for [`super::RULES`].
pub(super) const RULES: &[&Rule] = &[
    &MISSING_ENV_VALUE,
    &ENV_VALUE_TYPE,
    &PLAINTEXT_SECRET_IN_ENV,
    &DUPLICATE_ENV_NAME,
];

/// Name endings that say "this variable holds a secret".
const SECRET_NAME_ENDINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "PRIVATE_KEY",
];

/// One container's environment and the fields of its struct.
pub(super) fn check_container(
    i: usize,
    c: &ContainerDefinition,
    container: &ContainerContext,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: Vec<&str> = Vec::new();
    let environment = c
        .environment
        .iter()
        .flatten()
        .enumerate()
        .map(|(k, e)| ("environment", k, e.name.as_deref()));
    let secrets = c
        .secrets
        .iter()
        .flatten()
        .enumerate()
        .map(|(k, s)| ("secrets", k, Some(s.name.as_str())));
    for (member, k, name) in environment.chain(secrets) {
        let Some(name) = name else { continue };
        if seen.contains(&name) {
            out.push(Diagnostic::new(
                &DUPLICATE_ENV_NAME,
                container_path(i, &format!("{member}[{k}].name")),
                format!("`{name}` is set twice in this container"),
                DUPLICATE_ENV_NAME.help,
            ));
        } else {
            seen.push(name);
        }
    }

    for (k, entry) in c.environment.iter().flatten().enumerate() {
        let (Some(name), Some(value)) = (entry.name.as_deref(), entry.value.as_deref()) else {
            continue;
        };
        if let Some(d) = plaintext_secret(name, value, || {
            container_path(i, &format!("environment[{k}].value"))
        }) {
            out.push(d);
        }
    }

    for field in &container.fields {
        let location = || Location::Field {
            container: i,
            field: field.name.clone(),
        };
        match &field.value {
            FieldValue::None if !field.optional => out.push(Diagnostic::new(
                &MISSING_ENV_VALUE,
                location(),
                format!("field `{}` has no value: the service reads `{}` at start-up and the task would not set it", field.name, field.variable),
                MISSING_ENV_VALUE.help,
            )),
            FieldValue::Env(value) if !contains_placeholder(value) => {
                if let Some(expected) = type_mismatch(field.ty, value) {
                    out.push(Diagnostic::new(
                        &ENV_VALUE_TYPE,
                        location(),
                        format!("`{value}` is not a valid `{expected}` for field `{}`", field.name),
                        format!("give a literal that parses as `{expected}`"),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// `plaintext-secret-in-env`: an access key id or a private key anywhere (not silenceable),
/// or any value in a variable named like a secret (silenceable: the name test is a heuristic).
/// `location` gives the place, built only for a finding.
fn plaintext_secret(
    name: &str,
    value: &str,
    location: impl FnOnce() -> Location,
) -> Option<Diagnostic> {
    let trimmed = value.trim();
    let access_key = trimmed.len() == 20
        && (trimmed.starts_with("AKIA") || trimmed.starts_with("ASIA"))
        && trimmed[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let private_key = value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----");
    if access_key || private_key {
        let what = if access_key {
            "an AWS access key id"
        } else {
            "a private key"
        };
        return Some(Diagnostic::new(
            &PLAINTEXT_SECRET_IN_ENV,
            location(),
            format!("`{name}` holds {what} in plain text"),
            "task definitions are readable by anyone who can describe them: store it in Secrets Manager and use `secret = \"arn:...\"`",
        ));
    }
    let upper = name.to_ascii_uppercase();
    if !value.is_empty() && SECRET_NAME_ENDINGS.iter().any(|e| upper.ends_with(e)) {
        let mut d = Diagnostic::new(
            &PLAINTEXT_SECRET_IN_ENV,
            location(),
            format!("`{name}` is named like a secret and set in plain text"),
            "use `secret = \"...\"` (Secrets Manager or SSM); if the value is truly not secret, say so with `#[ecs(allow(plaintext-secret-in-env))]`",
        );
        d.silenceable = true;
        return Some(d);
    }
    None
}

/// The type name when `value` does not parse as `ty`.
fn type_mismatch(ty: FieldType, value: &str) -> Option<&'static str> {
    let ok = match ty {
        FieldType::Bool => value.parse::<bool>().is_ok(),
        FieldType::Char => value.parse::<char>().is_ok(),
        FieldType::String | FieldType::Other => true,
        FieldType::I8 => value.parse::<i8>().is_ok(),
        FieldType::I16 => value.parse::<i16>().is_ok(),
        FieldType::I32 => value.parse::<i32>().is_ok(),
        FieldType::I64 => value.parse::<i64>().is_ok(),
        FieldType::I128 => value.parse::<i128>().is_ok(),
        FieldType::Isize => value.parse::<isize>().is_ok(),
        FieldType::U8 => value.parse::<u8>().is_ok(),
        FieldType::U16 => value.parse::<u16>().is_ok(),
        FieldType::U32 => value.parse::<u32>().is_ok(),
        FieldType::U64 => value.parse::<u64>().is_ok(),
        FieldType::U128 => value.parse::<u128>().is_ok(),
        FieldType::Usize => value.parse::<usize>().is_ok(),
        FieldType::F32 => value.parse::<f32>().is_ok(),
        FieldType::F64 => value.parse::<f64>().is_ok(),
    };
    (!ok).then(|| ty.rust_name())
}

impl FieldType {
    /// The Rust type name.
    pub fn rust_name(self) -> &'static str {
        match self {
            FieldType::Bool => "bool",
            FieldType::Char => "char",
            FieldType::String => "String",
            FieldType::I8 => "i8",
            FieldType::I16 => "i16",
            FieldType::I32 => "i32",
            FieldType::I64 => "i64",
            FieldType::I128 => "i128",
            FieldType::Isize => "isize",
            FieldType::U8 => "u8",
            FieldType::U16 => "u16",
            FieldType::U32 => "u32",
            FieldType::U64 => "u64",
            FieldType::U128 => "u128",
            FieldType::Usize => "usize",
            FieldType::F32 => "f32",
            FieldType::F64 => "f64",
            FieldType::Other => "_",
        }
    }

    /// The primitive type of this name (`u16`, `String`, `bool`, ...), `Other` for any other.
    pub fn from_rust_name(name: &str) -> FieldType {
        match name {
            "bool" => FieldType::Bool,
            "char" => FieldType::Char,
            "String" | "str" => FieldType::String,
            "i8" => FieldType::I8,
            "i16" => FieldType::I16,
            "i32" => FieldType::I32,
            "i64" => FieldType::I64,
            "i128" => FieldType::I128,
            "isize" => FieldType::Isize,
            "u8" => FieldType::U8,
            "u16" => FieldType::U16,
            "u32" => FieldType::U32,
            "u64" => FieldType::U64,
            "u128" => FieldType::U128,
            "usize" => FieldType::Usize,
            "f32" => FieldType::F32,
            "f64" => FieldType::F64,
            _ => FieldType::Other,
        }
    }
}

/// The variable name of the `environment` or `secrets` entry at a JSON path, for field-level
/// `allow` lists.
pub(super) fn variable_at(td: &TaskDefinition, path: &str) -> Option<String> {
    let container: usize = path
        .strip_prefix("containerDefinitions[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let rest = path.split_once("].")?.1;
    let (member, index) = rest.split_once('[')?;
    let index: usize = index.split(']').next()?.parse().ok()?;
    let c = td.container_definitions.get(container)?;
    match member {
        "environment" => c.environment.as_ref()?.get(index)?.name.clone(),
        "secrets" => Some(c.secrets.as_ref()?.get(index)?.name.clone()),
        _ => None,
    }
}

/// This area's cases for the test of every rule (`cases.rs`).
#[cfg(test)]
pub(super) fn cases() -> Vec<super::cases::Case> {
    use super::cases::{Case, app, field};
    use super::{FieldType, FieldValue};
    use serde_json::json;
    vec![
        Case {
            rule: &MISSING_ENV_VALUE,
            at: "containerDefinitions[0] (field `feature_flags`)",
            bad: |_, cx| {
                cx.containers[0].fields.push(field(
                    "feature_flags",
                    "FEATURE_FLAGS",
                    FieldType::String,
                    FieldValue::None,
                ));
            },
            good: |_, cx| {
                let mut f = field(
                    "feature_flags",
                    "FEATURE_FLAGS",
                    FieldType::String,
                    FieldValue::None,
                );
                f.optional = true;
                cx.containers[0].fields.push(f);
            },
        },
        Case {
            rule: &ENV_VALUE_TYPE,
            at: "containerDefinitions[0] (field `port`)",
            bad: |_, cx| cx.containers[0].fields[0].value = FieldValue::Env("80800".into()),
            good: |_, cx| cx.containers[0].fields[0].value = FieldValue::Env("65535".into()),
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "API_TOKEN", "value": "hunter2"}),
            good: |v, _| app(v)["environment"][1] = json!({"name": "TOKEN_TTL", "value": "3600"}),
        },
        Case {
            rule: &DUPLICATE_ENV_NAME,
            at: "containerDefinitions[0].secrets[0].name",
            bad: |v, _| app(v)["secrets"][0]["name"] = json!("PORT"),
            good: |v, _| app(v)["secrets"][0]["name"] = json!("PORT_SECRET_NAME"),
        },
    ]
}
