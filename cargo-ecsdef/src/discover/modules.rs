//! One file, read and parsed on a worker thread and summarised as plain data: its modules'
//! `mod`, `use` and type items and its declarations, every span turned into a line and column
//! before the syntax tree is dropped.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use ecsdef_syntax::input::Body;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{DeriveInput, Fields, Token, Type, UseTree};

use super::cfg::{CfgContext, Expanded, Undecided, is_cfg};
use super::input::{self, FileInput};
use super::items::{self, ModItem, ModItemKind, StructItem, TextOrigin, is_public};
use super::skim;
use super::source;
use super::{DeclarationKind, Diagnostic, DiagnosticKind, Location, Severity};

/// What the analyzer is handed for each declaration, on the thread that parsed it.
///
/// It says nothing of the package: a declaration may be analysed while `cargo metadata` still
/// runs, before discovery knows which package the file belongs to (see
/// [`discover_with`](super::discover_with)).
#[derive(Debug)]
pub struct DeclarationInput<'a> {
    /// The file the struct is written in.
    pub file: &'a Path,
    /// Which derive this analysis is for (a struct deriving both is analysed once for each).
    pub kind: DeclarationKind,
    /// The struct as its derive would receive it: `#[cfg_attr]` expanded into plain
    /// attributes, `#[cfg]` evaluated and removed, fields whose `#[cfg]` is false removed;
    /// of its attributes, the `#[ecs(...)]` ones, which are all the front end reads.
    pub input: &'a FileInput,
}

/// A type or `use` path as written: `crate::web::Web`, `::acme::Sidecar`, `Web`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TypePath {
    /// Whether the path starts with `::`.
    pub leading_colon: bool,
    /// The segments, without generic arguments.
    pub segments: Vec<String>,
}

impl fmt::Display for TypePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.leading_colon {
            f.write_str("::")?;
        }
        f.write_str(&self.segments.join("::"))
    }
}

/// How a dependency's derives are to be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExternKind {
    /// `ecsdef` or `ecsdef-macros`, under whatever name.
    Ecsdef,
    /// Another proc-macro crate: its derives are not ecsdef's (it cannot re-export them).
    ProcMacro,
    /// Any other crate: it may re-export ecsdef's derives.
    Other,
    /// A dependency from outside the workspace known by name only (members-only metadata):
    /// which of the above it is, only the whole dependency graph says.
    NameOnly,
}

/// What a worker needs to know about the package a file belongs to.
#[derive(Debug)]
pub(crate) struct PackageContext {
    pub cfg: CfgContext,
    pub externs: HashMap<String, ExternKind>,
    /// Whether some extern is [`ExternKind::NameOnly`]. Its crate name is then a guess (the
    /// package's name: a library may be called otherwise), so a derive path that starts with
    /// a name that is no known extern may start with it.
    pub name_only_externs: bool,
}

#[derive(Debug)]
pub(crate) struct FileSummary<T> {
    /// `modules[0]` is the file's own module; inline modules follow.
    pub modules: Vec<ModuleItems>,
    pub declarations: Vec<FoundDeclaration<T>>,
    pub diagnostics: Vec<Diagnostic>,
    /// A derive path that ends in `Container` or `TaskDefinition` may lead into a dependency
    /// known by name only ([`ExternKind::NameOnly`]): only the whole graph can tell whether
    /// the struct is a declaration.
    pub reaches_outside: bool,
}

#[derive(Debug, Default)]
pub(crate) struct ModuleItems {
    pub children: Vec<ChildModule>,
    pub imports: Vec<Import>,
    pub items: Vec<NamedItem>,
}

#[derive(Debug)]
pub(crate) struct ChildModule {
    pub name: String,
    pub public: bool,
    pub path_attr: Option<String>,
    /// The inline module's index in `FileSummary::modules`; `None` for `mod name;`.
    pub inline: Option<usize>,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub public: bool,
    pub path: TypePath,
    /// The name it binds (`None` for a glob).
    pub name: Option<String>,
}

#[derive(Debug)]
pub(crate) struct NamedItem {
    pub name: String,
    pub public: bool,
    pub kind: ItemKind,
}

