//! Environment rules: every variable the service needs is set, set to a value of its type,
//! once, and never to a secret in plain text.

use super::{ContainerContext, Diagnostic, FieldType, FieldValue, Location, container_path};
use crate::placeholder::{Template, contains_placeholder};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};
use crate::{ContainerDefinition, TaskDefinition};

/// A field the service needs that the task would not set.
pub const MISSING_ENV_VALUE: Rule = Rule {
    name: "missing-env-value",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a field that is not an `Option` needs `env`, `secret` or `skip`: the service would start without a variable it requires",
    help: "give it `#[ecs(env = ...)]` or `#[ecs(secret = \"...\")]`, make it an `Option`, or mark it `#[ecs(skip)]` if the service has a default",
    link: aws_docs::SECRETS_ENV,
    aws: Quote {
        text: "The environment variables to pass to a container.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
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
    aws: Quote {
        text: "The environment variables to pass to a container.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 205,
};

/// A secret in plain text in the environment.
pub const PLAINTEXT_SECRET_IN_ENV: Rule = Rule {
    name: "plaintext-secret-in-env",
    level: Level::Error,
    scope: Scope::Container,
    summary: "an environment value that is a credential (an AWS access key, a private key, a GitHub, GitLab, Slack, Stripe or npm token), a literal in a variable named like a secret (`*PASSWORD`, `*PASS`, `*PWD`, `*SECRET`, `*TOKEN`, `*API_KEY`, `*CREDENTIALS`, ...), or a `${PLACEHOLDER}` named like one, which the export would fill with the secret: use `secret`",
    help: "store it in Secrets Manager or SSM and use `secret = \"...\"`",
    link: aws_docs::SECRETS_ENV,
    aws: Quote {
        text: "We don't recommend that you use plaintext environment variables for sensitive information, such as credential data.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
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
    aws: Quote {
        text: "The name of the key-value pair. For environment variables, this is the name of the environment variable.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KeyValuePair.html",
    },
    order: 207,
};

/// The rules of this module, for [`super::RULES`].
pub(super) const RULES: &[&Rule] = &[
    &MISSING_ENV_VALUE,
    &ENV_VALUE_TYPE,
    &PLAINTEXT_SECRET_IN_ENV,
    &DUPLICATE_ENV_NAME,
];

/// The words that, as a variable's whole name or its last word, say "this variable holds a
/// secret", as a secret scanner's keyword lists have them (detect-secrets'
/// `KeywordDetector` denylist: `password`, `passwd`, `pwd`, `secret`, `api_?key`,
/// `private_?key`, `db_?pass`; gitleaks' `generic-api-key` keywords: `credential`, `token`,
/// `secret`, `passwd`, `password`). A plural `S` and a number (`PASSWORD2`, `TOKENS`,
/// `API_KEY_1`) may follow the word. The longer words may be glued to what precedes them
/// (`DBPASSWORD`); the short ones ([`SECRET_WORDS_SEPARATE`]) are whole words only, so
/// that `BYPASS` and `COMPASS` stay quiet.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "SECRET_ACCESS_KEY",
];

/// The short secret words, which count only as a whole word: the whole name or after a `_`
/// (`DB_PASS`, `DB_PWD`). `PWD` alone is the shell's working directory, not a password.
const SECRET_WORDS_SEPARATE: &[&str] = &["PASS", "PWD"];

/// Whether a variable or placeholder named `name` is named like a secret: its last word (after
/// a plural `S` or a number is taken off) is one of [`SECRET_WORDS`] or
/// [`SECRET_WORDS_SEPARATE`]. `TOKEN_TTL` and `PASSWORD_MIN_LENGTH` are not: the name must be
/// or end in the word.
fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let without_number = upper.trim_end_matches(|c: char| c.is_ascii_digit());
    let stem = if without_number.len() < upper.len() {
        without_number.strip_suffix('_').unwrap_or(without_number)
    } else {
        without_number
    };
    let mut stems = vec![stem];
    if let Some(singular) = stem.strip_suffix('S') {
        stems.push(singular);
    }
    stems.into_iter().any(|stem| {
        SECRET_WORDS.iter().any(|w| stem.ends_with(w))
            || SECRET_WORDS_SEPARATE.iter().any(|w| {
                stem.strip_suffix(w).is_some_and(|before| {
                    before.ends_with('_') || (before.is_empty() && *w != "PWD")
                })
            })
    })
}

/// A credential recognised by its form: a fixed prefix, then at least `min` (and at most
/// `max`) characters of its alphabet. The forms are gitleaks' published rules
/// (`config/gitleaks.toml`, <https://github.com/gitleaks/gitleaks>), under their ids.
struct TokenForm {
    /// gitleaks' rule id, and what the diagnostic calls it.
    what: &'static str,
    prefixes: &'static [&'static str],
    alphabet: fn(u8) -> bool,
    min: usize,
    max: usize,
}

