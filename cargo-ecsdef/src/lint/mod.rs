//! Task definitions checked where they are: JSON and YAML files (`RegisterTaskDefinition`
//! input, `describe-task-definition` output, CloudFormation templates) read with the position
//! of every value, loaded as AWS reads them, and judged by the same rules as declarations in
//! Rust, each finding at the line and column of the value it is about.
//!
//! - [`located`]: the values of a file and where each is;
//! - [`document`]: the task definitions a file holds, in the API's names;
//! - this module: the files of the paths given, the context a file cannot hold (given by
//!   flags, or inferred from the file), and the findings as [`Report`]s;
//! - [`sarif`]: the findings as SARIF 2.1.0, for code-scanning tools.

pub mod document;
pub mod located;
pub mod sarif;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ecsdef_model::TaskDefinition;
use ecsdef_model::json::{LoadErrors, from_value_lenient};
use ecsdef_model::rules::{self, ContainerContext, Context, Location};

use crate::analysis::{Pos, Report};
use document::{Definition, Kind};
use located::NodeValue;

/// The name under which a problem of the file's shape is reported (an unknown member, a
/// number written as a string): what `RegisterTaskDefinition` refuses before any rule runs.
pub const SHAPE_RULE: &str = "task-definition-shape";
/// The name under which a file that is not JSON or YAML is reported.
pub const SYNTAX_RULE: &str = "file-syntax";

/// The extensions a folder is searched for.
const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];

/// What the files cannot hold: the flags of `check PATH...`. What is not given is inferred
/// from each file where it shows it.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The region the tasks run in.
    pub region: Option<String>,
    /// The Fargate platform version.
    pub platform_version: Option<String>,
    /// The minimum ECS container agent version.
    pub agent_version: Option<String>,
    /// The customer-managed KMS key of every container's secrets.
    pub kms_key: Option<String>,
}

/// One file checked.
#[derive(Debug, Clone)]
pub struct LintedFile {
    /// The file.
    pub path: PathBuf,
    /// How many task definitions it holds.
    pub definitions: usize,
    /// What is wrong in it, in the order of the file.
    pub reports: Vec<Report>,
    /// What was normalised, mapped or inferred to read it (shown with `-v`).
    pub notes: Vec<String>,
}

/// A run over the paths given.
#[derive(Debug, Clone, Default)]
pub struct LintRun {
    /// The files that hold task definitions, in path order.
    pub files: Vec<LintedFile>,
    /// The files of folders that hold none.
    pub skipped: Vec<PathBuf>,
    /// Paths that cannot be read, and files given by name that hold no task definition.
    pub errors: Vec<Report>,
}

impl LintRun {
    /// Every report, errors of the paths first, then each file's in path order.
    pub fn reports(&self) -> impl Iterator<Item = &Report> {
        self.errors
            .iter()
            .chain(self.files.iter().flat_map(|f| &f.reports))
    }

    /// The number of task definitions checked.
    pub fn definitions(&self) -> usize {
        self.files.iter().map(|f| f.definitions).sum()
    }
}

/// Checks the task definitions of `paths` (files, or folders searched for `*.json`, `*.yaml`,
/// `*.yml` and `*.template` files).
pub fn lint(paths: &[PathBuf], options: &LintOptions) -> LintRun {
    let mut run = LintRun::default();
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let mut found = Vec::new();
                walk(path, &mut found, &mut run.errors);
                found.sort();
                files.extend(found.into_iter().map(|f| (f, false)));
            }
            Ok(_) => files.push((path.clone(), true)),
            Err(error) => run.errors.push(
                Report::error(format!("cannot read `{}`: {error}", path.display()))
                    .rule(SYNTAX_RULE),
            ),
        }
    }
    let checked = crate::parallel::parallel_map(&files, |(path, named)| {
        (lint_file(path, *named, options), *named)
    });
    for ((path, _), (result, named)) in files.iter().zip(checked) {
        match result {
            Some(file) => run.files.push(file),
            None if named => run.errors.push(
                Report::error(format!(
                    "`{}` holds no task definition: neither `RegisterTaskDefinition` input \
                     (`family`, `containerDefinitions`), `describe-task-definition` output \
                     (`taskDefinition`), nor a CloudFormation template with an \
                     `AWS::ECS::TaskDefinition` resource",
                    path.display()
                ))
                .rule(SYNTAX_RULE),
            ),
            None => run.skipped.push(path.clone()),
        }
    }
    run
}

