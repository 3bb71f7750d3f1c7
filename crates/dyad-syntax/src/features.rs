//! Feature hashing shared by training and run time: a feature is a 64-bit hash of a template
//! number and the values it combines. Word-level hashes (form, prefixes, suffixes, shape) are
//! computed once per token per sentence.

/// Value standing for "no token here" (outside the sentence, empty stack, no child).
pub(crate) const NONE: u64 = 0x6e6f_6e65_5f5f_5f5f;

/// splitmix64's finalizer: a cheap, well-mixing 64-bit permutation.
#[inline(always)]
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// A feature combines its template number and values with distinct odd multipliers, then
// mixes once: cheap, and collisions between distinct combinations are negligible next to the
// row collisions of the hashed tables.
const K0: u64 = 0x9e37_79b9_7f4a_7c15;
const K1: u64 = 0xc2b2_ae3d_27d4_eb4f;
const K2: u64 = 0x1656_67b1_9e37_79f9;
const K3: u64 = 0xd6e8_feb8_6659_fd93;

#[inline(always)]
pub(crate) fn f1(t: u64, a: u64) -> u64 {
    mix(t.wrapping_mul(K0) ^ a.wrapping_mul(K1))
}

#[inline(always)]
pub(crate) fn f2(t: u64, a: u64, b: u64) -> u64 {
    mix(t.wrapping_mul(K0) ^ a.wrapping_mul(K1) ^ b.rotate_left(21).wrapping_mul(K2))
}

#[inline(always)]
pub(crate) fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(t.wrapping_mul(K0)
        ^ a.wrapping_mul(K1)
        ^ b.rotate_left(21).wrapping_mul(K2)
        ^ c.rotate_left(42).wrapping_mul(K3))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline(always)]
fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(FNV_PRIME)
}

/// Per-token hashes, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tok {
    /// Normalized form: lower case, digits as `0`, typographic quotes and apostrophes as ASCII.
    pub w: u64,
    /// First 1, 2, 3 characters of the normalized form.
    pub pre: [u64; 3],
    /// Last 1, 2, 3 characters of the normalized form.
    pub suf: [u64; 3],
    /// Collapsed character-class shape plus flags (capitalised, all caps, hyphen, digit).
    pub shape: u64,
}

#[inline]
fn normalize_char(c: char) -> char {
    if c.is_ascii() {
        if c.is_ascii_digit() {
            return '0';
        }
        return c.to_ascii_lowercase();
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{00b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{00ab}' | '\u{00bb}'
        | '\u{ff02}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2015}' => '-',
        _ => {
            if c.is_numeric() {
                '0'
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        }
    }
}

fn class(c: char) -> u8 {
    if c.is_uppercase() {
        b'X'
    } else if c.is_lowercase() {
        b'x'
    } else if c.is_numeric() {
        b'd'
    } else if c.is_alphabetic() {
        b'a'
    } else {
        // Punctuation and symbols keep their own character class by a small hash.
        b'!'
    }
}

/// Hashes one word. Linear in its length, allocation free.
pub(crate) fn tok(word: &str) -> Tok {
    let mut h = FNV_OFFSET;
    let mut pre = [NONE; 3];
    let mut last = ['\0'; 3];
    let mut n = 0usize;
    let mut shape = FNV_OFFSET;
    let mut shape_len = 0u32;
    let mut prev_class = 0u8;
    let (mut upper, mut lower, mut digit, mut hyphen) = (0u32, 0u32, false, false);
    let mut first_upper = false;
    for c in word.chars() {
        let nc = normalize_char(c);
        h = fnv(h, nc);
        if n < 3 {
            pre[n] = h;
        }
        last = [last[1], last[2], nc];
        let cl = class(c);
        if c.is_uppercase() {
            upper += 1;
            if n == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            lower += 1;
        }
        digit |= cl == b'd';
        hyphen |= c == '-';
        if cl != prev_class && shape_len < 5 {
            shape = fnv(shape, if cl == b'!' { nc } else { cl as char });
            shape_len += 1;
        }
        prev_class = cl;
        n += 1;
    }
    let mut suf = [NONE; 3];
    for (k, s) in suf.iter_mut().enumerate() {
        if n > k {
            let mut sh = FNV_OFFSET ^ 0x5u64;
            for &c in &last[2 - k..] {
                sh = fnv(sh, c);
            }
            *s = sh;
        }
    }
    let flags = (first_upper as u64)
        | ((upper > 1 && lower == 0) as u64) << 1
        | (hyphen as u64) << 2
        | (digit as u64) << 3
        | (n.min(4) as u64) << 4;
    Tok {
        w: h,
        pre,
        suf,
        shape: mix(shape ^ (flags << 40)),
    }
}

/// Tag value for features: `tag + 1`, 0 for none.
#[inline(always)]
pub(crate) fn tv(tag: u8) -> u64 {
    tag as u64
}

/// The tagger's features for token `i`, given the previous two predicted tags (`+1`, 0 = none).
pub(crate) fn tagger_features(toks: &[Tok], i: usize, p1: u8, p2: u8, out: &mut Vec<u64>) {
    out.clear();
    let t = toks[i];
    let w = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < 0 || k as usize >= toks.len() {
            NONE
        } else {
            toks[k as usize].w
        }
    };
    let s3 = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < 0 || k as usize >= toks.len() {
            NONE
        } else {
            toks[k as usize].suf[2]
        }
    };
    let (p1, p2) = (tv(p1), tv(p2));
    out.push(f1(1, 0));
    out.push(f1(2, t.w));
    out.push(f1(3, t.suf[0]));
    out.push(f1(4, t.suf[1]));
    out.push(f1(5, t.suf[2]));
    out.push(f1(6, t.pre[0]));
    out.push(f1(7, t.pre[1]));
    out.push(f1(8, t.pre[2]));
    out.push(f1(9, t.shape));
    out.push(f2(10, t.shape, (i == 0) as u64));
    out.push(f1(11, p1));
    out.push(f2(12, p1, p2));
    out.push(f2(13, p1, t.w));
    out.push(f1(14, w(-1)));
    out.push(f1(15, w(1)));
    out.push(f1(16, w(-2)));
    out.push(f1(17, w(2)));
    out.push(f1(18, s3(-1)));
    out.push(f1(19, s3(1)));
    out.push(f2(20, w(-1), t.w));
    out.push(f2(21, t.w, w(1)));
    out.push(f2(22, p1, t.suf[2]));
}
