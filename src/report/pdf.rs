//! A [`Doc`] as PDF: A4 pages, the shipped `DejaVu` Sans embedded (subset), text that can be
//! selected and searched, headings as the outline, and tagged as PDF/UA-1 — a structure tree of
//! headings, paragraphs, lists, tables (with header cells) and figures (with a description), page
//! furniture marked as artifacts — which krilla checks when it writes the file.
//!
//! Layout is deliberately simple: one font, left-aligned text wrapped at spaces (a word wider
//! than its column is broken between characters), measured with the font's own advance widths;
//! a block moves to the next page when it does not fit, a table row too tall for what is left
//! of a page continues on the next with the header row repeated. Characters the font has no
//! glyph for are shown as their code (`[U+4E2D]`), as bidirectional controls already are, so
//! nothing in a scenario or a journal can make the file invalid. Text is not shaped (no
//! ligatures, no right-to-left reordering): the reports are Dutch and English.

use std::fmt::Write as _;
use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};

use super::aar::Table;
use super::doc::{Attached, Block, Content, Doc, Figure, Rgb, Shape};

/// The shipped `DejaVu` Sans (free licence, `assets/fonts/LICENSE-DejaVu.txt`): wide coverage of
/// Latin, Greek, Cyrillic and symbols. The app's interface uses the same bytes.
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The embedded font could not be read (a broken build).
    #[error("the embedded font could not be read")]
    Font,
    /// krilla refused to write the document (a check of PDF/UA failed, a limit was exceeded).
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

// A4 in points, and the text area.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.7;
const RIGHT: f32 = PAGE_W - 56.7;
const TOP: f32 = 56.7;
const BOTTOM: f32 = PAGE_H - 62.0;
const WIDTH: f32 = RIGHT - LEFT;

const INK: Rgb = Rgb(0x1d, 0x23, 0x2a);
const BLUE: Rgb = Rgb(0x15, 0x42, 0x73);
const GREY: Rgb = Rgb(0x55, 0x55, 0x55);
const RULE: Rgb = Rgb(0xc8, 0xcc, 0xd0);
const HEAD_BG: Rgb = Rgb(0xee, 0xf2, 0xf6);
const ALERT: Rgb = Rgb(0xb0, 0x00, 0x20);
const ALERT_BG: Rgb = Rgb(0xfd, 0xe7, 0xea);

/// Body text size; tables and notes are smaller.
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
const LEADING: f32 = 1.32;
const PAD: f32 = 3.0;

/// The font, with what layout needs from it: glyphs and their advance widths.
struct Face {
    font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    upem: f32,
    /// Glyph and advance of the first [`CACHED`] code points, looked up once (layout asks for
    /// every character several times).
    cached: Vec<Option<(GlyphId, f32)>>,
}

/// How many code points [`Face`] caches: Latin, Greek, Cyrillic and more.
const CACHED: u32 = 0x800;

impl Face {
    fn load() -> Result<Self, PdfError> {
        let font_ref = skrifa::FontRef::new(DEJAVU_SANS).map_err(|_| PdfError::Font)?;
        let upem = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let font = Font::new(krilla::Data::from(DEJAVU_SANS), 0).ok_or(PdfError::Font)?;
        let mut face = Self {
            font,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem: upem.max(1.0),
            cached: Vec::new(),
        };
        face.cached = (0..CACHED)
            .map(|u| char::from_u32(u).and_then(|c| face.lookup(c)))
            .collect();
        Ok(face)
    }

    /// A character's glyph and advance (in ems), if the font has one for it.
    fn glyph(&self, c: char) -> Option<(GlyphId, f32)> {
        match self.cached.get(c as usize) {
            Some(g) => *g,
            None => self.lookup(c),
        }
    }

    fn lookup(&self, c: char) -> Option<(GlyphId, f32)> {
        let g = self.charmap.map(c)?;
        if g.to_u32() == 0 {
            return None;
        }
        let advance = self.metrics.advance_width(g).unwrap_or(0.0) / self.upem;
        Some((GlyphId::new(g.to_u32()), advance))
    }

    /// Text that this font can show whole: made report-safe (bidirectional controls as codes,
    /// control characters dropped), tabs as spaces, and every character without a glyph — or
    /// that PDF/UA forbids in text (U+FEFF, U+FFFE, private use) — as its code.
    fn clean(&self, s: &str) -> String {
        let safe = crate::text::report_safe(s);
        let mut out = String::with_capacity(safe.len());
        for c in safe.chars() {
            match c {
                '\n' => out.push('\n'),
                '\r' => {}
                '\t' => out.push(' '),
                c if matches!(c as u32, 0xFEFF | 0xFFFE | 0xE000..=0xF8FF | 0xF0000..)
                    || self.glyph(c).is_none() =>
                {
                    let _ = write!(out, "[U+{:04X}]", c as u32);
                }
                c => out.push(c),
            }
        }
        out
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars()
            .map(|c| self.glyph(c).map_or(0.0, |g| g.1))
            .sum::<f32>()
            * size
    }

