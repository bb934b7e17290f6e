//! `${NAME}` deploy-time placeholders, and [`ValueError`], the error every value parser of this
//! crate returns.
//!
//! A string may hold `${NAME}` where `NAME` is `[A-Z_][A-Z0-9_]*`; `$${` stands for a literal
//! `${`. Any other `$` is an ordinary character. A placeholder stands for a value known only at
//! deploy time (an account id, an image tag): `cargo ecsdef export` substitutes them (see
//! `substitute`), and until then the parsers of ARNs, partitions and images ask
//! [`templated_segment`] or [`scan`] where they are, skip the content checks of what a
//! placeholder stands for and still check the structure around it.
//!
//! [`scan`] is the one reader of placeholders: [`Template::parse`] and the image parser are
//! built on it, so a malformed `${` is the same `placeholder-syntax` error wherever it is.

use std::fmt;
use std::ops::Range;

use crate::rule::{Level, Rule, Scope, aws_docs};

/// A malformed placeholder (`${` never closed, a name that is not `[A-Z_][A-Z0-9_]*`),
/// wherever it is written.
pub const PLACEHOLDER_SYNTAX: Rule = Rule {
    name: "placeholder-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a `${NAME}` placeholder: NAME of `A-Z`, `0-9` and `_`, not starting with a digit, closed by `}`; `$${` is a literal `${`; none in an ARN's partition, service or resource type",
    help: "write `${NAME}` with NAME of `A-Z`, `0-9` and `_`, not starting with a digit, and `$${` for a literal `${`",
    link: aws_docs::TASK_PARAMS,
    order: 114,
};

/// The rules of this module, for [`crate::rules::RULES`].
pub(crate) const RULES: &[&Rule] = &[&PLACEHOLDER_SYNTAX];

/// Why a value does not parse, in a form a diagnostic renderer can show as-is.
///
/// - `rule`: the rule that rejects the value, e.g. `secret-arn-syntax`. `None` when the parser
///   has no rule of its own for the mistake (a generic ARN, partition or account that is
///   malformed as such): the typed parser that called it names the rule
///   ([`ValueError::with_rule`]), and a diagnostic reports it under the rule of the value it
///   was checking.
/// - `message`: what is wrong, naming the offending part (`account \`1234\` is not 12 digits`).
/// - `expected`: a help line saying what was expected instead, usually with an example.
/// - `span`: the byte range of the offending part *within the string given to the parser*,
///   always on `char` boundaries and within the input, so the CLI can put a caret under it
///   (an empty range at the end of the input means "something is missing here").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValueError {
    /// The rule that rejects the value, when the parser knows it.
    pub rule: Option<&'static Rule>,
    /// What is wrong.
    pub message: String,
    /// What was expected instead (the help line).
    pub expected: String,
    /// The byte range of the offending part of the input.
    pub span: Range<usize>,
}

impl ValueError {
    /// An error of `rule` about the part of the input at `span`.
    pub fn new(
        rule: &'static Rule,
        message: impl Into<String>,
        expected: impl Into<String>,
        span: Range<usize>,
    ) -> Self {
        ValueError {
            rule: Some(rule),
            message: message.into(),
            expected: expected.into(),
            span,
        }
    }

    /// An error of a generic parser, which leaves the rule to the value's own parser.
    pub(crate) fn unattributed(
        message: impl Into<String>,
        expected: impl Into<String>,
        span: Range<usize>,
    ) -> Self {
        ValueError {
            rule: None,
            message: message.into(),
            expected: expected.into(),
            span,
        }
    }

    /// The same error attributed to `rule`, unless it is a placeholder error: a malformed
    /// `${...}` is reported as such wherever it appears.
    #[must_use]
    pub fn with_rule(mut self, rule: &'static Rule) -> Self {
        if self.rule != Some(&PLACEHOLDER_SYNTAX) {
            self.rule = Some(rule);
        }
        self
    }

