//! The board in headless Chromium: time to DOMContentLoaded and to a usable board (the
//! moment `board.js` has wired drag-and-drop, which it marks on `<html data-board-ready>`),
//! over loopback, from the browser's own Navigation Timing clock; and the page's weight:
//! HTML, CSS and JavaScript bytes (as sent, and decoded) and the number of requests, on a
//! load with an empty cache (Resource Timing).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::ClientBuilder;
use fantoccini::cookies::Cookie;
use serde_json::json;

const RUNS: usize = 15;

/// Starts ChromeDriver and a headless Chromium, runs `work` with the session, and tears
/// both down whatever `work` returned.
async fn with_chromium<T>(
    chromedriver: &Path,
    work: impl AsyncFnOnce(&fantoccini::Client) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut driver = tokio::process::Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()?;
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{url}/status")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir()?;
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), json!({
        "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--window-size=1400,900", format!("--user-data-dir={}", profile.path().display()),
        ],
    }));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&url)
        .await?;
    let result = work(&client).await;
    let _ = client.close().await;
    if let Some(pid) = driver.id() {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .status();
    }
    let _ = driver.kill().await;
    result
}

pub async fn time_board(
    chromedriver: &Path,
    base: &str,
    session: &str,
    applications: usize,
) -> anyhow::Result<()> {
    let (mut loaded, mut usable, weight) = with_chromium(chromedriver, async |client| {
        measure(client, base, session).await
    })
    .await?;
    loaded.sort_by(f64::total_cmp);
    usable.sort_by(f64::total_cmp);
    let at = |list: &[f64], p: f64| list[((list.len() - 1) as f64 * p).round() as usize];
    println!(
        "Chromium /board ({applications} applications, {RUNS} loads): DOMContentLoaded p50 {:.0} ms, max {:.0} ms; usable board p50 {:.0} ms, max {:.0} ms",
        at(&loaded, 0.5),
        at(&loaded, 1.0),
        at(&usable, 0.5),
        at(&usable, 1.0),
    );
    println!("Chromium /board page weight (first load, empty cache): {weight}");
    Ok(())
}

/// Any page of a running server, signed in with `session`: DOMContentLoaded and the load
/// event, over [`RUNS`] loads after one warm-up, from the browser's Navigation Timing.
pub async fn time_page(
    chromedriver: &Path,
    base: &str,
    session: &str,
    path: &str,
) -> anyhow::Result<()> {
    let (mut loaded, mut done) = with_chromium(chromedriver, async |client| {
        sign_in(client, base, session).await?;
        let (mut loaded, mut done) = (Vec::new(), Vec::new());
        for run in 0..=RUNS {
            client.goto(&format!("{base}{path}")).await?;
            let timing = client
                .execute(
                    "const nav = performance.getEntriesByType('navigation')[0];
                     return [nav.domContentLoadedEventEnd, nav.loadEventEnd, nav.responseStatus || 0];",
                    vec![],
                )
                .await?;
            if timing[2].as_u64().is_some_and(|s| s >= 400) {
                anyhow::bail!("{path} answered {}", timing[2]);
            }
            if run > 0 {
                loaded.push(timing[0].as_f64().unwrap_or(f64::NAN));
                done.push(timing[1].as_f64().unwrap_or(f64::NAN));
            }
        }
        Ok((loaded, done))
    })
    .await?;
    loaded.sort_by(f64::total_cmp);
    done.sort_by(f64::total_cmp);
    let at = |list: &[f64], p: f64| list[((list.len() - 1) as f64 * p).round() as usize];
    println!(
        "Chromium {path} ({RUNS} loads): DOMContentLoaded p50 {:.0} ms, max {:.0} ms; load p50 {:.0} ms, max {:.0} ms",
        at(&loaded, 0.5),
        at(&loaded, 1.0),
        at(&done, 0.5),
        at(&done, 1.0),
    );
    Ok(())
}

/// Opens a page of the site, so the session cookie can be set for its origin, and sets it.
async fn sign_in(client: &fantoccini::Client, base: &str, session: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/sign-in")).await?;
    // SameSite=Lax, as the server sets it (WebDriver's default, None, needs Secure).
    let mut cookie = Cookie::parse(format!("pursuit_session={session}; Path=/; SameSite=Lax"))?;
    let host = base
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap_or("127.0.0.1")
        .to_owned();
    cookie.set_domain(host);
    client.add_cookie(cookie).await?;
    Ok(())
}

async fn measure(
    client: &fantoccini::Client,
    base: &str,
    session: &str,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, String)> {
    sign_in(client, base, session).await?;
    let (mut loaded, mut usable) = (Vec::new(), Vec::new());
    let mut weight = String::new();
    for run in 0..=RUNS {
        client.goto(&format!("{base}/board")).await?;
        let mut timing = serde_json::Value::Null;
        for _ in 0..200 {
            timing = client
                .execute(
                    "const nav = performance.getEntriesByType('navigation')[0];
                     const ready = document.documentElement.dataset.boardReady;
                     return { loaded: nav.domContentLoadedEventEnd, ready: ready ? Number(ready) : null };",
                    vec![],
                )
                .await?;
            if timing["ready"].is_number() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let ready = timing["ready"]
            .as_f64()
            .ok_or_else(|| anyhow::anyhow!("the board never became usable: {timing}"))?;
        if run == 0 {
            let measured = client
                .execute(
                    "const nav = performance.getEntriesByType('navigation')[0];
                     const parts = { html: [nav.transferSize, nav.decodedBodySize], css: [0, 0], js: [0, 0], other: [0, 0] };
                     const resources = performance.getEntriesByType('resource');
                     for (const r of resources) {
                       const kind = r.name.includes('.css') ? 'css' : r.name.includes('.js') ? 'js' : 'other';
                       parts[kind][0] += r.transferSize; parts[kind][1] += r.decodedBodySize;
                     }
                     return { parts, requests: 1 + resources.length };",
                    vec![],
                )
                .await?;
            let kb =
                |kind: &str, i: usize| measured["parts"][kind][i].as_f64().unwrap_or(0.0) / 1024.0;
            weight = format!(
                "HTML {:.0} KB sent ({:.0} KB decoded), CSS {:.1} KB ({:.1}), JS {:.1} KB ({:.1}), other {:.1} KB; {} requests",
                kb("html", 0),
                kb("html", 1),
                kb("css", 0),
                kb("css", 1),
                kb("js", 0),
                kb("js", 1),
                kb("other", 0),
                measured["requests"]
            );
        }
        // The first load warms the caches (assets, connection); it is not counted.
        if run > 0 {
            loaded.push(timing["loaded"].as_f64().unwrap_or(f64::NAN));
            usable.push(ready);
        }
    }
    Ok((loaded, usable, weight))
}
