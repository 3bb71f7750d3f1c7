//! Name keys: a spelling-tolerant form of a person's name, so that transliteration variants of
//! one name meet ("Pashinián", "Pashinian", "Pashinyan"; "Zelensky", "Zelenskiy", "Zelenskyy")
//! while different names stay apart. Used only for person names, never for common words
//! ("Russia" and "Prussia" must not meet, so there is no edit-distance threshold here).

/// The key of one already-folded (ASCII, lower-case) name token.
pub fn token_key(folded: &str) -> String {
    let mut s: String = folded
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| match c {
            'y' => 'i',
            'w' => 'v',
            c => c,
        })
        .collect();
    for (from, to) in [
        ("kh", "h"),
        ("ph", "f"),
        ("dzh", "j"),
        ("dj", "j"),
        ("ck", "k"),
        ("ou", "u"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // Collapse doubled letters ("Mohammed"/"Mohamed", "Zelenskii"/"Zelenski").
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.chars() {
        if c != prev {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// The key of a multi-token name: token keys joined by single spaces; empty tokens dropped.
pub fn name_key<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for t in tokens {
        let k = token_key(t);
        if k.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_meet() {
        assert_eq!(token_key("pashinian"), token_key("pashinyan"));
        assert_eq!(token_key("zelenskiy"), token_key("zelensky"));
        assert_eq!(token_key("zelenskyy"), token_key("zelensky"));
        assert_eq!(token_key("bairamov"), token_key("bayramov"));
        assert_eq!(token_key("sergei"), token_key("sergey"));
        assert_eq!(token_key("toganian"), token_key("toganyan"));
        assert_eq!(name_key(["vladimir", "putin"]), "vladimir putin");
    }

    #[test]
    fn different_names_stay_apart() {
        assert_ne!(token_key("russia"), token_key("prussia"));
        assert_ne!(
            name_key(["ilham", "aliyev"]),
            name_key(["heydar", "aliyev"])
        );
        assert_ne!(token_key("macron"), token_key("micron"));
    }
}
