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

/// One `key`, `key = value` or `key(...)`.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// Whether the key was written as a string literal (a map entry).
    pub key_is_str: bool,
    /// The value.
    pub value: Value,
}

impl Entry {
    /// The span of the value, or of the key for a flag.
    pub fn value_span(&self) -> Span {
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
pub enum Value {
    /// Nothing: `fargate`, `skip`.
    Flag,
    /// `= literal`.
    Lit(Lit),
    /// `= [literal, ...]`.
    List(Vec<Lit>, Span),
    /// `(entries)`.
    Group(Vec<Entry>, Span),
    /// `allow(rule-name, ...)`: each name with the spans of its first and last tokens.
    Names(Vec<(String, Span, Span)>, Span),
    /// `= something that is not a literal`: the text, for the error message, and the spans of
    /// its first and last tokens.
    NonLiteral(String, Span, Span),
}

/// A literal value.
#[derive(Debug, Clone)]
pub struct Lit {
    /// What it is.
    pub kind: LitKind,
    /// Where it is written.
    pub span: Span,
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
    let mut entries = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (key, key_span, key_is_str) = match &tokens[i] {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                (
                    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text),
                    ident.span(),
                    false,
                )
            }
            TokenTree::Literal(lit) => {
                if let LitKind::Str(s) = parse_literal(lit) {
                    (s, lit.span(), true)
                } else {
                    cx.error(lit.span(), "expected a key, found a literal");
                    i = skip_to_comma(&tokens, i);
                    continue;
                }
            }
            other => {
                cx.error(
                    other.span(),
                    format!("expected a key such as `image = \"...\"`, found `{other}`"),
                );
                i = skip_to_comma(&tokens, i);
                continue;
            }
        };
        i += 1;
        let value = match tokens.get(i) {
            None => Value::Flag,
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => Value::Flag,
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                i += 1;
                let (value, next) = parse_value(&tokens, i, &key, p.span(), cx);
                i = next;
                value
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                i += 1;
                if key == "allow" {
                    Value::Names(parse_names(g.stream(), cx), g.span())
                } else {
                    Value::Group(parse_entries(g.stream(), cx), g.span())
                }
            }
            Some(other) => {
                cx.error(
                    other.span(),
                    format!("expected `=` or `(...)` after `{key}`"),
                );
                i = skip_to_comma(&tokens, i);
                continue;
            }
        };
        entries.push(Entry {
            key,
            key_span,
            key_is_str,
            value,
        });
        match tokens.get(i) {
            None => {}
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => i += 1,
            Some(other) => {
                cx.error(
                    other.span(),
                    format!(
                        "expected `,` after the value of `{}`",
                        entries[entries.len() - 1].key
                    ),
                );
                i = skip_to_comma(&tokens, i);
            }
        }
    }
    entries
}

/// The index after the next top-level `,` from `i`.
fn skip_to_comma(tokens: &[TokenTree], mut i: usize) -> usize {
    while i < tokens.len() {
        if matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == ',') {
            return i + 1;
        }
        i += 1;
    }
    i
}

/// The value after `=` at `i`; returns it and the index after it.
fn parse_value(
    tokens: &[TokenTree],
    i: usize,
    key: &str,
    eq_span: Span,
    cx: &Ctxt,
) -> (Value, usize) {
    match tokens.get(i) {
        Some(TokenTree::Literal(lit)) => (
            Value::Lit(Lit {
                kind: parse_literal(lit),
                span: lit.span(),
            }),
            i + 1,
        ),
        Some(TokenTree::Ident(ident)) if ident == "true" || ident == "false" => (
            Value::Lit(Lit {
                kind: LitKind::Bool(ident == "true"),
                span: ident.span(),
            }),
            i + 1,
        ),
        Some(TokenTree::Punct(p)) if p.as_char() == '-' => match tokens.get(i + 1) {
            Some(TokenTree::Literal(lit)) => {
                let kind = match parse_literal(lit) {
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
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
            let mut items = Vec::new();
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut j = 0;
            while j < inner.len() {
                let (value, next) = parse_value(&inner, j, key, g.span(), cx);
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
                    _ => cx.error(g.span(), format!("`{key}` takes a list of literals")),
                }
                j = next;
                match inner.get(j) {
                    None => {}
                    Some(TokenTree::Punct(p)) if p.as_char() == ',' => j += 1,
                    Some(other) => {
                        cx.error(other.span(), "expected `,` between list items");
                        j = skip_to_comma(&inner, j);
                    }
                }
            }
            (Value::List(items, g.span()), i + 1)
        }
        Some(_) => non_literal(tokens, i),
        None => {
            cx.error(eq_span, format!("expected a value after `{key} =`"));
            (Value::NonLiteral(String::new(), eq_span, eq_span), i)
        }
    }
}

/// Everything up to the next top-level `,`, as a non-literal value.
fn non_literal(tokens: &[TokenTree], i: usize) -> (Value, usize) {
    let end = tokens[i..]
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
        .map_or(tokens.len(), |p| i + p);
    let text: TokenStream = tokens[i..end].iter().cloned().collect();
    let text = text.to_string();
    let last = tokens[end.max(i + 1) - 1].span();
    (Value::NonLiteral(text, tokens[i].span(), last), end)
}

/// `rule-name, other-rule` inside `allow(...)`.
fn parse_names(tokens: TokenStream, cx: &Ctxt) -> Vec<(String, Span, Span)> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut span: Option<(Span, Span)> = None;
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                if let Some((start, end)) = span.take() {
                    names.push((std::mem::take(&mut current), start, end));
                }
            }
            TokenTree::Ident(ident) => {
                current.push_str(&ident.to_string());
                span = Some((span.map_or(ident.span(), |s| s.0), ident.span()));
            }
            TokenTree::Punct(p) if p.as_char() == '-' => current.push('-'),
            TokenTree::Literal(lit) => {
                if let LitKind::Str(s) = parse_literal(lit) {
                    current.push_str(&s);
                    span = Some((span.map_or(lit.span(), |s| s.0), lit.span()));
                } else {
                    cx.error(lit.span(), "expected a rule name such as `image-unpinned`");
                }
            }
            other => cx.error(
                other.span(),
                "expected a rule name such as `image-unpinned`",
            ),
        }
    }
    if let Some((start, end)) = span {
        names.push((current, start, end));
    }
    names
}

/// Reads a literal token with syn (which knows every escape and raw-string form), after a
/// shortcut for the forms nearly every attribute uses: a string without escapes, a plain
/// decimal integer.
fn parse_literal(lit: &proc_macro2::Literal) -> LitKind {
    let text = lit.to_string();
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
    parse_literal_with_syn(lit)
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

fn parse_literal_with_syn(lit: &proc_macro2::Literal) -> LitKind {
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

/// The `#[ecs(...)]` attributes among `attrs`, parsed, in order. Other attributes are ignored;
/// `#[ecs]` without parentheses or `#[ecs = ...]` is an error.
pub fn ecs_entries(attrs: &[syn::Attribute], cx: &Ctxt) -> Vec<Entry> {
    let mut entries = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("ecs") {
            continue;
        }
        match &attr.meta {
            syn::Meta::List(list) => entries.extend(parse_entries(list.tokens.clone(), cx)),
            other => cx.error_help(
                syn::spanned::Spanned::span(other),
                "expected `#[ecs(...)]`",
                "write the keys in parentheses, for example `#[ecs(image = \"nginx:1.27\")]`",
            ),
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    /// The shortcuts read every literal as syn does.
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
            assert_eq!(parse_literal(&lit), parse_literal_with_syn(&lit), "{text}");
        }
    }
}
