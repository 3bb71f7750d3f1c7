//! The decoder: greedy tagging, greedy arc-eager parsing, then arc labeling. The state and the
//! feature templates here are shared with training (`crate::train`).

use crate::features::{f1, f2, f3, tagger_features, Tok, NONE};
use crate::model::{Model, LABEL_STRIDE, PARSER_STRIDE};

/// "No token": no head yet, no child, empty stack slot.
pub(crate) const NO: u32 = u32::MAX;

pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;
pub(crate) const REDUCE: usize = 3;
/// Number of unlabeled transitions.
pub(crate) const N_ACTIONS: usize = 4;

/// Parser configuration: stack, buffer front `b` (the buffer is `b..n`), partial tree.
#[derive(Debug, Default, Clone)]
pub(crate) struct State {
    pub n: usize,
    pub stack: Vec<u32>,
    pub b: usize,
    pub head: Vec<u32>,
    pub lmost: Vec<u32>,
    pub rmost: Vec<u32>,
    pub lmost2: Vec<u32>,
    pub rmost2: Vec<u32>,
    pub lval: Vec<u8>,
    pub rval: Vec<u8>,
}

impl State {
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.b = 0;
        self.stack.clear();
        for v in [
            &mut self.head,
            &mut self.lmost,
            &mut self.rmost,
            &mut self.lmost2,
            &mut self.rmost2,
        ] {
            v.clear();
            v.resize(n, NO);
        }
        for v in [&mut self.lval, &mut self.rval] {
            v.clear();
            v.resize(n, 0);
        }
    }

    #[inline]
    pub fn s0(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NO)
    }

    #[inline]
    pub fn valid(&self, a: usize) -> bool {
        let has_s = !self.stack.is_empty();
        let has_b = self.b < self.n;
        match a {
            SHIFT => has_b,
            LEFT => has_s && has_b && self.head[self.s0() as usize] == NO,
            RIGHT => has_s && has_b,
            REDUCE => has_s && self.head[self.s0() as usize] != NO,
            _ => false,
        }
    }

    fn arc(&mut self, h: u32, d: u32) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        if d < h {
            if self.lmost[hu] == NO || d < self.lmost[hu] {
                self.lmost2[hu] = self.lmost[hu];
                self.lmost[hu] = d;
            }
            self.lval[hu] = self.lval[hu].saturating_add(1);
        } else {
            if self.rmost[hu] == NO || d > self.rmost[hu] {
                self.rmost2[hu] = self.rmost[hu];
                self.rmost[hu] = d;
            }
            self.rval[hu] = self.rval[hu].saturating_add(1);
        }
    }

    /// Applies a transition; the caller checked [`State::valid`].
    pub fn apply(&mut self, a: usize) {
        match a {
            SHIFT => {
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            LEFT => {
                if let Some(s) = self.stack.pop() {
                    self.arc(self.b as u32, s);
                }
            }
            RIGHT => {
                let s = self.s0();
                self.arc(s, self.b as u32);
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            _ => {
                self.stack.pop();
            }
        }
    }

    /// Gives every headless token a head: the best-ranked headless token becomes the root and
    /// the others attach to it. Returns the root (or `NO` for an empty sentence).
    pub fn finish(&mut self, tags: &[u8]) -> u32 {
        let mut root = NO;
        let mut best = -1i32;
        for i in 0..self.n {
            if self.head[i] == NO {
                let r = root_rank(tags.get(i).copied().unwrap_or(0));
                if r > best {
                    best = r;
                    root = i as u32;
                }
            }
        }
        for i in 0..self.n {
            if self.head[i] == NO && i as u32 != root {
                self.head[i] = root;
            }
        }
        root
    }
}

/// Preference for the sentence root among headless tokens (tags are UPOS index + 1).
fn root_rank(tag: u8) -> i32 {
    use crate::Upos;
    match Upos::from_index((tag as usize).wrapping_sub(1)) {
        Some(Upos::Verb) => 5,
        Some(Upos::Aux) => 4,
        Some(Upos::Noun | Upos::Propn | Upos::Adj | Upos::Pron) => 3,
        Some(Upos::Punct | Upos::Sym | Upos::X | Upos::Cconj | Upos::Sconj) => 0,
        _ => 1,
    }
}

#[inline(always)]
fn dist_bucket(d: usize) -> u64 {
    match d {
        0..=4 => d as u64,
        5..=6 => 5,
        7..=10 => 6,
        _ => 7,
    }
}

/// Transition-classifier features (Zhang & Nivre 2011 templates without labels).
/// `toks` and `tags` (UPOS index + 1) are per token.
pub(crate) fn parser_features(st: &State, toks: &[Tok], tags: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let n = st.n;
    let w = |i: u32| -> u64 {
        if i == NO {
            NONE
        } else {
            toks[i as usize].w
        }
    };
    let p = |i: u32| -> u64 {
        if i == NO {
            NONE
        } else {
            tags[i as usize] as u64
        }
    };
    let at = |i: usize| -> u32 {
        if i < n {
            i as u32
        } else {
            NO
        }
    };
    let s0 = st.s0();
    let s1 = if st.stack.len() >= 2 {
        st.stack[st.stack.len() - 2]
    } else {
        NO
    };
    let (n0, n1, n2) = (at(st.b), at(st.b + 1), at(st.b + 2));
    let get = |v: &Vec<u32>, i: u32| -> u32 {
        if i == NO {
            NO
        } else {
            v[i as usize]
        }
    };
    let s0h = get(&st.head, s0);
    let s0l = get(&st.lmost, s0);
    let s0r = get(&st.rmost, s0);
    let n0l = get(&st.lmost, n0);
    let s0h2 = get(&st.head, s0h);
    let (s0w, s0p, n0w, n0p) = (w(s0), p(s0), w(n0), p(n0));
    let (n1w, n1p, n2p) = (w(n1), p(n1), p(n2));
    let s0wp = f1(0, s0w ^ s0p);
    let n0wp = f1(0, n0w ^ n0p);
    let d = if s0 == NO || n0 == NO {
        NONE
    } else {
        dist_bucket(n0 as usize - s0 as usize)
    };
    let vl = |i: u32| -> u64 {
        if i == NO {
            NONE
        } else {
            st.lval[i as usize].min(4) as u64
        }
    };
    let vr = |i: u32| -> u64 {
        if i == NO {
            NONE
        } else {
            st.rval[i as usize].min(4) as u64
        }
    };
    let s0has = if s0 == NO { NONE } else { (s0h != NO) as u64 };
    out.push(f1(100, 1));
    out.push(f1(101, s0w));
    out.push(f1(102, s0p));
    out.push(f1(103, s0wp));
    out.push(f1(104, n0w));
    out.push(f1(105, n0p));
    out.push(f1(106, n0wp));
    out.push(f1(107, n1w));
    out.push(f1(108, n1p));
    out.push(f2(109, n1w, n1p));
    out.push(f1(110, n2p));
    out.push(f2(111, s0wp, n0wp));
    out.push(f2(112, s0wp, n0w));
    out.push(f2(113, s0w, n0wp));
    out.push(f2(114, s0wp, n0p));
    out.push(f2(115, s0p, n0wp));
    out.push(f2(116, s0w, n0w));
    out.push(f2(117, s0p, n0p));
    out.push(f2(118, n0p, n1p));
    out.push(f3(119, n0p, n1p, n2p));
    out.push(f3(120, s0p, n0p, n1p));
    out.push(f3(121, p(s0h), s0p, n0p));
    out.push(f3(122, s0p, p(s0l), n0p));
    out.push(f3(123, s0p, p(s0r), n0p));
    out.push(f3(124, s0p, n0p, p(n0l)));
    out.push(f2(125, s0w, d));
    out.push(f2(126, s0p, d));
    out.push(f2(127, n0w, d));
    out.push(f2(128, n0p, d));
    out.push(f3(129, s0w, n0w, d));
    out.push(f3(130, s0p, n0p, d));
    out.push(f2(131, s0w, vr(s0)));
    out.push(f2(132, s0p, vr(s0)));
    out.push(f2(133, s0w, vl(s0)));
    out.push(f2(134, s0p, vl(s0)));
    out.push(f2(135, n0w, vl(n0)));
    out.push(f2(136, n0p, vl(n0)));
    out.push(f1(137, w(s0h)));
    out.push(f1(138, p(s0h)));
    out.push(f1(139, w(s0l)));
    out.push(f1(140, p(s0l)));
    out.push(f1(141, w(s0r)));
    out.push(f1(142, p(s0r)));
    out.push(f1(143, w(n0l)));
    out.push(f1(144, p(n0l)));
    out.push(f3(145, p(s1), s0p, n0p));
    out.push(f2(146, p(s1), n0p));
    out.push(f3(147, s0has, s0p, n0p));
    out.push(f3(148, p(s0h2), p(s0h), s0p));
    out.push(f3(149, s0has, s0w, n0p));
    let s0l2 = get(&st.lmost2, s0);
    let s0r2 = get(&st.rmost2, s0);
    let n0l2 = get(&st.lmost2, n0);
    out.push(f3(150, s0p, p(s0l), p(s0l2)));
    out.push(f3(151, s0p, p(s0r), p(s0r2)));
    out.push(f3(152, n0p, p(n0l), p(n0l2)));
    out.push(f3(153, p(s1), s0p, w(s1)));
}

/// Children of every token, in order (CSR layout).
#[derive(Debug, Default, Clone)]
pub(crate) struct Kids {
    start: Vec<u32>,
    list: Vec<u32>,
    pos: Vec<u32>,
}

impl Kids {
    pub fn build(&mut self, head: &[u32]) {
        let n = head.len();
        self.start.clear();
        self.start.resize(n + 1, 0);
        for &h in head {
            if (h as usize) < n {
                self.start[h as usize + 1] += 1;
            }
        }
        for i in 0..n {
            self.start[i + 1] += self.start[i];
        }
        self.list.clear();
        self.list.resize(self.start[n] as usize, 0);
        self.pos.clear();
        self.pos.extend_from_slice(&self.start);
        for (d, &h) in head.iter().enumerate() {
            if (h as usize) < n {
                self.list[self.pos[h as usize] as usize] = d as u32;
                self.pos[h as usize] += 1;
            }
        }
    }

    pub fn of(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&s), Some(&e)) => self.list.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Labeler features for the arc `head[d] → d` in a complete tree.
pub(crate) fn label_features(
    toks: &[Tok],
    tags: &[u8],
    head: &[u32],
    kids: &Kids,
    d: usize,
    out: &mut Vec<u64>,
) {
    out.clear();
    let h = head[d] as usize;
    let (dw, dp, hw, hp) = (toks[d].w, tags[d] as u64, toks[h].w, tags[h] as u64);
    let dir = (d < h) as u64;
    let dist = dist_bucket(d.abs_diff(h)) | dir << 3;
    let hh = head[h];
    let hhp = if hh == NO {
        NONE
    } else {
        tags[hh as usize] as u64
    };
    out.push(f1(200, dir));
    out.push(f1(201, dw));
    out.push(f2(202, dp, dir));
    out.push(f2(203, dw, dp));
    out.push(f2(204, hw, dir));
    out.push(f2(205, hp, dir));
    out.push(f3(206, dp, hp, dir));
    out.push(f3(207, dw, hp, dir));
    out.push(f3(208, dp, hw, dir));
    out.push(f3(209, dw, hw, dir));
    out.push(f3(210, dp, hp, dist));
    out.push(f3(211, toks[d].suf[2], hp, dir));
    out.push(f3(212, hhp, hp, dp ^ dir << 8));
    let dk = kids.of(d);
    let lc = dk.first().copied().unwrap_or(NO);
    let rc = dk.last().copied().unwrap_or(NO);
    let cw = |c: u32| if c == NO { NONE } else { toks[c as usize].w };
    let cp = |c: u32| {
        if c == NO {
            NONE
        } else {
            tags[c as usize] as u64
        }
    };
    out.push(f3(213, dp, cp(lc), cw(lc)));
    out.push(f3(214, dp, cp(rc), cw(rc)));
    out.push(f3(215, dp, hp, cp(lc)));
    out.push(f2(216, dp, dk.len().min(5) as u64));
    use crate::Upos;
    let func = |t: u64| {
        matches!(
            Upos::from_index((t as usize).wrapping_sub(1)),
            Some(Upos::Adp | Upos::Sconj | Upos::Part | Upos::Aux | Upos::Pron | Upos::Det)
        )
    };
    for &c in dk.iter().take(6) {
        let ct = tags[c as usize] as u64;
        if func(ct) {
            out.push(f3(217, dp, ct, toks[c as usize].w));
            out.push(f3(218, dp ^ hp << 8, ct, toks[c as usize].w));
        }
    }
    let hk = kids.of(h);
    for &c in hk.iter().take(8) {
        let ct = tags[c as usize] as u64;
        if c as usize != d && (c as usize) < h && func(ct) {
            out.push(f3(219, dp ^ dir << 8, ct, toks[c as usize].w));
        }
    }
    // Nearest sibling on d's side of the head between d and h (is d the closest dependent?).
    let closer = hk
        .iter()
        .filter(|&&c| {
            let c = c as usize;
            c != d && ((d < c && c < h) || (h < c && c < d))
        })
        .count()
        .min(3) as u64;
    out.push(f3(220, dp, hp, closer ^ dir << 4));
}

/// Scratch space reused across sentences.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    pub toks: Vec<Tok>,
    pub tags: Vec<u8>,
    pub feats: Vec<u64>,
    pub scores: Vec<i32>,
    pub state: State,
    pub kids: Kids,
    pub labels: Vec<u8>,
}

