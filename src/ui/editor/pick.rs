//! Choosing an attachment's file with the desktop's file dialog. A file inside the scenario's
//! folder is named by its path relative to it; a file elsewhere is copied into the folder's
//! `bijlagen/` first (an attachment must lie beside the scenario), never over another file.

use std::path::{Path, PathBuf};

use crate::i18n::tr;
use crate::model::{AttachmentKind, Lang, authoring};

/// Where a chosen file went.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Placed {
    /// The path to write in `file`, relative to the scenario's folder, with `/`.
    pub file: String,
    /// Whether it was copied into the folder (rather than found there).
    pub copied: bool,
}

/// The relative path for `picked` as an attachment of the scenario at `scenario`, copying it
/// into `bijlagen/` when it lies outside the scenario's folder. Refuses files that are not PNG,
/// JPEG or PDF by content or are over the size limit, as the validator would.
pub(super) fn place(scenario: &Path, picked: &Path) -> Result<Placed, String> {
    let folder = scenario
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let real = picked.canonicalize().map_err(|e| e.to_string())?;
    let bytes = crate::files::read_regular(&real, authoring::MAX_ATTACHMENT_BYTES)
        .map_err(|e| e.to_string())?;
    if AttachmentKind::sniff(&bytes).is_none() {
        return Err(authoring::AttachmentError::UnknownType.to_string());
    }
    if let Ok(rel) = real.strip_prefix(&folder) {
        return Ok(Placed {
            file: slash_path(rel),
            copied: false,
        });
    }
    let name = real
        .file_name()
        .map_or_else(|| "bijlage".into(), |n| n.to_string_lossy().into_owned());
    let dir = folder.join("bijlagen");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem}-{n}{ext}")
        };
        let target = dir.join(&candidate);
        match crate::files::read_regular(&target, authoring::MAX_ATTACHMENT_BYTES) {
            // The same file is already there: use it.
            Ok(existing) if existing == bytes => {
                return Ok(Placed {
                    file: format!("bijlagen/{candidate}"),
                    copied: false,
                });
            }
            // A name that is free: copy the file there.
            Err(_) if !target.exists() => {
                crate::files::write_atomic(&target, &bytes).map_err(|e| e.to_string())?;
                return Ok(Placed {
                    file: format!("bijlagen/{candidate}"),
                    copied: true,
                });
            }
            // Another file (or something unreadable) has the name: try the next.
            _ => {}
        }
    }
    Err(format!("no free name for {name} in {}", dir.display()))
}

fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Asks for a file with the desktop's dialog, starting in the scenario's folder.
pub(super) fn dialog(scenario: &Path, lang: Lang) -> Option<PathBuf> {
    let folder = scenario
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    rfd::FileDialog::new()
        .set_title(tr(lang, "Bijlage kiezen", "Choose an attachment"))
        .add_filter("PNG, JPEG, PDF", &["png", "jpg", "jpeg", "pdf"])
        .set_directory(folder)
        .pick_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really more";

    #[test]
    fn a_file_in_the_folder_is_named_and_one_elsewhere_is_copied_beside_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let scen = tmp.path().join("s");
        std::fs::create_dir_all(scen.join("kaarten")).expect("dir");
        let scenario = scen.join("x.ron");
        std::fs::write(scen.join("kaarten/a.png"), PNG).expect("write");
        assert_eq!(
            place(&scenario, &scen.join("kaarten/a.png")),
            Ok(Placed {
                file: "kaarten/a.png".into(),
                copied: false
            })
        );
        // From elsewhere: copied into bijlagen/, then found there the second time.
        let outside = tmp.path().join("foto.png");
        std::fs::write(&outside, PNG).expect("write");
        let first = place(&scenario, &outside).expect("placed");
        assert_eq!(first.file, "bijlagen/foto.png");
        assert!(first.copied);
        assert_eq!(
            std::fs::read(scen.join("bijlagen/foto.png")).expect("copy"),
            PNG
        );
        assert!(!place(&scenario, &outside).expect("again").copied);
        // Another file of the same name is never written over.
        let other = tmp.path().join("o");
        std::fs::create_dir_all(&other).expect("dir");
        std::fs::write(other.join("foto.png"), b"\x89PNG\r\n\x1a\nother").expect("write");
        assert_eq!(
            place(&scenario, &other.join("foto.png"))
                .expect("placed")
                .file,
            "bijlagen/foto-2.png"
        );
        assert_eq!(
            std::fs::read(scen.join("bijlagen/foto.png")).expect("kept"),
            PNG
        );
        // Not a picture or PDF by content: refused, nothing copied.
        std::fs::write(tmp.path().join("t.png"), b"text").expect("write");
        assert!(place(&scenario, &tmp.path().join("t.png")).is_err());
        assert!(!scen.join("bijlagen/t.png").exists());
    }
}
