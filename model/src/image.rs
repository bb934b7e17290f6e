//! Docker image references as ECS reads a container's `image`: the reference grammar of
//! distribution/reference, ECS's length and digest limits, `${NAME}` deploy-time placeholders,
//! and the kind of registry an image is pulled from (which decides who authenticates the pull).
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [ domain "/" ] path-component [ "/" path-component ]*
//! domain           := host [ ":" port ]       (the first component, when it holds `.` or `:`
//!                                              or is `localhost`)
//! host             := domain-component [ "." domain-component ]* | "[" IPv6 "]"
//! domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//! port             := [0-9]+
//! path-component   := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag              := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest           := "sha256:" [a-f0-9]{64}  (ECS supports sha256 only)
//! ```
//!
//! ECS accepts at most 255 characters before any `@`. A placeholder stands for a run of valid
//! characters of the part it sits in: the characters around it are checked, the placeholder
//! itself is accepted as is, and length limits count only the literal characters.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::placeholder::{Mark, ValueError};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};

/// An image that is not a reference ECS can pull. (A malformed placeholder in it is a
/// `placeholder-syntax` error, as anywhere else.)
///
/// Stricter than the sentence it quotes, which allows "letters (uppercase and lowercase)" in
/// the whole string: ECS passes the image to Docker as it is, and Docker's reference grammar
/// takes upper case only in a registry host and a tag, never in a repository path (`docker
/// pull ghcr.io/Acme/web` answers "invalid reference format: repository name must be
/// lowercase"), so the task would register and then fail to start.
pub const IMAGE_REFERENCE: Rule = Rule {
    name: "image-reference",
    level: Level::Error,
    scope: Scope::Container,
    summary: "an image reference: the Docker reference grammar, at most 255 characters before any digest, `sha256:` digests of 64 hex digits",
    help: "give an image such as `nginx:1.27` or `ghcr.io/acme/web:1.4.2`",
    link: aws_docs::IMAGE,
    aws: Quote {
        text: "For images using tags (repository-url/image:tag), up to 255 characters total are allowed, including letters (uppercase and lowercase), numbers, hyphens, underscores, colons, periods, forward slashes, and number signs (#).",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 313,
};

/// The rules of this module, for [`crate::rules::RULES`].
pub(crate) const RULES: &[&Rule] = &[&IMAGE_REFERENCE];

/// ECS's limit on everything before the `@` of a digest.
const MAX_LEN_BEFORE_DIGEST: usize = 255;
/// `[\w][\w.-]{0,127}`.
const MAX_TAG_LEN: usize = 128;
const SHA256_HEX_LEN: usize = 64;
const ECR_ACCOUNT_LEN: usize = 12;

/// The hosts of Docker Hub; an image without a registry host is pulled from there too.
const DOCKER_HUB_HOSTS: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];
/// The hosts of Amazon ECR Public (IPv4 only, and dual-stack).
const ECR_PUBLIC_HOSTS: [&str; 2] = ["public.ecr.aws", "ecr-public.aws.com"];

/// DNS suffixes of `ACCOUNT.dkr.ecr[-fips].REGION.SUFFIX`, with their partitions; `None` for a
/// suffix shared by `aws` and `aws-us-gov`, where the region decides.
const ECR_SUFFIXES: [(&str, Option<&str>); 7] = [
    ("amazonaws.com", None),
    ("amazonaws.com.cn", Some("aws-cn")),
    ("amazonaws.eu", Some("aws-eusc")),
    ("c2s.ic.gov", Some("aws-iso")),
    ("sc2s.sgov.gov", Some("aws-iso-b")),
    ("cloud.adc-e.uk", Some("aws-iso-e")),
    ("csp.hci.ic.gov", Some("aws-iso-f")),
];

/// DNS suffixes of the dual-stack `ACCOUNT.dkr-ecr[-fips].REGION.SUFFIX`, with their partitions
/// (as the ECS container agent recognises them).
const ECR_DUAL_STACK_SUFFIXES: [(&str, Option<&str>); 8] = [
    ("on.aws", None),
    ("on.amazonwebservices.com.cn", Some("aws-cn")),
    ("on.amazonwebservices.eu", Some("aws-eusc")),
    ("amazonwebservices.eu", Some("aws-eusc")),
    ("on.aws.ic.gov", Some("aws-iso")),
    ("on.aws.scloud", Some("aws-iso-b")),
    ("on.cloud-aws.adc-e.uk", Some("aws-iso-e")),
    ("on.aws.hci.ic.gov", Some("aws-iso-f")),
];

/// A container image reference, validated, keeping the text exactly as written.
///
/// `Display` writes the original text, so `parse(x.to_string()) == x`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageReference {
    raw: String,
    /// The registry host (and port) as written; `None` when the image names none.
    domain: Option<Range<usize>>,
    /// The repository path, without the registry host.
    path: Range<usize>,
    tag: Option<Range<usize>>,
    digest: Option<Range<usize>>,
    kind: RegistryKind,
}

/// Where an image is pulled from, which decides how ECS authenticates the pull.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RegistryKind {
    /// Docker Hub: no registry host, `docker.io`, `index.docker.io` or `registry-1.docker.io`.
    DockerHub,
    /// Amazon ECR Public: `public.ecr.aws` (or its dual-stack `ecr-public.aws.com`).
    EcrPublic,
    /// A private Amazon ECR registry: ECS pulls from it with the task's execution role.
    EcrPrivate(EcrRegistry),
    /// Any other registry.
    Other {
        /// The registry host, with its port if it has one, as written.
        host: String,
    },
    /// The registry cannot be told before deploy time: the whole image, or its first
    /// component, is a placeholder (`${IMAGE}`, `${REGISTRY}/web`).
    Unknown,
}

/// A private Amazon ECR registry host, `ACCOUNT.dkr.ecr[-fips].REGION.SUFFIX` or the dual-stack
/// `ACCOUNT.dkr-ecr[-fips].REGION.SUFFIX`. The account and region may be placeholders.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EcrRegistry {
    account: String,
    region: String,
    partition: Option<&'static str>,
    fips: bool,
    dual_stack: bool,
}

impl EcrRegistry {
    /// The registry's account id as written: 12 digits, or a text holding a placeholder.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The registry's region as written, possibly a placeholder.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The partition name (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`,
    /// `aws-iso-f`, `aws-eusc`), told by the host's DNS suffix. `None` only where the suffix is
    /// shared by `aws` and `aws-us-gov` (`amazonaws.com`, `on.aws`) and the region is a
    /// placeholder.
    pub fn partition(&self) -> Option<&'static str> {
        self.partition
    }

    /// Whether the host is a FIPS endpoint (`dkr.ecr-fips`, `dkr-ecr-fips`).
    pub fn is_fips(&self) -> bool {
        self.fips
    }

    /// Whether the host is a dual-stack (IPv4 and IPv6) endpoint (`dkr-ecr`, `dkr-ecr-fips`).
    pub fn is_dual_stack(&self) -> bool {
        self.dual_stack
    }
}

