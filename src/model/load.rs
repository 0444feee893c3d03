//! Loading plan and scenario files: text in, typed model or precise diagnostics out.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::diag::{Diagnostic, Problem};
use super::locate::{Locator, Pos};
use super::{Plan, Scenario};

/// Largest file the loader reads. The biggest shipped scenario is far below this; a larger file
/// is almost certainly not a scenario.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Deepest bracket nesting the loader accepts (deep `All`/`Any` trees stay far below this).
pub const MAX_NESTING: usize = 64;

/// A file that parsed, with its source kept for locating later findings.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Where it came from.
    pub path: PathBuf,
    /// The text, as read.
    pub source: String,
    /// The typed value.
    pub value: T,
    /// Tokens of the source, to place diagnostics.
    pub locator: Locator,
}

impl<T> Loaded<T> {
    /// Hex SHA-256 of the source text.
    pub fn hash(&self) -> String {
        sha256_hex(self.source.as_bytes())
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A parsed file of either kind.
#[derive(Debug, Clone)]
pub enum AnyFile {
    /// A plan catalogue.
    Plan(Box<Loaded<Plan>>),
    /// A scenario.
    Scenario(Box<Loaded<Scenario>>),
}

/// Reads a file from disk, with the size limit, and parses it.
pub fn load_file(path: &Path) -> Result<AnyFile, Diagnostic> {
    let source = read_limited(path)?;
    parse_any(path, source)
}

/// Reads a text file: only a regular file (never a device, FIFO or socket), at most
/// [`MAX_FILE_BYTES`] bytes actually read, valid UTF-8. A UTF-8 byte-order mark (as Notepad
/// writes) is dropped.
pub fn read_limited(path: &Path) -> Result<String, Diagnostic> {
    let at = Pos { line: 1, col: 1 };
    let bytes = crate::files::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::files::FileError::TooLarge(limit) => {
            Diagnostic::error(path, at, Problem::TooLarge { limit })
                .with_help("split the scenario, or check that this is the right file")
        }
        other => Diagnostic::error(
            path,
            at,
            Problem::Io {
                reason: other.to_string(),
            },
        ),
    })?;
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let pos = pos_of_offset(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Diagnostic::error(
            path,
            pos,
            Problem::Syntax {
                message: "the file is not valid UTF-8 text".into(),
            },
        )
        .with_help("save the file as UTF-8")
    })
}

/// Parses text that claims to be from `path` as a plan or a scenario, by its first struct name.
pub fn parse_any(path: &Path, source: String) -> Result<AnyFile, Diagnostic> {
    let locator = Locator::new(&source);
    match locator.top_level() {
        Some((Some("Plan"), _)) => {
            parse_with(path, source, locator).map(|l| AnyFile::Plan(Box::new(l)))
        }
        Some((Some("Scenario"), _)) => {
            parse_with(path, source, locator).map(|l| AnyFile::Scenario(Box::new(l)))
        }
        other => {
            if let Some(d) = unclosed_comment(path, &source) {
                return Err(d);
            }
            let (found, pos) = match other {
                Some((Some(name), pos)) => (format!("`{name}`"), pos),
                Some((None, pos)) => ("a struct without a name".to_owned(), pos),
                None => ("nothing".to_owned(), Pos { line: 1, col: 1 }),
            };
            Err(
                Diagnostic::error(path, pos, Problem::UnknownFileKind { found })
                    .with_help("a plan file starts with `Plan(`, a scenario with `Scenario(`"),
            )
        }
    }
}

/// Parses a plan from text.
pub fn parse_plan(path: &Path, source: String) -> Result<Loaded<Plan>, Diagnostic> {
    let locator = Locator::new(&source);
    parse_with(path, source, locator)
}

/// Parses a scenario from text.
pub fn parse_scenario(path: &Path, source: String) -> Result<Loaded<Scenario>, Diagnostic> {
    let locator = Locator::new(&source);
    parse_with(path, source, locator)
}

