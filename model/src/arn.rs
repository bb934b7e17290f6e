//! ARNs of the kinds a task definition holds: the generic [`Arn`], and the typed references the
//! rules reason about: [`SecretArn`] and [`SecretRef`] (`repositoryCredentials`), [`RoleArn`]
//! (execution and task roles), [`KmsKeyRef`] (`kms_key`), [`SsmParameterRef`] and
//! [`SecretValueFrom`] (`secrets[].valueFrom`).
//!
//! Every parser returns a [`ValueError`] whose `rule` is the ecsdef rule that rejects the value
//! (the constants below) and whose `span` is the byte range of the offending part of the input.
//! Placeholders (`${NAME}`, see [`crate::placeholder`]) may stand for the region, the account and
//! the resource name; the structure around them is still checked. A placeholder in the
//! partition, the service or the resource type is an error.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::partition::{Partition, Region};
use crate::placeholder::{
    Template, ValueError, contains_placeholder, literal_chars, templated_segment,
};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};

/// `credentials` is neither a secret ARN nor a secret name ECS accepts.
pub const CREDENTIALS_FORM: Rule = Rule {
    name: "credentials-form",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`credentials` must be a Secrets Manager secret ARN or a secret name ECS accepts (letters, digits, `-`, `_`, at most 255); a name with `/ + = . @` must be given as a full ARN",
    help: "give the secret's name (letters, digits, `-` and `_`) or its full ARN",
    link: aws_docs::PRIVATE_AUTH,
    aws: Quote {
        text: "When you use the Amazon ECS API, CLI, or Amazon Web Services SDK, if the secret exists in the same Region as the task that you're launching then you can use either the full ARN or the name of the secret.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RepositoryCredentials.html",
    },
    order: 101,
};

/// An ARN of another service where a Secrets Manager secret is expected.
pub const CREDENTIALS_NOT_SECRETSMANAGER: Rule = Rule {
    name: "credentials-not-secretsmanager",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`credentials` is an ARN of another service (an SSM parameter, a KMS key, ...): ECS reads registry credentials only from Secrets Manager",
    help: "store the registry credentials in Secrets Manager and give that secret's ARN",
    link: aws_docs::PRIVATE_AUTH,
    aws: Quote {
        text: "The Amazon Resource Name (ARN) of the secret containing the private repository credentials.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RepositoryCredentials.html",
    },
    order: 102,
};

/// A malformed Secrets Manager secret ARN.
pub const SECRET_ARN_SYNTAX: Rule = Rule {
    name: "secret-arn-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a Secrets Manager ARN: known partition, region of that partition, 12-digit account, `secret:NAME` with NAME of 1-512 characters from `A-Za-z0-9/_+=.@-`, after a `SERVICE!` for a secret an AWS service manages (`rds!cluster-...`)",
    help: "copy the secret's ARN from Secrets Manager: `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`",
    link: aws_docs::SECRETS_IAM,
    aws: Quote {
        text: "The supported values are either the full ARN of the Secrets Manager secret or the full ARN of the parameter in the SSM Parameter Store.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html",
    },
    order: 103,
};

/// A malformed IAM role ARN.
pub const ROLE_ARN_SYNTAX: Rule = Rule {
    name: "role-arn-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a role: its short name (`ecsTaskRole`, which ECS completes with the registering account) or its ARN, `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, NAME of 1-64 characters from `\\w+=,.@-`, empty region",
    help: "give the role's name, or copy its ARN from IAM: `arn:PARTITION:iam::ACCOUNT:role/NAME`",
    link: aws_docs::IAM_IDENTIFIERS,
    aws: Quote {
        text: "The short name or full Amazon Resource Name (ARN) of the IAM role that containers in this task can assume.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    },
    order: 108,
};

/// A malformed KMS key or alias ARN.
pub const KMS_KEY_ARN_SYNTAX: Rule = Rule {
    name: "kms-key-arn-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/UUID`, `key/mrk-...` or `alias/NAME`",
    help: "copy the key's ARN from KMS: `arn:PARTITION:kms:REGION:ACCOUNT:key/UUID`",
    link: aws_docs::KMS_KEY_ID,
    aws: Quote {
        text: "You must also allow the identity to use the KMS key that the secret is encrypted with.",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html",
    },
    order: 112,
};

/// A malformed container `secrets[].valueFrom`.
pub const SECRET_VALUE_FROM: Rule = Rule {
    name: "secret-value-from",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a secret's `valueFrom`: a Secrets Manager ARN (its first seven `:` fields, then optional json-key:version-stage:version-id keeping their colons) or an SSM parameter ARN or name (`a-zA-Z0-9_.-/`, not beginning with `aws` or `ssm`)",
    help: "give a Secrets Manager secret ARN, or an SSM parameter's ARN or name",
    link: aws_docs::SECRETS_SM,
    aws: Quote {
        text: "The supported values are either the full ARN of the Secrets Manager secret or the full ARN of the parameter in the SSM Parameter Store.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html",
    },
    order: 201,
};

/// The rules of this module, for [`crate::rules::RULES`].
pub(crate) const RULES: &[&Rule] = &[
    &CREDENTIALS_FORM,
    &CREDENTIALS_NOT_SECRETSMANAGER,
    &SECRET_ARN_SYNTAX,
    &ROLE_ARN_SYNTAX,
    &KMS_KEY_ARN_SYNTAX,
    &SECRET_VALUE_FROM,
];

const ARN_FORM: &str = "`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`";
const SECRET_ARN_FORM: &str = "`arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`";
const ROLE_ARN_FORM: &str = "`arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`";
const KMS_ARN_FORM: &str = "`arn:PARTITION:kms:REGION:ACCOUNT:key/KEY_ID` or `...:alias/NAME`";
const SSM_ARN_FORM: &str = "`arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME`";

/// The account segment of an ARN: twelve digits, or a template such as `${ACCOUNT_ID}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Account {
    /// A 12-digit account id.
    Id(String),
    /// An account holding a placeholder, checked at deploy time.
    Templated(Template),
}

impl Account {
    /// Parses an account id (exactly 12 digits) or a template.
    pub fn parse(s: &str) -> Result<Account, ValueError> {
        if templated_segment(s, 0)? {
            return Template::parse(s).map(Account::Templated);
        }
        if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Account::Id(s.to_owned()));
        }
        let message = if s.bytes().all(|b| b.is_ascii_digit()) {
            format!("account `{s}` has {} digits, not 12", s.len())
        } else {
            format!("account `{s}` is not a 12-digit account id")
        };
        Err(ValueError::unattributed(
            message,
            "a 12-digit account id such as `123456789012`, or a placeholder such as `${ACCOUNT_ID}`",
            0..s.len(),
        ))
    }

    /// The account id; `None` when templated.
    pub fn id(&self) -> Option<&str> {
        match self {
            Account::Id(id) => Some(id),
            Account::Templated(_) => None,
        }
    }

    /// Whether the account holds a placeholder.
    pub fn is_templated(&self) -> bool {
        matches!(self, Account::Templated(_))
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::Id(id) => f.write_str(id),
            Account::Templated(t) => t.fmt(f),
        }
    }
}

/// Where a name (a secret name, an SSM parameter name) is resolved when it is not an ARN: the
/// task's partition and region and the execution role's account. The policy builders use it to
/// write the ARN a name stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArnContext {
    /// The partition of the execution role.
    pub partition: Partition,
    /// The task's region.
    pub region: Region,
    /// The execution role's account.
    pub account: Account,
}

/// A generic ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; the resource may hold `:`.
/// An empty region or account is `None` (IAM ARNs have no region).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    partition: Partition,
    service: String,
    region: Option<Region>,
    account: Option<Account>,
    resource: String,
}

/// The byte ranges of an ARN's segments in the parsed input, for the typed parsers' errors.
#[derive(Debug, Clone)]
struct Spans {
    service: Range<usize>,
    region: Range<usize>,
    account: Range<usize>,
    resource: Range<usize>,
}

