//! The token level of `#[ecs(...)]`: keys, literals, lists and groups, read by scanning tokens
//! rather than parsing Rust expressions (values are literals only: the CLI reads the same
//! source without compiling it).
//!
//! ```text
//! entries := entry ("," entry)* ","?
//! entry   := key                      a flag: `fargate`
//!          | key "=" value            `image = "..."`, `port = 8080`, `command = ["a", "b"]`
//!          | key "(" entries ")"      a group: `health_check(interval = 15)`
//! key     := IDENT | STRING           string keys name map entries: `tags("team" = "web")`
//! value   := literal | "-" INT | "[" literal ("," literal)* ","? "]"
//! ```
//! `allow(...)` holds kebab-case rule names instead of entries.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

use crate::ctxt::{Ctxt, SpannedDiagnostic};
use crate::input::{EcsAttr, Token, TokenKind};

/// One `key`, `key = value` or `key(...)`.
#[derive(Debug, Clone)]
pub struct Entry<S = Span> {
    /// The key.
    pub key: String,
    /// Where the key is written.
    pub key_span: S,
    /// Whether the key was written as a string literal (a map entry).
    pub key_is_str: bool,
    /// The value.
    pub value: Value<S>,
}

impl<S: Copy> Entry<S> {
    /// The span of the value, or of the key for a flag.
    pub fn value_span(&self) -> S {
        match &self.value {
            Value::Lit(l) => l.span,
            Value::List(_, span)
            | Value::Group(_, span)
            | Value::Names(_, span)
            | Value::NonLiteral(_, span, _) => *span,
            Value::Flag => self.key_span,
        }
    }
}

/// What follows a key.
#[derive(Debug, Clone)]
pub enum Value<S = Span> {
    /// Nothing: `fargate`, `skip`.
    Flag,
    /// `= literal`.
    Lit(Lit<S>),
    /// `= [literal, ...]`.
    List(Vec<Lit<S>>, S),
    /// `(entries)`.
    Group(Vec<Entry<S>>, S),
    /// `allow(rule-name, ...)`: each name with the spans of its first and last tokens.
    Names(Vec<(String, S, S)>, S),
    /// `= something that is not a literal`: the text, for the error message, and the spans of
    /// its first and last tokens.
    NonLiteral(String, S, S),
}

/// A literal value.
#[derive(Debug, Clone)]
pub struct Lit<S = Span> {
    /// What it is.
    pub kind: LitKind,
    /// Where it is written.
    pub span: S,
}

/// The kinds of literal the grammar uses.
#[derive(Debug, Clone, PartialEq)]
pub enum LitKind {
    /// A string (also raw strings).
    Str(String),
    /// An integer, as written without suffix or `_`.
    Int(i128),
    /// A float, as written.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// A char.
    Char(char),
    /// Anything else (byte strings, ...).
    Other(String),
}

impl LitKind {
    /// The value as an environment variable would hold it.
    pub fn env_text(&self) -> String {
        match self {
            LitKind::Str(s) | LitKind::Float(s) | LitKind::Other(s) => s.clone(),
            LitKind::Int(i) => i.to_string(),
            LitKind::Bool(b) => b.to_string(),
            LitKind::Char(c) => c.to_string(),
        }
    }
}

/// Parses the tokens inside `#[ecs(...)]` into entries, reporting every syntax error.
pub fn parse_entries(tokens: TokenStream, cx: &Ctxt) -> Vec<Entry> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    entries(&tokens, cx)
}

fn is_punct<T: Token>(token: &T, c: char) -> bool {
    token.punct() == Some(c)
}

/// The entries of `tokens`, the inside of `#[ecs(...)]` or of a group.
pub fn entries<T: Token>(tokens: &[T], cx: &Ctxt<T::Span>) -> Vec<Entry<T::Span>> {
    // `key = value,` is four tokens: room for as many entries, grown only by flags.
    let mut found = Vec::with_capacity(tokens.len().div_ceil(4));
    let mut i = 0;
    while i < tokens.len() {
        let (key, key_span, key_is_str) = match tokens[i].kind() {
            TokenKind::Ident(text) => (
                match text.strip_prefix("r#") {
                    Some(unraw) => unraw.to_owned(),
                    None => text.into_owned(),
                },
                tokens[i].span(),
                false,
            ),
            TokenKind::Literal(text) => {
                if let LitKind::Str(s) = parse_literal(&text) {
                    (s, tokens[i].span(), true)
                } else {
                    cx.error(tokens[i].span(), "expected a key, found a literal");
                    i = skip_to_comma(tokens, i);
                    continue;
                }
            }
            _ => {
                cx.error(
                    tokens[i].span(),
                    format!(
                        "expected a key such as `image = \"...\"`, found `{}`",
                        T::print(&tokens[i..=i])
                    ),
                );
                i = skip_to_comma(tokens, i);
                continue;
            }
        };
        i += 1;
        let value = match tokens.get(i).map(|t| (t, t.kind())) {
            None | Some((_, TokenKind::Punct(','))) => Value::Flag,
            Some((eq, TokenKind::Punct('='))) => {
                i += 1;
                let (value, next) = parse_value(tokens, i, &key, eq.span(), cx);
                i = next;
                value
            }
            Some((group, TokenKind::Group(Delimiter::Parenthesis, inner))) => {
                i += 1;
                if key == "allow" {
                    Value::Names(parse_names(&inner, cx), group.span())
                } else {
                    Value::Group(entries(&inner, cx), group.span())
                }
            }
            Some((other, _)) => {
                cx.error(
                    other.span(),
                    format!("expected `=` or `(...)` after `{key}`"),
                );
                i = skip_to_comma(tokens, i);
                continue;
            }
        };
        found.push(Entry {
            key,
            key_span,
            key_is_str,
            value,
        });
        match tokens.get(i) {
            None => {}
            Some(comma) if is_punct(comma, ',') => i += 1,
            Some(other) => {
                cx.error(
                    other.span(),
                    format!(
                        "expected `,` after the value of `{}`",
                        found[found.len() - 1].key
                    ),
                );
                i = skip_to_comma(tokens, i);
            }
        }
    }
    found
}

