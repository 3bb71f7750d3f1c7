//! Training and evaluation (used by the `dyad-train-syntax` tool). Pure computation: sentences
//! in, a [`Model`] out; progress goes to a caller-supplied log function.
//!
//! Deterministic: a fixed-seed generator shuffles the data, and nothing depends on hash-map
//! iteration order or threads, so the same data and [`TrainConfig`] give the same model bytes.

use std::time::Instant;

use rustc_hash::FxHashMap;

use crate::conllu::Sentence;
use crate::features::{tagger_features, tok, Tok};
use crate::model::{dense_row, Dense, Model, Table, LABEL_STRIDE, PARSER_STRIDE};
use crate::parser::{
    label_features, label_key, parser_features, Kids, State, LEFT, NO, N_ACTIONS, REDUCE, RIGHT,
    SHIFT,
};
use crate::{Deprel, Parse, Parser, DEPREL_COUNT, UPOS_COUNT};

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    pub labeler_epochs: usize,
    /// Folds for jackknifed training tags (the parser and labeler learn from predicted tags).
    pub folds: usize,
    pub seed: u64,
    /// Row budget of the tagger table (rows with the largest weights are kept).
    pub tagger_rows: usize,
    /// log2 of the rows of the transition and label tables.
    pub parser_bits: u32,
    pub labeler_bits: u32,
    /// Rows whose largest absolute weight is below this are dropped.
    pub min_abs: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            tagger_epochs: 8,
            parser_epochs: 10,
            labeler_epochs: 8,
            folds: 5,
            seed: 0x5eed_d7ad,
            tagger_rows: 48_000,
            parser_bits: 18,
            labeler_bits: 14,
            min_abs: 0.0,
        }
    }
}

/// Largest quantized label weight: sums of up to 32 features stay within `i16`.
const LABEL_LIMIT: f32 = 1000.0;

/// A fixed-seed xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Averaged multiclass perceptron over hashed features (Daumé's averaging trick).
struct Perceptron {
    nclass: usize,
    map: FxHashMap<u64, u32>,
    w: Vec<f32>,
    u: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(nclass: usize) -> Self {
        Perceptron {
            nclass,
            map: FxHashMap::default(),
            w: Vec::new(),
            u: Vec::new(),
            c: 1.0,
        }
    }

    fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for h in feats {
            if let Some(&r) = self.map.get(h) {
                let r = r as usize * self.nclass;
                for (o, w) in out.iter_mut().zip(&self.w[r..r + self.nclass]) {
                    *o += w;
                }
            }
        }
    }

    fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &h in feats {
            let next = self.map.len() as u32;
            let r = *self.map.entry(h).or_insert(next) as usize;
            if r == next as usize {
                self.w.extend(std::iter::repeat_n(0.0, self.nclass));
                self.u.extend(std::iter::repeat_n(0.0, self.nclass));
            }
            let base = r * self.nclass;
            self.w[base + truth] += 1.0;
            self.u[base + truth] += self.c;
            self.w[base + guess] -= 1.0;
            self.u[base + guess] -= self.c;
        }
    }

    fn tick(&mut self) {
        self.c += 1.0;
    }

    /// Averages, prunes to `max_rows` rows and quantizes to `i16`.
    fn export(&self, max_rows: usize, min_abs: f32) -> Table {
        let nc = self.nclass;
        let mut rows: Vec<(u64, u32, f32)> = Vec::with_capacity(self.map.len());
        let avg = |i: usize| self.w[i] - self.u[i] / self.c;
        for (&k, &r) in &self.map {
            let base = r as usize * nc;
            let m = (0..nc).map(|j| avg(base + j).abs()).fold(0.0f32, f32::max);
            if m > 0.0 && m >= min_abs {
                rows.push((k, r, m));
            }
        }
        rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        rows.truncate(max_rows);
        rows.sort_by_key(|r| r.0);
        let mut abs: Vec<f32> = Vec::with_capacity(rows.len() * nc);
        for &(_, r, _) in &rows {
            for j in 0..nc {
                let v = avg(r as usize * nc + j).abs();
                if v > 0.0 {
                    abs.push(v);
                }
            }
        }
        let q = if abs.is_empty() {
            1.0
        } else {
            let k = ((abs.len() as f64 * 0.99995) as usize).min(abs.len() - 1);
            let (_, v, _) = abs.select_nth_unstable_by(k, |a, b| a.total_cmp(b));
            v.max(1e-6)
        };
        let scale = 32000.0 / q;
        let mut weights = Vec::with_capacity(rows.len() * nc);
        for &(_, r, _) in &rows {
            for j in 0..nc {
                let v = (avg(r as usize * nc + j) * scale).round();
                weights.push(v.clamp(-32767.0, 32767.0) as i16);
            }
        }
        Table::build(nc, rows.iter().map(|r| r.0).collect(), &weights, scale)
    }
}

