//! The binary as an operator meets it: flags, exit codes, one-line errors, signals.

use std::process::Stdio;
use std::time::Duration;

use pursuit_store::query;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::helpers::TestDatabase;

pub(crate) fn pursuit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pursuit"));
    // The suite's own environment must not leak into the child's configuration.
    for (key, _) in std::env::vars() {
        if key.starts_with("PURSUIT_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command.env("NO_COLOR", "1").kill_on_drop(true);
    command
}

pub(crate) struct Finished {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) async fn finish(command: &mut Command) -> Finished {
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("pursuit finished within 60 s")
        .expect("pursuit ran");
    Finished {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A failed start must say what failed in one line, exit non-zero, and never panic.
fn assert_one_line_failure(run: &Finished, expected: &str) {
    assert_ne!(run.code, Some(0), "should fail: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: "),
        "last line: {last:?}\n{}",
        run.stderr
    );
    assert!(last.contains(expected), "want {expected:?} in {last:?}");
}

#[tokio::test]
async fn version_and_help_print_and_exit_zero() {
    let version = finish(pursuit().arg("--version")).await;
    let help = finish(pursuit().arg("--help")).await;

    assert_eq!(version.code, Some(0));
    assert_eq!(
        version.stdout.trim(),
        format!("pursuit {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(help.code, Some(0));
    for command in ["serve", "migrate", "openapi"] {
        assert!(help.stdout.contains(command), "{}", help.stdout);
    }
}

#[tokio::test]
async fn serve_prints_its_url_answers_and_stops_cleanly_on_sigterm() {
    pursuit::app::install_crypto_provider();
    let data = tempfile::tempdir().unwrap();
    let mut child = pursuit()
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data.path().join("fresh/nested"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("url printed within 30 s")
        .unwrap()
        .unwrap();
    let url = line.rsplit(' ').next().unwrap().to_owned();

    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    let missing = reqwest::get(format!("{url}/api/v1/nope")).await.unwrap();
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();

    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    assert_eq!(health.status(), 200);
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
    assert!(killed.success());
    assert_eq!(status.code(), Some(0), "graceful shutdown exits 0");
    assert!(data.path().join("fresh/nested/pursuit.db").exists());
}

#[tokio::test]
async fn a_port_in_use_is_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let data = tempfile::tempdir().unwrap();

    let run = finish(
        pursuit()
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data.path()),
    )
    .await;

    assert_one_line_failure(&run, &format!("cannot listen on 127.0.0.1:{port}"));
}

#[tokio::test]
async fn a_bad_environment_value_names_the_key() {
    let data = tempfile::tempdir().unwrap();

    let run = finish(
        pursuit()
            .arg("serve")
            .arg("--data-dir")
            .arg(data.path())
            .env("PURSUIT_BIND", "nowhere"),
    )
    .await;

    assert_one_line_failure(&run, "key `bind`");
}

#[tokio::test]
async fn a_missing_embedding_model_stops_startup_naming_the_key() {
    let data = tempfile::tempdir().unwrap();

    let run = finish(
        pursuit()
            .arg("serve")
            .arg("--data-dir")
            .arg(data.path())
            .env("PURSUIT_EMBEDDINGS__KIND", "local")
            .env(
                "PURSUIT_EMBEDDINGS__MODEL_DIR",
                data.path().join("potion-base-8M"),
            ),
    )
    .await;

    assert_one_line_failure(&run, "embeddings.model_dir");
    assert!(
        run.stderr.contains("potion-base-8M is not a directory"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_bad_config_file_names_the_key_and_unknown_keys_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let wrong_type = data.path().join("wrong.toml");
    std::fs::write(&wrong_type, "body_limit_bytes = \"lots\"\n").unwrap();
    let unknown = data.path().join("unknown.toml");
    std::fs::write(&unknown, "[database]\nmax_conections = 3\n").unwrap();

    let run_wrong = finish(
        pursuit()
            .arg("serve")
            .arg("--config")
            .arg(&wrong_type)
            .arg("--data-dir")
            .arg(data.path()),
    )
    .await;
    let run_unknown = finish(
        pursuit()
            .arg("serve")
            .arg("--config")
            .arg(&unknown)
            .arg("--data-dir")
            .arg(data.path()),
    )
    .await;
    let run_missing = finish(pursuit().args(["serve", "--config", "/no/such/pursuit.toml"])).await;

    assert_one_line_failure(&run_wrong, "key `body_limit_bytes`");
    assert_one_line_failure(&run_unknown, "max_conections");
    assert_one_line_failure(&run_missing, "/no/such/pursuit.toml does not exist");
}

#[tokio::test]
async fn the_example_config_file_is_valid() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../pursuit.example.toml");
    let data = tempfile::tempdir().unwrap();

    let run = finish(
        pursuit()
            .arg("migrate")
            .arg("--config")
            .arg(example)
            .arg("--data-dir")
            .arg(data.path()),
    )
    .await;

    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[tokio::test]
async fn a_data_dir_that_cannot_be_created_is_a_one_line_error() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();

    let run = finish(
        pursuit()
            .arg("serve")
            .arg("--data-dir")
            .arg(file.join("data")),
    )
    .await;

    assert_one_line_failure(&run, "cannot create the data directory");
}

#[tokio::test]
async fn an_unreachable_database_is_a_one_line_error_without_the_password() {
    let data = tempfile::tempdir().unwrap();

    let run = finish(
        pursuit()
            .arg("serve")
            .arg("--data-dir")
            .arg(data.path())
            .env(
                "DATABASE_URL",
                "postgres://pursuit:s3cret-pw@127.0.0.1:1/pursuit",
            ),
    )
    .await;

    assert_one_line_failure(
        &run,
        "cannot open the database (postgres://127.0.0.1:1/pursuit)",
    );
    assert!(!run.stderr.contains("s3cret-pw"), "{}", run.stderr);
}

both_backends! {
    async fn migrate_reports_the_schema_version_and_is_idempotent(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let mut first = pursuit();
        first.arg("migrate").arg("--data-dir").arg(database.data_dir.path());
        if let Some(url) = &database.url {
            first.arg("--database-url").arg(url);
        }
        let mut second = pursuit();
        second.arg("migrate").arg("--data-dir").arg(database.data_dir.path());
        if let Some(url) = &database.url {
            second.env("DATABASE_URL", url);
        }

        let first = finish(&mut first).await;
        let second = finish(&mut second).await;

        let latest = pursuit_store::migrate::latest_version();
        assert_eq!(first.code, Some(0), "{}", first.stderr);
        assert!(first.stdout.contains(&format!("version {latest}")), "{}", first.stdout);
        assert_eq!(second.stdout.trim(), format!("schema is up to date at version {latest}"));
    }

    async fn a_database_from_a_newer_pursuit_stops_serve(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        db.execute(
            query("INSERT INTO pursuit_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(9999_i64).bind("9999_future").bind("0").bind(jiff::Timestamp::now()),
        )
        .await
        .unwrap();
        db.close().await;
        let mut serve = pursuit();
        serve.args(["serve", "--bind", "127.0.0.1:0", "--data-dir"]).arg(database.data_dir.path());
        if let Some(url) = &database.url {
            serve.env("DATABASE_URL", url);
        }

        let run = finish(&mut serve).await;

        assert_one_line_failure(&run, "created by a newer Pursuit (schema version 9999");
    }
}

both_backends! {
    async fn token_create_prints_a_token_that_the_api_accepts(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let mut create = pursuit();
        create.args(["token", "create", "--email", "Script@Example.org", "--create-user", "--name", "nightly"])
            .arg("--data-dir").arg(database.data_dir.path());
        if let Some(url) = &database.url {
            create.env("DATABASE_URL", url);
        }
        let mut bad = pursuit();
        bad.args(["token", "create", "--email", "nope"]).arg("--data-dir").arg(database.data_dir.path());
        let with_db = |command: &mut tokio::process::Command| {
            command.arg("--data-dir").arg(database.data_dir.path());
            if let Some(url) = &database.url {
                command.env("DATABASE_URL", url);
            }
        };
        let mut unknown = pursuit();
        unknown.args(["token", "create", "--email", "typo@example.org"]);
        with_db(&mut unknown);
        let mut owner = pursuit();
        owner.args(["token", "create"]);
        with_db(&mut owner);

        let run = finish(&mut create).await;
        let bad = finish(&mut bad).await;
        let unknown = finish(&mut unknown).await;
        let owner = finish(&mut owner).await;
        let app = crate::helpers::spawn_app_with(database, |_| {}).await;
        let token = run.stdout.lines().last().unwrap_or_default().to_owned();
        let me = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&token).send().await.unwrap();

        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(token.starts_with("pst_"), "last line: {token:?}");
        assert_eq!(me.status(), 200);
        let me: serde_json::Value = me.json().await.unwrap();
        assert_eq!(me["user"]["email"], "Script@Example.org");
        assert_one_line_failure(&bad, "invalid --email");
        assert_one_line_failure(&unknown, "no account has the address typo@example.org");
        let owner_token = owner.stdout.lines().last().unwrap_or_default().to_owned();
        let owner_me: serde_json::Value = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&owner_token)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(owner_me["user"]["email"], "owner@localhost", "without --email: the owner account");
    }
}

both_backends! {
    async fn tasks_list_shows_dead_jobs_and_retry_queues_them_again(backend: Backend) {
        use pursuit_store::jobs::{self, EnqueueOptions};
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
        let options = EnqueueOptions { run_at: Some(later), ..EnqueueOptions::default() };
        let id = jobs::enqueue_raw(&db, "system.noop", "default", serde_json::json!({}), 3, &options, jiff::Timestamp::now())
            .await
            .unwrap()
            .id;
        db.execute(query("UPDATE jobs SET state = 'dead', errors = $2 WHERE id = $1")
            .bind(id)
            .bind(serde_json::json!([{"attempt": 3, "at": "2026-11-22T00:00:00Z", "error": "smtp said 550"}])))
            .await
            .unwrap();
        db.close().await;
        let tasks = |args: &[&str]| {
            let mut command = pursuit();
            command.arg("tasks").args(args).arg("--data-dir").arg(database.data_dir.path());
            if let Some(url) = &database.url {
                command.env("DATABASE_URL", url);
            }
            command
        };

        let dead = finish(&mut tasks(&["list", "--state", "dead"])).await;
        let retried = finish(&mut tasks(&["retry", &id.0.to_string()])).await;
        let again = finish(&mut tasks(&["retry", &id.0.to_string()])).await;
        let queued = finish(&mut tasks(&["list", "--state", "queued"])).await;
        let bad = finish(&mut tasks(&["list", "--state", "zombie"])).await;

        assert_eq!(dead.code, Some(0), "{}", dead.stderr);
        assert!(dead.stdout.contains(&id.0.to_string()) && dead.stdout.contains("smtp said 550"), "{}", dead.stdout);
        assert_eq!(retried.code, Some(0), "{}", retried.stderr);
        assert_one_line_failure(&again, "is not dead, retryable or cancelled");
        assert!(queued.stdout.contains(&id.0.to_string()), "{}", queued.stdout);
        assert_one_line_failure(&bad, "invalid --state");
    }
}

both_backends! {
    async fn demo_fills_an_account_once_with_a_realistic_pipeline(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let demo = || {
            let mut command = pursuit();
            command.args(["demo", "--email", "demo@example.org", "--data-dir"]).arg(database.data_dir.path());
            if let Some(url) = &database.url {
                command.env("DATABASE_URL", url);
            }
            command
        };

        let first = finish(&mut demo()).await;
        let again = finish(&mut demo()).await;
        let app = crate::helpers::spawn_app_with(database, |_| {}).await;
        let token = first.stdout.lines().last().unwrap_or_default().to_owned();
        let get = |path: &'static str| {
            let request = app.client.get(app.url(path)).bearer_auth(&token);
            async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
        };
        let applications = get("/api/v1/applications?limit=100").await;
        let reminders = get("/api/v1/reminders").await;
        let postings = get("/api/v1/jobs").await;
        let resume = get("/api/v1/resume").await;
        let link = first.stdout.lines().find_map(|l| l.trim().split("/auth/magic-link?token=").nth(1)).unwrap_or_default().to_owned();
        let signed_in = crate::auth::verify(&app, &link).await;

        assert_eq!(first.code, Some(0), "{}", first.stderr);
        assert_one_line_failure(&again, "already has applications");
        assert_eq!(signed_in.status(), 200, "the printed link signs the browser in: {}", first.stdout);
        let me: serde_json::Value = signed_in.json().await.unwrap();
        assert_eq!(me["user"]["email"], "demo@example.org");
        assert_eq!(postings["items"].as_array().unwrap().len(), 3, "{postings}");
        assert!(resume.to_string().contains("Demo resume"), "{resume}");
        let items = applications["items"].as_array().unwrap();
        assert_eq!(items.len(), 13, "ten on the pipeline, three saved with their postings");
        let mut statuses: Vec<&str> = items.iter().map(|a| a["status"].as_str().unwrap()).collect();
        statuses.sort_unstable();
        statuses.dedup();
        assert!(statuses.len() >= 8, "spread across statuses: {statuses:?}");
        let rules: Vec<&str> = reminders["items"].as_array().unwrap().iter().filter_map(|r| r["rule"].as_str()).collect();
        for rule in ["applied_follow_up", "offer_response", "on_hold_check_in", "screening_24h", "loop_2h"] {
            assert!(rules.contains(&rule), "{rule} in {rules:?}");
        }
        assert!(reminders["items"].as_array().unwrap().iter().any(|r| r["rule"].is_null()), "a custom reminder too");
    }
}

/// `pursuit rank --resume R --jobs J --json`.
async fn rank_jobs(resume: &std::path::Path, jobs: &std::path::Path) -> Finished {
    finish(
        pursuit()
            .args(["rank", "--resume"])
            .arg(resume)
            .arg("--jobs")
            .arg(jobs)
            .arg("--json"),
    )
    .await
}

#[tokio::test]
async fn rank_orders_postings_for_a_resume_and_resumes_for_a_posting() {
    let dir = tempfile::tempdir().unwrap();
    let resume = dir.path().join("accountant.txt");
    std::fs::write(
        &resume,
        "Ana Lima\nStaff Accountant\n\nExperience\nStaff Accountant | Acme Corp | Jan 2017 - Present\n\
         - Prepared monthly journal entries and account reconciliations for the general ledger\n\
         - Cut the month-end close from 9 to 5 days\n\nSkills\nMicrosoft Excel, QuickBooks, GAAP\n",
    )
    .unwrap();
    let jobs = dir.path().join("jobs.jsonl");
    std::fs::write(
        &jobs,
        [
            r#"{"id": "cook", "title": "Line Cook", "text": "Responsibilities\n- Prepare food on the grill and fryer\n- Keep the kitchen clean\n\nRequirements\n- 1+ years in a restaurant kitchen"}"#,
            "",
            r#"{"id": 7, "title": "Senior Accountant", "description": "Responsibilities\n- Prepare journal entries and reconciliations\n- Own the month-end close\n\nRequirements\n- 3+ years of accounting experience\n- Microsoft Excel and QuickBooks"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let ranked = rank_jobs(&resume, &jobs).await;
    assert_eq!(ranked.code, Some(0), "{}", ranked.stderr);
    let ranked: serde_json::Value = serde_json::from_str(&ranked.stdout).unwrap();
    assert_eq!(ranked[0]["id"], "7", "{ranked:#}");
    assert_eq!(ranked[0]["rank"], 1);
    assert_eq!(ranked[1]["id"], "cook");
    assert!(ranked[0]["score"].as_u64() > ranked[1]["score"].as_u64());
    assert!(ranked[0]["match"]["parts"].as_array().unwrap().len() >= 4);

    // The reverse: resumes for a posting, an unreadable file skipped and named.
    let folder = dir.path().join("resumes");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&resume, folder.join("a.txt")).unwrap();
    std::fs::write(
        folder.join("b.txt"),
        "Sam Reed\nLine Cook\n\nExperience\nLine Cook | Diner | Jan 2019 - Present\n- Prepared food on the grill\n",
    )
    .unwrap();
    std::fs::write(folder.join("broken.pdf"), b"%PDF-1.4 not really").unwrap();
    let job = dir.path().join("job.txt");
    std::fs::write(
        &job,
        "Accountant\n\nResponsibilities\n- Prepare journal entries and reconciliations\n\nRequirements\n- Microsoft Excel\n",
    )
    .unwrap();
    let ranked = finish(
        pursuit()
            .args(["rank", "--job"])
            .arg(&job)
            .arg("--resumes")
            .arg(&folder)
            .args(["--top", "1"]),
    )
    .await;
    assert_eq!(ranked.code, Some(0), "{}", ranked.stderr);
    assert!(ranked.stderr.contains("broken.pdf"), "{}", ranked.stderr);
    let lines: Vec<&str> = ranked
        .stdout
        .lines()
        .filter(|l| l.contains(".txt"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", ranked.stdout);
    assert!(lines[0].contains("a.txt"), "{}", ranked.stdout);

    // A line that is not a posting is named with its number and skipped; the others are
    // ranked. A posting given as a title and one flat block of text keeps that title.
    std::fs::write(
        &jobs,
        [
            "{\"title\": \"No text\"}",
            "[1, 2]",
            r#"{"id": "flat", "title": "Staff Accountant: Month-End Close", "text": "We are a growing firm. You will prepare journal entries and reconciliations for the general ledger and own the month-end close. 2+ years of accounting experience. Microsoft Excel and QuickBooks required."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let some = rank_jobs(&resume, &jobs).await;
    assert_eq!(some.code, Some(0), "{}", some.stderr);
    assert!(
        some.stderr.contains("line 1") && some.stderr.contains("line 2"),
        "{}",
        some.stderr
    );
    let some: serde_json::Value = serde_json::from_str(&some.stdout).unwrap();
    assert_eq!(some.as_array().unwrap().len(), 1, "{some:#}");
    assert_eq!(
        some[0]["title"], "Staff Accountant: Month-End Close",
        "{some:#}"
    );
    assert!(some[0]["score"].as_u64().unwrap() >= 50, "{some:#}");

    // Nothing readable at all is a failure that says why.
    std::fs::write(&jobs, "{\"title\": \"No text\"}\n").unwrap();
    let bad = finish(
        pursuit()
            .args(["rank", "--resume"])
            .arg(&resume)
            .arg("--jobs")
            .arg(&jobs),
    )
    .await;
    assert_ne!(bad.code, Some(0));
    assert!(bad.stderr.contains("line 1"), "{}", bad.stderr);
    assert!(bad.stderr.contains("no postings"), "{}", bad.stderr);
}

#[tokio::test]
async fn parse_and_match_read_files_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let resume = dir.path().join("cv.pdf");
    let mut ops = pursuit_files::fixtures::line(72, 800, 12, "Jane Doe");
    for (i, line) in [
        "jane@example.org",
        "Experience",
        "Data Engineer | Initech | Jan 2018 - Present",
        "- Built batch pipelines in Apache Spark",
        "Skills",
        "Python, PostgreSQL, Apache Spark",
    ]
    .iter()
    .enumerate()
    {
        let y = 780 - 14 * i64::try_from(i).unwrap();
        ops.extend(pursuit_files::fixtures::line(72, y, 10, line));
    }
    std::fs::write(&resume, pursuit_files::fixtures::pdf(ops)).unwrap();
    let job = dir.path().join("job.txt");
    std::fs::write(
        &job,
        "Data Engineer\n\nResponsibilities\n- Build batch pipelines in Apache Spark\n\nRequirements\n- 3+ years with Python and SQL\n- Apache Airflow\n",
    )
    .unwrap();

    let parsed = finish(
        pursuit()
            .arg("parse")
            .arg("resume")
            .arg(&resume)
            .arg("--json"),
    )
    .await;
    assert_eq!(parsed.code, Some(0), "{}", parsed.stderr);
    let parsed: serde_json::Value = serde_json::from_str(&parsed.stdout).unwrap();
    assert_eq!(parsed["resume"]["basics"]["email"], "jane@example.org");
    assert_eq!(parsed["format"], "pdf");

    let matched = finish(pursuit().arg("match").arg(&resume).arg(&job).arg("--json")).await;
    assert_eq!(matched.code, Some(0), "{}", matched.stderr);
    let result: serde_json::Value = serde_json::from_str(&matched.stdout).unwrap();
    let score = result["score"].as_u64().unwrap();
    assert!((1..100).contains(&score), "{result}");
    let names = |group: &str| -> Vec<String> {
        result["skills"][group]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["skill"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(names("matched").contains(&"Python".to_owned()), "{result}");
    assert!(names("unphrased").contains(&"SQL".to_owned()), "{result}");
    assert!(
        names("missing").contains(&"Apache Airflow".to_owned()),
        "{result}"
    );

    let missing = finish(
        pursuit()
            .arg("match")
            .arg(dir.path().join("nope.pdf"))
            .arg(&job),
    )
    .await;
    assert_one_line_failure(&missing, "cannot read");
}
