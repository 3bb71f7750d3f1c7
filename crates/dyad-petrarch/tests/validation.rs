//! Runs PETRARCH's own validation suite and loads the Phoenix dictionaries, when the reference
//! copy of PETRARCH2's files is present (it is read-only reference material, never part of the
//! repository). Without it the tests print a message and pass.

use dyad_coder::Coder;
use dyad_petrarch::{
    load, parse_discards, parse_environment, parse_unit_tests, validate, validate_with_discards,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

const PEER: &str = "/work/shared/peers/petrarch2";

fn peer_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DYAD_PETRARCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(PEER));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} does not exist (set DYAD_PETRARCH_DIR to a copy of PETRARCH2's dictionaries)", dir.display());
        None
    }
}

fn read(dir: &Path, name: &str) -> String {
    let p = dir.join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

#[test]
fn petrarch_validation_suite() {
    let Some(dir) = peer_dir() else { return };
    let xml = read(&dir, "PETR.UnitTest.records.xml");
    let env = parse_environment(&xml).expect("environment parses");
    let mut names: Vec<String> = Vec::new();
    names.extend(env.actors.iter().cloned());
    names.extend(env.agents.iter().cloned());
    names.extend(env.verbs.iter().cloned());
    assert!(!names.is_empty(), "the environment names the dictionaries");
    let texts: Vec<(String, String)> = names.iter().map(|n| (n.clone(), read(&dir, n))).collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (dicts, report) = load(&files).expect("validation dictionaries load");
    println!("{report}");
    assert!(
        report.actors > 100 && report.agents > 50 && report.verbs > 100,
        "{report}"
    );

    let tests = parse_unit_tests(&xml).expect("records parse");
    println!(
        "records parsed: {} ({} run by PETRARCH)",
        tests.len(),
        tests.iter().filter(|t| t.runs()).count()
    );
    assert!(tests.len() >= 250, "only {} records", tests.len());

    let coder = Coder::new(&dicts).expect("a coder builds from the converted dictionaries");
    let result = validate(&tests, &coder);
    println!("{result}");
    if let Some(d) = env.discards.first() {
        let discards = parse_discards(d, &read(&dir, d)).expect("discards parse");
        let with = validate_with_discards(&tests, &coder, &discards);
        println!(
            "with the discard list: {} exact, {} all-expected-found, {} discarded",
            with.exact, with.all_expected_found, with.discarded
        );
    }
    // Why records fail, roughly (a record counts under the first reason that applies).
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, want, got) in &result.failures {
        let kind = if want
            .iter()
            .any(|t| t.source.starts_with('"') || t.target.starts_with('"'))
        {
            "expects an actor extracted from an unknown noun phrase"
        } else if want.iter().any(|t| dicts.codebook.get(&t.event).is_none()) {
            "expects an event code dyad's codebook lacks"
        } else if got.is_empty() {
            "dyad codes no event (with source and target)"
        } else if want.is_empty() {
            "dyad codes events where none are expected"
        } else {
            let codes = |v: &[dyad_petrarch::Triple]| {
                v.iter()
                    .map(|t| t.event.clone())
                    .collect::<std::collections::BTreeSet<_>>()
            };
            if codes(want) == codes(got) {
                "right event codes, different actors"
            } else {
                "different event codes"
            }
        };
        *kinds.entry(kind).or_default() += 1;
    }
    println!("failures by reason:");
    for (k, n) in &kinds {
        println!("  {n:>4}  {k}");
    }
    println!("failures (first 400):\n{}", result.failures_text(400));
    assert!(result.exact > 0, "no record passes:\n{result}");
}

#[test]
fn phoenix_dictionaries_build_a_coder() {
    let Some(dir) = peer_dir() else { return };
    let names = [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
        "CAMEO.2.0.txt",
    ];
    let texts: Vec<(&str, String)> = names.iter().map(|n| (*n, read(&dir, n))).collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let t0 = Instant::now();
    let (dicts, report) = load(&files).expect("Phoenix dictionaries load");
    let loaded = t0.elapsed();
    println!("{report}");
    let t1 = Instant::now();
    let coder = Coder::new(&dicts).expect("a coder builds from the Phoenix dictionaries");
    let built = t1.elapsed();
    println!(
        "load + convert: {:.2} s; coder build: {:.2} s; {} actor phrases, {} verb forms",
        loaded.as_secs_f64(),
        built.as_secs_f64(),
        coder.actor_lexicon().phrase_count(),
        coder.event_lexicon().form_count()
    );
    assert!(
        report.countries > 150 && report.people > 1000 && report.agents > 500,
        "{report}"
    );
    assert!(report.verbs > 1000 && report.patterns > 1000, "{report}");
}
