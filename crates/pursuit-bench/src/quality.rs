//! `pursuit-bench quality`: how well the matcher ranks resumes for a job, against three
//! baselines run in the same harness on the same text.
//!
//! Queries are job postings with a category; documents are resumes in category folders
//! (`DIR/<CATEGORY>/file.pdf`). A resume is relevant to a posting when its folder is one of
//! the folders the posting's category maps to (the fixed tables below). Postings whose
//! category maps to nothing are left out. Figures: P@10, nDCG@10 (binary gain) and MRR,
//! averaged over the postings.
//!
//! Baselines (all on the same lower-cased, stop-word-free, stemmed words):
//! - `word-share`: the share of the posting's distinct words found in the resume
//!   (Resume-Matcher's score);
//! - `jobsync`: 0.6 × the share of the posting title's words in the resume + 0.4 × the
//!   IDF-weighted share of the posting's words in the resume (JobSync's pre-rank);
//! - `bm25`: Okapi BM25 (k1 1.2, b 0.75) of the posting's words over the resumes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use pursuit_files::Limits;
use pursuit_text::dates::YearMonth;
use pursuit_text::embed;
use pursuit_text::matching::{self, stemmed_words as words};
use pursuit_text::posting::{self, Input, Posting};

/// Google careers categories → resume folders.
const GOOGLE: &[(&str, &[&str])] = &[
    (
        "Marketing & Communications",
        &["PUBLIC-RELATIONS", "DIGITAL-MEDIA"],
    ),
    ("Product & Customer Support", &["BPO"]),
    (
        "Sales & Account Management",
        &["SALES", "BUSINESS-DEVELOPMENT"],
    ),
    ("Finance", &["FINANCE", "ACCOUNTANT", "BANKING"]),
    ("People Operations", &["HR"]),
    ("Technical Solutions", &["INFORMATION-TECHNOLOGY"]),
    ("Partnerships", &["BUSINESS-DEVELOPMENT"]),
    ("User Experience & Design", &["DESIGNER"]),
    ("Real Estate & Workplace Services", &["CONSTRUCTION"]),
    ("Hardware Engineering", &["ENGINEERING"]),
    ("Sales Operations", &["SALES"]),
    ("Business Strategy", &["CONSULTANT"]),
    ("Software Engineering", &["INFORMATION-TECHNOLOGY"]),
    ("Legal & Government Relations", &["ADVOCATE"]),
    ("Manufacturing & Supply Chain", &["ENGINEERING"]),
    ("Developer Relations", &["INFORMATION-TECHNOLOGY"]),
    ("Data Center & Network", &["INFORMATION-TECHNOLOGY"]),
];

/// rekrute.com functions (the first one listed) → resume folders.
const REKRUT: &[(&str, &[&str])] = &[
    (
        "Informatique / Electronique",
        &["INFORMATION-TECHNOLOGY", "ENGINEERING"],
    ),
    ("Call Centers (métiers de)", &["BPO"]),
    (
        "Multimédia / Internet",
        &["DIGITAL-MEDIA", "INFORMATION-TECHNOLOGY"],
    ),
    (
        "Production / Qualité / Sécurité / Maintenance",
        &["ENGINEERING"],
    ),
    (
        "Gestion / Comptabilité / Finance",
        &["ACCOUNTANT", "FINANCE", "BANKING"],
    ),
    ("RH / Personnel / Formation", &["HR"]),
    (
        "Commercial / Vente / Export",
        &["SALES", "BUSINESS-DEVELOPMENT"],
    ),
    ("Télécoms / Réseaux", &["INFORMATION-TECHNOLOGY"]),
    ("Méthodes / Process / Industrialisation", &["ENGINEERING"]),
    ("Travaux / Chantiers / BTP", &["CONSTRUCTION"]),
    ("Banque (métiers de la)", &["BANKING"]),
    ("Audit / Conseil", &["CONSULTANT", "ACCOUNTANT"]),
    ("Communication / Publicité / RP", &["PUBLIC-RELATIONS"]),
    ("Marketing", &["PUBLIC-RELATIONS", "DIGITAL-MEDIA"]),
    ("Enseignement", &["TEACHER"]),
    ("Hôtellerie / Restauration (métiers de)", &["CHEF"]),
    ("Santé / Social (métiers de)", &["HEALTHCARE"]),
    ("Médical / Paramédical", &["HEALTHCARE"]),
    ("Agriculture (métiers de l')", &["AGRICULTURE"]),
    ("Avocat / Juriste / Fiscaliste", &["ADVOCATE"]),
    ("Electricité", &["ENGINEERING"]),
];

