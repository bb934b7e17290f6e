//! Discovery over the fixture workspaces in `tests/fixtures/discover/`: each is a small Cargo
//! workspace of path dependencies, read by `cargo metadata` and the module walk, never built.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use cargo_ecsdef::analysis::Pos;
use cargo_ecsdef::discover::{
    DeclarationKind, DiscoverError, DiscoverOptions, Discovery, FileToken, discover, discover_with,
};
use ecsdef_syntax::Token as _;
use ecsdef_syntax::input::{Body, EcsAttr};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/discover")
        .join(name)
}

fn options(manifest: PathBuf) -> DiscoverOptions {
    DiscoverOptions {
        manifest_path: Some(manifest),
        ..DiscoverOptions::default()
    }
}

fn acme_workspace() -> DiscoverOptions {
    DiscoverOptions {
        workspace: true,
        ..options(fixture("acme/Cargo.toml"))
    }
}

/// One line per declaration (its fields indented below it), then one per diagnostic, with
/// paths relative to the fixture, so a reviewer reads the expected result at a glance.
fn render<T>(discovery: &Discovery<T>) -> String {
    let root = format!("{}/", discovery.workspace_root.display());
    let relative = |path: &Path| path.display().to_string().replace(&root, "");
    let mut out = String::new();
    for declaration in &discovery.declarations {
        let location = &declaration.location;
        writeln!(
            out,
            "{} {:?}:{} {}::{} {} {}:{}:{}{}",
            declaration.package_name,
            declaration.target.kind,
            declaration.target.name,
            declaration.module_path,
            declaration.name,
            declaration.kind,
            relative(&location.file),
            location.line,
            location.column,
            if declaration.selected {
                ""
            } else {
                " (dependency)"
            },
        )
        .expect("writing to a String cannot fail");
        for field in &declaration.fields {
            let container = discovery.container_of(field).map_or_else(
                || "unresolved".to_owned(),
                |c| format!("{} {}::{}", c.target.name, c.module_path, c.name),
            );
            writeln!(
                out,
                "    {}: {} @{}:{} -> {container}",
                field.name, field.ty, field.location.line, field.location.column
            )
            .expect("writing to a String cannot fail");
        }
    }
    for diagnostic in &discovery.diagnostics {
        let location = diagnostic.location.as_ref().map_or_else(String::new, |l| {
            format!("{}:{}:{} ", relative(&l.file), l.line, l.column)
        });
        writeln!(
            out,
            "{:?} {} {location}{}",
            diagnostic.severity,
            diagnostic.kind.name(),
            diagnostic.message.replace(&root, "")
        )
        .expect("writing to a String cannot fail");
    }
    out
}

#[track_caller]
fn assert_lines(actual: &str, expected: &str) {
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty())
        .collect();
    let actual: Vec<&str> = actual.lines().map(str::trim_start).collect();
    assert_eq!(actual, expected, "\nactual:\n{}", actual.join("\n"));
}

