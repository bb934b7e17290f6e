//! The least-privilege inline policy of a task's execution role: exactly the permissions ECS
//! needs to start the task as declared, and nothing more.
//!
//! [`execution_role_policy`] reads the task definition and its [`Context`] and grants:
//!
//! | action | on |
//! | --- | --- |
//! | `secretsmanager:GetSecretValue` | each secret of `repositoryCredentials.credentialsParameter`, `secrets[].valueFrom` and `logConfiguration.secretOptions[].valueFrom` |
//! | `ssm:GetParameters` | each SSM parameter of `secrets[].valueFrom` and `secretOptions[].valueFrom` |
//! | `kms:Decrypt` | the `kms_key` of each container that uses credentials or secrets |
//! | `logs:CreateLogStream`, `logs:PutLogEvents` | each `awslogs` log group, `...:log-group:GROUP:*` |
//! | `logs:CreateLogGroup` | the same, where `awslogs-create-group` is true (`"true"`, or another spelling Docker reads as true) |
//! | `ecr:GetAuthorizationToken` | `*`, when an image is in a private ECR registry |
//! | `ecr:BatchCheckLayerAvailability`, `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer` | each private ECR repository of an image |
//!
//! Resources:
//!
//! - A complete secret ARN is used as is; the json-key and version fields of a `valueFrom` are
//!   dropped, because IAM authorizes `GetSecretValue` on the secret, not on a key of it.
//! - A partial secret ARN (no `-XXXXXX` suffix) becomes `ARN-??????`: exactly six characters,
//!   which is what Secrets Manager appends, where `*` would also match `NAME-other-AbCdEf`.
//! - A secret name or an SSM parameter name becomes an ARN in the task's `region`
//!   ([`Context::region`]) and the execution role's partition and account. Without a `region`
//!   this is a [`PolicyError`]: ECS resolves names in the region the task runs in, which the
//!   definition alone does not say.
//! - A log group is `arn:P:logs:REGION:ACCOUNT:log-group:GROUP:*`, with the region of
//!   `awslogs-region` and the execution role's account. `logs:CreateLogGroup` gets the same
//!   `:*` resource and not the bare group ARN: CloudWatch Logs authorizes the creation against
//!   `...:log-group:GROUP:log-stream:`, which only the `:*` form matches (the ECS agent's
//!   access-denied message names that resource).
//! - Placeholders (`${NAME}`) are kept as written; the export resolves them in the written
//!   document. An image whose registry is a placeholder (`${IMAGE}`) cannot be told to be in ECR
//!   and gets no ECR grant: derive the policy from the resolved definition to cover it.
//!
//! The document is byte-stable: one statement per distinct set of actions, resources sorted
//! and deduplicated, statements sorted by their action lists, so neither the order of the
//! containers nor that of their members changes a byte. `Action` and `Resource` are always
//! lists, even of one element, so that a grant added later shows as a one-line diff. Each
//! statement's `Sid` names what it is for (`ReadSecrets`, `PullEcrImages`, ...); it is a
//! function of the statement's actions, so it is as stable as they are and unique in the
//! document.
//!
//! Values are assumed valid: callers run [`crate::rules::check`] first and stop on its errors.
//! A value this module cannot parse (a malformed ARN, image, region or log group name) is
//! skipped rather than reported, since the rule engine reports it with a better diagnostic;
//! likewise, without a parsable execution role ARN, the resources that need its partition or
//! account (names, log groups) are skipped.
//!
//! An execution role given by its short name (`ecsTaskExecutionRole`) is in the account that
//! registers the task definition, which the definition does not say: its resources have `*`
//! for the account, and the partition of the region they are in. ECS resolves names and
//! writes logs in the task's own account, and a resource of the same name in another account
//! is reachable only where that account shares it. (The IAM policy variable
//! `${aws:PrincipalAccount}` would be exact, but cfn-lint's IAM rules take only twelve
//! digits, `*` or `aws` for a resource's account.)

use std::fmt;

use serde::ser::{Serialize, SerializeStruct as _, Serializer};

use crate::arn::{
    Account, ArnContext, KmsKeyRef, RoleArn, SecretRef, SecretValueFrom, SsmParameterRef,
};
use crate::context::Context;
use crate::partition::{Partition, Region};
use crate::placeholder::{literal_chars, templated_segment};
use crate::{ContainerDefinition, LogDriver, TaskDefinition};

