//! One verdict, wherever a definition is judged: for every UI fixture (`tests/ui/`), the
//! findings of its task definitions are the same whether they are declared in Rust (what
//! `cargo ecsdef check` finds in the source, the derive's own front end and engine), built in
//! code (`ecsdef::validate`, the engine on the assembled definition), or read from a file
//! (`cargo ecsdef check FILE` on the definition's JSON, the context given by flags).
//!
//! A file cannot hold all a Rust declaration states: the fields of a container's struct (the
//! environment rules), `allow(...)` lists, a KMS key per container. Where a task states any
//! of them, the file is held to the engine's verdict with the context a file can have, and the
//! fixture is counted as such; every other fixture holds the three together.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cargo_ecsdef::analysis::analyze;
use cargo_ecsdef::discover::DiscoverOptions;
use cargo_ecsdef::lint::{self, LintOptions};
use ecsdef_model::rules::{self, ContainerContext, Context, Location, RULES, Scope};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Every `.rs` fixture of `tests/ui/`, sorted.
fn fixtures(repo: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(repo.join("tests/ui")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "rs") {
                out.push(file);
            }
        }
    }
    out.sort();
    out
}

/// A multiset of rule names, as `name xN` lines, for readable failures.
fn counted<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for name in names {
        *out.entry(name.to_owned()).or_insert(0) += 1;
    }
    out
}

/// The context a file can carry: the flags of `check PATH...`.
fn file_context(context: &Context, containers: usize) -> (Context, LintOptions) {
    let keys: Vec<&Option<String>> = context.containers.iter().map(|c| &c.kms_key).collect();
    let kms_key = keys.first().copied().cloned().flatten();
    let options = LintOptions {
        region: context.region.clone(),
        platform_version: context.platform_version.clone(),
        agent_version: context.agent_version.clone(),
        kms_key: kms_key.clone(),
    };
    let file = Context {
        region: context.region.clone(),
        platform_version: context.platform_version.clone(),
        agent_version: context.agent_version.clone(),
        allow: Vec::new(),
        containers: (0..containers)
            .map(|_| ContainerContext {
                kms_key: kms_key.clone(),
                ..ContainerContext::default()
            })
            .collect(),
    };
    (file, options)
}

/// Whether a context states nothing a file cannot: no fields, no allow lists, one KMS key for
/// every container.
fn file_can_hold(context: &Context, file: &Context) -> bool {
    context.allow.is_empty()
        && context.containers.iter().all(|c| {
            c.allow.is_empty() && c.fields.is_empty() && c.kms_key == file.containers[0].kms_key
        })
}

