//! The items of a file that discovery needs, read without parsing the rest.
//!
//! Discovery needs a module's `mod`, `use` and `extern crate` items, its structs, and the names
//! of its other type-namespace items. It never looks inside a function, an `impl`, a `const`,
//! a macro call or a foreign block. So instead of `syn::parse_file`, which builds a syntax tree
//! for every expression of every function body, a file is tokenized once and split into items
//! at the token-tree level (an item's body is one brace-delimited token tree, so skipping it is
//! free), and only the items discovery reads are handed to syn. On ordinary code this makes a
//! file about three times cheaper to read: tokenizing is a third of `syn::parse_file`'s work.
//!
//! The split is conservative. A token sequence it does not recognise as the start of an item,
//! an item that syn rejects, or a tokenizer error, makes [`scan_file`] return `None`, and the
//! caller parses the whole file with `syn::parse_file` as before, which either succeeds (the
//! file used a form this splitter does not know, such as `macro` 2.0 items or a braced
//! const-generic argument in a function signature) or reports the syntax error with its
//! location. The one difference from a full parse is deliberate: a syntax error inside an item
//! discovery skips (a function body, say) is not reported here. The compiler reports it, and
//! the declarations in the rest of the file are still found.

use std::str::FromStr;

use proc_macro2::{Delimiter, Ident, TokenStream, TokenTree};
use syn::{Attribute, Item, Visibility};

/// One item discovery reads, with its outer attributes (before `cfg` evaluation).
pub(crate) struct ModItem {
    pub attrs: Vec<Attribute>,
    pub kind: ModItemKind,
}

pub(crate) enum ModItemKind {
    Use(syn::ItemUse),
    ExternCrate(syn::ItemExternCrate),
    Mod {
        public: bool,
        ident: Ident,
        /// The items of an inline module; `None` for `mod name;`.
        content: Option<Vec<ModItem>>,
    },
    Struct(syn::ItemStruct),
    /// An `enum`, `union`, `trait` or `type` item: only its name counts.
    Other {
        public: bool,
        ident: Ident,
        keyword: &'static str,
    },
}

/// The items of a file discovery reads, or `None` when the file should be parsed in full
/// (see the module documentation).
pub(crate) fn scan_file(source: &str) -> Option<Vec<ModItem>> {
    let stream = TokenStream::from_str(strip_bom_and_shebang(source)).ok()?;
    // A file's own inner attributes are not read (as with a full parse, where discovery reads
    // only `File::items`).
    scan(stream).map(|(_, items)| items)
}

/// The items of a file parsed in full by syn, in the same form.
pub(crate) fn from_syn(items: Vec<Item>) -> Vec<ModItem> {
    items.into_iter().filter_map(from_syn_item).collect()
}

fn from_syn_item(item: Item) -> Option<ModItem> {
    let other = |attrs, vis: &Visibility, ident, keyword| ModItem {
        attrs,
        kind: ModItemKind::Other {
            public: is_public(vis),
            ident,
            keyword,
        },
    };
    Some(match item {
        Item::Use(mut item) => ModItem {
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::Use(item),
        },
        Item::ExternCrate(mut item) => ModItem {
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::ExternCrate(item),
        },
        Item::Mod(item) => ModItem {
            attrs: item.attrs,
            kind: ModItemKind::Mod {
                public: is_public(&item.vis),
                ident: item.ident,
                content: item.content.map(|(_, items)| from_syn(items)),
            },
        },
        Item::Struct(mut item) => ModItem {
            attrs: std::mem::take(&mut item.attrs),
            kind: ModItemKind::Struct(item),
        },
        Item::Enum(item) => other(item.attrs, &item.vis, item.ident, "enum"),
        Item::Union(item) => other(item.attrs, &item.vis, item.ident, "union"),
        Item::Trait(item) => other(item.attrs, &item.vis, item.ident, "trait"),
        Item::TraitAlias(item) => other(item.attrs, &item.vis, item.ident, "trait"),
        Item::Type(item) => other(item.attrs, &item.vis, item.ident, "type alias"),
        _ => return None,
    })
}