impl Arn {
    /// Parses a generic ARN (errors have no rule of their own, or a placeholder's rule).
    pub fn parse(s: &str) -> Result<Arn, ValueError> {
        parse_parts(s).map(|(arn, _)| arn)
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The service namespace, e.g. `secretsmanager`.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The region; `None` when the segment is empty.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The account; `None` when the segment is empty.
    pub fn account(&self) -> Option<&Account> {
        self.account.as_ref()
    }

    /// The resource, as written (placeholders in their source form).
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The resource type: the resource up to its first `:` or `/`, or `""` when it has none.
    pub fn resource_type(&self) -> &str {
        self.resource
            .find([':', '/'])
            .map_or("", |at| &self.resource[..at])
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arn:{}:{}:", self.partition, self.service)?;
        if let Some(region) = &self.region {
            region.fmt(f)?;
        }
        f.write_str(":")?;
        if let Some(account) = &self.account {
            account.fmt(f)?;
        }
        write!(f, ":{}", self.resource)
    }
}

/// The byte offsets of the first `N` colons of `s`, and how many of them there are. One pass
/// over the bytes: an ARN is split at its colons several ways, each a few bytes apart, where
/// `str::split` sets up a search per part.
fn colons<const N: usize>(s: &str) -> ([usize; N], usize) {
    let mut at = [0; N];
    let mut found = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b == b':' {
            if found == N {
                break;
            }
            at[found] = i;
            found += 1;
        }
    }
    (at, found)
}

/// Part `i` of `s` cut at `colons` (offsets [`colons`] found, in order): from after colon
/// `i - 1` (the start, for part 0) up to colon `i`, or to the end when there is no colon `i`.
/// There must be `i` colons before it.
fn colon_part(s: &str, colons: &[usize], i: usize) -> Range<usize> {
    let start = i.checked_sub(1).map_or(0, |before| colons[before] + 1);
    start..colons.get(i).map_or(s.len(), |&end| end)
}

fn parse_parts(s: &str) -> Result<(Arn, Spans), ValueError> {
    if !s.starts_with("arn:") {
        let first = s.find(':').unwrap_or(s.len());
        return Err(ValueError::unattributed(
            format!("`{}` does not start an ARN", &s[..first]),
            format!("an ARN: {ARN_FORM}"),
            0..first,
        ));
    }
    let (colons, found) = colons::<5>(s);
    if found < 5 {
        return Err(ValueError::unattributed(
            format!("the ARN has {} of its 6 `:`-separated parts", found + 1),
            format!("an ARN: {ARN_FORM}"),
            s.len()..s.len(),
        ));
    }
    let part = |i: usize| {
        let span = colon_part(s, &colons, i);
        (&s[span.clone()], span)
    };
    let (partition, service, region, account, resource) =
        (part(1), part(2), part(3), part(4), part(5));

    if contains_placeholder(partition.0) {
        return Err(ValueError::unattributed(
            "a placeholder cannot stand for the partition",
            "the partition written out: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc",
            partition.1.clone(),
        ));
    }
    let part = Partition::parse(partition.0).map_err(|e| e.shifted(partition.1.start))?;

    if contains_placeholder(service.0) {
        return Err(ValueError::unattributed(
            "a placeholder cannot stand for the service",
            "the service written out, e.g. `secretsmanager`",
            service.1.clone(),
        ));
    }
    if service.0.is_empty() {
        return Err(ValueError::unattributed(
            "the service is empty",
            "a service such as `secretsmanager`, `ssm`, `kms` or `iam`",
            service.1.clone(),
        ));
    }
    if let Some((i, c)) = service
        .0
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        let at = service.1.start + i;
        return Err(ValueError::unattributed(
            format!("service `{}` has the character `{c}`", service.0),
            "a service of lowercase letters, digits and `-`, such as `secretsmanager`",
            at..at + c.len_utf8(),
        ));
    }

    let reg = if region.0.is_empty() {
        None
    } else {
        Some(Region::parse(region.0, part).map_err(|e| e.shifted(region.1.start))?)
    };
    let acct = if account.0.is_empty() {
        None
    } else {
        Some(Account::parse(account.0).map_err(|e| e.shifted(account.1.start))?)
    };

    if resource.0.is_empty() {
        return Err(ValueError::unattributed(
            "the resource is empty",
            format!("an ARN: {ARN_FORM}"),
            resource.1.clone(),
        ));
    }
    templated_segment(resource.0, resource.1.start)?;
    if let Some(sep) = resource.0.find([':', '/']) {
        let kind = &resource.0[..sep];
        if contains_placeholder(kind) {
            return Err(ValueError::unattributed(
                format!("a placeholder cannot stand for the resource type `{kind}`"),
                "the resource type written out, e.g. `secret:`, `parameter/`, `key/` or `role/`",
                resource.1.start..resource.1.start + sep,
            ));
        }
    }

    let arn = Arn {
        partition: part,
        service: service.0.to_owned(),
        region: reg,
        account: acct,
        resource: resource.0.to_owned(),
    };
    let spans = Spans {
        service: service.1.clone(),
        region: region.1.clone(),
        account: account.1.clone(),
        resource: resource.1.clone(),
    };
    Ok((arn, spans))
}

/// Checks that `arn` is of `service`; `rule` is the error's rule.
fn expect_service(
    arn: &Arn,
    spans: &Spans,
    service: &str,
    rule: &'static Rule,
    form: &str,
) -> Result<(), ValueError> {
    if arn.service == service {
        return Ok(());
    }
    Err(ValueError::new(
        rule,
        format!(
            "a `{}` ARN where a `{service}` ARN is expected",
            arn.service
        ),
        format!("an ARN of the form {form}"),
        spans.service.clone(),
    ))
}

/// Checks that the region and the account are present.
fn expect_region_and_account(
    arn: &Arn,
    spans: &Spans,
    rule: &'static Rule,
    form: &str,
) -> Result<(), ValueError> {
    if arn.region.is_none() {
        return Err(ValueError::new(
            rule,
            "the region is empty",
            format!("a region such as `us-east-1` (or `${{AWS_REGION}}`): {form}"),
            spans.region.clone(),
        ));
    }
    if arn.account.is_none() {
        return Err(ValueError::new(
            rule,
            "the account is empty",
            format!("a 12-digit account id (or `${{ACCOUNT_ID}}`): {form}"),
            spans.account.clone(),
        ));
    }
    Ok(())
}

/// Splits `resource` after `kind` (e.g. `secret:`), or fails naming the resource type found.
fn expect_resource_type<'a>(
    arn: &'a Arn,
    spans: &Spans,
    kind: &str,
    rule: &'static Rule,
    form: &str,
) -> Result<&'a str, ValueError> {
    if let Some(rest) = arn.resource.strip_prefix(kind) {
        return Ok(rest);
    }
    let found = arn.resource_type();
    let (message, span) = if found.is_empty() {
        (
            format!("resource `{}` has no type", arn.resource),
            spans.resource.clone(),
        )
    } else {
        (
            format!("resource type `{found}` where `{kind}` is expected"),
            spans.resource.start..spans.resource.start + found.len(),
        )
    };
    Err(ValueError::new(
        rule,
        message,
        format!("an ARN of the form {form}"),
        span,
    ))
}

/// How a name segment is checked. `allowed` is a type parameter rather than a `fn` pointer
/// so that each check inlines its character test: names are checked a character at a time.
struct NameCheck<'a, F: Fn(char) -> bool> {
    what: &'a str,
    allowed: F,
    allowed_text: &'a str,
    max_chars: usize,
    rule: &'static Rule,
}

impl<F: Fn(char) -> bool> NameCheck<'_, F> {
    /// Checks `text` (found at `offset` in the input): not empty, every character outside
    /// placeholders allowed, and at most `max_chars` long unless templated. Returns whether
    /// the name is templated.
    fn check(&self, text: &str, offset: usize) -> Result<bool, ValueError> {
        let templated = templated_segment(text, offset)?;
        if text.is_empty() {
            return Err(ValueError::new(
                self.rule,
                format!("the {} is empty", self.what),
                format!("a {} of {}", self.what, self.allowed_text),
                offset..offset,
            ));
        }
        let not_allowed = |&(_, c): &(usize, char)| !(self.allowed)(c);
        let found = if text.contains('$') {
            literal_chars(text).into_iter().find(not_allowed)
        } else {
            // No placeholder: every character, without collecting them.
            text.char_indices().find(not_allowed)
        };
        if let Some((i, c)) = found {
            let at = offset + i;
            return Err(ValueError::new(
                self.rule,
                format!("{} `{text}` has the character `{c}`", self.what),
                format!("a {} of {}", self.what, self.allowed_text),
                at..at + c.len_utf8(),
            ));
        }
        let count = text.chars().count();
        if !templated && count > self.max_chars {
            return Err(ValueError::new(
                self.rule,
                format!("{} `{text}` is {count} characters long", self.what),
                format!("a {} of at most {} characters", self.what, self.max_chars),
                offset..offset + text.len(),
            ));
        }
        Ok(templated)
    }
}

/// Whether `s` ends in `-` and six ASCII letters or digits, with a name before them: the form
/// of the suffix Secrets Manager appends to a secret's name in its ARN.
fn has_secret_suffix(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() > 7
        && bytes[bytes.len() - 7] == b'-'
        && bytes[bytes.len() - 6..]
            .iter()
            .all(u8::is_ascii_alphanumeric)
}

