//! Files read and written safely: the one place where Paraat opens a file by a path it was given
//! (by a user, a journal header or a folder listing).
//!
//! - [`read_regular`] reads only regular files (never a device, FIFO or socket, which could block
//!   forever or never end) and enforces the size limit on the bytes actually read.
//! - [`walk`] lists the regular files in a folder tree without following a symlink loop.
//! - [`write_atomic`] and [`write_new`] write through an exclusively created temporary file with
//!   an unpredictable name, so a link planted in a shared folder cannot redirect the write, and a
//!   crash never leaves a half-written file.
//! - [`refuse_overwrite`] keeps a report or export from replacing its own input, a journal, or a
//!   scenario or plan file.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The operating system refused.
    #[error("{0}")]
    Io(String),
    /// Not a regular file: reading it could block forever or never end.
    #[error("not a regular file but {0}; only regular files are read")]
    NotRegular(&'static str),
    /// More bytes than the limit.
    #[error("the file is larger than the limit of {0} bytes")]
    TooLarge(u64),
}

impl From<std::io::Error> for FileError {
    fn from(e: std::io::Error) -> Self {
        FileError::Io(e.to_string())
    }
}

/// What kind of non-regular file this is, in words; `None` for a regular file.
fn irregular_kind(ft: std::fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

/// Opens `path` if it is a regular file (following symbolic links), for reading or for reading
/// and writing. The type is checked before opening (opening a FIFO would wait for a writer) and
/// again on the open handle; on Unix the open itself does not block either.
pub fn open_regular(path: &Path, write: bool) -> Result<File, FileError> {
    let meta = std::fs::metadata(path)?;
    if let Some(kind) = irregular_kind(meta.file_type()) {
        return Err(FileError::NotRegular(kind));
    }
    let mut options = OpenOptions::new();
    options.read(true).write(write);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Should the file be swapped for a FIFO after the check, the open still returns at once;
        // on a regular file the flag changes nothing.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if let Some(kind) = irregular_kind(file.metadata()?.file_type()) {
        return Err(FileError::NotRegular(kind));
    }
    Ok(file)
}

/// Reads a whole regular file of at most `limit` bytes. The limit holds for the bytes read, not
/// the size the file system reports (which a growing or special file can belie).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let mut file = open_regular(path, false)?;
    read_to_limit(&mut file, limit)
}

/// Reads an open file from its start, at most `limit` bytes.
pub fn read_to_limit(file: &mut File, limit: u64) -> Result<Vec<u8>, FileError> {
    file.seek(std::io::SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Every regular file under `root` whose name ends in `.ext`, sorted, skipping hidden entries.
/// Symbolic links to files are listed; a symbolic link to a folder is entered only once (by its
/// real path), so a link loop (`a -> .`) ends. `root` itself may be a file.
pub fn walk(root: &Path, ext: &str) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        return Ok(vec![root.to_owned()]);
    }
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    seen.insert(root.canonicalize()?);
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            // A dangling link or a file that vanished: nothing to read.
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                if let Ok(real) = p.canonicalize()
                    && seen.insert(real)
                {
                    stack.push(p);
                }
            } else if meta.is_file() && p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The folder a file is in (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A temporary file beside `path`, created exclusively under a random name, holding `contents`,
/// synced, with the permissions of the file it will replace (or the usual ones for a new file).
fn temp_beside(path: &Path, contents: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".{name}.");
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // As `File::create` does: 0666 less the umask (tempfile's default is 0600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Ok(old) = std::fs::metadata(path)
        && old.is_file()
    {
        tmp.as_file().set_permissions(old.permissions())?;
    }
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

fn sync_dir(path: &Path) {
    // Make the new directory entry durable too (best effort: not all platforms can).
    if let Ok(d) = File::open(parent_dir(path)) {
        let _ = d.sync_all();
    }
}

/// Writes `contents` to `path` atomically: an exclusively created temporary file in the same
/// folder, synced, then renamed over the target, so a crash never leaves a half-written file and
/// a planted link cannot redirect the write. An existing file keeps its permissions. The target
/// itself is replaced, never followed: if it is a symbolic link, the link is replaced.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = temp_beside(path, contents)?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(path);
    Ok(())
}

/// Writes a new file atomically, refusing (with `AlreadyExists`) if `path` exists — checked by
/// the file system at the moment of the rename, so no other writer can slip in between.
pub fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = temp_beside(path, contents)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_dir(path);
    Ok(())
}

/// What an existing file holds, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Paraat journal.
    Journal,
    /// A scenario file.
    Scenario,
    /// A plan catalogue.
    Plan,
    /// Anything else.
    Other,
}

/// Judges a file's kind from its first 64 KiB; unreadable or irregular files are `Other`.
pub fn sniff(path: &Path) -> Kind {
    let Ok(mut file) = open_regular(path, false) else {
        return Kind::Other;
    };
    let mut head = Vec::new();
    if std::io::Read::by_ref(&mut file)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .is_err()
    {
        return Kind::Other;
    }
    sniff_bytes(&head)
}

/// Judges a text's kind from its start.
pub fn sniff_bytes(head: &[u8]) -> Kind {
    let text = String::from_utf8_lossy(head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_start().starts_with('{')
        && first_line.contains("\"scenario_id\"")
        && first_line.contains("\"source_hash\"")
    {
        return Kind::Journal;
    }
    // Skip white space and comments, then look at the top-level struct's name.
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let paren = rest[name.len()..].trim_start().starts_with('(');
    match (name.as_str(), paren) {
        ("Scenario", true) => Kind::Scenario,
        ("Plan", true) => Kind::Plan,
        _ => Kind::Other,
    }
}

/// Refuses to write an output over one of its `inputs` (the same file by its real path), or over
/// an existing journal, scenario or plan file: a report or an export never destroys what it
/// came from. `allowed` names the kinds this output may replace (an editor saves over a
/// scenario; a report replaces nothing but an older report).
pub fn refuse_overwrite(out: &Path, inputs: &[&Path], allowed: &[Kind]) -> std::io::Result<()> {
    let Ok(real) = out.canonicalize() else {
        // It does not exist (yet): nothing to destroy.
        return Ok(());
    };
    for input in inputs {
        if input.canonicalize().is_ok_and(|i| i == real) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "this is the input file itself; choose another output file (nothing was written)",
            ));
        }
    }
    let kind = sniff(out);
    let word = match kind {
        Kind::Journal => "a journal",
        Kind::Scenario => "a scenario file",
        Kind::Plan => "a plan file",
        Kind::Other => return Ok(()),
    };
    if allowed.contains(&kind) {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "the file exists and is {word}; it is not overwritten (choose another output file)"
        ),
    ))
}

#[cfg(test)]
mod tests;