#[derive(Debug)]
pub(crate) enum ItemKind {
    /// Indexes into `FileSummary::declarations` (one per derive).
    Declarations(Vec<usize>),
    /// A struct that derives neither.
    Struct,
    /// Another type-namespace item (`enum`, `trait`, `union`, a generic `type`), by its
    /// keyword.
    Other(&'static str),
    /// `type Name = path;`: the path it aliases, or the type as printed with why it cannot
    /// name a container.
    Alias(Result<TypePath, (String, &'static str)>),
}

#[derive(Debug, Clone)]
pub(crate) struct FoundDeclaration<T> {
    pub module: usize,
    pub name: String,
    pub kind: DeclarationKind,
    pub line: usize,
    pub column: usize,
    pub fields: Vec<FieldType>,
    pub analysis: T,
}

#[derive(Debug, Clone)]
pub(crate) struct FieldType {
    pub name: String,
    /// The path, or the type as printed with why it is not a container path.
    pub ty: Result<TypePath, (String, &'static str)>,
    pub line: usize,
    pub column: usize,
}

/// A file read ahead: its items, and the analyses of the declarations in it that did not
/// need to wait for the package (see [`read_ahead`]).
pub(crate) struct ReadAhead<T> {
    items: Vec<ModItem>,
    analyses: Vec<Analysed<T>>,
    /// Where the name of each struct analysed ahead is: its syntax was cut to what the
    /// summary reads besides the analyses (see [`read_ahead`]).
    cut: Vec<(usize, usize)>,
}

/// An analysis made ahead, by the line and column of the struct's name and the derive.
type Analysed<T> = ((usize, usize), DeclarationKind, T);

/// Reads a file ahead of `cargo metadata`'s answer and skims it into items (see `skim`),
/// with the file's size in bytes: `None` when it cannot be read (size 0) or needs a full
/// parse, which [`summarize`] then does itself.
///
/// Every struct that derives something named `Container` or `TaskDefinition` and has no `cfg`
/// or `cfg_attr` attribute, on itself or a field, is analysed here: the package's features
/// cannot change what its derive receives, so its analysis is the one [`summarize`] would
/// make. [`summarize`] takes it when the struct turns out to be a declaration of that kind,
/// and analyses everything else itself. This is what the reader does while `cargo metadata`
/// runs, rather than wait for it once it holds as much source as it may.
///
/// The reader holds what it read until its files are summarised, so each struct analysed
/// here keeps only what [`summarize`] reads of it besides the analyses: its name, visibility,
/// `derive` attributes, and its fields' names and types. Its other attributes, the fields'
/// included (the `#[ecs(...)]` tokens, most of a declaration's syntax), are dropped. When the
/// module's imports then make it a declaration of a kind not analysed ahead (`#[derive(C)]`
/// after `use ecsdef::Container as C`), [`summarize`] reads the file again.
pub(crate) fn read_ahead<T, F>(file: &Path, analyze: &F) -> (Option<ReadAhead<T>>, usize)
where
    F: Fn(&DeclarationInput<'_>) -> T,
{
    let Ok(text) = source::read_source(file) else {
        return (None, 0);
    };
    let Some(mut items) = skim::scan_file(&text) else {
        return (None, text.len());
    };
    let mut analyses = Vec::new();
    let mut cut = Vec::new();
    analyze_ahead(file, &mut items, analyze, &mut analyses, &mut cut);
    (
        Some(ReadAhead {
            items,
            analyses,
            cut,
        }),
        text.len(),
    )
}

fn analyze_ahead<T, F>(
    file: &Path,
    items: &mut [ModItem],
    analyze: &F,
    analyses: &mut Vec<Analysed<T>>,
    cut: &mut Vec<(usize, usize)>,
) where
    F: Fn(&DeclarationInput<'_>) -> T,
{
    for item in items {
        match &mut item.kind {
            ModItemKind::Mod {
                content: Some(content),
                ..
            } => analyze_ahead(file, content, analyze, analyses, cut),
            ModItemKind::Struct(StructItem::Syn(input)) => {
                let configured = item.attrs.iter().any(is_cfg)
                    || items::struct_fields(input).is_some_and(any_field_configured);
                let kinds = likely_kinds(&item.attrs);
                if configured || kinds.is_empty() {
                    continue;
                }
                let place = item.origin.locate(input.ident.span().start());
                // Lent to the input for the analysis, as `Summarizer::structure` would.
                input.attrs = std::mem::take(&mut item.attrs);
                let read = input::from_syn(input, item.origin);
                for kind in kinds {
                    let result = analyze(&DeclarationInput {
                        file,
                        kind,
                        input: &read,
                    });
                    analyses.push((place, kind, result));
                }
                item.attrs = std::mem::take(&mut input.attrs);
                // What the summary no longer reads (see `read_ahead`).
                item.attrs.retain(|attr| attr.path().is_ident("derive"));
                if let syn::Data::Struct(data) = &mut input.data {
                    for field in &mut data.fields {
                        field.attrs = Vec::new();
                    }
                }
                cut.push(place);
            }
            ModItemKind::Struct(StructItem::Skimmed(skimmed)) => {
                // The skim reads no struct with a `cfg` on a field.
                let kinds = likely_kinds(&item.attrs);
                if item.attrs.iter().any(is_cfg) || kinds.is_empty() {
                    continue;
                }
                let place = (skimmed.line, skimmed.column);
                for kind in kinds {
                    let result = analyze(&DeclarationInput {
                        file,
                        kind,
                        input: &skimmed.input,
                    });
                    analyses.push((place, kind, result));
                }
                // What the summary no longer reads (see `read_ahead`).
                item.attrs.retain(|attr| attr.path().is_ident("derive"));
                skimmed.input.attrs = Vec::new();
                if let Body::Named(fields) = &mut skimmed.input.body {
                    for field in fields {
                        field.attrs = Vec::new();
                    }
                }
                cut.push(place);
            }
            _ => {}
        }
    }
}

fn any_field_configured(fields: &Fields) -> bool {
    fields.iter().any(|field| field.attrs.iter().any(is_cfg))
}

/// The derives a struct's `derive` attributes probably mean, by their last segment: what the
/// module's imports make of them is known only later (`Summarizer::derive_kinds`), and a guess
/// that is wrong costs an analysis nobody takes.
fn likely_kinds(attrs: &[syn::Attribute]) -> Vec<DeclarationKind> {
    kinds_of_derives(attrs, |path| match path.segments.last() {
        Some(last) if last.ident == "Container" => Some(DeclarationKind::Container),
        Some(last) if last.ident == "TaskDefinition" => Some(DeclarationKind::TaskDefinition),
        _ => None,
    })
}

/// The kinds `kind_of` gives the paths of the `derive` attributes, each once, in order.
fn kinds_of_derives(
    attrs: &[syn::Attribute],
    mut kind_of: impl FnMut(&syn::Path) -> Option<DeclarationKind>,
) -> Vec<DeclarationKind> {
    let mut kinds = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let Some(paths) = derive_paths(attr) else {
            continue;
        };
        for path in &paths {
            if let Some(kind) = kind_of(path)
                && !kinds.contains(&kind)
            {
                kinds.push(kind);
            }
        }
    }
    kinds
}

/// The paths a `derive` attribute lists, as syn parses them (`Punctuated<Path, Token![,]>`
/// of its arguments); `None` where syn finds a mistake.
///
/// Nearly every derive list is plain paths (`Container, Debug`, `ecsdef::Container`): those
/// are read from the tokens directly ([`plain_derive_paths`]), which costs a tenth of syn's
/// parser; anything else goes to syn.
fn derive_paths(attr: &syn::Attribute) -> Option<Vec<syn::Path>> {
    if let syn::Meta::List(list) = &attr.meta
        && let Some(paths) = plain_derive_paths(&list.tokens)
    {
        return Some(paths);
    }
    let paths = attr
        .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        .ok()?;
    Some(paths.into_iter().collect())
}

/// `tokens` read as plain paths separated by commas (a trailing one allowed): each an optional
/// leading `::`, then identifiers joined by `::`, with no generic arguments, raw identifier or
/// keyword. The paths are those syn parses from the same tokens; `None` for anything else,
/// which syn then reads (or rejects) itself.
fn plain_derive_paths(tokens: &proc_macro2::TokenStream) -> Option<Vec<syn::Path>> {
    use proc_macro2::TokenTree;
    let mut tokens = tokens.clone().into_iter();
    let mut paths = Vec::new();
    // Each pass reads one path and the comma after it.
    while let Some(mut token) = tokens.next() {
        let mut path = syn::Path {
            leading_colon: None,
            segments: Punctuated::new(),
        };
        if let TokenTree::Punct(punct) = &token {
            path.leading_colon = Some(path_sep(punct, &mut tokens)?);
            token = tokens.next()?;
        }
        loop {
            let TokenTree::Ident(ident) = token else {
                return None;
            };
            if !is_plain_ident(&ident) {
                return None;
            }
            path.segments.push_value(syn::PathSegment::from(ident));
            match tokens.next() {
                None => {
                    paths.push(path);
                    return Some(paths);
                }
                Some(TokenTree::Punct(punct)) if punct.as_char() == ',' => {
                    paths.push(path);
                    break;
                }
                Some(TokenTree::Punct(punct)) => {
                    path.segments.push_punct(path_sep(&punct, &mut tokens)?);
                    token = tokens.next()?;
                }
                Some(_) => return None,
            }
        }
    }
    Some(paths)
}

/// The `::` that starts at `first` (a joint `:`, then a `:`), with its spans.
fn path_sep(
    first: &proc_macro2::Punct,
    tokens: &mut proc_macro2::token_stream::IntoIter,
) -> Option<Token![::]> {
    if first.as_char() != ':' || first.spacing() != proc_macro2::Spacing::Joint {
        return None;
    }
    match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(second)) if second.as_char() == ':' => {
            Some(Token![::]([first.span(), second.span()]))
        }
        _ => None,
    }
}

/// An identifier syn reads as a path segment of its own kind: not raw, not `_`, and none of
/// the keywords syn rejects or reads specially there (`self`, `super`, `crate`, `Self`), nor
/// any other word Rust reserves (the skimmer's keywords and the contextual ones).
fn is_plain_ident(ident: &proc_macro2::Ident) -> bool {
    let text = ident.to_string();
    !text.starts_with("r#")
        && !super::skim::is_keyword(&text)
        && !matches!(
            text.as_str(),
            "auto" | "default" | "gen" | "macro_rules" | "raw" | "safe" | "union"
        )
}

/// Reads, parses and summarises one file, or summarises the items read ahead from it. Never
/// panics on user input: an unreadable or unparsable file becomes a summary with one
/// diagnostic. The caller frees the thread's source map when no syntax tree of it is left.
pub(crate) fn summarize<T, F>(
    cx: &PackageContext,
    file: &Path,
    read_ahead: Option<ReadAhead<T>>,
    analyze: &F,
) -> FileSummary<T>
where
    F: Fn(&DeclarationInput<'_>) -> T,
{
    let (items, ahead, cut) = match read_ahead {
        Some(ReadAhead {
            items,
            analyses,
            cut,
        }) => (Some(items), analyses, cut),
        None => (None, Vec::new(), Vec::new()),
    };
    let mut summarizer = Summarizer {
        cx,
        file,
        analyze,
        ahead,
        cut,
        reread: false,
        summary: FileSummary {
            modules: vec![ModuleItems::default()],
            declarations: Vec::new(),
            diagnostics: Vec::new(),
            reaches_outside: false,
        },
    };
    if let Some(items) = items {
        summarizer.module(items, 0);
        if summarizer.reread {
            // A struct read ahead needs an analysis that was not made then, and its syntax
            // was cut (see `read_ahead`).
            return summarize(cx, file, None, analyze);
        }
        return summarizer.summary;
    }
    match source::read_source(file) {
        Err(error) => summarizer.diagnostic(
            Severity::Error,
            DiagnosticKind::ReadFailed,
            (1, 1),
            format!("cannot read `{}`: {error}", file.display()),
        ),
        Ok(source) => match skim::scan_file(&source) {
            Some(items) => summarizer.module(items, 0),
            // What the skim does not read, syn parses in full (see `skim`), unless it nests
            // deeper than a worker's stack follows syn.
            None => match skim::too_deep(&source) {
                Some(at) => summarizer.diagnostic(
                    Severity::Error,
                    DiagnosticKind::ParseFailed,
                    at,
                    format!(
                        "cannot parse `{}`: the code nests deeper than {} levels here \
                         (parentheses, brackets, braces, generic arguments, and chains such as \
                         `&&&x` or `a = b = c` count), more than ecsdef follows; split the \
                         expression, type or item into smaller named parts",
                        file.display(),
                        skim::MAX_NESTING
                    ),
                ),
                None => match syn::parse_file(&source) {
                    Err(error) => summarizer.diagnostic(
                        Severity::Error,
                        DiagnosticKind::ParseFailed,
                        TextOrigin::FILE.locate(error.span().start()),
                        format!(
                            "cannot parse `{}`: {}",
                            file.display(),
                            parse_error_text(&error)
                        ),
                    ),
                    Ok(parsed) => summarizer.module(items::from_syn(parsed.items), 0),
                },
            },
        },
    }
    summarizer.summary
}

/// syn's message, except for the tokenizer's, which says only that the text is not tokens.
fn parse_error_text(error: &syn::Error) -> String {
    let text = error.to_string();
    if text == "cannot parse string into token stream" {
        "a delimiter that does not match, or a literal or comment that is not closed".to_owned()
    } else {
        text
    }
}

struct Summarizer<'a, T, F> {
    cx: &'a PackageContext,
    file: &'a Path,
    analyze: &'a F,
    /// What was analysed while reading ahead (see [`read_ahead`]).
    ahead: Vec<Analysed<T>>,
    /// Where the structs whose syntax was cut after reading ahead are (see [`read_ahead`]).
    cut: Vec<(usize, usize)>,
    /// Whether one of them needs an analysis that was not made ahead: the file is then read
    /// again.
    reread: bool,
    summary: FileSummary<T>,
}

impl<T, F> Summarizer<'_, T, F>
where
    F: Fn(&DeclarationInput<'_>) -> T,
{
    fn diagnostic(
        &mut self,
        severity: Severity,
        kind: DiagnosticKind,
        (line, column): (usize, usize),
        message: String,
    ) {
        self.summary.diagnostics.push(Diagnostic {
            location: Some(Location {
                file: self.file.into(),
                line,
                column,
            }),
            severity,
            kind,
            message,
        });
    }

    /// A warning for each predicate of `undecided`, naming what it guards (`what` is spelled out
    /// only then: most items have none).
    fn warn_undecided(&mut self, undecided: &[Undecided], what: impl FnOnce() -> String) {
        if undecided.is_empty() {
            return;
        }
        let what = what();
        for u in undecided {
            self.diagnostic(
                Severity::Warning,
                DiagnosticKind::UndecidableCfg,
                (u.line, u.column),
                format!(
                    "cannot decide cfg predicate `{}` without compiling ({}); {what} is kept as if it held",
                    u.predicate, u.reason
                ),
            );
        }
    }

    /// Summarises one module's items into `modules[index]`.
    fn module(&mut self, items: Vec<ModItem>, index: usize) {
        // `use` items first: a derive's meaning depends on the imports of its module, wherever
        // in the module they are written.
        let mut rest = Vec::new();
        for item in items {
            let expanded = self.cx.cfg.expand(item.attrs, item.origin);
            if expanded.enabled == Some(false) {
                continue;
            }
            match item.kind {
                ModItemKind::Use(item) => {
                    let public = is_public(&item.vis);
                    let mut imports = Vec::new();
                    flatten_use(
                        &item.tree,
                        item.leading_colon.is_some(),
                        &mut Vec::new(),
                        &mut imports,
                    );
                    self.summary.modules[index].imports.extend(
                        imports
                            .into_iter()
                            .map(|(path, name)| Import { public, path, name }),
                    );
                }
                ModItemKind::ExternCrate(item) => {
                    let crate_name = item.ident.to_string();
                    let name = item
                        .rename
                        .as_ref()
                        .map_or_else(|| crate_name.clone(), |(_, rename)| rename.to_string());
                    let path = if crate_name == "self" {
                        TypePath {
                            leading_colon: false,
                            segments: vec!["crate".to_owned()],
                        }
                    } else {
                        TypePath {
                            leading_colon: true,
                            segments: vec![crate_name],
                        }
                    };
                    self.summary.modules[index].imports.push(Import {
                        public: is_public(&item.vis),
                        path,
                        name: Some(name),
                    });
                }
                other => rest.push((other, expanded, item.origin)),
            }
        }
        for (item, expanded, origin) in rest {
            match item {
                ModItemKind::Mod {
                    public,
                    name,
                    line,
                    column,
                    content,
                } => self.child_module(
                    ChildModule {
                        name: unraw_str(name),
                        public,
                        path_attr: None,
                        inline: None,
                        line,
                        column,
                    },
                    content,
                    &expanded,
                    index,
                ),
                ModItemKind::Struct(item) => self.structure(item, expanded, origin, index),
                ModItemKind::TypeAlias(item) => {
                    let kind = if item.generics.params.is_empty() {
                        ItemKind::Alias(type_path(&item.ty))
                    } else {
                        ItemKind::Other("generic type alias")
                    };
                    self.summary.modules[index].items.push(NamedItem {
                        name: unraw(&item.ident),
                        public: is_public(&item.vis),
                        kind,
                    });
                }
                ModItemKind::Other {
                    public,
                    name,
                    keyword,
                } => self.summary.modules[index].items.push(NamedItem {
                    name: unraw_str(name),
                    public,
                    kind: if keyword == "struct" {
                        // A struct that derives nothing.
                        ItemKind::Struct
                    } else {
                        ItemKind::Other(keyword)
                    },
                }),
                ModItemKind::Use(_) | ModItemKind::ExternCrate(_) => {}
            }
        }
    }

    /// Records a `mod` item (its `path_attr` and `inline` are filled in here).
    fn child_module(
        &mut self,
        mut child: ChildModule,
        content: Option<Vec<ModItem>>,
        expanded: &Expanded,
        index: usize,
    ) {
        self.warn_undecided(&expanded.undecided, || format!("`mod {}`", child.name));
        child.path_attr = expanded.attrs.iter().find_map(|attr| {
            if !attr.path().is_ident("path") {
                return None;
            }
            let syn::Meta::NameValue(nv) = &attr.meta else {
                return None;
            };
            match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            }
        });
        child.inline = content.map(|items| {
            let child = self.summary.modules.len();
            self.summary.modules.push(ModuleItems::default());
            self.module(items, child);
            child
        });
        self.summary.modules[index].children.push(child);
    }

    fn structure(
        &mut self,
        item: StructItem,
        expanded: Expanded,
        origin: TextOrigin,
        index: usize,
    ) {
        let kinds = self.derive_kinds(&expanded.attrs, index);
        let (name, public) = match &item {
            StructItem::Syn(input) => (unraw(&input.ident), is_public(&input.vis)),
            StructItem::Skimmed(skimmed) => (unraw_str(skimmed.input.name.clone()), skimmed.public),
        };
        if kinds.is_empty() {
            self.summary.modules[index].items.push(NamedItem {
                name,
                public,
                kind: ItemKind::Struct,
            });
            return;
        }
        self.warn_undecided(&expanded.undecided, || format!("`struct {name}`"));
        let (line, column, mut read) = match item {
            StructItem::Syn(mut input) => {
                let place = origin.locate(input.ident.span().start());
                input.attrs = expanded.attrs;
                if let syn::Data::Struct(data) = &mut input.data {
                    let fields = std::mem::replace(&mut data.fields, Fields::Unit);
                    data.fields = self.configure_fields(fields, &name, origin);
                }
                (place.0, place.1, Read::Syn(input, origin, None))
            }
            StructItem::Skimmed(skimmed) => (
                skimmed.line,
                skimmed.column,
                Read::Skimmed(skimmed.input, skimmed.types),
            ),
        };
        let mut indexes = Vec::new();
        for kind in kinds {
            let fields = if kind == DeclarationKind::TaskDefinition {
                read.types()
            } else {
                Vec::new()
            };
            let ahead = self
                .ahead
                .iter()
                .position(|(place, k, _)| *place == (line, column) && *k == kind);
            let analysis = match ahead {
                Some(at) => self.ahead.swap_remove(at).2,
                None if self.cut.contains(&(line, column)) => {
                    self.reread = true;
                    return;
                }
                None => (self.analyze)(&DeclarationInput {
                    file: self.file,
                    kind,
                    input: read.input(),
                }),
            };
            indexes.push(self.summary.declarations.len());
            self.summary.declarations.push(FoundDeclaration {
                module: index,
                name: name.clone(),
                kind,
                line,
                column,
                fields,
                analysis,
            });
        }
        self.summary.modules[index].items.push(NamedItem {
            name,
            public,
            kind: ItemKind::Declarations(indexes),
        });
    }

    /// Expands the fields' `cfg_attr`s and drops the fields whose `cfg` is false, as the
    /// compiler does before a derive sees the struct.
    /// Fields without a `cfg` or `cfg_attr` come back as they are (a trailing comma too).
    fn configure_fields(
        &mut self,
        fields: Fields,
        struct_name: &str,
        origin: TextOrigin,
    ) -> Fields {
        if !any_field_configured(&fields) {
            return fields;
        }
        let mut keep = |mut field: syn::Field, position: usize| -> Option<syn::Field> {
            let expanded = self.cx.cfg.expand(std::mem::take(&mut field.attrs), origin);
            if expanded.enabled == Some(false) {
                return None;
            }
            self.warn_undecided(&expanded.undecided, || {
                let field_name = field
                    .ident
                    .as_ref()
                    .map_or_else(|| position.to_string(), unraw);
                format!("field `{field_name}` of `{struct_name}`")
            });
            field.attrs = expanded.attrs;
            Some(field)
        };
        match fields {
            Fields::Named(mut named) => {
                named.named = std::mem::take(&mut named.named)
                    .into_iter()
                    .enumerate()
                    .filter_map(|(position, field)| keep(field, position))
                    .collect();
                Fields::Named(named)
            }
            Fields::Unnamed(mut unnamed) => {
                unnamed.unnamed = std::mem::take(&mut unnamed.unnamed)
                    .into_iter()
                    .enumerate()
                    .filter_map(|(position, field)| keep(field, position))
                    .collect();
                Fields::Unnamed(unnamed)
            }
            Fields::Unit => Fields::Unit,
        }
    }

    fn derive_kinds(&mut self, attrs: &[syn::Attribute], module: usize) -> Vec<DeclarationKind> {
        kinds_of_derives(attrs, |path| self.derive_kind(path, module))
    }

    /// Whether a derive path names ecsdef's derive, by the module's own `use` items; see the
    /// module documentation of `discover` for the pragmatic rule when they cannot tell.
    fn derive_kind(&mut self, path: &syn::Path, module: usize) -> Option<DeclarationKind> {
        let imports = &self.summary.modules[module].imports;
        let mut leading_colon = path.leading_colon.is_some();
        let mut segments: Vec<String> = path.segments.iter().map(|s| unraw(&s.ident)).collect();
        // Follow the module's imports a few steps: `use ecsdef as e; use e::Container as C;`.
        for _ in 0..4 {
            if leading_colon {
                break;
            }
            let Some(import) = imports
                .iter()
                .find(|import| import.name.as_deref() == Some(segments[0].as_str()))
            else {
                break;
            };
            let mut expanded = import.path.segments.clone();
            expanded.extend(segments.drain(1..));
            segments = expanded;
            leading_colon = import.path.leading_colon;
        }
        let by_name = match segments.last().map(String::as_str) {
            Some("Container") => Some(DeclarationKind::Container),
            Some("TaskDefinition") => Some(DeclarationKind::TaskDefinition),
            _ => None,
        };
        if segments.len() == 1 {
            // Not imported by name: from a glob, `#[macro_use]`, or a re-export we cannot see.
            return by_name;
        }
        match self.cx.externs.get(&segments[0]) {
            Some(ExternKind::ProcMacro) => None,
            Some(ExternKind::Ecsdef | ExternKind::Other) => by_name,
            Some(ExternKind::NameOnly) => {
                self.summary.reaches_outside |= by_name.is_some();
                by_name
            }
            None => {
                // A path from this module, or from a child module declared above the struct
                // (one declared below it is not seen yet: the mark only costs a second pass).
                let local = !leading_colon
                    && (matches!(segments[0].as_str(), "crate" | "self" | "super")
                        || self.summary.modules[module]
                            .children
                            .iter()
                            .any(|child| child.name == segments[0]));
                self.summary.reaches_outside |=
                    by_name.is_some() && !local && self.cx.name_only_externs;
                by_name
            }
        }
    }
}

/// A declaration's struct as the summary reads it, whichever reader read it.
#[expect(
    clippy::large_enum_variant,
    reason = "one at a time, on the stack while its struct is summarised"
)]
enum Read {
    /// Parsed by syn from text that begins at the origin, and the front end's input once it
    /// is asked for.
    Syn(DeriveInput, TextOrigin, Option<FileInput>),
    /// Read by the skim: the front end's input and each field's type.
    Skimmed(FileInput, Vec<FieldType>),
}

impl Read {
    /// What the front end reads of the struct.
    fn input(&mut self) -> &FileInput {
        match self {
            Read::Syn(input, origin, read) => {
                read.get_or_insert_with(|| input::from_syn(input, *origin))
            }
            Read::Skimmed(read, _) => read,
        }
    }

