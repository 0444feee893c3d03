//! # Paraat
//!
//! A simulator for tabletop exercises of the Dutch national crisis plan for extreme violence and
//! terrorism (LCP EGT). The library holds the whole product; the `paraat` binary is a thin front
//! end (the desktop app, or a headless CLI).
//!
//! Dependencies point one way: [`model`] → [`engine`] → [`scoring`] / [`journal`] → [`report`] →
//! the front ends. Every file is read through [`files`] (regular files only, bounded reads) and
//! every output but the journal itself is written through it (atomic, never over its inputs);
//! only the journal writer and the user interface read clocks, and only the interface touches
//! egui.

pub mod cli;
pub mod compare;
pub mod describe;
pub mod engine;
pub mod explore;
pub mod files;
pub mod host;
pub mod i18n;
pub mod journal;
pub mod library;
pub mod model;
pub mod msel;
pub mod play;
pub mod projection;
pub mod report;
pub mod room;
pub mod scoring;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;
pub mod whatif;
