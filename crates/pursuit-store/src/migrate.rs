//! Embedded, append-only migrations with the same version numbers on both backends.
//!
//! The runner is ours rather than `sqlx::migrate!` so that it can (a) refuse a database
//! written by a newer Pursuit with a message a user understands, (b) keep one list that
//! pairs each SQLite file with its PostgreSQL twin, and (c) stay safe when several `serve`
//! and `worker` processes start at once against one PostgreSQL (an advisory lock).

use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Backend, Db, Tx};
use crate::error::StoreError;
use crate::query;

/// One schema version, written twice: once per backend.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }

    /// A checksum of the file that was applied, so an edited migration is noticed.
    fn checksum(&self, backend: Backend) -> String {
        format!("{:016x}", fnv1a(self.sql(backend).as_bytes()))
    }
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, oldest first. Append only.
pub static MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_instance"),
    migration!(2, "0002_accounts"),
    migration!(3, "0003_oauth_states"),
    migration!(4, "0004_jobs"),
    migration!(5, "0005_applications"),
    migration!(6, "0006_activities"),
    migration!(7, "0007_saved_views"),
    migration!(8, "0008_idempotency_keys"),
    migration!(9, "0009_reminders"),
    migration!(10, "0010_imports"),
    migration!(11, "0011_delivery"),
    migration!(12, "0012_board_columns"),
    migration!(13, "0013_postings"),
    migration!(14, "0014_resumes"),
    migration!(15, "0015_pain_points"),
    migration!(16, "0016_embedding_chunks"),
    migration!(17, "0017_location_mode_optional"),
    migration!(18, "0018_resume_version_labels"),
    migration!(19, "0019_board_order"),
    migration!(20, "0020_application_tag_list"),
    migration!(21, "0021_ai"),
    migration!(22, "0022_ai_user_providers"),
    migration!(23, "0023_job_preferences"),
    migration!(24, "0024_profile_projects"),
    migration!(25, "0025_documents"),
    migration!(26, "0026_application_materials"),
    migration!(27, "0027_optimizations"),
    migration!(28, "0028_company_research"),
    migration!(29, "0029_conversations"),
    migration!(30, "0030_task_results"),
    migration!(31, "0031_contacts"),
    migration!(32, "0032_sequences"),
    migration!(33, "0033_offers"),
    migration!(34, "0034_outreach"),
    migration!(35, "0035_email_events"),
    migration!(36, "0036_replies"),
    migration!(37, "0037_beta_feedback"),
    migration!(38, "0038_provider_events"),
    migration!(39, "0039_campaign_metrics"),
    migration!(40, "0040_warmup"),
    migration!(41, "0041_discovery"),
    migration!(42, "0042_fewer_indexes"),
    migration!(43, "0043_one_tag_list"),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// A short fingerprint of every migration for `backend`: equal fingerprints mean equal
/// schemas (the test harness names its migrated template database after it).
pub fn fingerprint(backend: Backend) -> String {
    let mut all = Vec::new();
    for migration in MIGRATIONS {
        all.extend_from_slice(migration.sql(backend).as_bytes());
    }
    format!("{:016x}", fnv1a(&all))
}

/// What a migration run did.
#[derive(Debug, Clone)]
pub struct MigrationReport {
    /// Versions applied by this run, oldest first.
    pub applied: Vec<i64>,
    /// The schema version after the run.
    pub version: i64,
    /// The installation's id (see `pursuit_instance`).
    pub instance_id: Uuid,
    /// True when this run created the installation (a new, empty database).
    pub created: bool,
}

const BOOTSTRAP_SQLITE: &str = "CREATE TABLE IF NOT EXISTS pursuit_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    checksum   TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
) STRICT";

const BOOTSTRAP_POSTGRES: &str = "CREATE TABLE IF NOT EXISTS pursuit_migrations (
    version    BIGINT      NOT NULL PRIMARY KEY,
    name       TEXT        NOT NULL,
    checksum   TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)";

/// Serializes migration runs of several processes on PostgreSQL; held until commit.
/// (On SQLite, `BEGIN IMMEDIATE` already admits one writer at a time.)
async fn lock(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.backend() == Backend::Postgres {
        tx.execute(query("SELECT pg_advisory_xact_lock(7242017001)"))
            .await?;
    }
    Ok(())
}

