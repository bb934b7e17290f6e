//! The floor of `bench-export` with mimalloc, the allocator `cargo-ecsdef` uses: the same
//! work as `xtask bench-export-floor LIST [THREADS]`, so that the export's ratio to the floor
//! does not credit the export with the allocator.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../floor.rs"]
mod floor;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [list, rest @ ..] => floor::run(list, rest.first().map(String::as_str)),
        _ => {
            eprintln!("usage: bench-floor-mimalloc FILE-LIST [THREADS]");
            ExitCode::from(2)
        }
    }
}
