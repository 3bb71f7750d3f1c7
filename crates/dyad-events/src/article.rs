//! The article as a whole: one event per distinct act, and the headline merged into the body.
//!
//! News copy tells its main event several times: in the headline, in the lead, again in a
//! quote or a summary paragraph. An analyst wants each act of an article once (the store's
//! dedup works across articles, on top of this). Within an article, events with the same
//! source actor, target actor and CAMEO root are one event; the first telling in the body is kept, since the
//! body's sentence is the better evidence. A headline event is kept only when the body does not
//! tell the same kind of act with a shared party: headline grammar ("Forces, Militants Clash",
//! "Rebels Kill 70") loses the target far more often than the body does, so a target-less
//! headline event gives way to any body event of its root.

use crate::recode::root;
use crate::Event;
use dyad_text::Document;

/// Drops repeated tellings of the same act and headline events the body already tells.
pub(crate) fn merge_repeats(doc: &Document, events: &mut Vec<Event>) {
    // Actors, not codes: Putin's appeal and his foreign minister's are two acts of Russia.
    let key = |e: &Event| {
        let (s, t) = (e.source, e.target);
        // A meeting is mutual: "A met B" and "B met A" are one meeting.
        if root(&e.code) == 4 && t.is_some() && t < s {
            (t, s, root(&e.code))
        } else {
            (s, t, root(&e.code))
        }
    };
    let headline = |e: &Event| doc.structure.is_headline(e.sentence);
    // Body events first, in text order, then the headline's: the body's telling wins.
    let mut order: Vec<usize> = (0..events.len())
        .filter(|&i| !headline(&events[i]))
        .collect();
    order.extend((0..events.len()).filter(|&i| headline(&events[i])));
    let mut keep = vec![false; events.len()];
    let mut seen: Vec<(Option<usize>, Option<usize>, u8)> = Vec::new();
    for i in order {
        let e = &events[i];
        let k = key(e);
        if seen.contains(&k) {
            continue;
        }
        if headline(e) {
            if e.source.is_none() {
                continue;
            }
            // The body tells the same act with one party named differently (a person there,
            // the state here), or with the target the headline left out: same root and one
            // shared party.
            let told = seen.iter().any(|(s, t, r)| {
                *r == k.2 && (*s == k.0 || (k.1.is_some() && *t == k.1) || k.1.is_none())
            });
            if told {
                continue;
            }
        }
        seen.push(k);
        keep[i] = true;
    }
    let mut i = 0;
    events.retain(|_| {
        let k = keep[i];
        i += 1;
        k
    });
}
