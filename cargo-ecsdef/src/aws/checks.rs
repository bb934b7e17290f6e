//! `verify`'s checks of one task definition, as export would write it, against the account:
//! what ECS needs at the moment a task starts and reports only as a
//! `ResourceInitializationError`.
//!
//! | finding | what |
//! | --- | --- |
//! | `verify-secret-missing` | a `credentialsParameter` or `valueFrom` names no secret or parameter in the account and region the task would use |
//! | `verify-secret-kms-key` | a secret or `SecureString` is encrypted with a customer-managed key that is not the container's declared `kms_key` |
//! | `verify-credentials-json` | (`--get-secrets`) the credentials secret is not JSON with string `username` and `password` |
//! | `verify-secret-json-key` | (`--get-secrets`) the json key a `valueFrom` selects is not in the secret |
//! | `verify-role-missing` | the execution or task role does not exist |
//! | `verify-role-trust` | the role's trust policy does not let `ecs-tasks.amazonaws.com` assume it |
//! | `verify-role-policy` | the execution role's policies do not allow an action on a resource of the exported policy |
//! | `verify-image-missing` | a private ECR image's repository, tag or digest does not exist |
//! | `verify-log-group-missing` | an `awslogs` log group does not exist and the policy does not let ECS create it |
//! | `verify-kms-key-missing` | a declared `kms_key` does not exist |
//! | `verify-kms-key-disabled` | a declared `kms_key` is not enabled |
//!
//! A secret's value (`--get-secrets`) is read, checked and dropped in one function; no
//! message names any part of it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use aws_sdk_ecr::types::ImageIdentifier;
use aws_sdk_kms::types::{KeyManagerType, KeyState};
use aws_sdk_ssm::types::ParameterStringFilter;
use aws_sdk_sts::error::ProvideErrorMetadata;
use ecsdef_model::arn::{KmsKeyRef, RoleArn, SecretRef, SecretValueFrom, SsmParameterRef};
use ecsdef_model::context::Context;
use ecsdef_model::image::{ImageReference, RegistryKind};
use ecsdef_model::partition::Region;
use ecsdef_model::{LogDriver, TaskDefinition};
use serde_json::Value;

use super::iam::{self, ECS_TASKS_PRINCIPAL};
use super::{Account, AskError, classify};
use crate::analysis::Pos;

/// One task definition as export would write it, with where it is declared.
#[derive(Debug, Clone)]
pub struct Target {
    /// The family.
    pub family: String,
    /// The file that declares the task.
    pub file: PathBuf,
    /// Where in it.
    pub pos: Pos,
    /// The definition, placeholders substituted.
    pub definition: TaskDefinition,
    /// Its context (the containers' `kms_key`, the task's `region`), substituted too.
    pub context: Context,
    /// The JSON export writes: the `RegisterTaskDefinition` input.
    pub json: String,
    /// The exported execution-role policy, when the role needs any permission.
    pub policy: Option<Value>,
}

/// Something in the account that would stop the task from starting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its name: `verify-secret-missing`.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// What `verify` found for one task.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings.
    pub findings: Vec<Finding>,
    /// Names and partial ARNs resolved, with the complete ARN: always shown.
    pub resolved: Vec<String>,
    /// Each check that passed, for `-v`.
    pub passed: Vec<String>,
}

impl Outcome {
    fn finding(&mut self, rule: &'static str, message: String, help: impl Into<String>) {
        self.findings.push(Finding {
            rule,
            message,
            help: help.into(),
        });
    }
}

/// Where a secret reference points.
#[derive(Debug, Clone)]
enum Reference {
    /// A Secrets Manager secret: its id (name, partial or complete ARN) and region; the json
    /// key, version stage and version id a `valueFrom` selects.
    Secret {
        id: String,
        region: Option<String>,
        json_key: Option<String>,
        stage: Option<String>,
        version: Option<String>,
    },
    /// An SSM parameter, by its full name, and region.
    Parameter {
        name: String,
        region: Option<String>,
    },
}

/// One use of a secret by a container.
#[derive(Debug, Clone)]
struct Use {
    container: usize,
    container_name: String,
    /// The value as written: `credentialsParameter` or `valueFrom`.
    value: String,
    credentials: bool,
    reference: Reference,
}

