//! What discovery reads of a file ([`ModItem`]): its `mod`, `use` and `extern crate` items, the
//! structs that derive something, its `type` aliases, and the names (and `cfg`s) of its other
//! type-namespace items. Nothing inside a function, an `impl`, a `const`, a macro call or a
//! foreign block.
//!
//! Two readers give them. The plain way, and the reference, is [`from_syn`]: the items of
//! `syn::parse_file`'s syntax tree. The fast path is the skim (`skim`), which finds the same
//! items without parsing the rest of the file; its tests hold it to this one, on this
//! repository's files and on any corpus of Rust code. A file the skim cannot read is parsed in
//! full.

use proc_macro2::LineColumn;
use syn::{Attribute, Item, Visibility};

use super::input::FileInput;
use super::modules::FieldType;

/// Where a piece of a file that was tokenized alone begins. Discovery hands syn only the
/// pieces it reads (an item, its attributes), each as its own text, so a span's line and
/// column count from the start of its piece; [`TextOrigin::locate`] turns them into the file's.
/// Spans are only meaningful on the thread that parsed them: convert them there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOrigin {
    line: usize,
    column: usize,
}

impl TextOrigin {
    /// A piece that is the whole file.
    pub const FILE: TextOrigin = TextOrigin { line: 1, column: 1 };

    /// A piece that begins at `line` (from 1) and `column` (from 1, in characters).
    pub(crate) fn new(line: usize, column: usize) -> Self {
        TextOrigin { line, column }
    }

    /// Line (from 1) and column (from 1, in characters) in the file of a position in the
    /// piece, as proc-macro2 gives it (line from 1, column from 0). A position without a
    /// line (line 0: a span made in code, not read) stays on line 0.
    pub fn locate(self, at: LineColumn) -> (usize, usize) {
        match at.line {
            0 => (0, at.column + 1),
            1 => (self.line, self.column + at.column),
            line => (self.line + line - 1, at.column + 1),
        }
    }
}

/// One item discovery reads, with the outer attributes it needs (before `cfg` evaluation).
pub(crate) struct ModItem {
    /// All attributes of a `use`, `extern crate` or deriving struct; of other items, the
    /// `cfg`, `cfg_attr` and `path` attributes, the only ones discovery reads there.
    pub attrs: Vec<Attribute>,
    pub kind: ModItemKind,
    /// Where the text this item's syntax was tokenized from begins: its spans count lines and
    /// columns from there.
    pub origin: TextOrigin,
}

pub(crate) enum ModItemKind {
    Use(syn::ItemUse),
    ExternCrate(syn::ItemExternCrate),
    Mod {
        public: bool,
        /// As written (`r#type` keeps its `r#`).
        name: String,
        /// Where the name is written: line from 1, column from 1 in characters.
        line: usize,
        column: usize,
        /// The items of an inline module; `None` for `mod name;`.
        content: Option<Vec<ModItem>>,
    },
    /// A struct with a `derive` (possibly behind `cfg_attr`).
    Struct(StructItem),
    /// A `type` alias: a task field may name a container through one.
    TypeAlias(syn::ItemType),
    /// A struct without one, an `enum`, `union` or `trait`: only its name counts.
    Other {
        public: bool,
        /// As written.
        name: String,
        /// `struct`, `enum`, `union` or `trait`.
        keyword: &'static str,
    },
}

/// A deriving struct, read by syn or by the skim.
pub(crate) enum StructItem {
    /// As its derive receives it: its attributes are the item's [`ModItem::attrs`] (empty
    /// here), its data a struct's.
    Syn(syn::DeriveInput),
    /// Read by the skim without syn (`skim/declared.rs`): the item's [`ModItem::attrs`] are
    /// its attributes but for `#[ecs(...)]` and doc comments, which are in the input.
    Skimmed(Skimmed),
}

/// A deriving struct the skim read (see [`StructItem::Skimmed`]).
pub(crate) struct Skimmed {
    pub public: bool,
    /// Where its name is: line from 1, column from 1 in characters.
    pub line: usize,
    pub column: usize,
    /// What the front end reads of it.
    pub input: FileInput,
    /// Each field's type as a task reads it.
    pub types: Vec<FieldType>,
}