/// Averaged perceptron over a directly addressed hashed table (hashing trick).
struct DensePerceptron {
    nclass: usize,
    bits: u32,
    w: Vec<f32>,
    u: Vec<f32>,
    c: f32,
}

impl DensePerceptron {
    fn new(nclass: usize, bits: u32) -> Self {
        let n = (1usize << bits) * nclass;
        DensePerceptron {
            nclass,
            bits,
            w: vec![0.0; n],
            u: vec![0.0; n],
            c: 1.0,
        }
    }

    fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for &h in feats {
            let r = dense_row(h, self.bits) * self.nclass;
            for (o, w) in out.iter_mut().zip(&self.w[r..r + self.nclass]) {
                *o += w;
            }
        }
    }

    fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &h in feats {
            let r = dense_row(h, self.bits) * self.nclass;
            self.w[r + truth] += 1.0;
            self.u[r + truth] += self.c;
            self.w[r + guess] -= 1.0;
            self.u[r + guess] -= self.c;
        }
    }

    fn tick(&mut self) {
        self.c += 1.0;
    }

    fn used_rows(&self) -> usize {
        self.w
            .chunks_exact(self.nclass)
            .filter(|r| r.iter().any(|&x| x != 0.0))
            .count()
    }

    /// Averages and quantizes to `i16` rows of `stride` entries, the largest weight (bar
    /// outliers, which are clamped) becoming `limit`.
    fn export(&self, stride: usize, limit: f32) -> Dense {
        let nc = self.nclass;
        let avg = |i: usize| self.w[i] - self.u[i] / self.c;
        let mut abs: Vec<f32> = (0..self.w.len())
            .map(|i| avg(i).abs())
            .filter(|&v| v > 0.0)
            .collect();
        let q = if abs.is_empty() {
            1.0
        } else {
            let k = ((abs.len() as f64 * 0.99995) as usize).min(abs.len() - 1);
            let (_, v, _) = abs.select_nth_unstable_by(k, |a, b| a.total_cmp(b));
            v.max(1e-6)
        };
        let scale = limit / q;
        let rows = 1usize << self.bits;
        let mut w = vec![0i16; rows * stride];
        for r in 0..rows {
            for j in 0..nc {
                let v = (avg(r * nc + j) * scale).round();
                w[r * stride + j] = v.clamp(-limit, limit) as i16;
            }
        }
        Dense {
            nclass: nc,
            stride,
            bits: self.bits,
            w,
            scale,
        }
    }
}

fn argmax_f(scores: &[f32], ok: impl Fn(usize) -> bool) -> usize {
    let mut best = usize::MAX;
    let mut bs = f32::NEG_INFINITY;
    for (i, &s) in scores.iter().enumerate() {
        if ok(i) && (best == usize::MAX || s > bs) {
            best = i;
            bs = s;
        }
    }
    if best == usize::MAX {
        0
    } else {
        best
    }
}

fn toks_of(s: &Sentence) -> Vec<Tok> {
    s.words.iter().map(|w| tok(&w.form)).collect()
}

/// Words seen at least 20 times with one tag at least 99.5% of the time.
fn build_tagdict(train: &[Sentence]) -> FxHashMap<u64, u8> {
    let mut counts: FxHashMap<u64, [u32; UPOS_COUNT]> = FxHashMap::default();
    for s in train {
        for w in &s.words {
            counts.entry(tok(&w.form).w).or_insert([0; UPOS_COUNT])[w.upos.index()] += 1;
        }
    }
    unambiguous(counts, 20)
}