    /// The same error with its span moved `by` bytes to the right: parsers of a part of a
    /// larger value report spans within the whole value.
    #[must_use]
    pub fn shifted(mut self, by: usize) -> Self {
        self.span = self.span.start + by..self.span.end + by;
        self
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (expected {})", self.message, self.expected)
    }
}

impl std::error::Error for ValueError {}

/// The error of [`Template::parse`] and [`scan`]: a [`ValueError`] whose rule is
/// [`PLACEHOLDER_SYNTAX`].
pub type PlaceholderError = ValueError;

/// What [`scan`] finds in a string, with its byte range there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mark {
    /// A well-formed `${NAME}`.
    Placeholder(Range<usize>),
    /// A `$${`, the escape of a literal `${`.
    Escape(Range<usize>),
}

impl Mark {
    /// Where it is.
    pub fn range(&self) -> Range<usize> {
        match self {
            Mark::Placeholder(range) | Mark::Escape(range) => range.clone(),
        }
    }
}

/// The placeholders and escapes of `source`, in order, or the error of the first malformed
/// placeholder: a `${` with no `}` after it (spanning from the `${` to the end), or a name
/// that is not `[A-Z_][A-Z0-9_]*` (spanning the offending character, or the whole `${}` of an
/// empty name). Any other `$` is an ordinary character.
pub fn scan(source: &str) -> Result<Vec<Mark>, PlaceholderError> {
    let mut marks = Vec::new();
    let mut at = 0;
    while let Some(dollar) = source[at..].find('$') {
        at += dollar;
        let rest = &source[at..];
        if rest.starts_with("$${") {
            marks.push(Mark::Escape(at..at + 3));
            at += 3;
        } else if let Some(after_open) = rest.strip_prefix("${") {
            let Some(close) = after_open.find('}') else {
                return Err(ValueError::new(
                    &PLACEHOLDER_SYNTAX,
                    "placeholder `${` is never closed",
                    "`${NAME}` with a closing `}` (write `$${` for a literal `${`)",
                    at..source.len(),
                ));
            };
            let name = &after_open[..close];
            check_name(name, at + 2).map_err(|e| {
                if name.is_empty() {
                    ValueError {
                        span: at..at + 3,
                        ..e
                    }
                } else {
                    e
                }
            })?;
            marks.push(Mark::Placeholder(at..at + 2 + close + 1));
            at += 2 + close + 1;
        } else {
            at += 1;
        }
    }
    Ok(marks)
}

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    /// Text taken as-is, with `$${` already unescaped to `${`.
    Literal(String),
    /// The name of a `${NAME}` placeholder.
    Placeholder(String),
}

/// A string with `${NAME}` placeholders, parsed.
///
/// Adjacent literal text is one [`Piece::Literal`]; `Display` gives back the source form
/// (`${` in literal text is written `$${`), so `Template::parse(&t.to_string()) == Ok(t)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `source`. Errors: a `${` with no `}` after it, or a name that is not
    /// `[A-Z_][A-Z0-9_]*`; the span covers the placeholder or the name.
    pub fn parse(source: &str) -> Result<Template, PlaceholderError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut at = 0;
        for mark in scan(source)? {
            let range = mark.range();
            literal.push_str(&source[at..range.start]);
            match mark {
                Mark::Escape(_) => literal.push_str("${"),
                Mark::Placeholder(range) => {
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    let name = &source[range.start + 2..range.end - 1];
                    pieces.push(Piece::Placeholder(name.to_owned()));
                }
            }
            at = range.end;
        }
        literal.push_str(&source[at..]);
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { pieces })
    }

    /// The pieces, in order.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Whether any piece is a placeholder.
    pub fn has_placeholders(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Placeholder(_)))
    }

    /// The placeholder names in order of appearance (a name used twice appears twice).
    pub fn placeholders(&self) -> impl Iterator<Item = &str> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// The text with every placeholder replaced by `lookup(name)`. Fails with every name
    /// `lookup` does not know, each once, in order of first appearance.
    pub fn resolve(
        &self,
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<String, Vec<String>> {
        let mut out = String::new();
        let mut missing: Vec<String> = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Placeholder(name) => match lookup(name) {
                    Some(value) => out.push_str(&value),
                    None => {
                        if !missing.iter().any(|m| m == name) {
                            missing.push(name.clone());
                        }
                    }
                },
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(missing)
        }
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => f.write_str(&text.replace("${", "$${"))?,
                Piece::Placeholder(name) => write!(f, "${{{name}}}")?,
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Template {
    type Err = PlaceholderError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Template::parse(s)
    }
}

