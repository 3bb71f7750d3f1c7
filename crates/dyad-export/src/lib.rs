//! Export formats for stored events: GDELT 2.0 event table, ICEWS-style, PLOVER JSON Lines,
//! CSV, Parquet and dyad's own JSON Lines. Column choices are documented in
//! `docs/export.md`; the flat columns shared by CSV and Parquet are [`FLAT_COLUMNS`].

pub mod gdelt;

use dyad_store::{EventQuery, EventStore, StoreError, StoredEvent};
use serde_json::json;
use std::io::Write;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Gdelt,
    Icews,
    Plover,
    Csv,
    Parquet,
    Jsonl,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "gdelt" => ExportFormat::Gdelt,
            "icews" => ExportFormat::Icews,
            "plover" => ExportFormat::Plover,
            "csv" => ExportFormat::Csv,
            "parquet" => ExportFormat::Parquet,
            "jsonl" => ExportFormat::Jsonl,
            other => {
                return Err(format!(
                    "unknown export format `{other}` (gdelt, icews, plover, csv, parquet, jsonl)"
                ))
            }
        })
    }
}

/// Writes every event matching `q` to `out`; returns how many were written.
/// GDELT and ICEWS have no way to say "negated" or "hypothetical", so those events are left
/// out of them; the other formats carry the flags.
pub fn export(
    store: &dyn EventStore,
    q: &EventQuery,
    format: ExportFormat,
    out: Box<dyn Write + Send>,
) -> Result<u64, ExportError> {
    match format {
        ExportFormat::Gdelt | ExportFormat::Icews => {
            let mut q = q.clone();
            q.factual_only = true;
            let mut w = std::io::BufWriter::new(out);
            if format == ExportFormat::Icews {
                writeln!(w, "{}", ICEWS_HEADER.join("\t"))?;
            }
            let n = each(store, &q, |e| {
                let row = if format == ExportFormat::Gdelt {
                    gdelt::row(e)
                } else {
                    icews_row(e)
                };
                writeln!(w, "{}", row.join("\t")).map_err(io_err)
            })?;
            w.flush()?;
            Ok(n)
        }
        ExportFormat::Jsonl | ExportFormat::Plover => {
            let mut w = std::io::BufWriter::new(out);
            let n = each(store, q, |e| {
                let written = if format == ExportFormat::Jsonl {
                    // Written straight from the structs, not through a `Value` tree.
                    let mentions = store.mentions(e.event_id)?;
                    serde_json::to_writer(&mut w, &WithMentions { event: e, mentions })
                } else {
                    serde_json::to_writer(&mut w, &plover_record(e))
                };
                written.map_err(|x| StoreError::Callback(x.to_string()))?;
                w.write_all(b"\n").map_err(io_err)
            })?;
            w.flush()?;
            Ok(n)
        }
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(FLAT_COLUMNS.iter().map(|c| c.0))?;
            let n = each(store, q, |e| {
                let cells: Vec<String> = flat_values(e).into_iter().map(Cell::into_text).collect();
                w.write_record(&cells)
                    .map_err(|x| StoreError::Callback(x.to_string()))
            })?;
            w.flush()?;
            Ok(n)
        }
        ExportFormat::Parquet => parquet_export(store, q, out),
    }
}

/// A JSON Lines record: the event's fields, then every mention.
#[derive(serde::Serialize)]
struct WithMentions<'a> {
    #[serde(flatten)]
    event: &'a StoredEvent,
    mentions: Vec<dyad_store::MentionOut>,
}

fn io_err(e: std::io::Error) -> StoreError {
    StoreError::Callback(format!("writing the export: {e}"))
}

fn each(
    store: &dyn EventStore,
    q: &EventQuery,
    mut f: impl FnMut(&StoredEvent) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let mut n = 0;
    store.for_each_event(q, &mut |e| {
        n += 1;
        f(&e)
    })?;
    Ok(n)
}

/// Tabs and line breaks would break a tab-separated row.
pub(crate) fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// ICEWS event-file columns (the public Dataverse layout).
pub const ICEWS_HEADER: [&str; 20] = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
];

