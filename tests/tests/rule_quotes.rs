//! Every rule quotes the sentence of AWS's documentation it enforces, exactly: a quote from an
//! ECS API reference page is found, word for word, in AWS's API model
//! (`aws-models/ecs-register-task-definition.json`, whose documentation strings are those
//! pages); a quote from a guide page is on an AWS documentation page.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use ecsdef_model::rules::RULES;
use serde_json::Value;

/// Every documentation string of the model, markup removed and white space collapsed.
fn model_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../aws-models/ecs-register-task-definition.json");
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut docs = Vec::new();
    collect(&model, &mut docs);
    docs.iter().map(|d| plain(d)).collect::<Vec<_>>().join(" ")
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("documentation", Value::String(doc)) => out.push(doc.clone()),
                    _ => collect(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
        _ => {}
    }
}

/// `html` without tags, its entities decoded, its white space collapsed.
fn plain(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_rule_quotes_aws_and_api_quotes_are_in_the_model() {
    let model = model_text();
    for rule in RULES {
        let quote = rule.aws;
        assert!(!quote.text.trim().is_empty(), "{rule}: no quote");
        assert!(
            quote.source.starts_with("https://docs.aws.amazon.com/"),
            "{rule}: the quote's source is not an AWS documentation page"
        );
        if quote.source.contains("/APIReference/") {
            assert!(
                model.contains(quote.text),
                "{rule}: the quote is not in AWS's API model: {}",
                quote.text
            );
        }
    }
}
