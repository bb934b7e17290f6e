//! Deriving structs read by the skim, without syn: `struct Name { fields }` in its plain form
//! becomes the front end's input ([`FileInput`]) straight from the skim's tokens, each token
//! with its place in the file. Most of a declaration's text is its `#[ecs(...)]` attributes;
//! reading them this way saves tokenizing them for syn, building syn's tree and converting it.
//!
//! Anything outside the plain form (generics, a tuple struct, `cfg_attr` anywhere, `cfg` on a
//! field, a type that is not a path, a literal other than a string without escapes or a
//! decimal number, a doc comment or lifetime inside `#[ecs(...)]`) returns `None`, and the
//! struct is parsed with syn: this reads a struct only where it gives what syn's reading
//! gives, which the tests check on every fixture and on any corpus
//! (`agrees_with_a_full_parse_on_real_code`).
//!
//! The struct's other attributes are syn's `Attribute`s, as discovery reads them (`cfg`,
//! `derive`): a `derive` list of plain paths is built here from the same tokens, any other
//! attribute is parsed by syn.

use std::ops::Range;

use ecsdef_model::rules::FieldType as EnvType;
use ecsdef_syntax::input::{Body, EcsAttr, Field, Input};
use proc_macro2::Delimiter;
use syn::Attribute;

use super::lexer::{
    Descend, IDENT_BYTE, Kind, Lexer, Step, Tok, closer, is_group, is_path_sep, is_punct,
};
use super::{Skim, is_keyword};
use crate::discover::input::{CompactPos, FileToken, FileTree};
use crate::discover::items::{ModItem, ModItemKind, Skimmed, StructItem, TextOrigin};
use crate::discover::modules::{FieldType, TypePath, tidy};

/// Line and column of byte offsets asked for in increasing order, each counted from the last.
struct Cursor<'s, 'a> {
    skim: &'s Skim<'a>,
    at: usize,
    line: usize,
    column: usize,
    /// Where the text is ASCII, one byte a character, from the first offset on: there a
    /// column is a count of bytes, and the lines are counted from `newlines`.
    ascii: Range<usize>,
    /// The offsets of the newlines in `ascii`, found once; the first `next` are before `at`.
    newlines: Vec<usize>,
    next: usize,
}

impl<'s, 'a> Cursor<'s, 'a> {
    /// A cursor at `at`, for offsets up to `end`.
    fn new(skim: &'s Skim<'a>, at: usize, end: usize) -> Self {
        let (line, column) = skim.position(at);
        let text = &skim.src.as_bytes()[at..end];
        let (ascii, newlines) = if text.is_ascii() {
            (at..end, newlines(text, at))
        } else {
            (at..at, Vec::new())
        };
        Cursor {
            skim,
            at,
            line,
            column,
            ascii,
            newlines,
            next: 0,
        }
    }

    /// Line (from 1) and column (from 1, in characters) of `to`. Asked twice for each token,
    /// in order, in ASCII text: that case is inlined, as the call cost a third of the answer;
    /// the others are [`Cursor::at_elsewhere`].
    #[expect(
        clippy::inline_always,
        reason = "`#[inline]` left a call for every token: 13 M instructions of a dense check"
    )]
    #[inline(always)]
    fn at(&mut self, to: usize) -> (usize, usize) {
        if !(self.at <= to && self.ascii.start <= self.at && to <= self.ascii.end) {
            return self.at_elsewhere(to);
        }
        let mut last = None;
        while let Some(&newline) = self.newlines.get(self.next)
            && newline < to
        {
            last = Some(newline);
            self.next += 1;
            self.line += 1;
        }
        self.column = match last {
            None => self.column + (to - self.at),
            Some(newline) => to - newline,
        };
        self.at = to;
        (self.line, self.column)
    }

    /// [`Cursor::at`] out of order, or past ASCII text.
    #[inline(never)]
    fn at_elsewhere(&mut self, to: usize) -> (usize, usize) {
        if to < self.at {
            // Not asked in order: counted from the start of the file.
            (self.line, self.column) = self.skim.position(to);
            self.next = self.newlines.partition_point(|&newline| newline < to);
        } else {
            for &byte in &self.skim.src.as_bytes()[self.at..to] {
                if byte == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else if byte & 0xc0 != 0x80 {
                    // A character starts at every byte that does not continue one
                    // (`0b10xx_xxxx`).
                    self.column += 1;
                }
            }
        }
        self.at = to;
        (self.line, self.column)
    }

    fn pos(&mut self, range: Range<usize>) -> CompactPos {
        let (line, column) = self.at(range.start);
        let (end_line, end_column) = self.at(range.end);
        CompactPos::new(line, column, end_line, end_column)
    }
}

