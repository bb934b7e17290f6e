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

use crate::rule::{Level, Quote, Rule, Scope, aws_docs};

/// A malformed placeholder (`${` never closed, a name that is not `[A-Z_][A-Z0-9_]*`),
/// wherever it is written.
pub const PLACEHOLDER_SYNTAX: Rule = Rule {
    name: "placeholder-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a `${NAME}` placeholder: NAME of `A-Z`, `0-9` and `_`, not starting with a digit, closed by `}`; `$${` is a literal `${`; none in an ARN's partition, service or resource type",
    help: "write `${NAME}` with NAME of `A-Z`, `0-9` and `_`, not starting with a digit, and `$${` for a literal `${`",
    link: aws_docs::TASK_PARAMS,
    aws: Quote {
        text: "This string is passed directly to the Docker daemon.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 114,
};

/// A value that holds another tool's template placeholder (`<IMAGE1_NAME>`, `{{ must_env "TAG" }}`,
/// `${environment}`, `YOUR_ACCOUNT_ID`, ...): the definition is a template of that tool, not
/// deployable as it stands. See [`foreign`].
pub const FOREIGN_PLACEHOLDER: Rule = Rule {
    name: "foreign-placeholder",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a value that holds another tool's template placeholder (Go templates and ecspresso's `{{ ... }}`, envsubst's and Terraform's `${name}` and `$NAME`, `<NAME>`, `#{NAME}`, `__NAME__`, `$$$NAME$$$`, `%NAME%`, `REPLACE_ME`, `YOUR_...`, `XXXX`, `..._PLACEHOLDER`, an empty image): it would be deployed as written; write an ecsdef `${NAME}` placeholder or the value",
    help: "write the value, or an ecsdef placeholder `${NAME}` whose value `cargo ecsdef export --var NAME=...` gives",
    link: aws_docs::TASK_PARAMS,
    aws: Quote {
        text: "This string is passed directly to the Docker daemon.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 117,
};

/// The rules of this module, for [`crate::rules::RULES`].
pub(crate) const RULES: &[&Rule] = &[&PLACEHOLDER_SYNTAX, &FOREIGN_PLACEHOLDER];

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

/// Whether `value` is one `${NAME}` placeholder and nothing else: a value known only at
/// deploy time, accepted wherever a string goes and checked in full once substituted.
pub fn is_whole_placeholder(value: &str) -> bool {
    value
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| !name.contains('}') && check_name(name, 0).is_ok())
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

/// Whether `s` holds `${` anywhere, an escaped `$${` included: `s.contains("${")` without
/// setting up a substring searcher, which costs more than the search in a value of a few
/// dozen bytes (every string of every definition is asked).
pub fn holds_dollar_brace(s: &str) -> bool {
    // Most values hold no `$`, which `contains` on bytes finds a word at a time.
    s.as_bytes().contains(&b'$') && s.as_bytes().windows(2).any(|two| two == b"${")
}

/// Whether `s` holds a `${` that opens a placeholder (not a `$${` escape). A lexical test: it
/// does not check that the placeholder is well formed (see [`templated_segment`]).
pub fn contains_placeholder(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Most values hold no `$`, which `contains` on bytes finds a word at a time.
    if !bytes.contains(&b'$') {
        return false;
    }
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

/// The tool (or convention) a foreign placeholder belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    /// `{{ ... }}`: Go's `text/template`, as ecspresso (`{{ must_env "TAG" }}`), Helm and
    /// AWS's own test frameworks (`{{region}}`) write it.
    GoTemplate,
    /// `${name}` with a name ecsdef does not take (`${environment}`, `${var.image}`,
    /// `${TAG:-latest}`): envsubst, Terraform's `templatefile`, docker compose.
    DollarBrace,
    /// `$NAME`: envsubst and shell.
    Dollar,
    /// `<NAME>`: AWS's documentation and CodePipeline's image definitions (`<IMAGE1_NAME>`).
    Angle,
    /// `#{NAME}`: Octopus Deploy and Azure Pipelines' replace-tokens task.
    HashBrace,
    /// `__NAME__`: replace-tokens tasks.
    DoubleUnderscore,
    /// `$$$NAME$$$`: replace-tokens tasks.
    TripleDollar,
    /// `%NAME%`: Windows-style variables and replace-tokens tasks.
    Percent,
    /// A word that says "fill me in": `REPLACE_ME`, `REPLACED_BY_CI`, `YOUR_ACCOUNT_ID`,
    /// `XXXXXXXXXXXX`, `ACCOUNTID_PLACEHOLDER`, `CHANGE_ME`, or an upper-case word where an
    /// ARN's region or account goes (`arn:aws:secretsmanager:REGION:ACCOUNT:...`).
    Convention,
    /// An empty image: the render-task-definition step of a CI pipeline fills it in.
    EmptyImage,
}

impl Tool {
    /// What the tool is, for a message: "a Go template placeholder (ecspresso, Helm)".
    pub const fn describe(self) -> &'static str {
        match self {
            Tool::GoTemplate => {
                "a Go template placeholder (ecspresso, Helm, AWS's test frameworks)"
            }
            Tool::DollarBrace => {
                "an envsubst or Terraform `templatefile` placeholder (ecsdef's own `${NAME}` takes `A-Z`, `0-9` and `_` only)"
            }
            Tool::Dollar => "an envsubst or shell variable",
            Tool::Angle => {
                "a `<NAME>` placeholder (AWS's examples, CodePipeline's image definitions)"
            }
            Tool::HashBrace => "an Octopus Deploy or replace-tokens placeholder",
            Tool::DoubleUnderscore | Tool::TripleDollar => "a replace-tokens placeholder",
            Tool::Percent => "a `%NAME%` replace-tokens placeholder",
            Tool::Convention => "a placeholder word meant to be replaced by hand or by CI",
            Tool::EmptyImage => "an empty image, which a CI step fills in",
        }
    }
}

