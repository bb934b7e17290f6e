//! From a checked declaration to tokens: one impl inside `const _: () = { ... };`, or, on
//! errors, every error as a `compile_error!` next to a stub impl (so one mistake does not
//! cascade into "trait not implemented" errors elsewhere).

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::json::WriteJson;
use ecsdef_model::rules::facts::{
    self, ContainerSummary, DEPENDS_ON_HEALTHY_WITHOUT_CHECK, DEPENDS_ON_UNKNOWN, FieldFacts,
    NO_ESSENTIAL_CONTAINER, TaskFacts, VERSION_NEEDS, VersionShortfall, VersionShortfallWords,
};
use ecsdef_model::rules::{CONTAINER_NAME, Level, Rule};
use ecsdef_syntax::check::{check_container, check_task_attributes};
use ecsdef_syntax::{ContainerDecl, SpanKey, SpannedDiagnostic, TaskDecl};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::DeriveInput;

/// The paths a container's impl names the runtime by, written out in full: a `use` would cost
/// rustc an import to resolve and a block scope to look traits up in, per derive.
struct Paths {
    /// The ecsdef crate: `::ecsdef`, or `crate = "..."` (which the front end checked to parse
    /// as a path).
    krate: TokenStream,
    /// Its hidden items, `KRATE::__private`.
    private: TokenStream,
    /// The same path as Rust source, for the expressions the model writes.
    private_source: String,
}

impl Paths {
    fn new(path: Option<&str>) -> Paths {
        let (krate, source) = match path.filter(|p| syn::parse_str::<syn::Path>(p).is_ok()) {
            Some(path) => (source_tokens(path), path),
            None => (quote!(::ecsdef), "::ecsdef"),
        };
        Paths {
            private: quote!(#krate::__private),
            krate,
            private_source: format!("{source}::__private"),
        }
    }
}

fn errors(diagnostics: &[SpannedDiagnostic]) -> TokenStream {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.to_syn_error().to_compile_error())
        .collect()
}

/// Every warning as the use of a deprecated constant, spanned on the literal it is about, whose
/// note is the warning's text: on stable Rust a proc macro can warn only through a lint, and
/// this one answers to the user's lint levels (`#![deny(warnings)]` makes it an error). Nothing
/// when there is no warning.
fn warnings(diagnostics: &[SpannedDiagnostic]) -> TokenStream {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .map(|d| {
            let note = d.compile_error_text();
            // The lint names the constant: the rule's name says what the warning is about.
            let name = d.rule.unwrap_or("ecsdef").replace('-', "_");
            let name = syn::Ident::new(&name, d.span);
            quote_spanned! {d.span=>
                {
                    #[deprecated(note = #note)]
                    const #name: () = ();
                    let () = #name;
                }
            }
        })
        .collect()
}

/// Every error as a `compile_error!`, next to a stub impl so nothing else fails because of
/// them.
fn failed(diagnostics: &[SpannedDiagnostic], fallback: TokenStream) -> TokenStream {
    let mut out = errors(diagnostics);
    out.extend(fallback);
    out
}

/// The context's JSON, compact, each `None` member left out (the runtime's reader takes an
/// absent member as `None`): the model's plain writer rather than serde_json's generic one,
/// which runs unoptimised here in a user's debug build.
fn context_json(context: &dyn WriteJson) -> String {
    ecsdef_model::json::to_compact_json(context)
}

/// A field's overrides, written as [`context_json`] writes the context.
fn overrides_json(overrides: &FieldOverrides) -> String {
    ecsdef_model::json::to_compact_json(overrides)
}

/// The model's own writer, compact: the derive needs no serializer of its own for the model's
/// (large) types, and rustc lexes and hashes no whitespace.
fn container_json(definition: &ecsdef_model::ContainerDefinition) -> String {
    ecsdef_model::json::to_compact_json(definition)
}

fn task_json(definition: &ecsdef_model::TaskDefinition) -> String {
    ecsdef_model::json::to_compact_json(definition)
}