/// The files of a folder with one of [`EXTENSIONS`], in any order; links are not followed,
/// nor hidden folders, `target` and `node_modules` entered.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<Report>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(
                Report::error(format!("cannot read `{}`: {error}", dir.display()))
                    .rule(SYNTAX_RULE),
            );
            return;
        }
    };
    for entry in entries.flatten() {
        // `check .` shows `web.json`, not `./web.json`.
        let path = if dir == Path::new(".") {
            PathBuf::from(entry.file_name())
        } else {
            entry.path()
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, out, errors);
            }
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

/// Checks one file; `None` when it holds no task definition. A file `named` on the command
/// line that is not JSON or YAML is reported as such.
fn lint_file(path: &Path, named: bool, options: &LintOptions) -> Option<LintedFile> {
    let Some(text) = crate::discover::read_source_file(path) else {
        let why = std::fs::metadata(path).map_or_else(
            |e| e.to_string(),
            |_| "not a regular UTF-8 text file of at most 64 MiB".to_owned(),
        );
        return Some(LintedFile {
            path: path.to_owned(),
            definitions: 0,
            reports: vec![
                Report::error(format!("cannot read `{}`: {why}", path.display())).rule(SYNTAX_RULE),
            ],
            notes: Vec::new(),
        });
    };
    check_text(path, &text, named, options)
}

/// The values of a file's text, read as JSON or YAML by its extension (a `.template` file by
/// its first character).
fn parse(path: &Path, text: &str) -> Result<located::Node, located::SyntaxError> {
    let is_json = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        // CloudFormation's `.template` files are either.
        _ => text.trim_start().starts_with(['{', '[']),
    };
    if is_json {
        located::parse_json(text)
    } else {
        located::parse_yaml(text)
    }
}

/// Where the values of a task-definition file that may be secrets are, wherever they stand:
/// each value that [`rules::may_hold_secret`] flags as the value of the member it is written
/// under (`"DB_PASSWORD": "..."`, a log driver's `apikey: ...`; a string or a number) or of
/// a `name` and `value` pair (`{"name": "DB_PASSWORD", "value": "..."}`; of any type). `plaintext-secret-in-env` judges only
/// the environment of a container definition; a snippet of the file masks these too, so that
/// an `environment` written in the wrong place or misspelled, which the file's shape error
/// points at, is not printed either. Empty for a Rust source, or a text that is not JSON or
/// YAML. A file that does not parse (its snippet is the line where it stops, all of a minified
/// JSON file) is read by its tokens alone (`secret_like_tokens`).
pub fn secret_like_values(path: &Path, text: &str) -> Vec<Pos> {
    if path.extension().is_some_and(|e| e == "rs") {
        return Vec::new();
    }
    let mut found = Vec::new();
    match parse(path, text) {
        Ok(root) => collect_secret_like(&root, &mut found),
        Err(_) => secret_like_tokens(text, &mut found),
    }
    found
}

