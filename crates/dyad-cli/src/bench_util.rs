//! Shared by the bench binaries (`#[path]`-included: dyad-cli has no library target).

/// A small deterministic generator (xorshift64*), so every run measures the same data.
pub struct Rng(pub u64);

#[allow(dead_code)] // each bench uses a different subset
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    /// Roughly Zipf-distributed index in 0..n: a few actors take most of the news.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64).powf(u) - 1.0) as usize).min(n - 1)
    }
}

/// The value after `--name` on the command line, if given.
#[allow(dead_code)]
pub fn flag(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}
