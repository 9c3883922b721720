//! The representation similarity search uses, chosen in config: the built-in **sparse**
//! vectors (the default; no model), a **local** static Model2Vec model read from a
//! directory, or a **remote** OpenAI-compatible `/v1/embeddings` server.
//!
//! Its own crate because the local model brings the `tokenizers` crate: everyday work on
//! the text crate never builds it. Every representation has a [`Embedder::name`] that
//! changes when its vectors would: stored vectors are compared only with vectors of the
//! same name, never across models.

use std::path::Path;

pub use pursuit_text::embed::{
    CHUNK_CHARS, CHUNK_OVERLAP, Chunk, ChunkMatch, Search, Vector, chunks, search,
};
pub use remote::{EmbedError, Remote};

mod remote;
pub mod testing;

/// One of the three representations.
pub enum Embedder {
    Sparse,
    Local(Local),
    Remote { remote: Remote, name: String },
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Embedder").field(&self.name()).finish()
    }
}

impl Embedder {
    /// The built-in sparse vectors.
    pub fn sparse() -> Embedder {
        Embedder::Sparse
    }

    /// A static Model2Vec model from `dir` (`model.safetensors`, `tokenizer.json`,
    /// `config.json`); read once, here.
    pub fn local(dir: &Path) -> Result<Embedder, EmbedError> {
        Local::load(dir).map(Embedder::Local)
    }

    /// An OpenAI-compatible server at `base_url` serving `model`.
    pub fn remote(
        base_url: &str,
        model: &str,
        api_key: Option<String>,
    ) -> Result<Embedder, EmbedError> {
        let remote = Remote::new(base_url, model, api_key)?;
        Ok(Embedder::Remote {
            name: remote.name(),
            remote,
        })
    }

    /// What stored vectors are labelled with, e.g. `sparse-1`,
    /// `model2vec:potion-base-8M:256:1f2e…`, `remote:text-embedding-3-small@api.openai.com`.
    pub fn name(&self) -> &str {
        match self {
            Embedder::Sparse => pursuit_text::embed::SPARSE_NAME,
            Embedder::Local(local) => &local.name,
            Embedder::Remote { name, .. } => name,
        }
    }

    /// One unit-length vector per text, in order.
    pub async fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>, EmbedError> {
        match self {
            Embedder::Remote { remote, .. } => remote.embed(texts).await,
            _ => self.embed_here(texts),
        }
    }

    /// Whether the vectors are made by this process's CPU (sparse, local) rather than by a
    /// server: such work belongs on a blocking thread, not an async one.
    pub fn runs_here(&self) -> bool {
        !matches!(self, Embedder::Remote { .. })
    }

    /// [`Embedder::embed`] for the representations that [`Embedder::runs_here`], without
    /// an executor; a remote one answers an error.
    pub fn embed_here(&self, texts: &[&str]) -> Result<Vec<Vector>, EmbedError> {
        match self {
            Embedder::Sparse => Ok(texts
                .iter()
                .map(|t| pursuit_text::embed::sparse(t))
                .collect()),
            Embedder::Local(local) => Ok(local.embed(texts)),
            Embedder::Remote { .. } => Err(EmbedError::Model(
                "a remote model is called with `embed`".into(),
            )),
        }
    }
}

/// A static Model2Vec model: a text's vector is the mean of its tokens' rows.
pub struct Local {
    model: model2vec_rs::model::StaticModel,
    name: String,
}

const MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

impl Local {
    /// Reads the model in `dir`; errors name the directory and what is wrong with it.
    pub fn load(dir: &Path) -> Result<Local, EmbedError> {
        let shown = dir.display();
        if !dir.is_dir() {
            return Err(EmbedError::Model(format!("{shown} is not a directory")));
        }
        let mut contents = Vec::new();
        for file in MODEL_FILES {
            let bytes = std::fs::read(dir.join(file)).map_err(|e| {
                EmbedError::Model(format!(
                    "{shown} has no readable {file} ({e}); a Model2Vec model directory holds {}",
                    MODEL_FILES.join(", ")
                ))
            })?;
            contents.push(bytes);
        }
        let model = model2vec_rs::model::StaticModel::from_bytes(
            &contents[1],
            &contents[0],
            &contents[2],
            Some(true),
        )
        .map_err(|e| EmbedError::Model(format!("{shown}: {e:#}")))?;
        let label = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let digest = pursuit_text::matching::fingerprint(&contents);
        Ok(Local {
            name: format!("model2vec:{label}:{}:{digest}", model.dim()),
            model,
        })
    }

