//! Reading and writing task-definition JSON.
//!
//! - [`to_canonical_json`] writes the one canonical form: AWS's member order, absent members
//!   omitted (never `null`), two-space indent, a trailing newline. Same value, same bytes.
//!   [`to_compact_json`] writes the same without whitespace. Both go through [`WriteJson`],
//!   whose impls the model generator writes beside the `Serialize` impls.
//! - `from_json_strict` reads what `RegisterTaskDefinition` accepts and nothing else: every
//!   unknown key is reported with its JSON path and the closest known key, the output-only
//!   members of `DescribeTaskDefinition` are refused, `null` is refused.
//! - `from_json_lenient` reads real-world files: console exports full of `null`,
//!   `describe-task-definition` output with or without its `{"taskDefinition": ...}` wrapper.
//!   It says what it dropped. Unknown keys and wrong types are still errors.
//!
//! The two loaders (and `minify`) read files, which only `cargo-ecsdef` does: they are
//! behind the crate's feature `files`, so a service's build does not compile them.

use std::fmt;

use crate::tree::{Map, Value};

use crate::schema::{self, ShapeKind};
use crate::suggest::did_you_mean;
use crate::{ContainerDefinition, TaskDefinition};

/// Members that `DescribeTaskDefinition` returns but `RegisterTaskDefinition` does not take.
pub const OUTPUT_ONLY_MEMBERS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// The canonical JSON of a task definition: what `aws ecs register-task-definition
/// --cli-input-json` takes, byte-stable.
pub fn to_canonical_json(definition: &TaskDefinition) -> String {
    write(definition, true)
}

/// The canonical JSON of any value the model's writer writes (a policy document).
pub(crate) fn to_canonical_json_of(value: &dyn WriteJson) -> String {
    write(value, true)
}

/// The compact JSON of a model value (no whitespace between tokens, member order kept): what
/// `serde_json::to_string` writes of it, byte for byte.
pub fn to_compact_json(value: &dyn WriteJson) -> String {
    write(value, false)
}

/// Whether `look` holds for any string the JSON text of `value` would hold but its member
/// names (values, enum variants, a map's keys), without writing the text: the strings are
/// looked at where they are, unescaped.
pub fn any_string(value: &dyn WriteJson, look: fn(&str) -> bool) -> bool {
    let mut writer = JsonWriter {
        out: String::new(),
        pretty: false,
        depth: 0,
        empty: true,
        look: Some(look),
        found: false,
    };
    value.write_json(&mut writer);
    writer.found
}

fn write(value: &dyn WriteJson, pretty: bool) -> String {
    // Most documents are a few kilobytes: start big enough to skip the first doublings.
    let mut writer = JsonWriter {
        out: String::with_capacity(1024),
        pretty,
        depth: 0,
        empty: true,
        look: None,
        found: false,
    };
    value.write_json(&mut writer);
    if pretty {
        writer.out.push('\n');
    }
    writer.out
}

/// A model type that writes itself as JSON: every member under its wire name, in AWS's
/// order, an absent optional one left out. The impls of the model's types are generated
/// beside its `Serialize` impls and write the same bytes; being plain functions rather than
/// generic over a serializer, they are compiled once, in this crate, whatever writes JSON.
pub trait WriteJson {
    /// Writes `self` as one JSON value.
    fn write_json(&self, w: &mut JsonWriter);
}

/// The writer behind [`to_canonical_json`] and [`to_compact_json`]: serde_json's pretty form
/// (two-space indent, `": "` after a key) or its compact form, byte for byte.
#[derive(Debug)]
pub struct JsonWriter {
    out: String,
    pretty: bool,
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the innermost open object or array has nothing in it yet.
    empty: bool,
    /// In [`any_string`]'s scan mode, what each string is looked at with: strings are then
    /// not written.
    look: Option<fn(&str) -> bool>,
    /// In scan mode, whether `look` held for a string.
    found: bool,
}

/// A line break and the deepest indent written at once; deeper levels write the rest.
const INDENT: &str = "\n                                                                ";

