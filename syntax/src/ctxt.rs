//! The error collector: parsers report into it and carry on, so one build shows every mistake.

use std::cell::RefCell;

use ecsdef_model::rules::Level;
use proc_macro2::Span;

/// One problem found in a declaration, with the span of the tokens it is about (a
/// [`proc_macro2::Span`], or plain data once converted off the parsing thread).
#[derive(Debug, Clone)]
pub struct SpannedDiagnostic<S = Span> {
    /// Where: the literal or key that is wrong (its first token).
    pub span: S,
    /// Where the wrong tokens end, when they are more than one (`concat!(...)`,
    /// `credentials-form`): the caret then covers all of them, not only the first.
    pub end: Option<S>,
    /// The ecsdef rule, for the rule engine's findings; `None` for attribute syntax errors.
    pub rule: Option<&'static str>,
    /// Error or warning (the derive shows only errors; the CLI shows both).
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl<S> SpannedDiagnostic<S> {
    /// The same diagnostic with its spans converted by `convert`.
    pub fn map_span<T>(self, mut convert: impl FnMut(S) -> T) -> SpannedDiagnostic<T> {
        SpannedDiagnostic {
            span: convert(self.span),
            end: self.end.map(&mut convert),
            rule: self.rule,
            level: self.level,
            message: self.message,
            help: self.help,
        }
    }

    /// The text a `compile_error!` shows: the message, then the help line and the rule.
    pub fn compile_error_text(&self) -> String {
        let help = self
            .help
            .as_deref()
            .map(|h| format!("\n= help: {h}"))
            .unwrap_or_default();
        let rule = self
            .rule
            .map(|r| format!("\n  (rule: {r})"))
            .unwrap_or_default();
        format!("{}{help}{rule}", self.message)
    }
}

impl<S> SpannedDiagnostic<S> {
    /// An attribute syntax error.
    pub fn error(span: S, message: impl Into<String>) -> Self {
        SpannedDiagnostic {
            span,
            end: None,
            rule: None,
            level: Level::Error,
            message: message.into(),
            help: None,
        }
    }

    /// The same diagnostic with a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same diagnostic covering the tokens from its span to `end`.
    #[must_use]
    pub fn to_end(mut self, end: S) -> Self {
        self.end = Some(end);
        self
    }
}

impl SpannedDiagnostic {
    /// A `syn::Error` at the span, for the derive to emit.
    pub fn to_syn_error(&self) -> syn::Error {
        match self.end {
            // `new_spanned` takes the first and the last token's spans: stable Rust cannot
            // join spans, but a `compile_error!` spanned from one to the other shows the range.
            Some(end) => {
                let mut first = proc_macro2::Punct::new('<', proc_macro2::Spacing::Alone);
                let mut last = proc_macro2::Punct::new('>', proc_macro2::Spacing::Alone);
                first.set_span(self.span);
                last.set_span(end);
                let tokens: proc_macro2::TokenStream = [
                    proc_macro2::TokenTree::Punct(first),
                    proc_macro2::TokenTree::Punct(last),
                ]
                .into_iter()
                .collect();
                syn::Error::new_spanned(tokens, self.compile_error_text())
            }
            None => syn::Error::new(self.span, self.compile_error_text()),
        }
    }
}

/// Collects diagnostics. Must be consumed with [`Ctxt::finish`]: dropping an unfinished
/// context is a bug in the front end and panics in debug builds (as serde_derive's does), so
/// no error is ever silently lost.
///
/// Generic over the span type, as the front end is (see [`crate::input`]).
#[derive(Debug)]
pub struct Ctxt<S = Span> {
    diagnostics: RefCell<Option<Vec<SpannedDiagnostic<S>>>>,
}

impl<S> Default for Ctxt<S> {
    fn default() -> Self {
        Ctxt::new()
    }
}

impl<S> Ctxt<S> {
    /// An empty collector.
    pub fn new() -> Self {
        Ctxt {
            diagnostics: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records a diagnostic.
    pub fn push(&self, diagnostic: SpannedDiagnostic<S>) {
        if let Some(list) = self.diagnostics.borrow_mut().as_mut() {
            list.push(diagnostic);
        }
    }

    /// Records an attribute syntax error.
    pub fn error(&self, span: S, message: impl Into<String>) {
        self.push(SpannedDiagnostic::error(span, message));
    }

    /// Records an attribute syntax error with a help line.
    pub fn error_help(&self, span: S, message: impl Into<String>, help: impl Into<String>) {
        self.push(SpannedDiagnostic::error(span, message).with_help(help));
    }

    /// Whether any error was recorded so far.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .borrow()
            .as_ref()
            .is_some_and(|l| l.iter().any(|d| d.level == Level::Error))
    }

    /// Everything recorded, in the order recorded.
    pub fn finish(self) -> Vec<SpannedDiagnostic<S>> {
        self.diagnostics.borrow_mut().take().unwrap_or_default()
    }
}

impl<S> Drop for Ctxt<S> {
    fn drop(&mut self) {
        debug_assert!(
            std::thread::panicking() || self.diagnostics.borrow().is_none(),
            "ecsdef-syntax: a Ctxt was dropped without finish(): diagnostics would be lost"
        );
    }
}
