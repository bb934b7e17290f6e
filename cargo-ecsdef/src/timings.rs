//! Where a run spends its time, for work on `cargo ecsdef` itself: with the environment
//! variable `CARGO_ECSDEF_TIMINGS` set, each phase prints the milliseconds since the process
//! started, to stderr. `BENCHMARKS.md` says what the phases told so far.
//!
//! ```text
//! $ CARGO_ECSDEF_TIMINGS=1 cargo ecsdef check --workspace -q
//!      0.0 ms start
//!     45.3 ms cargo metadata answered (members)
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
        eprintln!("{:>8.1} ms {phase}", start.elapsed().as_secs_f64() * 1000.0);
    }
}
