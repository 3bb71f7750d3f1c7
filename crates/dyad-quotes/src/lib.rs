//! Quotations in news text and who said them.
//!
//! [`find`] pairs quotation marks (typographic or straight, balanced or not), drops scare quotes
//! ("occupied"), finds indirect "X said that …" statements, and attributes each to a speaker:
//! a cue verb next to the quote ("…”, added Aliyev"; "the Ministry assured that “…"), a
//! possessive frame ("In his words, “…"), or the speaker of the adjacent quote or the previous
//! sentence. The spans it returns also tell the event coder which text is reported speech.

mod reported;

use dyad_actors::{ActorAnnotations, ActorKind};
use dyad_syntax::Syntax;
use dyad_text::{Document, QuoteMark, TokenKind};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Tokens of the quoted words (without the marks).
    pub tokens: Range<usize>,
    /// Byte offsets of the quoted words.
    pub start: usize,
    pub end: usize,
    /// Sentence of the first quoted word.
    pub sentence: usize,
    pub text: String,
    /// Index into the article's actors.
    pub speaker: Option<usize>,
    /// The word that introduced or closed the quote ("said", "added", "reads", "words").
    pub cue: Option<String>,
    /// Direct quotation (in marks) or indirect ("said that …").
    pub direct: bool,
}

impl Quote {
    /// A quote over the (non-empty) token range `tokens` of `doc`.
    fn over(
        doc: &Document,
        tokens: Range<usize>,
        speaker: Option<usize>,
        cue: Option<String>,
        direct: bool,
    ) -> Quote {
        let span = doc.span_of(tokens.clone());
        Quote {
            sentence: doc.tokens[tokens.start].sentence as usize,
            tokens,
            start: span.start,
            end: span.end,
            text: doc.text[span.start..span.end].to_string(),
            speaker,
            cue,
            direct,
        }
    }
}

/// Cue verbs of speech and opinion.
const CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "added",
    "adds",
    "stated",
    "states",
    "declared",
    "declares",
    "told",
    "tells",
    "assured",
    "assures",
    "considers",
    "considered",
    "reads",
    "read",
    "noted",
    "notes",
    "warned",
    "warns",
    "insisted",
    "insists",
    "stressed",
    "stresses",
    "wrote",
    "writes",
    "explained",
    "explains",
    "affirmed",
    "affirms",
    "claimed",
    "claims",
    "announced",
    "announces",
    "commented",
    "concluded",
    "remarked",
    "emphasized",
    "emphasised",
    "underlined",
    "argued",
    "argues",
    "asserted",
    "asserts",
    "continued",
    "replied",
    "responded",
    "recalled",
    "acknowledged",
    "admitted",
    "believes",
    "believed",
    "thinks",
    "thought",
    "expresses",
    "expressed",
    "indicated",
    "indicates",
    "maintained",
    "maintains",
    "reiterated",
    "reiterates",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "alleged",
    "alleges",
    "tweeted",
    "posted",
    "quoted",
    "according",
    "urged",
    "pointed",
    "stressing",
    "adding",
    "noting",
    "warning",
];

/// Cue verbs that introduce an indirect statement with "that" (finite forms only: "a warning
/// that Russia has issued" is no statement).
const INDIRECT_CUES: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "stated",
    "states",
    "declared",
    "declares",
    "told",
    "tells",
    "assured",
    "assures",
    "considers",
    "considered",
    "noted",
    "notes",
    "warned",
    "warns",
    "insisted",
    "insists",
    "stressed",
    "stresses",
    "wrote",
    "writes",
    "explained",
    "explains",
    "affirmed",
    "affirms",
    "claimed",
    "claims",
    "announced",
    "announces",
    "argued",
    "argues",
    "asserted",
    "asserts",
    "believes",
    "believed",
    "thinks",
    "reiterated",
    "reiterates",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "alleged",
    "alleges",
    "acknowledged",
    "admitted",
    "indicated",
    "indicates",
    "maintained",
    "maintains",
    "emphasized",
    "emphasised",
    "recalled",
    "concluded",
    "concludes",
    "ruled",
    "rules",
];