impl JsonWriter {
    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.open('{');
    }

    /// Closes the innermost object.
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.open('[');
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Starts a member of the innermost object: its key; the value is written next.
    pub fn key(&mut self, key: &str) {
        if self.scanning() {
            return;
        }
        self.next_item();
        self.string(key);
        self.out.push_str(if self.pretty { ": " } else { ":" });
    }

    /// Starts an entry of the innermost object when it is a map: its key, which
    /// [`any_string`] looks at, as it does not look at a member's name ([`JsonWriter::key`]).
    pub fn map_key(&mut self, key: &str) {
        if self.scanning() {
            self.string(key);
            return;
        }
        self.key(key);
    }

    /// Starts an element of the innermost array; the value is written next.
    pub fn element(&mut self) {
        if self.scanning() {
            return;
        }
        self.next_item();
    }

    /// Whether the writer is in [`any_string`]'s scan mode, where only string values count:
    /// keys, punctuation, numbers and booleans are then not written.
    fn scanning(&self) -> bool {
        self.look.is_some()
    }

    /// A string, escaped as serde_json escapes it: `"`, `\` and the control characters,
    /// nothing else.
    pub fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        if let Some(look) = self.look {
            self.found = self.found || look(s);
            return;
        }
        self.out.push('"');
        if cfg!(debug_assertions) && !may_need_escape(s) {
            self.out.push_str(s);
            self.out.push('"');
            return;
        }
        let bytes = s.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time while none of them is escaped.
            if let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
                && !may_hold_escape(u64::from_le_bytes(chunk))
            {
                i += 8;
                continue;
            }
            // Fewer than eight left: the same test, padded with spaces (never escaped).
            let rest = &bytes[i..];
            if rest.len() < 8 {
                let mut word = [b' '; 8];
                word[..rest.len()].copy_from_slice(rest);
                if !may_hold_escape(u64::from_le_bytes(word)) {
                    break;
                }
            }
            let b = bytes[i];
            let short = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0x00..=0x1f => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            // Only ASCII bytes are escaped, so `i` is a char boundary.
            self.out.push_str(&s[start..i]);
            if short.is_empty() {
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 0xf)]));
            } else {
                self.out.push_str(short);
            }
            i += 1;
            start = i;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    /// An integer.
    pub fn integer(&mut self, n: i64) {
        use std::fmt::Write as _;
        if self.scanning() {
            return;
        }
        let _ = write!(self.out, "{n}");
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, b: bool) {
        if self.scanning() {
            return;
        }
        self.out.push_str(if b { "true" } else { "false" });
    }

    fn open(&mut self, bracket: char) {
        if self.scanning() {
            return;
        }
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: char) {
        if self.scanning() {
            return;
        }
        self.depth -= 1;
        if !self.empty {
            self.line_break();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// The comma before every item but the first, then (pretty) its line and indent.
    fn next_item(&mut self) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.line_break();
    }

    fn line_break(&mut self) {
        if !self.pretty {
            return;
        }
        let mut spaces = 2 * self.depth;
        let now = spaces.min(INDENT.len() - 1);
        self.out.push_str(&INDENT[..=now]);
        spaces -= now;
        while spaces > 0 {
            let now = spaces.min(INDENT.len() - 1);
            self.out.push_str(&INDENT[1..=now]);
            spaces -= now;
        }
    }
}

/// Whether any of the eight bytes of `chunk` (little-endian) may be one JSON escapes: `"`,
/// `\\` or a control character. Never false when one is (a carry may make it true when none
/// is, and the byte loop then decides).
const fn may_hold_escape(chunk: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let control = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * b'"' as u64);
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * b'\\' as u64);
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGH != 0
}

