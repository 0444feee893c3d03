//! The journal: an append-only, crash-safe, tamper-evident record of an exercise.
//!
//! JSON Lines. Line 1 is a [`Header`]; every following line is an [`Entry`] holding one command
//! or one event. Each line carries the hash of the line before it, so an edited or removed line
//! breaks the chain at a line the reader names. Each entry is written, flushed and synced before
//! the writer returns, so nothing the screen shows can be lost in a crash; a crash mid-write
//! leaves at most a torn last line, which the reader detects and cuts.
//!
//! When the exercise ends, the writer seals the journal ([`seal`]): a last line with an Ed25519
//! signature of everything before it, so that a later edit needs the sealing key, and a removed
//! tail is told apart from a finished exercise. [`verify`] checks chain, seal and replay in one
//! place for every front end.

mod replay;
pub mod seal;
mod session;
pub mod verify;

use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use replay::{ReplayError, ReplayOutcome, replay};
pub use session::{Session, SessionError};

use crate::engine::{Command, Event, SimTime};
use crate::model::RoleId;
use crate::model::load::sha256_hex;

/// The journal format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Largest journal the reader accepts (a four-hour exercise writes well under 1 MiB).
pub const MAX_JOURNAL_BYTES: u64 = 256 * 1024 * 1024;

/// The first line of a journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Journal format version.
    pub format: u32,
    /// The Paraat version that wrote it.
    pub app_version: String,
    /// The scenario's id.
    pub scenario_id: String,
    /// Where the scenario was loaded from, to find it again.
    pub scenario_path: String,
    /// The plan's id.
    pub plan_id: String,
    /// SHA-256 of the scenario and plan texts.
    pub source_hash: String,
    /// The seed of the random chances.
    pub seed: u64,
    /// Roles present at the table (the others are played by the facilitator or absent).
    pub present: Vec<RoleId>,
    /// Wall-clock start, RFC 3339.
    pub wall_start: String,
    /// The team or organisation that played, as entered at setup, for comparing exercises over
    /// time (a team's name, never a person's). Absent in journals written before it existed, or
    /// when none was given; then it is not written at all, so such journals keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// Longest team name kept in a journal header, in characters.
pub const MAX_TEAM_CHARS: usize = 80;

/// A team name as entered, made fit for a header: trimmed, control characters removed, at most
/// [`MAX_TEAM_CHARS`] characters; `None` when nothing is left.
pub fn clean_team(name: &str) -> Option<String> {
    let s: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEAM_CHARS)
        .collect::<String>()
        .trim()
        .to_owned();
    (!s.is_empty()).then_some(s)
}

/// What an entry holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// A command, as given.
    Command(Command),
    /// An event the engine produced.
    Event(Event),
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// Simulated time.
    pub t: SimTime,
    /// Wall-clock time, RFC 3339.
    pub wall: String,
    /// Who: a role id, `facilitator` or `engine`.
    pub actor: String,
    /// Hash of the previous line (the header for the first entry).
    pub prev: String,
    /// The command or event.
    #[serde(flatten)]
    pub body: Body,
}

/// Hash of one line's text, as carried by the next line.
pub fn line_hash(line: &str) -> String {
    let mut h = sha256_hex(line.as_bytes());
    h.truncate(32);
    h
}

/// The current wall-clock time in RFC 3339. The journal writer is one of the few places that
/// may read the clock.
#[allow(clippy::disallowed_methods)]
pub fn wall_now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// Appends entries to a journal file. It holds an exclusive advisory lock on the file for as
/// long as it lives, so that no second writer (another window, another `paraat`) can fork the
/// chain; a sidecar file `<journal>.writer` names the holder for the message the other one gets.
#[derive(Debug)]
pub struct Writer {
    file: File,
    path: PathBuf,
    prev: String,
    seq: u64,
    /// A failed write could not be undone: nothing more may be appended.
    broken: bool,
    /// The journal is sealed: nothing more may be appended.
    sealed: bool,
    /// A torn tail to cut before the first write (the file's length up to the last whole line).
    cut_to: Option<u64>,
}

