//! `cargo ecsdef`: find every ecsdef declaration in a workspace and export deployable files.

use std::process::ExitCode;

/// See the dependency's comment in `Cargo.toml`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cargo_ecsdef::timings::mark("start");
    // The process ends when the command is done: its big values need not be freed.
    cargo_ecsdef::leave_to_exit();
    match cargo_ecsdef::cli::parse_from(std::env::args_os()) {
        Ok(cli) => {
            let code = cli.command.exec();
            cargo_ecsdef::timings::mark("done");
            ExitCode::from(code)
        }
        Err(error) => {
            // `--help` and `--version` print to stdout and succeed; usage errors exit 2.
            let _ = error.print();
            ExitCode::from(if error.use_stderr() {
                cargo_ecsdef::commands::USAGE_OR_IO
            } else {
                cargo_ecsdef::commands::SUCCESS
            })
        }
    }
}