struct Doc {
    category: String,
    read: pursuit_files::resume::ReadResume,
    words: Vec<String>,
}

struct Query {
    relevant: &'static [&'static str],
    text: String,
    title: String,
    posting: Posting,
}

pub async fn run(
    resumes: &Path,
    google: Option<&Path>,
    rekrut: Option<&Path>,
    (rekrut_limit, held_out): (usize, bool),
    show: bool,
    weights: &[(String, f64)],
) -> anyhow::Result<()> {
    let docs = read_resumes(resumes).await?;
    println!("{} resumes in {} folders", docs.len(), {
        let c: HashSet<&str> = docs.iter().map(|d| d.category.as_str()).collect();
        c.len()
    });
    if let Some(path) = google {
        let queries = google_queries(path)?;
        evaluate("Google postings", &queries, &docs, show, weights);
    }
    if let Some(path) = rekrut {
        let queries = rekrut_queries(path, rekrut_limit, held_out)?;
        let name = if held_out {
            "rekrute.com postings (held out)"
        } else {
            "rekrute.com postings"
        };
        evaluate(name, &queries, &docs, show, weights);
    }
    Ok(())
}

async fn read_resumes(dir: &Path) -> anyhow::Result<Vec<Doc>> {
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for folder in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let folder = folder?.path();
        if !folder.is_dir() {
            continue;
        }
        let category = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        for file in std::fs::read_dir(&folder)? {
            files.push((category.clone(), file?.path()));
        }
    }
    files.sort();
    let mut docs = Vec::new();
    for (category, file) in files {
        let bytes = std::fs::read(&file)?;
        let name = file.file_name().and_then(|n| n.to_str());
        match pursuit_files::resume::read(bytes.into(), name, Limits::default(), today).await {
            Ok(read) => docs.push(Doc {
                category,
                words: words(&read.text),
                read,
            }),
            Err(e) => eprintln!("{}: {e}", file.display()),
        }
    }
    Ok(docs)
}

fn google_queries(path: &Path) -> anyhow::Result<Vec<Query>> {
    let text = std::fs::read_to_string(path)?;
    let rows = semicolon_csv(&text);
    let header = rows.first().context("empty file")?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let (title, category) = (
        col("Title").context("Title")?,
        col("Category").context("Category")?,
    );
    let sections = [
        ("Responsibilities", "Responsibilities"),
        ("Minimum Qualifications", "Minimum qualifications"),
        ("Preferred Qualifications", "Preferred qualifications"),
    ];
    let mut out = Vec::new();
    for row in rows.iter().skip(1) {
        let Some(relevant) = lookup(GOOGLE, &row[category]) else {
            continue;
        };
        let mut body = format!("{}\n", row[title]);
        for (column, heading) in sections {
            if let Some(i) = col(column) {
                body.push_str(&format!("\n{heading}\n"));
                for line in row[i].lines().filter(|l| !l.trim().is_empty()) {
                    body.push_str(&format!("- {}\n", line.trim()));
                }
            }
        }
        out.push(query(relevant, row[title].clone(), body));
    }
    Ok(out)
}

