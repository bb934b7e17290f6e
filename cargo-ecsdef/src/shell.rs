//! The terminal: status lines in cargo's style and diagnostics in rustc's on stderr, data on
//! stdout, colour as `--color` (or `CARGO_TERM_COLOR`) says.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level as SnippetLevel, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};
use ecsdef_model::placeholder::{self, Mark};
use ecsdef_model::rules::{Level, PLAINTEXT_SECRET_IN_ENV};

use crate::analysis::{Pos, Report};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// Diagnostics as rustc shows them, on stderr.
    #[default]
    Human,
    /// One JSON object per line on stdout: rule, level, message, help, file, line, column.
    Json,
    /// One SARIF 2.1.0 log on stdout, as code scanning reads it (`check` only).
    Sarif,
}

const STATUS: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
const WARNING: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
const BOLD: Style = Style::new().effects(Effects::BOLD);

/// Where output goes, and how.
#[derive(Debug)]
pub struct Shell {
    quiet: bool,
    verbose: u8,
    format: MessageFormat,
    color: bool,
    /// Paths are shown relative to this directory when they are inside it.
    base: PathBuf,
    /// The text of each file a snippet shows, with the values findings flag as possible
    /// secrets masked (see [`Shell::mask_secrets`]).
    sources: HashMap<PathBuf, Option<Source>>,
    /// The diagnostics of `--message-format sarif`, written as one log at the end.
    sarif: Vec<Report>,
}

