//! Generates `model/src/generated.rs` from AWS's ECS API model.
//!
//! The input is the botocore shape set reachable from `RegisterTaskDefinitionRequest`
//! (`aws-models/ecs-register-task-definition.json`). The output holds one Rust type per
//! structure and enum shape, with AWS's wire names, member order, required-ness and
//! documentation, and a static schema table (`SHAPES`) that the strict loader, the `extra`
//! checks and the conformance tests walk.
//!
//! The generator is deliberately plain string building: the output must be byte-stable, and a
//! test in this crate fails when the committed file differs from what this code writes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::{Map, Value};

/// The request shape, and the Rust name the model gives it.
const ROOT_SHAPE: &str = "RegisterTaskDefinitionRequest";
const ROOT_RUST_NAME: &str = "TaskDefinition";

/// Where the generator reads its input and writes its output, relative to the workspace root.
pub const INPUT: &str = "aws-models/ecs-register-task-definition.json";
pub const OUTPUT: &str = "model/src/generated.rs";

/// An error in the input model: the generator refuses to guess.
#[derive(Debug)]
pub struct GenerateError(pub String);

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenerateError {}

fn err(msg: impl Into<String>) -> GenerateError {
    GenerateError(msg.into())
}

/// Generates the Rust source of the model from the JSON text of the AWS model.
pub fn generate(input: &str) -> Result<String, GenerateError> {
    let model: Value =
        serde_json::from_str(input).map_err(|e| err(format!("{INPUT}: invalid JSON: {e}")))?;
    let shapes = model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| err(format!("{INPUT}: no `shapes` object")))?;
    let source = model
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("botocore");

    let order: ModelOrder =
        serde_json::from_str(input).map_err(|e| err(format!("{INPUT}: invalid JSON: {e}")))?;
    // serde_json's `Map` sorts keys; AWS's member order comes from this second, ordered read.
    let shapes = &with_member_order(shapes, &order);
    let reachable = reachable_shapes(shapes)?;
    let mut out = String::new();
    write_header(&mut out, source);
    for name in &reachable {
        let shape = &shapes[name.as_str()];
        match shape_kind(shape) {
            "structure" => write_struct(&mut out, shapes, name, shape)?,
            "string" if shape.get("enum").is_some() => write_enum(&mut out, name, shape)?,
            _ => {}
        }
    }
    write_schema(&mut out, shapes, &reachable)?;
    Ok(out)
}

/// The keys of a JSON object in the order they appear in the text.
struct OrderedKeys(Vec<String>);

impl<'de> Deserialize<'de> for OrderedKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = OrderedKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some((k, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                    keys.push(k);
                }
                Ok(OrderedKeys(keys))
            }
        }
        d.deserialize_map(KeysVisitor)
    }
}

#[derive(Deserialize)]
struct ShapeOrder {
    #[serde(default)]
    members: Option<OrderedKeys>,
}

#[derive(Deserialize)]
struct ModelOrder {
    shapes: BTreeMap<String, ShapeOrder>,
}

/// Each structure's members as an array of `[name, member]` pairs in the input's order, stored
/// under `memberOrder`, so the rest of the generator never iterates a sorted map for order.
fn with_member_order(shapes: &Map<String, Value>, order: &ModelOrder) -> Map<String, Value> {
    let mut out = shapes.clone();
    for (name, shape_order) in &order.shapes {
        if let (Some(keys), Some(shape)) = (&shape_order.members, out.get_mut(name)) {
            let names: Vec<Value> = keys.0.iter().map(|k| Value::String(k.clone())).collect();
            shape["memberOrder"] = Value::Array(names);
        }
    }
    out
}

/// A structure's members in AWS's order.
fn ordered_members(shape: &Value) -> Vec<(&str, &Value)> {
    let members = shape.get("members").and_then(Value::as_object);
    shape
        .get("memberOrder")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|k| members.and_then(|m| m.get(k)).map(|v| (k, v)))
        .collect()
}