/// Which part of an image reference an [`ImageError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImagePart {
    /// The image as a whole (empty, too long, no repository name).
    Image,
    /// The registry host or its port.
    Registry,
    /// The repository path.
    Repository,
    /// The tag after `:`.
    Tag,
    /// The digest after `@`.
    Digest,
    /// A `${NAME}` placeholder.
    Placeholder,
}

/// Why an image reference is invalid: a [`ValueError`] (of rule [`IMAGE_REFERENCE`], or
/// `placeholder-syntax` for a malformed placeholder) that also says which part is wrong. Its
/// span is the byte range of that part within the input (on `char` boundaries, never empty
/// unless the input is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageError {
    part: ImagePart,
    error: ValueError,
}

impl ImageError {
    fn new(
        part: ImagePart,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        ImageError {
            part,
            error: ValueError::new(&IMAGE_REFERENCE, message, help, span),
        }
    }

    /// The part of the reference that is wrong.
    pub fn part(&self) -> ImagePart {
        self.part
    }

    /// The rule that rejects the image.
    pub fn rule(&self) -> &'static Rule {
        self.error.rule.unwrap_or(&IMAGE_REFERENCE)
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.error.message
    }

    /// What was expected, often with the corrected image.
    pub fn help(&self) -> &str {
        &self.error.expected
    }

    /// The byte range of the offending part within the parsed text.
    pub fn span(&self) -> Range<usize> {
        self.error.span.clone()
    }
}

