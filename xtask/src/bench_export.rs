//! The benchmark of `cargo ecsdef export` (BENCHMARKS.md): generators of synthetic
//! workspaces, the floor they are compared with (read and `syn::parse_file` the same files),
//! and the driver that times both, interleaved, in one run.
//!
//! The synthetic workspace, for `D` task definitions (`D` a multiple of 10):
//!
//! - a stub `ecsdef` package (the derives are never compiled, only read);
//! - `max(1, D / 100)` shared crates `bench-shared-S`, each with 4 sidecar containers spread over
//!   a non-mod-rs file with an inline module, a nested file and a `#[path]` file;
//! - `D / 10` service crates `bench-svc-C`, each with 20 containers and 10 task definitions over
//!   11 files: `mod` files 2 and 3 levels deep (`services/web/handlers.rs`), a `#[path]` module,
//!   inline modules, `use` imports (plain, renamed, glob, `super::`, `crate::`), container types
//!   from the shared crates through path dependencies (one of them renamed in `Cargo.toml`), a
//!   `#[cfg(feature = "metrics")]` container (a default feature, so exported) and a
//!   `#[cfg(feature = "canary")]` module (off, so its file is not read), a `#[cfg(test)]`
//!   module, and ordinary Rust around the declarations. Every tenth crate has a binary too.
//!
//! The dense layout ([`Size::dense`]) has the same crates and declarations with nothing else:
//! no ordinary Rust, no test module, no binary, no file without a declaration; a service crate
//! spreads its declarations over 12 files. [`generate_one`] writes a workspace of one task
//! definition, for the fixed costs.
//!
//! Every crate is a path dependency of the others, so `cargo metadata` works offline. The
//! generators are deterministic: the same `D` and layout give the same bytes. They also write
//! `files.txt`: exactly the files the export parses (what the module tree reaches, not a
//! glob), which the floor reads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Containers per service crate.
const CONTAINERS: usize = 20;
/// Task definitions per service crate.
const TASKS: usize = 10;

/// The size and layout of a generated workspace.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub definitions: usize,
    pub services: usize,
    pub shared: usize,
    /// Every file declares containers or tasks: no ordinary Rust around them, no file without
    /// a declaration (a deployment crate per service).
    pub dense: bool,
}

impl Size {
    pub fn new(definitions: usize) -> Self {
        let services = definitions.div_ceil(TASKS).max(1);
        Size {
            definitions: services * TASKS,
            services,
            shared: (services / 10).max(1),
            dense: false,
        }
    }

    /// The dense layout of the same size.
    pub fn dense(definitions: usize) -> Self {
        Size {
            dense: true,
            ..Size::new(definitions)
        }
    }

    /// The folder name under the benchmark's directory: `d1000`, `dense1000`.
    pub fn dir_name(self) -> String {
        let prefix = if self.dense { "dense" } else { "d" };
        format!("{prefix}{}", self.definitions)
    }

    pub fn containers(self) -> usize {
        self.services * CONTAINERS + self.shared * 4
    }

    /// Packages: services, shared crates and the `ecsdef` stub.
    pub fn crates(self) -> usize {
        self.services + self.shared + 1
    }
}

/// What the generator wrote.
#[derive(Debug)]
pub struct Generated {
    pub root: PathBuf,
    /// The files the export parses, in module-tree order.
    pub files: Vec<PathBuf>,
}

/// The arguments every measure gives `cargo-ecsdef`: `check` of the workspace of
/// `manifest`, or with `out`, an export into that folder.
fn ecsdef_args<'a>(manifest: &'a str, out: Option<&'a str>) -> Vec<&'a str> {
    let verb = if out.is_some() { "export" } else { "check" };
    let mut args = vec![
        "ecsdef",
        verb,
        "--workspace",
        "-q",
        "--manifest-path",
        manifest,
    ];
    if let Some(out) = out {
        args.extend(["--out-dir", out]);
    }
    args
}

struct Writer {
    root: PathBuf,
    files: Vec<PathBuf>,
}

impl Writer {
    /// The `ecsdef` crate every generated workspace depends on: a stand-in, since the
    /// benchmark reads the derives and never compiles them.
    fn ecsdef_stub(&mut self) -> Result<(), String> {
        self.file(
            "crates/ecsdef/Cargo.toml",
            &package_manifest("ecsdef", "", ""),
            false,
        )?;
        self.file(
            "crates/ecsdef/src/lib.rs",
            "//! A stand-in for ecsdef: the benchmark reads the derives, it never compiles them.\n",
            true,
        )
    }

    /// Writes `files.txt`, the list of the files the export parses, one per line (the floor
    /// reads it), and hands them over.
    fn finish(mut self) -> Result<Generated, String> {
        let mut list = String::new();
        for path in &self.files {
            let _ = writeln!(list, "{}", path.display());
        }
        self.file("files.txt", &list, false)?;
        Ok(Generated {
            root: self.root,
            files: self.files,
        })
    }

    /// Writes a file of the workspace; `parsed` when the export reaches it.
    fn file(&mut self, relative: &str, text: &str, parsed: bool) -> Result<(), String> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        // Only when the bytes change, so that regenerating does not disturb timestamps.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        if parsed {
            self.files.push(path);
        }
        Ok(())
    }
}

/// Writes the synthetic workspace for `size` into `root` (created; existing generated files
/// are overwritten, stale crates of a larger earlier size removed).
pub fn generate(root: &Path, size: Size) -> Result<Generated, String> {
    let crates = root.join("crates");
    if crates.exists() {
        std::fs::remove_dir_all(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    }
    let mut w = Writer {
        root: root.to_owned(),
        files: Vec::new(),
    };
    let mut members = vec!["\"crates/ecsdef\"".to_owned()];
    members.extend((0..size.shared).map(|s| format!("\"crates/shared-{s}\"")));
    members.extend((0..size.services).map(|c| format!("\"crates/svc-{c}\"")));
    w.file(
        "Cargo.toml",
        &format!(
            "# Generated by `cargo run --release -p xtask -- bench-export`: a synthetic workspace\n\
             # of {} task definitions for the benchmark of `cargo ecsdef export`.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n    {},\n]\n",
            size.definitions,
            members.join(",\n    ")
        ),
        false,
    )?;
    w.ecsdef_stub()?;
    for s in 0..size.shared {
        shared_crate(&mut w, s, size)?;
    }
    for c in 0..size.services {
        service_crate(&mut w, c, size)?;
    }
    w.finish()
}

fn package_manifest(name: &str, deps: &str, features: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{deps}\n[features]\n{features}"
    )
}