/// A cursor's last offset and line are where the skim counts the next position from: the
/// next item's, after the text the cursor went through.
impl Drop for Cursor<'_, '_> {
    fn drop(&mut self) {
        if self.at >= self.skim.last.get().0 {
            self.skim.last.set((self.at, self.line));
        }
    }
}

/// The offsets of the newlines of `text`, which starts at offset `start`.
fn newlines(text: &[u8], start: usize) -> Vec<usize> {
    // Room for a line of every 16 bytes: declarations' lines are longer, so the list is
    // allocated once.
    let mut found = Vec::with_capacity(text.len() / 16);
    found.extend(memchr::memchr_iter(b'\n', text).map(|at| start + at));
    found
}

/// What an outer attribute is, by its first tokens.
enum AttrKind<'t> {
    /// `#[ecs(...)]`: the tokens inside the parentheses.
    Ecs(Vec<FileToken>),
    /// `#[name ...]` of another plain name: syn reads it.
    Other(&'t str),
}

/// A type in the plain form: `::a::b<T, U>::C`.
struct PathType {
    leading_colon: bool,
    /// Each segment's name and, for `<...>`, its arguments.
    segments: Vec<(String, Option<Vec<PathType>>)>,
}

impl<'a> Skim<'a> {
    /// The deriving struct whose keyword is `tokens[i]` and whose body is `tokens[end]`, its
    /// attributes `tokens[attrs]`, read without syn; `None` when it is not in the plain form.
    pub(super) fn declared(
        &self,
        tokens: &[Tok],
        attrs: Range<usize>,
        i: usize,
        end: usize,
        public: bool,
    ) -> Option<ModItem> {
        let name = *tokens.get(i + 1)?;
        let name_text = self.plain_ident(name).filter(|word| !is_keyword(word))?;
        if end != i + 2 || !is_group(tokens.get(end), Delimiter::Brace) || attrs.is_empty() {
            return None;
        }
        let first = tokens[attrs.start].start;
        let whole = first..tokens[end].end;
        if self.nests_too_deep(whole) {
            return None;
        }
        let mut cursor = Cursor::new(self, first, tokens[end].end);
        let origin = TextOrigin::new(cursor.line, cursor.column);
        // Room for the one attribute most structs have besides `#[ecs(...)]`: their `derive`.
        // A file read ahead keeps it until its package is known, and `push` would make
        // room for four (each `Attribute` is a few hundred bytes).
        let mut syn_attrs = Vec::with_capacity(1);
        let mut ecs = Vec::new();
        let mut derives = false;
        let mut j = attrs.start;
        while j < attrs.end {
            if matches!(tokens[j].kind, Kind::Doc { inner: false }) {
                j += 1;
                continue;
            }
            let (kind, group) = self.outer_attr(tokens, j, &mut cursor)?;
            match kind {
                AttrKind::Ecs(list) => ecs.push(EcsAttr::List(list)),
                AttrKind::Other("cfg_attr") => return None,
                AttrKind::Other(path) => {
                    derives |= path == "derive";
                    if path == "derive"
                        && let Some(attr) = self.derive_attr(group)
                    {
                        syn_attrs.push(attr);
                        j += 2;
                        continue;
                    }
                    let text = self.placed(first, tokens[j].start..group.end);
                    let parsed: Vec<Attribute> =
                        syn::parse::Parser::parse_str(Attribute::parse_outer, &text).ok()?;
                    syn_attrs.extend(parsed.into_iter().filter(|a| !a.path().is_ident("doc")));
                }
            }
            j += 2;
        }
        if !derives {
            return None;
        }
        let (line, column) = cursor.at(name.start);
        let (end_line, end_column) = cursor.at(name.end);
        let name_pos = CompactPos::new(line, column, end_line, end_column);
        let (fields, types) = self.named_fields(tokens[end], &mut cursor)?;
        let input = Input {
            name: name_text.to_owned(),
            name_span: name_pos,
            attrs: ecs,
            body: Body::Named(fields),
        };
        Some(ModItem {
            attrs: syn_attrs,
            kind: ModItemKind::Struct(StructItem::Skimmed(Skimmed {
                public,
                line,
                column,
                input,
                types,
            })),
            origin,
        })
    }

