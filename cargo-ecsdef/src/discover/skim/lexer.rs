//! The skim's lexer: Rust's token boundaries at one level of a file, without building tokens.
//! A group (`(...)`, `[...]`, `{...}`) is one token, skipped in one pass over its bytes; doc
//! comments are tokens (they are attributes to the compiler), other comments and whitespace
//! are not. `None` wherever rustc's lexer would reject the text.

use std::ops::Range;

use proc_macro2::Delimiter;

/// A token of the skim: a group is one token, its inside not looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    Punct(u8),
    Group(Delimiter),
    Literal,
    Lifetime,
    /// `///` or `/** */` (outer), `//!` or `/*! */` (inner): attributes to the compiler.
    Doc {
        inner: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Groups nested deeper than this make the skim give up; the file is then parsed in full only
/// when it nests no deeper either (see [`Lexer::first_too_deep`]).
pub(super) const MAX_DEPTH: usize = 256;

/// The ASCII bytes that continue an identifier (or a number, or a literal's suffix).
pub(super) static IDENT_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    while byte < 128 {
        table[byte as usize] = byte == b'_' || byte.is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// The bytes [`Lexer::skip_group`] passes over in runs: ASCII but for the delimiters, the
/// quotes, `/` (comments) and `#` (raw strings). A run of them lexes alike wherever it is
/// cut, but for the word just before a quote or `#`, which may start a literal.
static PLAIN_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    while byte < 128 {
        table[byte as usize] = !matches!(
            byte,
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'/' | b'#'
        );
        byte += 1;
    }
    table
};

/// The bytes that may add a level to [`Nesting`]: the opening delimiters and the punctuation
/// it counts, and `e`, which each keyword it counts (`return`, `break`, `yield`, `else`) holds.
static NESTING_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"([{<>=|&*!-.e";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `text` may nest deeper than [`MAX_DEPTH`]: `false` only when it cannot. Each level
/// [`Lexer::first_too_deep`] counts was added at a byte of its own among those of
/// [`NESTING_BYTE`] (a delimiter, a punctuation byte, a keyword's `e`; inside a literal or a
/// comment too, which only makes the count larger), and the depth never exceeds the levels
/// added, so text with at most [`MAX_DEPTH`] such bytes never nests deeper. A deriving struct
/// has about a hundred: one pass over its bytes, a twentieth of [`Lexer::first_too_deep`]'s.
pub(super) fn may_nest_too_deep(text: &[u8]) -> bool {
    text.iter()
        .filter(|&&b| NESTING_BYTE[usize::from(b)])
        .count()
        > MAX_DEPTH
}

/// The closing delimiter of an opening one.
pub(super) fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// The lexer: Rust's token boundaries, without building tokens.
pub(super) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    end: usize,
    /// When set, where every doc comment is, at any depth.
    docs: Option<Vec<Range<usize>>>,
}

pub(super) enum Step {
    Tok(Tok),
    /// A closing delimiter with no group open at this level.
    Close,
    Eof,
}

