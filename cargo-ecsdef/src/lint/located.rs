//! The values of a JSON or YAML file, each with where it is: the line and column of every
//! value and key, so that a finding on `containerDefinitions[0].image` points at that string.
//!
//! serde_json gives no positions. JSON is first parsed by serde_json (its errors say where
//! the text stops being JSON), then read again by a small reader here that keeps positions;
//! strings and numbers are decoded by serde_json, so the two agree on every value (a test
//! holds them together on the corpus). YAML is read from `saphyr-parser`'s events, which
//! carry positions; scalars are typed as YAML 1.2's core schema says, and a local tag
//! (`!Ref X`, CloudFormation's short form) becomes the long form's one-member object
//! (`{"Ref": "X"}`, `{"Fn::Sub": ...}`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use crate::analysis::Pos;

/// How deep a document may nest: beyond it a file is refused rather than read with a
/// recursion that could exhaust the stack (serde_json stops at 128 as well).
const MAX_DEPTH: usize = 128;

/// How many values a YAML document may expand to: aliases repeat what their anchor holds, so
/// a small file of nested aliases could otherwise ask for more memory than any machine has.
const MAX_YAML_VALUES: usize = 1_000_000;

/// One value of a file and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// From the value's first character to just past its last.
    pub pos: Pos,
    /// The value.
    pub value: NodeValue,
}

/// A value of a file, with its members and items located too.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `null` (YAML: `~`, `null`, nothing).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string; `column` is the column of its first character when the text stands in the
    /// file as it is, on one line (no escapes, no folding), so a part of it can be pointed at.
    String {
        /// The text.
        text: String,
        /// The column of the text's first character, when it stands in the file verbatim.
        column: Option<usize>,
    },
    /// An array.
    Array(Vec<Node>),
    /// An object, its members in the file's order.
    Object(Vec<Member>),
}

/// A member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key (after CloudFormation's names are mapped to the API's: see `document`).
    pub key: String,
    /// The key as the file writes it.
    pub written: String,
    /// The value.
    pub value: Node,
}

/// Why a file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where (a point).
    pub pos: Pos,
}

/// A value found by its JSON path: the deepest node the path reaches, and that node's path
/// as the file writes it.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The node.
    pub node: &'a Node,
    /// Whether the whole path was found (else `node` is its deepest ancestor in the file).
    pub exact: bool,
}

impl Node {
    fn new(pos: Pos, value: NodeValue) -> Self {
        Node { pos, value }
    }

    /// A string node.
    pub fn string(pos: Pos, text: String) -> Self {
        Node::new(pos, NodeValue::String { text, column: None })
    }

    /// The string, if the node is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The members, if the node is an object.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.value {
            NodeValue::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The value of the member `key` (the last one, as JSON parsers keep it).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()?
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The plain JSON value, without positions; of duplicate keys the last wins, as
    /// serde_json decides.
    pub fn to_value(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String { text, .. } => Value::String(text.clone()),
            NodeValue::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeValue::Object(members) => {
                let mut map = Map::new();
                for member in members {
                    map.insert(member.key.clone(), member.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The node at a JSON path of this node (`containerDefinitions[0].image`), and that path
    /// as the file writes it. A key may hold dots (`dockerLabels.com.example.team`): the
    /// longest key that fits is taken. Where the path leaves the file, the deepest node found
    /// stands for it.
    pub fn find(&self, path: &str) -> (Found<'_>, String) {
        let mut node = self;
        let mut rest = path;
        let mut written = String::new();
        loop {
            rest = rest.strip_prefix('.').unwrap_or(rest);
            if rest.is_empty() {
                return (Found { node, exact: true }, written);
            }
            let next = if let Some(after) = rest.strip_prefix('[') {
                let index = after
                    .split_once(']')
                    .and_then(|(i, tail)| Some((i.parse::<usize>().ok()?, tail)));
                match (&node.value, index) {
                    (NodeValue::Array(items), Some((i, tail))) if i < items.len() => {
                        let _ = write!(written, "[{i}]");
                        Some((&items[i], tail))
                    }
                    _ => None,
                }
            } else {
                node.members().and_then(|members| {
                    members
                        .iter()
                        .rev()
                        .filter(|m| {
                            rest.strip_prefix(m.key.as_str())
                                .is_some_and(|tail| tail.is_empty() || tail.starts_with(['.', '[']))
                        })
                        .max_by_key(|m| m.key.len())
                        .map(|m| {
                            if !written.is_empty() {
                                written.push('.');
                            }
                            written.push_str(&m.written);
                            (&m.value, &rest[m.key.len()..])
                        })
                })
            };
            match next {
                Some((child, tail)) => {
                    node = child;
                    rest = tail;
                }
                None => return (Found { node, exact: false }, written),
            }
        }
    }
}

/// Reads a JSON document with the position of every value.
pub fn parse_json(text: &str) -> Result<Node, SyntaxError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let message = e.to_string();
        // serde_json appends " at line L column C", which the position already says.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        return Err(SyntaxError {
            message: format!("invalid JSON: {message}"),
            pos: Pos::point(e.line().max(1), e.column().max(1)),
        });
    }
    let mut reader = JsonReader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        column: 1,
    };
    reader.value(0)
}