    /// Clean text wrapped into lines no wider than `width`: at spaces, and between characters
    /// for a word wider than the line. Each line break in the text starts a line.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let space = self.width(" ", size);
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut w = 0.0;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let ww = self.width(word, size);
                let gap = if line.is_empty() { 0.0 } else { space };
                if w + gap + ww <= width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    w += gap + ww;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                }
                if ww <= width {
                    line.push_str(word);
                    w = ww;
                    continue;
                }
                // Too wide for a line: break after hyphens and slashes, and a piece still too
                // wide between characters.
                for piece in word.split_inclusive(['-', '/']) {
                    let pw = self.width(piece, size);
                    if w + pw <= width {
                        line.push_str(piece);
                        w += pw;
                        continue;
                    }
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        w = 0.0;
                    }
                    for c in piece.chars() {
                        let cw = self.width(c.encode_utf8(&mut [0; 4]), size);
                        if w + cw > width && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            w = 0.0;
                        }
                        line.push(c);
                        w += cw;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// A table row's cells, each as its wrapped lines.
type Cells = Vec<Vec<String>>;

/// What a drawing operation belongs to: real content (a line of text, a figure) with its place
/// in the structure tree, or page furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Text(usize),
    Figure(usize),
    Layout,
    Pagination,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        rect: (f32, f32, f32, f32),
        fill: Option<(Rgb, f32)>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        color: Rgb,
        width: f32,
    },
    Poly {
        points: Vec<(f32, f32)>,
        color: Rgb,
    },
    /// A picture in a rectangle (left, top, width, height).
    Image {
        rect: (f32, f32, f32, f32),
        image: Image,
    },
}

/// A node of the structure tree.
#[derive(Debug, Clone)]
enum Kind {
    Heading(u16, String),
    P,
    L,
    Li,
    Lbl,
    LBody,
    Table,
    Tr,
    Th(TableHeaderScope),
    Td,
    Figure(String),
}

#[derive(Debug)]
enum Kid {
    Node(usize),
    Content(usize),
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    kids: Vec<Kid>,
}

/// Pages of placed operations, the structure tree and the outline.
struct Layout<'f> {
    face: &'f Face,
    /// The document's language (for the few words layout adds itself).
    lang: crate::model::Lang,
    /// Whether pictures are drawn (a second attempt without them, when one could not be
    /// written, names them instead).
    pictures: bool,
    pages: Vec<Vec<(Op, Mark)>>,
    y: f32,
    nodes: Vec<Node>,
    roots: Vec<usize>,
    contents: usize,
    outline: Vec<(u8, String, usize, f32)>,
}

impl<'f> Layout<'f> {
    fn new(face: &'f Face, lang: crate::model::Lang, pictures: bool) -> Self {
        Self {
            face,
            lang,
            pictures,
            pages: vec![Vec::new()],
            y: TOP,
            nodes: Vec::new(),
            roots: Vec::new(),
            contents: 0,
            outline: Vec::new(),
        }
    }