/// Whether `s` may hold a character JSON escapes (`"`, `\\` or a control character): whether
/// `str`'s `Debug` escapes any of its characters, which it does for each of those (and for a
/// few more, which then take the writer's byte loop needlessly but correctly). That `Debug`
/// is compiled once, optimised, in `core`: in the unoptimised proc macro of a user's dev
/// profile it scans a string faster than a loop over its bytes compiled here (a fifth of the
/// writer's instructions in the 300-derive benchmark), while optimised, the loop is faster
/// (1% of a dense export), so [`JsonWriter::string`] asks it only with debug assertions on.
fn may_need_escape(s: &str) -> bool {
    /// Counts the bytes written, keeps none.
    struct Length(usize);
    impl fmt::Write for Length {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut length = Length(0);
    // Writing to `Length` cannot fail; an error would only send `s` the careful way.
    fmt::write(&mut length, format_args!("{s:?}")).is_err() || length.0 != s.len() + 2
}

impl WriteJson for String {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl WriteJson for i32 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.integer(i64::from(*self));
    }
}

impl WriteJson for bool {
    fn write_json(&self, w: &mut JsonWriter) {
        w.boolean(*self);
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_array();
        for item in self {
            w.element();
            item.write_json(w);
        }
        w.end_array();
    }
}

impl WriteJson for std::collections::BTreeMap<String, String> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        for (key, value) in self {
            w.map_key(key);
            w.string(value);
        }
        w.end_object();
    }
}

/// The canonical JSON of any serializable value (a CloudFormation template): pretty with
/// two-space indent and a trailing newline. The model's own types take the model's writer
/// ([`to_canonical_json`], [`container_to_canonical_json`], the policy's `to_json`), which
/// writes the same bytes without instantiating a serializer for each of them.
#[cfg(feature = "files")]
pub fn to_canonical_json_value<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Most documents are a few kilobytes: start big enough to skip the first doublings.
    let mut out = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Canonical::default());
    // Serializing the model's own types cannot fail: they have no maps with non-string keys
    // and no custom Serialize impls that error.
    value
        .serialize(&mut serializer)
        .unwrap_or_else(|e| unreachable!("model types always serialize: {e}"));
    out.push(b'\n');
    // serde_json writes only UTF-8; the check costs little next to the serializing.
    String::from_utf8(out).unwrap_or_else(|e| unreachable!("serde_json writes UTF-8: {e}"))
}

/// `serde_json`'s `PrettyFormatter` with its two-space indent, byte for byte, except that a
/// line break and the indent after it are written at once: the pretty formatter writes the
/// indent one level at a time, a large share of the cost of writing a task definition's JSON.
#[derive(Debug, Default)]
#[cfg(feature = "files")]
struct Canonical {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break then the deepest indent written at once; deeper levels write the rest.
#[cfg(feature = "files")]
const BREAK: &[u8] = b",\n                                                                ";

#[cfg(feature = "files")]
impl Canonical {
    /// A line break (after a comma unless `first`), then the indent of the current depth.
    fn line<W: ?Sized + std::io::Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        let start = usize::from(first);
        let mut spaces = 2 * self.depth;
        let now = spaces.min(BREAK.len() - 2);
        writer.write_all(&BREAK[start..2 + now])?;
        spaces -= now;
        while spaces > 0 {
            let now = spaces.min(BREAK.len() - 2);
            writer.write_all(&BREAK[2..2 + now])?;
            spaces -= now;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own unless nothing was in it.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, true)?;
        }
        writer.write_all(bracket)
    }
}