/// The index after the next top-level `,` from `i`.
fn skip_to_comma<T: Token>(tokens: &[T], mut i: usize) -> usize {
    while i < tokens.len() {
        if is_punct(&tokens[i], ',') {
            return i + 1;
        }
        i += 1;
    }
    i
}

/// The value after `=` at `i`; returns it and the index after it.
fn parse_value<T: Token>(
    tokens: &[T],
    i: usize,
    key: &str,
    eq_span: T::Span,
    cx: &Ctxt<T::Span>,
) -> (Value<T::Span>, usize) {
    let Some(token) = tokens.get(i) else {
        cx.error(eq_span, format!("expected a value after `{key} =`"));
        return (Value::NonLiteral(String::new(), eq_span, eq_span), i);
    };
    match token.kind() {
        TokenKind::Literal(text) => (
            Value::Lit(Lit {
                kind: parse_literal(&text),
                span: token.span(),
            }),
            i + 1,
        ),
        TokenKind::Ident(word) if word == "true" || word == "false" => (
            Value::Lit(Lit {
                kind: LitKind::Bool(word == "true"),
                span: token.span(),
            }),
            i + 1,
        ),
        TokenKind::Punct('-') => match tokens.get(i + 1).map(|t| (t, t.kind())) {
            Some((lit, TokenKind::Literal(text))) => {
                let kind = match parse_literal(&text) {
                    LitKind::Int(n) => LitKind::Int(-n),
                    LitKind::Float(f) => LitKind::Float(format!("-{f}")),
                    other => LitKind::Other(format!("-{}", other.env_text())),
                };
                (
                    Value::Lit(Lit {
                        kind,
                        span: lit.span(),
                    }),
                    i + 2,
                )
            }
            _ => non_literal(tokens, i),
        },
        TokenKind::Group(Delimiter::Bracket, inner) => {
            let group_span = token.span();
            let mut items = Vec::new();
            let mut j = 0;
            while j < inner.len() {
                let (value, next) = parse_value(&inner, j, key, group_span, cx);
                match value {
                    Value::Lit(lit) => items.push(lit),
                    Value::NonLiteral(text, span, end) => cx.push(
                        SpannedDiagnostic::error(
                            span,
                            format!("`{key}` takes a list of literals; `{text}` is not a literal"),
                        )
                        .with_help("ecsdef reads attributes without compiling them: write the value itself, not a `const`, macro or expression")
                        .to_end(end),
                    ),
                    _ => cx.error(group_span, format!("`{key}` takes a list of literals")),
                }
                j = next;
                match inner.get(j) {
                    None => {}
                    Some(comma) if is_punct(comma, ',') => j += 1,
                    Some(other) => {
                        cx.error(other.span(), "expected `,` between list items");
                        j = skip_to_comma(&inner, j);
                    }
                }
            }
            (Value::List(items, group_span), i + 1)
        }
        _ => non_literal(tokens, i),
    }
}

/// Everything up to the next top-level `,`, as a non-literal value.
fn non_literal<T: Token>(tokens: &[T], i: usize) -> (Value<T::Span>, usize) {
    let end = tokens[i..]
        .iter()
        .position(|t| is_punct(t, ','))
        .map_or(tokens.len(), |p| i + p);
    let text = T::print(&tokens[i..end]);
    let last = tokens[end.max(i + 1) - 1].span();
    (Value::NonLiteral(text, tokens[i].span(), last), end)
}

