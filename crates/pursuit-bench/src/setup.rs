//! What most benchmarks start from: a migrated database (PostgreSQL when a URL is given,
//! else a fresh SQLite file) and a user of their own.

use std::path::Path;

use jiff::Timestamp;
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_store::{Conn, ConnectOptions, Db, accounts};

/// The database to measure, migrated, and its backend's name for the report.
pub async fn database(
    url: Option<&str>,
    dir: &Path,
    options: &ConnectOptions,
) -> anyhow::Result<(Db, &'static str)> {
    let (db, backend) = match url {
        Some(url) => (Db::connect(url, options).await?, "postgres"),
        None => (
            Db::open_sqlite(&dir.join("pursuit.db"), options).await?,
            "sqlite",
        ),
    };
    pursuit_store::migrate::run(&db, "bench").await?;
    Ok((db, backend))
}

/// A new user `<name>-<random>@example.org` (a PostgreSQL database may hold earlier runs'
/// users).
pub async fn user(conn: impl Conn, name: &str, now: Timestamp) -> anyhow::Result<accounts::User> {
    let email = format!("{name}-{}@example.org", uuid::Uuid::new_v4().simple());
    Ok(accounts::insert_user(
        conn,
        &accounts::NewUser {
            email: EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!(e.0))?,
            display_name: None,
            time_zone: TimeZoneName::utc(),
            is_owner: false,
        },
        now,
    )
    .await?)
}