/// The length of the `SERVICE!` that begins the name of a secret an AWS service created and
/// manages (`rds!cluster-UUID`, `events!connection/...`, `appflow!...`), or 0. Secrets Manager
/// lets no user put a `!` in a name, but the secrets AWS services create for themselves are
/// named with the service's id and a `!` first (see [`MANAGED_SECRETS`]), and task
/// definitions reference them: the RDS-managed master password is
/// `rds!cluster-...:password::`.
fn managed_secret_prefix(name: &str) -> usize {
    match name.split_once('!') {
        Some((service, _))
            if !service.is_empty()
                && service
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
        {
            service.len() + 1
        }
        _ => 0,
    }
}

/// AWS's page on the secrets its services manage, and their `SERVICE!` prefix.
pub const MANAGED_SECRETS: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/service-linked-secrets.html";

fn is_secret_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)
}

/// A Secrets Manager secret ARN: `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`,
/// NAME of 1-512 characters from `A-Za-z0-9/_+=.@-`.
///
/// Secrets Manager appends `-` and six random characters to the name in the ARN; an ARN with
/// them is *complete* and names exactly one secret, one without is *partial* (rule
/// `secret-arn-partial`: IAM resources must then use `NAME-??????`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretArn {
    arn: Arn,
}

impl SecretArn {
    /// Parses a secret ARN. An ARN of another service is an error of rule
    /// [`CREDENTIALS_NOT_SECRETSMANAGER`]; any other error has rule [`SECRET_ARN_SYNTAX`].
    pub fn parse(s: &str) -> Result<SecretArn, ValueError> {
        let (arn, spans) = parse_parts(s).map_err(|e| e.with_rule(&SECRET_ARN_SYNTAX))?;
        expect_service(
            &arn,
            &spans,
            "secretsmanager",
            &CREDENTIALS_NOT_SECRETSMANAGER,
            SECRET_ARN_FORM,
        )?;
        expect_region_and_account(&arn, &spans, &SECRET_ARN_SYNTAX, SECRET_ARN_FORM)?;
        let name =
            expect_resource_type(&arn, &spans, "secret:", &SECRET_ARN_SYNTAX, SECRET_ARN_FORM)?;
        let check = NameCheck {
            what: "secret name",
            allowed: is_secret_name_char,
            allowed_text: "1-512 characters from `A-Za-z0-9/_+=.@-` (json-key and version fields belong only in a container secret's `valueFrom`)",
            max_chars: 512,
            rule: &SECRET_ARN_SYNTAX,
        };
        let start = spans.resource.start + "secret:".len();
        let prefix = managed_secret_prefix(name);
        check.check(&name[prefix..], start + prefix)?;
        Ok(SecretArn { arn })
    }

    /// The ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition
    }

    /// The region (always present, possibly templated).
    pub fn region(&self) -> Option<&Region> {
        self.arn.region.as_ref()
    }

    /// The account (always present, possibly templated).
    pub fn account(&self) -> Option<&Account> {
        self.arn.account.as_ref()
    }

    /// The name as written in the ARN, with its suffix if any.
    pub fn full_name(&self) -> &str {
        self.arn
            .resource
            .strip_prefix("secret:")
            .unwrap_or_default()
    }

    /// Whether the name ends with the `-XXXXXX` suffix Secrets Manager appends.
    pub fn is_complete(&self) -> bool {
        has_secret_suffix(self.full_name())
    }

    /// The secret's name, without the suffix of a complete ARN.
    pub fn name(&self) -> &str {
        let full = self.full_name();
        if self.is_complete() {
            &full[..full.len() - 7]
        } else {
            full
        }
    }

    /// The six characters Secrets Manager appended, for a complete ARN.
    pub fn suffix(&self) -> Option<&str> {
        let full = self.full_name();
        self.is_complete().then(|| &full[full.len() - 6..])
    }

    /// The IAM policy resource that matches this secret: the ARN itself when complete, else
    /// the ARN followed by `-??????`.
    pub fn policy_resource(&self) -> String {
        if self.is_complete() {
            self.to_string()
        } else {
            format!("{self}-??????")
        }
    }
}

impl fmt::Display for SecretArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

/// A secret name as ECS accepts it in `repositoryCredentials.credentialsParameter`: 1-255
/// letters, digits, `-` and `_` (resolved in the task's region and account).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretName(String);

impl SecretName {
    /// Parses a secret name (errors have rule [`CREDENTIALS_FORM`]). A name with `/ + = . @`
    /// is an error whose help says to give the full ARN.
    pub fn parse(s: &str) -> Result<SecretName, ValueError> {
        let check = NameCheck {
            what: "secret name",
            allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
            allowed_text: "1-255 letters, digits, `-` and `_`",
            max_chars: 255,
            rule: &CREDENTIALS_FORM,
        };
        check.check(s, 0).map_err(|mut e| {
            let bad = s.get(e.span.clone()).unwrap_or_default();
            if bad.len() == 1 && "/+=.@".contains(bad) {
                e.expected = format!(
                    "ECS takes a name of letters, digits, `-` and `_` only: give the full ARN of a secret whose name has `{bad}`: {SECRET_ARN_FORM}"
                );
            }
            e
        })?;
        Ok(SecretName(s.to_owned()))
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the name holds a placeholder.
    pub fn is_templated(&self) -> bool {
        contains_placeholder(&self.0)
    }

    /// Whether the name ends in `-` and six letters or digits, like the suffix of a secret ARN
    /// (rule `secret-name-suffix`, a warning): ECS may take it for a partial ARN's suffix.
    pub fn looks_like_arn_suffix(&self) -> bool {
        has_secret_suffix(&self.0)
    }

    /// The IAM policy resource matching the secret of this name in `ctx`:
    /// `arn:P:secretsmanager:R:A:secret:NAME-??????`.
    pub fn policy_resource(&self, ctx: &ArnContext) -> String {
        format!(
            "arn:{}:secretsmanager:{}:{}:secret:{}-??????",
            ctx.partition, ctx.region, ctx.account, self.0
        )
    }
}

impl fmt::Display for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What `credentials` (→ `repositoryCredentials.credentialsParameter`) holds: a secret ARN or a
/// secret name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretRef {
    /// A Secrets Manager secret ARN.
    Arn(SecretArn),
    /// A secret name, resolved in the task's region and account.
    Name(SecretName),
}

impl SecretRef {
    /// Parses an ARN (anything starting `arn:`) or a name. Errors: [`CREDENTIALS_FORM`] for a
    /// name, [`CREDENTIALS_NOT_SECRETSMANAGER`] for an ARN of another service,
    /// [`SECRET_ARN_SYNTAX`] for a malformed secret ARN.
    pub fn parse(s: &str) -> Result<SecretRef, ValueError> {
        if s.starts_with("arn:") {
            SecretArn::parse(s).map(SecretRef::Arn)
        } else {
            SecretName::parse(s).map(SecretRef::Name)
        }
    }

    /// The ARN, for the ARN form.
    pub fn arn(&self) -> Option<&Arn> {
        match self {
            SecretRef::Arn(a) => Some(&a.arn),
            SecretRef::Name(_) => None,
        }
    }

    /// The partition, for the ARN form.
    pub fn partition(&self) -> Option<Partition> {
        self.arn().map(Arn::partition)
    }

    /// The region, for the ARN form.
    pub fn region(&self) -> Option<&Region> {
        self.arn().and_then(Arn::region)
    }

    /// The account, for the ARN form.
    pub fn account(&self) -> Option<&Account> {
        self.arn().and_then(Arn::account)
    }

    /// The IAM policy resource matching the secret (see [`SecretArn::policy_resource`] and
    /// [`SecretName::policy_resource`]).
    pub fn policy_resource(&self, ctx: &ArnContext) -> String {
        match self {
            SecretRef::Arn(a) => a.policy_resource(),
            SecretRef::Name(n) => n.policy_resource(ctx),
        }
    }
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Arn(a) => a.fmt(f),
            SecretRef::Name(n) => n.fmt(f),
        }
    }
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// Whether `s` is a role's short name (`ecsTaskRole`): 1-64 of IAM's name characters. ECS
/// takes it for `taskRoleArn` and `executionRoleArn` and fills in the ARN of the role of that
/// name in the account that registers the task definition (see `role-arn-syntax`).
pub fn is_role_short_name(s: &str) -> bool {
    (1..=64).contains(&s.chars().count()) && s.chars().all(is_iam_name_char)
}

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, NAME 1-64 of `\w+=,.@-`,
/// each path segment of the same characters, and an empty region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleArn {
    arn: Arn,
}

