//! A small document model — headings, paragraphs, lists, tables and vector figures — that the
//! handbook renders to HTML, Markdown and PDF, and the after-action report to PDF. Text in it
//! is plain; each renderer escapes it its own way (and [`crate::text::report_safe`] first).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::aar::Table;
use super::html::esc;
use super::markdown::cell;
use crate::model::authoring::read_attachment;
use crate::model::{Attachment, AttachmentKind, Lang};

/// A document: a title (the PDF's title and the HTML page title), its language and its blocks.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The title.
    pub title: String,
    /// The language of the text.
    pub lang: Lang,
    /// The content, in reading order.
    pub blocks: Vec<Block>,
}

/// A block of a [`Doc`].
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading, level 1 (the document's title) to 3; headings make the PDF's outline.
    Heading(u8, String),
    /// A paragraph; line breaks in it start new lines.
    Para(String),
    /// A paragraph in small grey type (explanations, notes).
    Note(String),
    /// A warning in a red box that nobody can miss (`NOT VERIFIED`).
    Banner(String),
    /// A bulleted list: each item with an optional lead in front (a role, a time).
    List(Vec<Item>),
    /// A table; `widths` are the columns' shares of the width (empty: equal).
    Table {
        /// The table (no headers: a two-column key/value table whose first column heads its row).
        table: Table,
        /// Relative column widths.
        widths: Vec<f32>,
    },
    /// A vector drawing with its description for those who cannot see it.
    Figure(Figure),
    /// A file an inject carries: a picture shown whole, a PDF named, or why it could not be read.
    Attachment(Attached),
}

/// A file an inject carries (an attachment shipped beside the scenario), read for a document:
/// the HTML embeds a picture (a `data:` URI, so the file stays self-contained), the PDF draws
/// it, Markdown links to the file beside the scenario. One reader and one HTML writer for the
/// after-action report and the handbook.
#[derive(Debug, Clone)]
pub struct Attached {
    /// What it belongs to, shown before the caption (`00:02 · Videos are circulating`); may be
    /// empty.
    pub lead: String,
    /// The path as the scenario names it, relative to the scenario's folder.
    pub file: String,
    /// What it shows, in the document's language: the picture's alternate text.
    pub caption: String,
    /// What reading it gave.
    pub content: Content,
}

/// What reading an attachment gave.
#[derive(Debug, Clone)]
pub enum Content {
    /// A picture, its kind told by its content when it was read.
    Picture {
        /// PNG or JPEG.
        kind: AttachmentKind,
        /// The file's bytes (shared: the PDF writer takes them as they are).
        bytes: Arc<Vec<u8>>,
    },
    /// A PDF document: named, not embedded.
    Document,
    /// The file could not be read (moved, deleted, changed since validation): why.
    Unreadable(String),
}

impl Attached {
    /// Reads attachment `a` of the scenario at `scenario_path` through
    /// [`crate::model::authoring::read_attachment`] (inside the scenario's folder, a regular
    /// file, at most 5 MiB, PNG, JPEG or PDF by content). A file that cannot be read is not an
    /// error: the document says so in its place.
    pub fn read(scenario_path: &Path, a: &Attachment, lang: Lang, lead: String) -> Self {
        let content = match read_attachment(scenario_path, &a.file) {
            Ok((kind, bytes)) if kind.is_image() => Content::Picture {
                kind,
                bytes: Arc::new(bytes),
            },
            Ok(_) => Content::Document,
            Err(e) => Content::Unreadable(e.to_string()),
        };
        Self {
            lead,
            file: a.file.clone(),
            caption: a.caption.get(lang).to_owned(),
            content,
        }
    }

    /// The line under (or instead of) the picture: what it is, its caption and its file, in
    /// plain text (each renderer escapes it).
    pub fn line(&self, lang: Lang) -> String {
        let l = |nl, en| crate::i18n::tr(lang, nl, en);
        let lead = if self.lead.is_empty() {
            String::new()
        } else {
            format!("{} — ", self.lead)
        };
        match &self.content {
            Content::Picture { .. } => format!(
                "{lead}{}: {} ({})",
                l("Bijlage", "Attachment"),
                self.caption,
                self.file
            ),
            Content::Document => format!(
                "{lead}{}: {} ({})",
                l(
                    "Bijlage (PDF-document, meegeleverd naast het scenario)",
                    "Attachment (PDF document, shipped beside the scenario)"
                ),
                self.caption,
                self.file
            ),
            Content::Unreadable(why) => format!(
                "{lead}{}: {} ({}): {why}",
                l(
                    "Bijlage kon niet worden gelezen",
                    "Attachment could not be read"
                ),
                self.caption,
                self.file
            ),
        }
    }
}