fn parse_with<T: serde::de::DeserializeOwned>(
    path: &Path,
    source: String,
    locator: Locator,
) -> Result<Loaded<T>, Diagnostic> {
    let scanned = scan(&source);
    let too_deep = |pos| {
        Diagnostic::error(path, pos, Problem::TooDeep { limit: MAX_NESTING })
            .with_help("flatten nested conditions with All([...]) or Any([...])")
    };
    if let Some(pos) = scanned.too_deep {
        return Err(too_deep(pos));
    }
    if let Some(d) = unclosed_comment(path, &source) {
        return Err(d);
    }
    // A file from a newer Paraat: say so before its new fields read as misspellings.
    check_format(path, &source, &locator)?;
    let options = ron::Options::default().with_recursion_limit(MAX_NESTING * 2);
    match options.from_str::<T>(&source) {
        Ok(value) => Ok(Loaded {
            path: path.to_owned(),
            source,
            value,
            locator,
        }),
        Err(e) => {
            let pos = Pos {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            };
            // Nesting the scan above did not see (it should see all): still our message, never
            // ron's advice to raise its limit.
            if matches!(e.code, ron::Error::ExceededRecursionLimit) {
                return Err(too_deep(pos));
            }
            let message = e.code.to_string();
            // ron reports trailing text just after the value; point at the text itself.
            let pos = if matches!(e.code, ron::Error::TrailingCharacters) {
                next_text_pos(&source, pos)
            } else {
                pos
            };
            // A negative number where only 0 and up fit: ron points at the digits; point at
            // the minus sign and say so.
            if matches!(e.code, ron::Error::IntegerOutOfBounds)
                && let Some(minus) = minus_before(&source, pos)
            {
                return Err(Diagnostic::error(
                    path,
                    minus,
                    Problem::Syntax {
                        message: "a negative number where only 0 or more is allowed".into(),
                    },
                )
                .with_help("remove the minus sign; times and counts are whole numbers from 0 up"));
            }
            // ron's advice for a bare number in a typed value (`Set("x", 3)`) is to write a raw
            // identifier `r#3`, which is never the fix: say what it is.
            let message = if message.contains("invalid std identifier") {
                "a bare value where its type is needed".to_owned()
            } else {
                message
            };
            let help = syntax_help(&message, &source, pos);
            let d = Diagnostic::error(path, pos, Problem::Syntax { message });
            Err(match help {
                Some(h) => d.with_help(h),
                None => d,
            })
        }
    }
}

/// Refuses a file whose top-level `format: N` is a version this build does not read (0, or newer
/// than [`super::CURRENT_FORMAT`]), at the number. A value that is not a whole number is left to
/// the parser, which says what it expected.
fn check_format(path: &Path, source: &str, locator: &Locator) -> Result<(), Diagnostic> {
    let Some(range) = locator.fields(locator.all()).range("format") else {
        return Ok(());
    };
    let pos = locator.pos(range);
    let Some(line) = source.split('\n').nth(pos.line.saturating_sub(1)) else {
        return Ok(());
    };
    let value: String = line
        .chars()
        .skip(pos.col.saturating_sub(1))
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let newest = super::CURRENT_FORMAT;
    match value.parse::<u32>() {
        Ok(v) if (1..=newest).contains(&v) => Ok(()),
        Ok(0) => Err(Diagnostic::error(
            path,
            pos,
            Problem::UnsupportedFormat {
                found: value,
                newest,
            },
        )
        .with_help(format!(
            "versions start at 1; write `format: {newest}`, or leave the field out for version 1"
        ))),
        _ => Err(Diagnostic::error(
            path,
            pos,
            Problem::UnsupportedFormat {
                found: value,
                newest,
            },
        )
        .with_help(format!(
            "the file was written for a newer Paraat: update Paraat, or (if you wrote the number) use `format: {newest}`"
        ))),
    }
}

/// Advice for the most common RON mistakes, keyed on the parser's message.
fn syntax_help(message: &str, source: &str, pos: Pos) -> Option<String> {
    let m = message.to_lowercase();
    // The character just before the error, white space skipped.
    let before = source
        .lines()
        .nth(pos.line.saturating_sub(1))
        .map(|l| {
            l.chars()
                .take(pos.col.saturating_sub(1))
                .collect::<String>()
        })
        .and_then(|l| l.trim_end().chars().last());
    let help = if m == "expected comma" && before == Some('"') {
        "a text is probably not closed earlier: everything up to this `\"` was read as one \
         string. Check that each text on this line (and the lines before) ends with `\"`"
    } else if m == "expected comma" {
        "add a comma: each `field: value` and each item in a `[...]` list ends with `,`"
    } else if m == "expected option" {
        "this field is optional: write its value inside `Some(...)`, e.g. `at_min: Some(10)` or \
         `default: Some(\"wait\")`, or write `None`"
    } else if m == "a bare value where its type is needed" {
        "a value needs its type: write `Int(3)` for a number or `Bool(true)` for yes/no, \
         e.g. `Set(\"casualties\", Int(3))`"
    } else if m.contains("unexpected field") || m.contains("no such field") {
        "check the field name against scenarios/README.md; field names are case-sensitive"
    } else if m.contains("missing field") || m.contains("missing struct field") {
        "add the field; scenarios/README.md lists the required fields of each struct"
    } else if m.contains("unexpected end") || m.contains("eof") {
        "a bracket or quote is not closed"
    } else if m.contains("expected") && m.contains("string") {
        "ids and texts are double-quoted strings: \"like-this\""
    } else if m.contains("variant") {
        "check the spelling of the enum value against scenarios/README.md"
    } else if m.contains("trailing") {
        "there is text after the end of the top-level struct"
    } else {
        return None;
    };
    Some(help.to_owned())
}