#[test]
fn the_acme_workspace_without_features() {
    let discovery = discover(&acme_workspace()).expect("discovery runs");
    assert_eq!(
        discovery
            .packages
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["acme-sidecars", "acme-web", "ecsdef", "other-derive"]
    );
    assert_lines(
        &render(&discovery),
        r"
        acme-sidecars Lib:acme_sidecars crate::fluent::FluentBit Container sidecars/src/fluent.rs:5:12
        acme-sidecars Lib:acme_sidecars crate::mesh::envoy::Envoy Container sidecars/src/mesh/envoy.rs:5:12
        acme-sidecars Lib:acme_sidecars crate::xray::XRay Container sidecars/src/xray.rs:3:12
        acme-web Bin:a crate::ATask TaskDefinition web/src/bin/a.rs:6:8
            shared: shared::Shared @7:13 -> a crate::shared::Shared
            web: acme_web::web::Web @8:10 -> acme_web crate::web::Web
        acme-web Lib:acme_web crate::jobs::worker::Worker Container web/src/jobs/worker.rs:6:12
        acme-web Lib:acme_web crate::Ungated Container web/src/lib.rs:30:12
        acme-web Lib:acme_web crate::ViaCfgAttr Container web/src/lib.rs:34:12
        acme-web Lib:acme_web crate::RootTask TaskDefinition web/src/lib.rs:46:12
            web: web::Web @47:10 -> acme_web crate::web::Web
        acme-web Lib:acme_web crate::not_ours::unknown_origin::Both Container web/src/not_ours.rs:12:16
        acme-web Lib:acme_web crate::not_ours::unknown_origin::Both TaskDefinition web/src/not_ours.rs:12:16
        acme-web Lib:acme_web crate::db::pool::Pool Container web/src/platform_specific/pool.rs:3:12
        acme-web Bin:a crate::shared::Shared Container web/src/shared.rs:4:12
        acme-web Bin:b crate::shared::Shared Container web/src/shared.rs:4:12
        acme-web Lib:acme_web crate::tasks::WebTask TaskDefinition web/src/tasks/mod.rs:7:12
            app: Frontend @8:10 -> acme_web crate::web::Web
            admin: crate::web::admin::Admin @9:12 -> acme_web crate::web::admin::Admin
            log_router: sidecars::FluentBit @10:17 -> acme_sidecars crate::fluent::FluentBit
            xray: ::acme_sidecars::xray::XRay @11:11 -> acme_sidecars crate::xray::XRay
            envoy: acme_sidecars::mesh::Envoy @12:12 -> acme_sidecars crate::mesh::envoy::Envoy
            worker: Worker @13:13 -> acme_web crate::jobs::worker::Worker
            db: super::db::Db @14:9 -> acme_web crate::db::pool::Pool
            cfg_attr: self::super::ViaCfgAttr @15:15 -> acme_web crate::ViaCfgAttr
        acme-web Lib:acme_web crate::tasks::BrokenTask TaskDefinition web/src/tasks/mod.rs:20:12
            missing: Frontend2 @21:14 -> unresolved
            generic: Vec<Frontend> @22:14 -> unresolved
            reference: &'static Frontend @23:16 -> unresolved
            not_a_container: acme_sidecars::mesh::EnvoyConfig @24:22 -> unresolved
            a_task: WebTask @25:13 -> unresolved
            private: acme_sidecars::fluent::FluentBit @26:14 -> unresolved
            no_such_crate: nowhere::Thing @27:20 -> unresolved
        acme-web Lib:acme_web crate::tasks::AliasTask TaskDefinition web/src/tasks/mod.rs:41:12
            aliased: Aliased @42:14 -> acme_web crate::web::Web
            via_module: ViaModule @43:17 -> acme_web crate::web::admin::Admin
            twice: Twice @44:12 -> acme_web crate::web::Web
            generic: Generic @45:14 -> unresolved
            with_parameter: WithParameter @46:21 -> unresolved
            not_a_container: NotAContainer @47:22 -> unresolved
            cycle: Cycle @48:12 -> unresolved
        acme-web Lib:acme_web crate::unstable::Unstable Container web/src/unstable.rs:3:12
        acme-web Lib:acme_web crate::web::admin::Admin Container web/src/web/admin.rs:3:12
        acme-web Lib:acme_web crate::web::Web Container web/src/web.rs:6:12
        Error parse-failed web/src/broken.rs:3:10 cannot parse `web/src/broken.rs`: expected `:`
        Error module-not-found web/src/lib.rs:10:5 file not found for module `missing`: neither `web/src/missing.rs` nor `web/src/missing/mod.rs` exists
        Warning undecidable-cfg web/src/lib.rs:17:7 cannot decide cfg predicate `tokio_unstable` without compiling (`tokio_unstable` is only known to the compiler); `mod unstable` is kept as if it held
        Error unresolved-container web/src/tasks/mod.rs:21:14 cannot resolve `Frontend2`, the type of field `missing` of task `BrokenTask`, to a `#[derive(Container)]` struct: `Frontend2` is not an item, import or dependency in scope in `crate::tasks`
        Error unsupported-field-type web/src/tasks/mod.rs:22:14 field `generic` of task `BrokenTask` has type `Vec<Frontend>`: a generic type cannot be a container; name the container struct itself
        Error unsupported-field-type web/src/tasks/mod.rs:23:16 field `reference` of task `BrokenTask` has type `&'static Frontend`: a task's fields must name a `#[derive(Container)]` struct by its path
        Error unresolved-container web/src/tasks/mod.rs:24:22 cannot resolve `acme_sidecars::mesh::EnvoyConfig`, the type of field `not_a_container` of task `BrokenTask`, to a `#[derive(Container)]` struct: `acme_sidecars::mesh::envoy::EnvoyConfig` is a struct that does not derive `Container`
        Error unresolved-container web/src/tasks/mod.rs:25:13 cannot resolve `WebTask`, the type of field `a_task` of task `BrokenTask`, to a `#[derive(Container)]` struct: `crate::tasks::WebTask` derives `TaskDefinition`, not `Container`
        Error unresolved-container web/src/tasks/mod.rs:26:14 cannot resolve `acme_sidecars::fluent::FluentBit`, the type of field `private` of task `BrokenTask`, to a `#[derive(Container)]` struct: no `fluent` in `acme_sidecars`
        Error unresolved-container web/src/tasks/mod.rs:27:20 cannot resolve `nowhere::Thing`, the type of field `no_such_crate` of task `BrokenTask`, to a `#[derive(Container)]` struct: `nowhere` is not an item, import or dependency in scope in `crate::tasks`
        Error unresolved-container web/src/tasks/mod.rs:45:14 cannot resolve `Generic`, the type of field `generic` of task `AliasTask`, to a `#[derive(Container)]` struct: `crate::tasks::Generic` is an alias of `Vec<Frontend>`: a generic type cannot be a container; name the container struct itself
        Error unresolved-container web/src/tasks/mod.rs:46:21 cannot resolve `WithParameter`, the type of field `with_parameter` of task `AliasTask`, to a `#[derive(Container)]` struct: `crate::tasks::WithParameter` is a generic type alias, not a struct that derives `Container`
        Error unresolved-container web/src/tasks/mod.rs:47:22 cannot resolve `NotAContainer`, the type of field `not_a_container` of task `AliasTask`, to a `#[derive(Container)]` struct: `acme_sidecars::mesh::envoy::EnvoyConfig` is a struct that does not derive `Container`
        Error unresolved-container web/src/tasks/mod.rs:48:12 cannot resolve `Cycle`, the type of field `cycle` of task `AliasTask`, to a `#[derive(Container)]` struct: `crate::tasks::Cycle` is a type alias that leads to more than 16 aliases in a row
        ",
    );
    assert!(discovery.has_errors());
}