/// The fields of a deriving struct (see [`StructItem::Syn`]: its data is always a
/// struct's).
pub(crate) fn struct_fields(input: &syn::DeriveInput) -> Option<&syn::Fields> {
    match &input.data {
        syn::Data::Struct(data) => Some(&data.fields),
        syn::Data::Enum(_) | syn::Data::Union(_) => None,
    }
}

/// The items of a file parsed in full by syn, in the same form.
pub(crate) fn from_syn(items: Vec<Item>) -> Vec<ModItem> {
    items
        .into_iter()
        .filter_map(|item| from_syn_item(item, TextOrigin::FILE))
        .collect()
}

/// `item`, parsed from text that begins at `origin`.
pub(crate) fn from_syn_item(item: Item, origin: TextOrigin) -> Option<ModItem> {
    let other = |attrs: Vec<Attribute>, vis: &Visibility, ident: &syn::Ident, keyword| ModItem {
        origin,
        attrs: attrs.into_iter().filter(is_read_on_others).collect(),
        kind: ModItemKind::Other {
            public: is_public(vis),
            name: ident.to_string(),
            keyword,
        },
    };
    Some(match item {
        Item::Use(mut item) => ModItem {
            origin,
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::Use(item),
        },
        Item::ExternCrate(mut item) => ModItem {
            origin,
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::ExternCrate(item),
        },
        Item::Mod(item) => {
            let (line, column) = origin.locate(item.ident.span().start());
            ModItem {
                origin,
                attrs: item.attrs.into_iter().filter(is_read_on_others).collect(),
                kind: ModItemKind::Mod {
                    public: is_public(&item.vis),
                    name: item.ident.to_string(),
                    line,
                    column,
                    content: item.content.map(|(_, items)| {
                        items
                            .into_iter()
                            .filter_map(|item| from_syn_item(item, origin))
                            .collect()
                    }),
                },
            }
        }
        Item::Struct(mut item) if item.attrs.iter().any(may_derive) => {
            let mut attrs = std::mem::take(&mut item.attrs);
            attrs.retain(|attr| !is_doc(attr));
            for field in &mut item.fields {
                field.attrs.retain(|attr| !is_doc(attr));
            }
            ModItem {
                origin,
                attrs,
                // syn's own conversion; the attributes were taken out above.
                kind: ModItemKind::Struct(StructItem::Syn(syn::DeriveInput::from(item))),
            }
        }
        Item::Struct(item) => other(item.attrs, &item.vis, &item.ident, "struct"),
        Item::Enum(item) => other(item.attrs, &item.vis, &item.ident, "enum"),
        Item::Union(item) => other(item.attrs, &item.vis, &item.ident, "union"),
        Item::Trait(item) => other(item.attrs, &item.vis, &item.ident, "trait"),
        Item::TraitAlias(item) => other(item.attrs, &item.vis, &item.ident, "trait"),
        Item::Type(mut item) => ModItem {
            origin,
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::TypeAlias(item),
        },
        _ => return None,
    })
}

/// A doc comment, or a `#[doc]` attribute: left out of deriving structs (the skim reads
/// them as spaces), whichever way the file is read.
fn is_doc(attr: &Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// Whether an attribute can add a derive to a struct: `derive`, or a `cfg_attr` (which may
/// expand to one).
fn may_derive(attr: &Attribute) -> bool {
    attr.path().is_ident("derive") || attr.path().is_ident("cfg_attr")
}

/// The attributes discovery reads on items other than deriving structs and `use` items.
pub(crate) fn is_read_on_others(attr: &Attribute) -> bool {
    let path = attr.path();
    path.is_ident("cfg") || path.is_ident("cfg_attr") || path.is_ident("path")
}

/// Private items are visible only in their module and its descendants; anything else
/// (`pub`, `pub(crate)`, `pub(super)`, ...) is treated as reachable: the code compiles, so a
/// path that names it may use it.
pub(crate) fn is_public(vis: &Visibility) -> bool {
    !matches!(vis, Visibility::Inherited)
}