/// Ordinary Rust that surrounds declarations in a real crate: an enum, an impl, a function.
/// None in the dense layout.
fn filler(out: &mut String, size: Size, seed: usize) {
    if size.dense {
        return;
    }
    let _ = write!(
        out,
        r#"
/// Where a request of kind {seed} goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route{seed} {{
    /// Served here.
    Local,
    /// Forwarded upstream, with a retry budget.
    Upstream {{ retries: u8 }},
    /// Rejected with a status code.
    Reject(u16),
}}

impl Route{seed} {{
    /// Picks a route from a path and the current load (0 to 100).
    pub fn pick(path: &str, load: u8) -> Self {{
        match (path.split('/').nth(1), load) {{
            (Some("health"), _) => Self::Local,
            (Some("api"), 0..=80) => Self::Upstream {{ retries: {retries} }},
            (Some("api"), _) => Self::Reject(503),
            _ if path.len() > {limit} => Self::Reject(414),
            _ => Self::Local,
        }}
    }}

    /// A stable label for metrics.
    pub fn label(self) -> &'static str {{
        match self {{
            Self::Local => "local",
            Self::Upstream {{ .. }} => "upstream",
            Self::Reject(_) => "reject",
        }}
    }}
}}

/// Sums the sizes of a batch, saturating.
pub fn batch_size_{seed}(items: &[Vec<u8>]) -> usize {{
    items.iter().map(Vec::len).fold(0usize, usize::saturating_add)
}}
"#,
        retries = seed % 5 + 1,
        limit = 1024 + seed,
    );
}

const SHARED_LOG: &str = r#"log(driver = "awslogs", group = "/ecs/sidecars", region = "us-east-1", stream_prefix = "sidecar")"#;

fn shared_crate(w: &mut Writer, s: usize, size: Size) -> Result<(), String> {
    let dir = format!("crates/shared-{s}");
    w.file(
        &format!("{dir}/Cargo.toml"),
        &package_manifest(
            &format!("bench-shared-{s}"),
            "ecsdef = { path = \"../ecsdef\" }\n",
            "",
        ),
        false,
    )?;
    let mut lib = format!(
        "//! Sidecars shared by the services of group {s}.\n\npub mod sidecars;\n\npub use sidecars::logging::LogRouter;\n\n\
         /// The X-Ray daemon.\n#[derive(ecsdef::Container, Debug)]\n#[ecs(\n    image = \"public.ecr.aws/xray/aws-xray-daemon:3.3.{s}\",\n    essential = false,\n    memory_reservation = 64,\n    port(container = 2000, protocol = \"udp\"),\n    {SHARED_LOG},\n)]\npub struct XrayDaemon;\n"
    );
    filler(&mut lib, size, 10_000 + s);
    w.file(&format!("{dir}/src/lib.rs"), &lib, true)?;

    let mut sidecars = format!(
        "//! Sidecars, by concern.\n\npub mod metrics;\n#[path = \"proxies/envoy.rs\"]\npub mod envoy;\n\n\
         pub mod logging {{\n    //! Log routing.\n    use ecsdef::Container;\n\n    /// FireLens with Fluent Bit.\n    #[derive(Container, Debug)]\n    #[ecs(\n        image = \"public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.{s}\",\n        essential = false,\n        memory_reservation = 50,\n        user = \"0\",\n        {SHARED_LOG},\n        extra = r#\"{{\"firelensConfiguration\": {{\"type\": \"fluentbit\"}}}}\"#\n    )]\n    pub struct LogRouter;\n}}\n"
    );
    filler(&mut sidecars, size, 11_000 + s);
    w.file(&format!("{dir}/src/sidecars.rs"), &sidecars, true)?;

    let mut metrics = format!(
        "//! Metrics.\nuse ecsdef::Container;\n\n/// The CloudWatch agent.\n#[derive(Container, Debug)]\n#[ecs(\n    image = \"public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300{s}.0\",\n    essential = false,\n    memory_reservation = 64,\n    {SHARED_LOG},\n)]\npub struct MetricsAgent {{\n    /// Its configuration, from SSM.\n    #[ecs(secret = \"/shared-{s}/cwagent-config\")]\n    pub cw_config_content: String,\n}}\n"
    );
    filler(&mut metrics, size, 12_000 + s);
    w.file(&format!("{dir}/src/sidecars/metrics.rs"), &metrics, true)?;

    let mut envoy = format!(
        "//! The service mesh proxy.\nuse ecsdef::Container as EcsContainer;\n\n/// Envoy.\n#[derive(EcsContainer, Debug)]\n#[ecs(\n    image = \"public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.{s}.0-prod\",\n    essential = false,\n    memory = 128,\n    user = \"1337\",\n    port(container = 9901, name = \"admin\"),\n    {SHARED_LOG},\n)]\npub struct Envoy;\n"
    );
    filler(&mut envoy, size, 13_000 + s);
    w.file(&format!("{dir}/src/proxies/envoy.rs"), &envoy, true)?;
    Ok(())
}

/// Where container `j` of a service crate is declared: (file, module path). The dense layout
/// has a file of its own for two of the handlers.
fn container_home(j: usize, size: Size) -> (&'static str, &'static str) {
    match j {
        0..=1 => ("services/mod.rs", "services"),
        8..=9 if size.dense => (
            "services/web/handlers/admin.rs",
            "services::web::handlers::admin",
        ),
        2..=5 => ("services/web.rs", "services::web"),
        6..=9 => ("services/web/handlers.rs", "services::web::handlers"),
        10..=13 => ("services/worker/mod.rs", "services::worker"),
        14..=15 => ("services/worker/jobs.rs", "services::worker::jobs"),
        16..=17 => ("gen/settings_gen.rs", "settings"),
        _ => ("lib.rs", "inline_sidecars"),
    }
}

fn container_name(j: usize) -> String {
    let kind = ["Api", "Worker", "Gateway", "Cron"][j % 4];
    format!("{kind}{j}")
}

