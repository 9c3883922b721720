//! Representations for similarity search (seed 004): texts cut into overlapping chunks, each
//! turned into a vector, chunks compared by cosine.
//!
//! This is the first, built-in representation: **sparse** vectors of stemmed words weighted
//! by how telling they are about the work ([`crate::occupations::idf`], sublinear term
//! frequency) plus the text's taxonomy skills, hashed into 2^20 dimensions. It needs no
//! model, is deterministic, and compares an Arabic resume with an English posting through
//! the skills they share. Dense models (a local model directory, an OpenAI-compatible
//! `/v1/embeddings` server) are to plug in beside it as other [`Vector`] producers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::matching::stemmed_words;

/// About 3,500 characters per chunk, 400 shared with the next (seed 004).
pub const CHUNK_CHARS: usize = 3_500;
pub const CHUNK_OVERLAP: usize = 400;

/// A piece of a text, with where it is (byte offsets) and its place in the sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Cuts `text` into chunks of at most `size` characters, each starting `overlap` characters
/// before the previous one ended. A chunk ends at the last paragraph break, else line break,
/// else space in its second half, so words and lines stay whole where they can.
pub fn chunks(text: &str, size: usize, overlap: usize) -> Vec<Chunk> {
    let size = size.max(1);
    let overlap = overlap.min(size / 2);
    // Byte offset of every character, and the end.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = bounds.len() - 1;
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars {
        let mut end = (start + size).min(chars);
        if end < chars {
            let window = &text[bounds[start]..bounds[end]];
            let half = bounds[start + size / 2] - bounds[start];
            let cut = ["\n\n", "\n", " "]
                .iter()
                .find_map(|sep| window.rfind(sep).filter(|at| *at >= half));
            if let Some(at) = cut {
                // Back to a character index.
                let byte = bounds[start] + at + 1;
                end = bounds.partition_point(|b| *b < byte);
            }
        }
        let piece = text[bounds[start]..bounds[end]].trim();
        if !piece.is_empty() {
            out.push(Chunk {
                index: out.len(),
                start: bounds[start],
                end: bounds[end],
                text: piece.to_owned(),
            });
        }
        if end >= chars {
            break;
        }
        start = (end - overlap).max(start + 1);
    }
    out
}

/// A unit-length vector: sparse (sorted `(dimension, weight)` pairs) or dense.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vector {
    Sparse(Vec<(u32, f32)>),
    Dense(Vec<f32>),
}

impl Vector {
    /// Cosine similarity (the dot product of unit vectors); 0 for vectors of different
    /// kinds or lengths.
    pub fn cosine(&self, other: &Vector) -> f32 {
        match (self, other) {
            (Vector::Sparse(a), Vector::Sparse(b)) => {
                let (mut i, mut j, mut dot) = (0, 0, 0.0);
                while i < a.len() && j < b.len() {
                    match a[i].0.cmp(&b[j].0) {
                        std::cmp::Ordering::Less => i += 1,
                        std::cmp::Ordering::Greater => j += 1,
                        std::cmp::Ordering::Equal => {
                            dot += a[i].1 * b[j].1;
                            i += 1;
                            j += 1;
                        }
                    }
                }
                dot
            }
            (Vector::Dense(a), Vector::Dense(b)) if a.len() == b.len() => {
                a.iter().zip(b).map(|(x, y)| x * y).sum()
            }
            _ => 0.0,
        }
    }
}

const DIMENSIONS: u64 = 1 << 20;
/// A taxonomy skill weighs as much as a rare word: naming the same skill is strong evidence.
const SKILL_WEIGHT: f64 = 6.0;

/// The built-in sparse vector of a text.
pub fn sparse(text: &str) -> Vector {
    let mut weights: HashMap<u32, f64> = HashMap::new();
    let mut counts: HashMap<String, f64> = HashMap::new();
    for stem in stemmed_words(text) {
        *counts.entry(stem).or_default() += 1.0;
    }
    for (stem, count) in &counts {
        let weight = (1.0 + count.ln()) * crate::occupations::idf(stem);
        *weights.entry(dimension("w:", stem)).or_default() += weight;
    }
    for mention in crate::skills::taxonomy().find(text) {
        weights.insert(dimension("s:", mention.id), SKILL_WEIGHT);
    }
    let norm = weights.values().map(|w| w * w).sum::<f64>().sqrt();
    let mut pairs: Vec<(u32, f32)> = weights
        .into_iter()
        .filter(|(_, w)| *w > 0.0)
        .map(|(d, w)| (d, (w / norm) as f32))
        .collect();
    pairs.sort_unstable_by_key(|(d, _)| *d);
    Vector::Sparse(pairs)
}

