//! The fetcher against a small HTTP server of the test's own on 127.0.0.1 (the only place
//! these tests connect to): loopback is refused unless the test allowance is on, redirects
//! are re-checked and counted, and the size and time caps hold.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use pursuit_files::fetch::{FetchError, Limits, fetch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves each connection the answer `route` gives for its request path.
async fn server(route: fn(&str, u16) -> Option<String>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buffer = vec![0; 4096];
                let n = socket.read(&mut buffer).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                match route(&path, port) {
                    Some(answer) => {
                        let _ = socket.write_all(answer.as_bytes()).await;
                    }
                    // No answer at all: the client waits until its deadline.
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    port
}

fn ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn redirect(to: &str) -> String {
    format!(
        "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
}

fn routes(path: &str, port: u16) -> Option<String> {
    match path {
        "/job" => Some(ok("<h1>Backend Engineer</h1>")),
        "/hop1" => Some(redirect("/hop2")),
        "/hop2" => Some(redirect(&format!("http://127.0.0.1:{port}/job"))),
        "/loop" => Some(redirect("/loop")),
        "/to-metadata" => Some(redirect("http://169.254.169.254/latest/meta-data/")),
        "/to-mapped" => Some(redirect("http://[::ffff:10.0.0.1]/")),
        "/big" => Some(ok(&"x".repeat(4096))),
        "/missing" => Some(
            "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned(),
        ),
        "/silent" => None,
        _ => Some(ok("")),
    }
}

fn test_limits() -> Limits {
    Limits {
        allow_loopback: true,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_page_is_fetched_and_loopback_is_refused_without_the_test_allowance() {
    let port = server(routes).await;
    let url = format!("http://127.0.0.1:{port}/job");
    let page = fetch(&url, &test_limits()).await.unwrap();
    assert_eq!(page.body, b"<h1>Backend Engineer</h1>");
    assert_eq!(page.content_type.as_deref(), Some("text/html"));

    let refused = fetch(&url, &Limits::default()).await.unwrap_err();
    assert!(matches!(refused, FetchError::Refused { .. }), "{refused:?}");
    assert!(refused.to_string().contains("loopback"), "{refused}");
    let localhost = fetch(&format!("http://localhost:{port}/job"), &Limits::default())
        .await
        .unwrap_err();
    assert!(
        matches!(localhost, FetchError::Refused { .. }),
        "a name that resolves to loopback: {localhost:?}"
    );
    // What a name resolves to is not told: that would map the server's network.
    let told = localhost.to_string();
    assert!(
        !told.contains("127.0.0.1") && !told.contains("::1"),
        "{told}"
    );
    assert!(told.contains("localhost"), "{told}");
}

#[tokio::test]
async fn redirects_are_followed_rechecked_and_counted() {
    let port = server(routes).await;
    let base = format!("http://127.0.0.1:{port}");
    let followed = fetch(&format!("{base}/hop1"), &test_limits())
        .await
        .unwrap();
    assert_eq!(followed.url.path(), "/job");
    assert_eq!(
        fetch(&format!("{base}/loop"), &test_limits())
            .await
            .unwrap_err(),
        FetchError::TooManyRedirects(3)
    );
    let metadata = fetch(&format!("{base}/to-metadata"), &test_limits())
        .await
        .unwrap_err();
    assert!(
        metadata.to_string().contains("cloud metadata"),
        "{metadata}"
    );
    let mapped = fetch(&format!("{base}/to-mapped"), &test_limits())
        .await
        .unwrap_err();
    assert!(mapped.to_string().contains("private network"), "{mapped}");
}

#[tokio::test]
async fn size_time_status_and_bad_urls_end_with_a_reason() {
    let port = server(routes).await;
    let base = format!("http://127.0.0.1:{port}");
    let small = Limits {
        max_bytes: 1024,
        ..test_limits()
    };
    assert_eq!(
        fetch(&format!("{base}/big"), &small).await.unwrap_err(),
        FetchError::TooLarge(1024)
    );
    let quick = Limits {
        timeout: Duration::from_millis(300),
        ..test_limits()
    };
    assert!(matches!(
        fetch(&format!("{base}/silent"), &quick).await.unwrap_err(),
        FetchError::Timeout(_)
    ));
    assert_eq!(
        fetch(&format!("{base}/missing"), &test_limits())
            .await
            .unwrap_err(),
        FetchError::Status(404)
    );
    for bad in [
        "not a url",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "http://10.0.0.1/",
        "http://[fe80::1]/",
    ] {
        let error = fetch(bad, &Limits::default()).await.unwrap_err();
        assert!(
            matches!(error, FetchError::BadUrl(_) | FetchError::Refused { .. }),
            "{bad}: {error:?}"
        );
    }
}
