//! Finding places in RON source text.
//!
//! serde gives us typed values without positions. Errors found after parsing (an unknown role, a
//! default that is not a choice) still need a line and a column, so this module tokenizes the
//! source once and finds the object a value belongs to: the parenthesised struct that holds
//! `id: "<id>"`, and within it the string or field that is wrong.

use std::collections::HashMap;
use std::sync::Arc;

/// A hash map with a fast, fixed hasher: the locator hashes every id and string of a file up to
/// 8 MiB, where `SipHash`'s resistance to chosen keys buys nothing (lookups verify the text).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub col: usize,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An identifier, shared: a file repeats a few dozen names hundreds of thousands of times.
    Ident(Arc<str>),
    Str(String),
    Other,
    Open,
    Close,
    Colon,
    Comma,
    Hash,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: Pos,
}

/// A range of tokens: one object (from its opening to its closing bracket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    start: usize,
    end: usize,
}

/// The fields of one object, from [`Locator::fields`].
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    loc: &'a Locator,
    obj: Range,
    /// The token of each field's name, and the range of its value.
    list: Vec<(usize, Range)>,
}

impl Fields<'_> {
    /// The range of field `name`'s value, as [`Locator::field_range`] gives it.
    pub fn range(&self, name: &str) -> Option<Range> {
        self.list
            .iter()
            .find(|(n, _)| matches!(&self.loc.tokens[*n].tok, Tok::Ident(s) if &**s == name))
            .map(|(_, r)| *r)
    }

    /// The range of field `name`'s value, or the whole object when it has no such field.
    pub fn range_or_all(&self, name: &str) -> Range {
        self.range(name).unwrap_or(self.obj)
    }

    /// Where field `name`'s value starts, or where the object starts.
    pub fn pos(&self, name: &str) -> Pos {
        self.range(name)
            .and_then(|r| self.loc.tokens.get(r.start))
            .map_or_else(|| self.loc.pos(self.obj), |t| t.pos)
    }
}

/// Tokenized RON source for locating values.
#[derive(Debug, Clone)]
pub struct Locator {
    tokens: Vec<Token>,
    /// For each token index of an opening bracket, the index of its closing one.
    matching: Vec<usize>,
    /// For each token, the index of the innermost opening bracket around it (`usize::MAX` at
    /// the top level), so that finding an object's bounds never walks the file.
    parent: Vec<usize>,
    /// For each id value, the token indices of the `id` fields that hold it, in file order, so
    /// that finding an object by id does not rescan the file.
    ids: FastMap<String, Vec<usize>>,
    /// For each string literal's value (by its hash, to keep no second copy of the text), the
    /// indices of its tokens in file order, so that placing a finding at a string costs a
    /// lookup, not a scan (a list of 40,000 unknown ids would otherwise be rescanned once per
    /// id).
    strings: FastMap<u64, Vec<usize>>,
}

impl Locator {
    /// Tokenizes `src`. Never fails: unknown characters become opaque tokens.
    pub fn new(src: &str) -> Self {
        let tokens = tokenize(src);
        let mut matching = vec![usize::MAX; tokens.len()];
        let mut parent = vec![usize::MAX; tokens.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            parent[i] = stack.last().copied().unwrap_or(usize::MAX);
            match t.tok {
                Tok::Open => stack.push(i),
                Tok::Close => {
                    if let Some(o) = stack.pop() {
                        matching[o] = i;
                    }
                }
                _ => {}
            }
        }
        let last = tokens.len();
        for o in stack {
            matching[o] = last;
        }
        let mut ids: FastMap<String, Vec<usize>> = FastMap::default();
        let mut strings: FastMap<u64, Vec<usize>> = FastMap::default();
        for (i, t) in tokens.iter().enumerate() {
            let Tok::Str(v) = &t.tok else { continue };
            strings.entry(str_key(v)).or_default().push(i);
            if i >= 2
                && matches!(&tokens[i - 2].tok, Tok::Ident(f) if &**f == "id")
                && tokens[i - 1].tok == Tok::Colon
            {
                ids.entry(v.clone()).or_default().push(i - 2);
            }
        }
        Self {
            tokens,
            matching,
            parent,
            ids,
            strings,
        }
    }

