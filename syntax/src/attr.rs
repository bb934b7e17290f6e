//! The attribute level: one parser per level (container, container field, task, task field,
//! and the groups inside them), each turning `#[ecs(...)]` entries into the model while
//! recording every mistake with its span. Checks that need several attributes, and every AWS
//! rule, run later on the result.
//!
//! The table of [`keys`] says which keys each level has, and parses every key that sets one
//! value to a literal ([`scalar`]); each level's parser walks the table in order and gives the
//! other keys their own code.

use std::collections::BTreeMap;

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context, FieldInfo, FieldValue};
use ecsdef_model::tree::{Map as JsonMap, Value as JsonValue};
use ecsdef_model::{
    Compatibility, ContainerCondition, ContainerDefinition, ContainerDependency, HealthCheck,
    HostVolumeProperties, KeyValuePair, LogConfiguration, LogDriver, MountPoint, PortMapping,
    RuntimePlatform, Secret, Tag, TaskDefinition, Ulimit, Volume,
};

use crate::ast::{ContainerDecl, SpanKey, SpanMap, TaskDecl, TaskField};
use crate::ctxt::{Ctxt, SpannedDiagnostic};
use crate::input::{Body, Field, Input, Token};
use crate::keys::{self, Key, Kind, Level, Set};
use crate::meta::{Entry, Lit, LitKind, Value, ecs_entries};

/// Reports unknown keys (with "did you mean") and repeated keys (at the second occurrence), as
/// the table of keys describes the level.
fn check_keys<S: Copy>(entries: &[Entry<S>], level: Level, cx: &Ctxt<S>) {
    let noun = level.noun();
    for (i, entry) in entries.iter().enumerate() {
        if entry.key_is_str {
            cx.error(
                entry.key_span,
                format!("{noun} keys are names, not strings: `{}`", entry.key),
            );
            continue;
        }
        let Some(key) = keys::find(level, &entry.key) else {
            let help = match ecsdef_model::did_you_mean(&entry.key, keys::names(level)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of {}", list(keys::names(level))),
            };
            cx.error_help(
                entry.key_span,
                format!("unknown {noun} key `{}`", entry.key),
                help,
            );
            continue;
        };
        // An earlier entry with this name was a known key too (names decide that), unless it
        // was written as a string.
        let seen = entries[..i]
            .iter()
            .any(|earlier| !earlier.key_is_str && earlier.key == entry.key);
        if seen && !key.repeatable {
            cx.error(entry.key_span, format!("duplicate `{}`", entry.key));
        }
    }
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a key the table parses writes into.
enum Target<'a> {
    Container(&'a mut ContainerDefinition, &'a mut ContainerContext),
    Task(&'a mut TaskDefinition, &'a mut Context),
    TaskField(&'a mut FieldOverrides),
}

/// Sets `value` with `set`, when `set` writes into `target` (the table's test holds every
/// setter to its level's target).
fn apply<T, R>(set: &Set<T, R>, target: &mut Target<'_>, value: T) -> Option<R> {
    match (set, target) {
        (Set::Container(set), Target::Container(def, _)) => Some(set(def, value)),
        (Set::ContainerContext(set), Target::Container(_, context)) => Some(set(context, value)),
        (Set::Task(set), Target::Task(def, _)) => Some(set(def, value)),
        (Set::TaskContext(set), Target::Task(_, context)) => Some(set(context, value)),
        (Set::TaskField(set), Target::TaskField(overrides)) => Some(set(overrides, value)),
        _ => None,
    }
}

/// Parses `entry`, of a key the table parses (a literal for one value), into `target`, and
/// records its span: at its JSON member, or as the context value of its name.
fn scalar<S: Copy>(
    key: &Key,
    entry: &Entry<S>,
    target: &mut Target<'_>,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) {
    let mut record = |span: S| match key.member.path() {
        Some(path) => spans.insert(SpanKey::Json(path), span),
        None => spans.insert(SpanKey::Context(key.name), span),
    };
    match &key.kind {
        Kind::Str(set) => {
            if let Some((value, span)) = get_str(entry, cx) {
                record(span);
                apply(set, target, value);
            }
        }
        Kind::Int { min, max, set } => {
            if let Some((value, span)) = get_int(entry, i128::from(*min), i128::from(*max), cx) {
                record(span);
                apply(set, target, value);
            }
        }
        Kind::Bool(set) => {
            if let Some((value, span)) = get_bool(entry, cx) {
                record(span);
                apply(set, target, value);
            }
        }
        Kind::StrList(set) => {
            if let Some((value, span)) = get_str_list(entry, cx) {
                record(span);
                apply(set, target, value);
            }
        }
        Kind::StrMap(set) => {
            if let Some(map) = get_string_map(entry, cx) {
                record(entry.value_span());
                apply(set, target, map);
            }
        }
        Kind::Enum(set) => {
            record(entry.value_span());
            if let Some((text, span)) = get_str(entry, cx)
                && let Some(Err(e)) = apply(set, target, text.clone())
            {
                unknown_enum_value(entry, &text, span, &e, cx);
            }
        }
        // A key of its own form reaches this only when its level's parser has no code for
        // it: the pass cases, which use every key of the table, fail on it in a debug build.
        Kind::Own(_) => debug_assert!(
            false,
            "`{}` ({} level) is parsed by its own code, which attr.rs does not have",
            key.name,
            key.level.noun()
        ),
    }
}

/// The entries of `key` that count: every one of a repeatable key, the first of another
/// (its repeats are reported by [`check_keys`]).
fn entries_of<'a, S: Copy>(
    entries: &'a [Entry<S>],
    key: &'a Key,
) -> impl Iterator<Item = &'a Entry<S>> + 'a {
    all(entries, key.name).take(if key.repeatable { usize::MAX } else { 1 })
}