/// The values that may be secrets in a text that is neither JSON nor YAML, as far as each
/// line tells: a quoted string or a bare word after a quoted key and a `:` (`"KEY": "value"`,
/// JSON's form and YAML's flow form), looked for from every `"`, so that a stray quote elsewhere does not
/// hide one; or what follows a plain key and `: ` to the end of the line (YAML's block form).
/// Each is judged by its key, or for the key `value`, by the `name` written before it in the
/// same object: with no brace between them (flow form), or with its key in the same column
/// (block form).
fn secret_like_tokens(text: &str, found: &mut Vec<Pos>) {
    // The last `name` seen: its value, and the byte where its text ends (flow form) or its
    // key's column (block form).
    let mut flow_name: Option<(&str, usize)> = None;
    let mut block_names: Vec<(usize, &str)> = Vec::new();
    // The last brace before the byte the scan has reached, found once for the whole text.
    let mut last_brace: Option<usize> = None;
    let mut braces_to = 0;
    let mut line_start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        // Starts and ends each come in order, but a value may end past the next one's start.
        let (mut starts, mut ends) = (Columns::new(line), Columns::new(line));
        let mut pos = |range: Range<usize>| Pos {
            line: number,
            column: starts.of(range.start),
            end_line: number,
            end_column: ends.of(range.end),
        };
        if let Some((column, key, value, range)) = block_member(line) {
            let name = block_names.iter().rev().find(|(c, _)| *c == column);
            if judge(key, value, name.map(|(_, name)| *name)) {
                found.push(pos(range));
            }
            if key.eq_ignore_ascii_case("name") {
                block_names.retain(|(c, _)| *c != column);
                block_names.push((column, value));
            }
        }
        for (at, _) in line.match_indices('"') {
            let Some((key, value, range)) = flow_member(line, at) else {
                continue;
            };
            let here = line_start + at;
            if let Some(brace) = text[braces_to..here].rfind(['{', '}']) {
                last_brace = Some(braces_to + brace);
            }
            braces_to = braces_to.max(here);
            let name = flow_name.filter(|(_, end)| last_brace.is_none_or(|b| b < *end));
            if judge(key, value, name.map(|(name, _)| name)) {
                found.push(pos(range.clone()));
            }
            if key.eq_ignore_ascii_case("name") {
                flow_name = Some((value, line_start + range.end));
            }
        }
        line_start += line.len() + 1;
    }
}

/// The columns (from 1, in characters) of byte offsets of one line, counted on from the last
/// offset asked: a minified file is one line, with any number of values to mask on it.
struct Columns<'a> {
    line: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> Columns<'a> {
    fn new(line: &'a str) -> Self {
        Columns {
            line,
            byte: 0,
            chars: 0,
        }
    }

    fn of(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.line[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars + 1
    }
}

/// Whether the value of `key` may be a secret: by its key, or when the key is `value`, by the
/// `name` of its object (`name`, the last one written in its scope).
fn judge(key: &str, value: &str, name: Option<&str>) -> bool {
    rules::may_hold_secret(key, value)
        || (key.eq_ignore_ascii_case("value")
            && name.is_some_and(|name| rules::may_hold_secret(name, value)))
}

/// `"KEY": "value"` (or `"KEY": 42`) starting at byte `at` of `line`: the key, the value's
/// text, and the byte range of the value as written, quotes included.
fn flow_member(line: &str, at: usize) -> Option<(&str, &str, Range<usize>)> {
    let rest = &line[at + 1..];
    let key_end = rest.find('"')?;
    let key = &rest[..key_end];
    let after = rest[key_end + 1..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let start = line.len() - after.len();
    let Some(inner) = after.strip_prefix('"') else {
        // A number, or any other word up to the end of the member (looked for in the next
        // few hundred bytes only: every quote of a line starts a look).
        let mut window = after.len().min(512);
        while !after.is_char_boundary(window) {
            window -= 1;
        }
        let bare = &after[..window];
        let bare = bare[..bare.find([',', '}', ']']).unwrap_or(bare.len())].trim_end();
        return (!bare.is_empty() && !bare.starts_with(['{', '[']))
            .then(|| (key, bare, start..start + bare.len()));
    };
    let mut escaped = false;
    let end = inner.char_indices().find_map(|(i, c)| {
        let closes = c == '"' && !escaped;
        escaped = c == '\\' && !escaped;
        closes.then_some(i)
    })?;
    Some((key, &inner[..end], start..start + end + 2))
}

/// `key: value` (or `- key: value`) with a plain key and a scalar to the end of the line:
/// the key's column, the key, the value without its quotes, and the byte range of the value
/// as written.
fn block_member(line: &str) -> Option<(usize, &str, &str, Range<usize>)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    let (key, rest) = body.split_once(": ")?;
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    {
        return None;
    }
    let value = rest.trim();
    if value.is_empty() || value.starts_with(['{', '[', '|', '>', '&', '*', '!', '#']) {
        return None;
    }
    let start = line.len() - rest.trim_start().len();
    let column = line[..line.len() - body.len()].chars().count();
    let unquoted = value
        .strip_prefix(['"', '\''])
        .and_then(|v| v.strip_suffix(['"', '\'']))
        .unwrap_or(value);
    Some((column, key, unquoted, start..start + value.len()))
}