static CUE_SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
    std::sync::LazyLock::new(|| CUES.iter().copied().collect());
static INDIRECT_CUE_SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
    std::sync::LazyLock::new(|| INDIRECT_CUES.iter().copied().collect());

fn is_cue(w: &str) -> bool {
    CUE_SET.contains(w)
}

/// Nouns that make a possessive quote frame: "in his words", "in his view".
const FRAMES: &[&str] = &[
    "words",
    "view",
    "opinion",
    "statement",
    "remarks",
    "judgment",
    "judgement",
];

/// Finds direct and indirect quotes and attributes speakers.
pub fn find(doc: &Document, syntax: &Syntax, actors: &ActorAnnotations) -> Vec<Quote> {
    let mut quotes = Vec::new();
    for (open, close) in pair_marks(doc) {
        let content = open + 1..close;
        if content.is_empty() || is_scare(doc, open, close) {
            continue;
        }
        quotes.push(Quote::over(doc, content, None, None, true));
    }
    for q in &mut quotes {
        let open = q.tokens.start - 1;
        let close = q.tokens.end;
        if let Some((sp, cue)) =
            speaker_after(doc, actors, close).or_else(|| speaker_before(doc, actors, open))
        {
            q.speaker = sp;
            q.cue = Some(cue);
        }
    }
    inherit_speakers(doc, actors, &mut quotes);
    let indirect = indirect_quotes(doc, actors, &quotes);
    quotes.extend(indirect);
    let reported = reported::from_syntax(doc, syntax, actors, &quotes);
    quotes.extend(reported);
    quotes.sort_by_key(|q| q.start);
    quotes
}

/// Reported speech around a token: the index of the quote or "said that" clause containing it.
pub fn quote_at(quotes: &[Quote], token: usize) -> Option<usize> {
    quotes.iter().position(|q| q.tokens.contains(&token))
}

/// Pairs opening and closing marks. An opener while a quote is open closes the open one (news
/// copy often omits a closer between two quoted sentences); a paragraph break closes an open
/// quote too.
fn pair_marks(doc: &Document) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut open: Option<usize> = None;
    let para = |t: usize| doc.sentences[doc.tokens[t].sentence as usize].paragraph;
    for (i, tok) in doc.tokens.iter().enumerate() {
        let TokenKind::Quote(mark) = tok.kind else {
            continue;
        };
        if let Some(o) = open {
            if para(o) != para(i) {
                // Unclosed at the paragraph's end: the quote runs to its last token.
                let mut end = i;
                while end > o + 1 && para(end - 1) != para(o) {
                    end -= 1;
                }
                pairs.push((o, end));
                open = None;
            }
        }
        let opens = match mark {
            QuoteMark::Open => true,
            QuoteMark::Close => false,
            QuoteMark::Either => {
                // A straight quote opens when a space (or nothing) is before it.
                open.is_none()
                    || (i > 0
                        && doc.tokens[i - 1].span.end < tok.span.start
                        && doc
                            .tokens
                            .get(i + 1)
                            .is_some_and(|n| n.span.start == tok.span.end))
            }
        };
        match (opens, open) {
            (true, Some(o)) => {
                pairs.push((o, i));
                open = Some(i);
            }
            (true, None) => open = Some(i),
            (false, Some(o)) => {
                pairs.push((o, i));
                open = None;
            }
            (false, None) => {}
        }
    }
    if let Some(o) = open {
        let mut end = doc.tokens.len();
        while end > o + 1
            && doc.sentences[doc.tokens[end - 1].sentence as usize].paragraph != para(o)
        {
            end -= 1;
        }
        pairs.push((o, end));
    }
    pairs
}

