//! IAM policy documents, evaluated here for exactly what the exported execution-role policy
//! grants: does any `Allow` statement of the role's policies match the action and the
//! resource, and no `Deny`? And does a trust policy let ECS tasks assume the role?
//!
//! The evaluation is IAM's for identity policies without conditions: `Action`/`NotAction` and
//! `Resource`/`NotResource` as a string or a list, `*` and `?` wildcards, actions compared
//! without case. A statement with a `Condition` cannot be decided without the request's
//! context: an `Allow` with one is not counted (a grant that may not apply is no grant), a
//! `Deny` with one is not counted either (it may not apply). Permission boundaries, SCPs and
//! resource policies are not read.

use serde_json::Value;

/// The service principal of ECS tasks, which a task or execution role must trust.
pub const ECS_TASKS_PRINCIPAL: &str = "ecs-tasks.amazonaws.com";

/// A policy document as IAM returns it: JSON, URL-encoded by the IAM API (RFC 3986), or
/// already decoded (some endpoints decode it).
pub fn parse_document(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).ok();
    }
    serde_json::from_str(&percent_decode(text)?).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A statement's `Statement`, one object or a list, as a list.
fn statements(document: &Value) -> Vec<&Value> {
    match document.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    }
}

/// A string or a list of strings, as a list.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// IAM's wildcard match: `*` any run of characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |c: char| {
        if ignore_case {
            c.to_ascii_lowercase()
        } else {
            c
        }
    };
    let pattern: Vec<char> = pattern.chars().map(fold).collect();
    let text: Vec<char> = text.chars().map(fold).collect();
    // Iterative matching with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Whether a statement applies to `action` on `resource` (its effect aside).
fn applies(statement: &Value, action: &str, resource: &str) -> bool {
    let action_ok = if statement.get("NotAction").is_some() {
        !strings(statement.get("NotAction"))
            .iter()
            .any(|p| wildcard_match(p, action, true))
    } else {
        strings(statement.get("Action"))
            .iter()
            .any(|p| wildcard_match(p, action, true))
    };
    let resource_ok = if statement.get("NotResource").is_some() {
        !strings(statement.get("NotResource"))
            .iter()
            .any(|p| wildcard_match(p, resource, false))
    } else {
        strings(statement.get("Resource"))
            .iter()
            .any(|p| wildcard_match(p, resource, false))
    };
    action_ok && resource_ok && statement.get("Condition").is_none()
}

fn effect(statement: &Value) -> &str {
    statement
        .get("Effect")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Whether `documents` together allow `action` on `resource`: an `Allow` applies and no
/// `Deny` does.
pub fn allows(documents: &[Value], action: &str, resource: &str) -> bool {
    let all: Vec<&Value> = documents.iter().flat_map(statements).collect();
    let denied = all
        .iter()
        .any(|s| effect(s) == "Deny" && applies(s, action, resource));
    let allowed = all
        .iter()
        .any(|s| effect(s) == "Allow" && applies(s, action, resource));
    allowed && !denied
}

/// Every `(action, resource)` pair `required` grants that `documents` do not allow.
pub fn missing(documents: &[Value], required: &Value) -> Vec<(String, String)> {
    let mut missing = Vec::new();
    for statement in statements(required) {
        if effect(statement) != "Allow" {
            continue;
        }
        for action in strings(statement.get("Action")) {
            for resource in strings(statement.get("Resource")) {
                if !allows(documents, action, resource) {
                    missing.push((action.to_owned(), resource.to_owned()));
                }
            }
        }
    }
    missing
}

/// Whether a trust policy lets `service` assume the role (`sts:AssumeRole`).
pub fn trusts_service(trust: &Value, service: &str) -> bool {
    statements(trust).iter().any(|s| {
        effect(s) == "Allow"
            && s.get("Condition").is_none()
            && strings(s.get("Action"))
                .iter()
                .any(|a| wildcard_match(a, "sts:AssumeRole", true))
            && s.get("Principal").is_some_and(|principal| {
                principal.as_str() == Some("*")
                    || strings(principal.get("Service")).contains(&service)
            })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(wildcard_match(
            "secretsmanager:*",
            "secretsmanager:GetSecretValue",
            true
        ));
        assert!(wildcard_match(
            "SecretsManager:getsecret*",
            "secretsmanager:GetSecretValue",
            true
        ));
        assert!(!wildcard_match(
            "ssm:*",
            "secretsmanager:GetSecretValue",
            true
        ));
        assert!(wildcard_match(
            "arn:aws:secretsmanager:*:*:secret:db-*",
            "arn:aws:secretsmanager:eu-west-1:1:secret:db-??????",
            false
        ));
        assert!(wildcard_match(
            "arn:aws:secretsmanager:r:1:secret:db-??????",
            "arn:aws:secretsmanager:r:1:secret:db-AbCdEf",
            false
        ));
        assert!(!wildcard_match(
            "arn:aws:secretsmanager:r:1:secret:db-??????",
            "arn:aws:secretsmanager:r:1:secret:db-AbCdE",
            false
        ));
        assert!(!wildcard_match("ARN:*", "arn:x", false));
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("a*b*c", "axxbyyc", false));
        assert!(!wildcard_match("a*b*c", "axxbyy", false));
    }

    #[test]
    fn allow_deny_and_conditions() {
        let documents = vec![
            json!({"Statement": [{"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"}]}),
            json!({"Statement": {"Effect": "Deny", "Action": ["secretsmanager:GetSecretValue"], "Resource": "arn:aws:secretsmanager:r:1:secret:root-*"}}),
            json!({"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "x"}}}]}),
            json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:logs:*"}]}),
        ];
        assert!(allows(
            &documents,
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:r:1:secret:db-abcdef"
        ));
        assert!(!allows(
            &documents,
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:r:1:secret:root-abcdef"
        ));
        // The conditional grant does not count; the NotAction one does, outside logs.
        assert!(allows(&documents, "kms:Decrypt", "arn:aws:kms:r:1:key/k"));
        assert!(!allows(
            &documents,
            "logs:PutLogEvents",
            "arn:aws:logs:r:1:log-group:g:*"
        ));
        assert!(!allows(&documents, "iam:PassRole", "*"));
        let required = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["logs:CreateLogStream", "kms:Decrypt"], "Resource": ["arn:aws:logs:r:1:log-group:g:*"]}
        ]});
        // kms:Decrypt on a log group: only the conditional grant or the NotResource one
        // could allow it, and neither does.
        assert_eq!(
            missing(&documents, &required),
            [
                (
                    "logs:CreateLogStream".to_owned(),
                    "arn:aws:logs:r:1:log-group:g:*".to_owned()
                ),
                (
                    "kms:Decrypt".to_owned(),
                    "arn:aws:logs:r:1:log-group:g:*".to_owned()
                )
            ]
        );
    }

    #[test]
    fn trust_policies() {
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:AssumeRole"}]});
        assert!(trusts_service(&trust, ECS_TASKS_PRINCIPAL));
        let ec2 = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        assert!(!trusts_service(&ec2, ECS_TASKS_PRINCIPAL));
    }

    #[test]
    fn documents_are_read_url_encoded_or_not() {
        let plain = r#"{"Statement": []}"#;
        let encoded = "%7B%22Statement%22%3A%20%5B%5D%7D";
        assert_eq!(parse_document(plain), parse_document(encoded));
        assert!(parse_document(plain).is_some());
        assert_eq!(parse_document("%7"), None);
    }
}
