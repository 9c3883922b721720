//! Representations for similarity search (seed 004): texts cut into overlapping chunks, each
//! turned into a vector, chunks compared by cosine.
//!
//! This is the first, built-in representation: **sparse** vectors of stemmed words weighted
//! by how telling they are about the work ([`crate::occupations::idf`], sublinear term
//! frequency) plus the text's taxonomy skills, hashed into 2^20 dimensions. It needs no
//! model, is deterministic, and compares an Arabic resume with an English posting through
//! the skills they share. The `pursuit-embed` crate adds dense vectors from a local
//! Model2Vec model or from an OpenAI-compatible `/v1/embeddings` server, and the one type
//! the server holds (whichever of the three is configured).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::matching::{FNV_OFFSET, fnv1a_more, stemmed_words};

/// The name stored with sparse vectors; a change to how they are made changes it, so
/// stored vectors made the old way are made again rather than compared with new ones.
pub const SPARSE_NAME: &str = "sparse-1";

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

const SPARSE_TAG: u8 = 1;
const DENSE_TAG: u8 = 2;

impl Vector {
    /// Dense components scaled to unit length (all zeros stay zeros: nothing to compare).
    pub fn dense_unit(mut values: Vec<f32>) -> Vector {
        let norm = values.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 && norm.is_finite() {
            values.iter_mut().for_each(|x| *x /= norm);
        } else {
            values.iter_mut().for_each(|x| *x = 0.0);
        }
        Vector::Dense(values)
    }

    /// The compact form stored in the database: a kind byte, then little-endian
    /// `(u32 dimension, f32 weight)` pairs (sparse) or `f32` components (dense).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Vector::Sparse(pairs) => {
                let mut out = Vec::with_capacity(1 + pairs.len() * 8);
                out.push(SPARSE_TAG);
                for (d, w) in pairs {
                    out.extend_from_slice(&d.to_le_bytes());
                    out.extend_from_slice(&w.to_le_bytes());
                }
                out
            }
            Vector::Dense(values) => {
                let mut out = Vec::with_capacity(1 + values.len() * 4);
                out.push(DENSE_TAG);
                for v in values {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out
            }
        }
    }

    /// Reads what [`Vector::to_bytes`] wrote; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Vector> {
        let (tag, rest) = bytes.split_first()?;
        let word = |b: &[u8]| [b[0], b[1], b[2], b[3]];
        match *tag {
            SPARSE_TAG if rest.len().is_multiple_of(8) => Some(Vector::Sparse(
                rest.chunks_exact(8)
                    .map(|c| {
                        (
                            u32::from_le_bytes(word(&c[..4])),
                            f32::from_le_bytes(word(&c[4..])),
                        )
                    })
                    .collect(),
            )),
            DENSE_TAG if rest.len().is_multiple_of(4) => Some(Vector::Dense(
                rest.chunks_exact(4)
                    .map(|c| f32::from_le_bytes(word(c)))
                    .collect(),
            )),
            _ => None,
        }
    }

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
    let hash = fnv1a_more(fnv1a_more(FNV_OFFSET, kind), key);
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

/// A text's chunks (seed 004's sizes) with their built-in sparse vectors.
pub fn sparse_chunks(text: &str) -> Vec<(Chunk, Vector)> {
    chunks(text, CHUNK_CHARS, CHUNK_OVERLAP)
        .into_iter()
        .map(|c| {
            let v = sparse(&c.text);
            (c, v)
        })
        .collect()
}

/// [`Search`] with the built-in sparse vectors.
pub fn search_resume_vs_job(resume: &str, job: &str) -> Search {
    search(&sparse_chunks(resume), &sparse_chunks(job))
}

/// [`Search`] over chunks already embedded (with one representation): each job chunk
/// with the resume chunk closest to it, the first of equals.
pub fn search(resume: &[(Chunk, Vector)], job: &[(Chunk, Vector)]) -> Search {
    let mut matches = Vec::new();
    for (job_chunk, v) in job {
        let best = resume.iter().map(|(c, rv)| (v.cosine(rv), c)).fold(
            None::<(f32, &Chunk)>,
            |best, (s, c)| match best {
                Some((b, _)) if b >= s => best,
                _ => Some((s, c)),
            },
        );
        if let Some((score, resume_chunk)) = best {
            matches.push(ChunkMatch {
                job_chunk: job_chunk.clone(),
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

    #[test]
    fn vectors_read_back_as_stored() {
        for v in [
            sparse("Python and SQL developer"),
            Vector::dense_unit(vec![3.0, -4.0, 0.0]),
            Vector::Sparse(Vec::new()),
        ] {
            assert_eq!(Vector::from_bytes(&v.to_bytes()), Some(v));
        }
        assert_eq!(
            Vector::dense_unit(vec![0.0, 0.0]),
            Vector::Dense(vec![0.0, 0.0])
        );
        assert_eq!(Vector::from_bytes(&[]), None);
        assert_eq!(Vector::from_bytes(&[2, 0, 0, 0]), None, "a torn float");
        assert_eq!(Vector::from_bytes(&[9]), None, "an unknown kind");
    }
}
