//! Task sizes: AWS's cpu and memory strings, and the Fargate table.

/// A range of memories in MiB: `(first, last, step)`.
pub type MemoryRange = (u32, u32, u32);

/// The Fargate task sizes: for each cpu (in CPU units), the valid memories in MiB. From AWS's
/// Fargate task-size table.
pub static FARGATE_SIZES: &[(u32, &[MemoryRange])] = &[
    (256, &[(512, 512, 1), (1024, 2048, 1024)]),
    (512, &[(1024, 4096, 1024)]),
    (1024, &[(2048, 8192, 1024)]),
    (2048, &[(4096, 16384, 1024)]),
    (4096, &[(8192, 30720, 1024)]),
    (8192, &[(16384, 61440, 4096)]),
    (16384, &[(32768, 122_880, 8192)]),
];

/// The memories (MiB) Fargate offers for `cpu` units; `None` when the cpu is not a Fargate
/// size.
pub fn valid_fargate_memories(cpu: u32) -> Option<Vec<u32>> {
    let (_, ranges) = FARGATE_SIZES.iter().find(|(c, _)| *c == cpu)?;
    let mut out = Vec::new();
    for &(first, last, step) in *ranges {
        out.extend((first..=last).step_by(step as usize));
    }
    Some(out)
}

/// A task-level `cpu`: CPU units (`"256"`, `"1024"`) or vCPUs (`"1 vCPU"`, `".25 vcpu"`), as
/// AWS accepts them. `None` when the text is neither.
pub fn parse_task_cpu(text: &str) -> Option<u32> {
    parse_with_unit(text, &["vcpu"], 1024)
}

/// A task-level `memory`: MiB (`"512"`) or GB (`"2 GB"`, `".5 gb"`; AWS means GiB). `None`
/// when the text is neither.
pub fn parse_task_memory(text: &str) -> Option<u32> {
    parse_with_unit(text, &["gb"], 1024)
}

fn parse_with_unit(text: &str, units: &[&str], factor: u32) -> Option<u32> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    for unit in units {
        if let Some(number) = lower.strip_suffix(unit) {
            return scaled(number.trim(), factor);
        }
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `number * factor` for a decimal number such as `0.25` or `.5`, when that is a whole number.
fn scaled(number: &str, factor: u32) -> Option<u32> {
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 6 {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_value: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let denominator = 10u64.pow(u32::try_from(frac.len()).ok()?);
    let total = whole
        .checked_mul(denominator)?
        .checked_add(frac_value)?
        .checked_mul(u64::from(factor))?;
    if total % denominator != 0 {
        return None;
    }
    u32::try_from(total / denominator).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aws_size_strings() {
        assert_eq!(parse_task_cpu("256"), Some(256));
        assert_eq!(parse_task_cpu("1 vCPU"), Some(1024));
        assert_eq!(parse_task_cpu(".25 vcpu"), Some(256));
        assert_eq!(parse_task_cpu("0.5 vCPU"), Some(512));
        assert_eq!(parse_task_memory("2 GB"), Some(2048));
        assert_eq!(parse_task_memory(".5 gb"), Some(512));
        assert_eq!(parse_task_memory("3072"), Some(3072));
        assert_eq!(parse_task_memory("0.3 GB"), None);
        assert_eq!(parse_task_cpu("lots"), None);
        assert_eq!(parse_task_cpu(""), None);
        assert_eq!(parse_task_cpu(". vcpu"), None);
        assert_eq!(parse_task_memory("99999999999999 GB"), None);
    }

    #[test]
    fn fargate_table_matches_aws() {
        assert_eq!(valid_fargate_memories(256), Some(vec![512, 1024, 2048]));
        assert_eq!(
            valid_fargate_memories(512).unwrap(),
            [1024, 2048, 3072, 4096]
        );
        assert_eq!(valid_fargate_memories(4096).unwrap().last(), Some(&30720));
        let m = valid_fargate_memories(8192).unwrap();
        assert_eq!((m[0], m[1], *m.last().unwrap()), (16384, 20480, 61440));
        let m = valid_fargate_memories(16384).unwrap();
        assert_eq!((m[0], m[1], *m.last().unwrap()), (32768, 40960, 122_880));
        assert_eq!(valid_fargate_memories(300), None);
    }
}
