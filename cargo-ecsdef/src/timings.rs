//! Where a run spends its time, for work on `cargo ecsdef` itself: with the environment
//! variable `CARGO_ECSDEF_TIMINGS` set, each phase prints the milliseconds since the process
//! started and, where `/proc` tells it, how much memory is resident then and how many page
//! faults the process took so far (each first touch of a page, of its heap or its code, is
//! one), to stderr. `BENCHMARKS.md` shows the phases of a large workspace.
//!
//! ```text
//! $ CARGO_ECSDEF_TIMINGS=1 cargo ecsdef check --workspace -q
//!      0.0 ms    4.1 MB    183 faults start
//!     45.3 ms    9.8 MB   1422 faults cargo metadata answered (members)
//!     ...
//! ```

use std::sync::OnceLock;
use std::time::Instant;

/// Whether timings were asked for, read once.
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("CARGO_ECSDEF_TIMINGS").is_some())
}

/// Prints `phase` with the time since the first mark, when timings are enabled.
pub fn mark(phase: &str) {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    if enabled() {
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        match (resident_mb(), minor_faults()) {
            (Some(mb), Some(faults)) => {
                eprintln!("{elapsed:>8.1} ms {mb:>6.1} MB {faults:>6} faults {phase}");
            }
            _ => eprintln!("{elapsed:>8.1} ms {phase}"),
        }
    }
}

/// The resident set in MB, from `/proc/self/statm` (its second field, in pages of 4 KiB on
/// the machines this is read on).
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1e6)
}

/// The process's page faults so far that needed no disk (`/proc/self/stat`'s `minflt`): each
/// first touch of a page, of the heap or of the program's code.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's name, which is in parentheses and may hold spaces:
    // `minflt` is the tenth field of the line, the eighth after the name.
    let after_name = stat.get(stat.rfind(')')? + 1..)?;
    after_name.split_whitespace().nth(7)?.parse().ok()
}