/// Appends an attachment as HTML: a picture inline as a `data:` URI (its media type from the
/// kind its content was recognised as, never from the name) with its caption as alternate
/// text, a document or an unreadable file as a line of text. Every text is escaped.
pub(crate) fn attachment_html(h: &mut String, a: &Attached, lang: Lang) {
    use base64::Engine as _;
    match &a.content {
        Content::Picture { kind, bytes } => {
            let _ = writeln!(
                h,
                "<figure class=\"att\"><img src=\"data:{};base64,{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                kind.mime(),
                base64::engine::general_purpose::STANDARD.encode(bytes.as_slice()),
                esc(&a.caption),
                esc(&a.line(lang))
            );
        }
        Content::Document => {
            let _ = writeln!(h, "<p class=\"att\">{}</p>", esc(&a.line(lang)));
        }
        Content::Unreadable(_) => {
            let _ = writeln!(h, "<p class=\"att warn\">{}</p>", esc(&a.line(lang)));
        }
    }
}

/// The style of [`attachment_html`]'s figures: as wide as the text at most.
pub(crate) const ATTACHMENT_CSS: &str = "figure.att{margin:.6rem 0}figure.att img{max-width:100%;height:auto;border:1px solid #c8ccd0}\
figure.att figcaption,p.att{color:#555;font-size:.85rem}p.att.warn{color:#b00020}";

/// Appends an attachment as Markdown: a picture as an image and a document as a link, both to
/// the file beside the scenario (a relative link: it resolves where the report sits beside the
/// scenario); an unreadable file as a line saying so.
pub(crate) fn attachment_markdown(m: &mut String, a: &Attached, lang: Lang) {
    // The path made inert as a link target: everything but letters, digits and `/._-`
    // percent-encoded, so that no character can end the link or start markup.
    let target: String = a
        .file
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    match &a.content {
        Content::Picture { .. } => {
            let _ = writeln!(
                m,
                "![{}]({target})  \n_{}_\n",
                cell(&a.caption),
                cell(&a.line(lang))
            );
        }
        Content::Document => {
            let _ = writeln!(m, "[{}]({target})\n", cell(&a.line(lang)));
        }
        Content::Unreadable(_) => {
            let _ = writeln!(m, "_{}_\n", cell(&a.line(lang)));
        }
    }
}

/// An item of a [`Block::List`].
#[derive(Debug, Clone)]
pub struct Item {
    /// Shown first (as bold in HTML and Markdown); empty for none.
    pub lead: String,
    /// The text.
    pub text: String,
}

impl Item {
    /// An item without a lead.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            lead: String::new(),
            text: text.into(),
        }
    }
}

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// A vector figure drawn in its own coordinates (`width` × `height`, y downwards), scaled to the
/// text width.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What the figure shows, in words (the PDF's alternate text, the SVG's label).
    pub alt: String,
    /// Width of the drawing's coordinate space.
    pub width: f32,
    /// Height of the drawing's coordinate space.
    pub height: f32,
    /// The shapes, drawn in order.
    pub shapes: Vec<Shape>,
}

/// A shape of a [`Figure`].
#[derive(Debug, Clone)]
pub enum Shape {
    /// A straight line.
    Line {
        /// Start and end points.
        from: (f32, f32),
        /// End point.
        to: (f32, f32),
        /// Colour.
        color: Rgb,
        /// Line width.
        width: f32,
    },
    /// A rectangle, filled lightly with its colour and outlined in it.
    Rect {
        /// Left, top, width, height.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Colour.
        color: Rgb,
    },
    /// A filled circle.
    Dot {
        /// Centre.
        at: (f32, f32),
        /// Radius.
        r: f32,
        /// Colour.
        color: Rgb,
    },
    /// A filled diamond.
    Diamond {
        /// Centre.
        at: (f32, f32),
        /// Half its width.
        r: f32,
        /// Colour.
        color: Rgb,
    },
    /// One line of text, its baseline at `at`; centred on `at` when `centre`.
    Text {
        /// Where.
        at: (f32, f32),
        /// Font size in the figure's units.
        size: f32,
        /// The text.
        text: String,
        /// Centred rather than starting at `at`.
        centre: bool,
    },
}