/// A value as the rule's tests read it: a string's text, anything else as JSON.
fn text_of(node: &located::Node) -> Cow<'_, str> {
    match node.as_str() {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(node.to_value().to_string()),
    }
}

fn collect_secret_like(node: &located::Node, found: &mut Vec<Pos>) {
    match &node.value {
        NodeValue::Object(members) => {
            let named = |key: &str| {
                members
                    .iter()
                    .rev()
                    .find(|m| m.key.eq_ignore_ascii_case(key))
                    .map(|m| &m.value)
            };
            // A pair's value of any type (AWS refuses all but a string, and the shape error
            // points at it); a member's scalar only, as a member named `secrets` holds ARNs.
            if let (Some(name), Some(value)) = (named("name"), named("value"))
                && let Some(name) = name.as_str()
                && !matches!(value.value, NodeValue::Null)
                && rules::may_hold_secret(name, &text_of(value))
            {
                found.push(value.pos);
            }
            for member in members {
                if matches!(
                    member.value.value,
                    NodeValue::String { .. } | NodeValue::Number(_)
                ) && rules::may_hold_secret(&member.written, &text_of(&member.value))
                {
                    found.push(member.value.pos);
                }
                collect_secret_like(&member.value, found);
            }
        }
        NodeValue::Array(items) => {
            for item in items {
                collect_secret_like(item, found);
            }
        }
        NodeValue::Null | NodeValue::Bool(_) | NodeValue::Number(_) | NodeValue::String { .. } => {}
    }
}

/// Where the value at a JSON path of a task-definition file is (`containerDefinitions[0].image`
/// of `RegisterTaskDefinition` input; inside the `taskDefinition` wrapper of describe output,
/// the path of the definition within it): for the other verbs that read such files (`import`)
/// to point at a value. `None` when the text is not JSON or YAML, or holds no task definition;
/// the deepest value the path reaches otherwise.
pub fn locate_in_file(path: &Path, text: &str, json_path: &str) -> Option<Pos> {
    let root = parse(path, text).ok()?;
    let definitions = document::definitions(&root)?;
    Some(locate(definitions.first()?, json_path, None).0)
}

/// Checks the text of a file as [`lint`] checks the files it reads (`named`: as if named on
/// the command line); `None` when it holds no task definition.
pub fn check_text(
    path: &Path,
    text: &str,
    named: bool,
    options: &LintOptions,
) -> Option<LintedFile> {
    let parsed = parse(path, text);
    let root = match parsed {
        Ok(root) => root,
        Err(error) => {
            // A file of a folder that is not JSON or YAML is no task definition either; one
            // that looks like one (or was named) is reported.
            let looks_like_one = ["containerDefinitions", "AWS::ECS::TaskDefinition"]
                .iter()
                .any(|word| text.contains(word));
            if !looks_like_one && !named {
                return None;
            }
            return Some(LintedFile {
                path: path.to_owned(),
                definitions: 0,
                reports: vec![
                    Report::error(error.message)
                        .rule(SYNTAX_RULE)
                        .at(path, error.pos),
                ],
                notes: Vec::new(),
            });
        }
    };
    let definitions = document::definitions(&root)?;
    let mut file = LintedFile {
        path: path.to_owned(),
        definitions: definitions.len(),
        reports: Vec::new(),
        notes: Vec::new(),
    };
    for definition in &definitions {
        lint_definition(path, definition, options, &mut file);
    }
    // In the order of the file; a finding without a position first.
    file.reports
        .sort_by_key(|r| r.pos.map(|p| (p.line, p.column)));
    Some(file)
}