/// What a pass over the source finds before parsing: the first bracket nested deeper than
/// [`MAX_NESTING`], and a block comment that is never closed (where it opens).
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    too_deep: Option<Pos>,
    unclosed_comment: Option<Pos>,
    /// Lines that hold (part of) a comment.
    comment_lines: usize,
}

/// Scans RON as ron's lexer does: strings with escapes, raw strings (`r"…"`, `r#"…"#`), char
/// literals, line comments and nested block comments; brackets count only outside them.
fn scan(source: &str) -> Scan {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Scan::default();
    let mut depth = 0usize;
    let (mut line, mut col) = (1usize, 1usize);
    // Open block comments, with where the outermost one opened.
    let mut comments = 0usize;
    let mut comment_at = Pos { line: 1, col: 1 };
    let mut i = 0usize;
    // The last line counted in `out.comment_lines`.
    let mut counted = 0usize;
    let mut count = |line: usize, out: &mut Scan| {
        if line != counted {
            counted = line;
            out.comment_lines += 1;
        }
    };
    // Advances over `n` characters, keeping the position.
    let step = |i: &mut usize, n: usize, line: &mut usize, col: &mut usize| {
        for _ in 0..n {
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if comments > 0 {
            if !c.is_whitespace() {
                count(line, &mut out);
            }
            match (c, next) {
                ('*', Some('/')) => {
                    comments -= 1;
                    step(&mut i, 2, &mut line, &mut col);
                }
                ('/', Some('*')) => {
                    comments += 1;
                    step(&mut i, 2, &mut line, &mut col);
                }
                _ => step(&mut i, 1, &mut line, &mut col),
            }
            continue;
        }
        match (c, next) {
            ('/', Some('/')) => {
                count(line, &mut out);
                while i < chars.len() && chars[i] != '\n' {
                    step(&mut i, 1, &mut line, &mut col);
                }
            }
            ('/', Some('*')) => {
                count(line, &mut out);
                comments = 1;
                comment_at = Pos { line, col };
                step(&mut i, 2, &mut line, &mut col);
            }
            ('"', _) => {
                step(&mut i, 1, &mut line, &mut col);
                while i < chars.len() && chars[i] != '"' {
                    let n = if chars[i] == '\\' { 2 } else { 1 };
                    step(&mut i, n, &mut line, &mut col);
                }
                step(&mut i, 1, &mut line, &mut col);
            }
            ('\'', _) => {
                // A char literal: 'x' or '\''.
                step(&mut i, 1, &mut line, &mut col);
                while i < chars.len() && chars[i] != '\'' && chars[i] != '\n' {
                    let n = if chars[i] == '\\' { 2 } else { 1 };
                    step(&mut i, n, &mut line, &mut col);
                }
                step(&mut i, 1, &mut line, &mut col);
            }
            ('r', Some('"' | '#'))
                if i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') =>
            {
                let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    step(&mut i, 1, &mut line, &mut col);
                    continue;
                }
                step(&mut i, 2 + hashes, &mut line, &mut col);
                // Ends at `"` followed by as many `#`.
                while i < chars.len() {
                    if chars[i] == '"'
                        && chars[i + 1..].iter().take_while(|&&h| h == '#').count() >= hashes
                    {
                        step(&mut i, 1 + hashes, &mut line, &mut col);
                        break;
                    }
                    step(&mut i, 1, &mut line, &mut col);
                }
            }
            ('(' | '[' | '{', _) => {
                depth += 1;
                if depth > MAX_NESTING && out.too_deep.is_none() {
                    out.too_deep = Some(Pos { line, col });
                }
                step(&mut i, 1, &mut line, &mut col);
            }
            (')' | ']' | '}', _) => {
                depth = depth.saturating_sub(1);
                step(&mut i, 1, &mut line, &mut col);
            }
            _ => step(&mut i, 1, &mut line, &mut col),
        }
    }
    if comments > 0 {
        out.unclosed_comment = Some(comment_at);
    }
    out
}