/// The IAM policy language version every document is written in.
pub const POLICY_VERSION: &str = "2012-10-17";

/// An IAM policy document, serialized as
/// `{"Version": "2012-10-17", "Statement": [{"Sid", "Effect", "Action", "Resource"}, ...]}`.
///
/// Built only by [`execution_role_policy`], which keeps it in its canonical order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    version: &'static str,
    statements: Vec<Statement>,
}

// Written out rather than derived, as the model's are (`serde_derive` stays off the model's
// critical path): IAM's member names, in IAM's order.
impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("PolicyDocument", 2)?;
        state.serialize_field("Version", self.version)?;
        state.serialize_field("Statement", &self.statements)?;
        state.end()
    }
}

impl PolicyDocument {
    /// The policy language version, [`POLICY_VERSION`].
    pub fn version(&self) -> &str {
        self.version
    }

    /// The statements, sorted by their action lists.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Whether the role needs no permission at all (a public image, no secrets, no `awslogs`).
    /// IAM refuses a policy without statements, so the export should write none.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The canonical JSON: two-space indent, a trailing newline. Same task, same bytes.
    pub fn to_json(&self) -> String {
        crate::json::to_canonical_json_of(self)
    }
}

// The JSON of `to_json`, the same bytes as the `Serialize` impls below through serde_json,
// with the model's writer (which the derives' build already compiles).
impl crate::json::WriteJson for PolicyDocument {
    fn write_json(&self, w: &mut crate::json::JsonWriter) {
        w.begin_object();
        w.key("Version");
        w.string(self.version);
        w.key("Statement");
        w.begin_array();
        for statement in &self.statements {
            w.element();
            statement.write_json(w);
        }
        w.end_array();
        w.end_object();
    }
}

impl crate::json::WriteJson for Statement {
    fn write_json(&self, w: &mut crate::json::JsonWriter) {
        w.begin_object();
        w.key("Sid");
        w.string(&self.sid);
        w.key("Effect");
        w.string(self.effect);
        w.key("Action");
        w.begin_array();
        for action in &self.actions {
            w.element();
            w.string(action);
        }
        w.end_array();
        w.key("Resource");
        self.resources.write_json(w);
        w.end_object();
    }
}

/// One `Allow` statement of a [`PolicyDocument`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    sid: String,
    effect: &'static str,
    actions: Vec<&'static str>,
    resources: Vec<String>,
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Statement", 4)?;
        state.serialize_field("Sid", &self.sid)?;
        state.serialize_field("Effect", self.effect)?;
        state.serialize_field("Action", &self.actions)?;
        state.serialize_field("Resource", &self.resources)?;
        state.end()
    }
}

impl Statement {
    /// The statement id, e.g. `ReadSecrets`: what the statement is for.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// Always `Allow`.
    pub fn effect(&self) -> &str {
        self.effect
    }

    /// The actions, sorted.
    pub fn actions(&self) -> &[&'static str] {
        &self.actions
    }

    /// The resource ARNs (or `*`), sorted and deduplicated.
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
}

/// Why the policy cannot be written: every name that cannot be resolved to an ARN, in the
/// order of the containers and their members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// One entry per offending value.
    pub problems: Vec<PolicyProblem>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            problem.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// A value the policy needs an ARN for and cannot get one: a secret or SSM parameter given by
/// name in a task that declares no `region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The container's index in `containerDefinitions`.
    pub container: usize,
    /// The container's name, where it has one.
    pub container_name: Option<String>,
    /// The JSON path of the value, e.g.
    /// `containerDefinitions[0].repositoryCredentials.credentialsParameter`.
    pub path: String,
    /// The value as written.
    pub value: String,
    /// What is wrong, naming the container and the value.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: {} at {}\n  = help: {}",
            self.message, self.path, self.help
        )
    }
}