/// The declarations of one package share its name and id, and those of one module's file
/// (with their fields) share its path: one copy each, however many declarations.
#[test]
fn declarations_share_their_package_and_file() {
    use std::sync::Arc;
    let discovery = discover(&acme_workspace()).expect("discovery runs");
    let mut shared = 0;
    for (i, a) in discovery.declarations.iter().enumerate() {
        for field in &a.fields {
            assert!(Arc::ptr_eq(&field.location.file, &a.location.file));
        }
        for b in &discovery.declarations[i + 1..] {
            if a.package_id == b.package_id {
                assert!(Arc::ptr_eq(&a.package_id, &b.package_id));
                assert!(Arc::ptr_eq(&a.package_name, &b.package_name));
            }
            let same_module = a.package_id == b.package_id
                && a.target == b.target
                && a.module_path == b.module_path;
            if same_module && a.location.file == b.location.file {
                assert!(Arc::ptr_eq(&a.location.file, &b.location.file));
                shared += 1;
            }
        }
    }
    assert!(shared > 0, "the fixture has two declarations in one module");
}

/// With `x`: the gated struct, module and task field appear, the `not(x)` struct goes.
#[test]
fn a_feature_switches_cfg_gated_items() {
    let discovery = discover(&DiscoverOptions {
        features: vec!["acme-web/x".to_owned()],
        ..acme_workspace()
    })
    .expect("discovery runs");
    let rendered = render(&discovery);
    let root_lines: Vec<&str> = rendered
        .lines()
        .filter(|line| {
            line.contains("web/src/lib.rs:") && !line.starts_with("Error")
                || line.contains("extra.rs")
        })
        .collect();
    assert_eq!(
        root_lines,
        [
            "acme-web Lib:acme_web crate::extra::Extra Container web/src/extra.rs:3:12",
            "acme-web Lib:acme_web crate::Gated Container web/src/lib.rs:25:12",
            "acme-web Lib:acme_web crate::ViaCfgAttr Container web/src/lib.rs:34:12",
            "acme-web Lib:acme_web crate::RootTask TaskDefinition web/src/lib.rs:46:12",
            "Warning undecidable-cfg web/src/lib.rs:17:7 cannot decide cfg predicate `tokio_unstable` without compiling (`tokio_unstable` is only known to the compiler); `mod unstable` is kept as if it held",
        ]
    );
    let root_task = discovery
        .declarations
        .iter()
        .find(|d| d.name == "RootTask")
        .expect("RootTask is found");
    let fields: Vec<(&str, Option<&str>)> = root_task
        .fields
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                discovery.container_of(f).map(|c| c.name.as_str()),
            )
        })
        .collect();
    assert_eq!(fields, [("web", Some("Web")), ("gated", Some("Gated"))]);

    // The same, selecting the package by its manifest and giving the bare feature name.
    let by_manifest = discover(&DiscoverOptions {
        features: vec!["x".to_owned()],
        ..options(fixture("acme/web/Cargo.toml"))
    })
    .expect("discovery runs");
    assert!(by_manifest.declarations.iter().any(|d| d.name == "Gated"));
    assert!(!by_manifest.declarations.iter().any(|d| d.name == "Ungated"));
}

/// The analyzer sees each struct as its derive would: `cfg_attr` expanded into plain
/// attributes, false `cfg` fields removed; it runs on the thread that parsed the file, where
/// spans still give lines and columns.
#[test]
fn the_analyzer_gets_the_derive_input_once_per_file() {
    let calls = AtomicUsize::new(0);
    let discovery = discover_with(&acme_workspace(), |declaration| {
        calls.fetch_add(1, Ordering::Relaxed);
        let input = declaration.input;
        let printed = |attrs: &[EcsAttr<FileToken>]| -> Vec<String> {
            attrs
                .iter()
                .map(|attr| match attr {
                    EcsAttr::List(tokens) => FileToken::print(tokens),
                    EcsAttr::NotList(_) => "not a list".to_owned(),
                })
                .collect()
        };
        let attrs = printed(&input.attrs);
        let fields: Vec<String> = match &input.body {
            Body::Named(fields) => fields
                .iter()
                .map(|field| format!("{}: {:?}", field.name, printed(&field.attrs)))
                .collect(),
            _ => Vec::new(),
        };
        let at = Pos::from(input.name_span);
        (attrs, fields, at.line, at.column, declaration.kind)
    })
    .expect("discovery runs");

    let via_cfg_attr = discovery
        .declarations
        .iter()
        .find(|d| d.name == "ViaCfgAttr")
        .expect("found through cfg_attr");
    let (attrs, fields, line, column, kind) = &via_cfg_attr.analysis;
    assert_eq!(attrs, &["image = \"via-cfg-attr:1\""]);
    assert_eq!(fields, &["rust_log: [\"env = \\\"info\\\"\"]"]);
    assert_eq!((*line, *column), (34, 12));
    assert_eq!(*kind, DeclarationKind::Container);

    let shared: Vec<_> = discovery
        .declarations
        .iter()
        .filter(|d| d.name == "Shared")
        .collect();
    assert_eq!(
        shared.len(),
        2,
        "one declaration per binary that includes the file"
    );
    assert_eq!(shared[0].analysis, shared[1].analysis);
    // At least one call per declaration of each parsed file (`shared.rs` counts once, `Both`
    // twice); more when a struct analysed while reading ahead is not one, or the file is
    // read again by another worker (see `discover_with`).
    assert!(calls.load(Ordering::Relaxed) >= discovery.declarations.len() - 1);
}

