//! Any server speaking OpenAI's `POST /v1/embeddings`, as that API documents it: the one
//! part of similarity search that goes over the network, kept here so that `pursuit-text`
//! stays pure text work.

use serde::Deserialize;

use crate::Vector;

/// Why a remote embedding call failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("the embeddings server could not be reached: {0}")]
    Http(String),
    #[error("the embeddings server answered {status}: {body}")]
    Status { status: u16, body: String },
    #[error("the embeddings server's answer is not what the API describes: {0}")]
    Format(String),
    #[error("the embedding model cannot be used: {0}")]
    Model(String),
    #[error("the embeddings URL {0:?} is not an http:// or https:// URL")]
    Url(String),
}

/// Any server speaking OpenAI's `POST /v1/embeddings` (OpenAI, and the local servers that
/// copy its API). Vectors come back as [`Vector::Dense`], scaled to unit length.
pub struct Remote {
    url: String,
    /// Host and port, without credentials: safe to store and log.
    server: String,
    model: String,
    api_key: Option<String>,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct EmbeddingList {
    data: Vec<EmbeddingItem>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    index: usize,
    embedding: Vec<f32>,
}

impl Remote {
    /// `base_url` is the server's root or its `/v1` (both work); `model` as the server
    /// names it.
    pub fn new(base_url: &str, model: &str, api_key: Option<String>) -> Result<Remote, EmbedError> {
        let parsed = reqwest::Url::parse(base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| EmbedError::Url(base_url.to_owned()))?;
        let server = match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(EmbedError::Url(base_url.to_owned())),
        };
        if model.trim().is_empty() {
            return Err(EmbedError::Model("name the remote model".into()));
        }
        // The process's one TLS provider (ring); a no-op once the binary has installed it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let base = base_url.trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .user_agent(concat!("Pursuit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| EmbedError::Http(e.to_string()))?;
        Ok(Remote {
            url: format!("{base}/v1/embeddings"),
            server,
            model: model.to_owned(),
            api_key,
            client,
        })
    }

    /// What stored vectors are labelled with: `remote:<model>@<host[:port]>`.
    pub fn name(&self) -> String {
        format!("remote:{}@{}", self.model, self.server)
    }

    /// One vector per text, in order.
    pub async fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut request = self.client.post(&self.url).json(&serde_json::json!({
            "model": self.model,
            "input": texts,
            "encoding_format": "float",
        }));
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| EmbedError::Http(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| EmbedError::Http(e.without_url().to_string()))?;
        if !status.is_success() {
            let body = String::from_utf8_lossy(&body).chars().take(300).collect();
            return Err(EmbedError::Status {
                status: status.as_u16(),
                body,
            });
        }
        let mut list: EmbeddingList =
            serde_json::from_slice(&body).map_err(|e| EmbedError::Format(e.to_string()))?;
        list.data.sort_by_key(|item| item.index);
        if list.data.len() != texts.len()
            || list
                .data
                .iter()
                .enumerate()
                .any(|(i, item)| item.index != i)
        {
            return Err(EmbedError::Format(format!(
                "{} texts sent, {} vectors back",
                texts.len(),
                list.data.len()
            )));
        }
        let dims = list.data[0].embedding.len();
        if dims == 0 || list.data.iter().any(|item| item.embedding.len() != dims) {
            return Err(EmbedError::Format("vectors of different lengths".into()));
        }
        Ok(list
            .data
            .into_iter()
            .map(|item| Vector::dense_unit(item.embedding))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-request HTTP server that answers as OpenAI's embeddings API documents
    /// (`{"object": "list", "data": [{"object": "embedding", "index", "embedding"}], …}`),
    /// listing the data out of order, and hands back the request it got.
    async fn fake_server(
        status: &'static str,
        body: String,
    ) -> (String, tokio::task::JoinHandle<String>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1/", listener.local_addr().unwrap());
        let handle = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            loop {
                let n = socket.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let length: usize = text
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length: ")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if request.len() >= head_end + 4 + length || n == 0 {
                        break;
                    }
                }
            }
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&request).to_string()
        });
        (url, handle)
    }

    #[tokio::test]
    async fn a_remote_server_is_called_as_openai_documents() {
        let body = serde_json::json!({
            "object": "list",
            "data": [
                {"object": "embedding", "index": 1, "embedding": [0.0, 3.0, 4.0]},
                {"object": "embedding", "index": 0, "embedding": [2.0, 0.0, 0.0]}
            ],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 5, "total_tokens": 5}
        });
        let (url, request) = fake_server("200 OK", body.to_string()).await;
        let remote = Remote::new(&url, "text-embedding-3-small", Some("sk-test".into())).unwrap();
        let vectors = remote.embed(&["first text", "second text"]).await.unwrap();
        assert_eq!(vectors[0], Vector::Dense(vec![1.0, 0.0, 0.0]));
        assert_eq!(vectors[1], Vector::Dense(vec![0.0, 0.6, 0.8]));
        assert!((vectors[1].cosine(&vectors[1]) - 1.0).abs() < 1e-6);
        let request = request.await.unwrap();
        assert!(
            request.starts_with("POST /v1/embeddings HTTP/1.1"),
            "{request}"
        );
        assert!(
            request
                .to_lowercase()
                .contains("authorization: bearer sk-test")
        );
        let json: serde_json::Value =
            serde_json::from_str(&request[request.find("\r\n\r\n").unwrap() + 4..]).unwrap();
        assert_eq!(json["model"], "text-embedding-3-small");
        assert_eq!(
            json["input"],
            serde_json::json!(["first text", "second text"])
        );

        // An error status and a short answer are errors that say so.
        let failing = |status: &'static str, body: &'static str| async move {
            let (url, _) = fake_server(status, body.into()).await;
            Remote::new(&url, "m", None)
                .unwrap()
                .embed(&["x"])
                .await
                .unwrap_err()
        };
        let error = failing(
            "401 Unauthorized",
            r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}"#,
        )
        .await;
        assert!(
            matches!(error, EmbedError::Status { status: 401, .. }),
            "{error}"
        );
        let error = failing("200 OK", r#"{"object": "list", "data": []}"#).await;
        assert!(
            error.to_string().contains("1 texts sent, 0 vectors back"),
            "{error}"
        );
    }
}
