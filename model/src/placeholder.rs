//! `${NAME}` deploy-time placeholders (DESIGN.md §3), and [`ValueError`], the error every value
//! parser of this crate returns.
//!
//! A string may hold `${NAME}` where `NAME` is `[A-Z_][A-Z0-9_]*`; `$${` stands for a literal
//! `${`. Any other `$` is an ordinary character. `cargo ecsdef export` substitutes placeholders
//! with [`Template::resolve`]; at compile time the parsers of [`crate::arn`] and
//! [`crate::partition`] ask [`templated_segment`] whether a segment holds one, skip the content
//! checks of such a segment and still check the structure around it.

use std::fmt;
use std::ops::Range;

/// The rule name of a malformed placeholder (`${` never closed, a name that is not
/// `[A-Z_][A-Z0-9_]*`).
pub const PLACEHOLDER_SYNTAX: &str = "placeholder-syntax";

/// Why a value does not parse, in a form a diagnostic renderer can show as-is.
///
/// - `rule`: the kebab-case name of the ecsdef rule that rejects the value (DESIGN.md §4), e.g.
///   `secret-arn-syntax`; `#[ecs(allow(...))]` and the JSON output key on it.
/// - `message`: what is wrong, naming the offending part (`account \`1234\` is not 12 digits`).
/// - `expected`: a help line saying what was expected instead, usually with an example.
/// - `span`: the byte range of the offending part *within the string given to the parser*,
///   always on `char` boundaries and within the input, so the CLI can put a caret under it
///   (an empty range at the end of the input means "something is missing here").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValueError {
    /// The rule that rejects the value.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
    /// What was expected instead (the help line).
    pub expected: String,
    /// The byte range of the offending part of the input.
    pub span: Range<usize>,
}

/// The error of [`Template::parse`]: a [`ValueError`] whose rule is [`PLACEHOLDER_SYNTAX`].
pub type PlaceholderError = ValueError;

impl ValueError {
    /// An error of `rule` about the part of the input at `span`.
    pub fn new(
        rule: &'static str,
        message: impl Into<String>,
        expected: impl Into<String>,
        span: Range<usize>,
    ) -> Self {
        ValueError {
            rule,
            message: message.into(),
            expected: expected.into(),
            span,
        }
    }

