//! The UI tests: every compile error the derives emit, as the user sees it.
//!
//! Cases live in `tests/ui/<rule-or-category>/<case>.rs`; each compile-fail case's expected
//! output is the `.stderr` beside it, blessed with `TRYBUILD=overwrite` and reviewed in the
//! diff, never written by hand. `tests/ui/pass/*.rs` must compile and run.
//!
//! rustc's diagnostics change between releases, so the snapshots hold for the one toolchain
//! recorded in `tests/ui/TOOLCHAIN`: on another, this test fails and asks for a deliberate
//! re-bless instead of reporting a wall of unrelated diffs.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn ui_dir() -> &'static Path {
    // The manifest directory, not the target directory: the test reads the same files
    // whatever CARGO_TARGET_DIR says.
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/ui"))
}

/// Fails unless the rustc that builds the cases is the one the snapshots were blessed with.
fn assert_blessed_toolchain() {
    let pinned_path = ui_dir().join("TOOLCHAIN");
    let pinned = std::fs::read_to_string(&pinned_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", pinned_path.display()));
    // trybuild builds with cargo, which runs `$RUSTC` when it is set.
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{} --version`: {e}", rustc.to_string_lossy()));
    let current = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        current.trim(),
        pinned.trim(),
        "\nthe UI snapshots were blessed with `{}` but this is `{}`:\n\
         re-bless with TRYBUILD=overwrite and update tests/ui/TOOLCHAIN, e.g.\n    \
         TRYBUILD=overwrite cargo test -p ecsdef-tests --test compiletest && rustc --version > tests/ui/TOOLCHAIN\n\
         then review every changed .stderr\n",
        pinned.trim(),
        current.trim(),
    );
}

#[test]
fn ui() {
    assert_blessed_toolchain();
    let t = trybuild::TestCases::new();
    let mut categories: Vec<_> = std::fs::read_dir(ui_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("pass"))
        .collect();
    categories.sort();
    for category in categories {
        t.compile_fail(category.join("*.rs").display().to_string());
    }
    t.pass(ui_dir().join("pass/*.rs").display().to_string());
}

/// The pass cases together use every key of the grammar, at every level and in every group,
/// so a key that stops working cannot go unnoticed.
#[test]
fn pass_cases_use_every_key() {
    use ecsdef_syntax::Ctxt;
    use ecsdef_syntax::keys::{self, Level};
    use ecsdef_syntax::meta::{Entry, Value, parse_entries};

    fn record(entries: &[Entry], level: Level, used: &mut Vec<(Level, String)>) {
        for entry in entries {
            used.push((level, entry.key.clone()));
            if let Value::Group(inner, _) = &entry.value
                && let Some(key) = keys::KEYS.iter().find(|k| k.name == entry.key)
            {
                record(inner, Level::Group(key.name), used);
            }
        }
    }

    let mut used = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(ui_dir().join("pass"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for item in file.items {
            let syn::Item::Struct(item) = item else {
                continue;
            };
            let derive = quote::ToTokens::to_token_stream(&item.attrs[0]).to_string();
            let (level, field_level) = if derive.contains("TaskDefinition") {
                (Level::Task, Level::TaskField)
            } else {
                (Level::Container, Level::ContainerField)
            };
            let cx = Ctxt::new();
            for attr in &item.attrs {
                if let syn::Meta::List(list) = &attr.meta
                    && list.path.is_ident("ecs")
                {
                    record(&parse_entries(list.tokens.clone(), &cx), level, &mut used);
                }
            }
            for field in &item.fields {
                for attr in &field.attrs {
                    if let syn::Meta::List(list) = &attr.meta
                        && list.path.is_ident("ecs")
                    {
                        let entries = parse_entries(list.tokens.clone(), &cx);
                        record(&entries, field_level, &mut used);
                    }
                }
            }
            assert!(cx.finish().is_empty(), "{}: token errors", path.display());
        }
    }
    let missing: Vec<String> = keys::KEYS
        .iter()
        .filter(|key| !used.iter().any(|(l, k)| *l == key.level && k == key.name))
        .map(|key| format!("{} `{}`", key.level.noun(), key.name))
        .collect();
    assert!(
        missing.is_empty(),
        "no pass case uses: {}",
        missing.join(", ")
    );
}
