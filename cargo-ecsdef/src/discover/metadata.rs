//! The workspace as `cargo metadata` describes it, and package selection as cargo does it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand};

use super::members;
use super::{Diagnostic, DiagnosticKind, DiscoverError, DiscoverOptions, Severity, TargetKind};

/// Every package of the metadata (selected or not), indexed by position.
#[derive(Debug)]
pub(crate) struct Workspace {
    pub root: PathBuf,
    pub packages: Vec<Package>,
    /// Indexes into `packages`, sorted by name.
    pub selected: Vec<usize>,
    /// Problems of the command line that do not stop discovery.
    pub diagnostics: Vec<Diagnostic>,
    /// From `cargo metadata --no-deps`: the members, and stand-ins for the dependencies from
    /// outside the workspace (see `members`).
    pub members_only: bool,
}

#[derive(Debug)]
pub(crate) struct Package {
    pub name: String,
    pub id: String,
    pub manifest_path: PathBuf,
    /// The features cargo resolved for this package (after unification).
    pub features: BTreeSet<String>,
    pub lib: Option<TargetRoot>,
    pub bins: Vec<TargetRoot>,
    /// The library's extern prelude: normal dependencies by the name the code uses for them
    /// (after a `package = "..."` rename), each an index into `Workspace::packages`.
    pub externs: BTreeMap<String, usize>,
    pub is_proc_macro: bool,
    pub selected: bool,
    /// A dependency from outside the workspace in the members-only view, known by its name
    /// alone: whether it is a proc-macro crate, and where its sources are, is not known. (The
    /// stand-in for `ecsdef` is not: its derives are ecsdef's.)
    pub name_only: bool,
}

/// How much of the graph to ask cargo for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The members alone, when that gives the same answer (see `members`); else everything.
    Members,
    /// The whole dependency graph.
    Everything,
}

#[derive(Debug, Clone)]
pub(crate) struct TargetRoot {
    pub name: String,
    pub kind: TargetKind,
    pub root: PathBuf,
}

/// The packages whose derives are ecsdef's own: the runtime crate and the derive crate.
pub(crate) fn is_ecsdef_package(name: &str) -> bool {
    name == "ecsdef" || name == "ecsdef-macros"
}

pub(crate) fn load(options: &DiscoverOptions, scope: Scope) -> Result<Workspace, DiscoverError> {
    if scope == Scope::Members
        && members::command_line_allows(options)
        && let Ok(metadata) = exec(options, true)
    {
        crate::timings::mark("cargo metadata answered (members)");
        if let Some(workspace) = members_only(&metadata, options) {
            return Ok(workspace);
        }
        crate::timings::mark("the members alone cannot tell: asking for the whole graph");
    }
    let metadata = exec(options, false)?;
    crate::timings::mark("cargo metadata answered");
    let (selected, diagnostics) = select(&metadata, options)?;
    Ok(build(&metadata, &selected, diagnostics))
}

fn exec(options: &DiscoverOptions, no_deps: bool) -> Result<Metadata, DiscoverError> {
    let mut command = MetadataCommand::new();
    if let Some(path) = &options.manifest_path {
        command.manifest_path(path);
    }
    if no_deps {
        command.no_deps();
    }
    // Passed as raw flags, exactly as the user gave them: cargo parses `a,b`, `a b` and
    // `member/feature`, and accepts `--all-features` together with `--no-default-features`.
    let mut flags = Vec::new();
    if !options.features.is_empty() {
        flags.push("--features".to_owned());
        flags.push(options.features.join(","));
    }
    if options.all_features {
        flags.push("--all-features".to_owned());
    }
    if options.no_default_features {
        flags.push("--no-default-features".to_owned());
    }
    command.other_options(flags);
    command.exec().map_err(|error| match error {
        cargo_metadata::Error::CargoMetadata { stderr } => DiscoverError::Metadata(stderr),
        other => DiscoverError::Metadata(other.to_string()),
    })
}

