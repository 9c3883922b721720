//! One storage interface for users' files: a directory under the data dir on the embedded
//! default, or an S3-compatible bucket when configured. Keys are built here from the owner's
//! id and the object's id, so a caller cannot write outside its user's space.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::Deserialize;

/// Where files go (the `[storage]` table of the config).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StorageConfig {
    /// `<data_dir>/files` (the default).
    #[default]
    Local,
    /// An S3-compatible bucket (AWS S3, MinIO, Garage, Ceph…).
    S3 {
        bucket: String,
        #[serde(default)]
        region: Option<String>,
        /// For S3-compatible servers: e.g. `http://127.0.0.1:9000`.
        #[serde(default)]
        endpoint: Option<String>,
        access_key_id: String,
        secret_access_key: String,
        /// Key prefix inside the bucket.
        #[serde(default)]
        prefix: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the file is not in storage")]
    NotFound,
    #[error("storage failed: {0}")]
    Backend(String),
}

impl From<object_store::Error> for StorageError {
    fn from(error: object_store::Error) -> StorageError {
        match error {
            object_store::Error::NotFound { .. } => StorageError::NotFound,
            other => StorageError::Backend(other.to_string()),
        }
    }
}

/// What a stored file is, which decides its key.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// The original upload of a resume version.
    ResumeOriginal,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::ResumeOriginal => "resumes",
        }
    }
}

/// A cheap-to-clone handle on the configured store.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: Option<String>,
    description: String,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

impl Storage {
    /// Opens the configured store; `data_dir` holds `files/` for the local kind.
    pub fn open(
        config: &StorageConfig,
        data_dir: &std::path::Path,
    ) -> Result<Storage, StorageError> {
        match config {
            StorageConfig::Local => Storage::local(&data_dir.join("files")),
            StorageConfig::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                prefix,
            } => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region.clone().unwrap_or_else(|| "us-east-1".into()))
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key);
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                let store = builder.build()?;
                Ok(Storage {
                    store: Arc::new(store),
                    prefix: prefix.clone().filter(|p| !p.is_empty()),
                    description: format!("s3://{bucket}"),
                })
            }
        }
    }

    /// Files under `dir` (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Storage, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(Storage {
            store: Arc::new(store),
            prefix: None,
            description: format!("local:{}", dir.display()),
        })
    }

    fn key(&self, user: uuid_like::Id, kind: Kind, object: uuid_like::Id) -> Path {
        let key = format!("users/{user}/{}/{object}", kind.folder());
        match &self.prefix {
            Some(prefix) => Path::from(format!("{}/{key}", prefix.trim_matches('/'))),
            None => Path::from(key),
        }
    }

    pub async fn put(
        &self,
        user: impl fmt::Display,
        kind: Kind,
        object: impl fmt::Display,
        bytes: Bytes,
    ) -> Result<(), StorageError> {
        let key = self.key(uuid_like::Id::new(user)?, kind, uuid_like::Id::new(object)?);
        self.store.put(&key, PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    pub async fn get(
        &self,
        user: impl fmt::Display,
        kind: Kind,
        object: impl fmt::Display,
    ) -> Result<Bytes, StorageError> {
        let key = self.key(uuid_like::Id::new(user)?, kind, uuid_like::Id::new(object)?);
        Ok(self.store.get(&key).await?.bytes().await?)
    }

    pub async fn delete(
        &self,
        user: impl fmt::Display,
        kind: Kind,
        object: impl fmt::Display,
    ) -> Result<(), StorageError> {
        let key = self.key(uuid_like::Id::new(user)?, kind, uuid_like::Id::new(object)?);
        match self.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Key segments are ids: letters, digits and dashes only, so no key can climb out of its
/// user's folder.
mod uuid_like {
    use std::fmt;

    pub(super) struct Id(String);

    impl Id {
        pub(super) fn new(value: impl fmt::Display) -> Result<Id, super::StorageError> {
            let value = value.to_string();
            if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(super::StorageError::Backend(format!(
                    "{value:?} is not a storage key segment"
                )));
            }
            Ok(Id(value))
        }
    }

    impl fmt::Display for Id {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What every store must do: keep a file per user, say `NotFound` for another user's
    /// key, refuse a key that climbs out, and delete (twice without error).
    async fn round_trip(storage: &Storage) {
        let body = Bytes::from(vec![7u8; 300_000]);
        let put = storage.put("u1", Kind::ResumeOriginal, "v1", body.clone());
        put.await.unwrap();
        let read = storage.get("u1", Kind::ResumeOriginal, "v1").await.unwrap();
        assert_eq!(read, body);
        let other = storage.get("u2", Kind::ResumeOriginal, "v1").await;
        assert!(matches!(other, Err(StorageError::NotFound)));
        let climbing = storage.put("../x", Kind::ResumeOriginal, "v1", Bytes::new());
        assert!(climbing.await.is_err());
        for _ in 0..2 {
            let deleted = storage.delete("u1", Kind::ResumeOriginal, "v1").await;
            deleted.unwrap();
        }
        let gone = storage.get("u1", Kind::ResumeOriginal, "v1").await;
        assert!(matches!(gone, Err(StorageError::NotFound)));
    }

    #[tokio::test]
    async fn local_files_round_trip_per_user() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&StorageConfig::Local, dir.path()).unwrap();
        storage
            .put(
                "u9",
                Kind::ResumeOriginal,
                "v9",
                Bytes::from_static(b"%PDF-"),
            )
            .await
            .unwrap();
        assert!(dir.path().join("files/users/u9/resumes/v9").exists());
        round_trip(&storage).await;
    }

    /// Against a real S3 protocol server (moto, started by scripts/test).
    #[tokio::test]
    async fn s3_files_round_trip_per_user() {
        let endpoint = std::env::var("TEST_S3_ENDPOINT").expect(
            "TEST_S3_ENDPOINT is not set: run the suite with scripts/test, which starts an S3-compatible server on 127.0.0.1",
        );
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = StorageConfig::S3 {
            bucket: "pursuit-test".into(),
            region: Some("us-east-1".into()),
            endpoint: Some(endpoint),
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
            prefix: Some(format!("run-{}", std::process::id())),
        };
        let storage = Storage::open(&config, std::path::Path::new("/nonexistent")).unwrap();
        round_trip(&storage).await;
    }
}