impl Shell {
    /// A shell; `base` is the directory paths are shown relative to (the current directory).
    pub fn new(
        color: ColorChoice,
        quiet: bool,
        verbose: u8,
        format: MessageFormat,
        base: PathBuf,
    ) -> Self {
        let choice = match color {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
        let color = !matches!(
            anstream::AutoStream::choice(&std::io::stderr()),
            anstream::ColorChoice::Never
        );
        Shell {
            quiet,
            verbose,
            format,
            color,
            base,
            sources: HashMap::new(),
            sarif: Vec::new(),
        }
    }

    /// Whether `--message-format json` was given.
    pub fn json(&self) -> bool {
        self.format == MessageFormat::Json
    }

    /// Whether `--message-format sarif` was given.
    pub fn sarif(&self) -> bool {
        self.format == MessageFormat::Sarif
    }

    /// The directory paths are shown relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// The diagnostics kept for the SARIF log, taken.
    pub fn take_sarif(&mut self) -> Vec<Report> {
        std::mem::take(&mut self.sarif)
    }

    /// Whether `-v` was given.
    pub fn verbose(&self) -> bool {
        self.verbose > 0
    }

    /// A path as shown to the user.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.base)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// A status line: `   Exporting 3 task definitions`. Silent with `-q`.
    pub fn status(&self, verb: &str, message: impl Display) {
        if !self.quiet {
            anstream::eprintln!("{STATUS}{verb:>12}{STATUS:#} {message}");
        }
    }

    /// A status line shown only with `-v`.
    pub fn verbose_status(&self, verb: &str, message: impl Display) {
        if self.verbose > 0 {
            self.status(verb, message);
        }
    }

    /// `error: ...` on stderr, whatever the message format (for failures that are not
    /// diagnostics of the workspace: I/O, usage).
    pub fn error(&self, message: impl Display) {
        anstream::eprintln!("{ERROR}error{ERROR:#}{BOLD}:{BOLD:#} {message}");
    }

    /// `warning: ...` on stderr. Silent with `-q`.
    pub fn warn(&self, message: impl Display) {
        if !self.quiet {
            anstream::eprintln!("{WARNING}warning{WARNING:#}{BOLD}:{BOLD:#} {message}");
        }
    }

    /// `note: ...` on stderr. Silent with `-q`.
    pub fn note(&self, message: impl Display) {
        if !self.quiet {
            anstream::eprintln!("{BOLD}note:{BOLD:#} {message}");
        }
    }

    /// Data on stdout.
    pub fn data(&self, text: impl Display) {
        let mut out = anstream::stdout().lock();
        // A closed stdout (`| head`) is not an error worth a panic.
        let _ = write!(out, "{text}");
    }

    /// Shows each diagnostic as [`report`](Self::report) does, once the values that any of
    /// them flags as a possible secret are masked: the snippet of another finding on the same
    /// line (all of a minified JSON file is one line) shows them masked too.
    pub fn reports(&mut self, reports: &[Report]) {
        self.mask_secrets(reports);
        for report in reports {
            self.show(report);
        }
    }

    /// Shows a diagnostic: as rustc would on stderr, or as a JSON line on stdout. Warnings are
    /// silent with `-q`; errors never are. A value it flags as a possible secret is masked in
    /// its snippet, and in every snippet of its file shown after it (see [`reports`]).
    ///
    /// [`reports`]: Self::reports
    pub fn report(&mut self, report: &Report) {
        self.mask_secrets(std::slice::from_ref(report));
        self.show(report);
    }

    /// [`report`](Self::report), its value already masked.
    fn show(&mut self, report: &Report) {
        if self.sarif() {
            self.sarif.push(report.clone());
            return;
        }
        if self.json() {
            let line = serde_json::json!({
                "reason": "diagnostic",
                "rule": report.rule,
                "level": report.level.as_str(),
                "message": report.message,
                "help": report.help,
                "file": report.file.as_deref().map(|f| self.display_path(f)),
                "line": report.pos.map(|p| p.line),
                "column": report.pos.map(|p| p.column),
            });
            self.data(format_args!("{line}\n"));
            return;
        }
        if self.quiet && report.level == Level::Warning {
            return;
        }
        let rendered = self.render(report);
        // A blank line after each, as rustc does.
        anstream::eprintln!("{rendered}\n");
    }

    /// The rustc-style text of a diagnostic.
    fn render(&mut self, report: &Report) -> String {
        let color = self.color;
        let level = match report.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let mut title = level.primary_title(report.message.as_str());
        if let Some(rule) = &report.rule {
            title = title.id(rule.as_str());
        }
        let path = report.file.as_deref().map(|f| self.display_path(f));
        let source = match (&report.file, report.pos) {
            (Some(file), Some(pos)) => self.source_mut(file).as_ref().map(|source| (source, pos)),
            _ => None,
        };
        let mut elements: Vec<annotate_snippets::Element<'_>> = Vec::new();
        let origin;
        // The column annotate-snippets would print for a snippet cut from a long line, and
        // the one to print instead.
        let mut column_fix = None;
        match (source, &path) {
            (Some((source, pos)), Some(path)) => {
                let range = source.range(pos);
                let shown = source.shown(&range);
                if let Some((cut, whole)) = shown.cut {
                    column_fix = Some((
                        format!("{path}:{}:{cut}", shown.line),
                        format!("{path}:{}:{whole}", shown.line),
                    ));
                }
                let start = shown.bytes.start;
                elements.push(
                    Snippet::source(&source.text[shown.bytes])
                        .path(path.clone())
                        .line_start(shown.line)
                        .annotation(
                            AnnotationKind::Primary.span(range.start - start..range.end - start),
                        )
                        .into(),
                );
            }
            (None, Some(path)) => {
                origin = match report.pos {
                    Some(pos) => annotate_snippets::Origin::path(path.clone())
                        .line(pos.line)
                        .char_column(pos.column.saturating_sub(1)),
                    None => annotate_snippets::Origin::path(path.clone()),
                };
                elements.push(origin.into());
            }
            _ => {}
        }
        if let Some(help) = &report.help {
            elements.push(SnippetLevel::HELP.message(help.as_str()).into());
        }
        let group = title.elements(elements);
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let text = renderer.render(&[group]);
        match column_fix {
            Some((cut, whole)) => text.replacen(&cut, &whole, 1),
            None => text,
        }
    }

    /// Masks the values `reports` span in the text their files' snippets show, where the
    /// finding says the value may be a secret (`plaintext-secret-in-env`): no secret value
    /// ever reaches the output, only names. Each file is masked in one pass. The JSON and
    /// SARIF outputs hold no source text.
    fn mask_secrets(&mut self, reports: &[Report]) {
        if self.json() || self.sarif() {
            return;
        }
        let mut by_file: BTreeMap<&Path, Vec<Pos>> = BTreeMap::new();
        for report in reports {
            if let (Some(file), Some(pos)) = (&report.file, report.pos)
                && report.rule.as_deref() == Some(PLAINTEXT_SECRET_IN_ENV.name)
            {
                by_file.entry(file).or_default().push(pos);
            }
        }
        for (file, positions) in by_file {
            if let Some(source) = self.source_mut(file) {
                let ranges = source.ranges(&positions);
                *source = Source::new(masked(&source.text, ranges));
            }
        }
    }

    /// The text snippets of `file` show, read once. In a task-definition file, every value
    /// that may be a secret is masked from the start, whichever finding flags it, if any
    /// (see [`crate::lint::secret_like_values`]).
    fn source_mut(&mut self, file: &Path) -> &mut Option<Source> {
        self.sources.entry(file.to_owned()).or_insert_with(|| {
            let source = Source::new(crate::discover::read_source_file(file)?);
            let secrets = crate::lint::secret_like_values(file, &source.text);
            if secrets.is_empty() {
                return Some(source);
            }
            // Masking changes byte lengths (a character becomes one `*`): the masked text's
            // lines are found again.
            let ranges = source.ranges(&secrets);
            Some(Source::new(masked(&source.text, ranges)))
        })
    }

    /// `error: could not export ...; N errors, M warnings emitted` style summary line.
    pub fn summary(&self, reports: &[Report]) {
        if self.json() || self.sarif() {
            return;
        }
        let errors = reports.iter().filter(|r| r.level == Level::Error).count();
        let warnings = reports.len() - errors;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        if errors > 0 {
            let tail = if warnings > 0 {
                format!("; {} emitted", plural(warnings, "warning"))
            } else {
                String::new()
            };
            self.error(format!("{} found{tail}", plural(errors, "error")));
        } else if warnings > 0 {
            self.warn(format!("{} emitted", plural(warnings, "warning")));
        }
    }
}

/// A file's text as its snippets show it, and where each of its lines starts: a position
/// becomes a byte range, and a snippet its few lines, without walking the text before them,
/// however many diagnostics the file has.
#[derive(Debug)]
struct Source {
    text: String,
    /// The byte at which each line starts.
    lines: Vec<usize>,
    /// Whether every character is one byte: then a column is a byte offset.
    ascii: bool,
}

/// What a snippet shows of its file (see [`Source::shown`]).
#[derive(Debug)]
struct Shown {
    /// Whole lines, or a part of one long line.
    bytes: Range<usize>,
    /// The number of the first line shown.
    line: usize,
    /// Where `bytes` starts inside its line: the column of the range's start counted from
    /// there, as annotate-snippets counts it, and counted from the start of the line.
    cut: Option<(usize, usize)>,
}

/// A line longer than this many bytes is shown in part: [`CONTEXT`] bytes either side of what
/// a diagnostic points at, which is more than a terminal shows, so the snippet reads the same.
const LONG_LINE: usize = 4096;
/// See [`LONG_LINE`].
const CONTEXT: usize = 1024;

impl Source {
    fn new(text: String) -> Self {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let ascii = text.is_ascii();
        Source { text, lines, ascii }
    }

