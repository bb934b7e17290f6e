//! The Amazon ECS task-definition model of ecsdef, and everything that works on it without
//! knowing where a definition came from.
//!
//! This crate knows nothing of `syn`: the derives, the CLI and the runtime all call into it.
//!
//! # Layers
//!
//! The modules are laid out bottom-up; a module uses only modules of its own layer or of
//! layers below it (`tests/tests/layers.rs` holds them to this order):
//!
//! 1. **Vocabulary**: [`rule`] (what a rule is: [`rule::Rule`], its level and scope) and the
//!    "did you mean" of `suggest`.
//! 2. **Values**: [`placeholder`] (`${NAME}` deploy-time placeholders, the one scanner of them,
//!    and [`placeholder::ValueError`], the error of every value parser), [`partition`]
//!    (partitions and regions), [`arn`] (the ARNs a task definition holds) and [`image`]
//!    (Docker image references). Each value-syntax rule is defined beside its parser.
//! 3. **The model**: [`TaskDefinition`] and [`ContainerDefinition`] (with every other shape
//!    reachable from ECS's `RegisterTaskDefinitionRequest`), generated from AWS's own API
//!    model with AWS's wire names, member order, enums and documentation; [`schema`], [`json`]
//!    (strict and lenient loading, canonical writing), [`tree`] (a JSON document as a tree,
//!    what the readers read) and `de`.
//! 4. **The context**: [`context`], what a declaration states beyond the JSON (region,
//!    versions, KMS keys, fields, `allow` lists).
//! 5. **The rules**: [`rules`], the engine and every rule that is not a value's syntax.
//! 6. **On top**: [`substitute`] (placeholders replaced by their values), [`policy`] (the
//!    execution role's policy) and [`assemble`] (a task put together from its containers).
//!
//! # Features
//!
//! - `files` (off by default): reading task-definition files, what `cargo ecsdef check PATH`,
//!   `export` and `import` need: the strict and lenient loaders (`from_json_strict`,
//!   `from_json_lenient`, `json::from_value_strict`, `json::from_value_lenient`, with AWS's
//!   answer to each wrong type), `json::minify`, and the rules' words in a file's terms
//!   (`Diagnostic::help_in_file`, `Diagnostic::message_in_file`, `Rule::help_in_file`,
//!   `Rule::summary_in_file`). The derives and the `ecsdef` runtime never call them, and every
//!   crate deriving `Container` compiles this crate: without the feature, their build does not
//!   compile that code, nor `serde_json`.

pub mod arn;
pub mod assemble;
pub mod context;
#[doc(hidden)]
pub mod de;
pub mod image;
pub mod json;
pub mod partition;
pub mod placeholder;
pub mod policy;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod substitute;
mod suggest;
pub mod tree;

// The generated code is written for what it compiles to (see `xtask/src/model.rs`,
// `write_struct`): `Default` impls a derive would give, but with the constant `None` for each
// optional member (`derivable_impls`, `default_trait_access`), and a `match` where `?` would
// instantiate `Try` for each member type (`question_mark`).
#[rustfmt::skip]
#[allow(
    clippy::doc_lazy_continuation,
    clippy::too_long_first_doc_paragraph,
    clippy::derivable_impls,
    clippy::default_trait_access,
    clippy::question_mark
)]
mod generated;

pub use generated::*;
#[cfg(feature = "files")]
pub use json::{LenientLoad, from_json_lenient, from_json_strict};
pub use json::{LoadError, to_canonical_json};
pub use suggest::did_you_mean;

/// Every `valueFrom` of a container, in member order: its `secrets`, then its log
/// configuration's `secretOptions`, each with the list it is in and its index there
/// (`secrets[2].valueFrom`). The rules, the facts and the policy read the same references.
pub(crate) fn value_froms(container: &ContainerDefinition) -> ValueFromIter<'_> {
    let log_secrets = match &container.log_configuration {
        Some(log) => log.secret_options.as_deref(),
        None => None,
    };
    ValueFromIter {
        secrets: container.secrets.as_deref().unwrap_or_default(),
        log_secrets: log_secrets.unwrap_or_default(),
        next: 0,
    }
}

/// The iterator [`value_froms`] returns: one plain type, where a chain of iterator adapters
/// would be instantiated again by each of its callers.
#[derive(Debug, Clone)]
pub(crate) struct ValueFromIter<'a> {
    secrets: &'a [Secret],
    log_secrets: &'a [Secret],
    /// The index of the next item over both lists.
    next: usize,
}

impl<'a> Iterator for ValueFromIter<'a> {
    type Item = (&'static str, usize, &'a Secret);

    fn next(&mut self) -> Option<Self::Item> {
        let i = self.next;
        if let Some(secret) = self.secrets.get(i) {
            self.next += 1;
            return Some(("secrets", i, secret));
        }
        let j = i - self.secrets.len();
        let secret = self.log_secrets.get(j)?;
        self.next += 1;
        Some(("logConfiguration.secretOptions", j, secret))
    }
}

/// A string that is not one of an AWS enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    /// AWS's enum name, for example `NetworkMode`.
    pub enum_name: &'static str,
    /// The value given.
    pub value: String,
    /// Every valid value, in AWS's order.
    pub expected: Vec<&'static str>,
}

impl std::fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a valid {}: expected one of ",
            self.value, self.enum_name
        )?;
        for (i, v) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{v}`")?;
        }
        if let Some(s) = did_you_mean(&self.value, self.expected.iter().copied()) {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownEnumValue {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_froms_lists_secrets_then_log_secret_options_with_their_indices() {
        let secret = |name: &str| Secret {
            name: name.to_owned(),
            value_from: format!("/p/{name}"),
        };
        let mut c = ContainerDefinition {
            secrets: Some(vec![secret("a"), secret("b")]),
            log_configuration: Some(LogConfiguration {
                log_driver: LogDriver::Awslogs,
                options: None,
                secret_options: Some(vec![secret("c")]),
            }),
            ..ContainerDefinition::default()
        };
        let got: Vec<(&str, usize, &str)> = value_froms(&c)
            .map(|(list, j, s)| (list, j, s.name.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("secrets", 0, "a"),
                ("secrets", 1, "b"),
                ("logConfiguration.secretOptions", 0, "c"),
            ]
        );
        c.secrets = None;
        let mut it = value_froms(&c);
        assert_eq!(
            it.next().map(|(l, j, _)| (l, j)),
            Some(("logConfiguration.secretOptions", 0))
        );
        assert!(it.next().is_none() && it.next().is_none());
        c.log_configuration = None;
        assert!(value_froms(&c).next().is_none());
    }
}
