//! The attribute level: one parser per level (container, container field, task, task field,
//! and the groups inside them), each turning `#[ecs(...)]` entries into the model while
//! recording every mistake with its span. Checks that need several attributes, and every AWS
//! rule, run later on the result.

use std::collections::BTreeMap;

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context, FieldInfo, FieldType, FieldValue};
use ecsdef_model::{
    Compatibility, ContainerCondition, ContainerDefinition, ContainerDependency, HealthCheck,
    HostVolumeProperties, KeyValuePair, LogConfiguration, LogDriver, MountPoint, PortMapping,
    RepositoryCredentials, RuntimePlatform, Secret, Tag, TaskDefinition, Ulimit, Volume,
};
use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::ast::{ContainerDecl, SpanMap, TaskDecl, TaskField};
use crate::ctxt::{Ctxt, SpannedDiagnostic};
use crate::meta::{Entry, Lit, LitKind, Value, ecs_entries};
use crate::symbol;

/// Reports unknown keys (with "did you mean") and repeated keys (at the second occurrence).
fn check_keys(entries: &[Entry], level: &str, known: &[&str], repeatable: &[&str], cx: &Ctxt) {
    let mut seen: Vec<&str> = Vec::new();
    for entry in entries {
        if entry.key_is_str {
            cx.error(
                entry.key_span,
                format!("{level} keys are names, not strings: `{}`", entry.key),
            );
            continue;
        }
        if !known.contains(&entry.key.as_str()) {
            let help = match ecsdef_model::did_you_mean(&entry.key, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of {}", list(known)),
            };
            cx.error_help(
                entry.key_span,
                format!("unknown {level} key `{}`", entry.key),
                help,
            );
            continue;
        }
        if seen.contains(&entry.key.as_str()) && !repeatable.contains(&entry.key.as_str()) {
            cx.error(entry.key_span, format!("duplicate `{}`", entry.key));
        }
        seen.push(&entry.key);
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first entry of `key`, once [`check_keys`] has reported repeats.
fn find<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.key == key && !e.key_is_str)
}

fn all<'a>(entries: &'a [Entry], key: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
    entries
        .iter()
        .filter(move |e| e.key == key && !e.key_is_str)
}

fn non_literal_help() -> &'static str {
    "ecsdef reads attributes without compiling them (so `cargo ecsdef` sees what the compiler sees): write the value itself, not a `const`, macro or expression"
}

fn expected(cx: &Ctxt, entry: &Entry, form: &str, example: &str) {
    let found = match &entry.value {
        Value::NonLiteral(text, start, end) => {
            cx.push(
                SpannedDiagnostic::error(
                    *start,
                    format!("expected `{}` to be {form}: `{} = {example}`; found `{text}`, which is not a literal", entry.key, entry.key),
                )
                .with_help(non_literal_help())
                .to_end(*end),
            );
            return;
        }
        Value::Flag => "nothing".to_owned(),
        Value::Lit(l) => describe(&l.kind).to_owned(),
        Value::List(..) => "a list".to_owned(),
        Value::Group(..) | Value::Names(..) => "a group".to_owned(),
    };
    cx.error(
        entry.value_span(),
        format!(
            "expected `{}` to be {form}: `{} = {example}`; found {found}",
            entry.key, entry.key
        ),
    );
}

fn describe(kind: &LitKind) -> &'static str {
    match kind {
        LitKind::Str(_) => "a string",
        LitKind::Int(_) => "an integer",
        LitKind::Float(_) => "a float",
        LitKind::Bool(_) => "a boolean",
        LitKind::Char(_) => "a char",
        LitKind::Other(_) => "another literal",
    }
}

fn get_str(entry: &Entry, cx: &Ctxt) -> Option<(String, Span)> {
    if let Value::Lit(Lit {
        kind: LitKind::Str(s),
        span,
    }) = &entry.value
    {
        Some((s.clone(), *span))
    } else {
        expected(cx, entry, "a string", "\"...\"");
        None
    }
}

fn get_int(entry: &Entry, min: i128, max: i128, cx: &Ctxt) -> Option<(i32, Span)> {
    if let Value::Lit(Lit {
        kind: LitKind::Int(n),
        span,
    }) = &entry.value
    {
        if (min..=max).contains(n) {
            i32::try_from(*n).ok().map(|n| (n, *span))
        } else {
            cx.error(
                *span,
                format!("`{}` must be between {min} and {max}, found {n}", entry.key),
            );
            None
        }
    } else {
        expected(cx, entry, "an integer", "1");
        None
    }
}

/// A boolean: `key = true|false`, or the bare flag `key` meaning `true`.
fn get_bool(entry: &Entry, cx: &Ctxt) -> Option<(bool, Span)> {
    match &entry.value {
        Value::Lit(Lit {
            kind: LitKind::Bool(b),
            span,
        }) => Some((*b, *span)),
        Value::Flag => Some((true, entry.key_span)),
        _ => {
            expected(cx, entry, "a boolean", "true");
            None
        }
    }
}

fn get_flag(entry: &Entry, cx: &Ctxt) -> bool {
    if let Value::Flag = &entry.value {
        true
    } else {
        cx.error_help(
            entry.value_span(),
            format!("`{}` takes no value", entry.key),
            format!("write `{}` alone", entry.key),
        );
        false
    }
}

