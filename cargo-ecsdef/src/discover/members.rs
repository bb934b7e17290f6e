//! The workspace from `cargo metadata --no-deps`: the members, their features and their
//! dependencies on one another, without the dependency graph.
//!
//! Discovery reads the workspace's own packages, and a dependency from outside the workspace
//! only when a declaration names one. Asking cargo for the whole graph costs it a resolution of
//! every dependency and, on a clone without `target/`, four runs of rustc to learn the host:
//! 120-170 ms on the benchmark's 111 crates, against 40-60 ms for the members alone
//! (BENCHMARKS.md). So discovery starts from the members, and computes what `--no-deps` leaves
//! out the way cargo's dependency resolver does, which is the view `cargo metadata` reports in
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
//! with the whole graph (see `walk::run`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;

use cargo_metadata::{DependencyKind, Metadata};

use super::DiscoverOptions;
use super::metadata::{Package, is_ecsdef_package};

/// Whether the command line allows the members-only view (see the module documentation).
pub(crate) fn command_line_allows(options: &DiscoverOptions) -> bool {
    options.features.is_empty() && !options.no_default_features
}

/// Whether something outside the members could depend on one of them through an override:
/// `patch`, `replace` or `paths` set in the root manifest or in a cargo configuration file that
/// cargo would read (above the current directory, above the workspace, and `$CARGO_HOME`).
pub(crate) fn overrides_possible(workspace_root: &Path) -> bool {
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
        .any(|file| match std::fs::read_to_string(file) {
            Ok(text) => sets_override(&text),
            // A file that exists but cannot be read is cargo's to report.
            Err(error) => error.kind() != std::io::ErrorKind::NotFound,
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
pub(crate) struct Resolved {
    pub features: BTreeSet<String>,
    /// Per entry of the package's `dependencies`: whether some activation enables it.
    pub enabled: Vec<bool>,
}

/// The member each dependency of each member is, when it is one (a path dependency on its
/// directory). `None` when some path dependency is not a member.
pub(crate) fn member_targets(metadata: &Metadata) -> Option<Vec<Vec<Option<usize>>>> {
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
pub(crate) fn resolve(
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
pub(crate) fn extern_name(
    dependency: &cargo_metadata::Dependency,
    library: Option<&str>,
) -> String {
    match (&dependency.rename, library) {
        (Some(rename), _) => rename.replace('-', "_"),
        (None, Some(library)) => library.to_owned(),
        (None, None) => dependency.name.replace('-', "_"),
    }
}

/// A dependency from outside the workspace, known by name only.
pub(crate) fn outside_package(name: &str) -> Package {
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
    use super::{overrides_possible, sets_override};

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