/// The least-privilege inline policy of the task's execution role, or `None` when the task
/// has no `executionRoleArn`. See the [module documentation](self) for what is granted on
/// what, and why.
///
/// Run [`crate::rules::check`] first: values it rejects are skipped here, not reported.
///
/// # Errors
///
/// A secret name (`credentialsParameter`) or an SSM parameter name (`valueFrom`) in a task
/// whose [`Context::region`] is `None`: the ARN it stands for depends on the region the task
/// runs in. The error lists every such value.
pub fn execution_role_policy(
    definition: &TaskDefinition,
    context: &Context,
) -> Result<Option<PolicyDocument>, PolicyError> {
    let Some(builder) = build(definition, context, Mode::Document) else {
        return Ok(None);
    };
    if builder.problems.is_empty() {
        Ok(Some(builder.into_document()))
    } else {
        Err(PolicyError {
            problems: builder.problems,
        })
    }
}

/// What [`execution_role_policy`] gives, without writing the document: for a caller that
/// only needs to know whether there is a policy to write (`cargo ecsdef check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOutcome {
    /// The task has no `executionRoleArn`: no policy (`Ok(None)`).
    NoRole,
    /// A policy without a statement: ECS needs no permission to start the task.
    Empty,
    /// A policy with at least one statement.
    Grants,
}

/// Whether [`execution_role_policy`] fails, and otherwise whether its document has a
/// statement, for a fraction of the work: no resource is written, and a task that declares
/// its `region` (so that no name can fail) is read only up to its first grant. The error is
/// the one [`execution_role_policy`] returns.
///
/// # Errors
///
/// As [`execution_role_policy`].
pub fn execution_role_policy_outcome(
    definition: &TaskDefinition,
    context: &Context,
) -> Result<PolicyOutcome, PolicyError> {
    let Some(builder) = build(definition, context, Mode::Outcome) else {
        return Ok(PolicyOutcome::NoRole);
    };
    if !builder.problems.is_empty() {
        Err(PolicyError {
            problems: builder.problems,
        })
    } else if builder.granted {
        Ok(PolicyOutcome::Grants)
    } else {
        Ok(PolicyOutcome::Empty)
    }
}

/// Reads every container's grants (and problems) into a builder; `None` without an execution
/// role.
fn build<'a>(definition: &TaskDefinition, context: &'a Context, mode: Mode) -> Option<Builder<'a>> {
    let role = definition.execution_role_arn.as_deref()?;
    let mut builder = Builder {
        role: RoleArn::parse(role).ok(),
        short_role: crate::arn::is_role_short_name(role),
        task_region: context.region.as_deref(),
        names: NameContext::Invalid,
        mode,
        granted: false,
        grants: Vec::new(),
        problems: Vec::new(),
    };
    builder.names = builder.resolve_names();
    for (index, container) in definition.container_definitions.iter().enumerate() {
        // Only a name without a region is a problem: with the region declared, the first
        // grant settles the outcome.
        if mode == Mode::Outcome && builder.granted && builder.task_region.is_some() {
            break;
        }
        let kms_key = context
            .containers
            .get(index)
            .and_then(|c| c.kms_key.as_deref());
        builder.container(index, container, kms_key);
    }
    Some(builder)
}

/// What a [`Builder`] keeps of each grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every resource and its grants, for the document.
    Document,
    /// Only that there is one ([`execution_role_policy_outcome`]).
    Outcome,
}

/// What one resource is granted. The variants' order is the order of a combined `Sid`'s
/// parts; their action lists are disjoint, so distinct sets of grants have distinct actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    CreateLogGroups,
    DecryptSecrets,
    GetEcrAuthorizationToken,
    PullEcrImages,
    ReadSecrets,
    ReadSsmParameters,
    WriteLogs,
}

impl Grant {
    /// Every grant, in the order of the variants.
    const ALL: [Grant; 7] = [
        Grant::CreateLogGroups,
        Grant::DecryptSecrets,
        Grant::GetEcrAuthorizationToken,
        Grant::PullEcrImages,
        Grant::ReadSecrets,
        Grant::ReadSsmParameters,
        Grant::WriteLogs,
    ];

    /// The grant's bit in a [`Grants`] set.
    fn bit(self) -> u8 {
        1 << self as u8
    }

