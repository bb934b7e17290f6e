//! The modules of a crate are laid out in layers, bottom-up: a file may use a module of its own
//! layer or of a layer below, never one above. This reads every file of each crate's `src`,
//! collects its `crate::...` references (in `use` trees and in paths, macros' `$crate::...`
//! included) and fails on a reference that climbs. A crate's layers are one table below
//! ([`MODEL`], [`CLI`]); another crate joins with one more table in [`CRATES`].

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// One crate's layers.
struct CrateLayers {
    /// The crate's directory in the workspace.
    dir: &'static str,
    /// Bottom-up: each layer's name and its top-level modules (`lib` is the crate root's own
    /// items).
    layers: &'static [(&'static str, &'static [&'static str])],
    /// Items of the crate root that are not modules, with the module that defines them;
    /// any other item of the root is taken to be `lib`'s.
    root_items: &'static [(&'static str, &'static str)],
}

/// `ecsdef-model`, as `model/src/lib.rs` documents it.
const MODEL: CrateLayers = CrateLayers {
    dir: "model",
    layers: &[
        ("vocabulary", &["rule", "suggest"]),
        ("values", &["placeholder", "partition", "arn", "image"]),
        (
            "model",
            &["generated", "schema", "json", "tree", "de", "lib"],
        ),
        ("context", &["context"]),
        ("rules", &["rules"]),
        ("on top", &["substitute", "policy", "assemble"]),
    ],
    root_items: &[
        ("did_you_mean", "suggest"),
        ("from_json_strict", "json"),
        ("from_json_lenient", "json"),
        ("to_canonical_json", "json"),
        ("LenientLoad", "json"),
        ("LoadError", "json"),
    ],
};

/// `cargo-ecsdef`, as `cargo-ecsdef/src/lib.rs` documents it (`main` is the binary's entry).
const CLI: CrateLayers = CrateLayers {
    dir: "cargo-ecsdef",
    layers: &[
        ("leaves", &["timings", "parallel"]),
        ("discovery", &["discover"]),
        (
            "the work",
            &["export", "formats", "import", "lint", "analysis", "aws"],
        ),
        (
            "the command line",
            &["cli", "commands", "shell", "lib", "main"],
        ),
    ],
    root_items: &[],
};

const CRATES: &[&CrateLayers] = &[&MODEL, &CLI];

impl CrateLayers {
    /// The layer of a top-level module, by its index bottom-up.
    fn layer_of(&self, module: &str) -> Option<usize> {
        self.layers
            .iter()
            .position(|(_, modules)| modules.contains(&module))
    }

    /// The module a `crate::NAME` reference is to.
    fn module_of<'a>(&self, name: &'a str) -> &'a str {
        if self.layer_of(name).is_some() {
            return name;
        }
        self.root_items
            .iter()
            .find(|(item, _)| *item == name)
            .map_or("lib", |(_, module)| module)
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src` belongs to: `rules/whole.rs` is in `rules`, `lib.rs`
/// is `lib`.
fn module_of_file(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("a file under src");
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// Every name that follows `crate::` in `tokens`: `crate::a::b` gives `a`, `crate::{a, b::c}`
/// gives `a` and `b`.
fn crate_references(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = token {
            crate_references(group.stream(), out);
        }
        let is_crate = matches!(token, TokenTree::Ident(ident) if ident == "crate");
        let colons = matches!(
            (tokens.get(i + 1), tokens.get(i + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
        );
        if !(is_crate && colons) {
            continue;
        }
        match tokens.get(i + 3) {
            Some(TokenTree::Ident(ident)) => out.push(ident.to_string()),
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let mut at_start = true;
                for inner in group.stream() {
                    match inner {
                        TokenTree::Ident(ident) if at_start => {
                            out.push(ident.to_string());
                            at_start = false;
                        }
                        TokenTree::Punct(p) if p.as_char() == ',' => at_start = true,
                        _ => at_start = false,
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_file_uses_a_module_of_a_higher_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    let mut violations = Vec::new();
    for layers in CRATES {
        let src = root.join(layers.dir).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(!files.is_empty(), "no files under {}", src.display());
        for file in files {
            let module = module_of_file(&src, &file);
            let Some(own) = layers.layer_of(&module) else {
                violations.push(format!(
                    "{}: module `{module}` is in no layer of {}",
                    file.display(),
                    layers.dir
                ));
                continue;
            };
            let text = std::fs::read_to_string(&file).expect("a readable file");
            let tokens: TokenStream = text
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let mut references = Vec::new();
            crate_references(tokens, &mut references);
            for name in references {
                let used = layers.module_of(&name);
                let Some(layer) = layers.layer_of(used) else {
                    continue;
                };
                if layer > own {
                    violations.push(format!(
                        "{}: `crate::{name}` is in layer `{}`, above `{module}`'s `{}`",
                        file.display(),
                        layers.layers[layer].0,
                        layers.layers[own].0
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The scanner sees references in `use` trees, nested groups and paths.
#[test]
fn references_are_found_in_use_trees_and_paths() {
    let tokens: TokenStream =
        "use crate::a::b; use crate::{c, d::{e, f}}; fn g() { crate::h::i(); $crate::j!(); }"
            .parse()
            .expect("tokens");
    let mut found = Vec::new();
    crate_references(tokens, &mut found);
    assert_eq!(found, ["a", "c", "d", "h", "j"]);
}