    /// The whole file.
    pub fn all(&self) -> Range {
        Range {
            start: 0,
            end: self.tokens.len(),
        }
    }

    /// The name of the first struct in the file (`Plan`, `Scenario`, `Script`), if any.
    pub fn first_ident(&self) -> Option<&str> {
        self.top_level().and_then(|(name, _)| name)
    }

    /// The top-level value: its struct name (`None` when the name is left out) and where it
    /// starts. Extension attributes such as `#![enable(implicit_some)]` are skipped.
    pub fn top_level(&self) -> Option<(Option<&str>, Pos)> {
        let mut i = 0;
        // Skip `#![...]` attributes.
        while matches!(self.tokens.get(i).map(|t| &t.tok), Some(Tok::Hash)) {
            i += 1;
            if matches!(self.tokens.get(i).map(|t| &t.tok), Some(Tok::Other)) {
                i += 1; // the `!`
            }
            match self.tokens.get(i).map(|t| &t.tok) {
                Some(Tok::Open) => i = self.matching[i].saturating_add(1),
                _ => break,
            }
        }
        let t = self.tokens.get(i)?;
        match &t.tok {
            Tok::Ident(s)
                if !matches!(self.tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Colon)) =>
            {
                Some((Some(&**s), t.pos))
            }
            _ => Some((None, t.pos)),
        }
    }

    /// The elements of a list or of a variant's arguments: for `[a, b]` the ranges of `a` and
    /// `b`; for `Name(x, y)` or `(x, y)` those of `x` and `y`. Empty when `r` is neither.
    pub fn elements(&self, r: Range) -> Vec<Range> {
        let end = r.end.min(self.tokens.len());
        let mut i = r.start;
        // Skip a leading name (`All`, `Some`, `Set`, ...).
        if matches!(self.tokens.get(i).map(|t| &t.tok), Some(Tok::Ident(_))) {
            i += 1;
        }
        if i >= end || !matches!(self.tokens[i].tok, Tok::Open) {
            return Vec::new();
        }
        let close = self.matching[i].min(end);
        let mut out = Vec::new();
        let mut start = i + 1;
        let mut depth = 0usize;
        let mut j = i + 1;
        while j < close {
            match self.tokens[j].tok {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                Tok::Comma if depth == 0 => {
                    if j > start {
                        out.push(Range { start, end: j });
                    }
                    start = j + 1;
                }
                _ => {}
            }
            j += 1;
        }
        if close > start {
            out.push(Range { start, end: close });
        }
        out
    }

    /// The keys of a map value (`{ "a": 1, "b": 2 }`) with their positions, in file order.
    pub fn map_keys(&self, r: Range) -> Vec<(String, Pos)> {
        self.elements(r)
            .into_iter()
            .filter_map(
                |e| match (self.tokens.get(e.start), self.tokens.get(e.start + 1)) {
                    (
                        Some(Token {
                            tok: Tok::Str(k),
                            pos,
                        }),
                        Some(Token {
                            tok: Tok::Colon, ..
                        }),
                    ) => Some((k.clone(), *pos)),
                    _ => None,
                },
            )
            .collect()
    }

    /// Position of the first token of a range.
    pub fn pos(&self, r: Range) -> Pos {
        self.tokens
            .get(r.start)
            .map_or(Pos { line: 1, col: 1 }, |t| t.pos)
    }

    /// The `n`-th (from 0) object in `within` that holds `id: "<id>"`, preferring objects whose
    /// struct name is `name` (RON allows leaving the name out).
    pub fn object(&self, within: Range, name: &str, id: &str, n: usize) -> Option<Range> {
        self.objects(within, name, id).nth(n)
    }

    /// Every object in `within` that holds `id: "<id>"`, in file order, preferring objects whose
    /// struct name is `name`. Costs a lookup plus the objects returned, never a scan.
    pub fn objects<'a>(
        &'a self,
        within: Range,
        name: &'a str,
        id: &str,
    ) -> impl Iterator<Item = Range> + 'a {
        let end = within.end.min(self.tokens.len());
        let sites: &[usize] = self.ids.get(id).map_or(&[], Vec::as_slice);
        let from = sites.partition_point(|&i| i < within.start);
        sites[from..]
            .iter()
            .take_while(move |&&i| i + 2 < end)
            .filter_map(|&i| self.enclosing_open(i))
            .filter(move |&open| self.struct_name_ok(open, name))
            .map(|open| Range {
                start: open,
                end: self.matching[open],
            })
    }

    /// The object an element of a list is: for `Inject(...)` or `(...)` the range from its
    /// opening to its closing bracket, as [`Locator::object`] returns it.
    pub fn element_object(&self, element: Range) -> Option<Range> {
        let mut i = element.start;
        if matches!(self.tokens.get(i).map(|t| &t.tok), Some(Tok::Ident(_))) {
            i += 1;
        }
        match self.tokens.get(i).map(|t| &t.tok) {
            Some(Tok::Open) if i < element.end => Some(Range {
                start: i,
                end: self.matching[i],
            }),
            _ => None,
        }
    }

    /// Whether the range starts with the identifier `ident` (e.g. `Some(..)`).
    pub fn starts_with_ident(&self, r: Range, ident: &str) -> bool {
        r.start < r.end
            && matches!(self.tokens.get(r.start).map(|t| &t.tok), Some(Tok::Ident(s)) if &**s == ident)
    }

    /// Every string literal longer than `limit` characters, with its position and length.
    pub fn long_strings(&self, limit: usize) -> Vec<(Pos, usize)> {
        self.tokens
            .iter()
            .filter_map(|t| match &t.tok {
                Tok::Str(s) if s.len() > limit => {
                    let n = s.chars().count();
                    (n > limit).then_some((t.pos, n))
                }
                _ => None,
            })
            .collect()
    }

    /// Every text written in one language only: a `nl: "..."` / `en: "..."` pair in one
    /// object where one is empty (or blank) and the other is not. Gives the position of the
    /// empty string and the language it is missing in.
    pub fn half_translated(&self) -> Vec<(Pos, &'static str)> {
        let blank = |i: usize| matches!(&self.tokens[i].tok, Tok::Str(s) if s.trim().is_empty());
        let lang_at = |i: usize| -> Option<&'static str> {
            if i < 2 || !self.is_colon(i - 1) {
                return None;
            }
            match &self.tokens[i - 2].tok {
                Tok::Ident(f) if &**f == "nl" => Some("nl"),
                Tok::Ident(f) if &**f == "en" => Some("en"),
                _ => None,
            }
        };
        let mut out = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if !matches!(t.tok, Tok::Str(_)) || !blank(i) {
                continue;
            }
            let Some(lang) = lang_at(i) else { continue };
            let other = if lang == "nl" { "en" } else { "nl" };
            let p = self.parent[i];
            let Some(&end) = self.matching.get(p) else {
                continue;
            };
            // The other language, directly in the same object, with a text.
            let written = (p + 1..end.min(self.tokens.len())).any(|j| {
                self.parent[j] == p
                    && matches!(self.tokens[j].tok, Tok::Str(_))
                    && lang_at(j) == Some(other)
                    && !blank(j)
            });
            if written {
                out.push((t.pos, lang));
            }
        }
        out
    }

    /// Every `id: "..."` value longer than `limit` characters, with its position and length.
    pub fn long_ids(&self, limit: usize) -> Vec<(Pos, usize)> {
        let mut out: Vec<(Pos, usize)> = self
            .ids
            .iter()
            .filter(|(id, _)| id.len() > limit && id.chars().count() > limit)
            .flat_map(|(id, sites)| {
                let n = id.chars().count();
                sites
                    .iter()
                    .filter_map(move |&i| self.tokens.get(i + 2).map(|t| (t.pos, n)))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether `pos` lies within the range `r` (from its first token to the token that ends it,
    /// the closing bracket for an object), so that a finding can be shown beside the form of
    /// the object it is in.
    pub fn contains(&self, r: Range, pos: Pos) -> bool {
        let start = self.pos(r);
        let end = self
            .tokens
            .get(r.end)
            .or_else(|| self.tokens.last())
            .map_or(start, |t| t.pos);
        start <= pos && pos <= end
    }

    /// The position of the `n`-th `id: "<id>"` value of a `name` struct, for duplicate ids.
    pub fn id_pos(&self, within: Range, name: &str, id: &str, n: usize) -> Option<Pos> {
        let obj = self.object(within, name, id, n)?;
        self.field(obj, "id")
    }

    /// Position of the value of field `field` directly in the object `obj`.
    pub fn field(&self, obj: Range, field: &str) -> Option<Pos> {
        self.field_index(obj, field)
            .and_then(|i| self.tokens.get(i + 2))
            .map(|t| t.pos)
    }

    /// The range of the value of field `field` directly in `obj` (for nested searches).
    pub fn field_range(&self, obj: Range, field: &str) -> Option<Range> {
        let i = self.field_index(obj, field)? + 2;
        // A value runs to the next comma at its own depth, or to the end of the object.
        let mut depth = 0usize;
        let mut j = i;
        while j < obj.end.min(self.tokens.len()) {
            match self.tokens[j].tok {
                Tok::Open => depth += 1,
                Tok::Close => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Tok::Comma if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        Some(Range { start: i, end: j })
    }

    /// Every field directly in the object `obj`, found in one pass, for code that asks one
    /// object for several fields (each [`Locator::field_range`] call scans the object again).
    pub fn fields(&self, obj: Range) -> Fields<'_> {
        let end = obj.end.min(self.tokens.len());
        let mut list = Vec::new();
        let mut depth = 0usize;
        let mut i = obj.start;
        while i < end {
            match self.tokens[i].tok {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                Tok::Ident(_) if depth == 1 && self.is_colon(i + 1) => {
                    // The value runs to the next comma at its own depth, or to the object's end.
                    let start = i + 2;
                    let mut d = 0usize;
                    let mut j = start;
                    while j < end {
                        match self.tokens[j].tok {
                            Tok::Open => d += 1,
                            Tok::Close => {
                                if d == 0 {
                                    break;
                                }
                                d -= 1;
                            }
                            Tok::Comma if d == 0 => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    list.push((i, Range { start, end: j }));
                    i = j.max(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        Fields {
            loc: self,
            obj,
            list,
        }
    }

    fn is_colon(&self, i: usize) -> bool {
        matches!(self.tokens.get(i).map(|t| &t.tok), Some(Tok::Colon))
    }

    /// Position of the `n`-th string literal equal to `value` in `within`.
    pub fn string(&self, within: Range, value: &str, n: usize) -> Option<Pos> {
        let sites = self.strings.get(&str_key(value))?;
        let from = sites.partition_point(|&i| i < within.start);
        sites[from..]
            .iter()
            .take_while(|&&i| i < within.end)
            .filter(|&&i| matches!(&self.tokens[i].tok, Tok::Str(s) if s == value))
            .nth(n)
            .and_then(|&i| self.tokens.get(i))
            .map(|t| t.pos)
    }

    /// Position of the first identifier `ident` in `within` (an enum variant such as `Always`).
    pub fn ident(&self, within: Range, ident: &str) -> Option<Pos> {
        self.tokens[within.start.min(self.tokens.len())..within.end.min(self.tokens.len())]
            .iter()
            .find(|t| matches!(&t.tok, Tok::Ident(s) if &**s == ident))
            .map(|t| t.pos)
    }

    fn field_index(&self, obj: Range, field: &str) -> Option<usize> {
        // Only fields at depth 1 inside the object count.
        let mut depth = 0usize;
        let end = obj.end.min(self.tokens.len());
        let mut i = obj.start;
        while i < end {
            match self.tokens[i].tok {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                _ => {
                    if depth == 1 && self.is_field(i, field) {
                        return Some(i);
                    }
                }
            }
            i += 1;
        }
        None
    }

    fn is_field(&self, i: usize, field: &str) -> bool {
        matches!(&self.tokens[i].tok, Tok::Ident(s) if &**s == field)
            && matches!(self.tokens.get(i + 1).map(|t| &t.tok), Some(Tok::Colon))
    }

    fn enclosing_open(&self, i: usize) -> Option<usize> {
        self.parent.get(i).copied().filter(|&p| p != usize::MAX)
    }

    fn struct_name_ok(&self, open: usize, name: &str) -> bool {
        match open.checked_sub(1).and_then(|p| self.tokens.get(p)) {
            Some(Token {
                tok: Tok::Ident(s), ..
            }) => &**s == name || name.is_empty(),
            _ => true,
        }
    }
}

/// The key of a string in the string index.
fn str_key(s: &str) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::fast::FixedState::default().hash_one(s)
}

fn tokenize(src: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut names: FastMap<Box<str>, Arc<str>> = FastMap::default();
    let mut chars = src.char_indices().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    // Advances over one character, keeping line and column.
    macro_rules! bump {
        () => {{
            let c = chars.next();
            if let Some((_, ch)) = c {
                if ch == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            c
        }};
    }
    while let Some(&(_, c)) = chars.peek() {
        let pos = Pos { line, col };
        match c {
            c if c.is_whitespace() => {
                bump!();
            }
            '/' => {
                bump!();
                match chars.peek().map(|&(_, c)| c) {
                    Some('/') => {
                        while let Some(&(_, c)) = chars.peek() {
                            if c == '\n' {
                                break;
                            }
                            bump!();
                        }
                    }
                    Some('*') => {
                        bump!();
                        let mut depth = 1usize;
                        let mut prev = '\0';
                        while let Some((_, c)) = bump!() {
                            if prev == '*' && c == '/' {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                                prev = '\0';
                                continue;
                            }
                            if prev == '/' && c == '*' {
                                depth += 1;
                                prev = '\0';
                                continue;
                            }
                            prev = c;
                        }
                    }
                    _ => tokens.push(Token {
                        tok: Tok::Other,
                        pos,
                    }),
                }
            }
            '"' => {
                bump!();
                // Escapes as ron reads them, so that a located string equals the parsed one
                // (bytes first: `\xHH` escapes may spell one character in several bytes).
                let mut value: Vec<u8> = Vec::new();
                while let Some((_, c)) = bump!() {
                    match c {
                        '"' => break,
                        '\\' => match bump!().map(|(_, e)| e) {
                            Some('n') => value.push(b'\n'),
                            Some('t') => value.push(b'\t'),
                            Some('r') => value.push(b'\r'),
                            Some('0') => value.push(0),
                            Some('x') => {
                                let mut n = 0u8;
                                for _ in 0..2 {
                                    match chars.peek().and_then(|&(_, h)| h.to_digit(16)) {
                                        Some(d) => {
                                            n = n.wrapping_mul(16).wrapping_add(d as u8);
                                            bump!();
                                        }
                                        None => break,
                                    }
                                }
                                value.push(n);
                            }
                            Some('u') if matches!(chars.peek(), Some(&(_, '{'))) => {
                                bump!();
                                let mut n = 0u32;
                                while let Some(d) = chars.peek().and_then(|&(_, h)| h.to_digit(16))
                                {
                                    n = n.saturating_mul(16).saturating_add(d);
                                    bump!();
                                }
                                if matches!(chars.peek(), Some(&(_, '}'))) {
                                    bump!();
                                }
                                let ch = char::from_u32(n).unwrap_or('\u{fffd}');
                                value.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                            }
                            Some(other) => {
                                value.extend_from_slice(other.encode_utf8(&mut [0; 4]).as_bytes());
                            }
                            None => {}
                        },
                        other => value.extend_from_slice(other.encode_utf8(&mut [0; 4]).as_bytes()),
                    }
                }
                let value = String::from_utf8(value)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                tokens.push(Token {
                    tok: Tok::Str(value),
                    pos,
                });
            }
            '(' | '[' | '{' => {
                bump!();
                tokens.push(Token {
                    tok: Tok::Open,
                    pos,
                });
            }
            ')' | ']' | '}' => {
                bump!();
                tokens.push(Token {
                    tok: Tok::Close,
                    pos,
                });
            }
            ':' => {
                bump!();
                tokens.push(Token {
                    tok: Tok::Colon,
                    pos,
                });
            }
            '#' => {
                bump!();
                tokens.push(Token {
                    tok: Tok::Hash,
                    pos,
                });
            }
            ',' => {
                bump!();
                tokens.push(Token {
                    tok: Tok::Comma,
                    pos,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = chars.peek().map_or(src.len(), |&(o, _)| o);
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_alphanumeric() || c == '_' {
                        bump!();
                    } else {
                        break;
                    }
                }
                let end = chars.peek().map_or(src.len(), |&(o, _)| o);
                let ident = &src[start..end];
                // Raw strings: r"..." and r#"..."#.
                if ident == "r" && matches!(chars.peek(), Some(&(_, '"' | '#'))) {
                    let mut hashes = 0usize;
                    while matches!(chars.peek(), Some(&(_, '#'))) {
                        hashes += 1;
                        bump!();
                    }
                    bump!();
                    let mut value = String::new();
                    'raw: while let Some((_, c)) = bump!() {
                        if c == '"' {
                            let mut seen = 0usize;
                            while seen < hashes && matches!(chars.peek(), Some(&(_, '#'))) {
                                seen += 1;
                                bump!();
                            }
                            if seen == hashes {
                                break 'raw;
                            }
                            value.push('"');
                            value.extend(std::iter::repeat_n('#', seen));
                        } else {
                            value.push(c);
                        }
                    }
                    tokens.push(Token {
                        tok: Tok::Str(value),
                        pos,
                    });
                } else {
                    let name = if let Some(n) = names.get(ident) {
                        Arc::clone(n)
                    } else {
                        let n: Arc<str> = Arc::from(ident);
                        names.insert(ident.into(), Arc::clone(&n));
                        n
                    };
                    tokens.push(Token {
                        tok: Tok::Ident(name),
                        pos,
                    });
                }
            }
            _ => {
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || "()[]{}:,#\"/".contains(c) {
                        break;
                    }
                    bump!();
                }
                if (line, col) == (pos.line, pos.col) {
                    bump!();
                }
                tokens.push(Token {
                    tok: Tok::Other,
                    pos,
                });
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// comment with "id: \"x\""
Scenario(
    id: "s",
    injects: [
        Inject(id: "a", to: ["politie"], decisions: [
            Decision(id: "d", role: "burgemeestr", options: [Choice(id: "c")]),
        ]),
        Inject(to: ["mayor"], id: "b"),
    ],
)"#;

    #[test]
    fn finds_objects_fields_and_strings() {
        let loc = Locator::new(SRC);
        assert_eq!(loc.first_ident(), Some("Scenario"));
        let a = loc.object(loc.all(), "Inject", "a", 0).expect("inject a");
        assert_eq!(loc.pos(a), Pos { line: 5, col: 15 });
        let d = loc.object(a, "Decision", "d", 0).expect("decision d");
        assert_eq!(loc.field(d, "role"), Some(Pos { line: 6, col: 37 }));
        assert_eq!(
            loc.string(d, "burgemeestr", 0),
            Some(Pos { line: 6, col: 37 })
        );
        // `id` after other fields still finds the whole object.
        let b = loc.object(loc.all(), "Inject", "b", 0).expect("inject b");
        assert_eq!(loc.string(b, "mayor", 0), Some(Pos { line: 8, col: 21 }));
        // Strings in comments are not seen.
        assert_eq!(loc.object(loc.all(), "", "x", 0), None);
        // A position is within an object from its opening to its closing bracket.
        assert!(loc.contains(d, Pos { line: 6, col: 37 }));
        assert!(loc.contains(a, Pos { line: 6, col: 37 }));
        assert!(!loc.contains(d, Pos { line: 8, col: 21 }));
        assert!(!loc.contains(b, Pos { line: 6, col: 37 }));
    }

    #[test]
    fn fields_in_one_pass_agree_with_field_range() {
        let loc = Locator::new(SRC);
        for obj in [
            loc.all(),
            loc.object(loc.all(), "Inject", "a", 0).expect("a"),
            loc.object(loc.all(), "Decision", "d", 0).expect("d"),
            loc.object(loc.all(), "Inject", "b", 0).expect("b"),
        ] {
            let f = loc.fields(obj);
            for name in [
                "id",
                "to",
                "decisions",
                "role",
                "options",
                "injects",
                "nothing",
            ] {
                assert_eq!(f.range(name), loc.field_range(obj, name), "{name}");
                assert_eq!(
                    Some(f.pos(name)).filter(|_| f.range(name).is_some()),
                    loc.field(obj, name),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn field_range_stops_at_comma() {
        let loc = Locator::new(SRC);
        let a = loc.object(loc.all(), "Inject", "a", 0).expect("inject a");
        let to = loc.field_range(a, "to").expect("to");
        assert_eq!(loc.string(to, "politie", 0), Some(Pos { line: 5, col: 30 }));
        assert_eq!(loc.string(to, "burgemeestr", 0), None);
    }

    #[test]
    fn elements_split_lists_and_arguments() {
        let src = r#"(x: [Set("a", Int(1)), Add("b", 2), Signal("c")], w: All([Var("a", Ge, Int(1)), Not(Signal("b"))]))"#;
        let loc = Locator::new(src);
        let obj = loc.all();
        let x = loc.field_range(obj, "x").expect("x");
        let effects = loc.elements(x);
        assert_eq!(effects.len(), 3);
        assert_eq!(
            loc.string(effects[1], "b", 0),
            Some(Pos { line: 1, col: 28 })
        );
        let w = loc.field_range(obj, "w").expect("w");
        let args = loc.elements(w);
        assert_eq!(args.len(), 1);
        assert_eq!(loc.elements(args[0]).len(), 2);
        let keys = Locator::new(r#"{ "dtn": Int(4), "grip": Int(1), "dtn": Int(5) }"#);
        let k = keys.map_keys(keys.all());
        assert_eq!(
            k.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["dtn", "grip", "dtn"]
        );
    }

    #[test]
    fn strings_are_unescaped_as_ron_reads_them() {
        #[derive(serde::Deserialize)]
        struct X {
            id: String,
        }
        let src = r#"(id: "\u{41}b\x43\xc3\xa9\r\0\"\\")"#;
        let x: X = ron::from_str(src).expect("ron reads it");
        assert_eq!(x.id, "AbCé\r\0\"\\");
        let loc = Locator::new(src);
        assert!(loc.object(loc.all(), "", &x.id, 0).is_some());
    }

    #[test]
    fn objects_and_strings_are_found_by_index_within_a_range() {
        let src = r#"(l: [A(id: "d", x: "s"), A(id: "d", x: "s"), B(id: "d")], m: [A(id: "d")])"#;
        let loc = Locator::new(src);
        let l = loc.field_range(loc.all(), "l").expect("l");
        assert_eq!(loc.objects(l, "A", "d").count(), 2);
        assert_eq!(loc.objects(loc.all(), "A", "d").count(), 3);
        assert_eq!(loc.objects(loc.all(), "B", "d").count(), 1);
        assert_eq!(loc.string(l, "s", 1), Some(Pos { line: 1, col: 40 }));
        assert_eq!(loc.string(l, "s", 2), None);
        let elems = loc.elements(l);
        let second = loc.element_object(elems[1]).expect("object");
        assert_eq!(Some(second), loc.object(l, "A", "d", 1));
    }

    #[test]
    fn top_level_skips_attributes() {
        let loc = Locator::new("#![enable(implicit_some)]\n// c\nScenario(id: \"x\")");
        assert_eq!(
            loc.top_level(),
            Some((Some("Scenario"), Pos { line: 3, col: 1 }))
        );
        let loc = Locator::new("(id: \"x\")");
        assert_eq!(loc.top_level().map(|t| t.0), Some(None));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for src in [
            "",
            "(",
            ")",
            "\"",
            "r#\"",
            "/*",
            "id: \"x\"",
            "é(ü:\"",
            "((((",
            "r",
        ] {
            let loc = Locator::new(src);
            let _ = loc.object(loc.all(), "", "x", 0);
            let _ = loc.field(loc.all(), "id");
            let _ = loc.field_range(loc.all(), "id");
            let _ = loc.elements(loc.all());
            let _ = loc.map_keys(loc.all());
            let _ = loc.top_level();
        }
    }
}