#[test]
fn declared_built_and_read_agree_on_the_ui_fixtures() {
    let repo = repo();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint-equivalence");
    let _ = std::fs::remove_dir_all(&scratch);
    let known = |name: &str| RULES.iter().any(|r| r.name == name);
    let (mut three_way, mut file_and_code, mut not_assembled, mut without_task) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, fixture) in fixtures(&repo).iter().enumerate() {
        let name = format!(
            "{}/{}",
            fixture
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            fixture.file_stem().unwrap().to_string_lossy()
        );
        // Each fixture is the library of a workspace of its own, so that every finding of an
        // analysis is the fixture's.
        let dir = scratch.join(format!("f{i}"));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::copy(fixture, dir.join("src/lib.rs")).unwrap();
        std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"f{i}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\necsdef = {{ path = {:?} }}\necsdef-test-containers = {{ path = {:?} }}\nserde_json = \"1\"\n\n[workspace]\n",
                repo.join("runtime").display().to_string(),
                repo.join("tests/containers").display().to_string(),
            ),
        )
        .unwrap();
        let analysis = analyze(&DiscoverOptions {
            manifest_path: Some(dir.join("Cargo.toml")),
            ..DiscoverOptions::default()
        })
        .unwrap();
        if analysis.tasks.is_empty() {
            // Containers only: the container test below holds them.
            without_task.push(name);
            continue;
        }
        if analysis.tasks.iter().any(|t| t.assembled.is_none()) {
            // A container or task the front end refused: nothing to build or write.
            not_assembled.push(name);
            continue;
        }
        let mut declared = Vec::new();
        let mut built = Vec::new();
        let mut holds_all = true;
        for (t, task) in analysis.tasks.iter().enumerate() {
            let (definition, context) = task.assembled.as_ref().unwrap();
            built.extend(rules::check(definition, context));
            // Read from a file: the definition's JSON, the context by flags.
            let (file_context, options) =
                file_context(context, definition.container_definitions.len());
            holds_all &= file_can_hold(context, &file_context);
            let json = dir.join(format!("task{t}.json"));
            std::fs::write(&json, ecsdef_model::to_canonical_json(definition)).unwrap();
            let run = lint::lint(std::slice::from_ref(&json), &options);
            let read: Vec<(String, String)> = run
                .reports()
                .map(|r| (r.rule.clone().unwrap_or_default(), r.message.clone()))
                .collect();
            let expected: Vec<(String, String)> = rules::check(definition, &file_context)
                .into_iter()
                .map(|d| {
                    // What the engine found, said in the file's terms.
                    let said = d.message_in_file();
                    let message = match &d.location {
                        Location::Json(path) if path.is_empty() => said.into_owned(),
                        Location::Json(path) => format!("{path}: {said}"),
                        Location::Context { key, .. } => {
                            format!("`--{}`: {said}", key.replace('_', "-"))
                        }
                        Location::Field { .. } => unreachable!("a file has no fields"),
                    };
                    (d.rule.name.to_owned(), message)
                })
                .collect();
            let sorted = |mut v: Vec<(String, String)>| {
                v.sort();
                v
            };
            assert_eq!(
                sorted(read),
                sorted(expected),
                "{name}: the file's findings differ from the engine's on the same definition"
            );
        }
        declared.extend(
            analysis
                .reports
                .iter()
                .filter_map(|r| r.rule.as_deref())
                .filter(|r| known(r)),
        );
        let built_names: Vec<&str> = built.iter().map(|d| d.rule.name).collect();
        assert_eq!(
            counted(declared.iter().copied()),
            counted(built_names.iter().copied()),
            "{name}: the declaration's findings differ from the engine's on its definition"
        );
        if holds_all {
            three_way.push(name);
        } else {
            file_and_code.push(name);
        }
    }
    eprintln!(
        "three ways: {}; declared and built, and the file against the context it can hold: {} \
         ({}); containers only: {}; not assembled: {} ({})",
        three_way.len(),
        file_and_code.len(),
        file_and_code.join(", "),
        without_task.len(),
        not_assembled.len(),
        not_assembled.join(", "),
    );
    assert!(
        three_way.len() >= 22,
        "only {} fixtures held three ways",
        three_way.len()
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `(rule, "path: message")` of the engine's findings, sorted.
fn engine_findings(
    diagnostics: impl IntoIterator<Item = rules::Diagnostic>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = diagnostics
        .into_iter()
        .map(|d| {
            // What the engine found, said in the file's terms.
            let said = d.message_in_file();
            let message = match &d.location {
                Location::Json(path) if path.is_empty() => said.into_owned(),
                Location::Json(path) => format!("{path}: {said}"),
                Location::Context { key, .. } => {
                    format!("`--{}`: {said}", key.replace('_', "-"))
                }
                Location::Field { container, field } => {
                    format!("containerDefinitions[{container}] (field `{field}`): {said}")
                }
            };
            (d.rule.name.to_owned(), message)
        })
        .collect();
    out.sort();
    out
}

/// The container declarations of the fixtures, which the front end accepts, judged three
/// ways: by the derive's own check of a container (declared), by the engine on a task of that
/// container alone (built in code), and from that task's JSON file (read), each limited to the
/// rules of container scope, which judge a container by itself.
#[test]
fn containers_declared_built_and_read_agree_on_the_ui_fixtures() {
    let repo = repo();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint-equivalence-containers");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let container_scope = |name: &str| {
        RULES
            .iter()
            .any(|r| r.name == name && r.scope == Scope::Container)
    };
    let (mut three_way, mut with_fields, mut found) = (0, 0, 0);
    for fixture in fixtures(&repo) {
        let source = std::fs::read_to_string(&fixture).unwrap();
        let Ok(file) = syn::parse_file(&source) else {
            continue;
        };
        for item in file.items {
            let syn::Item::Struct(item) = item else {
                continue;
            };
            let derives_container = item.attrs.iter().any(|a| {
                a.path().is_ident("derive")
                    && a.meta
                        .require_list()
                        .is_ok_and(|l| l.tokens.to_string().contains("Container"))
            });
            if !derives_container {
                continue;
            }
            let input: syn::DeriveInput = item.into();
            let Ok(decl) = ecsdef_syntax::parse_container(&input) else {
                continue;
            };
            let name = format!("{}::{}", fixture.display(), decl.name);
            let declared = counted(
                ecsdef_syntax::check::check_container(&decl, None)
                    .iter()
                    .filter_map(|d| d.rule)
                    .filter(|r| container_scope(r)),
            );
            let mut container = ecsdef_model::json::container_definition_to_value(&decl.definition);
            if container.get("name").is_none() {
                container["name"] = "app".into();
            }
            let task = ecsdef_model::json::task_definition_from_value(
                &serde_json::json!({"family": "fixture", "containerDefinitions": [container]}),
            )
            .unwrap();
            let context = Context {
                containers: vec![decl.context.clone()],
                ..Context::default()
            };
            let built = rules::check(&task, &context);
            let built_names = counted(
                built
                    .0
                    .iter()
                    .map(|d| d.rule.name)
                    .filter(|r| container_scope(r)),
            );
            assert_eq!(
                declared, built_names,
                "{name}: the declaration's findings differ from the engine's on its definition"
            );
            let (file_context, options) = file_context(&context, 1);
            let json = scratch.join(format!("c{found}.json"));
            std::fs::write(&json, ecsdef_model::to_canonical_json(&task)).unwrap();
            let run = lint::lint(std::slice::from_ref(&json), &options);
            let mut read: Vec<(String, String)> = run
                .reports()
                .filter(|r| r.rule.as_deref().is_some_and(container_scope))
                .map(|r| (r.rule.clone().unwrap_or_default(), r.message.clone()))
                .collect();
            read.sort();
            let expected: Vec<(String, String)> =
                engine_findings(rules::check(&task, &file_context))
                    .into_iter()
                    .filter(|(rule, _)| container_scope(rule))
                    .collect();
            assert_eq!(
                read, expected,
                "{name}: the file's findings differ from the engine's"
            );
            if file_can_hold(&context, &file_context) {
                let built: Vec<(String, String)> = engine_findings(built)
                    .into_iter()
                    .filter(|(rule, _)| container_scope(rule))
                    .collect();
                assert_eq!(
                    read, built,
                    "{name}: the file's findings differ from the declaration's"
                );
                three_way += 1;
            } else {
                with_fields += 1;
            }
            found += 1;
        }
    }
    eprintln!(
        "containers: {found}; three ways: {three_way}; with fields, allow lists or keys a file \
         cannot hold: {with_fields}"
    );
    assert!(
        three_way >= 16,
        "only {three_way} containers held three ways"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