/// Key of the label dictionary: dependent tag, head tag, direction.
#[inline]
pub(crate) fn label_key(dtag: u8, htag: u8, left: bool) -> u32 {
    (dtag as u32) << 16 | (htag as u32) << 8 | left as u32
}

#[inline]
fn argmax<T: Copy + Ord + Default>(scores: &[T], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best = None;
    let mut bs = T::default();
    for (i, &s) in scores.iter().enumerate() {
        if ok(i) && (best.is_none() || s > bs) {
            best = Some(i);
            bs = s;
        }
    }
    best
}

/// Tags `s.toks` into `s.tags` (UPOS index + 1).
pub(crate) fn tag(model: &Model, s: &mut Scratch) {
    let n = s.toks.len();
    s.tags.clear();
    s.scores.resize(model.tagger.nclass, 0);
    for i in 0..n {
        if let Some(&t) = model.tagdict.get(&s.toks[i].w) {
            s.tags.push(t + 1);
            continue;
        }
        let p1 = if i >= 1 { s.tags[i - 1] } else { 0 };
        let p2 = if i >= 2 { s.tags[i - 2] } else { 0 };
        tagger_features(&s.toks, i, p1, p2, &mut s.feats);
        let sc = &mut s.scores[..model.tagger.nclass];
        model.tagger.score(&s.feats, sc);
        let t = argmax(sc, |_| true).unwrap_or(0);
        s.tags.push(t as u8 + 1);
    }
}