impl RoleArn {
    /// Parses a role ARN (errors have rule [`ROLE_ARN_SYNTAX`]).
    pub fn parse(s: &str) -> Result<RoleArn, ValueError> {
        let rule = &ROLE_ARN_SYNTAX;
        let (arn, spans) = parse_parts(s).map_err(|e| e.with_rule(rule))?;
        expect_service(&arn, &spans, "iam", rule, ROLE_ARN_FORM)?;
        if arn.region.is_some() {
            return Err(ValueError::new(
                rule,
                "an IAM role ARN has no region",
                format!("an empty region: {ROLE_ARN_FORM}"),
                spans.region.clone(),
            ));
        }
        if arn.account.is_none() {
            return Err(ValueError::new(
                rule,
                "the account is empty",
                format!("a 12-digit account id (or `${{ACCOUNT_ID}}`): {ROLE_ARN_FORM}"),
                spans.account.clone(),
            ));
        }
        let path_and_name = expect_resource_type(&arn, &spans, "role/", rule, ROLE_ARN_FORM)?;
        let mut at = spans.resource.start + "role/".len();
        let segments: Vec<&str> = path_and_name.split('/').collect();
        let last = segments.len() - 1;
        for (i, segment) in segments.iter().enumerate() {
            let check = NameCheck {
                what: if i == last {
                    "role name"
                } else {
                    "role path segment"
                },
                allowed: is_iam_name_char,
                allowed_text: "letters, digits and `_+=,.@-`, 1-64 for the name",
                max_chars: if i == last { 64 } else { 512 },
                rule,
            };
            check.check(segment, at)?;
            at += segment.len() + 1;
        }
        if path_and_name.len() > 512 + 64 {
            return Err(ValueError::new(
                rule,
                "the role path is longer than 512 characters",
                "a path of at most 512 characters",
                spans.resource.clone(),
            ));
        }
        Ok(RoleArn { arn })
    }

    /// The ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition
    }

    /// The account (always present, possibly templated).
    pub fn account(&self) -> Option<&Account> {
        self.arn.account.as_ref()
    }

    /// The role name (the last segment).
    pub fn name(&self) -> &str {
        let rest = self.path_and_name();
        rest.rfind('/').map_or(rest, |at| &rest[at + 1..])
    }

    /// The role path, `/` or `/a/b/`, as IAM writes it.
    pub fn path(&self) -> String {
        let rest = self.path_and_name();
        match rest.rfind('/') {
            Some(at) => format!("/{}/", &rest[..at]),
            None => "/".to_owned(),
        }
    }

    fn path_and_name(&self) -> &str {
        self.arn.resource.strip_prefix("role/").unwrap_or_default()
    }
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

/// Which form of KMS key ARN a [`KmsKeyRef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KmsKeyKind {
    /// `key/UUID` (or a templated key id).
    Key,
    /// `key/mrk-` and 32 hex digits: a multi-Region key.
    MultiRegionKey,
    /// `alias/NAME`.
    Alias,
}

/// A KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/UUID`, `...:key/mrk-<32 hex>` or
/// `...:alias/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KmsKeyRef {
    arn: Arn,
    kind: KmsKeyKind,
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl KmsKeyRef {
    /// Parses a KMS key ARN (errors have rule [`KMS_KEY_ARN_SYNTAX`]).
    pub fn parse(s: &str) -> Result<KmsKeyRef, ValueError> {
        let rule = &KMS_KEY_ARN_SYNTAX;
        let (arn, spans) = parse_parts(s).map_err(|e| e.with_rule(rule))?;
        expect_service(&arn, &spans, "kms", rule, KMS_ARN_FORM)?;
        expect_region_and_account(&arn, &spans, rule, KMS_ARN_FORM)?;
        let start = spans.resource.start;
        let kind = if let Some(id) = arn.resource.strip_prefix("key/") {
            let at = start + "key/".len();
            let span = at..at + id.len();
            if templated_segment(id, at)? {
                if id.starts_with("mrk-") {
                    KmsKeyKind::MultiRegionKey
                } else {
                    KmsKeyKind::Key
                }
            } else if let Some(hex) = id.strip_prefix("mrk-") {
                if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ValueError::new(
                        rule,
                        format!("multi-Region key id `{id}` is not `mrk-` and 32 hex digits"),
                        "`mrk-` followed by 32 hex digits, e.g. `mrk-1234abcd12ab34cd56ef1234567890ab`",
                        span,
                    ));
                }
                KmsKeyKind::MultiRegionKey
            } else if is_uuid(id) {
                KmsKeyKind::Key
            } else {
                return Err(ValueError::new(
                    rule,
                    format!("key id `{id}` is not a key id"),
                    "a key id such as `1234abcd-12ab-34cd-56ef-1234567890ab` or `mrk-` and 32 hex digits",
                    span,
                ));
            }
        } else if let Some(name) = arn.resource.strip_prefix("alias/") {
            let check = NameCheck {
                what: "alias name",
                allowed: |c| c.is_ascii_alphanumeric() || "/_-".contains(c),
                allowed_text: "1-250 letters, digits and `/_-`",
                max_chars: 250,
                rule,
            };
            check.check(name, start + "alias/".len())?;
            KmsKeyKind::Alias
        } else {
            let found = arn.resource_type();
            let (message, span) = if found.is_empty() {
                (
                    format!(
                        "resource `{}` is neither `key/KEY_ID` nor `alias/NAME`",
                        arn.resource
                    ),
                    spans.resource.clone(),
                )
            } else {
                (
                    format!("resource type `{found}` where `key/` or `alias/` is expected"),
                    start..start + found.len(),
                )
            };
            return Err(ValueError::new(
                rule,
                message,
                format!("a KMS ARN: {KMS_ARN_FORM}"),
                span,
            ));
        };
        Ok(KmsKeyRef { arn, kind })
    }

    /// The ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }

    /// Key, multi-Region key or alias.
    pub fn kind(&self) -> KmsKeyKind {
        self.kind
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition
    }

    /// The region (always present, possibly templated).
    pub fn region(&self) -> Option<&Region> {
        self.arn.region.as_ref()
    }

    /// The account (always present, possibly templated).
    pub fn account(&self) -> Option<&Account> {
        self.arn.account.as_ref()
    }

    /// The key id or the alias name (after `key/` or `alias/`).
    pub fn id(&self) -> &str {
        let r = &self.arn.resource;
        r.strip_prefix("key/")
            .or_else(|| r.strip_prefix("alias/"))
            .unwrap_or(r)
    }

    /// Whether this is an alias of an AWS-managed key (`alias/aws/...`), which cannot be
    /// shared across accounts.
    pub fn is_aws_managed_alias(&self) -> bool {
        self.kind == KmsKeyKind::Alias && self.id().starts_with("aws/")
    }

    /// The IAM policy resource for `kms:Decrypt`: the ARN. An alias ARN does not match the key
    /// it names in a policy's `Resource`; the rule engine should ask for the key ARN.
    pub fn policy_resource(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for KmsKeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

fn is_ssm_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.-/".contains(c)
}

const SSM_NAME_TEXT: &str =
    "a name of `a-zA-Z0-9_.-` and `/`, not beginning with `aws` or `ssm`, e.g. `/prod/db/password`";

/// Where the two bytes `pair` first occur in `text`, as `str::find` of a two-byte needle
/// finds it, without setting up a searcher: in a name of a few dozen bytes the set-up costs
/// more than the search.
fn find_pair(text: &str, pair: [u8; 2]) -> Option<usize> {
    text.as_bytes().windows(2).position(|two| two == pair)
}

/// Checks an SSM parameter name: `full` is the fully qualified name (`/a/b` or `x`), `text`
/// the part of the input it was written as (without the leading `/` in an ARN), at `offset`.
fn check_ssm_name(full: &str, text: &str, offset: usize) -> Result<(), ValueError> {
    let rule = &SECRET_VALUE_FROM;
    let check = NameCheck {
        what: "parameter name",
        allowed: is_ssm_name_char,
        allowed_text: "1-1011 characters of `a-zA-Z0-9_.-` and `/`",
        max_chars: 1011,
        rule,
    };
    let templated = check.check(text, offset)?;
    // The reserved prefixes are checked on the literal text before any placeholder.
    let literal_prefix = find_pair(text, *b"${").map_or(text, |at| &text[..at]);
    let bare = literal_prefix.strip_prefix('/').unwrap_or(literal_prefix);
    let bare_at = offset + (literal_prefix.len() - bare.len());
    if let Some(prefix) = bare.get(..3)
        && (prefix.eq_ignore_ascii_case("aws") || prefix.eq_ignore_ascii_case("ssm"))
    {
        return Err(ValueError::new(
            rule,
            format!("parameter name `{full}` begins with `{prefix}`, which SSM reserves"),
            SSM_NAME_TEXT,
            bare_at..bare_at + 3,
        ));
    }
    if let Some(at) = find_pair(text, *b"//") {
        return Err(ValueError::new(
            rule,
            format!("parameter name `{full}` has an empty level `//`"),
            SSM_NAME_TEXT,
            offset + at..offset + at + 2,
        ));
    }
    if text.len() > 1 && text.ends_with('/') {
        return Err(ValueError::new(
            rule,
            format!("parameter name `{full}` ends with `/`"),
            SSM_NAME_TEXT,
            offset + text.len() - 1..offset + text.len(),
        ));
    }
    let depth = full.bytes().filter(|&b| b == b'/').count();
    if !templated && depth > 15 {
        return Err(ValueError::new(
            rule,
            format!("parameter name `{full}` is {depth} levels deep"),
            "a hierarchy of at most 15 levels",
            offset..offset + text.len(),
        ));
    }
    Ok(())
}