    /// The outer attribute `#[...]` at `tokens[j]`, with its bracket group; `None` when it is
    /// not `#[ecs(...)]` or `#[name...]` with a plain name. The tokens of `#[ecs(...)]` are
    /// read here, each with its place (`cursor`).
    fn outer_attr(
        &self,
        tokens: &[Tok],
        j: usize,
        cursor: &mut Cursor<'_, 'a>,
    ) -> Option<(AttrKind<'a>, Tok)> {
        if !is_punct(tokens.get(j), b'#') || !is_group(tokens.get(j + 1), Delimiter::Bracket) {
            return None;
        }
        let group = tokens[j + 1];
        let mut lexer = Lexer::new(self.src, group.start + 1..group.end - 1, false);
        let Some(Step::Tok(path)) = lexer.step(0) else {
            return None;
        };
        let path = self.plain_ident(path)?;
        if path != "ecs" {
            return Some((AttrKind::Other(path), group));
        }
        let Some(Descend::Open(Delimiter::Parenthesis)) = lexer.descend() else {
            return None;
        };
        // Room for a token every six bytes of `#[ecs(...)]`'s text (7.4 bytes a token on the
        // benchmark's declarations): the list is made once, not grown a doubling at a time.
        let room = (group.end - group.start) / 6 + 1;
        let list = self.descend(&mut lexer, b')', cursor, room)?;
        matches!(lexer.step(0), Some(Step::Eof)).then_some((AttrKind::Ecs(list), group))
    }