impl From<ImageError> for ValueError {
    fn from(error: ImageError) -> Self {
        error.error
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ImageError {}

impl ImageReference {
    /// Parses and checks an image reference.
    pub fn parse(input: &str) -> Result<Self, ImageError> {
        Parser::new(input)?.parse()
    }

    /// The image exactly as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The name: registry host (if written) and repository path, without tag or digest.
    pub fn name(&self) -> &str {
        &self.raw[..self.path.end]
    }

    /// The registry host (with its port) as written, if the image names one.
    pub fn domain(&self) -> Option<&str> {
        self.domain.clone().map(|range| &self.raw[range])
    }

    /// The repository path, without the registry host.
    pub fn path(&self) -> &str {
        &self.raw[self.path.clone()]
    }

    /// The tag, without its `:`.
    pub fn tag(&self) -> Option<&str> {
        self.tag.clone().map(|range| &self.raw[range])
    }

    /// The digest (`sha256:...`), without its `@`.
    pub fn digest(&self) -> Option<&str> {
        self.digest.clone().map(|range| &self.raw[range])
    }

    /// Where the image is pulled from.
    pub fn registry_kind(&self) -> &RegistryKind {
        &self.kind
    }

    /// Whether the image holds a `${NAME}` placeholder.
    pub fn is_templated(&self) -> bool {
        crate::placeholder::holds_dollar_brace(&self.raw)
    }

    /// The fully qualified name as Docker normalizes it: Docker Hub images get `docker.io/`, and
    /// `library/` when they have a single path component (`nginx` is
    /// `docker.io/library/nginx`). Other names are returned as written.
    pub fn normalized_name(&self) -> String {
        match self.kind {
            RegistryKind::DockerHub => {
                let path = self.path();
                if path.contains('/') {
                    format!("docker.io/{path}")
                } else {
                    format!("docker.io/library/{path}")
                }
            }
            _ => self.name().to_owned(),
        }
    }

    /// Whether the image floats: no tag and no digest, or the tag `latest` without a digest. A
    /// templated tag counts as pinned, and so does a whole-image placeholder (`${IMAGE}`), which
    /// may carry its tag.
    pub fn is_unpinned(&self) -> bool {
        if self.digest.is_some() {
            return false;
        }
        match self.tag() {
            Some(tag) => tag == "latest",
            None => self.kind != RegistryKind::Unknown || self.name().contains('/'),
        }
    }

    /// The repository name of a private ECR image (its path), placeholders kept.
    pub fn ecr_repository(&self) -> Option<&str> {
        match self.kind {
            RegistryKind::EcrPrivate(_) => Some(self.path()),
            _ => None,
        }
    }

    /// The ARN of a private ECR image's repository,
    /// `arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`, placeholders kept, for the execution
    /// role's policy. `partition_if_unknown` (typically the execution role's partition) is used
    /// only where the host cannot tell `aws` from `aws-us-gov` (see [`EcrRegistry::partition`]).
    pub fn ecr_repository_arn(&self, partition_if_unknown: &str) -> Option<String> {
        let RegistryKind::EcrPrivate(registry) = &self.kind else {
            return None;
        };
        Some(format!(
            "arn:{}:ecr:{}:{}:repository/{}",
            registry.partition.unwrap_or(partition_if_unknown),
            registry.region,
            registry.account,
            self.path()
        ))
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for ImageReference {
    type Err = ImageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for ImageReference {
    type Error = ImageError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

/// One unit of a part of the input: a literal character, or a whole placeholder.
#[derive(Clone, Copy, Debug)]
enum Atom {
    Char(char, usize),
    Hole(usize, usize),
}

impl Atom {
    fn span(self) -> Range<usize> {
        match self {
            Atom::Char(c, at) => at..at + c.len_utf8(),
            Atom::Hole(start, end) => start..end,
        }
    }

    fn char(self) -> Option<char> {
        match self {
            Atom::Char(c, _) => Some(c),
            Atom::Hole(..) => None,
        }
    }
}

/// The atoms of a part of the input, in order (see [`Parser::atoms`]).
#[derive(Clone)]
struct Atoms<'a> {
    input: &'a str,
    /// The placeholders still ahead, sorted.
    holes: &'a [Range<usize>],
    at: usize,
    end: usize,
}

impl Iterator for Atoms<'_> {
    type Item = Atom;

    fn next(&mut self) -> Option<Atom> {
        if self.at >= self.end {
            return None;
        }
        if let Some(hole) = self.holes.first()
            && hole.start == self.at
        {
            self.holes = &self.holes[1..];
            self.at = hole.end;
            return Some(Atom::Hole(hole.start, hole.end));
        }
        let byte = *self.input.as_bytes().get(self.at)?;
        let c = if byte.is_ascii() {
            char::from(byte)
        } else {
            self.input[self.at..self.end].chars().next()?
        };
        let atom = Atom::Char(c, self.at);
        self.at += c.len_utf8();
        Some(atom)
    }
}

struct Parser<'a> {
    input: &'a str,
    /// The placeholders' byte ranges, sorted. None contains `/`, `:`, `@` or `.`, so every
    /// part the input is split into holds whole placeholders.
    holes: Vec<Range<usize>>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Result<Self, ImageError> {
        if input.is_empty() {
            return Err(ImageError::new(
                ImagePart::Image,
                0..0,
                "the image is empty",
                "name an image, such as `nginx:1.27`, `ghcr.io/acme/web:1.4.2` or \
                 `${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/web:${IMAGE_TAG}`",
            ));
        }
        Ok(Parser {
            input,
            holes: scan_placeholders(input)?,
        })
    }

    fn parse(&self) -> Result<ImageReference, ImageError> {
        let input = self.input;
        let name_tag_end = input.find('@').unwrap_or(input.len());
        let digest = (name_tag_end < input.len()).then(|| name_tag_end + 1..input.len());
        let name_tag = &input[..name_tag_end];
        let last_slash = name_tag.rfind('/');
        let tag = match name_tag.rfind(':') {
            Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
                Some(colon + 1..name_tag_end)
            }
            _ => None,
        };
        let name_end = tag.as_ref().map_or(name_tag_end, |tag| tag.start - 1);
        if name_end == 0 {
            return Err(ImageError::new(
                ImagePart::Image,
                self.char_span(0),
                "the image has no repository name",
                "write the repository before the tag or digest: `name:tag` or `name@sha256:...`",
            ));
        }

        if input.len() == SHA256_HEX_LEN
            && input
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            // Docker reads such a string as an image id, never as a repository name.
            return Err(ImageError::new(
                ImagePart::Repository,
                0..input.len(),
                "a 64-digit hexadecimal string is an image id, not a repository name",
                "name the repository, pinned by digest if need be: `name@sha256:...`",
            ));
        }

        let name = &input[..name_end];
        let (domain, path_start, undetermined) = match name.find('/') {
            Some(slash) => {
                let first = &name[..slash];
                if first.contains(['.', ':']) || first == "localhost" {
                    (Some(0..slash), slash + 1, false)
                } else {
                    (None, 0, self.has_hole(0..slash))
                }
            }
            None => (None, 0, self.has_hole(0..name_end)),
        };
        let path = path_start..name_end;

        if let Some(domain) = &domain {
            self.check_domain(domain.clone())?;
        }
        self.check_path(path.clone())?;
        if let Some(tag) = &tag {
            self.check_tag(tag.clone())?;
        }
        if let Some(digest) = &digest {
            self.check_digest(digest.clone())?;
        }
        let literal_len = self.literal_len(0..name_tag_end);
        if literal_len > MAX_LEN_BEFORE_DIGEST {
            let at_least = if self.has_hole(0..name_tag_end) {
                "at least "
            } else {
                ""
            };
            return Err(ImageError::new(
                ImagePart::Image,
                0..name_tag_end,
                format!(
                    "the image is {at_least}{literal_len} characters long before any digest; \
                     ECS accepts at most {MAX_LEN_BEFORE_DIGEST}"
                ),
                "shorten the registry host, repository path or tag",
            ));
        }

        let kind = if undetermined {
            RegistryKind::Unknown
        } else {
            registry_kind(domain.clone().map(|range| &input[range]))
        };
        Ok(ImageReference {
            raw: input.to_owned(),
            domain,
            path,
            tag,
            digest,
            kind,
        })
    }

    fn check_domain(&self, domain: Range<usize>) -> Result<(), ImageError> {
        let text = &self.input[domain.clone()];
        let (host_end, port) = if text.starts_with('[') {
            let Some(close) = text.find(']') else {
                return Err(ImageError::new(
                    ImagePart::Registry,
                    domain,
                    format!("the IPv6 registry address `{text}` has no closing `]`"),
                    "write an IPv6 address in brackets: `[2001:db8::1]:5000/repo`",
                ));
            };
            for atom in self.atoms(domain.start + 1..domain.start + close) {
                if let Some(c) = atom
                    .char()
                    .filter(|c| !(c.is_ascii_hexdigit() || *c == ':'))
                {
                    return Err(ImageError::new(
                        ImagePart::Registry,
                        atom.span(),
                        format!("`{c}` is not allowed in an IPv6 registry address"),
                        "an IPv6 address holds hexadecimal digits and `:`",
                    ));
                }
            }
            let after = domain.start + close + 1;
            match self.input.as_bytes().get(after) {
                _ if after == domain.end => (after, None),
                Some(b':') => (after, Some(after + 1..domain.end)),
                _ => {
                    return Err(ImageError::new(
                        ImagePart::Registry,
                        self.char_span(after),
                        format!(
                            "unexpected `{}` after the IPv6 registry address",
                            &text[close + 1..]
                        ),
                        "an IPv6 address in brackets may only be followed by `:PORT`",
                    ));
                }
            }
        } else {
            match text.find(':') {
                Some(colon) => (
                    domain.start + colon,
                    Some(domain.start + colon + 1..domain.end),
                ),
                None => (domain.end, None),
            }
        };

        if !text.starts_with('[') {
            self.check_host(domain.start..host_end)?;
        }
        if let Some(port) = port {
            self.check_port(port)?;
        }
        Ok(())
    }

    fn check_host(&self, host: Range<usize>) -> Result<(), ImageError> {
        let mut start = host.start;
        loop {
            let end = self.input[start..host.end]
                .find('.')
                .map_or(host.end, |dot| start + dot);
            if start == end {
                return Err(ImageError::new(
                    ImagePart::Registry,
                    self.separator_span(start, host.clone(), b'.'),
                    format!(
                        "the registry host `{}` has an empty label",
                        &self.input[host.clone()]
                    ),
                    "separate the host's labels with a single `.`; a host neither starts nor \
                     ends with one",
                ));
            }
            self.check_host_label(start..end)?;
            if end == host.end {
                return Ok(());
            }
            start = end + 1;
        }
    }

    fn check_host_label(&self, label: Range<usize>) -> Result<(), ImageError> {
        let atoms = self.atoms(label.clone());
        for atom in atoms.clone() {
            if let Some(c) = atom
                .char()
                .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(ImageError::new(
                    ImagePart::Registry,
                    atom.span(),
                    format!("`{}` is not allowed in a registry host", c.escape_debug()),
                    "a registry host holds letters, digits, `-` and `.`, with an optional \
                     `:PORT`",
                ));
            }
        }
        let edge_hyphen = [atoms.clone().next(), atoms.last()]
            .into_iter()
            .flatten()
            .any(|atom| atom.char() == Some('-'));
        if edge_hyphen {
            return Err(ImageError::new(
                ImagePart::Registry,
                label.clone(),
                format!(
                    "the registry host label `{}` starts or ends with `-`",
                    &self.input[label]
                ),
                "each label of a host starts and ends with a letter or digit",
            ));
        }
        Ok(())
    }

    fn check_port(&self, port: Range<usize>) -> Result<(), ImageError> {
        if port.is_empty() {
            return Err(ImageError::new(
                ImagePart::Registry,
                port.start - 1..port.start,
                "the registry port after `:` is empty",
                "write the port number after the host, as in `localhost:5000/repo`, or remove \
                 the `:`",
            ));
        }
        for atom in self.atoms(port) {
            if let Some(c) = atom.char().filter(|c| !c.is_ascii_digit()) {
                return Err(ImageError::new(
                    ImagePart::Registry,
                    atom.span(),
                    format!("`{}` is not allowed in a registry port", c.escape_debug()),
                    "a port is a number, as in `localhost:5000/repo`",
                ));
            }
        }
        Ok(())
    }

