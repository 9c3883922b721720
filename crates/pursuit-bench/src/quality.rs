//! `pursuit-bench quality`: how well the matcher ranks resumes for a job, against three
//! baselines run in the same harness on the same text.
//!
//! Postings have a category; resumes sit in category folders (`DIR/<CATEGORY>/file`). A
//! resume and a posting are relevant to each other when the resume's folder is one of the
//! folders the posting's category maps to (the fixed tables below); postings whose category
//! maps to nothing are left out. Both directions are measured from the same scores:
//! postings → resumes (each posting ranks every resume) and resumes → postings (each
//! resume ranks every posting). Figures: P@10, nDCG@10 (binary gain) and MRR, averaged over
//! the queries that have at least one relevant document, with a 95% bootstrap interval
//! (queries resampled) for nDCG@10 and for the match's gain over BM25.
//!
//! So that a figure cannot flatter the tuning behind it, every resume and posting falls in
//! one of two parts by a hash of its name (`--part tune` or `--part report`): tune on one,
//! report on the other. `--flat` gives each posting as job boards and `pursuit rank`'s
//! JSONL do — a title field and one block of text without headings or line breaks —
//! through the same reading as `pursuit rank`.
//!
//! Baselines (all on the same lower-cased, stop-word-free, stemmed words):
//! - `word-share`: the share of the posting's distinct words found in the resume
//!   (Resume-Matcher's score);
//! - `jobsync`: 0.6 × the share of the posting title's words in the resume + 0.4 × the
//!   IDF-weighted share of the posting's words in the resume (JobSync's pre-rank);
//! - `bm25`: Okapi BM25 (k1 1.2, b 0.75) of the query's words over the documents (the
//!   posting's over the resumes, or the resume's over the postings).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use pursuit_files::Limits;
use pursuit_text::dates::YearMonth;
use pursuit_text::embed;
use pursuit_text::matching::{self, stemmed_words as words};
use pursuit_text::occupations;
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

/// Which part of every data set a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    /// The half to tune on.
    Tune,
    /// The half only reported on.
    Report,
    /// Both halves.
    All,
}

impl Split {
    /// Whether the item named `key` belongs to this part: FNV-1a of the key, even → tune.
    pub(crate) fn holds(self, key: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        match self {
            Split::All => true,
            Split::Tune => hash.is_multiple_of(2),
            Split::Report => !hash.is_multiple_of(2),
        }
    }
}

pub struct Options {
    pub resumes: PathBuf,
    pub google: Option<PathBuf>,
    pub rekrut: Option<PathBuf>,
    pub split: Split,
    pub flat: bool,
    pub untitled: bool,
    pub show: bool,
    pub weights: Vec<(String, f64)>,
    pub resamples: usize,
}

struct Doc {
    category: String,
    read: pursuit_files::resume::ReadResume,
    words: Vec<String>,
}

struct Query {
    relevant: &'static [&'static str],
    title: String,
    /// The text without the title, as one block when `--flat`.
    text: String,
    posting: Posting,
    words: Vec<String>,
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let docs = read_resumes(&options.resumes, options.split).await?;
    println!(
        "part {:?}{}{}: {} resumes in {} folders",
        options.split,
        if options.flat { ", flat postings" } else { "" },
        if options.untitled {
            ", no title field"
        } else {
            ""
        },
        docs.len(),
        {
            let c: HashSet<&str> = docs.iter().map(|d| d.category.as_str()).collect();
            c.len()
        }
    );
    if let Some(path) = &options.google {
        let queries = google_queries(path, &options)?;
        evaluate("Google postings", &queries, &docs, &options);
        titles_found(&queries, &options);
    }
    if let Some(path) = &options.rekrut {
        let queries = rekrut_queries(path, &options)?;
        evaluate("rekrute.com postings", &queries, &docs, &options);
        titles_found(&queries, &options);
    }
    Ok(())
}

