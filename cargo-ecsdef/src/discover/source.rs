//! Reading a source file, or a file the user names (a vars file, a task definition to
//! import), whatever is at its path: only a regular file (a symlink to one is fine) is read,
//! and at most [`MAX_FILE_BYTES`] of it. A FIFO would block the reader until
//! something writes to it, and a device such as `/dev/zero` would never end, so either is an
//! error naming the file, never a hang.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// The largest source file read, in bytes: many times the largest hand-written or generated
/// Rust file of the registry, and small enough that its text and syntax fit in memory.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// What a file is read as: the messages say what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A crate root or module.
    Source,
    /// A file named on the command line or in the settings.
    Input,
}

/// Why a file could not be read; its `Display` is the sentence after "cannot read `FILE`: ".
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// Something other than a regular file: what it is (`a FIFO`, `a directory`).
    NotAFile(&'static str, Role),
    /// More than [`MAX_FILE_BYTES`]: its size, at least.
    TooLarge(u64, Role),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(error) => write!(f, "{error}"),
            Self::NotAFile(what, Role::Source) => write!(
                f,
                "it is {what}, not a regular file; a crate root or module must be a regular \
                 file or a symlink to one"
            ),
            Self::NotAFile(what, Role::Input) => write!(
                f,
                "it is {what}, not a regular file; give a regular file or a symlink to one"
            ),
            Self::TooLarge(size, role) => write!(
                f,
                "it is {} MiB, more than the {} MiB read of {}",
                size.div_ceil(1 << 20),
                MAX_FILE_BYTES >> 20,
                match role {
                    Role::Source => "a source file; split it into modules",
                    Role::Input => "a file",
                }
            ),
        }
    }
}

/// The text of the file at `path`, when it is a regular file of at most [`MAX_FILE_BYTES`]
/// in UTF-8.
pub(crate) fn read_source(path: &Path) -> Result<String, ReadError> {
    read(path, Role::Source)
}

/// [`read_source`] for a file the user names.
pub(crate) fn read_input(path: &Path) -> Result<String, ReadError> {
    read(path, Role::Input)
}

fn read(path: &Path, role: Role) -> Result<String, ReadError> {
    let file = open(path, role)?;
    // What was opened is what is read: a path that changed since it was looked at is judged
    // by what it holds now.
    let metadata = file.metadata().map_err(ReadError::Io)?;
    check(&metadata, role)?;
    // One byte more than allowed tells a file that grew past the limit.
    let mut file = file.take(MAX_FILE_BYTES + 1);
    // One read of a byte more than the file's size: a regular file that gives fewer bytes
    // than asked has ended, so the read that would say so (0 bytes), one system call of
    // five, is not made. A file larger than its size said (it grew, or a file system does
    // not know) is read on to its end.
    let size = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = vec![0; size + 1];
    let first = loop {
        match file.read(&mut bytes) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            read => break read.map_err(ReadError::Io)?,
        }
    };
    bytes.truncate(first);
    if first != size {
        file.read_to_end(&mut bytes).map_err(ReadError::Io)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64, role));
    }
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// Opens `path` for reading without waiting on it: on Linux, without blocking (`O_NONBLOCK`,
/// which a FIFO honours by opening at once and a regular file ignores), so that the file is
/// looked at once, through its descriptor, rather than by path and then again once open (a
/// source file's path is looked up by the module tree already). Elsewhere the path is looked at
/// first, as opening a FIFO there may wait for a writer. On Linux a FIFO or a device is
/// opened, never read; something that cannot be opened (a socket) is described by what it is
/// when it is not a regular file.
fn open(path: &Path, role: Role) -> Result<File, ReadError> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let nonblocking = rustix::fs::OFlags::NONBLOCK.bits().cast_signed();
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nonblocking)
            .open(path)
            .map_err(|error| match std::fs::metadata(path) {
                Ok(metadata) if !metadata.is_file() => {
                    ReadError::NotAFile(describe(metadata.file_type()), role)
                }
                _ => ReadError::Io(error),
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        check(&std::fs::metadata(path).map_err(ReadError::Io)?, role)?;
        File::open(path).map_err(ReadError::Io)
    }
}

fn check(metadata: &Metadata, role: Role) -> Result<(), ReadError> {
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotAFile(describe(kind), role));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(metadata.len(), role));
    }
    Ok(())
}

/// What a file that is not a regular file is, for the message.
fn describe(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "something else"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is at a path decides the error, whichever way the file is opened: only a regular
    /// file is read, and the others are named for what they are.
    #[test]
    fn only_regular_files_are_read() {
        let dir = std::env::temp_dir().join(format!("ecsdef-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let file = dir.join("lib.rs");
        std::fs::write(&file, "struct A;\n").expect("write");
        assert_eq!(read_source(&file).expect("a regular file"), "struct A;\n");

        let message = |path: &Path| read_source(path).expect_err("not read").to_string();
        assert!(message(&dir).starts_with("it is a directory, not a regular file"));
        assert!(message(&dir.join("absent.rs")).contains("No such file"));
        #[cfg(unix)]
        {
            let socket = dir.join("socket.rs");
            let _listener =
                std::os::unix::net::UnixListener::bind(&socket).expect("a socket to read");
            assert!(message(&socket).starts_with("it is a socket, not a regular file"));
            assert!(message(Path::new("/dev/null")).starts_with("it is a device"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