/// A list of strings: `key = ["a", "b"]`, or one string `key = "a"`.
fn get_str_list(entry: &Entry, cx: &Ctxt) -> Option<(Vec<String>, Span)> {
    match &entry.value {
        Value::Lit(Lit {
            kind: LitKind::Str(s),
            span,
        }) => Some((vec![s.clone()], *span)),
        Value::List(items, span) => {
            let mut out = Vec::new();
            for item in items {
                match &item.kind {
                    LitKind::Str(s) => out.push(s.clone()),
                    other => cx.error(
                        item.span,
                        format!("`{}` takes strings; found {}", entry.key, describe(other)),
                    ),
                }
            }
            Some((out, *span))
        }
        _ => {
            expected(cx, entry, "a list of strings", "[\"...\", \"...\"]");
            None
        }
    }
}

fn get_group<'a>(entry: &'a Entry, example: &str, cx: &Ctxt) -> Option<&'a [Entry]> {
    if let Value::Group(entries, _) = &entry.value {
        Some(entries)
    } else {
        cx.error_help(
            entry.value_span(),
            format!("expected `{}(...)`", entry.key),
            format!("for example `{example}`"),
        );
        None
    }
}

/// `key("name" = "value", ...)`: string keys to string values.
fn get_string_map(entry: &Entry, cx: &Ctxt) -> Option<BTreeMap<String, String>> {
    let entries = get_group(entry, &format!("{}(\"name\" = \"value\")", entry.key), cx)?;
    let mut map = BTreeMap::new();
    for e in entries {
        if !e.key_is_str {
            cx.error_help(
                e.key_span,
                format!("`{}` takes string keys", entry.key),
                format!("write `\"{}\" = \"...\"`", e.key),
            );
            continue;
        }
        if let Some((value, _)) = get_str(e, cx) {
            if map.contains_key(&e.key) {
                cx.error(e.key_span, format!("duplicate `\"{}\"`", e.key));
            }
            map.insert(e.key.clone(), value);
        }
    }
    Some(map)
}

fn get_enum<T: std::str::FromStr<Err = ecsdef_model::UnknownEnumValue>>(
    entry: &Entry,
    cx: &Ctxt,
) -> Option<T> {
    let (text, span) = get_str(entry, cx)?;
    match text.parse::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            let help = match ecsdef_model::did_you_mean(&text, e.expected.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? (expected one of {})",
                    list(&e.expected)
                ),
                None => format!("expected one of {}", list(&e.expected)),
            };
            cx.error_help(
                span,
                format!("`{text}` is not a valid `{}`", entry.key),
                help,
            );
            None
        }
    }
}

fn get_allow(entry: &Entry, cx: &Ctxt) -> Vec<String> {
    let Value::Names(names, _) = &entry.value else {
        cx.error_help(
            entry.value_span(),
            "expected `allow(rule-name, ...)`",
            "for example `allow(image-unpinned)`",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, span, end) in names {
        let error = |message: String, help: String| {
            cx.push(
                SpannedDiagnostic::error(*span, message)
                    .with_help(help)
                    .to_end(*end),
            );
        };
        match ecsdef_model::rules::rule_info(name) {
            Some(info) if info.level == ecsdef_model::rules::Level::Warning || name == "plaintext-secret-in-env" => {
                out.push(name.clone());
            }
            Some(_) => error(
                format!("`{name}` is an error and cannot be allowed"),
                "only warnings, and the name test of `plaintext-secret-in-env`, can be silenced: fix the mistake instead".to_owned(),
            ),
            None => {
                let names = ecsdef_model::rules::RULES.iter().map(|r| r.name);
                let help = match ecsdef_model::did_you_mean(name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`cargo ecsdef explain` lists the rules".to_owned(),
                };
                error(format!("unknown rule `{name}`"), help);
            }
        }
    }
    out
}

fn get_crate(entry: &Entry, cx: &Ctxt) -> Option<proc_macro2::TokenStream> {
    let (text, span) = get_str(entry, cx)?;
    if let Ok(path) = syn::parse_str::<syn::Path>(&text) {
        Some(quote::ToTokens::into_token_stream(path))
    } else {
        cx.error(
            span,
            format!("`{text}` is not a path: expected `crate = \"my_crate::ecsdef\"`"),
        );
        None
    }
}

/// Parses `extra = r#"{...}"#` into a JSON object.
fn get_extra(
    entry: &Entry,
    cx: &Ctxt,
) -> Option<(serde_json::Map<String, serde_json::Value>, Span)> {
    let (text, span) = get_str(entry, cx)?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => Some((map, span)),
        Ok(_) => {
            cx.error_help(
                span,
                "`extra` must be a JSON object",
                "for example `extra = r#\"{\"privileged\": true}\"#`",
            );
            None
        }
        Err(e) => {
            cx.error(span, format!("`extra` is not valid JSON: {e}"));
            None
        }
    }
}