    fn check_path(&self, path: Range<usize>) -> Result<(), ImageError> {
        let mut start = path.start;
        loop {
            let end = self.input[start..path.end]
                .find('/')
                .map_or(path.end, |slash| start + slash);
            if start == end {
                return Err(ImageError::new(
                    ImagePart::Repository,
                    self.separator_span(start, 0..path.end, b'/'),
                    "the repository path has an empty component",
                    "separate path components with a single `/`; a path neither starts nor ends \
                     with one",
                ));
            }
            self.check_path_component(start..end, path.clone())?;
            if end == path.end {
                return Ok(());
            }
            start = end + 1;
        }
    }

    fn check_path_component(
        &self,
        component: Range<usize>,
        path: Range<usize>,
    ) -> Result<(), ImageError> {
        let atoms = self.atoms(component.clone());
        let text = &self.input[component.clone()];
        for atom in atoms.clone() {
            let Some(c) = atom.char() else { continue };
            if c.is_ascii_uppercase() {
                return Err(ImageError::new(
                    ImagePart::Repository,
                    component,
                    format!("the repository path component `{text}` has uppercase letters"),
                    format!(
                        "repository names are lowercase: `{}`",
                        self.lowercased(path)
                    ),
                ));
            }
            if c == ':' {
                return Err(ImageError::new(
                    ImagePart::Repository,
                    atom.span(),
                    "unexpected `:` in the repository path",
                    "a tag follows a single `:` after the repository (`name:tag`); a port \
                     belongs to the registry host, before the first `/`",
                ));
            }
            if !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
                return Err(ImageError::new(
                    ImagePart::Repository,
                    atom.span(),
                    format!("`{}` is not allowed in a repository path", c.escape_debug()),
                    "path components hold lowercase letters and digits, separated by `.`, `_`, \
                     `__` or `-`",
                ));
            }
        }

        // The runs of separators between words, in order. A placeholder counts as a word, so
        // a run is literal characters, one stretch of the input.
        let is_word = |atom: &Atom| atom.char().is_none_or(|c| c.is_ascii_alphanumeric());
        let mut seen_word = false;
        // The current run: whether it began before any word, and its span.
        let mut run: Option<(bool, Range<usize>)> = None;
        let mut atoms = atoms.peekable();
        while let Some(atom) = atoms.next() {
            if is_word(&atom) {
                seen_word = true;
                continue;
            }
            let span = atom.span();
            let (leading, whole) = match run.take() {
                Some((leading, whole)) => (leading, whole.start..span.end),
                None => (!seen_word, span),
            };
            if atoms.peek().is_some_and(|next| !is_word(next)) {
                run = Some((leading, whole));
                continue;
            }
            let separator = &self.input[whole.clone()];
            let problem = if leading {
                format!("starts with `{separator}`")
            } else if atoms.peek().is_none() {
                format!("ends with `{separator}`")
            } else if !matches!(separator, "." | "_" | "__") && !separator.chars().all(|c| c == '-')
            {
                format!("separates words with `{separator}`")
            } else {
                continue;
            };
            return Err(ImageError::new(
                ImagePart::Repository,
                whole,
                format!("the repository path component `{text}` {problem}"),
                "a path component starts and ends with a lowercase letter or digit, and \
                 separates words with one `.`, one `_`, `__`, or one or more `-`",
            ));
        }
        Ok(())
    }

    fn check_tag(&self, tag: Range<usize>) -> Result<(), ImageError> {
        if tag.is_empty() {
            return Err(ImageError::new(
                ImagePart::Tag,
                tag.start - 1..tag.start,
                "the tag after `:` is empty",
                "write a tag after the `:`, as in `web:1.4.2`, or remove the `:`",
            ));
        }
        let atoms = self.atoms(tag.clone());
        if let Some(first) = atoms.clone().next()
            && let Some(c) = first
                .char()
                .filter(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            return Err(ImageError::new(
                ImagePart::Tag,
                first.span(),
                format!("the tag starts with `{}`", c.escape_debug()),
                "a tag starts with a letter, digit or `_`",
            ));
        }
        for atom in atoms {
            if let Some(c) = atom
                .char()
                .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            {
                return Err(ImageError::new(
                    ImagePart::Tag,
                    atom.span(),
                    format!("`{}` is not allowed in a tag", c.escape_debug()),
                    "a tag holds letters, digits, `_`, `.` and `-`",
                ));
            }
        }
        let len = self.literal_len(tag.clone());
        if len > MAX_TAG_LEN {
            return Err(ImageError::new(
                ImagePart::Tag,
                tag,
                format!("the tag is {len} characters long"),
                format!("a tag has at most {MAX_TAG_LEN} characters"),
            ));
        }
        Ok(())
    }

    fn check_digest(&self, digest: Range<usize>) -> Result<(), ImageError> {
        const EXPECTED: &str = "a digest is `sha256:` followed by 64 lowercase hexadecimal digits";
        let text = &self.input[digest.clone()];
        if digest.is_empty() {
            return Err(ImageError::new(
                ImagePart::Digest,
                digest.start - 1..digest.start,
                "the digest after `@` is empty",
                EXPECTED,
            ));
        }
        let Some(colon) = text.find(':') else {
            if self.atoms(digest.clone()).all(|atom| atom.char().is_none()) {
                return Ok(());
            }
            return Err(ImageError::new(
                ImagePart::Digest,
                digest,
                format!("the digest `{text}` has no algorithm"),
                EXPECTED,
            ));
        };
        let algorithm = digest.start..digest.start + colon;
        if !self.has_hole(algorithm.clone()) && &self.input[algorithm.clone()] != "sha256" {
            return Err(ImageError::new(
                ImagePart::Digest,
                if algorithm.is_empty() {
                    digest.start..digest.start + 1
                } else {
                    algorithm
                },
                format!(
                    "the digest algorithm is `{}`; ECS supports only `sha256`",
                    &text[..colon]
                ),
                EXPECTED,
            ));
        }
        let hex = digest.start + colon + 1..digest.end;
        for atom in self.atoms(hex.clone()) {
            let Some(c) = atom.char() else { continue };
            if c.is_ascii_digit() || ('a'..='f').contains(&c) {
                continue;
            }
            let (message, help) = if ('A'..='F').contains(&c) {
                (
                    "the digest has uppercase hexadecimal digits".to_owned(),
                    format!(
                        "Docker accepts lowercase digests only: `{}`",
                        self.lowercased(hex.clone())
                    ),
                )
            } else {
                (
                    format!("`{}` is not a hexadecimal digit", c.escape_debug()),
                    EXPECTED.to_owned(),
                )
            };
            return Err(ImageError::new(
                ImagePart::Digest,
                atom.span(),
                message,
                help,
            ));
        }
        let len = self.literal_len(hex.clone());
        let templated = self.has_hole(hex.clone());
        if len > SHA256_HEX_LEN || (!templated && len != SHA256_HEX_LEN) {
            return Err(ImageError::new(
                ImagePart::Digest,
                if hex.is_empty() {
                    hex.start - 1..hex.start
                } else {
                    hex
                },
                format!("the sha256 digest has {len} hexadecimal digits instead of 64"),
                EXPECTED,
            ));
        }
        Ok(())
    }

    /// The atoms of a part of the input, placeholders kept whole.
    fn atoms(&self, range: Range<usize>) -> Atoms<'_> {
        // The placeholders wholly inside `range`: a run of the sorted list.
        let first = self.holes.partition_point(|hole| hole.start < range.start);
        let inside = self.holes[first..]
            .iter()
            .take_while(|hole| hole.end <= range.end)
            .count();
        Atoms {
            input: self.input,
            holes: &self.holes[first..first + inside],
            at: range.start,
            end: range.end,
        }
    }

    fn has_hole(&self, range: Range<usize>) -> bool {
        self.holes
            .iter()
            .any(|hole| hole.start >= range.start && hole.end <= range.end)
    }

    /// The number of literal characters in a part of the input, placeholders not counted.
    fn literal_len(&self, range: Range<usize>) -> usize {
        if self.holes.is_empty() {
            return self.input[range].chars().count();
        }
        self.atoms(range)
            .filter(|atom| atom.char().is_some())
            .count()
    }

    /// The input with the literal characters of `range` lowercased, placeholders kept.
    fn lowercased(&self, range: Range<usize>) -> String {
        let mut out = String::with_capacity(self.input.len());
        out.push_str(&self.input[..range.start]);
        for atom in self.atoms(range.clone()) {
            match atom {
                Atom::Char(c, _) => out.push(c.to_ascii_lowercase()),
                Atom::Hole(start, end) => out.push_str(&self.input[start..end]),
            }
        }
        out.push_str(&self.input[range.end..]);
        out
    }

    /// The span of an empty component at `at`: the separators around it, within `within`.
    fn separator_span(&self, at: usize, within: Range<usize>, separator: u8) -> Range<usize> {
        let bytes = self.input.as_bytes();
        let start = if at > within.start && bytes[at - 1] == separator {
            at - 1
        } else {
            at
        };
        let end = if at < within.end && bytes[at] == separator {
            at + 1
        } else {
            at
        };
        if start == end {
            self.char_span(at)
        } else {
            start..end
        }
    }

    /// The span of the character at `at`, or of the last character when `at` is the end.
    fn char_span(&self, at: usize) -> Range<usize> {
        if let Some(c) = self.input[at..].chars().next() {
            at..at + c.len_utf8()
        } else {
            let last = self.input.chars().next_back().map_or(0, char::len_utf8);
            at - last..at
        }
    }
}