/// One `#[derive(Container)]` of service crate `c`, indented by `indent`.
fn container(out: &mut String, c: usize, j: usize, indent: &str) {
    let name = container_name(j);
    let port = 8000 + j;
    let derive = if j % 5 == 4 {
        "ecsdef::Container"
    } else {
        "Container"
    };
    let attrs = match j % 4 {
        0 => format!(
            "image = \"ghcr.io/acme/svc-{c}-{j}:1.{j}.0\",\n    credentials = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf\",\n    port = {port},\n    cpu = 128,\n    memory = 256,\n    log(driver = \"awslogs\", group = \"/ecs/svc-{c}\", region = \"us-east-1\", stream_prefix = \"c{j}\"),"
        ),
        1 => format!(
            "image = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/svc-{c}/worker-{j}:2.0.{c}\",\n    port(container = {port}, name = \"http\", app_protocol = \"http\"),\n    cpu = 128,\n    memory = 256,\n    health_check(command = [\"CMD-SHELL\", \"curl -f http://localhost:{port}/health || exit 1\"], interval = 10, timeout = 3, retries = 3, start_period = 20),\n    env_prefix = \"APP_\",\n    log(driver = \"awslogs\", group = \"/ecs/svc-{c}\", region = \"us-east-1\", stream_prefix = \"c{j}\"),"
        ),
        2 => format!(
            "image = \"docker.io/acme/gateway-{j}:3.{c}.1\",\n    credentials = \"dockerhub-pull\",\n    memory_reservation = 128,\n    command = [\"serve\", \"--port\", \"{port}\"],\n    port = {port},\n    log(driver = \"awslogs\", group = \"/ecs/svc-{c}\", region = \"us-east-1\", stream_prefix = \"c{j}\"),"
        ),
        _ => format!(
            "image = \"public.ecr.aws/acme/cron-{j}:0.{c}.0\",\n    user = \"1000\",\n    memory = 192,\n    read_only_root_filesystem = true,\n    ulimit(name = \"nofile\", soft = 65536, hard = 65536),\n    log(driver = \"awslogs\", group = \"/ecs/svc-{c}\", region = \"us-east-1\", stream_prefix = \"c{j}\"),"
        ),
    };
    let body = format!(
        "/// Container {j} of service {c}.\n#[derive({derive}, Debug)]\n#[ecs(\n    {attrs}\n)]\npub struct {name} {{\n    /// The listener's port.\n    #[ecs(env = {port})]\n    pub port: u16,\n    /// Log filter.\n    #[ecs(env = \"info,svc_{c}=debug\")]\n    pub rust_log: String,\n    /// The database password.\n    #[ecs(secret = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:svc-{c}/db-{j}-AbCdEf:password::\")]\n    pub database_password: String,\n    /// An API key, from SSM.\n    #[ecs(secret = \"/svc-{c}/c{j}/api-key\")]\n    pub api_key: String,\n    /// Set only in development.\n    #[ecs(skip)]\n    pub dev_mode: bool,\n}}\n"
    );
    for line in body.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

/// The containers of `file`, with `use ecsdef::Container;` and filler.
fn container_file(c: usize, file: &str, header: &str, size: Size) -> String {
    let mut out = format!("{header}\nuse ecsdef::Container;\n\n");
    for j in (0..CONTAINERS).filter(|&j| container_home(j, size).0 == file) {
        container(&mut out, c, j, "");
        out.push('\n');
    }
    filler(&mut out, size, c * 100 + file.len());
    out
}

/// The shared crate a task of service `c` takes its sidecars from, as the service names it.
fn shared_of(c: usize, size: Size) -> (usize, String) {
    let s = c % size.shared;
    // Every fourth service renames the dependency in its `Cargo.toml`.
    let name = if c % 4 == 3 {
        "sidecars_dep".to_owned()
    } else {
        format!("bench_shared_{s}")
    };
    (s, name)
}

/// How task `i` of service `c` names container `j` from module `here` (`prod`, `edge`,
/// `staging`, `batch`): the field type, and the `use` item it needs (if any).
fn reference(j: usize, here: &str, size: Size) -> (String, Option<String>) {
    let name = container_name(j);
    let home = container_home(j, size).1;
    if here == "batch" {
        // `batch` is inline in `tasks.rs`: a glob of the inline sidecars, `super::super` paths.
        return if home == "inline_sidecars" {
            (name, None)
        } else {
            (format!("super::super::{home}::{name}"), None)
        };
    }
    let base = if here == "staging" {
        "super::super"
    } else {
        "crate"
    };
    match j % 3 {
        0 => (name.clone(), Some(format!("use {base}::{home}::{name};"))),
        1 => (
            format!("{name}Alias"),
            Some(format!("use {base}::{home}::{name} as {name}Alias;")),
        ),
        _ => (format!("crate::{home}::{name}"), None),
    }
}

/// One `#[derive(TaskDefinition)]` of service `c`, and the `use` items it needs.
fn task(c: usize, i: usize, here: &str, size: Size, indent: &str) -> (String, Vec<String>) {
    let (_, dep) = shared_of(c, size);
    let mut uses = Vec::new();
    let mut fields = String::new();
    let (app, app_use) = reference(2 * i, here, size);
    let (helper, helper_use) = reference(2 * i + 1, here, size);
    uses.extend(app_use);
    uses.extend(helper_use);
    let router = i.is_multiple_of(2);
    if router {
        let _ = write!(
            fields,
            "    /// The application; it starts once the router runs.\n    #[ecs(depends_on(container = \"router\", condition = \"START\"))]\n    pub app: {app},\n"
        );
    } else {
        let _ = write!(fields, "    /// The application.\n    pub app: {app},\n");
    }
    let _ = write!(
        fields,
        "    /// Its helper.\n    #[ecs(essential = false)]\n    pub helper: {helper},\n"
    );
    match i % 4 {
        0 => {
            uses.push(format!("use {dep}::LogRouter as Router;"));
            fields.push_str("    /// The shared log router.\n    pub router: Router,\n");
        }
        1 => {
            uses.push(format!("use {dep}::sidecars::metrics::*;"));
            fields.push_str("    /// The metrics agent.\n    pub metrics: MetricsAgent,\n");
        }
        2 => {
            let _ = write!(
                fields,
                "    /// The shared log router.\n    pub router: {dep}::sidecars::logging::LogRouter,\n"
            );
        }
        _ => {}
    }
    let role = if i.is_multiple_of(3) {
        format!(
            ",\n    task_role = \"arn:aws:iam::123456789012:role/svc-{c}-t{i}\",\n    tags(\"team\" = \"team-{}\", \"service\" = \"svc-{c}\")",
            c % 7
        )
    } else {
        String::new()
    };
    let body = format!(
        "/// Task definition {i} of service {c}.\n#[derive(TaskDefinition, Debug)]\n#[ecs(\n    family = \"svc-{c}-t{i}\",\n    fargate,\n    cpu = 1024,\n    memory = 2048,\n    region = \"us-east-1\",\n    execution_role = \"arn:aws:iam::123456789012:role/svc-{c}-execution\"{role}\n)]\npub struct Task{i} {{\n{fields}}}\n"
    );
    let mut out = String::new();
    for line in body.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    (out, uses)
}

fn task_file(c: usize, tasks: std::ops::Range<usize>, here: &str, size: Size) -> String {
    let mut body = String::new();
    let mut uses = vec!["use ecsdef::TaskDefinition;".to_owned()];
    for i in tasks {
        let (text, u) = task(c, i, here, size, "");
        body.push_str(&text);
        body.push('\n');
        for u in u {
            if !uses.contains(&u) {
                uses.push(u);
            }
        }
    }
    let mut out = format!(
        "//! The {here} task definitions of service {c}.\n\n{}\n\n{body}",
        uses.join("\n")
    );
    filler(&mut out, size, c * 100 + 50 + here.len());
    out
}

fn service_crate(w: &mut Writer, c: usize, size: Size) -> Result<(), String> {
    let dir = format!("crates/svc-{c}");
    let (s, dep) = shared_of(c, size);
    let dep_line = if dep == "sidecars_dep" {
        format!("sidecars_dep = {{ package = \"bench-shared-{s}\", path = \"../shared-{s}\" }}\n")
    } else {
        format!("bench-shared-{s} = {{ path = \"../shared-{s}\" }}\n")
    };
    w.file(
        &format!("{dir}/Cargo.toml"),
        &package_manifest(
            &format!("bench-svc-{c}"),
            &format!("ecsdef = {{ path = \"../ecsdef\" }}\n{dep_line}"),
            "default = [\"metrics\"]\nmetrics = []\ncanary = []\n",
        ),
        false,
    )?;

    // lib.rs: file modules, a `#[path]` module, an inline module with containers (one behind
    // a default feature), a module behind an off feature, a `#[cfg(test)]` module. The dense
    // layout has no `util` module and no tests: neither declares anything.
    let (util_mod, util_use) = if size.dense {
        ("", "")
    } else {
        ("mod util;\n", "pub use util::retry_delay_ms;\n\n")
    };
    let mut lib = format!(
        "//! Service {c}: its containers and task definitions.\n\npub mod services;\npub mod tasks;\n#[path = \"gen/settings_gen.rs\"]\npub mod settings;\n{util_mod}\n\
         #[cfg(feature = \"canary\")]\npub mod canary;\n\n{util_use}\
         /// Sidecars declared next to the crate root.\npub mod inline_sidecars {{\n    use ecsdef::Container;\n\n"
    );
    container(&mut lib, c, 18, "    ");
    lib.push_str("\n    #[cfg(feature = \"metrics\")]\n");
    container(&mut lib, c, 19, "    ");
    lib.push_str("}\n");
    if !size.dense {
        filler(&mut lib, size, c * 100 + 1);
        lib.push_str(
            "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn health_is_local() {\n        assert_eq!(Route",
        );
        let _ = write!(
            lib,
            "{}::pick(\"/health\", 99).label(), \"local\");\n    }}\n}}\n",
            c * 100 + 1
        );
    }
    w.file(&format!("{dir}/src/lib.rs"), &lib, true)?;

    let handlers_header = if size.dense {
        "//! Request handlers.\n\npub mod admin;\n"
    } else {
        "//! Request handlers.\n"
    };
    for (file, header) in [
        (
            "services/mod.rs",
            "//! The service's containers.\n\npub mod web;\npub mod worker;\n",
        ),
        (
            "services/web.rs",
            "//! The web tier (a non-mod-rs file: its child is in `web/`).\n\npub mod handlers;\n",
        ),
        ("services/web/handlers.rs", handlers_header),
        ("services/web/handlers/admin.rs", "//! Administration.\n"),
        (
            "services/worker/mod.rs",
            "//! Background workers.\n\npub mod jobs;\n",
        ),
        ("services/worker/jobs.rs", "//! Scheduled jobs.\n"),
        (
            "gen/settings_gen.rs",
            "//! Generated settings containers (reached through `#[path]`).\n",
        ),
    ] {
        if file.ends_with("admin.rs") && !size.dense {
            continue;
        }
        let text = container_file(c, file, header, size);
        w.file(&format!("{dir}/src/{file}"), &text, true)?;
    }

    if !size.dense {
        let mut util = String::from(
            "//! Helpers with no declarations.\n\n/// Exponential backoff, capped.\npub fn retry_delay_ms(attempt: u32) -> u64 {\n    100u64.saturating_mul(1u64 << attempt.min(10)).min(30_000)\n}\n",
        );
        filler(&mut util, size, c * 100 + 2);
        w.file(&format!("{dir}/src/util.rs"), &util, true)?;
    }

    // tasks.rs: file modules (`prod` and `staging`, and `edge` in the dense layout) and an
    // inline one.
    let task_files: &[(&str, std::ops::Range<usize>)] = if size.dense {
        &[("prod", 0..3), ("edge", 3..5), ("staging", 5..8)]
    } else {
        &[("prod", 0..5), ("staging", 5..8)]
    };
    let mut tasks = String::from("//! The service's task definitions.\n\n");
    for (here, _) in task_files {
        let _ = writeln!(tasks, "pub mod {here};");
    }
    tasks.push_str(
        "\n/// Batch jobs.\npub mod batch {\n    use crate::inline_sidecars::*;\n    use ecsdef::TaskDefinition;\n",
    );
    let mut batch_uses = Vec::new();
    let mut batch = String::new();
    for i in 8..TASKS {
        let (text, uses) = task(c, i, "batch", size, "    ");
        batch.push('\n');
        batch.push_str(&text);
        for u in uses {
            if !batch_uses.contains(&u) {
                batch_uses.push(u);
            }
        }
    }
    for u in &batch_uses {
        let _ = writeln!(tasks, "    {u}");
    }
    tasks.push_str(&batch);
    tasks.push_str("}\n");
    filler(&mut tasks, size, c * 100 + 3);
    w.file(&format!("{dir}/src/tasks.rs"), &tasks, true)?;
    for (here, range) in task_files {
        w.file(
            &format!("{dir}/src/tasks/{here}.rs"),
            &task_file(c, range.clone(), here, size),
            true,
        )?;
    }

    // Behind an off feature: never read by the export.
    w.file(
        &format!("{dir}/src/canary.rs"),
        &format!(
            "//! Canary tasks, only with `--features canary`.\nuse ecsdef::TaskDefinition;\nuse crate::services::Api0;\n\n\
             #[derive(TaskDefinition)]\n#[ecs(family = \"svc-{c}-canary\", fargate, cpu = 256, memory = 512, region = \"us-east-1\", execution_role = \"arn:aws:iam::123456789012:role/svc-{c}-execution\")]\npub struct Canary {{\n    pub app: Api0,\n}}\n"
        ),
        false,
    )?;
    // A binary declares nothing: none in the dense layout.
    if c.is_multiple_of(10) && !size.dense {
        w.file(
            &format!("{dir}/src/main.rs"),
            &format!(
                "//! The service's binary.\n\nfn main() {{\n    let delay = bench_svc_{c}::retry_delay_ms(3);\n    println!(\"retrying in {{delay}} ms\");\n}}\n"
            ),
            true,
        )?;
    }
    Ok(())
}

/// One timed run of a child process: wall time from here, CPU time and peak RSS from
/// `/usr/bin/time` (which reports the child and the children it waited for, such as `cargo
/// metadata` under the export).
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: u64,
}

