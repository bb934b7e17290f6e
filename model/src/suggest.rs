//! "Did you mean" suggestions, as clap and serde_derive make them.

/// The candidate closest to `given`, if any is close enough to be worth suggesting: Jaro
/// similarity above 0.7, the best candidate only (clap's rule). Comparison ignores ASCII case,
/// so `imageUri` suggests `image` no sooner than a real near-miss would.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_ascii_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let score = strsim::jaro(&given_lower, &candidate.to_ascii_lowercase());
        if score > 0.7 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_candidate() {
        let keys = ["image", "imageTag", "name", "memory", "memoryReservation"];
        assert_eq!(did_you_mean("imagee", keys), Some("image"));
        assert_eq!(did_you_mean("memroy", keys), Some("memory"));
        assert_eq!(did_you_mean("Memory", keys), Some("memory"));
        assert_eq!(did_you_mean("zzzz", keys), None);
    }
}
