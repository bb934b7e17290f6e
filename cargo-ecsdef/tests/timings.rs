//! `CARGO_ECSDEF_TIMINGS` prints the phases of a run to stderr, and nothing without it.

use std::process::Command;

fn run(timings: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"));
    command.args(["ecsdef", "explain", "image-unpinned"]);
    command.env_remove("CARGO_ECSDEF_TIMINGS");
    if timings {
        command.env("CARGO_ECSDEF_TIMINGS", "1");
    }
    let output = command.output().expect("cargo-ecsdef runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stderr).expect("UTF-8")
}

#[test]
fn timings_are_printed_only_when_asked_for() {
    let stderr = run(true);
    // `N ms phase`, or `N ms M MB phase` where `/proc` tells the resident memory.
    let with_memory = std::path::Path::new("/proc/self/statm").exists();
    let phases: Vec<&str> = stderr
        .lines()
        .map(|line| {
            let rest = line.split_once(" ms ").expect("`N ms ...`").1;
            if with_memory {
                let (mb, phase) = rest.split_once(" MB ").expect("`M MB phase`");
                assert!(mb.trim().parse::<f64>().is_ok_and(|mb| mb > 0.0), "{line}");
                phase
            } else {
                rest
            }
        })
        .collect();
    assert_eq!(phases, ["start", "done"], "{stderr}");
    assert_eq!(run(false), "");
}