/// Checks `extra` against the model shape it extends (`extra-unknown-key`, `extra-type`) and
/// merges it into `value`, the definition the attributes built, serialized. The merged value,
/// when nothing is wrong so far.
fn apply_extra(
    mut value: serde_json::Value,
    extra: &serde_json::Map<String, serde_json::Value>,
    shape: &str,
    container: Option<usize>,
    span: Span,
    spans: &mut SpanMap,
    cx: &Ctxt,
) -> Option<serde_json::Value> {
    spans.insert("@extra", span);
    let location = ecsdef_model::rules::Location::Context {
        container,
        key: "extra",
    };
    let extra_value = serde_json::Value::Object(extra.clone());
    for d in ecsdef_model::rules::check_extra(&extra_value, shape, &location) {
        cx.push(crate::check::spanned(d, span));
    }
    merge_extra(&mut value, extra, span, spans, cx);
    (!cx.has_errors()).then_some(value)
}

/// Merges `extra` into a serialized definition, refusing members the grammar already set.
fn merge_extra(
    target: &mut serde_json::Value,
    extra: &serde_json::Map<String, serde_json::Value>,
    span: Span,
    spans: &mut SpanMap,
    cx: &Ctxt,
) {
    let Some(object) = target.as_object_mut() else {
        return;
    };
    for (key, value) in extra {
        if object.contains_key(key) {
            cx.error_help(
                span,
                format!("`extra` sets `{key}`, which the attributes already set"),
                format!("set `{key}` in one place only"),
            );
            continue;
        }
        object.insert(key.clone(), value.clone());
        spans.insert(key.clone(), span);
    }
}

/// `SCREAMING_SNAKE_CASE` of a Rust field name.
pub fn screaming_snake(field: &str) -> String {
    field.trim_start_matches("r#").to_ascii_uppercase()
}

/// The type as the environment rules see it: `Option<T>` and the primitive `T`.
fn field_type(ty: &syn::Type) -> (bool, FieldType) {
    fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
            syn::Type::Group(g) => last_segment(&g.elem),
            syn::Type::Paren(p) => last_segment(&p.elem),
            _ => None,
        }
    }
    let Some(segment) = last_segment(ty) else {
        return (false, FieldType::Other);
    };
    if segment.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        let inner = last_segment(inner).map_or(FieldType::Other, |s| {
            if s.arguments.is_empty() {
                FieldType::from_rust_name(&s.ident.to_string())
            } else {
                FieldType::Other
            }
        });
        return (true, inner);
    }
    let ty = if segment.arguments.is_empty() {
        FieldType::from_rust_name(&segment.ident.to_string())
    } else {
        FieldType::Other
    };
    (false, ty)
}

fn named_fields<'a>(input: &'a syn::DeriveInput, derive: &str, cx: &Ctxt) -> Vec<&'a syn::Field> {
    match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) => fields.named.iter().collect(),
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Unit,
            ..
        }) => Vec::new(),
        syn::Data::Struct(s) => {
            cx.error(
                s.fields.span(),
                format!("`#[derive({derive})]` needs named fields"),
            );
            Vec::new()
        }
        syn::Data::Enum(e) => {
            cx.error(
                e.enum_token.span,
                format!("`#[derive({derive})]` is for structs, not enums"),
            );
            Vec::new()
        }
        syn::Data::Union(u) => {
            cx.error(
                u.union_token.span,
                format!("`#[derive({derive})]` is for structs, not unions"),
            );
            Vec::new()
        }
    }
}