/// With only `acme-web` selected, the sidecars' library is walked because a task names its
/// containers, and its declarations are marked as a dependency's.
#[test]
fn a_dependency_is_walked_only_when_a_path_leads_there() {
    let discovery = discover(&DiscoverOptions {
        packages: vec!["acme-web".to_owned()],
        ..options(fixture("acme/Cargo.toml"))
    })
    .expect("discovery runs");
    assert_eq!(
        discovery
            .packages
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["acme-web"]
    );
    let dependencies: Vec<String> = discovery
        .declarations
        .iter()
        .filter(|d| !d.selected)
        .map(|d| format!("{}::{}", d.target.name, d.name))
        .collect();
    assert_eq!(
        dependencies,
        [
            "acme_sidecars::FluentBit",
            "acme_sidecars::Envoy",
            "acme_sidecars::XRay"
        ]
    );
    let web_task = discovery
        .declarations
        .iter()
        .find(|d| d.name == "WebTask")
        .expect("WebTask is found");
    assert!(web_task.fields.iter().all(|f| f.container.is_some()));
}

#[test]
fn a_workspace_without_declarations() {
    let discovery = discover(&options(fixture("empty/Cargo.toml"))).expect("discovery runs");
    assert_eq!(discovery.packages.len(), 1);
    assert_eq!(discovery.packages[0].name, "quiet");
    assert_eq!(discovery.files_parsed, 1);
    assert_lines(&render(&discovery), "");
}