    /// The attribute `#[derive(...)]` in `group` (its brackets) when it lists plain paths
    /// (identifiers, `::` and commas), built from the skim's tokens as syn would parse it but
    /// for the spans, which nothing reads of a derive attribute: the derives a struct names
    /// are read by their text (`modules::derive_paths`). `None` for anything else, which syn
    /// then parses.
    fn derive_attr(&self, group: Tok) -> Option<Attribute> {
        use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
        let mut lexer = Lexer::new(self.src, group.start + 1..group.end - 1, false);
        let Some(Descend::Tok(_)) = lexer.descend() else {
            return None;
        };
        let Some(Descend::Open(Delimiter::Parenthesis)) = lexer.descend() else {
            return None;
        };
        let span = Span::call_site();
        let mut tokens = Vec::new();
        loop {
            let tok = match lexer.descend()? {
                Descend::Close(b')') => break,
                Descend::Tok(tok) => tok,
                Descend::Close(_) | Descend::Open(_) | Descend::Eof => return None,
            };
            tokens.push(match tok.kind {
                Kind::Ident => {
                    let word = self.plain_ident(tok).filter(|word| !is_keyword(word))?;
                    TokenTree::Ident(Ident::new(word, span))
                }
                Kind::Punct(byte @ (b',' | b':')) => {
                    let spacing = if self.joint(tok.end) {
                        Spacing::Joint
                    } else {
                        Spacing::Alone
                    };
                    TokenTree::Punct(Punct::new(char::from(byte), spacing))
                }
                _ => return None,
            });
        }
        if !matches!(lexer.descend(), Some(Descend::Eof)) {
            return None;
        }
        Some(Attribute {
            pound_token: syn::Token![#](span),
            style: syn::AttrStyle::Outer,
            bracket_token: syn::token::Bracket(span),
            meta: syn::Meta::List(syn::MetaList {
                path: Ident::new("derive", span).into(),
                delimiter: syn::MacroDelimiter::Paren(syn::token::Paren(span)),
                tokens: TokenStream::from_iter(tokens),
            }),
        })
    }

    /// The tokens up to the closing delimiter `close` (consumed), as the front end reads
    /// them, in a list made with room for `room`; `None` at another closing delimiter or at
    /// the end.
    fn descend(
        &self,
        lexer: &mut Lexer<'a>,
        close: u8,
        cursor: &mut Cursor<'_, 'a>,
        room: usize,
    ) -> Option<Vec<FileToken>> {
        let mut out = Vec::with_capacity(room);
        loop {
            let tok = match lexer.descend()? {
                Descend::Close(byte) if byte == close => return Some(out),
                Descend::Close(_) | Descend::Eof => return None,
                Descend::Open(delimiter) => {
                    let start = lexer.pos() - 1;
                    let open = self.src.as_bytes()[start];
                    let (line, column) = cursor.at(start);
                    let inside = self.descend(lexer, closer(open), cursor, 0)?;
                    let (end_line, end_column) = cursor.at(lexer.pos());
                    out.push(FileToken {
                        pos: CompactPos::new(line, column, end_line, end_column),
                        tree: FileTree::Group(delimiter, inside),
                    });
                    continue;
                }
                Descend::Tok(tok) => tok,
            };
            let text = self.text(tok);
            let tree = match tok.kind {
                Kind::Ident => FileTree::Ident(text.into()),
                Kind::Punct(byte) => FileTree::Punct(char::from(byte), self.joint(tok.end)),
                Kind::Literal if is_plain_literal(text) && !self.continues(tok.end) => {
                    FileTree::Literal(text.into())
                }
                Kind::Literal | Kind::Lifetime | Kind::Doc { .. } | Kind::Group(_) => return None,
            };
            out.push(FileToken {
                pos: cursor.pos(tok.start..tok.end),
                tree,
            });
        }
    }

    /// Whether the text at `end` would continue a token that ends there (a literal's suffix).
    fn continues(&self, end: usize) -> bool {
        self.src
            .as_bytes()
            .get(end)
            .is_some_and(|&b| b >= 0x80 || IDENT_BYTE[usize::from(b)])
    }

    /// Whether a punctuation character ending at `end` is joint to the next, as proc-macro2's
    /// lexer decides it (`punct`): another punctuation character follows at once, and not
    /// the `/` of a comment.
    fn joint(&self, end: usize) -> bool {
        let rest = &self.src.as_bytes()[end..];
        match rest.first() {
            Some(b'/') => !matches!(rest.get(1), Some(b'/' | b'*')),
            Some(byte) => b"~!@#$%^&*-=+|;:,<.>?'".contains(byte),
            None => false,
        }
    }

    /// The named fields of the brace group `body`, and each one's type as a task reads it.
    fn named_fields(
        &self,
        body: Tok,
        cursor: &mut Cursor<'_, 'a>,
    ) -> Option<(Vec<Field<FileToken>>, Vec<FieldType>)> {
        // Read by the pass over the struct's level, as every deriving struct's body is.
        let tokens = self.take_body(body.start)?;
        // A field at most after each `,` outside a group.
        let room = 1 + tokens
            .iter()
            .filter(|t| t.kind == Kind::Punct(b','))
            .count();
        let mut fields = Vec::with_capacity(room);
        let mut types = Vec::with_capacity(room);
        let mut k = 0;
        while k < tokens.len() {
            let mut attrs = Vec::new();
            while k < tokens.len() {
                if matches!(tokens[k].kind, Kind::Doc { inner: false }) {
                    k += 1;
                    continue;
                }
                if !is_punct(tokens.get(k), b'#') {
                    break;
                }
                let (kind, group) = self.outer_attr(&tokens, k, cursor)?;
                match kind {
                    AttrKind::Ecs(list) => attrs.push(EcsAttr::List(list)),
                    AttrKind::Other("cfg" | "cfg_attr") => return None,
                    // Read by nothing, but syn must take it.
                    AttrKind::Other(_) => {
                        let text = &self.src[tokens[k].start..group.end];
                        syn::parse::Parser::parse_str(Attribute::parse_outer, text).ok()?;
                    }
                }
                k += 2;
            }
            if self.is_word(tokens.get(k), "pub") {
                k += 1;
                if is_group(tokens.get(k), Delimiter::Parenthesis) {
                    // `pub(crate)`, `pub(self)`, `pub(super)`; syn reads `pub(in path)`.
                    let inside = self.tokens(tokens[k].start + 1..tokens[k].end - 1)?;
                    match inside.as_slice() {
                        [word]
                            if ["crate", "self", "super"]
                                .contains(&self.plain_ident(*word).unwrap_or_default()) => {}
                        _ => return None,
                    }
                    k += 1;
                }
            }
            let name = *tokens.get(k)?;
            let name_text = self.plain_ident(name).filter(|word| !is_keyword(word))?;
            if !is_punct(tokens.get(k + 1), b':') || is_path_sep(&tokens, k + 1) {
                return None;
            }
            let name_pos = cursor.pos(name.start..name.end);
            let ty_start = k + 2;
            let (ty, after) = self.path_type(&tokens, ty_start)?;
            let (line, column) = cursor.at(tokens[ty_start].start);
            let (end_line, end_column) = cursor.at(tokens[after - 1].end);
            let ty_pos = CompactPos::new(line, column, end_line, end_column);
            match tokens.get(after) {
                None => {}
                Some(tok) if tok.kind == Kind::Punct(b',') => {}
                Some(_) => return None,
            }
            let (optional, env_type) = env_type(&ty);
            types.push(FieldType {
                name: name_text.to_owned(),
                ty: self.task_type(&tokens[ty_start..after], &ty),
                line,
                column,
            });
            fields.push(Field {
                name: name_text.to_owned(),
                name_span: name_pos,
                attrs,
                ty_span: ty_pos,
                optional,
                ty: env_type,
            });
            k = after + 1;
        }
        Some((fields, types))
    }

    /// A type in the plain form at `tokens[k]`, and the index after it.
    fn path_type(&self, tokens: &[Tok], mut k: usize) -> Option<(PathType, usize)> {
        let leading_colon = is_path_sep(tokens, k);
        if leading_colon {
            k += 2;
        }
        let mut segments = Vec::new();
        loop {
            let word = self.plain_ident(*tokens.get(k)?)?;
            if is_keyword(word) && !matches!(word, "crate" | "self" | "super" | "Self") {
                return None;
            }
            k += 1;
            let args = if is_punct(tokens.get(k), b'<') {
                k += 1;
                let mut args = Vec::new();
                loop {
                    let (arg, next) = self.path_type(tokens, k)?;
                    args.push(arg);
                    k = next;
                    if is_punct(tokens.get(k), b',') {
                        k += 1;
                    }
                    if is_punct(tokens.get(k), b'>') {
                        k += 1;
                        break;
                    }
                }
                Some(args)
            } else {
                None
            };
            segments.push((word.to_owned(), args));
            if !is_path_sep(tokens, k) {
                break;
            }
            k += 2;
        }
        Some((
            PathType {
                leading_colon,
                segments,
            },
            k,
        ))
    }

    /// What a task reads of a field's type, written as `tokens`: the path, or the type as
    /// printed with why it names no container (as `modules::type_path` says it).
    fn task_type(&self, tokens: &[Tok], ty: &PathType) -> Result<TypePath, (String, &'static str)> {
        if ty.segments.iter().any(|(_, args)| args.is_some()) {
            // As syn prints a type's tokens: spaced, but for the two halves of each `::`.
            let mut printed = String::new();
            for (at, tok) in tokens.iter().enumerate() {
                let joined = at > 0 && is_path_sep(tokens, at - 1);
                if at > 0 && !joined {
                    printed.push(' ');
                }
                printed.push_str(self.text(*tok));
            }
            return Err((
                tidy(&printed),
                "a generic type cannot be a container; name the container struct itself",
            ));
        }
        Ok(TypePath {
            leading_colon: ty.leading_colon,
            segments: ty.segments.iter().map(|(name, _)| name.clone()).collect(),
        })
    }
}

/// A literal the skim's lexer and proc-macro2's read as the same one token: a string without
/// escapes, or a decimal number without exponent or suffix.
fn is_plain_literal(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes {
        [b'"', inner @ .., b'"'] => memchr::memchr3(b'\\', b'"', b'\r', inner).is_none(),
        [b'0'..=b'9', ..] => {
            let mut parts = text.splitn(2, '.');
            parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        }
        _ => false,
    }
}

/// The type as the environment rules see it, as `ecsdef_syntax::input` reads syn's: whether
/// it is `Option<T>`, and the primitive `T`.
fn env_type(ty: &PathType) -> (bool, EnvType) {
    let Some((last, args)) = ty.segments.last() else {
        return (false, EnvType::Other);
    };
    let plain = |ty: &PathType| match ty.segments.last() {
        Some((name, None)) => EnvType::from_rust_name(name),
        _ => EnvType::Other,
    };
    match args {
        Some(args) if last == "Option" => match args.first() {
            Some(inner) => (true, plain(inner)),
            None => (false, EnvType::Other),
        },
        Some(_) => (false, EnvType::Other),
        None => (false, EnvType::from_rust_name(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Cursor, Skim};

    /// On ASCII text a cursor counts only the newlines; it gives the lines and columns the
    /// plain count gives, character by character, for offsets asked in order (a token's
    /// start and end, then the next one's) or not, across lines, at line ends and over `\r\n`,
    /// with newlines inside and across the eight-byte steps.
    #[test]
    fn an_ascii_cursor_counts_as_the_plain_one() {
        let source = "#[derive(Container)]\r\nstruct A {\n\t#[ecs(env)]\n    x: String,\n\n\n}\n\n\n\n\n\n\n\n\nz";
        assert!(source.is_ascii());
        let skim = Skim::new(source);
        for step in 1..=9 {
            for first in 0..step {
                let mut offsets: Vec<usize> = (first..=source.len()).step_by(step).collect();
                // Then back before the first offset and on again.
                offsets.extend([first / 2, first, source.len() / 2, source.len()]);
                let mut fast = Cursor::new(&skim, first, source.len());
                let mut plain = Cursor::new(&skim, first, first);
                assert_eq!(fast.ascii, first..source.len());
                for &at in &offsets {
                    assert_eq!(fast.at(at), plain.at(at), "at {at}, step {step}");
                    assert_eq!(fast.at(at), skim.position(at), "at {at}, step {step}");
                }
            }
        }
        // After a cursor, the skim counts from where it stopped, and still counts right.
        let skim = Skim::new(source);
        for stop in (0..=source.len()).step_by(5) {
            let mut cursor = Cursor::new(&skim, stop / 2, source.len());
            cursor.at(stop);
            drop(cursor);
            assert_eq!(skim.last.get().0, stop);
            for at in [stop, stop + 1, source.len()]
                .into_iter()
                .filter(|&at| at <= source.len())
            {
                let before = &source[..at];
                let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
                let expected = (before.matches('\n').count() + 1, at - line_start + 1);
                assert_eq!(skim.position(at), expected, "at {at} after {stop}");
            }
        }
        // The newlines found are `match_indices`'s, wherever they fall.
        for len in 0..40 {
            for every in 1..10 {
                let text: String = (0..len)
                    .map(|i| if i % every == 0 { '\n' } else { 'a' })
                    .collect();
                let plain: Vec<usize> = text.match_indices('\n').map(|(i, _)| 7 + i).collect();
                assert_eq!(super::newlines(text.as_bytes(), 7), plain, "{text:?}");
            }
        }
        // Text that is not ASCII is counted character by character.
        let skim = Skim::new("é\nx");
        assert!(Cursor::new(&skim, 0, 4).ascii.is_empty());
        assert_eq!(Cursor::new(&skim, 0, 4).at(4), (2, 2));
    }
}