/// Checks a placeholder name; `offset` is where the name starts in the input.
fn check_name(name: &str, offset: usize) -> Result<(), PlaceholderError> {
    let expected = "a name of `A-Z`, `0-9` and `_` not starting with a digit, e.g. `${ACCOUNT_ID}`";
    let mut chars = name.char_indices();
    let Some((_, first)) = chars.next() else {
        return Err(ValueError::new(
            &PLACEHOLDER_SYNTAX,
            "placeholder `${}` has no name",
            expected,
            offset..offset,
        ));
    };
    if first.is_ascii_digit() {
        return Err(ValueError::new(
            &PLACEHOLDER_SYNTAX,
            format!("placeholder name `{name}` starts with a digit"),
            expected,
            offset..offset + name.len(),
        ));
    }
    for (i, c) in name.char_indices() {
        if !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
            let what = if c.is_lowercase() {
                format!("placeholder name `{name}` has a lowercase letter `{c}`")
            } else {
                format!("placeholder name `{name}` has the character `{c}`")
            };
            return Err(ValueError::new(
                &PLACEHOLDER_SYNTAX,
                what,
                expected,
                offset + i..offset + i + c.len_utf8(),
            ));
        }
    }
    Ok(())
}

/// Whether `s` holds a `${` that opens a placeholder (not a `$${` escape). A lexical test: it
/// does not check that the placeholder is well formed (see [`templated_segment`]).
pub fn contains_placeholder(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' {
            if bytes[i + 1] == b'$' && bytes.get(i + 2) == Some(&b'{') {
                i += 3;
                continue;
            }
            if bytes[i + 1] == b'{' {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Whether the segment `s` of a larger value is templated, i.e. holds a placeholder, so that
/// its content is checked only at deploy time. A malformed placeholder is an error; `offset`
/// is where `s` starts in the input, for the span.
pub fn templated_segment(s: &str, offset: usize) -> Result<bool, ValueError> {
    if !contains_placeholder(s) {
        return Ok(false);
    }
    Template::parse(s)
        .map(|t| t.has_placeholders())
        .map_err(|e| e.shifted(offset))
}

/// The characters of `s` outside placeholders, with their byte offsets in `s`: what the
/// content checks of a partly templated segment look at. An escape `$${` yields the `$` and the
/// `{` it stands for. `s` is expected to be a valid template; text after an unclosed `${` is
/// yielded as-is.
pub fn literal_chars(s: &str) -> Vec<(usize, char)> {
    if !s.contains('$') {
        // No placeholder and no escape: every character, without looking ahead at each.
        return s.char_indices().collect();
    }
    let mut out = Vec::new();
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let rest = &s[i..];
        if rest.starts_with("$${") {
            out.push((i + 1, '$'));
            out.push((i + 2, '{'));
            iter.next();
            iter.next();
        } else if rest.starts_with("${") {
            if let Some(close) = rest.find('}') {
                while iter.peek().is_some_and(|&(j, _)| j <= i + close) {
                    iter.next();
                }
            } else {
                out.push((i, c));
            }
        } else {
            out.push((i, c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> ValueError {
        Template::parse(s).expect_err(s)
    }

    #[test]
    fn parses_literals_placeholders_and_escapes() {
        let t = Template::parse("img:${TAG}-x$${Y}$z").unwrap();
        assert_eq!(
            t.pieces(),
            [
                Piece::Literal("img:".into()),
                Piece::Placeholder("TAG".into()),
                Piece::Literal("-x${Y}$z".into()),
            ]
        );
        assert!(t.has_placeholders());
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["TAG"]);
        assert_eq!(t.to_string(), "img:${TAG}-x$${Y}$z");
    }

    #[test]
    fn plain_text_has_no_placeholders() {
        let t = Template::parse("a$b$$c}").unwrap();
        assert!(!t.has_placeholders());
        assert_eq!(t.pieces(), [Piece::Literal("a$b$$c}".into())]);
        assert_eq!(t.to_string(), "a$b$$c}");
        assert_eq!(Template::parse("").unwrap().pieces(), []);
    }

    #[test]
    fn escapes_round_trip() {
        for s in [
            "$${",
            "$$${",
            "$$$${A}",
            "a$${B}${C}",
            "${_}${A1}",
            "$",
            "$$",
        ] {
            let t = Template::parse(s).unwrap();
            assert_eq!(t.to_string(), s, "{s}");
            assert_eq!(Template::parse(&t.to_string()).unwrap(), t);
        }
        let t = Template::parse("$$${A}").unwrap();
        assert_eq!(t.pieces(), [Piece::Literal("$${A}".into())]);
    }

    #[test]
    fn unclosed_placeholder() {
        let e = err("arn:${ACCOUNT");
        assert_eq!(e.rule, Some(&PLACEHOLDER_SYNTAX));
        assert!(e.message.contains("never closed"), "{e}");
        assert_eq!(e.span, 4..13);
    }

    #[test]
    fn invalid_names() {
        let e = err("x${}");
        assert!(e.message.contains("no name"), "{e}");
        assert_eq!(e.span, 1..4);

        let e = err("${Account}");
        assert!(e.message.contains("lowercase letter `c`"), "{e}");
        assert_eq!(e.span, 3..4);

        let e = err("ab${A-B}");
        assert!(e.message.contains("character `-`"), "{e}");
        assert_eq!(e.span, 5..6);

        let e = err("${1A}");
        assert!(e.message.contains("starts with a digit"), "{e}");
        assert_eq!(e.span, 2..4);

        let e = err("${É}");
        assert!(e.message.contains("`É`"), "{e}");
        assert_eq!(e.span, 2..4);
    }

    #[test]
    fn resolve_substitutes_and_lists_missing_once() {
        let t = Template::parse("${A}/${B}/${A}/${C}/${B}").unwrap();
        let lookup = |n: &str| (n == "A").then(|| "1".to_owned());
        assert_eq!(t.resolve(lookup), Err(vec!["B".to_owned(), "C".to_owned()]));
        let all = |n: &str| Some(n.to_lowercase());
        assert_eq!(t.resolve(all).unwrap(), "a/b/a/c/b");
        let t = Template::parse("$${A}").unwrap();
        assert_eq!(t.resolve(|_| None).unwrap(), "${A}");
    }

    #[test]
    fn contains_placeholder_is_lexical() {
        assert!(contains_placeholder("${A}"));
        assert!(contains_placeholder("x${bad"));
        assert!(!contains_placeholder("$${A}"));
        assert!(!contains_placeholder("$A"));
        assert!(!contains_placeholder("$$$${A}"));
        assert!(contains_placeholder("$${A}${B}"));
        assert!(!contains_placeholder(""));
    }

    #[test]
    fn templated_segment_reports_malformed_placeholders_in_place() {
        assert_eq!(templated_segment("${ACCOUNT_ID}", 10), Ok(true));
        assert_eq!(templated_segment("123456789012", 10), Ok(false));
        let e = templated_segment("${account}", 10).unwrap_err();
        assert_eq!(e.span, 12..13);
    }

    #[test]
    fn literal_chars_skip_placeholders() {
        let chars: String = literal_chars("a${B}c$${").iter().map(|&(_, c)| c).collect();
        assert_eq!(chars, "ac${");
        assert_eq!(literal_chars("a${B}c")[1], (5, 'c'));
        // Without a `$`, every character with its offset.
        assert_eq!(literal_chars("aé_"), [(0, 'a'), (1, 'é'), (3, '_')]);
    }
}
