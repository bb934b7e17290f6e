//! `foreign-placeholder`: a value that holds another tool's template placeholder gets one
//! finding, and nothing else is reported about it.
//!
//! Before the other rules run, every string of the definition is read by
//! [`crate::placeholder::foreign`]; a value that holds a foreign placeholder is reported once,
//! and the rules then judge the definition with that placeholder written as the ecsdef
//! placeholder it stands for (`<IMAGE1_NAME>` as `${IMAGE1_NAME}`): the structure around it
//! is still checked where it is not the value itself (an ARN's service, say), but what the
//! other rules find at that value is dropped, since it follows from the placeholder.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::tree::Value;

use super::env::{DUPLICATE_ENV_NAME, PLAINTEXT_SECRET_IN_ENV};
use super::{Diagnostic, Location, Rule};
use crate::placeholder::{
    FOREIGN_PLACEHOLDER, Foreign, Reading, Tool, ecsdef_name, foreign, is_whole_placeholder,
};
use crate::{ContainerDefinition, TaskDefinition};

/// What masking found: the findings, the paths of the values they are about, and the paths
/// of the values that are one ecsdef placeholder as a whole.
#[derive(Debug, Default)]
pub(crate) struct Masked {
    findings: Vec<Diagnostic>,
    paths: Vec<String>,
    whole: Vec<String>,
    rewritten: Vec<Rewritten>,
}

/// A value that held placeholders of other tools, and the value with each written as the
/// ecsdef placeholder it becomes (see [`rewrite_foreign_placeholders`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// Where it is: a JSON path into the task definition.
    pub path: String,
    /// The value as written.
    pub original: String,
    /// The value with ecsdef placeholders (`${IMAGE1_NAME}`).
    pub value: String,
    /// Each placeholder's text as written (empty for an empty image) and its ecsdef name.
    pub placeholders: Vec<(String, String)>,
}

/// `definition` with every placeholder of another tool written as an ecsdef placeholder of
/// the name it had (in ecsdef's form: `{{ecsTaskRoleArn}}` becomes `${ECS_TASK_ROLE_ARN}`,
/// an empty image `${APP_IMAGE}` after its container), and each value rewritten: what
/// `cargo ecsdef import` declares, and what `foreign-placeholder` tells the user to write.
pub fn rewrite_foreign_placeholders(
    definition: &TaskDefinition,
) -> (TaskDefinition, Vec<Rewritten>) {
    let (masked, found) = mask_task(definition);
    (masked.into_owned(), found.rewritten)
}

/// The rules that still judge a value that is one `${NAME}` as a whole: they read the
/// variable's name, not the value's form.
const ABOUT_THE_NAME: &[&Rule] = &[&PLAINTEXT_SECRET_IN_ENV, &DUPLICATE_ENV_NAME];

impl Masked {
    /// Whether nothing was found: no value holds a foreign placeholder or is one ecsdef
    /// placeholder as a whole.
    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.whole.is_empty()
    }

    /// `out` without what the other rules found at a value that holds a foreign placeholder
    /// or is one ecsdef placeholder as a whole (a value known only at deploy time, judged in
    /// full once `export` substitutes it), with the `foreign-placeholder` findings added.
    pub(crate) fn apply(self, out: &mut Vec<Diagnostic>) {
        if self.paths.is_empty() && self.whole.is_empty() {
            return;
        }
        out.retain(|d| {
            let Location::Json(path) = &d.location else {
                return true;
            };
            !(self.paths.iter().any(|p| p == path)
                || (self.whole.iter().any(|p| p == path) && !ABOUT_THE_NAME.contains(&d.rule)))
        });
        out.extend(self.findings);
    }
}

/// The definition with each foreign placeholder written as an ecsdef placeholder, and what
/// was found; the definition itself (borrowed) when nothing was.
pub(crate) fn mask_task(definition: &TaskDefinition) -> (Cow<'_, TaskDefinition>, Masked) {
    if !any_string_may_hold(definition) {
        return (Cow::Borrowed(definition), Masked::default());
    }
    let mut value = crate::json::task_definition_to_tree(definition);
    let mut masked = Masked::default();
    walk(&mut value, &mut String::new(), None, &mut masked);
    if masked.paths.is_empty() {
        return (Cow::Borrowed(definition), masked);
    }
    // Only string contents changed, so the value still has the model's shape.
    match crate::json::task_definition_from_tree(&value) {
        Ok(def) => (Cow::Owned(def), masked),
        Err(_) => (Cow::Borrowed(definition), masked),
    }
}

