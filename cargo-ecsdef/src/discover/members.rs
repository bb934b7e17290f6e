//! The fast path of `metadata`: the workspace from `cargo metadata --no-deps`, the members,
//! their features and their dependencies on one another, without the dependency graph.
//!
//! Discovery reads the workspace's own packages, and a dependency from outside the workspace
//! only when a declaration names one. Asking cargo for the whole graph costs it a resolution of
//! every dependency and, in a workspace without `target/`, four runs of rustc to learn the host.
//! So discovery starts from the members, and computes what `--no-deps` leaves out the way
//! cargo's dependency resolver does, which is the view `cargo metadata` reports in
//! `resolve.nodes`:
//!
//! - a member's features: the union over every way it is activated. Each member is activated
//!   as a root (its default features, or all of them with `--all-features`, following its
//!   dev-dependencies too) and once per path dependency on it from an activated member (the
//!   features the dependency names or enables through `dep/feature`, plus its default features
//!   unless `default-features = false`). `dep?/feature` enables the dependency, as it does in
//!   the dependency resolver.
//! - a member's extern prelude: its enabled normal dependencies.
//!
//! Only the members can change a member's features, unless a package outside the workspace
//! depends on one. That takes a path dependency outside the workspace, or a `[patch]`,
//! `[replace]` or `paths` override. So this view is used only when:
//!
//! - the command line names no features and has no `--no-default-features`. Both apply to
//!   different packages depending on the resolver version and the current package (cargo's
//!   `members_with_features`). `--all-features` applies to every member either way.
//! - every path dependency of a member is a member;
//! - neither the root manifest nor a cargo configuration file sets `patch`, `replace` or
//!   `paths` (read line by line, not as TOML: a false alarm costs a second `cargo metadata`,
//!   nothing more);
//! - every `-p` names a member;
//! - the activations add up: a feature a dependency asks for exists, and so on.
//!
//! Otherwise discovery asks for the whole graph, and cargo has the last word, errors included.
//! A dependency from outside the workspace is a stand-in that names it without saying where its
//! sources are ([`Package::name_only`]). When a declaration reaches one, discovery starts over
//! with the whole graph (see `schedule::run`).
//!
//! The tests hold this view to the whole graph's ([`build`](super::metadata::build)): on
//! random workspaces with every feature construct, members-only features and extern preludes
//! must be cargo's; `schedule`'s tests compare whole discoveries both ways.
//!
//! ## Why keep it
//!
//! Measured 2026-12-05 (hyperfine, 20-30 runs, 2 cores, the floor of `bench-export` at 108 ms):
//! `cargo metadata` on the 111-crate benchmark workspace takes 23 ms with `--no-deps` against
//! 70 ms for the whole graph without `target/` (25 against 31 ms with one); on this repository,
//! whose members depend on registry crates, 16 against 87 ms (CPU 15 against 63 ms with
//! `target/`). End to end, `cargo ecsdef check` on the benchmark workspace takes 110 ms with this
//! view against 147 ms without it (108 against 114 ms with `target/`), and on this repository
//! 23 against 95 ms (74 ms with `target/`); a re-export of the benchmark workspace goes from 1.23x
//! to 1.53x the floor, over the 1.5x target. Those 35-70 ms per run are worth this module's
//! 400 lines and its tests; were cargo to answer the whole graph as fast, it should go.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;

use cargo_metadata::{DependencyKind, Metadata};

use super::DiscoverOptions;
use super::metadata::{
    Package, Workspace, exec, finish, is_ecsdef_package, is_library_kind, package_of, select,
};

/// The workspace from `cargo metadata --no-deps`, or `None` when the members alone may not give
/// cargo's answer (see the module documentation).
pub(crate) fn load(options: &DiscoverOptions) -> Option<Workspace> {
    if !command_line_allows(options) {
        return None;
    }
    let metadata = exec(options, true).ok()?;
    crate::timings::mark("cargo metadata answered (members)");
    let workspace = members_only(&metadata, options);
    if workspace.is_none() {
        crate::timings::mark("the members alone cannot tell: asking for the whole graph");
    }
    workspace
}

