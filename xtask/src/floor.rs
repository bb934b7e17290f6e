//! The floor of `bench-export`: read each file and `syn::parse_file` it, on every core. Used by
//! xtask's hidden `bench-export-floor` verb (the system allocator) and by the
//! `bench-floor-mimalloc` binary (the allocator `cargo-ecsdef` uses), so that the export is
//! compared with both.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reads the file list at `list` and runs [`floor`] on `threads` threads (default: every core).
pub fn run(list: &str, threads: Option<&str>) -> ExitCode {
    let files: Vec<PathBuf> = match std::fs::read_to_string(list) {
        Ok(text) => text.lines().map(PathBuf::from).collect(),
        Err(e) => {
            eprintln!("error: {list}: {e}");
            return ExitCode::from(2);
        }
    };
    let threads = threads
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    match floor(&files, threads) {
        Ok((bytes, items)) => {
            println!("{} files, {bytes} bytes, {items} items", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The floor: read each file and `syn::parse_file` it, on `threads` threads taking files from
/// a shared counter (as the export's workers take them from a queue). Returns the bytes read
/// and the items parsed, so that nothing is optimised away.
pub fn floor(files: &[PathBuf], threads: usize) -> Result<(usize, usize), String> {
    let next = AtomicUsize::new(0);
    let results: Vec<Result<(usize, usize), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let (mut bytes, mut items) = (0, 0);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let text = std::fs::read_to_string(path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        let file = syn::parse_file(&text)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        bytes += text.len();
                        items += file.items.len();
                    }
                    Ok((bytes, items))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a worker panicked".into())))
            .collect()
    });
    results.into_iter().try_fold((0, 0), |(b, i), r| {
        let (rb, ri) = r?;
        Ok((b + rb, i + ri))
    })
}