/// Parses a `#[derive(Container)]` struct.
pub fn container(input: &syn::DeriveInput, cx: &Ctxt) -> ContainerDecl {
    let entries = ecs_entries(&input.attrs, cx);
    check_keys(
        &entries,
        "container",
        symbol::CONTAINER_KEYS,
        symbol::CONTAINER_REPEATABLE,
        cx,
    );
    let mut def = ContainerDefinition::default();
    let mut context = ContainerContext::default();
    let mut spans = SpanMap::default();
    spans.insert("", input.ident.span());

    match find(&entries, "image") {
        Some(e) => {
            if let Some((image, span)) = get_str(e, cx) {
                def.image = Some(image);
                spans.insert("image", span);
            }
        }
        None => cx.error_help(
            input.ident.span(),
            format!("`{}` has no `image`", input.ident),
            "every container needs one: `#[ecs(image = \"ghcr.io/acme/web:${IMAGE_TAG}\")]`",
        ),
    }
    if let Some((value, span)) = find(&entries, "credentials").and_then(|e| get_str(e, cx)) {
        def.repository_credentials = Some(RepositoryCredentials {
            credentials_parameter: value,
        });
        spans.insert("repositoryCredentials.credentialsParameter", span);
    }
    if let Some((value, span)) = find(&entries, "kms_key").and_then(|e| get_str(e, cx)) {
        context.kms_key = Some(value);
        spans.insert("@kms_key", span);
    }
    if let Some((value, span)) = find(&entries, "name").and_then(|e| get_str(e, cx)) {
        def.name = Some(value);
        spans.insert("name", span);
    }
    if let Some((value, span)) = find(&entries, "essential").and_then(|e| get_bool(e, cx)) {
        def.essential = Some(value);
        spans.insert("essential", span);
    }
    for (key, member) in [
        ("cpu", "cpu"),
        ("memory", "memory"),
        ("memory_reservation", "memoryReservation"),
    ] {
        if let Some((value, span)) =
            find(&entries, key).and_then(|e| get_int(e, 0, i128::from(i32::MAX), cx))
        {
            match key {
                "cpu" => def.cpu = Some(value),
                "memory" => def.memory = Some(value),
                _ => def.memory_reservation = Some(value),
            }
            spans.insert(member, span);
        }
    }
    for (k, e) in all(&entries, "port").enumerate() {
        if let Some((mapping, span)) = port(e, cx) {
            spans.insert_fmt(format_args!("portMappings[{k}]"), span);
            def.port_mappings.get_or_insert_with(Vec::new).push(mapping);
        }
    }
    if let Some(e) = find(&entries, "health_check") {
        def.health_check = health_check(e, &mut spans, cx);
    }
    if let Some(e) = find(&entries, "log") {
        def.log_configuration = log(e, &mut spans, cx);
    }
    for (key, member) in [("command", "command"), ("entry_point", "entryPoint")] {
        if let Some((value, span)) = find(&entries, key).and_then(|e| get_str_list(e, cx)) {
            spans.insert(member, span);
            if key == "command" {
                def.command = Some(value);
            } else {
                def.entry_point = Some(value);
            }
        }
    }
    for (key, member) in [("working_directory", "workingDirectory"), ("user", "user")] {
        if let Some((value, span)) = find(&entries, key).and_then(|e| get_str(e, cx)) {
            spans.insert(member, span);
            if key == "user" {
                def.user = Some(value);
            } else {
                def.working_directory = Some(value);
            }
        }
    }
    for (key, member) in [
        ("stop_timeout", "stopTimeout"),
        ("start_timeout", "startTimeout"),
    ] {
        if let Some((value, span)) = find(&entries, key).and_then(|e| get_int(e, 0, 3600, cx)) {
            spans.insert(member, span);
            if key == "stop_timeout" {
                def.stop_timeout = Some(value);
            } else {
                def.start_timeout = Some(value);
            }
        }
    }
    if let Some((value, span)) =
        find(&entries, "read_only_root_filesystem").and_then(|e| get_bool(e, cx))
    {
        def.readonly_root_filesystem = Some(value);
        spans.insert("readonlyRootFilesystem", span);
    }
    if let Some((value, span)) =
        find(&entries, "init_process_enabled").and_then(|e| get_bool(e, cx))
    {
        def.linux_parameters
            .get_or_insert_with(Default::default)
            .init_process_enabled = Some(value);
        spans.insert("linuxParameters.initProcessEnabled", span);
    }
    if let Some(e) = find(&entries, "labels")
        && let Some(map) = get_string_map(e, cx)
    {
        spans.insert("dockerLabels", e.value_span());
        def.docker_labels = Some(map);
    }
    for (k, e) in all(&entries, "ulimit").enumerate() {
        if let Some(u) = ulimit(e, cx) {
            spans.insert_fmt(format_args!("ulimits[{k}]"), e.value_span());
            def.ulimits.get_or_insert_with(Vec::new).push(u);
        }
    }
    for (k, e) in all(&entries, "mount").enumerate() {
        if let Some(m) = mount(e, cx) {
            spans.insert_fmt(format_args!("mountPoints[{k}]"), e.value_span());
            def.mount_points.get_or_insert_with(Vec::new).push(m);
        }
    }
    for e in all(&entries, "allow") {
        context.allow.extend(get_allow(e, cx));
    }
    let krate = find(&entries, "crate").and_then(|e| get_crate(e, cx));
    let env_prefix = find(&entries, "env_prefix")
        .and_then(|e| get_str(e, cx))
        .map(|(p, _)| p)
        .unwrap_or_default();

    for field in named_fields(input, "Container", cx) {
        container_field(field, &env_prefix, &mut def, &mut context, &mut spans, cx);
    }

    if let Some(e) = find(&entries, "extra")
        && let Some((extra, span)) = get_extra(e, cx)
    {
        let value = ecsdef_model::json::container_definition_to_value(&def);
        let merged = apply_extra(
            value,
            &extra,
            "ContainerDefinition",
            Some(0),
            span,
            &mut spans,
            cx,
        );
        if let Some(merged) = merged
            && let Ok(merged) = ecsdef_model::json::container_definition_from_value(&merged)
        {
            def = merged;
        }
    }

    ContainerDecl {
        ident: input.ident.clone(),
        definition: def,
        context,
        spans,
        krate,
    }
}

