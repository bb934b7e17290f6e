//! The skim: the items of a file that discovery reads ([`super::items`]), found without parsing
//! or even tokenizing the rest of the file.
//!
//! `syn::parse_file` builds a syntax tree for every expression of every function body, and
//! discovery never looks there. So a file is first skimmed: a lexer that allocates nothing
//! (`lexer`) finds where each top-level item starts and ends (a body is one bracketed region,
//! so skipping it is one pass over its bytes), and only the parts discovery reads are tokenized
//! and handed to syn: a `use` item, a deriving struct, the attributes of an item when they
//! mention `cfg` (or `path`, on a module), the inside of an inline module. Each part is
//! tokenized as it is, and its item records where it begins ([`TextOrigin`]): spans count lines
//! and columns from there, and the summary turns them into the file's. The body of a struct
//! whose attributes may derive is not skipped but read one level in by the same pass: its
//! reader takes those tokens ([`Skim::take_body`]) rather than lexing the body again.
//!
//! The skim is conservative. A token sequence it does not recognise as the start of an item,
//! an item syn rejects, or text that does not lex (an unclosed string or comment, a delimiter
//! that does not match) makes [`scan_file`] return `None`, and the caller parses the whole file
//! with `syn::parse_file`, which either succeeds (the file used a form the skim does not know,
//! such as `macro` 2.0 items or a braced const-generic argument in a function signature) or
//! reports the syntax error with its location. Text nested deeper than [`MAX_NESTING`] makes
//! the skim give up too, and such a file is not parsed at all ([`too_deep`] says where): syn's
//! recursion follows the nesting, and a worker's stack holds it only so deep. Groups count,
//! and so does what syn recurses into without brackets: generic arguments, chains such as
//! `&&&x` or `a = b = c` (`lexer::Nesting`). Where it does
//! read a file, it finds exactly the
//! items [`from_syn`](super::items::from_syn) finds in syn's tree: the tests below hold it to
//! that, on crafted text, on every prefix of a file with noise spliced in, and on real code
//! (`agrees_with_a_full_parse_on_real_code`; `ECSDEF_SCAN_CORPUS` widens it to any folder, such
//! as `~/.cargo/registry/src`). The one difference from a full parse is deliberate: a syntax
//! error inside an item discovery skips (a function body, say) is not reported here. The
//! compiler reports it, and the declarations in the rest of the file are still found.

mod declared;
mod lexer;

use std::ops::Range;

use proc_macro2::Delimiter;

use syn::{Attribute, Item, Visibility};

use self::lexer::{IDENT_BYTE, Kind, Lexer, MAX_DEPTH, Step, Tok, is_group, is_path_sep, is_punct};
use super::items::{ModItem, ModItemKind, TextOrigin, from_syn_item, is_read_on_others};

/// The items of a file discovery reads, or `None` when the file should be parsed in full
/// (see the module documentation).
pub(crate) fn scan_file(source: &str) -> Option<Vec<ModItem>> {
    let start = skip_bom_and_shebang(source);
    let skim = Skim::new(source);
    // A file's own inner attributes are not read (as with a full parse, where discovery reads
    // only `File::items`).
    skim.module(start..source.len()).map(|(_, items)| items)
}

/// How deep text may nest in a file discovery reads (groups, and what syn recurses into
/// without brackets, see `lexer::Nesting`): the skim follows no deeper, nor hands deeper text
/// to syn, whose recursion follows the nesting (the workers' stacks are sized for it).
pub(crate) const MAX_NESTING: usize = MAX_DEPTH;

/// The line and column (from 1) of the first place nested deeper than [`MAX_NESTING`], if
/// one is: checked before a file the skim could not read goes to `syn::parse_file`.
pub(crate) fn too_deep(source: &str) -> Option<(usize, usize)> {
    let at = Lexer::new(source, 0..source.len(), false).first_too_deep()?;
    Some(Skim::new(source).position(at))
}

/// Where `syn::parse_file` starts: after a byte order mark, and after a first line starting
/// with `#!` that is not an inner attribute (its newline is kept, so lines keep their numbers).
fn skip_bom_and_shebang(source: &str) -> usize {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    if let Some(after) = rest.strip_prefix("#!")
        && !after.trim_start().starts_with('[')
    {
        return rest
            .find('\n')
            .map_or(source.len(), |newline| start + newline);
    }
    start
}

/// One file being skimmed: its text, and where the last position asked for is.
struct Skim<'a> {
    src: &'a str,
    /// The byte offset of the last position asked for and its line: items are read in the
    /// order they are written, so the next position is counted from there, and the file's
    /// newlines are counted about once, only as far as its last item that needs a position.
    last: std::cell::Cell<(usize, usize)>,
    /// Where the file's doc comments are, in order: found by the first pass over the whole
    /// file, `None` before it.
    docs: std::cell::RefCell<Option<Vec<Range<usize>>>>,
    /// The tokens inside the body of each deriving struct, by where the body starts: made
    /// by the pass over the struct's level, which would otherwise skip the body only for the
    /// struct's reader to lex it again ([`Skim::take_body`]).
    bodies: std::cell::RefCell<Vec<(usize, Vec<Tok>)>>,
}

/// How an item ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// At the first `;` at its level (`use`, `const`, `static`, `type`, `extern crate`).
    Semi,
    /// At the first brace-delimited group or `;` at its level, whichever comes first.
    BraceOrSemi,
}

impl<'a> Skim<'a> {
    fn new(src: &'a str) -> Self {
        Skim {
            src,
            last: std::cell::Cell::new((0, 1)),
            docs: std::cell::RefCell::new(None),
            bodies: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// Line (from 1) and column (from 1, in characters) of a byte offset.
    #[expect(
        clippy::naive_bytecount,
        reason = "the text between two items; the compiler vectorizes this count, which is \
                  not worth the `bytecount` dependency"
    )]
    fn position(&self, at: usize) -> (usize, usize) {
        let bytes = self.src.as_bytes();
        let (from, line) = match self.last.get() {
            (from, line) if from <= at => (from, line),
            _ => (0, 1),
        };
        let line = line + bytes[from..at].iter().filter(|&&b| b == b'\n').count();
        self.last.set((at, line));
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        (line, self.src[line_start..at].chars().count() + 1)
    }

    /// Where the byte offset `at` is, as the origin of a piece tokenized from there.
    fn origin(&self, at: usize) -> TextOrigin {
        let (line, column) = self.position(at);
        TextOrigin::new(line, column)
    }

