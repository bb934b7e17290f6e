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

/// Why an image reference is invalid: a message naming the wrong part, a help line saying what
/// was expected, and the byte range of that part within the input (on `char` boundaries, never
/// empty unless the input is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageError {
    part: ImagePart,
    message: String,
    help: String,
    span: Range<usize>,
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
            message: message.into(),
            help: help.into(),
            span,
        }
    }

    /// The part of the reference that is wrong.
    pub fn part(&self) -> ImagePart {
        self.part
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What was expected, often with the corrected image.
    pub fn help(&self) -> &str {
        &self.help
    }

    /// The byte range of the offending part within the parsed text.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        self.raw.contains("${")
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
        for atom in &atoms {
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
        let edge_hyphen = [atoms.first(), atoms.last()]
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
        for atom in &atoms {
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

        let is_word = |atom: &Atom| atom.char().is_none_or(|c| c.is_ascii_alphanumeric());
        let mut i = 0;
        while i < atoms.len() {
            while i < atoms.len() && is_word(&atoms[i]) {
                i += 1;
            }
            if i == atoms.len() {
                break;
            }
            let separator_start = i;
            while i < atoms.len() && !is_word(&atoms[i]) {
                i += 1;
            }
            let separator: String = atoms[separator_start..i]
                .iter()
                .filter_map(|atom| atom.char())
                .collect();
            let span = atoms[separator_start].span().start..atoms[i - 1].span().end;
            let problem = if separator_start == 0 {
                format!("starts with `{separator}`")
            } else if i == atoms.len() {
                format!("ends with `{separator}`")
            } else if !matches!(separator.as_str(), "." | "_" | "__")
                && !separator.chars().all(|c| c == '-')
            {
                format!("separates words with `{separator}`")
            } else {
                continue;
            };
            return Err(ImageError::new(
                ImagePart::Repository,
                span,
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
        if let Some(c) = atoms[0]
            .char()
            .filter(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            return Err(ImageError::new(
                ImagePart::Tag,
                atoms[0].span(),
                format!("the tag starts with `{}`", c.escape_debug()),
                "a tag starts with a letter, digit or `_`",
            ));
        }
        for atom in &atoms {
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
            if self
                .atoms(digest.clone())
                .iter()
                .all(|atom| atom.char().is_none())
            {
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
    fn atoms(&self, range: Range<usize>) -> Vec<Atom> {
        let mut atoms = Vec::new();
        let mut holes = self
            .holes
            .iter()
            .filter(|hole| hole.start >= range.start && hole.end <= range.end)
            .peekable();
        let mut at = range.start;
        while at < range.end {
            if let Some(hole) = holes.next_if(|hole| hole.start == at) {
                atoms.push(Atom::Hole(hole.start, hole.end));
                at = hole.end;
            } else if let Some(c) = self.input[at..range.end].chars().next() {
                atoms.push(Atom::Char(c, at));
                at += c.len_utf8();
            } else {
                break;
            }
        }
        atoms
    }

    fn has_hole(&self, range: Range<usize>) -> bool {
        self.holes
            .iter()
            .any(|hole| hole.start >= range.start && hole.end <= range.end)
    }

    /// The number of literal characters in a part of the input, placeholders not counted.
    fn literal_len(&self, range: Range<usize>) -> usize {
        self.atoms(range)
            .into_iter()
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

/// The byte ranges of the `${NAME}` placeholders of `input`, or the error of the first
/// malformed one.
fn scan_placeholders(input: &str) -> Result<Vec<Range<usize>>, ImageError> {
    let bytes = input.as_bytes();
    let mut holes = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'$' {
            at += 1;
            continue;
        }
        if bytes[at + 1..].starts_with(b"${") {
            return Err(ImageError::new(
                ImagePart::Placeholder,
                at..at + 3,
                "`$${` is a literal `${`, which an image reference cannot hold",
                "write `${NAME}` for a deploy-time placeholder",
            ));
        }
        if !bytes[at + 1..].starts_with(b"{") {
            // A lone `$` is an invalid character, reported by the part it sits in.
            at += 1;
            continue;
        }
        let name_start = at + 2;
        let Some(close) = input[name_start..].find('}') else {
            let name_end = input[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(input.len(), |end| name_start + end);
            return Err(ImageError::new(
                ImagePart::Placeholder,
                at..input.len(),
                "unclosed placeholder: `${` without `}`",
                format!(
                    "close the placeholder with `}}`: `${{{}}}`",
                    &input[name_start..name_end]
                ),
            ));
        };
        let name = &input[name_start..name_start + close];
        let end = name_start + close + 1;
        if !is_placeholder_name(name) {
            let upper = name.to_ascii_uppercase();
            let help = if is_placeholder_name(&upper) {
                format!(
                    "placeholder names are uppercase letters, digits and `_`, not starting with \
                     a digit: `${{{upper}}}`"
                )
            } else {
                "placeholder names are uppercase letters, digits and `_`, not starting with a \
                 digit, as in `${IMAGE_TAG}`"
                    .to_owned()
            };
            return Err(ImageError::new(
                ImagePart::Placeholder,
                at..end,
                format!("`${{{name}}}` is not a valid placeholder"),
                help,
            ));
        }
        holes.push(at..end);
        at = end;
    }
    Ok(holes)
}

/// `[A-Z_][A-Z0-9_]*`.
fn is_placeholder_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
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
    let account_ok = account.contains("${")
        || (account.len() == ECR_ACCOUNT_LEN && account.bytes().all(|b| b.is_ascii_digit()));
    let region_ok = region.contains("${")
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
    } else if region.contains("${") {
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
