//! Bad input never panics the front end the derives and `cargo ecsdef` share: not the UI
//! fixtures (every one of which is meant to be wrong in some way), not attribute token streams
//! no one would write on purpose. Each input goes through `parse_container`/`parse_task` and,
//! when it parses, through every `check` function, under `catch_unwind`.
//!
//! The fixtures also pin an equivalence: every compile-fail fixture is rejected by the front
//! end alone (attributes, rules, and the whole task assembled with its containers, as the CLI
//! does), not only by the derive's `const` evaluation. A fixture under `#![deny(warnings)]`
//! counts the derives' warnings as errors, as rustc does.

#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use ecsdef_model::rules::Level;
use ecsdef_syntax::check::{assemble_task, check_container, check_task_attributes};
use ecsdef_syntax::keys::{self, Level as KeyLevel};
use ecsdef_syntax::{ContainerDecl, SpannedDiagnostic, parse_container, parse_task};
use proc_macro2::TokenStream;

/// What the front end made of one struct, for both derives.
#[derive(Debug, Default)]
struct Outcome {
    container_errors: usize,
    task_errors: usize,
    /// The warnings each derive reports (rustc shows them in the build).
    container_warnings: usize,
    task_warnings: usize,
}

fn errors(diagnostics: &[SpannedDiagnostic]) -> usize {
    count(diagnostics, Level::Error)
}

fn count(diagnostics: &[SpannedDiagnostic], level: Level) -> usize {
    diagnostics.iter().filter(|d| d.level == level).count()
}

/// Runs both derives' front ends on `input`, and `assemble_task` with `containers`; panics
/// (failing the test with `what`) if any of them panics.
fn run(what: &str, input: &syn::DeriveInput, containers: &[ContainerDecl]) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut container_warnings = 0;
        let mut task_warnings = 0;
        let container_errors = match parse_container(input) {
            Ok(decl) => {
                let found = check_container(&decl, None);
                container_warnings = count(&found, Level::Warning);
                errors(&found)
            }
            Err(e) => {
                assert!(
                    errors(&e) > 0,
                    "{what}: parse_container failed with no error"
                );
                errors(&e)
            }
        };
        let task_errors = match parse_task(input) {
            Ok(decl) => {
                let attributes = check_task_attributes(&decl);
                task_warnings = count(&attributes, Level::Warning);
                let own = errors(&attributes);
                let found: Vec<&ContainerDecl> = field_types(input)
                    .iter()
                    .filter_map(|ty| {
                        let last = ty.rsplit("::").next().unwrap_or_default().trim();
                        containers.iter().find(|c| c.name == last)
                    })
                    .collect();
                let whole = if found.len() == decl.fields.len() {
                    let assembled = assemble_task(&decl, &found, &[]);
                    assembled
                        .diagnostics
                        .iter()
                        .filter(|d| d.diagnostic.level == Level::Error)
                        .count()
                } else {
                    0
                };
                own + whole
            }
            Err(e) => {
                assert!(errors(&e) > 0, "{what}: parse_task failed with no error");
                errors(&e)
            }
        };
        Outcome {
            container_errors,
            task_errors,
            container_warnings,
            task_warnings,
        }
    }));
    result.unwrap_or_else(|_| panic!("the front end panicked on {what}"))
}

fn derives(attrs: &[syn::Attribute]) -> (bool, bool) {
    let mut container = false;
    let mut task = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let text = quote::ToTokens::to_token_stream(attr).to_string();
        container |= text.contains("Container");
        task |= text.contains("TaskDefinition");
    }
    (container, task)
}

/// The corpus's real task definitions the lenient loader reads, by file, sorted.
fn corpus_definitions() -> Vec<(PathBuf, ecsdef_model::json::LenientLoad)> {
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/real"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let loaded = ecsdef_model::json::from_json_lenient(&text).ok()?;
            Some((path, loaded))
        })
        .collect()
}

fn ui_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/ui")),
        &mut files,
    );
    files.sort();
    files
}

fn derive_inputs(file: syn::File) -> Vec<syn::DeriveInput> {
    file.items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(syn::DeriveInput::from(s)),
            syn::Item::Enum(e) => Some(syn::DeriveInput::from(e)),
            syn::Item::Union(u) => Some(syn::DeriveInput::from(u)),
            _ => None,
        })
        .collect()
}

