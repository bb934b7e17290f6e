//! AWS partitions and regions: which partition a region belongs to, which regions are known,
//! and each partition's DNS suffix.
//!
//! The region forms, the known regions and the DNS suffixes follow the partitions table that
//! the AWS SDKs share (`partitions.json` of the AWS SDK for JavaScript v3, `util-endpoints`).
//! A region of the right form that is not in the known list is accepted ([`Region::is_known`]
//! is then false and the rule engine warns): AWS opens regions more often than ecsdef releases.

use std::fmt;
use std::str::FromStr;

use crate::placeholder::{Template, ValueError, templated_segment};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};

/// A region that is not of its partition's form. (A partition that is not one of
/// [`Partition::ALL`] has no rule of its own: it is a mistake in the ARN that holds it.)
pub const REGION_SYNTAX: Rule = Rule {
    name: "region-syntax",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a region name of its partition's form (`us-east-1`, `cn-north-1`, `us-gov-west-1`, ...)",
    help: "give a region such as `us-east-1`, `cn-north-1` or `us-gov-west-1`, or `${AWS_REGION}`",
    link: aws_docs::REGIONS,
    aws: Quote {
        text: "Specify the Amazon Web Services Region that the awslogs log driver is to send your Docker logs to.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html",
    },
    order: 115,
};

/// The rules of this module, for [`crate::rules::RULES`].
pub(crate) const RULES: &[&Rule] = &[&REGION_SYNTAX];

/// An AWS partition: a group of regions with its own ARNs, accounts and endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Partition {
    /// `aws`: the commercial regions.
    Aws,
    /// `aws-cn`: the China regions.
    AwsCn,
    /// `aws-us-gov`: AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso`: US ISO (C2S).
    AwsIso,
    /// `aws-iso-b`: US ISOB (SC2S).
    AwsIsoB,
    /// `aws-iso-e`: EU ISOE.
    AwsIsoE,
    /// `aws-iso-f`: US ISOF.
    AwsIsoF,
    /// `aws-eusc`: the AWS European Sovereign Cloud.
    AwsEusc,
}