/// After a table definition was edited in `sqlite_master`, as SQLite documents for changes
/// that leave stored rows as they are: a new schema version makes every connection (this
/// one included) read the definitions again, and an integrity check proves the edit sound.
async fn bump_schema_version(tx: &mut Tx, migration: &Migration) -> Result<(), StoreError> {
    let version: i64 = tx
        .fetch_one(query(
            "SELECT schema_version AS v FROM pragma_schema_version",
        ))
        .await?
        .get("v")?;
    tx.execute(crate::sql::Query::dynamic(format!(
        "PRAGMA schema_version = {}",
        version + 1
    )))
    .await?;
    let check: String = tx
        .fetch_one(query(
            "SELECT integrity_check AS c FROM pragma_integrity_check",
        ))
        .await?
        .get("c")?;
    if check == "ok" {
        Ok(())
    } else {
        Err(StoreError::Migration {
            version: migration.version,
            name: migration.name.to_owned(),
            source: Box::new(StoreError::Database(
                format!("integrity check after a schema edit: {check}").into(),
            )),
        })
    }
}

struct Applied {
    version: i64,
    name: String,
    checksum: String,
}

async fn applied(tx: &mut Tx) -> Result<Vec<Applied>, StoreError> {
    let rows = tx
        .fetch_all(query(
            "SELECT version, name, checksum FROM pursuit_migrations ORDER BY version",
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Applied {
                version: row.get("version")?,
                name: row.get("name")?,
                checksum: row.get("checksum")?,
            })
        })
        .collect()
}

/// Brings the schema up to [`latest_version`], refusing a database from a newer Pursuit or
/// one whose applied migrations were edited. Safe to call from several processes at once.
pub async fn run(db: &Db, app_version: &str) -> Result<MigrationReport, StoreError> {
    let backend = db.backend();
    let mut tx = db.begin().await?;
    lock(&mut tx).await?;
    let bootstrap = match backend {
        Backend::Sqlite => BOOTSTRAP_SQLITE,
        Backend::Postgres => BOOTSTRAP_POSTGRES,
    };
    tx.execute_script(bootstrap).await?;

    // One transaction for the whole run: a failing migration leaves the schema as it was.
    let already = applied(&mut tx).await?;
    check_applied(&already, backend)?;
    let mut newly = Vec::new();
    for migration in MIGRATIONS {
        if already.iter().any(|a| a.version == migration.version) {
            continue;
        }
        tx.execute_script(migration.sql(backend))
            .await
            .map_err(|source| StoreError::Migration {
                version: migration.version,
                name: migration.name.to_owned(),
                source: Box::new(source),
            })?;
        if backend == Backend::Sqlite && migration.sql(backend).contains("writable_schema") {
            bump_schema_version(&mut tx, migration).await?;
        }
        tx.execute(
            query(
                "INSERT INTO pursuit_migrations (version, name, checksum, applied_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(migration.checksum(backend))
            .bind(Timestamp::now()),
        )
        .await?;
        newly.push(migration.version);
    }

    let created = tx
        .execute(
            query(
                "INSERT INTO pursuit_instance (singleton, instance_id, created_by_version, created_at) \
                 VALUES (1, $1, $2, $3) ON CONFLICT (singleton) DO NOTHING",
            )
            .bind(Uuid::new_v4())
            .bind(app_version)
            .bind(Timestamp::now()),
        )
        .await?
        == 1;
    let instance_id: Uuid = tx
        .fetch_one(query(
            "SELECT instance_id FROM pursuit_instance WHERE singleton = 1",
        ))
        .await?
        .get("instance_id")?;
    tx.commit().await?;

    if !newly.is_empty() {
        tracing::info!(backend = %backend, migrations.applied = ?newly, "database migrated");
    }
    Ok(MigrationReport {
        applied: newly,
        version: latest_version(),
        instance_id,
        created,
    })
}

fn check_applied(applied: &[Applied], backend: Backend) -> Result<(), StoreError> {
    let known = latest_version();
    if let Some(newest) = applied.iter().map(|a| a.version).max()
        && newest > known
    {
        return Err(StoreError::NewerDatabase {
            database_version: newest,
            known_version: known,
        });
    }
    for record in applied {
        let Some(migration) = MIGRATIONS.iter().find(|m| m.version == record.version) else {
            // A gap below our newest version: the file list was edited, not appended to.
            return Err(StoreError::ChangedMigration {
                version: record.version,
                name: record.name.clone(),
            });
        };
        if migration.checksum(backend) != record.checksum {
            return Err(StoreError::ChangedMigration {
                version: record.version,
                name: record.name.clone(),
            });
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: stable across Rust releases and platforms, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing_and_match_file_names() {
        let mut previous = 0;
        for migration in MIGRATIONS {
            assert!(
                migration.version > previous,
                "{} is out of order",
                migration.name
            );
            let number: i64 = migration.name[..4].parse().unwrap();
            assert_eq!(
                number, migration.version,
                "{} has the wrong version",
                migration.name
            );
            previous = migration.version;
        }
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