fn dimension(kind: &str, key: &str) -> u32 {
    let hash = [kind, key]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, part| {
            part.bytes().fold(h, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        });
    (hash % DIMENSIONS) as u32
}

/// One posting chunk and the resume chunk closest to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChunkMatch {
    pub job_chunk: Chunk,
    pub resume_chunk: Chunk,
    pub score: f32,
}

/// Seed 004's `search_resume_vs_job`: every chunk of the posting with the resume chunk
/// closest to it, and the average of those scores (0 when either text is empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    pub matches: Vec<ChunkMatch>,
    pub average: f32,
}

/// [`Search`] with the built-in sparse vectors.
pub fn search_resume_vs_job(resume: &str, job: &str) -> Search {
    let resume_chunks: Vec<(Chunk, Vector)> = chunks(resume, CHUNK_CHARS, CHUNK_OVERLAP)
        .into_iter()
        .map(|c| {
            let v = sparse(&c.text);
            (c, v)
        })
        .collect();
    let mut matches = Vec::new();
    for job_chunk in chunks(job, CHUNK_CHARS, CHUNK_OVERLAP) {
        let v = sparse(&job_chunk.text);
        let best = resume_chunks.iter().map(|(c, rv)| (v.cosine(rv), c)).fold(
            None::<(f32, &Chunk)>,
            |best, (s, c)| match best {
                Some((b, _)) if b >= s => best,
                _ => Some((s, c)),
            },
        );
        if let Some((score, resume_chunk)) = best {
            matches.push(ChunkMatch {
                job_chunk,
                resume_chunk: resume_chunk.clone(),
                score,
            });
        }
    }
    let average = if matches.is_empty() {
        0.0
    } else {
        matches.iter().map(|m| m.score).sum::<f32>() / matches.len() as f32
    };
    Search { matches, average }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_overlap_and_keep_lines_whole() {
        let text: String = (0..400)
            .map(|i| format!("Line {i} of the resume, with some words.\n"))
            .collect();
        let pieces = chunks(&text, CHUNK_CHARS, CHUNK_OVERLAP);
        assert!(pieces.len() >= 4, "{}", pieces.len());
        for pair in pieces.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(b.start < a.end, "chunks overlap");
            assert!(a.end - b.start <= CHUNK_OVERLAP + 1);
            assert!(a.text.ends_with('.'), "{:?}", &a.text[a.text.len() - 20..]);
        }
        assert!(pieces.iter().all(|c| c.text.chars().count() <= CHUNK_CHARS));
        assert_eq!(pieces.last().unwrap().end, text.len());
        // Multi-byte text is cut on character boundaries.
        let arabic = "مهندس بيانات ".repeat(600);
        let pieces = chunks(&arabic, 500, 50);
        assert!(pieces.iter().all(|c| arabic.is_char_boundary(c.start)));
        assert!(chunks("", 10, 2).is_empty());
        assert_eq!(chunks("short", 3_500, 400).len(), 1);
    }

    #[test]
    fn sparse_vectors_rank_related_text_higher() {
        let posting =
            sparse("Accountant: prepare journal entries and reconciliations in QuickBooks");
        let close =
            sparse("Prepared monthly journal entries and account reconciliations; QuickBooks");
        let far = sparse("Cooked on the grill and kept the kitchen clean");
        assert!(posting.cosine(&close) > 0.3);
        assert!(posting.cosine(&close) > posting.cosine(&far) + 0.2);
        assert!((close.cosine(&close) - 1.0).abs() < 1e-5);
        // Across languages, the shared skills carry it.
        let arabic = sparse("خبرة في Python و SQL");
        let english = sparse("Experience with Python and SQL required");
        assert!(arabic.cosine(&english) > 0.3, "{}", arabic.cosine(&english));
        assert_eq!(sparse("").cosine(&english), 0.0);
    }

    #[test]
    fn search_pairs_each_job_chunk_with_its_closest_resume_chunk() {
        let resume = format!(
            "{}\n\nPrepared journal entries and reconciliations in QuickBooks.\n",
            "Volunteered at the food bank on weekends.\n".repeat(120)
        );
        let found = search_resume_vs_job(&resume, "Prepare journal entries and reconciliations");
        assert_eq!(found.matches.len(), 1);
        assert!(found.matches[0].resume_chunk.text.contains("QuickBooks"));
        assert!(found.average > 0.1, "{}", found.average);
        assert_eq!(search_resume_vs_job("", "anything").average, 0.0);
    }
}
