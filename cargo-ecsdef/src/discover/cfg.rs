//! `#[cfg]` and `#[cfg_attr]` decided without compiling: against the package's resolved
//! features and the host target, with `debug_assertions` on and `test` off (a `cargo build`).
//! What only the compiler knows (custom `--cfg` flags, target features) is undecidable; the
//! caller keeps such items and warns.

use std::collections::BTreeSet;

use cfg_expr::targets::TargetInfo;
use cfg_expr::{Expression, Predicate};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

use super::items::TextOrigin;

/// What a package's code is compiled with.
#[derive(Debug)]
pub(crate) struct CfgContext {
    features: BTreeSet<String>,
    host: Option<&'static TargetInfo>,
    proc_macro: bool,
}

/// A predicate that could not be decided, with where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Undecided {
    pub line: usize,
    pub column: usize,
    /// The predicate as written, e.g. `tokio_unstable`.
    pub predicate: String,
    /// Why: the unknown names, or the parse error.
    pub reason: String,
}

/// Whether an attribute is one the package's features or target decide: `cfg` or `cfg_attr`.
pub(crate) fn is_cfg(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")
}

/// An item's attributes after `cfg_attr` expansion.
pub(crate) struct Expanded {
    /// Plain attributes: `cfg_attr` expanded (when its predicate holds or is undecidable),
    /// `cfg` removed.
    pub attrs: Vec<Attribute>,
    /// Whether the item's `#[cfg]`s hold: `Some(false)` removes it, `None` keeps it with a
    /// warning.
    pub enabled: Option<bool>,
    /// Every undecidable predicate met, for the warning.
    pub undecided: Vec<Undecided>,
}

impl CfgContext {
    pub fn new(features: BTreeSet<String>, proc_macro: bool) -> Self {
        Self {
            features,
            host: host_target(),
            proc_macro,
        }
    }

    /// Expands `cfg_attr` and evaluates `cfg` on one item's attributes. Attributes for which
    /// [`is_cfg`] is false come back as they are.
    /// Spans count from `origin` (see [`TextOrigin`]).
    pub fn expand(&self, attrs: Vec<Attribute>, origin: TextOrigin) -> Expanded {
        let mut out = Expanded {
            attrs: Vec::with_capacity(attrs.len()),
            enabled: Some(true),
            undecided: Vec::new(),
        };
        for attr in attrs {
            self.expand_one(attr, origin, &mut out);
        }
        out
    }

    fn expand_one(&self, attr: Attribute, origin: TextOrigin, out: &mut Expanded) {
        if !is_cfg(&attr) {
            out.attrs.push(attr);
        } else if attr.path().is_ident("cfg") {
            let Meta::List(list) = &attr.meta else {
                out.attrs.push(attr);
                return;
            };
            let value = self.decide(&list.tokens, origin, &mut out.undecided);
            out.enabled = and(out.enabled, value);
        } else {
            // `cfg_attr`.
            let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                // Malformed: rustc rejects it; keeping it unexpanded hides nothing we need.
                out.attrs.push(attr);
                return;
            };
            let mut metas = metas.into_iter();
            let Some(predicate) = metas.next() else {
                return;
            };
            let mut undecided = Vec::new();
            let value = self.decide(&predicate.to_token_stream(), origin, &mut undecided);
            if value == Some(false) {
                return;
            }
            let metas: Vec<Meta> = metas.collect();
            // `#[cfg_attr(docsrs, doc(...))]` is everywhere; only an undecidable predicate
            // around what discovery reads is worth a warning.
            if metas.iter().any(|meta| {
                ["derive", "ecs", "path", "cfg", "cfg_attr"]
                    .iter()
                    .any(|name| meta.path().is_ident(name))
            }) {
                out.undecided.extend(undecided);
            }
            for meta in metas {
                let expanded = Attribute {
                    pound_token: attr.pound_token,
                    style: attr.style,
                    bracket_token: attr.bracket_token,
                    meta,
                };
                self.expand_one(expanded, origin, out);
            }
        }
    }

    /// Evaluates the inside of `cfg(...)`.
    fn decide(
        &self,
        tokens: &TokenStream,
        origin: TextOrigin,
        undecided: &mut Vec<Undecided>,
    ) -> Option<bool> {
        let text = tokens.to_string();
        let start = tokens
            .clone()
            .into_iter()
            .next()
            .map(|token| token.span().start());
        let (line, column) = start.map_or((0, 0), |at| origin.locate(at));
        let expression = match Expression::parse(&text) {
            Ok(expression) => expression,
            Err(error) => {
                undecided.push(Undecided {
                    line,
                    column,
                    predicate: text,
                    reason: format!("it does not parse as a cfg predicate: {}", error.reason),
                });
                return None;
            }
        };
        let mut unknown = Vec::new();
        let value = expression.eval(|predicate| {
            let value = self.predicate(predicate);
            if value.is_none() {
                unknown.push(describe(predicate));
            }
            value
        });
        if value.is_none() {
            undecided.push(Undecided {
                line,
                column,
                predicate: text,
                reason: format!("{} is only known to the compiler", unknown.join(", ")),
            });
        }
        value
    }

    fn predicate(&self, predicate: &Predicate<'_>) -> Option<bool> {
        match predicate {
            Predicate::Feature(name) => Some(self.features.contains(*name)),
            Predicate::Target(target) => self.host.map(|host| target.matches(host)),
            // `cargo build`'s dev profile, which is what a deployment's build is checked with.
            Predicate::DebugAssertions => Some(true),
            Predicate::Test => Some(false),
            Predicate::ProcMacro => Some(self.proc_macro),
            Predicate::Flag(flag) => match *flag {
                "true" | "overflow_checks" | "ub_checks" => Some(true),
                // `docsrs` is set by docs.rs builds only, by convention.
                "false" | "doc" | "docsrs" | "doctest" | "miri" | "rustfmt" | "clippy"
                | "rust_analyzer" => Some(false),
                _ => None,
            },
            Predicate::TargetFeature(_) | Predicate::KeyValue { .. } => None,
        }
    }
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn describe(predicate: &Predicate<'_>) -> String {
    match predicate {
        Predicate::Flag(flag) => format!("`{flag}`"),
        Predicate::KeyValue { key, val } => format!("`{key} = \"{val}\"`"),
        Predicate::TargetFeature(feature) => format!("`target_feature = \"{feature}\"`"),
        Predicate::Target(_) => "the target (the host's is unknown)".to_owned(),
        other => format!("`{other:?}`"),
    }
}

