//! What the front end makes of a declaration: the model it declares, the context the rules
//! need, and a span for every value, so each finding of the rule engine lands on the literal
//! that produced it.

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context};
use ecsdef_model::{ContainerDefinition, TaskDefinition};
use proc_macro2::Span;
use std::fmt::{self, Write as _};

/// The span of every value of a declaration, keyed by where the value went: a JSON path
/// relative to the container or task (`image`, `environment[1].value`), `@key` for a context
/// value (`@kms_key`, `@region`), `field:NAME` for a Rust field.
///
/// Generic over the span type so that a tool which parses on worker threads (`cargo ecsdef`)
/// can turn every span into plain data there and run the checks elsewhere: see
/// [`SpanMap::map`] and [`ContainerDecl::parts`].
///
/// The keys live one after another in one string, each entry holding where its key ends: a
/// container has a few dozen entries, and a `String` for each was most of what a parsed
/// declaration kept (`cargo ecsdef` keeps every one of a workspace's until its tasks are
/// checked).
#[derive(Clone)]
pub struct SpanMap<S = Span> {
    /// Every key, in the order recorded, one after another.
    keys: String,
    /// Each entry's key ends here in `keys` (it starts where the previous one ends), and its
    /// span.
    entries: Vec<(usize, S)>,
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
    /// Every key with its span, in the order recorded.
    fn iter(&self) -> impl Iterator<Item = (&str, &S)> {
        let mut start = 0;
        self.entries.iter().map(move |(end, span)| {
            let key = &self.keys[start..*end];
            start = *end;
            (key, span)
        })
    }
}

impl<S: Clone> SpanMap<S> {
    /// Records where the value at `key` was written. A key recorded twice keeps its first
    /// span: [`SpanMap::get`] finds the first record.
    pub fn insert(&mut self, key: impl AsRef<str>, span: S) {
        self.keys.push_str(key.as_ref());
        self.entries.push((self.keys.len(), span));
    }

    /// [`SpanMap::insert`] of a key to format, written straight into the map:
    /// `spans.insert_fmt(format_args!("secrets[{k}].name"), span)`.
    pub fn insert_fmt(&mut self, key: fmt::Arguments<'_>, span: S) {
        // Writing into a `String` cannot fail.
        let _ = self.keys.write_fmt(key);
        self.entries.push((self.keys.len(), span));
    }

    /// The span of `key`, or of its closest recorded ancestor (`healthCheck` for
    /// `healthCheck.interval` when only the group was recorded).
    pub fn get(&self, key: &str) -> Option<S> {
        let mut key = key;
        loop {
            if let Some((_, span)) = self.iter().find(|(k, _)| *k == key) {
                return Some(span.clone());
            }
            let cut = key.rfind(['.', '['])?;
            key = &key[..cut];
        }
    }

    /// The same map with every span converted by `convert`.
    pub fn map<T>(&self, convert: impl FnMut(&S) -> T) -> SpanMap<T> {
        SpanMap {
            keys: self.keys.clone(),
            entries: self.converted(convert),
        }
    }

    /// [`SpanMap::map`], taking the map: the keys are moved, not copied.
    pub fn into_map<T>(self, convert: impl FnMut(&S) -> T) -> SpanMap<T> {
        SpanMap {
            entries: self.converted(convert),
            keys: self.keys,
        }
    }

    /// The entries with every span converted.
    fn converted<T>(&self, mut convert: impl FnMut(&S) -> T) -> Vec<(usize, T)> {
        self.entries
            .iter()
            .map(|(end, span)| (*end, convert(span)))
            .collect()
    }
}

/// What the checks need of a container declaration, with spans of any type `S`: with a plain
/// data `S` (a file position), it can leave the thread that parsed the source.
#[derive(Debug, Clone)]
pub struct ContainerParts<S> {
    /// The container definition.
    pub definition: ContainerDefinition,
    /// What the rules need beyond the JSON.
    pub context: ContainerContext,
    /// Where each value was written.
    pub spans: SpanMap<S>,
    /// Where the struct's name is written: the fallback for findings without a value.
    pub ident: S,
}

/// What the checks need of a task field, with spans of any type `S`.
#[derive(Debug, Clone)]
pub struct TaskFieldParts<S> {
    /// What the field's attributes say.
    pub overrides: FieldOverrides,
    /// Where each of the field's values was written.
    pub spans: SpanMap<S>,
}

/// What the checks need of a task declaration, with spans of any type `S`.
#[derive(Debug, Clone)]
pub struct TaskParts<S> {
    /// The task-level members; `containerDefinitions` is empty.
    pub definition: TaskDefinition,
    /// The task-level context.
    pub context: Context,
    /// One per container, in field order.
    pub fields: Vec<TaskFieldParts<S>>,
    /// Where each task-level value was written.
    pub spans: SpanMap<S>,
    /// Where the struct's name is written.
    pub ident: S,
}