/// Parses with tags already in `s.tags`; leaves the heads in `s.state.head` (root: `NO`).
pub(crate) fn parse_heads(model: &Model, s: &mut Scratch) -> u32 {
    let n = s.toks.len();
    s.state.reset(n);
    while s.state.b < n {
        if s.state.stack.is_empty() {
            s.state.apply(SHIFT);
            continue;
        }
        parser_features(&s.state, &s.toks, &s.tags, &mut s.feats);
        let mut sc = [0i32; PARSER_STRIDE];
        model.parser.score(&s.feats, &mut sc);
        let st = &s.state;
        let a = argmax(&sc, |a| st.valid(a)).unwrap_or(SHIFT);
        s.state.apply(a);
    }
    let root = s.state.finish(&s.tags);
    if (root as usize) < n {
        s.state.head[root as usize] = NO;
    }
    root
}

/// Labels every arc of the tree in `s.state.head` into `s.labels` (Deprel index).
pub(crate) fn label(model: &Model, s: &mut Scratch) {
    let n = s.toks.len();
    s.kids.build(&s.state.head);
    s.labels.clear();
    let root = crate::Deprel::Root.index();
    for d in 0..n {
        if s.state.head[d] == NO {
            s.labels.push(root as u8);
            continue;
        }
        let h = s.state.head[d] as usize;
        if let Some(&l) = model.labeldict.get(&label_key(s.tags[d], s.tags[h], d < h)) {
            s.labels.push(l);
            continue;
        }
        label_features(&s.toks, &s.tags, &s.state.head, &s.kids, d, &mut s.feats);
        let mut sc = [0i16; LABEL_STRIDE];
        model.labeler.score16(&s.feats, &mut sc);
        let nl = model.labeler.nclass;
        let l = argmax(&sc[..nl], |l| l != root).unwrap_or(0);
        s.labels.push(l as u8);
    }
}