fn container_field(
    field: &syn::Field,
    env_prefix: &str,
    def: &mut ContainerDefinition,
    context: &mut ContainerContext,
    spans: &mut SpanMap,
    cx: &Ctxt,
) {
    let Some(ident) = &field.ident else { return };
    let name = ident.to_string().trim_start_matches("r#").to_owned();
    let entries = ecs_entries(&field.attrs, cx);
    check_keys(
        &entries,
        "field",
        symbol::CONTAINER_FIELD_KEYS,
        &["allow"],
        cx,
    );
    let (optional, ty) = field_type(&field.ty);
    let mut name_span = ident.span();
    let variable = match find(&entries, "rename").and_then(|e| get_str(e, cx)) {
        Some((v, span)) => {
            name_span = span;
            v
        }
        None => format!("{env_prefix}{}", screaming_snake(&name)),
    };
    let mut allow = Vec::new();
    for e in all(&entries, "allow") {
        allow.extend(get_allow(e, cx));
    }
    let env = find(&entries, "env");
    let secret = find(&entries, "secret");
    let skip = find(&entries, "skip");
    let given: Vec<&Entry> = [env, secret, skip].into_iter().flatten().collect();
    if given.len() > 1 {
        cx.error_help(
            given[1].key_span,
            format!(
                "field `{name}` has both `{}` and `{}`",
                given[0].key, given[1].key
            ),
            "a field is set by exactly one of `env`, `secret` or `skip`",
        );
    }
    spans.insert_fmt(format_args!("field:{name}"), ident.span());
    let value = if let Some(e) = env {
        if let Value::Lit(lit) = &e.value {
            let text = lit.kind.env_text();
            let k = def.environment.as_ref().map_or(0, Vec::len);
            spans.insert_fmt(format_args!("environment[{k}].value"), lit.span);
            spans.insert_fmt(format_args!("environment[{k}].name"), name_span);
            spans.insert_fmt(format_args!("field:{name}:value"), lit.span);
            def.environment
                .get_or_insert_with(Vec::new)
                .push(KeyValuePair {
                    name: Some(variable.clone()),
                    value: Some(text.clone()),
                });
            FieldValue::Env(text)
        } else {
            expected(cx, e, "a literal", "\"...\"");
            FieldValue::None
        }
    } else if let Some(e) = secret {
        match get_str(e, cx) {
            Some((text, span)) => {
                let k = def.secrets.as_ref().map_or(0, Vec::len);
                spans.insert_fmt(format_args!("secrets[{k}].valueFrom"), span);
                spans.insert_fmt(format_args!("secrets[{k}].name"), name_span);
                spans.insert_fmt(format_args!("field:{name}:value"), span);
                def.secrets.get_or_insert_with(Vec::new).push(Secret {
                    name: variable.clone(),
                    value_from: text.clone(),
                });
                FieldValue::Secret(text)
            }
            None => FieldValue::None,
        }
    } else if let Some(e) = skip {
        get_flag(e, cx);
        FieldValue::Skip
    } else {
        FieldValue::None
    };
    context.fields.push(FieldInfo {
        name,
        variable,
        ty,
        optional,
        value,
        allow,
    });
}

fn port(entry: &Entry, cx: &Ctxt) -> Option<(PortMapping, Span)> {
    match &entry.value {
        Value::Lit(Lit {
            kind: LitKind::Int(_),
            ..
        }) => {
            let (port, span) = get_int(entry, 0, 65535, cx)?;
            Some((
                PortMapping {
                    container_port: Some(port),
                    ..Default::default()
                },
                span,
            ))
        }
        Value::Group(entries, span) => {
            check_keys(entries, "port", symbol::PORT_KEYS, &[], cx);
            let mut mapping = PortMapping::default();
            match find(entries, "container") {
                Some(e) => mapping.container_port = get_int(e, 0, 65535, cx).map(|p| p.0),
                None => cx.error_help(
                    *span,
                    "`port(...)` needs `container`",
                    "for example `port(container = 8080, protocol = \"tcp\")`",
                ),
            }
            mapping.host_port = find(entries, "host")
                .and_then(|e| get_int(e, 0, 65535, cx))
                .map(|p| p.0);
            mapping.protocol = find(entries, "protocol").and_then(|e| get_enum(e, cx));
            mapping.name = find(entries, "name")
                .and_then(|e| get_str(e, cx))
                .map(|p| p.0);
            mapping.app_protocol = find(entries, "app_protocol").and_then(|e| get_enum(e, cx));
            Some((mapping, *span))
        }
        _ => {
            expected(cx, entry, "a port number or `port(...)`", "8080");
            None
        }
    }
}

fn health_check(entry: &Entry, spans: &mut SpanMap, cx: &Ctxt) -> Option<HealthCheck> {
    let entries = get_group(
        entry,
        "health_check(command = \"curl -f http://localhost/ || exit 1\", interval = 30)",
        cx,
    )?;
    check_keys(entries, "health_check", symbol::HEALTH_CHECK_KEYS, &[], cx);
    spans.insert("healthCheck", entry.key_span);
    let Some(e) = find(entries, "command") else {
        cx.error_help(
            entry.key_span,
            "`health_check` needs `command`",
            "for example `command = \"curl -f http://localhost/ || exit 1\"`",
        );
        return None;
    };
    // A single string runs in the container's shell, as Docker's HEALTHCHECK does.
    let command = if let Value::Lit(Lit {
        kind: LitKind::Str(s),
        span,
    }) = &e.value
    {
        spans.insert("healthCheck.command", *span);
        vec!["CMD-SHELL".to_owned(), s.clone()]
    } else {
        let (list, span) = get_str_list(e, cx)?;
        spans.insert("healthCheck.command", span);
        list
    };
    let mut hc = HealthCheck {
        command,
        ..Default::default()
    };
    for (key, member) in [
        ("interval", "interval"),
        ("timeout", "timeout"),
        ("retries", "retries"),
        ("start_period", "startPeriod"),
    ] {
        if let Some((value, span)) = find(entries, key)
            .and_then(|e| get_int(e, i128::from(i32::MIN), i128::from(i32::MAX), cx))
        {
            spans.insert_fmt(format_args!("healthCheck.{member}"), span);
            match key {
                "interval" => hc.interval = Some(value),
                "timeout" => hc.timeout = Some(value),
                "retries" => hc.retries = Some(value),
                _ => hc.start_period = Some(value),
            }
        }
    }
    Some(hc)
}