/// One placeholder of another tool in a value, found by [`foreign`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Foreign {
    /// Where it is in the value.
    pub range: Range<usize>,
    /// Whose it is.
    pub tool: Tool,
    /// The ecsdef placeholder name it becomes: the name it had, in ecsdef's form
    /// (`{{ecsTaskRoleArn}}` is `ECS_TASK_ROLE_ARN`, `${environment}` is `ENVIRONMENT`).
    pub name: String,
}

/// How much of a value [`foreign`] reads as a possible placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// A value AWS parses (an image, an ARN, a region, a role): every form anywhere in it.
    Structured,
    /// Free text (an environment value, a log option, a label): every form, but `$NAME` and
    /// `%NAME%` only as the whole value. Applications expand `$HOME` in their own settings
    /// (`PATH=/app/bin:$PATH`), and `%Y%m%d` is a date format.
    Text,
}

/// The placeholders of other tools in `value`, in order, none overlapping.
///
/// What counts, and why (decided on 165 task definitions from public repositories, where no
/// real value matched):
///
/// - `{{ ... }}` anywhere: no value AWS reads is written with double braces.
/// - `${name}` whose name ecsdef does not take but that is a plain name (`[A-Za-z_]` then
///   `[A-Za-z0-9_.-]`, optionally `:-default`); a malformed `${` that is no name at all stays
///   a `placeholder-syntax` error.
/// - `<NAME>`: upper case, digits and `_` (`<IMAGE1_NAME>`), or lower case with a `-` or `_`
///   (`<your-account-id>`); lower-case words alone are left alone (`<br>` in a label).
/// - `#{NAME}`, `__NAME__` and `$$$NAME$$$` with an upper-case name.
/// - `$NAME` and `%NAME%` (upper case, at least two characters) as the whole value, and
///   anywhere in a [`Reading::Structured`] value.
/// - Words (runs of `A-Z`, `0-9`, `_`) that are upper case and say "fill me in": `YOUR_...`,
///   `REPLACE...`, `CHANGE_ME`/`CHANGEME`, `...PLACEHOLDER...`, four or more `X`; and an
///   upper-case word where an ARN's region or account goes, which no real ARN has there.
pub fn foreign(value: &str, reading: Reading) -> Vec<Foreign> {
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut own: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        // `$${` is ecsdef's literal `${`: what follows is text, not a placeholder.
        if value[at..].starts_with("$${") {
            at += 3;
            continue;
        }
        // An ecsdef placeholder is the user's own: its name is not a convention word.
        if let Some(rest) = value[at..].strip_prefix("${")
            && let Some(close) = rest.find('}')
            && check_name(&rest[..close], 0).is_ok()
        {
            own.push(at..at + 2 + close + 1);
            at += 2 + close + 1;
            continue;
        }
        if let Some((len, tool, name)) = foreign_at(&value[at..]) {
            let end = at + len;
            let whole = at == 0 && end == value.len();
            if whole
                || !matches!(tool, Tool::Dollar | Tool::Percent)
                || reading == Reading::Structured
            {
                found.push(Foreign {
                    range: at..end,
                    tool,
                    name,
                });
                at = end;
                continue;
            }
        }
        at += value[at..].chars().next().map_or(1, char::len_utf8);
    }
    // The conventions, in the text between the forms above.
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in value
        .char_indices()
        .chain(std::iter::once((value.len(), ' ')))
    {
        let inside =
            found.iter().any(|f| f.range.contains(&i)) || own.iter().any(|r| r.contains(&i));
        if c.is_ascii_alphanumeric() || c == '_' {
            if start.is_none() && !inside {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            words.push(s..i);
        }
    }
    let arn_fields = arn_region_and_account(value);
    for word in words {
        let text = &value[word.clone()];
        if is_convention_word(text) || (arn_fields.contains(&word) && is_upper_word(text)) {
            // `XXXXXXXXXXXX` says nothing of what it stands for; where an ARN's region or
            // account goes, that is its name.
            let name = match arn_fields.iter().position(|f| *f == word) {
                Some(0) if text.chars().all(|c| c == 'X') => "REGION".to_owned(),
                Some(1) if text.chars().all(|c| c == 'X') => "ACCOUNT_ID".to_owned(),
                _ => ecsdef_name(text),
            };
            found.push(Foreign {
                range: word,
                tool: Tool::Convention,
                name,
            });
        }
    }
    // Two runs, each in order: the forms, then the conventions between them. Merged by
    // insertion, whose moves are at most (conventions x forms), less than the scan above
    // already does (characters x forms); a library sort is thousands of lines of code in
    // every debug build of the model.
    for i in 1..found.len() {
        let mut j = i;
        while j > 0 && found[j - 1].range.start > found[j].range.start {
            found.swap(j - 1, j);
            j -= 1;
        }
    }
    found
}