fn lint_definition(
    path: &Path,
    definition: &Definition,
    options: &LintOptions,
    file: &mut LintedFile,
) {
    let of = |note: &str| match &definition.resource {
        Some(resource) => format!("{resource}: {note}"),
        None => note.to_owned(),
    };
    // The mapping's notes name the resource in their paths already.
    file.notes.extend(definition.notes.iter().cloned());
    let load = match from_value_lenient(definition.node.to_value()) {
        Ok(load) => load,
        Err(LoadErrors(errors)) => {
            for error in errors {
                let (pos, written) = locate(definition, &error.path, None);
                let mut report = Report::error(located_message(&written, &error.message))
                    .rule(SHAPE_RULE)
                    .at(path, pos);
                report.help = match definition.kind {
                    Kind::CloudFormation => error
                        .help
                        .map(|help| in_cloudformation_names(&error.message, &help)),
                    Kind::Register | Kind::Describe => error.help,
                };
                file.reports.push(report);
            }
            return;
        }
    };
    file.notes.extend(load.notes.iter().map(|n| of(n)));
    let (context, inferred) = context(&load.definition, options);
    file.notes.extend(inferred.iter().map(|n| of(n)));
    for diagnostic in rules::check(&load.definition, &context) {
        let (pos, written) = match &diagnostic.location {
            Location::Json(json_path) => {
                let (pos, written) = locate(definition, json_path, diagnostic.span.clone());
                (Some(pos), written)
            }
            // A value of the context: a flag of `check`, or what the file showed of it.
            Location::Context { key, .. } => (None, format!("`--{}`", key.replace('_', "-"))),
            other @ Location::Field { .. } => (None, other.to_string()),
        };
        let mut report = Report {
            file: Some(path.to_owned()),
            pos,
            level: diagnostic.level,
            rule: Some(diagnostic.rule.name.to_owned()),
            message: located_message(&written, &diagnostic.message_in_file()),
            help: Some(match definition.kind {
                Kind::CloudFormation => in_cloudformation_terms(&diagnostic.help_in_file()),
                Kind::Register | Kind::Describe => diagnostic.help_in_file().into_owned(),
            }),
        };
        if pos.is_none() {
            // A value of the context: it comes from a flag or from the file as a whole.
            report.pos = Some(definition.node.pos).map(|p| Pos::point(p.line, p.column));
        }
        file.reports.push(report);
    }
}

/// The loader's help about an unknown member (`did you mean `image`?`, `expected one of ...`),
/// which names the API's members, in CloudFormation's names (`Image`) for a template.
fn in_cloudformation_names(message: &str, help: &str) -> String {
    let Some(shape) = message
        .strip_prefix("unknown member `")
        .and_then(|rest| rest.split_once("` of "))
        .map(|(_, shape)| shape)
    else {
        return help.to_owned();
    };
    // Every backquoted word of the help is a member of `shape`.
    let mut out = String::new();
    for (i, piece) in help.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            match crate::formats::cloudformation_property_name(shape, piece) {
                Some(name) => out.push_str(&name),
                None => out.push_str(piece),
            }
            out.push('`');
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// The members a help in a file's terms names (see `Diagnostic::help_in_file`), each of which
/// CloudFormation writes capitalised (`executionRoleArn` is `ExecutionRoleArn`).
const HELP_MEMBERS: &[&str] = &[
    "executionRoleArn",
    "logConfiguration",
    "options",
    "repositoryCredentials",
    "environment",
    "secrets",
    "name",
    "valueFrom",
    "networkMode",
    "cpu",
    "memory",
    "image",
    "essential",
];

/// A help in a file's terms, in a CloudFormation template's names: a backquoted member path
/// (`logConfiguration.options`) or a JSON key of an example (`"networkMode": ...`) of
/// [`HELP_MEMBERS`] capitalised; log options and values stay as written.
fn in_cloudformation_terms(help: &str) -> String {
    let capitalized = |member: &str| {
        let mut chars = member.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    };
    let mut out = String::new();
    for (i, piece) in help.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(piece);
            continue;
        }
        out.push('`');
        if piece.split('.').all(|m| HELP_MEMBERS.contains(&m)) {
            let path: Vec<String> = piece.split('.').map(capitalized).collect();
            out.push_str(&path.join("."));
        } else {
            let mut rest = piece;
            while let Some(open) = rest.find('"') {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                let Some(close) = rest.find('"') else { break };
                let word = &rest[..close];
                let is_key = rest[close + 1..].starts_with(':');
                if is_key && HELP_MEMBERS.contains(&word) {
                    out.push_str(&capitalized(word));
                } else {
                    out.push_str(word);
                }
                out.push('"');
                rest = &rest[close + 1..];
            }
            out.push_str(rest);
        }
        out.push('`');
    }
    out
}

