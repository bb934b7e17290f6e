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
        let score = jaro(&given_lower, &candidate.to_ascii_lowercase());
        if score > 0.7 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The Jaro similarity of two strings, compared by `char`, from 0 (nothing in common) to 1
/// (equal): the same computation, in the same floating-point order, as `strsim::jaro`, which
/// the tests compare it with. Written here so that every build of the derives compiles one
/// function instead of a crate.
#[expect(
    clippy::cast_precision_loss,
    reason = "counts of chars, far below 2^52, converted as strsim converts them"
)]
pub(crate) fn jaro(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Two chars match when they are equal and at most this far apart.
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_matched = vec![false; a.len()];
    let mut b_matched = vec![false; b.len()];
    let mut matches = 0_usize;
    for (i, &ca) in a.iter().enumerate() {
        let low = i.saturating_sub(window);
        let high = b.len().min(i + window + 1);
        for j in low..high {
            if !b_matched[j] && b[j] == ca {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The matched chars of each string, in order; a transposition is a place where they differ.
    let in_a = a.iter().zip(&a_matched).filter(|(_, m)| **m);
    let in_b = b.iter().zip(&b_matched).filter(|(_, m)| **m);
    let transpositions = in_a.zip(in_b).filter(|((x, _), (y, _))| x != y).count() / 2;
    let m = matches as f64;
    ((m / a.len() as f64) + (m / b.len() as f64) + ((matches - transpositions) as f64 / m)) / 3.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{did_you_mean, jaro};
    use proptest::prelude::*;

    #[test]
    fn suggests_the_closest_candidate() {
        let keys = ["image", "imageTag", "name", "memory", "memoryReservation"];
        assert_eq!(did_you_mean("imagee", keys), Some("image"));
        assert_eq!(did_you_mean("memroy", keys), Some("memory"));
        assert_eq!(did_you_mean("Memory", keys), Some("memory"));
        assert_eq!(did_you_mean("zzzz", keys), None);
    }

    /// Bit for bit what `strsim::jaro`, the reference, answers.
    pub(crate) fn assert_same(a: &str, b: &str) {
        assert_eq!(
            jaro(a, b).to_bits(),
            strsim::jaro(a, b).to_bits(),
            "jaro({a:?}, {b:?})"
        );
    }

    /// The near misses of a word a user may type: each char dropped, doubled, swapped with
    /// the next or replaced, and the word's case changed.
    pub(crate) fn typos(word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let mut out = vec![
            word.to_owned(),
            word.to_ascii_lowercase(),
            word.to_ascii_uppercase(),
            format!("{word}s"),
            format!("x{word}"),
        ];
        for i in 0..chars.len() {
            let with = |f: &dyn Fn(&mut Vec<char>)| {
                let mut c = chars.clone();
                f(&mut c);
                c.into_iter().collect::<String>()
            };
            out.push(with(&|c| {
                c.remove(i);
            }));
            out.push(with(&|c| c.insert(i, c[i])));
            out.push(with(&|c| c[i] = 'é'));
            if i + 1 < chars.len() {
                out.push(with(&|c| c.swap(i, i + 1)));
            }
        }
        out
    }

    #[test]
    fn jaro_equals_strsim_on_edge_cases() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "aa",
            "abc",
            "cba",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "jellyfish",
            "smellyfish",
            "é",
            "éa",
            "aé",
            "日本語",
            "本日語",
            "🦀x",
            "x🦀",
        ];
        for a in words {
            for b in words {
                assert_same(a, b);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Random strings over a small alphabet (so that they share chars), of different
        /// lengths, some with multi-byte chars.
        #[test]
        fn jaro_equals_strsim_on_random_strings(a in "[abcdeé日]{0,12}", b in "[abcdeé日]{0,12}") {
            assert_same(&a, &b);
        }

        #[test]
        fn jaro_equals_strsim_on_longer_strings(a in "[a-zA-Z]{0,40}", b in "[a-zA-Z]{0,40}") {
            assert_same(&a, &b);
        }
    }
}
