//! Logical lines of a PETRARCH dictionary file: comments removed, blank lines skipped, each line
//! kept with its 1-based line number so that errors and warnings can point at it.
//!
//! Comment rules (the ones PETRARCH's reader applies, made a little more robust):
//! - `<!-- … -->` anywhere, possibly spanning lines; a malformed opener `<! --` counts too;
//! - `#` to the end of the line, except inside `[…]` (codes such as `[###]` stay intact).

/// One non-blank line with comments removed and surrounding whitespace trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based line number in the file.
    pub no: usize,
    pub text: String,
}

pub(crate) fn logical_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let mut kept = String::new();
        let mut rest = raw;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(p) => {
                        rest = &rest[p + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!") {
                    Some(p) => {
                        kept.push_str(&rest[..p]);
                        rest = &rest[p + 2..];
                        in_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        let line = strip_hash_comment(&kept).trim();
        if !line.is_empty() {
            out.push(Line {
                no: i + 1,
                text: line.to_string(),
            });
        }
    }
    out
}

/// Cuts a `#` comment, leaving `#` inside square brackets alone.
fn strip_hash_comment(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '#' if depth == 0 => return &s[..i],
            _ => {}
        }
    }
    s
}

/// The `[…]` groups of a line and the text outside them. An unclosed `[` runs to the end of
/// the line; the flag says so.
pub(crate) struct Bracketed<'a> {
    pub outside: String,
    pub groups: Vec<&'a str>,
    pub unclosed: bool,
}

pub(crate) fn brackets(s: &str) -> Bracketed<'_> {
    let mut outside = String::new();
    let mut groups = Vec::new();
    let mut unclosed = false;
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        outside.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) => {
                groups.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => {
                groups.push(after);
                unclosed = true;
                rest = "";
            }
        }
    }
    outside.push_str(rest);
    Bracketed {
        outside,
        groups,
        unclosed,
    }
}

/// PETRARCH's word joiner `_` to spaces, runs of whitespace collapsed.
pub(crate) fn words_of(s: &str) -> String {
    s.replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_numbers() {
        let text = "<!-- head -->\nA [X] # note\n\n<!--\nB [Y]\n-->\nC <!-- mid --> D\n# gone\nE [###]\n<! -- odd -->\nF [Z]#glued";
        let lines = logical_lines(text);
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
        assert_eq!(
            got,
            vec![(2, "A [X]"), (7, "C  D"), (9, "E [###]"), (11, "F [Z]")]
        );
    }

    #[test]
    fn bracket_groups() {
        let b = brackets("JAVIER_DE_CUELLAR_ [IGOUNO 820101-911231] [ELI]");
        assert_eq!(b.groups, vec!["IGOUNO 820101-911231", "ELI"]);
        assert_eq!(b.outside.trim(), "JAVIER_DE_CUELLAR_");
        assert!(!b.unclosed);
        let b = brackets("DEPARMENT_OF_ENVIRONMENT [~ENV}");
        assert!(b.unclosed);
        assert_eq!(b.groups, vec!["~ENV}"]);
        assert_eq!(words_of("NEW_ZEALAND_ "), "NEW ZEALAND");
    }
}