/// The workspace from `--no-deps` metadata, or `None` when the members alone may not give
/// cargo's answer (see `members`).
fn members_only(metadata: &Metadata, options: &DiscoverOptions) -> Option<Workspace> {
    let targets = members::member_targets(metadata)?;
    if members::overrides_possible(metadata.workspace_root.as_std_path()) {
        return None;
    }
    // A `-p` that names no member may name a dependency, which only the whole graph knows.
    let (selected, diagnostics) = select(metadata, options).ok()?;
    let resolved = members::resolve(metadata, &targets, options.all_features)?;

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
                    Some(library) => (members::extern_name(dependency, Some(&library)), member),
                    None => continue,
                },
                None => {
                    let name = dependency.name.as_str();
                    let stand_in = *outside.entry(name).or_insert_with(|| {
                        stand_ins.push(name);
                        members + stand_ins.len() - 1
                    });
                    (members::extern_name(dependency, None), stand_in)
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
    packages.extend(stand_ins.into_iter().map(members::outside_package));
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

fn is_library_kind(kind: &cargo_metadata::TargetKind) -> bool {
    use cargo_metadata::TargetKind as K;
    matches!(
        kind,
        K::Lib | K::RLib | K::DyLib | K::CDyLib | K::StaticLib | K::ProcMacro
    )
}

fn build(metadata: &Metadata, selected: &[usize], diagnostics: Vec<Diagnostic>) -> Workspace {
    let index_of: HashMap<&str, usize> = metadata
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| (package.id.repr.as_str(), index))
        .collect();
    let nodes: HashMap<&str, &cargo_metadata::Node> = metadata
        .resolve
        .iter()
        .flat_map(|resolve| &resolve.nodes)
        .map(|node| (node.id.repr.as_str(), node))
        .collect();

    let packages: Vec<Package> = metadata
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            let node = nodes.get(package.id.repr.as_str());
            let features: BTreeSet<String> = node
                .map(|node| node.features.iter().map(ToString::to_string).collect())
                .unwrap_or_default();
            let externs = node
                .map(|node| {
                    node.deps
                        .iter()
                        .filter(|dep| {
                            dep.dep_kinds.is_empty()
                                || dep
                                    .dep_kinds
                                    .iter()
                                    .any(|k| k.kind == DependencyKind::Normal)
                        })
                        .filter_map(|dep| {
                            Some((dep.name.clone(), *index_of.get(dep.pkg.repr.as_str())?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            package_of(package, features, externs, selected.contains(&index))
        })
        .collect();
    finish(metadata, packages, selected, diagnostics, false)
}

/// A package of the metadata, with the features and extern prelude resolved for it.
fn package_of(
    package: &cargo_metadata::Package,
    features: BTreeSet<String>,
    externs: BTreeMap<String, usize>,
    selected: bool,
) -> Package {
    let mut lib = None;
    let mut bins = Vec::new();
    let mut is_proc_macro = false;
    for target in &package.targets {
        use cargo_metadata::TargetKind as K;
        let root = target.src_path.clone().into_std_path_buf();
        if target.kind.contains(&K::Bin) {
            // Cargo does not build a binary whose required features are off.
            if target
                .required_features
                .iter()
                .all(|f| features.contains(f))
            {
                bins.push(TargetRoot {
                    name: target.name.clone(),
                    kind: TargetKind::Bin,
                    root,
                });
            }
        } else if target.kind.iter().any(is_library_kind) {
            is_proc_macro = target.kind.contains(&K::ProcMacro);
            lib = Some(TargetRoot {
                name: target.name.replace('-', "_"),
                kind: TargetKind::Lib,
                root,
            });
        }
    }
    bins.sort_by(|a, b| a.name.cmp(&b.name));
    Package {
        name: package.name.to_string(),
        id: package.id.repr.clone(),
        manifest_path: package.manifest_path.clone().into_std_path_buf(),
        features,
        lib,
        bins,
        externs,
        is_proc_macro,
        selected,
        name_only: false,
    }
}

fn finish(
    metadata: &Metadata,
    mut packages: Vec<Package>,
    selected: &[usize],
    diagnostics: Vec<Diagnostic>,
    members_only: bool,
) -> Workspace {
    let mut selected = selected.to_vec();
    selected.sort_by(|&a, &b| {
        (&packages[a].name, &packages[a].id).cmp(&(&packages[b].name, &packages[b].id))
    });
    selected.dedup();
    for &index in &selected {
        packages[index].selected = true;
    }
    Workspace {
        root: metadata.workspace_root.clone().into_std_path_buf(),
        packages,
        selected,
        diagnostics,
        members_only,
    }
}

/// Cargo's rules: `--workspace` (minus `--exclude`) wins over `-p`; `-p` selects what it names;
/// with neither, the package of the manifest, or the default members at a workspace root.
fn select(
    metadata: &Metadata,
    options: &DiscoverOptions,
) -> Result<(Vec<usize>, Vec<Diagnostic>), DiscoverError> {
    let members: Vec<usize> = metadata
        .packages
        .iter()
        .enumerate()
        .filter(|(_, package)| metadata.workspace_members.contains(&package.id))
        .map(|(index, _)| index)
        .collect();
    let mut diagnostics = Vec::new();

    if options.workspace {
        let mut selected = members.clone();
        for spec in &options.exclude {
            let matched: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&index| spec_matches(spec, &metadata.packages[index]))
                .collect();
            if matched.is_empty() {
                diagnostics.push(Diagnostic {
                    location: None,
                    severity: Severity::Warning,
                    kind: DiagnosticKind::UnknownExclude,
                    message: format!("excluded package `{spec}` not found in the workspace"),
                });
            }
            selected.retain(|index| !matched.contains(index));
        }
        return Ok((selected, diagnostics));
    }
    if !options.exclude.is_empty() {
        return Err(DiscoverError::ExcludeWithoutWorkspace);
    }
    if !options.packages.is_empty() {
        let mut selected = Vec::new();
        for spec in &options.packages {
            selected.push(find_package(metadata, &members, spec)?);
        }
        return Ok((selected, diagnostics));
    }

    let default_members = || -> Vec<usize> {
        if metadata.workspace_default_members.is_available() {
            members
                .iter()
                .copied()
                .filter(|&index| {
                    metadata
                        .workspace_default_members
                        .contains(&metadata.packages[index].id)
                })
                .collect()
        } else {
            members.clone()
        }
    };
    let manifest = current_manifest(options)?;
    let root_manifest = metadata
        .workspace_root
        .join("Cargo.toml")
        .into_std_path_buf();
    if same_file(&manifest, &root_manifest) {
        return Ok((default_members(), diagnostics));
    }
    let current = members.iter().copied().find(|&index| {
        same_file(
            metadata.packages[index].manifest_path.as_std_path(),
            &manifest,
        )
    });
    Ok((
        current.map_or_else(default_members, |index| vec![index]),
        diagnostics,
    ))
}

/// `name`, `name@version` or `name:version`, or a full package id.
fn spec_matches(spec: &str, package: &cargo_metadata::Package) -> bool {
    if spec == package.id.repr {
        return true;
    }
    match spec.split_once(['@', ':']) {
        Some((name, version)) => {
            package.name.as_str() == name && package.version.to_string() == version
        }
        None => package.name.as_str() == spec,
    }
}

fn find_package(
    metadata: &Metadata,
    members: &[usize],
    spec: &str,
) -> Result<usize, DiscoverError> {
    let matches: Vec<usize> = (0..metadata.packages.len())
        .filter(|&index| spec_matches(spec, &metadata.packages[index]))
        .collect();
    match matches.as_slice() {
        [] => Err(DiscoverError::PackageNotFound(spec.to_owned())),
        [one] => Ok(*one),
        several => {
            // A member shadows a dependency of the same name, as for `cargo build -p`.
            let in_workspace: Vec<usize> = several
                .iter()
                .copied()
                .filter(|i| members.contains(i))
                .collect();
            if let [one] = in_workspace.as_slice() {
                return Ok(*one);
            }
            Err(DiscoverError::AmbiguousPackage {
                spec: spec.to_owned(),
                candidates: several
                    .iter()
                    .map(|&i| {
                        let package = &metadata.packages[i];
                        format!("{}@{}", package.name, package.version)
                    })
                    .collect(),
            })
        }
    }
}

/// The manifest cargo itself would start from: `--manifest-path`, or the nearest `Cargo.toml`
/// above the current directory.
pub(crate) fn current_manifest(options: &DiscoverOptions) -> Result<PathBuf, DiscoverError> {
    if let Some(path) = &options.manifest_path {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().map_err(|e| DiscoverError::Metadata(e.to_string()))?;
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|candidate| candidate.is_file())
        .ok_or(DiscoverError::ManifestNotFound(cwd))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

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
}