/// `list`, created the first time with room for `count()` items: the items of a repeatable
/// key, counted once. `cargo ecsdef` keeps every declaration until its tasks are checked, and
/// a list grown one push at a time holds room for four (a port mapping, 72 bytes, in 288).
fn exact<T>(list: &mut Option<Vec<T>>, count: impl FnOnce() -> usize) -> &mut Vec<T> {
    list.get_or_insert_with(|| Vec::with_capacity(count()))
}

/// The first entry of `key`, once [`check_keys`] has reported repeats.
fn find<'a, S: Copy>(entries: &'a [Entry<S>], key: &str) -> Option<&'a Entry<S>> {
    entries.iter().find(|e| e.key == key && !e.key_is_str)
}

fn all<'a, S: Copy>(
    entries: &'a [Entry<S>],
    key: &'a str,
) -> impl Iterator<Item = &'a Entry<S>> + 'a {
    entries
        .iter()
        .filter(move |e| e.key == key && !e.key_is_str)
}

fn non_literal_help() -> &'static str {
    "ecsdef reads attributes without compiling them (so `cargo ecsdef` sees what the compiler sees): write the value itself, not a `const`, macro or expression"
}

fn expected<S: Copy>(cx: &Ctxt<S>, entry: &Entry<S>, form: &str, example: &str) {
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

fn get_str<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<(String, S)> {
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

fn get_int<S: Copy>(entry: &Entry<S>, min: i128, max: i128, cx: &Ctxt<S>) -> Option<(i32, S)> {
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
fn get_bool<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<(bool, S)> {
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

fn get_flag<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> bool {
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
fn get_str_list<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<(Vec<String>, S)> {
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

fn get_group<'a, S: Copy>(
    entry: &'a Entry<S>,
    example: &str,
    cx: &Ctxt<S>,
) -> Option<&'a [Entry<S>]> {
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
fn get_string_map<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<BTreeMap<String, String>> {
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

fn get_enum<T: std::str::FromStr<Err = ecsdef_model::UnknownEnumValue>, S: Copy>(
    entry: &Entry<S>,
    cx: &Ctxt<S>,
) -> Option<T> {
    let (text, span) = get_str(entry, cx)?;
    match text.parse::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            unknown_enum_value(entry, &text, span, &e, cx);
            None
        }
    }
}

/// Reports `text`, the value of `entry` at `span`, as not one of its enum's values.
fn unknown_enum_value<S: Copy>(
    entry: &Entry<S>,
    text: &str,
    span: S,
    e: &ecsdef_model::UnknownEnumValue,
    cx: &Ctxt<S>,
) {
    let help = match ecsdef_model::did_you_mean(text, e.expected.iter().copied()) {
        Some(s) => format!(
            "did you mean `{s}`? (expected one of {})",
            list(e.expected.iter().copied())
        ),
        None => format!("expected one of {}", list(e.expected.iter().copied())),
    };
    cx.error_help(
        span,
        format!("`{text}` is not a valid `{}`", entry.key),
        help,
    );
}

fn get_allow<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Vec<String> {
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

/// `crate = "..."`: the text of a path.
fn get_crate<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<String> {
    let (text, span) = get_str(entry, cx)?;
    if syn::parse_str::<syn::Path>(&text).is_ok() {
        Some(text)
    } else {
        cx.error(
            span,
            format!("`{text}` is not a path: expected `crate = \"my_crate::ecsdef\"`"),
        );
        None
    }
}

/// Parses `extra = r#"{...}"#` into a JSON object (the model's reader: `serde_json`'s
/// values and errors, without compiling `serde_json` into the proc macro).
fn get_extra<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<(JsonMap, S)> {
    let (text, span) = get_str(entry, cx)?;
    match JsonValue::parse(&text) {
        Ok(JsonValue::Object(map)) => Some((map, span)),
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
fn apply_extra<S: Copy>(
    mut value: JsonValue,
    extra: &JsonMap,
    shape: &str,
    container: Option<usize>,
    span: S,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) -> Option<JsonValue> {
    spans.insert(SpanKey::Context("extra"), span);
    let location = ecsdef_model::rules::Location::Context {
        container,
        key: "extra",
    };
    let extra_value = JsonValue::Object(extra.clone());
    for d in ecsdef_model::rules::check_extra(&extra_value, shape, &location) {
        cx.push(crate::check::spanned(d, span));
    }
    merge_extra(&mut value, extra, span, spans, cx);
    (!cx.has_errors()).then_some(value)
}

/// Merges `extra` into a serialized definition, refusing members the grammar already set.
fn merge_extra<S: Copy>(
    target: &mut JsonValue,
    extra: &JsonMap,
    span: S,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
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
        spans.insert(SpanKey::Json(key), span);
    }
}

/// `name` without its leading `r#`s, as `trim_start_matches("r#")` gives it, without building
/// a substring searcher for each of the thousands of names a workspace has.
fn trim_raw(name: &str) -> &str {
    let mut name = name;
    while let Some(rest) = name.strip_prefix("r#") {
        name = rest;
    }
    name
}

/// `SCREAMING_SNAKE_CASE` of a Rust field name.
pub fn screaming_snake(field: &str) -> String {
    trim_raw(field).to_ascii_uppercase()
}

fn named_fields<'a, T: Token>(
    input: &'a Input<T>,
    derive: &str,
    cx: &Ctxt<T::Span>,
) -> &'a [Field<T>] {
    match &input.body {
        Body::Named(fields) => fields,
        Body::Unit => &[],
        Body::Tuple(span) => {
            cx.error(*span, format!("`#[derive({derive})]` needs named fields"));
            &[]
        }
        Body::Enum(span) => {
            cx.error(
                *span,
                format!("`#[derive({derive})]` is for structs, not enums"),
            );
            &[]
        }
        Body::Union(span) => {
            cx.error(
                *span,
                format!("`#[derive({derive})]` is for structs, not unions"),
            );
            &[]
        }
    }
}

/// Parses a `#[derive(Container)]` struct.
pub fn container<T: Token>(input: &Input<T>, cx: &Ctxt<T::Span>) -> ContainerDecl<T::Span> {
    let entries = ecs_entries(&input.attrs, cx);
    check_keys(&entries, Level::Container, cx);
    let mut def = ContainerDefinition::default();
    let mut context = ContainerContext::default();
    // A container with credentials, a port, logs and a few variables records some 30 entries
    // and 500 bytes of keys: room made once, not grown a doubling at a time.
    let mut spans = SpanMap::with_capacity(40, 640);
    spans.insert(SpanKey::Json(""), input.name_span);

    if find(&entries, "image").is_none() {
        cx.error_help(
            input.name_span,
            format!("`{}` has no `image`", input.name),
            "every container needs one: `#[ecs(image = \"ghcr.io/acme/web:${IMAGE_TAG}\")]`",
        );
    }
    let mut krate = None;
    let mut env_prefix = String::new();
    for key in keys::of(Level::Container) {
        let count = || entries_of(&entries, key).count();
        for (k, e) in entries_of(&entries, key).enumerate() {
            match key.name {
                "port" => {
                    if let Some((mapping, span)) = port(e, cx) {
                        spans.insert_element("portMappings", k, "", span);
                        exact(&mut def.port_mappings, count).push(mapping);
                    }
                }
                "health_check" => def.health_check = health_check(e, &mut spans, cx),
                "log" => def.log_configuration = log(e, &mut spans, cx),
                "ulimit" => {
                    if let Some(u) = ulimit(e, cx) {
                        spans.insert_element("ulimits", k, "", e.value_span());
                        exact(&mut def.ulimits, count).push(u);
                    }
                }
                "mount" => {
                    if let Some(m) = mount(e, cx) {
                        spans.insert_element("mountPoints", k, "", e.value_span());
                        exact(&mut def.mount_points, count).push(m);
                    }
                }
                "env_prefix" => {
                    if let Some((prefix, _)) = get_str(e, cx) {
                        env_prefix = prefix;
                    }
                }
                "allow" => context.allow.extend(get_allow(e, cx)),
                "crate" => krate = get_crate(e, cx),
                // `extra` is merged once the fields are in the definition.
                "extra" => {}
                _ => scalar(
                    key,
                    e,
                    &mut Target::Container(&mut def, &mut context),
                    &mut spans,
                    cx,
                ),
            }
        }
    }

    let fields = named_fields(input, "Container", cx);
    // One `FieldInfo` a field (see `exact`).
    context.fields.reserve_exact(fields.len());
    for field in fields {
        container_field(field, &env_prefix, &mut def, &mut context, &mut spans, cx);
    }

    if let Some(e) = find(&entries, "extra")
        && let Some((extra, span)) = get_extra(e, cx)
    {
        let value = ecsdef_model::json::container_definition_to_tree(&def);
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
            && let Ok(merged) = ecsdef_model::json::container_definition_from_tree(&merged)
        {
            def = merged;
        }
    }

    ContainerDecl {
        name: input.name.clone(),
        ident: input.name_span,
        definition: def,
        context,
        spans,
        krate,
    }
}

fn container_field<T: Token>(
    field: &Field<T>,
    env_prefix: &str,
    def: &mut ContainerDefinition,
    context: &mut ContainerContext,
    spans: &mut SpanMap<T::Span>,
    cx: &Ctxt<T::Span>,
) {
    let name = trim_raw(&field.name).to_owned();
    let entries = ecs_entries(&field.attrs, cx);
    check_keys(&entries, Level::ContainerField, cx);
    let (optional, ty) = (field.optional, field.ty);
    let mut name_span = field.name_span;
    let variable = match find(&entries, "rename").and_then(|e| get_str(e, cx)) {
        Some((v, span)) => {
            name_span = span;
            v
        }
        // Joined rather than formatted: every field of every container names one.
        None => [env_prefix, &screaming_snake(&name)].concat(),
    };
    let mut allow = Vec::new();
    for e in all(&entries, "allow") {
        allow.extend(get_allow(e, cx));
    }
    let env = find(&entries, "env");
    let secret = find(&entries, "secret");
    let skip = find(&entries, "skip");
    let given: Vec<&Entry<T::Span>> = [env, secret, skip].into_iter().flatten().collect();
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
    spans.insert(SpanKey::Field(&name), field.name_span);
    let value = if let Some(e) = env {
        if let Value::Lit(lit) = &e.value {
            let text = lit.kind.env_text();
            let k = def.environment.as_ref().map_or(0, Vec::len);
            spans.insert_element("environment", k, "value", lit.span);
            spans.insert_element("environment", k, "name", name_span);
            spans.insert(SpanKey::FieldValue(&name), lit.span);
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
                spans.insert_element("secrets", k, "valueFrom", span);
                spans.insert_element("secrets", k, "name", name_span);
                spans.insert(SpanKey::FieldValue(&name), span);
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

fn port<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<(PortMapping, S)> {
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
            check_keys(entries, Level::Group("port"), cx);
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

fn health_check<S: Copy>(
    entry: &Entry<S>,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) -> Option<HealthCheck> {
    let entries = get_group(
        entry,
        "health_check(command = \"curl -f http://localhost/ || exit 1\", interval = 30)",
        cx,
    )?;
    check_keys(entries, Level::Group("health_check"), cx);
    spans.insert(SpanKey::Json("healthCheck"), entry.key_span);
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
        spans.insert(SpanKey::Json("healthCheck.command"), *span);
        vec!["CMD-SHELL".to_owned(), s.clone()]
    } else {
        let (list, span) = get_str_list(e, cx)?;
        spans.insert(SpanKey::Json("healthCheck.command"), span);
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
            spans.insert_member("healthCheck", member, span);
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

fn log<S: Copy>(
    entry: &Entry<S>,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) -> Option<LogConfiguration> {
    let entries = get_group(
        entry,
        "log(driver = \"awslogs\", group = \"/ecs/web\", region = \"us-east-1\", stream_prefix = \"web\")",
        cx,
    )?;
    check_keys(entries, Level::Group("log"), cx);
    spans.insert(SpanKey::Json("logConfiguration"), entry.key_span);
    let driver: LogDriver = if let Some(e) = find(entries, "driver") {
        spans.insert(SpanKey::Json("logConfiguration.logDriver"), e.value_span());
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
                spans.insert_member("logConfiguration.options", option, span);
                options.insert(option.to_owned(), value);
            }
        }
    }
    if let Some(e) = find(entries, "create_group")
        && let Some((value, span)) = get_bool(e, cx)
    {
        spans.insert(
            SpanKey::Json("logConfiguration.options.awslogs-create-group"),
            span,
        );
        options.insert("awslogs-create-group".to_owned(), value.to_string());
    }
    if let Some((value, span)) = find(entries, "mode").and_then(|e| get_str(e, cx)) {
        spans.insert(SpanKey::Json("logConfiguration.options.mode"), span);
        options.insert("mode".to_owned(), value);
    }
    if let Some(e) = find(entries, "options")
        && let Some(map) = get_string_map(e, cx)
    {
        for (key, value) in map {
            spans.insert_member("logConfiguration.options", &key, e.value_span());
            if options.insert(key.clone(), value).is_some() {
                cx.error(
                    e.value_span(),
                    format!("`options` sets `{key}`, which `log(...)` already sets"),
                );
            }
        }
    }
    spans.insert(SpanKey::Json("logConfiguration.options"), entry.key_span);
    Some(LogConfiguration {
        log_driver: driver,
        options: (!options.is_empty()).then_some(options),
        secret_options: None,
    })
}

fn ulimit<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<Ulimit> {
    let entries = get_group(
        entry,
        "ulimit(name = \"nofile\", soft = 1024, hard = 4096)",
        cx,
    )?;
    check_keys(entries, Level::Group("ulimit"), cx);
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

fn mount<S: Copy>(entry: &Entry<S>, cx: &Ctxt<S>) -> Option<MountPoint> {
    let entries = get_group(entry, "mount(source = \"data\", path = \"/var/data\")", cx)?;
    check_keys(entries, Level::Group("mount"), cx);
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
pub fn task<T: Token>(input: &Input<T>, cx: &Ctxt<T::Span>) -> TaskDecl<T::Span> {
    let entries = ecs_entries(&input.attrs, cx);
    check_keys(&entries, Level::Task, cx);
    let mut def = TaskDefinition::default();
    let mut context = Context::default();
    // A task records about a dozen entries and 100 bytes of keys (see `container`).
    let mut spans = SpanMap::with_capacity(16, 160);
    spans.insert(SpanKey::Json(""), input.name_span);

    let mut krate = None;
    for key in keys::of(Level::Task) {
        let mut found = entries_of(&entries, key);
        // `family` and `network_mode` have a value even when not written; every other key
        // acts once for each of its entries.
        match key.name {
            "family" => {
                def.family = match found.next().and_then(|e| get_str(e, cx)) {
                    Some((family, span)) => {
                        spans.insert(SpanKey::Json("family"), span);
                        family
                    }
                    None => kebab_case(&input.name),
                };
                spans.insert(SpanKey::Json("family"), input.name_span);
            }
            // Without `network_mode`, a Fargate task gets `awsvpc`, the one mode Fargate runs.
            "network_mode" => match found.next() {
                Some(e) => scalar(
                    key,
                    e,
                    &mut Target::Task(&mut def, &mut context),
                    &mut spans,
                    cx,
                ),
                None if def
                    .requires_compatibilities
                    .as_ref()
                    .is_some_and(|c| c.contains(&Compatibility::Fargate)) =>
                {
                    def.network_mode = Some(ecsdef_model::NetworkMode::Awsvpc);
                }
                None => {}
            },
            _ => {
                for (k, e) in found.enumerate() {
                    match key.name {
                        "fargate" | "ec2" | "external" => {
                            if get_flag(e, cx) {
                                let compatibility = match key.name {
                                    "fargate" => Compatibility::Fargate,
                                    "ec2" => Compatibility::Ec2,
                                    _ => Compatibility::External,
                                };
                                def.requires_compatibilities
                                    .get_or_insert_with(Vec::new)
                                    .push(compatibility);
                                spans.insert(SpanKey::Json("requiresCompatibilities"), e.key_span);
                            }
                        }
                        "cpu" | "memory" => {
                            let value = task_size(e, key.name == "cpu", cx);
                            spans.insert(SpanKey::Json(key.name), e.value_span());
                            if key.name == "cpu" {
                                def.cpu = value;
                            } else {
                                def.memory = value;
                            }
                        }
                        "runtime_platform" => {
                            if let Some(platform) = runtime_platform(e, &mut spans, cx) {
                                def.runtime_platform = Some(platform);
                            }
                        }
                        "tags" => {
                            if let Some(tags) = tags(e, &mut spans, cx) {
                                def.tags = Some(tags);
                            }
                        }
                        "volume" => {
                            if let Some(volume) = volume(e, k, &mut spans, cx) {
                                def.volumes.get_or_insert_with(Vec::new).push(volume);
                            }
                        }
                        "allow" => context.allow.extend(get_allow(e, cx)),
                        "crate" => krate = get_crate(e, cx),
                        // `extra` is merged once the fields are known.
                        "extra" => {}
                        _ => scalar(
                            key,
                            e,
                            &mut Target::Task(&mut def, &mut context),
                            &mut spans,
                            cx,
                        ),
                    }
                }
            }
        }
    }
    // The launch types in the order written: `#[ecs(ec2, fargate)]` is `["EC2", "FARGATE"]`,
    // as the file it may have been imported from lists them.
    if let Some(compatibilities) = &mut def.requires_compatibilities {
        let written = |c: &Compatibility| {
            let name = match c {
                Compatibility::Fargate => "fargate",
                Compatibility::Ec2 => "ec2",
                _ => "external",
            };
            entries.iter().position(|e| e.key == name && !e.key_is_str)
        };
        compatibilities.sort_by_key(written);
    }

    let named = named_fields(input, "TaskDefinition", cx);
    // One a field (see `exact`).
    let mut fields = Vec::with_capacity(named.len());
    for field in named {
        fields.push(task_field(field, cx));
    }
    if fields.is_empty() && matches!(input.body, Body::Named(_) | Body::Unit | Body::Tuple(_)) {
        cx.error_help(
            input.name_span,
            format!("task `{}` has no containers", input.name),
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
        let value = ecsdef_model::json::task_definition_to_tree(&def);
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
            && let Ok(merged) = ecsdef_model::json::task_definition_from_tree(&merged)
        {
            def = merged;
        }
    }

    TaskDecl {
        name: input.name.clone(),
        ident: input.name_span,
        definition: def,
        context,
        fields,
        spans,
        krate,
    }
}

/// The task's `cpu` or `memory`: an integer, or an AWS size string kept as written.
fn task_size<S: Copy>(e: &Entry<S>, cpu: bool, cx: &Ctxt<S>) -> Option<String> {
    match &e.value {
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
                if cpu {
                    "256` or `\"1 vCPU\""
                } else {
                    "512` or `\"2 GB\""
                },
            );
            None
        }
    }
}

/// A task's `runtime_platform(...)`.
fn runtime_platform<S: Copy>(
    e: &Entry<S>,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) -> Option<RuntimePlatform> {
    let group = get_group(e, "runtime_platform(os = \"LINUX\", arch = \"ARM64\")", cx)?;
    check_keys(group, Level::Group("runtime_platform"), cx);
    spans.insert(SpanKey::Json("runtimePlatform"), e.key_span);
    Some(RuntimePlatform {
        operating_system_family: find(group, "os").and_then(|e| get_enum(e, cx)),
        cpu_architecture: find(group, "arch").and_then(|e| get_enum(e, cx)),
    })
}

/// A task's `tags("key" = "value", ...)`, in the order of their keys, each key and value
/// spanned where it is written.
fn tags<S: Copy>(e: &Entry<S>, spans: &mut SpanMap<S>, cx: &Ctxt<S>) -> Option<Vec<Tag>> {
    let map = get_string_map(e, cx)?;
    spans.insert(SpanKey::Json("tags"), e.value_span());
    if let Value::Group(entries, _) = &e.value {
        for entry in entries {
            if let Some(i) = map.keys().position(|key| *key == entry.key) {
                spans.insert_element("tags", i, "key", entry.key_span);
                spans.insert_element("tags", i, "value", entry.value_span());
            }
        }
    }
    Some(
        map.into_iter()
            .map(|(key, value)| Tag {
                key: Some(key),
                value: Some(value),
            })
            .collect(),
    )
}

/// The `k`th `volume(...)` of a task.
fn volume<S: Copy>(e: &Entry<S>, k: usize, spans: &mut SpanMap<S>, cx: &Ctxt<S>) -> Option<Volume> {
    let group = get_group(e, "volume(name = \"data\", host_path = \"/var/data\")", cx)?;
    check_keys(group, Level::Group("volume"), cx);
    spans.insert_element("volumes", k, "", e.key_span);
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
    Some(Volume {
        name,
        host,
        configured_at_launch,
        ..Default::default()
    })
}

fn task_field<T: Token>(field: &Field<T>, cx: &Ctxt<T::Span>) -> TaskField<T::Span> {
    let entries = ecs_entries(&field.attrs, cx);
    check_keys(&entries, Level::TaskField, cx);
    let mut spans = SpanMap::default();
    spans.insert(SpanKey::Json(""), field.ty_span);
    spans.insert(SpanKey::FieldName, field.name_span);
    let mut overrides = FieldOverrides {
        field_name: trim_raw(&field.name).to_owned(),
        ..Default::default()
    };
    for key in keys::of(Level::TaskField) {
        for (k, e) in entries_of(&entries, key).enumerate() {
            match key.name {
                "depends_on" => {
                    if let Some(dependency) = depends_on(e, k, &mut spans, cx) {
                        overrides.depends_on.push(dependency);
                    }
                }
                "allow" => overrides.allow.extend(get_allow(e, cx)),
                _ => scalar(
                    key,
                    e,
                    &mut Target::TaskField(&mut overrides),
                    &mut spans,
                    cx,
                ),
            }
        }
    }
    TaskField { overrides, spans }
}

/// The `k`th `depends_on(...)` of a task field.
fn depends_on<S: Copy>(
    e: &Entry<S>,
    k: usize,
    spans: &mut SpanMap<S>,
    cx: &Ctxt<S>,
) -> Option<ContainerDependency> {
    let group = get_group(
        e,
        "depends_on(container = \"app\", condition = \"HEALTHY\")",
        cx,
    )?;
    check_keys(group, Level::Group("depends_on"), cx);
    let container = find(group, "container").and_then(|e| get_str(e, cx));
    let condition = match find(group, "condition") {
        Some(c) => {
            spans.insert_element("dependsOn", k, "condition", c.value_span());
            get_enum::<ContainerCondition, _>(c, cx)
        }
        None => Some(ContainerCondition::Start),
    };
    match (container, condition) {
        (Some((container_name, span)), Some(condition)) => {
            spans.insert_element("dependsOn", k, "containerName", span);
            Some(ContainerDependency {
                container_name,
                condition,
            })
        }
        (None, _) => {
            cx.error(e.key_span, "`depends_on` needs `container`");
            None
        }
        _ => None,
    }
}

/// `WebTask` -> `web-task`.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in trim_raw(name).chars().enumerate() {
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

#[cfg(test)]
mod tests {
    use super::trim_raw;

    /// The lists of a parsed declaration hold no room they do not use: `cargo ecsdef` keeps
    /// every declaration until its tasks are checked.
    #[test]
    fn parsed_declarations_hold_no_spare_room() {
        let input: syn::DeriveInput = syn::parse_quote! {
            #[ecs(
                image = "docker.io/acme/web:1.2.3",
                port = 8080,
                ulimit(name = "nofile", soft = 65536, hard = 65536),
                ulimit(name = "nproc", soft = 512, hard = 512),
                log(driver = "awslogs", group = "/ecs/web", region = "us-east-1", stream_prefix = "web"),
            )]
            struct Web {
                #[ecs(env = 8080)]
                port: u16,
                #[ecs(env = "info")]
                rust_log: String,
                #[ecs(secret = "/web/api-key")]
                api_key: String,
                #[ecs(skip)]
                dev_mode: bool,
                #[ecs(skip)]
                trace: bool,
            }
        };
        let decl = crate::parse_container(&input).expect("a valid container");
        let ports = decl.definition.port_mappings.as_ref().expect("a port");
        assert_eq!((ports.len(), ports.capacity()), (1, 1));
        let ulimits = decl.definition.ulimits.as_ref().expect("two ulimits");
        assert_eq!((ulimits.len(), ulimits.capacity()), (2, 2));
        let fields = &decl.context.fields;
        assert_eq!((fields.len(), fields.capacity()), (5, 5));

        let input: syn::DeriveInput = syn::parse_quote! {
            #[ecs(family = "web", cpu = 256, memory = 512)]
            struct WebTask {
                web: Web,
                sidecar: Sidecar,
                #[ecs(essential = false)]
                agent: Agent,
            }
        };
        let decl = crate::parse_task(&input).expect("a valid task");
        assert_eq!((decl.fields.len(), decl.fields.capacity()), (3, 3));
    }

    /// `trim_raw` is `trim_start_matches("r#")`.
    #[test]
    fn trim_raw_takes_off_what_trim_start_matches_does() {
        for name in [
            "", "r", "r#", "r#r#", "r#type", "r#r#x", "rr#x", "x", "#r#", "r#é", "xr#", "r#r",
        ] {
            assert_eq!(trim_raw(name), name.trim_start_matches("r#"), "{name}");
        }
    }
}
