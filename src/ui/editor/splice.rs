//! Form edits that keep the author's text. A form edit changes the model; instead of writing the
//! whole file anew (which loses every comment and the author's layout), the text of what did not
//! change is kept and only the values that changed are written, in the standard layout,
//! indented to where they go: a field added to a struct, an element appended to a list, a
//! value replaced.
//!
//! How: the old and the new model are written out in the standard layout and read back into a
//! small tree of spans (structs with named fields, lists and tuples, single values); the two
//! trees are compared, and where they differ the file's own tree says which bytes to replace.
//! The result is read back and must give exactly the new model; if it does not (a layout this
//! does not follow), the caller writes the whole file as before.

use crate::model::Scenario;
use crate::model::load;

/// Deeper than this, the text is treated as one value (the loader limits nesting anyway).
const MAX_DEPTH: usize = 128;

#[derive(Debug)]
struct Node {
    /// Byte span of the value (for `Name(..)` from the name on).
    start: usize,
    end: usize,
    /// The struct or variant name before the parenthesis, if any.
    name: Option<String>,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// A string, number, identifier, map or anything else kept whole.
    Atom,
    /// `(a: x, b: y)`, with or without a name before it.
    Fields(Vec<Field>),
    /// `[x, y]`, `(x, y)` or `Name(x, y)`.
    Items(Vec<Node>),
}