/// `rule-name, other-rule` inside `allow(...)`.
fn parse_names<T: Token>(tokens: &[T], cx: &Ctxt<T::Span>) -> Vec<(String, T::Span, T::Span)> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut span: Option<(T::Span, T::Span)> = None;
    for token in tokens {
        match token.kind() {
            TokenKind::Punct(',') => {
                if let Some((start, end)) = span.take() {
                    names.push((std::mem::take(&mut current), start, end));
                }
            }
            TokenKind::Ident(text) => {
                current.push_str(&text);
                span = Some((span.map_or(token.span(), |s| s.0), token.span()));
            }
            TokenKind::Punct('-') => current.push('-'),
            TokenKind::Literal(text) => {
                if let LitKind::Str(s) = parse_literal(&text) {
                    current.push_str(&s);
                    span = Some((span.map_or(token.span(), |s| s.0), token.span()));
                } else {
                    cx.error(
                        token.span(),
                        "expected a rule name such as `image-unpinned`",
                    );
                }
            }
            _ => cx.error(
                token.span(),
                "expected a rule name such as `image-unpinned`",
            ),
        }
    }
    if let Some((start, end)) = span {
        names.push((current, start, end));
    }
    names
}

/// Reads a literal, as written, with syn (which knows every escape and raw-string form), after
/// a shortcut for the forms nearly every attribute uses: a string without escapes, a plain
/// decimal integer.
fn parse_literal(text: &str) -> LitKind {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
        && !has_escape_or_quote(inner)
    {
        return LitKind::Str(inner.to_owned());
    }
    if !text.is_empty()
        && text.len() < 30
        && text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<i128>()
    {
        return LitKind::Int(n);
    }
    parse_literal_with_syn(text)
}

/// Whether `inner` holds a `\\`, `"` or `\r`: a byte loop, as the derives run it unoptimised,
/// where a `contains` of a set of chars costs ten times as much.
fn has_escape_or_quote(inner: &str) -> bool {
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b'\\' | b'"' | b'\r') {
            return true;
        }
        i += 1;
    }
    false
}

fn parse_literal_with_syn(text: &str) -> LitKind {
    match syn::parse_str::<syn::Lit>(text) {
        Ok(syn::Lit::Str(s)) => LitKind::Str(s.value()),
        Ok(syn::Lit::Int(i)) => i
            .base10_parse::<i128>()
            .map_or_else(|_| LitKind::Other(i.to_string()), LitKind::Int),
        Ok(syn::Lit::Float(f)) => LitKind::Float(f.base10_digits().to_owned()),
        Ok(syn::Lit::Bool(b)) => LitKind::Bool(b.value),
        Ok(syn::Lit::Char(c)) => LitKind::Char(c.value()),
        Ok(other) => LitKind::Other(quote::ToTokens::to_token_stream(&other).to_string()),
        // A literal token syn's lexer does not take back: only a lexer that took what rustc's
        // does not would hand one over.
        Err(_) => LitKind::Other(text.to_owned()),
    }
}

/// The entries of `#[ecs(...)]` attributes, in order; `#[ecs]` without parentheses or
/// `#[ecs = ...]` is an error.
pub fn ecs_entries<T: Token>(attrs: &[EcsAttr<T>], cx: &Ctxt<T::Span>) -> Vec<Entry<T::Span>> {
    let mut all = Vec::new();
    for attr in attrs {
        match attr {
            EcsAttr::List(tokens) => all.extend(entries(tokens, cx)),
            EcsAttr::NotList(span) => cx.error_help(
                *span,
                "expected `#[ecs(...)]`",
                "write the keys in parentheses, for example `#[ecs(image = \"nginx:1.27\")]`",
            ),
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    /// A literal token as syn reads it.
    fn read_by_syn(lit: &proc_macro2::Literal) -> LitKind {
        match syn::Lit::new(lit.clone()) {
            syn::Lit::Str(s) => LitKind::Str(s.value()),
            syn::Lit::Int(i) => i
                .base10_parse::<i128>()
                .map_or_else(|_| LitKind::Other(i.to_string()), LitKind::Int),
            syn::Lit::Float(f) => LitKind::Float(f.base10_digits().to_owned()),
            syn::Lit::Bool(b) => LitKind::Bool(b.value),
            syn::Lit::Char(c) => LitKind::Char(c.value()),
            other => LitKind::Other(quote::ToTokens::to_token_stream(&other).to_string()),
        }
    }

    /// The shortcuts and the reading of a literal's text read every literal as syn reads the
    /// token.
    #[test]
    fn literals_read_alike_with_and_without_the_shortcuts() {
        for text in [
            r#""a""#,
            r#""""#,
            r#""é ${TAG} x""#,
            r#""a\"b""#,
            r#""line\nbreak""#,
            r#"r"raw""#,
            "r#\"raw\"#",
            r#""a"suffix"#,
            r#"b"bytes""#,
            "42",
            "007",
            "0",
            "1_000",
            "0x10",
            "42u16",
            "99999999999999999999999999999",
            "3.5",
            "'c'",
        ] {
            let stream = TokenStream::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let Some(TokenTree::Literal(lit)) = stream.into_iter().next() else {
                panic!("{text} is not a literal")
            };
            assert_eq!(parse_literal(&lit.to_string()), read_by_syn(&lit), "{text}");
        }
    }
}