/// [`mask_task`], where `read(i)` says that container `i` was masked already (its
/// [`super::ContainerVerdict`] holds for it) and nothing was found in it: the task's strings are
/// then read but for those containers' own, which hold the same strings but for the members
/// a task's field may set (its name and `dependsOn`, read here). Nothing found there, the
/// task is the definition itself, as [`mask_task`] finds; otherwise it masks the whole task.
pub(crate) fn mask_task_knowing(
    definition: &TaskDefinition,
    read: impl Fn(usize) -> bool,
) -> (Cow<'_, TaskDefinition>, Masked) {
    // The containers first: without their verdicts (the derive's checks), nothing is read
    // twice.
    let nothing_found = definition
        .container_definitions
        .iter()
        .enumerate()
        .all(|(i, c)| {
            read(i)
                && !c.name.as_ref().is_some_and(|n| any_string_may_hold(n))
                && !c
                    .depends_on
                    .as_ref()
                    .is_some_and(|d| any_string_may_hold(d))
        })
        && !task_members_may_hold(definition);
    if nothing_found {
        return (Cow::Borrowed(definition), Masked::default());
    }
    mask_task(definition)
}

/// [`any_string_may_hold`] of each member of the task but its containers.
fn task_members_may_hold(definition: &TaskDefinition) -> bool {
    fn may_hold<T: crate::json::WriteJson>(member: Option<&T>) -> bool {
        member.is_some_and(|m| any_string_may_hold(m))
    }
    // Every member is named: a member the model gains must be read here before this compiles.
    let TaskDefinition {
        family,
        task_role_arn,
        execution_role_arn,
        network_mode,
        container_definitions: _,
        volumes,
        placement_constraints,
        requires_compatibilities,
        cpu,
        memory,
        tags,
        pid_mode,
        ipc_mode,
        proxy_configuration,
        inference_accelerators,
        ephemeral_storage,
        runtime_platform,
        enable_fault_injection,
        trusted_execution_configuration,
    } = definition;
    may_hold(Some(family))
        || may_hold(task_role_arn.as_ref())
        || may_hold(execution_role_arn.as_ref())
        || may_hold(network_mode.as_ref())
        || may_hold(volumes.as_ref())
        || may_hold(placement_constraints.as_ref())
        || may_hold(requires_compatibilities.as_ref())
        || may_hold(cpu.as_ref())
        || may_hold(memory.as_ref())
        || may_hold(tags.as_ref())
        || may_hold(pid_mode.as_ref())
        || may_hold(ipc_mode.as_ref())
        || may_hold(proxy_configuration.as_ref())
        || may_hold(inference_accelerators.as_ref())
        || may_hold(ephemeral_storage.as_ref())
        || may_hold(runtime_platform.as_ref())
        || may_hold(enable_fault_injection.as_ref())
        || may_hold(trusted_execution_configuration.as_ref())
}

/// [`mask_task`] for one container, at index 0.
pub(crate) fn mask_container(
    definition: &ContainerDefinition,
) -> (Cow<'_, ContainerDefinition>, Masked) {
    if !any_string_may_hold(definition) {
        return (Cow::Borrowed(definition), Masked::default());
    }
    let mut value = crate::json::container_definition_to_tree(definition);
    let mut masked = Masked::default();
    let mut path = String::from("containerDefinitions[0]");
    walk(&mut value, &mut path, None, &mut masked);
    if masked.paths.is_empty() {
        return (Cow::Borrowed(definition), masked);
    }
    match crate::json::container_definition_from_tree(&value) {
        Ok(def) => (Cow::Owned(def), masked),
        Err(_) => (Cow::Borrowed(definition), masked),
    }
}

/// Whether masking a task drops what the other rules find at its first container's name
/// `name`: the name is one `${NAME}` as a whole or holds a placeholder of another tool.
pub(crate) fn masks_container_name(name: &str) -> bool {
    let mut masked = Masked::default();
    check_string(
        &mut name.to_owned(),
        "containerDefinitions[0].name",
        None,
        &mut masked,
    );
    !masked.is_empty()
}