    fn node(&mut self, kind: Kind, parent: Option<usize>) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            kids: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p].kids.push(Kid::Node(id)),
            None => self.roots.push(id),
        }
        id
    }

    fn content(&mut self, parent: usize) -> usize {
        let c = self.contents;
        self.contents += 1;
        self.nodes[parent].kids.push(Kid::Content(c));
        c
    }

    fn push(&mut self, op: Op, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push((op, mark));
        }
    }

    fn page(&self) -> usize {
        self.pages.len() - 1
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.5
    }

    /// Starts a new page unless `h` fits on this one (or this one is still empty).
    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    /// One line of text as content of `parent`, its top at the current `y`.
    fn text_line(&mut self, parent: usize, x: f32, size: f32, color: Rgb, line: &str) {
        if line.is_empty() {
            return;
        }
        let c = self.content(parent);
        let y = self.y + size * 0.93;
        self.push(
            Op::Text {
                x,
                y,
                size,
                color,
                text: line.to_owned(),
            },
            Mark::Text(c),
        );
    }

    /// Lines of text under `parent`, each moving to the next page when it does not fit.
    fn lines(&mut self, parent: usize, lines: &[String], x: f32, size: f32, color: Rgb) {
        let lh = size * LEADING;
        for line in lines {
            self.ensure(lh);
            self.text_line(parent, x, size, color, line);
            self.y += lh;
        }
    }

    /// An attachment's picture, if it is one this layout draws, with its size on the page: at
    /// 96 pixels to the inch, never wider than the text nor higher than half a page. (krilla
    /// reads only the file's header here.)
    fn picture(&self, a: &Attached) -> Option<(Image, f32, f32)> {
        let Content::Picture { kind, bytes } = &a.content else {
            return None;
        };
        if !self.pictures {
            return None;
        }
        let data = krilla::Data::from(bytes.clone());
        let image = match kind {
            crate::model::AttachmentKind::Png => Image::from_png(data, true),
            _ => Image::from_jpeg(data, true),
        }
        .ok()?;
        let (px_w, px_h) = image.size();
        if px_w == 0 || px_h == 0 {
            return None;
        }
        let natural = (px_w as f32 * 0.75, px_h as f32 * 0.75);
        let scale = (WIDTH / natural.0)
            .min((BOTTOM - TOP) * 0.5 / natural.1)
            .min(1.0);
        Some((image, natural.0 * scale, natural.1 * scale))
    }

    /// About how much of a block must follow its heading on the same page.
    fn lead_height(&self, b: Option<&Block>) -> f32 {
        match b {
            Some(Block::Attachment(a)) => self
                .picture(a)
                .map_or(3.0 * BODY * LEADING, |(_, _, h)| h + SMALL * LEADING),
            Some(Block::Figure(f)) if f.width > 0.0 => {
                (f.height * WIDTH / f.width).min(BOTTOM - TOP - 80.0) + BODY
            }
            Some(Block::Table { .. }) => 5.0 * SMALL * LEADING + 4.0 * PAD,
            _ => 3.0 * BODY * LEADING,
        }
    }

    fn block(&mut self, b: &Block, next: Option<&Block>) {
        match b {
            Block::Heading(level, text) => self.heading(*level, text, self.lead_height(next)),
            Block::Para(text) => self.para(text, BODY, INK),
            Block::Note(text) => self.para(text, SMALL, GREY),
            Block::Banner(text) => self.banner(text),
            Block::List(items) => self.list(items),
            Block::Table { table, widths } => self.table(table, widths),
            Block::Figure(f) => self.figure(f),
            Block::Attachment(a) => self.attachment(a),
        }
    }

    /// An attachment: a picture drawn as wide as the text at most (and at most half a page
    /// high), tagged as a figure with its caption as alternate text, the caption line under it;
    /// a document or an unreadable file as that line alone.
    fn attachment(&mut self, a: &Attached) {
        let line = a.line(self.lang);
        let Some((image, w, h)) = self.picture(a) else {
            let text = match &a.content {
                Content::Picture { .. } => format!(
                    "{line} — {}",
                    crate::i18n::tr(
                        self.lang,
                        "de afbeelding kon niet worden getekend",
                        "the picture could not be drawn"
                    )
                ),
                _ => line,
            };
            self.para(&text, SMALL, GREY);
            return;
        };
        self.ensure(h + 2.0 * SMALL * LEADING);
        let alt = self.face.clean(&a.caption);
        let node = self.node(Kind::Figure(alt), None);
        let c = self.content(node);
        self.push(
            Op::Image {
                rect: (LEFT, self.y, w, h),
                image,
            },
            Mark::Figure(c),
        );
        self.y += h + 3.0;
        self.para(&line, SMALL, GREY);
    }

    fn heading(&mut self, level: u8, text: &str, keep: f32) {
        let level = level.clamp(1, 3);
        let (size, color, before) = match level {
            1 => (18.0, INK, 0.0),
            2 => (13.0, BLUE, 14.0),
            _ => (10.5, INK, 8.0),
        };
        let clean = self.face.clean(text);
        let lines = self.face.wrap(&clean, size, WIDTH);
        let lh = size * 1.25;
        // Keep the heading with the start of what follows.
        self.ensure(before + lh * lines.len() as f32 + 6.0 + keep);
        if !self.at_top() {
            self.y += before;
        }
        self.outline
            .push((level, clean.replace('\n', " "), self.page(), self.y));
        let node = self.node(
            Kind::Heading(u16::from(level), clean.replace('\n', " ")),
            None,
        );
        for line in &lines {
            self.text_line(node, LEFT, size, color, line);
            self.y += lh;
        }
        if level == 2 {
            self.push(
                Op::Line {
                    from: (LEFT, self.y),
                    to: (RIGHT, self.y),
                    color: BLUE,
                    width: 1.2,
                },
                Mark::Layout,
            );
        }
        self.y += 5.0;
    }

    fn para(&mut self, text: &str, size: f32, color: Rgb) {
        let clean = self.face.clean(text);
        let lines = self.face.wrap(&clean, size, WIDTH);
        let node = self.node(Kind::P, None);
        self.lines(node, &lines, LEFT, size, color);
        self.y += size * 0.6;
    }

    fn banner(&mut self, text: &str) {
        let clean = self.face.clean(text);
        let size = 11.0;
        let lh = size * LEADING;
        let lines = self.face.wrap(&clean, size, WIDTH - 16.0);
        let h = lh * lines.len() as f32 + 12.0;
        self.ensure(h);
        if self.y + h <= BOTTOM {
            self.push(
                Op::Rect {
                    rect: (LEFT, self.y, WIDTH, h),
                    fill: Some((ALERT_BG, 1.0)),
                    stroke: Some((ALERT, 3.0)),
                },
                Mark::Layout,
            );
        }
        self.y += 6.0;
        let node = self.node(Kind::P, None);
        self.lines(node, &lines, LEFT + 8.0, size, ALERT);
        self.y += 14.0;
    }

    fn list(&mut self, items: &[super::doc::Item]) {
        let list = self.node(Kind::L, None);
        let lh = BODY * LEADING;
        for item in items {
            let text = if item.lead.is_empty() {
                item.text.clone()
            } else {
                format!("{} {}", item.lead, item.text)
            };
            let clean = self.face.clean(&text);
            let lines = self.face.wrap(&clean, BODY, WIDTH - 12.0);
            let li = self.node(Kind::Li, Some(list));
            self.ensure(lh);
            let lbl = self.node(Kind::Lbl, Some(li));
            self.text_line(lbl, LEFT + 2.0, BODY, INK, "•");
            let body = self.node(Kind::LBody, Some(li));
            // The lead in colour when it starts the first line whole.
            let lead = self.face.clean(&item.lead);
            match lines.split_first() {
                Some((first, rest)) if !lead.is_empty() && first.starts_with(&lead) => {
                    let x = LEFT + 12.0;
                    self.text_line(body, x, BODY, BLUE, &lead);
                    let after = &first[lead.len()..];
                    let gap = self.face.width(&format!("{lead} "), BODY);
                    self.text_line(body, x + gap, BODY, INK, after.trim_start());
                    self.y += lh;
                    self.lines(body, rest, x, BODY, INK);
                }
                _ => self.lines(body, &lines, LEFT + 12.0, BODY, INK),
            }
            self.y += 1.5;
        }
        self.y += BODY * 0.6;
    }

    fn table(&mut self, t: &Table, widths: &[f32]) {
        let cols = t
            .headers
            .len()
            .max(t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let shares: Vec<f32> = (0..cols)
            .map(|i| widths.get(i).copied().unwrap_or(1.0).max(0.01))
            .collect();
        let total: f32 = shares.iter().sum();
        let col_w: Vec<f32> = shares.iter().map(|s| WIDTH * s / total).collect();
        let col_x: Vec<f32> = col_w
            .iter()
            .scan(LEFT, |x, w| {
                let here = *x;
                *x += w;
                Some(here)
            })
            .collect();
        let lh = SMALL * LEADING;
        let face = self.face;
        let wrap_cells = |cells: &[String]| -> Vec<Vec<String>> {
            (0..cols)
                .map(|i| {
                    let clean = face.clean(cells.get(i).map_or("", String::as_str));
                    face.wrap(&clean, SMALL, col_w[i] - 2.0 * PAD)
                })
                .collect()
        };
        let key_value = t.headers.is_empty();
        let header: Vec<String> = t.headers.iter().map(|h| (*h).to_owned()).collect();
        let header_lines = wrap_cells(&header);
        let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
        let table = self.node(Kind::Table, None);
        let rows: Vec<(Cells, Option<(usize, &str)>)> = t
            .rows
            .iter()
            .map(|r| (wrap_cells(&r.cells), r.mark))
            .collect();
        let first_h = rows.first().map_or(0.0, |(c, _)| {
            c.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh
        });
        if !key_value {
            self.ensure(header_h + (first_h + 2.0 * PAD).min(6.0 * lh));
            self.table_header(&header_lines, &col_x, &col_w, header_h, Some(table));
        }
        for (cells, mark) in rows {
            let tr = self.node(Kind::Tr, Some(table));
            let cell_nodes: Vec<usize> = (0..cols)
                .map(|i| {
                    let kind = if key_value && i == 0 {
                        Kind::Th(TableHeaderScope::Row)
                    } else {
                        Kind::Td
                    };
                    self.node(kind, Some(tr))
                })
                .collect();
            let total_lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let page_lines = (((BOTTOM - TOP - header_h - 2.0 * PAD) / lh).floor() as usize).max(1);
            let mut done = 0;
            while done < total_lines {
                let left = total_lines - done;
                let fit = ((BOTTOM - self.y - 2.0 * PAD) / lh).floor().max(0.0) as usize;
                // Move the rest of the row to the next page when it would fit there whole (or
                // nothing fits here); split it only when it is taller than a page.
                if !self.at_top() && (fit == 0 || (fit < left && left <= page_lines)) {
                    self.new_page();
                    if !key_value {
                        self.table_header(&header_lines, &col_x, &col_w, header_h, None);
                    }
                    continue;
                }
                let take = left.min(fit.max(1));
                let h = take as f32 * lh + 2.0 * PAD;
                for i in 0..cols {
                    let fill = match mark {
                        Some((col, class)) if col == i => rating_colour(class),
                        _ if key_value && i == 0 => Some(HEAD_BG),
                        _ => None,
                    };
                    self.push(
                        Op::Rect {
                            rect: (col_x[i], self.y, col_w[i], h),
                            fill: fill.map(|f| (f, 1.0)),
                            stroke: Some((RULE, 0.6)),
                        },
                        Mark::Layout,
                    );
                }
                let top = self.y;
                for i in 0..cols {
                    self.y = top + PAD;
                    let end = (done + take).min(cells[i].len());
                    for line in cells[i].get(done..end).unwrap_or(&[]) {
                        self.text_line(cell_nodes[i], col_x[i] + PAD, SMALL, INK, line);
                        self.y += lh;
                    }
                }
                self.y = top + h;
                done += take;
            }
        }
        self.y += BODY * 0.8;
    }

    /// The header row: real content the first time (under `table`), page furniture when it
    /// is repeated on a following page.
    fn table_header(
        &mut self,
        lines: &[Vec<String>],
        col_x: &[f32],
        col_w: &[f32],
        h: f32,
        table: Option<usize>,
    ) {
        let tr = table.map(|t| self.node(Kind::Tr, Some(t)));
        for i in 0..col_x.len() {
            self.push(
                Op::Rect {
                    rect: (col_x[i], self.y, col_w[i], h),
                    fill: Some((HEAD_BG, 1.0)),
                    stroke: Some((RULE, 0.6)),
                },
                Mark::Layout,
            );
        }
        let top = self.y;
        let lh = SMALL * LEADING;
        for (i, cell) in lines.iter().enumerate() {
            self.y = top + PAD;
            let th = tr.map(|tr| self.node(Kind::Th(TableHeaderScope::Column), Some(tr)));
            for line in cell {
                match th {
                    Some(th) => self.text_line(th, col_x[i] + PAD, SMALL, BLUE, line),
                    None if !line.is_empty() => self.push(
                        Op::Text {
                            x: col_x[i] + PAD,
                            y: self.y + SMALL * 0.93,
                            size: SMALL,
                            color: BLUE,
                            text: line.clone(),
                        },
                        Mark::Pagination,
                    ),
                    None => {}
                }
                self.y += lh;
            }
        }
        self.y = top + h;
    }

    #[allow(clippy::many_single_char_names)] // x/y/w/h/r are the drawing's coordinates.
    fn figure(&mut self, f: &Figure) {
        if f.width <= 0.0 || f.height <= 0.0 {
            return;
        }
        let scale = (WIDTH / f.width).min((BOTTOM - TOP) / f.height);
        let h = f.height * scale;
        self.ensure(h);
        let alt = self.face.clean(&f.alt);
        let node = self.node(Kind::Figure(alt), None);
        let c = self.content(node);
        let (ox, oy) = (LEFT, self.y);
        let at = |p: (f32, f32)| (ox + p.0 * scale, oy + p.1 * scale);
        self.push(
            Op::Rect {
                rect: (ox, oy, f.width * scale, h),
                fill: None,
                stroke: Some((RULE, 0.6)),
            },
            Mark::Figure(c),
        );
        for s in &f.shapes {
            let op = match s {
                Shape::Line {
                    from,
                    to,
                    color,
                    width,
                } => Op::Line {
                    from: at(*from),
                    to: at(*to),
                    color: *color,
                    width: width * scale,
                },
                Shape::Rect { x, y, w, h, color } => {
                    let (x, y) = at((*x, *y));
                    Op::Rect {
                        rect: (x, y, w * scale, h * scale),
                        fill: Some((*color, 0.3)),
                        stroke: Some((*color, 0.5)),
                    }
                }
                Shape::Dot { at: p, r, color } => {
                    let (x, y) = at(*p);
                    let r = r * scale;
                    // An octagon is round enough at this size.
                    let points = (0..8)
                        .map(|k| {
                            let a = std::f32::consts::FRAC_PI_4 * k as f32;
                            (x + r * a.cos(), y + r * a.sin())
                        })
                        .collect();
                    Op::Poly {
                        points,
                        color: *color,
                    }
                }
                Shape::Diamond { at: p, r, color } => {
                    let (x, y) = at(*p);
                    let r = r * scale;
                    Op::Poly {
                        points: vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
                        color: *color,
                    }
                }
                Shape::Text {
                    at: p,
                    size,
                    text,
                    centre,
                } => {
                    let (mut x, y) = at(*p);
                    let size = size * scale;
                    let text = self.face.clean(text).replace('\n', " ");
                    if *centre {
                        x -= self.face.width(&text, size) / 2.0;
                    }
                    Op::Text {
                        x,
                        y,
                        size,
                        color: INK,
                        text,
                    }
                }
            };
            self.push(op, Mark::Figure(c));
        }
        self.y += h + BODY;
    }

    /// The footer of every page: the title and "page n / N".
    fn footers(&mut self, title: &str) {
        let n = self.pages.len();
        let title = self.face.clean(title).replace('\n', " ");
        let mut short = String::new();
        for c in title.chars() {
            if self.face.width(&short, 7.5) > WIDTH - 60.0 {
                short.push('…');
                break;
            }
            short.push(c);
        }
        for (i, page) in self.pages.iter_mut().enumerate() {
            page.push((
                Op::Line {
                    from: (LEFT, BOTTOM + 14.0),
                    to: (RIGHT, BOTTOM + 14.0),
                    color: RULE,
                    width: 0.5,
                },
                Mark::Pagination,
            ));
            page.push((
                Op::Text {
                    x: LEFT,
                    y: BOTTOM + 26.0,
                    size: 7.5,
                    color: GREY,
                    text: short.clone(),
                },
                Mark::Pagination,
            ));
            let number = format!("{} / {n}", i + 1);
            let w = self.face.width(&number, 7.5);
            page.push((
                Op::Text {
                    x: RIGHT - w,
                    y: BOTTOM + 26.0,
                    size: 7.5,
                    color: GREY,
                    text: number,
                },
                Mark::Pagination,
            ));
        }
    }
}