/// Private items are visible only in their module and its descendants; anything else
/// (`pub`, `pub(crate)`, `pub(super)`, ...) is treated as reachable: the code compiles, so a
/// path that names it may use it.
pub(crate) fn is_public(vis: &Visibility) -> bool {
    !matches!(vis, Visibility::Inherited)
}

/// What `syn::parse_file` skips before tokenizing: a byte order mark, and a first line starting
/// with `#!` that is not an inner attribute (its newline is kept, so lines keep their numbers).
fn strip_bom_and_shebang(source: &str) -> &str {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Some(rest) = source.strip_prefix("#!")
        && !rest.trim_start().starts_with('[')
    {
        return source.find('\n').map_or("", |newline| &source[newline..]);
    }
    source
}

/// How an item ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// At the first `;` at its level (`use`, `const`, `static`, `type`, `extern crate`).
    Semi,
    /// At the first brace-delimited group or `;` at its level, whichever comes first.
    BraceOrSemi,
}

/// A module's items, and the tokens of its inner attributes.
fn scan(stream: TokenStream) -> Option<(Vec<TokenTree>, Vec<ModItem>)> {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut inner = Vec::new();
    let mut items = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Inner attributes (`#![...]`, `//!`) belong to the module, not to an item.
        if is_punct(tokens.get(i), '#')
            && is_punct(tokens.get(i + 1), '!')
            && is_group(tokens.get(i + 2), Delimiter::Bracket)
        {
            inner.extend_from_slice(&tokens[i..i + 3]);
            i += 3;
            continue;
        }
        let start = i;
        while is_punct(tokens.get(i), '#') && is_group(tokens.get(i + 1), Delimiter::Bracket) {
            i += 2;
        }
        let attrs_end = i;
        let mut public = false;
        if is_ident(tokens.get(i), "pub") {
            public = true;
            i += 1;
            if is_group(tokens.get(i), Delimiter::Parenthesis) {
                i += 1;
            }
        }
        let (end, item) = item_at(&tokens, start, attrs_end, i, public)?;
        if let Some(item) = item {
            items.push(item);
        }
        i = end + 1;
    }
    Some((inner, items))
}