    /// The text of `range`, preceded by as many newlines and spaces as there are lines and
    /// columns between `origin` (a byte offset at or before it) and its start: tokenized
    /// alone, its spans count from [`Skim::origin`]`(origin)`. Nothing is added when `range`
    /// starts at `origin`, which is how every item is read, so that no item pays for the lines
    /// of the file before it.
    fn placed(&self, origin: usize, range: Range<usize>) -> std::borrow::Cow<'a, str> {
        let text = &self.src[range.clone()];
        if origin == range.start {
            return text.into();
        }
        let (origin_line, origin_column) = self.position(origin);
        let (line, column) = self.position(range.start);
        let mut padded = String::new();
        if line == origin_line {
            padded.extend(std::iter::repeat_n(' ', column - origin_column));
        } else {
            padded.extend(std::iter::repeat_n('\n', line - origin_line));
            padded.extend(std::iter::repeat_n(' ', column - 1));
        }
        padded.push_str(text);
        padded.into()
    }

    /// Whether the text in `range` nests deeper than syn may follow (see [`too_deep`]): then
    /// the skim gives up, and the file's diagnostic says where.
    fn nests_too_deep(&self, range: Range<usize>) -> bool {
        lexer::may_nest_too_deep(&self.src.as_bytes()[range.clone()])
            && Lexer::new(self.src, range, false)
                .first_too_deep()
                .is_some()
    }

    /// The item written in `range`, with its origin.
    fn parse<T: syn::parse::Parse>(&self, range: Range<usize>) -> Option<(T, TextOrigin)> {
        if self.nests_too_deep(range.clone()) {
            return None;
        }
        let origin = self.origin(range.start);
        Some((syn::parse_str(&self.src[range]).ok()?, origin))
    }

    /// The deriving struct written in `range`, with its origin, read without its doc comments,
    /// since nothing discovery or the front end reads is in them, and turning each into a
    /// `#[doc = "..."]` attribute would be much of the work on a documented struct. A line
    /// comment (`/// ...`) is left out whole: it runs to the end of its line, so no token
    /// follows it there, and every later line keeps its number and its columns. A block
    /// comment is spaces to the tokenizer, its line breaks kept, as a token may follow it on
    /// its last line.
    fn parse_struct(&self, range: Range<usize>) -> Option<(syn::ItemStruct, TextOrigin)> {
        let docs = self.docs.borrow();
        let docs = docs.as_deref().unwrap_or_default();
        let first = docs.partition_point(|doc| doc.start < range.start);
        let last = docs.partition_point(|doc| doc.start < range.end);
        if first == last {
            return self.parse(range);
        }
        if self.nests_too_deep(range.clone()) {
            return None;
        }
        let mut text = String::with_capacity(range.len());
        let mut at = range.start;
        for doc in &docs[first..last] {
            text.push_str(&self.src[at..doc.start]);
            let comment = &self.src[doc.clone()];
            if !comment.starts_with("//") {
                text.extend(
                    comment
                        .chars()
                        .map(|c| if matches!(c, '\n' | '\r') { c } else { ' ' }),
                );
            }
            at = doc.end;
        }
        text.push_str(&self.src[at..range.end]);
        let origin = self.origin(range.start);
        Some((syn::parse_str(&text).ok()?, origin))
    }

    fn text(&self, tok: Tok) -> &'a str {
        &self.src[tok.start..tok.end]
    }

    /// The tokens of one level: a module's body, a file, a struct's fields.
    fn tokens(&self, range: Range<usize>) -> Option<Vec<Tok>> {
        // The first pass is over the whole file: it notes where the doc comments are.
        let first = self.docs.borrow().is_none();
        // Room for a token of every 16 bytes, so that the list seldom grows: a level's
        // groups are one token each, and its words and punctuation are a few bytes apart.
        let mut tokens = Vec::with_capacity(range.len() / 16);
        let mut lexer = Lexer::new(self.src, range, first);
        loop {
            if self.deriving_struct_before(&tokens) && lexer.next_is(b'{')? {
                let (body, inside) = lexer.group_and_inside(0)?;
                self.bodies.borrow_mut().push((body.start, inside));
                tokens.push(body);
                continue;
            }
            match lexer.step(0)? {
                Step::Tok(tok) => tokens.push(tok),
                Step::Eof => break,
                Step::Close => return None,
            }
        }
        if first {
            *self.docs.borrow_mut() = lexer.into_docs();
        }
        Some(tokens)
    }

    /// Whether `tokens` end with `struct NAME` after attributes one of which may derive (as
    /// [`Skim::may_derive`] tells): a body that follows is the fields a declaration's reader
    /// reads.
    fn deriving_struct_before(&self, tokens: &[Tok]) -> bool {
        let [.., keyword, name] = tokens else {
            return false;
        };
        if name.kind != Kind::Ident || !self.is_word(Some(keyword), "struct") {
            return false;
        }
        // Back over the visibility, then the outer attributes and doc comments.
        let mut i = tokens.len() - 2;
        if i >= 2
            && is_group(tokens.get(i - 1), Delimiter::Parenthesis)
            && self.is_word(tokens.get(i - 2), "pub")
        {
            i -= 2;
        } else if i >= 1 && self.is_word(tokens.get(i - 1), "pub") {
            i -= 1;
        }
        let attrs_end = i;
        while i >= 1 {
            if matches!(tokens[i - 1].kind, Kind::Doc { inner: false }) {
                i -= 1;
            } else if i >= 2
                && is_group(tokens.get(i - 1), Delimiter::Bracket)
                && is_punct(tokens.get(i - 2), b'#')
            {
                i -= 2;
            } else {
                break;
            }
        }
        // In their order, as `derive` usually comes first: `#[ecs(...)]`'s text is longer.
        tokens[i..attrs_end]
            .iter()
            .any(|t| t.kind == Kind::Group(Delimiter::Bracket) && self.may_derive(*t))
    }

    /// Whether the outer attribute in the bracket group `group` may derive (`derive`, or a
    /// `cfg_attr` that may hold one): then its struct goes to the declarations' reader.
    fn may_derive(&self, group: Tok) -> bool {
        let text = self.text(group);
        text.contains("derive") || text.contains("cfg_attr")
    }

    /// The tokens inside the body of a deriving struct that starts at `start`, which the pass
    /// over its level made ([`Skim::tokens`]); `None`, and the struct is parsed with syn, for
    /// a body that pass did not see as a deriving struct's.
    fn take_body(&self, start: usize) -> Option<Vec<Tok>> {
        let mut bodies = self.bodies.borrow_mut();
        let at = bodies.iter().rposition(|(body, _)| *body == start)?;
        Some(bodies.swap_remove(at).1)
    }

    /// A module's items, and the ranges of its inner attributes.
    fn module(&self, range: Range<usize>) -> Option<(Vec<Range<usize>>, Vec<ModItem>)> {
        let tokens = self.tokens(range)?;
        let mut inner = Vec::new();
        let mut items = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // Inner attributes (`#![...]`, `//!`) belong to the module, not to an item.
            if is_punct(tokens.get(i), b'#')
                && is_punct(tokens.get(i + 1), b'!')
                && is_group(tokens.get(i + 2), Delimiter::Bracket)
            {
                inner.push(tokens[i].start..tokens[i + 2].end);
                i += 3;
                continue;
            }
            if let Some(Kind::Doc { inner: true }) = tokens.get(i).map(|t| t.kind) {
                inner.push(tokens[i].start..tokens[i].end);
                i += 1;
                continue;
            }
            let start = i;
            loop {
                if is_punct(tokens.get(i), b'#') && is_group(tokens.get(i + 1), Delimiter::Bracket)
                {
                    i += 2;
                } else if matches!(
                    tokens.get(i).map(|t| t.kind),
                    Some(Kind::Doc { inner: false })
                ) {
                    i += 1;
                } else {
                    break;
                }
            }
            let attrs_end = i;
            let mut public = false;
            if self.is_word(tokens.get(i), "pub") {
                public = true;
                i += 1;
                if is_group(tokens.get(i), Delimiter::Parenthesis) {
                    i += 1;
                }
            }
            let (end, item) = self.item_at(&tokens, start..attrs_end, i, public)?;
            items.extend(item);
            i = end + 1;
        }
        Some((inner, items))
    }

    /// The tree of a `use` item from its tokens after `use` (the `;` left out), with its
    /// leading `::`; `None` for anything but identifiers, `::`, `as`, `*`, `_` after `as`, and
    /// brace groups (raw and non-ASCII identifiers, comments, macros), which syn reads instead.
    /// `depth` counts the groups around `tokens`.
    fn use_tree_of(
        &self,
        tokens: &[Tok],
        depth: usize,
    ) -> Option<(Option<syn::Token![::]>, syn::UseTree)> {
        let (leading_colon, rest) = if is_path_sep(tokens, 0) {
            (Some(syn::token::PathSep::default()), &tokens[2..])
        } else {
            (None, tokens)
        };
        let (tree, used) = self.use_tree(rest, depth)?;
        (used == rest.len()).then_some((leading_colon, tree))
    }

    /// One use tree at the start of `tokens`, and how many tokens it took.
    fn use_tree(&self, tokens: &[Tok], depth: usize) -> Option<(syn::UseTree, usize)> {
        let span = proc_macro2::Span::call_site();
        let first = tokens.first()?;
        match first.kind {
            Kind::Punct(b'*') => Some((
                syn::UseTree::Glob(syn::UseGlob {
                    star_token: syn::token::Star::default(),
                }),
                1,
            )),
            Kind::Group(Delimiter::Brace) if depth < MAX_DEPTH => {
                let inner = self.tokens(first.start + 1..first.end - 1)?;
                let mut items = syn::punctuated::Punctuated::new();
                let mut at = 0;
                while at < inner.len() {
                    let (tree, used) = self.use_tree(&inner[at..], depth + 1)?;
                    items.push_value(tree);
                    at += used;
                    match inner.get(at) {
                        None => {}
                        Some(t) if t.kind == Kind::Punct(b',') => {
                            items.push_punct(syn::token::Comma::default());
                            at += 1;
                        }
                        Some(_) => return None,
                    }
                }
                Some((
                    syn::UseTree::Group(syn::UseGroup {
                        brace_token: syn::token::Brace::default(),
                        items,
                    }),
                    1,
                ))
            }
            Kind::Ident => {
                let text = self.plain_ident(*first)?;
                // What syn takes here: an identifier, or one of four keywords.
                if is_keyword(text) && !matches!(text, "self" | "super" | "crate" | "try") {
                    return None;
                }
                let ident = syn::Ident::new(text, span);
                if is_path_sep(tokens, 1) {
                    let (tree, used) = self.use_tree(&tokens[3..], depth)?;
                    return Some((
                        syn::UseTree::Path(syn::UsePath {
                            ident,
                            colon2_token: syn::token::PathSep::default(),
                            tree: Box::new(tree),
                        }),
                        3 + used,
                    ));
                }
                if self.is_word(tokens.get(1), "as") {
                    let rename = tokens.get(2)?;
                    // An identifier (no keyword) or `_`.
                    let rename = match rename.kind {
                        Kind::Ident if self.text(*rename) == "_" => syn::Ident::new("_", span),
                        Kind::Ident => {
                            let text = self.plain_ident(*rename)?;
                            if is_keyword(text) {
                                return None;
                            }
                            syn::Ident::new(text, span)
                        }
                        _ => return None,
                    };
                    return Some((
                        syn::UseTree::Rename(syn::UseRename {
                            ident,
                            as_token: syn::token::As::default(),
                            rename,
                        }),
                        3,
                    ));
                }
                Some((syn::UseTree::Name(syn::UseName { ident }), 1))
            }
            _ => None,
        }
    }

    /// The word `tok` spells, when it is a plain ASCII one (not raw, not with other
    /// characters: syn reads those with its own rules). Keywords are the caller's to judge.
    fn plain_ident(&self, tok: Tok) -> Option<&'a str> {
        let text = self.text(tok);
        let bytes = text.as_bytes();
        let plain = tok.kind == Kind::Ident
            && bytes
                .first()
                .is_some_and(|&b| b == b'_' || b.is_ascii_alphabetic())
            && bytes.iter().all(|&b| IDENT_BYTE[usize::from(b)]);
        plain.then_some(text)
    }

    fn is_word(&self, tok: Option<&Tok>, word: &str) -> bool {
        matches!(tok, Some(t) if t.kind == Kind::Ident && self.text(*t) == word)
    }

    /// The outer attributes in `tokens[attrs]` that discovery reads on this kind of item, and
    /// where they begin.
    fn read_attrs(
        &self,
        tokens: &[Tok],
        attrs: Range<usize>,
    ) -> Option<(Vec<Attribute>, TextOrigin)> {
        if attrs.is_empty() {
            return Some((Vec::new(), TextOrigin::FILE));
        }
        let range = tokens[attrs.start].start..tokens[attrs.end - 1].end;
        let origin = range.start;
        Some((
            self.attrs_read_on_others(origin, range, Attribute::parse_outer)?,
            self.origin(origin),
        ))
    }

    /// The attributes written in `range` (outer or inner, by `parser`) that discovery reads on
    /// items other than deriving structs, their spans counted from `origin`: parsed only when
    /// the text mentions one.
    fn attrs_read_on_others(
        &self,
        origin: usize,
        range: Range<usize>,
        parser: fn(syn::parse::ParseStream<'_>) -> syn::Result<Vec<Attribute>>,
    ) -> Option<Vec<Attribute>> {
        let text = &self.src[range.clone()];
        if !text.contains("cfg") && !text.contains("path") {
            return Some(Vec::new());
        }
        if self.nests_too_deep(range.clone()) {
            return None;
        }
        let parsed = syn::parse::Parser::parse_str(parser, &self.placed(origin, range)).ok()?;
        Some(parsed.into_iter().filter(is_read_on_others).collect())
    }

    /// Recognises the item whose keyword-or-qualifier is `tokens[i]`; its attributes are
    /// `tokens[attrs]`. Returns the index of its last token and, for the items discovery
    /// reads, the item.
    #[expect(clippy::too_many_lines, reason = "one arm per kind of item")]
    fn item_at(
        &self,
        tokens: &[Tok],
        attrs: Range<usize>,
        mut i: usize,
        public: bool,
    ) -> Option<(usize, Option<ModItem>)> {
        let first = tokens.get(attrs.start)?.start;
        let whole = |end: usize| first..tokens[end].end;
        loop {
            let tok = tokens.get(i)?;
            if tok.kind != Kind::Ident {
                // `::path!(...)`: a macro call from a leading `::` path.
                return Self::macro_call(tokens, i).map(|end| (end, None));
            }
            let word = self.text(*tok);
            match word {
                "use" => {
                    let end = find_end(tokens, i, End::Semi)?;
                    // Most `use` items are plain paths, groups, renames and globs: read from
                    // the tokens, without tokenizing them again for syn.
                    if attrs.is_empty()
                        && let Some((leading_colon, tree)) =
                            self.use_tree_of(&tokens[i + 1..end], 0)
                    {
                        let item = syn::ItemUse {
                            attrs: Vec::new(),
                            vis: if public {
                                Visibility::Public(syn::token::Pub::default())
                            } else {
                                Visibility::Inherited
                            },
                            use_token: syn::token::Use::default(),
                            leading_colon,
                            tree,
                            semi_token: syn::token::Semi::default(),
                        };
                        let origin = self.origin(first);
                        return Some((end, from_syn_item(Item::Use(item), origin)));
                    }
                    let (item, origin) = self.parse::<syn::ItemUse>(whole(end))?;
                    return Some((end, from_syn_item(Item::Use(item), origin)));
                }
                "extern" if self.is_word(tokens.get(i + 1), "crate") => {
                    let end = find_end(tokens, i, End::Semi)?;
                    let (item, origin) = self.parse::<syn::ItemExternCrate>(whole(end))?;
                    return Some((end, from_syn_item(Item::ExternCrate(item), origin)));
                }
                "struct" => {
                    let end = find_end(tokens, i, End::BraceOrSemi)?;
                    let derives = attrs.clone().any(|a| {
                        tokens[a].kind == Kind::Group(Delimiter::Bracket)
                            && self.may_derive(tokens[a])
                    });
                    if derives {
                        if let Some(item) = self.declared(tokens, attrs.clone(), i, end, public) {
                            return Some((end, Some(item)));
                        }
                        let (item, origin) = self.parse_struct(whole(end))?;
                        return Some((end, from_syn_item(Item::Struct(item), origin)));
                    }
                    return self.named(tokens, attrs, i, end, public, "struct");
                }
                "mod" => {
                    let name = tokens.get(i + 1).filter(|t| t.kind == Kind::Ident)?;
                    let body = tokens.get(i + 2)?;
                    let (content, inner) = match body.kind {
                        Kind::Punct(b';') => (None, Vec::new()),
                        Kind::Group(Delimiter::Brace) => {
                            let (inner, items) = self.module(body.start + 1..body.end - 1)?;
                            (Some(items), inner)
                        }
                        _ => return None,
                    };
                    // The outer attributes, then an inline module's inner ones (`#![cfg(...)]`),
                    // as syn's `ItemMod::attrs` has them, all counted from the first.
                    let outer = (!attrs.is_empty())
                        .then(|| tokens[attrs.start].start..tokens[attrs.end - 1].end);
                    let origin = outer
                        .as_ref()
                        .or(inner.first())
                        .map_or(name.start, |range| range.start);
                    let mut item_attrs = match outer {
                        Some(range) => {
                            self.attrs_read_on_others(origin, range, Attribute::parse_outer)?
                        }
                        None => Vec::new(),
                    };
                    for range in inner {
                        item_attrs.extend(self.attrs_read_on_others(
                            origin,
                            range,
                            Attribute::parse_inner,
                        )?);
                    }
                    let (line, column) = self.position(name.start);
                    let item = ModItem {
                        origin: self.origin(origin),
                        attrs: item_attrs,
                        kind: ModItemKind::Mod {
                            public,
                            name: self.text(*name).to_owned(),
                            line,
                            column,
                            content,
                        },
                    };
                    return Some((i + 2, Some(item)));
                }
                "type" if tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident) => {
                    let end = find_end(tokens, i, End::Semi)?;
                    let (item, origin) = self.parse::<syn::ItemType>(whole(end))?;
                    return Some((end, from_syn_item(Item::Type(item), origin)));
                }
                "enum" | "union" | "trait"
                    if tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident) =>
                {
                    let (end, keyword) = match word {
                        "enum" => (find_end(tokens, i, End::BraceOrSemi)?, "enum"),
                        "union" => (find_end(tokens, i, End::BraceOrSemi)?, "union"),
                        _ => (find_end(tokens, i, End::BraceOrSemi)?, "trait"),
                    };
                    return self.named(tokens, attrs, i, end, public, keyword);
                }
                "fn" | "impl" => return find_end(tokens, i, End::BraceOrSemi).map(|e| (e, None)),
                "static" => return find_end(tokens, i, End::Semi).map(|e| (e, None)),
                // `const fn`, `const unsafe fn`: a qualifier; `const NAME: T = ...;` or `const _`.
                "const" => {
                    let next = tokens.get(i + 1).filter(|t| t.kind == Kind::Ident)?;
                    if ["fn", "unsafe", "async", "extern"].contains(&self.text(*next)) {
                        i += 1;
                    } else {
                        return find_end(tokens, i, End::Semi).map(|e| (e, None));
                    }
                }
                // `extern "C" fn`, `extern "C" { ... }`, `extern { ... }`.
                "extern" => {
                    i += 1;
                    if tokens.get(i).is_some_and(|t| t.kind == Kind::Literal) {
                        i += 1;
                    }
                    if is_group(tokens.get(i), Delimiter::Brace) {
                        return Some((i, None));
                    }
                }
                "unsafe" | "async" | "default" | "auto" | "safe" => i += 1,
                "macro_rules" if is_punct(tokens.get(i + 1), b'!') => {
                    // `macro_rules! name { ... }` or `macro_rules! name ( ... );`
                    if tokens.get(i + 2).is_none_or(|t| t.kind != Kind::Ident) {
                        return None;
                    }
                    return group_then_maybe_semi(tokens, i + 3).map(|e| (e, None));
                }
                _ => return Self::macro_call(tokens, i).map(|end| (end, None)),
            }
        }
    }

    /// An item of which only the name counts (`keyword` at `tokens[i]`, its name next).
    fn named(
        &self,
        tokens: &[Tok],
        attrs: Range<usize>,
        i: usize,
        end: usize,
        public: bool,
        keyword: &'static str,
    ) -> Option<(usize, Option<ModItem>)> {
        let name = tokens.get(i + 1).filter(|t| t.kind == Kind::Ident)?;
        let (attrs, origin) = self.read_attrs(tokens, attrs)?;
        let item = ModItem {
            origin,
            attrs,
            kind: ModItemKind::Other {
                public,
                name: self.text(*name).to_owned(),
                keyword,
            },
        };
        Some((end, Some(item)))
    }

    /// A macro call in item position, `path!(...);`, `path![...];` or `path! { ... }`,
    /// starting at `i`; the index of its last token.
    fn macro_call(tokens: &[Tok], mut i: usize) -> Option<usize> {
        if is_path_sep(tokens, i) {
            i += 2;
        }
        loop {
            if tokens.get(i).is_none_or(|t| t.kind != Kind::Ident) {
                return None;
            }
            i += 1;
            if is_punct(tokens.get(i), b'!') {
                return group_then_maybe_semi(tokens, i + 1);
            }
            if !is_path_sep(tokens, i) {
                return None;
            }
            i += 2;
        }
    }
}

