//! Substituting deploy-time placeholders: a task definition and its context with every
//! `${NAME}` replaced by its value, for `cargo ecsdef export` and the runtime's `resolve`.
//!
//! This sits above the context and the model: it walks every string of a task definition and
//! the context's values, and reads each with [`Template`].

use crate::TaskDefinition;
use crate::context::{Context, FieldValue};
use crate::placeholder::{PLACEHOLDER_SYNTAX, Template};
use crate::rules::{self, Diagnostic, Diagnostics, Location};
use crate::tree::Value;

/// Whether a value of `context` that [`resolve_task`] substitutes (the region, the versions,
/// a container's KMS key, a field's value) holds a `${`. With the definition's JSON, it says
/// whether a task needs substituting at all; the two lists of values are kept here together.
pub fn context_has_placeholder(context: &Context) -> bool {
    let has = |s: &String| crate::placeholder::holds_dollar_brace(s);
    [
        &context.region,
        &context.platform_version,
        &context.agent_version,
    ]
    .into_iter()
    .flatten()
    .any(has)
        || context.containers.iter().any(|c| {
            c.kms_key.as_ref().is_some_and(has)
                || c.fields.iter().any(|f| match &f.value {
                    FieldValue::Env(v) | FieldValue::Secret(v) => has(v),
                    FieldValue::Skip | FieldValue::None => false,
                })
        })
}

/// Substitutes every placeholder of a task definition and its context (every string member,
/// at any depth, and the context's region, versions and KMS keys). Returns every name
/// `lookup` could not resolve, deduplicated, in order of first appearance. A string whose
/// `${...}` is malformed is left as written: the rules report it where they check the value.
///
/// A value is literal text: a `${` in it is written as it is, never substituted.
/// [`resolve_and_check`] refuses such a value.
pub fn resolve_task(
    definition: &TaskDefinition,
    context: &Context,
    lookup: impl FnMut(&str) -> Option<String>,
) -> Result<(TaskDefinition, Context), Vec<String>> {
    substitute(definition, context, lookup, false)
}

/// A task with its placeholders substituted and the rules' findings on it.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The definition with every placeholder replaced by its value.
    pub definition: TaskDefinition,
    /// The context, substituted the same way.
    pub context: Context,
    /// Every rule's findings on the substituted task, errors and warnings.
    pub diagnostics: Diagnostics,
}

/// [`resolve_task`], then every rule on the result, each value judged as the literal text it
/// now is:
///
/// - a value `lookup` gives that holds `${` is a `placeholder-syntax` error (a value is
///   literal text: a placeholder in it would be written to the file unsubstituted and
///   unchecked);
/// - each string is judged in its literal form, so a `${` it holds (a `$${` of the source)
///   is checked as the two characters it is, never skipped as a placeholder, and after a
///   task without errors no placeholder is left anywhere;
/// - the family, like every value, is checked after substitution.
///
/// Fails with every name `lookup` did not know.
pub fn resolve_and_check(
    definition: &TaskDefinition,
    context: &Context,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<Resolved, Vec<String>> {
    // Each name's value, looked up once, sorted by name and placed by bisection: a task
    // names a handful of placeholders, and a sorted `Vec` compiles to far less than a map.
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    let mut lookup = |name: &str| match values.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
        Ok(at) => values[at].1.clone(),
        Err(at) => {
            let value = lookup(name);
            values.insert(at, (name.to_owned(), value.clone()));
            value
        }
    };
    let (resolved, resolved_context) = substitute(definition, context, &mut lookup, false)?;
    let (literal, literal_context) = substitute(definition, context, &mut lookup, true)?;
    // A value that is not literal text comes first: the rules' findings on it follow from it.
    let mut diagnostics = Vec::new();
    for (name, value) in &values {
        if value.as_deref().is_some_and(|v| v.contains("${")) {
            diagnostics.push(Diagnostic::new(
                &PLACEHOLDER_SYNTAX,
                first_use(definition, name),
                format!(
                    "the value of `${{{name}}}` holds `${{`: a value is literal text, and a placeholder in it would be written unsubstituted"
                ),
                format!("give `{name}` its concrete value"),
            ));
        }
    }
    diagnostics.extend(rules::check(&literal, &literal_context));
    Ok(Resolved {
        definition: resolved,
        context: resolved_context,
        diagnostics: Diagnostics(diagnostics),
    })
}