/// The byte ranges of the `${NAME}` placeholders of `input`, as [`crate::placeholder::scan`]
/// reads them, or the error of the first malformed one. An escaped `$${` would stand for a
/// literal `${`, which no part of an image reference can hold.
fn scan_placeholders(input: &str) -> Result<Vec<Range<usize>>, ImageError> {
    let marks = crate::placeholder::scan(input).map_err(|error| ImageError {
        part: ImagePart::Placeholder,
        error,
    })?;
    marks
        .into_iter()
        .map(|mark| match mark {
            Mark::Placeholder(range) => Ok(range),
            Mark::Escape(range) => Err(ImageError::new(
                ImagePart::Placeholder,
                range,
                "`$${` is a literal `${`, which an image reference cannot hold",
                "write `${NAME}` for a deploy-time placeholder",
            )),
        })
        .collect()
}

fn registry_kind(domain: Option<&str>) -> RegistryKind {
    let Some(host) = domain else {
        return RegistryKind::DockerHub;
    };
    if DOCKER_HUB_HOSTS.contains(&host) {
        RegistryKind::DockerHub
    } else if ECR_PUBLIC_HOSTS.contains(&host) {
        RegistryKind::EcrPublic
    } else if let Some(registry) = ecr_private(host) {
        RegistryKind::EcrPrivate(registry)
    } else {
        RegistryKind::Other {
            host: host.to_owned(),
        }
    }
}

/// `image` parsed, when it names a private ECR image, with its registry; `None` for any other
/// image and for one that does not parse (its own rule reports it). The credentials rule, the
/// container facts and the policy all ask this.
///
/// A private ECR host has the label `dkr` followed by `ecr...`, or a label `dkr-ecr...` (see
/// [`ecr_private`]): the images that do not say so anywhere, most of them, are not parsed.
pub(crate) fn ecr_private_image(image: &str) -> Option<(ImageReference, EcrRegistry)> {
    if !image.contains(".dkr.ecr") && !image.contains(".dkr-ecr") {
        return None;
    }
    let reference = ImageReference::parse(image).ok()?;
    let RegistryKind::EcrPrivate(registry) = reference.registry_kind() else {
        return None;
    };
    let registry = registry.clone();
    Some((reference, registry))
}