fn rating_colour(class: &str) -> Option<Rgb> {
    match class {
        "P" => Some(Rgb(0xd8, 0xef, 0xd8)),
        "S" => Some(Rgb(0xee, 0xf6, 0xcf)),
        "M" => Some(Rgb(0xfb, 0xe6, 0xc8)),
        "U" => Some(Rgb(0xf6, 0xd0, 0xd0)),
        _ => None,
    }
}

fn paint(c: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn fill(c: Rgb, opacity: f32) -> Fill {
    Fill {
        paint: paint(c),
        opacity: NormalizedF32::new(opacity.clamp(0.0, 1.0)).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::NonZero,
    }
}

fn draw(s: &mut Surface<'_>, face: &Face, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            color,
            text,
        } => {
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .filter_map(|(i, c)| {
                    let (g, advance) = face.glyph(c)?;
                    Some(KrillaGlyph::new(
                        g,
                        advance,
                        0.0,
                        0.0,
                        0.0,
                        i..i + c.len_utf8(),
                        None,
                    ))
                })
                .collect();
            if glyphs.is_empty() {
                return;
            }
            s.set_stroke(None);
            s.set_fill(Some(fill(*color, 1.0)));
            s.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                face.font.clone(),
                text,
                *size,
                false,
            );
        }
        Op::Rect {
            rect,
            fill: f,
            stroke,
        } => {
            let mut pb = PathBuilder::new();
            let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2.max(0.1), rect.3.max(0.1)) else {
                return;
            };
            pb.push_rect(r);
            let Some(path) = pb.finish() else { return };
            s.set_fill(f.map(|(c, o)| fill(c, o)));
            s.set_stroke(stroke.map(|(c, w)| Stroke {
                paint: paint(c),
                width: w,
                ..Stroke::default()
            }));
            s.draw_path(&path);
        }
        Op::Line {
            from,
            to,
            color,
            width,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.0, from.1);
            pb.line_to(to.0, to.1);
            let Some(path) = pb.finish() else { return };
            s.set_fill(None);
            s.set_stroke(Some(Stroke {
                paint: paint(*color),
                width: *width,
                ..Stroke::default()
            }));
            s.draw_path(&path);
        }
        Op::Image { rect, image } => {
            let Some(size) = krilla::geom::Size::from_wh(rect.2.max(0.1), rect.3.max(0.1)) else {
                return;
            };
            s.push_transform(&Transform::from_translate(rect.0, rect.1));
            s.draw_image(image.clone(), size);
            s.pop();
        }
        Op::Poly { points, color } => {
            let mut pb = PathBuilder::new();
            for (i, p) in points.iter().enumerate() {
                if i == 0 {
                    pb.move_to(p.0, p.1);
                } else {
                    pb.line_to(p.0, p.1);
                }
            }
            pb.close();
            let Some(path) = pb.finish() else { return };
            s.set_stroke(None);
            s.set_fill(Some(fill(*color, 1.0)));
            s.draw_path(&path);
        }
    }
}

