//! `dyad code`: articles in (text files, stdin, JSON Lines), coded articles out.

use super::load_coder;
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use dyad_coder::input::{decode_text, parse_date, parse_record, DEFAULT_MAX_ARTICLE_BYTES};
use dyad_coder::{Article, Coder, Options, TSV_HEADER};
use dyad_formats::read_line_capped;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One article per file (or stdin).
    Text,
    /// One JSON object per line: id, date, text (or title + body), url, source, lang.
    Jsonl,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A JSON array of coded articles (pretty-printed).
    Json,
    /// One coded article per line.
    Jsonl,
    /// One event per line, tab-separated, with a header.
    Tsv,
}

#[derive(clap::Args)]
pub struct Args {
    /// Input files; `-` or none reads standard input.
    pub files: Vec<PathBuf>,
    /// How to read the input (default: jsonl for *.jsonl / *.ndjson files, else text).
    #[arg(long, value_enum)]
    pub input: Option<InputFormat>,
    /// Publication date (YYYY-MM-DD) of text articles; relative dates resolve against it.
    #[arg(long)]
    pub date: Option<String>,
    /// Article id for text input (default: the file name without extension).
    #[arg(long)]
    pub id: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutputFormat,
    /// A dictionary folder to use instead of the embedded one (same layout as `dict/`).
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Keep negated events ("did not attack") in the output, flagged `negated`.
    #[arg(long)]
    pub keep_negated: bool,
    /// Keep hypothetical events that could not be recoded as intents or threats, flagged.
    #[arg(long)]
    pub keep_hypothetical: bool,
    /// Threads for coding JSON Lines input (default: all cores). Output order is input order.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Refuse articles (or JSONL lines) larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let date = match &a.date {
        Some(d) => Some(parse_date(d).with_context(|| format!("--date {d}: expected YYYY-MM-DD"))?),
        None => None,
    };
    let coder = load_coder(
        a.dict.as_deref(),
        Options {
            keep_negated: a.keep_negated,
            keep_hypothetical: a.keep_hypothetical,
            keep_repeats: false,
        },
    )?;
    let stdout = std::io::stdout();
    let mut out = Output::new(std::io::BufWriter::new(stdout.lock()), a.format)?;
    let files: Vec<PathBuf> = if a.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.files.clone()
    };
    let mut failures = 0usize;
    for path in &files {
        let fmt = a.input.unwrap_or_else(|| {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "jsonl" | "ndjson") {
                InputFormat::Jsonl
            } else {
                InputFormat::Text
            }
        });
        let name = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let res = match fmt {
            InputFormat::Text => code_text(&coder, path, &name, &a, date, &mut out),
            InputFormat::Jsonl => {
                code_jsonl(&coder, path, &name, &a, date, &mut out, &mut failures)
            }
        };
        if let Err(e) = res {
            eprintln!("dyad: {e:#}");
            failures += 1;
        }
    }
    out.finish()?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn open(path: &Path) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let f =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    Ok(Box::new(f))
}

fn code_text(
    coder: &Coder,
    path: &Path,
    name: &str,
    a: &Args,
    date: Option<chrono::NaiveDate>,
    out: &mut Output<impl Write>,
) -> Result<()> {
    if path.as_os_str() != "-" {
        let meta = std::fs::metadata(path).with_context(|| format!("{name}: cannot read"))?;
        if meta.is_dir() {
            bail!("{name}: is a directory (give the files inside it)");
        }
        if meta.len() as usize > a.max_article_bytes {
            bail!("{name}: {} bytes is larger than the limit of {} bytes for one article (split it, or raise --max-article-bytes)", meta.len(), a.max_article_bytes);
        }
    }
    let mut bytes = Vec::new();
    open(path)?
        .take(a.max_article_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{name}: read error"))?;
    let text = decode_text(&bytes, name, a.max_article_bytes)?;
    if text.trim().is_empty() {
        eprintln!("dyad: {name}: empty article, nothing to code");
    }
    let id = a.id.clone().unwrap_or_else(|| {
        path.file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| *s != "-")
            .unwrap_or("stdin")
            .to_string()
    });
    let article = Article {
        id,
        date,
        text: text.to_string(),
        ..Article::default()
    };
    out.write(&coder.code(&article))
}

fn code_jsonl(
    coder: &Coder,
    path: &Path,
    name: &str,
    a: &Args,
    date: Option<chrono::NaiveDate>,
    out: &mut Output<impl Write>,
    failures: &mut usize,
) -> Result<()> {
    let mut reader = BufReader::new(open(path)?);
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut batch: Vec<Article> = Vec::new();
    loop {
        line_no += 1;
        buf.clear();
        let (n, overflow) = read_line_capped(&mut reader, &mut buf, a.max_article_bytes)
            .with_context(|| format!("{name}: line {line_no}: read error"))?;
        if n == 0 {
            break;
        }
        if overflow {
            eprintln!("dyad: {name}: line {line_no}: longer than {} bytes; skipped (raise --max-article-bytes)", a.max_article_bytes);
            *failures += 1;
            continue;
        }
        let what = format!("{name}: line {line_no}");
        let text = match decode_text(&buf, &what, usize::MAX) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("dyad: {e}");
                *failures += 1;
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_record(text, name, line_no, a.max_article_bytes) {
            Ok(mut article) => {
                if article.date.is_none() {
                    article.date = date;
                }
                batch.push(article);
                if batch.len() >= BATCH {
                    write_batch(coder, &mut batch, threads, out)?;
                }
            }
            Err(e) => {
                eprintln!("dyad: {e}");
                *failures += 1;
            }
        }
    }
    write_batch(coder, &mut batch, threads, out)
}

/// Records coded together: enough to keep every thread busy, few enough to keep memory flat.
const BATCH: usize = 256;

/// Codes a batch on `threads` threads and writes the results in input order.
fn write_batch(
    coder: &Coder,
    batch: &mut Vec<Article>,
    threads: usize,
    out: &mut Output<impl Write>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let chunk = batch.len().div_ceil(threads.max(1));
    let coded: Vec<dyad_coder::CodedArticle> = std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|a| coder.code(a)).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::with_capacity(batch.len());
        for h in handles {
            match h.join() {
                Ok(v) => all.extend(v),
                Err(_) => return Err(anyhow::anyhow!("a coding thread panicked")),
            }
        }
        Ok(all)
    })?;
    for c in &coded {
        out.write(c)?;
    }
    batch.clear();
    Ok(())
}

/// Streams coded articles in the chosen format.
struct Output<W: Write> {
    w: W,
    format: OutputFormat,
    count: usize,
}

impl<W: Write> Output<W> {
    fn new(mut w: W, format: OutputFormat) -> Result<Self> {
        match format {
            OutputFormat::Json => writeln!(w, "[")?,
            OutputFormat::Tsv => writeln!(w, "{TSV_HEADER}")?,
            OutputFormat::Jsonl => {}
        }
        Ok(Output {
            w,
            format,
            count: 0,
        })
    }

    fn write(&mut self, a: &dyad_coder::CodedArticle) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                if self.count > 0 {
                    writeln!(self.w, ",")?;
                }
                serde_json::to_writer_pretty(&mut self.w, a)?;
            }
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.w, a)?;
                writeln!(self.w)?;
            }
            OutputFormat::Tsv => {
                for row in a.tsv_rows() {
                    writeln!(self.w, "{row}")?;
                }
            }
        }
        self.count += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        if self.format == OutputFormat::Json {
            if self.count > 0 {
                writeln!(self.w)?;
            }
            writeln!(self.w, "]")?;
        }
        self.w.flush()?;
        Ok(())
    }
}