/// The host's target: the one this binary was built for (`cargo install` builds for the host),
/// recorded by the build script. Asking `rustc -vV` instead would cost a process start on every
/// run, on the path from `cargo metadata` to the first parsed file. `None` when
/// cfg-expr does not know the triple: target predicates then become undecidable rather than
/// wrong.
fn host_target() -> Option<&'static TargetInfo> {
    cfg_expr::targets::get_builtin_target_by_triple(env!("ECSDEF_BUILD_TARGET"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(features: &[&str]) -> CfgContext {
        CfgContext::new(features.iter().map(|f| (*f).to_owned()).collect(), false)
    }

    fn decide(context: &CfgContext, cfg: &str) -> Option<bool> {
        let tokens: TokenStream = cfg.parse().expect("test cfg tokenizes");
        context.decide(&tokens, TextOrigin::FILE, &mut Vec::new())
    }

    #[test]
    fn features_and_builtin_flags() {
        let cx = context(&["x"]);
        assert_eq!(decide(&cx, r#"feature = "x""#), Some(true));
        assert_eq!(decide(&cx, r#"feature = "y""#), Some(false));
        assert_eq!(decide(&cx, r#"all(feature = "x", not(test))"#), Some(true));
        assert_eq!(decide(&cx, "debug_assertions"), Some(true));
        assert_eq!(decide(&cx, "test"), Some(false));
        assert_eq!(decide(&cx, "any(unix, windows)"), Some(true));
        assert_eq!(decide(&cx, "true"), Some(true));
        assert_eq!(decide(&cx, "docsrs"), Some(false));
    }

    #[test]
    fn host_target_is_known() {
        let cx = context(&[]);
        assert_eq!(
            decide(&cx, r#"target_os = "linux""#),
            Some(cfg!(target_os = "linux"))
        );
        assert_eq!(decide(&cx, "unix"), Some(cfg!(unix)));
        assert_eq!(
            decide(&cx, r#"target_arch = "x86_64""#),
            Some(cfg!(target_arch = "x86_64"))
        );
    }

    #[test]
    fn custom_cfgs_are_undecidable_unless_irrelevant() {
        let cx = context(&[]);
        let mut undecided = Vec::new();
        let tokens: TokenStream = "tokio_unstable".parse().expect("tokenizes");
        assert_eq!(cx.decide(&tokens, TextOrigin::FILE, &mut undecided), None);
        assert_eq!(undecided[0].predicate, "tokio_unstable");
        assert!(undecided[0].reason.contains("`tokio_unstable`"));
        // `all` with a false member is false whatever the unknown is.
        assert_eq!(
            decide(&cx, r#"all(tokio_unstable, feature = "off")"#),
            Some(false)
        );
    }
}

#[cfg(test)]
mod expand_tests {
    use super::*;

    fn expand(item: &str) -> (Vec<String>, Option<bool>, usize) {
        let item: syn::ItemStruct = syn::parse_str(item).expect("test item parses");
        let cx = CfgContext::new(BTreeSet::from(["x".to_owned()]), false);
        let expanded = cx.expand(item.attrs, TextOrigin::FILE);
        let attrs = expanded
            .attrs
            .iter()
            .map(|attr| attr.to_token_stream().to_string())
            .collect();
        (attrs, expanded.enabled, expanded.undecided.len())
    }

    #[test]
    fn cfg_attr_expands_nested_and_multiple_attributes() {
        let (attrs, enabled, undecided) = expand(
            r#"#[cfg_attr(feature = "x", derive(Container), cfg_attr(unix, ecs(image = "a")))]
               #[cfg_attr(test, derive(Other))]
               #[cfg(feature = "x")]
               #[doc = "kept"]
               struct S;"#,
        );
        let mut expected = vec!["# [derive (Container)]"];
        if cfg!(unix) {
            expected.push("# [ecs (image = \"a\")]");
        }
        expected.push("# [doc = \"kept\"]");
        assert_eq!(attrs, expected);
        assert_eq!(enabled, Some(true));
        assert_eq!(undecided, 0);
    }

    #[test]
    fn an_undecidable_cfg_attr_warns_only_around_what_discovery_reads() {
        let (attrs, enabled, undecided) =
            expand(r#"#[cfg_attr(my_flag, doc(cfg(feature = "x")))] struct S;"#);
        assert_eq!(attrs, ["# [doc (cfg (feature = \"x\"))]"]);
        assert_eq!((enabled, undecided), (Some(true), 0));

        let (attrs, enabled, undecided) =
            expand(r"#[cfg_attr(my_flag, derive(Container))] #[cfg(other_flag)] struct S;");
        assert_eq!(attrs, ["# [derive (Container)]"]);
        assert_eq!((enabled, undecided), (None, 2));
    }
}