fn region_text(region: Option<&Region>) -> Option<String> {
    region.map(ToString::to_string)
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.is_empty()).map(str::to_owned)
}

fn secret_uses(definition: &TaskDefinition) -> Vec<Use> {
    let mut uses = Vec::new();
    for (index, container) in definition.container_definitions.iter().enumerate() {
        let container_name = container
            .name
            .clone()
            .unwrap_or_else(|| format!("#{index}"));
        if let Some(credentials) = &container.repository_credentials {
            let value = &credentials.credentials_parameter;
            let region = match SecretRef::parse(value) {
                Ok(SecretRef::Arn(arn)) => region_text(arn.region()),
                Ok(SecretRef::Name(_)) => None,
                // The rule engine reported it.
                Err(_) => continue,
            };
            uses.push(Use {
                container: index,
                container_name: container_name.clone(),
                value: value.clone(),
                credentials: true,
                reference: Reference::Secret {
                    id: value.clone(),
                    region,
                    json_key: None,
                    stage: None,
                    version: None,
                },
            });
        }
        let log_secrets = container
            .log_configuration
            .as_ref()
            .and_then(|l| l.secret_options.as_ref());
        for secret in container.secrets.iter().chain(log_secrets).flatten() {
            let value = &secret.value_from;
            let reference = match SecretValueFrom::parse(value) {
                Ok(SecretValueFrom::SecretsManager(from)) => {
                    // The ARN is the first seven `:` fields; the rest select in the secret.
                    let arn_end = value
                        .match_indices(':')
                        .nth(6)
                        .map_or(value.len(), |(at, _)| at);
                    Reference::Secret {
                        id: value[..arn_end].to_owned(),
                        region: region_text(from.secret().region()),
                        json_key: non_empty(from.json_key()),
                        stage: non_empty(from.version_stage()),
                        version: non_empty(from.version_id()),
                    }
                }
                Ok(SecretValueFrom::Ssm(parameter)) => Reference::Parameter {
                    name: parameter.name(),
                    region: match &parameter {
                        SsmParameterRef::Arn(arn) => region_text(arn.region()),
                        SsmParameterRef::Name(_) => None,
                    },
                },
                Err(_) => continue,
            };
            uses.push(Use {
                container: index,
                container_name: container_name.clone(),
                value: value.clone(),
                credentials: false,
                reference,
            });
        }
    }
    uses
}

/// A secret as Secrets Manager describes it.
#[derive(Debug, Clone)]
struct SecretInfo {
    arn: String,
    /// The key it is encrypted with, as set (id, ARN or alias); `None` for the AWS-managed
    /// `aws/secretsmanager`.
    kms_key: Option<String>,
}

/// A KMS key as KMS describes it.
#[derive(Debug, Clone)]
struct KeyInfo {
    arn: String,
    aws_managed: bool,
    state: Option<KeyState>,
}

/// Why `operation` could not be asked, where no answer of it is a finding: what
/// [`classify`] says of the error, or the service's own error.
fn could_not_ask<E>(operation: &str, error: aws_sdk_sts::error::SdkError<E>) -> AskError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match classify(operation, error) {
        Ok(service) => failed(operation, &service),
        Err(ask) => ask,
    }
}

fn failed(operation: &str, error: &impl ProvideErrorMetadata) -> AskError {
    AskError {
        message: format!(
            "`{operation}` failed: {}: {}",
            error.code().unwrap_or("error"),
            error.message().unwrap_or("no message")
        ),
        help: "run again; if it persists, check the region and `AWS_ENDPOINT_URL`".to_owned(),
    }
}

/// Runs every check of `target`.
pub async fn verify(
    account: &Account,
    target: &Target,
    get_secrets: bool,
) -> Result<Outcome, AskError> {
    let mut checker = Checker {
        account,
        target,
        outcome: Outcome::default(),
        secrets: BTreeMap::new(),
        keys: BTreeMap::new(),
    };
    checker.secrets(get_secrets).await?;
    checker.kms_keys().await?;
    checker.roles().await?;
    checker.images().await?;
    checker.log_groups().await?;
    Ok(checker.outcome)
}