/// The byte ranges of an ARN's region and account fields (in that order, either possibly
/// empty), when `value` is an ARN.
fn arn_region_and_account(value: &str) -> Vec<Range<usize>> {
    if !value.starts_with("arn:") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (n, field) in value.split(':').enumerate().take(5) {
        if n >= 3 {
            out.push(start..start + field.len());
        }
        start += field.len() + 1;
    }
    out
}

fn is_upper_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `YOUR_...`, `REPLACE...`, `CHANGE_ME`, `...PLACEHOLDER...`, `XXXX...`.
fn is_convention_word(word: &str) -> bool {
    is_upper_word(word)
        && (word.starts_with("YOUR_")
            || word.starts_with("REPLACE")
            || word == "CHANGE_ME"
            || word == "CHANGEME"
            || word.contains("PLACEHOLDER")
            || (word.len() >= 4 && word.chars().all(|c| c == 'X')))
}

/// The form that starts `rest`, if one does: its length, tool and ecsdef name.
fn foreign_at(rest: &str) -> Option<(usize, Tool, String)> {
    if let Some(inner) = rest.strip_prefix("{{") {
        let close = inner.find("}}")?;
        return Some((
            2 + close + 2,
            Tool::GoTemplate,
            go_template_name(&inner[..close])?,
        ));
    }
    if let Some(inner) = rest.strip_prefix("$$$") {
        let len = upper_name_len(inner);
        if len > 0 && inner[len..].starts_with("$$$") {
            return Some((3 + len + 3, Tool::TripleDollar, ecsdef_name(&inner[..len])));
        }
        return None;
    }
    if let Some(inner) = rest.strip_prefix("${") {
        let close = inner.find('}')?;
        let body = &inner[..close];
        if check_name(body, 0).is_ok() {
            return None;
        }
        // `${NAME:-default}`, `${NAME-default}`: envsubst's and compose's defaults.
        let name = body.split(":-").next().unwrap_or(body);
        let name = match name.split_once('-') {
            Some((n, _)) if check_name(n, 0).is_ok() => n,
            _ => name,
        };
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        return plain.then(|| (2 + close + 1, Tool::DollarBrace, ecsdef_name(name)));
    }
    if let Some(inner) = rest.strip_prefix('$') {
        let len = upper_name_len(inner);
        return (len >= 2).then(|| (1 + len, Tool::Dollar, ecsdef_name(&inner[..len])));
    }
    if let Some(inner) = rest.strip_prefix("#{") {
        let close = inner.find('}')?;
        let name = &inner[..close];
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        // Azure's replace-tokens closes with `}#`.
        let len = if inner[close + 1..].starts_with('#') {
            close + 2
        } else {
            close + 1
        };
        return plain.then(|| (2 + len, Tool::HashBrace, ecsdef_name(name)));
    }
    if let Some(inner) = rest.strip_prefix('<') {
        let close = inner.find('>')?;
        let name = &inner[..close];
        let upper = is_upper_word(name);
        let lower_joined = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.contains(['-', '_'])
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        return (upper || lower_joined).then(|| (1 + close + 1, Tool::Angle, ecsdef_name(name)));
    }
    if let Some(inner) = rest.strip_prefix("__") {
        let len = upper_name_len(inner);
        let name = inner[..len].trim_end_matches('_');
        if !name.is_empty() && inner[name.len()..].starts_with("__") {
            return Some((
                2 + name.len() + 2,
                Tool::DoubleUnderscore,
                ecsdef_name(name),
            ));
        }
        return None;
    }
    if let Some(inner) = rest.strip_prefix('%') {
        let len = upper_name_len(inner);
        if len >= 2 && inner[len..].starts_with('%') {
            return Some((1 + len + 1, Tool::Percent, ecsdef_name(&inner[..len])));
        }
    }
    None
}