    fn actions(self) -> &'static [&'static str] {
        match self {
            Grant::CreateLogGroups => &["logs:CreateLogGroup"],
            Grant::DecryptSecrets => &["kms:Decrypt"],
            Grant::GetEcrAuthorizationToken => &["ecr:GetAuthorizationToken"],
            Grant::PullEcrImages => &[
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            Grant::ReadSecrets => &["secretsmanager:GetSecretValue"],
            Grant::ReadSsmParameters => &["ssm:GetParameters"],
            Grant::WriteLogs => &["logs:CreateLogStream", "logs:PutLogEvents"],
        }
    }

    /// The `Sid` of a statement of this grant alone: ASCII letters, which IAM allows (it takes
    /// letters and digits only).
    fn sid(self) -> &'static str {
        match self {
            Grant::CreateLogGroups => "CreateLogGroups",
            Grant::DecryptSecrets => "DecryptSecrets",
            Grant::GetEcrAuthorizationToken => "GetEcrAuthorizationToken",
            Grant::PullEcrImages => "PullEcrImages",
            Grant::ReadSecrets => "ReadSecrets",
            Grant::ReadSsmParameters => "ReadSsmParameters",
            Grant::WriteLogs => "WriteLogs",
        }
    }
}

/// A set of [`Grant`]s, one bit per variant. A bit set rather than a `BTreeSet`: it is copied,
/// compared and merged without allocating, and compiles to no generic collection code.
type Grants = u8;

/// What a name (secret or SSM parameter) resolves in.
enum NameContext {
    Resolved(ArnContext),
    /// The task declares no region: an error.
    NoRegion,
    /// The role or the region does not parse: the rule engine reports it.
    Invalid,
}

/// The account of the resources of a role given by its short name (see the module's
/// documentation).
const ANY_ACCOUNT: &str = "*";

struct Builder<'a> {
    role: Option<RoleArn>,
    /// The role is given by its short name.
    short_role: bool,
    task_region: Option<&'a str>,
    /// What the task's names (secrets, SSM parameters) resolve in: the same for each.
    names: NameContext,
    mode: Mode,
    /// Whether anything was granted.
    granted: bool,
    /// Each resource and what it is granted, sorted by resource: one resource granted by
    /// several containers (a shared secret) is listed once. A sorted `Vec` searched by
    /// bisection: a task has tens of resources, and it compiles to far less than a map.
    grants: Vec<(String, Grants)>,
    problems: Vec<PolicyProblem>,
}