#[cfg(feature = "files")]
impl serde_json::ser::Formatter for Canonical {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The canonical JSON of a container definition.
pub fn container_to_canonical_json(definition: &ContainerDefinition) -> String {
    write(definition, true)
}

/// JSON without the whitespace between tokens (strings untouched): the compact form of
/// canonical JSON, member order kept (of a model value, [`to_compact_json`] writes it
/// directly).
#[cfg(feature = "files")]
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// A task definition as a JSON tree (whose objects sort their keys: use
/// [`to_canonical_json`] for output).
pub fn task_definition_to_tree(definition: &TaskDefinition) -> Value {
    Value::parse(&to_compact_json(definition)).unwrap_or(Value::Null)
}

/// A container definition as a JSON tree.
pub fn container_definition_to_tree(definition: &ContainerDefinition) -> Value {
    Value::parse(&to_compact_json(definition)).unwrap_or(Value::Null)
}

/// A task definition from a JSON tree of the model's shape (no schema walk: see
/// `from_json_strict` for errors that name the JSON path).
pub fn task_definition_from_tree(value: &Value) -> Result<TaskDefinition, crate::de::Error> {
    crate::de::FromJson::from_json(value)
}

/// A container definition from a JSON tree of the model's shape.
pub fn container_definition_from_tree(
    value: &Value,
) -> Result<ContainerDefinition, crate::de::Error> {
    crate::de::FromJson::from_json(value)
}

/// A task definition as a `serde_json::Value` (whose maps sort their keys: use
/// [`to_canonical_json`] for output).
#[cfg(feature = "files")]
pub fn task_definition_to_value(definition: &TaskDefinition) -> serde_json::Value {
    serde_json::from_str(&to_canonical_json(definition)).unwrap_or(serde_json::Value::Null)
}

/// A container definition as a `serde_json::Value`.
#[cfg(feature = "files")]
pub fn container_definition_to_value(definition: &ContainerDefinition) -> serde_json::Value {
    serde_json::from_str(&container_to_canonical_json(definition))
        .unwrap_or(serde_json::Value::Null)
}

/// Deserializes a task definition (no schema walk: see `from_json_strict` for errors that
/// name the JSON path).
#[cfg(feature = "files")]
pub fn task_definition_from_str(json: &str) -> Result<TaskDefinition, serde_json::Error> {
    serde_json::from_str(json)
}

/// Deserializes a container definition (see [`task_definition_from_str`]).
#[cfg(feature = "files")]
pub fn container_definition_from_str(json: &str) -> Result<ContainerDefinition, serde_json::Error> {
    serde_json::from_str(json)
}

/// A task definition from a `serde_json::Value` of the model's shape.
#[cfg(feature = "files")]
pub fn task_definition_from_value(
    value: &serde_json::Value,
) -> Result<TaskDefinition, serde_json::Error> {
    task_definition_from_str(&value.to_string())
}

/// A container definition from a `serde_json::Value` of the model's shape.
#[cfg(feature = "files")]
pub fn container_definition_from_value(
    value: &serde_json::Value,
) -> Result<ContainerDefinition, serde_json::Error> {
    container_definition_from_str(&value.to_string())
}

/// One problem found while loading task-definition JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// Where: a JSON path such as `containerDefinitions[0].imagee`, empty for the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where there is something to say.
    pub help: Option<String>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)?;
        } else {
            write!(f, "{}: {}", self.path, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Every problem found in one document, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// What the lenient loader read, and what it dropped to read it.
#[derive(Debug, Clone, PartialEq)]
#[cfg(feature = "files")]
pub struct LenientLoad {
    /// The task definition.
    pub definition: TaskDefinition,
    /// One line for each thing dropped or unwrapped, with its JSON path, in document order.
    pub notes: Vec<String>,
}

#[cfg(feature = "files")]
fn parse_json(text: &str) -> Result<serde_json::Value, LoadErrors> {
    serde_json::from_str(text).map_err(|e| {
        LoadErrors(vec![LoadError {
            path: String::new(),
            message: format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
            help: None,
        }])
    })
}

/// Reads a `RegisterTaskDefinition` input strictly. Every problem is reported, not only the
/// first.
#[cfg(feature = "files")]
pub fn from_json_strict(text: &str) -> Result<TaskDefinition, LoadErrors> {
    let value = parse_json(text)?;
    from_value_strict(&value)
}

/// Checks a JSON value against the model and converts it.
#[cfg(feature = "files")]
pub fn from_value_strict(value: &serde_json::Value) -> Result<TaskDefinition, LoadErrors> {
    let tree = Value::from(value);
    let mut errors = Vec::new();
    check_value(&tree, schema::ROOT, "", true, &mut errors);
    if !errors.is_empty() {
        crate::de::say_what_aws_answers(value, &mut errors);
        return Err(LoadErrors(errors));
    }
    // The walk above checked every key, type and enum value, so the reader sees valid input;
    // its error is still mapped rather than unwrapped in case the two ever disagree.
    task_definition_from_tree(&tree).map_err(|e| {
        LoadErrors(vec![LoadError {
            path: String::new(),
            message: e.to_string(),
            help: None,
        }])
    })
}

/// Reads real-world task-definition JSON: unwraps `{"taskDefinition": ...}`, drops output-only
/// members and `null`s, and says what it did in [`LenientLoad::notes`].
#[cfg(feature = "files")]
pub fn from_json_lenient(text: &str) -> Result<LenientLoad, LoadErrors> {
    from_value_lenient(parse_json(text)?)
}

/// [`from_json_lenient`] of a document already parsed (a YAML file, a CloudFormation
/// resource's properties).
#[cfg(feature = "files")]
pub fn from_value_lenient(mut value: serde_json::Value) -> Result<LenientLoad, LoadErrors> {
    let mut notes = Vec::new();
    if let serde_json::Value::Object(map) = &mut value
        && map.len() <= 2
        && map
            .get("taskDefinition")
            .is_some_and(serde_json::Value::is_object)
        && map.keys().all(|k| k == "taskDefinition" || k == "tags")
    {
        let wrapper_tags = map.remove("tags");
        let mut inner = map
            .remove("taskDefinition")
            .unwrap_or(serde_json::Value::Null);
        notes.push(
            "unwrapped the `taskDefinition` object of describe-task-definition output".to_owned(),
        );
        if let (Some(tags), serde_json::Value::Object(inner_map)) = (wrapper_tags, &mut inner) {
            let has_tags = tags.as_array().is_some_and(|a| !a.is_empty());
            if has_tags && !inner_map.contains_key("tags") {
                inner_map.insert("tags".to_owned(), tags);
                notes.push("moved the wrapper's `tags` into the task definition".to_owned());
            } else {
                notes.push("dropped the wrapper's empty `tags`".to_owned());
            }
        }
        value = inner;
    }
    if let serde_json::Value::Object(map) = &mut value {
        for member in OUTPUT_ONLY_MEMBERS {
            if map.remove(*member).is_some() {
                notes.push(format!("dropped output-only member `{member}`"));
            }
        }
    }
    drop_nulls(&mut value, "", &mut notes);
    let definition = from_value_strict(&value)?;
    Ok(LenientLoad { definition, notes })
}

#[cfg(feature = "files")]
fn drop_nulls(value: &mut serde_json::Value, path: &str, notes: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            let nulls: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.is_null())
                .map(|(k, _)| k.clone())
                .collect();
            for key in nulls {
                map.remove(&key);
                notes.push(format!("dropped null `{}`", join_key(path, &key)));
            }
            for (key, child) in map.iter_mut() {
                drop_nulls(child, &join_key(path, key), notes);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                drop_nulls(child, &format!("{path}[{i}]"), notes);
            }
        }
        _ => {}
    }
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn push(errors: &mut Vec<LoadError>, path: &str, message: String, help: Option<String>) {
    errors.push(LoadError {
        path: path.to_owned(),
        message,
        help,
    });
}