/// `path: message`, the path as the file writes it.
fn located_message(written: &str, message: &str) -> String {
    if written.is_empty() {
        message.to_owned()
    } else {
        format!("{written}: {message}")
    }
}

/// Where the value at a definition's JSON path is, narrowed to `span` (a byte range of the
/// value's text) when the text stands in the file as it is; and the path as the file writes it.
fn locate(
    definition: &Definition,
    path: &str,
    span: Option<std::ops::Range<usize>>,
) -> (Pos, String) {
    let (found, written) = definition.locate(path);
    let mut pos = found.node.pos;
    if let (
        true,
        Some(span),
        NodeValue::String {
            text,
            column: Some(column),
        },
    ) = (found.exact, span, &found.node.value)
        && span.start <= span.end
        && text.get(span.clone()).is_some()
    {
        let start = column + text[..span.start].chars().count();
        let end = column + text[..span.end].chars().count();
        pos = Pos {
            line: pos.line,
            column: start,
            end_line: pos.line,
            end_column: end.max(start),
        };
    }
    let written = if found.exact || path.is_empty() {
        written
    } else {
        // The path leaves the file (a member the rule wants added): name it in full.
        let rest = path.to_owned();
        if written.is_empty() {
            rest
        } else {
            format!("{written} (`{rest}`)")
        }
    };
    (pos, written)
}

/// The context of a definition: the flags, and what the file shows of the rest. Returns the
/// notes that say what was inferred, and from where.
fn context(definition: &TaskDefinition, options: &LintOptions) -> (Context, Vec<String>) {
    let mut notes = Vec::new();
    let region = options.region.clone().or_else(|| {
        let (region, from) = infer_region(definition)?;
        notes.push(format!("the region `{region}` was inferred from `{from}`"));
        Some(region)
    });
    let containers = definition
        .container_definitions
        .iter()
        .map(|_| ContainerContext {
            kms_key: options.kms_key.clone(),
            ..ContainerContext::default()
        })
        .collect();
    (
        Context {
            region,
            platform_version: options.platform_version.clone(),
            agent_version: options.agent_version.clone(),
            allow: Vec::new(),
            containers,
        },
        notes,
    )
}

/// The region a definition shows: an `awslogs-region` option, else an ECR image's host, else
/// the region of an ARN; with the JSON path it was read from. Values with placeholders tell
/// nothing.
fn infer_region(definition: &TaskDefinition) -> Option<(String, String)> {
    let concrete = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && s.contains('-')
    };
    let containers = definition.container_definitions.iter().enumerate();
    for (i, container) in containers.clone() {
        let options = container
            .log_configuration
            .as_ref()
            .and_then(|l| l.options.as_ref());
        if let Some(region) = options.and_then(|o| o.get("awslogs-region"))
            && concrete(region)
        {
            return Some((
                region.clone(),
                format!("containerDefinitions[{i}].logConfiguration.options.awslogs-region"),
            ));
        }
    }
    for (i, container) in containers.clone() {
        let host = container
            .image
            .as_deref()
            .and_then(|image| image.split('/').next())
            .unwrap_or_default();
        let mut parts = host.split('.');
        if let (Some(_account), Some("dkr"), Some("ecr"), Some(region)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
            && concrete(region)
        {
            return Some((
                region.to_owned(),
                format!("containerDefinitions[{i}].image"),
            ));
        }
    }
    let value = ecsdef_model::json::task_definition_to_value(definition);
    let mut arns = BTreeMap::new();
    collect_arn_regions(&value, String::new(), &mut arns);
    arns.into_iter()
        .find(|(_, region)| concrete(region))
        .map(|(path, region)| (region, path))
}