impl Builder<'_> {
    /// Grants `grant` on the resource `resource` writes, written only when the document is.
    fn grant(&mut self, resource: impl FnOnce() -> String, grant: Grant) {
        self.granted = true;
        if self.mode == Mode::Outcome {
            return;
        }
        let resource = resource();
        match self
            .grants
            .binary_search_by(|(r, _)| r.as_str().cmp(resource.as_str()))
        {
            Ok(at) => self.grants[at].1 |= grant.bit(),
            Err(at) => self.grants.insert(at, (resource, grant.bit())),
        }
    }

    fn container(&mut self, index: usize, c: &ContainerDefinition, kms_key: Option<&str>) {
        let path = |rest: &str| format!("containerDefinitions[{index}].{rest}");
        let mut uses_secrets = false;

        if let Some(credentials) = &c.repository_credentials {
            uses_secrets = true;
            let value = &credentials.credentials_parameter;
            match SecretRef::parse(value) {
                Ok(SecretRef::Arn(arn)) => self.grant(|| arn.policy_resource(), Grant::ReadSecrets),
                Ok(SecretRef::Name(name)) => match &self.names {
                    NameContext::Resolved(cx) => {
                        let resource = self.document().then(|| name.policy_resource(cx));
                        self.grant(|| resource.unwrap_or_default(), Grant::ReadSecrets);
                    }
                    NameContext::NoRegion => self.problems.push(no_region_problem(
                        index,
                        c,
                        path("repositoryCredentials.credentialsParameter"),
                        value,
                        "the secret",
                    )),
                    NameContext::Invalid => {}
                },
                Err(_) => {}
            }
        }

        // The member's path is spelled out only for a problem: most values have none.
        for (list, j, secret) in crate::value_froms(c) {
            uses_secrets = true;
            let member = || path(&format!("{list}[{j}].valueFrom"));
            self.value_from(index, c, member, &secret.value_from);
        }

        if uses_secrets && let Some(key) = kms_key.and_then(|k| KmsKeyRef::parse(k).ok()) {
            self.grant(|| key.policy_resource(), Grant::DecryptSecrets);
        }

        self.log_group(c);
        self.image(c);
    }

    fn value_from(
        &mut self,
        index: usize,
        c: &ContainerDefinition,
        path: impl FnOnce() -> String,
        value: &str,
    ) {
        match SecretValueFrom::parse(value) {
            Ok(SecretValueFrom::SecretsManager(v)) => {
                self.grant(|| v.secret().policy_resource(), Grant::ReadSecrets);
            }
            Ok(SecretValueFrom::Ssm(SsmParameterRef::Arn(arn))) => {
                self.grant(|| arn.to_string(), Grant::ReadSsmParameters);
            }
            Ok(SecretValueFrom::Ssm(parameter @ SsmParameterRef::Name(_))) => match &self.names {
                NameContext::Resolved(cx) => {
                    let resource = self.document().then(|| parameter.policy_resource(cx));
                    self.grant(|| resource.unwrap_or_default(), Grant::ReadSsmParameters);
                }
                NameContext::NoRegion => self.problems.push(no_region_problem(
                    index,
                    c,
                    path(),
                    value,
                    "the SSM parameter",
                )),
                NameContext::Invalid => {}
            },
            Err(_) => {}
        }
    }

    /// Whether the resources granted are written ([`Mode::Document`]).
    fn document(&self) -> bool {
        self.mode == Mode::Document
    }

    /// What the task's names resolve in.
    fn resolve_names(&self) -> NameContext {
        let Some(region) = self.task_region else {
            return NameContext::NoRegion;
        };
        match self.arn_context(region) {
            Some(cx) => NameContext::Resolved(cx),
            None => NameContext::Invalid,
        }
    }

    /// The partition, region and account of resources in `region`; `None` when the role or
    /// the region does not parse.
    fn arn_context(&self, region: &str) -> Option<ArnContext> {
        let (partition, account) = self.partition_and_account(region)?;
        let region = Region::parse(region, partition).ok()?;
        Some(ArnContext {
            partition,
            region,
            account,
        })
    }

    /// The partition and account of resources in `region`: the execution role's, or, for a
    /// role given by its short name, the region's partition and any account.
    fn partition_and_account(&self, region: &str) -> Option<(Partition, Account)> {
        match &self.role {
            Some(role) => Some((role.partition(), role.account()?.clone())),
            None if self.short_role => Some((
                Partition::for_region(region)?,
                Account::Id(ANY_ACCOUNT.to_owned()),
            )),
            None => None,
        }
    }

    fn log_group(&mut self, c: &ContainerDefinition) {
        let Some(log) = &c.log_configuration else {
            return;
        };
        if log.log_driver != LogDriver::Awslogs {
            return;
        }
        let options = log.options.as_ref();
        let option = |key: &str| options.and_then(|o| o.get(key)).map(String::as_str);
        let (Some(group), Some(region)) = (option("awslogs-group"), option("awslogs-region"))
        else {
            return;
        };
        let parsed;
        let cx = match &self.names {
            // The task's region, resolved once for its names.
            NameContext::Resolved(cx) if self.task_region == Some(region) => cx,
            _ => {
                let Some(cx) = self.arn_context(region) else {
                    return;
                };
                parsed = cx;
                &parsed
            }
        };
        if !is_log_group_name(group) {
            return;
        }
        // Written only for the document, once for both grants.
        let resource = if self.document() {
            let ArnContext {
                partition,
                region,
                account,
            } = cx;
            format!("arn:{partition}:logs:{region}:{account}:log-group:{group}:*")
        } else {
            String::new()
        };
        if option("awslogs-create-group").is_some_and(is_docker_true) {
            self.grant(|| resource.clone(), Grant::CreateLogGroups);
        }
        self.grant(|| resource, Grant::WriteLogs);
    }

    fn image(&mut self, c: &ContainerDefinition) {
        // Only a private ECR image is granted anything.
        let Some((image, registry)) = c.image.as_deref().and_then(crate::image::ecr_private_image)
        else {
            return;
        };
        // Where the host cannot tell `aws` from `aws-us-gov`, the role's partition decides.
        let Some(partition) = registry
            .partition()
            .or_else(|| self.role.as_ref().map(|r| r.partition().as_str()))
        else {
            return;
        };
        if let Some(repository) = image.ecr_repository_arn(partition) {
            self.grant(|| repository, Grant::PullEcrImages);
            self.grant(|| "*".to_owned(), Grant::GetEcrAuthorizationToken);
        }
    }

    fn into_document(self) -> PolicyDocument {
        // Few distinct sets (at most one per combination of seven grants): a linear search.
        // `grants` is in resource order, so each resource list comes out sorted and unique.
        let mut by_grants: Vec<(Grants, Vec<String>)> = Vec::new();
        for (resource, grants) in self.grants {
            match by_grants.iter_mut().find(|(g, _)| *g == grants) {
                Some((_, resources)) => resources.push(resource),
                None => by_grants.push((grants, vec![resource])),
            }
        }
        // Statements in the order of their action lists, each placed by bisection: distinct
        // sets of grants have distinct (disjoint) actions, so the order is total.
        let mut statements: Vec<Statement> = Vec::with_capacity(by_grants.len());
        for (grants, resources) in by_grants {
            let mut actions: Vec<&'static str> = Vec::new();
            let mut sid = String::new();
            for grant in Grant::ALL {
                if grants & grant.bit() == 0 {
                    continue;
                }
                for &action in grant.actions() {
                    let at = actions.partition_point(|&a| a < action);
                    actions.insert(at, action);
                }
                if !sid.is_empty() {
                    sid.push_str("And");
                }
                sid.push_str(grant.sid());
            }
            let at = statements.partition_point(|s| s.actions < actions);
            statements.insert(
                at,
                Statement {
                    sid,
                    effect: "Allow",
                    actions,
                    resources,
                },
            );
        }
        PolicyDocument {
            version: POLICY_VERSION,
            statements,
        }
    }
}