impl Partition {
    /// Every partition.
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// The partition as written in ARNs: `aws`, `aws-cn`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// The DNS suffix of the partition's regional endpoints
    /// (`{service}.{region}.{dns_suffix}`).
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
            Partition::AwsIso => "c2s.ic.gov",
            Partition::AwsIsoB => "sc2s.sgov.gov",
            Partition::AwsIsoE => "cloud.adc-e.uk",
            Partition::AwsIsoF => "csp.hci.ic.gov",
            Partition::AwsEusc => "amazonaws.eu",
        }
    }

    /// The regions of the partition known to this release of ecsdef.
    pub fn known_regions(self) -> &'static [&'static str] {
        match self {
            Partition::Aws => &[
                "af-south-1",
                "ap-east-1",
                "ap-east-2",
                "ap-northeast-1",
                "ap-northeast-2",
                "ap-northeast-3",
                "ap-south-1",
                "ap-south-2",
                "ap-southeast-1",
                "ap-southeast-2",
                "ap-southeast-3",
                "ap-southeast-4",
                "ap-southeast-5",
                "ap-southeast-6",
                "ap-southeast-7",
                "ca-central-1",
                "ca-west-1",
                "eu-central-1",
                "eu-central-2",
                "eu-north-1",
                "eu-south-1",
                "eu-south-2",
                "eu-west-1",
                "eu-west-2",
                "eu-west-3",
                "il-central-1",
                "me-central-1",
                "me-south-1",
                "mx-central-1",
                "sa-east-1",
                "us-east-1",
                "us-east-2",
                "us-west-1",
                "us-west-2",
            ],
            Partition::AwsCn => &["cn-north-1", "cn-northwest-1"],
            Partition::AwsUsGov => &["us-gov-east-1", "us-gov-west-1"],
            Partition::AwsIso => &["us-iso-east-1", "us-iso-west-1"],
            Partition::AwsIsoB => &["us-isob-east-1", "us-isob-west-1"],
            Partition::AwsIsoE => &["eu-isoe-west-1"],
            Partition::AwsIsoF => &["us-isof-east-1", "us-isof-south-1"],
            Partition::AwsEusc => &["eusc-de-east-1"],
        }
    }

    /// The form of the partition's region names, for help lines.
    pub fn region_form(self) -> &'static str {
        match self {
            Partition::Aws => "`xx-NAME-N`, e.g. `us-east-1`",
            Partition::AwsCn => "`cn-NAME-N`, e.g. `cn-north-1`",
            Partition::AwsUsGov => "`us-gov-NAME-N`, e.g. `us-gov-west-1`",
            Partition::AwsIso => "`us-iso-NAME-N`, e.g. `us-iso-east-1`",
            Partition::AwsIsoB => "`us-isob-NAME-N`, e.g. `us-isob-east-1`",
            Partition::AwsIsoE => "`eu-isoe-NAME-N`, e.g. `eu-isoe-west-1`",
            Partition::AwsIsoF => "`us-isof-NAME-N`, e.g. `us-isof-south-1`",
            Partition::AwsEusc => "`eusc-xx-NAME-N`, e.g. `eusc-de-east-1`",
        }
    }

    /// The partition whose region form `region` has (known or not), if any.
    pub fn for_region(region: &str) -> Option<Partition> {
        // The prefixed forms first: `us-gov-west-1` would otherwise pass for an `aws` form.
        const PREFIXED: [(&str, Partition); 6] = [
            ("us-gov-", Partition::AwsUsGov),
            ("us-isob-", Partition::AwsIsoB),
            ("us-isof-", Partition::AwsIsoF),
            ("us-iso-", Partition::AwsIso),
            ("eu-isoe-", Partition::AwsIsoE),
            ("cn-", Partition::AwsCn),
        ];
        for (prefix, partition) in PREFIXED {
            if let Some(rest) = region.strip_prefix(prefix) {
                return is_name_number(rest).then_some(partition);
            }
        }
        if let Some(rest) = region.strip_prefix("eusc-") {
            return is_country_name_number(rest).then_some(Partition::AwsEusc);
        }
        is_country_name_number(region).then_some(Partition::Aws)
    }

    /// Parses a partition name; the error lists the valid ones.
    pub fn parse(s: &str) -> Result<Partition, ValueError> {
        if let Some(p) = Partition::ALL.into_iter().find(|p| p.as_str() == s) {
            return Ok(p);
        }
        let names: Vec<&str> = Partition::ALL.iter().map(|p| p.as_str()).collect();
        let mut expected = format!("one of {}", names.join(", "));
        let best = names
            .iter()
            .map(|n| (crate::suggest::jaro(n, s), *n))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((score, name)) = best
            && score > 0.7
        {
            expected = format!("{expected} (did you mean `{name}`?)");
        }
        let message = if s.is_empty() {
            "the partition is empty".to_owned()
        } else {
            format!("unknown partition `{s}`")
        };
        Err(ValueError::unattributed(message, expected, 0..s.len()))
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Partition {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Partition::parse(s)
    }
}

/// `s` split at its first `-`. (`str::split_once` with a `char` goes through `memchr`, which
/// costs more than the dozen bytes of a region name: every ARN and `awslogs-region` is parsed.)
fn split_dash(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == b'-')?;
    Some((&s[..at], &s[at + 1..]))
}

