//! The workspace as `cargo metadata` describes it, and package selection as cargo does it.
//!
//! The plain way reads the whole dependency graph ([`build`]): each package's features and
//! extern prelude are what cargo's resolver reports in `resolve.nodes`. `members` is the fast
//! path, from the workspace members alone, and its tests hold it to this one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand};

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
    /// `[workspace.metadata.ecsdef]`, as `cargo metadata` gives it.
    pub settings: Option<serde_json::Value>,
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

/// The workspace and the selected packages, from the whole dependency graph.
pub(crate) fn load(options: &DiscoverOptions) -> Result<Workspace, DiscoverError> {
    let metadata = exec(options, false)?;
    crate::timings::mark("cargo metadata answered");
    let (selected, diagnostics) = select(&metadata, options)?;
    Ok(build(&metadata, &selected, diagnostics))
}

/// Runs `cargo metadata` (`--no-deps` for the members alone) with the command line's features.
pub(crate) fn exec(options: &DiscoverOptions, no_deps: bool) -> Result<Metadata, DiscoverError> {
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

/// Whether a target of this kind is the package's library (the one a dependent can use).
pub(crate) fn is_library_kind(kind: &cargo_metadata::TargetKind) -> bool {
    use cargo_metadata::TargetKind as K;
    matches!(
        kind,
        K::Lib | K::RLib | K::DyLib | K::CDyLib | K::StaticLib | K::ProcMacro
    )
}

/// The workspace from the whole graph's metadata.
pub(crate) fn build(
    metadata: &Metadata,
    selected: &[usize],
    diagnostics: Vec<Diagnostic>,
) -> Workspace {
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
pub(crate) fn package_of(
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

/// The workspace of `packages`, with `selected` sorted by name and marked.
pub(crate) fn finish(
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
        settings: metadata.workspace_metadata.get("ecsdef").cloned(),
    }
}

/// Cargo's rules: `--workspace` (minus `--exclude`) wins over `-p`; `-p` selects what it names;
/// with neither, the package of the manifest, or the default members at a workspace root.
pub(crate) fn select(
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
