//! Text made safe for where it goes: a terminal, a spreadsheet cell, a report.
//!
//! Scenario and journal text is written by people Paraat does not control. Printed raw, an
//! escape sequence in a title can clear or rewrite a terminal; a cell starting with `=` becomes a
//! live formula in a spreadsheet; a right-to-left override makes a report read differently from
//! what it holds.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they
/// reorder the text after them on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters (C0 but line feed and tab, DEL, C1 — escape
/// sequences start with these) and bidirectional controls are removed.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if s.chars().any(bad) {
        Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Text for a report: each bidirectional control is shown as its code (`[U+202E]`) instead of
/// acting on the text around it, and control characters other than line breaks and tabs are
/// dropped. What the text holds stays visible; it can no longer disguise itself.
pub fn report_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_bidi_control(c) {
            let _ = write!(out, "[U+{:04X}]", c as u32);
        } else if !bad(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A spreadsheet cell that cannot start a formula (OWASP's CSV-injection rule): a cell starting
/// with `=`, `+`, `-`, `@`, tab or carriage return gets a leading single quote. A cell that
/// itself starts with a single quote gets one more, so that [`csv_cell_unguard`] gives back
/// exactly what was guarded.
pub fn csv_cell_guard(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Undoes [`csv_cell_guard`]: a leading single quote is removed when what follows would have
/// been guarded. A cell a person typed with a quote before ordinary text is left as it is.
pub fn csv_cell_unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest)
            if matches!(
                rest.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')
            ) =>
        {
            rest
        }
        _ => s,
    }
}

/// A writer that passes text through [`terminal_safe`]: for everything the command line prints
/// for a person to read. A character split over two writes is held until the rest arrives.
pub struct TerminalSafe<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> TerminalSafe<W> {
    /// Wraps a writer.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }
}

/// Where an incomplete UTF-8 sequence at the end of `b` starts (`b.len()` if there is none).
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=b.len().min(3) {
        let i = b.len() - back;
        let lead = b[i];
        if lead & 0xC0 == 0x80 {
            continue; // A continuation byte: look further back.
        }
        let need = match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { i } else { b.len() };
    }
    b.len()
}

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(buf);
        let cut = incomplete_tail(&data);
        self.pending = data[cut..].to_vec();
        let text = String::from_utf8_lossy(&data[..cut]);
        self.inner.write_all(terminal_safe(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            self.inner.write_all(terminal_safe(&text).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn terminals_get_no_escape_sequences() {
        assert_eq!(
            terminal_safe("a\u{1b}[2J\u{1b}]0;x\u{7}b\r\n\tc\u{9b}d\u{202e}e"),
            "a[2J]0;xb\n\tcde"
        );
        assert!(matches!(terminal_safe("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_filters_across_split_characters() {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out);
            let s = "é\u{1b}[2J\u{202e}ü".as_bytes();
            // Split inside "é" and inside the override.
            w.write_all(&s[..1]).expect("write");
            w.write_all(&s[1..7]).expect("write");
            w.write_all(&s[7..]).expect("write");
        }
        assert_eq!(String::from_utf8(out).expect("utf8"), "é[2Jü");
    }

    #[test]
    fn reports_show_overrides_instead_of_obeying_them() {
        assert_eq!(report_safe("abc\u{202e}fed\u{1b}"), "abc[U+202E]fed");
    }

    #[test]
    fn csv_guard_round_trips() {
        for s in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'quoted",
            "''",
            "'=x",
            "plain",
            "",
            "'",
        ] {
            let g = csv_cell_guard(s);
            assert!(
                !matches!(g.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "{s:?} guarded as {g:?}"
            );
            assert_eq!(csv_cell_unguard(&g), s, "{s:?}");
        }
    }
}
