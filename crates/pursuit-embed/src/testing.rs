//! A tiny Model2Vec model for tests, written from scratch: a WordPiece vocabulary of a few
//! words and a 4-dimensional embedding table in which software words point one way and
//! care words another. Built by the tests themselves; nothing is downloaded.

use std::path::Path;

pub const TINY_DIM: usize = 4;

/// Each token and its row. Special tokens first, as BERT vocabularies have them; the
/// unknown token's row is zeros.
const ROWS: [(&str, [f32; TINY_DIM]); 17] = [
    ("[PAD]", [0.0, 0.0, 0.0, 0.0]),
    ("[UNK]", [0.0, 0.0, 0.0, 0.0]),
    ("[CLS]", [0.0, 0.0, 0.0, 0.0]),
    ("[SEP]", [0.0, 0.0, 0.0, 0.0]),
    ("python", [1.0, 0.2, 0.0, 0.0]),
    ("rust", [0.9, 0.3, 0.0, 0.1]),
    ("code", [0.8, 0.4, 0.0, 0.0]),
    ("developer", [0.7, 0.7, 0.0, 0.0]),
    ("engineer", [0.6, 0.8, 0.1, 0.0]),
    ("software", [0.8, 0.5, 0.0, 0.0]),
    ("senior", [0.3, 0.3, 0.3, 0.3]),
    ("nurse", [0.0, 0.0, 1.0, 0.3]),
    ("patient", [0.0, 0.1, 0.8, 0.6]),
    ("caring", [0.0, 0.0, 0.6, 0.8]),
    ("registered", [0.1, 0.0, 0.5, 0.5]),
    ("##s", [0.1, 0.1, 0.1, 0.1]),
    ("for", [0.2, 0.2, 0.2, 0.2]),
];

/// Writes `model.safetensors`, `tokenizer.json` and `config.json` into `dir`.
pub fn write_tiny_model(dir: &Path) {
    std::fs::create_dir_all(dir).expect("model directory");
    let vocab: serde_json::Map<String, serde_json::Value> = ROWS
        .iter()
        .enumerate()
        .map(|(i, (token, _))| ((*token).to_owned(), serde_json::Value::from(i)))
        .collect();
    let tokenizer = serde_json::json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [],
        "normalizer": {
            "type": "BertNormalizer",
            "clean_text": true,
            "handle_chinese_chars": true,
            "strip_accents": null,
            "lowercase": true
        },
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": null,
        "decoder": null,
        "model": {
            "type": "WordPiece",
            "unk_token": "[UNK]",
            "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100,
            "vocab": vocab
        }
    });
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).expect("tokenizer.json");
    let config =
        serde_json::json!({"model_type": "model2vec", "normalize": true, "hidden_dim": TINY_DIM});
    std::fs::write(dir.join("config.json"), config.to_string()).expect("config.json");

    // safetensors: an 8-byte little-endian header length, a JSON header (padded with
    // spaces to a multiple of 8), then the raw little-endian data.
    let data: Vec<u8> = ROWS
        .iter()
        .flat_map(|(_, row)| row.iter().flat_map(|x| x.to_le_bytes()))
        .collect();
    let mut header = serde_json::json!({
        "embeddings": {
            "dtype": "F32",
            "shape": [ROWS.len(), TINY_DIM],
            "data_offsets": [0, data.len()]
        }
    })
    .to_string();
    while !header.len().is_multiple_of(8) {
        header.push(' ');
    }
    let mut file = (header.len() as u64).to_le_bytes().to_vec();
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&data);
    std::fs::write(dir.join("model.safetensors"), file).expect("model.safetensors");
}
