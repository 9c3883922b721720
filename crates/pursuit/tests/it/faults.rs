//! Faults from outside the process: a full disk. The server keeps serving, says what went
//! wrong, loses nothing it acknowledged, and recovers by itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestDatabase, spawn_app_with};

/// A small tmpfs, unmounted on drop. `None` where this process may not mount (not root).
struct SmallDisk {
    root: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let root = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(root.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { root })
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    /// Writes a filler file until the disk says no more.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        // Whatever fits of a small write, too.
        while file.write_all(&[0u8; 512]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.root.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_answers_503_until_space_returns_and_loses_nothing() {
    let Some(disk) = SmallDisk::mount(32) else {
        eprintln!("skipped: mounting a tmpfs needs root (CI runs as root)");
        return;
    };
    let database = TestDatabase {
        url: None,
        data_dir: tempfile::tempdir_in(disk.path()).unwrap(),
    };
    let app = spawn_app_with(database, |_| {}).await;
    let browser = sign_in(&app, "full@example.org", 1).await;
    let (_, token) = api_token(&app, &browser, "disk").await;
    let create = |n: usize| {
        app.client
            .post(app.url("/api/v1/applications"))
            .bearer_auth(&token)
            .json(&json!({"company": format!("Company {n}"), "role_title": "Engineer"}))
            .send()
    };
    let mut acknowledged = 0;
    assert_eq!(create(0).await.unwrap().status(), StatusCode::CREATED);
    acknowledged += 1;

    // Arrange: the disk fills up.
    let filler = disk.fill();

    // Act: writes while it is full.
    let mut refused = 0;
    for n in 1..40 {
        let response = create(n).await.unwrap();
        match response.status() {
            StatusCode::CREATED => acknowledged += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(response.headers().contains_key("retry-after"));
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["type"], "/problems/storage-full", "{body}");
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
            other => panic!(
                "a write on a full disk answered {other}: {}",
                response.text().await.unwrap()
            ),
        }
    }
    assert!(refused >= 3, "writes kept succeeding on a full disk");
    // Reads still work, and readiness tells the truth.
    let list = app
        .client
        .get(app.url("/api/v1/applications"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(
        ready.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.text().await.unwrap()
    );

    // Space returns: writes succeed again without a restart.
    std::fs::remove_file(filler).unwrap();
    let mut recovered = false;
    for n in 100..150 {
        let response = create(n).await.unwrap();
        if response.status() == StatusCode::CREATED {
            acknowledged += 1;
            recovered = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "writes did not recover after space returned");
    for n in 200..205 {
        assert_eq!(create(n).await.unwrap().status(), StatusCode::CREATED);
        acknowledged += 1;
    }
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    // Every acknowledged write is there, and nothing refused was half-written.
    let list: Value = app
        .client
        .get(app.url("/api/v1/applications?limit=200"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        acknowledged,
        "{list}"
    );
    app.stop().await;
}
