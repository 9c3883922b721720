//! Reads every file in a folder the way `pursuit rank --resumes` does, one step at a time
//! for all files and on this thread: extract the text, parse it as a resume, prepare it
//! for matching. Prints each step's time, and digests of the extracted text and of the
//! parsed resumes (to check that a change leaves the output alone). `--each` prints each
//! file's digests, `--print` each file's text; `--job FILE` scores each prepared resume
//! against that posting and prints a digest of the scores. For profiling one step:
//! `cargo build --release -p pursuit-files --example read_folder`, then run
//! `target/release/examples/read_folder DIR` under `valgrind --tool=cachegrind`.

use std::hash::Hasher;
use std::time::Instant;

use pursuit_files::{Format, Limits, extract};
use pursuit_text::dates::YearMonth;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: read_folder DIR [--each] [--print] [--job FILE]");
        std::process::exit(2);
    };
    let options: Vec<String> = std::env::args().skip(2).collect();
    let each = options.iter().any(|o| o == "--each");
    let print = options.iter().any(|o| o == "--print");
    // Read now, parsed after the steps are timed: parsing it would load the vocabularies
    // before their own timing.
    let job_text = options.iter().position(|o| o == "--job").map(|at| {
        match options.get(at + 1).map(std::fs::read_to_string) {
            Some(Ok(text)) => text,
            _ => {
                eprintln!("--job needs a readable posting file");
                std::process::exit(2);
            }
        }
    });
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(error) => {
            eprintln!("{dir}: {error}");
            std::process::exit(1);
        }
    };
    paths.sort();
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read(p).ok()?,
            ))
        })
        .collect();
    let limits = Limits::default();

    let started = Instant::now();
    let texts: Vec<Result<String, String>> = files
        .iter()
        .map(|(name, bytes)| {
            Format::sniff(bytes, Some(name))
                .and_then(|format| extract::extract(bytes, format, &limits))
                .map(|extracted| extracted.text)
                .map_err(|error| error.to_string())
        })
        .collect();
    let extracting = started.elapsed();

    // A fixed date, so the digests do not change with the month.
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    // The vocabularies load on first use: that is timed on its own.
    let started = Instant::now();
    if let Some(Ok(text)) = texts.first() {
        let resume = pursuit_text::resume::parse(text, today);
        std::hint::black_box(pursuit_text::matching::Prepared::new(&resume, text));
    }
    let loading = started.elapsed();
    let started = Instant::now();
    let resumes: Vec<_> = texts
        .iter()
        .map(|text| {
            text.as_ref()
                .ok()
                .map(|text| pursuit_text::resume::parse(text, today))
        })
        .collect();
    let parsing = started.elapsed();

    let started = Instant::now();
    let mut ready = Vec::new();
    for (text, resume) in texts.iter().zip(&resumes) {
        if let (Ok(text), Some(resume)) = (text, resume) {
            ready.push(pursuit_text::matching::Prepared::new(resume, text));
        }
    }
    let preparing = started.elapsed();
    let prepared = ready.len();
    // Scored after the timing: the digest says whether preparing still gives the same scores.
    let scores = job_text.map(|text| {
        let job = pursuit_text::posting::parse(pursuit_text::posting::Input::Text(&text));
        let side = pursuit_text::matching::PreparedPosting::new(&job);
        let mut digest = Fnv::new();
        for one in &ready {
            let scored = pursuit_text::matching::score_pair(one, &side);
            digest.write(
                serde_json::to_string(&scored)
                    .unwrap_or_default()
                    .as_bytes(),
            );
        }
        digest.finish()
    });

    let (mut chars, mut failed) = (0usize, 0usize);
    let (mut text_digest, mut parse_digest) = (Fnv::new(), Fnv::new());
    for ((name, _), (text, resume)) in files.iter().zip(texts.iter().zip(&resumes)) {
        let text = match text {
            Ok(text) => {
                chars += text.chars().count();
                text
            }
            Err(error) => {
                failed += 1;
                error
            }
        };
        let parsed = resume
            .as_ref()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .unwrap_or_default();
        text_digest.write(text.as_bytes());
        parse_digest.write(parsed.as_bytes());
        if print {
            println!("=== {name}\n{text}");
        }
        if each {
            let (mut one, mut two) = (Fnv::new(), Fnv::new());
            one.write(text.as_bytes());
            two.write(parsed.as_bytes());
            println!("{:016x} {:016x} {name}", one.finish(), two.finish());
        }
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} files, {failed} not read, {chars} characters; text digest {:016x}, parse digest \
         {:016x}; extract {:.1} ms, vocabularies {:.1} ms, parse {:.1} ms, prepare {:.1} ms \
         ({prepared})",
        files.len(),
        text_digest.finish(),
        parse_digest.finish(),
        ms(extracting),
        ms(loading),
        ms(parsing),
        ms(preparing),
    );
    if let Some(scores) = scores {
        println!("score digest {scores:016x}");
    }
}

/// FNV-1a: stable across builds, unlike std's hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
