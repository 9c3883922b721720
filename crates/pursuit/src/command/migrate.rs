//! `pursuit migrate`: bring the schema up to date and exit (for deployments that migrate
//! before rolling out new server processes).

use crate::app::VERSION;
use crate::command::GlobalArgs;

pub async fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let db = global.open().await?.db;
    let report = pursuit_store::migrate::run(&db, VERSION).await;
    db.close().await;
    let report = report.map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    if report.applied.is_empty() {
        println!("schema is up to date at version {}", report.version);
    } else {
        let applied: Vec<String> = report.applied.iter().map(i64::to_string).collect();
        println!(
            "schema migrated to version {} (applied {})",
            report.version,
            applied.join(", ")
        );
    }
    Ok(())
}
