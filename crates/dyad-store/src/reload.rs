//! Reading stored articles back as [`NewArticle`]s, so that one store can be poured into
//! another through the ordinary write path (`dyad merge`): the target applies its own dedup
//! rule and counts, exactly as if it had coded the articles itself.
//!
//! What comes back is what the write path reads. Each event mention is rebuilt from its
//! mention row (sentence, evidence, rule, confidence, names as the article gave them) and the
//! event it was folded into (codes, CAMEO, PLOVER, Goldstein, flags, place, date). With the
//! default dedup window of 0 a mention's date is its event's date, so a merge reproduces the
//! source stores' events exactly; with a wider window a mention is re-dated to its event's day.

use crate::model::{from_day_number, NewArticle};
use crate::{Result, SqliteStore, StoreError};
use dyad_coder::{ActorRef, CodedArticle, EventOut, Evidence, QuoteOut, RuleOut, SentenceOut};
use rusqlite::Row;

impl SqliteStore {
    /// Calls `f` with every stored article, in the order they were stored, rebuilt for
    /// [`crate::EventStore::insert_batch`].
    pub fn for_each_article(&self, f: &mut dyn FnMut(NewArticle) -> Result<()>) -> Result<()> {
        let mut st = self.conn.prepare(
            "SELECT id, key, content_hash, name, source, url, title, date, lang, origin, text,
                    sentences
             FROM articles ORDER BY id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let a = self.rebuild(id, r)?;
            f(a)?;
        }
        Ok(())
    }

    fn rebuild(&self, article_id: i64, r: &Row) -> Result<NewArticle> {
        let date: Option<String> = r.get(7)?;
        let sentences: String = r.get(11)?;
        let offsets: Vec<[usize; 3]> = serde_json::from_str(&sentences)
            .map_err(|e| StoreError::Corrupt(format!("article {article_id}: sentences: {e}")))?;
        let coded = CodedArticle {
            id: r.get(3)?,
            date: date.as_deref().and_then(|d| d.parse().ok()),
            url: r.get(5)?,
            source: r.get(4)?,
            title: r.get(6)?,
            events: self.article_events(article_id)?,
            quotes: self.article_quotes(article_id)?,
            actors: self.article_actors(article_id)?,
            places: Vec::new(),
            sentences: offsets
                .iter()
                .map(|&[start, end, paragraph]| SentenceOut {
                    start,
                    end,
                    paragraph,
                })
                .collect(),
        };
        Ok(NewArticle {
            key: r.get(1)?,
            content_hash: r.get(2)?,
            origin: r.get(9)?,
            text: r.get(10)?,
            lang: r.get(8)?,
            coded,
        })
    }

