//! Sealing a finished journal: the last line of a journal whose exercise ended is an Ed25519
//! signature, with a per-installation key, of everything before it.
//!
//! The hash chain alone is unkeyed: anyone can edit a line and recompute every hash after it.
//! The seal is keyed: after sealing, an edit, a removed line or a line appended can only be
//! hidden by signing again, which needs the secret key of the installation that sealed it (or a
//! different key, whose fingerprint then differs from the facilitator's). The seal also records
//! the end explicitly: a journal that stops without one either crashed, or lost its tail.
//!
//! The key is kept in the user's configuration folder (`seal.key` under `paraat/`, readable by
//! the user only), created on first use; `PARAAT_SEAL_KEY` names another file (for tests, or
//! for a key kept on a USB stick).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The environment variable that names the seal key file instead of the default.
pub const KEY_ENV: &str = "PARAAT_SEAL_KEY";

/// First line of a key file; the second is the secret key in hex.
const KEY_MAGIC: &str = "paraat-seal-key-v1";

/// Why the seal key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// No place for the key: no configuration folder and no `PARAAT_SEAL_KEY`.
    #[error("no configuration folder for the seal key; set {KEY_ENV} to a file path")]
    NoPlace,
    /// The key file could not be read or created.
    #[error("seal key {path}: {reason}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The key file is not a Paraat seal key.
    #[error("seal key {path}: not a Paraat seal key ({why})")]
    Bad {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// Other users can read the key file.
    #[error(
        "seal key {path}: other users can read it (mode {mode:o}); make it private: chmod 600 {path}"
    )]
    NotPrivate {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
}

/// A per-installation signing key.
pub struct SealKey {
    signing: SigningKey,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("SealKey")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// Lower-case hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The fingerprint of a public key: the first 16 bytes of its SHA-256, in groups of four hex
/// digits (`3f2a-91c0-…`), short enough to read aloud and compare.
pub fn fingerprint_of(public: &[u8; 32]) -> String {
    let digest = Sha256::digest(public);
    hex(&digest[..16])
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The default key file: `PARAAT_SEAL_KEY`, else `paraat/seal.key` in the platform's
/// configuration folder (`$XDG_CONFIG_HOME` or `~/.config` on Linux).
pub fn key_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(KEY_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("paraat").join("seal.key"))
}

impl SealKey {
    /// A key from its 32 secret bytes.
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(&secret),
        }
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, SealError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| SealError::Io {
            path: PathBuf::new(),
            reason: format!("no randomness from the operating system: {e}"),
        })?;
        Ok(Self::from_secret(secret))
    }

    /// Reads the key at `path`; never creates one.
    pub fn load(path: &Path) -> Result<Self, SealError> {
        let io = |e: std::io::Error| SealError::Io {
            path: path.to_owned(),
            reason: e.to_string(),
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let bad = |why: &str| SealError::Bad {
            path: path.to_owned(),
            why: why.to_owned(),
        };
        if !meta.is_file() {
            return Err(bad("not a regular file"));
        }
        if meta.len() > 1024 {
            return Err(bad("too large"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(SealError::NotPrivate {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let mut lines = text.lines();
        if lines.next() != Some(KEY_MAGIC) {
            return Err(bad("the first line is not paraat-seal-key-v1"));
        }
        let secret = lines
            .next()
            .and_then(unhex::<32>)
            .ok_or_else(|| bad("the second line is not 64 hex digits"))?;
        Ok(Self::from_secret(secret))
    }

    /// Reads the key at `path`, or creates it (readable by the user only) if there is none.
    pub fn load_or_create(path: &Path) -> Result<Self, SealError> {
        match std::fs::symlink_metadata(path) {
            Ok(_) => return Self::load(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(SealError::Io {
                    path: path.to_owned(),
                    reason: e.to_string(),
                });
            }
        }
        let io = |e: std::io::Error| SealError::Io {
            path: path.to_owned(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir).map_err(io)?;
        }
        let key = Self::generate()?;
        // Written whole under a temporary name, then linked into place: another Paraat that
        // starts at the same moment sees either no key or a complete one, never half a file.
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| SealError::Io {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let tmp = path.with_file_name(format!(
            ".seal.key.tmp-{}-{}",
            std::process::id(),
            hex(&nonce)
        ));
        let mut opts = std::fs::OpenOptions::new();
        // Exclusive: never over an existing file or through a planted link.
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let text = format!("{KEY_MAGIC}\n{}\n", hex(&key.signing.to_bytes()));
        let written = opts
            .open(&tmp)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()));
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            // Another Paraat created it a moment ago: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Self::load(path),
            Err(e) => return Err(io(e)),
        }
        Ok(key)
    }

    /// The public key, in hex.
    pub fn public_hex(&self) -> String {
        hex(self.signing.verifying_key().as_bytes())
    }

    /// The public key's fingerprint, see [`fingerprint_of`].
    pub fn fingerprint(&self) -> String {
        fingerprint_of(self.signing.verifying_key().as_bytes())
    }

    /// The seal line for a journal whose bytes so far are `before`, ending in a line with hash
    /// `chain_head`, after `entries` entries.
    pub fn seal_line(
        &self,
        before: &[u8],
        chain_head: &str,
        entries: u64,
        wall: String,
    ) -> SealLine {
        let sha256 = hex(&Sha256::digest(before));
        let signature = self
            .signing
            .sign(&message(chain_head, &sha256, entries))
            .to_bytes();
        SealLine {
            entries,
            wall,
            prev: chain_head.to_owned(),
            seal: Seal {
                alg: "ed25519".into(),
                key: self.public_hex(),
                fingerprint: self.fingerprint(),
                sha256,
                signature: hex(&signature),
            },
        }
    }
}

/// What is signed: the chain head, the SHA-256 of every byte before the seal line and the
/// number of entries, under a label so the signature means nothing anywhere else.
fn message(chain_head: &str, sha256: &str, entries: u64) -> Vec<u8> {
    format!("paraat journal seal v1\nentries {entries}\nchain head {chain_head}\nsha256 {sha256}\n")
        .into_bytes()
}

/// The last line of a sealed journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealLine {
    /// How many entries the journal has before the seal.
    pub entries: u64,
    /// Wall-clock time of sealing, RFC 3339.
    pub wall: String,
    /// Hash of the line before (the chain head).
    pub prev: String,
    /// The signature.
    pub seal: Seal,
}

/// The signature of a [`SealLine`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// Always `ed25519`.
    pub alg: String,
    /// The public key, hex.
    pub key: String,
    /// The public key's fingerprint.
    pub fingerprint: String,
    /// SHA-256 of every byte of the journal before the seal line, hex.
    pub sha256: String,
    /// The Ed25519 signature, hex.
    pub signature: String,
}

/// A seal that checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealInfo {
    /// The 1-based line of the seal.
    pub line: usize,
    /// The fingerprint of the key that sealed it.
    pub fingerprint: String,
    /// When it was sealed.
    pub wall: String,
}

