//! The tag set (Universal POS) and the dependency label set (universal relations plus the six
//! subtypes dyad keeps).

use std::fmt;
use std::str::FromStr;

use crate::SyntaxError;

macro_rules! label_enum {
    ($(#[$meta:meta])* $name:ident, $count:ident, $all:ident, { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($(#[$vm])* $var),+ }

        /// Number of variants.
        pub const $count: usize = [$($name::$var),+].len();

        impl $name {
            /// Every variant, in index order.
            pub const $all: [$name; $count] = [$($name::$var),+];

            /// The UD name, e.g. `"NOUN"` or `"nsubj:pass"`.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// The variant's index (0-based, the order of declaration).
            pub fn index(self) -> usize {
                self as usize
            }

            /// The variant at `i`, if any.
            pub fn from_index(i: usize) -> Option<Self> {
                Self::$all.get(i).copied()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = SyntaxError;
            fn from_str(s: &str) -> Result<Self, SyntaxError> {
                match s {
                    $($s => Ok($name::$var),)+
                    _ => Err(SyntaxError::UnknownLabel(s.to_string())),
                }
            }
        }
    };
}

label_enum!(
    /// A Universal Dependencies part-of-speech tag (UPOS).
    Upos, UPOS_COUNT, ALL, {
    Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ", Det = "DET",
    Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART", Pron = "PRON", Propn = "PROPN",
    Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM", Verb = "VERB", X = "X",
});

label_enum!(
    /// A dependency relation: the 37 universal UD relations, plus the subtypes `nsubj:pass`,
    /// `obl:agent`, `aux:pass`, `acl:relcl`, `compound:prt` and `nmod:poss`. Every other
    /// subtype is reduced to its universal part ([`Deprel::from_ud`]).
    Deprel, DEPREL_COUNT, ALL, {
    Acl = "acl", AclRelcl = "acl:relcl", Advcl = "advcl", Advmod = "advmod", Amod = "amod",
    Appos = "appos", Aux = "aux", AuxPass = "aux:pass", Case = "case", Cc = "cc",
    Ccomp = "ccomp", Clf = "clf", Compound = "compound", CompoundPrt = "compound:prt",
    Conj = "conj", Cop = "cop", Csubj = "csubj", Dep = "dep", Det = "det",
    Discourse = "discourse", Dislocated = "dislocated", Expl = "expl", Fixed = "fixed",
    Flat = "flat", Goeswith = "goeswith", Iobj = "iobj", List = "list", Mark = "mark",
    Nmod = "nmod", NmodPoss = "nmod:poss", Nsubj = "nsubj", NsubjPass = "nsubj:pass",
    Nummod = "nummod", Obj = "obj", Obl = "obl", OblAgent = "obl:agent", Orphan = "orphan",
    Parataxis = "parataxis", Punct = "punct", Reparandum = "reparandum", Root = "root",
    Vocative = "vocative", Xcomp = "xcomp",
});

impl Deprel {
    /// Maps any UD relation (with any subtype) into this label set: kept subtypes stay, other
    /// subtypes fall back to their universal part (`obl:tmod` → `obl`). `None` for a relation
    /// that is not UD at all.
    pub fn from_ud(s: &str) -> Option<Deprel> {
        if let Ok(d) = s.parse() {
            return Some(d);
        }
        let base = s.split(':').next().unwrap_or(s);
        base.parse().ok()
    }

    /// `nsubj`, `nsubj:pass` or `csubj`.
    pub fn is_subject(self) -> bool {
        matches!(self, Deprel::Nsubj | Deprel::NsubjPass | Deprel::Csubj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for u in Upos::ALL {
            assert_eq!(u.as_str().parse::<Upos>().ok(), Some(u));
        }
        for d in Deprel::ALL {
            assert_eq!(d.to_string().parse::<Deprel>().ok(), Some(d));
        }
        assert_eq!(UPOS_COUNT, 17);
        assert_eq!(DEPREL_COUNT, 43);
        assert_eq!(Deprel::from_ud("obl:tmod"), Some(Deprel::Obl));
        assert_eq!(Deprel::from_ud("nsubj:pass"), Some(Deprel::NsubjPass));
        assert_eq!(Deprel::from_ud("nmod:unmarked"), Some(Deprel::Nmod));
        assert_eq!(Deprel::from_ud("bogus"), None);
        assert!("NOPE".parse::<Upos>().is_err());
    }
}
