//! Hostile and odd text never panics the coder: a deterministic stream of pseudo-random
//! "articles" built from quotes, apostrophes, dashes, digits, dictionary names, verbs, scripts
//! and control characters, coded one by one.

use dyad_coder::{Article, Coder};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "Russia",
    "Putin",
    "Vladimir Putin",
    "Aliyev",
    "the Armenian ambassador to Russia",
    "U.S.",
    "UN",
    "(OSCE)",
    "Organization for Security",
    "Kremlin",
    "Moscow",
    "in",
    "of",
    "and",
    ",",
    ".",
    ";",
    ":",
    "\u{201c}",
    "\u{201d}",
    "\"",
    "'",
    "\u{2019}s",
    "n't",
    "did",
    "not",
    "will",
    "must",
    "attacked",
    "attack",
    "said",
    "added",
    "urged",
    "called",
    "for",
    "a",
    "ceasefire",
    "talks",
    "on",
    "Tuesday",
    "last",
    "Sunday",
    "yesterday",
    "Sept.",
    "27",
    "1994",
    "2020-09-27",
    "-",
    "\u{2013}",
    "\u{2014}",
    "\u{2026}",
    "(",
    ")",
    "[",
    "]",
    "\n",
    "\n\n",
    "\t",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{200b}",
    "Пашинян",
    "أردوغان",
    "习近平",
    "🙂",
    "e\u{301}",
    "Ceyh\u{fa}n",
    "Bair\u{e1}mov",
    "who",
    "which",
    "that",
    "by",
    "was",
    "were",
    "been",
    "if",
    "unless",
    "ACME",
    "A.B.C.D.",
    "9,000",
    "3.5",
    "$",
    "%",
    "#",
    "@",
    "!!!",
    "???",
    "...",
    "--",
    "'s",
    "’",
    "‘",
    "«",
    "»",
    "„",
];

#[test]
fn random_text_never_panics() {
    let coder = Coder::embedded().expect("embedded dictionaries");
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for i in 0..1500 {
        let n = (rng.next() % 120) as usize;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(PIECES));
            if !rng.next().is_multiple_of(3) {
                text.push(' ');
            }
        }
        let a = Article {
            id: i.to_string(),
            date: dyad_coder::input::parse_date("2020-10-01"),
            text,
            ..Article::default()
        };
        let coded = coder.code(&a);
        // Offsets stay inside the text and on character boundaries.
        for e in &coded.events {
            assert!(
                a.text.get(e.evidence.start..e.evidence.end).is_some(),
                "bad evidence span in {:?}",
                a.text
            );
        }
        for q in &coded.quotes {
            assert!(
                a.text.get(q.start..q.end).is_some(),
                "bad quote span in {:?}",
                a.text
            );
        }
        for act in &coded.actors {
            for m in &act.mentions {
                assert!(
                    a.text.get(m.start..m.end).is_some(),
                    "bad mention span in {:?}",
                    a.text
                );
            }
        }
    }
}

#[test]
fn pathological_repetition_stays_bounded() {
    let coder = Coder::embedded().expect("embedded dictionaries");
    for text in [
        "\u{201c}".repeat(5000),
        "Russia and ".repeat(3000),
        "( ".repeat(4000),
        "Putin said that ".repeat(2000),
        ". ".repeat(10_000),
        "a".repeat(200_000),
    ] {
        let a = Article {
            id: "p".into(),
            text,
            ..Article::default()
        };
        let _ = coder.code(&a);
    }
}