/// With `--untitled`: how many postings' titles the reading found in their text, and how
/// many of those it read as the same occupation as the real title.
fn titles_found(queries: &[Query], options: &Options) {
    if !options.untitled {
        return;
    }
    let (mut found, mut same, mut exact) = (0, 0, 0);
    for query in queries {
        let Some(title) = &query.posting.title else {
            if options.show {
                let opening: String = query.text.chars().take(60).collect();
                println!("  title {:?} not found before {opening:?}", query.title);
            }
            continue;
        };
        found += 1;
        exact += usize::from(*title == query.title);
        let first = |t: &str| occupations::of_title(t).first().map(|(o, _)| *o);
        let (read, real) = (first(title), first(&query.title));
        same += usize::from(read.is_some() && read == real);
        if options.show && read != real {
            println!("  title {:?} read as {title:?}", query.title);
        }
    }
    println!(
        "titles read from the text: {found} of {} ({exact} exactly, {same} as the same occupation)\n",
        queries.len()
    );
}

async fn read_resumes(dir: &Path, split: Split) -> anyhow::Result<Vec<Doc>> {
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
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
            let file = file?.path();
            let name = format!(
                "{category}/{}",
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            );
            if split.holds(&name) {
                files.push((category.clone(), name, file));
            }
        }
    }
    files.sort();
    let mut docs = Vec::new();
    for (category, _, file) in files {
        let bytes = std::fs::read(&file)?;
        let file_name = file.file_name().and_then(|n| n.to_str());
        match pursuit_files::resume::read(bytes.into(), file_name, Limits::default(), today).await {
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

fn google_queries(path: &Path, options: &Options) -> anyhow::Result<Vec<Query>> {
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
    for (n, row) in rows.iter().enumerate().skip(1) {
        let Some(relevant) = lookup(GOOGLE, &row[category]) else {
            continue;
        };
        if !options.split.holds(&format!("google/{n}")) {
            continue;
        }
        let mut body = String::new();
        for (column, heading) in sections {
            if let Some(i) = col(column) {
                body.push_str(&format!("\n{heading}\n"));
                for line in row[i].lines().filter(|l| !l.trim().is_empty()) {
                    body.push_str(&format!("- {}\n", line.trim()));
                }
            }
        }
        out.push(query(relevant, row[title].clone(), &body, options));
    }
    Ok(out)
}

fn rekrut_queries(path: &Path, options: &Options) -> anyhow::Result<Vec<Query>> {
    let all: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let mut out = Vec::new();
    for (key, posting) in &all {
        let function = posting["functions"][0].as_str().unwrap_or_default();
        let Some(relevant) = lookup(REKRUT, function) else {
            continue;
        };
        if !options.split.holds(&format!("rekrut/{key}")) {
            continue;
        }
        let title = posting["title"].as_str().unwrap_or_default().to_owned();
        let mut body = "Requirements\n".to_owned();
        for line in posting["skills_text"].as_array().into_iter().flatten() {
            if let Some(line) = line.as_str() {
                body.push_str(&format!("- {line}\n"));
            }
        }
        out.push(query(relevant, title, &body, options));
    }
    Ok(out)
}

/// A posting as a job board gives it: a title and a text. Flat: the text's lines as one
/// block, without headings or bullets. Untitled: no title field, the text starts with the
/// title (on a line of its own, or run into the block when flat).
fn query(relevant: &'static [&'static str], title: String, body: &str, options: &Options) -> Query {
    let text = if options.flat {
        body.lines()
            .map(|l| l.trim().trim_start_matches("- "))
            .filter(|l| {
                !l.is_empty()
                    && !matches!(
                        *l,
                        "Requirements"
                            | "Responsibilities"
                            | "Minimum qualifications"
                            | "Preferred qualifications"
                    )
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        body.to_owned()
    };
    let (text, posting) = if options.untitled {
        let glue = if options.flat { " " } else { "\n" };
        let text = format!("{title}{glue}{text}");
        let posting = posting::parse(Input::Text(&text));
        (text[title.len()..].to_owned(), posting)
    } else {
        let posting = posting::parse_titled(Input::Text(&text), Some(&title));
        (text, posting)
    };
    Query {
        relevant,
        words: words(&format!("{title}\n{text}")),
        title,
        text,
        posting,
    }
}

fn lookup(
    table: &'static [(&str, &'static [&'static str])],
    key: &str,
) -> Option<&'static [&'static str]> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Rows of a `;`-separated file with `"`-quoted cells that may span lines.
pub(crate) fn semicolon_csv(text: &str) -> Vec<Vec<String>> {
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

/// Okapi BM25 (k1 1.2, b 0.75) of each query's words over each document, as
/// `scores[query][document]`.
fn bm25(queries: &[&[String]], documents: &[&[String]]) -> Vec<Vec<f64>> {
    let n = documents.len() as f64;
    let mut df: HashMap<&str, usize> = HashMap::new();
    let tf: Vec<HashMap<&str, f64>> = documents
        .iter()
        .map(|d| {
            let mut tf = HashMap::new();
            for w in d.iter() {
                *tf.entry(w.as_str()).or_default() += 1.0;
            }
            for w in tf.keys() {
                *df.entry(*w).or_default() += 1;
            }
            tf
        })
        .collect();
    let idf = |w: &str| {
        let d = df.get(w).copied().unwrap_or(0) as f64;
        ((n - d + 0.5) / (d + 0.5) + 1.0).ln()
    };
    let avg_len = documents.iter().map(|d| d.len()).sum::<usize>() as f64 / n.max(1.0);
    queries
        .iter()
        .map(|q| {
            let set: HashSet<&str> = q.iter().map(String::as_str).collect();
            documents
                .iter()
                .zip(&tf)
                .map(|(d, tf)| {
                    let len = d.len() as f64;
                    set.iter()
                        .map(|w| {
                            let f = tf.get(w).copied().unwrap_or(0.0);
                            idf(w) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len / avg_len))
                        })
                        .sum()
                })
                .collect()
        })
        .collect()
}

/// One query's figures.
#[derive(Clone, Copy, Default)]
struct Figures {
    p10: f64,
    ndcg10: f64,
    mrr: f64,
}

/// The figures of one ranking by `scores` (higher first; ties in a fixed shuffled order,
/// the same for every method); `None` when nothing is relevant.
///
/// Ties are not broken by position: the data sets list their items grouped by category
/// more often than not, so a method that ties a lot would be ranked by that order.
fn figures(scores: &[f64], relevant: impl Fn(usize) -> bool) -> Option<Figures> {
    let all_relevant = (0..scores.len()).filter(|i| relevant(*i)).count();
    if all_relevant == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| {
        scores[*b]
            .total_cmp(&scores[*a])
            .then(shuffled(*a).cmp(&shuffled(*b)))
    });
    let gain = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let top = &order[..order.len().min(10)];
    let hits = top.iter().filter(|i| relevant(**i)).count();
    let dcg: f64 = top
        .iter()
        .enumerate()
        .filter(|(_, i)| relevant(**i))
        .map(|(rank, _)| gain(rank))
        .sum();
    let ideal: f64 = (0..all_relevant.min(10)).map(gain).sum();
    let first = order.iter().position(|i| relevant(*i));
    Some(Figures {
        p10: hits as f64 / 10.0,
        ndcg10: dcg / ideal,
        mrr: first.map_or(0.0, |r| 1.0 / (r + 1) as f64),
    })
}

/// The figures a random order would get on average, for a query with `relevant` of `n`
/// documents relevant: where most documents are relevant (most Kaggle resumes are IT, most
/// rekrute postings too), chance alone scores high and leaves little room above it.
fn chance(n: usize, relevant: usize) -> Option<Figures> {
    if relevant == 0 || n == 0 {
        return None;
    }
    let gain = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let share = relevant as f64 / n as f64;
    let shown = n.min(10);
    let dcg: f64 = (0..shown).map(|rank| share * gain(rank)).sum();
    let ideal: f64 = (0..relevant.min(10)).map(gain).sum();
    // The first relevant document at rank k: the k − 1 before it all irrelevant.
    let (mut none_yet, mut mrr) = (1.0, 0.0);
    for k in 0..=(n - relevant) {
        let first_here = relevant as f64 / (n - k) as f64;
        mrr += none_yet * first_here / (k + 1) as f64;
        none_yet *= 1.0 - first_here;
    }
    Some(Figures {
        p10: share * shown as f64 / 10.0,
        ndcg10: dcg / ideal,
        mrr,
    })
}

/// Where item `i` stands in a fixed pseudo-random order (SplitMix64's finaliser).
fn shuffled(i: usize) -> u64 {
    let mut z = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A small deterministic generator (xorshift64*) for the bootstrap.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

/// A figure over a sample of the queries (their indices).
type Statistic<'a> = dyn Fn(&[usize]) -> f64 + 'a;

/// The 2.5th and 97.5th percentiles of `statistic` over `resamples` resamples of `n`
/// queries (with replacement).
fn interval(n: usize, resamples: usize, statistic: impl Fn(&[usize]) -> f64) -> (f64, f64) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut values: Vec<f64> = (0..resamples)
        .map(|_| {
            let sample: Vec<usize> = (0..n).map(|_| rng.below(n)).collect();
            statistic(&sample)
        })
        .collect();
    values.sort_by(f64::total_cmp);
    let at = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
    if values.is_empty() {
        (f64::NAN, f64::NAN)
    } else {
        (at(0.025), at(0.975))
    }
}

fn evaluate(name: &str, queries: &[Query], docs: &[Doc], options: &Options) {
    let show = options.show;
    // Every pair scored once: `pair[q][d]` is posting q against resume d.
    let prepared: Vec<matching::Prepared<'_>> = docs
        .iter()
        .map(|d| matching::Prepared::new(&d.read.resume, &d.read.text))
        .collect();
    let matches: Vec<Vec<matching::Match>> = matching::par_map(queries, |q| {
        let side = matching::PreparedPosting::new(&q.posting);
        prepared
            .iter()
            .map(|p| matching::score_pair(p, &side))
            .collect()
    });
    let doc_sets: Vec<HashSet<&str>> = docs
        .iter()
        .map(|d| d.words.iter().map(String::as_str).collect())
        .collect();
    // IDF over the resumes, for JobSync's keyword share.
    let n = docs.len() as f64;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for set in &doc_sets {
        for w in set {
            *df.entry(w).or_default() += 1;
        }
    }
    let idf = |w: &str| {
        let d = df.get(w).copied().unwrap_or(0) as f64;
        ((n - d + 0.5) / (d + 0.5) + 1.0).ln()
    };
    let doc_chunks: Vec<_> = docs
        .iter()
        .map(|d| embed::sparse_chunks(&d.read.text))
        .collect();
    let q_words: Vec<&[String]> = queries.iter().map(|q| q.words.as_slice()).collect();
    let d_words: Vec<&[String]> = docs.iter().map(|d| d.words.as_slice()).collect();
    let bm25_to_resumes = bm25(&q_words, &d_words);
    let bm25_to_postings = bm25(&d_words, &q_words);

    let weights: Vec<(&str, f64)> = options
        .weights
        .iter()
        .map(|(n, w)| (n.as_str(), *w))
        .collect();
    let reweighted: Vec<Vec<f64>> = if weights.is_empty() {
        Vec::new()
    } else {
        matching::par_map(queries, |q| {
            let side = matching::PreparedPosting::new(&q.posting);
            prepared
                .iter()
                .map(|p| matching::score_weighted(p, &side, &weights).exact)
                .collect()
        })
    };
    let mut methods = vec![
        "chance",
        "word-share",
        "jobsync",
        "bm25",
        "sparse-chunks",
        "pursuit",
    ];
    if show {
        methods.extend(matching::WEIGHTS.iter().map(|(name, _)| *name));
    }
    if !options.weights.is_empty() {
        methods.push("reweighted");
    }
    // `scores[method][q][d]`; BM25 differs by direction, kept apart below.
    let scores: Vec<Vec<Vec<f64>>> = methods
        .iter()
        .map(|method| {
            queries
                .iter()
                .enumerate()
                .map(|(qi, q)| {
                    let q_set: HashSet<&str> = q.words.iter().map(String::as_str).collect();
                    let title_set: HashSet<String> = words(&q.title).into_iter().collect();
                    let idf_total: f64 = q_set.iter().map(|w| idf(w)).sum();
                    let q_chunks = (*method == "sparse-chunks")
                        .then(|| embed::sparse_chunks(&format!("{}\n{}", q.title, q.text)));
                    (0..docs.len())
                        .map(|di| {
                            let m = &matches[qi][di];
                            match *method {
                                "word-share" => {
                                    q_set.iter().filter(|w| doc_sets[di].contains(*w)).count()
                                        as f64
                                        / q_set.len().max(1) as f64
                                }
                                "jobsync" => {
                                    let title = title_set
                                        .iter()
                                        .filter(|w| doc_sets[di].contains(w.as_str()))
                                        .count()
                                        as f64
                                        / title_set.len().max(1) as f64;
                                    let keywords: f64 = q_set
                                        .iter()
                                        .filter(|w| doc_sets[di].contains(*w))
                                        .map(|w| idf(w))
                                        .sum::<f64>()
                                        / idf_total.max(1e-9);
                                    0.6 * title + 0.4 * keywords
                                }
                                "bm25" => bm25_to_resumes[qi][di],
                                "sparse-chunks" => f64::from(
                                    embed::search(
                                        &doc_chunks[di],
                                        q_chunks.as_ref().map_or(&[][..], |c| c.as_slice()),
                                    )
                                    .average,
                                ),
                                "pursuit" => m.exact,
                                "chance" => 0.0,
                                "reweighted" => reweighted[qi][di],
                                part => m
                                    .parts
                                    .iter()
                                    .find(|p| p.name == part)
                                    .map_or(0.0, |p| p.fit),
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();

    if show {
        let pursuit = methods.iter().position(|m| *m == "pursuit").unwrap_or(0);
        for (qi, q) in queries.iter().enumerate() {
            let mut order: Vec<usize> = (0..docs.len()).collect();
            order.sort_by(|a, b| scores[pursuit][qi][*b].total_cmp(&scores[pursuit][qi][*a]));
            let top: Vec<String> = order
                .iter()
                .take(5)
                .map(|d| format!("{}:{:.0}", docs[*d].category, scores[pursuit][qi][*d]))
                .collect();
            eprintln!("{} [{}] → {}", q.title, q.relevant.join(","), top.join(" "));
        }
        // The other direction: each resume's five best postings, "+" where relevant, with
        // what the resume was read as (headline, first roles as position @ employer).
        for (di, d) in docs.iter().enumerate() {
            let mut order: Vec<usize> = (0..queries.len()).collect();
            order.sort_by(|a, b| scores[pursuit][*b][di].total_cmp(&scores[pursuit][*a][di]));
            let top: Vec<String> = order
                .iter()
                .take(5)
                .map(|qi| {
                    let q = &queries[*qi];
                    let mark = if q.relevant.contains(&d.category.as_str()) {
                        '+'
                    } else {
                        '-'
                    };
                    format!("{mark}{}:{:.0}", q.title, scores[pursuit][*qi][di])
                })
                .collect();
            let resume = &d.read.resume;
            let roles: Vec<String> = resume
                .work
                .iter()
                .take(3)
                .map(|r| {
                    format!(
                        "{} @ {}",
                        r.position.as_deref().unwrap_or("?"),
                        r.name.as_deref().unwrap_or("?")
                    )
                })
                .collect();
            eprintln!(
                "{} | {} | {} → {}",
                d.category,
                resume.basics.label.as_deref().unwrap_or_default(),
                roles.join(" / "),
                top.join(" | ")
            );
        }
    }

    let relevant =
        |qi: usize, di: usize| queries[qi].relevant.contains(&docs[di].category.as_str());
    for direction in ["postings → resumes", "resumes → postings"] {
        let to_resumes = direction.starts_with("postings");
        // Per method, each query's figures (queries without a relevant document left out,
        // the same for every method).
        let per_query: Vec<Vec<Figures>> = methods
            .iter()
            .enumerate()
            .map(|(m, method)| {
                if to_resumes {
                    (0..queries.len())
                        .filter_map(|qi| {
                            if *method == "chance" {
                                let hits = (0..docs.len()).filter(|di| relevant(qi, *di)).count();
                                return chance(docs.len(), hits);
                            }
                            let row = if *method == "bm25" {
                                &bm25_to_resumes[qi]
                            } else {
                                &scores[m][qi]
                            };
                            figures(row, |di| relevant(qi, di))
                        })
                        .collect()
                } else {
                    (0..docs.len())
                        .filter_map(|di| {
                            if *method == "chance" {
                                let hits =
                                    (0..queries.len()).filter(|qi| relevant(*qi, di)).count();
                                return chance(queries.len(), hits);
                            }
                            let column: Vec<f64> = if *method == "bm25" {
                                bm25_to_postings[di].clone()
                            } else {
                                (0..queries.len()).map(|qi| scores[m][qi][di]).collect()
                            };
                            figures(&column, |qi| relevant(qi, di))
                        })
                        .collect()
                }
            })
            .collect();
        let count = per_query[0].len();
        // How many documents each query has to find, and how many distinct ones there are:
        // when few are (six IT postings for a hundred IT resumes), every query leans on the
        // same ones, and the interval over queries below is narrower than the truth.
        let (n_queries, n_docs) = if to_resumes {
            (queries.len(), docs.len())
        } else {
            (docs.len(), queries.len())
        };
        let is_relevant = |q: usize, d: usize| {
            if to_resumes {
                relevant(q, d)
            } else {
                relevant(d, q)
            }
        };
        let relevant_counts: Vec<usize> = (0..n_queries)
            .map(|q| (0..n_docs).filter(|d| is_relevant(q, *d)).count())
            .filter(|n| *n > 0)
            .collect();
        let distinct = (0..n_docs)
            .filter(|d| (0..n_queries).any(|q| is_relevant(q, *d)))
            .count();
        println!(
            "\n{name}, {direction}: {count} queries, {:.1} relevant documents each on average, {distinct} distinct",
            relevant_counts.iter().sum::<usize>() as f64 / relevant_counts.len().max(1) as f64
        );
        println!(
            "{:<17} {:>7} {:>9} {:>17} {:>7}",
            "method", "P@10", "nDCG@10", "95% interval", "MRR"
        );
        let mean = |m: usize, f: fn(&Figures) -> f64, sample: &[usize]| {
            sample.iter().map(|i| f(&per_query[m][*i])).sum::<f64>() / sample.len().max(1) as f64
        };
        let all: Vec<usize> = (0..count).collect();
        for (m, method) in methods.iter().enumerate() {
            let (lo, hi) = interval(count, options.resamples, |s| mean(m, |f| f.ndcg10, s));
            println!(
                "{:<17} {:>7.3} {:>9.3}    [{:.3}, {:.3}] {:>7.3}",
                method,
                mean(m, |f| f.p10, &all),
                mean(m, |f| f.ndcg10, &all),
                lo,
                hi,
                mean(m, |f| f.mrr, &all),
            );
        }
        let position = |name: &str| methods.iter().position(|m| *m == name).unwrap_or(0);
        let (ch, bm, pu) = (position("chance"), position("bm25"), position("pursuit"));
        let gain = |s: &[usize]| mean(pu, |f| f.ndcg10, s) / mean(bm, |f| f.ndcg10, s) - 1.0;
        // The same gain counted from chance up: what each ranker adds to a random order.
        let lift = |s: &[usize]| {
            let floor = mean(ch, |f| f.ndcg10, s);
            (mean(pu, |f| f.ndcg10, s) - floor) / (mean(bm, |f| f.ndcg10, s) - floor) - 1.0
        };
        let gains: [(&str, &Statistic); 2] = [("", &gain), (" above chance", &lift)];
        for (what, statistic) in gains {
            let (lo, hi) = interval(count, options.resamples, statistic);
            println!(
                "pursuit over bm25{what}, nDCG@10: {:+.1}% [{:+.1}%, {:+.1}%]",
                statistic(&all) * 100.0,
                lo * 100.0,
                hi * 100.0
            );
        }
    }
}