/// Where the placeholder `name` is first used in the definition's JSON, or the task as a
/// whole when only the context uses it.
fn first_use(definition: &TaskDefinition, name: &str) -> Location {
    fn find(value: &Value, placeholder: &str, path: &str) -> Option<String> {
        match value {
            Value::String(s) => Template::parse(s)
                .is_ok_and(|t| t.placeholders().any(|p| p == placeholder))
                .then(|| path.to_owned()),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| find(item, placeholder, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().find_map(|(key, item)| {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                find(item, placeholder, &path)
            }),
            _ => None,
        }
    }
    let value = crate::json::task_definition_to_tree(definition);
    Location::Json(find(&value, name, "").unwrap_or_default())
}

/// Substitutes every placeholder; with `literal`, each substituted string is written back in
/// the source form of literal text (`${` as `$${`), which the rules read as text only.
fn substitute(
    definition: &TaskDefinition,
    context: &Context,
    mut lookup: impl FnMut(&str) -> Option<String>,
    literal: bool,
) -> Result<(TaskDefinition, Context), Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let mut resolve = |s: &mut String| {
        if let Ok(template) = Template::parse(s) {
            match template.resolve(&mut lookup) {
                Ok(resolved) if literal => *s = resolved.replace("${", "$${"),
                Ok(resolved) => *s = resolved,
                Err(names) => {
                    for name in names {
                        if !missing.contains(&name) {
                            missing.push(name);
                        }
                    }
                }
            }
        }
    };
    let mut value = crate::json::task_definition_to_tree(definition);
    resolve_strings(&mut value, &mut resolve);
    let mut context = context.clone();
    for s in [
        &mut context.region,
        &mut context.platform_version,
        &mut context.agent_version,
    ]
    .into_iter()
    .flatten()
    {
        resolve(s);
    }
    for c in &mut context.containers {
        if let Some(key) = &mut c.kms_key {
            resolve(key);
        }
        for field in &mut c.fields {
            if let FieldValue::Env(v) | FieldValue::Secret(v) = &mut field.value {
                resolve(v);
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    // Only string contents changed, so the value still has the model's shape.
    let definition =
        crate::json::task_definition_from_tree(&value).unwrap_or_else(|_| definition.clone());
    Ok((definition, context))
}

fn resolve_strings(value: &mut Value, resolve: &mut impl FnMut(&mut String)) {
    match value {
        Value::String(s) => resolve(s),
        Value::Array(items) => {
            for item in items {
                resolve_strings(item, resolve);
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                resolve_strings(item, resolve);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{ContainerContext, FieldInfo, FieldType};
    use std::collections::BTreeMap;

    /// `context_has_placeholder` looks at exactly the context values `resolve_task` fills: a
    /// placeholder in each is seen by the one and reported missing by the other.
    #[test]
    fn the_context_values_seen_are_the_ones_substituted() {
        fn field(value: FieldValue) -> FieldInfo {
            FieldInfo {
                name: "f".into(),
                variable: "F".into(),
                ty: FieldType::Other,
                optional: false,
                value,
                allow: Vec::new(),
            }
        }
        let placed: [fn(&mut Context); 6] = [
            |c| c.region = Some("${X}".into()),
            |c| c.platform_version = Some("${X}".into()),
            |c| c.agent_version = Some("${X}".into()),
            |c| c.containers[0].kms_key = Some("${X}".into()),
            |c| {
                c.containers[0]
                    .fields
                    .push(field(FieldValue::Env("${X}".into())));
            },
            |c| {
                c.containers[0]
                    .fields
                    .push(field(FieldValue::Secret("${X}".into())));
            },
        ];
        let definition = TaskDefinition::default();
        let clean = Context {
            containers: vec![ContainerContext::default()],
            ..Context::default()
        };
        assert!(!context_has_placeholder(&clean));
        assert!(resolve_task(&definition, &clean, |_| None).is_ok());
        for place in placed {
            let mut context = clean.clone();
            place(&mut context);
            assert!(context_has_placeholder(&context), "{context:?}");
            assert_eq!(
                resolve_task(&definition, &context, |_| None).err(),
                Some(vec!["X".to_owned()]),
                "{context:?}"
            );
        }
    }

    /// A Fargate task whose values come from placeholders.
    fn templated() -> (TaskDefinition, Context) {
        let json = serde_json::json!({
            "family": "${FAM}",
            "executionRoleArn": "arn:aws:iam::${ACCOUNT}:role/web-execution",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "containerDefinitions": [{
                "name": "app",
                "image": "ghcr.io/acme/web:${TAG}",
                "environment": [
                    { "name": "PORT", "value": "${PORT}" },
                    { "name": "DATABASE_URL", "value": "${DB_URL}" }
                ],
                "healthCheck": { "command": ["CMD-SHELL", "test -d $${HOME}"] }
            }]
        });
        let definition = crate::from_json_strict(&json.to_string()).expect("a definition");
        let context = Context {
            containers: vec![ContainerContext {
                fields: vec![FieldInfo {
                    name: "port".into(),
                    variable: "PORT".into(),
                    ty: FieldType::U16,
                    optional: false,
                    value: FieldValue::Env("${PORT}".into()),
                    allow: Vec::new(),
                }],
                ..ContainerContext::default()
            }],
            ..Context::default()
        };
        (definition, context)
    }

    fn values(overrides: &[(&str, &str)]) -> impl FnMut(&str) -> Option<String> {
        let mut values: BTreeMap<String, String> = [
            ("FAM", "web"),
            ("ACCOUNT", "123456789012"),
            ("TAG", "1.4.2"),
            ("PORT", "8080"),
            ("DB_URL", "postgres://db/web"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in overrides {
            values.insert((*k).to_owned(), (*v).to_owned());
        }
        move |name| values.get(name).cloned()
    }

    fn errors(overrides: &[(&str, &str)]) -> Vec<(String, String, String)> {
        let (definition, context) = templated();
        let resolved =
            resolve_and_check(&definition, &context, values(overrides)).expect("every value");
        resolved
            .diagnostics
            .errors()
            .map(|d| {
                (
                    d.rule.name.to_owned(),
                    d.location.to_string(),
                    d.message.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn concrete_values_pass_and_leave_no_placeholder() {
        assert_eq!(errors(&[]), []);
        let (definition, context) = templated();
        let resolved = resolve_and_check(&definition, &context, values(&[])).expect("every value");
        let json = crate::to_canonical_json(&resolved.definition);
        assert!(json.contains(r#""family": "web""#), "{json}");
        // A `$${` of the source is the literal `${` it stands for, and only it.
        assert_eq!(json.matches("${").count(), 1, "{json}");
        assert!(json.contains("test -d ${HOME}"), "{json}");
    }

    /// `--var 'TAG=${VAL}'`: a value holding `${` is refused wherever it lands (an image, an
    /// ARN, a `u16` variable), never taken for a placeholder and let through unchecked.
    #[test]
    fn a_value_holding_a_placeholder_is_refused() {
        for name in ["TAG", "ACCOUNT", "PORT"] {
            let errors = errors(&[(name, "${VAL}")]);
            assert_eq!(errors[0].0, "placeholder-syntax", "{name}: {errors:?}");
            assert!(
                errors[0].2.contains(&format!("`${{{name}}}`")),
                "{errors:?}"
            );
        }
        assert_eq!(
            errors(&[("TAG", "${VAL}")])[0].1,
            "containerDefinitions[0].image"
        );
        // The values themselves are still judged: the image and the port are wrong too.
        let errors = errors(&[("TAG", "${VAL}"), ("PORT", "x${VAL}")]);
        let rules: Vec<&str> = errors.iter().map(|e| e.0.as_str()).collect();
        assert!(rules.contains(&"image-reference"), "{errors:?}");
        assert!(rules.contains(&"env-value-type"), "{errors:?}");
    }

    /// `family = "${FAM}"` is judged once `FAM` has its value, by the same rule as a literal
    /// family, its length included.
    #[test]
    fn the_family_is_checked_after_substitution() {
        assert_eq!(errors(&[("FAM", "good")]), []);
        let long = "f".repeat(230);
        for bad in ["a.b", "", long.as_str(), "$${X}"] {
            let errors = errors(&[("FAM", bad)]);
            assert!(
                errors
                    .iter()
                    .any(|e| e.0 == "family-name" && e.1 == "family"),
                "{bad}: {errors:?}"
            );
        }
    }

    /// A credential a placeholder brings into a plain variable is found by its form, and the
    /// finding does not repeat it.
    #[test]
    fn a_credential_from_a_value_is_found_and_not_repeated() {
        let token = "ghp_CANARYcanary0123456789abcdefghijklmn";
        let errors = errors(&[("DB_URL", token)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "plaintext-secret-in-env");
        assert!(!format!("{errors:?}").contains("CANARY"), "{errors:?}");
    }
}