/// An SSM parameter, by ARN or by name (a name is resolved in the task's region).
///
/// In ARN form the name's leading `/` is dropped: the parameter `/prod/db` is
/// `arn:aws:ssm:REGION:ACCOUNT:parameter/prod/db`, and `x` is `...:parameter/x`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SsmParameterRef {
    /// `arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME`.
    Arn(Arn),
    /// A parameter name: `x`, or `/a/b` for a parameter in a hierarchy.
    Name(String),
}

impl SsmParameterRef {
    /// Parses an SSM parameter ARN (anything starting `arn:`) or name; errors have rule
    /// [`SECRET_VALUE_FROM`].
    pub fn parse(s: &str) -> Result<SsmParameterRef, ValueError> {
        let rule = &SECRET_VALUE_FROM;
        if !s.starts_with("arn:") {
            if contains_placeholder(s) || !s.contains('/') || s.starts_with('/') {
                check_ssm_name(s, s, 0)?;
                return Ok(SsmParameterRef::Name(s.to_owned()));
            }
            return Err(ValueError::new(
                rule,
                format!("parameter name `{s}` is in a hierarchy but does not start with `/`"),
                format!("the fully qualified name `/{s}`"),
                0..s.find('/').unwrap_or(0),
            ));
        }
        let (arn, spans) = parse_parts(s).map_err(|e| e.with_rule(rule))?;
        expect_service(&arn, &spans, "ssm", rule, SSM_ARN_FORM)?;
        expect_region_and_account(&arn, &spans, rule, SSM_ARN_FORM)?;
        let path = expect_resource_type(&arn, &spans, "parameter/", rule, SSM_ARN_FORM)?;
        let at = spans.resource.start + "parameter/".len();
        if path.starts_with('/') {
            return Err(ValueError::new(
                rule,
                "the parameter name in an ARN has a leading `/`",
                format!(
                    "the name without its leading `/`: `parameter{path}` for the parameter `{path}`"
                ),
                at..at + 1,
            ));
        }
        let full = if path.contains('/') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        check_ssm_name(&full, path, at)?;
        Ok(SsmParameterRef::Arn(arn))
    }

    /// The ARN, for the ARN form.
    pub fn arn(&self) -> Option<&Arn> {
        match self {
            SsmParameterRef::Arn(a) => Some(a),
            SsmParameterRef::Name(_) => None,
        }
    }

    /// The fully qualified parameter name (`/a/b` or `x`), in either form.
    pub fn name(&self) -> String {
        match self {
            SsmParameterRef::Name(n) => n.clone(),
            SsmParameterRef::Arn(a) => {
                let path = a.resource.strip_prefix("parameter/").unwrap_or_default();
                if path.contains('/') {
                    format!("/{path}")
                } else {
                    path.to_owned()
                }
            }
        }
    }

    /// The partition, for the ARN form.
    pub fn partition(&self) -> Option<Partition> {
        self.arn().map(Arn::partition)
    }

    /// The region, for the ARN form.
    pub fn region(&self) -> Option<&Region> {
        self.arn().and_then(Arn::region)
    }

    /// The account, for the ARN form.
    pub fn account(&self) -> Option<&Account> {
        self.arn().and_then(Arn::account)
    }

    /// The IAM policy resource for `ssm:GetParameters`: the ARN, or for a name the ARN in
    /// `ctx` (the name's leading `/` dropped).
    pub fn policy_resource(&self, ctx: &ArnContext) -> String {
        match self {
            SsmParameterRef::Arn(a) => a.to_string(),
            SsmParameterRef::Name(n) => format!(
                "arn:{}:ssm:{}:{}:parameter/{}",
                ctx.partition,
                ctx.region,
                ctx.account,
                n.strip_prefix('/').unwrap_or(n)
            ),
        }
    }
}

impl fmt::Display for SsmParameterRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SsmParameterRef::Arn(a) => a.fmt(f),
            SsmParameterRef::Name(n) => f.write_str(n),
        }
    }
}

/// A Secrets Manager `valueFrom`: a secret ARN and up to three `:`-separated fields
/// (json-key, version-stage, version-id). Fields keep their colons: `...:secret:db-AbCdEf:pw::`
/// has three fields, `pw`, `` and ``.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretsManagerValueFrom {
    secret: SecretArn,
    fields: Vec<String>,
}

impl SecretsManagerValueFrom {
    /// The secret.
    pub fn secret(&self) -> &SecretArn {
        &self.secret
    }

    fn field(&self, i: usize) -> Option<&str> {
        self.fields
            .get(i)
            .map(String::as_str)
            .filter(|f| !f.is_empty())
    }

    /// The JSON key to read from the secret's value.
    pub fn json_key(&self) -> Option<&str> {
        self.field(0)
    }

    /// The version stage, e.g. `AWSPREVIOUS`.
    pub fn version_stage(&self) -> Option<&str> {
        self.field(1)
    }

    /// The version id.
    pub fn version_id(&self) -> Option<&str> {
        self.field(2)
    }
}

/// A container's `secrets[].valueFrom`: a Secrets Manager secret (ARN with optional
/// json-key, version-stage and version-id) or an SSM parameter (ARN or name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretValueFrom {
    /// A Secrets Manager secret.
    SecretsManager(SecretsManagerValueFrom),
    /// An SSM parameter.
    Ssm(SsmParameterRef),
}

impl SecretValueFrom {
    /// Parses a `valueFrom`; errors have rule [`SECRET_VALUE_FROM`].
    pub fn parse(s: &str) -> Result<SecretValueFrom, ValueError> {
        let rule = &SECRET_VALUE_FROM;
        if !s.starts_with("arn:") {
            return SsmParameterRef::parse(s).map(SecretValueFrom::Ssm);
        }
        // Colons 0 to 4 part the ARN, 5 parts `secret` from the name, 6 ends the secret's ARN
        // and 7 to 9 part its fields.
        let (colons, found) = colons::<10>(s);
        let colons = &colons[..found];
        // The third part, as `s.split(':').nth(2)`.
        let service = if found < 2 {
            ""
        } else {
            &s[colon_part(s, colons, 2)]
        };
        match service {
            "ssm" => SsmParameterRef::parse(s).map(SecretValueFrom::Ssm),
            "secretsmanager" => {
                // The first seven `:` fields are the ARN; the rest are the optional fields.
                let arn_end = if found > 6 { colons[6] } else { s.len() };
                let secret = SecretArn::parse(&s[..arn_end]).map_err(|e| e.with_rule(rule))?;
                let mut fields = Vec::new();
                if arn_end < s.len() {
                    // Field `i` is part `7 + i`.
                    for i in 0..found - 6 {
                        if i == 3 {
                            return Err(ValueError::new(
                                rule,
                                "more than three fields after the secret ARN",
                                "`SECRET_ARN:json-key:version-stage:version-id`, each field optional",
                                colons[9]..s.len(),
                            ));
                        }
                        let field = colon_part(s, colons, 7 + i);
                        templated_segment(&s[field.clone()], field.start)?;
                        fields.push(s[field].to_owned());
                    }
                    // ECS reads the three fields by position: a json-key alone must still be
                    // followed by the two (empty) version fields' colons.
                    if fields.len() < 3 {
                        let mut fixed = s.to_owned();
                        fixed.extend(std::iter::repeat_n(':', 3 - fields.len()));
                        return Err(ValueError::new(
                            rule,
                            format!("{} of the three fields after the secret ARN", fields.len()),
                            format!("keep every field's colon, empty where unused: `{fixed}`"),
                            arn_end..s.len(),
                        ));
                    }
                }
                Ok(SecretValueFrom::SecretsManager(SecretsManagerValueFrom {
                    secret,
                    fields,
                }))
            }
            _ => {
                let (_, spans) = parse_parts(s).map_err(|e| e.with_rule(rule))?;
                Err(ValueError::new(
                    rule,
                    format!("a `{service}` ARN cannot be a secret's `valueFrom`"),
                    format!(
                        "a Secrets Manager secret ARN ({SECRET_ARN_FORM}) or an SSM parameter ARN ({SSM_ARN_FORM}) or name"
                    ),
                    spans.service,
                ))
            }
        }
    }