#[derive(Debug)]
struct Field {
    name: String,
    /// Where the field's name starts.
    start: usize,
    value: Node,
    /// After the field's trailing comma, or after its value when it has none.
    end: usize,
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skips white space and comments (`//` to the end of the line, nested `/* */`).
    fn skip(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    let mut depth = 1usize;
                    while depth > 0 && self.i < self.s.len() {
                        if self.s[self.i..].starts_with(b"*/") {
                            depth -= 1;
                            self.i += 2;
                        } else if self.s[self.i..].starts_with(b"/*") {
                            depth += 1;
                            self.i += 2;
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn word(&mut self) -> usize {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-'))
        {
            self.i += 1;
        }
        start
    }

    fn string(&mut self) -> Option<()> {
        // At the opening quote.
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Option<()> {
        // At the `r`.
        self.i += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.i += 1;
        }
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        loop {
            if self.peek()? == b'"'
                && self.s[self.i + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                self.i += 1 + hashes;
                return Some(());
            }
            self.i += 1;
        }
    }

    /// Skips a balanced `{ .. }` (maps are kept whole).
    fn balanced(&mut self, open: u8, close: u8) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.skip();
            match self.peek()? {
                b'"' => self.string()?,
                c if c == open => {
                    depth += 1;
                    self.i += 1;
                }
                c if c == close => {
                    depth -= 1;
                    self.i += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                _ => self.i += 1,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip();
        let start = self.i;
        let atom = |end| Node {
            start,
            end,
            name: None,
            kind: Kind::Atom,
        };
        match self.peek()? {
            b'"' => {
                self.string()?;
                Some(atom(self.i))
            }
            b'r' if matches!(self.s.get(self.i + 1), Some(b'#' | b'"')) => {
                self.raw_string()?;
                Some(atom(self.i))
            }
            b'{' => {
                self.balanced(b'{', b'}')?;
                Some(atom(self.i))
            }
            b'[' => {
                self.i += 1;
                let items = self.items(b']', depth)?;
                Some(Node {
                    start,
                    end: self.i,
                    name: None,
                    kind: Kind::Items(items),
                })
            }
            b'(' => self.group(start, None, depth),
            c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'.') => {
                self.word();
                let end = self.i;
                let name = std::str::from_utf8(&self.s[start..end]).ok()?.to_owned();
                let after = self.i;
                self.skip();
                if self.peek() == Some(b'(') {
                    self.group(start, Some(name), depth)
                } else {
                    self.i = after;
                    Some(atom(end))
                }
            }
            _ => None,
        }
    }

    /// At `(`: named fields or a tuple.
    fn group(&mut self, start: usize, name: Option<String>, depth: usize) -> Option<Node> {
        self.i += 1;
        let save = self.i;
        self.skip();
        let w = self.word();
        let named = self.i > w && {
            self.skip();
            self.peek() == Some(b':') && self.s.get(self.i + 1) != Some(&b':')
        };
        self.i = save;
        let kind = if named {
            let mut fields = Vec::new();
            loop {
                self.skip();
                if self.peek()? == b')' {
                    self.i += 1;
                    break;
                }
                let fstart = self.word();
                let fname = std::str::from_utf8(&self.s[fstart..self.i])
                    .ok()?
                    .to_owned();
                if fname.is_empty() {
                    return None;
                }
                self.skip();
                if self.peek()? != b':' {
                    return None;
                }
                self.i += 1;
                let value = self.value(depth + 1)?;
                let mut end = value.end;
                self.skip();
                if self.peek()? == b',' {
                    self.i += 1;
                    end = self.i;
                }
                fields.push(Field {
                    name: fname,
                    start: fstart,
                    value,
                    end,
                });
            }
            Kind::Fields(fields)
        } else {
            Kind::Items(self.items(b')', depth)?)
        };
        Some(Node {
            start,
            end: self.i,
            name,
            kind,
        })
    }

    /// Elements up to and including `close`.
    fn items(&mut self, close: u8, depth: usize) -> Option<Vec<Node>> {
        let mut items = Vec::new();
        loop {
            self.skip();
            if self.peek()? == close {
                self.i += 1;
                return Some(items);
            }
            items.push(self.value(depth + 1)?);
            self.skip();
            if self.peek()? == b',' {
                self.i += 1;
            }
        }
    }
}

fn read(text: &str) -> Option<Node> {
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    let node = r.value(0)?;
    r.skip();
    (r.i == text.len()).then_some(node)
}

/// The white space at the start of the line that `at` is on.
fn indent_at(text: &str, at: usize) -> &str {
    let line = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let rest = &text[line..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// Whether only white space stands before `at` on its line.
fn starts_line(text: &str, at: usize) -> bool {
    let line = text[..at].rfind('\n').map_or(0, |n| n + 1);
    text[line..at].trim().is_empty()
}

/// `snippet` (a value from `src` at `at`) with its lines after the first moved from the
/// indentation it had in `src` to `indent`.
fn reindent(src: &str, at: usize, snippet: &str, indent: &str) -> String {
    let from = indent_at(src, at);
    let mut out = String::new();
    for (n, line) in snippet.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            out.push_str(indent);
            out.push_str(line.strip_prefix(from).unwrap_or(line.trim_start()));
        } else {
            out.push_str(line);
        }
    }
    out
}

struct Splicer<'a> {
    file: &'a str,
    old: &'a str,
    new: &'a str,
    /// Byte ranges of the file to replace, with their new text.
    edits: Vec<(usize, usize, String)>,
}

impl Splicer<'_> {
    fn text<'t>(src: &'t str, n: &Node) -> &'t str {
        &src[n.start..n.end]
    }

    fn replace(&mut self, f: &Node, n: &Node) {
        let mut text = reindent(
            self.new,
            n.start,
            Self::text(self.new, n),
            indent_at(self.file, f.start),
        );
        // Keep the file's way of writing a struct without its name.
        if let (None, Some(name), Kind::Fields(_)) = (&f.name, &n.name, &n.kind)
            && self.file[f.start..].starts_with('(')
        {
            text.replace_range(..name.len(), "");
        }
        self.edits.push((f.start, f.end, text));
    }

    fn node(&mut self, f: &Node, o: &Node, n: &Node) {
        if Self::text(self.old, o) == Self::text(self.new, n) {
            return;
        }
        // Another variant (`Set` for `Add`): the new value whole. A struct the file writes
        // without its name (`(nl: .., en: ..)`) is the same struct.
        if o.name != n.name || (f.name.is_some() && f.name != o.name) {
            return self.replace(f, n);
        }
        match (&f.kind, &o.kind, &n.kind) {
            (Kind::Fields(ff), Kind::Fields(of), Kind::Fields(nf)) if !ff.is_empty() => {
                self.fields(f, n, ff, of, nf);
            }
            (Kind::Items(fi), Kind::Items(oi), Kind::Items(ni))
                if fi.len() == oi.len() && !fi.is_empty() =>
            {
                self.items(f, n, fi, oi, ni);
            }
            _ => self.replace(f, n),
        }
    }

    fn fields(&mut self, f: &Node, n: &Node, ff: &[Field], of: &[Field], nf: &[Field]) {
        let get = |list: &'_ [Field], name: &str| list.iter().position(|x| x.name == name);
        // A struct written on one line gets the new text whole when a field comes or goes.
        let multi_line = ff.iter().all(|x| starts_line(self.file, x.start));
        for (k, nfield) in nf.iter().enumerate() {
            match (get(ff, &nfield.name), get(of, &nfield.name)) {
                (Some(a), Some(b)) => self.node(&ff[a].value, &of[b].value, &nfield.value),
                (Some(a), None) => self.replace(&ff[a].value, &nfield.value),
                (None, Some(b))
                    if Self::text(self.old, &of[b].value)
                        == Self::text(self.new, &nfield.value) => {}
                (None, _) => {
                    if !multi_line {
                        return self.replace(f, n);
                    }
                    let indent = indent_at(self.file, ff[0].start).to_owned();
                    let value = reindent(
                        self.new,
                        nfield.start,
                        Self::text(self.new, &nfield.value),
                        &indent,
                    );
                    // After the nearest field before it (in the new order) that the file has,
                    // or before the file's first field.
                    let before = nf[..k].iter().rev().find_map(|p| get(ff, &p.name));
                    match before {
                        Some(a) => self.edits.push((
                            ff[a].value.end,
                            ff[a].value.end,
                            format!(",\n{indent}{}: {value}", nfield.name),
                        )),
                        None => self.edits.push((
                            ff[0].start,
                            ff[0].start,
                            format!("{}: {value},\n{indent}", nfield.name),
                        )),
                    }
                }
            }
        }
        // Fields the new model leaves out (empty or default, so not written) that the old one
        // wrote: taken out of the file, with their line when they had it to themselves.
        for ofield in of.iter().filter(|o| get(nf, &o.name).is_none()) {
            if let Some(a) = get(ff, &ofield.name) {
                let field = &ff[a];
                let (mut start, mut end) = (field.start, field.end);
                if starts_line(self.file, start) {
                    start = self.file[..start].rfind('\n').map_or(0, |n| n + 1);
                    let rest = &self.file[end..];
                    let line_end = rest.find('\n').map_or(rest.len(), |n| n + 1);
                    if rest[..line_end].trim().is_empty() {
                        end += line_end;
                    }
                }
                self.edits.push((start, end, String::new()));
            }
        }
    }
    fn items(&mut self, f: &Node, n: &Node, fi: &[Node], oi: &[Node], ni: &[Node]) {
        let same = |o: &Node, n: &Node| Self::text(self.old, o) == Self::text(self.new, n);
        // Where one element came or went: the place that leaves the most of the others equal.
        let best = |score: &dyn Fn(usize) -> usize, places: usize| {
            (0..places).max_by_key(|&r| (score(r), std::cmp::Reverse(r)))
        };
        if oi.len() == ni.len() {
            for ((a, b), c) in fi.iter().zip(oi).zip(ni) {
                self.node(a, b, c);
            }
        } else if ni.len() == oi.len() + 1 {
            let score = |r: usize| {
                (0..oi.len())
                    .filter(|&k| same(&oi[k], &ni[if k < r { k } else { k + 1 }]))
                    .count()
            };
            let Some(at) = best(&score, ni.len()) else {
                return self.replace(f, n);
            };
            for k in 0..oi.len() {
                self.node(&fi[k], &oi[k], &ni[if k < at { k } else { k + 1 }]);
            }
            // Each element on its own line when the list has them so.
            let own_lines = fi.iter().all(|x| starts_line(self.file, x.start));
            let near = &fi[at.min(fi.len() - 1)];
            let indent = indent_at(self.file, near.start).to_owned();
            let value = reindent(
                self.new,
                ni[at].start,
                Self::text(self.new, &ni[at]),
                &indent,
            );
            let sep = if own_lines {
                format!(",\n{indent}")
            } else {
                ", ".to_owned()
            };
            if at == oi.len() {
                // After the last one (before its comma, if it has one).
                self.edits
                    .push((near.end, near.end, format!("{sep}{value}")));
            } else {
                self.edits
                    .push((near.start, near.start, format!("{value}{sep}")));
            }
        } else if ni.len() + 1 == oi.len() {
            let score = |r: usize| {
                (0..oi.len())
                    .filter(|&k| k != r && same(&oi[k], &ni[if k < r { k } else { k - 1 }]))
                    .count()
            };
            let Some(gone) = best(&score, oi.len()) else {
                return self.replace(f, n);
            };
            if fi.len() == 1 {
                return self.replace(f, n);
            }
            // One element taken out with its comma, and its line when it had it to itself;
            // comments before and after it stay.
            let (mut start, mut end) = (fi[gone].start, fi[gone].end);
            let rest = &self.file[end..];
            let after = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            if rest[after..].starts_with(',') {
                end += after + 1;
            }
            if starts_line(self.file, start) {
                let rest = &self.file[end..];
                let line_end = rest.find('\n').map_or(rest.len(), |k| k + 1);
                if rest[..line_end].trim().is_empty() {
                    start = self.file[..start].rfind('\n').map_or(0, |k| k + 1);
                    end += line_end;
                }
            }
            for k in (0..oi.len()).filter(|&k| k != gone) {
                self.node(&fi[k], &oi[k], &ni[if k < gone { k } else { k - 1 }]);
            }
            self.edits.push((start, end, String::new()));
        } else {
            // Several elements came or went: the whole list anew.
            self.replace(f, n);
        }
    }
}