    /// Each field's type as a task reads it.
    fn types(&self) -> Vec<FieldType> {
        match self {
            Read::Syn(input, origin, _) => task_fields(input, *origin),
            Read::Skimmed(_, types) => types.clone(),
        }
    }
}

pub(super) fn task_fields(input: &DeriveInput, origin: TextOrigin) -> Vec<FieldType> {
    let syn::Data::Struct(data) = &input.data else {
        return Vec::new();
    };
    data.fields
        .iter()
        .enumerate()
        .map(|(position, field)| {
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| position.to_string(), unraw);
            let first = field.ty.to_token_stream().into_iter().next();
            let (line, column) = first.map_or((0, 0), |token| origin.locate(token.span().start()));
            FieldType {
                name,
                ty: type_path(&field.ty),
                line,
                column,
            }
        })
        .collect()
}

fn type_path(ty: &Type) -> Result<TypePath, (String, &'static str)> {
    let printed = || tidy(&ty.to_token_stream().to_string());
    match ty {
        Type::Paren(inner) => type_path(&inner.elem),
        Type::Group(inner) => type_path(&inner.elem),
        Type::Path(path) if path.qself.is_some() => Err((
            printed(),
            "a qualified path (`<T as Trait>::X`) cannot name a container",
        )),
        Type::Path(path) => {
            if path.path.segments.iter().any(|s| !s.arguments.is_none()) {
                return Err((
                    printed(),
                    "a generic type cannot be a container; name the container struct itself",
                ));
            }
            Ok(TypePath {
                leading_colon: path.path.leading_colon.is_some(),
                segments: path.path.segments.iter().map(|s| unraw(&s.ident)).collect(),
            })
        }
        _ => Err((
            printed(),
            "a task's fields must name a `#[derive(Container)]` struct by its path",
        )),
    }
}