fn log(entry: &Entry, spans: &mut SpanMap, cx: &Ctxt) -> Option<LogConfiguration> {
    let entries = get_group(
        entry,
        "log(driver = \"awslogs\", group = \"/ecs/web\", region = \"us-east-1\", stream_prefix = \"web\")",
        cx,
    )?;
    check_keys(entries, "log", symbol::LOG_KEYS, &[], cx);
    spans.insert("logConfiguration", entry.key_span);
    let driver: LogDriver = if let Some(e) = find(entries, "driver") {
        spans.insert("logConfiguration.logDriver", e.value_span());
        get_enum(e, cx)?
    } else {
        cx.error_help(
            entry.key_span,
            "`log` needs `driver`",
            "for example `driver = \"awslogs\"`",
        );
        return None;
    };
    let mut options = BTreeMap::new();
    let awslogs = [
        ("group", "awslogs-group"),
        ("region", "awslogs-region"),
        ("stream_prefix", "awslogs-stream-prefix"),
    ];
    for (key, option) in awslogs {
        if let Some(e) = find(entries, key) {
            if driver != LogDriver::Awslogs {
                cx.error_help(
                    e.key_span,
                    format!("`{key}` is an `awslogs` option"),
                    format!("for the `{driver}` driver, use `options(\"...\" = \"...\")`"),
                );
                continue;
            }
            if let Some((value, span)) = get_str(e, cx) {
                spans.insert_fmt(format_args!("logConfiguration.options.{option}"), span);
                options.insert(option.to_owned(), value);
            }
        }
    }
    if let Some(e) = find(entries, "create_group")
        && let Some((value, span)) = get_bool(e, cx)
    {
        spans.insert("logConfiguration.options.awslogs-create-group", span);
        options.insert("awslogs-create-group".to_owned(), value.to_string());
    }
    if let Some((value, span)) = find(entries, "mode").and_then(|e| get_str(e, cx)) {
        spans.insert("logConfiguration.options.mode", span);
        options.insert("mode".to_owned(), value);
    }
    if let Some(e) = find(entries, "options")
        && let Some(map) = get_string_map(e, cx)
    {
        for (key, value) in map {
            spans.insert_fmt(
                format_args!("logConfiguration.options.{key}"),
                e.value_span(),
            );
            if options.insert(key.clone(), value).is_some() {
                cx.error(
                    e.value_span(),
                    format!("`options` sets `{key}`, which `log(...)` already sets"),
                );
            }
        }
    }
    spans.insert("logConfiguration.options", entry.key_span);
    Some(LogConfiguration {
        log_driver: driver,
        options: (!options.is_empty()).then_some(options),
        secret_options: None,
    })
}

fn ulimit(entry: &Entry, cx: &Ctxt) -> Option<Ulimit> {
    let entries = get_group(
        entry,
        "ulimit(name = \"nofile\", soft = 1024, hard = 4096)",
        cx,
    )?;
    check_keys(entries, "ulimit", symbol::ULIMIT_KEYS, &[], cx);
    let name = find(entries, "name").and_then(|e| get_enum(e, cx));
    let soft = find(entries, "soft").and_then(|e| get_int(e, 0, i128::from(i32::MAX), cx));
    let hard = find(entries, "hard").and_then(|e| get_int(e, 0, i128::from(i32::MAX), cx));
    if let (Some(name), Some((soft, _)), Some((hard, _))) = (name, soft, hard) {
        Some(Ulimit {
            name,
            soft_limit: soft,
            hard_limit: hard,
        })
    } else {
        cx.error_help(
            entry.key_span,
            "`ulimit` needs `name`, `soft` and `hard`",
            "for example `ulimit(name = \"nofile\", soft = 1024, hard = 4096)`",
        );
        None
    }
}

fn mount(entry: &Entry, cx: &Ctxt) -> Option<MountPoint> {
    let entries = get_group(entry, "mount(source = \"data\", path = \"/var/data\")", cx)?;
    check_keys(entries, "mount", symbol::MOUNT_KEYS, &[], cx);
    let source = find(entries, "source")
        .and_then(|e| get_str(e, cx))
        .map(|p| p.0);
    let path = find(entries, "path")
        .and_then(|e| get_str(e, cx))
        .map(|p| p.0);
    if source.is_none() || path.is_none() {
        cx.error_help(
            entry.key_span,
            "`mount` needs `source` (a task volume) and `path`",
            "for example `mount(source = \"data\", path = \"/var/data\")`",
        );
        return None;
    }
    let read_only = find(entries, "read_only")
        .and_then(|e| get_bool(e, cx))
        .map(|p| p.0);
    Some(MountPoint {
        source_volume: source,
        container_path: path,
        read_only,
    })
}