fn train_tagger(
    train: &[&Sentence],
    dict: &FxHashMap<u64, u8>,
    cfg: &TrainConfig,
    seed: u64,
) -> Perceptron {
    let mut p = Perceptron::new(UPOS_COUNT);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng::new(seed);
    let mut feats = Vec::new();
    let mut sc = vec![0.0f32; UPOS_COUNT];
    let toks: Vec<Vec<Tok>> = train.iter().map(|s| toks_of(s)).collect();
    let mut tags: Vec<u8> = Vec::new();
    for _ in 0..cfg.tagger_epochs {
        rng.shuffle(&mut order);
        for &si in &order {
            let s = train[si];
            let t = &toks[si];
            tags.clear();
            for (i, w) in s.words.iter().enumerate() {
                if let Some(&d) = dict.get(&t[i].w) {
                    tags.push(d + 1);
                    continue;
                }
                let p1 = if i >= 1 { tags[i - 1] } else { 0 };
                let p2 = if i >= 2 { tags[i - 2] } else { 0 };
                tagger_features(t, i, p1, p2, &mut feats);
                p.score(&feats, &mut sc);
                let g = argmax_f(&sc, |_| true);
                p.update(&feats, w.upos.index(), g);
                p.tick();
                tags.push(g as u8 + 1);
            }
        }
    }
    p
}

/// Tags with a (training-time) tagger.
fn tag_with(p: &Perceptron, dict: &FxHashMap<u64, u8>, t: &[Tok], out: &mut Vec<u8>) {
    let mut feats = Vec::new();
    let mut sc = vec![0.0f32; UPOS_COUNT];
    out.clear();
    for i in 0..t.len() {
        if let Some(&d) = dict.get(&t[i].w) {
            out.push(d + 1);
            continue;
        }
        let p1 = if i >= 1 { out[i - 1] } else { 0 };
        let p2 = if i >= 2 { out[i - 2] } else { 0 };
        tagger_features(t, i, p1, p2, &mut feats);
        p.score(&feats, &mut sc);
        out.push(argmax_f(&sc, |_| true) as u8 + 1);
    }
}

/// Dynamic-oracle costs (Goldberg & Nivre 2012) of the four transitions: how many gold arcs
/// still reachable each one would make unreachable. A gold root (`NO`) stays reachable while
/// the token has no head.
fn costs(st: &State, gold: &[u32], in_stack: &[bool], out: &mut [i32; N_ACTIONS]) {
    let b = st.b;
    let n = st.n;
    let stacked = |k: u32| k != NO && in_stack[k as usize];
    let headless_stack_deps_of = |h: u32| {
        st.stack
            .iter()
            .filter(|&&k| st.head[k as usize] == NO && gold[k as usize] == h)
            .count() as i32
    };
    let buffer_deps_of = |h: u32| (b..n).filter(|&k| gold[k] == h).count() as i32;
    *out = [i32::MAX; N_ACTIONS];
    if b < n {
        out[SHIFT] = stacked(gold[b]) as i32 + headless_stack_deps_of(b as u32);
    }
    if let Some(&s) = st.stack.last() {
        let gs = gold[s as usize];
        if b < n {
            if st.head[s as usize] == NO {
                let lost_head = gs != b as u32 && (gs == NO || gs as usize > b);
                out[LEFT] = lost_head as i32 + buffer_deps_of(s);
            }
            let gb = gold[b];
            let lost_head = gb != s && (gb == NO || gb as usize > b || stacked(gb));
            out[RIGHT] = lost_head as i32 + headless_stack_deps_of(b as u32);
        }
        if st.head[s as usize] != NO {
            out[REDUCE] = buffer_deps_of(s);
        }
    }
}

/// Scores of a run over a treebank.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub words: usize,
    pub sentences: usize,
    pub upos: usize,
    pub uas: usize,
    pub las: usize,
    /// Non-punctuation words and their attachment scores.
    pub words_np: usize,
    pub uas_np: usize,
    pub las_np: usize,
    pub seconds: f64,
}

impl Scores {
    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
    pub fn upos_pct(&self) -> f64 {
        Self::pct(self.upos, self.words)
    }
    pub fn uas_pct(&self) -> f64 {
        Self::pct(self.uas, self.words)
    }
    pub fn las_pct(&self) -> f64 {
        Self::pct(self.las, self.words)
    }
    pub fn summary(&self) -> String {
        format!(
            "UPOS {:.2}  UAS {:.2}  LAS {:.2}  (no punct: UAS {:.2}  LAS {:.2})  {} sentences, {} words, {:.0} sentences/s",
            self.upos_pct(),
            self.uas_pct(),
            self.las_pct(),
            Self::pct(self.uas_np, self.words_np),
            Self::pct(self.las_np, self.words_np),
            self.sentences,
            self.words,
            self.sentences as f64 / self.seconds.max(1e-9)
        )
    }
}