fn parse_file(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The type of each field of a struct, as text.
fn field_types(input: &syn::DeriveInput) -> Vec<String> {
    match &input.data {
        syn::Data::Struct(data) => data
            .fields
            .iter()
            .map(|field| quote::ToTokens::to_token_stream(&field.ty).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// The containers among `inputs`, plus those of `ecsdef-test-containers`.
fn containers_of(inputs: &[syn::DeriveInput]) -> Vec<ContainerDecl> {
    let shared = derive_inputs(parse_file(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/containers/src/lib.rs"
    ))));
    inputs
        .iter()
        .chain(&shared)
        .filter(|input| derives(&input.attrs).0)
        .filter_map(|input| parse_container(input).ok())
        .collect()
}

#[test]
fn every_ui_fixture_is_judged_without_panicking() {
    let files = ui_files();
    assert!(files.len() > 50, "found only {} UI files", files.len());
    for path in files {
        let inputs = derive_inputs(parse_file(&path));
        let deny_warnings = std::fs::read_to_string(&path)
            .unwrap()
            .contains("#![deny(warnings)]");
        let containers = containers_of(&inputs);
        let pass = path.parent().is_some_and(|p| p.ends_with("pass"));
        let mut file_errors = 0;
        for input in &inputs {
            let what = format!("{} `{}`", path.display(), input.ident);
            let outcome = run(&what, input, &containers);
            let (is_container, is_task) = derives(&input.attrs);
            let mut own = usize::from(is_container) * outcome.container_errors
                + usize::from(is_task) * outcome.task_errors;
            if deny_warnings {
                own += usize::from(is_container) * outcome.container_warnings
                    + usize::from(is_task) * outcome.task_warnings;
            }
            assert!(
                !pass || own == 0,
                "{what}: a pass case has {own} errors in the front end"
            );
            file_errors += own;
        }
        assert!(
            pass || file_errors > 0,
            "{}: the derive rejects it, but the front end (as the CLI runs it) finds no error",
            path.display()
        );
    }
}

/// A derive input with `attrs` on the struct and `field_attrs` on its one field.
fn input(attrs: &TokenStream, field_attrs: &TokenStream) -> Option<syn::DeriveInput> {
    let source = format!("#[ecs({attrs})] struct S {{ #[ecs({field_attrs})] f: T }}");
    syn::parse_str(&source).ok()
}

/// Every way of writing a value the grammar has, and many it does not.
const VALUE_FORMS: &[&str] = &[
    "",
    " = \"text\"",
    " = \"\"",
    " = r#\"{\"a\": [1, {\"b\": null}]}\"#",
    " = \"${NAME}\"",
    " = \"${\"",
    " = \"$${NAME}\"",
    " = \"\\u{0}\\u{10FFFF}\\x7f\"",
    " = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf:k:s:v:extra\"",
    " = 1",
    " = 0",
    " = -1",
    " = -0",
    " = 1_000_000",
    " = 0xff",
    " = 1u8",
    " = 2147483648",
    " = -2147483649",
    " = 340282366920938463463374607431768211456",
    " = 99999999999999999999999999999999999999999999999999999999999999999999999999999",
    " = 1.5",
    " = 1e999",
    " = -1.5e-3",
    " = true",
    " = false",
    " = 'c'",
    " = b\"bytes\"",
    " = b'b'",
    " = c\"cstr\"",
    " = []",
    " = [\"a\", \"b\"]",
    " = [1, \"a\", true]",
    " = [[1]]",
    " = [CONST]",
    " = [\"a\" \"b\"]",
    " = CONST",
    " = path::to::CONST",
    " = concat!(\"a\", \"b\")",
    " = 1 + 1",
    " = -\"neg\"",
    " = - -1",
    " =",
    " = = 1",
    " = ,",
    "()",
    "(,)",
    "(a)",
    "(a = 1, b = \"x\")",
    "(\"k\" = \"v\")",
    "(\"k\" = 1)",
    "(container = 1, condition = \"HEALTHY\")",
    "(name = \"n\", soft = -1, hard = 1)",
    "[a = 1]",
    "{a = 1}",
    " 1",
    " \"x\"",
    "(a)(b)",
    " = \"x\" \"y\"",
];

/// Keys nobody declared, at every level: unknown keys, a raw identifier, a keyword.
const STRANGE_KEYS: &[&str] = &["unknown", "r#type", "self"];

/// A valid base of each group of the grammar, which its keys are added to.
fn group_base(group: &str) -> &'static str {
    match group {
        "port" => "container = 8080",
        "health_check" => "command = \"true\"",
        "log" => "driver = \"awslogs\"",
        "ulimit" => "name = \"nofile\", soft = 1, hard = 2",
        "mount" => "source = \"d\", path = \"/d\"",
        "runtime_platform" => "os = \"LINUX\"",
        "volume" => "name = \"d\"",
        "depends_on" => "container = \"app\"",
        other => panic!("group `{other}` has no valid base here: add one"),
    }
}

/// Every key of every level, each with every value form, as the struct's and the field's
/// attributes (both derives run on each input).
#[test]
fn every_key_with_every_value_form() {
    let base = "image = \"ghcr.io/acme/web:1.0.0\", fargate, cpu = 256, memory = 512";
    let mut templates: Vec<(String, String, &str)> = Vec::new();
    let names = |level| keys::names(level).collect::<Vec<_>>();
    let struct_keys = [
        names(KeyLevel::Container),
        names(KeyLevel::Task),
        STRANGE_KEYS.to_vec(),
    ]
    .concat();
    for key in struct_keys {
        templates.push((format!("{base}, {{}}"), String::new(), key));
    }
    let field_keys = [
        names(KeyLevel::ContainerField),
        names(KeyLevel::TaskField),
        STRANGE_KEYS.to_vec(),
    ]
    .concat();
    for key in field_keys {
        templates.push((base.to_owned(), "env = 1, {}".to_owned(), key));
    }
    for level in keys::levels() {
        let KeyLevel::Group(group) = level else {
            continue;
        };
        let on_field = keys::KEYS.iter().any(|k| {
            k.name == group && matches!(k.level, KeyLevel::TaskField | KeyLevel::ContainerField)
        });
        let group_base = group_base(group);
        for key in keys::names(level).chain(STRANGE_KEYS.iter().copied()) {
            let inner = format!("{group}({group_base}, {{}})");
            if on_field {
                templates.push((base.to_owned(), inner, key));
            } else {
                templates.push((format!("{base}, {inner}"), String::new(), key));
            }
        }
    }
    let mut inputs = 0;
    for (attrs, field, key) in &templates {
        for form in VALUE_FORMS {
            let entry = format!("{key}{form}");
            let (attrs, field) = (attrs.replace("{}", &entry), field.replace("{}", &entry));
            let (Ok(attrs), Ok(field)) = (attrs.parse(), field.parse()) else {
                continue;
            };
            if let Some(input) = input(&attrs, &field) {
                run(&format!("{attrs} / {field}"), &input, &[]);
                inputs += 1;
            }
        }
    }
    assert!(inputs > 5_000, "only {inputs} inputs were generated");
}

/// A valid declaration of each derive, cut after every token and with every token dropped,
/// at every depth of its groups.
#[test]
fn truncated_and_mangled_attributes() {
    let container: TokenStream = r##"
        image = "ghcr.io/acme/web:${IMAGE_TAG}",
        credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
        port(container = 8080, host = 8080, protocol = "tcp"),
        health_check(command = ["CMD", "true"], interval = 15),
        log(driver = "awslogs", group = "/ecs/web", region = "us-east-1", options("a" = "b")),
        labels("k" = "v"),
        allow(image-unpinned, region-unknown),
        extra = r#"{"privileged": false}"#,
    "##
    .parse()
    .unwrap();
    let task: TokenStream = r#"
        family = "web", fargate, cpu = "1 vCPU", memory = 2048,
        execution_role = "arn:aws:iam::123456789012:role/x",
        runtime_platform(os = "LINUX", arch = "ARM64"),
        volume(name = "d", host_path = "/d"),
        tags("team" = "web"),
        depends_on(container = "app", condition = "HEALTHY"),
    "#
    .parse()
    .unwrap();
    let field: TokenStream = r#"env = "x", rename = "X", allow(plaintext-secret-in-env)"#
        .parse()
        .unwrap();
    for tokens in [container, task, field] {
        let mut variants = Vec::new();
        mangle(&tokens, &mut |t| variants.push(t));
        assert!(variants.len() > 20, "{} variants", variants.len());
        for variant in variants {
            if let Some(i) = input(&variant, &variant) {
                run(&variant.to_string(), &i, &[]);
            }
        }
    }
}

/// Calls `each` with `tokens` cut after each of its tokens, without each of its tokens, and
/// with each group's delimiter changed or its contents mangled the same way (recursively).
fn mangle(tokens: &TokenStream, each: &mut dyn FnMut(TokenStream)) {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let list: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for i in 0..=list.len() {
        each(list[..i].iter().cloned().collect());
        if i < list.len() {
            each(list[..i].iter().chain(&list[i + 1..]).cloned().collect());
        }
    }
    for (i, token) in list.iter().enumerate() {
        let TokenTree::Group(group) = token else {
            continue;
        };
        let with = |inner: TokenTree| -> TokenStream {
            let mut copy = list.clone();
            copy[i] = inner;
            copy.into_iter().collect()
        };
        for delimiter in [
            Delimiter::Bracket,
            Delimiter::Brace,
            Delimiter::None,
            Delimiter::Parenthesis,
        ] {
            each(with(TokenTree::Group(Group::new(
                delimiter,
                group.stream(),
            ))));
        }
        mangle(&group.stream(), &mut |inner| {
            each(with(TokenTree::Group(Group::new(group.delimiter(), inner))));
        });
    }
}

#[test]
fn deeply_nested_groups_are_errors() {
    for key in [
        "health_check",
        "log",
        "port",
        "depends_on",
        "allow",
        "unknown",
        "tags",
    ] {
        for depth in [2, 16, 128] {
            let open = format!("{key}(").repeat(depth);
            let close = ")".repeat(depth);
            let attrs: TokenStream = format!("image = \"a:1\", {open}{close}").parse().unwrap();
            let list = format!(
                "image = \"a:1\", command = {}{}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let list: TokenStream = list.parse().unwrap();
            for tokens in [attrs, list] {
                let input = input(&tokens, &TokenStream::new()).unwrap();
                let outcome = run(&format!("{key} nested {depth} deep"), &input, &[]);
                assert!(
                    outcome.container_errors > 0 && outcome.task_errors > 0,
                    "{key} nested {depth} deep: {outcome:?}"
                );
            }
        }
    }
}

/// The container checks leave out the whole-task rules (`rules::check_local`): on a task of
/// one container they can only report task-scope rules, which the container checks drop. This
/// holds the shortcut to the full check on every container of the UI fixtures and of the real
/// task definitions of the corpus.
#[test]
fn containers_alone_are_judged_alike_without_the_whole_task_rules() {
    use ecsdef_model::rules::{self, ContainerContext, Context, Diagnostic, Scope};
    use ecsdef_model::{ContainerDefinition, TaskDefinition};

    let mut containers: Vec<(String, ContainerDefinition, ContainerContext)> = Vec::new();
    for path in ui_files() {
        let inputs = derive_inputs(parse_file(&path));
        for decl in containers_of(&inputs) {
            containers.push((path.display().to_string(), decl.definition, decl.context));
        }
    }
    for (path, loaded) in corpus_definitions() {
        for container in loaded.definition.container_definitions {
            containers.push((
                path.display().to_string(),
                container,
                ContainerContext::default(),
            ));
        }
    }
    assert!(
        containers.len() > 100,
        "only {} containers",
        containers.len()
    );

    let kept = |diagnostics: rules::Diagnostics| -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| d.location.container() == Some(0) && d.rule.scope == Scope::Container)
            .collect()
    };
    for (source, mut container, context) in containers {
        container.name.get_or_insert_with(|| "container".to_owned());
        let probe = TaskDefinition {
            family: "probe".to_owned(),
            container_definitions: vec![container],
            ..TaskDefinition::default()
        };
        let context = Context {
            containers: vec![context],
            ..Context::default()
        };
        assert_eq!(
            kept(rules::check_local(&probe, &context)),
            kept(rules::check(&probe, &context)),
            "{source}"
        );
    }
}