/// Whether Docker's awslogs driver reads `value` as true: it parses its boolean options with
/// Go's `strconv.ParseBool`, so `True` or `1` create the group as `true` does.
fn is_docker_true(value: &str) -> bool {
    matches!(value, "1" | "t" | "T" | "true" | "TRUE" | "True")
}

/// Whether `group` is a CloudWatch Logs group name: 1-512 of `A-Za-z0-9._-/#`, placeholders
/// allowed. Anything else is skipped, never written: a `*` or `?` in a name would widen the
/// grant to other groups.
fn is_log_group_name(group: &str) -> bool {
    if group.contains('$') {
        return is_log_group_template(group);
    }
    // No placeholder and no escape: the name's characters as written, without making a list
    // of them (every awslogs container of every task is asked).
    !group.is_empty() && group.chars().count() <= 512 && group.chars().all(is_log_group_char)
}

/// [`is_log_group_name`] of any name, placeholders and escapes included: the characters
/// outside placeholders are a log group name's.
fn is_log_group_template(group: &str) -> bool {
    let Ok(templated) = templated_segment(group, 0) else {
        return false;
    };
    let literal = literal_chars(group);
    !group.is_empty()
        && (templated || literal.len() <= 512)
        && literal.iter().all(|&(_, c)| is_log_group_char(c))
}

fn is_log_group_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-/#".contains(c)
}

fn no_region_problem(
    index: usize,
    c: &ContainerDefinition,
    path: String,
    value: &str,
    what: &str,
) -> PolicyProblem {
    let container = c
        .name
        .as_deref()
        .map_or_else(|| format!("#{index}"), |n| format!("`{n}`"));
    PolicyProblem {
        container: index,
        container_name: c.name.clone(),
        path,
        value: value.to_owned(),
        message: format!(
            "container {container} names {what} `{value}` without its ARN, and the task declares no `region` to resolve the name in"
        ),
        help: format!(
            "declare the task's `region` (ECS looks {what} up by name in the region the task runs in), or give {what}'s full ARN"
        ),
    }
}

#[cfg(test)]
mod tests {
    /// A name without `$` is judged as the general reading judges it.
    #[test]
    fn plain_log_group_names_are_read_as_templates_are() {
        let long = "a".repeat(512);
        let too_long = "a".repeat(513);
        for group in [
            "/ecs/web",
            "/ecs/*",
            "",
            "a#b.c_d-e/f",
            "caf\u{e9}",
            "with space",
            &long,
            &too_long,
        ] {
            assert_eq!(
                super::is_log_group_name(group),
                super::is_log_group_template(group),
                "{group:?}"
            );
        }
        assert!(super::is_log_group_name("/ecs/${SERVICE}"));
        assert!(!super::is_log_group_name("/ecs/${SERVICE}*"));
    }
}