/// Parses a `#[derive(TaskDefinition)]` struct.
pub fn task(input: &syn::DeriveInput, cx: &Ctxt) -> TaskDecl {
    let entries = ecs_entries(&input.attrs, cx);
    check_keys(
        &entries,
        "task",
        symbol::TASK_KEYS,
        symbol::TASK_REPEATABLE,
        cx,
    );
    let mut def = TaskDefinition::default();
    let mut context = Context::default();
    let mut spans = SpanMap::default();
    spans.insert("", input.ident.span());

    def.family = match find(&entries, "family").and_then(|e| get_str(e, cx)) {
        Some((family, span)) => {
            spans.insert("family", span);
            family
        }
        None => kebab_case(&input.ident.to_string()),
    };
    spans.insert("family", input.ident.span());

    let mut compatibilities = Vec::new();
    for (key, compatibility) in [
        ("fargate", Compatibility::Fargate),
        ("ec2", Compatibility::Ec2),
        ("external", Compatibility::External),
    ] {
        if let Some(e) = find(&entries, key)
            && get_flag(e, cx)
        {
            compatibilities.push(compatibility);
            spans.insert("requiresCompatibilities", e.key_span);
        }
    }
    let fargate = compatibilities.contains(&Compatibility::Fargate);
    if !compatibilities.is_empty() {
        def.requires_compatibilities = Some(compatibilities);
    }
    match find(&entries, "network_mode") {
        Some(e) => {
            spans.insert("networkMode", e.value_span());
            def.network_mode = get_enum(e, cx);
        }
        None if fargate => def.network_mode = Some(ecsdef_model::NetworkMode::Awsvpc),
        None => {}
    }
    for key in ["cpu", "memory"] {
        if let Some(e) = find(&entries, key) {
            let value = match &e.value {
                Value::Lit(Lit {
                    kind: LitKind::Int(_),
                    ..
                }) => get_int(e, 1, i128::from(i32::MAX), cx).map(|(n, _)| n.to_string()),
                Value::Lit(Lit {
                    kind: LitKind::Str(s),
                    ..
                }) => Some(s.clone()),
                _ => {
                    expected(
                        cx,
                        e,
                        "an integer or an AWS size string",
                        if key == "cpu" {
                            "256` or `\"1 vCPU\""
                        } else {
                            "512` or `\"2 GB\""
                        },
                    );
                    None
                }
            };
            spans.insert(key, e.value_span());
            if key == "cpu" {
                def.cpu = value;
            } else {
                def.memory = value;
            }
        }
    }
    for (key, member) in [
        ("execution_role", "executionRoleArn"),
        ("task_role", "taskRoleArn"),
    ] {
        if let Some((value, span)) = find(&entries, key).and_then(|e| get_str(e, cx)) {
            spans.insert(member, span);
            if key == "task_role" {
                def.task_role_arn = Some(value);
            } else {
                def.execution_role_arn = Some(value);
            }
        }
    }
    for key in ["region", "platform_version", "agent_version"] {
        if let Some((value, span)) = find(&entries, key).and_then(|e| get_str(e, cx)) {
            spans.insert_fmt(format_args!("@{key}"), span);
            match key {
                "region" => context.region = Some(value),
                "platform_version" => context.platform_version = Some(value),
                _ => context.agent_version = Some(value),
            }
        }
    }
    if let Some(e) = find(&entries, "runtime_platform")
        && let Some(group) = get_group(e, "runtime_platform(os = \"LINUX\", arch = \"ARM64\")", cx)
    {
        check_keys(
            group,
            "runtime_platform",
            symbol::RUNTIME_PLATFORM_KEYS,
            &[],
            cx,
        );
        spans.insert("runtimePlatform", e.key_span);
        def.runtime_platform = Some(RuntimePlatform {
            operating_system_family: find(group, "os").and_then(|e| get_enum(e, cx)),
            cpu_architecture: find(group, "arch").and_then(|e| get_enum(e, cx)),
        });
    }
    if let Some((size, span)) =
        find(&entries, "ephemeral_storage").and_then(|e| get_int(e, 21, 200, cx))
    {
        spans.insert("ephemeralStorage", span);
        def.ephemeral_storage = Some(ecsdef_model::EphemeralStorage { size_in_gib: size });
    }
    if let Some(e) = find(&entries, "tags")
        && let Some(map) = get_string_map(e, cx)
    {
        spans.insert("tags", e.value_span());
        def.tags = Some(
            map.into_iter()
                .map(|(key, value)| Tag {
                    key: Some(key),
                    value: Some(value),
                })
                .collect(),
        );
    }
    for (k, e) in all(&entries, "volume").enumerate() {
        if let Some(group) = get_group(e, "volume(name = \"data\", host_path = \"/var/data\")", cx)
        {
            check_keys(group, "volume", symbol::VOLUME_KEYS, &[], cx);
            spans.insert_fmt(format_args!("volumes[{k}]"), e.key_span);
            let name = find(group, "name")
                .and_then(|e| get_str(e, cx))
                .map(|p| p.0);
            if name.is_none() {
                cx.error(e.key_span, "`volume` needs `name`");
            }
            let host = find(group, "host_path")
                .and_then(|e| get_str(e, cx))
                .map(|(p, _)| HostVolumeProperties {
                    source_path: Some(p),
                });
            let configured_at_launch = find(group, "configured_at_launch")
                .and_then(|e| get_bool(e, cx))
                .map(|p| p.0);
            def.volumes.get_or_insert_with(Vec::new).push(Volume {
                name,
                host,
                configured_at_launch,
                ..Default::default()
            });
        }
    }
    if let Some(e) = find(&entries, "pid_mode") {
        spans.insert("pidMode", e.value_span());
        def.pid_mode = get_enum(e, cx);
    }
    if let Some(e) = find(&entries, "ipc_mode") {
        spans.insert("ipcMode", e.value_span());
        def.ipc_mode = get_enum(e, cx);
    }
    for e in all(&entries, "allow") {
        context.allow.extend(get_allow(e, cx));
    }
    let krate = find(&entries, "crate").and_then(|e| get_crate(e, cx));

    let mut fields = Vec::new();
    for field in named_fields(input, "TaskDefinition", cx) {
        if let Some(f) = task_field(field, cx) {
            fields.push(f);
        }
    }
    if fields.is_empty() && matches!(input.data, syn::Data::Struct(_)) {
        cx.error_help(
            input.ident.span(),
            format!("task `{}` has no containers", input.ident),
            "add a field for each container, of a type that derives `Container`",
        );
    }

    if let Some(e) = find(&entries, "extra")
        && let Some((extra, span)) = get_extra(e, cx)
    {
        if extra.contains_key("containerDefinitions") {
            cx.error_help(
                span,
                "`extra` cannot set `containerDefinitions`",
                "containers are the task's fields",
            );
        }
        let value = ecsdef_model::json::task_definition_to_value(&def);
        let merged = apply_extra(
            value,
            &extra,
            "RegisterTaskDefinitionRequest",
            None,
            span,
            &mut spans,
            cx,
        );
        if let Some(merged) = merged
            && let Ok(merged) = ecsdef_model::json::task_definition_from_value(&merged)
        {
            def = merged;
        }
    }

    TaskDecl {
        ident: input.ident.clone(),
        definition: def,
        context,
        fields,
        spans,
        krate,
    }
}

