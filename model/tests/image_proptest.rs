//! Property tests of `ImageReference::parse`: it never panics, its errors always span a part of
//! the input, and valid references round-trip through `Display`.

use ecsdef_model::image::{ImageReference, RegistryKind};
use proptest::prelude::*;

/// A private ECR image always spells `.dkr.ecr` or `.dkr-ecr` in its host: the policy skips
/// parsing any other image (`policy::Builder::image`).
fn check_ecr_spelling(input: &str, reference: &ImageReference) {
    if matches!(reference.registry_kind(), RegistryKind::EcrPrivate(_)) {
        assert!(
            input.contains(".dkr.ecr") || input.contains(".dkr-ecr"),
            "{input:?} is a private ECR image"
        );
    }
}

/// Checks what must hold for any input, valid or not.
fn check_any(input: &str) {
    match ImageReference::parse(input) {
        Ok(reference) => {
            check_ecr_spelling(input, &reference);
            assert_eq!(reference.to_string(), input);
            assert_eq!(ImageReference::parse(&reference.to_string()), Ok(reference));
        }
        Err(error) => {
            let span = error.span();
            assert!(
                span.start <= span.end && span.end <= input.len(),
                "{input:?}: {span:?}"
            );
            assert!(
                input.get(span.clone()).is_some(),
                "{input:?}: {span:?} splits a char"
            );
            assert_eq!(input.is_empty(), span.is_empty(), "{input:?}: {span:?}");
            assert!(!error.message().is_empty() && !error.help().is_empty());
        }
    }
}

/// Strings made of the characters and pieces image references are made of, so that the
/// parser's deeper branches are reached far more often than with arbitrary strings.
fn image_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9./:@_-]{1,6}",
        Just("${TAG}".to_owned()),
        Just("${".to_owned()),
        Just("$".to_owned()),
        Just("}".to_owned()),
        Just("$${".to_owned()),
        Just("${lower}".to_owned()),
        Just("sha256:".to_owned()),
        Just("0123456789abcdef0123456789abcdef".to_owned()),
        Just(".dkr.ecr.".to_owned()),
        Just(".dkr-ecr-fips.".to_owned()),
        Just(".amazonaws.com".to_owned()),
        Just("[::1]".to_owned()),
        Just("é".to_owned()),
        Just("🐳".to_owned()),
        Just(" ".to_owned()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn path_component(with_dots: bool) -> impl Strategy<Value = String> {
    let separator = if with_dots {
        prop_oneof![
            Just(".".to_owned()),
            Just("_".to_owned()),
            Just("__".to_owned()),
            "-{1,3}"
        ]
        .boxed()
    } else {
        prop_oneof![Just("_".to_owned()), Just("__".to_owned()), "-{1,3}"].boxed()
    };
    let word = prop_oneof![
        4 => "[a-z0-9]{1,6}",
        1 => Just("${APP}".to_owned()),
    ];
    (word.clone(), prop::collection::vec((separator, word), 0..3)).prop_map(|(first, rest)| {
        let mut component = first;
        for (separator, word) in rest {
            component.push_str(&separator);
            component.push_str(&word);
        }
        component
    })
}

fn domain() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("ghcr.io".to_owned())),
        Just(Some("localhost".to_owned())),
        Just(Some("localhost:5000".to_owned())),
        Just(Some("docker.io".to_owned())),
        Just(Some("public.ecr.aws".to_owned())),
        Just(Some("[::1]:5000".to_owned())),
        Just(Some(
            "${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com".to_owned()
        )),
        Just(Some(
            "123456789012.dkr-ecr-fips.us-gov-west-1.on.aws".to_owned()
        )),
        "[a-z0-9]([a-z0-9-]{0,4}[a-z0-9])?(\\.[a-zA-Z0-9]{1,5}){1,2}(:[0-9]{1,5})?".prop_map(Some),
    ]
}

/// A valid reference, with the name, tag and digest it is made of.
fn valid_reference() -> impl Strategy<Value = (String, String, Option<String>, Option<String>)> {
    let tag = prop_oneof![
        "[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}",
        Just("${IMAGE_TAG}".to_owned()),
        Just("v${VERSION}".to_owned()),
        Just("latest".to_owned()),
    ];
    let digest = "[a-f0-9]{64}".prop_map(|hex| format!("sha256:{hex}"));
    (
        domain(),
        path_component(false),
        prop::collection::vec(path_component(true), 0..3),
        prop::option::of(tag),
        prop::option::of(digest),
    )
        .prop_map(|(domain, first, rest, tag, digest)| {
            let mut components = vec![first];
            components.extend(rest);
            let path = components.join("/");
            let name = match domain {
                Some(domain) => format!("{domain}/{path}"),
                None => path,
            };
            let mut image = name.clone();
            if let Some(tag) = &tag {
                image.push(':');
                image.push_str(tag);
            }
            if let Some(digest) = &digest {
                image.push('@');
                image.push_str(digest);
            }
            (image, name, tag, digest)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        check_any(&input);
    }

    #[test]
    fn image_ish_strings_never_panic(input in image_ish()) {
        check_any(&input);
    }

    #[test]
    fn valid_references_round_trip((image, name, tag, digest) in valid_reference()) {
        let reference = match ImageReference::parse(&image) {
            Ok(reference) => reference,
            Err(error) => panic!("{image:?}: {} at {:?}", error.message(), error.span()),
        };
        check_ecr_spelling(&image, &reference);
        prop_assert_eq!(reference.to_string(), image.clone());
        prop_assert_eq!(reference.as_str(), image.as_str());
        prop_assert_eq!(reference.name(), name.as_str());
        prop_assert_eq!(reference.tag(), tag.as_deref());
        prop_assert_eq!(reference.digest(), digest.as_deref());
        prop_assert_eq!(ImageReference::parse(&reference.to_string()), Ok(reference.clone()));
        prop_assert_eq!(image.parse::<ImageReference>(), Ok(reference));
    }
}