    /// The vectors of `texts`; a text with no known token gets all zeros (it matches
    /// nothing rather than something at random).
    pub fn embed(&self, texts: &[&str]) -> Vec<Vector> {
        let owned: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
        // No token limit: a chunk is already bounded, and its end counts as much as its start.
        self.model
            .encode_with_args(&owned, None, 64)
            .into_iter()
            .map(Vector::dense_unit)
            .collect()
    }

    pub fn dim(&self) -> usize {
        self.model.dim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_tiny_local_model_places_related_texts_together() {
        let dir = tempfile::tempdir().unwrap();
        testing::write_tiny_model(dir.path());
        let embedder = Embedder::local(dir.path()).unwrap();
        assert!(
            embedder.name().starts_with("model2vec:"),
            "{}",
            embedder.name()
        );
        let vectors = embedder
            .embed(&[
                "Python developer writing Rust code",
                "Senior software engineer: Rust and Python",
                "Registered nurse caring for patients",
                "zzz qqq",
            ])
            .await
            .unwrap();
        let Vector::Dense(first) = &vectors[0] else {
            panic!("a dense vector")
        };
        assert_eq!(first.len(), testing::TINY_DIM);
        let related = vectors[0].cosine(&vectors[1]);
        let unrelated = vectors[0].cosine(&vectors[2]);
        assert!(related > 0.9, "{related}");
        assert!(unrelated < 0.2, "{unrelated}");
        // Words the model does not know add nothing; none known is no direction at all.
        assert_eq!(vectors[3].cosine(&vectors[0]), 0.0);
        // The same text, the same vector; the same files, the same name.
        let again = Embedder::local(dir.path()).unwrap();
        assert_eq!(again.name(), embedder.name());
        let again = again
            .embed(&["Python developer writing Rust code"])
            .await
            .unwrap();
        assert_eq!(again[0], vectors[0]);
    }

    #[test]
    fn a_bad_model_directory_says_what_is_wrong() {
        let error = |dir: &Path| match Local::load(dir) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("loaded {}", dir.display()),
        };
        let dir = tempfile::tempdir().unwrap();
        let missing = error(&dir.path().join("nope"));
        assert!(missing.contains("is not a directory"), "{missing}");
        let empty = error(dir.path());
        assert!(empty.contains("no readable model.safetensors"), "{empty}");
        testing::write_tiny_model(dir.path());
        std::fs::write(dir.path().join("model.safetensors"), b"not a tensor file").unwrap();
        let corrupt = error(dir.path());
        assert!(corrupt.contains("safetensors"), "{corrupt}");
        testing::write_tiny_model(dir.path());
        std::fs::write(dir.path().join("tokenizer.json"), b"{}").unwrap();
        let tokenizer = error(dir.path());
        assert!(tokenizer.contains("tokenizer"), "{tokenizer}");
    }

    #[test]
    fn remote_names_carry_the_model_and_host() {
        let embedder =
            Embedder::remote("http://127.0.0.1:11434/v1", "nomic-embed-text", None).unwrap();
        assert_eq!(embedder.name(), "remote:nomic-embed-text@127.0.0.1:11434");
        assert!(!embedder.runs_here() && embedder.embed_here(&["x"]).is_err());
        assert!(Embedder::sparse().runs_here());
        assert!(Embedder::remote("http://127.0.0.1:1", " ", None).is_err());
        assert!(Embedder::remote("ftp://127.0.0.1/", "m", None).is_err());
        let with_credentials =
            Embedder::remote("https://me:hunter2@embed.example.org/v1", "m", None).unwrap();
        assert_eq!(with_credentials.name(), "remote:m@embed.example.org");
        assert_eq!(Embedder::sparse().name(), "sparse-1");
    }
}