fn task_field(field: &syn::Field, cx: &Ctxt) -> Option<TaskField> {
    let ident = field.ident.clone()?;
    let entries = ecs_entries(&field.attrs, cx);
    check_keys(
        &entries,
        "task field",
        symbol::TASK_FIELD_KEYS,
        symbol::TASK_FIELD_REPEATABLE,
        cx,
    );
    let mut spans = SpanMap::default();
    spans.insert("", field.ty.span());
    let mut overrides = FieldOverrides {
        field_name: ident.to_string().trim_start_matches("r#").to_owned(),
        ..Default::default()
    };
    if let Some((name, span)) = find(&entries, "name").and_then(|e| get_str(e, cx)) {
        spans.insert("name", span);
        overrides.name = Some(name);
    }
    spans.insert("@ident", ident.span());
    if let Some((value, span)) = find(&entries, "essential").and_then(|e| get_bool(e, cx)) {
        spans.insert("essential", span);
        overrides.essential = Some(value);
    }
    for (key, member) in [
        ("cpu", "cpu"),
        ("memory", "memory"),
        ("memory_reservation", "memoryReservation"),
    ] {
        if let Some((value, span)) =
            find(&entries, key).and_then(|e| get_int(e, 0, i128::from(i32::MAX), cx))
        {
            spans.insert(member, span);
            match key {
                "cpu" => overrides.cpu = Some(value),
                "memory" => overrides.memory = Some(value),
                _ => overrides.memory_reservation = Some(value),
            }
        }
    }
    for (k, e) in all(&entries, "depends_on").enumerate() {
        let Some(group) = get_group(
            e,
            "depends_on(container = \"app\", condition = \"HEALTHY\")",
            cx,
        ) else {
            continue;
        };
        check_keys(group, "depends_on", symbol::DEPENDS_ON_KEYS, &[], cx);
        let container = find(group, "container").and_then(|e| get_str(e, cx));
        let condition = match find(group, "condition") {
            Some(c) => {
                spans.insert_fmt(format_args!("dependsOn[{k}].condition"), c.value_span());
                get_enum::<ContainerCondition>(c, cx)
            }
            None => Some(ContainerCondition::Start),
        };
        match (container, condition) {
            (Some((container_name, span)), Some(condition)) => {
                spans.insert_fmt(format_args!("dependsOn[{k}].containerName"), span);
                overrides.depends_on.push(ContainerDependency {
                    container_name,
                    condition,
                });
            }
            (None, _) => cx.error(e.key_span, "`depends_on` needs `container`"),
            _ => {}
        }
    }
    for e in all(&entries, "allow") {
        overrides.allow.extend(get_allow(e, cx));
    }
    Some(TaskField {
        ident,
        ty: quote::ToTokens::to_token_stream(&field.ty),
        overrides,
        spans,
    })
}

/// `WebTask` -> `web-task`.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.trim_start_matches("r#").chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}
