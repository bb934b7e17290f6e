//! The account behind a deployment, asked with the official AWS SDK for Rust: what `verify`,
//! `diff` and `register` need (feature `aws`).
//!
//! - this file: the connection (the standard credential chain, `--profile`, `--region`,
//!   `AWS_ENDPOINT_URL`), one client per service and region, and [`AskError`], why the account
//!   could not be asked (no credentials, no network, access denied), which the verbs turn into
//!   exit code 2;
//! - [`checks`]: `verify`'s checks of one task definition against the account;
//! - [`iam`]: IAM policy documents read and evaluated (IAM's policy simulator is not asked: it
//!   needs `iam:SimulatePrincipalPolicy`, and local AWS emulators do not implement it);
//! - [`ecs`]: the task definition as ECS describes it and its registration, both as JSON;
//! - [`normalize`]: both sides of `diff` normalised as ECS normalises a registered definition,
//!   and the unified diff.
//!
//! No secret value is ever kept: `verify --get-secrets` reads a value, checks its shape and
//! drops it, and no message names any part of it.

pub mod checks;
pub mod ecs;
pub mod iam;
pub mod normalize;

use std::fmt;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

/// `--profile` and `--region`, taken by the verbs that ask the account.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AwsOptions {
    /// The named profile of the AWS config files to use (default: `AWS_PROFILE`, else
    /// `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The region to ask where a task declares none (default: `AWS_REGION`, else the
    /// profile's). A task's own `region`, and the region of an ARN, win: ECS resolves names in
    /// the region the task runs in.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// Why the account could not be asked: the verbs exit 2 with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskError {
    /// What went wrong, in a sentence.
    pub message: String,
    /// What to do.
    pub help: String,
}

impl fmt::Display for AskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl AskError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        AskError {
            message: message.into(),
            help: help.into(),
        }
    }

    /// No region for a call that needs one.
    pub fn no_region(what: &str) -> Self {
        AskError::new(
            format!("no AWS region to look up {what} in"),
            "declare the task's `region = \"...\"`, pass `--region`, or set `AWS_REGION`",
        )
    }
}

/// The service error of a call that reached the service and was answered, or why the account
/// could not be asked. Access denied and rejected credentials are the latter.
pub fn classify<E>(operation: &str, error: SdkError<E>) -> Result<E, AskError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    const DENIED: &[&str] = &[
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
    ];
    const BAD_CREDENTIALS: &[&str] = &[
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidAccessKeyId",
    ];
    let chain = error_chain(&error);
    match error {
        SdkError::ServiceError(service) => {
            // Some endpoints answer 403 with a body the SDK cannot read a code from.
            let forbidden = service.raw().status().as_u16() == 403;
            let service = service.into_err();
            let code = service.code().unwrap_or("unknown").to_owned();
            let message = service.message().unwrap_or("HTTP 403").to_owned();
            if DENIED.contains(&code.as_str()) || (forbidden && code == "unknown") {
                Err(AskError::new(
                    format!("access denied to `{operation}`: {message}"),
                    format!(
                        "grant the credentials in use `{operation}` (README: \"Against the live \
                         account\" lists what each verb needs)"
                    ),
                ))
            } else if BAD_CREDENTIALS.contains(&code.as_str()) {
                Err(AskError::new(
                    format!("the AWS credentials in use were rejected ({code}): {message}"),
                    "refresh the credentials (`aws sso login`, a new session token) or choose \
                     others with `--profile`",
                ))
            } else {
                Ok(service)
            }
        }
        SdkError::TimeoutError(_) => Err(AskError::new(
            format!("`{operation}` timed out: {chain}"),
            "check the network, or `AWS_ENDPOINT_URL` if it is set",
        )),
        other => {
            if is_credentials_error(&other) {
                Err(no_credentials(&chain))
            } else if matches!(other, SdkError::DispatchFailure(_)) {
                Err(AskError::new(
                    format!("cannot reach AWS for `{operation}`: {chain}"),
                    "check the network, or `AWS_ENDPOINT_URL` if it is set",
                ))
            } else {
                Err(AskError::new(
                    format!("`{operation}` failed: {chain}"),
                    "run again; if it persists, check `AWS_ENDPOINT_URL` and the region",
                ))
            }
        }
    }
}

fn no_credentials(detail: &str) -> AskError {
    AskError::new(
        format!("no AWS credentials: {detail}"),
        "set `AWS_PROFILE` or pass `--profile`, or set `AWS_ACCESS_KEY_ID` and \
         `AWS_SECRET_ACCESS_KEY`; in GitHub Actions, use `aws-actions/configure-aws-credentials` \
         with OIDC",
    )
}

