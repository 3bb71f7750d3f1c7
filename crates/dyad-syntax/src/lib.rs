//! dyad's syntax layer: a pure-Rust Universal POS tagger and greedy arc-eager dependency
//! parser, trained on Universal Dependencies English EWT (CC BY-SA 4.0; the embedded model
//! is a derived work under the same license).
//!
//! * [`Parser`] tags and parses one tokenized sentence into a [`Parse`]:
//!   ```
//!   let mut parser = dyad_syntax::Parser::english().unwrap();
//!   let mut out = dyad_syntax::Parse::default();
//!   parser.parse(&["Police", "arrested", "two", "men", "."], &mut out);
//!   assert_eq!(out.head[1], u32::MAX); // "arrested" is the root
//!   ```
//! * [`annotate`] parses every sentence of a [`dyad_text::Document`] into a [`Syntax`], whose
//!   helpers ([`Syntax::subject_of`], [`Syntax::obliques_of`], ...) answer the questions an
//!   event coder asks.
//!
//! The model (`model/en_ewt.bin`, format in [`model`]) is embedded in the binary; the tool
//! `dyad-train-syntax` trains it deterministically. See `docs/syntax.md`.

mod conllu_impl;
mod doc;
mod features;
mod labels;
pub mod model;
mod parser;
pub mod train;

use std::sync::{Arc, OnceLock};

pub use doc::{annotate, annotate_where, Oblique, Syntax};
pub use labels::{Deprel, Upos, DEPREL_COUNT, UPOS_COUNT};
pub use model::Model;

/// CoNLL-U reading (for training and evaluation).
pub mod conllu {
    pub use crate::conllu_impl::{parse, Sentence, Word};
}

/// Errors of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// The model bytes are malformed.
    #[error("bad syntax model at byte {offset}: {reason}")]
    Model { offset: usize, reason: &'static str },
    /// The model file has another format version.
    #[error("syntax model format version {found}, this build reads version {expected}")]
    Version { found: u32, expected: u32 },
    /// A tag or label name that is not in the label set.
    #[error("unknown UD label {0:?}")]
    UnknownLabel(String),
    /// A CoNLL-U line that cannot be read.
    #[error("CoNLL-U line {line}: {reason}")]
    Conllu { line: usize, reason: String },
}

/// The embedded English model (UD English EWT).
pub static ENGLISH_MODEL: &[u8] = include_bytes!("../model/en_ewt.bin");

/// One parsed sentence: per word, its tag, its head (an index into the sentence, `u32::MAX`
/// for the root) and its relation to the head.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parse {
    pub upos: Vec<Upos>,
    pub head: Vec<u32>,
    pub deprel: Vec<Deprel>,
}

/// `Parse::head` value of the sentence root.
pub const ROOT: u32 = u32::MAX;

impl Parse {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.upos.len()
    }
    /// No words.
    pub fn is_empty(&self) -> bool {
        self.upos.is_empty()
    }
}

/// A tagger + parser: a shared model plus per-parser scratch buffers, reused across
/// sentences so that parsing allocates nothing once the buffers have grown. Not `Sync`; make
/// one per thread (they share the model through an `Arc`).
#[derive(Debug, Clone)]
pub struct Parser {
    model: Arc<Model>,
    scratch: parser::Scratch,
}

impl Parser {
    /// A parser over the embedded English model. The model is decoded once per process and
    /// shared by every parser made this way.
    pub fn english() -> Result<Parser, SyntaxError> {
        static MODEL: OnceLock<Result<Arc<Model>, SyntaxError>> = OnceLock::new();
        let m = MODEL.get_or_init(|| Model::from_bytes(ENGLISH_MODEL).map(Arc::new));
        m.clone().map(Parser::new)
    }

    /// A parser over a model file's bytes.
    pub fn from_bytes(b: &[u8]) -> Result<Parser, SyntaxError> {
        Ok(Parser::new(Arc::new(Model::from_bytes(b)?)))
    }

    /// A parser over an already loaded model.
    pub fn new(model: Arc<Model>) -> Parser {
        Parser {
            model,
            scratch: parser::Scratch::default(),
        }
    }

    /// The model.
    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    /// Tags and parses one sentence of words. Any input is accepted (an empty slice gives an
    /// empty parse); the result is always a tree with exactly one root for a non-empty input.
    pub fn parse(&mut self, words: &[&str], out: &mut Parse) {
        self.run(words.iter().copied(), out);
    }

    /// [`Parser::parse`] over any iterator of words (no slice needed).
    pub fn parse_iter<'a>(&mut self, words: impl IntoIterator<Item = &'a str>, out: &mut Parse) {
        self.run(words.into_iter(), out);
    }

    fn run<'a>(&mut self, words: impl Iterator<Item = &'a str>, out: &mut Parse) {
        let s = &mut self.scratch;
        s.toks.clear();
        s.toks.extend(words.map(features::tok));
        parser::tag(&self.model, s);
        parser::parse_heads(&self.model, s);
        parser::label(&self.model, s);
        write_parse(s, out);
    }

    /// Tags only (no parse): fills `out` with one tag per word.
    pub fn tag(&mut self, words: &[&str], out: &mut Vec<Upos>) {
        let s = &mut self.scratch;
        s.toks.clear();
        s.toks.extend(words.iter().map(|w| features::tok(w)));
        parser::tag(&self.model, s);
        out.clear();
        out.extend(
            s.tags
                .iter()
                .map(|&t| Upos::from_index((t as usize).wrapping_sub(1)).unwrap_or(Upos::X)),
        );
    }

    /// Parses with given tags (for evaluation with gold tags).
    pub fn parse_tagged(&mut self, words: &[&str], tags: &[Upos], out: &mut Parse) {
        let s = &mut self.scratch;
        s.toks.clear();
        s.toks.extend(words.iter().map(|w| features::tok(w)));
        s.tags.clear();
        s.tags
            .extend((0..words.len()).map(|i| tags.get(i).map_or(Upos::X, |t| *t) as u8 + 1));
        parser::parse_heads(&self.model, s);
        parser::label(&self.model, s);
        write_parse(s, out);
    }
}

/// Copies the scratch's tags, heads and labels into `out` (tags are stored shifted by one).
fn write_parse(s: &parser::Scratch, out: &mut Parse) {
    out.upos.clear();
    out.upos.extend(
        s.tags
            .iter()
            .map(|&t| Upos::from_index((t as usize).wrapping_sub(1)).unwrap_or(Upos::X)),
    );
    out.head.clear();
    out.head.extend_from_slice(&s.state.head);
    out.deprel.clear();
    out.deprel.extend(
        s.labels
            .iter()
            .map(|&l| Deprel::from_index(l as usize).unwrap_or(Deprel::Dep)),
    );
}