impl SealLine {
    /// Checks the seal against the journal's bytes before it, its chain head and its entry
    /// count; says what is wrong otherwise.
    pub fn check(&self, before: &[u8], chain_head: &str, entries: u64) -> Result<(), String> {
        let s = &self.seal;
        if s.alg != "ed25519" {
            return Err(format!("the seal uses \"{}\", not ed25519", s.alg));
        }
        if self.prev != chain_head || self.entries != entries {
            return Err(
                "the seal does not follow the line before it: a line before the seal was removed, inserted or edited"
                    .into(),
            );
        }
        let key = unhex::<32>(&s.key)
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .ok_or("the seal's public key is not a valid Ed25519 key")?;
        if fingerprint_of(key.as_bytes()) != s.fingerprint {
            return Err("the seal's fingerprint does not belong to its key".into());
        }
        if hex(&Sha256::digest(before)) != s.sha256 {
            return Err(
                "the journal before the seal is not what was sealed: it was changed after sealing"
                    .into(),
            );
        }
        let signature = unhex::<64>(&s.signature)
            .map(|b| Signature::from_bytes(&b))
            .ok_or("the seal's signature is not 64 bytes of hex")?;
        key.verify_strict(&message(chain_head, &s.sha256, entries), &signature)
            .map_err(|_| {
                "the seal's signature does not match: the journal or its seal was changed after sealing"
                    .to_owned()
            })
    }
}

static INSTALLATION: OnceLock<Option<Arc<SealKey>>> = OnceLock::new();

/// Makes the installation's key (see [`key_path`]; created on first use) the one new and
/// resumed sessions seal with. Front ends call this once at start; library users and tests that
/// do not, get sessions that do not seal unless given a key. Returns the key's fingerprint.
pub fn use_installation_key() -> Result<String, SealError> {
    let key = key_path()
        .ok_or(SealError::NoPlace)
        .and_then(|p| SealKey::load_or_create(&p))
        .map(Arc::new);
    let fingerprint = key.as_ref().map(|k| k.fingerprint()).map_err(Clone::clone);
    let _ = INSTALLATION.set(key.ok());
    fingerprint
}

/// The key set by [`use_installation_key`], if any.
pub fn installation_key() -> Option<Arc<SealKey>> {
    INSTALLATION.get().cloned().flatten()
}

/// The fingerprint of this installation's key, if it has one (read, never created): the key a
/// journal sealed here is expected to carry.
pub fn installation_fingerprint() -> Option<String> {
    if let Some(k) = installation_key() {
        return Some(k.fingerprint());
    }
    let path = key_path()?;
    SealKey::load(&path).ok().map(|k| k.fingerprint())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_checks_and_any_change_breaks_it() {
        let key = SealKey::from_secret([7; 32]);
        let before = b"header\nline one\n";
        let line = key.seal_line(before, "abc", 1, "now".into());
        assert_eq!(line.check(before, "abc", 1), Ok(()));
        assert!(line.check(b"header\nline 1\n", "abc", 1).is_err());
        assert!(line.check(before, "abd", 1).is_err());
        assert!(line.check(before, "abc", 2).is_err());
        let mut other = line.clone();
        let last = other.seal.signature.pop().expect("hex");
        other
            .seal
            .signature
            .push(if last == '0' { '1' } else { '0' });
        assert!(other.check(before, "abc", 1).is_err());
        // Re-signed with another key: it checks, but the fingerprint differs.
        let forged = SealKey::from_secret([8; 32]).seal_line(before, "abc", 1, "now".into());
        assert_eq!(forged.check(before, "abc", 1), Ok(()));
        assert_ne!(forged.seal.fingerprint, line.seal.fingerprint);
        // A key that is not the fingerprint's.
        let mut swapped = line.clone();
        swapped.seal.key = forged.seal.key.clone();
        assert!(swapped.check(before, "abc", 1).is_err());
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("sub").join("seal.key");
        let a = SealKey::load_or_create(&path).expect("created");
        let b = SealKey::load_or_create(&path).expect("read");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 39);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert!(matches!(
                SealKey::load(&path),
                Err(SealError::NotPrivate { .. })
            ));
        }
        let junk = dir.path().join("junk.key");
        std::fs::write(&junk, "hello\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&junk, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert!(matches!(SealKey::load(&junk), Err(SealError::Bad { .. })));
    }
}