/// The position reader of a document serde_json has accepted: it follows the grammar without
/// checking it again, and decodes strings and numbers with serde_json.
struct JsonReader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
    column: usize,
}

impl JsonReader<'_> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            message: format!("invalid JSON: {message}"),
            pos: Pos::point(self.line, self.column),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Moves one byte on; columns count characters, so a UTF-8 continuation byte adds none.
    fn bump(&mut self) {
        if let Some(&b) = self.bytes.get(self.at) {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.at += 1;
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), SyntaxError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", char::from(byte))))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_whitespace();
        let (line, column) = (self.line, self.column);
        let value = match self.peek() {
            Some(b'{') => {
                self.bump();
                let mut members = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b'}') {
                    self.bump();
                } else {
                    loop {
                        self.skip_whitespace();
                        let (key, _) = self.string()?;
                        self.expect(b':')?;
                        let value = self.value(depth + 1)?;
                        members.push(Member {
                            written: key.clone(),
                            key,
                            value,
                        });
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => self.bump(),
                            Some(b'}') => {
                                self.bump();
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `}`")),
                        }
                    }
                }
                NodeValue::Object(members)
            }
            Some(b'[') => {
                self.bump();
                let mut items = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b']') {
                    self.bump();
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => self.bump(),
                            Some(b']') => {
                                self.bump();
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `]`")),
                        }
                    }
                }
                NodeValue::Array(items)
            }
            Some(b'"') => {
                let (text, verbatim) = self.string()?;
                NodeValue::String {
                    text,
                    column: verbatim.then_some(column + 1),
                }
            }
            Some(b't' | b'f' | b'n') => {
                let start = self.at;
                while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.bump();
                }
                match &self.text[start..self.at] {
                    "true" => NodeValue::Bool(true),
                    "false" => NodeValue::Bool(false),
                    "null" => NodeValue::Null,
                    _ => return Err(self.error("expected a value")),
                }
            }
            Some(_) => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                {
                    self.bump();
                }
                let number = serde_json::from_str::<Number>(&self.text[start..self.at])
                    .map_err(|_| self.error("expected a value"))?;
                NodeValue::Number(number)
            }
            None => return Err(self.error("unexpected end of the file")),
        };
        let pos = Pos {
            line,
            column,
            end_line: self.line,
            end_column: self.column,
        };
        Ok(Node::new(pos, value))
    }

    /// A string token: its text, and whether it has no escapes.
    fn string(&mut self) -> Result<(String, bool), SyntaxError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string"));
        }
        let start = self.at;
        self.bump();
        let mut escaped = false;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    break;
                }
                Some(b'\\') => {
                    escaped = true;
                    self.bump();
                    self.bump();
                }
                Some(_) => self.bump(),
                None => return Err(self.error("unterminated string")),
            }
        }
        let token = &self.text[start..self.at];
        if escaped {
            let text =
                serde_json::from_str::<String>(token).map_err(|_| self.error("invalid string"))?;
            Ok((text, false))
        } else {
            Ok((token[1..token.len() - 1].to_owned(), true))
        }
    }
}

/// Reads the first document of a YAML file with the position of every value.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    let mut reader = YamlReader {
        parser: Parser::new_from_str(text),
        text,
        cursor: (0, 0),
        anchors: HashMap::new(),
        values: 0,
    };
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::StreamEnd => {
                return Ok(Node::new(point(span), NodeValue::Null));
            }
            event => return reader.node(event, span, 0),
        }
    }
}