    /// Whether this is a Secrets Manager secret.
    pub fn is_secrets_manager(&self) -> bool {
        matches!(self, SecretValueFrom::SecretsManager(_))
    }

    /// Whether this is an SSM parameter.
    pub fn is_ssm(&self) -> bool {
        matches!(self, SecretValueFrom::Ssm(_))
    }

    /// The JSON key (Secrets Manager only).
    pub fn json_key(&self) -> Option<&str> {
        match self {
            SecretValueFrom::SecretsManager(v) => v.json_key(),
            SecretValueFrom::Ssm(_) => None,
        }
    }

    /// The version stage (Secrets Manager only).
    pub fn version_stage(&self) -> Option<&str> {
        match self {
            SecretValueFrom::SecretsManager(v) => v.version_stage(),
            SecretValueFrom::Ssm(_) => None,
        }
    }

    /// The version id (Secrets Manager only).
    pub fn version_id(&self) -> Option<&str> {
        match self {
            SecretValueFrom::SecretsManager(v) => v.version_id(),
            SecretValueFrom::Ssm(_) => None,
        }
    }

    /// The ARN, unless this is an SSM parameter name.
    pub fn arn(&self) -> Option<&Arn> {
        match self {
            SecretValueFrom::SecretsManager(v) => Some(&v.secret.arn),
            SecretValueFrom::Ssm(p) => p.arn(),
        }
    }

    /// The partition, unless this is an SSM parameter name.
    pub fn partition(&self) -> Option<Partition> {
        self.arn().map(Arn::partition)
    }

    /// The region, unless this is an SSM parameter name.
    pub fn region(&self) -> Option<&Region> {
        self.arn().and_then(Arn::region)
    }

    /// The account, unless this is an SSM parameter name.
    pub fn account(&self) -> Option<&Account> {
        self.arn().and_then(Arn::account)
    }

    /// The IAM policy resource: the secret's (see [`SecretArn::policy_resource`]), or the
    /// parameter's (see [`SsmParameterRef::policy_resource`]).
    pub fn policy_resource(&self, ctx: &ArnContext) -> String {
        match self {
            SecretValueFrom::SecretsManager(v) => v.secret.policy_resource(),
            SecretValueFrom::Ssm(p) => p.policy_resource(ctx),
        }
    }
}

impl fmt::Display for SecretValueFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretValueFrom::SecretsManager(v) => {
                v.secret.fmt(f)?;
                for field in &v.fields {
                    write!(f, ":{field}")?;
                }
                Ok(())
            }
            SecretValueFrom::Ssm(p) => p.fmt(f),
        }
    }
}

/// `FromStr` for the types whose `parse` is their one parser.
macro_rules! from_str_by_parse {
    ($($ty:ident),* $(,)?) => {$(
        impl FromStr for $ty {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::parse(s)
            }
        }
    )*};
}