fn alphanumeric(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn word_or_dash(b: u8) -> bool {
    word(b) || b == b'-'
}

fn alphanumeric_or_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn lowercase_alphanumeric(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// gitleaks: `github-pat` `ghp_[0-9a-zA-Z]{36}`, `github-oauth` `gho_...`, `github-app-token`
/// `(?:ghu|ghs)_...`, `github-refresh-token` `ghr_...`, `github-fine-grained-pat`
/// `github_pat_\w{82}`, `gitlab-pat` `glpat-[\w-]{20}`, the Slack token rules
/// (`xox[baprs]-` and `xox[eo]-` then digits, letters and dashes), `stripe-access-token`
/// `(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}`, `npm-access-token` `npm_[a-z0-9]{36}`.
const TOKEN_FORMS: &[TokenForm] = &[
    TokenForm {
        what: "a GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        alphabet: alphanumeric,
        min: 36,
        max: usize::MAX,
    },
    TokenForm {
        what: "a GitHub token",
        prefixes: &["github_pat_"],
        alphabet: word,
        min: 82,
        max: usize::MAX,
    },
    TokenForm {
        what: "a GitLab token",
        prefixes: &["glpat-"],
        alphabet: word_or_dash,
        min: 20,
        max: usize::MAX,
    },
    TokenForm {
        what: "a Slack token",
        prefixes: &[
            "xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxe-", "xoxo-",
        ],
        alphabet: alphanumeric_or_dash,
        min: 10,
        max: usize::MAX,
    },
    TokenForm {
        what: "a Stripe secret key",
        prefixes: &[
            "sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_",
        ],
        alphabet: alphanumeric,
        min: 10,
        max: 99,
    },
    TokenForm {
        what: "an npm token",
        prefixes: &["npm_"],
        alphabet: lowercase_alphanumeric,
        min: 36,
        max: usize::MAX,
    },
];

/// The fewest bytes a value holding a token of [`TOKEN_FORMS`] has: a prefix and the
/// shortest body its form allows.
const SHORTEST_TOKEN: usize = {
    let mut shortest = usize::MAX;
    let mut f = 0;
    while f < TOKEN_FORMS.len() {
        let form = &TOKEN_FORMS[f];
        let mut p = 0;
        while p < form.prefixes.len() {
            let len = form.prefixes[p].len() + form.min;
            if len < shortest {
                shortest = len;
            }
            p += 1;
        }
        f += 1;
    }
    shortest
};

/// The bytes a prefix of [`TOKEN_FORMS`] starts with.
const TOKEN_FIRST_BYTES: [bool; 256] = {
    let mut first = [false; 256];
    let mut f = 0;
    while f < TOKEN_FORMS.len() {
        let form = &TOKEN_FORMS[f];
        let mut p = 0;
        while p < form.prefixes.len() {
            first[form.prefixes[p].as_bytes()[0] as usize] = true;
            p += 1;
        }
        f += 1;
    }
    first
};

/// Whether `bytes` may hold a token of [`TOKEN_FORMS`]: long enough for the shortest, and
/// one of the prefixes written somewhere in it. The search for each prefix in turn finds a
/// token only where this holds; a typical value (a port, a log filter, a URL) fails it after
/// one pass over its bytes, instead of a search per prefix.
fn may_hold_token(bytes: &[u8]) -> bool {
    bytes.len() >= SHORTEST_TOKEN
        && (0..bytes.len()).any(|at| {
            TOKEN_FIRST_BYTES[usize::from(bytes[at])]
                && TOKEN_FORMS.iter().any(|form| {
                    form.prefixes
                        .iter()
                        .any(|prefix| bytes[at..].starts_with(prefix.as_bytes()))
                })
        })
}

/// The token of [`TOKEN_FORMS`] that starts a word of `trimmed`, if any: each prefix searched
/// for in turn. [`may_hold_token`] holds wherever this finds one.
fn token_in(trimmed: &str) -> Option<&'static str> {
    let bytes = trimmed.as_bytes();
    for form in TOKEN_FORMS {
        for prefix in form.prefixes {
            let mut from = 0;
            while let Some(at) = trimmed[from..].find(prefix) {
                let start = from + at;
                from = start + prefix.len();
                let starts_word = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
                let body = bytes[from..]
                    .iter()
                    .take_while(|&&b| (form.alphabet)(b))
                    .count();
                if starts_word && body >= form.min && body <= form.max {
                    return Some(form.what);
                }
            }
        }
    }
    None
}

/// What credential `value` holds, by its form alone: an AWS access key id (gitleaks'
/// `aws-access-token`, `(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}` as the whole value), a
/// PEM private key (gitleaks' `private-key`, `-----BEGIN ... PRIVATE KEY-----`), a token of
/// [`TOKEN_FORMS`] starting a word of the value, or, in a variable whose name mentions `AWS`,
/// an AWS secret access key (40 characters of `[0-9a-zA-Z/+]`, gitleaks' former `AWS Secret
/// Key` rule `(?i)aws(.{0,20})?['\"][0-9a-zA-Z/+]{40}['\"]`, which needs the name too).
fn credential_in(name: &str, value: &str) -> Option<&'static str> {
    let trimmed = value.trim();
    let bytes = trimmed.as_bytes();
    let access_key = bytes.len() == 20
        && ["AKIA", "ASIA", "ABIA", "ACCA"]
            .iter()
            .any(|p| trimmed.starts_with(p))
        && bytes[4..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if access_key {
        return Some("an AWS access key id");
    }
    if value.contains("-----BEGIN")
        && (value.contains("PRIVATE KEY-----") || value.contains("PRIVATE KEY BLOCK-----"))
    {
        return Some("a private key");
    }
    // Only when a prefix is written somewhere: most values need no search at all.
    if may_hold_token(bytes)
        && let Some(what) = token_in(trimmed)
    {
        return Some(what);
    }
    let aws_secret_key = bytes.len() == 40
        && name.to_ascii_uppercase().contains("AWS")
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+');
    aws_secret_key.then_some("an AWS secret access key")
}

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
                    // A value that may be a secret is not repeated.
                    let shown = if may_hold_secret(&field.variable, value) {
                        "the value".to_owned()
                    } else {
                        format!("`{value}`")
                    };
                    out.push(Diagnostic::new(
                        &ENV_VALUE_TYPE,
                        location(),
                        format!("{shown} is not a valid `{expected}` for field `{}`", field.name),
                        format!("give a literal that parses as `{expected}`"),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Whether the value of the environment variable `name` may be a secret, by the value tests
/// of `plaintext-secret-in-env`: a credential by its form, or a value in a variable named like
/// a secret. What shows a registered definition's values (`cargo ecsdef diff`) hides these.
pub fn may_hold_secret(name: &str, value: &str) -> bool {
    credential_in(name, value).is_some() || (!value.is_empty() && is_secret_name(name))
}

/// `plaintext-secret-in-env`: a credential recognised by its form anywhere (not
/// silenceable), or a value in a variable named like a secret, or a value that takes a
/// placeholder named like a secret (silenceable: the name test is a heuristic). The export
/// would write what the placeholder's source holds, a CI secret, into the file. `location`
/// gives the place, built only for a finding. No message repeats the value.
fn plaintext_secret(
    name: &str,
    value: &str,
    location: impl FnOnce() -> Location,
) -> Option<Diagnostic> {
    if let Some(what) = credential_in(name, value) {
        return Some(Diagnostic::new(
            &PLAINTEXT_SECRET_IN_ENV,
            location(),
            format!("`{name}` holds {what} in plain text"),
            "task definitions are readable by anyone who can describe them: store it in Secrets Manager and use `secret = \"arn:...\"`",
        ));
    }
    let message = if !value.is_empty() && is_secret_name(name) {
        format!("`{name}` is named like a secret and set in plain text")
    } else if let Some(placeholder) = secret_placeholder(value) {
        format!(
            "`{name}` takes its value from `${{{placeholder}}}`, named like a secret: the export would write that secret in plain text"
        )
    } else {
        return None;
    };
    let mut d = Diagnostic::new(
        &PLAINTEXT_SECRET_IN_ENV,
        location(),
        message,
        "use `secret = \"...\"` (Secrets Manager or SSM); if the value is truly not secret, say so with `#[ecs(allow(plaintext-secret-in-env))]`",
    );
    d.silenceable = true;
    Some(d)
}

/// The first placeholder of `value` named like a secret, if `value` is a well-formed template.
fn secret_placeholder(value: &str) -> Option<String> {
    if !contains_placeholder(value) {
        return None;
    }
    Template::parse(value)
        .ok()?
        .placeholders()
        .find(|p| is_secret_name(p))
        .map(str::to_owned)
}

/// The type name when `value` does not parse as `ty`.
fn type_mismatch(ty: FieldType, value: &str) -> Option<&'static str> {
    let ok = match ty {
        FieldType::Bool => value.parse::<bool>().is_ok(),
        FieldType::Char => value.parse::<char>().is_ok(),
        FieldType::String | FieldType::Other => true,
        FieldType::I8 => is_integer(value, true, 8),
        FieldType::I16 => is_integer(value, true, 16),
        FieldType::I32 => is_integer(value, true, 32),
        FieldType::I64 => is_integer(value, true, 64),
        FieldType::I128 => is_integer(value, true, 128),
        FieldType::Isize => is_integer(value, true, usize::BITS),
        FieldType::U8 => is_integer(value, false, 8),
        FieldType::U16 => is_integer(value, false, 16),
        FieldType::U32 => is_integer(value, false, 32),
        FieldType::U64 => is_integer(value, false, 64),
        FieldType::U128 => is_integer(value, false, 128),
        FieldType::Usize => is_integer(value, false, usize::BITS),
        FieldType::F32 => value.parse::<f32>().is_ok(),
        FieldType::F64 => value.parse::<f64>().is_ok(),
    };
    (!ok).then(|| ty.rust_name())
}

/// Whether `value` parses as the integer type of `bits` bits (signed or not) as Rust's
/// `FromStr` reads it: an optional `+` (or `-` for a signed type), then at least one ASCII
/// digit, leading zeros allowed, in the type's range. One function for the twelve types
/// rather than twelve instances of the standard parser in every build of the model.
fn is_integer(value: &str, signed: bool, bits: u32) -> bool {
    let (negative, digits) = match value.as_bytes().first() {
        Some(b'+') => (false, &value[1..]),
        Some(b'-') if signed => (true, &value[1..]),
        _ => (false, value),
    };
    if digits.is_empty() {
        return false;
    }
    let mut magnitude: u128 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return false;
        }
        let Some(next) = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(b - b'0')))
        else {
            return false;
        };
        magnitude = next;
    }
    // The largest magnitude: `2^(bits-1)` for a negative value, `2^(bits-1) - 1` for a
    // positive signed one, `2^bits - 1` for an unsigned one.
    let limit = match (signed, negative) {
        (true, true) => 1u128 << (bits - 1),
        (true, false) => (1u128 << (bits - 1)) - 1,
        (false, _) => u128::MAX >> (128 - bits),
    };
    magnitude <= limit
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
pub fn variable_at(td: &TaskDefinition, path: &str) -> Option<String> {
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
        // The spellings the name test once missed, each beside a name that stays quiet.
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| {
                app(v)["environment"][1] = json!({"name": "AWS_SECRET_ACCESS_KEY", "value": "x"});
            },
            good: |v, _| {
                app(v)["environment"][1] = json!({"name": "AWS_ACCESS_KEY_ROTATION", "value": "x"});
            },
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "API_KEY", "value": "x"}),
            good: |v, _| app(v)["environment"][1] = json!({"name": "API_KEY_HEADER", "value": "x"}),
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "DB_PASS", "value": "x"}),
            good: |v, _| app(v)["environment"][1] = json!({"name": "BYPASS", "value": "x"}),
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "DB_PWD", "value": "x"}),
            good: |v, _| app(v)["environment"][1] = json!({"name": "PWD", "value": "/app"}),
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "DB_CREDENTIALS", "value": "x"}),
            good: |v, _| {
                app(v)["environment"][1] =
                    json!({"name": "DB_CREDENTIALS_FILE_MODE", "value": "x"});
            },
        },
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "PASSWORD2", "value": "x"}),
            good: |v, _| {
                app(v)["environment"][1] = json!({"name": "PASSWORD_MIN_LENGTH", "value": "12"});
            },
        },
        // A placeholder named like a secret would have the export write the CI's secret.
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| {
                app(v)["environment"][1] =
                    json!({"name": "RUST_LOG", "value": "${AWS_SECRET_ACCESS_KEY}"});
            },
            good: |v, _| {
                app(v)["environment"][1] = json!({"name": "RUST_LOG", "value": "${LOG_LEVEL}"});
            },
        },
        // A credential by its form, under an innocent name.
        Case {
            rule: &PLAINTEXT_SECRET_IN_ENV,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| {
                app(v)["environment"][1] =
                    json!({"name": "GH", "value": "ghp_0123456789abcdefghijABCDEFGHIJ012345"});
            },
            good: |v, _| {
                app(v)["environment"][1] = json!({"name": "GH", "value": "ghp_0123456789"});
            },
        },
        Case {
            rule: &DUPLICATE_ENV_NAME,
            at: "containerDefinitions[0].secrets[0].name",
            bad: |v, _| app(v)["secrets"][0]["name"] = json!("PORT"),
            good: |v, _| app(v)["secrets"][0]["name"] = json!("PORT_SECRET_NAME"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::super::cases::{app, base, base_context};
    use super::is_integer;

    /// `is_integer` accepts exactly what the standard parser accepts, for every type.
    #[test]
    fn is_integer_matches_the_standard_parser() {
        let mut inputs: Vec<String> = [
            "",
            "+",
            "-",
            "0",
            "-0",
            "+0",
            "007",
            "-007",
            "1",
            "-1",
            "+1",
            "++1",
            "+-1",
            "-+1",
            "1 ",
            " 1",
            "1_000",
            "1.0",
            "1e3",
            "0x10",
            "a",
            "١",
            "127",
            "128",
            "-128",
            "-129",
            "255",
            "256",
            "32767",
            "32768",
            "-32768",
            "-32769",
            "65535",
            "65536",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "4294967295",
            "4294967296",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "170141183460469231731687303715884105727",
            "170141183460469231731687303715884105728",
            "-170141183460469231731687303715884105728",
            "-170141183460469231731687303715884105729",
            "340282366920938463463374607431768211455",
            "340282366920938463463374607431768211456",
            "3402823669209384634633746074317682114550",
            "00000000000000000000000000000000000000000001",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for i in 0..130u32 {
            let p = 1u128.checked_shl(i).unwrap_or(0);
            for v in [p.wrapping_sub(1), p, p.wrapping_add(1)] {
                inputs.push(v.to_string());
                inputs.push(format!("-{v}"));
                inputs.push(format!("+{v}"));
            }
        }
        for v in &inputs {
            let v = v.as_str();
            assert_eq!(is_integer(v, true, 8), v.parse::<i8>().is_ok(), "i8 {v:?}");
            assert_eq!(
                is_integer(v, true, 16),
                v.parse::<i16>().is_ok(),
                "i16 {v:?}"
            );
            assert_eq!(
                is_integer(v, true, 32),
                v.parse::<i32>().is_ok(),
                "i32 {v:?}"
            );
            assert_eq!(
                is_integer(v, true, 64),
                v.parse::<i64>().is_ok(),
                "i64 {v:?}"
            );
            assert_eq!(
                is_integer(v, true, 128),
                v.parse::<i128>().is_ok(),
                "i128 {v:?}"
            );
            assert_eq!(
                is_integer(v, true, usize::BITS),
                v.parse::<isize>().is_ok(),
                "isize {v:?}"
            );
            assert_eq!(is_integer(v, false, 8), v.parse::<u8>().is_ok(), "u8 {v:?}");
            assert_eq!(
                is_integer(v, false, 16),
                v.parse::<u16>().is_ok(),
                "u16 {v:?}"
            );
            assert_eq!(
                is_integer(v, false, 32),
                v.parse::<u32>().is_ok(),
                "u32 {v:?}"
            );
            assert_eq!(
                is_integer(v, false, 64),
                v.parse::<u64>().is_ok(),
                "u64 {v:?}"
            );
            assert_eq!(
                is_integer(v, false, 128),
                v.parse::<u128>().is_ok(),
                "u128 {v:?}"
            );
            assert_eq!(
                is_integer(v, false, usize::BITS),
                v.parse::<usize>().is_ok(),
                "usize {v:?}"
            );
        }
    }
    use super::{
        SHORTEST_TOKEN, TOKEN_FORMS, credential_in, is_secret_name, may_hold_token,
        secret_placeholder, token_in,
    };
    use crate::from_json_strict;
    use serde_json::json;

    /// A placeholder named like a secret is a heuristic finding, silenced by `allow` as the
    /// name test is; a credential recognised by its form is never silenced.
    #[test]
    fn allow_silences_the_name_tests_only() {
        let count = |name: &str, value: &str| {
            let mut v = base();
            app(&mut v)["environment"][1] = json!({"name": name, "value": value});
            let definition = from_json_strict(&v.to_string()).unwrap_or_else(|e| panic!("{e}"));
            let mut cx = base_context();
            cx.allow.push("plaintext-secret-in-env".into());
            super::super::check(&definition, &cx)
                .of_rule("plaintext-secret-in-env")
                .count()
        };
        assert_eq!(count("UPLOAD_KEY", "${AWS_SECRET_ACCESS_KEY}"), 0);
        assert_eq!(count("DB_PASS", "x"), 0);
        let token = format!("xoxb-{}", "1234567890-".repeat(2));
        assert_eq!(count("SLACK", &token), 1);
    }

    #[test]
    fn secret_names_are_the_word_or_end_in_it() {
        for name in [
            "PASSWORD",
            "DATABASE_PASSWORD",
            "DBPASSWORD",
            "PASSWORD2",
            "PASSWORD_2",
            "PASSWORDS",
            "PASSWD",
            "PASS",
            "DB_PASS",
            "DB_PWD",
            "SECRET",
            "CLIENT_SECRETS",
            "TOKEN",
            "API_TOKEN",
            "GITHUB_TOKENS",
            "CREDENTIALS",
            "DB_CREDENTIALS",
            "GOOGLE_CREDENTIAL",
            "API_KEY",
            "STRIPE_APIKEY",
            "API_KEY_1",
            "PRIVATE_KEY",
            "SSH_PRIVATE_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "db_password",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME_PREFIX",
            "BYPASS",
            "COMPASS",
            "PWD",
            "OLDPWD",
            "PORT",
            "RUST_LOG",
            "AWS_REGION",
            "AWS_ACCESS_KEY_ID",
            "",
            "2",
            "_",
            "S",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn credentials_are_recognised_by_their_form() {
        let github = format!("ghp_{}", "a1".repeat(18));
        let fine_grained = format!("github_pat_{}", "A_1".repeat(28));
        let slack = "xoxb-1234567890-1234567890-abcdefABCDEF";
        let stripe = format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc");
        let npm = format!("npm_{}", "a1b2".repeat(9));
        let gitlab = "glpat-0123456789abcdefghij";
        let aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----";
        for (name, value, what) in [
            ("KEY", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("KEY", " ASIAIOSFODNN7EXAMPLE ", "an AWS access key id"),
            ("KEY", pem, "a private key"),
            ("X", github.as_str(), "a GitHub token"),
            ("X", &format!("Bearer {github}"), "a GitHub token"),
            ("X", fine_grained.as_str(), "a GitHub token"),
            ("X", gitlab, "a GitLab token"),
            ("X", slack, "a Slack token"),
            ("X", stripe.as_str(), "a Stripe secret key"),
            ("X", npm.as_str(), "an npm token"),
            ("AWS_KEY", aws_secret, "an AWS secret access key"),
        ] {
            assert_eq!(credential_in(name, value), Some(what), "{value}");
        }
        for (name, value) in [
            ("KEY", "AKIA"),
            ("KEY", "AKIAIOSFODNN7EXAMPL"),
            ("X", "ghp_short"),
            ("X", &format!("xghp_{}", "a1".repeat(18))),
            ("X", "xoxb-"),
            ("X", "sk_live_"),
            ("X", "pk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("GIT_SHA", "0123456789abcdef0123456789abcdef01234567"),
            ("X", aws_secret),
            ("X", "-----BEGIN CERTIFICATE-----"),
            ("X", ""),
            ("X", "é"),
        ] {
            assert_eq!(credential_in(name, value), None, "{value}");
        }
    }

    /// The quick test in front of the token search lets through every value the search
    /// finds a token in: each prefix with bodies around its form's bounds, at the start, after
    /// a word or a separator, and with text after it.
    #[test]
    fn the_token_prefilter_keeps_every_value_the_search_finds() {
        assert_eq!(SHORTEST_TOKEN, "xoxb-".len() + 10);
        let mut found = 0;
        for form in TOKEN_FORMS {
            for prefix in form.prefixes {
                let lengths = [form.min.saturating_sub(1), form.min, form.min + 1, 100, 101];
                for len in lengths {
                    for body in [
                        "a".repeat(len),
                        "1".repeat(len),
                        "A_-".repeat(len)[..len].to_owned(),
                    ] {
                        for before in ["", " ", "Bearer ", "x", "a-", "é"] {
                            for after in ["", " ", "!", "é"] {
                                let value = format!("{before}{prefix}{body}{after}");
                                if token_in(&value).is_some() {
                                    found += 1;
                                    assert!(may_hold_token(value.as_bytes()), "{value}");
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(found > 100, "{found}");
        for value in [
            "",
            "8080",
            "info,svc_1=debug",
            "https://api.example.com/v1/health",
            "é",
        ] {
            assert!(!may_hold_token(value.as_bytes()), "{value}");
        }
    }

    #[test]
    fn placeholders_named_like_secrets() {
        assert_eq!(
            secret_placeholder("${AWS_SECRET_ACCESS_KEY}").as_deref(),
            Some("AWS_SECRET_ACCESS_KEY")
        );
        assert_eq!(
            secret_placeholder("postgres://app:${DB_PASS}@db").as_deref(),
            Some("DB_PASS")
        );
        assert_eq!(secret_placeholder("${TOKEN_TTL}"), None);
        assert_eq!(secret_placeholder("$${API_TOKEN}"), None);
        assert_eq!(secret_placeholder("${api_token"), None);
        assert_eq!(secret_placeholder("API_TOKEN"), None);
    }
}