/// The workspace from `--no-deps` metadata: the members, with the features and extern
/// preludes cargo's resolver gives them, and stand-ins for the dependencies from outside;
/// `None` when the members alone may not give cargo's answer.
fn members_only(metadata: &Metadata, options: &DiscoverOptions) -> Option<Workspace> {
    let targets = member_targets(metadata)?;
    if overrides_possible(metadata.workspace_root.as_std_path()) {
        return None;
    }
    // A `-p` that names no member may name a dependency, which only the whole graph knows.
    let (selected, diagnostics) = select(metadata, options).ok()?;
    let resolved = resolve(metadata, &targets, options.all_features)?;

    let mut packages: Vec<Package> = Vec::new();
    // Stand-ins for the dependencies from outside, in the order they are met, after the
    // members; `outside` finds one by name.
    let mut stand_ins: Vec<&str> = Vec::new();
    let mut outside: HashMap<&str, usize> = HashMap::new();
    let members = metadata.packages.len();
    for (index, (package, resolved)) in metadata.packages.iter().zip(resolved).enumerate() {
        let mut externs = BTreeMap::new();
        for (d, dependency) in package.dependencies.iter().enumerate() {
            if !resolved.enabled[d] || dependency.kind != DependencyKind::Normal {
                continue;
            }
            let (name, package) = match targets[index][d] {
                Some(member) => match library_of(&metadata.packages[member]) {
                    Some(library) => (extern_name(dependency, Some(&library)), member),
                    None => continue,
                },
                None => {
                    let name = dependency.name.as_str();
                    let stand_in = *outside.entry(name).or_insert_with(|| {
                        stand_ins.push(name);
                        members + stand_ins.len() - 1
                    });
                    (extern_name(dependency, None), stand_in)
                }
            };
            // A stand-in's crate name is a guess (its library may be called otherwise): when
            // it meets another dependency's, only cargo can tell which is which.
            if externs
                .insert(name, package)
                .is_some_and(|previous| previous != package)
            {
                return None;
            }
        }
        packages.push(package_of(
            package,
            resolved.features,
            externs,
            selected.contains(&index),
        ));
    }
    packages.extend(stand_ins.into_iter().map(outside_package));
    Some(finish(metadata, packages, &selected, diagnostics, true))
}

/// The library target's crate name.
fn library_of(package: &cargo_metadata::Package) -> Option<String> {
    package
        .targets
        .iter()
        .find(|target| target.kind.iter().any(is_library_kind))
        .map(|target| target.name.replace('-', "_"))
}

/// Whether the command line allows the members-only view (see the module documentation).
fn command_line_allows(options: &DiscoverOptions) -> bool {
    options.features.is_empty() && !options.no_default_features
}

/// Whether something outside the members could depend on one of them through an override:
/// `patch`, `replace` or `paths` set in the root manifest or in a cargo configuration file that
/// cargo would read (above the current directory, above the workspace, and `$CARGO_HOME`).
fn overrides_possible(workspace_root: &Path) -> bool {
    let mut files = vec![workspace_root.join("Cargo.toml")];
    let mut config_dirs: Vec<std::path::PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        config_dirs.extend(cwd.ancestors().map(|dir| dir.join(".cargo")));
    }
    config_dirs.extend(workspace_root.ancestors().map(|dir| dir.join(".cargo")));
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        config_dirs.push(home.into());
    } else if let Some(home) = std::env::var_os("HOME") {
        config_dirs.push(Path::new(&home).join(".cargo"));
    }
    for dir in config_dirs {
        files.push(dir.join("config.toml"));
        files.push(dir.join("config"));
    }
    files
        .iter()
        .any(|file| match super::source::read_input(file) {
            Ok(text) => sets_override(&text),
            Err(super::source::ReadError::Io(error))
                if error.kind() == std::io::ErrorKind::NotFound =>
            {
                false
            }
            // A file that exists but cannot be read (a FIFO, which is never opened, included)
            // is cargo's to report: the whole graph is asked for.
            Err(_) => true,
        })
}

/// Whether a manifest or a configuration file may set `patch`, `replace` or `paths`: a table
/// header that starts with one of them (`[patch.crates-io]`, `[replace]`), or a key that starts
/// with one of them before the first header (`patch.crates-io.serde = ...`, `paths = [...]`).
/// It reads lines, not TOML: a line it cannot place (inside a multi-line string, say) errs
/// towards "may", which costs a second `cargo metadata`, nothing more. A word search was
/// wrong about one published manifest in ten (an example named `paths`, cargo-release's
/// `replace` keys).
fn sets_override(text: &str) -> bool {
    let names = |key: &str, ends: &[char]| {
        ["patch", "replace", "paths"].iter().any(|name| {
            key.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(ends))
        })
    };
    let mut at_root = true;
    for line in text.lines() {
        let line: String = line
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\''))
            .collect();
        if line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if names(header.trim_start_matches('['), &['.', ']']) {
                return true;
            }
            at_root = false;
        } else if at_root && names(&line, &['.', '=']) {
            return true;
        }
    }
    false
}