/// Tags and parses every sentence (predicted tags unless `gold_tags`) and scores the result.
pub fn evaluate(parser: &mut Parser, sents: &[Sentence], gold_tags: bool) -> Scores {
    let mut sc = Scores::default();
    let mut out = Parse::default();
    let mut words: Vec<&str> = Vec::new();
    let mut tags = Vec::new();
    let t0 = Instant::now();
    for s in sents {
        words.clear();
        words.extend(s.words.iter().map(|w| w.form.as_str()));
        if gold_tags {
            tags.clear();
            tags.extend(s.words.iter().map(|w| w.upos));
            parser.parse_tagged(&words, &tags, &mut out);
        } else {
            parser.parse(&words, &mut out);
        }
        sc.sentences += 1;
        for (i, w) in s.words.iter().enumerate() {
            sc.words += 1;
            sc.upos += (out.upos[i] == w.upos) as usize;
            let uh = out.head[i] == w.head;
            let lh = uh && out.deprel[i] == w.deprel;
            sc.uas += uh as usize;
            sc.las += lh as usize;
            if w.upos != crate::Upos::Punct {
                sc.words_np += 1;
                sc.uas_np += uh as usize;
                sc.las_np += lh as usize;
            }
        }
    }
    sc.seconds = t0.elapsed().as_secs_f64();
    sc
}