/// A scare quote: a few words with no sentence punctuation, not introduced as speech.
fn is_scare(doc: &Document, open: usize, close: usize) -> bool {
    let words = (open + 1..close)
        .filter(|&t| matches!(doc.tokens[t].kind, TokenKind::Word | TokenKind::Number))
        .count();
    if words > 3 {
        return false;
    }
    let introduced = open > 0 && doc.is_word(open - 1, ":");
    let followed_by_cue =
        (close + 1..(close + 4).min(doc.tokens.len())).any(|t| is_cue(doc.norm(t)));
    let has_final = (open + 1..close).any(|t| doc.tokens[t].kind == TokenKind::Final);
    !(introduced || (followed_by_cue && doc.is_word(close + 1, ",")) || (has_final && words > 1))
}

/// Tokens of the sentence holding token `t` (the last sentence for a position past the end,
/// as when a cue is the text's last word).
fn sentence_range(doc: &Document, t: usize) -> Range<usize> {
    let Some(tok) = doc.tokens.get(t).or_else(|| doc.tokens.last()) else {
        return 0..0;
    };
    doc.sentences
        .get(tok.sentence as usize)
        .map_or(0..0, |s| s.tokens.clone())
}

/// "…”, added Aliyev" / "…”, Putin said" / "…”, reads the statement from the Ministry".
fn speaker_after(
    doc: &Document,
    actors: &ActorAnnotations,
    close: usize,
) -> Option<(Option<usize>, String)> {
    let n = doc.tokens.len();
    let mut t = close + 1;
    // The closing punctuation may stand before or after the mark: ”, / ,”
    while t < n && matches!(doc.norm(t), "," | "--" | "-") {
        t += 1;
    }
    if t == close + 1 && !(close > 0 && doc.is_word(close - 1, ",")) {
        return None;
    }
    let end = (t + 10)
        .min(n)
        .min(sentence_range(doc, t.min(n - 1)).end.max(t));
    let cue = (t..end).find(|&i| is_cue(doc.norm(i)))?;
    let actor = actors
        .mentions_in(t..end)
        .filter(|(_, m)| m.prep.is_none_or(|p| matches!(p, "from" | "of" | "by")))
        .map(|(_, m)| m)
        .next()
        .and_then(|m| speaker_of_mention(actors, m))
        .or_else(|| pronoun_speaker(doc, actors, t..end));
    Some((actor, doc.norm(cue).to_string()))
}

/// "Aliyev said: “…", "the Ministry assured that “…", "In his words, “…", "according to X, “…".
fn speaker_before(
    doc: &Document,
    actors: &ActorAnnotations,
    open: usize,
) -> Option<(Option<usize>, String)> {
    let sent = sentence_range(doc, open);
    let from = sent.start.max(open.saturating_sub(25));
    // The nearest cue (or frame) before the opener, not inside an earlier quote.
    let mut t = open;
    while t > from {
        t -= 1;
        if matches!(doc.tokens[t].kind, TokenKind::Quote(_)) {
            break;
        }
        let w = doc.norm(t);
        if FRAMES.contains(&w)
            && t > 0
            && matches!(doc.norm(t - 1), "his" | "her" | "their" | "its")
        {
            let sp = match doc.norm(t - 1) {
                "his" | "her" => actors.last_person_before(t - 1),
                _ => last_actor_before(actors, t - 1),
            };
            return Some((sp, w.to_string()));
        }
        if is_cue(w) {
            if w == "according" {
                let a = actors
                    .mentions_in(t + 1..open)
                    .map(|(_, m)| m)
                    .next()
                    .and_then(|m| speaker_of_mention(actors, m));
                return Some((a, w.to_string()));
            }
            // The subject of the cue: the nearest actor before it, not inside a quote.
            let subj = actors
                .mentions_in(sent.start..t)
                // A subject is never inside a prepositional phrase ("a visit to wounded soldiers").
                .filter(|(_, m)| m.prep.is_none())
                .map(|(_, m)| m)
                .last()
                .and_then(|m| speaker_of_mention(actors, m))
                .or_else(|| pronoun_speaker(doc, actors, sent.start..t))
                // "The note expresses Moscow's": the actor after the cue.
                .or_else(|| {
                    actors
                        .mentions_in(t + 1..open)
                        .map(|(_, m)| m)
                        .next()
                        .and_then(|m| speaker_of_mention(actors, m))
                });
            return Some((subj, w.to_string()));
        }
    }
    None
}