fn shape_kind(shape: &Value) -> &str {
    shape.get("type").and_then(Value::as_str).unwrap_or("")
}

/// The shapes reachable from the request, sorted by name (so output order does not depend on
/// the input's key order).
fn reachable_shapes(shapes: &Map<String, Value>) -> Result<Vec<String>, GenerateError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![ROOT_SHAPE.to_owned()];
    while let Some(name) = stack.pop() {
        if seen.contains(&name) {
            continue;
        }
        let shape = shapes
            .get(&name)
            .ok_or_else(|| err(format!("shape `{name}` is referenced but not defined")))?;
        for target in shape_targets(shape) {
            stack.push(target.to_owned());
        }
        seen.insert(name);
    }
    Ok(seen.into_iter().collect())
}

fn shape_targets(shape: &Value) -> Vec<&str> {
    let mut targets = Vec::new();
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        targets.extend(members.values().filter_map(|m| m["shape"].as_str()));
    }
    for key in ["member", "key", "value"] {
        if let Some(t) = shape.get(key).and_then(|m| m["shape"].as_str()) {
            targets.push(t);
        }
    }
    targets
}

fn rust_type_name(shape: &str) -> &str {
    if shape == ROOT_SHAPE {
        ROOT_RUST_NAME
    } else {
        shape
    }
}

/// `taskRoleArn` -> `task_role_arn`, `sizeInGiB` -> `size_in_gib`, `type` -> `r#type`.
pub fn snake_case(wire: &str) -> String {
    // Names where the mechanical split reads worse than AWS's intent.
    match wire {
        "sizeInGiB" => return "size_in_gib".to_owned(),
        "type" => return "r#type".to_owned(),
        _ => {}
    }
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `X86_64` -> `X86_64`, `json-file` -> `JsonFile`, `memberOf` -> `MemberOf`, `GPU` -> `Gpu`.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(['_', '-']).filter(|p| !p.is_empty()) {
        let uniform = part.chars().all(|c| !c.is_ascii_lowercase())
            || part.chars().all(|c| !c.is_ascii_uppercase());
        if out.ends_with(|c: char| c.is_ascii_digit())
            && part.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if uniform {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.extend(chars);
            }
        }
    }
    out
}

fn write_header(out: &mut String, source: &str) {
    let _ = writeln!(
        out,
        "// @generated by `cargo run -p xtask -- model` from {INPUT}\n\
         // ({source}).\n\
         // Do not edit by hand: edit the generator (xtask/src/model.rs) or refresh the input, then\n\
         // regenerate. A test fails when this file differs from the generator's output.\n"
    );
    out.push_str(
        "use std::collections::BTreeMap;\n\nuse serde::{Deserialize, Serialize};\n\nuse crate::schema::{Member, Shape, ShapeKind};\n\n",
    );
}

fn documentation(shape_or_member: &Value) -> String {
    let html = shape_or_member
        .get("documentation")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut md = html_to_markdown(html);
    if shape_or_member.get("deprecated").and_then(Value::as_bool) == Some(true) {
        let since = shape_or_member
            .get("deprecatedSince")
            .and_then(Value::as_str)
            .map(|s| format!(" since {s}"))
            .unwrap_or_default();
        let msg = shape_or_member
            .get("deprecatedMessage")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !md.is_empty() {
            md.push_str("\n\n");
        }
        let _ = write!(md, "**Deprecated by AWS{since}.** {}", escape_text(msg));
    }
    md
}

