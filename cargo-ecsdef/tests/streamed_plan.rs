//! `check` and `export` render each task on the worker that assembled it and keep only its
//! files (`export::plan_streamed`); the other verbs keep the assembled definitions and render
//! afterwards (`export::plan`). Both give the same analysis, plan and reports: on the
//! repository's examples, and on a workspace with placeholders given by `--var` and by the
//! environment, one without a value, a family declared twice, a container with an error of
//! its own, one with an attribute error, and a package whose files could not all be read.

use std::fs;
use std::path::{Path, PathBuf};

use cargo_ecsdef::analysis::{Analysis, analyze, analyze_with, from_discovery_with};
use cargo_ecsdef::discover::DiscoverOptions;
use cargo_ecsdef::export::{
    self, Contents, Plan, Rendered, Setup, Variables, plan_streamed, write,
};
use cargo_ecsdef::formats::{FORMATS, Format};

/// Everything a verb shows or writes of a plan, in comparable form.
fn outline(plan: &Plan) -> String {
    format!(
        "files {:?}\nremove {:?}\nmanifest {:?}\nprevious {:?}\nkept {:?}\nready {} unset {}",
        plan.files, plan.remove, plan.manifest, plan.previous, plan.kept, plan.ready, plan.unset
    )
}

/// What the verbs read of each task besides its files.
fn tasks<A>(analysis: &Analysis<A>) -> Vec<String> {
    analysis
        .tasks
        .iter()
        .map(|t| {
            format!(
                "{} {} {} {:?} {} {}",
                t.family,
                t.package,
                t.path,
                t.pos,
                t.has_errors,
                t.is_exportable()
            )
        })
        .collect()
}

/// The plain and the streamed plan of the same workspace, out dir, formats and values agree;
/// returns the plan and its reports.
fn agree(
    options: &DiscoverOptions,
    out_dir: &Path,
    formats: &[Format],
    variables: &dyn Fn() -> Variables,
    contents: Contents,
) -> (Plan, Vec<cargo_ecsdef::analysis::Report>, Vec<String>) {
    let kept = analyze(options).expect("the workspace is analysed");
    let plain_variables = variables();
    let (plan, reports) = export::plan(&kept, out_dir, formats, &plain_variables, contents)
        .expect("the out dir is read");

    let streamed_variables = variables();
    let setup = Setup::new(
        out_dir,
        formats.to_vec(),
        streamed_variables.clone(),
        contents,
    )
    .expect("the out dir is read");
    let mut streamed: Analysis<Option<Rendered>> = analyze_with(options, |discovery| {
        from_discovery_with(discovery, |definition, context, exportable| {
            exportable.then(|| setup.render(&definition, &context))
        })
    })
    .expect("the workspace is analysed");
    let streamed_tasks = tasks(&streamed);
    let (streamed_plan, streamed_reports) = plan_streamed(&mut streamed, setup);

    assert_eq!(kept.reports, streamed.reports, "the analysis' reports");
    assert_eq!(tasks(&kept), streamed_tasks, "the tasks");
    assert_eq!(kept.incomplete, streamed.incomplete);
    assert_eq!(outline(&plan), outline(&streamed_plan), "the plan");
    assert_eq!(reports, streamed_reports, "the export's reports");
    assert_eq!(
        plain_variables.environment_names(),
        streamed_variables.environment_names(),
        "the values taken from the environment"
    );
    (plan, reports, plain_variables.environment_names())
}

fn options(manifest: PathBuf) -> DiscoverOptions {
    DiscoverOptions {
        manifest_path: Some(manifest),
        workspace: true,
        ..DiscoverOptions::default()
    }
}

fn scratch(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "ecsdef-streamed-plan-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).expect("a scratch folder");
    root
}

#[test]
fn streamed_and_plain_plans_agree_on_the_examples() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let root = scratch("examples");
    let out_dir = root.join("deploy");
    let variables = || Variables {
        environment: true,
        ..Variables::default()
    };
    for contents in [Contents::All, Contents::InTheWay] {
        let (plan, _, _) = agree(
            &options(manifest.clone()),
            &out_dir,
            FORMATS,
            &variables,
            contents,
        );
        assert!(plan.ready > 0, "the examples export tasks");
    }
    let _ = fs::remove_dir_all(&root);
}

const TASK: &str = r#"fargate, cpu = 256, memory = 512, region = "eu-west-1",
      execution_role = "arn:aws:iam::123456789012:role/svc-execution""#;

