//! Writes the hostile scenario shapes of issue 12 (each under the 8 MiB limit) to a folder, to
//! time `paraat validate` on them by hand:
//!
//! ```sh
//! cargo run --release --example hostile_scenarios -- /tmp/hostile
//! for f in /tmp/hostile/*.ron; do /usr/bin/time -f "%e s %M KiB $f" target/release/paraat validate --quiet "$f" | tail -1; done
//! ```

#[path = "../benches/common/hostile.rs"]
mod hostile;

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| std::path::PathBuf::from("hostile"), Into::into);
    std::fs::create_dir_all(&dir)?;
    for (name, text) in hostile::full_size() {
        let path = dir.join(name);
        std::fs::write(&path, &text)?;
        println!("{} ({} bytes)", path.display(), text.len());
    }
    Ok(())
}