fn write_doc(out: &mut String, indent: &str, doc: &str) {
    for line in doc.lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

struct FieldInfo {
    wire: String,
    rust: String,
    ty: String,
    required: bool,
    doc: String,
}

fn field_type(shapes: &Map<String, Value>, target: &str) -> Result<String, GenerateError> {
    let shape = shapes
        .get(target)
        .ok_or_else(|| err(format!("unknown shape `{target}`")))?;
    Ok(match shape_kind(shape) {
        "structure" => rust_type_name(target).to_owned(),
        "string" if shape.get("enum").is_some() => target.to_owned(),
        "string" => "String".to_owned(),
        "integer" => "i32".to_owned(),
        "boolean" => "bool".to_owned(),
        "list" => {
            let member = shape["member"]["shape"]
                .as_str()
                .ok_or_else(|| err(format!("list `{target}` has no member shape")))?;
            format!("Vec<{}>", field_type(shapes, member)?)
        }
        "map" => {
            let key = shape["key"]["shape"].as_str().unwrap_or("");
            let value = shape["value"]["shape"].as_str().unwrap_or("");
            format!(
                "BTreeMap<{}, {}>",
                field_type(shapes, key)?,
                field_type(shapes, value)?
            )
        }
        other => {
            return Err(err(format!(
                "shape `{target}` has unsupported type `{other}`"
            )));
        }
    })
}

fn struct_fields(
    shapes: &Map<String, Value>,
    name: &str,
    shape: &Value,
) -> Result<Vec<FieldInfo>, GenerateError> {
    let members = ordered_members(shape);
    if members.is_empty() {
        return Err(err(format!("structure `{name}` has no members")));
    }
    let required: Vec<&str> = shape
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    members
        .into_iter()
        .map(|(wire, member)| {
            let target = member["shape"]
                .as_str()
                .ok_or_else(|| err(format!("`{name}.{wire}` has no shape")))?;
            Ok(FieldInfo {
                wire: wire.to_owned(),
                rust: snake_case(wire),
                ty: field_type(shapes, target)?,
                required: required.contains(&wire),
                doc: documentation(member),
            })
        })
        .collect()
}

fn write_struct(
    out: &mut String,
    shapes: &Map<String, Value>,
    name: &str,
    shape: &Value,
) -> Result<(), GenerateError> {
    let rust_name = rust_type_name(name);
    let mut doc = documentation(shape);
    if name == ROOT_SHAPE {
        doc = format!(
            "A task definition: the input of ECS's `RegisterTaskDefinition` (AWS's \
             `RegisterTaskDefinitionRequest`).\n\n\
             Serialized with [`to_canonical_json`](crate::to_canonical_json), it is the file\n\
             `aws ecs register-task-definition --cli-input-json file://...` takes.{}",
            if doc.is_empty() {
                String::new()
            } else {
                format!("\n\n{doc}")
            }
        );
    }
    if shape.get("union").and_then(Value::as_bool) == Some(true) {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str("AWS models this shape as a union: set exactly one member.");
    }
    write_doc(out, "", &doc);
    let _ = writeln!(out, "///\n/// AWS shape: `{name}`.");
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n");
    let _ = writeln!(out, "pub struct {rust_name} {{");
    let fields = struct_fields(shapes, name, shape)?;
    for field in &fields {
        write_doc(out, "    ", &field.doc);
        if field.required {
            if !field.doc.is_empty() {
                out.push_str("    ///\n");
            }
            out.push_str("    /// Required.\n");
        }
        if field.required {
            let _ = writeln!(out, "    pub {}: {},", field.rust, field.ty);
        } else {
            let _ = writeln!(out, "    pub {}: Option<{}>,", field.rust, field.ty);
        }
    }
    out.push_str("}\n\n");

    // `Default` is written out rather than derived: each optional member is the constant
    // `None`, where the derive calls `Option::default` for each, with a drop of the members
    // before it on each call's unwind path. The required members come first, so that no call
    // follows a member that needs dropping.
    if has_default(shapes, name) {
        let _ = writeln!(out, "impl Default for {rust_name} {{");
        out.push_str("    fn default() -> Self {\n        Self {\n");
        for field in fields.iter().filter(|f| f.required) {
            let _ = writeln!(out, "            {}: Default::default(),", field.rust);
        }
        for field in fields.iter().filter(|f| !f.required) {
            let _ = writeln!(out, "            {}: None,", field.rust);
        }
        out.push_str("        }\n    }\n}\n\n");
    }

    // The `Serialize` impl is written out rather than derived (see `write_serialize_header`):
    // every member under its wire name, in AWS's order, an absent optional one left out (the
    // length counts the members present, as serde_json's empty-object check needs).
    write_serialize_header(out, rust_name);
    let present = fields
        .iter()
        .map(|f| {
            if f.required {
                "1".to_owned()
            } else {
                format!("usize::from(self.{}.is_some())", f.rust)
            }
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let _ = writeln!(
        out,
        "        let mut state = serializer.serialize_struct(\"{rust_name}\", {present})?;"
    );
    for field in &fields {
        if field.required {
            let _ = writeln!(
                out,
                "        state.serialize_field(\"{}\", &self.{})?;",
                field.wire, field.rust
            );
        } else {
            let _ = writeln!(
                out,
                "        if let Some(value) = &self.{} {{\n            state.serialize_field(\"{}\", value)?;\n        }}",
                field.rust, field.wire
            );
        }
    }
    out.push_str("        state.end()\n    }\n}\n\n");

    // The same members in the same order for the model's own writer (`model/src/json.rs`):
    // plain calls, so that writing JSON instantiates no serializer for each type.
    let _ = writeln!(out, "impl crate::json::WriteJson for {rust_name} {{");
    out.push_str("    fn write_json(&self, w: &mut crate::json::JsonWriter) {\n");
    out.push_str("        w.begin_object();\n");
    for field in &fields {
        if field.required {
            let _ = writeln!(
                out,
                "        w.key(\"{}\");\n        self.{}.write_json(w);",
                field.wire, field.rust
            );
        } else {
            let _ = writeln!(
                out,
                "        if let Some(value) = &self.{} {{\n            w.key(\"{}\");\n            value.write_json(w);\n        }}",
                field.rust, field.wire
            );
        }
    }
    out.push_str("        w.end_object();\n    }\n}\n\n");

    // Deserialization reads the model's JSON tree, `crate::tree::Value` (see `model/src/de.rs`
    // for why).
    let wire_names = quoted_list(fields.iter().map(|f| f.wire.as_str()));
    write_from_json_header(out, rust_name);
    let _ = writeln!(
        out,
        "        let map = crate::de::object(value, \"{name}\", &[{wire_names}])?;"
    );
    // Members are read in AWS's order, so the first error is the first member's. With a
    // `Default`, each is read into its place (`de::read_optional`, `de::read_required`: one
    // instance per member type, which assigns, so that a member costs its type's impl a call
    // and a `?` on `Result<(), Error>`, the same instance for every member). Without one, the
    // members are a struct literal, each looked up by a function shared by every type
    // (`de::member`, `de::required_member`) and converted by its type's own `from_json` with
    // a `match` rather than `?`, which would instantiate `Try` for each member type.
    let default = has_default(shapes, name);
    if default {
        out.push_str("        let mut out = Self::default();\n");
    } else {
        out.push_str("        Ok(Self {\n");
    }
    for field in &fields {
        let (wire, rust) = (&field.wire, &field.rust);
        match (default, field.required) {
            (true, true) => {
                let _ = writeln!(
                    out,
                    "        crate::de::read_required(map, \"{wire}\", &mut out.{rust})?;"
                );
            }
            (true, false) => {
                let _ = writeln!(
                    out,
                    "        crate::de::read_optional(map, \"{wire}\", &mut out.{rust})?;"
                );
            }
            (false, true) => {
                let _ = writeln!(
                    out,
                    "            {rust}: match crate::de::FromJson::from_json(crate::de::required_member(map, \"{wire}\")?) {{\n                Ok(value) => value,\n                Err(e) => return Err(e),\n            }},"
                );
            }
            (false, false) => {
                let _ = writeln!(
                    out,
                    "            {rust}: match crate::de::member(map, \"{wire}\") {{\n                Some(value) => match crate::de::FromJson::from_json(value) {{\n                    Ok(value) => Some(value),\n                    Err(e) => return Err(e),\n                }},\n                None => None,\n            }},"
                );
            }
        }
    }
    if default {
        out.push_str("        Ok(out)\n    }\n}\n\n");
    } else {
        out.push_str("        })\n    }\n}\n\n");
    }
    write_deserialize_impl(out, rust_name);
    Ok(())
}

/// `"a", "b", "c"`: a list of string literals for generated code.
fn quoted_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The head of a `Serialize` impl. The impls are generated rather than derived so that the
/// model does not wait for `serde_derive` to build: every user's clean build then compiles the
/// model (on the proc macro's critical path) while `serde_derive`, if anything needs it, builds.
fn write_serialize_header(out: &mut String, rust_name: &str) {
    let _ = writeln!(out, "impl Serialize for {rust_name} {{");
    out.push_str("    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {\n");
    out.push_str("        use serde::ser::SerializeStruct as _;\n");
}

fn write_from_json_header(out: &mut String, rust_name: &str) {
    let _ = writeln!(out, "impl crate::de::FromJson for {rust_name} {{");
    out.push_str(
        "    fn from_json(value: &crate::tree::Value) -> Result<Self, crate::de::Error> {\n",
    );
}

fn write_deserialize_impl(out: &mut String, rust_name: &str) {
    let _ = writeln!(out, "impl<'de> Deserialize<'de> for {rust_name} {{");
    out.push_str("    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {\n");
    out.push_str("        crate::de::deserialize(deserializer)\n    }\n}\n\n");
}

/// Whether the Rust type of `name` can derive `Default`: not when a required member is an enum
/// (AWS gives no default value) or a structure that cannot.
fn has_default(shapes: &Map<String, Value>, name: &str) -> bool {
    let Some(shape) = shapes.get(name) else {
        return false;
    };
    match shape_kind(shape) {
        "structure" => {
            let required: Vec<&str> = shape
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            ordered_members(shape)
                .into_iter()
                .filter(|(wire, _)| required.contains(wire))
                .all(|(_, member)| has_default(shapes, member["shape"].as_str().unwrap_or("")))
        }
        "string" => shape.get("enum").is_none(),
        _ => true,
    }
}

fn enum_values(name: &str, shape: &Value) -> Result<Vec<String>, GenerateError> {
    shape["enum"]
        .as_array()
        .ok_or_else(|| err(format!("enum `{name}` has no values")))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| err(format!("enum `{name}` has a non-string value")))
        })
        .collect()
}

