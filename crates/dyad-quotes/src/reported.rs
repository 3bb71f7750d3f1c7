//! Reported speech without quotation marks, read from the dependency parse: "Residents say the
//! militants took the town", "The army had withdrawn, officials said", "According to the
//! ministry, the talks failed". The clause a speech verb governs (its `ccomp`), or the clause a
//! trailing "X said" hangs from (`parataxis`), is the reported content; the verb's subject is the
//! speaker. Clauses already covered by a direct quote or a "said that" clause are left alone.

use crate::{is_cue, speaker_before, speaker_of_mention, Quote};
use dyad_actors::ActorAnnotations;
use dyad_syntax::{Deprel, Syntax};
use dyad_text::{Document, TokenKind};
use std::ops::Range;

/// Indirect quotes found through the parse, not overlapping `known` quotes.
pub(crate) fn from_syntax(
    doc: &Document,
    syntax: &Syntax,
    actors: &ActorAnnotations,
    known: &[Quote],
) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    if syntax.len() != doc.tokens.len() {
        return out;
    }
    let overlaps = |r: &Range<usize>, qs: &[Quote]| {
        qs.iter()
            .any(|q| q.tokens.start < r.end && r.start < q.tokens.end)
    };
    for s in &doc.sentences {
        for v in s.tokens.clone() {
            let w = doc.norm(v);
            if doc.tokens[v].kind != TokenKind::Word || !is_cue(w) || w == "according" {
                continue;
            }
            let body = match syntax.deprel[v] {
                // "…, officials said": the clause the verb hangs from, up to the verb's phrase.
                // (The parser often labels the trailing attribution `conj`; a real coordination
                // "… and said" has its `cc`.)
                Deprel::Parataxis | Deprel::Conj
                    if !syntax
                        .children(v)
                        .iter()
                        .any(|&c| syntax.deprel[c] == Deprel::Cc) =>
                {
                    syntax.head[v].and_then(|h| {
                        let cut = syntax.subtree_span(v).start;
                        (h < cut).then(|| trim(doc, s.tokens.start..cut))
                    })
                }
                _ => syntax
                    .children(v)
                    .iter()
                    .copied()
                    .find(|&c| syntax.deprel[c] == Deprel::Ccomp && c > v)
                    .map(|c| {
                        let mut r = syntax.subtree_span(c);
                        r.start = r.start.max(v + 1);
                        if doc.norm(r.start) == "that" {
                            r.start += 1;
                        }
                        trim(doc, r)
                    }),
            };
            let Some(body) = body else { continue };
            // Reported content is a clause: it has a verb of its own.
            let has_verb = body.clone().any(|k| {
                matches!(
                    syntax.upos[k],
                    dyad_syntax::Upos::Verb | dyad_syntax::Upos::Aux
                )
            });
            if !has_verb
                || body.len() < 3
                || overlaps(&body, known)
                || overlaps(&body, &out)
                || (body.start..body.end).any(|t| matches!(doc.tokens[t].kind, TokenKind::Quote(_)))
            {
                continue;
            }
            let speaker = syntax
                .subject_of(v)
                .and_then(|subj| {
                    let head = syntax.head_of_phrase(subj);
                    actors
                        .mention_at(head)
                        .or_else(|| actors.mention_at(subj))
                        .and_then(|mi| speaker_of_mention(actors, &actors.mentions[mi]))
                        .or_else(|| match doc.norm(subj) {
                            "he" | "she" => actors.last_person_before(subj),
                            _ => None,
                        })
                })
                // The parse missed the subject: the nearest actor before the verb, as for
                // "said that" clauses.
                .or_else(|| speaker_before(doc, actors, v + 1).and_then(|(sp, _)| sp));
            out.push(Quote::over(doc, body, speaker, Some(w.to_string()), false));
        }
    }
    out
}

/// Drops punctuation at both ends of a token range.
fn trim(doc: &Document, mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end
        && doc.tokens[r.start].kind != TokenKind::Word
        && doc.tokens[r.start].kind != TokenKind::Number
    {
        r.start += 1;
    }
    while r.end > r.start
        && matches!(
            doc.tokens[r.end - 1].kind,
            TokenKind::Punct | TokenKind::Final
        )
    {
        r.end -= 1;
    }
    r
}