/// The length of the `[A-Z][A-Z0-9_]*` name that starts `text`.
fn upper_name_len(text: &str) -> usize {
    if !text.starts_with(|c: char| c.is_ascii_uppercase()) {
        return 0;
    }
    text.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len())
}

/// The name a Go template action stands for: the variable of `env` and `must_env` (their
/// first quoted argument: `must_env "TAG"`, ``env `TAG` `latest` ``), the last quoted
/// argument of another function (``cfn_output `stack` `LogGroupName` ``), else its last
/// identifier (`.Values.image`, `ecsTaskRoleArn`).
fn go_template_name(action: &str) -> Option<String> {
    let action = action
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let function = action.split_whitespace().next().unwrap_or_default();
    let quoted: Vec<&str> = action
        .split(['"', '`'])
        .skip(1)
        .step_by(2)
        .filter(|q| !q.is_empty())
        .collect();
    let chosen = if matches!(function, "env" | "must_env") {
        quoted.first()
    } else {
        quoted.last()
    };
    if let Some(quoted) = chosen {
        return Some(ecsdef_name(quoted));
    }
    let last = action
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| !w.is_empty())?;
    Some(ecsdef_name(last))
}

/// `name` in ecsdef's form: camel case and any run of other characters split into words,
/// upper case, joined by `_`; a leading digit gets a `_` before it (`ecsTaskRoleArn` is
/// `ECS_TASK_ROLE_ARN`, `var.image-tag` is `VAR_IMAGE_TAG`).
pub fn ecsdef_name(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                && c.is_ascii_uppercase()
            {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            previous = Some(c);
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous = None;
        }
    }
    let out = out.trim_matches('_').to_owned();
    match out.chars().next() {
        None => "VALUE".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        Some(_) => out,
    }
}

