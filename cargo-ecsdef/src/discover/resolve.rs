//! A task field's type path resolved to the `Container` declaration it names, as rustc resolves
//! paths in the type namespace (Rust 2018 and later): `crate`, `self`, `super`, the module's
//! items, its `use` items (renames, globs, `pub use` re-exports, in any crate), then the extern
//! prelude from the package's dependencies.
//!
//! Visibility is checked only where it changes the answer: a glob imports the private items and
//! imports of a module only into that module's descendants. Anything else that compiles names
//! what it may name.

use std::collections::BTreeSet;

use super::modules::{ItemKind, TypePath};
use super::tree::{FieldState, Tree};
use super::{DeclarationKind, DiagnosticKind, Location};

/// How many type aliases in a row a field's type is followed through (rustc rejects a cycle;
/// this only keeps one from running forever).
const MAX_ALIASES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    Module(usize),
    Item { module: usize, item: usize },
}

enum Failure {
    /// The path leads into a dependency whose library is not walked yet.
    Pending(usize),
    /// Why the path names nothing.
    Missing(String),
}

impl<T: Clone> Tree<'_, T> {
    /// Tries every unresolved task field; returns the packages whose libraries must be walked
    /// before the remaining ones can be decided.
    pub(crate) fn resolve_round(&mut self) -> BTreeSet<usize> {
        let mut needed = BTreeSet::new();
        for occurrence in 0..self.occurrences.len() {
            let summary = std::sync::Arc::clone(&self.occurrences[occurrence].summary);
            let declaration = &summary.declarations[self.occurrences[occurrence].index];
            let module = self.occurrences[occurrence].module;
            for (field_index, field) in declaration.fields.iter().enumerate() {
                if self.occurrences[occurrence].fields[field_index] != FieldState::Unresolved {
                    continue;
                }
                // Made only for a diagnostic: thousands of fields resolve.
                let at = |tree: &Self| Location {
                    file: tree.modules[module].file.as_path().into(),
                    line: field.line,
                    column: field.column,
                };
                let path = match &field.ty {
                    Ok(path) => path,
                    Err((printed, why)) => {
                        self.error(
                            at(self),
                            DiagnosticKind::UnsupportedFieldType,
                            format!(
                                "field `{}` of task `{}` has type `{printed}`: {why}",
                                field.name, declaration.name
                            ),
                        );
                        self.occurrences[occurrence].fields[field_index] = FieldState::Failed;
                        continue;
                    }
                };
                let outcome = self
                    .resolve_path(module, path, &mut Vec::new())
                    .and_then(|binding| self.container(binding, module, 0));
                let state = match outcome {
                    Ok(container) => FieldState::Resolved(container),
                    Err(Failure::Pending(package)) => {
                        needed.insert(package);
                        FieldState::Unresolved
                    }
                    Err(Failure::Missing(why)) => {
                        self.error(
                            at(self),
                            DiagnosticKind::UnresolvedContainer,
                            format!(
                                "cannot resolve `{path}`, the type of field `{}` of task `{}`, to a `#[derive(Container)]` struct: {why}",
                                field.name, declaration.name
                            ),
                        );
                        FieldState::Failed
                    }
                };
                self.occurrences[occurrence].fields[field_index] = state;
            }
        }
        needed
    }

    /// The `Container` occurrence `binding` names, through up to [`MAX_ALIASES`] type aliases
    /// (`aliases` followed so far).
    fn container(&self, binding: Binding, from: usize, aliases: usize) -> Result<usize, Failure> {
        let (module, item) = match binding {
            Binding::Item { module, item } => (module, item),
            Binding::Module(module) => {
                return Err(Failure::Missing(format!(
                    "`{}` is a module",
                    self.describe(module, from)
                )));
            }
        };
        let Some((summary, index)) = &self.modules[module].content else {
            return Err(Failure::Missing("its module was not parsed".to_owned()));
        };
        let item = &summary.modules[*index].items[item];
        // Spelled out only for a failure: a workspace resolves thousands of fields, on the
        // thread the workers wait for.
        let named = || format!("`{}::{}`", self.describe(module, from), item.name);
        match &item.kind {
            ItemKind::Declarations(declarations) => declarations
                .iter()
                .find(|&&d| summary.declarations[d].kind == DeclarationKind::Container)
                .and_then(|&d| self.occurrence_of.get(&(module, d)).copied())
                .ok_or_else(|| {
                    Failure::Missing(format!(
                        "{} derives `TaskDefinition`, not `Container`",
                        named()
                    ))
                }),
            ItemKind::Struct => Err(Failure::Missing(format!(
                "{} is a struct that does not derive `Container`",
                named()
            ))),
            ItemKind::Other(keyword) => Err(Failure::Missing(format!(
                "{} is a {keyword}, not a struct that derives `Container`",
                named()
            ))),
            ItemKind::Alias(Ok(target)) if aliases < MAX_ALIASES => {
                // The alias's path means what it means where the alias is written.
                let binding = self.resolve_path(module, target, &mut Vec::new())?;
                self.container(binding, from, aliases + 1)
            }
            ItemKind::Alias(Ok(_)) => Err(Failure::Missing(format!(
                "{} is a type alias that leads to more than {MAX_ALIASES} aliases in a row",
                named()
            ))),
            ItemKind::Alias(Err((printed, why))) => Err(Failure::Missing(format!(
                "{} is an alias of `{printed}`: {why}",
                named()
            ))),
        }
    }

    /// A module as the user at `from` would write it: `crate::web` in the same crate,
    /// `acme_sidecars::fluent` in another.
    fn describe(&self, module: usize, from: usize) -> String {
        let module = &self.modules[module];
        if module.krate == self.modules[from].krate {
            return module.path.clone();
        }
        let name = &self.crates[module.krate].target.name;
        match module.path.strip_prefix("crate") {
            Some(rest) => format!("{name}{rest}"),
            None => module.path.clone(),
        }
    }

    /// What `path` names, written in module `from`; `visiting` holds the lookups under way
    /// (see `lookup`).
    fn resolve_path<'p>(
        &'p self,
        from: usize,
        path: &'p TypePath,
        visiting: &mut Vec<(usize, &'p str)>,
    ) -> Result<Binding, Failure> {
        let segments = &path.segments;
        let Some(first) = segments.first() else {
            return Err(Failure::Missing("empty path".to_owned()));
        };
        let root = self.crates[self.modules[from].krate].root;
        let mut current = if path.leading_colon {
            self.extern_crate(from, first)?.ok_or_else(|| {
                Failure::Missing(format!("`{first}` is not a dependency of this package"))
            })?
        } else {
            match first.as_str() {
                "crate" => Binding::Module(root),
                "self" => Binding::Module(from),
                "super" => Binding::Module(self.parent(from)?),
                _ => self
                    .lookup(from, first, from, true, visiting)?
                    .ok_or_else(|| {
                        Failure::Missing(format!(
                            "`{first}` is not an item, import or dependency in scope in `{}`",
                            self.modules[from].path
                        ))
                    })?,
            }
        };
        for segment in &segments[1..] {
            let Binding::Module(module) = current else {
                return Err(Failure::Missing(format!(
                    "`{}` is not a module, so it has no `{segment}`",
                    prefix_before(segments, segment)
                )));
            };
            current = if segment == "super" {
                Binding::Module(self.parent(module)?)
            } else {
                self.lookup(module, segment, from, false, visiting)?
                    .ok_or_else(|| {
                        Failure::Missing(format!(
                            "no `{segment}` in `{}`",
                            self.describe(module, from)
                        ))
                    })?
            };
        }
        Ok(current)
    }

    fn parent(&self, module: usize) -> Result<usize, Failure> {
        self.modules[module]
            .parent
            .ok_or_else(|| Failure::Missing("`super` at the crate root".to_owned()))
    }

    /// `name` in `module`'s type namespace, as seen from `viewer`: its items and child modules,
    /// its single imports, its glob imports, then (for a path's first segment) the extern
    /// prelude.
    fn lookup<'p>(
        &'p self,
        module: usize,
        name: &'p str,
        viewer: usize,
        first_segment: bool,
        visiting: &mut Vec<(usize, &'p str)>,
    ) -> Result<Option<Binding>, Failure> {
        // Glob cycles (`a` and `b` importing each other's `*`) end here. The lookups under way
        // are a stack a few deep: a list searched is cheaper than a set hashed.
        if visiting.iter().any(|&(m, n)| m == module && n == name) {
            return Ok(None);
        }
        visiting.push((module, name));
        let found = self.lookup_uncached(module, name, viewer, first_segment, visiting);
        visiting.pop();
        found
    }

    fn lookup_uncached<'p>(
        &'p self,
        module: usize,
        name: &'p str,
        viewer: usize,
        first_segment: bool,
        visiting: &mut Vec<(usize, &'p str)>,
    ) -> Result<Option<Binding>, Failure> {
        let sees_private = self.is_within(viewer, module);
        if let Some(&(child, public)) = self.modules[module].children.get(name)
            && (public || sees_private)
        {
            return Ok(Some(Binding::Module(child)));
        }
        if let Some((summary, index)) = &self.modules[module].content {
            let items = &summary.modules[*index];
            if let Some(item) = items
                .items
                .iter()
                .position(|item| item.name == name && (item.public || sees_private))
            {
                return Ok(Some(Binding::Item { module, item }));
            }
            for import in &items.imports {
                if import.name.as_deref() != Some(name) || !(import.public || sees_private) {
                    continue;
                }
                match self.resolve_path(module, &import.path, visiting) {
                    Ok(binding) => return Ok(Some(binding)),
                    Err(Failure::Pending(package)) => return Err(Failure::Pending(package)),
                    // An import of a function or macro of the same name: not a type.
                    Err(Failure::Missing(_)) => {}
                }
            }
            for import in &items.imports {
                if import.name.is_some() || !(import.public || sees_private) {
                    continue;
                }
                let source = match self.resolve_path(module, &import.path, visiting) {
                    Ok(Binding::Module(source)) => source,
                    Ok(Binding::Item { .. }) | Err(Failure::Missing(_)) => continue,
                    Err(pending @ Failure::Pending(_)) => return Err(pending),
                };
                // What a glob brings into `module` is what `module` may see of `source`.
                if let Some(binding) = self.lookup(source, name, module, false, visiting)? {
                    return Ok(Some(binding));
                }
            }
        }
        if first_segment {
            return self.extern_crate(module, name);
        }
        Ok(None)
    }

    /// A dependency's library root by its crate name; pending until that library is walked.
    fn extern_crate(&self, module: usize, name: &str) -> Result<Option<Binding>, Failure> {
        let krate = &self.crates[self.modules[module].krate];
        let Some(&package) = krate.externs.get(name) else {
            return Ok(None);
        };
        match self.lib_crates.get(&package) {
            Some(&lib) => Ok(Some(Binding::Module(self.crates[lib].root))),
            None if self.workspace.packages[package].lib.is_some() => {
                Err(Failure::Pending(package))
            }
            None => Ok(None),
        }
    }

    /// Whether `inner` is `outer` or one of its descendants.
    fn is_within(&self, inner: usize, outer: usize) -> bool {
        let mut current = Some(inner);
        while let Some(module) = current {
            if module == outer {
                return true;
            }
            current = self.modules[module].parent;
        }
        false
    }
}

fn prefix_before(segments: &[String], segment: &String) -> String {
    let end = segments
        .iter()
        .position(|s| std::ptr::eq(s, segment))
        .unwrap_or(segments.len());
    segments[..end].join("::")
}