/// `NAME-N`: lowercase letters, `-`, digits.
fn is_name_number(s: &str) -> bool {
    let Some((name, number)) = split_dash(s) else {
        return false;
    };
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// `xx-NAME-N`: two lowercase letters, then [`is_name_number`]. The names that mark the other
/// partitions (`us-gov-1`) are not of this form.
fn is_country_name_number(s: &str) -> bool {
    let Some((country, rest)) = split_dash(s) else {
        return false;
    };
    let name = split_dash(rest).map_or("", |(name, _)| name);
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_lowercase())
        && country != "cn"
        && !matches!(name, "gov" | "iso" | "isob" | "isoe" | "isof")
        && is_name_number(rest)
}

/// A region, as written in an ARN or in the task's `region`: a name of its partition's form,
/// or a template such as `${AWS_REGION}` that only deploy time resolves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Region {
    /// A concrete region name of `partition`'s form (known or not: see [`Region::is_known`]).
    Named {
        /// The region name, e.g. `us-east-1`.
        name: String,
        /// The partition the name belongs to.
        partition: Partition,
    },
    /// A region holding a placeholder, checked at deploy time.
    Templated(Template),
}

impl Region {
    /// Parses a region that must belong to `partition`. A region of another partition's form
    /// is an error saying which partition it belongs to.
    pub fn parse(s: &str, partition: Partition) -> Result<Region, ValueError> {
        let region = Region::parse_any(s).map_err(|mut e| {
            e.expected = format!(
                "a region of partition `{partition}`: {}",
                partition.region_form()
            );
            e
        })?;
        match region.partition() {
            Some(actual) if actual != partition => Err(ValueError::new(
                &REGION_SYNTAX,
                format!("region `{s}` belongs to partition `{actual}`, not `{partition}`"),
                format!(
                    "a region of partition `{partition}`: {}, or an ARN of partition `{actual}`",
                    partition.region_form()
                ),
                0..s.len(),
            )),
            _ => Ok(region),
        }
    }

    /// Parses a region of any partition, inferring the partition from its form.
    pub fn parse_any(s: &str) -> Result<Region, ValueError> {
        if templated_segment(s, 0)? {
            return Template::parse(s).map(Region::Templated);
        }
        if let Some(partition) = Partition::for_region(s) {
            return Ok(Region::Named {
                name: s.to_owned(),
                partition,
            });
        }
        let message = if s.is_empty() {
            "the region is empty".to_owned()
        } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
            format!("region `{s}` has uppercase letters")
        } else {
            format!("`{s}` is not a region name")
        };
        Err(ValueError::new(
            &REGION_SYNTAX,
            message,
            "a region such as `us-east-1`, `cn-north-1` or `us-gov-west-1`",
            0..s.len(),
        ))
    }

    /// Whether the region holds a placeholder.
    pub fn is_templated(&self) -> bool {
        matches!(self, Region::Templated(_))
    }

    /// Whether the region is in its partition's known list (false when templated).
    pub fn is_known(&self) -> bool {
        match self {
            Region::Named { name, partition } => partition.known_regions().contains(&name.as_str()),
            Region::Templated(_) => false,
        }
    }

    /// The partition of a named region; `None` when templated.
    pub fn partition(&self) -> Option<Partition> {
        match self {
            Region::Named { partition, .. } => Some(*partition),
            Region::Templated(_) => None,
        }
    }

    /// The name of a named region; `None` when templated.
    pub fn name(&self) -> Option<&str> {
        match self {
            Region::Named { name, .. } => Some(name),
            Region::Templated(_) => None,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Region::Named { name, .. } => f.write_str(name),
            Region::Templated(template) => template.fmt(f),
        }
    }
}