fn rekrut_queries(path: &Path, limit: usize, held_out: bool) -> anyhow::Result<Vec<Query>> {
    let all: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let mut out = Vec::new();
    for posting in all.values() {
        let function = posting["functions"][0].as_str().unwrap_or_default();
        let Some(relevant) = lookup(REKRUT, function) else {
            continue;
        };
        let title = posting["title"].as_str().unwrap_or_default().to_owned();
        let mut body = format!("{title}\n\nRequirements\n");
        for line in posting["skills_text"].as_array().into_iter().flatten() {
            if let Some(line) = line.as_str() {
                body.push_str(&format!("- {line}\n"));
            }
        }
        out.push(query(relevant, title, body));
    }
    // An even spread over the file, so every function keeps its share; held out: the
    // postings that spread leaves out, spread evenly in turn.
    let step = (out.len() / limit.max(1)).max(1);
    let chosen: Vec<bool> = (0..out.len())
        .map(|i| i % step == 0 && i / step < limit)
        .collect();
    let rest: Vec<Query> = out
        .into_iter()
        .zip(chosen)
        .filter(|(_, c)| *c != held_out)
        .map(|(q, _)| q)
        .collect();
    if !held_out {
        return Ok(rest);
    }
    let step = (rest.len() / limit.max(1)).max(1);
    Ok(rest.into_iter().step_by(step).take(limit).collect())
}

fn query(relevant: &'static [&'static str], title: String, text: String) -> Query {
    Query {
        relevant,
        posting: posting::parse(Input::Text(&text)),
        title,
        text,
    }
}

fn lookup(
    table: &'static [(&str, &'static [&'static str])],
    key: &str,
) -> Option<&'static [&'static str]> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Rows of a `;`-separated file with `"`-quoted cells that may span lines.
fn semicolon_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ';' if !quoted => row.push(std::mem::take(&mut cell)),
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            '\r' if !quoted => {}
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows.retain(|r| r.iter().any(|c| !c.is_empty()));
    rows
}

#[derive(Default)]
struct Figures {
    p10: f64,
    ndcg10: f64,
    mrr: f64,
}

