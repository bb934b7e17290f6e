//! The guide's tables of attribute keys (`runtime/src/guide.md`) say what the table of keys
//! (`ecsdef_syntax::keys::KEYS`) says: every key of each level, in its order, with its JSON
//! member, its notes (its doc, after "repeatable; " for a key that may repeat, with the range
//! of an integer and every value of a closed set) and the form of its value; every key of a
//! group among the keys its group's row shows.

#![allow(clippy::unwrap_used)]

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context};
use ecsdef_model::{ContainerDefinition, TaskDefinition, UnknownEnumValue};
use ecsdef_syntax::keys::{self, Key, Kind, Level, Set};

const GUIDE: &str = include_str!("../../runtime/src/guide.md");

/// One row of a table: its key, JSON and notes columns.
struct Row<'a> {
    key: &'a str,
    member: &'a str,
    notes: &'a str,
}

/// The rows of the table under `heading`.
fn rows(heading: &str) -> Vec<Row<'static>> {
    let start = GUIDE
        .lines()
        .position(|line| line == heading)
        .unwrap_or_else(|| panic!("the guide has no heading `{heading}`"));
    GUIDE
        .lines()
        .skip(start + 1)
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line
                .trim_start_matches("| ")
                .trim_end_matches(" |")
                .split(" | ")
                .collect();
            assert_eq!(cells.len(), 3, "a row of `{heading}`: {line}");
            Row {
                key: cells[0],
                member: cells[1],
                notes: cells[2],
            }
        })
        .collect()
}

/// The key a row describes: the name its first column starts with.
fn name<'a>(row: &Row<'a>) -> &'a str {
    let text = row.key.trim_start_matches('`');
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// How the key column writes the value of a key the table parses.
fn form(key: &Key) -> Option<String> {
    let name = key.name;
    match key.kind {
        Kind::Str(_) | Kind::Enum(_) => Some(format!("`{name} = \"")),
        Kind::Int { .. } => Some(format!("`{name} = N`")),
        Kind::Bool(_) => Some(format!("`{name} = bool`")),
        Kind::StrList(_) => Some(format!("`{name} = [...]`")),
        Kind::StrMap(_) => Some(format!("`{name}(\"key\" = \"value\", ...)`")),
        Kind::Own(_) => None,
    }
}

/// The values a key of a closed set takes, as its setter's error lists them.
fn enum_values(set: &Set<String, Result<(), UnknownEnumValue>>) -> Vec<&'static str> {
    let refused = match set {
        Set::Container(set) => set(&mut ContainerDefinition::default(), String::new()),
        Set::ContainerContext(set) => set(&mut ContainerContext::default(), String::new()),
        Set::Task(set) => set(&mut TaskDefinition::default(), String::new()),
        Set::TaskContext(set) => set(&mut Context::default(), String::new()),
        Set::TaskField(set) => set(&mut FieldOverrides::default(), String::new()),
    };
    refused.err().map(|e| e.expected).unwrap_or_default()
}

const TABLES: &[(&str, Level)] = &[
    ("## `#[derive(Container)]`, on the struct", Level::Container),
    (
        "## `#[derive(Container)]`, on each field",
        Level::ContainerField,
    ),
    ("## `#[derive(TaskDefinition)]`, on the struct", Level::Task),
    (
        "## `#[derive(TaskDefinition)]`, on each field",
        Level::TaskField,
    ),
];

#[test]
fn the_guide_shows_every_key_as_the_table_describes_it() {
    let mut problems = Vec::new();
    for (heading, level) in TABLES {
        let rows = rows(heading);
        let in_guide: Vec<&str> = rows.iter().map(name).collect();
        let in_table: Vec<&str> = keys::names(*level).collect();
        if in_guide != in_table {
            problems.push(format!(
                "{heading}: the guide has the keys {in_guide:?}, the table {in_table:?}"
            ));
            continue;
        }
        for (row, key) in rows.iter().zip(keys::of(*level)) {
            let member = key.member.describe();
            if row.member != member {
                problems.push(format!(
                    "{heading}: `{}` sets {member}, not {}",
                    key.name, row.member
                ));
            }
            let notes = if key.repeatable {
                format!("repeatable; {}", key.doc)
            } else {
                key.doc.to_owned()
            };
            if row.notes != notes {
                problems.push(format!(
                    "{heading}: the notes of `{}` are `{notes}`, not `{}`",
                    key.name, row.notes
                ));
            }
            if let Some(form) = form(key)
                && !row.key.starts_with(&form)
            {
                problems.push(format!(
                    "{heading}: `{}` is written `{form}...`, not {}",
                    key.name, row.key
                ));
            }
            if let Kind::Enum(set) = &key.kind {
                let values = enum_values(set);
                let missing: Vec<_> = values
                    .iter()
                    .filter(|v| !row.notes.contains(&format!("`{v}`")))
                    .collect();
                if values.is_empty() || !missing.is_empty() {
                    problems.push(format!(
                        "{heading}: the notes of `{}` do not list its values {missing:?}",
                        key.name
                    ));
                }
            }
            if let Kind::Int { min, max, .. } = key.kind
                && max != i32::MAX
                && !row.notes.contains(&format!("{min}-{max}"))
            {
                problems.push(format!(
                    "{heading}: the notes of `{}` do not give its range {min}-{max}",
                    key.name
                ));
            }
        }
    }
    for key in keys::KEYS {
        let Level::Group(group) = key.level else {
            continue;
        };
        let shown = TABLES
            .iter()
            .flat_map(|(heading, _)| rows(heading))
            .filter(|row| name(row) == group)
            .any(|row| {
                row.key.contains(&format!("({} ", key.name))
                    || row.key.contains(&format!(", {} ", key.name))
                    || row.key.contains(&format!("({}(", key.name))
                    || row.key.contains(&format!(", {}(", key.name))
            });
        if !shown {
            problems.push(format!(
                "the row of `{group}(...)` does not show its key `{}`",
                key.name
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}