/// The sidecar that names the program writing a journal: `<journal>.writer`.
pub fn holder_path(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map_or_else(|| "journal".into(), |n| n.to_string_lossy().into_owned());
    journal.with_file_name(format!("{name}.writer"))
}

/// This process, in words, for the holder sidecar.
fn this_holder() -> String {
    let args: Vec<String> = std::env::args()
        .take(2)
        .map(|a| {
            Path::new(&a)
                .file_name()
                .map_or_else(|| a.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    format!(
        "process {} ({}), since {}",
        std::process::id(),
        args.join(" "),
        wall_now()
    )
}

/// Who holds the lock on a journal, as its sidecar says.
fn holder_of(journal: &Path) -> String {
    crate::files::read_regular(&holder_path(journal), 4096)
        .ok()
        .map(|b| crate::text::terminal_safe(String::from_utf8_lossy(&b).trim()).into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "another program".to_owned())
}

/// Takes the exclusive lock on an open journal, or says who has it.
fn lock(file: &File, path: &Path) -> Result<(), ReadError> {
    match file.try_lock() {
        Ok(()) => {
            // Best effort: the lock is what protects the journal; the sidecar only names us.
            let _ = crate::files::write_atomic(&holder_path(path), this_holder().as_bytes());
            Ok(())
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(ReadError::InUse(holder_of(path))),
        Err(std::fs::TryLockError::Error(e)) => Err(ReadError::Io(format!(
            "cannot lock the journal for writing: {e}"
        ))),
    }
}

/// Whether another program is writing the journal at `path` (holds its lock), and who.
pub fn in_use(path: &Path) -> Option<String> {
    let file = crate::files::open_regular(path, false).ok()?;
    // A lock that cannot be tested at all (a file system without locks) counts as free.
    matches!(
        file.try_lock_shared(),
        Err(std::fs::TryLockError::WouldBlock)
    )
    .then(|| holder_of(path))
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(holder_path(&self.path));
    }
}

impl Writer {
    /// Creates a new journal; refuses to overwrite an existing file (the error's kind is then
    /// `AlreadyExists`).
    pub fn create(path: &Path, header: &Header) -> std::io::Result<Self> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        lock(&file, path).map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut w = Self {
            file,
            path: path.to_owned(),
            prev: String::new(),
            seq: 0,
            broken: false,
            cut_to: None,
            sealed: false,
        };
        let line = serde_json::to_string(header).map_err(std::io::Error::other)?;
        w.write_line(&line)?;
        if let Some(dir) = path.parent() {
            // Make the new directory entry durable too (best effort: not all platforms can).
            if let Ok(d) = File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }) {
                let _ = d.sync_all();
            }
        }
        Ok(w)
    }

    /// Reopens a journal to continue it. The journal is locked first (a second writer is
    /// refused with [`ReadError::InUse`]), then read through the locked handle; a torn last
    /// line is cut before the first append, and the chain continues from the last complete line.
    pub fn resume(path: &Path) -> Result<(Self, Read), ReadError> {
        let file = crate::files::open_regular(path, true).map_err(read_error)?;
        lock(&file, path)?;
        // From here on, dropping the writer (on any error below) takes its holder note away.
        let mut w = Self {
            file,
            path: path.to_owned(),
            prev: String::new(),
            seq: 0,
            broken: false,
            cut_to: None,
            sealed: false,
        };
        let bytes =
            crate::files::read_to_limit(&mut w.file, MAX_JOURNAL_BYTES).map_err(read_error)?;
        let read = read_bytes(&bytes)?;
        if let Some(broken) = &read.broken {
            return Err(ReadError::Broken(broken.clone()));
        }
        if read.seal.is_some() {
            return Err(ReadError::Sealed);
        }
        w.prev.clone_from(&read.last_hash);
        w.seq = read.entries.last().map_or(0, |e| e.seq);
        w.cut_to = (read.valid_bytes != bytes.len() as u64).then_some(read.valid_bytes);
        Ok((w, read))
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of entries written so far.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Appends one entry and syncs it to disk before returning.
    pub fn append(&mut self, t: SimTime, actor: &str, body: Body) -> std::io::Result<Entry> {
        let entry = Entry {
            seq: self.seq + 1,
            t,
            wall: wall_now(),
            actor: actor.to_owned(),
            prev: self.prev.clone(),
            body,
        };
        let line = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
        self.write_line(&line)?;
        self.seq += 1;
        Ok(entry)
    }

    /// Appends several entries with one sync at the end (a command and the events it caused
    /// are one unit: either all of them reach the disk, or the reader cuts the torn tail).
    pub fn append_all(
        &mut self,
        items: impl IntoIterator<Item = (SimTime, String, Body)>,
    ) -> std::io::Result<Vec<Entry>> {
        let mut buf = String::new();
        let mut entries = Vec::new();
        let (mut prev, mut seq) = (self.prev.clone(), self.seq);
        for (t, actor, body) in items {
            seq += 1;
            let entry = Entry {
                seq,
                t,
                wall: wall_now(),
                actor,
                prev: prev.clone(),
                body,
            };
            let line = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
            prev = line_hash(&line);
            buf.push_str(&line);
            buf.push('\n');
            entries.push(entry);
        }
        if entries.is_empty() {
            return Ok(entries);
        }
        self.write_synced(buf.as_bytes())?;
        self.prev = prev;
        self.seq = seq;
        Ok(entries)
    }

    /// Seals the journal: appends the seal line, an Ed25519 signature of every byte written
    /// before it (as they are on disk), and refuses every later append.
    pub fn seal(&mut self, key: &seal::SealKey) -> std::io::Result<seal::SealInfo> {
        let len = self.file.seek(std::io::SeekFrom::End(0))?;
        let before = std::fs::read(&self.path)?;
        if before.len() as u64 != len {
            return Err(std::io::Error::other(
                "the journal changed on disk while it was being sealed",
            ));
        }
        let wall = wall_now();
        let line = key.seal_line(&before, &self.prev, self.seq, wall.clone());
        let text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
        self.write_line(&text)?;
        self.sealed = true;
        Ok(seal::SealInfo {
            line: before.split(|&b| b == b'\n').count(),
            fingerprint: key.fingerprint(),
            wall,
        })
    }

    /// Whether the journal is sealed.
    pub fn is_sealed(&self) -> bool {
        self.sealed
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.write_synced(&bytes)?;
        self.prev = line_hash(line);
        Ok(())
    }

    /// Writes and syncs, or leaves the file as it was: a write that fails halfway (a full
    /// disk, an I/O error on sync) is cut off again, so the chain never holds a line the caller
    /// was told did not happen. If even that fails, the writer refuses every later append.
    fn write_synced(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.broken {
            return Err(std::io::Error::other(
                "an earlier write to the journal failed and could not be undone; the journal is read-only now",
            ));
        }
        if self.sealed {
            return Err(std::io::Error::other(
                "the journal is sealed: the exercise has ended and nothing more can be written",
            ));
        }
        if let Some(len) = self.cut_to {
            self.file.set_len(len)?;
            self.file.sync_all()?;
            self.cut_to = None;
        }
        let len = self.file.seek(std::io::SeekFrom::End(0))?;
        let result = self
            .file
            .write_all(bytes)
            .and_then(|()| self.file.flush())
            .and_then(|()| self.file.sync_data());
        if let Err(e) = result {
            let undone = self
                .file
                .set_len(len)
                .and_then(|()| self.file.seek(std::io::SeekFrom::End(0)).map(|_| ()))
                .and_then(|()| self.file.sync_data());
            if undone.is_err() {
                self.broken = true;
            }
            return Err(e);
        }
        Ok(())
    }
}

/// Why a journal could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read the journal: {0}")]
    Io(String),
    /// Too large.
    #[error("the journal is larger than the limit of {0} bytes")]
    TooLarge(u64),
    /// Another program is writing it.
    #[error(
        "the journal is in use by {0}: only one program writes a journal at a time (open it for review, or close the other one first)"
    )]
    InUse(String),
    /// No valid header.
    #[error("line 1: not a Paraat journal header: {0}")]
    BadHeader(String),
    /// Written by a newer format.
    #[error("line 1: journal format {0} is newer than this Paraat understands ({FORMAT_VERSION})")]
    NewerFormat(u32),
    /// Chain broken (returned by operations that need an intact journal).
    #[error("{0}")]
    Broken(Broken),
    /// The journal is sealed and cannot be continued.
    #[error("the journal is sealed: the exercise has ended and cannot be resumed")]
    Sealed,
}