/// A container's verdict (`rules::ContainerVerdict`), judged once and reused in every task
/// that holds the container unchanged, gives exactly the full check: on tasks made of the
/// containers of the UI fixtures (with their KMS keys, fields and `allow` lists) and on the real
/// task definitions of the corpus, with each container at every position, renamed by the task,
/// and with verdicts that do not hold (another container's, or the container's before the task
/// changed its memory), which must be ignored.
#[test]
fn reused_container_verdicts_give_the_full_check() {
    use ecsdef_model::rules::{self, ContainerContext, ContainerVerdict, Context};
    use ecsdef_model::{ContainerDefinition, TaskDefinition};

    let mut tasks: Vec<(String, TaskDefinition, Context)> = Vec::new();
    let mut fixture_containers: Vec<(ContainerDefinition, ContainerContext)> = Vec::new();
    for path in ui_files() {
        let inputs = derive_inputs(parse_file(&path));
        for decl in containers_of(&inputs) {
            fixture_containers.push((decl.definition, decl.context));
        }
    }
    // Three containers a task, each container in turn first, second and third.
    for (i, window) in fixture_containers.windows(3).enumerate() {
        let mut definition = TaskDefinition {
            family: format!("fixture-{i}"),
            execution_role_arn: (i % 2 == 0)
                .then(|| "arn:aws:iam::123456789012:role/exec".to_owned()),
            ..TaskDefinition::default()
        };
        let mut context = Context {
            region: Some("us-east-1".to_owned()),
            ..Context::default()
        };
        for (container, container_context) in window {
            definition.container_definitions.push(container.clone());
            context.containers.push(container_context.clone());
        }
        tasks.push((format!("fixtures window {i}"), definition, context));
    }
    for (path, loaded) in corpus_definitions() {
        let context = Context {
            region: Some("eu-west-1".to_owned()),
            containers: vec![
                ContainerContext::default();
                loaded.definition.container_definitions.len()
            ],
            ..Context::default()
        };
        tasks.push((path.display().to_string(), loaded.definition, context));
    }
    assert!(tasks.len() > 50, "only {} tasks", tasks.len());

    let mut reused = 0;
    for (source, definition, context) in &tasks {
        let full = rules::check(definition, context);
        let local = rules::check_local(definition, context);
        let no_context = ContainerContext::default();
        let verdicts: Vec<ContainerVerdict> = definition
            .container_definitions
            .iter()
            .enumerate()
            .map(|(i, c)| ContainerVerdict::of(c, context.containers.get(i).unwrap_or(&no_context)))
            .collect();
        // Each verdict with the container and context it judged.
        let judged = |j: usize| {
            Some(rules::Judged {
                definition: &definition.container_definitions[j],
                context: context.containers.get(j).unwrap_or(&no_context),
                verdict: &verdicts[j],
            })
        };
        let all: Vec<Option<rules::Judged<'_>>> = (0..verdicts.len()).map(judged).collect();
        assert_eq!(
            rules::check_reusing(definition, context, &all),
            full,
            "{source}"
        );
        assert_eq!(
            rules::check_local_reusing(definition, context, &all),
            local,
            "{source}"
        );
        reused += all.len();

        // The task names its containers anew: the verdicts still hold, names aside.
        let mut renamed = definition.clone();
        for (i, c) in renamed.container_definitions.iter_mut().enumerate() {
            c.name = Some(format!("renamed-{i}"));
        }
        assert_eq!(
            rules::check_reusing(&renamed, context, &all),
            rules::check(&renamed, context),
            "{source}, renamed"
        );

        // What a task's field may set: the verdicts hold, the facts follow the task.
        let mut overridden = renamed.clone();
        let count = overridden.container_definitions.len();
        for (i, c) in overridden.container_definitions.iter_mut().enumerate() {
            c.memory = Some(c.memory.map_or(7, |m| m + 7));
            c.memory_reservation = Some(c.memory_reservation.map_or(300_000, |m| m * 2));
            c.cpu = Some(c.cpu.map_or(128, |m| m + 1));
            c.essential = Some(i + 1 != count);
            if i > 0 {
                c.depends_on = Some(vec![ecsdef_model::ContainerDependency {
                    container_name: "renamed-0".to_owned(),
                    condition: ecsdef_model::ContainerCondition::Healthy,
                }]);
            }
        }
        assert_eq!(
            rules::check_reusing(&overridden, context, &all),
            rules::check(&overridden, context),
            "{source}, overridden"
        );

        // Verdicts that do not hold: another container's, and one whose image changed.
        let rotated: Vec<Option<rules::Judged<'_>>> = (0..verdicts.len())
            .map(|i| judged((i + 1) % verdicts.len()))
            .collect();
        assert_eq!(
            rules::check_reusing(definition, context, &rotated),
            full,
            "{source}, rotated"
        );
        let mut moved = definition.clone();
        for c in &mut moved.container_definitions {
            c.image = Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/other:1".to_owned());
        }
        assert_eq!(
            rules::check_reusing(&moved, context, &all),
            rules::check(&moved, context),
            "{source}, other image"
        );
    }
    assert!(reused > 100, "only {reused} verdicts reused");
}
