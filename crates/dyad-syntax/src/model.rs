//! Weight tables and the model file format.
//!
//! ```text
//! offset  size            field
//! 0       8               magic  b"DYADSYN\0"
//! 8       4               format version (u32, currently 1)
//! 12      4               feature-extraction version (u32; must equal FEATURES_VERSION)
//! 16      4               number of UPOS tags (17)
//! 20      4               number of dependency labels (43)
//! 24      4               tag dictionary entries N
//! 28      9 * N           N x (u64 word hash, u8 UPOS index)
//! ...     4               label dictionary entries M
//!         5 * M           M x (u32 key = dep tag << 16 | head tag << 8 | dep-before-head,
//!                         u8 label index); tags are UPOS index + 1
//! ...                     tagger table (features looked up by fingerprint):
//!         4               classes C
//!         4               rows R
//!         4               scale (f32: quantized = round(weight * scale))
//!         8 * R           feature hashes (u64)
//!         2 * R * C       weights (i16), row-major
//! ...                     transition table, then label table (hashing trick, 2^B rows):
//!         4               classes C
//!         4               B (row index = feature hash >> (64 - B))
//!         4               scale (f32)
//!         ceil(2^B / 8)   bitmap of non-zero rows (bit r%8 of byte r/8)
//!         2 * C * K       the K non-zero rows' weights (i16), in row order
//! end-8   8               checksum (u64) of every byte before it
//! ```
//!
//! All integers are little-endian.

use rustc_hash::FxHashMap;

use crate::SyntaxError;

/// The file's magic bytes.
pub const MAGIC: &[u8; 8] = b"DYADSYN\0";
/// The version of the file layout this crate reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The version of the feature extraction; a model trained with other features is refused.
pub const FEATURES_VERSION: u32 = 1;

/// A quantized, hashed weight table: open addressing with linear probing. Each slot holds a
/// 32-bit fingerprint (two `i16`s) followed by one `i16` weight per class, so a feature costs
/// one memory access.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub nclass: usize,
    stride: usize,
    mask: usize,
    slots: Vec<i16>,
    pub scale: f32,
    /// The feature hashes and rows, in file order (kept for writing back out).
    pub keys: Vec<u64>,
}

#[inline(always)]
fn fingerprint(h: u64) -> u32 {
    ((h >> 32) as u32) | 1
}