/// The ECR registry of a host `ACCOUNT.dkr.ecr[-fips].REGION.SUFFIX` or
/// `ACCOUNT.dkr-ecr[-fips].REGION.SUFFIX`, with a known suffix. Account and region may hold
/// placeholders (the host has been checked: a `${` starts a valid placeholder).
fn ecr_private(host: &str) -> Option<EcrRegistry> {
    let labels: Vec<&str> = host.split('.').collect();
    let (account, fips, dual_stack, rest) = match labels.as_slice() {
        [account, "dkr", "ecr", rest @ ..] => (account, false, false, rest),
        [account, "dkr", "ecr-fips", rest @ ..] => (account, true, false, rest),
        [account, "dkr-ecr", rest @ ..] => (account, false, true, rest),
        [account, "dkr-ecr-fips", rest @ ..] => (account, true, true, rest),
        _ => return None,
    };
    let [region, suffix @ ..] = rest else {
        return None;
    };
    let account_ok = crate::placeholder::holds_dollar_brace(account)
        || (account.len() == ECR_ACCOUNT_LEN && account.bytes().all(|b| b.is_ascii_digit()));
    let region_ok = crate::placeholder::holds_dollar_brace(region)
        || region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !account_ok || !region_ok {
        return None;
    }
    let suffix = suffix.join(".");
    let suffixes: &[(&str, Option<&'static str>)] = if dual_stack {
        &ECR_DUAL_STACK_SUFFIXES
    } else {
        &ECR_SUFFIXES
    };
    let &(_, partition) = suffixes.iter().find(|(known, _)| *known == suffix)?;
    let partition = if partition.is_some() {
        partition
    } else if crate::placeholder::holds_dollar_brace(region) {
        None
    } else if region.starts_with("us-gov-") {
        Some("aws-us-gov")
    } else {
        Some("aws")
    };
    Some(EcrRegistry {
        account: (*account).to_owned(),
        region: (*region).to_owned(),
        partition,
        fips,
        dual_stack,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecr(
        account: &str,
        region: &str,
        partition: Option<&'static str>,
        fips: bool,
        dual_stack: bool,
    ) -> RegistryKind {
        RegistryKind::EcrPrivate(EcrRegistry {
            account: account.to_owned(),
            region: region.to_owned(),
            partition,
            fips,
            dual_stack,
        })
    }

    fn other(host: &str) -> RegistryKind {
        RegistryKind::Other {
            host: host.to_owned(),
        }
    }

    fn parse(image: &str) -> ImageReference {
        match ImageReference::parse(image) {
            Ok(reference) => reference,
            Err(error) => panic!(
                "`{image}` should parse: {} ({})",
                error.message(),
                error.help()
            ),
        }
    }

    fn error(image: &str) -> ImageError {
        match ImageReference::parse(image) {
            Ok(reference) => panic!("`{image}` should not parse, got {reference:?}"),
            Err(error) => error,
        }
    }

    const ACCOUNT: &str = "123456789012";

    #[test]
    fn valid_references_and_their_registries() {
        use RegistryKind::{DockerHub, EcrPublic, Unknown};
        let cases: Vec<(&str, RegistryKind)> = vec![
            // Docker Hub
            ("nginx", DockerHub),
            ("nginx:1.27", DockerHub),
            ("library/nginx:1.27-alpine", DockerHub),
            ("amazon/amazon-ecs-agent:latest", DockerHub),
            ("docker.io/nginx", DockerHub),
            ("index.docker.io/library/nginx:1.27", DockerHub),
            ("registry-1.docker.io/bitnami/redis:7.2", DockerHub),
            ("peteroyelegbin/todo-app:v1.0.0", DockerHub),
            ("a__b-c---d/e.f_g:_", DockerHub),
            ("localhost", DockerHub),
            // Hosts with ports, localhost, IP addresses
            ("localhost/web", other("localhost")),
            ("localhost:5000/web:dev", other("localhost:5000")),
            (
                "registry.example.com:443/team/web:1",
                other("registry.example.com:443"),
            ),
            ("10.0.0.1:5000/web", other("10.0.0.1:5000")),
            ("[::1]:5000/web", other("[::1]:5000")),
            ("Registry.Example.com/web", other("Registry.Example.com")),
            ("ghcr.io/acme/web:1.4.2", other("ghcr.io")),
            (
                "quay.io/signalfx/splunk-otel-collector:latest",
                other("quay.io"),
            ),
            // Digests
            (
                "nginx@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                DockerHub,
            ),
            (
                "ghcr.io/acme/web:1.4.2@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                other("ghcr.io"),
            ),
            // ECR Public
            (
                "public.ecr.aws/aws-observability/aws-otel-collector:latest",
                EcrPublic,
            ),
            ("ecr-public.aws.com/nginx/nginx:1.27", EcrPublic),
            // ECR private, every partition and endpoint variant
            (
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
                ecr(ACCOUNT, "us-east-1", Some("aws"), false, false),
            ),
            (
                "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/web:1",
                ecr(ACCOUNT, "us-east-1", Some("aws"), true, false),
            ),
            (
                "123456789012.dkr-ecr.us-west-2.on.aws/team/web:1",
                ecr(ACCOUNT, "us-west-2", Some("aws"), false, true),
            ),
            (
                "123456789012.dkr-ecr-fips.us-west-2.on.aws/web:1",
                ecr(ACCOUNT, "us-west-2", Some("aws"), true, true),
            ),
            (
                "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/web:1",
                ecr(ACCOUNT, "us-gov-west-1", Some("aws-us-gov"), false, false),
            ),
            (
                "123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com/web:1",
                ecr(ACCOUNT, "us-gov-east-1", Some("aws-us-gov"), true, false),
            ),
            (
                "123456789012.dkr-ecr-fips.us-gov-west-1.on.aws/web:1",
                ecr(ACCOUNT, "us-gov-west-1", Some("aws-us-gov"), true, true),
            ),
            (
                "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1",
                ecr(ACCOUNT, "cn-north-1", Some("aws-cn"), false, false),
            ),
            (
                "123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn/web:1",
                ecr(ACCOUNT, "cn-northwest-1", Some("aws-cn"), false, true),
            ),
            (
                "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/web:1",
                ecr(ACCOUNT, "eusc-de-east-1", Some("aws-eusc"), false, false),
            ),
            (
                "123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov/web:1",
                ecr(ACCOUNT, "us-iso-east-1", Some("aws-iso"), false, false),
            ),
            (
                "123456789012.dkr-ecr.us-iso-west-1.on.aws.ic.gov/web:1",
                ecr(ACCOUNT, "us-iso-west-1", Some("aws-iso"), false, true),
            ),
            (
                "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/web:1",
                ecr(ACCOUNT, "us-isob-east-1", Some("aws-iso-b"), false, false),
            ),
            (
                "123456789012.dkr-ecr.us-isob-east-1.on.aws.scloud/web:1",
                ecr(ACCOUNT, "us-isob-east-1", Some("aws-iso-b"), false, true),
            ),
            (
                "123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk/web:1",
                ecr(ACCOUNT, "eu-isoe-west-1", Some("aws-iso-e"), false, false),
            ),
            (
                "123456789012.dkr-ecr.eu-isoe-west-1.on.cloud-aws.adc-e.uk/web:1",
                ecr(ACCOUNT, "eu-isoe-west-1", Some("aws-iso-e"), false, true),
            ),
            (
                "123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov/web:1",
                ecr(ACCOUNT, "us-isof-south-1", Some("aws-iso-f"), false, false),
            ),
            (
                "123456789012.dkr-ecr.us-isof-south-1.on.aws.hci.ic.gov/web:1",
                ecr(ACCOUNT, "us-isof-south-1", Some("aws-iso-f"), false, true),
            ),
            // Not ECR: wrong account length, unknown suffix, a port, the API endpoint
            (
                "12345.dkr.ecr.us-east-1.amazonaws.com/web",
                other("12345.dkr.ecr.us-east-1.amazonaws.com"),
            ),
            (
                "123456789012.dkr.ecr.us-east-1.example.com/web",
                other("123456789012.dkr.ecr.us-east-1.example.com"),
            ),
            (
                "123456789012.dkr.ecr.us-east-1.amazonaws.com:443/web",
                other("123456789012.dkr.ecr.us-east-1.amazonaws.com:443"),
            ),
            (
                "api.ecr.us-east-1.amazonaws.com/web",
                other("api.ecr.us-east-1.amazonaws.com"),
            ),
            // Placeholders: tag, registry host labels, path components, whole image
            ("ghcr.io/acme/web:${IMAGE_TAG}", other("ghcr.io")),
            ("ghcr.io/acme/web:v${VERSION}-alpine", other("ghcr.io")),
            (
                "${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/web",
                ecr("${ACCOUNT_ID}", "${AWS_REGION}", None, false, false),
            ),
            (
                "${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/web:${IMAGE_TAG}",
                ecr("${ACCOUNT_ID}", "${AWS_REGION}", None, false, false),
            ),
            (
                "${ACCOUNT_ID}.dkr-ecr-fips.${AWS_REGION}.on.aws/web:1",
                ecr("${ACCOUNT_ID}", "${AWS_REGION}", None, true, true),
            ),
            (
                "${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com.cn/web:1",
                ecr(
                    "${ACCOUNT_ID}",
                    "${AWS_REGION}",
                    Some("aws-cn"),
                    false,
                    false,
                ),
            ),
            (
                "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/${SERVICE}-api:${TAG}",
                ecr(ACCOUNT, "us-gov-west-1", Some("aws-us-gov"), false, false),
            ),
            ("ghcr.io/${ORG}/web-${ENV}:1", other("ghcr.io")),
            (
                "registry.${DOMAIN}:${PORT}/web:1",
                other("registry.${DOMAIN}:${PORT}"),
            ),
            ("${IMAGE}", Unknown),
            ("${IMAGE}:${TAG}", Unknown),
            ("${REGISTRY}/web:1.0", Unknown),
            ("web@${DIGEST}", DockerHub),
            ("web@sha256:${SHA}", DockerHub),
        ];
        for (image, kind) in cases {
            let reference = parse(image);
            assert_eq!(reference.registry_kind(), &kind, "{image}");
            assert_eq!(reference.to_string(), image);
            assert_eq!(parse(&reference.to_string()), reference);
        }
    }

    #[test]
    fn parts_of_a_reference() {
        let reference = parse(
            "localhost:5000/team/web:1.4@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
        );
        assert_eq!(reference.domain(), Some("localhost:5000"));
        assert_eq!(reference.path(), "team/web");
        assert_eq!(reference.name(), "localhost:5000/team/web");
        assert_eq!(reference.tag(), Some("1.4"));
        assert_eq!(
            reference.digest(),
            Some("sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc")
        );

        let port_no_tag = parse("localhost:5000/web");
        assert_eq!(port_no_tag.domain(), Some("localhost:5000"));
        assert_eq!(port_no_tag.tag(), None);

        let tag_no_domain = parse("localhost:5000");
        assert_eq!(tag_no_domain.domain(), None);
        assert_eq!(tag_no_domain.path(), "localhost");
        assert_eq!(tag_no_domain.tag(), Some("5000"));
    }

    #[test]
    fn docker_hub_names_are_normalized() {
        for (image, normalized) in [
            ("nginx", "docker.io/library/nginx"),
            ("nginx:1.27", "docker.io/library/nginx"),
            ("library/nginx", "docker.io/library/nginx"),
            ("docker.io/nginx", "docker.io/library/nginx"),
            ("index.docker.io/nginx", "docker.io/library/nginx"),
            ("registry-1.docker.io/nginx", "docker.io/library/nginx"),
            (
                "amazon/amazon-ecs-agent",
                "docker.io/amazon/amazon-ecs-agent",
            ),
            ("ghcr.io/acme/web:1", "ghcr.io/acme/web"),
            ("${IMAGE}", "${IMAGE}"),
        ] {
            assert_eq!(parse(image).normalized_name(), normalized, "{image}");
        }
    }

    #[test]
    fn unpinned_images() {
        for (image, unpinned) in [
            ("nginx", true),
            ("nginx:latest", true),
            ("ghcr.io/acme/web", true),
            ("${REGISTRY}/web", true),
            ("nginx:1.27", false),
            ("nginx:Latest", false),
            ("ghcr.io/acme/web:${IMAGE_TAG}", false),
            (
                "nginx@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                false,
            ),
            (
                "nginx:latest@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                false,
            ),
            ("${IMAGE}", false),
        ] {
            assert_eq!(parse(image).is_unpinned(), unpinned, "{image}");
        }
    }

    #[test]
    fn ecr_repository_and_its_arn() {
        let concrete = parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:1");
        assert_eq!(concrete.ecr_repository(), Some("team/web"));
        assert_eq!(
            concrete.ecr_repository_arn("aws-us-gov").as_deref(),
            Some("arn:aws:ecr:eu-west-1:123456789012:repository/team/web")
        );

        let iso = parse("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/web");
        assert_eq!(
            iso.ecr_repository_arn("aws").as_deref(),
            Some("arn:aws-iso-b:ecr:us-isob-east-1:123456789012:repository/web")
        );

        let templated = parse("${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com/web:${TAG}");
        assert_eq!(templated.ecr_repository(), Some("web"));
        assert_eq!(
            templated.ecr_repository_arn("aws").as_deref(),
            Some("arn:aws:ecr:${AWS_REGION}:${ACCOUNT_ID}:repository/web")
        );
        assert_eq!(
            templated.ecr_repository_arn("aws-us-gov").as_deref(),
            Some("arn:aws-us-gov:ecr:${AWS_REGION}:${ACCOUNT_ID}:repository/web")
        );

        for image in [
            "nginx",
            "public.ecr.aws/nginx/nginx",
            "${IMAGE}",
            "ghcr.io/a/b",
        ] {
            let reference = parse(image);
            assert_eq!(reference.ecr_repository(), None, "{image}");
            assert_eq!(reference.ecr_repository_arn("aws"), None, "{image}");
        }
    }

    #[test]
    fn invalid_references_name_the_part_and_span_it() {
        let long_path = format!("ghcr.io/{}", "a".repeat(250));
        let long_tag = format!("web:{}", "a".repeat(129));
        let cases: Vec<(&str, ImagePart, &str, Range<usize>)> = vec![
            ("", ImagePart::Image, "the image is empty", 0..0),
            (
                "ghcr.io/Acme/web",
                ImagePart::Repository,
                "the repository path component `Acme` has uppercase letters",
                8..12,
            ),
            (
                "MyOrg/app:1",
                ImagePart::Repository,
                "the repository path component `MyOrg` has uppercase letters",
                0..5,
            ),
            (
                "ghcr.io//web",
                ImagePart::Repository,
                "the repository path has an empty component",
                7..9,
            ),
            (
                "ghcr.io/acme/",
                ImagePart::Repository,
                "the repository path has an empty component",
                12..13,
            ),
            (
                "/web",
                ImagePart::Repository,
                "the repository path has an empty component",
                0..1,
            ),
            (
                "ghcr..io/web",
                ImagePart::Registry,
                "the registry host `ghcr..io` has an empty label",
                4..6,
            ),
            (
                "nginx::1.27",
                ImagePart::Repository,
                "unexpected `:` in the repository path",
                5..6,
            ),
            ("nginx:", ImagePart::Tag, "the tag after `:` is empty", 5..6),
            (
                ":latest",
                ImagePart::Image,
                "the image has no repository name",
                0..1,
            ),
            ("nginx:.1", ImagePart::Tag, "the tag starts with `.`", 6..7),
            (
                "nginx:1+2",
                ImagePart::Tag,
                "`+` is not allowed in a tag",
                7..8,
            ),
            (
                &long_tag,
                ImagePart::Tag,
                "the tag is 129 characters long",
                4..133,
            ),
            (
                &long_path,
                ImagePart::Image,
                "the image is 258 characters long before any digest; ECS accepts at most 255",
                0..258,
            ),
            (
                "nginx@",
                ImagePart::Digest,
                "the digest after `@` is empty",
                5..6,
            ),
            (
                "nginx@sha512:abc",
                ImagePart::Digest,
                "the digest algorithm is `sha512`; ECS supports only `sha256`",
                6..12,
            ),
            (
                "nginx@sha256:abc",
                ImagePart::Digest,
                "the sha256 digest has 3 hexadecimal digits instead of 64",
                13..16,
            ),
            (
                "nginx@sha256:82AD66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                ImagePart::Digest,
                "the digest has uppercase hexadecimal digits",
                15..16,
            ),
            (
                "nginx@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebg",
                ImagePart::Digest,
                "`g` is not a hexadecimal digit",
                76..77,
            ),
            (
                "nginx@abc",
                ImagePart::Digest,
                "the digest `abc` has no algorithm",
                6..9,
            ),
            (
                "ghcr.io/acme/web:${IMAGE_TAG",
                ImagePart::Placeholder,
                "placeholder `${` is never closed",
                17..28,
            ),
            (
                "${ecr_repository_url}:latest",
                ImagePart::Placeholder,
                "placeholder name `ecr_repository_url` has a lowercase letter `e`",
                2..3,
            ),
            (
                "web:$${TAG}",
                ImagePart::Placeholder,
                "`$${` is a literal `${`, which an image reference cannot hold",
                4..7,
            ),
            (
                "ghcr.io/acme/web-:1",
                ImagePart::Repository,
                "the repository path component `web-` ends with `-`",
                16..17,
            ),
            (
                "ghcr.io/acme/_web",
                ImagePart::Repository,
                "the repository path component `_web` starts with `_`",
                13..14,
            ),
            (
                "ghcr.io/acme/a..b",
                ImagePart::Repository,
                "the repository path component `a..b` separates words with `..`",
                14..16,
            ),
            (
                "ghcr.io/acme/a___b",
                ImagePart::Repository,
                "the repository path component `a___b` separates words with `___`",
                14..17,
            ),
            (
                "ghcr.io/acme/${APP}._x:1",
                ImagePart::Repository,
                "the repository path component `${APP}._x` separates words with `._`",
                19..21,
            ),
            (
                "ghcr.io/acme/x-${APP}-",
                ImagePart::Repository,
                "the repository path component `x-${APP}-` ends with `-`",
                21..22,
            ),
            (
                "ghcr.io/acmé/web",
                ImagePart::Repository,
                "`é` is not allowed in a repository path",
                11..13,
            ),
            (
                "my_registry.com/web",
                ImagePart::Registry,
                "`_` is not allowed in a registry host",
                2..3,
            ),
            (
                "-ghcr.io/web",
                ImagePart::Registry,
                "the registry host label `-ghcr` starts or ends with `-`",
                0..5,
            ),
            (
                "localhost:/web",
                ImagePart::Registry,
                "the registry port after `:` is empty",
                9..10,
            ),
            (
                "localhost:50a/web",
                ImagePart::Registry,
                "`a` is not allowed in a registry port",
                12..13,
            ),
            (
                "<BACKEND_IMAGE>",
                ImagePart::Repository,
                "`<` is not allowed in a repository path",
                0..1,
            ),
            (
                "82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
                ImagePart::Repository,
                "a 64-digit hexadecimal string is an image id, not a repository name",
                0..64,
            ),
            (
                " nginx",
                ImagePart::Repository,
                "` ` is not allowed in a repository path",
                0..1,
            ),
        ];
        for (image, part, message, span) in cases {
            let error = error(image);
            assert_eq!(error.message(), message, "{image}");
            assert_eq!(error.part(), part, "{image}");
            assert_eq!(error.span(), span, "{image}");
            assert!(!error.help().is_empty(), "{image}");
            assert!(
                image.get(error.span()).is_some(),
                "{image}: span off char boundaries"
            );
        }
    }

    #[test]
    fn help_lines_suggest_the_fix() {
        assert_eq!(
            error("ghcr.io/Acme/${APP}:1").help(),
            "repository names are lowercase: `ghcr.io/acme/${APP}:1`"
        );
        assert_eq!(
            error("nginx@sha256:82AD66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc")
                .help(),
            "Docker accepts lowercase digests only: \
             `nginx@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc`"
        );
    }

    /// A malformed placeholder is read by the one placeholder scanner and reported as
    /// `placeholder-syntax`, as anywhere else; an escaped `$${` is the image's own mistake.
    #[test]
    fn placeholder_errors_are_placeholder_syntax() {
        use crate::placeholder::PLACEHOLDER_SYNTAX;
        for image in ["web:${tag}", "web:${TAG", "${}/web:1"] {
            assert_eq!(error(image).rule(), &PLACEHOLDER_SYNTAX, "{image}");
        }
        assert_eq!(error("web:$${TAG}").rule(), &IMAGE_REFERENCE);
        assert_eq!(error("Web:1").rule(), &IMAGE_REFERENCE);
    }

    #[test]
    fn placeholders_do_not_count_toward_length_limits() {
        let tag = format!("web:{}${{SUFFIX}}", "a".repeat(120));
        assert!(ImageReference::parse(&tag).is_ok());
        let image = format!("${{REGISTRY}}/{}:${{TAG}}", "a".repeat(240));
        assert!(ImageReference::parse(&image).is_ok());
        let over = format!("${{REGISTRY}}/{}", "a".repeat(256));
        assert_eq!(
            error(&over).message(),
            "the image is at least 257 characters long before any digest; ECS accepts at most 255"
        );
    }

    #[test]
    fn exactly_255_characters_before_the_digest_is_accepted() {
        let image = format!("ghcr.io/{}", "a".repeat(247));
        assert_eq!(image.len(), 255);
        let with_digest = format!(
            "{image}@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc"
        );
        assert!(ImageReference::parse(&image).is_ok());
        assert!(ImageReference::parse(&with_digest).is_ok());
    }

    #[test]
    fn images_of_real_task_definitions() {
        // Taken by hand from public task definitions (shared/corpus/real).
        for image in [
            "034115074124.dkr.ecr.ap-northeast-2.amazonaws.com/interv:latest",
            "147882094138.dkr.ecr.eu-central-1.amazonaws.com/witp",
            "186176112600.dkr.ecr.us-east-1.amazonaws.com/cfl/openmrs:latest",
            "307506883737.dkr.ecr.ap-southeast-1.amazonaws.com/courshare-course-service@sha256:82ad66422d58582309940fc90df309373543cb41b5b53511478861d1b5701ebc",
            "856252906546.dkr.ecr.ap-southeast-1.amazonaws.com/cs3219:redis-c255d0423194fa28e120ae54f4beb70c8d60ae96",
        ] {
            assert!(
                matches!(parse(image).registry_kind(), RegistryKind::EcrPrivate(_)),
                "{image}"
            );
        }
        for image in [
            "consul",
            "nginx",
            "custom-wordpress:latest",
            "peteroyelegbin/todo-app:v1.0.0",
        ] {
            assert_eq!(parse(image).registry_kind(), &RegistryKind::DockerHub);
        }
        assert_eq!(
            parse("public.ecr.aws/aws-observability/aws-otel-collector:latest").registry_kind(),
            &RegistryKind::EcrPublic
        );
        assert_eq!(
            parse("${ECR_IMAGE}").registry_kind(),
            &RegistryKind::Unknown
        );
        // Other templating languages' markers are not ecsdef placeholders.
        for image in [
            "",
            "${ecr_repository_url}:latest",
            "<IMAGE1_NAME>",
            "PYTHON_URI_PLACEHOLDER",
            "YOUR_ECR_REPO_URI:latest",
            "katsubushi/katsubushi:{{ env `TAG` `latest` }}",
            "{{sampleAppImage}}",
        ] {
            assert!(ImageReference::parse(image).is_err(), "{image}");
        }
    }
}