/// A string literal of `text`, written raw (`r#"..."#`) for rustc to lex: `quote` escapes a
/// literal char by char in the macro, which runs unoptimised in a user's debug build, and the
/// JSON the derives write is most of their output. The token is `quote`'s outside a macro.
fn str_literal(text: &str) -> TokenStream {
    if proc_macro::is_available() {
        let hashes = "#".repeat(longest_hash_run_after_quote(text) + 1);
        if let Ok(literal) = format!("r{hashes}\"{text}\"{hashes}").parse::<proc_macro::Literal>() {
            return proc_macro::TokenStream::from(proc_macro::TokenTree::Literal(literal)).into();
        }
    }
    quote!(#text)
}

/// The longest run of `#` right after a `"` in `text`: a raw string needs one `#` more.
fn longest_hash_run_after_quote(text: &str) -> usize {
    // The usual answer from `core`'s optimised search, not a loop of the unoptimised macro.
    if !text.contains("\"#") {
        return 0;
    }
    let bytes = text.as_bytes();
    let (mut longest, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let mut run = 0;
            while i + 1 + run < bytes.len() && bytes[i + 1 + run] == b'#' {
                run += 1;
            }
            longest = longest.max(run);
        }
        i += 1;
    }
    longest
}

/// Generated items inside `const _: () = { ... };`: a scope of their own for the task's
/// constants and imports and a container's warnings (a failed check is then reported as the
/// evaluation of `_::_`). Clippy's lints are allowed only when clippy runs: rustc checks the
/// name of every tool lint an `allow` names, per derive on every build.
fn block(body: &TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications)]
        #[cfg_attr(clippy, allow(clippy::all, clippy::pedantic))]
        const _: () = {
            #body
        };
    }
}

/// `#[derive(Container)]`.
pub fn container(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let decl = match ecsdef_syntax::parse_container(input) {
        Ok(decl) => decl,
        Err(diagnostics) => return failed(&diagnostics, container_fallback(input)),
    };
    let diagnostics = check_container(&decl, None);
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return failed(&diagnostics, container_fallback(input));
    }
    let paths = Paths::new(decl.krate.as_deref());
    let (krate, p) = (&paths.krate, &paths.private);
    let definition = str_literal(&container_json(&decl.definition));
    let context = str_literal(&context_json(&decl.context));
    let facts = facts_tokens(&decl, &paths);
    let item = quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Container for #ident #ty_generics #where_clause {
            const __ECSDEF: (&'static str, &'static str, #p::ContainerFacts) =
                (#definition, #context, #facts);
        }
    };
    let warnings = warnings(&diagnostics);
    if warnings.is_empty() {
        // Nothing here is spanned on the user's code, so rustc's lints, which skip what an
        // external macro wrote, need no `allow`; clippy's, which look at more, still get one.
        quote! {
            #[cfg_attr(clippy, allow(clippy::all, clippy::pedantic))]
            #item
        }
    } else {
        block(&quote!(#warnings #item))
    }
}

/// A `Container` impl that compiles whatever the attributes say, for when they say something
/// wrong: the errors next to it are what the user sees.
fn container_fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    block(&quote! {
        impl #impl_generics ::ecsdef::Container for #ident #ty_generics #where_clause {
            const __ECSDEF: (&'static str, &'static str, ::ecsdef::__private::ContainerFacts) =
                ("", "", ::ecsdef::__private::ContainerFacts::NEUTRAL);
        }
    })
}

/// The facts a container's declaration exposes, as tokens: the model writes them out
/// ([`ContainerSummary::rust_expr`]), beside their definition.
fn facts_tokens(decl: &ContainerDecl, paths: &Paths) -> TokenStream {
    let summary = ContainerSummary::of(&decl.definition, &decl.context);
    source_tokens(&summary.rust_expr(&paths.private_source))
}

/// Rust source the model wrote, as tokens. The model writes its strings with `Debug`, which
/// escapes them as Rust string literals, so the source always lexes; should it not, the
/// error says so instead of a panic.
///
/// Inside the compiler the source goes to rustc's lexer directly: `proc_macro2`'s `FromStr`
/// first lexes it a second time with its own lexer (to keep rustc from reporting errors in
/// input it cannot trust), which was a third of the derive's time in a debug build. This
/// source is the model's, which never writes what does not lex.
fn source_tokens(source: &str) -> TokenStream {
    if proc_macro::is_available()
        && let Ok(tokens) = source.parse::<proc_macro::TokenStream>()
    {
        return tokens.into();
    }
    source.parse().unwrap_or_else(|error| {
        syn::Error::new(
            Span::call_site(),
            format!("ecsdef wrote facts that do not lex ({error}): please report this"),
        )
        .to_compile_error()
    })
}