/// Trains a model on `train`, printing progress (with dev scores after every parser epoch
/// when `dev` is given) through `log`.
pub fn train(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> Model {
    let t0 = Instant::now();
    let dict = build_tagdict(train);
    log(&format!("tag dictionary: {} words", dict.len()));
    let all: Vec<&Sentence> = train.iter().collect();
    let toks: Vec<Vec<Tok>> = train.iter().map(toks_of).collect();

    // Jackknifed tags for the parser's and labeler's training data.
    let mut jtags: Vec<Vec<u8>> = vec![Vec::new(); train.len()];
    let folds = cfg.folds.max(2);
    for f in 0..folds {
        let part: Vec<&Sentence> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, s)| *s)
            .collect();
        let p = train_tagger(&part, &dict, cfg, cfg.seed ^ (f as u64 + 1));
        let (mut right, mut total) = (0usize, 0usize);
        for i in (f..train.len()).step_by(folds) {
            let mut out = Vec::new();
            tag_with(&p, &dict, &toks[i], &mut out);
            for (w, &t) in train[i].words.iter().zip(&out) {
                total += 1;
                right += (w.upos.index() + 1 == t as usize) as usize;
            }
            jtags[i] = out;
        }
        log(&format!(
            "jackknife fold {}/{}: held-out UPOS {:.2}% ({:.0}s)",
            f + 1,
            folds,
            100.0 * right as f64 / total.max(1) as f64,
            t0.elapsed().as_secs_f64()
        ));
    }
    let tagger = train_tagger(&all, &dict, cfg, cfg.seed);
    let tagger_table = tagger.export(cfg.tagger_rows, cfg.min_abs);
    log(&format!(
        "tagger: {} features, kept {} ({:.0}s)",
        tagger.map.len(),
        tagger_table.keys.len(),
        t0.elapsed().as_secs_f64()
    ));
    drop(tagger);

    // Labeler: gold trees, jackknifed tags.
    let mut lab = DensePerceptron::new(DEPREL_COUNT, cfg.labeler_bits);
    let mut rng = Rng::new(cfg.seed ^ 0x1abe1);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats = Vec::new();
    let mut kids = Kids::default();
    let mut sc = vec![0.0f32; DEPREL_COUNT];
    let root = Deprel::Root.index();
    let gold_heads: Vec<Vec<u32>> = train
        .iter()
        .map(|s| s.words.iter().map(|w| w.head).collect())
        .collect();
    for _ in 0..cfg.labeler_epochs {
        rng.shuffle(&mut order);
        for &si in &order {
            let heads = &gold_heads[si];
            kids.build(heads);
            for (d, w) in train[si].words.iter().enumerate() {
                if heads[d] == NO {
                    continue;
                }
                label_features(&toks[si], &jtags[si], heads, &kids, d, &mut feats);
                lab.score(&feats, &mut sc);
                let g = argmax_f(&sc, |l| l != root);
                lab.update(&feats, w.deprel.index(), g);
                lab.tick();
            }
        }
    }
    // Tag combinations that decide the label (seen 100+ times, 99.5% one label).
    let mut combos: FxHashMap<u32, [u32; DEPREL_COUNT]> = FxHashMap::default();
    for (si, s) in train.iter().enumerate() {
        for (d, w) in s.words.iter().enumerate() {
            let h = w.head;
            if h == NO {
                continue;
            }
            let k = label_key(jtags[si][d], jtags[si][h as usize], d < h as usize);
            combos.entry(k).or_insert([0; DEPREL_COUNT])[w.deprel.index()] += 1;
        }
    }
    let labeldict = unambiguous(combos, 100);
    log(&format!(
        "label dictionary: {} tag combinations",
        labeldict.len()
    ));
    let labeler_table = lab.export(LABEL_STRIDE, LABEL_LIMIT);
    log(&format!(
        "labeler: {} of {} rows used ({:.0}s)",
        lab.used_rows(),
        1usize << cfg.labeler_bits,
        t0.elapsed().as_secs_f64()
    ));
    drop(lab);

    // Transition classifier: dynamic oracle with exploration.
    let mut par = DensePerceptron::new(N_ACTIONS, cfg.parser_bits);
    let mut rng = Rng::new(cfg.seed ^ 0xa2c);
    let mut st = State::default();
    let mut in_stack: Vec<bool> = Vec::new();
    let mut sc = [0.0f32; N_ACTIONS];
    let mut cost = [0i32; N_ACTIONS];
    let mut model = Model {
        tagdict: dict,
        labeldict,
        tagger: tagger_table,
        parser: par.export(PARSER_STRIDE, 32000.0),
        labeler: labeler_table,
    };
    for epoch in 0..cfg.parser_epochs {
        rng.shuffle(&mut order);
        let (mut errs, mut steps) = (0usize, 0usize);
        for &si in &order {
            let n = train[si].words.len();
            let gold = &gold_heads[si];
            st.reset(n);
            in_stack.clear();
            in_stack.resize(n, false);
            while st.b < n {
                if st.stack.is_empty() {
                    st.apply(SHIFT);
                    in_stack[st.b - 1] = true;
                    continue;
                }
                parser_features(&st, &toks[si], &jtags[si], &mut feats);
                par.score(&feats, &mut sc);
                costs(&st, gold, &in_stack, &mut cost);
                let pred = argmax_f(&sc, |a| st.valid(a));
                let minc = (0..N_ACTIONS)
                    .filter(|&a| st.valid(a))
                    .map(|a| cost[a])
                    .min()
                    .unwrap_or(0);
                let best_gold = argmax_f(&sc, |a| st.valid(a) && cost[a] == minc);
                steps += 1;
                let next = if cost[pred] == minc {
                    pred
                } else {
                    errs += 1;
                    par.update(&feats, best_gold, pred);
                    if epoch >= 1 && rng.unit() < 0.9 {
                        pred
                    } else {
                        best_gold
                    }
                };
                par.tick();
                match next {
                    LEFT | REDUCE => {
                        if let Some(&s) = st.stack.last() {
                            in_stack[s as usize] = false;
                        }
                    }
                    _ => in_stack[st.b] = true,
                }
                st.apply(next);
            }
        }
        let mut msg = format!(
            "parser epoch {}: {:.2}% transition errors, {} rows used ({:.0}s)",
            epoch + 1,
            100.0 * errs as f64 / steps.max(1) as f64,
            par.used_rows(),
            t0.elapsed().as_secs_f64()
        );
        if let Some(dev) = dev {
            model.parser = par.export(PARSER_STRIDE, 32000.0);
            let mut p = Parser::new(std::sync::Arc::new(model.clone()));
            msg.push_str(&format!(
                "\n  dev: {}",
                evaluate(&mut p, dev, false).summary()
            ));
        }
        log(&msg);
    }
    model.parser = par.export(PARSER_STRIDE, 32000.0);
    model
}

/// The keys whose class is near certain: seen at least `min_total` times, 99.5 % of them with one
/// class (ties go to the lower class index); key → that class. Used for the tag and label
/// dictionaries.
fn unambiguous<K: std::hash::Hash + Eq, const N: usize>(
    counts: FxHashMap<K, [u32; N]>,
    min_total: u32,
) -> FxHashMap<K, u8> {
    let mut d = FxHashMap::default();
    for (k, c) in counts {
        let total: u32 = c.iter().sum();
        let (best, &m) = c
            .iter()
            .enumerate()
            .max_by_key(|&(i, &v)| (v, std::cmp::Reverse(i)))
            .unwrap_or((0, &0));
        if total >= min_total && m as f64 / total as f64 >= 0.995 {
            d.insert(k, best as u8);
        }
    }
    d
}