/// How many lines of a RON source hold a comment (line or block comments; `//` inside a
/// string is not one).
pub fn comment_lines(source: &str) -> usize {
    scan(source).comment_lines
}

/// The error for a block comment that is never closed: everything after it is hidden from the
/// parser, which would otherwise complain about the end of the file or find nothing at all.
fn unclosed_comment(path: &Path, source: &str) -> Option<Diagnostic> {
    scan(source).unclosed_comment.map(|pos| {
        Diagnostic::error(
            path,
            pos,
            Problem::Syntax {
                message: "this block comment is never closed: `/*` has no matching `*/`".into(),
            },
        )
        .with_help("close the comment with `*/`, or remove the `/*`")
    })
}

/// The first character at or after `from` that is neither white space nor a comment.
fn next_text_pos(source: &str, from: Pos) -> Pos {
    let mut line = 1usize;
    let mut col = 1usize;
    let mut chars = source.chars().peekable();
    let mut in_line_comment = false;
    let mut in_block = 0usize;
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        let here = Pos { line, col };
        if here >= from && !in_line_comment && in_block == 0 {
            if c == '/' && matches!(chars.peek(), Some('/' | '*')) {
                // A comment starts: handled below.
            } else if !c.is_whitespace() {
                return here;
            }
        }
        if in_line_comment {
            if c == '\n' {
                in_line_comment = false;
            }
        } else if in_block > 0 {
            if prev == '*' && c == '/' {
                in_block -= 1;
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            in_line_comment = true;
        } else if c == '/' && chars.peek() == Some(&'*') {
            in_block += 1;
        }
        prev = c;
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    from
}

/// The position of a `-` just before `pos` (white space between allowed), if there is one.
fn minus_before(source: &str, pos: Pos) -> Option<Pos> {
    let line = source.split('\n').nth(pos.line.checked_sub(1)?)?;
    let before: Vec<char> = line.chars().take(pos.col.saturating_sub(1)).collect();
    let mut col = before.len();
    while col > 0 && before[col - 1].is_whitespace() {
        col -= 1;
    }
    (col > 0 && before[col - 1] == '-').then_some(Pos {
        line: pos.line,
        col,
    })
}

fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos { line, col }
}

/// Every `.ron` file under `path` (or `path` itself if it is a file), sorted, skipping hidden
/// entries, special files and symbolic-link loops.
pub fn ron_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::files::walk(path, "ron")
}

/// The built-in scenario library: `PARAAT_SCENARIOS` if set, else `./scenarios` if it exists,
/// else the `scenarios/` folder of the source tree this binary was built from.
pub fn builtin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PARAAT_SCENARIOS") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("scenarios");
    if local.join("plan").is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_at_the_line_and_column_of_the_first_bracket_too_deep() {
        // Brackets in a comment and in a string do not count. `Scenario(` is depth 1, so the
        // 64th `[` on line 4 is the first one deeper than 64: column 14 + 63.
        let src = format!(
            "Scenario(\n    // a ( comment [ with brackets {{\n    id: \"((([[[\",\n    injects: {}",
            "[".repeat(70)
        );
        assert_eq!(MAX_NESTING, 64, "the arithmetic below assumes 64");
        let err = parse_any(Path::new("x.ron"), src).expect_err("too deep");
        assert_eq!(err.problem.code(), "too-deep");
        assert_eq!((err.pos.line, err.pos.col), (4, 14 + 63));
    }

    #[test]
    fn a_file_that_is_neither_plan_nor_scenario_is_reported_as_such() {
        let err = parse_any(Path::new("x.ron"), "Foo()".into()).expect_err("not a plan");
        assert_eq!(err.problem.code(), "unknown-file-kind");
    }

    #[test]
    fn comment_lines_are_counted_outside_strings_only() {
        let src = "// one\nScenario( // two\n  url: \"https://x.nl/a\", r#\"/* no \"#,\n  /* three\n  four */ id: \"x\",\n)\n";
        assert_eq!(comment_lines(src), 4);
        assert_eq!(comment_lines("Scenario(url: \"a//b\")"), 0);
    }

    #[test]
    fn offsets_to_positions() {
        assert_eq!(pos_of_offset("ab\ncd", 4), Pos { line: 2, col: 2 });
    }
}
