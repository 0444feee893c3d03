use super::*;

fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.ron");
    assert!(mkfifo(&fifo), "mkfifo");
    // Without the check, opening the FIFO waits for a writer forever.
    let err = read_regular(&fifo, 1024).expect_err("a FIFO is not read");
    assert_eq!(err, FileError::NotRegular("a FIFO (named pipe)"));
}

#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let err = read_regular(Path::new("/dev/zero"), 1024).expect_err("a device is not read");
    assert_eq!(err, FileError::NotRegular("a character device"));
}

#[test]
fn the_limit_holds_for_the_bytes_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("f");
    std::fs::write(&p, vec![b'x'; 101]).expect("write");
    assert_eq!(read_regular(&p, 100), Err(FileError::TooLarge(100)));
    assert_eq!(read_regular(&p, 101).expect("at the limit").len(), 101);
}

#[cfg(unix)]
#[test]
fn a_file_growing_past_its_reported_size_is_cut_at_the_limit() {
    // /proc files report size 0 but have content: only the bytes read count.
    let p = Path::new("/proc/self/status");
    if p.exists() {
        assert_eq!(read_regular(p, 4), Err(FileError::TooLarge(4)));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_ends_and_special_files_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("a.ron"), "Plan()").expect("write");
    std::os::unix::fs::symlink(".", root.join("loop")).expect("symlink");
    std::fs::create_dir(root.join("sub")).expect("mkdir");
    std::os::unix::fs::symlink("..", root.join("sub/up")).expect("symlink");
    std::fs::write(root.join("sub/b.ron"), "Plan()").expect("write");
    assert!(mkfifo(&root.join("fifo.ron")));
    let found = walk(root, "ron").expect("walk");
    let names: Vec<String> = found
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .expect("under root")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a.ron", "sub/b.ron"]);
}

#[cfg(unix)]
#[test]
fn a_planted_link_cannot_redirect_an_atomic_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").expect("write");
    let out = dir.path().join("report.html");
    // The old writer used `.report.html.tmp-<pid>`: a link there sent the write to the victim.
    let planted = dir
        .path()
        .join(format!(".report.html.tmp-{}", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).expect("symlink");
    write_atomic(&out, b"report").expect("write");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "report");
}

#[cfg(unix)]
#[test]
fn an_overwrite_keeps_the_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("notes.md");
    std::fs::write(&out, "old").expect("write");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    write_atomic(&out, b"new").expect("write");
    let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A new file gets the usual permissions, not the temporary file's 0600.
    let fresh = dir.path().join("fresh.md");
    write_atomic(&fresh, b"x").expect("write");
    let mode = std::fs::metadata(&fresh)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_ne!(mode & 0o044, 0, "mode {mode:o} under the usual umask");
}

#[test]
fn write_new_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("s.ron");
    std::fs::write(&out, "mine").expect("write");
    let err = write_new(&out, b"theirs").expect_err("exists");
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "mine");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
}

#[test]
fn kinds_are_told_from_the_first_bytes() {
    assert_eq!(
        sniff_bytes(b"{\"format\":1,\"scenario_id\":\"x\",\"source_hash\":\"y\"}\n"),
        Kind::Journal
    );
    assert_eq!(
        sniff_bytes("\u{feff}// c\n/* d */ Scenario (id: \"x\")".as_bytes()),
        Kind::Scenario
    );
    assert_eq!(sniff_bytes(b"Plan(id: \"x\")"), Kind::Plan);
    assert_eq!(sniff_bytes(b"id,at_min\n"), Kind::Other);
    assert_eq!(sniff_bytes(b"Planning notes"), Kind::Other);
}

#[test]
fn outputs_never_replace_their_inputs_or_journals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("j.jsonl");
    std::fs::write(
        &journal,
        "{\"format\":1,\"scenario_id\":\"x\",\"source_hash\":\"y\"}\n",
    )
    .expect("write");
    let scenario = dir.path().join("s.ron");
    std::fs::write(&scenario, "Scenario(id: \"x\")").expect("write");
    let csv = dir.path().join("r.csv");
    std::fs::write(&csv, "a,b\n").expect("write");
    assert!(refuse_overwrite(&journal, &[&journal], &[]).is_err());
    assert!(refuse_overwrite(&journal, &[], &[]).is_err());
    assert!(refuse_overwrite(&scenario, &[], &[]).is_err());
    assert!(refuse_overwrite(&scenario, &[], &[Kind::Scenario]).is_ok());
    assert!(refuse_overwrite(&csv, &[&journal], &[]).is_ok());
    assert!(refuse_overwrite(&csv, &[&csv], &[]).is_err());
    assert!(refuse_overwrite(&dir.path().join("new.html"), &[&journal], &[]).is_ok());
}