/// The structure element of a node, with its children (krilla drops a group left empty).
fn group(nodes: &[Node], ids: &mut [Option<Identifier>], n: usize) -> TagGroup {
    let node = &nodes[n];
    let mut g = match &node.kind {
        Kind::Heading(level, title) => TagGroup::new(Tag::Hn(
            NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN),
            Some(title.clone()),
        )),
        Kind::P => TagGroup::new(Tag::P),
        Kind::L => TagGroup::new(Tag::L(ListNumbering::Disc)),
        Kind::Li => TagGroup::new(Tag::LI),
        Kind::Lbl => TagGroup::new(Tag::Lbl),
        Kind::LBody => TagGroup::new(Tag::LBody),
        Kind::Table => TagGroup::new(Tag::Table),
        Kind::Tr => TagGroup::new(Tag::TR),
        Kind::Th(scope) => TagGroup::new(Tag::TH(*scope)),
        Kind::Td => TagGroup::new(Tag::TD),
        Kind::Figure(alt) => TagGroup::new(Tag::Figure(Some(alt.clone()))),
    };
    for kid in &node.kids {
        match kid {
            Kid::Node(k) => g.push(group(nodes, ids, *k)),
            Kid::Content(c) => {
                if let Some(id) = ids.get_mut(*c).and_then(Option::take) {
                    g.push(id);
                }
            }
        }
    }
    g
}