/// A workspace of two packages: `svc`, read in full, with every kind of task the export
/// treats apart, and `broken`, whose `mod missing;` has no file.
fn mixed_workspace(root: &Path) {
    fs::create_dir_all(root.join("svc/src")).expect("svc/");
    fs::create_dir_all(root.join("broken/src")).expect("broken/");
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"svc\", \"broken\"]\n",
    )
    .expect("Cargo.toml");
    for name in ["svc", "broken"] {
        fs::write(
            root.join(name).join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        )
        .expect("a package's Cargo.toml");
    }
    let container = |name: &str, attributes: &str| {
        format!("#[derive(Container)]\n#[ecs({attributes})]\npub struct {name} {{}}\n\n")
    };
    let task = |name: &str, family: &str, container: &str| {
        format!(
            "#[derive(TaskDefinition)]\n#[ecs(family = \"{family}\", {TASK})]\n\
             pub struct {name} {{\n    app: {container},\n}}\n\n"
        )
    };
    let mut svc = String::from("use ecsdef::{Container, TaskDefinition};\n\n");
    for (name, attributes) in [
        ("Given", r#"image = "ghcr.io/acme/given:${STREAMED_TAG}""#),
        ("Unset", r#"image = "ghcr.io/acme/unset:${STREAMED_UNSET}""#),
        // Cargo sets it for every test it runs.
        ("Environ", r#"image = "ghcr.io/acme/env:${CARGO_PKG_NAME}""#),
        ("BadValue", r#"image = "ghcr.io/acme/bad:${STREAMED_BAD}""#),
        (
            "OwnError",
            r#"image = "ghcr.io/acme/own:1.0.0",
               credentials = "arn:aws:secretsmanager:us-east-1:12345678901:secret:pull-AbCdEf""#,
        ),
        (
            "AttributeError",
            r#"image = "ghcr.io/acme/attr:1.0.0", bogus = 1"#,
        ),
        ("Plain", r#"image = "ghcr.io/acme/plain:1.0.0""#),
    ] {
        svc.push_str(&container(name, attributes));
    }
    for (name, family, container) in [
        ("GivenTask", "given", "Given"),
        ("UnsetTask", "unset", "Unset"),
        ("UnsetToo", "unset-too", "Unset"),
        ("EnvironTask", "environ", "Environ"),
        ("BadValueTask", "bad-value", "BadValue"),
        ("OwnErrorTask", "own-error", "OwnError"),
        ("AttributeErrorTask", "attribute-error", "AttributeError"),
        ("Unresolved", "unresolved", "Nowhere"),
        ("First", "twice", "Plain"),
        ("Second", "twice", "Plain"),
        ("PlainTask", "plain", "Plain"),
    ] {
        svc.push_str(&task(name, family, container));
    }
    fs::write(root.join("svc/src/lib.rs"), svc).expect("svc/src/lib.rs");
    fs::write(
        root.join("broken/src/lib.rs"),
        format!(
            "use ecsdef::{{Container, TaskDefinition}};\n\nmod missing;\n\n{}{}",
            container("Web", r#"image = "ghcr.io/acme/web:1.0.0""#),
            task("WebTask", "withheld", "Web"),
        ),
    )
    .expect("broken/src/lib.rs");
}

#[test]
fn streamed_and_plain_plans_agree_on_every_kind_of_task() {
    let root = scratch("mixed");
    mixed_workspace(&root);
    let options = options(root.join("Cargo.toml"));
    let out_dir = root.join("deploy");
    let with_values = || Variables {
        vars: [
            ("STREAMED_TAG".to_owned(), "1.4.2".to_owned()),
            ("STREAMED_BAD".to_owned(), "not a tag".to_owned()),
        ]
        .into(),
        environment: true,
        ..Variables::default()
    };
    let without_values = || Variables {
        unset_ok: true,
        ..Variables::default()
    };
    let formats = [Format::JSON, FORMATS[FORMATS.len() - 1]];

    // An empty out dir, then one written by the export, with a file in the way of another.
    let (plan, reports, environment) =
        agree(&options, &out_dir, &formats, &with_values, Contents::All);
    let families: Vec<&str> = plan.files.iter().map(|(_, f)| f.name.as_str()).collect();
    assert!(
        families.iter().any(|f| f.starts_with("given.")),
        "{families:?}"
    );
    assert!(
        families.iter().any(|f| f.starts_with("plain.")),
        "{families:?}"
    );
    assert!(
        !families.iter().any(|f| f.starts_with("twice.")),
        "{families:?}"
    );
    assert!(
        !families.iter().any(|f| f.starts_with("own-error.")),
        "{families:?}"
    );
    assert_eq!(environment, ["CARGO_PKG_NAME"]);
    let words: Vec<&str> = reports.iter().map(|r| r.message.as_str()).collect();
    assert!(
        words.iter().any(|w| w.contains("`STREAMED_UNSET`")),
        "{words:?}"
    );
    assert!(words.iter().any(|w| w.contains("`bad-value`")), "{words:?}");
    assert_eq!(plan.kept.len(), 1, "the broken package is kept");
    write(&plan, &out_dir).expect("the plan is written");
    fs::write(out_dir.join("unset.json"), "{}\n").expect("a file in the way");

    for contents in [Contents::All, Contents::InTheWay] {
        for variables in [&with_values as &dyn Fn() -> Variables, &without_values] {
            let (plan, _, _) = agree(&options, &out_dir, &formats, variables, contents);
            assert!(!plan.previous.is_empty());
        }
    }
    let _ = fs::remove_dir_all(&root);
}