#[test]
fn package_selection_follows_cargo() {
    let names = |options: &DiscoverOptions| -> Vec<String> {
        discover(options)
            .expect("discovery runs")
            .packages
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    // A virtual root with no flags: the default members, all of them here.
    assert_eq!(
        names(&options(fixture("acme/Cargo.toml"))),
        ["acme-sidecars", "acme-web", "ecsdef", "other-derive"]
    );
    // A member's manifest: that package.
    assert_eq!(
        names(&options(fixture("acme/sidecars/Cargo.toml"))),
        ["acme-sidecars"]
    );
    // `-p` twice.
    assert_eq!(
        names(&DiscoverOptions {
            packages: vec!["ecsdef".to_owned(), "acme-sidecars@0.1.0".to_owned()],
            ..options(fixture("acme/Cargo.toml"))
        }),
        ["acme-sidecars", "ecsdef"]
    );
    // `--workspace --exclude`, with a warning for a name that is not a member.
    let excluded = discover(&DiscoverOptions {
        exclude: vec!["acme-web".to_owned(), "nope".to_owned()],
        ..acme_workspace()
    })
    .expect("discovery runs");
    assert_eq!(
        excluded
            .packages
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["acme-sidecars", "ecsdef", "other-derive"]
    );
    assert_lines(
        &render(&excluded),
        r"
        acme-sidecars Lib:acme_sidecars crate::fluent::FluentBit Container sidecars/src/fluent.rs:5:12
        acme-sidecars Lib:acme_sidecars crate::mesh::envoy::Envoy Container sidecars/src/mesh/envoy.rs:5:12
        acme-sidecars Lib:acme_sidecars crate::xray::XRay Container sidecars/src/xray.rs:3:12
        Warning unknown-exclude excluded package `nope` not found in the workspace
        ",
    );

    assert_eq!(
        discover(&DiscoverOptions {
            packages: vec!["nope".to_owned()],
            ..options(fixture("acme/Cargo.toml"))
        }),
        Err(DiscoverError::PackageNotFound("nope".to_owned()))
    );
    assert_eq!(
        discover(&DiscoverOptions {
            exclude: vec!["acme-web".to_owned()],
            ..options(fixture("acme/Cargo.toml"))
        }),
        Err(DiscoverError::ExcludeWithoutWorkspace)
    );
    let Err(DiscoverError::Metadata(stderr)) =
        discover(&options(fixture("does-not-exist/Cargo.toml")))
    else {
        panic!("a missing manifest is a metadata error");
    };
    assert!(stderr.contains("does-not-exist"), "{stderr}");
}

/// Parsing runs on several threads; the result must not depend on which finishes first.
#[test]
fn results_do_not_depend_on_thread_timing() {
    let first = discover(&acme_workspace()).expect("discovery runs");
    for _ in 0..5 {
        assert_eq!(discover(&acme_workspace()).expect("discovery runs"), first);
    }
}

/// rustc's file rules beyond the common ones, and files that cannot be used: each reported at
/// the `mod` item (or the file), everything else still found.
#[test]
fn module_file_rules_and_unusable_files() {
    let discovery = discover(&options(fixture("layouts/Cargo.toml"))).expect("discovery runs");
    // `#[cfg_attr(unix, path = ...)]` follows the host.
    let platform = if cfg!(windows) {
        "lay Lib:lay crate::platform::OnWindows Container lay/src/windows_impl.rs:2:12"
    } else {
        "lay Lib:lay crate::platform::OnUnix Container lay/src/unix_impl.rs:2:12"
    };
    assert_lines(
        &render(&discovery),
        &format!(
            r"
            lay Lib:lay crate::a::x::p::P Container lay/src/a/x/p.rs:2:12
            lay Lib:lay crate::a::x::y::Y Container lay/src/a/x/y.rs:2:12
            lay Lib:lay crate::dir::z::Z Container lay/src/custom_dir/z.rs:2:12
            {platform}
            Error read-failed lay/src/latin1.rs:1:1 cannot read `lay/src/latin1.rs`: stream did not contain valid UTF-8
            Error module-ambiguous lay/src/lib.rs:2:5 file for module `twice` found at both `lay/src/twice.rs` and `lay/src/twice/mod.rs`; delete or rename one of them
            Error module-cycle lay/src/lib.rs:4:5 circular modules: `mod again` includes `lay/src/lib.rs`, which is already an enclosing module's file
            "
        ),
    );
}

/// A one-package workspace written into a fresh temporary folder for a hostile test, removed
/// when dropped.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// The package `hostile`, a library whose root is `src/lib.rs` (not written).
    fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("ecsdef-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("src")).expect("create the scratch folder");
        let scratch = Scratch { root };
        scratch.write(
            "Cargo.toml",
            "[package]\nname = \"hostile\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n[workspace]\n",
        );
        scratch
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(path, text).expect("write a file");
    }

    /// A FIFO at `relative`; `false` where `mkfifo` is not there to make one.
    fn fifo(&self, relative: &str) -> bool {
        std::process::Command::new("mkfifo")
            .arg(self.path(relative))
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Discovery on a thread of its own: a hang fails the test rather than stalling it.
    fn discover(&self) -> Discovery {
        let options = options(self.path("Cargo.toml"));
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || send.send(discover(&options)));
        receive
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("discovery ends")
            .expect("discovery runs")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The line and column (from 1) of byte `at` of an ASCII text.
fn position(text: &str, at: usize) -> (usize, usize) {
    let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    (text[..at].matches('\n').count() + 1, at - line_start + 1)
}

const TOO_DEEP: &str = "the code nests deeper than 256 levels here (parentheses, brackets, \
                        braces, generic arguments, and chains such as `&&&x` or `a = b = c` \
                        count), more than ecsdef follows; split the expression, type or item \
                        into smaller named parts";

/// 500 nested braces in a function body overflowed a worker's stack: the skim gave up and
/// `syn::parse_file` recursed through them. Such a file, and one nested 100,000 levels deep in
/// any delimiter, anywhere, is now a diagnostic at the first level too deep.
#[test]
fn nesting_too_deep_is_a_diagnostic_at_its_place() {
    let scratch = Scratch::new("deep");
    let cases = [
        ("fn f() { ", "{", "}", 500, " }"),
        ("fn f() { ", "{", "}", 100_000, " }"),
        ("fn f() { let _ = ", "(", ")", 100_000, "; }"),
        ("fn f() { let _ = ", "[", "]", 100_000, "; }"),
        ("", "mod a { ", "}", 100_000, ""),
        ("#[cfg(", "all(", ")", 100_000, ")] mod a {}"),
        (
            "#[",
            "cfg_attr(all(), ",
            ")",
            100_000,
            "]\n#[derive(ecsdef::Container)]\npub struct A;",
        ),
        ("pub struct A { a: ", "[", "; 1]", 100_000, " }"),
        // Without brackets: generic arguments, references, a chain of assignments.
        // (in a deriving struct, which syn reads)
        (
            "#[derive(ecsdef::Container)] pub struct A { a: ",
            "Vec<",
            ">",
            100_000,
            " }",
        ),
        (
            "#[derive(ecsdef::Container)] pub struct A { a: ",
            "&'a ",
            "",
            100_000,
            "u8 }",
        ),
        // (in a function's body, which syn reads when the skim cannot read the file)
        ("pub macro m() {}\nfn f() { ", "a = ", "", 100_000, "1; }"),
    ];
    for (before, open, close, depth, after) in cases {
        let text = format!(
            "#[derive(ecsdef::Container)]\npub struct Fine;\n{before}{}{}{after}\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        scratch.write("src/lib.rs", &text);
        // The opening delimiter of level 257, counting the assignment of `let _ =` as a level
        // (syn recurses into its right-hand side).
        let mut level = usize::from(before.contains('='));
        let at = text
            .char_indices()
            .find(|&(i, c)| {
                let opens = matches!(c, '(' | '[' | '{' | '<' | '&')
                    || (c == '=' && text[..i].ends_with(" a "));
                level += usize::from(opens);
                level -= usize::from(matches!(c, ')' | ']' | '}' | '>'));
                level > 256
            })
            .expect("nested deeper than 256")
            .0;
        let (line, column) = position(&text, at);
        assert_lines(
            &render(&scratch.discover()),
            &format!(
                "Error parse-failed src/lib.rs:{line}:{column} cannot parse `src/lib.rs`: {TOO_DEEP}"
            ),
        );
    }
}

/// A file nested as deep as discovery follows is read, also by `syn::parse_file` when the skim
/// cannot read it (a `macro` item): the workers' stacks hold syn's deepest recursion, a function
/// in a function's body, at that depth, in a debug build.
#[test]
fn nesting_as_deep_as_allowed_is_read() {
    let scratch = Scratch::new("deep-enough");
    for skimmed in [true, false] {
        let text = format!(
            "{}#[derive(ecsdef::Container)]\npub struct Found;\nfn f() {}{{}}{}\n",
            if skimmed { "" } else { "pub macro m() {}\n" },
            "{ fn f() ".repeat(255),
            "}".repeat(255)
        );
        scratch.write("src/lib.rs", &text);
        assert_lines(
            &render(&scratch.discover()),
            &format!(
                "hostile Lib:hostile crate::Found Container src/lib.rs:{}:12",
                if skimmed { 2 } else { 3 }
            ),
        );
        // Attributes nested as deep: `cfg` predicates and `cfg_attr`s, evaluated on a worker
        // (each 255 or 256 levels with the attribute's brackets).
        let text = format!(
            "{}#[cfg({}all(){})]\nmod kept {{}}\n#[{}derive(ecsdef::Container){}]\n\
             pub struct Attributed;\n",
            if skimmed { "" } else { "pub macro m() {}\n" },
            "all(not(not(".repeat(84),
            ")))".repeat(84),
            "cfg_attr(all(), ".repeat(254),
            ")".repeat(254),
        );
        scratch.write("src/lib.rs", &text);
        let line = if skimmed { 4 } else { 5 };
        assert_lines(
            &render(&scratch.discover()),
            &format!("hostile Lib:hostile crate::Attributed Container src/lib.rs:{line}:12"),
        );
        // What syn recurses into without brackets, as deep as allowed: in a deriving struct's
        // field type, and in a function's body (read by syn when the skim cannot read the
        // file).
        let text = format!(
            "{}#[derive(ecsdef::Container)]\npub struct Chained {{ a: {}u8{}, b: {}u8 }}\n\
             fn f() {{ let mut a = 0; {}1; let _ = {}true; }}\n",
            if skimmed { "" } else { "pub macro m() {}\n" },
            "Vec<".repeat(255),
            ">".repeat(255),
            "&'a mut ".repeat(255),
            "a = ".repeat(255),
            "!".repeat(254),
        );
        scratch.write("src/lib.rs", &text);
        assert_lines(
            &render(&scratch.discover()),
            &format!(
                "hostile Lib:hostile crate::Chained Container src/lib.rs:{}:12",
                if skimmed { 2 } else { 3 }
            ),
        );
    }
}

/// Attributes by the 100,000 on one struct are read, not nested.
#[test]
fn many_attributes_are_read() {
    let scratch = Scratch::new("attributes");
    scratch.write(
        "src/lib.rs",
        &format!(
            "{}#[derive(ecsdef::Container)]\npub struct Found;\n",
            "#[cfg_attr(all(), allow(dead_code))] ".repeat(100_000)
        ),
    );
    assert_lines(
        &render(&scratch.discover()),
        "hostile Lib:hostile crate::Found Container src/lib.rs:2:12",
    );
}

/// 25 files that each include the next twice through `#[path]` made a module tree of 2^25
/// modules, until memory ran out. Each file is still read once, and the tree stops at its
/// bound with one error that names the chain of files.
#[test]
fn a_module_tree_that_multiplies_stops_at_its_bound() {
    let scratch = Scratch::new("multiplying");
    for n in 0..25 {
        let name = if n == 0 {
            "src/lib.rs".to_owned()
        } else {
            format!("src/f{n}.rs")
        };
        let next = n + 1;
        scratch.write(
            &name,
            &format!("#[path = \"f{next}.rs\"]\nmod a;\n#[path = \"f{next}.rs\"]\nmod b;\n"),
        );
    }
    scratch.write(
        "src/f25.rs",
        "#[derive(ecsdef::Container)]\npub struct Leaf;\n",
    );
    let discovery = scratch.discover();
    assert_eq!(
        discovery.files_parsed, 17,
        "each file read once, up to the bound"
    );
    let errors: Vec<_> = discovery
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.kind.name(),
                d.message.replace(&scratch.root.display().to_string(), ""),
            )
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (kind, message) = &errors[0];
    assert_eq!(*kind, "module-tree-too-large");
    assert!(
        message.starts_with(
            "the module tree of package `hostile` has more than 100000 modules, and stops \
             growing at `crate::b::a::a::(9 more)::a::a::a::b`, "
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "reached through `/src/lib.rs` -> `/src/f1.rs` -> `/src/f2.rs` -> `/src/f3.rs` -> \
             (8 more) -> `/src/f12.rs` -> `/src/f13.rs` -> `/src/f14.rs` -> `/src/f15.rs`; a file \
             that several `mod` items include"
        ),
        "{message}"
    );
}

/// Folders symlinked into the tree do not multiply the reading: each file is read once
/// whichever path reaches it. Two links to the next folder in each of 25 folders grow the tree
/// as `#[path]` does, to its bound; a folder linked into itself is a cycle, as its file is an
/// enclosing module's.
#[cfg(unix)]
#[test]
fn symlinked_folders_are_read_once_and_do_not_loop() {
    use std::os::unix::fs::symlink;
    let scratch = Scratch::new("symlinked");
    scratch.write("src/lib.rs", "mod x;\nmod y;\n");
    for n in 0..25 {
        let dir = if n == 0 {
            "src".to_owned()
        } else {
            format!("d{n}")
        };
        if n > 0 {
            scratch.write(&format!("{dir}/mod.rs"), "mod x;\nmod y;\n");
        }
        for link in ["x", "y"] {
            symlink(
                scratch.path(&format!("d{}", n + 1)),
                scratch.path(&format!("{dir}/{link}")),
            )
            .expect("symlink");
        }
    }
    scratch.write("d25/mod.rs", "");
    let discovery = scratch.discover();
    let kinds: Vec<_> = discovery
        .diagnostics
        .iter()
        .map(|d| d.kind.name())
        .collect();
    assert_eq!(kinds, ["module-tree-too-large"]);
    assert_eq!(
        discovery.files_parsed, 17,
        "each file read once, up to the bound"
    );

    let looping = Scratch::new("self-linked");
    looping.write("src/lib.rs", "mod a;\n");
    looping.write(
        "src/a/mod.rs",
        "#[derive(ecsdef::Container)]\npub struct A;\nmod x;\nmod y;\n",
    );
    symlink(".", looping.path("src/a/x")).expect("symlink");
    symlink(looping.path("src/a"), looping.path("src/a/y")).expect("symlink");
    assert_lines(
        &render(&looping.discover()),
        r"
        hostile Lib:hostile crate::a::A Container src/a/mod.rs:2:12
        Error module-cycle src/a/mod.rs:3:5 circular modules: `mod x` includes `src/a/x/mod.rs`, which is already an enclosing module's file
        Error module-cycle src/a/mod.rs:4:5 circular modules: `mod y` includes `src/a/y/mod.rs`, which is already an enclosing module's file
        ",
    );
}

/// Module paths are bounded too: with the number of modules, they bound the tree's memory.
#[test]
fn a_module_path_too_long_stops_the_tree() {
    let scratch = Scratch::new("long-path");
    let name = "m".repeat(300);
    scratch.write(
        "src/lib.rs",
        &format!(
            "pub mod {name} {{ pub mod {name} {{ pub mod {name} {{\n\
             #[derive(ecsdef::Container)] pub struct Kept;\n\
             pub mod {name} {{ #[derive(ecsdef::Container)] pub struct Dropped; }} }} }} }}\n"
        ),
    );
    let discovery = scratch.discover();
    let found: Vec<_> = discovery
        .declarations
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(found, ["Kept"]);
    let errors: Vec<_> = discovery
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location.as_ref().expect("a location");
            (d.kind.name(), at.line, at.column)
        })
        .collect();
    assert_eq!(errors, [("module-tree-too-large", 3, 9)]);
    assert!(
        discovery.diagnostics[0].message.starts_with(
            "the module tree of package `hostile` nests modules deeper than a path of 1024 bytes"
        ),
        "{}",
        discovery.diagnostics[0].message
    );
}