    fn article_events(&self, article_id: i64) -> Result<Vec<EventOut>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.source_code, m.source_name, e.source_country, e.source_org, e.source_sector,
                    e.target_code, m.target_name, e.target_country, e.target_org, e.target_sector,
                    e.cameo, e.root, e.cameo_name, e.plover, e.plover_mode, e.goldstein,
                    e.quad_class, e.day, e.place_name, e.place_country, e.lat, e.lon,
                    e.negated, e.hypothetical,
                    m.sentence, m.start, m.end, m.evidence, m.rule_file, m.rule_entry,
                    m.pattern_code, m.recoded, m.confidence, m.reported, m.date_text, m.quote
             FROM mentions m JOIN events e ON e.id = m.event_id
             WHERE m.article_id = ?1 ORDER BY m.id",
        )?;
        let rows = st.query_map([article_id], |r| {
            let side = |at: usize| -> rusqlite::Result<Option<ActorRef>> {
                let code: String = r.get(at)?;
                if code.is_empty() {
                    return Ok(None);
                }
                let name: Option<String> = r.get(at + 1)?;
                Ok(Some(ActorRef {
                    id: 0,
                    name: name.unwrap_or_else(|| code.clone()),
                    code,
                    country: r.get(at + 2)?,
                    org: r.get(at + 3)?,
                    sector: r.get(at + 4)?,
                }))
            };
            let usize_at = |at: usize| -> rusqlite::Result<usize> {
                Ok(usize::try_from(r.get::<_, i64>(at)?).unwrap_or(0))
            };
            let day: Option<i64> = r.get(17)?;
            let place_name: Option<String> = r.get(18)?;
            let sentence = usize_at(24)?;
            let place = match place_name {
                Some(name) => Some(dyad_actors::PlaceMention {
                    tokens: 0..0,
                    sentence,
                    name,
                    country: r.get(19)?,
                    kind: None,
                    lat: r.get(20)?,
                    lon: r.get(21)?,
                    prep: None,
                    state: None,
                }),
                None => None,
            };
            let confidence: f64 = r.get(32)?;
            let quote: Option<i64> = r.get(35)?;
            Ok(EventOut {
                source: side(0)?,
                target: side(5)?,
                cameo: r.get(10)?,
                root: r.get(11)?,
                cameo_name: r.get(12)?,
                plover: r.get(13)?,
                plover_mode: r.get(14)?,
                goldstein: r.get(15)?,
                quad_class: r.get(16)?,
                date: day.and_then(from_day_number),
                date_text: r.get(34)?,
                place,
                sentence,
                evidence: Evidence {
                    start: usize_at(25)?,
                    end: usize_at(26)?,
                    text: r.get(27)?,
                },
                rule: RuleOut {
                    file: r.get(28)?,
                    entry: r.get(29)?,
                    pattern_code: r.get(30)?,
                    recoded: r.get(31)?,
                },
                confidence: confidence as f32,
                negated: r.get(22)?,
                hypothetical: r.get(23)?,
                reported: r.get(33)?,
                quote: quote.and_then(|q| usize::try_from(q).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn article_quotes(&self, article_id: i64) -> Result<Vec<QuoteOut>> {
        let mut st = self.conn.prepare_cached(
            "SELECT sentence, start, end, text, speaker_name, speaker_code, cue, direct
             FROM quotes WHERE article_id = ?1 ORDER BY idx",
        )?;
        let rows = st.query_map([article_id], |r| {
            let usize_at = |at: usize| -> rusqlite::Result<usize> {
                Ok(usize::try_from(r.get::<_, i64>(at)?).unwrap_or(0))
            };
            let speaker_name: Option<String> = r.get(4)?;
            let speaker_code: Option<String> = r.get(5)?;
            Ok(QuoteOut {
                text: r.get(3)?,
                start: usize_at(1)?,
                end: usize_at(2)?,
                sentence: usize_at(0)?,
                speaker: speaker_code.map(|code| ActorRef {
                    id: 0,
                    name: speaker_name.unwrap_or_else(|| code.clone()),
                    code,
                    country: None,
                    org: None,
                    sector: None,
                }),
                cue: r.get(6)?,
                direct: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn article_actors(&self, article_id: i64) -> Result<Vec<dyad_actors::Actor>> {
        let mut st = self.conn.prepare_cached(
            "SELECT name, code, country, org, sector, kind, title, mentions
             FROM actors WHERE article_id = ?1 ORDER BY idx",
        )?;
        let rows = st.query_map([article_id], |r| {
            let kind: String = r.get(5)?;
            let mentions: String = r.get(7)?;
            Ok((
                dyad_actors::Actor {
                    name: r.get(0)?,
                    code: r.get(1)?,
                    country: r.get(2)?,
                    org: r.get(3)?,
                    sector: r.get(4)?,
                    kind: dyad_actors::ActorKind::Group,
                    title: r.get(6)?,
                    mentions: Vec::new(),
                },
                kind,
                mentions,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut actor, kind, mentions) = row?;
            let bad = |what: &str, e: serde_json::Error| {
                StoreError::Corrupt(format!("article {article_id}: actor {what}: {e}"))
            };
            actor.kind = serde_json::from_value(serde_json::Value::String(kind))
                .map_err(|e| bad("kind", e))?;
            actor.mentions = serde_json::from_str(&mentions).map_err(|e| bad("mentions", e))?;
            out.push(actor);
        }
        Ok(out)
    }
}