/// Whether a credentials provider is somewhere in the error's chain of sources.
fn is_credentials_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error
            .downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
            .is_some()
        {
            return true;
        }
        current = error.source();
    }
    false
}

/// Every message of an error's chain of sources, joined: the SDK's own `Display` says only
/// "dispatch failure".
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(error) = current {
        let text = error.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = error.source();
    }
    parts.join(": ")
}

/// The connection to one account: the SDK's configuration and who is asking.
#[derive(Debug, Clone)]
pub struct Account {
    config: SdkConfig,
    /// The account id of the credentials in use.
    pub id: String,
    /// The caller's ARN, as STS says.
    pub caller: String,
}

impl Account {
    /// Loads the configuration as every AWS tool does (environment, config files, SSO, web
    /// identity, container and instance credentials), and asks STS who the credentials
    /// belong to: no credentials, no network and rejected credentials show here, once,
    /// before any check.
    pub async fn connect(options: &AwsOptions) -> Result<Account, AskError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let config = loader.load().await;
        if config.credentials_provider().is_none() {
            return Err(no_credentials("no credentials provider is configured"));
        }
        // STS answers in every region; without one, its global endpoint's region.
        let sts_config = aws_sdk_sts::config::Builder::from(&config)
            .region(
                config
                    .region()
                    .cloned()
                    .unwrap_or_else(|| Region::new("us-east-1")),
            )
            .build();
        let sts = aws_sdk_sts::Client::from_conf(sts_config);
        let identity = match sts.get_caller_identity().send().await {
            Ok(identity) => identity,
            Err(error) => {
                let error = classify("sts:GetCallerIdentity", error)?;
                return Err(AskError::new(
                    format!(
                        "`sts:GetCallerIdentity` failed: {}",
                        error.message().unwrap_or("no message")
                    ),
                    "check the credentials and the region",
                ));
            }
        };
        Ok(Account {
            config,
            id: identity.account().unwrap_or_default().to_owned(),
            caller: identity.arn().unwrap_or_default().to_owned(),
        })
    }

    /// The region of the configuration (`--region`, `AWS_REGION`, the profile's).
    pub fn default_region(&self) -> Option<&str> {
        self.config.region().map(Region::as_ref)
    }

    /// `region`, else the configuration's.
    pub fn region_or_default(&self, region: Option<&str>, what: &str) -> Result<String, AskError> {
        region
            .or(self.default_region())
            .map(str::to_owned)
            .ok_or_else(|| AskError::no_region(what))
    }

    /// An ECS client in `region`.
    pub fn ecs(&self, region: &str) -> aws_sdk_ecs::Client {
        let config = aws_sdk_ecs::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_ecs::Client::from_conf(config)
    }

    /// A Secrets Manager client in `region`.
    pub fn secrets(&self, region: &str) -> aws_sdk_secretsmanager::Client {
        let config = aws_sdk_secretsmanager::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }

    /// An SSM client in `region`.
    pub fn ssm(&self, region: &str) -> aws_sdk_ssm::Client {
        let config = aws_sdk_ssm::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_ssm::Client::from_conf(config)
    }

    /// A KMS client in `region`.
    pub fn kms(&self, region: &str) -> aws_sdk_kms::Client {
        let config = aws_sdk_kms::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_kms::Client::from_conf(config)
    }

    /// An ECR client in `region`.
    pub fn ecr(&self, region: &str) -> aws_sdk_ecr::Client {
        let config = aws_sdk_ecr::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_ecr::Client::from_conf(config)
    }

    /// A CloudWatch Logs client in `region`.
    pub fn logs(&self, region: &str) -> aws_sdk_cloudwatchlogs::Client {
        let config = aws_sdk_cloudwatchlogs::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(config)
    }

    /// The IAM client. IAM is global; the SDK signs its calls for `us-east-1` in the `aws`
    /// partition whatever the configured region.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        let region = self.default_region().unwrap_or("us-east-1").to_owned();
        let config = aws_sdk_iam::config::Builder::from(&self.config)
            .region(Region::new(region))
            .build();
        aws_sdk_iam::Client::from_conf(config)
    }
}

/// Runs `future` to completion on a current-thread runtime built for it: the AWS verbs are
/// the only async code, and their calls are few and sequential.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, AskError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            AskError::new(
                format!("cannot start the async runtime: {e}"),
                "this is a bug in ecsdef, or the system is out of resources",
            )
        })?;
    Ok(runtime.block_on(future))
}