/// A crate root or module that is a FIFO hung discovery (opening it waits for a writer); one
/// linked to `/dev/zero` was read until memory ran out. Each is an error naming the file; a
/// FIFO in `src` that no module names is never opened, and a symlink to a regular file is read.
#[cfg(unix)]
#[test]
fn files_that_are_not_regular_files_are_errors() {
    use std::os::unix::fs::symlink;
    let scratch = Scratch::new("fifo-root");
    if !scratch.fifo("src/lib.rs") {
        eprintln!("skipped: no `mkfifo`");
        return;
    }
    assert_lines(
        &render(&scratch.discover()),
        "Error read-failed src/lib.rs:1:1 cannot read `src/lib.rs`: it is a FIFO, not a regular \
         file; a crate root or module must be a regular file or a symlink to one",
    );

    let scratch = Scratch::new("not-files");
    scratch.write(
        "real.rs",
        "#[derive(ecsdef::Container)]\npub struct Linked;\n",
    );
    scratch.write("src/lib.rs", "mod fifo;\nmod zero;\nmod linked;\n");
    assert!(scratch.fifo("src/fifo.rs"));
    assert!(scratch.fifo("src/unused.rs"));
    symlink(
        scratch.path("src/unused.rs"),
        scratch.path("src/unused_link.rs"),
    )
    .expect("symlink");
    symlink("/dev/zero", scratch.path("src/zero.rs")).expect("symlink");
    symlink(scratch.path("real.rs"), scratch.path("src/linked.rs")).expect("symlink");
    assert_lines(
        &render(&scratch.discover()),
        r"
        hostile Lib:hostile crate::linked::Linked Container src/linked.rs:2:12
        Error read-failed src/fifo.rs:1:1 cannot read `src/fifo.rs`: it is a FIFO, not a regular file; a crate root or module must be a regular file or a symlink to one
        Error read-failed src/zero.rs:1:1 cannot read `src/zero.rs`: it is a device, not a regular file; a crate root or module must be a regular file or a symlink to one
        ",
    );

    let scratch = Scratch::new("zero-root");
    symlink("/dev/zero", scratch.path("src/lib.rs")).expect("symlink");
    assert_lines(
        &render(&scratch.discover()),
        "Error read-failed src/lib.rs:1:1 cannot read `src/lib.rs`: it is a device, not a regular \
         file; a crate root or module must be a regular file or a symlink to one",
    );
}