    /// The byte at `column` (counted in characters from 1) of `line`, clamped to the line;
    /// past the last line, the end of the text.
    fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.lines.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let end = self.line_end(line.max(1));
        let chars = column.saturating_sub(1);
        if self.ascii {
            (start + chars).min(end)
        } else {
            char_offset(&self.text, start, end, chars)
        }
    }

    /// Where line `line` (from 1) ends, before its line break.
    fn line_end(&self, line: usize) -> usize {
        self.lines
            .get(line)
            .map_or(self.text.len(), |&next| next - 1)
    }

    /// The byte range of `pos`, clamped to the text and to character boundaries (columns
    /// count characters, and a span may end past the line it starts on).
    fn range(&self, pos: Pos) -> Range<usize> {
        spanned(
            &self.text,
            self.offset(pos.line, pos.column),
            self.offset(pos.end_line, pos.end_column),
        )
    }

    /// [`range`](Self::range) of each of `positions`, in one pass over the text: a minified
    /// file is one line, with any number of values to mask on it.
    fn ranges(&self, positions: &[Pos]) -> Vec<Range<usize>> {
        let text = &self.text;
        let points: Vec<(usize, usize)> = positions
            .iter()
            .flat_map(|p| [(p.line, p.column), (p.end_line, p.end_column)])
            .collect();
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by_key(|&i| points[i]);
        let mut offsets = vec![text.len(); points.len()];
        // The last point converted: its line, and its byte and character within that line.
        let mut cursor = (0, 0, 0);
        for i in order {
            let (line, column) = points[i];
            let Some(&start) = self.lines.get(line.saturating_sub(1)) else {
                continue;
            };
            let line_end = self.line_end(line.max(1));
            let chars = column.saturating_sub(1);
            if cursor.0 != line || cursor.2 > chars {
                cursor = (line, start, 0);
            }
            let byte = char_offset(text, cursor.1, line_end, chars - cursor.2);
            cursor = (line, byte, chars);
            offsets[i] = byte;
        }
        offsets
            .chunks(2)
            .map(|pair| spanned(text, pair[0], pair[1]))
            .collect()
    }