impl FromStr for Region {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::parse_any(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_round_trip() {
        for p in Partition::ALL {
            assert_eq!(p.as_str().parse::<Partition>(), Ok(p));
            assert_eq!(p.to_string(), p.as_str());
            for region in p.known_regions() {
                assert_eq!(Partition::for_region(region), Some(p), "{region}");
            }
        }
    }

    #[test]
    fn unknown_partition_lists_the_valid_ones() {
        let e = Partition::parse("aws-gov").unwrap_err();
        assert_eq!(e.rule, None);
        assert_eq!(e.message, "unknown partition `aws-gov`");
        assert!(e.expected.contains("aws-iso-f"), "{}", e.expected);
        assert!(e.expected.contains("did you mean `aws-"), "{}", e.expected);
        assert_eq!(e.span, 0..7);
        let e = Partition::parse("").unwrap_err();
        assert_eq!(e.message, "the partition is empty");
    }

    #[test]
    fn dns_suffixes() {
        assert_eq!(Partition::Aws.dns_suffix(), "amazonaws.com");
        assert_eq!(Partition::AwsCn.dns_suffix(), "amazonaws.com.cn");
        assert_eq!(Partition::AwsIsoF.dns_suffix(), "csp.hci.ic.gov");
        assert_eq!(Partition::AwsEusc.dns_suffix(), "amazonaws.eu");
    }

    #[test]
    fn region_forms() {
        let cases = [
            ("us-east-1", Some(Partition::Aws)),
            ("il-central-1", Some(Partition::Aws)),
            ("mx-central-1", Some(Partition::Aws)),
            ("zz-moon-12", Some(Partition::Aws)),
            ("cn-north-1", Some(Partition::AwsCn)),
            ("us-gov-west-1", Some(Partition::AwsUsGov)),
            ("us-iso-east-1", Some(Partition::AwsIso)),
            ("us-isob-east-1", Some(Partition::AwsIsoB)),
            ("eu-isoe-west-1", Some(Partition::AwsIsoE)),
            ("us-isof-south-1", Some(Partition::AwsIsoF)),
            ("eusc-de-east-1", Some(Partition::AwsEusc)),
            ("us-gov-1", None),
            ("us-east", None),
            ("US-EAST-1", None),
            ("use-east-1", None),
            ("us-east-1a", None),
            ("", None),
            ("eusc-east-1", None),
        ];
        for (region, partition) in cases {
            assert_eq!(Partition::for_region(region), partition, "{region}");
        }
    }

    #[test]
    fn region_of_another_partition_names_it() {
        let e = Region::parse("us-east-1", Partition::AwsCn).unwrap_err();
        assert_eq!(e.rule, Some(&REGION_SYNTAX));
        assert_eq!(
            e.message,
            "region `us-east-1` belongs to partition `aws`, not `aws-cn`"
        );
        assert_eq!(e.span, 0..9);
        let e = Region::parse("cn-north-1", Partition::Aws).unwrap_err();
        assert_eq!(
            e.message,
            "region `cn-north-1` belongs to partition `aws-cn`, not `aws`"
        );
    }

    #[test]
    fn malformed_region() {
        let e = Region::parse("US-EAST-1", Partition::Aws).unwrap_err();
        assert_eq!(e.message, "region `US-EAST-1` has uppercase letters");
        assert!(e.expected.contains("`us-east-1`"), "{}", e.expected);
        assert_eq!(e.span, 0..9);
        let e = Region::parse("us-east", Partition::Aws).unwrap_err();
        assert_eq!(e.message, "`us-east` is not a region name");
        let e = Region::parse("${region}", Partition::Aws).unwrap_err();
        assert_eq!(e.span, 2..3);
    }

    #[test]
    fn unknown_regions_are_accepted_but_not_known() {
        let r = Region::parse("us-north-9", Partition::Aws).unwrap();
        assert!(!r.is_known());
        let r = Region::parse("eusc-de-east-1", Partition::AwsEusc).unwrap();
        assert!(r.is_known());
        assert_eq!(r.name(), Some("eusc-de-east-1"));
    }

    #[test]
    fn templated_region() {
        let r = Region::parse("${AWS_REGION}", Partition::AwsCn).unwrap();
        assert!(r.is_templated());
        assert!(!r.is_known());
        assert_eq!(r.partition(), None);
        assert_eq!(r.to_string(), "${AWS_REGION}");
    }
}