impl Table {
    /// Builds a table from rows of quantized weights (`weights.len() == keys.len() * nclass`).
    pub fn build(nclass: usize, keys: Vec<u64>, weights: &[i16], scale: f32) -> Table {
        let cap = (keys.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let stride = nclass + 2;
        let mut slots = vec![0i16; cap * stride];
        let mask = cap - 1;
        for (r, &k) in keys.iter().enumerate() {
            let fp = fingerprint(k);
            let mut i = (k as usize) & mask;
            loop {
                let s = &mut slots[i * stride..(i + 1) * stride];
                let f = (s[0] as u16 as u32) | ((s[1] as u16 as u32) << 16);
                if f == 0 || f == fp {
                    s[0] = fp as u16 as i16;
                    s[1] = (fp >> 16) as u16 as i16;
                    for (w, &v) in s[2..]
                        .iter_mut()
                        .zip(&weights[r * nclass..(r + 1) * nclass])
                    {
                        *w = w.saturating_add(v);
                    }
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Table {
            nclass,
            stride,
            mask,
            slots,
            scale,
            keys,
        }
    }

    /// The weights of feature `h`, if the model has it.
    #[inline(always)]
    pub fn row(&self, h: u64) -> Option<&[i16]> {
        let fp = fingerprint(h);
        let mut i = (h as usize) & self.mask;
        loop {
            let s = self.slots.get(i * self.stride..(i + 1) * self.stride)?;
            let f = (s[0] as u16 as u32) | ((s[1] as u16 as u32) << 16);
            if f == fp {
                return s.get(2..);
            }
            if f == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds the rows of `feats` into `out` (length `nclass`), which is zeroed first.
    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i32]) {
        out.fill(0);
        for &h in feats {
            if let Some(r) = self.row(h) {
                for (o, &w) in out.iter_mut().zip(r) {
                    *o += w as i32;
                }
            }
        }
    }

    /// Weights of row `r` in file order (for serialization).
    fn file_rows(&self) -> Vec<i16> {
        let mut out = Vec::with_capacity(self.keys.len() * self.nclass);
        for &k in &self.keys {
            match self.row(k) {
                Some(r) => out.extend_from_slice(r),
                None => out.extend(std::iter::repeat_n(0, self.nclass)),
            }
        }
        out
    }
}

/// Row stride (classes padded for vector adds) of the transition table.
pub(crate) const PARSER_STRIDE: usize = 4;
/// Row stride of the label table (43 labels padded to 48).
pub(crate) const LABEL_STRIDE: usize = 48;

/// A directly addressed hashed weight table (the "hashing trick"): feature `h` uses row
/// `h >> (64 - bits)`, colliding features share a row, and training ran on the same table so
/// the weights already account for collisions. One branch-free memory access per feature.
#[derive(Debug, Clone)]
pub(crate) struct Dense {
    pub nclass: usize,
    pub stride: usize,
    pub bits: u32,
    pub w: Vec<i16>,
    pub scale: f32,
}

/// Row of feature `h` in a table of `2^bits` rows.
#[inline(always)]
pub(crate) fn dense_row(h: u64, bits: u32) -> usize {
    (h >> (64 - bits)) as usize
}

impl Dense {
    /// Adds the rows of `feats` into `out`. `S` must equal `self.stride`.
    /// Like [`Dense::score`] with saturating `i16` sums (twice the lanes per vector add);
    /// the label table is quantized small enough for that.
    #[inline]
    pub fn score16<const S: usize>(&self, feats: &[u64], out: &mut [i16; S]) {
        *out = [0; S];
        for &h in feats {
            let r = dense_row(h, self.bits) * S;
            if let Some(row) = self.w.get(r..r + S) {
                for k in 0..S {
                    out[k] = out[k].saturating_add(row[k]);
                }
            }
        }
    }

    #[inline]
    pub fn score<const S: usize>(&self, feats: &[u64], out: &mut [i32; S]) {
        *out = [0; S];
        for &h in feats {
            let r = dense_row(h, self.bits) * S;
            if let Some(row) = self.w.get(r..r + S) {
                for k in 0..S {
                    out[k] += row[k] as i32;
                }
            }
        }
    }
}

fn read_dense(r: &mut Reader<'_>, stride: usize) -> Result<Dense, SyntaxError> {
    let nclass = r.u32("table header truncated")? as usize;
    let bits = r.u32("table header truncated")?;
    let scale = f32::from_bits(r.u32("table header truncated")?);
    if nclass == 0 || nclass > stride {
        return Err(r.err("bad class count"));
    }
    if !(1..=26).contains(&bits) {
        return Err(r.err("bad table size"));
    }
    if !(scale.is_finite() && scale > 0.0) {
        return Err(r.err("bad scale"));
    }
    let rows = 1usize << bits;
    let bitmap = r.take(
        rows / 8 + usize::from(!rows.is_multiple_of(8)),
        "row bitmap truncated",
    )?;
    let mut w = vec![0i16; rows * stride];
    for row in 0..rows {
        if bitmap[row / 8] >> (row % 8) & 1 == 1 {
            let b = r.take(nclass * 2, "weights truncated")?;
            for (k, c) in b.chunks_exact(2).enumerate() {
                w[row * stride + k] = i16::from_le_bytes([c[0], c[1]]);
            }
        }
    }
    Ok(Dense {
        nclass,
        stride,
        bits,
        w,
        scale,
    })
}

fn write_dense(out: &mut Vec<u8>, t: &Dense) {
    out.extend_from_slice(&(t.nclass as u32).to_le_bytes());
    out.extend_from_slice(&t.bits.to_le_bytes());
    out.extend_from_slice(&t.scale.to_bits().to_le_bytes());
    let rows = 1usize << t.bits;
    let nonzero = |row: usize| {
        t.w[row * t.stride..row * t.stride + t.nclass]
            .iter()
            .any(|&x| x != 0)
    };
    let mut bitmap = vec![0u8; rows / 8 + usize::from(!rows.is_multiple_of(8))];
    for row in 0..rows {
        if nonzero(row) {
            bitmap[row / 8] |= 1 << (row % 8);
        }
    }
    out.extend_from_slice(&bitmap);
    for row in 0..rows {
        if nonzero(row) {
            for &x in &t.w[row * t.stride..row * t.stride + t.nclass] {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
    }
}

/// A trained model: tag dictionary, tagger, transition classifier and labeler.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) tagdict: FxHashMap<u64, u8>,
    /// (dependent tag, head tag, direction) → label, for combinations that decide the label.
    pub(crate) labeldict: FxHashMap<u32, u8>,
    pub(crate) tagger: Table,
    pub(crate) parser: Dense,
    pub(crate) labeler: Dense,
}

fn checksum(b: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a))
            .wrapping_mul(0x100_0000_01b3)
            .rotate_left(29);
    }
    for &x in chunks.remainder() {
        h = (h ^ x as u64).wrapping_mul(0x100_0000_01b3).rotate_left(29);
    }
    h
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SyntaxError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(SyntaxError::Model {
                offset: self.pos,
                reason: what,
            })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, SyntaxError> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn err(&self, reason: &'static str) -> SyntaxError {
        SyntaxError::Model {
            offset: self.pos,
            reason,
        }
    }
}

fn read_table(r: &mut Reader<'_>) -> Result<Table, SyntaxError> {
    let nclass = r.u32("table header truncated")? as usize;
    let nrows = r.u32("table header truncated")? as usize;
    let scale = f32::from_bits(r.u32("table header truncated")?);
    if nclass == 0 || nclass > 256 {
        return Err(r.err("bad class count"));
    }
    if !(scale.is_finite() && scale > 0.0) {
        return Err(r.err("bad scale"));
    }
    let kb = r.take(nrows.saturating_mul(8), "feature hashes truncated")?;
    let keys: Vec<u64> = kb
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    let wb = r.take(
        nrows.saturating_mul(nclass).saturating_mul(2),
        "weights truncated",
    )?;
    let weights: Vec<i16> = wb
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    Ok(Table::build(nclass, keys, &weights, scale))
}

fn write_table(out: &mut Vec<u8>, t: &Table) {
    out.extend_from_slice(&(t.nclass as u32).to_le_bytes());
    out.extend_from_slice(&(t.keys.len() as u32).to_le_bytes());
    out.extend_from_slice(&t.scale.to_bits().to_le_bytes());
    for k in &t.keys {
        out.extend_from_slice(&k.to_le_bytes());
    }
    for w in t.file_rows() {
        out.extend_from_slice(&w.to_le_bytes());
    }
}

impl Model {
    /// Reads a model file (see the module docs for the layout), checking magic, versions,
    /// sizes and checksum.
    pub fn from_bytes(b: &[u8]) -> Result<Model, SyntaxError> {
        if b.len() < 8 || &b[..8] != MAGIC {
            return Err(SyntaxError::Model {
                offset: 0,
                reason: "not a dyad-syntax model (bad magic)",
            });
        }
        if b.len() < 16 + 8 {
            return Err(SyntaxError::Model {
                offset: b.len(),
                reason: "file truncated",
            });
        }
        let body = &b[..b.len() - 8];
        let mut ck = [0u8; 8];
        ck.copy_from_slice(&b[b.len() - 8..]);
        let mut r = Reader { b: body, pos: 8 };
        let version = r.u32("header truncated")?;
        if version != FORMAT_VERSION {
            return Err(SyntaxError::Version {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        if u64::from_le_bytes(ck) != checksum(body) {
            return Err(SyntaxError::Model {
                offset: b.len() - 8,
                reason: "checksum mismatch (file corrupted or truncated)",
            });
        }
        if r.u32("header truncated")? != FEATURES_VERSION {
            return Err(r.err("model trained with another feature version"));
        }
        if r.u32("header truncated")? as usize != crate::UPOS_COUNT {
            return Err(r.err("UPOS tag count differs from this crate's"));
        }
        if r.u32("header truncated")? as usize != crate::DEPREL_COUNT {
            return Err(r.err("label count differs from this crate's"));
        }
        let n = r.u32("header truncated")? as usize;
        let mut tagdict = FxHashMap::default();
        let d = r.take(n.saturating_mul(9), "tag dictionary truncated")?;
        for c in d.chunks_exact(9) {
            let k = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            if c[8] as usize >= crate::UPOS_COUNT {
                return Err(r.err("tag dictionary holds a bad tag"));
            }
            tagdict.insert(k, c[8]);
        }
        let n = r.u32("header truncated")? as usize;
        let mut labeldict = FxHashMap::default();
        let d = r.take(n.saturating_mul(5), "label dictionary truncated")?;
        for c in d.chunks_exact(5) {
            if c[4] as usize >= crate::DEPREL_COUNT {
                return Err(r.err("label dictionary holds a bad label"));
            }
            labeldict.insert(u32::from_le_bytes([c[0], c[1], c[2], c[3]]), c[4]);
        }
        let tagger = read_table(&mut r)?;
        let parser = read_dense(&mut r, PARSER_STRIDE)?;
        let labeler = read_dense(&mut r, LABEL_STRIDE)?;
        if tagger.nclass != crate::UPOS_COUNT
            || parser.nclass != crate::parser::N_ACTIONS
            || labeler.nclass != crate::DEPREL_COUNT
        {
            return Err(r.err("table class counts do not match"));
        }
        if r.pos != body.len() {
            return Err(r.err("trailing bytes after the last table"));
        }
        Ok(Model {
            tagdict,
            labeldict,
            tagger,
            parser,
            labeler,
        })
    }

    /// Serializes the model (the inverse of [`Model::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&FEATURES_VERSION.to_le_bytes());
        out.extend_from_slice(&(crate::UPOS_COUNT as u32).to_le_bytes());
        out.extend_from_slice(&(crate::DEPREL_COUNT as u32).to_le_bytes());
        let mut dict: Vec<(u64, u8)> = self.tagdict.iter().map(|(&k, &v)| (k, v)).collect();
        dict.sort_unstable();
        out.extend_from_slice(&(dict.len() as u32).to_le_bytes());
        for (k, v) in dict {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        let mut ld: Vec<(u32, u8)> = self.labeldict.iter().map(|(&k, &v)| (k, v)).collect();
        ld.sort_unstable();
        out.extend_from_slice(&(ld.len() as u32).to_le_bytes());
        for (k, v) in ld {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        write_table(&mut out, &self.tagger);
        write_dense(&mut out, &self.parser);
        write_dense(&mut out, &self.labeler);
        let ck = checksum(&out);
        out.extend_from_slice(&ck.to_le_bytes());
        out
    }

    /// Number of weight rows in the tagger, transition and label tables.
    pub fn rows(&self) -> [usize; 3] {
        [
            self.tagger.keys.len(),
            1 << self.parser.bits,
            1 << self.labeler.bits,
        ]
    }
}