/// A source file larger than discovery reads is an error naming its size, also while reading
/// ahead (the file is sparse: it costs no disk).
#[test]
fn a_source_file_too_large_is_an_error() {
    let scratch = Scratch::new("large");
    scratch.write("src/lib.rs", "mod large;\n");
    std::fs::File::create(scratch.path("src/large.rs"))
        .and_then(|file| file.set_len((64 << 20) + 1))
        .expect("a sparse file");
    assert_lines(
        &render(&scratch.discover()),
        "Error read-failed src/large.rs:1:1 cannot read `src/large.rs`: it is 65 MiB, more than \
         the 64 MiB read of a source file; split it into modules",
    );
}

/// `cargo ecsdef check` and `export` on a crate root that is a FIFO or a link to `/dev/zero`
/// end with the error, as discovery does: showing it does not read the file either.
#[cfg(unix)]
#[test]
fn the_cli_reports_a_crate_root_that_is_not_a_file() {
    let scratch = Scratch::new("cli-fifo-root");
    if !scratch.fifo("src/lib.rs") {
        eprintln!("skipped: no `mkfifo`");
        return;
    }
    let zero = Scratch::new("cli-zero-root");
    std::os::unix::fs::symlink("/dev/zero", zero.path("src/lib.rs")).expect("symlink");
    for (workspace, what) in [(&scratch, "a FIFO"), (&zero, "a device")] {
        for verb in ["check", "export"] {
            let mut args: Vec<std::ffi::OsString> = vec![verb.into(), "--manifest-path".into()];
            args.push(workspace.path("Cargo.toml").into());
            let (status, stderr) = run_bounded(&args);
            assert_eq!(status, Some(1), "{verb} on {what}: {stderr}");
            assert!(
                stderr.contains(&format!("it is {what}, not a regular file")),
                "{verb} on {what}: {stderr}"
            );
        }
    }
}