fn icews_row(e: &StoredEvent) -> Vec<String> {
    let side = |a: &Option<dyad_store::ActorOut>| match a {
        Some(a) => (
            clean(a.name.as_deref().unwrap_or(&a.code)),
            a.sector.clone().unwrap_or_default(),
            a.country.clone().unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let (sn, ss, sc) = side(&e.source);
    let (tn, ts, tc) = side(&e.target);
    let m = e.mention.as_ref();
    let place = e.place.as_ref();
    vec![
        e.event_id.to_string(),
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        sn,
        ss,
        sc,
        clean(e.cameo_name.as_deref().unwrap_or("")),
        e.cameo.clone(),
        e.goldstein.map(|g| g.to_string()).unwrap_or_default(),
        tn,
        ts,
        tc,
        m.map(|m| clean(m.article_key.as_deref().unwrap_or(&m.article_name)))
            .unwrap_or_default(),
        m.map(|m| (m.sentence + 1).to_string()).unwrap_or_default(),
        m.and_then(|m| m.outlet.as_deref())
            .map(clean)
            .unwrap_or_default(),
        place.map(|p| clean(&p.name)).unwrap_or_default(),
        String::new(),
        String::new(),
        place.and_then(|p| p.country.clone()).unwrap_or_default(),
        place
            .and_then(|p| p.lat)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        place
            .and_then(|p| p.lon)
            .map(|v| v.to_string())
            .unwrap_or_default(),
    ]
}

/// A PLOVER-style record: event type and mode, actor and recipient with country and sector,
/// the CAMEO code it came from, location, and the story it was found in.
fn plover_record(e: &StoredEvent) -> serde_json::Value {
    let actor = |a: &Option<dyad_store::ActorOut>| {
        a.as_ref().map(|a| {
            json!({"name": a.name, "code": a.code, "country": a.country, "sector": a.sector, "org": a.org})
        })
    };
    let m = e.mention.as_ref();
    json!({
        "id": format!("dyad-{}", e.event_id),
        "date": e.date,
        "event_type": e.plover,
        "mode": e.plover_mode,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "negated": e.negated,
        "hypothetical": e.hypothetical,
        "actor": actor(&e.source),
        "recipient": actor(&e.target),
        "location": e.place.as_ref().map(|p| json!({"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon})),
        "num_mentions": e.num_mentions,
        "num_sources": e.num_sources,
        "num_articles": e.num_articles,
        "story": m.map(|m| json!({
            "id": m.article_key.as_deref().unwrap_or(&m.article_name),
            "publisher": m.outlet,
            "url": m.url,
            "sentence": m.sentence,
            "text": m.evidence.text,
        })),
    })
}

/// A typed cell of the flat layout.
pub enum Cell {
    Str(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(bool),
}

impl Cell {
    pub fn into_text(self) -> String {
        match self {
            Cell::Str(s) => s.unwrap_or_default(),
            Cell::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
            Cell::Float(f) => f.map(|f| f.to_string()).unwrap_or_default(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Float,
    Bool,
}

/// The flat columns of CSV and Parquet exports, in order, with their types.
pub const FLAT_COLUMNS: &[(&str, Kind)] = &[
    ("event_id", Kind::Int),
    ("date", Kind::Str),
    ("source_code", Kind::Str),
    ("source_name", Kind::Str),
    ("source_country", Kind::Str),
    ("source_sector", Kind::Str),
    ("target_code", Kind::Str),
    ("target_name", Kind::Str),
    ("target_country", Kind::Str),
    ("target_sector", Kind::Str),
    ("cameo", Kind::Str),
    ("root", Kind::Str),
    ("cameo_name", Kind::Str),
    ("plover", Kind::Str),
    ("plover_mode", Kind::Str),
    ("quad_class", Kind::Int),
    ("goldstein", Kind::Float),
    ("negated", Kind::Bool),
    ("hypothetical", Kind::Bool),
    ("place_name", Kind::Str),
    ("place_country", Kind::Str),
    ("lat", Kind::Float),
    ("lon", Kind::Float),
    ("num_mentions", Kind::Int),
    ("num_articles", Kind::Int),
    ("num_sources", Kind::Int),
    ("article", Kind::Str),
    ("outlet", Kind::Str),
    ("url", Kind::Str),
    ("sentence", Kind::Int),
    ("evidence", Kind::Str),
    ("rule", Kind::Str),
    ("confidence", Kind::Float),
];

/// One event's cells, in [`FLAT_COLUMNS`] order.
pub fn flat_values(e: &StoredEvent) -> Vec<Cell> {
    let side = |a: &Option<dyad_store::ActorOut>| match a {
        Some(a) => [
            Cell::Str(Some(a.code.clone())),
            Cell::Str(a.name.clone()),
            Cell::Str(a.country.clone()),
            Cell::Str(a.sector.clone()),
        ],
        None => [
            Cell::Str(None),
            Cell::Str(None),
            Cell::Str(None),
            Cell::Str(None),
        ],
    };
    let m = e.mention.as_ref();
    let p = e.place.as_ref();
    let mut v = vec![
        Cell::Int(Some(e.event_id)),
        Cell::Str(e.date.map(|d| d.to_string())),
    ];
    v.extend(side(&e.source));
    v.extend(side(&e.target));
    v.extend([
        Cell::Str(Some(e.cameo.clone())),
        Cell::Str(Some(e.root.clone())),
        Cell::Str(e.cameo_name.clone()),
        Cell::Str(e.plover.clone()),
        Cell::Str(e.plover_mode.clone()),
        Cell::Int(e.quad_class.map(i64::from)),
        Cell::Float(e.goldstein),
        Cell::Bool(e.negated),
        Cell::Bool(e.hypothetical),
        Cell::Str(p.map(|p| p.name.clone())),
        Cell::Str(p.and_then(|p| p.country.clone())),
        Cell::Float(p.and_then(|p| p.lat)),
        Cell::Float(p.and_then(|p| p.lon)),
        Cell::Int(Some(e.num_mentions as i64)),
        Cell::Int(Some(e.num_articles as i64)),
        Cell::Int(Some(e.num_sources as i64)),
        Cell::Str(m.map(|m| {
            m.article_key
                .clone()
                .unwrap_or_else(|| m.article_name.clone())
        })),
        Cell::Str(m.and_then(|m| m.outlet.clone())),
        Cell::Str(m.and_then(|m| m.url.clone())),
        Cell::Int(m.map(|m| m.sentence as i64)),
        Cell::Str(m.map(|m| m.evidence.text.clone())),
        Cell::Str(m.map(|m| format!("{}:{}", m.rule.file, m.rule.entry))),
        Cell::Float(m.map(|m| m.confidence)),
    ]);
    v
}

/// Parquet, written column by column in row groups of 64k events (snappy-compressed).
fn parquet_export(
    store: &dyn EventStore,
    q: &EventQuery,
    out: Box<dyn Write + Send>,
) -> Result<u64, ExportError> {
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;

    let fields: Vec<String> = FLAT_COLUMNS
        .iter()
        .map(|(name, kind)| {
            let ty = match kind {
                Kind::Str => "binary",
                Kind::Int => "int64",
                Kind::Float => "double",
                Kind::Bool => "boolean",
            };
            let ann = if *kind == Kind::Str { " (STRING)" } else { "" };
            let rep = if matches!(kind, Kind::Bool) || *name == "event_id" {
                "required"
            } else {
                "optional"
            };
            format!("{rep} {ty} {name}{ann};")
        })
        .collect();
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&format!(
        "message dyad_event {{ {} }}",
        fields.join(" ")
    ))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(ROW_GROUP);
    let mut n = 0u64;
    let mut failure: Option<ExportError> = None;
    store
        .for_each_event(q, &mut |e| {
            rows.push(flat_values(&e));
            n += 1;
            if rows.len() >= ROW_GROUP {
                if let Err(x) = write_row_group(&mut writer, &mut rows) {
                    let msg = x.to_string();
                    failure = Some(x);
                    return Err(StoreError::Callback(msg));
                }
            }
            Ok(())
        })
        .map_err(|e| failure.take().unwrap_or(ExportError::Store(e)))?;
    if !rows.is_empty() {
        write_row_group(&mut writer, &mut rows)?;
    }
    writer.close()?;
    Ok(n)
}

const ROW_GROUP: usize = 65_536;

fn write_row_group<W: Write + Send>(
    writer: &mut parquet::file::writer::SerializedFileWriter<W>,
    rows: &mut Vec<Vec<Cell>>,
) -> Result<(), ExportError> {
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
    let mut rg = writer.next_row_group()?;
    let mut col = 0;
    while let Some(mut cw) = rg.next_column()? {
        let mut defs: Vec<i16> = Vec::with_capacity(rows.len());
        let cells = rows
            .iter_mut()
            .map(|r| std::mem::replace(&mut r[col], Cell::Bool(false)));
        match FLAT_COLUMNS[col].1 {
            Kind::Str => {
                let mut vals = Vec::new();
                for c in cells {
                    if let Cell::Str(Some(s)) = c {
                        vals.push(ByteArray::from(s.into_bytes()));
                        defs.push(1);
                    } else {
                        defs.push(0);
                    }
                }
                cw.typed::<ByteArrayType>()
                    .write_batch(&vals, Some(&defs), None)?;
            }
            Kind::Int => {
                let mut vals = Vec::new();
                for c in cells {
                    if let Cell::Int(Some(i)) = c {
                        vals.push(i);
                        defs.push(1);
                    } else {
                        defs.push(0);
                    }
                }
                // event_id is required: no definition levels.
                let defs = (FLAT_COLUMNS[col].0 != "event_id").then_some(&defs[..]);
                cw.typed::<Int64Type>().write_batch(&vals, defs, None)?;
            }
            Kind::Float => {
                let mut vals = Vec::new();
                for c in cells {
                    if let Cell::Float(Some(f)) = c {
                        vals.push(f);
                        defs.push(1);
                    } else {
                        defs.push(0);
                    }
                }
                cw.typed::<DoubleType>()
                    .write_batch(&vals, Some(&defs), None)?;
            }
            Kind::Bool => {
                let vals: Vec<bool> = cells.map(|c| matches!(c, Cell::Bool(true))).collect();
                cw.typed::<BoolType>().write_batch(&vals, None, None)?;
            }
        }
        cw.close()?;
        col += 1;
    }
    rg.close()?;
    rows.clear();
    Ok(())
}