/// What the dependency resolver decides for each member.
#[derive(Debug)]
struct Resolved {
    pub features: BTreeSet<String>,
    /// Per entry of the package's `dependencies`: whether some activation enables it.
    pub enabled: Vec<bool>,
}

/// The member each dependency of each member is, when it is one (a path dependency on its
/// directory). `None` when some path dependency is not a member.
fn member_targets(metadata: &Metadata) -> Option<Vec<Vec<Option<usize>>>> {
    let by_dir: HashMap<&Path, usize> = metadata
        .packages
        .iter()
        .enumerate()
        .filter_map(|(index, package)| Some((package.manifest_path.parent()?.as_std_path(), index)))
        .collect();
    metadata
        .packages
        .iter()
        .map(|package| {
            package
                .dependencies
                .iter()
                .map(|dependency| match &dependency.path {
                    Some(path) => by_dir.get(path.as_std_path()).copied().map(Some),
                    None => Some(None),
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect()
}

/// One way a member is activated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Activation {
    package: usize,
    features: BTreeSet<String>,
    default_features: bool,
    /// As a workspace member in its own right, rather than as someone's dependency.
    root: bool,
}

/// The features, and the dependencies enabled, of every member; `None` when an activation does
/// not add up (cargo reports why).
fn resolve(
    metadata: &Metadata,
    targets: &[Vec<Option<usize>>],
    all_features: bool,
) -> Option<Vec<Resolved>> {
    let packages = &metadata.packages;
    let mut resolved: Vec<Resolved> = packages
        .iter()
        .map(|package| Resolved {
            features: BTreeSet::new(),
            enabled: vec![false; package.dependencies.len()],
        })
        .collect();
    let mut queue: VecDeque<Activation> = (0..packages.len())
        .map(|package| Activation {
            package,
            features: BTreeSet::new(),
            default_features: true,
            root: true,
        })
        .collect();
    let mut seen = HashSet::new();
    while let Some(activation) = queue.pop_front() {
        if !seen.insert(activation.clone()) {
            continue;
        }
        let package = &packages[activation.package];
        let mut requirements = Requirements {
            package,
            features: BTreeSet::new(),
            dependencies: BTreeMap::new(),
        };
        if activation.root && all_features {
            for feature in package.features.keys() {
                requirements.feature(feature)?;
            }
        } else {
            for feature in &activation.features {
                requirements.feature(feature)?;
            }
            if activation.default_features && package.features.contains_key("default") {
                requirements.feature("default")?;
            }
        }
        let mut valid = HashSet::new();
        for (index, dependency) in package.dependencies.iter().enumerate() {
            if dependency.kind == DependencyKind::Development && !activation.root {
                continue;
            }
            let name = name_in_toml(dependency);
            let asked = requirements.dependencies.get(name);
            if dependency.optional && asked.is_none() {
                continue;
            }
            valid.insert(name);
            resolved[activation.package].enabled[index] = true;
            if let Some(member) = targets[activation.package][index] {
                let mut features = asked.cloned().unwrap_or_default();
                features.extend(dependency.features.iter().cloned());
                queue.push_back(Activation {
                    package: member,
                    features,
                    default_features: dependency.uses_default_features,
                    root: false,
                });
            }
        }
        // `dep/feature` for a dependency a member does not have: cargo's error. (As someone's
        // dependency, a member's `dev/feature` names a dev-dependency that is not followed.)
        if activation.root
            && requirements
                .dependencies
                .keys()
                .any(|name| !valid.contains(name))
        {
            return None;
        }
        resolved[activation.package]
            .features
            .extend(requirements.features.into_iter().map(str::to_owned));
    }
    Some(resolved)
}

fn name_in_toml(dependency: &cargo_metadata::Dependency) -> &str {
    dependency.rename.as_deref().unwrap_or(&dependency.name)
}

/// The features one activation enables, and what it asks of each dependency (cargo's
/// `Requirements`).
struct Requirements<'a> {
    package: &'a cargo_metadata::Package,
    features: BTreeSet<&'a str>,
    dependencies: BTreeMap<&'a str, BTreeSet<String>>,
}

impl Requirements<'_> {
    /// `None` for a feature the package does not have, or one that names itself.
    fn feature(&mut self, name: &str) -> Option<()> {
        let (name, values) = self.package.features.get_key_value(name)?;
        if !self.features.insert(name) {
            return Some(());
        }
        for value in values {
            if let Some(dependency) = value.strip_prefix("dep:") {
                self.dependencies.entry(dependency).or_default();
            } else if let Some((dependency, feature)) = value.split_once('/') {
                let (dependency, weak) = match dependency.strip_suffix('?') {
                    Some(dependency) => (dependency, true),
                    None => (dependency, false),
                };
                // `dep/feature` on an optional dependency also enables the feature of that
                // name, when the dependency has one (no `dep:` anywhere).
                if !weak
                    && self.package.features.contains_key(dependency)
                    && self
                        .package
                        .dependencies
                        .iter()
                        .any(|d| d.optional && name_in_toml(d) == dependency)
                {
                    self.feature(dependency)?;
                }
                self.dependencies
                    .entry(dependency)
                    .or_default()
                    .insert(feature.to_owned());
            } else {
                if value == name {
                    return None;
                }
                self.feature(value)?;
            }
        }
        Some(())
    }
}

/// The crate name a dependency is known by in the code: its rename, or the library's name.
fn extern_name(dependency: &cargo_metadata::Dependency, library: Option<&str>) -> String {
    match (&dependency.rename, library) {
        (Some(rename), _) => rename.replace('-', "_"),
        (None, Some(library)) => library.to_owned(),
        (None, None) => dependency.name.replace('-', "_"),
    }
}

/// A dependency from outside the workspace, known by name only.
fn outside_package(name: &str) -> Package {
    Package {
        name: name.to_owned(),
        id: format!("{name} (outside the workspace)"),
        manifest_path: std::path::PathBuf::new(),
        features: BTreeSet::new(),
        lib: None,
        bins: Vec::new(),
        externs: BTreeMap::new(),
        is_proc_macro: false,
        selected: false,
        name_only: !is_ecsdef_package(name),
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::super::metadata::build;
    use super::*;

    /// xorshift64: deterministic, so a failing seed can be replayed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
    }

    struct Edge {
        to: usize,
        name: String,
        table: &'static str,
        optional: bool,
    }

    /// A workspace of path dependencies between members, with every feature construct the
    /// dependency resolver knows: defaults, `default-features = false`, features asked of a
    /// dependency, optional dependencies with and without `dep:`, `dep/feature` and
    /// `dep?/feature`, renames, build, dev and platform dependencies, libraries named
    /// otherwise. Returns the manifests by directory.
    fn workspace(seed: u64) -> Vec<(String, String)> {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let n = 3 + rng.below(4);
        let feature_counts: Vec<usize> = (0..n).map(|_| rng.below(4)).collect();
        // Every third workspace has a root package (member 0, in the root folder) rather
        // than a virtual manifest.
        let root_package = seed.is_multiple_of(3);
        let dir = |i: usize| {
            if root_package && i == 0 {
                String::new()
            } else {
                format!("m{i}/")
            }
        };
        let header = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            (usize::from(root_package)..n)
                .map(|i| format!("\"m{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut files = Vec::new();
        if !root_package {
            files.push(("Cargo.toml".to_owned(), header.clone()));
        }
        for i in 0..n {
            let mut edges: Vec<Edge> = Vec::new();
            for to in 0..n {
                let name = if rng.chance(25) {
                    format!("r-{to}")
                } else {
                    format!("m{to}")
                };
                // Normal and build dependencies must not form a cycle; dev ones may.
                if to < i && rng.chance(60) {
                    let table = match rng.below(10) {
                        0 => "build-dependencies",
                        1 => "target.'cfg(windows)'.dependencies",
                        _ => "dependencies",
                    };
                    let optional = rng.chance(40);
                    edges.push(Edge {
                        to,
                        name: name.clone(),
                        table,
                        optional,
                    });
                }
                if to != i && rng.chance(20) {
                    edges.push(Edge {
                        to,
                        name,
                        table: "dev-dependencies",
                        optional: false,
                    });
                }
            }
            let own: Vec<String> = (0..feature_counts[i]).map(|f| format!("f{f}")).collect();
            let dep_syntax: Vec<bool> = edges.iter().map(|_| rng.chance(50)).collect();
            let mut manifest =
                format!("[package]\nname = \"m{i}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
            if rng.chance(20) {
                let _ = write!(
                    manifest,
                    "\n[lib]\nname = \"lib_{i}\"\npath = \"src/lib.rs\"\n"
                );
            }
            let mut features = String::new();
            // `dep/feature` may name a dev-dependency too: it applies when the member is
            // activated as a root, not as someone's dependency.
            let usable: Vec<usize> = (0..edges.len()).collect();
            let mut uses_dep_syntax = vec![false; edges.len()];
            for (f, name) in own.iter().enumerate() {
                let mut values = Vec::new();
                for _ in 0..rng.below(3) {
                    let choice = rng.below(4);
                    if choice == 0 && f > 0 {
                        values.push(format!("f{}", rng.below(f)));
                    } else if !usable.is_empty() {
                        let e = usable[rng.below(usable.len())];
                        let edge = &edges[e];
                        let target_features = feature_counts[edge.to];
                        if choice == 1 && edge.optional {
                            if dep_syntax[e] {
                                uses_dep_syntax[e] = true;
                                values.push(format!("dep:{}", edge.name));
                            } else {
                                values.push(edge.name.clone());
                            }
                        } else if target_features > 0 {
                            let weak = if edge.optional && rng.chance(50) {
                                "?"
                            } else {
                                ""
                            };
                            let feature = rng.below(target_features);
                            values.push(format!("{}{weak}/f{feature}", edge.name));
                        }
                    }
                }
                let _ = writeln!(
                    features,
                    "{name} = [{}]",
                    values
                        .iter()
                        .map(|v| format!("\"{v}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            for (e, edge) in edges.iter().enumerate() {
                if edge.optional && dep_syntax[e] && !uses_dep_syntax[e] {
                    uses_dep_syntax[e] = true;
                    let _ = writeln!(features, "with-{e} = [\"dep:{}\"]", edge.name);
                }
            }
            // A plain optional-dependency name is only valid without `dep:` for it anywhere.
            for (e, edge) in edges.iter().enumerate() {
                if uses_dep_syntax[e] {
                    features = features.replace(&format!("\"{}\"", edge.name), "\"f0\"");
                }
            }
            if !own.is_empty() && rng.chance(60) {
                let picked: Vec<String> = own
                    .iter()
                    .filter(|_| rng.chance(50))
                    .map(|f| format!("\"{f}\""))
                    .collect();
                let _ = writeln!(features, "default = [{}]", picked.join(", "));
            }
            let mut tables: BTreeMap<&str, String> = BTreeMap::new();
            for edge in &edges {
                let path = match (dir(i).is_empty(), dir(edge.to).is_empty()) {
                    (true, _) => format!("m{}", edge.to),
                    (false, true) => "..".to_owned(),
                    (false, false) => format!("../m{}", edge.to),
                };
                let mut spec = format!("path = \"{path}\"");
                if edge.name != format!("m{}", edge.to) {
                    let _ = write!(spec, ", package = \"m{}\"", edge.to);
                }
                if edge.optional {
                    spec.push_str(", optional = true");
                }
                if rng.chance(30) {
                    spec.push_str(", default-features = false");
                }
                let asked: Vec<String> = (0..feature_counts[edge.to])
                    .filter(|_| rng.chance(40))
                    .map(|f| format!("\"f{f}\""))
                    .collect();
                if !asked.is_empty() {
                    let _ = write!(spec, ", features = [{}]", asked.join(", "));
                }
                let _ = writeln!(
                    tables.entry(edge.table).or_default(),
                    "{} = {{ {spec} }}",
                    edge.name
                );
            }
            for (table, entries) in tables {
                let _ = write!(manifest, "\n[{table}]\n{entries}");
            }
            if !features.is_empty() {
                let _ = write!(manifest, "\n[features]\n{features}");
            }
            if dir(i).is_empty() {
                manifest = format!("{header}\n{manifest}");
            }
            files.push((format!("{}Cargo.toml", dir(i)), manifest));
            files.push((format!("{}src/lib.rs", dir(i)), String::new()));
        }
        files
    }

    /// What discovery reads of a workspace: each package's name, features, and extern prelude
    /// as crate name -> package name.
    type View = Vec<(String, Vec<String>, Vec<(String, String)>)>;

    fn view(workspace: &Workspace) -> View {
        let mut view: Vec<_> = workspace
            .packages
            .iter()
            .filter(|package| !package.name_only)
            .map(|package| {
                (
                    package.name.clone(),
                    package.features.iter().cloned().collect(),
                    package
                        .externs
                        .iter()
                        .map(|(name, &dep)| (name.clone(), workspace.packages[dep].name.clone()))
                        .collect(),
                )
            })
            .collect();
        view.sort();
        view
    }

    fn compare(seeds: std::ops::Range<u64>, all_features: bool) {
        let base = std::env::temp_dir().join(format!(
            "ecsdef-members-{}-{all_features}",
            std::process::id()
        ));
        let mut compared = 0;
        let seeds_len = seeds.end - seeds.start;
        for seed in seeds {
            let root = base.join(seed.to_string());
            for (path, text) in workspace(seed) {
                let path = root.join(path);
                std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
                std::fs::write(&path, text).expect("write");
            }
            let options = DiscoverOptions {
                manifest_path: Some(root.join("Cargo.toml")),
                workspace: true,
                all_features,
                ..DiscoverOptions::default()
            };
            let Ok(full) = exec(&options, false) else {
                // Cargo rejects the workspace (the generator's mistake, not ours): nothing
                // to compare.
                continue;
            };
            let (selected, diagnostics) = select(&full, &options).expect("selects");
            let expected = build(&full, &selected, diagnostics);
            let no_deps = exec(&options, true).expect("cargo metadata --no-deps");
            let actual = members_only(&no_deps, &options)
                .unwrap_or_else(|| panic!("seed {seed}: the members-only view gave up"));
            assert_eq!(
                view(&actual),
                view(&expected),
                "seed {seed} (all features: {all_features}), in {}",
                root.display()
            );
            compared += 1;
        }
        let _ = std::fs::remove_dir_all(&base);
        assert!(
            compared * 4 >= seeds_len * 3,
            "only {compared} workspaces were valid"
        );
    }

    #[test]
    fn the_members_alone_give_cargos_features_and_externs() {
        compare(0..48, false);
    }

    #[test]
    fn the_members_alone_give_cargos_features_and_externs_with_all_features() {
        compare(48..64, true);
    }

    fn write_workspace(root: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
    }

    /// Registry dependencies need no resolution (nor network) in the members-only view: they
    /// are stand-ins known by name, `ecsdef` under whatever name it is imported as.
    #[test]
    fn dependencies_outside_the_workspace_are_stand_ins() {
        let root = std::env::temp_dir().join(format!("ecsdef-stand-ins-{}", std::process::id()));
        write_workspace(
            &root,
            &[
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"app\", \"core-lib\"]\nresolver = \"2\"\n",
                ),
                (
                    "app/Cargo.toml",
                    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                     [dependencies]\ncore-lib = { path = \"../core-lib\" }\nserde = \"1\"\n\
                     e = { package = \"ecsdef\", version = \"0.1\" }\nmy-macros = \"0.2\"\n\
                     tokio = { version = \"1\", optional = true }\n\n\
                     [dev-dependencies]\ninsta = \"1\"\n",
                ),
                ("app/src/lib.rs", ""),
                (
                    "core-lib/Cargo.toml",
                    "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                ),
                ("core-lib/src/lib.rs", ""),
            ],
        );
        let options = DiscoverOptions {
            manifest_path: Some(root.join("Cargo.toml")),
            ..DiscoverOptions::default()
        };
        let metadata = exec(&options, true).expect("cargo metadata --no-deps");
        let workspace = members_only(&metadata, &options).expect("the members alone decide");
        assert!(workspace.members_only);
        let app = workspace
            .packages
            .iter()
            .find(|package| package.name == "app")
            .expect("app");
        let externs: Vec<(&str, &str, bool)> = app
            .externs
            .iter()
            .map(|(name, &dep)| {
                let dep = &workspace.packages[dep];
                (name.as_str(), dep.name.as_str(), dep.name_only)
            })
            .collect();
        assert_eq!(
            externs,
            [
                ("core_lib", "core-lib", false),
                ("e", "ecsdef", false),
                ("my_macros", "my-macros", true),
                ("serde", "serde", true),
            ]
        );
        assert!(
            workspace
                .packages
                .iter()
                .filter(|package| package.name_only)
                .all(|package| package.lib.is_none() && !package.selected)
        );

        // A dependency from outside whose guessed crate name is a member's: only cargo can
        // tell which the code means.
        let app = std::fs::read_to_string(root.join("app/Cargo.toml")).expect("read");
        write_workspace(
            &root,
            &[(
                "app/Cargo.toml",
                &app.replace("serde = \"1\"", "serde = \"1\"\ncore_lib = \"0.3\""),
            )],
        );
        let metadata = exec(&options, true).expect("cargo metadata --no-deps");
        assert!(members_only(&metadata, &options).is_none());
        write_workspace(&root, &[("app/Cargo.toml", &app)]);

        // A path dependency outside the workspace could depend on a member; a `[patch]` could
        // make a registry package one. Either way only cargo's resolution can tell.
        let nearby = std::env::temp_dir().join(format!("ecsdef-nearby-{}", std::process::id()));
        write_workspace(
            &nearby,
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"nearby\"\nversion = \"0.1.0\"\n",
                ),
                ("src/lib.rs", ""),
            ],
        );
        let manifest = format!(
            "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nnearby = {{ path = {:?} }}\n",
            nearby.display().to_string()
        );
        write_workspace(&root, &[("core-lib/Cargo.toml", &manifest)]);
        let metadata = exec(&options, true).expect("cargo metadata --no-deps");
        assert!(members_only(&metadata, &options).is_none());
        write_workspace(
            &root,
            &[
                (
                    "core-lib/Cargo.toml",
                    "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                ),
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"app\", \"core-lib\"]\nresolver = \"2\"\n\n\
                     [patch.crates-io]\nserde = { path = \"core-lib\" }\n",
                ),
            ],
        );
        let metadata = exec(&options, true).expect("cargo metadata --no-deps");
        assert!(members_only(&metadata, &options).is_none());
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&nearby);
    }

    /// A source replacement (vendoring, a mirror) changes where packages come from, not which
    /// they are; a `[patch]`, `[replace]` or `paths` override may make a member a dependency of
    /// a package from outside.
    #[test]
    fn only_overrides_that_can_reach_a_member_count() {
        let root = std::env::temp_dir().join(format!("ecsdef-overrides-{}", std::process::id()));
        std::fs::create_dir_all(root.join(".cargo")).expect("mkdir");
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("write");
        let config = root.join(".cargo/config.toml");
        std::fs::write(
            &config,
            "[source.crates-io]\nreplace-with = \"vendored\"\n\n[source.vendored]\ndirectory = \"vendor\"\n",
        )
        .expect("write");
        assert!(!overrides_possible(&root));
        std::fs::write(&config, "paths = [\"../serde\"]\n").expect("write");
        assert!(overrides_possible(&root));
        std::fs::remove_file(&config).expect("remove");
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = []\n\n[patch.crates-io]\nserde = { path = \"serde\" }\n",
        )
        .expect("write");
        assert!(overrides_possible(&root));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn overrides_are_told_by_where_the_key_stands() {
        for text in [
            "[patch.crates-io]\nserde = { path = \"serde\" }\n",
            "[ patch . \"crates-io\" ]\nserde = { path = \"serde\" }\n",
            "[patch]\ncrates-io = { serde = { path = \"serde\" } }\n",
            "[replace]\n\"serde:1.0.0\" = { path = \"serde\" }\n",
            "paths = [\"../serde\"]\n",
            "patch.crates-io.serde = { path = \"serde\" }\n[workspace]\n",
            "patch = { crates-io = { serde = { path = \"serde\" } } }\n",
            "# a comment\n\n  replace.\"serde:1.0.0\".path = \"serde\"\n",
        ] {
            assert!(sets_override(text), "{text}");
        }
        for text in [
            "[source.crates-io]\nreplace-with = \"vendored\"\n",
            "[[example]]\nname = \"paths\"\npath = \"examples/paths.rs\"\n",
            "[package]\nname = \"x\"\n\n[[package.metadata.release.pre-release-replacements]]\nsearch = \"Unreleased\"\nreplace = \"{{version}}\"\n",
            "[workspace.metadata.patch]\nnote = \"none\"\n",
            "# [patch.crates-io]\n",
            "[package]\ndescription = \"patches paths\"\n",
        ] {
            assert!(!sets_override(text), "{text}");
        }
    }
}
