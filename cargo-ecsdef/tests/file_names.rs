//! The names the export creates for a family fit in a file name: the model's bound on a
//! family (`rules::FAMILY_MAX_LEN`) is computed from the longest format suffix and the
//! temporary file's additions, and this test holds the formats and the out dir to those
//! numbers.

use std::fs;

use cargo_ecsdef::export::outdir::is_leftover;
use cargo_ecsdef::export::{TaskExportError, render_task};
use cargo_ecsdef::formats::FORMATS;
use ecsdef_model::rules::{
    Context, FAMILY_MAX_LEN, FAMILY_SUFFIX_MAX_LEN, FILE_NAME_MAX, TEMPORARY_NAME_EXTRA_LEN,
};

/// The longest temporary name the out dir gives `name`: the largest PID a `u32` holds and the
/// last of its attempts.
fn longest_temporary(name: &str) -> String {
    format!(".{name}.ecsdef-{}-15.tmp", u32::MAX)
}

#[test]
fn the_longest_suffix_is_the_models_constant() {
    let longest = FORMATS
        .iter()
        .flat_map(|format| format.suffixes())
        .map(|suffix| suffix.len())
        .max();
    assert_eq!(longest, Some(FAMILY_SUFFIX_MAX_LEN));
}

#[test]
fn the_longest_temporary_name_is_the_models_constant() {
    let name = "web.json";
    let temporary = longest_temporary(name);
    assert!(is_leftover(&temporary), "{temporary}");
    assert_eq!(temporary.len() - name.len(), TEMPORARY_NAME_EXTRA_LEN);
}

fn definition(family: &str) -> ecsdef_model::TaskDefinition {
    ecsdef_model::from_json_strict(&format!(
        r#"{{"family": "{family}", "executionRoleArn": "arn:aws:iam::123456789012:role/x",
            "memory": "512",
            "containerDefinitions": [{{"name": "app", "essential": true,
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0"}}]}}"#
    ))
    .expect("valid")
}

/// A family at the bound gets every file of every format, and each name (and its longest
/// temporary name) can be created; one character more is refused.
#[test]
fn every_file_of_the_longest_family_can_be_created() {
    let family = "f".repeat(FAMILY_MAX_LEN);
    let files =
        render_task(&definition(&family), &Context::default(), FORMATS, |_| None).expect("renders");
    assert_eq!(
        files.len(),
        FORMATS.iter().map(|f| f.suffixes().len()).sum::<usize>()
    );
    let dir = std::env::temp_dir().join(format!("ecsdef-file-names-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch dir");
    for file in &files {
        let temporary = longest_temporary(&file.name);
        assert!(temporary.len() <= FILE_NAME_MAX, "{}", temporary.len());
        fs::write(dir.join(&temporary), "").expect("the temporary name is a valid file name");
        fs::write(dir.join(&file.name), &file.contents).expect("a valid file name");
    }
    fs::remove_dir_all(&dir).expect("clean up");

    let longer = "f".repeat(FAMILY_MAX_LEN + 1);
    assert!(matches!(
        render_task(&definition(&longer), &Context::default(), FORMATS, |_| None),
        Err(TaskExportError::Family(_))
    ));
}

/// `family = "${FAM}"` is checked once substituted: `--var FAM=good` exports `good.json`.
#[test]
fn a_templated_family_is_checked_after_substitution() {
    let lookup = |name: &str| (name == "FAM").then(|| "good".to_owned());
    let files =
        render_task(&definition("${FAM}"), &Context::default(), FORMATS, lookup).expect("renders");
    assert!(files.iter().any(|f| f.name == "good.json"), "{files:?}");
    let bad = |name: &str| (name == "FAM").then(|| "a.b".to_owned());
    assert!(matches!(
        render_task(&definition("${FAM}"), &Context::default(), FORMATS, bad),
        Err(TaskExportError::Invalid(_))
    ));
}