    /// The same error attributed to `rule`, unless it is a placeholder error: a malformed
    /// `${...}` is reported as such wherever it appears.
    #[must_use]
    pub fn with_rule(mut self, rule: &'static str) -> Self {
        if self.rule != PLACEHOLDER_SYNTAX {
            self.rule = rule;
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
        let mut rest = source;
        let mut at = 0;
        while let Some(dollar) = rest.find('$') {
            literal.push_str(&rest[..dollar]);
            at += dollar;
            rest = &rest[dollar..];
            if rest.starts_with("$${") {
                literal.push_str("${");
                at += 3;
                rest = &rest[3..];
            } else if let Some(after_open) = rest.strip_prefix("${") {
                let Some(close) = after_open.find('}') else {
                    return Err(ValueError::new(
                        PLACEHOLDER_SYNTAX,
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
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Placeholder(name.to_owned()));
                at += 2 + close + 1;
                rest = &after_open[close + 1..];
            } else {
                literal.push('$');
                at += 1;
                rest = &rest[1..];
            }
        }
        literal.push_str(rest);
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
            PLACEHOLDER_SYNTAX,
            "placeholder `${}` has no name",
            expected,
            offset..offset,
        ));
    };
    if first.is_ascii_digit() {
        return Err(ValueError::new(
            PLACEHOLDER_SYNTAX,
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
                PLACEHOLDER_SYNTAX,
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

/// Whether a value of `context` that [`resolve_task`] substitutes (the region, the versions,
/// a container's KMS key, a field's value) holds a `${`. With the definition's JSON, it says
/// whether a task needs substituting at all; the two lists of values are kept here together.
pub fn context_has_placeholder(context: &crate::rules::Context) -> bool {
    let has = |s: &String| s.contains("${");
    [
        &context.region,
        &context.platform_version,
        &context.agent_version,
    ]
    .into_iter()
    .flatten()
    .any(has)
        || context.containers.iter().any(|c| {
            c.kms_key.as_ref().is_some_and(has)
                || c.fields.iter().any(|f| match &f.value {
                    crate::rules::FieldValue::Env(v) | crate::rules::FieldValue::Secret(v) => {
                        has(v)
                    }
                    crate::rules::FieldValue::Skip | crate::rules::FieldValue::None => false,
                })
        })
}

/// Substitutes every placeholder of a task definition and its context (every string member,
/// at any depth, and the context's region, versions and KMS keys). Returns every name
/// `lookup` could not resolve, deduplicated, in order of first appearance. A string whose
/// `${...}` is malformed is left as written: the rules report it where they check the value.
pub fn resolve_task(
    definition: &crate::TaskDefinition,
    context: &crate::rules::Context,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<(crate::TaskDefinition, crate::rules::Context), Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let mut resolve = |s: &mut String| {
        if let Ok(template) = Template::parse(s) {
            match template.resolve(&mut lookup) {
                Ok(resolved) => *s = resolved,
                Err(names) => {
                    for name in names {
                        if !missing.contains(&name) {
                            missing.push(name);
                        }
                    }
                }
            }
        }
    };
    let mut value = crate::json::task_definition_to_value(definition);
    resolve_strings(&mut value, &mut resolve);
    let mut context = context.clone();
    for s in [
        &mut context.region,
        &mut context.platform_version,
        &mut context.agent_version,
    ]
    .into_iter()
    .flatten()
    {
        resolve(s);
    }
    for c in &mut context.containers {
        if let Some(key) = &mut c.kms_key {
            resolve(key);
        }
        for field in &mut c.fields {
            if let crate::rules::FieldValue::Env(v) | crate::rules::FieldValue::Secret(v) =
                &mut field.value
            {
                resolve(v);
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    // Only string contents changed, so the value still has the model's shape.
    let definition =
        crate::json::task_definition_from_value(&value).unwrap_or_else(|_| definition.clone());
    Ok((definition, context))
}

fn resolve_strings(value: &mut serde_json::Value, resolve: &mut impl FnMut(&mut String)) {
    match value {
        serde_json::Value::String(s) => resolve(s),
        serde_json::Value::Array(items) => {
            for item in items {
                resolve_strings(item, resolve);
            }
        }
        serde_json::Value::Object(map) => {
            for item in map.values_mut() {
                resolve_strings(item, resolve);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `context_has_placeholder` looks at exactly the context values `resolve_task` fills: a
    /// placeholder in each is seen by the one and reported missing by the other.
    #[test]
    fn the_context_values_seen_are_the_ones_substituted() {
        use crate::rules::{ContainerContext, Context, FieldInfo, FieldType, FieldValue};
        fn field(value: FieldValue) -> FieldInfo {
            FieldInfo {
                name: "f".into(),
                variable: "F".into(),
                ty: FieldType::Other,
                optional: false,
                value,
                allow: Vec::new(),
            }
        }
        let placed: [fn(&mut Context); 6] = [
            |c| c.region = Some("${X}".into()),
            |c| c.platform_version = Some("${X}".into()),
            |c| c.agent_version = Some("${X}".into()),
            |c| c.containers[0].kms_key = Some("${X}".into()),
            |c| {
                c.containers[0]
                    .fields
                    .push(field(FieldValue::Env("${X}".into())));
            },
            |c| {
                c.containers[0]
                    .fields
                    .push(field(FieldValue::Secret("${X}".into())));
            },
        ];
        let definition = crate::TaskDefinition::default();
        let clean = Context {
            containers: vec![ContainerContext::default()],
            ..Context::default()
        };
        assert!(!context_has_placeholder(&clean));
        assert!(resolve_task(&definition, &clean, |_| None).is_ok());
        for place in placed {
            let mut context = clean.clone();
            place(&mut context);
            assert!(context_has_placeholder(&context), "{context:?}");
            assert_eq!(
                resolve_task(&definition, &context, |_| None).err(),
                Some(vec!["X".to_owned()]),
                "{context:?}"
            );
        }
    }

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
        assert_eq!(e.rule, PLACEHOLDER_SYNTAX);
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
