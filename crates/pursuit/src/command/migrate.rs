//! `pursuit migrate`: bring the schema up to date and exit (for deployments that migrate
//! before rolling out new server processes).

use crate::app::{VERSION, open_database};
use crate::command::{GlobalArgs, ServeOverrides};
use crate::telemetry;

pub async fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let config = global.load_config(ServeOverrides::default())?;
    telemetry::init(config.log_format, &config.log_level);
    let data_dir = config.data_dir()?;
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {e}",
            data_dir.display()
        )
    })?;
    let db = open_database(&config, &data_dir).await?;
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