/// Recognises the item whose keyword-or-qualifier starts at `i`. Returns the index of its last
/// token and, for the items discovery reads, the item.
fn item_at(
    tokens: &[TokenTree],
    start: usize,
    attrs_end: usize,
    mut i: usize,
    public: bool,
) -> Option<(usize, Option<ModItem>)> {
    let attrs = || parse_attrs(&tokens[start..attrs_end]);
    let whole = || tokens[start..].iter();
    loop {
        let TokenTree::Ident(word) = tokens.get(i)? else {
            // `::path!(...)`: a macro call from a leading `::` path.
            return macro_call(tokens, i).map(|end| (end, None));
        };
        let word = word.to_string();
        match word.as_str() {
            "use" => {
                let end = find_end(tokens, i, End::Semi)?;
                let item: syn::ItemUse = parse_tokens(whole().take(end + 1 - start))?;
                return Some((end, Some(from_syn_item(Item::Use(item))?)));
            }
            "extern" if is_ident(tokens.get(i + 1), "crate") => {
                let end = find_end(tokens, i, End::Semi)?;
                let item: syn::ItemExternCrate = parse_tokens(whole().take(end + 1 - start))?;
                return Some((end, Some(from_syn_item(Item::ExternCrate(item))?)));
            }
            "struct" => {
                let end = find_end(tokens, i, End::BraceOrSemi)?;
                let item: syn::ItemStruct = parse_tokens(whole().take(end + 1 - start))?;
                return Some((end, Some(from_syn_item(Item::Struct(item))?)));
            }
            "mod" => {
                let TokenTree::Ident(ident) = tokens.get(i + 1)? else {
                    return None;
                };
                let mut attrs = attrs()?;
                let content = match tokens.get(i + 2)? {
                    TokenTree::Punct(p) if p.as_char() == ';' => None,
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                        // An inline module's inner attributes (`#![cfg(...)]`) are its own, after
                        // the outer ones, as syn's `ItemMod::attrs` has them.
                        let (inner, items) = scan(g.stream())?;
                        if !inner.is_empty() {
                            let inner = inner.into_iter().collect();
                            attrs.extend(
                                syn::parse::Parser::parse2(Attribute::parse_inner, inner).ok()?,
                            );
                        }
                        Some(items)
                    }
                    _ => return None,
                };
                let end = i + 2;
                let item = ModItem {
                    attrs,
                    kind: ModItemKind::Mod {
                        public,
                        ident: ident.clone(),
                        content,
                    },
                };
                return Some((end, Some(item)));
            }
            "enum" | "union" | "trait" | "type"
                if matches!(tokens.get(i + 1), Some(TokenTree::Ident(_))) =>
            {
                let TokenTree::Ident(ident) = &tokens[i + 1] else {
                    return None;
                };
                let (end, keyword) = match word.as_str() {
                    "type" => (find_end(tokens, i, End::Semi)?, "type alias"),
                    "enum" => (find_end(tokens, i, End::BraceOrSemi)?, "enum"),
                    "union" => (find_end(tokens, i, End::BraceOrSemi)?, "union"),
                    _ => (find_end(tokens, i, End::BraceOrSemi)?, "trait"),
                };
                let item = ModItem {
                    attrs: attrs()?,
                    kind: ModItemKind::Other {
                        public,
                        ident: ident.clone(),
                        keyword,
                    },
                };
                return Some((end, Some(item)));
            }
            "fn" | "impl" => return find_end(tokens, i, End::BraceOrSemi).map(|e| (e, None)),
            "static" => return find_end(tokens, i, End::Semi).map(|e| (e, None)),
            // `const fn`, `const unsafe fn`: a qualifier; `const NAME: T = ...;` or `const _`.
            "const" => match tokens.get(i + 1)? {
                TokenTree::Ident(next)
                    if ["fn", "unsafe", "async", "extern"].contains(&next.to_string().as_str()) =>
                {
                    i += 1;
                }
                TokenTree::Ident(_) => return find_end(tokens, i, End::Semi).map(|e| (e, None)),
                _ => return None,
            },
            // `extern "C" fn`, `extern "C" { ... }`, `extern { ... }`.
            "extern" => {
                i += 1;
                if matches!(tokens.get(i), Some(TokenTree::Literal(_))) {
                    i += 1;
                }
                if is_group(tokens.get(i), Delimiter::Brace) {
                    return Some((i, None));
                }
            }
            "unsafe" | "async" | "default" | "auto" | "safe" => i += 1,
            "macro_rules" if is_punct(tokens.get(i + 1), '!') => {
                // `macro_rules! name { ... }` or `macro_rules! name ( ... );`
                if !matches!(tokens.get(i + 2), Some(TokenTree::Ident(_))) {
                    return None;
                }
                return group_then_maybe_semi(tokens, i + 3).map(|e| (e, None));
            }
            _ => return macro_call(tokens, i).map(|end| (end, None)),
        }
    }
}

/// A macro call in item position, `path!(...);`, `path![...];` or `path! { ... }`, starting at
/// `i`; the index of its last token.
fn macro_call(tokens: &[TokenTree], mut i: usize) -> Option<usize> {
    if is_punct(tokens.get(i), ':') {
        i += 2;
    }
    loop {
        if !matches!(tokens.get(i), Some(TokenTree::Ident(_))) {
            return None;
        }
        i += 1;
        if is_punct(tokens.get(i), '!') {
            return group_then_maybe_semi(tokens, i + 1);
        }
        if !(is_punct(tokens.get(i), ':') && is_punct(tokens.get(i + 1), ':')) {
            return None;
        }
        i += 2;
    }
}