/// The outline from the headings: level 2 under the last level 1, level 3 under the last 2.
fn outline(headings: &[(u8, String, usize, f32)]) -> Outline {
    fn children(
        headings: &[(u8, String, usize, f32)],
        i: &mut usize,
        level: u8,
    ) -> Vec<OutlineNode> {
        let mut out = Vec::new();
        while let Some((l, text, page, y)) = headings.get(*i) {
            if *l < level {
                break;
            }
            *i += 1;
            let mut node = OutlineNode::new(
                text.clone(),
                XyzDestination::new(*page, Point::from_xy(LEFT, *y)),
            );
            for child in children(headings, i, l + 1) {
                node.push_child(child);
            }
            out.push(node);
        }
        out
    }
    let mut o = Outline::new();
    let mut i = 0;
    while i < headings.len() {
        let level = headings[i].0;
        for node in children(headings, &mut i, level) {
            o.push_child(node);
        }
    }
    o
}

/// Renders a document as a tagged (PDF/UA-1), A4 PDF with the font embedded. A picture whose
/// data turns out not to be drawable (a damaged PNG is decoded only when the file is written)
/// does not cost the whole document: it is written again with every picture named instead.
pub fn render(d: &Doc) -> Result<Vec<u8>, PdfError> {
    match render_with(d, true) {
        Err(_) if d.blocks.iter().any(|b| matches!(b, Block::Attachment(_))) => {
            render_with(d, false)
        }
        r => r,
    }
}