/// The file `text` (which reads as `old`) changed so that it reads as `new`, keeping the text
/// of everything that did not change; `None` when that cannot be done safely.
pub(super) fn keep_text(text: &str, old: &Scenario, new: &Scenario) -> Option<String> {
    let read_back = |t: &str| {
        ron::Options::default()
            .with_recursion_limit(load::MAX_NESTING * 2)
            .from_str::<Scenario>(t)
            .ok()
    };
    // Only when the text is what the form started from.
    if read_back(text)? != *old {
        return None;
    }
    let old_text = crate::msel::to_ron(old);
    let new_text = crate::msel::to_ron(new);
    let (f, o, n) = (read(text)?, read(&old_text)?, read(&new_text)?);
    let mut sp = Splicer {
        file: text,
        old: &old_text,
        new: &new_text,
        edits: Vec::new(),
    };
    sp.node(&f, &o, &n);
    let mut edits = sp.edits;
    edits.sort_by_key(|e| (e.0, e.1));
    if edits.windows(2).any(|w| w[0].1 > w[1].0) {
        return None;
    }
    let mut out = text.to_owned();
    for (start, end, with) in edits.iter().rev() {
        out.replace_range(start..end, with);
    }
    // The result must read as exactly the new model (the editor then checks it as the loader
    // does).
    (read_back(&out)? == *new).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cond, Effect, Value};

    const RAMMING: &str = include_str!("../../../scenarios/02-event-ramming.ron");

    fn ramming() -> Scenario {
        load::parse_scenario(std::path::Path::new("r.ron"), RAMMING.to_owned())
            .expect("parses")
            .value
    }

    /// The comment lines of a text, in order.
    fn comments(text: &str) -> Vec<&str> {
        text.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("//"))
            .collect()
    }

    /// Edits the ramming with `f`, keeps the text, and checks that it reads as the edit, that
    /// every comment is still there, and that at most `lines` lines differ.
    fn kept(f: impl Fn(&mut Scenario), lines: usize) -> String {
        let old = ramming();
        let mut new = old.clone();
        f(&mut new);
        assert_ne!(old, new, "the edit changes something");
        let out = keep_text(RAMMING, &old, &new).expect("the text can be kept");
        assert_eq!(comments(&out), comments(RAMMING), "every comment kept");
        let before: Vec<&str> = RAMMING.lines().collect();
        let after: Vec<&str> = out.lines().collect();
        let added: Vec<&&str> = after.iter().filter(|l| !before.contains(l)).collect();
        let gone: Vec<&&str> = before.iter().filter(|l| !after.contains(l)).collect();
        let changed = added.len() + gone.len();
        assert!(
            changed <= lines,
            "{changed} lines changed: added {added:#?}, gone {gone:#?}"
        );
        out
    }

    #[test]
    fn a_new_top_level_field_goes_in_beside_the_others() {
        let out = kept(|s| s.simulated = vec!["corso_organisator".into()], 3);
        // After `local_roles`, where the standard layout has it.
        let roles = out.find("    local_roles: [").expect("local roles");
        let simulated = out.find("    simulated: [").expect("simulated");
        let actions = out.find("    local_actions: [").expect("local actions");
        assert!(roles < simulated && simulated < actions);
    }

    #[test]
    fn a_field_set_in_a_nested_struct_is_written_there_alone() {
        kept(
            |s| {
                let d = s
                    .injects
                    .iter_mut()
                    .flat_map(|i| &mut i.decisions)
                    .find(|d| d.id.as_str() == "d-corso-stop")
                    .expect("decision");
                d.fixed_order = true;
            },
            1,
        );
    }

    #[test]
    fn a_value_changed_and_an_effect_appended_touch_only_their_lines() {
        kept(
            |s| {
                let i = s
                    .injects
                    .iter_mut()
                    .find(|i| i.id.as_str() == "i-corso-post")
                    .expect("inject");
                i.at_min = Some(3);
                i.when = Some(Cond::After(95));
                i.decisions[0].options[1].effects.push(Effect::Chance(
                    0.3,
                    vec![Effect::Set("injured".into(), Value::Int(12))],
                    vec![],
                ));
            },
            // The minute, the new `when` (after `from`) and the effects line (it was one line).
            12,
        );
    }

    #[test]
    fn a_removed_element_and_a_field_back_to_its_default_leave_the_rest() {
        kept(
            |s| {
                s.local_procedures.clear();
                s.injects
                    .iter_mut()
                    .find(|i| i.id.as_str() == "i-social-videos")
                    .expect("inject")
                    .effects
                    .clear();
                // The first inject after a section's heading comment.
                let at = s
                    .injects
                    .iter()
                    .position(|i| i.id.as_str() == "i-112-ramming")
                    .expect("inject");
                s.injects.remove(at);
            },
            60,
        );
    }

    /// Every shipped scenario, and for a third of its decisions: `fixed_order` switched, the inject's
    /// condition set, an effect appended to its first choice — the text is kept each time,
    /// comments included, with only a few lines written.
    #[test]
    fn edits_across_the_shipped_scenarios_keep_their_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("scenarios")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        files.sort();
        assert!(files.len() >= 4, "{files:?}");
        let mut edits = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read");
            let old = load::parse_scenario(&path, text.clone())
                .expect("parses")
                .value;
            // Every third decision: enough of each file's layouts, in a few seconds.
            let places: Vec<(usize, usize)> = old
                .injects
                .iter()
                .enumerate()
                .flat_map(|(i, inj)| (0..inj.decisions.len()).map(move |k| (i, k)))
                .step_by(3)
                .collect();
            for (i, k) in places {
                let mut new = old.clone();
                let d = &mut new.injects[i].decisions[k];
                d.fixed_order = !d.fixed_order;
                if let Some(c) = d.options.first_mut() {
                    c.effects.push(Effect::Clear("rumours".into()));
                }
                new.injects[i].when = Some(Cond::After(95));
                let out = keep_text(&text, &old, &new).unwrap_or_else(|| {
                    panic!("{}: decision {} not kept", path.display(), d_id(&old, i, k))
                });
                assert_eq!(comments(&out), comments(&text), "{}", path.display());
                let grown = out.lines().count().abs_diff(text.lines().count());
                assert!(grown <= 12, "{}: {grown} lines", path.display());
                edits += 1;
            }
        }
        assert!(edits > 50, "{edits} edits tried");
    }

    fn d_id(s: &Scenario, i: usize, k: usize) -> String {
        s.injects[i].decisions[k].id.to_string()
    }

    #[test]
    fn a_changed_text_keeps_the_files_style() {
        let out = kept(|s| s.title.en.push_str(" (draft)"), 2);
        assert!(
            out.contains("        en: \"Vehicle ramming at the Lingecorso parade in Veldhaven and Oosterbroek (draft)\",\n"),
            "only the English title changed"
        );
    }

    #[test]
    fn a_text_that_is_not_what_the_forms_show_is_not_patched() {
        let old = ramming();
        let mut new = old.clone();
        new.duration_min += 5;
        let other = RAMMING.replacen("duration_min: 225", "duration_min: 200", 1);
        assert_eq!(keep_text(&other, &old, &new), None);
    }
}