fn timed(
    program: &Path,
    args: &[&str],
    dir: &Path,
    expect_success: bool,
) -> Result<(Sample, String), String> {
    let report = std::env::temp_dir().join(format!("ecsdef-bench-time-{}", std::process::id()));
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%U %S %M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time {}: {e}", program.display()))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if expect_success && !out.status.success() {
        return Err(format!(
            "`{} {}` failed:\n{stderr}",
            program.display(),
            args.join(" ")
        ));
    }
    let text =
        std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    let _ = std::fs::remove_file(&report);
    // With a non-zero exit, GNU time writes "Command exited with non-zero status N" first.
    let last = text.lines().last().unwrap_or_default();
    let fields: Vec<f64> = last
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [user, sys, rss] = fields[..] else {
        return Err(format!("unexpected /usr/bin/time output: {text:?}"));
    };
    Ok((
        Sample {
            wall,
            cpu: Duration::from_secs_f64(user + sys),
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "kilobytes"
            )]
            max_rss_kb: rss as u64,
        },
        stderr,
    ))
}

fn median_by<K: PartialOrd + Copy>(samples: &[Sample], key: impl Fn(&Sample) -> K) -> K {
    median(samples.iter().map(key).collect())
}

/// The middle value (the upper one of an even count). `values` is never empty: every measure
/// runs at least once.
fn median<K: PartialOrd + Copy>(mut values: Vec<K>) -> K {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

/// The median over the runs of each run's wall time against the same run's reference (the
/// floor's wall time, say, in seconds). The runs are interleaved, so a slow stretch of the
/// machine that spans one run slows both sides of its ratio: steadier than the ratio of the
/// medians when the machine's speed drifts.
fn paired_ratio(samples: &[Sample], reference: &[f64]) -> f64 {
    median(
        samples
            .iter()
            .zip(reference)
            .map(|(s, r)| s.wall.as_secs_f64() / r)
            .collect(),
    )
}

/// Each run's wall time, in seconds.
fn walls(samples: &[Sample]) -> Vec<f64> {
    samples.iter().map(|s| s.wall.as_secs_f64()).collect()
}

/// The large workspaces' verbs against the floor plus the `cargo metadata --no-deps` each verb
/// runs first (the dense workspace's target, BENCHMARKS.md): the ratio of the medians, and the
/// median of each run's ratio (see [`paired_ratio`]). Prints a Markdown table.
fn floor_with_metadata(
    workspaces: &[Workspace],
    definitions: usize,
    samples: &[Vec<Vec<Sample>>],
    at: impl Fn(&str) -> usize,
) {
    println!("\n| workspace | measure | / (floor + metadata --no-deps) | paired |");
    println!("| --- | --- | --- | --- |");
    for (workspace, samples) in workspaces.iter().zip(samples) {
        if !workspace.has_definitions(definitions) {
            continue;
        }
        let floor = &samples[at("floor")];
        let metadata = &samples[at("metadata --no-deps")];
        let reference: Vec<f64> = walls(floor)
            .iter()
            .zip(walls(metadata))
            .map(|(f, m)| f + m)
            .collect();
        let median_reference = Summary::of(floor).wall + Summary::of(metadata).wall;
        for measure in ["check", "re-export", "export"] {
            let runs = &samples[at(measure)];
            let paired = paired_ratio(runs, &reference);
            println!(
                "| {} | {measure} | {:.2} | {paired:.2} |",
                workspace.dir_name(),
                Summary::of(runs).wall / median_reference,
            );
        }
    }
}

/// Medians of one measure.
#[derive(Debug, Clone, Copy)]
struct Summary {
    wall: f64,
    cpu: f64,
    max_rss_mb: f64,
}

impl Summary {
    #[expect(clippy::cast_precision_loss, reason = "kilobytes to megabytes")]
    fn of(samples: &[Sample]) -> Self {
        Summary {
            wall: median_by(samples, |s| s.wall).as_secs_f64(),
            cpu: median_by(samples, |s| s.cpu).as_secs_f64(),
            max_rss_mb: samples.iter().map(|s| s.max_rss_kb).max().unwrap_or(0) as f64 / 1024.0,
        }
    }
}

/// What the driver needs to know where things are.
#[derive(Debug)]
pub struct Setup {
    /// The release `cargo-ecsdef`.
    pub ecsdef: PathBuf,
    /// The xtask binary itself, for the floor.
    pub xtask: PathBuf,
    /// The floor with mimalloc (`src/bin/bench-floor-mimalloc.rs`).
    pub floor_mimalloc: PathBuf,
    /// Where the workspaces are generated.
    pub dir: PathBuf,
    pub definitions: usize,
    pub runs: usize,
    /// Also count instructions (see [`instructions`]).
    pub instructions: bool,
}

const MEASURES: [&str; 14] = [
    "start",
    "metadata",
    "metadata --no-deps",
    "floor",
    "floor-mimalloc",
    "floor-1",
    "writes",
    "check",
    "export",
    "re-export",
    "metadata, built",
    "check, built",
    "export, built",
    "re-export, built",
];

/// The measures of the workspace's twin that has a `target/` folder, as after any `cargo
/// build`: there `cargo metadata` finds the rustc version and target information it cached in
/// `target/.rustc_info.json`, instead of asking rustc four times (about 70 ms of its 120 ms).
/// A fresh clone has no `target/`; a workspace a developer works in has one. (The export asks
/// for the whole graph only when the members alone cannot tell, which is not the case here:
/// `metadata --no-deps` is what it runs.)
fn is_built(measure: &str) -> bool {
    measure.ends_with(", built")
}

/// A workspace the driver measures.
#[derive(Debug, Clone, Copy)]
pub enum Workspace {
    /// A generated workspace of this size and layout.
    Sized(Size),
    /// One crate with one task definition of two containers: the fixed costs.
    One,
}

impl Workspace {
    /// Its folder under the benchmark's directory.
    pub fn dir_name(self) -> String {
        match self {
            Workspace::Sized(size) => size.dir_name(),
            Workspace::One => "one".to_owned(),
        }
    }

    /// Whether it is a generated workspace of `definitions` task definitions, the size the
    /// driver was asked for (d1000 and dense1000 for `--definitions 1000`): the workspaces
    /// whose ratios to floor + metadata and instruction counts are printed.
    fn has_definitions(self, definitions: usize) -> bool {
        matches!(self, Workspace::Sized(size) if size.definitions == definitions)
    }

    /// Packages, task definitions and containers.
    pub fn counts(self) -> (usize, usize, usize) {
        match self {
            Workspace::Sized(size) => (size.crates(), size.definitions, size.containers()),
            Workspace::One => (2, 1, 2),
        }
    }

    /// Writes the workspace into `root`.
    pub fn generate(self, root: &Path) -> Result<Generated, String> {
        match self {
            Workspace::Sized(size) => generate(root, size),
            Workspace::One => generate_one(root),
        }
    }
}

/// The workspace of one task definition: the `ecsdef` stub and one crate whose `lib.rs`
/// declares two containers and the task that runs them.
pub fn generate_one(root: &Path) -> Result<Generated, String> {
    let crates = root.join("crates");
    if crates.exists() {
        std::fs::remove_dir_all(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    }
    let mut w = Writer {
        root: root.to_owned(),
        files: Vec::new(),
    };
    w.file(
        "Cargo.toml",
        "# Generated by `cargo run --release -p xtask -- bench-export`: one task definition,\n\
         # for the fixed costs of `cargo ecsdef check`.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\"crates/ecsdef\", \"crates/svc\"]\n",
        false,
    )?;
    w.ecsdef_stub()?;
    w.file(
        "crates/svc/Cargo.toml",
        &package_manifest("bench-svc", "ecsdef = { path = \"../ecsdef\" }\n", ""),
        false,
    )?;
    let mut lib = String::from(
        "//! One service: two containers and the task that runs them.\n\nuse ecsdef::{Container, TaskDefinition};\n\n",
    );
    container(&mut lib, 0, 0, "");
    lib.push('\n');
    container(&mut lib, 0, 1, "");
    lib.push_str(
        "\n/// The service's task.\n#[derive(TaskDefinition, Debug)]\n#[ecs(\n    family = \"svc\",\n    fargate,\n    cpu = 1024,\n    memory = 2048,\n    region = \"us-east-1\",\n    execution_role = \"arn:aws:iam::123456789012:role/svc-execution\"\n)]\npub struct Task {\n    /// The application.\n    pub app: Api0,\n    /// Its helper.\n    #[ecs(essential = false)]\n    pub helper: Worker1,\n}\n",
    );
    w.file("crates/svc/src/lib.rs", &lib, true)?;
    w.finish()
}

/// The twin of `root` with a `target/` folder and rustc's answers cached in it.
fn built_twin(root: &Path, workspace: Workspace) -> Result<PathBuf, String> {
    let twin = beside(root, "-built");
    workspace.generate(&twin)?;
    let target = twin.join("target");
    std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(&twin)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !status.success() || !target.join(".rustc_info.json").is_file() {
        return Err(format!(
            "cargo metadata in {} did not cache rustc's answers in target/",
            twin.display()
        ));
    }
    Ok(twin)
}

/// Writes every dirty file back to disk (`sync`), so that no measure pays for an earlier
/// one's writes. A machine without `sync` measures as before.
fn settle_writeback() {
    let _ = Command::new("sync").status();
}

/// `writes` against the floor above which a run's exports measure the file system: 0.4-1.0
/// on a settled ext4, 3-10 within minutes of a mass deletion (BENCHMARKS.md).
const SLOW_WRITES: f64 = 2.0;

/// The folder beside the workspace `root` that holds the runs' out dirs: `ROOT-runs`.
fn runs_dir(root: &Path) -> PathBuf {
    beside(root, "-runs")
}

/// The path beside `root` named as it is with `suffix` added.
fn beside(root: &Path, suffix: &str) -> PathBuf {
    let mut name = root.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    root.with_file_name(name)
}

/// The workspaces of a run: `definitions / 10` and `definitions` task definitions in the
/// mixed layout, `definitions` in the dense one, and the one-definition workspace.
pub fn workspaces(definitions: usize) -> [Workspace; 4] {
    [
        Workspace::Sized(Size::new(definitions / 10)),
        Workspace::Sized(Size::new(definitions)),
        Workspace::Sized(Size::dense(definitions)),
        Workspace::One,
    ]
}

/// Generates the [`workspaces`], checks that the export succeeds on each and parses exactly
/// the generated list, then times every measure `runs` times, interleaved; prints a Markdown
/// table.
pub fn run(setup: &Setup) -> Result<(), String> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let workspaces = workspaces(setup.definitions);
    let mut generated = Vec::new();
    for workspace in workspaces {
        let root = setup.dir.join(workspace.dir_name());
        let g = workspace.generate(&root)?;
        let (crates, definitions, containers) = workspace.counts();
        eprintln!(
            "generated {}: {crates} crates, {definitions} task definitions, {containers} containers, {} files parsed",
            root.display(),
            g.files.len()
        );
        validate(setup, workspace, &g)?;
        let twin = built_twin(&g.root, workspace)?;
        generated.push((g, twin));
    }

    let threads_arg = threads.to_string();
    let mut samples = vec![vec![Vec::new(); MEASURES.len()]; workspaces.len()];
    // `out-validate`, the export `validate` checked, is what the measure `writes` copies: it
    // goes at the end.
    let remove_outs = |generated: &[(Generated, PathBuf)], validated: bool| {
        for (g, twin) in generated {
            if validated {
                let _ = std::fs::remove_dir_all(g.root.join("out-validate"));
            }
            let _ = std::fs::remove_dir_all(runs_dir(&g.root));
            let _ = std::fs::remove_dir_all(runs_dir(twin));
        }
    };
    // Left over from an interrupted run.
    remove_outs(&generated, false);
    for (g, twin) in &generated {
        for runs in [runs_dir(&g.root), runs_dir(twin)] {
            std::fs::create_dir(&runs).map_err(|e| format!("{}: {e}", runs.display()))?;
        }
    }
    for run in 0..setup.runs {
        eprintln!("run {}/{}", run + 1, setup.runs);
        for (k, (g, twin)) in generated.iter().enumerate() {
            let list = g.root.join("files.txt");
            let list = list.to_string_lossy();
            for (m, measure) in MEASURES.iter().enumerate() {
                let root = if is_built(measure) { twin } else { &g.root };
                let manifest = root.join("Cargo.toml");
                let manifest = manifest.to_string_lossy();
                // A new folder per run, all removed at the end: creating 2,000 files right
                // after removing 2,000 makes ext4 search for inodes that were not just freed
                // (`recently_deleted`), which costs seconds of system time on this disk and
                // measures the benchmark's own clean-up rather than the export. They go
                // beside the workspace, not in it: discovery lists the workspace's folders
                // (`prescan`), and by the last run it would list a score of the benchmark's
                // own folders of 2,000 files, where a user has one out dir (`out-validate`).
                let runs = runs_dir(root);
                let out_dir = runs.join(format!("out-{run}"));
                let out = out_dir.to_string_lossy();
                let validated = g.root.join("out-validate");
                let validated = validated.to_string_lossy();
                let writes_out = runs.join(format!("out-writes-{run}"));
                let writes_out = writes_out.to_string_lossy();
                let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
                let (program, args): (PathBuf, Vec<&str>) = match *measure {
                    // Process start, the parse of the command line, and exit.
                    "start" => (setup.ecsdef.clone(), vec!["ecsdef", "--version"]),
                    "metadata" | "metadata, built" => (
                        PathBuf::from(&cargo),
                        vec![
                            "metadata",
                            "--format-version",
                            "1",
                            "--manifest-path",
                            &manifest,
                        ],
                    ),
                    // What the export runs unless a declaration reaches outside the workspace.
                    "metadata --no-deps" => (
                        PathBuf::from(&cargo),
                        vec![
                            "metadata",
                            "--format-version",
                            "1",
                            "--no-deps",
                            "--manifest-path",
                            &manifest,
                        ],
                    ),
                    "floor" => (
                        setup.xtask.clone(),
                        vec!["bench-export-floor", &list, &threads_arg],
                    ),
                    "floor-mimalloc" => (setup.floor_mimalloc.clone(), vec![&list, &threads_arg]),
                    "floor-1" => (setup.xtask.clone(), vec!["bench-export-floor", &list, "1"]),
                    "writes" => (
                        setup.xtask.clone(),
                        vec!["bench-export-writes", &validated, &writes_out, &threads_arg],
                    ),
                    "check" | "check, built" => {
                        (setup.ecsdef.clone(), ecsdef_args(&manifest, None))
                    }
                    _ => (setup.ecsdef.clone(), ecsdef_args(&manifest, Some(&out))),
                };
                let program = which(&program);
                // The files the earlier measures wrote reach the disk first: the kernel
                // writes an export's 2,000 files back 30 s after (30-40 ms of its threads'
                // time), which would otherwise land in whichever measure runs then.
                settle_writeback();
                let (sample, _) = timed(&program, &args, root, true)?;
                samples[k][m].push(sample);
            }
        }
    }
    remove_outs(&generated, true);

    println!(
        "\n{threads} threads; medians of {} interleaved runs\n",
        setup.runs
    );
    println!(
        "| workspace | files | measure | wall | user+sys | (user+sys)/wall | max RSS | wall / floor | paired / floor | wall / floor-mimalloc | per definition |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let at = |name: &str| MEASURES.iter().position(|m| *m == name).unwrap_or(0);
    let mut per_definition = Vec::new();
    let mut slow_writes = Vec::new();
    for (k, workspace) in workspaces.iter().enumerate() {
        let (_, definitions, _) = workspace.counts();
        let s: Vec<Summary> = samples[k].iter().map(|v| Summary::of(v)).collect();
        let floor = s[at("floor")].wall;
        let floor_mimalloc = s[at("floor-mimalloc")].wall;
        for (m, measure) in MEASURES.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a count of definitions")]
            let per = s[m].wall / definitions as f64 * 1e3;
            let paired = paired_ratio(&samples[k][m], &walls(&samples[k][at("floor")]));
            println!(
                "| {} | {} | {measure} | {:.1} ms | {:.1} ms | {:.2} | {:.1} MB | {:.2} | {paired:.2} | {:.2} | {:.3} ms |",
                workspace.dir_name(),
                generated[k].0.files.len(),
                s[m].wall * 1e3,
                s[m].cpu * 1e3,
                s[m].cpu / s[m].wall,
                s[m].max_rss_mb,
                s[m].wall / floor,
                s[m].wall / floor_mimalloc,
                per,
            );
        }
        // Export without the `cargo metadata` it runs, against the floor; and the export into
        // a new folder without the files' creating too.
        let metadata = s[at("metadata --no-deps")].wall;
        let writes = s[at("writes")].wall - s[at("start")].wall;
        for (measure, label, rest) in [
            ("check", "check − metadata", metadata),
            ("export", "export − metadata", metadata),
            ("re-export", "re-export − metadata", metadata),
            ("export", "export − metadata − writes", metadata + writes),
        ] {
            let rest = s[at(measure)].wall - rest;
            println!(
                "| {} | | {label} | {:.1} ms | | | | {:.2} | | {:.2} | |",
                workspace.dir_name(),
                rest * 1e3,
                rest / floor,
                rest / floor_mimalloc
            );
        }
        #[expect(clippy::cast_precision_loss, reason = "a count of definitions")]
        per_definition.push(s[at("export")].wall / definitions as f64);
        // Creating the files costs about the floor (0.4-1.0x) unless ext4 is skipping inodes
        // freed in the last minutes (3-10x): then no export of the run is the export's.
        let writes = s[at("writes")].wall / floor;
        if workspace.has_definitions(setup.definitions) && writes > SLOW_WRITES {
            slow_writes.push(format!("{} {writes:.1}x", workspace.dir_name()));
        }
    }
    println!(
        "\nexport time per definition, {} vs {}: {:.2}x",
        workspaces[1].dir_name(),
        workspaces[0].dir_name(),
        per_definition[1] / per_definition[0]
    );
    if !slow_writes.is_empty() {
        let warning = format!(
            "warning: writes / floor: {} (0.4-1.0 on a settled file system): creating files \
             slowed every export of this run (ext4 reuses no inode freed in the last minutes); \
             run again six minutes after the last mass deletion (BENCHMARKS.md)",
            slow_writes.join(", ")
        );
        println!("\n{warning}");
        eprintln!("{warning}");
    }
    floor_with_metadata(&workspaces, setup.definitions, &samples, at);
    if setup.instructions {
        instructions(setup, &workspaces, &generated)?;
    }
    Ok(())
}

/// Instructions, which a loaded machine does not change: each measure of the two large
/// workspaces run once under `valgrind --tool=callgrind` (every thread of the process; not the
/// `cargo metadata` it starts), against the floor's. Prints a Markdown table.
fn instructions(
    setup: &Setup,
    workspaces: &[Workspace],
    generated: &[(Generated, PathBuf)],
) -> Result<(), String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .to_string();
    println!("\n| workspace | measure | instructions | / floor | / floor-mimalloc |");
    println!("| --- | --- | --- | --- | --- |");
    for (workspace, (g, _)) in workspaces.iter().zip(generated) {
        if !workspace.has_definitions(setup.definitions) {
            continue;
        }
        let list = g.root.join("files.txt").to_string_lossy().into_owned();
        let manifest = g.root.join("Cargo.toml").to_string_lossy().into_owned();
        let out = g.root.join("out-instructions");
        let _ = std::fs::remove_dir_all(&out);
        let out = out.to_string_lossy().into_owned();
        let xtask = setup.xtask.to_string_lossy().into_owned();
        let floor_mimalloc = setup.floor_mimalloc.to_string_lossy().into_owned();
        let ecsdef = setup.ecsdef.to_string_lossy().into_owned();
        let check = ecsdef_args(&manifest, None);
        let export = ecsdef_args(&manifest, Some(&out));
        let measures: [(&str, &str, &[&str]); 5] = [
            ("floor", &xtask, &["bench-export-floor", &list, &threads]),
            ("floor-mimalloc", &floor_mimalloc, &[&list, &threads]),
            ("check", &ecsdef, &check),
            ("export", &ecsdef, &export),
            ("re-export", &ecsdef, &export),
        ];
        let mut counts = Vec::new();
        for (name, program, args) in measures {
            let output = Command::new("valgrind")
                .args([
                    "--tool=callgrind",
                    "--callgrind-out-file=/dev/null",
                    program,
                ])
                .args(args)
                .current_dir(&g.root)
                .output()
                .map_err(|e| format!("cannot run valgrind: {e}"))?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            let collected = stderr
                .lines()
                .find_map(|line| line.split_once("Collected : ").map(|(_, n)| n.trim()))
                .and_then(|n| n.parse::<u64>().ok());
            match collected {
                Some(n) if output.status.success() => counts.push((name, n)),
                _ => return Err(format!("valgrind {program} {}:\n{stderr}", args.join(" "))),
            }
        }
        let _ = std::fs::remove_dir_all(&out);
        #[expect(clippy::cast_precision_loss, reason = "ratios of instruction counts")]
        let ratio = |n: u64, of: u64| n as f64 / of as f64;
        let (floor, floor_mimalloc) = (counts[0].1, counts[1].1);
        for (name, n) in counts {
            println!(
                "| {} | {name} | {:.3} G | {:.2} | {:.2} |",
                workspace.dir_name(),
                ratio(n, 1_000_000_000),
                ratio(n, floor),
                ratio(n, floor_mimalloc)
            );
        }
    }
    Ok(())
}

