//! The floor of the export's writes, xtask's hidden `bench-export-writes` verb: create a folder
//! and in it each file of an export's folder, with the same bytes, the plain way
//! (`File::create_new`, `write_all`), on every core. `bench-export` runs it as its own process
//! like the export, so that an export into a new folder can be compared with the parse floor
//! plus the creating of the files it writes.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Copies the files of the folder `reference` into the new folder `out` on `threads` threads
/// (default: every core). The files are read first: what is measured beyond process start is
/// that read of a folder an export just wrote, from the page cache, and the writes.
pub fn run(reference: &str, out: &str, threads: Option<&str>) -> ExitCode {
    let threads = threads
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    match copy_files(reference.as_ref(), out.as_ref(), threads) {
        Ok((files, bytes)) => {
            println!("{files} files, {bytes} bytes");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads every file of `reference`, then writes them into `out`, which must not exist, on
/// `threads` threads taking files from a shared counter (as the export's writers take them).
/// Returns how many files and bytes were written.
fn copy_files(reference: &Path, out: &Path, threads: usize) -> Result<(usize, usize), String> {
    let read_error = |e: std::io::Error| format!("{}: {e}", reference.display());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(reference).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push((out.join(path.file_name().unwrap_or_default()), bytes));
    }
    std::fs::create_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let next = AtomicUsize::new(0);
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, bytes)) = files.get(i) else {
                            break;
                        };
                        std::fs::File::create_new(path)
                            .and_then(|mut file| std::io::Write::write_all(&mut file, bytes))
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a worker panicked".into())))
            .collect()
    });
    results.into_iter().collect::<Result<(), String>>()?;
    Ok((files.len(), files.iter().map(|(_, b)| b.len()).sum()))
}

#[cfg(test)]
mod tests {
    /// The copy has the reference's files, byte for byte, and refuses a folder that exists.
    #[test]
    fn copies_every_file_and_refuses_an_existing_folder() {
        let dir = std::env::temp_dir().join(format!("ecsdef-write-floor-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let reference = dir.join("reference");
        std::fs::create_dir_all(&reference).unwrap();
        for (name, text) in [("a.json", "{}\n"), ("b.json", "[1, 2]\n"), ("c.json", "")] {
            std::fs::write(reference.join(name), text).unwrap();
        }
        let out = dir.join("out");
        assert_eq!(super::copy_files(&reference, &out, 2), Ok((3, 10)));
        for name in ["a.json", "b.json", "c.json"] {
            assert_eq!(
                std::fs::read(out.join(name)).unwrap(),
                std::fs::read(reference.join(name)).unwrap()
            );
        }
        assert!(super::copy_files(&reference, &out, 2).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
