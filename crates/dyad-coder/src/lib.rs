//! dyad's coding pipeline. A [`Coder`] holds the compiled dictionaries; [`Coder::code`] runs
//! the stages over one [`Article`]:
//!
//! ```text
//! text ─► Document (tokens, sentences, structure) ─► actors ─► syntax ─► quotes ─► events ─► CodedArticle
//! ```
//!
//! Every stage is a plain function from its own crate; this crate wires them and defines the
//! output model (what `dyad code` prints, see `docs/output.md`) and the input model (plain text
//! or JSON Lines records), including the checks that turn bad bytes into clear errors.

pub mod input;

pub use input::{Article, InputError};

use chrono::NaiveDate;
use dyad_actors::{ActorAnnotations, ActorLexicon};
use dyad_dict::{Codebook, Dictionaries, QuadClass};
use dyad_events::EventLexicon;
use dyad_text::Document;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum CoderError {
    #[error(transparent)]
    Dict(#[from] dyad_dict::DictError),
    #[error(transparent)]
    Lexicon(#[from] dyad_actors::LexiconError),
    #[error(transparent)]
    Pattern(#[from] dyad_events::PatternError),
    #[error("syntax model: {0}")]
    Syntax(#[from] dyad_syntax::SyntaxError),
}

pub use dyad_events::Options;

/// Compiled dictionaries, ready to code any number of articles (shareable across threads).
pub struct Coder {
    actors: ActorLexicon,
    events: EventLexicon,
    /// The tagger and parser's weights, shared by the per-call parsers.
    syntax: std::sync::Arc<dyad_syntax::Model>,
    codebook: Codebook,
    options: Options,
}

impl Coder {
    pub fn new(d: &Dictionaries) -> Result<Self, CoderError> {
        // The two lexicons are independent: compile them side by side.
        let (actors, events) = std::thread::scope(|s| {
            let h = s.spawn(|| ActorLexicon::new(d));
            let events = EventLexicon::new(d);
            (h.join(), events)
        });
        let actors = actors.map_err(|_| {
            dyad_actors::LexiconError::Automaton("compiler thread panicked".into())
        })??;
        let syntax = dyad_syntax::Parser::english()?.model().clone();
        Ok(Coder {
            actors,
            events: events?,
            syntax,
            codebook: d.codebook.clone(),
            options: Options::default(),
        })
    }

    /// A coder over the dictionaries embedded in the binary.
    pub fn embedded() -> Result<Self, CoderError> {
        Self::new(&Dictionaries::embedded()?)
    }

    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    pub fn actor_lexicon(&self) -> &ActorLexicon {
        &self.actors
    }
    pub fn event_lexicon(&self) -> &EventLexicon {
        &self.events
    }

    /// Runs every stage over `article`.
    pub fn code(&self, article: &Article) -> CodedArticle {
        let doc = Document::new(article.text.as_str());
        self.code_document(article, &doc)
    }

    /// Codes `article` for an event store: every telling of an act is kept (the store counts
    /// each as a mention of the one event, as GDELT does), whatever this coder's options say.
    pub fn code_for_store(&self, article: &Article) -> CodedArticle {
        let doc = Document::new(article.text.as_str());
        let options = Options {
            keep_repeats: true,
            ..self.options
        };
        self.code_document_with(article, &doc, options)
    }

    /// Codes an already-built document (lets callers keep the document for display).
    pub fn code_document(&self, article: &Article, doc: &Document) -> CodedArticle {
        self.code_document_with(article, doc, self.options)
    }

    fn code_document_with(
        &self,
        article: &Article,
        doc: &Document,
        options: Options,
    ) -> CodedArticle {
        let mut ann = dyad_actors::annotate(doc, &self.actors, article.date);
        let syntax = self.parse_for(doc, &ann);
        let quotes = dyad_quotes::find(doc, &syntax, &ann);
        let events = dyad_events::code(
            doc,
            &syntax,
            &mut ann,
            &quotes,
            &self.events,
            article.date,
            options,
        );
        self.output(article, doc, ann, &quotes, &events)
    }

    /// Tags and parses every sentence. One parser (scratch buffers over the shared model) is
    /// kept per thread, so coding allocates no parser state per article.
    pub fn parse(&self, doc: &Document) -> dyad_syntax::Syntax {
        self.parse_where(doc, |_| true)
    }

    /// Parses the sentences of `doc` that name an actor in `ann`.
    pub fn parse_for(&self, doc: &Document, ann: &ActorAnnotations) -> dyad_syntax::Syntax {
        let mut named = vec![false; doc.sentences.len()];
        for m in &ann.mentions {
            if let Some(x) = named.get_mut(m.sentence) {
                *x = true;
            }
        }
        self.parse_where(doc, |si| named.get(si).copied().unwrap_or(false))
    }

    /// [`Coder::parse`] for the sentences `wanted` selects. The pipeline parses only sentences
    /// that name an actor: no event, quote speaker or argument can come from the others.
    pub fn parse_where(
        &self,
        doc: &Document,
        wanted: impl FnMut(usize) -> bool,
    ) -> dyad_syntax::Syntax {
        thread_local! {
            static PARSER: std::cell::RefCell<Option<dyad_syntax::Parser>> =
                const { std::cell::RefCell::new(None) };
        }
        PARSER.with(|cell| {
            let mut slot = cell.borrow_mut();
            let reuse = slot
                .as_ref()
                .is_some_and(|p| std::sync::Arc::ptr_eq(p.model(), &self.syntax));
            if !reuse {
                *slot = Some(dyad_syntax::Parser::new(self.syntax.clone()));
            }
            match slot.as_mut() {
                Some(p) => dyad_syntax::annotate_where(p, doc, wanted),
                None => dyad_syntax::Syntax::default(),
            }
        })
    }

    fn output(
        &self,
        article: &Article,
        doc: &Document,
        ann: ActorAnnotations,
        quotes: &[dyad_quotes::Quote],
        events: &[dyad_events::Event],
    ) -> CodedArticle {
        // Actors left with no mention (a role re-homed to its country) and named by no event or
        // quote are dropped; the others are renumbered in order.
        let mut used = vec![false; ann.actors.len()];
        for e in events {
            for a in [e.source, e.target].into_iter().flatten() {
                used[a] = true;
            }
        }
        for q in quotes {
            if let Some(a) = q.speaker {
                used[a] = true;
            }
        }
        let mut new_id = vec![0usize; ann.actors.len()];
        let mut next = 0;
        for (i, a) in ann.actors.iter().enumerate() {
            used[i] |= !a.mentions.is_empty();
            if used[i] {
                new_id[i] = next;
                next += 1;
            }
        }
        let actor_ref = |i: usize| {
            let a = &ann.actors[i];
            ActorRef {
                id: new_id[i],
                name: a.name.clone(),
                code: a.code.clone(),
                country: a.country.clone(),
                org: a.org.clone(),
                sector: a.sector.clone(),
            }
        };
        let events = events
            .iter()
            .map(|e| {
                let span = doc.span_of(e.tokens.clone());
                let (plover, mode) = self.codebook.plover(&e.code);
                let root = e.code.get(..2).unwrap_or("").to_string();
                let quad = root.parse::<u8>().ok().and_then(QuadClass::of_root);
                EventOut {
                    source: e.source.map(actor_ref),
                    target: e.target.map(actor_ref),
                    cameo: e.code.clone(),
                    root,
                    cameo_name: self.codebook.get(&e.code).map(|c| c.name.clone()),
                    plover: plover.map(str::to_string),
                    plover_mode: mode.map(str::to_string),
                    goldstein: self.codebook.goldstein(&e.code),
                    quad_class: quad.map(QuadClass::number),
                    date: e.date,
                    date_text: e
                        .date_tokens
                        .clone()
                        .map(|r| doc.surface_range(r).to_string()),
                    place: e.place.map(|p| ann.places[p].clone()),
                    sentence: e.sentence,
                    evidence: Evidence {
                        start: span.start,
                        end: span.end,
                        text: doc.text[span.start..span.end].to_string(),
                    },
                    rule: RuleOut {
                        file: e.rule.file.clone(),
                        entry: e.rule.entry.clone(),
                        pattern_code: e.rule.pattern_code.clone(),
                        recoded: e.rule.recoded.map(str::to_string),
                    },
                    confidence: (e.confidence * 100.0).round() / 100.0,
                    negated: e.negated,
                    hypothetical: e.hypothetical,
                    reported: e.reported,
                    quote: e.quote,
                }
            })
            .collect();
        let quotes = quotes
            .iter()
            .map(|q| QuoteOut {
                text: q.text.clone(),
                start: q.start,
                end: q.end,
                sentence: q.sentence,
                speaker: q.speaker.map(actor_ref),
                cue: q.cue.clone(),
                direct: q.direct,
            })
            .collect();
        let sentences = doc
            .sentences
            .iter()
            .map(|s| SentenceOut {
                start: s.span.start,
                end: s.span.end,
                paragraph: s.paragraph,
            })
            .collect();
        CodedArticle {
            id: article.id.clone(),
            date: article.date,
            url: article.url.clone(),
            source: article.source.clone(),
            title: article.title.clone(),
            events,
            quotes,
            actors: ann
                .actors
                .into_iter()
                .zip(used)
                .filter_map(|(a, u)| u.then_some(a))
                .collect(),
            places: ann.places,
            sentences,
        }
    }
}

/// An actor as it appears inside an event or a quote; `id` indexes the article's `actors`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorRef {
    pub id: usize,
    pub name: String,
    pub code: String,
    pub country: Option<String>,
    pub org: Option<String>,
    pub sector: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleOut {
    pub file: String,
    pub entry: String,
    pub pattern_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recoded: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventOut {
    pub source: Option<ActorRef>,
    pub target: Option<ActorRef>,
    pub cameo: String,
    pub root: String,
    pub cameo_name: Option<String>,
    pub plover: Option<String>,
    pub plover_mode: Option<String>,
    pub goldstein: Option<f64>,
    pub quad_class: Option<u8>,
    pub date: Option<NaiveDate>,
    pub date_text: Option<String>,
    pub place: Option<dyad_actors::PlaceMention>,
    pub sentence: usize,
    pub evidence: Evidence,
    pub rule: RuleOut,
    pub confidence: f32,
    pub negated: bool,
    pub hypothetical: bool,
    pub reported: bool,
    pub quote: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteOut {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub speaker: Option<ActorRef>,
    pub cue: Option<String>,
    pub direct: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentenceOut {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
}

/// Everything dyad found in one article.
#[derive(Debug, Clone, Serialize)]
pub struct CodedArticle {
    pub id: String,
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub events: Vec<EventOut>,
    pub quotes: Vec<QuoteOut>,
    pub actors: Vec<dyad_actors::Actor>,
    pub places: Vec<dyad_actors::PlaceMention>,
    pub sentences: Vec<SentenceOut>,
}

impl CodedArticle {
    /// Tab-separated event rows (no header), one per event.
    pub fn tsv_rows(&self) -> Vec<String> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let actor = |a: &Option<ActorRef>| match a {
            Some(a) => (a.code.clone(), clean(&a.name)),
            None => (String::new(), String::new()),
        };
        self.events
            .iter()
            .map(|e| {
                let (sc, sn) = actor(&e.source);
                let (tc, tn) = actor(&e.target);
                [
                    clean(&self.id),
                    e.date.map(|d| d.to_string()).unwrap_or_default(),
                    sc,
                    sn,
                    tc,
                    tn,
                    e.cameo.clone(),
                    e.plover.clone().unwrap_or_default(),
                    e.goldstein.map(|g| g.to_string()).unwrap_or_default(),
                    e.quad_class.map(|q| q.to_string()).unwrap_or_default(),
                    e.sentence.to_string(),
                    format!("{:.2}", e.confidence),
                    flags(e),
                    clean(&e.evidence.text),
                ]
                .join("\t")
            })
            .collect()
    }
}

/// Header for [`CodedArticle::tsv_rows`].
pub const TSV_HEADER: &str = "id\tdate\tsource_code\tsource_name\ttarget_code\ttarget_name\tcameo\tplover\tgoldstein\tquad_class\tsentence\tconfidence\tflags\tevidence";

fn flags(e: &EventOut) -> String {
    let mut f = Vec::new();
    if e.negated {
        f.push("negated");
    }
    if e.hypothetical {
        f.push("hypothetical");
    }
    if e.reported {
        f.push("reported");
    }
    f.join(",")
}