from_str_by_parse!(
    Account,
    Arn,
    SecretArn,
    SecretRef,
    RoleArn,
    KmsKeyRef,
    SsmParameterRef,
    SecretValueFrom,
);

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";

    /// The colons found in one pass are `str::match_indices`'s, and the ARN's parts and a
    /// secret's fields taken between them are what `str::split` gives: the plain way, for
    /// every count of colons and empty, plain and templated parts.
    #[test]
    fn colons_split_as_str_split_does() {
        let parts = [
            "",
            "a",
            "aws",
            "secretsmanager",
            "ssm",
            "${X}",
            "db-AbCdEf",
            "é",
        ];
        let mut texts = vec![String::new(), ":".into(), "::".into()];
        for n in 0..13 {
            for (k, first) in parts.iter().enumerate() {
                let text: Vec<&str> = (0..=n).map(|i| parts[(k + i) % parts.len()]).collect();
                texts.push(text.join(":"));
                texts.push(format!("arn:{first}:{}", text.join(":")));
            }
        }
        for fields in 0..6 {
            for field in parts {
                texts.push(format!("{SECRET}{}", format!(":{field}").repeat(fields)));
            }
        }
        for text in &texts {
            let plain: Vec<usize> = text.match_indices(':').map(|(at, _)| at).collect();
            let (at, found) = colons::<5>(text);
            assert_eq!(&at[..found], &plain[..plain.len().min(5)], "{text}");
            let (at, found) = colons::<10>(text);
            assert_eq!(&at[..found], &plain[..plain.len().min(10)], "{text}");

            // An ARN has six parts: `splitn(6, ':')`.
            let split: Vec<&str> = text.splitn(6, ':').collect();
            match (parse_parts(text), split.as_slice()) {
                (Ok((arn, spans)), [_, partition, service, region, account, resource]) => {
                    assert_eq!(arn.partition.as_str(), *partition, "{text}");
                    assert_eq!(arn.service, *service, "{text}");
                    assert_eq!(&text[spans.region.clone()], *region, "{text}");
                    assert_eq!(&text[spans.account.clone()], *account, "{text}");
                    assert_eq!(arn.resource, *resource, "{text}");
                    assert_eq!(&text[spans.resource], *resource, "{text}");
                }
                (Err(e), [_, _, _, _, _, _]) => assert!(!e.message.contains("parts"), "{text}"),
                (Err(e), _) if text.starts_with("arn:") => assert_eq!(
                    e.message,
                    format!("the ARN has {} of its 6 `:`-separated parts", split.len()),
                    "{text}"
                ),
                (Err(_), _) => {}
                (Ok(_), _) => panic!("{text} parsed with {} parts", split.len()),
            }

            // A secret's fields follow the seventh colon: `split(':')` of the rest.
            if text.starts_with(SECRET)
                && let Ok(SecretValueFrom::SecretsManager(v)) = SecretValueFrom::parse(text)
            {
                let fields: Vec<&str> = match text[SECRET.len()..].strip_prefix(':') {
                    Some(rest) => rest.split(':').collect(),
                    None => Vec::new(),
                };
                assert!(matches!(fields.len(), 0 | 3), "{text}");
                let field = |i: usize| fields.get(i).copied().filter(|f| !f.is_empty());
                assert_eq!(v.json_key(), field(0), "{text}");
                assert_eq!(v.version_stage(), field(1), "{text}");
                assert_eq!(v.version_id(), field(2), "{text}");
            } else if text.starts_with(SECRET) && text.len() > SECRET.len() {
                let e = SecretValueFrom::parse(text).unwrap_err();
                let fields = text[SECRET.len() + 1..].split(':').count();
                if fields > 3 {
                    let third =
                        SECRET.len() + text[SECRET.len()..].match_indices(':').nth(3).unwrap().0;
                    assert_eq!(e.span, third..text.len(), "{text}");
                } else if !text.contains("${") {
                    assert_eq!(e.span, SECRET.len()..text.len(), "{text}");
                }
            }
        }
    }

    fn ctx() -> ArnContext {
        ArnContext {
            partition: Partition::Aws,
            region: Region::parse("eu-west-1", Partition::Aws).unwrap(),
            account: Account::parse("111122223333").unwrap(),
        }
    }

    /// Asserts the error's rule, that its message contains `message`, and its span.
    #[track_caller]
    fn assert_err(
        r: Result<impl fmt::Debug, ValueError>,
        rule: Option<&Rule>,
        message: &str,
        span: Range<usize>,
    ) {
        let e = r.expect_err("expected an error");
        assert_eq!(e.rule, rule, "{e:?}");
        assert!(
            e.message.contains(message),
            "{:?} does not contain {message:?}",
            e.message
        );
        assert_eq!(e.span, span, "{e:?}");
    }

    #[test]
    fn generic_arn() {
        let a = Arn::parse("arn:aws:s3:::bucket/key:with:colons").unwrap();
        assert_eq!(a.service(), "s3");
        assert_eq!(a.region(), None);
        assert_eq!(a.account(), None);
        assert_eq!(a.resource(), "bucket/key:with:colons");
        assert_eq!(a.resource_type(), "bucket");
        assert_eq!(a.to_string(), "arn:aws:s3:::bucket/key:with:colons");

        let a = Arn::parse("arn:aws-cn:ssm:${AWS_REGION}:${ACCOUNT_ID}:parameter/${NAME}").unwrap();
        assert!(a.region().unwrap().is_templated());
        assert!(a.account().unwrap().is_templated());
        assert_eq!(
            a.to_string(),
            "arn:aws-cn:ssm:${AWS_REGION}:${ACCOUNT_ID}:parameter/${NAME}"
        );
    }

    #[test]
    fn generic_arn_errors() {
        assert_err(Arn::parse("urn:aws:x"), None, "does not start an ARN", 0..3);
        assert_err(Arn::parse(""), None, "does not start an ARN", 0..0);
        assert_err(Arn::parse("arn:aws:s3"), None, "3 of its 6", 10..10);
        assert_err(
            Arn::parse("arn:awz:s3:::b"),
            None,
            "unknown partition `awz`",
            4..7,
        );
        assert_err(Arn::parse("arn:${P}:s3:::b"), None, "partition", 4..8);
        assert_err(Arn::parse("arn:aws:${S}:::b"), None, "service", 8..12);
        assert_err(Arn::parse("arn:aws::::b"), None, "service is empty", 8..8);
        assert_err(Arn::parse("arn:aws:S3:::b"), None, "character `S`", 8..9);
        assert_err(
            Arn::parse("arn:aws:kms:cn-north-1:123456789012:key/x"),
            Some(&crate::partition::REGION_SYNTAX),
            "belongs to partition `aws-cn`",
            12..22,
        );
        assert_err(
            Arn::parse("arn:aws:kms::12345:key/x"),
            None,
            "has 5 digits",
            13..18,
        );
        assert_err(
            Arn::parse("arn:aws:kms::12345678901a:k"),
            None,
            "not a 12-digit",
            13..25,
        );
        assert_err(
            Arn::parse("arn:aws:kms::${acct}:k"),
            Some(&crate::placeholder::PLACEHOLDER_SYNTAX),
            "lowercase",
            15..16,
        );
        assert_err(
            Arn::parse("arn:aws:kms:::"),
            None,
            "resource is empty",
            14..14,
        );
        assert_err(
            Arn::parse("arn:aws:kms:::${T}/x"),
            None,
            "resource type",
            14..18,
        );
        assert_err(
            Arn::parse("arn:aws:kms:::x/${a"),
            Some(&crate::placeholder::PLACEHOLDER_SYNTAX),
            "never closed",
            16..19,
        );
    }

    #[test]
    fn secret_arn() {
        let s = SecretArn::parse(SECRET).unwrap();
        assert!(s.is_complete());
        assert_eq!(s.full_name(), "db-AbCdEf");
        assert_eq!(s.name(), "db");
        assert_eq!(s.suffix(), Some("AbCdEf"));
        assert_eq!(s.policy_resource(), SECRET);
        assert_eq!(s.account().and_then(Account::id), Some("123456789012"));

        let p = SecretArn::parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db")
            .unwrap();
        assert!(!p.is_complete());
        assert_eq!(p.name(), "prod/db");
        assert_eq!(p.suffix(), None);
        assert_eq!(
            p.policy_resource(),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"
        );

        let t = SecretArn::parse(
            "arn:aws-us-gov:secretsmanager:${AWS_REGION}:${ACCOUNT_ID}:secret:${NAME}",
        )
        .unwrap();
        assert!(!t.is_complete());
        assert_eq!(t.partition(), Partition::AwsUsGov);
        assert!(
            SecretArn::parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:a+b=c.d@e_f-g")
                .is_ok()
        );
    }

    #[test]
    fn secret_arn_errors() {
        let base = "arn:aws:secretsmanager:us-east-1:123456789012:";
        let at = base.len();
        assert_err(
            SecretArn::parse("arn:aws:ssm:us-east-1:123456789012:parameter/x"),
            Some(&CREDENTIALS_NOT_SECRETSMANAGER),
            "a `ssm` ARN where a `secretsmanager` ARN is expected",
            8..11,
        );
        assert_err(
            SecretArn::parse(&format!("{base}parameter/x")),
            Some(&SECRET_ARN_SYNTAX),
            "resource type `parameter` where `secret:` is expected",
            at..at + 9,
        );
        assert_err(
            SecretArn::parse(&format!("{base}secret:")),
            Some(&SECRET_ARN_SYNTAX),
            "secret name is empty",
            at + 7..at + 7,
        );
        assert_err(
            SecretArn::parse(&format!("{base}secret:db pass")),
            Some(&SECRET_ARN_SYNTAX),
            "character ` `",
            at + 9..at + 10,
        );
        assert_err(
            SecretArn::parse(&format!("{base}secret:db-AbCdEf:password::")),
            Some(&SECRET_ARN_SYNTAX),
            "character `:`",
            at + 16..at + 17,
        );
        assert_err(
            SecretArn::parse(&format!("{base}secret:{}", "a".repeat(513))),
            Some(&SECRET_ARN_SYNTAX),
            "513 characters",
            at + 7..at + 520,
        );
        assert_err(
            SecretArn::parse("arn:aws:secretsmanager::123456789012:secret:x"),
            Some(&SECRET_ARN_SYNTAX),
            "region is empty",
            23..23,
        );
        assert_err(
            SecretArn::parse("arn:aws:secretsmanager:us-east-1::secret:x"),
            Some(&SECRET_ARN_SYNTAX),
            "account is empty",
            33..33,
        );
        assert_err(
            SecretArn::parse("arn:aws:secretsmanager:us-east-1:123:secret:x"),
            Some(&SECRET_ARN_SYNTAX),
            "has 3 digits",
            33..36,
        );
        assert_err(
            SecretArn::parse("arn:aws:secretsmanager:us-east-1:123456789012:${KIND}:x"),
            Some(&SECRET_ARN_SYNTAX),
            "resource type",
            at..at + 7,
        );
    }

    #[test]
    fn secret_ref() {
        let r = SecretRef::parse("dockerhub_creds-1").unwrap();
        let SecretRef::Name(name) = &r else {
            panic!("{r:?}")
        };
        assert!(!name.looks_like_arn_suffix());
        assert_eq!(
            r.policy_resource(&ctx()),
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub_creds-1-??????"
        );
        assert_eq!(r.partition(), None);
        let SecretRef::Name(n) = SecretRef::parse("creds-AbC123").unwrap() else {
            panic!()
        };
        assert!(n.looks_like_arn_suffix());
        assert!(SecretRef::parse("${CREDS}").is_ok());
        let r = SecretRef::parse(SECRET).unwrap();
        assert_eq!(r.partition(), Some(Partition::Aws));
        assert_eq!(r.to_string(), SECRET);
    }

    #[test]
    fn secret_ref_errors() {
        let e = SecretRef::parse("prod/dockerhub").unwrap_err();
        assert_eq!(e.rule, Some(&CREDENTIALS_FORM));
        assert_eq!(e.span, 4..5);
        assert!(e.message.contains("character `/`"), "{e}");
        assert!(e.expected.contains("give the full ARN"), "{}", e.expected);
        assert_err(
            SecretRef::parse("a b"),
            Some(&CREDENTIALS_FORM),
            "character ` `",
            1..2,
        );
        assert_err(SecretRef::parse(""), Some(&CREDENTIALS_FORM), "empty", 0..0);
        assert_err(
            SecretRef::parse(&"a".repeat(256)),
            Some(&CREDENTIALS_FORM),
            "256 characters",
            0..256,
        );
        assert_err(
            SecretRef::parse("arn:aws:kms:us-east-1:123456789012:key/x"),
            Some(&CREDENTIALS_NOT_SECRETSMANAGER),
            "`kms` ARN",
            8..11,
        );
    }

    #[test]
    fn role_arn() {
        let r = RoleArn::parse("arn:aws:iam::123456789012:role/ecsTaskExecutionRole").unwrap();
        assert_eq!(r.name(), "ecsTaskExecutionRole");
        assert_eq!(r.path(), "/");
        let r =
            RoleArn::parse("arn:aws-cn:iam::${ACCOUNT_ID}:role/service/ecs/my+role=,.@-_").unwrap();
        assert_eq!(r.name(), "my+role=,.@-_");
        assert_eq!(r.path(), "/service/ecs/");
        assert!(r.account().unwrap().is_templated());
    }

    #[test]
    fn role_arn_errors() {
        assert_err(
            RoleArn::parse("arn:aws:iam:us-east-1:123456789012:role/x"),
            Some(&ROLE_ARN_SYNTAX),
            "no region",
            12..21,
        );
        assert_err(
            RoleArn::parse("arn:aws:iam:::role/x"),
            Some(&ROLE_ARN_SYNTAX),
            "account is empty",
            13..13,
        );
        assert_err(
            RoleArn::parse("arn:aws:iam::123456789012:user/x"),
            Some(&ROLE_ARN_SYNTAX),
            "resource type `user`",
            26..30,
        );
        assert_err(
            RoleArn::parse("arn:aws:sts::123456789012:role/x"),
            Some(&ROLE_ARN_SYNTAX),
            "`sts` ARN",
            8..11,
        );
        assert_err(
            RoleArn::parse("arn:aws:iam::123456789012:role/"),
            Some(&ROLE_ARN_SYNTAX),
            "role name is empty",
            31..31,
        );
        assert_err(
            RoleArn::parse("arn:aws:iam::123456789012:role/a//b"),
            Some(&ROLE_ARN_SYNTAX),
            "path segment is empty",
            33..33,
        );
        assert_err(
            RoleArn::parse("arn:aws:iam::123456789012:role/a*b"),
            Some(&ROLE_ARN_SYNTAX),
            "character `*`",
            32..33,
        );
        assert_err(
            RoleArn::parse(&format!(
                "arn:aws:iam::123456789012:role/{}",
                "r".repeat(65)
            )),
            Some(&ROLE_ARN_SYNTAX),
            "65 characters",
            31..96,
        );
    }

    #[test]
    fn kms_key_ref() {
        let k = KmsKeyRef::parse(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .unwrap();
        assert_eq!(k.kind(), KmsKeyKind::Key);
        assert_eq!(k.id(), "1234abcd-12ab-34cd-56ef-1234567890ab");
        let k = KmsKeyRef::parse(
            "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        )
        .unwrap();
        assert_eq!(k.kind(), KmsKeyKind::MultiRegionKey);
        let k = KmsKeyRef::parse("arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager")
            .unwrap();
        assert_eq!(k.kind(), KmsKeyKind::Alias);
        assert!(k.is_aws_managed_alias());
        let k = KmsKeyRef::parse("arn:aws:kms:${AWS_REGION}:${ACCOUNT_ID}:key/${KEY_ID}").unwrap();
        assert_eq!(k.kind(), KmsKeyKind::Key);
        assert_eq!(
            k.policy_resource(),
            "arn:aws:kms:${AWS_REGION}:${ACCOUNT_ID}:key/${KEY_ID}"
        );
    }

    #[test]
    fn kms_key_ref_errors() {
        let base = "arn:aws:kms:us-east-1:123456789012:";
        let at = base.len();
        assert_err(
            KmsKeyRef::parse(&format!("{base}key/1234")),
            Some(&KMS_KEY_ARN_SYNTAX),
            "is not a key id",
            at + 4..at + 8,
        );
        assert_err(
            KmsKeyRef::parse(&format!("{base}key/mrk-12")),
            Some(&KMS_KEY_ARN_SYNTAX),
            "32 hex",
            at + 4..at + 10,
        );
        assert_err(
            KmsKeyRef::parse(&format!("{base}grant/x")),
            Some(&KMS_KEY_ARN_SYNTAX),
            "resource type `grant`",
            at..at + 5,
        );
        assert_err(
            KmsKeyRef::parse(&format!("{base}alias/a.b")),
            Some(&KMS_KEY_ARN_SYNTAX),
            "character `.`",
            at + 7..at + 8,
        );
        assert_err(
            KmsKeyRef::parse(&format!("{base}${{K}}/x")),
            Some(&KMS_KEY_ARN_SYNTAX),
            "resource type",
            at..at + 4,
        );
        assert_err(
            KmsKeyRef::parse("arn:aws:secretsmanager:us-east-1:123456789012:key/x"),
            Some(&KMS_KEY_ARN_SYNTAX),
            "`secretsmanager` ARN",
            8..22,
        );
    }

    #[test]
    fn ssm_parameter_ref() {
        let p =
            SsmParameterRef::parse("arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password")
                .unwrap();
        assert_eq!(p.name(), "/prod/db/password");
        assert_eq!(p.policy_resource(&ctx()), p.to_string());
        let p =
            SsmParameterRef::parse("arn:aws:ssm:us-east-1:123456789012:parameter/token").unwrap();
        assert_eq!(p.name(), "token");
        let p = SsmParameterRef::parse("/prod/db/password").unwrap();
        assert_eq!(p.name(), "/prod/db/password");
        assert_eq!(
            p.policy_resource(&ctx()),
            "arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db/password"
        );
        assert!(SsmParameterRef::parse("my_param.v-2").is_ok());
        assert!(SsmParameterRef::parse("/${ENV}/db").is_ok());
    }

    #[test]
    fn ssm_parameter_ref_errors() {
        assert_err(
            SsmParameterRef::parse("/aws/x"),
            Some(&SECRET_VALUE_FROM),
            "begins with `aws`",
            1..4,
        );
        assert_err(
            SsmParameterRef::parse("SSMparam"),
            Some(&SECRET_VALUE_FROM),
            "begins with `SSM`",
            0..3,
        );
        assert_err(
            SsmParameterRef::parse("prod/db"),
            Some(&SECRET_VALUE_FROM),
            "does not start with `/`",
            0..4,
        );
        assert_err(
            SsmParameterRef::parse("/a//b"),
            Some(&SECRET_VALUE_FROM),
            "empty level",
            2..4,
        );
        assert_err(
            SsmParameterRef::parse("/a/b/"),
            Some(&SECRET_VALUE_FROM),
            "ends with `/`",
            4..5,
        );
        assert_err(
            SsmParameterRef::parse("a b"),
            Some(&SECRET_VALUE_FROM),
            "character ` `",
            1..2,
        );
        assert_err(
            SsmParameterRef::parse(&"/a".repeat(16)),
            Some(&SECRET_VALUE_FROM),
            "16 levels",
            0..32,
        );
        let base = "arn:aws:ssm:us-east-1:123456789012:";
        let at = base.len();
        assert_err(
            SsmParameterRef::parse(&format!("{base}parameter//prod/db")),
            Some(&SECRET_VALUE_FROM),
            "leading `/`",
            at + 10..at + 11,
        );
        assert_err(
            SsmParameterRef::parse(&format!("{base}parameter/aws-x")),
            Some(&SECRET_VALUE_FROM),
            "begins with `aws`",
            at + 10..at + 13,
        );
        assert_err(
            SsmParameterRef::parse(&format!("{base}param/x")),
            Some(&SECRET_VALUE_FROM),
            "resource type `param`",
            at..at + 5,
        );
    }

    #[test]
    fn secret_value_from() {
        let v = SecretValueFrom::parse(&format!("{SECRET}:password::")).unwrap();
        assert!(v.is_secrets_manager());
        assert_eq!(v.json_key(), Some("password"));
        assert_eq!(v.version_stage(), None);
        assert_eq!(v.version_id(), None);
        assert_eq!(v.to_string(), format!("{SECRET}:password::"));
        assert_eq!(v.policy_resource(&ctx()), SECRET);

        let v = SecretValueFrom::parse(&format!("{SECRET}::AWSPREVIOUS:")).unwrap();
        assert_eq!(v.json_key(), None);
        assert_eq!(v.version_stage(), Some("AWSPREVIOUS"));
        let v = SecretValueFrom::parse(SECRET).unwrap();
        assert_eq!(v.json_key(), None);
        assert_eq!(v.to_string(), SECRET);

        let v = SecretValueFrom::parse("/prod/db").unwrap();
        assert!(v.is_ssm());
        assert_eq!(v.arn(), None);
        let v = SecretValueFrom::parse("arn:aws:ssm:us-east-1:123456789012:parameter/x").unwrap();
        assert!(v.is_ssm());
        assert_eq!(v.partition(), Some(Partition::Aws));
    }

    #[test]
    fn secret_value_from_errors() {
        let e = SecretValueFrom::parse(&format!("{SECRET}:a:b:c:d")).unwrap_err();
        assert_eq!(e.rule, Some(&SECRET_VALUE_FROM));
        assert!(e.message.contains("more than three fields"), "{e}");
        assert_eq!(e.span, SECRET.len() + 6..SECRET.len() + 8);
        assert_err(
            SecretValueFrom::parse("arn:aws:kms:us-east-1:123456789012:key/x"),
            Some(&SECRET_VALUE_FROM),
            "`kms` ARN cannot be",
            8..11,
        );
        assert_err(
            SecretValueFrom::parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:"),
            Some(&SECRET_VALUE_FROM),
            "secret name is empty",
            53..53,
        );
        assert_err(
            SecretValueFrom::parse("arn:aws:x"),
            Some(&SECRET_VALUE_FROM),
            "3 of its 6",
            9..9,
        );
        assert_err(
            SecretValueFrom::parse(&format!("{SECRET}:${{key}}")),
            Some(&crate::placeholder::PLACEHOLDER_SYNTAX),
            "lowercase",
            SECRET.len() + 3..SECRET.len() + 4,
        );
    }
}