/// A group at `i`: a braced one ends the item, any other must be followed by `;`.
fn group_then_maybe_semi(tokens: &[TokenTree], i: usize) -> Option<usize> {
    match tokens.get(i)? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(i),
        TokenTree::Group(_) if is_punct(tokens.get(i + 1), ';') => Some(i + 1),
        _ => None,
    }
}

fn find_end(tokens: &[TokenTree], from: usize, end: End) -> Option<usize> {
    tokens
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, token)| match token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => end == End::BraceOrSemi && g.delimiter() == Delimiter::Brace,
            _ => false,
        })
        .map(|(index, _)| index)
}

fn parse_tokens<'a, T: syn::parse::Parse>(
    tokens: impl Iterator<Item = &'a TokenTree>,
) -> Option<T> {
    syn::parse2(tokens.cloned().collect()).ok()
}

fn parse_attrs(tokens: &[TokenTree]) -> Option<Vec<Attribute>> {
    if tokens.is_empty() {
        return Some(Vec::new());
    }
    syn::parse::Parser::parse2(Attribute::parse_outer, tokens.iter().cloned().collect()).ok()
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_group(token: Option<&TokenTree>, delimiter: Delimiter) -> bool {
    matches!(token, Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

fn is_ident(token: Option<&TokenTree>, word: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a list of items says, in a form a test can compare.
    fn describe(items: &[ModItem]) -> Vec<String> {
        items
            .iter()
            .map(|item| {
                let attrs = item.attrs.len();
                match &item.kind {
                    ModItemKind::Use(u) => format!(
                        "use {}{} #{attrs}",
                        if u.leading_colon.is_some() { "::" } else { "" },
                        quote::ToTokens::to_token_stream(&u.tree)
                    ),
                    ModItemKind::ExternCrate(e) => format!("extern crate {} #{attrs}", e.ident),
                    ModItemKind::Mod {
                        public,
                        ident,
                        content,
                    } => format!(
                        "mod {ident} pub={public} #{attrs} {:?}",
                        content.as_deref().map(describe)
                    ),
                    ModItemKind::Struct(s) => format!("struct {} #{attrs}", s.ident),
                    ModItemKind::Other {
                        public,
                        ident,
                        keyword,
                    } => format!("{keyword} {ident} pub={public} #{attrs}"),
                }
            })
            .collect()
    }

    /// The scanner and a full parse agree on `source`, and the scanner did not fall back.
    fn same_as_syn(source: &str) -> Vec<String> {
        let scanned = scan_file(source).expect("the scanner reads this file");
        let parsed = from_syn(syn::parse_file(source).expect("valid Rust").items);
        assert_eq!(describe(&scanned), describe(&parsed), "{source}");
        describe(&scanned)
    }

    #[test]
    fn reads_the_items_discovery_needs_and_skips_the_rest() {
        let items = same_as_syn(
            r#"#!/usr/bin/env rust
//! Crate docs.
#![allow(dead_code)]
use std::collections::{HashMap as Map, *};
pub(crate) use ::ecsdef::{Container, TaskDefinition};
extern crate self as me;
/// A container.
#[derive(Container)]
#[ecs(image = "nginx:1.27")]
pub struct Web {
    #[ecs(env = "PORT")]
    port: u16,
}
struct Tuple(u8, Vec<u8>) where u8: Copy;
struct Unit;
#[cfg(feature = "x")]
pub mod inline {
    #![doc = "inner"]
    use super::*;
    pub enum E { A = { 1 }, B }
    mod deeper { pub(super) trait T { fn f(&self) {} } }
}
#[path = "other.rs"]
mod other;
const fn f() -> u8 { 3 }
const X: Web = Web { port: 1 };
const _: () = { struct Hidden; };
pub static mut S: [u8; { 2 }] = [0; 2];
unsafe impl<T> Send for Wrapper<T> where T: Fn() -> u8 {}
impl<const N: usize> Trait for [u8; N] { type A = u8; }
pub type Alias<T> = Vec<T>;
pub union U { a: u8 }
pub trait Alias2 = Sized;
extern "C" { fn c(); }
unsafe extern "C" { safe fn d(); }
extern "C" fn e() {}
pub async unsafe fn g() {}
macro_rules! m { () => {} }
macro_rules! n ( () => {} );
m!();
thing::m![];
::thing::m! { struct NotSeen; }
fn h() { struct Inside; let x = { 1 }; }
"#,
        );
        assert_eq!(
            items,
            [
                "use std :: collections :: { HashMap as Map , * } #0",
                "use ::ecsdef :: { Container , TaskDefinition } #0",
                "extern crate self #0",
                "struct Web #3",
                "struct Tuple #0",
                "struct Unit #0",
                "mod inline pub=true #2 Some([\"use super :: * #0\", \"enum E pub=true #0\", \
                 \"mod deeper pub=false #0 Some([\\\"trait T pub=true #0\\\"])\"])",
                "mod other pub=false #1 None",
                "type alias Alias pub=true #0",
                "union U pub=true #0",
                "trait Alias2 pub=true #0",
            ]
        );
    }

    #[test]
    fn falls_back_on_what_it_does_not_know() {
        // A braced const-generic argument in a signature ends the "item" early.
        assert!(scan_file("fn f() -> Foo<{ N }> { todo!() }").is_none());
        // `macro` 2.0 items.
        assert!(scan_file("pub macro m() {}").is_none());
        // A stray semicolon, which rustc rejects.
        assert!(scan_file("struct A {};").is_none());
        // Tokenizer errors.
        assert!(scan_file("struct A { a: u8 ").is_none());
        assert!(scan_file("const S: &str = \"open;").is_none());
        // An item syn rejects.
        assert!(scan_file("struct A { a: }").is_none());
        // A visibility with nothing after it.
        assert!(scan_file("pub").is_none());
    }

    #[test]
    fn spans_keep_their_lines_after_a_shebang() {
        let items = scan_file("#!/bin/sh\n\n  struct A;").unwrap();
        let ModItemKind::Struct(s) = &items[0].kind else {
            panic!("a struct")
        };
        let start = s.ident.span().start();
        assert_eq!((start.line, start.column), (3, 9));
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// On every Rust file of this repository (and, for a wider check, of the folder in
    /// `ECSDEF_SCAN_CORPUS`, such as `~/.cargo/registry/src`), the scanner either falls back or
    /// finds exactly what a full parse finds; and on this repository it rarely falls back.
    #[test]
    fn agrees_with_a_full_parse_on_real_code() {
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut roots = vec![repository];
        roots.extend(std::env::var_os("ECSDEF_SCAN_CORPUS").map(Into::into));
        let (mut scanned, mut fell_back, mut invalid) = (0, 0, 0);
        for root in roots {
            let mut files = Vec::new();
            rust_files(&root, &mut files);
            files.sort();
            for file in files {
                let Ok(source) = std::fs::read_to_string(&file) else {
                    continue;
                };
                let full = syn::parse_file(&source);
                let Ok(parsed) = full else {
                    invalid += 1;
                    continue;
                };
                match scan_file(&source) {
                    Some(items) => {
                        scanned += 1;
                        assert_eq!(
                            describe(&items),
                            describe(&from_syn(parsed.items)),
                            "{}",
                            file.display()
                        );
                    }
                    None => {
                        eprintln!("falls back: {}", file.display());
                        fell_back += 1;
                    }
                }
                proc_macro2::extra::invalidate_current_thread_spans();
            }
        }
        eprintln!("{scanned} files scanned, {fell_back} fell back, {invalid} not valid Rust");
        assert!(scanned > 100, "{scanned}");
        assert!(
            fell_back * 50 < scanned,
            "{fell_back} of {scanned} fell back"
        );
    }
}