fn write_enum(out: &mut String, name: &str, shape: &Value) -> Result<(), GenerateError> {
    let values = enum_values(name, shape)?;
    let doc = documentation(shape);
    write_doc(out, "", &doc);
    if !doc.is_empty() {
        out.push_str("///\n");
    }
    let _ = writeln!(
        out,
        "/// AWS enum `{name}`: one of {}.",
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    let _ = writeln!(out, "pub enum {name} {{");
    for v in &values {
        let _ = writeln!(out, "    /// `{v}`");
        let _ = writeln!(out, "    {},", variant_name(v));
    }
    out.push_str("}\n\n");

    // A unit variant under its wire value, as `#[serde(rename = "...")]` would serialize it.
    let _ = writeln!(out, "impl Serialize for {name} {{");
    out.push_str("    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {\n");
    let _ = writeln!(
        out,
        "        serializer.serialize_unit_variant(\"{name}\", *self as u32, self.as_str())"
    );
    out.push_str("    }\n}\n\n");

    let _ = writeln!(out, "impl {name} {{");
    out.push_str("    /// Every value AWS defines, in the model's order.\n");
    let _ = writeln!(out, "    pub const ALL: &'static [Self] = &[");
    for v in &values {
        let _ = writeln!(out, "        Self::{},", variant_name(v));
    }
    out.push_str("    ];\n\n");
    out.push_str("    /// The wire value.\n");
    out.push_str("    pub const fn as_str(self) -> &'static str {\n        match self {\n");
    for v in &values {
        let _ = writeln!(out, "            Self::{} => \"{v}\",", variant_name(v));
    }
    out.push_str("        }\n    }\n}\n\n");

    let _ = writeln!(out, "impl std::fmt::Display for {name} {{");
    out.push_str("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        f.write_str(self.as_str())\n    }\n}\n\n");

    let _ = writeln!(out, "impl crate::json::WriteJson for {name} {{");
    out.push_str("    fn write_json(&self, w: &mut crate::json::JsonWriter) {\n        w.string(self.as_str());\n    }\n}\n\n");

    // Parsing goes through functions shared by every enum (`model/src/de.rs`), given the
    // wire values in the order of `ALL`: no closure or iterator instance per enum.
    let wire_values = quoted_list(values.iter().map(String::as_str));
    let _ = writeln!(out, "impl std::str::FromStr for {name} {{");
    out.push_str("    type Err = crate::UnknownEnumValue;\n\n");
    out.push_str("    fn from_str(s: &str) -> Result<Self, Self::Err> {\n");
    let _ = writeln!(
        out,
        "        match crate::de::variant_from_str(\"{name}\", s, &[{wire_values}]) {{\n            Ok(i) => Ok(Self::ALL[i]),\n            Err(e) => Err(e),\n        }}"
    );
    out.push_str("    }\n}\n\n");

    write_from_json_header(out, name);
    let _ = writeln!(
        out,
        "        match crate::de::variant(value, &[{wire_values}]) {{\n            Ok(i) => Ok(Self::ALL[i]),\n            Err(e) => Err(e),\n        }}"
    );
    out.push_str("    }\n}\n\n");
    write_deserialize_impl(out, name);
    Ok(())
}

fn write_schema(
    out: &mut String,
    shapes: &Map<String, Value>,
    reachable: &[String],
) -> Result<(), GenerateError> {
    out.push_str(
        "/// Every shape reachable from `RegisterTaskDefinitionRequest`, sorted by AWS shape name.\n",
    );
    out.push_str("pub static SHAPES: &[Shape] = &[\n");
    for name in reachable {
        let shape = &shapes[name.as_str()];
        let kind = match shape_kind(shape) {
            "structure" => {
                let required: Vec<&str> = shape
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let mut s = String::from("ShapeKind::Structure(&[\n");
                for (wire, member) in ordered_members(shape) {
                    let _ = writeln!(
                        s,
                        "        Member {{ name: \"{wire}\", rust_name: \"{}\", shape: \"{}\", required: {} }},",
                        snake_case(wire),
                        member["shape"].as_str().unwrap_or(""),
                        required.contains(&wire),
                    );
                }
                s.push_str("    ])");
                s
            }
            "string" if shape.get("enum").is_some() => {
                let values = enum_values(name, shape)?
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("ShapeKind::Enum(&[{values}])")
            }
            "string" => format!(
                "ShapeKind::String {{ min: {}, max: {} }}",
                opt_num(shape, "min"),
                opt_num(shape, "max")
            ),
            "integer" => format!(
                "ShapeKind::Integer {{ min: {}, max: {} }}",
                opt_num(shape, "min"),
                opt_num(shape, "max")
            ),
            "boolean" => "ShapeKind::Boolean".to_owned(),
            "list" => format!(
                "ShapeKind::List {{ member: \"{}\", max: {} }}",
                shape["member"]["shape"].as_str().unwrap_or(""),
                opt_num(shape, "max")
            ),
            "map" => format!(
                "ShapeKind::Map {{ value: \"{}\" }}",
                shape["value"]["shape"].as_str().unwrap_or("")
            ),
            other => {
                return Err(err(format!(
                    "shape `{name}` has unsupported type `{other}`"
                )));
            }
        };
        let _ = writeln!(
            out,
            "    Shape {{\n        name: \"{name}\",\n        rust_name: \"{}\",\n        kind: {kind},\n    }},",
            rust_type_name(name)
        );
    }
    out.push_str("];\n");
    Ok(())
}

fn opt_num(shape: &Value, key: &str) -> String {
    shape
        .get(key)
        .and_then(Value::as_i64)
        .map_or_else(|| "None".to_owned(), |n| format!("Some({n})"))
}

/// Escapes text so rustdoc shows it literally: brackets would be read as intra-doc links and
/// angle brackets as HTML.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("\\*"),
            '_' => out.push('_'),
            '`' => out.push('\''),
            _ => out.push(c),
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Converts AWS's documentation HTML (p, code, a, b, i, ul/ol/li, dl/dt/dd, note, important)
/// into rustdoc Markdown, wrapped at 96 columns.
pub fn html_to_markdown(html: &str) -> String {
    #[derive(PartialEq)]
    enum Block {
        Para,
        Item,
    }
    let mut blocks: Vec<(Block, String)> = Vec::new();
    let mut current = String::new();
    let mut in_code = 0usize;
    let mut link: Option<String> = None;
    let mut link_text = String::new();
    let mut item_depth = 0usize;
    let mut pending_prefix = String::new();

    let flush = |blocks: &mut Vec<(Block, String)>, current: &mut String, item_depth: usize| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let kind = if item_depth > 0 {
                Block::Item
            } else {
                Block::Para
            };
            blocks.push((kind, text));
        }
        current.clear();
    };

    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag_start) = rest.find('<') {
            let text = &rest[..tag_start];
            let decoded = decode_entities(text);
            let rendered = if in_code > 0 {
                decoded.replace('`', "'")
            } else {
                escape_text(&decoded)
            };
            if link.is_some() {
                link_text.push_str(&rendered);
            } else {
                current.push_str(&rendered);
            }
            let Some(tag_len) = rest[tag_start..].find('>') else {
                break;
            };
            let tag = &rest[tag_start + 1..tag_start + tag_len];
            rest = &rest[tag_start + tag_len + 1..];
            let (closing, body) = tag.strip_prefix('/').map_or((false, tag), |b| (true, b));
            let tag_name = body
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let sink = if link.is_some() {
                &mut link_text
            } else {
                &mut current
            };
            match (tag_name.as_str(), closing) {
                ("p" | "dl" | "ul" | "ol" | "note" | "important" | "dd", false) => {
                    flush(&mut blocks, &mut current, item_depth);
                    if tag_name == "note" || tag_name == "important" {
                        pending_prefix = if tag_name == "note" {
                            "Note: ".into()
                        } else {
                            "Important: ".into()
                        };
                    }
                }
                ("p" | "dl" | "ul" | "ol" | "note" | "important" | "dd", true) => {
                    flush(&mut blocks, &mut current, item_depth);
                }
                ("li" | "dt", false) => {
                    flush(&mut blocks, &mut current, item_depth);
                    item_depth += 1;
                    if tag_name == "dt" {
                        current.push_str("**");
                    }
                }
                ("li", true) => {
                    flush(&mut blocks, &mut current, item_depth);
                    item_depth = item_depth.saturating_sub(1);
                }
                ("dt", true) => {
                    current.push_str("**");
                    flush(&mut blocks, &mut current, item_depth);
                    item_depth = item_depth.saturating_sub(1);
                }
                ("code", false) => {
                    in_code += 1;
                    sink.push_str(" `");
                }
                ("code", true) => {
                    in_code = in_code.saturating_sub(1);
                    // Trailing spaces inside a code span are trimmed so the span stays valid.
                    while sink.ends_with(' ') {
                        sink.pop();
                    }
                    sink.push('`');
                }
                ("b", _) => sink.push_str("**"),
                ("i", _) => sink.push('*'),
                ("a", false) => {
                    let href = body
                        .split("href=\"")
                        .nth(1)
                        .and_then(|h| h.split('"').next())
                        .unwrap_or("")
                        .to_owned();
                    link = Some(href);
                    link_text.clear();
                }
                ("a", true) => {
                    if let Some(href) = link.take() {
                        let text = link_text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if href.starts_with("http") {
                            let _ = write!(current, "[{text}]({href})");
                        } else {
                            current.push_str(&text);
                        }
                    }
                }
                _ => {}
            }
            if !pending_prefix.is_empty() && tag_name == "p" && !closing {
                current.push_str(&pending_prefix);
                pending_prefix.clear();
            }
        } else {
            current.push_str(&escape_text(&decode_entities(rest)));
            break;
        }
    }
    flush(&mut blocks, &mut current, item_depth);

    let mut out = String::new();
    let mut prev_item = false;
    for (kind, text) in blocks {
        let text = fix_code_spans(&text);
        let is_item = kind == Block::Item;
        if !out.is_empty() {
            out.push('\n');
            if !(is_item && prev_item) {
                out.push('\n');
            }
        }
        if is_item {
            wrap_into(&mut out, &text, "- ", "  ");
        } else {
            wrap_into(&mut out, &text, "", "");
        }
        prev_item = is_item;
    }
    out
}