fn point(span: Span) -> Pos {
    Pos::point(span.start.line(), span.start.col() + 1)
}

fn span_pos(start: Span, end: Span) -> Pos {
    Pos {
        line: start.start.line(),
        column: start.start.col() + 1,
        end_line: end.end.line(),
        end_column: end.end.col() + 1,
    }
}

/// Where a collection is: from its start to its end, or, for a block collection (whose end
/// event is at the next token, lines below), to the end of its last item.
fn collection_pos(start: Span, end: Span, last: Option<&Node>) -> Pos {
    let pos = span_pos(start, end);
    match last {
        Some(last) if pos.end_line > last.pos.end_line => Pos {
            end_line: last.pos.end_line,
            end_column: last.pos.end_column,
            ..pos
        },
        _ => pos,
    }
}

struct YamlReader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// The file, for where a block scalar ends.
    text: &'a str,
    /// A character index of `text` and its byte offset: the parser's markers count
    /// characters, and the scalars come in order, so each is found from the last.
    cursor: (usize, usize),
    /// Each anchor's value, and how many values it holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// The values read so far, aliases counted at their size.
    values: usize,
}

impl<'a> YamlReader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), SyntaxError> {
        match self.parser.next_event() {
            Some(Ok(next)) => Ok(next),
            Some(Err(e)) => Err(SyntaxError {
                message: format!("invalid YAML: {}", e.info()),
                pos: Pos::point(e.marker().line(), e.marker().col() + 1),
            }),
            None => Err(SyntaxError {
                message: "invalid YAML: unexpected end of the file".to_owned(),
                pos: Pos::point(1, 1),
            }),
        }
    }

    /// The byte offset of the character at `index` (clamped to the text).
    fn byte_offset(&mut self, index: usize) -> usize {
        if index < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (from, byte) = self.cursor;
        let offset = self.text[byte..]
            .char_indices()
            .nth(index - from)
            .map_or(self.text.len(), |(at, _)| byte + at);
        self.cursor = (index, offset);
        offset
    }

    /// Where a block scalar (`|`, `>`) is: from its first line to the end of its last line
    /// that is not blank. Its span ends at the next token, lines below.
    fn block_scalar_pos(&mut self, span: Span) -> Pos {
        let pos = span_pos(span, span);
        let start = self.byte_offset(span.start.index());
        let end = self.byte_offset(span.end.index()).max(start);
        let (mut line, mut column) = (span.start.line(), span.start.col());
        let mut last = None;
        for c in self.text[start..end].chars() {
            if c == '\n' {
                (line, column) = (line + 1, 0);
                continue;
            }
            if !c.is_whitespace() {
                last = Some((line, column));
            }
            column += 1;
        }
        match last {
            // The end is the column after the last character, from 1.
            Some((end_line, column)) => Pos {
                end_line,
                end_column: column + 2,
                ..pos
            },
            None => pos,
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: "invalid YAML: nested too deeply".to_owned(),
                pos: point(span),
            });
        }
        let before = self.values;
        self.values += 1;
        if self.values > MAX_YAML_VALUES {
            return Err(SyntaxError {
                message: format!(
                    "the YAML document expands to more than {MAX_YAML_VALUES} values (its aliases \
                     repeat their anchors'): not a task definition"
                ),
                pos: point(span),
            });
        }
        let (node, anchor, tag) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let pos = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => self.block_scalar_pos(span),
                    _ => span_pos(span, span),
                };
                let plain = style == ScalarStyle::Plain;
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if plain && !forced_string {
                    plain_scalar(&text)
                } else {
                    None
                };
                let value = value.unwrap_or_else(|| {
                    let chars = text.chars().count();
                    let width = span.end.index().saturating_sub(span.start.index());
                    let quotes = usize::from(!plain) * 2;
                    let verbatim = pos.line == pos.end_line && width == chars + quotes;
                    NodeValue::String {
                        column: verbatim.then_some(pos.column + quotes / 2),
                        text: text.into_owned(),
                    }
                });
                (Node::new(pos, value), anchor, tag)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                let end = loop {
                    let (event, inner) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break inner;
                    }
                    items.push(self.node(event, inner, depth + 1)?);
                };
                let pos = collection_pos(span, end, items.last());
                (Node::new(pos, NodeValue::Array(items)), anchor, tag)
            }
            Event::MappingStart(anchor, tag) => {
                let mut members = Vec::new();
                let end = loop {
                    let (event, inner) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break inner;
                    }
                    let key = self.node(event, inner, depth + 1)?;
                    let key = match key.value {
                        NodeValue::String { text, .. } => text,
                        NodeValue::Number(n) => n.to_string(),
                        NodeValue::Bool(b) => b.to_string(),
                        NodeValue::Null => "null".to_owned(),
                        NodeValue::Array(_) | NodeValue::Object(_) => {
                            return Err(SyntaxError {
                                message: "a key that is not a string: JSON has no such keys"
                                    .to_owned(),
                                pos: key.pos,
                            });
                        }
                    };
                    let (event, inner) = self.next()?;
                    let value = self.node(event, inner, depth + 1)?;
                    members.push(Member {
                        written: key.clone(),
                        key,
                        value,
                    });
                };
                let pos = collection_pos(span, end, members.last().map(|m| &m.value));
                (Node::new(pos, NodeValue::Object(members)), anchor, tag)
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(SyntaxError {
                        message: "invalid YAML: an alias of no anchor".to_owned(),
                        pos: point(span),
                    });
                };
                self.values += size;
                if self.values > MAX_YAML_VALUES {
                    return Err(SyntaxError {
                        message: format!(
                            "the YAML document expands to more than {MAX_YAML_VALUES} values \
                             (its aliases repeat their anchors'): not a task definition"
                        ),
                        pos: point(span),
                    });
                }
                return Ok(node.clone());
            }
            _ => {
                return Err(SyntaxError {
                    message: "invalid YAML: unexpected event".to_owned(),
                    pos: point(span),
                });
            }
        };
        let node = match tag {
            Some(tag) if tag.handle == "!" => intrinsic(&tag.suffix, node),
            _ => node,
        };
        if anchor > 0 {
            self.anchors
                .insert(anchor, (node.clone(), self.values - before));
        }
        Ok(node)
    }
}