/// Flattens a `use` tree into (path, bound name) pairs; a glob binds no name.
fn flatten_use(
    tree: &UseTree,
    leading_colon: bool,
    prefix: &mut Vec<String>,
    out: &mut Vec<(TypePath, Option<String>)>,
) {
    let path = |prefix: &Vec<String>, last: Option<String>| TypePath {
        leading_colon,
        segments: prefix.iter().cloned().chain(last).collect(),
    };
    match tree {
        UseTree::Path(p) => {
            prefix.push(unraw(&p.ident));
            flatten_use(&p.tree, leading_colon, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let name = unraw(&n.ident);
            // `use a::b::{self}` binds `b` to `a::b`.
            if name == "self" {
                if let Some(last) = prefix.last() {
                    out.push((path(prefix, None), Some(last.clone())));
                }
            } else {
                out.push((path(prefix, Some(name.clone())), Some(name)));
            }
        }
        UseTree::Rename(r) => {
            let name = unraw(&r.ident);
            let rename = unraw(&r.rename);
            if rename == "_" {
                return;
            }
            let target = if name == "self" {
                path(prefix, None)
            } else {
                path(prefix, Some(name))
            };
            out.push((target, Some(rename)));
        }
        UseTree::Glob(_) => out.push((path(prefix, None), None)),
        UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, leading_colon, prefix, out);
            }
        }
    }
}