/// `the ` + "` cpu`" artefacts of converting `<code>` boundaries: remove the space the opening
/// marker introduced after punctuation such as `(`.
fn fix_code_spans(text: &str) -> String {
    text.replace("( `", "(`").replace("\" `", "\"`")
}

fn wrap_into(out: &mut String, text: &str, first_prefix: &str, rest_prefix: &str) {
    const WIDTH: usize = 96;
    let mut line = String::from(first_prefix);
    let mut line_has_word = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if line_has_word && line.len() + 1 + word.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest_prefix);
            line_has_word = false;
        }
        if line_has_word {
            line.push(' ');
        }
        line.push_str(word);
        line_has_word = true;
    }
    out.push_str(line.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms_and_keywords() {
        assert_eq!(snake_case("taskRoleArn"), "task_role_arn");
        assert_eq!(snake_case("sizeInGiB"), "size_in_gib");
        assert_eq!(snake_case("type"), "r#type");
        assert_eq!(
            snake_case("s3filesVolumeConfiguration"),
            "s3files_volume_configuration"
        );
        assert_eq!(snake_case("ipAddress"), "ip_address");
        assert_eq!(
            snake_case("fsxWindowsFileServerVolumeConfiguration"),
            "fsx_windows_file_server_volume_configuration"
        );
    }

    #[test]
    fn variant_names_read_as_rust() {
        assert_eq!(variant_name("X86_64"), "X86_64");
        assert_eq!(variant_name("json-file"), "JsonFile");
        assert_eq!(variant_name("memberOf"), "MemberOf");
        assert_eq!(variant_name("GPU"), "Gpu");
        assert_eq!(
            variant_name("WINDOWS_SERVER_2019_FULL"),
            "WindowsServer2019Full"
        );
        assert_eq!(variant_name("InferenceAccelerator"), "InferenceAccelerator");
        assert_eq!(variant_name("http2"), "Http2");
    }

    #[test]
    fn html_becomes_markdown() {
        let md = html_to_markdown(
            "<p>The <code>cpu</code> units. See <a href=\"https://x.example/a\">the docs</a>.</p> <note> <p>Use [brackets] &lt;carefully&gt;.</p> </note> <ul> <li> <p>one</p> </li> <li> <p>two</p> </li> </ul>",
        );
        assert_eq!(
            md,
            "The `cpu` units. See [the docs](https://x.example/a).\n\nNote: Use \\[brackets\\] &lt;carefully&gt;.\n\n- one\n- two"
        );
    }
}