/// A subject pronoun ("he said") resolved to the last person or actor mentioned.
fn pronoun_speaker(
    doc: &Document,
    actors: &ActorAnnotations,
    range: Range<usize>,
) -> Option<usize> {
    for t in range.clone() {
        match doc.norm(t) {
            "he" | "she" => return actors.last_person_before(t),
            "it" | "they" => return last_actor_before(actors, t),
            _ => {}
        }
    }
    None
}

fn last_actor_before(actors: &ActorAnnotations, t: usize) -> Option<usize> {
    actors.mentions[..actors.mentions.partition_point(|m| m.tokens.end <= t)]
        .iter()
        .rev()
        .find(|m| !matches!(m.prep, Some("in" | "at")))
        .and_then(|m| m.actors.first().copied())
}

fn speaker_of_mention(actors: &ActorAnnotations, m: &dyad_actors::ActorMention) -> Option<usize> {
    // Prefer a person or organization inside the phrase.
    m.actors
        .iter()
        .copied()
        .find(|&a| {
            matches!(
                actors.actors[a].kind,
                ActorKind::Person | ActorKind::Organization
            )
        })
        .or_else(|| m.actors.first().copied())
}

/// Quotes with no cue of their own take the speaker of an adjacent quote in the same
/// paragraph (the next one first: "“…. “…”, added Aliyev"), else the speaker of the last cue in
/// the sentences before.
fn inherit_speakers(doc: &Document, actors: &ActorAnnotations, quotes: &mut [Quote]) {
    let para = |t: usize| doc.sentences[doc.tokens[t].sentence as usize].paragraph;
    for i in (0..quotes.len()).rev() {
        if quotes[i].cue.is_some() {
            continue;
        }
        if let Some(next) = quotes.get(i + 1).cloned() {
            let gap = quotes[i].tokens.end..next.tokens.start.saturating_sub(1);
            let adjacent = gap
                .clone()
                .all(|t| !matches!(doc.tokens[t].kind, TokenKind::Word));
            if adjacent
                && para(next.tokens.start) == para(quotes[i].tokens.start)
                && next.cue.is_some()
            {
                quotes[i].speaker = next.speaker;
                quotes[i].cue = next.cue;
            }
        }
    }
    for i in 0..quotes.len() {
        if quotes[i].cue.is_some() {
            continue;
        }
        if i > 0
            && para(quotes[i - 1].tokens.start) == para(quotes[i].tokens.start)
            && quotes[i - 1].speaker.is_some()
        {
            quotes[i].speaker = quotes[i - 1].speaker;
            quotes[i].cue = quotes[i - 1].cue.clone();
            continue;
        }
        // The previous sentence's cue: "Aliyev … said on Wednesday that …. “Armenia must …"
        let s = doc.tokens[quotes[i].tokens.start].sentence as usize;
        if s > 0 {
            let prev = doc.sentences[s - 1].tokens.clone();
            if let Some(c) = prev.clone().rev().find(|&t| is_cue(doc.norm(t))) {
                if let Some((sp, cue)) = speaker_before(doc, actors, (c + 1).min(prev.end - 1)) {
                    quotes[i].speaker = sp;
                    quotes[i].cue = Some(cue);
                }
            }
        }
    }
}

