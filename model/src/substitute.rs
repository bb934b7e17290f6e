//! Substituting deploy-time placeholders: a task definition and its context with every
//! `${NAME}` replaced by its value, for `cargo ecsdef export` and the runtime's `resolve`.
//!
//! This sits above the context and the model: it walks every string of a task definition and
//! the context's values, and reads each with [`Template`].

use crate::TaskDefinition;
use crate::context::{Context, FieldValue};
use crate::placeholder::Template;

/// Whether a value of `context` that [`resolve_task`] substitutes (the region, the versions,
/// a container's KMS key, a field's value) holds a `${`. With the definition's JSON, it says
/// whether a task needs substituting at all; the two lists of values are kept here together.
pub fn context_has_placeholder(context: &Context) -> bool {
    let has = |s: &String| s.contains("${");
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
pub fn resolve_task(
    definition: &TaskDefinition,
    context: &Context,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<(TaskDefinition, Context), Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let mut resolve = |s: &mut String| {
        if let Ok(template) = Template::parse(s) {
            match template.resolve(&mut lookup) {
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
    let mut value = crate::json::task_definition_to_value(definition);
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
        crate::json::task_definition_from_value(&value).unwrap_or_else(|_| definition.clone());
    Ok((definition, context))
}

fn resolve_strings(value: &mut serde_json::Value, resolve: &mut impl FnMut(&mut String)) {
    match value {
        serde_json::Value::String(s) => resolve(s),
        serde_json::Value::Array(items) => {
            for item in items {
                resolve_strings(item, resolve);
            }
        }
        serde_json::Value::Object(map) => {
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
}
