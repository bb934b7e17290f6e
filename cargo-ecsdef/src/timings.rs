//! Where a run spends its time, for work on `cargo ecsdef` itself: with the environment
//! variable `CARGO_ECSDEF_TIMINGS` set, each phase prints the milliseconds since the process
//! started and, where `/proc` tells it, how much memory is resident then (what the process
//! has touched: each first touch of a page is a page fault), to stderr. `BENCHMARKS.md` shows
//! the phases of a large workspace.
//!
//! ```text
//! $ CARGO_ECSDEF_TIMINGS=1 cargo ecsdef check --workspace -q
//!      0.0 ms    4.1 MB start
//!     45.3 ms    9.8 MB cargo metadata answered (members)
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
        match resident_mb() {
            Some(mb) => eprintln!("{elapsed:>8.1} ms {mb:>6.1} MB {phase}"),
            None => eprintln!("{elapsed:>8.1} ms {phase}"),
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
