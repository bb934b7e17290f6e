//! Property tests of the value parsers: no input makes them panic, error spans stay on char
//! boundaries within the input, and every valid value round-trips through `Display`.

use ecsdef_model::arn::{
    Account, Arn, KmsKeyRef, RoleArn, SecretArn, SecretRef, SecretValueFrom, SsmParameterRef,
};
use ecsdef_model::partition::{Partition, Region};
use ecsdef_model::placeholder::{Template, ValueError};
use proptest::prelude::*;

/// Checks a parse result: an error's span is a char-boundary range of `input`; a value's
/// `Display` parses back to the same value.
fn check<T, E>(input: &str, parsed: Result<T, ValueError>, reparse: impl Fn(&str) -> Result<T, E>)
where
    T: std::fmt::Display + PartialEq + std::fmt::Debug,
    E: std::fmt::Debug,
{
    match parsed {
        Ok(value) => {
            let text = value.to_string();
            let again = reparse(&text).expect("Display output parses");
            assert_eq!(again, value, "{input:?} -> {text:?}");
        }
        Err(e) => {
            assert!(e.span.start <= e.span.end, "{e:?}");
            assert!(input.get(e.span.clone()).is_some(), "{input:?}: {e:?}");
            assert!(!e.message.is_empty() && !e.expected.is_empty(), "{e:?}");
        }
    }
}

fn check_all(s: &str) {
    check(s, Template::parse(s), Template::parse);
    check(s, Partition::parse(s), Partition::parse);
    check(s, Region::parse_any(s), Region::parse_any);
    for p in Partition::ALL {
        check(s, Region::parse(s, p), |t| Region::parse(t, p));
    }
    check(s, Account::parse(s), Account::parse);
    check(s, Arn::parse(s), Arn::parse);
    check(s, SecretArn::parse(s), SecretArn::parse);
    check(s, SecretRef::parse(s), SecretRef::parse);
    check(s, RoleArn::parse(s), RoleArn::parse);
    check(s, KmsKeyRef::parse(s), KmsKeyRef::parse);
    check(s, SsmParameterRef::parse(s), SsmParameterRef::parse);
    check(s, SecretValueFrom::parse(s), SecretValueFrom::parse);
    if let Ok(sr) = SecretArn::parse(s) {
        let _ = (sr.name(), sr.suffix(), sr.policy_resource());
    }
    if let Ok(r) = RoleArn::parse(s) {
        let _ = (r.name(), r.path());
    }
}

fn partition() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        Partition::ALL
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
    )
}

fn region_for(p: &'static str) -> BoxedStrategy<String> {
    let partition: Partition = p.parse().expect("partition");
    let known: Vec<String> = partition
        .known_regions()
        .iter()
        .map(|r| (*r).to_owned())
        .collect();
    prop_oneof![
        prop::sample::select(known),
        Just("${AWS_REGION}".to_owned()),
    ]
    .boxed()
}