/// A step of [`Lexer::descend`], which enters groups rather than skipping them.
pub(super) enum Descend {
    /// A token that is not a delimiter.
    Tok(Tok),
    /// An opening delimiter: the group's tokens follow, then its [`Descend::Close`].
    Open(Delimiter),
    /// A closing delimiter, which one.
    Close(u8),
    Eof,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src[range]`; with `record_docs`, it notes where every doc comment is, at
    /// any depth (see [`Lexer::into_docs`]).
    pub(super) fn new(src: &'a str, range: Range<usize>, record_docs: bool) -> Self {
        Lexer {
            src: src.as_bytes(),
            pos: range.start,
            end: range.end,
            docs: record_docs.then(Vec::new),
        }
    }

    /// The next token like [`Lexer::step`], but entering a group at its opening delimiter
    /// instead of skipping it: for text whose every token is read.
    pub(super) fn descend(&mut self) -> Option<Descend> {
        self.trivia()?;
        if self.pos >= self.end {
            return Some(Descend::Eof);
        }
        let byte = self.peek(0);
        match byte {
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Some(Descend::Open(match byte {
                    b'(' => Delimiter::Parenthesis,
                    b'[' => Delimiter::Bracket,
                    _ => Delimiter::Brace,
                }))
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Some(Descend::Close(byte))
            }
            _ => match self.step(0)? {
                Step::Tok(tok) => Some(Descend::Tok(tok)),
                Step::Close | Step::Eof => None,
            },
        }
    }

    /// Whether the next token starts with `byte`, once past whitespace and comments; `None`
    /// on an unclosed block comment.
    pub(super) fn next_is(&mut self, byte: u8) -> Option<bool> {
        self.trivia()?;
        Some(self.src[..self.end].get(self.pos) == Some(&byte))
    }

    /// At an opening delimiter ([`Lexer::next_is`]), at `depth`: the group as one token, as
    /// [`Lexer::step`] gives it, and the tokens one level inside it, which `step` skips (so
    /// that a reader of that level does not lex the group again). `None` where `step` gives
    /// up on the group.
    pub(super) fn group_and_inside(&mut self, depth: usize) -> Option<(Tok, Vec<Tok>)> {
        let start = self.pos;
        let (delimiter, close) = match self.src[..self.end].get(start)? {
            b'(' => (Delimiter::Parenthesis, b')'),
            b'[' => (Delimiter::Bracket, b']'),
            b'{' => (Delimiter::Brace, b'}'),
            _ => return None,
        };
        if depth >= MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        // Room for the tokens of a struct of a few fields with attributes and doc comments.
        let mut inside = Vec::with_capacity(32);
        loop {
            match self.step(depth + 1)? {
                Step::Tok(tok) => inside.push(tok),
                Step::Close if self.src[self.pos - 1] == close => break,
                Step::Close | Step::Eof => return None,
            }
        }
        let group = Tok {
            kind: Kind::Group(delimiter),
            start,
            end: self.pos,
        };
        Some((group, inside))
    }

    /// Where the next token starts, or past the last one.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Where the doc comments it lexed are, when it was asked to note them.
    pub(super) fn into_docs(self) -> Option<Vec<Range<usize>>> {
        self.docs
    }

    fn peek(&self, ahead: usize) -> u8 {
        let at = self.pos + ahead;
        if at < self.end { self.src[at] } else { 0 }
    }

    /// Skips whitespace and comments that are not doc comments. `None` on an unclosed
    /// block comment.
    ///
    /// Inlined where a token follows at once or after one space, as most do (every token is
    /// preceded by a call); the rest is [`Lexer::trivia_run`].
    #[inline]
    fn trivia(&mut self) -> Option<()> {
        let starts_token = |byte: u8| byte > b' ' && byte != b'/' && byte < 0x80;
        match self.src[..self.end].get(self.pos) {
            Some(&byte) if starts_token(byte) => return Some(()),
            Some(b' ') => {
                self.pos += 1;
                if self.src[..self.end]
                    .get(self.pos)
                    .is_some_and(|&byte| starts_token(byte))
                {
                    return Some(());
                }
            }
            _ => {}
        }
        self.trivia_run()
    }

    /// [`Lexer::trivia`] past anything but a token at once or after one space: line breaks
    /// and the indentation after them, comments.
    #[inline(never)]
    fn trivia_run(&mut self) -> Option<()> {
        while self.pos < self.end {
            match (self.peek(0), self.peek(1)) {
                // Indentation comes in runs.
                (b'\n', _) => {
                    self.pos += 1;
                    self.pos += self.src[self.pos..self.end]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                }
                (b' ' | b'\t' | b'\r', _) => self.pos += 1,
                (b'/', b'/') => {
                    // `///` (not `////`) and `//!` are doc comments.
                    if (self.peek(2) == b'/' && self.peek(3) != b'/') || self.peek(2) == b'!' {
                        return Some(());
                    }
                    self.line_end();
                }
                (b'/', b'*') => {
                    // `/**` (not `/***` or `/**/`) and `/*!` are doc comments.
                    let third = self.peek(2);
                    if (third == b'*' && self.peek(3) != b'*' && self.peek(3) != b'/')
                        || third == b'!'
                    {
                        return Some(());
                    }
                    self.block_comment()?;
                }
                (byte, _) if byte >= 0x80 => {
                    // Unicode whitespace (rare) is trivia; any other character is a token.
                    let ch = self.char_at(self.pos)?;
                    if !ch.is_whitespace() {
                        return Some(());
                    }
                    self.pos += ch.len_utf8();
                }
                _ => return Some(()),
            }
        }
        Some(())
    }

    fn char_at(&self, at: usize) -> Option<char> {
        let text = std::str::from_utf8(&self.src[at..self.end.min(at + 4)]).ok();
        // A cut in the middle of a later character: decode what is whole.
        let text = text.or_else(|| {
            (1..4)
                .rev()
                .find_map(|n| std::str::from_utf8(&self.src[at..self.end.min(at + n)]).ok())
        })?;
        text.chars().next()
    }

    fn line_end(&mut self) {
        self.pos = memchr::memchr(b'\n', &self.src[self.pos..self.end])
            .map_or(self.end, |at| self.pos + at);
    }

    /// A block comment from its `/*`, nested ones included.
    fn block_comment(&mut self) -> Option<()> {
        let mut depth = 0_usize;
        while self.pos < self.end {
            match (self.peek(0), self.peek(1)) {
                (b'/', b'*') => {
                    depth += 1;
                    self.pos += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    self.pos += 2;
                    if depth == 0 {
                        return Some(());
                    }
                }
                _ => self.pos += 1,
            }
        }
        None
    }

    /// The next token at this level; a group is skipped whole. `None` on text that does not
    /// lex.
    pub(super) fn step(&mut self, depth: usize) -> Option<Step> {
        self.trivia()?;
        if self.pos >= self.end {
            return Some(Step::Eof);
        }
        let start = self.pos;
        let kind = match self.peek(0) {
            open @ (b'(' | b'[' | b'{') => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                self.skip_group(closer(open), depth)?;
                Kind::Group(match open {
                    b'(' => Delimiter::Parenthesis,
                    b'[' => Delimiter::Bracket,
                    _ => Delimiter::Brace,
                })
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                return Some(Step::Close);
            }
            b'/' if matches!(self.peek(1), b'/' | b'*') => {
                let inner = self.peek(2) == b'!';
                if self.peek(1) == b'/' {
                    self.line_end();
                } else {
                    self.block_comment()?;
                }
                if let Some(docs) = &mut self.docs {
                    docs.push(start..self.pos);
                }
                Kind::Doc { inner }
            }
            b'"' => {
                self.pos += 1;
                self.quoted(b'"')?;
                Kind::Literal
            }
            b'\'' => self.quote_or_lifetime()?,
            b'0'..=b'9' => {
                self.number();
                Kind::Literal
            }
            b'b' | b'c' | b'r' if self.literal_prefix() => self.prefixed_literal()?,
            byte if byte == b'_' || byte.is_ascii_alphabetic() || byte >= 0x80 => {
                if self.peek(0) == b'r' && self.peek(1) == b'#' {
                    self.pos += 2;
                }
                self.ident_chars();
                if self.pos == start {
                    return None;
                }
                Kind::Ident
            }
            byte => {
                self.pos += 1;
                Kind::Punct(byte)
            }
        };
        Some(Step::Tok(Tok {
            kind,
            start,
            end: self.pos,
        }))
    }

    /// The rest of a group after its opening delimiter (at `depth`), up to and including its
    /// closing one: what [`Lexer::step`] does token by token, in one loop without building
    /// tokens. Most of a file's text is inside groups (function bodies, struct fields), and
    /// the skim needs only where each group ends (and the doc comments in it). `None` where
    /// `step` would give up: text that does not lex, a wrong closing delimiter, groups nested
    /// deeper than [`MAX_DEPTH`].
    fn skip_group(&mut self, close: u8, depth: usize) -> Option<()> {
        self.skip_group_with::<true>(close, depth)
    }

    /// [`Lexer::skip_group`], with `RUNS` its runs of [`PLAIN_BYTE`]s skipped at once; without,
    /// a lexeme at a time, the plain way the tests hold it to.
    fn skip_group_with<const RUNS: bool>(&mut self, close: u8, depth: usize) -> Option<()> {
        // The closing delimiter each open group waits for, innermost last.
        let mut closers = [0_u8; MAX_DEPTH];
        closers[0] = close;
        let mut open = 1;
        let text = &self.src[..self.end];
        loop {
            if RUNS {
                // Whitespace, words, numbers and punctuation lex alike wherever the run is
                // cut, but for a word just before a quote or `#`, which may be a literal's
                // prefix (`br"`, `r#"`, `b'`) or a raw identifier's: that word is lexed again.
                let rest = &text[self.pos..];
                let run = rest
                    .iter()
                    .position(|&b| !PLAIN_BYTE[usize::from(b)])
                    .unwrap_or(rest.len());
                if run > 0 {
                    let mut stop = self.pos + run;
                    if matches!(text.get(stop), Some(b'"' | b'\'' | b'#')) {
                        while stop > self.pos && IDENT_BYTE[usize::from(text[stop - 1])] {
                            stop -= 1;
                        }
                    }
                    self.pos = stop;
                }
            }
            let start = self.pos;
            // The end of the text inside a group: it does not lex.
            let &byte = text.get(start)?;
            match byte {
                // Indentation comes in runs.
                b' ' | b'\t' | b'\n' | b'\r' => {
                    self.pos += 1 + text[start + 1..].iter().take_while(|&&b| b == b' ').count();
                }
                b'(' | b'[' | b'{' => {
                    if depth + open >= MAX_DEPTH {
                        return None;
                    }
                    closers[open] = closer(byte);
                    open += 1;
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    self.pos += 1;
                    open -= 1;
                    if closers[open] != byte {
                        return None;
                    }
                    if open == 0 {
                        return Some(());
                    }
                }
                // Comments, as `trivia` tells them from doc comments.
                b'/' if matches!(self.peek(1), b'/' | b'*') => {
                    let (third, fourth) = (self.peek(2), self.peek(3));
                    let doc = if self.peek(1) == b'/' {
                        let doc = (third == b'/' && fourth != b'/') || third == b'!';
                        self.line_end();
                        doc
                    } else {
                        let doc =
                            (third == b'*' && fourth != b'*' && fourth != b'/') || third == b'!';
                        self.block_comment()?;
                        doc
                    };
                    if doc && let Some(docs) = &mut self.docs {
                        docs.push(start..self.pos);
                    }
                }
                b'"' => {
                    self.pos += 1;
                    self.quoted(b'"')?;
                }
                b'\'' => {
                    self.quote_or_lifetime()?;
                }
                b'0'..=b'9' => self.number(),
                b'b' | b'c' | b'r' if self.literal_prefix() => {
                    self.prefixed_literal()?;
                }
                _ if byte == b'_' || byte.is_ascii_alphabetic() => {
                    if byte == b'r' && self.peek(1) == b'#' {
                        self.pos += 2;
                    }
                    self.ident_chars();
                }
                // Unicode whitespace is trivia; any other character starts an identifier.
                _ if byte >= 0x80 => {
                    let ch = self.char_at(start)?;
                    if ch.is_whitespace() {
                        self.pos += ch.len_utf8();
                    } else {
                        self.ident_chars();
                        if self.pos == start {
                            return None;
                        }
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Where the text first nests deeper than [`MAX_DEPTH`], if it does: the bound checked
    /// before text is handed to syn, whose recursion follows the nesting. Groups count, and so
    /// does what syn recurses into without brackets ([`Nesting`]). It reads as
    /// [`Lexer::skip_group`] does, without giving up: text that does not lex is read a
    /// character at a time, and a closing delimiter that matches nothing closes nothing, so
    /// that no nesting after it goes unseen.
    pub(super) fn first_too_deep(mut self) -> Option<usize> {
        let first = self.pos;
        let mut nesting = Nesting::default();
        while self.pos < self.end {
            let start = self.pos;
            let byte = self.src[start];
            let lexed = match byte {
                b'(' | b'[' | b'{' => {
                    nesting.open();
                    self.pos += 1;
                    Some(())
                }
                b')' | b']' | b'}' => {
                    nesting.close(byte == b'}');
                    self.pos += 1;
                    Some(())
                }
                b'/' if matches!(self.peek(1), b'/' | b'*') => {
                    if self.peek(1) == b'/' {
                        self.line_end();
                        Some(())
                    } else {
                        self.block_comment()
                    }
                }
                b'"' => {
                    nesting.operand();
                    self.pos += 1;
                    self.quoted(b'"')
                }
                b'\'' => match self.quote_or_lifetime() {
                    // `&'a &'a T`: a lifetime does not end a run of prefixes.
                    Some(Kind::Lifetime) => Some(()),
                    other => {
                        nesting.operand();
                        other.map(drop)
                    }
                },
                b'b' | b'c' | b'r' if self.literal_prefix() => {
                    nesting.operand();
                    self.prefixed_literal().map(drop)
                }
                _ if IDENT_BYTE[usize::from(byte)] || byte >= 0x80 => {
                    self.ident_chars();
                    nesting.word(&self.src[start..self.pos.max(start + 1)]);
                    Some(())
                }
                b' ' | b'\t' | b'\n' | b'\r' => {
                    self.pos += 1;
                    Some(())
                }
                _ => {
                    let before = if start > first {
                        self.src[start - 1]
                    } else {
                        0
                    };
                    nesting.punct(before, byte, self.peek(1));
                    self.pos += 1;
                    Some(())
                }
            };
            if nesting.depth() > MAX_DEPTH {
                return Some(start);
            }
            if lexed.is_none() || self.pos == start {
                self.pos = start + self.char_at(start).map_or(1, char::len_utf8);
            }
        }
        None
    }

    /// The rest of an identifier (or a number's or a suffix's characters). Inlined for the
    /// ASCII ones; a character past ASCII goes on in [`Lexer::ident_chars_past_ascii`].
    #[inline]
    fn ident_chars(&mut self) {
        self.pos += self.src[self.pos..self.end]
            .iter()
            .take_while(|&&b| IDENT_BYTE[usize::from(b)])
            .count();
        if self.src[..self.end]
            .get(self.pos)
            .is_some_and(|&b| b >= 0x80)
        {
            self.ident_chars_past_ascii();
        }
    }

    #[inline(never)]
    fn ident_chars_past_ascii(&mut self) {
        while self.pos < self.end {
            let Some(&byte) = self.src[..self.end].get(self.pos) else {
                return;
            };
            if byte >= 0x80 {
                match self.char_at(self.pos) {
                    Some(ch) if !ch.is_whitespace() => self.pos += ch.len_utf8(),
                    _ => return,
                }
            } else {
                return;
            }
            self.pos += self.src[self.pos..self.end]
                .iter()
                .take_while(|&&b| IDENT_BYTE[usize::from(b)])
                .count();
        }
    }

    /// The rest of a quoted literal after its opening quote, then any suffix.
    fn quoted(&mut self, quote: u8) -> Option<()> {
        while self.pos < self.end {
            // Up to the next quote or backslash.
            self.pos = memchr::memchr2(quote, b'\\', &self.src[self.pos..self.end])
                .map_or(self.end, |at| self.pos + at);
            match self.src[..self.end].get(self.pos) {
                Some(b'\\') => self.pos += 2,
                Some(_) => {
                    self.pos += 1;
                    self.ident_chars();
                    return Some(());
                }
                None => return None,
            }
        }
        None
    }

    /// `'a'`, `'\n'` (char literals) or `'a`, `'static` (lifetimes and labels).
    fn quote_or_lifetime(&mut self) -> Option<Kind> {
        self.pos += 1;
        if self.peek(0) == b'\\' {
            self.quoted(b'\'')?;
            return Some(Kind::Literal);
        }
        let ch = self.char_at(self.pos)?;
        if self.src.get(self.pos + ch.len_utf8()) == Some(&b'\'')
            && self.pos + ch.len_utf8() < self.end
        {
            self.pos += ch.len_utf8() + 1;
            self.ident_chars();
            return Some(Kind::Literal);
        }
        if ch == '_' || ch.is_alphabetic() {
            if self.peek(0) == b'r' && self.peek(1) == b'#' {
                self.pos += 2;
            }
            self.ident_chars();
            return Some(Kind::Lifetime);
        }
        None
    }

    /// Whether a `b`, `c` or `r` here starts a literal (`b"`, `b'`, `br"`, `r"`, `r#"`, `c"`,
    /// `cr#"`) rather than an identifier (`r#type` is an identifier).
    fn literal_prefix(&self) -> bool {
        let mut at = 0;
        if matches!(self.peek(0), b'b' | b'c') {
            at = 1;
            if self.peek(0) == b'b' && self.peek(1) == b'\'' {
                return true;
            }
        }
        if self.peek(at) == b'r' {
            let mut hashes = at + 1;
            while self.peek(hashes) == b'#' {
                hashes += 1;
            }
            return self.peek(hashes) == b'"';
        }
        at == 1 && self.peek(1) == b'"'
    }

    fn prefixed_literal(&mut self) -> Option<Kind> {
        if self.peek(0) == b'b' && self.peek(1) == b'\'' {
            self.pos += 2;
            self.quoted(b'\'')?;
            return Some(Kind::Literal);
        }
        if matches!(self.peek(0), b'b' | b'c') {
            self.pos += 1;
        }
        if self.peek(0) == b'"' {
            self.pos += 1;
            self.quoted(b'"')?;
            return Some(Kind::Literal);
        }
        // A raw string: `r`, hashes, `"`, up to `"` and as many hashes.
        self.pos += 1;
        let mut hashes = 0;
        while self.peek(0) == b'#' {
            hashes += 1;
            self.pos += 1;
        }
        self.pos += 1;
        while self.pos < self.end {
            if self.src[self.pos] == b'"'
                && (1..=hashes).all(|k| self.src.get(self.pos + k) == Some(&b'#'))
                && self.pos + hashes < self.end
            {
                self.pos += 1 + hashes;
                self.ident_chars();
                return Some(Kind::Literal);
            }
            self.pos += 1;
        }
        None
    }

    fn number(&mut self) {
        self.ident_chars();
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            self.pos += 1;
            self.ident_chars();
        }
    }
}

/// Whether `tokens[at]` and `tokens[at + 1]` are the two halves of a `::`.
pub(super) fn is_path_sep(tokens: &[Tok], at: usize) -> bool {
    is_punct(tokens.get(at), b':')
        && is_punct(tokens.get(at + 1), b':')
        && tokens[at].end == tokens[at + 1].start
}

pub(super) fn is_punct(tok: Option<&Tok>, c: u8) -> bool {
    matches!(tok, Some(t) if t.kind == Kind::Punct(c))
}

pub(super) fn is_group(tok: Option<&Tok>, delimiter: Delimiter) -> bool {
    matches!(tok, Some(t) if t.kind == Kind::Group(delimiter))
}

/// How deep syn's recursion goes at a point of the text, counted from above: every group open
/// around it, and in each group what syn recurses into without brackets. Those are the
/// generic arguments open (`Vec<Vec<...`), the right-recursive chains of the current
/// statement (`a = b = ...`, `-> fn() -> ...`, `return return ...`, `else if ... else if`,
/// closures `|x| |y| ...`), and the run of prefixes before the next operand (`&&&x`, `!!!x`,
/// `&'a mut &'a mut T`). Each is at most one level of syn's recursion, so the count is an
/// upper bound for the text real code is made of; it may overcount (a `<` comparison, the
/// `|` of an or-pattern), which takes hundreds of them in one statement to matter.
#[derive(Default)]
struct Nesting {
    /// The frames of the groups open around the current one.
    outer: Vec<Frame>,
    /// The sum of their [`Frame::total`]s.
    outer_total: usize,
    frame: Frame,
    /// A `}` just closed: unless `else` follows, it ended a statement or an item.
    after_brace: bool,
}

#[derive(Default, Clone, Copy)]
struct Frame {
    angles: usize,
    chain: usize,
    run: usize,
}

impl Frame {
    fn total(self) -> usize {
        self.angles + self.chain + self.run
    }
}

impl Nesting {
    fn depth(&self) -> usize {
        self.outer.len() + self.outer_total + self.frame.total()
    }

    /// Before each token: what a `}` just before it ended.
    fn settle(&mut self, is_else: bool) {
        if std::mem::take(&mut self.after_brace) && !is_else {
            self.frame = Frame::default();
        }
    }

    fn open(&mut self) {
        self.settle(false);
        self.outer.push(self.frame);
        self.outer_total += self.frame.total();
        self.frame = Frame::default();
    }

    fn close(&mut self, brace: bool) {
        self.settle(false);
        self.frame = match self.outer.pop() {
            Some(outer) => {
                self.outer_total -= outer.total();
                Frame { run: 0, ..outer }
            }
            None => Frame::default(),
        };
        self.after_brace = brace;
    }

    /// A literal.
    fn operand(&mut self) {
        self.settle(false);
        self.frame.run = 0;
    }

    /// An identifier, keyword or number.
    fn word(&mut self, word: &[u8]) {
        self.settle(word == b"else");
        match word {
            b"mut" | b"const" | b"dyn" | b"impl" | b"move" | b"ref" | b"box" | b"static"
            | b"async" | b"unsafe" => {}
            b"return" | b"break" | b"yield" | b"else" => self.frame.chain += 1,
            _ => self.frame.run = 0,
        }
    }

    /// A punctuation byte, with the bytes before and after it.
    fn punct(&mut self, before: u8, byte: u8, after: u8) {
        self.settle(false);
        let frame = &mut self.frame;
        match byte {
            b';' => *frame = Frame::default(),
            b',' => {
                frame.chain = 0;
                frame.run = 0;
            }
            b'<' if after != b'=' => {
                frame.angles += 1;
                frame.run = 0;
            }
            b'>' if before == b'-' => {
                frame.chain += 1;
                frame.run = 0;
            }
            // The end of a match arm's pattern.
            b'>' if before == b'=' => {
                frame.chain = 0;
                frame.run = 0;
            }
            b'>' if after != b'=' => {
                frame.angles = frame.angles.saturating_sub(1);
                frame.run = 0;
            }
            // An assignment, compound ones included; not `==`, `=>`, `<=`, `>=` or `!=`.
            b'=' if !matches!(after, b'=' | b'>')
                && !matches!(before, b'=' | b'<' | b'>' | b'!') =>
            {
                frame.chain += 1;
                frame.run = 0;
            }
            b'|' => frame.chain += 1,
            b'&' | b'*' | b'!' | b'-' | b'.' => frame.run += 1,
            _ => frame.run = 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Lexer, closer};

    /// Where skipping the group that opens at `open` ends, and the doc comments it saw, the
    /// plain way (`RUNS` off) or with its runs skipped at once.
    fn skip<const RUNS: bool>(
        src: &str,
        open: usize,
    ) -> (Option<()>, usize, Vec<std::ops::Range<usize>>) {
        let mut lexer = Lexer::new(src, open + 1..src.len(), true);
        let result = lexer.skip_group_with::<RUNS>(closer(src.as_bytes()[open]), 0);
        (result, lexer.pos, lexer.docs.unwrap_or_default())
    }

    /// Skipping a group's runs at once ends where skipping it a lexeme at a time does, with
    /// the same doc comments and the same refusals, from every opening delimiter of `src`.
    fn assert_runs_skip_as_plain(src: &str, name: &str) {
        for (open, byte) in src.bytes().enumerate() {
            if matches!(byte, b'(' | b'[' | b'{') {
                assert_eq!(
                    skip::<true>(src, open),
                    skip::<false>(src, open),
                    "{name} at {open}"
                );
            }
        }
    }

    #[test]
    fn runs_are_skipped_as_lexemes_are() {
        let snippets = [
            r#"{ let s = br"\"; x }"#,
            "{ r#\"a\"# r#type b'\\'' b'x' c\"c\" cr\"\\\" cr#\"}\"# br##\"}\"#\"## }",
            r#"{ xbr"}\"}" 1.5r"}" 1.r"}" a'b' 'a' '}' '\'' <'a> }"#,
            r#"{ "a"r"}" "\"}" '\u{7d}' }"#,
            "{ /// doc }\n /** doc } */ /*! } */ //! }\n // }\n /* /* } */ } */ }",
            "{ caf\u{e9}\"}\" \u{a0} x\u{a7}y \u{2028} \u{1f980}'}' }",
            "{ # [a] r# #\"x\"# r#\"}\"# }",
            "{ ( [ { ) ] } }",
            "{ \"unclosed }",
            "{ 'x",
            "{ r#\"}\" }",
            "{\t\r\n\x0b\x0c}",
        ];
        for snippet in snippets {
            assert_runs_skip_as_plain(snippet, snippet);
        }
    }

    /// The same on every Rust file of this repository, and of the folder `ECSDEF_SCAN_CORPUS`
    /// names, as the skim's corpus test reads them.
    #[test]
    fn runs_are_skipped_as_lexemes_are_in_real_files() {
        let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut roots = vec![repository];
        roots.extend(std::env::var_os("ECSDEF_SCAN_CORPUS").map(Into::into));
        let mut files = Vec::new();
        for root in &roots {
            super::super::tests::rust_files(root, &mut files);
        }
        assert!(files.len() > 50, "{}", files.len());
        for file in files {
            if let Ok(src) = std::fs::read_to_string(&file) {
                assert_runs_skip_as_plain(&src, &file.display().to_string());
            }
        }
    }
}