/// A group at `i`: a braced one ends the item, any other must be followed by `;`.
fn group_then_maybe_semi(tokens: &[Tok], i: usize) -> Option<usize> {
    match tokens.get(i)?.kind {
        Kind::Group(Delimiter::Brace) => Some(i),
        Kind::Group(_) if is_punct(tokens.get(i + 1), b';') => Some(i + 1),
        _ => None,
    }
}

fn find_end(tokens: &[Tok], from: usize, end: End) -> Option<usize> {
    tokens
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, tok)| match tok.kind {
            Kind::Punct(b';') => true,
            Kind::Group(Delimiter::Brace) => end == End::BraceOrSemi,
            _ => false,
        })
        .map(|(index, _)| index)
}

/// The words syn does not take for an identifier (`syn::ident::accept_as_ident`): Rust's
/// keywords, reserved words and `_`.
pub(super) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::super::input::{self, CompactPos, FileToken, FileTree};
    use super::super::items::{StructItem, from_syn, is_public, struct_fields};
    use super::super::modules::task_fields;
    use super::*;

    /// Each token of `tokens`, groups entered, with a punctuation's spacing.
    fn spaced(tokens: proc_macro2::TokenStream) -> Vec<String> {
        use proc_macro2::TokenTree;
        tokens
            .into_iter()
            .flat_map(|token| match token {
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                        proc_macro2::Delimiter::Bracket => ("[", "]"),
                        proc_macro2::Delimiter::Brace => ("{", "}"),
                        proc_macro2::Delimiter::None => ("«", "»"),
                    };
                    let mut inside = vec![open.to_owned()];
                    inside.extend(spaced(group.stream()));
                    inside.push(close.to_owned());
                    inside
                }
                // A joint punctuation (`:` of `::`) marked as such.
                TokenTree::Punct(punct) => match punct.spacing() {
                    proc_macro2::Spacing::Joint => vec![format!("{}~", punct.as_char())],
                    proc_macro2::Spacing::Alone => vec![punct.as_char().to_string()],
                },
                other => vec![other.to_string()],
            })
            .collect()
    }

    /// What a list of items says, in a form a test can compare: kinds, names, visibility,
    /// positions, the attributes kept (by path) and, for `use` items and structs, their tokens.
    fn describe(items: &[ModItem]) -> Vec<String> {
        use quote::ToTokens;
        items
            .iter()
            .map(|item| {
                // Each attribute by path and where it starts in the file.
                let attrs: Vec<String> = item
                    .attrs
                    .iter()
                    .map(|a| {
                        let (line, column) = item.origin.locate(a.pound_token.span.start());
                        format!("{}@{line}:{column}", a.path().to_token_stream())
                    })
                    .collect();
                let attrs = attrs.join(",");
                match &item.kind {
                    ModItemKind::Use(u) => format!(
                        "{}use {}{} [{attrs}]",
                        if is_public(&u.vis) { "pub " } else { "" },
                        if u.leading_colon.is_some() { "::" } else { "" },
                        u.tree.to_token_stream()
                    ),
                    ModItemKind::ExternCrate(e) => format!("extern crate {} [{attrs}]", e.ident),
                    ModItemKind::TypeAlias(t) => format!(
                        "type {}{} = {} [{attrs}]",
                        t.ident,
                        t.generics.to_token_stream(),
                        t.ty.to_token_stream()
                    ),
                    ModItemKind::Mod {
                        public,
                        name,
                        line,
                        column,
                        content,
                    } => format!(
                        "mod {name} pub={public} at {line}:{column} [{attrs}] {:?}",
                        content.as_deref().map(describe)
                    ),
                    ModItemKind::Struct(s) => {
                        // What the summary reads of a deriving struct, whichever way it was
                        // read: its place, visibility, attributes but for `#[ecs(...)]` (in
                        // the front end's input), the input, its fields' types for a task.
                        // A `derive` attribute by its tokens, each with its spacing: the skim
                        // builds it without spans (see `Skim::derive_attr`).
                        let attrs: Vec<String> = item
                            .attrs
                            .iter()
                            .filter(|a| !a.path().is_ident("ecs"))
                            .map(|a| {
                                if a.path().is_ident("derive") {
                                    return spaced(a.meta.to_token_stream()).join(" ");
                                }
                                let (line, column) = item.origin.locate(a.pound_token.span.start());
                                format!("{}@{line}:{column}", a.path().to_token_stream())
                            })
                            .collect();
                        let (line, column, public, input, types) = match s {
                            StructItem::Syn(s) => {
                                let mut whole = s.clone();
                                whole.attrs.clone_from(&item.attrs);
                                let (line, column) = item.origin.locate(s.ident.span().start());
                                (
                                    line,
                                    column,
                                    is_public(&s.vis),
                                    input::from_syn(&whole, item.origin),
                                    task_fields(s, item.origin),
                                )
                            }
                            StructItem::Skimmed(s) => {
                                (s.line, s.column, s.public, s.input.clone(), s.types.clone())
                            }
                        };
                        let types: Vec<String> = types
                            .iter()
                            .map(|t| match &t.ty {
                                Ok(path) => format!("{}: {path}@{}:{}", t.name, t.line, t.column),
                                Err((printed, _)) => {
                                    format!("{}: not {printed}@{}:{}", t.name, t.line, t.column)
                                }
                            })
                            .collect();
                        format!(
                            "struct at {line}:{column} pub={public} [{}] {} types {types:?}",
                            attrs.join(","),
                            show(&input)
                        )
                    }
                    ModItemKind::Other {
                        public,
                        name,
                        keyword,
                    } => format!("{keyword} {name} pub={public} [{attrs}]"),
                }
            })
            .collect()
    }

    /// All of a front end's input, tersely: each name, token and type with its position.
    fn show(input: &input::FileInput) -> String {
        use ecsdef_syntax::input::{Body, EcsAttr};
        fn at(pos: CompactPos) -> String {
            format!(
                "@{}:{}-{}:{}",
                pos.line, pos.column, pos.end_line, pos.end_column
            )
        }
        fn tokens(list: &[FileToken]) -> String {
            let shown: Vec<String> = list
                .iter()
                .map(|token| match &token.tree {
                    FileTree::Ident(text) | FileTree::Literal(text) => {
                        format!("{text}{}", at(token.pos))
                    }
                    FileTree::Punct(c, joint) => {
                        format!("{c}{}{}", if *joint { "+" } else { "" }, at(token.pos))
                    }
                    FileTree::Group(delimiter, inner) => {
                        format!("{delimiter:?}{}({})", at(token.pos), tokens(inner))
                    }
                })
                .collect();
            shown.join(" ")
        }
        /// Each attribute followed by a space.
        fn attrs(attrs: &[EcsAttr<FileToken>]) -> String {
            attrs
                .iter()
                .map(|attr| match attr {
                    EcsAttr::List(list) => format!("#[ecs({})] ", tokens(list)),
                    EcsAttr::NotList(pos) => format!("#[ecs...]{} ", at(*pos)),
                })
                .collect()
        }
        let body = match &input.body {
            Body::Named(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}{}: {}{:?}{}",
                            attrs(&f.attrs),
                            f.name,
                            at(f.name_span),
                            if f.optional { "Option " } else { "" },
                            f.ty,
                            at(f.ty_span)
                        )
                    })
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
            other => format!("{other:?}"),
        };
        format!(
            "{}{}{} {body}",
            attrs(&input.attrs),
            input.name,
            at(input.name_span)
        )
    }

    /// The skim and a full parse agree on `source`, and the skim did not fall back.
    fn same_as_syn(source: &str) -> Vec<String> {
        let scanned = scan_file(source).expect("the skim reads this file");
        let parsed = from_syn(syn::parse_file(source).expect("valid Rust").items);
        assert_eq!(describe(&scanned), describe(&parsed), "{source}");
        describe(&scanned)
    }

    /// A position is counted from the last one asked for when it is not before it, and from
    /// the start of the file otherwise: the same line and column whatever was asked before.
    #[test]
    fn positions_do_not_depend_on_what_was_asked_before() {
        let source = "é 📦\nab\r\n\n  x📦y\n\nlast";
        let expected = |at: usize| {
            let before = &source[..at];
            let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
            (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            )
        };
        let offsets: Vec<usize> = (0..=source.len())
            .filter(|&at| source.is_char_boundary(at))
            .collect();
        let n = offsets.len();
        let orders = [
            (0..n).collect::<Vec<_>>(),
            (0..n).rev().collect(),
            (0..n).map(|i| i * 7 % n).collect(),
            (0..n)
                .map(|i| if i % 2 == 0 { i / 2 } else { n - 1 - i / 2 })
                .collect(),
        ];
        assert_eq!(expected(source.len()), (6, 5));
        for order in orders {
            let skim = Skim::new(source);
            for i in order {
                let at = offsets[i];
                assert_eq!(skim.position(at), expected(at), "at {at}");
            }
        }
    }

    #[test]
    fn reads_the_items_discovery_needs_and_skips_the_rest() {
        let items = same_as_syn(
            r###"#!/usr/bin/env rust
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
/** Block docs about cfg. */
#[cfg_attr(test, derive(Debug))]
struct Unit;
struct Plain { a: u8 }
#[cfg(feature = "x")]
pub mod inline {
    #![doc = "inner"]
    #![cfg(unix)]
    use super::*;
    pub enum E { A = { 1 }, B }
    mod deeper { pub(super) trait T { fn f(&self) {} } }
}
#[path = "other.rs"]
mod other;
mod r#type;
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
fn h<'a>(x: &'a str) -> char {
    // A brace in a comment: }
    /* nested /* block */ comment with " and ' */
    let _s = "a \" } string";
    let _r = r#"raw " } string"#;
    let _b = b'}';
    let _c = '}';
    let _e = '\'';
    let _u = '\u{7d}';
    let _bs = br##"raw "# bytes"##;
    let _cs = c"c string";
    let _l: &'static str = "x";
    'outer: loop { break 'outer; }
    let _n = 1.5e3 + 0x1F as f64 + 1_000.0;
    let _t = (1, 2).0;
    'é'
}
#[cfg(any())]
enum Gone {}
"###,
        );
        assert_eq!(
            items,
            [
                "use std :: collections :: { HashMap as Map , * } []",
                "pub use ::ecsdef :: { Container , TaskDefinition } []",
                "extern crate self []",
                "struct at 10:12 pub=true [derive ( Container )] #[ecs(image@9:7-9:12 =@9:13-9:14 \
                 \"nginx:1.27\"@9:15-9:27)] Web@10:12-10:15 { #[ecs(env@11:11-11:14 \
                 =@11:15-11:16 \"PORT\"@11:17-11:23)] port@12:5-12:9: U16@12:11-12:14 } \
                 types [\"port: u16@12:11\"]",
                "struct Tuple pub=false []",
                "struct at 17:8 pub=false [cfg_attr@16:1] Unit@17:8-17:12 Unit types []",
                "struct Plain pub=false []",
                "mod inline pub=true at 20:9 [cfg@19:1,cfg@22:5] Some([\"use super :: * []\", \
                 \"enum E pub=true []\", \"mod deeper pub=false at 25:9 [] \
                 Some([\\\"trait T pub=true []\\\"])\"])",
                "mod other pub=false at 28:5 [path@27:1] None",
                "mod r#type pub=false at 29:5 [] None",
                "type Alias< T > = Vec < T > []",
                "union U pub=true []",
                "trait Alias2 pub=true []",
                "enum Gone pub=false [cfg@65:1]",
            ]
        );
    }

    #[test]
    fn falls_back_on_what_it_does_not_know() {
        // A braced const-generic argument in a signature ends the "item" early.
        assert!(scan_file("fn f() -> Foo<{ N }> { Foo }").is_none());
        // `macro` 2.0 items.
        assert!(scan_file("pub macro m() {}").is_none());
        // A stray semicolon, which rustc rejects.
        assert!(scan_file("struct A {};").is_none());
        // Text that does not lex.
        assert!(scan_file("struct A { a: u8 ").is_none());
        assert!(scan_file("fn f() { let s = \"open; }").is_none());
        assert!(scan_file("fn f() { /* open }").is_none());
        assert!(scan_file("fn f() { (] }").is_none());
        assert!(scan_file("fn f() { let r = r#\"open\"; }").is_none());
        // An item syn rejects.
        assert!(scan_file("#[derive(Debug)] struct A { a: }").is_none());
        assert!(scan_file("use a::{b;").is_none());
        // A visibility with nothing after it.
        assert!(scan_file("pub").is_none());
        // Nesting deeper than the skim follows.
        let deep = format!("fn f() {{ {}{} }}", "(".repeat(300), ")".repeat(300));
        assert!(scan_file(&deep).is_none());
    }

    /// The check before a full parse counts the groups rustc would, never those inside
    /// literals and comments, and reads on past text that does not lex.
    #[test]
    fn too_deep_counts_the_nesting_syn_would_follow() {
        let nested = |depth: usize| format!("fn f() {}{}", "{".repeat(depth), "}".repeat(depth));
        assert_eq!(too_deep(&nested(MAX_NESTING)), None);
        assert_eq!(
            too_deep(&nested(MAX_NESTING + 1)),
            Some((1, 7 + MAX_NESTING + 1))
        );
        let hidden = "{".repeat(MAX_NESTING + 1);
        for quiet in [
            format!("const S: &str = \"{hidden}\";"),
            format!("const S: &str = r#\"{hidden}\"#;"),
            format!("// {hidden}"),
            format!("/* /* {hidden} */ */"),
            "const C: [char; 3] = ['{', '(', '['];".repeat(MAX_NESTING),
            format!("fn f<'a>(x: &'a u8) {}", "(x)".repeat(MAX_NESTING)),
        ] {
            assert_eq!(too_deep(&quiet), None, "{quiet}");
        }
        // What syn recurses into without brackets, 100,000 deep, is refused; so are 300.
        for depth in [300, 100_000] {
            for loud in [
                format!("struct S {{ f: {}u8 }}", "&".repeat(depth)),
                format!("struct S {{ f: {}u8 }}", "&'a mut ".repeat(depth)),
                format!("type T = {}u8{};", "Vec<".repeat(depth), ">".repeat(depth)),
                format!("fn f() -> bool {{ {}true }}", "!".repeat(depth)),
                format!("const X: i32 = {}1;", "- ".repeat(depth)),
                format!("fn f() {{ let mut a = 0; {}1; }}", "a = ".repeat(depth)),
                format!("fn f() {{ let _ = {}1; }}", "|x| ".repeat(depth)),
                format!("fn f() {{ {}; }}", "return ".repeat(depth)),
                format!("type F = {}();", "fn() -> ".repeat(depth)),
                format!("fn f(a: bool) {{ {}{{}} }}", "if a {} else ".repeat(depth)),
            ] {
                assert!(too_deep(&loud).is_some(), "{}", &loud[..80.min(loud.len())]);
            }
        }
        // Such forms one after another, each ended, are not nesting.
        for quiet in [
            "fn f() -> u8 { 1 }\n".repeat(1_000),
            "fn f() { if a < b { x = 1; } }\n".repeat(1_000),
            "fn f(a: &&&u8) -> Vec<Vec<u8>> { if a {} else if b {} else {} }\n".repeat(1_000),
            format!("fn f() {{ match x {{ {} }} }}", "A | B => 1,".repeat(1_000)),
            format!("const A: [u8; 1000] = [{}];", "1, ".repeat(1_000)),
            format!(
                "struct S {{ {} }}",
                "a: Vec<Option<&'static str>>, ".repeat(1_000)
            ),
        ] {
            assert_eq!(too_deep(&quiet), None, "{}", &quiet[..80]);
        }
        // Past an unclosed comment, a stray closing delimiter, a mismatched one.
        for loud in [
            format!("/* {hidden}"),
            format!("}}}} fn f() {hidden}"),
            format!("fn f() ({hidden}]"),
        ] {
            assert!(too_deep(&loud).is_some(), "{loud}");
        }
    }

    /// The quick bound checked before the nesting itself never lets deep text through:
    /// wherever `first_too_deep` finds a place, the bound says the text may nest too deep. On
    /// random text made mostly of what adds a level (delimiters, prefixes, chains, keywords),
    /// with literals, comments and text that does not lex among it.
    #[test]
    fn the_quick_bound_never_hides_deep_nesting() {
        const PIECES: [&str; 28] = [
            "(", "[", "{", "<", "&", "*", "!", "-", ".", "=", "|", "->", "return ", "else ",
            "break ", "yield ", ")", "]", "}", ">", ";", ",", "a ", "\"(\" ", "'{' ", "/* { */",
            "// (\n", "\"",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap() % bound
        };
        let (mut deep, mut shallow) = (0, 0);
        for _ in 0..3_000 {
            let len = 1 + next(700);
            // Mostly pieces that add a level, so that a good share nests too deep.
            let text: String = (0..len)
                .map(|_| PIECES[if next(4) == 0 { next(28) } else { next(16) }])
                .collect();
            let found = Lexer::new(&text, 0..text.len(), false).first_too_deep();
            if found.is_some() {
                deep += 1;
                assert!(lexer::may_nest_too_deep(text.as_bytes()), "{text}");
            } else if !lexer::may_nest_too_deep(text.as_bytes()) {
                shallow += 1;
            }
        }
        assert!(
            deep > 100 && shallow > 100,
            "{deep} deep, {shallow} bounded"
        );
        // Each form alone, just deep enough.
        let depth = MAX_NESTING + 1;
        for form in [
            format!("fn f() {}", "{".repeat(depth)),
            format!("struct S {{ f: {}u8 }}", "&".repeat(depth)),
            format!("type T = {}u8;", "Vec<".repeat(depth)),
            format!("fn f() -> bool {{ {}true }}", "!".repeat(depth)),
            format!("const X: i32 = {}1;", "-".repeat(depth)),
            format!("fn f() {{ {}1; }}", "a = ".repeat(depth)),
            format!("fn f() {{ {}1; }}", "|x| ".repeat(depth)),
            format!("fn f() {{ {}; }}", "return ".repeat(depth)),
            format!("fn f() {{ {}; }}", "break ".repeat(depth)),
            format!("fn f() {{ {}; }}", "yield ".repeat(depth)),
            format!("type F = {}();", "fn() -> ".repeat(depth)),
            format!("fn f(a: bool) {{ {}{{}} }}", "if a {} else ".repeat(depth)),
        ] {
            assert!(too_deep(&form).is_some(), "{}", &form[..40]);
            assert!(lexer::may_nest_too_deep(form.as_bytes()), "{}", &form[..40]);
        }
    }

    #[test]
    fn spans_keep_their_lines_and_columns() {
        let source = "#!/bin/sh\n\n  #[derive(X)] struct A;\nmod m {\n\tpub mod n {\n    #[derive(Y)]\n   struct é { b: u8 } } }";
        let items = scan_file(source).unwrap();
        let ModItemKind::Struct(StructItem::Syn(a)) = &items[0].kind else {
            panic!("a struct syn read")
        };
        assert_eq!(items[0].origin.locate(a.ident.span().start()), (3, 23));
        let ModItemKind::Mod {
            content: Some(m), ..
        } = &items[1].kind
        else {
            panic!("a module")
        };
        let ModItemKind::Mod {
            line,
            column,
            content: Some(n),
            ..
        } = &m[0].kind
        else {
            panic!("a module")
        };
        assert_eq!((*line, *column), (5, 10));
        let ModItemKind::Struct(StructItem::Syn(e)) = &n[0].kind else {
            panic!("a struct syn read")
        };
        let field = struct_fields(e)
            .and_then(|fields| fields.iter().next())
            .and_then(|field| field.ident.as_ref())
            .unwrap();
        assert_eq!(n[0].origin.locate(field.span().start()), (7, 15));
    }

    /// A deriving struct's doc comments are left out (a line comment whole, a block comment as
    /// spaces to the tokenizer), and so are its `#[doc]` attributes when the file is parsed in
    /// full: positions after them, on the same line or the next, are the file's, whichever
    /// line endings the file has.
    #[test]
    fn doc_comments_of_deriving_structs_are_left_out() {
        let source = "/// é 📦 docs\n/** block\n é */ #[derive(C)] /** x */ struct S {\n    \
                      /// field ✓\n    #[doc = \"explicit\"] /*! odd */ #[ecs(env = \"A\")] a: u8,\n    \
                      /** b */ b: Vec<u8>,\n}\n#[derive(C)]\n/// after\nstruct T;\n";
        // The full parse rejects an inner doc comment on a field; without it, the two agree.
        let valid = source.replace("/*! odd */", "          ");
        let items = same_as_syn(&valid);
        assert_eq!(
            items,
            [
                "struct at 3:36 pub=false [derive ( C )] S@3:36-3:37 { #[ecs(env@5:42-5:45 =@5:46-5:47 \
                 \"A\"@5:48-5:51)] a@5:54-5:55: U8@5:57-5:59, b@6:14-6:15: Other@6:17-6:24 } \
                 types [\"a: u8@5:57\", \"b: not Vec<u8>@6:17\"]",
                "struct at 10:8 pub=false [derive ( C )] T@10:8-10:9 Unit types []",
            ]
        );
        // The skim does not parse what it leaves out: the stray inner doc comment is not seen.
        let skimmed = describe(&scan_file(source).expect("the skim reads it"));
        assert_eq!(skimmed, items);
        let crlf = source.replace('\n', "\r\n");
        assert_eq!(same_as_syn(&valid.replace('\n', "\r\n")), items);
        assert_eq!(
            describe(&scan_file(&crlf).expect("the skim reads it")),
            items
        );
    }

    /// The `use` items the skim reads from its own tokens are the ones syn reads, and the
    /// forms it leaves to syn (raw or non-ASCII names, attributes, doc comments) still come out
    /// as syn reads them.
    #[test]
    fn use_items_read_from_tokens_agree_with_syn() {
        let source = "use a;\nuse a::b::c;\npub use ::std::fmt::{self, Display as D, Write as _};\n\
            pub(crate) use super::super::x::*;\nuse crate::{a::{b, c::{d as e, *}}, f,};\n\
            use self::m::{};\nuse {a as b, c};\nuse try_this::try;\n\
            use r#type::x;\nuse é::x;\n#[cfg(test)] use a::b;\n/// doc\nuse a::c;\n\
            use a :: b;\nuse a:: /* c */ b::{ d , e };\n";
        let skimmed = scan_file(source).expect("the skim reads it");
        let parsed = syn::parse_file(source).expect("valid Rust");
        assert_eq!(describe(&skimmed), describe(&from_syn(parsed.items)));
        let uses = skimmed
            .iter()
            .filter(|i| matches!(i.kind, ModItemKind::Use(_)))
            .count();
        assert_eq!(uses, 14);

        // Which of them the skim reads itself.
        for (item, own) in [
            ("use a::b::c;", true),
            ("use ::std::fmt::{self, Display as D, Write as _};", true),
            ("use crate::{a::{b, c::{d as e, *}}, f,};", true),
            ("use {a as b, c};", true),
            ("use try_this::try;", true),
            ("use a:: /* c */ b::{ d , e };", true),
            ("use r#type::x;", false),
            ("use é::x;", false),
            ("use a as self;", false),
            ("use Self::x;", false),
            ("use a::{::b, c};", false),
            ("use a : : b;", false),
        ] {
            let skim = Skim::new(item);
            let tokens = skim.tokens(0..item.len()).expect("lexes");
            let tree = skim.use_tree_of(&tokens[1..tokens.len() - 1], 0);
            assert_eq!(tree.is_some(), own, "{item}");
        }
    }

    /// No input panics the skim: every prefix of a file with every kind of token, and the
    /// same with a quote, an apostrophe, a comment opener, a backslash or a raw-string opener
    /// spliced in at each character. Where such a text is still Rust, the skim falls back or
    /// finds what a full parse finds.
    #[test]
    fn truncated_and_spliced_text_never_panics() {
        let source = "//! d\n#![a]\n/// x\n#[derive(C)] pub(crate) struct é<'a> { #[ecs(env = \"X\")] a: &'a str, b: [u8; { 2 }] }\n\
             mod m { //! i\n use r#type::{a as b, *}; fn f() { let _ = (r##\"x\"## , b'\\'', '\\u{7d}', c\"s\", 1.5e3, 'l: loop {}); } }\n\
             /* a /* b */ c */ const _: () = {}; m!{} m![]; ::n::m!(); extern crate x as y; type T = u8; enum E { A } trait Z {}\n";
        let splices = [
            "\"", "'", "/*", "\\", "r#\"", "b'", "{", ")", "é", "#", "//",
        ];
        let boundaries: Vec<usize> = source
            .char_indices()
            .map(|(i, _)| i)
            .chain([source.len()])
            .collect();
        let mut agreed = 0;
        let mut check = |text: &str| {
            if let (Some(items), Ok(parsed)) = (scan_file(text), syn::parse_file(text)) {
                assert_eq!(
                    describe(&items),
                    describe(&from_syn(parsed.items)),
                    "{text}"
                );
                agreed += 1;
            }
        };
        for &cut in &boundaries {
            check(&source[..cut]);
            for splice in splices {
                check(&format!("{}{splice}{}", &source[..cut], &source[cut..]));
            }
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        assert!(agreed > 100, "{agreed}");
    }

    pub(super) fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
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

    fn count_structs(items: &[ModItem], skimmed: &mut usize, by_syn: &mut usize) {
        for item in items {
            match &item.kind {
                ModItemKind::Struct(StructItem::Skimmed(_)) => *skimmed += 1,
                ModItemKind::Struct(StructItem::Syn(_)) => *by_syn += 1,
                ModItemKind::Mod {
                    content: Some(content),
                    ..
                } => count_structs(content, skimmed, by_syn),
                _ => {}
            }
        }
    }

    /// Whether the first item of `source` is a deriving struct the skim read without syn.
    fn read_without_syn(source: &str) -> bool {
        let items = scan_file(source).expect("the skim reads this file");
        matches!(
            items.first().map(|item| &item.kind),
            Some(ModItemKind::Struct(StructItem::Skimmed(_)))
        )
    }

    /// Deriving structs in the plain form are read without syn, and exactly as syn reads them
    /// (every token, its place and spacing, every field's type); other forms go to syn.
    #[test]
    fn plain_deriving_structs_are_read_without_syn_as_syn_reads_them() {
        for source in [
            "#[derive(Container)] #[ecs(image = \"a:1\", port = 80)] pub struct A { }",
            "#[derive(Container)]\r\n#[ecs(image = \"é 📦 ${TAG}\")]\r\nstruct A {\r\n    \
             #[ecs(env = -1, skip)] pub(crate) a: Option<u8>,\r\n}",
            "/// doc\n#[derive(Debug, ecsdef::Container)]\n#[cfg(feature = \"x\")]\n\
             #[ecs(command = [\"a\", \"b\",], health_check(interval = 15, retries = 3))]\n\
             #[ecs(allow(image-unpinned, \"plaintext-secret-in-env\"))]\n\
             #[ecs(cpu = 0.5, image = IMAGE, tag = concat!(\"a\", \"b\"), x = a::b + -1, y = &&x)]\n\
             struct A {\n    /// doc\n    #[serde(default)]\n    #[ecs(secret = \"s\")]\n    \
             pub b: ::std::option::Option<String>,\n    c: Vec<Vec<u8>>,\n    \
             d: crate::web::Web,\n    e: Option<Option<u8>>,\n    f: Option<Vec<u8>,>\n}",
            "#[derive(TaskDefinition)] #[ecs(family = \"f\", tags(\"a\" = \"b\"), extra_group = {})] \
             struct T { #[ecs(depends_on(container = \"x\"))] web: super::Web, side: Side }",
            "#[derive(Container)] #[ecs(image = \"a\" \"b\", = , port(,), x = [1, [2]], y = 1 2)] \
             struct A { a: u8 }",
            "#[derive(Container)]\n#[ecs(image = \"multi\nline\", port = 8080)]\nstruct A { a: u8, }",
        ] {
            same_as_syn(source);
            assert!(read_without_syn(source), "{source}");
        }
        for source in [
            "#[derive(Container)] struct A<T> { a: T }",
            "#[derive(Container)] struct A;",
            "#[derive(Container)] struct A(u8);",
            "#[cfg_attr(x, derive(Container))] struct A { a: u8 }",
            "#[derive(Container)] #[ecs(extra = r#\"{}\"#)] struct A { a: u8 }",
            "#[derive(Container)] #[ecs(image = \"a\\tb\")] struct A { a: u8 }",
            "#[derive(Container)] #[ecs(port = 8080u16)] struct A { a: u8 }",
            "#[derive(Container)] #[ecs(port = 1e3)] struct A { a: u8 }",
            "#[derive(Container)] #[ecs(l = 'a')] struct A { a: u8 }",
            "#[derive(Container)] #[ecs] struct A { a: u8 }",
            "#[derive(Container)] #[ecs = \"x\"] struct A { a: u8 }",
            "#[derive(Container)] struct A { #[cfg(x)] a: u8 }",
            "#[derive(Container)] struct A { #[cfg_attr(x, ecs(skip))] a: u8 }",
            "#[derive(Container)] struct A { a: &'static str }",
            "#[derive(Container)] struct A { a: [u8; 4] }",
            "#[derive(Container)] struct A { a: (u8, u8) }",
            "#[derive(Container)] struct A { a: <T as X>::Y }",
            "#[derive(Container)] struct A { r#type: u8 }",
            "#[derive(Container)] struct A { pub(in crate::x) a: u8 }",
            "#[derive(Container)] struct é { a: u8 }",
            "#[derive(Container)] struct A where u8: Copy { a: u8 }",
            "#[doc = \"derive\"] struct B { b: u8 }",
        ] {
            same_as_syn(source);
            assert!(!read_without_syn(source), "{source}");
        }
    }

    /// A skimmed struct's `derive` attributes that list plain paths are built from the skim's
    /// tokens, without spans; any other is parsed by syn. Either way they are syn's tokens,
    /// spacing included.
    #[test]
    fn plain_derive_lists_are_built_without_syn_as_syn_parses_them() {
        // Whether each `derive` attribute of the one struct was built (no span) or parsed.
        let built = |source: &str| -> Vec<bool> {
            let items = scan_file(source).expect("skimmed");
            let ModItemKind::Struct(StructItem::Skimmed(_)) = &items[0].kind else {
                panic!("{source}: not read without syn");
            };
            items[0]
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("derive"))
                .map(|a| a.pound_token.span.byte_range().is_empty())
                .collect()
        };
        for (list, plain) in [
            ("Container", true),
            ("Debug, ecsdef::Container", true),
            ("::ecsdef::Container,", true),
            ("Clone ,Container , Debug", true),
            ("a ::b:: Container,::c", true),
            ("", true),
            ("Container<T>", false),
            ("r#Container", false),
            ("self::Container", false),
            ("crate::Container", false),
            ("Container = 1", false),
            ("(Container)", false),
            ("Container;", false),
            ("ecsdef:Container", true),
            ("a::Container::<u8>", false),
        ] {
            let source = format!("#[derive({list})]\n#[derive(Debug)] struct A {{ a: u8 }}");
            same_as_syn(&source);
            assert_eq!(built(&source), [plain, true], "{source}");
        }
        for source in [
            "#[derive[Container]] struct A { a: u8 }",
            "#[derive{Container}] struct A { a: u8 }",
            "#[derive = \"Container\"] struct A { a: u8 }",
        ] {
            same_as_syn(source);
        }
    }

    /// On every Rust file of this repository (and, for a wider check, of the folder in
    /// `ECSDEF_SCAN_CORPUS`, such as `~/.cargo/registry/src`), the skim either falls back or
    /// finds exactly what a full parse finds; and on this repository it rarely falls back.
    #[test]
    fn agrees_with_a_full_parse_on_real_code() {
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut roots = vec![repository];
        roots.extend(std::env::var_os("ECSDEF_SCAN_CORPUS").map(Into::into));
        let (mut scanned, mut fell_back, mut invalid) = (0, 0, 0);
        // Deriving structs read without syn, and with it.
        let (mut skimmed, mut by_syn) = (0, 0);
        // Valid files the depth bound refuses: none of this repository may be.
        let mut too_deep_files = Vec::new();
        for root in roots {
            let mut files = Vec::new();
            rust_files(&root, &mut files);
            files.sort();
            for file in files {
                let Ok(source) = std::fs::read_to_string(&file) else {
                    continue;
                };
                let Ok(parsed) = syn::parse_file(&source) else {
                    invalid += 1;
                    continue;
                };
                if let Some(at) = too_deep(&source) {
                    eprintln!("too deep: {}:{}:{}", file.display(), at.0, at.1);
                    too_deep_files.push(file.clone());
                }
                match scan_file(&source) {
                    Some(items) => {
                        scanned += 1;
                        count_structs(&items, &mut skimmed, &mut by_syn);
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
        eprintln!(
            "{scanned} files scanned, {fell_back} fell back, {invalid} not valid Rust, {} too \
             deep; {skimmed} deriving structs read without syn, {by_syn} with it",
            too_deep_files.len()
        );
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(
            !too_deep_files.iter().any(|f| f.starts_with(&repository)),
            "{too_deep_files:?}"
        );
        assert!(
            too_deep_files.len() * 1000 <= scanned + fell_back,
            "{} of {} too deep",
            too_deep_files.len(),
            scanned + fell_back
        );
        assert!(scanned > 100, "{scanned}");
        assert!(
            fell_back * 50 < scanned,
            "{fell_back} of {scanned} fell back"
        );
    }
}