/// "X said (on Wednesday) that CLAUSE": the clause, when it is not itself a direct quote.
fn indirect_quotes(doc: &Document, actors: &ActorAnnotations, direct: &[Quote]) -> Vec<Quote> {
    let mut out = Vec::new();
    let inside = |t: usize| {
        direct
            .iter()
            .any(|q| q.tokens.start <= t + 1 && t < q.tokens.end + 1)
    };
    for s in &doc.sentences {
        let r = s.tokens.clone();
        let mut t = r.start;
        while t < r.end {
            if INDIRECT_CUE_SET.contains(doc.norm(t)) && !inside(t) {
                // "said that", "said on Wednesday that", "said Tuesday night that"
                let that = (t + 1..(t + 6).min(r.end)).find(|&k| doc.norm(k) == "that");
                if let Some(that) = that {
                    let body_start = that + 1;
                    let starts_quote = body_start < r.end
                        && matches!(doc.tokens[body_start].kind, TokenKind::Quote(_));
                    let mut body_end = r.end;
                    // The clause ends where a direct quote opens (scare quotes do not end it).
                    if let Some(q) = (body_start..r.end)
                        .find(|&k| direct.iter().any(|q| q.tokens.start == k + 1))
                    {
                        body_end = q;
                    }
                    while body_end > body_start
                        && matches!(
                            doc.tokens[body_end - 1].kind,
                            TokenKind::Final | TokenKind::Punct
                        )
                    {
                        body_end -= 1;
                    }
                    if !starts_quote && body_end > body_start + 2 {
                        let speaker = speaker_before(doc, actors, that).and_then(|(sp, _)| sp);
                        out.push(Quote::over(
                            doc,
                            body_start..body_end,
                            speaker,
                            Some(doc.norm(t).to_string()),
                            false,
                        ));
                        t = body_end;
                        continue;
                    }
                }
            }
            t += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(bool, String)> {
        let doc = Document::new(text);
        let ann = ActorAnnotations::default();
        let mut parser = dyad_syntax::Parser::english().expect("embedded model loads");
        let syntax = dyad_syntax::annotate(&mut parser, &doc);
        find(&doc, &syntax, &ann)
            .into_iter()
            .map(|q| (q.direct, q.text))
            .collect()
    }

    #[test]
    fn balanced_typographic_and_straight_marks() {
        let q = quotes("He said: \u{201c}We will win this war.\u{201d} Then: \"Nobody can stop us now,\" he added.");
        assert_eq!(
            q,
            vec![
                (true, "We will win this war.".to_string()),
                (true, "Nobody can stop us now,".to_string())
            ]
        );
    }

    #[test]
    fn an_opener_closes_an_unclosed_quote() {
        let q = quotes("\u{201c}Armenia must leave our land now. \u{201c}If they do, the fighting will stop\u{201d}, he added.");
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[0].1.starts_with("Armenia must leave"));
        assert!(q[1].1.starts_with("If they do"));
    }

    #[test]
    fn paragraph_end_closes_a_quote() {
        let q = quotes(
            "\u{201c}We will never give up the city, he said.\n\nOther news followed here today.",
        );
        assert_eq!(q.len(), 1);
        assert!(!q[0].1.contains("Other news"));
    }

    #[test]
    fn scare_quotes_are_not_quotes() {
        let q = quotes("The \u{201c}occupied\u{201d} territories and Moscow\u{2019}s \u{201c}deep concern\u{201d} were discussed.");
        assert!(q.is_empty(), "{q:?}");
        // A short quote introduced as speech is kept.
        let q = quotes("He said: \u{201c}No.\u{201d}");
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn indirect_statements() {
        let q = quotes("The minister said on Monday that the talks would resume next week.");
        assert_eq!(
            q,
            vec![(false, "the talks would resume next week".to_string())]
        );
        // "a warning that …" is no statement.
        assert!(quotes("It was the first warning that Russia has issued to Turkey.").is_empty());
    }

    #[test]
    fn reported_speech_without_that_or_marks() {
        let q = quotes("Villagers say the soldiers burned three houses on Sunday.");
        assert_eq!(
            q,
            vec![(
                false,
                "the soldiers burned three houses on Sunday".to_string()
            )]
        );
        let q = quotes("The bridge was destroyed overnight, the mayor said.");
        assert_eq!(
            q,
            vec![(false, "The bridge was destroyed overnight".to_string())]
        );
    }
}