fn account() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{12}", Just("${ACCOUNT_ID}".to_owned())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_all(&s);
    }

    #[test]
    fn arn_ish_strings_never_panic(s in "arn:[a-z:/${}A-Z0-9_-]{0,60}") {
        check_all(&s);
    }

    #[test]
    fn structured_arn_ish_strings_never_panic(
        p in "(aws|aws-cn|aws-eusc|a\\$\\{P\\}|)",
        svc in "(secretsmanager|ssm|kms|iam|s3|\\$\\{S\\}|)",
        r in "(us-east-1|cn-north-1|eusc-de-east-1|\\$\\{R\\}|\\$\\{r|)",
        a in "([0-9]{11,13}|\\$\\{A\\}|)",
        res in "(secret:|parameter/|key/|alias/|role/|\\$\\{T\\}/)?[a-zA-Z0-9/:._+=@${}-]{0,30}",
    ) {
        check_all(&format!("arn:{p}:{svc}:{r}:{a}:{res}"));
    }

    #[test]
    fn template_chars_never_panic(s in "[$${}A-Za-z_0-9é]{0,30}") {
        check_all(&s);
    }

    #[test]
    fn secret_arns_round_trip(
        p in partition(),
        a in account(),
        name in "[A-Za-z0-9/_+=.@-]{1,40}",
        suffix in proptest::option::of("[A-Za-z0-9]{6}"),
    ) {
        let region = Partition::parse(p).expect("partition").known_regions()[0];
        let full = match &suffix { Some(s) => format!("{name}-{s}"), None => name.clone() };
        let text = format!("arn:{p}:secretsmanager:{region}:{a}:secret:{full}");
        let secret = SecretArn::parse(&text).expect("valid secret ARN");
        prop_assert_eq!(secret.to_string(), text.clone());
        prop_assert_eq!(SecretArn::parse(&secret.to_string()), Ok(secret.clone()));
        if suffix.is_some() {
            prop_assert!(secret.is_complete());
            prop_assert_eq!(secret.name(), name.as_str());
        }
        let vf = format!("{text}:key::");
        let v = SecretValueFrom::parse(&vf).expect("valid valueFrom");
        prop_assert_eq!(v.to_string(), vf);
        prop_assert_eq!(v.json_key(), Some("key"));
    }

    #[test]
    fn regions_round_trip(p in partition().prop_flat_map(|p| (Just(p), region_for(p)))) {
        let (p, r) = p;
        let partition = Partition::parse(p).expect("partition");
        let region = Region::parse(&r, partition).expect("valid region");
        prop_assert_eq!(region.to_string(), r);
        prop_assert_eq!(Region::parse(&region.to_string(), partition), Ok(region.clone()));
    }

    #[test]
    fn other_arns_round_trip(
        p in partition(),
        a in account(),
        path in "([A-Za-z0-9_+=,.@-]{1,10}/){0,3}",
        role in "[A-Za-z0-9_+=,.@-]{1,64}",
        key in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        param in "[a-zA-Z0-9_.-]{1,10}(/[a-zA-Z0-9_.-]{1,10}){0,4}",
    ) {
        let region = Partition::parse(p).expect("partition").known_regions()[0];
        let texts = [
            format!("arn:{p}:iam::{a}:role/{path}{role}"),
        ];
        for t in &texts {
            let v = RoleArn::parse(t).expect("valid role ARN");
            prop_assert_eq!(&v.to_string(), t);
            prop_assert_eq!(v.name(), role.as_str());
        }
        let t = format!("arn:{p}:kms:{region}:{a}:key/{key}");
        let k = KmsKeyRef::parse(&t).expect("valid key ARN");
        prop_assert_eq!(k.to_string(), t);

        // SSM reserves names beginning with aws or ssm; skip those.
        let lower = param.to_ascii_lowercase();
        if !lower.starts_with("aws") && !lower.starts_with("ssm") {
            let t = format!("arn:{p}:ssm:{region}:{a}:parameter/{param}");
            let s = SsmParameterRef::parse(&t).expect("valid parameter ARN");
            prop_assert_eq!(s.to_string(), t);
            let name = if param.contains('/') { format!("/{param}") } else { param.clone() };
            prop_assert_eq!(s.name(), name.clone());
            let n = SsmParameterRef::parse(&name).expect("valid parameter name");
            prop_assert_eq!(n.to_string(), name);
        }
    }

    #[test]
    fn templates_round_trip(s in "([A-Za-z$}{ ]|\\$\\$\\{|\\$\\{[A-Z_][A-Z0-9_]{0,5}\\})*") {
        // A stray `$` before a `{` may open a malformed placeholder: only valid ones count.
        if let Ok(t) = Template::parse(&s) {
            prop_assert_eq!(Template::parse(&t.to_string()), Ok(t.clone()));
        }
    }
}
