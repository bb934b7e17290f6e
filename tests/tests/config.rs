//! `ecsdef::config_from`: a service reads the variables its declaration sets, and an error
//! names the variable at fault, never a secret's value.

#![allow(clippy::unwrap_used, dead_code, missing_debug_implementations)]
use ecsdef::Container;

#[derive(Container, serde::Deserialize)]
#[ecs(image = "ghcr.io/acme/web:1.4.2")]
struct Web {
    #[ecs(env = 8080)]
    port: u16,
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/pool-AbCdEf:size::")]
    pool_size: u32,
    feature_flags: Option<String>,
}

fn lookup<'a>(vars: &'a [(&str, &str)]) -> impl FnMut(&str) -> Option<String> + 'a {
    |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn a_missing_variable_is_named() {
    let error = ecsdef::config_from::<Web>(lookup(&[("POOL_SIZE", "16")]))
        .err()
        .unwrap();
    assert_eq!(error.variable.as_deref(), Some("PORT"));
    assert_eq!(
        error.to_string(),
        "environment variable `PORT`: not set (field `port` requires it)"
    );
}

#[test]
fn a_malformed_variable_is_named_with_its_value() {
    let error = ecsdef::config_from::<Web>(lookup(&[("PORT", "eighty"), ("POOL_SIZE", "16")]))
        .err()
        .unwrap();
    assert_eq!(error.variable.as_deref(), Some("PORT"));
    assert_eq!(
        error.to_string(),
        "environment variable `PORT`: `eighty` is not a non-negative integer (field `port`)"
    );
}

#[test]
fn a_malformed_secret_is_named_without_its_value() {
    let canary = "CANARY-s3cr3t-0f-the-pool";
    let error = ecsdef::config_from::<Web>(lookup(&[("PORT", "8080"), ("POOL_SIZE", canary)]))
        .err()
        .unwrap();
    assert_eq!(error.variable.as_deref(), Some("POOL_SIZE"));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(canary), "{shown}");
    assert!(shown.contains("field `pool_size`"), "{shown}");
}

#[test]
fn set_variables_are_read() {
    let web: Web = ecsdef::config_from(lookup(&[("PORT", "9090"), ("POOL_SIZE", "16")])).unwrap();
    assert_eq!(
        (web.port, web.pool_size, web.feature_flags),
        (9090, 16, None)
    );
}