/// CloudFormation's short form (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) as its long form.
fn intrinsic(suffix: &str, node: Node) -> Node {
    let function: Cow<'_, str> = match suffix {
        "Ref" | "Condition" => suffix.into(),
        _ => format!("Fn::{suffix}").into(),
    };
    let pos = node.pos;
    Node::new(
        pos,
        NodeValue::Object(vec![Member {
            key: function.to_string(),
            written: format!("!{suffix}"),
            value: node,
        }]),
    )
}

/// A plain scalar typed by YAML 1.2's core schema; `None` for a string.
fn plain_scalar(text: &str) -> Option<NodeValue> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(NodeValue::Null),
        "true" | "True" | "TRUE" => return Some(NodeValue::Bool(true)),
        "false" | "False" | "FALSE" => return Some(NodeValue::Bool(false)),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.trim_start_matches('+').parse().ok()?;
        return Some(NodeValue::Number(n.into()));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16)
            .ok()
            .map(|n| NodeValue::Number(n.into()));
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8)
            .ok()
            .map(|n| NodeValue::Number(n.into()));
    }
    let looks_float = digits
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if looks_float {
        return text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(NodeValue::Number);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_are_located() {
        let text = "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\\u0062\", \"image\": \"nginx\", \"cpu\": 256, \"é\": true}\n  ]\n}\n";
        let node = parse_json(text).expect("valid");
        assert_eq!(
            node.to_value(),
            serde_json::from_str::<Value>(text).expect("json")
        );
        let (found, written) = node.find("containerDefinitions[0].image");
        assert!(found.exact);
        assert_eq!(written, "containerDefinitions[0].image");
        assert_eq!(
            found.node.pos,
            Pos {
                line: 4,
                column: 34,
                end_line: 4,
                end_column: 41
            }
        );
        assert!(matches!(
            found.node.value,
            NodeValue::String {
                column: Some(35),
                ..
            }
        ));
        // An escape: the text is not verbatim.
        let (name, _) = node.find("containerDefinitions[0].name");
        assert!(matches!(
            name.node.value,
            NodeValue::String { column: None, .. }
        ));
        let (cpu, _) = node.find("containerDefinitions[0].cpu");
        assert_eq!((cpu.node.pos.column, cpu.node.pos.end_column), (50, 53));
        // Non-ASCII keys count as one column each.
        let (flag, _) = node.find("containerDefinitions[0].é");
        assert_eq!(flag.node.pos.column, 60);
        let (missing, written) = node.find("containerDefinitions[0].memory");
        assert!(!missing.exact);
        assert_eq!(written, "containerDefinitions[0]");
    }

    #[test]
    fn keys_with_dots_are_found() {
        let node = parse_json(r#"{"dockerLabels": {"com.example": {"team": "x"}, "com": 1}}"#)
            .expect("valid");
        let (found, written) = node.find("dockerLabels.com.example.team");
        assert!(found.exact);
        assert_eq!(written, "dockerLabels.com.example.team");
    }

    #[test]
    fn invalid_json_says_where() {
        let error = parse_json("{\n  \"family\": }").expect_err("invalid");
        assert_eq!(error.pos, Pos::point(2, 13));
        assert_eq!(error.message, "invalid JSON: expected value");
    }

    #[test]
    fn yaml_values_are_located_and_typed() {
        let text = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: 256\n      Family: 'web'\n      ExecutionRoleArn: !GetAtt Role.Arn\n      Flag: true\n      Empty:\n      Anchored: &a \"x\"\n      Again: *a\n";
        let node = parse_yaml(text).expect("valid");
        let props = node.find("Resources.Task.Properties").0.node;
        assert_eq!(props.get("Cpu").map(Node::to_value), Some(256.into()));
        let family = props.get("Family").expect("family");
        assert_eq!(
            family.pos,
            Pos {
                line: 6,
                column: 15,
                end_line: 6,
                end_column: 20
            }
        );
        assert!(matches!(
            family.value,
            NodeValue::String {
                column: Some(16),
                ..
            }
        ));
        assert_eq!(
            props.get("ExecutionRoleArn").map(Node::to_value),
            Some(serde_json::json!({"Fn::GetAtt": "Role.Arn"}))
        );
        assert_eq!(props.get("Flag").map(Node::to_value), Some(true.into()));
        assert_eq!(props.get("Empty").map(Node::to_value), Some(Value::Null));
        assert_eq!(props.get("Again").map(Node::to_value), Some("x".into()));
    }

    /// A block scalar ends with its last line that is not blank, not at the next token.
    #[test]
    fn yaml_block_scalars_end_with_their_last_line() {
        let text = "a: |\n  één\n  twee\n\nb: >-\n  x\n  yy  \n\n\nc: z\n";
        let node = parse_yaml(text).expect("valid");
        let pos = |key: &str| node.get(key).expect("a key").pos;
        assert_eq!(
            pos("a"),
            Pos {
                line: 2,
                column: 3,
                end_line: 3,
                end_column: 7
            }
        );
        assert_eq!(
            pos("b"),
            Pos {
                line: 6,
                column: 3,
                end_line: 7,
                end_column: 5
            }
        );
        assert_eq!(pos("c").end_line, 10);
    }

    /// Nested aliases that would expand to 10^9 values are refused, fast, without the memory.
    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            let items = vec![format!("*a{prev}"); 10].join(", ");
            let _ = writeln!(text, "a{i}: &a{i} [{items}]");
        }
        let error = parse_yaml(&text).expect_err("refused");
        assert!(
            error.message.contains("more than 1000000 values"),
            "{}",
            error.message
        );
    }

    #[test]
    fn invalid_yaml_says_where() {
        let error = parse_yaml("a: [1, 2\nb: 3\n").expect_err("invalid");
        assert!(
            error.message.starts_with("invalid YAML"),
            "{}",
            error.message
        );
        assert!(error.pos.line >= 1);
    }

    /// The position reader decodes every value as serde_json does, on every file of the
    /// corpus of real task definitions.
    #[test]
    fn agrees_with_serde_json_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).expect("the corpus") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let node = parse_json(&text).expect("valid JSON");
                let value: Value = serde_json::from_str(&text).expect("valid JSON");
                assert_eq!(node.to_value(), value, "{}", path.display());
                read += 1;
            }
        }
        assert!(read >= 30, "{read} files");
    }
}
