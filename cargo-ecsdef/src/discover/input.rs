//! What the attribute front end reads of a deriving struct, in `cargo ecsdef`: an
//! [`ecsdef_syntax::Input`] over [`FileToken`]s, whose spans are positions in the file. The
//! skim reads most deriving structs into one directly (`skim/declared.rs`); a struct it does
//! not read that way is parsed with syn and converted ([`from_syn`]). Either way, each
//! declaration goes through the front end once, over these tokens.

use std::borrow::Cow;

use ecsdef_syntax::input::{Input, Token, TokenKind};
use proc_macro2::{Delimiter, Spacing, Span, TokenTree};

use super::items::TextOrigin;

/// A deriving struct as the front end reads it in `cargo ecsdef`.
pub type FileInput = Input<FileToken>;

/// A token of an `#[ecs(...)]` attribute, where it is in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileToken {
    /// What it is.
    pub tree: FileTree,
    /// Where it is; a group's covers its delimiters.
    pub pos: CompactPos,
}

/// What a [`FileToken`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileTree {
    /// An identifier or keyword, as written.
    Ident(Box<str>),
    /// A punctuation character, and whether another one follows it at once (proc-macro2's
    /// `Spacing::Joint`, which decides how the tokens are printed).
    Punct(char, bool),
    /// A literal, as written.
    Literal(Box<str>),
    /// A delimited group and the tokens inside it.
    Group(Delimiter, Vec<FileToken>),
}

impl Token for FileToken {
    type Span = CompactPos;

    fn span(&self) -> CompactPos {
        self.pos
    }

    fn kind(&self) -> TokenKind<'_, Self> {
        match &self.tree {
            FileTree::Ident(text) => TokenKind::Ident(Cow::Borrowed(text)),
            FileTree::Punct(c, _) => TokenKind::Punct(*c),
            FileTree::Literal(text) => TokenKind::Literal(Cow::Borrowed(text)),
            FileTree::Group(delimiter, tokens) => {
                TokenKind::Group(*delimiter, Cow::Borrowed(tokens))
            }
        }
    }

    fn punct(&self) -> Option<char> {
        match self.tree {
            FileTree::Punct(c, _) => Some(c),
            _ => None,
        }
    }

    /// As proc-macro2 prints its tokens (`fallback.rs`: a space between two tokens unless the
    /// first is a joint punctuation character, `{ ` and ` }` around a brace group's tokens), so
    /// that a message quotes a value alike whichever way the struct was read.
    fn print(tokens: &[Self]) -> String {
        let mut out = String::new();
        print_into(tokens, &mut out);
        out
    }
}

fn print_into(tokens: &[FileToken], out: &mut String) {
    let mut joint = false;
    for (i, token) in tokens.iter().enumerate() {
        if i != 0 && !joint {
            out.push(' ');
        }
        joint = false;
        match &token.tree {
            FileTree::Ident(text) | FileTree::Literal(text) => out.push_str(text),
            FileTree::Punct(c, is_joint) => {
                joint = *is_joint;
                out.push(*c);
            }
            FileTree::Group(delimiter, inner) => {
                let (open, close) = match delimiter {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{ ", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                print_into(inner, out);
                if *delimiter == Delimiter::Brace && !inner.is_empty() {
                    out.push(' ');
                }
                out.push_str(close);
            }
        }
    }
}

/// The input of a struct syn parsed from text that begins at `origin` in its file (see
/// [`TextOrigin`]): on the thread that parsed it, where its spans mean something.
pub(crate) fn from_syn(input: &syn::DeriveInput, origin: TextOrigin) -> FileInput {
    Input::from_syn(input).map(&mut |token| file_token(token, origin), &mut |span| {
        CompactPos::of(span, origin)
    })
}

fn file_token(token: TokenTree, origin: TextOrigin) -> FileToken {
    let pos = CompactPos::of(token.span(), origin);
    let tree = match token {
        TokenTree::Ident(ident) => FileTree::Ident(ident.to_string().into()),
        TokenTree::Punct(punct) => {
            FileTree::Punct(punct.as_char(), punct.spacing() == Spacing::Joint)
        }
        TokenTree::Literal(lit) => FileTree::Literal(lit.to_string().into()),
        TokenTree::Group(group) => FileTree::Group(
            group.delimiter(),
            group
                .stream()
                .into_iter()
                .map(|token| file_token(token, origin))
                .collect(),
        ),
    };
    FileToken { tree, pos }
}

/// A position in a file as every declaration's spans keep it until its tasks are checked (the
/// analysis's `Pos` widens it): lines and columns as `u32`, 16 bytes where a `Pos` is 32 (`cargo ecsdef` keeps thousands of spans a
/// workspace of a thousand tasks). A line or column past `u32::MAX` is kept as `u32::MAX`: a
/// source file of more than 4 G lines, or of a line of more than 4 G characters, is more than
/// rustc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactPos {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) end_line: u32,
    pub(crate) end_column: u32,
}

impl CompactPos {
    /// Where a span of a piece of a file that begins at `origin` is; only meaningful on the
    /// thread that parsed it.
    pub fn of(span: Span, origin: TextOrigin) -> Self {
        let (line, column) = origin.locate(span.start());
        let (end_line, end_column) = origin.locate(span.end());
        CompactPos::new(line, column, end_line, end_column)
    }

    /// The position from lines and columns, each at most `u32::MAX` (see [`CompactPos`]).
    pub fn new(line: usize, column: usize, end_line: usize, end_column: usize) -> Self {
        let compact = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        CompactPos {
            line: compact(line),
            column: compact(column),
            end_line: compact(end_line),
            end_column: compact(end_column),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proc_macro2::TokenStream;

    use super::*;

    /// Tokens converted from proc-macro2's print as proc-macro2 prints them: a message quotes
    /// a value alike whichever reader read the struct.
    #[test]
    fn tokens_print_as_proc_macro2_prints_them() {
        for text in [
            "IMAGE",
            "concat!(\"a\", \"b\")",
            "a::b + -1 >>= c",
            "&&x, ..=y, |z| z",
            "{ a } {} [1, [2]] () (x,)",
            "f(/* c */ x) -a // c\n b",
            "'a: loop {} 'b'",
            "#[x] r#type ::std",
        ] {
            let stream = TokenStream::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let tokens: Vec<FileToken> = stream
                .clone()
                .into_iter()
                .map(|token| file_token(token, TextOrigin::FILE))
                .collect();
            assert_eq!(FileToken::print(&tokens), stream.to_string(), "{text}");
        }
    }
}