/// A name as written (`r#type`) without its raw prefix.
fn unraw_str(name: String) -> String {
    match name.strip_prefix("r#") {
        Some(stripped) => stripped.to_owned(),
        None => name,
    }
}

fn unraw(ident: &syn::Ident) -> String {
    unraw_str(ident.to_string())
}

/// Token-stream text (`Vec < Web >`) as a person writes it (`Vec<Web>`), for messages.
pub(crate) fn tidy(tokens: &str) -> String {
    let mut text = tokens.to_owned();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        ("& ", "&"),
        (" ,", ","),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
    ] {
        text = text.replace(from, to);
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// The quick reading of derive lists gives syn's paths wherever it answers, and leaves
    /// every other list to syn: plain lists, `::` spaced or leading, trailing and doubled
    /// commas, generic arguments, raw identifiers, keywords, literals, groups, other
    /// delimiters.
    #[test]
    fn derive_lists_read_as_syn_reads_them() {
        let show = |paths: &[syn::Path]| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.to_token_stream().to_string())
                .collect()
        };
        let mut lists: Vec<String> = [
            "Container",
            "Container, Debug",
            "Debug, Clone, ecsdef::Container",
            "::ecsdef::Container,",
            "a::b::c::TaskDefinition, ::d::E",
            "",
            ",",
            "Container,,",
            ", Container",
            "Container Debug",
            "a : : b",
            "a :: b",
            "a:::b",
            "a::",
            "::",
            "::a",
            "a::<T>",
            "Container<T>",
            "a::(b)",
            "a::b::",
            "r#Container",
            "r#type",
            "\"Container\"",
            "a = b",
            "a::b()",
            "(Container)",
            "Container; Debug",
            "Container::",
            "Self",
            "self::Container",
            "super::Container",
            "crate::Container",
        ]
        .iter()
        .map(|list| (*list).to_owned())
        .collect();
        for word in [
            "_",
            "abstract",
            "as",
            "async",
            "auto",
            "await",
            "become",
            "box",
            "break",
            "const",
            "continue",
            "crate",
            "default",
            "do",
            "dyn",
            "else",
            "enum",
            "extern",
            "false",
            "final",
            "fn",
            "for",
            "gen",
            "if",
            "impl",
            "in",
            "let",
            "loop",
            "macro",
            "macro_rules",
            "match",
            "mod",
            "move",
            "mut",
            "override",
            "priv",
            "pub",
            "raw",
            "ref",
            "return",
            "safe",
            "Self",
            "self",
            "static",
            "struct",
            "super",
            "trait",
            "true",
            "try",
            "type",
            "typeof",
            "union",
            "unsafe",
            "unsized",
            "use",
            "virtual",
            "where",
            "while",
            "yield",
        ] {
            lists.push(word.to_owned());
            lists.push(format!("a::{word}"));
            lists.push(format!("Container, {word}::Debug"));
        }
        let mut quick = 0;
        for list in &lists {
            for text in [format!("#[derive({list})]"), format!("#[derive[{list}]]")] {
                let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &text)
                    .unwrap_or_else(|e| panic!("{text}: {e}"));
                let attr = &attrs[0];
                let by_syn = attr
                    .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                    .ok()
                    .map(|paths| paths.into_iter().collect::<Vec<_>>());
                let read = derive_paths(attr);
                assert_eq!(
                    read.as_deref().map(show),
                    by_syn.as_deref().map(show),
                    "{text}"
                );
                if let syn::Meta::List(list) = &attr.meta
                    && let Some(paths) = plain_derive_paths(&list.tokens)
                {
                    quick += 1;
                    let by_syn = by_syn.unwrap_or_else(|| panic!("{text}: syn rejects it"));
                    for (a, b) in paths.iter().zip(&by_syn) {
                        assert_eq!(
                            a.leading_colon.is_some(),
                            b.leading_colon.is_some(),
                            "{text}"
                        );
                        assert!(a.segments.iter().all(|s| s.arguments.is_none()), "{text}");
                    }
                }
            }
        }
        // The common lists take the quick way (each under both delimiters' tokens).
        assert!(quick >= 2 * 6, "{quick}");
    }

    /// Everything the analyzer is given that a derive could read, as text.
    fn analysis(input: &DeclarationInput<'_>) -> String {
        format!("{:?}: {:?}", input.kind, input.input)
    }

    /// Writes `source` as `lib.rs` in a fresh temporary folder named after `tag`; returns
    /// the folder (for the test to remove) and the file.
    fn lib_rs(tag: &str, source: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("ecsdef-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("lib.rs");
        std::fs::write(&file, source).expect("write");
        (dir, file)
    }

    /// A package with `features` on and no dependencies.
    fn plain_package(features: &[String]) -> PackageContext {
        PackageContext {
            cfg: CfgContext::new(features.iter().cloned().collect::<BTreeSet<_>>(), false),
            externs: HashMap::new(),
            name_only_externs: false,
        }
    }

    fn declarations(summary: &FileSummary<String>) -> Vec<String> {
        summary
            .declarations
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {}:{} in {} {:?}: {}",
                    d.name,
                    d.kind,
                    d.line,
                    d.column,
                    d.module,
                    d.fields
                        .iter()
                        .map(|f| (f.name.clone(), f.line, f.column))
                        .collect::<Vec<_>>(),
                    d.analysis
                )
            })
            .collect()
    }

    /// A declaration analysed while reading ahead gets the analysis it gets when its package is
    /// known, whatever the features; one whose input the features could change is analysed
    /// only then.
    #[test]
    fn analysing_ahead_changes_nothing() {
        let source = r#"
use ecsdef::Container as Renamed;

/// Documented.
#[derive(Container)]
#[ecs(image = "nginx")]
pub struct Plain {
    /// A field.
    #[ecs(env = "PORT")]
    port: u16,
}

#[derive(ecsdef::TaskDefinition)]
#[ecs(family = "web")]
struct Gated { #[cfg(feature = "x")] a: Plain, b: Plain }

#[cfg_attr(feature = "x", derive(Container))]
struct MaybeDerived;

#[derive(Container, TaskDefinition, Debug)]
struct Both { c: Plain }

#[derive(Renamed)]
struct ThroughAlias;

#[derive(serde::Container)]
struct Foreign;

#[cfg(feature = "x")]
#[derive(Container)]
struct OnlyWithX;

mod inner {
    #[derive(Container)]
    #[cfg_attr(feature = "x", ecs(image = "x"))]
    pub struct Configured;

    #[derive(Container)] pub struct Inline { e: u8 }
}
"#;
        let (dir, file) = lib_rs("ahead", source);
        for features in [vec![], vec!["x".to_owned()]] {
            let cx = plain_package(&features);
            let calls = AtomicUsize::new(0);
            let counted = |input: &DeclarationInput<'_>| {
                calls.fetch_add(1, Ordering::Relaxed);
                analysis(input)
            };
            let late = summarize(&cx, &file, None, &counted);
            let late_calls = calls.swap(0, Ordering::Relaxed);

            let (read, _) = read_ahead(&file, &counted);
            let ahead_calls = calls.swap(0, Ordering::Relaxed);
            let early = summarize(&cx, &file, read, &counted);
            let early_calls = calls.load(Ordering::Relaxed);

            assert_eq!(
                declarations(&early),
                declarations(&late),
                "features {features:?}"
            );
            assert!(declarations(&late).len() >= 6, "{:#?}", declarations(&late));
            // Ahead: `Plain`, `Both` twice, `Foreign` and `Inline`, and each is taken; the
            // others depend on the features or on the module's imports.
            assert_eq!(ahead_calls, 5, "features {features:?}");
            assert_eq!(
                early_calls,
                late_calls - ahead_calls,
                "features {features:?}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A struct analysed ahead keeps only what the summary reads besides its analyses; when
    /// the module's imports make it a declaration of another kind too, the file is read again,
    /// and the summary is the one made without reading ahead.
    #[test]
    fn a_struct_read_ahead_that_needs_another_analysis_is_read_again() {
        let source = r#"
use ecsdef::TaskDefinition as Task;

/// Documented.
#[derive(Container, Debug)]
#[ecs(image = "nginx")]
pub struct Plain {
    #[ecs(env = "PORT")]
    port: u16,
}

#[derive(Container, Task)]
#[ecs(image = "redis", family = "mixed")]
struct Mixed {
    /// A field.
    #[ecs(env = "A")]
    p: Plain,
}
"#;
        let (dir, file) = lib_rs("reread", source);
        let cx = plain_package(&[]);
        let calls = AtomicUsize::new(0);
        let counted = |input: &DeclarationInput<'_>| {
            calls.fetch_add(1, Ordering::Relaxed);
            analysis(input)
        };
        let late = summarize(&cx, &file, None, &counted);
        assert_eq!(calls.swap(0, Ordering::Relaxed), 3);
        let (read, _) = read_ahead(&file, &counted);
        // `Plain` and `Mixed` as containers: `Task` is known only through the import.
        assert_eq!(calls.swap(0, Ordering::Relaxed), 2);
        let early = summarize(&cx, &file, read, &counted);
        assert_eq!(declarations(&early), declarations(&late));
        assert_eq!(calls.load(Ordering::Relaxed), 3, "read again");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// With members-only metadata, a derive path that may lead into a dependency known by name
    /// only marks its file, so that discovery asks for the whole graph; a path the members can
    /// judge does not.
    #[test]
    fn a_derive_path_through_a_dependency_known_by_name_only_is_marked() {
        let dir = std::env::temp_dir().join(format!("ecsdef-outside-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let context = |name_only_externs: bool| PackageContext {
            cfg: CfgContext::new(BTreeSet::new(), false),
            externs: [
                ("ecsdef".to_owned(), ExternKind::Ecsdef),
                ("member".to_owned(), ExternKind::Other),
                ("macros".to_owned(), ExternKind::ProcMacro),
                ("registry".to_owned(), ExternKind::NameOnly),
            ]
            .into_iter()
            .collect(),
            name_only_externs,
        };
        let cases = [
            ("#[derive(ecsdef::Container)]", false, false),
            ("#[derive(Container)]", false, false),
            ("#[derive(crate::derives::Container)]", false, false),
            ("#[derive(member::Container)]", false, false),
            ("#[derive(macros::Container)]", false, false),
            ("#[derive(registry::Serialize)]", false, false),
            ("#[derive(registry::Container)]", false, true),
            (
                "use registry as r;\n#[derive(r::TaskDefinition)]",
                false,
                true,
            ),
            // A crate name that is no extern: a module, or a library not called as its package.
            ("#[derive(other::Container)]", false, false),
            ("#[derive(other::Container)]", true, true),
            ("#[derive(::other::Container)]", true, true),
            ("#[derive(self::derives::Container)]", true, false),
            ("mod derives {}\n#[derive(derives::Container)]", true, false),
            ("mod derives;\n#[derive(derives::Container)]", true, false),
        ];
        for (index, (derive, name_only_externs, marked)) in cases.into_iter().enumerate() {
            let file = dir.join(format!("case{index}.rs"));
            std::fs::write(&file, format!("{derive}\npub struct S {{ a: u8 }}\n")).expect("write");
            let summary = summarize(&context(name_only_externs), &file, None, &analysis);
            assert_eq!(
                summary.reaches_outside, marked,
                "{derive} ({name_only_externs})"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