/// Whether the JSON text of a definition may hold a placeholder of another tool or a
/// whole-value `${NAME}`: a quick look for what every form needs, so that most definitions
/// are not walked value by value (a walk costs twice the rest of the check). An upper-case
/// word between two `:` is where an ARN's upper-case region or account would be; JSON's own
/// `:` is followed by a value, never by a letter.
///
/// One pass over the bytes, each needle looked for only where its first byte is: the derives
/// run this unoptimised, for every string of every declaration.
fn may_hold_any(json: &str) -> bool {
    let bytes = json.as_bytes();
    let at = |i: usize, needle: &[u8]| bytes[i..].starts_with(needle);
    let mut i = 0;
    while i < bytes.len() {
        // Bytes no needle starts with are passed over by a table lookup, not the `match`
        // (an index loop, not an iterator's: unoptimised, the iterator's calls cost more).
        if !NEEDLE_START[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let hit = match bytes[i] {
            b'$' | b'<' | b'%' => true,
            b'{' | b'#' => at(i + 1, b"{"),
            b'_' => at(i + 1, b"_"),
            b'Y' => at(i, b"YOUR_"),
            b'R' => at(i, b"REPLACE"),
            b'C' => at(i, b"CHANGE"),
            b'P' => at(i, b"PLACEHOLDER"),
            b'X' => at(i, b"XXXX"),
            b'"' => at(i, b"\"image\":\"\""),
            b':' => upper_word_then_colon(&bytes[i + 1..]),
            _ => false,
        };
        if hit {
            return true;
        }
        i += 1;
    }
    false
}

/// The first bytes of [`may_hold_any`]'s needles.
static NEEDLE_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = b"$<%{#_YRCPX\":";
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `rest` starts with an upper-case word (`A-Z`, then `A-Z`, `0-9`, `_`) and a `:`.
fn upper_word_then_colon(rest: &[u8]) -> bool {
    if !rest.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let mut i = 1;
    while i < rest.len()
        && (rest[i].is_ascii_uppercase() || rest[i].is_ascii_digit() || rest[i] == b'_')
    {
        i += 1;
    }
    rest.get(i) == Some(&b':')
}

/// [`may_hold_any`] of the JSON text of `value`, without writing it: each string the text
/// would hold (values, map keys, enum variants) is looked at where it is, by the model's own
/// writer in its scan mode. Strings are all the text can hold a needle in: numbers, `true`,
/// `false` and `null` hold none, a needle has no character JSON escapes, JSON's own `:` is
/// followed by a value, and no member name of the model holds one (camelCase ASCII letters;
/// a test holds the schema to it). `"image":""` is an empty string, so every empty string
/// counts.
fn any_string_may_hold(value: &dyn crate::json::WriteJson) -> bool {
    crate::json::any_string(value, |s| s.is_empty() || may_hold_any(s))
}

/// Members run by a shell or by the container itself, where `$NAME`, `${name}` and `%` are
/// the shell's: never read for placeholders.
const SHELL_MEMBERS: &[&str] = &["command", "entryPoint"];

fn walk(value: &mut Value, path: &mut String, container: Option<&str>, masked: &mut Masked) {
    match value {
        Value::String(s) => check_string(s, path, container, masked),
        Value::Array(items) => {
            let len = path.len();
            for (i, item) in items.iter_mut().enumerate() {
                let _ = write!(path, "[{i}]");
                walk(item, path, container, masked);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            // A container's name names the placeholder of its empty image.
            let own_name = (path.starts_with("containerDefinitions[") && path.ends_with(']'))
                .then(|| map.get("name").and_then(Value::as_str).map(str::to_owned))
                .flatten();
            let container = own_name.as_deref().or(container);
            let len = path.len();
            for (key, item) in map.iter_mut() {
                if SHELL_MEMBERS.contains(&key.as_str()) {
                    continue;
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                walk(item, path, container, masked);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_string(s: &mut String, path: &str, container: Option<&str>, masked: &mut Masked) {
    if is_whole_placeholder(s) {
        masked.whole.push(path.to_owned());
        return;
    }
    if !s.is_empty() && !may_hold_any(s) {
        return;
    }
    let member = path.rsplit('.').next().unwrap_or(path);
    let is_image = member == "image" && path.starts_with("containerDefinitions[");
    // A value whose form AWS checks, or which must name something that exists (an image, an
    // ARN, a region): as written it is refused or fails at launch. Any other string (an
    // environment value, a log group name) AWS takes as text.
    let structured = is_image
        || member.ends_with("Arn")
        || matches!(
            member,
            "valueFrom" | "credentialsParameter" | "awslogs-region"
        )
        || s.starts_with("arn:");
    let found = if is_image && s.is_empty() {
        let name = match container {
            Some(name) => format!("{}_IMAGE", ecsdef_name(name)),
            None => "IMAGE".to_owned(),
        };
        vec![Foreign {
            range: 0..0,
            tool: Tool::EmptyImage,
            name,
        }]
    } else {
        foreign(
            s,
            if structured {
                Reading::Structured
            } else {
                Reading::Text
            },
        )
    };
    if found.is_empty() {
        return;
    }
    let mut rewritten = String::new();
    let mut at = 0;
    for f in &found {
        rewritten.push_str(&s[at..f.range.start]);
        rewritten.push_str("${");
        rewritten.push_str(&f.name);
        rewritten.push('}');
        at = f.range.end;
    }
    rewritten.push_str(&s[at..]);
    masked.rewritten.push(Rewritten {
        path: path.to_owned(),
        original: s.clone(),
        value: rewritten.clone(),
        placeholders: found
            .iter()
            .map(|f| (s[f.range.clone()].to_owned(), f.name.clone()))
            .collect(),
    });
    masked
        .findings
        .push(finding(s, &rewritten, &found, path, structured));
    masked.paths.push(path.to_owned());
    *s = rewritten;
}

/// The one finding about `value`, which holds `found`; `structured` when AWS checks the
/// value's form or what it names (see [`check_string`]).
fn finding(
    value: &str,
    rewritten: &str,
    found: &[Foreign],
    path: &str,
    structured: bool,
) -> Diagnostic {
    let first = &found[0];
    let message = if first.tool == Tool::EmptyImage {
        format!(
            "the image is empty: {}; the definition cannot be deployed as it stands",
            Tool::EmptyImage.describe()
        )
    } else {
        let what = &value[first.range.clone()];
        let others = match found.len() {
            1 => String::new(),
            2 => " (and 1 more)".to_owned(),
            n => format!(" (and {} more)", n - 1),
        };
        // AWS would refuse a structured value or fail to launch with it; free text it would
        // pass on as written, which is the mistake.
        let consequence = if structured {
            "the definition cannot be deployed as it stands"
        } else {
            "AWS takes any text here and would use it as written"
        };
        format!(
            "`{what}`{others} is {}, not a value: {consequence}",
            first.tool.describe()
        )
    };
    // Each name once, in name order, placed by bisection (no set or sort to compile for a
    // handful of names).
    let mut names: Vec<String> = Vec::new();
    for f in found {
        let name = format!("{}=...", f.name);
        if let Err(at) = names.binary_search(&name) {
            names.insert(at, name);
        }
    }
    for name in &mut names {
        name.insert_str(0, "--var ");
    }
    let help = format!(
        "write the value itself, or the ecsdef placeholder form `{rewritten}` and give {} to `cargo ecsdef export`",
        names.join(" ")
    );
    let mut d = Diagnostic::new(
        &FOREIGN_PLACEHOLDER,
        Location::Json(path.to_owned()),
        message,
        help,
    );
    d.span = Some(first.range.clone());
    d
}

/// This rule's cases for the test of every rule (`cases.rs`), with the whole-value
/// placeholder and the short role names beside it.
#[cfg(test)]
pub(super) fn cases() -> Vec<super::cases::Case> {
    use super::cases::{Case, app, secret0};
    use crate::arn::{ROLE_ARN_SYNTAX, SECRET_VALUE_FROM};
    use serde_json::json;
    vec![
        Case {
            rule: &FOREIGN_PLACEHOLDER,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!("<IMAGE1_NAME>"),
            good: |v, _| app(v)["image"] = json!("${IMAGE1_NAME}"),
        },
        Case {
            rule: &FOREIGN_PLACEHOLDER,
            at: "taskRoleArn",
            bad: |v, _| v["taskRoleArn"] = json!("{{ecsTaskRoleArn}}"),
            good: |v, _| v["taskRoleArn"] = json!("ecsTaskRole"),
        },
        Case {
            rule: &FOREIGN_PLACEHOLDER,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!(""),
            good: |v, _| app(v)["image"] = json!("${APP_IMAGE}"),
        },
        Case {
            rule: &FOREIGN_PLACEHOLDER,
            at: "containerDefinitions[0].secrets[0].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:ACCOUNT:secret:web/db-AbCdEf:password::",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:web/db-AbCdEf:password::",
                );
            },
        },
        Case {
            rule: &FOREIGN_PLACEHOLDER,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1]["value"] = json!("${log_level}"),
            // A shell's variable in free text is the application's business.
            good: |v, _| app(v)["environment"][1]["value"] = json!("info,$HOME"),
        },
        // A role's short name, for either role; a path is not a short name.
        Case {
            rule: &ROLE_ARN_SYNTAX,
            at: "taskRoleArn",
            bad: |v, _| v["taskRoleArn"] = json!("service/ecsTaskRole"),
            good: |v, _| v["taskRoleArn"] = json!("ecsTaskRole"),
        },
        Case {
            rule: &ROLE_ARN_SYNTAX,
            at: "executionRoleArn",
            bad: |v, _| v["executionRoleArn"] = json!("role/ecsTaskExecutionRole"),
            good: |v, _| v["executionRoleArn"] = json!("ecsTaskExecutionRole"),
        },
        // A whole-value placeholder is judged once substituted; a part is judged now.
        Case {
            rule: &ROLE_ARN_SYNTAX,
            at: "executionRoleArn",
            bad: |v, _| v["executionRoleArn"] = json!("${EXECUTION_ROLE}/web"),
            good: |v, _| v["executionRoleArn"] = json!("${EXECUTION_ROLE_ARN}"),
        },
        // A secret that an AWS service manages is named `SERVICE!...`, as registry
        // credentials too.
        Case {
            rule: &crate::arn::SECRET_ARN_SYNTAX,
            at: super::cases::CREDS,
            bad: |v, _| {
                super::cases::creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:Events!connection/ghcr-AbCdEf",
                );
            },
            good: |v, _| {
                super::cases::creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/ghcr-AbCdEf",
                );
            },
        },
        Case {
            rule: &SECRET_VALUE_FROM,
            at: "containerDefinitions[0].secrets[0].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:RDS!cluster-1a96bebc-86c1-4982-9f9f-7d6a651d2464-AbCdEf:password::",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1a96bebc-86c1-4982-9f9f-7d6a651d2464-AbCdEf:password::",
                );
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::super::cases::{app, base, base_context};
    use crate::from_json_strict;
    use serde_json::json;

    fn check(edit: impl Fn(&mut serde_json::Value)) -> super::super::Diagnostics {
        let mut v = base();
        edit(&mut v);
        let td = from_json_strict(&v.to_string()).unwrap();
        super::super::check(&td, &base_context())
    }

    /// One finding about a value that holds another tool's placeholder, and nothing else
    /// about it: not the image grammar's complaint about `<` or upper case, not the role's.
    #[test]
    fn a_foreign_placeholder_is_the_only_finding_about_its_value() {
        for image in [
            "<IMAGE1_NAME>",
            "REPLACED_BY_CI",
            "web:{{ env `TAG` `latest` }}",
            "",
        ] {
            let d = check(|v| app(v)["image"] = json!(image));
            let found: Vec<_> = d.0.iter().map(|d| d.rule.name).collect();
            assert_eq!(found, ["foreign-placeholder"], "{image}: {d}");
        }
        let d = check(|v| {
            v["executionRoleArn"] = json!("arn:aws:iam::XXXXXXXXXXXX:role/ecsTaskExecutionRole");
        });
        assert_eq!(d.0.len(), 1, "{d}");
        assert_eq!(
            d.0[0].help,
            "write the value itself, or the ecsdef placeholder form `arn:aws:iam::${ACCOUNT_ID}:role/ecsTaskExecutionRole` and give --var ACCOUNT_ID=... to `cargo ecsdef export`"
        );
        // Free text AWS would pass on as written; a structured value it would refuse.
        let d = check(|v| {
            app(v)["environment"] =
                json!([{"name": "OTEL_ENDPOINT", "value": "http://<MONITORING_HOST>:4318"}]);
        });
        assert_eq!(d.0.len(), 1, "{d}");
        assert!(
            d.0[0]
                .message
                .ends_with("not a value: AWS takes any text here and would use it as written"),
            "{d}"
        );
        let d = check(|v| v["taskRoleArn"] = json!("<TASK_ROLE_ARN>"));
        assert!(
            d.0[0]
                .message
                .ends_with("the definition cannot be deployed as it stands"),
            "{d}"
        );
        // Elsewhere the definition is still judged.
        let d = check(|v| {
            app(v)["image"] = json!("<IMAGE1_NAME>");
            v["family"] = json!("web.prod");
        });
        assert_eq!(d.of_rule("family-name").count(), 1, "{d}");
    }

    /// The quick look lets through every form the recogniser knows, so it never hides one.
    #[test]
    fn the_quick_look_never_hides_a_placeholder() {
        for value in [
            "<IMAGE1_NAME>",
            "arn:aws:iam::<account-id>:role/x",
            "{{ecsTaskRoleArn}}",
            "/ecs/${environment}",
            "$IMAGE",
            "#{Octopus.Region}",
            "__ECR_REGISTRY__/web",
            "$$$TAG$$$",
            "%REPOSITORY_URI%",
            "REPLACED_BY_CI",
            "CHANGE_ME",
            "arn:aws:iam::YOUR_ACCOUNT_ID:role/x",
            "arn:aws:iam::XXXXXXXXXXXX:role/x",
            "ACCOUNTID_PLACEHOLDER.dkr.ecr.us-east-1.amazonaws.com/w",
            "arn:aws:secretsmanager:REGION:ACCOUNT:secret:x",
            "arn:aws:iam::ACCOUNT_ID:role/x",
        ] {
            assert!(
                !crate::placeholder::foreign(value, crate::placeholder::Reading::Structured)
                    .is_empty(),
                "{value}"
            );
            assert!(super::may_hold_any(value), "{value}");
        }
        assert!(!super::may_hold_any("arn:aws:iam::123456789012:role/web"));
        assert!(!super::may_hold_any("ghcr.io/acme/web:1.4.2"));
    }

    /// The string scan leaves member names out: none of the schema's trips the quick look
    /// (and the context's, which is not scanned, are Rust names).
    #[test]
    fn no_member_name_trips_the_quick_look() {
        let mut names = 0;
        for shape in crate::schema::shapes() {
            for member in shape.members() {
                assert!(!super::may_hold_any(member.name), "{}", member.name);
                assert!(!member.name.is_empty());
                names += 1;
            }
        }
        assert!(names > 100, "{names}");
    }

    /// Looking at the strings one by one finds whatever looking at the whole JSON text finds:
    /// on every definition of the corpus, and on the base with each kind of placeholder put in
    /// a value, a map key and an enum-less string.
    #[test]
    fn the_string_scan_finds_what_the_text_finds() {
        let agree = |td: &crate::TaskDefinition| {
            let text = super::may_hold_any(&serde_json::to_string(td).unwrap());
            let scan = super::any_string_may_hold(td);
            assert!(!text || scan, "{}", serde_json::to_string(td).unwrap());
            scan
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json")
                && let Ok(load) = crate::from_json_lenient(&std::fs::read_to_string(&path).unwrap())
            {
                agree(&load.definition);
            }
        }
        let plain = from_json_strict(&base().to_string()).unwrap();
        assert!(!agree(&plain));
        for value in [
            "{{x}}",
            "$X",
            "<X>",
            "#{x}",
            "a__b",
            "%X%",
            "YOUR_X",
            "arn::ABC:x",
        ] {
            for edit in [
                |v: &mut serde_json::Value, s: &str| {
                    v["containerDefinitions"][0]["image"] = json!(s);
                },
                |v: &mut serde_json::Value, s: &str| {
                    v["containerDefinitions"][0]["dockerLabels"] = json!({ s: "x" });
                },
                |v: &mut serde_json::Value, s: &str| v["family"] = json!(s),
            ] {
                let mut v = base();
                edit(&mut v, value);
                let td = from_json_strict(&v.to_string()).unwrap();
                assert!(agree(&td), "{value}");
            }
        }
        let mut v = base();
        v["containerDefinitions"][0]["image"] = json!("");
        assert!(agree(&from_json_strict(&v.to_string()).unwrap()));
    }

    /// A value that is one `${NAME}` is accepted wherever a string goes, but a variable
    /// named like a secret is still one.
    #[test]
    fn a_whole_value_placeholder_is_accepted_but_a_secret_name_still_counts() {
        let d = check(|v| {
            v["taskRoleArn"] = json!("${TASK_ROLE_ARN}");
            app(v)["logConfiguration"]["options"]["awslogs-region"] = json!("${AWS_REGION}");
        });
        assert!(d.is_empty(), "{d}");
    }
}
