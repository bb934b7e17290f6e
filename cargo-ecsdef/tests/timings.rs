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
    // `N ms phase`, or `N ms M MB F faults phase` where `/proc` tells the resident memory
    // and the page faults.
    let with_memory = std::path::Path::new("/proc/self/statm").exists();
    let mut faults_before = 0;
    let phases: Vec<&str> = stderr
        .lines()
        .map(|line| {
            let rest = line.split_once(" ms ").expect("`N ms ...`").1;
            if with_memory {
                let (mb, rest) = rest.split_once(" MB ").expect("`M MB ...`");
                assert!(mb.trim().parse::<f64>().is_ok_and(|mb| mb > 0.0), "{line}");
                let (faults, phase) = rest.split_once(" faults ").expect("`F faults phase`");
                let faults: u64 = faults.trim().parse().expect("a number of faults");
                assert!(faults > 0 && faults >= faults_before, "{stderr}");
                faults_before = faults;
                phase
            } else {
                rest
            }
        })
        .collect();
    assert_eq!(phases, ["start", "done"], "{stderr}");
    assert_eq!(run(false), "");
}
