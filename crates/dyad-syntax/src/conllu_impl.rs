//! A CoNLL-U reader: basic token lines only (multiword-token ranges `1-2` and empty nodes
//! `8.1` are skipped), relations mapped into this crate's label set.

use crate::{Deprel, SyntaxError, Upos};

/// One word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub upos: Upos,
    /// Head as a 0-based index into the sentence, `u32::MAX` for the root.
    pub head: u32,
    pub deprel: Deprel,
}

/// One sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub words: Vec<Word>,
}

impl Sentence {
    /// The word forms.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }

    /// Whether the tree has no crossing arcs.
    pub fn is_projective(&self) -> bool {
        let n = self.words.len();
        let arcs: Vec<(usize, usize)> = self
            .words
            .iter()
            .enumerate()
            .filter(|(_, w)| (w.head as usize) < n)
            .map(|(d, w)| {
                let h = w.head as usize;
                (d.min(h), d.max(h))
            })
            .collect();
        for &(a, b) in &arcs {
            for &(c, d) in &arcs {
                if a < c && c < b && b < d {
                    return false;
                }
            }
        }
        true
    }
}

fn bad(line: usize, reason: impl Into<String>) -> SyntaxError {
    SyntaxError::Conllu {
        line,
        reason: reason.into(),
    }
}

/// Reads every sentence of a CoNLL-U text.
pub fn parse(text: &str) -> Result<Vec<Sentence>, SyntaxError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (ln, line) in text.lines().enumerate() {
        let ln = ln + 1;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() {
                check(&cur, ln)?;
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(bad(ln, format!("{} columns, expected 10", cols.len())));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let id: usize = cols[0].parse().map_err(|_| bad(ln, "bad ID"))?;
        if id != cur.words.len() + 1 {
            return Err(bad(ln, "IDs are not consecutive"));
        }
        let upos: Upos = cols[3].parse().map_err(|_| bad(ln, "unknown UPOS"))?;
        let head: usize = cols[6].parse().map_err(|_| bad(ln, "bad HEAD"))?;
        let deprel = Deprel::from_ud(cols[7]).ok_or_else(|| bad(ln, "unknown DEPREL"))?;
        cur.words.push(Word {
            form: cols[1].to_string(),
            upos,
            head: if head == 0 { u32::MAX } else { head as u32 - 1 },
            deprel,
        });
    }
    if !cur.words.is_empty() {
        check(&cur, text.lines().count())?;
        out.push(cur);
    }
    Ok(out)
}

fn check(s: &Sentence, ln: usize) -> Result<(), SyntaxError> {
    let n = s.words.len();
    if s.words
        .iter()
        .any(|w| w.head != u32::MAX && w.head as usize >= n)
    {
        return Err(bad(ln, "HEAD outside the sentence"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn skips_ranges_and_empty_nodes() {
        let t = "# c\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\t_\t_\t3\taux\t_\t_\n\
                 2\tn't\tnot\tPART\t_\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\t_\t_\t0\troot\t_\t_\n\
                 3.1\tx\t_\tX\t_\t_\t_\t_\t_\t_\n\n";
        let s = super::parse(t).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].words[2].head, u32::MAX);
        assert_eq!(s[0].words[0].head, 2);
        assert!(s[0].is_projective());
        assert!(super::parse("1\tx\n").is_err());
    }
}