/// A `#[derive(Container)]` struct, understood.
#[derive(Debug, Clone)]
pub struct ContainerDecl {
    /// The struct's name.
    pub ident: syn::Ident,
    /// The container definition it declares (its `name` only if the struct sets one).
    pub definition: ContainerDefinition,
    /// What the rules need beyond the JSON: `kms_key`, `allow`, the fields.
    pub context: ContainerContext,
    /// Where each value was written.
    pub spans: SpanMap,
    /// `crate = "..."`: the path of the ecsdef crate for generated code, as tokens.
    pub krate: Option<proc_macro2::TokenStream>,
}

impl ContainerDecl {
    /// The parts the checks need, every span converted by `convert`.
    pub fn parts<T>(&self, convert: impl FnMut(Span) -> T) -> ContainerParts<T> {
        self.clone().into_parts(convert)
    }

    /// [`ContainerDecl::parts`], taking the declaration: what it holds is moved, not copied.
    pub fn into_parts<T>(self, mut convert: impl FnMut(Span) -> T) -> ContainerParts<T> {
        ContainerParts {
            ident: convert(self.ident.span()),
            spans: self.spans.into_map(|span| convert(*span)),
            definition: self.definition,
            context: self.context,
        }
    }
}

/// A field of a `#[derive(TaskDefinition)]` struct: one container.
#[derive(Debug, Clone)]
pub struct TaskField {
    /// The field.
    pub ident: syn::Ident,
    /// Its type, which implements `Container`, as tokens (syn's `Clone` impls are a feature
    /// users would pay for in build time; tokens are enough to emit and to re-parse).
    pub ty: proc_macro2::TokenStream,
    /// What the field's attributes say.
    pub overrides: FieldOverrides,
    /// Where each of the field's values was written (`name`, `essential`,
    /// `dependsOn[0].containerName`, ...), and `field` for the field itself.
    pub spans: SpanMap,
}

/// A `#[derive(TaskDefinition)]` struct, understood.
#[derive(Debug, Clone)]
pub struct TaskDecl {
    /// The struct's name.
    pub ident: syn::Ident,
    /// The task-level members; `containerDefinitions` is empty.
    pub definition: TaskDefinition,
    /// The task-level context: region, versions, `allow`.
    pub context: Context,
    /// One per container, in field order.
    pub fields: Vec<TaskField>,
    /// Where each task-level value was written.
    pub spans: SpanMap,
    /// `crate = "..."`, as tokens.
    pub krate: Option<proc_macro2::TokenStream>,
}

impl TaskDecl {
    /// The parts the checks need, every span converted by `convert`.
    pub fn parts<T>(&self, convert: impl FnMut(Span) -> T) -> TaskParts<T> {
        self.clone().into_parts(convert)
    }

    /// [`TaskDecl::parts`], taking the declaration: what it holds is moved, not copied.
    pub fn into_parts<T>(self, mut convert: impl FnMut(Span) -> T) -> TaskParts<T> {
        TaskParts {
            ident: convert(self.ident.span()),
            fields: self
                .fields
                .into_iter()
                .map(|field| TaskFieldParts {
                    overrides: field.overrides,
                    spans: field.spans.into_map(|span| convert(*span)),
                })
                .collect(),
            spans: self.spans.into_map(|span| convert(*span)),
            definition: self.definition,
            context: self.context,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SpanMap;

    /// The first record of a key wins, a key without a record falls back to its closest
    /// recorded ancestor, and converting the spans keeps every key.
    #[test]
    fn span_map_finds_the_first_record_and_the_closest_ancestor() {
        let mut spans = SpanMap::default();
        spans.insert("image", 1);
        spans.insert("healthCheck", 2);
        for k in 0..3 {
            spans.insert_fmt(format_args!("secrets[{k}].name"), 10 + k);
        }
        spans.insert("image", 3);
        spans.insert_fmt(format_args!("secrets[{}].name", 1), 99);
        spans.insert("", 0);

        assert_eq!(spans.get("image"), Some(1), "the first record wins");
        assert_eq!(spans.get("secrets[1].name"), Some(11));
        assert_eq!(spans.get("secrets[2].name"), Some(12));
        assert_eq!(spans.get("healthCheck.interval"), Some(2), "an ancestor");
        assert_eq!(spans.get("secrets[7].name"), None, "no ancestor recorded");
        assert_eq!(spans.get(""), Some(0));

        let mapped = spans.map(|s| s * 2);
        assert_eq!(mapped.get("secrets[0].name"), Some(20));
        let moved = spans.into_map(|s| s + 1);
        assert_eq!(moved.get("image"), Some(2));
        assert_eq!(moved.get("healthCheck"), Some(3));

        let empty: SpanMap<u32> = SpanMap::default();
        assert_eq!(empty.get("image"), None);
    }
}