fn evaluate(name: &str, queries: &[Query], docs: &[Doc], show: bool, weights: &[(String, f64)]) {
    let n = docs.len() as f64;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let distinct: HashSet<&str> = doc.words.iter().map(String::as_str).collect();
        for w in distinct {
            *df.entry(w).or_default() += 1;
        }
    }
    let idf = |w: &str| {
        let d = df.get(w).copied().unwrap_or(0) as f64;
        ((n - d + 0.5) / (d + 0.5) + 1.0).ln()
    };
    let avg_len = docs.iter().map(|d| d.words.len()).sum::<usize>() as f64 / n;
    let doc_sets: Vec<HashSet<&str>> = docs
        .iter()
        .map(|d| d.words.iter().map(String::as_str).collect())
        .collect();
    let doc_tf: Vec<HashMap<&str, f64>> = docs
        .iter()
        .map(|d| {
            let mut tf = HashMap::new();
            for w in &d.words {
                *tf.entry(w.as_str()).or_default() += 1.0;
            }
            tf
        })
        .collect();
    let prepared: Vec<matching::Prepared<'_>> = docs
        .iter()
        .map(|d| matching::Prepared::new(&d.read.resume, &d.read.text))
        .collect();

    // The built-in sparse vectors, chunked as seed 004's search: each posting chunk's best
    // resume chunk, averaged.
    let doc_chunks: Vec<_> = docs
        .iter()
        .map(|d| embed::sparse_chunks(&d.read.text))
        .collect();
    let mut methods = vec!["word-share", "jobsync", "bm25", "sparse-chunks", "pursuit"];
    // With `--show`, each part of the match alone is also measured as a ranker.
    if show {
        methods.extend(matching::WEIGHTS.iter().map(|(name, _)| *name));
    }
    if !weights.is_empty() {
        methods.push("reweighted");
    }
    let mut totals: Vec<Figures> = methods.iter().map(|_| Figures::default()).collect();
    for q in queries {
        let side = matching::PreparedPosting::new(&q.posting);
        let q_chunks = embed::sparse_chunks(&q.text);
        let q_words = words(&q.text);
        let q_set: HashSet<&str> = q_words.iter().map(String::as_str).collect();
        let title_set: HashSet<String> = words(&q.title).into_iter().collect();
        let idf_total: f64 = q_set.iter().map(|w| idf(w)).sum();
        for (m, method) in methods.iter().enumerate() {
            let scores: Vec<f64> = (0..docs.len())
                .map(|i| match *method {
                    "word-share" => {
                        q_set.iter().filter(|w| doc_sets[i].contains(*w)).count() as f64
                            / q_set.len().max(1) as f64
                    }
                    "jobsync" => {
                        let title = title_set
                            .iter()
                            .filter(|w| doc_sets[i].contains(w.as_str()))
                            .count() as f64
                            / title_set.len().max(1) as f64;
                        let keywords: f64 = q_set
                            .iter()
                            .filter(|w| doc_sets[i].contains(*w))
                            .map(|w| idf(w))
                            .sum::<f64>()
                            / idf_total.max(1e-9);
                        0.6 * title + 0.4 * keywords
                    }
                    "bm25" => {
                        let len = docs[i].words.len() as f64;
                        q_set
                            .iter()
                            .map(|w| {
                                let tf = doc_tf[i].get(w).copied().unwrap_or(0.0);
                                idf(w) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avg_len))
                            })
                            .sum()
                    }
                    "sparse-chunks" => f64::from(embed::search(&doc_chunks[i], &q_chunks).average),
                    "pursuit" => matching::score_pair(&prepared[i], &side).exact,
                    "reweighted" => {
                        let m = matching::score_pair(&prepared[i], &side);
                        let (mut sum, mut total) = (0.0, 0.0);
                        for part in &m.parts {
                            let w = weights
                                .iter()
                                .find(|(n, _)| n == part.name)
                                .map_or(0.0, |(_, w)| *w);
                            sum += w * part.fit;
                            total += w;
                        }
                        if total > 0.0 { sum / total } else { 0.0 }
                    }
                    part => matching::score_pair(&prepared[i], &side)
                        .parts
                        .iter()
                        .find(|p| p.name == part)
                        .map_or(0.0, |p| p.fit),
                })
                .collect();
            let mut order: Vec<usize> = (0..docs.len()).collect();
            // Ties broken by position, the same for every method.
            order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));
            let relevant = |i: usize| q.relevant.contains(&docs[i].category.as_str());
            let hits = order.iter().take(10).filter(|i| relevant(**i)).count();
            let dcg: f64 = order
                .iter()
                .take(10)
                .enumerate()
                .filter(|(_, i)| relevant(**i))
                .map(|(rank, _)| 1.0 / ((rank + 2) as f64).log2())
                .sum();
            let all_relevant = docs
                .iter()
                .filter(|d| q.relevant.contains(&d.category.as_str()))
                .count();
            let ideal: f64 = (0..all_relevant.min(10))
                .map(|rank| 1.0 / ((rank + 2) as f64).log2())
                .sum();
            let first = order.iter().position(|i| relevant(*i));
            totals[m].p10 += hits as f64 / 10.0;
            totals[m].ndcg10 += if ideal > 0.0 { dcg / ideal } else { 0.0 };
            totals[m].mrr += first.map_or(0.0, |r| 1.0 / (r + 1) as f64);
            if show && *method == "pursuit" {
                let top: Vec<String> = order
                    .iter()
                    .take(5)
                    .map(|i| format!("{}:{:.0}", docs[*i].category, scores[*i]))
                    .collect();
                eprintln!("{} [{}] → {}", q.title, q.relevant.join(","), top.join(" "));
            }
        }
    }
    let count = queries.len().max(1) as f64;
    println!("\n{name}: {} queries", queries.len());
    println!(
        "{:<17} {:>7} {:>9} {:>7}",
        "method", "P@10", "nDCG@10", "MRR"
    );
    for (m, method) in methods.iter().enumerate() {
        println!(
            "{:<17} {:>7.3} {:>9.3} {:>7.3}",
            method,
            totals[m].p10 / count,
            totals[m].ndcg10 / count,
            totals[m].mrr / count
        );
    }
}