/// Every string of `value` that is an ARN with a region, by JSON path (which sorts the task's
/// own members before its containers').
fn collect_arn_regions(
    value: &serde_json::Value,
    path: String,
    out: &mut BTreeMap<String, String>,
) {
    match value {
        serde_json::Value::String(s) => {
            let mut parts = s.splitn(5, ':');
            if let (Some("arn"), Some(_), Some(_), Some(region)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
                && !region.is_empty()
            {
                out.insert(path, region.to_owned());
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_arn_regions(item, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                collect_arn_regions(item, inner, out);
            }
        }
        _ => {}
    }
}

/// The notes of a file grouped by kind (what precedes the first backquote): one line per
/// kind, the members it was about listed after it.
pub fn grouped_notes(notes: &[String]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for note in notes {
        let (kind, what) = match note.split_once('`') {
            Some((kind, rest)) if note.starts_with("dropped") => {
                (kind.trim_end().to_owned(), format!("`{rest}"))
            }
            _ => (note.clone(), String::new()),
        };
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, items)) if !what.is_empty() => items.push(what),
            _ => groups.push((kind, if what.is_empty() { vec![] } else { vec![what] })),
        }
    }
    groups
        .into_iter()
        .map(|(kind, items)| {
            let mut line = if items.is_empty() {
                kind.clone()
            } else {
                format!("{kind} {}", items.join(", "))
            };
            if let Some(why) = why_normalised(&kind) {
                line.push_str(": ");
                line.push_str(why);
            }
            line
        })
        .collect()
}