    /// The lines a snippet of `range` shows; on a long line, the part around the range.
    fn shown(&self, range: &Range<usize>) -> Shown {
        // A line break that ends the text starts no line: the end of the text is on the
        // last line, after its break.
        let lines = self.lines.len() - usize::from(self.text.ends_with('\n'));
        let line_of = |at: usize| self.lines.partition_point(|&start| start <= at).min(lines);
        let (first, last) = (line_of(range.start), line_of(range.end));
        // The last line's break is shown with it, as in the whole text (a `\r` alone would
        // be shown as a character).
        let end = self.lines.get(last).map_or(self.text.len(), |&next| next);
        let mut bytes = self.lines[first - 1]..end.max(range.end);
        let line_start = bytes.start;
        if first == last && bytes.len() > LONG_LINE {
            let mut from = range.start.saturating_sub(CONTEXT).max(bytes.start);
            while !self.text.is_char_boundary(from) {
                from += 1;
            }
            let mut to = (range.end + CONTEXT).min(bytes.end);
            while !self.text.is_char_boundary(to) {
                to -= 1;
            }
            bytes = from..to;
        }
        let column = |from: usize| {
            if self.ascii {
                range.start - from + 1
            } else {
                self.text[from..range.start].chars().count() + 1
            }
        };
        Shown {
            line: first,
            cut: (bytes.start != line_start).then(|| (column(bytes.start), column(line_start))),
            bytes,
        }
    }
}