/// Renders a document as one self-contained, escaped HTML file.
pub fn to_html(d: &Doc) -> String {
    const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232a;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #154273;padding-bottom:.2rem;margin-top:2rem;color:#154273}h3{font-size:1.05rem;margin-top:1.4rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #c8ccd0;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}.P{background:#d8efd8}.S{background:#eef6cf}.M{background:#fbe6c8}.U{background:#f6d0d0}.small{color:#555;font-size:.85rem}\
.banner{border:4px solid #b00020;background:#fde7ea;color:#b00020;font-weight:700;padding:.6rem .8rem;margin:1rem 0}p{white-space:pre-line}\
svg{width:100%;height:auto;border:1px solid #c8ccd0}@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid}tr{break-inside:avoid}}";
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}{ATTACHMENT_CSS}</style></head><body>\n",
        crate::i18n::tr(d.lang, "nl", "en"),
        esc(&d.title)
    );
    for b in &d.blocks {
        match b {
            Block::Heading(level, text) => {
                let level = (*level).clamp(1, 6);
                let _ = writeln!(h, "<h{level}>{}</h{level}>", esc(text));
            }
            Block::Para(text) => {
                let _ = writeln!(h, "<p>{}</p>", esc(text));
            }
            Block::Note(text) => {
                let _ = writeln!(h, "<p class=\"small\">{}</p>", esc(text));
            }
            Block::Banner(text) => {
                let _ = writeln!(
                    h,
                    "<div class=\"banner\" role=\"alert\">{}</div>",
                    esc(text)
                );
            }
            Block::List(items) => {
                h.push_str("<ul>");
                for i in items {
                    if i.lead.is_empty() {
                        let _ = write!(h, "<li>{}</li>", esc(&i.text));
                    } else {
                        let _ = write!(h, "<li><b>{}</b> {}</li>", esc(&i.lead), esc(&i.text));
                    }
                }
                h.push_str("</ul>\n");
            }
            Block::Table { table, .. } if table.headers.is_empty() => {
                h.push_str("<table>");
                for r in &table.rows {
                    h.push_str("<tr>");
                    for (i, c) in r.cells.iter().enumerate() {
                        let tag = if i == 0 { "th" } else { "td" };
                        let _ = write!(h, "<{tag}>{}</{tag}>", esc(c));
                    }
                    h.push_str("</tr>");
                }
                h.push_str("</table>\n");
            }
            Block::Table { table, .. } => super::html::table(&mut h, table),
            Block::Figure(f) => h.push_str(&svg(f)),
            Block::Attachment(a) => attachment_html(&mut h, a, d.lang),
        }
    }
    h.push_str("</body></html>\n");
    h
}

/// A figure as inline SVG, every text escaped.
fn svg(f: &Figure) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        f.width,
        f.height,
        esc(&f.alt)
    );
    for shape in &f.shapes {
        match shape {
            Shape::Line {
                from,
                to,
                color,
                width,
            } => {
                let _ = write!(
                    s,
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"{width}\"/>",
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    color.hex()
                );
            }
            Shape::Rect { x, y, w, h, color } => {
                let _ = write!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{0}\" fill-opacity=\"0.3\" stroke=\"{0}\"/>",
                    color.hex()
                );
            }
            Shape::Dot { at, r, color } => {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{}\"/>",
                    at.0,
                    at.1,
                    color.hex()
                );
            }
            Shape::Diamond { at, r, color } => {
                let (x, y) = *at;
                let _ = write!(
                    s,
                    "<path d=\"M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z\" fill=\"{}\"/>",
                    y - r,
                    x + r,
                    y + r,
                    x - r,
                    color.hex()
                );
            }
            Shape::Text {
                at,
                size,
                text,
                centre,
            } => {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{size}\" font-family=\"sans-serif\"{}>{}</text>",
                    at.0,
                    at.1,
                    if *centre {
                        " text-anchor=\"middle\""
                    } else {
                        ""
                    },
                    esc(text)
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// Renders a document as Markdown, every text made inert.
pub fn to_markdown(d: &Doc) -> String {
    let mut m = String::new();
    for b in &d.blocks {
        match b {
            Block::Heading(level, text) => {
                let _ = writeln!(
                    m,
                    "{} {}\n",
                    "#".repeat(usize::from((*level).clamp(1, 6))),
                    cell(text)
                );
            }
            Block::Para(text) => {
                // Each line of the paragraph stays a line (two spaces: a hard break).
                let lines: Vec<String> = text.lines().map(cell).collect();
                let _ = writeln!(m, "{}\n", lines.join("  \n"));
            }
            Block::Note(text) => {
                let _ = writeln!(m, "_{}_\n", cell(text));
            }
            Block::Banner(text) => {
                let _ = writeln!(m, "> **{}**\n", cell(text));
            }
            Block::List(items) => {
                for i in items {
                    if i.lead.is_empty() {
                        let _ = writeln!(m, "- {}", cell(&i.text));
                    } else {
                        let _ = writeln!(m, "- **{}** {}", cell(&i.lead), cell(&i.text));
                    }
                }
                m.push('\n');
            }
            Block::Table { table, .. } => {
                let headers: Vec<String> = if table.headers.is_empty() {
                    vec![String::new(); table.rows.first().map_or(2, |r| r.cells.len())]
                } else {
                    table.headers.iter().map(|h| cell(h)).collect()
                };
                let _ = writeln!(
                    m,
                    "| {} |\n|{}",
                    headers.join(" | "),
                    "---|".repeat(headers.len())
                );
                for r in &table.rows {
                    let cells: Vec<String> = r.cells.iter().map(|c| cell(c)).collect();
                    let _ = writeln!(m, "| {} |", cells.join(" | "));
                }
                m.push('\n');
            }
            Block::Figure(f) => {
                let _ = writeln!(m, "_{}_\n", cell(&f.alt));
            }
            Block::Attachment(a) => attachment_markdown(&mut m, a, d.lang),
        }
    }
    m
}