/// A program name found on `PATH`, for `/usr/bin/time`.
fn which(program: &Path) -> PathBuf {
    if program.components().count() > 1 {
        return program.to_owned();
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| program.to_owned())
}

/// The export must succeed, write two files per task definition, and parse exactly the
/// generated file list (its `Scanning` line counts them).
fn validate(setup: &Setup, workspace: Workspace, g: &Generated) -> Result<(), String> {
    // Removed with the runs' folders at the end, not now: see `run`.
    let out = g.root.join("out-validate");
    let _ = std::fs::remove_dir_all(&out);
    let manifest = g.root.join("Cargo.toml");
    let output = Command::new(&setup.ecsdef)
        .args(["ecsdef", "export", "--workspace", "--manifest-path"])
        .arg(&manifest)
        .arg("--out-dir")
        .arg(&out)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", setup.ecsdef.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("export of {} failed:\n{stderr}", g.root.display()));
    }
    let (crates, definitions, containers) = workspace.counts();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let scanning = format!(
        "{}: {} with {} and {}",
        plural(crates, "package", "packages"),
        plural(g.files.len(), "file", "files"),
        plural(definitions, "task definition", "task definitions"),
        plural(containers, "container", "containers"),
    );
    if !stderr.contains(&scanning) {
        return Err(format!(
            "export of {} did not report `{scanning}`:\n{stderr}",
            g.root.display()
        ));
    }
    let written = std::fs::read_dir(&out)
        .map_err(|e| format!("{}: {e}", out.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .count();
    if written != 2 * definitions {
        return Err(format!(
            "export of {} wrote {written} files, expected {}",
            g.root.display(),
            2 * definitions
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ecsdef-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// In the dense layout every file the export parses declares something (but the stub
    /// `ecsdef`), with nothing else around the declarations; the mixed layout has ordinary
    /// code. Either way the same size gives the same bytes.
    #[test]
    fn the_dense_layout_declares_in_every_file_and_is_deterministic() {
        let dense = Size::dense(20);
        let root = scratch("dense");
        let first = generate(&root, dense).unwrap();
        assert_eq!(
            first.files.len(),
            1 + 4 * dense.shared + 12 * dense.services
        );
        let read = |files: &[PathBuf]| -> Vec<String> {
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect()
        };
        let texts = read(&first.files);
        for (file, text) in first.files.iter().zip(&texts).skip(1) {
            assert!(
                text.contains("#[derive("),
                "{} declares nothing",
                file.display()
            );
            assert!(
                !text.contains("pub fn "),
                "{} has ordinary code",
                file.display()
            );
        }
        let again = generate(&root, dense).unwrap();
        assert_eq!(again.files, first.files);
        assert_eq!(read(&again.files), texts);

        let mixed_root = scratch("mixed");
        let mixed = generate(&mixed_root, Size::new(20)).unwrap();
        assert!(read(&mixed.files).iter().any(|t| t.contains("pub fn ")));
        let one_root = scratch("one");
        let one = generate_one(&one_root).unwrap();
        assert_eq!(one.files.len(), 2);
        for dir in [root, mixed_root, one_root] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}