/// What AWS's own tools do with what the loader normalised, by kind of note: the file works
/// where it is fed to ECS through a tool that normalises it too, not as
/// `aws ecs register-task-definition --cli-input-json` input.
fn why_normalised(kind: &str) -> Option<&'static str> {
    match kind {
        "dropped null" => Some(
            "the AWS CLI refuses `null` in `--cli-input-json` input (\"Invalid type for \
             parameter ..., value: None, type: <class 'NoneType'>\"); the ECS deploy GitHub \
             action removes them",
        ),
        "dropped output-only member" => Some(
            "describe-task-definition output; the AWS CLI refuses these members in \
             `--cli-input-json` input (\"Unknown parameter in input\")",
        ),
        _ if kind.starts_with("unwrapped") => {
            Some("register-task-definition takes the object inside, not the wrapper")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text at each position `secret_like_values` gives for `text` in a file `name`.
    fn secret_like(name: &str, text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split('\n').collect();
        secret_like_values(Path::new(name), text)
            .into_iter()
            .map(|pos| {
                assert_eq!(pos.line, pos.end_line, "{pos:?}");
                lines[pos.line - 1]
                    .chars()
                    .skip(pos.column - 1)
                    .take(pos.end_column - pos.column)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn values_that_may_be_secrets_are_found_wherever_they_stand() {
        // Parsed: a pair in any object, a member named like a secret, a credential by its
        // form; neither a plain value nor a pair whose name says nothing.
        let json = r#"{"environment": [{"name": "DB_PASSWORD", "value": "a"}],
"x": {"Name": "API_TOKEN", "Value": "b"}, "options": {"apikey": "c", "region": "us-east-1"},
"other": [{"name": "PORT", "value": "80"}], "id": "AKIAIOSFODNN7EXAMPLE",
"pin": [{"name": "API_TOKEN", "value": 1234}, {"name": "DB_PASS", "value": ["m"]}],
"db_password": 5678, "secrets": [{"name": "DB_PASSWORD", "valueFrom": "/db"}]}"#;
        assert_eq!(
            secret_like("t.json", json),
            [
                r#""a""#,
                r#""b""#,
                r#""c""#,
                r#""AKIAIOSFODNN7EXAMPLE""#,
                "1234",
                r#"["m"]"#,
                "5678"
            ]
        );
        let yaml = "Environment:\n  - Name: SECRET_KEY_TOKEN\n    Value: d\n  - Name: PORT\n    Value: '80'\n";
        assert_eq!(secret_like("t.yaml", yaml), ["d"]);
        // Not parsed: by the tokens of each line. A `value` takes the `name` of its own
        // object only: none across a brace, and in YAML, one whose key is in its column.
        let broken = r#"{"a": [{"name": "DB_PASSWORD", "value": "e"}, {"value": "f"}] "b": {"apikey": "g", "API_TOKEN": 12 }"#;
        assert_eq!(secret_like("t.json", broken), [r#""e""#, r#""g""#, "12"]);
        let broken_yaml = "- name: DB_PASSWORD\n  value: h: i\n  other:\n    value: j\n- name: PORT\n  value: k\nx: [\n";
        assert_eq!(secret_like("t.yaml", broken_yaml), ["h: i"]);
        // A Rust source is the rule's to judge.
        assert!(secret_like("lib.rs", r#"{"DB_PASSWORD": "l"}"#).is_empty());
    }

    #[test]
    fn unknown_members_of_templates_are_told_in_cloudformation_names() {
        assert_eq!(
            in_cloudformation_names(
                "unknown member `Imagee` of ContainerDefinition",
                "did you mean `image`?"
            ),
            "did you mean `Image`?"
        );
        assert_eq!(
            in_cloudformation_names(
                "unknown member `Zz` of EFSVolumeConfiguration",
                "expected one of `fileSystemId`, `rootDirectory`"
            ),
            "expected one of `FilesystemId`, `RootDirectory`"
        );
        assert_eq!(in_cloudformation_names("other", "help"), "help");
        assert_eq!(
            in_cloudformation_terms(
                "set `executionRoleArn` in `logConfiguration.options`: `{\"name\": \"NAME\", \"valueFrom\": \"ARN\"}`, `\"awslogs-group\": \"/ecs/web\"`, in `awsvpc` mode"
            ),
            "set `ExecutionRoleArn` in `LogConfiguration.Options`: `{\"Name\": \"NAME\", \"ValueFrom\": \"ARN\"}`, `\"awslogs-group\": \"/ecs/web\"`, in `awsvpc` mode"
        );
    }

    #[test]
    fn values_are_located_for_other_verbs() {
        let text = "{\n  \"taskDefinition\": {\n    \"family\": \"web\",\n    \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\"}]\n  }\n}\n";
        let path = Path::new("describe.json");
        let pos = locate_in_file(path, text, "containerDefinitions[0].image").expect("found");
        assert_eq!((pos.line, pos.column, pos.end_column), (4, 53, 56));
        assert_eq!(locate_in_file(path, "not json", "family"), None);
        let checked = check_text(path, text, true, &LintOptions::default()).expect("a definition");
        assert_eq!(checked.definitions, 1);
        assert!(
            checked
                .reports
                .iter()
                .any(|r| r.rule.as_deref() == Some("image-unpinned"))
        );
    }

    #[test]
    fn notes_are_grouped_by_kind_and_say_what_aws_does() {
        let notes: Vec<String> = [
            "unwrapped the `taskDefinition` object of describe-task-definition output",
            "dropped output-only member `revision`",
            "dropped null `cpu`",
            "dropped output-only member `status`",
            "dropped null `containerDefinitions[0].memory`",
        ]
        .map(str::to_owned)
        .to_vec();
        let grouped = grouped_notes(&notes);
        assert_eq!(grouped.len(), 3);
        assert!(grouped[1].starts_with(
            "dropped output-only member `revision`, `status`: describe-task-definition output"
        ));
        assert!(grouped[2].starts_with(
            "dropped null `cpu`, `containerDefinitions[0].memory`: the AWS CLI refuses `null`"
        ));
    }

    /// Every prefix of the fixtures (cut at many places), as JSON and as YAML, is read without
    /// a panic: a finding or a skipped file, never a crash.
    #[test]
    fn truncated_files_never_panic() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
        let scratch = std::env::temp_dir().join(format!("ecsdef-lint-cut-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).expect("scratch");
        let mut sources = Vec::new();
        for dir in ["register", "describe", "cloudformation", "broken"] {
            for entry in std::fs::read_dir(fixtures.join(dir)).expect("fixtures") {
                sources.push(std::fs::read_to_string(entry.expect("entry").path()).expect("text"));
            }
        }
        let mut written = 0;
        for (i, text) in sources.iter().enumerate() {
            for cut in (0..text.len())
                .step_by(5)
                .filter(|c| text.is_char_boundary(*c))
            {
                for extension in ["json", "yaml"] {
                    let path = scratch.join(format!("{i}-{cut}.{extension}"));
                    std::fs::write(&path, &text[..cut]).expect("write");
                    written += 1;
                }
            }
        }
        let run = lint(std::slice::from_ref(&scratch), &LintOptions::default());
        assert_eq!(run.files.len() + run.skipped.len(), written);
        assert!(run.reports().count() > 100);
        let _ = std::fs::remove_dir_all(&scratch);
    }
}