/// `#[derive(TaskDefinition)]`.
pub fn task(input: &DeriveInput) -> TokenStream {
    let decl = match ecsdef_syntax::parse_task(input) {
        Ok(decl) => decl,
        Err(diagnostics) => return failed(&diagnostics, task_fallback(input)),
    };
    let diagnostics = check_task_attributes(&decl);
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return failed(&diagnostics, task_fallback(input));
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let paths = Paths::new(decl.krate.as_deref());
    let krate = &paths.krate;
    let definition = str_literal(&task_json(&decl.definition));
    let context = str_literal(&context_json(&decl.context));
    let types = field_types(input);
    let fields = decl.fields.iter().zip(&types).map(|(f, ty)| {
        let overrides = str_literal(&overrides_json(&f.overrides));
        quote!(_p::field::<#ty>(#overrides))
    });
    let checks = task_checks(&decl, &types);
    let warnings = warnings(&diagnostics);
    // The task's checks are spanned on the user's code, and a path spanned there would
    // resolve with the user's edition: they name the runtime through aliases spanned here.
    block(&quote! {
        use #krate::{self as _ecsdef, __private as _p};
        #warnings
        #[automatically_derived]
        impl #impl_generics _ecsdef::TaskDefinition for #ident #ty_generics #where_clause {
            const __ECSDEF: (&'static str, &'static str, &'static [_p::Field]) =
                (#definition, #context, &[#(#fields),*]);
        }
        #checks
    })
}

/// The type of each field of a task struct, in order: the type of the container of each of
/// the declaration's fields.
fn field_types(input: &DeriveInput) -> Vec<&syn::Type> {
    match &input.data {
        syn::Data::Struct(data) => data.fields.iter().map(|field| &field.ty).collect(),
        _ => Vec::new(),
    }
}

fn task_fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    block(&quote! {
        impl #impl_generics ::ecsdef::TaskDefinition for #ident #ty_generics #where_clause {
            const __ECSDEF: (&'static str, &'static str, &'static [::ecsdef::__private::Field]) =
                ("", "", &[]);
        }
    })
}

/// What the task's block imports the runtime's hidden items as.
const ALIAS: &str = "_p";

/// The tuple index `n` (`__ECSDEF_TASK.0`) as a token spanned at `span`: `quote` would have
/// rustc lex each index of its template as a source file of its own.
fn index(n: usize, span: Span) -> proc_macro2::Literal {
    let mut literal = proc_macro2::Literal::usize_unsuffixed(n);
    literal.set_span(span);
    literal
}

/// The message of a compile-time task check, in the form of the front end's errors.
fn message(text: &str, help: &str, rule: &Rule) -> String {
    format!("{text}\n= help: {help}\n  (rule: {})", rule.name)
}

/// The version rules (`credentials-platform-version`, `secrets-platform-version`) of field
/// `i`'s container, spanned on the task's `platform_version` or `agent_version` literal,
/// with the message of the engine: the feature, the container's name (joined in at compile
/// time from its constant), the version it needs and the one declared. Nothing when the task
/// declares no version.
fn version_checks(decl: &TaskDecl, i: usize, field_span: Span) -> TokenStream {
    let declared = [
        (
            VersionShortfall::Platform,
            decl.context.platform_version.as_deref(),
        ),
        (
            VersionShortfall::Agent,
            decl.context.agent_version.as_deref(),
        ),
    ];
    let mut out = TokenStream::new();
    for (shortfall, value) in declared {
        let Some(value) = value else { continue };
        let kind = match shortfall {
            VersionShortfall::Platform => quote!(Platform),
            VersionShortfall::Agent => quote!(Agent),
        };
        let span = decl
            .spans
            .get(SpanKey::Context(shortfall.key()))
            .unwrap_or(field_span);
        let [t0, t1, t2] = [0, 1, 2].map(|n| index(n, span));
        let branches = VERSION_NEEDS.iter().map(|need| {
            let words = VersionShortfallWords::new(need, shortfall, Some(value));
            let before = &words.before_name;
            let after = message(&words.after_name, &words.help, need.rule);
            let feature = need.feature;
            // The panic's span is where rustc puts the caret.
            quote_spanned! {span=>
                if _p::str_eq(need.feature, #feature) {
                    const PIECES: &[&str] = &[#before, __ECSDEF_TASK.#t2[#i], #after];
                    const LEN: usize = _p::joined_len(PIECES);
                    const TEXT: [u8; LEN] = _p::join::<LEN>(PIECES);
                    if let ::core::result::Result::Ok(m) = ::core::str::from_utf8(&TEXT) {
                        ::core::panic!("{}", m);
                    }
                }
            }
        });
        out.extend(quote_spanned! {span=>
            const _: () = if let _p::Some((need, _p::VersionShortfall::#kind)) =
                _p::version_shortfall(&__ECSDEF_TASK.#t0, &__ECSDEF_TASK.#t1[#i])
            {
                #(#branches)*
            };
        });
    }
    out
}

/// The rules that need the whole task, as `const` evaluations of the same predicates the rule
/// engine uses, over the facts each container's impl exposes. A broken rule fails the build
/// with a message naming the field, its type and the rule, spanned on the field.
///
/// The items: one constant of the task's facts, each container's facts (with what its field
/// sets on it) and each container's name, then one `const _` per container (the rules about
/// the container, then those about a declared version) and one for the rules across
/// containers; each stops at its first finding, as the engine reports them, and each fails
/// on the span where the caret belongs.
fn task_checks(decl: &TaskDecl, types: &[&syn::Type]) -> TokenStream {
    let task = TaskFacts::of(&decl.definition, &decl.context);
    let task_tokens = source_tokens(&task.rust_expr(ALIAS));
    let mut facts = Vec::new();
    let mut names = Vec::new();
    let mut items = Vec::new();
    for (i, (field, ty)) in decl.fields.iter().zip(types).enumerate() {
        let span = field
            .spans
            .get(SpanKey::Json(""))
            .unwrap_or_else(Span::call_site);
        // The container's facts with what the field sets on it, as the engine sees the
        // container in its task.
        let field_facts = field.overrides.facts();
        let two = index(2, span);
        facts.push(if field_facts == FieldFacts::default() {
            quote_spanned! {span=> <#ty as _ecsdef::Container>::__ECSDEF.#two }
        } else {
            let field_facts = source_tokens(&field_facts.rust_expr(ALIAS));
            quote_spanned! {span=>
                <#ty as _ecsdef::Container>::__ECSDEF.#two.with_field(#field_facts)
            }
        });
        names.push(match &field.overrides.name {
            Some(n) => quote!(#n),
            None => {
                let field_name = &field.overrides.field_name;
                let two = index(2, Span::call_site());
                quote!(_p::name_or(<#ty as _ecsdef::Container>::__ECSDEF.#two.name, #field_name))
            }
        });
        // The checks whose subject is the container fail on the field's name (a path type's
        // span would cover only its first segment on stable Rust), which is how the message
        // says which container it is; those about a declared version, on its literal.
        let check_span = field.spans.get(SpanKey::FieldName).unwrap_or(span);
        items.push(quote_spanned! {check_span=>
            const _: () = _p::check_container(&__ECSDEF_TASK, #i);
        });
        items.push(version_checks(decl, i, check_span));
    }

    let region = decl
        .context
        .region
        .as_deref()
        .and_then(|r| ecsdef_model::partition::Region::parse_any(r).ok())
        .and_then(|r| r.name().map(str::to_owned));
    // Each check is one call of a `#[track_caller]` `const fn` that panics: the error is
    // reported at the call, spanned where the caret belongs, and the constant's body, which
    // rustc keeps in the incremental cache of every build, stays a list of calls taking the
    // task's constant by reference (the runtime reads its fields and indexes its slices).
    let mut whole = Vec::new();
    let msg = message(
        &format!("no container of task `{}` is essential", decl.name),
        NO_ESSENTIAL_CONTAINER.help,
        &NO_ESSENTIAL_CONTAINER,
    );
    let ident_span = decl.ident;
    whole.push(quote_spanned! {ident_span=>
        _p::check_essential(&__ECSDEF_TASK, #msg);
    });
    for (i, field) in decl.fields.iter().enumerate() {
        let span = field
            .spans
            .get(SpanKey::FieldName)
            .unwrap_or_else(Span::call_site);
        // The first container's name cannot repeat an earlier one's.
        if i > 0 {
            let msg = message(
                &format!(
                    "field `{}` names its container like an earlier field's container",
                    field.overrides.field_name
                ),
                facts::DUPLICATE_NAME_HELP,
                &CONTAINER_NAME,
            );
            whole.push(quote_spanned! {span=>
                _p::check_unique_name(&__ECSDEF_TASK, #i, #msg);
            });
        }
        // A parameter given by name resolves in the task's region: without one, none is
        // cross-region.
        if let Some(region) = &region {
            whole.push(quote_spanned! {span=>
                _p::check_ssm_region(&__ECSDEF_TASK, #region, #i);
            });
        }
        for (d, dep) in field.overrides.depends_on.iter().enumerate() {
            let target = &dep.container_name;
            let span = field
                .spans
                .get(SpanKey::Json(&format!("dependsOn[{d}].containerName")))
                .unwrap_or(span);
            let unknown = message(
                &format!("`{target}` is not a container of task `{}`", decl.name),
                &format!(
                    "{} (a field's name, or the name its container declares)",
                    DEPENDS_ON_UNKNOWN.help
                ),
                &DEPENDS_ON_UNKNOWN,
            );
            // Without `HEALTHY`, a target without a health check is no mistake.
            let no_check = if dep.condition == ecsdef_model::ContainerCondition::Healthy {
                let (text, help) = facts::healthy_without_check(target);
                let no_check = message(&text, &help, &DEPENDS_ON_HEALTHY_WITHOUT_CHECK);
                quote!(_p::Some(#no_check))
            } else {
                quote!(_p::None)
            };
            whole.push(quote_spanned! {span=>
                _p::check_dependency(&__ECSDEF_TASK, #target, #unknown, #no_check);
            });
        }
    }

    quote! {
        const __ECSDEF_TASK: _p::TaskChecked =
            (#task_tokens, &[#(#facts),*], &[#(#names),*]);
        #(#items)*
        const _: () = {
            #(#whole)*
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecsdef_model::{ContainerCondition, ContainerDependency};

    /// The overrides' JSON reads back as what was written, whichever members are set, and is
    /// serde_json's without its `null`s.
    #[test]
    fn overrides_json_reads_back() {
        let bare = FieldOverrides {
            field_name: "web".to_owned(),
            ..FieldOverrides::default()
        };
        let full = FieldOverrides {
            field_name: "app".to_owned(),
            name: Some("a\"pp\n".to_owned()),
            essential: Some(false),
            cpu: Some(256),
            memory: Some(-1),
            memory_reservation: Some(i32::MAX),
            depends_on: vec![ContainerDependency {
                container_name: "web".to_owned(),
                condition: ContainerCondition::Healthy,
            }],
            allow: vec!["env-not-read".to_owned()],
        };
        assert_eq!(
            overrides_json(&bare),
            r#"{"field_name":"web","depends_on":[],"allow":[]}"#
        );
        for overrides in [bare, full] {
            let json = overrides_json(&overrides);
            let serde = serde_json::to_string(&overrides).unwrap();
            assert_eq!(
                json,
                serde
                    .replace(r#""name":null,"#, "")
                    .replace(r#""essential":null,"#, "")
                    .replace(r#""cpu":null,"#, "")
                    .replace(r#""memory":null,"#, "")
                    .replace(r#""memory_reservation":null,"#, "")
            );
            assert_eq!(
                serde_json::from_str::<FieldOverrides>(&json).unwrap(),
                overrides
            );
        }
    }
}
