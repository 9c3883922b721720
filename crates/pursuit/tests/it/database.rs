//! The store on both backends: migrations, the schema check, the SQLite settings, the
//! portable value layer and transactions.

use jiff::Timestamp;
use pursuit_store::{Backend, Db, StoreError, migrate, query, schema};
use uuid::Uuid;

use crate::helpers::TestDatabase;

/// A scratch table with every portable type, written in each backend's native types.
async fn create_scratch_table(db: &Db) {
    let ddl = match db.backend() {
        Backend::Sqlite => {
            "CREATE TABLE scratch (id TEXT NOT NULL PRIMARY KEY, at TEXT, doc TEXT, \
             flag INTEGER, n INTEGER, x REAL, label TEXT UNIQUE) STRICT"
        }
        Backend::Postgres => {
            "CREATE TABLE scratch (id UUID NOT NULL PRIMARY KEY, at TIMESTAMPTZ, doc JSONB, \
             flag BOOLEAN, n BIGINT, x DOUBLE PRECISION, label TEXT UNIQUE)"
        }
    };
    db.execute(query(ddl)).await.unwrap();
}

/// A user of the store alone (no sign-in), for tests of store functions.
async fn new_user(db: &Db, email: &str, now: Timestamp) -> pursuit_store::accounts::User {
    pursuit_store::accounts::insert_user(
        db,
        &pursuit_store::accounts::NewUser {
            email: pursuit_domain::account::EmailAddress::parse(email).unwrap(),
            display_name: None,
            time_zone: pursuit_domain::account::TimeZoneName::utc(),
            is_owner: false,
        },
        now,
    )
    .await
    .unwrap()
}