/// The object `value` is, or an error at `path` saying what it is instead.
fn expect_object<'a>(value: &'a Value, path: &str, errors: &mut Vec<LoadError>) -> Option<&'a Map> {
    let map = value.as_object();
    if map.is_none() {
        push(
            errors,
            path,
            format!("expected an object, found {}", kind_name(value)),
            None,
        );
    }
    map
}

/// Walks `value` against the shape `shape_name`, collecting every problem.
pub(crate) fn check_value(
    value: &Value,
    shape_name: &str,
    path: &str,
    is_root: bool,
    errors: &mut Vec<LoadError>,
) {
    let Some(shape) = schema::shape(shape_name) else {
        push(
            errors,
            path,
            format!("internal: unknown shape `{shape_name}`"),
            None,
        );
        return;
    };
    if value.is_null() {
        push(
            errors,
            path,
            "`null` is not a value here".to_owned(),
            Some("omit the member instead of setting it to null".to_owned()),
        );
        return;
    }
    match shape.kind {
        ShapeKind::Structure(members) => {
            let Some(map) = expect_object(value, path, errors) else {
                return;
            };
            for (key, child) in map {
                let child_path = join_key(path, key);
                if let Some(member) = members.iter().find(|m| m.name == key) {
                    check_value(child, member.shape, &child_path, false, errors);
                } else if is_root && OUTPUT_ONLY_MEMBERS.contains(&key.as_str()) {
                    push(
                        errors,
                        &child_path,
                        format!("`{key}` is an output-only member of DescribeTaskDefinition"),
                        Some(
                            "RegisterTaskDefinition does not take it: remove it, or load the \
                             file leniently (`cargo ecsdef import`)"
                                .to_owned(),
                        ),
                    );
                } else {
                    let help = match did_you_mean(key, members.iter().map(|m| m.name)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "expected one of {}",
                            members
                                .iter()
                                .map(|m| format!("`{}`", m.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    push(
                        errors,
                        &child_path,
                        format!("unknown member `{key}` of {}", shape.name),
                        Some(help),
                    );
                }
            }
            for member in members.iter().filter(|m| m.required) {
                if !map.contains_key(member.name) {
                    push(
                        errors,
                        path,
                        format!(
                            "missing required member `{}` of {}",
                            member.name, shape.name
                        ),
                        None,
                    );
                }
            }
        }
        ShapeKind::Enum(values) => match value.as_str() {
            Some(s) if values.contains(&s) => {}
            Some(s) => {
                let mut help = format!("expected one of {}", crate::de::backticked(values));
                if let Some(suggestion) = did_you_mean(s, values.iter().copied()) {
                    help = format!("did you mean `{suggestion}`? ({help})");
                }
                push(
                    errors,
                    path,
                    format!("`{s}` is not a valid {}", shape.name),
                    Some(help),
                );
            }
            None => push(
                errors,
                path,
                format!(
                    "expected a string ({}), found {}",
                    shape.name,
                    kind_name(value)
                ),
                None,
            ),
        },
        ShapeKind::String { .. } => {
            if !value.is_string() {
                push(
                    errors,
                    path,
                    format!("expected a string, found {}", kind_name(value)),
                    None,
                );
            }
        }
        ShapeKind::Integer { .. } => {
            let in_range = value.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
            if !in_range {
                let found = if value.is_number() {
                    "a number that is not a 32-bit integer"
                } else {
                    kind_name(value)
                };
                push(
                    errors,
                    path,
                    format!("expected an integer, found {found}"),
                    None,
                );
            }
        }
        ShapeKind::Boolean => {
            if !value.is_boolean() {
                push(
                    errors,
                    path,
                    format!("expected a boolean, found {}", kind_name(value)),
                    None,
                );
            }
        }
        ShapeKind::List { member, .. } => {
            let Value::Array(items) = value else {
                push(
                    errors,
                    path,
                    format!("expected an array, found {}", kind_name(value)),
                    None,
                );
                return;
            };
            for (i, item) in items.iter().enumerate() {
                check_value(item, member, &format!("{path}[{i}]"), false, errors);
            }
        }
        ShapeKind::Map { value: value_shape } => {
            let Some(map) = expect_object(value, path, errors) else {
                return;
            };
            for (key, child) in map {
                check_value(child, value_shape, &join_key(path, key), false, errors);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        r#"{"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]}"#;

    /// Every character JSON escapes is one `str`'s `Debug` escapes, wherever it stands, so
    /// the writer's quick path never copies one raw; and strings written either way are
    /// serde_json's.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let escaped = (0u8..0x20).map(char::from).chain(['"', '\\']);
        for c in escaped {
            for text in [
                c.to_string(),
                format!("abc{c}"),
                format!("{c}abc"),
                format!("a{c}b"),
            ] {
                assert!(may_need_escape(&text), "{text:?}");
            }
        }
        let mut texts: Vec<String> = [
            "",
            "plain ascii text with spaces, colons: and /slashes/",
            "ghcr.io/acme/service-0:1.0.0",
            "#hash \"#quoted\"# r#\"raw\"#",
            "del \u{7f}, nbsp \u{a0}, e\u{301} combining, zero width \u{200b}, emoji \u{1f600}",
            "caf\u{e9} \u{fffd} \u{10ffff}",
            "tab\tnew line\ncarriage\rback\u{8}feed\u{c}nul\u{0}esc\u{1b}",
        ]
        .map(str::to_owned)
        .to_vec();
        texts.extend((0u8..0x80).map(|b| format!("x{}y", char::from(b))));
        // Each byte at each offset of a string longer than the eight-byte steps, between
        // multi-byte characters.
        for b in 0u8..0x80 {
            for at in 0..20 {
                let mut text = "abcdé🦀ghijklmnopqr".to_owned();
                let at = (0..=at)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text.insert(at, char::from(b));
                texts.push(text);
            }
        }
        for text in texts {
            assert_eq!(
                to_compact_json(&text),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn canonical_json_is_serde_jsons_pretty_form() {
        // Nesting deeper than the formatter's indent buffer (32 levels), empty and one-element
        // containers, escapes and non-ASCII text.
        let mut deep = serde_json::json!("leaf");
        for depth in 0..40 {
            deep = if depth % 2 == 0 {
                serde_json::json!([deep, [], {}, depth])
            } else {
                serde_json::json!({"k": deep, "e": {}, "a": [1]})
            };
        }
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([[]]),
            serde_json::json!({"a": {}, "b": [[], [{}]], "c": "é \"q\" \n\u{1F980}"}),
            deep,
        ];
        for value in values {
            let mut pretty = serde_json::to_string_pretty(&value).unwrap();
            pretty.push('\n');
            assert_eq!(to_canonical_json_value(&value), pretty);
        }
        let td = from_json_strict(MINIMAL).unwrap();
        let mut pretty = serde_json::to_string_pretty(&td).unwrap();
        pretty.push('\n');
        assert_eq!(to_canonical_json(&td), pretty);
    }

    /// The model's writer against serde_json over the model's `Serialize` impls, pretty and
    /// compact: every real-world file of the corpus, and values that hit each escape, every
    /// kind of member, empty lists and maps, and the integers' extremes.
    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        fn same(td: &TaskDefinition) {
            let mut pretty = serde_json::to_string_pretty(td).unwrap();
            pretty.push('\n');
            assert_eq!(to_canonical_json(td), pretty);
            assert_eq!(to_compact_json(td), serde_json::to_string(td).unwrap());
            for c in &td.container_definitions {
                let mut pretty = serde_json::to_string_pretty(c).unwrap();
                pretty.push('\n');
                assert_eq!(container_to_canonical_json(c), pretty);
                assert_eq!(to_compact_json(c), serde_json::to_string(c).unwrap());
            }
        }
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/real");
        let mut files = 0;
        for entry in std::fs::read_dir(corpus).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if let Ok(load) = from_json_lenient(&text) {
                same(&load.definition);
                files += 1;
            }
        }
        assert!(files >= 20, "only {files} corpus files load");

        let every_byte: String = (0u8..0x80).map(char::from).collect();
        let tricky = format!("{every_byte} \"q\" \\ / é \u{1F980} \u{2028}");
        let td = from_json_strict(
            r#"{"family": "web", "containerDefinitions": [
                {"name": "app", "image": "nginx:1.27", "cpu": 0, "memory": 2147483647,
                 "essential": false, "command": [], "dockerLabels": {},
                 "environment": [{"name": "A", "value": "1"}],
                 "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                 "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"], "drop": []},
                   "tmpfs": [{"containerPath": "/t", "size": -2147483648}]},
                 "logConfiguration": {"logDriver": "awslogs",
                   "options": {"awslogs-group": "/ecs/web", "b": "", "a": "x"}}},
                {"name": "two", "image": "x", "dependsOn": [], "ulimits": []}],
              "volumes": [{"name": "v", "dockerVolumeConfiguration": {"labels": {}}}],
              "tags": [], "requiresCompatibilities": ["FARGATE", "EC2"]}"#,
        )
        .unwrap();
        same(&td);
        let mut td2 = td.clone();
        td2.family.clone_from(&tricky);
        td2.container_definitions[0].command = Some(vec![tricky.clone(), String::new()]);
        td2.container_definitions[0]
            .docker_labels
            .get_or_insert_default()
            .insert(tricky.clone(), tricky);
        same(&td2);
        same(&TaskDefinition::default());
    }

    #[test]
    fn canonical_json_is_ordered_indented_and_terminated() {
        let td = from_json_strict(
            r#"{"containerDefinitions": [{"image": "nginx:1.27", "name": "app", "essential": true}], "family": "web", "cpu": "256"}"#,
        )
        .unwrap();
        assert_eq!(
            to_canonical_json(&td),
            "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\n      \"name\": \"app\",\n      \"image\": \"nginx:1.27\",\n      \"essential\": true\n    }\n  ],\n  \"cpu\": \"256\"\n}\n"
        );
    }

    #[test]
    fn strict_reports_unknown_keys_with_path_and_suggestion() {
        let err = from_json_strict(
            r#"{"family": "web", "containerDefinitions": [{"name": "a", "image": "x"}, {"name": "b", "imagee": "x"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].path, "containerDefinitions[1].imagee");
        assert_eq!(
            err.0[0].message,
            "unknown member `imagee` of ContainerDefinition"
        );
        assert_eq!(err.0[0].help.as_deref(), Some("did you mean `image`?"));
    }

    #[test]
    fn strict_reports_every_problem() {
        let err = from_json_strict(
            r#"{"containerDefinitions": [{"name": 5, "portMappings": [{"protocol": "TCP"}]}], "networkMode": null, "revision": 3}"#,
        )
        .unwrap_err();
        let got: Vec<(&str, &str)> = err
            .0
            .iter()
            .map(|e| (e.path.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "containerDefinitions[0].name",
                    "expected a string, found the number 5: AWS refuses it (the AWS CLI: \
                     \"Invalid type for parameter containerDefinitions[0].name, value: 5, \
                     type: <class 'int'>, valid types: <class 'str'>\")"
                ),
                (
                    "containerDefinitions[0].portMappings[0].protocol",
                    "`TCP` is not a valid TransportProtocol"
                ),
                ("networkMode", "`null` is not a value here"),
                (
                    "revision",
                    "`revision` is an output-only member of DescribeTaskDefinition"
                ),
                (
                    "",
                    "missing required member `family` of RegisterTaskDefinitionRequest"
                ),
            ]
        );
        assert_eq!(
            err.0[1].help.as_deref(),
            Some("did you mean `tcp`? (expected one of `tcp`, `udp`)")
        );
    }

    #[test]
    fn strict_accepts_minimal_definition() {
        let td = from_json_strict(MINIMAL).unwrap();
        assert_eq!(td.family, "web");
        assert_eq!(
            td.container_definitions[0].image.as_deref(),
            Some("nginx:1.27")
        );
    }

    #[test]
    fn lenient_unwraps_and_drops_with_notes() {
        let load = from_json_lenient(
            r#"{"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", "family": "web", "revision": 3, "cpu": null, "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "memory": null}]}, "tags": []}"#,
        )
        .unwrap();
        assert_eq!(load.definition.family, "web");
        assert_eq!(
            load.notes,
            [
                "unwrapped the `taskDefinition` object of describe-task-definition output",
                "dropped the wrapper's empty `tags`",
                "dropped output-only member `taskDefinitionArn`",
                "dropped output-only member `revision`",
                "dropped null `cpu`",
                "dropped null `containerDefinitions[0].memory`",
            ]
        );
    }

    #[test]
    fn lenient_still_refuses_wrong_types() {
        let err = from_json_lenient(
            r#"{"family": "web", "containerDefinitions": [], "tags": {"a": "b"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.0[0].path, "tags");
        assert!(
            err.0[0]
                .message
                .starts_with("expected an array, found an object: AWS refuses it"),
            "{}",
            err.0[0].message
        );
    }

    #[test]
    fn invalid_json_says_where() {
        let err = from_json_strict("{\n  \"family\": }").unwrap_err();
        assert!(
            err.0[0]
                .message
                .starts_with("invalid JSON at line 2, column 13"),
            "{}",
            err.0[0].message
        );
    }
}