struct Checker<'a> {
    account: &'a Account,
    target: &'a Target,
    outcome: Outcome,
    /// Secrets described, by region and id.
    secrets: BTreeMap<(String, String), Option<SecretInfo>>,
    /// Keys described, by region and id.
    keys: BTreeMap<(String, String), Option<KeyInfo>>,
}

impl Checker<'_> {
    fn task_region(&self) -> Option<&str> {
        self.target.context.region.as_deref()
    }

    /// The region of a reference: its own (an ARN's), else the task's, else the configured.
    fn region(&self, own: Option<&str>, what: &str) -> Result<String, AskError> {
        self.account
            .region_or_default(own.or(self.task_region()), what)
    }

    fn declared_key(&self, container: usize) -> Option<&str> {
        self.target
            .context
            .containers
            .get(container)
            .and_then(|c| c.kms_key.as_deref())
    }

    async fn describe_secret(
        &mut self,
        region: &str,
        id: &str,
    ) -> Result<Option<SecretInfo>, AskError> {
        let key = (region.to_owned(), id.to_owned());
        if let Some(known) = self.secrets.get(&key) {
            return Ok(known.clone());
        }
        let result = self
            .account
            .secrets(region)
            .describe_secret()
            .secret_id(id)
            .send()
            .await;
        let info = match result {
            Ok(output) => Some(SecretInfo {
                arn: output.arn().unwrap_or(id).to_owned(),
                kms_key: output.kms_key_id().map(str::to_owned),
            }),
            Err(error) => {
                let error = classify("secretsmanager:DescribeSecret", error)?;
                if error.is_resource_not_found_exception() {
                    None
                } else {
                    return Err(failed("secretsmanager:DescribeSecret", &error));
                }
            }
        };
        self.secrets.insert(key, info.clone());
        Ok(info)
    }

    /// Every secret that `id` (a name, or a partial or complete ARN) may name: when its name
    /// ends in a hyphen and six letters or digits, both the secret of that whole name and the
    /// secret of the name before them whose random suffix they are (Secrets Manager's user
    /// guide warns that such names "might return unexpected results"). Fewer than two for
    /// any other name.
    async fn secrets_named(&self, region: &str, id: &str) -> Result<Vec<String>, AskError> {
        let name = id.split_once(":secret:").map_or(id, |(_, name)| name);
        let Some((base, suffix)) = name.rsplit_once('-') else {
            return Ok(Vec::new());
        };
        if suffix.len() != 6 || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(Vec::new());
        }
        let filter = aws_sdk_secretsmanager::types::Filter::builder()
            .key(aws_sdk_secretsmanager::types::FilterNameStringType::Name)
            .values(base)
            .build();
        let listed = self
            .account
            .secrets(region)
            .list_secrets()
            .filters(filter)
            .into_paginator()
            .send()
            .try_collect()
            .await;
        let listed: Vec<_> = match listed {
            Ok(pages) => pages
                .into_iter()
                .flat_map(|page| page.secret_list.unwrap_or_default())
                .collect(),
            Err(error) => return Err(could_not_ask("secretsmanager:ListSecrets", error)),
        };
        let tail = format!("-{suffix}");
        Ok(listed
            .iter()
            .filter(|s| {
                s.name() == Some(name)
                    || (s.name() == Some(base) && s.arn().is_some_and(|arn| arn.ends_with(&tail)))
            })
            .filter_map(|s| s.arn().map(str::to_owned))
            .collect())
    }

    async fn describe_key(&mut self, region: &str, id: &str) -> Result<Option<KeyInfo>, AskError> {
        let key = (region.to_owned(), id.to_owned());
        if let Some(known) = self.keys.get(&key) {
            return Ok(known.clone());
        }
        let result = self
            .account
            .kms(region)
            .describe_key()
            .key_id(id)
            .send()
            .await;
        let info = match result {
            Ok(output) => output.key_metadata().map(|metadata| KeyInfo {
                arn: metadata.arn().unwrap_or(id).to_owned(),
                aws_managed: metadata.key_manager() == Some(&KeyManagerType::Aws),
                state: metadata.key_state().cloned(),
            }),
            Err(error) => {
                let error = classify("kms:DescribeKey", error)?;
                if error.is_not_found_exception() {
                    None
                } else {
                    return Err(failed("kms:DescribeKey", &error));
                }
            }
        };
        self.keys.insert(key, info.clone());
        Ok(info)
    }

    /// The key a secret or parameter is encrypted with (`None`, or an `alias/aws/...`, is the
    /// AWS-managed key) agrees with the container's declared `kms_key`.
    async fn key_agrees(
        &mut self,
        use_: &Use,
        region: &str,
        actual: Option<&str>,
        what: &str,
    ) -> Result<(), AskError> {
        let Some(actual) = actual.filter(|k| !k.contains("alias/aws/")) else {
            return Ok(());
        };
        let Some(actual_key) = self.describe_key(region, actual).await? else {
            // A key that does not exist: the secret cannot be read by anyone; KMS would say so.
            self.outcome.finding(
                "verify-secret-kms-key",
                format!("{what} is encrypted with KMS key `{actual}`, which does not exist"),
                "re-encrypt the secret with an existing key and declare it as the container's `kms_key`",
            );
            return Ok(());
        };
        if actual_key.aws_managed {
            return Ok(());
        }
        let declared = self.declared_key(use_.container).map(str::to_owned);
        let Some(declared) = declared else {
            self.outcome.finding(
                "verify-secret-kms-key",
                format!(
                    "{what} is encrypted with the customer-managed KMS key `{}`, which container \
                     `{}` does not declare: the exported policy grants no `kms:Decrypt` on it",
                    actual_key.arn, use_.container_name
                ),
                format!(
                    "declare `kms_key = \"{}\"` on container `{}`",
                    actual_key.arn, use_.container_name
                ),
            );
            return Ok(());
        };
        let declared_region = KmsKeyRef::parse(&declared)
            .ok()
            .and_then(|k| region_text(k.region()))
            .unwrap_or_else(|| region.to_owned());
        let declared_arn = self
            .describe_key(&declared_region, &declared)
            .await?
            .map_or(declared.clone(), |k| k.arn);
        if declared_arn == actual_key.arn {
            self.outcome.passed.push(format!(
                "{what} is encrypted with the declared key `{declared}`"
            ));
        } else {
            self.outcome.finding(
                "verify-secret-kms-key",
                format!(
                    "{what} is encrypted with KMS key `{}`, but container `{}` declares \
                     `kms_key = \"{declared}\"`: the exported policy grants `kms:Decrypt` on the \
                     wrong key",
                    actual_key.arn, use_.container_name
                ),
                format!(
                    "declare `kms_key = \"{}\"` on container `{}`, or re-encrypt the secret with \
                     the declared key",
                    actual_key.arn, use_.container_name
                ),
            );
        }
        Ok(())
    }

    async fn secrets(&mut self, get_secrets: bool) -> Result<(), AskError> {
        for use_ in secret_uses(&self.target.definition) {
            match &use_.reference {
                Reference::Secret {
                    id,
                    region,
                    json_key,
                    stage,
                    version,
                } => {
                    let what = format!(
                        "secret `{}` of container `{}`",
                        use_.value, use_.container_name
                    );
                    let region = self.region(region.as_deref(), &what)?;
                    let Some(info) = self.describe_secret(&region, id).await? else {
                        let field = if use_.credentials {
                            "repositoryCredentials.credentialsParameter"
                        } else {
                            "valueFrom"
                        };
                        self.outcome.finding(
                            "verify-secret-missing",
                            format!(
                                "container `{}`: the secret `{id}` ({field}) does not exist in \
                                 account {} region {region}",
                                use_.container_name, self.account.id
                            ),
                            "create the secret (`aws secretsmanager create-secret`), or correct \
                             the name or ARN; a name is looked up in the task's region",
                        );
                        continue;
                    };
                    let matches = self.secrets_named(&region, id).await?;
                    if matches.len() > 1 {
                        self.outcome.finding(
                            "verify-secret-ambiguous",
                            format!(
                                "container `{}`: `{id}` names {} secrets ({}): a name that ends \
                                 in a hyphen and six characters reads as a name and as another \
                                 secret's random suffix, and ECS may read either",
                                use_.container_name,
                                matches.len(),
                                matches
                                    .iter()
                                    .map(|arn| format!("`{arn}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            "give the complete ARN of the secret meant, or rename the secret \
                             whose name ends like a random suffix",
                        );
                        continue;
                    }
                    if info.arn == *id {
                        self.outcome.passed.push(format!("{what} exists"));
                    } else {
                        self.outcome
                            .resolved
                            .push(format!("`{id}` to `{}`", info.arn));
                    }
                    let secret_what = format!("secret `{}`", info.arn);
                    self.key_agrees(&use_, &region, info.kms_key.as_deref(), &secret_what)
                        .await?;
                    if get_secrets && (use_.credentials || json_key.is_some()) {
                        self.secret_value(
                            &use_,
                            &region,
                            &info.arn,
                            json_key.as_deref(),
                            stage.as_deref(),
                            version.as_deref(),
                        )
                        .await?;
                    }
                }
                Reference::Parameter { name, region } => {
                    let what = format!(
                        "parameter `{}` of container `{}`",
                        use_.value, use_.container_name
                    );
                    let region = self.region(region.as_deref(), &what)?;
                    let filter = ParameterStringFilter::builder()
                        .key("Name")
                        .option("Equals")
                        .values(name.clone())
                        .build()
                        .map_err(|e| AskError {
                            message: format!("cannot build an SSM filter: {e}"),
                            help: "this is a bug in ecsdef".to_owned(),
                        })?;
                    let result = self
                        .account
                        .ssm(&region)
                        .describe_parameters()
                        .parameter_filters(filter)
                        .into_paginator()
                        .send()
                        .try_collect()
                        .await;
                    // Every page: SSM may answer a filtered query with an empty page and a
                    // token.
                    let parameters: Vec<_> = match result {
                        Ok(pages) => pages
                            .into_iter()
                            .flat_map(|page| page.parameters.unwrap_or_default())
                            .collect(),
                        Err(error) => return Err(could_not_ask("ssm:DescribeParameters", error)),
                    };
                    let found = parameters.iter().find(|p| p.name() == Some(name.as_str()));
                    let Some(parameter) = found else {
                        self.outcome.finding(
                            "verify-secret-missing",
                            format!(
                                "container `{}`: the SSM parameter `{name}` (valueFrom) does not \
                                 exist in account {} region {region}",
                                use_.container_name, self.account.id
                            ),
                            "create the parameter (`aws ssm put-parameter`), or correct the name \
                             or ARN; a name is looked up in the task's region",
                        );
                        continue;
                    };
                    self.outcome.passed.push(format!("{what} exists"));
                    let secure = parameter.r#type()
                        == Some(&aws_sdk_ssm::types::ParameterType::SecureString);
                    let key = parameter.key_id().map(str::to_owned);
                    if secure {
                        let parameter_what = format!("SSM parameter `{name}`");
                        self.key_agrees(&use_, &region, key.as_deref(), &parameter_what)
                            .await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a secret's value, checks its shape, drops it. Nothing of the value reaches a
    /// message.
    async fn secret_value(
        &mut self,
        use_: &Use,
        region: &str,
        arn: &str,
        json_key: Option<&str>,
        stage: Option<&str>,
        version: Option<&str>,
    ) -> Result<(), AskError> {
        let mut request = self
            .account
            .secrets(region)
            .get_secret_value()
            .secret_id(arn);
        if let Some(stage) = stage {
            request = request.version_stage(stage);
        }
        if let Some(version) = version {
            request = request.version_id(version);
        }
        let shape = match request.send().await {
            Ok(output) => Shape::of(output.secret_string()),
            Err(error) => return Err(could_not_ask("secretsmanager:GetSecretValue", error)),
        };
        if use_.credentials {
            let problem = match &shape {
                Shape::NotText => Some("holds binary data, not a JSON text".to_owned()),
                Shape::NotJson => Some("is not JSON".to_owned()),
                Shape::NotObject => Some("is JSON but not an object".to_owned()),
                Shape::Object(members) => {
                    let bad: Vec<&str> = ["username", "password"]
                        .into_iter()
                        .filter(|k| members.get(*k) != Some(&true))
                        .collect();
                    (!bad.is_empty()).then(|| {
                        format!(
                            "has no string {}",
                            bad.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        )
                    })
                }
            };
            match problem {
                Some(problem) => self.outcome.finding(
                    "verify-credentials-json",
                    format!(
                        "the credentials secret `{arn}` of container `{}` {problem}: ECS needs \
                         `{{\"username\": \"...\", \"password\": \"...\"}}`",
                        use_.container_name
                    ),
                    "put the registry's user name and password (or token) in the secret as \
                     that JSON object (`aws secretsmanager put-secret-value`)",
                ),
                None => self.outcome.passed.push(format!(
                    "credentials secret `{arn}` holds a string `username` and `password`"
                )),
            }
        }
        if let Some(key) = json_key {
            let present = matches!(&shape, Shape::Object(members) if members.contains_key(key));
            if present {
                self.outcome
                    .passed
                    .push(format!("secret `{arn}` has the json key `{key}`"));
            } else {
                self.outcome.finding(
                    "verify-secret-json-key",
                    format!(
                        "container `{}`: `{}` selects the json key `{key}`, which secret `{arn}` \
                         does not have{}",
                        use_.container_name,
                        use_.value,
                        match shape {
                            Shape::Object(_) => "",
                            _ => " (its value is not a JSON object)",
                        }
                    ),
                    "add the key to the secret's JSON, or correct the key in `valueFrom`",
                );
            }
        }
        Ok(())
    }

    async fn kms_keys(&mut self) -> Result<(), AskError> {
        let mut declared: Vec<String> = self
            .target
            .context
            .containers
            .iter()
            .filter_map(|c| c.kms_key.clone())
            .collect();
        declared.sort();
        declared.dedup();
        for key in declared {
            let own = KmsKeyRef::parse(&key)
                .ok()
                .and_then(|k| region_text(k.region()));
            let region = self.region(own.as_deref(), &format!("KMS key `{key}`"))?;
            match self.describe_key(&region, &key).await? {
                None => self.outcome.finding(
                    "verify-kms-key-missing",
                    format!("the declared `kms_key` `{key}` does not exist in region {region}"),
                    "correct the container's `kms_key` to the key that encrypts its secrets",
                ),
                Some(info) if info.state.as_ref() != Some(&KeyState::Enabled) => {
                    self.outcome.finding(
                        "verify-kms-key-disabled",
                        format!(
                            "the declared `kms_key` `{key}` is {}: ECS cannot decrypt the secrets \
                             it encrypts",
                            info.state.as_ref().map_or(
                                "in an unknown state".to_owned(),
                                |s| format!("`{}`", s.as_str())
                            )
                        ),
                        "enable the key (`aws kms enable-key`), or cancel its deletion",
                    );
                }
                Some(_) => self
                    .outcome
                    .passed
                    .push(format!("KMS key `{key}` exists and is enabled")),
            }
        }
        Ok(())
    }

    async fn roles(&mut self) -> Result<(), AskError> {
        let definition = &self.target.definition;
        let roles = [
            ("execution", definition.execution_role_arn.clone()),
            ("task", definition.task_role_arn.clone()),
        ];
        for (kind, arn) in roles {
            let Some(arn) = arn else { continue };
            let Ok(role) = RoleArn::parse(&arn) else {
                continue;
            };
            let name = role.name().to_owned();
            let iam = self.account.iam();
            let trust = match iam.get_role().role_name(&name).send().await {
                Ok(output) => output
                    .role()
                    .and_then(|r| r.assume_role_policy_document())
                    .and_then(iam::parse_document),
                Err(error) => {
                    let error = classify("iam:GetRole", error)?;
                    if error.is_no_such_entity_exception() {
                        self.outcome.finding(
                            "verify-role-missing",
                            format!("the {kind} role `{arn}` does not exist"),
                            format!(
                                "create the role with a trust policy for `{ECS_TASKS_PRINCIPAL}`, \
                                 or correct `{kind}_role_arn`"
                            ),
                        );
                        continue;
                    }
                    return Err(failed("iam:GetRole", &error));
                }
            };
            if trust
                .as_ref()
                .is_some_and(|t| iam::trusts_service(t, ECS_TASKS_PRINCIPAL))
            {
                self.outcome.passed.push(format!(
                    "the {kind} role `{name}` exists and trusts `{ECS_TASKS_PRINCIPAL}`"
                ));
            } else {
                self.outcome.finding(
                    "verify-role-trust",
                    format!(
                        "the trust policy of the {kind} role `{arn}` does not let \
                         `{ECS_TASKS_PRINCIPAL}` assume it (`sts:AssumeRole`): ECS cannot use the role"
                    ),
                    format!(
                        "add a statement `{{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \
                         \"{ECS_TASKS_PRINCIPAL}\"}}, \"Action\": \"sts:AssumeRole\"}}` to the \
                         role's trust policy"
                    ),
                );
            }
            if kind == "execution"
                && let Some(required) = &self.target.policy
            {
                let documents = self.role_documents(&name).await?;
                let missing = iam::missing(&documents, required);
                if missing.is_empty() {
                    self.outcome.passed.push(format!(
                        "the policies of `{name}` allow every grant of the exported policy"
                    ));
                } else {
                    let listed: Vec<String> = missing
                        .iter()
                        .map(|(action, resource)| format!("`{action}` on `{resource}`"))
                        .collect();
                    self.outcome.finding(
                        "verify-role-policy",
                        format!(
                            "the policies of the execution role `{name}` do not allow {}",
                            listed.join(", ")
                        ),
                        format!(
                            "put the exported policy (`{}.execution-role-policy.json`, or \
                             `cargo ecsdef policy {}`) on the role: `cargo ecsdef register \
                             --policy` does it",
                            self.target.family, self.target.family
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// The role's inline policies and the default versions of its attached policies.
    async fn role_documents(&self, role: &str) -> Result<Vec<Value>, AskError> {
        let iam = self.account.iam();
        let mut documents = Vec::new();
        // Every page: a role may hold more policies than one answer lists.
        let names = match iam
            .list_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
        {
            Ok(names) => names,
            Err(error) => return Err(could_not_ask("iam:ListRolePolicies", error)),
        };
        for name in names {
            match iam
                .get_role_policy()
                .role_name(role)
                .policy_name(&name)
                .send()
                .await
            {
                Ok(output) => documents.extend(iam::parse_document(output.policy_document())),
                Err(error) => return Err(could_not_ask("iam:GetRolePolicy", error)),
            }
        }
        let attached = match iam
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
        {
            Ok(policies) => policies
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_owned))
                .collect::<Vec<_>>(),
            Err(error) => return Err(could_not_ask("iam:ListAttachedRolePolicies", error)),
        };
        for arn in attached {
            let version = match iam.get_policy().policy_arn(&arn).send().await {
                Ok(output) => output
                    .policy()
                    .and_then(|p| p.default_version_id())
                    .map(str::to_owned),
                Err(error) => return Err(could_not_ask("iam:GetPolicy", error)),
            };
            let Some(version) = version else { continue };
            match iam
                .get_policy_version()
                .policy_arn(&arn)
                .version_id(version)
                .send()
                .await
            {
                Ok(output) => documents.extend(
                    output
                        .policy_version()
                        .and_then(|v| v.document())
                        .and_then(iam::parse_document),
                ),
                Err(error) => return Err(could_not_ask("iam:GetPolicyVersion", error)),
            }
        }
        Ok(documents)
    }

    async fn images(&mut self) -> Result<(), AskError> {
        for container in &self.target.definition.container_definitions {
            let Some(image) = container.image.as_deref() else {
                continue;
            };
            let Ok(reference) = ImageReference::parse(image) else {
                continue;
            };
            let RegistryKind::EcrPrivate(registry) = reference.registry_kind() else {
                continue;
            };
            let Some(repository) = reference.ecr_repository() else {
                continue;
            };
            let mut id = ImageIdentifier::builder();
            id = match (reference.digest(), reference.tag()) {
                (Some(digest), _) => id.image_digest(digest),
                (None, Some(tag)) => id.image_tag(tag),
                (None, None) => id.image_tag("latest"),
            };
            let result = self
                .account
                .ecr(registry.region())
                .describe_images()
                .registry_id(registry.account())
                .repository_name(repository)
                .image_ids(id.build())
                .send()
                .await;
            match result {
                Ok(_) => self.outcome.passed.push(format!("image `{image}` exists")),
                Err(error) => {
                    let error = classify("ecr:DescribeImages", error)?;
                    if error.is_repository_not_found_exception() {
                        self.outcome.finding(
                            "verify-image-missing",
                            format!(
                                "the ECR repository `{repository}` of image `{image}` does not \
                                 exist in account {} region {}",
                                registry.account(),
                                registry.region()
                            ),
                            "create the repository and push the image, or correct the image",
                        );
                    } else if error.is_image_not_found_exception() {
                        self.outcome.finding(
                            "verify-image-missing",
                            format!(
                                "image `{image}` was never pushed: repository `{repository}` has \
                                 no such {}",
                                if reference.digest().is_some() {
                                    "digest"
                                } else {
                                    "tag"
                                }
                            ),
                            "push the image before deploying, or correct its tag or digest",
                        );
                    } else {
                        return Err(failed("ecr:DescribeImages", &error));
                    }
                }
            }
        }
        Ok(())
    }

    async fn log_groups(&mut self) -> Result<(), AskError> {
        for container in &self.target.definition.container_definitions {
            let Some(log) = &container.log_configuration else {
                continue;
            };
            if log.log_driver != LogDriver::Awslogs {
                continue;
            }
            let options = log.options.clone().unwrap_or_default();
            let Some(group) = options.get("awslogs-group") else {
                continue;
            };
            let region = self.region(
                options.get("awslogs-region").map(String::as_str),
                &format!("log group `{group}`"),
            )?;
            let result = self
                .account
                .logs(&region)
                .describe_log_groups()
                .log_group_name_prefix(group)
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
            // Every page: other groups may share the name as a prefix.
            let exists = match result {
                Ok(groups) => groups
                    .iter()
                    .any(|g| g.log_group_name() == Some(group.as_str())),
                Err(error) => return Err(could_not_ask("logs:DescribeLogGroups", error)),
            };
            if exists {
                self.outcome
                    .passed
                    .push(format!("log group `{group}` exists in {region}"));
            } else if self.policy_grants("logs:CreateLogGroup") {
                self.outcome.passed.push(format!(
                    "log group `{group}` does not exist in {region}; the policy lets ECS create it"
                ));
            } else {
                self.outcome.finding(
                    "verify-log-group-missing",
                    format!(
                        "the `awslogs` log group `{group}` does not exist in region {region}, and \
                         the task does not let ECS create it"
                    ),
                    "create the log group (`aws logs create-log-group`), or set the log option \
                     `awslogs-create-group = \"true\"`, which adds `logs:CreateLogGroup` to the \
                     exported policy",
                );
            }
        }
        Ok(())
    }

    fn policy_grants(&self, action: &str) -> bool {
        self.target.policy.as_ref().is_some_and(|policy| {
            policy
                .get("Statement")
                .and_then(Value::as_array)
                .is_some_and(|statements| {
                    statements.iter().any(|s| {
                        s.get("Action")
                            .and_then(Value::as_array)
                            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(action)))
                    })
                })
        })
    }
}

/// What a secret's value looks like, without the value: for each member of a JSON object,
/// whether it is a string.
enum Shape {
    NotText,
    NotJson,
    NotObject,
    Object(BTreeMap<String, bool>),
}

impl Shape {
    fn of(text: Option<&str>) -> Shape {
        let Some(text) = text else {
            return Shape::NotText;
        };
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(members)) => Shape::Object(
                members
                    .into_iter()
                    .map(|(key, value)| (key, value.is_string()))
                    .collect(),
            ),
            Ok(_) => Shape::NotObject,
            Err(_) => Shape::NotJson,
        }
    }
}
