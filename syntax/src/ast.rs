//! What the front end makes of a declaration: the model it declares, the context the rules
//! need, and a span for every value, so each finding of the rule engine lands on the literal
//! that produced it.

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context, push_element_path};
use ecsdef_model::{ContainerDefinition, TaskDefinition};
use proc_macro2::Span;
use std::fmt;

/// What a span recorded in a [`SpanMap`] is the span of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKey<'a> {
    /// A value at a JSON path relative to the container or the task (`image`,
    /// `environment[1].value`); the empty path is the declaration as a whole.
    Json(&'a str),
    /// A value of the context, which the JSON does not hold, by its attribute key (`kms_key`,
    /// `region`, `extra`): the key of a rule's [`Location::Context`].
    ///
    /// [`Location::Context`]: ecsdef_model::rules::Location::Context
    Context(&'a str),
    /// The name of a task's field: where the task's checks of the field's container land.
    FieldName,
    /// A field of a container's struct, by its Rust name.
    Field(&'a str),
    /// The literal of that field's `env` or `secret`.
    FieldValue(&'a str),
}

/// The kind of a [`SpanKey`], stored beside the text of its name or path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Json,
    Context,
    FieldName,
    Field,
    FieldValue,
}

impl<'a> SpanKey<'a> {
    fn split(self) -> (KeyKind, &'a str) {
        match self {
            SpanKey::Json(path) => (KeyKind::Json, path),
            SpanKey::Context(key) => (KeyKind::Context, key),
            SpanKey::FieldName => (KeyKind::FieldName, ""),
            SpanKey::Field(name) => (KeyKind::Field, name),
            SpanKey::FieldValue(name) => (KeyKind::FieldValue, name),
        }
    }

    fn join(kind: KeyKind, text: &'a str) -> Self {
        match kind {
            KeyKind::Json => SpanKey::Json(text),
            KeyKind::Context => SpanKey::Context(text),
            KeyKind::FieldName => SpanKey::FieldName,
            KeyKind::Field => SpanKey::Field(text),
            KeyKind::FieldValue => SpanKey::FieldValue(text),
        }
    }
}

/// The span of every value of a declaration, by [`SpanKey`]: so each finding of the rule
/// engine lands on the literal that produced it.
///
/// Generic over the span type so that a tool which parses on worker threads (`cargo ecsdef`)
/// can turn every span into plain data there and run the checks elsewhere: see
/// [`SpanMap::into_map`] and [`ContainerDecl::map_spans`].
///
/// The keys' names and paths live one after another in one string, each entry holding where
/// its text ends: a container has a few dozen entries, and `cargo ecsdef` keeps every
/// declaration of a workspace until its tasks are checked, so one allocation a map, not one
/// an entry.
#[derive(Clone)]
pub struct SpanMap<S = Span> {
    /// The text of every key, in the order recorded, one after another.
    keys: String,
    /// Each entry's kind of key, where its text ends in `keys` (it starts where the previous
    /// one ends), and its span. The end is a `u32`, so that an entry with a span of 16 bytes
    /// is 24 bytes, not 32: see [`text_end`] for the limit.
    entries: Vec<(KeyKind, u32, S)>,
}

/// Where a key's text ends in a map's `keys`, as stored: `None` past `u32::MAX`. A map holds
/// the keys and JSON paths of one declaration, a few hundred bytes, and a source file over
/// 4 GiB is more than rustc reads, so the limit is never met; a key that would end past it is
/// not recorded (see [`SpanMap::insert`]).
fn text_end(len: usize) -> Option<u32> {
    u32::try_from(len).ok()
}

impl<S> Default for SpanMap<S> {
    fn default() -> Self {
        SpanMap {
            keys: String::new(),
            entries: Vec::new(),
        }
    }
}

impl<S: fmt::Debug> fmt::Debug for SpanMap<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<S> SpanMap<S> {
    /// An empty map with room for `entries` entries whose keys take `text` bytes.
    pub fn with_capacity(entries: usize, text: usize) -> Self {
        SpanMap {
            keys: String::with_capacity(text),
            entries: Vec::with_capacity(entries),
        }
    }

    /// Every key with its span, in the order recorded.
    fn iter(&self) -> impl Iterator<Item = (SpanKey<'_>, &S)> {
        let mut start = 0;
        self.entries.iter().map(move |(kind, end, span)| {
            // Every stored end fits the text: `push` checked it.
            let end = *end as usize;
            let text = &self.keys[start..end];
            start = end;
            (SpanKey::join(*kind, text), span)
        })
    }

    /// Records the entry whose key text was just written after `start`: a key that would end
    /// past [`text_end`]'s limit is taken out again and not recorded, so [`SpanMap::get`]
    /// falls back to its closest recorded ancestor.
    fn push(&mut self, kind: KeyKind, start: usize, span: S) {
        match text_end(self.keys.len()) {
            Some(end) => self.entries.push((kind, end, span)),
            None => self.keys.truncate(start),
        }
    }
}

impl<S: Clone> SpanMap<S> {
    /// Records where the value of `key` was written. A key recorded twice keeps its first
    /// span: [`SpanMap::get`] finds the first record.
    pub fn insert(&mut self, key: SpanKey<'_>, span: S) {
        let (kind, text) = key.split();
        let start = self.keys.len();
        self.keys.push_str(text);
        self.push(kind, start, span);
    }

    /// [`SpanMap::insert`] of the JSON path `list[index]`, or `list[index].member` when
    /// `member` is not empty, written straight into the map as the rules write it
    /// ([`push_element_path`]): a container records a few of these per field.
    pub fn insert_element(&mut self, list: &str, index: usize, member: &str, span: S) {
        let start = self.keys.len();
        push_element_path(&mut self.keys, list, index, member);
        self.push(KeyKind::Json, start, span);
    }

    /// [`SpanMap::insert`] of the JSON path `parent.member`, written straight into the map.
    pub fn insert_member(&mut self, parent: &str, member: &str, span: S) {
        let start = self.keys.len();
        self.keys.push_str(parent);
        self.keys.push('.');
        self.keys.push_str(member);
        self.push(KeyKind::Json, start, span);
    }

    /// The span of `key`; for a JSON path without a record, the span of its closest recorded
    /// ancestor (`healthCheck` for `healthCheck.interval` when only the group was recorded).
    pub fn get(&self, key: SpanKey<'_>) -> Option<S> {
        let mut key = key;
        loop {
            if let Some((_, span)) = self.iter().find(|(k, _)| *k == key) {
                return Some(span.clone());
            }
            let SpanKey::Json(path) = key else {
                return None;
            };
            let cut = path.rfind(['.', '['])?;
            key = SpanKey::Json(&path[..cut]);
        }
    }

    /// The same map with every span converted by `convert`.
    pub fn map<T>(&self, convert: impl FnMut(&S) -> T) -> SpanMap<T> {
        SpanMap {
            keys: self.keys.clone(),
            entries: self.converted(convert),
        }
    }

    /// [`SpanMap::map`], taking the map: the keys are moved, not copied, unless the text holds
    /// room it does not use (it grew one key at a time): then they are copied into a text of
    /// their size, which is what a map converted to be kept (see [`ContainerDecl::map_spans`])
    /// should hold.
    pub fn into_map<T>(self, convert: impl FnMut(&S) -> T) -> SpanMap<T> {
        let entries = self.converted(convert);
        let keys = if self.keys.capacity() > self.keys.len() {
            self.keys.as_str().to_owned()
        } else {
            self.keys
        };
        SpanMap { keys, entries }
    }

    /// The entries with every span converted.
    fn converted<T>(&self, mut convert: impl FnMut(&S) -> T) -> Vec<(KeyKind, u32, T)> {
        self.entries
            .iter()
            .map(|(kind, end, span)| (*kind, *end, convert(span)))
            .collect()
    }
}

/// A `#[derive(Container)]` struct, understood: the container it declares and where each
/// value was written.
///
/// Spans are of type `S`: [`proc_macro2::Span`] in the derive; plain data (a file position)
/// in `cargo ecsdef`, which converts them with [`ContainerDecl::map_spans`] on the thread that
/// parsed the source, so the declaration can leave it.
#[derive(Debug, Clone)]
pub struct ContainerDecl<S = Span> {
    /// The struct's name.
    pub name: String,
    /// Where the struct's name is written: the fallback for findings without a value.
    pub ident: S,
    /// The container definition it declares (its `name` only if the struct sets one).
    pub definition: ContainerDefinition,
    /// What the rules need beyond the JSON: `kms_key`, `allow`, the fields.
    pub context: ContainerContext,
    /// Where each value was written.
    pub spans: SpanMap<S>,
    /// `crate = "..."`: the path of the ecsdef crate for generated code, checked to parse as
    /// a path.
    pub krate: Option<String>,
}

impl<S: Clone> ContainerDecl<S> {
    /// The same declaration with every span converted by `convert`.
    pub fn map_spans<T>(self, mut convert: impl FnMut(S) -> T) -> ContainerDecl<T> {
        ContainerDecl {
            ident: convert(self.ident),
            spans: self.spans.into_map(|span| convert(span.clone())),
            name: self.name,
            definition: self.definition,
            context: self.context,
            krate: self.krate,
        }
    }
}

/// A field of a `#[derive(TaskDefinition)]` struct: one container.
#[derive(Debug, Clone)]
pub struct TaskField<S = Span> {
    /// What the field's attributes say.
    pub overrides: FieldOverrides,
    /// Where each of the field's values was written (`name`, `essential`,
    /// `dependsOn[0].containerName`, ...), the field's type at the empty path, and its name.
    pub spans: SpanMap<S>,
}

/// A `#[derive(TaskDefinition)]` struct, understood, with spans of type `S` (see
/// [`ContainerDecl`]).
#[derive(Debug, Clone)]
pub struct TaskDecl<S = Span> {
    /// The struct's name.
    pub name: String,
    /// Where the struct's name is written.
    pub ident: S,
    /// The task-level members; `containerDefinitions` is empty.
    pub definition: TaskDefinition,
    /// The task-level context: region, versions, `allow`.
    pub context: Context,
    /// One per container, in field order.
    pub fields: Vec<TaskField<S>>,
    /// Where each task-level value was written.
    pub spans: SpanMap<S>,
    /// `crate = "..."`, checked to parse as a path.
    pub krate: Option<String>,
}

impl<S: Clone> TaskDecl<S> {
    /// The same declaration with every span converted by `convert`.
    pub fn map_spans<T>(self, mut convert: impl FnMut(S) -> T) -> TaskDecl<T> {
        TaskDecl {
            ident: convert(self.ident),
            fields: self
                .fields
                .into_iter()
                .map(|field| TaskField {
                    overrides: field.overrides,
                    spans: field.spans.into_map(|span| convert(span.clone())),
                })
                .collect(),
            spans: self.spans.into_map(|span| convert(span.clone())),
            name: self.name,
            definition: self.definition,
            context: self.context,
            krate: self.krate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SpanKey, SpanMap, text_end};

    /// A key's end is stored up to `u32::MAX` and refused past it, never wrapped.
    #[test]
    fn text_end_refuses_what_a_u32_cannot_hold() {
        assert_eq!(text_end(0), Some(0));
        assert_eq!(text_end(300), Some(300));
        let max = usize::try_from(u32::MAX).expect("a 32- or 64-bit target");
        assert_eq!(text_end(max), Some(u32::MAX));
        if let Some(past) = max.checked_add(1) {
            assert_eq!(text_end(past), None, "past the limit");
        }
    }

    /// The first record of a key wins, a JSON path without a record falls back to its closest
    /// recorded ancestor, keys of different kinds never meet, and converting the spans keeps
    /// every key.
    #[test]
    fn span_map_finds_the_first_record_and_the_closest_ancestor() {
        let mut spans = SpanMap::default();
        spans.insert(SpanKey::Json("image"), 1);
        spans.insert(SpanKey::Json("healthCheck"), 2);
        for k in 0..3 {
            spans.insert_element("secrets", k, "name", 10 + k);
        }
        spans.insert(SpanKey::Json("image"), 3);
        spans.insert_element("secrets", 1, "name", 99);
        spans.insert(SpanKey::Json(""), 0);
        spans.insert_element("portMappings", 10, "", 20);
        spans.insert_member("logConfiguration.options", "awslogs-group", 21);
        spans.insert(SpanKey::Context("kms_key"), 4);
        spans.insert(SpanKey::Field("port"), 5);
        spans.insert(SpanKey::FieldValue("port"), 6);
        spans.insert(SpanKey::FieldName, 7);

        assert_eq!(
            spans.get(SpanKey::Json("image")),
            Some(1),
            "the first record wins"
        );
        assert_eq!(spans.get(SpanKey::Json("secrets[1].name")), Some(11));
        assert_eq!(spans.get(SpanKey::Json("secrets[2].name")), Some(12));
        assert_eq!(
            spans.get(SpanKey::Json("healthCheck.interval")),
            Some(2),
            "an ancestor"
        );
        assert_eq!(
            spans.get(SpanKey::Json("secrets[7].name")),
            None,
            "no ancestor recorded"
        );
        assert_eq!(spans.get(SpanKey::Json("")), Some(0));
        assert_eq!(spans.get(SpanKey::Json("portMappings[10]")), Some(20));
        assert_eq!(
            spans.get(SpanKey::Json("portMappings[10].hostPort")),
            Some(20),
            "an element is the ancestor of its members"
        );
        assert_eq!(
            spans.get(SpanKey::Json("logConfiguration.options.awslogs-group")),
            Some(21)
        );
        assert_eq!(spans.get(SpanKey::Context("kms_key")), Some(4));
        assert_eq!(
            spans.get(SpanKey::Json("kms_key")),
            None,
            "another kind of key"
        );
        assert_eq!(
            spans.get(SpanKey::Context("region")),
            None,
            "no ancestor of a context key"
        );
        assert_eq!(spans.get(SpanKey::Field("port")), Some(5));
        assert_eq!(spans.get(SpanKey::FieldValue("port")), Some(6));
        assert_eq!(spans.get(SpanKey::FieldName), Some(7));

        let mapped = spans.map(|s| s * 2);
        assert_eq!(mapped.get(SpanKey::Json("secrets[0].name")), Some(20));
        assert_eq!(mapped.get(SpanKey::FieldValue("port")), Some(12));
        let moved = spans.into_map(|s| s + 1);
        assert_eq!(moved.get(SpanKey::Json("image")), Some(2));
        assert_eq!(moved.get(SpanKey::Json("healthCheck")), Some(3));

        let empty: SpanMap<u32> = SpanMap::default();
        assert_eq!(empty.get(SpanKey::Json("image")), None);
    }

    /// A map converted to be kept holds its keys' text at its size, whatever room the text
    /// grew, and finds every key as before.
    #[test]
    fn a_converted_map_keeps_its_text_at_its_size() {
        let mut spans = SpanMap::default();
        for k in 0..20 {
            spans.insert_element("environment", k, "value", k);
        }
        assert!(spans.keys.capacity() > spans.keys.len(), "grown with room");
        let moved = spans.into_map(|s| s + 1);
        assert_eq!(moved.keys.capacity(), moved.keys.len());
        assert_eq!(moved.get(SpanKey::Json("environment[0].value")), Some(1));
        assert_eq!(moved.get(SpanKey::Json("environment[19].value")), Some(20));

        let mut exact: SpanMap<u32> = SpanMap {
            keys: String::with_capacity(5),
            entries: Vec::new(),
        };
        exact.insert(SpanKey::Json("image"), 7);
        let moved = exact.into_map(|s| *s);
        assert_eq!(moved.keys.capacity(), 5, "a text at its size is moved");
        assert_eq!(moved.get(SpanKey::Json("image")), Some(7));
    }
}