both_backends! {
    async fn sign_in_changes_move_the_credentials_generation_once_committed(backend: Backend) {
        use pursuit_domain::account::TimeZoneName;
        use pursuit_store::accounts;

        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let now = Timestamp::now();
        let user = new_user(&db, "generation@example.org", now).await;
        let (token, _) = accounts::create_api_token(&db, user.id, "script", None, now).await.unwrap();
        let start = db.credentials_generation();

        // Reads and last-used touches are not changes a cache must drop its entries for.
        accounts::find_api_token(&db, "no-such-hash", now).await.unwrap();
        accounts::touch_api_token(&db, token.id, now).await.unwrap();
        assert_eq!(db.credentials_generation(), start);

        // In a transaction: not before the commit (a sign-in read meanwhile sees the old row).
        let mut tx = db.begin().await.unwrap();
        assert!(accounts::revoke_api_token(&mut tx, user.id, token.id, now).await.unwrap());
        assert_eq!(db.credentials_generation(), start, "moved before the commit");
        tx.commit().await.unwrap();
        let committed = db.credentials_generation();
        assert!(committed > start);

        // On the pool: at once.
        accounts::delete_sessions_of_user(&db, user.id).await.unwrap();
        let changes = accounts::UserChanges {
            email: None,
            display_name: None,
            time_zone: Some(TimeZoneName::parse("Europe/Paris").unwrap()),
            session_timeout_secs: None,
        };
        accounts::update_user(&db, user.id, &changes, now).await.unwrap();
        assert!(db.credentials_generation() >= committed + 2);
    }

    async fn tags_kept_in_the_row_filter_search_and_count_exactly(backend: Backend) {
        use pursuit_domain::application::ChangedBy;
        use pursuit_domain::ids::ApplicationId;
        use pursuit_store::applications::{self, ApplicationData, ApplicationFilter};

        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let now = Timestamp::now();
        let user = new_user(&db, "tags@example.org", now).await;
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let with_tags = |company: &str, tags: &[&str]| ApplicationData {
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..ApplicationData::new(company, "Engineer", today)
        };
        // A tag inside another ("go" in "golang"), letter case, and LIKE's wildcards.
        let rows = [
            with_tags("A", &["go", "Rust"]),
            with_tags("B", &["golang"]),
            with_tags("C", &["rust", "50%_off"]),
            with_tags("D", &[]),
        ];
        let ids: Vec<ApplicationId> = rows.iter().map(|_| ApplicationId::new()).collect();
        let mut tx = db.begin().await.unwrap();
        let pairs: Vec<_> = ids.iter().copied().zip(&rows).collect();
        applications::insert_applications(&mut tx, user.id, &pairs[..3], ChangedBy::Import, now)
            .await
            .unwrap();
        applications::insert_application_deferred(&mut tx, user.id, ids[3], &rows[3], ChangedBy::User, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // D gains a tag, A loses one.
        for (i, tags) in [(3, vec!["go"]), (0, vec!["Rust"])] {
            let current = applications::get_application(&db, user.id, ids[i]).await.unwrap().unwrap();
            let data = ApplicationData {
                tags: tags.into_iter().map(str::to_owned).collect(),
                ..current.data.clone()
            };
            let mut tx = db.begin().await.unwrap();
            applications::update_application(&mut tx, user.id, &current, &data, ChangedBy::User, now)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }

        let companies_where = |filter: ApplicationFilter| {
            let db = &db;
            async move {
                let mut found: Vec<String> = applications::list_applications(db, user.id, &filter, None, 50)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(a, _)| a.data.company)
                    .collect();
                found.sort();
                found
            }
        };
        let companies_tagged =
            |tag: &str| companies_where(ApplicationFilter { tag: Some(tag.to_owned()), ..ApplicationFilter::default() });
        assert_eq!(companies_tagged("go").await, ["D"]);
        assert_eq!(companies_tagged("golang").await, ["B"]);
        assert_eq!(companies_tagged("Rust").await, ["A"]);
        assert_eq!(companies_tagged("rust").await, ["C"]);
        assert_eq!(companies_tagged("50%_off").await, ["C"]);
        assert!(companies_tagged("50").await.is_empty());
        let read: Vec<Vec<String>> = {
            let mut all = Vec::new();
            for id in &ids {
                all.push(applications::get_application(&db, user.id, *id).await.unwrap().unwrap().data.tags);
            }
            all
        };
        assert_eq!(read, [vec!["Rust"], vec!["golang"], vec!["50%_off", "rust"], vec!["go"]]);
        // The counts read the same lists: "go" is D's alone, "Rust" and "rust" are two.
        assert_eq!(
            applications::tag_counts(&db, user.id).await.unwrap(),
            [
                ("50%_off".to_owned(), 1),
                ("Rust".to_owned(), 1),
                ("go".to_owned(), 1),
                ("golang".to_owned(), 1),
                ("rust".to_owned(), 1),
            ]
        );
        // The text search finds a part of a tag, within one tag only.
        let searched = |q: &str| companies_where(ApplicationFilter { q: Some(q.to_owned()), ..ApplicationFilter::default() });
        assert_eq!(searched("lang").await, ["B"]);
        assert_eq!(searched("%_o").await, ["C"]);
        assert!(searched("off\u{1f}rust").await.is_empty());
    }

    async fn migrating_twice_applies_nothing_the_second_time(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;

        let again = migrate::run(&db, "test").await.unwrap();

        assert!(again.applied.is_empty());
        assert_eq!(again.version, migrate::latest_version());
        assert!(!again.created);
    }

    async fn a_database_from_a_newer_pursuit_is_refused_untouched(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        db.execute(
            query("INSERT INTO pursuit_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(9999_i64).bind("9999_future").bind("0").bind(Timestamp::now()),
        )
        .await
        .unwrap();

        let error = migrate::run(&db, "test").await.unwrap_err();

        assert!(matches!(error, StoreError::NewerDatabase { database_version: 9999, .. }), "{error}");
        assert!(error.to_string().contains("newer Pursuit"), "{error}");
    }

    async fn an_edited_migration_is_detected(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        db.execute(query("UPDATE pursuit_migrations SET checksum = 'edited' WHERE version = 1")).await.unwrap();

        let error = migrate::run(&db, "test").await.unwrap_err();

        assert!(matches!(error, StoreError::ChangedMigration { version: 1, .. }), "{error}");
    }

    async fn values_round_trip_with_the_same_rust_types(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;
        let id = Uuid::new_v4();
        let at: Timestamp = "2026-03-29T01:30:00.123456789Z".parse().unwrap();
        let doc = serde_json::json!({"skills": ["rust", "sql"], "years": 7, "note": "é 中 ✓"});

        db.execute(
            query("INSERT INTO scratch (id, at, doc, flag, n, x, label) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id).bind(at).bind(doc.clone()).bind(true).bind(-42_i64).bind(2.5_f64).bind("a"),
        )
        .await
        .unwrap();
        db.execute(
            query("INSERT INTO scratch (id, at, doc, flag, n, x, label) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(Uuid::new_v4()).bind(None::<Timestamp>).bind(None::<serde_json::Value>)
                .bind(None::<bool>).bind(None::<i64>).bind(None::<f64>).bind(None::<String>),
        )
        .await
        .unwrap();

        let row = db.fetch_one(query("SELECT * FROM scratch WHERE id = $1").bind(id)).await.unwrap();
        assert_eq!(row.get::<Uuid>("id").unwrap(), id);
        assert_eq!(row.get::<Timestamp>("at").unwrap(), "2026-03-29T01:30:00.123456Z".parse().unwrap());
        assert_eq!(row.get::<serde_json::Value>("doc").unwrap(), doc);
        assert!(row.get::<bool>("flag").unwrap());
        assert_eq!(row.get::<i64>("n").unwrap(), -42);
        assert_eq!(row.get::<f64>("x").unwrap(), 2.5);
        let nulls = db.fetch_one(query("SELECT * FROM scratch WHERE label IS NULL")).await.unwrap();
        assert_eq!(nulls.get::<Option<Timestamp>>("at").unwrap(), None);
        assert_eq!(nulls.get::<Option<serde_json::Value>>("doc").unwrap(), None);
        assert_eq!(nulls.get::<Option<bool>>("flag").unwrap(), None);
        assert!(nulls.get::<Timestamp>("at").is_err(), "a NULL is not silently a value");
    }

    async fn timestamps_order_the_same_on_both_backends(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;
        let times = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z", "2025-12-31T23:59:59.999999Z", "2026-01-01T00:00:01Z"];
        for (i, t) in times.iter().enumerate() {
            db.execute(query("INSERT INTO scratch (id, at, label) VALUES ($1, $2, $3)")
                .bind(Uuid::new_v4()).bind(t.parse::<Timestamp>().unwrap()).bind(i.to_string()))
                .await.unwrap();
        }

        let rows = db.fetch_all(query("SELECT label FROM scratch WHERE at > $1 ORDER BY at")
            .bind("2025-12-31T23:59:59.999999Z".parse::<Timestamp>().unwrap())).await.unwrap();

        let labels: Vec<String> = rows.iter().map(|r| r.get("label").unwrap()).collect();
        assert_eq!(labels, ["0", "1", "3"]);
    }

    async fn a_dropped_transaction_leaves_no_row(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;

        {
            let mut tx = db.begin().await.unwrap();
            tx.execute(query("INSERT INTO scratch (id, label) VALUES ($1, 'gone')").bind(Uuid::new_v4())).await.unwrap();
            // dropped without commit
        }
        let mut tx = db.begin().await.unwrap();
        tx.execute(query("INSERT INTO scratch (id, label) VALUES ($1, 'kept')").bind(Uuid::new_v4())).await.unwrap();
        tx.commit().await.unwrap();

        let rows = db.fetch_all(query("SELECT label FROM scratch")).await.unwrap();
        let labels: Vec<String> = rows.iter().map(|r| r.get("label").unwrap()).collect();
        assert_eq!(labels, ["kept"]);
    }

    async fn deferred_writes_run_with_the_next_statement_or_the_commit_or_not_at_all(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;
        let insert = |label: &str| query("INSERT INTO scratch (id, label) VALUES ($1, $2)").bind(Uuid::new_v4()).bind(label.to_owned());
        let labels = || async {
            let rows = db.fetch_all(query("SELECT label FROM scratch ORDER BY label")).await.unwrap();
            rows.iter().map(|r| r.get("label").unwrap()).collect::<Vec<String>>()
        };

        // Only deferred writes, then a commit: they run with it.
        let mut tx = db.begin().await.unwrap();
        tx.defer(vec![insert("a"), insert("b")]).unwrap();
        assert!(labels().await.is_empty(), "nothing runs before the commit");
        tx.commit().await.unwrap();
        assert_eq!(labels().await, ["a", "b"]);

        // A statement after a deferred write sees it (it ran first).
        let mut tx = db.begin().await.unwrap();
        tx.defer(vec![insert("c")]).unwrap();
        let seen = tx.fetch_all(query("SELECT label FROM scratch WHERE label = 'c'")).await.unwrap();
        assert_eq!(seen.len(), 1);
        tx.commit().await.unwrap();

        // Dropped or rolled back: deferred writes never run.
        {
            let mut tx = db.begin().await.unwrap();
            tx.defer(vec![insert("dropped")]).unwrap();
        }
        let mut tx = db.begin().await.unwrap();
        tx.defer(vec![insert("rolled back")]).unwrap();
        tx.rollback().await.unwrap();

        // A deferred write that fails fails the commit, and nothing of it stays; the
        // database goes on working.
        let mut tx = db.begin().await.unwrap();
        tx.execute(insert("d")).await.unwrap();
        tx.defer(vec![insert("e"), insert("a")]).unwrap();
        let error = tx.commit().await.unwrap_err();
        assert!(matches!(error, StoreError::UniqueViolation { .. }), "{error:?}");
        assert_eq!(labels().await, ["a", "b", "c"]);
        let mut tx = db.begin().await.unwrap();
        tx.defer(vec![insert("f")]).unwrap();
        tx.commit().await.unwrap();
        assert_eq!(labels().await, ["a", "b", "c", "f"]);

        // A text with NUL is refused when deferred, before anything is queued.
        let mut tx = db.begin().await.unwrap();
        let error = tx.defer(vec![insert("g\0")]).unwrap_err();
        assert!(matches!(error, StoreError::NulInText), "{error:?}");
    }

    async fn a_duplicate_is_a_unique_violation_not_a_generic_error(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;
        let insert = || query("INSERT INTO scratch (id, label) VALUES ($1, 'same')").bind(Uuid::new_v4());
        db.execute(insert()).await.unwrap();

        let error = db.execute(insert()).await.unwrap_err();

        assert!(matches!(error, StoreError::UniqueViolation { .. }), "{error:?}");
    }

    async fn concurrent_writers_never_see_database_is_locked(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        create_scratch_table(&db).await;

        let mut tasks = Vec::new();
        for writer in 0..16 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..20 {
                    let mut tx = db.begin().await?;
                    // read, then write: the upgrade that fails without BEGIN IMMEDIATE
                    tx.fetch_all(query("SELECT count(*) AS n FROM scratch")).await?;
                    tx.execute(query("INSERT INTO scratch (id, label) VALUES ($1, $2)")
                        .bind(Uuid::new_v4()).bind(format!("{writer}-{i}"))).await?;
                    tx.commit().await?;
                }
                Ok::<(), StoreError>(())
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }

        let row = db.fetch_one(query("SELECT count(*) AS n FROM scratch")).await.unwrap();
        assert_eq!(row.get::<i64>("n").unwrap(), 16 * 20);
    }
}

/// Two pools on one file stand for two processes (`serve` and `worker`): no in-process
/// queue orders them, only `BEGIN IMMEDIATE` and the busy timeout. A deferred transaction
/// that reads and then writes would fail here with "database is locked".
#[tokio::test]
async fn sqlite_writers_in_two_processes_wait_for_each_other_instead_of_failing() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let first = database.open().await;
    let second = database.open().await;
    create_scratch_table(&first).await;

    let mut tasks = Vec::new();
    for writer in 0..8 {
        let db = if writer % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                let mut tx = db.begin().await?;
                tx.fetch_all(query("SELECT count(*) AS n FROM scratch"))
                    .await?;
                tx.execute(
                    query("INSERT INTO scratch (id, label) VALUES ($1, $2)")
                        .bind(Uuid::new_v4())
                        .bind(format!("{writer}-{i}")),
                )
                .await?;
                tx.commit().await?;
            }
            Ok::<(), StoreError>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    let row = first
        .fetch_one(query("SELECT count(*) AS n FROM scratch"))
        .await
        .unwrap();
    assert_eq!(row.get::<i64>("n").unwrap(), 8 * 25);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let database = TestDatabase::new(Backend::Sqlite).await;
    let db = database.open().await;

    // Every pooled connection carries the settings, not only the first one.
    let mut seen = Vec::new();
    for _ in 0..4 {
        let row = db
            .fetch_one(query(
                "SELECT (SELECT journal_mode FROM pragma_journal_mode) AS j, \
                        (SELECT synchronous FROM pragma_synchronous) AS s, \
                        (SELECT foreign_keys FROM pragma_foreign_keys) AS f",
            ))
            .await
            .unwrap();
        seen.push((
            row.get::<String>("j").unwrap(),
            row.get::<i64>("s").unwrap(),
            row.get::<i64>("f").unwrap(),
        ));
    }

    assert!(
        seen.iter().all(|s| *s == ("wal".to_owned(), 2, 1)),
        "{seen:?}"
    );
    assert!(database.data_dir.path().join("pursuit.db-wal").exists());
}

/// The two migration sets must describe the same model: same tables, same columns, same
/// nullability. Fails the moment one backend's migration forgets what the other has.
#[tokio::test]
async fn schemas_of_both_backends_match() {
    let (sqlite_database, postgres_database) = (
        TestDatabase::new(Backend::Sqlite).await,
        TestDatabase::new(Backend::Postgres).await,
    );
    let sqlite = sqlite_database.open().await;
    let postgres = postgres_database.open().await;

    let sqlite_schema = schema::describe(&sqlite).await.unwrap();
    let postgres_schema = schema::describe(&postgres).await.unwrap();

    assert!(!sqlite_schema.is_empty());
    let only_sqlite: Vec<_> = sqlite_schema
        .iter()
        .filter(|c| !postgres_schema.contains(c))
        .collect();
    let only_postgres: Vec<_> = postgres_schema
        .iter()
        .filter(|c| !sqlite_schema.contains(c))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "schemas drifted\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}

both_backends! {
    async fn time_in_stage_is_measured_in_days_from_the_history(backend: Backend) {
        use pursuit_domain::account::{EmailAddress, TimeZoneName};
        use pursuit_domain::application::{ApplicationStatus, ChangedBy, LocationMode, Priority};
        use pursuit_domain::ids::ApplicationId;
        use pursuit_store::Versioned;
        use pursuit_store::applications::{self, ApplicationData};
        use pursuit_store::{accounts, analytics};

        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let t0: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let day = |n: i64| t0 + jiff::SignedDuration::from_hours(24 * n);
        let mut tx = db.begin().await.unwrap();
        let user = accounts::insert_user(&mut tx, &accounts::NewUser {
            email: EmailAddress::parse("stages@example.org").unwrap(),
            display_name: None,
            time_zone: TimeZoneName::utc(),
            is_owner: false,
        }, t0).await.unwrap();
        let data = ApplicationData {
            company: "A".into(), role_title: "R".into(), status: ApplicationStatus::Applied, source: "Other".into(),
            application_date: "2026-01-01".parse().unwrap(), priority: Priority::None, location_mode: Some(LocationMode::Remote),
            job_url: None, location_text: None, timezone: None, salary: Default::default(), job_requisition_id: None,
            seniority_level: None, tech_keywords: vec![], resume_url: None, cover_letter_url: None, cover_letter_used: None,
            contacts_inline: None, next_action: None, next_action_due: None, notes: None, tags: vec![],
            attachments_links: vec![], archived_at: None,
        };
        // A: Applied for 2 days, then Screening; B: Applied for 1 day, then Rejected.
        for (moved_to, after_days) in [(ApplicationStatus::Screening, 2), (ApplicationStatus::Rejected, 1)] {
            let created = applications::insert_application_deferred(&mut tx, user.id, ApplicationId::new(), &data, ChangedBy::User, t0).await.unwrap();
            let moved = ApplicationData { status: moved_to, ..data.clone() };
            let done = applications::update_application(&mut tx, user.id, &created, &moved, ChangedBy::User, day(after_days)).await.unwrap();
            assert!(matches!(done, Versioned::Done(_)));
        }
        tx.commit().await.unwrap();
        let (from, to) = ("2026-01-01".parse().unwrap(), "2026-01-31".parse().unwrap());

        let stays = analytics::stays_by_status(&db, user.id, from, to, day(5)).await.unwrap();
        let furthest = analytics::furthest_stages(&db, user.id, from, to).await.unwrap();
        let by_status = analytics::counts_by(&db, user.id, analytics::Grouping::Status, from, to).await.unwrap();

        let applied = stays.iter().find(|s| s.status == "Applied").unwrap();
        assert_eq!((applied.completed, applied.open), (2, 0));
        assert!((applied.completed_days - 3.0).abs() < 1e-6, "{applied:?}");
        let screening = stays.iter().find(|s| s.status == "Screening").unwrap();
        assert_eq!(screening.open, 1);
        assert!((screening.open_days - 3.0).abs() < 1e-6, "{screening:?}");
        let mut furthest = furthest;
        furthest.sort();
        assert_eq!(furthest, [(0, 1), (1, 1)], "B got no further than Applied, A reached Screening");
        let rejected = &by_status.iter().find(|(s, _)| s == "Rejected").unwrap().1;
        assert_eq!((rejected.applications, rejected.sent, rejected.responded, rejected.offered), (1, 1, 1, 0));
    }
}