impl ReadError {
    /// The 1-based line the error is about (the header's for all but a broken chain).
    pub fn line(&self) -> usize {
        match self {
            ReadError::Broken(b) => b.line,
            _ => 1,
        }
    }

    /// The error as `FILE:LINE:1: error: WHAT`, the form every located message takes.
    pub fn located(&self, path: &Path) -> String {
        let full = self.to_string();
        let prefix = format!("line {}: ", self.line());
        let what = full.strip_prefix(&prefix).unwrap_or(&full);
        format!("{}:{}:1: error: {what}", path.display(), self.line())
    }
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {why}")]
pub struct Broken {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

/// A journal as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The header.
    pub header: Header,
    /// Every complete entry before any break, in order.
    pub entries: Vec<Entry>,
    /// A torn last line (a crash mid-write), cut: its line number and length in bytes.
    pub torn: Option<(usize, usize)>,
    /// The first line where the chain is broken or a line is not an entry.
    pub broken: Option<Broken>,
    /// Bytes of the file up to the end of the last valid line.
    pub valid_bytes: u64,
    /// Hash of the last valid line.
    pub last_hash: String,
    /// The seal, when the journal ends with one that checks out (a seal that does not is
    /// reported in `broken`).
    pub seal: Option<seal::SealInfo>,
}

/// Whether these entries record the exercise's end.
pub fn records_end(entries: &[Entry]) -> bool {
    entries.iter().any(|e| {
        matches!(
            &e.body,
            Body::Event(Event {
                kind: crate::engine::EventKind::Ended { .. },
                ..
            })
        )
    })
}

impl Read {
    /// Whether the journal ends with the exercise's end.
    pub fn finished(&self) -> bool {
        records_end(&self.entries)
    }