/// `value` with each placeholder of another tool written as the ecsdef placeholder it becomes
/// (see [`Foreign::name`]), with what was found, or `None` when it has none.
pub fn rewrite_foreign(value: &str, reading: Reading) -> Option<(String, Vec<Foreign>)> {
    let found = foreign(value, reading);
    if found.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut at = 0;
    for f in &found {
        out.push_str(&value[at..f.range.start]);
        out.push_str("${");
        out.push_str(&f.name);
        out.push('}');
        at = f.range.end;
    }
    out.push_str(&value[at..]);
    Some((out, found))
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
    fn holds_dollar_brace_is_str_contains() {
        for s in [
            "", "$", "{", "${", "$${A}", "x${", "${A}", "ab$c{d", "$$", "{$", "é${é}", "a$b${",
        ] {
            assert_eq!(holds_dollar_brace(s), s.contains("${"), "{s:?}");
        }
        // A `$` or `${` at every offset of values longer than the word the search steps by.
        for len in 0..40 {
            for at in 0..len {
                for mark in ["$", "${", "{", "$$"] {
                    let mut s = "a".repeat(len);
                    s.replace_range(at..at, mark);
                    assert_eq!(holds_dollar_brace(&s), s.contains("${"), "{s:?}");
                    assert_eq!(contains_placeholder(&s), mark == "${", "{s:?}");
                }
            }
        }
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

    /// Conventions and forms mixed in one value come out in the order they are written.
    #[test]
    fn foreign_placeholders_come_in_the_order_written() {
        use super::{Reading, foreign};
        let value = "REPLACE_ME-{{a}}-YOUR_HOST-XXXX:{{c}}";
        let found: Vec<&str> = foreign(value, Reading::Structured)
            .iter()
            .map(|f| &value[f.range.clone()])
            .collect();
        assert_eq!(found, ["REPLACE_ME", "{{a}}", "YOUR_HOST", "XXXX", "{{c}}"]);
    }

    /// Each tool's form is found with the name it becomes, and the values that only look
    /// alike are left alone.
    #[test]
    fn foreign_placeholders_are_found_and_named() {
        use super::{Reading, Tool, foreign};
        fn one(value: &str, reading: Reading) -> (&str, Tool, String) {
            let found = foreign(value, reading);
            assert_eq!(found.len(), 1, "{value}: {found:?}");
            let f = &found[0];
            (&value[f.range.clone()], f.tool, f.name.clone())
        }
        let s = Reading::Structured;
        let t = Reading::Text;
        for (value, reading, text, tool, name) in [
            (
                "<IMAGE1_NAME>",
                s,
                "<IMAGE1_NAME>",
                Tool::Angle,
                "IMAGE1_NAME",
            ),
            (
                "arn:aws:iam::<account-id>:role/x",
                s,
                "<account-id>",
                Tool::Angle,
                "ACCOUNT_ID",
            ),
            (
                "{{ecsTaskRoleArn}}",
                s,
                "{{ecsTaskRoleArn}}",
                Tool::GoTemplate,
                "ECS_TASK_ROLE_ARN",
            ),
            (
                "web:{{ must_env `TAG` }}",
                s,
                "{{ must_env `TAG` }}",
                Tool::GoTemplate,
                "TAG",
            ),
            (
                "{{ env `TAG` `latest` }}",
                t,
                "{{ env `TAG` `latest` }}",
                Tool::GoTemplate,
                "TAG",
            ),
            (
                "{{ cfn_output `stack` `LogGroupName` }}",
                t,
                "{{ cfn_output `stack` `LogGroupName` }}",
                Tool::GoTemplate,
                "LOG_GROUP_NAME",
            ),
            (
                "/ecs/${environment}",
                t,
                "${environment}",
                Tool::DollarBrace,
                "ENVIRONMENT",
            ),
            (
                "${TAG:-latest}",
                t,
                "${TAG:-latest}",
                Tool::DollarBrace,
                "TAG",
            ),
            ("$IMAGE", t, "$IMAGE", Tool::Dollar, "IMAGE"),
            (
                "arn:aws:iam::$ACCOUNT_ID:role/x",
                s,
                "$ACCOUNT_ID",
                Tool::Dollar,
                "ACCOUNT_ID",
            ),
            (
                "#{Octopus.Region}",
                t,
                "#{Octopus.Region}",
                Tool::HashBrace,
                "OCTOPUS_REGION",
            ),
            (
                "__ECR_REGISTRY__/web",
                s,
                "__ECR_REGISTRY__",
                Tool::DoubleUnderscore,
                "ECR_REGISTRY",
            ),
            ("$$$TAG$$$", t, "$$$TAG$$$", Tool::TripleDollar, "TAG"),
            (
                "%REPOSITORY_URI%",
                t,
                "%REPOSITORY_URI%",
                Tool::Percent,
                "REPOSITORY_URI",
            ),
            (
                "REPLACED_BY_CI",
                s,
                "REPLACED_BY_CI",
                Tool::Convention,
                "REPLACED_BY_CI",
            ),
            (
                "arn:aws:iam::YOUR_ACCOUNT_ID:role/x",
                s,
                "YOUR_ACCOUNT_ID",
                Tool::Convention,
                "YOUR_ACCOUNT_ID",
            ),
            (
                "arn:aws:iam::XXXXXXXXXXXX:role/x",
                s,
                "XXXXXXXXXXXX",
                Tool::Convention,
                "ACCOUNT_ID",
            ),
            (
                "ACCOUNTID_PLACEHOLDER.dkr.ecr.us-east-1.amazonaws.com/w",
                s,
                "ACCOUNTID_PLACEHOLDER",
                Tool::Convention,
                "ACCOUNTID_PLACEHOLDER",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:ACCOUNT:secret:x",
                s,
                "ACCOUNT",
                Tool::Convention,
                "ACCOUNT",
            ),
        ] {
            assert_eq!(
                one(value, reading),
                (text, tool, name.to_owned()),
                "{value}"
            );
        }
        for value in [
            "${IMAGE_TAG}",
            "arn:aws:iam::${YOUR_ACCOUNT_ID}:role/x",
            "$${literal}",
            "<br>",
            "PATH=/app/bin:$PATH",
            "%Y%m%d",
            "__init__",
            "ghcr.io/acme/web:1.4.2",
            "arn:aws:iam::123456789012:role/x",
            "max 100%",
            "XXX",
            "mktemp /tmp/fooXXXXXX",
        ] {
            assert_eq!(foreign(value, Reading::Text), [], "{value}");
        }
        assert_eq!(foreign("PATH=/app/bin:$PATH", Reading::Structured).len(), 1);
    }
}