fn render_with(d: &Doc, pictures: bool) -> Result<Vec<u8>, PdfError> {
    let face = Face::load()?;
    let mut lay = Layout::new(&face, d.lang, pictures);
    for (i, b) in d.blocks.iter().enumerate() {
        lay.block(b, d.blocks.get(i + 1));
    }
    lay.footers(&d.title);

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let mut ids: Vec<Option<Identifier>> = vec![None; lay.contents];
    let size =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("page size".into()))?;
    for ops in &lay.pages {
        let mut page = document.start_page_with(size.clone());
        let mut s = page.surface();
        let mut i = 0;
        while i < ops.len() {
            let mark = ops[i].1;
            let end = ops[i..]
                .iter()
                .position(|(_, m)| *m != mark)
                .map_or(ops.len(), |k| i + k);
            let tag = match mark {
                Mark::Text(_) => ContentTag::Span(SpanTag::empty()),
                Mark::Figure(_) => ContentTag::Other,
                Mark::Layout => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
                Mark::Pagination => {
                    ContentTag::Artifact(Artifact::with_kind(ArtifactType::PaginationOther))
                }
            };
            let id = s.start_tagged(tag);
            for (op, _) in &ops[i..end] {
                draw(&mut s, &face, op);
            }
            s.end_tagged();
            if let Mark::Text(c) | Mark::Figure(c) = mark
                && let Some(slot) = ids.get_mut(c)
            {
                *slot = Some(id);
            }
            i = end;
        }
        s.finish();
        page.finish();
    }
    let lang = crate::i18n::tr(d.lang, "nl", "en");
    let mut tree = TagTree::new().with_lang(Some(lang.to_owned()));
    for &r in &lay.roots {
        tree.push(group(&lay.nodes, &mut ids, r));
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(&lay.outline));
    document.set_metadata(
        Metadata::new()
            .title(face.clean(&d.title).replace('\n', " "))
            .language(lang.to_owned())
            .creator("Paraat".to_owned()),
    );
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Wrapping loses no character, keeps every line within the width (a line of one
        /// character excepted), and starts a line at every line break.
        #[test]
        fn wrapping_keeps_every_character_within_the_width(
            s in "[a-zA-Zé€中 \\-/\\n\\t]{0,400}",
            width in 5.0f32..300.0,
        ) {
            let face = Face::load().expect("font");
            let clean = face.clean(&s);
            let lines = face.wrap(&clean, 9.0, width);
            let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(squash(&lines.concat()), squash(&clean));
            prop_assert!(lines.len() > clean.matches('\n').count());
            for l in &lines {
                prop_assert!(
                    face.width(l, 9.0) <= width + 0.01 || l.chars().count() == 1,
                    "{:?} is {} wide, more than {}", l, face.width(l, 9.0), width
                );
                prop_assert!(l.chars().all(|c| c == ' ' || face.glyph(c).is_some()));
            }
        }
    }

    /// A PNG chunk with its CRC.
    fn chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc = 0xFFFF_FFFF_u32;
        for &b in kind.iter().chain(data) {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        let len = u32::try_from(data.len()).expect("small");
        [&len.to_be_bytes()[..], &kind, data, &(!crc).to_be_bytes()].concat()
    }

    /// A picture whose header is fine but whose pixels are not (krilla decodes a PNG only when
    /// it writes the file) costs the document nothing but the picture: it is named instead;
    /// one whose header is broken too.
    #[test]
    fn a_damaged_picture_is_named_and_the_document_is_still_written() {
        let ihdr = [0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0];
        let damaged = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(*b"IHDR", &ihdr),
            &chunk(*b"IDAT", b"not zlib at all"),
            &chunk(*b"IEND", b""),
        ]
        .concat();
        for bytes in [damaged, b"\x89PNG\r\n\x1a\nbroken".to_vec()] {
            let d = Doc {
                title: "t".into(),
                lang: crate::model::Lang::En,
                blocks: vec![
                    Block::Para("before".into()),
                    Block::Attachment(Attached {
                        lead: String::new(),
                        file: "bijlagen/x.png".into(),
                        caption: "a caption".into(),
                        content: Content::Picture {
                            kind: crate::model::AttachmentKind::Png,
                            bytes: std::sync::Arc::new(bytes),
                        },
                    }),
                ],
            };
            let pdf = render(&d).expect("written without the picture");
            assert!(pdf.starts_with(b"%PDF-"));
            let has = |s: &[u8]| pdf.windows(s.len()).any(|w| w == s);
            assert!(
                !has(b"/Subtype/Image") && !has(b"/Subtype /Image"),
                "no image in the file"
            );
        }
    }

    #[test]
    fn characters_without_a_glyph_or_forbidden_in_pdf_text_show_as_their_code() {
        let face = Face::load().expect("font");
        assert_eq!(
            face.clean("a\u{feff}b\u{e000}c中\u{1b}d\u{202e}e\r\tf"),
            "a[U+FEFF]b[U+E000]c[U+4E2D]d[U+202E]e f"
        );
    }
}