    /// The commands, with their times.
    pub fn commands(&self) -> impl Iterator<Item = (&Entry, &Command)> {
        self.entries.iter().filter_map(|e| match &e.body {
            Body::Command(c) => Some((e, c)),
            Body::Event(_) => None,
        })
    }

    /// The events, in order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.entries.iter().filter_map(|e| match &e.body {
            Body::Event(ev) => Some(ev),
            Body::Command(_) => None,
        })
    }
}

fn read_error(e: crate::files::FileError) -> ReadError {
    match e {
        crate::files::FileError::TooLarge(limit) => ReadError::TooLarge(limit),
        other => ReadError::Io(other.to_string()),
    }
}

/// Reads a journal file (a regular file of at most [`MAX_JOURNAL_BYTES`]).
pub fn read_file(path: &Path) -> Result<Read, ReadError> {
    let bytes = crate::files::read_regular(path, MAX_JOURNAL_BYTES).map_err(read_error)?;
    read_bytes(&bytes)
}

/// Reads a journal from bytes. Never panics: a torn last line is cut and reported; a line that
/// breaks the chain stops reading there and is reported.
pub fn read_bytes(bytes: &[u8]) -> Result<Read, ReadError> {
    let mut lines = Vec::new();
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            lines.push((start, i));
            start = i + 1;
        }
    }
    // Text after the last newline is a torn line: it was never completely written.
    let torn_tail = (start < bytes.len()).then(|| (lines.len() + 1, bytes.len() - start));
    let Some(&(h0, h1)) = lines.first() else {
        return Err(ReadError::BadHeader(if bytes.is_empty() {
            "the file is empty".into()
        } else {
            "the header line is incomplete".into()
        }));
    };
    let header_text = std::str::from_utf8(&bytes[h0..h1])
        .map_err(|_| ReadError::BadHeader("not UTF-8".into()))?;
    let header: Header =
        serde_json::from_str(header_text).map_err(|e| ReadError::BadHeader(e.to_string()))?;
    if header.format > FORMAT_VERSION {
        return Err(ReadError::NewerFormat(header.format));
    }
    let mut read = Read {
        header,
        entries: Vec::new(),
        torn: torn_tail,
        broken: None,
        valid_bytes: (h1 + 1) as u64,
        last_hash: line_hash(header_text),
        seal: None,
    };
    for (n, &(a, b)) in lines.iter().enumerate().skip(1) {
        let line_no = n + 1;
        let fail = |why: String| Broken { line: line_no, why };
        if let Some(s) = &read.seal {
            read.broken = Some(fail(format!(
                "a line after the seal on line {}: something was appended after the exercise was sealed",
                s.line
            )));
            break;
        }
        let Ok(text) = std::str::from_utf8(&bytes[a..b]) else {
            read.broken = Some(fail("not UTF-8 text".into()));
            break;
        };
        let entry: Entry = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(e) => {
                if let Ok(line) = serde_json::from_str::<seal::SealLine>(text) {
                    match line.check(&bytes[..a], &read.last_hash, read.entries.len() as u64) {
                        Ok(()) => {
                            read.seal = Some(seal::SealInfo {
                                line: line_no,
                                fingerprint: line.seal.fingerprint,
                                wall: line.wall,
                            });
                            read.last_hash = line_hash(text);
                            read.valid_bytes = (b + 1) as u64;
                            continue;
                        }
                        Err(why) => read.broken = Some(fail(format!("bad seal: {why}"))),
                    }
                } else {
                    read.broken = Some(fail(format!("not a journal entry: {e}")));
                }
                break;
            }
        };
        if entry.prev != read.last_hash {
            read.broken = Some(fail(
                "the hash chain is broken: this line or the one before it was edited, removed or inserted"
                    .into(),
            ));
            break;
        }
        let expected_seq = read.entries.last().map_or(1, |e: &Entry| e.seq + 1);
        if entry.seq != expected_seq {
            read.broken = Some(fail(format!(
                "sequence number {} where {expected_seq} was expected",
                entry.seq
            )));
            break;
        }
        read.last_hash = line_hash(text);
        read.valid_bytes = (b + 1) as u64;
        read.entries.push(entry);
    }
    if let (Some(s), None, Some((line, _))) = (&read.seal, &read.broken, read.torn) {
        read.broken = Some(Broken {
            line,
            why: format!(
                "text after the seal on line {}: something was appended after the exercise was sealed",
                s.line
            ),
        });
    }
    Ok(read)
}

/// A new journal path under `dir` for a scenario: `<scenario>-<timestamp>.jsonl`, with a suffix
/// if that exists, so no journal is ever overwritten.
#[allow(clippy::disallowed_methods)]
pub fn new_path(dir: &Path, scenario_id: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let safe: String = scenario_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut path = dir.join(format!("{safe}-{stamp}.jsonl"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{safe}-{stamp}-{n}.jsonl"));
    }
    path
}

#[cfg(test)]
mod tests;
