//! Full-text queries shared by the store tests (SQLite, and PostgreSQL against SQLite): hostile
//! strings that must give results or a typed error, and queries both stores must answer alike
//! over articles whose words need folding (diacritics, hyphens, other scripts).

#![allow(dead_code)]

use super::articles::article;
use dyad_store::NewArticle;

/// Strings a user (or a fuzzer) may type in the full-text box.
pub fn hostile() -> Vec<String> {
    let mut out: Vec<String> = [
        "\"",
        "*",
        "*é",
        "RUS:GOV",
        "NEAR(",
        "NEAR(a b, 3)",
        "a AND",
        "AND (",
        "OR",
        "a OR",
        "OR b",
        "NOT",
        "NOT NOT",
        "-",
        "--",
        "-war",
        "\"\"",
        "\"\"*",
        "\"unterminated phrase",
        "a\0b",
        "\0",
        "😀",
        "peace 😀 talks",
        "שלום עולם",
        "مرحبا \u{200f}بالعالم",
        "\u{202e}kcatta",
        "'; DROP TABLE events; --",
        "x' | 'y",
        "a:* & !b",
        "!b",
        "\\",
        "\\\"",
        "text:sanctions",
        "{text}: sanctions",
        "sanctions + Russia",
        "^sanctions",
        "(((",
        ")))",
        "%",
        "_",
        "\u{feff}sanctions",
        "Ze\u{301}rich",
        "İstanbul",
        "a*b*c*",
        "***sanction***",
        "Россия OR Αθήνα",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push("a".repeat(2000));
    out.push("a".repeat(101));
    out.push("é".repeat(100));
    out.push(
        (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    out.push("x ".repeat(600));
    out
}

/// Articles whose sentences carry events and words the tokenizer must fold alike in both
/// stores.
pub fn articles() -> Vec<NewArticle> {
    [
        "Officials in Zürich said Russia warned Turkey on Thursday about the peace talks.",
        "The U.S. imposed new sanctions on Iran after the nuclear negotiations collapsed.",
        "Sudan's al-Bashir government accused Egypt of shelling villages near the border.",
        "Russia (Россия) warned Ukraine over the grain deal on Friday.",
        "Greece criticized Turkey after talks in Αθήνα failed, a ceasefire violation.",
        "Armenia accused Azerbaijan of shelling civilians in Nagorno-Karabakh.",
        "Israel and Egypt signed a truce in Cairo; the ceasefire held.",
        "France condemned Mali for expelling the ambassador from Bamako.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| {
        let day = format!("2023-03-{:02}", i + 1);
        article(&format!("fts{i}"), "Folding Wire", &day, t)
    })
    .collect()
}

/// Queries both stores must answer with the same events.
pub const COMPARED: &[&str] = &[
    "zurich",
    "Zürich",
    "ZURICH",
    "Ze\u{301}rich",
    "al-Bashir",
    "bashir",
    "\"al bashir\"",
    "U.S.",
    "\"u s\" sanctions",
    "Россия",
    "россия",
    "Αθήνα",
    "negot*",
    "sanction*",
    "peace talks OR truce",
    "ceasefire -shelling",
    "ceasefire NOT truce",
    "\"peace talks\"",
    "\"talks peace\"",
    "RUS:GOV",
    "Nagorno-Karabakh",
    "shell* -villages",
    "warned Turkey",
    "warned OR condemned OR accused",
    "\"grain deal\"",
    "grain*",
    "ambassador Bamako",
    "the",
];