/// `text` with the value at each of `ranges` masked (see [`mask_value`]); a range that
/// overlaps one before it is masked from where that one ends.
fn masked(text: &str, mut ranges: Vec<Range<usize>>) -> String {
    ranges.sort_by_key(|range| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        let start = range.start.max(at);
        if start >= range.end {
            continue;
        }
        out.push_str(&text[at..start]);
        mask_value(&mut out, &text[start..range.end]);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Writes `value` masked: its quotes (`"`, `'`, a raw string's `r#"` and `"#`) and the
/// `${NAME}` placeholders in it stay as written, since they are names; every other character
/// becomes one `*`, line breaks and indentation excepted, so that every line and column of
/// the file still points where it did. Masking a masked value changes nothing.
fn mask_value(out: &mut String, value: &str) {
    let raw_prefix = value
        .strip_prefix('r')
        .map(|rest| rest.trim_start_matches('#'))
        .filter(|rest| rest.starts_with('"'))
        .map(|rest| value.len() - rest.len());
    let open = match raw_prefix {
        Some(prefix) => prefix + 1,
        None if value.starts_with(['"', '\'']) => 1,
        None => 0,
    };
    let close = if open == 0 {
        value.len()
    } else {
        value
            .rfind(['"', '\''])
            .filter(|&at| at >= open)
            .unwrap_or(value.len())
    };
    let inner = &value[open..close];
    // A malformed placeholder keeps nothing: all of it is masked.
    let names = placeholder::scan(inner).unwrap_or_default();
    out.push_str(&value[..open]);
    let mut at = 0;
    for mark in &names {
        if let Mark::Placeholder(name) = mark {
            push_stars(out, &inner[at..name.start]);
            out.push_str(&inner[name.clone()]);
            at = name.end;
        }
    }
    push_stars(out, &inner[at..]);
    out.push_str(&value[close..]);
}

/// One `*` for each character of `hidden`, but for line breaks and the indentation after
/// them (a multi-line YAML scalar's, which is layout).
fn push_stars(out: &mut String, hidden: &str) {
    let mut indentation = false;
    out.extend(hidden.chars().map(|c| match c {
        '\n' | '\r' => {
            indentation = true;
            c
        }
        ' ' | '\t' if indentation => c,
        _ => {
            indentation = false;
            '*'
        }
    }));
}

/// The byte range of a position in `text`, clamped to the text and to character boundaries
/// (columns count characters, and a span may end past the line it starts on): the plain
/// way, the reference of the tests of [`Source::range`] and [`Source::ranges`].
#[cfg(test)]
fn byte_range(text: &str, pos: Pos) -> Range<usize> {
    let offset = |line: usize, column: usize| -> usize {
        let mut start = 0;
        for _ in 1..line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        char_offset(text, start, line_end, column.saturating_sub(1))
    };
    spanned(
        text,
        offset(pos.line, pos.column),
        offset(pos.end_line, pos.end_column),
    )
}

/// The byte `chars` characters after `from`, at most `line_end`.
fn char_offset(text: &str, from: usize, line_end: usize, chars: usize) -> usize {
    text[from..line_end]
        .char_indices()
        .nth(chars)
        .map_or(line_end, |(i, _)| from + i)
}

/// The range from `start` to `end`; a point (discovery knows where a problem starts, not
/// where it ends) covers the word there, or one character.
fn spanned(text: &str, start: usize, end: usize) -> Range<usize> {
    let mut end = end.max(start);
    if end == start {
        let rest = &text[start..];
        let word = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        let first = rest
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(0, char::len_utf8);
        end = start + word.max(first);
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranges of many positions, the lines found once, are each position's alone.
    #[test]
    fn ranges_are_each_byte_range() {
        let text = "ab\n  é = \"x\"\n\nlast é\n";
        let mut positions = Vec::new();
        for line in 0..7 {
            for column in 0..9 {
                positions.push(Pos::point(line, column));
                positions.push(Pos {
                    line,
                    column,
                    end_line: line + 1,
                    end_column: 2,
                });
            }
        }
        let alone: Vec<_> = positions.iter().map(|&pos| byte_range(text, pos)).collect();
        let source = Source::new(text.to_owned());
        assert_eq!(source.ranges(&positions), alone);
        let indexed: Vec<_> = positions.iter().map(|&pos| source.range(pos)).collect();
        assert_eq!(indexed, alone);
        let ascii = "ab\n  e = \"x\"\n\nlast e\n";
        let source = Source::new(ascii.to_owned());
        for &pos in &positions {
            assert_eq!(source.range(pos), byte_range(ascii, pos), "{pos:?}");
        }
    }

    /// A snippet shows a few lines, or a part of a long line, and reads exactly as the
    /// snippet of the whole file does: the same lines, the same column, the same trimming.
    #[test]
    fn snippets_read_as_the_whole_file_does() {
        let long: String = (0..3000)
            .map(|i| match i % 7 {
                0 => "é",
                1 => "界",
                _ => "x",
            })
            .collect();
        let lf = format!("{{\n  \"a\": 1,\n  \"long\": \"{long}\",\n  \"b\": 2\n}}\n");
        let file = PathBuf::from("f.json");
        let point = |line, column| Pos::point(line, column);
        let positions = [
            point(2, 3),
            point(3, 12),
            point(3, 40),
            point(3, 1500),
            point(3, 2900),
            point(3, 3011),
            point(4, 3),
            point(9, 1),
            Pos {
                line: 2,
                column: 3,
                end_line: 4,
                end_column: 5,
            },
        ];
        let mut cut = 0;
        let crlf = lf.replace('\n', "\r\n");
        let cases = [(&lf, false), (&lf, true), (&crlf, false), (&crlf, true)];
        for (text, color) in cases {
            let mut shell = Shell {
                quiet: false,
                verbose: 0,
                format: MessageFormat::Human,
                color,
                base: PathBuf::new(),
                sources: HashMap::from([(file.clone(), Some(Source::new(text.clone())))]),
                sarif: Vec::new(),
            };
            for pos in positions {
                let range = byte_range(text, pos);
                cut += usize::from(Source::new(text.clone()).shown(&range).cut.is_some());
                let report = Report {
                    file: Some(file.clone()),
                    pos: Some(pos),
                    level: Level::Error,
                    rule: Some("a-rule".into()),
                    message: "a message".into(),
                    help: Some("a help".into()),
                };
                let group = SnippetLevel::ERROR
                    .primary_title("a message")
                    .id("a-rule")
                    .elements([
                        annotate_snippets::Element::from(
                            Snippet::source(text.as_str())
                                .path("f.json")
                                .annotation(AnnotationKind::Primary.span(range)),
                        ),
                        SnippetLevel::HELP.message("a help").into(),
                    ]);
                let whole = if color {
                    Renderer::styled()
                } else {
                    Renderer::plain()
                }
                .render(&[group]);
                let crlf = text.contains('\r');
                assert_eq!(
                    shell.render(&report),
                    whole,
                    "{pos:?}, colour {color}, CRLF {crlf}"
                );
            }
        }
        assert_eq!(
            cut, 12,
            "the long line's snippets far from its start are cut from it"
        );
    }

    #[test]
    fn byte_ranges_respect_characters_and_bounds() {
        let text = "ab\n  é = \"x\"\nlast";
        assert_eq!(
            byte_range(
                text,
                Pos {
                    line: 2,
                    column: 3,
                    end_line: 2,
                    end_column: 4
                }
            ),
            5..7
        );
        assert_eq!(
            byte_range(
                text,
                Pos {
                    line: 9,
                    column: 1,
                    end_line: 9,
                    end_column: 2
                }
            ),
            text.len()..text.len()
        );
        assert_eq!(
            byte_range(
                text,
                Pos {
                    line: 1,
                    column: 50,
                    end_line: 1,
                    end_column: 60
                }
            ),
            2..2
        );
        assert_eq!(byte_range(text, Pos::point(3, 1)), 14..18);
        assert_eq!(byte_range(text, Pos::point(2, 5)), 8..9);
    }

    /// Masks the value at `needle` in `text`, as a finding spanning it would.
    fn mask_at(text: &str, needle: &str) -> String {
        let start = text.find(needle).expect("the needle is in the text");
        masked(text, std::iter::once(start..start + needle.len()).collect())
    }

    #[test]
    fn masking_keeps_quotes_names_and_every_position() {
        // Quotes stay; each other character becomes one `*`, a multi-byte one too, so that
        // the columns after it (counted in characters) still point where they did.
        let text = r#"{"DB_PASSWORD": "hünter2", "next": 1}"#;
        let masked_text = mask_at(text, r#""hünter2""#);
        assert_eq!(masked_text, r#"{"DB_PASSWORD": "*******", "next": 1}"#);
        assert_eq!(masked_text.chars().count(), text.chars().count());
        // A YAML plain scalar has no quotes: all of it is masked.
        assert_eq!(mask_at("value: hunter2\n", "hunter2"), "value: *******\n");
        assert_eq!(mask_at("value: 'hunter2'", "'hunter2'"), "value: '*******'");
        // A raw string keeps its delimiters; a quote inside is masked.
        assert_eq!(
            mask_at(r##"env = r#"a"b"#)"##, r##"r#"a"b"#"##),
            r##"env = r#"***"#)"##
        );
        // Placeholders are names, and `$${` is masked with the literal text around it.
        assert_eq!(
            mask_at(r#"env = "u-${DB_USER}-p$${x}""#, r#""u-${DB_USER}-p$${x}""#),
            r#"env = "**${DB_USER}*******""#
        );
        // A malformed placeholder keeps nothing.
        assert_eq!(mask_at(r#""a-${oops""#, r#""a-${oops""#), r#""********""#);
        // Line breaks stay, so that every later line keeps its number.
        assert_eq!(
            mask_at("env = \"line\nbreak\"\nnext", "\"line\nbreak\""),
            "env = \"****\n*****\"\nnext"
        );
        // A YAML block scalar: its lines' indentation is layout, not masked.
        assert_eq!(
            mask_at("value: >-\n  a b\n  c\n  - name: X", "a b\n  c"),
            "value: >-\n  ***\n  *\n  - name: X"
        );
        // Masking again changes nothing.
        assert_eq!(mask_at(&masked_text, r#""*******""#), masked_text);
        // Several values in one pass, in any order, one overlapping another.
        assert_eq!(
            masked(r#"["ab", "cd", "ef"]"#, vec![13..17, 7..11, 1..5, 2..4]),
            r#"["**", "**", "**"]"#
        );
    }
}
