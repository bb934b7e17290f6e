//! The derive and the CLI give the same bytes: for every example and every compile-pass UI
//! fixture, what `cargo ecsdef export` renders from the source (without compiling it) equals
//! `T::to_json()` and `T::execution_role_policy_json()` of the compiled derive.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use cargo_ecsdef::analysis::{Analysis, analyze};
use cargo_ecsdef::discover::DiscoverOptions;
use cargo_ecsdef::export::render_task;
use cargo_ecsdef::formats::Format;
use ecsdef::TaskDefinition;

#[path = "../ui/pass/ec2_bridge.rs"]
mod ec2_bridge;
#[path = "../ui/pass/fargate_web.rs"]
mod fargate_web;
#[path = "../ui/pass/reexport.rs"]
mod reexport;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The CLI's files for `family`, rendered from `analysis` as `export --format json` does.
fn exported(analysis: &Analysis, family: &str) -> (String, Option<String>) {
    let mut tasks = analysis.family(family);
    let task = tasks
        .next()
        .unwrap_or_else(|| panic!("the CLI found no task `{family}`"));
    assert!(tasks.next().is_none(), "family `{family}` declared twice");
    let (definition, context) = task
        .exportable()
        .unwrap_or_else(|| panic!("the CLI cannot export `{family}`: {:#?}", analysis.reports));
    let files = render_task(definition, context, &[Format::JSON], value).unwrap();
    let json = files
        .iter()
        .find(|f| f.name == format!("{family}.json"))
        .unwrap()
        .contents
        .clone();
    let policy = files
        .iter()
        .find(|f| f.name == format!("{family}.execution-role-policy.json"))
        .map(|f| f.contents.clone());
    (json, policy)
}

/// Deploy-time values for the placeholders the fixtures use.
fn value(name: &str) -> Option<String> {
    match name {
        "IMAGE_TAG" => Some("1.4.2".to_owned()),
        _ => None,
    }
}

fn assert_same<T: TaskDefinition>(analysis: &Analysis) {
    let family = T::task_definition().family;
    let (json, policy) = exported(analysis, &family);
    // The derive's side of `export`: placeholders resolved the same way, then the same
    // canonical writer and policy derivation.
    let resolved = T::resolve(value).unwrap();
    let derive_json = ecsdef::model::to_canonical_json(&resolved.definition);
    let derive_policy = ecsdef::execution_role_policy(&resolved.definition, &resolved.context)
        .unwrap()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_json());
    assert_eq!(
        json, derive_json,
        "`{family}`: the CLI's JSON differs from the derive's"
    );
    assert_eq!(
        policy, derive_policy,
        "`{family}`: the CLI's policy differs from the derive's"
    );
    if !T::to_json().contains("${") {
        assert_eq!(
            json,
            T::to_json(),
            "`{family}`: to_json() differs from the export"
        );
        assert_eq!(
            policy,
            T::execution_role_policy_json(),
            "`{family}`: the policy differs from the export"
        );
    }
}

#[test]
fn examples() {
    let analysis = analyze(&DiscoverOptions {
        manifest_path: Some(repo().join("Cargo.toml")),
        workspace: true,
        ..DiscoverOptions::default()
    })
    .unwrap();
    assert_same::<ecsdef_example_web::WebTask>(&analysis);
    assert_same::<ecsdef_example_api::ApiTask>(&analysis);
    assert_same::<ecsdef_example_worker::WorkerTask>(&analysis);
    assert_same::<ecsdef_example_batch::ReportTask>(&analysis);
}

/// Each compile-pass fixture becomes the library of a crate in a scratch workspace (beside the
/// test binaries, so a clean checkout has it too), which the CLI analyses.
#[test]
fn compile_pass_fixtures() {
    let repo = repo();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("equivalence");
    let _ = std::fs::remove_dir_all(&scratch);
    let fixtures = ["ec2_bridge", "fargate_web", "reexport"];
    let members: Vec<String> = fixtures.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The repository's lock file keeps `cargo metadata` from resolving anything anew.
    std::fs::copy(repo.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    for fixture in fixtures {
        let dir = scratch.join(fixture);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::copy(
            repo.join(format!("tests/ui/pass/{fixture}.rs")),
            dir.join("src/lib.rs"),
        )
        .unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{fixture}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\necsdef = {{ path = {:?} }}\necsdef-test-containers = {{ path = {:?} }}\nserde_json = \"1\"\n",
                repo.join("runtime").display().to_string(),
                repo.join("tests/containers").display().to_string(),
            ),
        )
        .unwrap();
    }
    let analysis = analyze(&DiscoverOptions {
        manifest_path: Some(scratch.join("Cargo.toml")),
        workspace: true,
        ..DiscoverOptions::default()
    })
    .unwrap();
    assert_same::<ec2_bridge::WorkerTask>(&analysis);
    assert_same::<fargate_web::WebTask>(&analysis);
    assert_same::<reexport::Reexported>(&analysis);
}