/// Runs `cargo ecsdef ARGS` (without colours), failing the test if it does not end within two
/// minutes: the exit code and stderr.
fn run_bounded(args: &[std::ffi::OsString]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .arg("ecsdef")
        .args(args)
        .args(["--color", "never"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start cargo-ecsdef");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cargo-ecsdef") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("`cargo ecsdef {args:?}` did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("read stderr");
    (status.code(), stderr)
}

/// A vars file or a file to import that is a FIFO or a device is an error naming it, never
/// a hang.
#[cfg(unix)]
#[test]
fn the_cli_refuses_input_files_that_are_not_files() {
    let scratch = Scratch::new("cli-fifo-inputs");
    scratch.write("src/lib.rs", "");
    if !scratch.fifo("vars.fifo") || !scratch.fifo("task.fifo") {
        eprintln!("skipped: no `mkfifo`");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", scratch.path("zero.json")).expect("symlink");
    let manifest = scratch.path("Cargo.toml");
    let cases: [(Vec<std::ffi::OsString>, &str); 4] = [
        (
            vec![
                "check".into(),
                "--manifest-path".into(),
                manifest.clone().into(),
                "--vars-file".into(),
                scratch.path("vars.fifo").into(),
            ],
            "a FIFO",
        ),
        (
            vec![
                "export".into(),
                "--manifest-path".into(),
                manifest.into(),
                "--vars-file".into(),
                scratch.path("zero.json").into(),
            ],
            "a device",
        ),
        (
            vec!["import".into(), scratch.path("task.fifo").into()],
            "a FIFO",
        ),
        (
            vec!["import".into(), scratch.path("zero.json").into()],
            "a device",
        ),
    ];
    for (args, what) in cases {
        let (status, stderr) = run_bounded(&args);
        assert_eq!(status, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "it is {what}, not a regular file; give a regular file or a symlink to one"
            )),
            "{args:?}: {stderr}"
        );
    }
}
